//! Staff moves of a case into or out of the priority lane (绿色通道): the running clock is set
//! again by the new lane's clock, and each move is kept with its reason in `lane_changes`, the
//! case's lane history (the audit row is written by [`super::actions::apply`]).
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::change::CaseWork;
use crate::domain::format::shanghai;
use crate::domain::Status;
use crate::entities::{complaint, extension_request, lane_change};
use crate::services::audit::Actor;
use crate::services::responses::extension::GRANTED;

fn day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&shanghai()).date_naive()
}

/// The due dates that move with the lane: the review clock while the case waits for staff, the
/// company's clock while it waits for a first answer with no extension granted. A clock already
/// past stays as it was (a missed deadline stays missed), like the holiday recompute.
pub(super) async fn moved_clocks(
    conn: &impl ConnectionTrait,
    work: &CaseWork<'_>,
    c: &complaint::Model,
    into: bool,
    today: NaiveDate,
) -> Result<Vec<(complaint::Column, &'static str, NaiveDate)>, sea_orm::DbErr> {
    let (cal, clocks) = (&work.reference.calendar, work.reference.clocks);
    let mut out = Vec::new();
    let running = |due: Option<NaiveDate>| due.is_none_or(|d| d >= today);
    if matches!(c.status, Status::Received | Status::Held) && running(c.review_due_on) {
        out.push((
            complaint::Column::ReviewDueOn,
            "review_due_on",
            clocks.review_due(cal, day(c.received_at), into),
        ));
    }
    if let (Status::Forwarded, Some(fwd), None) = (c.status, c.forwarded_at, c.responded_at) {
        let extended = extension_request::Entity::find()
            .filter(extension_request::Column::ComplaintId.eq(c.id))
            .filter(extension_request::Column::State.eq(GRANTED))
            .one(conn)
            .await?
            .is_some();
        if !extended && c.no_response_at.is_none() && running(c.response_due_on) {
            out.push((
                complaint::Column::ResponseDueOn,
                "response_due_on",
                clocks.response_due(cal, day(fwd), into),
            ));
        }
    }
    Ok(out)
}

/// Keeps one move in the lane history.
pub(super) async fn record_move(
    conn: &impl ConnectionTrait,
    id: i64,
    into: bool,
    reason: String,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    lane_change::ActiveModel {
        complaint_id: Set(id),
        into_lane: Set(into),
        reason: Set(reason),
        actor: Set(actor.label.clone()),
        actor_user_id: Set(actor.user_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The lane history of a case, oldest first.
pub async fn history(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<Vec<lane_change::Model>, sea_orm::DbErr> {
    lane_change::Entity::find()
        .filter(lane_change::Column::ComplaintId.eq(id))
        .order_by_asc(lane_change::Column::CreatedAt)
        .order_by_asc(lane_change::Column::Id)
        .all(conn)
        .await
}
