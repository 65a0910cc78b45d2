//! Case work: workflow timestamps and statutory clocks on complaints, internal notes, consumer
//! replies from the tracking page, and case groups for collective action.
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
        let cols: Vec<ColumnDef> = vec![
            big_integer_null(a("assigned_to")),
            timestamp_with_time_zone_null(a("accepted_at")),
            timestamp_with_time_zone_null(a("forwarded_at")),
            timestamp_with_time_zone_null(a("responded_at")),
            timestamp_with_time_zone_null(a("closed_at")),
            date_null(a("review_due_on")),
            date_null(a("response_due_on")),
            boolean_null(a("response_timely")),
            text_null(a("company_response")),
            text_null(a("rejection_reason")),
            big_integer_null(a("duplicate_of")),
            string_null(a("outcome_feedback")),
            timestamp_with_time_zone_null(a("outcome_feedback_at")),
            string(a("tags")).default("").to_owned(),
        ];
        // SQLite can add only one column per ALTER TABLE.
        for mut c in cols {
            m.alter_table(
                Table::alter()
                    .table(a("complaints"))
                    .add_column(&mut c)
                    .to_owned(),
            )
            .await?;
        }
        for (name, cols) in [
            ("idx_complaints_assigned", &["assigned_to", "status"][..]),
            ("idx_complaints_duplicate_of", &["duplicate_of"][..]),
            (
                "idx_complaints_review_due",
                &["status", "review_due_on"][..],
            ),
            (
                "idx_complaints_response_due",
                &["status", "response_due_on"][..],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(a("complaints"));
            for c in cols {
                idx.col(a(c));
            }
            m.create_index(idx.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(a("case_notes"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                .col(big_integer_null(a("author_user_id")))
                .col(string(a("author")))
                .col(text(a("body")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("case_notes"), a("complaint_id"))
                        .to(a("complaints"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_case_notes_complaint")
                .table(a("case_notes"))
                .col(a("complaint_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("consumer_replies"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                .col(string(a("outcome")))
                .col(text_null(a("message")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("consumer_replies"), a("complaint_id"))
                        .to(a("complaints"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_consumer_replies_complaint")
                .table(a("consumer_replies"))
                .col(a("complaint_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("case_groups"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(string(a("name")))
                .col(text(a("description")))
                .col(big_integer_null(a("company_id")))
                .col(big_integer_null(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("case_group_members"))
                .col(big_integer(a("group_id")))
                .col(big_integer(a("complaint_id")))
                .col(big_integer_null(a("added_by")))
                .col(timestamp_with_time_zone(a("added_at")))
                .primary_key(Index::create().col(a("group_id")).col(a("complaint_id")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("case_group_members"), a("group_id"))
                        .to(a("case_groups"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(a("case_group_members"), a("complaint_id"))
                        .to(a("complaints"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_group_members_complaint")
                .table(a("case_group_members"))
                .col(a("complaint_id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "case_group_members",
            "case_groups",
            "consumer_replies",
            "case_notes",
        ] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        // Indexes first: SQLite refuses to drop a column an index still uses.
        for idx in [
            "idx_complaints_assigned",
            "idx_complaints_duplicate_of",
            "idx_complaints_review_due",
            "idx_complaints_response_due",
        ] {
            m.drop_index(Index::drop().name(idx).table(a("complaints")).to_owned())
                .await?;
        }
        for c in [
            "tags",
            "outcome_feedback_at",
            "outcome_feedback",
            "duplicate_of",
            "rejection_reason",
            "company_response",
            "response_timely",
            "response_due_on",
            "review_due_on",
            "closed_at",
            "responded_at",
            "forwarded_at",
            "accepted_at",
            "assigned_to",
        ] {
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
