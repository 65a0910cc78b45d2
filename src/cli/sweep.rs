//! `sweep`: the deadline sweep once (for cron users, and after an outage): marks forwarded cases
//! past their response date as "no response", reminds companies, reports overdue reviews, and
//! runs consumers' erasure requests past their cooling-off, and prints what it changed. Safe to run while the service runs: each change is claimed once.
use crate::config::Config;
use crate::state::AppState;
use crate::store::db::Db;

pub(super) async fn run(config: &Config, no_migrate: bool) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url).await?;
    if !no_migrate {
        db.migrate().await?;
    }
    let state = AppState::new(config.clone(), db).await?;
    let today = crate::domain::format::today();
    let report =
        crate::services::deadlines::sweep(&state.case_work(), today, chrono::Utc::now()).await?;
    let lines = [
        ("marked no response", &report.no_response),
        ("companies reminded", &report.reminders),
        ("reviews overdue", &report.review_overdue),
    ];
    for (what, codes) in lines {
        if codes.is_empty() {
            println!("{what}: 0");
        } else {
            println!("{what}: {} ({})", codes.len(), codes.join(", "));
        }
    }
    // Consumers' erasure requests past their cooling-off (each claimed once, even with the
    // service running), then the file deletions and ledger lines that are still waiting.
    let dirs = crate::services::privacy::erasure::Dirs::of(config);
    let erased = crate::services::privacy::erasure::requests::run_due(
        &state.db.write,
        &dirs,
        chrono::Utc::now(),
    )
    .await?;
    println!("erasure requests run: {}", erased.len());
    let waiting = crate::services::privacy::erasure::files::retry(&state.db.write, &dirs).await?;
    crate::services::privacy::erasure::ledger::flush(&state.db.write, &dirs.ledger).await?;
    if waiting > 0 {
        println!("file deletions still waiting: {waiting}");
    }
    if report.is_empty() && erased.is_empty() {
        println!("nothing to do on {today}");
    }
    Ok(())
}
