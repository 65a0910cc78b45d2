//! Loading generated batches: SQLite through the bulk loader, PostgreSQL through `COPY`.
use super::codes::{assign_tracking_codes, new_codes, replace_taken};
use super::generator::Batch;
use super::*;

/// SQLite: loads the generator's batches on a rusqlite connection of its own
/// ([`sqlite_load`](crate::store::sqlite_load)), one transaction per batch, on this
/// blocking thread. Dropping `rx` on return stops the generator.
pub(super) fn load_sqlite(
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
pub(super) async fn load_postgres(
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
pub(super) async fn copy_spooled(
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

/// What [`copy_batch`] leaves for later: the number of complaints it loaded and their child
/// rows, encoded for `COPY`.
struct Children {
    pub(super) complaints: u64,
    pub(super) links: Option<Encoded>,
    pub(super) history: Option<Encoded>,
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
