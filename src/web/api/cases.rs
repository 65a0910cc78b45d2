//! Staff case API: `GET /api/v1/cases` (the queue: same filters, keyset cursor) and
//! `GET /api/v1/cases/{id}`. Both carry contact data, so every call is audited.
use axum::extract::{Path, State};
use axum::routing::get;
use axum::Json;
use serde_json::Value;

use crate::domain::format;
use crate::error::AppError;
use crate::services::cases::queue::{self, QueueParams};
use crate::services::cases::{self};
use crate::state::AppState;
use crate::web::api::{ApiQuery, ListPage};
use crate::web::shared::auth::CurrentUser;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;

pub fn routes() -> Routes {
    Routes::new()
        .add("/api/v1/cases", &["GET"], Access::Staff, get(list))
        .add("/api/v1/cases/{id}", &["GET"], Access::Staff, get(show))
}

async fn list(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    ApiQuery(p): ApiQuery<QueueParams>,
) -> Result<Json<ListPage<Value>>, AppError> {
    let reference = state.reference();
    let filters = queue::parse(&p, &state.i18n, lang, &reference).map_err(AppError::Validation)?;
    let today = format::today();
    let page = queue::run(&state.db.read, &filters, me.id, today).await?;
    let ids: Vec<i64> = page.items.iter().map(|c| c.id).collect();
    let links = cases::links_for(&state.db.read, &ids).await?;
    let files = cases::evidence_counts(&state.db.read, &ids).await?;
    let with_contact: Vec<i64> = page
        .items
        .iter()
        .filter(|c| cases::has_contact(c))
        .map(|c| c.id)
        .collect();
    cases::record_contact_views(&state.db.write, &me.actor(), &with_contact, "api_list").await?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|c| {
            cases::item_json(
                c,
                links.get(&c.id),
                files.get(&c.id).copied().unwrap_or(0),
                today,
            )
        })
        .collect();
    Ok(Json(ListPage {
        items,
        next_cursor: page.next_cursor,
    }))
}

async fn show(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let d = cases::detail(&state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if cases::has_contact(&d.case) {
        cases::record_contact_views(&state.db.write, &me.actor(), &[id], "api_case").await?;
    }
    Ok(Json(cases::detail_json(&d, format::today())))
}
