//! Reference server for the intake benchmark: `POST /complaints` takes the contract's intake
//! document and inserts the same row shape into the `complaints` table of a database that
//! `downgrade-watch migrate` created. Deliberately minimal: serde for parsing, one company lookup,
//! one INSERT, no triage, no spam checks, no status history, no outbox.
//!
//! Usage: `dw-bench-reference` with `DATABASE_URL` (sqlite://FILE or postgres://...) and
//! `DW_BIND` (default 127.0.0.1:8090). SQLite gets the same settings as downgrade-watch: WAL,
//! synchronous=NORMAL, a 30 s busy timeout and a single-connection pool (one writer path).
use std::str::FromStr;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntakeDoc {
    sector: String,
    company_name: String,
    service_name: Option<String>,
    plan_from: Option<String>,
    plan_to: Option<String>,
    price_from: Option<String>,
    price_to: Option<String>,
    billing_cycle: Option<String>,
    requested_action: String,
    #[serde(default)]
    channels_tried: Vec<String>,
    contact_attempts: Option<i32>,
    first_attempt_on: Option<NaiveDate>,
    #[serde(default)]
    #[allow(dead_code)]
    obstacles_reported: Vec<String>,
    outcome: Option<String>,
    amount_claimed: Option<String>,
    narrative: String,
    province: Option<String>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    #[serde(default)]
    consent_share_narrative: bool,
    #[serde(default)]
    consent_contact_company: bool,
    language: Option<String>,
}

/// The row as downgrade-watch stores it.
struct Row {
    tracking_code: String,
    evidence_token_hash: String,
    company_id: Option<i64>,
    price_from_fen: Option<i64>,
    price_to_fen: Option<i64>,
    amount_claimed_fen: Option<i64>,
    channels_tried: String,
    language: String,
    now: DateTime<Utc>,
    review_due_on: NaiveDate,
}

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

fn tracking_code() -> String {
    let mut rng = rand::rng();
    let s: String = (0..8)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("DW-{}-{}", &s[..4], &s[4..])
}

fn fen(yuan: &Option<String>) -> Result<Option<i64>, ()> {
    match yuan {
        None => Ok(None),
        Some(s) => {
            let v: f64 = s.trim().parse().map_err(|_| ())?;
            if !(0.0..=100_000.0).contains(&v) {
                return Err(());
            }
            Ok(Some((v * 100.0).round() as i64))
        }
    }
}

const INSERT: &str = "INSERT INTO complaints (tracking_code, evidence_token_hash, status, sector, company_id, \
    company_name, service_name, plan_from, plan_to, price_from_fen, price_to_fen, billing_cycle, requested_action, \
    channels_tried, contact_attempts, first_attempt_on, outcome, amount_claimed_fen, narrative, province, \
    contact_name, contact_email, contact_phone, consent_share_narrative, consent_contact_company, language, \
    submitted_via, spam_reasons, primary_obstacle, taxonomy_version, received_at, updated_at, version, \
    review_due_on, tags) VALUES ($1, $2, 'received', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
    $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, 'api', '', NULL, 'v1', $26, $27, 1, $28, '') RETURNING id";

const COMPANY: &str = "SELECT id FROM companies WHERE name_norm = $1 \
    UNION ALL SELECT company_id FROM company_aliases WHERE alias_norm = $2 LIMIT 1";

macro_rules! insert {
    ($pool:expr, $d:expr, $r:expr) => {
        sqlx::query_scalar::<_, i64>(INSERT)
            .bind(&$r.tracking_code)
            .bind(&$r.evidence_token_hash)
            .bind(&$d.sector)
            .bind($r.company_id)
            .bind(&$d.company_name)
            .bind(&$d.service_name)
            .bind(&$d.plan_from)
            .bind(&$d.plan_to)
            .bind($r.price_from_fen)
            .bind($r.price_to_fen)
            .bind(&$d.billing_cycle)
            .bind(&$d.requested_action)
            .bind(&$r.channels_tried)
            .bind($d.contact_attempts)
            .bind($d.first_attempt_on)
            .bind(&$d.outcome)
            .bind($r.amount_claimed_fen)
            .bind(&$d.narrative)
            .bind(&$d.province)
            .bind(&$d.contact_name)
            .bind(&$d.contact_email)
            .bind(&$d.contact_phone)
            .bind($d.consent_share_narrative)
            .bind($d.consent_contact_company)
            .bind(&$r.language)
            .bind($r.now)
            .bind($r.now)
            .bind($r.review_due_on)
            .fetch_one($pool)
            .await
    };
}

async fn create(State(pool): State<Pool>, body: axum::body::Bytes) -> Response {
    let doc: IntakeDoc = match serde_json::from_slice(&body) {
        Ok(d) => d,
        Err(e) => return (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response(),
    };
    let n = doc.narrative.chars().count();
    if !(20..=10_000).contains(&n) || doc.company_name.trim().is_empty() {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "narrative or company_name",
        )
            .into_response();
    }
    let (Ok(price_from_fen), Ok(price_to_fen), Ok(amount_claimed_fen)) = (
        fen(&doc.price_from),
        fen(&doc.price_to),
        fen(&doc.amount_claimed),
    ) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "amount").into_response();
    };
    let token: [u8; 24] = rand::random();
    let now = Utc::now();
    let norm = doc.company_name.trim().to_lowercase();
    let mut row = Row {
        tracking_code: tracking_code(),
        evidence_token_hash: hex::encode(Sha256::digest(hex::encode(token).as_bytes())),
        company_id: None,
        price_from_fen,
        price_to_fen,
        amount_claimed_fen,
        channels_tried: doc.channels_tried.join(";"),
        language: doc.language.clone().unwrap_or_else(|| "zh-CN".into()),
        now,
        review_due_on: now.date_naive() + chrono::Days::new(9),
    };
    let result = match &pool {
        // SQLite reads `$n` as numbered parameters, so the same SQL text serves both.
        Pool::Sqlite(p) => {
            row.company_id = sqlx::query_scalar(COMPANY)
                .bind(&norm)
                .bind(&norm)
                .fetch_optional(p)
                .await
                .ok()
                .flatten();
            insert!(p, doc, row)
        }
        Pool::Pg(p) => {
            row.company_id = sqlx::query_scalar(COMPANY)
                .bind(&norm)
                .bind(&norm)
                .fetch_optional(p)
                .await
                .ok()
                .flatten();
            insert!(p, doc, row)
        }
    };
    match result {
        Ok(id) => (
            StatusCode::CREATED,
            Json(serde_json::json!({ "id": id, "tracking_code": row.tracking_code, "status": "received" })),
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")?;
    let bind = std::env::var("DW_BIND").unwrap_or_else(|_| "127.0.0.1:8090".into());
    let pool = if url.starts_with("sqlite:") {
        let opts = SqliteConnectOptions::from_str(&url)?
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        Pool::Sqlite(
            SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(opts)
                .await?,
        )
    } else {
        Pool::Pg(
            PgPoolOptions::new()
                .max_connections(20)
                .connect(&url)
                .await?,
        )
    };
    let app = Router::new()
        .route("/complaints", post(create))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    eprintln!("reference listening on {bind}");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
