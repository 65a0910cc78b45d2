//! Consumer pages: home, the complaint form ([`form`]), the receipt ([`receipt`]), tracking
//! ([`track`]), the public statistics ([`stats`]) and the public company pages ([`company`]).
pub mod company;
pub mod form;
pub mod my;
pub mod receipt;
pub mod respond;
pub mod rights;
pub mod stats;
pub mod track;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::store::ratelimit;
use crate::web::shared::lang::Lang;
use crate::web::shared::render::view_page;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/privacy", get(privacy))
        .route("/complaints/new", get(form::new_form))
        .route(
            "/complaints",
            post(form::submit).layer(DefaultBodyLimit::max(form::FORM_BODY_LIMIT)),
        )
        .route("/complaints/receipt/{code}", get(receipt::receipt))
        .route("/rights", get(rights::index))
        .route("/rights/{code}", get(rights::page))
        .route("/track", get(track::track_form))
        .route("/track/{code}", get(track::track_view))
        .route("/track/{code}/reply", post(track::track_reply))
        .route("/track/{code}/verdict", post(track::track_verdict))
        .merge(my::router())
}

/// Pages with nothing but the layout.
#[derive(Serialize)]
struct Plain {}

async fn home(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, AppError> {
    view_page(
        &state,
        lang,
        "/",
        "public/home.html",
        &Plain {},
        StatusCode::OK,
    )
}

async fn privacy(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, AppError> {
    view_page(
        &state,
        lang,
        "/privacy",
        "public/privacy.html",
        &Plain {},
        StatusCode::OK,
    )
}

type Hs = Hmac<Sha256>;

/// Rate-limit bucket for a client address, hashed so raw addresses are never stored.
pub fn rate_bucket(state: &AppState, ip: std::net::IpAddr) -> String {
    let mut mac = Hs::new_from_slice(&state.secret).expect("HMAC accepts keys of any length");
    mac.update(ip.to_string().as_bytes());
    format!("intake:{}", hex::encode(&mac.finalize().into_bytes()[..12]))
}

/// Counts one submission against `bucket`; over the limit, the localised "wait" message under
/// `form` and the seconds to put in `Retry-After`.
async fn over_limit(
    state: &AppState,
    lang: crate::domain::Language,
    bucket: &str,
) -> Option<(FieldErrors, u64)> {
    let limit = state.config.intake_limit?;
    let retry = ratelimit::hit(&state.db.write, bucket, limit).await.err()?;
    let msg = state.i18n.fmt(
        lang,
        "errors.rate_limited_wait",
        &[("seconds", &retry.to_string())],
    );
    Some((FieldErrors::from([("form".into(), vec![msg])]), retry))
}

/// Adds `Retry-After` to a re-rendered page.
fn retry_after(mut resp: Response, secs: u64) -> Response {
    if let Ok(v) = secs.to_string().parse() {
        resp.headers_mut()
            .insert(axum::http::header::RETRY_AFTER, v);
    }
    resp
}
