//! `backup --out FILE` and `restore --from FILE`: consistent snapshots taken while the service
//! runs, and the way back (docs/admin-guide.md has the procedure).
//!
//! - SQLite: `VACUUM INTO` writes a compact, consistent copy of the live database (one read
//!   snapshot; writers are not blocked). The backup is itself a database file: restoring is
//!   copying it into place, which `restore` does after checking it.
//! - PostgreSQL: every table is dumped inside one `REPEATABLE READ READ ONLY` transaction (one
//!   snapshot across all tables, like `pg_dump`) as JSON lines: a header with the applied
//!   migrations, then per table a line with its columns and row count followed by one
//!   `row_to_json` object per row, parents before children, then an end marker. `restore` loads
//!   it into a new database: migrates it to the backup's schema version, replaces the seeded
//!   reference rows with the backup's, resets the id sequences and applies any newer migrations.
//!
//! Both write to `FILE.partial` and rename at the end, so a half-written backup never carries the
//! final name, and both refuse to overwrite an existing file.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{bail, Context};
use futures::StreamExt;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseBackend, DatabaseConnection, IsolationLevel, StreamTrait,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use crate::store::db::Db;
use crate::store::sql::stmt;

mod postgres;
mod sqlite;

use postgres::{backup_postgres, restore_postgres};
use sqlite::{backup_sqlite, restore_sqlite};

/// Identifies a PostgreSQL backup file.
pub const FORMAT: &str = "downgrade-watch-backup";
const VERSION: u32 = 1;
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
/// Rows per INSERT when restoring (bounded by size too).
const RESTORE_BATCH_ROWS: usize = 2_000;
const RESTORE_BATCH_BYTES: usize = 8 * 1024 * 1024;

/// What a backup or restore did: rows per table.
#[derive(Debug, Clone)]
pub struct Report {
    pub path: PathBuf,
    pub bytes: u64,
    pub tables: BTreeMap<String, u64>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    backend: String,
    created_at: String,
    migrations: Vec<String>,
    tables: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct TableStart {
    table: String,
    columns: Vec<String>,
    rows: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct End {
    end: bool,
    tables: usize,
}

fn partial_path(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    out.with_file_name(name)
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Takes a consistent snapshot of the database behind `db` into `out`.
pub async fn backup(db: &Db, out: &Path) -> anyhow::Result<Report> {
    if out.exists() {
        bail!("{} already exists; choose a new file name", out.display());
    }
    let partial = partial_path(out);
    let _ = tokio::fs::remove_file(&partial).await;
    let tables = match db.backend() {
        DatabaseBackend::Postgres => backup_postgres(&db.read, &partial).await,
        _ => backup_sqlite(&db.read, &partial).await,
    };
    let tables = match tables {
        Ok(t) => t,
        Err(e) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(e);
        }
    };
    tokio::fs::rename(&partial, out)
        .await
        .with_context(|| format!("cannot rename the backup to {}", out.display()))?;
    let bytes = tokio::fs::metadata(out).await?.len();
    Ok(Report {
        path: out.to_path_buf(),
        bytes,
        tables,
    })
}

async fn applied_migrations(conn: &impl ConnectionTrait) -> anyhow::Result<Vec<String>> {
    let backend = conn.get_database_backend();
    let exists_sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_name = 'seaql_migrations'"
        }
        _ => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'"
        }
    };
    let exists = conn
        .query_one(stmt(backend, exists_sql, vec![]))
        .await?
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    if exists == 0 {
        return Ok(Vec::new());
    }
    Ok(conn
        .query_all(stmt(
            backend,
            "SELECT version FROM seaql_migrations ORDER BY version",
            vec![],
        ))
        .await?
        .into_iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect::<Result<_, _>>()?)
}

/// Restores the backup `from` into the (new, empty) database at `database_url`.
pub async fn restore(database_url: &str, from: &Path) -> anyhow::Result<Report> {
    let mut head = [0u8; 16];
    {
        use tokio::io::AsyncReadExt;
        let mut f = tokio::fs::File::open(from)
            .await
            .with_context(|| format!("cannot open {}", from.display()))?;
        let n = f.read(&mut head).await?;
        anyhow::ensure!(n > 0, "{} is empty", from.display());
    }
    let is_sqlite_file = head == SQLITE_MAGIC;
    let target_is_pg = database_url.starts_with("postgres");
    let tables = match (is_sqlite_file, target_is_pg) {
        (true, false) => restore_sqlite(database_url, from).await?,
        (false, true) => restore_postgres(database_url, from).await?,
        (true, true) => bail!(
            "{} is a SQLite backup; restore it into a SQLite DATABASE_URL",
            from.display()
        ),
        (false, false) => bail!(
            "{} is not a SQLite backup; PostgreSQL backups restore into PostgreSQL",
            from.display()
        ),
    };
    // A restored database is a bulk load: give the planner statistics before anyone queries.
    let restored = Db::connect(database_url).await?;
    crate::store::db::refresh_statistics(&restored.write)
        .await
        .context("refreshing planner statistics after the restore failed")?;
    restored.write.close().await?;
    restored.read.close().await?;
    let bytes = tokio::fs::metadata(from).await?.len();
    Ok(Report {
        path: from.to_path_buf(),
        bytes,
        tables,
    })
}

/// Known migration names of this program, in order.
fn known_migrations() -> Vec<String> {
    Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect()
}

/// Whether a database holds anything beyond what migrations seed.
async fn has_data(conn: &impl ConnectionTrait) -> anyhow::Result<bool> {
    if applied_migrations(conn).await?.is_empty() {
        return Ok(false);
    }
    let backend = conn.get_database_backend();
    for table in ["complaints", "users", "companies", "audit_log"] {
        let n = conn
            .query_one(stmt(
                backend,
                &format!("SELECT COUNT(*) FROM {table}"),
                vec![],
            ))
            .await?
            .map(|r| r.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0);
        if n > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}
