//! The company portal (`/company`): a company user's home with its counts, the list of cases
//! forwarded to its company, each case as the consumer agreed to share it, the answer form and
//! the request for more time. Every route is `Access::Company`, and every read goes through
//! `services::responses::portal`, which only ever sees the user's own company's forwarded cases.
mod case;
pub mod form;
pub mod view;

use axum::extract::DefaultBodyLimit;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use crate::domain::format;
use crate::error::{AppError, FieldErrors};
use crate::services::responses::portal::{self, Counts, Cursor, Filter, DEFAULT_LIMIT};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{StaffPage, View};

pub fn routes() -> Routes {
    Routes::new()
        .add("/company", &["GET"], Access::Company, get(home))
        .add("/company/cases", &["GET"], Access::Company, get(list))
        .add(
            "/company/cases/{code}",
            &["GET"],
            Access::Company,
            get(case::show),
        )
        .add(
            "/company/cases/{code}/response",
            &["POST"],
            Access::Company,
            post(case::respond).layer(DefaultBodyLimit::max(form::ANSWER_BODY_LIMIT)),
        )
        .add(
            "/company/cases/{code}/extension",
            &["POST"],
            Access::Company,
            post(case::extend),
        )
        .add(
            "/company/cases/{code}/evidence/{file_id}",
            &["GET"],
            Access::Company,
            get(case::evidence_download),
        )
        .add(
            "/company/cases/{code}/answer-files/{file_id}",
            &["GET"],
            Access::Company,
            get(case::answer_file_download),
        )
}

/// The company a company user acts for (always set for that role; see `CurrentUser`).
fn company_of(page: &StaffPage) -> Result<i64, AppError> {
    page.user.company_id.ok_or(AppError::Forbidden)
}

#[derive(Serialize)]
struct HomeView {
    company_name: String,
    counts: Counts,
}

impl View for HomeView {
    const TEMPLATE: &'static str = "company/home.html";
    const PATH: &'static str = "/company";
}

async fn home(page: StaffPage) -> Result<Response, AppError> {
    let company_id = company_of(&page)?;
    let db = &page.state.db.read;
    let view = HomeView {
        company_name: portal::company_name(db, company_id)
            .await?
            .unwrap_or_default(),
        counts: portal::counts(db, company_id, format::today()).await?,
    };
    page.render(&view, StatusCode::OK).await
}

/// The list's query: `filter` (all / awaiting / answered / overdue) and the keyset `cursor`.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ListParams {
    pub filter: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// Checked list parameters.
pub struct ListQuery {
    pub filter: Filter,
    pub cursor: Option<Cursor>,
    pub limit: u64,
}

/// Checks the list's parameters, with a localised message per bad one.
pub fn parse_list(
    page_state: &crate::state::AppState,
    lang: crate::domain::Language,
    p: &ListParams,
) -> Result<ListQuery, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut add = |field: &str, key: &str, args: &[(&str, &str)]| {
        errors
            .entry(field.to_string())
            .or_default()
            .push(page_state.i18n.fmt(lang, key, args));
    };
    let filter = Filter::parse(p.filter.as_deref().unwrap_or("")).unwrap_or_else(|| {
        add(
            "filter",
            "errors.invalid_choice",
            &[("choices", &Filter::CODES.join(", "))],
        );
        Filter::All
    });
    let cursor = match p.cursor.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let c = Cursor::decode(s);
            if c.is_none() {
                add("cursor", "cases.queue.bad_cursor", &[]);
            }
            c
        }
    };
    let limit = match p.limit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => DEFAULT_LIMIT,
        Some(s) => match s.parse::<u64>() {
            Ok(n) if (1..=portal::MAX_LIMIT).contains(&n) => n,
            _ => {
                add(
                    "limit",
                    "errors.out_of_range",
                    &[("min", "1"), ("max", &portal::MAX_LIMIT.to_string())],
                );
                DEFAULT_LIMIT
            }
        },
    };
    if errors.is_empty() {
        Ok(ListQuery {
            filter,
            cursor,
            limit,
        })
    } else {
        Err(errors)
    }
}

#[derive(Serialize)]
struct Row {
    code: String,
    status: String,
    received: String,
    forwarded: Option<String>,
    due: Option<String>,
    obstacles: Vec<String>,
    awaiting: bool,
    overdue: bool,
}

#[derive(Serialize)]
struct ListView {
    rows: Vec<Row>,
    filter: &'static str,
    filters: [&'static str; 4],
    next_url: Option<String>,
    first_page: bool,
    errors: FieldErrors,
}

impl View for ListView {
    const TEMPLATE: &'static str = "company/cases.html";
    const PATH: &'static str = "/company/cases";
}

async fn list(page: StaffPage, Query(p): Query<ListParams>) -> Result<Response, AppError> {
    let company_id = company_of(&page)?;
    let lang = page.lang;
    let q = match parse_list(&page.state, lang, &p) {
        Ok(q) => q,
        Err(errors) => {
            let view = ListView {
                rows: Vec::new(),
                filter: "all",
                filters: Filter::CODES,
                next_url: None,
                first_page: true,
                errors,
            };
            return page.render(&view, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let today = format::today();
    let found = portal::list(
        &page.state.db.read,
        company_id,
        q.filter,
        q.cursor.as_ref(),
        q.limit,
        today,
    )
    .await?;
    let next_url = found.next_cursor.map(|c| {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        ser.append_pair("filter", q.filter.code());
        if q.limit != DEFAULT_LIMIT {
            ser.append_pair("limit", &q.limit.to_string());
        }
        ser.append_pair("cursor", &c);
        format!("/company/cases?{}", ser.finish())
    });
    let view = ListView {
        rows: found
            .items
            .into_iter()
            .map(|c| Row {
                code: c.tracking_code,
                status: c.status,
                received: format::datetime(c.received_at, lang),
                forwarded: c.forwarded_at.map(|t| format::datetime(t, lang)),
                due: c.response_due_on.map(|d| format::date(d, lang)),
                obstacles: c.obstacle_codes,
                awaiting: c.awaiting,
                overdue: c.overdue,
            })
            .collect(),
        filter: q.filter.code(),
        filters: Filter::CODES,
        next_url,
        first_page: q.cursor.is_none(),
        errors: FieldErrors::new(),
    };
    page.render(&view, StatusCode::OK).await
}
