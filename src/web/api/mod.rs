//! JSON API `/api/v1`: public intake and tracking (staff endpoints arrive with accounts).
pub mod cases;
pub mod companies;
pub mod company;
pub mod exports;
pub mod openapi;
mod openapi_company;
pub mod stats;
use std::fmt;

use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Multipart, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::{DeserializeOwned, DeserializeSeed, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::domain::format;
use crate::domain::{Language, TrackingCode};
use crate::error::{AppError, ErrorInfo, FieldErrors};
use crate::services::intake::evidence::{self, MAX_FILES};
use crate::services::intake::{self, hash_token, ParseCtx, Via};
use crate::services::intake::{attach, tracking};
use crate::state::AppState;
use crate::store::ratelimit;
use crate::web::public::form::multipart_error;
use crate::web::public::rate_bucket;
use crate::web::shared::auth::CurrentUser;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::client::ClientIp;
use crate::web::shared::lang::Lang;
use crate::web::shared::render::field_error;
use openapi::{ComplaintCreated, EvidenceCreated, Me, Suggestion};

const JSON_BODY_LIMIT: usize = 256 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/complaints",
            post(create).layer(DefaultBodyLimit::max(JSON_BODY_LIMIT)),
        )
        .route("/api/v1/complaints/{code}", get(show))
        .route(
            "/api/v1/complaints/{code}/evidence",
            post(add_evidence).layer(DefaultBodyLimit::max(evidence::MAX_FILE_BYTES + 64 * 1024)),
        )
}

/// One page of a collection: `{"items": [...], "next_cursor": "opaque" | null}`.
#[derive(serde::Serialize)]
pub struct ListPage<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Bearer-token (or session) endpoints, each with its access rule.
pub fn routes() -> Routes {
    Routes::new().add("/api/v1/me", &["GET"], Access::Regulator, get(me))
}

/// Who the token (or session) belongs to: lets API clients check their credentials.
async fn me(user: CurrentUser) -> Json<Me> {
    Json(Me {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role.code().to_string(),
    })
}

/// Query parameters of a JSON API endpoint, refused with a 422 naming each bad parameter instead
/// of the extractor's bare 400: a parameter given more than once (`{"errors": {"limit": ["Give
/// this parameter only once."]}}`), or a value with control characters (PostgreSQL cannot even
/// compare text containing NUL). Anything else unreadable is a 400 `bad_request`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let lang = parts
            .extensions
            .get::<Lang>()
            .map(|l| l.0)
            .unwrap_or(Language::ZhCn);
        let pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
                .into_owned()
                .collect();
        let shown = |k: &str| k.chars().filter(|c| !c.is_control()).take(40).collect();
        let mut errors = FieldErrors::new();
        for (k, v) in &pairs {
            if v.chars().any(char::is_control) || k.chars().any(char::is_control) {
                errors
                    .entry(shown(k))
                    .or_insert_with(|| vec![state.i18n.msg(lang, "errors.control_chars")]);
            }
        }
        let parsed = Query::<T>::try_from_uri(&parts.uri);
        if let Err(e) = &parsed {
            let mut seen = std::collections::BTreeSet::new();
            for (k, _) in &pairs {
                if !seen.insert(k.as_str()) {
                    errors
                        .entry(shown(k))
                        .or_insert_with(|| vec![state.i18n.msg(lang, "exports.errors.repeated")]);
                }
            }
            if errors.is_empty() {
                tracing::debug!(error = %e, "unreadable query string");
                return Err(AppError::BadRequest("errors.bad_request"));
            }
        }
        match parsed {
            Ok(Query(v)) if errors.is_empty() => Ok(ApiQuery(v)),
            _ => Err(AppError::Validation(errors)),
        }
    }
}

/// Top-level object whose keys must be unique (serde_json would silently keep the last one).
struct StrictObject;

#[derive(Debug)]
pub(crate) enum BodyError {
    Malformed,
    NotObject,
    DuplicateKey,
}

impl<'de> DeserializeSeed<'de> for StrictObject {
    type Value = Map<String, Value>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Map<String, Value>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut out = Map::new();
                while let Some(k) = m.next_key::<String>()? {
                    if out.contains_key(&k) {
                        return Err(serde::de::Error::custom("duplicate key"));
                    }
                    let v: Value = m.next_value()?;
                    out.insert(k, v);
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}

pub(crate) fn parse_object(text: &str) -> Result<Map<String, Value>, BodyError> {
    let mut de = serde_json::Deserializer::from_str(text);
    match StrictObject.deserialize(&mut de) {
        Ok(m) => {
            de.end().map_err(|_| BodyError::Malformed)?;
            Ok(m)
        }
        Err(e) if e.to_string().starts_with("duplicate key") => Err(BodyError::DuplicateKey),
        Err(e) if e.is_data() => Err(BodyError::NotObject),
        Err(_) => Err(BodyError::Malformed),
    }
}

pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
}

async fn create(
    State(state): State<AppState>,
    Lang(lang): Lang,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    if !is_json(&headers) {
        return Err(AppError::UnsupportedMediaType);
    }
    let text =
        std::str::from_utf8(&body).map_err(|_| AppError::BadRequest("errors.invalid_utf8"))?;
    let doc = parse_object(text).map_err(|e| match e {
        BodyError::Malformed => AppError::BadRequest("errors.malformed_json"),
        BodyError::NotObject => AppError::BadRequest("errors.expected_object"),
        BodyError::DuplicateKey => AppError::BadRequest("errors.duplicate_key"),
    })?;
    // Messages follow the document's language when it names a valid one.
    let lang = doc
        .get("language")
        .and_then(Value::as_str)
        .and_then(Language::parse)
        .unwrap_or(lang);
    if let Some(limit) = state.config.intake_limit {
        if let Err(retry_after) =
            ratelimit::hit(&state.db.write, &rate_bucket(&state, ip), limit).await
        {
            return Err(AppError::TooManyRequests { retry_after });
        }
    }
    let reference = state.reference();
    let ctx = ParseCtx {
        i18n: &state.i18n,
        lang,
        reference: &reference,
        lenient: false,
        today: format::today(),
    };
    let intake = intake::parse_document(&doc, &ctx).map_err(AppError::Validation)?;
    let filed = intake::file(&state.intake_work(), intake, Via::Api, Vec::new(), &[]).await?;
    let body = ComplaintCreated {
        tracking_code: filed.tracking_code.as_str().to_string(),
        status: filed.status.code().to_string(),
        suggested_obstacles: filed
            .suggestions
            .into_iter()
            .map(|s| Suggestion {
                code: s.code,
                score: s.score,
                evidence: s.evidence,
            })
            .collect(),
        evidence_token: filed.evidence_token,
        track_url: crate::services::mail::track_url(
            state.config.base_url.as_str(),
            &filed.tracking_code,
        ),
    };
    Ok((
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/complaints/{}", filed.tracking_code),
        )],
        Json(body),
    )
        .into_response())
}

async fn show(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<Value>, AppError> {
    let code = TrackingCode::parse(&raw).ok_or(AppError::NotFound)?;
    let view = tracking::public_view(&state.db.read, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(
        serde_json::to_value(view).map_err(anyhow::Error::from)?,
    ))
}

/// A 422 with one localised error on `field`.
fn invalid(
    state: &AppState,
    lang: Language,
    field: &str,
    key: &str,
    args: &[(&str, &str)],
) -> AppError {
    AppError::Validation(field_error(state, lang, field, key, args))
}

async fn add_evidence(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(raw): Path<String>,
    headers: HeaderMap,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let code = TrackingCode::parse(&raw).ok_or(AppError::NotFound)?;
    let complaint = tracking::find(&state.db.read, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let token = headers
        .get("x-evidence-token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AppError::Unauthorized)?;
    if !constant_time_eq(
        hash_token(token).as_bytes(),
        complaint.evidence_token_hash.as_bytes(),
    ) {
        return Err(AppError::Forbidden);
    }
    // Not multipart/form-data (or no boundary): a 415 that says what to send, not a bare 400.
    let Ok(mut mp) = mp else {
        return Ok(client_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "errors.media_type_multipart",
        ));
    };
    let existing = attach::file_count(&state.db.read, complaint.id).await?;
    if existing as usize >= MAX_FILES {
        return Err(invalid(
            &state,
            lang,
            "file",
            "errors.too_many_files",
            &[("max", &MAX_FILES.to_string())],
        ));
    }
    let mut upload = None;
    while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(multipart_error)?;
        upload = Some((name, bytes));
        break;
    }
    let (name, bytes) =
        upload.ok_or_else(|| invalid(&state, lang, "file", "errors.required", &[]))?;
    let shown = evidence::clean_name(name.as_deref());
    let content_type = evidence::check(&bytes)
        .map_err(|r| invalid(&state, lang, "file", r.message_key(), &[("name", &shown)]))?;
    let row = attach::attach(
        &state.db.write,
        &state.config.evidence_dir(),
        complaint.id,
        name.as_deref(),
        &bytes,
        content_type,
    )
    .await?;
    let body = EvidenceCreated {
        id: row.id,
        file_name: row.original_name,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        sha256: row.sha256,
        evidence_count: existing + 1,
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// An error response with a message key of its own (rendered by `middleware::render_errors`).
pub(crate) fn client_error(status: StatusCode, key: &'static str) -> Response {
    let mut resp = status.into_response();
    resp.extensions_mut().insert(ErrorInfo {
        status,
        key,
        fields: None,
        retry_after: None,
    });
    resp
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_parsed_strictly() {
        assert!(parse_object(r#"{"a":1}"#).is_ok());
        assert!(matches!(
            parse_object(r#"{"a":1,"a":2}"#),
            Err(BodyError::DuplicateKey)
        ));
        assert!(matches!(parse_object("[1]"), Err(BodyError::NotObject)));
        assert!(matches!(parse_object("{"), Err(BodyError::Malformed)));
        assert!(matches!(
            parse_object(r#"{"a":1} x"#),
            Err(BodyError::Malformed)
        ));
    }
}
