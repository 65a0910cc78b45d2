//! The demo's campaign and referral (issue 17): a running telecom campaign, so the telecom
//! reference case (and the synthetic telecom complaints of its dates) carry its tag, and the
//! cloud-storage reference case referred to the authority proposed for it. Both go through the
//! product's own services, as an admin and a reviewer would; re-running adds nothing twice.
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::domain::campaign::Scope;
use crate::domain::format::shanghai;
use crate::entities::{campaign, complaint, referral};
use crate::services::audit::Actor;
use crate::services::campaigns::{self, CampaignInput};
use crate::services::referrals;

/// Tag of the demo campaign.
pub const DEMO_CAMPAIGN_TAG: &str = "telecom-downgrade";
/// The reference case the demo refers (cases.md 4, cloud storage).
pub const REFERRED_CASE: &str = "DW-REFD-CASE";

fn actor() -> Actor {
    Actor {
        user_id: None,
        label: super::ACTOR.into(),
    }
}

/// Creates the demo campaign (90 days, 60 of them gone) unless it exists; returns whether it
/// was created.
pub(super) async fn ensure_campaign(db: &DatabaseConnection) -> anyhow::Result<bool> {
    let exists = campaign::Entity::find()
        .filter(campaign::Column::Tag.eq(DEMO_CAMPAIGN_TAG))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    let today = Utc::now().with_timezone(&shanghai()).date_naive();
    let input = CampaignInput {
        name: "电信套餐降级专项整治".into(),
        tag: DEMO_CAMPAIGN_TAG.into(),
        starts_on: today - Duration::days(60),
        ends_on: today + Duration::days(29),
        scope: Scope {
            sectors: vec!["telecom".into()],
            obstacles: Vec::new(),
            companies: Vec::new(),
        },
        description: "演示数据：针对电信套餐“升级易、降级难”的专项整治。".into(),
    };
    campaigns::create(db, input, &actor())
        .await
        .map_err(|e| anyhow::anyhow!("demo campaign: {e:?}"))?;
    Ok(true)
}

/// Refers the cloud-storage reference case to its proposed authority unless it was referred;
/// returns whether it referred it.
pub(super) async fn ensure_referral(db: &DatabaseConnection) -> anyhow::Result<bool> {
    let Some(case) = complaint::Entity::find()
        .filter(complaint::Column::TrackingCode.eq(REFERRED_CASE))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    let referred = referral::Entity::find()
        .filter(referral::Column::ComplaintId.eq(case.id))
        .one(db)
        .await?
        .is_some();
    if referred {
        return Ok(false);
    }
    let all = referrals::list(db).await?;
    let Some(authority) = referrals::proposal(&all, &case.sector, case.province.as_deref()) else {
        return Ok(false);
    };
    let i18n = crate::i18n::I18n::load()?;
    referrals::refer::refer(db, &i18n, &[case.id], authority, None, &actor())
        .await
        .map_err(|e| anyhow::anyhow!("demo referral: {e:?}"))?;
    Ok(true)
}
