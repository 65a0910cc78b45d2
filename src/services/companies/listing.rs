//! The directory lists (staff pages in name order, the API in id order) and a company's cases.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LikeExpr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;

use crate::domain::{normalize_name, Sector};
use crate::entities::{company, company_alias, complaint};

/// How many complaints a company page lists.
pub const CASES_SHOWN: u64 = 50;

/// A company as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyRow {
    pub id: i64,
    pub name: String,
    pub aliases: Vec<String>,
    pub sector: Option<String>,
    pub credit_code: Option<String>,
    pub contact_email: Option<String>,
    pub complaint_count: i64,
}

/// Filters of the directory lists.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Part of a name or alias (or a whole credit code).
    pub q: Option<String>,
    pub sector: Option<Sector>,
}

fn like_pattern(norm: &str) -> LikeExpr {
    let escaped = norm
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

fn filter_condition(f: &ListFilter) -> Condition {
    let mut cond = Condition::all();
    if let Some(q) = f.q.as_deref().map(normalize_name).filter(|q| !q.is_empty()) {
        let alias_hits = Query::select()
            .column(company_alias::Column::CompanyId)
            .from(company_alias::Entity)
            .and_where(Expr::col(company_alias::Column::AliasNorm).like(like_pattern(&q)))
            .to_owned();
        cond = cond.add(
            Condition::any()
                .add(company::Column::NameNorm.like(like_pattern(&q)))
                .add(company::Column::Id.in_subquery(alias_hits))
                .add(company::Column::CreditCode.eq(q.to_ascii_uppercase())),
        );
    }
    if let Some(s) = f.sector {
        cond = cond.add(company::Column::Sector.eq(s.code()));
    }
    cond
}

/// Aliases and complaint counts for a page of companies.
async fn rows_for(
    conn: &impl ConnectionTrait,
    companies: Vec<company::Model>,
) -> Result<Vec<CompanyRow>, DbErr> {
    let ids: Vec<i64> = companies.iter().map(|c| c.id).collect();
    let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
    for a in company_alias::Entity::find()
        .filter(company_alias::Column::CompanyId.is_in(ids.clone()))
        .order_by_asc(company_alias::Column::Id)
        .all(conn)
        .await?
    {
        aliases.entry(a.company_id).or_default().push(a.alias);
    }
    let counts = complaint_counts(conn, &ids).await?;
    Ok(companies
        .into_iter()
        .map(|c| CompanyRow {
            aliases: aliases.remove(&c.id).unwrap_or_default(),
            complaint_count: counts.get(&c.id).copied().unwrap_or(0),
            id: c.id,
            name: c.name,
            sector: c.sector,
            credit_code: c.credit_code,
            contact_email: c.contact_email,
        })
        .collect())
}

/// Complaints per company, for the given companies.
pub async fn complaint_counts(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<BTreeMap<i64, i64>, DbErr> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows: Vec<(Option<i64>, i64)> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::CompanyId)
        .column_as(Expr::col(complaint::Column::Id).count(), "n")
        .filter(complaint::Column::CompanyId.is_in(ids.to_vec()))
        .group_by(complaint::Column::CompanyId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, n)| id.map(|id| (id, n)))
        .collect())
}

/// One page of the staff directory in name order, after the company with id `after`.
pub async fn list_by_name(
    db: &DatabaseConnection,
    f: &ListFilter,
    after: Option<i64>,
    limit: u64,
) -> Result<(Vec<CompanyRow>, Option<i64>), DbErr> {
    let mut find = company::Entity::find().filter(filter_condition(f));
    if let Some(a) = after {
        if let Some(c) = company::Entity::find_by_id(a).one(db).await? {
            find = find.filter(company::Column::NameNorm.gt(c.name_norm));
        }
    }
    let mut page = find
        .order_by_asc(company::Column::NameNorm)
        .limit(limit + 1)
        .all(db)
        .await?;
    let next = if page.len() as u64 > limit {
        page.truncate(limit as usize);
        page.last().map(|c| c.id)
    } else {
        None
    };
    Ok((rows_for(db, page).await?, next))
}

/// One page in id order after id `after` (the API's keyset).
pub async fn list_by_id(
    db: &DatabaseConnection,
    f: &ListFilter,
    after: i64,
    limit: u64,
) -> Result<(Vec<CompanyRow>, Option<i64>), DbErr> {
    let mut page = company::Entity::find()
        .filter(filter_condition(f))
        .filter(company::Column::Id.gt(after))
        .order_by_asc(company::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let next = if page.len() as u64 > limit {
        page.truncate(limit as usize);
        page.last().map(|c| c.id)
    } else {
        None
    };
    Ok((rows_for(db, page).await?, next))
}

/// A company with its aliases.
pub async fn find(
    db: &DatabaseConnection,
    id: i64,
) -> Result<Option<(company::Model, Vec<company_alias::Model>)>, DbErr> {
    let Some(c) = company::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let aliases = company_alias::Entity::find()
        .filter(company_alias::Column::CompanyId.eq(id))
        .order_by_asc(company_alias::Column::Id)
        .all(db)
        .await?;
    Ok(Some((c, aliases)))
}

/// A complaint as the company page lists it.
#[derive(Debug, Clone)]
pub struct CaseLine {
    pub id: i64,
    pub tracking_code: String,
    pub status: String,
    pub sector: String,
    pub service_name: Option<String>,
    pub received_at: DateTime<Utc>,
}

/// The latest complaints of a company and how many it has in all.
pub async fn cases_of(db: &DatabaseConnection, id: i64) -> Result<(Vec<CaseLine>, u64), DbErr> {
    type Line = (i64, String, String, String, Option<String>, DateTime<Utc>);
    let rows: Vec<Line> = complaint::Entity::find()
        .select_only()
        .columns([
            complaint::Column::Id,
            complaint::Column::TrackingCode,
            complaint::Column::Status,
            complaint::Column::Sector,
            complaint::Column::ServiceName,
            complaint::Column::ReceivedAt,
        ])
        .filter(complaint::Column::CompanyId.eq(id))
        .order_by_desc(complaint::Column::ReceivedAt)
        .order_by_desc(complaint::Column::Id)
        .limit(CASES_SHOWN)
        .into_tuple()
        .all(db)
        .await?;
    let total = complaint::Entity::find()
        .filter(complaint::Column::CompanyId.eq(id))
        .count(db)
        .await?;
    let lines = rows
        .into_iter()
        .map(
            |(id, tracking_code, status, sector, service_name, received_at)| CaseLine {
                id,
                tracking_code,
                status,
                sector,
                service_name,
                received_at,
            },
        )
        .collect();
    Ok((lines, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        let p = like_pattern("50%_off");
        let s = format!("{p:?}");
        assert!(s.contains("50\\\\%\\\\_off"), "{s}");
    }
}
