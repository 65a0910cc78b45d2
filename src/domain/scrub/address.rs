//! Street addresses down to the room (建国路88号阳光花园5栋2单元301室, 王营村三组, Room 1203,
//! Building 5, No. 88 Jianguo Road). Province, city and district names before them stay, for
//! statistics; everything from the road, estate or village on is one [ADDRESS] span.
//!
//! A span starts at an anchor that dates and prices cannot produce: a road name followed by a
//! house number (路 88号), an estate or village name followed by a building, unit, room or group
//! (花园5栋, 村三组), or two address units in a row (5栋2单元, 3号楼502). From there it runs on
//! over further units, bare room numbers, `3-2-501` and short names between units (…号太古汇一座),
//! and back over the road or estate name to the last administrative suffix or linking word.
use super::*;

/// Characters that end a road name.
const ROAD: &[&str] = &["大道", "大街", "胡同", "路", "街", "巷", "弄", "道", "段"];
/// Endings of estate, building and village names.
const ESTATE: &[&str] = &[
    "小区",
    "花园",
    "公寓",
    "大厦",
    "广场",
    "家园",
    "新村",
    "华庭",
    "港湾",
    "天街",
    "国际",
    "中心",
    "大楼",
    "宿舍",
    "公馆",
    "园区",
    "软件园",
    "产业园",
    "苑",
    "园",
    "城",
    "府",
    "湾",
    "阁",
    "庭",
    "村",
    "屯",
    "坊",
    "汇",
];
/// Units after a number, longest first. Those marked strong are address-only words.
const UNITS: &[(&str, bool)] = &[
    ("号楼", true),
    ("号院", true),
    ("单元", true),
    ("栋", true),
    ("幢", true),
    ("室", true),
    ("弄", true),
    ("组", false),
    ("号", false),
    ("座", false),
    ("层", false),
    ("楼", false),
    ("房", false),
    ("户", false),
    ("排", false),
    ("段", false),
    ("区", false),
];
/// Characters where a road or estate name cannot extend further back: administrative suffixes
/// (the province, city and district stay) and words that introduce an address.
const BACK_STOP: &str = "省市区县旗镇乡州盟在住址到寄往于是为从和与及的了送";
fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '零'
            | '〇'
            | '两'
    )
}

static EN_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:(?-u:\b)(?i:room|rm|flat|apt|apartment|suite|building|bldg|block|tower)\.?\s*#?[0-9]+[A-Za-z]?(?-u:\b)(?:,?\s*)?)+|(?:(?-u:\b)No\.\s*)?(?-u:\b)[0-9]+[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way)(?-u:\b)\.?",
    )
});

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// A number (ASCII digits, Chinese numerals, or one capital letter as in B座) then a unit:
/// returns (end, strong).
fn unit_at(text: &str, pos: usize) -> Option<(usize, bool)> {
    let rest = &text[pos..];
    let mut n = rest.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        n = rest
            .char_indices()
            .take_while(|(_, c)| is_cn_digit(*c))
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
    }
    if n == 0 && rest.starts_with(|c: char| c.is_ascii_uppercase()) {
        // B座, and E1区 / A3栋: one capital letter, then maybe digits.
        n = 1 + rest[1..].bytes().take_while(u8::is_ascii_digit).count();
    }
    if n == 0 || n > 12 {
        return None;
    }
    let after = rest[n..].trim_start_matches(' ');
    let skipped = rest.len() - n - after.len();
    let (unit, strong) = UNITS.iter().find(|(u, _)| after.starts_with(u))?;
    Some((pos + n + skipped + unit.len(), *strong))
}

/// A bare room number or `3-2-501` after a unit: digits, letters and dashes, at least 2 digits.
fn room_at(text: &str, pos: usize) -> Option<usize> {
    let rest = &text[pos..];
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    let token = rest[..len].trim_end_matches('-');
    let digits = token.bytes().filter(u8::is_ascii_digit).count();
    let dashes = token.matches('-').count();
    // 12点, 3小时, 59元 after an address are not room numbers.
    let next = text[pos + token.len()..].chars().next();
    let free = next.is_none_or(|c| !is_han(c) || "室房号户楼".contains(c));
    let shaped = (2..=6).contains(&digits) || (dashes >= 1 && digits <= 10);
    (shaped && free && token.starts_with(|c: char| c.is_ascii_alphanumeric()))
        .then_some(pos + token.len())
}

/// Runs on from `pos` over units, room numbers and short names between units.
fn extend_forward(text: &str, mut pos: usize) -> usize {
    loop {
        let p = pos + text[pos..].len() - text[pos..].trim_start_matches(' ').len();
        if let Some((end, _)) = unit_at(text, p) {
            pos = end;
            continue;
        }
        // A short name between units: 太古汇 in 385号太古汇一座, 附 in 12号附3号.
        let name_len: Vec<(usize, char)> = text[p..]
            .char_indices()
            .take_while(|(_, c)| is_han(*c) && !is_cn_digit(*c))
            .take(9)
            .collect();
        if let Some(&(i, c)) = name_len.last() {
            let after = p + i + c.len_utf8();
            if name_len.len() <= 8
                && (unit_at(text, after).is_some()
                    || (ends_estate(&text[p..after]) && room_at(text, after).is_some()))
            {
                pos = after;
                continue;
            }
            // 6栋 then a Chinese numeral run that is itself a unit (二单元) was taken above.
        }
        if let Some(end) = room_at(text, p) {
            let glued_unit = unit_at(text, end).map(|(e, _)| e);
            pos = glued_unit.unwrap_or(end);
            if glued_unit.is_some() {
                continue;
            }
            let closing = ["室", "房", "号", "户"]
                .iter()
                .find(|u| text[pos..].starts_with(**u));
            pos += closing.map_or(0, |u| u.len());
        }
        return pos;
    }
}

fn ends_estate(name: &str) -> bool {
    ESTATE.iter().any(|e| name.ends_with(e))
}

fn ends_road(name: &str) -> bool {
    ROAD.iter().any(|e| name.ends_with(e)) && !name.ends_with("知道") && !name.ends_with("频道")
}

/// Start of the road, estate or village name ending at `end`: back over Han characters (and
/// Chinese numerals) to a [`BACK_STOP`] character, at most 12.
fn name_start(text: &str, end: usize) -> usize {
    let mut start = end;
    for (i, c) in text[..end].char_indices().rev().take(12) {
        if !is_han(c) || BACK_STOP.contains(c) {
            break;
        }
        start = i;
    }
    start
}

/// Address spans in `text`.
pub(super) fn addresses(text: &str, english: bool, found: &mut Vec<(PiiKind, Range<usize>)>) {
    let mut covered = 0;
    // Numbers spelt in Chinese numerals are looked for only when 7 stand in a row.
    let mut numerals = 0;
    let mut spelt = false;
    for (at, c) in text.char_indices() {
        if matches!(
            c,
            '〇' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '幺'
        ) {
            numerals += 1;
            spelt |= numerals >= 7;
        } else if c != ' ' {
            // A single space between numerals keeps the count (一 三 八 …).
            numerals = 0;
        }
        if at < covered || !(c.is_ascii_digit() || is_cn_digit(c) || c.is_ascii_uppercase()) {
            continue;
        }
        // Only the start of a number.
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(|p| p.is_ascii_alphanumeric() || (is_cn_digit(p) && !c.is_ascii()))
        {
            continue;
        }
        let before = text[..at].trim_end_matches(' ');
        let Some((unit_end, strong)) = unit_at(text, at) else {
            // 阳光花园3-2-501: an estate then a dashed room number.
            let digits = text[at..].bytes().take_while(u8::is_ascii_digit).count();
            if !text[at + digits..].starts_with('-') {
                continue;
            }
            if let Some(end) = room_at(text, at).filter(|e| text[at..*e].contains('-')) {
                if ends_estate(before) {
                    let start = name_start(text, before.len());
                    found.push((PiiKind::Address, start..end));
                    covered = end;
                }
            }
            continue;
        };
        let road = ends_road(before);
        let estate = ends_estate(before);
        let unit = &text[at..unit_end];
        let house = unit.ends_with('号') || unit.ends_with('弄') || unit.ends_with('段');
        let next = text[unit_end..].trim_start_matches(' ');
        let next_at = text.len() - next.len();
        let chained = unit_at(text, next_at).is_some()
            || (strong && room_at(text, next_at).is_some())
            || (unit.ends_with("号楼") || unit.ends_with('栋')) && room_at(text, next_at).is_some();
        let building = ["座", "栋", "幢", "号楼"].iter().any(|u| unit.ends_with(u));
        let anchored = (road && house)
            || (building && room_at(text, next_at).is_some())
            || (estate && !unit.ends_with('区'))
            || (strong && chained)
            || (unit.ends_with('室') && unit.bytes().filter(u8::is_ascii_digit).count() >= 3);
        if !anchored || (c.is_ascii_uppercase() && !(road || estate || building)) {
            continue;
        }
        let start = if road || estate {
            name_start(text, before.len())
        } else {
            at
        };
        let end = extend_forward(text, unit_end);
        found.push((PiiKind::Address, start..end));
        covered = end;
    }
    if spelt {
        digits::chinese_numeral_numbers(text, found);
    }
    if english {
        found.extend(EN_ADDRESS.find_iter(text).map(|m| {
            let s = m.as_str();
            let trimmed = s.trim_end_matches([',', ' ']);
            (PiiKind::Address, m.start()..m.start() + trimmed.len())
        }));
    }
}
