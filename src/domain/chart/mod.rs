//! Chart geometry, shared by the SVG charts of the pages (`web::shared::charts`) and the vector
//! charts of the PDF report (`services::reports_pdf`): where each bar, tick and label goes, so
//! that labels never overlap one another or the edges and the scale always holds the largest
//! value. Units are those of the chart's coordinate system (an SVG viewBox, or PDF points
//! after scaling); every chart is [`WIDTH`] wide and its text is [`FONT`] high.

/// Width of every chart.
pub const WIDTH: f64 = 640.0;
/// Size of every chart text.
pub const FONT: f64 = 12.0;
/// Room left between two neighbouring labels.
const GAP: f64 = 6.0;

/// One value to draw: its label, its value, and the text shown for it ("1,234", "<5").
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

impl Bar {
    /// A bar labelled `label`, `value` long, showing `text`.
    pub fn new(label: impl Into<String>, value: f64, text: impl Into<String>) -> Bar {
        Bar {
            label: label.into(),
            value,
            text: text.into(),
        }
    }
}

/// How a label hangs from its `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A text placed on a chart: `y` is its baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    pub text: String,
    pub anchor: Anchor,
    /// Its (estimated, generous) width.
    pub width: f64,
}

impl Label {
    fn new(x: f64, y: f64, text: String, anchor: Anchor) -> Label {
        let width = text_width(&text, FONT);
        Label {
            x,
            y,
            text,
            anchor,
            width,
        }
    }

    /// Its left edge.
    pub fn left(&self) -> f64 {
        match self.anchor {
            Anchor::Start => self.x,
            Anchor::Middle => self.x - self.width / 2.0,
            Anchor::End => self.x - self.width,
        }
    }

    /// Its right edge.
    pub fn right(&self) -> f64 {
        self.left() + self.width
    }

    /// Its top edge (the ascent of a CJK glyph is under 0.9 em).
    pub fn top(&self) -> f64 {
        self.y - FONT * 0.9
    }
}

/// A rectangle: `x`, `y` its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// Its bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Its right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
}

/// Whether `c` takes a full em (CJK ideographs, kana, hangul, full-width forms).
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Estimated width of `text` at `size`: a full em for wide characters, 0.62 em for others
/// (wider than the digits and most letters of a sans-serif face, so estimates err on the safe
/// side).
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if is_wide(c) { 1.0 } else { 0.62 })
        .sum::<f64>()
        * size
}

/// `text` cut to fit `max_width` (at [`FONT`]), with an ellipsis when cut.
pub fn fit(text: &str, max_width: f64) -> String {
    if text_width(text, FONT) <= max_width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let mut next = out.clone();
        next.push(c);
        next.push('…');
        if text_width(&next, FONT) > max_width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// 1234567 → "1,234,567" (the same in both languages).
pub fn format_number(v: f64) -> String {
    let n = v.round() as i64;
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A round step (1, 2 or 5 × 10ⁿ, at least 1: the values are counts) that splits `max` into
/// about `parts` parts.
fn nice_step(max: f64, parts: f64) -> f64 {
    let raw = (max / parts).max(1.0);
    let magnitude = 10f64.powf(raw.log10().floor());
    let f = raw / magnitude;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Vertical columns over time: a y-scale with round ticks whose top is at least the largest
/// value, one column per item, and as many x labels as fit without touching.
#[derive(Debug, Clone)]
pub struct Columns {
    pub width: f64,
    pub height: f64,
    /// The plotting area: the baseline is its bottom, the top tick its top.
    pub plot: Rect,
    /// The value at the top of the plot (≥ every value).
    pub scale_max: f64,
    /// Gridline heights with their labels, from 0 up.
    pub ticks: Vec<(f64, Label)>,
    /// One column per item, in order.
    pub bars: Vec<Rect>,
    /// The value above each column; empty when they do not all fit.
    pub values: Vec<Label>,
    /// The x labels kept, left to right (the last item's always among them).
    pub labels: Vec<Label>,
}

/// Lays out columns for `items`.
pub fn columns(items: &[Bar]) -> Columns {
    let (top, plot_h, right_pad) = (24.0, 180.0, 8.0);
    let max = items.iter().map(|b| b.value).fold(0.0, f64::max);
    let step = nice_step(max, 5.0);
    let scale_max = ((max / step).ceil() * step).max(step);
    let tick_values: Vec<f64> = (0..)
        .map(|i| i as f64 * step)
        .take_while(|v| *v <= scale_max + step / 2.0)
        .collect();
    let left = tick_values
        .iter()
        .map(|v| text_width(&format_number(*v), FONT))
        .fold(0.0, f64::max)
        .max(16.0)
        + 8.0;
    let plot = Rect {
        x: left,
        y: top,
        w: WIDTH - left - right_pad,
        h: plot_h,
    };
    let base = plot.bottom();
    let ticks = tick_values
        .iter()
        .map(|v| {
            let y = base - v / scale_max * plot_h;
            (
                y,
                Label::new(left - 5.0, y + FONT * 0.35, format_number(*v), Anchor::End),
            )
        })
        .collect();
    let n = items.len().max(1) as f64;
    let slot = plot.w / n;
    let bar_w = (slot * 0.7).min(56.0);
    let bars: Vec<Rect> = items
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let v = b.value.clamp(0.0, scale_max);
            let h = if v > 0.0 {
                (v / scale_max * plot_h).max(1.0)
            } else {
                0.0
            };
            Rect {
                x: left + i as f64 * slot + (slot - bar_w) / 2.0,
                y: base - h,
                w: bar_w,
                h,
            }
        })
        .collect();
    let widest_value = items
        .iter()
        .map(|b| text_width(&b.text, FONT))
        .fold(0.0, f64::max);
    let values = if widest_value + 2.0 <= slot {
        items
            .iter()
            .zip(&bars)
            .map(|(b, r)| Label::new(r.x + r.w / 2.0, r.y - 4.0, b.text.clone(), Anchor::Middle))
            .collect()
    } else {
        Vec::new()
    };
    let labels = x_labels(items, left, slot, base + FONT + 4.0);
    Columns {
        width: WIDTH,
        height: base + FONT + 10.0,
        plot,
        scale_max,
        ticks,
        bars,
        values,
        labels,
    }
}

/// Every k-th label counting back from the last (k as small as the widest label allows), each
/// kept inside the chart, and dropped if it would still touch the one to its right.
fn x_labels(items: &[Bar], left: f64, slot: f64, y: f64) -> Vec<Label> {
    let widest = items
        .iter()
        .map(|b| text_width(&fit(&b.label, WIDTH / 2.0), FONT))
        .fold(0.0, f64::max);
    let every = ((widest + GAP) / slot).ceil().max(1.0) as usize;
    let mut kept: Vec<Label> = Vec::new();
    for (i, b) in items.iter().enumerate().rev() {
        if !(items.len() - 1 - i).is_multiple_of(every) {
            continue;
        }
        let mut l = Label::new(
            left + (i as f64 + 0.5) * slot,
            y,
            fit(&b.label, WIDTH / 2.0),
            Anchor::Middle,
        );
        l.x = l.x.clamp(l.width / 2.0, WIDTH - l.width / 2.0);
        if kept.last().is_none_or(|r| l.right() + GAP <= r.left()) {
            kept.push(l);
        }
    }
    kept.reverse();
    kept
}

/// Horizontal bars, one row per item, the longest as long as the room beside the labels and
/// the widest value text allows.
#[derive(Debug, Clone)]
pub struct Bars {
    pub width: f64,
    pub height: f64,
    /// The axis the bars start from (x).
    pub axis: f64,
    /// One row per item: its bar, its label (cut to fit, ending at the axis) and its value.
    pub rows: Vec<(Rect, Label, Label)>,
}

/// Lays out horizontal bars for `items`.
pub fn bars(items: &[Bar]) -> Bars {
    let (row_h, pad, label_w) = (22.0, 6.0, 190.0);
    let value_w = items
        .iter()
        .map(|b| text_width(&b.text, FONT))
        .fold(0.0, f64::max)
        + 8.0;
    let room = WIDTH - label_w - value_w;
    let max = items.iter().map(|b| b.value).fold(0.0, f64::max);
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let y = pad + i as f64 * row_h;
            let baseline = y + row_h * 0.68;
            let w = if max > 0.0 && b.value > 0.0 {
                (b.value / max * room).max(1.0)
            } else {
                0.0
            };
            let bar = Rect {
                x: label_w,
                y: y + 3.0,
                w,
                h: row_h - 6.0,
            };
            let label = Label::new(
                label_w - 6.0,
                baseline,
                fit(&b.label, label_w - 10.0),
                Anchor::End,
            );
            let value = Label::new(label_w + w + 4.0, baseline, b.text.clone(), Anchor::Start);
            (bar, label, value)
        })
        .collect();
    Bars {
        width: WIDTH,
        height: items.len().max(1) as f64 * row_h + 2.0 * pad,
        axis: label_w,
        rows,
    }
}

#[cfg(test)]
mod tests;
