//! The one erasure of a case, used by the staff buttons, the consumer's request from `/my` (after
//! its cooling-off, or when staff confirm it), the retention purge and `restore`. In one
//! transaction it removes or overwrites every copy of the data asked for:
//!
//! - always: the bodies of every mail about the case (the row stays: when, which template; the
//!   recipient is blanked and unsent mail is cancelled), the evidence files and the company's
//!   attachments (rows deleted, files queued for deletion), the `.eml` files the mails were
//!   written to (queued for deletion);
//! - `contact`: name, email and phone on the case; the same values quoted in the narrative
//!   (exact matches, so the search index no longer finds them) and, through the scrubber plus
//!   exact matches, in staff notes, company answers, the consumer's additions and replies, status
//!   notes and extension reasons; the consumer's sign-in links and their mails;
//! - `narrative`: the story (replaced by a marker, which refreshes the search index), the quotes
//!   suggestions took from it, the consumer's replies and additions.
//!
//! The same transaction writes a row to the erasure ledger (case, time, kinds: no personal data),
//! one audit row per kind (who, which kinds, counts; never the data) and completes a pending
//! consumer request the erasure covers. Files are deleted after the commit; what fails stays in
//! `pending_file_deletions` and the background worker retries it ([`files::retry`]).
pub mod copies;
pub mod files;
pub mod ledger;
pub mod requests;
mod story;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, TransactionTrait};
use serde::Serialize;
use serde_json::json;

use crate::entities::complaint;
use crate::services::audit::{self, Actor};
use crate::store::sql::stmt;

/// Which kinds of data an erasure removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Scope {
    pub contact: bool,
    pub narrative: bool,
}

impl Scope {
    pub const CONTACT: Scope = Scope {
        contact: true,
        narrative: false,
    };
    pub const NARRATIVE: Scope = Scope {
        contact: false,
        narrative: true,
    };
    pub const BOTH: Scope = Scope {
        contact: true,
        narrative: true,
    };

    /// The kinds as stored in the ledger: `contact`, `narrative` or `contact,narrative`.
    pub fn kinds(self) -> String {
        let mut k = Vec::new();
        if self.contact {
            k.push("contact");
        }
        if self.narrative {
            k.push("narrative");
        }
        k.join(",")
    }

    /// Reads [`Scope::kinds`] back (unknown words are ignored).
    pub fn from_kinds(kinds: &str) -> Scope {
        let has = |w: &str| kinds.split(',').any(|k| k.trim() == w);
        Scope {
            contact: has("contact"),
            narrative: has("narrative"),
        }
    }
}

/// Where the files an erasure deletes live.
#[derive(Debug, Clone)]
pub struct Dirs {
    pub evidence: PathBuf,
    pub outbox: PathBuf,
    /// The ledger file (see [`ledger`]).
    pub ledger: PathBuf,
}

impl Dirs {
    pub fn of(config: &crate::config::Config) -> Dirs {
        Dirs {
            evidence: config.evidence_dir(),
            outbox: config.outbox_dir(),
            ledger: config.data_dir.join("erasure-ledger.jsonl"),
        }
    }
}

/// Why an erasure runs; named in the audit row and the ledger-independent counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// An admin's button on the case.
    Staff,
    /// The consumer's request from `/my` (confirmed by staff or after the cooling-off).
    ConsumerRequest,
    /// The retention purge.
    Retention,
    /// `restore` re-applying the ledger.
    Restore,
}

/// How many copies an erasure reached (counts only; for the audit row and tests).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub contact_fields: u64,
    pub narrative: u64,
    pub mail_bodies: u64,
    pub mail_cancelled: u64,
    pub eml_files: u64,
    pub evidence_files: u64,
    pub attachments: u64,
    pub texts_cleaned: u64,
    pub sign_in_links: u64,
    pub story_parts: u64,
}

impl Counts {
    fn any(&self) -> bool {
        *self != Counts::default()
    }
}

/// The result of one erasure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Erasure {
    /// Whether anything was left to erase (false when it had all been erased before).
    pub changed: bool,
    pub counts: Counts,
}

/// Erases `scope` of case `complaint_id` in one transaction, then deletes its files (retried
/// later if that fails). `None` if there is no such case.
pub async fn erase(
    db: &DatabaseConnection,
    dirs: &Dirs,
    complaint_id: i64,
    scope: Scope,
    actor: &Actor,
    cause: Cause,
) -> Result<Option<Erasure>, DbErr> {
    let done = erase_one(db, complaint_id, scope, actor, cause).await?;
    after_commit(db, dirs).await;
    Ok(done)
}

/// The transaction of [`erase`] without the file deletions after it (for callers that erase
/// many cases and then run [`after_commit`] once).
pub async fn erase_one(
    db: &DatabaseConnection,
    complaint_id: i64,
    scope: Scope,
    actor: &Actor,
    cause: Cause,
) -> Result<Option<Erasure>, DbErr> {
    let txn = db.begin().await?;
    let Some(c) = complaint::Entity::find_by_id(complaint_id)
        .one(&txn)
        .await?
    else {
        return Ok(None);
    };
    let done = erase_in(&txn, &c, scope, actor, cause, Utc::now()).await?;
    txn.commit().await?;
    Ok(Some(done))
}

/// What runs after an erasure's commit: the queued file deletions and the ledger file. Failures
/// are logged; the worker retries both.
pub async fn after_commit(db: &DatabaseConnection, dirs: &Dirs) {
    if let Err(e) = files::retry(db, dirs).await {
        tracing::warn!(error = %e, "file deletions after an erasure failed; the worker retries");
    }
    if let Err(e) = ledger::flush(db, &ledger::file_path(dirs)).await {
        tracing::warn!(error = %e, "erasure ledger file not written; the worker retries");
    }
}

/// The erasure itself, inside the caller's transaction (the consumer request's claim and the
/// restore's re-application share it).
pub async fn erase_in(
    conn: &impl ConnectionTrait,
    c: &complaint::Model,
    scope: Scope,
    actor: &Actor,
    cause: Cause,
    now: DateTime<Utc>,
) -> Result<Erasure, DbErr> {
    let backend = conn.get_database_backend();
    let mut n = Counts::default();
    if scope.contact {
        copies::erase_contact(conn, c, now, &mut n).await?;
    }
    if scope.narrative {
        story::erase_narrative(conn, c, now, &mut n).await?;
    }
    copies::erase_mail(conn, c.id, &mut n).await?;
    files::queue_case_files(conn, c.id, now, &mut n).await?;
    let first_time = (scope.contact && c.contact_erased_at.is_none())
        || (scope.narrative && c.narrative_erased_at.is_none());
    let changed = n.any() || first_time;
    if changed {
        // Bump the version so a case form loaded before the erasure conflicts instead of
        // writing old data back.
        conn.execute(stmt(
            backend,
            "UPDATE complaints SET version = version + 1 WHERE id = $1",
            vec![c.id.into()],
        ))
        .await?;
        // A restore re-applies entries that are already in the ledger.
        if cause != Cause::Restore {
            ledger::record(conn, c, scope, now).await?;
        }
        // Kinds, cause and counts only: the audit log never holds the erased data.
        for (on, action) in [
            (scope.contact, "contact_erased"),
            (scope.narrative, "narrative_erased"),
        ] {
            if on {
                audit::record(
                    conn,
                    actor,
                    action,
                    Some(("complaint", c.id.to_string())),
                    Some(json!({ "kinds": scope.kinds(), "cause": cause, "counts": n })),
                )
                .await?;
            }
        }
    }
    requests::complete_covered(conn, c.id, scope, now).await?;
    Ok(Erasure { changed, counts: n })
}

#[cfg(test)]
mod tests {
    use super::Scope;

    #[test]
    fn ledger_kinds_read_back_as_the_scope_they_came_from() {
        for s in [Scope::CONTACT, Scope::NARRATIVE, Scope::BOTH] {
            assert_eq!(Scope::from_kinds(&s.kinds()), s);
        }
        assert_eq!(Scope::BOTH.kinds(), "contact,narrative");
        assert_eq!(Scope::from_kinds("narrative, unknown"), Scope::NARRATIVE);
    }
}
