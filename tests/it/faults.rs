//! Fault scenarios: the real binary killed under load, PostgreSQL refusing connections for a
//! while, an upload directory that cannot be written. Each test fails if its guarantee breaks.
use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Statement,
};
use serde_json::{json, Value};

use crate::support::{form_token, fresh_db, intake_form, pg_url, png_part, png_upload};
use crate::support::{make_user, signed_in};
use crate::support::{reference_case, spawn, Fetch};
use downgrade_watch::domain::Role;
use downgrade_watch::entities::{complaint, evidence_file, status_history};

/// The cells (tags stripped, trimmed) of the first table row of `html` that contains `needle`.
pub fn table_row_with(html: &str, needle: &str) -> Option<Vec<String>> {
    html.split("<tr")
        .skip(1)
        .map(|r| r.split("</tr>").next().unwrap_or(""))
        .find(|r| r.contains(needle))
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    strip_tags(
                        cell.split_once('>')
                            .map(|x| x.1)
                            .unwrap_or("")
                            .split("</td>")
                            .next()
                            .unwrap_or(""),
                    )
                })
                .collect()
        })
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// The real `downgrade-watch` binary serving on a port of its own.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts `downgrade-watch serve` with a clean environment plus `env`; output goes to `log`
    /// (appended) or nowhere.
    pub fn start(
        db_url: &str,
        data_dir: &Path,
        env: &[(&str, &str)],
        log: Option<&Path>,
    ) -> Server {
        let port = free_port();
        let (out, err) = match log {
            Some(p) => {
                let f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .expect("log file");
                (Stdio::from(f.try_clone().expect("clone")), Stdio::from(f))
            }
            None => (Stdio::null(), Stdio::null()),
        };
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_downgrade-watch"));
        cmd.arg("serve")
            .env_clear()
            .env("DATABASE_URL", db_url)
            .env("DW_DATA_DIR", data_dir)
            .env("DW_BIND", format!("127.0.0.1:{port}"))
            .env("DW_BASE_URL", "http://downgrade-watch.test")
            .env("DW_INTAKE_LIMIT", "off")
            .env("DW_MIN_FILL_SECONDS", "0")
            .env("DW_OUTBOX_POLL_MS", "200")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start downgrade-watch");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Waits until `path` answers 200 (the binary migrates the database first).
    pub async fn wait_for(&mut self, path: &str, timeout: Duration) {
        let client = reqwest::Client::new();
        let start = Instant::now();
        loop {
            if let Ok(r) = client.get(self.url(path)).send().await {
                if r.status() == StatusCode::OK {
                    return;
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("downgrade-watch exited with {status} before {path} answered");
            }
            assert!(
                start.elapsed() < timeout,
                "{path} did not answer 200 within {timeout:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGKILL on Unix: no graceful shutdown, no flushing, no destructors.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("row");
    row.try_get::<i64>("", "n").expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_the_server_under_load_loses_no_acknowledged_complaint_and_leaves_nothing_half_written(
) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fresh_db(dir.path()).await;
    let mut server = Server::start(&db.url, dir.path(), &[], None);
    server.wait_for("/readyz", Duration::from_secs(90)).await;

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let acked_files: Arc<Mutex<Vec<(String, i64)>>> = Arc::default();
    let failed = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for i in 0..200usize {
        let (client, base) = (client.clone(), server.base.clone());
        let (acked, acked_files, failed, stop) = (
            acked.clone(),
            acked_files.clone(),
            failed.clone(),
            stop.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let mut doc = reference_case((i + n) % 4 + 1);
                if (i + n).is_multiple_of(2) {
                    doc["contact_email"] = json!(format!("load{i}.{n}@example.com"));
                }
                let r = match client
                    .post(format!("{base}/api/v1/complaints"))
                    .json(&doc)
                    .send()
                    .await
                {
                    Ok(r) => r,
                    Err(_) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                if r.status() != StatusCode::CREATED {
                    continue;
                }
                // Only a complete response counts as acknowledged.
                let Ok(v) = r.json::<Value>().await else {
                    continue;
                };
                let (Some(code), Some(token)) =
                    (v["tracking_code"].as_str(), v["evidence_token"].as_str())
                else {
                    continue;
                };
                acked.lock().expect("lock").push(code.to_string());
                if i % 3 == 0 {
                    let form = png_upload("bill.png");
                    let sent = client
                        .post(format!("{base}/api/v1/complaints/{code}/evidence"))
                        .header("x-evidence-token", token)
                        .multipart(form)
                        .send()
                        .await;
                    if let Ok(r) = sent {
                        if r.status() == StatusCode::CREATED {
                            if let Ok(v) = r.json::<Value>().await {
                                if let Some(id) = v["id"].as_i64() {
                                    acked_files
                                        .lock()
                                        .expect("lock")
                                        .push((code.to_string(), id));
                                }
                            }
                        }
                    }
                }
            }
        }));
    }
    // Let the load build up (complaints and uploads), then kill the server in the middle of it.
    let start = Instant::now();
    while (acked.lock().expect("lock").len() < 100 || acked_files.lock().expect("lock").len() < 10)
        && start.elapsed() < Duration::from_secs(120)
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.kill();
    let killed_at = acked.lock().expect("lock").len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.expect("client task");
    }
    let acked = acked.lock().expect("lock").clone();
    let acked_files = acked_files.lock().expect("lock").clone();
    assert!(
        !acked_files.is_empty(),
        "uploads were acknowledged before the kill"
    );
    assert!(
        killed_at >= 50,
        "load was running when the server was killed ({killed_at} filed)"
    );
    assert!(
        failed.load(Ordering::Relaxed) > 0,
        "requests were in flight when the server died"
    );

    // Restart on the same database and data folder.
    let mut server = Server::start(&db.url, dir.path(), &[], None);
    server.wait_for("/readyz", Duration::from_secs(90)).await;
    let r = client
        .post(server.url("/api/v1/complaints"))
        .json(&reference_case(1))
        .send()
        .await
        .expect("post");
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "the restarted server takes complaints"
    );

    let conn = downgrade_watch::store::db::Db::connect(&db.url)
        .await
        .expect("connect")
        .read;
    let stored: HashSet<String> = complaint::Entity::find()
        .all(&conn)
        .await
        .expect("complaints")
        .into_iter()
        .map(|c| c.tracking_code)
        .collect();
    let missing: Vec<_> = acked.iter().filter(|c| !stored.contains(*c)).collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged complaints lost, e.g. {:?}",
        missing.len(),
        missing.first()
    );
    let with_history: HashSet<i64> = status_history::Entity::find()
        .all(&conn)
        .await
        .expect("history")
        .into_iter()
        .map(|h| h.complaint_id)
        .collect();
    let total = complaint::Entity::find().count(&conn).await.expect("count") as usize;
    assert_eq!(
        with_history.len(),
        total,
        "every complaint has its first status_history row"
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) AS n FROM evidence_files e WHERE NOT EXISTS (SELECT 1 FROM complaints c WHERE c.id = e.complaint_id)").await, 0);
    assert_eq!(
        count(&conn, "SELECT COUNT(*) AS n FROM mail_outbox m WHERE m.complaint_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.id = m.complaint_id)").await,
        0
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) AS n FROM complaint_obstacles o WHERE NOT EXISTS (SELECT 1 FROM complaints c WHERE c.id = o.complaint_id)").await, 0);
    // The receipt is queued in the same transaction as the complaint it belongs to.
    assert_eq!(
        count(&conn, "SELECT COUNT(*) AS n FROM complaints c WHERE c.contact_email IS NOT NULL AND c.status = 'received' AND NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.complaint_id = c.id)").await,
        0
    );
    // Every acknowledged upload has its row, and every row its file.
    let files = evidence_file::Entity::find()
        .all(&conn)
        .await
        .expect("files");
    let ids: HashSet<i64> = files.iter().map(|f| f.id).collect();
    assert!(
        acked_files.iter().all(|(_, id)| ids.contains(id)),
        "an acknowledged upload was lost"
    );
    for f in &files {
        assert!(
            dir.path().join("evidence").join(&f.stored_name).is_file(),
            "evidence row {} without its file",
            f.id
        );
    }
    println!(
        "crash under load: {} complaints and {} uploads acknowledged before SIGKILL, all present",
        acked.len(),
        acked_files.len()
    );
}

/// The error body of a JSON 503.
async fn unavailable_json(r: reqwest::Response) -> Value {
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("application/json"));
    r.json().await.expect("json")
}

#[tokio::test]
async fn when_postgresql_refuses_connections_requests_get_a_clear_503_and_the_app_recovers_by_itself(
) {
    let Some(admin_url) = pg_url() else {
        eprintln!("skipped: the database outage test needs DATABASE_URL=postgres://...");
        return;
    };
    let app = spawn().await;
    make_user(&app, "admin@example.org", Role::Admin).await;
    let admin = signed_in(&app, "admin@example.org").await;
    let r = app
        .post_json("/api/v1/complaints", &reference_case(1))
        .await;
    let code = r.json::<Value>().await.expect("json")["tracking_code"]
        .as_str()
        .expect("code")
        .to_string();
    let name = url::Url::parse(&app.db.url)
        .expect("url")
        .path()
        .trim_start_matches('/')
        .to_string();

    // Take this test's database away (other tests' databases are untouched).
    let pg = sea_orm::Database::connect(&admin_url)
        .await
        .expect("admin connection");
    pg.execute_unprepared(&format!(
        "ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false"
    ))
    .await
    .expect("disallow");
    pg.execute_unprepared(&format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"))
        .await
        .expect("terminate");

    let r = app.client.fetch(app.url("/readyz")).await;
    let v = unavailable_json(r).await;
    assert_eq!(v["database"], "unreachable");

    let r = app
        .client
        .post(app.url("/api/v1/complaints"))
        .header("accept-language", "en")
        .json(&reference_case(2))
        .send()
        .await
        .expect("post");
    let v = unavailable_json(r).await;
    assert_eq!(v["error"]["code"], "unavailable");
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("message")
            .contains("temporarily unavailable"),
        "{v}"
    );

    let visits = [
        (&app.client, format!("/track/{code}")),
        (&app.client, "/staff/login".to_string()),
        (&admin, format!("/track/{code}")),
        (&admin, "/staff/outbox".to_string()),
    ];
    for (client, path) in visits {
        let r = client.fetch(app.url(&path)).await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .expect("ascii")
                .starts_with("text/html"),
            "{path}"
        );
        let html = r.text().await.expect("text");
        assert!(
            html.contains("服务暂时不可用"),
            "{path}: a localised page says so"
        );
    }

    // The database comes back; the same process recovers without a restart.
    pg.execute_unprepared(&format!(
        "ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS true"
    ))
    .await
    .expect("allow");
    let start = Instant::now();
    loop {
        let r = app
            .post_json("/api/v1/complaints", &reference_case(3))
            .await;
        if r.status() == StatusCode::CREATED {
            break;
        }
        assert_eq!(
            r.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "while reconnecting: 503, never 500"
        );
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the app did not recover within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(
        app.client.status_of(app.url("/readyz")).await,
        StatusCode::OK
    );
    assert_eq!(
        admin.status_of(app.url("/staff/outbox")).await,
        StatusCode::OK,
        "the session survived"
    );
    let _ = pg.close().await;
}

#[tokio::test]
async fn when_evidence_cannot_be_written_the_complaint_is_filed_without_it_and_the_consumer_is_told(
) {
    let app = spawn().await;
    // Tests run as root, where a read-only directory would not stop writes: a file where the
    // evidence folder belongs makes every write fail.
    let blocker = app.data_dir.path().join("evidence");
    std::fs::write(&blocker, b"not a directory").expect("blocker");

    let token = form_token(&app).await;
    let form = intake_form(
        &token,
        &[
            ("website", ""),
            ("sector", "cloud_storage"),
            ("company_name", "某云存储服务商"),
            ("requested_action", "downgrade"),
            (
                "narrative",
                "网页上申请降级显示成功，次月仍按原价扣费，客服说合约期内不能降级。",
            ),
            ("language", "zh-CN"),
        ],
    )
    .part("evidence", png_part("bill.png"));
    let r = app.post_multipart("/complaints", form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().expect("ascii").to_string();
    assert!(location.contains("files_failed=1"), "{location}");
    let code = location
        .trim_start_matches("/complaints/receipt/")
        .split('?')
        .next()
        .expect("code")
        .to_string();
    let html = app.client.text_of(app.url(&location)).await;
    assert!(
        html.contains(&code) && html.contains("有1个文件未能保存"),
        "the receipt tells the consumer"
    );

    let db = &app.state.db.read;
    let c = complaint::Entity::find()
        .filter(complaint::Column::TrackingCode.eq(code.as_str()))
        .one(db)
        .await
        .expect("query")
        .expect("complaint kept");
    assert_eq!(
        evidence_file::Entity::find()
            .filter(evidence_file::Column::ComplaintId.eq(c.id))
            .count(db)
            .await
            .expect("count"),
        0
    );

    // The API says so with a 503 and writes nothing.
    let v: Value = app
        .post_json("/api/v1/complaints", &reference_case(4))
        .await
        .json()
        .await
        .expect("json");
    let (code, token) = (
        v["tracking_code"].as_str().expect("code"),
        v["evidence_token"].as_str().expect("token"),
    );
    let form = png_upload("bill.png");
    let r = app
        .client
        .post(app.url(&format!("/api/v1/complaints/{code}/evidence")))
        .header("x-evidence-token", token)
        .multipart(form)
        .send()
        .await
        .expect("post");
    let v = unavailable_json(r).await;
    assert_eq!(v["error"]["code"], "unavailable");
    assert!(!v["error"]["message"].as_str().unwrap_or("").is_empty());
    assert_eq!(
        evidence_file::Entity::find()
            .count(db)
            .await
            .expect("count"),
        0,
        "no row without its file"
    );
    assert_eq!(
        std::fs::read(&blocker).expect("blocker"),
        b"not a directory",
        "nothing half-written"
    );

    // Once the folder is fixed, the same token works.
    std::fs::remove_file(&blocker).expect("remove");
    let form = png_upload("bill.png");
    let r = app
        .client
        .post(app.url(&format!("/api/v1/complaints/{code}/evidence")))
        .header("x-evidence-token", token)
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CREATED);
}
