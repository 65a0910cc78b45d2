//! The clause library as CSV and XLSX for regulators, with its counts. The same conventions as
//! the complaint exports: CSV is UTF-8 with a BOM and CRLF line ends, text that a spreadsheet
//! would run as a formula gets a leading `'` (also in XLSX), multi-valued cells are `;`-joined.
//! No consumer data: a clause row carries counts, never cases.
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::ClauseRow;
use crate::services::exports::format::neutralise;

/// Columns of the library export, in order (stable names, like the complaint export's).
pub const COLUMNS: [&str; 15] = [
    "clause_id",
    "company_name",
    "service_name",
    "status",
    "obstacle_codes",
    "legal_basis",
    "first_seen_on",
    "last_seen_on",
    "source_url",
    "clause_text",
    "analysis",
    "complaints_citing",
    "case_groups",
    "recorded_at",
    "updated_at",
];

/// Name of the XLSX sheet.
pub const SHEET_NAME: &str = "clauses";

enum Cell {
    Text(String),
    Int(u64),
}

fn cells(r: &ClauseRow) -> Vec<Cell> {
    let c = &r.clause;
    let t = |s: &str| Cell::Text(s.to_string());
    vec![
        Cell::Int(c.id.max(0) as u64),
        t(&r.company_name),
        t(&c.service_name),
        t(c.status.code()),
        t(&r.obstacles.join(";")),
        t(&c.legal_basis),
        t(&c.first_seen_on.to_string()),
        t(&c.last_seen_on.to_string()),
        t(&c.source_url),
        t(&c.clause_text),
        t(&c.analysis),
        Cell::Int(r.complaints),
        Cell::Int(r.groups),
        t(&c.created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        t(&c.updated_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    ]
}

/// The library as CSV.
pub fn csv(rows: &[ClauseRow]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(crate::services::exports::format::BOM.to_vec());
    w.write_record(COLUMNS)?;
    for r in rows {
        let row: Vec<String> = cells(r)
            .into_iter()
            .map(|c| match c {
                Cell::Text(s) => neutralise(&s).into_owned(),
                Cell::Int(n) => n.to_string(),
            })
            .collect();
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The library as an XLSX workbook: one sheet, bold frozen header, counts as numbers.
pub fn xlsx(rows: &[ClauseRow]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_NAME)?;
    for (col, name) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *name, &bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, c) in cells(r).into_iter().enumerate() {
            match c {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    ws.write_string(row, col as u16, neutralise(&s))?;
                }
                Cell::Int(n) => {
                    ws.write_number(row, col as u16, n as f64)?;
                }
            }
        }
    }
    wb.save_to_buffer()
}
