//! Names in English prose besides "my name is" and "I'm" (names.rs): after Mr/Ms/Mrs/Dr, after
//! form labels (From:, Complainant:, Guardian:, Account holder), after a relative ("my father
//! Lin Guoqiang", "his son, Daniel Xu"), "I, Rachel Ouyang, hereby…", a name closing the text
//! after Thanks/Regards or a dash, and a signature line of two or three capitalised words.
use super::names::{chinese_name_at, ends_cleanly, english_name_at, is_han};
use super::*;

static HONORIFIC: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u:\b)(?:Mr|Mrs|Ms|Miss|Mdm|Madam|Dr)\.?[ \t]+"));
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?m)(?:(?:^|[ \t(])(?:From|Complainant|Consumer|Applicant|Subscriber|Account holder|",
        r"Cardholder|Card holder|Guardian|Parent|Signed by|Signed|Submitted by|Written by|Owner|",
        r"Client|Customer|Holder|Contact person)[ \t]*[:：]|(?i:account holder|main holder|",
        r"card holder|real name(?: is)?|from the desk of|on behalf of)|(?:^|[,，;；][ \t]*)(?i:name))",
        r"[ \t]*"
    ))
});
static KIN: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i:(?-u:\b)(?:(?:my|his|her|our)[ \t]+(?:elderly[ \t]+|late[ \t]+|little[ \t]+)?)?",
        r"(?:son|daughter|husband|wife|father|mother|dad|mom|mum|grandmother|grandfather|",
        r"grandma|grandpa|granny|brother|sister|guardian|uncle|aunt|landlord|tenant|friend|",
        r"colleague))(?:[ \t]*,[ \t]*|[ \t]+)"
    ))
});
static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:(?-u:\b)(?:Thanks|Thank you|Regards|Best regards|Best|Sincerely|Yours|Cheers)[,.!]?|—{1,2}|--?)[ \t\n]*",
    )
});
static I_COMMA: LazyLock<Regex> = LazyLock::new(|| re(r"(?-u:\b)I,[ \t]+"));

/// Runs the English name rules on text with some English in it.
pub(super) fn english_names(text: &str, found: &mut Vec<(PiiKind, Range<usize>)>) {
    for m in HONORIFIC.find_iter(text) {
        found.extend(english_name_at(text, m.end()).map(|r| (PiiKind::Name, r)));
    }
    for m in LABEL.find_iter(text) {
        let name = if text[m.end()..].starts_with(is_han) {
            chinese_name_at(text, m.end(), false, false).filter(|r| ends_cleanly(text, r.end))
        } else {
            english_name_at(text, m.end())
        };
        found.extend(name.map(|r| (PiiKind::Name, r)));
    }
    for m in KIN.find_iter(text) {
        // Without a comma the relative must be "my/his/her …" (my father Chen Guoliang).
        let lower = m.as_str().to_ascii_lowercase();
        let owned = lower.contains(',')
            || ["my", "his", "her", "our"]
                .iter()
                .any(|p| lower.starts_with(p));
        if owned {
            found.extend(full_name_at(text, m.end()).map(|r| (PiiKind::Name, r)));
        }
    }
    for m in SIGN_OFF.find_iter(text) {
        // "Thanks, Jessica Chen." / "— Lucas Moreau" closing the text.
        let closing = |r: &Range<usize>| {
            text[r.end..]
                .trim_end_matches(|c: char| c.is_whitespace() || ".!。！".contains(c))
                .is_empty()
        };
        found.extend(
            full_name_at(text, m.end())
                .filter(closing)
                .map(|r| (PiiKind::Name, r)),
        );
    }
    for m in I_COMMA.find_iter(text) {
        found.extend(
            full_name_at(text, m.end())
                .filter(|r| text[r.end..].starts_with(','))
                .map(|r| (PiiKind::Name, r)),
        );
    }
    found.extend(signature_line(text).map(|r| (PiiKind::Name, r)));
}

/// Two or three capitalised words.
fn full_name_at(text: &str, start: usize) -> Option<Range<usize>> {
    english_name_at(text, start).filter(|r| (2..=3).contains(&text[r.clone()].split(' ').count()))
}

/// The last line of the text when it is only two or three capitalised words ("Oliver Grant").
fn signature_line(text: &str) -> Option<Range<usize>> {
    let body = text.trim_end();
    let start = body.rfind('\n').map_or(0, |i| i + 1);
    if start == 0 {
        return None;
    }
    let line = &body[start..];
    let lead = line.len() - line.trim_start().len();
    full_name_at(text, start + lead).filter(|r| r.end == body.len())
}
