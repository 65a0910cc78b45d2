//! Period reports (`/regulator/reports/2026-Q3`, `2026-10`, `2026`): a printable page, the same
//! report as one self-contained HTML file to attach to a meeting note, and its tables as CSV.
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{json, Value};
use tower_sessions::Session;

use super::view::{summary_json, Labels};
use crate::domain::format;
use crate::domain::period::{Month, Period};
use crate::domain::Language;
use crate::error::AppError;
use crate::services::audit;
use crate::services::exports::format::{neutralise, BOM};
use crate::services::stats::examples;
use crate::services::stats::{self, Filter};
use crate::state::AppState;
use crate::web::shared::auth::CurrentUser;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::page;
use crate::web::shared::templates::Static;
use crate::web::staff::staff_context;

/// Companies and obstacles listed in a report.
const TOP: usize = 10;
/// Example narratives per report.
const EXAMPLES: usize = 5;

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/regulator/reports",
            &["GET"],
            Access::Regulator,
            get(index),
        )
        .add(
            "/regulator/reports/{period}",
            &["GET"],
            Access::Regulator,
            get(report),
        )
        .add(
            "/regulator/reports/{period}/download",
            &["GET"],
            Access::Regulator,
            get(download),
        )
        .add(
            "/regulator/reports/{period}/tables.csv",
            &["GET"],
            Access::Regulator,
            get(tables_csv),
        )
}

/// "2026年第3季度" / "Q3 2026", and the like.
pub fn period_name(l: &Labels, p: Period) -> String {
    let year = p.first().year.to_string();
    match p {
        Period::Month(m) => l.month(m),
        Period::Quarter { quarter, .. } => l.state.i18n.fmt(
            l.lang,
            "report.quarter_name",
            &[("year", &year), ("quarter", &quarter.to_string())],
        ),
        Period::Year(_) => l
            .state
            .i18n
            .fmt(l.lang, "report.year_name", &[("year", &year)]),
    }
}

/// Recent periods to offer: the last 12 months, 8 quarters and 3 years.
fn recent(l: &Labels) -> Value {
    let this = Month::of(format::today());
    let months: Vec<Value> = (0..12)
        .map(|i| Period::Month(this.plus(-i)))
        .map(|p| json!({ "code": p.code(), "name": period_name(l, p) }))
        .collect();
    let mut q = Period::Quarter {
        year: this.year,
        quarter: (this.month - 1) / 3 + 1,
    };
    let mut quarters = Vec::new();
    for _ in 0..8 {
        quarters.push(json!({ "code": q.code(), "name": period_name(l, q) }));
        q = q.previous();
    }
    let years: Vec<Value> = (0..3)
        .map(|i| Period::Year(this.year - i))
        .map(|p| json!({ "code": p.code(), "name": period_name(l, p) }))
        .collect();
    json!({ "months": months, "quarters": quarters, "years": years })
}

#[derive(serde::Deserialize, Default)]
struct Open {
    #[serde(default)]
    period: String,
}

async fn index(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Query(open): Query<Open>,
) -> Result<Response, AppError> {
    // The "open a period" form: on to the report (which explains a bad period itself).
    let wanted = open.period.trim();
    if !wanted.is_empty() {
        let seg: String = url::form_urlencoded::byte_serialize(wanted.as_bytes()).collect();
        return Ok(
            axum::response::Redirect::to(&format!("/regulator/reports/{seg}")).into_response(),
        );
    }
    let l = Labels::load(&state, lang).await?;
    let mut ctx = staff_context(&state, lang, "/regulator/reports", &user, &session).await?;
    ctx.insert("recent", &recent(&l));
    page(&state, "regulator/reports.html", &ctx, StatusCode::OK)
}

/// Why a period cannot be reported on, as a catalogue key.
fn check(raw: &str) -> Result<Period, &'static str> {
    let p = Period::parse(raw).ok_or("report.missing.invalid")?;
    if p.first() > Month::of(format::today()) {
        return Err("report.missing.future");
    }
    Ok(p)
}

/// The 404 page that says what a period looks like and offers the current ones.
async fn missing(
    state: &AppState,
    lang: Language,
    user: &CurrentUser,
    session: &Session,
    raw: &str,
    key: &str,
) -> Result<Response, AppError> {
    let l = Labels::load(state, lang).await?;
    let mut ctx = staff_context(state, lang, "/regulator/reports", user, session).await?;
    let shown: String = raw.chars().take(40).collect();
    ctx.insert("message", &state.i18n.fmt(lang, key, &[("period", &shown)]));
    ctx.insert("recent", &recent(&l));
    page(
        state,
        "regulator/report_missing.html",
        &ctx,
        StatusCode::NOT_FOUND,
    )
}

/// Everything a report shows.
async fn report_data(state: &AppState, lang: Language, p: Period) -> Result<Value, AppError> {
    let l = Labels::load(state, lang).await?;
    let f = Filter::period(p.first(), p.last());
    let s = stats::summary(&state.db.read, &f, &l.msg("stats.not_in_directory")).await?;
    let fig = summary_json(&s, &l, TOP, "report");
    let examples: Vec<Value> = examples::examples(&state.db.read, p.first(), p.last(), EXAMPLES)
        .await?
        .into_iter()
        .map(|e| {
            json!({
                "sector": l.sector(&e.sector), "company": e.company_name,
                "obstacle": e.primary_obstacle.as_deref().map(|c| l.obstacle(c)), "text": e.text,
            })
        })
        .collect();
    let prev = p.previous();
    Ok(json!({
        "code": p.code(), "kind": p.kind(), "name": period_name(&l, p),
        "previous": { "code": prev.code(), "name": period_name(&l, prev) },
        "range": { "from": p.first().code(), "to": p.last().code() },
        "generated": format::date(format::today(), lang),
        "fig": fig, "examples": examples, "top": TOP,
        "exports": super::export_links(&f),
    }))
}

async fn report(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let p = match check(&raw) {
        Ok(p) => p,
        Err(key) => return missing(&state, lang, &user, &session, &raw, key).await,
    };
    let mut ctx = staff_context(
        &state,
        lang,
        &format!("/regulator/reports/{}", p.code()),
        &user,
        &session,
    )
    .await?;
    ctx.insert("report", &report_data(&state, lang, p).await?);
    page(&state, "regulator/report.html", &ctx, StatusCode::OK)
}

fn attachment(body: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // If a browser shows it anyway: its own inline stylesheet and SVG, nothing else.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"),
    );
    resp
}

async fn download(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let p = match check(&raw) {
        Ok(p) => p,
        Err(key) => return missing(&state, lang, &user, &session, &raw, key).await,
    };
    let css = Static::get("app.css")
        .map(|f| String::from_utf8_lossy(&f.data).into_owned())
        .unwrap_or_default();
    let mut ctx = crate::web::shared::render::context(&state, lang, "/regulator/reports");
    ctx.insert("report", &report_data(&state, lang, p).await?);
    ctx.insert("css", &css);
    let html = state.tera.render("regulator/report_file.html", &ctx)?;
    audit::record(
        &state.db.write,
        &user.actor(),
        "report_downloaded",
        Some(("report", p.code())),
        Some(json!({ "format": "html" })),
    )
    .await?;
    Ok(attachment(
        html.into_bytes(),
        "text/html; charset=utf-8",
        &format!("downgrade-watch-report-{}.html", p.code()),
    ))
}

async fn tables_csv(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let p = match check(&raw) {
        Ok(p) => p,
        Err(key) => return missing(&state, lang, &user, &session, &raw, key).await,
    };
    let data = report_data(&state, lang, p).await?;
    let fig = &data["fig"];
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    let header = [
        "table",
        "code",
        "label",
        "complaints",
        "share",
        "previous_period",
        "timely_response_rate",
        "resolution_rate",
        "median_days_to_close",
    ];
    let text = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => neutralise(s).into_owned(),
        other => other.to_string(),
    };
    let mut rows: Vec<[String; 9]> = Vec::new();
    let t = &fig["totals"];
    rows.push([
        "total".into(),
        String::new(),
        String::new(),
        text(&t["complaints"]),
        String::new(),
        text(&t["previous"]),
        text(&t["timely"]),
        text(&t["resolution"]),
        text(&t["median_days"]),
    ]);
    for (table, key) in [
        ("by_month", "months"),
        ("by_obstacle", "obstacles"),
        ("by_family", "families"),
        ("by_sector", "sectors"),
        ("by_province", "provinces"),
        ("by_status", "statuses"),
    ] {
        for r in fig[key].as_array().into_iter().flatten() {
            let label = if key == "months" {
                &r["label"]
            } else {
                &r["name"]
            };
            rows.push([
                table.into(),
                text(&r["code"]),
                text(label),
                text(&r["n"]),
                text(&r["share"]),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    for r in fig["companies"].as_array().into_iter().flatten() {
        rows.push([
            "by_company".into(),
            text(&r["id"]),
            text(&r["name"]),
            text(&r["n"]),
            text(&r["share"]),
            text(&r["previous"]),
            text(&r["timely"]),
            text(&r["resolution"]),
            text(&r["median_days"]),
        ]);
    }
    let write = |w: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
        w.write_record(header)?;
        for r in &rows {
            w.write_record(r)?;
        }
        w.flush()?;
        Ok(())
    };
    write(&mut w).map_err(|e| AppError::Internal(e.into()))?;
    let body = w
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
    audit::record(
        &state.db.write,
        &user.actor(),
        "report_downloaded",
        Some(("report", p.code())),
        Some(json!({ "format": "csv" })),
    )
    .await?;
    Ok(attachment(
        body,
        "text/csv; charset=utf-8",
        &format!("downgrade-watch-report-{}.csv", p.code()),
    ))
}
