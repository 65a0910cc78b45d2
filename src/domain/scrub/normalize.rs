//! Full-width forms (１３８, ＱＱ, ：, the ideographic space) folded to ASCII before matching, with
//! a map back to the original byte offsets so the placeholders replace what the consumer typed.

/// Full-width digits, letters and the signs numbers and ids are written with (＋ － ． ＃ ＠ ＿),
/// and U+3000 (ideographic space). Full-width punctuation of Chinese prose (，：（）) stays:
/// the patterns accept it as it is, and folding it would make every narrative a copy.
fn fold(c: char) -> Option<char> {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '＋' | '－' | '．' | '＃' | '＠' | '＿' => {
            char::from_u32(c as u32 - 0xFEE0)
        }
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

/// Whether the three bytes at `i` start a character [`fold`] changes.
pub(super) fn foldable_at(b: &[u8], i: usize) -> bool {
    match (b[i], b.get(i + 1), b.get(i + 2)) {
        // U+FF03 ＃, U+FF0B ＋, U+FF0D －, U+FF0E ．, U+FF10..=U+FF19, U+FF20..=U+FF3A, U+FF3F
        (0xEF, Some(0xBC), Some(&c)) => {
            matches!(c, 0x83 | 0x8B | 0x8D | 0x8E | 0x90..=0x99 | 0xA0..=0xBA | 0xBF)
        }
        // U+FF41..=U+FF5A
        (0xEF, Some(0xBD), Some(&c)) => (0x81..=0x9A).contains(&c),
        (0xE3, Some(0x80), Some(0x80)) => true,
        _ => false,
    }
}

/// Text with full-width forms folded, where it has any. Every character of the result starts at
/// `map[i]` in the original for its byte offset `i`, and `map[result.len()] == text.len()`.
pub(super) struct Folded {
    pub(super) text: String,
    map: Vec<usize>,
}

impl Folded {
    /// `None` when there is nothing to fold, which is the common case (one byte scan).
    pub(super) fn of(text: &str) -> Option<Folded> {
        let b = text.as_bytes();
        if !(0..b.len()).any(|i| matches!(b[i], 0xEF | 0xE3) && foldable_at(b, i)) {
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
