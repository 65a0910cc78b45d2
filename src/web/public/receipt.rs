//! The receipt after filing (`/complaints/receipt/{code}`): the tracking code and what happens
//! next.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::domain::format;
use crate::domain::TrackingCode;
use crate::error::AppError;
use crate::services::intake::evidence::MAX_FILES;
use crate::services::intake::tracking;
use crate::state::AppState;
use crate::web::shared::lang::Lang;
use crate::web::shared::render::view_page;

#[derive(Deserialize)]
pub struct ReceiptQuery {
    files_failed: Option<u32>,
}

/// `public/receipt.html`.
#[derive(Serialize)]
struct ReceiptView<'a> {
    code: &'a str,
    received_at: String,
    review_due: String,
    /// The clocks of this case (the lane's when it is in the lane), in working days.
    review_days: String,
    response_days: String,
    emailed: bool,
    files_failed: u32,
    files_failed_s: String,
    calendar_incomplete: bool,
    /// What the priority lane means, when the case is in it.
    lane_text: Option<String>,
}

pub async fn receipt(
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
    // The stored due date (set at intake with the lane's clock); computed only for rows that
    // predate it.
    let due = c.review_due_on.unwrap_or_else(|| {
        reference
            .clocks
            .review_due(&reference.calendar, received_local, c.priority_lane)
    });
    let failed = q.files_failed.unwrap_or(0).min(MAX_FILES as u32);
    let view = ReceiptView {
        code: code.as_str(),
        received_at: format::datetime(c.received_at, lang),
        review_due: format::date(due, lang),
        review_days: reference.clocks.review_days(c.priority_lane).to_string(),
        response_days: reference.clocks.response_days(c.priority_lane).to_string(),
        emailed: c.contact_email.is_some(),
        files_failed: failed,
        files_failed_s: failed.to_string(),
        calendar_incomplete: !reference
            .calendar
            .covers_year(due.format("%Y").to_string().parse().unwrap_or(0)),
        lane_text: c
            .priority_lane
            .then(|| crate::web::public::receipt::lane_text(&state, lang)),
    };
    view_page(
        &state,
        lang,
        "/complaints/receipt",
        "public/receipt.html",
        &view,
        StatusCode::OK,
    )
}

/// What the priority lane means for the consumer, with the lane's clocks now in force.
pub fn lane_text(state: &AppState, lang: crate::domain::Language) -> String {
    let clocks = state.reference().clocks;
    state.i18n.fmt(
        lang,
        "lane.receipt",
        &[
            ("review_days", &clocks.lane_review_days.to_string()),
            ("response_days", &clocks.lane_response_days.to_string()),
        ],
    )
}
