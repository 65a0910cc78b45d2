//! What a period report shows, and its tables as CSV: built once for the printable page, the
//! downloadable HTML file and the CSV (see `reports`).
use serde::Serialize;

use super::filter::{export_links, ExportLinks, MonthRange};
use super::view::{figures, Answers, Figures, Labels};
use crate::domain::format;
use crate::domain::period::{Month, Period};
use crate::domain::Language;
use crate::error::AppError;
use crate::services::stats::examples;
use crate::services::stats::Filter;
use crate::state::AppState;
use crate::web::shared::render::csv_document;

/// Companies and obstacles listed in a report.
const TOP: usize = 10;
/// Example narratives per report.
const EXAMPLES: usize = 5;

/// "2026年第3季度" / "Q3 2026", and the like.
pub fn period_name(l: &Labels, p: Period) -> String {
    let year = p.first().year.to_string();
    match p {
        Period::Month(m) => l.month(m),
        Period::Quarter { quarter, .. } => l.state.i18n.fmt(
            l.lang,
            "report.quarter_name",
            &[("year", &year), ("quarter", &quarter.to_string())],
        ),
        Period::Year(_) => l
            .state
            .i18n
            .fmt(l.lang, "report.year_name", &[("year", &year)]),
    }
}

/// A period to link to.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodRef {
    pub code: String,
    pub name: String,
}

impl PeriodRef {
    fn of(l: &Labels, p: Period) -> PeriodRef {
        PeriodRef {
            code: p.code(),
            name: period_name(l, p),
        }
    }
}

/// Recent periods to offer: the last 12 months, 8 quarters and 3 years.
#[derive(Debug, Clone, Serialize)]
pub struct Recent {
    pub months: Vec<PeriodRef>,
    pub quarters: Vec<PeriodRef>,
    pub years: Vec<PeriodRef>,
}

pub fn recent(l: &Labels) -> Recent {
    let this = Month::of(format::today());
    let mut q = Period::Quarter {
        year: this.year,
        quarter: (this.month - 1) / 3 + 1,
    };
    let mut quarters = Vec::new();
    for _ in 0..8 {
        quarters.push(PeriodRef::of(l, q));
        q = q.previous();
    }
    Recent {
        months: (0..12)
            .map(|i| PeriodRef::of(l, Period::Month(this.plus(-i))))
            .collect(),
        quarters,
        years: (0..3)
            .map(|i| PeriodRef::of(l, Period::Year(this.year - i)))
            .collect(),
    }
}

/// One example narrative.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleRow {
    pub sector: String,
    pub company: String,
    pub obstacle: Option<String>,
    pub text: String,
}

/// Everything a report shows (`report` in the templates).
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub code: String,
    pub kind: &'static str,
    pub name: String,
    pub previous: PeriodRef,
    pub range: MonthRange,
    pub generated: String,
    pub fig: Figures,
    pub examples: Vec<ExampleRow>,
    pub top: usize,
    pub exports: ExportLinks,
    /// Clauses whose review was going on at the end of the period.
    pub clauses: Vec<ClauseUnderReview>,
}

/// A clause under review at the end of the period, as the report lists it (no consumer data).
#[derive(Debug, Clone, Serialize)]
pub struct ClauseUnderReview {
    pub id: i64,
    pub company: String,
    pub service: String,
    pub excerpt: String,
    /// Status code at the end of the period, and its name.
    pub status: &'static str,
    pub status_name: String,
    pub obstacles: String,
    pub cited_in_period: u64,
    pub cited_total: u64,
}

async fn clauses_under_review(
    state: &AppState,
    lang: Language,
    p: Period,
) -> Result<Vec<ClauseUnderReview>, AppError> {
    let start = crate::domain::period::shanghai_start(p.first());
    let end = crate::domain::period::shanghai_start(p.last().plus(1));
    Ok(
        crate::services::clauses::report::under_review(&state.db.read, start, end)
            .await?
            .into_iter()
            .map(|u| ClauseUnderReview {
                id: u.row.clause.id,
                company: u.row.company_name,
                service: u.row.clause.service_name.clone(),
                excerpt: crate::web::staff::clauses::facts::excerpt(&u.row.clause.clause_text, 60),
                status: u.status_then.code(),
                status_name: state
                    .i18n
                    .msg(lang, &format!("clauses.status.{}", u.status_then.code())),
                obstacles: u.row.obstacles.join(" "),
                cited_in_period: u.cited_in_period,
                cited_total: u.row.complaints,
            })
            .collect(),
    )
}

pub async fn report_data(
    state: &AppState,
    lang: Language,
    p: Period,
) -> Result<ReportView, AppError> {
    let l = Labels::load(state, lang).await?;
    let f = Filter::period(p.first(), p.last());
    let s = l.summary(&f).await?;
    let examples = examples::examples(&state.db.read, p.first(), p.last(), EXAMPLES)
        .await?
        .into_iter()
        .map(|e| ExampleRow {
            sector: l.sector(&e.sector),
            company: e.company_name,
            obstacle: e.primary_obstacle.as_deref().map(|c| l.obstacle(c)),
            text: e.text,
        })
        .collect();
    Ok(ReportView {
        code: p.code(),
        kind: p.kind(),
        name: period_name(&l, p),
        previous: PeriodRef::of(&l, p.previous()),
        range: MonthRange {
            from: p.first().code(),
            to: p.last().code(),
        },
        generated: format::date(format::today(), lang),
        fig: figures(&s, &l, TOP, "report"),
        examples,
        top: TOP,
        exports: export_links(&f),
        clauses: clauses_under_review(state, lang, p).await?,
    })
}

/// The report's tables as CSV: the totals, every breakdown, the companies, then the clauses
/// under review (complaints = those citing it received in the period).
pub fn tables(fig: &Figures, clauses: &[ClauseUnderReview]) -> Result<Vec<u8>, AppError> {
    let header = [
        "table",
        "code",
        "label",
        "complaints",
        "share",
        "previous_period",
        "timely_response_rate",
        "resolution_rate",
        "median_days_to_close",
        "no_response",
        "company_reported_resolution_rate",
        "satisfaction_rate",
        "dispute_rate",
        "decided_in_time_rate",
    ];
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let t = &fig.totals;
    let answers = |a: &Answers| -> [String; 4] {
        [
            a.no_response.to_string(),
            opt(&a.company_resolution),
            opt(&a.satisfaction),
            opt(&a.dispute),
        ]
    };
    let join = |head: [String; 9], tail: [String; 4]| -> Vec<String> {
        head.into_iter().chain(tail).collect()
    };
    let mut rows: Vec<Vec<String>> = vec![join(
        [
            "total".into(),
            String::new(),
            String::new(),
            t.complaints.to_string(),
            String::new(),
            t.previous.to_string(),
            opt(&t.timely),
            opt(&t.resolution),
            opt(&t.median_days),
        ],
        answers(&t.answers),
    )];
    let simple = |table: &str, code: &str, label: &str, n: i64, share: &str| -> Vec<String> {
        vec![
            table.into(),
            code.into(),
            label.into(),
            n.to_string(),
            share.into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]
    };
    // The priority lane against the rest (no previous period, no resolution rate).
    rows.extend(fig.lane.iter().map(|r| {
        let mut row = simple("by_lane", r.key, r.key, r.complaints, &r.share);
        row[6] = opt(&r.timely);
        row[8] = opt(&r.median_days);
        // Decided on acceptance within the case's review clock: the last column, which only
        // these rows fill.
        row.push(opt(&r.decided));
        row
    }));
    rows.extend(
        fig.months
            .iter()
            .map(|r| simple("by_month", &r.code, &r.label, r.n, "")),
    );
    rows.extend(
        fig.obstacles
            .iter()
            .map(|r| simple("by_obstacle", &r.code, &r.name, r.n, &r.share)),
    );
    rows.extend(
        fig.families
            .iter()
            .map(|r| simple("by_family", &r.code, &r.name, r.n, "")),
    );
    for (table, list) in [
        ("by_sector", &fig.sectors),
        ("by_province", &fig.provinces),
        ("by_status", &fig.statuses),
    ] {
        rows.extend(
            list.iter()
                .map(|r| simple(table, &r.code, &r.name, r.n, &r.share)),
        );
    }
    rows.extend(fig.companies.iter().map(|r| {
        join(
            [
                "by_company".into(),
                r.id.to_string(),
                r.name.clone(),
                r.n.to_string(),
                r.share.clone(),
                r.previous.to_string(),
                opt(&r.timely),
                opt(&r.resolution),
                opt(&r.median_days),
            ],
            answers(&r.answers),
        )
    }));
    rows.extend(clauses.iter().map(|c| {
        let label = if c.service.is_empty() {
            c.company.clone()
        } else {
            format!("{} · {}", c.company, c.service)
        };
        simple(
            "clauses_under_review",
            &c.id.to_string(),
            &label,
            c.cited_in_period as i64,
            "",
        )
    }));
    for row in &mut rows {
        row.resize(header.len(), String::new());
    }
    csv_document(&header, rows)
}
