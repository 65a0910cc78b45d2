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

/// The place names exactly as intake builds them from the seeded province list.
fn intake_place_names() -> Vec<String> {
    short_place_names(
        &migration::shared::reference::PROVINCES
            .iter()
            .flat_map(|p| [p.name_zh.to_string(), p.name_en.to_string()])
            .collect::<Vec<_>>(),
    )
}

fn phones(s: &str) -> Vec<String> {
    let mut v: Vec<String> = phone_numbers(&fold_width(s)).personal.into_iter().collect();
    v.sort();
    v
}

#[derive(serde::Deserialize)]
struct Item {
    text: String,
    spam: bool,
    kind: String,
}

#[test]
fn the_corpus_holds_every_spam_text_and_no_genuine_complaint() {
    let corpus: Vec<Item> =
        serde_json::from_str(include_str!("../../../tests/data/spam_corpus.json"))
            .expect("corpus is valid JSON");
    let genuine = corpus.iter().filter(|i| !i.spam).count();
    let spam = corpus.len() - genuine;
    assert!(genuine >= 40, "only {genuine} genuine complaints");
    assert!(spam >= 20, "only {spam} spam texts");
    let kinds: HashSet<&str> = corpus
        .iter()
        .filter(|i| i.spam)
        .map(|i| i.kind.as_str())
        .collect();
    assert!(kinds.len() >= 6, "spam of only {} kinds", kinds.len());

    let names = intake_place_names();
    let places: Vec<&str> = names.iter().map(String::as_str).collect();
    let failures: Vec<String> = corpus
        .iter()
        .enumerate()
        .filter_map(|(n, item)| {
            let reasons = content_reasons(&item.text, &places);
            (reasons.is_empty() == item.spam).then(|| {
                let verdict = if item.spam {
                    "spam let through"
                } else {
                    "genuine held"
                };
                format!("#{n} {} ({verdict}, {reasons:?}): {}", item.kind, item.text)
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} corpus items misjudged:\n{}",
        failures.len(),
        corpus.len(),
        failures.join("\n")
    );
}

#[test]
fn digits_inside_longer_numbers_are_not_phone_numbers() {
    // Each of these contains an 11-digit run that looks like a mobile number.
    for s in [
        "身份证号11013819900307123X",
        "身份证 110138 19900307 123X",
        "身份证 1101-3812-3456-7812-34",
        "订单号T321213812345678",
        "订单 DD-13812345678",
        "银行卡6222138123456789012",
        "卡号 6217 1381 2345 6789 012",
        "IMEI 861381234567890",
        "IMEI：８６１３８１２３４５６７８９０",
        "交易号 4200001381234567890123",
        "账号 wxid_13812345678",
    ] {
        assert_eq!(phones(s), Vec::<String>::new(), "{s}");
    }
    let story = "我的手机13800138000，身份证11013819900307123X，订单T321213912345678，\
                 银行卡6222 0213 7123 4567 890，IMEI 861381234567890，打过10086、95588和400-123-4567。";
    assert_eq!(phones(story), vec!["13800138000"]);
    assert!(content_reasons(story, PLACES).is_empty());
}

#[test]
fn real_mobiles_count_however_they_are_spaced() {
    assert_eq!(
        phones("138 1234 5678，139-8765-4321，+86 13612345678，１５０　１２３４　５６７８"),
        vec!["13612345678", "13812345678", "13987654321", "15012345678"]
    );
    assert_eq!(
        phones("+86-138-1234-5678 或 008613812345678 或 8613812345678"),
        vec!["13812345678"],
        "one number written three ways"
    );
    assert_eq!(
        phones("010-12345678 0755 8888 6666 13800138000 13900139000"),
        vec!["01012345678", "075588886666", "13800138000", "13900139000"]
    );
    let three = "请打 138 1234 5678、139-1234-5678 或 +86 13712345678";
    assert_eq!(content_reasons(three, PLACES), vec!["phone_numbers"]);
    let full_width = "打１３８１２３４５６７８或１３９１２３４５６７８或１３７１２３４５６７８";
    assert_eq!(content_reasons(full_width, PLACES), vec!["phone_numbers"]);
}

#[test]
fn hotlines_and_the_companys_own_links_are_normal() {
    let s = "打了10086、10010、10000、95588，还有400-820-3800和800-810-8888，我的号13800138000。\
             官网 https://www.10086.cn/index 和 www.10086.cn/help 上都没有降档入口，\
             App 里也找不到，客服只说让我去营业厅，营业厅又说合约期内不能办理，来回跑了三趟都没有结果。";
    assert!(
        content_reasons(s, PLACES).is_empty(),
        "{:?}",
        content_reasons(s, PLACES)
    );
    let short = "爱奇艺自动续费取消不了";
    assert!(
        content_reasons(short, PLACES).is_empty(),
        "one line is not a repeat"
    );
    let email = "邮箱 zhang@163.com 和 li@qq.com";
    assert!(content_reasons(email, PLACES).is_empty());
}

#[test]
fn suffixes_are_stripped_from_place_names() {
    let v = short_place_names(&["广西壮族自治区".into(), "北京市".into(), "河北省".into()]);
    assert_eq!(v, vec!["广西", "北京", "河北"]);
}
