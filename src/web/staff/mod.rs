//! Staff workspace (admins and reviewers) and the admin pages.
pub mod admin;
pub mod cases;
pub mod companies;
pub mod groups;
pub mod holidays;
pub mod privacy;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use tower_sessions::Session;

use crate::domain::Language;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::shared::auth::{csrf_token, CurrentUser};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::{context, page};

pub fn routes() -> Routes {
    Routes::new()
        .add("/staff", &["GET"], Access::Regulator, get(landing))
        .merge(admin::routes())
        .merge(cases::routes())
        .merge(companies::routes())
        .merge(groups::routes())
        .merge(holidays::routes())
        .merge(privacy::routes())
}

/// Context for staff and regulator pages: the layout needs the user and a CSRF token (logout).
pub async fn staff_context(
    state: &AppState,
    lang: Language,
    path: &str,
    user: &CurrentUser,
    session: &Session,
) -> Result<tera::Context, AppError> {
    let mut ctx = context(state, lang, path);
    ctx.insert("csrf_token", &csrf_token(session).await?);
    ctx.insert(
        "user",
        &serde_json::json!({
            "id": user.id, "email": user.email, "display_name": user.display_name,
            "role": user.role.code(), "is_staff": user.role.is_staff(), "is_admin": user.role == crate::domain::Role::Admin,
        }),
    );
    Ok(ctx)
}

async fn landing(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
) -> Result<Response, AppError> {
    let mut ctx = staff_context(&state, lang, "/staff", &user, &session).await?;
    ctx.insert(
        "calendar_warning",
        &crate::services::holidays::calendar_warning(
            &state.db.read,
            &state.reference().calendar,
            &state.i18n,
            lang,
        )
        .await,
    );
    page(&state, "staff/home.html", &ctx, StatusCode::OK)
}
