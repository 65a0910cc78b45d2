//! `seed-demo`: the four reference cases of cases.md plus any number of synthetic complaints that
//! look like two years of real intake (skewed companies, provinces and obstacles, statuses that
//! fit their age, status histories with working-day timestamps).
//!
//! Speed matters (a million rows is a supported demo size), so synthetic rows are generated with
//! a `SmallRng` on a blocking thread, a batch ahead of the database, oldest first so ids follow
//! `received_at`; ids are allocated here (MAX(id) + 1 …, PostgreSQL sequences bumped after every
//! batch) and rows go in a few thousand complaints per transaction: on SQLite through one
//! prepared statement per table on a connection of the loader's own
//! ([`sqlite_load`](crate::store::sqlite_load)), on PostgreSQL with `COPY`
//! ([`pg_copy`](crate::store::pg_copy)): there the complaints of all batches go first and
//! their obstacle links and status histories, spooled to a temporary file, after them, while
//! the search index is being built (a run that dies in between leaves its complaints without
//! those rows).
//! Run it while the server is not taking complaints: the explicit ids assume a single writer.
//!
//! Re-running is safe: companies are matched by `name_norm`, reference cases by their fixed
//! tracking codes ([`REFERENCE_CODES`]), and synthetic tracking codes are checked against the
//! table before each batch.
mod clauses;
mod codes;
mod companies;
mod generator;
mod load;
mod reference;
mod remedies;
mod synthetic;
pub mod text;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, QueryFilter, QuerySelect, Set, Statement, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::domain::credit_code::make_credit_code;
use crate::domain::triage::{suggest, CompiledCues, SuggestInput};
use crate::domain::workdays::{Calendar, DayKind};
use crate::domain::{normalize_name, Channel, Sector, Status, TrackingCode};
use crate::entities::{
    company, company_alias, complaint, complaint_obstacle, holiday, obstacle, status_history,
};
use crate::store::pg_copy::{encode, Encoded, Spool};
use companies::{ensure_companies, max_id, Listed};
use generator::{Batch, Generator, Ids};
use load::{copy_spooled, load_postgres, load_sqlite};
use reference::insert_reference_cases;
use text::{DemoCompany, REFERENCE_CASES};

/// Fixed tracking codes of the four reference cases (valid codes, so `/track/DW-REFA-CASE`
/// works in demos): cases.md 1 telecom, 2 video, 3 office software, 4 cloud storage.
pub const REFERENCE_CODES: [&str; 4] = [
    "DW-REFA-CASE",
    "DW-REFB-CASE",
    "DW-REFC-CASE",
    "DW-REFD-CASE",
];

/// What one `seed-demo` run added.
#[derive(Debug, Clone)]
pub struct SeedReport {
    /// Reference cases inserted by this run (0 when they were already there).
    pub reference_cases: usize,
    /// Synthetic complaints inserted.
    pub synthetic: u64,
    /// Demo companies inserted by this run (0 when the directory already had them).
    pub companies: usize,
    pub elapsed: std::time::Duration,
}

/// Complaints per transaction.
const BATCH: u64 = 4_000;
/// From this many rows on, a bulk load drops and rebuilds the secondary indexes.
const BULK_INDEX_MIN: u64 = 10_000;
/// PostgreSQL: batches loaded at once, each on its own connection (one per core would be
/// more than a 2-core machine can feed; two keep the server busy while the next is encoded).
const PG_LOADERS: usize = 2;
/// Who the demo says did the staff steps.
const ACTOR: &str = "demo";

/// Inserts the reference cases (once) plus `count` synthetic complaints.
pub async fn seed_demo(
    db: &crate::store::db::Db,
    cues: &CompiledCues,
    count: u64,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<SeedReport> {
    let started = Instant::now();
    let conn = &db.write;
    let (directory, companies) = ensure_companies(conn)
        .await
        .context("seeding demo companies")?;
    let holidays = holiday::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|h| {
            let kind = if h.kind == "workday" {
                DayKind::Workday
            } else {
                DayKind::Holiday
            };
            (h.day, kind)
        });
    let calendar = Calendar::new(holidays);
    let clocks = crate::store::settings::lane_clocks(conn).await?;
    let reference_cases = insert_reference_cases(conn, cues, &directory, &calendar, clocks)
        .await
        .context("seeding reference cases")?;
    if count > 0 {
        insert_synthetic(conn, directory.clone(), calendar, count, progress)
            .await
            .context("seeding synthetic complaints")?;
    }
    // After the complaints, so the campaign's backfill tags the synthetic ones of its dates too.
    remedies::ensure_campaign(conn)
        .await
        .context("seeding the demo campaign")?;
    remedies::ensure_referral(conn)
        .await
        .context("seeding the demo referral")?;
    // After the complaints, so new demo clauses are cited by some of them.
    clauses::ensure_clauses(conn, &directory)
        .await
        .context("seeding demo clauses")?;
    Ok(SeedReport {
        reference_cases,
        synthetic: count,
        companies,
        elapsed: started.elapsed(),
    })
}

async fn insert_synthetic(
    conn: &DatabaseConnection,
    directory: Vec<Listed>,
    calendar: Calendar,
    count: u64,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<()> {
    let known: HashSet<String> = obstacle::Entity::find()
        .select_only()
        .column(obstacle::Column::Code)
        .into_tuple::<String>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let mut gen = Generator::new(directory, &known, calendar, Utc::now());
    gen.clocks = crate::store::settings::lane_clocks(conn).await?;
    let ids_start = max_id(conn, "complaints").await? + 1;
    let mut ids = Ids {
        complaint: ids_start,
        link: max_id(conn, "complaint_obstacles").await? + 1,
        history: max_id(conn, "status_history").await? + 1,
    };
    // SQLite: a larger page cache while the rollups and indexes are rebuilt at the end; rows
    // go in through a rusqlite connection of the loader's own on the file.
    let sqlite_cache = match conn.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let sql = Statement::from_string(DatabaseBackend::Sqlite, "PRAGMA cache_size");
            let row = conn.query_one(sql).await?;
            let previous = row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?;
            conn.execute_unprepared("PRAGMA cache_size = -65536")
                .await?;
            previous
        }
        _ => None,
    };
    let sqlite_file = match conn.get_database_backend() {
        DatabaseBackend::Sqlite => Some(
            crate::services::exports::sqlite::database_file(conn)
                .context("seeding SQLite needs a database file (not an in-memory database)")?,
        ),
        _ => None,
    };
    // Generation runs on a blocking thread, a batch or two ahead of the inserts. If an insert
    // fails, dropping the receiver stops it.
    let (tx, rx) = tokio::sync::mpsc::channel::<Batch>(2);
    let producer = tokio::task::spawn_blocking(move || {
        let mut done = 0;
        while done < count {
            let n = (count - done).min(BATCH);
            if tx
                .blocking_send(gen.batch(&mut ids, done..done + n, count))
                .is_err()
            {
                break;
            }
            done += n;
        }
    });
    // Bulk mode: the per-row rollup and search-index triggers are off while rows go in; the
    // rollups are recounted and the new rows indexed once at the end (also after a failure, so
    // the rows already committed are counted and searchable).
    let first_id = ids_start;
    // A load at least as large as what is there already rebuilds the secondary indexes
    // afterwards instead of updating them row by row.
    let existing = (ids_start - 1).max(0) as u64;
    let drop_indexes = count >= BULK_INDEX_MIN && count >= existing;
    crate::store::rollup::suspend_for_bulk(conn, drop_indexes).await?;
    let (loaded, spools): (anyhow::Result<()>, _) = match sqlite_file {
        Some(path) => {
            let progress = progress.clone();
            let loaded = tokio::task::spawn_blocking(move || load_sqlite(&path, rx, &progress))
                .await
                .context("the SQLite loader stopped");
            (loaded.and_then(|r| r), None)
        }
        None => {
            let mut spools = [Spool::new()?, Spool::new()?];
            let loaded = load_postgres(conn, rx, progress, &mut spools).await;
            (loaded, Some(spools))
        }
    };
    progress.set_message("rebuilding rollups and the search index");
    // PostgreSQL: the child rows of every batch whose complaints went in, sent while the
    // search index is built over the complaints.
    let rest = async {
        match spools {
            Some(spools) => copy_spooled(conn, progress, spools).await,
            None => Ok(()),
        }
    };
    let resumed = crate::store::rollup::resume_after_bulk(conn, first_id, rest).await;
    if let Some(previous) = sqlite_cache {
        conn.execute_unprepared(&format!("PRAGMA cache_size = {previous}"))
            .await?;
    }
    loaded?;
    resumed?;
    producer.await?;
    progress.set_message("refreshing planner statistics");
    crate::store::db::refresh_statistics(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests;
