//! Command line. Commands:
//! - `serve` (the default): the web application;
//! - `migrate`: apply pending database migrations and exit;
//! - `create-user`: a staff or regulator account;
//! - `token create`: an API bearer token for a user;
//! - `purge`: remove the contact data of cases ended more than DW_RETENTION_MONTHS ago;
//! - `sweep`: the deadline sweep once (no-response marks, company reminders, overdue reviews);
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
mod backup;
mod create_user;
pub mod demo;
mod export;
mod migrate;
mod purge;
mod restore;
mod seed_demo;
mod serve;
mod sweep;
mod token;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;

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
    /// Create a staff, regulator or company account.
    CreateUser {
        #[arg(long)]
        email: String,
        /// admin, reviewer, regulator or company.
        #[arg(long)]
        role: String,
        /// For --role company: the directory company (id, name or alias) the user answers for.
        #[arg(long)]
        company: Option<String>,
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
    /// Run the deadline sweep once (no-response marks, reminders) and print what changed.
    Sweep,
    /// Load the four reference cases plus N synthetic complaints.
    SeedDemo {
        /// Number of synthetic complaints.
        #[arg(long, default_value_t = 1000)]
        count: u64,
    },
    /// Export complaints at record level to a file, with a progress bar (same columns, tiers and
    /// filters as GET /api/v1/exports/complaints.*).
    Export(export::ExportArgs),
    /// Write a consistent snapshot of the database to FILE (the service may keep running).
    Backup {
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Load a backup into the new, empty database named by DATABASE_URL, then re-apply every
    /// erasure in the erasure ledger (the backup's own and DW_DATA_DIR/erasure-ledger.jsonl).
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
        /// Another copy of the erasure ledger file to re-apply too (e.g. from the old server).
        #[arg(long)]
        ledger: Option<std::path::PathBuf>,
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
    let no_migrate = cli.no_migrate;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::run(config, no_migrate).await,
        Command::Migrate => migrate::run(&config).await,
        Command::CreateUser {
            email,
            role,
            name,
            company,
            password_stdin,
        } => {
            create_user::run(
                &config,
                no_migrate,
                email,
                role,
                name,
                company,
                password_stdin,
            )
            .await
        }
        Command::Token {
            action: TokenAction::Create { user, name },
        } => token::create(&config, no_migrate, user, name).await,
        Command::Purge { dry_run } => purge::run(&config, no_migrate, dry_run).await,
        Command::Sweep => sweep::run(&config, no_migrate).await,
        Command::SeedDemo { count } => seed_demo::run(&config, no_migrate, count).await,
        Command::Export(args) => export::run(&config, no_migrate, args).await,
        Command::Backup { out } => backup::run(&config, out).await,
        Command::Restore { from, ledger } => restore::run(&config, from, ledger).await,
    }
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
