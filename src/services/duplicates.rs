//! Likely duplicates of a complaint, for a reviewer to confirm and merge: another complaint from
//! the same contact (email or phone), or a near-identical narrative about the same company
//! (character-trigram Jaccard similarity ≥ [`SIMILAR`]), among complaints received within
//! [`WINDOW_DAYS`] of it.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
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
/// different spacing or quote marks still compare as equal).
fn trigrams(s: &str) -> HashSet<[char; 3]> {
    let chars: Vec<char> = s
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

/// Jaccard similarity of two texts' character-trigram sets (1.0 for identical texts).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (ta, tb) = (trigrams(a), trigrams(b));
    if ta.is_empty() && tb.is_empty() {
        return if a.trim() == b.trim() { 1.0 } else { 0.0 };
    }
    let inter = ta.intersection(&tb).count() as f64;
    let union = (ta.len() + tb.len()) as f64 - inter;
    if union == 0.0 {
        0.0
    } else {
        inter / union
    }
}

/// Proposes likely duplicates of `c`, most likely first. Complaints already merged elsewhere
/// are left out.
pub async fn propose(
    conn: &impl ConnectionTrait,
    c: &complaint::Model,
) -> Result<Vec<Candidate>, sea_orm::DbErr> {
    let window = Duration::days(WINDOW_DAYS);
    let recent = Condition::all()
        .add(complaint::Column::Id.ne(c.id))
        .add(complaint::Column::Status.ne(Status::Duplicate.code()))
        .add(complaint::Column::ReceivedAt.gte(c.received_at - window))
        .add(complaint::Column::ReceivedAt.lte(c.received_at + window));
    let mut found: HashMap<i64, (complaint::Model, Vec<Reason>)> = HashMap::new();

    let mut same_contact = Condition::any();
    if let Some(e) = &c.contact_email {
        same_contact = same_contact.add(complaint::Column::ContactEmail.eq(e.clone()));
    }
    if let Some(p) = &c.contact_phone {
        same_contact = same_contact.add(complaint::Column::ContactPhone.eq(p.clone()));
    }
    if c.contact_email.is_some() || c.contact_phone.is_some() {
        let rows = complaint::Entity::find()
            .filter(recent.clone())
            .filter(same_contact)
            .order_by_desc(complaint::Column::ReceivedAt)
            .limit(MAX_SAME_COMPANY)
            .all(conn)
            .await?;
        for r in rows {
            let mut reasons = Vec::new();
            if c.contact_email.as_ref().is_some_and(|e| {
                r.contact_email
                    .as_ref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(e))
            }) {
                reasons.push(Reason::SameEmail);
            }
            if c.contact_phone.is_some() && r.contact_phone == c.contact_phone {
                reasons.push(Reason::SamePhone);
            }
            found.insert(r.id, (r, reasons));
        }
    }

    // Same company: the directory link if there is one, else the name as typed.
    let same_company = match c.company_id {
        Some(cid) => Condition::any()
            .add(complaint::Column::CompanyId.eq(cid))
            .add(complaint::Column::CompanyName.eq(c.company_name.clone())),
        None => Condition::all().add(complaint::Column::CompanyName.eq(c.company_name.clone())),
    };
    let rows = complaint::Entity::find()
        .filter(recent)
        .filter(same_company)
        .order_by_desc(complaint::Column::ReceivedAt)
        .limit(MAX_SAME_COMPANY)
        .all(conn)
        .await?;
    let own_name = normalize_name(&c.company_name);
    for r in rows {
        let same = (c.company_id.is_some() && r.company_id == c.company_id)
            || normalize_name(&r.company_name) == own_name;
        if same {
            found.entry(r.id).or_insert_with(|| (r, Vec::new()));
        }
    }

    let mut out: Vec<Candidate> = found
        .into_values()
        .filter_map(|(r, mut reasons)| {
            let sim = similarity(&c.narrative, &r.narrative);
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
