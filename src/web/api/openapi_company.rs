//! The company endpoints in the OpenAPI document (kept apart from `openapi.rs` for size; merged
//! into the same document).
#![allow(dead_code)] // The functions below exist only to carry `#[utoipa::path]` declarations.

use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use super::openapi::{ErrorBody, Unavailable, ValidationErrors};

/// A company's answer (JSON body; the multipart form has the same fields plus `file` parts).
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CompanyAnswer {
    #[schema(
        pattern = "^(downgraded|refunded|partly_resolved|explained_no_change|not_our_customer|disputed)$",
        example = "downgraded"
    )]
    category: String,
    /// 5–5000 characters, Chinese or English; the consumer reads it.
    #[schema(
        min_length = 5,
        max_length = 5000,
        example = "已为用户办理8元保号套餐，并退还多收费用。"
    )]
    text: String,
}

/// The multipart form of an answer.
#[derive(Serialize, ToSchema)]
struct CompanyAnswerUpload {
    category: String,
    text: String,
    /// Up to 5 attachments: PNG, JPEG, WebP or PDF (by content), ≤ 10 MB each.
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<String>,
}

/// One case in the company's list.
#[derive(Serialize, ToSchema)]
struct CompanyCaseItem {
    #[schema(example = "DW-7K3M-Q9TX")]
    tracking_code: String,
    /// Case status code (forwarded = waiting for the answer).
    status: String,
    received_at: String,
    forwarded_at: Option<String>,
    /// YYYY-MM-DD, Asia/Shanghai, working days from forwarding (moved by a granted extension).
    response_due_on: Option<String>,
    responded_at: Option<String>,
    obstacle_codes: Vec<String>,
    awaiting: bool,
    overdue: bool,
}

#[derive(Serialize, ToSchema)]
struct CompanyCaseList {
    items: Vec<CompanyCaseItem>,
    next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct CompanyAnswerView {
    id: i64,
    category: String,
    text: String,
    via: String,
    language: String,
    late: bool,
    created_at: String,
    files: Vec<serde_json::Value>,
}

/// One case as the company sees it: the narrative (scrubbed), evidence list and contact data
/// only where the consumer agreed to be contacted by the company; never staff notes.
#[derive(Serialize, ToSchema)]
struct CompanyCase {
    id: i64,
    tracking_code: String,
    status: String,
    received_at: String,
    forwarded_at: Option<String>,
    response_due_on: Option<String>,
    responded_at: Option<String>,
    response_timely: Option<bool>,
    sector: String,
    company_name: String,
    service_name: Option<String>,
    plan_from: Option<String>,
    plan_to: Option<String>,
    price_from_fen: Option<i64>,
    price_to_fen: Option<i64>,
    billing_cycle: Option<String>,
    requested_action: String,
    channels_tried: Vec<String>,
    contact_attempts: Option<i32>,
    first_attempt_on: Option<String>,
    amount_claimed_fen: Option<i64>,
    obstacle_codes: Vec<String>,
    consent_contact_company: bool,
    narrative: Option<String>,
    contact: Option<serde_json::Value>,
    evidence: Vec<serde_json::Value>,
    answers: Vec<CompanyAnswerView>,
    extension: Option<serde_json::Value>,
    awaiting: bool,
    overdue: bool,
    can_extend: bool,
}

#[utoipa::path(get, path = "/api/v1/company/cases", tag = "company", security(("bearer" = [])),
    params(
        ("filter" = Option<String>, Query, description = "all (default), awaiting, answered or overdue"),
        ("cursor" = Option<String>, Query), ("limit" = Option<u32>, Query, description = "1–200, default 50"),
    ),
    responses(
        (status = 200, body = CompanyCaseList), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a company user", body = ErrorBody),
        (status = 422, description = "Invalid or repeated parameters", body = ValidationErrors),
    ))]
fn list_company_cases() {}

#[utoipa::path(get, path = "/api/v1/company/cases/{tracking_code}", tag = "company", security(("bearer" = [])),
    params(("tracking_code" = String, Path)),
    responses(
        (status = 200, body = CompanyCase), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "Not a case forwarded to the caller's company", body = ErrorBody),
    ))]
fn show_company_case() {}

#[utoipa::path(post, path = "/api/v1/company/cases/{tracking_code}/response", tag = "company", security(("bearer" = [])),
    params(("tracking_code" = String, Path)),
    request_body(content(
        (CompanyAnswer = "application/json"),
        (CompanyAnswerUpload = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "Recorded; the case as it now stands", body = CompanyCase),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "Not a case forwarded to the caller's company", body = ErrorBody),
        (status = 409, description = "The case is not waiting for an answer", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, description = "Invalid category, text or file", body = ValidationErrors),
    ))]
fn answer_company_case() {}

#[derive(OpenApi)]
#[openapi(
    paths(list_company_cases, show_company_case, answer_company_case),
    modifiers(&Unavailable),
)]
pub struct CompanyApiDoc;
