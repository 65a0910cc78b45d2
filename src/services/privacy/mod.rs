//! Privacy operations (个人信息保护法): erasure of a case's personal data ([`erasure`]: one service
//! for the staff buttons, the consumer's request and the retention purge), the retention purge
//! that erases the contact data a configured number of months after a case ended, and masking
//! of addresses in monitors and logs. Audit rows name the case, kinds and counts, never the
//! erased values.
pub mod erasure;

use chrono::{DateTime, Months, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};
use serde_json::json;

use crate::services::audit::{self, Actor};
use crate::store::sql::stmt;
use erasure::{Cause, Dirs, Scope};

/// What an erased narrative is replaced with (the column stays NOT NULL).
pub const NARRATIVE_MARKER: &str = "[erased on request]";
/// What replaces erased contact data quoted in free text (staff notes, company answers, the
/// consumer's additions) and the bodies of mails about the case.
pub const CONTACT_MARKER: &str = "[erased]";
/// Statuses in which a case has ended; only these are purged.
pub const ENDED_STATUSES: &[&str] = &["closed", "rejected", "withdrawn", "duplicate"];
/// `app_settings` key holding when the daily purge last ran (RFC 3339).
const LAST_PURGE_KEY: &str = "retention_last_purge";

/// The moment before which a case must have ended for its contact data to be purged.
pub fn retention_cutoff(now: DateTime<Utc>, retention_months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(retention_months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Ids of ended cases (closed, rejected, withdrawn, duplicate) whose end — `closed_at`, or the
/// last update when a status change did not set it — lies before `cutoff` and that still hold
/// contact data, evidence files or a recipient address in the outbox.
async fn expired_ids(db: &DatabaseConnection, cutoff: DateTime<Utc>) -> Result<Vec<i64>, DbErr> {
    let backend = db.get_database_backend();
    let statuses = ENDED_STATUSES
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT c.id FROM complaints c WHERE c.status IN ({statuses}) \
         AND COALESCE(c.closed_at, c.updated_at) < $1 \
         AND (c.contact_name IS NOT NULL OR c.contact_email IS NOT NULL OR c.contact_phone IS NOT NULL \
              OR EXISTS (SELECT 1 FROM evidence_files e WHERE e.complaint_id = c.id) \
              OR EXISTS (SELECT 1 FROM mail_outbox m WHERE m.complaint_id = c.id AND m.to_addr <> '')) \
         ORDER BY c.id"
    );
    let rows = db
        .query_all(stmt(backend, &sql, vec![cutoff.into()]))
        .await?;
    rows.iter().map(|r| r.try_get::<i64>("", "id")).collect()
}

/// Erases the contact data (with the evidence and mail bodies, see [`erasure`]) of every case
/// that ended more than `retention_months` ago, one transaction per case, and returns how many
/// cases that was; with `dry_run` only counts them. A real run writes one summary audit row
/// besides each case's own (`always_audit = false` skips it when nothing was due, for the
/// daily background run).
pub async fn purge_expired(
    db: &DatabaseConnection,
    dirs: &Dirs,
    retention_months: u32,
    dry_run: bool,
    actor: &Actor,
    always_audit: bool,
) -> Result<u64, DbErr> {
    let now = Utc::now();
    let cutoff = retention_cutoff(now, retention_months);
    let ids = expired_ids(db, cutoff).await?;
    if dry_run {
        return Ok(ids.len() as u64);
    }
    let mut mail_cancelled = 0;
    for id in &ids {
        if let Some(e) =
            erasure::erase_one(db, *id, Scope::CONTACT, actor, Cause::Retention).await?
        {
            mail_cancelled += e.counts.mail_cancelled;
        }
    }
    erasure::after_commit(db, dirs).await;
    let count = ids.len() as u64;
    if count > 0 || always_audit {
        audit::record(
            db,
            actor,
            "retention_purge",
            None,
            Some(json!({
                "count": count, "retention_months": retention_months,
                "cutoff": cutoff.to_rfc3339(), "mail_cancelled": mail_cancelled,
            })),
        )
        .await?;
    }
    Ok(count)
}

/// When the daily purge last ran, if ever.
pub async fn last_purge(db: &DatabaseConnection) -> Result<Option<DateTime<Utc>>, DbErr> {
    let row = db
        .query_one(stmt(
            db.get_database_backend(),
            "SELECT value FROM app_settings WHERE key = $1",
            vec![LAST_PURGE_KEY.into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => DateTime::parse_from_rfc3339(&r.try_get::<String>("", "value")?)
            .ok()
            .map(|t| t.with_timezone(&Utc)),
        None => None,
    })
}

/// Runs the purge if it has not run in the last day (on any instance) and returns the count,
/// or `None` when it was not due. Called by the background worker.
pub async fn purge_if_due(
    db: &DatabaseConnection,
    dirs: &Dirs,
    retention_months: u32,
) -> Result<Option<u64>, DbErr> {
    let now = Utc::now();
    if last_purge(db)
        .await?
        .is_some_and(|t| now - t < chrono::Duration::hours(24))
    {
        return Ok(None);
    }
    let count = purge_expired(
        db,
        dirs,
        retention_months,
        false,
        &Actor {
            user_id: None,
            label: "retention".into(),
        },
        false,
    )
    .await?;
    db.execute(stmt(
        db.get_database_backend(),
        "INSERT INTO app_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        vec![LAST_PURGE_KEY.into(), now.to_rfc3339().into()],
    ))
    .await?;
    Ok(Some(count))
}

/// An address shown without giving it away: `w***@example.com`.
pub fn mask_email(addr: &str) -> String {
    let addr = addr.trim();
    match addr.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        _ if addr.is_empty() => String::new(),
        _ => "***".into(),
    }
}

/// Masks every email address inside a text (e.g. an SMTP server's error message).
pub fn mask_emails_in(text: &str) -> String {
    static EMAIL: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    match EMAIL
        .get_or_init(|| regex::Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}").ok())
    {
        Some(re) => re
            .replace_all(text, |c: &regex::Captures| mask_email(&c[0]))
            .into_owned(),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn addresses_are_masked_to_their_first_letter_and_domain() {
        assert_eq!(mask_email("wang@example.com"), "w***@example.com");
        assert_eq!(mask_email("李雷@例子.中国"), "李***@例子.中国");
        assert_eq!(mask_email(""), "");
        assert_eq!(mask_email("no-at-sign"), "***");
        assert_eq!(
            mask_emails_in("550 5.1.1 <li.lei@example.org>: Recipient address rejected"),
            "550 5.1.1 <l***@example.org>: Recipient address rejected"
        );
    }

    #[test]
    fn the_cutoff_lies_whole_months_back() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap();
        assert_eq!(
            retention_cutoff(now, 24),
            Utc.with_ymd_and_hms(2024, 11, 25, 8, 0, 0).unwrap()
        );
        // Month ends clamp instead of overflowing.
        let end = Utc.with_ymd_and_hms(2026, 3, 31, 0, 0, 0).unwrap();
        assert_eq!(
            retention_cutoff(end, 1),
            Utc.with_ymd_and_hms(2026, 2, 28, 0, 0, 0).unwrap()
        );
    }
}
