//! PII scrubber for the `regulator` privacy tier: a consenting consumer's narrative is shown at
//! record level only with personal data replaced by placeholders (contract.md, "Privacy tiers").
//! The list of what is removed and what is kept is in docs/api.md ("What the scrubber removes").
//!
//! Choices that trade recall against precision (over-scrubbing is the safer error):
//! - Full-width forms (１３８, ＱＱ, the ideographic space) are folded to ASCII first, so every
//!   rule below sees them the same way; the placeholders replace what was typed.
//! - Any bare run of 12 or more ASCII digits is personal (phones, IDs, cards, orders, waybills);
//!   the kind only picks the label. 18 digits with a plausible birth date are an ID even when the
//!   GB 11643 check digit is wrong, since a mistyped ID still identifies someone; the check digit
//!   only decides between [ID] and a Luhn-valid [CARD]. 17 digits + X are always an ID. 15
//!   digits with a valid date are an old ID. 16–19 digits passing Luhn are a [CARD], the rest
//!   [NUMBER]. Digits written in groups (6222 0212 3456 7890 123) are judged the same way.
//!   Bare runs of 9–11 digits (QQ numbers, accounts) and letter-prefixed ids with 7 or more
//!   digits (T3212…, E12345678) are [NUMBER] too, unless a unit (元, GB) follows or they are a
//!   400/800 company number.
//! - A keyword names the kind of what follows it (QQ, 微信, 订单, 交易号, 账号, 护照, IMEI,
//!   电话 …, see `ids.rs`); the keyword stays.
//! - Short numbers stay: hotlines (10086, 95588, 12315), 400/800 company numbers, prices, dates,
//!   counts. A mobile is 1[3-9] + 9 digits in any grouping; a landline needs an area code.
//! - Addresses from the road, estate or village down to the room are [ADDRESS]; the province,
//!   city and district before them stay (`address.rs`).
//! - Names are taken after a trigger (我叫, 我是, 姓名, 本人, 联系人, 机主, 投诉人, kinship words,
//!   my name is, I'm), before an ID in brackets, and at the start of a sentence when contact or ID
//!   data follows; without a colon they must start with a common surname (`names.rs`).
//! - Overlapping spans are merged, so nothing leaks from a partial overlap; the merged span is
//!   labelled with the kind of its longest (then earliest) member.
//! - Not handled: names without any cue (pass them as `known_names`); lower-case English names;
//!   surname + honorific alone (王女士), which is not identifying.
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

mod address;
mod birth;
mod cues;
mod digits;
mod english;
mod ids;
mod names;
mod normalize;
mod shape;

use digits::{card_like_groups, classify_digits, loose_identifier};
use names::{known_name_spans, triggered_names};
use shape::Shape;

/// What kind of personal data a span was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PiiKind {
    Phone,
    IdCard,
    Email,
    BankCard,
    /// A long number whose kind no keyword told.
    OrderOrAccount,
    Name,
    Plate,
    Qq,
    WeChat,
    Address,
    Order,
    Account,
    Transaction,
    Passport,
    Imei,
    BirthDate,
}

impl PiiKind {
    /// The language-neutral placeholder that replaces a span of this kind.
    pub fn placeholder(self) -> &'static str {
        match self {
            PiiKind::Phone => "[PHONE]",
            PiiKind::IdCard => "[ID]",
            PiiKind::Email => "[EMAIL]",
            PiiKind::BankCard => "[CARD]",
            PiiKind::OrderOrAccount => "[NUMBER]",
            PiiKind::Name => "[NAME]",
            PiiKind::Plate => "[PLATE]",
            PiiKind::Qq => "[QQ]",
            PiiKind::WeChat => "[WECHAT]",
            PiiKind::Address => "[ADDRESS]",
            PiiKind::Order => "[ORDER]",
            PiiKind::Account => "[ACCOUNT]",
            PiiKind::Transaction => "[TXN]",
            PiiKind::Passport => "[PASSPORT]",
            PiiKind::Imei => "[IMEI]",
            PiiKind::BirthDate => "[BIRTHDATE]",
        }
    }

    /// Tie-break when two spans are equally long: the more specific label wins.
    fn rank(self) -> u8 {
        match self {
            PiiKind::Email => 0,
            PiiKind::IdCard => 1,
            PiiKind::Passport => 2,
            PiiKind::Imei => 3,
            PiiKind::Phone => 4,
            PiiKind::Qq => 5,
            PiiKind::WeChat => 6,
            PiiKind::Plate => 7,
            PiiKind::Transaction => 8,
            PiiKind::Order => 9,
            PiiKind::Account => 10,
            PiiKind::Address => 11,
            PiiKind::Name => 12,
            PiiKind::BankCard => 13,
            PiiKind::OrderOrAccount => 14,
            PiiKind::BirthDate => 15,
        }
    }
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex")
}

// `[0-9]`, never `\d`: `\d` is Unicode and would take other scripts' digits.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}",
    )
});
/// Addresses written to dodge harvesters: name (at) domain, name at domain dot com.
static EMAIL_SPELT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"[A-Za-z0-9._%+-]+[ \t]*(?:\(at\)|（at）|\[at\]|\{at\}| at |（艾特）|艾特)[ \t]*[A-Za-z0-9-]+(?:(?:\.|[ \t]*(?:\(dot\)|（dot）|\[dot\]| dot )[ \t]*)[A-Za-z0-9-]+)*(?:\.|[ \t]*(?:\(dot\)|（dot）|\[dot\]| dot )[ \t]*)[A-Za-z]{2,}",
    )
});
/// Hong Kong identity card numbers: K538217(4).
static HKID: LazyLock<Regex> = LazyLock::new(|| re(r"[A-Z]{1,2}[0-9]{6}[(（][0-9A][)）]"));
/// Hong Kong and Macau (+852/+853, 8 digits) and Taiwan (+886 9xx xxx xxx) mobiles.
static MOBILE_HK_MO_TW: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\+?(?:00)?(?:85[23][ -]?[2-9][0-9]{3}[ -]?[0-9]{4}|886[ -]?9[0-9]{2}[ -]?[0-9]{3}[ -]?[0-9]{3})",
    )
});
/// 11 digits in any grouping (138 0013 8000, 1380 013 8000, 139.1234.5678).
static MOBILE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:(?:\+|00)?86[ -]?)?1[3-9](?:[ .-]{0,3}[0-9]){9}"));
static LANDLINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:(?:(?:\+|00)?86[ -]?)?(?:0(?:10|2[0-9]|[3-9][0-9]{2})|[(（]0(?:10|2[0-9]|[3-9][0-9]{2})[)）])|(?:\+|00)86[ -]?(?:10|2[0-9]|[3-9][0-9]{2}))(?:[ -]|—)?[1-9][0-9]{2,3}[ -]?[0-9]{4}(?:(?:-|转分机|转|分机|ext\.? ?|x)[0-9]{1,5})?",
    )
});
static GROUPED: LazyLock<Regex> = LazyLock::new(|| re(r"[0-9]+(?:(?:[ -]|  )[0-9]+)+[Xx]?"));
static PLATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Za-hj-np-z](?:[·•・. -]?[A-HJ-NP-Za-hj-np-z0-9]{5,6}|[A-HJ-NP-Za-hj-np-z0-9][·•・.][A-HJ-NP-Za-hj-np-z0-9]{4,5}|[·•・. -]?[A-HJ-NP-Za-hj-np-z0-9]{4}[挂学警港澳])",
    )
});

/// Replaces personal data in free text with placeholders. `known_names` are names the consumer
/// gave (e.g. contact_name) which are removed wherever they occur.
pub fn scrub(text: &str, known_names: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (kind, range) in find_pii(text, known_names) {
        out.push_str(&text[last..range.start]);
        out.push_str(kind.placeholder());
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Same, also returning what was found (kinds and byte ranges in the input), for tests and
/// audit counts. Ranges are sorted and never overlap.
pub fn find_pii(text: &str, known_names: &[&str]) -> Vec<(PiiKind, Range<usize>)> {
    let shape = Shape::of(text);
    match shape
        .foldable
        .then(|| normalize::Folded::of(text))
        .flatten()
    {
        None => find_with(text, known_names, &shape),
        Some(folded) => {
            let mut found = find_with(&folded.text, known_names, &Shape::of(&folded.text));
            for (_, r) in &mut found {
                *r = folded.original(r.start)..folded.original(r.end);
            }
            // Known names are matched as typed, too (a full-width name stays full-width).
            let mut direct = Vec::new();
            known_name_spans(text, known_names, &mut direct);
            found.extend(direct);
            merge(found)
        }
    }
}

/// [`find_pii`] running only the passes `shape` allows.
fn find_with(text: &str, known_names: &[&str], shape: &Shape) -> Vec<(PiiKind, Range<usize>)> {
    let mut found = Vec::new();
    if shape.at_sign {
        found.extend(EMAIL.find_iter(text).map(|m| (PiiKind::Email, m.range())));
    }
    // Each spelt form holds "at" or 艾特.
    if shape.letter && (text.contains("at") || text.contains("艾特")) {
        found.extend(
            EMAIL_SPELT
                .find_iter(text)
                .map(|m| (PiiKind::Email, m.range())),
        );
    }
    if shape.digit {
        birth::birth_dates(text, &mut found);
        if shape.letter && text.contains(['(', '（']) {
            found.extend(HKID.find_iter(text).map(|m| (PiiKind::IdCard, m.range())));
        }
    }
    if shape.long_numbers {
        if text.contains("85") || text.contains("886") {
            for r in isolated_matches(&MOBILE_HK_MO_TW, text) {
                found.push((PiiKind::Phone, r));
            }
        }
        for r in isolated_matches(&MOBILE, text).chain(isolated_matches(&LANDLINE, text)) {
            found.push((PiiKind::Phone, r));
        }
        for m in GROUPED
            .find_iter(text)
            .filter(|m| isolated(text, &m.range()) && card_like_groups(m.as_str()))
        {
            let digits: String = m
                .as_str()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            found.extend(classify_digits(&digits).map(|k| (k, m.range())));
        }
        for r in alnum_runs(text, false).filter(|r| r.len() >= 12) {
            found.extend(classify_digits(&text[r.clone()]).map(|k| (k, r)));
        }
    }
    if shape.dense_id || shape.id_run {
        for r in alnum_runs(text, true).filter(|r| r.len() >= 6) {
            if loose_identifier(text, r.clone()) || underscored_handle(&text[r.clone()]) {
                found.push((PiiKind::OrderOrAccount, r));
            }
        }
    }
    if shape.digit || shape.id_run {
        ids::keyword_ids(text, shape.letter, &mut found);
    }
    if shape.digit && shape.letter {
        for r in isolated_matches(&PLATE, text) {
            if text[r.clone()].chars().any(|c| c.is_ascii_digit()) {
                found.push((PiiKind::Plate, r));
            }
        }
    }
    address::addresses(text, shape.wordy, &mut found);
    triggered_names(text, shape.letter, shape.wordy, &mut found);
    if shape.wordy {
        english::english_names(text, &mut found);
    }
    known_name_spans(text, known_names, &mut found);
    cues::names_before_ids(text, &mut found);
    cues::names_after_names(text, &mut found);
    merge(found)
}

/// A handle joined by `_` with letters and digits (anshan_son_1987, lucky_88a): user names of
/// WeChat, games and forums; Chinese prose has no other use for the underscore.
fn underscored_handle(token: &str) -> bool {
    token.contains('_')
        && token.len() >= 6
        && token.bytes().any(|b| b.is_ascii_digit())
        && token.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Maximal runs of `[A-Za-z0-9]`; with `joined`, runs may also hold single `_` or `-` between
/// alphanumerics (TB-12345678-123). A byte scan: far cheaper than a regex iterator per token.
fn alnum_runs(text: &str, joined: bool) -> impl Iterator<Item = Range<usize>> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() {
            if b[i].is_ascii_alphanumeric() {
                i += 1;
            } else if joined
                && matches!(b[i], b'_' | b'-')
                && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
            {
                i += 2;
            } else {
                break;
            }
        }
        Some(start..i)
    })
}

/// Matches not glued to other ASCII letters or digits. On a miss the search restarts one
/// character later, which stays linear because every pattern used here has a bounded length.
fn isolated_matches<'a>(re: &'a Regex, text: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos <= text.len() {
            let m = re.find_at(text, pos)?;
            if isolated(text, &m.range()) && !m.range().is_empty() {
                pos = m.end();
                return Some(m.range());
            }
            pos = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        }
        None
    })
}

fn isolated(text: &str, r: &Range<usize>) -> bool {
    let before = text[..r.start].chars().next_back();
    let after = text[r.end..].chars().next();
    !before.is_some_and(|c| c.is_ascii_alphanumeric())
        && !after.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Merges overlapping spans into one, labelled by its longest (then earliest, then most
/// specific) member, so no part of a partially overlapped span is left in the clear.
fn merge(mut found: Vec<(PiiKind, Range<usize>)>) -> Vec<(PiiKind, Range<usize>)> {
    found.retain(|(_, r)| !r.is_empty());
    found.sort_by(|a, b| {
        a.1.start
            .cmp(&b.1.start)
            .then(b.1.len().cmp(&a.1.len()))
            .then(a.0.rank().cmp(&b.0.rank()))
    });
    let mut merged: Vec<(PiiKind, Range<usize>)> = Vec::new();
    let mut best_len = 0;
    for (kind, r) in found {
        match merged.last_mut() {
            Some((last_kind, last)) if r.start < last.end => {
                if r.len() > best_len {
                    best_len = r.len();
                    *last_kind = kind;
                }
                last.end = last.end.max(r.end);
            }
            _ => {
                best_len = r.len();
                merged.push((kind, r));
            }
        }
    }
    merged
}

#[cfg(test)]
mod tests;
