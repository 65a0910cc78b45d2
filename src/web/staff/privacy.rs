//! Admin privacy operations: erasing a consumer's contact data or a case's narrative on request,
//! and the mail outbox monitor (attempts and last errors, recipients masked).
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use crate::domain::format;
use crate::entities::complaint;
use crate::error::AppError;
use crate::services::cases::page as case_page;
use crate::services::mail::monitor::{self, STATUSES};
use crate::services::privacy::{self, mask_email, mask_emails_in};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage, View};

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

async fn find_case(page: &StaffPage, raw_id: &str) -> Result<complaint::Model, AppError> {
    let id: i64 = raw_id.parse().map_err(|_| AppError::NotFound)?;
    case_page::find(&page.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// What is still held about a case (never the values themselves).
#[derive(Serialize)]
struct ErasableCase {
    id: i64,
    code: String,
    status: String,
    has_contact: bool,
    contact_erased_at: Option<String>,
    narrative_erased_at: Option<String>,
}

#[derive(Serialize)]
struct EraseView {
    c: ErasableCase,
    done: Option<&'static str>,
    erase_error: Option<&'static str>,
}

impl View for EraseView {
    const TEMPLATE: &'static str = "staff/erase_page.html";
    const PATH: &'static str = "/staff/cases";
}

/// The erasure page: what is still held and the two forms.
async fn render_erase(
    page: &StaffPage,
    c: complaint::Model,
    notice: Notice<'_>,
) -> Result<Response, AppError> {
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| format::datetime(t, page.lang));
    let (done, erase_error, status) = match notice {
        Notice::Done(d) => (
            ["contact", "narrative"].into_iter().find(|k| *k == d),
            None,
            StatusCode::OK,
        ),
        Notice::Unconfirmed(w) => (None, Some(w.code()), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let view = EraseView {
        c: ErasableCase {
            has_contact: c.contact_name.is_some()
                || c.contact_email.is_some()
                || c.contact_phone.is_some(),
            contact_erased_at: when(c.contact_erased_at),
            narrative_erased_at: when(c.narrative_erased_at),
            id: c.id,
            code: c.tracking_code,
            status: c.status.code().to_string(),
        },
        done,
        erase_error,
    };
    page.render(&view, status).await
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn erase_page(
    page: StaffPage,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let c = find_case(&page, &id).await?;
    let done = q.done.as_deref().unwrap_or("");
    render_erase(&page, c, Notice::Done(done)).await
}

#[derive(Deserialize)]
struct EraseForm {
    #[serde(default)]
    csrf_token: String,
    /// The admin's confirmation that the consumer asked for this (a required checkbox).
    #[serde(default)]
    confirm: String,
}

csrf_protected!(EraseForm);

async fn erase(
    page: StaffPage,
    id: String,
    f: EraseForm,
    what: What,
) -> Result<Response, AppError> {
    let c = find_case(&page, &id).await?;
    if f.confirm != "yes" {
        return render_erase(&page, c, Notice::Unconfirmed(what)).await;
    }
    let db = &page.state.db.write;
    let actor = page.user.actor();
    let done = match what {
        What::Contact => privacy::erase_contact(db, c.id, &actor).await?,
        What::Narrative => privacy::erase_narrative(db, c.id, &actor).await?,
    };
    done.ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/staff/cases/{}/erase?done={}", c.id, what.code())).into_response())
}

async fn erase_contact(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<EraseForm>,
) -> Result<Response, AppError> {
    erase(page, id, f, What::Contact).await
}

async fn erase_narrative(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<EraseForm>,
) -> Result<Response, AppError> {
    erase(page, id, f, What::Narrative).await
}

const OUTBOX_PAGE: u64 = 100;

#[derive(Deserialize, Default)]
struct OutboxQuery {
    status: Option<String>,
    /// Keyset cursor: show rows with id below this.
    before: Option<String>,
}

#[derive(Serialize)]
struct OutboxRow {
    id: i64,
    created: String,
    kind: String,
    to: String,
    status: String,
    status_name: String,
    attempts: i32,
    last_error: Option<String>,
    next_attempt: Option<String>,
    sent: Option<String>,
    complaint_id: Option<i64>,
}

#[derive(Serialize)]
struct StatusCount {
    status: String,
    name: String,
    count: String,
}

#[derive(Serialize)]
struct OutboxView<'a> {
    rows: Vec<OutboxRow>,
    next_before: Option<i64>,
    statuses: &'static [&'static str],
    counts: Vec<StatusCount>,
    status: Option<&'a str>,
    last_purge: Option<String>,
    retention_months: String,
}

impl View for OutboxView<'_> {
    const TEMPLATE: &'static str = "staff/outbox.html";
    const PATH: &'static str = "/staff/outbox";
}

async fn outbox_page(page: StaffPage, Query(q): Query<OutboxQuery>) -> Result<Response, AppError> {
    let lang = page.lang;
    let status = q
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| STATUSES.contains(s));
    let before = q
        .before
        .as_deref()
        .and_then(|b| b.trim().parse::<i64>().ok());
    let db = &page.state.db.read;
    let (rows, next_before) = monitor::page(db, status, before, OUTBOX_PAGE).await?;
    let status_name = |s: &str| page.msg(&format!("privacy_ops.outbox.status.{s}"));
    let rows = rows
        .into_iter()
        .map(|r| OutboxRow {
            id: r.id,
            created: format::datetime(r.created_at, lang),
            to: mask_email(&r.to_addr),
            status_name: status_name(&r.status),
            attempts: r.attempts,
            last_error: r.last_error.as_deref().map(mask_emails_in),
            next_attempt: (r.status == "pending")
                .then(|| format::datetime(r.next_attempt_at, lang)),
            sent: r.sent_at.map(|t| format::datetime(t, lang)),
            complaint_id: r.complaint_id,
            kind: r.kind,
            status: r.status,
        })
        .collect();
    let counts = monitor::status_counts(db)
        .await?
        .into_iter()
        .map(|(s, n)| StatusCount {
            name: status_name(&s),
            status: s,
            count: n.to_string(),
        })
        .collect();
    let view = OutboxView {
        rows,
        next_before,
        statuses: STATUSES,
        counts,
        status,
        last_purge: privacy::last_purge(db)
            .await?
            .map(|t| format::datetime(t, lang)),
        retention_months: page.state.config.retention_months.to_string(),
    };
    page.render(&view, StatusCode::OK).await
}
