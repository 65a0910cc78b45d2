//! Identifiers announced by a keyword (QQ, 微信, 订单, 交易号, 账号, 护照, IMEI, 电话 …): the
//! keyword stays so the reader knows what was removed, the value after it goes.
use super::*;

/// What follows a keyword, and what it must look like to count.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Value {
    /// Digits only (spaces and dashes between groups allowed), at least this many.
    Digits(usize),
    /// An ID number: 15–18 digits, the last may be X.
    IdNumber,
    /// Letters, digits, `_` and `-`, at least 6, with a digit or `_` unless a separator (`:`,
    /// 是, is) or a Chinese keyword glued to it makes a bare word plausible.
    Handle,
    /// One or two letters then 6–9 digits, or 8–10 digits alone (passports, HK/Macau and
    /// Taiwan passes).
    Passport,
    /// Up to three letters, then digits in groups (single or double spaces, dashes), at least
    /// this many digits (社保卡号 CB3207 6152, 卡号 H 0928 3317 6).
    Code(usize),
}

/// Keywords, each with the kind it announces and the value it expects. Longer spellings first
/// is not needed: the regex is built with the longest keywords first.
const KEYWORDS: &[(&str, PiiKind, Value)] = &[
    ("qq号码", PiiKind::Qq, Value::Digits(5)),
    ("qq号", PiiKind::Qq, Value::Digits(5)),
    ("qq好", PiiKind::Qq, Value::Digits(5)),
    ("qq", PiiKind::Qq, Value::Digits(5)),
    ("扣扣", PiiKind::Qq, Value::Digits(5)),
    ("q号", PiiKind::Qq, Value::Digits(5)),
    ("企鹅号", PiiKind::Qq, Value::Digits(5)),
    ("微信号", PiiKind::WeChat, Value::Handle),
    ("微信", PiiKind::WeChat, Value::Handle),
    ("薇信", PiiKind::WeChat, Value::Handle),
    ("威信", PiiKind::WeChat, Value::Handle),
    ("微心", PiiKind::WeChat, Value::Handle),
    ("v信", PiiKind::WeChat, Value::Handle),
    ("vx", PiiKind::WeChat, Value::Handle),
    ("wx", PiiKind::WeChat, Value::Handle),
    ("加v", PiiKind::WeChat, Value::Handle),
    ("加我v", PiiKind::WeChat, Value::Handle),
    ("wechat id", PiiKind::WeChat, Value::Handle),
    ("wechat", PiiKind::WeChat, Value::Handle),
    ("weixin", PiiKind::WeChat, Value::Handle),
    ("抖音号", PiiKind::Account, Value::Handle),
    ("快手号", PiiKind::Account, Value::Handle),
    ("淘宝名", PiiKind::Account, Value::Handle),
    ("用户名", PiiKind::Account, Value::Handle),
    ("账号", PiiKind::Account, Value::Handle),
    ("帐号", PiiKind::Account, Value::Handle),
    ("账户", PiiKind::Account, Value::Handle),
    ("会员号码", PiiKind::Account, Value::Handle),
    ("会员编号", PiiKind::Account, Value::Handle),
    ("会员卡号", PiiKind::Account, Value::Handle),
    ("会员号", PiiKind::Account, Value::Handle),
    ("用户id", PiiKind::Account, Value::Handle),
    ("uid", PiiKind::Account, Value::Handle),
    ("user id", PiiKind::Account, Value::Handle),
    ("member id", PiiKind::Account, Value::Handle),
    ("account number", PiiKind::Account, Value::Handle),
    ("作者id", PiiKind::Account, Value::Handle),
    ("序列号", PiiKind::Imei, Value::Handle),
    ("设备号", PiiKind::Imei, Value::Handle),
    ("车架号", PiiKind::Imei, Value::Handle),
    ("serial number", PiiKind::Imei, Value::Handle),
    ("serial no", PiiKind::Imei, Value::Handle),
    ("serial", PiiKind::Imei, Value::Handle),
    ("s/n", PiiKind::Imei, Value::Handle),
    ("sn", PiiKind::Imei, Value::Handle),
    ("vin", PiiKind::Imei, Value::Handle),
    ("台胞證", PiiKind::Passport, Value::Passport),
    ("通行證", PiiKind::Passport, Value::Passport),
    ("護照", PiiKind::Passport, Value::Passport),
    ("身份證", PiiKind::IdCard, Value::IdNumber),
    ("電話", PiiKind::Phone, Value::Digits(7)),
    ("手機", PiiKind::Phone, Value::Digits(7)),
    ("帳號", PiiKind::Account, Value::Handle),
    ("賬號", PiiKind::Account, Value::Handle),
    ("微信號", PiiKind::WeChat, Value::Handle),
    ("訂單", PiiKind::Order, Value::Handle),
    ("id", PiiKind::Account, Value::Handle),
    ("学号", PiiKind::Account, Value::Handle),
    ("student id", PiiKind::Account, Value::Handle),
    ("student no", PiiKind::Account, Value::Handle),
    ("发票号码", PiiKind::Order, Value::Handle),
    ("发票号", PiiKind::Order, Value::Handle),
    ("社会保障号码", PiiKind::IdCard, Value::Code(6)),
    ("社会保障号", PiiKind::IdCard, Value::Code(6)),
    ("社保卡卡号", PiiKind::IdCard, Value::Code(6)),
    ("社保卡号", PiiKind::IdCard, Value::Code(6)),
    ("社保编号", PiiKind::IdCard, Value::Code(6)),
    ("社保号", PiiKind::IdCard, Value::Code(6)),
    ("account", PiiKind::Account, Value::Handle),
    ("login", PiiKind::Account, Value::Handle),
    ("username", PiiKind::Account, Value::Handle),
    ("登录名", PiiKind::Account, Value::Handle),
    ("游戏id", PiiKind::Account, Value::Handle),
    ("角色id", PiiKind::Account, Value::Handle),
    ("account no", PiiKind::Account, Value::Handle),
    ("account id", PiiKind::Account, Value::Handle),
    ("交易单号", PiiKind::Transaction, Value::Handle),
    ("交易号码", PiiKind::Transaction, Value::Handle),
    ("交易号", PiiKind::Transaction, Value::Handle),
    ("交易流水号", PiiKind::Transaction, Value::Handle),
    ("流水号", PiiKind::Transaction, Value::Handle),
    ("商户单号", PiiKind::Transaction, Value::Handle),
    ("商户订单号", PiiKind::Transaction, Value::Handle),
    ("支付单号", PiiKind::Transaction, Value::Handle),
    ("transaction id", PiiKind::Transaction, Value::Handle),
    ("transaction number", PiiKind::Transaction, Value::Handle),
    ("transaction no", PiiKind::Transaction, Value::Handle),
    ("订单编号", PiiKind::Order, Value::Handle),
    ("订单号码", PiiKind::Order, Value::Handle),
    ("订单号", PiiKind::Order, Value::Handle),
    ("订单", PiiKind::Order, Value::Handle),
    ("定单号", PiiKind::Order, Value::Handle),
    ("定单", PiiKind::Order, Value::Handle),
    ("单号", PiiKind::Order, Value::Handle),
    ("工单号", PiiKind::Order, Value::Handle),
    ("运单号", PiiKind::Order, Value::Handle),
    ("快递单号", PiiKind::Order, Value::Handle),
    ("物流单号", PiiKind::Order, Value::Handle),
    ("order number", PiiKind::Order, Value::Handle),
    ("order no", PiiKind::Order, Value::Handle),
    ("order id", PiiKind::Order, Value::Handle),
    ("order #", PiiKind::Order, Value::Handle),
    ("order", PiiKind::Order, Value::Handle),
    ("护照号码", PiiKind::Passport, Value::Passport),
    ("护照号", PiiKind::Passport, Value::Passport),
    ("护照", PiiKind::Passport, Value::Passport),
    ("passport number", PiiKind::Passport, Value::Passport),
    ("passport no", PiiKind::Passport, Value::Passport),
    ("passport", PiiKind::Passport, Value::Passport),
    ("通行证号码", PiiKind::Passport, Value::Passport),
    ("通行证号", PiiKind::Passport, Value::Passport),
    ("通行证", PiiKind::Passport, Value::Passport),
    ("回乡证", PiiKind::Passport, Value::Passport),
    ("台胞证", PiiKind::Passport, Value::Passport),
    ("imei号", PiiKind::Imei, Value::Digits(14)),
    ("imei", PiiKind::Imei, Value::Digits(14)),
    ("meid", PiiKind::Imei, Value::Digits(14)),
    ("串号", PiiKind::Imei, Value::Digits(14)),
    ("身份证号码", PiiKind::IdCard, Value::IdNumber),
    ("身份证号", PiiKind::IdCard, Value::IdNumber),
    ("身份证", PiiKind::IdCard, Value::IdNumber),
    ("身分证", PiiKind::IdCard, Value::IdNumber),
    ("证件号码", PiiKind::IdCard, Value::IdNumber),
    ("证件号", PiiKind::IdCard, Value::IdNumber),
    ("sfz", PiiKind::IdCard, Value::IdNumber),
    ("id number", PiiKind::IdCard, Value::IdNumber),
    ("电话", PiiKind::Phone, Value::Digits(7)),
    ("电活", PiiKind::Phone, Value::Digits(7)),
    ("手机", PiiKind::Phone, Value::Digits(7)),
    ("手几", PiiKind::Phone, Value::Digits(7)),
    ("座机", PiiKind::Phone, Value::Digits(7)),
    ("固话", PiiKind::Phone, Value::Digits(7)),
    ("联系方式", PiiKind::Phone, Value::Digits(7)),
    ("回电", PiiKind::Phone, Value::Digits(7)),
    ("tel", PiiKind::Phone, Value::Digits(7)),
    ("phone", PiiKind::Phone, Value::Digits(7)),
    ("mobile", PiiKind::Phone, Value::Digits(7)),
    ("卡号", PiiKind::BankCard, Value::Code(8)),
    ("银行卡", PiiKind::BankCard, Value::Digits(12)),
    ("信用卡", PiiKind::BankCard, Value::Digits(12)),
];

/// Keywords written in Han characters only (no case folding needed, so the regex engine can
/// use a fast literal search), and those holding ASCII letters, run only on text with letters.
static KEYWORD_HAN: LazyLock<Regex> = LazyLock::new(|| keyword_regex(false));
static KEYWORD_ASCII: LazyLock<Regex> = LazyLock::new(|| keyword_regex(true));

fn keyword_regex(ascii: bool) -> Regex {
    let mut words: Vec<&str> = KEYWORDS
        .iter()
        .map(|(w, _, _)| *w)
        .filter(|w| w.bytes().any(|b| b.is_ascii_alphabetic()) == ascii)
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let alternation: Vec<String> = words
        .iter()
        .map(|w| regex::escape(w).replace(' ', r"\s*"))
        .collect();
    let flags = if ascii { "(?i)" } else { "" };
    re(&format!("{flags}(?:{})", alternation.join("|")))
}

/// WeChat's generated ids (`wxid_…`) wherever they stand.
static WXID: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)wxid_[a-z0-9_-]{4,}"));

/// Keyword spellings without spaces, lower-cased, for looking up what a match announces.
static ENTRIES: LazyLock<Vec<(String, PiiKind, Value)>> = LazyLock::new(|| {
    KEYWORDS
        .iter()
        .map(|(w, k, v)| (w.replace(' ', ""), *k, *v))
        .collect()
});

fn entry(keyword: &str) -> Option<(PiiKind, Value)> {
    let mut buf = [0u8; 64];
    let mut len = 0;
    for b in keyword.bytes().filter(|b| !b.is_ascii_whitespace()) {
        *buf.get_mut(len)? = b.to_ascii_lowercase();
        len += 1;
    }
    let folded = buf.get(..len)?;
    ENTRIES
        .iter()
        .find(|(w, _, _)| w.as_bytes() == folded)
        .map(|(_, k, v)| (*k, *v))
}

/// Values announced by a keyword, and `wxid_` ids.
pub(super) fn keyword_ids(text: &str, letters: bool, found: &mut Vec<(PiiKind, Range<usize>)>) {
    let ascii = letters.then(|| KEYWORD_ASCII.find_iter(text));
    if letters {
        found.extend(isolated_matches(&WXID, text).map(|r| (PiiKind::WeChat, r)));
    }
    for m in KEYWORD_HAN
        .find_iter(text)
        .chain(ascii.into_iter().flatten())
    {
        let Some((kind, value)) = entry(m.as_str()) else {
            continue;
        };
        let ascii_keyword = m.as_str().starts_with(|c: char| c.is_ascii_alphabetic());
        let glued_before = text[..m.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphabetic());
        if ascii_keyword && glued_before {
            continue;
        }
        let (start, separated) = skip_to_value(text, m.end());
        // An English keyword glued to letters is part of a longer word (orderly, wxyz); one
        // ending in a Han character (v信) is not.
        let glued_after = start == m.end()
            && m.as_str().ends_with(|c: char| c.is_ascii_alphabetic())
            && text[start..].starts_with(|c: char| c.is_ascii_alphabetic());
        if ascii_keyword && glued_after {
            continue;
        }
        if let Some(r) = value_at(text, start, kind, value, separated || !ascii_keyword) {
            found.push((kind, r));
        }
    }
}

/// Skips spaces, colons, `#`, `=`, `.` and a linking word (是, 为, is, was, 号码, 号): returns the
/// value start and whether an explicit separator (a colon, `#`, `=`, 是 or 为; not the English
/// "is", which also links ordinary words) was seen.
fn skip_to_value(text: &str, mut pos: usize) -> (usize, bool) {
    let mut separated = false;
    for _ in 0..4 {
        let rest = &text[pos..];
        let trimmed = rest.trim_start_matches([' ', '\t', ':', '：', '#', '=', '.', '\u{3000}']);
        if trimmed.len() != rest.len() {
            separated |= rest[..rest.len() - trimmed.len()].contains([':', '：', '#', '=']);
            pos += rest.len() - trimmed.len();
            continue;
        }
        let word = [
            "号码", "號碼", "号", "號", "是", "为", "is ", "was ", "IS ", "number ", "Number ",
            "no ", "No ", "id ", "ID ", "Id ", "ID:", "ID：", "id:", "id：", "Id:", "Id：", "(No.",
            "（No.", "No.", "NO.", "no.", "(", "（",
        ]
        .iter()
        .find(|w| rest.starts_with(**w))
        // 账号ID：… keeps its colon for the separator check above.
        .map(|w| w.trim_end_matches([':', '：']));
        match word {
            Some(w) => {
                separated |= !w.is_ascii();
                pos += w.len();
            }
            None => break,
        }
    }
    (pos, separated)
}

fn value_at(
    text: &str,
    start: usize,
    kind: PiiKind,
    value: Value,
    separated: bool,
) -> Option<Range<usize>> {
    let rest = &text[start..];
    match value {
        Value::Digits(_) | Value::IdNumber => {
            // QQ numbers have at most 11 digits: a date or time after one is not part of it.
            let most = if kind == PiiKind::Qq { 11 } else { usize::MAX };
            let (len, digits) = digit_groups(rest, value == Value::IdNumber, most);
            let hotline = digits == 10 && (rest.starts_with("400") || rest.starts_with("800"));
            let min = match value {
                Value::Digits(min) => min,
                _ => 15,
            };
            (digits >= min && !hotline).then(|| start..start + len)
        }
        Value::Handle => {
            // Letters, digits, `_`, `-`, and dots between them (amy.43952).
            let b = rest.as_bytes();
            let mut len = 0;
            while len < b.len()
                && (b[len].is_ascii_alphanumeric()
                    || matches!(b[len], b'_' | b'-')
                    || (matches!(b[len], b'.' | b'/')
                        && len > 0
                        && b.get(len + 1).is_some_and(u8::is_ascii_alphanumeric)))
            {
                len += 1;
            }
            let id = rest[..len].trim_end_matches(['_', '-']);
            let marked = id.bytes().any(|b| b.is_ascii_digit() || b == b'_');
            // WeChat ids are 6–20 characters, but consumers cut them short (加微信lucky).
            let min = if kind == PiiKind::WeChat { 5 } else { 6 };
            let ok = id.len() >= min && (marked || separated) && id.len() <= 40;
            ok.then(|| start..start + id.len())
        }
        Value::Passport => {
            let letters = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            let digits = rest[letters..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            let end = letters + digits;
            let glued = rest[end..].starts_with(|c: char| c.is_ascii_alphanumeric());
            let lettered = (1..=2).contains(&letters) && (6..=9).contains(&digits);
            let bare = letters == 0 && (8..=10).contains(&digits);
            ((lettered || bare) && !glued).then(|| start..start + end)
        }
        Value::Code(min) => {
            let letters = rest
                .bytes()
                .take_while(u8::is_ascii_alphabetic)
                .take(4)
                .count();
            if letters > 3 {
                return None;
            }
            let gap = rest[letters..]
                .bytes()
                .take_while(|b| *b == b' ')
                .count()
                .min(1);
            let (len, digits) = digit_groups(&rest[letters + gap..], false, usize::MAX);
            (digits >= min).then(|| start..start + letters + gap + len)
        }
    }
}

/// Length in bytes and digit count of digits written in groups (`86 123456 789012 3`,
/// `0755-2688 1234`); with `x_last`, a final X counts as a digit.
/// Stops before a group that would take the count past `most`.
fn digit_groups(s: &str, x_last: bool, most: usize) -> (usize, usize) {
    let b = s.as_bytes();
    let (mut i, mut end, mut digits) = (0, 0, 0);
    while i < b.len() {
        if b[i].is_ascii_digit() && end != i {
            // The first digit of a new group: take the group only if it fits.
            let group = b[i..].iter().take_while(|d| d.is_ascii_digit()).count();
            if digits + group > most {
                break;
            }
            digits += group;
            i += group;
            end = i;
        } else if b[i].is_ascii_digit() {
            digits += 1;
            i += 1;
            end = i;
        } else if x_last && digits >= 14 && matches!(b[i], b'X' | b'x') {
            digits += 1;
            end = i + 1;
            break;
        } else if matches!(b[i], b' ' | b'-')
            && end == i
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            i += 1;
        } else if b[i] == b' '
            && end == i
            && b.get(i + 1) == Some(&b' ')
            && b.get(i + 2).is_some_and(u8::is_ascii_digit)
        {
            // Two spaces between groups (6222  0285  1674).
            i += 2;
        } else {
            break;
        }
    }
    if b.get(end).is_some_and(u8::is_ascii_alphabetic) {
        return (0, 0);
    }
    (end, digits)
}
