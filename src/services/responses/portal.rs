//! What a company sees of the cases forwarded to it (the portal, its API and signed answer
//! links): a keyset-paged list with counts, and one case cut down to what the consumer agreed to
//! share. Only cases linked to the company *and* forwarded are ever read; the consumer's
//! narrative, evidence and contact data appear only with `consent_contact_company`, and the
//! narrative is scrubbed of personal data as for regulators. Staff notes, the assignee, spam
//! signals and the history's internal notes are never part of these views.
use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use crate::domain::scrub::scrub;
use crate::domain::Status;
use crate::entities::{company, complaint, evidence_file, response_file};
use crate::services::cases;
use crate::services::error::ServiceError;
use crate::services::intake::evidence;

use super::{answers, extension, AnswerView};

/// Page size when none is asked for, and the largest allowed (as in every API list).
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

/// Which of its cases a company lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    /// Every case ever forwarded to it.
    #[default]
    All,
    /// Waiting for its answer (forwarded, not yet answered).
    Awaiting,
    /// Answered (by any door).
    Answered,
    /// Waiting for its answer and past the due date.
    Overdue,
}

impl Filter {
    pub const CODES: [&'static str; 4] = ["all", "awaiting", "answered", "overdue"];

    /// Parses a filter code; empty means all.
    pub fn parse(s: &str) -> Option<Filter> {
        match s.trim() {
            "" | "all" => Some(Filter::All),
            "awaiting" => Some(Filter::Awaiting),
            "answered" => Some(Filter::Answered),
            "overdue" => Some(Filter::Overdue),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Awaiting => "awaiting",
            Filter::Answered => "answered",
            Filter::Overdue => "overdue",
        }
    }

    fn condition(self, today: NaiveDate) -> Condition {
        let c = Condition::all();
        match self {
            Filter::All => c,
            Filter::Awaiting => c.add(complaint::Column::Status.eq(Status::Forwarded)),
            Filter::Answered => c.add(complaint::Column::RespondedAt.is_not_null()),
            Filter::Overdue => c
                .add(complaint::Column::Status.eq(Status::Forwarded))
                .add(complaint::Column::ResponseDueOn.lt(today)),
        }
    }
}

/// Where the previous page ended: (forwarded at, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(pub DateTime<Utc>, pub i64);

impl Cursor {
    /// Opaque, URL-safe form.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!(
            "{}|{}",
            self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            self.1
        ))
    }

    /// Parses a cursor made by [`Cursor::encode`].
    pub fn decode(s: &str) -> Option<Cursor> {
        let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(s.trim()).ok()?).ok()?;
        let (t, id) = raw.split_once('|')?;
        Some(Cursor(
            DateTime::parse_from_rfc3339(t).ok()?.with_timezone(&Utc),
            id.parse().ok()?,
        ))
    }
}

/// The company's cases in one place: linked to it and forwarded at some point.
fn own(company_id: i64) -> Condition {
    Condition::all()
        .add(complaint::Column::CompanyId.eq(company_id))
        .add(complaint::Column::ForwardedAt.is_not_null())
}

/// One row of the company's case list.
#[derive(Debug, Clone, Serialize)]
pub struct CaseItem {
    pub tracking_code: String,
    pub status: String,
    pub received_at: DateTime<Utc>,
    pub forwarded_at: Option<DateTime<Utc>>,
    pub response_due_on: Option<NaiveDate>,
    pub responded_at: Option<DateTime<Utc>>,
    pub obstacle_codes: Vec<String>,
    /// Waiting for the company's answer.
    pub awaiting: bool,
    /// Waiting and past the due date.
    pub overdue: bool,
}

/// One page of the list.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub items: Vec<CaseItem>,
    pub next_cursor: Option<String>,
}

fn awaiting(c: &complaint::Model) -> bool {
    c.status == Status::Forwarded
}

fn overdue(c: &complaint::Model, today: NaiveDate) -> bool {
    awaiting(c) && c.response_due_on.is_some_and(|d| d < today)
}

/// A page of the company's cases, newest forwarded first, after `cursor`.
pub async fn list(
    conn: &impl ConnectionTrait,
    company_id: i64,
    filter: Filter,
    cursor: Option<&Cursor>,
    limit: u64,
    today: NaiveDate,
) -> Result<CasePage, sea_orm::DbErr> {
    let mut cond = own(company_id).add(filter.condition(today));
    if let Some(Cursor(t, id)) = cursor {
        cond = cond.add(
            Condition::any()
                .add(complaint::Column::ForwardedAt.lt(*t))
                .add(
                    Condition::all()
                        .add(complaint::Column::ForwardedAt.eq(*t))
                        .add(complaint::Column::Id.lt(*id)),
                ),
        );
    }
    let limit = limit.clamp(1, MAX_LIMIT);
    let mut rows = complaint::Entity::find()
        .filter(cond)
        .order_by_desc(complaint::Column::ForwardedAt)
        .order_by_desc(complaint::Column::Id)
        .limit(limit + 1)
        .all(conn)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = match rows.last() {
        Some(last) if more => last.forwarded_at.map(|t| Cursor(t, last.id).encode()),
        _ => None,
    };
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let links = cases::links_for(conn, &ids).await?;
    let items = rows
        .into_iter()
        .map(|c| CaseItem {
            obstacle_codes: links.get(&c.id).map(|l| l.confirmed()).unwrap_or_default(),
            awaiting: awaiting(&c),
            overdue: overdue(&c, today),
            tracking_code: c.tracking_code,
            status: c.status.code().to_string(),
            received_at: c.received_at,
            forwarded_at: c.forwarded_at,
            response_due_on: c.response_due_on,
            responded_at: c.responded_at,
        })
        .collect();
    Ok(CasePage { items, next_cursor })
}

/// How many of the company's cases are waiting, overdue and answered.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Counts {
    pub awaiting: u64,
    pub overdue: u64,
    pub answered: u64,
}

/// The counts on the portal's home page.
pub async fn counts(
    conn: &impl ConnectionTrait,
    company_id: i64,
    today: NaiveDate,
) -> Result<Counts, sea_orm::DbErr> {
    let n = |f: Filter| {
        complaint::Entity::find()
            .filter(own(company_id).add(f.condition(today)))
            .count(conn)
    };
    Ok(Counts {
        awaiting: n(Filter::Awaiting).await?,
        overdue: n(Filter::Overdue).await?,
        answered: n(Filter::Answered).await?,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_the_round_trip_and_garbage_is_refused() {
        let t = "2026-11-02T03:04:05.123Z".parse::<DateTime<Utc>>().unwrap();
        let c = Cursor(t, 42);
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("not a cursor"), None);
        assert_eq!(Cursor::decode(&URL_SAFE_NO_PAD.encode("x|1")), None);
    }

    #[test]
    fn filters_parse_from_their_codes() {
        for code in Filter::CODES {
            assert_eq!(Filter::parse(code).map(Filter::code), Some(code));
        }
        assert_eq!(Filter::parse(""), Some(Filter::All));
        assert_eq!(Filter::parse("late"), None);
    }
}
