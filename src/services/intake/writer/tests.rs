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
