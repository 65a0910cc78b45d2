//! Small-cell suppression for the public tier. Pure: values and the sums that relate them in,
//! what may be shown out.
//!
//! - Primary: a count of 1–4 complaints is shown as "<5" ([`Shown::Small`]). Zeros are shown.
//! - Secondary: published totals would let anyone subtract their way back to a hidden cell, so
//!   more cells are withheld ([`Shown::Withheld`], shown as "x") until, from the published
//!   figures alone, every hidden cell stays uncertain.
//!
//! The attacker is assumed to know everything published, how the sums relate, and what the
//! markers mean ("<5" is 1–4, "x" is 5 or more, since only nonzero cells of at least 5 are
//! chosen for "x"). Two checks, repeated until both pass:
//!
//! 1. In every sum, each "<5" cell must still be able to take any value 1–4, and each "x" cell
//!    at least two values, given the bounds of the other hidden members. While a sum fails, its
//!    smallest shown nonzero part is withheld (its total, if no part is left). Merely "two
//!    values per sum" is not enough: bounds from several sums combine.
//! 2. Across all sums together, no hidden cell may be fixed by linear algebra alone (a cell on a
//!    "bridge" between two groups of hidden cells can be, even when each sum has two hidden
//!    members); if one is, another member of one of its sums is withheld.
//!
//! Check 1 takes bounds into account per sum, check 2 takes all sums into account without
//! bounds; an attack that needs both at once (an integer program over several sums) is not ruled
//! out in general. The unit tests attack small tables by brute force.
use serde::Serialize;

/// Counts below this are never shown.
pub const THRESHOLD: i64 = 5;

/// What the public sees in place of a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Shown {
    Value(i64),
    /// 1–4 complaints ("<5").
    Small,
    /// Withheld so that a small cell cannot be worked out ("x").
    Withheld,
}

impl Shown {
    pub fn is_hidden(self) -> bool {
        !matches!(self, Shown::Value(_))
    }

    /// The text in tables, CSV and JSON: the number, `<5` or `x`.
    pub fn text(self) -> String {
        match self {
            Shown::Value(v) => v.to_string(),
            Shown::Small => format!("<{THRESHOLD}"),
            Shown::Withheld => "x".into(),
        }
    }

    /// The number when shown.
    pub fn value(self) -> Option<i64> {
        match self {
            Shown::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// A total and the parts that add up to it, as indices into the value list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equation {
    pub total: usize,
    pub parts: Vec<usize>,
}

const INF: i128 = 1_000_000_000_000_000;

fn bounds(s: Shown) -> (i128, i128) {
    match s {
        Shown::Value(v) => (v as i128, v as i128),
        Shown::Small => (1, (THRESHOLD - 1) as i128),
        Shown::Withheld => (THRESHOLD as i128, INF),
    }
}

fn members(eq: &Equation) -> impl Iterator<Item = (usize, i128)> + '_ {
    eq.parts
        .iter()
        .map(|&p| (p, 1))
        .chain(std::iter::once((eq.total, -1)))
}

/// The values hidden member `u` (with coefficient `cu`) could take, from this sum alone.
fn feasible(eq: &Equation, shown: &[Shown], u: usize, cu: i128) -> (i128, i128) {
    // Σ c·x = 0 over members, so cu·xu = −Σ(others).
    let (mut lo, mut hi) = (0i128, 0i128);
    for (i, c) in members(eq) {
        if i == u {
            continue;
        }
        let (a, b) = bounds(shown[i]);
        let (x, y) = if c > 0 {
            (c * a, c * b)
        } else {
            (c * b, c * a)
        };
        lo = (lo + x).clamp(-INF, INF);
        hi = (hi + y).clamp(-INF, INF);
    }
    let (lo_u, hi_u) = if cu > 0 { (-hi, -lo) } else { (lo, hi) };
    let (a, b) = bounds(shown[u]);
    (lo_u.max(a), hi_u.min(b))
}

fn protected(eq: &Equation, shown: &[Shown]) -> bool {
    members(eq)
        .filter(|(i, _)| shown[*i].is_hidden())
        .all(|(u, cu)| {
            let (lo, hi) = feasible(eq, shown, u, cu);
            match shown[u] {
                // A full 1–4 range per sum leaves slack for the sums that share the cell.
                Shown::Small => lo <= 1 && hi >= THRESHOLD as i128 - 1,
                _ => hi > lo,
            }
        })
}

/// The shown member of `eq` to withhold next: the smallest nonzero part, else the total.
fn candidate(eq: &Equation, values: &[i64], shown: &[Shown]) -> Option<usize> {
    let part = eq
        .parts
        .iter()
        .copied()
        .filter(|&p| !shown[p].is_hidden() && values[p] > 0)
        .min_by_key(|&p| (values[p], p));
    part.or_else(|| (!shown[eq.total].is_hidden() && values[eq.total] > 0).then_some(eq.total))
}

/// Hidden cells whose value follows from the sums by linear algebra alone: `e_k` lies in the
/// row space of the sums restricted to hidden cells iff the reduced row echelon form has a row
/// that is exactly `e_k`.
fn determined(values_len: usize, equations: &[Equation], shown: &[Shown]) -> Vec<usize> {
    let hidden: Vec<usize> = (0..values_len).filter(|&i| shown[i].is_hidden()).collect();
    if hidden.is_empty() {
        return vec![];
    }
    let col = |i: usize| hidden.iter().position(|&h| h == i);
    let mut m: Vec<Vec<f64>> = equations
        .iter()
        .map(|eq| {
            let mut row = vec![0.0; hidden.len()];
            for (i, c) in members(eq) {
                if let Some(k) = col(i) {
                    row[k] += c as f64;
                }
            }
            row
        })
        .filter(|r| r.iter().any(|x| *x != 0.0))
        .collect();
    let (rows, cols) = (m.len(), hidden.len());
    let mut pivot_row = 0;
    let mut pivots = Vec::new();
    for c in 0..cols {
        let Some(p) = (pivot_row..rows).max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs()))
        else {
            break;
        };
        if m[p][c].abs() < 1e-9 {
            continue;
        }
        m.swap(pivot_row, p);
        let d = m[pivot_row][c];
        for x in m[pivot_row].iter_mut() {
            *x /= d;
        }
        let pivot = m[pivot_row].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r != pivot_row && row[c].abs() > 1e-12 {
                let f = row[c];
                for (x, p) in row.iter_mut().zip(&pivot) {
                    *x -= f * p;
                }
            }
        }
        pivots.push((pivot_row, c));
        pivot_row += 1;
        if pivot_row == rows {
            break;
        }
    }
    pivots
        .into_iter()
        .filter(|&(r, c)| (0..cols).all(|k| k == c || m[r][k].abs() < 1e-9))
        .map(|(_, c)| hidden[c])
        .collect()
}

/// Decides what to show for each value, given the sums published alongside. Every total must
/// itself be in `values` (it is suppressed like any other cell).
pub fn suppress(values: &[i64], equations: &[Equation]) -> Vec<Shown> {
    let mut shown: Vec<Shown> = values
        .iter()
        .map(|&v| {
            if v > 0 && v < THRESHOLD {
                Shown::Small
            } else {
                Shown::Value(v)
            }
        })
        .collect();
    // Each round withholds one more cell, so this ends after at most `values.len()` rounds.
    'rounds: loop {
        for eq in equations {
            if !protected(eq, &shown) {
                if let Some(c) = candidate(eq, values, &shown) {
                    shown[c] = Shown::Withheld;
                    continue 'rounds;
                }
            }
        }
        for cell in determined(values.len(), equations, &shown) {
            let next = equations
                .iter()
                .filter(|eq| members(eq).any(|(i, _)| i == cell))
                .filter_map(|eq| candidate(eq, values, &shown))
                .min_by_key(|&c| (values[c], c));
            if let Some(c) = next {
                shown[c] = Shown::Withheld;
                continue 'rounds;
            }
        }
        return shown;
    }
}

/// Index bookkeeping for a table with row totals, column totals and a grand total.
#[derive(Debug, Clone)]
pub struct Grid {
    pub rows: usize,
    pub cols: usize,
}

impl Grid {
    pub fn cell(&self, r: usize, c: usize) -> usize {
        r * self.cols + c
    }
    pub fn row_total(&self, r: usize) -> usize {
        self.rows * self.cols + r
    }
    pub fn col_total(&self, c: usize) -> usize {
        self.rows * self.cols + self.rows + c
    }
    pub fn grand(&self) -> usize {
        self.rows * self.cols + self.rows + self.cols
    }
    pub fn len(&self) -> usize {
        self.grand() + 1
    }
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Cells, then row totals, then column totals, then the grand total.
    pub fn values(&self, cells: &[Vec<i64>]) -> Vec<i64> {
        let mut v: Vec<i64> = cells.iter().flatten().copied().collect();
        let rows: Vec<i64> = cells.iter().map(|r| r.iter().sum()).collect();
        let cols: Vec<i64> = (0..self.cols)
            .map(|c| cells.iter().map(|r| r[c]).sum())
            .collect();
        let grand = rows.iter().sum();
        v.extend(rows);
        v.extend(cols);
        v.push(grand);
        v
    }

    /// Rows, columns, and the grand total as the sum of each margin.
    pub fn equations(&self) -> Vec<Equation> {
        let mut eqs = Vec::new();
        for r in 0..self.rows {
            eqs.push(Equation {
                total: self.row_total(r),
                parts: (0..self.cols).map(|c| self.cell(r, c)).collect(),
            });
        }
        for c in 0..self.cols {
            eqs.push(Equation {
                total: self.col_total(c),
                parts: (0..self.rows).map(|r| self.cell(r, c)).collect(),
            });
        }
        eqs.push(Equation {
            total: self.grand(),
            parts: (0..self.rows).map(|r| self.row_total(r)).collect(),
        });
        eqs.push(Equation {
            total: self.grand(),
            parts: (0..self.cols).map(|c| self.col_total(c)).collect(),
        });
        eqs
    }
}

#[cfg(test)]
#[path = "suppress_tests.rs"]
mod tests;
