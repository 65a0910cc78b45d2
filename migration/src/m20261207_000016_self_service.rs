//! Consumers' self-service (issue 16): single-use sign-in links mailed to a complaint's email
//! (`/my`), dated additions to a complaint's story, and the consumer's choice of notifications.
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
                .table(a("consumer_links"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(string(a("email")))
                .col(string(a("token_hash")).unique_key())
                .col(timestamp_with_time_zone(a("expires_at")))
                .col(timestamp_with_time_zone_null(a("used_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("complaint_updates"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                .col(text(a("body")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("complaint_updates"), a("complaint_id"))
                        .to(a("complaints"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_complaint_updates_complaint")
                .table(a("complaint_updates"))
                .col(a("complaint_id"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("complaints"))
                .add_column(string(a("notify")).default("all"))
                .to_owned(),
        )
        .await?;
        // Finding a consumer's complaints by email (the /my list), whatever the case typed.
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_complaints_contact_email_lower ON complaints (LOWER(contact_email))",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_complaints_contact_email_lower")
                .table(a("complaints"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("complaints"))
                .drop_column(a("notify"))
                .to_owned(),
        )
        .await?;
        for t in ["complaint_updates", "consumer_links"] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
