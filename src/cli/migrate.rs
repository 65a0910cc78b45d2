//! `migrate`: apply pending database migrations and exit.
use crate::config::Config;
use crate::store::db::Db;

pub(super) async fn run(config: &Config) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    println!("migrations applied");
    Ok(())
}
