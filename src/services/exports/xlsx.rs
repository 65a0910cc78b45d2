//! XLSX exports with rust_xlsxwriter in constant-memory mode: rows go to a temporary file as
//! they come, so memory does not grow with the row count. The first sheet has a bold header row
//! frozen in place; a sheet holds at most 1,048,575 records (Excel's limit) and larger exports
//! continue on `complaints 2`, `complaints 3`, …; the last sheet, `data dictionary`, explains
//! every column, obstacle code and code list in Chinese and English.
//!
//! Cells are typed: counts are numbers, prices numbers shown as `0.00`, booleans booleans, the
//! rest strings (timestamps stay RFC 3339 text: Excel dates have no time zone). Text that would
//! start a formula gets a leading `'` as in CSV, and text longer than Excel's 32,767-character
//! cell limit is cut there.
use std::io::Write;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use tokio::sync::mpsc;

use crate::domain::{
    BillingCycle, Channel, Language, Outcome as CaseOutcome, RequestedAction, Sector, Status,
};
use crate::i18n::I18n;
use crate::services::exports::format::{join, neutralise};
use crate::services::exports::{Cell, ExportCtx, Outcome, Record, Tier};

/// Data rows per sheet: Excel's 1,048,576 rows less the header.
const ROWS_PER_SHEET: u32 = 1_048_575;
/// Excel's longest cell text.
const MAX_CELL_CHARS: usize = 32_767;
pub const SHEET_NAME: &str = "complaints";
pub const DICTIONARY_SHEET: &str = "data dictionary";

fn cut(s: &str) -> &str {
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn data_sheet(
    number: u32,
    tier: Tier,
    workbook: &mut Workbook,
    bold: &Format,
) -> Result<Worksheet, XlsxError> {
    let mut ws = workbook.new_worksheet_with_constant_memory()?;
    ws.set_name(if number == 1 {
        SHEET_NAME.to_string()
    } else {
        format!("{SHEET_NAME} {number}")
    })?;
    for (col, name) in tier.columns().iter().enumerate() {
        let width = match *name {
            "narrative" | "company_response" => 60.0,
            "company_name" | "service_name" | "plan_from" | "plan_to" | "obstacle_codes" => 24.0,
            _ => 14.0,
        };
        ws.set_column_width(col as u16, width)?;
        ws.write_string_with_format(0, col as u16, *name, bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(ws)
}

/// Writes every record from `rx` into an XLSX workbook saved to `file`.
pub fn write(
    ctx: &ExportCtx,
    i18n: &I18n,
    mut rx: mpsc::Receiver<Vec<Record>>,
    mut file: std::fs::File,
) -> anyhow::Result<(Outcome, std::fs::File)> {
    let tier = ctx.spec.tier;
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    let mut sheets: Vec<Worksheet> = Vec::new();
    let mut ws = data_sheet(1, tier, &mut workbook, &bold)?;
    let mut row: u32 = 0;
    let mut rows = 0u64;
    let mut scratch = String::new();
    while let Some(mut batch) = rx.blocking_recv() {
        let mut cells = Vec::with_capacity(40);
        for record in batch.iter_mut() {
            if row == ROWS_PER_SHEET {
                let next = data_sheet(sheets.len() as u32 + 2, tier, &mut workbook, &bold)?;
                sheets.push(std::mem::replace(&mut ws, next));
                row = 0;
            }
            row += 1;
            record.apply_tier(tier);
            record.cells(tier, &mut cells);
            for (col, cell) in cells.iter().enumerate() {
                let col = col as u16;
                match *cell {
                    Cell::Null => {}
                    Cell::Text(s) => {
                        ws.write_string(row, col, cut(&neutralise(s)))?;
                    }
                    Cell::Int(n) => {
                        ws.write_number(row, col, n as f64)?;
                    }
                    Cell::Money(fen) => {
                        ws.write_number_with_format(row, col, fen as f64 / 100.0, &money)?;
                    }
                    Cell::Bool(b) => {
                        ws.write_boolean(row, col, b)?;
                    }
                    Cell::List(items) => {
                        scratch.clear();
                        join(items, &mut scratch);
                        ws.write_string(row, col, cut(&neutralise(&scratch)))?;
                    }
                }
            }
            rows += 1;
        }
        ctx.progress.inc(batch.len() as u64);
    }
    sheets.push(ws);
    for s in sheets {
        workbook.push_worksheet(s);
    }
    let dictionary = workbook.add_worksheet();
    dictionary.set_name(DICTIONARY_SHEET)?;
    write_dictionary(dictionary, ctx, i18n, &bold)?;
    workbook.save_to_writer(&mut file)?;
    file.flush()?;
    Ok((
        Outcome {
            rows,
            complete: true,
        },
        file,
    ))
}

/// `中文 / English` from one catalogue key.
fn both(i18n: &I18n, key: &str) -> String {
    format!(
        "{} / {}",
        i18n.msg(Language::ZhCn, key),
        i18n.msg(Language::En, key)
    )
}

/// The second sheet: provenance, columns, obstacle codes and code lists, in both languages.
fn write_dictionary(
    ws: &mut Worksheet,
    ctx: &ExportCtx,
    i18n: &I18n,
    bold: &Format,
) -> Result<(), XlsxError> {
    let zh = Language::ZhCn;
    let en = Language::En;
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, 40)?;
    ws.set_column_width(2, 60)?;
    ws.set_column_width(3, 30)?;
    ws.set_column_width(4, 50)?;
    ws.set_column_width(5, 60)?;
    ws.write_string_with_format(0, 0, both(i18n, "exports.dictionary.title"), bold)?;
    let spec = &ctx.spec;
    let provenance = [
        ("exports.dictionary.tier", spec.tier.code().to_string()),
        (
            "exports.dictionary.generated_at",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        ),
        (
            "exports.dictionary.filters",
            spec.filters_json().to_string(),
        ),
    ];
    let mut r = 1u32;
    for (key, value) in provenance {
        ws.write_string(r, 0, both(i18n, key))?;
        ws.write_string(r, 1, value)?;
        r += 1;
    }

    r += 1;
    ws.write_string_with_format(r, 0, both(i18n, "exports.dictionary.columns"), bold)?;
    r += 1;
    for (c, key) in [
        "exports.dictionary.column",
        "exports.dictionary.description_zh",
        "exports.dictionary.description_en",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r, c as u16, both(i18n, key), bold)?;
    }
    for col in spec.tier.columns() {
        r += 1;
        let key = format!("exports.columns.{col}");
        ws.write_string(r, 0, col)?;
        ws.write_string(r, 1, i18n.msg(zh, &key))?;
        ws.write_string(r, 2, i18n.msg(en, &key))?;
    }

    r += 2;
    ws.write_string_with_format(r, 0, both(i18n, "exports.dictionary.obstacles"), bold)?;
    r += 1;
    let heads = [
        "exports.dictionary.code",
        "exports.dictionary.name_zh",
        "exports.dictionary.description_zh",
        "exports.dictionary.name_en",
        "exports.dictionary.description_en",
        "exports.dictionary.family_rights",
    ];
    for (c, key) in heads.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, both(i18n, key), bold)?;
    }
    for o in &ctx.reference.obstacles {
        r += 1;
        ws.write_string(r, 0, &o.code)?;
        ws.write_string(r, 1, &o.name_zh)?;
        ws.write_string(r, 2, &o.description_zh)?;
        ws.write_string(r, 3, &o.name_en)?;
        ws.write_string(r, 4, &o.description_en)?;
        ws.write_string(
            r,
            5,
            format!("{} · {} ({})", o.family, o.rights, o.taxonomy_version),
        )?;
    }

    r += 2;
    ws.write_string_with_format(r, 0, both(i18n, "exports.dictionary.codes"), bold)?;
    r += 1;
    for (c, key) in [
        "exports.dictionary.column",
        "exports.dictionary.code",
        "exports.dictionary.name_zh",
        "exports.dictionary.name_en",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r, c as u16, both(i18n, key), bold)?;
    }
    let lists: [(&str, &str, Vec<&str>); 7] = [
        ("sector", "sector", Sector::codes()),
        (
            "requested_action",
            "requested_action",
            RequestedAction::codes(),
        ),
        ("billing_cycle", "billing_cycle", BillingCycle::codes()),
        ("channels_tried", "channel", Channel::codes()),
        ("outcome", "outcome", CaseOutcome::codes()),
        ("status", "status", Status::codes()),
        (
            "rights_implicated",
            "exports.rights",
            vec!["informed", "choice", "fair"],
        ),
    ];
    for (column, table, codes) in lists {
        for code in codes {
            r += 1;
            let key = format!("{table}.{code}");
            ws.write_string(r, 0, column)?;
            ws.write_string(r, 1, code)?;
            ws.write_string(r, 2, i18n.msg(zh, &key))?;
            ws.write_string(r, 3, i18n.msg(en, &key))?;
        }
    }
    Ok(())
}
