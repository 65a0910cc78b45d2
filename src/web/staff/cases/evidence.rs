//! Evidence and answer-attachment downloads for staff: served so that no browser will render
//! or run them.
use axum::extract::Path;
use axum::response::Response;

use crate::error::AppError;
use crate::services::cases::page::{open_evidence, EvidenceError};
use crate::services::intake::evidence::path_of;
use crate::services::responses;
use crate::web::shared::download::attachment;
use crate::web::shared::page::StaffPage;

/// Serves one evidence file to staff as a download that no browser will render or run.
pub(super) async fn evidence_download(
    page: StaffPage,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let file_id: i64 = file_id.parse().map_err(|_| AppError::NotFound)?;
    let dir = page.state.config.evidence_dir();
    let (row, bytes) = open_evidence(&page.state.db, &dir, id, file_id, &page.user.actor())
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

/// Serves one attachment of a company's answer to staff.
pub(super) async fn answer_file_download(
    page: StaffPage,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let file_id: i64 = file_id.parse().map_err(|_| AppError::NotFound)?;
    let row = responses::answer_file(&page.state.db.read, id, file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let path = path_of(&page.state.config.evidence_dir(), &row.stored_name);
    let bytes = match tokio::fs::read(&path).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    attachment(
        bytes,
        &row.content_type,
        &row.original_name,
        "answer",
        file_id,
    )
}
