//! HTTP layer, split by audience. Handlers stay thin: parse, call a service, render.
pub mod api;
pub mod company;
pub mod public;
pub mod regulator;
pub mod shared;
pub mod staff;

use axum::http::{header, HeaderName, HeaderValue, Request};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::error::AppError;
use crate::state::AppState;
use crate::store::sessions::DbSessionStore;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Content-Security-Policy: no inline script or style anywhere.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Every route that requires a signed-in user, with its access rule.
pub fn protected_routes() -> shared::authz::Routes {
    staff::routes()
        .merge(api::routes())
        .merge(api::cases::routes())
        .merge(api::companies::routes())
        .merge(api::exports::routes())
        .merge(regulator::routes())
        .merge(company::routes())
        .merge(api::company::routes())
}

/// Every protected route's method, path and access (for the authorisation-matrix test).
pub fn route_specs() -> Vec<shared::authz::RouteSpec> {
    protected_routes().specs
}

/// The whole application router with its layers.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.write.clone()))
        .with_name("dw_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(8)));
    let trace = TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
        let id = req
            .extensions()
            .get::<RequestId>()
            .and_then(|id| id.header_value().to_str().ok())
            .unwrap_or("-")
            .to_string();
        // Path only: query strings may carry personal data typed into search boxes.
        tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
    });
    Router::new()
        .merge(public::router())
        .merge(public::stats::router())
        .merge(public::respond::router())
        .merge(api::stats::router())
        .merge(api::router())
        .merge(shared::health::router())
        .merge(shared::assets::router())
        .merge(shared::sign_in::router())
        .merge(api::openapi::router())
        .merge(protected_routes().router)
        .fallback(|| async { AppError::NotFound })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            shared::auth::load_user,
        ))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            shared::middleware::render_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            shared::lang::negotiate,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(trace)
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(CatchPanicLayer::custom(shared::middleware::panic_response))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(CSP),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    HeaderName::from_static("permissions-policy"),
                    HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
                )),
        )
        .with_state(state)
}
