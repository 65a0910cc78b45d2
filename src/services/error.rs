//! What a use case reports when it did not happen: `ServiceError`, free of HTTP. The web layer
//! maps it to its own error type in one place (`impl From<ServiceError> for AppError`). Also the
//! one place that reads database errors: unique-key collisions by constraint, and "the database
//! cannot be reached right now".
use std::collections::BTreeMap;

use sea_orm::{sqlx, DbErr, RuntimeErr};

/// Field name → localised messages (the body of a 422).
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Why a use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not found")]
    NotFound,
    /// Someone else changed the record since it was loaded.
    #[error("edit conflict")]
    Conflict,
    #[error("forbidden")]
    Forbidden,
    /// Input problems, already localised, by field.
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error(transparent)]
    Db(#[from] DbErr),
    /// A mail template failed to render.
    #[error("template: {0:?}")]
    Template(#[from] tera::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
    /// A resource other than the database (file storage, say) failed; worth retrying later.
    #[error("unavailable: {0}")]
    Unavailable(String),
}

impl ServiceError {
    /// Whether this is a database that cannot be reached right now (worth retrying).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, ServiceError::Db(e) if db_unavailable(e))
    }
}

/// A unique key the schema enforces, named by what it protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueKey {
    UserEmail,
    CompanyName,
    CompanyCreditCode,
    CompanyAlias,
    TrackingCode,
    ExtensionRequest,
    CampaignTag,
}

/// Each key with its PostgreSQL constraint name (the `unique_key()` columns of the migrations
/// get `<table>_<column>_key`) and, since SQLite reports columns instead of index names, its
/// `table.column` list as SQLite prints it.
const UNIQUE_KEYS: &[(UniqueKey, &str, &str)] = &[
    (UniqueKey::UserEmail, "users_email_key", "users.email"),
    (
        UniqueKey::CompanyName,
        "companies_name_norm_key",
        "companies.name_norm",
    ),
    (
        UniqueKey::CompanyCreditCode,
        "companies_credit_code_key",
        "companies.credit_code",
    ),
    (
        UniqueKey::CompanyAlias,
        "company_aliases_alias_norm_key",
        "company_aliases.alias_norm",
    ),
    (
        UniqueKey::TrackingCode,
        "complaints_tracking_code_key",
        "complaints.tracking_code",
    ),
    (
        UniqueKey::ExtensionRequest,
        "extension_requests_complaint_id_key",
        "extension_requests.complaint_id",
    ),
    (UniqueKey::CampaignTag, "campaigns_tag_key", "campaigns.tag"),
];

impl UniqueKey {
    /// The form field a collision on this key is reported on.
    pub fn field(self) -> &'static str {
        match self {
            UniqueKey::UserEmail => "email",
            UniqueKey::CompanyName => "name",
            UniqueKey::CompanyCreditCode => "credit_code",
            UniqueKey::CompanyAlias => "aliases",
            UniqueKey::TrackingCode => "tracking_code",
            UniqueKey::ExtensionRequest => "form",
            UniqueKey::CampaignTag => "tag",
        }
    }
}

/// The driver's error behind a failed statement, if the database itself refused it.
fn database_error(e: &DbErr) -> Option<&(dyn sqlx::error::DatabaseError + 'static)> {
    match e {
        DbErr::Exec(RuntimeErr::SqlxError(sqlx::Error::Database(db)))
        | DbErr::Query(RuntimeErr::SqlxError(sqlx::Error::Database(db)))
        | DbErr::Conn(RuntimeErr::SqlxError(sqlx::Error::Database(db))) => Some(db.as_ref()),
        _ => None,
    }
}

/// Which unique key an insert or update collided with, on either backend; `None` for any other
/// error (and for a unique index not listed in [`UNIQUE_KEYS`]).
pub fn unique_violation(e: &DbErr) -> Option<UniqueKey> {
    let db = database_error(e)?;
    if !matches!(db.kind(), sqlx::error::ErrorKind::UniqueViolation) {
        return None;
    }
    if let Some(name) = db.constraint() {
        return UNIQUE_KEYS
            .iter()
            .find(|(_, pg, _)| *pg == name)
            .map(|(k, _, _)| *k);
    }
    // SQLite: "UNIQUE constraint failed: users.email" (columns joined by ", ").
    let columns = db.message().split_once(": ")?.1.trim();
    UNIQUE_KEYS
        .iter()
        .find(|(_, _, cols)| *cols == columns)
        .map(|(k, _, _)| *k)
}

/// Whether a database error means "cannot reach the database right now" (a 503 the client may
/// retry) rather than a bug: refused or lost connections, pool timeouts, a server that is
/// shutting down or refusing connections, SQLite's lock wait running out.
pub fn db_unavailable(e: &DbErr) -> bool {
    let (err, connecting) = match e {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(RuntimeErr::SqlxError(err)) => (err, true),
        DbErr::Conn(_) => return true,
        DbErr::Exec(RuntimeErr::SqlxError(err)) | DbErr::Query(RuntimeErr::SqlxError(err)) => {
            (err, false)
        }
        _ => return false,
    };
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                let code = pg.code();
                // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now;
                // 53300: too many connections; 55000 while connecting: database not accepting
                // connections (ALTER DATABASE ... ALLOW_CONNECTIONS false).
                code.starts_with("08")
                    || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
                    || (connecting && code == "55000")
            } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // SQLITE_BUSY and SQLITE_LOCKED, with their extended codes.
                db.code()
                    .and_then(|c| c.parse::<i32>().ok())
                    .is_some_and(|c| matches!(c & 0xff, 5 | 6))
            } else {
                connecting
            }
        }
        _ => connecting,
    }
}
