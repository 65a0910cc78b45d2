//! The company API (a company user's bearer token): `GET /api/v1/company/cases` (the list shape
//! of the contract, same filters and keyset cursor as the portal), `GET
//! /api/v1/company/cases/{tracking_code}` (the portal's view of one case) and `POST
//! /api/v1/company/cases/{tracking_code}/response` (JSON `{"category", "text"}`, or multipart
//! with the same fields and `file` parts). Cases not forwarded to the caller's company are 404.
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use chrono::Utc;
use serde_json::Value;

use crate::domain::response::parse;
use crate::domain::{format, ResponseVia};
use crate::error::{AppError, FieldErrors};
use crate::services::responses::portal::{self, CaseItem, CompanyCase};
use crate::services::responses::{self, Responder, Upload};
use crate::state::AppState;
use crate::web::api::{client_error, is_json, parse_object, ApiQuery, BodyError, ListPage};
use crate::web::company::form::{language_of, read_answer, refused, Refused, ANSWER_BODY_LIMIT};
use crate::web::company::{parse_list, ListParams};
use crate::web::shared::auth::CurrentUser;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::field_error;

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/api/v1/company/cases",
            &["GET"],
            Access::Company,
            get(list),
        )
        .add(
            "/api/v1/company/cases/{code}",
            &["GET"],
            Access::Company,
            get(show),
        )
        .add(
            "/api/v1/company/cases/{code}/response",
            &["POST"],
            Access::Company,
            post(respond).layer(DefaultBodyLimit::max(ANSWER_BODY_LIMIT)),
        )
}

fn company_of(me: &CurrentUser) -> Result<i64, AppError> {
    me.company_id.ok_or(AppError::Forbidden)
}

async fn list(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<ListPage<CaseItem>>, AppError> {
    let company_id = company_of(&me)?;
    let q = parse_list(&state, lang, &p).map_err(AppError::Validation)?;
    let page = portal::list(
        &state.db.read,
        company_id,
        q.filter,
        q.cursor.as_ref(),
        q.limit,
        format::today(),
    )
    .await?;
    Ok(Json(ListPage {
        items: page.items,
        next_cursor: page.next_cursor,
    }))
}

async fn show(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(code): Path<String>,
) -> Result<Json<CompanyCase>, AppError> {
    let company_id = company_of(&me)?;
    let case = portal::detail(&state.db.read, company_id, &code, format::today())
        .await?
        .ok_or(AppError::NotFound)?;
    portal::record_contact_view(&state.db.write, &me.actor(), &case, "company_api").await?;
    Ok(Json(case))
}

/// The answer as sent: category, text and files.
struct Sent {
    category: String,
    text: String,
    uploads: Vec<Upload>,
}

/// Reads a JSON or multipart answer body.
async fn read_body(
    state: &AppState,
    lang: crate::domain::Language,
    req: Request,
) -> Result<Sent, AppError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let mp = Multipart::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest("errors.bad_multipart"))?;
        let typed = read_answer(mp).await?;
        return Ok(Sent {
            category: typed.category,
            text: typed.text,
            uploads: typed.uploads,
        });
    }
    if !is_json(req.headers()) {
        return Err(AppError::UnsupportedMediaType);
    }
    let body = Bytes::from_request(req, state)
        .await
        .map_err(|_| AppError::PayloadTooLarge)?;
    let text =
        std::str::from_utf8(&body).map_err(|_| AppError::BadRequest("errors.invalid_utf8"))?;
    let doc = parse_object(text).map_err(|e| match e {
        BodyError::Malformed => AppError::BadRequest("errors.malformed_json"),
        BodyError::NotObject => AppError::BadRequest("errors.expected_object"),
        BodyError::DuplicateKey => AppError::BadRequest("errors.duplicate_key"),
    })?;
    let mut errors = FieldErrors::new();
    for k in doc.keys() {
        if k != "category" && k != "text" {
            errors.insert(
                k.chars().take(40).collect(),
                vec![state.i18n.msg(lang, "company.errors.unknown_field")],
            );
        }
    }
    let mut field = |name: &str| match doc.get(name) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            errors.insert(
                name.to_string(),
                vec![state.i18n.msg(lang, "errors.not_string")],
            );
            String::new()
        }
    };
    let (category, text) = (field("category"), field("text"));
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Sent {
        category,
        text,
        uploads: Vec::new(),
    })
}

async fn respond(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    Path(code): Path<String>,
    req: Request,
) -> Result<Response, AppError> {
    let company_id = company_of(&me)?;
    let case = responses::case_for_company(&state.db.read, company_id, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let sent = read_body(&state, lang, req).await?;
    let answer = parse(&sent.category, &sent.text).map_err(|e| {
        let (field, key) = e.field_and_key();
        AppError::Validation(field_error(&state, lang, field, key, &[]))
    })?;
    let who = Responder {
        company_id,
        user_id: Some(me.id),
        via: ResponseVia::Api,
        label: me.email.clone(),
        link_id: None,
    };
    let language = language_of(&answer.text);
    let result = responses::record(
        &state.case_work(),
        &state.config.evidence_dir(),
        &who,
        case.id,
        answer,
        language,
        sent.uploads.clone(),
        Utc::now(),
    )
    .await;
    if let Err(e) = result {
        return match refused(&state, lang, e, &sent.uploads) {
            Refused::NotFound => Err(AppError::NotFound),
            Refused::NotAwaiting(_) => Ok(client_error(
                StatusCode::CONFLICT,
                "company.errors.not_awaiting",
            )),
            Refused::Invalid(errors) => Err(AppError::Validation(errors)),
            Refused::Failed(e) => Err(e),
        };
    }
    let view = portal::detail(
        &state.db.read,
        company_id,
        &case.tracking_code,
        format::today(),
    )
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/company/cases/{}", case.tracking_code),
        )],
        Json(view),
    )
        .into_response())
}
