//! Compiling cue rules: regexes with ASCII word classes, and the prefix gate that decides which
//! cues run on a text.
use regex::RegexBuilder;

use super::{CompiledCue, CompiledCues, CueRule, Negation, REGEX_SIZE_LIMIT};

impl CompiledCues {
    /// Compiles every valid rule; a bad pattern or weight is logged and skipped, never fatal.
    pub fn compile(rules: &[CueRule]) -> CompiledCues {
        let mut cues = Vec::with_capacity(rules.len());
        let mut patterns = Vec::with_capacity(rules.len());
        for (i, rule) in rules.iter().enumerate() {
            let code = rule.code.trim();
            if code.is_empty() {
                tracing::warn!(rule = i, "cue rule without an obstacle code skipped");
                continue;
            }
            if !(rule.weight > 0.0 && rule.weight <= 1.0) {
                tracing::warn!(
                    rule = i,
                    code,
                    weight = rule.weight,
                    "cue weight outside (0, 1] skipped"
                );
                continue;
            }
            let lang = rule.lang.trim().to_ascii_lowercase();
            let pattern = ascii_word_classes(&rule.pattern);
            let regex = RegexBuilder::new(&pattern)
                .case_insensitive(true)
                .size_limit(REGEX_SIZE_LIMIT)
                .build();
            match regex {
                Ok(regex) => {
                    patterns.push(pattern);
                    cues.push(CompiledCue {
                        code: code.to_string(),
                        negation: match lang.as_str() {
                            "en" => Negation::English,
                            "zh" => Negation::Chinese,
                            _ => Negation::None,
                        },
                        regex,
                        weight: rule.weight,
                    });
                }
                Err(e) => {
                    tracing::warn!(
                        rule = i,
                        code,
                        pattern = %rule.pattern,
                        error = %e,
                        "invalid cue pattern skipped"
                    );
                }
            }
        }
        let gate = Gate::build(&patterns);
        CompiledCues { cues, gate }
    }

    /// The cues shipped in `migration::shared::reference::CUES`.
    pub fn from_seed() -> CompiledCues {
        let rules: Vec<CueRule> = migration::shared::reference::CUES
            .iter()
            .map(|c| CueRule {
                code: c.code.to_string(),
                lang: c.lang.to_string(),
                pattern: c.pattern.to_string(),
                weight: c.weight,
            })
            .collect();
        CompiledCues::compile(&rules)
    }

    /// Number of usable cues.
    pub fn len(&self) -> usize {
        self.cues.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cues.is_empty()
    }
}

/// A cue with ASCII word characters and boundaries: `\b`, `\B` and `\w` (also `\w` inside a
/// class) become their ASCII forms. Cue words in English are ASCII and Chinese has no word
/// boundaries; a Unicode `\b` counts none between a Chinese character and a Latin letter (so
/// `720p\b` missed "720p画质") and keeps the regex engine off its fast DFA on any text with a
/// Chinese character in it (measured at a fifth of intake CPU).
pub(super) fn ascii_word_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    // Depth of `[…]` classes (they nest), and whether a `]` here would be a literal (right
    // after `[` or `[^`).
    let mut depth = 0usize;
    let mut literal_bracket = false;
    while let Some(c) = chars.next() {
        let was_literal = std::mem::take(&mut literal_bracket);
        match c {
            '\\' => match chars.next() {
                Some(e @ ('b' | 'B' | 'w')) if depth == 0 => {
                    out.push_str("(?-u:\\");
                    out.push(e);
                    out.push(')');
                }
                Some('w') => out.push_str("[:word:]"),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            '[' => {
                out.push('[');
                if depth > 0 && chars.peek() == Some(&':') {
                    // A POSIX class like [:alpha:]: copied whole.
                    for p in chars.by_ref() {
                        out.push(p);
                        if p == ']' {
                            break;
                        }
                    }
                    continue;
                }
                depth += 1;
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                literal_bracket = true;
            }
            ']' if depth > 0 && !was_literal => {
                depth -= 1;
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

/// The prefix pre-pass of [`CompiledCues`].
pub(super) struct Gate {
    /// Over every gated cue's prefixes; `None` when no cue has usable prefixes.
    pub(super) prefixes: Option<aho_corasick::AhoCorasick>,
    /// The cue of each prefix, by prefix index.
    pub(super) owner: Vec<usize>,
    /// Cues without a usable prefix set: always run.
    pub(super) always: Vec<usize>,
}

/// A cue with more prefixes than this (a case-insensitive word expands into its case variants)
/// is not gated; it always runs.
const MAX_PREFIXES_PER_CUE: usize = 4_096;

impl Gate {
    fn build(patterns: &[String]) -> Gate {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut owner = Vec::new();
        let mut always = Vec::new();
        for (i, pattern) in patterns.iter().enumerate() {
            let hir = regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .build()
                .parse(pattern);
            let seq = hir.ok().map(|h| {
                let mut ex = Extractor::new();
                ex.kind(ExtractKind::Prefix);
                ex.extract(&h)
            });
            match seq.as_ref().and_then(|s| s.literals()) {
                Some(ls)
                    if !ls.is_empty()
                        && ls.len() <= MAX_PREFIXES_PER_CUE
                        && ls.iter().all(|l| !l.as_bytes().is_empty()) =>
                {
                    for l in ls {
                        literals.push(l.as_bytes().to_vec());
                        owner.push(i);
                    }
                }
                _ => always.push(i),
            }
        }
        let prefixes = if literals.is_empty() {
            None
        } else {
            match aho_corasick::AhoCorasick::new(&literals) {
                Ok(ac) => Some(ac),
                Err(e) => {
                    tracing::warn!(error = %e, "cue prefix automaton not built; every cue runs");
                    always = (0..patterns.len()).collect();
                    owner.clear();
                    None
                }
            }
        };
        Gate {
            prefixes,
            owner,
            always,
        }
    }

    /// Whether each cue (by index) may match `text`.
    pub(super) fn candidates(&self, text: &str, cues: usize) -> Vec<bool> {
        let mut run = vec![false; cues];
        for &i in &self.always {
            run[i] = true;
        }
        if let Some(ac) = &self.prefixes {
            for m in ac.find_overlapping_iter(text) {
                run[self.owner[m.pattern().as_usize()]] = true;
            }
        }
        run
    }
}
