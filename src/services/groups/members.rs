//! Members of a case group: adding cases by id or tracking code, removing them, and reading
//! the member list (with contact data only for members who consented to be contacted).
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::Serialize;
use serde_json::json;

use super::company_names;
use crate::domain::TrackingCode;
use crate::entities::{case_group, case_group_member, complaint};
use crate::services::audit::{self, Actor};
use crate::services::companies::{DirError, Problems};

/// Most case references accepted in one "add cases" form.
pub const MAX_REFS: usize = 500;

/// Contact data of a member who consented to be contacted.
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// One member of a group.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub complaint_id: i64,
    pub tracking_code: String,
    pub received_at: DateTime<Utc>,
    pub status: String,
    pub sector: String,
    /// The directory name when linked, else the name the consumer typed.
    pub company_name: String,
    pub service_name: Option<String>,
    pub requested_action: String,
    pub amount_claimed_fen: Option<i64>,
    pub province: Option<String>,
    pub consent_contact_company: bool,
    /// Only for members who consented to be contacted.
    pub contact: Option<Contact>,
    pub added_at: DateTime<Utc>,
}

impl Member {
    pub fn has_contact(&self) -> bool {
        self.contact
            .as_ref()
            .is_some_and(|c| c.name.is_some() || c.email.is_some() || c.phone.is_some())
    }
}

/// The members of a group in the order they were received.
pub async fn members(db: &DatabaseConnection, group_id: i64) -> Result<Vec<Member>, DbErr> {
    let links: HashMap<i64, DateTime<Utc>> = case_group_member::Entity::find()
        .filter(case_group_member::Column::GroupId.eq(group_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.complaint_id, m.added_at))
        .collect();
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let ids = Query::select()
        .column(case_group_member::Column::ComplaintId)
        .from(case_group_member::Entity)
        .and_where(Expr::col(case_group_member::Column::GroupId).eq(group_id))
        .to_owned();
    let rows = complaint::Entity::find()
        .filter(complaint::Column::Id.in_subquery(ids))
        .order_by_asc(complaint::Column::ReceivedAt)
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await?;
    let names = company_names(
        db,
        rows.iter()
            .filter_map(|c| c.company_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect(),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|c| Member {
            added_at: links.get(&c.id).copied().unwrap_or(c.received_at),
            company_name: c
                .company_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or(c.company_name),
            contact: c.consent_contact_company.then_some(Contact {
                name: c.contact_name,
                email: c.contact_email,
                phone: c.contact_phone,
            }),
            complaint_id: c.id,
            tracking_code: c.tracking_code,
            received_at: c.received_at,
            status: c.status.code().to_string(),
            sector: c.sector,
            service_name: c.service_name,
            requested_action: c.requested_action,
            amount_claimed_fen: c.amount_claimed_fen,
            province: c.province,
            consent_contact_company: c.consent_contact_company,
        })
        .collect())
}

/// What an "add cases" form did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Added {
    /// Tracking codes added now.
    pub added: Vec<String>,
    /// Tracking codes that were members already.
    pub already: Vec<String>,
    /// References that match no case, as typed.
    pub unknown: Vec<String>,
}

/// Splits a list of case ids or tracking codes (one per line, or separated by commas).
pub fn split_refs(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in text
        .split(['\n', '\r', ',', '，', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if !out.iter().any(|o| o == r) {
            out.push(r.to_string());
        }
    }
    out
}

async fn find_case(conn: &impl ConnectionTrait, r: &str) -> Result<Option<(i64, String)>, DbErr> {
    let by = |c: complaint::Model| (c.id, c.tracking_code);
    if r.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(id) = r.parse::<i64>() {
            if let Some(c) = complaint::Entity::find_by_id(id).one(conn).await? {
                return Ok(Some(by(c)));
            }
        }
    }
    match TrackingCode::parse(r) {
        Some(code) => Ok(complaint::Entity::find()
            .filter(complaint::Column::TrackingCode.eq(code.as_str()))
            .one(conn)
            .await?
            .map(by)),
        None => Ok(None),
    }
}

/// Adds the cases named in `text` (ids or tracking codes) to a group; unknown ones are reported.
pub async fn add_members(
    db: &DatabaseConnection,
    group_id: i64,
    text: &str,
    actor: &Actor,
) -> Result<Added, DirError> {
    let refs = split_refs(text);
    if refs.is_empty() {
        return Err(Problems::one("cases", "errors.required", vec![]).into());
    }
    if refs.len() > MAX_REFS {
        return Err(Problems::one(
            "cases",
            "groups.errors.too_many_refs",
            vec![("max", MAX_REFS.to_string())],
        )
        .into());
    }
    let txn = db.begin().await?;
    case_group::Entity::find_by_id(group_id)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    let existing: HashSet<i64> = case_group_member::Entity::find()
        .filter(case_group_member::Column::GroupId.eq(group_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| m.complaint_id)
        .collect();
    let mut out = Added::default();
    let mut added_ids = HashSet::new();
    let now = Utc::now();
    for r in refs {
        match find_case(&txn, &r).await? {
            None => out.unknown.push(r),
            Some((id, code)) if existing.contains(&id) || added_ids.contains(&id) => {
                if !out.already.contains(&code) && !out.added.contains(&code) {
                    out.already.push(code);
                }
            }
            Some((id, code)) => {
                case_group_member::ActiveModel {
                    group_id: Set(group_id),
                    complaint_id: Set(id),
                    added_by: Set(actor.user_id),
                    added_at: Set(now),
                }
                .insert(&txn)
                .await?;
                added_ids.insert(id);
                out.added.push(code);
            }
        }
    }
    if !out.added.is_empty() {
        let ids: Vec<i64> = added_ids.into_iter().collect();
        audit::record(
            &txn,
            actor,
            "group_members_added",
            Some(("case_group", group_id.to_string())),
            Some(json!({ "complaint_ids": ids })),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(out)
}

/// Removes one case from a group; `false` if it was not a member.
pub async fn remove_member(
    db: &DatabaseConnection,
    group_id: i64,
    complaint_id: i64,
    actor: &Actor,
) -> Result<bool, DirError> {
    let txn = db.begin().await?;
    case_group::Entity::find_by_id(group_id)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    let gone = case_group_member::Entity::delete_many()
        .filter(case_group_member::Column::GroupId.eq(group_id))
        .filter(case_group_member::Column::ComplaintId.eq(complaint_id))
        .exec(&txn)
        .await?
        .rows_affected;
    if gone > 0 {
        audit::record(
            &txn,
            actor,
            "group_member_removed",
            Some(("case_group", group_id.to_string())),
            Some(json!({ "complaint_id": complaint_id })),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(gone > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_on_lines_and_commas_without_repeats() {
        assert_eq!(
            split_refs("DW-2222-3333, 17\n\n18，DW-2222-3333 ; 19"),
            ["DW-2222-3333", "17", "18", "19"]
        );
    }
}
