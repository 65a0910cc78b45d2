//! Case work for association staff: the queue ([`queue`]), one case with everything attached
//! ([`detail`]), the changes reviewers make ([`actions`]) and the consumer's reply from the
//! tracking page ([`record_reply`]).
pub mod actions;
pub mod attention;
mod change;
pub mod lane;
mod note;
pub mod page;
pub mod queue;
mod reply;
pub mod search;
mod steps;
pub mod verdict;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::Serialize;
use serde_json::{json, Value};

use crate::domain::workflow;
use crate::domain::{Language, Money, ObstacleSource, Outcome, Status, TrackingCode};
use crate::entities::{
    audit_log, case_note, company, complaint, complaint_obstacle, consumer_reply, evidence_file,
    status_history, user,
};
use crate::services::audit::{self, Actor};
use crate::services::error::ServiceError;

/// A suggestion as stored at intake: the code, its score and the text that triggered it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SuggestionView {
    pub code: String,
    pub score: f64,
    pub evidence: Vec<String>,
}

/// A code confirmed by a reviewer, with who set it and when.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewerCode {
    pub code: String,
    pub set_by: Option<String>,
    pub at: DateTime<Utc>,
}

/// The obstacle links of one complaint, by source.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Links {
    pub reviewer: Vec<ReviewerCode>,
    pub suggestions: Vec<SuggestionView>,
    pub consumer: Vec<String>,
}

impl Links {
    /// Codes confirmed by a reviewer (the case's `obstacle_codes`).
    pub fn confirmed(&self) -> Vec<String> {
        self.reviewer.iter().map(|r| r.code.clone()).collect()
    }
}

/// Obstacle links for a set of complaints (one query).
pub async fn links_for(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Links>, sea_orm::DbErr> {
    let mut out: HashMap<i64, Links> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = complaint_obstacle::Entity::find()
        .filter(complaint_obstacle::Column::ComplaintId.is_in(ids.to_vec()))
        .order_by_asc(complaint_obstacle::Column::Id)
        .all(conn)
        .await?;
    for r in rows {
        let l = out.entry(r.complaint_id).or_default();
        match ObstacleSource::parse(&r.source) {
            Some(ObstacleSource::Reviewer) => l.reviewer.push(ReviewerCode {
                code: r.obstacle_code,
                set_by: r.set_by,
                at: r.created_at,
            }),
            Some(ObstacleSource::Suggestion) => l.suggestions.push(SuggestionView {
                code: r.obstacle_code,
                score: r.score.unwrap_or(0.0),
                evidence: r
                    .evidence
                    .as_deref()
                    .and_then(|e| serde_json::from_str(e).ok())
                    .unwrap_or_default(),
            }),
            Some(ObstacleSource::Consumer) => l.consumer.push(r.obstacle_code),
            None => {}
        }
    }
    for l in out.values_mut() {
        l.suggestions.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    Ok(out)
}

/// Number of evidence files per complaint (one query).
pub async fn evidence_counts(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, u64>, sea_orm::DbErr> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = evidence_file::Entity::find()
        .filter(evidence_file::Column::ComplaintId.is_in(ids.to_vec()))
        .all(conn)
        .await?;
    for r in rows {
        *out.entry(r.complaint_id).or_insert(0) += 1;
    }
    Ok(out)
}

/// The running clock's due date: acceptance decision while waiting for review, the company's
/// answer while forwarded, none otherwise.
pub fn due_on(c: &complaint::Model) -> Option<NaiveDate> {
    let s = c.status;
    if workflow::awaits_review(s) {
        c.review_due_on
    } else if workflow::awaits_company(s) {
        c.response_due_on
    } else {
        None
    }
}

/// Whether the running clock has passed its due date.
pub fn is_overdue(c: &complaint::Model, today: NaiveDate) -> bool {
    due_on(c).is_some_and(|d| d < today)
}

/// Whether the complaint carries any contact data (viewing it is audited).
pub fn has_contact(c: &complaint::Model) -> bool {
    c.contact_name.is_some() || c.contact_email.is_some() || c.contact_phone.is_some()
}

/// The complaint's language for mail, falling back to Chinese.
pub fn language_of(c: &complaint::Model) -> Language {
    Language::parse(&c.language).unwrap_or(Language::ZhCn)
}

/// Writes one `view_contact` audit row per complaint shown with contact data, in a single
/// multi-row insert (an API page can show 200 complaints).
pub async fn record_contact_views(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    ids: &[i64],
    via: &str,
) -> Result<(), sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let detail = json!({ "via": via }).to_string();
    let rows = ids.iter().map(|id| audit_log::ActiveModel {
        at: Set(now),
        actor_user_id: Set(actor.user_id),
        actor: Set(actor.label.clone()),
        action: Set("view_contact".into()),
        target_type: Set(Some("complaint".into())),
        target_id: Set(Some(id.to_string())),
        detail: Set(Some(detail.clone())),
        ..Default::default()
    });
    audit_log::Entity::insert_many(rows).exec(conn).await?;
    Ok(())
}

fn money(fen: Option<i64>) -> Value {
    fen.map(|f| Value::String(Money(f).decimal()))
        .unwrap_or(Value::Null)
}

fn list(s: &str) -> Vec<&str> {
    s.split(';').filter(|x| !x.is_empty()).collect()
}

/// The case object of the staff API (contract: id, tracking_code, status, received_at, sector,
/// company_name, obstacle_codes, suggested_obstacles, narrative and contact data).
pub fn item_json(
    c: &complaint::Model,
    links: Option<&Links>,
    evidence_count: u64,
    today: NaiveDate,
) -> Value {
    let empty = Links::default();
    let links = links.unwrap_or(&empty);
    json!({
        "id": c.id,
        "tracking_code": c.tracking_code,
        "status": c.status,
        "received_at": c.received_at,
        "sector": c.sector,
        "company_id": c.company_id,
        "company_name": c.company_name,
        "service_name": c.service_name,
        "province": c.province,
        "obstacle_codes": links.confirmed(),
        "primary_obstacle": c.primary_obstacle,
        "suggested_obstacles": links.suggestions,
        "reported_obstacles": links.consumer,
        "narrative": c.narrative,
        "contact_name": c.contact_name,
        "contact_email": c.contact_email,
        "contact_phone": c.contact_phone,
        "consent_contact_company": c.consent_contact_company,
        "consent_share_narrative": c.consent_share_narrative,
        "assigned_to": c.assigned_to,
        "review_due_on": c.review_due_on,
        "response_due_on": c.response_due_on,
        "due_on": due_on(c),
        "priority_lane": c.priority_lane,
        "overdue": is_overdue(c, today),
        "evidence_count": evidence_count,
        "version": c.version,
    })
}

/// Everything staff see on one case.
pub struct CaseDetail {
    pub case: complaint::Model,
    pub links: Links,
    pub company: Option<company::Model>,
    pub evidence: Vec<evidence_file::Model>,
    pub history: Vec<status_history::Model>,
    pub notes: Vec<case_note::Model>,
    pub replies: Vec<consumer_reply::Model>,
    pub assigned: Option<user::Model>,
    pub duplicate_of: Option<complaint::Model>,
    /// Cases merged into this one.
    pub merged: Vec<complaint::Model>,
    /// The company's answers, oldest first.
    pub answers: Vec<crate::services::responses::AnswerView>,
    /// The company's request for more time, if it made one.
    pub extension: Option<crate::entities::extension_request::Model>,
    /// What the consumer added to the story on /my, oldest first.
    pub updates: Vec<crate::entities::complaint_update::Model>,
    /// Staff moves in and out of the priority lane, oldest first.
    pub lane_moves: Vec<crate::entities::lane_change::Model>,
}

/// Loads one case with everything attached; `None` if there is no such case.
pub async fn detail(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<CaseDetail>, sea_orm::DbErr> {
    let Some(case) = complaint::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let links = links_for(conn, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let company = match case.company_id {
        Some(cid) => company::Entity::find_by_id(cid).one(conn).await?,
        None => None,
    };
    let evidence = evidence_file::Entity::find()
        .filter(evidence_file::Column::ComplaintId.eq(id))
        .order_by_asc(evidence_file::Column::Id)
        .all(conn)
        .await?;
    let history = status_history::Entity::find()
        .filter(status_history::Column::ComplaintId.eq(id))
        .order_by_asc(status_history::Column::CreatedAt)
        .order_by_asc(status_history::Column::Id)
        .all(conn)
        .await?;
    let notes = case_note::Entity::find()
        .filter(case_note::Column::ComplaintId.eq(id))
        .order_by_asc(case_note::Column::Id)
        .all(conn)
        .await?;
    let replies = consumer_reply::Entity::find()
        .filter(consumer_reply::Column::ComplaintId.eq(id))
        .order_by_asc(consumer_reply::Column::Id)
        .all(conn)
        .await?;
    let assigned = match case.assigned_to {
        Some(uid) => user::Entity::find_by_id(uid).one(conn).await?,
        None => None,
    };
    let duplicate_of = match case.duplicate_of {
        Some(did) => complaint::Entity::find_by_id(did).one(conn).await?,
        None => None,
    };
    let merged = complaint::Entity::find()
        .filter(complaint::Column::DuplicateOf.eq(id))
        .order_by_asc(complaint::Column::Id)
        .all(conn)
        .await?;
    let answers = crate::services::responses::answers(conn, id).await?;
    let extension = crate::services::responses::extension::for_case(conn, id).await?;
    let updates = crate::services::self_service::changes::updates(conn, id).await?;
    let lane_moves = lane::history(conn, id).await?;
    Ok(Some(CaseDetail {
        lane_moves,
        updates,
        answers,
        extension,
        case,
        links,
        company,
        evidence,
        history,
        notes,
        replies,
        assigned,
        duplicate_of,
        merged,
    }))
}

/// The full case object of `GET /api/v1/cases/{id}`.
pub fn detail_json(d: &CaseDetail, today: NaiveDate) -> Value {
    let c = &d.case;
    let mut v = item_json(c, Some(&d.links), d.evidence.len() as u64, today);
    let extra = json!({
        "plan_from": c.plan_from, "plan_to": c.plan_to,
        "price_from": money(c.price_from_fen), "price_to": money(c.price_to_fen),
        "billing_cycle": c.billing_cycle, "requested_action": c.requested_action,
        "channels_tried": list(&c.channels_tried), "contact_attempts": c.contact_attempts,
        "first_attempt_on": c.first_attempt_on, "outcome": c.outcome,
        "amount_claimed": money(c.amount_claimed_fen), "language": c.language,
        "submitted_via": c.submitted_via, "spam_reasons": list(&c.spam_reasons),
        "taxonomy_version": c.taxonomy_version,
        "reviewer_obstacles": d.links.reviewer,
        "accepted_at": c.accepted_at, "forwarded_at": c.forwarded_at, "responded_at": c.responded_at,
        "closed_at": c.closed_at, "company_response": c.company_response, "response_timely": c.response_timely,
        "rejection_reason": c.rejection_reason, "duplicate_of": c.duplicate_of,
        "merged_cases": d.merged.iter().map(|m| json!({ "id": m.id, "tracking_code": m.tracking_code })).collect::<Vec<_>>(),
        "outcome_feedback": c.outcome_feedback, "outcome_feedback_at": c.outcome_feedback_at,
        "company": d.company.as_ref().map(|co| json!({ "id": co.id, "name": co.name, "credit_code": co.credit_code, "sector": co.sector })),
        "evidence": d.evidence.iter().map(|e| json!({
            "id": e.id, "file_name": e.original_name, "content_type": e.content_type, "size_bytes": e.size_bytes,
            "sha256": e.sha256, "download": format!("/staff/cases/{}/evidence/{}", c.id, e.id),
        })).collect::<Vec<_>>(),
        "history": d.history.iter().map(|h| json!({
            "from": h.from_status, "to": h.to_status, "public": h.is_public, "note": h.note, "actor": h.actor, "at": h.created_at,
        })).collect::<Vec<_>>(),
        "notes": d.notes.iter().map(|n| json!({ "author": n.author, "body": n.body, "at": n.created_at })).collect::<Vec<_>>(),
        "consumer_replies": d.replies.iter().map(|r| json!({ "outcome": r.outcome, "message": r.message, "at": r.created_at })).collect::<Vec<_>>(),
    });
    if let (Value::Object(base), Value::Object(more)) = (&mut v, extra) {
        base.extend(more);
    }
    v
}

pub use reply::{
    accepts_replies, parse_reply, record_reply, reply_view, ReplyError, ReplyView, MAX_REPLY_CHARS,
};
