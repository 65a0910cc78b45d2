//! PostgreSQL: the rollup insert triggers skip the rows of a transaction that has set
//! [`WRITER_ADDS_SETTING`](crate::shared::rollups::WRITER_ADDS_SETTING); the filing writer sets it and adds a whole group of new complaints
//! to the rollups with one upsert per table (one row lock per rollup cell per group instead of
//! one trigger run per complaint and per obstacle link). Every other writer, and every update
//! and delete, still goes through the triggers. SQLite keeps its triggers as they are.
//!
//! The trigger SQL comes from [`crate::shared::rollups`]; the test below pins what this
//! migration ran (see [`crate::shared`]).
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use crate::shared::rollups::{insert_triggers, pg_insert_triggers_sql, Version};

/// The rollup definition of the day (migration 15 re-creates these triggers for its own).
const V: Version = Version::M8;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn recreate(m: &SchemaManager<'_>, skippable: bool) -> Result<(), DbErr> {
    let db = m.get_connection();
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    // A bulk load that was interrupted left these disabled; re-created they would be enabled
    // with the rollups not recounted. Keep them as they were: the start-up repair recounts.
    let triggers = insert_triggers(DatabaseBackend::Postgres, V);
    let mut disabled = Vec::new();
    for (name, table, _) in &triggers {
        let off = db
            .query_one(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT COUNT(*) FROM pg_trigger WHERE tgname = $1 AND tgenabled = 'D'",
                [(*name).into()],
            ))
            .await?
            .map(|r| r.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0);
        if off > 0 {
            disabled.push((name, table));
        }
    }
    for sql in pg_insert_triggers_sql(V, skippable) {
        db.execute_unprepared(&sql).await?;
    }
    for (name, table) in disabled {
        db.execute_unprepared(&format!("ALTER TABLE {table} DISABLE TRIGGER {name}"))
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        recreate(m, true).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        recreate(m, false).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins what this migration executed. If this fails, `shared::rollups` changed: copy the
    /// old definition into this migration (frozen) and change the database in a new migration.
    #[test]
    fn the_sql_this_migration_ran_is_pinned() {
        let generated = format!(
            "{:?}\n{:?}\n{:?}\n",
            insert_triggers(DatabaseBackend::Postgres, V),
            pg_insert_triggers_sql(V, true),
            pg_insert_triggers_sql(V, false)
        );
        assert_eq!(
            generated,
            include_str!("../pinned/m20261126_000013_writer_rollups.txt")
        );
    }
}
