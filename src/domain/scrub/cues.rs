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
    "投诉",
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
                && ["本人", "我是", "我叫", "这是"]
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
    names_glued_to_data(text, found);
}

/// A name right before contact or ID data wherever it stands (我是儿媳雷彩霞，158…): three
/// characters led by a surname (four with a compound one), or two when they are the whole Han
/// run (王芳 138…, not 荣耀 in 王者荣耀).
fn names_glued_to_data(text: &str, found: &mut Vec<(PiiKind, Range<usize>)>) {
    let mut names = Vec::new();
    for (kind, r) in found.iter() {
        if matches!(kind, PiiKind::Name | PiiKind::Address | PiiKind::BirthDate) {
            continue;
        }
        // 骆建平，电话138…: the keyword in between goes too.
        const SEPARATORS: [char; 7] = [' ', '，', ',', '：', ':', '\u{3000}', '\t'];
        let mut before = text[..r.start].trim_end_matches(SEPARATORS);
        for _ in 0..2 {
            if let Some(cut) = CONTACT_CUES.iter().find_map(|c| before.strip_suffix(c)) {
                before = cut.trim_end_matches(SEPARATORS);
            }
        }
        let run: Vec<(usize, char)> = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_han(*c))
            .collect();
        let pick = |n: usize| run.get(n - 1).map(|(i, _)| &before[*i..]);
        let candidate = match (pick(4), pick(3), pick(2)) {
            (Some(four), _, _) if COMPOUND_SURNAMES.iter().any(|c| four.starts_with(c)) => {
                Some(four)
            }
            (_, Some(three), _) if three.starts_with(|c: char| SURNAMES.contains(c)) => Some(three),
            (_, _, Some(two)) if run.len() == 2 => Some(two),
            _ => None,
        };
        if let Some(name) = candidate.filter(|n| looks_like_name(n) && !is_cue_word(n)) {
            let at = before.len() - name.len();
            names.push((PiiKind::Name, at..before.len()));
        }
    }
    found.extend(names);
}

/// Words that announce data and are not names even when led by a surname character.
fn is_cue_word(s: &str) -> bool {
    const DATA_WORDS: &[&str] = &[
        "订单",
        "单号",
        "账号",
        "帐号",
        "账户",
        "号码",
        "卡号",
        "证号",
        "护照",
        "邮箱",
        "会员",
        "编号",
        "尾号",
        "流水",
        "发票",
        "快递",
        "运单",
        "银行",
        "公司",
        "中心",
        "集团",
        "营业厅",
        "信用社",
    ];
    CONTACT_CUES.iter().any(|c| s.contains(c)) || DATA_WORDS.iter().any(|w| s.contains(w))
}

/// 我蔡淑英。/ 我滕浩然，… (the writer naming themself after 我), and a name before a form of
/// address after a greeting or bracket (【中国联通】胡德顺先生, 尊敬的王建华客户).
fn self_and_addressed_names(text: &str, found: &mut Vec<(PiiKind, Range<usize>)>) {
    const ADDRESS: &[&str] = &["先生", "女士", "客户", "用户", "同志", "小姐"];
    let mut names = Vec::new();
    for (at, _) in text.match_indices('我') {
        let start = at + '我'.len_utf8();
        if text[start..].starts_with(|c: char| c.is_ascii_uppercase()) {
            // 我Wang Xiaoyu，…
            if let Some(r) = super::names::english_name_at(text, start).filter(|r| {
                let words: Vec<&str> = text[r.clone()].split(' ').collect();
                words.len() >= 2 && words.iter().all(|w| super::names::is_pinyin_word(w))
            }) {
                names.push((PiiKind::Name, r));
            }
            continue;
        }
        let run: String = text[start..]
            .chars()
            .take_while(|c| is_han(*c))
            .take(5)
            .collect();
        for n in [3usize, 2] {
            let name: String = run.chars().take(n).collect();
            if name.chars().count() != n {
                continue;
            }
            let end = start + name.len();
            let next = text[end..].chars().next();
            let clean = next.is_none_or(|c| "，。,.！!；;？? \n".contains(c));
            let owner = n == 3 && next == Some('的');
            if ((clean && n == run.chars().count()) || owner) && looks_like_name(&name) {
                names.push((PiiKind::Name, start..end));
                break;
            }
        }
    }
    for word in ADDRESS {
        for (at, _) in text.match_indices(word) {
            // 客户端 is an app, not a form of address.
            let after = text[at + word.len()..].chars().next();
            if after.is_some_and(|c| is_han(c) && !"您你们".contains(c)) {
                continue;
            }
            let before = &text[..at];
            let run: Vec<(usize, char)> = before
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_han(*c))
                .take(5)
                .collect();
            for n in [4usize, 3, 2] {
                let Some(&(i, _)) = run.get(n - 1) else {
                    continue;
                };
                let name = &before[i..];
                let opener_before = before[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|c| opener(c) || matches!(c, '】' | ']' | '的' | '（' | '('));
                // Three characters (four with a compound surname) need nothing before them;
                // two need the start of a phrase (，王芳女士), as 的/】 or brackets give.
                if (opener_before || n >= 3) && looks_like_name(name) {
                    names.push((PiiKind::Name, i..at));
                    break;
                }
            }
        }
    }
    clause_names(text, &mut names);
    found.extend(names);
}

/// Common pinyin surnames: a clause of capitalised words ending in one reads as a name
/// (我是一名00后，Tiffany Xu。).
const PINYIN_SURNAMES: &[&str] = &[
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
    "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao", "Zheng", "Liang", "Xie", "Song", "Tang", "Han",
    "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang",
    "Yu", "Du", "Ye", "Cheng", "Wei", "Su", "Lu", "Ding", "Ren", "Shen", "Yao", "Cui", "Zhong",
    "Tan", "Fan", "Jin", "Shi", "Liao", "Jia", "Xia", "Fu", "Fang", "Bai", "Zou", "Meng", "Xiong",
    "Qin", "Qiu", "Hou", "Lai", "Wong", "Chan", "Cheung", "Leung", "Ho", "Ng", "Lam", "Tsang",
];

/// A clause that is only a name: 3 Han characters led by a surname (3–4 with a compound
/// one) between clause marks (本人55岁，下岗工人，蔺金堂，甘肃陇南), 3 after 的 (我是南京的
/// 宫立伟。), or capitalised words ending in a pinyin surname.
fn clause_names(text: &str, names: &mut Vec<(PiiKind, Range<usize>)>) {
    const MARKS: &str = "，。；！？,;!?\n（(：:、";
    let mut start = 0;
    let ends = text
        .char_indices()
        .filter(|(_, c)| MARKS.contains(*c))
        .chain(std::iter::once((text.len(), '。')));
    for (at, c) in ends {
        let clause = &text[start..at];
        let lead = clause.len() - clause.trim_start().len();
        let body = clause.trim();
        let body_at = start + lead;
        start = (at + c.len_utf8()).min(text.len());
        if matches!(c, '：' | ':') {
            continue;
        }
        // Two characters alone are as often a place (唐山) or a brand (乐刻) as a name.
        if body.chars().count() >= 3 && looks_like_name(body) {
            names.push((PiiKind::Name, body_at..body_at + body.len()));
        } else if let Some(i) = body.rfind('的') {
            let tail = &body[i + '的'.len_utf8()..];
            let compound = COMPOUND_SURNAMES.iter().any(|s| tail.starts_with(s));
            let count = tail.chars().count();
            if (count == 3 || (compound && count == 4)) && looks_like_name(tail) {
                let at = body_at + i + '的'.len_utf8();
                names.push((PiiKind::Name, at..at + tail.len()));
            }
        } else if body.is_ascii() {
            let words: Vec<&str> = body.split(' ').collect();
            let capitalised = words
                .iter()
                .all(|w| w.len() >= 2 && w.starts_with(|c: char| c.is_ascii_uppercase()));
            if (2..=3).contains(&words.len())
                && capitalised
                && words.last().is_some_and(|w| PINYIN_SURNAMES.contains(w))
            {
                names.push((PiiKind::Name, body_at..body_at + body.len()));
            }
        }
    }
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
    let before = tail[..start].chars().next_back();
    let ok = before.is_some_and(|c| opener(c) || matches!(c, '—' | '-' | '~' | '～'))
        && looks_like_name(name);
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
    self_and_addressed_names(text, found);
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
