//! SQLite's bulk insert for `seed-demo`: rows go in through one prepared `INSERT` per table on
//! a rusqlite connection, each value bound straight from the entity's active model. Through
//! sea-orm every batch became multi-row `INSERT` text with tens of thousands of bind values,
//! built on one thread and handed value by value to sqlx's SQLite worker thread; here the
//! thread that owns the connection binds and steps, and nothing else is built per row.
//!
//! Values are stored exactly as sqlx's SQLite driver stores them (timestamps as RFC 3339 text,
//! dates as `YYYY-MM-DD`, booleans as 0/1), so rows loaded here and rows written by the app
//! compare and sort alike; a test checks both ways give the same bytes.
use sea_orm::sea_query::Value;
use sea_orm::{ActiveModelTrait, IdenStatic};

/// `v` as sqlx's SQLite driver binds it; `Err(v)` for a value it has no form for.
pub fn to_sqlite(v: Value) -> Result<rusqlite::types::Value, Value> {
    use rusqlite::types::Value as V;
    fn int(n: Option<i64>) -> V {
        n.map_or(V::Null, V::Integer)
    }
    Ok(match v {
        Value::Bool(b) => int(b.map(i64::from)),
        Value::TinyInt(n) => int(n.map(i64::from)),
        Value::SmallInt(n) => int(n.map(i64::from)),
        Value::Int(n) => int(n.map(i64::from)),
        Value::BigInt(n) => int(n),
        Value::TinyUnsigned(n) => int(n.map(i64::from)),
        Value::SmallUnsigned(n) => int(n.map(i64::from)),
        Value::Unsigned(n) => int(n.map(i64::from)),
        Value::BigUnsigned(Some(n)) if n > i64::MAX as u64 => return Err(v),
        Value::BigUnsigned(n) => int(n.map(|n| n as i64)),
        Value::Float(n) => n.map_or(V::Null, |n| V::Real(f64::from(n))),
        Value::Double(n) => n.map_or(V::Null, V::Real),
        Value::String(s) => s.map_or(V::Null, |s| V::Text(*s)),
        Value::Char(c) => c.map_or(V::Null, |c| V::Text(c.to_string())),
        Value::Json(j) => j.map_or(V::Null, |j| V::Text(j.to_string())),
        Value::ChronoDate(d) => d.map_or(V::Null, |d| V::Text(d.format("%F").to_string())),
        Value::ChronoDateTimeUtc(t) => t.map_or(V::Null, |t| {
            V::Text(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false))
        }),
        other => return Err(other),
    })
}

/// Inserts `rows` into their table on `conn` (inside the caller's transaction), one prepared
/// statement for all of them. The first row decides which columns are sent; every row must set
/// the same ones (as for a multi-row `INSERT`). Returns the number of rows inserted.
pub fn insert_all<A>(conn: &rusqlite::Connection, rows: Vec<A>) -> anyhow::Result<usize>
where
    A: ActiveModelTrait,
{
    let Some(first) = rows.first() else {
        return Ok(0);
    };
    let (columns, target) = crate::store::sql::bulk_target(first);
    let sql = format!(
        "INSERT INTO {target} VALUES ({})",
        vec!["?"; columns.len()].join(", ")
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let n = rows.len();
    for mut row in rows {
        for (i, c) in columns.iter().enumerate() {
            let value = match row.take(*c).into_value() {
                Some(v) => to_sqlite(v).map_err(|v| {
                    anyhow::anyhow!("column {}: no SQLite form for {v:?}", c.as_str())
                })?,
                None => anyhow::bail!("column {} is set in the first row only", c.as_str()),
            };
            statement.raw_bind_parameter(i + 1, value)?;
        }
        statement.raw_execute()?;
    }
    Ok(n)
}
