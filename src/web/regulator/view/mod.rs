//! Turning statistics into what templates show: localised names, percentages, changes, the
//! SVG charts, and the table rows beside them.
use std::collections::HashMap;

use serde::Serialize;

use crate::services::stats::Summary;
use crate::web::shared::charts::{self, format_number, Bar};

mod labels;
mod rows;

pub use labels::Labels;
pub use rows::{points, rule_text, Answers, CompanyRow, Totals};

/// 0.834 → "83%".
pub fn pct(r: Option<f64>) -> Option<String> {
    r.map(|r| format!("{:.0}%", r * 100.0))
}

/// 4.0 → "4", 4.5 → "4.5".
pub fn days(d: Option<f64>) -> Option<String> {
    d.map(|d| {
        if d.fract() == 0.0 {
            format!("{d:.0}")
        } else {
            format!("{d:.1}")
        }
    })
}

/// Change against the previous period: "+12%", "−5%", or None without a base.
pub fn change(now: i64, before: i64) -> Option<String> {
    if before == 0 {
        return None;
    }
    let p = (now - before) as f64 / before as f64 * 100.0;
    Some(if p >= 0.0 {
        format!("+{p:.0}%")
    } else {
        format!("−{:.0}%", -p)
    })
}

pub(super) fn share(n: i64, total: i64) -> String {
    if total > 0 {
        format!("{:.1}%", n as f64 / total as f64 * 100.0)
    } else {
        "–".into()
    }
}

/// One month of the trend table.
#[derive(Debug, Clone, Serialize)]
pub struct MonthRow {
    pub code: String,
    pub label: String,
    pub n: i64,
    pub n_fmt: String,
}

/// One obstacle code with its family and share of complaints.
#[derive(Debug, Clone, Serialize)]
pub struct ObstacleRow {
    pub code: String,
    pub name: String,
    pub family: String,
    pub n: i64,
    pub share: String,
}

/// Mentions of one obstacle family.
#[derive(Debug, Clone, Serialize)]
pub struct FamilyRow {
    pub code: String,
    pub name: String,
    pub n: i64,
}

/// A row of a simple breakdown (sector, province, status).
#[derive(Debug, Clone, Serialize)]
pub struct ShareRow {
    pub code: String,
    pub name: String,
    pub n: i64,
    pub share: String,
}

/// The SVG charts beside the tables.
#[derive(Debug, Clone, Serialize)]
pub struct Charts {
    pub trend: String,
    pub obstacles: String,
    pub sectors: String,
    pub provinces: String,
    pub companies: String,
}

/// Rows and charts for one summary (`fig` in the templates).
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub totals: Totals,
    pub months: Vec<MonthRow>,
    pub obstacles: Vec<ObstacleRow>,
    pub families: Vec<FamilyRow>,
    pub sectors: Vec<ShareRow>,
    pub provinces: Vec<ShareRow>,
    pub statuses: Vec<ShareRow>,
    pub companies: Vec<CompanyRow>,
    pub top_companies: usize,
    pub charts: Charts,
    pub obstacle_filter: bool,
    /// The priority lane against the rest: `[lane, rest]`.
    pub lane: [LaneRow; 2],
}

/// One side of the lane comparison, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct LaneRow {
    /// `lane` or `rest` (label key).
    pub key: &'static str,
    pub complaints: i64,
    /// Share of all complaints counted.
    pub share: String,
    pub decided: Option<String>,
    pub decided_of: i64,
    pub timely: Option<String>,
    pub timely_of: i64,
    pub median_days: Option<String>,
}

fn lane_rows(s: &Summary) -> [LaneRow; 2] {
    let total = s.lane.lane.complaints + s.lane.rest.complaints;
    let row = |key: &'static str, c: &crate::services::stats::lane::LaneCounts| LaneRow {
        key,
        complaints: c.complaints,
        share: share(c.complaints, total),
        decided: pct(c.decided_rate()),
        decided_of: c.decided_known,
        timely: pct(c.timely_rate()),
        timely_of: c.timely_known,
        median_days: days(c.median_days),
    };
    [row("lane", &s.lane.lane), row("rest", &s.lane.rest)]
}

/// Rows and charts for one summary. `id` prefixes chart element ids (unique per page).
pub fn figures(s: &Summary, l: &Labels, top: usize, id: &str) -> Figures {
    let t = &s.totals;
    let mut fam_counts: HashMap<String, i64> = HashMap::new();
    for (c, n) in &s.by_obstacle {
        *fam_counts.entry(l.family_of(c)).or_default() += n;
    }
    let simple = |rows: &[(String, i64)], name: &dyn Fn(&str) -> String| -> Vec<ShareRow> {
        rows.iter()
            .map(|(c, n)| ShareRow {
                code: c.clone(),
                name: name(c),
                n: *n,
                share: share(*n, t.complaints),
            })
            .collect()
    };
    let bar = |label: String, n: i64| Bar::new(label, n as f64, format_number(n as f64));
    let chart = |key: &str, kind: &str, bars: Vec<Bar>| {
        let title = l.msg(&format!("stats.chart.{key}"));
        let desc = l
            .state
            .i18n
            .fmt(l.lang, "stats.chart.desc", &[("what", &title)]);
        let cid = format!("{id}-{key}");
        if kind == "columns" {
            charts::columns(&cid, &title, &desc, &bars)
        } else {
            charts::bars(&cid, &title, &desc, &bars)
        }
    };
    let charts = Charts {
        trend: chart(
            "trend",
            "columns",
            s.by_month
                .iter()
                .map(|(m, n)| bar(l.month(*m), *n))
                .collect(),
        ),
        obstacles: chart(
            "obstacles",
            "bars",
            s.by_obstacle
                .iter()
                .map(|(c, n)| bar(l.obstacle(c), *n))
                .collect(),
        ),
        sectors: chart(
            "sectors",
            "bars",
            s.by_sector
                .iter()
                .map(|(c, n)| bar(l.sector(c), *n))
                .collect(),
        ),
        provinces: chart(
            "provinces",
            "bars",
            s.by_province
                .iter()
                .take(15)
                .map(|(c, n)| bar(l.province(c), *n))
                .collect(),
        ),
        companies: chart(
            "companies",
            "bars",
            s.by_company
                .iter()
                .take(top)
                .map(|c| bar(c.name.clone(), c.counts.complaints))
                .collect(),
        ),
    };
    Figures {
        totals: Totals::of(s),
        months: s
            .by_month
            .iter()
            .map(|(m, n)| MonthRow {
                code: m.code(),
                label: l.month(*m),
                n: *n,
                n_fmt: format_number(*n as f64),
            })
            .collect(),
        obstacles: s
            .by_obstacle
            .iter()
            .map(|(c, n)| ObstacleRow {
                code: c.clone(),
                name: l.obstacle(c),
                family: l.family(&l.family_of(c)),
                n: *n,
                share: share(*n, t.complaints),
            })
            .collect(),
        families: l
            .families
            .iter()
            .map(|(f, _, _)| FamilyRow {
                code: f.clone(),
                name: l.family(f),
                n: fam_counts.get(f).copied().unwrap_or(0),
            })
            .collect(),
        sectors: simple(&s.by_sector, &|c| l.sector(c)),
        provinces: simple(&s.by_province, &|c| l.province(c)),
        statuses: simple(&s.by_status, &|c| l.status(c)),
        companies: s
            .by_company
            .iter()
            .map(|c| CompanyRow::of(c, t.complaints))
            .collect(),
        top_companies: s.by_company.iter().take(top).count(),
        charts,
        obstacle_filter: s.filter.obstacle.is_some(),
        lane: lane_rows(s),
    }
}
