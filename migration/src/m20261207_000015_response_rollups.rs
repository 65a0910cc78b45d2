//! The company loop in the figures (issue 15): `rollup_complaints` and `rollup_obstacles` gain
//! the sums behind the no-response count, the satisfaction and dispute rates and the companies'
//! answers by response category ([`SUMS_M15`]); the triggers now also follow the columns these
//! read (`no_response_at`, `responded_at`, `consumer_feedback`, `consumer_disputed`,
//! `response_category`). The tables are recounted, so an upgraded database starts consistent.
//!
//! The SQL comes from [`crate::shared::rollups`] at [`Version::M15`]; the test below pins what
//! this migration ran (see [`crate::shared`]).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::shared::rollups::{all_triggers, pg_insert_triggers_sql, rebuild, Version, SUMS_M15};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

const EXTENDED: [&str; 2] = ["rollup_complaints", "rollup_obstacles"];
const MONTH_STATUS: &str = "idx_rollup_complaints_month_status";

/// Drops every rollup trigger of definition `v` (and PostgreSQL's trigger functions).
async fn drop_triggers(m: &SchemaManager<'_>, v: Version) -> Result<(), DbErr> {
    let db = m.get_connection();
    let b = db.get_database_backend();
    for (name, table, _) in all_triggers(b, v) {
        let drop = match b {
            DatabaseBackend::Postgres => format!("DROP TRIGGER IF EXISTS {name} ON {table}"),
            _ => format!("DROP TRIGGER IF EXISTS {name}"),
        };
        db.execute_unprepared(&drop).await?;
        if b == DatabaseBackend::Postgres {
            db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {name}_fn()"))
                .await?;
        }
    }
    Ok(())
}

/// Creates every rollup trigger of definition `v`; on PostgreSQL the insert triggers skip the
/// filing writer's rows, as migration 13 made them.
async fn create_triggers(m: &SchemaManager<'_>, v: Version) -> Result<(), DbErr> {
    let db = m.get_connection();
    let b = db.get_database_backend();
    for (_, _, create) in all_triggers(b, v) {
        for sql in create {
            db.execute_unprepared(&sql).await?;
        }
    }
    if b == DatabaseBackend::Postgres {
        for sql in pg_insert_triggers_sql(v, true) {
            db.execute_unprepared(&sql).await?;
        }
    }
    Ok(())
}

/// The dashboard's month × status query reads every sum: the index covers them all, so SQLite
/// answers it from the index alone (as migration 8 arranged for its four sums).
async fn month_status_index(m: &SchemaManager<'_>, sums: &[&str]) -> Result<(), DbErr> {
    m.drop_index(
        Index::drop()
            .name(MONTH_STATUS)
            .table(a("rollup_complaints"))
            .to_owned(),
    )
    .await?;
    let mut idx = Index::create();
    idx.name(MONTH_STATUS)
        .table(a("rollup_complaints"))
        .col(a("month"))
        .col(a("status"));
    for s in sums {
        idx.col(a(s));
    }
    m.create_index(idx.to_owned()).await
}

const SUMS_M8: [&str; 4] = ["n", "timely_known", "timely_yes", "resolved"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_triggers(m, Version::M8).await?;
        for table in EXTENDED {
            for s in SUMS_M15 {
                m.alter_table(
                    Table::alter()
                        .table(a(table))
                        .add_column(big_integer(a(s)).default(0).to_owned())
                        .to_owned(),
                )
                .await?;
            }
        }
        let all: Vec<&str> = SUMS_M8.iter().chain(SUMS_M15).copied().collect();
        month_status_index(m, &all).await?;
        rebuild(m.get_connection(), Version::M15).await?;
        create_triggers(m, Version::M15).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_triggers(m, Version::M15).await?;
        month_status_index(m, &SUMS_M8).await?;
        for table in EXTENDED {
            for s in SUMS_M15.iter().rev() {
                m.alter_table(Table::alter().table(a(table)).drop_column(a(s)).to_owned())
                    .await?;
            }
        }
        rebuild(m.get_connection(), Version::M8).await?;
        create_triggers(m, Version::M8).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::rollups::{recount_sql, tables};

    /// Everything this migration derives from `shared::rollups`, per backend.
    fn generated_sql() -> String {
        let v = Version::M15;
        let mut out = format!("{:?}\n", tables(v));
        for b in [DatabaseBackend::Sqlite, DatabaseBackend::Postgres] {
            for (table, _, _) in tables(v) {
                out.push_str(&format!("{:?}\n", recount_sql(b, v, table)));
            }
            for (name, table, create) in all_triggers(b, v) {
                out.push_str(&format!("{name} {table} {create:?}\n"));
            }
        }
        out.push_str(&format!("{:?}\n", pg_insert_triggers_sql(v, true)));
        out
    }

    /// Pins what this migration executed. If this fails, `shared::rollups` changed: keep
    /// [`Version::M15`] generating what it did and add a new version for a new migration.
    #[test]
    fn the_sql_this_migration_ran_is_pinned() {
        let pinned = include_str!("../pinned/m20261207_000015_response_rollups.txt");
        assert_eq!(generated_sql(), pinned);
    }
}
