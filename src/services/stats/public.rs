//! The public tier of the statistics: the regulator summary over a fixed window (the 24 last
//! complete months), every table tied together by its sums and passed through
//! [`suppress`](crate::domain::suppress::suppress) as one system, so a cell hidden in one table
//! cannot be recovered from another. Only complete months are published, so the figures change
//! once a month rather than with every complaint (which would let two snapshots be subtracted).
use chrono::NaiveDate;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::period::Month;
use crate::domain::suppress::{suppress, Equation, Shown, THRESHOLD};
use crate::services::stats::{Counts, Summary, PUBLISHED};

mod open_data;
pub use open_data::*;

/// Companies listed by name; the rest are summed into one row.
pub const TOP_COMPANIES: usize = 50;
/// Months in the public window.
pub const WINDOW_MONTHS: i64 = 24;

/// The published window for a given day: the 24 complete months before the current one.
pub fn window(today: NaiveDate) -> (Month, Month) {
    let to = Month::of(today).plus(-1);
    (to.plus(-(WINDOW_MONTHS - 1)), to)
}

/// One published row: a code (empty for "other companies"), its label key, and what is shown.
#[derive(Debug, Clone)]
pub struct Line {
    pub code: String,
    pub shown: Shown,
}

/// A published rate: `None` when its denominator is under the threshold.
pub fn rate(num: i64, den: i64) -> Option<f64> {
    (den >= THRESHOLD).then(|| num as f64 / den as f64)
}

/// One company row with its rates.
#[derive(Debug, Clone)]
pub struct CompanyLine {
    pub id: Option<i64>,
    pub name: String,
    pub shown: Shown,
    /// Cases marked "no response" by the deadline sweep.
    pub no_response: Shown,
    pub timely_rate: Option<f64>,
    pub resolution_rate: Option<f64>,
    /// Company-reported resolution, consumer satisfaction and dispute rates (see `Counts`).
    pub company_resolution_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub dispute_rate: Option<f64>,
    /// Answers with a category, and per category in `ResponseCategory::ALL` order (listed
    /// companies only).
    pub categories: Option<(Shown, Vec<Shown>)>,
}

/// The rates of one set of counts, each only over a denominator of at least the threshold.
fn rates(c: &Counts) -> [Option<f64>; 3] {
    [
        rate(c.company_resolved(), c.categorized()),
        rate(c.satisfied, c.feedback_known),
        rate(c.disputed, c.answered),
    ]
}

/// A company's answers by category, suppressed with their sum. They share no cell with the
/// other public tables (their sum, answers with a category, is published nowhere else), so
/// suppressing them apart gives what suppressing them with everything else would.
fn category_block(c: &Counts) -> (Shown, Vec<Shown>) {
    let mut values = vec![c.categorized()];
    values.extend(c.categories);
    let eq = Equation {
        total: 0,
        parts: (1..values.len()).collect(),
    };
    let shown = suppress(&values, &[eq]);
    (shown[0], shown[1..].to_vec())
}

/// The public statistics, suppressed.
#[derive(Debug, Clone)]
pub struct PublicStats {
    pub from: Month,
    pub to: Month,
    pub total: Shown,
    pub months: Vec<Line>,
    pub sectors: Vec<Line>,
    /// Province codes; '' for "not given".
    pub provinces: Vec<Line>,
    /// The top companies by name, then one row (`id` None) for all others together.
    pub companies: Vec<CompanyLine>,
    /// Obstacle codes in taxonomy order (columns of the cross-table).
    pub codes: Vec<String>,
    /// Mentions: `cells[month][code]`, month totals, code totals, and all mentions.
    pub cells: Vec<Vec<Shown>>,
    pub month_mentions: Vec<Shown>,
    pub code_mentions: Vec<Shown>,
    pub mentions: Shown,
    pub families: Vec<Line>,
    pub timely_rate: Option<f64>,
    pub resolution_rate: Option<f64>,
    pub median_days: Option<f64>,
    /// Cases marked "no response" by the deadline sweep, in total.
    pub no_response: Shown,
    pub company_resolution_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub dispute_rate: Option<f64>,
}

/// Appends values and returns their indices.
fn push(values: &mut Vec<i64>, new: impl IntoIterator<Item = i64>) -> Vec<usize> {
    new.into_iter()
        .map(|v| {
            values.push(v);
            values.len() - 1
        })
        .collect()
}

/// Builds the public tables from an unsuppressed summary. `codes` is every obstacle code in
/// taxonomy order with its family; `families` every family code in order.
pub fn build(s: &Summary, codes: &[(String, String)], families: &[String]) -> PublicStats {
    let mut values = Vec::new();
    let mut eqs = Vec::new();
    let total = push(&mut values, [s.totals.complaints])[0];
    let mut one_way = |values: &mut Vec<i64>, parts: Vec<i64>| {
        let idx = push(values, parts);
        eqs.push(Equation {
            total,
            parts: idx.clone(),
        });
        idx
    };
    let months_idx = one_way(&mut values, s.by_month.iter().map(|(_, n)| *n).collect());
    let sectors_idx = one_way(&mut values, s.by_sector.iter().map(|(_, n)| *n).collect());
    let provinces_idx = one_way(&mut values, s.by_province.iter().map(|(_, n)| *n).collect());
    // Companies: the directory's largest by name; the rest, and complaints not matched to the
    // directory, in one row.
    let named: Vec<_> = s
        .by_company
        .iter()
        .filter(|c| c.id != 0)
        .take(TOP_COMPANIES)
        .collect();
    let named_sum: i64 = named.iter().map(|c| c.counts.complaints).sum();
    let mut company_values: Vec<i64> = named.iter().map(|c| c.counts.complaints).collect();
    company_values.push(s.totals.complaints - named_sum);
    let companies_idx = one_way(&mut values, company_values);
    // No-responses: the total, each listed company and all others together, one sum.
    let no_response_total = push(&mut values, [s.totals.no_response])[0];
    let mut no_response_values: Vec<i64> = named.iter().map(|c| c.counts.no_response).collect();
    no_response_values.push(s.totals.no_response - no_response_values.iter().sum::<i64>());
    let no_response_idx = push(&mut values, no_response_values);
    eqs.push(Equation {
        total: no_response_total,
        parts: no_response_idx.clone(),
    });

    // Mentions: month × code with margins; families as sums of their codes' totals.
    let rows = s.by_month.len();
    let cols = codes.len();
    let mut grid = vec![vec![0i64; cols]; rows];
    for (m, code, n) in &s.month_obstacle {
        if let (Some(r), Some(c)) = (
            s.by_month.iter().position(|(x, _)| x == m),
            codes.iter().position(|(k, _)| k == code),
        ) {
            grid[r][c] += n;
        }
    }
    let cell_idx: Vec<Vec<usize>> = grid
        .iter()
        .map(|row| push(&mut values, row.iter().copied()))
        .collect();
    let row_idx = push(&mut values, grid.iter().map(|r| r.iter().sum::<i64>()));
    let col_idx = push(
        &mut values,
        (0..cols).map(|c| grid.iter().map(|r| r[c]).sum::<i64>()),
    );
    let mentions_idx = push(&mut values, [grid.iter().flatten().sum::<i64>()])[0];
    for r in 0..rows {
        eqs.push(Equation {
            total: row_idx[r],
            parts: cell_idx[r].clone(),
        });
    }
    for c in 0..cols {
        eqs.push(Equation {
            total: col_idx[c],
            parts: cell_idx.iter().map(|row| row[c]).collect(),
        });
    }
    eqs.push(Equation {
        total: mentions_idx,
        parts: row_idx.clone(),
    });
    eqs.push(Equation {
        total: mentions_idx,
        parts: col_idx.clone(),
    });
    let family_sums: Vec<i64> = families
        .iter()
        .map(|f| {
            codes
                .iter()
                .enumerate()
                .filter(|(_, (_, fam))| fam == f)
                .map(|(c, _)| values[col_idx[c]])
                .sum()
        })
        .collect();
    let family_idx = push(&mut values, family_sums);
    for (i, f) in families.iter().enumerate() {
        let parts = codes
            .iter()
            .enumerate()
            .filter(|(_, (_, fam))| fam == f)
            .map(|(c, _)| col_idx[c])
            .collect();
        eqs.push(Equation {
            total: family_idx[i],
            parts,
        });
    }
    eqs.push(Equation {
        total: mentions_idx,
        parts: family_idx.clone(),
    });

    let shown = suppress(&values, &eqs);
    let lines = |keys: Vec<String>, idx: &[usize]| -> Vec<Line> {
        keys.into_iter()
            .zip(idx)
            .map(|(code, &i)| Line {
                code,
                shown: shown[i],
            })
            .collect()
    };
    let mut companies: Vec<CompanyLine> = named
        .iter()
        .zip(companies_idx.iter().zip(&no_response_idx))
        .map(|(c, (&i, &nr))| {
            let [company_resolution_rate, satisfaction_rate, dispute_rate] = rates(&c.counts);
            CompanyLine {
                id: Some(c.id),
                name: c.name.clone(),
                shown: shown[i],
                no_response: shown[nr],
                timely_rate: rate(c.counts.timely_yes, c.counts.timely_known),
                resolution_rate: rate(c.counts.resolved, c.counts.closed),
                company_resolution_rate,
                satisfaction_rate,
                dispute_rate,
                categories: Some(category_block(&c.counts)),
            }
        })
        .collect();
    if let (Some(&i), Some(&nr)) = (companies_idx.last(), no_response_idx.last()) {
        companies.push(CompanyLine {
            id: None,
            name: String::new(),
            shown: shown[i],
            no_response: shown[nr],
            timely_rate: None,
            resolution_rate: None,
            company_resolution_rate: None,
            satisfaction_rate: None,
            dispute_rate: None,
            categories: None,
        });
    }
    let [company_resolution_rate, satisfaction_rate, dispute_rate] = rates(&s.totals);
    let closed_total = s.totals.closed;
    PublicStats {
        from: s.filter.from,
        to: s.filter.to,
        total: shown[total],
        months: lines(
            s.by_month.iter().map(|(m, _)| m.code()).collect(),
            &months_idx,
        ),
        sectors: lines(
            s.by_sector.iter().map(|(k, _)| k.clone()).collect(),
            &sectors_idx,
        ),
        provinces: lines(
            s.by_province.iter().map(|(k, _)| k.clone()).collect(),
            &provinces_idx,
        ),
        companies,
        codes: codes.iter().map(|(c, _)| c.clone()).collect(),
        cells: cell_idx
            .iter()
            .map(|row| row.iter().map(|&i| shown[i]).collect())
            .collect(),
        month_mentions: row_idx.iter().map(|&i| shown[i]).collect(),
        code_mentions: col_idx.iter().map(|&i| shown[i]).collect(),
        mentions: shown[mentions_idx],
        families: lines(families.to_vec(), &family_idx),
        timely_rate: rate(s.totals.timely_yes, s.totals.timely_known),
        resolution_rate: rate(s.totals.resolved, closed_total),
        median_days: if closed_total >= THRESHOLD {
            s.median_days
        } else {
            None
        },
        no_response: shown[no_response_total],
        company_resolution_rate,
        satisfaction_rate,
        dispute_rate,
    }
}
