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
pub mod query;
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

/// The contract's export columns, in order (CSV header order; the same keys in NDJSON and XLSX).
pub const COLUMNS: [&str; 32] = [
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
];

/// Appended after [`COLUMNS`] in the `staff` tier only.
pub const CONTACT_COLUMNS: [&str; 3] = ["contact_name", "contact_email", "contact_phone"];

/// Statuses that never leave the association at the regulator tier: `held` is unverified and
/// possibly spam, `rejected` is spam or out of scope.
pub const REGULATOR_EXCLUDED: [Status; 2] = [Status::Held, Status::Rejected];

/// Query parameters (and CLI flags) an export understands.
pub const PARAMS: [&str; 8] = [
    "from", "to", "sector", "obstacle", "company", "province", "status", "tier",
];

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
            .filter(|(k, _)| k != "tier")
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        Value::Object(map)
    }
}

/// One input problem: parameter, catalogue key and `{name}` arguments (localised by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

fn problem(field: &str, key: &'static str, args: Vec<(&'static str, String)>) -> Problem {
    Problem {
        field: field.to_string(),
        key,
        args,
    }
}

/// Parses export parameters (query string pairs or CLI flags). Empty values count as absent
/// (forms submit empty selects); unknown or repeated parameters are refused rather than ignored,
/// since a mistyped filter would silently export more than intended. `lang` is tolerated: it
/// picks the language of messages. Every problem is reported, not just the first.
pub async fn parse(
    db: &DatabaseConnection,
    reference: &Reference,
    pairs: &[(String, String)],
) -> Result<ExportSpec, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut given: Vec<(String, String)> = Vec::new();
    for (k, v) in pairs {
        let v = v.trim();
        if k == "lang" {
            continue;
        }
        if !PARAMS.contains(&k.as_str()) {
            problems.push(problem(
                k,
                "exports.errors.unknown_param",
                vec![("allowed", PARAMS.join(", "))],
            ));
            continue;
        }
        if v.is_empty() {
            continue;
        }
        // PostgreSQL cannot even compare text holding NUL; no filter value has control characters.
        if v.chars().any(char::is_control) {
            problems.push(problem(k, "errors.control_chars", vec![]));
            continue;
        }
        if given.iter().any(|(g, _)| g == k) {
            problems.push(problem(k, "exports.errors.repeated", vec![]));
            continue;
        }
        given.push((k.clone(), v.to_string()));
    }
    let get = |name: &str| {
        given
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };

    let tier = match get("tier") {
        None => Tier::Regulator,
        Some(t) => match Tier::parse(t) {
            Some(Tier::Public) => {
                problems.push(problem("tier", "exports.errors.public_tier", vec![]));
                Tier::Public
            }
            Some(t) => t,
            None => {
                problems.push(problem("tier", "exports.errors.tier", vec![]));
                Tier::Regulator
            }
        },
    };
    let mut filters = Filters::default();
    for (field, slot) in [("from", &mut filters.from), ("to", &mut filters.to)] {
        if let Some(v) = get(field) {
            match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                Ok(d) => *slot = Some(d),
                Err(_) => problems.push(problem(field, "exports.errors.date", vec![])),
            }
        }
    }
    if let (Some(f), Some(t)) = (filters.from, filters.to) {
        if f > t {
            problems.push(problem("to", "exports.errors.range", vec![]));
        }
    }
    if let Some(v) = get("sector") {
        match Sector::parse(v) {
            Some(s) => filters.sector = Some(s),
            None => problems.push(problem(
                "sector",
                "exports.errors.sector",
                vec![("allowed", Sector::codes().join(", "))],
            )),
        }
    }
    if let Some(v) = get("obstacle") {
        if reference.obstacles.iter().any(|o| o.code == v) {
            filters.obstacle = Some(v.to_string());
        } else {
            problems.push(problem("obstacle", "exports.errors.obstacle", vec![]));
        }
    }
    if let Some(v) = get("province") {
        if reference.is_province(v) {
            filters.province = Some(v.to_string());
        } else {
            problems.push(problem("province", "exports.errors.province", vec![]));
        }
    }
    if let Some(v) = get("status") {
        match Status::parse(v) {
            Some(s) if tier != Tier::Staff && REGULATOR_EXCLUDED.contains(&s) => {
                problems.push(problem(
                    "status",
                    "exports.errors.status_tier",
                    vec![("status", s.code().to_string())],
                ))
            }
            Some(s) => filters.status = Some(s),
            None => problems.push(problem(
                "status",
                "exports.errors.status",
                vec![("allowed", Status::codes().join(", "))],
            )),
        }
    }
    if let Some(v) = get("company") {
        if v.chars().count() > 200 {
            problems.push(problem("company", "exports.errors.company", vec![]));
        } else {
            match crate::services::companies::resolve(db, v).await {
                Ok(Some(c)) => filters.company = Some(CompanyFilter::Id(c.id)),
                Ok(None) => filters.company = Some(CompanyFilter::FiledName(v.to_string())),
                Err(e) => {
                    tracing::error!(error = %e, "company lookup for an export failed");
                    problems.push(problem("company", "exports.errors.lookup", vec![]));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(ExportSpec {
            tier,
            filters,
            given,
        })
    } else {
        Err(problems)
    }
}

/// One complaint as exported, before the tier is applied to its free text.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub complaint_id: String,
    /// RFC 3339 in UTC, whole seconds (`2026-10-31T08:15:00Z`).
    pub received_at: String,
    pub sector: String,
    pub company_name: String,
    pub company_credit_code: Option<String>,
    pub service_name: Option<String>,
    pub requested_action: String,
    pub plan_from: Option<String>,
    /// Fen.
    pub price_from: Option<i64>,
    pub plan_to: Option<String>,
    pub price_to: Option<i64>,
    pub billing_cycle: Option<String>,
    pub channels_tried: Vec<String>,
    pub contact_attempts: Option<i64>,
    pub first_attempt_on: Option<String>,
    pub days_to_close: Option<i64>,
    pub obstacle_codes: Vec<String>,
    pub primary_obstacle: Option<String>,
    pub rights_implicated: Vec<String>,
    pub taxonomy_version: String,
    pub outcome: Option<String>,
    pub status: String,
    pub company_response: Option<String>,
    pub response_timely: Option<bool>,
    pub province: Option<String>,
    pub submitted_via: String,
    pub consent_share_narrative: bool,
    pub narrative: Option<String>,
    pub evidence_count: i64,
    pub case_group: Vec<String>,
    pub duplicate_of: Option<String>,
    pub tags: Vec<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

/// One cell, typed so each format can write it its own way.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Null,
    Text(&'a str),
    Int(i64),
    /// Fen, written as a decimal yuan string (`59.00`), or a number in XLSX.
    Money(i64),
    Bool(bool),
    /// Multi-valued: `;`-joined in CSV and XLSX, an array in NDJSON.
    List(&'a [String]),
}

fn text(v: &Option<String>) -> Cell<'_> {
    v.as_deref().map_or(Cell::Null, Cell::Text)
}

impl Record {
    /// Applies the privacy tier to the free text: regulators get the narrative only where the
    /// consumer consented, scrubbed of personal data (the contact name counts as a known name),
    /// and the company's response scrubbed too (companies quote names and numbers back);
    /// contact fields are dropped. Staff get everything.
    pub fn apply_tier(&mut self, tier: Tier) {
        if tier == Tier::Staff {
            return;
        }
        let name = self.contact_name.take();
        let names: Vec<&str> = name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .into_iter()
            .collect();
        self.narrative = match (self.consent_share_narrative, self.narrative.take()) {
            (true, Some(n)) => Some(scrub(&n, &names)),
            _ => None,
        };
        if let Some(r) = self.company_response.take() {
            self.company_response = Some(scrub(&r, &names));
        }
        self.contact_email = None;
        self.contact_phone = None;
    }

    /// The cells of this record in column order (`tier` decides the contact columns).
    pub fn cells<'a>(&'a self, tier: Tier, out: &mut Vec<Cell<'a>>) {
        out.clear();
        out.extend([
            Cell::Text(&self.complaint_id),
            Cell::Text(&self.received_at),
            Cell::Text(&self.sector),
            Cell::Text(&self.company_name),
            text(&self.company_credit_code),
            text(&self.service_name),
            Cell::Text(&self.requested_action),
            text(&self.plan_from),
            self.price_from.map_or(Cell::Null, Cell::Money),
            text(&self.plan_to),
            self.price_to.map_or(Cell::Null, Cell::Money),
            text(&self.billing_cycle),
            Cell::List(&self.channels_tried),
            self.contact_attempts.map_or(Cell::Null, Cell::Int),
            text(&self.first_attempt_on),
            self.days_to_close.map_or(Cell::Null, Cell::Int),
            Cell::List(&self.obstacle_codes),
            text(&self.primary_obstacle),
            Cell::List(&self.rights_implicated),
            Cell::Text(&self.taxonomy_version),
            text(&self.outcome),
            Cell::Text(&self.status),
            text(&self.company_response),
            self.response_timely.map_or(Cell::Null, Cell::Bool),
            text(&self.province),
            Cell::Text(&self.submitted_via),
            Cell::Bool(self.consent_share_narrative),
            text(&self.narrative),
            Cell::Int(self.evidence_count),
            Cell::List(&self.case_group),
            text(&self.duplicate_of),
            Cell::List(&self.tags),
        ]);
        if tier == Tier::Staff {
            out.extend([
                text(&self.contact_name),
                text(&self.contact_email),
                text(&self.contact_phone),
            ]);
        }
    }
}

/// Everything the pipeline needs; cheap to clone into tasks.
#[derive(Clone)]
pub struct ExportCtx {
    pub db: DatabaseConnection,
    pub reference: Arc<Reference>,
    pub spec: Arc<ExportSpec>,
    /// Rows written so far are added here (hidden for HTTP, a bar for the CLI).
    pub progress: indicatif::ProgressBar,
}

/// How an export ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub rows: u64,
    /// False when the receiver went away before the last row (client disconnected).
    pub complete: bool,
}

/// Records per message between the reader and the XLSX writer.
const BATCH_ROWS: usize = 256;
/// Batches in flight between the reader and the XLSX writer.
const BATCHES_IN_FLIGHT: usize = 4;

/// Starts the reader on a blocking thread; its batches arrive on the returned channel. The
/// reader ends early when the receiver is dropped (and then returns an error).
pub(crate) fn spawn_reader(
    ctx: &ExportCtx,
) -> (
    mpsc::Receiver<Vec<Record>>,
    tokio::task::JoinHandle<Result<(), sea_orm::DbErr>>,
) {
    let (tx, rx) = mpsc::channel(BATCHES_IN_FLIGHT);
    let ctx = ctx.clone();
    let handle = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        let mut each = |record: Record| {
            batch.push(record);
            batch.len() < BATCH_ROWS
                || tx
                    .blocking_send(std::mem::replace(
                        &mut batch,
                        Vec::with_capacity(BATCH_ROWS),
                    ))
                    .is_ok()
        };
        let complete = query::read_each(&ctx, &mut each)?;
        if complete && (batch.is_empty() || tx.blocking_send(batch).is_ok()) {
            Ok(())
        } else {
            Err(sea_orm::DbErr::Custom("export receiver closed".into()))
        }
    });
    (rx, handle)
}

/// Runs a CSV or NDJSON export, handing encoded chunks (about 64 KiB each) to `sink`, which
/// returns false to stop (the receiver went away). The first chunk, BOM and header, is handed
/// over before any row is read. One blocking thread reads, applies the tier and encodes each
/// row (so no row crosses threads); `sink` may block, which is the back-pressure.
pub async fn run_bytes<S>(ctx: &ExportCtx, format: Format, sink: S) -> anyhow::Result<Outcome>
where
    S: FnMut(Vec<u8>) -> bool + Send + 'static,
{
    anyhow::ensure!(format != Format::Xlsx, "XLSX is written by run_xlsx");
    let ctx = ctx.clone();
    tokio::task::spawn_blocking(move || {
        let tier = ctx.spec.tier;
        let mut writer =
            crate::services::exports::format::RowWriter::new(format, tier, sink, &ctx.progress)?;
        if !writer.header() {
            return Ok(writer.outcome(false));
        }
        let complete = query::read_each(&ctx, |record| writer.push(record))?;
        Ok(writer.finish(complete))
    })
    .await?
}

/// Runs an XLSX export into `file` (which must be seekable: the ZIP directory is written last).
pub async fn run_xlsx<L>(
    ctx: &ExportCtx,
    i18n: L,
    file: std::fs::File,
) -> anyhow::Result<(Outcome, std::fs::File)>
where
    L: std::ops::Deref<Target = crate::i18n::I18n> + Send + 'static,
{
    let (rx, reader) = spawn_reader(ctx);
    let c = ctx.clone();
    let writer = tokio::task::spawn_blocking(move || {
        crate::services::exports::xlsx::write(&c, &i18n, rx, file)
    });
    let (outcome, file) = writer.await??;
    Ok((finish(reader, outcome).await?, file))
}

async fn finish(
    reader: tokio::task::JoinHandle<Result<(), sea_orm::DbErr>>,
    outcome: Outcome,
) -> anyhow::Result<Outcome> {
    match reader.await? {
        Ok(()) => Ok(outcome),
        // The encoder stopped first (client gone): the reader's send failed, not the database.
        Err(_) if !outcome.complete => Ok(outcome),
        Err(e) => Err(e.into()),
    }
}

/// How many complaints the export will contain (for the CLI's progress bar).
pub async fn count(ctx: &ExportCtx) -> Result<u64, sea_orm::DbErr> {
    query::count(ctx).await
}

/// Audit row written before the first byte leaves: who, tier, format and filters. `export_id`
/// links it to the [`audit_finished`] row.
pub async fn audit_started(
    db: &DatabaseConnection,
    actor: &Actor,
    export_id: &str,
    spec: &ExportSpec,
    format: Format,
) -> Result<(), sea_orm::DbErr> {
    let detail = json!({ "tier": spec.tier.code(), "format": format.code(), "filters": spec.filters_json() });
    audit::record(
        db,
        actor,
        "export",
        Some(("export", export_id.to_string())),
        Some(detail),
    )
    .await
}

/// Audit row written when an export ended: the row count and whether it was complete.
pub async fn audit_finished(
    db: &DatabaseConnection,
    actor: &Actor,
    export_id: &str,
    spec: &ExportSpec,
    format: Format,
    outcome: Result<Outcome, &str>,
) -> Result<(), sea_orm::DbErr> {
    let detail = match outcome {
        Ok(o) => {
            json!({ "tier": spec.tier.code(), "format": format.code(), "filters": spec.filters_json(),
                         "rows": o.rows, "complete": o.complete })
        }
        Err(why) => {
            json!({ "tier": spec.tier.code(), "format": format.code(), "filters": spec.filters_json(),
                            "complete": false, "error": why })
        }
    };
    audit::record(
        db,
        actor,
        "export_finished",
        Some(("export", export_id.to_string())),
        Some(detail),
    )
    .await
}

/// A new export id for the audit rows.
pub fn new_export_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// `complaints-regulator-20261031.csv`.
pub fn file_name(tier: Tier, format: Format) -> String {
    format!(
        "complaints-{}-{}.{}",
        tier.code(),
        crate::domain::format::today().format("%Y%m%d"),
        format.code()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_staff_tier_appends_contact_columns_after_the_contract_columns() {
        assert_eq!(Tier::Regulator.columns().len(), 32);
        let staff = Tier::Staff.columns();
        assert_eq!(&staff[..32], &COLUMNS[..]);
        assert_eq!(&staff[32..], &CONTACT_COLUMNS[..]);
    }

    #[test]
    fn day_filters_are_shanghai_days() {
        let f = Filters {
            from: NaiveDate::from_ymd_opt(2026, 10, 1),
            to: NaiveDate::from_ymd_opt(2026, 10, 31),
            ..Default::default()
        };
        assert_eq!(
            f.received_from().map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-09-30T16:00:00+00:00")
        );
        assert_eq!(
            f.received_before().map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-10-31T16:00:00+00:00")
        );
    }

    #[test]
    fn regulators_never_get_contact_data_or_unconsented_narratives() {
        let mut r = Record {
            narrative: Some("我叫张三，电话13800138000".into()),
            contact_name: Some("张三".into()),
            contact_email: Some("a@b.cn".into()),
            contact_phone: Some("13800138000".into()),
            consent_share_narrative: false,
            ..Default::default()
        };
        let mut consented = r.clone();
        r.apply_tier(Tier::Regulator);
        assert!(
            r.narrative.is_none()
                && r.contact_name.is_none()
                && r.contact_email.is_none()
                && r.contact_phone.is_none()
        );
        consented.consent_share_narrative = true;
        consented.apply_tier(Tier::Regulator);
        let n = consented.narrative.unwrap_or_default();
        assert!(!n.contains("13800138000") && !n.contains("张三"), "{n}");
    }
}
