//! Narrative fingerprints (see `fingerprint.rs`) on every complaint, so duplicate proposals at
//! intake compare hundreds of recent complaints without reading their narratives. Existing rows
//! are backfilled here; new rows get theirs from whatever writes the narrative.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{self, ConnectionTrait, Statement, TransactionTrait};

use crate::fingerprint;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

/// Rows read and updated per transaction while backfilling.
const BATCH: i64 = 2_000;

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

/// Fills the fingerprint of every complaint that has none, in id order, a batch per transaction.
pub async fn backfill<C: ConnectionTrait + TransactionTrait>(db: &C) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    let (select, update) = match b {
        sea_orm::DatabaseBackend::Postgres => (
            "SELECT id, narrative FROM complaints WHERE id > $1 AND narrative_fp IS NULL ORDER BY id LIMIT $2",
            "UPDATE complaints SET narrative_fp = $1, narrative_trigrams = $2 WHERE id = $3",
        ),
        _ => (
            "SELECT id, narrative FROM complaints WHERE id > ? AND narrative_fp IS NULL ORDER BY id LIMIT ?",
            "UPDATE complaints SET narrative_fp = ?, narrative_trigrams = ? WHERE id = ?",
        ),
    };
    let mut after = 0i64;
    loop {
        let txn = db.begin().await?;
        let rows = txn
            .query_all(Statement::from_sql_and_values(
                b,
                select,
                [after.into(), BATCH.into()],
            ))
            .await?;
        let Some(last) = rows.last() else {
            txn.commit().await?;
            return Ok(());
        };
        after = last.try_get_by_index::<i64>(0)?;
        for r in &rows {
            let id: i64 = r.try_get_by_index(0)?;
            let narrative: String = r.try_get_by_index(1)?;
            let (fp, count) = fingerprint::of(&narrative);
            txn.execute(Statement::from_sql_and_values(
                b,
                update,
                [fp.into(), count.into(), id.into()],
            ))
            .await?;
        }
        txn.commit().await?;
    }
}
