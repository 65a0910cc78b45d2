//! Database connections. SQLite gets WAL, a busy timeout and a single-connection writer pool (one
//! writer path, so concurrent requests queue instead of failing with SQLITE_BUSY); PostgreSQL uses
//! one pool for both.
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    SqlxSqliteConnector,
};

/// Read and write handles (the same pool on PostgreSQL).
#[derive(Clone, Debug)]
pub struct Db {
    pub read: DatabaseConnection,
    pub write: DatabaseConnection,
}

impl Db {
    /// Connects, creating the SQLite file and its folder on first run.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .with_context(|| format!("invalid SQLite URL {url}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true);
            if let Some(parent) = opts.get_filename().parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).with_context(|| {
                        format!("cannot create database folder {}", parent.display())
                    })?;
                }
            }
            let write_pool = SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts.clone())
                .await
                .with_context(|| format!("cannot open SQLite database {url}"))?;
            let read_pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts.read_only(false))
                .await?;
            Ok(Db {
                read: SqlxSqliteConnector::from_sqlx_sqlite_pool(read_pool),
                write: SqlxSqliteConnector::from_sqlx_sqlite_pool(write_pool),
            })
        } else {
            let mut opts = ConnectOptions::new(url.to_string());
            opts.max_connections(20)
                .min_connections(1)
                .connect_timeout(Duration::from_secs(5))
                .acquire_timeout(Duration::from_secs(5))
                .sqlx_logging(false);
            let conn = Database::connect(opts)
                .await
                .with_context(|| "cannot connect to PostgreSQL (check DATABASE_URL)".to_string())?;
            Ok(Db {
                read: conn.clone(),
                write: conn,
            })
        }
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.write.get_database_backend()
    }

    /// Applies all pending migrations, then restores the insert triggers if a bulk load
    /// (`seed-demo`) was interrupted while they were suspended.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        Migrator::up(&self.write, None)
            .await
            .context("database migration failed")?;
        let repaired = crate::store::rollup::repair_suspended(&self.write)
            .await
            .context("restoring the rollup and search triggers failed")?;
        if repaired {
            refresh_statistics(&self.write)
                .await
                .context("refreshing planner statistics after the repair failed")?;
        }
        Ok(())
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        self.read.ping().await.is_ok()
    }
}

/// Gives the query planner fresh statistics after a bulk write (`seed-demo`, `restore`, the
/// repair of an interrupted load). PostgreSQL leaves bulk-loaded tables without statistics until
/// autovacuum happens to run, and plans searches and stats as sequential scans meanwhile;
/// SQLite keeps none until `ANALYZE` runs. `analysis_limit` bounds SQLite's work to a sample per
/// index (about a second at one million complaints) instead of a full pass.
pub async fn refresh_statistics(conn: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
    match conn.get_database_backend() {
        DatabaseBackend::Postgres => {
            conn.execute_unprepared("ANALYZE").await?;
        }
        _ => {
            conn.execute_unprepared("PRAGMA analysis_limit = 2000")
                .await?;
            conn.execute_unprepared("ANALYZE").await?;
            conn.execute_unprepared("PRAGMA optimize").await?;
        }
    }
    Ok(())
}
