//! Server-rendered SVG charts: no JavaScript, no inline styles (classes styled in app.css, or
//! by the inline stylesheet of a downloaded report). Each chart is an `<svg role="img">`
//! labelled by its own `<title>` and `<desc>`; pages put a data table next to it, so the figures
//! never depend on seeing the picture. The geometry (where bars, ticks and labels go) is
//! `domain::chart`, shared with the PDF report.
use std::fmt::Write as _;

use tera::escape_html;

use crate::domain::chart::{self, Anchor, Label};
pub use crate::domain::chart::{format_number, Bar};

fn header(out: &mut String, id: &str, title: &str, desc: &str, w: f64, h: f64) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"100%\" \
         preserveAspectRatio=\"xMinYMin meet\"><title id=\"{id}-title\">{}</title>\
         <desc id=\"{id}-desc\">{}</desc>",
        escape_html(title),
        escape_html(desc)
    );
}

fn text(out: &mut String, class: &str, l: &Label) {
    let anchor = match l.anchor {
        Anchor::Start => "start",
        Anchor::Middle => "middle",
        Anchor::End => "end",
    };
    let _ = write!(
        out,
        "<text class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
        l.x,
        l.y,
        escape_html(&l.text)
    );
}

/// Horizontal bars, one per item, longest scaled to the room beside labels and values.
pub fn bars(id: &str, title: &str, desc: &str, items: &[Bar]) -> String {
    let layout = chart::bars(items);
    let mut out = String::new();
    header(&mut out, id, title, desc, layout.width, layout.height);
    for ((bar, label, value), item) in layout.rows.iter().zip(items) {
        text(&mut out, "chart-label", label);
        let _ = write!(
            out,
            "<rect class=\"chart-bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{}: {}</title></rect>",
            bar.x,
            bar.y,
            bar.w,
            bar.h,
            escape_html(&item.label),
            escape_html(&item.text)
        );
        text(&mut out, "chart-value", value);
    }
    out.push_str("</svg>");
    out
}

/// Vertical columns over time (months): round ticks on a y-scale that holds the largest value,
/// and as many month labels as fit without touching (the latest always).
pub fn columns(id: &str, title: &str, desc: &str, items: &[Bar]) -> String {
    let layout = chart::columns(items);
    let plot = layout.plot;
    let mut out = String::new();
    header(&mut out, id, title, desc, layout.width, layout.height);
    for (y, label) in &layout.ticks {
        let _ = write!(
            out,
            "<line class=\"chart-grid\" x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>",
            plot.x,
            plot.right()
        );
        text(&mut out, "chart-value", label);
    }
    for (bar, item) in layout.bars.iter().zip(items) {
        let _ = write!(
            out,
            "<rect class=\"chart-bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{}: {}</title></rect>",
            bar.x,
            bar.y,
            bar.w,
            bar.h,
            escape_html(&item.label),
            escape_html(&item.text)
        );
    }
    let _ = write!(
        out,
        "<line class=\"chart-axis\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
        plot.x,
        plot.bottom(),
        plot.right(),
        plot.bottom()
    );
    for l in &layout.values {
        text(&mut out, "chart-value", l);
    }
    for l in &layout.labels {
        text(&mut out, "chart-label", l);
    }
    out.push_str("</svg>");
    out
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
    fn the_columns_chart_draws_its_scale_and_every_month_in_a_tooltip() {
        let items: Vec<Bar> = (1..=24)
            .map(|m| {
                Bar::new(
                    format!("2026年{m}月"),
                    m as f64 * 10.0,
                    format!("{}", m * 10),
                )
            })
            .collect();
        let svg = columns("t", "Trend", "Per month", &items);
        // Every month keeps its figure in the column's tooltip, though not every label fits.
        for m in 1..=24 {
            assert!(svg.contains(&format!("<title>2026年{m}月: {}</title>", m * 10)));
        }
        assert!(svg.matches("class=\"chart-label\"").count() < 24);
        // The scale: a top tick at or above the largest value (240).
        assert!(svg.contains(">250</text>"), "{svg}");
    }
}
