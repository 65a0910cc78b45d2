//! The triggers that keep the rollup tables exact: one SQL text per backend, built from the
//! same row expressions as the recount in the parent module.
use sea_orm_migration::sea_orm::DatabaseBackend;

use super::{days, dims, indicator_exprs, month, tables, Version, WRITER_ADDS_SETTING};

/// The summed indicators of one complaint, each multiplied by `k` (an SQL expression).
fn indicators(v: Version, t: &str, k: &str) -> String {
    indicator_exprs(v, t)
        .iter()
        .map(|e| format!("{k} * ({e})"))
        .collect::<Vec<_>>()
        .join(", ")
}

const C_KEY: &str = "month, company_id, sector, province, status";
const O_KEY: &str = "month, company_id, sector, province, status, obstacle_code";
const D_KEY: &str = "month, company_id, sector, province, days";

/// The summed columns of `table` in definition `v`.
fn sums(v: Version, table: &str) -> &'static [&'static str] {
    tables(v)
        .iter()
        .find(|(t, _, _)| *t == table)
        .map(|(_, _, s)| *s)
        .unwrap_or(&[])
}

fn sums_update(v: Version, table: &str) -> String {
    sums(v, table)
        .iter()
        .map(|s| format!("{s} = {table}.{s} + excluded.{s}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Adds (`k` = 1) or removes (`k` = -1) complaint row `t` in `rollup_complaints`.
fn complaint_row(b: DatabaseBackend, v: Version, t: &str, k: i32) -> String {
    format!(
        "INSERT INTO rollup_complaints ({C_KEY}, {}) \
         SELECT {}, {k}, {} WHERE 1 = 1 \
         ON CONFLICT ({C_KEY}) DO UPDATE SET {}",
        sums(v, "rollup_complaints").join(", "),
        dims(b, t),
        indicators(v, t, &k.to_string()),
        sums_update(v, "rollup_complaints")
    )
}

/// Adds or removes complaint row `t` in `rollup_close_days` (closed complaints only).
fn close_days_row(b: DatabaseBackend, t: &str, k: i32) -> String {
    format!(
        "INSERT INTO rollup_close_days ({D_KEY}, n) \
         SELECT {}, COALESCE({t}.company_id, 0), {t}.sector, COALESCE({t}.province, ''), {}, {k} \
         WHERE {t}.status = 'closed' AND {t}.closed_at IS NOT NULL \
         ON CONFLICT ({D_KEY}) DO UPDATE SET n = rollup_close_days.n + excluded.n",
        month(b, t),
        days(b, t)
    )
}

/// The obstacle links of complaint `x` (an SQL expression), optionally without the row whose
/// id is `without` and with one extra `(code, source)` row.
fn links(x: &str, without: Option<&str>, extra: Option<(&str, &str)>) -> String {
    let mut s =
        format!("SELECT obstacle_code, source FROM complaint_obstacles WHERE complaint_id = {x}");
    if let Some(id) = without {
        s.push_str(&format!(" AND id <> {id}"));
    }
    if let Some((code, source)) = extra {
        s.push_str(&format!(" UNION ALL SELECT {code}, {source}"));
    }
    s
}

/// Counted codes among `rows`: reviewer-confirmed ones if any, else all of them (distinct).
fn counted(rows: &str) -> String {
    format!(
        "SELECT DISTINCT r.obstacle_code FROM ({rows}) r WHERE r.source = 'reviewer' \
         OR NOT EXISTS (SELECT 1 FROM ({rows}) r2 WHERE r2.source = 'reviewer')"
    )
}

/// Adds or removes complaint row `t` under each currently counted code of complaint `x`.
fn obstacle_rows(b: DatabaseBackend, v: Version, t: &str, x: &str, k: i32) -> String {
    format!(
        "INSERT INTO rollup_obstacles ({O_KEY}, {}) \
         SELECT {}, k.obstacle_code, {k}, {} FROM ({}) k WHERE 1 = 1 \
         ON CONFLICT ({O_KEY}) DO UPDATE SET {}",
        sums(v, "rollup_obstacles").join(", "),
        dims(b, t),
        indicators(v, t, &k.to_string()),
        counted(&links(x, None, None)),
        sums_update(v, "rollup_obstacles")
    )
}

/// Applies the change of complaint `x`'s counted codes from those of `before` to those of
/// `after` (both link-row queries). Nothing happens if the complaint no longer exists (its
/// own delete trigger already removed it).
fn obstacle_delta(b: DatabaseBackend, v: Version, x: &str, before: &str, after: &str) -> String {
    format!(
        "INSERT INTO rollup_obstacles ({O_KEY}, {}) \
         SELECT {}, d.code, d.delta, {} FROM complaints c, \
         (SELECT code, SUM(delta) AS delta FROM (\
            SELECT obstacle_code AS code, 1 AS delta FROM ({}) aft \
            UNION ALL SELECT obstacle_code AS code, -1 AS delta FROM ({}) bef) x \
          GROUP BY code) d \
         WHERE c.id = {x} AND d.delta <> 0 \
         ON CONFLICT ({O_KEY}) DO UPDATE SET {}",
        sums(v, "rollup_obstacles").join(", "),
        dims(b, "c"),
        indicators(v, "c", "d.delta"),
        counted(after),
        counted(before),
        sums_update(v, "rollup_obstacles")
    )
}

/// Columns whose change moves a complaint between rollup cells.
const WATCHED: &[&str] = &[
    "received_at",
    "company_id",
    "sector",
    "province",
    "status",
    "response_timely",
    "outcome",
    "closed_at",
];

/// Further columns that the sums of migration 15 read.
const WATCHED_M15: &[&str] = &[
    "no_response_at",
    "responded_at",
    "consumer_feedback",
    "consumer_disputed",
    "response_category",
];

fn watched(v: Version) -> Vec<&'static str> {
    let mut w = WATCHED.to_vec();
    if v == Version::M15 {
        w.extend(WATCHED_M15);
    }
    w
}

fn watched_changed(b: DatabaseBackend, v: Version) -> String {
    let op = match b {
        DatabaseBackend::Postgres => "IS DISTINCT FROM",
        _ => "IS NOT",
    };
    watched(v)
        .iter()
        .map(|c| format!("OLD.{c} {op} NEW.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// One trigger: name, timing and event, optional WHEN condition, statements.
struct Trigger {
    name: &'static str,
    table: &'static str,
    timing: &'static str,
    event: String,
    when: Option<String>,
    body: Vec<String>,
}

fn triggers(b: DatabaseBackend, v: Version) -> Vec<Trigger> {
    let mut all = vec![
        Trigger {
            name: "rollup_complaints_ai",
            table: "complaints",
            timing: "AFTER",
            event: "INSERT".into(),
            when: None,
            // Links cannot exist before their complaint (foreign key), so no obstacle rows yet.
            body: vec![complaint_row(b, v, "NEW", 1), close_days_row(b, "NEW", 1)],
        },
        Trigger {
            name: "rollup_complaints_au",
            table: "complaints",
            timing: "AFTER",
            event: format!("UPDATE OF {}", watched(v).join(", ")),
            when: Some(watched_changed(b, v)),
            body: vec![
                complaint_row(b, v, "OLD", -1),
                complaint_row(b, v, "NEW", 1),
                close_days_row(b, "OLD", -1),
                close_days_row(b, "NEW", 1),
                obstacle_rows(b, v, "OLD", "NEW.id", -1),
                obstacle_rows(b, v, "NEW", "NEW.id", 1),
            ],
        },
        Trigger {
            // Before the delete, while the links are still there; the cascaded link deletes
            // then find no complaint and change nothing.
            name: "rollup_complaints_bd",
            table: "complaints",
            timing: "BEFORE",
            event: "DELETE".into(),
            when: None,
            body: vec![obstacle_rows(b, v, "OLD", "OLD.id", -1)],
        },
        Trigger {
            name: "rollup_complaints_ad",
            table: "complaints",
            timing: "AFTER",
            event: "DELETE".into(),
            when: None,
            body: vec![complaint_row(b, v, "OLD", -1), close_days_row(b, "OLD", -1)],
        },
    ];
    all.extend(link_triggers(b, v));
    all
}

/// Triggers on obstacle links. PostgreSQL fires row-level AFTER triggers at the end of the
/// statement, when every row of a multi-row INSERT is already visible, so there they run
/// BEFORE each row (seeing the rows processed earlier in the statement); SQLite fires each
/// row's trigger as the row is written, so AFTER is exact there.
fn link_triggers(b: DatabaseBackend, v: Version) -> Vec<Trigger> {
    let (timing, ins, del, upd_old, upd_new) = match b {
        DatabaseBackend::Postgres => (
            "BEFORE",
            // (before, after) link sets of the complaint.
            (
                links("NEW.complaint_id", None, None),
                links(
                    "NEW.complaint_id",
                    None,
                    Some(("NEW.obstacle_code", "NEW.source")),
                ),
            ),
            (
                links("OLD.complaint_id", None, None),
                links("OLD.complaint_id", Some("OLD.id"), None),
            ),
            (
                links("OLD.complaint_id", None, None),
                links("OLD.complaint_id", Some("OLD.id"), None),
            ),
            (
                links("NEW.complaint_id", Some("NEW.id"), None),
                links(
                    "NEW.complaint_id",
                    Some("NEW.id"),
                    Some(("NEW.obstacle_code", "NEW.source")),
                ),
            ),
        ),
        _ => (
            "AFTER",
            (
                links("NEW.complaint_id", Some("NEW.id"), None),
                links("NEW.complaint_id", None, None),
            ),
            (
                links(
                    "OLD.complaint_id",
                    None,
                    Some(("OLD.obstacle_code", "OLD.source")),
                ),
                links("OLD.complaint_id", None, None),
            ),
            (
                links(
                    "OLD.complaint_id",
                    Some("NEW.id"),
                    Some(("OLD.obstacle_code", "OLD.source")),
                ),
                links("OLD.complaint_id", Some("NEW.id"), None),
            ),
            (
                links("NEW.complaint_id", Some("NEW.id"), None),
                links("NEW.complaint_id", None, None),
            ),
        ),
    };
    vec![
        Trigger {
            name: "rollup_links_ins",
            table: "complaint_obstacles",
            timing,
            event: "INSERT".into(),
            when: None,
            body: vec![obstacle_delta(b, v, "NEW.complaint_id", &ins.0, &ins.1)],
        },
        Trigger {
            name: "rollup_links_del",
            table: "complaint_obstacles",
            timing,
            event: "DELETE".into(),
            when: None,
            body: vec![obstacle_delta(b, v, "OLD.complaint_id", &del.0, &del.1)],
        },
        Trigger {
            // An edited link: removed from the old row's complaint, added to the new one's
            // (the same complaint in practice; the two steps compose either way).
            name: "rollup_links_upd",
            table: "complaint_obstacles",
            timing,
            event: "UPDATE OF complaint_id, obstacle_code, source".into(),
            when: None,
            body: vec![
                obstacle_delta(b, v, "OLD.complaint_id", &upd_old.0, &upd_old.1),
                obstacle_delta(b, v, "NEW.complaint_id", &upd_new.0, &upd_new.1),
            ],
        },
    ]
}

fn create_trigger_sql(b: DatabaseBackend, t: &Trigger) -> Vec<String> {
    match b {
        DatabaseBackend::Postgres => {
            let ret = match (t.timing, t.event.as_str()) {
                ("BEFORE", "DELETE") => "OLD",
                ("BEFORE", _) => "NEW",
                _ => "NULL",
            };
            let body: String = t.body.iter().map(|s| format!("{s};\n")).collect();
            let when = t
                .when
                .as_ref()
                .map(|w| format!(" WHEN ({w})"))
                .unwrap_or_default();
            vec![
                format!(
                    "CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$\n\
                     BEGIN\n{body}RETURN {ret};\nEND\n$$",
                    name = t.name
                ),
                format!(
                    "CREATE TRIGGER {name} {timing} {event} ON {table} FOR EACH ROW{when} \
                     EXECUTE FUNCTION {name}_fn()",
                    name = t.name,
                    timing = t.timing,
                    event = t.event,
                    table = t.table
                ),
            ]
        }
        _ => {
            let body: String = t.body.iter().map(|s| format!("{s};\n")).collect();
            let when = t
                .when
                .as_ref()
                .map(|w| format!(" WHEN {w}"))
                .unwrap_or_default();
            vec![format!(
                "CREATE TRIGGER {name} {timing} {event} ON {table} FOR EACH ROW{when}\nBEGIN\n{body}END",
                name = t.name,
                timing = t.timing,
                event = t.event,
                table = t.table
            )]
        }
    }
}

/// The triggers that fire when rows are inserted (`rollup_complaints_ai` on `complaints`,
/// `rollup_links_ins` on `complaint_obstacles`): name, table and the SQL that creates them.
/// `seed-demo` suspends these while it loads rows in bulk and rebuilds the rollups once.
pub fn insert_triggers(
    b: DatabaseBackend,
    v: Version,
) -> Vec<(&'static str, &'static str, Vec<String>)> {
    triggers(b, v)
        .into_iter()
        .filter(|t| t.event == "INSERT")
        .map(|t| (t.name, t.table, create_trigger_sql(b, &t)))
        .collect()
}

/// PostgreSQL: drops and re-creates the insert triggers, with `skippable` so that they skip
/// rows inserted while [`WRITER_ADDS_SETTING`] is `on` (migration 13), without it as
/// migration 8 made them.
pub fn pg_insert_triggers_sql(v: Version, skippable: bool) -> Vec<String> {
    let b = DatabaseBackend::Postgres;
    triggers(b, v)
        .into_iter()
        .filter(|t| t.event == "INSERT")
        .flat_map(|mut t| {
            if skippable {
                t.when = Some(format!(
                    "current_setting('{WRITER_ADDS_SETTING}', true) IS DISTINCT FROM 'on'"
                ));
            }
            let mut sql = vec![format!("DROP TRIGGER IF EXISTS {} ON {}", t.name, t.table)];
            sql.extend(create_trigger_sql(b, &t));
            sql
        })
        .collect()
}

/// Every rollup trigger: name, table and the SQL that creates it.
pub fn all_triggers(
    b: DatabaseBackend,
    v: Version,
) -> Vec<(&'static str, &'static str, Vec<String>)> {
    triggers(b, v)
        .into_iter()
        .map(|t| (t.name, t.table, create_trigger_sql(b, &t)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_statement_names_its_conflict_target() {
        for (b, v) in [
            (DatabaseBackend::Sqlite, Version::M8),
            (DatabaseBackend::Postgres, Version::M8),
            (DatabaseBackend::Sqlite, Version::M15),
            (DatabaseBackend::Postgres, Version::M15),
        ] {
            for t in triggers(b, v) {
                for s in &t.body {
                    assert!(s.contains("ON CONFLICT ("), "{}: {s}", t.name);
                }
            }
        }
    }
}
