use regex::RegexBuilder;

use super::compile::ascii_word_classes;
use super::*;

fn rule(code: &str, lang: &str, pattern: &str, weight: f64) -> CueRule {
    CueRule {
        code: code.into(),
        lang: lang.into(),
        pattern: pattern.into(),
        weight,
    }
}

fn narrative(text: &str) -> SuggestInput<'_> {
    SuggestInput {
        narrative: text,
        ..SuggestInput::default()
    }
}

fn codes(s: &[Suggestion]) -> Vec<&str> {
    s.iter().map(|x| x.code.as_str()).collect()
}

#[test]
fn every_seeded_cue_compiles_and_names_a_seeded_code() {
    let compiled = CompiledCues::from_seed();
    assert_eq!(
        compiled.len(),
        migration::shared::reference::CUES.len(),
        "a seeded pattern failed to compile"
    );
    let known: HashSet<&str> = migration::shared::reference::OBSTACLES
        .iter()
        .map(|o| o.code)
        .collect();
    for cue in migration::shared::reference::CUES {
        assert!(
            known.contains(cue.code),
            "cue for unknown code {}",
            cue.code
        );
        assert!(
            cue.weight > 0.0 && cue.weight <= 1.0,
            "weight out of range: {}",
            cue.pattern
        );
        assert!(
            cue.lang == "zh" || cue.lang == "en",
            "bad lang for {}",
            cue.pattern
        );
    }
    for o in migration::shared::reference::OBSTACLES {
        let n = migration::shared::reference::CUES
            .iter()
            .filter(|c| c.code == o.code)
            .count();
        assert!((15..=60).contains(&n), "{} has {n} cues", o.code);
    }
}

#[test]
fn the_mere_topic_of_a_complaint_suggests_nothing() {
    let cues = CompiledCues::from_seed();
    for text in [
        "降级",
        "downgrade",
        "客服",
        "我要降级，联系了客服，想取消会员。",
        "I want to downgrade my plan and contacted customer service about my subscription.",
        "I'd like to cancel my membership and get a refund.",
        "申请退款，想退订连续包月。",
    ] {
        assert_eq!(
            suggest(&cues, &narrative(text)),
            vec![],
            "topic text suggested codes: {text}"
        );
    }
}

#[test]
fn evidence_is_the_exact_matched_text_in_order_of_appearance() {
    let cues = CompiledCues::compile(&[
        rule("DEFER", "zh", r"上报处理", 0.7),
        rule("DEFER", "zh", r"[0-9]+小时内回电", 0.8),
    ]);
    let text = "客服说48小时内回电，还说要上报处理。";
    let s = suggest(&cues, &narrative(text));
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].evidence, vec!["48小时内回电", "上报处理"]);
    assert_eq!(s[0].score, 0.94);
    for e in &s[0].evidence {
        assert!(text.contains(e.as_str()));
    }
}

#[test]
fn a_cue_counts_once_however_often_it_matches_but_each_quote_is_kept() {
    let cues = CompiledCues::compile(&[rule("REPEAT", "en", r"on hold", 0.6)]);
    let s = suggest(&cues, &narrative("On hold. Then on hold again. ON HOLD!"));
    assert_eq!(s[0].score, 0.6);
    assert_eq!(s[0].evidence, vec!["On hold", "on hold", "ON HOLD"]);
}

#[test]
fn a_weaker_cue_inside_a_stronger_match_adds_nothing() {
    let cues = CompiledCues::compile(&[
        rule("BOT-WALL", "zh", r"不转人工", 0.8),
        rule("BOT-WALL", "zh", r"转人工", 0.45),
    ]);
    assert_eq!(
        suggest(&cues, &narrative("机器人就是不转人工"))[0].score,
        0.8
    );
    // In a different place the weaker cue is independent evidence.
    let s = suggest(&cues, &narrative("机器人就是不转人工，我又输入转人工"));
    assert_eq!(s[0].score, 0.89);
}

#[test]
fn two_weak_cues_together_reach_the_threshold() {
    let cues = CompiledCues::compile(&[
        rule("WINDOW", "en", r"try again later", 0.35),
        rule("WINDOW", "en", r"next cycle", 0.3),
    ]);
    assert!(suggest(&cues, &narrative("Try again later, they said.")).is_empty());
    let s = suggest(&cues, &narrative("Try again later or in the next cycle."));
    assert_eq!(codes(&s), vec!["WINDOW"]);
    assert_eq!(s[0].score, 0.55);
}

#[test]
fn an_english_cue_right_after_a_negation_is_ignored() {
    let cues = CompiledCues::compile(&[rule("REPEAT", "en", r"transferred", 0.6)]);
    assert!(suggest(
        &cues,
        &narrative("I was never transferred, the first agent helped.")
    )
    .is_empty());
    assert!(suggest(&cues, &narrative("They didn't even get transferred")).is_empty());
    assert_eq!(
        suggest(&cues, &narrative("No. They transferred me.")).len(),
        1
    );
    assert_eq!(
        suggest(&cues, &narrative("I got transferred three times")).len(),
        1
    );
}

#[test]
fn a_chinese_cue_right_after_a_negation_is_ignored() {
    let cues = CompiledCues::compile(&[
        rule("RETAIN", "zh", r"挽留|推销", 0.8),
        rule("DEFER", "zh", r"回电", 0.6),
    ]);
    for text in [
        "降级很顺利，也没弹窗挽留。",
        "客服没跟我推销。",
        "升级不需要回电",
    ] {
        assert!(suggest(&cues, &narrative(text)).is_empty(), "{text}");
    }
    // Idioms where the negation is the complaint, a turn in between, or another clause.
    for (text, code) in [
        ("一直没人回电", "DEFER"),
        ("等了三天也没收到回电", "DEFER"),
        ("说了不需要了还在推销", "RETAIN"),
        ("没想到客服挽留了半小时", "RETAIN"),
        ("我没办法，客服一直挽留", "RETAIN"),
    ] {
        assert_eq!(
            codes(&suggest(&cues, &narrative(text))),
            vec![code],
            "{text}"
        );
    }
}

#[test]
fn traditional_full_width_and_cantonese_text_is_matched_and_quoted_as_written() {
    let cues = CompiledCues::compile(&[
        rule("CH-ASYM", "zh", r"只能打电话", 0.7),
        rule("WINDOW", "zh", r"到期前[0-9]+天", 0.6),
        rule("MISINFO", "zh", r"不可以降", 0.5),
        rule("HIDDEN-ENTRY", "zh", r"没有入口", 0.9),
    ]);
    let text = "客服說只能打電話，到期前１５天再試。佢話唔可以降，App裡冇入口。";
    let s = suggest(&cues, &narrative(text));
    assert_eq!(
        codes(&s),
        vec!["HIDDEN-ENTRY", "CH-ASYM", "WINDOW", "MISINFO"]
    );
    let evidence: Vec<&str> = s.iter().map(|x| x.evidence[0].as_str()).collect();
    assert_eq!(
        evidence,
        vec!["冇入口", "只能打電話", "到期前１５天", "唔可以降"]
    );
    for e in evidence {
        assert!(text.contains(e));
    }
    // Plain simplified text is scanned as it is.
    let s = suggest(&cues, &narrative("只能打电话"));
    assert_eq!(s[0].evidence, vec!["只能打电话"]);
}

#[test]
fn invalid_patterns_and_weights_in_the_data_are_skipped() {
    let cues = CompiledCues::compile(&[
        rule("DEFER", "zh", r"(unclosed", 0.9),
        rule("DEFER", "zh", r"回电", f64::NAN),
        rule("DEFER", "zh", r"回电", 1.5),
        rule("DEFER", "zh", r"回电", 0.0),
        rule("", "zh", r"回电", 0.9),
        rule("DEFER", "zh", r"x{100000}{100000}", 0.9),
        rule("DEFER", "zh", r"上报", 0.7),
    ]);
    assert_eq!(cues.len(), 1);
    assert_eq!(
        codes(&suggest(&cues, &narrative("上报了，等回电"))),
        vec!["DEFER"]
    );
}

#[test]
fn odd_input_never_panics() {
    let cues = CompiledCues::from_seed();
    let empty = CompiledCues::compile(&[]);
    assert!(empty.is_empty());
    assert!(suggest(&cues, &SuggestInput::default()).is_empty());
    assert!(suggest(&empty, &narrative("只能打电话")).is_empty());
    let emoji = "😡😡 降级 🙃 只能打电话 👉👈 on hold 🤬".repeat(50);
    assert!(!suggest(&cues, &narrative(&emoji)).is_empty());
    // Longer than the scan limit, with a multi-byte character straddling the cut.
    let huge = format!(
        "{}只能打电话{}",
        "a".repeat(11),
        "好".repeat(MAX_NARRATIVE_BYTES)
    );
    let s = suggest(&cues, &narrative(&huge));
    assert!(codes(&s).contains(&"CH-ASYM"));
    let weird = [
        "\u{0}",
        "\u{feff}",
        "\r\n\r\n",
        "ǅ",
        "İ",
        "ß",
        "\u{202e}abc",
        "ＡＢＣ１２３冇",
        "冇",
        "唔",
    ]
    .concat();
    let _ = suggest(&cues, &narrative(&weird));
    let all_channels: Vec<String> = ["app", "hotline", "", " store "].map(String::from).to_vec();
    let long = "A".repeat(1000);
    let ticks: Vec<String> = ["RETAIN", "", "x;drop", "RETAIN", long.as_str()]
        .map(String::from)
        .to_vec();
    let input = SuggestInput {
        narrative: "",
        requested_action: Some("refund"),
        channels_tried: &all_channels,
        contact_attempts: Some(i32::MAX),
        outcome: Some("gave_up"),
        obstacles_reported: &ticks,
    };
    let s = suggest(&cues, &input);
    assert_eq!(codes(&s), vec!["RETAIN"]);
    let negative = SuggestInput {
        contact_attempts: Some(i32::MIN),
        ..SuggestInput::default()
    };
    assert!(suggest(&cues, &negative).is_empty());
}

#[test]
fn structured_answers_are_weak_hints_that_show_as_evidence() {
    let cues = CompiledCues::compile(&[rule("REPEAT", "zh", r"排队", 0.3)]);
    let input = SuggestInput {
        contact_attempts: Some(6),
        ..SuggestInput::default()
    };
    assert!(
        suggest(&cues, &input).is_empty(),
        "attempts alone are not enough"
    );
    let input = SuggestInput {
        narrative: "排队排到崩溃",
        contact_attempts: Some(6),
        ..input
    };
    let s = suggest(&cues, &input);
    assert_eq!(s[0].code, "REPEAT");
    assert_eq!(s[0].score, 0.55);
    assert_eq!(s[0].evidence, vec!["排队", "contact_attempts: 6"]);

    let ticked = vec!["SILENT-FAIL".to_string()];
    let input = SuggestInput {
        obstacles_reported: &ticked,
        ..SuggestInput::default()
    };
    let s = suggest(&cues, &input);
    assert_eq!(
        s,
        vec![Suggestion {
            code: "SILENT-FAIL".into(),
            score: 0.5,
            evidence: vec!["consumer ticked".into()]
        }]
    );
}

#[test]
fn english_cues_get_ascii_word_classes_outside_and_inside_brackets() {
    assert_eq!(
        ascii_word_classes(r"\bno\B[\w-]+\W\\b[]\w][^\d\w][[:alpha:]\w]"),
        r"(?-u:\b)no(?-u:\B)[[:word:]-]+\W\\b[][:word:]][^\d[:word:]][[:alpha:][:word:]]"
    );
    // Every shipped cue still compiles, and ASCII boundaries fall between a Chinese
    // character and a Latin word.
    let cues = CompiledCues::from_seed();
    assert_eq!(cues.len(), migration::shared::reference::CUES.len());
    let re = RegexBuilder::new(&ascii_word_classes(r"\bcancel\b"))
        .build()
        .unwrap();
    assert!(re.is_match("我点了cancel按钮"));
    assert!(!re.is_match("cancellation"));
    // The shipped resolution cue ("只能看…p") now matches before a Chinese character.
    assert!(cues
        .cues
        .iter()
        .any(|c| c.code == "LOSS-FRAME" && c.regex.is_match("降级后只能看720p画质")));
}

#[test]
fn the_prefix_gate_changes_no_suggestion() {
    use crate::cli::demo::text::{narrative, Vars, OBSTACLE_WEIGHTS};
    use crate::domain::Sector;
    use rand::{rngs::SmallRng, SeedableRng};
    let gated = CompiledCues::from_seed();
    assert!(
        gated.gate.always.len() < gated.len() / 4,
        "most cues are gated: {} always run",
        gated.gate.always.len()
    );
    let mut ungated = CompiledCues::from_seed();
    ungated.gate = Gate {
        prefixes: None,
        owner: Vec::new(),
        always: (0..ungated.len()).collect(),
    };
    let mut texts: Vec<String> = vec![
        "I had to CALL them to cancel; the Cancel button only said \"contact us\". They \
         refused a refund because I had used the benefits. Two weeks later I was still charged."
            .into(),
        "升級很容易，降級卻要打電話到營業廳，客服一直勸我保留套餐，說退款不可能。只能看720p画质。"
            .into(),
    ];
    let mut rng = SmallRng::seed_from_u64(11);
    let vars = Vars::sample();
    let all: Vec<&str> = OBSTACLE_WEIGHTS.iter().map(|o| o.0).collect();
    for i in 0..300 {
        let codes = &all[(i * 7) % 12..(i * 7) % 12 + 1 + i % 4];
        for sector in [Sector::Telecom, Sector::VideoMembership] {
            texts.push(narrative(&mut rng, sector, "downgrade", codes, "gave_up", &vars).0);
        }
    }
    let mut suggested = 0;
    for text in &texts {
        let input = SuggestInput {
            narrative: text,
            ..Default::default()
        };
        let a = suggest(&gated, &input);
        assert_eq!(a, suggest(&ungated, &input), "{text}");
        suggested += a.len();
    }
    assert!(
        suggested > texts.len(),
        "the corpus triggers cues: {suggested}"
    );
}

#[test]
fn suggestions_are_sorted_by_score_then_code() {
    let cues = CompiledCues::compile(&[
        rule("B", "zh", r"乙", 0.6),
        rule("A", "zh", r"甲", 0.6),
        rule("C", "zh", r"丙", 0.9),
    ]);
    let s = suggest(&cues, &narrative("甲乙丙"));
    assert_eq!(codes(&s), vec!["C", "A", "B"]);
}

#[test]
fn evidence_is_capped_per_code() {
    let cues = CompiledCues::compile(&[rule("REPEAT", "zh", r"第[0-9]+次", 0.6)]);
    let text = (1..=9)
        .map(|i| format!("第{i}次打电话。"))
        .collect::<String>();
    let input = SuggestInput {
        narrative: &text,
        contact_attempts: Some(9),
        ..SuggestInput::default()
    };
    let s = suggest(&cues, &input);
    assert_eq!(s[0].evidence.len(), MAX_EVIDENCE + 1);
    assert_eq!(s[0].evidence[0], "第1次");
    assert_eq!(
        s[0].evidence.last().map(String::as_str),
        Some("contact_attempts: 9")
    );
}
