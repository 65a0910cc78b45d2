//! Digit runs: which are ID numbers, bank cards or phone numbers (check digits, dates, Luhn),
//! and numbers announced by a keyword.
use super::*;

/// Digits written in groups the way cards and IDs are (6222 0212 3456 7890 123, 110105 19491231
/// 002X): a first group of 4–6, middle groups of 3–8, a last group of 1–6. Dates (2026-10-01)
/// and lists of short numbers fail this; phones are caught on their own.
pub(super) fn card_like_groups(s: &str) -> bool {
    let groups: Vec<usize> = s.split([' ', '-']).map(str::len).collect();
    let Some((first, rest)) = groups.split_first() else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return false;
    };
    (4..=6).contains(first) && middle.iter().all(|g| (3..=8).contains(g)) && (1..=6).contains(last)
}

/// Kind of a bare digit string (or 17 digits + X), or `None` when it is too short to be personal.
pub(super) fn classify_digits(s: &str) -> Option<PiiKind> {
    let b = s.as_bytes();
    let n = b.len();
    if n == 18 && b[..17].iter().all(u8::is_ascii_digit) && matches!(b[17], b'X' | b'x') {
        return Some(PiiKind::IdCard);
    }
    if n < 12 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let card = (16..=19).contains(&n) && luhn_ok(b);
    Some(match n {
        18 if id18_date_ok(b) && (id18_check_ok(b) || !card) => PiiKind::IdCard,
        15 if id15_date_ok(b) => PiiKind::IdCard,
        _ if card => PiiKind::BankCard,
        _ => PiiKind::OrderOrAccount,
    })
}

fn num(b: &[u8]) -> u32 {
    b.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
}

fn date_ok(year: u32, month: u32, day: u32) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// Region code starts 1–8 and the birth date (digits 7–14) is a real date 1900–2099.
pub(super) fn id18_date_ok(b: &[u8]) -> bool {
    let year = num(&b[6..10]);
    (b'1'..=b'8').contains(&b[0])
        && (1900..=2099).contains(&year)
        && date_ok(year, num(&b[10..12]), num(&b[12..14]))
}

fn id15_date_ok(b: &[u8]) -> bool {
    (b'1'..=b'8').contains(&b[0]) && date_ok(1900 + num(&b[6..8]), num(&b[8..10]), num(&b[10..12]))
}

/// GB 11643-1999 check digit (weights 2^(17-i) mod 11).
pub(super) fn id18_check_ok(b: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let expected = b"10X98765432"[(sum % 11) as usize];
    b[17].to_ascii_uppercase() == expected
}

pub(super) fn luhn_ok(b: &[u8]) -> bool {
    let sum: u32 = b
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Alphanumeric ids (≥ 6 characters, at least one digit) after 订单号, account no. and the like;
/// the keyword itself stays so the reader still knows what was removed.
pub(super) fn keyword_ids(text: &str, found: &mut Vec<(PiiKind, Range<usize>)>) {
    for caps in KEYWORD_ID.captures_iter(text) {
        let (Some(keyword), Some(id)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let english = keyword
            .as_str()
            .starts_with(|c: char| c.is_ascii_alphabetic());
        let glued = text[..keyword.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphabetic());
        let id_str = id.as_str();
        if (english && glued) || id_str.len() < 6 || !id_str.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        found.push((PiiKind::OrderOrAccount, id.range()));
    }
}
