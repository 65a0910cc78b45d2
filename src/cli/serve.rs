//! `serve` (the default): the web application.
use crate::config::Config;
use crate::{Application, BuildOptions};

pub(super) async fn run(config: Config, no_migrate: bool) -> anyhow::Result<()> {
    let app = Application::build(
        config.clone(),
        BuildOptions {
            migrate: !no_migrate,
        },
    )
    .await?;
    tracing::info!(address = %app.local_addr(), base_url = %config.base_url, "downgrade-watch is listening");
    if config.smtp_url.is_none() {
        tracing::info!(folder = %config.outbox_dir().display(), "SMTP_URL not set: mail is written as .eml files");
    }
    app.run_until_stopped(crate::shutdown_signal()).await
}
