//! What a company sees of the cases forwarded to it (the portal, its API and signed answer
//! links): a keyset-paged list with counts, and one case cut down to what the consumer agreed to
//! share. Only cases linked to the company *and* forwarded are ever read; the consumer's
//! narrative, evidence and contact data appear only with `consent_contact_company`, and the
//! narrative is scrubbed of personal data as for regulators. Staff notes, the assignee, spam
//! signals and the history's internal notes are never part of these views.
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::domain::scrub::scrub;
use crate::entities::{company, complaint, evidence_file, response_file};
use crate::services::audit::Actor;
use crate::services::cases;
use crate::services::error::ServiceError;
use crate::services::intake::evidence;

use super::{answers, extension, AnswerView};

mod list;

use list::{awaiting, overdue};
pub use list::{
    counts, list, CaseItem, CasePage, Counts, Cursor, Filter, DEFAULT_LIMIT, MAX_LIMIT,
};

/// The consumer's contact data, shown only where they agreed to be contacted by the company.
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// An evidence file the company may download.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceItem {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// The company's request for more time, as it sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ExtensionInfo {
    pub days: i32,
    pub reason: String,
    pub state: String,
    pub created_at: DateTime<Utc>,
}

/// One case as the company sees it.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyCase {
    pub id: i64,
    pub tracking_code: String,
    pub status: String,
    pub received_at: DateTime<Utc>,
    pub forwarded_at: Option<DateTime<Utc>>,
    pub response_due_on: Option<NaiveDate>,
    pub responded_at: Option<DateTime<Utc>>,
    pub response_timely: Option<bool>,
    pub sector: String,
    pub company_name: String,
    pub service_name: Option<String>,
    pub plan_from: Option<String>,
    pub plan_to: Option<String>,
    pub price_from_fen: Option<i64>,
    pub price_to_fen: Option<i64>,
    pub billing_cycle: Option<String>,
    pub requested_action: String,
    pub channels_tried: Vec<String>,
    pub contact_attempts: Option<i32>,
    pub first_attempt_on: Option<NaiveDate>,
    pub amount_claimed_fen: Option<i64>,
    pub obstacle_codes: Vec<String>,
    /// Whether the consumer agreed to share their account and contact data with the company.
    pub consent_contact_company: bool,
    /// The consumer's account, scrubbed of personal data (only with consent).
    pub narrative: Option<String>,
    pub contact: Option<Contact>,
    pub evidence: Vec<EvidenceItem>,
    pub answers: Vec<AnswerView>,
    pub extension: Option<ExtensionInfo>,
    pub awaiting: bool,
    pub overdue: bool,
    /// A request for more time can still be made (waiting, not yet asked, not past due).
    pub can_extend: bool,
}

/// The company's view of a case it may see (check with [`super::visible_to_company`] first).
pub async fn view_of(
    conn: &impl ConnectionTrait,
    c: complaint::Model,
    today: NaiveDate,
) -> Result<CompanyCase, sea_orm::DbErr> {
    let consent = c.consent_contact_company;
    let links = cases::links_for(conn, &[c.id]).await?;
    let evidence = if consent {
        evidence_file::Entity::find()
            .filter(evidence_file::Column::ComplaintId.eq(c.id))
            .order_by_asc(evidence_file::Column::Id)
            .all(conn)
            .await?
            .into_iter()
            .map(|e| EvidenceItem {
                id: e.id,
                name: e.original_name,
                content_type: e.content_type,
                size_bytes: e.size_bytes,
            })
            .collect()
    } else {
        Vec::new()
    };
    let ext = extension::for_case(conn, c.id).await?;
    let names: Vec<&str> = c
        .contact_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .into_iter()
        .collect();
    let narrative = (consent && c.narrative_erased_at.is_none() && !c.narrative.is_empty())
        .then(|| scrub(&c.narrative, &names));
    let contact = (consent && cases::has_contact(&c)).then(|| Contact {
        name: c.contact_name.clone(),
        email: c.contact_email.clone(),
        phone: c.contact_phone.clone(),
    });
    let waiting = awaiting(&c);
    let can_extend = waiting
        && ext.is_none()
        && c.responded_at.is_none()
        && c.no_response_at.is_none()
        && c.response_due_on.is_some_and(|d| d >= today);
    Ok(CompanyCase {
        answers: answers(conn, c.id).await?,
        obstacle_codes: links.get(&c.id).map(|l| l.confirmed()).unwrap_or_default(),
        extension: ext.map(|x| ExtensionInfo {
            days: x.days,
            reason: x.reason,
            state: x.state,
            created_at: x.created_at,
        }),
        awaiting: waiting,
        overdue: overdue(&c, today),
        can_extend,
        narrative,
        contact,
        evidence,
        channels_tried: c
            .channels_tried
            .split(';')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        id: c.id,
        tracking_code: c.tracking_code,
        status: c.status.code().to_string(),
        received_at: c.received_at,
        forwarded_at: c.forwarded_at,
        response_due_on: c.response_due_on,
        responded_at: c.responded_at,
        response_timely: c.response_timely,
        sector: c.sector,
        company_name: c.company_name,
        service_name: c.service_name,
        plan_from: c.plan_from,
        plan_to: c.plan_to,
        price_from_fen: c.price_from_fen,
        price_to_fen: c.price_to_fen,
        billing_cycle: c.billing_cycle,
        requested_action: c.requested_action,
        contact_attempts: c.contact_attempts,
        first_attempt_on: c.first_attempt_on,
        amount_claimed_fen: c.amount_claimed_fen,
        consent_contact_company: consent,
    })
}

/// The company's view of its case `tracking_code`; `None` when it is not one of its forwarded
/// cases (another company's, never forwarded, or no such code).
pub async fn detail(
    conn: &impl ConnectionTrait,
    company_id: i64,
    tracking_code: &str,
    today: NaiveDate,
) -> Result<Option<CompanyCase>, sea_orm::DbErr> {
    match super::case_for_company(conn, company_id, tracking_code).await? {
        Some(c) => Ok(Some(view_of(conn, c, today).await?)),
        None => Ok(None),
    }
}

/// Records in the audit log that a company saw the consumer's contact data on `case` (as staff
/// views are recorded); nothing when the view carried none.
pub async fn record_contact_view(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    case: &CompanyCase,
    via: &str,
) -> Result<(), sea_orm::DbErr> {
    if case.contact.is_none() {
        return Ok(());
    }
    cases::record_contact_views(conn, actor, &[case.id], via).await
}

/// An evidence file of the company's case, if the consumer agreed to share it with the company.
pub async fn shared_evidence(
    conn: &impl ConnectionTrait,
    company_id: i64,
    tracking_code: &str,
) -> Result<Option<complaint::Model>, sea_orm::DbErr> {
    Ok(super::case_for_company(conn, company_id, tracking_code)
        .await?
        .filter(|c| c.consent_contact_company))
}

/// The name of a company (for the portal's heading).
pub async fn company_name(
    conn: &impl ConnectionTrait,
    company_id: i64,
) -> Result<Option<String>, sea_orm::DbErr> {
    Ok(company::Entity::find_by_id(company_id)
        .one(conn)
        .await?
        .map(|c| c.name))
}

/// An attachment of an answer on case `complaint_id` with its bytes, or `None` when it does not
/// belong to the case or its file is gone.
pub async fn open_answer_file(
    conn: &impl ConnectionTrait,
    evidence_dir: &Path,
    complaint_id: i64,
    file_id: i64,
) -> Result<Option<(response_file::Model, Vec<u8>)>, ServiceError> {
    let Some(row) = super::answer_file(conn, complaint_id, file_id).await? else {
        return Ok(None);
    };
    // Stored names are hex digests; anything else could walk out of the evidence folder.
    if !row.stored_name.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    match tokio::fs::read(evidence::path_of(evidence_dir, &row.stored_name)).await {
        Ok(bytes) => Ok(Some((row, bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ServiceError::Internal(e.into())),
    }
}
