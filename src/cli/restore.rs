//! `restore`: loading a backup into a new, empty database.
use super::backup::print_tables;
use crate::config::Config;
use crate::store::db::Db;

pub(super) async fn run(config: &Config, from: std::path::PathBuf) -> anyhow::Result<()> {
    let report = crate::store::backup::restore(&config.database_url, &from).await?;
    let db = Db::connect(&config.database_url).await?;
    crate::services::audit::record(
        &db.write,
        &crate::services::audit::Actor {
            user_id: None,
            label: "cli".into(),
        },
        "restore",
        None,
        Some(serde_json::json!({ "bytes": report.bytes, "tables": report.tables })),
    )
    .await?;
    print_tables(&report);
    println!("restored {} into the database", report.path.display());
    Ok(())
}
