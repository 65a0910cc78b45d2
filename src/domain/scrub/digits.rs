//! Digit runs: which are ID numbers, bank cards or phone numbers (check digits, dates, Luhn),
//! and numbers announced by a keyword.
use super::*;

/// Digits written in groups the way cards and IDs are (6222 0212 3456 7890 123, 110105 19491231
/// 002X): a first group of 4–6, middle groups of 3–8, a last group of 1–6. Dates (2026-10-01)
/// and lists of short numbers fail this; phones are caught on their own.
pub(super) fn card_like_groups(s: &str) -> bool {
    // Groups split by two spaces (6222  0285  1674) only when every gap is two spaces: a number
    // followed by two spaces and a price (138 0013 8000  3.5) is two things.
    if s.contains("  ") && s.replace("  ", "").contains([' ', '-']) {
        return false;
    }
    let groups: Vec<usize> = s
        .split([' ', '-'])
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
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

/// Units that make a number a quantity, not an id (59元, 100000000次, 20GB).
const QUANTITY_AFTER: &str = "元块万亿千百次个人条张字位分秒年月日天小岁斤米兆角台部件笔期倍%";
const QUANTITY_SUFFIX: &[&str] = &[
    "mb", "gb", "kb", "tb", "m", "g", "k", "mah", "w", "hz", "mhz", "ghz", "p", "fps", "kbps",
    "mbps", "ml",
];

/// The looser id rules for a run of `[A-Za-z0-9]` with inner `_`/`-` at `r`: 9–11 bare digits
/// (QQ numbers, accounts), or letters with 7+ digits (T32120240315, E12345678, TB-12345678-123).
/// Quantities (a unit or decimal point after, a currency sign before) and 400/800 company
/// numbers stay.
pub(super) fn loose_identifier(text: &str, r: Range<usize>) -> bool {
    let token = &text[r.clone()];
    let before = text[..r.start].chars().next_back();
    let after = text[r.end..].trim_start_matches(' ').chars().next();
    if before.is_some_and(|c| "¥$￥.".contains(c))
        || after.is_some_and(|c| QUANTITY_AFTER.contains(c))
        || (text[r.end..].starts_with('.')
            && text[r.end + 1..].starts_with(|c: char| c.is_ascii_digit()))
    {
        return false;
    }
    let digits = token.bytes().filter(u8::is_ascii_digit).count();
    let letters = token.bytes().filter(u8::is_ascii_alphabetic).count();
    if letters == 0 {
        let hotline = digits == 10 && (token.starts_with("400") || token.starts_with("800"));
        return digits == token.len() && (9..=11).contains(&digits) && !hotline;
    }
    let suffix = token.trim_start_matches(|c: char| c.is_ascii_digit());
    let quantity =
        suffix.len() == letters && QUANTITY_SUFFIX.contains(&suffix.to_ascii_lowercase().as_str());
    digits >= 7 && token.len() >= 8 && !quantity
}

/// Numbers spelt in Chinese numerals (一五零一二三四五六七八): 7 or more in a row.
pub(super) fn chinese_numeral_numbers(text: &str, found: &mut Vec<(PiiKind, Range<usize>)>) {
    // (start, numerals so far, end of the last numeral)
    let mut run: Option<(usize, usize, usize)> = None;
    let mut flush = |run: &mut Option<(usize, usize, usize)>| {
        if let Some((start, count, end)) = run.take() {
            if count >= 7 {
                let kind = if count == 11 && text[start..].starts_with('一') {
                    PiiKind::Phone
                } else {
                    PiiKind::OrderOrAccount
                };
                found.push((kind, start..end));
            }
        }
    };
    let mut prev_space = false;
    for (at, c) in text.char_indices() {
        if matches!(
            c,
            '〇' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '幺'
        ) {
            let end = at + c.len_utf8();
            match &mut run {
                Some((_, count, last)) => {
                    *count += 1;
                    *last = end;
                }
                None => run = Some((at, 1, end)),
            }
            prev_space = false;
        } else if c == ' ' && run.is_some() && !prev_space {
            // 一 三 二 零 …: numerals spaced one by one stay one run.
            prev_space = true;
        } else {
            prev_space = false;
            flush(&mut run);
        }
    }
    flush(&mut run);
}
