//! The small reads and writes the case actions are built from.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};

use crate::domain::{normalize_name, ObstacleSource, Status};
use crate::entities::{
    case_note, company, company_alias, complaint_obstacle, mail_outbox, status_history,
};
use crate::services::audit::Actor;
use crate::services::error::{unique_violation, UniqueKey};

use super::change::{invalid, required_text, CaseError};

pub(super) async fn reviewer_codes(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<Vec<String>, DbErr> {
    Ok(complaint_obstacle::Entity::find()
        .filter(complaint_obstacle::Column::ComplaintId.eq(id))
        .filter(complaint_obstacle::Column::Source.eq(ObstacleSource::Reviewer.code()))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.obstacle_code)
        .collect())
}

pub(super) async fn has_public_received(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<bool, DbErr> {
    Ok(status_history::Entity::find()
        .filter(status_history::Column::ComplaintId.eq(id))
        .filter(status_history::Column::ToStatus.eq(Status::Received))
        .filter(status_history::Column::IsPublic.eq(true))
        .count(conn)
        .await?
        > 0)
}

pub(super) async fn receipt_sent(conn: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ComplaintId.eq(id))
        .filter(mail_outbox::Column::Kind.eq("receipt"))
        .count(conn)
        .await?
        > 0)
}

/// The directory company a reviewer named (by name or alias), or a new bare one if asked to.
pub(super) async fn link_target(
    txn: &DatabaseTransaction,
    name: &str,
    create: bool,
    sector: &str,
    now: DateTime<Utc>,
) -> Result<company::Model, CaseError> {
    let name = required_text("company_name", name, 100)?;
    let norm = normalize_name(&name);
    if let Some(co) = company::Entity::find()
        .filter(company::Column::NameNorm.eq(norm.clone()))
        .one(txn)
        .await?
    {
        return Ok(co);
    }
    if let Some(a) = company_alias::Entity::find()
        .filter(company_alias::Column::AliasNorm.eq(norm.clone()))
        .one(txn)
        .await?
    {
        if let Some(co) = company::Entity::find_by_id(a.company_id).one(txn).await? {
            return Ok(co);
        }
    }
    if !create {
        return Err(invalid("company_name", "cases.errors.no_such_company"));
    }
    company::ActiveModel {
        name: Set(name),
        name_norm: Set(norm),
        sector: Set(Some(sector.to_string())),
        credit_code: Set(None),
        contact_email: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| match unique_violation(&e) {
        // Someone registered the name since the look-up above: the next try links to it.
        Some(UniqueKey::CompanyName) => invalid("company_name", "companies.errors.taken_meanwhile"),
        _ => e.into(),
    })
}

pub(super) async fn add_note_row(
    conn: &impl ConnectionTrait,
    id: i64,
    actor: &Actor,
    body: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    case_note::ActiveModel {
        complaint_id: Set(id),
        author_user_id: Set(actor.user_id),
        author: Set(actor.label.clone()),
        body: Set(body),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}
