//! Campaign administration (admins): the list with the form for a new campaign, and one
//! campaign's form. Saving applies the scope to every case at once (`services::campaigns`).
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::forms::{done_redirect, parse_id, refused, DoneQuery, FormView};
use crate::domain::campaign::split;
use crate::domain::{format, Language, Sector};
use crate::entities::campaign;
use crate::error::{AppError, FieldErrors};
use crate::services::campaigns::{self, figures::tagged_counts, CampaignForm};
use crate::state::AppState;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage, View};

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/campaigns",
            &["GET", "POST"],
            Access::Admin,
            get(list_page).post(create),
        )
        .add(
            "/staff/campaigns/{id}",
            &["GET", "POST"],
            Access::Admin,
            get(edit_page).post(save),
        )
}

const FIELDS: [&str; 8] = [
    "name",
    "tag",
    "starts_on",
    "ends_on",
    "sectors",
    "obstacles",
    "companies",
    "description",
];

#[derive(Deserialize, Default)]
struct CampaignBody {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    sectors: Vec<String>,
    #[serde(default)]
    obstacles: Vec<String>,
    #[serde(default)]
    companies: String,
    #[serde(default)]
    description: String,
}

csrf_protected!(CampaignBody);

impl CampaignBody {
    fn form(&self) -> CampaignForm {
        CampaignForm {
            name: self.name.clone(),
            tag: self.tag.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            sectors: self.sectors.clone(),
            obstacles: self.obstacles.clone(),
            companies: self.companies.clone(),
            description: self.description.clone(),
        }
    }
}

/// The form's values as shown (typed, or from the stored campaign).
#[derive(Serialize, Default)]
struct Values {
    name: String,
    tag: String,
    starts_on: String,
    ends_on: String,
    sectors: Vec<String>,
    obstacles: Vec<String>,
    companies: String,
    description: String,
}

impl Values {
    fn typed(f: &CampaignForm) -> Values {
        Values {
            name: f.name.clone(),
            tag: f.tag.clone(),
            starts_on: f.starts_on.clone(),
            ends_on: f.ends_on.clone(),
            sectors: f.sectors.clone(),
            obstacles: f.obstacles.clone(),
            companies: f.companies.clone(),
            description: f.description.clone(),
        }
    }

    fn stored(c: &campaign::Model) -> Values {
        Values {
            name: c.name.clone(),
            tag: c.tag.clone(),
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
            sectors: split(&c.sectors),
            obstacles: split(&c.obstacle_codes),
            // Ids: the form resolves ids, names and aliases alike.
            companies: split(&c.company_ids).join("\n"),
            description: c.description.clone(),
        }
    }
}

/// A code with its localised name.
#[derive(Serialize)]
struct Choice {
    code: String,
    name: String,
}

/// What the campaign form offers.
#[derive(Serialize)]
struct Options {
    sectors: Vec<&'static str>,
    obstacles: Vec<Choice>,
}

fn options(state: &AppState, lang: Language) -> Options {
    Options {
        sectors: Sector::codes(),
        obstacles: state
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
            .collect(),
    }
}

#[derive(Serialize)]
struct Row {
    id: i64,
    name: String,
    tag: String,
    starts_on: String,
    ends_on: String,
    tagged: i64,
}

#[derive(Serialize)]
struct ListView {
    rows: Vec<Row>,
    options: Options,
    #[serde(flatten)]
    form: FormView<Values>,
    campaign: Option<i64>,
}

impl View for ListView {
    const TEMPLATE: &'static str = "staff/campaigns.html";
    const PATH: &'static str = "/staff/campaigns";
}

async fn render_list(
    page: &StaffPage,
    v: Values,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = &page.state.db.read;
    let counts = tagged_counts(db).await?;
    let rows = campaigns::list(db)
        .await?
        .into_iter()
        .map(|c| Row {
            tagged: counts.get(&c.id).copied().unwrap_or(0),
            starts_on: format::date(c.starts_on, page.lang),
            ends_on: format::date(c.ends_on, page.lang),
            id: c.id,
            name: c.name,
            tag: c.tag,
        })
        .collect();
    let view = ListView {
        rows,
        options: options(&page.state, page.lang),
        form: FormView::new(v, errors, &FIELDS),
        campaign: None,
    };
    page.render(&view, status).await
}

async fn list_page(page: StaffPage) -> Result<Response, AppError> {
    render_list(&page, Values::default(), FieldErrors::new(), StatusCode::OK).await
}

async fn create(StaffForm(page, body): StaffForm<CampaignBody>) -> Result<Response, AppError> {
    let f = body.form();
    let state = &page.state;
    let result = match campaigns::parse(&state.db.read, &state.reference(), &f).await {
        Ok(input) => campaigns::create(&state.db.write, input, &page.user.actor()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok((c, n)) => Ok(done_redirect(
            &format!("/staff/campaigns/{}", c.id),
            "created",
            Some(n),
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
    id: i64,
    title: String,
    options: Options,
    #[serde(flatten)]
    form: FormView<Values>,
    done: Option<String>,
    campaign: Option<i64>,
}

async fn render_edit(
    page: &StaffPage,
    c: &campaign::Model,
    v: Values,
    errors: FieldErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let view = EditView {
        id: c.id,
        title: c.name.clone(),
        options: options(&page.state, page.lang),
        form: FormView::new(v, errors, &FIELDS),
        done,
        campaign: Some(c.id),
    };
    page.render_at(
        "/staff/campaigns",
        "staff/campaign_edit.html",
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
    let c = campaigns::find(&page.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let done = q.message(&page, "campaigns", &["created", "saved"]);
    render_edit(
        &page,
        &c,
        Values::stored(&c),
        FieldErrors::new(),
        done,
        StatusCode::OK,
    )
    .await
}

async fn save(
    Path(id): Path<String>,
    StaffForm(page, body): StaffForm<CampaignBody>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let state = &page.state;
    let c = campaigns::find(&state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = body.form();
    let result = match campaigns::parse(&state.db.read, &state.reference(), &f).await {
        Ok(input) => campaigns::update(&state.db.write, id, input, &page.user.actor()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(n) => Ok(done_redirect(
            &format!("/staff/campaigns/{id}"),
            "saved",
            Some(n),
        )),
        Err(e) => {
            let errors = refused(&page, e)?;
            render_edit(
                &page,
                &c,
                Values::typed(&f),
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
