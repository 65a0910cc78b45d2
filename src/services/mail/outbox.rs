//! The mail outbox: rows are queued inside the transaction that causes them, and a background
//! worker delivers them over SMTP (or to `.eml` files without `SMTP_URL`) with retries and
//! backoff. A row is claimed with a conditional update before sending, so two workers (or two
//! instances) never send the same row.
use std::time::Duration;

use chrono::Utc;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::domain::Language;
use crate::entities::mail_outbox;
use crate::services::mail::MailContent;
use crate::state::AppState;
use crate::store::sql::stmt;

/// Deliveries are abandoned (status `failed`) after this many attempts.
pub const MAX_ATTEMPTS: i32 = 12;
/// How long a claimed row stays reserved for the worker that claimed it.
const CLAIM_FOR: chrono::Duration = chrono::Duration::minutes(5);

/// Queues a message; call inside the transaction that creates its cause.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    complaint_id: Option<i64>,
    kind: &str,
    to: &str,
    lang: Language,
    content: MailContent,
) -> Result<i64, sea_orm::DbErr> {
    let row = pending(complaint_id, kind, to, lang, content)
        .insert(conn)
        .await?;
    Ok(row.id)
}

/// A mail waiting in the outbox, not yet inserted (for callers that write it with other rows).
pub fn pending(
    complaint_id: Option<i64>,
    kind: &str,
    to: &str,
    lang: Language,
    content: MailContent,
) -> mail_outbox::ActiveModel {
    let now = Utc::now();
    mail_outbox::ActiveModel {
        complaint_id: Set(complaint_id),
        kind: Set(kind.into()),
        to_addr: Set(to.into()),
        subject: Set(content.subject),
        body_text: Set(content.text),
        body_html: Set(content.html),
        language: Set(lang.code().into()),
        status: Set("pending".into()),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
}

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

impl Transport {
    fn from_state(state: &AppState) -> anyhow::Result<Transport> {
        match &state.config.smtp_url {
            Some(url) => Ok(Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            )),
            None => {
                let dir = state.config.outbox_dir();
                std::fs::create_dir_all(&dir)?;
                Ok(Transport::File(AsyncFileTransport::<Tokio1Executor>::new(
                    dir,
                )))
            }
        }
    }

    /// Sends a message; returns the `.eml` file's name for the file transport ('' for SMTP).
    async fn send(&self, msg: Message) -> Result<String, String> {
        match self {
            Transport::Smtp(t) => t
                .send(msg)
                .await
                .map(|_| String::new())
                .map_err(|e| e.to_string()),
            Transport::File(t) => t
                .send(msg)
                .await
                .map(|id| format!("{id}.eml"))
                .map_err(|e| e.to_string()),
        }
    }
}

/// Mail kinds that go to a company: they carry `Reply-To` set to the association's address, so
/// a company that answers by mail reaches staff (who record the answer), not the robot sender.
pub const COMPANY_MAIL_KINDS: &[&str] = &[
    "forward",
    "response_reminder",
    "no_response",
    "reopen",
    "extension_decided",
];

fn build_message(
    from: &str,
    reply_to: &str,
    row: &mail_outbox::Model,
    base_host: &str,
) -> Result<Message, String> {
    let from: Mailbox = from.parse().map_err(|e| format!("bad sender: {e}"))?;
    let to: Mailbox = row
        .to_addr
        .parse()
        .map_err(|e| format!("bad recipient: {e}"))?;
    let mut builder = Message::builder();
    if COMPANY_MAIL_KINDS.contains(&row.kind.as_str()) {
        let reply_to: Mailbox = reply_to.parse().map_err(|e| format!("bad reply-to: {e}"))?;
        builder = builder.reply_to(reply_to);
    }
    builder
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        // Stable id: a receiving server can drop a rare re-send after a crash mid-delivery.
        .message_id(Some(format!(
            "<outbox-{}-{}@{}>",
            row.id,
            row.created_at.timestamp(),
            base_host
        )))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(row.body_text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(row.body_html.clone()),
                ),
        )
        .map_err(|e| e.to_string())
}

/// Claims up to `limit` due rows for this worker in one statement and returns them. On
/// PostgreSQL the candidate rows are locked with `FOR UPDATE SKIP LOCKED`, so concurrent workers
/// (in this or another instance) take disjoint rows without waiting; SQLite has a single writer,
/// which serialises claims. A claim lasts `CLAIM_FOR`, after which a crashed worker's rows are
/// retried.
async fn claim_due(
    state: &AppState,
    limit: i64,
) -> Result<Vec<mail_outbox::Model>, sea_orm::DbErr> {
    let db = &state.db.write;
    let backend = db.get_database_backend();
    let now = Utc::now();
    let lock = if backend == sea_orm::DatabaseBackend::Postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE mail_outbox SET locked_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
         AND (locked_until IS NULL OR locked_until < $3) ORDER BY id LIMIT $4{lock}) RETURNING *"
    );
    let rows = mail_outbox::Entity::find()
        .from_raw_sql(stmt(
            backend,
            &sql,
            vec![
                (now + CLAIM_FOR).into(),
                now.into(),
                now.into(),
                limit.into(),
            ],
        ))
        .all(db)
        .await?;
    Ok(rows)
}

/// Sends every due message once; returns how many were attempted.
pub async fn deliver_due(
    state: &AppState,
    transport_cache: &mut Option<Transport>,
) -> Result<usize, sea_orm::DbErr> {
    let host = state
        .config
        .base_url
        .host_str()
        .unwrap_or("localhost")
        .to_string();
    let mut attempted = 0;
    loop {
        let batch = claim_due(state, 20).await?;
        if batch.is_empty() {
            return Ok(attempted);
        }
        for row in batch {
            attempted += 1;
            deliver_one(state, transport_cache, row, &host).await?;
        }
    }
}

async fn deliver_one(
    state: &AppState,
    transport_cache: &mut Option<Transport>,
    row: mail_outbox::Model,
    host: &str,
) -> Result<(), sea_orm::DbErr> {
    if transport_cache.is_none() {
        match Transport::from_state(state) {
            Ok(t) => *transport_cache = Some(t),
            Err(e) => return record_failure(state, &row, &format!("transport: {e}")).await,
        }
    }
    let result = match (
        build_message(&state.config.mail_from, &state.config.reply_to, &row, host),
        transport_cache.as_ref(),
    ) {
        (Ok(msg), Some(t)) => t.send(msg).await,
        (Err(e), _) => Err(e),
        (_, None) => Err("no transport".into()),
    };
    match result {
        Ok(eml) => record_sent(state, row.id, &eml).await,
        Err(e) => {
            // SMTP errors often quote the recipient address; logs never carry it.
            tracing::warn!(outbox_id = row.id, error = %crate::services::privacy::mask_emails_in(&e), "mail delivery failed; will retry");
            record_failure(state, &row, &e).await
        }
    }
}

/// Marks a row sent with the name of its `.eml` file. A row an erasure cancelled while it was
/// being sent is not marked; its file, written with the old body, is queued for deletion.
async fn record_sent(state: &AppState, id: i64, eml: &str) -> Result<(), sea_orm::DbErr> {
    let db = &state.db.write;
    let backend = db.get_database_backend();
    let now = Utc::now();
    let marked = db
        .execute(stmt(
            backend,
            "UPDATE mail_outbox SET status = 'sent', sent_at = $1, locked_until = NULL, last_error = NULL, \
             eml_file = $2 WHERE id = $3 AND status = 'pending'",
            vec![now.into(), eml.into(), id.into()],
        ))
        .await?
        .rows_affected();
    if marked == 0 {
        db.execute(stmt(
            backend,
            "UPDATE mail_outbox SET sent_at = $1, locked_until = NULL, eml_file = '' WHERE id = $2",
            vec![now.into(), id.into()],
        ))
        .await?;
        if !eml.is_empty() {
            crate::services::privacy::erasure::files::queue_late_eml(db, eml).await?;
        }
    }
    Ok(())
}

async fn record_failure(
    state: &AppState,
    row: &mail_outbox::Model,
    error: &str,
) -> Result<(), sea_orm::DbErr> {
    // The claim already counted this attempt.
    let attempts = row.attempts;
    let base = state.config.mail_retry_base.as_millis() as i64;
    let backoff_ms = (base.saturating_mul(1i64 << (attempts - 1).clamp(0, 16))).min(3_600_000);
    let mut m: mail_outbox::ActiveModel = row.clone().into();
    m.attempts = Set(attempts);
    m.last_error = Set(Some(error.chars().take(500).collect()));
    m.locked_until = Set(None);
    m.next_attempt_at = Set(Utc::now() + chrono::Duration::milliseconds(backoff_ms));
    if attempts >= MAX_ATTEMPTS {
        m.status = Set("failed".into());
    }
    m.update(&state.db.write).await?;
    Ok(())
}

/// Handle to stop the background workers.
pub struct Workers {
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
}

impl Workers {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
    }
}

/// Starts the outbox worker (and periodic housekeeping).
/// Reloads the reference data (so a holiday edit made on another instance reaches this one's
/// clocks within one sweep interval), then runs the deadline sweep.
async fn sweep_deadlines(state: &AppState) {
    if let Err(e) = state.reload_reference().await {
        tracing::warn!(error = %e, "reference data reload failed");
    }
    let today = crate::domain::format::today();
    match crate::services::deadlines::sweep(&state.case_work(), today, chrono::Utc::now()).await {
        Ok(r) if r.is_empty() => {}
        Ok(r) => tracing::info!(
            no_response = r.no_response.len(),
            reminders = r.reminders.len(),
            review_overdue = r.review_overdue.len(),
            "deadline sweep"
        ),
        Err(e) => tracing::warn!(error = %e, "deadline sweep failed"),
    }
}

/// How often the worker runs consumers' erasure requests whose cooling-off has passed, retries
/// queued file deletions and copies new ledger rows to the ledger file.
const ERASURE_EVERY: Duration = Duration::from_secs(60);

async fn erasure_housekeeping(state: &AppState) {
    use crate::services::privacy::erasure::{self, files, requests, Dirs};
    let dirs = Dirs::of(&state.config);
    match requests::run_due(&state.db.write, &dirs, chrono::Utc::now()).await {
        Ok(ids) if ids.is_empty() => {}
        Ok(ids) => tracing::info!(
            cases = ids.len(),
            "erasure requests ran after their cooling-off"
        ),
        Err(e) => tracing::warn!(error = %e, "erasure requests failed"),
    }
    if let Err(e) = files::retry(&state.db.write, &dirs).await {
        tracing::warn!(error = %e, "file deletions failed");
    }
    if let Err(e) = erasure::ledger::flush(&state.db.write, &dirs.ledger).await {
        tracing::warn!(error = %e, "erasure ledger file not written");
    }
}

pub fn spawn_worker(state: AppState) -> Workers {
    let (tx, mut rx) = watch::channel(false);
    let handle = tokio::spawn(async move {
        let mut transport = None;
        let mut last_prune = std::time::Instant::now();
        // Checked hourly; runs at most once a day across restarts and instances.
        let mut last_purge_check: Option<std::time::Instant> = None;
        let mut last_sweep: Option<std::time::Instant> = None;
        let mut last_erasure_check: Option<std::time::Instant> = None;
        loop {
            if let Err(e) = deliver_due(&state, &mut transport).await {
                tracing::warn!(error = %e, "outbox pass failed");
            }
            if last_prune.elapsed() > Duration::from_secs(3600) {
                last_prune = std::time::Instant::now();
                if let Err(e) = crate::store::ratelimit::prune(&state.db.write).await {
                    tracing::warn!(error = %e, "rate-limit pruning failed");
                }
            }
            if last_purge_check.is_none_or(|t| t.elapsed() > Duration::from_secs(3600)) {
                last_purge_check = Some(std::time::Instant::now());
                match crate::services::privacy::purge_if_due(
                    &state.db.write,
                    &crate::services::privacy::erasure::Dirs::of(&state.config),
                    state.config.retention_months,
                )
                .await
                {
                    Ok(Some(n)) => tracing::info!(cases = n, "retention purge ran"),
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "retention purge failed"),
                }
            }
            if last_erasure_check.is_none_or(|t| t.elapsed() >= ERASURE_EVERY) {
                last_erasure_check = Some(std::time::Instant::now());
                erasure_housekeeping(&state).await;
            }
            if let Some(every) = state.config.sweep_interval {
                if last_sweep.is_none_or(|t| t.elapsed() >= every) {
                    last_sweep = Some(std::time::Instant::now());
                    sweep_deadlines(&state).await;
                }
            }
            tokio::select! {
                _ = state.mail_wake.notified() => {},
                _ = tokio::time::sleep(state.config.outbox_poll) => {},
                _ = rx.changed() => break,
            }
        }
    });
    Workers { stop: tx, handle }
}
