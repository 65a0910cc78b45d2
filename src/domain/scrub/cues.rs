//! Names without a trigger word: before an ID or phone in brackets, and a surname-led name
//! opening a sentence right before contact or ID data.
use super::names::{
    is_han, known_name_spans, COMPOUND_SURNAMES, NAME_STOP, NOT_NAME_WORDS, SURNAMES,
};
use super::*;

/// Words that, right after a name, show that contact or ID data follows (张伟，电话…).
const CONTACT_CUES: &[&str] = &[
    "电话",
    "电活",
    "手机",
    "手几",
    "身份证",
    "身分证",
    "证件",
    "sfz",
    "联系",
    "微信",
    "qq",
    "QQ",
    "tel",
    "Tel",
    "座机",
    "固话",
    "邮箱",
    "回电",
    "号码",
];
static CUES: LazyLock<Regex> = LazyLock::new(|| {
    let words: Vec<String> = CONTACT_CUES.iter().map(|w| regex::escape(w)).collect();
    re(&format!("{}|男|女", words.join("|")))
});

/// What may follow a signed name: closing words and the signer's role in brackets.
const SIGN_OFF: &[&str] = &[
    "敬上",
    "谨上",
    "谨启",
    "拜托了",
    "谢谢",
    "（机主）",
    "(机主)",
    "（本人）",
    "(本人)",
    "（户主）",
    "(户主)",
    "（投诉人）",
    "(投诉人)",
    "（消费者）",
    "(消费者)",
];

/// Where a sentence or a list item begins.
fn opener(c: char) -> bool {
    matches!(
        c,
        '。' | '！'
            | '？'
            | '!'
            | '?'
            | '；'
            | ';'
            | '\n'
            | '，'
            | ','
            | '、'
            | ' '
            | '\t'
            | ':'
            | '：'
    )
}

/// Names without a trigger: before an ID or phone in brackets (张伟（身份证…）), and a
/// surname-led name opening a sentence right before contact or ID data (张伟，电话…, 黄磊 138…).
/// Runs after the other passes, so "data follows" can also mean "a span was found there".
pub(super) fn names_before_ids(text: &str, found: &mut Vec<(PiiKind, Range<usize>)>) {
    found.extend(signature(text).map(|r| (PiiKind::Name, r)));
    // Without a span found or a cue word there is no data for a name to stand before.
    if !found.iter().any(|(k, _)| *k != PiiKind::Name) && !CUES.is_match(text) {
        return;
    }
    let data_at = |found: &Vec<(PiiKind, Range<usize>)>, pos: usize| {
        let rest = text[pos..].trim_start_matches([
            ' ', '，', ',', '：', ':', '。', '；', '\u{3000}', '\t', '\n', '\r',
        ]);
        let at = text.len() - rest.len();
        let gender =
            rest.starts_with(['男', '女']) && rest[3..].chars().next().is_none_or(|c| !is_han(c));
        gender
            || CONTACT_CUES.iter().any(|c| rest.starts_with(c))
            || found
                .iter()
                .any(|(k, r)| r.start == at && *k != PiiKind::Name)
    };
    let mut names = Vec::new();
    let mut prev: Option<char> = None;
    for (at, c) in text.char_indices() {
        let after = prev.replace(c);
        if matches!(c, '（' | '(') && data_at(found, at + c.len_utf8()) {
            names.extend(name_ending_at(text, at).map(|r| (PiiKind::Name, r)));
        }
        if !is_han(c) {
            continue;
        }
        let opens = after.is_none_or(opener)
            || (matches!(after, Some('人' | '是' | '叫'))
                && ["本人", "我是", "我叫"]
                    .iter()
                    .any(|t| text[..at].ends_with(t)));
        if opens
            && (SURNAMES.contains(c) || COMPOUND_SURNAMES.iter().any(|s| text[at..].starts_with(s)))
        {
            names.extend(
                name_opening_at(text, at, |pos| data_at(found, pos)).map(|r| (PiiKind::Name, r)),
            );
        }
    }
    found.extend(names);
}

/// The 2–4 character name that ends at `end` (after 机主, 我母亲, 用户 …): compound surname
/// first, then surname + two, then surname + one.
fn name_ending_at(text: &str, end: usize) -> Option<Range<usize>> {
    let end = text[..end].trim_end_matches([' ', '\u{3000}']).len();
    let tail: Vec<(usize, char)> = text[..end]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_han(*c))
        .take(4)
        .collect();
    let pick = |n: usize| tail.get(n - 1).map(|(i, _)| *i..end);
    let compound = |n: usize| {
        pick(n).is_some_and(|r| {
            COMPOUND_SURNAMES
                .iter()
                .any(|c| text[r.clone()].starts_with(c))
        })
    };
    let surname =
        |n: usize| pick(n).is_some_and(|r| text[r].starts_with(|c: char| SURNAMES.contains(c)));
    let n = [(4, true), (3, true), (3, false), (2, false)]
        .into_iter()
        .find(|&(n, two)| if two { compound(n) } else { surname(n) })
        .map(|(n, _)| n)?;
    let r = pick(n)?;
    let name = &text[r.clone()];
    let opening: String = name.chars().take(2).collect();
    (!NOT_NAME_WORDS.contains(&opening.as_str()) && !name.chars().any(|c| NAME_STOP.contains(c)))
        .then_some(r)
}

/// A name of 2–3 characters (4 with a compound surname) at `at`, when `data_follows` holds
/// right after it.
fn name_opening_at(
    text: &str,
    at: usize,
    data_follows: impl Fn(usize) -> bool,
) -> Option<Range<usize>> {
    let run: Vec<(usize, char)> = text[at..]
        .char_indices()
        .take_while(|(_, c)| is_han(*c))
        .take(5)
        .collect();
    let compound = COMPOUND_SURNAMES.iter().any(|c| text[at..].starts_with(c));
    let lengths: &[usize] = if compound { &[4, 3] } else { &[3, 2] };
    for &n in lengths {
        let Some(&(i, c)) = run.get(n - 1) else {
            continue;
        };
        let end = at + i + c.len_utf8();
        let name = &text[at..end];
        let opening: String = name.chars().take(2).collect();
        if NOT_NAME_WORDS.contains(&opening.as_str())
            || name.chars().skip(1).any(|c| NAME_STOP.contains(c))
        {
            continue;
        }
        if data_follows(end) {
            return Some(at..end);
        }
    }
    None
}

/// A name signed at the very end (……请尽快处理。王芳, ……谢谢！\n张伟 2024.3.15): the last
/// Han run of the text, after punctuation or a line break, 2–3 characters (4 with a compound
/// surname) led by a surname, with only punctuation or a date after it.
fn signature(text: &str) -> Option<Range<usize>> {
    let trailing = |t: &str| -> usize {
        t.trim_end_matches(|c: char| {
            c.is_whitespace() || c.is_ascii_digit() || "。！!？?.，,-/:：年月日号".contains(c)
        })
        .len()
    };
    let mut tail = &text[..trailing(text)];
    // 张伟 敬上, 李娜（机主）: a closing word or a role in brackets after the name.
    while let Some(cut) = SIGN_OFF.iter().find_map(|w| tail.strip_suffix(w)) {
        tail = &cut[..trailing(cut)];
    }
    let start = tail
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_han(*c))
        .last()
        .map(|(i, _)| i)?;
    let name = &tail[start..];
    let count = name.chars().count();
    let compound = COMPOUND_SURNAMES.iter().any(|c| name.starts_with(c));
    let before = tail[..start].chars().next_back();
    let opening: String = name.chars().take(2).collect();
    let ok = before.is_some_and(|c| opener(c) || matches!(c, '—' | '-' | '~' | '～'))
        && (if compound { 3..=4 } else { 2..=3 }).contains(&count)
        && (compound || name.starts_with(|c: char| SURNAMES.contains(c)))
        && !NOT_NAME_WORDS.contains(&opening.as_str())
        && !name.chars().skip(1).any(|c| NAME_STOP.contains(c));
    ok.then(|| start..start + name.len())
}

/// Whether `name` reads as a surname-led Chinese name of 2–3 characters (3–4 with a compound
/// surname) that is not a common word.
fn looks_like_name(name: &str) -> bool {
    let count = name.chars().count();
    let compound = COMPOUND_SURNAMES.iter().any(|c| name.starts_with(c));
    let opening: String = name.chars().take(2).collect();
    name.chars().all(is_han)
        && (if compound { 3..=4 } else { 2..=3 }).contains(&count)
        && (compound || name.starts_with(|c: char| SURNAMES.contains(c)))
        && !NOT_NAME_WORDS.contains(&opening.as_str())
        && !name.chars().skip(1).any(|c| NAME_STOP.contains(c))
}

/// After the other passes: a Chinese name in brackets right after a found name (Zhong Yuzhen
/// (钟玉珍)); a line holding only a name, after an optional speaker label (我：聂文涛 in a
/// quoted chat, a name signed on its own line); then every other occurrence of a name found
/// anywhere (a name given once with a trigger and signed again at the end).
pub(super) fn names_after_names(text: &str, found: &mut Vec<(PiiKind, Range<usize>)>) {
    let mut extra = Vec::new();
    for (_, r) in found.iter().filter(|(k, _)| *k == PiiKind::Name) {
        let rest = text[r.end..].trim_start_matches([' ', '\u{3000}']);
        let Some(inner) = rest.strip_prefix(['（', '(']) else {
            continue;
        };
        let at = text.len() - inner.len();
        let len: usize = inner
            .chars()
            .take_while(|c| is_han(*c))
            .map(char::len_utf8)
            .sum();
        if looks_like_name(&inner[..len]) {
            extra.push((PiiKind::Name, at..at + len));
        }
    }
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let label = ["我：", "我:", "答：", "答:"]
            .iter()
            .find(|l| content.trim_start().starts_with(**l))
            .map_or(0, |l| l.len());
        let lead = content.len() - content.trim_start().len();
        let body = content[lead + label..].trim();
        if looks_like_name(body) {
            let at = line_start + lead + label + content[lead + label..].find(body).unwrap_or(0);
            extra.push((PiiKind::Name, at..at + body.len()));
        }
        line_start += line.len();
    }
    found.extend(extra);
    let mut names: Vec<&str> = found
        .iter()
        .filter(|(k, _)| *k == PiiKind::Name)
        .map(|(_, r)| &text[r.clone()])
        .filter(|n| {
            (n.chars().count() >= 2 && n.chars().all(is_han)) || (n.is_ascii() && n.contains(' '))
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut again = Vec::new();
    known_name_spans(text, &names, &mut again);
    found.extend(again);
}
