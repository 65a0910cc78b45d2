//! The period report's print stylesheet: the running head (report title and period) and foot
//! (site, date, page numbers) in the page margins. It is served per report
//! (`/regulator/reports/{period}/print.css`, since the page's CSP allows no inline style) and
//! inlined into the downloaded HTML file. The layout rules for print are in `static/app.css`.
use super::report_data::ReportView;
use crate::domain::Language;
use crate::state::AppState;

/// `s` as a CSS string literal, safe inside a `<style>` element too.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\A "),
            '<' => out.push_str("\\3C "),
            '>' => out.push_str("\\3E "),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// "Page {page} of {pages}" as a CSS `content` value with the page counters.
fn page_of(template: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let (before, after) = rest.split_at(i);
        let (counter, len) = if after.starts_with("{pages}") {
            ("counter(pages)", 7)
        } else if after.starts_with("{page}") {
            ("counter(page)", 6)
        } else {
            parts.push(quoted(&rest[..=i]));
            rest = &rest[i + 1..];
            continue;
        };
        if !before.is_empty() {
            parts.push(quoted(before));
        }
        parts.push(counter.to_string());
        rest = &after[len..];
    }
    if !rest.is_empty() {
        parts.push(quoted(rest));
    }
    parts.join(" ")
}

/// The print stylesheet of report `r` in `lang`.
pub fn css(state: &AppState, lang: Language, r: &ReportView) -> String {
    let msg = |k: &str| state.i18n.msg(lang, k);
    let fmt = |k: &str, a: &[(&str, &str)]| state.i18n.fmt(lang, k, a);
    let head = format!(
        "{} · {}",
        fmt("report.title", &[("period", &r.name)]),
        fmt(
            "report.range",
            &[("from", &r.range.from), ("to", &r.range.to)]
        )
    );
    let foot = format!(
        "{} · {}",
        msg("site.name"),
        fmt("report.generated", &[("date", &r.generated)])
    );
    let boxes = "font-size: 8pt; color: #505a5f; font-family: system-ui, \"Noto Sans CJK SC\", \"PingFang SC\", \"Microsoft YaHei\", sans-serif;";
    format!(
        "@page {{\n  @top-left {{ content: {}; {boxes} vertical-align: bottom; padding-bottom: 3mm; border-bottom: 0.5pt solid #b1b4b6; }}\n  \
         @bottom-left {{ content: {}; {boxes} vertical-align: top; padding-top: 3mm; }}\n  \
         @bottom-right {{ content: {}; {boxes} vertical-align: top; padding-top: 3mm; }}\n}}\n",
        quoted(&head),
        quoted(&foot),
        page_of(&msg("report.pdf.page_of"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_cannot_leave_their_quotes_or_the_style_element() {
        assert_eq!(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(quoted("</style>"), "\"\\3C /style\\3E \"");
    }

    #[test]
    fn page_numbers_become_counters() {
        assert_eq!(
            page_of("第 {page} 页，共 {pages} 页"),
            "\"第 \" counter(page) \" 页，共 \" counter(pages) \" 页\""
        );
        assert_eq!(
            page_of("Page {page} of {pages}"),
            "\"Page \" counter(page) \" of \" counter(pages)"
        );
        assert_eq!(page_of("{x}"), "\"{\" \"x}\"");
    }
}
