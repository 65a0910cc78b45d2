//! Core schema: reference tables (taxonomy, provinces), companies, complaints and everything that
//! hangs off a complaint (obstacle links, evidence, status history), the mail outbox, rate-limit
//! counters and application settings.
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
                .table(a("obstacle_families"))
                .col(string(a("code")).primary_key())
                .col(string(a("name_zh")))
                .col(string(a("name_en")))
                .col(integer(a("sort_order")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("obstacles"))
                .col(string(a("code")).primary_key())
                .col(string(a("family")))
                .col(string(a("name_zh")))
                .col(string(a("name_en")))
                .col(text(a("description_zh")))
                .col(text(a("description_en")))
                .col(text(a("consumer_label_zh")))
                .col(text(a("consumer_label_en")))
                .col(string(a("rights")))
                .col(text(a("legal_refs_zh")))
                .col(text(a("legal_refs_en")))
                .col(string(a("taxonomy_version")))
                .col(integer(a("sort_order")))
                .col(boolean(a("active")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("obstacles"), a("family"))
                        .to(a("obstacle_families"), a("code")),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("obstacle_cues"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(string(a("obstacle_code")))
                .col(string(a("lang")))
                .col(text(a("pattern")))
                .col(double(a("weight")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("obstacle_cues"), a("obstacle_code"))
                        .to(a("obstacles"), a("code")),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("provinces"))
                .col(string(a("code")).primary_key())
                .col(string(a("name_zh")))
                .col(string(a("name_en")))
                .col(integer(a("sort_order")))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("companies"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(string(a("name")))
                .col(string(a("name_norm")).unique_key())
                .col(string_null(a("sector")))
                .col(string_null(a("credit_code")).unique_key())
                .col(string_null(a("contact_email")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("company_aliases"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("company_id")))
                .col(string(a("alias")))
                .col(string(a("alias_norm")).unique_key())
                .foreign_key(
                    ForeignKey::create()
                        .from(a("company_aliases"), a("company_id"))
                        .to(a("companies"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("complaints"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(string(a("tracking_code")).unique_key())
                .col(string(a("evidence_token_hash")))
                .col(string(a("status")))
                .col(string(a("sector")))
                .col(big_integer_null(a("company_id")))
                .col(string(a("company_name")))
                .col(string_null(a("service_name")))
                .col(string_null(a("plan_from")))
                .col(string_null(a("plan_to")))
                .col(big_integer_null(a("price_from_fen")))
                .col(big_integer_null(a("price_to_fen")))
                .col(string_null(a("billing_cycle")))
                .col(string(a("requested_action")))
                .col(string(a("channels_tried")))
                .col(integer_null(a("contact_attempts")))
                .col(date_null(a("first_attempt_on")))
                .col(string_null(a("outcome")))
                .col(big_integer_null(a("amount_claimed_fen")))
                .col(text(a("narrative")))
                .col(string_null(a("province")))
                .col(string_null(a("contact_name")))
                .col(string_null(a("contact_email")))
                .col(string_null(a("contact_phone")))
                .col(boolean(a("consent_share_narrative")))
                .col(boolean(a("consent_contact_company")))
                .col(string(a("language")))
                .col(string(a("submitted_via")))
                .col(string(a("spam_reasons")))
                .col(string_null(a("primary_obstacle")))
                .col(string(a("taxonomy_version")))
                .col(timestamp_with_time_zone(a("received_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .col(integer(a("version")).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("complaints"), a("company_id"))
                        .to(a("companies"), a("id"))
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("idx_complaints_received", &["received_at", "id"][..]),
            (
                "idx_complaints_status_received",
                &["status", "received_at", "id"][..],
            ),
            ("idx_complaints_company", &["company_id", "received_at"][..]),
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
                .table(a("complaint_obstacles"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                .col(string(a("obstacle_code")))
                .col(string(a("source")))
                .col(double_null(a("score")))
                .col(text_null(a("evidence")))
                .col(string_null(a("set_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("complaint_obstacles"), a("complaint_id"))
                        .to(a("complaints"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(a("complaint_obstacles"), a("obstacle_code"))
                        .to(a("obstacles"), a("code")),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_complaint_obstacle_source")
                .table(a("complaint_obstacles"))
                .col(a("complaint_id"))
                .col(a("obstacle_code"))
                .col(a("source"))
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("evidence_files"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                .col(string(a("stored_name")).unique_key())
                .col(string(a("original_name")))
                .col(string(a("content_type")))
                .col(big_integer(a("size_bytes")))
                .col(string(a("sha256")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("evidence_files"), a("complaint_id"))
                        .to(a("complaints"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_evidence_complaint")
                .table(a("evidence_files"))
                .col(a("complaint_id"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("status_history"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                .col(string_null(a("from_status")))
                .col(string(a("to_status")))
                .col(boolean(a("is_public")))
                .col(text_null(a("note")))
                .col(string_null(a("actor")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("status_history"), a("complaint_id"))
                        .to(a("complaints"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_status_history_complaint")
                .table(a("status_history"))
                .col(a("complaint_id"))
                .col(a("created_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("mail_outbox"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer_null(a("complaint_id")))
                .col(string(a("kind")))
                .col(string(a("to_addr")))
                .col(string(a("subject")))
                .col(text(a("body_text")))
                .col(text(a("body_html")))
                .col(string(a("language")))
                .col(string(a("status")))
                .col(integer(a("attempts")).default(0))
                .col(text_null(a("last_error")))
                .col(timestamp_with_time_zone(a("next_attempt_at")))
                .col(timestamp_with_time_zone_null(a("locked_until")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("sent_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("mail_outbox"), a("complaint_id"))
                        .to(a("complaints"), a("id"))
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_due")
                .table(a("mail_outbox"))
                .col(a("status"))
                .col(a("next_attempt_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("rate_limits"))
                .col(string(a("bucket")))
                .col(big_integer(a("window_start")))
                .col(integer(a("hits")))
                .primary_key(Index::create().col(a("bucket")).col(a("window_start")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("app_settings"))
                .col(string(a("key")).primary_key())
                .col(text(a("value")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("holidays"))
                .col(date(a("day")).primary_key())
                .col(string(a("kind")))
                .col(string(a("name")))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "holidays",
            "app_settings",
            "rate_limits",
            "mail_outbox",
            "status_history",
            "evidence_files",
            "complaint_obstacles",
            "complaints",
            "company_aliases",
            "companies",
            "provinces",
            "obstacle_cues",
            "obstacles",
            "obstacle_families",
        ] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
