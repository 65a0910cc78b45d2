//! The company loop (issue 15): company users bound to one directory company, the companies'
//! answers (with attachments) recorded inside the system with their real time, signed answer
//! links for companies without an account, one request for more time per case, the deadline
//! events the sweep records (so reminders and "no response" marks happen once, even with two
//! instances on one database), and the consumer's verdict on the answer.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn fk(from: &str, col: &str, to: &str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(a(from), a(col))
        .to(a(to), a("id"))
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite can add only one column per ALTER TABLE, and a foreign key on an added column
        // only through the column's own REFERENCES clause (written out for both backends).
        let db = m.get_connection();
        db.execute_unprepared(
            "ALTER TABLE users ADD COLUMN company_id BIGINT REFERENCES companies (id)",
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_users_company")
                .table(a("users"))
                .col(a("company_id"))
                .to_owned(),
        )
        .await?;
        let added: Vec<ColumnDef> = vec![
            string_null(a("response_category")),
            string_null(a("consumer_feedback")),
            timestamp_with_time_zone_null(a("consumer_feedback_at")),
            text_null(a("consumer_feedback_reason")),
            boolean(a("consumer_disputed")).default(false).to_owned(),
            timestamp_with_time_zone_null(a("no_response_at")),
        ];
        for mut col in added {
            m.alter_table(
                Table::alter()
                    .table(a("complaints"))
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(a("company_responses"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                .col(big_integer(a("company_id")))
                .col(big_integer_null(a("user_id")))
                .col(string(a("via")))
                .col(string(a("category")))
                .col(text(a("body")))
                .col(string(a("language")))
                .col(boolean(a("late")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk(
                    "company_responses",
                    "complaint_id",
                    "complaints",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "company_responses",
                    "company_id",
                    "companies",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "company_responses",
                    "user_id",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_company_responses_complaint")
                .table(a("company_responses"))
                .col(a("complaint_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("response_files"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("response_id")))
                .col(string(a("stored_name")))
                .col(string(a("original_name")))
                .col(string(a("content_type")))
                .col(big_integer(a("size_bytes")))
                .col(string(a("sha256")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk(
                    "response_files",
                    "response_id",
                    "company_responses",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("response_links"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                .col(string(a("token_hash")).unique_key())
                .col(timestamp_with_time_zone(a("expires_at")))
                .col(timestamp_with_time_zone_null(a("used_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk(
                    "response_links",
                    "complaint_id",
                    "complaints",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("extension_requests"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")).unique_key())
                .col(big_integer_null(a("user_id")))
                .col(text(a("reason")))
                .col(integer(a("days")))
                .col(string(a("state")))
                .col(big_integer_null(a("decided_by")))
                .col(timestamp_with_time_zone_null(a("decided_at")))
                .col(date_null(a("previous_due_on")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk(
                    "extension_requests",
                    "complaint_id",
                    "complaints",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "extension_requests",
                    "user_id",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "extension_requests",
                    "decided_by",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        // One row per (case, kind, due date): the sweep claims an event by inserting it, so a
        // second instance running the same sweep finds the row there and sends nothing.
        m.create_table(
            Table::create()
                .table(a("deadline_events"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                .col(string(a("kind")))
                .col(date(a("due_on")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk(
                    "deadline_events",
                    "complaint_id",
                    "complaints",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_deadline_events")
                .table(a("deadline_events"))
                .col(a("complaint_id"))
                .col(a("kind"))
                .col(a("due_on"))
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "deadline_events",
            "extension_requests",
            "response_links",
            "response_files",
            "company_responses",
        ] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        for c in [
            "no_response_at",
            "consumer_disputed",
            "consumer_feedback_reason",
            "consumer_feedback_at",
            "consumer_feedback",
            "response_category",
        ] {
            m.alter_table(
                Table::alter()
                    .table(a("complaints"))
                    .drop_column(a(c))
                    .to_owned(),
            )
            .await?;
        }
        m.drop_index(
            Index::drop()
                .name("idx_users_company")
                .table(a("users"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("users"))
                .drop_column(a("company_id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
