//! The clause library for staff (`/staff/clauses`): the list with its filters, recording a
//! clause, and (in [`show`]) its page with editing, status changes, files and history. Cases cite
//! clauses and groups link them from [`pick`]; the regulator pages reuse [`facts`].
pub mod facts;
mod pick;
mod show;

use axum::extract::{DefaultBodyLimit, Query};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use crate::domain::clauses::ClauseStatus;
use crate::domain::format;
use crate::error::{AppError, FieldErrors};
use crate::services::clauses::{self, ClauseFilter, ClauseTyped};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage, View};
use crate::web::staff::forms::{refused, DoneQuery, FormView};
use facts::{legal_options, obstacle_options, Choice, RowView};
pub(crate) use show::download as download_file;

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/clauses",
            &["GET", "POST"],
            Access::Staff,
            get(list_page).post(create),
        )
        .add("/staff/clauses/new", &["GET"], Access::Staff, get(new_page))
        .add(
            "/staff/clauses/{id}",
            &["GET", "POST"],
            Access::Staff,
            get(show::show).post(show::edit),
        )
        .add(
            "/staff/clauses/{id}/status",
            &["POST"],
            Access::Staff,
            post(show::change_status),
        )
        .add(
            "/staff/clauses/{id}/files",
            &["POST"],
            Access::Staff,
            post(show::add_file).layer(DefaultBodyLimit::max(show::FILE_BODY_LIMIT)),
        )
        .add(
            "/staff/clauses/{id}/files/{file_id}",
            &["GET"],
            Access::Staff,
            get(show::download),
        )
        .merge(pick::routes())
}

/// The clause form's fields, in the order of its error summary.
pub(super) const FORM_FIELDS: [&str; 9] = [
    "company",
    "service_name",
    "clause_text",
    "source_url",
    "first_seen_on",
    "last_seen_on",
    "obstacles",
    "legal_basis",
    "analysis",
];

#[derive(Deserialize, Default)]
pub(super) struct ClauseForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    service_name: String,
    #[serde(default)]
    clause_text: String,
    #[serde(default)]
    source_url: String,
    #[serde(default)]
    first_seen_on: String,
    #[serde(default)]
    last_seen_on: String,
    #[serde(default)]
    obstacles: Vec<String>,
    #[serde(default)]
    legal_basis: Vec<String>,
    #[serde(default)]
    analysis: String,
}

csrf_protected!(ClauseForm);

impl ClauseForm {
    fn typed(&self) -> ClauseTyped {
        ClauseTyped {
            company: self.company.clone(),
            service_name: self.service_name.clone(),
            clause_text: self.clause_text.clone(),
            source_url: self.source_url.clone(),
            first_seen_on: self.first_seen_on.clone(),
            last_seen_on: self.last_seen_on.clone(),
            obstacles: self.obstacles.clone(),
            legal_basis: self.legal_basis.clone(),
            analysis: self.analysis.clone(),
        }
    }
}

/// The form's values as the template shows them.
#[derive(Serialize, Default)]
pub(super) struct ClauseValues {
    company: String,
    service_name: String,
    clause_text: String,
    source_url: String,
    first_seen_on: String,
    last_seen_on: String,
    obstacles: Vec<String>,
    legal_basis: Vec<String>,
    analysis: String,
}

impl From<&ClauseTyped> for ClauseValues {
    fn from(t: &ClauseTyped) -> Self {
        ClauseValues {
            company: t.company.clone(),
            service_name: t.service_name.clone(),
            clause_text: t.clause_text.clone(),
            source_url: t.source_url.clone(),
            first_seen_on: t.first_seen_on.clone(),
            last_seen_on: t.last_seen_on.clone(),
            obstacles: t.obstacles.clone(),
            legal_basis: t.legal_basis.clone(),
            analysis: t.analysis.clone(),
        }
    }
}

/// What the clause form needs besides its values: the choices.
#[derive(Serialize)]
pub(super) struct FormChoices {
    obstacle_options: Vec<Choice>,
    legal_options: Vec<Choice>,
    company_names: Vec<String>,
    today: String,
}

impl FormChoices {
    pub(super) async fn load(page: &StaffPage) -> Result<FormChoices, AppError> {
        Ok(FormChoices {
            obstacle_options: obstacle_options(&page.state, page.lang),
            legal_options: legal_options(page.lang),
            company_names: facts::company_names(&page.state.db.read).await?,
            today: format::today().to_string(),
        })
    }
}

/// The parsed query of the list pages (staff and regulator).
#[derive(Deserialize, Default, Serialize, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub obstacle: String,
    #[serde(default)]
    pub done: Option<String>,
}

impl ListQuery {
    /// The filter; values that are not a company id, status or obstacle code are ignored.
    pub fn filter(&self, known_obstacles: &[Choice]) -> ClauseFilter {
        ClauseFilter {
            q: self.q.trim().chars().take(200).collect(),
            company_id: self.company.trim().parse().ok().filter(|id| *id > 0),
            status: ClauseStatus::parse(self.status.trim()),
            obstacle: known_obstacles
                .iter()
                .find(|o| o.code == self.obstacle.trim())
                .map(|o| o.code.clone()),
            open_only: false,
        }
    }

    /// The filters as a query string (for the download links).
    pub fn query_string(&self) -> String {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("q", &self.q),
            ("company", &self.company),
            ("status", &self.status),
            ("obstacle", &self.obstacle),
        ] {
            if !v.trim().is_empty() {
                ser.append_pair(k, v.trim());
            }
        }
        ser.finish()
    }
}

/// The filter form's choices and values (shared with the regulator list).
#[derive(Serialize)]
pub struct FilterView {
    pub q: ListQuery,
    pub companies: Vec<(i64, String)>,
    pub statuses: Vec<&'static str>,
    pub obstacle_options: Vec<Choice>,
}

impl FilterView {
    pub async fn load(page: &StaffPage, q: ListQuery) -> Result<FilterView, AppError> {
        Ok(FilterView {
            companies: facts::clause_companies(&page.state.db.read).await?,
            statuses: ClauseStatus::codes(),
            obstacle_options: obstacle_options(&page.state, page.lang),
            q,
        })
    }
}

#[derive(Serialize)]
struct ListView {
    rows: Vec<RowView>,
    filter: FilterView,
    done: Option<String>,
}

impl View for ListView {
    const TEMPLATE: &'static str = "staff/clauses.html";
    const PATH: &'static str = "/staff/clauses";
}

async fn list_page(page: StaffPage, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    let done = DoneQuery {
        done: q.done.clone(),
        n: None,
    }
    .message(&page, "clauses", &["created"]);
    let obstacles = obstacle_options(&page.state, page.lang);
    let rows = clauses::list(&page.state.db.read, &q.filter(&obstacles))
        .await?
        .into_iter()
        .map(|r| RowView::of(&page, r))
        .collect();
    let view = ListView {
        rows,
        filter: FilterView::load(&page, q).await?,
        done,
    };
    page.render(&view, StatusCode::OK).await
}

#[derive(Serialize)]
struct NewView {
    #[serde(flatten)]
    form: FormView<ClauseValues>,
    #[serde(flatten)]
    choices: FormChoices,
}

impl View for NewView {
    const TEMPLATE: &'static str = "staff/clauses_new.html";
    const PATH: &'static str = "/staff/clauses";
}

#[derive(Deserialize, Default)]
struct NewQuery {
    /// Prefill the company (from a company or case page).
    #[serde(default)]
    company: String,
}

async fn new_page(page: StaffPage, Query(q): Query<NewQuery>) -> Result<Response, AppError> {
    let v = ClauseValues {
        company: q.company.chars().take(100).collect(),
        ..ClauseValues::default()
    };
    render_new(&page, v, FieldErrors::new(), StatusCode::OK).await
}

async fn render_new(
    page: &StaffPage,
    v: ClauseValues,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let view = NewView {
        form: FormView::new(v, errors, &FORM_FIELDS),
        choices: FormChoices::load(page).await?,
    };
    page.render(&view, status).await
}

/// The taxonomy's active obstacle codes.
pub(super) fn known_obstacles(page: &StaffPage) -> Vec<String> {
    obstacle_options(&page.state, page.lang)
        .into_iter()
        .map(|o| o.code)
        .collect()
}

async fn create(StaffForm(page, f): StaffForm<ClauseForm>) -> Result<Response, AppError> {
    let typed = f.typed();
    let result = match clauses::parse_clause(
        &page.state.db.read,
        &known_obstacles(&page),
        &typed,
        format::today(),
    )
    .await
    {
        Ok(input) => clauses::create(&page.state.db.write, input, &page.user.actor()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => Ok(Redirect::to(&format!("/staff/clauses/{}?done=created", c.id)).into_response()),
        Err(e) => {
            let errors = refused(&page, e)?;
            render_new(
                &page,
                ClauseValues::from(&typed),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

use axum::response::IntoResponse;
