//! The regulator pages' filter: GET parameters parsed into a [`Filter`], the form's choices,
//! and the export links with the same filters.
use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::view::Labels;
use crate::domain::format;
use crate::domain::period::{Month, Period};
use crate::domain::{Language, Sector};
use crate::error::{AppError, FieldErrors};
use crate::services::companies;
use crate::services::stats::{self, Filter};
use crate::state::AppState;

/// Months shown when no period is chosen (the current month and the eleven before).
const DEFAULT_MONTHS: i64 = 12;

/// Filter parameters as typed (kept for re-rendering the form).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct FilterQuery {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub obstacle: String,
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub province: String,
    /// Search in the company table.
    #[serde(default)]
    pub q: String,
    /// Ranking order: `complaints`, `change`, `timely`, `resolution`.
    #[serde(default)]
    pub sort: String,
}

/// The filter the query asks for, and a message per field it could not use.
pub async fn parse_filter(
    state: &AppState,
    lang: Language,
    q: &FilterQuery,
) -> Result<(Filter, FieldErrors), AppError> {
    let mut errors = FieldErrors::new();
    let mut err = |field: &str, key: &str| {
        errors
            .entry(field.to_string())
            .or_default()
            .push(state.i18n.msg(lang, key));
    };
    let this = Month::of(format::today());
    let mut f = Filter::period(this.plus(-(DEFAULT_MONTHS - 1)), this);
    let (period, from, to) = (q.period.trim(), q.from.trim(), q.to.trim());
    if !period.is_empty() {
        match Period::parse(period) {
            Some(p) => (f.from, f.to) = (p.first(), p.last()),
            None => err("period", "regulator.errors.period"),
        }
    } else {
        let parsed_from = (!from.is_empty()).then(|| Month::parse(from));
        let parsed_to = (!to.is_empty()).then(|| Month::parse(to));
        match parsed_to {
            Some(Some(m)) => f.to = m,
            Some(None) => err("to", "regulator.errors.month"),
            None => {}
        }
        match parsed_from {
            Some(Some(m)) => f.from = m,
            Some(None) => err("from", "regulator.errors.month"),
            None if parsed_to.is_some() => f.from = f.to.plus(-(DEFAULT_MONTHS - 1)),
            None => {}
        }
        if f.from > f.to {
            err("to", "regulator.errors.range");
            (f.from, f.to) = (this.plus(-(DEFAULT_MONTHS - 1)), this);
        }
    }
    let sector = q.sector.trim();
    if !sector.is_empty() {
        match Sector::parse(sector) {
            Some(s) => f.sector = Some(s.code().to_string()),
            None => err("sector", "regulator.errors.sector"),
        }
    }
    let obstacle = q.obstacle.trim();
    if !obstacle.is_empty() {
        if state
            .reference()
            .obstacles
            .iter()
            .any(|o| o.code == obstacle)
        {
            f.obstacle = Some(obstacle.to_string());
        } else {
            err("obstacle", "regulator.errors.obstacle");
        }
    }
    let province = q.province.trim();
    if province == "none" {
        f.province = Some(String::new());
    } else if !province.is_empty() {
        if state.reference().is_province(province) {
            f.province = Some(province.to_string());
        } else {
            err("province", "regulator.errors.province");
        }
    }
    let company = q.company.trim();
    if company == "0" {
        f.company = Some(0);
    } else if !company.is_empty() {
        match companies::resolve(&state.db.read, company).await? {
            Some(c) => f.company = Some(c.id),
            None => err("company", "regulator.errors.company"),
        }
    }
    Ok((f, errors))
}

/// Links to the record-level exports, one per format, and CSV and XLSX with Chinese headers.
#[derive(Debug, Clone, Serialize)]
pub struct ExportLinks {
    pub csv: String,
    pub xlsx: String,
    pub ndjson: String,
    pub csv_zh: String,
    pub xlsx_zh: String,
}

/// Links to the record-level exports with the same filters (regulator tier).
pub fn export_links(f: &Filter) -> ExportLinks {
    let mut params: Vec<(String, String)> = vec![
        ("tier".into(), "regulator".into()),
        ("from".into(), f.from.first_day().to_string()),
        ("to".into(), f.to.last_day().to_string()),
    ];
    if let Some(s) = &f.sector {
        params.push(("sector".into(), s.clone()));
    }
    if let Some(o) = &f.obstacle {
        params.push(("obstacle".into(), o.clone()));
    }
    // Exports filter on directory companies and known provinces only.
    if let Some(c) = f.company.filter(|c| *c > 0) {
        params.push(("company".into(), c.to_string()));
    }
    if let Some(p) = f.province.as_ref().filter(|p| !p.is_empty()) {
        params.push(("province".into(), p.clone()));
    }
    let qs: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&params)
        .finish();
    ExportLinks {
        csv: format!("/api/v1/exports/complaints.csv?{qs}"),
        xlsx: format!("/api/v1/exports/complaints.xlsx?{qs}"),
        ndjson: format!("/api/v1/exports/complaints.ndjson?{qs}"),
        csv_zh: format!("/api/v1/exports/complaints.csv?{qs}&headers=zh"),
        xlsx_zh: format!("/api/v1/exports/complaints.xlsx?{qs}&headers=zh"),
    }
}

/// A choice in a filter list.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub code: String,
    pub name: String,
}

/// A company in the filter's suggestion list.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyChoice {
    pub id: i64,
    pub name: String,
}

/// The choices of the filter form.
#[derive(Debug, Clone, Serialize)]
pub struct FilterOptions {
    pub sectors: Vec<Choice>,
    pub obstacles: Vec<Choice>,
    pub provinces: Vec<Choice>,
    pub companies: Vec<CompanyChoice>,
}

async fn options(state: &AppState, l: &Labels<'_>) -> Result<FilterOptions, AppError> {
    let choice = |code: &str, name: String| Choice {
        code: code.to_string(),
        name,
    };
    let names: BTreeMap<String, i64> = stats::company_names(&state.db.read)
        .await?
        .into_iter()
        .map(|(id, n)| (n, id))
        .collect();
    Ok(FilterOptions {
        sectors: Sector::ALL
            .iter()
            .map(|s| choice(s.code(), l.sector(s.code())))
            .collect(),
        obstacles: l
            .codes()
            .iter()
            .map(|(c, _)| choice(c, l.obstacle(c)))
            .collect(),
        provinces: l
            .reference
            .provinces
            .iter()
            .map(|p| choice(&p.code, l.province(&p.code)))
            .collect(),
        companies: names
            .into_iter()
            .map(|(name, id)| CompanyChoice { id, name })
            .collect(),
    })
}

/// The error summary in form order.
pub fn summary_of(errors: &FieldErrors) -> Vec<(String, String)> {
    [
        "period", "from", "to", "sector", "obstacle", "company", "province",
    ]
    .iter()
    .filter_map(|f| errors.get(*f).map(|m| (f.to_string(), m.join(" "))))
    .collect()
}

/// A human description of the filter ("Oct 2025 – Sep 2026").
pub fn period_label(l: &Labels, f: &Filter) -> String {
    if f.from == f.to {
        l.month(f.from)
    } else {
        format!("{} – {}", l.month(f.from), l.month(f.to))
    }
}

/// First and last month of the filter (`YYYY-MM`).
#[derive(Debug, Clone, Serialize)]
pub struct MonthRange {
    pub from: String,
    pub to: String,
}

/// What every filtered regulator page shows around its figures: the filter form as typed,
/// its errors, its choices, and the period and export links it resolves to.
#[derive(Debug, Clone, Serialize)]
pub struct FilterView {
    pub q: FilterQuery,
    pub errors: FieldErrors,
    pub summary: Vec<(String, String)>,
    pub options: FilterOptions,
    pub period_label: String,
    pub range: MonthRange,
    pub exports: ExportLinks,
}

/// A filtered page's query, parsed: the filter, the labels to show it with, and its view.
pub struct Filtered<'a> {
    pub filter: Filter,
    pub labels: Labels<'a>,
    pub view: FilterView,
}

impl Filtered<'_> {
    /// 200, or 422 when a filter field could not be used (the page still shows figures).
    pub fn status(&self) -> StatusCode {
        if self.view.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }
}

pub async fn filtered<'a>(
    state: &'a AppState,
    lang: Language,
    q: FilterQuery,
) -> Result<Filtered<'a>, AppError> {
    let (f, errors) = parse_filter(state, lang, &q).await?;
    let l = Labels::load(state, lang).await?;
    let view = FilterView {
        summary: summary_of(&errors),
        errors,
        options: options(state, &l).await?,
        period_label: period_label(&l, &f),
        range: MonthRange {
            from: f.from.code(),
            to: f.to.code(),
        },
        exports: export_links(&f),
        q,
    };
    Ok(Filtered {
        filter: f,
        labels: l,
        view,
    })
}
