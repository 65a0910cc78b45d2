//! Case groups: similar complaints gathered for a collective action (代表人诉讼 / 集体投诉), their
//! members, and the member list exported for the action.
//!
//! Contact data of members is only handed out for members who consented to be contacted
//! (`consent_contact_company`); callers audit every view and export of it.
mod export;
mod members;
pub mod page;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

use crate::entities::{case_group, case_group_member, company};
use crate::services::audit::{self, Actor};
use crate::services::companies::{self, check_text, DirError, Problems, MAX_NAME_CHARS};

pub use export::{members_csv, neutralise, CSV_HEADER};
pub use members::{
    add_members, members, remove_member, split_refs, Added, Contact, Member, MAX_REFS,
};

const MAX_DESCRIPTION_CHARS: usize = 2000;

/// A validated group form.
#[derive(Debug, Clone)]
pub struct GroupInput {
    pub name: String,
    pub description: String,
    pub company_id: Option<i64>,
}

/// Parses the group form; `company` is an id, a name or an alias from the directory (or empty).
pub async fn parse_group(
    conn: &impl ConnectionTrait,
    name: &str,
    description: &str,
    company: &str,
) -> Result<GroupInput, DirError> {
    let mut p = Problems::default();
    let name = check_text(&mut p, "name", name, true, MAX_NAME_CHARS);
    let description = description.trim();
    let len = description.chars().count();
    if len > MAX_DESCRIPTION_CHARS {
        p.add(
            "description",
            "errors.too_long",
            vec![
                ("max", MAX_DESCRIPTION_CHARS.to_string()),
                ("len", len.to_string()),
            ],
        );
    }
    let company_id = match company.trim() {
        "" => None,
        c => match companies::resolve(conn, c).await? {
            Some(found) => Some(found.id),
            None => {
                p.add(
                    "company",
                    "companies.errors.no_such_company",
                    vec![("company", c.to_string())],
                );
                None
            }
        },
    };
    match name {
        Some(name) if p.is_empty() => Ok(GroupInput {
            name,
            description: description.to_string(),
            company_id,
        }),
        _ => Err(DirError::Invalid(p)),
    }
}

/// A group as the list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub company_id: Option<i64>,
    pub company_name: Option<String>,
    pub member_count: i64,
    pub created_at: DateTime<Utc>,
}

async fn company_names(
    conn: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(company::Entity::find()
        .filter(company::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

/// Every group, newest first, with member counts.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<GroupRow>, DbErr> {
    let groups = case_group::Entity::find()
        .order_by_desc(case_group::Column::Id)
        .all(db)
        .await?;
    let counts: HashMap<i64, i64> = case_group_member::Entity::find()
        .select_only()
        .column(case_group_member::Column::GroupId)
        .column_as(
            Expr::col(case_group_member::Column::ComplaintId).count(),
            "n",
        )
        .group_by(case_group_member::Column::GroupId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let names = company_names(db, groups.iter().filter_map(|g| g.company_id).collect()).await?;
    Ok(groups
        .into_iter()
        .map(|g| GroupRow {
            member_count: counts.get(&g.id).copied().unwrap_or(0),
            company_name: g.company_id.and_then(|c| names.get(&c).cloned()),
            id: g.id,
            name: g.name,
            description: g.description,
            company_id: g.company_id,
            created_at: g.created_at,
        })
        .collect())
}

/// One group with its company's name.
pub async fn find(
    db: &DatabaseConnection,
    id: i64,
) -> Result<Option<(case_group::Model, Option<company::Model>)>, DbErr> {
    let Some(g) = case_group::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let c = match g.company_id {
        Some(c) => company::Entity::find_by_id(c).one(db).await?,
        None => None,
    };
    Ok(Some((g, c)))
}

/// Creates a group.
pub async fn create(
    db: &DatabaseConnection,
    input: GroupInput,
    actor: &Actor,
) -> Result<case_group::Model, DirError> {
    let txn = db.begin().await?;
    let now = Utc::now();
    let g = case_group::ActiveModel {
        name: Set(input.name),
        description: Set(input.description),
        company_id: Set(input.company_id),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "group_created",
        Some(("case_group", g.id.to_string())),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(g)
}

/// Saves the group's name, description and company.
pub async fn update(
    db: &DatabaseConnection,
    id: i64,
    input: GroupInput,
    actor: &Actor,
) -> Result<(), DirError> {
    let txn = db.begin().await?;
    let g = case_group::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    let mut am: case_group::ActiveModel = g.into();
    am.name = Set(input.name);
    am.description = Set(input.description);
    am.company_id = Set(input.company_id);
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "group_updated",
        Some(("case_group", id.to_string())),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes a group and its memberships; the complaints stay.
pub async fn delete(db: &DatabaseConnection, id: i64, actor: &Actor) -> Result<u64, DirError> {
    let txn = db.begin().await?;
    case_group::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    let members = case_group_member::Entity::delete_many()
        .filter(case_group_member::Column::GroupId.eq(id))
        .exec(&txn)
        .await?
        .rows_affected;
    case_group::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        actor,
        "group_deleted",
        Some(("case_group", id.to_string())),
        Some(json!({ "members": members })),
    )
    .await?;
    txn.commit().await?;
    Ok(members)
}
