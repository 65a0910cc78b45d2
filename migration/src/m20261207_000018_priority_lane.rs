//! Issue 17, two remedies: the priority lane (绿色通道) for plan-change complaints, and the
//! consumers' rights pages.
//!
//! - `complaints.priority_lane` (set at intake from the requested action, moved by staff with a
//!   reason) and `lane_changed_at`; existing complaints are put in the lane by the same rule as
//!   intake (`downgrade`, `cancel`, `stop_auto_renewal`, or `other` naming two different plans).
//! - `lane_changes`: each staff move with its reason (the case history of the lane).
//! - The queue's due-date index gains the lane rank, so "lane first within the same due date"
//!   is still an index walk (`services::cases::queue::DUE_SQL` / `LANE_RANK_SQL`).
//! - `rights_pages`: per obstacle code, five plain-text sections in zh-CN and en, seeded here
//!   from the taxonomy and edited by admins afterwards.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[path = "m20261207_000018_rights_text.rs"]
mod rights_text;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

/// The lane rule of intake as SQL, for the complaints that exist already.
const BACKFILL: &str = "UPDATE complaints SET priority_lane = TRUE WHERE requested_action IN \
    ('downgrade', 'cancel', 'stop_auto_renewal') OR (requested_action = 'other' \
    AND plan_from IS NOT NULL AND plan_to IS NOT NULL AND TRIM(plan_from) <> '' \
    AND TRIM(plan_to) <> '' AND LOWER(TRIM(plan_from)) <> LOWER(TRIM(plan_to)))";

const OLD_DUE_INDEX: &str = "CREATE INDEX idx_complaints_due ON complaints ((COALESCE(CASE \
    WHEN status IN ('received', 'held') THEN review_due_on \
    WHEN status = 'forwarded' THEN response_due_on END, '9999-12-31')), id)";

/// Must stay identical to `DUE_SQL` and `LANE_RANK_SQL` of the queue for the index to serve.
const LANE_DUE_INDEX: &str = "CREATE INDEX idx_complaints_due_lane ON complaints ((COALESCE(CASE \
    WHEN status IN ('received', 'held') THEN review_due_on \
    WHEN status = 'forwarded' THEN response_due_on END, '9999-12-31')), \
    (CASE WHEN priority_lane THEN 0 ELSE 1 END), id)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("complaints"))
                .add_column(boolean(a("priority_lane")).default(false))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("complaints"))
                .add_column(timestamp_with_time_zone_null(a("lane_changed_at")))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(BACKFILL).await?;
        // A bulk load interrupted before this migration may have dropped the old index and kept
        // its definition for the next start to rebuild: the new index replaces both.
        db.execute_unprepared("DROP INDEX IF EXISTS idx_complaints_due")
            .await?;
        db.execute_unprepared(
            "DELETE FROM bulk_suspended_indexes WHERE name = 'idx_complaints_due'",
        )
        .await?;
        db.execute_unprepared(LANE_DUE_INDEX).await?;
        // The figures compare the lane with the rest over a period of receipt.
        m.create_index(
            Index::create()
                .name("idx_complaints_lane_received")
                .table(a("complaints"))
                .col(a("priority_lane"))
                .col(a("received_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("lane_changes"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                .col(boolean(a("into_lane")))
                .col(text(a("reason")))
                .col(string(a("actor")))
                .col(big_integer_null(a("actor_user_id")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("lane_changes"), a("complaint_id"))
                        .to(a("complaints"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_lane_changes_complaint")
                .table(a("lane_changes"))
                .col(a("complaint_id"))
                .to_owned(),
        )
        .await?;
        let mut t = Table::create();
        t.table(a("rights_pages"))
            .col(string(a("obstacle_code")).primary_key());
        for section in rights_text::SECTIONS {
            for lang in ["zh", "en"] {
                t.col(text(a(&format!("{section}_{lang}"))));
            }
        }
        t.col(timestamp_with_time_zone(a("updated_at")))
            .col(string_null(a("updated_by")));
        m.create_table(t.to_owned()).await?;
        for page in rights_text::pages() {
            let mut cols = vec![a("obstacle_code")];
            let mut vals: Vec<SimpleExpr> = vec![page.code.into()];
            for (section, zh, en) in page.sections {
                cols.push(a(&format!("{section}_zh")));
                vals.push(zh.into());
                cols.push(a(&format!("{section}_en")));
                vals.push(en.into());
            }
            cols.push(a("updated_at"));
            vals.push(Expr::current_timestamp().into());
            m.exec_stmt(
                Query::insert()
                    .into_table(a("rights_pages"))
                    .columns(cols)
                    .values_panic(vals)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("rights_pages")).to_owned())
            .await?;
        m.drop_table(Table::drop().table(a("lane_changes")).to_owned())
            .await?;
        let db = m.get_connection();
        for name in ["idx_complaints_lane_received", "idx_complaints_due_lane"] {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
            db.execute_unprepared(&format!(
                "DELETE FROM bulk_suspended_indexes WHERE name = '{name}'"
            ))
            .await?;
        }
        db.execute_unprepared(OLD_DUE_INDEX).await?;
        for c in ["lane_changed_at", "priority_lane"] {
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
    use super::rights_text;

    #[test]
    fn every_obstacle_code_has_a_full_rights_page_in_both_languages() {
        let pages = rights_text::pages();
        let codes: Vec<&str> = crate::shared::reference::OBSTACLES
            .iter()
            .map(|o| o.code)
            .collect();
        assert_eq!(pages.len(), 16);
        for p in &pages {
            assert!(codes.contains(&p.code), "{}", p.code);
            assert_eq!(p.sections.len(), rights_text::SECTIONS.len());
            for (s, zh, en) in &p.sections {
                assert!(zh.chars().count() > 40, "{} {s} zh", p.code);
                assert!(en.len() > 80, "{} {s} en", p.code);
            }
        }
    }
}
