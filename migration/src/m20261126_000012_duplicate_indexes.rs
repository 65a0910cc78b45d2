//! The two indexes the duplicate proposal walks (a company's recent complaints, by directory
//! link and by the name as typed) also carry the status and the narrative fingerprint, so the
//! walk over up to 500 recent complaints reads index pages only, not 500 table rows.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

const COVERED: &[&str] = &["status", "narrative_fp", "narrative_trigrams"];

/// (name, key columns before and after this migration's extra columns).
const INDEXES: &[(&str, &[&str])] = &[
    ("idx_complaints_company", &["company_id", "received_at"]),
    (
        "idx_complaints_company_name",
        &["company_name", "received_at", "id"],
    ),
];

async fn rebuild(m: &SchemaManager<'_>, covered: bool) -> Result<(), DbErr> {
    let db = m.get_connection();
    for (name, cols) in INDEXES {
        // A bulk load interrupted before this migration may have dropped the index and kept
        // its old definition for the next start to rebuild: the new definition replaces both.
        db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
            .await?;
        db.execute_unprepared(&format!(
            "DELETE FROM bulk_suspended_indexes WHERE name = '{name}'"
        ))
        .await?;
        let mut idx = Index::create();
        idx.name(*name).table(a("complaints"));
        let mut all: Vec<&str> = cols.to_vec();
        if covered {
            if !all.contains(&"id") {
                all.push("id");
            }
            all.extend_from_slice(COVERED);
        }
        for c in all {
            idx.col(a(c));
        }
        m.create_index(idx.to_owned()).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        rebuild(m, true).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        rebuild(m, false).await
    }
}
