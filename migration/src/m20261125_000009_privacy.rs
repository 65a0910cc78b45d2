//! Privacy operations: when a consumer's contact data and, on request, a case's narrative were
//! erased (by an admin on request, or by the retention purge). The erased values themselves are
//! gone; these timestamps let views say "erased" instead of "not given".
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

const COLUMNS: &[&str] = &["contact_erased_at", "narrative_erased_at"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite can add only one column per ALTER TABLE.
        for c in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(a("complaints"))
                    .add_column(timestamp_with_time_zone_null(a(c)))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in COLUMNS.iter().rev() {
            m.alter_table(
                Table::alter()
                    .table(a("complaints"))
                    .drop_column(a(c))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
