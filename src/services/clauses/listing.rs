//! The clause library as a list: filtered by company, status, obstacle code and a search over
//! the clause text, the service and the company's name; each row with its citation counts.
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::domain::clauses::ClauseStatus;
use crate::entities::{clause, clause_group, clause_obstacle, company};
use crate::services::clauses::citations::citing_counts;

/// What the list is narrowed to (all optional).
#[derive(Debug, Clone, Default)]
pub struct ClauseFilter {
    /// Words in the clause text, the service or the company's name (case-insensitive).
    pub q: String,
    pub company_id: Option<i64>,
    pub status: Option<ClauseStatus>,
    pub obstacle: Option<String>,
    /// Only clauses whose review is still going on.
    pub open_only: bool,
}

/// One clause as the lists and the export show it.
#[derive(Debug, Clone)]
pub struct ClauseRow {
    pub clause: clause::Model,
    pub company_name: String,
    pub obstacles: Vec<String>,
    /// Complaints citing it (published statuses only).
    pub complaints: u64,
    pub groups: u64,
}

/// Clauses matching `f`, most recently changed first.
pub async fn list(conn: &impl ConnectionTrait, f: &ClauseFilter) -> Result<Vec<ClauseRow>, DbErr> {
    let mut q = clause::Entity::find();
    if let Some(c) = f.company_id {
        q = q.filter(clause::Column::CompanyId.eq(c));
    }
    if let Some(s) = f.status {
        q = q.filter(clause::Column::Status.eq(s));
    }
    if f.open_only {
        q = q.filter(clause::Column::Status.is_in(ClauseStatus::OPEN.iter().copied()));
    }
    if let Some(o) = &f.obstacle {
        q = q.filter(
            clause::Column::Id.in_subquery(
                Query::select()
                    .column(clause_obstacle::Column::ClauseId)
                    .from(clause_obstacle::Entity)
                    .and_where(clause_obstacle::Column::ObstacleCode.eq(o.clone()))
                    .to_owned(),
            ),
        );
    }
    let needle = f.q.trim().to_lowercase();
    if !needle.is_empty() {
        // LIKE wildcards in the search text are taken literally.
        let pattern = format!(
            "%{}%",
            needle
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let like = |col: Expr| {
            Expr::expr(Func::lower(col))
                .like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\'))
        };
        q = q.filter(
            sea_orm::Condition::any()
                .add(like(Expr::col((
                    clause::Entity,
                    clause::Column::ClauseText,
                ))))
                .add(like(Expr::col((
                    clause::Entity,
                    clause::Column::ServiceName,
                ))))
                .add(
                    clause::Column::CompanyId.in_subquery(
                        Query::select()
                            .column(company::Column::Id)
                            .from(company::Entity)
                            .and_where(like(Expr::col((company::Entity, company::Column::Name))))
                            .to_owned(),
                    ),
                ),
        );
    }
    let rows = q
        .order_by_desc(clause::Column::UpdatedAt)
        .order_by_desc(clause::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    decorate(conn, rows, &ids).await
}

/// Adds company names, obstacle codes and counts to clause rows.
pub(super) async fn decorate(
    conn: &impl ConnectionTrait,
    rows: Vec<clause::Model>,
    ids: &[i64],
) -> Result<Vec<ClauseRow>, DbErr> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let company_ids: Vec<i64> = rows.iter().map(|c| c.company_id).collect();
    let names: HashMap<i64, String> = company::Entity::find()
        .filter(company::Column::Id.is_in(company_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let mut obstacles: HashMap<i64, Vec<String>> = HashMap::new();
    for o in clause_obstacle::Entity::find()
        .filter(clause_obstacle::Column::ClauseId.is_in(ids.to_vec()))
        .order_by_asc(clause_obstacle::Column::ObstacleCode)
        .all(conn)
        .await?
    {
        obstacles
            .entry(o.clause_id)
            .or_default()
            .push(o.obstacle_code);
    }
    let groups: HashMap<i64, i64> = clause_group::Entity::find()
        .select_only()
        .column(clause_group::Column::ClauseId)
        .column_as(Expr::col(clause_group::Column::GroupId).count(), "n")
        .filter(clause_group::Column::ClauseId.is_in(ids.to_vec()))
        .group_by(clause_group::Column::ClauseId)
        .into_tuple::<(i64, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let complaints = citing_counts(conn, ids).await?;
    Ok(rows
        .into_iter()
        .map(|c| ClauseRow {
            company_name: names.get(&c.company_id).cloned().unwrap_or_default(),
            obstacles: obstacles.remove(&c.id).unwrap_or_default(),
            complaints: complaints.get(&c.id).copied().unwrap_or(0),
            groups: groups.get(&c.id).copied().unwrap_or(0).max(0) as u64,
            clause: c,
        })
        .collect())
}
