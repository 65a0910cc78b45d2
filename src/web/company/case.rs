//! One case in the portal: the page, the answer (multipart, CSRF checked like every staff form),
//! the request for more time, and the evidence and answer downloads.
use axum::extract::{Multipart, Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::company_of;
use super::form::{language_of, read_answer, refused, summary, AnswerTyped, Refused};
use super::view::{AnswerFormView, CaseShown};
use crate::domain::format;
use crate::domain::response::{parse, parse_extension_reason};
use crate::domain::ResponseVia;
use crate::error::{AppError, FieldErrors};
use crate::services::cases::page::{open_evidence, EvidenceError};
use crate::services::responses::extension::{self, ExtensionError};
use crate::services::responses::{self, portal, Responder};
use crate::web::shared::auth::verify_csrf;
use crate::web::shared::download::attachment;
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage};

/// What was typed into the request for more time.
#[derive(Debug, Default, Deserialize, Serialize)]
pub(super) struct ExtensionForm {
    #[serde(default)]
    #[serde(skip_serializing)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    days: String,
}

csrf_protected!(ExtensionForm);

#[derive(Serialize)]
struct ExtensionView {
    typed: ExtensionForm,
    errors: FieldErrors,
    summary: Vec<(String, String)>,
    max_days: u32,
}

/// `company/case.html`.
#[derive(Serialize)]
struct CaseView {
    c: CaseShown,
    form: AnswerFormView,
    ext: ExtensionView,
    done: Option<String>,
    /// Prefix of the case's download links.
    files_base: String,
}

fn case_path(code: &str) -> String {
    format!("/company/cases/{code}")
}

/// Renders the case page with the two forms in the given state.
async fn render_case(
    page: &StaffPage,
    code: &str,
    answer: (AnswerTyped, FieldErrors),
    ext: (ExtensionForm, FieldErrors),
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let company_id = company_of(page)?;
    let c = portal::detail(&page.state.db.read, company_id, code, format::today())
        .await?
        .ok_or(AppError::NotFound)?;
    portal::record_contact_view(
        &page.state.db.write,
        &page.user.actor(),
        &c,
        "company_portal",
    )
    .await?;
    let path = case_path(&c.tracking_code);
    let view = CaseView {
        form: AnswerFormView::new(format!("{path}/response"), answer.0, answer.1),
        ext: ExtensionView {
            summary: summary(&ext.1, &["form", "reason", "days"]),
            typed: ext.0,
            errors: ext.1,
            max_days: crate::domain::deadlines::MAX_EXTENSION_WORKING_DAYS,
        },
        done,
        files_base: path,
        c: CaseShown::of(c, page.lang, &page.state.reference()),
    };
    page.render_at("/company/cases", "company/case.html", &view, status)
        .await
}

#[derive(Deserialize)]
pub(super) struct ShowQuery {
    done: Option<String>,
}

pub(super) async fn show(
    page: StaffPage,
    Path(code): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let done = match q.done.as_deref() {
        Some("answered") => Some(page.msg("company.case.done_answered")),
        Some("extension") => Some(page.msg("company.case.done_extension")),
        _ => None,
    };
    render_case(
        &page,
        &code,
        Default::default(),
        Default::default(),
        done,
        StatusCode::OK,
    )
    .await
}

/// `POST /company/cases/{code}/response`: the answer with its attachments.
pub(super) async fn respond(
    page: StaffPage,
    Path(code): Path<String>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let mut typed = read_answer(mp).await?;
    verify_csrf(&page.session, &typed.csrf_token).await?;
    let company_id = company_of(&page)?;
    let (state, lang) = (&page.state, page.lang);
    let case = responses::case_for_company(&state.db.read, company_id, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let answer = match parse(&typed.category, &typed.text) {
        Ok(a) => a,
        Err(e) => {
            let (field, key) = e.field_and_key();
            let errors = crate::web::shared::render::field_error(state, lang, field, key, &[]);
            return render_case(
                &page,
                &code,
                (typed, errors),
                Default::default(),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let who = Responder {
        company_id,
        user_id: Some(page.user.id),
        via: ResponseVia::Portal,
        label: page.user.email.clone(),
        link_id: None,
    };
    let uploads = std::mem::take(&mut typed.uploads);
    let language = language_of(&answer.text);
    let result = responses::record(
        &state.case_work(),
        &state.config.evidence_dir(),
        &who,
        case.id,
        answer,
        language,
        uploads.clone(),
        Utc::now(),
    )
    .await;
    let (errors, status) = match result {
        Ok(_) => {
            let to = format!("{}?done=answered#answers", case_path(&case.tracking_code));
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e) => match refused(state, lang, e, &uploads) {
            Refused::NotFound => return Err(AppError::NotFound),
            Refused::Failed(e) => return Err(e),
            Refused::NotAwaiting(errors) => (errors, StatusCode::CONFLICT),
            Refused::Invalid(errors) => (errors, StatusCode::UNPROCESSABLE_ENTITY),
        },
    };
    render_case(
        &page,
        &code,
        (typed, errors),
        Default::default(),
        None,
        status,
    )
    .await
}

/// `POST /company/cases/{code}/extension`: ask once for more working days.
pub(super) async fn extend(
    Path(code): Path<String>,
    StaffForm(page, f): StaffForm<ExtensionForm>,
) -> Result<Response, AppError> {
    let company_id = company_of(&page)?;
    let (state, lang) = (&page.state, page.lang);
    let case = responses::case_for_company(&state.db.read, company_id, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let mut add = |(field, key): (&str, &str)| {
        errors
            .entry(field.to_string())
            .or_default()
            .push(state.i18n.msg(lang, key));
    };
    let reason = parse_extension_reason(&f.reason).map_err(|e| add(e.field_and_key()));
    let days = extension::parse_days(&f.days).map_err(|e| add(e.field_and_key()));
    let (Ok(reason), Ok(days)) = (reason, days) else {
        return render_case(
            &page,
            &code,
            Default::default(),
            (f, errors),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let refusal = match extension::request(
        &state.db.write,
        &page.user.actor(),
        company_id,
        case.id,
        reason,
        days,
        Utc::now(),
    )
    .await
    {
        Ok(_) => {
            let to = format!(
                "{}?done=extension#extension",
                case_path(&case.tracking_code)
            );
            return Ok(Redirect::to(&to).into_response());
        }
        Err(Err(e)) => return Err(e.into()),
        Err(Ok(ExtensionError::NotFound)) => return Err(AppError::NotFound),
        Err(Ok(e)) => e,
    };
    let status = if refusal == ExtensionError::Days {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::CONFLICT
    };
    add(refusal.field_and_key());
    render_case(&page, &code, Default::default(), (f, errors), None, status).await
}

fn file_id(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// An evidence file, only where the consumer agreed to share it with the company (audited).
pub(super) async fn evidence_download(
    page: StaffPage,
    Path((code, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let company_id = company_of(&page)?;
    let file_id = file_id(&file)?;
    let case = portal::shared_evidence(&page.state.db.read, company_id, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let dir = page.state.config.evidence_dir();
    let (row, bytes) = open_evidence(&page.state.db, &dir, case.id, file_id, &page.user.actor())
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

/// An attachment of one of the company's answers on its case.
pub(super) async fn answer_file_download(
    page: StaffPage,
    Path((code, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let company_id = company_of(&page)?;
    let file_id = file_id(&file)?;
    let case = responses::case_for_company(&page.state.db.read, company_id, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let dir = page.state.config.evidence_dir();
    let (row, bytes) = portal::open_answer_file(&page.state.db.read, &dir, case.id, file_id)
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
