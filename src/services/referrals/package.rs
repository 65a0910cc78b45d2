//! The referral package: what the association hands an authority about one referred case —
//! the case summary, its timeline (status changes and dates, no internal notes), the narrative
//! only if the consumer consented to sharing it (scrubbed of personal data as in regulator
//! exports), the list of evidence files, and the files themselves only with that consent. No
//! contact data. Shown as a printable page and downloaded as a ZIP; each is audited.
use std::io::Write as _;
use std::path::Path;

use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::domain::scrub::scrub;
use crate::entities::{authority, company, complaint, evidence_file, referral, status_history};
use crate::services::audit::{self, Actor};
use crate::services::error::ServiceError;
use crate::services::intake::evidence::path_of;

/// Everything a package holds.
#[derive(Debug, Clone)]
pub struct Package {
    pub referral: referral::Model,
    pub authority: Option<authority::Model>,
    pub case: complaint::Model,
    /// The directory's name when the case is linked to a company, else the name as typed.
    pub company_name: String,
    pub company_credit_code: Option<String>,
    /// The counted obstacle codes (reviewer-confirmed, else the consumer's and the suggested).
    pub obstacle_codes: Vec<String>,
    /// Status changes, oldest first (rows that change nothing are left out).
    pub timeline: Vec<status_history::Model>,
    /// The scrubbed narrative, only with the consumer's consent to share it.
    pub narrative: Option<String>,
    pub evidence: Vec<evidence_file::Model>,
    /// Whether the evidence files themselves go into the ZIP (the same consent).
    pub files_shared: bool,
}

/// Loads the package of referral `id`.
pub async fn load(db: &DatabaseConnection, id: i64) -> Result<Option<Package>, DbErr> {
    let Some(r) = referral::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let Some(c) = complaint::Entity::find_by_id(r.complaint_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let authority = authority::Entity::find_by_id(r.authority_id)
        .one(db)
        .await?;
    let company = match c.company_id {
        Some(id) => company::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let links = crate::services::cases::links_for(db, &[c.id])
        .await?
        .remove(&c.id)
        .unwrap_or_default();
    let mut obstacle_codes = links.confirmed();
    if obstacle_codes.is_empty() {
        obstacle_codes = links
            .consumer
            .iter()
            .cloned()
            .chain(links.suggestions.iter().map(|s| s.code.clone()))
            .collect();
    }
    obstacle_codes.sort();
    obstacle_codes.dedup();
    let timeline = status_history::Entity::find()
        .filter(status_history::Column::ComplaintId.eq(c.id))
        .order_by_asc(status_history::Column::CreatedAt)
        .order_by_asc(status_history::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|h| h.from_status != Some(h.to_status))
        .collect();
    let evidence = evidence_file::Entity::find()
        .filter(evidence_file::Column::ComplaintId.eq(c.id))
        .order_by_asc(evidence_file::Column::Id)
        .all(db)
        .await?;
    let shared = c.consent_share_narrative;
    let names: Vec<&str> = c
        .contact_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .into_iter()
        .collect();
    let narrative =
        (shared && c.narrative_erased_at.is_none()).then(|| scrub(&c.narrative, &names));
    Ok(Some(Package {
        company_name: company
            .as_ref()
            .map_or_else(|| c.company_name.clone(), |co| co.name.clone()),
        company_credit_code: company.and_then(|co| co.credit_code),
        referral: r,
        authority,
        obstacle_codes,
        timeline,
        narrative,
        evidence,
        files_shared: shared,
        case: c,
    }))
}

/// Records who looked at or downloaded a package, and how.
pub async fn audit_view(
    db: &DatabaseConnection,
    p: &Package,
    how: &str,
    actor: &Actor,
) -> Result<(), DbErr> {
    audit::record(
        db,
        actor,
        "referral_package",
        Some(("referral", p.referral.id.to_string())),
        Some(json!({ "complaint": p.case.id, "as": how, "files": p.files_shared })),
    )
    .await
}

/// A file name safe inside the ZIP: no folders, no control characters.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c| c == '.' || c == ' ');
    if trimmed.is_empty() {
        "file".into()
    } else {
        trimmed.to_string()
    }
}

/// The ZIP of a package: the texts the caller rendered (`summary.txt`, `timeline.csv`,
/// `evidence.csv`, and `narrative.txt` when there is a shared narrative), then, with the
/// consumer's consent, each evidence file as `evidence/NN-name` read from `evidence_dir`.
pub async fn zip(
    p: &Package,
    texts: Vec<(&'static str, String)>,
    evidence_dir: &Path,
) -> Result<Vec<u8>, ServiceError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    if p.files_shared {
        for (i, e) in p.evidence.iter().enumerate() {
            // Stored names are hex digests; anything else could walk out of the folder.
            if !e.stored_name.bytes().all(|b| b.is_ascii_hexdigit()) {
                continue;
            }
            let bytes = tokio::fs::read(path_of(evidence_dir, &e.stored_name))
                .await
                .map_err(|err| ServiceError::Unavailable(format!("evidence file: {err}")))?;
            files.push((
                format!("evidence/{:02}-{}", i + 1, safe_name(&e.original_name)),
                bytes,
            ));
        }
    }
    tokio::task::spawn_blocking(move || {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in texts {
            out.start_file(name, options)?;
            out.write_all(text.as_bytes())?;
        }
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in files {
            out.start_file(name, stored)?;
            out.write_all(&bytes)?;
        }
        Ok::<_, anyhow::Error>(out.finish()?.into_inner())
    })
    .await
    .map_err(|e| ServiceError::Internal(e.into()))?
    .map_err(ServiceError::Internal)
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn names_in_the_zip_cannot_leave_their_folder() {
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name("账单 截图.png"), "账单 截图.png");
        assert_eq!(safe_name(".."), "file");
    }
}
