//! Evidence downloads for staff: served so that no browser will render or run them.
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::services::cases::page::{open_evidence, EvidenceError};
use crate::web::shared::page::StaffPage;

/// RFC 5987 encoding for `filename*`.
fn rfc5987(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Serves one evidence file to staff as a download that no browser will render or run.
pub(super) async fn evidence_download(
    page: StaffPage,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let file_id: i64 = file_id.parse().map_err(|_| AppError::NotFound)?;
    let dir = page.state.config.evidence_dir();
    let (row, bytes) = open_evidence(&page.state.db, &dir, id, file_id, &page.user.actor())
        .await
        .map_err(|e| match e {
            EvidenceError::NotFound => AppError::NotFound,
            EvidenceError::Io(e) => e.into(),
            EvidenceError::Db(e) => e.into(),
        })?;
    let (content_type, ext) = match row.content_type.as_str() {
        "image/png" => ("image/png", "png"),
        "image/jpeg" => ("image/jpeg", "jpg"),
        "image/webp" => ("image/webp", "webp"),
        "application/pdf" => ("application/pdf", "pdf"),
        _ => ("application/octet-stream", "bin"),
    };
    let disposition = format!(
        "attachment; filename=\"evidence-{file_id}.{ext}\"; filename*=UTF-8''{}",
        rfc5987(&row.original_name)
    );
    let mut resp = (StatusCode::OK, bytes).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(anyhow::Error::from)?,
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_are_percent_encoded() {
        assert_eq!(rfc5987("bill.pdf"), "bill.pdf");
        assert_eq!(rfc5987("账单 1.pdf"), "%E8%B4%A6%E5%8D%95%201.pdf");
        assert_eq!(rfc5987("a\"b;c"), "a%22b%3Bc");
    }
}
