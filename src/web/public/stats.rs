//! Public statistics (`/stats`) and their open-data downloads (`/stats.csv`, `/stats.json`):
//! the public tier only, small cells suppressed (see `services::stats::public`).
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;

use crate::domain::format;
use crate::domain::suppress::Shown;
use crate::domain::Language;
use crate::error::AppError;
use crate::services::stats::public::{self as stats_public, OpenData, PublicStats};
use crate::services::stats::{self, Filter};
use crate::state::AppState;
use crate::web::regulator::view::{days, pct, Labels};
use crate::web::shared::charts::{self, format_number, Bar};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::{csv_document, view_page};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stats", get(stats_page))
        .route("/stats.csv", get(stats_csv))
        .route("/stats.json", get(stats_json))
        .route("/companies/{id}", get(super::company::company_page))
}

/// The public figures for the current window, and the labels to show them with.
pub async fn public_stats(
    state: &AppState,
    lang: Language,
) -> Result<(PublicStats, Labels<'_>), AppError> {
    let l = Labels::load(state, lang).await?;
    let (from, to) = stats_public::window(format::today());
    let s = stats::summary(
        &state.db.read,
        &Filter::period(from, to),
        &l.msg("stats.not_in_directory"),
    )
    .await?;
    let families: Vec<String> = l.families.iter().map(|f| f.0.clone()).collect();
    Ok((stats_public::build(&s, &l.codes(), &families), l))
}

/// The JSON document of the public tier (`/stats.json` and `GET /api/v1/stats`).
pub async fn public_json(state: &AppState, lang: Language) -> Result<OpenData, AppError> {
    let (p, l) = public_stats(state, lang).await?;
    Ok(p.open_data(&|k, c| l.public(k, c)))
}

/// Figures change once a month, but labels follow the visitor's language: cache privately.
pub fn cached(mut resp: Response) -> Response {
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    resp
}

async fn stats_json(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, AppError> {
    let body = public_json(&state, lang).await?;
    let mut resp = cached(axum::Json(body).into_response());
    resp.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"downgrade-watch-stats.json\""),
    );
    Ok(resp)
}

async fn stats_csv(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, AppError> {
    let (p, l) = public_stats(&state, lang).await?;
    let body = csv_document(
        &["table", "month", "code", "label", "value"],
        p.csv_rows(&|k, c| l.public(k, c)),
    )?;
    let mut resp = cached((StatusCode::OK, body).into_response());
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"downgrade-watch-stats.csv\""),
    );
    Ok(resp)
}

/// A row of a simple table: a code, its name and the published count.
#[derive(Serialize)]
struct Row {
    code: String,
    name: String,
    text: String,
    hidden: bool,
}

fn rows(lines: &[stats_public::Line], name: &dyn Fn(&str) -> String) -> Vec<Row> {
    lines
        .iter()
        .map(|x| Row {
            code: x.code.clone(),
            name: name(&x.code),
            text: x.shown.text(),
            hidden: x.shown.is_hidden(),
        })
        .collect()
}

#[derive(Serialize)]
struct MonthRow {
    code: String,
    name: String,
    text: String,
}

#[derive(Serialize)]
struct ObstacleRow {
    code: String,
    name: String,
    family: String,
    text: String,
}

#[derive(Serialize)]
struct CompanyRow {
    /// Directory id (links to `/companies/{id}`); none for the row of all others.
    id: Option<i64>,
    name: String,
    /// The row of all companies not listed by name.
    other: bool,
    text: String,
    no_response: String,
    timely: Option<String>,
    resolution: Option<String>,
    company_resolution: Option<String>,
    satisfaction: Option<String>,
    dispute: Option<String>,
}

/// The SVG charts beside the tables.
#[derive(Serialize)]
struct Charts {
    trend: String,
    obstacles: String,
    sectors: String,
}

/// The figures of `public/stats.html` (`s` in the template).
#[derive(Serialize)]
struct StatsView {
    from: String,
    to: String,
    total: String,
    timely: Option<String>,
    resolution: Option<String>,
    median_days: Option<String>,
    no_response: String,
    company_resolution: Option<String>,
    satisfaction: Option<String>,
    dispute: Option<String>,
    mentions: String,
    months: Vec<MonthRow>,
    obstacles: Vec<ObstacleRow>,
    families: Vec<Row>,
    sectors: Vec<Row>,
    provinces: Vec<Row>,
    companies: Vec<CompanyRow>,
    charts: Charts,
    statuses: Vec<String>,
}

#[derive(Serialize)]
struct StatsPage {
    s: StatsView,
}

fn bar(label: String, s: Shown) -> Bar {
    Bar::new(
        label,
        s.value().unwrap_or(0) as f64,
        match s {
            Shown::Value(v) => format_number(v as f64),
            other => other.text(),
        },
    )
}

async fn stats_page(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, AppError> {
    let (p, l) = public_stats(&state, lang).await?;
    let chart = |key: &str, bars: Vec<Bar>, columns: bool| {
        let title = l.msg(&format!("stats.chart.{key}"));
        let desc = state
            .i18n
            .fmt(lang, "stats.chart.desc", &[("what", &title)]);
        if columns {
            charts::columns(&format!("pub-{key}"), &title, &desc, &bars)
        } else {
            charts::bars(&format!("pub-{key}"), &title, &desc, &bars)
        }
    };
    let s = StatsView {
        from: stats_period_label(&l, &p.from.code()),
        to: stats_period_label(&l, &p.to.code()),
        total: p.total.text(),
        timely: pct(p.timely_rate),
        resolution: pct(p.resolution_rate),
        median_days: days(p.median_days),
        no_response: p.no_response.text(),
        company_resolution: pct(p.company_resolution_rate),
        satisfaction: pct(p.satisfaction_rate),
        dispute: pct(p.dispute_rate),
        mentions: p.mentions.text(),
        months: p
            .months
            .iter()
            .map(|m| MonthRow {
                code: m.code.clone(),
                name: stats_period_label(&l, &m.code),
                text: m.shown.text(),
            })
            .collect(),
        obstacles: p
            .codes
            .iter()
            .zip(&p.code_mentions)
            .map(|(c, s)| ObstacleRow {
                code: c.clone(),
                name: l.obstacle(c),
                family: l.family(&l.family_of(c)),
                text: s.text(),
            })
            .collect(),
        families: rows(&p.families, &|c| l.family(c)),
        sectors: rows(&p.sectors, &|c| l.sector(c)),
        provinces: rows(&p.provinces, &|c| l.province(c)),
        companies: p
            .companies
            .iter()
            .map(|c| CompanyRow {
                id: c.id,
                name: if c.id.is_some() {
                    c.name.clone()
                } else {
                    l.msg("stats.other_companies")
                },
                other: c.id.is_none(),
                text: c.shown.text(),
                no_response: c.no_response.text(),
                timely: pct(c.timely_rate),
                resolution: pct(c.resolution_rate),
                company_resolution: pct(c.company_resolution_rate),
                satisfaction: pct(c.satisfaction_rate),
                dispute: pct(c.dispute_rate),
            })
            .collect(),
        charts: Charts {
            trend: chart(
                "trend",
                p.months
                    .iter()
                    .map(|m| bar(stats_period_label(&l, &m.code), m.shown))
                    .collect(),
                true,
            ),
            obstacles: chart(
                "obstacles",
                p.codes
                    .iter()
                    .zip(&p.code_mentions)
                    .map(|(c, s)| bar(l.obstacle(c), *s))
                    .collect(),
                false,
            ),
            sectors: chart(
                "sectors",
                p.sectors
                    .iter()
                    .map(|x| bar(l.sector(&x.code), x.shown))
                    .collect(),
                false,
            ),
        },
        statuses: stats::PUBLISHED.iter().map(|s| l.status(s)).collect(),
    };
    Ok(cached(view_page(
        &state,
        lang,
        "/stats",
        "public/stats.html",
        &StatsPage { s },
        StatusCode::OK,
    )?))
}

pub(super) fn stats_period_label(l: &Labels, code: &str) -> String {
    crate::domain::period::Month::parse(code)
        .map(|m| l.month(m))
        .unwrap_or_else(|| code.to_string())
}
