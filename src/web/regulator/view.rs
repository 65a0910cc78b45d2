//! Turning statistics into what templates show: localised names, percentages, changes, the
//! SVG charts, and the table rows beside them.
use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Value};

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

/// Rows and charts for one summary. `id` prefixes chart element ids (unique per page).
pub fn summary_json(s: &Summary, l: &Labels, top: usize, id: &str) -> Value {
    let t = &s.totals;
    let months: Vec<Value> = s
        .by_month
        .iter()
        .map(|(m, n)| json!({ "code": m.code(), "label": l.month(*m), "n": n, "n_fmt": format_number(*n as f64) }))
        .collect();
    let mentions: i64 = s.by_obstacle.iter().map(|(_, n)| n).sum();
    let obstacles: Vec<Value> = s
        .by_obstacle
        .iter()
        .map(|(c, n)| {
            let fam = l.family_of(c);
            json!({ "code": c, "name": l.obstacle(c), "family": l.family(&fam), "n": n, "share": share(*n, t.complaints) })
        })
        .collect();
    let mut fam_counts: HashMap<String, i64> = HashMap::new();
    for (c, n) in &s.by_obstacle {
        *fam_counts.entry(l.family_of(c)).or_default() += n;
    }
    let families: Vec<Value> = l
        .families
        .iter()
        .map(|(f, _, _)| json!({ "code": f, "name": l.family(f), "n": fam_counts.get(f).copied().unwrap_or(0) }))
        .collect();
    let simple = |rows: &[(String, i64)], name: &dyn Fn(&str) -> String| -> Vec<Value> {
        rows.iter().map(|(c, n)| json!({ "code": c, "name": name(c), "n": n, "share": share(*n, t.complaints) })).collect()
    };
    let companies: Vec<Value> = s
        .by_company
        .iter()
        .map(|c| {
            json!({
                "id": c.id, "name": c.name, "n": c.counts.complaints, "previous": c.previous,
                "change": change(c.counts.complaints, c.previous),
                "timely": pct(c.counts.timely_rate()), "timely_known": c.counts.timely_known,
                "resolution": pct(c.counts.resolution_rate()), "closed": c.counts.closed,
                "median_days": days(c.median_days), "share": share(c.counts.complaints, t.complaints),
            })
        })
        .collect();
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
    let charts = json!({
        "trend": chart("trend", "columns", s.by_month.iter().map(|(m, n)| bar(l.month(*m), *n)).collect()),
        "obstacles": chart("obstacles", "bars", s.by_obstacle.iter().map(|(c, n)| bar(l.obstacle(c), *n)).collect()),
        "sectors": chart("sectors", "bars", s.by_sector.iter().map(|(c, n)| bar(l.sector(c), *n)).collect()),
        "provinces": chart("provinces", "bars", s.by_province.iter().take(15).map(|(c, n)| bar(l.province(c), *n)).collect()),
        "companies": chart("companies", "bars", s.by_company.iter().take(top).map(|c| bar(c.name.clone(), c.counts.complaints)).collect()),
    });
    json!({
        "totals": {
            "complaints": t.complaints, "complaints_fmt": format_number(t.complaints as f64),
            "previous": s.previous_total, "change": change(t.complaints, s.previous_total),
            "timely": pct(t.timely_rate()), "timely_known": t.timely_known,
            "resolution": pct(t.resolution_rate()), "closed": t.closed, "resolved": t.resolved,
            "median_days": days(s.median_days), "mentions": mentions,
        },
        "months": months,
        "obstacles": obstacles,
        "families": families,
        "sectors": simple(&s.by_sector, &|c| l.sector(c)),
        "provinces": simple(&s.by_province, &|c| l.province(c)),
        "statuses": simple(&s.by_status, &|c| l.status(c)),
        "companies": companies,
        "top_companies": s.by_company.iter().take(top).count(),
        "charts": charts,
        "obstacle_filter": s.filter.obstacle.is_some(),
    })
}
