//! Pagination: a [`Doc`](super::Doc) becomes pages of drawing operations in points (A4
//! portrait, y down). Headings stay with what follows them, table rows and charts are never
//! split across pages, and a table's header row is repeated on each page it continues on.
use super::font::{wrap, PdfFont};
use super::{Block, Table};
use crate::domain::chart::{self, Anchor, Label};

/// A4 portrait, in points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
/// The page margins and the width between them.
pub const LEFT: f32 = 48.0;
pub const TOP: f32 = 60.0;
pub const BOTTOM: f32 = PAGE_H - 56.0;
pub const CONTENT_W: f32 = PAGE_W - 2.0 * LEFT;
const BODY: f32 = 9.5;
const SMALL: f32 = 8.5;
const CELL_PAD: f32 = 4.0;

/// Colours the report uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Text,
    Muted,
    Bar,
    Rule,
    Grid,
    Shade,
}

/// One drawing operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Text with its baseline starting at `x`, `y`.
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
        ink: Ink,
        bold: bool,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        ink: Ink,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        ink: Ink,
    },
}

/// Lays blocks out page by page, from the top of the first page.
pub struct Composer<'a> {
    font: &'a PdfFont,
    pub pages: Vec<Vec<Op>>,
    y: f32,
}

impl<'a> Composer<'a> {
    /// An empty first page, set in `font`.
    pub fn new(font: &'a PdfFont) -> Composer<'a> {
        Composer {
            font,
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn op(&mut self, op: Op) {
        if let Some(p) = self.pages.last_mut() {
            p.push(op);
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `h` more fits on this one (or this one is still empty).
    fn need(&mut self, h: f32) -> bool {
        if self.y + h > BOTTOM && self.y > TOP {
            self.new_page();
            return true;
        }
        false
    }

    fn text(&mut self, x: f32, y: f32, size: f32, text: &str, ink: Ink, bold: bool) {
        self.op(Op::Text {
            x,
            y,
            size,
            text: text.to_string(),
            ink,
            bold,
        });
    }

    fn lines(&mut self, text: &str, size: f32, ink: Ink, bold: bool, indent: f32) {
        let lh = size * 1.55;
        for line in wrap(self.font, text, size, CONTENT_W - indent) {
            self.need(lh);
            self.y += lh;
            self.text(LEFT + indent, self.y - size * 0.4, size, &line, ink, bold);
        }
    }

    /// How much of `b` must fit under a heading that precedes it.
    fn keep(&self, b: Option<&Block>) -> f32 {
        let scale = CONTENT_W / chart::WIDTH as f32;
        match b {
            Some(Block::Columns(items)) => chart::columns(items).height as f32 * scale + 6.0,
            Some(Block::Bars(items)) => chart::bars(items).height as f32 * scale + 6.0,
            Some(Block::Table(t)) => {
                let widths = self.widths(t);
                let first = t
                    .rows
                    .first()
                    .map(|r| self.row_height(r, &widths))
                    .unwrap_or(0.0);
                self.row_height(&t.header, &widths) + first
            }
            _ => 3.0 * BODY * 1.55,
        }
    }

    /// Lays out `b`; `next` is the block after it (a heading stays with the start of it).
    pub fn block(&mut self, b: &Block, next: Option<&Block>) {
        match b {
            Block::Title(t) => {
                self.lines(t, 18.0, Ink::Text, true, 0.0);
                self.y += 4.0;
            }
            Block::Heading(t) => {
                // A heading is never the last thing on a page.
                let keep = self.keep(next).min(BOTTOM - TOP - 40.0);
                self.need(13.0 * 1.6 + 14.0 + keep);
                self.y += 10.0;
                self.lines(t, 13.0, Ink::Text, true, 0.0);
                self.y += 4.0;
            }
            Block::Text(t) => self.lines(t, BODY, Ink::Text, false, 0.0),
            Block::Hint(t) => self.lines(t, SMALL, Ink::Muted, false, 0.0),
            Block::Table(t) => self.table(t),
            Block::Columns(items) => {
                let c = chart::columns(items);
                let mut ops = Vec::new();
                for (y, l) in &c.ticks {
                    ops.push(ChartOp::Line(c.plot.x, *y, c.plot.right(), *y, Ink::Grid));
                    ops.push(ChartOp::Label(l.clone()));
                }
                for r in &c.bars {
                    ops.push(ChartOp::Rect(*r));
                }
                let base = c.plot.bottom();
                ops.push(ChartOp::Line(
                    c.plot.x,
                    base,
                    c.plot.right(),
                    base,
                    Ink::Rule,
                ));
                ops.extend(
                    c.values
                        .iter()
                        .chain(&c.labels)
                        .cloned()
                        .map(ChartOp::Label),
                );
                self.chart(c.width, c.height, ops);
            }
            Block::Bars(items) => {
                let c = chart::bars(items);
                let mut ops = Vec::new();
                for (r, l, v) in &c.rows {
                    ops.push(ChartOp::Rect(*r));
                    ops.push(ChartOp::Label(l.clone()));
                    ops.push(ChartOp::Label(v.clone()));
                }
                self.chart(c.width, c.height, ops);
            }
            Block::Quote { text, caption } => {
                let lh = BODY * 1.55;
                let n = wrap(self.font, text, BODY, CONTENT_W - 12.0).len() as f32;
                let h = n * lh + SMALL * 1.6 + 8.0;
                if h < (BOTTOM - TOP) / 2.0 {
                    self.need(h);
                }
                let start = self.y;
                self.lines(text, BODY, Ink::Text, false, 12.0);
                if self.y > start {
                    self.op(Op::Rect {
                        x: LEFT,
                        y: start + 3.0,
                        w: 3.0,
                        h: self.y - start,
                        ink: Ink::Grid,
                    });
                }
                self.lines(caption, SMALL, Ink::Muted, false, 12.0);
                self.y += 8.0;
            }
            Block::PageBreak => {
                if self.y > TOP {
                    self.new_page();
                }
            }
        }
    }

    /// A chart laid out by `domain::chart`, scaled to the content width, kept on one page.
    fn chart(&mut self, w: f64, h: f64, ops: Vec<ChartOp>) {
        let scale = CONTENT_W / w as f32;
        let height = h as f32 * scale;
        self.need(height + 6.0);
        let (x0, y0) = (LEFT, self.y);
        let size = chart::FONT as f32 * scale;
        for op in ops {
            match op {
                ChartOp::Rect(r) => self.op(Op::Rect {
                    x: x0 + r.x as f32 * scale,
                    y: y0 + r.y as f32 * scale,
                    w: r.w as f32 * scale,
                    h: r.h as f32 * scale,
                    ink: Ink::Bar,
                }),
                ChartOp::Line(x1, y1, x2, y2, ink) => self.op(Op::Line {
                    x1: x0 + x1 as f32 * scale,
                    y1: y0 + y1 as f32 * scale,
                    x2: x0 + x2 as f32 * scale,
                    y2: y0 + y2 as f32 * scale,
                    ink,
                }),
                ChartOp::Label(l) => {
                    let tw = self.font.width(&l.text, size);
                    let x = x0 + l.x as f32 * scale;
                    let x = match l.anchor {
                        Anchor::Start => x,
                        Anchor::Middle => x - tw / 2.0,
                        Anchor::End => x - tw,
                    };
                    self.text(x, y0 + l.y as f32 * scale, size, &l.text, Ink::Text, false);
                }
            }
        }
        self.y += height + 6.0;
    }

    fn widths(&self, t: &Table) -> Vec<f32> {
        let cols = t.header.len().max(1);
        let w = |s: &str| self.font.width(s, SMALL) + 2.0 * CELL_PAD + 1.0;
        let natural: Vec<f32> = (0..cols)
            .map(|i| {
                t.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|s| w(s))
                    .fold(0.0, f32::max)
            })
            .collect();
        let numeric = |i: usize| t.numeric.get(i).copied().unwrap_or(false);
        let mut widths: Vec<f32> = (0..cols)
            .map(|i| {
                let head = t.header.get(i).map(|h| w(h)).unwrap_or(0.0);
                if numeric(i) {
                    natural[i].max(head.min(72.0))
                } else {
                    0.0
                }
            })
            .collect();
        let used: f32 = widths.iter().sum();
        let text_cols: Vec<usize> = (0..cols).filter(|i| !numeric(*i)).collect();
        let rest = (CONTENT_W - used).max(CONTENT_W * 0.3);
        let total: f32 = text_cols.iter().map(|i| natural[*i].max(1.0)).sum();
        for i in &text_cols {
            widths[*i] = rest * natural[*i].max(1.0) / total.max(1.0);
        }
        let sum: f32 = widths.iter().sum();
        if sum > CONTENT_W {
            for x in &mut widths {
                *x *= CONTENT_W / sum;
            }
        }
        widths
    }

    fn row(&mut self, cells: &[String], widths: &[f32], numeric: &[bool], header: bool) {
        let lh = SMALL * 1.45;
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| wrap(self.font, c, SMALL, w - 2.0 * CELL_PAD))
            .collect();
        let n = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32;
        let h = n * lh + 2.0 * CELL_PAD;
        if header {
            self.op(Op::Rect {
                x: LEFT,
                y: self.y,
                w: widths.iter().sum(),
                h,
                ink: Ink::Shade,
            });
        }
        let mut x = LEFT;
        for (i, (lines, w)) in wrapped.iter().zip(widths).enumerate() {
            let right = numeric.get(i).copied().unwrap_or(false);
            for (k, line) in lines.iter().enumerate() {
                let tx = if right {
                    x + w - CELL_PAD - self.font.width(line, SMALL)
                } else {
                    x + CELL_PAD
                };
                let ty = self.y + CELL_PAD + (k as f32 + 1.0) * lh - SMALL * 0.35;
                self.text(tx, ty, SMALL, line, Ink::Text, header);
            }
            x += w;
        }
        self.y += h;
        self.op(Op::Line {
            x1: LEFT,
            y1: self.y,
            x2: LEFT + widths.iter().sum::<f32>(),
            y2: self.y,
            ink: Ink::Rule,
        });
    }

    fn row_height(&self, cells: &[String], widths: &[f32]) -> f32 {
        let n = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| wrap(self.font, c, SMALL, w - 2.0 * CELL_PAD).len())
            .max()
            .unwrap_or(1) as f32;
        n * SMALL * 1.45 + 2.0 * CELL_PAD
    }

    fn table(&mut self, t: &Table) {
        let widths = self.widths(t);
        let has_header = t.header.iter().any(|h| !h.is_empty());
        let head_h = if has_header {
            self.row_height(&t.header, &widths)
        } else {
            0.0
        };
        let first = t
            .rows
            .first()
            .map(|r| self.row_height(r, &widths))
            .unwrap_or(0.0);
        self.need(head_h + first);
        if has_header {
            self.row(&t.header, &widths, &t.numeric, true);
        }
        for r in &t.rows {
            let h = self.row_height(r, &widths);
            if self.need(h) && has_header {
                self.row(&t.header, &widths, &t.numeric, true);
            }
            self.row(r, &widths, &t.numeric, false);
        }
        self.y += 8.0;
    }
}

/// A chart's drawing in its own units.
enum ChartOp {
    Rect(chart::Rect),
    Line(f64, f64, f64, f64, Ink),
    Label(Label),
}
