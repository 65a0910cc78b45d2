//! Whether a cue match is negated by the words right before it.
use super::floor_boundary;

/// Whether the words right before `start` negate what follows ("was never transferred",
/// "did not try to persuade", "no penalty"). Cues whose meaning includes a negation carry it in
/// their own pattern, so their match starts at the negation and is not affected.
pub(super) fn negated(text: &str, start: usize) -> bool {
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
pub(super) fn zh_negated(text: &str, start: usize) -> bool {
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
