//! Evidence added after filing (`POST /api/v1/complaints/{code}/evidence`): one more file on a
//! complaint, stored on disk and recorded in the database, or neither.
use std::path::Path;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};

use crate::entities::evidence_file;
use crate::services::error::ServiceError;
use crate::services::intake::evidence;

/// Evidence files a complaint already has.
pub async fn file_count(db: &DatabaseConnection, complaint_id: i64) -> Result<u64, DbErr> {
    evidence_file::Entity::find()
        .filter(evidence_file::Column::ComplaintId.eq(complaint_id))
        .count(db)
        .await
}

/// Stores a checked file and records it on the complaint; if the row cannot be written the
/// stored file is removed again.
pub async fn attach(
    db: &DatabaseConnection,
    dir: &Path,
    complaint_id: i64,
    name: Option<&str>,
    bytes: &[u8],
    content_type: &'static str,
) -> Result<evidence_file::Model, ServiceError> {
    let stored = evidence::store(dir, name, bytes, content_type)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "evidence file could not be stored");
            ServiceError::Unavailable("evidence storage".into())
        })?;
    let row = evidence_file::ActiveModel {
        complaint_id: Set(complaint_id),
        stored_name: Set(stored.stored_name.clone()),
        original_name: Set(stored.original_name.clone()),
        content_type: Set(stored.content_type.into()),
        size_bytes: Set(stored.size_bytes),
        sha256: Set(stored.sha256.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match row {
        Ok(r) => Ok(r),
        Err(e) => {
            evidence::discard(dir, std::slice::from_ref(&stored)).await;
            Err(e.into())
        }
    }
}
