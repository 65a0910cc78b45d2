//! The company's list of forwarded cases: filters, counts and keyset paging by (forwarded at,
//! id), newest forwarded first.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use crate::domain::Status;
use crate::entities::complaint;
use crate::services::cases;

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
    /// Answered (by any door) and not waiting for a follow-up answer.
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
            // A case staff sent back for a follow-up waits again: it is not "answered".
            Filter::Answered => c
                .add(complaint::Column::RespondedAt.is_not_null())
                .add(complaint::Column::Status.ne(Status::Forwarded)),
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

pub(super) fn awaiting(c: &complaint::Model) -> bool {
    c.status == Status::Forwarded
}

pub(super) fn overdue(c: &complaint::Model, today: NaiveDate) -> bool {
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
