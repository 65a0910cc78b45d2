//! `export`: complaints at record level to a file (CSV, XLSX or NDJSON).
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::store::db::Db;

#[derive(clap::Args, Debug)]
pub(super) struct ExportArgs {
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
    /// Header names of CSV and XLSX: en (the column names, default) or zh (Chinese).
    #[arg(long)]
    headers: Option<String>,
    #[arg(long)]
    out: std::path::PathBuf,
}

/// `export`: the same pipeline as the HTTP endpoint, written to `--out` (via `FILE.partial`,
/// renamed when complete), audit-logged with actor `cli`.
pub(super) async fn run(config: &Config, no_migrate: bool, args: ExportArgs) -> anyhow::Result<()> {
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
        ("headers", args.headers),
    ];
    let pairs: Vec<(String, String)> = given
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
        .collect();
    let spec = exports::parse(&db.read, &reference, format, &pairs)
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
            exports::run_bytes(&ctx, &i18n, format, move |chunk| {
                file.write_all(&chunk).is_ok()
            })
            .await
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
