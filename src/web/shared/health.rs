//! Liveness and readiness probes.
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The body of both probes.
#[derive(Serialize)]
struct Probe {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<&'static str>,
}

async fn healthz() -> Json<Probe> {
    Json(Probe {
        status: "ok",
        database: None,
    })
}

/// 200 when the database answers, 503 otherwise.
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Probe>) {
    if state.db.ping().await {
        (
            StatusCode::OK,
            Json(Probe {
                status: "ready",
                database: Some("ok"),
            }),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Probe {
                status: "unavailable",
                database: Some("unreachable"),
            }),
        )
    }
}
