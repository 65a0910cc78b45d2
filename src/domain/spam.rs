//! Content heuristics for spam and abuse. A suspected submission is stored as `held` for a
//! moderator, never dropped; one phone number or one link in a real story is normal.
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8}|[48]00[\s-]?\d{3}[\s-]?\d{4}")
        .expect("static regex")
});
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)https?://|www\.|\b[a-z0-9-]+\.(?:com|cn|net|top|xyz|vip|cc)\b")
        .expect("static regex")
});

/// Why a submission looks automated or abusive (empty = looks fine).
pub fn content_reasons(narrative: &str, place_names: &[&str]) -> Vec<&'static str> {
    let mut reasons = Vec::new();
    let phones: HashSet<String> = PHONE
        .find_iter(narrative)
        .map(|m| m.as_str().chars().filter(|c| c.is_ascii_digit()).collect())
        .collect();
    if phones.len() >= 3 {
        reasons.push("phone_numbers");
    }
    if LINK.find_iter(narrative).count() >= 2 {
        reasons.push("links");
    }
    let mut lines: HashMap<&str, usize> = HashMap::new();
    for line in narrative
        .lines()
        .map(str::trim)
        .filter(|l| l.chars().count() >= 4)
    {
        *lines.entry(line).or_default() += 1;
    }
    if lines.values().any(|n| *n >= 3) {
        reasons.push("repeated_lines");
    }
    if has_long_run(narrative, 20) {
        reasons.push("repeated_characters");
    }
    let places = place_names
        .iter()
        .filter(|p| p.chars().count() >= 2 && narrative.contains(**p))
        .count();
    if places >= 6 {
        reasons.push("place_names");
    }
    reasons
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
mod tests {
    use super::*;

    const PLACES: &[&str] = &[
        "北京", "上海", "广东", "浙江", "江苏", "四川", "湖北", "河南",
    ];

    #[test]
    fn a_real_story_with_one_hotline_number_is_fine() {
        let s = "我打了10086客服热线，也打了他们的投诉电话400-123-4567，客服说48小时内回电，但一直没人回。我的号码是13800138000。";
        assert!(
            content_reasons(s, PLACES).is_empty(),
            "{:?}",
            content_reasons(s, PLACES)
        );
    }

    #[test]
    fn phone_floods_links_and_repeats_are_suspicious() {
        let flood = "代办退款 13800138000 13900139000 13700137000 加微信";
        assert_eq!(content_reasons(flood, PLACES), vec!["phone_numbers"]);
        let links = "便宜会员 http://a.example.com 和 https://b.example.com";
        assert!(content_reasons(links, PLACES).contains(&"links"));
        let rep = "退款找我\n退款找我\n退款找我\n";
        assert!(content_reasons(rep, PLACES).contains(&"repeated_lines"));
        let places = "北京 上海 广东 浙江 江苏 四川 湖北 办证";
        assert!(content_reasons(places, PLACES).contains(&"place_names"));
        assert!(content_reasons(&"啊".repeat(30), PLACES).contains(&"repeated_characters"));
    }

    #[test]
    fn suffixes_are_stripped_from_place_names() {
        let v = short_place_names(&["广西壮族自治区".into(), "北京市".into(), "河北省".into()]);
        assert_eq!(v, vec!["广西", "北京", "河北"]);
    }
}
