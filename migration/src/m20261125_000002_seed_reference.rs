//! Seeds the reference tables created in 000001 from [`crate::shared::reference`]: obstacle families, obstacle
//! codes (taxonomy v1), the suggestion cues, and the province list. Plain `INSERT`s built with
//! sea-query so the same migration runs on SQLite and PostgreSQL. The test below pins the rows
//! it inserted (see [`crate::shared`]).
use sea_orm_migration::prelude::*;

use crate::shared::reference::{CUES, FAMILIES, OBSTACLES, PROVINCES, TAXONOMY_VERSION};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

/// Rows per INSERT; keeps every statement far below SQLite's bound-parameter limit.
const CHUNK: usize = 100;

fn values_err(e: sea_query::error::Error) -> DbErr {
    DbErr::Custom(format!("building seed insert: {e}"))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut families = Query::insert();
        families.into_table(a("obstacle_families")).columns([
            a("code"),
            a("name_zh"),
            a("name_en"),
            a("sort_order"),
        ]);
        for f in FAMILIES {
            families
                .values([
                    f.code.into(),
                    f.name_zh.into(),
                    f.name_en.into(),
                    f.sort_order.into(),
                ])
                .map_err(values_err)?;
        }
        m.exec_stmt(families).await?;

        let mut obstacles = Query::insert();
        obstacles.into_table(a("obstacles")).columns([
            a("code"),
            a("family"),
            a("name_zh"),
            a("name_en"),
            a("description_zh"),
            a("description_en"),
            a("consumer_label_zh"),
            a("consumer_label_en"),
            a("rights"),
            a("legal_refs_zh"),
            a("legal_refs_en"),
            a("taxonomy_version"),
            a("sort_order"),
            a("active"),
        ]);
        for o in OBSTACLES {
            obstacles
                .values([
                    o.code.into(),
                    o.family.into(),
                    o.name_zh.into(),
                    o.name_en.into(),
                    o.description_zh.into(),
                    o.description_en.into(),
                    o.consumer_label_zh.into(),
                    o.consumer_label_en.into(),
                    o.rights.into(),
                    o.legal_refs_zh.into(),
                    o.legal_refs_en.into(),
                    TAXONOMY_VERSION.into(),
                    o.sort_order.into(),
                    true.into(),
                ])
                .map_err(values_err)?;
        }
        m.exec_stmt(obstacles).await?;

        for chunk in CUES.chunks(CHUNK) {
            let mut cues = Query::insert();
            cues.into_table(a("obstacle_cues")).columns([
                a("obstacle_code"),
                a("lang"),
                a("pattern"),
                a("weight"),
            ]);
            for c in chunk {
                cues.values([
                    c.code.into(),
                    c.lang.into(),
                    c.pattern.into(),
                    c.weight.into(),
                ])
                .map_err(values_err)?;
            }
            m.exec_stmt(cues).await?;
        }

        let mut provinces = Query::insert();
        provinces.into_table(a("provinces")).columns([
            a("code"),
            a("name_zh"),
            a("name_en"),
            a("sort_order"),
        ]);
        for p in PROVINCES {
            provinces
                .values([
                    p.code.into(),
                    p.name_zh.into(),
                    p.name_en.into(),
                    p.sort_order.into(),
                ])
                .map_err(values_err)?;
        }
        m.exec_stmt(provinces).await?;
        Ok(())
    }

    /// Deletes the seeded rows (cues first: they reference obstacles, which reference families).
    /// Cues are removed by obstacle code, so rows staff added for these codes go too.
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let obstacle_codes = OBSTACLES.iter().map(|o| o.code);
        m.exec_stmt(
            Query::delete()
                .from_table(a("obstacle_cues"))
                .and_where(Expr::col(a("obstacle_code")).is_in(obstacle_codes.clone()))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::delete()
                .from_table(a("obstacles"))
                .and_where(Expr::col(a("code")).is_in(obstacle_codes))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::delete()
                .from_table(a("obstacle_families"))
                .and_where(Expr::col(a("code")).is_in(FAMILIES.iter().map(|f| f.code)))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::delete()
                .from_table(a("provinces"))
                .and_where(Expr::col(a("code")).is_in(PROVINCES.iter().map(|p| p.code)))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins the rows this migration inserted (a hash of the reference data as it seeded it).
    /// If this fails, `shared::reference` changed: copy the old data into this migration
    /// (frozen) and apply the change to the database in a new migration.
    #[test]
    fn the_rows_this_migration_seeded_are_pinned() {
        let data = format!("{TAXONOMY_VERSION}{FAMILIES:?}{OBSTACLES:?}{CUES:?}{PROVINCES:?}");
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in data.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        assert_eq!((data.len(), h), (127828, 16463068457110395745));
    }
}
