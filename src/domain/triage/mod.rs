//! Suggests obstacle codes for a complaint from its narrative and structured answers.
//!
//! Pure: the cue rules come from the `obstacle_cues` table (or the seed, in tests) and are
//! compiled once; `suggest` only reads. Each suggestion carries the exact text that triggered it
//! so staff can see why before confirming.
use std::collections::{BTreeMap, HashSet};

use regex::Regex;

mod compile;
mod fold;
mod negation;

use compile::Gate;
use fold::Folded;
use negation::{negated, zh_negated};

/// One cue row as stored in `obstacle_cues`.
#[derive(Debug, Clone)]
pub struct CueRule {
    pub code: String,
    pub lang: String,
    pub pattern: String,
    pub weight: f64,
}

/// Which negation check applies to a cue's matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Negation {
    /// English: skipped after "not", "never", "no", "without" or a "…n't" word.
    English,
    /// Chinese: skipped right after 没/没有/不用/无需… with at most a short object between.
    Chinese,
    /// Any other language: never skipped.
    None,
}

struct CompiledCue {
    code: String,
    negation: Negation,
    regex: Regex,
    weight: f64,
}

/// Cue rules compiled for matching; rules with invalid patterns or weights are left out.
pub struct CompiledCues {
    // No RegexSet pre-pass over all cues: over varied narratives its lazy DFA gives up and it runs
    // in the PikeVM (measured at 28–37 ms per narrative against 0.5 ms for the separate cues).
    cues: Vec<CompiledCue>,
    /// Which cues can match at all: one Aho–Corasick pass over the literal prefixes of the cues
    /// that have a finite set of them (every match of such a cue starts with one of its
    /// prefixes), so only the cues whose prefix occurs in the text run.
    gate: Gate,
}

/// The answers of one complaint that the engine looks at.
#[derive(Debug, Clone, Default)]
pub struct SuggestInput<'a> {
    pub narrative: &'a str,
    /// downgrade | cancel | refund | stop_auto_renewal | other
    pub requested_action: Option<&'a str>,
    /// app | website | hotline | online_chat | store | email | other
    pub channels_tried: &'a [String],
    pub contact_attempts: Option<i32>,
    /// not_resolved | partially_resolved | resolved | gave_up
    pub outcome: Option<&'a str>,
    /// Codes the consumer ticked.
    pub obstacles_reported: &'a [String],
}

/// A suggested obstacle code with its score (0.5–1.0) and the evidence behind it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Suggestion {
    pub code: String,
    pub score: f64,
    pub evidence: Vec<String>,
}

/// Codes whose combined score reaches this are suggested.
pub const THRESHOLD: f64 = 0.5;
/// Narrative evidence quotes kept per code.
const MAX_EVIDENCE: usize = 5;
/// A quote longer than this (a cue with a wide gap) is cut, so evidence stays readable.
const MAX_QUOTE_CHARS: usize = 80;
/// Only the start of a very long narrative is scanned; keeps the cost per complaint bounded.
const MAX_NARRATIVE_BYTES: usize = 64 * 1024;
/// Compiled-program budget per cue; a runaway pattern in the data is rejected, not run.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

// Structured-answer hints. They are weak on purpose: each alone stays below the threshold
// (except a consumer's own tick), so they only tip a code that the narrative already supports.
const HINT_REPEAT_ATTEMPTS: i32 = 3;
const HINT_REPEAT_WEIGHT: f64 = 0.35;
const HINT_CHANNEL_WEIGHT: f64 = 0.25;
const HINT_REFUND_WEIGHT: f64 = 0.3;
const HINT_TICK_WEIGHT: f64 = 0.5;

/// One cue match in the narrative.
struct Hit {
    start: usize,
    end: usize,
    cue: usize,
}

/// Score and evidence being collected for one code.
struct Tally {
    /// Π(1 − weight) over the factors counted so far.
    miss: f64,
    quotes: Vec<(usize, String)>,
    hints: Vec<String>,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            miss: 1.0,
            quotes: Vec::new(),
            hints: Vec::new(),
        }
    }

    fn add(&mut self, weight: f64) {
        self.miss *= 1.0 - weight;
    }
}

/// Suggests obstacle codes, best first, each with the exact text that triggered it.
pub fn suggest(cues: &CompiledCues, input: &SuggestInput) -> Vec<Suggestion> {
    let text = clip(input.narrative, MAX_NARRATIVE_BYTES);
    // Cues run on a folded copy (traditional → simplified characters, full-width → ASCII letters
    // and digits, a few Cantonese words); hits are mapped back, so evidence quotes the original.
    let folded = Folded::new(text);
    let scan = folded.text();

    let mut hits_by_code: BTreeMap<&str, Vec<Hit>> = BTreeMap::new();
    let run = cues.gate.candidates(scan, cues.cues.len());
    for (idx, cue) in cues.cues.iter().enumerate() {
        if !run[idx] {
            continue;
        }
        for m in cue.regex.find_iter(scan) {
            if m.start() == m.end() {
                continue;
            }
            let skip = match cue.negation {
                Negation::English => negated(scan, m.start()),
                Negation::Chinese => zh_negated(scan, m.start()),
                Negation::None => false,
            };
            if skip {
                continue;
            }
            let (start, end) = folded.original_span(m.start(), m.end());
            hits_by_code
                .entry(cue.code.as_str())
                .or_default()
                .push(Hit {
                    start,
                    end,
                    cue: idx,
                });
        }
    }

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for (code, hits) in hits_by_code {
        let tally = tallies.entry(code.to_string()).or_insert_with(Tally::new);
        count_hits(cues, text, hits, tally);
    }
    add_hints(input, &mut tallies);

    let mut out: Vec<Suggestion> = tallies
        .into_iter()
        .filter_map(|(code, mut t)| {
            let score = ((1.0 - t.miss) * 100.0).round() / 100.0;
            if score.is_nan() || score < THRESHOLD {
                return None;
            }
            t.quotes.sort_by_key(|(pos, _)| *pos);
            let mut seen = HashSet::new();
            let mut evidence: Vec<String> = t
                .quotes
                .into_iter()
                .map(|(_, q)| q)
                .filter(|q| seen.insert(q.clone()))
                .take(MAX_EVIDENCE)
                .collect();
            evidence.extend(t.hints);
            Some(Suggestion {
                code,
                score,
                evidence,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.code.cmp(&b.code))
    });
    out
}

/// Counts each cue of one code once. The same stretch of narrative counts once too: a match nested
/// in (or wrapping) a stronger cue's match adds nothing, so near-duplicate cues cannot inflate a
/// score; matches that merely overlap are independent evidence.
fn count_hits(cues: &CompiledCues, text: &str, mut hits: Vec<Hit>, tally: &mut Tally) {
    hits.sort_by(|a, b| {
        let (wa, wb) = (cues.cues[a.cue].weight, cues.cues[b.cue].weight);
        wb.total_cmp(&wa)
            .then(a.cue.cmp(&b.cue))
            .then(a.start.cmp(&b.start))
    });
    let mut claimed: Vec<(usize, usize, usize)> = Vec::new();
    let mut counted: HashSet<usize> = HashSet::new();
    for hit in hits {
        let nested = claimed.iter().any(|&(s, e, cue)| {
            cue != hit.cue && ((s <= hit.start && hit.end <= e) || (hit.start <= s && e <= hit.end))
        });
        if nested {
            continue;
        }
        claimed.push((hit.start, hit.end, hit.cue));
        if counted.insert(hit.cue) {
            tally.add(cues.cues[hit.cue].weight);
        }
        tally
            .quotes
            .push((hit.start, quote(&text[hit.start..hit.end])));
    }
}

/// Structured answers that are genuine (weak) signals for a code.
fn add_hints(input: &SuggestInput, tallies: &mut BTreeMap<String, Tally>) {
    let mut hint = |code: &str, weight: f64, evidence: String| {
        let t = tallies.entry(code.to_string()).or_insert_with(Tally::new);
        t.add(weight);
        t.hints.push(evidence);
    };

    // Several contacts for one request is what REPEAT means; the narrative says how bad it was.
    if let Some(n) = input
        .contact_attempts
        .filter(|n| *n >= HINT_REPEAT_ATTEMPTS)
    {
        hint(
            "REPEAT",
            HINT_REPEAT_WEIGHT,
            format!("contact_attempts: {n}"),
        );
    }

    // Tried self-service first and ended up on the phone or in a store: the shape of CH-ASYM,
    // though it also happens when the consumer simply preferred to call.
    let tried = |c: &str| input.channels_tried.iter().any(|t| t.trim() == c);
    let self_service: Vec<&str> = ["app", "website"]
        .into_iter()
        .filter(|c| tried(c))
        .collect();
    let assisted: Vec<&str> = ["hotline", "store"]
        .into_iter()
        .filter(|c| tried(c))
        .collect();
    if !self_service.is_empty() && !assisted.is_empty() {
        let listed = self_service
            .iter()
            .chain(&assisted)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        hint(
            "CH-ASYM",
            HINT_CHANNEL_WEIGHT,
            format!("channels_tried: {listed}"),
        );
    }

    // A refund request that ended unresolved was, more often than not, refused.
    let action = input.requested_action.map(str::trim);
    let outcome = input.outcome.map(str::trim);
    if action == Some("refund") && matches!(outcome, Some("not_resolved") | Some("gave_up")) {
        let o = outcome.unwrap_or_default();
        hint(
            "REFUND-DENY",
            HINT_REFUND_WEIGHT,
            format!("requested_action: refund, outcome: {o}"),
        );
    }

    // The consumer's own tick is a claim, not proof; it carries a code to the threshold on its
    // own so staff see it, and the narrative decides how high it ranks.
    let mut ticked = HashSet::new();
    for code in input.obstacles_reported {
        let code = code.trim();
        if looks_like_code(code) && ticked.insert(code) {
            hint(code, HINT_TICK_WEIGHT, "consumer ticked".to_string());
        }
    }
}

/// Obstacle codes are short upper-case ASCII words joined by hyphens (`CH-ASYM`).
fn looks_like_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

/// `s` cut to at most `max` bytes on a character boundary.
fn clip(s: &str, max: usize) -> &str {
    &s[..floor_boundary(s, max.min(s.len()))]
}

/// The largest char boundary of `s` not above `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A matched stretch as evidence: trimmed, at most `MAX_QUOTE_CHARS` characters.
fn quote(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= MAX_QUOTE_CHARS {
        return s.to_string();
    }
    let mut q: String = s.chars().take(MAX_QUOTE_CHARS).collect();
    q.push('…');
    q
}

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod tests;
