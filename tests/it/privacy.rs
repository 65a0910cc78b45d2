//! Privacy operations: erasure on request (contact data, narrative) and the retention purge.
use std::time::Duration;

use chrono::{Months, Utc};
use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, Statement,
};
use serde_json::{json, Value};

use crate::support::{
    audit_rows, complaint_by_id, csrf_of, file, make_user, reference_case, signed_in, spawn,
    spawn_with, Fetch, Filed, Opts, SmtpServer, TestApp,
};
use downgrade_watch::domain::{Role, Status};
use downgrade_watch::entities::{complaint, complaint_obstacle, mail_outbox};
use downgrade_watch::services::privacy::NARRATIVE_MARKER;

const NAME: &str = "欧阳清照";
const EMAIL: &str = "ouyang.qingzhao@example.com";
const PHONE: &str = "13987654321";

fn with_contact(n: usize) -> Value {
    let mut doc = reference_case(n);
    doc["contact_name"] = json!(NAME);
    doc["contact_email"] = json!(EMAIL);
    doc["contact_phone"] = json!(PHONE);
    doc
}

fn has_route(method: &str, path: &str) -> bool {
    downgrade_watch::web::route_specs()
        .iter()
        .any(|s| s.method == method && s.path == path)
}

async fn get_ok(client: &reqwest::Client, url: String) -> String {
    let r = client.fetch(&url).await;
    assert!(r.status().is_success(), "{url}: {}", r.status());
    r.text().await.expect("text")
}

/// Every staff view of the case and every staff export in this build: (path, body, is_export).
async fn staff_views(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
) -> Vec<(String, String, bool)> {
    let mut paths = Vec::new();
    if has_route("GET", "/staff/cases/{id}") {
        paths.push((format!("/staff/cases/{id}"), false));
    }
    if has_route("GET", "/staff/cases") {
        // The queue (a tracking code in its search box would open the case page instead).
        paths.push(("/staff/cases?sort=received_desc".to_string(), false));
    }
    if has_route("GET", "/api/v1/cases/{id}") {
        paths.push((format!("/api/v1/cases/{id}"), false));
    }
    for ext in ["csv", "ndjson"] {
        let path = format!("/api/v1/exports/complaints.{ext}");
        if has_route("GET", &path) {
            paths.push((format!("{path}?tier=staff"), true));
        }
    }
    let mut out = Vec::new();
    for (path, export) in paths {
        let body = get_ok(client, app.url(&path)).await;
        out.push((path, body, export));
    }
    out
}

#[tokio::test]
async fn an_admin_erases_a_consumers_contact_data_and_it_is_gone_from_views_mail_and_the_audit_log()
{
    let mut smtp = SmtpServer::start().await;
    smtp.pause().await;
    let app = spawn_with(Opts {
        smtp_url: Some(smtp.url()),
        ..Opts::default()
    })
    .await;
    let Filed { id, code, .. } = file(&app, &with_contact(1)).await;
    let mut other = reference_case(4);
    other["contact_email"] = json!("someone.else@example.com");
    let Filed {
        id: other_id,
        code: other_code,
        ..
    } = file(&app, &other).await;
    make_user(&app, "admin@example.org", Role::Admin).await;
    make_user(&app, "reviewer@example.org", Role::Reviewer).await;
    let admin = signed_in(&app, "admin@example.org").await;

    // Before: staff can see the contact data (where such views exist in this build).
    let before = staff_views(&app, &admin, id).await;
    for (path, body, _) in &before {
        if !path.starts_with("/staff/cases?") {
            assert!(
                body.contains(EMAIL),
                "{path} shows the contact data before erasure"
            );
        }
    }

    // Admins find the erasure forms on the case page; reviewers do not.
    if has_route("GET", "/staff/cases/{id}") {
        let form = format!("action=\"/staff/cases/{id}/erase-contact\"");
        let page = get_ok(&admin, app.url(&format!("/staff/cases/{id}"))).await;
        assert!(
            page.contains(&form),
            "the case page includes staff/erase.html for admins"
        );
        let reviewer = signed_in(&app, "reviewer@example.org").await;
        let page = get_ok(&reviewer, app.url(&format!("/staff/cases/{id}"))).await;
        assert!(!page.contains(&form));
    }

    // The erasure page shows the state, never the values.
    let page = admin
        .fetch(app.url(&format!("/staff/cases/{id}/erase")))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("text");
    assert!(html.contains(&code) && html.contains("仍保存"));
    assert!(!html.contains(EMAIL) && !html.contains(PHONE) && !html.contains(NAME));
    let csrf = csrf_of(&html);

    // A reviewer may not erase.
    let reviewer = signed_in(&app, "reviewer@example.org").await;
    let rhtml = reviewer.text_of(app.url("/staff")).await;
    let r = reviewer
        .post(app.url(&format!("/staff/cases/{id}/erase-contact")))
        .form(&[("csrf_token", csrf_of(&rhtml).as_str()), ("confirm", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Without the confirmation nothing happens and the form says why.
    let r = admin
        .post(app.url(&format!("/staff/cases/{id}/erase-contact")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("请勾选确认"));
    assert_eq!(
        complaint_by_id(&app, id).await.contact_email.as_deref(),
        Some(EMAIL)
    );
    // Unknown cases are 404, a forged form 403.
    let r = admin
        .post(app.url("/staff/cases/424242/erase-contact"))
        .form(&[("csrf_token", csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = admin
        .post(app.url(&format!("/staff/cases/{id}/erase-contact")))
        .form(&[("csrf_token", "forged"), ("confirm", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let version_before = complaint_by_id(&app, id).await.version;
    let r = admin
        .post(app.url(&format!("/staff/cases/{id}/erase-contact")))
        .form(&[("csrf_token", csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().expect("ascii").to_string();
    assert_eq!(location, format!("/staff/cases/{id}/erase?done=contact"));
    let html = admin.text_of(app.url(&location)).await;
    assert!(
        html.contains("联系方式已删除") && html.contains("已于"),
        "confirmation and erasure date shown"
    );

    let c = complaint_by_id(&app, id).await;
    assert_eq!(
        (c.contact_name, c.contact_email, c.contact_phone),
        (None, None, None)
    );
    assert!(c.contact_erased_at.is_some());
    assert!(
        c.version > version_before,
        "a case form loaded before the erasure now conflicts"
    );
    assert!(
        !c.narrative.is_empty() && c.narrative_erased_at.is_none(),
        "the story stays unless asked"
    );

    // The queued receipt is cancelled and its address blanked; the other consumer's is untouched.
    let mails = mail_outbox::Entity::find()
        .all(&app.state.db.read)
        .await
        .expect("outbox");
    let mine: Vec<_> = mails
        .iter()
        .filter(|m| m.complaint_id == Some(id))
        .collect();
    assert!(!mine.is_empty());
    assert!(
        mine.iter()
            .all(|m| m.status == "cancelled" && m.to_addr.is_empty()),
        "{mine:?}"
    );
    assert!(mails.iter().all(|m| !m.to_addr.contains(EMAIL)));
    let theirs = mails
        .iter()
        .find(|m| m.complaint_id == Some(other_id))
        .expect("other receipt");
    assert_eq!(theirs.to_addr, "someone.else@example.com");

    // The audit row names the case and the admin, and repeats none of the data.
    let rows = audit_rows(&app, "contact_erased").await;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        (row.target_type.as_deref(), row.target_id.as_deref()),
        (Some("complaint"), Some(id.to_string().as_str()))
    );
    assert_eq!(row.actor, "admin@example.org");
    let whole = format!("{row:?}");
    for secret in [EMAIL, PHONE, NAME, "ouyang"] {
        assert!(
            !whole.contains(secret),
            "audit row repeats {secret}: {whole}"
        );
    }

    // Erasing again changes nothing and writes no second row.
    let r = admin
        .post(app.url(&format!("/staff/cases/{id}/erase-contact")))
        .form(&[("csrf_token", csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_rows(&app, "contact_erased").await.len(), 1);

    // Gone from every staff view and export of this build.
    for (path, body, _) in staff_views(&app, &admin, id).await {
        for secret in [EMAIL, PHONE, NAME] {
            assert!(
                !body.contains(secret),
                "{path} still shows {secret} after erasure"
            );
        }
    }

    // When the mail server returns, only the other consumer gets a receipt.
    smtp.resume().await;
    let delivered = smtp.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(delivered.len(), 1);
    assert!(delivered[0].text().contains(&other_code));
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(smtp.mails().len(), 1, "no mail to an erased address");
}

#[tokio::test]
async fn erasing_a_story_replaces_it_with_a_marker_and_removes_quotes_and_search_hits() {
    let app = spawn().await;
    let Filed { id, code, .. } = file(&app, &with_contact(2)).await;
    let keep_id = file(&app, &reference_case(2)).await.id;
    let quoted = complaint_obstacle::Entity::find()
        .filter(complaint_obstacle::Column::ComplaintId.eq(id))
        .all(&app.state.db.read)
        .await
        .expect("obstacles");
    assert!(
        quoted.iter().any(|o| o
            .evidence
            .as_deref()
            .is_some_and(|e| e.contains("到期前3日"))),
        "suggestions quote the story"
    );
    make_user(&app, "admin@example.org", Role::Admin).await;
    let admin = signed_in(&app, "admin@example.org").await;
    let html = admin
        .text_of(app.url(&format!("/staff/cases/{id}/erase?lang=en")))
        .await;
    assert!(html.contains("Erase the story"));
    let r = admin
        .post(app.url(&format!("/staff/cases/{id}/erase-narrative")))
        .form(&[("csrf_token", csrf_of(&html).as_str()), ("confirm", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let c = complaint_by_id(&app, id).await;
    assert_eq!(c.narrative, NARRATIVE_MARKER);
    assert!(c.narrative_erased_at.is_some());
    assert_eq!(
        c.contact_email.as_deref(),
        Some(EMAIL),
        "contact data stays unless asked"
    );
    let after = complaint_obstacle::Entity::find()
        .filter(complaint_obstacle::Column::ComplaintId.eq(id))
        .all(&app.state.db.read)
        .await
        .expect("obstacles");
    assert!(!after.is_empty(), "the classification stays");
    assert!(
        after
            .iter()
            .all(|o| o.evidence.as_deref().is_none_or(|e| e == "[]")),
        "{after:?}"
    );
    // The other case with the same story is untouched.
    assert!(complaint_by_id(&app, keep_id)
        .await
        .narrative
        .contains("账户安全"));

    // The full-text index follows the update.
    let db = &app.state.db.read;
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Sqlite => {
            "SELECT rowid AS id FROM complaints_fts WHERE complaints_fts MATCH '\"账户安全\"'"
        }
        _ => "SELECT id FROM complaints WHERE narrative ILIKE '%账户安全%'",
    };
    let hits: Vec<i64> = db
        .query_all(Statement::from_string(backend, sql))
        .await
        .expect("search")
        .iter()
        .map(|r| r.try_get::<i64>("", "id").expect("id"))
        .collect();
    assert_eq!(hits, vec![keep_id]);
    if has_route("GET", "/staff/cases") {
        let queue = admin.text_of(app.url("/staff/cases?q=账户安全")).await;
        assert!(
            !queue.contains(&code),
            "the erased story no longer matches a search"
        );
    }
    for (path, body, export) in staff_views(&app, &admin, id).await {
        if export {
            // Only the other case's copy of the story is left.
            assert_eq!(body.matches("账户安全").count(), 1, "{path}");
            assert!(body.contains(NARRATIVE_MARKER), "{path}");
        } else {
            assert!(
                !body.contains("账户安全"),
                "{path} still shows the erased story"
            );
        }
    }

    let rows = audit_rows(&app, "narrative_erased").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].target_id.as_deref(), Some(id.to_string().as_str()));
    assert!(!format!("{:?}", rows[0]).contains("账户安全"));
}

/// Sets a case's status and dates as if it had been worked long ago.
async fn age(
    app: &TestApp,
    id: i64,
    status: &str,
    closed_months_ago: Option<u32>,
    updated_months_ago: u32,
) {
    let now = Utc::now();
    let ago = |m: u32| now.checked_sub_months(Months::new(m)).expect("date");
    let mut m: complaint::ActiveModel = complaint_by_id(app, id).await.into();
    m.status = Set(Status::parse(status).expect("a status code"));
    m.closed_at = Set(closed_months_ago.map(ago));
    m.updated_at = Set(ago(updated_months_ago));
    m.update(&app.state.db.write).await.expect("update");
}

fn purge_cli(app: &TestApp, args: &[&str], months: Option<&str>) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_downgrade-watch"));
    cmd.arg("purge")
        .args(args)
        .env("DATABASE_URL", &app.db.url)
        .env("DW_DATA_DIR", app.data_dir.path())
        .env("RUST_LOG", "warn")
        .env_remove("DW_RETENTION_MONTHS");
    if let Some(m) = months {
        cmd.env("DW_RETENTION_MONTHS", m);
    }
    let out = cmd.output().expect("run purge");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf8")
}

#[tokio::test]
async fn the_purge_removes_contact_data_of_cases_that_ended_longer_ago_than_the_retention_period() {
    let app = spawn().await;
    // The server runs the purge itself soon after start (and then once a day).
    let mut ran = None;
    for _ in 0..100 {
        ran = downgrade_watch::services::privacy::last_purge(&app.state.db.read)
            .await
            .expect("read");
        if ran.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ran.is_some(), "the server ran the daily purge on start");

    let closed_old = file(&app, &with_contact(1)).await.id;
    let closed_recent = file(&app, &with_contact(2)).await.id;
    let rejected_old = file(&app, &with_contact(3)).await.id;
    let open_old = file(&app, &with_contact(4)).await.id;
    let withdrawn_no_contact = file(&app, &reference_case(1)).await.id;
    age(&app, closed_old, "closed", Some(25), 25).await;
    age(&app, closed_recent, "closed", Some(23), 23).await;
    age(&app, rejected_old, "rejected", None, 30).await;
    age(&app, open_old, "accepted", None, 30).await;
    age(&app, withdrawn_no_contact, "withdrawn", Some(30), 30).await;

    let out = purge_cli(&app, &["--dry-run"], None);
    assert!(
        out.contains(" 2 cases ") && out.contains("24 months") && out.contains("nothing changed"),
        "{out}"
    );
    assert_eq!(
        complaint_by_id(&app, closed_old)
            .await
            .contact_email
            .as_deref(),
        Some(EMAIL),
        "a dry run changes nothing"
    );

    let out = purge_cli(&app, &[], None);
    assert!(out.contains("removed the contact data of 2 cases"), "{out}");
    for id in [closed_old, rejected_old] {
        let c = complaint_by_id(&app, id).await;
        assert_eq!(
            (c.contact_name, c.contact_email, c.contact_phone),
            (None, None, None),
            "case {id}"
        );
        assert!(c.contact_erased_at.is_some());
        assert!(c.narrative.len() > 20, "the story is kept for statistics");
    }
    for id in [closed_recent, open_old] {
        assert_eq!(
            complaint_by_id(&app, id).await.contact_phone.as_deref(),
            Some(PHONE),
            "case {id} is kept"
        );
    }
    let mails = mail_outbox::Entity::find()
        .all(&app.state.db.read)
        .await
        .expect("outbox");
    for m in mails
        .iter()
        .filter(|m| m.complaint_id == Some(closed_old) || m.complaint_id == Some(rejected_old))
    {
        assert!(m.to_addr.is_empty(), "recipient blanked: {m:?}");
        assert_ne!(m.status, "pending");
    }
    let rows: Vec<_> = audit_rows(&app, "retention_purge")
        .await
        .into_iter()
        .filter(|r| r.actor == "cli")
        .collect();
    assert_eq!(
        rows.len(),
        1,
        "one row for the real run, none for the dry run"
    );
    let detail: Value =
        serde_json::from_str(rows[0].detail.as_deref().expect("detail")).expect("json");
    assert_eq!(detail["count"], 2);
    assert_eq!(detail["retention_months"], 24);
    assert!(!format!("{rows:?}").contains(EMAIL) && !format!("{rows:?}").contains(PHONE));

    // Running it again finds nothing; a shorter period reaches the recent case.
    assert!(purge_cli(&app, &[], None).contains(" 0 cases "));
    assert!(purge_cli(&app, &[], Some("12")).contains(" 1 case "));
    assert_eq!(
        complaint_by_id(&app, closed_recent).await.contact_phone,
        None
    );
    assert_eq!(
        complaint_by_id(&app, open_old)
            .await
            .contact_phone
            .as_deref(),
        Some(PHONE),
        "open cases are never purged"
    );
}

#[tokio::test]
async fn erasing_contact_data_reaches_mail_bodies_notes_answers_additions_and_sign_in_links() {
    use downgrade_watch::entities::{case_note, company_response, complaint_update, consumer_link};
    use downgrade_watch::services::audit::Actor;
    use downgrade_watch::services::privacy::erasure::{erase, Cause, Dirs, Scope};
    use downgrade_watch::services::privacy::CONTACT_MARKER;

    let app = spawn().await;
    let Filed { id, .. } = file(&app, &with_contact(1)).await;
    let db = &app.state.db.write;
    let now = Utc::now();
    // Copies of the contact data in free text around the case.
    case_note::ActiveModel {
        complaint_id: Set(id),
        author: Set("rev@example.org".into()),
        body: Set(format!("已致电 {PHONE}，{NAME} 说会补充截图。")),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("note");
    company_response::ActiveModel {
        complaint_id: Set(id),
        company_id: Set(crate::support::NewCompany::named("擦除测试公司")
            .add(&app)
            .await),
        user_id: Set(None),
        via: Set("staff".into()),
        category: Set("refunded".into()),
        body: Set(format!("已联系{NAME}（{EMAIL}）并退款。")),
        language: Set("zh-CN".into()),
        late: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("answer");
    complaint_update::ActiveModel {
        complaint_id: Set(id),
        body: Set(format!("新手机号不变，还是{PHONE}。")),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("addition");
    consumer_link::ActiveModel {
        email: Set(EMAIL.into()),
        token_hash: Set("x".repeat(64)),
        expires_at: Set(now),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("link");
    let receipt = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ComplaintId.eq(id))
        .one(&app.state.db.read)
        .await
        .expect("outbox")
        .expect("the receipt");
    assert!(receipt.body_text.contains(
        &downgrade_watch::entities::complaint::Entity::find_by_id(id)
            .one(&app.state.db.read)
            .await
            .expect("q")
            .expect("case")
            .tracking_code
    ));

    let dirs = Dirs::of(&app.state.config);
    erase(
        db,
        &dirs,
        id,
        Scope::CONTACT,
        &Actor::system(),
        Cause::Staff,
    )
    .await
    .expect("erase")
    .expect("case");

    let mut texts: Vec<String> = Vec::new();
    for sql in [
        "SELECT body FROM case_notes",
        "SELECT body FROM company_responses",
        "SELECT body FROM complaint_updates",
        "SELECT body_text FROM mail_outbox",
        "SELECT body_html FROM mail_outbox",
        "SELECT to_addr FROM mail_outbox",
        "SELECT email FROM consumer_links",
        "SELECT COALESCE(detail, '') FROM audit_log",
    ] {
        let found = app
            .state
            .db
            .read
            .query_all(Statement::from_string(
                app.state.db.read.get_database_backend(),
                sql.to_string(),
            ))
            .await
            .expect("query");
        texts.extend(
            found
                .into_iter()
                .map(|r| r.try_get_by_index::<String>(0).expect("text")),
        );
    }
    for t in &texts {
        for v in [NAME, EMAIL, PHONE] {
            assert!(!t.contains(v), "{v} survived in {t}");
        }
    }
    assert!(texts.iter().any(|t| t.contains(CONTACT_MARKER)));
    let mail = mail_outbox::Entity::find_by_id(receipt.id)
        .one(&app.state.db.read)
        .await
        .expect("q")
        .expect("the row stays");
    assert_eq!(
        (mail.kind.as_str(), mail.body_text.as_str()),
        ("receipt", CONTACT_MARKER)
    );
}
