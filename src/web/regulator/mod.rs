//! Regulator pages: the dashboard, the company scorecard (ranking and one company) and the
//! period reports (`reports`). Figures come from `services::stats` (rollup tables); every
//! filter is a GET parameter, so each view is a link and no JavaScript is needed.
pub mod reports;
pub mod view;

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tower_sessions::Session;

use crate::domain::format;
use crate::domain::period::{Month, Period};
use crate::domain::{Language, Sector};
use crate::error::{AppError, FieldErrors};
use crate::services::companies;
use crate::services::stats::{self, Filter};
use crate::state::AppState;
use crate::web::shared::auth::CurrentUser;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::page;
use crate::web::staff::staff_context;
use view::{summary_json, Labels};

/// Companies in the dashboard's chart and first table.
const TOP_N: usize = 10;
/// Months shown when no period is chosen (the current month and the eleven before).
const DEFAULT_MONTHS: i64 = 12;

pub fn routes() -> Routes {
    Routes::new()
        .add("/regulator", &["GET"], Access::Regulator, get(dashboard))
        .add(
            "/regulator/companies",
            &["GET"],
            Access::Regulator,
            get(ranking),
        )
        .add(
            "/regulator/companies/{id}",
            &["GET"],
            Access::Regulator,
            get(scorecard),
        )
        .merge(reports::routes())
}

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

/// Links to the record-level exports with the same filters (regulator tier).
pub fn export_links(f: &Filter) -> Value {
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
    json!({
        "csv": format!("/api/v1/exports/complaints.csv?{qs}"),
        "xlsx": format!("/api/v1/exports/complaints.xlsx?{qs}"),
        "ndjson": format!("/api/v1/exports/complaints.ndjson?{qs}"),
    })
}

/// The choices of the filter form.
async fn options(state: &AppState, l: &Labels<'_>) -> Result<Value, AppError> {
    let sectors: Vec<Value> = Sector::ALL
        .iter()
        .map(|s| json!({ "code": s.code(), "name": l.sector(s.code()) }))
        .collect();
    let obstacles: Vec<Value> = l
        .codes()
        .iter()
        .map(|(c, _)| json!({ "code": c, "name": l.obstacle(c) }))
        .collect();
    let provinces: Vec<Value> = l
        .reference
        .provinces
        .iter()
        .map(|p| json!({ "code": p.code, "name": l.province(&p.code) }))
        .collect();
    let names: BTreeMap<String, i64> = stats::company_names(&state.db.read)
        .await?
        .into_iter()
        .map(|(id, n)| (n, id))
        .collect();
    let companies: Vec<Value> = names
        .iter()
        .map(|(n, id)| json!({ "id": id, "name": n }))
        .collect();
    Ok(
        json!({ "sectors": sectors, "obstacles": obstacles, "provinces": provinces, "companies": companies }),
    )
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

async fn filtered_context(
    state: &AppState,
    lang: Language,
    path: &str,
    user: &CurrentUser,
    session: &Session,
    q: &FilterQuery,
) -> Result<(tera::Context, Filter, FieldErrors), AppError> {
    let (f, errors) = parse_filter(state, lang, q).await?;
    let l = Labels::load(state, lang).await?;
    let mut ctx = staff_context(state, lang, path, user, session).await?;
    ctx.insert("q", q);
    ctx.insert("errors", &errors);
    ctx.insert("summary", &summary_of(&errors));
    ctx.insert("options", &options(state, &l).await?);
    ctx.insert("period_label", &period_label(&l, &f));
    ctx.insert(
        "range",
        &json!({ "from": f.from.code(), "to": f.to.code() }),
    );
    ctx.insert("exports", &export_links(&f));
    Ok((ctx, f, errors))
}

fn status_for(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

async fn dashboard(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Query(q): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let (mut ctx, f, errors) =
        filtered_context(&state, lang, "/regulator", &user, &session, &q).await?;
    let l = Labels::load(&state, lang).await?;
    let s = stats::summary(&state.db.read, &f, &l.msg("stats.not_in_directory")).await?;
    let mut fig = summary_json(&s, &l, TOP_N, "dash");
    // The searchable company table: every company, filtered by name.
    let needle = q.q.trim().to_lowercase();
    if let Some(rows) = fig.get_mut("companies").and_then(Value::as_array_mut) {
        if !needle.is_empty() {
            rows.retain(|r| {
                r["name"]
                    .as_str()
                    .is_some_and(|n| n.to_lowercase().contains(&needle))
            });
        }
    }
    ctx.insert("fig", &fig);
    ctx.insert("top_n", &TOP_N);
    page(
        &state,
        "regulator/dashboard.html",
        &ctx,
        status_for(&errors),
    )
}

async fn ranking(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Query(q): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let (mut ctx, mut f, errors) =
        filtered_context(&state, lang, "/regulator/companies", &user, &session, &q).await?;
    f.company = None;
    let l = Labels::load(&state, lang).await?;
    let s = stats::summary(&state.db.read, &f, &l.msg("stats.not_in_directory")).await?;
    let per_obstacle = stats::company_obstacles(&state.db.read, &f).await?;
    let fig = summary_json(&s, &l, TOP_N, "rank");
    let mut rows: Vec<Value> = fig["companies"].as_array().cloned().unwrap_or_default();
    for (c, row) in s.by_company.iter().zip(rows.iter_mut()) {
        let top: Vec<Value> = per_obstacle
            .get(&c.id)
            .map(|v| {
                v.iter()
                    .take(3)
                    .map(|(code, n)| json!({ "code": code, "name": l.obstacle(code), "n": n }))
                    .collect()
            })
            .unwrap_or_default();
        row["obstacles"] = json!(top);
        row["rate_change"] = json!(if c.previous > 0 {
            (c.counts.complaints - c.previous) as f64 / c.previous as f64
        } else {
            f64::NAN
        });
        row["timely_rate"] = json!(c.counts.timely_rate());
        row["resolution_rate"] = json!(c.counts.resolution_rate());
    }
    // Complaints not matched to the directory are no company's record.
    rows.retain(|r| r["id"].as_i64() != Some(0));
    let key = |r: &Value, k: &str| {
        r[k].as_f64()
            .filter(|x| x.is_finite())
            .unwrap_or(f64::NEG_INFINITY)
    };
    match q.sort.as_str() {
        "change" => rows.sort_by(|a, b| key(b, "rate_change").total_cmp(&key(a, "rate_change"))),
        // Worst first: a low on-time or resolution rate is what a regulator looks for.
        "timely" => rows.sort_by(|a, b| key(a, "timely_rate").total_cmp(&key(b, "timely_rate"))),
        "resolution" => {
            rows.sort_by(|a, b| key(a, "resolution_rate").total_cmp(&key(b, "resolution_rate")))
        }
        _ => {}
    }
    let needle = q.q.trim().to_lowercase();
    let mut ranked: Vec<Value> = Vec::new();
    for (i, mut r) in rows.into_iter().enumerate() {
        r["rank"] = json!(i + 1);
        if needle.is_empty()
            || r["name"]
                .as_str()
                .is_some_and(|n| n.to_lowercase().contains(&needle))
        {
            ranked.push(r);
        }
    }
    ctx.insert("rows", &ranked);
    ctx.insert("totals", &fig["totals"]);
    ctx.insert("sort", &q.sort);
    page(
        &state,
        "regulator/companies.html",
        &ctx,
        status_for(&errors),
    )
}

async fn scorecard(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (company, _) = companies::find(&state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let path = format!("/regulator/companies/{id}");
    let q = FilterQuery {
        company: String::new(),
        ..q
    };
    let (mut ctx, mut f, errors) =
        filtered_context(&state, lang, &path, &user, &session, &q).await?;
    f.company = Some(id);
    ctx.insert("exports", &export_links(&f));
    let l = Labels::load(&state, lang).await?;
    let s = stats::summary(&state.db.read, &f, &l.msg("stats.not_in_directory")).await?;
    ctx.insert("fig", &summary_json(&s, &l, TOP_N, "co"));
    ctx.insert("company", &json!({ "id": company.id, "name": company.name, "sector": company.sector.as_deref().map(|s| l.sector(s)), "credit_code": company.credit_code }));
    page(&state, "regulator/company.html", &ctx, status_for(&errors))
}
