//! Admin pages: users (invite, enable/disable), API tokens (create, revoke) and the audit log.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::staff_context;
use crate::domain::format;
use crate::domain::Role;
use crate::entities::{audit_log, user};
use crate::error::AppError;
use crate::services::accounts::{self, AccountError};
use crate::services::audit;
use crate::services::mail::outbox;
use crate::services::mail::MailContent;
use crate::state::AppState;
use crate::web::shared::auth::{verify_csrf, CurrentUser};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::page;

pub fn routes() -> Routes {
    Routes::new()
        .add("/staff/users", &["GET"], Access::Admin, get(users_page))
        .add(
            "/staff/users/invite",
            &["POST"],
            Access::Admin,
            post(invite),
        )
        .add(
            "/staff/users/{id}/active",
            &["POST"],
            Access::Admin,
            post(set_active),
        )
        .add(
            "/staff/tokens",
            &["POST"],
            Access::Admin,
            post(create_token),
        )
        .add(
            "/staff/tokens/{id}/revoke",
            &["POST"],
            Access::Admin,
            post(revoke_token),
        )
        .add("/staff/audit", &["GET"], Access::Admin, get(audit_page))
}

#[derive(Default, serde::Serialize)]
struct Flash {
    message: Option<String>,
    secret: Option<String>,
    error: Option<String>,
}

async fn render_users(
    state: &AppState,
    lang: crate::domain::Language,
    me: &CurrentUser,
    session: &Session,
    flash: Flash,
    typed: serde_json::Value,
    status: StatusCode,
) -> Result<Response, AppError> {
    let users = accounts::list_users(&state.db.read).await?;
    let tokens = accounts::list_tokens(&state.db.read).await?;
    let by_id: std::collections::HashMap<i64, &user::Model> =
        users.iter().map(|u| (u.id, u)).collect();
    let users_view: Vec<_> = users
        .iter()
        .map(|u| {
            json!({
                "id": u.id, "email": u.email, "display_name": u.display_name, "role": u.role, "active": u.active,
                "has_password": u.password_hash.is_some(),
                "locked": u.locked_until.is_some_and(|t| t > Utc::now()),
                "last_login": u.last_login_at.map(|t| format::datetime(t, lang)),
            })
        })
        .collect();
    let tokens_view: Vec<_> = tokens
        .iter()
        .map(|t| {
            json!({
                "id": t.id, "name": t.name, "prefix": t.prefix,
                "user": by_id.get(&t.user_id).map(|u| u.email.clone()).unwrap_or_default(),
                "created": format::datetime(t.created_at, lang),
                "last_used": t.last_used_at.map(|x| format::datetime(x, lang)),
                "revoked": t.revoked_at.is_some(),
            })
        })
        .collect();
    let mut ctx = staff_context(state, lang, "/staff/users", me, session).await?;
    ctx.insert("users", &users_view);
    ctx.insert("tokens", &tokens_view);
    ctx.insert("roles", &Role::codes());
    ctx.insert("flash", &flash);
    ctx.insert("typed", &typed);
    page(state, "staff/users.html", &ctx, status)
}

async fn users_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    session: Session,
) -> Result<Response, AppError> {
    render_users(
        &state,
        lang,
        &me,
        &session,
        Flash::default(),
        json!({}),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
}

async fn invite(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    session: Session,
    Form(f): Form<InviteForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let typed = json!({ "email": f.email, "display_name": f.display_name, "role": f.role });
    let fail = |key: &str| state.i18n.msg(lang, key);
    let Some(role) = Role::parse(&f.role) else {
        let flash = Flash {
            error: Some(fail("staff.users.bad_role")),
            ..Flash::default()
        };
        return render_users(
            &state,
            lang,
            &me,
            &session,
            flash,
            typed,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let txn = state.db.write.begin().await?;
    let created = accounts::create_user(&txn, &f.email, &f.display_name, role, None).await;
    let u = match created {
        Ok(u) => u,
        Err(e) => {
            let key = match e {
                AccountError::InvalidEmail => "staff.users.bad_email",
                AccountError::Exists => "staff.users.exists",
                AccountError::Db(db) => return Err(db.into()),
                _ => "errors.internal",
            };
            let flash = Flash {
                error: Some(fail(key)),
                ..Flash::default()
            };
            return render_users(
                &state,
                lang,
                &me,
                &session,
                flash,
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let token = accounts::create_invite(&txn, u.id).await?;
    let link = format!(
        "{}/staff/invite/{token}",
        state.config.base_url.as_str().trim_end_matches('/')
    );
    let mail = MailContent {
        subject: state.i18n.msg(lang, "staff.invite.mail_subject"),
        text: state.i18n.fmt(
            lang,
            "staff.invite.mail_body",
            &[
                ("link", &link),
                (
                    "role",
                    &state
                        .i18n
                        .msg(lang, &format!("staff.roles.{}", role.code())),
                ),
            ],
        ),
        html: String::new(),
    };
    let html = format!(
        "<p>{}</p>",
        tera::escape_html(&mail.text).replace('\n', "<br>")
    );
    outbox::enqueue(
        &txn,
        None,
        "invite",
        &u.email,
        lang,
        MailContent { html, ..mail },
    )
    .await?;
    audit::record(
        &txn,
        &me.actor(),
        "user_invited",
        Some(("user", u.id.to_string())),
        Some(json!({ "role": role.code() })),
    )
    .await?;
    txn.commit().await?;
    state.mail_wake.notify_one();
    let flash = Flash {
        message: Some(
            state
                .i18n
                .fmt(lang, "staff.users.invited_flash", &[("email", &u.email)]),
        ),
        secret: Some(link),
        error: None,
    };
    render_users(
        &state,
        lang,
        &me,
        &session,
        flash,
        json!({}),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
struct ActiveForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    active: String,
}

async fn set_active(
    State(state): State<AppState>,
    me: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if id == me.id {
        return Err(AppError::BadRequest("staff.users.not_self"));
    }
    let active = f.active == "true";
    let u = accounts::set_active(&state.db.write, id, active)
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
        &state.db.write,
        &me.actor(),
        action,
        Some(("user", u.id.to_string())),
        None,
    )
    .await?;
    Ok(Redirect::to("/staff/users").into_response())
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    user_email: String,
    #[serde(default)]
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    session: Session,
    Form(f): Form<TokenForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let typed = json!({ "user_email": f.user_email, "name": f.name });
    let owner = accounts::find_by_email(&state.db.read, &f.user_email).await?;
    let (owner, name) = match (owner, f.name.trim()) {
        (Some(o), n) if !n.is_empty() => (o, n.to_string()),
        (None, _) => {
            let flash = Flash {
                error: Some(state.i18n.msg(lang, "staff.users.no_such_user")),
                ..Flash::default()
            };
            return render_users(
                &state,
                lang,
                &me,
                &session,
                flash,
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        _ => {
            let flash = Flash {
                error: Some(state.i18n.msg(lang, "staff.users.token_name_required")),
                ..Flash::default()
            };
            return render_users(
                &state,
                lang,
                &me,
                &session,
                flash,
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let (row, token) = accounts::create_token(&state.db.write, owner.id, &name).await?;
    audit::record(
        &state.db.write,
        &me.actor(),
        "token_created",
        Some(("api_token", row.id.to_string())),
        Some(json!({ "for": owner.email })),
    )
    .await?;
    let flash = Flash {
        message: Some(state.i18n.msg(lang, "staff.users.token_created")),
        secret: Some(token),
        error: None,
    };
    render_users(
        &state,
        lang,
        &me,
        &session,
        flash,
        json!({}),
        StatusCode::OK,
    )
    .await
}

async fn revoke_token(
    State(state): State<AppState>,
    me: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    accounts::revoke_token(&state.db.write, id)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        &state.db.write,
        &me.actor(),
        "token_revoked",
        Some(("api_token", id.to_string())),
        None,
    )
    .await?;
    Ok(Redirect::to("/staff/users").into_response())
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    target_type: Option<String>,
    target_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// Keyset cursor: show rows with id below this.
    before: Option<i64>,
}

const AUDIT_PAGE: u64 = 100;

async fn audit_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    session: Session,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let mut find = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(AUDIT_PAGE + 1);
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let Some(a) = clean(&q.actor) {
        find = find.filter(audit_log::Column::Actor.contains(a));
    }
    if let Some(a) = clean(&q.action) {
        find = find.filter(audit_log::Column::Action.eq(a));
    }
    if let Some(t) = clean(&q.target_type) {
        find = find.filter(audit_log::Column::TargetType.eq(t));
    }
    if let Some(t) = clean(&q.target_id) {
        find = find.filter(audit_log::Column::TargetId.eq(t));
    }
    let day =
        |s: &Option<String>| clean(s).and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    if let Some(d) = day(&q.from) {
        let start = format::shanghai()
            .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&Utc));
        if let Some(s) = start {
            find = find.filter(audit_log::Column::At.gte(s));
        }
    }
    if let Some(d) = day(&q.to) {
        let end = format::shanghai()
            .from_local_datetime(&d.and_hms_opt(23, 59, 59).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&Utc));
        if let Some(e) = end {
            find = find.filter(audit_log::Column::At.lte(e));
        }
    }
    if let Some(b) = q.before {
        find = find.filter(audit_log::Column::Id.lt(b));
    }
    let mut rows = find.all(&state.db.read).await?;
    let more = rows.len() as u64 > AUDIT_PAGE;
    rows.truncate(AUDIT_PAGE as usize);
    let next_before = if more {
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let view: Vec<_> = rows
        .iter()
        .map(|r| json!({ "id": r.id, "at": format::datetime(r.at, lang), "actor": r.actor, "action": r.action, "target_type": r.target_type, "target_id": r.target_id, "detail": r.detail }))
        .collect();
    let mut ctx = staff_context(&state, lang, "/staff/audit", &me, &session).await?;
    ctx.insert("rows", &view);
    ctx.insert("next_before", &next_before);
    ctx.insert("q", &json!({ "actor": clean(&q.actor), "action": clean(&q.action), "target_type": clean(&q.target_type), "target_id": clean(&q.target_id), "from": clean(&q.from), "to": clean(&q.to) }));
    page(&state, "staff/audit.html", &ctx, StatusCode::OK)
}
