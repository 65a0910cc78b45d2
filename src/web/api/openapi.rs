//! `GET /api/openapi.json`: the OpenAPI 3 description of every `/api/v1` route, generated with
//! utoipa from the schema types below (some are the handlers' own response types, the others
//! mirror the JSON the handlers produce) and the path declarations. The test `every_api_route_is_documented` (tests/it/openapi.rs) compares this
//! document with the routes registered in `src/web/`.
#![allow(dead_code)] // The functions below exist only to carry `#[utoipa::path]` declarations.

use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(document))
}

async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(full())
}

/// The whole document: these paths and the company endpoints'.
fn full() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(super::openapi_company::CompanyApiDoc::openapi());
    doc
}

/// The intake document (JSON body of `POST /api/v1/complaints`); unknown fields are rejected.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct IntakeDocument {
    #[schema(
        example = "telecom",
        pattern = "^(telecom|video_membership|music_audio|cloud_storage|office_software|gaming|reading_news|other)$"
    )]
    sector: String,
    #[schema(min_length = 1, max_length = 100, example = "某通信运营商北京分公司")]
    company_name: String,
    #[schema(max_length = 100)]
    service_name: Option<String>,
    #[schema(max_length = 100)]
    plan_from: Option<String>,
    #[schema(max_length = 100)]
    plan_to: Option<String>,
    /// Decimal yuan, 0–100000, at most two decimals.
    #[schema(example = "59.00")]
    price_from: Option<String>,
    #[schema(example = "8")]
    price_to: Option<String>,
    #[schema(pattern = "^(monthly|quarterly|yearly|other)$")]
    billing_cycle: Option<String>,
    #[schema(
        example = "downgrade",
        pattern = "^(downgrade|cancel|refund|stop_auto_renewal|other)$"
    )]
    requested_action: String,
    /// Any of app, website, hotline, online_chat, store, email, other.
    channels_tried: Option<Vec<String>>,
    #[schema(minimum = 0, maximum = 1000)]
    contact_attempts: Option<i32>,
    /// YYYY-MM-DD, not in the future.
    #[schema(example = "2026-10-08")]
    first_attempt_on: Option<String>,
    /// Obstacle codes from the taxonomy (e.g. WINDOW, BOT-WALL).
    obstacles_reported: Option<Vec<String>>,
    #[schema(pattern = "^(not_resolved|partially_resolved|resolved|gave_up)$")]
    outcome: Option<String>,
    #[schema(example = "198")]
    amount_claimed: Option<String>,
    #[schema(min_length = 20, max_length = 10000)]
    narrative: String,
    /// GB/T 2260 province-level code.
    #[schema(example = "110000")]
    province: Option<String>,
    #[schema(max_length = 50)]
    contact_name: Option<String>,
    contact_email: Option<String>,
    /// Mainland mobile number `1[3-9]\d{9}`.
    contact_phone: Option<String>,
    consent_share_narrative: Option<bool>,
    consent_contact_company: Option<bool>,
    #[schema(pattern = "^(zh-CN|en)$")]
    language: Option<String>,
}

/// A suggested obstacle with the text that triggered it.
#[derive(Serialize, ToSchema)]
pub struct Suggestion {
    #[schema(example = "WINDOW")]
    pub code: String,
    #[schema(example = 0.8)]
    pub score: f64,
    pub evidence: Vec<String>,
}

/// The `201` body of `POST /api/v1/complaints`.
#[derive(Serialize, ToSchema)]
pub struct ComplaintCreated {
    #[schema(example = "DW-7K3M-Q9TX")]
    pub tracking_code: String,
    /// `received`, or `held` when spam is suspected.
    pub status: String,
    pub suggested_obstacles: Vec<Suggestion>,
    /// Secret for `POST /api/v1/complaints/{code}/evidence` (header X-Evidence-Token); shown once.
    pub evidence_token: String,
    pub track_url: String,
}

#[derive(Serialize, ToSchema)]
struct TimelineEntry {
    status: String,
    at: String,
}

/// Public status view: never the narrative or contact data.
#[derive(Serialize, ToSchema)]
struct PublicView {
    tracking_code: String,
    status: String,
    received_at: String,
    sector: String,
    company_name: String,
    evidence_count: u64,
    timeline: Vec<TimelineEntry>,
}

/// The `201` body of an evidence upload.
#[derive(Serialize, ToSchema)]
pub struct EvidenceCreated {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub evidence_count: u64,
}

/// The multipart body of an evidence upload.
#[derive(Serialize, ToSchema)]
struct EvidenceUpload {
    /// PNG, JPEG, WebP or PDF (checked by content, not by name), ≤ 10 MB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    #[schema(example = "not_found")]
    pub code: String,
    pub message: String,
}

/// Any 4xx/5xx except 422: `{"error": {"code", "message"}}`, message in the request's language.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// 422: messages per field, e.g. `{"errors": {"narrative": ["Too short: ..."]}}`.
#[derive(Serialize, ToSchema)]
pub struct ValidationErrors {
    pub errors: std::collections::BTreeMap<String, Vec<String>>,
}

/// Who a token (or session) belongs to.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[schema(pattern = "^(admin|reviewer|regulator)$")]
    pub role: String,
}

/// A case as staff see it (contact data included; viewing it is audit-logged).
#[derive(Serialize, ToSchema)]
struct Case {
    id: i64,
    tracking_code: String,
    status: String,
    received_at: String,
    sector: String,
    company_name: String,
    obstacle_codes: Vec<String>,
    suggested_obstacles: Vec<Suggestion>,
    narrative: String,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct CaseList {
    items: Vec<Case>,
    /// Pass as `cursor=` for the next page; null on the last page.
    next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct Company {
    id: i64,
    name: String,
    aliases: Vec<String>,
    sector: Option<String>,
    credit_code: Option<String>,
    complaint_count: i64,
}

#[derive(Serialize, ToSchema)]
struct CompanyList {
    items: Vec<Company>,
    next_cursor: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/complaints", tag = "intake",
    request_body(content = IntakeDocument, content_type = "application/json"),
    responses(
        (status = 201, description = "Filed", body = ComplaintCreated),
        (status = 400, description = "Malformed JSON, invalid UTF-8, not an object, repeated keys", body = ErrorBody),
        (status = 413, description = "Body over 256 KB", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ValidationErrors),
        (status = 429, description = "Over DW_INTAKE_LIMIT (Retry-After header)", body = ErrorBody),
    ))]
fn create_complaint() {}

#[utoipa::path(get, path = "/api/v1/complaints/{tracking_code}", tag = "intake",
    params(("tracking_code" = String, Path, description = "e.g. DW-7K3M-Q9TX")),
    responses(
        (status = 200, body = PublicView),
        (status = 400, description = "Path not decodable (percent-encoded bytes that are not UTF-8)", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
fn show_complaint() {}

#[utoipa::path(post, path = "/api/v1/complaints/{tracking_code}/evidence", tag = "intake",
    params(("tracking_code" = String, Path), ("X-Evidence-Token" = String, Header, description = "the evidence_token returned at filing")),
    request_body(content = EvidenceUpload, content_type = "multipart/form-data", description = "field `file`: PNG, JPEG, WebP or PDF (by content), ≤ 10 MB"),
    responses(
        (status = 201, body = EvidenceCreated),
        (status = 400, description = "Unreadable multipart body or path", body = ErrorBody),
        (status = 401, description = "No token", body = ErrorBody),
        (status = 403, description = "Wrong token", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 415, description = "Not multipart/form-data", body = ErrorBody),
        (status = 422, description = "Wrong file type, empty, or already 10 files", body = ValidationErrors),
    ))]
fn add_evidence() {}

#[utoipa::path(get, path = "/api/v1/me", tag = "staff", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
fn me() {}

#[utoipa::path(get, path = "/api/v1/cases", tag = "staff", security(("bearer" = [])),
    params(
        ("status" = Option<String>, Query), ("sector" = Option<String>, Query), ("company" = Option<String>, Query),
        ("obstacle" = Option<String>, Query), ("province" = Option<String>, Query), ("from" = Option<String>, Query),
        ("to" = Option<String>, Query), ("q" = Option<String>, Query, description = "free text, 2+ characters; a tracking code (DW-…) finds exactly that case"),
        ("assigned" = Option<String>, Query, description = "`me`: cases assigned to the caller"),
        ("overdue" = Option<String>, Query, description = "`1`/`true`: only cases past a due date"),
        ("disputed" = Option<String>, Query, description = "`1`/`true`: only answered cases whose consumer is not satisfied (waiting for staff)"),
        ("has_evidence" = Option<String>, Query, description = "`1`/`true`: only cases with evidence files"),
        ("held" = Option<String>, Query, description = "`1`/`true`: only held (suspected spam) cases"),
        ("lane" = Option<String>, Query, description = "`1`/`true`: only cases in the priority lane (绿色通道)"),
        ("sort" = Option<String>, Query, description = "received_desc (default), received_asc or due (lane cases first within a due date)"),
        ("cursor" = Option<String>, Query), ("limit" = Option<u32>, Query, description = "1–200, default 50"),
    ),
    responses(
        (status = 200, body = CaseList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "Invalid or repeated parameters, one message each", body = ValidationErrors),
    ))]
fn list_cases() {}

#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "staff", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Case), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
fn show_case() {}

#[utoipa::path(get, path = "/api/v1/companies", tag = "regulator", security(("bearer" = [])),
    params(("q" = Option<String>, Query), ("cursor" = Option<String>, Query), ("limit" = Option<u32>, Query)),
    responses(
        (status = 200, body = CompanyList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 422, description = "Invalid or repeated parameters, one message each", body = ValidationErrors),
    ))]
fn list_companies() {}

#[utoipa::path(get, path = "/api/v1/stats", tag = "public",
    responses((status = 200, description = "Public-tier aggregates (JSON object); cells under 5 complaints suppressed", content_type = "application/json"), (status = 422, body = ValidationErrors)))]
fn stats() {}

macro_rules! export_path {
    ($fn:ident, $path:literal, $ct:literal) => {
        #[utoipa::path(get, path = $path, tag = "regulator", security(("bearer" = [])),
            params(
                ("tier" = Option<String>, Query, description = "regulator (default) or staff; public is aggregates only (use /api/v1/stats)"),
                ("from" = Option<String>, Query), ("to" = Option<String>, Query), ("sector" = Option<String>, Query),
                ("obstacle" = Option<String>, Query), ("company" = Option<String>, Query), ("province" = Option<String>, Query),
                ("status" = Option<String>, Query),
                ("headers" = Option<String>, Query, description = "CSV and XLSX header names: en (the column names, default) or zh (Chinese names, listed in the XLSX data dictionary and docs/api.md); NDJSON keys are always the column names"),
            ),
            responses(
                (status = 200, description = "Streamed export", content_type = $ct),
                (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
                (status = 403, description = "tier=staff needs a staff role", body = ErrorBody),
                (status = 422, description = "Invalid or repeated parameters (e.g. headers other than en or zh), one message each", body = ValidationErrors),
            ))]
        fn $fn() {}
    };
}
export_path!(export_csv, "/api/v1/exports/complaints.csv", "text/csv");
export_path!(
    export_xlsx,
    "/api/v1/exports/complaints.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
);
export_path!(
    export_ndjson,
    "/api/v1/exports/complaints.ndjson",
    "application/x-ndjson"
);

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every operation may answer 503 (database unreachable, evidence storage failing) with the
/// common error body: the client may retry later.
pub(super) struct Unavailable;

impl utoipa::Modify for Unavailable {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let response = ResponseBuilder::new()
            .description("Temporarily unavailable (database or storage); retry later")
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                op.responses
                    .responses
                    .entry("503".into())
                    .or_insert_with(|| response.clone().into());
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "downgrade-watch API", version = "1", description = "Complaints about subscription downgrade traps. Staff and regulator endpoints take `Authorization: Bearer <token>` (create one with `downgrade-watch token create`)."),
    paths(create_complaint, show_complaint, add_evidence, me, list_cases, show_case, list_companies, stats, export_csv, export_xlsx, export_ndjson),
    modifiers(&BearerAuth, &Unavailable),
)]
struct ApiDoc;

/// The document as JSON (used by tests and `docs/api.md` generation).
pub fn document_json() -> serde_json::Value {
    serde_json::to_value(full()).unwrap_or_default()
}
