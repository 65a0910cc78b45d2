//! Period reports (`/regulator/reports/2026-Q3`, `2026-10`, `2026`): a printable page (with a
//! print stylesheet of its own for the running head and foot), the same report as one
//! self-contained HTML file to attach to a meeting note, as a PDF made on the server, and its
//! tables as CSV (what they show is built in `report_data`).
use axum::extract::{Path, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use super::report_data::{recent, report_data, tables, Recent, ReportView};
use super::view::Labels;
use super::{print, report_pdf};
use crate::domain::format;
use crate::domain::period::{Month, Period};
use crate::error::AppError;
use crate::services::audit;
use crate::services::reports_pdf::{self, PdfError};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::StaffPage;
use crate::web::shared::render::{context, with_view};
use crate::web::shared::templates::Static;

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
        .add(
            "/regulator/reports/{period}/report.pdf",
            &["GET"],
            Access::Regulator,
            get(pdf),
        )
        .add(
            "/regulator/reports/{period}/print.css",
            &["GET"],
            Access::Regulator,
            get(print_css),
        )
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

async fn index(viewer: StaffPage, Query(open): Query<Open>) -> Result<Response, AppError> {
    // The "open a period" form: on to the report (which explains a bad period itself).
    let wanted = open.period.trim();
    if !wanted.is_empty() {
        let seg: String = url::form_urlencoded::byte_serialize(wanted.as_bytes()).collect();
        return Ok(
            axum::response::Redirect::to(&format!("/regulator/reports/{seg}")).into_response(),
        );
    }
    let l = Labels::load(&viewer.state, viewer.lang).await?;
    let view = IndexView { recent: recent(&l) };
    viewer
        .render_at(
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

/// The three ways a report is served.
#[derive(Clone, Copy)]
enum Output {
    /// The printable page.
    Page,
    /// One self-contained HTML file (audited).
    File,
    /// Its tables as CSV (audited).
    Csv,
    /// A PDF made on the server (audited).
    Pdf,
    /// The page's print stylesheet: running head and foot.
    PrintCss,
}

async fn report(viewer: StaffPage, raw: Path<String>) -> Result<Response, AppError> {
    serve(viewer, raw, Output::Page).await
}

async fn download(viewer: StaffPage, raw: Path<String>) -> Result<Response, AppError> {
    serve(viewer, raw, Output::File).await
}

async fn tables_csv(viewer: StaffPage, raw: Path<String>) -> Result<Response, AppError> {
    serve(viewer, raw, Output::Csv).await
}

async fn pdf(viewer: StaffPage, raw: Path<String>) -> Result<Response, AppError> {
    serve(viewer, raw, Output::Pdf).await
}

async fn print_css(viewer: StaffPage, raw: Path<String>) -> Result<Response, AppError> {
    serve(viewer, raw, Output::PrintCss).await
}

/// The report for a period in the asked form, or the page that says what a period looks like
/// (404) and offers the current ones.
async fn serve(
    viewer: StaffPage,
    Path(raw): Path<String>,
    output: Output,
) -> Result<Response, AppError> {
    let (state, lang, user) = (&viewer.state, viewer.lang, &viewer.user);
    let p = match check(&raw) {
        Ok(p) => p,
        Err(key) => {
            let l = Labels::load(state, lang).await?;
            let shown: String = raw.chars().take(40).collect();
            let view = MissingView {
                message: state.i18n.fmt(lang, key, &[("period", &shown)]),
                recent: recent(&l),
            };
            return viewer
                .render_at(
                    "/regulator/reports",
                    "regulator/report_missing.html",
                    &view,
                    StatusCode::NOT_FOUND,
                )
                .await;
        }
    };
    let report = report_data(state, lang, p).await?;
    let (body, content_type, format) = match output {
        Output::Page => {
            return viewer
                .render_at(
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
            let css = format!("{css}\n{}", print::css(state, lang, &report));
            let ctx = with_view(
                context(state, lang, "/regulator/reports"),
                &ReportFile { report, css },
            )?;
            let html = state.tera.render("regulator/report_file.html", &ctx)?;
            (html.into_bytes(), "text/html; charset=utf-8", "html")
        }
        Output::Csv => (
            tables(&report.fig, &report.clauses)?,
            "text/csv; charset=utf-8",
            "csv",
        ),
        Output::PrintCss => {
            let mut resp = print::css(state, lang, &report).into_response();
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            );
            return Ok(resp);
        }
        Output::Pdf => {
            let doc = report_pdf::document(state, lang, &report);
            let st = state.clone();
            let made = tokio::task::spawn_blocking(move || {
                let font = st.pdf_font.get()?;
                reports_pdf::render(&doc, &font)
            })
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("PDF task: {e}")))?;
            match made {
                Ok(bytes) => (bytes, "application/pdf", "pdf"),
                Err(PdfError::Font(e)) => {
                    tracing::warn!("PDF report refused: {e}");
                    let view = PdfUnavailable {
                        code: report.code.clone(),
                        name: report.name.clone(),
                    };
                    return viewer
                        .render_at(
                            &format!("/regulator/reports/{}", p.code()),
                            "regulator/report_pdf_unavailable.html",
                            &view,
                            StatusCode::SERVICE_UNAVAILABLE,
                        )
                        .await;
                }
                Err(e) => return Err(AppError::Internal(e.into())),
            }
        }
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

/// `regulator/report_pdf_unavailable.html`: no font for PDFs on this server.
#[derive(Serialize)]
struct PdfUnavailable {
    code: String,
    name: String,
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
