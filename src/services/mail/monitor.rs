//! The outbox as the admin's monitor shows it: newest first, by status, in keyset pages, with
//! the number of rows per status.
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};

use crate::entities::mail_outbox;

/// Outbox statuses, in the order the monitor lists them.
pub const STATUSES: &[&str] = &["pending", "sent", "failed", "cancelled"];

/// One page of outbox rows (optionally of one status, below the `before` id) and the cursor of
/// the next page, if any.
pub async fn page(
    db: &DatabaseConnection,
    status: Option<&str>,
    before: Option<i64>,
    limit: u64,
) -> Result<(Vec<mail_outbox::Model>, Option<i64>), DbErr> {
    let mut find = mail_outbox::Entity::find()
        .order_by_desc(mail_outbox::Column::Id)
        .limit(limit + 1);
    if let Some(s) = status {
        find = find.filter(mail_outbox::Column::Status.eq(s));
    }
    if let Some(b) = before {
        find = find.filter(mail_outbox::Column::Id.lt(b));
    }
    let mut rows = find.all(db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next_before = if more {
        rows.last().map(|r| r.id)
    } else {
        None
    };
    Ok((rows, next_before))
}

/// Number of outbox rows per status: every status of [`STATUSES`] (zero included), then any
/// other status found.
pub async fn status_counts(db: &DatabaseConnection) -> Result<Vec<(String, i64)>, DbErr> {
    let rows = db
        .query_all(Statement::from_string(
            db.get_database_backend(),
            "SELECT status, COUNT(*) AS n FROM mail_outbox GROUP BY status",
        ))
        .await?;
    let mut counts: Vec<(String, i64)> = STATUSES.iter().map(|s| (s.to_string(), 0)).collect();
    for r in rows {
        let s: String = r.try_get("", "status")?;
        let n: i64 = r
            .try_get::<i64>("", "n")
            .or_else(|_| r.try_get::<i32>("", "n").map(i64::from))?;
        match counts.iter_mut().find(|(k, _)| *k == s) {
            Some(slot) => slot.1 = n,
            None => counts.push((s, n)),
        }
    }
    Ok(counts)
}
