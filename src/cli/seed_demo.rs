//! `seed-demo`: the four reference cases plus N synthetic complaints (the generator is in
//! [`super::demo`]).
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::store::db::Db;

pub(super) async fn run(config: &Config, no_migrate: bool, count: u64) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url).await?;
    if !no_migrate {
        db.migrate().await?;
    }
    let reference = crate::services::reference::Reference::load(&db.read).await?;
    let bar = ProgressBar::new(count);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} complaints ({per_sec}, eta {eta}) {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let report = crate::cli::demo::seed_demo(&db, &reference.cues, count, &bar).await?;
    bar.finish_and_clear();
    println!(
        "seeded {} reference cases and {} synthetic complaints ({} companies) in {:.1}s",
        report.reference_cases,
        report.synthetic,
        report.companies,
        report.elapsed.as_secs_f64()
    );
    Ok(())
}
