//! Admin privacy operations: erasing a consumer's contact data or a case's narrative on request,
//! and the mail outbox monitor (attempts and last errors, recipients masked).
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::staff_context;
use crate::domain::format;
use crate::domain::Language;
use crate::entities::{complaint, mail_outbox};
use crate::error::AppError;
use crate::services::privacy::{self, mask_email, mask_emails_in};
use crate::state::AppState;
use crate::web::shared::auth::{verify_csrf, CurrentUser};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::page;

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/cases/{id}/erase",
            &["GET"],
            Access::Admin,
            get(erase_page),
        )
        .add(
            "/staff/cases/{id}/erase-contact",
            &["POST"],
            Access::Admin,
            post(erase_contact),
        )
        .add(
            "/staff/cases/{id}/erase-narrative",
            &["POST"],
            Access::Admin,
            post(erase_narrative),
        )
        .add("/staff/outbox", &["GET"], Access::Admin, get(outbox_page))
}

/// Which erasure a form asks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum What {
    Contact,
    Narrative,
}

impl What {
    fn code(self) -> &'static str {
        match self {
            What::Contact => "contact",
            What::Narrative => "narrative",
        }
    }
}

/// What the erasure page reports above the forms.
enum Notice<'a> {
    /// After a redirect: which erasure was just done (`?done=`; anything else shows nothing).
    Done(&'a str),
    /// A form sent without its confirmation box ticked (422).
    Unconfirmed(What),
}

async fn find_case(state: &AppState, raw_id: &str) -> Result<complaint::Model, AppError> {
    let id: i64 = raw_id.parse().map_err(|_| AppError::NotFound)?;
    complaint::Entity::find_by_id(id)
        .one(&state.db.read)
        .await?
        .ok_or(AppError::NotFound)
}

/// The erasure page: what is still held (never the values themselves) and the two forms.
async fn render_erase(
    state: &AppState,
    lang: Language,
    me: &CurrentUser,
    session: &Session,
    c: &complaint::Model,
    notice: Notice<'_>,
) -> Result<Response, AppError> {
    let mut ctx = staff_context(state, lang, "/staff/cases", me, session).await?;
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| format::datetime(t, lang));
    ctx.insert(
        "c",
        &json!({
            "id": c.id,
            "code": c.tracking_code,
            "status": c.status,
            "has_contact": c.contact_name.is_some() || c.contact_email.is_some() || c.contact_phone.is_some(),
            "contact_erased_at": when(c.contact_erased_at),
            "narrative_erased_at": when(c.narrative_erased_at),
        }),
    );
    let (done, error, status) = match notice {
        Notice::Done(d) => (
            Some(d).filter(|d| matches!(*d, "contact" | "narrative")),
            None,
            StatusCode::OK,
        ),
        Notice::Unconfirmed(w) => (None, Some(w.code()), StatusCode::UNPROCESSABLE_ENTITY),
    };
    ctx.insert("done", &done);
    ctx.insert("erase_error", &error);
    page(state, "staff/erase_page.html", &ctx, status)
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn erase_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let c = find_case(&state, &id).await?;
    let done = q.done.as_deref().unwrap_or("");
    render_erase(&state, lang, &me, &session, &c, Notice::Done(done)).await
}

#[derive(Deserialize)]
struct EraseForm {
    #[serde(default)]
    csrf_token: String,
    /// The admin's confirmation that the consumer asked for this (a required checkbox).
    #[serde(default)]
    confirm: String,
}

async fn erase(
    state: AppState,
    lang: Language,
    me: CurrentUser,
    session: Session,
    id: String,
    f: EraseForm,
    what: What,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let c = find_case(&state, &id).await?;
    if f.confirm != "yes" {
        return render_erase(&state, lang, &me, &session, &c, Notice::Unconfirmed(what)).await;
    }
    let done = match what {
        What::Contact => privacy::erase_contact(&state.db.write, c.id, &me.actor()).await?,
        What::Narrative => privacy::erase_narrative(&state.db.write, c.id, &me.actor()).await?,
    };
    done.ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/staff/cases/{}/erase?done={}", c.id, what.code())).into_response())
}

async fn erase_contact(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<EraseForm>,
) -> Result<Response, AppError> {
    erase(state, lang, me, session, id, f, What::Contact).await
}

async fn erase_narrative(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<EraseForm>,
) -> Result<Response, AppError> {
    erase(state, lang, me, session, id, f, What::Narrative).await
}

/// Outbox statuses, in the order the filter offers them.
const OUTBOX_STATUSES: &[&str] = &["pending", "sent", "failed", "cancelled"];
const OUTBOX_PAGE: u64 = 100;

#[derive(Deserialize, Default)]
struct OutboxQuery {
    status: Option<String>,
    /// Keyset cursor: show rows with id below this.
    before: Option<String>,
}

async fn outbox_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    session: Session,
    Query(q): Query<OutboxQuery>,
) -> Result<Response, AppError> {
    let status = q
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| OUTBOX_STATUSES.contains(s));
    let before = q
        .before
        .as_deref()
        .and_then(|b| b.trim().parse::<i64>().ok());
    let mut find = mail_outbox::Entity::find()
        .order_by_desc(mail_outbox::Column::Id)
        .limit(OUTBOX_PAGE + 1);
    if let Some(s) = status {
        find = find.filter(mail_outbox::Column::Status.eq(s));
    }
    if let Some(b) = before {
        find = find.filter(mail_outbox::Column::Id.lt(b));
    }
    let mut rows = find.all(&state.db.read).await?;
    let more = rows.len() as u64 > OUTBOX_PAGE;
    rows.truncate(OUTBOX_PAGE as usize);
    let next_before = if more {
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let view: Vec<_> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "created": format::datetime(r.created_at, lang),
                "kind": r.kind,
                "to": mask_email(&r.to_addr),
                "status": r.status,
                "status_name": state.i18n.msg(lang, &format!("privacy_ops.outbox.status.{}", r.status)),
                "attempts": r.attempts,
                "last_error": r.last_error.as_deref().map(mask_emails_in),
                "next_attempt": (r.status == "pending").then(|| format::datetime(r.next_attempt_at, lang)),
                "sent": r.sent_at.map(|t| format::datetime(t, lang)),
                "complaint_id": r.complaint_id,
            })
        })
        .collect();
    let counts = status_counts(&state, lang).await?;
    let last_purge = privacy::last_purge(&state.db.read)
        .await?
        .map(|t| format::datetime(t, lang));
    let mut ctx = staff_context(&state, lang, "/staff/outbox", &me, &session).await?;
    ctx.insert("rows", &view);
    ctx.insert("next_before", &next_before);
    ctx.insert("statuses", OUTBOX_STATUSES);
    ctx.insert("counts", &counts);
    ctx.insert("status", &status);
    ctx.insert("last_purge", &last_purge);
    ctx.insert(
        "retention_months",
        &state.config.retention_months.to_string(),
    );
    page(&state, "staff/outbox.html", &ctx, StatusCode::OK)
}

/// Number of outbox rows per status, every status listed (zero included).
async fn status_counts(
    state: &AppState,
    lang: Language,
) -> Result<Vec<serde_json::Value>, AppError> {
    let db = &state.db.read;
    let rows = db
        .query_all(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT status, COUNT(*) AS n FROM mail_outbox GROUP BY status",
        ))
        .await?;
    let mut counts: Vec<(String, i64)> =
        OUTBOX_STATUSES.iter().map(|s| (s.to_string(), 0)).collect();
    for r in rows {
        let s: String = r.try_get("", "status")?;
        let n: i64 = r
            .try_get::<i64>("", "n")
            .or_else(|_| r.try_get::<i32>("", "n").map(i64::from))?;
        match counts.iter_mut().find(|(k, _)| *k == s) {
            Some(slot) => slot.1 = n,
            None => counts.push((s, n)),
        }
    }
    Ok(counts
        .into_iter()
        .map(|(s, n)| {
            let name = state
                .i18n
                .msg(lang, &format!("privacy_ops.outbox.status.{s}"));
            json!({ "status": s, "name": name, "count": n.to_string() })
        })
        .collect())
}
