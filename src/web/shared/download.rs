//! Attachments (evidence, company answers) served so that no browser will render or run them:
//! a download with the sniffed type, `nosniff`, a sandboxing CSP and no caching.
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

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

/// A stored file as an attachment download named `{prefix}-{id}.{ext}` (ASCII) and, for
/// browsers that read it, its original name.
pub fn attachment(
    bytes: Vec<u8>,
    content_type: &str,
    original_name: &str,
    prefix: &str,
    id: i64,
) -> Result<Response, AppError> {
    let (content_type, ext) = match content_type {
        "image/png" => ("image/png", "png"),
        "image/jpeg" => ("image/jpeg", "jpg"),
        "image/webp" => ("image/webp", "webp"),
        "application/pdf" => ("application/pdf", "pdf"),
        _ => ("application/octet-stream", "bin"),
    };
    let disposition = format!(
        "attachment; filename=\"{prefix}-{id}.{ext}\"; filename*=UTF-8''{}",
        rfc5987(original_name)
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
