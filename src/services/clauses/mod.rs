//! The library of standard-terms clauses (格式条款): recording a company's clause that blocks
//! downgrades or refunds, its review (statuses checked by `domain::clauses`), the files showing
//! where it was seen, and its history. Citations by cases and links to case groups are in
//! [`citations`], the figures its pages show in [`figures`], the library export in [`export`].
//! Every change writes a clause event (the page's history) and an audit row in one transaction.
pub mod citations;
pub mod export;
pub mod figures;
mod files;
mod form;
mod listing;
pub mod report;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde_json::json;

use crate::domain::clauses::{self, ClauseStatus};
use crate::entities::{clause, clause_event, clause_obstacle, company};
use crate::services::audit::{self, Actor};
use crate::services::companies::DirError;

pub use files::{add_file, file_of, files_of, FileRefusal};
pub use form::{parse_clause, ClauseInput, ClauseTyped};
pub use listing::{list, ClauseFilter, ClauseRow};

const MAX_NOTE_CHARS: usize = 2_000;

/// One clause with what its pages show about it.
#[derive(Debug, Clone)]
pub struct Clause {
    pub row: clause::Model,
    pub company_name: String,
    pub obstacles: Vec<String>,
}

impl Clause {
    /// The legal basis codes, in the list's order.
    pub fn legal_codes(&self) -> Vec<String> {
        split_codes(&self.row.legal_basis)
    }
}

/// `a;b` → `["a", "b"]`.
pub fn split_codes(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// One clause, its company's name and its obstacle codes.
pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<Option<Clause>, DbErr> {
    let Some(row) = clause::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let company_name = company::Entity::find_by_id(row.company_id)
        .one(conn)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let obstacles = clause_obstacle::Entity::find()
        .filter(clause_obstacle::Column::ClauseId.eq(id))
        .order_by_asc(clause_obstacle::Column::ObstacleCode)
        .all(conn)
        .await?
        .into_iter()
        .map(|o| o.obstacle_code)
        .collect();
    Ok(Some(Clause {
        row,
        company_name,
        obstacles,
    }))
}

/// Appends one history entry of a clause and the matching audit row.
pub(crate) async fn event(
    conn: &impl ConnectionTrait,
    clause_id: i64,
    kind: &str,
    change: Option<(ClauseStatus, ClauseStatus)>,
    note: &str,
    actor: &Actor,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    clause_event::ActiveModel {
        clause_id: Set(clause_id),
        kind: Set(kind.to_string()),
        from_status: Set(change.map(|c| c.0.code().to_string())),
        to_status: Set(change.map(|c| c.1.code().to_string())),
        note: Set(note.to_string()),
        user_id: Set(actor.user_id),
        actor: Set(actor.label.clone()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        actor,
        &format!("clause_{kind}"),
        Some(("clause", clause_id.to_string())),
        Some(detail),
    )
    .await
}

async fn set_obstacles(
    conn: &impl ConnectionTrait,
    clause_id: i64,
    codes: &[String],
) -> Result<(), DbErr> {
    clause_obstacle::Entity::delete_many()
        .filter(clause_obstacle::Column::ClauseId.eq(clause_id))
        .exec(conn)
        .await?;
    for c in codes {
        clause_obstacle::ActiveModel {
            clause_id: Set(clause_id),
            obstacle_code: Set(c.clone()),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// Records a new clause, `flagged`.
pub async fn create(
    db: &DatabaseConnection,
    input: ClauseInput,
    actor: &Actor,
) -> Result<clause::Model, DirError> {
    let txn = db.begin().await?;
    let now = Utc::now();
    let c = clause::ActiveModel {
        company_id: Set(input.company_id),
        service_name: Set(input.service_name),
        clause_text: Set(input.clause_text),
        source_url: Set(input.source_url),
        first_seen_on: Set(input.first_seen_on),
        last_seen_on: Set(input.last_seen_on),
        legal_basis: Set(input.legal_basis.join(";")),
        analysis: Set(input.analysis),
        status: Set(ClauseStatus::Flagged),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    set_obstacles(&txn, c.id, &input.obstacles).await?;
    event(
        &txn,
        c.id,
        "created",
        None,
        "",
        actor,
        json!({ "company_id": c.company_id, "obstacles": input.obstacles }),
    )
    .await?;
    txn.commit().await?;
    Ok(c)
}

/// Saves the clause's record (not its status).
pub async fn update(
    db: &DatabaseConnection,
    id: i64,
    input: ClauseInput,
    actor: &Actor,
) -> Result<(), DirError> {
    let txn = db.begin().await?;
    let c = clause::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    let mut changed: Vec<&str> = Vec::new();
    if c.company_id != input.company_id {
        changed.push("company");
    }
    if c.service_name != input.service_name {
        changed.push("service_name");
    }
    if c.clause_text != input.clause_text {
        changed.push("clause_text");
    }
    if c.source_url != input.source_url {
        changed.push("source_url");
    }
    if c.first_seen_on != input.first_seen_on {
        changed.push("first_seen_on");
    }
    if c.last_seen_on != input.last_seen_on {
        changed.push("last_seen_on");
    }
    let legal = input.legal_basis.join(";");
    if c.legal_basis != legal {
        changed.push("legal_basis");
    }
    if c.analysis != input.analysis {
        changed.push("analysis");
    }
    let before: Vec<String> = clause_obstacle::Entity::find()
        .filter(clause_obstacle::Column::ClauseId.eq(id))
        .order_by_asc(clause_obstacle::Column::ObstacleCode)
        .all(&txn)
        .await?
        .into_iter()
        .map(|o| o.obstacle_code)
        .collect();
    let mut after = input.obstacles.clone();
    after.sort();
    if before != after {
        changed.push("obstacles");
    }
    let mut am: clause::ActiveModel = c.into();
    am.company_id = Set(input.company_id);
    am.service_name = Set(input.service_name);
    am.clause_text = Set(input.clause_text);
    am.source_url = Set(input.source_url);
    am.first_seen_on = Set(input.first_seen_on);
    am.last_seen_on = Set(input.last_seen_on);
    am.legal_basis = Set(legal);
    am.analysis = Set(input.analysis);
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    set_obstacles(&txn, id, &input.obstacles).await?;
    event(
        &txn,
        id,
        "edited",
        None,
        &changed.join(", "),
        actor,
        json!({ "fields": changed }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Why a status change did not happen.
#[derive(Debug)]
pub enum StatusError {
    NotFound,
    /// The workflow does not allow it (or someone changed the status meanwhile).
    Illegal(clauses::IllegalChange),
    /// The note is too long.
    NoteTooLong(usize),
    Db(DbErr),
}

impl From<DbErr> for StatusError {
    fn from(e: DbErr) -> Self {
        StatusError::Db(e)
    }
}

/// Moves a clause to `to` (checked by the workflow), with an optional note.
pub async fn change_status(
    db: &DatabaseConnection,
    id: i64,
    to: ClauseStatus,
    note: &str,
    actor: &Actor,
) -> Result<(), StatusError> {
    let note = note.trim();
    let len = note.chars().count();
    if len > MAX_NOTE_CHARS {
        return Err(StatusError::NoteTooLong(len));
    }
    let txn = db.begin().await?;
    let c = clause::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(StatusError::NotFound)?;
    let from = c.status;
    clauses::transition(from, to).map_err(StatusError::Illegal)?;
    // Only if the status is still what was checked: two reviewers acting at once end as one
    // change and one refusal, never as a change from a status the clause no longer had.
    let res = clause::Entity::update_many()
        .col_expr(clause::Column::Status, sea_orm::sea_query::Expr::value(to))
        .col_expr(
            clause::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(clause::Column::Id.eq(id))
        .filter(clause::Column::Status.eq(from))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(StatusError::Illegal(clauses::IllegalChange { from, to }));
    }
    event(
        &txn,
        id,
        "status",
        Some((from, to)),
        note,
        actor,
        json!({ "from": from.code(), "to": to.code() }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The history of a clause, oldest first.
pub async fn history(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<Vec<clause_event::Model>, DbErr> {
    clause_event::Entity::find()
        .filter(clause_event::Column::ClauseId.eq(id))
        .order_by_asc(clause_event::Column::At)
        .order_by_asc(clause_event::Column::Id)
        .all(conn)
        .await
}

/// The day (Asia/Shanghai) a clause last became `amended`, if it is amended now.
pub fn amended_on(c: &clause::Model, history: &[clause_event::Model]) -> Option<NaiveDate> {
    if c.status != ClauseStatus::Amended {
        return None;
    }
    history
        .iter()
        .rev()
        .find(|e| e.kind == "status" && e.to_status.as_deref() == Some("amended"))
        .map(|e| {
            e.at.with_timezone(&crate::domain::format::shanghai())
                .date_naive()
        })
}
