//! What needs staff attention on the home page: companies that let their due date pass, cases
//! disputed by the consumer, and requests for more time waiting for a decision.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::domain::Status;
use crate::entities::{complaint, extension_request};

/// Counts (and the pending extension requests) for the staff home page.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Attention {
    /// Forwarded cases the sweep marked "no response", still unanswered.
    pub no_response: u64,
    /// Answered cases whose consumer is not satisfied, waiting for staff.
    pub disputed: u64,
    /// Requests for more time waiting for a decision, oldest first (at most 20).
    pub extensions: Vec<PendingExtension>,
    /// Complaints held as suspected spam, and when the oldest of them arrived: a held complaint
    /// must never wait unseen.
    pub held: u64,
    pub oldest_held_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One request for more time waiting for staff.
#[derive(Debug, Clone, Serialize)]
pub struct PendingExtension {
    pub case_id: i64,
    pub tracking_code: String,
    pub days: i32,
}

/// Loads the counts.
pub async fn attention(conn: &impl ConnectionTrait) -> Result<Attention, sea_orm::DbErr> {
    let no_response = complaint::Entity::find()
        .filter(complaint::Column::Status.eq(Status::Forwarded))
        .filter(complaint::Column::NoResponseAt.is_not_null())
        .filter(complaint::Column::RespondedAt.is_null())
        .count(conn)
        .await?;
    let disputed = complaint::Entity::find()
        .filter(complaint::Column::Status.eq(Status::Responded))
        .filter(complaint::Column::ConsumerDisputed.eq(true))
        .count(conn)
        .await?;
    let pending = extension_request::Entity::find()
        .filter(
            extension_request::Column::State.eq(crate::services::responses::extension::REQUESTED),
        )
        .order_by_asc(extension_request::Column::Id)
        .all(conn)
        .await?;
    let mut extensions = Vec::new();
    for r in pending.into_iter().take(20) {
        if let Some(c) = complaint::Entity::find_by_id(r.complaint_id)
            .one(conn)
            .await?
        {
            extensions.push(PendingExtension {
                case_id: c.id,
                tracking_code: c.tracking_code,
                days: r.days,
            });
        }
    }
    let held_q = complaint::Entity::find().filter(complaint::Column::Status.eq(Status::Held));
    let held = held_q.clone().count(conn).await?;
    let oldest_held_at = held_q
        .order_by_asc(complaint::Column::ReceivedAt)
        .one(conn)
        .await?
        .map(|c| c.received_at);
    Ok(Attention {
        no_response,
        disputed,
        extensions,
        held,
        oldest_held_at,
    })
}
