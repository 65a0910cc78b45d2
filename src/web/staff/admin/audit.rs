//! The audit log page: newest first, filtered by actor, action, target and days.
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::format;
use crate::error::AppError;
use crate::services::audit::listing::{self, AuditFilter};
use crate::web::shared::page::{StaffPage, View};

#[derive(Deserialize, Default)]
pub(super) struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    target_type: Option<String>,
    target_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// Keyset cursor: show rows with id below this.
    before: Option<i64>,
}

const AUDIT_PAGE: u64 = 100;

#[derive(Serialize)]
struct AuditRow {
    id: i64,
    at: String,
    actor: String,
    action: String,
    target_type: Option<String>,
    target_id: Option<String>,
    detail: Option<String>,
}

/// The filters as the form shows them again (blank ones left out).
#[derive(Serialize)]
struct AuditQueryView {
    actor: Option<String>,
    action: Option<String>,
    target_type: Option<String>,
    target_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

#[derive(Serialize)]
struct AuditView {
    rows: Vec<AuditRow>,
    next_before: Option<i64>,
    q: AuditQueryView,
}

impl View for AuditView {
    const TEMPLATE: &'static str = "staff/audit.html";
    const PATH: &'static str = "/staff/audit";
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

pub(super) async fn audit_page(
    page: StaffPage,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let day =
        |s: &Option<String>| clean(s).and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    let filter = AuditFilter {
        actor: clean(&q.actor),
        action: clean(&q.action),
        target_type: clean(&q.target_type),
        target_id: clean(&q.target_id),
        from: day(&q.from),
        to: day(&q.to),
        before: q.before,
    };
    let (rows, next_before) = listing::page(&page.state.db.read, &filter, AUDIT_PAGE).await?;
    let view = AuditView {
        rows: rows
            .into_iter()
            .map(|r| AuditRow {
                id: r.id,
                at: format::datetime(r.at, page.lang),
                actor: r.actor,
                action: r.action,
                target_type: r.target_type,
                target_id: r.target_id,
                detail: r.detail,
            })
            .collect(),
        next_before,
        q: AuditQueryView {
            actor: filter.actor,
            action: filter.action,
            target_type: filter.target_type,
            target_id: filter.target_id,
            from: clean(&q.from),
            to: clean(&q.to),
        },
    };
    page.render(&view, StatusCode::OK).await
}
