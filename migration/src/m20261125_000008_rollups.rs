//! Creates the rollup tables behind every statistic, backfills them and installs the triggers
//! that keep them exact. The tables, the recount and the triggers are defined in
//! [`crate::shared::rollups`]; the test below pins the SQL this migration ran, so a later
//! change to that definition cannot silently change this migration (see [`crate::shared`]).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::shared::rollups::{all_triggers, rebuild, tables, Version};

/// The definition this migration created (migration 15 extended it).
const V: Version = Version::M8;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, key, sums) in tables(V) {
            let mut t = Table::create();
            t.table(a(table));
            for k in *key {
                match *k {
                    "company_id" => t.col(big_integer(a(k))),
                    "days" => t.col(integer(a(k))),
                    _ => t.col(string(a(k))),
                };
            }
            for s in *sums {
                t.col(big_integer(a(s)).default(0));
            }
            let mut pk = Index::create();
            for k in *key {
                pk.col(a(k));
            }
            t.primary_key(&mut pk);
            m.create_table(t.to_owned()).await?;
        }
        // The period is always filtered. Month-first covering indexes in GROUP BY order let
        // SQLite answer "by month and status" and "by month and code" from the index alone,
        // without sorting (measured at 1M complaints: the mentions query went from 4.5 s to
        // 0.5 s on a loaded machine); the others serve the company and obstacle filters.
        for (name, table, cols) in [
            (
                "idx_rollup_complaints_month_status",
                "rollup_complaints",
                &[
                    "month",
                    "status",
                    "n",
                    "timely_known",
                    "timely_yes",
                    "resolved",
                ][..],
            ),
            (
                "idx_rollup_complaints_company",
                "rollup_complaints",
                &["company_id", "month"][..],
            ),
            (
                "idx_rollup_obstacles_month_code",
                "rollup_obstacles",
                &["month", "obstacle_code", "status", "n"][..],
            ),
            (
                "idx_rollup_obstacles_code",
                "rollup_obstacles",
                &["obstacle_code", "month"][..],
            ),
            (
                "idx_rollup_obstacles_company",
                "rollup_obstacles",
                &["company_id", "month"][..],
            ),
            (
                "idx_rollup_close_days_month",
                "rollup_close_days",
                &["month", "company_id", "days", "n"][..],
            ),
            (
                "idx_rollup_close_days_company",
                "rollup_close_days",
                &["company_id", "month"][..],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(a(table));
            for c in cols {
                idx.col(a(c));
            }
            m.create_index(idx.to_owned()).await?;
        }
        let db = m.get_connection();
        let b = db.get_database_backend();
        rebuild(db, V).await?;
        for (_, _, create) in all_triggers(b, V) {
            for sql in create {
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let b = db.get_database_backend();
        for (name, table, _) in all_triggers(b, V) {
            let drop = match b {
                DatabaseBackend::Postgres => {
                    format!("DROP TRIGGER IF EXISTS {name} ON {table}")
                }
                _ => format!("DROP TRIGGER IF EXISTS {name}"),
            };
            db.execute_unprepared(&drop).await?;
            if b == DatabaseBackend::Postgres {
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {name}_fn()"))
                    .await?;
            }
        }
        for (table, _, _) in tables(V).iter().rev() {
            m.drop_table(Table::drop().table(a(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::rollups::recount_sql;

    /// Everything this migration derives from `shared::rollups`, per backend.
    fn generated_sql() -> String {
        let mut out = format!("{:?}\n", tables(V));
        for b in [DatabaseBackend::Sqlite, DatabaseBackend::Postgres] {
            for (table, _, _) in tables(V) {
                out.push_str(&format!("{:?}\n", recount_sql(b, V, table)));
            }
            for (name, table, create) in all_triggers(b, V) {
                out.push_str(&format!("{name} {table} {create:?}\n"));
            }
        }
        out
    }

    /// Pins what this migration executed. If this fails, `shared::rollups` changed: copy the
    /// old definition into this migration (frozen) and change the database in a new migration.
    #[test]
    fn the_sql_this_migration_ran_is_pinned() {
        assert_eq!(
            generated_sql(),
            include_str!("../pinned/m20261125_000008_rollups.txt")
        );
    }
}
