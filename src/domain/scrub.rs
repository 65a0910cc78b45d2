//! PII scrubber for the `regulator` privacy tier: a consenting consumer's narrative is shown at
//! record level only with personal data replaced by placeholders (contract.md, "Privacy tiers").
//!
//! Choices that trade recall against precision (over-scrubbing is the safer error):
//! - Any bare run of 12 or more ASCII digits is personal (phones, IDs, cards, orders, waybills);
//!   the kind only picks the label. 18 digits with a plausible birth date are an ID even when the
//!   GB 11643 check digit is wrong, since a mistyped ID still identifies someone; the check digit
//!   only decides between [ID] and a Luhn-valid [CARD]. 17 digits + X are always an ID. 15
//!   digits with a valid date are an old ID. 16–19 digits passing Luhn are a [CARD], the rest
//!   [NUMBER]. Digits written in groups (6222 0212 3456 7890 123) are judged the same way.
//! - Short numbers stay: hotlines (10086, 95588, 12315), 400/800 company numbers, prices, dates,
//!   counts. A mobile is 1[3-9] + 9 digits; a landline needs an area code (0-prefixed or +86).
//! - Names are only taken after a trigger (我叫, 姓名, 本人, 联系人, 名字是, my name is, name:)
//!   and must start with a common surname unless a colon follows the trigger. After 本人 the
//!   name must also end at punctuation or a non-Han character, so 本人到场 / 本人已在 stay intact.
//! - Overlapping spans are merged, so nothing leaks from a partial overlap; the merged span is
//!   labelled with the kind of its longest (then earliest) member.
//! - Not handled: full-width digits; names without a trigger (pass them as `known_names`);
//!   lower-case English names; surname + honorific alone (王女士), which is not identifying.
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// What kind of personal data a span was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PiiKind {
    Phone,
    IdCard,
    Email,
    BankCard,
    OrderOrAccount,
    Name,
    Plate,
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
        }
    }

    /// Tie-break when two spans are equally long: the more specific label wins.
    fn rank(self) -> u8 {
        match self {
            PiiKind::Email => 0,
            PiiKind::IdCard => 1,
            PiiKind::Phone => 2,
            PiiKind::Plate => 3,
            PiiKind::Name => 4,
            PiiKind::OrderOrAccount => 5,
            PiiKind::BankCard => 6,
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
static MOBILE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:(?:\+|00)?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}"));
static LANDLINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:(?:(?:\+|00)?86[ -]?)?(?:0(?:10|2[0-9]|[3-9][0-9]{2})|[(（]0(?:10|2[0-9]|[3-9][0-9]{2})[)）])|(?:\+|00)86[ -]?(?:10|2[0-9]|[3-9][0-9]{2}))[ -]?[1-9][0-9]{2,3}[ -]?[0-9]{4}(?:(?:-|转|ext\.? ?)[0-9]{1,5})?",
    )
});
static GROUPED: LazyLock<Regex> = LazyLock::new(|| re(r"[0-9]+(?:[ -][0-9]+)+[Xx]?"));
static TOKEN: LazyLock<Regex> = LazyLock::new(|| re(r"[A-Za-z0-9]+"));
static KEYWORD_ID: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(订单编号|订单号码?|交易单号|交易号码?|流水号|单号|账号|帐号|账户|会员编号|会员号码?|用户ID|UID|order\s*(?:number|no\.?|id|#)|account\s*(?:number|no\.?|id)|transaction\s*(?:id|number|no\.?))[\s:：#＃=]*(?:(?:为|是|is|was)[\s:：#＃]*)?([A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)",
    )
});
static PLATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Za-hj-np-z][·•・. -]?(?:[A-HJ-NP-Za-hj-np-z0-9]{5,6}|[A-HJ-NP-Za-hj-np-z0-9]{4}[挂学警港澳])",
    )
});
static ZH_NAME_TRIGGER: LazyLock<Regex> = LazyLock::new(|| re(r"我叫|姓名|本人|联系人|名字"));
static EN_NAME_TRIGGER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(my\s+name\s+is)|(name\s*[:：])"));

/// Common single-character surnames; a trigger without a colon needs one of these first.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍喻祁蒲房滕屈饶解牟艾尤阳时穆农卓缪项芦麦褚娄窦戚岑景党宫卜晏席柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池苑迟邝封谈匡鞠惠荆冀郁胥班储栗燕楚鄢谌奚皮粟冼蔺楼闻厉伊仝郜阚帅屠朴练廉禹祖漆巴卿狄晋芮阙戈鹿薄邸雍辜羊裘亓邰赫杭况宿逯隆茹诸慕嵇湛宾戎茅揭尉檀昝奉衡尧洪赖文成安华关连管";
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯",
    "宇文", "长孙", "端木", "独孤", "南宫", "西门",
];
/// Surnames that after 本人 are far more often the start of an ordinary word (本人于, 本人马上).
const WEAK_EXCLUDED: &str = "于向高万方余申曾任马全常明时应单成安文华关连管何解付";
/// Characters that end a name: particles, verbs and nouns that usually follow one.
const NAME_STOP: &str =
    "的是在于从去到了说和与跟给对把被因已曾也都就还要想今昨前女电手身办打拨投反联号等及或请吗呢啊吧人省市县区";
/// Words that start with a surname character but are not names.
const NOT_NAME_WORDS: &[&str] = &[
    "陈述", "马上", "任何", "任职", "周末", "周一", "周二", "周三", "周四", "周五", "周六", "周日",
    "周年", "金额", "许多", "严格", "严重", "程序", "凌晨", "季度", "顾客", "白天", "毕竟", "尚未",
    "符合", "项目", "钱款", "黄金", "方便", "方面", "方式", "方案", "高兴", "高度", "高级", "余额",
    "曾经", "常住", "常用", "时间", "时候", "全部", "全程", "全额", "明白", "明确", "明天", "应该",
    "关于", "关系", "关闭", "关联", "成功", "单位", "单独", "连续", "管理", "何时", "解释", "解决",
    "付款", "付费", "申请", "申诉", "于是", "向来", "万一", "安排", "安全", "文件", "华为", "宁可",
    "宁愿", "谢谢", "康复",
];
/// Words that may precede `name:` in a form-like line ("Full name:"); others ("Plan name:") don't.
const NAME_LABEL_WORDS: &[&str] = &[
    "my", "full", "contact", "customer", "real", "legal", "holder", "first", "last", "given",
    "family", "your", "his", "her", "their",
];
/// Capitalised words that end an English name ("Name: John Smith Phone: ...").
const EN_STOP: &[&str] = &[
    "phone", "tel", "email", "e-mail", "mobile", "address", "order", "account", "id", "and", "the",
    "from", "my", "is", "was", "date", "plan", "but", "at", "on", "in",
];

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
    find_with(text, known_names, &Shape::of(text))
}

/// [`find_pii`] running only the passes `shape` allows.
fn find_with(text: &str, known_names: &[&str], shape: &Shape) -> Vec<(PiiKind, Range<usize>)> {
    let mut found = Vec::new();
    if shape.at_sign {
        found.extend(EMAIL.find_iter(text).map(|m| (PiiKind::Email, m.range())));
    }
    if shape.long_numbers {
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
        for m in TOKEN.find_iter(text) {
            found.extend(classify_digits(m.as_str()).map(|k| (k, m.range())));
        }
    }
    if shape.id_run {
        keyword_ids(text, &mut found);
    }
    if shape.digit && shape.letter {
        for r in isolated_matches(&PLATE, text) {
            if text[r.clone()].chars().any(|c| c.is_ascii_digit()) {
                found.push((PiiKind::Plate, r));
            }
        }
    }
    triggered_names(text, shape.letter, &mut found);
    known_name_spans(text, known_names, &mut found);
    merge(found)
}

/// What one pass over the bytes says about which patterns can match at all, so most
/// narratives (Chinese prose with a price or a date) skip most regex passes. Skipping is exact:
/// each skipped pattern needs what the flag says is absent.
struct Shape {
    /// `@`: e-mail addresses.
    at_sign: bool,
    /// Any ASCII digit: plates (which must hold one).
    digit: bool,
    /// Any ASCII letter: the English name triggers, and plates (a letter follows the province).
    letter: bool,
    /// A run of at least 6 of `[A-Za-z0-9_-]`: keyword ids (the id after the keyword is such a
    /// run, and shorter ones are not reported).
    id_run: bool,
    /// A run of digits and number punctuation (`+ - ( ) （ ）` and spaces) with at least
    /// [`Shape::LONG`] digits. Phones need 10 digits in such a run (a landline: area code of
    /// 2–3 digits after 0 or +86, then 7–8 digits; a mobile 11), numbers in groups and bare
    /// numbers 12 (17 + X for an ID), so without one these patterns cannot yield anything.
    long_numbers: bool,
}

impl Shape {
    const LONG: usize = 10;
    const ID_RUN: usize = 6;

    /// Byte by byte: every character it looks for is ASCII except the full-width parentheses
    /// (`EF BC 88`, `EF BC 89` in UTF-8), and any other byte of a multi-byte character ends a
    /// run just as the character would.
    fn of(text: &str) -> Shape {
        let mut shape = Shape {
            at_sign: false,
            digit: false,
            letter: false,
            id_run: false,
            long_numbers: false,
        };
        let bytes = text.as_bytes();
        let mut run_digits = 0usize;
        let mut id_run = 0usize;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
                id_run += 1;
                if id_run >= Shape::ID_RUN {
                    shape.id_run = true;
                }
            } else {
                id_run = 0;
            }
            match b {
                b'0'..=b'9' => {
                    shape.digit = true;
                    run_digits += 1;
                    if run_digits >= Shape::LONG {
                        shape.long_numbers = true;
                    }
                    continue;
                }
                b' ' | b'-' | b'+' | b'(' | b')' => continue,
                0xEF if bytes.get(i) == Some(&0xBC)
                    && matches!(bytes.get(i + 1), Some(0x88 | 0x89)) =>
                {
                    i += 2;
                    continue;
                }
                b'@' => shape.at_sign = true,
                b if b.is_ascii_alphabetic() => shape.letter = true,
                _ => {}
            }
            run_digits = 0;
        }
        shape
    }
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

/// Digits written in groups the way cards and IDs are (6222 0212 3456 7890 123, 110105 19491231
/// 002X): a first group of 4–6, middle groups of 3–8, a last group of 1–6. Dates (2026-10-01)
/// and lists of short numbers fail this; phones are caught on their own.
fn card_like_groups(s: &str) -> bool {
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
fn classify_digits(s: &str) -> Option<PiiKind> {
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
fn id18_date_ok(b: &[u8]) -> bool {
    let year = num(&b[6..10]);
    (b'1'..=b'8').contains(&b[0])
        && (1900..=2099).contains(&year)
        && date_ok(year, num(&b[10..12]), num(&b[12..14]))
}

fn id15_date_ok(b: &[u8]) -> bool {
    (b'1'..=b'8').contains(&b[0]) && date_ok(1900 + num(&b[6..8]), num(&b[8..10]), num(&b[10..12]))
}

/// GB 11643-1999 check digit (weights 2^(17-i) mod 11).
fn id18_check_ok(b: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let expected = b"10X98765432"[(sum % 11) as usize];
    b[17].to_ascii_uppercase() == expected
}

fn luhn_ok(b: &[u8]) -> bool {
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
fn keyword_ids(text: &str, found: &mut Vec<(PiiKind, Range<usize>)>) {
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

fn is_han(c: char) -> bool {
    matches!(
        c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2EBEF}'
    )
}

fn triggered_names(text: &str, ascii_letters: bool, found: &mut Vec<(PiiKind, Range<usize>)>) {
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
fn known_name_spans(text: &str, names: &[&str], found: &mut Vec<(PiiKind, Range<usize>)>) {
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
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[derive(serde::Deserialize)]
    struct Case {
        id: String,
        lang: String,
        input: String,
        expected: String,
    }

    #[test]
    fn every_corpus_case_is_scrubbed_exactly_as_expected() {
        let corpus: Vec<Case> =
            serde_json::from_str(include_str!("../../tests/data/scrub_corpus.json"))
                .expect("corpus is valid JSON");
        assert!(
            corpus.len() >= 120,
            "corpus has only {} cases",
            corpus.len()
        );
        let near_misses = corpus.iter().filter(|c| c.input == c.expected).count();
        assert!(near_misses >= 40, "only {near_misses} near misses");
        let mut failures = Vec::new();
        for case in &corpus {
            assert!(
                matches!(case.lang.as_str(), "zh" | "en"),
                "{}: bad lang",
                case.id
            );
            let got = scrub(&case.input, &[]);
            if got != case.expected {
                failures.push(format!(
                    "{}\n    input:    {}\n    expected: {}\n    got:      {}",
                    case.id, case.input, case.expected, got
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} cases differ:\n{}",
            failures.len(),
            corpus.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn empty_and_emoji_only_text_is_returned_unchanged() {
        assert_eq!(scrub("", &[]), "");
        assert!(find_pii("", &["张三"]).is_empty());
        let emoji = "😡😡🙃👨‍👩‍👧 🇨🇳";
        assert_eq!(scrub(emoji, &["😡", "😡😡🙃"]), "[NAME]👨‍👩‍👧 🇨🇳");
        assert_eq!(scrub(&emoji[4..], &[]), &emoji[4..]);
        assert_eq!(scrub("🙃13800138000🙃", &[]), "🙃[PHONE]🙃");
    }

    #[test]
    fn a_100k_character_narrative_is_scrubbed_quickly() {
        let chunk =
            "我叫张三，电话138 0013 8000，订单号A1234567，😀 1234 5678 9012 3456 7890 12345 ";
        let text = chunk.repeat(100_000 / chunk.chars().count() + 1);
        let digits = "9".repeat(100_000);
        let started = Instant::now();
        let out = scrub(&text, &["张三", "Zhang San"]);
        assert_eq!(scrub(&digits, &[]), "[NUMBER]");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
        assert!(!out.contains("0013") && !out.contains("张三") && !out.contains("A1234567"));
    }

    #[test]
    fn an_id_number_that_also_passes_luhn_is_one_id_span() {
        let id = "110101199003070054";
        assert!(
            id18_check_ok(id.as_bytes()) && id18_date_ok(id.as_bytes()) && luhn_ok(id.as_bytes())
        );
        let text = format!("身份证{id}，卡号6222 0212 3456 7890 128");
        let found = find_pii(&text, &[]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0], (PiiKind::IdCard, 9..27));
    }

    #[test]
    fn a_known_name_is_removed_every_time_it_appears() {
        let text = "张三投诉后，客服又给张三打电话。John Smith said smith was told.";
        assert_eq!(
            scrub(text, &["张三", " John Smith ", "", "x"]),
            "[NAME]投诉后，客服又给[NAME]打电话。[NAME] said [NAME] was told."
        );
        let found = find_pii("张三张三", &["张三"]);
        assert_eq!(found, vec![(PiiKind::Name, 0..6), (PiiKind::Name, 6..12)]);
    }

    /// The shape gates skip only passes that could not have found anything: on random text
    /// rich in digits, letters, separators and keywords, gated and ungated agree.
    #[test]
    fn skipping_passes_by_shape_never_changes_what_is_found() {
        let pieces: Vec<&str> = vec![
            "0",
            "1",
            "2",
            "3",
            "5",
            "8",
            "9",
            "13",
            "86",
            "010",
            " ",
            "-",
            "+",
            "(",
            ")",
            "（",
            "）",
            "_",
            "@",
            ".",
            "a",
            "B",
            "x",
            "Z",
            "com",
            "京",
            "A",
            "粤",
            "订单号",
            "账号：",
            "order no ",
            "我叫",
            "姓名：",
            "张三",
            "name: ",
            "John",
            "元",
            "，",
            "😀",
            "é",
        ];
        let all = Shape {
            at_sign: true,
            digit: true,
            letter: true,
            id_run: true,
            long_numbers: true,
        };
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut hits = 0;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize + 1;
            let mut text = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed >> 20) as usize % pieces.len()]);
            }
            let gated = find_pii(&text, &[]);
            hits += usize::from(!gated.is_empty());
            assert_eq!(gated, find_with(&text, &[], &all), "{text:?}");
        }
        assert!(
            hits > 1_000,
            "the random texts hold personal data often: {hits}"
        );
    }

    #[test]
    fn random_mixed_text_never_panics_and_spans_are_sorted_char_aligned_and_disjoint() {
        let alphabet: Vec<char> =
            "0123456789 -+X@.·:：（）()京A粤B我叫本人姓名张王三芳号账订单元😀👨‍👩‍👧éa"
                .chars()
                .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2_000 {
            let len = (seed >> 59) as usize + 1;
            let text: String = (0..len * 4)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            let found = find_pii(&text, &["张三", "A1"]);
            for pair in found.windows(2) {
                assert!(pair[0].1.end <= pair[1].1.start, "{text:?}: {found:?}");
            }
            for (_, r) in &found {
                assert!(
                    text.is_char_boundary(r.start)
                        && text.is_char_boundary(r.end)
                        && r.start < r.end
                );
            }
            let _ = scrub(&text, &["张三"]);
        }
    }

    #[test]
    fn partial_overlaps_are_merged_so_nothing_leaks() {
        let merged = merge(vec![
            (PiiKind::Name, 0..4),
            (PiiKind::Phone, 2..10),
            (PiiKind::Email, 12..14),
        ]);
        assert_eq!(
            merged,
            vec![(PiiKind::Phone, 0..10), (PiiKind::Email, 12..14)]
        );
    }
}
