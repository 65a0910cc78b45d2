//! Persistent application settings (e.g. the form-signing secret shared by all instances).
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::store::sql::stmt;

const SECRET_KEY: &str = "form_secret";

/// The signing secret, created on first start. Every instance reads the same row.
pub async fn secret(db: &DatabaseConnection) -> anyhow::Result<Vec<u8>> {
    let backend = db.get_database_backend();
    let fresh: [u8; 32] = rand::random();
    // Insert-if-absent, then read: two instances starting together agree on one value.
    db.execute(stmt(
        backend,
        "INSERT INTO app_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        vec![SECRET_KEY.into(), hex::encode(fresh).into()],
    ))
    .await?;
    let row = db
        .query_one(stmt(
            backend,
            "SELECT value FROM app_settings WHERE key = $1",
            vec![SECRET_KEY.into()],
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("app_settings has no {SECRET_KEY}"))?;
    let value: String = row.try_get("", "value")?;
    Ok(hex::decode(value)?)
}

const LANE_REVIEW_KEY: &str = "lane_review_days";
const LANE_RESPONSE_KEY: &str = "lane_response_days";

/// The priority lane's clocks as an admin set them (the defaults until one does). A stored
/// value that no longer parses falls back to the default rather than stopping the app.
pub async fn lane_clocks(
    db: &impl ConnectionTrait,
) -> Result<crate::domain::lane::Clocks, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all(stmt(
            backend,
            "SELECT key, value FROM app_settings WHERE key IN ($1, $2)",
            vec![LANE_REVIEW_KEY.into(), LANE_RESPONSE_KEY.into()],
        ))
        .await?;
    let mut clocks = crate::domain::lane::Clocks::default();
    for r in rows {
        let key: String = r.try_get("", "key")?;
        let value: String = r.try_get("", "value")?;
        let Ok(n) = value.trim().parse::<u32>() else {
            continue;
        };
        match key.as_str() {
            LANE_REVIEW_KEY if n >= 1 => clocks.lane_review_days = n,
            LANE_RESPONSE_KEY if n >= 1 => clocks.lane_response_days = n,
            _ => {}
        }
    }
    Ok(clocks)
}

/// Stores the priority lane's clocks (both keys, insert or replace).
pub async fn set_lane_clocks(
    db: &impl ConnectionTrait,
    clocks: crate::domain::lane::Clocks,
) -> Result<(), sea_orm::DbErr> {
    let backend = db.get_database_backend();
    for (key, value) in [
        (LANE_REVIEW_KEY, clocks.lane_review_days),
        (LANE_RESPONSE_KEY, clocks.lane_response_days),
    ] {
        db.execute(stmt(
            backend,
            "INSERT INTO app_settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            vec![key.into(), value.to_string().into()],
        ))
        .await?;
    }
    Ok(())
}
