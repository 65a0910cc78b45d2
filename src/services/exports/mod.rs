//! Record-level exports of complaints (CSV, XLSX, NDJSON) at the `regulator` and `staff` privacy
//! tiers (contract.md, "Export record" and "Privacy tiers"); `public` is aggregates only and lives
//! in the statistics service.
//!
//! Memory stays flat whatever the row count and a slow client slows the database reads down
//! (back-pressure):
//! 1. [`query`](crate::services::exports::query) reads complaints in keyset chunks ordered by id,
//!    one statement per chunk with the obstacle links, evidence counts and case groups folded in
//!    by correlated sub-queries, and turns rows into [`Record`]s, on a blocking thread (through
//!    the pool on PostgreSQL; reading the file directly on SQLite, see
//!    [`sqlite`](crate::services::exports::sqlite)).
//! 2. CSV and NDJSON: the same thread applies the tier (scrubbing consented narratives for
//!    regulators) and encodes each record ([`format`](crate::services::exports::format)) as soon as
//!    it is read, so no row is handed between threads; XLSX: records go in small batches over a
//!    bounded channel to the writer ([`xlsx`](crate::services::exports::xlsx)).
//! 3. Encoded chunks go to a sink that blocks when full: the HTTP body channel, or a file for
//!    the CLI.
pub mod format;
mod params;
pub mod query;
mod record;
mod run;
pub mod sqlite;
pub mod xlsx;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::DatabaseConnection;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::domain::scrub::scrub;
use crate::domain::{Sector, Status};
use crate::services::audit::{self, Actor};
use crate::services::reference::Reference;
pub use params::{parse, Problem};
pub use record::{Cell, Record};
pub use run::{
    audit_finished, audit_started, count, file_name, new_export_id, run_bytes, run_xlsx, ExportCtx,
    Outcome,
};

/// The export columns of every record-level tier, in order (CSV header order; the same keys in
/// NDJSON and XLSX): the contract's 32, then the company loop's 6 (issue 15, from
/// `forwarded_at`), then the priority lane and the referral's 2 (issue 17: `priority_lane`,
/// `referred_to`, `referred_at`).
pub const COLUMNS: [&str; 41] = [
    "complaint_id",
    "received_at",
    "sector",
    "company_name",
    "company_credit_code",
    "service_name",
    "requested_action",
    "plan_from",
    "price_from",
    "plan_to",
    "price_to",
    "billing_cycle",
    "channels_tried",
    "contact_attempts",
    "first_attempt_on",
    "days_to_close",
    "obstacle_codes",
    "primary_obstacle",
    "rights_implicated",
    "taxonomy_version",
    "outcome",
    "status",
    "company_response",
    "response_timely",
    "province",
    "submitted_via",
    "consent_share_narrative",
    "narrative",
    "evidence_count",
    "case_group",
    "duplicate_of",
    "tags",
    "forwarded_at",
    "response_due_on",
    "responded_at",
    "response_category",
    "consumer_feedback",
    "consumer_disputed",
    "priority_lane",
    "referred_to",
    "referred_at",
];

/// Appended after [`COLUMNS`] in the `staff` tier only.
pub const CONTACT_COLUMNS: [&str; 3] = ["contact_name", "contact_email", "contact_phone"];

/// Cells in the widest row (the `staff` tier's).
pub(crate) const MAX_CELLS: usize = COLUMNS.len() + CONTACT_COLUMNS.len();

/// Statuses that never leave the association at the regulator tier: `held` is unverified and
/// possibly spam, `rejected` is spam or out of scope.
pub const REGULATOR_EXCLUDED: [Status; 2] = [Status::Held, Status::Rejected];

/// Query parameters (and CLI flags) an export understands.
pub const PARAMS: [&str; 9] = [
    "from", "to", "sector", "obstacle", "company", "province", "status", "tier", "headers",
];

/// Columns holding a UTC instant (`2026-10-31T16:02:54Z` in CSV and NDJSON; an Asia/Shanghai
/// date-time cell in XLSX).
pub const TIME_COLUMNS: [&str; 4] = ["received_at", "forwarded_at", "responded_at", "referred_at"];

/// Columns holding a calendar day (`2026-11-01`; a date cell in XLSX).
pub const DATE_COLUMNS: [&str; 2] = ["first_attempt_on", "response_due_on"];

/// Who may see what (contract.md, "Privacy tiers").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Public,
    Regulator,
    Staff,
}

impl Tier {
    pub fn parse(s: &str) -> Option<Tier> {
        match s {
            "public" => Some(Tier::Public),
            "regulator" => Some(Tier::Regulator),
            "staff" => Some(Tier::Staff),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Tier::Public => "public",
            Tier::Regulator => "regulator",
            Tier::Staff => "staff",
        }
    }

    /// The header of an export at this tier.
    pub fn columns(self) -> Vec<&'static str> {
        let mut cols = COLUMNS.to_vec();
        if self == Tier::Staff {
            cols.extend(CONTACT_COLUMNS);
        }
        cols
    }
}

/// The names in the header row of a CSV or XLSX export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Headers {
    /// The column names of the contract (`complaint_id`, ...), the default.
    #[default]
    En,
    /// Chinese names (`投诉查询码`, ...) from the catalogue's `exports.headers`.
    Zh,
}

impl Headers {
    pub fn parse(s: &str) -> Option<Headers> {
        match s {
            "en" => Some(Headers::En),
            "zh" => Some(Headers::Zh),
            _ => None,
        }
    }

    /// The header row for `tier` in these names.
    pub fn row(self, tier: Tier, i18n: &crate::i18n::I18n) -> Vec<String> {
        tier.columns()
            .into_iter()
            .map(|col| match self {
                Headers::En => col.to_string(),
                Headers::Zh => zh_header(i18n, col),
            })
            .collect()
    }
}

/// The Chinese header of a column (`received_at` → `提交时间`).
pub fn zh_header(i18n: &crate::i18n::I18n, column: &str) -> String {
    i18n.msg(
        crate::domain::Language::ZhCn,
        &format!("exports.headers.{column}"),
    )
}

/// File format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Ndjson,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "ndjson" => Some(Format::Ndjson),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Ndjson => "ndjson",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Ndjson => "application/x-ndjson",
        }
    }
}

/// The company filter after looking the text up in the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompanyFilter {
    /// A directory company (matched by id, name or alias).
    Id(i64),
    /// Not in the directory: complaints that named it exactly so and were never matched.
    FiledName(String),
}

/// Validated filters. Dates are Asia/Shanghai calendar days on `received_at`, both inclusive.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sector: Option<Sector>,
    pub obstacle: Option<String>,
    pub company: Option<CompanyFilter>,
    pub province: Option<String>,
    pub status: Option<Status>,
}

impl Filters {
    /// First instant of `from` in Asia/Shanghai, in UTC.
    pub fn received_from(&self) -> Option<DateTime<Utc>> {
        self.from.and_then(shanghai_midnight)
    }

    /// First instant after `to` in Asia/Shanghai, in UTC (exclusive bound).
    pub fn received_before(&self) -> Option<DateTime<Utc>> {
        self.to
            .and_then(|d| d.succ_opt())
            .and_then(shanghai_midnight)
    }
}

fn shanghai_midnight(d: NaiveDate) -> Option<DateTime<Utc>> {
    crate::domain::format::shanghai()
        .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// What to export: tier and filters, plus the parameters as given (for the audit log).
#[derive(Debug, Clone)]
pub struct ExportSpec {
    pub tier: Tier,
    pub filters: Filters,
    /// Header names of CSV and XLSX (NDJSON keys are always the column names).
    pub headers: Headers,
    /// Non-empty parameters as the caller gave them, tier included.
    pub given: Vec<(String, String)>,
}

impl ExportSpec {
    /// The filters for the audit log and the data dictionary (no personal data: codes, dates and
    /// a company name).
    pub fn filters_json(&self) -> Value {
        let map: serde_json::Map<String, Value> = self
            .given
            .iter()
            .filter(|(k, _)| k != "tier" && k != "headers")
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        Value::Object(map)
    }
}

#[cfg(test)]
mod tests;
