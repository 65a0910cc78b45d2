//! The priority lane against the rest (issue 17), for the dashboard and the period report:
//! volume, the share decided within the acceptance clock, the share answered within the
//! response clock and the median days to close. Counted from `complaints` (the lane is a
//! column there; the rollups have no lane key) over the complaints received in the filter's
//! months (Asia/Shanghai), with the statuses of every published figure.
//!
//! - decided: accepted complaints with a review due date, plus complaints still waiting for
//!   review after their due date (late by definition); in time when accepted on or before it.
//! - answered: the company's response was judged (`response_timely` set, a "no response" counts
//!   as late), the same rule as every timely figure; each case's own due date applies, so lane
//!   cases are judged against the lane's clock.
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Value};
use serde::Serialize;

use super::rollup_sql::query;
use super::{median, Filter, PUBLISHED};

/// One side of the comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct LaneCounts {
    pub complaints: i64,
    pub decided_known: i64,
    pub decided_in_time: i64,
    pub timely_known: i64,
    pub timely_yes: i64,
    pub closed: i64,
    pub median_days: Option<f64>,
}

impl LaneCounts {
    /// Share decided within the acceptance clock.
    pub fn decided_rate(&self) -> Option<f64> {
        (self.decided_known > 0).then(|| self.decided_in_time as f64 / self.decided_known as f64)
    }

    /// Share answered within the response clock.
    pub fn timely_rate(&self) -> Option<f64> {
        (self.timely_known > 0).then(|| self.timely_yes as f64 / self.timely_known as f64)
    }
}

/// The lane and the rest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct LaneSummary {
    pub lane: LaneCounts,
    pub rest: LaneCounts,
}

/// Start of an Asia/Shanghai day, in UTC.
fn day_start(d: NaiveDate) -> chrono::DateTime<Utc> {
    let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    crate::domain::format::shanghai()
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| local.and_utc())
}

fn local_date(b: DatabaseBackend, col: &str) -> String {
    match b {
        DatabaseBackend::Postgres => format!("(({col}) AT TIME ZONE 'Asia/Shanghai')::date"),
        _ => format!("date({col}, '+8 hours')"),
    }
}

fn close_days(b: DatabaseBackend) -> String {
    match b {
        DatabaseBackend::Postgres => format!(
            "({} - {})",
            local_date(b, "c.closed_at"),
            local_date(b, "c.received_at")
        ),
        _ => "CAST(julianday(date(c.closed_at, '+8 hours')) \
              - julianday(date(c.received_at, '+8 hours')) AS INTEGER)"
            .into(),
    }
}

/// The WHERE clause of the filter over `complaints c`, binding from `$1`.
fn conditions(f: &Filter, values: &mut Vec<Value>) -> String {
    let mut parts = Vec::new();
    let bind = |v: Value, values: &mut Vec<Value>| {
        values.push(v);
        format!("${}", values.len())
    };
    let from = bind(day_start(f.from.first_day()).into(), values);
    let to = bind(day_start(f.to.plus(1).first_day()).into(), values);
    parts.push(format!("c.received_at >= {from} AND c.received_at < {to}"));
    let list: Vec<String> = PUBLISHED.iter().map(|s| format!("'{s}'")).collect();
    parts.push(format!("c.status IN ({})", list.join(", ")));
    if let Some(s) = &f.sector {
        let p = bind(s.clone().into(), values);
        parts.push(format!("c.sector = {p}"));
    }
    if let Some(c) = f.company {
        let p = bind(c.into(), values);
        parts.push(format!("COALESCE(c.company_id, 0) = {p}"));
    }
    if let Some(pr) = &f.province {
        let p = bind(pr.clone().into(), values);
        parts.push(format!("COALESCE(c.province, '') = {p}"));
    }
    if let Some(o) = &f.obstacle {
        // The counted codes, as in the rollups: the reviewer's once there are any.
        let p = bind(o.clone().into(), values);
        parts.push(format!(
            "EXISTS (SELECT 1 FROM complaint_obstacles co WHERE co.complaint_id = c.id \
             AND co.obstacle_code = {p} AND (co.source = 'reviewer' OR NOT EXISTS \
             (SELECT 1 FROM complaint_obstacles r WHERE r.complaint_id = c.id \
             AND r.source = 'reviewer')))"
        ));
    }
    parts.join(" AND ")
}

/// Lane and non-lane figures for the filter; `today` (Asia/Shanghai) decides which reviews
/// still waiting are late.
pub async fn lane_summary(
    db: &impl ConnectionTrait,
    f: &Filter,
    today: NaiveDate,
) -> Result<LaneSummary, DbErr> {
    let b = db.get_database_backend();
    // Placeholders are numbered in text order: today's date comes first.
    let mut values: Vec<Value> = vec![today.into()];
    let t = "$1";
    let w = conditions(f, &mut values);
    let accepted_day = local_date(b, "c.accepted_at");
    let sql = format!(
        "SELECT CAST(CASE WHEN c.priority_lane THEN 1 ELSE 0 END AS BIGINT), COUNT(*), \
         SUM(CASE WHEN c.review_due_on IS NOT NULL AND (c.accepted_at IS NOT NULL \
             OR (c.status = 'received' AND c.review_due_on < {t})) THEN 1 ELSE 0 END), \
         SUM(CASE WHEN c.review_due_on IS NOT NULL AND c.accepted_at IS NOT NULL \
             AND {accepted_day} <= c.review_due_on THEN 1 ELSE 0 END), \
         SUM(CASE WHEN c.response_timely IS NOT NULL THEN 1 ELSE 0 END), \
         SUM(CASE WHEN c.response_timely THEN 1 ELSE 0 END), \
         SUM(CASE WHEN c.status = 'closed' AND c.closed_at IS NOT NULL THEN 1 ELSE 0 END) \
         FROM complaints c WHERE {w} GROUP BY CASE WHEN c.priority_lane THEN 1 ELSE 0 END"
    );
    let mut out = LaneSummary::default();
    let int = |r: &sea_orm::QueryResult, i: usize| -> Result<i64, DbErr> {
        Ok(r.try_get_by_index::<Option<i64>>(i)?.unwrap_or(0))
    };
    for r in query(db, sql, values).await? {
        let side = if int(&r, 0)? == 1 {
            &mut out.lane
        } else {
            &mut out.rest
        };
        side.complaints = int(&r, 1)?;
        side.decided_known = int(&r, 2)?;
        side.decided_in_time = int(&r, 3)?;
        side.timely_known = int(&r, 4)?;
        side.timely_yes = int(&r, 5)?;
        side.closed = int(&r, 6)?;
    }
    let mut values = Vec::new();
    let w = conditions(f, &mut values);
    let days = close_days(b);
    let sql = format!(
        "SELECT CAST(CASE WHEN c.priority_lane THEN 1 ELSE 0 END AS BIGINT), \
         CAST({days} AS BIGINT), COUNT(*) FROM complaints c \
         WHERE {w} AND c.status = 'closed' AND c.closed_at IS NOT NULL GROUP BY 1, 2"
    );
    let mut lane: Vec<(i64, i64)> = Vec::new();
    let mut rest: Vec<(i64, i64)> = Vec::new();
    for r in query(db, sql, values).await? {
        let pair = (int(&r, 1)?, int(&r, 2)?);
        if int(&r, 0)? == 1 {
            lane.push(pair);
        } else {
            rest.push(pair);
        }
    }
    lane.sort_unstable();
    rest.sort_unstable();
    out.lane.median_days = median(&lane);
    out.rest.median_days = median(&rest);
    Ok(out)
}
