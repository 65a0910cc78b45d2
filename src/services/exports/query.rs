//! Reading export records: keyset chunks over `complaints` ordered by id, each one statement.
//! Obstacle links, evidence counts and case-group names come from correlated sub-queries that
//! the database answers from its indexes, so a chunk costs one round trip whatever its size and
//! no per-row query is ever sent. Rows are streamed out of each chunk's cursor (never collected)
//! and handed, one by one on the reading thread, to the encoder, whose output waits on a
//! bounded channel: a slow client stalls the cursor.
//!
//! Chunks (rather than one cursor for the whole export) release the connection and, on SQLite,
//! the read snapshot every few thousand rows, so a long export never pins the WAL file; the
//! price is that an export is not one snapshot (a case changed mid-export shows its state when
//! its chunk was read; no row is skipped or repeated since ids are stable).
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use futures::StreamExt;
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, QueryResult, StreamTrait, Value};

use crate::services::exports::{CompanyFilter, ExportCtx, Record, Tier};
use crate::services::reference::Reference;
use crate::store::sql::stmt;

/// Complaints per statement on SQLite.
pub(crate) const CHUNK_ROWS: usize = 5_000;

/// The order rights are listed in (taxonomy.md); unknown ones follow alphabetically.
const RIGHTS_ORDER: [&str; 3] = ["informed", "choice", "fair"];

/// What the row builder needs from the taxonomy: sort order and rights per code.
pub(crate) struct Taxonomy {
    codes: HashMap<String, (i32, Vec<String>)>,
}

impl Taxonomy {
    pub(crate) fn new(reference: &Reference) -> Taxonomy {
        let codes = reference
            .obstacles
            .iter()
            .map(|o| {
                let rights = o
                    .rights
                    .split([';', ','])
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(str::to_string)
                    .collect();
                (o.code.clone(), (o.sort_order, rights))
            })
            .collect();
        Taxonomy { codes }
    }

    fn order(&self, code: &str) -> i32 {
        self.codes.get(code).map_or(i32::MAX, |c| c.0)
    }
}

/// WHERE conditions for the spec's tier and filters, with `$n` placeholders numbered from
/// `first` in the order they appear (SQLite binds `?` by position).
///
/// On SQLite the filtered columns are written `+c.col`, which keeps the planner off their
/// indexes: a chunk then walks the primary key from the last id and filters as it goes, so a
/// whole export costs one pass over the table, instead of re-reading and sorting every match of
/// an indexed filter for each chunk. (PostgreSQL's planner weighs `ORDER BY id LIMIT` itself.)
fn conditions(ctx: &ExportCtx, first: usize, values: &mut Vec<Value>) -> Vec<String> {
    let c = match ctx.db.get_database_backend() {
        DatabaseBackend::Postgres => "c.",
        _ => "+c.",
    };
    let mut n = first;
    let mut bind = |v: Value, values: &mut Vec<Value>| {
        values.push(v);
        let p = format!("${n}");
        n += 1;
        p
    };
    let mut out = Vec::new();
    if ctx.spec.tier != Tier::Staff {
        let excluded: Vec<String> = crate::services::exports::REGULATOR_EXCLUDED
            .iter()
            .map(|s| format!("'{}'", s.code()))
            .collect();
        out.push(format!("{c}status NOT IN ({})", excluded.join(", ")));
    }
    let f = &ctx.spec.filters;
    if let Some(t) = f.received_from() {
        out.push(format!("{c}received_at >= {}", bind(t.into(), values)));
    }
    if let Some(t) = f.received_before() {
        out.push(format!("{c}received_at < {}", bind(t.into(), values)));
    }
    if let Some(s) = f.sector {
        out.push(format!("{c}sector = {}", bind(s.code().into(), values)));
    }
    if let Some(code) = &f.obstacle {
        // The same rule as the obstacle_codes column: reviewer-confirmed codes when there are
        // any, otherwise the consumer's and the suggested ones.
        out.push(format!(
            "EXISTS (SELECT 1 FROM complaint_obstacles f WHERE f.complaint_id = c.id AND f.obstacle_code = {} \
             AND (f.source = 'reviewer' OR NOT EXISTS (SELECT 1 FROM complaint_obstacles r \
             WHERE r.complaint_id = c.id AND r.source = 'reviewer')))",
            bind(code.clone().into(), values)
        ));
    }
    match &f.company {
        Some(CompanyFilter::Id(id)) => {
            out.push(format!("{c}company_id = {}", bind((*id).into(), values)))
        }
        Some(CompanyFilter::FiledName(name)) => out.push(format!(
            "({c}company_id IS NULL AND {c}company_name = {})",
            bind(name.clone().into(), values)
        )),
        None => {}
    }
    if let Some(p) = &f.province {
        out.push(format!("{c}province = {}", bind(p.clone().into(), values)));
    }
    if let Some(s) = f.status {
        out.push(format!("{c}status = {}", bind(s.code().into(), values)));
    }
    out
}

/// The chunk statement; `$1` is the last id already exported. Column positions are what both
/// decoders (here and in [`sqlite`](crate::services::exports::sqlite)) read; new columns go last.
fn chunk_sql(
    ctx: &ExportCtx,
    backend: DatabaseBackend,
    chunk_rows: usize,
    values: &mut Vec<Value>,
) -> String {
    let agg = |expr: &str, sep: &str| match backend {
        DatabaseBackend::Postgres => format!("string_agg({expr}, {sep})"),
        _ => format!("group_concat({expr}, {sep})"),
    };
    let unit_sep = match backend {
        DatabaseBackend::Postgres => "chr(31)",
        _ => "char(31)",
    };
    // Columns a tier does not show are not even read, except the contact name that the
    // scrubber needs to find in a consented narrative.
    let (narrative, contact) = match ctx.spec.tier {
        Tier::Staff => (
            "c.narrative",
            "c.contact_name, c.contact_email, c.contact_phone",
        ),
        _ => (
            "CASE WHEN c.consent_share_narrative THEN c.narrative END",
            "c.contact_name, CAST(NULL AS TEXT), CAST(NULL AS TEXT)",
        ),
    };
    let mut conds = vec!["c.id > $1".to_string()];
    conds.extend(conditions(ctx, 2, values));
    format!(
        "SELECT c.id, c.tracking_code, c.received_at, c.sector, COALESCE(co.name, c.company_name), co.credit_code, \
         c.service_name, c.requested_action, c.plan_from, c.price_from_fen, c.plan_to, c.price_to_fen, \
         c.billing_cycle, c.channels_tried, c.contact_attempts, c.first_attempt_on, c.closed_at, \
         c.primary_obstacle, c.taxonomy_version, c.outcome, c.status, c.company_response, c.response_timely, \
         c.province, c.submitted_via, c.consent_share_narrative, {narrative}, d.tracking_code, c.tags, {contact}, \
         (SELECT {obstacles} FROM complaint_obstacles o WHERE o.complaint_id = c.id), \
         (SELECT COUNT(*) FROM evidence_files e WHERE e.complaint_id = c.id), \
         (SELECT {groups} FROM case_group_members m JOIN case_groups g ON g.id = m.group_id \
          WHERE m.complaint_id = c.id), \
         c.forwarded_at, c.response_due_on, c.responded_at, c.response_category, c.consumer_feedback, \
         c.consumer_disputed, c.priority_lane, c.referred_to, c.referred_at \
         FROM complaints c \
         LEFT JOIN companies co ON co.id = c.company_id \
         LEFT JOIN complaints d ON d.id = c.duplicate_of \
         WHERE {where_} ORDER BY c.id LIMIT {chunk_rows}",
        obstacles = agg("o.obstacle_code || ':' || o.source", "','"),
        groups = agg("g.name", unit_sep),
        where_ = conds.join(" AND "),
    )
}

/// Number of complaints the export will contain.
pub async fn count(ctx: &ExportCtx) -> Result<u64, DbErr> {
    let backend = ctx.db.get_database_backend();
    let mut values = Vec::new();
    let conds = conditions(ctx, 1, &mut values);
    let where_ = if conds.is_empty() {
        "1 = 1".to_string()
    } else {
        conds.join(" AND ")
    };
    let sql = format!("SELECT COUNT(*) FROM complaints c WHERE {where_}");
    let row = ctx.db.query_one(stmt(backend, &sql, values)).await?;
    Ok(row
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0)
        .max(0) as u64)
}

/// Complaints per statement on PostgreSQL: rows stream out of each statement as they are
/// produced, so a larger chunk only means fewer restarts (and fewer idle gaps on the server).
const PG_CHUNK_ROWS: usize = 20_000;

/// Reads every matching complaint in id order and hands each record to `each`, on the calling
/// thread, which must be a blocking one (`spawn_blocking`): decoding, the tier and encoding
/// then happen where the row was read, with no per-row hand-off between threads. Returns
/// `Ok(false)` when `each` returned false (the receiver went away), `Ok(true)` at the end.
pub(crate) fn read_each<F>(ctx: &ExportCtx, mut each: F) -> Result<bool, DbErr>
where
    F: FnMut(Record) -> bool,
{
    let backend = ctx.db.get_database_backend();
    let taxonomy = Taxonomy::new(&ctx.reference);
    let mut filter_values = Vec::new();
    let chunk_rows = match backend {
        DatabaseBackend::Postgres => PG_CHUNK_ROWS,
        _ => CHUNK_ROWS,
    };
    let sql = chunk_sql(ctx, backend, chunk_rows, &mut filter_values);
    if let Some(path) = crate::services::exports::sqlite::database_file(&ctx.db) {
        let sql = stmt(backend, &sql, vec![]).sql;
        return crate::services::exports::sqlite::read_each(
            &path,
            &sql,
            &filter_values,
            &taxonomy,
            each,
        );
    }
    // The pool's driver is async: poll its row stream from this thread, one row at a time, and
    // call `each` outside the runtime context (it may block on a full channel).
    let handle = tokio::runtime::Handle::current();
    let mut last_id = 0i64;
    loop {
        let mut values: Vec<Value> = vec![last_id.into()];
        values.extend(filter_values.iter().cloned());
        let mut rows = handle.block_on(ctx.db.stream(stmt(backend, &sql, values)))?;
        let mut in_chunk = 0usize;
        while let Some(row) = handle.block_on(rows.next()) {
            let (id, record) = decode(&row?, &taxonomy)?;
            last_id = id;
            in_chunk += 1;
            if !each(record) {
                return Ok(false);
            }
        }
        drop(rows);
        if in_chunk < chunk_rows {
            return Ok(true);
        }
    }
}

/// RFC 3339 in UTC with whole seconds.
pub(crate) fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `YYYY-MM-DD`.
fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split([';', ','])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

fn decode(row: &QueryResult, taxonomy: &Taxonomy) -> Result<(i64, Record), DbErr> {
    let s = |i: usize| row.try_get_by_index::<Option<String>>(i);
    let id: i64 = row.try_get_by_index(0)?;
    let received: DateTime<Utc> = row.try_get_by_index(2)?;
    let closed: Option<DateTime<Utc>> = row.try_get_by_index(16)?;
    let shanghai = crate::domain::format::shanghai();
    let days_to_close = closed.map(|c| {
        (c.with_timezone(&shanghai).date_naive() - received.with_timezone(&shanghai).date_naive())
            .num_days()
    });
    let first_attempt: Option<NaiveDate> = row.try_get_by_index(15)?;
    let links = s(32)?.unwrap_or_default();
    let (obstacle_codes, rights_implicated) = effective_obstacles(&links, taxonomy);
    let mut case_group: Vec<String> = s(34)?
        .unwrap_or_default()
        .split('\u{1f}')
        .filter(|g| !g.is_empty())
        .map(|g| g.replace(';', ","))
        .collect();
    case_group.sort();
    let record = Record {
        complaint_id: row.try_get_by_index(1)?,
        received_at: utc(received),
        sector: row.try_get_by_index(3)?,
        company_name: row.try_get_by_index(4)?,
        company_credit_code: s(5)?,
        service_name: s(6)?,
        requested_action: row.try_get_by_index(7)?,
        plan_from: s(8)?,
        price_from: row.try_get_by_index(9)?,
        plan_to: s(10)?,
        price_to: row.try_get_by_index(11)?,
        billing_cycle: s(12)?,
        channels_tried: split_list(&row.try_get_by_index::<String>(13)?),
        contact_attempts: row.try_get_by_index::<Option<i32>>(14)?.map(i64::from),
        first_attempt_on: first_attempt.map(day),
        days_to_close,
        obstacle_codes,
        primary_obstacle: s(17)?,
        rights_implicated,
        taxonomy_version: row.try_get_by_index(18)?,
        outcome: s(19)?,
        status: row.try_get_by_index(20)?,
        company_response: s(21)?,
        response_timely: row.try_get_by_index(22)?,
        province: s(23)?,
        submitted_via: row.try_get_by_index(24)?,
        consent_share_narrative: row.try_get_by_index(25)?,
        narrative: s(26)?,
        evidence_count: row.try_get_by_index(33)?,
        case_group,
        duplicate_of: s(27)?,
        tags: split_list(&row.try_get_by_index::<String>(28)?),
        forwarded_at: row.try_get_by_index::<Option<DateTime<Utc>>>(35)?.map(utc),
        response_due_on: row.try_get_by_index::<Option<NaiveDate>>(36)?.map(day),
        responded_at: row.try_get_by_index::<Option<DateTime<Utc>>>(37)?.map(utc),
        response_category: s(38)?,
        consumer_feedback: s(39)?,
        consumer_disputed: row.try_get_by_index(40)?,
        priority_lane: row.try_get_by_index(41)?,
        referred_to: s(42)?,
        referred_at: row.try_get_by_index::<Option<DateTime<Utc>>>(43)?.map(utc),
        contact_name: s(29)?,
        contact_email: s(30)?,
        contact_phone: s(31)?,
    };
    Ok((id, record))
}

/// From `CODE:source,…` links: the reviewer-confirmed codes if there are any, else the
/// consumer's and suggested ones, in taxonomy order; and the union of their rights.
pub(crate) fn effective_obstacles(links: &str, taxonomy: &Taxonomy) -> (Vec<String>, Vec<String>) {
    let pairs: Vec<(&str, &str)> = links.split(',').filter_map(|l| l.split_once(':')).collect();
    let reviewed = pairs.iter().any(|(_, src)| *src == "reviewer");
    let mut codes: Vec<String> = pairs
        .iter()
        .filter(|(_, src)| !reviewed || *src == "reviewer")
        .map(|(code, _)| code.to_string())
        .collect();
    codes.sort_by(|a, b| {
        taxonomy
            .order(a)
            .cmp(&taxonomy.order(b))
            .then_with(|| a.cmp(b))
    });
    codes.dedup();
    let mut rights: Vec<String> = Vec::new();
    for code in &codes {
        if let Some((_, rs)) = taxonomy.codes.get(code) {
            for r in rs {
                if !rights.contains(r) {
                    rights.push(r.clone());
                }
            }
        }
    }
    let rank = |r: &str| {
        RIGHTS_ORDER
            .iter()
            .position(|k| *k == r)
            .unwrap_or(RIGHTS_ORDER.len())
    };
    rights.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    (codes, rights)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taxonomy() -> Taxonomy {
        let mut codes = HashMap::new();
        codes.insert(
            "CH-ASYM".to_string(),
            (1, vec!["choice".to_string(), "fair".to_string()]),
        );
        codes.insert(
            "HIDDEN-ENTRY".to_string(),
            (2, vec!["informed".to_string()]),
        );
        codes.insert("RETAIN".to_string(), (11, vec!["choice".to_string()]));
        Taxonomy { codes }
    }

    #[test]
    fn reviewer_codes_replace_consumer_and_suggested_ones() {
        let t = taxonomy();
        let (codes, rights) = effective_obstacles(
            "RETAIN:suggestion,CH-ASYM:consumer,HIDDEN-ENTRY:reviewer",
            &t,
        );
        assert_eq!(codes, ["HIDDEN-ENTRY"]);
        assert_eq!(rights, ["informed"]);
        let (codes, rights) =
            effective_obstacles("RETAIN:suggestion,CH-ASYM:consumer,RETAIN:consumer", &t);
        assert_eq!(codes, ["CH-ASYM", "RETAIN"]);
        assert_eq!(rights, ["choice", "fair"]);
        assert_eq!(effective_obstacles("", &t), (vec![], vec![]));
    }
}
