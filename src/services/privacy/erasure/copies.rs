//! The contact part of an erasure and the mail part every erasure shares: the contact columns,
//! their copies in free text around the case, the sign-in links, and the mail bodies.
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use super::Counts;
use crate::domain::scrub::scrub;
use crate::entities::complaint;
use crate::services::privacy::{CONTACT_MARKER, NARRATIVE_MARKER};
use crate::store::sql::stmt;

/// Free text around a case that may quote the consumer's contact data: (table, column, the
/// column naming the case). Cleaned with the scrubber plus exact matches of the stored values.
const FREE_TEXT: &[(&str, &str, &str)] = &[
    ("complaints", "company_response", "id"),
    ("complaints", "rejection_reason", "id"),
    ("complaints", "outcome_feedback", "id"),
    ("complaints", "consumer_feedback_reason", "id"),
    ("status_history", "note", "complaint_id"),
    ("case_notes", "body", "complaint_id"),
    ("company_responses", "body", "complaint_id"),
    ("complaint_updates", "body", "complaint_id"),
    ("consumer_replies", "message", "complaint_id"),
    ("extension_requests", "reason", "complaint_id"),
];

/// The stored contact values worth matching (two characters and up, trimmed).
pub fn contact_values(c: &complaint::Model) -> Vec<String> {
    [&c.contact_name, &c.contact_email, &c.contact_phone]
        .into_iter()
        .flatten()
        .map(|v| v.trim().to_string())
        .filter(|v| v.chars().count() >= 2)
        .collect()
}

/// Replaces every exact occurrence of `values` with [`CONTACT_MARKER`]; `None` when none occurs.
pub fn without_values(text: &str, values: &[String]) -> Option<String> {
    let mut out = text.to_string();
    for v in values {
        if out.contains(v.as_str()) {
            out = out.replace(v.as_str(), CONTACT_MARKER);
        }
    }
    (out != text).then_some(out)
}

/// `text` without the stored values and without what the scrubber finds (phones in any
/// spacing, IDs, emails, names after a cue, …); `None` when nothing changed.
pub fn cleaned(text: &str, values: &[String], name: Option<&str>) -> Option<String> {
    let exact = without_values(text, values);
    let base = exact.as_deref().unwrap_or(text);
    let names: Vec<&str> = name.into_iter().collect();
    let scrubbed = scrub(base, &names);
    (scrubbed != text).then_some(scrubbed)
}

/// Sets the contact columns to NULL, removes their copies in the narrative (exact matches) and
/// in the free text around the case, and the sign-in links of the address when no other case
/// uses it.
pub(super) async fn erase_contact(
    conn: &impl ConnectionTrait,
    c: &complaint::Model,
    now: DateTime<Utc>,
    n: &mut Counts,
) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    let had = [&c.contact_name, &c.contact_email, &c.contact_phone]
        .into_iter()
        .filter(|v| v.is_some())
        .count() as u64;
    conn.execute(stmt(
        backend,
        "UPDATE complaints SET contact_name = NULL, contact_email = NULL, contact_phone = NULL, \
         contact_erased_at = COALESCE(contact_erased_at, $1) WHERE id = $2",
        vec![now.into(), c.id.into()],
    ))
    .await?;
    n.contact_fields += had;
    let values = contact_values(c);
    let name = c.contact_name.as_deref().map(str::trim);
    if c.narrative != NARRATIVE_MARKER {
        if let Some(text) = without_values(&c.narrative, &values) {
            let (fp, trigrams) = migration::shared::fingerprint::of(&text);
            // Updating `narrative` refreshes the search index (trigger on SQLite, expression
            // index on PostgreSQL), so the erased values are no longer found.
            conn.execute(stmt(
                backend,
                "UPDATE complaints SET narrative = $1, narrative_fp = $2, narrative_trigrams = $3 \
                 WHERE id = $4",
                vec![text.into(), fp.into(), trigrams.into(), c.id.into()],
            ))
            .await?;
            n.texts_cleaned += 1;
        }
    }
    for (table, column, key) in FREE_TEXT {
        let rows = conn
            .query_all(stmt(
                backend,
                &format!(
                    "SELECT id, {column} AS text FROM {table} WHERE {key} = $1 AND {column} IS NOT NULL"
                ),
                vec![c.id.into()],
            ))
            .await?;
        for r in rows {
            let id: i64 = r.try_get("", "id")?;
            let text: String = r.try_get("", "text")?;
            if let Some(clean) = cleaned(&text, &values, name) {
                conn.execute(stmt(
                    backend,
                    &format!("UPDATE {table} SET {column} = $1 WHERE id = $2"),
                    vec![clean.into(), id.into()],
                ))
                .await?;
                n.texts_cleaned += 1;
            }
        }
    }
    if let Some(email) = c.contact_email.as_deref().map(|e| e.trim().to_lowercase()) {
        erase_sign_in(conn, c.id, &email, n).await?;
    }
    Ok(())
}

/// The consumer's sign-in links and their mails, unless another case still uses the address
/// (the consumer keeps access to that one).
async fn erase_sign_in(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
    email: &str,
    n: &mut Counts,
) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    let others = conn
        .query_one(stmt(
            backend,
            "SELECT COUNT(*) FROM complaints WHERE LOWER(contact_email) = $1 AND id <> $2",
            vec![email.into(), complaint_id.into()],
        ))
        .await?
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    if others > 0 {
        return Ok(());
    }
    n.sign_in_links += conn
        .execute(stmt(
            backend,
            "DELETE FROM consumer_links WHERE LOWER(email) = $1",
            vec![email.into()],
        ))
        .await?
        .rows_affected();
    n.mail_bodies += conn
        .execute(stmt(
            backend,
            "UPDATE mail_outbox SET to_addr = '', body_text = $1, body_html = $2, locked_until = NULL, \
             status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END \
             WHERE complaint_id IS NULL AND kind = 'my_link' AND LOWER(to_addr) = $3",
            vec![CONTACT_MARKER.into(), CONTACT_MARKER.into(), email.into()],
        ))
        .await?
        .rows_affected();
    Ok(())
}

/// Every mail about the case: unsent ones are cancelled, every body is overwritten and every
/// recipient blanked; the row stays (when, which template, its status).
pub(super) async fn erase_mail(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
    n: &mut Counts,
) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    n.mail_cancelled += conn
        .execute(stmt(
            backend,
            "UPDATE mail_outbox SET status = 'cancelled', locked_until = NULL \
             WHERE complaint_id = $1 AND status = 'pending'",
            vec![complaint_id.into()],
        ))
        .await?
        .rows_affected();
    n.mail_bodies += conn
        .execute(stmt(
            backend,
            "UPDATE mail_outbox SET body_text = $1, body_html = $2, to_addr = '' \
             WHERE complaint_id = $3 AND (body_text <> $4 OR body_html <> $5 OR to_addr <> '')",
            vec![
                CONTACT_MARKER.into(),
                CONTACT_MARKER.into(),
                complaint_id.into(),
                CONTACT_MARKER.into(),
                CONTACT_MARKER.into(),
            ],
        ))
        .await?
        .rows_affected();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_values_and_what_the_scrubber_finds_are_both_replaced() {
        let values = vec!["欧阳清照".to_string(), "13987654321".to_string()];
        let out = cleaned(
            "已致电 139 8765 4321，欧阳清照说会补充截图。",
            &values,
            Some("欧阳清照"),
        )
        .expect("changed");
        assert!(!out.contains("欧阳清照") && !out.contains("8765"), "{out}");
        assert_eq!(cleaned("客户同意等待退款。", &values, None), None);
    }
}
