//! Content heuristics for spam and abuse. A suspected submission is stored as `held` for a
//! moderator, never dropped; a real story carries the consumer's own phone, ID-card, order and
//! bank-card numbers, a hotline or two and a link to the company's site, and must pass.
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

mod phones;
use phones::{fold_width, phone_numbers};

/// Cities that hotline SEO pages list; counted together with the province names intake passes.
/// Names that are common words or street names (中山, 大同) are left out on purpose.
const CITIES: &[&str] = &[
    "广州",
    "深圳",
    "东莞",
    "佛山",
    "珠海",
    "惠州",
    "汕头",
    "湛江",
    "杭州",
    "宁波",
    "温州",
    "绍兴",
    "嘉兴",
    "金华",
    "台州",
    "南京",
    "苏州",
    "无锡",
    "常州",
    "徐州",
    "南通",
    "扬州",
    "成都",
    "绵阳",
    "武汉",
    "宜昌",
    "襄阳",
    "长沙",
    "株洲",
    "岳阳",
    "郑州",
    "洛阳",
    "济南",
    "青岛",
    "烟台",
    "潍坊",
    "临沂",
    "合肥",
    "芜湖",
    "福州",
    "厦门",
    "泉州",
    "南昌",
    "赣州",
    "石家庄",
    "唐山",
    "保定",
    "太原",
    "沈阳",
    "大连",
    "长春",
    "哈尔滨",
    "呼和浩特",
    "包头",
    "西安",
    "兰州",
    "西宁",
    "银川",
    "乌鲁木齐",
    "拉萨",
    "昆明",
    "贵阳",
    "遵义",
    "南宁",
    "桂林",
    "柳州",
    "海口",
    "三亚",
];

/// Phrases of agents' and lenders' ads and of hotline SEO pages, with a weight each. One cue
/// occurs in real stories too (a company's support asks people to 加微信); a sum of
/// `AD_THRESHOLD` does not.
static AD_CUES: LazyLock<Vec<(Regex, u32)>> = LazyLock::new(|| {
    [
        (r"代理退款|代办退款|专业退款|退款代理|全网代退|代退会员", 2),
        (
            r"(?:成功|到账)(?:后|再)收费|不成功不收费|先退款后付费|按比例收费|抽成",
            2,
        ),
        (r"无抵押|免抵押|无需抵押|不看征信|无视征信|黑户|征信花", 2),
        (r"下款|放款快|秒批|秒下|高额度|额度高|低息|日息|月息", 2),
        (r"刷单|日结|日赚|躺赚|稳赚", 2),
        (r"办证|代开发票|发票代开|包过", 2),
        (r"全网最低|内部(?:渠道|价|名额)|低价代充|代充", 2),
        (r"(?i)\bloans?\b|no collateral|refund agents?\b", 2),
        (r"(?i)whatsapp|telegram", 1),
        (
            r"(?i)加个?(?:微信|薇信|威信|v信|vx|v|qq|扣扣|q)|微信号|私聊|扫码",
            1,
        ),
        (r"急用钱|缺钱|贷款|借款", 1),
        (
            r"客服电话是多少|人工客服电话号码|24小时(?:人工|在线)|全国统一|热线号码|一键拨打",
            1,
        ),
        (r"官方(?:客服)?热线|客服热线大全|联系方式大全", 1),
        (r"各大?平台|全平台|各种会员|所有会员", 1),
        (r"秒到账|快速到账|当天到账", 1),
        (r"免费咨询|欢迎(?:咨询|来电)|有需要的|需要的朋友|兼职", 1),
        (r"(?i)click here|limited offer|guaranteed|contact us now", 1),
    ]
    .into_iter()
    .map(|(p, w)| (Regex::new(p).expect("static regex"), w))
    .collect()
});
const AD_THRESHOLD: u32 = 4;

/// A web address: optional scheme, host ending in a TLD spammers use, optional ASCII path.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:https?://)?(?:[a-z0-9-]+\.)+(?:com|cn|net|org|top|xyz|vip|cc|io|tv|info|biz|shop|site|club|online|app|ltd|link|icu|wang|ren)(?:[/?#:][!-~]*)?",
    )
    .expect("static regex")
});

/// Why a submission looks automated or abusive (empty = looks fine). `place_names` are the
/// province names (see [`short_place_names`]); the reasons are `phone_numbers`, `links`,
/// `repeated_lines`, `repeated_characters`, `place_names` and `ad_phrases`.
pub fn content_reasons(narrative: &str, place_names: &[&str]) -> Vec<&'static str> {
    let text = fold_width(narrative);
    let mut reasons = Vec::new();
    let phones = phone_numbers(&text);
    if phones.personal.len() >= 3 || phones.personal.len() + phones.hotlines.len() >= 4 {
        reasons.push("phone_numbers");
    }
    if is_link_list(&text) {
        reasons.push("links");
    }
    let places: HashSet<&str> = place_names
        .iter()
        .chain(CITIES)
        .copied()
        .filter(|p| p.chars().count() >= 2 && text.contains(p))
        .collect();
    if has_repeats(&text, &places) {
        reasons.push("repeated_lines");
    }
    if has_long_run(narrative, 20) {
        reasons.push("repeated_characters");
    }
    if places.len() >= 6 {
        reasons.push("place_names");
    }
    let ad_score: u32 = AD_CUES
        .iter()
        .filter(|(re, _)| re.is_match(&text))
        .map(|(_, w)| w)
        .sum();
    if ad_score >= AD_THRESHOLD {
        reasons.push("ad_phrases");
    }
    reasons
}

/// Several links where the text is mostly links, or links to many sites. One or two links to
/// the company's own site inside a story are normal.
fn is_link_list(text: &str) -> bool {
    let mut count = 0;
    let mut link_chars = 0;
    let mut hosts = HashSet::new();
    let mut domains = HashSet::new();
    for m in LINK.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|c| c == '@' || c == '.' || c.is_ascii_alphanumeric()) {
            continue; // an e-mail address, or the tail of something longer
        }
        let url = m.as_str().to_ascii_lowercase();
        let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        let host = rest
            .split(['/', '?', '#', ':'])
            .next()
            .unwrap_or(rest)
            .trim_start_matches("www.");
        let labels: Vec<&str> = host.split('.').collect();
        let keep = if labels.len() >= 3
            && labels[labels.len() - 1] == "cn"
            && matches!(
                labels[labels.len() - 2],
                "com" | "net" | "org" | "gov" | "edu"
            ) {
            3
        } else {
            2
        };
        domains.insert(labels[labels.len().saturating_sub(keep)..].join("."));
        hosts.insert(host.to_string());
        count += 1;
        link_chars += m.as_str().chars().count();
    }
    if count < 2 {
        return false;
    }
    let other = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
        .saturating_sub(link_chars);
    domains.len() >= 3 || count >= 5 || other / count < 30
}

/// The same line, sentence or clause three times: slogans, pasted blocks, and SEO lines that
/// differ only in the place name (`北京XX客服电话 400…`, `上海XX客服电话 400…`).
fn has_repeats(text: &str, places: &HashSet<&str>) -> bool {
    let mut text = text.to_string();
    // Longest first, so 乌鲁木齐 goes before a shorter name it might contain.
    let mut places: Vec<&str> = places.iter().copied().collect();
    places.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in places {
        text = text.replace(p, "");
    }
    let lines: Vec<&str> = text.lines().collect();
    let sentences: Vec<&str> = text.split(|c: char| "\n。！？!?；;".contains(c)).collect();
    // Clauses split at spaces too; English words are not clauses, hence counting CJK only.
    let clauses: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "\n。！？!?；;，,、~…".contains(c))
        .collect();
    let visible: fn(&str) -> usize = |u| u.chars().filter(|c| !c.is_whitespace()).count();
    let cjk: fn(&str) -> usize = |u| u.chars().filter(|c| !c.is_ascii()).count();
    let repeated = [
        (lines, 4, visible),
        (sentences, 5, visible),
        (clauses, 6, cjk),
    ]
    .into_iter()
    .any(|(units, min, size)| {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        units
            .into_iter()
            .map(str::trim)
            .filter(|u| size(u) >= min)
            .any(|u| {
                let n = seen.entry(u).or_default();
                *n += 1;
                *n >= 3
            })
    });
    repeated
}

fn has_long_run(s: &str, n: usize) -> bool {
    let mut prev = None;
    let mut run = 0;
    for c in s.chars() {
        if Some(c) == prev && !c.is_whitespace() {
            run += 1;
            if run >= n {
                return true;
            }
        } else {
            run = 1;
            prev = Some(c);
        }
    }
    false
}

/// Province names without their administrative suffix, for the place-list heuristic.
pub fn short_place_names(full: &[String]) -> Vec<String> {
    full.iter()
        .map(|n| {
            let mut s = n.clone();
            for suffix in [
                "维吾尔自治区",
                "壮族自治区",
                "回族自治区",
                "特别行政区",
                "自治区",
                "省",
                "市",
            ] {
                if let Some(stripped) = s.strip_suffix(suffix) {
                    s = stripped.to_string();
                    break;
                }
            }
            s
        })
        .collect()
}

#[cfg(test)]
mod tests;
