//! Writing new complaints and the rows that belong to them with as few round trips as the
//! backend allows: filings queue for one writer task ([`Filings`]), which commits whatever has
//! queued in one transaction. On SQLite that transaction goes to the single writer connection as
//! one batch (one message to its worker thread instead of one per statement, so the writer is not
//! left idle while a filing task waits its turn on a busy runtime) and the rows that belong to a
//! complaint find its id by its tracking code; PostgreSQL cannot batch statements with
//! parameters, so there each filing is one statement whose `WITH` parts insert the complaint and
//! the rows that take its id from there.
use sea_orm::sea_query::{InsertStatement, Query, SimpleExpr, SubQueryStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, IdenStatic, Iterable, RuntimeErr, Statement,
};

use crate::entities::complaint;
use migration::shared::rollups::{add_complaints_sql, TABLES, WRITER_ADDS_SETTING};

/// One multi-row INSERT of `rows` (which must set the same columns, `complaint_id` among them),
/// or `None` for no rows. The `complaint_id` column takes the id from `owner`, not from the rows.
pub fn insert_rows<A>(rows: Vec<A>, owner: Owner) -> Option<InsertStatement>
where
    A: ActiveModelTrait,
{
    let id = match owner {
        Owner::Code(code) => id_of(code),
        Owner::New => SimpleExpr::Custom(format!("(SELECT id FROM {NEW_COMPLAINT})")),
    };
    insert_rows_with(rows, &[("complaint_id", id)])
}

/// Where rows that belong to a complaint take its id from.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    /// The complaint with this tracking code, looked up by the statement (SQLite's batch,
    /// where the complaint's insert is an earlier statement).
    Code(&'a str),
    /// The complaint inserted by the `WITH` part [`NEW_COMPLAINT`] of the same statement
    /// (PostgreSQL, where a sibling part's rows are visible only through its `RETURNING`).
    New,
}

/// Name of the `WITH` part that inserts the complaint in PostgreSQL's one-statement filing.
const NEW_COMPLAINT: &str = "new_complaint";

/// [`insert_rows`] with the value of each column named in `subst` replaced by an expression.
fn insert_rows_with<A>(rows: Vec<A>, subst: &[(&str, SimpleExpr)]) -> Option<InsertStatement>
where
    A: ActiveModelTrait,
{
    let first = rows.first()?;
    let columns: Vec<<A::Entity as EntityTrait>::Column> =
        <A::Entity as EntityTrait>::Column::iter()
            .filter(|c| first.get(*c).is_set())
            .collect();
    let mut q = Query::insert();
    q.into_table(A::Entity::default()).columns(columns.clone());
    for row in &rows {
        let values: Vec<SimpleExpr> = columns
            .iter()
            .map(
                |c| match subst.iter().find(|(name, _)| *name == c.as_str()) {
                    Some((_, expr)) => expr.clone(),
                    None => match row.get(*c).into_value() {
                        Some(v) => SimpleExpr::Value(v),
                        None => SimpleExpr::Custom("NULL".into()),
                    },
                },
            )
            .collect();
        q.values_panic(values);
    }
    Some(q)
}

/// `(SELECT id FROM complaints WHERE tracking_code = ?)`.
fn id_of(code: &str) -> SimpleExpr {
    SimpleExpr::SubQuery(
        None,
        Box::new(SubQueryStatement::SelectStatement(
            Query::select()
                .column(complaint::Column::Id)
                .from(complaint::Entity)
                .and_where(complaint::Column::TrackingCode.eq(code))
                .to_owned(),
        )),
    )
}

/// The INSERT of complaint `row`, linked to the directory company whose name or alias
/// normalises to `company_norm` (looked up by the statement; none if there is none).
fn complaint_insert(
    backend: DatabaseBackend,
    mut row: complaint::ActiveModel,
    company_norm: &str,
) -> InsertStatement {
    use sea_orm::sea_query::Expr;
    row.company_id = sea_orm::Set(None);
    let lookup = match backend {
        DatabaseBackend::Postgres => Expr::cust_with_values(
            crate::services::intake::company_lookup_sql("$1", "$1"),
            [company_norm],
        ),
        _ => Expr::cust_with_values(
            crate::services::intake::company_lookup_sql("?", "?"),
            [company_norm, company_norm],
        ),
    };
    insert_rows_with(vec![row], &[("company_id", lookup)]).expect("one row")
}

/// The filing writer: filings queue here and a single task commits whatever has queued in one
/// transaction on one connection (group commit). A burst of concurrent filings then costs one
/// hand-over of the connection and one commit instead of one each (and on SQLite one round trip:
/// the group goes as one batch). If a group fails (one of its filings is refused, say a
/// tracking-code collision), it is rolled back whole and its filings are retried one
/// transaction each, so each gets its own answer. A filing, once queued, is written even if
/// the client goes away (the task, not the request, owns it).
#[derive(Clone)]
pub struct Filings {
    queue: tokio::sync::mpsc::Sender<Job>,
    groups: std::sync::Arc<std::sync::atomic::AtomicU64>,
    backend: DatabaseBackend,
}

/// One statement, as SQL and values.
type Sql = (String, Vec<sea_orm::Value>);

/// One filing's statements (one of which returns its id and company) and who waits for it.
struct Job {
    statements: Vec<Sql>,
    reply: tokio::sync::oneshot::Sender<Result<(i64, Option<i64>), DbErr>>,
}

/// Most filings committed in one transaction.
const MAX_GROUP: usize = 64;

/// The connection pool the writer task takes its connection from.
#[derive(Clone)]
enum Pool {
    Sqlite(sea_orm::sqlx::SqlitePool),
    Postgres(sea_orm::sqlx::PgPool),
}

impl Filings {
    /// Starts the writer task.
    pub fn start(write: &DatabaseConnection) -> Filings {
        let groups = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let pool = match write.get_database_backend() {
            DatabaseBackend::Postgres => {
                Pool::Postgres(write.get_postgres_connection_pool().clone())
            }
            _ => Pool::Sqlite(write.get_sqlite_connection_pool().clone()),
        };
        let (tx, rx) = tokio::sync::mpsc::channel::<Job>(1024);
        tokio::spawn(group_commit(pool, rx, groups.clone()));
        Filings {
            queue: tx,
            groups,
            backend: write.get_database_backend(),
        }
    }

    /// How the rows of a filing with tracking code `code` find their complaint: pass it to
    /// [`insert_rows`] for the `dependents` of [`Filings::file`].
    pub fn owner<'a>(&self, code: &'a str) -> Owner<'a> {
        match self.backend {
            DatabaseBackend::Postgres => Owner::New,
            _ => Owner::Code(code),
        }
    }

    /// Transactions committed by the writer task so far (each holding one or more filings).
    pub fn groups_committed(&self) -> u64 {
        self.groups.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Files complaint `row` (tracking code `code`) with the `dependents` built by
    /// [`insert_rows`]`(…, self.owner(code))`, and returns the complaint's id and directory company
    /// (see [`complaint_insert`]).
    pub async fn file(
        &self,
        row: complaint::ActiveModel,
        company_norm: &str,
        code: &str,
        dependents: Vec<InsertStatement>,
    ) -> Result<(i64, Option<i64>), DbErr> {
        let backend = self.backend;
        let mut insert = complaint_insert(backend, row, company_norm);
        let statements = if backend == DatabaseBackend::Postgres {
            // One statement: the complaint's insert as a WITH part that returns the answer,
            // the other rows as further parts taking its id from there.
            insert.returning(
                Query::returning().columns([complaint::Column::Id, complaint::Column::CompanyId]),
            );
            let mut all = vec![insert];
            all.extend(dependents);
            let mut values = Vec::new();
            let mut parts = Vec::new();
            for (i, st) in all.iter().enumerate() {
                let built = backend.build(st);
                let name = if i == 0 {
                    NEW_COMPLAINT.to_string()
                } else {
                    format!("w{i}")
                };
                parts.push(format!(
                    "{name} AS ({})",
                    shift_placeholders(&built.sql, values.len())
                ));
                values.extend(built.values.map(|v| v.0).unwrap_or_default());
            }
            let sql = format!(
                "WITH {} SELECT id, company_id FROM {NEW_COMPLAINT}",
                parts.join(", ")
            );
            vec![(sql, values)]
        } else {
            // One batch: the inserts, then the row of the answer.
            let mut sql = String::new();
            let mut values = Vec::new();
            let mut push = |st: Statement| {
                sql.push_str(&st.sql);
                sql.push_str(";\n");
                values.extend(st.values.map(|v| v.0).unwrap_or_default());
            };
            push(backend.build(&insert));
            for d in &dependents {
                push(backend.build(d));
            }
            push(
                backend.build(
                    Query::select()
                        .columns([complaint::Column::Id, complaint::Column::CompanyId])
                        .from(complaint::Entity)
                        .and_where(complaint::Column::TrackingCode.eq(code)),
                ),
            );
            vec![(sql, values)]
        };
        let (reply, answer) = tokio::sync::oneshot::channel();
        let gone = || DbErr::Custom("the filing writer has stopped".into());
        self.queue
            .send(Job { statements, reply })
            .await
            .map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

async fn group_commit(
    pool: Pool,
    mut queue: tokio::sync::mpsc::Receiver<Job>,
    groups: std::sync::Arc<std::sync::atomic::AtomicU64>,
) {
    while let Some(first) = queue.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let parts: Vec<&[Sql]> = jobs.iter().map(|j| j.statements.as_slice()).collect();
        let answers: Vec<Result<(i64, Option<i64>), DbErr>> = match commit(&pool, &parts).await {
            Outcome::Committed(rows) => {
                groups.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                rows.into_iter().map(Ok).collect()
            }
            Outcome::RolledBack(e) if jobs.len() == 1 => vec![Err(e)],
            Outcome::RolledBack(_) => {
                // Someone in the group was refused: each on its own, for its own answer.
                let mut answers = Vec::with_capacity(jobs.len());
                for part in &parts {
                    answers.push(match commit(&pool, std::slice::from_ref(part)).await {
                        Outcome::Committed(mut rows) => {
                            groups.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            rows.pop().ok_or(DbErr::RecordNotInserted)
                        }
                        Outcome::RolledBack(e) | Outcome::Unknown(e) => Err(e),
                    });
                }
                answers
            }
            // Committed, but the answer could not be read: not to be written again.
            Outcome::Unknown(e) => jobs
                .iter()
                .map(|_| Err(DbErr::Custom(e.to_string())))
                .collect(),
        };
        for (job, answer) in jobs.into_iter().zip(answers) {
            let _ = job.reply.send(answer);
        }
    }
}

/// What became of a group.
enum Outcome {
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
async fn commit(pool: &Pool, parts: &[&[Sql]]) -> Outcome {
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
fn answer<R>(row: &R) -> Result<(i64, Option<i64>), DbErr>
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
fn shift_placeholders(sql: &str, by: usize) -> String {
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

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use sea_orm::{EntityTrait, PaginatorTrait, Set};

    use super::*;
    use crate::entities::complaint_obstacle;
    use crate::store::db::Db;

    fn complaint(code: &str) -> complaint::ActiveModel {
        let now = Utc::now();
        complaint::ActiveModel {
            tracking_code: Set(code.into()),
            evidence_token_hash: Set("x".into()),
            status: Set(crate::domain::Status::Received),
            sector: Set("mobile_telecom".into()),
            company_name: Set("某运营商".into()),
            requested_action: Set("downgrade".into()),
            channels_tried: Set(String::new()),
            narrative: Set("升级一秒钟，降级要去营业厅。".into()),
            consent_share_narrative: Set(false),
            consent_contact_company: Set(false),
            language: Set("zh-CN".into()),
            submitted_via: Set("api".into()),
            spam_reasons: Set(String::new()),
            taxonomy_version: Set("v1".into()),
            received_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            tags: Set(String::new()),
            ..Default::default()
        }
    }

    /// A migrated SQLite database in `dir` and its filing writer.
    async fn fresh(dir: &tempfile::TempDir) -> (Db, Filings) {
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let filings = Filings::start(&db.write);
        (db, filings)
    }

    fn link(code: &str) -> complaint_obstacle::ActiveModel {
        complaint_obstacle::ActiveModel {
            complaint_id: Set(0),
            obstacle_code: Set(code.into()),
            source: Set("consumer".into()),
            score: Set(None),
            evidence: Set(None),
            set_by: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
    }

    #[test]
    fn placeholders_shift_outside_quoted_identifiers() {
        assert_eq!(
            shift_placeholders(r#"INSERT INTO "t$1" ("a", "b") VALUES ($1, $12)"#, 3),
            r#"INSERT INTO "t$1" ("a", "b") VALUES ($4, $15)"#
        );
    }

    #[tokio::test]
    async fn a_batch_commits_whole_or_rolls_back_whole_and_the_writer_stays_usable() {
        let dir = tempfile::tempdir().unwrap();
        let (db, filings) = fresh(&dir).await;
        let deps = |code: &str, obstacle: &str| {
            insert_rows(vec![link(obstacle)], Owner::Code(code))
                .into_iter()
                .collect::<Vec<_>>()
        };
        let (id, company) = filings
            .file(
                complaint("DW-AAAA-2222"),
                "no such company",
                "DW-AAAA-2222",
                deps("DW-AAAA-2222", "HIDDEN-ENTRY"),
            )
            .await
            .unwrap();
        assert_eq!(company, None);
        let links = complaint_obstacle::Entity::find()
            .all(&db.read)
            .await
            .unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].complaint_id, id);

        // A dependent row that fails (no such obstacle code) takes the complaint with it.
        let err = filings
            .file(
                complaint("DW-BBBB-3333"),
                "",
                "DW-BBBB-3333",
                deps("DW-BBBB-3333", "NO-SUCH-CODE"),
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string().to_lowercase().contains("foreign key"),
            "{err}"
        );
        // The same tracking code again: refused as a duplicate, nothing written.
        let err = filings
            .file(
                complaint("DW-AAAA-2222"),
                "",
                "DW-AAAA-2222",
                deps("DW-AAAA-2222", "HIDDEN-ENTRY"),
            )
            .await
            .unwrap_err();
        assert_eq!(
            crate::services::error::unique_violation(&err),
            Some(crate::services::error::UniqueKey::TrackingCode),
            "{err}"
        );
        assert_eq!(complaint::Entity::find().count(&db.read).await.unwrap(), 1);
        assert_eq!(
            complaint_obstacle::Entity::find()
                .count(&db.read)
                .await
                .unwrap(),
            1
        );
        // The single writer connection is not left inside a transaction.
        let (id2, _) = filings
            .file(
                complaint("DW-CCCC-4444"),
                "",
                "DW-CCCC-4444",
                deps("DW-CCCC-4444", "HIDDEN-ENTRY"),
            )
            .await
            .unwrap();
        assert!(id2 > id);
        db.write
            .execute_unprepared("BEGIN; COMMIT;")
            .await
            .expect("no transaction left open");
        assert_eq!(complaint::Entity::find().count(&db.read).await.unwrap(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_filings_share_commits_and_a_refused_one_leaves_the_others_written() {
        let dir = tempfile::tempdir().unwrap();
        let (db, filings) = fresh(&dir).await;
        // Files `n` complaints at once (number `bad` links an obstacle code that does not
        // exist) and returns each one's answer.
        let burst = |from: usize, n: usize, bad: Option<usize>| {
            let filings = filings.clone();
            async move {
                let mut tasks = Vec::new();
                for i in from..from + n {
                    let filings = filings.clone();
                    tasks.push(tokio::spawn(async move {
                        let code = format!("DW-{i:04}-2222");
                        let obstacle = if Some(i) == bad {
                            "NO-SUCH-CODE"
                        } else {
                            "HIDDEN-ENTRY"
                        };
                        let deps = insert_rows(vec![link(obstacle)], Owner::Code(&code))
                            .into_iter()
                            .collect();
                        filings.file(complaint(&code), "", &code, deps).await
                    }));
                }
                let mut answers = Vec::new();
                for t in tasks {
                    answers.push(t.await.unwrap());
                }
                answers
            }
        };
        let answers = burst(0, 40, None).await;
        assert!(answers.iter().all(Result::is_ok));
        // Fewer commits than filings: the queue was committed in groups.
        let commits = filings.groups_committed();
        assert!(commits < 40, "{commits} commits for 40 filings");

        let answers = burst(100, 30, Some(117)).await;
        for (i, a) in answers.iter().enumerate() {
            assert_eq!(a.is_err(), i == 17, "{i}: {a:?}");
        }
        let mut ids: Vec<i64> = answers
            .into_iter()
            .filter_map(Result::ok)
            .map(|(id, _)| id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 29, "every filing got its own id");
        assert_eq!(complaint::Entity::find().count(&db.read).await.unwrap(), 69);
        assert_eq!(
            complaint_obstacle::Entity::find()
                .count(&db.read)
                .await
                .unwrap(),
            69
        );
    }
}
