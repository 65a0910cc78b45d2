//! Synthetic tracking codes, distinct and clear of the ones already taken.
use super::*;

/// `n` tracking codes, distinct, none of them one that `avoid` names.
pub(super) fn new_codes(n: usize, avoid: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut seen = HashSet::with_capacity(n);
    let mut codes = Vec::with_capacity(n);
    while codes.len() < n {
        let code = TrackingCode::generate().to_string();
        if !avoid(&code) && seen.insert(code.clone()) {
            codes.push(code);
        }
    }
    codes
}

/// Gives every row a tracking code from `codes` ([`new_codes`]), replacing those the table
/// already holds (40 random bits: collisions are rare, but likely once in a million-row table).
/// `taken` answers which of the codes it is given the table holds; it runs inside the batch's
/// transaction, so the check and the insert see the same rows.
pub(super) fn assign_tracking_codes(
    rows: &mut [complaint::ActiveModel],
    mut codes: Vec<String>,
    mut taken: impl FnMut(Vec<String>) -> anyhow::Result<HashSet<String>>,
) -> anyhow::Result<()> {
    let mut check = codes.clone();
    while !check.is_empty() {
        let taken = taken(std::mem::take(&mut check))?;
        check = replace_taken(&mut codes, &taken);
    }
    for (row, code) in rows.iter_mut().zip(codes) {
        row.tracking_code = Set(code);
    }
    Ok(())
}

/// Replaces the codes in `taken` by fresh ones ([`new_codes`], distinct from all in `codes`);
/// returns the new codes, which need checking in turn.
pub(super) fn replace_taken(codes: &mut [String], taken: &HashSet<String>) -> Vec<String> {
    let at: Vec<usize> = (0..codes.len())
        .filter(|&i| taken.contains(&codes[i]))
        .collect();
    if at.is_empty() {
        return Vec::new();
    }
    let fresh = {
        let existing: HashSet<&str> = codes.iter().map(String::as_str).collect();
        new_codes(at.len(), &|c| existing.contains(c))
    };
    for (&i, code) in at.iter().zip(&fresh) {
        codes[i] = code.clone();
    }
    fresh
}
