//! The rollup tables behind every statistic are maintained by database triggers (defined in
//! `migration::shared::rollups`). This module checks them against a recount from the base tables
//! and rebuilds them if they ever drifted (e.g. after a restore that skipped triggers); [`bulk`]
//! suspends and resumes them around a bulk load.
use sea_orm::{ConnectionTrait, DbErr, QueryResult, Statement, TransactionTrait};

use migration::shared::rollups::{self as def, CURRENT, TABLES};

mod bulk;

pub use bulk::{repair_suspended, resume_after_bulk, suspend_for_bulk};

/// One rollup row: key columns as text, summed columns as numbers.
type Row = (Vec<String>, Vec<i64>);

fn decode(r: &QueryResult, keys: usize, sums: usize) -> Result<Row, DbErr> {
    let mut k = Vec::with_capacity(keys);
    for i in 0..keys {
        // Keys are text except company_id and days; read numbers as numbers.
        let v = match r.try_get_by_index::<String>(i) {
            Ok(s) => s,
            Err(_) => r
                .try_get_by_index::<i64>(i)
                .or_else(|_| r.try_get_by_index::<i32>(i).map(i64::from))?
                .to_string(),
        };
        k.push(v);
    }
    let mut s = Vec::with_capacity(sums);
    for i in keys..keys + sums {
        s.push(r.try_get_by_index::<i64>(i)?);
    }
    Ok((k, s))
}

async fn rows(
    db: &impl ConnectionTrait,
    sql: String,
    keys: usize,
    sums: usize,
) -> Result<Vec<Row>, DbErr> {
    let stmt = Statement::from_string(db.get_database_backend(), sql);
    let mut out: Vec<Row> = db
        .query_all(stmt)
        .await?
        .iter()
        .map(|r| decode(r, keys, sums))
        .collect::<Result<_, _>>()?;
    out.retain(|(_, s)| s.iter().any(|v| *v != 0));
    out.sort();
    Ok(out)
}

/// The tables whose rollup differs from a recount of the base tables (empty when consistent).
pub async fn mismatches(db: &impl ConnectionTrait) -> Result<Vec<&'static str>, DbErr> {
    let b = db.get_database_backend();
    let mut bad = Vec::new();
    for (table, keys, sums) in TABLES {
        let Some(recount) = def::recount_sql(b, CURRENT, table) else {
            continue;
        };
        let cast: Vec<String> = sums
            .iter()
            .map(|s| format!("CAST({s} AS BIGINT)"))
            .collect();
        let stored = format!(
            "SELECT {}, {} FROM {table}",
            keys.join(", "),
            cast.join(", ")
        );
        let a = rows(db, stored, keys.len(), sums.len()).await?;
        let r = rows(db, recount, keys.len(), sums.len()).await?;
        if a != r {
            bad.push(*table);
        }
    }
    Ok(bad)
}

/// Whether every rollup equals a recount from the base tables.
pub async fn recount_matches(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(mismatches(db).await?.is_empty())
}

/// Recomputes every rollup from the base tables, in one transaction.
pub async fn rebuild(db: &sea_orm::DatabaseConnection) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    def::rebuild(&txn, CURRENT).await?;
    txn.commit().await
}
