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

mod digits;
mod names;

use digits::{card_like_groups, classify_digits, keyword_ids};
use names::{known_name_spans, triggered_names};

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
