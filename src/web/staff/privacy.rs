//! Admin privacy operations: erasing a consumer's contact data or a case's narrative on request
//! (the erasure page and its buttons), and deciding a consumer's erasure request from `/my`:
//! confirm it now, or object with a reason (the consumer is told by mail). All of them go
//! through `services::privacy::erasure`.
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use crate::domain::format;
use crate::entities::complaint;
use crate::error::{AppError, FieldErrors};
use crate::services::cases::page as case_page;
use crate::services::privacy::erasure::{self, requests, Cause, Dirs, Scope};
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
        .add(
            "/staff/cases/{id}/erasure-request/confirm",
            &["POST"],
            Access::Admin,
            post(confirm_request),
        )
        .add(
            "/staff/cases/{id}/erasure-request/object",
            &["POST"],
            Access::Admin,
            post(object_request),
        )
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

    fn scope(self) -> Scope {
        match self {
            What::Contact => Scope::CONTACT,
            What::Narrative => Scope::NARRATIVE,
        }
    }
}

/// What the erasure page reports above the forms.
enum Notice<'a> {
    /// After a redirect: what was just done (`?done=`; anything else shows nothing).
    Done(&'a str),
    /// A form sent without its confirmation box ticked (422).
    Unconfirmed(What),
    /// An objection refused (422): the message and what was typed.
    Objection(String, String),
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

/// A consumer's erasure request as staff see it (case page, erasure page).
#[derive(Serialize)]
pub struct RequestBox {
    pub status: String,
    pub include_narrative: bool,
    pub requested: String,
    pub due: String,
    pub decided: Option<String>,
    pub objection: Option<String>,
}

/// The newest erasure request on a case, if any, for the staff pages.
pub async fn request_box(page: &StaffPage, id: i64) -> Result<Option<RequestBox>, AppError> {
    let lang = page.lang;
    Ok(requests::latest(&page.state.db.read, id)
        .await?
        .map(|r| RequestBox {
            status: r.status,
            include_narrative: r.include_narrative,
            requested: format::datetime(r.requested_at, lang),
            due: format::datetime(r.due_at, lang),
            decided: r.decided_at.map(|t| format::datetime(t, lang)),
            objection: r.objection,
        }))
}

#[derive(Serialize)]
struct EraseView {
    c: ErasableCase,
    done: Option<&'static str>,
    erase_error: Option<&'static str>,
    erasure_request: Option<RequestBox>,
    objection: String,
    errors: FieldErrors,
}

impl View for EraseView {
    const TEMPLATE: &'static str = "staff/erase_page.html";
    const PATH: &'static str = "/staff/cases";
}

/// The erasure page: what is still held, the consumer's request if any, and the forms.
async fn render_erase(
    page: &StaffPage,
    c: complaint::Model,
    notice: Notice<'_>,
) -> Result<Response, AppError> {
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| format::datetime(t, page.lang));
    let mut errors = FieldErrors::new();
    let mut objection = String::new();
    let (done, erase_error, status) = match notice {
        Notice::Done(d) => (
            ["contact", "narrative", "request", "objected"]
                .into_iter()
                .find(|k| *k == d),
            None,
            StatusCode::OK,
        ),
        Notice::Unconfirmed(w) => (None, Some(w.code()), StatusCode::UNPROCESSABLE_ENTITY),
        Notice::Objection(message, typed) => {
            errors.insert("objection".into(), vec![message]);
            objection = typed;
            (None, None, StatusCode::UNPROCESSABLE_ENTITY)
        }
    };
    let view = EraseView {
        erasure_request: request_box(page, c.id).await?,
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
        objection,
        errors,
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
    /// The objection to a consumer's request.
    #[serde(default)]
    objection: String,
}

csrf_protected!(EraseForm);

fn back(c: &complaint::Model, done: &str) -> Response {
    Redirect::to(&format!("/staff/cases/{}/erase?done={done}", c.id)).into_response()
}

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
    let dirs = Dirs::of(&page.state.config);
    let actor = page.user.actor();
    erasure::erase(
        &page.state.db.write,
        &dirs,
        c.id,
        what.scope(),
        &actor,
        Cause::Staff,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(back(&c, what.code()))
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

/// Runs the consumer's pending request now (what it asked for, nothing more).
async fn confirm_request(
    Path(id): Path<String>,
    StaffForm(page, _f): StaffForm<EraseForm>,
) -> Result<Response, AppError> {
    let c = find_case(&page, &id).await?;
    let pending = requests::latest(&page.state.db.read, c.id)
        .await?
        .filter(|r| r.status == requests::PENDING);
    let Some(r) = pending else {
        // Decided meanwhile (by another admin or the cooling-off): the page shows how.
        return Ok(back(&c, ""));
    };
    let dirs = Dirs::of(&page.state.config);
    let ran = requests::run(
        &page.state.db.write,
        &dirs,
        r.id,
        &page.user.actor(),
        chrono::Utc::now(),
    )
    .await?;
    Ok(back(&c, if ran.is_some() { "request" } else { "" }))
}

/// Objects to the consumer's pending request with a reason; the consumer is told by mail.
async fn object_request(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<EraseForm>,
) -> Result<Response, AppError> {
    let c = find_case(&page, &id).await?;
    let state = &page.state;
    let r = requests::object(
        &state.db.write,
        &state.composer(),
        &c,
        &f.objection,
        &page.user.actor(),
        chrono::Utc::now(),
    )
    .await?;
    match r {
        Ok(()) => {
            state.mail_wake.notify_one();
            Ok(back(&c, "objected"))
        }
        Err(refused) => {
            let message = page.msg(refused.key);
            render_erase(&page, c, Notice::Objection(message, f.objection)).await
        }
    }
}
