//! The staff queue: filters, free-text search, three sort orders and keyset pagination with an
//! opaque cursor of (sort key, id), so a page deep in the queue costs the same as the first and
//! complaints arriving meanwhile cause neither gaps nor repeats.
mod params;
mod sql;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};

use super::due_on;
use crate::domain::workflow;
use crate::domain::{normalize_name, Language, Sector, Status};
use crate::entities::{company, company_alias, complaint};
use crate::i18n::I18n;
use crate::services::cases::search::{self, SqlBuf};
use crate::services::error::FieldErrors;
use crate::services::reference::Reference;
use crate::store::sql::stmt;
pub use params::parse;
pub use sql::{build_sql, run, DUE_SQL, LANE_RANK_SQL};

/// Page size when none is asked for, and the largest allowed.
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

/// Query parameters as typed (page form and API share them). Every value is a string so a
/// wrong value becomes a field message instead of a bare 400.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct QueueParams {
    pub status: Option<String>,
    pub sector: Option<String>,
    pub company: Option<String>,
    pub obstacle: Option<String>,
    pub province: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `me`: cases assigned to the signed-in user.
    pub assigned: Option<String>,
    pub overdue: Option<String>,
    /// Consumers not satisfied with the company's answer, waiting for staff.
    pub disputed: Option<String>,
    pub has_evidence: Option<String>,
    pub held: Option<String>,
    /// `1`: only cases in the priority lane.
    pub lane: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// Queue order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Sort {
    /// Newest first (default).
    ReceivedDesc,
    ReceivedAsc,
    /// The running clock's due date, earliest first; cases without a running clock last.
    Due,
}

impl Sort {
    pub const CODES: [&'static str; 3] = ["received_desc", "received_asc", "due"];

    pub fn code(self) -> &'static str {
        match self {
            Sort::ReceivedDesc => "received_desc",
            Sort::ReceivedAsc => "received_asc",
            Sort::Due => "due",
        }
    }

    fn parse(s: &str) -> Option<Sort> {
        match s {
            "received_desc" | "newest" => Some(Sort::ReceivedDesc),
            "received_asc" | "oldest" => Some(Sort::ReceivedAsc),
            "due" => Some(Sort::Due),
            _ => None,
        }
    }
}

/// Status filter: one status, or every status that still needs work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    One(Status),
    Open,
}

/// Where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    Received(DateTime<Utc>, i64),
    /// Due date, lane rank (0 in the lane, 1 not), id.
    Due(NaiveDate, i32, i64),
}

/// Due date used for sorting cases without a running clock (after every real date).
const NO_DUE: &str = "9999-12-31";

impl Cursor {
    /// Opaque, URL-safe form.
    pub fn encode(&self, sort: Sort) -> String {
        let raw = match self {
            Cursor::Received(t, id) => format!(
                "{}|{}|{id}",
                sort.code(),
                t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            ),
            Cursor::Due(d, rank, id) => format!("{}|{d}/{rank}|{id}", sort.code()),
        };
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// Parses a cursor made by [`Cursor::encode`] for the same sort order.
    pub fn decode(s: &str, sort: Sort) -> Option<Cursor> {
        let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(s.trim()).ok()?).ok()?;
        let mut parts = raw.splitn(3, '|');
        let (s_code, key, id) = (parts.next()?, parts.next()?, parts.next()?);
        if s_code != sort.code() {
            return None;
        }
        let id: i64 = id.parse().ok()?;
        match sort {
            Sort::Due => {
                let (d, rank) = key.split_once('/')?;
                let rank: i32 = rank.parse().ok().filter(|r| *r == 0 || *r == 1)?;
                Some(Cursor::Due(
                    NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?,
                    rank,
                    id,
                ))
            }
            _ => Some(Cursor::Received(
                DateTime::parse_from_rfc3339(key).ok()?.with_timezone(&Utc),
                id,
            )),
        }
    }
}

/// Validated queue filters.
#[derive(Debug, Clone)]
pub struct Filters {
    pub status: Option<StatusFilter>,
    pub sector: Option<Sector>,
    pub company: Option<String>,
    pub obstacle: Option<String>,
    pub province: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub mine: bool,
    pub overdue: bool,
    pub disputed: bool,
    /// Exactly this tracking code (`q` that is a tracking code).
    pub code: Option<String>,
    pub has_evidence: bool,
    pub held: bool,
    /// Only cases in the priority lane.
    pub lane: bool,
    pub q: Option<Vec<String>>,
    pub sort: Sort,
    pub cursor: Option<Cursor>,
    pub limit: u64,
}

/// One page of the queue.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<complaint::Model>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests;
