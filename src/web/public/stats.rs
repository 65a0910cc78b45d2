//! Public statistics (`/stats`) and their open-data downloads (`/stats.csv`, `/stats.json`):
//! the public tier only, small cells suppressed (see `services::stats_public`).
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use crate::domain::format;
use crate::domain::suppress::Shown;
use crate::domain::Language;
use crate::error::AppError;
use crate::services::exports::format::{neutralise, BOM};
use crate::services::stats::public::{self as stats_public, PublicStats};
use crate::services::stats::{self, Filter};
use crate::state::AppState;
use crate::web::regulator::view::{days, pct, Labels};
use crate::web::shared::charts::{self, format_number, Bar};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::{context, page};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stats", get(stats_page))
        .route("/stats.csv", get(stats_csv))
        .route("/stats.json", get(stats_json))
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
pub async fn public_json(state: &AppState, lang: Language) -> Result<Value, AppError> {
    let (p, l) = public_stats(state, lang).await?;
    Ok(p.to_json(&|k, c| l.public(k, c)))
}

/// Figures change once a month, but labels follow the visitor's language: cache privately.
fn cached(mut resp: Response) -> Response {
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
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    let write = |w: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
        w.write_record(["table", "month", "code", "label", "value"])?;
        for r in p.csv_rows(&|k, c| l.public(k, c)) {
            w.write_record(r.iter().map(|c| neutralise(c).into_owned()))?;
        }
        w.flush()?;
        Ok(())
    };
    write(&mut w).map_err(|e| AppError::Internal(e.into()))?;
    let body = w
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
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

fn rows(lines: &[stats_public::Line], name: &dyn Fn(&str) -> String) -> Vec<Value> {
    lines.iter().map(|x| json!({ "code": x.code, "name": name(&x.code), "text": x.shown.text(), "hidden": x.shown.is_hidden() })).collect()
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
    let months: Vec<Value> = p
        .months
        .iter()
        .map(|m| json!({ "code": m.code, "name": stats_period_label(&l, &m.code), "text": m.shown.text() }))
        .collect();
    let obstacles: Vec<Value> = p
        .codes
        .iter()
        .zip(&p.code_mentions)
        .map(|(c, s)| json!({ "code": c, "name": l.obstacle(c), "family": l.family(&l.family_of(c)), "text": s.text() }))
        .collect();
    let companies: Vec<Value> = p
        .companies
        .iter()
        .map(|c| {
            json!({
                "name": if c.id.is_some() { c.name.clone() } else { l.msg("stats.other_companies") },
                "other": c.id.is_none(), "text": c.shown.text(),
                "timely": pct(c.timely_rate), "resolution": pct(c.resolution_rate),
            })
        })
        .collect();
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
    let charts = json!({
        "trend": chart("trend", p.months.iter().map(|m| bar(stats_period_label(&l, &m.code), m.shown)).collect(), true),
        "obstacles": chart("obstacles", p.codes.iter().zip(&p.code_mentions).map(|(c, s)| bar(l.obstacle(c), *s)).collect(), false),
        "sectors": chart("sectors", p.sectors.iter().map(|x| bar(l.sector(&x.code), x.shown)).collect(), false),
    });
    let mut ctx = context(&state, lang, "/stats");
    ctx.insert("s", &json!({
        "from": stats_period_label(&l, &p.from.code()), "to": stats_period_label(&l, &p.to.code()),
        "total": p.total.text(), "timely": pct(p.timely_rate), "resolution": pct(p.resolution_rate),
        "median_days": days(p.median_days), "mentions": p.mentions.text(),
        "months": months, "obstacles": obstacles,
        "families": rows(&p.families, &|c| l.family(c)),
        "sectors": rows(&p.sectors, &|c| l.sector(c)),
        "provinces": rows(&p.provinces, &|c| l.province(c)),
        "companies": companies, "charts": charts,
        "statuses": stats::PUBLISHED.iter().map(|s| l.status(s)).collect::<Vec<_>>(),
    }));
    Ok(cached(page(
        &state,
        "public/stats.html",
        &ctx,
        StatusCode::OK,
    )?))
}

fn stats_period_label(l: &Labels, code: &str) -> String {
    crate::domain::period::Month::parse(code)
        .map(|m| l.month(m))
        .unwrap_or_else(|| code.to_string())
}
