//! Where a bulk load (`seed-demo`) keeps the definitions of the secondary indexes it dropped
//! while rows go in, so they are rebuilt at the end, or at the next start if the load was
//! interrupted.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("bulk_suspended_indexes"))
                .col(string(a("name")).primary_key())
                .col(string(a("table_name")))
                .col(text(a("definition")))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("bulk_suspended_indexes")).to_owned())
            .await
    }
}
