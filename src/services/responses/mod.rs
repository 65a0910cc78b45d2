//! Companies' answers to forwarded complaints, whichever door they come through: the company
//! portal, the API, a signed answer link ([`links`]) or staff typing in a mailed answer. Every
//! answer is one case change (`services::cases::actions`, step `RecordResponse`): the status,
//! timeliness, the consumer's mail, the history and the audit row are written in the same
//! transaction as the answer's own row and attachments. Requests for more time are in
//! [`extension`].
pub mod extension;
pub mod links;
pub mod portal;

use std::path::Path;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::domain::response::{ResponseText, MAX_RESPONSE_FILES};
use crate::domain::{Language, ResponseCategory, ResponseVia, Status};
use crate::entities::{company_response, complaint, response_file};
use crate::services::audit::Actor;
use crate::services::cases::actions::{self, Applied, CaseError, CaseWork, Change, ResponseSource};
use crate::services::error::ServiceError;
use crate::services::intake::evidence::{self, Refusal, StoredFile};

/// An answer ready to be stored with its case update.
#[derive(Debug, Clone)]
pub struct AnswerRow {
    pub company_id: i64,
    pub category: ResponseCategory,
    pub text: String,
    pub late: bool,
    pub source: ResponseSource,
}

/// Writes an answer's row and its attachments' rows, and uses up the link it came through.
pub async fn store_answer(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
    row: &AnswerRow,
    now: DateTime<Utc>,
) -> Result<(), CaseError> {
    if let Some(link_id) = row.source.link_id {
        if !links::use_up(conn, link_id, now).await? {
            return Err(CaseError::Invalid {
                field: "form",
                key: "respond.refused.used",
                args: vec![],
            });
        }
    }
    let saved = company_response::ActiveModel {
        complaint_id: Set(complaint_id),
        company_id: Set(row.company_id),
        user_id: Set(row.source.user_id),
        via: Set(row.source.via.code().into()),
        category: Set(row.category.code().into()),
        body: Set(row.text.clone()),
        language: Set(row.source.language.code().into()),
        late: Set(row.late),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    for f in &row.source.files {
        response_file::ActiveModel {
            response_id: Set(saved.id),
            stored_name: Set(f.stored_name.clone()),
            original_name: Set(f.original_name.clone()),
            content_type: Set(f.content_type.into()),
            size_bytes: Set(f.size_bytes),
            sha256: Set(f.sha256.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// A file as received from a form or multipart request, not yet checked.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: Option<String>,
    pub bytes: Vec<u8>,
}

/// Who is answering.
#[derive(Debug, Clone)]
pub struct Responder {
    pub company_id: i64,
    /// The company user (portal, API); `None` for a signed link.
    pub user_id: Option<i64>,
    pub via: ResponseVia,
    /// Audit label: the user's email, or the company's name for a link.
    pub label: String,
    /// The signed link used, if any.
    pub link_id: Option<i64>,
}

/// Why an answer was refused.
#[derive(Debug)]
pub enum AnswerError {
    /// No such case for this company (or not forwarded to it).
    NotFound,
    /// The case is not waiting for this company's answer (answered, closed, withdrawn…).
    NotAwaiting,
    /// A file failed the evidence checks: which one (0-based) and why.
    File(usize, Refusal),
    TooManyFiles,
    /// Bad input for one field: message key.
    Invalid {
        field: &'static str,
        key: String,
    },
    Service(ServiceError),
}

impl From<ServiceError> for AnswerError {
    fn from(e: ServiceError) -> Self {
        AnswerError::Service(e)
    }
}

impl From<sea_orm::DbErr> for AnswerError {
    fn from(e: sea_orm::DbErr) -> Self {
        AnswerError::Service(e.into())
    }
}

/// Whether a company may see a case at all: linked to it and forwarded at some point.
pub fn visible_to_company(c: &complaint::Model, company_id: i64) -> bool {
    c.company_id == Some(company_id) && c.forwarded_at.is_some()
}

/// Finds a case by tracking code among those forwarded to `company_id`.
pub async fn case_for_company(
    conn: &impl ConnectionTrait,
    company_id: i64,
    tracking_code: &str,
) -> Result<Option<complaint::Model>, sea_orm::DbErr> {
    let Some(code) = crate::domain::TrackingCode::parse(tracking_code) else {
        return Ok(None);
    };
    Ok(complaint::Entity::find()
        .filter(complaint::Column::TrackingCode.eq(code.as_str()))
        .one(conn)
        .await?
        .filter(|c| visible_to_company(c, company_id)))
}

/// Records a company's answer on case `complaint_id`: checks and stores the attachments, then
/// applies the `RecordResponse` change; files are removed again when the change is refused.
// Each argument is a different thing the portal, the API and the link handler already hold
// separately; a struct bundling them would only be built to be taken apart here.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    work: &CaseWork<'_>,
    evidence_dir: &Path,
    who: &Responder,
    complaint_id: i64,
    answer: ResponseText,
    language: Language,
    uploads: Vec<Upload>,
    now: DateTime<Utc>,
) -> Result<Applied, AnswerError> {
    if uploads.len() > MAX_RESPONSE_FILES {
        return Err(AnswerError::TooManyFiles);
    }
    let mut checked = Vec::with_capacity(uploads.len());
    for (i, u) in uploads.iter().enumerate() {
        let ct = evidence::check(&u.bytes).map_err(|r| AnswerError::File(i, r))?;
        checked.push(ct);
    }
    let c = complaint::Entity::find_by_id(complaint_id)
        .one(work.db)
        .await?
        .filter(|c| visible_to_company(c, who.company_id))
        .ok_or(AnswerError::NotFound)?;
    if c.status != Status::Forwarded {
        return Err(AnswerError::NotAwaiting);
    }
    let mut files: Vec<StoredFile> = Vec::with_capacity(uploads.len());
    for (u, ct) in uploads.iter().zip(checked) {
        match evidence::store(evidence_dir, u.name.as_deref(), &u.bytes, ct).await {
            Ok(f) => files.push(f),
            Err(e) => {
                evidence::discard(evidence_dir, &files).await;
                tracing::error!(error = %e, "response attachment could not be stored");
                return Err(ServiceError::Unavailable("evidence storage".into()).into());
            }
        }
    }
    let source = ResponseSource {
        company_id: Some(who.company_id),
        user_id: who.user_id,
        via: who.via,
        language,
        files: files.clone(),
        link_id: who.link_id,
    };
    let actor = Actor {
        user_id: who.user_id,
        label: who.label.clone(),
    };
    let mut version = c.version;
    // Another change to the case (a staff note on classification, say) between loading and
    // saving is not a reason to refuse the company's answer: reload and try again.
    let mut attempts = 0;
    let result = loop {
        attempts += 1;
        let change = Change::RecordResponse {
            text: answer.text.clone(),
            category: answer.category,
            source: Box::new(source.clone()),
        };
        match actions::apply(work, &actor, complaint_id, version, change, now).await {
            Err(CaseError::Conflict) if attempts < 3 => {
                match complaint::Entity::find_by_id(complaint_id)
                    .one(work.db)
                    .await?
                {
                    Some(fresh) => version = fresh.version,
                    None => break Err(AnswerError::NotFound),
                }
            }
            Err(CaseError::Illegal(_)) | Err(CaseError::Conflict) => {
                break Err(AnswerError::NotAwaiting)
            }
            Err(CaseError::NotFound) => break Err(AnswerError::NotFound),
            Err(CaseError::Invalid { field, key, .. }) => {
                break Err(AnswerError::Invalid {
                    field,
                    key: key.to_string(),
                })
            }
            Err(CaseError::Service(e)) => break Err(AnswerError::Service(e)),
            Ok(applied) => break Ok(applied),
        }
    };
    if result.is_err() {
        evidence::discard(evidence_dir, &files).await;
    }
    result
}

/// One answer as shown to staff, the company and (category and text only) the consumer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnswerView {
    pub id: i64,
    pub category: String,
    pub text: String,
    pub via: String,
    pub language: String,
    pub late: bool,
    pub created_at: DateTime<Utc>,
    pub files: Vec<AnswerFile>,
}

/// An attachment of an answer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnswerFile {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// Every answer on a case, oldest first, with attachments.
pub async fn answers(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
) -> Result<Vec<AnswerView>, sea_orm::DbErr> {
    use sea_orm::QueryOrder;
    let rows = company_response::Entity::find()
        .filter(company_response::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(company_response::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let files = if ids.is_empty() {
        Vec::new()
    } else {
        response_file::Entity::find()
            .filter(response_file::Column::ResponseId.is_in(ids))
            .order_by_asc(response_file::Column::Id)
            .all(conn)
            .await?
    };
    Ok(rows
        .into_iter()
        .map(|r| AnswerView {
            files: files
                .iter()
                .filter(|f| f.response_id == r.id)
                .map(|f| AnswerFile {
                    id: f.id,
                    name: f.original_name.clone(),
                    content_type: f.content_type.clone(),
                    size_bytes: f.size_bytes,
                })
                .collect(),
            id: r.id,
            category: r.category,
            text: r.body,
            via: r.via,
            language: r.language,
            late: r.late,
            created_at: r.created_at,
        })
        .collect())
}

/// An attachment of an answer on case `complaint_id`, for download (staff, or the company the
/// case was forwarded to): the row, checked to belong to the case.
pub async fn answer_file(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
    file_id: i64,
) -> Result<Option<response_file::Model>, sea_orm::DbErr> {
    let Some(f) = response_file::Entity::find_by_id(file_id).one(conn).await? else {
        return Ok(None);
    };
    let belongs = company_response::Entity::find_by_id(f.response_id)
        .one(conn)
        .await?
        .is_some_and(|r| r.complaint_id == complaint_id);
    Ok(belongs.then_some(f))
}
