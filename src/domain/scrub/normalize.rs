//! Full-width forms (１３８, ＱＱ, ：, the ideographic space) folded to ASCII before matching, with
//! a map back to the original byte offsets so the placeholders replace what the consumer typed.

/// Full-width ASCII variants U+FF01..=U+FF5E, and U+3000 (ideographic space).
fn fold(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

/// Text with full-width forms folded, where it has any. Every character of the result starts at
/// `map[i]` in the original for its byte offset `i`, and `map[result.len()] == text.len()`.
pub(super) struct Folded {
    pub(super) text: String,
    map: Vec<usize>,
}

impl Folded {
    /// `None` when there is nothing to fold, which is the common case (one byte scan: every
    /// foldable character starts with byte `EF BC`, `EF BD` or `E3 80 80`).
    pub(super) fn of(text: &str) -> Option<Folded> {
        let b = text.as_bytes();
        let any = b.windows(2).any(|w| {
            (w[0] == 0xEF && matches!(w[1], 0xBC | 0xBD)) || (w[0] == 0xE3 && w[1] == 0x80)
        });
        if !any || !text.chars().any(|c| fold(c).is_some()) {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut map = Vec::with_capacity(text.len() + 1);
        for (at, c) in text.char_indices() {
            let c = fold(c).unwrap_or(c);
            for _ in 0..c.len_utf8() {
                map.push(at);
            }
            out.push(c);
        }
        map.push(text.len());
        Some(Folded { text: out, map })
    }

    /// The original byte offset of folded offset `i` (a character boundary of the folded text).
    pub(super) fn original(&self, i: usize) -> usize {
        self.map[i]
    }
}
