//! Files showing where a clause was seen (a screenshot of the terms page, a PDF of the
//! agreement): checked and stored exactly like complaint evidence (PNG, JPEG, WebP or PDF by
//! content, at most 10 MB, random names under the evidence folder).
use std::path::Path;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde_json::json;

use super::event;
use crate::entities::{clause, clause_file};
use crate::services::audit::Actor;
use crate::services::intake::evidence::{self, Refusal};

/// Why a file was not added.
#[derive(Debug)]
pub enum FileRefusal {
    NotFound,
    /// No file was chosen.
    Missing,
    Refused(Refusal),
    Io(std::io::Error),
    Db(DbErr),
}

impl From<DbErr> for FileRefusal {
    fn from(e: DbErr) -> Self {
        FileRefusal::Db(e)
    }
}

/// Checks and stores one file for a clause.
pub async fn add_file(
    db: &DatabaseConnection,
    dir: &Path,
    clause_id: i64,
    name: Option<&str>,
    bytes: &[u8],
    actor: &Actor,
) -> Result<clause_file::Model, FileRefusal> {
    clause::Entity::find_by_id(clause_id)
        .one(db)
        .await?
        .ok_or(FileRefusal::NotFound)?;
    if bytes.is_empty() && name.unwrap_or("").is_empty() {
        return Err(FileRefusal::Missing);
    }
    let ct = evidence::check(bytes).map_err(FileRefusal::Refused)?;
    let stored = evidence::store(dir, name, bytes, ct)
        .await
        .map_err(FileRefusal::Io)?;
    let result = async {
        let txn = db.begin().await?;
        let f = clause_file::ActiveModel {
            clause_id: Set(clause_id),
            stored_name: Set(stored.stored_name.clone()),
            original_name: Set(stored.original_name.clone()),
            content_type: Set(stored.content_type.to_string()),
            size_bytes: Set(stored.size_bytes),
            sha256: Set(stored.sha256.clone()),
            uploaded_by: Set(actor.user_id),
            uploaded_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        event(
            &txn,
            clause_id,
            "file_added",
            None,
            &f.original_name,
            actor,
            json!({ "file_id": f.id, "sha256": f.sha256 }),
        )
        .await?;
        txn.commit().await?;
        Ok::<_, DbErr>(f)
    }
    .await;
    match result {
        Ok(f) => Ok(f),
        Err(e) => {
            evidence::discard(dir, &[stored]).await;
            Err(FileRefusal::Db(e))
        }
    }
}

/// The files of a clause, in upload order.
pub async fn files_of(
    conn: &impl ConnectionTrait,
    clause_id: i64,
) -> Result<Vec<clause_file::Model>, DbErr> {
    clause_file::Entity::find()
        .filter(clause_file::Column::ClauseId.eq(clause_id))
        .order_by_asc(clause_file::Column::Id)
        .all(conn)
        .await
}

/// One file of one clause.
pub async fn file_of(
    conn: &impl ConnectionTrait,
    clause_id: i64,
    file_id: i64,
) -> Result<Option<clause_file::Model>, DbErr> {
    clause_file::Entity::find_by_id(file_id)
        .filter(clause_file::Column::ClauseId.eq(clause_id))
        .one(conn)
        .await
}
