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
