//! XLSX exports with rust_xlsxwriter in constant-memory mode: rows go to a temporary file as
//! they come, so memory does not grow with the row count. The first sheet has a bold header row
//! frozen in place; a sheet holds at most 1,048,575 records (Excel's limit) and larger exports
//! continue on `complaints 2`, `complaints 3`, …; the last sheet, `data dictionary`, explains
//! every column, obstacle code and code list in Chinese and English.
//!
//! Cells are typed: counts are numbers, prices numbers shown as `0.00`, booleans booleans,
//! timestamps date-time cells and days date cells, the rest strings. Excel dates carry no time
//! zone, so timestamps are written as the Asia/Shanghai wall-clock time (the association's and
//! the regulators' day: a complaint of 1 November 00:02 is `2026-11-01 00:02:54`, not the UTC
//! `2026-10-31T16:02:54Z` of CSV and NDJSON); filters, sorting and pivot tables then group by
//! the right day. Text that would start a formula gets a leading `'` as in CSV, and text longer
//! than Excel's 32,767-character cell limit is cut there.
use std::io::Write;

use chrono::{Datelike, NaiveDate, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use tokio::sync::mpsc;

use crate::domain::{
    BillingCycle, Channel, ConsumerFeedback, Language, Outcome as CaseOutcome, RequestedAction,
    ResponseCategory, Sector, Status,
};
use crate::i18n::I18n;
use crate::services::exports::format::{join, neutralise};
use crate::services::exports::{
    zh_header, Cell, ExportCtx, Outcome, Record, Tier, DATE_COLUMNS, TIME_COLUMNS,
};

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

/// Digits as a number (`b"2026"` → 2026); None if any byte is not a digit.
fn number(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// `2026-11-01` (the first ten bytes of the text).
fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(
        number(&b[..4])? as i32,
        number(&b[5..7])?,
        number(&b[8..10])?,
    )
}

/// A UTC instant as exported (`2026-10-31T16:02:54Z`) as the Asia/Shanghai date-time Excel
/// shows (`2026-11-01 00:02:54`); None for any other text or a time Excel cannot hold. Read
/// by position: this runs for every timestamp cell.
fn shanghai_time(utc: &str) -> Option<ExcelDateTime> {
    let b = utc.as_bytes();
    if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let t = parse_day(utc)?
        .and_hms_opt(
            number(&b[11..13])?,
            number(&b[14..16])?,
            number(&b[17..19])?,
        )?
        .and_utc()
        .with_timezone(&crate::domain::format::shanghai());
    ExcelDateTime::from_ymd(
        u16::try_from(t.year()).ok()?,
        t.month() as u8,
        t.day() as u8,
    )
    .and_then(|d| d.and_hms(t.hour() as u16, t.minute() as u8, t.second()))
    .ok()
}

/// A day as exported (`2026-11-01`) as an Excel date; None for any other text or a day before
/// 1900 (Excel's first).
fn excel_day(s: &str) -> Option<ExcelDateTime> {
    let d = parse_day(s).filter(|_| s.len() == 10)?;
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).ok()?,
        d.month() as u8,
        d.day() as u8,
    )
    .ok()
}

fn data_sheet(
    number: u32,
    tier: Tier,
    header: &[String],
    workbook: &mut Workbook,
    bold: &Format,
) -> Result<Worksheet, XlsxError> {
    let mut ws = workbook.new_worksheet_with_constant_memory()?;
    ws.set_name(if number == 1 {
        SHEET_NAME.to_string()
    } else {
        format!("{SHEET_NAME} {number}")
    })?;
    for (col, (name, label)) in tier.columns().iter().zip(header).enumerate() {
        let width = match *name {
            "narrative" | "company_response" => 60.0,
            "company_name" | "service_name" | "plan_from" | "plan_to" | "obstacle_codes" => 24.0,
            n if TIME_COLUMNS.contains(&n) => 19.0,
            n if DATE_COLUMNS.contains(&n) => 12.0,
            _ => 14.0,
        };
        ws.set_column_width(col as u16, width)?;
        ws.write_string_with_format(0, col as u16, label, bold)?;
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
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let header = ctx.spec.headers.row(tier, i18n);
    let mut sheets: Vec<Worksheet> = Vec::new();
    let mut ws = data_sheet(1, tier, &header, &mut workbook, &bold)?;
    let mut row: u32 = 0;
    let mut rows = 0u64;
    let mut scratch = String::new();
    while let Some(mut batch) = rx.blocking_recv() {
        let mut cells = Vec::with_capacity(crate::services::exports::MAX_CELLS);
        for record in batch.iter_mut() {
            if row == ROWS_PER_SHEET {
                let next =
                    data_sheet(sheets.len() as u32 + 2, tier, &header, &mut workbook, &bold)?;
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
                    Cell::Time(s) => match shanghai_time(s) {
                        Some(t) => {
                            ws.write_datetime_with_format(row, col, t, &datetime)?;
                        }
                        None => {
                            ws.write_string(row, col, cut(&neutralise(s)))?;
                        }
                    },
                    Cell::Date(s) => match excel_day(s) {
                        Some(d) => {
                            ws.write_datetime_with_format(row, col, d, &day)?;
                        }
                        None => {
                            ws.write_string(row, col, cut(&neutralise(s)))?;
                        }
                    },
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
    ws.write_string(r, 0, both(i18n, "exports.dictionary.times_label"))?;
    ws.write_string(r, 1, i18n.msg(zh, "exports.dictionary.times"))?;
    ws.write_string(r, 2, i18n.msg(en, "exports.dictionary.times"))?;
    r += 1;

    r += 1;
    ws.write_string_with_format(r, 0, both(i18n, "exports.dictionary.columns"), bold)?;
    r += 1;
    for (c, key) in [
        "exports.dictionary.header_en",
        "exports.dictionary.description_zh",
        "exports.dictionary.description_en",
        "exports.dictionary.header_zh",
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
        ws.write_string(r, 3, zh_header(i18n, col))?;
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
    let lists: [(&str, &str, Vec<&str>); 9] = [
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
        (
            "response_category",
            "exports.response_category",
            ResponseCategory::codes(),
        ),
        (
            "consumer_feedback",
            "exports.consumer_feedback",
            ConsumerFeedback::codes(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_instants_become_shanghai_wall_clock_times() {
        let t = shanghai_time("2026-10-31T16:02:54Z").expect("a time");
        let want = ExcelDateTime::from_ymd(2026, 11, 1)
            .and_then(|d| d.and_hms(0, 2, 54))
            .expect("valid");
        assert_eq!(t.to_excel(), want.to_excel());
        let t = shanghai_time("2026-12-31T23:59:59Z").expect("a time");
        assert!(
            (t.to_excel()
                - ExcelDateTime::from_ymd(2027, 1, 1)
                    .expect("valid")
                    .to_excel()
                - (7.0 * 3600.0 + 59.0 * 60.0 + 59.0) / 86400.0)
                .abs()
                < 1e-9
        );
        for bad in [
            "2026-10-31 16:02:54",
            "2026-13-01T00:00:00Z",
            "1899-12-30T00:00:00Z",
            "",
        ] {
            assert!(shanghai_time(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn days_stay_the_same_day() {
        let d = excel_day("2026-11-01").expect("a day");
        assert_eq!(
            d.to_excel(),
            ExcelDateTime::from_ymd(2026, 11, 1)
                .expect("valid")
                .to_excel()
        );
        for bad in ["2026-11-1", "2026-02-30", "1800-01-01", "2026-11-01x"] {
            assert!(excel_day(bad).is_none(), "{bad}");
        }
    }
}
