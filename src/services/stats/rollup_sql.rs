//! The SQL behind the figures: sums over the rollup tables, the filter as a WHERE clause, which
//! rollup table a filter reads, grouped counts and the days-to-close histogram.
use super::*;
use migration::shared::rollups::SUMS_M15;

/// `CAST(SUM(col) AS BIGINT)`: PostgreSQL sums BIGINT to NUMERIC.
pub(super) fn sum(col: &str) -> String {
    format!("CAST(COALESCE(SUM({col}), 0) AS BIGINT)")
}

/// The sums [`counts_at`] reads, in its order: those of migration 8, then [`SUMS_M15`].
pub(super) fn counts_cols() -> String {
    let mut cols = vec![
        sum("n"),
        sum("timely_known"),
        sum("timely_yes"),
        sum("CASE WHEN status = 'closed' THEN n ELSE 0 END"),
        sum("CASE WHEN status = 'closed' THEN resolved ELSE 0 END"),
    ];
    cols.extend(SUMS_M15.iter().map(|c| sum(c)));
    cols.join(", ")
}

/// WHERE clause over a rollup table and its bound values, `$1`… in order.
pub(super) fn where_clause(
    f: &Filter,
    with_status: bool,
    with_obstacle: bool,
) -> (String, Vec<Value>) {
    let mut parts = vec!["month >= $1".to_string(), "month <= $2".to_string()];
    let mut values: Vec<Value> = vec![f.from.code().into(), f.to.code().into()];
    let mut add = |col: &str, v: Value, values: &mut Vec<Value>| {
        values.push(v);
        parts.push(format!("{col} = ${}", values.len()));
    };
    if let Some(s) = &f.sector {
        add("sector", s.clone().into(), &mut values);
    }
    if let Some(c) = f.company {
        add("company_id", c.into(), &mut values);
    }
    if let Some(p) = &f.province {
        add("province", p.clone().into(), &mut values);
    }
    if with_obstacle {
        if let Some(o) = &f.obstacle {
            add("obstacle_code", o.clone().into(), &mut values);
        }
    }
    if with_status {
        let list: Vec<String> = PUBLISHED.iter().map(|s| format!("'{s}'")).collect();
        parts.push(format!("status IN ({})", list.join(", ")));
    }
    (parts.join(" AND "), values)
}

/// The complaint-level rollup for this filter: per-code rows when an obstacle is chosen.
pub(super) fn source(f: &Filter) -> &'static str {
    if f.obstacle.is_some() {
        "rollup_obstacles"
    } else {
        "rollup_complaints"
    }
}

pub(crate) async fn query(
    db: &impl ConnectionTrait,
    sql: String,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, DbErr> {
    db.query_all(stmt(db.get_database_backend(), &sql, values))
        .await
}

pub(super) fn counts_at(r: &QueryResult, i: usize) -> Result<Counts, DbErr> {
    let mut categories = [0i64; 6];
    for (k, c) in categories.iter_mut().enumerate() {
        *c = r.try_get_by_index(i + 10 + k)?;
    }
    Ok(Counts {
        complaints: r.try_get_by_index(i)?,
        timely_known: r.try_get_by_index(i + 1)?,
        timely_yes: r.try_get_by_index(i + 2)?,
        closed: r.try_get_by_index(i + 3)?,
        resolved: r.try_get_by_index(i + 4)?,
        no_response: r.try_get_by_index(i + 5)?,
        answered: r.try_get_by_index(i + 6)?,
        feedback_known: r.try_get_by_index(i + 7)?,
        satisfied: r.try_get_by_index(i + 8)?,
        disputed: r.try_get_by_index(i + 9)?,
        categories,
    })
}

/// Complaint counts grouped by one key column (text or number), largest first.
pub(super) async fn grouped(
    db: &impl ConnectionTrait,
    f: &Filter,
    key: &str,
) -> Result<Vec<(String, Counts)>, DbErr> {
    let (w, v) = where_clause(f, true, true);
    let sql = format!(
        "SELECT {key}, {} FROM {} WHERE {w} GROUP BY {key}",
        counts_cols(),
        source(f)
    );
    let mut out = Vec::new();
    for r in query(db, sql, v).await? {
        let k = match r.try_get_by_index::<String>(0) {
            Ok(s) => s,
            Err(_) => r.try_get_by_index::<i64>(0)?.to_string(),
        };
        out.push((k, counts_at(&r, 1)?));
    }
    out.sort_by(|a, b| {
        b.1.complaints
            .cmp(&a.1.complaints)
            .then_with(|| a.0.cmp(&b.0))
    });
    Ok(out)
}

/// Closing-time histograms `(days, complaints)` per company, and in total.
pub(super) async fn close_days(
    db: &impl ConnectionTrait,
    f: &Filter,
) -> Result<(BTreeMap<i64, Vec<(i64, i64)>>, Vec<(i64, i64)>), DbErr> {
    let (w, v) = where_clause(f, false, false);
    let sql = format!(
        "SELECT company_id, days, {} FROM rollup_close_days WHERE {w} GROUP BY company_id, days",
        sum("n")
    );
    let mut per: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    let mut all: BTreeMap<i64, i64> = BTreeMap::new();
    for r in query(db, sql, v).await? {
        let company: i64 = r.try_get_by_index(0)?;
        let days: i64 = match r.try_get_by_index::<i64>(1) {
            Ok(d) => d,
            Err(_) => i64::from(r.try_get_by_index::<i32>(1)?),
        };
        let n: i64 = r.try_get_by_index(2)?;
        per.entry(company).or_default().push((days, n));
        *all.entry(days).or_default() += n;
    }
    Ok((per, all.into_iter().collect()))
}
