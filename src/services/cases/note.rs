//! Internal notes on a case.
use chrono::{DateTime, Utc};
use sea_orm::{EntityTrait, TransactionTrait};

use super::change::{required_text, CaseError, CaseWork, MAX_TEXT_CHARS};
use super::steps::add_note_row;
use crate::entities::complaint;
use crate::services::audit::{self, Actor};

/// Adds an internal note. Notes are append-only and touch no case column, so they cannot
/// overwrite anyone's edit and need no version check.
pub async fn add_note(
    work: &CaseWork<'_>,
    actor: &Actor,
    id: i64,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), CaseError> {
    let body = required_text("body", body, MAX_TEXT_CHARS)?;
    let txn = work.db.begin().await?;
    complaint::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(CaseError::NotFound)?;
    add_note_row(&txn, id, actor, body, now).await?;
    audit::record(
        &txn,
        actor,
        "case_note",
        Some(("complaint", id.to_string())),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
