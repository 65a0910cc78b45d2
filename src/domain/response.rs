//! A company's answer to a forwarded complaint, as typed into the portal, the API or a signed
//! answer link: parsed once here, whichever door it came through.
use crate::domain::ResponseCategory;

/// Shortest useful answer, in characters (a category alone explains nothing to the consumer).
pub const MIN_RESPONSE_CHARS: usize = 5;
/// Longest answer, in characters.
pub const MAX_RESPONSE_CHARS: usize = 5_000;
/// Longest reason for asking for more time.
pub const MAX_EXTENSION_REASON_CHARS: usize = 1_000;
/// Most attachments on one answer.
pub const MAX_RESPONSE_FILES: usize = 5;

/// Why an answer was refused; each maps to a form field and a message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseInvalid {
    Category,
    TextMissing,
    TextTooShort,
    TextTooLong,
    ReasonMissing,
    ReasonTooLong,
}

impl ResponseInvalid {
    /// The form field and the message key (under `company.errors`).
    pub fn field_and_key(self) -> (&'static str, &'static str) {
        match self {
            ResponseInvalid::Category => ("category", "company.errors.category"),
            ResponseInvalid::TextMissing => ("text", "company.errors.text_missing"),
            ResponseInvalid::TextTooShort => ("text", "company.errors.text_too_short"),
            ResponseInvalid::TextTooLong => ("text", "company.errors.text_too_long"),
            ResponseInvalid::ReasonMissing => ("reason", "company.errors.reason_missing"),
            ResponseInvalid::ReasonTooLong => ("reason", "company.errors.reason_too_long"),
        }
    }
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseText {
    pub category: ResponseCategory,
    pub text: String,
}

/// Drops control characters (keeping line breaks and tabs) and bidirectional overrides, so an
/// answer cannot reorder how the text around it is shown; trims the ends.
pub fn clean_text(raw: &str) -> String {
    raw.trim()
        .chars()
        .filter(|c| {
            (!c.is_control() || matches!(c, '\n' | '\t'))
                && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect::<String>()
        .replace("\r\n", "\n")
}

/// Parses the category code and the text of an answer.
pub fn parse(category: &str, text: &str) -> Result<ResponseText, ResponseInvalid> {
    let category = ResponseCategory::parse(category.trim()).ok_or(ResponseInvalid::Category)?;
    let text = clean_text(text);
    let n = text.chars().count();
    if n == 0 {
        return Err(ResponseInvalid::TextMissing);
    }
    if n < MIN_RESPONSE_CHARS {
        return Err(ResponseInvalid::TextTooShort);
    }
    if n > MAX_RESPONSE_CHARS {
        return Err(ResponseInvalid::TextTooLong);
    }
    Ok(ResponseText { category, text })
}

/// Parses the reason a company gives when it asks for more time.
pub fn parse_extension_reason(raw: &str) -> Result<String, ResponseInvalid> {
    let reason = clean_text(raw);
    let n = reason.chars().count();
    if n == 0 {
        return Err(ResponseInvalid::ReasonMissing);
    }
    if n > MAX_EXTENSION_REASON_CHARS {
        return Err(ResponseInvalid::ReasonTooLong);
    }
    Ok(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_needs_a_known_category_and_some_text() {
        let ok = parse(" refunded ", "  已全额退款 ¥25.00。\r\n谢谢 ").unwrap();
        assert_eq!(ok.category, ResponseCategory::Refunded);
        assert_eq!(ok.text, "已全额退款 ¥25.00。\n谢谢");
        assert_eq!(parse("fixed", "some text"), Err(ResponseInvalid::Category));
        assert_eq!(parse("", "some text"), Err(ResponseInvalid::Category));
        assert_eq!(
            parse("refunded", "  \n "),
            Err(ResponseInvalid::TextMissing)
        );
        assert_eq!(parse("refunded", "ok"), Err(ResponseInvalid::TextTooShort));
        let long = "退".repeat(MAX_RESPONSE_CHARS + 1);
        assert_eq!(parse("refunded", &long), Err(ResponseInvalid::TextTooLong));
        assert!(parse("refunded", &"退".repeat(MAX_RESPONSE_CHARS)).is_ok());
    }

    #[test]
    fn bidirectional_overrides_and_controls_are_dropped() {
        let t = parse("explained_no_change", "abc\u{202E}def\u{0007}ghi").unwrap();
        assert_eq!(t.text, "abcdefghi");
    }

    #[test]
    fn an_extension_needs_a_reason() {
        assert_eq!(
            parse_extension_reason("  "),
            Err(ResponseInvalid::ReasonMissing)
        );
        assert_eq!(
            parse_extension_reason(&"x".repeat(MAX_EXTENSION_REASON_CHARS + 1)),
            Err(ResponseInvalid::ReasonTooLong)
        );
        assert_eq!(
            parse_extension_reason(" 需要核查账单 ").unwrap(),
            "需要核查账单"
        );
    }

    #[test]
    fn every_error_points_at_a_field_and_a_message() {
        for e in [
            ResponseInvalid::Category,
            ResponseInvalid::TextMissing,
            ResponseInvalid::TextTooShort,
            ResponseInvalid::TextTooLong,
            ResponseInvalid::ReasonMissing,
            ResponseInvalid::ReasonTooLong,
        ] {
            let (field, key) = e.field_and_key();
            assert!(!field.is_empty() && key.starts_with("company.errors."));
        }
    }
}
