//! The directory of authorities cases are referred to (admins): the list with the form for a
//! new authority, and one authority's form. Every change is audited.
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::forms::{done_redirect, parse_id, refused, DoneQuery, FormView};
use crate::domain::campaign::split;
use crate::domain::{Language, Sector};
use crate::entities::authority;
use crate::error::{AppError, FieldErrors};
use crate::services::referrals::{self, AuthorityForm};
use crate::state::AppState;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage, View};

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/authorities",
            &["GET", "POST"],
            Access::Admin,
            get(list_page).post(create),
        )
        .add(
            "/staff/authorities/{id}",
            &["GET", "POST"],
            Access::Admin,
            get(edit_page).post(save),
        )
}

const FIELDS: [&str; 5] = ["name", "sectors", "region", "contact", "notes"];

#[derive(Deserialize, Default)]
struct Body {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    sectors: Vec<String>,
    #[serde(default)]
    region: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    notes: String,
}

csrf_protected!(Body);

impl Body {
    fn form(&self) -> AuthorityForm {
        AuthorityForm {
            name: self.name.clone(),
            sectors: self.sectors.clone(),
            region: self.region.clone(),
            contact: self.contact.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// The form's values as shown.
#[derive(Serialize, Default)]
struct Values {
    name: String,
    sectors: Vec<String>,
    region: String,
    contact: String,
    notes: String,
}

impl Values {
    fn typed(f: &AuthorityForm) -> Values {
        Values {
            name: f.name.clone(),
            sectors: f.sectors.clone(),
            region: f.region.clone(),
            contact: f.contact.clone(),
            notes: f.notes.clone(),
        }
    }

    fn stored(a: &authority::Model) -> Values {
        Values {
            name: a.name.clone(),
            sectors: split(&a.sectors),
            region: a.region.clone(),
            contact: a.contact.clone(),
            notes: a.notes.clone(),
        }
    }
}

#[derive(Serialize)]
struct Choice {
    code: String,
    name: String,
}

#[derive(Serialize)]
struct Options {
    sectors: Vec<&'static str>,
    provinces: Vec<Choice>,
}

fn options(state: &AppState, lang: Language) -> Options {
    Options {
        sectors: Sector::codes(),
        provinces: state
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
            .collect(),
    }
}

/// The region's name: a province, or "national".
pub fn region_name(state: &AppState, lang: Language, region: &str) -> String {
    if region.is_empty() {
        return state.i18n.msg(lang, "referrals.national");
    }
    state
        .reference()
        .provinces
        .iter()
        .find(|p| p.code == region)
        .map_or_else(
            || region.to_string(),
            |p| match lang {
                Language::ZhCn => p.name_zh.clone(),
                Language::En => p.name_en.clone(),
            },
        )
}

#[derive(Serialize)]
struct Row {
    id: i64,
    name: String,
    sectors: Vec<String>,
    region: String,
    contact: String,
}

#[derive(Serialize)]
struct ListView {
    rows: Vec<Row>,
    options: Options,
    #[serde(flatten)]
    form: FormView<Values>,
    authority: Option<i64>,
}

impl View for ListView {
    const TEMPLATE: &'static str = "staff/authorities.html";
    const PATH: &'static str = "/staff/authorities";
}

async fn render_list(
    page: &StaffPage,
    v: Values,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let rows = referrals::list(&page.state.db.read)
        .await?
        .into_iter()
        .map(|a| Row {
            sectors: split(&a.sectors),
            region: region_name(&page.state, page.lang, &a.region),
            id: a.id,
            name: a.name,
            contact: a.contact,
        })
        .collect();
    let view = ListView {
        rows,
        options: options(&page.state, page.lang),
        form: FormView::new(v, errors, &FIELDS),
        authority: None,
    };
    page.render(&view, status).await
}

async fn list_page(page: StaffPage) -> Result<Response, AppError> {
    render_list(&page, Values::default(), FieldErrors::new(), StatusCode::OK).await
}

async fn create(StaffForm(page, body): StaffForm<Body>) -> Result<Response, AppError> {
    let f = body.form();
    let result = match referrals::parse(&page.state.reference(), &f) {
        Ok(input) => referrals::create(&page.state.db.write, input, &page.user.actor()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(a) => Ok(done_redirect(
            &format!("/staff/authorities/{}", a.id),
            "created",
            None,
        )),
        Err(e) => {
            let errors = refused(&page, e)?;
            render_list(
                &page,
                Values::typed(&f),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Serialize)]
struct EditView {
    title: String,
    options: Options,
    #[serde(flatten)]
    form: FormView<Values>,
    done: Option<String>,
    authority: Option<i64>,
}

async fn render_edit(
    page: &StaffPage,
    a: &authority::Model,
    v: Values,
    errors: FieldErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let view = EditView {
        title: a.name.clone(),
        options: options(&page.state, page.lang),
        form: FormView::new(v, errors, &FIELDS),
        done,
        authority: Some(a.id),
    };
    page.render_at(
        "/staff/authorities",
        "staff/authority_edit.html",
        &view,
        status,
    )
    .await
}

async fn edit_page(
    page: StaffPage,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let a = referrals::find(&page.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let done = q.message(&page, "referrals.authority", &["created", "saved"]);
    render_edit(
        &page,
        &a,
        Values::stored(&a),
        FieldErrors::new(),
        done,
        StatusCode::OK,
    )
    .await
}

async fn save(
    Path(id): Path<String>,
    StaffForm(page, body): StaffForm<Body>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let a = referrals::find(&page.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = body.form();
    let result = match referrals::parse(&page.state.reference(), &f) {
        Ok(input) => referrals::update(&page.state.db.write, id, input, &page.user.actor()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(done_redirect(
            &format!("/staff/authorities/{id}"),
            "saved",
            None,
        )),
        Err(e) => {
            let errors = refused(&page, e)?;
            render_edit(
                &page,
                &a,
                Values::typed(&f),
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
