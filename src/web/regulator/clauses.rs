//! The clause library for regulators (read-only): the list with its filters, one clause with
//! its figures, the library as CSV and XLSX with counts, and the clause's files. No consumer
//! data: counts of complaints, never the complaints.
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde_json::json;

use crate::error::AppError;
use crate::services::audit;
use crate::services::clauses::{self, export};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{StaffPage, View};
use crate::web::staff::clauses::facts::{obstacle_options, ClauseFacts, RowView};
use crate::web::staff::clauses::{FilterView, ListQuery};
use crate::web::staff::forms::parse_id;

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/regulator/clauses",
            &["GET"],
            Access::Regulator,
            get(list_page),
        )
        .add(
            "/regulator/clauses.csv",
            &["GET"],
            Access::Regulator,
            get(|p, q| download(p, q, "csv")),
        )
        .add(
            "/regulator/clauses.xlsx",
            &["GET"],
            Access::Regulator,
            get(|p, q| download(p, q, "xlsx")),
        )
        .add(
            "/regulator/clauses/{id}",
            &["GET"],
            Access::Regulator,
            get(show),
        )
        .add(
            "/regulator/clauses/{id}/files/{file_id}",
            &["GET"],
            Access::Regulator,
            get(crate::web::staff::clauses::download_file),
        )
}

#[derive(Serialize)]
struct ListView {
    rows: Vec<RowView>,
    filter: FilterView,
    query: String,
}

impl View for ListView {
    const TEMPLATE: &'static str = "regulator/clauses.html";
    const PATH: &'static str = "/regulator/clauses";
}

async fn list_page(page: StaffPage, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    let obstacles = obstacle_options(&page.state, page.lang);
    let rows = clauses::list(&page.state.db.read, &q.filter(&obstacles))
        .await?
        .into_iter()
        .map(|r| RowView::of(&page, r))
        .collect();
    let view = ListView {
        rows,
        query: q.query_string(),
        filter: FilterView::load(&page, q).await?,
    };
    page.render(&view, StatusCode::OK).await
}

async fn download(
    page: StaffPage,
    Query(q): Query<ListQuery>,
    format: &'static str,
) -> Result<Response, AppError> {
    let obstacles = obstacle_options(&page.state, page.lang);
    let rows = clauses::list(&page.state.db.read, &q.filter(&obstacles)).await?;
    let (body, content_type) = match format {
        "csv" => (
            export::csv(&rows).map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?,
            "text/csv; charset=utf-8",
        ),
        _ => (
            export::xlsx(&rows).map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    audit::record(
        &page.state.db.write,
        &page.user.actor(),
        "clause_library_export",
        None,
        Some(json!({ "format": format, "rows": rows.len(), "filters": q.query_string() })),
    )
    .await?;
    let disposition = format!("attachment; filename=\"clauses.{format}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

#[derive(Serialize)]
struct ShowView {
    c: ClauseFacts,
    groups: usize,
}

async fn show(page: StaffPage, Path(id): Path<String>) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (c, _, _) = ClauseFacts::load(&page, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let groups = clauses::citations::groups_of_clause(&page.state.db.read, id)
        .await?
        .len();
    page.render_at(
        "/regulator/clauses",
        "regulator/clause.html",
        &ShowView { c, groups },
        StatusCode::OK,
    )
    .await
}
