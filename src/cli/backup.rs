//! `backup`: a consistent snapshot of the database.
use crate::config::Config;
use crate::store::db::Db;

pub(super) async fn run(config: &Config, out: std::path::PathBuf) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url).await?;
    // No migration here: a backup records the database exactly as it is.
    let report = crate::store::backup::backup(&db, &out).await?;
    crate::services::audit::record(
        &db.write,
        &crate::services::audit::Actor {
            user_id: None,
            label: "cli".into(),
        },
        "backup",
        None,
        Some(serde_json::json!({ "bytes": report.bytes, "tables": report.tables })),
    )
    .await?;
    print_tables(&report);
    println!(
        "backup written to {} ({} bytes)",
        report.path.display(),
        report.bytes
    );
    Ok(())
}

pub(super) fn print_tables(report: &crate::store::backup::Report) {
    for (table, rows) in &report.tables {
        println!("{table:<28} {rows:>10}");
    }
}
