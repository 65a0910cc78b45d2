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

/// What the public tracking page shows: the public view and the state of its reply form.
pub struct TrackingPage {
    pub view: PublicView,
    pub reply: crate::services::cases::ReplyView,
}

/// The tracking page for a code, or `None` for an unknown code.
pub async fn tracking_page(
    db: &DatabaseConnection,
    code: &TrackingCode,
) -> Result<Option<TrackingPage>, DbErr> {
    let Some(view) = public_view(db, code).await? else {
        return Ok(None);
    };
    let Some(c) = find(db, code).await? else {
        return Ok(None);
    };
    Ok(Some(TrackingPage {
        view,
        reply: crate::services::cases::reply_view(&c),
    }))
}
