//! Holiday calendar admin: the rows of a year, adding a day or a range, deleting a day. Every
//! change reloads the reference data so the working-day clocks use the new calendar at once.
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::forms::{DoneQuery, FormView};
use crate::domain::format;
use crate::error::{AppError, FieldErrors};
use crate::services::holidays::{self, KINDS};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage, View};

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/holidays",
            &["GET", "POST"],
            Access::Admin,
            get(list_page).post(add),
        )
        .add(
            "/staff/holidays/delete",
            &["POST"],
            Access::Admin,
            post(delete),
        )
}

const FORM_FIELDS: [&str; 4] = ["from", "to", "kind", "name"];

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<String>,
    #[serde(flatten)]
    done: DoneQuery,
}

/// Values shown in the add form; absent ones fall back to the template's defaults.
#[derive(Serialize, Default)]
struct RangeValues {
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

#[derive(Serialize)]
struct HolidayRow {
    day: String,
    shown: String,
    weekday: String,
    kind: String,
    name: String,
}

#[derive(Serialize)]
struct CalendarView {
    year: i32,
    years: std::collections::BTreeSet<i32>,
    rows: Vec<HolidayRow>,
    kinds: [&'static str; 2],
    warning: Option<String>,
    #[serde(flatten)]
    form: FormView<RangeValues>,
    done: Option<String>,
    max_days: i64,
}

impl View for CalendarView {
    const TEMPLATE: &'static str = "staff/holidays.html";
    const PATH: &'static str = "/staff/holidays";
}

async fn render(
    page: &StaffPage,
    year: i32,
    v: RangeValues,
    errors: FieldErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (state, lang) = (&page.state, page.lang);
    let rows = holidays::rows_of_year(&state.db.read, year)
        .await?
        .into_iter()
        .map(|h| HolidayRow {
            day: h.day.to_string(),
            shown: format::date(h.day, lang),
            weekday: page.msg(&format!(
                "holidays.weekdays.d{}",
                h.day.weekday().num_days_from_monday()
            )),
            kind: h.kind,
            name: h.name,
        })
        .collect();
    let this_year = format::today().year();
    let mut years = holidays::years(&state.db.read).await?;
    years.extend([this_year, this_year + 1, year]);
    let view = CalendarView {
        year,
        years,
        rows,
        kinds: KINDS,
        warning: holidays::calendar_warning(
            &state.db.read,
            &state.reference().calendar,
            &state.i18n,
            lang,
        )
        .await,
        form: FormView::new(v, errors, &FORM_FIELDS),
        done,
        max_days: holidays::MAX_RANGE_DAYS,
    };
    page.render(&view, status).await
}

async fn list_page(page: StaffPage, Query(q): Query<YearQuery>) -> Result<Response, AppError> {
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => format::today().year(),
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or(AppError::NotFound)?,
    };
    let done = q.done.message(&page, "holidays", &["added", "deleted"]);
    render(
        &page,
        year,
        RangeValues::default(),
        FieldErrors::new(),
        done,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
struct AddForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct DeleteForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    day: String,
}

csrf_protected!(AddForm, DeleteForm);

/// Refreshes the in-memory calendar after a change.
async fn reload(state: &crate::state::AppState) -> Result<(), AppError> {
    state.reload_reference().await.map_err(AppError::Internal)
}

async fn add(StaffForm(page, f): StaffForm<AddForm>) -> Result<Response, AppError> {
    match holidays::parse_range(&f.from, &f.to, &f.kind, &f.name) {
        Ok(range) => {
            let (written, _) =
                holidays::add_range(&page.state.db.write, &range, &page.user.actor()).await?;
            reload(&page.state).await?;
            Ok(Redirect::to(&format!(
                "/staff/holidays?year={}&done=added&n={written}",
                range.from.year()
            ))
            .into_response())
        }
        Err(p) => {
            let errors = p.localise(&page.state.i18n, page.lang);
            let year = holidays::parse_day(&f.from)
                .map(|d| d.year())
                .unwrap_or_else(|| format::today().year());
            let typed = RangeValues {
                from: Some(f.from),
                to: Some(f.to),
                kind: Some(f.kind),
                name: Some(f.name),
            };
            render(
                &page,
                year,
                typed,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

async fn delete(StaffForm(page, f): StaffForm<DeleteForm>) -> Result<Response, AppError> {
    let day = holidays::parse_day(&f.day).ok_or(AppError::NotFound)?;
    if !holidays::delete_day(&page.state.db.write, day, &page.user.actor()).await? {
        return Err(AppError::NotFound);
    }
    reload(&page.state).await?;
    Ok(Redirect::to(&format!(
        "/staff/holidays?year={}&done=deleted&n=1",
        day.year()
    ))
    .into_response())
}
