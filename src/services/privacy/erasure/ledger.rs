//! The erasure ledger: which case was erased when and which kinds of data (no personal data).
//! It lives in the database (`erasure_ledger`, so every backup carries the erasures made before
//! it) and is copied to an append-only file next to the evidence (`DW_DATA_DIR/erasure-ledger.jsonl`),
//! which outlives the database a restore replaces. `restore` re-applies both after loading a
//! backup ([`reapply`]), so restoring an old backup never brings erased data back.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, TransactionTrait, Value};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

use super::{Cause, Dirs, Scope};
use crate::entities::complaint;
use crate::services::audit::Actor;
use crate::store::sql::stmt;

/// One erasure as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub complaint_id: i64,
    pub tracking_code: String,
    pub erased_at: DateTime<Utc>,
    pub kinds: String,
}

/// Where the ledger file lives.
pub fn file_path(dirs: &Dirs) -> PathBuf {
    dirs.ledger.clone()
}

/// Adds an erasure to the ledger (inside the erasure's transaction).
pub(super) async fn record(
    conn: &impl ConnectionTrait,
    c: &complaint::Model,
    scope: Scope,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    conn.execute(stmt(
        conn.get_database_backend(),
        "INSERT INTO erasure_ledger (complaint_id, tracking_code, erased_at, kinds, in_file) \
         VALUES ($1, $2, $3, $4, $5)",
        vec![
            c.id.into(),
            c.tracking_code.clone().into(),
            now.into(),
            scope.kinds().into(),
            false.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Every erasure in the database's ledger, oldest first.
pub async fn entries(conn: &impl ConnectionTrait) -> Result<Vec<Entry>, DbErr> {
    let rows = conn
        .query_all(stmt(
            conn.get_database_backend(),
            "SELECT complaint_id, tracking_code, erased_at, kinds FROM erasure_ledger ORDER BY erased_at, id",
            vec![],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Entry {
                complaint_id: r.try_get("", "complaint_id")?,
                tracking_code: r.try_get("", "tracking_code")?,
                erased_at: r.try_get("", "erased_at")?,
                kinds: r.try_get("", "kinds")?,
            })
        })
        .collect()
}

/// Appends the rows not yet in the ledger file to it (synced before they are marked), and
/// returns how many. Two instances may both append a row; a repeated line is harmless.
pub async fn flush(db: &DatabaseConnection, path: &Path) -> anyhow::Result<u64> {
    let backend = db.get_database_backend();
    let mut total = 0;
    loop {
        let rows = db
            .query_all(stmt(
                backend,
                "SELECT id, complaint_id, tracking_code, erased_at, kinds FROM erasure_ledger WHERE in_file = $1 \
                 ORDER BY id LIMIT 1000",
                vec![false.into()],
            ))
            .await?;
        if rows.is_empty() {
            return Ok(total);
        }
        let mut ids: Vec<Value> = Vec::with_capacity(rows.len());
        let mut lines = String::new();
        for r in &rows {
            ids.push(r.try_get::<i64>("", "id")?.into());
            let e = Entry {
                complaint_id: r.try_get("", "complaint_id")?,
                tracking_code: r.try_get("", "tracking_code")?,
                erased_at: r.try_get("", "erased_at")?,
                kinds: r.try_get("", "kinds")?,
            };
            lines.push_str(&serde_json::to_string(&e)?);
            lines.push('\n');
        }
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let mut f = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .await?;
        f.write_all(lines.as_bytes()).await?;
        f.sync_all().await?;
        let list = (2..2 + ids.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut values: Vec<Value> = vec![true.into()];
        total += ids.len() as u64;
        values.extend(ids);
        db.execute(stmt(
            backend,
            &format!("UPDATE erasure_ledger SET in_file = $1 WHERE id IN ({list})"),
            values,
        ))
        .await?;
    }
}

/// Reads the ledger file; a missing file is an empty ledger. A line that does not parse (a
/// write cut short by a crash) is skipped.
pub async fn read_file(path: &Path) -> anyhow::Result<Vec<Entry>> {
    let text = match tokio::fs::read_to_string(path).await {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l.trim()).ok())
        .collect())
}

/// What [`reapply`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reapplied {
    /// Ledger entries known from outside the restored database and added to its ledger.
    pub imported: u64,
    /// Cases in the merged ledger.
    pub cases: u64,
    /// Cases where the restored data still held something erased, now erased again.
    pub erased_again: u64,
}

/// After a restore: adds `outside` (the ledger file, read before the restore) to the restored
/// database's ledger and erases again, for every case in the merged ledger, the kinds recorded
/// for it. Idempotent: data that is already gone stays gone and nothing else changes.
pub async fn reapply(
    db: &DatabaseConnection,
    dirs: &Dirs,
    outside: &[Entry],
) -> anyhow::Result<Reapplied> {
    let mut done = Reapplied::default();
    let known: BTreeSet<(i64, i64, String)> = entries(db)
        .await?
        .into_iter()
        .map(|e| (e.complaint_id, e.erased_at.timestamp_micros(), e.kinds))
        .collect();
    let txn = db.begin().await?;
    let mut seen = known.clone();
    for e in outside {
        let key = (
            e.complaint_id,
            e.erased_at.timestamp_micros(),
            e.kinds.clone(),
        );
        if seen.insert(key) {
            txn.execute(stmt(
                txn.get_database_backend(),
                "INSERT INTO erasure_ledger (complaint_id, tracking_code, erased_at, kinds, in_file) \
                 VALUES ($1, $2, $3, $4, $5)",
                vec![
                    e.complaint_id.into(),
                    e.tracking_code.clone().into(),
                    e.erased_at.into(),
                    e.kinds.clone().into(),
                    true.into(),
                ],
            ))
            .await?;
            done.imported += 1;
        }
    }
    txn.commit().await?;
    let mut scopes: BTreeMap<(i64, String), Scope> = BTreeMap::new();
    for e in entries(db).await? {
        let s = scopes.entry((e.complaint_id, e.tracking_code)).or_default();
        let k = Scope::from_kinds(&e.kinds);
        s.contact |= k.contact;
        s.narrative |= k.narrative;
    }
    let actor = Actor {
        user_id: None,
        label: "restore".into(),
    };
    for ((id, code), scope) in scopes {
        done.cases += 1;
        let txn = db.begin().await?;
        let Some(c) = complaint::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .filter(|c| c.tracking_code == code)
        else {
            // Filed after the backup was taken (not in the restored data), or a later case
            // that reused the id.
            continue;
        };
        let r = super::erase_in(&txn, &c, scope, &actor, Cause::Restore, Utc::now()).await?;
        txn.commit().await?;
        if r.changed {
            done.erased_again += 1;
        }
    }
    super::after_commit(db, dirs).await;
    Ok(done)
}
