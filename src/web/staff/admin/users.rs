//! Users and API tokens: the admin page, inviting a user, enabling or disabling one, creating
//! and revoking tokens.
use std::collections::HashMap;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::domain::{format, Role};
use crate::entities::user;
use crate::error::AppError;
use crate::services::accounts::{self, invite::invite_user, AccountError};
use crate::services::audit;
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage, View};

#[derive(Default, Serialize)]
struct Flash {
    message: Option<String>,
    secret: Option<String>,
    error: Option<String>,
}

impl Flash {
    fn error(message: String) -> Flash {
        Flash {
            error: Some(message),
            ..Flash::default()
        }
    }
}

/// What a refused form had typed; absent fields fall back to the template's defaults.
#[derive(Serialize, Default)]
struct Typed {
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

#[derive(Serialize)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    active: bool,
    has_password: bool,
    locked: bool,
    last_login: Option<String>,
}

#[derive(Serialize)]
struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    user: String,
    created: String,
    last_used: Option<String>,
    revoked: bool,
}

#[derive(Serialize)]
struct UsersView {
    users: Vec<UserRow>,
    tokens: Vec<TokenRow>,
    roles: Vec<&'static str>,
    flash: Flash,
    typed: Typed,
}

impl View for UsersView {
    const TEMPLATE: &'static str = "staff/users.html";
    const PATH: &'static str = "/staff/users";
}

async fn render_users(
    page: &StaffPage,
    flash: Flash,
    typed: Typed,
    status: StatusCode,
) -> Result<Response, AppError> {
    let lang = page.lang;
    let users = accounts::list_users(&page.state.db.read).await?;
    let tokens = accounts::list_tokens(&page.state.db.read).await?;
    let by_id: HashMap<i64, &user::Model> = users.iter().map(|u| (u.id, u)).collect();
    let tokens = tokens
        .into_iter()
        .map(|t| TokenRow {
            user: by_id
                .get(&t.user_id)
                .map(|u| u.email.clone())
                .unwrap_or_default(),
            created: format::datetime(t.created_at, lang),
            last_used: t.last_used_at.map(|x| format::datetime(x, lang)),
            revoked: t.revoked_at.is_some(),
            id: t.id,
            name: t.name,
            prefix: t.prefix,
        })
        .collect();
    let users = users
        .iter()
        .map(|u| UserRow {
            id: u.id,
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: u.role.clone(),
            active: u.active,
            has_password: u.password_hash.is_some(),
            locked: u.locked_until.is_some_and(|t| t > Utc::now()),
            last_login: u.last_login_at.map(|t| format::datetime(t, lang)),
        })
        .collect();
    let view = UsersView {
        users,
        tokens,
        // Company contacts are invited from their company's page, bound to it.
        roles: Role::ALL
            .iter()
            .filter(|r| **r != Role::Company)
            .map(|r| r.code())
            .collect(),
        flash,
        typed,
    };
    page.render(&view, status).await
}

pub(super) async fn users_page(page: StaffPage) -> Result<Response, AppError> {
    render_users(&page, Flash::default(), Typed::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub(super) struct InviteForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
}

#[derive(Deserialize)]
pub(super) struct ActiveForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    active: String,
}

#[derive(Deserialize)]
pub(super) struct TokenForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    user_email: String,
    #[serde(default)]
    name: String,
}

csrf_protected!(InviteForm, ActiveForm, TokenForm);

pub(super) async fn invite(
    StaffForm(page, f): StaffForm<InviteForm>,
) -> Result<Response, AppError> {
    let typed = Typed {
        email: Some(f.email.clone()),
        display_name: Some(f.display_name.clone()),
        role: Some(f.role.clone()),
        ..Typed::default()
    };
    let refused = |key: &str| Flash::error(page.msg(key));
    let Some(role) = Role::parse(&f.role).filter(|r| *r != Role::Company) else {
        let flash = refused("staff.users.bad_role");
        return render_users(&page, flash, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let invited = invite_user(
        &page.state.invite_work(),
        page.lang,
        &f.email,
        &f.display_name,
        role,
        &page.user.actor(),
    )
    .await?;
    let invited = match invited {
        Ok(i) => i,
        Err(e) => {
            let key = match e {
                AccountError::InvalidEmail => "staff.users.bad_email",
                AccountError::Exists => "staff.users.exists",
                _ => "errors.internal",
            };
            let flash = refused(key);
            return render_users(&page, flash, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let flash = Flash {
        message: Some(page.fmt(
            "staff.users.invited_flash",
            &[("email", &invited.user.email)],
        )),
        secret: Some(invited.link),
        error: None,
    };
    render_users(&page, flash, Typed::default(), StatusCode::OK).await
}

pub(super) async fn set_active(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<ActiveForm>,
) -> Result<Response, AppError> {
    let me = &page.user;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if id == me.id {
        return Err(AppError::BadRequest("staff.users.not_self"));
    }
    let active = f.active == "true";
    let u = accounts::set_active(&page.state.db.write, id, active)
        .await
        .map_err(|e| match e {
            AccountError::NoSuchUser => AppError::NotFound,
            other => AppError::Internal(anyhow::anyhow!("{other}")),
        })?;
    let action = if active {
        "user_enabled"
    } else {
        "user_disabled"
    };
    audit::record(
        &page.state.db.write,
        &me.actor(),
        action,
        Some(("user", u.id.to_string())),
        None,
    )
    .await?;
    Ok(Redirect::to("/staff/users").into_response())
}

pub(super) async fn create_token(
    StaffForm(page, f): StaffForm<TokenForm>,
) -> Result<Response, AppError> {
    let owner = accounts::find_by_email(&page.state.db.read, &f.user_email).await?;
    let (owner, name) = match (owner, f.name.trim()) {
        (Some(o), n) if !n.is_empty() => (o, n.to_string()),
        (owner, _) => {
            let key = if owner.is_none() {
                "staff.users.no_such_user"
            } else {
                "staff.users.token_name_required"
            };
            let typed = Typed {
                user_email: Some(f.user_email),
                name: Some(f.name),
                ..Typed::default()
            };
            let flash = Flash::error(page.msg(key));
            return render_users(&page, flash, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let (row, token) = accounts::create_token(&page.state.db.write, owner.id, &name).await?;
    audit::record(
        &page.state.db.write,
        &page.user.actor(),
        "token_created",
        Some(("api_token", row.id.to_string())),
        Some(json!({ "for": owner.email })),
    )
    .await?;
    let flash = Flash {
        message: Some(page.msg("staff.users.token_created")),
        secret: Some(token),
        error: None,
    };
    render_users(&page, flash, Typed::default(), StatusCode::OK).await
}

pub(super) async fn revoke_token(
    Path(id): Path<String>,
    StaffForm(page, _): StaffForm<ActiveForm>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    accounts::revoke_token(&page.state.db.write, id)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        &page.state.db.write,
        &page.user.actor(),
        "token_revoked",
        Some(("api_token", id.to_string())),
        None,
    )
    .await?;
    Ok(Redirect::to("/staff/users").into_response())
}
