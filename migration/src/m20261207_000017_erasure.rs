//! Erasure that reaches every copy (issue 16): the erasure ledger (which case was erased when and
//! which kinds of data; no personal data, so restores can re-apply erasures), consumers' erasure
//! requests from `/my` (run after a cooling-off unless staff object), file deletions that are
//! retried until done, and the name of the `.eml` file each mail was written to.
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
        // No foreign key: a ledger row outlives its case, and a restore re-applies rows whose
        // case may not exist in the backup. The tracking code is random, not personal data.
        m.create_table(
            Table::create()
                .table(a("erasure_ledger"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                // With the id: a restore must not erase a later case that reused the id.
                .col(string(a("tracking_code")))
                .col(timestamp_with_time_zone(a("erased_at")))
                .col(string(a("kinds")))
                .col(boolean(a("in_file")).default(false))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_erasure_ledger_complaint")
                .table(a("erasure_ledger"))
                .col(a("complaint_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("erasure_requests"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                .col(boolean(a("include_narrative")))
                .col(string(a("status")))
                .col(timestamp_with_time_zone(a("requested_at")))
                .col(timestamp_with_time_zone(a("due_at")))
                .col(timestamp_with_time_zone_null(a("decided_at")))
                .col(big_integer_null(a("decided_by")))
                .col(text_null(a("objection")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("erasure_requests"), a("complaint_id"))
                        .to(a("complaints"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // One pending request per case: a second click answers "already asked", decided by
        // the database.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_erasure_requests_pending ON erasure_requests (complaint_id) \
                 WHERE status = 'pending'",
            )
            .await?;
        m.create_index(
            Index::create()
                .name("idx_erasure_requests_status_due")
                .table(a("erasure_requests"))
                .col(a("status"))
                .col(a("due_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("pending_file_deletions"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(string(a("folder")))
                .col(string(a("name")))
                .col(integer(a("attempts")).default(0))
                .col(text_null(a("last_error")))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("mail_outbox"))
                .add_column(string_null(a("eml_file")))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("mail_outbox"))
                .drop_column(a("eml_file"))
                .to_owned(),
        )
        .await?;
        for t in [
            "pending_file_deletions",
            "erasure_requests",
            "erasure_ledger",
        ] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
