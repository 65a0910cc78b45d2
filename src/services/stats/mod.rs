//! Aggregate figures for regulators and the public, read from the rollup tables (see
//! `store::rollup` and `migration::shared::rollups`), never from a scan of every
//! complaint. Figures here are unsuppressed (regulator tier); `public` derives the
//! suppressed public tier from them.
//!
//! Published figures count complaints in [`PUBLISHED`] statuses only: `held` (suspected spam),
//! `rejected` and `duplicate` complaints are left out everywhere.
mod counts;
pub mod examples;
pub mod lane;
pub mod public;
mod rollup_sql;
use std::collections::{BTreeMap, HashMap};

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryResult, QuerySelect, Value};
use serde::Serialize;

use crate::domain::period::Month;
use crate::domain::scorecard;
use crate::entities::company;
use crate::store::sql::stmt;
pub use counts::Counts;
pub(crate) use rollup_sql::query;
use rollup_sql::{close_days, counts_at, counts_cols, grouped, source, sum, where_clause};

/// Statuses whose complaints count in every published figure.
pub const PUBLISHED: [&str; 6] = [
    "received",
    "accepted",
    "forwarded",
    "responded",
    "closed",
    "withdrawn",
];

/// What to count: a month range plus optional sector, obstacle, company and province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Filter {
    pub from: Month,
    pub to: Month,
    pub sector: Option<String>,
    pub obstacle: Option<String>,
    /// Directory company id (0: complaints not matched to the directory).
    pub company: Option<i64>,
    /// GB/T 2260 code ('' : not given).
    pub province: Option<String>,
}

impl Filter {
    /// All complaints received from `from` to `to`.
    pub fn period(from: Month, to: Month) -> Filter {
        Filter {
            from,
            to,
            sector: None,
            obstacle: None,
            company: None,
            province: None,
        }
    }

    /// The same filter over the equally long period just before.
    pub fn previous(&self) -> Filter {
        let n = self.from.span(self.to).max(1);
        Filter {
            from: self.from.plus(-n),
            to: self.from.plus(-1),
            ..self.clone()
        }
    }
}

/// One company's figures (id 0: complaints not matched to the directory).
#[derive(Debug, Clone, Serialize)]
pub struct CompanyFigures {
    pub id: i64,
    pub name: String,
    pub counts: Counts,
    pub median_days: Option<f64>,
    /// Complaints in the equally long period before.
    pub previous: i64,
    /// Everything counted in the equally long period before.
    pub previous_counts: Counts,
}

impl CompanyFigures {
    /// Whether the company fails the scorecard rule in this period and the one before.
    pub fn repeat_offender(&self) -> bool {
        scorecard::repeat_offender(&self.counts.record(), &self.previous_counts.record())
    }
}

/// Everything the dashboard, a report and the public page show for one filter.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub filter: Filter,
    pub totals: Counts,
    /// Complaints in the equally long period before (same other filters).
    pub previous_total: i64,
    /// Everything counted in the equally long period before (same other filters).
    pub previous_totals: Counts,
    /// Median whole days from receipt to closing; `None` when nothing closed, or when an
    /// obstacle filter is set (closing times are not broken down by obstacle).
    pub median_days: Option<f64>,
    pub by_month: Vec<(Month, i64)>,
    pub by_status: Vec<(String, i64)>,
    pub by_sector: Vec<(String, i64)>,
    pub by_province: Vec<(String, i64)>,
    /// Every company with complaints in the period, most complaints first.
    pub by_company: Vec<CompanyFigures>,
    /// Counted obstacle codes ("mentions": a complaint with three codes counts under each).
    pub by_obstacle: Vec<(String, i64)>,
    /// Mentions by month and code (zeros left out).
    pub month_obstacle: Vec<(Month, String, i64)>,
    /// The priority lane against the rest.
    pub lane: lane::LaneSummary,
}

/// The median of a histogram of `(value, count)`; the mean of the two middle values when the
/// count is even.
pub fn median(hist: &[(i64, i64)]) -> Option<f64> {
    let mut h: Vec<(i64, i64)> = hist.iter().copied().filter(|(_, n)| *n > 0).collect();
    h.sort();
    let total: i64 = h.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let at = |k: i64| {
        let mut seen = 0;
        for (v, n) in &h {
            seen += n;
            if seen > k {
                return *v;
            }
        }
        h.last().map(|x| x.0).unwrap_or(0)
    };
    Some((at((total - 1) / 2) + at(total / 2)) as f64 / 2.0)
}

/// Directory names by id.
pub async fn company_names(db: &impl ConnectionTrait) -> Result<HashMap<i64, String>, DbErr> {
    let rows: Vec<(i64, String)> = company::Entity::find()
        .select_only()
        .column(company::Column::Id)
        .column(company::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Every figure for one filter. `unmatched` names the pseudo-company of complaints not
/// matched to the directory.
pub async fn summary(
    db: &impl ConnectionTrait,
    f: &Filter,
    unmatched: &str,
) -> Result<Summary, DbErr> {
    let prev = f.previous();
    let (w, v) = where_clause(f, true, true);
    let month_status = query(
        db,
        format!(
            "SELECT month, status, {} FROM {} WHERE {w} GROUP BY month, status",
            counts_cols(),
            source(f)
        ),
        v,
    );
    let (ow, ov) = where_clause(f, true, true);
    let mentions = query(
        db,
        format!("SELECT month, obstacle_code, {} FROM rollup_obstacles WHERE {ow} GROUP BY month, obstacle_code", sum("n")),
        ov,
    );
    let (sectors, provinces, companies, prev_companies, names, closing) = futures::try_join!(
        grouped(db, f, "sector"),
        grouped(db, f, "province"),
        grouped(db, f, "company_id"),
        grouped(db, &prev, "company_id"),
        company_names(db),
        close_days(db, f),
    )?;
    let lane_figures = lane::lane_summary(db, f, crate::domain::format::today());
    let (month_status, mentions, lane) = futures::try_join!(month_status, mentions, lane_figures)?;

    let mut totals = Counts::default();
    let mut months: BTreeMap<Month, i64> =
        f.from.through(f.to).into_iter().map(|m| (m, 0)).collect();
    let mut statuses: BTreeMap<String, i64> = BTreeMap::new();
    for r in &month_status {
        let c = counts_at(r, 2)?;
        totals.add(&c);
        if let Some(m) = Month::parse(&r.try_get_by_index::<String>(0)?) {
            *months.entry(m).or_default() += c.complaints;
        }
        *statuses.entry(r.try_get_by_index(1)?).or_default() += c.complaints;
    }
    let mut by_obstacle: BTreeMap<String, i64> = BTreeMap::new();
    let mut month_obstacle = Vec::new();
    for r in &mentions {
        let (m, code, n): (String, String, i64) = (
            r.try_get_by_index(0)?,
            r.try_get_by_index(1)?,
            r.try_get_by_index(2)?,
        );
        if n == 0 {
            continue;
        }
        *by_obstacle.entry(code.clone()).or_default() += n;
        if let Some(m) = Month::parse(&m) {
            month_obstacle.push((m, code, n));
        }
    }
    let mut by_obstacle: Vec<(String, i64)> = by_obstacle.into_iter().collect();
    by_obstacle.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let previous: HashMap<String, Counts> = prev_companies.iter().cloned().collect();
    let mut previous_totals = Counts::default();
    for (_, c) in &prev_companies {
        previous_totals.add(c);
    }
    let (per_company_days, all_days) = closing;
    let by_obstacle_filter = f.obstacle.is_some();
    let by_company = companies
        .into_iter()
        .filter(|(_, c)| c.complaints != 0)
        .map(|(k, c)| {
            let id: i64 = k.parse().unwrap_or(0);
            CompanyFigures {
                id,
                name: names
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| unmatched.to_string()),
                counts: c,
                median_days: if by_obstacle_filter {
                    None
                } else {
                    per_company_days.get(&id).and_then(|h| median(h))
                },
                previous: previous.get(&k).map_or(0, |p| p.complaints),
                previous_counts: previous.get(&k).copied().unwrap_or_default(),
            }
        })
        .collect();
    let status_order = |s: &str| {
        PUBLISHED
            .iter()
            .position(|p| *p == s)
            .unwrap_or(PUBLISHED.len())
    };
    let mut by_status: Vec<(String, i64)> = statuses.into_iter().filter(|(_, n)| *n != 0).collect();
    by_status.sort_by_key(|(s, _)| status_order(s));
    let nonzero = |v: Vec<(String, Counts)>| -> Vec<(String, i64)> {
        v.into_iter()
            .filter(|(_, c)| c.complaints != 0)
            .map(|(k, c)| (k, c.complaints))
            .collect()
    };
    Ok(Summary {
        filter: f.clone(),
        totals,
        previous_total: previous_totals.complaints,
        previous_totals,
        median_days: if by_obstacle_filter {
            None
        } else {
            median(&all_days)
        },
        by_month: months.into_iter().collect(),
        by_status,
        by_sector: nonzero(sectors),
        by_province: nonzero(provinces),
        by_company,
        by_obstacle,
        month_obstacle,
        lane,
    })
}

/// Mentions per company and obstacle code, most frequent first within each company.
pub async fn company_obstacles(
    db: &impl ConnectionTrait,
    f: &Filter,
) -> Result<HashMap<i64, Vec<(String, i64)>>, DbErr> {
    let (w, v) = where_clause(f, true, true);
    let sql = format!(
        "SELECT company_id, obstacle_code, {} FROM rollup_obstacles WHERE {w} \
         GROUP BY company_id, obstacle_code",
        sum("n")
    );
    let mut out: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for r in query(db, sql, v).await? {
        let n: i64 = r.try_get_by_index(2)?;
        if n != 0 {
            out.entry(r.try_get_by_index(0)?)
                .or_default()
                .push((r.try_get_by_index(1)?, n));
        }
    }
    for v in out.values_mut() {
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    Ok(out)
}

/// Obstacle families in display order: `(code, name_zh, name_en)`.
pub async fn families(db: &impl ConnectionTrait) -> Result<Vec<(String, String, String)>, DbErr> {
    let sql = "SELECT code, name_zh, name_en FROM obstacle_families ORDER BY sort_order, code";
    let rows = query(db, sql.into(), vec![]).await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get_by_index(0)?,
                r.try_get_by_index(1)?,
                r.try_get_by_index(2)?,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ResponseCategory;

    #[test]
    fn medians_of_histograms() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(3, 1)]), Some(3.0));
        assert_eq!(median(&[(1, 1), (10, 1)]), Some(5.5));
        assert_eq!(median(&[(10, 2), (1, 1)]), Some(10.0));
        assert_eq!(median(&[(1, 2), (2, 0), (7, 2)]), Some(4.0));
    }

    #[test]
    fn the_category_sums_follow_the_response_categories() {
        let from_rollups: Vec<&str> = migration::shared::rollups::SUMS_M15
            .iter()
            .filter_map(|s| s.strip_prefix("resp_"))
            .collect();
        assert_eq!(from_rollups, ResponseCategory::codes());
    }

    #[test]
    fn company_reported_resolution_counts_the_resolving_categories_over_categorised_answers() {
        let c = Counts {
            answered: 5,
            categories: [1, 1, 1, 1, 0, 0],
            ..Counts::default()
        };
        assert_eq!(c.company_resolved(), 3);
        assert_eq!(c.company_resolution_rate(), Some(0.75));
        assert_eq!(c.satisfaction_rate(), None);
    }

    #[test]
    fn the_previous_period_is_as_long_and_just_before() {
        let f = Filter::period(
            Month::parse("2026-07").unwrap(),
            Month::parse("2026-09").unwrap(),
        );
        let p = f.previous();
        assert_eq!(
            (p.from.code(), p.to.code()),
            ("2026-04".into(), "2026-06".into())
        );
    }
}
