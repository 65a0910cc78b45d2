//! Signed answer links (`/respond/{token}`) for companies without an account: the case as the
//! company portal shows it and the same answer form, no sign-in. The unguessable token in the
//! address is the credential (and stands in for a CSRF token: a forged form cannot know it);
//! an unknown or altered link is a 404 page, an expired or used one a 410, each saying why.
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use serde::Serialize;

use crate::domain::response::parse;
use crate::domain::{format, Language, ResponseVia};
use crate::entities::{complaint, response_link};
use crate::error::{AppError, FieldErrors};
use crate::services::audit::Actor;
use crate::services::cases::page::{open_evidence, EvidenceError};
use crate::services::responses::links::{self, LinkRefused};
use crate::services::responses::{self, portal, Responder};
use crate::state::AppState;
use crate::web::company::form::ANSWER_BODY_LIMIT;
use crate::web::company::form::{language_of, read_answer, refused, AnswerTyped, Refused};
use crate::web::company::view::{AnswerFormView, CaseShown};
use crate::web::shared::download::attachment;
use crate::web::shared::lang::Lang;
use crate::web::shared::render::{field_error, view_page};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/respond/{token}",
            get(show)
                .post(submit)
                .layer(DefaultBodyLimit::max(ANSWER_BODY_LIMIT)),
        )
        .route(
            "/respond/{token}/evidence/{file_id}",
            get(evidence_download),
        )
        .route(
            "/respond/{token}/answer-files/{file_id}",
            get(answer_file_download),
        )
}

/// `public/respond.html`.
#[derive(Serialize)]
struct RespondView {
    c: CaseShown,
    form: AnswerFormView,
    files_base: String,
    company_name: String,
}

/// `public/respond_refused.html` and `public/respond_done.html`.
#[derive(Serialize)]
struct MessageView {
    message: String,
}

/// A usable link: the link, its case and the company it was sent to.
struct Usable {
    link: response_link::Model,
    case: complaint::Model,
    company_id: i64,
}

/// Resolves the token, or the page that says why it cannot be used.
async fn usable(
    state: &AppState,
    lang: Language,
    token: &str,
) -> Result<Result<Usable, Response>, AppError> {
    let refusal = match links::resolve(&state.db.read, token, Utc::now()).await? {
        Ok((link, case)) => match case.company_id {
            Some(company_id) if responses::visible_to_company(&case, company_id) => {
                return Ok(Ok(Usable {
                    link,
                    case,
                    company_id,
                }))
            }
            _ => LinkRefused::Unknown,
        },
        Err(r) => r,
    };
    let status = match refusal {
        LinkRefused::Unknown => StatusCode::NOT_FOUND,
        LinkRefused::Expired | LinkRefused::Used => StatusCode::GONE,
    };
    Ok(Err(refused_page(state, lang, refusal, status)?))
}

fn refused_page(
    state: &AppState,
    lang: Language,
    refusal: LinkRefused,
    status: StatusCode,
) -> Result<Response, AppError> {
    let view = MessageView {
        message: state.i18n.msg(lang, refusal.message_key()),
    };
    view_page(
        state,
        lang,
        "/respond",
        "public/respond_refused.html",
        &view,
        status,
    )
}

async fn render(
    state: &AppState,
    lang: Language,
    token: &str,
    u: Usable,
    typed: AnswerTyped,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let company_name = portal::company_name(&state.db.read, u.company_id)
        .await?
        .unwrap_or_default();
    let c = portal::view_of(&state.db.read, u.case, format::today()).await?;
    portal::record_contact_view(&state.db.write, &link_actor(&u.link), &c, "answer_link").await?;
    let base = format!("/respond/{token}");
    let view = RespondView {
        c: CaseShown::of(c, lang, &state.reference()),
        form: AnswerFormView::new(base.clone(), typed, errors),
        files_base: base,
        company_name,
    };
    view_page(
        state,
        lang,
        "/respond",
        "public/respond.html",
        &view,
        status,
    )
}

async fn show(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match usable(&state, lang, &token).await? {
        Ok(u) => {
            render(
                &state,
                lang,
                &token,
                u,
                AnswerTyped::default(),
                FieldErrors::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(page) => Ok(page),
    }
}

async fn submit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(token): Path<String>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let mut typed = read_answer(mp).await?;
    let u = match usable(&state, lang, &token).await? {
        Ok(u) => u,
        Err(page) => return Ok(page),
    };
    let answer = match parse(&typed.category, &typed.text) {
        Ok(a) => a,
        Err(e) => {
            let (field, key) = e.field_and_key();
            let errors = field_error(&state, lang, field, key, &[]);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render(&state, lang, &token, u, typed, errors, status).await;
        }
    };
    let company_name = portal::company_name(&state.db.read, u.company_id)
        .await?
        .unwrap_or_default();
    let who = Responder {
        company_id: u.company_id,
        user_id: None,
        via: ResponseVia::Link,
        label: company_name,
        link_id: Some(u.link.id),
    };
    let uploads = std::mem::take(&mut typed.uploads);
    let language = language_of(&answer.text);
    let now = Utc::now();
    let result = responses::record(
        &state.case_work(),
        &state.config.evidence_dir(),
        &who,
        u.case.id,
        answer,
        language,
        uploads.clone(),
        now,
    )
    .await;
    let (errors, status) = match result {
        Ok(_) => {
            let view = MessageView {
                message: state.i18n.fmt(
                    lang,
                    "respond.done",
                    &[("time", &format::datetime(now, lang))],
                ),
            };
            return view_page(
                &state,
                lang,
                "/respond",
                "public/respond_done.html",
                &view,
                StatusCode::OK,
            );
        }
        Err(e) => match refused(&state, lang, e, &uploads) {
            Refused::NotFound => {
                return refused_page(&state, lang, LinkRefused::Unknown, StatusCode::NOT_FOUND)
            }
            Refused::Failed(e) => return Err(e),
            // Another request used the link first.
            Refused::Invalid(errors) if errors.contains_key("form") => {
                return refused_page(&state, lang, LinkRefused::Used, StatusCode::GONE)
            }
            Refused::NotAwaiting(errors) => (errors, StatusCode::CONFLICT),
            Refused::Invalid(errors) => (errors, StatusCode::UNPROCESSABLE_ENTITY),
        },
    };
    render(&state, lang, &token, u, typed, errors, status).await
}

/// Who acts through a link, for the audit log.
fn link_actor(link: &response_link::Model) -> Actor {
    Actor {
        user_id: None,
        label: format!("answer link {}", link.id),
    }
}

fn file_id(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// An evidence file of the link's case, where the consumer agreed to share it (audited).
async fn evidence_download(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path((token, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let file_id = file_id(&file)?;
    let u = match usable(&state, lang, &token).await? {
        Ok(u) => u,
        Err(page) => return Ok(page),
    };
    if !u.case.consent_contact_company {
        return Err(AppError::NotFound);
    }
    let actor = link_actor(&u.link);
    let dir = state.config.evidence_dir();
    let (row, bytes) = open_evidence(&state.db, &dir, u.case.id, file_id, &actor)
        .await
        .map_err(|e| match e {
            EvidenceError::NotFound => AppError::NotFound,
            EvidenceError::Io(e) => e.into(),
            EvidenceError::Db(e) => e.into(),
        })?;
    attachment(
        bytes,
        &row.content_type,
        &row.original_name,
        "evidence",
        file_id,
    )
}

/// An attachment of an earlier answer on the link's case (a reopened case's link shows them).
async fn answer_file_download(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path((token, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let file_id = file_id(&file)?;
    let u = match usable(&state, lang, &token).await? {
        Ok(u) => u,
        Err(page) => return Ok(page),
    };
    let dir = state.config.evidence_dir();
    let (row, bytes) = portal::open_answer_file(&state.db.read, &dir, u.case.id, file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    attachment(
        bytes,
        &row.content_type,
        &row.original_name,
        "answer",
        file_id,
    )
}
