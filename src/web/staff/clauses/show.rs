//! The staff page of one clause: its record and figures, the status form (the workflow's next
//! steps only), files, the cases and groups, the history, and the edit form.
use axum::extract::{Multipart, Path, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::facts::ClauseFacts;
use super::{known_obstacles, ClauseForm, ClauseValues, FormChoices, FORM_FIELDS};
use crate::domain::clauses::ClauseStatus;
use crate::domain::format;
use crate::error::{AppError, FieldErrors};
use crate::services::clauses::{self, citations, FileRefusal, StatusError};
use crate::services::intake::evidence::{self, MAX_FILE_BYTES};
use crate::web::public::form::multipart_error;
use crate::web::shared::auth::verify_csrf;
use crate::web::shared::download::attachment;
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage};
use crate::web::staff::forms::{done_redirect, parse_id, refused, DoneQuery, FormView};

/// One file plus the form's few text fields.
pub(super) const FILE_BODY_LIMIT: usize = MAX_FILE_BYTES + 64 * 1024;

const DONE_KEYS: [&str; 6] = ["created", "saved", "status", "file", "cited", "linked"];

#[derive(Serialize)]
struct HistoryRow {
    at: String,
    actor: String,
    kind: String,
    from: Option<String>,
    to: Option<String>,
    note: String,
}

#[derive(Serialize)]
struct CaseRow {
    id: i64,
    code: String,
    status: &'static str,
    received: String,
}

#[derive(Serialize)]
struct GroupRef {
    id: i64,
    name: String,
}

#[derive(Serialize)]
struct ShowView {
    c: ClauseFacts,
    next_statuses: Vec<&'static str>,
    history: Vec<HistoryRow>,
    cases: Vec<CaseRow>,
    groups: Vec<GroupRef>,
    #[serde(flatten)]
    form: FormView<ClauseValues>,
    #[serde(flatten)]
    choices: FormChoices,
    status_errors: Vec<String>,
    status_note: String,
    file_errors: Vec<String>,
    done: Option<String>,
}

/// What a refused form on the page left behind.
#[derive(Default)]
struct Forms {
    edit: Option<(ClauseValues, FieldErrors)>,
    status: Option<(String, Vec<String>)>,
    file: Vec<String>,
    done: Option<String>,
}

async fn render(
    page: &StaffPage,
    id: i64,
    forms: Forms,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (c, clause, history) = ClauseFacts::load(page, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let db = &page.state.db.read;
    let cases = citations::cases_of_clause(db, id)
        .await?
        .into_iter()
        .map(|k| CaseRow {
            id: k.complaint_id,
            code: k.tracking_code,
            status: k.status.code(),
            received: format::datetime(k.received_at, page.lang),
        })
        .collect();
    let groups = citations::groups_of_clause(db, id)
        .await?
        .into_iter()
        .map(|g| GroupRef {
            id: g.id,
            name: g.name,
        })
        .collect();
    let history = history
        .into_iter()
        .rev()
        .map(|e| HistoryRow {
            at: format::datetime(e.at, page.lang),
            actor: e.actor,
            kind: e.kind,
            from: e.from_status,
            to: e.to_status,
            note: e.note,
        })
        .collect();
    let stored = ClauseValues {
        company: clause.company_name.clone(),
        service_name: clause.row.service_name.clone(),
        clause_text: clause.row.clause_text.clone(),
        source_url: clause.row.source_url.clone(),
        first_seen_on: clause.row.first_seen_on.to_string(),
        last_seen_on: clause.row.last_seen_on.to_string(),
        obstacles: clause.obstacles.clone(),
        legal_basis: clause.legal_codes(),
        analysis: clause.row.analysis.clone(),
    };
    let (v, errors) = forms.edit.unwrap_or((stored, FieldErrors::new()));
    let (status_note, status_errors) = forms.status.unwrap_or_default();
    let view = ShowView {
        next_statuses: clause.row.status.next().iter().map(|s| s.code()).collect(),
        c,
        history,
        cases,
        groups,
        form: FormView::new(v, errors, &FORM_FIELDS),
        choices: FormChoices::load(page).await?,
        status_errors,
        status_note,
        file_errors: forms.file,
        done: forms.done,
    };
    let mut resp = page
        .render_at("/staff/clauses", "staff/clauses_show.html", &view, status)
        .await?;
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

pub(super) async fn show(
    page: StaffPage,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let forms = Forms {
        done: q.message(&page, "clauses", &DONE_KEYS),
        ..Forms::default()
    };
    render(&page, id, forms, StatusCode::OK).await
}

fn done(id: i64, key: &str) -> Response {
    done_redirect(&format!("/staff/clauses/{id}"), key, None)
}

pub(super) async fn edit(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<ClauseForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    clauses::find(&page.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let typed = f.typed();
    let result = match clauses::parse_clause(
        &page.state.db.read,
        &known_obstacles(&page),
        &typed,
        format::today(),
    )
    .await
    {
        Ok(input) => clauses::update(&page.state.db.write, id, input, &page.user.actor()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(done(id, "saved")),
        Err(e) => {
            let forms = Forms {
                edit: Some((ClauseValues::from(&typed), refused(&page, e)?)),
                ..Forms::default()
            };
            render(&page, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct StatusForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

csrf_protected!(StatusForm);

pub(super) async fn change_status(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<StatusForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let message = match ClauseStatus::parse(f.status.trim()) {
        None => page.msg("clauses.errors.choose_status"),
        Some(to) => {
            match clauses::change_status(&page.state.db.write, id, to, &f.note, &page.user.actor())
                .await
            {
                Ok(()) => return Ok(done(id, "status")),
                Err(StatusError::NotFound) => return Err(AppError::NotFound),
                Err(StatusError::Db(e)) => return Err(e.into()),
                Err(StatusError::NoteTooLong(len)) => page.fmt(
                    "errors.too_long",
                    &[("max", "2000"), ("len", &len.to_string())],
                ),
                Err(StatusError::Illegal(il)) => page.fmt(
                    "clauses.errors.illegal",
                    &[
                        (
                            "from",
                            &page.msg(&format!("clauses.status.{}", il.from.code())),
                        ),
                        ("to", &page.msg(&format!("clauses.status.{}", il.to.code()))),
                    ],
                ),
            }
        }
    };
    let forms = Forms {
        status: Some((f.note, vec![message])),
        ..Forms::default()
    };
    render(&page, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// Adds a screenshot or PDF (multipart: `csrf_token`, `file`).
pub(super) async fn add_file(
    page: StaffPage,
    Path(id): Path<String>,
    mut mp: Multipart,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let mut csrf = String::new();
    let mut file: Option<(Option<String>, Vec<u8>)> = None;
    while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("csrf_token") => csrf = field.text().await.map_err(multipart_error)?,
            Some("file") if file.is_none() => {
                let name = field.file_name().map(str::to_string);
                let bytes = field.bytes().await.map_err(multipart_error)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    verify_csrf(&page.session, &csrf).await?;
    let (name, bytes) = file.unwrap_or_default();
    let dir = page.state.config.evidence_dir();
    let msg = match clauses::add_file(
        &page.state.db.write,
        &dir,
        id,
        name.as_deref(),
        &bytes,
        &page.user.actor(),
    )
    .await
    {
        Ok(_) => return Ok(done(id, "file")),
        Err(FileRefusal::NotFound) => return Err(AppError::NotFound),
        Err(FileRefusal::Io(e)) => return Err(e.into()),
        Err(FileRefusal::Db(e)) => return Err(e.into()),
        Err(FileRefusal::Missing) => page.msg("clauses.errors.no_file"),
        Err(FileRefusal::Refused(r)) => page.fmt(
            r.message_key(),
            &[("name", &evidence::clean_name(name.as_deref()))],
        ),
    };
    let forms = Forms {
        file: vec![msg],
        ..Forms::default()
    };
    render(&page, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// Serves a clause's file as a download no browser renders.
pub(crate) async fn download(
    page: StaffPage,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let file_id = parse_id(&file_id)?;
    let row = clauses::file_of(&page.state.db.read, id, file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let path = evidence::path_of(&page.state.config.evidence_dir(), &row.stored_name);
    let bytes = match tokio::fs::read(&path).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    attachment(
        bytes,
        &row.content_type,
        &row.original_name,
        "clause",
        file_id,
    )
}
