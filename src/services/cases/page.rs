//! Reads behind the staff case pages that are not the case detail itself.
use std::path::Path;

use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use serde_json::json;

use crate::entities::{complaint, evidence_file};
use crate::services::audit::{self, Actor};
use crate::services::intake::evidence;
use crate::store::db::Db;

/// One case's row, if it exists.
pub async fn find(db: &DatabaseConnection, id: i64) -> Result<Option<complaint::Model>, DbErr> {
    complaint::Entity::find_by_id(id).one(db).await
}

/// An evidence file of a case (none when the file belongs to another case).
pub async fn evidence_file(
    db: &DatabaseConnection,
    complaint_id: i64,
    file_id: i64,
) -> Result<Option<evidence_file::Model>, DbErr> {
    evidence_file::Entity::find_by_id(file_id)
        .filter(evidence_file::Column::ComplaintId.eq(complaint_id))
        .one(db)
        .await
}

/// Why an evidence file cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error("no such evidence file")]
    NotFound,
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// An evidence file of a case with its bytes, for a staff download; each download is audited.
pub async fn open_evidence(
    db: &Db,
    evidence_dir: &Path,
    complaint_id: i64,
    file_id: i64,
    actor: &Actor,
) -> Result<(evidence_file::Model, Vec<u8>), EvidenceError> {
    let row = evidence_file(&db.read, complaint_id, file_id)
        .await?
        .ok_or(EvidenceError::NotFound)?;
    // Stored names are hex digests; anything else could walk out of the evidence folder.
    if !row.stored_name.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(EvidenceError::NotFound);
    }
    let bytes = match tokio::fs::read(evidence::path_of(evidence_dir, &row.stored_name)).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(EvidenceError::NotFound),
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &db.write,
        actor,
        "view_evidence",
        Some(("evidence_file", file_id.to_string())),
        Some(json!({ "complaint": complaint_id })),
    )
    .await?;
    Ok((row, bytes))
}
