//! Server-rendered SVG charts: no JavaScript, no inline styles (classes styled in app.css, or
//! by the inline stylesheet of a downloaded report). Each chart is an `<svg role="img">`
//! labelled by its own `<title>` and `<desc>`; pages put a data table next to it, so the figures
//! never depend on seeing the picture.
use std::fmt::Write as _;

use tera::escape_html;

/// One bar: its label, its value, and the text shown at its end (e.g. "<5" or "1 234").
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

impl Bar {
    pub fn new(label: impl Into<String>, value: f64, text: impl Into<String>) -> Bar {
        Bar {
            label: label.into(),
            value,
            text: text.into(),
        }
    }
}

fn header(out: &mut String, id: &str, title: &str, desc: &str, w: u32, h: u32) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {w} {h}\" width=\"100%\" \
         preserveAspectRatio=\"xMinYMin meet\"><title id=\"{id}-title\">{}</title>\
         <desc id=\"{id}-desc\">{}</desc>",
        escape_html(title),
        escape_html(desc)
    );
}

/// Keeps labels inside the label column.
fn clip(label: &str, max_chars: usize) -> String {
    if label.chars().count() <= max_chars {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max_chars.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Horizontal bars, one per item, longest scaled to the full width.
pub fn bars(id: &str, title: &str, desc: &str, items: &[Bar]) -> String {
    let (label_w, bar_w, row_h, pad) = (190.0, 330.0, 22.0, 6.0);
    let width = (label_w + bar_w + 80.0) as u32;
    let height = (items.len().max(1) as f64 * row_h + 2.0 * pad) as u32;
    let max = items.iter().map(|b| b.value).fold(0.0, f64::max);
    let mut out = String::new();
    header(&mut out, id, title, desc, width, height);
    for (i, b) in items.iter().enumerate() {
        let y = pad + i as f64 * row_h;
        let w = if max > 0.0 {
            (b.value / max * bar_w).max(if b.value > 0.0 { 1.0 } else { 0.0 })
        } else {
            0.0
        };
        let _ = write!(
            out,
            "<text class=\"chart-label\" x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"chart-bar\" x=\"{label_w}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/>\
             <text class=\"chart-value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 6.0,
            y + row_h * 0.68,
            escape_html(&clip(&b.label, 14)),
            y + 3.0,
            row_h - 6.0,
            label_w + w + 4.0,
            y + row_h * 0.68,
            escape_html(&b.text)
        );
    }
    out.push_str("</svg>");
    out
}

/// Vertical columns over time (months), with a baseline and the first, middle and last label.
pub fn columns(id: &str, title: &str, desc: &str, items: &[Bar]) -> String {
    let (left, bottom, top, plot_h) = (40.0, 24.0, 18.0, 160.0);
    let n = items.len().max(1) as f64;
    let step = (560.0 / n).clamp(8.0, 48.0);
    let width = (left + step * n + 10.0) as u32;
    let height = (top + plot_h + bottom) as u32;
    let max = items.iter().map(|b| b.value).fold(0.0, f64::max);
    let mut out = String::new();
    header(&mut out, id, title, desc, width, height);
    let base = top + plot_h;
    let _ = write!(
        out,
        "<line class=\"chart-axis\" x1=\"{left}\" y1=\"{base}\" x2=\"{:.1}\" y2=\"{base}\"/>\
         <text class=\"chart-value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
        left + step * n,
        left - 4.0,
        top + 4.0,
        escape_html(&format_number(max))
    );
    let labelled = [0, items.len() / 2, items.len().saturating_sub(1)];
    for (i, b) in items.iter().enumerate() {
        let h = if max > 0.0 {
            b.value / max * plot_h
        } else {
            0.0
        };
        let x = left + i as f64 * step;
        let _ = write!(
            out,
            "<rect class=\"chart-bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"><title>{}: {}</title></rect>",
            x + step * 0.15,
            base - h,
            step * 0.7,
            escape_html(&b.label),
            escape_html(&b.text)
        );
        if labelled.contains(&i) {
            let _ = write!(
                out,
                "<text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x + step / 2.0,
                base + 16.0,
                escape_html(&b.label)
            );
        }
    }
    out.push_str("</svg>");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_labelled_images_with_escaped_text() {
        let svg = bars(
            "c1",
            "Top <companies>",
            "Complaints per company",
            &[Bar::new("A&B", 3.0, "3"), Bar::new("C", 0.0, "<5")],
        );
        assert!(
            svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"c1-title c1-desc\"")
        );
        assert!(svg.contains("<title id=\"c1-title\">Top &lt;companies&gt;</title>"));
        assert!(svg.contains("A&amp;B") && svg.contains("&lt;5"));
        assert!(!svg.contains("style="));
        let svg = columns(
            "c2",
            "Trend",
            "Complaints per month",
            &[Bar::new("2026-01", 5.0, "5"), Bar::new("2026-02", 9.0, "9")],
        );
        assert!(svg.contains("<title id=\"c2-title\">Trend</title>") && svg.contains("2026-02"));
    }

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(format_number(1234567.0), "1,234,567");
        assert_eq!(format_number(999.0), "999");
        assert_eq!(format_number(0.0), "0");
    }
}
