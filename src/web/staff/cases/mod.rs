//! The staff queue (`/staff/cases`); the case page (`/staff/cases/{id}`) is in [`view`], its
//! actions in [`actions`], evidence downloads in [`evidence`].
pub mod actions;
mod campaigns;
mod evidence;
mod facts;
mod view;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;
use serde_json::Value;

use crate::domain::format;
use crate::domain::{Language, Sector, Status};
use crate::error::{AppError, FieldErrors};
use crate::services::accounts::users;
use crate::services::cases;
use crate::services::cases::queue::{self, QueueParams, Sort};
use crate::state::AppState;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{StaffPage, View};

pub use view::{render_case, Feedback};

pub fn routes() -> Routes {
    Routes::new()
        .add("/staff/cases", &["GET"], Access::Staff, get(queue_page))
        .add(
            "/staff/cases/{id}",
            &["GET"],
            Access::Staff,
            get(view::case_page),
        )
        .add(
            "/staff/cases/{id}/evidence/{file_id}",
            &["GET"],
            Access::Staff,
            get(evidence::evidence_download),
        )
        .add(
            "/staff/cases/{id}/answer-files/{file_id}",
            &["GET"],
            Access::Staff,
            get(evidence::answer_file_download),
        )
        .merge(actions::routes())
        .merge(campaigns::routes())
}

/// A code with its localised name, for selects and checkboxes.
#[derive(Serialize, Clone)]
struct Choice {
    code: String,
    name: String,
}

/// Obstacle codes with their localised names.
fn obstacle_options(state: &AppState, lang: Language) -> Vec<Choice> {
    state
        .reference()
        .obstacles
        .iter()
        .filter(|o| o.active)
        .map(|o| Choice {
            code: o.code.clone(),
            name: match lang {
                Language::ZhCn => o.name_zh.clone(),
                Language::En => o.name_en.clone(),
            },
        })
        .collect()
}

fn province_options(state: &AppState, lang: Language) -> Vec<Choice> {
    state
        .reference()
        .provinces
        .iter()
        .map(|p| Choice {
            code: p.code.clone(),
            name: match lang {
                Language::ZhCn => p.name_zh.clone(),
                Language::En => p.name_en.clone(),
            },
        })
        .collect()
}

/// The queue parameters as a query string (empty ones left out).
fn query_string(p: &QueueParams) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    if let Ok(Value::Object(map)) = serde_json::to_value(p) {
        for (k, v) in map {
            if let Some(s) = v.as_str().filter(|s| !s.trim().is_empty()) {
                ser.append_pair(&k, s);
            }
        }
    }
    ser.finish()
}

/// Error summary entries in a stable order.
fn summary(errors: &FieldErrors) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|(k, v)| (k.clone(), v.join(" ")))
        .collect()
}

/// One case in the queue.
#[derive(Serialize)]
struct QueueRow {
    id: i64,
    code: String,
    status: String,
    received: String,
    sector: String,
    company: String,
    service: Option<String>,
    province: Option<String>,
    obstacles: Vec<String>,
    suggested: Vec<String>,
    due: Option<String>,
    overdue: bool,
    /// The company let its due date pass without answering.
    no_response: bool,
    /// The consumer is not satisfied with the company's answer.
    disputed: bool,
    /// In the priority lane.
    lane: bool,
    assigned: Option<String>,
    files: u64,
}

#[derive(Serialize)]
struct QueueView {
    rows: Vec<QueueRow>,
    next_url: Option<String>,
    first_page: bool,
    errors: FieldErrors,
    summary: Vec<(String, String)>,
    f: QueueParams,
    statuses: Vec<&'static str>,
    sectors: Vec<&'static str>,
    sorts: [&'static str; 3],
    obstacles: Vec<Choice>,
    provinces: Vec<Choice>,
}

impl View for QueueView {
    const TEMPLATE: &'static str = "staff/cases.html";
    const PATH: &'static str = "/staff/cases";
}

async fn queue_page(page: StaffPage, Query(p): Query<QueueParams>) -> Result<Response, AppError> {
    let (state, lang) = (&page.state, page.lang);
    let reference = state.reference();
    let today = format::today();
    let (rows, next_url, errors, status) = match queue::parse(&p, &state.i18n, lang, &reference) {
        Ok(filters) => {
            let db = &state.db.read;
            let page_ = queue::run(db, &filters, page.user.id, today).await?;
            // A tracking code typed into the search box opens that case.
            if let (Some(_), [only]) = (&filters.code, page_.items.as_slice()) {
                return Ok(axum::response::IntoResponse::into_response(
                    axum::response::Redirect::to(&format!("/staff/cases/{}", only.id)),
                ));
            }
            let ids: Vec<i64> = page_.items.iter().map(|c| c.id).collect();
            let links = cases::links_for(db, &ids).await?;
            let files = cases::evidence_counts(db, &ids).await?;
            let names = users::display_names(db).await?;
            let rows = page_
                .items
                .iter()
                .map(|c| {
                    let l = links.get(&c.id);
                    QueueRow {
                        id: c.id,
                        code: c.tracking_code.clone(),
                        status: c.status.code().to_string(),
                        received: format::datetime(c.received_at, lang),
                        sector: c.sector.clone(),
                        company: c.company_name.clone(),
                        service: c.service_name.clone(),
                        province: c
                            .province
                            .as_deref()
                            .and_then(|p| reference.province_name(p, lang))
                            .map(str::to_string),
                        obstacles: l.map(|l| l.confirmed()).unwrap_or_default(),
                        suggested: l
                            .map(|l| l.suggestions.iter().map(|s| s.code.clone()).collect())
                            .unwrap_or_default(),
                        due: cases::due_on(c).map(|d| format::date(d, lang)),
                        overdue: cases::is_overdue(c, today),
                        no_response: c.no_response_at.is_some() && c.responded_at.is_none(),
                        disputed: c.consumer_disputed,
                        lane: c.priority_lane,
                        assigned: c.assigned_to.and_then(|u| names.get(&u).cloned()),
                        files: files.get(&c.id).copied().unwrap_or(0),
                    }
                })
                .collect();
            let next_url = page_.next_cursor.map(|cur| {
                let mut p2 = p.clone();
                p2.cursor = Some(cur);
                format!("/staff/cases?{}", query_string(&p2))
            });
            (rows, next_url, FieldErrors::new(), StatusCode::OK)
        }
        Err(errors) => (vec![], None, errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let view = QueueView {
        rows,
        next_url,
        first_page: p.cursor.as_deref().is_some_and(|c| !c.is_empty()),
        summary: summary(&errors),
        errors,
        f: p,
        statuses: Status::codes(),
        sectors: Sector::codes(),
        sorts: Sort::CODES,
        obstacles: obstacle_options(state, lang),
        provinces: province_options(state, lang),
    };
    page.render(&view, status).await
}
