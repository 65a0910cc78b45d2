//! Merging two companies, and linking complaints filed before a company was in the directory.
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::Serialize;
use serde_json::json;

use super::{resolve, DirError, Problems};
use crate::domain::normalize_name;
use crate::entities::{case_group, company, company_alias, complaint};
use crate::services::audit::{self, Actor};
use crate::store::sql::stmt;

const SCAN_BATCH: u64 = 2000;
const UPDATE_BATCH: usize = 500;

/// What a merge moved.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Merged {
    pub complaints: u64,
    pub groups: u64,
    pub aliases: u64,
}

/// Merges company `other` into `survivor`: its complaints, case groups and aliases move over,
/// its name becomes an alias, details the survivor lacks are taken over, and it is deleted.
pub async fn merge(
    db: &DatabaseConnection,
    survivor: i64,
    other: &str,
    actor: &Actor,
) -> Result<(company::Model, Merged), DirError> {
    let txn = db.begin().await?;
    let keep = company::Entity::find_by_id(survivor)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    let gone = match resolve(&txn, other).await? {
        Some(c) if c.id == keep.id => {
            return Err(Problems::one("other", "companies.errors.merge_self", vec![]).into())
        }
        Some(c) => c,
        None if other.trim().is_empty() => {
            return Err(Problems::one("other", "errors.required", vec![]).into())
        }
        None => {
            return Err(Problems::one(
                "other",
                "companies.errors.no_such_company",
                vec![("company", other.trim().into())],
            )
            .into())
        }
    };
    let backend = txn.get_database_backend();
    let now = Utc::now();
    // A moved complaint changed: bump its version so an open case form notices.
    let complaints = txn
        .execute(stmt(
            backend,
            "UPDATE complaints SET company_id = $1, version = version + 1, updated_at = $2 WHERE company_id = $3",
            vec![keep.id.into(), now.into(), gone.id.into()],
        ))
        .await?
        .rows_affected();
    let groups = case_group::Entity::update_many()
        .col_expr(case_group::Column::CompanyId, Expr::value(keep.id))
        .filter(case_group::Column::CompanyId.eq(gone.id))
        .exec(&txn)
        .await?
        .rows_affected;
    // The clause library follows the company (its foreign key refuses the delete otherwise).
    txn.execute(stmt(
        backend,
        "UPDATE clauses SET company_id = $1 WHERE company_id = $2",
        vec![keep.id.into(), gone.id.into()],
    ))
    .await?;
    let aliases = company_alias::Entity::update_many()
        .col_expr(company_alias::Column::CompanyId, Expr::value(keep.id))
        .filter(company_alias::Column::CompanyId.eq(gone.id))
        .exec(&txn)
        .await?
        .rows_affected;
    let taken = company_alias::Entity::find()
        .filter(company_alias::Column::AliasNorm.eq(gone.name_norm.clone()))
        .count(&txn)
        .await?;
    if taken == 0 {
        company_alias::ActiveModel {
            company_id: Set(keep.id),
            alias: Set(gone.name.clone()),
            alias_norm: Set(gone.name_norm.clone()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    company::Entity::delete_by_id(gone.id).exec(&txn).await?;
    let mut am: company::ActiveModel = keep.clone().into();
    if keep.sector.is_none() && gone.sector.is_some() {
        am.sector = Set(gone.sector.clone());
    }
    if keep.credit_code.is_none() && gone.credit_code.is_some() {
        am.credit_code = Set(gone.credit_code.clone());
    }
    if keep.contact_email.is_none() && gone.contact_email.is_some() {
        am.contact_email = Set(gone.contact_email.clone());
    }
    am.updated_at = Set(now);
    let keep = am.update(&txn).await?;
    let moved = Merged {
        complaints,
        groups,
        aliases: aliases + u64::from(taken == 0),
    };
    audit::record(
        &txn,
        actor,
        "company_merged",
        Some(("company", keep.id.to_string())),
        Some(json!({ "into_id": keep.id, "merged_id": gone.id, "moved_complaints": moved.complaints, "moved_groups": moved.groups, "moved_aliases": moved.aliases })),
    )
    .await?;
    txn.commit().await?;
    Ok((keep, moved))
}

/// Links complaints without a company whose normalised company name is this company's name or
/// one of its aliases. Returns how many were linked.
pub async fn link_unmatched(
    db: &DatabaseConnection,
    id: i64,
    actor: &Actor,
) -> Result<u64, DirError> {
    let txn = db.begin().await?;
    let c = company::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    let mut names: Vec<String> = company_alias::Entity::find()
        .filter(company_alias::Column::CompanyId.eq(id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| a.alias_norm)
        .collect();
    names.push(c.name_norm.clone());
    // Normalisation folds width, case and spacing, which SQL cannot do the same way on both
    // backends: scan the unlinked complaints' names in batches and compare here.
    let mut matched: Vec<i64> = Vec::new();
    let mut after = 0i64;
    loop {
        let batch: Vec<(i64, String)> = complaint::Entity::find()
            .select_only()
            .column(complaint::Column::Id)
            .column(complaint::Column::CompanyName)
            .filter(complaint::Column::CompanyId.is_null())
            .filter(complaint::Column::Id.gt(after))
            .order_by_asc(complaint::Column::Id)
            .limit(SCAN_BATCH)
            .into_tuple()
            .all(&txn)
            .await?;
        let Some(last) = batch.last() else { break };
        after = last.0;
        matched.extend(
            batch
                .iter()
                .filter(|(_, n)| names.contains(&normalize_name(n)))
                .map(|(id, _)| *id),
        );
    }
    let backend = txn.get_database_backend();
    let now = Utc::now();
    let mut linked = 0;
    for chunk in matched.chunks(UPDATE_BATCH) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
        let mut values: Vec<sea_orm::Value> = vec![id.into(), now.into()];
        values.extend(chunk.iter().map(|i| sea_orm::Value::from(*i)));
        let sql = format!(
            "UPDATE complaints SET company_id = $1, version = version + 1, updated_at = $2 WHERE company_id IS NULL AND id IN ({})",
            placeholders.join(", ")
        );
        linked += txn
            .execute(stmt(backend, &sql, values))
            .await?
            .rows_affected();
    }
    audit::record(
        &txn,
        actor,
        "company_complaints_linked",
        Some(("company", id.to_string())),
        Some(json!({ "linked": linked })),
    )
    .await?;
    txn.commit().await?;
    Ok(linked)
}
