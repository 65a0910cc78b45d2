//! Bulk loading (`seed-demo`): suspending the per-row rollup and search-index triggers and the
//! secondary indexes of the loaded tables, and putting them back (or repairing after a crash).
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement, TransactionTrait,
};

use crate::store::sql::stmt;
use migration::shared::rollups as def;

/// The insert triggers that bulk loading suspends: name, table, SQL to create it (SQLite drops
/// and re-creates triggers; PostgreSQL disables and enables them).
fn bulk_triggers(b: DatabaseBackend) -> Vec<(&'static str, &'static str, Vec<String>)> {
    let mut t = def::insert_triggers(b, def::CURRENT);
    if b == DatabaseBackend::Sqlite {
        t.push((
            "complaints_fts_ai",
            "complaints",
            vec![migration::shared::search::FTS_INSERT_TRIGGER.to_string()],
        ));
    }
    t
}

/// Tables a bulk load writes; their secondary indexes may be dropped while it runs.
const BULK_TABLES: [&str; 3] = ["complaints", "complaint_obstacles", "status_history"];

/// Bulk loading (`seed-demo`): stops the per-row rollup and search-index triggers on inserts,
/// so rows go in at the speed of the table; with `drop_indexes`, also drops the secondary
/// (non-unique) indexes of the tables loaded — and on PostgreSQL their foreign keys — keeping
/// their definitions in `bulk_suspended_indexes`: building an index once over a million rows is
/// several times faster than updating it row by row, and checking a foreign key once over the
/// table than once per row. Unique indexes stay (the load checks tracking codes
/// against them). [`resume_after_bulk`] must follow; if the process dies in between,
/// [`repair_suspended`] (run with the migrations) puts everything right.
/// Only for a single writer: complaints filed meanwhile would be missing from the rollups until
/// the rebuild, which counts them.
pub async fn suspend_for_bulk(db: &DatabaseConnection, drop_indexes: bool) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    let txn = db.begin().await?;
    for (name, table, _) in bulk_triggers(b) {
        let sql = match b {
            DatabaseBackend::Postgres => format!("ALTER TABLE {table} DISABLE TRIGGER {name}"),
            _ => format!("DROP TRIGGER IF EXISTS {name}"),
        };
        txn.execute_unprepared(&sql).await?;
    }
    if drop_indexes {
        let list = match b {
            DatabaseBackend::Postgres => {
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() \
                 AND tablename = $1 AND indexdef NOT LIKE 'CREATE UNIQUE%' ORDER BY indexname"
            }
            _ => {
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 \
                 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name"
            }
        };
        let keep =
            "INSERT INTO bulk_suspended_indexes (name, table_name, definition) VALUES ($1, $2, $3)";
        for table in BULK_TABLES {
            let rows = txn.query_all(stmt(b, list, vec![table.into()])).await?;
            for r in rows {
                let name: String = r.try_get_by_index(0)?;
                let definition: String = r.try_get_by_index(1)?;
                txn.execute(stmt(
                    b,
                    keep,
                    vec![name.clone().into(), table.into(), definition.into()],
                ))
                .await?;
                txn.execute_unprepared(&format!("DROP INDEX {}", quote(&name)))
                    .await?;
            }
            if b == DatabaseBackend::Postgres {
                // Foreign keys too: checking them row by row is most of PostgreSQL's load
                // time; added back, each is checked once over the whole table.
                let fks = txn
                    .query_all(stmt(
                        b,
                        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint \
                         WHERE conrelid = CAST($1 AS regclass) AND contype = 'f' ORDER BY conname",
                        vec![table.into()],
                    ))
                    .await?;
                for r in fks {
                    let name: String = r.try_get_by_index(0)?;
                    let def: String = r.try_get_by_index(1)?;
                    let definition =
                        format!("ALTER TABLE {table} ADD CONSTRAINT {} {def}", quote(&name));
                    txn.execute(stmt(
                        b,
                        keep,
                        vec![name.clone().into(), table.into(), definition.into()],
                    ))
                    .await?;
                    txn.execute_unprepared(&format!(
                        "ALTER TABLE {table} DROP CONSTRAINT {}",
                        quote(&name)
                    ))
                    .await?;
                }
            }
        }
    }
    txn.commit().await
}

/// An identifier in double quotes (index names come from the catalogue).
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Which of the kept definitions [`restore_indexes`] rebuilds.
#[derive(Clone, Copy, PartialEq)]
enum Kept<'a> {
    All,
    /// The one with this name.
    Named(&'a str),
    /// Everything but GIN indexes (PostgreSQL's trigram indexes: the slowest to build, one
    /// core each).
    NotGin,
}

fn is_gin(definition: &str) -> bool {
    definition.to_ascii_lowercase().contains(" using gin ")
}

/// Rebuilds the indexes (and foreign keys) a bulk load dropped (none if it dropped none) and
/// forgets them; foreign keys come last, after the indexes they may use.
async fn restore_indexes(txn: &impl ConnectionTrait, which: Kept<'_>) -> Result<usize, DbErr> {
    let b = txn.get_database_backend();
    let rows = txn
        .query_all(Statement::from_string(
            b,
            "SELECT name, definition FROM bulk_suspended_indexes ORDER BY name",
        ))
        .await?;
    let mut kept: Vec<(String, String)> = Vec::new();
    for r in &rows {
        let name: String = r.try_get_by_index(0)?;
        let definition: String = r.try_get_by_index(1)?;
        let take = match which {
            Kept::All => true,
            Kept::Named(n) => n == name,
            Kept::NotGin => !is_gin(&definition),
        };
        if take {
            kept.push((name, definition));
        }
    }
    if kept.is_empty() {
        return Ok(0);
    }
    kept.sort_by_key(|(_, d)| d.starts_with("ALTER TABLE"));
    if b == DatabaseBackend::Postgres {
        // Sorting a million keys in memory instead of in temporary files.
        txn.execute_unprepared("SET LOCAL maintenance_work_mem = '256MB'")
            .await?;
    } else {
        // SQLite's index builds sort with helper threads, one per core.
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        txn.execute_unprepared(&format!("PRAGMA threads = {cores}"))
            .await?;
    }
    for (name, definition) in &kept {
        txn.execute_unprepared(definition).await?;
        txn.execute(stmt(
            b,
            "DELETE FROM bulk_suspended_indexes WHERE name = $1",
            vec![name.clone().into()],
        ))
        .await?;
    }
    if b == DatabaseBackend::Sqlite {
        txn.execute_unprepared("PRAGMA threads = 0").await?;
    }
    Ok(kept.len())
}

/// Ends bulk loading: indexes the complaints from id `first_id` on for search (SQLite's FTS5;
/// PostgreSQL's trigram indexes are among the rebuilt indexes), recounts every rollup with one
/// `GROUP BY` per table, rebuilds what was dropped and turns the triggers back on, in one
/// transaction. On PostgreSQL each GIN index is built meanwhile in a transaction of its own on
/// another connection (an index build uses one core; the recount and the other indexes run
/// beside them); the foreign keys and triggers, which need a stronger lock, wait for them.
///
/// `rest` runs first, beside the GIN index builds: the rows a loader sends after the complaints
/// (PostgreSQL's seed sends obstacle links and status histories then). The recount waits for it
/// and runs whether it succeeds or fails; its error is returned.
pub async fn resume_after_bulk(
    db: &DatabaseConnection,
    first_id: i64,
    rest: impl std::future::Future<Output = anyhow::Result<()>>,
) -> anyhow::Result<()> {
    let b = db.get_database_backend();
    let mut gin_names: Vec<String> = Vec::new();
    if b == DatabaseBackend::Postgres {
        for r in db
            .query_all(Statement::from_string(
                b,
                "SELECT name, definition FROM bulk_suspended_indexes ORDER BY name",
            ))
            .await?
        {
            let definition: String = r.try_get_by_index(1)?;
            if is_gin(&definition) {
                gin_names.push(r.try_get_by_index(0)?);
            }
        }
    }
    let main = async {
        let rest = rest.await;
        let recount: Result<(), DbErr> = async {
            let txn = db.begin().await?;
            if b == DatabaseBackend::Sqlite {
                fts_in_bulk(
                    &txn,
                    Statement::from_sql_and_values(
                        b,
                        "INSERT INTO complaints_fts(rowid, narrative, company_name, service_name) \
                     SELECT id, narrative, company_name, service_name FROM complaints \
                     WHERE id >= ?",
                        [first_id.into()],
                    ),
                )
                .await?;
            }
            def::rebuild(&txn, def::CURRENT).await?;
            let which = match b {
                DatabaseBackend::Postgres => Kept::NotGin,
                _ => Kept::All,
            };
            restore_indexes(&txn, which).await?;
            enable(&txn, b, &bulk_triggers(b)).await?;
            txn.commit().await
        }
        .await;
        rest.and(recount.map_err(Into::into))
    };
    let gin = futures::future::join_all(gin_names.iter().map(|name| async move {
        let txn = db.begin().await?;
        restore_indexes(&txn, Kept::Named(name)).await?;
        txn.commit().await
    }));
    let (main, gin) = tokio::join!(main, gin);
    let gin: Result<(), DbErr> = gin.into_iter().collect();
    main.and(gin.map_err(Into::into))
}

/// SQLite: runs `statement`, which writes many rows into the FTS5 index, with FTS5 settings for
/// bulk writes, then puts its defaults back. By default FTS5 flushes its in-memory terms every
/// 1 MB and merges segments four at a time, so a million narratives are merged over and over;
/// with 256 MB and sixteen `seed-demo`'s million narratives are indexed in 33 s instead of 114 s
/// (docs/performance.md).
/// Queries are as fast either way. The settings are stored in the index, hence put back:
/// the app's one-row writes need neither the memory nor the fewer, larger merges.
async fn fts_in_bulk(txn: &impl ConnectionTrait, statement: Statement) -> Result<(), DbErr> {
    async fn set(txn: &impl ConnectionTrait, automerge: i64, hashsize: i64) -> Result<(), DbErr> {
        for (name, value) in [("automerge", automerge), ("hashsize", hashsize)] {
            txn.execute(Statement::from_sql_and_values(
                DatabaseBackend::Sqlite,
                "INSERT INTO complaints_fts(complaints_fts, rank) VALUES (?, ?)",
                [name.into(), value.into()],
            ))
            .await?;
        }
        Ok(())
    }
    set(txn, 16, 256 << 20).await?;
    txn.execute(statement).await?;
    // FTS5's defaults.
    set(txn, 4, 1 << 20).await
}

async fn enable(
    txn: &impl ConnectionTrait,
    b: DatabaseBackend,
    which: &[(&'static str, &'static str, Vec<String>)],
) -> Result<(), DbErr> {
    for (name, table, create) in which {
        match b {
            DatabaseBackend::Postgres => {
                txn.execute_unprepared(&format!("ALTER TABLE {table} ENABLE TRIGGER {name}"))
                    .await?;
            }
            _ => {
                for sql in create {
                    txn.execute_unprepared(sql).await?;
                }
            }
        }
    }
    Ok(())
}

/// Finds insert triggers left suspended by an interrupted bulk load and restores them with a
/// full rebuild of what they maintain (rollups; SQLite's search index). Returns whether
/// anything had to be repaired.
pub async fn repair_suspended(db: &DatabaseConnection) -> Result<bool, DbErr> {
    let b = db.get_database_backend();
    let all = bulk_triggers(b);
    let mut missing = Vec::new();
    for t in all {
        let sql = match b {
            DatabaseBackend::Postgres => {
                "SELECT COUNT(*) FROM pg_trigger WHERE tgname = $1 AND tgenabled <> 'D'"
            }
            _ => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?",
        };
        let n = db
            .query_one(Statement::from_sql_and_values(b, sql, [t.0.into()]))
            .await?
            .map(|r| r.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0);
        if n == 0 {
            missing.push(t);
        }
    }
    if missing.is_empty() {
        // Indexes are dropped in the transaction that suspends the triggers and rebuilt in the
        // one that resumes them, so kept definitions without missing triggers should not occur;
        // if some are there (a hand-edited database), rebuild them all the same.
        let txn = db.begin().await?;
        let restored = restore_indexes(&txn, Kept::All).await?;
        txn.commit().await?;
        if restored > 0 {
            tracing::warn!(
                restored,
                "indexes dropped by an interrupted bulk load rebuilt"
            );
        }
        return Ok(restored > 0);
    }
    tracing::warn!(
        triggers = ?missing.iter().map(|t| t.0).collect::<Vec<_>>(),
        "insert triggers were left suspended (interrupted bulk load); rebuilding"
    );
    let txn = db.begin().await?;
    if missing.iter().any(|t| t.0 == "complaints_fts_ai") {
        fts_in_bulk(
            &txn,
            Statement::from_string(
                b,
                "INSERT INTO complaints_fts(complaints_fts) VALUES ('rebuild')",
            ),
        )
        .await?;
    }
    def::rebuild(&txn, def::CURRENT).await?;
    let restored = restore_indexes(&txn, Kept::All).await?;
    enable(&txn, b, &missing).await?;
    txn.commit().await?;
    tracing::warn!(
        restored,
        "indexes dropped by an interrupted bulk load rebuilt"
    );
    Ok(true)
}
