//! Campaigns (专项整治) and referrals to the responsible authority (跨部门协同), issue 17.
//!
//! - `campaigns`: an admin's campaign with its date range and scope (sectors, obstacle codes,
//!   companies as `;`-separated lists; empty = any) and the tag it puts on cases.
//! - `campaign_cases`: which cases a campaign tagged, and how (`auto` by the scope, `manual` by
//!   staff, `removed` by staff: an untagged case the scope must not tag again).
//! - `complaints.tags`: the `;`-joined tags of a case's campaigns, kept by the application
//!   alongside `campaign_cases` so exports read one column.
//! - `authorities`: the directory of authorities cases are referred to, seeded with the two
//!   national ones the investigation names.
//! - `referrals`: each referral of a case (alone or with its group), with the authority's
//!   reference number and outcome once known; `complaints.referred_to` / `referred_at` hold the
//!   latest one for exports.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

/// The national authorities seeded here: name, sectors (`;`-list), contact, notes.
pub const SEEDED_AUTHORITIES: [(&str, &str, &str, &str); 2] = [
    (
        "工业和信息化部 电信用户申诉受理中心",
        "telecom",
        "https://yhssglxt.miit.gov.cn/ · 电话 12381（申诉须先向电信业务经营者投诉）",
        "全国电信和互联网用户申诉受理（基础电信、移动通信套餐等）。",
    ),
    (
        "市场监督管理部门（全国12315平台）",
        "video_membership;music_audio;cloud_storage;office_software;gaming;reading_news;other",
        "https://www.12315.cn/ · 电话 12315",
        "应用、会员、云服务等消费纠纷及格式条款问题；可按消费者所在地转至当地市场监管部门。",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("campaigns"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(string(a("name")))
                .col(string(a("tag")).unique_key())
                .col(date(a("starts_on")))
                .col(date(a("ends_on")))
                .col(string(a("sectors")).default(""))
                .col(string(a("obstacle_codes")).default(""))
                .col(string(a("company_ids")).default(""))
                .col(text(a("description")).default(""))
                .col(big_integer_null(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("campaign_cases"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("campaign_id")))
                .col(big_integer(a("complaint_id")))
                .col(string(a("state")))
                .col(string_null(a("set_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("campaign_cases"), a("campaign_id"))
                        .to(a("campaigns"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(a("campaign_cases"), a("complaint_id"))
                        .to(a("complaints"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_campaign_cases_campaign_complaint")
                .table(a("campaign_cases"))
                .col(a("campaign_id"))
                .col(a("complaint_id"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_campaign_cases_complaint")
                .table(a("campaign_cases"))
                .col(a("complaint_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("authorities"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(string(a("name")))
                .col(string(a("sectors")).default(""))
                .col(string(a("region")).default(""))
                .col(text(a("contact")).default(""))
                .col(text(a("notes")).default(""))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("referrals"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("complaint_id")))
                .col(big_integer(a("authority_id")))
                .col(string(a("authority_name")))
                .col(big_integer_null(a("group_id")))
                .col(timestamp_with_time_zone(a("referred_at")))
                .col(string(a("referred_by")))
                .col(string_null(a("reference_no")))
                .col(text_null(a("outcome")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("referrals"), a("complaint_id"))
                        .to(a("complaints"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(a("referrals"), a("authority_id"))
                        .to(a("authorities"), a("id"))
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(a("referrals"), a("group_id"))
                        .to(a("case_groups"), a("id"))
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_referrals_complaint", "complaint_id"),
            ("idx_referrals_authority", "authority_id"),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(a("referrals"))
                    .col(a(col))
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(a("complaints"))
                .add_column(string_null(a("referred_to")))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("complaints"))
                .add_column(timestamp_with_time_zone_null(a("referred_at")))
                .to_owned(),
        )
        .await?;
        for (name, sectors, contact, notes) in SEEDED_AUTHORITIES {
            let mut insert = Query::insert();
            insert
                .into_table(a("authorities"))
                .columns(
                    [
                        "name",
                        "sectors",
                        "region",
                        "contact",
                        "notes",
                        "created_at",
                        "updated_at",
                    ]
                    .map(a),
                )
                .values([
                    name.into(),
                    sectors.into(),
                    "".into(),
                    contact.into(),
                    notes.into(),
                    Expr::current_timestamp().into(),
                    Expr::current_timestamp().into(),
                ])
                .map_err(|e| DbErr::Custom(format!("seeding authorities: {e}")))?;
            m.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in ["referred_at", "referred_to"] {
            m.alter_table(
                Table::alter()
                    .table(a("complaints"))
                    .drop_column(a(col))
                    .to_owned(),
            )
            .await?;
        }
        for t in ["referrals", "authorities", "campaign_cases", "campaigns"] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
