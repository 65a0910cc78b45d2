//! The current definition of the rollup tables behind the regulator dashboard, the reports and
//! the public statistics, kept exact by database triggers so that no writer (intake, case work,
//! company merges, seed-demo, a manual SQL fix) needs to remember them, and a dashboard view
//! reads a few thousand rollup rows instead of scanning every complaint.
//!
//! Grain: calendar month of `received_at` in Asia/Shanghai × company (0 = not matched to the
//! directory) × sector × province ('' = not given) × status. Every filter and period the pages
//! offer is month-granular, so a day grain would only multiply the rows.
//!
//! - `rollup_complaints`: complaints, plus how many have a known / a timely company response and
//!   how many have the outcome `resolved`.
//! - `rollup_obstacles`: the same per counted obstacle code. A case's counted codes are the
//!   reviewer-confirmed ones when it has any, otherwise the consumer's ticks and the engine's
//!   suggestions (distinct codes, so a code ticked and suggested counts once).
//! - `rollup_close_days`: closed complaints by whole days from receipt to closing (Shanghai
//!   calendar days), for medians.
//!
//! All statuses are rolled up; which ones are published is decided when reading
//! (`services::stats`). [`recount_sql`] is the definition the triggers must agree with: the
//! migration backfills from it and the test "rollups always equal a recount" compares with it.
//!
//! Migrations `m20261125_000008_rollups` and `m20261126_000013_writer_rollups` build their SQL
//! from this module, and their unit tests pin that SQL (see [`crate::shared`]).
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

mod triggers;

pub use triggers::{all_triggers, insert_triggers, pg_insert_triggers_sql};

/// The rollup tables, each with its key columns and its summed columns.
pub const TABLES: &[(&str, &[&str], &[&str])] = &[
    (
        "rollup_complaints",
        &["month", "company_id", "sector", "province", "status"],
        &["n", "timely_known", "timely_yes", "resolved"],
    ),
    (
        "rollup_obstacles",
        &[
            "month",
            "company_id",
            "sector",
            "province",
            "status",
            "obstacle_code",
        ],
        &["n", "timely_known", "timely_yes", "resolved"],
    ),
    (
        "rollup_close_days",
        &["month", "company_id", "sector", "province", "days"],
        &["n"],
    ),
];

/// Month of `received_at` in Asia/Shanghai as `YYYY-MM`, for row alias `t`.
fn month(b: DatabaseBackend, t: &str) -> String {
    match b {
        DatabaseBackend::Postgres => {
            format!("to_char({t}.received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')")
        }
        _ => format!("strftime('%Y-%m', {t}.received_at, '+8 hours')"),
    }
}

/// Whole Shanghai calendar days from receipt to closing.
fn days(b: DatabaseBackend, t: &str) -> String {
    match b {
        DatabaseBackend::Postgres => format!(
            "(({t}.closed_at AT TIME ZONE 'Asia/Shanghai')::date \
             - ({t}.received_at AT TIME ZONE 'Asia/Shanghai')::date)"
        ),
        _ => format!(
            "CAST(julianday(date({t}.closed_at, '+8 hours')) \
             - julianday(date({t}.received_at, '+8 hours')) AS INTEGER)"
        ),
    }
}

fn dims(b: DatabaseBackend, t: &str) -> String {
    format!(
        "{}, COALESCE({t}.company_id, 0), {t}.sector, COALESCE({t}.province, ''), {t}.status",
        month(b, t)
    )
}

/// PostgreSQL setting that, set to `on` for a transaction (`set_config(…, 'on', true)`),
/// makes the insert triggers skip the rows it inserts: whoever sets it adds those complaints
/// to the rollups itself with [`add_complaints_sql`] before committing (the filing writer).
pub const WRITER_ADDS_SETTING: &str = "dw.rollups_added_by_writer";

/// Counted codes of every complaint (or of those `filter` on `co` selects):
/// `(complaint_id, obstacle_code)`.
fn all_counted(filter: Option<&str>) -> String {
    let and = filter.map(|f| format!(" AND ({f})")).unwrap_or_default();
    format!(
        "SELECT DISTINCT co.complaint_id, co.obstacle_code FROM complaint_obstacles co \
         WHERE (co.source = 'reviewer' OR NOT EXISTS (SELECT 1 FROM complaint_obstacles r \
         WHERE r.complaint_id = co.complaint_id AND r.source = 'reviewer')){and}"
    )
}

/// What `table` must contain, computed from the base tables: its key columns then its summed
/// columns, in [`TABLES`] order, without rows whose sums are all zero.
pub fn recount_sql(b: DatabaseBackend, table: &str) -> Option<String> {
    count_sql(b, table, None)
}

/// [`recount_sql`] over the complaints whose `id` is in `ids` (a PostgreSQL array expression,
/// so the planner looks the few ids up by primary key) only, as an upsert that adds them to `table`, cells in key order (so concurrent writers lock rows in
/// the same order). PostgreSQL's filing writer adds the complaints of a group with it, once
/// per cell, instead of the insert triggers doing so once per row.
pub fn add_complaints_sql(table: &str, ids: &str) -> Option<String> {
    let b = DatabaseBackend::Postgres;
    let (_, key, sums) = TABLES.iter().find(|(t, _, _)| *t == table)?;
    let select = count_sql(b, table, Some(ids))?;
    let order: Vec<String> = (1..=key.len()).map(|i| i.to_string()).collect();
    let update: Vec<String> = sums
        .iter()
        .map(|s| format!("{s} = {table}.{s} + excluded.{s}"))
        .collect();
    Some(format!(
        "INSERT INTO {table} ({}, {}) {select} ORDER BY {} ON CONFLICT ({}) DO UPDATE SET {}",
        key.join(", "),
        sums.join(", "),
        order.join(", "),
        key.join(", "),
        update.join(", ")
    ))
}

/// The recount of `table`, over the complaints whose id is in array `ids` if given
/// (PostgreSQL).
fn count_sql(b: DatabaseBackend, table: &str, ids: Option<&str>) -> Option<String> {
    let sums = "COUNT(*), \
        SUM(CASE WHEN c.response_timely IS NULL THEN 0 ELSE 1 END), \
        SUM(CASE WHEN c.response_timely THEN 1 ELSE 0 END), \
        SUM(CASE WHEN c.outcome = 'resolved' THEN 1 ELSE 0 END)";
    let id_in = |col: &str| ids.map(|ids| format!("{col} = ANY({ids})"));
    let where_c = id_in("c.id")
        .map(|w| format!(" WHERE {w}"))
        .unwrap_or_default();
    let and_c = id_in("c.id")
        .map(|w| format!(" AND {w}"))
        .unwrap_or_default();
    Some(match table {
        "rollup_complaints" => {
            format!(
                "SELECT {}, {sums} FROM complaints c{where_c} GROUP BY 1, 2, 3, 4, 5",
                dims(b, "c")
            )
        }
        "rollup_obstacles" => format!(
            "SELECT {}, k.obstacle_code, {sums} FROM complaints c JOIN ({}) k \
             ON k.complaint_id = c.id{where_c} GROUP BY 1, 2, 3, 4, 5, 6",
            dims(b, "c"),
            all_counted(id_in("co.complaint_id").as_deref())
        ),
        "rollup_close_days" => format!(
            "SELECT {}, COALESCE(c.company_id, 0), c.sector, COALESCE(c.province, ''), {}, \
             COUNT(*) FROM complaints c WHERE c.status = 'closed' AND c.closed_at IS NOT NULL\
             {and_c} GROUP BY 1, 2, 3, 4, 5",
            month(b, "c"),
            days(b, "c")
        ),
        _ => return None,
    })
}

/// Empties the rollups and fills them again from the base tables (also the migration's
/// backfill, so an upgraded database starts consistent).
pub async fn rebuild<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    for (table, key, sums) in TABLES {
        db.execute_unprepared(&format!("DELETE FROM {table}"))
            .await?;
        let Some(select) = recount_sql(b, table) else {
            continue;
        };
        db.execute_unprepared(&format!(
            "INSERT INTO {table} ({}, {}) {select}",
            key.join(", "),
            sums.join(", ")
        ))
        .await?;
    }
    Ok(())
}
