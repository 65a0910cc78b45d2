//! Consumer pages: home, the complaint form, the receipt and tracking.
pub mod stats;
use std::collections::BTreeMap;

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::domain::format;
use crate::domain::{
    BillingCycle, Channel, Language, Outcome, RequestedAction, Sector, TrackingCode,
};
use crate::error::{AppError, FieldErrors};
use crate::services::cases;
use crate::services::intake::evidence::{self, StoredFile, MAX_FILES};
use crate::services::intake::tracking;
use crate::services::intake::{self, ParseCtx, Via, FIELDS};
use crate::state::AppState;
use crate::store::ratelimit;
use crate::web::shared::client::ClientIp;
use crate::web::shared::lang::Lang;
use crate::web::shared::render::{context, page};

/// Whole form including up to ten 10 MB files and the text fields.
const FORM_BODY_LIMIT: usize = MAX_FILES * evidence::MAX_FILE_BYTES + 1024 * 1024;
const ARRAY_FIELDS: &[&str] = &["channels_tried", "obstacles_reported"];
/// All text fields together: the narrative (10 000 characters) and the short fields fit many
/// times over; anything larger is refused instead of being echoed back in the form.
const FORM_TEXT_LIMIT: usize = 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/privacy", get(privacy))
        .route("/complaints/new", get(new_form))
        .route(
            "/complaints",
            axum::routing::post(submit).layer(DefaultBodyLimit::max(FORM_BODY_LIMIT)),
        )
        .route("/complaints/receipt/{code}", get(receipt))
        .route("/track", get(track_form))
        .route("/track/{code}", get(track_view))
        .route("/track/{code}/reply", axum::routing::post(track_reply))
}

async fn home(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, AppError> {
    let ctx = context(&state, lang, "/");
    page(&state, "public/home.html", &ctx, StatusCode::OK)
}

async fn privacy(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, AppError> {
    let ctx = context(&state, lang, "/privacy");
    page(&state, "public/privacy.html", &ctx, StatusCode::OK)
}

type Hs = Hmac<Sha256>;

/// A signed timestamp proving when the form was served (minimum fill time).
fn form_token(secret: &[u8]) -> String {
    let ts = chrono::Utc::now().timestamp();
    format!("{ts}.{}", sign(secret, ts))
}

fn sign(secret: &[u8], ts: i64) -> String {
    let mut mac = Hs::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(format!("form:{ts}").as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// Seconds since the form was served, if the token is genuine.
fn token_age(secret: &[u8], token: &str) -> Option<i64> {
    let (ts, sig) = token.split_once('.')?;
    let ts: i64 = ts.parse().ok()?;
    let mut mac = Hs::new_from_slice(secret).ok()?;
    mac.update(format!("form:{ts}").as_bytes());
    let expected = hex::decode(sig).ok()?;
    mac.verify_truncated_left(&expected).ok()?;
    Some(chrono::Utc::now().timestamp() - ts)
}

/// What the consumer typed, kept for re-rendering.
#[derive(Default)]
struct Typed {
    values: Map<String, Value>,
    honeypot: String,
    token: String,
    files: Vec<(Option<String>, Vec<u8>)>,
    file_errors: Vec<String>,
}

fn form_page(
    state: &AppState,
    lang: Language,
    typed: &Typed,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let reference = state.reference();
    let mut ctx = context(state, lang, "/complaints/new");
    let mut values = typed.values.clone();
    for f in ARRAY_FIELDS {
        values
            .entry(f.to_string())
            .or_insert_with(|| Value::Array(vec![]));
    }
    ctx.insert("v", &values);
    ctx.insert("errors", errors);
    // Error summary in form order, each linking to its field.
    let summary: Vec<(String, String)> = ["form"]
        .iter()
        .chain(FIELDS)
        .chain(std::iter::once(&"evidence"))
        .filter_map(|f| errors.get(*f).map(|m| (f.to_string(), m.join(" "))))
        .collect();
    ctx.insert("summary", &summary);
    ctx.insert(
        "form_token",
        &if typed.token.is_empty() {
            form_token(&state.secret)
        } else {
            typed.token.clone()
        },
    );
    ctx.insert("sectors", &Sector::codes());
    ctx.insert("billing_cycles", &BillingCycle::codes());
    ctx.insert("actions", &RequestedAction::codes());
    ctx.insert("channels", &Channel::codes());
    ctx.insert("outcomes", &Outcome::codes());
    let obstacles: Vec<BTreeMap<&str, &str>> = reference
        .obstacles
        .iter()
        .filter(|o| o.active)
        .map(|o| {
            let label = match lang {
                Language::ZhCn => o.consumer_label_zh.as_str(),
                Language::En => o.consumer_label_en.as_str(),
            };
            BTreeMap::from([("code", o.code.as_str()), ("label", label)])
        })
        .collect();
    ctx.insert("obstacles", &obstacles);
    let provinces: Vec<BTreeMap<&str, &str>> = reference
        .provinces
        .iter()
        .map(|p| {
            let name = match lang {
                Language::ZhCn => p.name_zh.as_str(),
                Language::En => p.name_en.as_str(),
            };
            BTreeMap::from([("code", p.code.as_str()), ("name", name)])
        })
        .collect();
    ctx.insert("provinces", &provinces);
    ctx.insert("today", &format::today().to_string());
    ctx.insert("max_files_s", &MAX_FILES.to_string());
    page(state, "public/form.html", &ctx, status)
}

async fn new_form(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, AppError> {
    form_page(
        &state,
        lang,
        &Typed::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
}

/// Reads the multipart form; files are checked but not yet stored.
async fn read_form(state: &AppState, lang: Language, mut mp: Multipart) -> Result<Typed, AppError> {
    let mut typed = Typed::default();
    let mut text_bytes = 0usize;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::PayloadTooLarge)
            }
            Err(_) => return Err(AppError::BadRequest("errors.bad_multipart")),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "evidence" {
            let file_name = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge
                } else {
                    AppError::BadRequest("errors.bad_multipart")
                }
            })?;
            // A file input left empty still sends a part with no name and no bytes.
            if bytes.is_empty() && file_name.as_deref().unwrap_or("").is_empty() {
                continue;
            }
            if typed.files.len() >= MAX_FILES {
                typed.file_errors.push(state.i18n.fmt(
                    lang,
                    "errors.too_many_files",
                    &[("max", &MAX_FILES.to_string())],
                ));
                continue;
            }
            if let Err(r) = evidence::check(&bytes) {
                let shown = evidence::clean_name(file_name.as_deref());
                typed
                    .file_errors
                    .push(state.i18n.fmt(lang, r.message_key(), &[("name", &shown)]));
                continue;
            }
            typed.files.push((file_name, bytes.to_vec()));
            continue;
        }
        // Bytes, not `text()`: that would silently replace invalid UTF-8 with U+FFFD.
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::PayloadTooLarge)
            }
            Err(_) => return Err(AppError::BadRequest("errors.bad_multipart")),
        };
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| AppError::BadRequest("errors.invalid_utf8"))?;
        text_bytes += text.len();
        if text_bytes > FORM_TEXT_LIMIT {
            return Err(AppError::PayloadTooLarge);
        }
        match name.as_str() {
            "website" => typed.honeypot = text,
            "form_token" => typed.token = text,
            n if ARRAY_FIELDS.contains(&n) => {
                if let Value::Array(a) = typed
                    .values
                    .entry(n.to_string())
                    .or_insert_with(|| Value::Array(vec![]))
                {
                    // One past the limit is enough for the parser to refuse the list.
                    if a.len() <= intake::MAX_LIST_VALUES {
                        a.push(Value::String(text));
                    }
                }
            }
            // Repeated single-value keys: the first one wins, as browsers send one.
            n if !n.is_empty() => {
                typed
                    .values
                    .entry(n.to_string())
                    .or_insert(Value::String(text));
            }
            _ => {}
        }
    }
    Ok(typed)
}

async fn submit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    ClientIp(ip): ClientIp,
    mp: Multipart,
) -> Result<Response, AppError> {
    let typed = read_form(&state, lang, mp).await?;
    if let Some(limit) = state.config.intake_limit {
        if let Err(retry) = ratelimit::hit(&state.db.write, &rate_bucket(&state, ip), limit).await {
            let mut errors = FieldErrors::new();
            errors.insert(
                "form".into(),
                vec![state.i18n.fmt(
                    lang,
                    "errors.rate_limited_wait",
                    &[("seconds", &retry.to_string())],
                )],
            );
            let mut resp = form_page(&state, lang, &typed, &errors, StatusCode::TOO_MANY_REQUESTS)?;
            if let Ok(v) = retry.to_string().parse() {
                resp.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, v);
            }
            return Ok(resp);
        }
    }
    let reference = state.reference();
    let ctx = ParseCtx {
        i18n: &state.i18n,
        lang,
        reference: &reference,
        lenient: true,
        today: format::today(),
    };
    // The form's own extra fields are not part of the intake document.
    let mut doc = typed.values.clone();
    doc.retain(|k, _| FIELDS.contains(&k.as_str()));
    let parsed = intake::parse_document(&doc, &ctx);
    let mut errors = match &parsed {
        Ok(_) => FieldErrors::new(),
        Err(e) => e.clone(),
    };
    if !typed.file_errors.is_empty() {
        errors.insert("evidence".into(), typed.file_errors.clone());
    }
    let intake = match parsed {
        Ok(i) if errors.is_empty() => i,
        _ => {
            return form_page(
                &state,
                lang,
                &typed,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };

    let mut spam = Vec::new();
    if !typed.honeypot.trim().is_empty() {
        spam.push("honeypot");
    }
    match token_age(&state.secret, &typed.token) {
        None => spam.push("form_token"),
        Some(age) if age < state.config.min_fill_time.as_secs() as i64 => spam.push("too_fast"),
        _ => {}
    }

    // Store files first; if the disk fails the complaint is still filed and the consumer told.
    let dir = state.config.evidence_dir();
    let mut stored: Vec<StoredFile> = Vec::new();
    let mut failed = 0usize;
    for (name, bytes) in &typed.files {
        match evidence::check(bytes) {
            Ok(ct) => match evidence::store(&dir, name.as_deref(), bytes, ct).await {
                Ok(f) => stored.push(f),
                Err(e) => {
                    tracing::error!(error = %e, "evidence file could not be stored");
                    failed += 1;
                }
            },
            Err(_) => failed += 1,
        }
    }
    let filed = match intake::file(&state.intake_work(), intake, Via::Web, spam, &stored).await {
        Ok(f) => f,
        Err(e) => {
            evidence::discard(&dir, &stored).await;
            return Err(e.into());
        }
    };
    let mut to = format!("/complaints/receipt/{}", filed.tracking_code);
    if failed > 0 {
        to.push_str(&format!("?files_failed={failed}"));
    }
    Ok(Redirect::to(&to).into_response())
}

/// Rate-limit bucket for a client address, hashed so raw addresses are never stored.
pub fn rate_bucket(state: &AppState, ip: std::net::IpAddr) -> String {
    let mut mac = Hs::new_from_slice(&state.secret).expect("HMAC accepts keys of any length");
    mac.update(ip.to_string().as_bytes());
    format!("intake:{}", hex::encode(&mac.finalize().into_bytes()[..12]))
}

#[derive(Deserialize)]
struct ReceiptQuery {
    files_failed: Option<u32>,
}

async fn receipt(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(code): Path<String>,
    Query(q): Query<ReceiptQuery>,
) -> Result<Response, AppError> {
    let code = TrackingCode::parse(&code).ok_or(AppError::NotFound)?;
    let c = tracking::find(&state.db.read, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let reference = state.reference();
    let received_local = c
        .received_at
        .with_timezone(&format::shanghai())
        .date_naive();
    let due = reference.calendar.add_working_days(received_local, 7);
    let mut ctx = context(&state, lang, "/complaints/receipt");
    ctx.insert("code", code.as_str());
    ctx.insert("received_at", &format::datetime(c.received_at, lang));
    ctx.insert("review_due", &format::date(due, lang));
    ctx.insert("emailed", &c.contact_email.is_some());
    let failed = q.files_failed.unwrap_or(0).min(MAX_FILES as u32);
    ctx.insert("files_failed", &failed);
    ctx.insert("files_failed_s", &failed.to_string());
    ctx.insert(
        "calendar_incomplete",
        &!reference
            .calendar
            .covers_year(due.format("%Y").to_string().parse().unwrap_or(0)),
    );
    page(&state, "public/receipt.html", &ctx, StatusCode::OK)
}

#[derive(Deserialize)]
struct TrackQuery {
    code: Option<String>,
}

async fn track_form(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Query(q): Query<TrackQuery>,
) -> Result<Response, AppError> {
    let mut ctx = context(&state, lang, "/track");
    match q.code.as_deref().map(str::trim) {
        Some(raw) if !raw.is_empty() => match TrackingCode::parse(raw) {
            Some(code) => Ok(Redirect::to(&format!("/track/{code}")).into_response()),
            None => {
                ctx.insert("error", &state.i18n.msg(lang, "track.invalid_code"));
                ctx.insert("typed", raw);
                page(&state, "public/track.html", &ctx, StatusCode::BAD_REQUEST)
            }
        },
        _ => page(&state, "public/track.html", &ctx, StatusCode::OK),
    }
}

#[derive(Deserialize, Default)]
struct TrackViewQuery {
    replied: Option<String>,
}

async fn track_view(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(raw): Path<String>,
    Query(q): Query<TrackViewQuery>,
) -> Result<Response, AppError> {
    let thanks = q.replied.as_deref() == Some("1");
    track_page(
        &state,
        lang,
        &raw,
        json_reply(thanks, FieldErrors::new(), serde_json::json!({})),
        StatusCode::OK,
    )
    .await
}

fn json_reply(thanks: bool, errors: FieldErrors, typed: Value) -> Value {
    serde_json::json!({ "thanks": thanks, "has_errors": !errors.is_empty(), "errors": errors, "typed": typed })
}

async fn track_page(
    state: &AppState,
    lang: Language,
    raw: &str,
    reply: Value,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut ctx = context(state, lang, "/track");
    let code = TrackingCode::parse(raw);
    let view = match &code {
        Some(code) => tracking::public_view(&state.db.read, code).await?,
        None => None,
    };
    let (Some(view), Some(code)) = (view, code) else {
        ctx.insert("error", &state.i18n.msg(lang, "track.not_found"));
        ctx.insert("typed", &raw.chars().take(40).collect::<String>());
        return page(state, "public/track.html", &ctx, StatusCode::NOT_FOUND);
    };
    let timeline: Vec<BTreeMap<&str, String>> = view
        .timeline
        .iter()
        .map(|e| {
            BTreeMap::from([
                ("status", e.status.clone()),
                ("at", format::datetime(e.at, lang)),
            ])
        })
        .collect();
    ctx.insert("view", &view);
    ctx.insert("timeline", &timeline);
    ctx.insert("received_at", &format::datetime(view.received_at, lang));
    let mut reply = reply;
    if let (Some(c), Value::Object(r)) = (tracking::find(&state.db.read, &code).await?, &mut reply)
    {
        if let Value::Object(more) = cases::reply_view(&c) {
            r.extend(more);
        }
    }
    ctx.insert("reply", &reply);
    page(state, "public/track_view.html", &ctx, status)
}

#[derive(Deserialize)]
struct ReplyForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    message: String,
}

/// "Was this resolved?" from the tracking page; the tracking code in the URL is the credential.
async fn track_reply(
    State(state): State<AppState>,
    Lang(lang): Lang,
    ClientIp(ip): ClientIp,
    Path(raw): Path<String>,
    axum::Form(f): axum::Form<ReplyForm>,
) -> Result<Response, AppError> {
    let code = TrackingCode::parse(&raw).ok_or(AppError::NotFound)?;
    tracking::find(&state.db.read, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let typed = serde_json::json!({ "outcome": f.outcome, "message": f.message });
    let refuse = |field: &str, msg: String| {
        let mut e = FieldErrors::new();
        e.insert(field.to_string(), vec![msg]);
        json_reply(false, e, typed.clone())
    };
    if let Some(limit) = state.config.intake_limit {
        if let Err(retry) = ratelimit::hit(
            &state.db.write,
            &format!("reply:{}", rate_bucket(&state, ip)),
            limit,
        )
        .await
        {
            let msg = state.i18n.fmt(
                lang,
                "errors.rate_limited_wait",
                &[("seconds", &retry.to_string())],
            );
            let mut resp = track_page(
                &state,
                lang,
                &raw,
                refuse("form", msg),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await?;
            if let Ok(v) = retry.to_string().parse() {
                resp.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, v);
            }
            return Ok(resp);
        }
    }
    let saved = match cases::parse_reply(&f.outcome, &f.message) {
        Ok((outcome, message)) => {
            cases::record_reply(&state.db.write, &code, outcome, message, chrono::Utc::now())
                .await?
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/track/{code}?replied=1#reply")).into_response()),
        Err(e) => {
            let (field, key) = e.field_and_key();
            track_page(
                &state,
                lang,
                &raw,
                refuse(field, state.i18n.msg(lang, key)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
