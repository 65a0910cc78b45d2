//! `restore`: loading a backup into a new, empty database, then re-applying the erasure ledger
//! so that no erased data comes back with an old backup.
use super::backup::print_tables;
use crate::config::Config;
use crate::services::privacy::erasure::{ledger, Dirs};
use crate::store::db::Db;

pub(super) async fn run(
    config: &Config,
    from: std::path::PathBuf,
    extra_ledger: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let dirs = Dirs::of(config);
    // Read before the restore: the ledger file outlives the database being replaced.
    let mut outside = ledger::read_file(&dirs.ledger).await?;
    if let Some(path) = &extra_ledger {
        anyhow::ensure!(path.exists(), "no ledger file at {}", path.display());
        outside.extend(ledger::read_file(path).await?);
    }
    let report = crate::store::backup::restore(&config.database_url, &from).await?;
    let db = Db::connect(&config.database_url).await?;
    let reapplied = ledger::reapply(&db.write, &dirs, &outside).await?;
    crate::services::audit::record(
        &db.write,
        &crate::services::audit::Actor {
            user_id: None,
            label: "cli".into(),
        },
        "restore",
        None,
        Some(serde_json::json!({
            "bytes": report.bytes,
            "tables": report.tables,
            "erasures": {
                "ledger_entries_added": reapplied.imported,
                "cases_in_ledger": reapplied.cases,
                "erased_again": reapplied.erased_again,
            },
        })),
    )
    .await?;
    print_tables(&report);
    println!("restored {} into the database", report.path.display());
    println!(
        "erasure ledger: {} cases, {} added from the ledger file, {} erased again",
        reapplied.cases, reapplied.imported, reapplied.erased_again
    );
    Ok(())
}
