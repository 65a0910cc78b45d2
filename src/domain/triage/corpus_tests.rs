//! Scores of the suggestion engine over the labelled corpora in tests/data.
use super::*;

#[derive(serde::Deserialize)]
struct Case {
    id: String,
    narrative: String,
    requested_action: Option<String>,
    #[serde(default)]
    channels_tried: Vec<String>,
    contact_attempts: Option<i32>,
    outcome: Option<String>,
    expected: Vec<String>,
}

#[derive(Default)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
}

/// Suggestions from the narrative and structured answers only (no consumer ticks, which
/// would hand the engine the answer).
fn run_case(cues: &CompiledCues, case: &Case) -> Vec<Suggestion> {
    let input = SuggestInput {
        narrative: &case.narrative,
        requested_action: case.requested_action.as_deref(),
        channels_tried: &case.channels_tried,
        contact_attempts: case.contact_attempts,
        outcome: case.outcome.as_deref(),
        obstacles_reported: &[],
    };
    suggest(cues, &input)
}

/// Micro totals and, per expected code, (found, expected, proposed-but-wrong) over a set.
fn score_set(
    cues: &CompiledCues,
    cases: &[Case],
    show_cases: bool,
) -> (Score, BTreeMap<String, (usize, usize, usize)>) {
    let mut total = Score::default();
    let mut per_code: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for case in cases {
        let got = run_case(cues, case);
        let got: HashSet<&str> = got.iter().map(|s| s.code.as_str()).collect();
        let want: HashSet<&str> = case.expected.iter().map(String::as_str).collect();
        let tp = got.intersection(&want).count();
        total.tp += tp;
        total.fp += got.len() - tp;
        total.fn_ += want.len() - tp;
        for code in &want {
            let e = per_code.entry(code.to_string()).or_default();
            e.1 += 1;
            if got.contains(code) {
                e.0 += 1;
            }
        }
        for code in got.difference(&want) {
            per_code.entry(code.to_string()).or_default().2 += 1;
        }
        if show_cases {
            let mut missed: Vec<&&str> = want.difference(&got).collect();
            let mut extra: Vec<&&str> = got.difference(&want).collect();
            missed.sort();
            extra.sort();
            if !missed.is_empty() || !extra.is_empty() {
                println!("{:9} missed {missed:?} extra {extra:?}", case.id);
            }
        }
    }
    (total, per_code)
}

fn print_scores(name: &str, s: &Score, per_code: &BTreeMap<String, (usize, usize, usize)>) {
    println!(
        "{name}: recall {:.3} precision {:.3} (tp {}, fp {}, fn {})",
        s.recall(),
        s.precision(),
        s.tp,
        s.fp,
        s.fn_
    );
    for (code, (found, expected, _)) in per_code.iter().filter(|(_, v)| v.1 > 0) {
        println!("  {code:14} recall {found}/{expected}");
    }
}

/// The blind training set (written without seeing the cues; the cues may be tuned on it).
/// Per-case misses are printed because this set is for tuning.
#[test]
fn blind_train_set_scores() {
    let cases: Vec<Case> =
        serde_json::from_str(include_str!("../../../tests/data/triage_blind_train.json"))
            .expect("blind train set is valid JSON");
    let (s, per_code) = score_set(&CompiledCues::from_seed(), &cases, true);
    print_scores("blind train", &s, &per_code);
    for (code, (_, _, fp)) in per_code.iter().filter(|(_, v)| v.2 > 0) {
        println!("  {code:14} false positives {fp}");
    }
    // In-sample since the cues were broadened on it (docs/taxonomy.md has the history).
    assert!(s.recall() >= 0.95, "blind train recall {:.3}", s.recall());
    assert!(
        s.precision() >= 0.9,
        "blind train precision {:.3}",
        s.precision()
    );
}

/// The blind test set: written without seeing the cues and never used for tuning. Only the
/// aggregate numbers are printed, so that looking at the output does not leak the texts.
#[test]
fn blind_test_set_scores() {
    let cases: Vec<Case> =
        serde_json::from_str(include_str!("../../../tests/data/triage_blind_test.json"))
            .expect("blind test set is valid JSON");
    let (s, per_code) = score_set(&CompiledCues::from_seed(), &cases, false);
    print_scores("blind test", &s, &per_code);
    // Floors a little below the measured 0.652 / 0.915 (docs/taxonomy.md), so a cue change
    // that costs held-out recall or precision fails here. Do not tune cues to this set.
    assert!(s.recall() >= 0.62, "blind test recall {:.3}", s.recall());
    assert!(
        s.precision() >= 0.88,
        "blind test precision {:.3}",
        s.precision()
    );
}

/// `ref-*` are the four reference cases; `own-*` were written before the cues; each `hold*-*`
/// batch was written later and first scored against the cues of that moment (docs/taxonomy.md
/// records those untuned numbers), after which the cues were broadened. So the printed numbers
/// for all batches are in-sample; the docs carry the out-of-sample estimate.
#[test]
fn the_suggestion_corpus_is_recalled_with_good_precision() {
    let corpus: Vec<Case> =
        serde_json::from_str(include_str!("../../../tests/data/suggestion_corpus.json"))
            .expect("corpus is valid JSON");
    let cues = CompiledCues::from_seed();
    let (mut reference, mut own, mut later) =
        (Score::default(), Score::default(), Score::default());
    for case in &corpus {
        let got = run_case(&cues, case);
        let got: HashSet<&str> = got.iter().map(|s| s.code.as_str()).collect();
        let want: HashSet<&str> = case.expected.iter().map(String::as_str).collect();
        let tp = got.intersection(&want).count();
        let (fp, fn_) = (got.len() - tp, want.len() - tp);
        let mut sets = vec![if case.id.starts_with("ref-") {
            &mut reference
        } else {
            &mut own
        }];
        if case.id.starts_with("hold") {
            sets.push(&mut later);
        }
        for s in sets {
            s.tp += tp;
            s.fp += fp;
            s.fn_ += fn_;
        }
        if case.id.starts_with("ref-") {
            assert!(
                tp >= 4,
                "{}: only {tp} of {:?} suggested ({got:?})",
                case.id,
                case.expected
            );
        }
        let mut missed: Vec<&&str> = want.difference(&got).collect();
        let mut extra: Vec<&&str> = got.difference(&want).collect();
        missed.sort();
        extra.sort();
        if !missed.is_empty() || !extra.is_empty() {
            println!("{:8} missed {missed:?} extra {extra:?}", case.id);
        }
    }
    for (name, s) in [
        ("reference cases", &reference),
        ("own set", &own),
        ("  of which hold*", &later),
    ] {
        println!(
            "{name:20} recall {:.3} precision {:.3} (tp {}, fp {}, fn {})",
            s.recall(),
            s.precision(),
            s.tp,
            s.fp,
            s.fn_
        );
    }
    assert!(own.recall() >= 0.8, "own-set recall {:.3}", own.recall());
    assert!(
        own.precision() >= 0.7,
        "own-set precision {:.3}",
        own.precision()
    );
}
