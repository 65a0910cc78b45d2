//! Tests of [`super::suppress`], including attackers that try to work hidden cells out.
use std::collections::BTreeSet;

use super::*;

/// Every value each hidden cell can take, given what is published: shown values, the sums, and
/// the meaning of the markers ("<5" = 1–4, "x" = 5 up to `cap`). Exhaustive search with interval
/// pruning; `cap` must be at least the largest true value.
fn attack(shown: &[Shown], eqs: &[Equation], cap: i64) -> Vec<(usize, BTreeSet<i64>)> {
    let hidden: Vec<usize> = (0..shown.len()).filter(|&i| shown[i].is_hidden()).collect();
    let domain = |i: usize| match shown[i] {
        Shown::Small => 1..=THRESHOLD - 1,
        Shown::Withheld => THRESHOLD..=cap,
        Shown::Value(v) => v..=v,
    };
    let mut found: Vec<BTreeSet<i64>> = vec![BTreeSet::new(); hidden.len()];
    let mut x: Vec<Option<i64>> = shown.iter().map(|s| s.value()).collect();
    fn consistent(
        x: &[Option<i64>],
        eqs: &[Equation],
        lo: &dyn Fn(usize) -> i64,
        hi: &dyn Fn(usize) -> i64,
    ) -> bool {
        eqs.iter().all(|eq| {
            let (mut a, mut b) = (0i64, 0i64);
            for (i, c) in eq
                .parts
                .iter()
                .map(|&p| (p, 1))
                .chain(std::iter::once((eq.total, -1)))
            {
                let (l, h) = match x[i] {
                    Some(v) => (v, v),
                    None => (lo(i), hi(i)),
                };
                if c > 0 {
                    a += l;
                    b += h;
                } else {
                    a -= h;
                    b -= l;
                }
            }
            a <= 0 && 0 <= b
        })
    }
    fn search(
        k: usize,
        hidden: &[usize],
        x: &mut Vec<Option<i64>>,
        eqs: &[Equation],
        domain: &dyn Fn(usize) -> std::ops::RangeInclusive<i64>,
        found: &mut Vec<BTreeSet<i64>>,
    ) {
        let lo = |i: usize| *domain(i).start();
        let hi = |i: usize| *domain(i).end();
        if !consistent(x, eqs, &lo, &hi) {
            return;
        }
        if k == hidden.len() {
            for (j, &h) in hidden.iter().enumerate() {
                found[j].insert(x[h].expect("assigned"));
            }
            return;
        }
        for v in domain(hidden[k]) {
            x[hidden[k]] = Some(v);
            search(k + 1, hidden, x, eqs, domain, found);
        }
        x[hidden[k]] = None;
    }
    search(0, &hidden, &mut x, eqs, &domain, &mut found);
    hidden.into_iter().zip(found).collect()
}

fn row(values: &[i64]) -> (Vec<i64>, Vec<Equation>) {
    let mut v = values.to_vec();
    v.push(values.iter().sum());
    let eq = Equation {
        total: values.len(),
        parts: (0..values.len()).collect(),
    };
    (v, vec![eq])
}

/// No published count is 1–4, and no hidden cell can be worked out: each keeps at least two
/// possible values; with `full`, each "<5" cell can still be anything from 1 to 4.
fn assert_safe_as(values: &[i64], eqs: &[Equation], shown: &[Shown], cap: i64, full: bool) {
    for (v, s) in values.iter().zip(shown) {
        if let Shown::Value(p) = s {
            assert!(*p == 0 || *p >= THRESHOLD, "published {p}");
            assert_eq!(p, v);
        } else {
            assert!(*v == 0 || *v >= THRESHOLD || *s == Shown::Small);
        }
    }
    for (i, vals) in attack(shown, eqs, cap) {
        assert!(
            vals.contains(&values[i]),
            "truth of cell {i} must stay feasible"
        );
        if full && shown[i] == Shown::Small {
            assert_eq!(
                vals.len(),
                4,
                "cell {i} (true {}) narrowed to {vals:?}; {shown:?}",
                values[i]
            );
        }
        assert!(
            vals.len() >= 2,
            "hidden cell {i} (true {}) pinned to {vals:?}; {shown:?}",
            values[i]
        );
    }
}

fn assert_safe(values: &[i64], eqs: &[Equation], shown: &[Shown], cap: i64) {
    assert_safe_as(values, eqs, shown, cap, true)
}

#[test]
fn small_counts_are_hidden_and_zeros_and_large_counts_shown() {
    let (v, eqs) = row(&[0, 3, 12, 40]);
    let s = suppress(&v, &eqs);
    assert_eq!(s[0], Shown::Value(0));
    assert_eq!(s[1], Shown::Small);
    assert_eq!(s[3], Shown::Value(40));
    assert_eq!(s[1].text(), "<5");
}

#[test]
fn a_hidden_cell_cannot_be_recovered_by_subtracting_the_others_from_the_total() {
    // The subtraction attack: total 17 − 7 − 9 = 1 if only the small cell were hidden.
    let (v, eqs) = row(&[1, 7, 9]);
    let s = suppress(&v, &eqs);
    // Withholding only the 7 would still tell that the small cell is at most 17 − 9 − 5 = 3.
    assert_eq!(
        s[..4],
        [
            Shown::Small,
            Shown::Withheld,
            Shown::Withheld,
            Shown::Value(17)
        ]
    );
    let shown_parts: i64 = (0..3).filter_map(|i| s[i].value()).sum();
    let hidden_parts = (0..3).filter(|&i| s[i].is_hidden()).count();
    assert!(hidden_parts >= 2 || s[3].is_hidden(), "{s:?}");
    if let Some(total) = s[3].value() {
        assert_ne!(
            total - shown_parts,
            1,
            "the remainder must not be the small cell alone"
        );
    }
    assert_safe(&v, &eqs, &s, 40);
}

#[test]
fn the_meaning_of_the_markers_does_not_give_a_cell_away() {
    // With only 1 and 5 hidden, "x" ≥ 5 and a remainder of 6 would pin the small cell to 1.
    let (v, eqs) = row(&[1, 5, 30]);
    let s = suppress(&v, &eqs);
    assert_safe(&v, &eqs, &s, 60);
    // Two small cells adding up to 2 can only be 1 and 1.
    let (v, eqs) = row(&[1, 1, 20]);
    let s = suppress(&v, &eqs);
    assert_safe(&v, &eqs, &s, 40);
}

#[test]
fn a_small_total_is_hidden_and_protected_in_the_sum_above_it() {
    let grid = Grid { rows: 2, cols: 2 };
    let cells = vec![vec![2, 0], vec![9, 12]];
    let v = grid.values(&cells);
    let eqs = grid.equations();
    let s = suppress(&v, &eqs);
    assert_eq!(s[grid.row_total(0)], Shown::Small);
    assert_safe(&v, &eqs, &s, 40);
}

#[test]
fn tables_without_small_cells_are_published_whole() {
    let grid = Grid { rows: 3, cols: 3 };
    let cells = vec![vec![5, 9, 0], vec![6, 7, 8], vec![0, 0, 11]];
    let v = grid.values(&cells);
    let s = suppress(&v, &grid.equations());
    assert!(s.iter().all(|x| !x.is_hidden()));
}

#[test]
fn random_two_way_tables_resist_an_exhaustive_attacker() {
    // A fixed pseudo-random sequence, so failures are reproducible.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    let mut attacked = 0;
    for _ in 0..400 {
        let (rows, cols) = (2 + next(2) as usize, 2 + next(2) as usize);
        let grid = Grid { rows, cols };
        let cells: Vec<Vec<i64>> = (0..rows)
            .map(|_| {
                (0..cols)
                    .map(|_| {
                        if next(3) == 0 {
                            next(5) as i64
                        } else {
                            next(9) as i64
                        }
                    })
                    .collect()
            })
            .collect();
        let v = grid.values(&cells);
        let eqs = grid.equations();
        let s = suppress(&v, &eqs);
        let hidden = s.iter().filter(|x| x.is_hidden()).count();
        let cap = v[grid.grand()].max(THRESHOLD);
        // Exhaustive search is exponential in the hidden cells; small cases suffice.
        if hidden <= 7 {
            // A "<5" total over "<5" parts bounds them by itself (1 + 1 ≤ total ≤ 4), so only
            // "never pinned" holds for every table.
            assert_safe_as(&v, &eqs, &s, cap, false);
            attacked += 1;
        }
    }
    assert!(
        attacked > 100,
        "only {attacked} tables were small enough to attack"
    );
}

#[test]
fn a_cell_fixed_by_several_sums_together_is_protected_too() {
    let grid = Grid { rows: 3, cols: 3 };
    let cells = vec![vec![1, 30, 30], vec![30, 2, 30], vec![30, 30, 3]];
    let v = grid.values(&cells);
    let eqs = grid.equations();
    let s = suppress(&v, &eqs);
    assert!(determined(v.len(), &eqs, &s).is_empty());
    assert_safe(&v, &eqs, &s, 300);
}
