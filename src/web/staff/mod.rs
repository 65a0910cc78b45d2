//! Staff workspace (admins and reviewers) and the admin pages.
pub mod admin;
pub mod authorities;
mod campaigns;
pub mod cases;
pub mod clauses;
pub mod companies;
pub(crate) mod forms;
pub mod groups;
pub mod holidays;
pub mod outbox;
pub mod privacy;
pub mod referrals;
pub mod remedies;

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;

use crate::error::AppError;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{StaffPage, View};

pub use crate::web::shared::page::staff_context;

pub fn routes() -> Routes {
    Routes::new()
        .add("/staff", &["GET"], Access::Regulator, get(landing))
        .merge(admin::routes())
        .merge(campaigns::routes())
        .merge(authorities::routes())
        .merge(referrals::routes())
        .merge(cases::routes())
        .merge(clauses::routes())
        .merge(companies::routes())
        .merge(groups::routes())
        .merge(holidays::routes())
        .merge(privacy::routes())
        .merge(outbox::routes())
        .merge(remedies::routes())
}

#[derive(Serialize)]
struct HomeView {
    calendar_warning: Option<String>,
    /// For admins and reviewers: what the company loop needs from them.
    attention: Option<crate::services::cases::attention::Attention>,
    /// How long the oldest held complaint has waited, in words.
    oldest_held_age: Option<String>,
    /// Consumers' erasure requests waiting for their cooling-off (staff may confirm or object).
    erasure_requests: Vec<ErasureRequestRow>,
}

#[derive(Serialize)]
struct ErasureRequestRow {
    case_id: i64,
    code: String,
    due: String,
}

impl View for HomeView {
    const TEMPLATE: &'static str = "staff/home.html";
    const PATH: &'static str = "/staff";
}

async fn landing(page: StaffPage) -> Result<Response, AppError> {
    let attention = if page.user.role.is_staff() {
        Some(crate::services::cases::attention::attention(&page.state.db.read).await?)
    } else {
        None
    };
    let oldest_held_age = attention
        .as_ref()
        .and_then(|a| a.oldest_held_at)
        .map(|t| held_age(&page, chrono::Utc::now() - t));
    let erasure_requests = if page.user.role.is_staff() {
        crate::services::privacy::erasure::requests::pending(&page.state.db.read)
            .await?
            .into_iter()
            .map(|p| ErasureRequestRow {
                case_id: p.request.complaint_id,
                code: p.tracking_code,
                due: crate::domain::format::datetime(p.request.due_at, page.lang),
            })
            .collect()
    } else {
        Vec::new()
    };
    let view = HomeView {
        erasure_requests,
        oldest_held_age,
        attention,
        calendar_warning: crate::services::holidays::calendar_warning(
            &page.state.db.read,
            &page.state.reference().calendar,
            &page.state.i18n,
            page.lang,
        )
        .await,
    };
    page.render(&view, StatusCode::OK).await
}

/// "3 days" / "5 hours" / "12 minutes", localised.
fn held_age(page: &StaffPage, age: chrono::Duration) -> String {
    let (key, n) = if age.num_days() >= 1 {
        ("staff.home.attention.days", age.num_days())
    } else if age.num_hours() >= 1 {
        ("staff.home.attention.hours", age.num_hours())
    } else {
        ("staff.home.attention.minutes", age.num_minutes().max(0))
    };
    page.state
        .i18n
        .fmt(page.lang, key, &[("n", &n.to_string())])
}
