//! One error type for the whole request path. `IntoResponse` only records *what* went wrong; the
//! `render_errors` middleware (web::shared::middleware) turns it into a localised HTML page or JSON body
//! for the request that caused it. Details of 5xx errors are logged, never shown.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sea_orm::DbErr;

use crate::services::error::ServiceError;
pub use crate::services::error::{db_unavailable, FieldErrors};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// A client error with a message key from the catalogue (`errors.*`).
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("authentication required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    /// A form whose CSRF token is missing or stale.
    #[error("csrf token mismatch")]
    Csrf,
    /// Someone else changed the record since the form was loaded.
    #[error("edit conflict")]
    Conflict,
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<DbErr> for AppError {
    fn from(e: DbErr) -> Self {
        if db_unavailable(&e) {
            AppError::Unavailable(e.to_string())
        } else {
            AppError::Internal(anyhow::Error::new(e))
        }
    }
}

/// The one mapping from what a use case reports to what the client sees.
impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Conflict => AppError::Conflict,
            ServiceError::Forbidden => AppError::Forbidden,
            ServiceError::Validation(fields) => AppError::Validation(fields),
            ServiceError::Db(e) => e.into(),
            ServiceError::Template(e) => e.into(),
            ServiceError::Internal(e) => AppError::Internal(e),
            ServiceError::Unavailable(what) => AppError::Unavailable(what),
        }
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<tera::Error> for AppError {
    fn from(e: tera::Error) -> Self {
        AppError::Internal(anyhow::anyhow!("template: {e:?}"))
    }
}

/// What the renderer needs to build the localised body.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    /// Catalogue key of the message (`errors.not_found`, ...).
    pub key: &'static str,
    pub fields: Option<FieldErrors>,
    pub retry_after: Option<u64>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn info(&self) -> ErrorInfo {
        let key = match self {
            AppError::NotFound => "errors.not_found",
            AppError::BadRequest(k) => k,
            AppError::Unauthorized => "errors.unauthorized",
            AppError::Forbidden => "errors.forbidden",
            AppError::Csrf => "errors.csrf",
            AppError::Conflict => "errors.conflict",
            AppError::Validation(_) => "errors.validation",
            AppError::PayloadTooLarge => "errors.too_large",
            AppError::UnsupportedMediaType => "errors.media_type",
            AppError::TooManyRequests { .. } => "errors.rate_limited",
            AppError::Unavailable(_) => "errors.unavailable",
            AppError::Internal(_) => "errors.internal",
        };
        ErrorInfo {
            status: self.status(),
            key,
            fields: match self {
                AppError::Validation(f) => Some(f.clone()),
                _ => None,
            },
            retry_after: match self {
                AppError::TooManyRequests { retry_after } => Some(*retry_after),
                _ => None,
            },
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(e) => tracing::error!(error = ?e, "internal error"),
            AppError::Unavailable(e) => tracing::warn!(error = %e, "dependency unavailable"),
            _ => {}
        }
        let info = self.info();
        let mut resp = info.status.into_response();
        resp.extensions_mut().insert(info);
        resp
    }
}
