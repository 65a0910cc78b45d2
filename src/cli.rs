//! Command line: `serve` (default), `migrate`, `seed-demo`.
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::db::Db;
use crate::{Application, BuildOptions};

#[derive(Parser, Debug)]
#[command(name = "downgrade-watch", version, about = "Collect and act on complaints about subscription downgrade traps")]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Do not apply pending database migrations on start.
    #[arg(long, global = true)]
    no_migrate: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create a staff or regulator account.
    CreateUser {
        #[arg(long)]
        email: String,
        /// admin, reviewer or regulator.
        #[arg(long)]
        role: String,
        /// Display name (defaults to the part of the email before @).
        #[arg(long, default_value = "")]
        name: String,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Load the four reference cases plus N synthetic complaints.
    SeedDemo {
        /// Number of synthetic complaints.
        #[arg(long, default_value_t = 1000)]
        count: u64,
    },
}

#[derive(Subcommand, Debug)]
enum TokenAction {
    /// Create a bearer token for a user; the token is printed alone on the last line.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: String,
    },
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("Password: ")?;
    let again = rpassword::prompt_password("Repeat password: ")?;
    anyhow::ensure!(first == again, "the two passwords differ");
    Ok(first)
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).try_init();
}

/// Entry point used by `main`.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("downgrade-watch: {e}");
            return ExitCode::from(2);
        }
    };
    match run(cli, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("downgrade-watch: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(config.clone(), BuildOptions { migrate: !cli.no_migrate }).await?;
            tracing::info!(address = %app.local_addr(), base_url = %config.base_url, "downgrade-watch is listening");
            if config.smtp_url.is_none() {
                tracing::info!(folder = %config.outbox_dir().display(), "SMTP_URL not set: mail is written as .eml files");
            }
            app.run_until_stopped(crate::shutdown_signal()).await
        }
        Command::Migrate => {
            let db = Db::connect(&config.database_url).await?;
            db.migrate().await?;
            println!("migrations applied");
            Ok(())
        }
        Command::CreateUser { email, role, name, password_stdin } => {
            let role = crate::domain::Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("--role must be admin, reviewer or regulator"))?;
            let password = read_password(password_stdin)?;
            let db = Db::connect(&config.database_url).await?;
            if !cli.no_migrate {
                db.migrate().await?;
            }
            let u = crate::services::accounts::create_user(&db.write, &email, &name, role, Some(&password)).await?;
            crate::services::audit::record(
                &db.write,
                &crate::services::audit::Actor { user_id: None, label: "cli".into() },
                "user_created",
                Some(("user", u.id.to_string())),
                Some(serde_json::json!({ "role": role.code() })),
            )
            .await?;
            println!("created {} ({})", u.email, role.code());
            Ok(())
        }
        Command::Token { action: TokenAction::Create { user, name } } => {
            let db = Db::connect(&config.database_url).await?;
            if !cli.no_migrate {
                db.migrate().await?;
            }
            let u = crate::services::accounts::find_by_email(&db.write, &user)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no user with email {user}"))?;
            anyhow::ensure!(!name.trim().is_empty(), "--name must not be empty");
            let (row, token) = crate::services::accounts::create_token(&db.write, u.id, &name).await?;
            crate::services::audit::record(
                &db.write,
                &crate::services::audit::Actor { user_id: None, label: "cli".into() },
                "token_created",
                Some(("api_token", row.id.to_string())),
                Some(serde_json::json!({ "for": u.email })),
            )
            .await?;
            println!("token \"{}\" for {} ({}); store it now, it is not shown again:", row.name, u.email, u.role);
            println!("{token}");
            Ok(())
        }
        Command::SeedDemo { count } => {
            let db = Db::connect(&config.database_url).await?;
            if !cli.no_migrate {
                db.migrate().await?;
            }
            let reference = crate::services::reference::Reference::load(&db.read).await?;
            let bar = ProgressBar::new(count);
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} complaints ({per_sec}, eta {eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            let report = crate::services::demo::seed_demo(&db, &reference.cues, count, &bar).await?;
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
    }
}
