use super::codes::{assign_tracking_codes, new_codes, replace_taken};
use super::*;
use crate::store::db::Db;

async fn count(db: &Db, sql: &str) -> i64 {
    let row = db
        .read
        .query_one(Statement::from_string(db.backend(), sql.to_string()))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[test]
fn taken_codes_are_replaced_by_fresh_distinct_ones() {
    let mut codes = new_codes(50, &|_| false);
    let before = codes.clone();
    let taken: HashSet<String> = [before[3].clone(), before[40].clone()].into();
    let fresh = replace_taken(&mut codes, &taken);
    assert_eq!(fresh, vec![codes[3].clone(), codes[40].clone()]);
    for (i, (now, was)) in codes.iter().zip(&before).enumerate() {
        assert_eq!(now == was, i != 3 && i != 40, "{i}");
    }
    let distinct: HashSet<&String> = codes.iter().chain(&before).collect();
    assert_eq!(distinct.len(), 52);
    assert!(replace_taken(&mut codes, &HashSet::new()).is_empty());
}

async fn fresh_db(dir: &tempfile::TempDir) -> Db {
    let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    db
}

/// Every value of every column in `table`, in id order, as SQLite stores it.
fn dump(path: &std::path::Path, table: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut st = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
        .unwrap();
    let n = st.column_count();
    st.query_map([], |r| {
        (0..n)
            .map(|i| r.get::<_, rusqlite::types::Value>(i))
            .collect()
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[tokio::test]
async fn the_sqlite_loader_stores_every_value_as_sea_orm_does() {
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let (by_orm, by_loader) = (fresh_db(&dirs[0]).await, fresh_db(&dirs[1]).await);
    let (directory, _) = ensure_companies(&by_orm.write).await.unwrap();
    assert_eq!(
        ensure_companies(&by_loader.write).await.unwrap().0.len(),
        directory.len()
    );
    let known: HashSet<String> = obstacle::Entity::find()
        .all(&by_orm.read)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.code)
        .collect();
    assert!(known.len() >= 16);
    let mut gen = Generator::new(directory, &known, Calendar::new([]), Utc::now());
    let mut ids = Ids {
        complaint: 1,
        link: 1,
        history: 1,
    };
    let mut batch = gen.batch(&mut ids, 0..300, 300);
    assign_tracking_codes(&mut batch.complaints, new_codes(300, &|_| false), |_| {
        Ok(HashSet::new())
    })
    .unwrap();
    assert!(batch.links.len() > 300 && batch.history.len() > 300);

    let w = &by_orm.write;
    complaint::Entity::insert_many(batch.complaints.clone())
        .exec_without_returning(w)
        .await
        .unwrap();
    complaint_obstacle::Entity::insert_many(batch.links.clone())
        .exec_without_returning(w)
        .await
        .unwrap();
    status_history::Entity::insert_many(batch.history.clone())
        .exec_without_returning(w)
        .await
        .unwrap();

    let file = crate::services::exports::sqlite::database_file(&by_loader.write).unwrap();
    let mut conn = rusqlite::Connection::open(&file).unwrap();
    let tx = conn.transaction().unwrap();
    use crate::store::sqlite_load::insert_all;
    assert_eq!(insert_all(&tx, batch.complaints).unwrap(), 300);
    insert_all(&tx, batch.links).unwrap();
    insert_all(&tx, batch.history).unwrap();
    tx.commit().unwrap();

    let orm_file = crate::services::exports::sqlite::database_file(w).unwrap();
    for table in ["complaints", "complaint_obstacles", "status_history"] {
        let (orm, loaded) = (dump(&orm_file, table), dump(&file, table));
        assert!(!orm.is_empty(), "{table}");
        assert_eq!(orm.len(), loaded.len(), "{table}");
        for (a, b) in orm.iter().zip(&loaded) {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_eq!(x, y, "{table}, row id {:?}, column {i}", a[0]);
            }
        }
    }
}

#[tokio::test]
async fn seeding_fills_two_skewed_years_and_a_second_run_adds_no_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(&dir).await;
    let cues = CompiledCues::from_seed();
    let bar = indicatif::ProgressBar::hidden();
    let report = seed_demo(&db, &cues, 2000, &bar).await.unwrap();
    println!("seeded 2000 synthetic complaints in {:?}", report.elapsed);
    assert_eq!(
        (report.reference_cases, report.synthetic, report.companies),
        (4, 2000, text::COMPANIES.len())
    );
    assert_eq!(bar.position(), 2000);

    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM complaints").await,
        2004
    );
    let orphan = "SELECT COUNT(*) AS n FROM complaints c WHERE NOT EXISTS";
    assert_eq!(
        count(
            &db,
            &format!("{orphan} (SELECT 1 FROM status_history h WHERE h.complaint_id = c.id)")
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &db,
            &format!("{orphan} (SELECT 1 FROM complaint_obstacles o WHERE o.complaint_id = c.id)")
        )
        .await,
        0
    );
    // The latest history row is the current status, for every complaint.
    let off_path = "SELECT COUNT(*) AS n FROM complaints c WHERE c.status <> (SELECT h.to_status FROM status_history h \
                    WHERE h.complaint_id = c.id ORDER BY h.created_at DESC, h.id DESC LIMIT 1)";
    assert_eq!(count(&db, off_path).await, 0);
    // Accepted and later cases carry reviewer codes and a primary obstacle.
    let unreviewed = "SELECT COUNT(*) AS n FROM complaints c WHERE c.status IN ('accepted','forwarded','responded') \
                      AND (c.primary_obstacle IS NULL OR NOT EXISTS (SELECT 1 FROM complaint_obstacles o \
                      WHERE o.complaint_id = c.id AND o.source = 'reviewer'))";
    assert_eq!(count(&db, unreviewed).await, 0);
    assert!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM complaints WHERE status = 'closed' AND outcome IS NULL"
        )
        .await
            == 0
    );
    assert!(count(&db, "SELECT COUNT(DISTINCT status) AS n FROM complaints").await >= 7);
    // Every status change is one the case workflow allows, and the workflow columns agree
    // (rows that keep the status, such as the referral's, are timeline notes, not changes).
    let pairs = status_history::Entity::find().all(&db.read).await.unwrap();
    for h in pairs
        .iter()
        .filter(|h| h.from_status.is_some() && h.from_status != Some(h.to_status))
    {
        let from = h.from_status.unwrap();
        let to = h.to_status;
        let legal = crate::domain::workflow::Step::ALL
            .iter()
            .any(|s| s.target() == to && crate::domain::workflow::transition(from, *s).is_ok());
        assert!(legal, "{from} -> {to}");
    }
    for sql in [
        "SELECT COUNT(*) AS n FROM complaints WHERE status = 'closed' AND closed_at IS NULL",
        "SELECT COUNT(*) AS n FROM complaints WHERE status = 'responded' \
         AND (response_timely IS NULL OR company_response IS NULL)",
        "SELECT COUNT(*) AS n FROM complaints WHERE status = 'forwarded' AND response_due_on IS NULL",
        "SELECT COUNT(*) AS n FROM complaints WHERE status = 'rejected' AND rejection_reason IS NULL",
        "SELECT COUNT(*) AS n FROM complaints WHERE review_due_on IS NULL",
        "SELECT COUNT(*) AS n FROM complaints c JOIN complaints t ON t.id = c.duplicate_of \
         WHERE t.status = 'duplicate' OR t.id >= c.id",
    ] {
        assert_eq!(count(&db, sql).await, 0, "{sql}");
    }

    let rows = complaint::Entity::find().all(&db.read).await.unwrap();
    let first = rows.iter().map(|c| c.received_at).min().unwrap();
    let last = rows.iter().map(|c| c.received_at).max().unwrap();
    assert!(last - first > Duration::days(18 * 30), "{first} .. {last}");
    assert!(last <= Utc::now());
    for c in rows
        .iter()
        .filter(|c| !REFERENCE_CODES.contains(&c.tracking_code.as_str()))
    {
        let len = c.narrative.chars().count();
        assert!((150..=600).contains(&len), "{len}: {}", c.narrative);
        assert!(!c.narrative.contains('{'), "{}", c.narrative);
        assert!(TrackingCode::parse(&c.tracking_code).is_some());
        if let Some(p) = &c.contact_phone {
            assert_eq!(crate::domain::parse_mobile(p).as_deref(), Some(p.as_str()));
        }
    }

    let mut per_company: HashMap<i64, usize> = HashMap::new();
    for id in rows.iter().filter_map(|c| c.company_id) {
        *per_company.entry(id).or_default() += 1;
    }
    let mut counts: Vec<usize> = per_company.into_values().collect();
    counts.sort_unstable();
    let (top, median) = (counts[counts.len() - 1], counts[counts.len() / 2]);
    assert!(top > 3 * median, "top {top}, median {median}");
    let province = |code: &str| {
        rows.iter()
            .filter(|c| c.province.as_deref() == Some(code))
            .count()
    };
    assert!(
        province("440000") > 5 * province("540000").max(1),
        "Guangdong vs Tibet"
    );
    assert!(
        province("410000") > 3 * province("630000").max(1),
        "Henan vs Qinghai"
    );

    let refs = complaint::Entity::find()
        .filter(complaint::Column::TrackingCode.is_in(REFERENCE_CODES))
        .all(&db.read)
        .await
        .unwrap();
    assert_eq!(refs.len(), 4);
    assert!(refs.iter().all(|r| r.company_id.is_some()
        && r.status == Status::Received
        && r.submitted_via == "demo"));
    let ref_links = count(&db, "SELECT COUNT(*) AS n FROM complaint_obstacles o JOIN complaints c ON c.id = o.complaint_id \
                                WHERE c.tracking_code = 'DW-REFA-CASE' AND o.source = 'suggestion'").await;
    assert!(ref_links >= 3, "{ref_links}");

    // The rollup triggers keep up with multi-row inserts.
    let stale = crate::store::rollup::mismatches(&db.read).await.unwrap();
    assert!(stale.is_empty(), "{stale:?}");

    // Issue 17: the telecom reference case carries the demo campaign's tag, the cloud-storage
    // one a referral; a second run adds neither twice.
    let tagged = count(
        &db,
        "SELECT COUNT(*) AS n FROM complaints WHERE tracking_code = 'DW-REFA-CASE' AND tags = 'telecom-downgrade'",
    )
    .await;
    assert_eq!(tagged, 1);
    let referred = count(
        &db,
        "SELECT COUNT(*) AS n FROM referrals r JOIN complaints c ON c.id = r.complaint_id \
         WHERE c.tracking_code = 'DW-REFD-CASE' AND c.referred_to = r.authority_name",
    )
    .await;
    assert_eq!(referred, 1);

    let companies = count(&db, "SELECT COUNT(*) AS n FROM companies").await;
    let aliases = count(&db, "SELECT COUNT(*) AS n FROM company_aliases").await;
    let again = seed_demo(&db, &cues, 0, &bar).await.unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM campaigns").await, 1);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM referrals").await, 1);
    assert_eq!(
        (again.reference_cases, again.synthetic, again.companies),
        (0, 0, 0)
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM complaints").await,
        2004
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM companies").await,
        companies
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM company_aliases").await,
        aliases
    );
    assert_eq!(companies as usize, text::COMPANIES.len());
    let coded = count(
        &db,
        "SELECT COUNT(*) AS n FROM companies WHERE credit_code IS NOT NULL",
    )
    .await;
    assert!(coded >= 50);
    for c in company::Entity::find().all(&db.read).await.unwrap() {
        assert!(c
            .credit_code
            .as_deref()
            .is_none_or(crate::domain::credit_code::is_valid_credit_code));
    }
}

#[tokio::test]
#[ignore = "timing run: cargo test --release --lib seed_100k_timing -- --ignored --nocapture"]
async fn seed_100k_timing() {
    // DEMO_BENCH_URL picks another database (e.g. PostgreSQL), DEMO_BENCH_COUNT the size.
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("DEMO_BENCH_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/t.db", dir.path().display()));
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let n = std::env::var("DEMO_BENCH_COUNT")
        .ok()
        .and_then(|s| s.parse().ok());
    let n = n.unwrap_or(100_000);
    let bar = indicatif::ProgressBar::hidden();
    let report = seed_demo(&db, &CompiledCues::from_seed(), n, &bar)
        .await
        .unwrap();
    // CPU seconds and peak memory of this process (Linux): wall time alone says little on
    // a busy machine.
    let proc = |file: &str| std::fs::read_to_string(format!("/proc/self/{file}")).ok();
    let cpu: f64 = proc("stat")
        .and_then(|s| s.rsplit(')').next().map(str::to_string))
        .map(|s| {
            s.split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|t| t.parse::<f64>().ok())
                .sum()
        })
        .unwrap_or(0.0);
    let peak = proc("status")
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(str::to_string)
        })
        .unwrap_or_default();
    println!(
        "seed-demo {n} on {:?}: {:?} ({:.1} s CPU so far, {peak})",
        db.backend(),
        report.elapsed,
        cpu / 100.0
    );
    let stale = crate::store::rollup::mismatches(&db.read).await.unwrap();
    assert!(stale.is_empty(), "rollups differ from a recount: {stale:?}");
}
