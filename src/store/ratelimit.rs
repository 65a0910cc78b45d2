//! Fixed-window rate limiting with counters in the database, so every instance behind a load
//! balancer sees the same counts.
use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::config::RateLimit;
use crate::store::sql::stmt;

/// `Ok(())` if allowed, `Err(seconds until the window resets)` if over the limit.
pub async fn hit(db: &DatabaseConnection, bucket: &str, limit: RateLimit) -> Result<(), u64> {
    let per = limit.per.as_secs().max(1) as i64;
    let now = Utc::now().timestamp();
    let window = now - now.rem_euclid(per);
    let row = db
        .query_one(stmt(
            db.get_database_backend(),
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits",
            vec![bucket.into(), window.into()],
        ))
        .await;
    let hits: i64 = match row {
        Ok(Some(r)) => r
            .try_get::<i32>("", "hits")
            .map(i64::from)
            .or_else(|_| r.try_get::<i64>("", "hits"))
            .unwrap_or(0),
        // A counter failure must not turn consumers away; log and allow.
        Ok(None) => 0,
        Err(e) => {
            tracing::warn!(error = %e, "rate-limit counter unavailable");
            0
        }
    };
    if hits > i64::from(limit.count) {
        Err((window + per - now).max(1) as u64)
    } else {
        Ok(())
    }
}

/// Deletes windows older than a day.
pub async fn prune(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    let cutoff = Utc::now().timestamp() - 86_400;
    db.execute(stmt(
        db.get_database_backend(),
        "DELETE FROM rate_limits WHERE window_start < $1",
        vec![cutoff.into()],
    ))
    .await?;
    Ok(())
}
