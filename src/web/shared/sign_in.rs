//! The sign-in, sign-out and invitation pages (`/staff/login`, `/staff/logout`,
//! `/staff/invite/{token}`): the same for every role.
use crate::config::RateLimit;
use crate::domain::{Language, Role};
use crate::error::AppError;
use crate::services::accounts;
use crate::services::audit::{self, Actor};
use crate::state::AppState;
use crate::store::ratelimit;
use crate::web::shared::auth::{csrf_token, CurrentUserOpt, CSRF_KEY, USER_KEY};
use crate::web::shared::client::ClientIp;
use crate::web::shared::lang::Lang;
use crate::web::shared::page::{csrf_protected, CsrfForm, CsrfOnly};
use crate::web::shared::render::{context, page};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/login", get(login_form).post(login_submit))
        .route("/staff/logout", axum::routing::post(logout))
        .route(
            "/staff/invite/{token}",
            get(invite_form).post(invite_submit),
        )
}

#[derive(Deserialize, Default)]
struct NextQuery {
    next: Option<String>,
}

/// Only local staff or regulator paths are followed after login.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if (n.starts_with("/staff") || n.starts_with("/regulator"))
                && !n.starts_with("//")
                && !n.contains("://") =>
        {
            n.to_string()
        }
        _ => "/staff".into(),
    }
}

async fn login_page(
    state: &AppState,
    lang: Language,
    session: &Session,
    email: &str,
    next: &str,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut ctx = context(state, lang, "/staff/login");
    ctx.insert("csrf_token", &csrf_token(session).await?);
    ctx.insert("email", email);
    ctx.insert("next", next);
    ctx.insert("error", &error);
    page(state, "staff/login.html", &ctx, status)
}

async fn login_form(
    State(state): State<AppState>,
    Lang(lang): Lang,
    session: Session,
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Result<Response, AppError> {
    login_page(
        &state,
        lang,
        &session,
        "",
        &safe_next(q.next.as_deref()),
        None,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: Option<String>,
}

csrf_protected!(LoginForm);

/// Login attempts per client address per minute (on top of the per-account lockout).
const LOGIN_LIMIT: RateLimit = RateLimit {
    count: 20,
    per: std::time::Duration::from_secs(60),
};

async fn login_submit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    ClientIp(ip): ClientIp,
    session: Session,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> Result<Response, AppError> {
    let next = safe_next(f.next.as_deref());
    let bucket = format!("login:{}", crate::web::public::rate_bucket(&state, ip));
    if let Err(wait) = ratelimit::hit(&state.db.write, &bucket, LOGIN_LIMIT).await {
        let msg = state.i18n.fmt(
            lang,
            "staff.login.throttled",
            &[("seconds", &wait.to_string())],
        );
        return login_page(
            &state,
            lang,
            &session,
            &f.email,
            &next,
            Some(msg),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let outcome = accounts::login(&state.db.write, &f.email, &f.password).await?;
    let email_shown: String = f.email.chars().take(254).collect();
    match outcome {
        accounts::Login::Ok(u) => {
            session
                .cycle_id()
                .await
                .map_err(|e| AppError::Internal(anyhow::anyhow!("session: {e}")))?;
            session
                .insert(USER_KEY, u.id)
                .await
                .map_err(|e| AppError::Internal(anyhow::anyhow!("session: {e}")))?;
            // A fresh CSRF token for the signed-in session.
            let _ = session.remove::<String>(CSRF_KEY).await;
            audit::record(
                &state.db.write,
                &Actor::user(u.id, &u.email),
                "login",
                None,
                None,
            )
            .await?;
            // Everyone signs in on the same page; the default destination depends on the role.
            let to = match Role::parse(&u.role) {
                Some(role) if next == "/staff" => role.home().to_string(),
                _ => next,
            };
            Ok(Redirect::to(&to).into_response())
        }
        other => {
            let (key, status) = match other {
                accounts::Login::Locked => ("staff.login.locked", StatusCode::TOO_MANY_REQUESTS),
                _ => ("staff.login.invalid", StatusCode::UNPROCESSABLE_ENTITY),
            };
            let action = if matches!(other, accounts::Login::Locked) {
                "login_locked"
            } else {
                "login_failed"
            };
            audit::record(
                &state.db.write,
                &Actor {
                    user_id: None,
                    label: email_shown.clone(),
                },
                action,
                None,
                None,
            )
            .await?;
            login_page(
                &state,
                lang,
                &session,
                &email_shown,
                &next,
                Some(state.i18n.msg(lang, key)),
                status,
            )
            .await
        }
    }
}

async fn logout(
    State(state): State<AppState>,
    session: Session,
    user: CurrentUserOpt,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    if let CurrentUserOpt(Some(u)) = user {
        audit::record(&state.db.write, &u.actor(), "logout", None, None).await?;
    }
    session
        .flush()
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("session: {e}")))?;
    Ok(Redirect::to("/staff/login").into_response())
}

async fn invite_form(
    State(state): State<AppState>,
    Lang(lang): Lang,
    session: Session,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (_, u) = accounts::find_invite(&state.db.read, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut ctx = context(&state, lang, "/staff/invite");
    ctx.insert("csrf_token", &csrf_token(&session).await?);
    ctx.insert("email", &u.email);
    ctx.insert("token", &token);
    ctx.insert("error", &Option::<String>::None);
    page(&state, "staff/invite.html", &ctx, StatusCode::OK)
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    #[serde(default)]
    csrf_token: String,
}

csrf_protected!(InviteForm);

async fn invite_submit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    session: Session,
    Path(token): Path<String>,
    CsrfForm(f): CsrfForm<InviteForm>,
) -> Result<Response, AppError> {
    let (inv, u) = accounts::find_invite(&state.db.read, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    let error = if f.password != f.password_again {
        Some(state.i18n.msg(lang, "staff.invite.mismatch"))
    } else if f.password.chars().count() < accounts::MIN_PASSWORD_CHARS {
        Some(state.i18n.fmt(
            lang,
            "staff.invite.weak",
            &[("min", &accounts::MIN_PASSWORD_CHARS.to_string())],
        ))
    } else {
        None
    };
    if let Some(error) = error {
        let mut ctx = context(&state, lang, "/staff/invite");
        ctx.insert("csrf_token", &csrf_token(&session).await?);
        ctx.insert("email", &u.email);
        ctx.insert("token", &token);
        ctx.insert("error", &Some(error));
        return page(
            &state,
            "staff/invite.html",
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    accounts::set_password(&state.db.write, u.id, &f.password)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    accounts::use_invite(&state.db.write, inv).await?;
    audit::record(
        &state.db.write,
        &Actor::user(u.id, &u.email),
        "invite_accepted",
        Some(("user", u.id.to_string())),
        None,
    )
    .await?;
    Ok(Redirect::to("/staff/login").into_response())
}
