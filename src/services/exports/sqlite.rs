//! The SQLite read path of exports, through rusqlite on a blocking thread: the same chunk
//! statement as [`query`](crate::services::exports::query), but rows are read straight from
//! SQLite's buffers instead of being copied value by value into owned rows and sent one by one
//! across threads (sqlx's SQLite driver). That per-row hand-off cost more than everything else
//! an export does; without it a full export runs near the speed of the `sqlite3` shell.
//!
//! The connection is opened read-only on the database file; each chunk is one statement (one
//! read snapshot), like the pooled path. Records are handed to a callback on the same thread,
//! which encodes them and blocks on the bounded body channel, so back-pressure and memory
//! bounds are unchanged.
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, Row};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Value};

use crate::services::exports::query::{effective_obstacles, split_list, utc, Taxonomy, CHUNK_ROWS};
use crate::services::exports::Record;

/// The file behind a SQLite connection, if it is one (not in-memory) and exists.
pub fn database_file(db: &DatabaseConnection) -> Option<PathBuf> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return None;
    }
    let options = db.get_sqlite_connection_pool().connect_options();
    let path = options.get_filename();
    (path.as_os_str() != ":memory:" && path.is_file()).then(|| path.to_path_buf())
}

fn err(e: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("export read: {e}"))
}

/// Reads every matching complaint in id order (keyset chunks of [`CHUNK_ROWS`]) and hands each
/// record to `each` on this thread; `sql` has `?` placeholders: the last id, then `filters`.
/// Stops early, returning `Ok(false)`, when `each` returns false (the receiver went away).
pub(crate) fn read_each<F>(
    path: &Path,
    sql: &str,
    filters: &[Value],
    taxonomy: &Taxonomy,
    mut each: F,
) -> Result<bool, DbErr>
where
    F: FnMut(Record) -> bool,
{
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(err)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(err)?;
    let mut params: Vec<rusqlite::types::Value> = vec![rusqlite::types::Value::Integer(0)];
    for v in filters {
        params.push(
            crate::store::sqlite_load::to_sqlite(v.clone())
                .map_err(|v| err(format!("unsupported filter value {v:?}")))?,
        );
    }
    let mut last_id = 0i64;
    loop {
        params[0] = rusqlite::types::Value::Integer(last_id);
        let mut statement = conn.prepare_cached(sql).map_err(err)?;
        let mut rows = statement
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(err)?;
        let mut in_chunk = 0usize;
        while let Some(row) = rows.next().map_err(err)? {
            let (id, record) = decode(row, taxonomy)?;
            last_id = id;
            in_chunk += 1;
            if !each(record) {
                return Ok(false);
            }
        }
        if in_chunk < CHUNK_ROWS {
            return Ok(true);
        }
    }
}

fn text(row: &Row, i: usize) -> Result<Option<String>, DbErr> {
    Ok(match row.get_ref(i).map_err(err)? {
        ValueRef::Null => None,
        ValueRef::Text(b) | ValueRef::Blob(b) => {
            Some(std::str::from_utf8(b).map_err(err)?.to_owned())
        }
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
    })
}

fn required(row: &Row, i: usize) -> Result<String, DbErr> {
    Ok(text(row, i)?.unwrap_or_default())
}

fn int(row: &Row, i: usize) -> Result<Option<i64>, DbErr> {
    Ok(match row.get_ref(i).map_err(err)? {
        ValueRef::Integer(n) => Some(n),
        ValueRef::Null => None,
        ValueRef::Real(f) => Some(f as i64),
        ValueRef::Text(b) => std::str::from_utf8(b)
            .ok()
            .and_then(|s| s.trim().parse().ok()),
        ValueRef::Blob(_) => None,
    })
}

fn boolean(row: &Row, i: usize) -> Result<Option<bool>, DbErr> {
    Ok(int(row, i)?.map(|n| n != 0))
}

/// A stored timestamp (RFC 3339 text as sqlx writes it).
fn timestamp(row: &Row, i: usize) -> Result<Option<DateTime<Utc>>, DbErr> {
    match row.get_ref(i).map_err(err)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(b) => {
            let s = std::str::from_utf8(b).map_err(err)?;
            DateTime::parse_from_rfc3339(s)
                .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z"))
                .map(|t| Some(t.with_timezone(&Utc)))
                .map_err(|e| err(format!("timestamp {s:?}: {e}")))
        }
        ValueRef::Integer(secs) => Ok(DateTime::from_timestamp(secs, 0)),
        _ => Err(err("timestamp of an unexpected type")),
    }
}

/// `received_at` as exported: stored `2026-11-24T21:56:28.888889592+00:00` becomes
/// `2026-11-24T21:56:28Z` without a round trip through a date type.
fn received_text(stored: &str, parsed: DateTime<Utc>) -> String {
    plain_utc(stored).unwrap_or_else(|| utc(parsed))
}

/// Stored UTC text (`2026-11-24T21:56:28[.fraction]+00:00`) cut to whole seconds with a `Z`;
/// None for any other shape (parse it then).
fn plain_utc(stored: &str) -> Option<String> {
    let b = stored.as_bytes();
    let plain = b.len() >= 25
        && stored.ends_with("+00:00")
        && b[10] == b'T'
        && matches!(b[19], b'.' | b'+');
    plain.then(|| {
        let mut s = String::with_capacity(20);
        s.push_str(&stored[..19]);
        s.push('Z');
        s
    })
}

/// A stored timestamp as exported (`2026-11-24T21:56:28Z`).
fn utc_text(row: &Row, i: usize) -> Result<Option<String>, DbErr> {
    if let ValueRef::Text(b) = row.get_ref(i).map_err(err)? {
        if let Some(s) = plain_utc(std::str::from_utf8(b).map_err(err)?) {
            return Ok(Some(s));
        }
    }
    Ok(timestamp(row, i)?.map(utc))
}

/// A stored day (`YYYY-MM-DD` text) as exported.
fn day_text(row: &Row, i: usize) -> Result<Option<String>, DbErr> {
    Ok(match row.get_ref(i).map_err(err)? {
        ValueRef::Text(b) => {
            let s = std::str::from_utf8(b).map_err(err)?;
            Some(s.get(..10).unwrap_or(s).to_owned())
        }
        ValueRef::Null => None,
        _ => text(row, i)?,
    })
}

/// Same columns as the pooled path's `decode` (see `query::chunk_sql`).
fn decode(row: &Row, taxonomy: &Taxonomy) -> Result<(i64, Record), DbErr> {
    let id = int(row, 0)?.ok_or_else(|| err("complaint without id"))?;
    let received = timestamp(row, 2)?.ok_or_else(|| err("complaint without received_at"))?;
    let received_at = match row.get_ref(2).map_err(err)? {
        ValueRef::Text(b) => received_text(std::str::from_utf8(b).map_err(err)?, received),
        _ => utc(received),
    };
    let closed = timestamp(row, 16)?;
    let shanghai = crate::domain::format::shanghai();
    let days_to_close = closed.map(|c| {
        (c.with_timezone(&shanghai).date_naive() - received.with_timezone(&shanghai).date_naive())
            .num_days()
    });
    let first_attempt_on = day_text(row, 15)?;
    let links = required(row, 32)?;
    let (obstacle_codes, rights_implicated) = effective_obstacles(&links, taxonomy);
    let mut case_group: Vec<String> = required(row, 34)?
        .split('\u{1f}')
        .filter(|g| !g.is_empty())
        .map(|g| g.replace(';', ","))
        .collect();
    case_group.sort();
    let record = Record {
        complaint_id: required(row, 1)?,
        received_at,
        sector: required(row, 3)?,
        company_name: required(row, 4)?,
        company_credit_code: text(row, 5)?,
        service_name: text(row, 6)?,
        requested_action: required(row, 7)?,
        plan_from: text(row, 8)?,
        price_from: int(row, 9)?,
        plan_to: text(row, 10)?,
        price_to: int(row, 11)?,
        billing_cycle: text(row, 12)?,
        channels_tried: split_list(&required(row, 13)?),
        contact_attempts: int(row, 14)?,
        first_attempt_on,
        days_to_close,
        obstacle_codes,
        primary_obstacle: text(row, 17)?,
        rights_implicated,
        taxonomy_version: required(row, 18)?,
        outcome: text(row, 19)?,
        status: required(row, 20)?,
        company_response: text(row, 21)?,
        response_timely: boolean(row, 22)?,
        province: text(row, 23)?,
        submitted_via: required(row, 24)?,
        consent_share_narrative: boolean(row, 25)?.unwrap_or(false),
        narrative: text(row, 26)?,
        evidence_count: int(row, 33)?.unwrap_or(0),
        case_group,
        duplicate_of: text(row, 27)?,
        tags: split_list(&required(row, 28)?),
        forwarded_at: utc_text(row, 35)?,
        response_due_on: day_text(row, 36)?,
        responded_at: utc_text(row, 37)?,
        response_category: text(row, 38)?,
        consumer_feedback: text(row, 39)?,
        consumer_disputed: boolean(row, 40)?.unwrap_or(false),
        priority_lane: boolean(row, 41)?.unwrap_or(false),
        referred_to: text(row, 42)?,
        referred_at: utc_text(row, 43)?,
        contact_name: text(row, 29)?,
        contact_email: text(row, 30)?,
        contact_phone: text(row, 31)?,
    };
    Ok((id, record))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_timestamps_become_utc_seconds() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let s = "2026-11-24T21:56:28.888889592+00:00";
        assert_eq!(received_text(s, t(s)), "2026-11-24T21:56:28Z");
        let s = "2026-11-24T21:56:28+00:00";
        assert_eq!(received_text(s, t(s)), "2026-11-24T21:56:28Z");
        let s = "2026-11-25T05:56:28+08:00";
        assert_eq!(received_text(s, t(s)), "2026-11-24T21:56:28Z");
    }
}
