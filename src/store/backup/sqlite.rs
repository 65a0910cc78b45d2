//! SQLite backups: a consistent copy of the database file, and restoring one.
use super::*;

pub(super) async fn backup_sqlite(
    conn: &DatabaseConnection,
    partial: &Path,
) -> anyhow::Result<BTreeMap<String, u64>> {
    let target = partial
        .to_str()
        .context("the backup path must be valid UTF-8")?;
    conn.execute_unprepared(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))
        .await
        .with_context(|| format!("VACUUM INTO {target} failed"))?;
    // Counts from the copy itself, so the report describes what was written.
    let copy = open_sqlite_read_only(partial).await?;
    let counts = sqlite_counts(&copy).await;
    copy.close().await?;
    counts
}

/// A read-only connection that changes nothing in the file (no journal-mode switch).
async fn open_sqlite_read_only(path: &Path) -> anyhow::Result<DatabaseConnection> {
    let opts = SqliteConnectOptions::new().filename(path).read_only(true);
    let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .with_context(|| format!("cannot open {} as a SQLite database", path.display()))?;
    Ok(sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// Row counts of every ordinary table of a SQLite database.
async fn sqlite_counts(conn: &DatabaseConnection) -> anyhow::Result<BTreeMap<String, u64>> {
    let names = conn
        .query_all(stmt(
            DatabaseBackend::Sqlite,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE '%_fts_%' ORDER BY name",
            vec![],
        ))
        .await?;
    let mut out = BTreeMap::new();
    for row in names {
        let name: String = row.try_get_by_index(0)?;
        let n = conn
            .query_one(stmt(
                DatabaseBackend::Sqlite,
                &format!("SELECT COUNT(*) FROM {}", quote_ident(&name)),
                vec![],
            ))
            .await?
            .map(|r| r.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0);
        out.insert(name, n as u64);
    }
    Ok(out)
}

pub(super) async fn restore_sqlite(
    database_url: &str,
    from: &Path,
) -> anyhow::Result<BTreeMap<String, u64>> {
    let target = SqliteConnectOptions::from_str(database_url)
        .with_context(|| format!("invalid SQLite URL {database_url}"))?
        .get_filename()
        .to_path_buf();
    if target.exists() {
        let existing = Db::connect(database_url).await?;
        let busy = has_data(&existing.read).await?;
        existing.read.close().await?;
        existing.write.close().await?;
        if busy {
            bail!(
                "{} already holds data; restore into a new file (or move it away first)",
                target.display()
            );
        }
    }
    // Check the backup before it replaces anything.
    let backup = open_sqlite_read_only(from).await?;
    let check: String = backup
        .query_one(stmt(
            DatabaseBackend::Sqlite,
            "PRAGMA integrity_check",
            vec![],
        ))
        .await?
        .context("integrity_check returned nothing")?
        .try_get_by_index(0)?;
    anyhow::ensure!(
        check == "ok",
        "the backup fails SQLite's integrity check: {check}"
    );
    let theirs = applied_migrations(&backup).await?;
    backup.close().await?;
    let known = known_migrations();
    if let Some(newer) = theirs.iter().find(|m| !known.contains(m)) {
        bail!("the backup was made by a newer downgrade-watch (migration {newer}); restore it with that version");
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        tokio::fs::create_dir_all(parent).await?;
    }
    let partial = partial_path(&target);
    tokio::fs::copy(from, &partial)
        .await
        .with_context(|| format!("cannot copy to {}", partial.display()))?;
    for suffix in ["-wal", "-shm"] {
        let mut side = target.as_os_str().to_os_string();
        side.push(suffix);
        let _ = tokio::fs::remove_file(PathBuf::from(side)).await;
    }
    tokio::fs::rename(&partial, &target).await?;
    let db = Db::connect(database_url).await?;
    db.migrate().await?;
    let counts = sqlite_counts(&db.read).await;
    db.read.close().await?;
    db.write.close().await?;
    counts
}
