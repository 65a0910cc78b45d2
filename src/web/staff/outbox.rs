//! The mail outbox monitor for admins: attempts and last errors, recipients masked.
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use crate::domain::format;
use crate::error::AppError;
use crate::services::mail::monitor::{self, STATUSES};
use crate::services::privacy::{self, mask_email, mask_emails_in};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{StaffPage, View};

pub fn routes() -> Routes {
    Routes::new().add("/staff/outbox", &["GET"], Access::Admin, get(outbox_page))
}

const OUTBOX_PAGE: u64 = 100;

#[derive(Deserialize, Default)]
struct OutboxQuery {
    status: Option<String>,
    /// Keyset cursor: show rows with id below this.
    before: Option<String>,
}

#[derive(Serialize)]
struct OutboxRow {
    id: i64,
    created: String,
    kind: String,
    to: String,
    status: String,
    status_name: String,
    attempts: i32,
    last_error: Option<String>,
    next_attempt: Option<String>,
    sent: Option<String>,
    complaint_id: Option<i64>,
}

#[derive(Serialize)]
struct StatusCount {
    status: String,
    name: String,
    count: String,
}

#[derive(Serialize)]
struct OutboxView<'a> {
    rows: Vec<OutboxRow>,
    next_before: Option<i64>,
    statuses: &'static [&'static str],
    counts: Vec<StatusCount>,
    status: Option<&'a str>,
    last_purge: Option<String>,
    retention_months: String,
}

impl View for OutboxView<'_> {
    const TEMPLATE: &'static str = "staff/outbox.html";
    const PATH: &'static str = "/staff/outbox";
}

async fn outbox_page(page: StaffPage, Query(q): Query<OutboxQuery>) -> Result<Response, AppError> {
    let lang = page.lang;
    let status = q
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| STATUSES.contains(s));
    let before = q
        .before
        .as_deref()
        .and_then(|b| b.trim().parse::<i64>().ok());
    let db = &page.state.db.read;
    let (rows, next_before) = monitor::page(db, status, before, OUTBOX_PAGE).await?;
    let status_name = |s: &str| page.msg(&format!("privacy_ops.outbox.status.{s}"));
    let rows = rows
        .into_iter()
        .map(|r| OutboxRow {
            id: r.id,
            created: format::datetime(r.created_at, lang),
            to: mask_email(&r.to_addr),
            status_name: status_name(&r.status),
            attempts: r.attempts,
            last_error: r.last_error.as_deref().map(mask_emails_in),
            next_attempt: (r.status == "pending")
                .then(|| format::datetime(r.next_attempt_at, lang)),
            sent: r.sent_at.map(|t| format::datetime(t, lang)),
            complaint_id: r.complaint_id,
            kind: r.kind,
            status: r.status,
        })
        .collect();
    let counts = monitor::status_counts(db)
        .await?
        .into_iter()
        .map(|(s, n)| StatusCount {
            name: status_name(&s),
            status: s,
            count: n.to_string(),
        })
        .collect();
    let view = OutboxView {
        rows,
        next_before,
        statuses: STATUSES,
        counts,
        status,
        last_purge: privacy::last_purge(db)
            .await?
            .map(|t| format::datetime(t, lang)),
        retention_months: page.state.config.retention_months.to_string(),
    };
    page.render(&view, StatusCode::OK).await
}
