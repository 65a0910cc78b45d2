//! Admin pages of issue 17's remedies: the priority lane's clocks (`/staff/lane`) and the
//! rights pages' text (`/staff/rights`, `/staff/rights/{code}`). Both are audited; a clock
//! change reloads the reference data so new due dates use it at once.
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::forms::{summary, DoneQuery};
use crate::domain::format;
use crate::domain::lane::{ClockError, Clocks};
use crate::domain::Language;
use crate::error::{AppError, FieldErrors};
use crate::services::rights::{self, Texts, SECTIONS};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage, View};

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/lane",
            &["GET", "POST"],
            Access::Admin,
            get(lane_page).post(lane_save),
        )
        .add("/staff/rights", &["GET"], Access::Admin, get(rights_list))
        .add(
            "/staff/rights/{code}",
            &["GET", "POST"],
            Access::Admin,
            get(rights_edit).post(rights_save),
        )
}

#[derive(Serialize)]
struct LaneValues {
    review_days: String,
    response_days: String,
}

#[derive(Serialize)]
struct LaneView {
    v: LaneValues,
    errors: FieldErrors,
    summary: Vec<(String, String)>,
    done: Option<String>,
    max_review: u32,
    max_response: u32,
}

impl View for LaneView {
    const TEMPLATE: &'static str = "staff/lane.html";
    const PATH: &'static str = "/staff/lane";
}

async fn render_lane(
    page: &StaffPage,
    v: LaneValues,
    errors: FieldErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let view = LaneView {
        v,
        summary: summary(&errors, &["review_days", "response_days"]),
        errors,
        done,
        max_review: crate::domain::deadlines::REVIEW_WORKING_DAYS,
        max_response: crate::domain::deadlines::RESPONSE_WORKING_DAYS,
    };
    page.render(&view, status).await
}

async fn lane_page(page: StaffPage, Query(q): Query<DoneQuery>) -> Result<Response, AppError> {
    let clocks = page.state.reference().clocks;
    let done = q.message(&page, "lane_admin", &["saved"]);
    let v = LaneValues {
        review_days: clocks.lane_review_days.to_string(),
        response_days: clocks.lane_response_days.to_string(),
    };
    render_lane(&page, v, FieldErrors::new(), done, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
struct LaneForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    review_days: String,
    #[serde(default)]
    response_days: String,
}

/// Every text of a rights page, as typed.
#[derive(Deserialize, Default)]
struct RightsForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    texts: std::collections::BTreeMap<String, String>,
}

csrf_protected!(LaneForm, RightsForm);

async fn lane_save(StaffForm(page, f): StaffForm<LaneForm>) -> Result<Response, AppError> {
    let (review, response) = Clocks::parse(&f.review_days, &f.response_days);
    let mut errors = FieldErrors::new();
    for (field, r) in [("review_days", &review), ("response_days", &response)] {
        if let Err(ClockError::OutOfRange { max }) = r {
            errors.entry(field.to_string()).or_default().push(page.fmt(
                "errors.out_of_range",
                &[("min", "1"), ("max", &max.to_string())],
            ));
        }
    }
    match (review, response) {
        (Ok(r), Ok(s)) => {
            let clocks = Clocks {
                lane_review_days: r,
                lane_response_days: s,
            };
            crate::services::deadlines::lane_settings::save(
                &page.state.db.write,
                &page.user.actor(),
                clocks,
            )
            .await?;
            page.state
                .reload_reference()
                .await
                .map_err(AppError::Internal)?;
            Ok(Redirect::to("/staff/lane?done=saved").into_response())
        }
        _ => {
            let v = LaneValues {
                review_days: f.review_days,
                response_days: f.response_days,
            };
            render_lane(&page, v, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

#[derive(Serialize)]
struct RightsRow {
    code: String,
    name: String,
    updated_at: String,
    updated_by: Option<String>,
}

#[derive(Serialize)]
struct RightsListView {
    rows: Vec<RightsRow>,
}

impl View for RightsListView {
    const TEMPLATE: &'static str = "staff/rights.html";
    const PATH: &'static str = "/staff/rights";
}

async fn rights_list(page: StaffPage) -> Result<Response, AppError> {
    let rows = rights::all(&page.state.db.read)
        .await?
        .into_iter()
        .map(|p| RightsRow {
            name: p.name(page.lang).to_string(),
            updated_at: format::datetime(p.page.updated_at, page.lang),
            updated_by: p.page.updated_by.clone(),
            code: p.obstacle.code,
        })
        .collect();
    page.render(&RightsListView { rows }, StatusCode::OK).await
}

/// One text area of the edit form.
#[derive(Serialize)]
struct TextField {
    name: String,
    section: &'static str,
    lang: &'static str,
    value: String,
}

#[derive(Serialize)]
struct RightsEditView {
    code: String,
    name: String,
    fields: Vec<TextField>,
    errors: FieldErrors,
    summary: Vec<(String, String)>,
    done: Option<String>,
}

impl View for RightsEditView {
    const TEMPLATE: &'static str = "staff/rights_edit.html";
    const PATH: &'static str = "/staff/rights";
}

fn field_names() -> Vec<(String, &'static str, &'static str)> {
    SECTIONS
        .iter()
        .flat_map(|s| ["zh", "en"].map(|l| (format!("{s}_{l}"), *s, l)))
        .collect()
}

async fn render_edit(
    page: &StaffPage,
    code: &str,
    typed: Option<Texts>,
    errors: FieldErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let p = rights::find(&page.state.db.read, code)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = field_names()
        .into_iter()
        .map(|(name, section, l)| {
            let stored = p.text(
                section,
                if l == "en" {
                    Language::En
                } else {
                    Language::ZhCn
                },
            );
            let value = typed
                .as_ref()
                .and_then(|t| t.get(&name).cloned())
                .unwrap_or_else(|| stored.to_string());
            TextField {
                name,
                section,
                lang: l,
                value,
            }
        })
        .collect();
    // Each summary line names its section and language, then the message.
    let summary = field_names()
        .into_iter()
        .flat_map(|(name, section, l)| {
            let label = format!(
                "{} ({})",
                page.msg(&format!("rights.sections.{section}")),
                page.msg(&format!("rights_admin.langs.{l}"))
            );
            errors
                .get(&name)
                .into_iter()
                .flatten()
                .map(move |m| (name.clone(), format!("{label}: {m}")))
                .collect::<Vec<_>>()
        })
        .collect();
    let view = RightsEditView {
        code: p.obstacle.code.clone(),
        name: p.name(page.lang).to_string(),
        fields,
        summary,
        errors,
        done,
    };
    page.render(&view, status).await
}

async fn rights_edit(
    page: StaffPage,
    Path(code): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let done = q.message(&page, "rights_admin", &["saved"]);
    render_edit(&page, &code, None, FieldErrors::new(), done, StatusCode::OK).await
}

async fn rights_save(
    Path(code): Path<String>,
    StaffForm(page, f): StaffForm<RightsForm>,
) -> Result<Response, AppError> {
    // Only the ten known fields are read; anything else in the form is ignored.
    let typed: Texts = field_names()
        .into_iter()
        .map(|(name, _, _)| {
            let v = f.texts.get(&name).cloned().unwrap_or_default();
            (name, v)
        })
        .collect();
    match rights::check(&typed) {
        Ok(clean) => {
            if !rights::update(&page.state.db.write, &page.user.actor(), &code, &clean).await? {
                return Err(AppError::NotFound);
            }
            Ok(Redirect::to(&format!("/staff/rights/{code}?done=saved")).into_response())
        }
        Err(errs) => {
            let errors = rights::localise(&errs, &page.state.i18n, page.lang);
            render_edit(
                &page,
                &code,
                Some(typed),
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
