//! What the staff directory pages (companies, groups, holidays) share: ids from the path, the
//! `?done=` notice after a redirect, error summaries, and how a refused directory change maps
//! to a response.
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors};
use crate::services::companies::DirError;
use crate::web::shared::page::StaffPage;

/// `?done=key&n=count` after a successful change.
#[derive(Deserialize, Default)]
pub struct DoneQuery {
    pub done: Option<String>,
    pub n: Option<String>,
}

impl DoneQuery {
    /// The success notice to show; only known keys are shown.
    pub fn message(&self, page: &StaffPage, table: &str, keys: &[&str]) -> Option<String> {
        let key = self.done.as_deref().filter(|d| keys.contains(d))?;
        let n: u64 = self.n.as_deref().and_then(|n| n.parse().ok()).unwrap_or(0);
        Some(page.fmt(&format!("{table}.done.{key}"), &[("n", &n.to_string())]))
    }
}

/// Redirect (303) to `to` with the `?done=` notice of the change just made.
pub fn done_redirect(to: &str, key: &str, n: Option<u64>) -> Response {
    let n = n.map(|n| format!("&n={n}")).unwrap_or_default();
    let sep = if to.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{to}{sep}done={key}{n}")).into_response()
}

/// `[field, message]` pairs for an error summary, in the order of `fields`.
pub fn summary(errors: &FieldErrors, fields: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in fields {
        for m in errors.get(*f).into_iter().flatten() {
            out.push((f.to_string(), m.clone()));
        }
    }
    out
}

/// A record id from the path; anything but a positive integer is a 404.
pub fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(AppError::NotFound)
}

/// The field errors of a refused change, to re-render its form with (422); any other failure
/// becomes the matching error (a stale edit is a 409).
pub fn refused(page: &StaffPage, e: DirError) -> Result<FieldErrors, AppError> {
    match e {
        DirError::Invalid(p) => Ok(p.localise(&page.state.i18n, page.lang)),
        DirError::Stale => Err(AppError::Conflict),
        DirError::NotFound => Err(AppError::NotFound),
        DirError::Db(db) => Err(db.into()),
    }
}

/// For buttons without a form to re-render: only a database failure is not a 404.
pub fn not_found_unless_db(e: DirError) -> AppError {
    match e {
        DirError::Db(e) => e.into(),
        _ => AppError::NotFound,
    }
}

/// A form's values with its errors and their summary, as the directory templates read them
/// (`v`, `errors`, `summary`); flattened into the page's view.
#[derive(Serialize)]
pub struct FormView<V> {
    pub v: V,
    pub summary: Vec<(String, String)>,
    pub errors: FieldErrors,
}

impl<V> FormView<V> {
    /// `fields` orders the summary.
    pub fn new(v: V, errors: FieldErrors, fields: &[&str]) -> FormView<V> {
        FormView {
            v,
            summary: summary(&errors, fields),
            errors,
        }
    }
}

/// A record page (company, group) whose forms can come back with a `?done=` notice.
pub trait RecordPage {
    /// The state of the page's forms; the default is the page as first shown.
    type Forms: Default;
    /// Message table of the `?done=` notices.
    const TABLE: &'static str;
    const DONE_KEYS: &'static [&'static str];
    fn with_done(forms: Self::Forms, done: Option<String>) -> Self::Forms;
    fn render(
        page: &StaffPage,
        id: i64,
        forms: Self::Forms,
        status: StatusCode,
    ) -> impl std::future::Future<Output = Result<Response, AppError>> + Send;
}

/// `GET` of a record page: the record with the notice of the change just made, if any.
pub async fn show<P: RecordPage>(
    page: StaffPage,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let forms = P::with_done(
        P::Forms::default(),
        q.message(&page, P::TABLE, P::DONE_KEYS),
    );
    P::render(&page, id, forms, StatusCode::OK).await
}
