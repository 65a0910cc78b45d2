//! Command line. Commands:
//! - `serve` (the default): the web application;
//! - `migrate`: apply pending database migrations and exit;
//! - `create-user`: a staff or regulator account;
//! - `token create`: an API bearer token for a user;
//! - `purge`: remove the contact data of cases ended more than DW_RETENTION_MONTHS ago;
//! - `seed-demo`: the four reference cases plus N synthetic complaints (bulk load; the generator
//!   and its text tables live in [`demo`], apart from the product code);
//! - `export`: complaints at record level to a file (CSV, XLSX or NDJSON);
//! - `backup` and `restore`: a consistent snapshot of the database, and loading one into a new,
//!   empty database.
//!
//! Logs go to standard output, coloured only when it is a terminal (and `NO_COLOR` is unset).
//! Every command but `serve` is a one-shot job whose long statements are expected (bulk loads,
//! exports, rollup rebuilds), often under a progress bar: its default log filter drops sqlx's
//! "slow statement" warnings, which the server keeps.
pub mod demo;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::store::db::Db;
use crate::{Application, BuildOptions};

#[derive(Parser, Debug)]
#[command(
    name = "downgrade-watch",
    version,
    about = "Collect and act on complaints about subscription downgrade traps"
)]
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
    /// Remove the contact data of cases that ended more than DW_RETENTION_MONTHS ago.
    Purge {
        /// Only count the cases that would be purged.
        #[arg(long)]
        dry_run: bool,
    },
    /// Load the four reference cases plus N synthetic complaints.
    SeedDemo {
        /// Number of synthetic complaints.
        #[arg(long, default_value_t = 1000)]
        count: u64,
    },
    /// Export complaints at record level to a file, with a progress bar (same columns, tiers and
    /// filters as GET /api/v1/exports/complaints.*).
    Export(ExportArgs),
    /// Write a consistent snapshot of the database to FILE (the service may keep running).
    Backup {
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Load a backup into the new, empty database named by DATABASE_URL.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
}

#[derive(clap::Args, Debug)]
struct ExportArgs {
    /// csv, xlsx or ndjson.
    #[arg(long)]
    format: String,
    /// regulator (no contact data, consented narratives scrubbed) or staff (everything).
    #[arg(long, default_value = "regulator")]
    tier: String,
    /// First day (YYYY-MM-DD, Asia/Shanghai) of received_at.
    #[arg(long)]
    from: Option<String>,
    /// Last day (YYYY-MM-DD, Asia/Shanghai) of received_at, inclusive.
    #[arg(long)]
    to: Option<String>,
    #[arg(long)]
    sector: Option<String>,
    /// Obstacle code, e.g. CH-ASYM.
    #[arg(long)]
    obstacle: Option<String>,
    /// Company id, or its exact name or alias.
    #[arg(long)]
    company: Option<String>,
    /// GB/T 2260 province code, e.g. 110000.
    #[arg(long)]
    province: Option<String>,
    #[arg(long)]
    status: Option<String>,
    #[arg(long)]
    out: std::path::PathBuf,
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

/// Default log filter (used when RUST_LOG is not set). sqlx warns of any statement slower than
/// a second on target `sqlx::query`: worth seeing from the server, noise over a one-shot job's
/// progress bar, so only `serve` lets those warnings through.
fn default_log_filter(command: Option<&Command>) -> &'static str {
    match command {
        None | Some(Command::Serve) => "info,sqlx=warn,sea_orm=warn",
        Some(_) => "info,sqlx=warn,sqlx::query=error,sea_orm=warn",
    }
}

/// Colour codes only for a terminal, and not when NO_COLOR is set (to anything but "").
fn use_ansi(is_terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

fn init_tracing(command: Option<&Command>) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(default_log_filter(command)));
    // The fmt subscriber writes to standard output.
    let ansi = use_ansi(
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR"),
    );
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(ansi)
        .try_init();
}

/// Entry point used by `main`.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.command.as_ref());
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
            let app = Application::build(
                config.clone(),
                BuildOptions {
                    migrate: !cli.no_migrate,
                },
            )
            .await?;
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
        Command::CreateUser {
            email,
            role,
            name,
            password_stdin,
        } => {
            let role = crate::domain::Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("--role must be admin, reviewer or regulator"))?;
            let password = read_password(password_stdin)?;
            let db = Db::connect(&config.database_url).await?;
            if !cli.no_migrate {
                db.migrate().await?;
            }
            let u = crate::services::accounts::create_user(
                &db.write,
                &email,
                &name,
                role,
                Some(&password),
            )
            .await?;
            crate::services::audit::record(
                &db.write,
                &crate::services::audit::Actor {
                    user_id: None,
                    label: "cli".into(),
                },
                "user_created",
                Some(("user", u.id.to_string())),
                Some(serde_json::json!({ "role": role.code() })),
            )
            .await?;
            println!("created {} ({})", u.email, role.code());
            Ok(())
        }
        Command::Token {
            action: TokenAction::Create { user, name },
        } => {
            let db = Db::connect(&config.database_url).await?;
            if !cli.no_migrate {
                db.migrate().await?;
            }
            let u = crate::services::accounts::find_by_email(&db.write, &user)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no user with email {user}"))?;
            anyhow::ensure!(!name.trim().is_empty(), "--name must not be empty");
            let (row, token) =
                crate::services::accounts::create_token(&db.write, u.id, &name).await?;
            crate::services::audit::record(
                &db.write,
                &crate::services::audit::Actor {
                    user_id: None,
                    label: "cli".into(),
                },
                "token_created",
                Some(("api_token", row.id.to_string())),
                Some(serde_json::json!({ "for": u.email })),
            )
            .await?;
            println!(
                "token \"{}\" for {} ({}); store it now, it is not shown again:",
                row.name, u.email, u.role
            );
            println!("{token}");
            Ok(())
        }
        Command::Purge { dry_run } => {
            let db = Db::connect(&config.database_url).await?;
            if !cli.no_migrate {
                db.migrate().await?;
            }
            let months = config.retention_months;
            let actor = crate::services::audit::Actor {
                user_id: None,
                label: "cli".into(),
            };
            let n =
                crate::services::privacy::purge_expired(&db.write, months, dry_run, &actor, true)
                    .await?;
            let cases = if n == 1 { "case" } else { "cases" };
            if dry_run {
                println!("dry run: {n} {cases} ended more than {months} months ago still hold contact data; nothing changed");
            } else {
                println!("removed the contact data of {n} {cases} that ended more than {months} months ago");
            }
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
        Command::Export(args) => run_export(&config, cli.no_migrate, args).await,
        Command::Backup { out } => {
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
        Command::Restore { from } => {
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
    }
}

fn print_tables(report: &crate::store::backup::Report) {
    for (table, rows) in &report.tables {
        println!("{table:<28} {rows:>10}");
    }
}

/// `export`: the same pipeline as the HTTP endpoint, written to `--out` (via `FILE.partial`,
/// renamed when complete), audit-logged with actor `cli`.
async fn run_export(config: &Config, no_migrate: bool, args: ExportArgs) -> anyhow::Result<()> {
    use std::io::Write;
    use std::sync::Arc;

    use crate::services::exports::{self, ExportCtx, Format};

    let i18n = Arc::new(crate::i18n::I18n::load()?);
    let lang = crate::domain::Language::En;
    let format = Format::parse(&args.format)
        .ok_or_else(|| anyhow::anyhow!("--format: {}", i18n.msg(lang, "exports.errors.format")))?;
    let db = Db::connect(&config.database_url).await?;
    if !no_migrate {
        db.migrate().await?;
    }
    let reference = Arc::new(crate::services::reference::Reference::load(&db.read).await?);
    let given = [
        ("tier", Some(args.tier)),
        ("from", args.from),
        ("to", args.to),
        ("sector", args.sector),
        ("obstacle", args.obstacle),
        ("company", args.company),
        ("province", args.province),
        ("status", args.status),
    ];
    let pairs: Vec<(String, String)> = given
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
        .collect();
    let spec = exports::parse(&db.read, &reference, &pairs)
        .await
        .map_err(|problems| {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| {
                    let a: Vec<(&str, &str)> =
                        p.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    format!("--{}: {}", p.field, i18n.fmt(lang, p.key, &a))
                })
                .collect();
            anyhow::anyhow!(lines.join("\n"))
        })?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} complaints ({per_sec}, eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let ctx = ExportCtx {
        db: db.read.clone(),
        reference,
        spec: Arc::new(spec),
        progress: bar.clone(),
    };
    bar.set_length(exports::count(&ctx).await?);
    bar.enable_steady_tick(Duration::from_millis(200));
    let actor = crate::services::audit::Actor {
        user_id: None,
        label: "cli".into(),
    };
    let export_id = exports::new_export_id();
    exports::audit_started(&db.write, &actor, &export_id, &ctx.spec, format).await?;
    let mut partial = args.out.clone().into_os_string();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    let file = std::fs::File::create(&partial)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", partial.display()))?;
    let result = match format {
        Format::Xlsx => exports::run_xlsx(&ctx, i18n.clone(), file)
            .await
            .map(|(o, _)| o),
        _ => {
            let mut file = file;
            exports::run_bytes(&ctx, format, move |chunk| file.write_all(&chunk).is_ok()).await
        }
    };
    bar.finish_and_clear();
    let outcome = result.as_ref().map(|o| *o).map_err(|_| "export failed");
    exports::audit_finished(&db.write, &actor, &export_id, &ctx.spec, format, outcome).await?;
    let outcome = match result {
        Ok(o) if o.complete => o,
        Ok(_) => {
            let _ = std::fs::remove_file(&partial);
            anyhow::bail!("could not write {}", partial.display());
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, &args.out)?;
    println!(
        "exported {} complaints ({} tier, {}) to {}",
        outcome.rows,
        ctx.spec.tier.code(),
        format.code(),
        args.out.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What the default filter of `command` lets through of a sqlx slow-statement warning and
    /// of an ordinary warning of the application.
    fn logged(command: Option<Command>) -> String {
        let out = Captured::default();
        let writer = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(default_log_filter(
                command.as_ref(),
            )))
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::warn!(target: "sqlx::query", "slow statement: execution time exceeded alert threshold");
            tracing::warn!(target: "downgrade_watch::services", "an application warning");
        });
        let bytes = out.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn the_server_keeps_slow_statement_warnings() {
        for command in [None, Some(Command::Serve)] {
            let out = logged(command);
            assert!(out.contains("slow statement"), "{out}");
            assert!(out.contains("an application warning"), "{out}");
        }
    }

    #[test]
    fn bulk_jobs_drop_slow_statement_warnings_only() {
        let export = Cli::try_parse_from([
            "downgrade-watch",
            "export",
            "--format",
            "csv",
            "--out",
            "x.csv",
        ])
        .unwrap();
        for command in [
            Some(Command::SeedDemo { count: 10 }),
            export.command,
            Some(Command::Migrate),
        ] {
            let out = logged(command);
            assert!(!out.contains("slow statement"), "{out}");
            assert!(out.contains("an application warning"), "{out}");
        }
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(use_ansi(true, None));
        assert!(use_ansi(true, Some("".into())));
        assert!(!use_ansi(true, Some("1".into())));
        assert!(!use_ansi(false, None));
    }
}
