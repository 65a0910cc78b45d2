//! Turning statistics into what templates show: localised names, percentages, changes, the
//! SVG charts, and the table rows beside them.
use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::domain::period::Month;
use crate::domain::Language;
use crate::error::AppError;
use crate::services::reference::Reference;
use crate::services::stats::{self, Summary};
use crate::state::AppState;
use crate::web::shared::charts::{self, format_number, Bar};

/// Localised names for the codes that statistics are grouped by.
pub struct Labels<'a> {
    pub state: &'a AppState,
    pub lang: Language,
    pub reference: Arc<Reference>,
    /// Family code → (zh, en) name, in display order.
    pub families: Vec<(String, String, String)>,
}

impl<'a> Labels<'a> {
    pub async fn load(state: &'a AppState, lang: Language) -> Result<Labels<'a>, AppError> {
        let families = stats::families(&state.db.read).await?;
        Ok(Labels {
            state,
            lang,
            reference: state.reference(),
            families,
        })
    }

    pub fn msg(&self, key: &str) -> String {
        self.state.i18n.msg(self.lang, key)
    }

    /// The figures for `f`, with unmatched complaints under this language's "not in directory".
    pub async fn summary(&self, f: &stats::Filter) -> Result<Summary, AppError> {
        let unmatched = self.msg("stats.not_in_directory");
        Ok(stats::summary(&self.state.db.read, f, &unmatched).await?)
    }

    pub fn sector(&self, code: &str) -> String {
        self.msg(&format!("sector.{code}"))
    }

    pub fn status(&self, code: &str) -> String {
        self.msg(&format!("status.{code}"))
    }

    pub fn province(&self, code: &str) -> String {
        if code.is_empty() {
            return self.msg("stats.not_given");
        }
        self.reference
            .province_name(code, self.lang)
            .unwrap_or(code)
            .to_string()
    }

    pub fn obstacle(&self, code: &str) -> String {
        self.reference
            .obstacle_name(code, self.lang)
            .unwrap_or(code)
            .to_string()
    }

    pub fn family_of(&self, code: &str) -> String {
        self.reference
            .obstacles
            .iter()
            .find(|o| o.code == code)
            .map(|o| o.family.clone())
            .unwrap_or_default()
    }

    pub fn family(&self, code: &str) -> String {
        self.families
            .iter()
            .find(|f| f.0 == code)
            .map(|f| {
                if self.lang == Language::ZhCn {
                    f.1.clone()
                } else {
                    f.2.clone()
                }
            })
            .unwrap_or_else(|| code.to_string())
    }

    pub fn month(&self, m: Month) -> String {
        match self.lang {
            Language::ZhCn => format!("{}年{}月", m.year, m.month),
            Language::En => m.first_day().format("%b %Y").to_string(),
        }
    }

    /// Obstacle codes in taxonomy order, with their family.
    pub fn codes(&self) -> Vec<(String, String)> {
        self.reference
            .obstacles
            .iter()
            .filter(|o| o.active)
            .map(|o| (o.code.clone(), o.family.clone()))
            .collect()
    }

    /// Names for the public data set (`kind` as in [`crate::services::stats::public::Labeller`]).
    pub fn public(&self, kind: &str, code: &str) -> String {
        match kind {
            "sector" => self.sector(code),
            "province" => self.province(code),
            "obstacle" => self.obstacle(code),
            "family" => self.family(code),
            "other_companies" => self.msg("stats.other_companies"),
            "marker" => self.msg(&format!("stats.marker_{code}")),
            _ => code.to_string(),
        }
    }
}

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

fn share(n: i64, total: i64) -> String {
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

/// One company's figures; `id` 0 for complaints not matched to the directory.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyRow {
    pub id: i64,
    pub name: String,
    pub n: i64,
    pub previous: i64,
    pub change: Option<String>,
    pub timely: Option<String>,
    pub timely_known: i64,
    pub resolution: Option<String>,
    pub closed: i64,
    pub median_days: Option<String>,
    pub share: String,
}

/// The headline figures.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub complaints: i64,
    pub complaints_fmt: String,
    pub previous: i64,
    pub change: Option<String>,
    pub timely: Option<String>,
    pub timely_known: i64,
    pub resolution: Option<String>,
    pub closed: i64,
    pub resolved: i64,
    pub median_days: Option<String>,
    pub mentions: i64,
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
        totals: Totals {
            complaints: t.complaints,
            complaints_fmt: format_number(t.complaints as f64),
            previous: s.previous_total,
            change: change(t.complaints, s.previous_total),
            timely: pct(t.timely_rate()),
            timely_known: t.timely_known,
            resolution: pct(t.resolution_rate()),
            closed: t.closed,
            resolved: t.resolved,
            median_days: days(s.median_days),
            mentions: s.by_obstacle.iter().map(|(_, n)| n).sum(),
        },
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
            .map(|c| CompanyRow {
                id: c.id,
                name: c.name.clone(),
                n: c.counts.complaints,
                previous: c.previous,
                change: change(c.counts.complaints, c.previous),
                timely: pct(c.counts.timely_rate()),
                timely_known: c.counts.timely_known,
                resolution: pct(c.counts.resolution_rate()),
                closed: c.counts.closed,
                median_days: days(c.median_days),
                share: share(c.counts.complaints, t.complaints),
            })
            .collect(),
        top_companies: s.by_company.iter().take(top).count(),
        charts,
        obstacle_filter: s.filter.obstacle.is_some(),
    }
}
