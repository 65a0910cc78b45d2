//! Free-text search over complaints that works for Chinese (no word boundaries), plus the
//! indexes behind the staff queue and duplicate detection.
//!
//! - SQLite: an FTS5 table with the trigram tokenizer, external content (`complaints`), kept in
//!   sync by triggers. Trigrams match any substring of three or more characters; two-character
//!   queries fall back to LIKE (see `services::search`).
//! - PostgreSQL: pg_trgm GIN indexes, which serve `ILIKE '%…%'` for any substring.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::shared::search::FTS_INSERT_TRIGGER;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

/// Plain B-tree indexes: (name, columns).
const INDEXES: &[(&str, &[&str])] = &[
    // Duplicate proposals look up other complaints by the same contact.
    ("idx_complaints_contact_email", &["contact_email"]),
    ("idx_complaints_contact_phone", &["contact_phone"]),
    // The company filter's typed-name branch, and duplicate proposals for complaints not
    // linked to a directory company.
    (
        "idx_complaints_company_name",
        &["company_name", "received_at", "id"],
    ),
    // Queue filters that are selective enough to drive the scan in received order.
    (
        "idx_complaints_sector_received",
        &["sector", "received_at", "id"],
    ),
    (
        "idx_complaints_province_received",
        &["province", "received_at", "id"],
    ),
    (
        "idx_complaints_assigned_received",
        &["assigned_to", "received_at", "id"],
    ),
];

/// The queue's "due date" order: the running clock's due date (decision on acceptance while
/// received or held, the company's answer while forwarded), cases without one last. The
/// expression must stay identical to `services::cases::queue::DUE_SQL` for the index to serve.
const DUE_INDEX: &str = "CREATE INDEX idx_complaints_due ON complaints ((COALESCE(CASE \
    WHEN status IN ('received', 'held') THEN review_due_on \
    WHEN status = 'forwarded' THEN response_due_on END, '9999-12-31')), id)";

const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE complaints_fts USING fts5(\
        narrative, company_name, service_name, \
        content='complaints', content_rowid='id', tokenize='trigram')",
    FTS_INSERT_TRIGGER,
    "CREATE TRIGGER complaints_fts_ad AFTER DELETE ON complaints BEGIN \
        INSERT INTO complaints_fts(complaints_fts, rowid, narrative, company_name, service_name) \
        VALUES ('delete', old.id, old.narrative, old.company_name, old.service_name); END",
    // Only edits of the searched columns touch the index (status changes are frequent).
    "CREATE TRIGGER complaints_fts_au AFTER UPDATE OF narrative, company_name, service_name ON complaints BEGIN \
        INSERT INTO complaints_fts(complaints_fts, rowid, narrative, company_name, service_name) \
        VALUES ('delete', old.id, old.narrative, old.company_name, old.service_name); \
        INSERT INTO complaints_fts(rowid, narrative, company_name, service_name) \
        VALUES (new.id, new.narrative, new.company_name, new.service_name); END",
    "INSERT INTO complaints_fts(complaints_fts) VALUES ('rebuild')",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS complaints_fts_au",
    "DROP TRIGGER IF EXISTS complaints_fts_ad",
    "DROP TRIGGER IF EXISTS complaints_fts_ai",
    "DROP TABLE IF EXISTS complaints_fts",
];

const PG_UP: &[&str] = &[
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX idx_complaints_narrative_trgm ON complaints USING gin (narrative gin_trgm_ops)",
    "CREATE INDEX idx_complaints_company_name_trgm ON complaints USING gin (company_name gin_trgm_ops)",
    "CREATE INDEX idx_complaints_service_name_trgm ON complaints USING gin (service_name gin_trgm_ops)",
];

const PG_DOWN: &[&str] = &[
    "DROP INDEX IF EXISTS idx_complaints_service_name_trgm",
    "DROP INDEX IF EXISTS idx_complaints_company_name_trgm",
    "DROP INDEX IF EXISTS idx_complaints_narrative_trgm",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let statements = match db.get_database_backend() {
            DatabaseBackend::Postgres => PG_UP,
            _ => SQLITE_UP,
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        db.execute_unprepared(DUE_INDEX).await?;
        for (name, cols) in INDEXES {
            let mut idx = Index::create();
            idx.name(*name).table(a("complaints"));
            for c in *cols {
                idx.col(a(c));
            }
            m.create_index(idx.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES.iter().rev() {
            m.drop_index(Index::drop().name(*name).to_owned()).await?;
        }
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS idx_complaints_due")
            .await?;
        let statements = match db.get_database_backend() {
            DatabaseBackend::Postgres => PG_DOWN,
            _ => SQLITE_DOWN,
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins what this migration executed. If this fails, `shared::search` changed: copy the
    /// old trigger into this migration (frozen) and change the database in a new migration.
    #[test]
    fn the_sql_this_migration_ran_is_pinned() {
        assert_eq!(
            SQLITE_UP[1],
            "CREATE TRIGGER complaints_fts_ai AFTER INSERT ON complaints BEGIN \
        INSERT INTO complaints_fts(rowid, narrative, company_name, service_name) \
        VALUES (new.id, new.narrative, new.company_name, new.service_name); END"
        );
    }
}
