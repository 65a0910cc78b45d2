//! After an admin edits the holiday table, the stored due dates of open cases that are not yet
//! past are computed again with the new calendar, in the same transaction as the edit (so no
//! instance ever sees the new table with old dates), and the change is audited. Dates already
//! past stay: a deadline that was missed under the calendar of its day stays missed.
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::domain::deadlines::extended_due;
use crate::domain::format::shanghai;
use crate::domain::lane::Clocks;
use crate::domain::workdays::Calendar;
use crate::domain::Status;
use crate::entities::{complaint, extension_request};
use crate::services::audit::{self, Actor};
use crate::services::responses::extension::GRANTED;

/// How many due dates moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recomputed {
    pub review: u64,
    pub response: u64,
}

fn day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&shanghai()).date_naive()
}

async fn move_due(
    conn: &impl ConnectionTrait,
    id: i64,
    col: complaint::Column,
    due: NaiveDate,
) -> Result<(), sea_orm::DbErr> {
    complaint::Entity::update_many()
        .col_expr(col, Expr::value(Some(due)))
        .filter(complaint::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Recomputes the due dates of open cases (review: received or held; response: forwarded and
/// not yet answered, first answer only) whose stored date is today or later, with `calendar`
/// and the clocks of each case's lane.
pub async fn recompute_due_dates(
    conn: &impl ConnectionTrait,
    calendar: &Calendar,
    clocks: Clocks,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Recomputed, sea_orm::DbErr> {
    let today = day(now);
    let mut done = Recomputed::default();
    let reviewing = complaint::Entity::find()
        .filter(complaint::Column::Status.is_in([Status::Received, Status::Held]))
        .filter(complaint::Column::ReviewDueOn.gte(today))
        .all(conn)
        .await?;
    let mut moved: Vec<serde_json::Value> = Vec::new();
    for c in reviewing {
        let due = clocks.review_due(calendar, day(c.received_at), c.priority_lane);
        if Some(due) != c.review_due_on {
            move_due(conn, c.id, complaint::Column::ReviewDueOn, due).await?;
            moved.push(json!({ "id": c.id, "review_due_on": [c.review_due_on, due] }));
            done.review += 1;
        }
    }
    let waiting = complaint::Entity::find()
        .filter(complaint::Column::Status.eq(Status::Forwarded))
        .filter(complaint::Column::RespondedAt.is_null())
        .filter(complaint::Column::ResponseDueOn.gte(today))
        .all(conn)
        .await?;
    for c in waiting {
        let Some(forwarded) = c.forwarded_at else {
            continue;
        };
        let mut due = clocks.response_due(calendar, day(forwarded), c.priority_lane);
        let granted = extension_request::Entity::find()
            .filter(extension_request::Column::ComplaintId.eq(c.id))
            .filter(extension_request::Column::State.eq(GRANTED))
            .one(conn)
            .await?;
        if let Some(x) = granted {
            due = extended_due(calendar, due, x.days.max(0) as u32);
        }
        if Some(due) != c.response_due_on {
            move_due(conn, c.id, complaint::Column::ResponseDueOn, due).await?;
            moved.push(json!({ "id": c.id, "response_due_on": [c.response_due_on, due] }));
            done.response += 1;
        }
    }
    if !moved.is_empty() {
        // One row for the whole edit; the ids and dates say what moved (no personal data).
        moved.truncate(500);
        audit::record(
            conn,
            actor,
            "due_dates_recomputed",
            None,
            Some(json!({ "review": done.review, "response": done.response, "cases": moved })),
        )
        .await?;
    }
    Ok(done)
}
