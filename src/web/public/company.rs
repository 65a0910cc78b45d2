//! Public company pages (`/companies/{id}`): one directory company's figures exactly as the
//! public statistics publish them (same window, same suppressed cells: the page reads the
//! company's row of [`PublicStats`](crate::services::stats::public::PublicStats)), with its
//! companies' answers by category. No narratives, no personal data.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::stats::{cached, public_stats, stats_period_label};
use crate::domain::suppress::Shown;
use crate::domain::ResponseCategory;
use crate::error::AppError;
use crate::services::companies;
use crate::services::stats::public::{CompanyLine, TOP_COMPANIES};
use crate::state::AppState;
use crate::web::regulator::view::pct;
use crate::web::shared::lang::Lang;
use crate::web::shared::render::view_page;

/// One response category and its published count.
#[derive(Serialize)]
struct CategoryRow {
    code: String,
    text: String,
}

/// The published figures of a listed company.
#[derive(Serialize)]
struct Figures {
    complaints: String,
    no_response: String,
    timely: Option<String>,
    resolution: Option<String>,
    company_resolution: Option<String>,
    satisfaction: Option<String>,
    dispute: Option<String>,
    categorized: String,
    categories: Vec<CategoryRow>,
}

impl Figures {
    fn of(c: &CompanyLine) -> Figures {
        let (categorized, cells) = c
            .categories
            .clone()
            .unwrap_or((Shown::Value(0), Vec::new()));
        Figures {
            complaints: c.shown.text(),
            no_response: c.no_response.text(),
            timely: pct(c.timely_rate),
            resolution: pct(c.resolution_rate),
            company_resolution: pct(c.company_resolution_rate),
            satisfaction: pct(c.satisfaction_rate),
            dispute: pct(c.dispute_rate),
            categorized: categorized.text(),
            categories: ResponseCategory::ALL
                .iter()
                .zip(cells)
                .map(|(k, s)| CategoryRow {
                    code: k.code().to_string(),
                    text: s.text(),
                })
                .collect(),
        }
    }
}

/// `public/company.html`.
#[derive(Serialize)]
struct CompanyView {
    id: i64,
    title: String,
    lead: String,
    sector: Option<String>,
    /// Figures when the company is listed by name on `/stats`; otherwise `not_listed` says why
    /// there are none.
    fig: Option<Figures>,
    not_listed: String,
}

pub async fn company_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (company, _) = companies::find(&state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (p, l) = public_stats(&state, lang).await?;
    let (from, to) = (
        stats_period_label(&l, &p.from.code()),
        stats_period_label(&l, &p.to.code()),
    );
    let i18n = &state.i18n;
    let view = CompanyView {
        id,
        title: i18n.fmt(
            lang,
            "figures.company_page.title",
            &[("name", &company.name)],
        ),
        lead: i18n.fmt(
            lang,
            "figures.company_page.lead",
            &[("name", &company.name), ("from", &from), ("to", &to)],
        ),
        sector: company.sector.as_deref().map(|s| l.sector(s)),
        fig: p
            .companies
            .iter()
            .find(|c| c.id == Some(id))
            .map(Figures::of),
        not_listed: i18n.fmt(
            lang,
            "figures.company_page.not_listed",
            &[("n", &TOP_COMPANIES.to_string())],
        ),
    };
    Ok(cached(view_page(
        &state,
        lang,
        &format!("/companies/{id}"),
        "public/company.html",
        &view,
        StatusCode::OK,
    )?))
}
