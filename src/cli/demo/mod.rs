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
    let reference_cases = insert_reference_cases(conn, cues, &directory, &calendar)
        .await
        .context("seeding reference cases")?;
    if count > 0 {
        insert_synthetic(conn, directory, calendar, count, progress)
            .await
            .context("seeding synthetic complaints")?;
    }
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
    Ok(())
}

/// SQLite: loads the generator's batches on a rusqlite connection of its own
/// ([`sqlite_load`](crate::store::sqlite_load)), one transaction per batch, on this
/// blocking thread. Dropping `rx` on return stops the generator.
fn load_sqlite(
    path: &std::path::Path,
    mut rx: tokio::sync::mpsc::Receiver<Batch>,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<()> {
    use crate::store::sqlite_load::insert_all;
    let mut db =
        rusqlite::Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
    db.busy_timeout(std::time::Duration::from_secs(30))?;
    // As the app's connections (`crate::store::db`), with a larger page cache: the tracking-code
    // index is written at random.
    db.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536",
    )?;
    while let Some(mut batch) = rx.blocking_recv() {
        let n = batch.complaints.len();
        let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut lookup =
                tx.prepare_cached("SELECT 1 FROM complaints WHERE tracking_code = ?")?;
            assign_tracking_codes(&mut batch.complaints, new_codes(n, &|_| false), |codes| {
                let mut taken = HashSet::new();
                for code in codes {
                    if lookup.exists([&code])? {
                        taken.insert(code);
                    }
                }
                Ok(taken)
            })?;
        }
        insert_all(&tx, batch.complaints)?;
        insert_all(&tx, batch.links)?;
        insert_all(&tx, batch.history)?;
        tx.commit()?;
        progress.inc(n as u64);
    }
    Ok(())
}

/// PostgreSQL: the complaints of each batch load on [`PG_LOADERS`] connections at once
/// ([`copy_batch`]); their tracking codes are drawn apart from those of the batches still in
/// flight. Their obstacle links and status histories are encoded meanwhile and kept in `spools`
/// (links, history) to be sent after the last complaint ([`copy_spooled`]).
async fn load_postgres(
    conn: &DatabaseConnection,
    mut rx: tokio::sync::mpsc::Receiver<Batch>,
    progress: &indicatif::ProgressBar,
    spools: &mut [Spool; 2],
) -> anyhow::Result<()> {
    let mut inflight = tokio::task::JoinSet::new();
    let mut recent: std::collections::VecDeque<HashSet<String>> = Default::default();
    while let Some(batch) = rx.recv().await {
        let codes = new_codes(batch.complaints.len(), &|c| {
            recent.iter().any(|r| r.contains(c))
        });
        recent.push_back(codes.iter().cloned().collect());
        if recent.len() > PG_LOADERS {
            recent.pop_front();
        }
        let pool = conn.get_postgres_connection_pool().clone();
        inflight.spawn(async move { copy_batch(&pool, batch, codes).await });
        if inflight.len() >= PG_LOADERS {
            let children = inflight.join_next().await.expect("a batch in flight")??;
            let n = children.spool(spools)?;
            loaded_batch(conn, progress, &["complaints"], n).await?;
        }
    }
    while let Some(children) = inflight.join_next().await {
        let n = children??.spool(spools)?;
        loaded_batch(conn, progress, &["complaints"], n).await?;
    }
    Ok(())
}

/// PostgreSQL: sends the spooled obstacle links and status histories, each table with one
/// `COPY` in a transaction of its own, and moves the id sequences past them.
async fn copy_spooled(
    conn: &DatabaseConnection,
    progress: &indicatif::ProgressBar,
    spools: [Spool; 2],
) -> anyhow::Result<()> {
    progress.set_message("loading obstacle links and status histories");
    let pool = conn.get_postgres_connection_pool();
    for spool in spools {
        let mut tx = pool.begin().await?;
        spool.copy_into(&mut tx).await?;
        tx.commit().await?;
    }
    progress.set_message("rebuilding rollups and the search index");
    loaded_batch(
        conn,
        progress,
        &["complaint_obstacles", "status_history"],
        0,
    )
    .await
}

/// A demo company as the generator sees it.
#[derive(Clone, Copy)]
struct Listed {
    id: i64,
    spec: &'static DemoCompany,
}

async fn max_id(conn: &DatabaseConnection, table: &str) -> anyhow::Result<i64> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) AS m FROM {table}");
    let row = conn
        .query_one(Statement::from_string(conn.get_database_backend(), sql))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "m"))
        .transpose()?
        .unwrap_or(0))
}

/// Inserts the demo companies that are missing; returns the whole demo directory with ids and
/// the number inserted.
async fn ensure_companies(conn: &DatabaseConnection) -> anyhow::Result<(Vec<Listed>, usize)> {
    let norms: Vec<String> = text::COMPANIES
        .iter()
        .map(|c| normalize_name(c.name))
        .collect();
    let mut existing: HashMap<String, i64> = company::Entity::find()
        .filter(company::Column::NameNorm.is_in(norms.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.name_norm, c.id))
        .collect();
    let taken_aliases: HashSet<String> = company_alias::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|a| a.alias_norm)
        .collect();
    let taken_codes: HashSet<String> = company::Entity::find()
        .filter(company::Column::CreditCode.is_not_null())
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|c| c.credit_code)
        .collect();
    let now = Utc::now();
    let mut inserted = 0;
    let txn = conn.begin().await?;
    for (spec, norm) in text::COMPANIES.iter().zip(&norms) {
        if existing.contains_key(norm) {
            continue;
        }
        let credit_code = spec
            .has_credit_code
            .then(|| demo_credit_code(spec))
            .flatten()
            .filter(|c| !taken_codes.contains(c));
        let row = company::ActiveModel {
            name: Set(spec.name.to_string()),
            name_norm: Set(norm.clone()),
            sector: Set(Some(spec.sector.code().to_string())),
            credit_code: Set(credit_code),
            contact_email: Set(Some(format!("complaints@{}.example.cn", spec.slug))),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for alias in spec.aliases {
            let alias_norm = normalize_name(alias);
            if taken_aliases.contains(&alias_norm) || existing.contains_key(&alias_norm) {
                continue;
            }
            company_alias::ActiveModel {
                company_id: Set(row.id),
                alias: Set(alias.to_string()),
                alias_norm: Set(alias_norm),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        existing.insert(norm.clone(), row.id);
        inserted += 1;
    }
    txn.commit().await?;
    let listed = text::COMPANIES
        .iter()
        .zip(&norms)
        .filter_map(|(spec, norm)| existing.get(norm).map(|&id| Listed { id, spec }))
        .collect();
    Ok((listed, inserted))
}

/// A stable, well-formed credit code for a demo company: 91 (enterprise) + its division +
/// an `MA…` organisation code with a GB 11714 check digit + the GB 32100 check character.
fn demo_credit_code(spec: &DemoCompany) -> Option<String> {
    // FNV-1a of the slug: the same company gets the same code on every run.
    let seed = spec.slug.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    let mut rng = SmallRng::seed_from_u64(seed);
    const ORG: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut org: Vec<u8> = b"MA".to_vec();
    org.extend((0..6).map(|_| ORG[rng.random_range(0..ORG.len())]));
    let weights = [3u32, 7, 9, 10, 5, 8, 4, 2];
    let value = |c: u8| {
        if c.is_ascii_digit() {
            (c - b'0') as u32
        } else {
            (c - b'A') as u32 + 10
        }
    };
    let sum: u32 = org.iter().zip(weights).map(|(&c, w)| value(c) * w).sum();
    org.push(match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        d => b'0' + d as u8,
    });
    make_credit_code(&format!(
        "91{}{}",
        spec.division,
        String::from_utf8_lossy(&org)
    ))
}

/// Inserts the reference cases that are not there yet, classified by the real suggestion engine.
async fn insert_reference_cases(
    conn: &DatabaseConnection,
    cues: &CompiledCues,
    directory: &[Listed],
    calendar: &Calendar,
) -> anyhow::Result<usize> {
    let present: HashSet<String> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::TrackingCode)
        .filter(complaint::Column::TrackingCode.is_in(REFERENCE_CODES))
        .into_tuple::<String>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let now = Utc::now();
    let txn = conn.begin().await?;
    let mut inserted = 0;
    for (i, case) in REFERENCE_CASES.iter().enumerate() {
        if present.contains(case.tracking_code) {
            continue;
        }
        // Filed a few hours apart, newest last, so they sit together at the top of the queue.
        let received_at = now - Duration::hours(4 * (REFERENCE_CASES.len() - i) as i64);
        let channels: Vec<String> = case.channels.iter().map(|c| c.to_string()).collect();
        let suggestions = suggest(
            cues,
            &SuggestInput {
                narrative: case.narrative,
                requested_action: Some(case.requested_action),
                channels_tried: &channels,
                contact_attempts: Some(case.contact_attempts),
                outcome: Some(case.outcome),
                obstacles_reported: &[],
            },
        );
        let company_id = directory
            .iter()
            .find(|l| l.spec.name == case.company)
            .map(|l| l.id);
        let fingerprint = migration::shared::fingerprint::of(case.narrative);
        let row = complaint::ActiveModel {
            tracking_code: Set(case.tracking_code.to_string()),
            evidence_token_hash: Set(token_hash(&mut rand::rng())),
            status: Set(Status::Received),
            sector: Set(case.sector.code().into()),
            company_id: Set(company_id),
            company_name: Set(case.company.into()),
            service_name: Set(None),
            plan_from: Set(case.plan_from.map(Into::into)),
            plan_to: Set(case.plan_to.map(Into::into)),
            price_from_fen: Set(case.price_from_fen),
            price_to_fen: Set(case.price_to_fen),
            billing_cycle: Set(case.billing_cycle.map(Into::into)),
            requested_action: Set(case.requested_action.into()),
            channels_tried: Set(case.channels.join(";")),
            contact_attempts: Set(Some(case.contact_attempts)),
            first_attempt_on: Set(Some((received_at - Duration::days(12)).date_naive())),
            outcome: Set(Some(case.outcome.into())),
            amount_claimed_fen: Set(case.amount_claimed_fen),
            narrative: Set(case.narrative.into()),
            narrative_fp: Set(Some(fingerprint.0)),
            narrative_trigrams: Set(Some(fingerprint.1)),
            province: Set(Some(case.province.into())),
            contact_name: Set(None),
            contact_email: Set(None),
            contact_phone: Set(None),
            consent_share_narrative: Set(true),
            consent_contact_company: Set(true),
            language: Set("zh-CN".into()),
            submitted_via: Set("demo".into()),
            spam_reasons: Set(String::new()),
            primary_obstacle: Set(None),
            taxonomy_version: Set("v1".into()),
            received_at: Set(received_at),
            updated_at: Set(received_at),
            version: Set(1),
            review_due_on: Set(Some(calendar.add_working_days(
                (received_at + Duration::seconds(UTC_PLUS_8)).date_naive(),
                7,
            ))),
            tags: Set(String::new()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for s in &suggestions {
            complaint_obstacle::ActiveModel {
                complaint_id: Set(row.id),
                obstacle_code: Set(s.code.clone()),
                source: Set("suggestion".into()),
                score: Set(Some(s.score)),
                evidence: Set(Some(serde_json::to_string(&s.evidence)?)),
                set_by: Set(None),
                created_at: Set(received_at),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        history_row(
            row.id,
            None,
            Status::Received,
            received_at,
            None,
            "consumer",
        )
        .insert(&txn)
        .await?;
        inserted += 1;
    }
    txn.commit().await?;
    Ok(inserted)
}

fn history_row(
    complaint_id: i64,
    from: Option<Status>,
    to: Status,
    at: DateTime<Utc>,
    note: Option<&str>,
    actor: &str,
) -> status_history::ActiveModel {
    status_history::ActiveModel {
        id: Default::default(),
        complaint_id: Set(complaint_id),
        from_status: Set(from),
        to_status: Set(to),
        is_public: Set(crate::domain::workflow::is_public(to)),
        note: Set(note.map(Into::into)),
        actor: Set(Some(actor.to_string())),
        created_at: Set(at),
    }
}

fn token_hash(rng: &mut impl Rng) -> String {
    let bytes: [u8; 24] = rng.random();
    hex::encode(Sha256::digest(bytes))
}

/// PostgreSQL, after rows of `tables` have committed: their id sequences move past them (after
/// every batch, so a run that fails half-way leaves no sequence behind its rows), and the
/// progress bar on by `n` complaints.
async fn loaded_batch(
    conn: &DatabaseConnection,
    progress: &indicatif::ProgressBar,
    tables: &[&str],
    n: u64,
) -> anyhow::Result<()> {
    for table in tables {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             (SELECT MAX(id) FROM {table}))"
        );
        conn.query_one(Statement::from_string(DatabaseBackend::Postgres, sql))
            .await?;
    }
    progress.inc(n);
    Ok(())
}

/// `n` tracking codes, distinct, none of them one that `avoid` names.
fn new_codes(n: usize, avoid: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut seen = HashSet::with_capacity(n);
    let mut codes = Vec::with_capacity(n);
    while codes.len() < n {
        let code = TrackingCode::generate().to_string();
        if !avoid(&code) && seen.insert(code.clone()) {
            codes.push(code);
        }
    }
    codes
}

/// Gives every row a tracking code from `codes` ([`new_codes`]), replacing those the table
/// already holds (40 random bits: collisions are rare, but likely once in a million-row table).
/// `taken` answers which of the codes it is given the table holds; it runs inside the batch's
/// transaction, so the check and the insert see the same rows.
fn assign_tracking_codes(
    rows: &mut [complaint::ActiveModel],
    mut codes: Vec<String>,
    mut taken: impl FnMut(Vec<String>) -> anyhow::Result<HashSet<String>>,
) -> anyhow::Result<()> {
    let mut check = codes.clone();
    while !check.is_empty() {
        let taken = taken(std::mem::take(&mut check))?;
        check = replace_taken(&mut codes, &taken);
    }
    for (row, code) in rows.iter_mut().zip(codes) {
        row.tracking_code = Set(code);
    }
    Ok(())
}

/// Replaces the codes in `taken` by fresh ones ([`new_codes`], distinct from all in `codes`);
/// returns the new codes, which need checking in turn.
fn replace_taken(codes: &mut [String], taken: &HashSet<String>) -> Vec<String> {
    let at: Vec<usize> = (0..codes.len())
        .filter(|&i| taken.contains(&codes[i]))
        .collect();
    if at.is_empty() {
        return Vec::new();
    }
    let fresh = {
        let existing: HashSet<&str> = codes.iter().map(String::as_str).collect();
        new_codes(at.len(), &|c| existing.contains(c))
    };
    for (&i, code) in at.iter().zip(&fresh) {
        codes[i] = code.clone();
    }
    fresh
}

/// What [`copy_batch`] leaves for later: the number of complaints it loaded and their child
/// rows, encoded for `COPY`.
struct Children {
    complaints: u64,
    links: Option<Encoded>,
    history: Option<Encoded>,
}

impl Children {
    /// Appends the child rows to `spools` (links, history); returns the complaints loaded.
    fn spool(self, spools: &mut [Spool; 2]) -> anyhow::Result<u64> {
        spools[0].push(self.links)?;
        spools[1].push(self.history)?;
        Ok(self.complaints)
    }
}

/// PostgreSQL: the complaints of one batch in one transaction, sent with `COPY … FROM STDIN`
/// (no SQL text to build and parse, no bind parameters), with tracking codes `codes`; returns
/// the batch's child rows encoded for `COPY` (see [`load_postgres`]).
async fn copy_batch(
    pool: &sea_orm::sqlx::PgPool,
    mut batch: Batch,
    codes: Vec<String>,
) -> anyhow::Result<Children> {
    use crate::store::pg_copy::copy_in;
    let mut tx = pool.begin().await?;
    // The loop of `assign_tracking_codes`, written out: that one looks codes up with a
    // blocking call (SQLite's loader), this one with a query on `tx`.
    let mut codes = codes;
    let mut check: Vec<String> = codes.clone();
    while !check.is_empty() {
        let rows: Vec<(String,)> = sea_orm::sqlx::query_as(
            "SELECT tracking_code FROM complaints WHERE tracking_code = ANY($1)",
        )
        .bind(std::mem::take(&mut check))
        .fetch_all(&mut *tx)
        .await?;
        let taken: HashSet<String> = rows.into_iter().map(|(c,)| c).collect();
        check = replace_taken(&mut codes, &taken);
    }
    for (row, code) in batch.complaints.iter_mut().zip(codes) {
        row.tracking_code = Set(code);
    }
    let complaints = copy_in(&mut tx, batch.complaints).await?;
    tx.commit().await?;
    Ok(Children {
        complaints,
        links: encode(batch.links)?,
        history: encode(batch.history)?,
    })
}

/// Next free ids per table.
struct Ids {
    complaint: i64,
    link: i64,
    history: i64,
}

#[derive(Default)]
struct Batch {
    complaints: Vec<complaint::ActiveModel>,
    links: Vec<complaint_obstacle::ActiveModel>,
    history: Vec<status_history::ActiveModel>,
}

/// Samples from fixed weights by binary search over the running total.
struct Weighted(Vec<f64>);

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Weighted {
        Weighted(
            weights
                .into_iter()
                .scan(0.0, |total, w| {
                    *total += w;
                    Some(*total)
                })
                .collect(),
        )
    }

    fn pick(&self, rng: &mut SmallRng) -> usize {
        let x = rng.random::<f64>() * self.0.last().copied().unwrap_or(0.0);
        self.0.partition_point(|&c| c <= x).min(self.0.len() - 1)
    }
}

/// In the order of `text::STATUS_BY_AGE`.
#[rustfmt::skip]
const STATUSES: [Status; 9] = [
    Status::Received, Status::Held, Status::Accepted, Status::Forwarded, Status::Responded,
    Status::Closed, Status::Rejected, Status::Duplicate, Status::Withdrawn,
];
const UTC_PLUS_8: i64 = 8 * 3600;

/// What the consumer asked for and went through, before the narrative is written.
struct Request {
    plan: text::Plan,
    action: &'static str,
    codes: Vec<&'static str>,
    channels: Vec<&'static str>,
    attempts: i32,
    first_attempt: NaiveDate,
}

/// Where a case's workflow got to, and when.
struct Timeline {
    status: Status,
    last: DateTime<Utc>,
    accepted: Option<DateTime<Utc>>,
    forwarded: Option<DateTime<Utc>>,
    responded: Option<DateTime<Utc>>,
    closed: Option<DateTime<Utc>>,
}

struct Generator {
    rng: SmallRng,
    directory: Vec<Listed>,
    companies: Weighted,
    provinces: Weighted,
    obstacle_codes: Vec<&'static str>,
    /// Obstacle weights per sector (`Sector::ALL` order).
    obstacles: Vec<Weighted>,
    statuses: Vec<Weighted>,
    hours: Weighted,
    calendar: Calendar,
    now: DateTime<Utc>,
    /// The latest non-duplicate complaint per company, for `duplicate_of`.
    earlier: HashMap<Option<i64>, i64>,
}

impl Generator {
    fn new(
        directory: Vec<Listed>,
        known: &HashSet<String>,
        calendar: Calendar,
        now: DateTime<Utc>,
    ) -> Self {
        // Zipf-like within a sector: the n-th company gets 1/n^1.1 of the sector's first.
        let company_weights = directory.iter().enumerate().map(|(i, l)| {
            let same = |o: &&Listed| o.spec.sector == l.spec.sector;
            let rank = directory[..i].iter().filter(same).count() + 1;
            let norm: f64 = (1..=directory.iter().filter(same).count())
                .map(|r| (r as f64).powf(-1.1))
                .sum();
            text::SECTOR_WEIGHTS[sector_index(l.spec.sector)] * (rank as f64).powf(-1.1) / norm
        });
        let companies = Weighted::new(company_weights.collect::<Vec<_>>());
        let present: Vec<(&'static str, u32)> = text::OBSTACLE_WEIGHTS
            .iter()
            .copied()
            .filter(|(c, _)| known.contains(*c))
            .collect();
        let obstacles = Sector::ALL.iter().map(|&s| {
            Weighted::new(
                present
                    .iter()
                    .map(|&(c, w)| w as f64 * text::sector_bias(s, c)),
            )
        });
        Generator {
            rng: SmallRng::seed_from_u64(rand::random()),
            directory,
            companies,
            provinces: Weighted::new(text::PROVINCES.iter().map(|p| p.1 as f64)),
            obstacle_codes: present.iter().map(|p| p.0).collect(),
            obstacles: obstacles.collect(),
            statuses: text::STATUS_BY_AGE
                .iter()
                .map(|(_, w)| Weighted::new(*w))
                .collect(),
            hours: Weighted::new(text::HOURS),
            calendar,
            now,
            earlier: HashMap::new(),
        }
    }

    fn one_of<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    /// A consumer moment `age_days` before today (Asia/Shanghai), never in the future.
    fn consumer_time(&mut self, age_days: i64) -> DateTime<Utc> {
        let today = (self.now + Duration::seconds(UTC_PLUS_8)).date_naive();
        let secs = self.hours.pick(&mut self.rng) as i64 * 3600 + self.rng.random_range(0..3600);
        let t = shanghai_to_utc(today - Duration::days(age_days), secs);
        if t > self.now {
            t - Duration::days(1)
        } else {
            t
        }
    }

    /// A staff step `min..=max` working days after `after`, during office hours.
    fn staff_time(&mut self, after: DateTime<Utc>, min: u32, max: u32) -> DateTime<Utc> {
        let local_day = (after + Duration::seconds(UTC_PLUS_8)).date_naive();
        let day = self
            .calendar
            .add_working_days(local_day, self.rng.random_range(min..=max));
        shanghai_to_utc(day, self.rng.random_range(9 * 3600..18 * 3600))
    }

    /// Company id (none for a name the directory does not know), the name typed, the sector.
    fn company(&mut self) -> (Option<i64>, String, Sector) {
        if self.rng.random_bool(0.02) {
            let name = self.one_of(text::UNKNOWN_COMPANIES);
            return (None, name.to_string(), self.one_of(Sector::ALL));
        }
        let listed = &self.directory[self.companies.pick(&mut self.rng)];
        let aliases = listed.spec.aliases;
        let typed = if !aliases.is_empty() && self.rng.random_bool(0.25) {
            aliases[self.rng.random_range(0..aliases.len())]
        } else {
            listed.spec.name
        };
        (Some(listed.id), typed.to_string(), listed.spec.sector)
    }

    fn request(&mut self, sector: Sector, received_at: DateTime<Utc>) -> Request {
        let (from, price, to, billing) = self.one_of(text::plans(sector).0);
        let action = text::action(sector, to.is_some(), self.rng.random_range(0..100));
        let to = to.filter(|_| action == "downgrade" || self.rng.random_bool(0.3));

        // 1–4 distinct obstacles, sector-biased; refunds and renewals favour their usual code.
        let k = self
            .one_of(&[1, 1, 1, 2, 2, 2, 2, 3, 3, 4])
            .min(self.obstacle_codes.len());
        let mut codes: Vec<&'static str> = Vec::with_capacity(4);
        if let Some(f) = text::favoured_obstacle(action).filter(|f| self.obstacle_codes.contains(f))
        {
            if self.rng.random_bool(0.35) {
                codes.push(f);
            }
        }
        while codes.len() < k {
            let c = self.obstacle_codes[self.obstacles[sector_index(sector)].pick(&mut self.rng)];
            if !codes.contains(&c) {
                codes.push(c);
            }
        }

        let pool = text::channel_pool(sector);
        let want = self.rng.random_range(1..=3);
        let mut channels: Vec<&'static str> = Vec::with_capacity(3);
        while channels.len() < want {
            let c = self.one_of(pool);
            if !channels.contains(&c) {
                channels.push(c);
            }
        }
        channels.sort_by_key(|c| Channel::ALL.iter().position(|a| a.code() == *c));
        let repeat = if codes.contains(&"REPEAT") {
            self.rng.random_range(3..=12)
        } else {
            0
        };
        let days_before = Duration::days(self.rng.random_range(0..=45));
        Request {
            plan: (from, price, to, billing),
            action,
            codes,
            channels,
            attempts: self.rng.random_range(1..=5) + repeat,
            first_attempt: (received_at + Duration::seconds(UTC_PLUS_8)).date_naive() - days_before,
        }
    }

    /// Walks the status path typical for the complaint's age, stopping before "now", and
    /// writes its status history.
    fn workflow(
        &mut self,
        id: i64,
        received_at: DateTime<Utc>,
        consent_contact: &mut bool,
        ids: &mut Ids,
        out: &mut Batch,
    ) -> Timeline {
        use Status::*;
        let age_days = (self.now - received_at).num_days();
        let bucket = text::STATUS_BY_AGE
            .iter()
            .position(|(d, _)| age_days < *d)
            .unwrap_or(3);
        let target = STATUSES[self.statuses[bucket].pick(&mut self.rng)];
        // Forwarding needs the consumer's consent; without it a case closes after acceptance.
        *consent_contact |= matches!(target, Forwarded | Responded);
        let path: &[Status] = match target {
            Received | Held => &[],
            Accepted => &[Accepted],
            Forwarded => &[Accepted, Forwarded],
            Responded => &[Accepted, Forwarded, Responded],
            Closed if *consent_contact => &[Accepted, Forwarded, Responded, Closed],
            Closed => &[Accepted, Closed],
            Withdrawn if self.rng.random_bool(0.3) => &[Accepted, Withdrawn],
            Withdrawn => &[Withdrawn],
            Rejected => &[Rejected],
            Duplicate => &[Duplicate],
        };
        let first = if target == Held { Held } else { Received };
        out.history
            .push(history(ids, id, None, first, received_at, None, "consumer"));
        let mut t = Timeline {
            status: first,
            last: received_at,
            accepted: None,
            forwarded: None,
            responded: None,
            closed: None,
        };
        for &next in path {
            let at = t.last;
            let when = match next {
                Accepted => self.staff_time(at, 1, 7),
                Forwarded => self.staff_time(at, 1, 2),
                Responded => self.staff_time(at, 2, 13),
                Closed => self.staff_time(at, 1, 8),
                Rejected | Duplicate => self.staff_time(at, 1, 7),
                _ => at + Duration::seconds(self.rng.random_range(3600..20 * 86400)),
            };
            if when > self.now {
                break;
            }
            let (note, actor) = match next {
                Rejected => (Some(text::REJECTION_REASON), ACTOR),
                Duplicate => (Some(text::DUPLICATE_NOTE), ACTOR),
                Withdrawn => (None, "consumer"),
                _ => (None, ACTOR),
            };
            out.history
                .push(history(ids, id, Some(t.status), next, when, note, actor));
            match next {
                Accepted => t.accepted = Some(when),
                Forwarded => t.forwarded = Some(when),
                Responded => t.responded = Some(when),
                Closed => t.closed = Some(when),
                _ => {}
            }
            (t.status, t.last) = (next, when);
        }
        t
    }

    /// Complaints number `range` of `count`, oldest first, so ids follow `received_at` as they
    /// do in real intake (and the time-ordered indexes are appended to, not scattered into).
    fn batch(&mut self, ids: &mut Ids, range: std::ops::Range<u64>, count: u64) -> Batch {
        let mut times: Vec<DateTime<Utc>> = range
            .map(|k| {
                // Intake grows over the two years: half of it uniform, half rising linearly. The
                // k-th quantile of that mix, F(x) = (x + x²) / 2 over elapsed time x ∈ [0, 1]:
                let q = (k as f64 + self.rng.random::<f64>()) / count as f64;
                let x = ((1.0 + 8.0 * q).sqrt() - 1.0) / 2.0;
                self.consumer_time((text::DAYS as f64 * (1.0 - x)) as i64)
            })
            .collect();
        times.sort_unstable();
        let mut batch = Batch::default();
        for received_at in times {
            self.complaint(ids, received_at, &mut batch);
        }
        batch
    }

    fn complaint(&mut self, ids: &mut Ids, received_at: DateTime<Utc>, out: &mut Batch) {
        let id = ids.complaint;
        ids.complaint += 1;
        let (company_id, company_name, sector) = self.company();
        let req = self.request(sector, received_at);
        let (from, price, to, billing) = req.plan;
        let consumer_outcome = self.one_of(text::INTAKE_OUTCOMES);

        let svc = self.one_of(text::plans(sector).1);
        let vars = text::Vars {
            // Bare "App" or "会员" needs the brand in front to read naturally.
            svc: if !matches!(svc, "App" | "会员" | "小程序" | "手游") && self.rng.random_bool(0.5)
            {
                svc.into()
            } else {
                format!("{company_name}{svc}")
            },
            from,
            to: to.map_or(
                if sector == Sector::Telecom {
                    "低档套餐"
                } else {
                    "基础版"
                },
                |t| t.0,
            ),
            price: text::period_price(price, billing),
            price_to: to.map_or_else(String::new, |t| text::period_price(t.1, billing)),
            pf: text::yuan(price),
            date: req.first_attempt.format("%-m月%-d日").to_string(),
            n: req.attempts.to_string(),
            ch: text::channel_name(self.one_of(&req.channels)),
            days: ((received_at.date_naive() - req.first_attempt).num_days() + 1)
                .max(2)
                .to_string(),
        };
        let (narrative, cues) = text::narrative(
            &mut self.rng,
            sector,
            req.action,
            &req.codes,
            consumer_outcome,
            &vars,
        );
        let fingerprint = migration::shared::fingerprint::of(&narrative);

        let mut consent_contact = self.rng.random_bool(0.76);
        let t = self.workflow(id, received_at, &mut consent_contact, ids, out);
        let status = t.status;
        // The statutory clocks, as case work would have set them (7 and 10 working days).
        let day = |at: DateTime<Utc>| (at + Duration::seconds(UTC_PLUS_8)).date_naive();
        let review_due = self.calendar.add_working_days(day(received_at), 7);
        let response_due = t
            .forwarded
            .map(|f| self.calendar.add_working_days(day(f), 10));
        let response_timely = t.responded.zip(response_due).map(|(r, due)| day(r) <= due);
        let duplicate_of = match status {
            Status::Duplicate => self.earlier.get(&company_id).copied(),
            _ => {
                self.earlier.insert(company_id, id);
                None
            }
        };
        let rng = &mut self.rng;
        // Reviewer rows go in first: the rollup triggers then count them at once and the
        // suggestions after them change nothing (instead of counting and uncounting those).
        let mut primary = None;
        if let Some(reviewed_at) = t.accepted {
            // Reviewers mostly confirm the suggestions, sometimes drop one or add another.
            let mut confirmed = req.codes.clone();
            if confirmed.len() > 1 && rng.random_bool(0.15) {
                confirmed.pop();
            }
            let extra = self.obstacle_codes[rng.random_range(0..self.obstacle_codes.len())];
            if rng.random_bool(0.1) && !confirmed.contains(&extra) {
                confirmed.push(extra);
            }
            primary = confirmed.first().map(|c| c.to_string());
            for code in &confirmed {
                out.links
                    .push(link(ids, id, code, "reviewer", None, reviewed_at));
            }
        }

        for (code, cue) in req.codes.iter().zip(cues) {
            let score = rng.random_range(55..=95) as f64 / 100.0;
            out.links.push(link(
                ids,
                id,
                code,
                "suggestion",
                Some((score, cue)),
                received_at,
            ));
        }

        let outcome = match status {
            Status::Closed if consumer_outcome == "resolved" => Some("resolved"),
            Status::Closed => {
                Some(text::CLOSED_OUTCOMES[rng.random_range(0..text::CLOSED_OUTCOMES.len())])
            }
            _ => rng.random_bool(0.9).then_some(consumer_outcome),
        };
        let (contact_name, contact_email, contact_phone) = text::contact(rng, id);
        let amount_claimed = match req.action {
            "refund" => Some(price),
            "cancel" | "stop_auto_renewal" if rng.random_bool(0.2) => Some(price),
            _ => None,
        };
        let province = rng
            .random_bool(0.96)
            .then(|| text::PROVINCES[self.provinces.pick(rng)].0);
        out.complaints.push(complaint::ActiveModel {
            id: Set(id),
            // Set per batch by `assign_tracking_codes`.
            tracking_code: Default::default(),
            evidence_token_hash: Set(token_hash(rng)),
            status: Set(status),
            sector: Set(sector.code().into()),
            company_id: Set(company_id),
            company_name: Set(company_name),
            service_name: Set(rng.random_bool(0.8).then(|| svc.to_string())),
            plan_from: Set(Some(from.into())),
            plan_to: Set(to.map(|t| t.0.into())),
            price_from_fen: Set(Some(price)),
            price_to_fen: Set(to.map(|t| t.1)),
            billing_cycle: Set(Some(billing.into())),
            requested_action: Set(req.action.into()),
            channels_tried: Set(req.channels.join(";")),
            contact_attempts: Set(rng.random_bool(0.95).then_some(req.attempts)),
            first_attempt_on: Set(rng.random_bool(0.85).then_some(req.first_attempt)),
            outcome: Set(outcome.map(Into::into)),
            amount_claimed_fen: Set(amount_claimed),
            narrative_fp: Set(Some(fingerprint.0)),
            narrative_trigrams: Set(Some(fingerprint.1)),
            narrative: Set(narrative),
            province: Set(province.map(Into::into)),
            contact_name: Set(contact_name),
            contact_email: Set(contact_email),
            contact_phone: Set(contact_phone),
            consent_share_narrative: Set(rng.random_bool(0.72)),
            consent_contact_company: Set(consent_contact),
            language: Set("zh-CN".into()),
            submitted_via: Set("demo".into()),
            spam_reasons: Set(if status == Status::Held {
                "demo".into()
            } else {
                String::new()
            }),
            primary_obstacle: Set(primary),
            taxonomy_version: Set("v1".into()),
            received_at: Set(received_at),
            updated_at: Set(t.last),
            version: Set(1),
            accepted_at: Set(t.accepted),
            forwarded_at: Set(t.forwarded),
            responded_at: Set(t.responded),
            closed_at: Set(t.closed),
            review_due_on: Set(Some(review_due)),
            response_due_on: Set(response_due),
            response_timely: Set(response_timely),
            company_response: Set(t.responded.map(|_| {
                text::COMPANY_RESPONSES[rng.random_range(0..text::COMPANY_RESPONSES.len())].into()
            })),
            rejection_reason: Set(
                (status == Status::Rejected).then(|| text::REJECTION_REASON.into())
            ),
            duplicate_of: Set(duplicate_of),
            tags: Set(String::new()),
            // Assignment, consumer feedback and erasure stay empty.
            ..Default::default()
        });
    }
}

fn history(
    ids: &mut Ids,
    complaint_id: i64,
    from: Option<Status>,
    to: Status,
    at: DateTime<Utc>,
    note: Option<&str>,
    actor: &str,
) -> status_history::ActiveModel {
    let mut row = history_row(complaint_id, from, to, at, note, actor);
    row.id = Set(ids.history);
    ids.history += 1;
    row
}

fn link(
    ids: &mut Ids,
    complaint_id: i64,
    code: &str,
    source: &str,
    suggestion: Option<(f64, &str)>,
    at: DateTime<Utc>,
) -> complaint_obstacle::ActiveModel {
    ids.link += 1;
    complaint_obstacle::ActiveModel {
        id: Set(ids.link - 1),
        complaint_id: Set(complaint_id),
        obstacle_code: Set(code.into()),
        source: Set(source.into()),
        score: Set(suggestion.map(|s| s.0)),
        // Cues contain no quotes or backslashes, so this is a valid JSON array.
        evidence: Set(suggestion.map(|s| format!("[\"{}\"]", s.1))),
        set_by: Set((source == "reviewer").then(|| ACTOR.to_string())),
        created_at: Set(at),
    }
}

fn shanghai_to_utc(day: NaiveDate, secs_of_day: i64) -> DateTime<Utc> {
    (day.and_time(chrono::NaiveTime::MIN) + Duration::seconds(secs_of_day - UTC_PLUS_8)).and_utc()
}

fn sector_index(s: Sector) -> usize {
    Sector::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db::Db;

    async fn count(db: &Db, sql: &str) -> i64 {
        let row = db
            .read
            .query_one(Statement::from_string(db.backend(), sql.to_string()))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }

    #[test]
    fn taken_codes_are_replaced_by_fresh_distinct_ones() {
        let mut codes = new_codes(50, &|_| false);
        let before = codes.clone();
        let taken: HashSet<String> = [before[3].clone(), before[40].clone()].into();
        let fresh = replace_taken(&mut codes, &taken);
        assert_eq!(fresh, vec![codes[3].clone(), codes[40].clone()]);
        for (i, (now, was)) in codes.iter().zip(&before).enumerate() {
            assert_eq!(now == was, i != 3 && i != 40, "{i}");
        }
        let distinct: HashSet<&String> = codes.iter().chain(&before).collect();
        assert_eq!(distinct.len(), 52);
        assert!(replace_taken(&mut codes, &HashSet::new()).is_empty());
    }

    async fn fresh_db(dir: &tempfile::TempDir) -> Db {
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        db
    }

    /// Every value of every column in `table`, in id order, as SQLite stores it.
    fn dump(path: &std::path::Path, table: &str) -> Vec<Vec<rusqlite::types::Value>> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut st = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
            .unwrap();
        let n = st.column_count();
        st.query_map([], |r| {
            (0..n)
                .map(|i| r.get::<_, rusqlite::types::Value>(i))
                .collect()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    #[tokio::test]
    async fn the_sqlite_loader_stores_every_value_as_sea_orm_does() {
        let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        let (by_orm, by_loader) = (fresh_db(&dirs[0]).await, fresh_db(&dirs[1]).await);
        let (directory, _) = ensure_companies(&by_orm.write).await.unwrap();
        assert_eq!(
            ensure_companies(&by_loader.write).await.unwrap().0.len(),
            directory.len()
        );
        let known: HashSet<String> = obstacle::Entity::find()
            .all(&by_orm.read)
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.code)
            .collect();
        assert!(known.len() >= 16);
        let mut gen = Generator::new(directory, &known, Calendar::new([]), Utc::now());
        let mut ids = Ids {
            complaint: 1,
            link: 1,
            history: 1,
        };
        let mut batch = gen.batch(&mut ids, 0..300, 300);
        assign_tracking_codes(&mut batch.complaints, new_codes(300, &|_| false), |_| {
            Ok(HashSet::new())
        })
        .unwrap();
        assert!(batch.links.len() > 300 && batch.history.len() > 300);

        let w = &by_orm.write;
        complaint::Entity::insert_many(batch.complaints.clone())
            .exec_without_returning(w)
            .await
            .unwrap();
        complaint_obstacle::Entity::insert_many(batch.links.clone())
            .exec_without_returning(w)
            .await
            .unwrap();
        status_history::Entity::insert_many(batch.history.clone())
            .exec_without_returning(w)
            .await
            .unwrap();

        let file = crate::services::exports::sqlite::database_file(&by_loader.write).unwrap();
        let mut conn = rusqlite::Connection::open(&file).unwrap();
        let tx = conn.transaction().unwrap();
        use crate::store::sqlite_load::insert_all;
        assert_eq!(insert_all(&tx, batch.complaints).unwrap(), 300);
        insert_all(&tx, batch.links).unwrap();
        insert_all(&tx, batch.history).unwrap();
        tx.commit().unwrap();

        let orm_file = crate::services::exports::sqlite::database_file(w).unwrap();
        for table in ["complaints", "complaint_obstacles", "status_history"] {
            let (orm, loaded) = (dump(&orm_file, table), dump(&file, table));
            assert!(!orm.is_empty(), "{table}");
            assert_eq!(orm.len(), loaded.len(), "{table}");
            for (a, b) in orm.iter().zip(&loaded) {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    assert_eq!(x, y, "{table}, row id {:?}, column {i}", a[0]);
                }
            }
        }
    }

    #[tokio::test]
    async fn seeding_fills_two_skewed_years_and_a_second_run_adds_no_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let db = fresh_db(&dir).await;
        let cues = CompiledCues::from_seed();
        let bar = indicatif::ProgressBar::hidden();
        let report = seed_demo(&db, &cues, 2000, &bar).await.unwrap();
        println!("seeded 2000 synthetic complaints in {:?}", report.elapsed);
        assert_eq!(
            (report.reference_cases, report.synthetic, report.companies),
            (4, 2000, text::COMPANIES.len())
        );
        assert_eq!(bar.position(), 2000);

        assert_eq!(
            count(&db, "SELECT COUNT(*) AS n FROM complaints").await,
            2004
        );
        let orphan = "SELECT COUNT(*) AS n FROM complaints c WHERE NOT EXISTS";
        assert_eq!(
            count(
                &db,
                &format!("{orphan} (SELECT 1 FROM status_history h WHERE h.complaint_id = c.id)")
            )
            .await,
            0
        );
        assert_eq!(
            count(
                &db,
                &format!(
                    "{orphan} (SELECT 1 FROM complaint_obstacles o WHERE o.complaint_id = c.id)"
                )
            )
            .await,
            0
        );
        // The latest history row is the current status, for every complaint.
        let off_path = "SELECT COUNT(*) AS n FROM complaints c WHERE c.status <> (SELECT h.to_status FROM status_history h \
                        WHERE h.complaint_id = c.id ORDER BY h.created_at DESC, h.id DESC LIMIT 1)";
        assert_eq!(count(&db, off_path).await, 0);
        // Accepted and later cases carry reviewer codes and a primary obstacle.
        let unreviewed = "SELECT COUNT(*) AS n FROM complaints c WHERE c.status IN ('accepted','forwarded','responded') \
                          AND (c.primary_obstacle IS NULL OR NOT EXISTS (SELECT 1 FROM complaint_obstacles o \
                          WHERE o.complaint_id = c.id AND o.source = 'reviewer'))";
        assert_eq!(count(&db, unreviewed).await, 0);
        assert!(
            count(
                &db,
                "SELECT COUNT(*) AS n FROM complaints WHERE status = 'closed' AND outcome IS NULL"
            )
            .await
                == 0
        );
        assert!(count(&db, "SELECT COUNT(DISTINCT status) AS n FROM complaints").await >= 7);
        // Every status change is one the case workflow allows, and the workflow columns agree.
        let pairs = status_history::Entity::find().all(&db.read).await.unwrap();
        for h in pairs.iter().filter(|h| h.from_status.is_some()) {
            let from = h.from_status.unwrap();
            let to = h.to_status;
            let legal = crate::domain::workflow::Step::ALL
                .iter()
                .any(|s| s.target() == to && crate::domain::workflow::transition(from, *s).is_ok());
            assert!(legal, "{from} -> {to}");
        }
        for sql in [
            "SELECT COUNT(*) AS n FROM complaints WHERE status = 'closed' AND closed_at IS NULL",
            "SELECT COUNT(*) AS n FROM complaints WHERE status = 'responded' \
             AND (response_timely IS NULL OR company_response IS NULL)",
            "SELECT COUNT(*) AS n FROM complaints WHERE status = 'forwarded' AND response_due_on IS NULL",
            "SELECT COUNT(*) AS n FROM complaints WHERE status = 'rejected' AND rejection_reason IS NULL",
            "SELECT COUNT(*) AS n FROM complaints WHERE review_due_on IS NULL",
            "SELECT COUNT(*) AS n FROM complaints c JOIN complaints t ON t.id = c.duplicate_of \
             WHERE t.status = 'duplicate' OR t.id >= c.id",
        ] {
            assert_eq!(count(&db, sql).await, 0, "{sql}");
        }

        let rows = complaint::Entity::find().all(&db.read).await.unwrap();
        let first = rows.iter().map(|c| c.received_at).min().unwrap();
        let last = rows.iter().map(|c| c.received_at).max().unwrap();
        assert!(last - first > Duration::days(18 * 30), "{first} .. {last}");
        assert!(last <= Utc::now());
        for c in rows
            .iter()
            .filter(|c| !REFERENCE_CODES.contains(&c.tracking_code.as_str()))
        {
            let len = c.narrative.chars().count();
            assert!((150..=600).contains(&len), "{len}: {}", c.narrative);
            assert!(!c.narrative.contains('{'), "{}", c.narrative);
            assert!(TrackingCode::parse(&c.tracking_code).is_some());
            if let Some(p) = &c.contact_phone {
                assert_eq!(crate::domain::parse_mobile(p).as_deref(), Some(p.as_str()));
            }
        }

        let mut per_company: HashMap<i64, usize> = HashMap::new();
        for id in rows.iter().filter_map(|c| c.company_id) {
            *per_company.entry(id).or_default() += 1;
        }
        let mut counts: Vec<usize> = per_company.into_values().collect();
        counts.sort_unstable();
        let (top, median) = (counts[counts.len() - 1], counts[counts.len() / 2]);
        assert!(top > 3 * median, "top {top}, median {median}");
        let province = |code: &str| {
            rows.iter()
                .filter(|c| c.province.as_deref() == Some(code))
                .count()
        };
        assert!(
            province("440000") > 5 * province("540000").max(1),
            "Guangdong vs Tibet"
        );
        assert!(
            province("410000") > 3 * province("630000").max(1),
            "Henan vs Qinghai"
        );

        let refs = complaint::Entity::find()
            .filter(complaint::Column::TrackingCode.is_in(REFERENCE_CODES))
            .all(&db.read)
            .await
            .unwrap();
        assert_eq!(refs.len(), 4);
        assert!(refs.iter().all(|r| r.company_id.is_some()
            && r.status == Status::Received
            && r.submitted_via == "demo"));
        let ref_links = count(&db, "SELECT COUNT(*) AS n FROM complaint_obstacles o JOIN complaints c ON c.id = o.complaint_id \
                                    WHERE c.tracking_code = 'DW-REFA-CASE' AND o.source = 'suggestion'").await;
        assert!(ref_links >= 3, "{ref_links}");

        // The rollup triggers keep up with multi-row inserts.
        let stale = crate::store::rollup::mismatches(&db.read).await.unwrap();
        assert!(stale.is_empty(), "{stale:?}");

        let companies = count(&db, "SELECT COUNT(*) AS n FROM companies").await;
        let aliases = count(&db, "SELECT COUNT(*) AS n FROM company_aliases").await;
        let again = seed_demo(&db, &cues, 0, &bar).await.unwrap();
        assert_eq!(
            (again.reference_cases, again.synthetic, again.companies),
            (0, 0, 0)
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) AS n FROM complaints").await,
            2004
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) AS n FROM companies").await,
            companies
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) AS n FROM company_aliases").await,
            aliases
        );
        assert_eq!(companies as usize, text::COMPANIES.len());
        let coded = count(
            &db,
            "SELECT COUNT(*) AS n FROM companies WHERE credit_code IS NOT NULL",
        )
        .await;
        assert!(coded >= 50);
        for c in company::Entity::find().all(&db.read).await.unwrap() {
            assert!(c
                .credit_code
                .as_deref()
                .is_none_or(crate::domain::credit_code::is_valid_credit_code));
        }
    }

    #[tokio::test]
    #[ignore = "timing run: cargo test --release --lib seed_100k_timing -- --ignored --nocapture"]
    async fn seed_100k_timing() {
        // DEMO_BENCH_URL picks another database (e.g. PostgreSQL), DEMO_BENCH_COUNT the size.
        let dir = tempfile::tempdir().unwrap();
        let url = std::env::var("DEMO_BENCH_URL")
            .unwrap_or_else(|_| format!("sqlite://{}/t.db", dir.path().display()));
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let n = std::env::var("DEMO_BENCH_COUNT")
            .ok()
            .and_then(|s| s.parse().ok());
        let n = n.unwrap_or(100_000);
        let bar = indicatif::ProgressBar::hidden();
        let report = seed_demo(&db, &CompiledCues::from_seed(), n, &bar)
            .await
            .unwrap();
        // CPU seconds and peak memory of this process (Linux): wall time alone says little on
        // a busy machine.
        let proc = |file: &str| std::fs::read_to_string(format!("/proc/self/{file}")).ok();
        let cpu: f64 = proc("stat")
            .and_then(|s| s.rsplit(')').next().map(str::to_string))
            .map(|s| {
                s.split_whitespace()
                    .skip(11)
                    .take(2)
                    .filter_map(|t| t.parse::<f64>().ok())
                    .sum()
            })
            .unwrap_or(0.0);
        let peak = proc("status")
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM"))
                    .map(str::to_string)
            })
            .unwrap_or_default();
        println!(
            "seed-demo {n} on {:?}: {:?} ({:.1} s CPU so far, {peak})",
            db.backend(),
            report.elapsed,
            cpu / 100.0
        );
        let stale = crate::store::rollup::mismatches(&db.read).await.unwrap();
        assert!(stale.is_empty(), "rollups differ from a recount: {stale:?}");
    }
}
