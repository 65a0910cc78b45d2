//! Birth dates: a date with at least the month followed by 出生/生人/生 (1963年7月生人,
//! 1952年冬月生的, 1975年7月7日生), and after "born", "DOB" or "date of birth" in English. A birth
//! year alone (1985年生) stays: it tells regulators the consumer's age band, and identifies no
//! one. Other dates are facts and stay.
use super::*;

static ZH_BIRTH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:19|20)[0-9]{2}(?:年(?:[0-9]{1,2}|正|冬|腊|[一二三四五六七八九十]{1,2})月(?:[0-9]{1,2}[日号])?|[-./][0-9]{1,2}(?:[-./][0-9]{1,2})?)(?:出生|生人|生的|[ ]?生(?:[，,。；;、 （()）]|$))|(?:出生日期|生日|出生于|出生在|生于)[ \t]*[:：]?[ \t]*(?:19|20)[0-9]{2}(?:年[0-9]{1,2}月(?:[0-9]{1,2}[日号])?|[-./][0-9]{1,2}(?:[-./][0-9]{1,2})?)",
    )
});
static EN_BIRTH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i:(?-u:\b)(?:born(?: on)?|DOB|D\.O\.B\.|date of birth|birthday)[ \t]*[:：]?[ \t]*)((?:[0-9]{1,2}(?:st|nd|rd|th)? (?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,? (?:19|20)[0-9]{2})|(?:(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? [0-9]{1,2}(?:st|nd|rd|th)?,? (?:19|20)[0-9]{2})|(?:(?:19|20)[0-9]{2}[-./][0-9]{1,2}[-./][0-9]{1,2})|(?:[0-9]{1,2}/[0-9]{1,2}/(?:19|20)[0-9]{2})|(?:in )?(?:19|20)[0-9]{2})",
    )
});
/// Suffixes matched by [`ZH_BIRTH`] after the date itself, which stay.
const ZH_TAIL: &[&str] = &["出生", "生人", "生的", "生"];

/// Birth-date spans: the date only (出生 stays, so the reader knows what was removed).
pub(super) fn birth_dates(text: &str, found: &mut Vec<(PiiKind, Range<usize>)>) {
    // Every Chinese form holds 生, every English one born/DOB/D.O.B./birth: a plain search
    // first spares the regexes most narratives (the case-insensitive one is slow on Han text).
    let zh = text.contains('生');
    for m in ZH_BIRTH.find_iter(if zh { text } else { "" }) {
        let s = m.as_str();
        if let Some(at) = s.find(|c: char| c.is_ascii_digit()).filter(|&at| at > 0) {
            // 生日1990年6月2日: the label stays.
            found.push((PiiKind::BirthDate, m.start() + at..m.end()));
            continue;
        }
        let cut = ZH_TAIL
            .iter()
            .filter_map(|t| s.find(t))
            .min()
            .unwrap_or(s.len());
        let date = s[..cut].trim_end();
        found.push((PiiKind::BirthDate, m.start()..m.start() + date.len()));
    }
    let en = ["born", "dob", "d.o.b", "birth"]
        .iter()
        .any(|w| contains_ignoring_ascii_case(text, w));
    for caps in EN_BIRTH.captures_iter(if en { text } else { "" }) {
        if let Some(date) = caps.get(1) {
            found.push((PiiKind::BirthDate, date.range()));
        }
    }
}

/// Whether `text` holds `needle` (lower-case ASCII), ignoring ASCII case.
fn contains_ignoring_ascii_case(text: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    text.as_bytes()
        .windows(n.len())
        .any(|w| w.eq_ignore_ascii_case(n))
}
