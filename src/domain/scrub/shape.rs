//! One pass over the bytes says which patterns can match at all, so most narratives skip most
//! passes.
use super::normalize;

/// What one pass over the bytes says about which patterns can match at all, so most
/// narratives (Chinese prose with a price or a date) skip most regex passes. Skipping is exact:
/// each skipped pattern needs what the flag says is absent.
pub(super) struct Shape {
    /// `@`: e-mail addresses.
    pub(super) at_sign: bool,
    /// Any ASCII digit: plates (which must hold one), keyword values of digits.
    pub(super) digit: bool,
    /// A full-width digit, letter or id sign, or an ideographic space: fold first
    /// (`normalize.rs`). Not a gate for any pattern.
    pub(super) foldable: bool,
    /// Any ASCII letter: the English name triggers, and plates (a letter follows the province).
    pub(super) letter: bool,
    /// At least [`Shape::WORDY`] ASCII letters: English street addresses and the English name
    /// triggers are looked for only in text with some English in it (a heuristic gate, unlike
    /// the others: "my name is" inside Chinese prose with fewer letters is missed).
    pub(super) wordy: bool,
    /// A run of at least 5 of `[A-Za-z0-9_-]`: keyword ids without digits (the id after the
    /// keyword is such a run, and shorter ones are not reported).
    pub(super) id_run: bool,
    /// A run of `[A-Za-z0-9_-]` holding at least 7 digits: the looser id rules.
    pub(super) dense_id: bool,
    /// A run of digits and number punctuation (`+ - . ( ) （ ）` and spaces) with at least
    /// [`Shape::LONG`] digits. Phones need 10 digits in such a run (a landline: area code of
    /// 2–3 digits after 0 or +86, then 7–8 digits; a mobile 11), numbers in groups and bare
    /// numbers 12 (17 + X for an ID), so without one these patterns cannot yield anything.
    pub(super) long_numbers: bool,
}

impl Shape {
    const LONG: usize = 10;
    const ID_RUN: usize = 5;
    const DENSE: usize = 7;
    const WORDY: usize = 12;

    /// Byte by byte: every character it looks for is ASCII except the full-width parentheses
    /// (`EF BC 88`, `EF BC 89` in UTF-8), and any other byte of a multi-byte character ends a
    /// run just as the character would.
    pub(super) fn of(text: &str) -> Shape {
        let mut shape = Shape {
            at_sign: false,
            digit: false,
            foldable: false,
            letter: false,
            wordy: false,
            id_run: false,
            dense_id: false,
            long_numbers: false,
        };
        let bytes = text.as_bytes();
        let mut run_digits = 0usize;
        let mut id_run = 0usize;
        let mut id_digits = 0usize;
        let mut letters = 0usize;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b >= 0x80 {
                // A multi-byte character: skip its continuation bytes in one step.
                let width = match b {
                    0xF0.. => 4,
                    0xE0.. => 3,
                    _ => 2,
                };
                let paren = b == 0xEF
                    && bytes.get(i + 1) == Some(&0xBC)
                    && matches!(bytes.get(i + 2), Some(0x88 | 0x89));
                if matches!(b, 0xEF | 0xE3) && !shape.foldable {
                    shape.foldable = normalize::foldable_at(bytes, i);
                }
                if !paren {
                    run_digits = 0;
                }
                id_run = 0;
                id_digits = 0;
                i += width;
                continue;
            }
            i += 1;
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
                id_run += 1;
                id_digits += usize::from(b.is_ascii_digit());
                shape.id_run |= id_run >= Shape::ID_RUN;
                shape.dense_id |= id_digits >= Shape::DENSE;
            } else {
                id_run = 0;
                id_digits = 0;
            }
            match b {
                b'0'..=b'9' => {
                    shape.digit = true;
                    run_digits += 1;
                    if run_digits >= Shape::LONG {
                        shape.long_numbers = true;
                    }
                    continue;
                }
                b' ' | b'-' | b'+' | b'(' | b')' | b'.' => continue,
                b'@' => shape.at_sign = true,
                b if b.is_ascii_alphabetic() => {
                    shape.letter = true;
                    letters += 1;
                    shape.wordy |= letters >= Shape::WORDY;
                }
                _ => {}
            }
            run_digits = 0;
        }
        shape
    }
}
