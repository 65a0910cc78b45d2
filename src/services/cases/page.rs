//! Reads behind the staff case pages that are not the case detail itself.
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

use crate::entities::{complaint, evidence_file};

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
