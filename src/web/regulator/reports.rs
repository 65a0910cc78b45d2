//! Period reports (`/regulator/reports/2026-Q3`, `2026-10`, `2026`): a printable page, the same
//! report as one self-contained HTML file to attach to a meeting note, and its tables as CSV.
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use tower_sessions::Session;

use super::filter::{export_links, ExportLinks, MonthRange};
use super::view::{figures, Figures, Labels};
use super::Viewer;
use crate::domain::format;
use crate::domain::period::{Month, Period};
use crate::domain::Language;
use crate::error::AppError;
use crate::services::audit;
use crate::services::stats::examples;
use crate::services::stats::{self, Filter};
use crate::state::AppState;
use crate::web::shared::auth::CurrentUser;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::{context, csv_document, with_view};
use crate::web::shared::templates::Static;

/// Companies and obstacles listed in a report.
const TOP: usize = 10;
/// Example narratives per report.
const EXAMPLES: usize = 5;

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/regulator/reports",
            &["GET"],
            Access::Regulator,
            get(index),
        )
        .add(
            "/regulator/reports/{period}",
            &["GET"],
            Access::Regulator,
            get(report),
        )
        .add(
            "/regulator/reports/{period}/download",
            &["GET"],
            Access::Regulator,
            get(download),
        )
        .add(
            "/regulator/reports/{period}/tables.csv",
            &["GET"],
            Access::Regulator,
            get(tables_csv),
        )
}

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

fn recent(l: &Labels) -> Recent {
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

/// `regulator/reports.html`: the list of recent periods.
#[derive(Serialize)]
struct IndexView {
    recent: Recent,
}

/// `regulator/report_missing.html`: why there is no such report, and the recent ones.
#[derive(Serialize)]
struct MissingView {
    message: String,
    recent: Recent,
}

#[derive(serde::Deserialize, Default)]
struct Open {
    #[serde(default)]
    period: String,
}

async fn index(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Query(open): Query<Open>,
) -> Result<Response, AppError> {
    // The "open a period" form: on to the report (which explains a bad period itself).
    let wanted = open.period.trim();
    if !wanted.is_empty() {
        let seg: String = url::form_urlencoded::byte_serialize(wanted.as_bytes()).collect();
        return Ok(
            axum::response::Redirect::to(&format!("/regulator/reports/{seg}")).into_response(),
        );
    }
    let l = Labels::load(&state, lang).await?;
    let view = IndexView { recent: recent(&l) };
    Viewer {
        state: &state,
        lang,
        user: &user,
        session: &session,
    }
    .render(
        "/regulator/reports",
        "regulator/reports.html",
        &view,
        StatusCode::OK,
    )
    .await
}

/// Why a period cannot be reported on, as a catalogue key.
fn check(raw: &str) -> Result<Period, &'static str> {
    let p = Period::parse(raw).ok_or("report.missing.invalid")?;
    if p.first() > Month::of(format::today()) {
        return Err("report.missing.future");
    }
    Ok(p)
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
}

async fn report_data(state: &AppState, lang: Language, p: Period) -> Result<ReportView, AppError> {
    let l = Labels::load(state, lang).await?;
    let f = Filter::period(p.first(), p.last());
    let s = stats::summary(&state.db.read, &f, &l.msg("stats.not_in_directory")).await?;
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
    })
}

/// The three ways a report is served.
#[derive(Clone, Copy)]
enum Output {
    /// The printable page.
    Page,
    /// One self-contained HTML file (audited).
    File,
    /// Its tables as CSV (audited).
    Csv,
}

async fn report(
    state: State<AppState>,
    lang: Lang,
    user: CurrentUser,
    session: Session,
    raw: Path<String>,
) -> Result<Response, AppError> {
    serve(state, lang, user, session, raw, Output::Page).await
}

async fn download(
    state: State<AppState>,
    lang: Lang,
    user: CurrentUser,
    session: Session,
    raw: Path<String>,
) -> Result<Response, AppError> {
    serve(state, lang, user, session, raw, Output::File).await
}

async fn tables_csv(
    state: State<AppState>,
    lang: Lang,
    user: CurrentUser,
    session: Session,
    raw: Path<String>,
) -> Result<Response, AppError> {
    serve(state, lang, user, session, raw, Output::Csv).await
}

/// The report for a period in the asked form, or the page that says what a period looks like
/// (404) and offers the current ones.
async fn serve(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Path(raw): Path<String>,
    output: Output,
) -> Result<Response, AppError> {
    let viewer = Viewer {
        state: &state,
        lang,
        user: &user,
        session: &session,
    };
    let p = match check(&raw) {
        Ok(p) => p,
        Err(key) => {
            let l = Labels::load(&state, lang).await?;
            let shown: String = raw.chars().take(40).collect();
            let view = MissingView {
                message: state.i18n.fmt(lang, key, &[("period", &shown)]),
                recent: recent(&l),
            };
            return viewer
                .render(
                    "/regulator/reports",
                    "regulator/report_missing.html",
                    &view,
                    StatusCode::NOT_FOUND,
                )
                .await;
        }
    };
    let report = report_data(&state, lang, p).await?;
    let (body, content_type, format) = match output {
        Output::Page => {
            return viewer
                .render(
                    &format!("/regulator/reports/{}", p.code()),
                    "regulator/report.html",
                    &ReportPage { report },
                    StatusCode::OK,
                )
                .await
        }
        Output::File => {
            let css = Static::get("app.css")
                .map(|f| String::from_utf8_lossy(&f.data).into_owned())
                .unwrap_or_default();
            let ctx = with_view(
                context(&state, lang, "/regulator/reports"),
                &ReportFile { report, css },
            )?;
            let html = state.tera.render("regulator/report_file.html", &ctx)?;
            (html.into_bytes(), "text/html; charset=utf-8", "html")
        }
        Output::Csv => (tables(&report.fig)?, "text/csv; charset=utf-8", "csv"),
    };
    audit::record(
        &state.db.write,
        &user.actor(),
        "report_downloaded",
        Some(("report", p.code())),
        Some(serde_json::json!({ "format": format })),
    )
    .await?;
    Ok(attachment(
        body,
        content_type,
        &format!("downgrade-watch-report-{}.{format}", p.code()),
    ))
}

/// `regulator/report.html`.
#[derive(Serialize)]
struct ReportPage {
    report: ReportView,
}

/// `regulator/report_file.html`: the report with the stylesheet inlined.
#[derive(Serialize)]
struct ReportFile {
    report: ReportView,
    css: String,
}

fn attachment(body: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // If a browser shows it anyway: its own inline stylesheet and SVG, nothing else.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"),
    );
    resp
}

/// The report's tables as CSV: the totals, every breakdown, then the companies.
fn tables(fig: &Figures) -> Result<Vec<u8>, AppError> {
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
    ];
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let t = &fig.totals;
    let mut rows: Vec<[String; 9]> = vec![[
        "total".into(),
        String::new(),
        String::new(),
        t.complaints.to_string(),
        String::new(),
        t.previous.to_string(),
        opt(&t.timely),
        opt(&t.resolution),
        opt(&t.median_days),
    ]];
    let simple = |table: &str, code: &str, label: &str, n: i64, share: &str| -> [String; 9] {
        [
            table.into(),
            code.into(),
            label.into(),
            n.to_string(),
            share.into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]
    };
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
        ]
    }));
    csv_document(&header, rows)
}
