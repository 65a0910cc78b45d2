//! Static assets (CSS, the small progressive-enhancement script), embedded.
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::AppError;
use crate::state::AppState;
use crate::web::shared::templates::Static;

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{*file}", get(asset))
}

async fn asset(Path(file): Path<String>) -> Result<Response, AppError> {
    let f = Static::get(&file).ok_or(AppError::NotFound)?;
    let ct = match file.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    Ok((
        [(CONTENT_TYPE, ct), (CACHE_CONTROL, "public, max-age=3600")],
        f.data.into_owned(),
    )
        .into_response())
}
