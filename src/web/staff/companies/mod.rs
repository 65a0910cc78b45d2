//! Company directory pages: the searchable list and creating a company; the company page (edit,
//! aliases, merge another company into it, link unmatched complaints, its cases) is in [`show`].
mod contacts;
mod show;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::forms::{self, refused, DoneQuery, FormView};
use crate::domain::Sector;
use crate::error::{AppError, FieldErrors};
use crate::services::companies::{self, CompanyRow, DirError, ListFilter};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage, View};

const PAGE: u64 = 50;

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/companies",
            &["GET", "POST"],
            Access::Staff,
            get(list_page).post(create),
        )
        .add(
            "/staff/companies/{id}",
            &["GET", "POST"],
            Access::Staff,
            get(forms::show::<show::CompanyPage>).post(show::edit),
        )
        .add(
            "/staff/companies/{id}/aliases",
            &["POST"],
            Access::Staff,
            post(show::add_aliases),
        )
        .add(
            "/staff/companies/{id}/aliases/remove",
            &["POST"],
            Access::Staff,
            post(show::remove_alias),
        )
        .add(
            "/staff/companies/{id}/merge",
            &["POST"],
            Access::Staff,
            post(show::merge),
        )
        .add(
            "/staff/companies/{id}/invite",
            &["POST"],
            Access::Admin,
            post(contacts::invite),
        )
        .add(
            "/staff/companies/{id}/link",
            &["POST"],
            Access::Staff,
            post(show::link_unmatched),
        )
}

#[derive(Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
    sector: Option<String>,
    after: Option<String>,
    #[serde(flatten)]
    done: DoneQuery,
}

/// The company form (create and edit share it).
#[derive(Deserialize, Default, Clone)]
struct CompanyForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    aliases: String,
    /// Edit form only: the record's stamp when the form was loaded.
    #[serde(default)]
    stamp: String,
}

csrf_protected!(CompanyForm);

/// Values shown in the company form; absent ones fall back to the template's defaults.
#[derive(Serialize, Default)]
struct CompanyValues {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sector: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aliases: Option<String>,
}

impl CompanyForm {
    /// What was typed, to show again with the errors.
    fn typed(&self) -> CompanyValues {
        CompanyValues {
            name: Some(self.name.clone()),
            sector: Some(self.sector.clone()),
            credit_code: Some(self.credit_code.clone()),
            contact_email: Some(self.contact_email.clone()),
            aliases: Some(self.aliases.clone()),
        }
    }
}

const FORM_FIELDS: [&str; 5] = ["name", "sector", "credit_code", "contact_email", "aliases"];

/// The list filters as the form shows them again.
#[derive(Serialize)]
struct ListFilterView {
    q: Option<String>,
    sector: Option<&'static str>,
}

#[derive(Serialize)]
struct ListView {
    rows: Vec<CompanyRow>,
    next_after: Option<i64>,
    q: ListFilterView,
    sectors: Vec<&'static str>,
    #[serde(flatten)]
    form: FormView<CompanyValues>,
    done: Option<String>,
}

impl View for ListView {
    const TEMPLATE: &'static str = "staff/companies.html";
    const PATH: &'static str = "/staff/companies";
}

async fn render_list(
    page: &StaffPage,
    q: &ListQuery,
    typed: CompanyValues,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let filter = ListFilter {
        q: clean(&q.q),
        sector: clean(&q.sector).as_deref().and_then(Sector::parse),
    };
    let after = clean(&q.after).and_then(|a| a.parse::<i64>().ok());
    let (rows, next_after) =
        companies::list_by_name(&page.state.db.read, &filter, after, PAGE).await?;
    let view = ListView {
        rows,
        next_after,
        q: ListFilterView {
            sector: filter.sector.map(|s| s.code()),
            q: filter.q,
        },
        sectors: Sector::codes(),
        form: FormView::new(typed, errors, &FORM_FIELDS),
        done: q.done.message(page, "companies", &["created"]),
    };
    page.render(&view, status).await
}

async fn list_page(page: StaffPage, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    render_list(
        &page,
        &q,
        CompanyValues::default(),
        FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

async fn create(StaffForm(page, f): StaffForm<CompanyForm>) -> Result<Response, AppError> {
    let parsed = companies::parse_company(&f.name, &f.sector, &f.credit_code, &f.contact_email);
    let aliases = companies::parse_aliases(&f.aliases);
    let result = match (parsed, aliases) {
        (Ok(input), Ok(aliases)) => {
            companies::create(&page.state.db.write, input, aliases, &page.user.actor()).await
        }
        (a, b) => {
            let mut p = a.err().unwrap_or_default();
            p.0.extend(b.err().unwrap_or_default().0);
            Err(DirError::Invalid(p))
        }
    };
    match result {
        Ok(c) => {
            Ok(Redirect::to(&format!("/staff/companies/{}?done=created", c.id)).into_response())
        }
        Err(e) => {
            let errors = refused(&page, e)?;
            render_list(
                &page,
                &ListQuery::default(),
                f.typed(),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
