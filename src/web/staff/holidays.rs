//! Holiday calendar admin: the rows of a year, adding a day or a range, deleting a day. Every
//! change reloads the reference data so the working-day clocks use the new calendar at once.
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Datelike;
use serde::Deserialize;
use serde_json::{json, Value};
use tower_sessions::Session;

use super::companies::{done_message, summary, Viewer};
use super::staff_context;
use crate::domain::format;
use crate::error::{AppError, FieldErrors};
use crate::services::holidays::{self, KINDS};
use crate::state::AppState;
use crate::web::shared::auth::{verify_csrf, CurrentUser};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::page;

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
    done: Option<String>,
    n: Option<String>,
}

async fn render(
    v: &Viewer<'_>,
    year: i32,
    typed: Value,
    errors: FieldErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let Viewer {
        state,
        lang,
        user,
        session,
    } = *v;
    let rows: Vec<Value> = holidays::rows_of_year(&state.db.read, year)
        .await?
        .into_iter()
        .map(|h| json!({ "day": h.day.to_string(), "shown": format::date(h.day, lang), "weekday": state.i18n.msg(lang, &format!("holidays.weekdays.d{}", h.day.weekday().num_days_from_monday())), "kind": h.kind, "name": h.name }))
        .collect();
    let this_year = format::today().year();
    let mut years = holidays::years(&state.db.read).await?;
    years.extend([this_year, this_year + 1, year]);
    let mut ctx = staff_context(state, lang, "/staff/holidays", user, session).await?;
    ctx.insert("year", &year);
    ctx.insert("years", &years);
    ctx.insert("rows", &rows);
    ctx.insert("kinds", &KINDS);
    ctx.insert(
        "warning",
        &holidays::calendar_warning(
            &state.db.read,
            &state.reference().calendar,
            &state.i18n,
            lang,
        )
        .await,
    );
    ctx.insert("v", &typed);
    ctx.insert("summary", &summary(&errors, &FORM_FIELDS));
    ctx.insert("errors", &errors);
    ctx.insert("done", &done);
    ctx.insert("max_days", &holidays::MAX_RANGE_DAYS);
    page(state, "staff/holidays.html", &ctx, status)
}

async fn list_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => format::today().year(),
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or(AppError::NotFound)?,
    };
    let done = done_message(
        &state,
        lang,
        "holidays",
        &["added", "deleted"],
        &q.done,
        &q.n,
    );
    render(
        &Viewer {
            state: &state,
            lang,
            user: &user,
            session: &session,
        },
        year,
        json!({}),
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

/// Refreshes the in-memory calendar after a change.
async fn reload(state: &AppState) -> Result<(), AppError> {
    state.reload_reference().await.map_err(AppError::Internal)
}

async fn add(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Form(f): Form<AddForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    match holidays::parse_range(&f.from, &f.to, &f.kind, &f.name) {
        Ok(range) => {
            let (written, _) = holidays::add_range(&state.db.write, &range, &user.actor()).await?;
            reload(&state).await?;
            Ok(Redirect::to(&format!(
                "/staff/holidays?year={}&done=added&n={written}",
                range.from.year()
            ))
            .into_response())
        }
        Err(p) => {
            let errors = p.localise(&state.i18n, lang);
            let typed = json!({ "from": f.from, "to": f.to, "kind": f.kind, "name": f.name });
            let year = holidays::parse_day(&f.from)
                .map(|d| d.year())
                .unwrap_or_else(|| format::today().year());
            render(
                &Viewer {
                    state: &state,
                    lang,
                    user: &user,
                    session: &session,
                },
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

#[derive(Deserialize)]
struct DeleteForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    day: String,
}

async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Form(f): Form<DeleteForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let day = holidays::parse_day(&f.day).ok_or(AppError::NotFound)?;
    if !holidays::delete_day(&state.db.write, day, &user.actor()).await? {
        return Err(AppError::NotFound);
    }
    reload(&state).await?;
    Ok(Redirect::to(&format!(
        "/staff/holidays?year={}&done=deleted&n=1",
        day.year()
    ))
    .into_response())
}
