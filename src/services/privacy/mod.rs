//! Privacy operations (个人信息保护法): erasure of a consumer's contact data or a case's narrative
//! on request, and the retention purge that removes contact data a configured number of months
//! after a case ended. Views and exports read the complaint columns, so erased data disappears
//! from all of them at once. Audit rows name the case and counts, never the erased values.
use chrono::{DateTime, Months, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, TransactionTrait, Value};
use serde_json::json;

use crate::entities::complaint;
use crate::services::audit::{self, Actor};
use crate::store::sql::stmt;

/// What an erased narrative is replaced with (the column stays NOT NULL).
pub const NARRATIVE_MARKER: &str = "[erased on request]";
/// Statuses in which a case has ended; only these are purged.
pub const ENDED_STATUSES: &[&str] = &["closed", "rejected", "withdrawn", "duplicate"];
/// `app_settings` key holding when the daily purge last ran (RFC 3339).
const LAST_PURGE_KEY: &str = "retention_last_purge";
/// Cases updated per transaction by the purge.
const PURGE_BATCH: usize = 500;

/// The result of one erasure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Erasure {
    /// Whether anything was left to erase (false when it had been erased before).
    pub changed: bool,
    /// Queued mail to the consumer that will no longer be sent.
    pub mail_cancelled: u64,
}

fn in_list(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Cancels unsent mail of these complaints and blanks every recipient address they had.
/// Returns how many queued messages were cancelled.
async fn forget_recipients(conn: &impl ConnectionTrait, ids: &[i64]) -> Result<u64, DbErr> {
    if ids.is_empty() {
        return Ok(0);
    }
    let backend = conn.get_database_backend();
    let values: Vec<Value> = ids.iter().map(|i| (*i).into()).collect();
    let cancelled = conn
        .execute(stmt(
            backend,
            &format!(
                "UPDATE mail_outbox SET status = 'cancelled', to_addr = '', locked_until = NULL \
                 WHERE status = 'pending' AND complaint_id IN ({})",
                in_list(1, ids.len())
            ),
            values.clone(),
        ))
        .await?
        .rows_affected();
    conn.execute(stmt(
        backend,
        &format!(
            "UPDATE mail_outbox SET to_addr = '' WHERE to_addr <> '' AND complaint_id IN ({})",
            in_list(1, ids.len())
        ),
        values,
    ))
    .await?;
    Ok(cancelled)
}

/// What replaces erased contact data quoted in free text (staff notes, company answers, the
/// consumer's additions) and the bodies of mails about the case.
pub const CONTACT_MARKER: &str = "[erased]";

/// How many copies of the contact data an erasure reached besides the complaint row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Copies {
    pub mail_bodies: u64,
    pub notes: u64,
    pub answers: u64,
    pub additions: u64,
    pub sign_in_links: u64,
}

/// Replaces every occurrence of `values` in `text` with [`CONTACT_MARKER`]; `None` when none
/// occurs.
fn without(text: &str, values: &[String]) -> Option<String> {
    let mut out = text.to_string();
    for v in values {
        if out.contains(v.as_str()) {
            out = out.replace(v.as_str(), CONTACT_MARKER);
        }
    }
    (out != text).then_some(out)
}

/// Erases the copies of case `c`'s contact data outside its own row: the bodies of every mail
/// about the case (the row stays: who, when, which template), the sign-in links and their mails
/// when no other complaint uses the address, and the name, email or phone quoted in staff notes,
/// company answers and the consumer's additions (replaced by [`CONTACT_MARKER`]).
async fn erase_copies(conn: &impl ConnectionTrait, c: &complaint::Model) -> Result<Copies, DbErr> {
    let backend = conn.get_database_backend();
    let mut copies = Copies {
        mail_bodies: conn
            .execute(stmt(
                backend,
                "UPDATE mail_outbox SET body_text = $1, body_html = $2                  WHERE complaint_id = $3 AND body_text <> $4",
                vec![
                    CONTACT_MARKER.into(),
                    CONTACT_MARKER.into(),
                    c.id.into(),
                    CONTACT_MARKER.into(),
                ],
            ))
            .await?
            .rows_affected(),
        ..Copies::default()
    };
    let values: Vec<String> = [&c.contact_name, &c.contact_email, &c.contact_phone]
        .into_iter()
        .flatten()
        .map(|v| v.trim().to_string())
        .filter(|v| v.chars().count() >= 2)
        .collect();
    if let Some(email) = c.contact_email.as_deref().map(|e| e.trim().to_lowercase()) {
        let others = conn
            .query_one(stmt(
                backend,
                "SELECT COUNT(*) FROM complaints WHERE LOWER(contact_email) = $1 AND id <> $2",
                vec![email.clone().into(), c.id.into()],
            ))
            .await?
            .map(|r| r.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0);
        if others == 0 {
            copies.sign_in_links = conn
                .execute(stmt(
                    backend,
                    "DELETE FROM consumer_links WHERE email = $1",
                    vec![email.clone().into()],
                ))
                .await?
                .rows_affected();
            copies.mail_bodies += conn
                .execute(stmt(
                    backend,
                    "UPDATE mail_outbox SET to_addr = '', body_text = $1, body_html = $2,                      status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END                      WHERE complaint_id IS NULL AND kind = 'my_link' AND LOWER(to_addr) = $3",
                    vec![CONTACT_MARKER.into(), CONTACT_MARKER.into(), email.into()],
                ))
                .await?
                .rows_affected();
        }
    }
    if values.is_empty() {
        return Ok(copies);
    }
    for (table, column, counter) in [
        ("case_notes", "body", &mut copies.notes),
        ("company_responses", "body", &mut copies.answers),
        ("complaint_updates", "body", &mut copies.additions),
    ] {
        let rows = conn
            .query_all(stmt(
                backend,
                &format!("SELECT id, {column} AS text FROM {table} WHERE complaint_id = $1"),
                vec![c.id.into()],
            ))
            .await?;
        for r in rows {
            let id: i64 = r.try_get("", "id")?;
            let text: String = r.try_get("", "text")?;
            if let Some(clean) = without(&text, &values) {
                conn.execute(stmt(
                    backend,
                    &format!("UPDATE {table} SET {column} = $1 WHERE id = $2"),
                    vec![clean.into(), id.into()],
                ))
                .await?;
                *counter += 1;
            }
        }
    }
    Ok(copies)
}

/// Sets name, email and phone to NULL and records when, and erases their copies (see
/// [`erase_copies`]); `None` if there is no such case.
pub async fn erase_contact(
    db: &DatabaseConnection,
    complaint_id: i64,
    actor: &Actor,
) -> Result<Option<Erasure>, DbErr> {
    let txn = db.begin().await?;
    let Some(c) = complaint::Entity::find_by_id(complaint_id)
        .one(&txn)
        .await?
    else {
        return Ok(None);
    };
    let had_data =
        c.contact_name.is_some() || c.contact_email.is_some() || c.contact_phone.is_some();
    let backend = txn.get_database_backend();
    let now = Utc::now();
    // The version bump makes a case form loaded before the erasure fail with a conflict
    // instead of writing the old contact data back.
    txn.execute(stmt(
        backend,
        "UPDATE complaints SET contact_name = NULL, contact_email = NULL, contact_phone = NULL, \
         contact_erased_at = COALESCE(contact_erased_at, $1), version = version + 1 WHERE id = $2",
        vec![now.into(), complaint_id.into()],
    ))
    .await?;
    let copies = erase_copies(&txn, &c).await?;
    let mail_cancelled = forget_recipients(&txn, &[complaint_id]).await?;
    let changed = had_data
        || c.contact_erased_at.is_none()
        || mail_cancelled > 0
        || copies != Copies::default();
    if changed {
        // Kinds and counts only: the audit log never holds the erased data.
        audit::record(
            &txn,
            actor,
            "contact_erased",
            Some(("complaint", complaint_id.to_string())),
            Some(json!({
                "fields": ["contact_name", "contact_email", "contact_phone"],
                "mail_cancelled": mail_cancelled,
                "copies": copies,
            })),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Some(Erasure {
        changed,
        mail_cancelled,
    }))
}

/// Replaces the narrative with [`NARRATIVE_MARKER`], and with it the text fragments that
/// obstacle suggestions quoted from it and the consumer's own replies on the tracking page.
/// `None` if there is no such case.
pub async fn erase_narrative(
    db: &DatabaseConnection,
    complaint_id: i64,
    actor: &Actor,
) -> Result<Option<Erasure>, DbErr> {
    let txn = db.begin().await?;
    let Some(c) = complaint::Entity::find_by_id(complaint_id)
        .one(&txn)
        .await?
    else {
        return Ok(None);
    };
    let backend = txn.get_database_backend();
    let changed = c.narrative != NARRATIVE_MARKER || c.narrative_erased_at.is_none();
    if changed {
        let (marker_fp, marker_trigrams) = migration::shared::fingerprint::of(NARRATIVE_MARKER);
        // An UPDATE of `narrative` also refreshes the full-text index (trigger on SQLite,
        // expression index on PostgreSQL).
        txn.execute(stmt(
            backend,
            "UPDATE complaints SET narrative = $1, narrative_erased_at = COALESCE(narrative_erased_at, $2), \
             narrative_fp = $3, narrative_trigrams = $4, version = version + 1 WHERE id = $5",
            vec![
                NARRATIVE_MARKER.into(),
                Utc::now().into(),
                marker_fp.into(),
                marker_trigrams.into(),
                complaint_id.into(),
            ],
        ))
        .await?;
    }
    let quotes = txn
        .execute(stmt(
            backend,
            "UPDATE complaint_obstacles SET evidence = '[]' WHERE complaint_id = $1 AND evidence IS NOT NULL AND evidence <> '[]'",
            vec![complaint_id.into()],
        ))
        .await?
        .rows_affected();
    let replies = txn
        .execute(stmt(
            backend,
            "UPDATE consumer_replies SET message = NULL WHERE complaint_id = $1 AND message IS NOT NULL",
            vec![complaint_id.into()],
        ))
        .await?
        .rows_affected();
    // What the consumer added to the story on /my is part of the story.
    let updates = txn
        .execute(stmt(
            backend,
            "DELETE FROM complaint_updates WHERE complaint_id = $1",
            vec![complaint_id.into()],
        ))
        .await?
        .rows_affected();
    let changed = changed || quotes > 0 || replies > 0 || updates > 0;
    if changed {
        audit::record(
            &txn,
            actor,
            "narrative_erased",
            Some(("complaint", complaint_id.to_string())),
            Some(
                json!({ "suggestion_quotes_cleared": quotes, "consumer_replies_cleared": replies, "story_additions_removed": updates }),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Some(Erasure {
        changed,
        mail_cancelled: 0,
    }))
}

/// The moment before which a case must have ended for its contact data to be purged.
pub fn retention_cutoff(now: DateTime<Utc>, retention_months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(retention_months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Ids of ended cases (closed, rejected, withdrawn, duplicate) whose end — `closed_at`, or the
/// last update when a status change did not set it — lies before `cutoff` and that still hold
/// contact data or a recipient address in the outbox.
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
              OR EXISTS (SELECT 1 FROM mail_outbox m WHERE m.complaint_id = c.id AND m.to_addr <> '')) \
         ORDER BY c.id"
    );
    let rows = db
        .query_all(stmt(backend, &sql, vec![cutoff.into()]))
        .await?;
    rows.iter().map(|r| r.try_get::<i64>("", "id")).collect()
}

/// Removes the contact data of every case that ended more than `retention_months` ago and
/// returns how many cases that was; with `dry_run` only counts them. A real run writes one
/// audit row with the count (`always_audit = false` skips it when nothing was due, for the
/// daily background run).
pub async fn purge_expired(
    db: &DatabaseConnection,
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
    for chunk in ids.chunks(PURGE_BATCH) {
        let txn = db.begin().await?;
        let mut values: Vec<Value> = vec![now.into()];
        values.extend(chunk.iter().map(|i| Value::from(*i)));
        txn.execute(stmt(
            txn.get_database_backend(),
            &format!(
                "UPDATE complaints SET contact_name = NULL, contact_email = NULL, contact_phone = NULL, \
                 contact_erased_at = COALESCE(contact_erased_at, $1), version = version + 1 WHERE id IN ({})",
                in_list(2, chunk.len())
            ),
            values,
        ))
        .await?;
        mail_cancelled += forget_recipients(&txn, chunk).await?;
        let mut values: Vec<Value> = vec![CONTACT_MARKER.into(), CONTACT_MARKER.into()];
        values.extend(chunk.iter().map(|i| Value::from(*i)));
        txn.execute(stmt(
            txn.get_database_backend(),
            &format!(
                "UPDATE mail_outbox SET body_text = $1, body_html = $2 WHERE complaint_id IN ({})",
                in_list(3, chunk.len())
            ),
            values,
        ))
        .await?;
        txn.commit().await?;
    }
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

    #[test]
    fn placeholder_lists_continue_the_numbering() {
        assert_eq!(in_list(2, 3), "$2, $3, $4");
    }
}
