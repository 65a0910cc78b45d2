//! Regulator pages: the dashboard, the company scorecard (ranking and one company) and the
//! period reports (`reports`). Figures come from `services::stats` (rollup tables); every
//! filter is a GET parameter (`filter`), so each view is a link and no JavaScript is needed.
mod campaigns;
pub mod clauses;
pub mod filter;
mod print;
pub mod report_data;
mod report_pdf;
pub mod reports;
pub mod view;

use axum::extract::{Path, Query};
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;

use crate::error::AppError;
use crate::services::companies;
use crate::services::stats;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::StaffPage;
pub use filter::{
    export_links, filtered, parse_filter, period_label, summary_of, ExportLinks, FilterQuery,
    FilterView, Filtered,
};
use view::{figures, CompanyRow, Figures, Totals};

/// Companies in the dashboard's chart and first table.
const TOP_N: usize = 10;
/// Most frequent obstacles listed per company in the ranking.
const TOP_OBSTACLES: usize = 3;

pub fn routes() -> Routes {
    Routes::new()
        .add("/regulator", &["GET"], Access::Regulator, get(dashboard))
        .add(
            "/regulator/companies",
            &["GET"],
            Access::Regulator,
            get(ranking),
        )
        .add(
            "/regulator/companies/{id}",
            &["GET"],
            Access::Regulator,
            get(scorecard),
        )
        .merge(reports::routes())
        .merge(campaigns::routes())
        .merge(clauses::routes())
}

/// Rows whose company name contains the search text (all rows for an empty search).
fn matches_search(name: &str, needle: &str) -> bool {
    needle.is_empty() || name.to_lowercase().contains(needle)
}

/// `regulator/dashboard.html`.
#[derive(Serialize)]
struct DashboardView {
    #[serde(flatten)]
    filter: FilterView,
    fig: Figures,
    top_n: usize,
    /// Referrals made in the period, per authority (issue 17).
    referrals: Vec<ReferralCount>,
}

/// Referrals made to one authority in the dashboard's period.
#[derive(Serialize)]
struct ReferralCount {
    name: String,
    n: i64,
}

async fn dashboard(viewer: StaffPage, Query(q): Query<FilterQuery>) -> Result<Response, AppError> {
    let needle = q.q.trim().to_lowercase();
    let fl = filtered(&viewer.state, viewer.lang, q).await?;
    let l = &fl.labels;
    let s = l.summary(&fl.filter).await?;
    let mut fig = figures(&s, l, TOP_N, "dash");
    // The searchable company table: every company, filtered by name.
    fig.companies.retain(|r| matches_search(&r.name, &needle));
    let status = fl.status();
    let from = crate::domain::period::shanghai_start(fl.filter.from);
    let to = crate::domain::period::shanghai_start(fl.filter.to.plus(1));
    let referrals =
        crate::services::referrals::refer::counts_by_authority(&viewer.state.db.read, from, to)
            .await?
            .into_iter()
            .map(|(_, name, n)| ReferralCount { name, n })
            .collect();
    let view = DashboardView {
        filter: fl.view,
        fig,
        top_n: TOP_N,
        referrals,
    };
    viewer
        .render_at("/regulator", "regulator/dashboard.html", &view, status)
        .await
}

/// One of a company's most frequent obstacles.
#[derive(Serialize)]
struct TopObstacle {
    code: String,
    name: String,
    n: i64,
}

/// A row of the ranking: the company's figures, its rank and what it is sorted by.
#[derive(Serialize)]
struct RankedRow {
    #[serde(flatten)]
    company: CompanyRow,
    obstacles: Vec<TopObstacle>,
    /// Relative change against the previous period; none without a base.
    rate_change: Option<f64>,
    timely_rate: Option<f64>,
    resolution_rate: Option<f64>,
    no_response: i64,
    rank: usize,
}

/// `regulator/companies.html`.
#[derive(Serialize)]
struct RankingView {
    #[serde(flatten)]
    filter: FilterView,
    rows: Vec<RankedRow>,
    totals: Totals,
    sort: String,
    /// The repeat-offender rule, as written on the page.
    rule: String,
}

/// Orders the ranking by the chosen key; rows without a value go last.
fn sort_ranking(rows: &mut [RankedRow], sort: &str) {
    let key = |x: Option<f64>| x.filter(|x| x.is_finite()).unwrap_or(f64::NEG_INFINITY);
    match sort {
        "change" => rows.sort_by(|a, b| key(b.rate_change).total_cmp(&key(a.rate_change))),
        // Worst first: a low on-time or resolution rate is what a regulator looks for.
        "timely" => rows.sort_by(|a, b| key(a.timely_rate).total_cmp(&key(b.timely_rate))),
        "resolution" => {
            rows.sort_by(|a, b| key(a.resolution_rate).total_cmp(&key(b.resolution_rate)))
        }
        // Most no-responses first; repeat offenders before the rest.
        "no_response" => rows.sort_by(|a, b| {
            (b.company.repeat_offender, b.no_response)
                .cmp(&(a.company.repeat_offender, a.no_response))
        }),
        _ => {}
    }
}

async fn ranking(viewer: StaffPage, Query(q): Query<FilterQuery>) -> Result<Response, AppError> {
    let needle = q.q.trim().to_lowercase();
    let sort = q.sort.clone();
    let mut fl = filtered(&viewer.state, viewer.lang, q).await?;
    fl.filter.company = None;
    let l = &fl.labels;
    let s = l.summary(&fl.filter).await?;
    let per_obstacle = stats::company_obstacles(&viewer.state.db.read, &fl.filter).await?;
    let fig = figures(&s, l, TOP_N, "rank");
    let mut rows: Vec<RankedRow> = s
        .by_company
        .iter()
        .zip(fig.companies)
        // Complaints not matched to the directory are no company's record.
        .filter(|(c, _)| c.id != 0)
        .map(|(c, company)| RankedRow {
            company,
            obstacles: per_obstacle
                .get(&c.id)
                .map(|v| {
                    v.iter()
                        .take(TOP_OBSTACLES)
                        .map(|(code, n)| TopObstacle {
                            code: code.clone(),
                            name: l.obstacle(code),
                            n: *n,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            rate_change: (c.previous > 0)
                .then(|| (c.counts.complaints - c.previous) as f64 / c.previous as f64),
            timely_rate: c.counts.timely_rate(),
            resolution_rate: c.counts.resolution_rate(),
            no_response: c.counts.no_response,
            rank: 0,
        })
        .collect();
    sort_ranking(&mut rows, &sort);
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    rows.retain(|r| matches_search(&r.company.name, &needle));
    let status = fl.status();
    let view = RankingView {
        filter: fl.view,
        rows,
        totals: fig.totals,
        sort,
        rule: view::rule_text(l),
    };
    viewer
        .render_at(
            "/regulator/companies",
            "regulator/companies.html",
            &view,
            status,
        )
        .await
}

/// The company a scorecard is about.
#[derive(Serialize)]
struct CompanyInfo {
    id: i64,
    name: String,
    sector: Option<String>,
    credit_code: Option<String>,
}

/// `regulator/company.html`.
#[derive(Serialize)]
struct ScorecardView {
    #[serde(flatten)]
    filter: FilterView,
    fig: Figures,
    company: CompanyInfo,
    /// The company's scorecard row (none without complaints in the period).
    row: Option<CompanyRow>,
    /// The equally long period before, as compared with.
    previous_label: String,
    /// The repeat-offender rule, as written on the page.
    rule: String,
}

async fn scorecard(
    viewer: StaffPage,
    Path(id): Path<String>,
    Query(q): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (company, _) = companies::find(&viewer.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let q = FilterQuery {
        company: String::new(),
        ..q
    };
    let mut fl = filtered(&viewer.state, viewer.lang, q).await?;
    fl.filter.company = Some(id);
    fl.view.exports = export_links(&fl.filter);
    let l = &fl.labels;
    let s = l.summary(&fl.filter).await?;
    let status = fl.status();
    let fig = figures(&s, l, TOP_N, "co");
    let prev = fl.filter.previous();
    let view = ScorecardView {
        row: fig.companies.first().cloned(),
        previous_label: format!("{} – {}", l.month(prev.from), l.month(prev.to)),
        rule: view::rule_text(l),
        fig,
        company: CompanyInfo {
            id: company.id,
            name: company.name,
            sector: company.sector.as_deref().map(|s| l.sector(s)),
            credit_code: company.credit_code,
        },
        filter: fl.view,
    };
    viewer
        .render_at(
            &format!("/regulator/companies/{id}"),
            "regulator/company.html",
            &view,
            status,
        )
        .await
}
