//! Committing a group of filings in one transaction on the writer connection, and rolling it
//! back whole when one of them fails.
use super::*;

/// What became of a group.
pub(super) enum Outcome {
    /// Written; each filing's (id, company), in order.
    Committed(Vec<(i64, Option<i64>)>),
    /// Nothing written.
    RolledBack(DbErr),
    /// Written, but the answer did not come back as expected.
    Unknown(DbErr),
}

/// Runs the filings `parts` in one transaction: on SQLite as one batch, on PostgreSQL one
/// statement after the other on one connection. On failure the transaction is rolled back on
/// the same connection before it goes back to the pool (and the connection is closed if that
/// fails).
pub(super) async fn commit(pool: &Pool, parts: &[&[Sql]]) -> Outcome {
    let exec = |e| DbErr::Exec(RuntimeErr::SqlxError(e));
    let rows = match pool {
        Pool::Sqlite(pool) => {
            let mut sql = String::from("BEGIN IMMEDIATE;\n");
            let mut values = Vec::new();
            for (part, vals) in parts.iter().flat_map(|p| p.iter()) {
                sql.push_str(part);
                values.extend_from_slice(vals);
            }
            sql.push_str("COMMIT;");
            let mut conn = match pool.acquire().await {
                Ok(conn) => conn,
                Err(e) => return Outcome::RolledBack(DbErr::Conn(RuntimeErr::SqlxError(e))),
            };
            let done = sea_orm::sqlx::query_with(
                &sql,
                sea_query_binder::SqlxValues(sea_orm::sea_query::Values(values)),
            )
            .fetch_all(&mut *conn)
            .await;
            match done {
                Ok(rows) => rows.iter().map(answer).collect::<Vec<_>>(),
                Err(e) => {
                    roll_back(conn).await;
                    return Outcome::RolledBack(exec(e));
                }
            }
        }
        Pool::Postgres(pool) => {
            let mut conn = match pool.acquire().await {
                Ok(conn) => conn,
                Err(e) => return Outcome::RolledBack(DbErr::Conn(RuntimeErr::SqlxError(e))),
            };
            // The rollup insert triggers skip this transaction's rows; the group's complaints
            // are added to the rollups at the end, one upsert per rollup cell.
            static BEGIN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let begin: &'static str = BEGIN.get_or_init(|| {
                format!("BEGIN; SELECT set_config('{WRITER_ADDS_SETTING}', 'on', true)")
            });
            // A query without arguments goes as one simple-protocol message, both statements.
            let begun = sea_orm::sqlx::Executor::execute(&mut *conn, begin).await;
            if let Err(e) = begun {
                roll_back(conn).await;
                return Outcome::RolledBack(exec(e));
            }
            let mut rows = Vec::new();
            for (sql, values) in parts.iter().flat_map(|p| p.iter()) {
                let done = sea_orm::sqlx::query_with(
                    sql,
                    sea_query_binder::SqlxValues(sea_orm::sea_query::Values(values.clone())),
                )
                .fetch_all(&mut *conn)
                .await;
                match done {
                    Ok(r) => rows.extend(r.iter().map(answer)),
                    Err(e) => {
                        roll_back(conn).await;
                        return Outcome::RolledBack(exec(e));
                    }
                }
            }
            let ids: Vec<String> = rows
                .iter()
                .filter_map(|r| r.as_ref().ok().map(|(id, _)| id.to_string()))
                .collect();
            let added = sea_orm::sqlx::query(pg_add_to_rollups())
                .bind(ids.join(","))
                .execute(&mut *conn)
                .await;
            if let Err(e) = added {
                roll_back(conn).await;
                return Outcome::RolledBack(exec(e));
            }
            if let Err(e) = sea_orm::sqlx::query("COMMIT").execute(&mut *conn).await {
                roll_back(conn).await;
                return Outcome::RolledBack(exec(e));
            }
            rows
        }
    };
    if rows.len() != parts.len() {
        return Outcome::Unknown(DbErr::Custom(format!(
            "a group of {} filings returned {} rows",
            parts.len(),
            rows.len()
        )));
    }
    match rows.into_iter().collect::<Result<Vec<_>, DbErr>>() {
        Ok(rows) => Outcome::Committed(rows),
        Err(e) => Outcome::Unknown(e),
    }
}

/// PostgreSQL: one statement adding the complaints whose ids `$1` lists (comma-separated) to
/// every rollup table, each cell once, in key order.
fn pg_add_to_rollups() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let ids = "string_to_array($1, ',')::bigint[]";
        let parts: Vec<String> = TABLES
            .iter()
            .enumerate()
            .map(|(i, (table, _, _))| {
                let add = add_complaints_sql(table, ids).expect("a rollup table");
                format!("r{i} AS ({add})")
            })
            .collect();
        format!("WITH {} SELECT 1", parts.join(", "))
    })
}

/// The (id, company) of one answer row.
pub(super) fn answer<R>(row: &R) -> Result<(i64, Option<i64>), DbErr>
where
    R: sea_orm::sqlx::Row,
    usize: sea_orm::sqlx::ColumnIndex<R>,
    i64: for<'r> sea_orm::sqlx::Decode<'r, R::Database> + sea_orm::sqlx::Type<R::Database>,
{
    let get = |e| DbErr::Query(RuntimeErr::SqlxError(e));
    Ok((
        row.try_get::<i64, _>(0).map_err(get)?,
        row.try_get::<Option<i64>, _>(1).map_err(get)?,
    ))
}

/// Ends a failed transaction on `conn` before the connection goes back to its pool; a
/// connection where that fails too is closed instead of reused.
async fn roll_back<DB: sea_orm::sqlx::Database>(mut conn: sea_orm::sqlx::pool::PoolConnection<DB>)
where
    for<'c> &'c mut DB::Connection: sea_orm::sqlx::Executor<'c, Database = DB>,
    for<'q> <DB as sea_orm::sqlx::Database>::Arguments<'q>: sea_orm::sqlx::IntoArguments<'q, DB>,
{
    use sea_orm::sqlx::Connection;
    if let Err(e) = sea_orm::sqlx::query::<DB>("ROLLBACK")
        .execute(&mut *conn)
        .await
    {
        // "no transaction is active" when BEGIN itself failed; anything else leaves the
        // connection in doubt.
        if !e.to_string().contains("no transaction") {
            let _ = conn.detach().close().await;
        }
    }
}

/// `sql` (PostgreSQL, as sea-query writes it: values only as `$n` placeholders, identifiers
/// in double quotes) with every placeholder `$n` renumbered `$(n + by)`.
pub(super) fn shift_placeholders(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if c == '"' {
            quoted = !quoted;
        }
        if c == '$' && !quoted && chars.peek().is_some_and(char::is_ascii_digit) {
            let mut n = 0usize;
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                n = n * 10 + d as usize;
                chars.next();
            }
            out.push_str(&format!("${}", n + by));
        } else {
            out.push(c);
        }
    }
    out
}
