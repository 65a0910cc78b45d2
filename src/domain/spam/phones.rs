//! Phone numbers as people write them: full-width digits folded, digit groups read as whole
//! runs, so a run inside an ID card, bank card, order number or IMEI is not a phone number.
use std::collections::HashSet;

/// Full-width ASCII (１３８, ＋８６, ｗｗｗ) and the many dashes folded to plain ASCII, so one
/// rule sees every way people type a number.
pub(super) fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\t' => ' ',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            _ => c,
        })
        .collect()
}

/// Distinct phone numbers in a text, by digits: mobiles and landlines of people, and the
/// 400/800 hotlines of companies. (Short service numbers such as 10086 or 95588 are not counted.)
#[derive(Debug, Default, PartialEq)]
pub(super) struct Phones {
    pub(super) personal: HashSet<String>,
    pub(super) hotlines: HashSet<String>,
}

enum Number {
    Personal(String),
    Hotline(String),
}

/// What a whole run of digits is, if it is a phone number; a run inside a longer number is not.
fn classify(digits: &str) -> Option<Number> {
    let national = match digits.len() {
        13 if digits.starts_with("86") => &digits[2..],
        15 if digits.starts_with("0086") => &digits[4..],
        _ => digits,
    };
    let b = national.as_bytes();
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = b.first() == Some(&b'0')
        && b.len() >= 2
        && match b[1] {
            b'1' | b'2' => b.len() == 11,
            b'3'..=b'9' => b.len() == 11 || b.len() == 12,
            _ => false,
        };
    if mobile || landline {
        Some(Number::Personal(national.to_string()))
    } else if b.len() == 10 && (national.starts_with("400") || national.starts_with("800")) {
        Some(Number::Hotline(national.to_string()))
    } else {
        None
    }
}

/// A token of a number: letters and digits (`T3212`, `11010519491231002X`, `+86`, `1234`).
struct Token<'a> {
    text: &'a str,
    /// Joined to the previous token by a bare hyphen, as parts of one code are.
    hyphen_before: bool,
}

/// Splits text into spans of tokens joined by short runs of spaces or hyphens: `138 1234 5678`,
/// `+86-138-1234-5678`, `6222 0212 3456 7890 123` are one span each.
fn spans(text: &str) -> Vec<Vec<Token<'_>>> {
    let is_tok = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut span: Vec<Token> = Vec::new();
    let mut i = 0;
    let mut hyphen_before = false;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if is_tok(c) || (c == '+' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            let start = i;
            i += 1;
            while i < bytes.len() && is_tok(bytes[i] as char) {
                i += 1;
            }
            span.push(Token {
                text: &text[start..i],
                hyphen_before,
            });
            let sep_start = i;
            while i < bytes.len() && matches!(bytes[i], b' ' | b'-') && i - sep_start < 3 {
                i += 1;
            }
            let continues = i > sep_start
                && bytes
                    .get(i)
                    .is_some_and(|b| is_tok(*b as char) || *b == b'+');
            if continues {
                hyphen_before = &text[sep_start..i] == "-";
            } else {
                out.push(std::mem::take(&mut span));
                hyphen_before = false;
            }
        } else {
            i += 1;
        }
    }
    if !span.is_empty() {
        out.push(span);
    }
    out
}

pub(super) fn phone_numbers(text: &str) -> Phones {
    let mut found = Phones::default();
    for span in spans(text) {
        // Tokens with letters (order numbers, ID cards ending in X, handles) are not phone
        // numbers, nor are digit groups hyphenated onto them (`T2023-0815`).
        let mut group: Vec<&str> = Vec::new();
        for (i, token) in span.iter().enumerate() {
            let digits = token.text.trim_start_matches('+');
            let coded = digits.bytes().any(|b| !b.is_ascii_digit())
                || (token.hyphen_before && i > 0 && has_letter(span[i - 1].text))
                || span
                    .get(i + 1)
                    .is_some_and(|n| n.hyphen_before && has_letter(n.text));
            if coded {
                collect(&group, &mut found);
                group.clear();
            } else {
                group.push(digits);
            }
        }
        collect(&group, &mut found);
    }
    found
}

fn has_letter(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Reads a run of digit groups as consecutive phone numbers (`138 1234 5678`, a list of
/// numbers); if the whole run is not made of phone numbers (a grouped bank card, an ID card,
/// a phone followed by a count), only groups that are a phone number on their own count.
fn collect(groups: &[&str], found: &mut Phones) {
    let mut numbers = Vec::new();
    let mut acc = String::new();
    for g in groups {
        acc.push_str(g);
        if let Some(n) = classify(&acc) {
            numbers.push(n);
            acc.clear();
        }
    }
    if !acc.is_empty() {
        numbers = groups.iter().filter_map(|g| classify(g)).collect();
    }
    for n in numbers {
        match n {
            Number::Personal(d) => found.personal.insert(d),
            Number::Hotline(d) => found.hotlines.insert(d),
        };
    }
}
