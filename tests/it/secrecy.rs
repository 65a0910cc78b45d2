//! What must never leak: personal data, passwords, tokens and session ids in the logs of a full
//! run; and the response headers and cookie attributes that keep pages and evidence safe.
use std::time::Duration;

use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::faults::Server;
use crate::support::{browser, csrf_of, log_in, Fetch, PASSWORD};
use crate::support::{form_token_in, fresh_db, intake_form, png_upload, reference_case, tiny_png};
use downgrade_watch::domain::Role;
use downgrade_watch::entities::{complaint, evidence_file};

fn client() -> reqwest::Client {
    browser()
}

/// The value of cookie `name` among a response's Set-Cookie headers, with its attributes.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// Signs in through the login form; returns the client and the session cookie's value.
async fn sign_in(base: &str, email: &str, password: &str) -> (reqwest::Client, String) {
    let c = client();
    let r = log_in(&c, base, email, password).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "login of {email}");
    let cookie = set_cookie(&r, "dw_session").expect("a session cookie");
    let value = cookie
        .split(';')
        .next()
        .expect("pair")
        .trim_start_matches("dw_session=")
        .to_string();
    (c, value)
}

fn has_route(method: &str, path: &str) -> bool {
    downgrade_watch::web::route_specs()
        .iter()
        .any(|s| s.method == method && s.path == path)
}

const NARRATIVE: &str = "我在紫藤花园七号楼用手机办理降级，客服反复推销更贵的套餐，一直不给办理降级，说要等到期前三天再来。";
const NARRATIVE_FRAGMENT: &str = "紫藤花园七号楼";
const PHONE: &str = "13712345679";
const EMAIL: &str = "zhuque.secret@example.net";
const NAME: &str = "司马相如月";
const FORM_PHONE: &str = "15998761234";
const FORM_EMAIL: &str = "baihu.hidden@example.org";
const FORM_NARRATIVE: &str =
    "青龙湖畔的营业厅说网上不能降级，必须本人带身份证到店办理，到店后又说系统维护无法办理。";
const WRONG_PASSWORD: &str = "definitely-not-it-9731";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_run_at_debug_level_logs_no_personal_data_password_token_or_session_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fresh_db(dir.path()).await;
    let log = dir.path().join("run.log");
    let verbose = "debug,sqlx=debug";

    // A staff account through the CLI, password on standard input, output into the same log.
    {
        use std::io::Write;
        let f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("log");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_downgrade-watch"))
            .args([
                "create-user",
                "--email",
                "admin@example.org",
                "--role",
                "admin",
                "--password-stdin",
            ])
            .env_clear()
            .env("DATABASE_URL", &db.url)
            .env("DW_DATA_DIR", dir.path())
            .env("RUST_LOG", verbose)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::from(f.try_clone().expect("clone")))
            .stderr(std::process::Stdio::from(f))
            .spawn()
            .expect("cli");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{PASSWORD}\n").as_bytes())
            .expect("write");
        assert!(child.wait().expect("wait").success());
    }

    let mut server = Server::start(&db.url, dir.path(), &[("RUST_LOG", verbose)], Some(&log));
    server.wait_for("/readyz", Duration::from_secs(90)).await;
    let base = server.base.clone();
    let anon = client();

    // A consumer files through the API, with contact data, and uploads evidence.
    let mut doc = reference_case(1);
    doc["narrative"] = json!(NARRATIVE);
    doc["contact_name"] = json!(NAME);
    doc["contact_email"] = json!(EMAIL);
    doc["contact_phone"] = json!(PHONE);
    let r = anon
        .post(format!("{base}/api/v1/complaints"))
        .json(&doc)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.expect("json");
    let code = v["tracking_code"].as_str().expect("code").to_string();
    let evidence_token = v["evidence_token"].as_str().expect("token").to_string();
    let form = png_upload("bill.png");
    let r = anon
        .post(format!("{base}/api/v1/complaints/{code}/evidence"))
        .header("x-evidence-token", &evidence_token)
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CREATED);
    // Invalid input echoes nothing into the log either.
    let mut bad = doc.clone();
    bad["contact_phone"] = json!("12345");
    assert_eq!(
        anon.post(format!("{base}/api/v1/complaints"))
            .json(&bad)
            .send()
            .await
            .expect("post")
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Another files through the web form.
    let html = anon.text_of(format!("{base}/complaints/new")).await;
    let token = form_token_in(&html);
    let form = intake_form(
        &token,
        &[
            ("sector", "telecom"),
            ("company_name", "某通信运营商"),
            ("requested_action", "downgrade"),
            ("narrative", FORM_NARRATIVE),
            ("contact_email", FORM_EMAIL),
            ("contact_phone", FORM_PHONE),
            ("language", "zh-CN"),
        ],
    );
    let r = anon
        .post(format!("{base}/complaints"))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let receipt = r.headers()["location"].to_str().expect("ascii").to_string();
    assert_eq!(
        anon.status_of(format!("{base}{receipt}")).await,
        StatusCode::OK
    );
    assert_eq!(
        anon.status_of(format!("{base}/track/{code}")).await,
        StatusCode::OK
    );

    // Staff: a failed and a good sign-in, a token created and used, the case viewed and searched.
    let c = client();
    let html = c.text_of(format!("{base}/staff/login")).await;
    let r = c
        .post(format!("{base}/staff/login"))
        .form(&[
            ("email", "admin@example.org"),
            ("password", WRONG_PASSWORD),
            ("csrf_token", &csrf_of(&html)),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (admin, session_id) = sign_in(&base, "admin@example.org", PASSWORD).await;
    let html = admin.text_of(format!("{base}/staff/users")).await;
    let r = admin
        .post(format!("{base}/staff/tokens"))
        .form(&[
            ("user_email", "admin@example.org"),
            ("name", "log test"),
            ("csrf_token", &csrf_of(&html)),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("text");
    let start = html.find("dwt_").expect("the new token is shown once");
    let api_token: String = html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let r = anon
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(&api_token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    let conn = downgrade_watch::store::db::Db::connect(&db.url)
        .await
        .expect("db")
        .read;
    let id = complaint::Entity::find()
        .filter(complaint::Column::TrackingCode.eq(code.as_str()))
        .one(&conn)
        .await
        .expect("q")
        .expect("case")
        .id;
    let mut viewed = vec![
        format!("/staff/cases/{id}/erase"),
        "/staff/outbox".to_string(),
        "/staff/audit".to_string(),
    ];
    if has_route("GET", "/staff/cases/{id}") {
        viewed.push(format!("/staff/cases/{id}"));
    }
    if has_route("GET", "/staff/cases") {
        viewed.push(format!("/staff/cases?q={PHONE}"));
        viewed.push(format!("/staff/cases?q={NARRATIVE_FRAGMENT}"));
    }
    for path in &viewed {
        let r = admin.fetch(format!("{base}{path}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
    }
    if has_route("GET", "/api/v1/cases/{id}") {
        let r = anon
            .get(format!("{base}/api/v1/cases/{id}"))
            .bearer_auth(&api_token)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.text().await.expect("text").contains(PHONE),
            "the staff API shows the contact data"
        );
    }
    // Let the outbox worker write the receipts.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill();

    let text = std::fs::read_to_string(&log).expect("log");
    assert!(
        text.contains("DEBUG") && text.contains("request"),
        "debug logging was on: {} bytes",
        text.len()
    );
    let secrets = [
        ("narrative", NARRATIVE_FRAGMENT),
        ("form narrative", "青龙湖畔"),
        ("phone", PHONE),
        ("form phone", FORM_PHONE),
        ("email", EMAIL),
        ("email (local part)", "zhuque.secret"),
        ("form email", FORM_EMAIL),
        ("contact name", NAME),
        ("password", PASSWORD),
        ("wrong password", WRONG_PASSWORD),
        ("API token", api_token.as_str()),
        ("API token secret part", &api_token[api_token.len() - 16..]),
        ("evidence token", evidence_token.as_str()),
        ("session id", session_id.as_str()),
    ];
    let leaks: Vec<String> = secrets
        .iter()
        .filter(|(_, s)| text.contains(*s))
        .map(|(what, s)| {
            let line = text.lines().find(|l| l.contains(*s)).unwrap_or("");
            format!("{what}: {}", line.chars().take(300).collect::<String>())
        })
        .collect();
    assert!(
        leaks.is_empty(),
        "secrets in the log:\n{}",
        leaks.join("\n")
    );
}

/// Directives every page's Content-Security-Policy must carry.
const DIRECTIVES_REQUIRED: &[&str] = &[
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
];

/// The sources of one CSP directive, falling back to `default-src`.
fn csp_sources(csp: &str, directive: &str) -> Vec<String> {
    let find = |name: &str| {
        csp.split(';').map(str::trim).find_map(|d| {
            let mut parts = d.split_whitespace();
            (parts.next() == Some(name)).then(|| parts.map(str::to_string).collect::<Vec<_>>())
        })
    };
    find(directive)
        .or_else(|| find("default-src"))
        .unwrap_or_default()
}

/// Checks the security headers of one response and, for HTML pages, that nothing inline needs
/// them relaxed. Downloads (`Content-Disposition: attachment`) may carry a policy of their own,
/// but never one that lets a script run. Returns the body.
async fn check_headers(r: reqwest::Response, what: &str) -> String {
    let h = r.headers().clone();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .expect("ascii")
        .to_string();
    let scripts = csp_sources(&csp, "script-src");
    assert!(
        !scripts.is_empty() && scripts.iter().all(|s| s == "'self'" || s == "'none'"),
        "{what}: scripts must come from our own files only: {csp}"
    );
    assert!(
        !csp.contains("unsafe-eval") && !csp.contains('*'),
        "{what}: {csp}"
    );
    let attachment = h
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|d| d.starts_with("attachment"));
    if !attachment {
        for d in DIRECTIVES_REQUIRED {
            assert!(csp.contains(d), "{what}: CSP lacks {d}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    }
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert!(h.contains_key("referrer-policy"), "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
    let is_html = h
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let body = r.text().await.expect("text");
    if is_html && !attachment {
        let lower = body.to_lowercase();
        for (i, _) in lower.match_indices("<script") {
            let tag: String = lower[i..].chars().take_while(|c| *c != '>').collect();
            assert!(tag.contains(" src="), "{what}: inline script {tag}");
        }
        assert!(
            !lower.contains(" style=\"") && !lower.contains("<style"),
            "{what}: inline style"
        );
        assert!(
            !lower.contains(" onclick=")
                && !lower.contains(" onload=")
                && !lower.contains(" onsubmit="),
            "{what}: inline handler"
        );
    }
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_https_cookies_are_secure_every_page_has_a_strict_csp_and_evidence_downloads_are_attachments(
) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fresh_db(dir.path()).await;
    let mut server = Server::start(
        &db.url,
        dir.path(),
        &[("DW_BASE_URL", "https://complaints.example.org")],
        None,
    );
    server.wait_for("/readyz", Duration::from_secs(90)).await;
    let base = server.base.clone();
    let conn = downgrade_watch::store::db::Db::connect(&db.url)
        .await
        .expect("db");
    downgrade_watch::services::accounts::create_user(
        &conn.write,
        "admin@example.org",
        "",
        Role::Admin,
        Some(PASSWORD),
    )
    .await
    .expect("user");

    // Cookies: the session cookie (before and after sign-in) and the language cookie.
    let anon = client();
    let r = anon.fetch(format!("{base}/staff/login")).await;
    let cookie = set_cookie(&r, "dw_session").expect("a session cookie with the login form");
    assert!(
        cookie.contains("; Secure")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let html = r.text().await.expect("text");
    let r = anon
        .post(format!("{base}/staff/login"))
        .form(&[
            ("email", "admin@example.org"),
            ("password", PASSWORD),
            ("csrf_token", &csrf_of(&html)),
            ("next", "/staff"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = set_cookie(&r, "dw_session").expect("a fresh session id after sign-in");
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let r = client().fetch(format!("{base}/?lang=en")).await;
    let cookie = set_cookie(&r, "lang").expect("language cookie");
    assert!(cookie.contains("; Secure"), "{cookie}");
    let admin = anon;

    // A complaint with evidence, so case pages and downloads have something to show.
    let v: Value = client()
        .post(format!("{base}/api/v1/complaints"))
        .json(&reference_case(2))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    let code = v["tracking_code"].as_str().expect("code").to_string();
    let form = Form::new().part(
        "file",
        Part::bytes(tiny_png())
            .file_name("<b>x</b>.html.png")
            .mime_str("text/html")
            .expect("mime"),
    );
    let r = client()
        .post(format!("{base}/api/v1/complaints/{code}/evidence"))
        .header(
            "x-evidence-token",
            v["evidence_token"].as_str().expect("token"),
        )
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CREATED);
    let case = complaint::Entity::find()
        .filter(complaint::Column::TrackingCode.eq(code.as_str()))
        .one(&conn.read)
        .await
        .expect("q")
        .expect("case");
    let file = evidence_file::Entity::find()
        .filter(evidence_file::Column::ComplaintId.eq(case.id))
        .one(&conn.read)
        .await
        .expect("q")
        .expect("file");

    // Every page: public ones, error pages, the API, and every staff page an admin can open.
    let mut pages: Vec<String> = [
        "/",
        "/complaints/new",
        "/track",
        "/privacy",
        "/no/such/page",
        "/track/DW-2222-2222",
        "/staff/login",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    pages.push(format!("/track/{code}"));
    pages.push(format!("/api/v1/complaints/{code}"));
    pages.push("/api/v1/complaints/DW-2222-2222".into());
    for spec in downgrade_watch::web::route_specs() {
        if spec.method != "GET" || spec.path.matches('{').count() > 1 {
            continue;
        }
        let path = spec
            .path
            .replace("{id}", &case.id.to_string())
            .replace("{code}", &code)
            .replace("{period}", "2026-Q3");
        if !path.contains('{') {
            pages.push(path);
        }
    }
    for lang in ["zh-CN", "en"] {
        for p in &pages {
            let sep = if p.contains('?') { '&' } else { '?' };
            let r = admin.fetch(format!("{base}{p}{sep}lang={lang}")).await;
            assert!(r.status() != StatusCode::INTERNAL_SERVER_ERROR, "{p}");
            check_headers(r, p).await;
        }
    }
    // A POST answer and a 405 carry them too.
    let r = client()
        .post(format!("{base}/api/v1/complaints"))
        .json(&json!({}))
        .send()
        .await
        .expect("post");
    check_headers(r, "POST /api/v1/complaints").await;
    let r = client()
        .delete(format!("{base}/"))
        .send()
        .await
        .expect("delete");
    check_headers(r, "DELETE /").await;

    // Evidence downloads, where this build has them, are attachments that browsers never sniff.
    let download = downgrade_watch::web::route_specs()
        .into_iter()
        .find(|s| s.method == "GET" && s.path.starts_with("/staff/cases/{id}/evidence/"));
    match download {
        Some(spec) => {
            assert_eq!(spec.path.matches('{').count(), 2, "{}", spec.path);
            let path = format!("/staff/cases/{}/evidence/{}", case.id, file.id);
            let r = admin.fetch(format!("{base}{path}")).await;
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            let h = r.headers().clone();
            let disposition = h
                .get("content-disposition")
                .expect("content-disposition")
                .to_str()
                .unwrap_or("")
                .to_string();
            assert!(disposition.starts_with("attachment"), "{disposition}");
            assert_eq!(h["x-content-type-options"], "nosniff");
            assert_eq!(
                h["content-type"], "image/png",
                "the sniffed type, not what the uploader claimed"
            );
            let body = check_headers(r, &path).await;
            assert!(!body.is_empty());
            let r = client().fetch(format!("{base}{path}")).await;
            assert_eq!(
                r.status(),
                StatusCode::SEE_OTHER,
                "anonymous users are sent to sign in"
            );
        }
        None => eprintln!(
            "note: no evidence download route in this build; download headers not checked"
        ),
    }
}
