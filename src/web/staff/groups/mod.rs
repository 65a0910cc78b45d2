//! Case group pages: the list and creating a group; the group page (members with the contact
//! data of those who consented, adding and removing cases, editing, deleting) and the member
//! export are in [`show`].
mod show;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::forms::{self, refused, DoneQuery, FormView};
use crate::domain::format;
use crate::error::{AppError, FieldErrors};
use crate::services::groups;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage, View};

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/groups",
            &["GET", "POST"],
            Access::Staff,
            get(list_page).post(create),
        )
        .add(
            "/staff/groups/{id}",
            &["GET", "POST"],
            Access::Staff,
            get(forms::show::<show::GroupPage>).post(show::edit),
        )
        .add(
            "/staff/groups/{id}/delete",
            &["POST"],
            Access::Staff,
            post(show::delete),
        )
        .add(
            "/staff/groups/{id}/members",
            &["POST"],
            Access::Staff,
            post(show::add_members),
        )
        .add(
            "/staff/groups/{id}/members/remove",
            &["POST"],
            Access::Staff,
            post(show::remove_member),
        )
        .add(
            "/staff/groups/{id}/members.csv",
            &["GET"],
            Access::Staff,
            get(show::export_csv),
        )
}

const FORM_FIELDS: [&str; 3] = ["name", "description", "company"];

#[derive(Deserialize, Default)]
struct GroupForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    /// Company id, name or alias (optional).
    #[serde(default)]
    company: String,
}

csrf_protected!(GroupForm);

/// Values shown in the group form; absent ones fall back to the template's defaults.
#[derive(Serialize, Default)]
struct GroupValues {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    company: Option<String>,
}

impl GroupForm {
    /// What was typed, to show again with the errors.
    fn typed(&self) -> GroupValues {
        GroupValues {
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
            company: Some(self.company.clone()),
        }
    }
}

#[derive(Serialize)]
struct GroupRowView {
    id: i64,
    name: String,
    description: String,
    company_id: Option<i64>,
    company_name: Option<String>,
    member_count: i64,
    created: String,
}

#[derive(Serialize)]
struct ListView {
    rows: Vec<GroupRowView>,
    #[serde(flatten)]
    form: FormView<GroupValues>,
    done: Option<String>,
}

impl View for ListView {
    const TEMPLATE: &'static str = "staff/groups.html";
    const PATH: &'static str = "/staff/groups";
}

async fn render_list(
    page: &StaffPage,
    v: GroupValues,
    errors: FieldErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let rows = groups::list(&page.state.db.read)
        .await?
        .into_iter()
        .map(|g| GroupRowView {
            id: g.id,
            name: g.name,
            description: g.description,
            company_id: g.company_id,
            company_name: g.company_name,
            member_count: g.member_count,
            created: format::datetime(g.created_at, page.lang),
        })
        .collect();
    let view = ListView {
        rows,
        form: FormView::new(v, errors, &FORM_FIELDS),
        done,
    };
    page.render(&view, status).await
}

async fn list_page(page: StaffPage, Query(q): Query<DoneQuery>) -> Result<Response, AppError> {
    let done = q.message(&page, "groups", &["deleted"]);
    render_list(
        &page,
        GroupValues::default(),
        FieldErrors::new(),
        done,
        StatusCode::OK,
    )
    .await
}

async fn create(StaffForm(page, f): StaffForm<GroupForm>) -> Result<Response, AppError> {
    let result =
        match groups::parse_group(&page.state.db.read, &f.name, &f.description, &f.company).await {
            Ok(input) => groups::create(&page.state.db.write, input, &page.user.actor()).await,
            Err(e) => Err(e),
        };
    match result {
        Ok(g) => Ok(Redirect::to(&format!("/staff/groups/{}?done=created", g.id)).into_response()),
        Err(e) => {
            let errors = refused(&page, e)?;
            render_list(
                &page,
                f.typed(),
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
