//! CSV and NDJSON encoding of export records (runs on the export's blocking thread).
//!
//! CSV: UTF-8 with a BOM (Excel then reads it as UTF-8), RFC 4180 quoting, CRLF line ends,
//! multi-valued cells `;`-joined, and every text cell that a spreadsheet would take for a
//! formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) prefixed with `'`.
//! NDJSON: one JSON object per line with the same keys, typed values (numbers, booleans, null,
//! arrays for multi-valued columns, prices as decimal strings) and raw text: it is data for
//! programs, which must not have values rewritten under them.
use std::borrow::Cow;
use std::fmt::Write as _;

use crate::services::exports::{Cell, Format, Outcome, Record, Tier};

/// Bytes handed to the sink at a time (roughly).
pub const CHUNK_BYTES: usize = 64 * 1024;

/// The UTF-8 byte order mark that makes Excel read a CSV as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Prefixes `'` to text that a spreadsheet would evaluate as a formula.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// `59.00` from 5900 fen.
pub fn yuan(fen: i64, out: &mut String) {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:02}", fen / 100, fen % 100);
}

/// Records the tier is applied to at once: scrubbing (the regulator tier) is most of an export's
/// CPU, so a batch is split across the machine's cores while the order of the rows stays.
const TIER_BATCH: usize = 512;

/// Applies `tier` to every record of `batch`, on up to all cores, keeping the order.
fn apply_tier_batch(batch: &mut [Record], tier: Tier) {
    if tier == Tier::Staff {
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 || batch.len() < 64 {
        batch.iter_mut().for_each(|r| r.apply_tier(tier));
        return;
    }
    let per = batch.len().div_ceil(cores);
    std::thread::scope(|scope| {
        let mut parts = batch.chunks_mut(per);
        let mine = parts.next();
        for part in parts {
            scope.spawn(move || part.iter_mut().for_each(|r| r.apply_tier(tier)));
        }
        if let Some(part) = mine {
            part.iter_mut().for_each(|r| r.apply_tier(tier));
        }
    });
}

/// Applies the tier to records and encodes them into chunks of about [`CHUNK_BYTES`] for a
/// sink, which returns false to stop (the receiver went away).
pub struct RowWriter<'p, S> {
    enc: Encoder,
    tier: Tier,
    /// Records read but not yet encoded (see [`TIER_BATCH`]).
    pending: Vec<Record>,
    /// The CSV header row's names (NDJSON keys are always the column names).
    header: Vec<String>,
    buf: Vec<u8>,
    sink: S,
    rows: u64,
    /// Rows not yet added to the progress bar (it is updated per chunk, not per row).
    unreported: u64,
    progress: &'p indicatif::ProgressBar,
}

impl<'p, S> RowWriter<'p, S>
where
    S: FnMut(Vec<u8>) -> bool,
{
    pub fn new(
        format: Format,
        tier: Tier,
        header: Vec<String>,
        sink: S,
        progress: &'p indicatif::ProgressBar,
    ) -> anyhow::Result<Self> {
        let enc = match format {
            Format::Csv => Encoder::Csv(CsvEncoder::new()),
            Format::Ndjson => Encoder::Ndjson(NdjsonEncoder::new(tier)),
            Format::Xlsx => anyhow::bail!("XLSX is not a byte-stream format"),
        };
        Ok(RowWriter {
            enc,
            tier,
            pending: Vec::with_capacity(TIER_BATCH),
            header,
            buf: Vec::with_capacity(CHUNK_BYTES + 16 * 1024),
            sink,
            rows: 0,
            unreported: 0,
            progress,
        })
    }

    /// Hands the header (CSV: BOM and column names) to the sink before any row is read.
    pub fn header(&mut self) -> bool {
        self.enc.header(&self.header, &mut self.buf);
        self.flush()
    }

    /// Takes one record (encoded with its batch); false when the sink refused a chunk.
    pub fn push(&mut self, record: Record) -> bool {
        self.pending.push(record);
        self.pending.len() < TIER_BATCH || self.encode_pending()
    }

    /// Applies the tier to the pending batch and encodes it in order.
    fn encode_pending(&mut self) -> bool {
        let mut batch = std::mem::replace(&mut self.pending, Vec::with_capacity(TIER_BATCH));
        apply_tier_batch(&mut batch, self.tier);
        let mut cells = Vec::with_capacity(crate::services::exports::MAX_CELLS);
        for record in &batch {
            record.cells(self.tier, &mut cells);
            if self.enc.row(&cells, &mut self.buf).is_err() {
                // Serialising a string into a Vec cannot fail; treat it as a refused chunk.
                return false;
            }
            self.rows += 1;
            self.unreported += 1;
            if self.buf.len() >= CHUNK_BYTES && !self.flush() {
                return false;
            }
        }
        true
    }

    fn flush(&mut self) -> bool {
        self.progress.inc(std::mem::take(&mut self.unreported));
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK_BYTES + 16 * 1024));
        (self.sink)(chunk)
    }

    /// How the export ended so far.
    pub fn outcome(&self, complete: bool) -> Outcome {
        Outcome {
            rows: self.rows,
            complete,
        }
    }

    /// Hands over what is left; `complete` says whether every row was read.
    pub fn finish(mut self, complete: bool) -> Outcome {
        let complete = complete && self.encode_pending();
        let complete = complete && (self.buf.is_empty() || self.flush());
        self.progress.inc(self.unreported);
        self.outcome(complete)
    }
}

enum Encoder {
    Csv(CsvEncoder),
    Ndjson(NdjsonEncoder),
}

impl Encoder {
    fn header(&mut self, names: &[String], out: &mut Vec<u8>) {
        match self {
            Encoder::Csv(c) => {
                out.extend_from_slice(BOM);
                for name in names {
                    c.field(name.as_bytes(), out);
                }
                c.end(out);
            }
            Encoder::Ndjson(_) => {}
        }
    }

    fn row(&mut self, cells: &[Cell<'_>], out: &mut Vec<u8>) -> anyhow::Result<()> {
        match self {
            Encoder::Csv(c) => c.row(cells, out),
            Encoder::Ndjson(n) => n.row(cells, out)?,
        }
        Ok(())
    }
}

/// A small RFC 4180 writer: quotes a field only when it holds a quote, comma or line break.
struct CsvEncoder {
    scratch: String,
    first: bool,
}

impl CsvEncoder {
    fn new() -> CsvEncoder {
        CsvEncoder {
            scratch: String::with_capacity(256),
            first: true,
        }
    }

    fn field(&mut self, value: &[u8], out: &mut Vec<u8>) {
        if !self.first {
            out.push(b',');
        }
        self.first = false;
        if value
            .iter()
            .any(|b| matches!(b, b'"' | b',' | b'\n' | b'\r'))
        {
            out.push(b'"');
            let mut parts = value.split(|b| *b == b'"');
            if let Some(first) = parts.next() {
                out.extend_from_slice(first);
            }
            for part in parts {
                out.extend_from_slice(b"\"\"");
                out.extend_from_slice(part);
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(value);
        }
    }

    fn end(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\r\n");
        self.first = true;
    }

    fn row(&mut self, cells: &[Cell<'_>], out: &mut Vec<u8>) {
        for cell in cells {
            match *cell {
                Cell::Null => self.field(b"", out),
                Cell::Text(s) | Cell::Time(s) | Cell::Date(s) => {
                    self.field(neutralise(s).as_bytes(), out)
                }
                Cell::Int(i) => self.field(i.to_string().as_bytes(), out),
                Cell::Money(fen) => {
                    let mut s = std::mem::take(&mut self.scratch);
                    s.clear();
                    yuan(fen, &mut s);
                    self.field(s.as_bytes(), out);
                    self.scratch = s;
                }
                Cell::Bool(b) => self.field(if b { b"true" } else { b"false" }, out),
                Cell::List(items) => {
                    let mut s = std::mem::take(&mut self.scratch);
                    s.clear();
                    join(items, &mut s);
                    self.field(neutralise(&s).as_bytes(), out);
                    self.scratch = s;
                }
            }
        }
        self.end(out);
    }
}

/// `a;b;c`.
pub fn join(items: &[String], out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(item);
    }
}

/// One JSON object per line; keys are the column names.
struct NdjsonEncoder {
    /// `"name":` for each column, pre-rendered.
    keys: Vec<Vec<u8>>,
    scratch: String,
}

impl NdjsonEncoder {
    fn new(tier: Tier) -> NdjsonEncoder {
        let keys = tier
            .columns()
            .iter()
            .map(|c| format!("\"{c}\":").into_bytes())
            .collect();
        NdjsonEncoder {
            keys,
            scratch: String::new(),
        }
    }

    fn row(&mut self, cells: &[Cell<'_>], out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.push(b'{');
        for (i, (cell, key)) in cells.iter().zip(&self.keys).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(key);
            match *cell {
                Cell::Null => out.extend_from_slice(b"null"),
                Cell::Text(s) | Cell::Time(s) | Cell::Date(s) => {
                    serde_json::to_writer(&mut *out, s)?
                }
                Cell::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
                Cell::Money(fen) => {
                    self.scratch.clear();
                    yuan(fen, &mut self.scratch);
                    out.push(b'"');
                    out.extend_from_slice(self.scratch.as_bytes());
                    out.push(b'"');
                }
                Cell::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
                Cell::List(items) => serde_json::to_writer(&mut *out, items)?,
            }
        }
        out.extend_from_slice(b"}\n");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_the_rest_is_kept() {
        for s in ["=1+2", "+86", "-5", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(s), format!("'{s}"));
        }
        for s in ["59元套餐", "a=b", "", "'quoted"] {
            assert_eq!(neutralise(s), s);
        }
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let mut c = CsvEncoder::new();
        let mut out = Vec::new();
        let items = vec!["app".to_string(), "hotline".to_string()];
        c.row(
            &[
                Cell::Text("a,b"),
                Cell::Text("say \"hi\""),
                Cell::Money(5900),
                Cell::List(&items),
                Cell::Null,
                Cell::Bool(true),
            ],
            &mut out,
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a,b\",\"say \"\"hi\"\"\",59.00,app;hotline,,true\r\n"
        );
    }

    #[test]
    fn ndjson_values_are_typed() {
        let mut n = NdjsonEncoder {
            keys: vec![
                b"\"a\":".to_vec(),
                b"\"b\":".to_vec(),
                b"\"c\":".to_vec(),
                b"\"d\":".to_vec(),
            ],
            scratch: String::new(),
        };
        let mut out = Vec::new();
        let items = vec!["x".to_string()];
        n.row(
            &[
                Cell::Text("=1"),
                Cell::Money(800),
                Cell::List(&items),
                Cell::Null,
            ],
            &mut out,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"a\":\"=1\",\"b\":\"8.00\",\"c\":[\"x\"],\"d\":null}\n"
        );
    }
}
