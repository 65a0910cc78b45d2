//! Personal names: after a trigger phrase (Chinese and English), and names the caller knows.
use super::*;

fn is_han(c: char) -> bool {
    matches!(
        c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2EBEF}'
    )
}

pub(super) fn triggered_names(
    text: &str,
    ascii_letters: bool,
    found: &mut Vec<(PiiKind, Range<usize>)>,
) {
    for m in ZH_NAME_TRIGGER.find_iter(text) {
        let (start, colon, worded) = skip_separator(text, m.end());
        let weak = m.as_str() == "本人";
        // 名字 alone is a common noun (套餐名字); it needs 是/叫 or a colon.
        if m.as_str() == "名字" && !colon && !worded {
            continue;
        }
        let strong_colon = colon && !weak;
        found.extend(chinese_name_at(text, start, !strong_colon, weak).map(|r| (PiiKind::Name, r)));
    }
    if !ascii_letters {
        return;
    }
    for caps in EN_NAME_TRIGGER.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        if text[..m.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphabetic())
        {
            continue;
        }
        if caps.get(2).is_some() {
            let before = text[..m.start()].trim_end_matches([' ', '\t']);
            let word_start = before
                .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .len();
            let word = before[word_start..].to_ascii_lowercase();
            if !word.is_empty() && !NAME_LABEL_WORDS.contains(&word.as_str()) {
                continue;
            }
        }
        let start =
            m.end() + text[m.end()..].len() - text[m.end()..].trim_start_matches([' ', '\t']).len();
        let name = if text[start..].starts_with(is_han) {
            chinese_name_at(text, start, false, false)
        } else {
            english_name_at(text, start)
        };
        found.extend(name.map(|r| (PiiKind::Name, r)));
    }
}

/// Skips spaces and one separator after a trigger: returns (name start, colon seen, 是/为/叫 seen).
fn skip_separator(text: &str, mut pos: usize) -> (usize, bool, bool) {
    let skip_spaces =
        |p: usize| p + text[p..].len() - text[p..].trim_start_matches([' ', '\t', '　']).len();
    pos = skip_spaces(pos);
    match text[pos..].chars().next() {
        Some(c @ (':' | '：')) => (skip_spaces(pos + c.len_utf8()), true, false),
        Some(c @ ('是' | '为' | '叫')) => (skip_spaces(pos + c.len_utf8()), false, true),
        _ => (pos, false, false),
    }
}

/// A 2–4 character Chinese name starting at `start`. With `need_surname` it must open with a
/// known surname and is at most surname + 2 characters; `weak` (after 本人) also requires the
/// name to end where the Han run ends.
fn chinese_name_at(
    text: &str,
    start: usize,
    need_surname: bool,
    weak: bool,
) -> Option<Range<usize>> {
    let run: Vec<(usize, char)> = text[start..]
        .char_indices()
        .take(6)
        .take_while(|(_, c)| is_han(*c))
        .collect();
    if run.len() < 2 || NAME_STOP.contains(run[0].1) {
        return None;
    }
    let opening: String = run[..2].iter().map(|(_, c)| c).collect();
    if NOT_NAME_WORDS.contains(&opening.as_str()) {
        return None;
    }
    let (surname, max) = if !need_surname {
        (1, 4)
    } else if COMPOUND_SURNAMES.contains(&opening.as_str()) {
        (2, 4)
    } else if SURNAMES.contains(run[0].1) && !(weak && WEAK_EXCLUDED.contains(run[0].1)) {
        (1, 3)
    } else {
        return None;
    };
    let mut len = surname;
    while len < run.len() && len < max && !NAME_STOP.contains(run[len].1) {
        len += 1;
    }
    if len <= surname || (weak && len < run.len()) {
        return None;
    }
    let (last_at, last) = run[len - 1];
    Some(start..start + last_at + last.len_utf8())
}

/// One to three capitalised words (John, O'Brien, Li Wei), stopping at form labels like "Phone".
fn english_name_at(text: &str, start: usize) -> Option<Range<usize>> {
    let mut end = None;
    let mut pos = start;
    for _ in 0..3 {
        let rest = &text[pos..];
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphabetic() || *b == b'-' || *b == b'\'')
            .count();
        let word = rest[..len].trim_end_matches(['-', '\'']);
        if word.len() < 2
            || !word.starts_with(|c: char| c.is_ascii_uppercase())
            || EN_STOP.contains(&word.to_ascii_lowercase().as_str())
        {
            break;
        }
        end = Some(pos + word.len());
        let spaces = rest[len..].bytes().take_while(|b| *b == b' ').count();
        if spaces == 0 || spaces > 2 || word.len() != len {
            break;
        }
        pos += len + spaces;
    }
    end.map(|e| start..e)
}

/// Every occurrence of a known name (ASCII case-insensitively, and as a whole word when ASCII);
/// parts of a multi-word ASCII name of 3+ letters count too ("John Smith" also removes "Smith").
pub(super) fn known_name_spans(
    text: &str,
    names: &[&str],
    found: &mut Vec<(PiiKind, Range<usize>)>,
) {
    // Lower-casing only changes ASCII letters, so a needle without any matches the text as is.
    let mut lower: Option<String> = None;
    for name in names
        .iter()
        .map(|n| n.trim())
        .filter(|n| n.chars().count() >= 2)
    {
        let parts = name.is_ascii().then(|| {
            name.split_whitespace()
                .filter(|p| p.len() >= 3 && *p != name)
        });
        for needle in std::iter::once(name).chain(parts.into_iter().flatten()) {
            let needle = needle.to_ascii_lowercase();
            let haystack = if needle.bytes().any(|b| b.is_ascii_alphabetic()) {
                lower
                    .get_or_insert_with(|| text.to_ascii_lowercase())
                    .as_str()
            } else {
                text
            };
            for (at, _) in haystack.match_indices(needle.as_str()) {
                let r = at..at + needle.len();
                if !needle.is_ascii() || isolated(text, &r) {
                    found.push((PiiKind::Name, r));
                }
            }
        }
    }
}
