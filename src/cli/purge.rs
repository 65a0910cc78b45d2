//! `purge`: remove the contact data of cases ended more than DW_RETENTION_MONTHS ago.
use crate::config::Config;
use crate::store::db::Db;

pub(super) async fn run(config: &Config, no_migrate: bool, dry_run: bool) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url).await?;
    if !no_migrate {
        db.migrate().await?;
    }
    let months = config.retention_months;
    let actor = crate::services::audit::Actor {
        user_id: None,
        label: "cli".into(),
    };
    let dirs = crate::services::privacy::erasure::Dirs::of(config);
    let n =
        crate::services::privacy::purge_expired(&db.write, &dirs, months, dry_run, &actor, true)
            .await?;
    let cases = if n == 1 { "case" } else { "cases" };
    if dry_run {
        println!("dry run: {n} {cases} ended more than {months} months ago still hold contact data; nothing changed");
    } else {
        println!(
            "removed the contact data of {n} {cases} that ended more than {months} months ago"
        );
    }
    Ok(())
}
