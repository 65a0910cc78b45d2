//! Domain newtypes and pure rules. No I/O here; everything is unit-tested.
pub mod credit_code;
pub mod deadlines;
pub mod enums;
pub mod format;
pub mod money;
pub mod period;
pub mod scrub;
pub mod spam;
pub mod suppress;
pub mod tracking;
pub mod triage;
pub mod workdays;
pub mod workflow;

pub use enums::*;
pub use money::Money;
pub use tracking::TrackingCode;

/// Mainland mobile number: 11 digits `1[3-9]\d{9}` (spaces, dashes and a +86 prefix tolerated).
pub fn parse_mobile(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .unwrap_or(&digits);
    let b = digits.as_bytes();
    let ok = b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(|c| c.is_ascii_digit());
    ok.then(|| digits.to_string())
}

/// Normalises a company name or alias for matching: trimmed, inner whitespace collapsed,
/// case-folded, full-width ASCII folded to half-width.
pub fn normalize_name(input: &str) -> String {
    let folded: String = input
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_accept_separators_and_country_code() {
        assert_eq!(
            parse_mobile("138 0013 8000").as_deref(),
            Some("13800138000")
        );
        assert_eq!(
            parse_mobile("+86 139-0000-1111").as_deref(),
            Some("13900001111")
        );
        assert_eq!(parse_mobile("12800138000"), None);
        assert_eq!(parse_mobile("1380013800"), None);
        assert_eq!(parse_mobile("010-12345678"), None);
    }

    #[test]
    fn names_match_regardless_of_width_case_and_spacing() {
        assert_eq!(normalize_name("  Ｍｅｇａ  Cloud "), "mega cloud");
        assert_eq!(normalize_name("某视频平台"), "某视频平台");
    }
}
