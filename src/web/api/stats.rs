//! `GET /api/v1/stats`: the public tier of the statistics as JSON (the same document as the
//! open-data download `/stats.json`), small cells suppressed. Open to anyone, with or without
//! a token: the figures are public.
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::AppError;
use crate::state::AppState;
use crate::web::public::stats::{cached, public_json};
use crate::web::shared::lang::Lang;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/stats", get(stats))
}

async fn stats(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, AppError> {
    Ok(cached(
        axum::Json(public_json(&state, lang).await?).into_response(),
    ))
}
