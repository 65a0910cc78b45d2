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

use crate::domain::Status;
use crate::entities::complaint;

mod probe;
mod similarity;

pub use probe::{Company, Probe};
pub use similarity::similarity;
use similarity::{jaccard, trigrams};

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

/// What the first pass reads of each nearby complaint: no text, only the narrative's
/// fingerprint (`None` for rows written before fingerprints existed), and what a proposal
/// shows.
#[derive(Debug, Clone, FromQueryResult)]
struct Brief {
    id: i64,
    received_at: DateTime<Utc>,
    narrative_fp: Option<i64>,
    narrative_trigrams: Option<i32>,
    tracking_code: String,
    status: String,
    company_name: String,
}

/// [`Brief`] plus the contact, for complaints found by contact.
#[derive(Debug, Clone, FromQueryResult)]
struct ByContact {
    id: i64,
    received_at: DateTime<Utc>,
    narrative_fp: Option<i64>,
    narrative_trigrams: Option<i32>,
    tracking_code: String,
    status: String,
    company_name: String,
    contact_email: Option<String>,
    contact_phone: Option<String>,
}

/// A complaint found nearby, before its similarity is known.
struct Near {
    received_at: DateTime<Utc>,
    fp: Option<i64>,
    trigrams: Option<i32>,
    reasons: Vec<Reason>,
    tracking_code: String,
    status: String,
    company_name: String,
}

/// Proposes likely duplicates of `c`, most likely first. Complaints already merged elsewhere
/// are left out.
pub async fn propose(
    conn: &impl ConnectionTrait,
    c: &complaint::Model,
) -> Result<Vec<Candidate>, sea_orm::DbErr> {
    propose_for(conn, &Probe::from(c)).await
}

/// Whether narratives with `n` and `own` distinct trigrams cannot be [`SIMILAR`]: Jaccard
/// similarity is at most the smaller count over the larger.
fn too_far(n: i32, own: i32) -> bool {
    f64::from(n.min(own)) < SIMILAR * f64::from(n.max(own))
}

/// The trigram counts a narrative can have and still be [`SIMILAR`] to one with `own`
/// distinct trigrams, as an inclusive range (the complement of [`too_far`]).
fn comparable_counts(own: i32) -> (i32, i32) {
    let far = |n: i32| too_far(n, own);
    let mut lo = (SIMILAR * f64::from(own)).floor() as i32;
    while far(lo) {
        lo += 1;
    }
    while lo > 1 && !far(lo - 1) {
        lo -= 1;
    }
    let mut hi = (f64::from(own) / SIMILAR).ceil() as i32;
    while far(hi) {
        hi -= 1;
    }
    while !far(hi + 1) {
        hi += 1;
    }
    (lo, hi)
}

/// Ids per `IN (…)` list.
const IDS_PER_QUERY: usize = 500;

/// [`propose`] for a complaint described by a [`Probe`] (at intake, before it is stored).
///
/// Two passes keep the work proportional to what can match: fingerprints (and the few columns
/// a proposal shows) of up to [`MAX_SAME_COMPANY`] recent complaints of the same company, less
/// those the database rules out, and of any by the same contact; then narratives only where
/// the fingerprints neither settle the similarity (equal sets) nor rule it out (trigram counts
/// too far apart).
pub async fn propose_for(
    conn: &impl ConnectionTrait,
    c: &Probe<'_>,
) -> Result<Vec<Candidate>, sea_orm::DbErr> {
    use complaint::Column as C;
    let window = Duration::days(WINDOW_DAYS);
    let recent = Condition::all()
        .add_option(c.id.map(|id| C::Id.ne(id)))
        .add(C::Status.ne(Status::Duplicate.code()))
        .add(C::ReceivedAt.gte(c.received_at - window))
        .add(C::ReceivedAt.lte(c.received_at + window));
    let brief = || {
        complaint::Entity::find().select_only().columns([
            C::Id,
            C::ReceivedAt,
            C::NarrativeFp,
            C::NarrativeTrigrams,
            C::TrackingCode,
            C::Status,
            C::CompanyName,
        ])
    };
    let mut found: HashMap<i64, Near> = HashMap::new();

    let mut same_contact = Condition::any();
    if let Some(e) = c.contact_email {
        same_contact = same_contact.add(C::ContactEmail.eq(e));
    }
    if let Some(p) = c.contact_phone {
        same_contact = same_contact.add(C::ContactPhone.eq(p));
    }
    if c.contact_email.is_some() || c.contact_phone.is_some() {
        let rows = brief()
            .columns([C::ContactEmail, C::ContactPhone])
            .filter(recent.clone())
            .filter(same_contact)
            .order_by_desc(C::ReceivedAt)
            .limit(MAX_SAME_COMPANY)
            .into_model::<ByContact>()
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
            found.insert(
                r.id,
                Near {
                    received_at: r.received_at,
                    fp: r.narrative_fp,
                    trigrams: r.narrative_trigrams,
                    reasons,
                    tracking_code: r.tracking_code,
                    status: r.status,
                    company_name: r.company_name,
                },
            );
        }
    }

    // Same company: the directory link if there is one, and the name as typed. One part of the
    // statement per branch, so each walks its (key, received_at) index newest first and stops at
    // the limit; `company_id = ? OR company_name = ?` would collect and sort every match in the
    // window (tens of thousands of rows for a large company). The fingerprints are compared in
    // the database: of the exact copies only the most recent [`MAX_PROPOSALS`] can be shown
    // (they rank above every merely similar narrative), and a narrative whose trigram count is
    // too far from ours cannot reach [`SIMILAR`], so neither needs to leave the database.
    let own = trigrams(c.narrative);
    let (own_fp, own_count) = migration::shared::fingerprint::of_trigrams(&own);
    // (column, how its key is known: `None` for the name as typed)
    let mut branches: Vec<(&str, Option<Company>)> = vec![("company_name", None)];
    match c.company {
        Company::Id(None) => {}
        company => branches.push(("company_id", Some(company))),
    }
    let backend = conn.get_database_backend();
    // Every branch in one statement (one round trip), each part walking its own index once
    // (a materialised CTE per branch, read by both the exact and the near part).
    let mut values: Vec<sea_orm::Value> = Vec::new();
    let mut walks: Vec<String> = Vec::new();
    let bind = |values: &mut Vec<sea_orm::Value>, v: sea_orm::Value| {
        values.push(v);
        format!("${}", values.len())
    };
    for (i, (column, key)) in branches.iter().enumerate() {
        // The walk itself reads only index columns (the two indexes it uses carry the status
        // and the fingerprint); the rows kept are joined for what a proposal shows.
        let key = match key {
            None => bind(&mut values, c.company_name.into()),
            Some(Company::Id(id)) => bind(&mut values, (*id).into()),
            Some(Company::Named(norm)) => {
                let a = bind(&mut values, (*norm).into());
                let b = bind(&mut values, (*norm).into());
                crate::services::intake::company_lookup_sql(&a, &b)
            }
        };
        let walk = format!(
            "r{i} AS MATERIALIZED (SELECT id, received_at, narrative_fp, narrative_trigrams \
             FROM complaints WHERE {column} = {key} AND status <> {} AND received_at >= {} \
             AND received_at <= {} AND id <> {} \
             ORDER BY received_at DESC LIMIT {MAX_SAME_COMPANY})",
            bind(&mut values, Status::Duplicate.code().into()),
            bind(&mut values, (c.received_at - window).into()),
            bind(&mut values, (c.received_at + window).into()),
            bind(&mut values, c.id.unwrap_or(0).into()),
        );
        walks.push(walk);
    }
    let shown = "c.id, c.received_at, c.narrative_fp, c.narrative_trigrams, c.tracking_code, \
                 c.status, c.company_name";
    let mut parts: Vec<String> = Vec::new();
    for i in 0..walks.len() {
        let sql = if own_count > 0 {
            let (lo, hi) = comparable_counts(own_count);
            let exact = format!(
                "SELECT {shown} FROM ( \
                   SELECT r.id, ROW_NUMBER() OVER (ORDER BY r.received_at DESC, r.id DESC) AS n \
                   FROM r{i} r WHERE r.narrative_fp = {} AND r.narrative_trigrams = {}) e \
                 JOIN complaints c ON c.id = e.id WHERE e.n <= {MAX_PROPOSALS}",
                bind(&mut values, own_fp.into()),
                bind(&mut values, own_count.into()),
            );
            let near = format!(
                "SELECT {shown} FROM r{i} r JOIN complaints c ON c.id = r.id \
                 WHERE r.narrative_fp IS NULL OR r.narrative_trigrams IS NULL \
                    OR (NOT (r.narrative_fp = {} AND r.narrative_trigrams = {}) \
                        AND r.narrative_trigrams BETWEEN {} AND {})",
                bind(&mut values, own_fp.into()),
                bind(&mut values, own_count.into()),
                bind(&mut values, lo.into()),
                bind(&mut values, hi.into()),
            );
            format!("{exact} UNION ALL {near}")
        } else {
            format!("SELECT {shown} FROM r{i} r JOIN complaints c ON c.id = r.id")
        };
        parts.push(sql);
    }
    let sql = format!("WITH {} {}", walks.join(", "), parts.join(" UNION ALL "));
    let mut rows = Brief::find_by_statement(crate::store::sql::stmt(backend, &sql, values))
        .all(conn)
        .await?;
    rows.sort_by(|a, b| b.received_at.cmp(&a.received_at).then(b.id.cmp(&a.id)));
    rows.dedup_by_key(|r| r.id);
    for r in rows {
        found.entry(r.id).or_insert(Near {
            received_at: r.received_at,
            fp: r.narrative_fp,
            trigrams: r.narrative_trigrams,
            reasons: Vec::new(),
            tracking_code: r.tracking_code,
            status: r.status,
            company_name: r.company_name,
        });
    }

    // Similarity from the fingerprints where they decide it; the narrative is read otherwise.
    let mut similarity_of: HashMap<i64, f64> = HashMap::new();
    let mut to_read: Vec<i64> = Vec::new();
    for (&id, near) in &found {
        let reasons = &near.reasons;
        match (&near.fp, &near.trigrams) {
            (Some(fp), Some(n)) if own_count > 0 && *n > 0 => {
                if *fp == own_fp && *n == own_count {
                    similarity_of.insert(id, 1.0);
                } else if too_far(*n, own_count) && reasons.is_empty() {
                    // Cannot reach SIMILAR and nothing else proposes it.
                    continue;
                } else {
                    to_read.push(id);
                }
            }
            _ => to_read.push(id),
        }
    }
    let own_trimmed = c.narrative.trim();
    for ids in to_read.chunks(IDS_PER_QUERY) {
        let texts: Vec<(i64, String)> = complaint::Entity::find()
            .select_only()
            .columns([C::Id, C::Narrative])
            .filter(C::Id.is_in(ids.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        for (id, narrative) in texts {
            let sim = if narrative.trim() == own_trimmed {
                1.0
            } else {
                let theirs = trigrams(&narrative);
                if own.is_empty() && theirs.is_empty() {
                    0.0
                } else {
                    jaccard(&own, &theirs)
                }
            };
            similarity_of.insert(id, sim);
        }
    }

    // Every proposal, most likely first.
    let mut kept: Vec<Candidate> = found
        .into_iter()
        .filter_map(|(id, near)| {
            let sim = similarity_of.get(&id).copied().unwrap_or(0.0);
            let mut reasons = near.reasons;
            if sim >= SIMILAR {
                reasons.push(Reason::SimilarNarrative);
            }
            (!reasons.is_empty()).then_some(Candidate {
                id,
                tracking_code: near.tracking_code,
                status: near.status,
                received_at: near.received_at,
                company_name: near.company_name,
                reasons,
                similarity: sim,
            })
        })
        .collect();
    kept.sort_by(|a, b| {
        b.reasons
            .len()
            .cmp(&a.reasons.len())
            .then(b.similarity.total_cmp(&a.similarity))
            .then(b.received_at.cmp(&a.received_at))
            .then(b.id.cmp(&a.id))
    });
    kept.truncate(MAX_PROPOSALS);
    for k in &mut kept {
        k.similarity = (k.similarity * 100.0).round() / 100.0;
    }
    Ok(kept)
}

#[cfg(test)]
mod tests;
