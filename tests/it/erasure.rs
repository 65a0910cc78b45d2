//! Erasure that reaches every copy: after an erasure nothing of the consumer's contact data or
//! evidence is left in any table, file on disk, mail body, `.eml` file or the search index; a
//! consumer's request from `/my` is confirmed, objected to or runs after its cooling-off (once,
//! however many sweeps); and restoring an old backup re-applies the erasure ledger.
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use reqwest::{Client, StatusCode};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::support::{
    audit_rows, browser, complaint_by_id, csrf_of, exec, location, make_user, signed_in, spawn,
    spawn_with, upload_evidence, Complaint, Fetch, Filed, Opts, SmtpServer, TestApp,
};
use downgrade_watch::domain::Role;
use downgrade_watch::entities::{
    case_note, company_response, complaint_update, consumer_link, evidence_file, mail_outbox,
    response_file,
};
use downgrade_watch::services::privacy::erasure::{requests, Dirs};
use downgrade_watch::services::privacy::{CONTACT_MARKER, NARRATIVE_MARKER};

const BIN: &str = env!("CARGO_BIN_EXE_downgrade-watch");
const NAME: &str = "欧阳清照";
const EMAIL: &str = "ouyang.qingzhao@example.com";
const PHONE: &str = "13987654321";

/// Files a complaint whose story repeats the consumer's phone number and name, with evidence.
async fn file_with_contact(app: &TestApp, n: usize) -> Filed {
    let f = Complaint::reference(n)
        .with(serde_json::json!({
            "contact_name": NAME,
            "contact_email": EMAIL,
            "contact_phone": PHONE,
            "narrative": format!(
                "我叫{NAME}，手机{PHONE}。想把每月59元的套餐降为29元，客服一直说只能升级不能降级，连续打了五次电话都没有办成，第{n}次了。"
            ),
        }))
        .file(app)
        .await;
    let r = upload_evidence(
        app,
        &f,
        crate::support::png_upload(&format!("{NAME}的账单.png")),
    )
    .await;
    assert!(r.status().is_success(), "evidence upload: {}", r.status());
    f
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

/// Every string in the given columns, for "the value is nowhere" checks.
async fn texts(app: &TestApp, queries: &[&str]) -> Vec<String> {
    let db = &app.state.db.read;
    let mut out = Vec::new();
    for sql in queries {
        let rows = db
            .query_all(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql.to_string(),
            ))
            .await
            .expect("query");
        for r in rows {
            if let Ok(Some(s)) = r.try_get_by_index::<Option<String>>(0) {
                out.push(s);
            }
        }
    }
    out
}

/// Every text column an erasure has to reach.
const PLACES: &[&str] = &[
    "SELECT narrative FROM complaints",
    "SELECT contact_name FROM complaints",
    "SELECT contact_email FROM complaints",
    "SELECT contact_phone FROM complaints",
    "SELECT company_response FROM complaints",
    "SELECT body FROM case_notes",
    "SELECT body FROM company_responses",
    "SELECT body FROM complaint_updates",
    "SELECT body_text FROM mail_outbox",
    "SELECT body_html FROM mail_outbox",
    "SELECT to_addr FROM mail_outbox",
    "SELECT email FROM consumer_links",
    "SELECT original_name FROM evidence_files",
    "SELECT original_name FROM response_files",
    "SELECT COALESCE(detail, '') FROM audit_log",
    "SELECT kinds FROM erasure_ledger",
    "SELECT name FROM pending_file_deletions",
];

/// Every file under `dir` (recursively) that contains one of `needles`.
fn files_containing(dir: &Path, needles: &[&str]) -> Vec<String> {
    let mut hits = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return hits;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            hits.extend(files_containing(&p, needles));
        } else if let Ok(bytes) = std::fs::read(&p) {
            let text = String::from_utf8_lossy(&bytes);
            if needles.iter().any(|n| text.contains(n)) {
                hits.push(p.display().to_string());
            }
        }
    }
    hits
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let db = &app.state.db.read;
    db.query_one(sea_orm::Statement::from_string(
        db.get_database_backend(),
        sql.to_string(),
    ))
    .await
    .expect("count")
    .expect("row")
    .try_get_by_index::<i64>(0)
    .expect("n")
}

async fn wait_until_sent(app: &TestApp, id: i64) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let pending = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::ComplaintId.eq(id))
            .filter(mail_outbox::Column::Status.eq("pending"))
            .all(&app.state.db.read)
            .await
            .expect("outbox");
        if pending.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "mail of case {id} never sent");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Copies of the contact data around the case: a staff note, a company answer with an
/// attachment on disk, an addition to the story and a sign-in link.
async fn copies_around(app: &TestApp, id: i64) -> std::path::PathBuf {
    let db = &app.state.db.write;
    let now = Utc::now();
    case_note::ActiveModel {
        complaint_id: Set(id),
        author: Set("rev@example.org".into()),
        body: Set(format!("已致电 139 8765 4321，{NAME} 说会补充截图。")),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("note");
    let answer = company_response::ActiveModel {
        complaint_id: Set(id),
        company_id: Set(
            crate::support::NewCompany::named(&format!("擦除测试公司{id}"))
                .add(app)
                .await,
        ),
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
    let stored = format!("{:032x}", id as u128 + 0xfeed_0000);
    let dir = app.state.config.evidence_dir();
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(&stored);
    std::fs::write(&path, crate::support::tiny_png()).expect("attachment");
    response_file::ActiveModel {
        response_id: Set(answer.id),
        stored_name: Set(stored),
        original_name: Set(format!("{NAME}-退款截图.png")),
        content_type: Set("image/png".into()),
        size_bytes: Set(10),
        sha256: Set("0".repeat(64)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("attachment row");
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
        token_hash: Set(format!("{id:064}")),
        expires_at: Set(now),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("link");
    path
}

#[tokio::test]
async fn an_erasure_leaves_no_contact_data_or_evidence_in_any_table_file_mail_or_search_result() {
    // No SMTP: mail is written to .eml files in the outbox folder.
    let app = spawn().await;
    let f = file_with_contact(&app, 1).await;
    let id = f.id;
    let other = Complaint::reference(5)
        .with(serde_json::json!({ "contact_email": "someone.else@example.com" }))
        .file(&app)
        .await;
    wait_until_sent(&app, other.id).await;
    let attachment = copies_around(&app, id).await;
    wait_until_sent(&app, id).await;
    make_user(&app, "admin@example.org", Role::Admin).await;
    let admin = signed_in(&app, "admin@example.org").await;

    // Before: every place holds the data, and the search finds the case by phone and name.
    let data_dir = app.data_dir.path();
    let evidence: Vec<evidence_file::Model> = evidence_file::Entity::find()
        .filter(evidence_file::Column::ComplaintId.eq(id))
        .all(&app.state.db.read)
        .await
        .expect("evidence");
    assert_eq!(evidence.len(), 1);
    let evidence_path = app
        .state
        .config
        .evidence_dir()
        .join(&evidence[0].stored_name);
    assert!(evidence_path.exists() && attachment.exists());
    let receipt = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ComplaintId.eq(id))
        .one(&app.state.db.read)
        .await
        .expect("outbox")
        .expect("receipt");
    let eml = receipt.eml_file.clone().expect("the .eml file is recorded");
    let eml_path = app.state.config.outbox_dir().join(&eml);
    assert!(eml_path.exists(), "{eml_path:?}");
    // The folders files are written to (the database file itself is not scanned).
    let folders = [
        app.state.config.evidence_dir(),
        app.state.config.outbox_dir(),
    ];
    assert!(!files_containing(&folders[1], &[EMAIL]).is_empty());
    for q in [PHONE, NAME] {
        let html = admin.text_of(app.url(&format!("/staff/cases?q={q}"))).await;
        assert!(html.contains(&f.code), "the search finds the case by {q}");
    }

    let html = admin
        .text_of(app.url(&format!("/staff/cases/{id}/erase")))
        .await;
    let r = admin
        .post(app.url(&format!("/staff/cases/{id}/erase-contact")))
        .form(&[("csrf_token", csrf_of(&html).as_str()), ("confirm", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The case row, every copy in the database, the mail rows (kept, bodies overwritten).
    let c = complaint_by_id(&app, id).await;
    assert_eq!(
        (c.contact_name, c.contact_email, c.contact_phone),
        (None, None, None)
    );
    assert!(c.contact_erased_at.is_some());
    assert!(
        c.narrative.contains("套餐降为29元"),
        "the story stays: {}",
        c.narrative
    );
    for t in texts(&app, PLACES).await {
        for v in [NAME, EMAIL, PHONE, "8765 4321"] {
            assert!(!t.contains(v), "{v} survived in {t}");
        }
    }
    let mail = mail_outbox::Entity::find_by_id(receipt.id)
        .one(&app.state.db.read)
        .await
        .expect("q")
        .expect("the row stays");
    assert_eq!(
        (
            mail.kind.as_str(),
            mail.body_text.as_str(),
            mail.body_html.as_str(),
            mail.to_addr.as_str()
        ),
        ("receipt", CONTACT_MARKER, CONTACT_MARKER, "")
    );
    assert_eq!(mail.status, "sent", "when and which template stay");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM evidence_files").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM response_files").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM consumer_links").await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM pending_file_deletions").await,
        0,
        "every file deleted"
    );

    // Files on disk: the evidence, the attachment and the .eml are gone; nothing in the data
    // folder mentions the consumer; the other case's receipt is untouched.
    assert!(!evidence_path.exists() && !attachment.exists() && !eml_path.exists());
    for folder in &folders {
        assert_eq!(
            files_containing(folder, &[EMAIL, PHONE, NAME]),
            Vec::<String>::new()
        );
    }
    assert_eq!(
        std::fs::read_dir(&folders[0])
            .map(|d| d.count())
            .unwrap_or(0),
        0,
        "the evidence folder still holds files of the case"
    );
    let theirs = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ComplaintId.eq(other.id))
        .one(&app.state.db.read)
        .await
        .expect("q")
        .expect("other receipt");
    assert_ne!(theirs.body_text, CONTACT_MARKER);
    let their_eml = theirs.eml_file.expect("their .eml");
    assert!(folders[1].join(&their_eml).exists());
    assert_eq!(
        std::fs::read_dir(&folders[1])
            .map(|d| d.count())
            .unwrap_or(0),
        1,
        "only the other consumer's mail is left in the outbox folder"
    );

    // The search index no longer finds the case by the erased phone or name.
    for q in [PHONE, NAME] {
        let html = admin.text_of(app.url(&format!("/staff/cases?q={q}"))).await;
        assert!(
            !html.contains(&f.code),
            "the search still finds the case by {q}"
        );
    }

    // The audit row and the ledger say that and what, never the data.
    let rows = audit_rows(&app, "contact_erased").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor, "admin@example.org");
    let detail = rows[0].detail.clone().unwrap_or_default();
    assert!(
        detail.contains("\"cause\":\"staff\"") && detail.contains("\"kinds\":\"contact\""),
        "{detail}"
    );
    let ledger =
        std::fs::read_to_string(data_dir.join("erasure-ledger.jsonl")).expect("ledger file");
    assert!(ledger.contains(&format!("\"complaint_id\":{id}")) && ledger.contains(&f.code));
    assert!(!ledger.contains(EMAIL) && !ledger.contains(PHONE) && !ledger.contains(NAME));

    // The story too, on request: the marker replaces it and the search loses it.
    let r = admin
        .post(app.url(&format!("/staff/cases/{id}/erase-narrative")))
        .form(&[("csrf_token", csrf_of(&html).as_str()), ("confirm", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(complaint_by_id(&app, id).await.narrative, NARRATIVE_MARKER);
    let html = admin.text_of(app.url("/staff/cases?q=套餐降为29元")).await;
    assert!(!html.contains(&f.code));
}

/// Signs `email` in on /my through the mailed link; the signed-in browser.
async fn consumer(app: &TestApp, email: &str) -> Client {
    let client = browser();
    let csrf = csrf_of(&client.text_of(app.url("/my")).await);
    let r = client
        .post(app.url("/my"))
        .form(&[("csrf_token", csrf.as_str()), ("email", email)])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let deadline = Instant::now() + Duration::from_secs(10);
    let token: String = loop {
        let mail = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Kind.eq("my_link"))
            .filter(mail_outbox::Column::ToAddr.eq(email))
            .one(&app.state.db.read)
            .await
            .expect("outbox");
        if let Some(m) = mail {
            let at = m.body_text.find("/my/").expect("link") + 4;
            break m.body_text[at..]
                .chars()
                .take_while(|c| c.is_ascii_hexdigit())
                .collect();
        }
        assert!(Instant::now() < deadline, "no sign-in mail");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let r = client.fetch(app.url(&format!("/my/{token}"))).await;
    assert_eq!(location(&r), "/my");
    client
}

async fn ask_erasure(
    client: &Client,
    app: &TestApp,
    code: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let page = client.text_of(app.url(&format!("/my/cases/{code}"))).await;
    let mut f: Vec<(&str, &str)> = form.to_vec();
    let csrf = csrf_of(&page);
    f.push(("csrf_token", &csrf));
    client
        .post(app.url(&format!("/my/cases/{code}/erasure")))
        .form(&f)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn a_consumers_erasure_request_is_confirmed_objected_to_or_runs_once_after_the_cooling_off() {
    let smtp = SmtpServer::start().await;
    let app = spawn_with(Opts {
        smtp_url: Some(smtp.url()),
        ..Opts::default()
    })
    .await;
    make_user(&app, "admin@example.org", Role::Admin).await;
    let a = file_with_contact(&app, 1).await;
    let b = file_with_contact(&app, 2).await;
    let c = file_with_contact(&app, 3).await;
    let me = consumer(&app, EMAIL).await;

    // Without the confirmation box nothing is asked, and the ticked story box stays ticked.
    let r = ask_erasure(&me, &app, &a.code, &[("include_narrative", "yes")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(html.contains("请勾选确认框") && html.contains("value=\"yes\" checked"));
    // Asked: the page says when it runs; a second request waits for the first.
    for f in [&a, &b, &c] {
        let r = ask_erasure(
            &me,
            &app,
            &f.code,
            &[("erasure_confirm", "yes"), ("include_narrative", "yes")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", f.code);
    }
    let html = me
        .text_of(app.url(&format!("/my/cases/{}?lang=en", a.code)))
        .await;
    assert!(html.contains("Unless staff object, it runs on"), "{html}");
    let r = ask_erasure(&me, &app, &a.code, &[("erasure_confirm", "yes")]).await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a replay is refused"
    );
    assert!(r
        .text()
        .await
        .expect("text")
        .contains("already has an erasure request waiting"));
    assert_eq!(
        requests::pending(&app.state.db.read)
            .await
            .expect("pending")
            .len(),
        3
    );

    // Staff see the requests on the home page and the case page.
    let admin = signed_in(&app, "admin@example.org").await;
    let home = admin.text_of(app.url("/staff")).await;
    for f in [&a, &b, &c] {
        assert!(home.contains(&f.code), "home lists {}", f.code);
    }
    let page = admin
        .text_of(app.url(&format!("/staff/cases/{}", a.id)))
        .await;
    assert!(
        page.contains("消费者的删除申请") && page.contains(&format!("/staff/cases/{}/erase", a.id))
    );

    // A: confirmed now.
    let html = admin
        .text_of(app.url(&format!("/staff/cases/{}/erase", a.id)))
        .await;
    let csrf = csrf_of(&html);
    let r = admin
        .post(app.url(&format!("/staff/cases/{}/erasure-request/confirm", a.id)))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(
        location(&r),
        format!("/staff/cases/{}/erase?done=request", a.id)
    );
    let ca = complaint_by_id(&app, a.id).await;
    assert!(ca.contact_email.is_none() && ca.narrative == NARRATIVE_MARKER);

    // B: an objection needs a reason (kept as typed), then ends the request and mails the consumer.
    let r = admin
        .post(app.url(&format!("/staff/cases/{}/erasure-request/object", b.id)))
        .form(&[("csrf_token", csrf.as_str()), ("objection", "   ")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("请填写异议理由"));
    let reason = "本案正由市场监管部门调查，调查结束前需保留证据。";
    let r = admin
        .post(app.url(&format!("/staff/cases/{}/erasure-request/object", b.id)))
        .form(&[("csrf_token", csrf.as_str()), ("objection", reason)])
        .send()
        .await
        .expect("post");
    assert_eq!(
        location(&r),
        format!("/staff/cases/{}/erase?done=objected", b.id)
    );
    assert_eq!(
        complaint_by_id(&app, b.id).await.contact_email.as_deref(),
        Some(EMAIL)
    );
    let objected = audit_rows(&app, "erasure_objected").await;
    assert_eq!(objected.len(), 1);
    assert_eq!(objected[0].actor, "admin@example.org");
    let deadline = Instant::now() + Duration::from_secs(20);
    let told = loop {
        if let Some(m) = smtp.mails().into_iter().find(|m| m.text().contains(reason)) {
            break m;
        }
        assert!(Instant::now() < deadline, "the consumer was not told");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(told.to, vec![EMAIL.to_string()]);
    assert!(told.text().contains(&b.code));
    let html = me.text_of(app.url(&format!("/my/cases/{}", b.code))).await;
    assert!(
        html.contains(reason),
        "the consumer sees the objection and may ask again"
    );

    // C: nobody decides; once the cooling-off has passed, two sweeps and the worker run it once.
    exec(
        &app,
        "UPDATE erasure_requests SET due_at = $1 WHERE complaint_id = $2",
        vec![
            (Utc::now() - chrono::Duration::minutes(1)).into(),
            c.id.into(),
        ],
    )
    .await;
    let dirs = Dirs::of(&app.state.config);
    let (x, y) = tokio::join!(
        requests::run_due(&app.state.db.write, &dirs, Utc::now()),
        requests::run_due(&app.state.db.write, &dirs, Utc::now())
    );
    let o = cli(&app, &["sweep"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let runs = x.expect("sweep").len() + y.expect("sweep").len();
    let cli_runs = String::from_utf8_lossy(&o.stdout).contains("erasure requests run: 1");
    assert_eq!(
        runs + usize::from(cli_runs),
        1,
        "the request ran exactly once"
    );
    let cc = complaint_by_id(&app, c.id).await;
    assert!(cc.contact_email.is_none() && cc.narrative == NARRATIVE_MARKER);
    let ledger = texts(&app, &["SELECT tracking_code FROM erasure_ledger"]).await;
    assert_eq!(ledger.iter().filter(|t| **t == c.code).count(), 1);
    let erased = audit_rows(&app, "contact_erased").await;
    let of_c: Vec<_> = erased
        .iter()
        .filter(|r| r.target_id.as_deref() == Some(c.id.to_string().as_str()))
        .collect();
    assert_eq!(of_c.len(), 1);
    assert_eq!(of_c[0].actor, "erasure cooling-off");
    assert!(of_c[0]
        .detail
        .as_deref()
        .unwrap_or("")
        .contains("consumer_request"));
    // Nothing is left for anyone to decide.
    assert!(requests::pending(&app.state.db.read)
        .await
        .expect("pending")
        .is_empty());
    assert!(!admin.text_of(app.url("/staff")).await.contains(&c.code));
}

#[tokio::test]
async fn restoring_an_old_backup_re_applies_every_erasure_in_the_ledger() {
    let app = spawn().await;
    let before = file_with_contact(&app, 1).await;
    let after = file_with_contact(&app, 2).await;
    let kept = Complaint::reference(3)
        .with(serde_json::json!({ "contact_email": "kept@example.org" }))
        .file(&app)
        .await;
    wait_until_sent(&app, after.id).await;
    let dirs = Dirs::of(&app.state.config);
    let actor = downgrade_watch::services::audit::Actor::system();
    use downgrade_watch::services::privacy::erasure::{erase, Cause, Scope};
    // Erased before the backup: the backup carries it in its own ledger.
    erase(
        &app.state.db.write,
        &dirs,
        before.id,
        Scope::CONTACT,
        &actor,
        Cause::Staff,
    )
    .await
    .expect("erase")
    .expect("case");
    let dir = tempfile::tempdir().expect("dir");
    let backup_file = dir.path().join("dw-backup");
    let o = cli(
        &app,
        &["backup", "--out", backup_file.to_str().expect("utf8")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Erased after the backup: only the live ledger (and its file) knows.
    erase(
        &app.state.db.write,
        &dirs,
        after.id,
        Scope::BOTH,
        &actor,
        Cause::Staff,
    )
    .await
    .expect("erase")
    .expect("case");

    // Restore into a new database on the same data folder (where the ledger file lives).
    let target_dir = tempfile::tempdir().expect("dir");
    let target = crate::support::fresh_db(target_dir.path()).await;
    let o = std::process::Command::new(BIN)
        .args(["restore", "--from", backup_file.to_str().expect("utf8")])
        .env("DATABASE_URL", &target.url)
        .env("DW_DATA_DIR", app.data_dir.path())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run restore");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .contains("erasure ledger: 2 cases, 1 added from the ledger file, 1 erased again"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let restored = crate::support::spawn_on(target, target_dir, Opts::default()).await;

    let ra = complaint_by_id(&restored, after.id).await;
    assert_eq!(
        (
            ra.contact_name.as_deref(),
            ra.contact_email.as_deref(),
            ra.contact_phone.as_deref()
        ),
        (None, None, None)
    );
    assert_eq!(ra.narrative, NARRATIVE_MARKER);
    assert!(complaint_by_id(&restored, before.id)
        .await
        .contact_email
        .is_none());
    assert_eq!(
        complaint_by_id(&restored, kept.id)
            .await
            .contact_email
            .as_deref(),
        Some("kept@example.org"),
        "only erased cases are touched"
    );
    for t in texts(&restored, PLACES).await {
        for v in [NAME, EMAIL, PHONE] {
            assert!(!t.contains(v), "{v} came back with the backup in {t}");
        }
    }
    let ev = evidence_file::Entity::find()
        .filter(evidence_file::Column::ComplaintId.is_in([before.id, after.id]))
        .all(&restored.state.db.read)
        .await
        .expect("evidence");
    assert!(ev.is_empty(), "{ev:?}");
    // The restored ledger holds both erasures, so a later restore from it re-applies them too.
    let codes = texts(&restored, &["SELECT tracking_code FROM erasure_ledger"]).await;
    assert!(
        codes.contains(&before.code) && codes.contains(&after.code),
        "{codes:?}"
    );
    let search = restored
        .state
        .db
        .read
        .query_all(sea_orm::Statement::from_string(
            restored.state.db.read.get_database_backend(),
            format!("SELECT id FROM complaints WHERE narrative LIKE '%{PHONE}%'"),
        ))
        .await
        .expect("q");
    assert!(search.is_empty());
}

#[tokio::test]
async fn a_file_that_cannot_be_deleted_stays_queued_until_a_later_pass_deletes_it() {
    use downgrade_watch::services::privacy::erasure::{erase, files, Cause, Scope};
    let app = spawn().await;
    let f = file_with_contact(&app, 1).await;
    let stored = evidence_file::Entity::find()
        .filter(evidence_file::Column::ComplaintId.eq(f.id))
        .one(&app.state.db.read)
        .await
        .expect("q")
        .expect("evidence")
        .stored_name;
    // A directory where the file was: unlink fails, whoever runs the service.
    let path = app.state.config.evidence_dir().join(&stored);
    std::fs::remove_file(&path).expect("rm");
    std::fs::create_dir(&path).expect("mkdir");
    std::fs::write(path.join("inside"), b"x").expect("write");
    let dirs = Dirs::of(&app.state.config);
    erase(
        &app.state.db.write,
        &dirs,
        f.id,
        Scope::CONTACT,
        &downgrade_watch::services::audit::Actor::system(),
        Cause::Staff,
    )
    .await
    .expect("the erasure commits even when a file cannot be deleted")
    .expect("case");
    assert!(complaint_by_id(&app, f.id).await.contact_email.is_none());
    let waiting = texts(
        &app,
        &["SELECT name FROM pending_file_deletions WHERE attempts > 0 AND last_error IS NOT NULL"],
    )
    .await;
    assert_eq!(
        waiting,
        vec![stored.clone()],
        "the failed deletion is queued"
    );
    // Still failing: still queued, never dropped.
    assert_eq!(
        files::retry(&app.state.db.write, &dirs)
            .await
            .expect("retry"),
        1
    );
    // Once the obstacle is gone (here: the directory), the next pass deletes it.
    std::fs::remove_dir_all(&path).expect("rmdir");
    std::fs::write(&path, crate::support::tiny_png()).expect("file back");
    let o = cli(&app, &["sweep"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!path.exists(), "the sweep deleted the file");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM pending_file_deletions").await,
        0
    );
}
