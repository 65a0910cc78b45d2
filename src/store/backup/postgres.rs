//! PostgreSQL backups: every table streamed in foreign-key order, and restoring them in batches.
use super::*;

/// Base tables of the current schema in an order where every table comes after the tables its
/// foreign keys point to.
async fn pg_tables_in_fk_order(conn: &impl ConnectionTrait) -> anyhow::Result<Vec<String>> {
    let pg = DatabaseBackend::Postgres;
    let names: BTreeSet<String> = conn
        .query_all(stmt(
            pg,
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'seaql_migrations'",
            vec![],
        ))
        .await?
        .into_iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect::<Result<_, _>>()?;
    let edges = conn
        .query_all(stmt(
            pg,
            "SELECT child.relname::text, parent.relname::text FROM pg_constraint c \
             JOIN pg_class child ON child.oid = c.conrelid JOIN pg_class parent ON parent.oid = c.confrelid \
             JOIN pg_namespace n ON n.oid = child.relnamespace \
             WHERE c.contype = 'f' AND n.nspname = current_schema()",
            vec![],
        ))
        .await?;
    let mut parents: BTreeMap<String, BTreeSet<String>> =
        names.iter().map(|n| (n.clone(), BTreeSet::new())).collect();
    for e in edges {
        let (child, parent): (String, String) = (e.try_get_by_index(0)?, e.try_get_by_index(1)?);
        if child != parent && names.contains(&parent) {
            if let Some(p) = parents.get_mut(&child) {
                p.insert(parent);
            }
        }
    }
    let mut order = Vec::with_capacity(names.len());
    while !parents.is_empty() {
        let ready: Vec<String> = parents
            .iter()
            .filter(|(_, ps)| ps.is_empty())
            .map(|(n, _)| n.clone())
            .collect();
        if ready.is_empty() {
            bail!(
                "foreign keys form a cycle between tables {:?}",
                parents.keys().collect::<Vec<_>>()
            );
        }
        for n in &ready {
            parents.remove(n);
        }
        for ps in parents.values_mut() {
            for n in &ready {
                ps.remove(n);
            }
        }
        order.extend(ready);
    }
    Ok(order)
}

async fn pg_columns(conn: &impl ConnectionTrait, table: &str) -> anyhow::Result<Vec<String>> {
    Ok(conn
        .query_all(stmt(
            DatabaseBackend::Postgres,
            "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position",
            vec![table.into()],
        ))
        .await?
        .into_iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect::<Result<_, _>>()?)
}

pub(super) async fn backup_postgres(
    conn: &DatabaseConnection,
    partial: &Path,
) -> anyhow::Result<BTreeMap<String, u64>> {
    let pg = DatabaseBackend::Postgres;
    let txn = conn
        .begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadOnly),
        )
        .await?;
    let migrations = applied_migrations(&txn).await?;
    let tables = pg_tables_in_fk_order(&txn).await?;
    let file = tokio::fs::File::create(partial)
        .await
        .with_context(|| format!("cannot create {}", partial.display()))?;
    let mut w = tokio::io::BufWriter::with_capacity(1 << 20, file);
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        backend: "postgres".into(),
        created_at: chrono::Utc::now().to_rfc3339(),
        migrations,
        tables: tables.clone(),
    };
    w.write_all(serde_json::to_string(&header)?.as_bytes())
        .await?;
    w.write_all(b"\n").await?;
    let mut counts = BTreeMap::new();
    for table in &tables {
        let columns = pg_columns(&txn, table).await?;
        let quoted: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
        let rows = txn
            .query_one(stmt(
                pg,
                &format!("SELECT COUNT(*) FROM {}", quote_ident(table)),
                vec![],
            ))
            .await?
            .map(|r| r.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0) as u64;
        let start = TableStart {
            table: table.clone(),
            columns: columns.clone(),
            rows,
        };
        w.write_all(serde_json::to_string(&start)?.as_bytes())
            .await?;
        w.write_all(b"\n").await?;
        let sql = format!(
            "SELECT row_to_json(t)::text FROM (SELECT {} FROM {}) t",
            quoted.join(", "),
            quote_ident(table)
        );
        let mut stream = txn.stream(stmt(pg, &sql, vec![])).await?;
        let mut written = 0u64;
        while let Some(row) = stream.next().await {
            let line: String = row?.try_get_by_index(0)?;
            w.write_all(line.as_bytes()).await?;
            w.write_all(b"\n").await?;
            written += 1;
        }
        drop(stream);
        anyhow::ensure!(
            written == rows,
            "table {table}: counted {rows} rows but read {written}"
        );
        counts.insert(table.clone(), rows);
    }
    let end = End {
        end: true,
        tables: tables.len(),
    };
    w.write_all(serde_json::to_string(&end)?.as_bytes()).await?;
    w.write_all(b"\n").await?;
    w.flush().await?;
    w.into_inner().sync_all().await?;
    txn.commit().await?;
    Ok(counts)
}

pub(super) async fn restore_postgres(
    database_url: &str,
    from: &Path,
) -> anyhow::Result<BTreeMap<String, u64>> {
    let file = tokio::fs::File::open(from).await?;
    let mut lines = tokio::io::BufReader::with_capacity(1 << 20, file).lines();
    let first = lines.next_line().await?.context("the backup is empty")?;
    let header: Header =
        serde_json::from_str(&first).context("not a downgrade-watch backup (bad header line)")?;
    anyhow::ensure!(
        header.format == FORMAT && header.backend == "postgres",
        "not a downgrade-watch PostgreSQL backup"
    );
    anyhow::ensure!(
        header.version <= VERSION,
        "backup format {} is newer than this program reads",
        header.version
    );
    let known = known_migrations();
    anyhow::ensure!(
        header.migrations.len() <= known.len() && known[..header.migrations.len()] == header.migrations[..],
        "the backup's schema ({} migrations, last {:?}) is not one this program knows; restore it with the version that made it",
        header.migrations.len(),
        header.migrations.last()
    );

    let db = Db::connect(database_url).await?;
    let conn = &db.write;
    if has_data(conn).await? {
        bail!("the target database already holds data; restore into a new, empty database");
    }
    let applied = applied_migrations(conn).await?;
    anyhow::ensure!(
        applied.len() <= header.migrations.len() && header.migrations[..applied.len()] == applied[..],
        "the target database is at a newer schema than the backup; restore into a new, empty database"
    );
    let steps = (header.migrations.len() - applied.len()) as u32;
    if steps > 0 {
        Migrator::up(conn, Some(steps))
            .await
            .context("migrating the target to the backup's schema")?;
    }

    let txn = conn.begin().await?;
    // The backup holds every table as it was, derived ones included (e.g. rollups that
    // triggers maintain): triggers must not fire again while loading, or they would count
    // every row twice. Disabling them needs only table ownership (the role that migrated);
    // foreign keys stay checked, which the parents-first order satisfies.
    let all: Vec<String> = header.tables.iter().map(|t| quote_ident(t)).collect();
    for t in &all {
        txn.execute_unprepared(&format!("ALTER TABLE {t} DISABLE TRIGGER USER"))
            .await
            .context("disabling triggers for the load (run restore as the owner of the tables)")?;
    }
    if !all.is_empty() {
        txn.execute_unprepared(&format!(
            "TRUNCATE {} RESTART IDENTITY CASCADE",
            all.join(", ")
        ))
        .await?;
    }
    let mut counts = BTreeMap::new();
    let mut sections = 0usize;
    let mut ended = false;
    let mut pending: Option<(TableStart, u64)> = None;
    let mut batch = String::new();
    let mut batch_rows = 0usize;
    while let Some(line) = lines.next_line().await? {
        match pending.as_mut() {
            Some((start, seen)) if *seen < start.rows => {
                if batch_rows > 0 {
                    batch.push(',');
                }
                batch.push_str(&line);
                batch_rows += 1;
                *seen += 1;
                if batch_rows >= RESTORE_BATCH_ROWS
                    || batch.len() >= RESTORE_BATCH_BYTES
                    || *seen == start.rows
                {
                    insert_batch(&txn, start, &batch).await?;
                    batch.clear();
                    batch_rows = 0;
                }
                if *seen == start.rows {
                    counts.insert(start.table.clone(), start.rows);
                    pending = None;
                }
            }
            _ => {
                if let Ok(start) = serde_json::from_str::<TableStart>(&line) {
                    anyhow::ensure!(
                        header.tables.contains(&start.table),
                        "table {} is not in the header",
                        start.table
                    );
                    sections += 1;
                    if start.rows == 0 {
                        counts.insert(start.table.clone(), 0);
                    } else {
                        pending = Some((start, 0));
                    }
                } else if let Ok(end) = serde_json::from_str::<End>(&line) {
                    anyhow::ensure!(
                        end.end && end.tables == sections,
                        "the backup's end marker does not match its tables"
                    );
                    ended = true;
                    break;
                } else {
                    bail!("unexpected line in the backup after {} tables", sections);
                }
            }
        }
    }
    anyhow::ensure!(
        ended && pending.is_none(),
        "the backup is truncated (no end marker); it cannot be restored"
    );
    reset_sequences(&txn).await?;
    for t in &all {
        txn.execute_unprepared(&format!("ALTER TABLE {t} ENABLE TRIGGER USER"))
            .await?;
    }
    txn.commit().await?;
    Migrator::up(conn, None)
        .await
        .context("applying migrations newer than the backup")?;
    db.write.close().await?;
    Ok(counts)
}

async fn insert_batch(
    txn: &impl ConnectionTrait,
    start: &TableStart,
    rows_json: &str,
) -> anyhow::Result<()> {
    let cols: Vec<String> = start.columns.iter().map(|c| quote_ident(c)).collect();
    let table = quote_ident(&start.table);
    let sql = format!(
        "INSERT INTO {table} ({cols}) OVERRIDING SYSTEM VALUE SELECT {cols} FROM json_populate_recordset(NULL::{table}, $1::json)",
        cols = cols.join(", ")
    );
    txn.execute(stmt(
        DatabaseBackend::Postgres,
        &sql,
        vec![format!("[{rows_json}]").into()],
    ))
    .await
    .with_context(|| format!("restoring rows of {}", start.table))?;
    Ok(())
}

/// Points every serial or identity sequence just past the highest restored id.
async fn reset_sequences(txn: &impl ConnectionTrait) -> anyhow::Result<()> {
    let pg = DatabaseBackend::Postgres;
    let cols = txn
        .query_all(stmt(
            pg,
            "SELECT table_name::text, column_name::text, pg_get_serial_sequence(quote_ident(table_name), column_name)::text \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')",
            vec![],
        ))
        .await?;
    for c in cols {
        let (table, column, seq): (String, String, Option<String>) = (
            c.try_get_by_index(0)?,
            c.try_get_by_index(1)?,
            c.try_get_by_index(2)?,
        );
        let Some(seq) = seq else { continue };
        let sql = format!(
            "SELECT setval($1::regclass, COALESCE((SELECT MAX({col}) FROM {tbl}), 0) + 1, false)",
            col = quote_ident(&column),
            tbl = quote_ident(&table)
        );
        txn.query_one(stmt(pg, &sql, vec![seq.into()])).await?;
    }
    Ok(())
}
