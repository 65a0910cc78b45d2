//! Narrative fingerprints (see [`crate::shared::fingerprint`]) on every complaint, so duplicate proposals at
//! intake compare hundreds of recent complaints without reading their narratives. Existing rows
//! are backfilled here; new rows get theirs from whatever writes the narrative. The test below
//! pins the fingerprints the backfill wrote (see [`crate::shared`]).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::shared::fingerprint::backfill;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite can add only one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table(a("complaints"))
                .add_column(big_integer_null(a("narrative_fp")))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("complaints"))
                .add_column(integer_null(a("narrative_trigrams")))
                .to_owned(),
        )
        .await?;
        backfill(m.get_connection()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in ["narrative_trigrams", "narrative_fp"] {
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

#[cfg(test)]
mod tests {
    use crate::shared::fingerprint::of;

    /// Pins the fingerprints this migration's backfill wrote. If this fails, the fingerprint
    /// changed: stored ones no longer match, so a new migration must recompute them all.
    #[test]
    fn the_fingerprints_this_migration_wrote_are_pinned() {
        assert_eq!(of(""), (-3750763034362895579, 0));
        assert_eq!(of("Ab, c"), (4919238834752214005, 1));
        assert_eq!(of("套餐被降级，客服 说无法恢复"), (8186546932394270086, 10));
    }
}
