//! Cases citing a clause and case groups challenging it: citing, unciting, linking, unlinking
//! (each in the clause's history and the audit log), and the look-ups both sides' pages need.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

use super::event;
use crate::domain::clauses::ClauseStatus;
use crate::domain::Status;
use crate::entities::{case_group, clause, clause_citation, clause_group, company, complaint};
use crate::services::audit::Actor;
use crate::services::companies::DirError;
use crate::services::stats::PUBLISHED;

fn published() -> Vec<Status> {
    PUBLISHED.iter().filter_map(|s| Status::parse(s)).collect()
}

/// A clause as a case or group page lists it.
#[derive(Debug, Clone)]
pub struct ClauseRef {
    pub id: i64,
    pub company_name: String,
    pub service_name: String,
    pub clause_text: String,
    pub status: ClauseStatus,
}

async fn refs(conn: &impl ConnectionTrait, ids: Vec<i64>) -> Result<Vec<ClauseRef>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = clause::Entity::find()
        .filter(clause::Column::Id.is_in(ids))
        .order_by_asc(clause::Column::Id)
        .all(conn)
        .await?;
    let names: HashMap<i64, String> = company::Entity::find()
        .filter(company::Column::Id.is_in(rows.iter().map(|c| c.company_id).collect::<Vec<_>>()))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|c| ClauseRef {
            id: c.id,
            company_name: names.get(&c.company_id).cloned().unwrap_or_default(),
            service_name: c.service_name,
            clause_text: c.clause_text,
            status: c.status,
        })
        .collect())
}

/// The clauses a case cites.
pub async fn clauses_of_case(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
) -> Result<Vec<ClauseRef>, DbErr> {
    let ids = clause_citation::Entity::find()
        .filter(clause_citation::Column::ComplaintId.eq(complaint_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| c.clause_id)
        .collect();
    refs(conn, ids).await
}

/// The clauses a case group challenges.
pub async fn clauses_of_group(
    conn: &impl ConnectionTrait,
    group_id: i64,
) -> Result<Vec<ClauseRef>, DbErr> {
    let ids = clause_group::Entity::find()
        .filter(clause_group::Column::GroupId.eq(group_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| c.clause_id)
        .collect();
    refs(conn, ids).await
}

/// A case citing a clause (staff pages only).
#[derive(Debug, Clone)]
pub struct CitingCase {
    pub complaint_id: i64,
    pub tracking_code: String,
    pub status: Status,
    pub received_at: DateTime<Utc>,
    pub cited_at: DateTime<Utc>,
}

/// Every case citing a clause, newest complaint first.
pub async fn cases_of_clause(
    conn: &impl ConnectionTrait,
    clause_id: i64,
) -> Result<Vec<CitingCase>, DbErr> {
    let cites: HashMap<i64, DateTime<Utc>> = clause_citation::Entity::find()
        .filter(clause_citation::Column::ClauseId.eq(clause_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.complaint_id, c.cited_at))
        .collect();
    if cites.is_empty() {
        return Ok(Vec::new());
    }
    let rows = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::Id)
        .column(complaint::Column::TrackingCode)
        .column(complaint::Column::Status)
        .column(complaint::Column::ReceivedAt)
        .filter(complaint::Column::Id.is_in(cites.keys().copied().collect::<Vec<_>>()))
        .order_by_desc(complaint::Column::ReceivedAt)
        .into_tuple::<(i64, String, Status, DateTime<Utc>)>()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, status, received_at)| CitingCase {
            cited_at: cites.get(&id).copied().unwrap_or(received_at),
            complaint_id: id,
            tracking_code: code,
            status,
            received_at,
        })
        .collect())
}

/// A case group challenging a clause.
#[derive(Debug, Clone)]
pub struct LinkedGroup {
    pub id: i64,
    pub name: String,
}

/// The groups linked to a clause.
pub async fn groups_of_clause(
    conn: &impl ConnectionTrait,
    clause_id: i64,
) -> Result<Vec<LinkedGroup>, DbErr> {
    let ids: Vec<i64> = clause_group::Entity::find()
        .filter(clause_group::Column::ClauseId.eq(clause_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| g.group_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(case_group::Entity::find()
        .filter(case_group::Column::Id.is_in(ids))
        .order_by_asc(case_group::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|g| LinkedGroup {
            id: g.id,
            name: g.name,
        })
        .collect())
}

/// Complaints (published statuses) citing each of `ids`.
pub async fn citing_counts(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, u64>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(clause_citation::Entity::find()
        .select_only()
        .column(clause_citation::Column::ClauseId)
        .column_as(
            Expr::col((
                clause_citation::Entity,
                clause_citation::Column::ComplaintId,
            ))
            .count(),
            "n",
        )
        .inner_join_complaint()
        .filter(clause_citation::Column::ClauseId.is_in(ids.to_vec()))
        .filter(complaint::Column::Status.is_in(published()))
        .group_by(clause_citation::Column::ClauseId)
        .into_tuple::<(i64, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(id, n)| (id, n.max(0) as u64))
        .collect())
}

/// When each complaint citing a clause was received (published statuses only).
pub async fn citing_received(
    conn: &impl ConnectionTrait,
    clause_id: i64,
) -> Result<Vec<DateTime<Utc>>, DbErr> {
    clause_citation::Entity::find()
        .select_only()
        .column(complaint::Column::ReceivedAt)
        .inner_join_complaint()
        .filter(clause_citation::Column::ClauseId.eq(clause_id))
        .filter(complaint::Column::Status.is_in(published()))
        .into_tuple::<DateTime<Utc>>()
        .all(conn)
        .await
}

/// `JOIN complaints ON complaints.id = clause_citations.complaint_id` without a declared
/// relation (entities stay in their generated shape).
trait JoinComplaint {
    fn inner_join_complaint(self) -> Self;
}

impl JoinComplaint for sea_orm::Select<clause_citation::Entity> {
    fn inner_join_complaint(self) -> Self {
        self.join(
            sea_orm::JoinType::InnerJoin,
            clause_citation::Entity::belongs_to(complaint::Entity)
                .from(clause_citation::Column::ComplaintId)
                .to(complaint::Column::Id)
                .into(),
        )
    }
}

/// What a clause is linked to: a case citing it, or a case group challenging it.
#[derive(Clone, Copy)]
enum Target {
    Case(i64),
    Group(i64),
}

impl Target {
    /// The history kinds of linking and unlinking, and the audit details.
    fn kinds(self) -> (&'static str, &'static str, serde_json::Value) {
        match self {
            Target::Case(id) => ("case_cited", "case_uncited", json!({ "complaint_id": id })),
            Target::Group(id) => ("group_linked", "group_unlinked", json!({ "group_id": id })),
        }
    }

    /// How the history names it (tracking code, group name); `None` when it does not exist.
    async fn label(self, conn: &impl ConnectionTrait) -> Result<Option<String>, DbErr> {
        Ok(match self {
            Target::Case(id) => complaint::Entity::find_by_id(id)
                .one(conn)
                .await?
                .map(|c| c.tracking_code),
            Target::Group(id) => case_group::Entity::find_by_id(id)
                .one(conn)
                .await?
                .map(|g| g.name),
        })
    }

    /// Inserts the link; two clicks at once keep one row (the primary key), the other
    /// insert does nothing. Returns the rows inserted.
    async fn insert(
        self,
        conn: &impl ConnectionTrait,
        clause_id: i64,
        actor: &Actor,
    ) -> Result<u64, DbErr> {
        match self {
            Target::Case(id) => {
                clause_citation::Entity::insert(clause_citation::ActiveModel {
                    clause_id: Set(clause_id),
                    complaint_id: Set(id),
                    cited_by: Set(actor.user_id),
                    cited_at: Set(Utc::now()),
                })
                .on_conflict(
                    OnConflict::columns([
                        clause_citation::Column::ClauseId,
                        clause_citation::Column::ComplaintId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(conn)
                .await
            }
            Target::Group(id) => {
                clause_group::Entity::insert(clause_group::ActiveModel {
                    clause_id: Set(clause_id),
                    group_id: Set(id),
                    linked_by: Set(actor.user_id),
                    linked_at: Set(Utc::now()),
                })
                .on_conflict(
                    OnConflict::columns([
                        clause_group::Column::ClauseId,
                        clause_group::Column::GroupId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(conn)
                .await
            }
        }
    }

    /// Deletes the link; returns the rows deleted.
    async fn delete(self, conn: &impl ConnectionTrait, clause_id: i64) -> Result<u64, DbErr> {
        Ok(match self {
            Target::Case(id) => {
                clause_citation::Entity::delete_many()
                    .filter(clause_citation::Column::ClauseId.eq(clause_id))
                    .filter(clause_citation::Column::ComplaintId.eq(id))
                    .exec(conn)
                    .await?
                    .rows_affected
            }
            Target::Group(id) => {
                clause_group::Entity::delete_many()
                    .filter(clause_group::Column::ClauseId.eq(clause_id))
                    .filter(clause_group::Column::GroupId.eq(id))
                    .exec(conn)
                    .await?
                    .rows_affected
            }
        })
    }
}

/// Links `target` to the clause with a history row, in one transaction. `Ok(false)`: it was
/// already linked.
async fn link(
    db: &DatabaseConnection,
    clause_id: i64,
    target: Target,
    actor: &Actor,
) -> Result<bool, DirError> {
    let txn = db.begin().await?;
    clause::Entity::find_by_id(clause_id)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    let label = target.label(&txn).await?.ok_or(DirError::NotFound)?;
    if target.insert(&txn, clause_id, actor).await? == 0 {
        return Ok(false);
    }
    let (kind, _, details) = target.kinds();
    event(&txn, clause_id, kind, None, &label, actor, details).await?;
    txn.commit().await?;
    Ok(true)
}

/// Takes a link back with a history row. `Ok(false)`: there was none.
async fn unlink(
    db: &DatabaseConnection,
    clause_id: i64,
    target: Target,
    actor: &Actor,
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    if target.delete(&txn, clause_id).await? == 0 {
        return Ok(false);
    }
    let label = target.label(&txn).await?.unwrap_or_default();
    let (_, kind, details) = target.kinds();
    event(&txn, clause_id, kind, None, &label, actor, details).await?;
    txn.commit().await?;
    Ok(true)
}

/// Cites a clause from a case. `Ok(false)`: it was already cited.
pub async fn cite(
    db: &DatabaseConnection,
    clause_id: i64,
    complaint_id: i64,
    actor: &Actor,
) -> Result<bool, DirError> {
    link(db, clause_id, Target::Case(complaint_id), actor).await
}

/// Takes a citation back. `Ok(false)`: there was none.
pub async fn uncite(
    db: &DatabaseConnection,
    clause_id: i64,
    complaint_id: i64,
    actor: &Actor,
) -> Result<bool, DbErr> {
    unlink(db, clause_id, Target::Case(complaint_id), actor).await
}

/// Links a case group to a clause it challenges. `Ok(false)`: already linked.
pub async fn link_group(
    db: &DatabaseConnection,
    clause_id: i64,
    group_id: i64,
    actor: &Actor,
) -> Result<bool, DirError> {
    link(db, clause_id, Target::Group(group_id), actor).await
}

/// Unlinks a case group from a clause. `Ok(false)`: they were not linked.
pub async fn unlink_group(
    db: &DatabaseConnection,
    clause_id: i64,
    group_id: i64,
    actor: &Actor,
) -> Result<bool, DbErr> {
    unlink(db, clause_id, Target::Group(group_id), actor).await
}
