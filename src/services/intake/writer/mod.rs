//! Writing new complaints and the rows that belong to them with as few round trips as the
//! backend allows: filings queue for one writer task ([`Filings`]), which commits whatever has
//! queued in one transaction. On SQLite that transaction goes to the single writer connection as
//! one batch (one message to its worker thread instead of one per statement, so the writer is not
//! left idle while a filing task waits its turn on a busy runtime) and the rows that belong to a
//! complaint find its id by its tracking code; PostgreSQL cannot batch statements with
//! parameters, so there each filing is one statement whose `WITH` parts insert the complaint and
//! the rows that take its id from there.
mod commit;
mod statements;
use sea_orm::sea_query::{InsertStatement, Query, SimpleExpr, SubQueryStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, IdenStatic, Iterable, RuntimeErr, Statement,
};

use crate::entities::complaint;
use commit::{commit, shift_placeholders, Outcome};
use migration::shared::rollups::{add_complaints_sql, TABLES, WRITER_ADDS_SETTING};
use statements::{complaint_insert, NEW_COMPLAINT};
pub use statements::{insert_rows, Owner};

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

#[cfg(test)]
mod tests;
