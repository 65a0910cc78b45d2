//! Writing a new complaint and the rows that belong to it with as few round trips as the
//! backend allows. On SQLite the whole transaction goes to the single writer as one batch (one
//! message to its worker thread instead of one per statement, so the writer is not left idle
//! while the filing task waits its turn on a busy runtime); the rows that belong to the
//! complaint find its id by its tracking code. PostgreSQL cannot batch statements with
//! parameters, so there the complaint's id comes back from its insert and the other rows
//! follow one statement each.
use sea_orm::sea_query::{InsertStatement, Query, SimpleExpr, SubQueryStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, IdenStatic, Iterable, QueryTrait, RuntimeErr, Statement,
};

use crate::entities::complaint;

/// One multi-row INSERT of `rows` (which must set the same columns), or `None` for no rows.
/// With `by_code`, the `complaint_id` column is not the rows' value but the id of the complaint
/// with that tracking code, looked up by the statement itself.
pub fn insert_rows<A>(rows: Vec<A>, by_code: Option<&str>) -> Option<InsertStatement>
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
            .map(|c| match by_code {
                Some(code) if c.as_str() == "complaint_id" => id_of(code),
                _ => match row.get(*c).into_value() {
                    Some(v) => SimpleExpr::Value(v),
                    None => SimpleExpr::Custom("NULL".into()),
                },
            })
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

/// SQLite: inserts the complaint `row` (tracking code `code`) and the `dependents` built with
/// [`insert_rows`]`(…, Some(code))` in one transaction sent as one batch (`BEGIN IMMEDIATE` …
/// `COMMIT`), and returns the complaint's id. The writer connection is held for one round trip
/// instead of one per statement. The batch runs in its own task, so a client that goes away
/// cannot cancel it half-way; if a statement fails, the transaction is rolled back on the same
/// connection before it goes back to the pool (and the connection is closed if that fails).
pub async fn file_sqlite(
    write: &DatabaseConnection,
    row: complaint::ActiveModel,
    code: &str,
    dependents: Vec<InsertStatement>,
) -> Result<i64, DbErr> {
    let backend = DatabaseBackend::Sqlite;
    let mut sql = String::from("BEGIN IMMEDIATE;\n");
    let mut values = Vec::new();
    let mut push = |st: Statement| {
        sql.push_str(&st.sql);
        sql.push_str(";\n");
        values.extend(st.values.map(|v| v.0).unwrap_or_default());
    };
    push(backend.build(&complaint::Entity::insert(row).into_query()));
    for d in &dependents {
        push(backend.build(d));
    }
    push(
        backend.build(
            Query::select()
                .column(complaint::Column::Id)
                .from(complaint::Entity)
                .and_where(complaint::Column::TrackingCode.eq(code)),
        ),
    );
    sql.push_str("COMMIT;");
    let pool = write.get_sqlite_connection_pool().clone();
    let task = tokio::spawn(async move {
        use sea_orm::sqlx::{self, Row};
        let mut conn = pool
            .acquire()
            .await
            .map_err(|e| DbErr::Conn(RuntimeErr::SqlxError(e)))?;
        match sqlx::query_with(
            &sql,
            sea_query_binder::SqlxValues(sea_orm::sea_query::Values(values)),
        )
        .fetch_all(&mut *conn)
        .await
        {
            Ok(rows) => rows
                .last()
                .ok_or(DbErr::RecordNotInserted)?
                .try_get::<i64, _>(0)
                .map_err(|e| DbErr::Query(RuntimeErr::SqlxError(e))),
            Err(e) => {
                let still_open = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                if let Err(rollback) = still_open {
                    // "no transaction is active" when BEGIN itself failed; anything else
                    // leaves the connection in doubt, so it is not reused.
                    if !rollback.to_string().contains("no transaction") {
                        let _ = conn.close().await;
                    }
                }
                Err(DbErr::Exec(RuntimeErr::SqlxError(e)))
            }
        }
    });
    task.await
        .map_err(|e| DbErr::Custom(format!("filing task failed: {e}")))?
}

/// Runs `statements` one after the other.
pub async fn run(
    txn: &impl ConnectionTrait,
    statements: Vec<InsertStatement>,
) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    for st in &statements {
        txn.execute(backend.build(st)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use sea_orm::{EntityTrait, PaginatorTrait, Set};

    use super::*;
    use crate::db::Db;
    use crate::entities::complaint_obstacle;

    fn complaint(code: &str) -> complaint::ActiveModel {
        let now = Utc::now();
        complaint::ActiveModel {
            tracking_code: Set(code.into()),
            evidence_token_hash: Set("x".into()),
            status: Set("received".into()),
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

    #[tokio::test]
    async fn a_batch_commits_whole_or_rolls_back_whole_and_the_writer_stays_usable() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let deps = |code: &str, obstacle: &str| {
            insert_rows(vec![link(obstacle)], Some(code))
                .into_iter()
                .collect::<Vec<_>>()
        };
        let id = file_sqlite(
            &db.write,
            complaint("DW-AAAA-2222"),
            "DW-AAAA-2222",
            deps("DW-AAAA-2222", "HIDDEN-ENTRY"),
        )
        .await
        .unwrap();
        let links = complaint_obstacle::Entity::find()
            .all(&db.read)
            .await
            .unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].complaint_id, id);

        // A dependent row that fails (no such obstacle code) takes the complaint with it.
        let err = file_sqlite(
            &db.write,
            complaint("DW-BBBB-3333"),
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
        let err = file_sqlite(
            &db.write,
            complaint("DW-AAAA-2222"),
            "DW-AAAA-2222",
            deps("DW-AAAA-2222", "HIDDEN-ENTRY"),
        )
        .await
        .unwrap_err();
        assert!(err.to_string().to_lowercase().contains("unique"), "{err}");
        assert_eq!(complaint::Entity::find().count(&db.read).await.unwrap(), 1);
        assert_eq!(
            complaint_obstacle::Entity::find()
                .count(&db.read)
                .await
                .unwrap(),
            1
        );
        // The single writer connection is not left inside a transaction.
        let id2 = file_sqlite(
            &db.write,
            complaint("DW-CCCC-4444"),
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
}
