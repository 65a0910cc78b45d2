use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    downgrade_watch::cli::main().await
}
