//! Files an erasure removes: evidence, the company's attachments (a company answering about a
//! consumer's account may attach screenshots of it, so they are personal data too) and the
//! `.eml` files mails were written to. Their rows (and with them the original file names) go in
//! the erasure's transaction, which also queues the files in `pending_file_deletions`; the
//! deletions run after the commit and the worker retries whatever failed, so a failed unlink is
//! never forgotten. A queue row holds only the random stored name, never personal data.
use std::collections::HashSet;
use std::path::Path;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

use super::{Counts, Dirs};
use crate::store::sql::stmt;

/// Queue folder: a stored evidence or attachment file (`DW_DATA_DIR/evidence/<hex>`).
const EVIDENCE: &str = "evidence";
/// Queue folder: an `.eml` file of the file transport (`DW_DATA_DIR/outbox/<name>`).
const OUTBOX: &str = "outbox";
/// Queue folder: the mail with this outbox id was sent before `.eml` names were recorded; its
/// file is found by its `Message-ID`.
const OUTBOX_MESSAGE: &str = "outbox_message";
/// Deletions tried per pass.
const BATCH: i64 = 500;

async fn queue(
    conn: &impl ConnectionTrait,
    folder: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    conn.execute(stmt(
        conn.get_database_backend(),
        "INSERT INTO pending_file_deletions (folder, name, attempts, created_at) VALUES ($1, $2, 0, $3)",
        vec![folder.into(), name.into(), now.into()],
    ))
    .await?;
    Ok(())
}

async fn names(conn: &impl ConnectionTrait, sql: &str, id: i64) -> Result<Vec<String>, DbErr> {
    conn.query_all(stmt(conn.get_database_backend(), sql, vec![id.into()]))
        .await?
        .iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect()
}

/// Deletes the case's evidence and attachment rows and its mails' file names, queueing the
/// files for deletion.
pub(super) async fn queue_case_files(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
    now: DateTime<Utc>,
    n: &mut Counts,
) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    for name in names(
        conn,
        "SELECT stored_name FROM evidence_files WHERE complaint_id = $1",
        complaint_id,
    )
    .await?
    {
        queue(conn, EVIDENCE, &name, now).await?;
        n.evidence_files += 1;
    }
    conn.execute(stmt(
        backend,
        "DELETE FROM evidence_files WHERE complaint_id = $1",
        vec![complaint_id.into()],
    ))
    .await?;
    for name in names(
        conn,
        "SELECT f.stored_name FROM response_files f JOIN company_responses r ON r.id = f.response_id \
         WHERE r.complaint_id = $1",
        complaint_id,
    )
    .await?
    {
        queue(conn, EVIDENCE, &name, now).await?;
        n.attachments += 1;
    }
    conn.execute(stmt(
        backend,
        "DELETE FROM response_files WHERE response_id IN \
         (SELECT id FROM company_responses WHERE complaint_id = $1)",
        vec![complaint_id.into()],
    ))
    .await?;
    // `eml_file`: NULL = not known (sent before names were recorded), '' = no file (SMTP, or
    // already queued), else the file's name.
    for name in names(
        conn,
        "SELECT eml_file FROM mail_outbox WHERE complaint_id = $1 AND eml_file IS NOT NULL AND eml_file <> ''",
        complaint_id,
    )
    .await?
    {
        queue(conn, OUTBOX, &name, now).await?;
        n.eml_files += 1;
    }
    let legacy = conn
        .query_all(stmt(
            backend,
            "SELECT id FROM mail_outbox WHERE complaint_id = $1 AND status = 'sent' AND eml_file IS NULL",
            vec![complaint_id.into()],
        ))
        .await?;
    for r in legacy {
        let id: i64 = r.try_get_by_index(0)?;
        queue(conn, OUTBOX_MESSAGE, &id.to_string(), now).await?;
        n.eml_files += 1;
    }
    conn.execute(stmt(
        backend,
        "UPDATE mail_outbox SET eml_file = '' WHERE complaint_id = $1 AND (eml_file IS NULL OR eml_file <> '') \
         AND status IN ('sent', 'cancelled', 'failed')",
        vec![complaint_id.into()],
    ))
    .await?;
    Ok(())
}

/// Queues the `.eml` file of a mail that was written while its case was being erased (the
/// sending worker had claimed it before the erasure).
pub async fn queue_late_eml(conn: &impl ConnectionTrait, name: &str) -> Result<(), DbErr> {
    queue(conn, OUTBOX, name, Utc::now()).await
}

/// A stored name that cannot leave its folder.
fn safe(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && !name.starts_with('.')
}

/// Removes a file; a file that is already gone counts as removed.
async fn unlink(path: &Path) -> Result<(), String> {
    match tokio::fs::remove_file(path).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

/// Deletes the `.eml` files in `dir` whose `Message-ID` names one of `ids` (mails written
/// before their file names were recorded).
async fn unlink_by_message_id(dir: &Path, ids: &HashSet<i64>) -> Result<(), String> {
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.to_string()),
    };
    while let Some(entry) = entries.next_entry().await.map_err(|e| e.to_string())? {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("eml") {
            continue;
        }
        let Ok(bytes) = tokio::fs::read(&path).await else {
            continue;
        };
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]);
        let id = head
            .lines()
            .filter_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("message-id").then_some(v.trim())
            })
            .filter_map(|v| v.strip_prefix("<outbox-")?.split('-').next()?.parse().ok())
            .next();
        if id.is_some_and(|id| ids.contains(&id)) {
            unlink(&path).await?;
        }
    }
    Ok(())
}

/// Tries every queued deletion once; returns how many are still waiting.
pub async fn retry(db: &DatabaseConnection, dirs: &Dirs) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all(stmt(
            backend,
            "SELECT id, folder, name FROM pending_file_deletions ORDER BY id LIMIT $1",
            vec![BATCH.into()],
        ))
        .await?;
    let mut legacy: Vec<(i64, i64)> = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get("", "id")?;
        let folder: String = r.try_get("", "folder")?;
        let name: String = r.try_get("", "name")?;
        let result = match folder.as_str() {
            EVIDENCE if safe(&name) => unlink(&dirs.evidence.join(&name)).await,
            OUTBOX if safe(&name) => unlink(&dirs.outbox.join(&name)).await,
            OUTBOX_MESSAGE => {
                if let Ok(mail_id) = name.parse::<i64>() {
                    legacy.push((id, mail_id));
                }
                continue;
            }
            // Nothing a stored name could point to: done.
            _ => Ok(()),
        };
        settle(db, id, result).await?;
    }
    if !legacy.is_empty() {
        let ids: HashSet<i64> = legacy.iter().map(|(_, m)| *m).collect();
        let result = unlink_by_message_id(&dirs.outbox, &ids).await;
        for (id, _) in legacy {
            settle(db, id, result.clone()).await?;
        }
    }
    let left = db
        .query_one(stmt(
            backend,
            "SELECT COUNT(*) FROM pending_file_deletions",
            vec![],
        ))
        .await?
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    Ok(left as u64)
}

/// Removes a done deletion from the queue, or records the failure for the next pass.
async fn settle(db: &DatabaseConnection, id: i64, result: Result<(), String>) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    match result {
        Ok(()) => {
            db.execute(stmt(
                backend,
                "DELETE FROM pending_file_deletions WHERE id = $1",
                vec![id.into()],
            ))
            .await?;
        }
        Err(e) => {
            tracing::warn!(deletion = id, error = %e, "file deletion failed; will retry");
            db.execute(stmt(
                backend,
                "UPDATE pending_file_deletions SET attempts = attempts + 1, last_error = $1 WHERE id = $2",
                vec![e.chars().take(300).collect::<String>().into(), id.into()],
            ))
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn stored_names_cannot_leave_their_folder() {
        assert!(safe("0a1b2c"));
        assert!(safe("5f0c7a2e-9b1d-4c3e-8f00-123456789abc.eml"));
        assert!(!safe("../secret"));
        assert!(!safe("a/b"));
        assert!(!safe(".hidden"));
        assert!(!safe(""));
    }
}
