//! The figures of a clause's page: complaints citing it per month, and whether complaints fell
//! after it was amended (those citing it, and all complaints about its company with any of its
//! obstacle codes, in equally long windows before and after the day it was amended). Complaints
//! count in published statuses only (as everywhere); days and months are Asia/Shanghai days of
//! receipt; obstacle codes count by the export's rule (reviewer-confirmed codes when there are
//! any, otherwise the consumer's and the suggested ones).
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, Value};

use crate::domain::clauses::{self, Trend, Windows};
use crate::domain::format::shanghai;
use crate::domain::period::Month;
use crate::services::clauses::citations::citing_received;
use crate::services::stats::PUBLISHED;
use crate::store::sql::stmt;

/// Most months the per-month table reaches back.
pub const MAX_MONTHS: i64 = 36;
/// Months the table always shows (up to the current one).
pub const MIN_MONTHS: i64 = 12;

fn local_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&shanghai()).date_naive()
}

/// The first instant of a Shanghai day, in UTC.
fn day_start(d: NaiveDate) -> DateTime<Utc> {
    (d.and_time(NaiveTime::MIN) - chrono::Duration::hours(8)).and_utc()
}

/// Complaints citing the clause per month: the last [`MIN_MONTHS`] months up to `today`'s,
/// reaching back to the first citing complaint (at most [`MAX_MONTHS`]).
pub async fn per_month(
    conn: &impl ConnectionTrait,
    clause_id: i64,
    today: NaiveDate,
) -> Result<Vec<(Month, u64)>, DbErr> {
    let days: Vec<NaiveDate> = citing_received(conn, clause_id)
        .await?
        .into_iter()
        .map(local_day)
        .collect();
    let to = Month::of(today);
    let earliest = days.iter().min().map(|d| Month::of(*d)).unwrap_or(to);
    let from = earliest
        .min(to.plus(-(MIN_MONTHS - 1)))
        .max(to.plus(-(MAX_MONTHS - 1)));
    Ok(clauses::per_month(&days, from, to))
}

/// One measure compared before and after the amendment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Compared {
    pub before: u64,
    pub after: u64,
    pub before_per_30: String,
    pub after_per_30: String,
    pub trend: Trend,
    pub percent: Option<u64>,
}

impl Compared {
    fn of(before: u64, after: u64, days: i64) -> Compared {
        let (trend, percent) = clauses::trend(before, after);
        Compared {
            before,
            after,
            before_per_30: clauses::per_30_days(before, days),
            after_per_30: clauses::per_30_days(after, days),
            trend,
            percent,
        }
    }
}

/// Complaints before and after an amendment.
#[derive(Debug, Clone)]
pub struct BeforeAfter {
    pub amended_on: NaiveDate,
    pub windows: Windows,
    /// Complaints citing the clause.
    pub citing: Compared,
    /// Complaints about the company with any of the clause's obstacle codes.
    pub company: Compared,
}

fn split(days: &[NaiveDate], w: &Windows) -> (u64, u64) {
    let before = days
        .iter()
        .filter(|d| **d >= w.before_from && **d <= w.before_to)
        .count() as u64;
    let after = days
        .iter()
        .filter(|d| **d >= w.after_from && **d <= w.after_to)
        .count() as u64;
    (before, after)
}

/// Receipt days of complaints about `company_id` with any of `codes` (counted by the export's
/// rule), published statuses, received in `[from, to]` (Shanghai days).
pub async fn company_obstacle_days(
    conn: &impl ConnectionTrait,
    company_id: i64,
    codes: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<NaiveDate>, DbErr> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let statuses: Vec<String> = PUBLISHED.iter().map(|s| format!("'{s}'")).collect();
    let mut values: Vec<Value> = vec![
        company_id.into(),
        day_start(from).into(),
        day_start(to + chrono::Duration::days(1)).into(),
    ];
    let mut marks = Vec::new();
    for c in codes {
        values.push(c.clone().into());
        marks.push(format!("${}", values.len()));
    }
    let sql = format!(
        "SELECT c.received_at FROM complaints c WHERE c.company_id = $1 \
         AND c.received_at >= $2 AND c.received_at < $3 AND c.status IN ({}) \
         AND EXISTS (SELECT 1 FROM complaint_obstacles f WHERE f.complaint_id = c.id \
         AND f.obstacle_code IN ({}) AND (f.source = 'reviewer' OR NOT EXISTS \
         (SELECT 1 FROM complaint_obstacles r WHERE r.complaint_id = c.id AND r.source = 'reviewer')))",
        statuses.join(", "),
        marks.join(", ")
    );
    let rows = conn
        .query_all(stmt(conn.get_database_backend(), &sql, values))
        .await?;
    rows.iter()
        .map(|r| r.try_get_by_index::<DateTime<Utc>>(0).map(local_day))
        .collect()
}

/// The comparison around the day the clause was amended (`None` if it is not amended).
pub async fn before_after(
    conn: &impl ConnectionTrait,
    clause: &super::Clause,
    amended_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Option<BeforeAfter>, DbErr> {
    let Some(amended_on) = amended_on else {
        return Ok(None);
    };
    let Some(w) = clauses::windows(amended_on, today) else {
        return Ok(None);
    };
    let citing_days: Vec<NaiveDate> = citing_received(conn, clause.row.id)
        .await?
        .into_iter()
        .map(local_day)
        .collect();
    let (cb, ca) = split(&citing_days, &w);
    let company_days = company_obstacle_days(
        conn,
        clause.row.company_id,
        &clause.obstacles,
        w.before_from,
        w.after_to,
    )
    .await?;
    let (pb, pa) = split(&company_days, &w);
    Ok(Some(BeforeAfter {
        amended_on,
        windows: w,
        citing: Compared::of(cb, ca, w.days),
        company: Compared::of(pb, pa, w.days),
    }))
}
