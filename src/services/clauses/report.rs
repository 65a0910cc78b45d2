//! The period report's "clauses under review": clauses whose review was still going on at the
//! end of the period (their status then, rebuilt from the history), with the complaints citing
//! them that were received in the period (published statuses).
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::listing::decorate;
use crate::domain::clauses::ClauseStatus;
use crate::entities::{clause, clause_event};
use crate::services::clauses::citations::citing_received;

/// A clause under review at the end of a period.
#[derive(Debug, Clone)]
pub struct UnderReview {
    pub row: super::ClauseRow,
    /// Its status at the end of the period.
    pub status_then: ClauseStatus,
    /// Complaints citing it received in the period.
    pub cited_in_period: u64,
}

/// The status a clause had at `at`, from its history (`events` oldest first): the last change
/// before then, or `flagged` (how every clause starts).
pub fn status_at(events: &[clause_event::Model], at: DateTime<Utc>) -> ClauseStatus {
    events
        .iter()
        .filter(|e| e.kind == "status" && e.at < at)
        .filter_map(|e| e.to_status.as_deref().and_then(ClauseStatus::parse))
        .next_back()
        .unwrap_or(ClauseStatus::Flagged)
}

/// Clauses recorded before `end` whose status at `end` was open, in the order of their ids,
/// with the complaints received in `[start, end)` that cite them.
pub async fn under_review(
    conn: &impl ConnectionTrait,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<UnderReview>, DbErr> {
    let rows = clause::Entity::find()
        .filter(clause::Column::CreatedAt.lt(end))
        .order_by_asc(clause::Column::Id)
        .all(conn)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let mut events: HashMap<i64, Vec<clause_event::Model>> = HashMap::new();
    for e in clause_event::Entity::find()
        .filter(clause_event::Column::ClauseId.is_in(ids.clone()))
        .filter(clause_event::Column::Kind.eq("status"))
        .order_by_asc(clause_event::Column::At)
        .order_by_asc(clause_event::Column::Id)
        .all(conn)
        .await?
    {
        events.entry(e.clause_id).or_default().push(e);
    }
    let mut open = Vec::new();
    let mut open_ids = Vec::new();
    let mut statuses = HashMap::new();
    for c in rows {
        let s = status_at(events.get(&c.id).map(Vec::as_slice).unwrap_or(&[]), end);
        if s.is_open() {
            open_ids.push(c.id);
            statuses.insert(c.id, s);
            open.push(c);
        }
    }
    let decorated = decorate(conn, open, &open_ids).await?;
    let mut out = Vec::with_capacity(decorated.len());
    for row in decorated {
        let cited_in_period = citing_received(conn, row.clause.id)
            .await?
            .into_iter()
            .filter(|t| *t >= start && *t < end)
            .count() as u64;
        out.push(UnderReview {
            status_then: statuses
                .get(&row.clause.id)
                .copied()
                .unwrap_or(ClauseStatus::Flagged),
            cited_in_period,
            row,
        });
    }
    Ok(out)
}
