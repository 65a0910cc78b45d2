//! The priority lane's clocks as an admin sets them. A change applies to every due date set from
//! then on (intake, forwarding, a follow-up, a lane move, a holiday recompute); due dates already
//! set stay, as the date promised to the consumer and the company.
use sea_orm::{DatabaseConnection, TransactionTrait};
use serde_json::json;

use crate::domain::lane::Clocks;
use crate::services::audit::{self, Actor};
use crate::services::error::ServiceError;

/// Stores the lane's clocks and audits the change (old and new values).
pub async fn save(
    db: &DatabaseConnection,
    actor: &Actor,
    clocks: Clocks,
) -> Result<(), ServiceError> {
    let txn = db.begin().await?;
    let old = crate::store::settings::lane_clocks(&txn).await?;
    crate::store::settings::set_lane_clocks(&txn, clocks).await?;
    audit::record(
        &txn,
        actor,
        "lane_clocks_changed",
        None,
        Some(json!({
            "review_days": [old.lane_review_days, clocks.lane_review_days],
            "response_days": [old.lane_response_days, clocks.lane_response_days],
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
