//! Cross-cutting middleware: localised error bodies and the panic safety net.
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use crate::domain::Language;
use crate::error::ErrorInfo;
use crate::state::AppState;
use crate::web::api::openapi::{ErrorBody, ErrorDetail, ValidationErrors};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::{context, with_view};

/// `public/error.html`.
#[derive(Serialize)]
struct ErrorPage<'a> {
    status: u16,
    message: &'a str,
}

fn generic_info(status: StatusCode) -> ErrorInfo {
    let key = match status.as_u16() {
        400 => "errors.bad_request",
        404 => "errors.not_found",
        405 => "errors.method_not_allowed",
        413 => "errors.too_large",
        415 => "errors.media_type",
        422 => "errors.validation",
        429 => "errors.rate_limited",
        503 => "errors.unavailable",
        s if s >= 500 => "errors.internal",
        _ => "errors.bad_request",
    };
    ErrorInfo {
        status,
        key,
        fields: None,
        retry_after: None,
    }
}

/// Turns recorded [`ErrorInfo`] (and bare error statuses from extractors) into a localised JSON
/// body under `/api`, or an HTML page elsewhere.
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = req
        .extensions()
        .get::<Lang>()
        .map(|l| l.0)
        .unwrap_or(Language::ZhCn);
    let is_api = req.uri().path().starts_with("/api/");
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    let info = match resp.extensions().get::<ErrorInfo>() {
        Some(info) => info.clone(),
        None => {
            let status = resp.status();
            let has_body_type = resp.headers().get(CONTENT_TYPE).is_some_and(|ct| {
                ct.to_str()
                    .map(|s| s.starts_with("application/json") || s.starts_with("text/html"))
                    .unwrap_or(false)
            });
            if status == StatusCode::INTERNAL_SERVER_ERROR
                && !has_body_type
                && !state.db.ping().await
            {
                // A bare 500 from a layer (the session store failing to save) while the
                // database is unreachable is an outage, not a bug.
                generic_info(StatusCode::SERVICE_UNAVAILABLE)
            } else if (status.is_client_error() || status.is_server_error()) && !has_body_type {
                generic_info(status)
            } else {
                return resp;
            }
        }
    };
    let message = state.i18n.msg(lang, info.key);
    let mut out = if is_api {
        match info.fields {
            Some(errors) => (info.status, axum::Json(ValidationErrors { errors })).into_response(),
            None => {
                let error = ErrorDetail {
                    code: info.key.trim_start_matches("errors.").to_string(),
                    message,
                };
                (info.status, axum::Json(ErrorBody { error })).into_response()
            }
        }
    } else {
        let view = ErrorPage {
            status: info.status.as_u16(),
            message: &message,
        };
        let rendered = match with_view(context(&state, lang, &path), &view) {
            Ok(ctx) => state
                .tera
                .render("public/error.html", &ctx)
                .map_err(Into::into),
            Err(e) => Err(e),
        };
        match rendered {
            Ok(html) => (info.status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = ?e, "error page failed to render");
                (info.status, message).into_response()
            }
        }
    };
    if let Some(secs) = info.retry_after {
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            out.headers_mut().insert(RETRY_AFTER, v);
        }
    }
    out
}

/// Last resort if a handler panics: a generic 500 without details.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    tracing::error!("handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "500 Internal Server Error",
    )
        .into_response()
}
