//! Record-level exports (CSV, XLSX, NDJSON), their privacy tiers, the CLI `export`, and
//! `backup`/`restore` round trips.
use std::io::Cursor;

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::{json, Value};

use crate::support::{
    self, api_token, audit_rows, bearer_get, complaint_by_code, exec, file, reference_case, spawn,
    Complaint, Fetch, TestApp,
};
use downgrade_watch::domain::Role;
use downgrade_watch::entities::{
    case_group, case_group_member, company, complaint, complaint_obstacle, evidence_file,
};
use downgrade_watch::services::accounts;
use downgrade_watch::services::exports::{COLUMNS, CONTACT_COLUMNS};
use downgrade_watch::store::sql::stmt;

const BIN: &str = env!("CARGO_BIN_EXE_downgrade-watch");

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    bearer_get(app, token, path).await
}

/// Parses a CSV body (after its BOM) into rows of cells.
fn csv_rows(body: &[u8]) -> Vec<Vec<String>> {
    assert!(
        body.starts_with(b"\xEF\xBB\xBF"),
        "CSV starts with a UTF-8 BOM"
    );
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&body[3..])
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

/// Column value of a row by name.
fn cell<'a>(header: &[String], row: &'a [String], name: &str) -> &'a str {
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("column {name}"));
    &row[i]
}

/// The shared fixture: four complaints with everything an export row can carry.
struct Fixture {
    /// Telecom, Beijing, consented narrative with a phone number and the contact's name,
    /// contact data, a reviewer's RETAIN code, tags, a case group, evidence, closed after 3 days.
    a: String,
    /// Office software, unconsented narrative, a duplicate of A; text cells starting with tab/CR.
    b: String,
    /// Cloud storage, formula-looking names, linked to a directory company with a credit code.
    c: String,
    /// Held as suspected spam (three phone numbers).
    d: String,
    company_id: i64,
}

async fn fixture(app: &TestApp) -> Fixture {
    let a = Complaint::reference(1).with(json!({
                "narrative": "我想把每月59元的套餐改成8元的保号套餐，App里没有降级入口。我叫张三，电话13912345678，客服一直让我保留原套餐。",
                "contact_name": "张三", "contact_email": "zhang.san@example.org", "contact_phone": "13800138000",
                "obstacles_reported": ["HIDDEN-ENTRY"], "consent_share_narrative": true
            })).file(app).await.code;
    let b = Complaint::reference(3)
        .with(json!({ "contact_email": "li.si@example.org" }))
        .file(app)
        .await
        .code;
    let c = Complaint::reference(4).with(json!({
                "company_name": "=HYPERLINK(\"http://evil.example\",\"点我\")", "service_name": "@SUM(A1)",
                "plan_from": "+86 2TB", "plan_to": "-2+3 200GB", "obstacles_reported": ["SILENT-FAIL"]
            })).file(app).await.code;
    let d = Complaint::reference(2).with(json!({ "narrative": "降级入口找不到。请打13900000001或13900000002或13900000003联系我，客服一直不转人工，真的很麻烦。" })).file(app).await.code;
    let db = &app.state.db.write;
    let now = Utc::now();
    let (ca, cb, cc) = (
        complaint_by_code(app, &a).await,
        complaint_by_code(app, &b).await,
        complaint_by_code(app, &c).await,
    );
    assert_eq!(
        complaint_by_code(app, &d).await.status.code(),
        "held",
        "three phone numbers look like spam"
    );

    complaint_obstacle::ActiveModel {
        complaint_id: Set(ca.id),
        obstacle_code: Set("RETAIN".into()),
        source: Set("reviewer".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("reviewer code");
    let group = case_group::ActiveModel {
        name: Set("运营商降级集体投诉".into()),
        description: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("group");
    case_group_member::ActiveModel {
        group_id: Set(group.id),
        complaint_id: Set(ca.id),
        added_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("member");
    evidence_file::ActiveModel {
        complaint_id: Set(ca.id),
        stored_name: Set("exports-test.png".into()),
        original_name: Set("截图.png".into()),
        content_type: Set("image/png".into()),
        size_bytes: Set(68),
        sha256: Set("0".repeat(64)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("evidence");
    exec(
        app,
        "UPDATE complaints SET tags = $1, status = 'closed', outcome = 'resolved', closed_at = $2, \
         company_response = $3, response_timely = $4 WHERE id = $5",
        vec![
            "press;priority".into(),
            (ca.received_at + Duration::days(3)).into(),
            "已为张三女士办理降级，如有问题请拨打13912345678。".into(),
            true.into(),
            ca.id.into(),
        ],
    )
    .await;
    exec(
        app,
        "UPDATE complaints SET status = 'duplicate', duplicate_of = $1, service_name = $2, plan_from = $3 WHERE id = $4",
        vec![ca.id.into(), "\tTAB服务".into(), "\r回车套餐".into(), cb.id.into()],
    )
    .await;
    let co = company::ActiveModel {
        name: Set("某云存储服务商有限公司".into()),
        name_norm: Set("某云存储服务商有限公司".into()),
        sector: Set(Some("cloud_storage".into())),
        credit_code: Set(downgrade_watch::domain::credit_code::make_credit_code(
            "91110108MA0000001",
        )),
        contact_email: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("company");
    exec(
        app,
        "UPDATE complaints SET company_id = $1 WHERE id = $2",
        vec![co.id.into(), cc.id.into()],
    )
    .await;
    Fixture {
        a,
        b,
        c,
        d,
        company_id: co.id,
    }
}

#[tokio::test]
async fn a_regulator_csv_has_the_contract_columns_a_bom_and_joined_values() {
    let app = spawn().await;
    let f = fixture(&app).await;
    let t = api_token(&app, "regulator@example.org", Role::Regulator).await;
    let r = get(&app, &t, "/api/v1/exports/complaints.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .contains("complaints-regulator-"));
    let body = r.bytes().await.expect("body");
    let rows = csv_rows(&body);
    assert_eq!(rows[0], COLUMNS, "header in the contract's order");
    assert_eq!(rows.len(), 4, "A, B and C; the held D is left out");
    let h = &rows[0];
    let ids: Vec<&str> = rows[1..]
        .iter()
        .map(|r| cell(h, r, "complaint_id"))
        .collect();
    assert_eq!(
        ids,
        [f.a.as_str(), f.b.as_str(), f.c.as_str()],
        "ordered by filing, keyed by tracking code"
    );
    assert!(!ids.contains(&f.d.as_str()));

    let a = &rows[1];
    assert_eq!(cell(h, a, "sector"), "telecom");
    assert_eq!(cell(h, a, "price_from"), "59.00");
    assert_eq!(cell(h, a, "price_to"), "8.00");
    assert_eq!(cell(h, a, "channels_tried"), "app;hotline");
    assert_eq!(
        cell(h, a, "obstacle_codes"),
        "RETAIN",
        "reviewer codes replace the consumer's and suggested ones"
    );
    assert_eq!(cell(h, a, "rights_implicated"), "choice");
    assert_eq!(cell(h, a, "tags"), "press;priority");
    assert_eq!(cell(h, a, "case_group"), "运营商降级集体投诉");
    assert_eq!(cell(h, a, "evidence_count"), "1");
    assert_eq!(cell(h, a, "days_to_close"), "3");
    assert_eq!(cell(h, a, "status"), "closed");
    assert_eq!(cell(h, a, "response_timely"), "true");
    assert_eq!(cell(h, a, "consent_share_narrative"), "true");
    assert_eq!(cell(h, a, "province"), "110000");
    assert_eq!(cell(h, a, "submitted_via"), "api");
    assert_eq!(cell(h, a, "taxonomy_version"), "v1");
    let received = cell(h, a, "received_at");
    assert!(
        chrono::DateTime::parse_from_rfc3339(received).is_ok()
            && received.ends_with('Z')
            && received.len() == 20,
        "{received}"
    );
    assert_eq!(
        cell(h, &rows[2], "duplicate_of"),
        f.a,
        "duplicates point at the tracking code of their target"
    );

    let c = &rows[3];
    assert_eq!(
        cell(h, c, "company_name"),
        "某云存储服务商有限公司",
        "the directory's name once linked"
    );
    assert!(cell(h, c, "company_credit_code").starts_with("91110108MA0000001"));
    let suggested = cell(h, c, "obstacle_codes");
    assert!(
        suggested.split(';').any(|x| x == "SILENT-FAIL"),
        "consumer and suggested codes without a review: {suggested}"
    );
    assert!(cell(h, c, "rights_implicated").contains("fair"));
}

#[tokio::test]
async fn cells_that_would_start_a_formula_are_neutralised_in_csv_and_xlsx_and_raw_in_ndjson() {
    let app = spawn().await;
    let f = fixture(&app).await;
    let t = api_token(&app, "regulator@example.org", Role::Regulator).await;
    let rows = csv_rows(
        &get(&app, &t, "/api/v1/exports/complaints.csv")
            .await
            .bytes()
            .await
            .expect("body"),
    );
    let h = &rows[0];
    let (b, c) = (&rows[2], &rows[3]);
    assert_eq!(cell(h, b, "service_name"), "'\tTAB服务");
    assert_eq!(cell(h, b, "plan_from"), "'\r回车套餐");
    assert_eq!(cell(h, c, "service_name"), "'@SUM(A1)");
    assert_eq!(cell(h, c, "plan_from"), "'+86 2TB");
    assert_eq!(cell(h, c, "plan_to"), "'-2+3 200GB");

    // Unlinked, the typed company name is exported (and neutralised).
    exec(
        &app,
        "UPDATE complaints SET company_id = NULL WHERE id = $1",
        vec![complaint_by_code(&app, &f.c).await.id.into()],
    )
    .await;
    let rows = csv_rows(
        &get(&app, &t, "/api/v1/exports/complaints.csv")
            .await
            .bytes()
            .await
            .expect("body"),
    );
    assert_eq!(
        cell(&rows[0], &rows[3], "company_name"),
        "'=HYPERLINK(\"http://evil.example\",\"点我\")"
    );

    let xlsx = get(&app, &t, "/api/v1/exports/complaints.xlsx")
        .await
        .bytes()
        .await
        .expect("body");
    let sheet = read_xlsx(&xlsx, "complaints");
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).expect("column");
    assert_eq!(
        sheet[3][col("company_name")],
        json!("'=HYPERLINK(\"http://evil.example\",\"点我\")")
    );
    assert_eq!(sheet[3][col("service_name")], json!("'@SUM(A1)"));
    assert_eq!(sheet[2][col("plan_from")], json!("'\r回车套餐"));

    let nd = get(&app, &t, "/api/v1/exports/complaints.ndjson")
        .await
        .text()
        .await
        .expect("body");
    let lines: Vec<Value> = nd
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(
        lines[2]["company_name"], "=HYPERLINK(\"http://evil.example\",\"点我\")",
        "NDJSON keeps raw values"
    );
    assert_eq!(lines[1]["service_name"], "\tTAB服务");
}

/// Cells of one sheet as JSON values (strings, numbers, booleans, null for empty).
fn read_xlsx(bytes: &[u8], sheet: &str) -> Vec<Vec<Value>> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a readable XLSX");
    let range = wb.worksheet_range(sheet).expect("sheet");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => json!(s),
                    Data::Float(f) => json!(f),
                    Data::Int(i) => json!(i),
                    Data::Bool(b) => json!(b),
                    Data::Empty => Value::Null,
                    other => json!(other.to_string()),
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn the_xlsx_export_opens_in_a_real_reader_with_typed_values_and_a_data_dictionary() {
    let app = spawn().await;
    let f = fixture(&app).await;
    let t = api_token(&app, "regulator@example.org", Role::Regulator).await;
    let r = get(&app, &t, "/api/v1/exports/complaints.xlsx").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = r.bytes().await.expect("body");
    {
        use calamine::Reader;
        let wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
        assert_eq!(wb.sheet_names(), ["complaints", "data dictionary"]);
    }
    let sheet = read_xlsx(&bytes, "complaints");
    let header: Vec<Value> = COLUMNS.iter().map(|c| json!(c)).collect();
    assert_eq!(sheet[0], header);
    assert_eq!(sheet.len(), 4);
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).expect("column");
    let a = &sheet[1];
    assert_eq!(a[col("complaint_id")], json!(f.a));
    assert_eq!(
        a[col("price_from")],
        json!(59.0),
        "prices are numbers shown with two decimals"
    );
    assert_eq!(a[col("contact_attempts")], json!(6.0));
    assert_eq!(a[col("consent_share_narrative")], json!(true));
    assert_eq!(a[col("channels_tried")], json!("app;hotline"));
    assert_eq!(a[col("obstacle_codes")], json!("RETAIN"));
    let narrative = a[col("narrative")].as_str().expect("consented narrative");
    assert!(
        narrative.contains("[PHONE]")
            && !narrative.contains("13912345678")
            && !narrative.contains("张三"),
        "{narrative}"
    );
    assert_eq!(
        sheet[2][col("narrative")],
        Value::Null,
        "no consent, no narrative"
    );

    let dict = read_xlsx(&bytes, "data dictionary");
    let text: Vec<String> = dict
        .iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    for c in COLUMNS {
        assert!(text.iter().any(|t| t == c), "column {c} explained");
    }
    for needle in [
        "CH-ASYM",
        "渠道不对称",
        "Channel asymmetry",
        "UTC",
        "知情权",
        "regulator",
    ] {
        assert!(
            text.iter().any(|t| t.contains(needle)),
            "dictionary mentions {needle}"
        );
    }
}

#[tokio::test]
async fn the_ndjson_export_is_one_typed_object_per_line_with_the_same_keys() {
    let app = spawn().await;
    let f = fixture(&app).await;
    let t = api_token(&app, "regulator@example.org", Role::Regulator).await;
    let r = get(&app, &t, "/api/v1/exports/complaints.ndjson").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/x-ndjson");
    let body = r.text().await.expect("body");
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 3);
    for line in &lines {
        let v: Value = serde_json::from_str(line).expect("JSON line");
        let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
        assert_eq!(keys.len(), COLUMNS.len());
        for c in COLUMNS {
            assert!(v.get(c).is_some(), "key {c}");
        }
    }
    let a: Value = serde_json::from_str(lines[0]).expect("json");
    assert_eq!(a["complaint_id"], json!(f.a));
    assert_eq!(a["price_from"], json!("59.00"));
    assert_eq!(a["channels_tried"], json!(["app", "hotline"]));
    assert_eq!(a["contact_attempts"], json!(6));
    assert_eq!(a["evidence_count"], json!(1));
    assert_eq!(a["response_timely"], json!(true));
    assert_eq!(a["case_group"], json!(["运营商降级集体投诉"]));
    let b: Value = serde_json::from_str(lines[1]).expect("json");
    assert_eq!(b["narrative"], Value::Null);
    assert_eq!(b["duplicate_of"], json!(f.a));
}

#[tokio::test]
async fn filters_narrow_the_export_and_bad_filters_are_refused_per_field() {
    let app = spawn().await;
    let f = fixture(&app).await;
    let t = api_token(&app, "regulator@example.org", Role::Regulator).await;
    let ids = |q: &'static str| {
        let (app, t) = (&app, &t);
        async move {
            let r = get(app, t, &format!("/api/v1/exports/complaints.csv?{q}")).await;
            assert_eq!(r.status(), StatusCode::OK, "{q}");
            let rows = csv_rows(&r.bytes().await.expect("body"));
            rows[1..].iter().map(|r| r[0].clone()).collect::<Vec<_>>()
        }
    };
    assert_eq!(ids("sector=telecom").await, vec![f.a.clone()]);
    assert_eq!(ids("province=110000").await, vec![f.a.clone()]);
    assert_eq!(ids("status=duplicate").await, vec![f.b.clone()]);
    assert_eq!(
        ids("obstacle=RETAIN&sector=telecom").await,
        vec![f.a.clone()]
    );
    assert!(
        !ids("obstacle=HIDDEN-ENTRY").await.contains(&f.a),
        "a reviewer's codes replace the consumer's ticks"
    );
    assert!(ids("obstacle=SILENT-FAIL").await.contains(&f.c));
    assert_eq!(ids("company=%E6%9F%90%E9%80%9A%E4%BF%A1%E8%BF%90%E8%90%A5%E5%95%86%E5%8C%97%E4%BA%AC%E5%88%86%E5%85%AC%E5%8F%B8").await, vec![f.a.clone()]);
    let by_id = get(
        &app,
        &t,
        &format!("/api/v1/exports/complaints.csv?company={}", f.company_id),
    )
    .await;
    let rows = csv_rows(&by_id.bytes().await.expect("body"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], f.c);
    let today = (Utc::now() + Duration::hours(8)).date_naive();
    let q = format!("from={today}&to={today}&sector=&status=");
    let rows = csv_rows(
        &get(&app, &t, &format!("/api/v1/exports/complaints.csv?{q}"))
            .await
            .bytes()
            .await
            .expect("body"),
    );
    assert_eq!(
        rows.len(),
        4,
        "empty values are ignored; today's filings are in"
    );
    let tomorrow = today.succ_opt().expect("date");
    let rows = csv_rows(
        &get(
            &app,
            &t,
            &format!("/api/v1/exports/complaints.csv?from={tomorrow}"),
        )
        .await
        .bytes()
        .await
        .expect("body"),
    );
    assert_eq!(rows.len(), 1, "just the header");

    let bad = get(
        &app,
        &t,
        "/api/v1/exports/complaints.csv?sector=space&province=999999&obstacle=NOPE&status=bogus&from=2026-13-01&foo=1",
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = bad.json().await.expect("json");
    for field in ["sector", "province", "obstacle", "status", "from", "foo"] {
        assert!(
            v["errors"][field].as_array().is_some_and(|m| !m.is_empty()),
            "{field}: {v}"
        );
    }
    // A NUL in a filter is refused before any lookup (PostgreSQL cannot compare such text).
    let m = refusal(&app, &t, "complaints.csv?company=%00x&lang=en", "company").await;
    assert!(m.contains("control characters"), "{m}");
    let r = get(
        &app,
        &t,
        "/api/v1/exports/complaints.csv?from=2026-10-31&to=2026-10-01",
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = get(&app, &t, "/api/v1/exports/complaints.ndjson?status=held").await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "held cases are not part of the regulator tier"
    );
    let m = refusal(&app, &t, "complaints.csv?tier=public&lang=en", "tier").await;
    assert!(m.contains("/api/v1/stats"), "{m}");
}

/// The first message for `field` of an export refused with 422 (`rest`: after `/api/v1/exports/`).
async fn refusal(app: &TestApp, token: &str, rest: &str, field: &str) -> String {
    let r = get(app, token, &format!("/api/v1/exports/{rest}")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{rest}");
    let v: Value = r.json().await.expect("json");
    v["errors"][field][0]
        .as_str()
        .unwrap_or_else(|| panic!("no message for {field}: {v}"))
        .to_string()
}

#[tokio::test]
async fn the_regulator_tier_never_carries_contact_data_or_unconsented_narratives() {
    let app = spawn().await;
    let f = fixture(&app).await;
    let t = api_token(&app, "regulator@example.org", Role::Regulator).await;
    for format in ["csv", "ndjson", "xlsx"] {
        let body = get(&app, &t, &format!("/api/v1/exports/complaints.{format}"))
            .await
            .bytes()
            .await
            .expect("body");
        let text = if format == "xlsx" {
            ["complaints", "data dictionary"]
                .iter()
                .map(|s| serde_json::to_string(&read_xlsx(&body, s)).expect("json"))
                .collect()
        } else {
            String::from_utf8(body.to_vec()).expect("utf8")
        };
        for secret in [
            "zhang.san@example.org",
            "li.si@example.org",
            "13800138000",
            "13912345678",
            "张三",
        ] {
            assert!(!text.contains(secret), "{format} export leaks {secret}");
        }
        for column in CONTACT_COLUMNS {
            assert!(
                !text.contains(&format!("\"{column}\"")) && !text.contains(&format!(",{column}")),
                "{format}: {column}"
            );
        }
        assert!(
            !text.contains("人工客服说“您已享受的权益价值超过会员费”"),
            "{format}: B did not consent"
        );
        assert!(
            text.contains("[PHONE]") && text.contains("保号套餐"),
            "{format}: A's consented narrative, scrubbed"
        );
        assert!(
            !text.contains(&f.d),
            "{format}: held complaints stay inside"
        );
    }
    let r = get(&app, &t, "/api/v1/exports/complaints.csv?tier=staff").await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a regulator token cannot ask for the staff tier"
    );
    let r = get(
        &app,
        &t,
        "/api/v1/exports/complaints.xlsx?tier=staff&sector=nonsense",
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_staff_export_has_everything_and_every_export_is_audit_logged() {
    let app = spawn().await;
    let f = fixture(&app).await;
    let t = api_token(&app, "reviewer@example.org", Role::Reviewer).await;
    let r = get(
        &app,
        &t,
        "/api/v1/exports/complaints.csv?tier=staff&sector=telecom",
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let rows = csv_rows(&r.bytes().await.expect("body"));
    let mut expected: Vec<&str> = COLUMNS.to_vec();
    expected.extend(CONTACT_COLUMNS);
    assert_eq!(
        rows[0], expected,
        "contact columns come after the contract's"
    );
    let a = &rows[1];
    assert_eq!(cell(&rows[0], a, "contact_name"), "张三");
    assert_eq!(cell(&rows[0], a, "contact_email"), "zhang.san@example.org");
    assert_eq!(cell(&rows[0], a, "contact_phone"), "13800138000");
    assert!(
        cell(&rows[0], a, "narrative").contains("13912345678"),
        "staff get the narrative in full"
    );
    let all = csv_rows(
        &get(&app, &t, "/api/v1/exports/complaints.csv?tier=staff")
            .await
            .bytes()
            .await
            .expect("body"),
    );
    assert!(
        all.iter().any(|r| r[0] == f.d),
        "staff see held complaints too"
    );

    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let started = audit_rows(&app, "export").await;
    let finished = audit_rows(&app, "export_finished").await;
    assert_eq!(started.len(), 2);
    assert_eq!(finished.len(), 2);
    let first: Value =
        serde_json::from_str(started[0].detail.as_deref().expect("detail")).expect("json");
    assert_eq!(first["tier"], "staff");
    assert_eq!(first["format"], "csv");
    assert_eq!(first["filters"], json!({ "sector": "telecom" }));
    assert_eq!(started[0].actor, "reviewer@example.org");
    let end = finished
        .iter()
        .find(|r| r.target_id == started[0].target_id)
        .expect("linked by export id");
    let end: Value = serde_json::from_str(end.detail.as_deref().expect("detail")).expect("json");
    assert_eq!(end["rows"], 1);
    assert_eq!(end["complete"], true);
    for row in started.iter().chain(&finished) {
        let d = row.detail.clone().unwrap_or_default();
        assert!(
            !d.contains("zhang") && !d.contains("138"),
            "no personal data in the audit log: {d}"
        );
    }

    let reg = api_token(&app, "regulator@example.org", Role::Regulator).await;
    get(&app, &reg, "/api/v1/exports/complaints.ndjson")
        .await
        .bytes()
        .await
        .expect("body");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let started = audit_rows(&app, "export").await;
    assert!(started.iter().any(|r| r.actor == "regulator@example.org"
        && r.detail
            .as_deref()
            .is_some_and(|d| d.contains("\"regulator\""))));
}

fn cli(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", &app.db.url)
        .env("DW_DATA_DIR", app.data_dir.path())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run cli")
}

#[tokio::test]
async fn the_cli_export_writes_the_same_bytes_as_the_endpoint_and_is_audited_as_cli() {
    let app = spawn().await;
    fixture(&app).await;
    let t = api_token(&app, "admin@example.org", Role::Admin).await;
    let dir = tempfile::tempdir().expect("dir");
    for (format, tier) in [("csv", "regulator"), ("ndjson", "staff"), ("csv", "staff")] {
        let out = dir.path().join(format!("export-{tier}.{format}"));
        let o = cli(
            &app,
            &[
                "export",
                "--format",
                format,
                "--tier",
                tier,
                "--sector",
                "telecom",
                "--out",
                out.to_str().expect("utf8"),
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stdout).contains("exported 1 complaints"));
        let http = get(
            &app,
            &t,
            &format!("/api/v1/exports/complaints.{format}?tier={tier}&sector=telecom"),
        )
        .await
        .bytes()
        .await
        .expect("body");
        assert_eq!(
            std::fs::read(&out).expect("file"),
            http.to_vec(),
            "{format} {tier}"
        );
    }
    let out = dir.path().join("all.xlsx");
    let o = cli(
        &app,
        &[
            "export",
            "--format",
            "xlsx",
            "--out",
            out.to_str().expect("utf8"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        read_xlsx(&std::fs::read(&out).expect("file"), "complaints").len(),
        4
    );

    let o = cli(
        &app,
        &[
            "export",
            "--format",
            "csv",
            "--tier",
            "public",
            "--out",
            out.to_str().expect("utf8"),
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("/api/v1/stats"));
    let o = cli(
        &app,
        &[
            "export",
            "--format",
            "pdf",
            "--out",
            out.to_str().expect("utf8"),
        ],
    );
    assert!(!o.status.success());

    let rows = audit_rows(&app, "export_finished").await;
    assert!(rows.iter().any(|r| r.actor == "cli"
        && r.detail
            .as_deref()
            .is_some_and(|d| d.contains("\"rows\":1"))));
}

/// Ordinary tables of the app's database (no migrations table, no full-text index tables).
async fn base_tables(app: &TestApp) -> Vec<String> {
    let db = &app.state.db.read;
    let sql = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_type = 'BASE TABLE' AND table_name <> 'seaql_migrations'"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> 'seaql_migrations' AND name NOT LIKE 'complaints_fts%'"
        }
    };
    let rows = db
        .query_all(stmt(db.get_database_backend(), sql, vec![]))
        .await
        .expect("tables");
    rows.into_iter()
        .map(|r| r.try_get_by_index::<String>(0).expect("name"))
        .collect()
}

/// Row count of a table through the app's connection.
async fn count(app: &TestApp, table: &str) -> i64 {
    let db = &app.state.db.read;
    let row = db
        .query_one(stmt(
            db.get_database_backend(),
            &format!("SELECT COUNT(*) FROM {table}"),
            vec![],
        ))
        .await
        .expect("count");
    row.expect("row").try_get_by_index::<i64>(0).expect("i64")
}

#[tokio::test]
async fn a_backup_restores_into_a_fresh_database_with_the_same_rows() {
    let app = spawn().await;
    let f = fixture(&app).await;
    api_token(&app, "admin@example.org", Role::Admin).await;
    let dir = tempfile::tempdir().expect("dir");
    let backup_file = dir.path().join("dw-backup");
    let o = cli(
        &app,
        &["backup", "--out", backup_file.to_str().expect("utf8")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("backup written to"));
    let o = cli(
        &app,
        &["backup", "--out", backup_file.to_str().expect("utf8")],
    );
    assert!(
        !o.status.success(),
        "an existing backup is never overwritten"
    );
    const TABLES: [&str; 13] = [
        "complaints",
        "complaint_obstacles",
        "status_history",
        "evidence_files",
        "case_groups",
        "case_group_members",
        "companies",
        "users",
        "api_tokens",
        "obstacles",
        "obstacle_cues",
        "provinces",
        "holidays",
    ];
    let mut before = Vec::new();
    for table in TABLES {
        before.push(count(&app, table).await);
    }
    // Every other table too (rollups maintained by triggers included), except the audit log,
    // which the backup itself appends to.
    let others: Vec<String> = base_tables(&app)
        .await
        .into_iter()
        .filter(|t| !TABLES.contains(&t.as_str()) && t != "audit_log")
        .collect();
    let mut others_before = Vec::new();
    for t in &others {
        others_before.push(count(&app, t).await);
    }
    // Changes after the snapshot are not in it.
    file(&app, &reference_case(2)).await;

    let target_dir = tempfile::tempdir().expect("dir");
    let target = support::fresh_db(target_dir.path()).await;
    let restore = |url: &str| {
        std::process::Command::new(BIN)
            .args(["restore", "--from", backup_file.to_str().expect("utf8")])
            .env("DATABASE_URL", url)
            .env("DW_DATA_DIR", target_dir.path())
            .env("RUST_LOG", "warn")
            .output()
            .expect("run restore")
    };
    let o = restore(&target.url);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = restore(&target.url);
    assert!(
        !o.status.success(),
        "a database with data is never overwritten"
    );

    let restored = support::spawn_on(target, target_dir, support::Opts::default()).await;
    for (table, before) in TABLES.iter().zip(before) {
        assert!(before > 0, "{table} has rows to compare");
        assert_eq!(count(&restored, table).await, before, "{table}");
    }
    for (table, before) in others.iter().zip(others_before) {
        assert_eq!(count(&restored, table).await, before, "{table}");
    }
    if others.iter().any(|t| t == "rollup_complaints") {
        let sum = |app: &TestApp| {
            let db = app.state.db.read.clone();
            async move {
                let sql = "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM rollup_complaints";
                let row = db
                    .query_one(stmt(db.get_database_backend(), sql, vec![]))
                    .await;
                row.expect("sum")
                    .expect("row")
                    .try_get_by_index::<i64>(0)
                    .expect("i64")
            }
        };
        assert_eq!(
            sum(&restored).await,
            sum(&app).await - 1,
            "rollups restored, not recounted twice"
        );
    }
    let (orig, back) = (
        complaint_by_code(&app, &f.a).await,
        complaint_by_code(&restored, &f.a).await,
    );
    assert_eq!(back.narrative, orig.narrative);
    assert_eq!(back.contact_phone, orig.contact_phone);
    assert_eq!(back.received_at, orig.received_at);
    assert_eq!(back.closed_at, orig.closed_at);
    assert_eq!(back.response_timely, Some(true));
    assert_eq!(
        complaint_by_code(&restored, &f.c).await.company_id,
        Some(f.company_id)
    );
    // The restored service works: the API finds the case, the old token still signs in, and new
    // rows get fresh ids.
    let r = restored
        .client
        .fetch(restored.url(&format!("/api/v1/complaints/{}", f.b)))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let code = file(&restored, &reference_case(1)).await.code;
    assert!(complaint_by_code(&restored, &code).await.id > back.id);
    let reg = accounts::find_by_email(&restored.state.db.read, "admin@example.org")
        .await
        .expect("query");
    assert!(reg.is_some());
    assert!(!audit_rows(&restored, "restore").await.is_empty());
}

/// Peak resident memory of a process, sampled from /proc while `work` runs.
async fn peak_rss_kb_during<F: std::future::Future<Output = T>, T>(pid: u32, work: F) -> (T, u64) {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let sampler = std::thread::spawn(move || {
        let mut peak = 0u64;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            peak = peak.max(rss_kb(pid));
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        peak.max(rss_kb(pid))
    });
    let out = work.await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    (out, sampler.join().expect("sampler"))
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// A server process (the real binary) on an existing database; killed on drop.
struct Server {
    child: std::process::Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// The child is waited for in `Server::drop`.
#[allow(clippy::zombie_processes)]
async fn start_server(app: &TestApp) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let child = std::process::Command::new(BIN)
        .args(["serve", "--no-migrate"])
        .env("DATABASE_URL", &app.db.url)
        .env("DW_DATA_DIR", app.data_dir.path())
        .env("DW_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start server");
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        if reqwest::get(format!("{base}/healthz"))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Server { child, base };
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("server did not start");
}

/// Copies complaints (new ids and tracking codes) and their obstacle links until there are
/// `target` complaints.
async fn multiply_complaints(app: &TestApp, target: i64) {
    use sea_orm::{Iden, Iterable};
    let db = &app.state.db.write;
    let backend = db.get_database_backend();
    let cols: Vec<String> = complaint::Column::iter()
        .map(|c| c.to_string())
        .filter(|c| c != "id")
        .collect();
    // Secondary indexes and triggers (full-text indexing of every narrative, statistics
    // rollups) dominate bulk inserts and an export uses neither (it walks the primary key):
    // this throw-away database goes without them. Unique indexes stay.
    let (list, drop_one) = match backend {
        sea_orm::DatabaseBackend::Postgres => (
            "SELECT indexname::text FROM pg_indexes WHERE tablename = 'complaints' \
             AND indexdef NOT LIKE 'CREATE UNIQUE%'",
            "DROP INDEX ",
        ),
        _ => (
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'complaints' \
             AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
            "DROP INDEX ",
        ),
    };
    let names = db
        .query_all(stmt(backend, list, vec![]))
        .await
        .expect("indexes");
    for row in names {
        let name: String = row.try_get_by_index(0).expect("name");
        db.execute_unprepared(&format!("{drop_one}\"{name}\""))
            .await
            .expect("drop index");
    }
    match backend {
        sea_orm::DatabaseBackend::Postgres => {
            for t in ["complaints", "complaint_obstacles"] {
                db.execute_unprepared(&format!("ALTER TABLE {t} DISABLE TRIGGER USER"))
                    .await
                    .expect("disable triggers");
            }
        }
        _ => {
            let sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' \
                       AND tbl_name IN ('complaints', 'complaint_obstacles')";
            for row in db
                .query_all(stmt(backend, sql, vec![]))
                .await
                .expect("triggers")
            {
                let name: String = row.try_get_by_index(0).expect("name");
                db.execute_unprepared(&format!("DROP TRIGGER \"{name}\""))
                    .await
                    .expect("drop trigger");
            }
        }
    }
    let mut round = 0;
    loop {
        let have = count(app, "complaints").await;
        if have >= target {
            break;
        }
        round += 1;
        let max_id = {
            let row = db
                .query_one(stmt(backend, "SELECT MAX(id) FROM complaints", vec![]))
                .await
                .expect("max");
            row.expect("row").try_get_by_index::<i64>(0).expect("i64")
        };
        let take = (target - have).min(have);
        let select: Vec<String> = cols
            .iter()
            .map(|c| match c.as_str() {
                "tracking_code" => format!("'X{round}-' || CAST(id AS TEXT)"),
                "duplicate_of" => "NULL".to_string(),
                other => other.to_string(),
            })
            .collect();
        let picked = format!("SELECT id FROM complaints ORDER BY id LIMIT {take}");
        let txn_sql = [
            format!(
                "INSERT INTO complaints (id, {}) SELECT id + {max_id}, {} FROM complaints WHERE id IN ({picked})",
                cols.join(", "),
                select.join(", ")
            ),
            format!(
                "INSERT INTO complaint_obstacles (complaint_id, obstacle_code, source, score, evidence, set_by, created_at) \
                 SELECT complaint_id + {max_id}, obstacle_code, source, score, evidence, set_by, created_at \
                 FROM complaint_obstacles WHERE complaint_id IN ({picked})"
            ),
        ];
        for sql in txn_sql {
            db.execute(stmt(backend, &sql, vec![])).await.expect("copy");
        }
    }
    if backend == sea_orm::DatabaseBackend::Postgres {
        for t in ["complaints", "complaint_obstacles"] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))"
            );
            db.execute(stmt(backend, &sql, vec![]))
                .await
                .expect("setval");
        }
    }
}

/// 200k complaints exported through the real binary: the server's memory stays within a fixed
/// bound of its idle size, and the first bytes arrive while rows are still being read.
#[tokio::test]
async fn a_200k_row_export_streams_with_flat_server_memory() {
    const N: u64 = 200_000;
    let app = spawn().await;
    let started = std::time::Instant::now();
    let reference = downgrade_watch::services::reference::Reference::load(&app.state.db.read)
        .await
        .expect("reference");
    // 2,000 realistic demo complaints, then copies (with their obstacle links) made in SQL
    // until there are N: seeding row by row takes minutes in a debug build.
    downgrade_watch::cli::demo::seed_demo(
        &app.state.db,
        &reference.cues,
        2_000,
        &indicatif::ProgressBar::hidden(),
    )
    .await
    .expect("seed");
    eprintln!("seed_demo: {:.1}s", started.elapsed().as_secs_f64());
    multiply_complaints(&app, N as i64).await;
    let t = api_token(&app, "admin@example.org", Role::Admin).await;
    let expected = {
        let db = &app.state.db.read;
        let row = db
            .query_one(stmt(
                db.get_database_backend(),
                "SELECT COUNT(*) FROM complaints WHERE status NOT IN ('held', 'rejected')",
                vec![],
            ))
            .await
            .expect("count")
            .expect("row");
        row.try_get_by_index::<i64>(0).expect("i64") as usize
    };
    eprintln!(
        "seeded {N} complaints in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let server = start_server(&app).await;
    let pid = server.child.id();
    let client = reqwest::Client::new();
    // Warm up: one small export so pools, caches and the allocator reach their working size.
    let warm = client
        .get(format!(
            "{}/api/v1/exports/complaints.csv?sector=gaming",
            server.base
        ))
        .bearer_auth(&t)
        .send()
        .await
        .expect("get");
    assert_eq!(warm.status(), StatusCode::OK);
    warm.bytes().await.expect("body");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(audit_rows(&app, "export_finished").await.len(), 1);
    let baseline = rss_kb(pid);

    let url = format!("{}/api/v1/exports/complaints.csv", server.base);
    let export_started = std::time::Instant::now();
    let ((rows, first_chunk_before_end), peak) = peak_rss_kb_during(pid, async {
        use futures::StreamExt;
        let r = client.get(&url).bearer_auth(&t).send().await.expect("get");
        assert_eq!(r.status(), StatusCode::OK);
        let mut stream = r.bytes_stream();
        let mut lines = 0usize;
        let mut first = true;
        let mut early = false;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.expect("chunk");
            if first {
                first = false;
                // When the first bytes arrive the export has not been logged as finished yet.
                early = audit_rows(&app, "export_finished").await.len() == 1;
            }
            lines += chunk.iter().filter(|b| **b == b'\n').count();
        }
        (lines, early)
    })
    .await;
    assert_eq!(rows, expected + 1, "every row and the header, no cap");
    assert!(
        first_chunk_before_end,
        "the first bytes left before the last row was read"
    );
    let grown_mb = peak.saturating_sub(baseline) / 1024;
    eprintln!(
        "export of {expected} rows in {:.1}s: server RSS baseline {} MB, peak {} MB",
        export_started.elapsed().as_secs_f64(),
        baseline / 1024,
        peak / 1024
    );
    assert!(
        grown_mb < 60,
        "server memory grew by {grown_mb} MB during the export"
    );
}
