//! The deadline sweep: a forwarded case past its due date becomes "no response" once, however
//! many sweeps run at the same moment; companies are reminded before their due date; overdue
//! reviews reach the admins; the CLI runs the same sweep and says what it did.
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, Value};

use crate::support::{exec, make_user, spawn, Complaint, NewCompany, TestApp};
use downgrade_watch::domain::deadlines::working_days_before;
use downgrade_watch::domain::format::today;
use downgrade_watch::domain::Role;
use downgrade_watch::services::deadlines::sweep;
use downgrade_watch::store::sql::stmt;

/// Files a complaint about `company` and puts it in `status` with the given due dates.
async fn case_in(
    app: &TestApp,
    company: &str,
    company_id: i64,
    status: &str,
    review_due: NaiveDate,
    response_due: Option<NaiveDate>,
) -> (i64, String) {
    let filed = Complaint::reference(1)
        .company(company)
        .with(serde_json::json!({ "consent_contact_company": true }))
        .file(app)
        .await;
    exec(
        app,
        "UPDATE complaints SET status = $1, company_id = $2, review_due_on = $3, \
         response_due_on = $4, forwarded_at = $5 WHERE id = $6",
        vec![
            status.into(),
            company_id.into(),
            review_due.into(),
            Value::ChronoDate(response_due.map(Box::new)),
            Value::ChronoDateTimeUtc(response_due.map(|_| Box::new(Utc::now()))),
            filed.id.into(),
        ],
    )
    .await;
    (filed.id, filed.code)
}

async fn count(app: &TestApp, sql: &str, values: Vec<Value>) -> i64 {
    let db = &app.state.db.read;
    let row = db
        .query_one(stmt(db.get_database_backend(), sql, values))
        .await
        .expect("query")
        .expect("row");
    row.try_get_by_index::<i64>(0).expect("count")
}

async fn mails(app: &TestApp, kind: &str, id: i64) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM mail_outbox WHERE kind = $1 AND complaint_id = $2",
        vec![kind.into(), id.into()],
    )
    .await
}

#[tokio::test]
async fn a_missed_due_date_is_marked_no_response_once_even_by_concurrent_sweeps() {
    let app = spawn().await;
    let company = NewCompany::named("慢回复科技")
        .contact("complaints@slow.example")
        .add(&app)
        .await;
    let today = today();
    let (late, late_code) = case_in(
        &app,
        "慢回复科技",
        company,
        "forwarded",
        today - Duration::days(20),
        Some(today - Duration::days(1)),
    )
    .await;
    let (on_time, _) = case_in(
        &app,
        "慢回复科技",
        company,
        "forwarded",
        today - Duration::days(20),
        Some(today + Duration::days(20)),
    )
    .await;

    let now = Utc::now();
    let (w1, w2, w3) = (
        app.state.case_work(),
        app.state.case_work(),
        app.state.case_work(),
    );
    let (a, b, c) = tokio::join!(
        sweep(&w1, today, now),
        sweep(&w2, today, now),
        sweep(&w3, today, now)
    );
    let reports = [a.expect("sweep"), b.expect("sweep"), c.expect("sweep")];
    let marked: Vec<&String> = reports.iter().flat_map(|r| &r.no_response).collect();
    assert_eq!(marked, vec![&late_code], "{reports:?}");

    let row = app
        .state
        .db
        .read
        .query_one(stmt(
            app.state.db.read.get_database_backend(),
            "SELECT response_timely, no_response_at IS NOT NULL AS marked, status \
             FROM complaints WHERE id = $1",
            vec![late.into()],
        ))
        .await
        .expect("query")
        .expect("row");
    assert_eq!(
        row.try_get::<Option<bool>>("", "response_timely")
            .expect("col"),
        Some(false)
    );
    assert!(row.try_get::<bool>("", "marked").expect("col"));
    assert_eq!(
        row.try_get::<String>("", "status").expect("col"),
        "forwarded"
    );
    assert_eq!(mails(&app, "no_response", late).await, 1);
    assert_eq!(mails(&app, "no_response", on_time).await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM status_history WHERE complaint_id = $1 AND is_public = $2",
            vec![late.into(), false.into()]
        )
        .await,
        1
    );

    let again = sweep(&app.state.case_work(), today, Utc::now())
        .await
        .expect("sweep");
    assert!(again.no_response.is_empty(), "{again:?}");
    assert_eq!(mails(&app, "no_response", late).await, 1);
    // The mark counts as an untimely answer in the rollups behind every figure.
    let stale = downgrade_watch::store::rollup::mismatches(&app.state.db.read)
        .await
        .expect("recount");
    assert!(stale.is_empty(), "rollups differ from a recount: {stale:?}");
}

#[tokio::test]
async fn companies_are_reminded_before_the_due_date_and_overdue_reviews_reach_the_admins() {
    let app = spawn().await;
    make_user(&app, "admin@example.org", Role::Admin).await;
    let company = NewCompany::named("提醒测试公司")
        .contact("answers@remind.example")
        .add(&app)
        .await;
    let today = today();
    let calendar = app.state.reference().calendar.clone();
    // Due two working days from today: today is on or after its reminder day.
    let due = calendar.add_working_days(today, 2);
    assert!(working_days_before(&calendar, due, 2) <= today);
    let (soon, soon_code) = case_in(
        &app,
        "提醒测试公司",
        company,
        "forwarded",
        today - Duration::days(5),
        Some(due),
    )
    .await;
    let (far, _) = case_in(
        &app,
        "提醒测试公司",
        company,
        "forwarded",
        today - Duration::days(5),
        Some(calendar.add_working_days(today, 8)),
    )
    .await;
    let (waiting, waiting_code) = case_in(
        &app,
        "提醒测试公司",
        company,
        "received",
        today - Duration::days(1),
        None,
    )
    .await;

    let report = sweep(&app.state.case_work(), today, Utc::now())
        .await
        .expect("sweep");
    assert_eq!(report.reminders, vec![soon_code]);
    assert_eq!(report.review_overdue, vec![waiting_code]);
    assert!(report.no_response.is_empty());
    assert_eq!(mails(&app, "response_reminder", soon).await, 1);
    assert_eq!(mails(&app, "response_reminder", far).await, 0);
    assert_eq!(mails(&app, "review_overdue", waiting).await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM mail_outbox WHERE kind = $1 AND to_addr = $2",
            vec!["review_overdue".into(), "admin@example.org".into()]
        )
        .await,
        1
    );

    let again = sweep(&app.state.case_work(), today, Utc::now())
        .await
        .expect("sweep");
    assert!(again.is_empty(), "{again:?}");
}

#[tokio::test]
async fn the_cli_sweep_marks_what_is_due_and_says_so() {
    let app = spawn().await;
    let company = NewCompany::named("命令行公司").add(&app).await;
    let today = today();
    let (_, code) = case_in(
        &app,
        "命令行公司",
        company,
        "forwarded",
        today - Duration::days(30),
        Some(today - Duration::days(3)),
    )
    .await;
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_downgrade-watch"))
            .arg("sweep")
            .env("DATABASE_URL", &app.db.url)
            .env("DW_DATA_DIR", app.data_dir.path())
            .env("RUST_LOG", "warn")
            .output()
            .expect("run cli")
    };
    let first = run();
    assert!(first.status.success(), "{first:?}");
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(
        out.contains(&format!("marked no response: 1 ({code})")),
        "{out}"
    );
    let second = run();
    assert!(second.status.success(), "{second:?}");
    let out = String::from_utf8_lossy(&second.stdout);
    assert!(out.contains("marked no response: 0"), "{out}");
    assert!(out.contains("nothing to do"), "{out}");
}

#[tokio::test]
async fn two_instances_sweeping_at_once_mark_a_silent_company_once_and_its_timely_rate_drops() {
    let app = spawn().await;
    let second = crate::support::spawn_sharing(&app, crate::support::Opts::default()).await;
    let company = NewCompany::named("沉默公司")
        .contact("nobody@silent.example")
        .add(&app)
        .await;
    let today = today();
    let mut silent = Vec::new();
    for _ in 0..3 {
        let (id, code) = case_in(
            &app,
            "沉默公司",
            company,
            "forwarded",
            today - Duration::days(20),
            Some(today - Duration::days(1)),
        )
        .await;
        silent.push((id, code));
    }
    make_user(&app, "regulator@example.org", Role::Regulator).await;
    let regulator = crate::support::signed_in(&app, "regulator@example.org").await;
    let period = downgrade_watch::domain::period::Month::of(today).code();
    let scorecard = format!("/regulator/companies/{company}?period={period}&lang=en");
    let timely = |html: &str| -> String {
        let key = "<dt>Answered on time</dt><dd";
        let at = html.find(key).map(|i| &html[i + key.len()..]).unwrap_or("");
        let at = &at[at.find('>').map_or(0, |i| i + 1)..];
        at[..at.find('<').unwrap_or(at.len())].trim().to_string()
    };
    use crate::support::Fetch;
    let before = regulator.text_of(app.url(&scorecard)).await;

    let now = Utc::now();
    let (w1, w2) = (app.state.case_work(), second.state.case_work());
    let (a, b) = tokio::join!(sweep(&w1, today, now), sweep(&w2, today, now));
    let (a, b) = (a.expect("sweep"), b.expect("sweep"));
    let mut marked: Vec<String> = a
        .no_response
        .iter()
        .chain(&b.no_response)
        .cloned()
        .collect();
    marked.sort();
    let mut expected: Vec<String> = silent.iter().map(|(_, c)| c.clone()).collect();
    expected.sort();
    assert_eq!(marked, expected, "each case marked by exactly one instance");
    for (id, _) in &silent {
        assert_eq!(mails(&app, "no_response", *id).await, 1);
    }

    let after = regulator.text_of(app.url(&scorecard)).await;
    assert_ne!(timely(&before), "0%", "nothing was judged before the sweep");
    assert_eq!(timely(&after), "0%", "{after}");
    let stale = downgrade_watch::store::rollup::mismatches(&app.state.db.read)
        .await
        .expect("recount");
    assert!(stale.is_empty(), "{stale:?}");
}
