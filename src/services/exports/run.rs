//! Running an export: the reader thread, the sinks, the audit trail and the file name.
use super::record::Record;
use super::*;

/// Everything the pipeline needs; cheap to clone into tasks.
#[derive(Clone)]
pub struct ExportCtx {
    pub db: DatabaseConnection,
    pub reference: Arc<Reference>,
    pub spec: Arc<ExportSpec>,
    /// Rows written so far are added here (hidden for HTTP, a bar for the CLI).
    pub progress: indicatif::ProgressBar,
}

/// How an export ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub rows: u64,
    /// False when the receiver went away before the last row (client disconnected).
    pub complete: bool,
}

/// Records per message between the reader and the XLSX writer.
const BATCH_ROWS: usize = 256;
/// Batches in flight between the reader and the XLSX writer.
const BATCHES_IN_FLIGHT: usize = 4;

/// Starts the reader on a blocking thread; its batches arrive on the returned channel. The
/// reader ends early when the receiver is dropped (and then returns an error).
pub(crate) fn spawn_reader(
    ctx: &ExportCtx,
) -> (
    mpsc::Receiver<Vec<Record>>,
    tokio::task::JoinHandle<Result<(), sea_orm::DbErr>>,
) {
    let (tx, rx) = mpsc::channel(BATCHES_IN_FLIGHT);
    let ctx = ctx.clone();
    let handle = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        let mut each = |record: Record| {
            batch.push(record);
            batch.len() < BATCH_ROWS
                || tx
                    .blocking_send(std::mem::replace(
                        &mut batch,
                        Vec::with_capacity(BATCH_ROWS),
                    ))
                    .is_ok()
        };
        let complete = query::read_each(&ctx, &mut each)?;
        if complete && (batch.is_empty() || tx.blocking_send(batch).is_ok()) {
            Ok(())
        } else {
            Err(sea_orm::DbErr::Custom("export receiver closed".into()))
        }
    });
    (rx, handle)
}

/// Runs a CSV or NDJSON export, handing encoded chunks (about 64 KiB each) to `sink`, which
/// returns false to stop (the receiver went away). The first chunk, BOM and header, is handed
/// over before any row is read. One blocking thread reads, applies the tier and encodes each
/// row (so no row crosses threads); `sink` may block, which is the back-pressure. `i18n`
/// names the CSV header row when the spec asks for Chinese headers.
pub async fn run_bytes<S>(
    ctx: &ExportCtx,
    i18n: &crate::i18n::I18n,
    format: Format,
    sink: S,
) -> anyhow::Result<Outcome>
where
    S: FnMut(Vec<u8>) -> bool + Send + 'static,
{
    anyhow::ensure!(format != Format::Xlsx, "XLSX is written by run_xlsx");
    let ctx = ctx.clone();
    let header = ctx.spec.headers.row(ctx.spec.tier, i18n);
    tokio::task::spawn_blocking(move || {
        let tier = ctx.spec.tier;
        let mut writer = crate::services::exports::format::RowWriter::new(
            format,
            tier,
            header,
            sink,
            &ctx.progress,
        )?;
        if !writer.header() {
            return Ok(writer.outcome(false));
        }
        let complete = query::read_each(&ctx, |record| writer.push(record))?;
        Ok(writer.finish(complete))
    })
    .await?
}

/// Runs an XLSX export into `file` (which must be seekable: the ZIP directory is written last).
pub async fn run_xlsx<L>(
    ctx: &ExportCtx,
    i18n: L,
    file: std::fs::File,
) -> anyhow::Result<(Outcome, std::fs::File)>
where
    L: std::ops::Deref<Target = crate::i18n::I18n> + Send + 'static,
{
    let (rx, reader) = spawn_reader(ctx);
    let c = ctx.clone();
    let writer = tokio::task::spawn_blocking(move || {
        crate::services::exports::xlsx::write(&c, &i18n, rx, file)
    });
    let (outcome, file) = writer.await??;
    Ok((finish(reader, outcome).await?, file))
}

async fn finish(
    reader: tokio::task::JoinHandle<Result<(), sea_orm::DbErr>>,
    outcome: Outcome,
) -> anyhow::Result<Outcome> {
    match reader.await? {
        Ok(()) => Ok(outcome),
        // The encoder stopped first (client gone): the reader's send failed, not the database.
        Err(_) if !outcome.complete => Ok(outcome),
        Err(e) => Err(e.into()),
    }
}

/// How many complaints the export will contain (for the CLI's progress bar).
pub async fn count(ctx: &ExportCtx) -> Result<u64, sea_orm::DbErr> {
    query::count(ctx).await
}

/// Audit row written before the first byte leaves: who, tier, format and filters. `export_id`
/// links it to the [`audit_finished`] row.
pub async fn audit_started(
    db: &DatabaseConnection,
    actor: &Actor,
    export_id: &str,
    spec: &ExportSpec,
    format: Format,
) -> Result<(), sea_orm::DbErr> {
    let detail = json!({ "tier": spec.tier.code(), "format": format.code(), "filters": spec.filters_json() });
    audit::record(
        db,
        actor,
        "export",
        Some(("export", export_id.to_string())),
        Some(detail),
    )
    .await
}

/// Audit row written when an export ended: the row count and whether it was complete.
pub async fn audit_finished(
    db: &DatabaseConnection,
    actor: &Actor,
    export_id: &str,
    spec: &ExportSpec,
    format: Format,
    outcome: Result<Outcome, &str>,
) -> Result<(), sea_orm::DbErr> {
    let detail = match outcome {
        Ok(o) => {
            json!({ "tier": spec.tier.code(), "format": format.code(), "filters": spec.filters_json(),
                         "rows": o.rows, "complete": o.complete })
        }
        Err(why) => {
            json!({ "tier": spec.tier.code(), "format": format.code(), "filters": spec.filters_json(),
                            "complete": false, "error": why })
        }
    };
    audit::record(
        db,
        actor,
        "export_finished",
        Some(("export", export_id.to_string())),
        Some(detail),
    )
    .await
}

/// A new export id for the audit rows.
pub fn new_export_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// `complaints-regulator-20261031.csv`.
pub fn file_name(tier: Tier, format: Format) -> String {
    format!(
        "complaints-{}-{}.{}",
        tier.code(),
        crate::domain::format::today().format("%Y%m%d"),
        format.code()
    )
}
