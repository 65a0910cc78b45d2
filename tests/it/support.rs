//! Test helpers: the real app on a random port with a fresh database (SQLite, or a new
//! PostgreSQL database when DATABASE_URL points to a server), and a real SMTP server.
#![allow(dead_code)]

mod accounts;
mod answers;
mod complaints;
mod http;
mod intake;
mod records;

pub use accounts::{
    api_token, bearer_get, csrf_of, log_in, make_user, signed_in, staff, token_for, Staff, PASSWORD,
};
pub use answers::CaseEnd;
pub use complaints::{complaint_by_code, complaint_by_id, file, upload_evidence, Complaint, Filed};
pub use http::{browser, location, Fetch};
pub use intake::{intake_form, png_part, png_upload};
pub use records::{audit_rows, company_named, exec, NewCompany};

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener as StdListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use downgrade_watch::{AppState, Application, BuildOptions, Config};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Options for one test app.
#[derive(Clone)]
pub struct Opts {
    pub smtp_url: Option<String>,
    pub intake_limit: String,
    pub min_fill_seconds: u64,
    /// `DW_PDF_FONT` (default: unset, the system font folders are searched).
    pub pdf_font: Option<String>,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            smtp_url: None,
            intake_limit: "off".into(),
            min_fill_seconds: 0,
            pdf_font: None,
        }
    }
}

/// A running app and what it needs to stay alive.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub data_dir: tempfile::TempDir,
    pub db: TestDb,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Stops the server gracefully (in-flight requests finish).
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.server.take() {
            let _ = h.await;
        }
    }
}

/// A database for one test, dropped afterwards.
pub struct TestDb {
    pub url: String,
    pg_admin: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg_admin.take() {
            // Drop in a thread with its own runtime: Drop cannot be async.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async move {
                    if let Ok(conn) = sea_orm::Database::connect(&admin).await {
                        use sea_orm::ConnectionTrait;
                        let _ = conn
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// Whether the suite runs against PostgreSQL.
pub fn pg_url() -> Option<String> {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
}

/// A fresh database: a new PostgreSQL database named after a random id, or a SQLite file.
pub async fn fresh_db(dir: &std::path::Path) -> TestDb {
    match pg_url() {
        Some(admin) => {
            use sea_orm::ConnectionTrait;
            let name = format!("dw_test_{}", uuid::Uuid::new_v4().simple());
            let conn = sea_orm::Database::connect(&admin)
                .await
                .expect("connect to PostgreSQL admin database");
            conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create test database");
            let _ = conn.close().await;
            let mut url = url::Url::parse(&admin).expect("DATABASE_URL is a URL");
            url.set_path(&format!("/{name}"));
            TestDb {
                url: url.to_string(),
                pg_admin: Some((admin, name)),
            }
        }
        None => TestDb {
            url: format!("sqlite://{}/test.db", dir.display()),
            pg_admin: None,
        },
    }
}

pub fn config(db_url: &str, data_dir: &std::path::Path, opts: &Opts) -> Config {
    let mut env: HashMap<&str, String> = HashMap::new();
    env.insert("DATABASE_URL", db_url.to_string());
    env.insert("DW_BIND", "127.0.0.1:0".into());
    env.insert("DW_BASE_URL", "http://downgrade-watch.test".into());
    env.insert("DW_DATA_DIR", data_dir.display().to_string());
    env.insert("DW_INTAKE_LIMIT", opts.intake_limit.clone());
    env.insert("DW_MIN_FILL_SECONDS", opts.min_fill_seconds.to_string());
    env.insert("DW_OUTBOX_POLL_MS", "100".into());
    env.insert("DW_MAIL_RETRY_BASE_MS", "200".into());
    // The deadline sweep runs where a test asks for it (`downgrade-watch sweep` or the service).
    env.insert("DW_SWEEP_SECONDS", "off".into());
    env.insert(
        "DW_MAIL_FROM",
        "downgrade-watch <noreply@downgrade-watch.test>".into(),
    );
    if let Some(s) = &opts.smtp_url {
        env.insert("SMTP_URL", s.clone());
    }
    if let Some(f) = &opts.pdf_font {
        env.insert("DW_PDF_FONT", f.clone());
    }
    Config::from_lookup(|k| env.get(k).cloned()).expect("test config is valid")
}

pub async fn spawn() -> TestApp {
    spawn_with(Opts::default()).await
}

pub async fn spawn_with(opts: Opts) -> TestApp {
    let data_dir = tempfile::tempdir().expect("tempdir");
    let db = fresh_db(data_dir.path()).await;
    spawn_on(db, data_dir, opts).await
}

/// Starts an app on an existing database (used to restart or to run two instances).
pub async fn spawn_on(db: TestDb, data_dir: tempfile::TempDir, opts: Opts) -> TestApp {
    let cfg = config(&db.url, data_dir.path(), &opts);
    let app = Application::build(cfg, BuildOptions::default())
        .await
        .expect("app builds");
    let base = format!("http://{}", app.local_addr());
    let state = app.state().clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let _ = app
            .run_until_stopped(async move {
                let _ = rx.await;
            })
            .await;
    });
    let client = browser();
    TestApp {
        base,
        client,
        state,
        data_dir,
        db,
        shutdown: Some(tx),
        server: Some(server),
    }
}

/// A second app process on the same database as `first` (for multi-instance tests).
pub async fn spawn_sharing(first: &TestApp, opts: Opts) -> TestApp {
    let data_dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb {
        url: first.db.url.clone(),
        pg_admin: None,
    };
    spawn_on(db, data_dir, opts).await
}

/// One message received by the test SMTP server.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Mail {
    /// The decoded text of the message (quoted-printable and base64 parts undone).
    pub fn text(&self) -> String {
        decode_mime(&self.data)
    }
}

/// A real SMTP server (MailCrab's, over TCP on 127.0.0.1) behind a TCP front door that a test
/// can close and reopen, to simulate the mail server going down and coming back.
pub struct SmtpServer {
    pub port: u16,
    backend: SocketAddr,
    mails: Arc<Mutex<Vec<Mail>>>,
    front: Option<JoinHandle<()>>,
    stop: tokio_util::sync::CancellationToken,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let mails = Arc::new(Mutex::new(Vec::new()));
        // MailCrab binds the port it is given: take a free one from the system.
        let backend = StdListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free smtp port");
        let (tx, mut rx) = tokio::sync::broadcast::channel::<mailcrab::MailMessage>(256);
        let stop = tokio_util::sync::CancellationToken::new();
        tokio::spawn(mailcrab::mail_server(
            backend.ip(),
            backend.port(),
            tx,
            false,
            stop.clone(),
        ));
        let sink = mails.clone();
        tokio::spawn(async move {
            while let Ok(m) = rx.recv().await {
                let data = String::from_utf8_lossy(&m.raw_bytes().unwrap_or_default()).into_owned();
                sink.lock().expect("mail lock").push(Mail {
                    from: m.envelope_from,
                    to: m.envelope_recipients,
                    data,
                });
            }
        });
        let ready = Instant::now();
        while TcpStream::connect(backend).await.is_err() {
            assert!(
                ready.elapsed() < Duration::from_secs(10),
                "the SMTP server did not start"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let front = TcpListener::bind("127.0.0.1:0").await.expect("bind front");
        let port = front.local_addr().expect("addr").port();
        let mut s = SmtpServer {
            port,
            backend,
            mails,
            front: None,
            stop,
        };
        s.front = Some(Self::forward(front, backend));
        s
    }

    fn forward(front: TcpListener, backend: SocketAddr) -> JoinHandle<()> {
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = front.accept().await {
                tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(backend).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Closes the port: connections are refused until [`SmtpServer::resume`].
    pub async fn pause(&mut self) {
        if let Some(h) = self.front.take() {
            h.abort();
            let _ = h.await;
        }
    }

    pub async fn resume(&mut self) {
        let front = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("rebind smtp port");
        self.front = Some(Self::forward(front, self.backend));
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().expect("mail lock").clone()
    }

    /// Waits until at least `n` mails arrived (or the timeout passes) and returns them.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Mail> {
        let start = Instant::now();
        loop {
            let m = self.mails();
            if m.len() >= n || start.elapsed() > timeout {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Minimal MIME decoding for assertions: undoes quoted-printable soft breaks and `=XX` escapes
/// and base64 bodies, so assertions can look for text.
pub fn decode_mime(raw: &str) -> String {
    let mut out = String::new();
    let mut bytes = Vec::new();
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let b = joined.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            if let Ok(v) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                bytes.push(v);
                i += 3;
                continue;
            }
        }
        bytes.push(b[i]);
        i += 1;
    }
    out.push_str(&String::from_utf8_lossy(&bytes));
    // Base64 bodies: decode any long base64-looking block.
    for block in raw.split("\r\n\r\n").chain(raw.split("\n\n")) {
        let compact: String = block
            .lines()
            .take_while(|l| !l.starts_with("--"))
            .collect::<Vec<_>>()
            .join("");
        if compact.len() > 16
            && compact
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=')
        {
            use base64::Engine;
            if let Ok(d) = base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
                out.push('\n');
                out.push_str(&String::from_utf8_lossy(&d));
            }
        }
    }
    out
}

/// The four reference cases of cases.md as intake documents.
pub fn reference_case(n: usize) -> serde_json::Value {
    use serde_json::json;
    match n {
        1 => json!({
            "sector": "telecom", "company_name": "某通信运营商北京分公司",
            "plan_from": "59元/月套餐", "price_from": "59", "plan_to": "8元/月保号套餐", "price_to": "8.00",
            "billing_cycle": "monthly", "requested_action": "downgrade", "channels_tried": ["app", "hotline"],
            "contact_attempts": 6, "outcome": "not_resolved", "province": "110000",
            "narrative": "我想把每月59元的套餐改成8元的保号套餐。在运营商App里只找到“套餐升级”的按钮，没有任何降级入口。打客服电话排了很久的队，接通后客服说要上报处理，48小时内回电，但一直没人回。之后几次通话，客服都在劝我保留原套餐或者换一个“性价比更高”的套餐。升级随时能办，降级却要来回打电话折腾大半天。",
            "consent_share_narrative": true, "consent_contact_company": true, "language": "zh-CN"
        }),
        2 => json!({
            "sector": "video_membership", "company_name": "某视频平台",
            "plan_from": "连续包年高级会员", "plan_to": "基础会员", "billing_cycle": "yearly",
            "requested_action": "downgrade", "channels_tried": ["app", "online_chat"], "contact_attempts": 5,
            "outcome": "gave_up",
            "narrative": "升级按钮在首页非常醒目，降级选项却藏在“账户安全”里，翻了好几层才找到。点进去提示“当前周期内不支持降级操作，请于到期前3日内再试”。到期前三天再试，又弹窗说降级后将无法继续使用多项会员权益，建议保留当前套餐。在线客服一直是机器人推送固定话术，不转人工；我故意问更贵的超级VIP，一分钟内就有人工客服出现，可我一说要降级，对方又说基础版体验会大打折扣、超级VIP限时优惠很划算。",
            "consent_share_narrative": true, "consent_contact_company": false, "language": "zh-CN"
        }),
        3 => json!({
            "sector": "office_software", "company_name": "某办公软件公司",
            "plan_from": "年度会员", "requested_action": "refund", "channels_tried": ["app", "online_chat"],
            "contact_attempts": 4, "outcome": "not_resolved", "amount_claimed": "198",
            "narrative": "会员一键就能开通，付款后立刻生效，可App里没有任何自助退款或降级的入口，只能找客服。智能客服听不懂，我得反复输入“退款”“降级”才出现人工选项。人工客服说“您已享受的权益价值超过会员费”，不予退款，还让我再考虑一下。",
            "consent_share_narrative": false, "consent_contact_company": true, "language": "zh-CN"
        }),
        _ => json!({
            "sector": "cloud_storage", "company_name": "某云存储服务商",
            "plan_from": "2TB 每月30元", "price_from": "30", "plan_to": "200GB 每月6元", "price_to": "6",
            "billing_cycle": "monthly", "requested_action": "downgrade", "channels_tried": ["app", "website", "email"],
            "contact_attempts": 3, "outcome": "not_resolved",
            "narrative": "在网页上申请把2TB空间降到200GB，页面显示申请成功，次月生效；但升级的时候是立即生效、立即扣费。到了次月仍然按30元扣费，自动续费也没有任何提醒。发邮件给客服，回复说合约期内不能降级，要先取消全部增值服务才能办理。",
            "consent_share_narrative": true, "consent_contact_company": true, "language": "zh-CN"
        }),
    }
}

/// The signed form token in a complaint form page.
pub fn form_token_in(html: &str) -> String {
    let marker = "name=\"form_token\" value=\"";
    let start = html.find(marker).expect("form has a token") + marker.len();
    html[start..].split('"').next().expect("token").to_string()
}

/// Fetches the complaint form and returns the form token it hands out.
pub async fn form_token(app: &TestApp) -> String {
    form_token_in(&app.page("/complaints/new").await)
}

/// A minimal valid PNG (1×1 pixel).
pub fn tiny_png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}
