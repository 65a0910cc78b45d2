//! A campaign's figures: for the complaints in its scope, the same figures for the period
//! before it, while it ran and after it, each as long as the campaign (cut at today when
//! today comes first): complaints per week, the obstacle mix, the timely and the resolution
//! rates. Counted straight from `complaints` (the rollups are monthly; a campaign's days are
//! not), over published statuses only, like every published figure.
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Value};
use serde::Serialize;

use crate::domain::campaign::{per_week, Days, Periods};
use crate::entities::campaign;
use crate::services::stats::PUBLISHED;
use crate::store::sql::stmt;

use super::scope_of;
use super::tagging::in_campaign_sql;

/// The figures of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodFigures {
    pub days: i64,
    pub complaints: i64,
    pub per_week: f64,
    /// Company answers judged (`response_timely` set) and of those on time.
    pub timely_known: i64,
    pub timely_yes: i64,
    /// Closed cases and of those closed as resolved.
    pub closed: i64,
    pub resolved: i64,
    /// Mentions per counted obstacle code, most first (a complaint counts once per code).
    pub obstacles: Vec<(String, i64)>,
}

impl PeriodFigures {
    pub fn timely_rate(&self) -> Option<f64> {
        (self.timely_known > 0).then(|| self.timely_yes as f64 / self.timely_known as f64)
    }

    pub fn resolution_rate(&self) -> Option<f64> {
        (self.closed > 0).then(|| self.resolved as f64 / self.closed as f64)
    }
}

/// A campaign's three periods and their figures.
#[derive(Debug, Clone)]
pub struct CampaignFigures {
    pub periods: Periods,
    pub before: PeriodFigures,
    pub during: Option<PeriodFigures>,
    pub after: Option<PeriodFigures>,
}

fn published() -> String {
    let l: Vec<String> = PUBLISHED.iter().map(|s| format!("'{s}'")).collect();
    format!("c.status IN ({})", l.join(", "))
}

async fn period(
    db: &DatabaseConnection,
    c: &campaign::Model,
    days: Days,
) -> Result<PeriodFigures, DbErr> {
    let backend = db.get_database_backend();
    let scope = scope_of(c);
    let (from, to) = days.bounds();
    let mut values: Vec<Value> = Vec::new();
    let mut conds = vec![published()];
    conds.extend(in_campaign_sql(&scope, from, to, 1, &mut values));
    let where_ = conds.join(" AND ");
    let sql = format!(
        "SELECT COUNT(*), \
         COALESCE(SUM(CASE WHEN c.response_timely IS NULL THEN 0 ELSE 1 END), 0), \
         COALESCE(SUM(CASE WHEN c.response_timely THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN c.status = 'closed' AND c.outcome = 'resolved' THEN 1 ELSE 0 END), 0) \
         FROM complaints c WHERE {where_}"
    );
    let row = db
        .query_one(stmt(backend, &sql, values.clone()))
        .await?
        .ok_or_else(|| DbErr::Custom("campaign figures: no row".into()))?;
    let get = |i: usize| row.try_get_by_index::<i64>(i);
    let (complaints, timely_known, timely_yes, closed, resolved) =
        (get(0)?, get(1)?, get(2)?, get(3)?, get(4)?);
    let sql = format!(
        "SELECT o.obstacle_code, COUNT(DISTINCT o.complaint_id) FROM complaint_obstacles o \
         JOIN complaints c ON c.id = o.complaint_id WHERE {where_} \
         AND (o.source = 'reviewer' OR NOT EXISTS (SELECT 1 FROM complaint_obstacles r \
         WHERE r.complaint_id = c.id AND r.source = 'reviewer')) \
         GROUP BY o.obstacle_code"
    );
    let mut obstacles: Vec<(String, i64)> = db
        .query_all(stmt(backend, &sql, values))
        .await?
        .iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect::<Result<_, DbErr>>()?;
    obstacles.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(PeriodFigures {
        days: days.len(),
        complaints,
        per_week: per_week(complaints, days.len()),
        timely_known,
        timely_yes,
        closed,
        resolved,
        obstacles,
    })
}

/// The campaign's figures as of `today` (Asia/Shanghai).
pub async fn figures(
    db: &DatabaseConnection,
    c: &campaign::Model,
    today: chrono::NaiveDate,
) -> Result<CampaignFigures, DbErr> {
    let periods = Periods::of(c.starts_on, c.ends_on, today);
    let before = period(db, c, periods.before).await?;
    let during = match periods.during {
        Some(d) => Some(period(db, c, d).await?),
        None => None,
    };
    let after = match periods.after {
        Some(d) => Some(period(db, c, d).await?),
        None => None,
    };
    Ok(CampaignFigures {
        periods,
        before,
        during,
        after,
    })
}

/// Complaints tagged with each campaign (tags set by the scope or by hand), by campaign id.
pub async fn tagged_counts(
    db: &DatabaseConnection,
) -> Result<std::collections::HashMap<i64, i64>, DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all(stmt(
            backend,
            "SELECT campaign_id, COUNT(*) FROM campaign_cases WHERE state <> 'removed' GROUP BY campaign_id",
            vec![],
        ))
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect()
}
