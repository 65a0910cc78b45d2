//! The public view of a complaint: status and timeline only, never narrative or contact data.
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;

use crate::domain::{Status, TrackingCode};
use crate::entities::{complaint, evidence_file, status_history};

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub status: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicView {
    pub tracking_code: String,
    pub status: String,
    pub received_at: DateTime<Utc>,
    pub sector: String,
    pub company_name: String,
    pub evidence_count: u64,
    pub timeline: Vec<TimelineEntry>,
}

/// Held cases look like received ones to the public, so moderation is not revealed.
fn public_status(s: Status) -> String {
    let shown = if s == Status::Held {
        Status::Received
    } else {
        s
    };
    shown.code().to_string()
}

/// Looks up a complaint by tracking code.
pub async fn find(
    db: &DatabaseConnection,
    code: &TrackingCode,
) -> Result<Option<complaint::Model>, DbErr> {
    complaint::Entity::find()
        .filter(complaint::Column::TrackingCode.eq(code.as_str()))
        .one(db)
        .await
}

/// The public view, or `None` for an unknown code.
pub async fn public_view(
    db: &DatabaseConnection,
    code: &TrackingCode,
) -> Result<Option<PublicView>, DbErr> {
    let Some(c) = find(db, code).await? else {
        return Ok(None);
    };
    let history = status_history::Entity::find()
        .filter(status_history::Column::ComplaintId.eq(c.id))
        .filter(status_history::Column::IsPublic.eq(true))
        .order_by_asc(status_history::Column::CreatedAt)
        .order_by_asc(status_history::Column::Id)
        .all(db)
        .await?;
    let mut timeline: Vec<TimelineEntry> = history
        .into_iter()
        .map(|h| TimelineEntry {
            status: public_status(h.to_status),
            at: h.created_at,
        })
        .collect();
    if timeline.is_empty() {
        timeline.push(TimelineEntry {
            status: Status::Received.code().into(),
            at: c.received_at,
        });
    }
    let evidence_count = evidence_file::Entity::find()
        .filter(evidence_file::Column::ComplaintId.eq(c.id))
        .count(db)
        .await?;
    Ok(Some(PublicView {
        tracking_code: c.tracking_code,
        status: public_status(c.status),
        received_at: c.received_at,
        sector: c.sector,
        company_name: c.company_name,
        evidence_count,
        timeline,
    }))
}

/// What the public tracking page shows: the public view, the clocks, the company's answer with
/// the verdict form, and the state of the older "was this resolved?" form.
pub struct TrackingPage {
    pub view: PublicView,
    pub clocks: Clocks,
    pub answer: Option<crate::services::cases::verdict::AnswerSection>,
    pub reply: crate::services::cases::ReplyView,
}

/// The case's two deadlines and whether each was met (`None` while still running).
#[derive(Debug, Clone, Serialize)]
pub struct Clocks {
    pub review_due: Option<chrono::NaiveDate>,
    pub review_met: Option<bool>,
    pub response_due: Option<chrono::NaiveDate>,
    pub response_met: Option<bool>,
    /// The case is in the priority lane (shorter clocks).
    pub lane: bool,
}

fn clocks(c: &complaint::Model, view: &PublicView, now: DateTime<Utc>) -> Clocks {
    let day = |t: DateTime<Utc>| {
        t.with_timezone(&crate::domain::format::shanghai())
            .date_naive()
    };
    let today = day(now);
    // The decision on acceptance is the first public step after "received".
    let decided = view
        .timeline
        .iter()
        .find(|e| e.status != Status::Received.code())
        .map(|e| day(e.at));
    let review_met = match (c.review_due_on, decided) {
        (Some(due), Some(d)) => Some(d <= due),
        (Some(due), None) if today > due => Some(false),
        _ => None,
    };
    let response_met = if c.no_response_at.is_some() {
        Some(false)
    } else if c.responded_at.is_some() {
        c.response_timely
    } else {
        match c.response_due_on {
            Some(due) if c.status == Status::Forwarded && today > due => Some(false),
            _ => None,
        }
    };
    Clocks {
        review_due: c.review_due_on,
        review_met,
        response_due: c.response_due_on.filter(|_| c.forwarded_at.is_some()),
        response_met,
        lane: c.priority_lane,
    }
}

/// The tracking page for a code, or `None` for an unknown code. `feedback_days` is the window
/// the consumer has to judge the company's answer.
pub async fn tracking_page(
    db: &DatabaseConnection,
    code: &TrackingCode,
    feedback_days: u32,
    now: DateTime<Utc>,
) -> Result<Option<TrackingPage>, DbErr> {
    let Some(view) = public_view(db, code).await? else {
        return Ok(None);
    };
    let Some(c) = find(db, code).await? else {
        return Ok(None);
    };
    let answer =
        crate::services::cases::verdict::answer_section(db, &c, feedback_days, now).await?;
    let mut reply = crate::services::cases::reply_view(&c);
    if answer.is_some() {
        // The verdict on the company's answer replaces the general "was it resolved?" question.
        reply.open = false;
    }
    Ok(Some(TrackingPage {
        clocks: clocks(&c, &view, now),
        view,
        answer,
        reply,
    }))
}
