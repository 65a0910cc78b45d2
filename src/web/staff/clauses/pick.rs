//! Citing clauses from a case and linking them to a case group: one page per case or group
//! (`/staff/cases/{id}/clauses`, `/staff/groups/{id}/clauses`) with a search over the library
//! (by default the case's or group's company), a button per clause, and what is cited now.
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::facts::{excerpt, obstacle_options, Choice, RowView};
use crate::entities::{case_group, complaint};
use crate::error::AppError;
use crate::services::clauses::{self, citations, ClauseFilter};
use crate::services::companies::DirError;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage};
use crate::web::staff::forms::{done_redirect, parse_id, DoneQuery};
use sea_orm::EntityTrait;

pub(super) fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/cases/{id}/clauses",
            &["GET", "POST"],
            Access::Staff,
            get(case_page).post(cite),
        )
        .add(
            "/staff/cases/{id}/clauses/remove",
            &["POST"],
            Access::Staff,
            post(uncite),
        )
        .add(
            "/staff/groups/{id}/clauses",
            &["GET", "POST"],
            Access::Staff,
            get(group_page).post(link),
        )
        .add(
            "/staff/groups/{id}/clauses/remove",
            &["POST"],
            Access::Staff,
            post(unlink),
        )
}

#[derive(Deserialize, Default)]
pub(super) struct PickQuery {
    #[serde(default)]
    q: String,
    /// A company id; absent = the case's or group's company, empty = every company.
    company: Option<String>,
    done: Option<String>,
}

/// A clause already cited or linked.
#[derive(Serialize)]
struct Linked {
    id: i64,
    company_name: String,
    service_name: String,
    excerpt: String,
    status: &'static str,
}

#[derive(Serialize)]
struct PickView {
    /// `case` or `group`.
    kind: &'static str,
    id: i64,
    /// The case's tracking code or the group's name.
    label: String,
    back: String,
    action: String,
    q: String,
    company: String,
    companies: Vec<(i64, String)>,
    linked: Vec<Linked>,
    results: Vec<RowView>,
    obstacle_options: Vec<Choice>,
    done: Option<String>,
}

struct Target {
    kind: &'static str,
    id: i64,
    label: String,
    company_id: Option<i64>,
}

async fn case_target(page: &StaffPage, id: i64) -> Result<Target, AppError> {
    let c = complaint::Entity::find_by_id(id)
        .one(&page.state.db.read)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Target {
        kind: "case",
        id,
        label: c.tracking_code,
        company_id: c.company_id,
    })
}

async fn group_target(page: &StaffPage, id: i64) -> Result<Target, AppError> {
    let g = case_group::Entity::find_by_id(id)
        .one(&page.state.db.read)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Target {
        kind: "group",
        id,
        label: g.name,
        company_id: g.company_id,
    })
}

async fn render(page: &StaffPage, t: Target, q: PickQuery) -> Result<Response, AppError> {
    let db = &page.state.db.read;
    let linked = match t.kind {
        "case" => citations::clauses_of_case(db, t.id).await?,
        _ => citations::clauses_of_group(db, t.id).await?,
    };
    let company = match &q.company {
        Some(c) => c.trim().to_string(),
        None => t.company_id.map(|c| c.to_string()).unwrap_or_default(),
    };
    let filter = ClauseFilter {
        q: q.q.trim().chars().take(200).collect(),
        company_id: company.parse().ok(),
        ..ClauseFilter::default()
    };
    let results = clauses::list(db, &filter)
        .await?
        .into_iter()
        .filter(|r| !linked.iter().any(|l| l.id == r.clause.id))
        .map(|r| RowView::of(page, r))
        .collect();
    let mut companies = super::facts::clause_companies(db).await?;
    if let Some(own) = t.company_id {
        if !companies.iter().any(|(id, _)| *id == own) {
            if let Some(c) = crate::entities::company::Entity::find_by_id(own)
                .one(db)
                .await?
            {
                companies.insert(0, (c.id, c.name));
            }
        }
    }
    let base = match t.kind {
        "case" => format!("/staff/cases/{}", t.id),
        _ => format!("/staff/groups/{}", t.id),
    };
    let view = PickView {
        kind: t.kind,
        id: t.id,
        label: t.label,
        action: format!("{base}/clauses"),
        back: base,
        q: q.q,
        company,
        companies,
        linked: linked
            .into_iter()
            .map(|l| Linked {
                id: l.id,
                excerpt: excerpt(&l.clause_text, 80),
                company_name: l.company_name,
                service_name: l.service_name,
                status: l.status.code(),
            })
            .collect(),
        results,
        obstacle_options: obstacle_options(&page.state, page.lang),
        done: DoneQuery {
            done: q.done,
            n: None,
        }
        .message(page, "clauses", &["cited", "uncited", "linked", "unlinked"]),
    };
    page.render_at(
        "/staff/clauses",
        "staff/clauses_pick.html",
        &view,
        StatusCode::OK,
    )
    .await
}

async fn case_page(
    page: StaffPage,
    Path(id): Path<String>,
    Query(q): Query<PickQuery>,
) -> Result<Response, AppError> {
    let t = case_target(&page, parse_id(&id)?).await?;
    render(&page, t, q).await
}

async fn group_page(
    page: StaffPage,
    Path(id): Path<String>,
    Query(q): Query<PickQuery>,
) -> Result<Response, AppError> {
    let t = group_target(&page, parse_id(&id)?).await?;
    render(&page, t, q).await
}

#[derive(Deserialize)]
pub(super) struct PickForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    clause_id: String,
}

csrf_protected!(PickForm);

fn not_found_unless_db(e: DirError) -> AppError {
    match e {
        DirError::Db(e) => e.into(),
        _ => AppError::NotFound,
    }
}

async fn cite(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<PickForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let clause_id = parse_id(f.clause_id.trim())?;
    citations::cite(&page.state.db.write, clause_id, id, &page.user.actor())
        .await
        .map_err(not_found_unless_db)?;
    Ok(done_redirect(
        &format!("/staff/cases/{id}/clauses"),
        "cited",
        None,
    ))
}

async fn uncite(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<PickForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let clause_id = parse_id(f.clause_id.trim())?;
    if !citations::uncite(&page.state.db.write, clause_id, id, &page.user.actor()).await? {
        return Err(AppError::NotFound);
    }
    Ok(done_redirect(
        &format!("/staff/cases/{id}/clauses"),
        "uncited",
        None,
    ))
}

async fn link(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<PickForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let clause_id = parse_id(f.clause_id.trim())?;
    citations::link_group(&page.state.db.write, clause_id, id, &page.user.actor())
        .await
        .map_err(not_found_unless_db)?;
    Ok(done_redirect(
        &format!("/staff/groups/{id}/clauses"),
        "linked",
        None,
    ))
}

async fn unlink(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<PickForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let clause_id = parse_id(f.clause_id.trim())?;
    if !citations::unlink_group(&page.state.db.write, clause_id, id, &page.user.actor()).await? {
        return Err(AppError::NotFound);
    }
    Ok(done_redirect(
        &format!("/staff/groups/{id}/clauses"),
        "unlinked",
        None,
    ))
}
