//! The company loop in record-level exports (issue 15): the six columns after the contract's 32
//! in CSV, NDJSON and XLSX at both record-level tiers, Chinese header names (`headers=zh`) from
//! the API, the CLI and the regulator's download links, and XLSX times as Asia/Shanghai date
//! cells.
use std::io::Cursor;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde_json::Value;

use crate::support::{api_token, bearer_get, complaint_by_code, make_user, signed_in, spawn};
use crate::support::{Complaint, Fetch, TestApp};
use downgrade_watch::domain::{Role, Status};
use downgrade_watch::services::exports::{COLUMNS, CONTACT_COLUMNS};

const BIN: &str = env!("CARGO_BIN_EXE_downgrade-watch");

const NEW_COLUMNS: [&str; 6] = [
    "forwarded_at",
    "response_due_on",
    "responded_at",
    "response_category",
    "consumer_feedback",
    "consumer_disputed",
];

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("test time")
        .with_timezone(&Utc)
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test day")
}

/// Three complaints in filing order.
struct Cases {
    /// Filed 2026-10-31T16:02:54Z (1 November in Beijing), forwarded, answered late in the
    /// UTC evening (`refunded`), the consumer not satisfied and disputing.
    answered: String,
    /// Forwarded, due, never answered.
    waiting: String,
    /// Just received: nothing of the loop yet.
    fresh: String,
}

async fn cases(app: &TestApp) -> Cases {
    let answered = Complaint::reference(1).file(app).await.code;
    let waiting = Complaint::reference(3).file(app).await.code;
    let fresh = Complaint::reference(4).file(app).await.code;
    let db = &app.state.db.write;
    let mut a = complaint_by_code(app, &answered).await.into_active_model();
    a.status = Set(Status::Responded);
    a.received_at = Set(utc("2026-10-31T16:02:54Z"));
    a.forwarded_at = Set(Some(utc("2026-11-02T09:00:00Z")));
    a.response_due_on = Set(Some(day("2026-11-16")));
    a.first_attempt_on = Set(Some(day("2026-10-20")));
    a.responded_at = Set(Some(utc("2026-11-05T17:45:10Z")));
    a.response_timely = Set(Some(true));
    a.response_category = Set(Some("refunded".into()));
    a.consumer_feedback = Set(Some("not_satisfied".into()));
    a.consumer_disputed = Set(true);
    a.update(db).await.expect("answered case");
    let mut w = complaint_by_code(app, &waiting).await.into_active_model();
    w.status = Set(Status::Forwarded);
    w.forwarded_at = Set(Some(utc("2026-11-03T01:30:00Z")));
    w.response_due_on = Set(Some(day("2026-11-17")));
    w.update(db).await.expect("waiting case");
    Cases {
        answered,
        waiting,
        fresh,
    }
}

async fn body(app: &TestApp, token: &str, path: &str) -> Vec<u8> {
    let r = bearer_get(app, token, path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.bytes().await.expect("body").to_vec()
}

/// A CSV body (after its BOM) as rows of cells.
fn csv_rows(body: &[u8]) -> Vec<Vec<String>> {
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "CSV starts with a BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&body[3..])
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

/// The row of `code` as column → value.
fn row_of<'a>(rows: &'a [Vec<String>], code: &str) -> impl Fn(&str) -> &'a str {
    let header = &rows[0];
    let row = rows
        .iter()
        .find(|r| r[0] == code)
        .unwrap_or_else(|| panic!("row {code}"));
    move |name: &str| {
        let i = header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"));
        row[i].as_str()
    }
}

#[tokio::test]
async fn csv_and_ndjson_carry_the_company_loop_after_the_contracts_32_columns() {
    let app = spawn().await;
    let c = cases(&app).await;
    let reg = api_token(&app, "regulator@example.org", Role::Regulator).await;

    let rows = csv_rows(&body(&app, &reg, "/api/v1/exports/complaints.csv").await);
    assert_eq!(rows[0].len(), 39);
    assert_eq!(rows[0][..32], COLUMNS[..32], "the contract's 32 first");
    assert_eq!(rows[0][32..38], NEW_COLUMNS, "then the loop's 6, in order");
    let a = row_of(&rows, &c.answered);
    assert_eq!(a("received_at"), "2026-10-31T16:02:54Z", "CSV keeps UTC");
    assert_eq!(a("forwarded_at"), "2026-11-02T09:00:00Z");
    assert_eq!(a("response_due_on"), "2026-11-16");
    assert_eq!(a("responded_at"), "2026-11-05T17:45:10Z");
    assert_eq!(a("response_category"), "refunded");
    assert_eq!(a("consumer_feedback"), "not_satisfied");
    assert_eq!(a("consumer_disputed"), "true");
    let w = row_of(&rows, &c.waiting);
    assert_eq!(w("forwarded_at"), "2026-11-03T01:30:00Z");
    assert_eq!(w("response_due_on"), "2026-11-17");
    assert_eq!(w("responded_at"), "", "unanswered: empty");
    assert_eq!(w("response_category"), "");
    assert_eq!(w("consumer_feedback"), "none", "no verdict is `none`");
    assert_eq!(w("consumer_disputed"), "false");
    let f = row_of(&rows, &c.fresh);
    for col in [
        "forwarded_at",
        "response_due_on",
        "responded_at",
        "response_category",
    ] {
        assert_eq!(f(col), "", "{col} of a case never forwarded");
    }
    assert_eq!(f("consumer_feedback"), "none");

    let nd = String::from_utf8(body(&app, &reg, "/api/v1/exports/complaints.ndjson").await)
        .expect("utf-8");
    let lines: Vec<&str> = nd.lines().collect();
    assert_eq!(lines.len(), 3);
    let positions: Vec<usize> = COLUMNS
        .iter()
        .map(|col| {
            lines[0]
                .find(&format!("\"{col}\":"))
                .unwrap_or_else(|| panic!("key {col}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|p| p[0] < p[1]),
        "NDJSON keys in column order"
    );
    let a: Value = serde_json::from_str(lines[0]).expect("json");
    assert_eq!(a["complaint_id"], c.answered.as_str());
    assert_eq!(a["received_at"], "2026-10-31T16:02:54Z");
    assert_eq!(a["forwarded_at"], "2026-11-02T09:00:00Z");
    assert_eq!(a["response_due_on"], "2026-11-16");
    assert_eq!(a["responded_at"], "2026-11-05T17:45:10Z");
    assert_eq!(a["response_category"], "refunded");
    assert_eq!(a["consumer_feedback"], "not_satisfied");
    assert_eq!(a["consumer_disputed"], true);
    let w: Value = serde_json::from_str(lines[1]).expect("json");
    assert_eq!(w["responded_at"], Value::Null);
    assert_eq!(w["response_category"], Value::Null);
    assert_eq!(w["consumer_feedback"], "none");
    assert_eq!(w["consumer_disputed"], false);

    let staff = api_token(&app, "reviewer@example.org", Role::Reviewer).await;
    let rows = csv_rows(&body(&app, &staff, "/api/v1/exports/complaints.csv?tier=staff").await);
    let mut expected: Vec<&str> = COLUMNS.to_vec();
    expected.extend(CONTACT_COLUMNS);
    assert_eq!(rows[0], expected, "staff: the same 39, then contact data");
    let a = row_of(&rows, &c.answered);
    assert_eq!(a("responded_at"), "2026-11-05T17:45:10Z");
    assert_eq!(a("consumer_disputed"), "true");
}

/// The Chinese names analysts see with `headers=zh` (a few of them, written out).
const ZH_SAMPLE: [(&str, &str); 6] = [
    ("complaint_id", "投诉查询码"),
    ("received_at", "提交时间"),
    ("forwarded_at", "转送企业时间"),
    ("response_due_on", "答复期限"),
    ("consumer_feedback", "消费者评价"),
    ("consumer_disputed", "消费者有异议"),
];

/// An XLSX sheet as calamine reads it.
fn sheet(bytes: &[u8], name: &str) -> calamine::Range<calamine::Data> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a readable XLSX");
    wb.worksheet_range(name).expect("sheet")
}

/// A date cell's wall-clock value; panics if the cell is not a date.
fn date_cell(cell: &calamine::Data) -> NaiveDateTime {
    match cell {
        calamine::Data::DateTime(d) if d.is_datetime() => {
            let epoch = day("1899-12-30").and_hms_opt(0, 0, 0).expect("midnight");
            epoch + chrono::Duration::milliseconds((d.as_f64() * 86_400_000.0).round() as i64)
        }
        other => panic!("not a date cell: {other:?}"),
    }
}

#[tokio::test]
async fn xlsx_times_are_shanghai_date_cells_and_headers_can_be_chinese() {
    let app = spawn().await;
    let c = cases(&app).await;
    let reg = api_token(&app, "regulator@example.org", Role::Regulator).await;

    let plain = body(&app, &reg, "/api/v1/exports/complaints.xlsx").await;
    let data = sheet(&plain, "complaints");
    let header: Vec<String> = data
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(header, COLUMNS, "default headers are the column names");
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).expect("column");
    let rows: Vec<&[calamine::Data]> = data.rows().collect();
    assert_eq!(rows.len(), 4);
    let a = rows[1];
    assert_eq!(a[col("complaint_id")].to_string(), c.answered);
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("test time");
    assert_eq!(
        date_cell(&a[col("received_at")]),
        at("2026-11-01 00:02:54"),
        "filed 2026-10-31T16:02:54Z: 1 November in Shanghai"
    );
    assert_eq!(
        date_cell(&a[col("forwarded_at")]),
        at("2026-11-02 17:00:00")
    );
    assert_eq!(
        date_cell(&a[col("responded_at")]),
        at("2026-11-06 01:45:10"),
        "answered late on 5 November UTC: 6 November in Shanghai"
    );
    assert_eq!(
        date_cell(&a[col("response_due_on")]),
        at("2026-11-16 00:00:00")
    );
    assert_eq!(
        date_cell(&a[col("first_attempt_on")]),
        at("2026-10-20 00:00:00"),
        "the consumer's first attempt is a date too"
    );
    assert_eq!(
        a[col("response_category")],
        calamine::Data::String("refunded".into())
    );
    assert_eq!(
        a[col("consumer_feedback")],
        calamine::Data::String("not_satisfied".into())
    );
    assert_eq!(a[col("consumer_disputed")], calamine::Data::Bool(true));
    let w = rows[2];
    assert_eq!(w[col("complaint_id")].to_string(), c.waiting);
    assert_eq!(w[col("responded_at")], calamine::Data::Empty);
    assert_eq!(w[col("response_category")], calamine::Data::Empty);
    assert_eq!(
        w[col("consumer_feedback")],
        calamine::Data::String("none".into())
    );
    assert_eq!(w[col("consumer_disputed")], calamine::Data::Bool(false));
    assert_eq!(rows[3][col("forwarded_at")], calamine::Data::Empty);

    let zh = body(&app, &reg, "/api/v1/exports/complaints.xlsx?headers=zh").await;
    let data = sheet(&zh, "complaints");
    let header: Vec<String> = data
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(header.len(), 39);
    for (column, name) in ZH_SAMPLE {
        assert_eq!(header[col(column)], name, "{column}");
    }
    let rows: Vec<&[calamine::Data]> = data.rows().collect();
    assert_eq!(
        date_cell(&rows[1][col("received_at")]),
        at("2026-11-01 00:02:54"),
        "only the header changes"
    );

    let dict = sheet(&zh, "data dictionary");
    let text: Vec<String> = dict.rows().flatten().map(|d| d.to_string()).collect();
    for (i, column) in COLUMNS.iter().enumerate() {
        let line = dict
            .rows()
            .find(|r| r.first().map(|d| d.to_string()).as_deref() == Some(column))
            .unwrap_or_else(|| panic!("{column} in the dictionary"));
        assert!(
            line.iter().any(|d| d.to_string() == header[i]),
            "{column} listed with its Chinese header {}",
            header[i]
        );
    }
    for needle in [
        "Asia/Shanghai",
        "not_satisfied",
        "explained_no_change",
        "已退款",
        "中文表头",
    ] {
        assert!(
            text.iter().any(|t| t.contains(needle)),
            "dictionary mentions {needle}"
        );
    }
}

#[tokio::test]
async fn chinese_csv_headers_come_from_the_api_the_cli_and_the_dashboard_links() {
    let app = spawn().await;
    cases(&app).await;
    let reg = api_token(&app, "regulator@example.org", Role::Regulator).await;
    let en = body(&app, &reg, "/api/v1/exports/complaints.csv").await;
    let zh = body(&app, &reg, "/api/v1/exports/complaints.csv?headers=zh").await;
    let (en_rows, zh_rows) = (csv_rows(&en), csv_rows(&zh));
    assert_eq!(zh_rows[0].len(), 39);
    for (column, name) in ZH_SAMPLE {
        let i = COLUMNS.iter().position(|c| *c == column).expect("column");
        assert_eq!(zh_rows[0][i], name, "{column}");
    }
    assert_eq!(zh_rows[1..], en_rows[1..], "the rows are the same");
    let explicit = body(&app, &reg, "/api/v1/exports/complaints.csv?headers=en").await;
    assert_eq!(csv_rows(&explicit)[0], COLUMNS, "headers=en is the default");

    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("zh.csv");
    let run = |extra: &[&str]| {
        std::process::Command::new(BIN)
            .args([
                "export",
                "--format",
                "csv",
                "--out",
                out.to_str().expect("utf8"),
            ])
            .args(extra)
            .env("DATABASE_URL", &app.db.url)
            .env("DW_DATA_DIR", app.data_dir.path())
            .env("RUST_LOG", "warn")
            .output()
            .expect("run cli")
    };
    let o = run(&["--headers", "zh"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read(&out).expect("file"),
        zh,
        "the CLI writes the same bytes"
    );
    let o = run(&["--headers", "chinese"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--headers: Use headers=zh"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    make_user(&app, "analyst@example.org", Role::Regulator).await;
    let client = signed_in(&app, "analyst@example.org").await;
    let html = client.text_of(app.url("/regulator")).await;
    assert!(html.contains("XLSX（中文表头）"));
    let html = client.text_of(app.url("/regulator?lang=en")).await;
    // Tera escapes `/` and `&` in attributes.
    let hrefs: Vec<String> = html
        .split("href=\"")
        .skip(1)
        .filter_map(|h| h.split('"').next())
        .map(|h| h.replace("&#x2F;", "/").replace("&amp;", "&"))
        .collect();
    for link in ["complaints.csv?", "complaints.xlsx?"] {
        let href = hrefs
            .iter()
            .find(|h| h.starts_with(&format!("/api/v1/exports/{link}")) && h.contains("headers=zh"))
            .unwrap_or_else(|| panic!("a {link} link with Chinese headers in {hrefs:?}"));
        let r = client.fetch(app.url(href)).await;
        assert_eq!(r.status(), StatusCode::OK, "{href}");
    }
    assert!(html.contains("CSV with Chinese headers"));
}

#[tokio::test]
async fn bad_header_choices_are_refused_with_a_localised_422() {
    let app = spawn().await;
    let reg = api_token(&app, "regulator@example.org", Role::Regulator).await;
    let errors = |path: &'static str| {
        let (app, reg) = (&app, &reg);
        async move {
            let r = bearer_get(app, reg, path).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            let v: Value = r.json().await.expect("json");
            v["errors"]["headers"][0]
                .as_str()
                .unwrap_or_default()
                .to_string()
        }
    };
    assert_eq!(
        errors("/api/v1/exports/complaints.csv?headers=fr&lang=en").await,
        "Use headers=zh (Chinese header names) or headers=en (the column names, the default)."
    );
    assert!(
        errors("/api/v1/exports/complaints.xlsx?headers=ZH&lang=zh-CN")
            .await
            .contains("中文表头")
    );
    assert_eq!(
        errors("/api/v1/exports/complaints.ndjson?headers=zh&lang=en").await,
        "Chinese headers are for CSV and XLSX only; NDJSON keys are always the column names."
    );
    assert!(
        errors("/api/v1/exports/complaints.ndjson?headers=zh&lang=zh-CN")
            .await
            .contains("NDJSON 的键")
    );
    assert!(
        !errors("/api/v1/exports/complaints.csv?headers=zh&headers=en")
            .await
            .is_empty(),
        "repeated"
    );
    let r = bearer_get(&app, &reg, "/api/v1/exports/complaints.ndjson?headers=en").await;
    assert_eq!(r.status(), StatusCode::OK, "the default is fine anywhere");

    let doc: Value = app
        .client
        .fetch(app.url("/api/openapi.json"))
        .await
        .json()
        .await
        .expect("json");
    for path in ["csv", "xlsx", "ndjson"] {
        let params =
            &doc["paths"][format!("/api/v1/exports/complaints.{path}")]["get"]["parameters"];
        assert!(
            params
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == "headers")),
            "{path} documents headers"
        );
    }
}
