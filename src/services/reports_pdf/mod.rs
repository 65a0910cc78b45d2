//! Period reports as PDF, made on the server with krilla (see docs/architecture.md, "PDF
//! reports", for why krilla): a [`Doc`] of headings, text, tables and charts is paginated on
//! A4 portrait (`layout`) and drawn in vector form with the CJK font found by `font`.
pub mod font;
mod layout;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::Document;

pub use crate::domain::chart::Bar;
pub use font::{FontError, PdfFont};
use layout::{Composer, Ink, Op, BOTTOM, LEFT, PAGE_H, PAGE_W};

/// A report to print, in reading order.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The document's title (PDF metadata).
    pub title: String,
    /// Its language tag (`zh-CN`, `en`).
    pub lang: String,
    /// Printed at the top of every page: report title and period.
    pub running_head: String,
    /// Printed at the bottom left of every page.
    pub running_foot: String,
    /// Page numbering, with `{page}` and `{pages}`.
    pub page_of: String,
    pub blocks: Vec<Block>,
}

/// One piece of a report.
#[derive(Debug, Clone)]
pub enum Block {
    Title(String),
    Heading(String),
    Text(String),
    /// Small, muted text (notes on method).
    Hint(String),
    Table(Table),
    /// Vertical columns (months).
    Columns(Vec<Bar>),
    /// Horizontal bars.
    Bars(Vec<Bar>),
    /// A quoted narrative with its caption.
    Quote {
        text: String,
        caption: String,
    },
    PageBreak,
}

/// A table: a header row, rows of cells, and which columns are numbers (right-aligned).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub numeric: Vec<bool>,
}

/// Why no PDF could be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(transparent)]
    Font(#[from] FontError),
    #[error("PDF could not be written: {0}")]
    Write(String),
}

/// Lays out and draws `doc` with `font`: the PDF file's bytes.
pub fn render(doc: &Doc, font: &PdfFont) -> Result<Vec<u8>, PdfError> {
    let mut c = Composer::new(font);
    for (i, b) in doc.blocks.iter().enumerate() {
        c.block(b, doc.blocks.get(i + 1));
    }
    let pages = c.pages;
    let total = pages.len().to_string();
    let mut pdf = Document::new();
    pdf.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .language(doc.lang.clone())
            .creator("downgrade-watch".into()),
    );
    for (i, ops) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| PdfError::Write("page size".into()))?;
        let mut page = pdf.start_page_with(settings);
        let mut s = page.surface();
        for op in ops {
            draw(&mut s, font, op);
        }
        let number = doc
            .page_of
            .replace("{page}", &(i + 1).to_string())
            .replace("{pages}", &total);
        for op in running(doc, font, &number) {
            draw(&mut s, font, &op);
        }
        s.finish();
        page.finish();
    }
    pdf.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
}

/// The running head (title and period, with a rule under it) and foot (site, page number).
fn running(doc: &Doc, font: &PdfFont, number: &str) -> Vec<Op> {
    let size = 7.5;
    let right = PAGE_W - LEFT;
    vec![
        Op::Text {
            x: LEFT,
            y: 36.0,
            size,
            text: doc.running_head.clone(),
            ink: Ink::Muted,
            bold: false,
        },
        Op::Line {
            x1: LEFT,
            y1: 42.0,
            x2: right,
            y2: 42.0,
            ink: Ink::Rule,
        },
        Op::Text {
            x: LEFT,
            y: BOTTOM + 30.0,
            size,
            text: doc.running_foot.clone(),
            ink: Ink::Muted,
            bold: false,
        },
        Op::Text {
            x: right - font.width(number, size),
            y: BOTTOM + 30.0,
            size,
            text: number.to_string(),
            ink: Ink::Muted,
            bold: false,
        },
    ]
}

fn color(ink: Ink) -> rgb::Color {
    match ink {
        Ink::Text => rgb::Color::new(0x0b, 0x0c, 0x0c),
        Ink::Muted => rgb::Color::new(0x50, 0x5a, 0x5f),
        Ink::Bar => rgb::Color::new(0x1d, 0x70, 0xb8),
        Ink::Rule => rgb::Color::new(0x50, 0x5a, 0x5f),
        Ink::Grid => rgb::Color::new(0xb1, 0xb4, 0xb6),
        Ink::Shade => rgb::Color::new(0xf3, 0xf2, 0xf1),
    }
}

fn fill(ink: Ink) -> Fill {
    Fill {
        paint: color(ink).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke(ink: Ink, width: f32) -> Stroke {
    Stroke {
        paint: color(ink).into(),
        width,
        ..Default::default()
    }
}

fn draw(s: &mut Surface<'_>, font: &PdfFont, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            size,
            text,
            ink,
            bold,
        } => {
            s.set_fill(Some(fill(*ink)));
            // Bold without a bold face: the glyphs stroked as well as filled.
            s.set_stroke(bold.then(|| stroke(*ink, size * 0.035)));
            let glyphs = font.glyphs(text);
            s.draw_glyphs(
                Point::from_xy(*x, *y),
                &glyphs,
                font.krilla(),
                text,
                *size,
                false,
            );
        }
        Op::Rect { x, y, w, h, ink } => {
            let Some(rect) = Rect::from_xywh(*x, *y, w.max(0.01), h.max(0.01)) else {
                return;
            };
            let mut pb = PathBuilder::new();
            pb.push_rect(rect);
            if let Some(path) = pb.finish() {
                s.set_fill(Some(fill(*ink)));
                s.set_stroke(None);
                s.draw_path(&path);
            }
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            ink,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x1, *y1);
            pb.line_to(*x2, *y2);
            if let Some(path) = pb.finish() {
                s.set_fill(None);
                s.set_stroke(Some(stroke(*ink, 0.6)));
                s.draw_path(&path);
            }
        }
    }
}

/// The report font of a running server: located at start (logged), read on the first PDF.
pub struct FontSlot {
    located: Result<PathBuf, FontError>,
    loaded: OnceLock<Result<Arc<PdfFont>, FontError>>,
}

impl FontSlot {
    /// Looks for the font (`DW_PDF_FONT` when set, else the system font folders) and says in
    /// the log which file PDF reports will use, or why there will be none.
    pub fn discover(configured: Option<&Path>) -> FontSlot {
        let located = font::locate(configured);
        match &located {
            Ok(p) => tracing::info!(font = %p.display(), "PDF reports use this font"),
            Err(e) => tracing::warn!("PDF reports are unavailable: {e}"),
        }
        FontSlot {
            located,
            loaded: OnceLock::new(),
        }
    }

    /// The font, read on first use (blocking: call from a blocking task).
    pub fn get(&self) -> Result<Arc<PdfFont>, FontError> {
        self.loaded
            .get_or_init(|| {
                let path = self.located.clone()?;
                let f = PdfFont::load(&path);
                if let Err(e) = &f {
                    tracing::warn!("PDF reports are unavailable: {e}");
                }
                f.map(Arc::new)
            })
            .clone()
    }
}
