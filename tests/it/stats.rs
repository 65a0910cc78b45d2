//! Statistics: rollups that always equal a recount, suppressed public figures, the regulator
//! dashboard, scorecard and period reports.
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, Statement,
};
use serde_json::Value as Json;

use crate::support::{
    exec, make_user, signed_in, spawn, CaseEnd, Complaint, Fetch, NewCompany, TestApp,
};
use downgrade_watch::domain::format;
use downgrade_watch::domain::period;
use downgrade_watch::domain::period::Month;
use downgrade_watch::domain::{ConsumerFeedback, ResponseCategory, Role};
use downgrade_watch::entities::{complaint, complaint_obstacle};
use downgrade_watch::store::rollup;
use downgrade_watch::store::sql::stmt;

async fn assert_consistent(app: &TestApp, step: &str) {
    let bad = rollup::mismatches(&app.state.db.read)
        .await
        .expect("recount");
    assert!(
        bad.is_empty(),
        "after {step}: {bad:?} differ from a recount"
    );
}

fn link(complaint_id: i64, code: &str, source: &str) -> complaint_obstacle::ActiveModel {
    complaint_obstacle::ActiveModel {
        complaint_id: Set(complaint_id),
        obstacle_code: Set(code.into()),
        source: Set(source.into()),
        set_by: Set(Some("test".into())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// The middle of the month before the current one (Shanghai), as stored in UTC.
fn last_month() -> chrono::DateTime<Utc> {
    let m = Month::of(format::today()).plus(-1);
    period::shanghai_start(m) + Duration::days(14)
}

#[tokio::test]
async fn rollups_always_equal_a_recount_after_mixed_changes() {
    let app = spawn().await;
    let a = NewCompany::named("某通信运营商北京分公司")
        .sector("telecom")
        .add(&app)
        .await;
    let b = NewCompany::named("某视频平台")
        .sector("video_membership")
        .add(&app)
        .await;
    let mut ids = Vec::new();
    for n in 1..=4 {
        ids.push(Complaint::reference(n).file(&app).await.id);
        ids.push(Complaint::reference(n).file(&app).await.id);
    }
    assert_consistent(&app, "intake").await;
    let db = &app.state.db.write;

    // Review: accept, confirm codes (several rows in one statement), drop and edit one.
    exec(
        &app,
        "UPDATE complaints SET status = 'accepted', accepted_at = $1 WHERE id = $2",
        vec![Utc::now().into(), ids[0].into()],
    )
    .await;
    complaint_obstacle::Entity::insert_many([
        link(ids[0], "WINDOW", "reviewer"),
        link(ids[0], "DEFER", "reviewer"),
        link(ids[1], "MISINFO", "reviewer"),
    ])
    .exec(db)
    .await
    .expect("links");
    assert_consistent(&app, "confirming codes").await;
    exec(&app, "DELETE FROM complaint_obstacles WHERE complaint_id = $1 AND obstacle_code = $2 AND source = 'reviewer'", vec![ids[0].into(), "DEFER".into()]).await;
    exec(&app, "UPDATE complaint_obstacles SET obstacle_code = $1 WHERE complaint_id = $2 AND source = 'reviewer'", vec!["RETAIN".into(), ids[1].into()]).await;
    exec(
        &app,
        "DELETE FROM complaint_obstacles WHERE complaint_id = $1 AND source = 'reviewer'",
        vec![ids[1].into()],
    )
    .await;
    assert_consistent(&app, "editing codes").await;

    // Workflow to the end, with the clocks and outcome the rates use.
    for (i, id) in ids.iter().enumerate().take(4) {
        let timely = i % 2 == 0;
        exec(
            &app,
            "UPDATE complaints SET status = 'closed', closed_at = $1, response_timely = $2, outcome = $3 WHERE id = $4",
            vec![(Utc::now() + Duration::days(i as i64 * 3)).into(), timely.into(), if timely { "resolved" } else { "not_resolved" }.into(), (*id).into()],
        )
        .await;
    }
    exec(
        &app,
        "UPDATE complaints SET status = 'held' WHERE id = $1",
        vec![ids[5].into()],
    )
    .await;
    exec(
        &app,
        "UPDATE complaints SET status = 'rejected' WHERE id = $1",
        vec![ids[5].into()],
    )
    .await;
    assert_consistent(&app, "status changes").await;

    // The company loop: answers with a category, verdicts, disputes and no-response marks, then
    // changes to those columns alone (a late answer after the mark, a verdict withdrawn).
    CaseEnd::on_time(ResponseCategory::Refunded)
        .verdict(ConsumerFeedback::NotSatisfied)
        .apply(&app, ids[4], a, last_month())
        .await;
    CaseEnd::no_response()
        .apply(&app, ids[7], b, last_month())
        .await;
    assert_consistent(&app, "answers, verdicts and no-responses").await;
    exec(
        &app,
        "UPDATE complaints SET responded_at = $1, response_category = $2 WHERE id = $3",
        vec![Utc::now().into(), "partly_resolved".into(), ids[7].into()],
    )
    .await;
    exec(
        &app,
        "UPDATE complaints SET consumer_feedback = $1, consumer_disputed = $2 WHERE id = $3",
        vec!["satisfied".into(), false.into(), ids[4].into()],
    )
    .await;
    exec(
        &app,
        "UPDATE complaints SET consumer_disputed = $1 WHERE id = $2",
        vec![true.into(), ids[7].into()],
    )
    .await;
    assert_consistent(&app, "changing answers and verdicts").await;
    let answered = app
        .state
        .db
        .read
        .query_one(stmt(
            app.state.db.read.get_database_backend(),
            "SELECT CAST(SUM(answered) AS BIGINT), CAST(SUM(no_response) AS BIGINT), \
             CAST(SUM(resp_partly_resolved) AS BIGINT), CAST(SUM(disputed) AS BIGINT) \
             FROM rollup_complaints",
            vec![],
        ))
        .await
        .expect("sums")
        .expect("a row");
    let sums: Vec<i64> = (0..4)
        .map(|i| answered.try_get_by_index(i).expect("sum"))
        .collect();
    assert_eq!(sums, vec![2, 1, 1, 1], "the new sums follow the columns");

    // Moving between cells: another month, no province, another sector.
    exec(
        &app,
        "UPDATE complaints SET received_at = $1, province = NULL, sector = 'other' WHERE id = $2",
        vec![last_month().into(), ids[2].into()],
    )
    .await;
    assert_consistent(&app, "moving a complaint").await;

    // Company merge: every complaint of one company moves to the other; then the merged company
    // is deleted, and a deleted company's complaints lose their link (ON DELETE SET NULL).
    exec(
        &app,
        "UPDATE complaints SET company_id = $1 WHERE company_id = $2",
        vec![a.into(), b.into()],
    )
    .await;
    exec(&app, "DELETE FROM companies WHERE id = $1", vec![b.into()]).await;
    assert_consistent(&app, "merging companies").await;
    exec(&app, "DELETE FROM companies WHERE id = $1", vec![a.into()]).await;
    assert_consistent(&app, "deleting a company").await;

    // Deleting complaints cascades to their links.
    exec(
        &app,
        "DELETE FROM complaints WHERE id = $1 OR id = $2",
        vec![ids[0].into(), ids[6].into()],
    )
    .await;
    assert_consistent(&app, "deleting complaints").await;

    // A rebuild (also the migration's backfill) gives the same tables.
    exec(&app, "DELETE FROM rollup_obstacles", vec![]).await;
    assert!(
        !rollup::recount_matches(&app.state.db.read)
            .await
            .expect("recount"),
        "a drift is detected"
    );
    rollup::rebuild(&app.state.db.write).await.expect("rebuild");
    assert_consistent(&app, "rebuild").await;
    let rows = app
        .state
        .db
        .read
        .query_all(stmt(
            app.state.db.read.get_database_backend(),
            "SELECT month FROM rollup_obstacles WHERE n > 0",
            vec![],
        ))
        .await
        .expect("rows");
    assert!(!rows.is_empty());
}

async fn regulator(app: &TestApp) -> reqwest::Client {
    make_user(app, "regulator@example.org", Role::Regulator).await;
    signed_in(app, "regulator@example.org").await
}

/// A known set in the current month: 6 for 甲通信, 2 for 乙视频, 1 unmatched, 1 held.
async fn seed_known(app: &TestApp) {
    NewCompany::named("甲通信").sector("telecom").add(app).await;
    NewCompany::named("乙视频")
        .sector("video_membership")
        .add(app)
        .await;
    for _ in 0..6 {
        Complaint::reference(1).company("甲通信").file(app).await;
    }
    for _ in 0..2 {
        Complaint::reference(2).company("乙视频").file(app).await;
    }
    Complaint::reference(3)
        .company("丙软件公司")
        .file(app)
        .await;
    let held = Complaint::reference(4).company("乙视频").file(app).await.id;
    exec(
        app,
        "UPDATE complaints SET status = 'held' WHERE id = $1",
        vec![held.into()],
    )
    .await;
}

/// The text of the company-table row that starts with `name`.
fn row_of<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html
        .find(&format!(">{name}</a></th>"))
        .unwrap_or_else(|| panic!("{name} in a company table"));
    let rest = &html[at..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn regulators_reach_the_dashboard_and_anonymous_visitors_are_sent_to_sign_in() {
    let app = spawn().await;
    let r = app.client.fetch(app.url("/regulator")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()["location"]
        .to_str()
        .expect("ascii")
        .starts_with("/staff/login?next="));
    let client = regulator(&app).await;
    let r = client.fetch(app.url("/regulator")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("text");
    assert!(html.contains("监管统计看板"));
    assert!(html.contains("role=\"img\""), "charts are accessible SVG");
}

#[tokio::test]
async fn the_dashboard_shows_the_seeded_figures_in_both_languages() {
    let app = spawn().await;
    seed_known(&app).await;
    let client = regulator(&app).await;
    let this = Month::of(format::today()).code();
    let html = client
        .text_of(app.url(&format!("/regulator?period={this}")))
        .await;
    assert!(
        html.contains("监管统计看板") && html.contains("<dd class=\"big\">9</dd>"),
        "9 published complaints"
    );
    assert!(row_of(&html, "甲通信").contains("<td class=\"num\">6</td>"));
    assert!(
        row_of(&html, "乙视频").contains("<td class=\"num\">2</td>"),
        "the held complaint is left out"
    );
    assert!(html.contains("未收录于企业名录"));
    let decoded = html.replace("&#x2F;", "/").replace("&amp;", "&");
    assert!(
        decoded.contains(&format!(
            "/api/v1/exports/complaints.csv?tier=regulator&from={this}-01"
        )),
        "export links carry the filters"
    );

    let html = client
        .text_of(app.url(&format!("/regulator?period={this}&sector=telecom&lang=en")))
        .await;
    assert!(html.contains("Regulator dashboard") && html.contains("<dd class=\"big\">6</dd>"));
    assert!(!html.contains(">乙视频</a></th>"));

    // A bad filter is reported, with the typed value kept, and the rest still applies.
    let r = client
        .fetch(app.url("/regulator?period=2026-Q9&lang=en"))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(html.contains("error-summary") && html.contains("value=\"2026-Q9\""));

    // The scorecard ranks companies and shows one company's card.
    let html = client
        .text_of(app.url(&format!("/regulator/companies?period={this}")))
        .await;
    let first = html.find(">甲通信</a>").expect("甲通信");
    let second = html.find(">乙视频</a>").expect("乙视频");
    assert!(first < second, "ranked by volume");
    let id = html[..first]
        .rsplit("/regulator/companies/")
        .next()
        .and_then(|s| s.split(['?', '"']).next())
        .expect("link")
        .to_string();
    let r = client
        .fetch(app.url(&format!("/regulator/companies/{id}?period={this}&lang=en")))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r
        .text()
        .await
        .expect("text")
        .contains("<dd class=\"big\">6</dd>"));
    let r = client.fetch(app.url("/regulator/companies/999999")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = client.fetch(app.url("/regulator/companies/abc")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_period_report_prints_downloads_and_exports_its_tables() {
    let app = spawn().await;
    seed_known(&app).await;
    let client = regulator(&app).await;
    let this = Month::of(format::today()).code();
    for (lang, title) in [("zh-CN", "情况报告"), ("en", "Downgrade-trap complaints")] {
        let r = client
            .fetch(app.url(&format!("/regulator/reports/{this}?lang={lang}")))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let html = r.text().await.expect("text");
        assert!(html.contains(title), "{lang}");
        assert!(html.contains("<dd class=\"big\">9</dd>"));
        assert!(row_of(&html, "甲通信").contains("<td class=\"num\">6</td>"));
    }
    let r = client
        .fetch(app.url(&format!("/regulator/reports/{this}/download")))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .starts_with("attachment"));
    let file = r.text().await.expect("text");
    assert!(file.contains("<style>") && file.contains("@media print") && file.contains("<svg"));
    assert!(!file.contains("href=\"/static/app.css\""), "self-contained");
    let r = client
        .fetch(app.url(&format!("/regulator/reports/{this}/tables.csv")))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let csv = String::from_utf8_lossy(&bytes[3..]).to_string();
    assert!(csv.starts_with("table,code,label,complaints"));
    assert!(csv
        .lines()
        .any(|l| l.starts_with("by_company,") && l.contains(",甲通信,6,")));
    // Downloads are exports: each one is in the audit log.
    let audit = downgrade_watch::entities::audit_log::Entity::find()
        .filter(downgrade_watch::entities::audit_log::Column::Action.eq("report_downloaded"))
        .all(&app.state.db.read)
        .await
        .expect("audit");
    assert_eq!(audit.len(), 2);
}

#[tokio::test]
async fn a_report_for_an_invalid_period_is_a_helpful_404() {
    let app = spawn().await;
    let client = regulator(&app).await;
    for (period, says) in [
        ("2026-Q5", "不是有效的报告期间"),
        ("yesterday", "不是有效的报告期间"),
        ("2100-12", "尚未开始"),
    ] {
        let r = client
            .fetch(app.url(&format!("/regulator/reports/{period}")))
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{period}");
        let html = r.text().await.expect("text");
        assert!(
            html.contains(says) && html.contains("2026-Q3"),
            "{period}: explains the shapes"
        );
    }
    let r = client
        .fetch(app.url("/regulator/reports/2026-13/download?lang=en"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r
        .text()
        .await
        .expect("text")
        .contains("is not a report period"));
    // The index's form goes to the report.
    let r = client
        .fetch(app.url("/regulator/reports?period=2026-Q3"))
        .await;
    assert_eq!(r.headers()["location"], "/regulator/reports/2026-Q3");
}

#[tokio::test]
async fn report_examples_are_consented_only_and_scrubbed() {
    let app = spawn().await;
    let shared = "降级入口藏得很深，客服让我打13812345678联系，我说要降级他们一直劝我保留原套餐。愿意公开的描述。";
    let private =
        "这是一段不同意公开的描述，客服说不能降级，也不能退款，只能继续扣费到合约期结束为止。";
    Complaint::reference(1)
        .narrative(shared)
        .consent_share(true)
        .file(&app)
        .await;
    Complaint::reference(2)
        .narrative(private)
        .consent_share(false)
        .file(&app)
        .await;
    let client = regulator(&app).await;
    let this = Month::of(format::today()).code();
    let html = client
        .text_of(app.url(&format!("/regulator/reports/{this}")))
        .await;
    let file_html = client
        .text_of(app.url(&format!("/regulator/reports/{this}/download")))
        .await;
    for page in [&html, &file_html] {
        assert!(
            page.contains("愿意公开的描述"),
            "the consented narrative is an example"
        );
        assert!(
            page.contains("[PHONE]") && !page.contains("13812345678"),
            "phone numbers are scrubbed"
        );
        assert!(
            !page.contains("不同意公开的描述"),
            "an unconsented narrative never appears"
        );
    }
}

/// Number, "<5" or "x".
fn published(v: &Json) -> Option<i64> {
    match v {
        Json::Number(n) => n.as_i64(),
        Json::String(s) => {
            assert!(s == "<5" || s == "x", "marker {s}");
            None
        }
        other => panic!("cell {other}"),
    }
}

/// No published count is 1–4, and no table leaves exactly one cell to subtract for.
fn assert_table_safe(name: &str, total: &Json, rows: &[Json], key: &str) {
    let cells: Vec<Option<i64>> = rows.iter().map(|r| published(&r[key])).collect();
    for c in cells.iter().flatten() {
        assert!(*c == 0 || *c >= 5, "{name}: published {c}");
    }
    let hidden = cells.iter().filter(|c| c.is_none()).count();
    if published(total).is_some() {
        assert_ne!(hidden, 1, "{name}: one hidden cell = total − the others");
    }
}

#[tokio::test]
async fn public_statistics_suppress_small_cells_and_cannot_be_subtracted_back() {
    let app = spawn().await;
    NewCompany::named("甲通信")
        .sector("telecom")
        .add(&app)
        .await;
    NewCompany::named("乙视频")
        .sector("video_membership")
        .add(&app)
        .await;
    let mut ids = Vec::new();
    for _ in 0..7 {
        ids.push(
            Complaint::reference(1)
                .company("甲通信")
                .file(&app)
                .await
                .id,
        );
    }
    for _ in 0..4 {
        ids.push(
            Complaint::reference(2)
                .company("乙视频")
                .file(&app)
                .await
                .id,
        );
    }
    // Only complete months are published: move them into last month.
    for id in &ids {
        exec(
            &app,
            "UPDATE complaints SET received_at = $1 WHERE id = $2",
            vec![last_month().into(), (*id).into()],
        )
        .await;
    }
    let api: Json = app
        .client
        .fetch(app.url("/api/v1/stats"))
        .await
        .json()
        .await
        .expect("json");
    let open: Json = app
        .client
        .fetch(app.url("/stats.json"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(api, open, "the API serves the open-data document");
    assert_eq!(api["tier"], "public");
    assert_eq!(api["complaints"], 11);
    // 7 telecom and 4 video: hiding the 4 alone would give it away (11 − 7), so the 7 goes too.
    let sectors = api["by_sector"].as_array().expect("sectors");
    assert_eq!(
        sectors
            .iter()
            .find(|r| r["sector"] == "video_membership")
            .expect("video")["complaints"],
        "<5"
    );
    assert_eq!(
        sectors
            .iter()
            .find(|r| r["sector"] == "telecom")
            .expect("telecom")["complaints"],
        "x"
    );
    let provinces = api["by_province"].as_array().expect("provinces");
    assert!(
        provinces.iter().all(|r| r["complaints"].is_string()),
        "{provinces:?}"
    );
    for (name, key) in [
        ("by_month", "complaints"),
        ("by_sector", "complaints"),
        ("by_province", "complaints"),
        ("by_company", "complaints"),
    ] {
        assert_table_safe(
            name,
            &api["complaints"],
            api[name].as_array().expect(name),
            key,
        );
    }
    let mentions = &api["obstacle_mentions"];
    let by_code: Vec<Json> = mentions["by_code"]
        .as_object()
        .expect("codes")
        .values()
        .map(|v| serde_json::json!({ "n": v }))
        .collect();
    assert_table_safe("mentions by code", &mentions["total"], &by_code, "n");
    assert_table_safe(
        "mentions by family",
        &mentions["total"],
        mentions["by_family"].as_array().expect("families"),
        "mentions",
    );

    let r = app.client.fetch(app.url("/stats.csv")).await;
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = r.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let csv = String::from_utf8_lossy(&bytes[3..]).to_string();
    assert!(csv.starts_with("table,month,code,label,value\r\n"));
    assert!(csv
        .lines()
        .any(|l| l.starts_with("complaints_by_sector,,telecom,") && l.ends_with(",x")));
    assert!(csv
        .lines()
        .any(|l| l.starts_with("complaints_by_sector,,video_membership,") && l.ends_with(",<5")));
    for l in csv.lines().skip(1) {
        let v = l.rsplit(',').next().expect("value");
        if let Ok(n) = v.parse::<i64>() {
            assert!(n == 0 || n >= 5, "published {n} in {l}");
        }
    }

    for (lang, title) in [("zh-CN", "投诉统计"), ("en", "Complaint statistics")] {
        let html = app
            .client
            .text_of(app.url(&format!("/stats?lang={lang}")))
            .await;
        assert!(
            html.contains(title) && html.contains("&lt;5") && html.contains("role=\"img\""),
            "{lang}"
        );
    }
}

#[tokio::test]
async fn an_empty_database_has_empty_statistics_not_errors() {
    let app = spawn().await;
    let r = app.client.fetch(app.url("/stats")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let api: Json = app
        .client
        .fetch(app.url("/api/v1/stats?lang=en"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(api["complaints"], 0);
    assert_eq!(api["by_month"].as_array().expect("months").len(), 24);
    let client = regulator(&app).await;
    for path in [
        "/regulator",
        "/regulator/companies",
        "/regulator/reports",
        "/regulator/reports/2026-Q3",
    ] {
        let r = client.fetch(app.url(path)).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
    }
}

/// Whether the planner has statistics for `complaints`: PostgreSQL's `ANALYZE` time (manual or
/// autovacuum's), SQLite's `sqlite_stat1` rows.
async fn has_planner_statistics(db: &sea_orm::DatabaseConnection) -> bool {
    let b = db.get_database_backend();
    let sql = match b {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT COUNT(*) AS n FROM pg_stat_user_tables WHERE relname = 'complaints' \
             AND COALESCE(last_analyze, last_autoanalyze) IS NOT NULL \
             AND schemaname = current_schema()"
        }
        // No `sqlite_stat1` table at all (never analysed) is an error here: no statistics.
        _ => "SELECT COUNT(*) AS n FROM sqlite_stat1 WHERE tbl = 'complaints'",
    };
    match db.query_one(Statement::from_string(b, sql)).await {
        Ok(Some(row)) => row.try_get::<i64>("", "n").expect("n") > 0,
        _ => false,
    }
}

/// `seed-demo` loads rows with the insert triggers suspended and rebuilds once: afterwards the
/// rollups equal a recount (also counting a complaint filed before the seeding), the seeded
/// narratives are found by search, and the triggers are back (a complaint filed afterwards is
/// counted). A bulk load interrupted with its triggers suspended is repaired by `migrate`.
#[tokio::test]
async fn seed_demo_rebuilds_rollups_and_search_and_restores_the_triggers() {
    let app = spawn().await;
    let before = Complaint::reference(1).file(&app).await.id;
    let reference = downgrade_watch::services::reference::Reference::load(&app.state.db.read)
        .await
        .expect("reference");
    downgrade_watch::cli::demo::seed_demo(
        &app.state.db,
        &reference.cues,
        300,
        &indicatif::ProgressBar::hidden(),
    )
    .await
    .expect("seed");
    assert_consistent(&app, "after seed-demo").await;
    assert!(
        has_planner_statistics(&app.state.db.read).await,
        "seed-demo left the complaints table without planner statistics"
    );
    // Every seeded complaint came with its status history and obstacle links (PostgreSQL's
    // loader sends those after all the complaints).
    for child in ["status_history", "complaint_obstacles"] {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM complaints c WHERE c.id > {before} AND NOT EXISTS \
             (SELECT 1 FROM {child} x WHERE x.complaint_id = c.id)"
        );
        let db = &app.state.db.read;
        let row = db
            .query_one(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect("count")
            .expect("row");
        assert_eq!(row.try_get::<i64>("", "n").expect("n"), 0, "{child}");
    }

    // A seeded narrative is found by a search for a piece of it.
    let seeded = complaint::Entity::find()
        .filter(complaint::Column::Id.gt(before))
        .all(&app.state.db.read)
        .await
        .expect("complaints");
    assert!(seeded.len() >= 300, "{}", seeded.len());
    let target = &seeded[seeded.len() / 2];
    let chars: Vec<char> = target.narrative.chars().collect();
    let start = (0..chars.len().saturating_sub(8))
        .find(|&i| chars[i..i + 8].iter().all(|c| c.is_alphanumeric()))
        .expect("8 letters in a row");
    let term: String = chars[start..start + 8].iter().collect();
    let u = downgrade_watch::services::accounts::create_user(
        &app.state.db.write,
        "reviewer@example.org",
        "",
        Role::Reviewer,
        Some("a long enough password 1"),
    )
    .await
    .expect("user");
    let token = downgrade_watch::services::accounts::create_token(&app.state.db.write, u.id, "t")
        .await
        .expect("token")
        .1;
    let mut cursor: Option<String> = None;
    let mut found = false;
    for _ in 0..50 {
        let mut url = reqwest::Url::parse(&app.url("/api/v1/cases")).expect("url");
        url.query_pairs_mut()
            .append_pair("q", &term)
            .append_pair("limit", "200");
        if let Some(c) = &cursor {
            url.query_pairs_mut().append_pair("cursor", c);
        }
        let r = app
            .client
            .get(url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::OK);
        let v: Json = r.json().await.expect("json");
        let items = v["items"].as_array().expect("items");
        if items.iter().any(|i| i["id"].as_i64() == Some(target.id)) {
            found = true;
            break;
        }
        match v["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert!(
        found,
        "seeded complaint {} not found by {term:?}",
        target.id
    );

    // The triggers are back: a complaint filed now is counted.
    Complaint::reference(2).file(&app).await;
    assert_consistent(&app, "filed after seed-demo").await;

    // An interrupted bulk load (triggers suspended, indexes dropped, rows inserted) is
    // repaired by migrate.
    let indexes_before = secondary_indexes(&app).await;
    let keys_before = foreign_keys(&app).await;
    assert_eq!(
        keys_before, 4,
        "complaints → companies, links → complaints and obstacles, history → complaints"
    );
    assert!(
        indexes_before
            .iter()
            .any(|i| i == "idx_complaints_received"),
        "{indexes_before:?}"
    );
    rollup::suspend_for_bulk(&app.state.db.write, true)
        .await
        .expect("suspend");
    assert!(secondary_indexes(&app).await.is_empty());
    if app.state.db.backend() == sea_orm::DatabaseBackend::Postgres {
        assert_eq!(foreign_keys(&app).await, 0, "dropped while loading");
    }
    // A filing (on PostgreSQL the filing writer counts it itself), then a link written as a
    // bulk load writes it: the suspended triggers do not count it.
    let third = Complaint::reference(3).file(&app).await.id;
    link(third, "SILENT-FAIL", "reviewer")
        .insert(&app.state.db.write)
        .await
        .expect("link");
    assert!(
        !rollup::recount_matches(&app.state.db.read)
            .await
            .expect("recount"),
        "the suspended triggers did not count the new link"
    );
    app.state.db.migrate().await.expect("migrate");
    assert_consistent(&app, "repaired by migrate").await;
    assert_eq!(secondary_indexes(&app).await, indexes_before);
    assert_eq!(foreign_keys(&app).await, keys_before);
    Complaint::reference(4).file(&app).await;
    assert_consistent(&app, "filed after the repair").await;
}

/// Foreign keys declared on the tables a bulk load writes (PostgreSQL drops them while it
/// loads).
async fn foreign_keys(app: &TestApp) -> i64 {
    use sea_orm::{DatabaseBackend, Statement};
    let db = &app.state.db.read;
    let b = db.get_database_backend();
    let sql = match b {
        DatabaseBackend::Postgres => {
            "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND conrelid IN \
             ('complaints'::regclass, 'complaint_obstacles'::regclass, 'status_history'::regclass)"
        }
        _ => {
            "SELECT (SELECT COUNT(*) FROM pragma_foreign_key_list('complaints')) \
             + (SELECT COUNT(*) FROM pragma_foreign_key_list('complaint_obstacles')) \
             + (SELECT COUNT(*) FROM pragma_foreign_key_list('status_history'))"
        }
    };
    db.query_one(Statement::from_string(b, sql))
        .await
        .expect("foreign keys")
        .expect("row")
        .try_get_by_index(0)
        .expect("count")
}

/// Names of the non-unique indexes on the tables a bulk load writes.
async fn secondary_indexes(app: &TestApp) -> Vec<String> {
    use sea_orm::{DatabaseBackend, Statement};
    let db = &app.state.db.read;
    let b = db.get_database_backend();
    let sql = match b {
        DatabaseBackend::Postgres => {
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() \
             AND tablename IN ('complaints', 'complaint_obstacles', 'status_history') \
             AND indexdef NOT LIKE 'CREATE UNIQUE%' ORDER BY indexname"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
             AND tbl_name IN ('complaints', 'complaint_obstacles', 'status_history') \
             AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name"
        }
    };
    db.query_all(Statement::from_string(b, sql))
        .await
        .expect("indexes")
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).expect("name"))
        .collect()
}

#[tokio::test]
async fn the_covering_index_migration_replaces_indexes_an_interrupted_bulk_load_had_dropped() {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::{DatabaseBackend, Statement};
    let app = spawn().await;
    let db = &app.state.db.write;
    let before = secondary_indexes(&app).await;
    // The database as it was before migration 12, then a bulk load that dropped its indexes
    // and was killed before it rebuilt them.
    Migrator::down(db, Some(2))
        .await
        .expect("down to migration 11");
    downgrade_watch::store::rollup::suspend_for_bulk(db, true)
        .await
        .expect("suspend");
    assert!(secondary_indexes(&app).await.is_empty());
    // The next start: migrations, then the repair of the interrupted load.
    app.state.db.migrate().await.expect("migrate and repair");
    assert_eq!(secondary_indexes(&app).await, before);
    let b = db.get_database_backend();
    let sql = match b {
        DatabaseBackend::Postgres => {
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() \
             AND indexname = 'idx_complaints_company_name'"
        }
        _ => "SELECT sql FROM sqlite_master WHERE name = 'idx_complaints_company_name'",
    };
    let def: String = db
        .query_one(Statement::from_string(b, sql))
        .await
        .expect("query")
        .expect("index")
        .try_get_by_index(0)
        .expect("definition");
    assert!(
        def.contains("narrative_fp"),
        "the covering definition: {def}"
    );
    // Migration 13 (the filing writer adds its complaints to the rollups) went down and up
    // again: filings are still counted once.
    Complaint::reference(1).file(&app).await;
    assert_consistent(&app, "filed after the migrations").await;
}

/// PostgreSQL's bulk loader (`COPY … FROM STDIN`, used by `seed-demo`) stores text with tabs,
/// newlines, backslashes and non-ASCII exactly, NULLs as NULL and timestamps to the microsecond.
#[tokio::test]
async fn copy_in_round_trips_every_value_on_postgres() {
    let app = spawn().await;
    let db = &app.state.db.write;
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return;
    }
    let id = Complaint::reference(1).file(&app).await.id;
    let at = Utc::now() - Duration::days(3);
    let tricky = "制\t表\\n 不是换行\n真换行\r\\\\ end";
    let mut row = link(id, "HIDDEN-ENTRY", "reviewer");
    row.id = Set(900_001);
    row.evidence = Set(Some(tricky.into()));
    row.score = Set(Some(0.125));
    row.set_by = Set(None);
    row.created_at = Set(at);
    let mut conn = db
        .get_postgres_connection_pool()
        .acquire()
        .await
        .expect("connection");
    let n = downgrade_watch::store::pg_copy::copy_in(&mut conn, vec![row])
        .await
        .expect("copy");
    assert_eq!(n, 1);
    let back = complaint_obstacle::Entity::find_by_id(900_001_i64)
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("row");
    assert_eq!(back.evidence.as_deref(), Some(tricky));
    assert_eq!(back.score, Some(0.125));
    assert_eq!(back.set_by, None);
    assert_eq!(back.created_at.timestamp_micros(), at.timestamp_micros());
    assert_eq!(back.complaint_id, id);
}
