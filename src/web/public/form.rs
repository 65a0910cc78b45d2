//! The complaint form (`GET /complaints/new`, `POST /complaints`): a multipart form with up to
//! ten evidence files, re-rendered with everything typed kept when something is wrong.
use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hmac::Mac;
use serde::Serialize;
use serde_json::{Map, Value};

use super::{over_limit, rate_bucket, retry_after, Hs};
use crate::domain::format;
use crate::domain::{BillingCycle, Channel, Language, Outcome, RequestedAction, Sector};
use crate::error::{AppError, FieldErrors};
use crate::services::intake::evidence::{self, StoredFile, MAX_FILES};
use crate::services::intake::{self, ParseCtx, Via, FIELDS};
use crate::state::AppState;
use crate::web::shared::client::ClientIp;
use crate::web::shared::lang::Lang;
use crate::web::shared::render::view_page;

/// Whole form including up to ten 10 MB files and the text fields.
pub const FORM_BODY_LIMIT: usize = MAX_FILES * evidence::MAX_FILE_BYTES + 1024 * 1024;
const ARRAY_FIELDS: &[&str] = &["channels_tried", "obstacles_reported"];
/// All text fields together: the narrative (10 000 characters) and the short fields fit many
/// times over; anything larger is refused instead of being echoed back in the form.
const FORM_TEXT_LIMIT: usize = 1024 * 1024;

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

/// A multipart read error as the client should hear it.
pub fn multipart_error(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest("errors.bad_multipart")
    }
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

/// A choice in a list of taxonomy obstacles.
#[derive(Serialize)]
struct ObstacleChoice<'a> {
    code: &'a str,
    label: &'a str,
}

/// A choice in the province list.
#[derive(Serialize)]
struct ProvinceChoice<'a> {
    code: &'a str,
    name: &'a str,
}

/// `public/form.html`.
#[derive(Serialize)]
struct FormView<'a> {
    /// The values typed so far, by field name (list fields always present).
    v: Map<String, Value>,
    errors: &'a FieldErrors,
    /// Error summary in form order, each linking to its field.
    summary: Vec<(String, String)>,
    form_token: String,
    sectors: Vec<&'static str>,
    billing_cycles: Vec<&'static str>,
    actions: Vec<&'static str>,
    channels: Vec<&'static str>,
    outcomes: Vec<&'static str>,
    obstacles: Vec<ObstacleChoice<'a>>,
    provinces: Vec<ProvinceChoice<'a>>,
    today: String,
    max_files_s: String,
}

fn form_page(
    state: &AppState,
    lang: Language,
    typed: &Typed,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let reference = state.reference();
    let mut values = typed.values.clone();
    for f in ARRAY_FIELDS {
        values
            .entry(f.to_string())
            .or_insert_with(|| Value::Array(vec![]));
    }
    let zh = lang == Language::ZhCn;
    let view = FormView {
        v: values,
        errors,
        summary: ["form"]
            .iter()
            .chain(FIELDS)
            .chain(std::iter::once(&"evidence"))
            .filter_map(|f| errors.get(*f).map(|m| (f.to_string(), m.join(" "))))
            .collect(),
        form_token: if typed.token.is_empty() {
            form_token(&state.secret)
        } else {
            typed.token.clone()
        },
        sectors: Sector::codes(),
        billing_cycles: BillingCycle::codes(),
        actions: RequestedAction::codes(),
        channels: Channel::codes(),
        outcomes: Outcome::codes(),
        obstacles: reference
            .obstacles
            .iter()
            .filter(|o| o.active)
            .map(|o| ObstacleChoice {
                code: &o.code,
                label: if zh {
                    &o.consumer_label_zh
                } else {
                    &o.consumer_label_en
                },
            })
            .collect(),
        provinces: reference
            .provinces
            .iter()
            .map(|p| ProvinceChoice {
                code: &p.code,
                name: if zh { &p.name_zh } else { &p.name_en },
            })
            .collect(),
        today: format::today().to_string(),
        max_files_s: MAX_FILES.to_string(),
    };
    view_page(
        state,
        lang,
        "/complaints/new",
        "public/form.html",
        &view,
        status,
    )
}

pub async fn new_form(
    State(state): State<AppState>,
    Lang(lang): Lang,
) -> Result<Response, AppError> {
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
    while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "evidence" {
            let file_name = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.map_err(multipart_error)?;
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
        let bytes = field.bytes().await.map_err(multipart_error)?;
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

/// Why the submission looks automated: a filled honeypot, a missing or forged form token, or a
/// form filled faster than a person could.
fn spam_signals(state: &AppState, typed: &Typed) -> Vec<&'static str> {
    let mut spam = Vec::new();
    if !typed.honeypot.trim().is_empty() {
        spam.push("honeypot");
    }
    match token_age(&state.secret, &typed.token) {
        None => spam.push("form_token"),
        Some(age) if age < state.config.min_fill_time.as_secs() as i64 => spam.push("too_fast"),
        _ => {}
    }
    spam
}

/// Stores the checked files; returns those stored and how many failed (the complaint is filed
/// anyway and the consumer told).
async fn store_files(state: &AppState, typed: &Typed) -> (Vec<StoredFile>, usize) {
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
    (stored, failed)
}

pub async fn submit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    ClientIp(ip): ClientIp,
    mp: Multipart,
) -> Result<Response, AppError> {
    let typed = read_form(&state, lang, mp).await?;
    if let Some((errors, retry)) = over_limit(&state, lang, &rate_bucket(&state, ip)).await {
        let resp = form_page(&state, lang, &typed, &errors, StatusCode::TOO_MANY_REQUESTS)?;
        return Ok(retry_after(resp, retry));
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
    let spam = spam_signals(&state, &typed);
    // Store files first; if the disk fails the complaint is still filed and the consumer told.
    let (stored, failed) = store_files(&state, &typed).await;
    let filed = match intake::file(&state.intake_work(), intake, Via::Web, spam, &stored).await {
        Ok(f) => f,
        Err(e) => {
            evidence::discard(&state.config.evidence_dir(), &stored).await;
            return Err(e.into());
        }
    };
    let mut to = format!("/complaints/receipt/{}", filed.tracking_code);
    if failed > 0 {
        to.push_str(&format!("?files_failed={failed}"));
    }
    Ok(Redirect::to(&to).into_response())
}
