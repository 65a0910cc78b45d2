//! Likely duplicates of a complaint, for a reviewer to confirm and merge: another complaint from
//! the same contact (email or phone), or a near-identical narrative about the same company
//! (character-trigram Jaccard similarity ≥ [`SIMILAR`]), among complaints received within
//! [`WINDOW_DAYS`] of it.
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use crate::domain::{normalize_name, Status};
use crate::entities::complaint;

/// Narratives at least this similar (0..1) are proposed.
pub const SIMILAR: f64 = 0.8;
/// Only complaints received this many days before or after are compared.
pub const WINDOW_DAYS: i64 = 180;
/// Most complaints of the same company compared (the most recent ones).
const MAX_SAME_COMPANY: u64 = 500;
/// Most proposals shown.
const MAX_PROPOSALS: usize = 20;

/// Why a complaint is proposed as a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    SameEmail,
    SamePhone,
    SimilarNarrative,
}

/// One proposed duplicate.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub id: i64,
    pub tracking_code: String,
    pub status: String,
    pub received_at: DateTime<Utc>,
    pub company_name: String,
    pub reasons: Vec<Reason>,
    /// Narrative similarity, 0..1.
    pub similarity: f64,
}

/// Character trigrams of a text, ignoring whitespace and punctuation (so re-typed copies with
/// different spacing or quote marks still compare as equal), sorted and distinct.
fn trigrams(s: &str) -> Vec<[char; 3]> {
    let chars: Vec<char> = s
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let mut t: Vec<[char; 3]> = chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// Jaccard similarity of two sorted, distinct trigram lists.
fn jaccard(ta: &[[char; 3]], tb: &[[char; 3]]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < ta.len() && j < tb.len() {
        match ta[i].cmp(&tb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = (ta.len() + tb.len() - inter) as f64;
    if union == 0.0 {
        0.0
    } else {
        inter as f64 / union
    }
}

/// Jaccard similarity of two texts' character-trigram sets (1.0 for identical texts).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (ta, tb) = (trigrams(a), trigrams(b));
    if ta.is_empty() && tb.is_empty() {
        return if a.trim() == b.trim() { 1.0 } else { 0.0 };
    }
    jaccard(&ta, &tb)
}

/// What the search needs to know about the complaint whose duplicates are sought.
#[derive(Debug, Clone)]
pub struct Probe<'a> {
    pub id: i64,
    pub company_id: Option<i64>,
    pub company_name: &'a str,
    pub contact_email: Option<&'a str>,
    pub contact_phone: Option<&'a str>,
    pub narrative: &'a str,
    pub received_at: DateTime<Utc>,
}

impl<'a> From<&'a complaint::Model> for Probe<'a> {
    fn from(c: &'a complaint::Model) -> Probe<'a> {
        Probe {
            id: c.id,
            company_id: c.company_id,
            company_name: &c.company_name,
            contact_email: c.contact_email.as_deref(),
            contact_phone: c.contact_phone.as_deref(),
            narrative: &c.narrative,
            received_at: c.received_at,
        }
    }
}

/// The columns a comparison reads (not the whole row).
#[derive(Debug, Clone, FromQueryResult)]
struct Other {
    id: i64,
    tracking_code: String,
    status: String,
    received_at: DateTime<Utc>,
    company_id: Option<i64>,
    company_name: String,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    narrative: String,
}

fn others() -> sea_orm::Select<complaint::Entity> {
    use complaint::Column as C;
    complaint::Entity::find().select_only().columns([
        C::Id,
        C::TrackingCode,
        C::Status,
        C::ReceivedAt,
        C::CompanyId,
        C::CompanyName,
        C::ContactEmail,
        C::ContactPhone,
        C::Narrative,
    ])
}

/// Proposes likely duplicates of `c`, most likely first. Complaints already merged elsewhere
/// are left out.
pub async fn propose(
    conn: &impl ConnectionTrait,
    c: &complaint::Model,
) -> Result<Vec<Candidate>, sea_orm::DbErr> {
    propose_for(conn, &Probe::from(c)).await
}

/// [`propose`] for a complaint described by a [`Probe`] (at intake, without reading it back).
pub async fn propose_for(
    conn: &impl ConnectionTrait,
    c: &Probe<'_>,
) -> Result<Vec<Candidate>, sea_orm::DbErr> {
    let window = Duration::days(WINDOW_DAYS);
    let recent = Condition::all()
        .add(complaint::Column::Id.ne(c.id))
        .add(complaint::Column::Status.ne(Status::Duplicate.code()))
        .add(complaint::Column::ReceivedAt.gte(c.received_at - window))
        .add(complaint::Column::ReceivedAt.lte(c.received_at + window));
    let mut found: HashMap<i64, (Other, Vec<Reason>)> = HashMap::new();

    let mut same_contact = Condition::any();
    if let Some(e) = c.contact_email {
        same_contact = same_contact.add(complaint::Column::ContactEmail.eq(e));
    }
    if let Some(p) = c.contact_phone {
        same_contact = same_contact.add(complaint::Column::ContactPhone.eq(p));
    }
    if c.contact_email.is_some() || c.contact_phone.is_some() {
        let rows = others()
            .filter(recent.clone())
            .filter(same_contact)
            .order_by_desc(complaint::Column::ReceivedAt)
            .limit(MAX_SAME_COMPANY)
            .into_model::<Other>()
            .all(conn)
            .await?;
        for r in rows {
            let mut reasons = Vec::new();
            if c.contact_email.is_some_and(|e| {
                r.contact_email
                    .as_ref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(e))
            }) {
                reasons.push(Reason::SameEmail);
            }
            if c.contact_phone.is_some() && r.contact_phone.as_deref() == c.contact_phone {
                reasons.push(Reason::SamePhone);
            }
            found.insert(r.id, (r, reasons));
        }
    }

    // Same company: the directory link if there is one, else the name as typed.
    let same_company = match c.company_id {
        Some(cid) => Condition::any()
            .add(complaint::Column::CompanyId.eq(cid))
            .add(complaint::Column::CompanyName.eq(c.company_name)),
        None => Condition::all().add(complaint::Column::CompanyName.eq(c.company_name)),
    };
    let rows = others()
        .filter(recent)
        .filter(same_company)
        .order_by_desc(complaint::Column::ReceivedAt)
        .limit(MAX_SAME_COMPANY)
        .into_model::<Other>()
        .all(conn)
        .await?;
    let own_name = normalize_name(c.company_name);
    for r in rows {
        let same = (c.company_id.is_some() && r.company_id == c.company_id)
            || normalize_name(&r.company_name) == own_name;
        if same {
            found.entry(r.id).or_insert_with(|| (r, Vec::new()));
        }
    }

    // The probe's trigrams once; each candidate's only when its length leaves room for
    // SIMILAR (a text with fewer than SIMILAR × |A| trigrams cannot reach it).
    let own = trigrams(c.narrative);
    let own_trimmed = c.narrative.trim();
    let similar_to = |narrative: &str| -> f64 {
        if narrative.trim() == own_trimmed {
            return 1.0;
        }
        let upper = narrative
            .chars()
            .filter(|ch| ch.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .count();
        if !own.is_empty() && (upper.saturating_sub(2) as f64) < SIMILAR * own.len() as f64 {
            // Below the threshold for sure; the exact value is only shown for proposals.
            return 0.0;
        }
        let theirs = trigrams(narrative);
        if own.is_empty() && theirs.is_empty() {
            return 0.0;
        }
        jaccard(&own, &theirs)
    };
    let mut out: Vec<Candidate> = found
        .into_values()
        .filter_map(|(r, mut reasons)| {
            let pruned_or_exact = similar_to(&r.narrative);
            let sim = if pruned_or_exact == 0.0 && !reasons.is_empty() {
                // A same-contact proposal shows its real similarity.
                similarity(c.narrative, &r.narrative)
            } else {
                pruned_or_exact
            };
            if sim >= SIMILAR {
                reasons.push(Reason::SimilarNarrative);
            }
            (!reasons.is_empty()).then(|| Candidate {
                id: r.id,
                tracking_code: r.tracking_code,
                status: r.status,
                received_at: r.received_at,
                company_name: r.company_name,
                reasons,
                similarity: (sim * 100.0).round() / 100.0,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.reasons.len().cmp(&a.reasons.len()).then(
            b.similarity
                .partial_cmp(&a.similarity)
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    out.truncate(MAX_PROPOSALS);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "在网页上申请把2TB空间降到200GB，页面显示申请成功，次月生效；但升级的时候是立即生效、立即扣费。";

    #[test]
    fn identical_texts_are_fully_similar_whatever_the_spacing() {
        assert_eq!(similarity(A, A), 1.0);
        let respaced = A.replace('，', " , ").replace('；', "\n");
        assert_eq!(similarity(A, &respaced), 1.0);
    }

    #[test]
    fn a_small_edit_stays_above_the_threshold_and_another_story_falls_far_below() {
        let edited = A.replace("次月生效", "下个月生效");
        let s = similarity(A, &edited);
        assert!(s >= SIMILAR, "{s}");
        let other = "升级按钮在首页非常醒目，降级选项却藏在账户安全里，翻了好几层才找到。";
        assert!(similarity(A, other) < 0.2);
    }

    #[test]
    fn latin_text_compares_case_insensitively() {
        assert_eq!(
            similarity("Cancel Button Hidden", "cancel button hidden"),
            1.0
        );
        assert_eq!(similarity("", ""), 1.0);
        assert_eq!(similarity("ab", "cd"), 0.0);
    }
}
