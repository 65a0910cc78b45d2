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
//!   how many have the outcome `resolved`; since migration 15 also how many were marked "no
//!   response" by the deadline sweep, were answered, got a consumer verdict (and how many of those
//!   were "satisfied"), were disputed after an answer, and the answers per response category.
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
//! from this module at [`Version::M8`], `m20261207_000015_response_rollups` at [`Version::M15`]
//! (the current one); their unit tests pin that SQL (see [`crate::shared`]). A definition that
//! changes again gets a new [`Version`], so the older migrations keep generating what they ran.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

mod triggers;

pub use triggers::{all_triggers, insert_triggers, pg_insert_triggers_sql};

/// Which definition of the rollups: as migration 8 created them (migration 13 changed only how
/// PostgreSQL's insert triggers are skipped), or as migration 15 extended them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    M8,
    M15,
}

/// The definition the application reads and maintains.
pub const CURRENT: Version = Version::M15;

/// The rollup tables of the current definition, each with its key columns and summed columns.
pub const TABLES: &[(&str, &[&str], &[&str])] = TABLES_M15;

/// Sums added by migration 15 to `rollup_complaints` and `rollup_obstacles`, after those of
/// migration 8: no-response marks, answers, consumers' verdicts, disputes and the answers per
/// response category (`resp_<category code>`).
pub const SUMS_M15: &[&str] = &[
    "no_response",
    "answered",
    "feedback_known",
    "satisfied",
    "disputed",
    "resp_downgraded",
    "resp_refunded",
    "resp_partly_resolved",
    "resp_explained_no_change",
    "resp_not_our_customer",
    "resp_disputed",
];

const C_KEYS: &[&str] = &["month", "company_id", "sector", "province", "status"];
const O_KEYS: &[&str] = &[
    "month",
    "company_id",
    "sector",
    "province",
    "status",
    "obstacle_code",
];
const D_KEYS: &[&str] = &["month", "company_id", "sector", "province", "days"];
const SUMS_M8: &[&str] = &["n", "timely_known", "timely_yes", "resolved"];
const SUMS_ALL: &[&str] = &[
    "n",
    "timely_known",
    "timely_yes",
    "resolved",
    "no_response",
    "answered",
    "feedback_known",
    "satisfied",
    "disputed",
    "resp_downgraded",
    "resp_refunded",
    "resp_partly_resolved",
    "resp_explained_no_change",
    "resp_not_our_customer",
    "resp_disputed",
];

const TABLES_M8: &[(&str, &[&str], &[&str])] = &[
    ("rollup_complaints", C_KEYS, SUMS_M8),
    ("rollup_obstacles", O_KEYS, SUMS_M8),
    ("rollup_close_days", D_KEYS, &["n"]),
];

const TABLES_M15: &[(&str, &[&str], &[&str])] = &[
    ("rollup_complaints", C_KEYS, SUMS_ALL),
    ("rollup_obstacles", O_KEYS, SUMS_ALL),
    ("rollup_close_days", D_KEYS, &["n"]),
];

/// The rollup tables of definition `v`: name, key columns, summed columns.
pub fn tables(
    v: Version,
) -> &'static [(
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
)] {
    match v {
        Version::M8 => TABLES_M8,
        Version::M15 => TABLES_M15,
    }
}

/// The per-complaint indicators behind every sum after `n` of `rollup_complaints` and
/// `rollup_obstacles`, for row alias `t`, in the order of [`tables`].
fn indicator_exprs(v: Version, t: &str) -> Vec<String> {
    let mut e = vec![
        format!("CASE WHEN {t}.response_timely IS NULL THEN 0 ELSE 1 END"),
        format!("CASE WHEN {t}.response_timely THEN 1 ELSE 0 END"),
        format!("CASE WHEN {t}.outcome = 'resolved' THEN 1 ELSE 0 END"),
    ];
    if v == Version::M15 {
        e.extend([
            format!("CASE WHEN {t}.no_response_at IS NULL THEN 0 ELSE 1 END"),
            format!("CASE WHEN {t}.responded_at IS NULL THEN 0 ELSE 1 END"),
            format!(
                "CASE WHEN {t}.consumer_feedback IN ('satisfied', 'not_satisfied') THEN 1 ELSE 0 END"
            ),
            format!("CASE WHEN {t}.consumer_feedback = 'satisfied' THEN 1 ELSE 0 END"),
            // A dispute counts against an answer: the rate's denominator is the answered cases.
            format!(
                "CASE WHEN {t}.consumer_disputed AND {t}.responded_at IS NOT NULL THEN 1 ELSE 0 END"
            ),
        ]);
        for s in SUMS_M15.iter().filter_map(|s| s.strip_prefix("resp_")) {
            e.push(format!(
                "CASE WHEN {t}.response_category = '{s}' THEN 1 ELSE 0 END"
            ));
        }
    }
    e
}

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
pub fn recount_sql(b: DatabaseBackend, v: Version, table: &str) -> Option<String> {
    count_sql(b, v, table, None)
}

/// [`recount_sql`] over the complaints whose `id` is in `ids` (a PostgreSQL array expression,
/// so the planner looks the few ids up by primary key) only, as an upsert that adds them to `table`, cells in key order (so concurrent writers lock rows in
/// the same order). PostgreSQL's filing writer adds the complaints of a group with it, once
/// per cell, instead of the insert triggers doing so once per row.
pub fn add_complaints_sql(table: &str, ids: &str) -> Option<String> {
    let b = DatabaseBackend::Postgres;
    let (_, key, sums) = TABLES.iter().find(|(t, _, _)| *t == table)?;
    let select = count_sql(b, CURRENT, table, Some(ids))?;
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
fn count_sql(b: DatabaseBackend, v: Version, table: &str, ids: Option<&str>) -> Option<String> {
    let sums: String = std::iter::once("COUNT(*)".to_string())
        .chain(
            indicator_exprs(v, "c")
                .into_iter()
                .map(|e| format!("SUM({e})")),
        )
        .collect::<Vec<_>>()
        .join(", ");
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
pub async fn rebuild<C: ConnectionTrait>(db: &C, v: Version) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    for (table, key, sums) in tables(v) {
        db.execute_unprepared(&format!("DELETE FROM {table}"))
            .await?;
        let Some(select) = recount_sql(b, v, table) else {
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
