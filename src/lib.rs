//! downgrade-watch: collect and act on complaints about subscription downgrade traps.
//!
//! [`Application::build`] wires configuration, database, templates and background workers into
//! a bound server; `main` and the integration tests both start the app through it.
pub mod cli;
pub mod config;
pub mod domain;
pub mod entities;
pub mod error;
pub mod i18n;
pub mod services;
pub mod state;
pub mod store;
pub mod web;

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;

pub use config::Config;
pub use state::AppState;

/// A configured, bound, not yet running server.
pub struct Application {
    listener: TcpListener,
    state: AppState,
}

/// Choices made on the command line rather than in the environment.
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions {
    pub migrate: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions { migrate: true }
    }
}

impl Application {
    /// Connects to the database (migrating unless told not to), loads templates and reference
    /// data, and binds the listening socket (`DW_BIND`; port 0 picks a free port).
    pub async fn build(config: Config, opts: BuildOptions) -> anyhow::Result<Application> {
        let db = store::db::Db::connect(&config.database_url).await?;
        if opts.migrate {
            db.migrate().await?;
        }
        let state = AppState::new(config.clone(), db).await?;
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("cannot listen on {} (DW_BIND)", config.bind))?;
        Ok(Application { listener, state })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound TCP listener has an address")
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests and stops the workers.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let workers = services::mail::outbox::spawn_worker(self.state.clone());
        let app = web::router(self.state.clone());
        axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("server error")?;
        workers.stop().await;
        Ok(())
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}
