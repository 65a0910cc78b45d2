//! `GET /api/v1/exports/complaints.{csv,xlsx,ndjson}`: record-level exports for regulators
//! (tier `regulator`, the default) and staff (tier `staff`, admins and reviewers only). Bearer
//! token or session. Every export is audit-logged before its first byte and again when it ends.
//! `headers=zh` names the CSV and XLSX columns in Chinese.
use std::io::Seek;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use tokio::sync::mpsc;

use crate::domain::Language;
use crate::error::{AppError, FieldErrors};
use crate::i18n::I18n;
use crate::services::exports::{self, ExportCtx, Format, Problem, Tier};
use crate::state::AppState;
use crate::web::shared::auth::CurrentUser;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/api/v1/exports/complaints.csv",
            &["GET"],
            Access::Regulator,
            export_as(Format::Csv),
        )
        .add(
            "/api/v1/exports/complaints.xlsx",
            &["GET"],
            Access::Regulator,
            export_as(Format::Xlsx),
        )
        .add(
            "/api/v1/exports/complaints.ndjson",
            &["GET"],
            Access::Regulator,
            export_as(Format::Ndjson),
        )
}

/// The GET handler for one format: every format is the same export.
fn export_as(format: Format) -> MethodRouter<AppState> {
    get(
        move |state: State<AppState>, lang: Lang, user: CurrentUser, query: RawQuery| {
            export(state, lang, user, query, format)
        },
    )
}

/// Problems as a 422 body in the request's language.
pub fn localise(state: &AppState, lang: Language, problems: Vec<Problem>) -> AppError {
    let mut errors = FieldErrors::new();
    for p in problems {
        let args: Vec<(&str, &str)> = p.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        errors
            .entry(p.field)
            .or_default()
            .push(state.i18n.fmt(lang, p.key, &args));
    }
    AppError::Validation(errors)
}

/// The catalogue of a running app, for the XLSX writer's blocking thread.
struct Catalogue(AppState);

impl std::ops::Deref for Catalogue {
    type Target = I18n;
    fn deref(&self) -> &I18n {
        &self.0.i18n
    }
}

async fn export(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    RawQuery(query): RawQuery,
    format: Format,
) -> Result<Response, AppError> {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    // Asking for more than one may see is refused before anything else is said about the query.
    if !user.role.is_staff()
        && pairs
            .iter()
            .any(|(k, v)| k == "tier" && v.trim() == Tier::Staff.code())
    {
        return Err(AppError::Forbidden);
    }
    let reference = state.reference();
    let spec = exports::parse(&state.db.read, &reference, format, &pairs)
        .await
        .map_err(|p| localise(&state, lang, p))?;
    let actor = user.actor();
    let export_id = exports::new_export_id();
    exports::audit_started(&state.db.write, &actor, &export_id, &spec, format).await?;
    let ctx = ExportCtx {
        db: state.db.read.clone(),
        reference,
        spec: Arc::new(spec),
        progress: indicatif::ProgressBar::hidden(),
    };
    let headers = [
        (header::CONTENT_TYPE, format.content_type().to_string()),
        (
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}\"",
                exports::file_name(ctx.spec.tier, format)
            ),
        ),
        (header::CACHE_CONTROL, "no-store".to_string()),
    ];

    if format == Format::Xlsx {
        // A ZIP file needs seeking: build it in an anonymous temporary file, then stream that.
        let file = tokio::task::spawn_blocking(tempfile::tempfile)
            .await
            .map_err(anyhow::Error::from)??;
        let built = exports::run_xlsx(&ctx, Catalogue(state.clone()), file).await;
        let outcome = built.as_ref().map(|(o, _)| *o).map_err(|_| "export failed");
        exports::audit_finished(
            &state.db.write,
            &actor,
            &export_id,
            &ctx.spec,
            format,
            outcome,
        )
        .await?;
        let (_, mut file) = built?;
        file.rewind()?;
        let len = file.metadata()?.len();
        let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
        let mut resp = (headers, Body::from_stream(stream)).into_response();
        resp.headers_mut()
            .insert(header::CONTENT_LENGTH, len.into());
        return Ok(resp);
    }

    // CSV and NDJSON: a bounded channel between the encoder and the response body, so the
    // export runs at the client's pace. The task keeps a sender until it has reported the end,
    // so a failure mid-way reaches the client as an aborted body, never as a short file.
    let (tx, rx) = mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let sink_tx = tx.clone();
    let sink = move |chunk: Vec<u8>| sink_tx.blocking_send(Ok(chunk)).is_ok();
    let task_state = state.clone();
    tokio::spawn(async move {
        let outcome = match exports::run_bytes(&ctx, &task_state.i18n, format, sink).await {
            Ok(o) => Ok(o),
            Err(e) => {
                tracing::error!(error = ?e, "export failed mid-stream");
                let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
                Err("export failed")
            }
        };
        drop(tx);
        if let Err(e) = exports::audit_finished(
            &task_state.db.write,
            &actor,
            &export_id,
            &ctx.spec,
            format,
            outcome,
        )
        .await
        {
            tracing::error!(error = %e, "export end could not be audit-logged");
        }
    });
    let body = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Ok((headers, Body::from_stream(body)).into_response())
}
