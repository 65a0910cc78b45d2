//! Suggests obstacle codes for a complaint from its narrative and structured answers.
//!
//! Pure: the cue rules come from the `obstacle_cues` table (or the seed, in tests) and are
//! compiled once; `suggest` only reads. Each suggestion carries the exact text that triggered it
//! so staff can see why before confirming.
use std::collections::{BTreeMap, HashSet};

use regex::{Regex, RegexBuilder};

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

/// The prefix pre-pass of [`CompiledCues`].
struct Gate {
    /// Over every gated cue's prefixes; `None` when no cue has usable prefixes.
    prefixes: Option<aho_corasick::AhoCorasick>,
    /// The cue of each prefix, by prefix index.
    owner: Vec<usize>,
    /// Cues without a usable prefix set: always run.
    always: Vec<usize>,
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
    fn candidates(&self, text: &str, cues: usize) -> Vec<bool> {
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
fn ascii_word_classes(pattern: &str) -> String {
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

/// Whether the words right before `start` negate what follows ("was never transferred",
/// "did not try to persuade", "no penalty"). Cues whose meaning includes a negation carry it in
/// their own pattern, so their match starts at the negation and is not affected.
fn negated(text: &str, start: usize) -> bool {
    let before = &text[floor_boundary(text, start.saturating_sub(40))..start];
    // Only the current clause: "No. They transferred me" is not a negated transfer.
    let clause = before.rfind([
        '.', ',', ';', ':', '!', '?', '。', '，', '；', '！', '？', '\n',
    ]);
    let before = match clause {
        Some(i) => &before[i..],
        None => before,
    };
    let words: Vec<String> = before
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    // The negation may be up to two words away: "not even", "never actually tried to".
    words.iter().rev().take(3).any(|w| {
        matches!(w.as_str(), "not" | "never" | "no" | "without")
            || w.ends_with("n't")
            || w.ends_with("n’t")
    })
}

/// Negators that, right before a Chinese cue, mean the consumer says it did *not* happen
/// (也没弹窗挽留, 没跟我推销, 不需要验证). Longest first.
#[rustfmt::skip]
const ZH_NEGATORS: [&str; 8] = ["不需要", "没有", "未曾", "并未", "不用", "无需", "毫无", "没"];
/// What may follow a negator without negating the cue: idioms where 没/没有 is itself the
/// complaint (没法, 没人, 没收到, 没等到, 没生效 …) or does not negate (没想到, 没多久, 没少).
#[rustfmt::skip]
const ZH_NOT_NEGATING: [&str; 33] = [
    "法", "办法", "想到", "完", "多久", "过", "几", "一会", "人", "能", "等到", "收到", "接到",
    "反应", "用", "效", "结果", "下文", "消息", "动静", "回音", "成", "生效", "到", "错", "问题",
    "门", "关系", "必要", "少", "有人", "什么用", "理",
];
/// At most this many characters (a short object: 弹窗, 跟我, 让我) between negator and cue.
const ZH_NEGATION_GAP: usize = 4;

/// Whether a Chinese cue at `start` is negated: a negator stands at most `ZH_NEGATION_GAP`
/// characters before it in the same clause, with no turn (了, 还, 又, 却, 但, 就, 才, 也, 都)
/// in between. Cues whose meaning includes the negation carry it in the pattern (没有生效), so
/// their match starts at the negator and is not affected.
fn zh_negated(text: &str, start: usize) -> bool {
    let before = &text[floor_boundary(text, start.saturating_sub(48))..start];
    let clause = match before.rfind([
        '。', '，', ',', '；', ';', '！', '!', '？', '?', '\n', '：', ':', '、',
    ]) {
        Some(i) => {
            let next = before[i..].chars().next().map_or(1, char::len_utf8);
            &before[i + next..]
        }
        None => before,
    };
    for (i, _) in clause.char_indices() {
        let rest = &clause[i..];
        let Some(neg) = ZH_NEGATORS.iter().find(|n| rest.starts_with(**n)) else {
            continue;
        };
        let filler = &rest[neg.len()..];
        if ZH_NOT_NEGATING.iter().any(|x| filler.starts_with(x)) {
            continue;
        }
        if filler.chars().count() <= ZH_NEGATION_GAP
            && !filler.contains(['了', '还', '又', '却', '但', '就', '才', '也', '都'])
        {
            return true;
        }
    }
    false
}

/// The narrative as the cues see it, with a map back to the original text.
struct Folded<'a> {
    original: &'a str,
    /// `None` when folding changed nothing (the common case): spans map to themselves.
    folded: Option<(String, Vec<(usize, usize)>)>,
}

impl<'a> Folded<'a> {
    fn new(original: &'a str) -> Folded<'a> {
        if !original.chars().any(|c| fold_char(c).is_some()) {
            return Folded {
                original,
                folded: None,
            };
        }
        let mut text = String::with_capacity(original.len());
        // For every byte of `text`: the byte span of the original character it came from.
        let mut spans = Vec::with_capacity(original.len());
        for (i, c) in original.char_indices() {
            let span = (i, i + c.len_utf8());
            let before = text.len();
            match fold_char(c) {
                Some(Folding::Char(f)) => text.push(f),
                Some(Folding::Str(f)) => text.push_str(f),
                None => text.push(c),
            }
            spans.resize(spans.len() + (text.len() - before), span);
        }
        Folded {
            original,
            folded: Some((text, spans)),
        }
    }

    fn text(&self) -> &str {
        match &self.folded {
            Some((text, _)) => text,
            None => self.original,
        }
    }

    /// The original span behind a (non-empty) span of the folded text.
    fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        match &self.folded {
            Some((_, spans)) => (spans[start].0, spans[end - 1].1),
            None => (start, end),
        }
    }
}

enum Folding {
    Char(char),
    Str(&'static str),
}

/// Traditional characters that occur in complaints, each followed by its simplified form. Only
/// characters that simplified text does not use themselves are listed (no 著, 乾, 覆, 係).
const TRADITIONAL: &str = concat!(
    "這这個个們们來来時时說说話话電电續续費费會会員员級级機机號号碼码帳账賬账戶户證证驗验識识別别處处",
    "復复週周當当沒没為为與与幫帮請请問问題题間间還还讓让給给對对應应錢钱權权確确選选項项設设層层隱隐",
    "顯显網网線线聯联繫系約约違违務务體体動动開开關关閉闭後后點点擊击鍵键買买賣卖貴贵價价優优內内專专",
    "頁页過过達达實实際际誤误導导騙骗規规範范經经補补繳缴額额張张據据單单記记錄录發发現现遲迟語语聽听",
    "讀读環环轉转斷断佔占隊队數数幾几萬万兩两麼么嗎吗裡里裏里邊边擇择離离勸劝損损嚇吓脅胁捨舍棄弃認认",
    "雙双標标準准區区熱热無无從从頭头講讲換换幣币貨货廳厅櫃柜檯台臺台親亲護护臉脸審审計计結结滿满試试",
    "錯错報报絡络訊讯靜静門门進进諉诿訂订閱阅辦办種种樣样兒儿遠远殘残簽签條条協协議议劃划積积資资郵邮",
    "寫写謝谢氣气煩烦擾扰騷骚頻频於于啟启夠够適适銷销終终註注擔担將将裝装稱称攤摊贈赠獎奖勵励儲储檔档",
    "寶宝鎖锁紙纸詳详細细陣阵緩缓遞递鐘钟階阶態态盡尽歷历紀纪備备戲戏遊游樂乐歡欢聞闻書书課课學学習习",
    "練练師师視视營营寬宽帶带簡简傳传統统產产隨随罰罚餘余減减維维類类創创擁拥緊紧響响聲声鈴铃掛挂撥拨",
    "詢询諮咨評评論论願愿舊旧歲岁媽妈雲云盤盘廣广彈弹鈕钮則则圖图覺觉滯滞鄰邻樓楼東东蘋苹觀观險险傷伤",
    "惡恶憤愤詐诈盜盗禮礼屬属鐵铁頓顿馬马黃黄龍龙麗丽億亿團团隻只雜杂極极純纯績绩總总縮缩紅红綠绿藍蓝",
    "觸触誰谁談谈謊谎負负貼贴購购趕赶車车軟软載载輸输農农連连運运邏逻醫医鈔钞銀银鏈链長长閃闪閒闲陽阳",
    "難难靈灵顧顾風风飯饭髒脏鬧闹齊齐",
);

/// Cantonese written forms and the Mandarin words the cues use.
const CANTONESE: [(char, &str); 14] = [
    ('唔', "不"),
    ('冇', "没有"),
    ('咗', "了"),
    ('嘅', "的"),
    ('佢', "他"),
    ('喺', "在"),
    ('畀', "给"),
    ('俾', "给"),
    ('睇', "看"),
    ('搵', "找"),
    ('嚟', "来"),
    ('啲', "些"),
    ('咁', "这么"),
    ('乜', "什么"),
];

fn fold_char(c: char) -> Option<Folding> {
    match c {
        // Full-width digits and Latin letters, and ％ ＄ ＞ ＋.
        '\u{FF10}'..='\u{FF19}'
        | '\u{FF21}'..='\u{FF3A}'
        | '\u{FF41}'..='\u{FF5A}'
        | '％'
        | '＄'
        | '＞'
        | '＋' => char::from_u32(c as u32 - 0xFEE0).map(Folding::Char),
        c if (c as u32) < 0x4E00 => None,
        c => {
            if let Some((_, m)) = CANTONESE.iter().find(|(k, _)| *k == c) {
                return Some(Folding::Str(m));
            }
            simplified(c).map(Folding::Char)
        }
    }
}

fn simplified(c: char) -> Option<char> {
    use std::sync::OnceLock;
    static MAP: OnceLock<std::collections::HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        let chars: Vec<char> = TRADITIONAL.chars().collect();
        chars.chunks_exact(2).map(|p| (p[0], p[1])).collect()
    })
    .get(&c)
    .copied()
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
mod tests {
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
        let all_channels: Vec<String> =
            ["app", "hotline", "", " store "].map(String::from).to_vec();
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
            serde_json::from_str(include_str!("../../tests/data/triage_blind_train.json"))
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
            serde_json::from_str(include_str!("../../tests/data/triage_blind_test.json"))
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
            serde_json::from_str(include_str!("../../tests/data/suggestion_corpus.json"))
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
}
