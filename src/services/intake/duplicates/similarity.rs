//! Character-trigram Jaccard similarity of two narratives.

/// Character trigrams of a text, ignoring whitespace and punctuation (so re-typed copies with
/// different spacing or quote marks still compare as equal), sorted and distinct.
pub(super) fn trigrams(s: &str) -> Vec<[char; 3]> {
    migration::shared::fingerprint::trigrams(s)
}

/// Jaccard similarity of two sorted, distinct trigram lists.
pub(super) fn jaccard(ta: &[[char; 3]], tb: &[[char; 3]]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < ta.len() && j < tb.len() {
        match ta[i].cmp(&tb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = (ta.len() + tb.len() - inter) as f64;
    if union == 0.0 {
        0.0
    } else {
        inter as f64 / union
    }
}

/// Jaccard similarity of two texts' character-trigram sets (1.0 for identical texts).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (ta, tb) = (trigrams(a), trigrams(b));
    if ta.is_empty() && tb.is_empty() {
        return if a.trim() == b.trim() { 1.0 } else { 0.0 };
    }
    jaccard(&ta, &tb)
}
