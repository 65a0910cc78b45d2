//! The period report as a [`Doc`] for the PDF renderer: the same sections, figures and tables
//! as `regulator/report_body.html`, in the same order, with the page's own messages.
use super::report_data::ReportView;
use super::view::{CompanyRow, ShareRow};
use crate::domain::Language;
use crate::services::reports_pdf::{Bar, Block, Doc, Table};
use crate::state::AppState;

/// Strings of the report's language.
struct T<'a> {
    state: &'a AppState,
    lang: Language,
}

impl T<'_> {
    fn msg(&self, key: &str) -> String {
        self.state.i18n.msg(self.lang, key)
    }

    fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.state.i18n.fmt(self.lang, key, args)
    }
}

fn bar(label: &str, n: i64) -> Bar {
    Bar::new(
        label,
        n as f64,
        crate::domain::chart::format_number(n as f64),
    )
}

fn share_table(t: &T, key_header: &str, rows: &[ShareRow]) -> Block {
    Block::Table(Table {
        header: vec![
            t.msg(key_header),
            t.msg("stats.complaints"),
            t.msg("stats.share"),
        ],
        rows: rows
            .iter()
            .map(|r| vec![r.name.clone(), r.n.to_string(), r.share.clone()])
            .collect(),
        numeric: vec![false, true, true],
    })
}

fn company_table(t: &T, rows: &[CompanyRow]) -> Block {
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".into());
    Block::Table(Table {
        header: [
            "stats.company",
            "stats.complaints",
            "stats.previous_short",
            "stats.timely_rate",
            "stats.resolution_rate",
            "stats.median_days",
        ]
        .iter()
        .map(|k| t.msg(k))
        .collect(),
        rows: rows
            .iter()
            .map(|c| {
                let previous = match &c.change {
                    Some(ch) => format!("{} ({ch})", c.previous),
                    None => c.previous.to_string(),
                };
                vec![
                    c.name.clone(),
                    c.n.to_string(),
                    previous,
                    dash(&c.timely),
                    dash(&c.resolution),
                    dash(&c.median_days),
                ]
            })
            .collect(),
        numeric: vec![false, true, true, true, true, true],
    })
}

/// The report `r` in `lang` as a document to print.
pub fn document(state: &AppState, lang: Language, r: &ReportView) -> Doc {
    let t = T { state, lang };
    let fig = &r.fig;
    let title = t.fmt("report.title", &[("period", &r.name)]);
    let range = t.fmt(
        "report.range",
        &[("from", &r.range.from), ("to", &r.range.to)],
    );
    let generated = t.fmt("report.generated", &[("date", &r.generated)]);
    let mut b = vec![
        Block::Hint(format!(
            "{} · {}",
            t.msg("site.name"),
            t.msg(&format!("report.kind_label.{}", r.kind))
        )),
        Block::Title(title.clone()),
        Block::Text(format!("{generated} · {range}")),
        Block::Hint(format!(
            "{} {}",
            t.msg("stats.counted_statuses"),
            t.msg("stats.mentions_note")
        )),
        Block::Heading(t.msg("report.headline")),
    ];
    // The headline figures, as the page's definition list.
    let tot = &fig.totals;
    let no_data = t.msg("stats.no_data");
    let previous = match &tot.change {
        Some(ch) => format!("{} ({ch})", tot.previous),
        None => tot.previous.to_string(),
    };
    let timely = match &tot.timely {
        Some(v) => format!(
            "{v} ({})",
            t.fmt("stats.of_judged", &[("n", &tot.timely_known.to_string())])
        ),
        None => no_data.clone(),
    };
    let resolution = match &tot.resolution {
        Some(v) => format!(
            "{v} ({})",
            t.fmt("stats.of_closed", &[("n", &tot.closed.to_string())])
        ),
        None => no_data.clone(),
    };
    // A rate with the count it stands on, or "no data".
    let rate = |v: &Option<String>, key: &str, n: i64| match v {
        Some(v) => format!("{v} ({})", t.fmt(key, &[("n", &n.to_string())])),
        None => no_data.clone(),
    };
    let company_resolution = rate(
        &tot.answers.company_resolution,
        "figures.of_categorized",
        tot.answers.categorized,
    );
    let satisfaction = rate(
        &tot.answers.satisfaction,
        "figures.of_verdicts",
        tot.answers.feedback_known,
    );
    let dispute = rate(
        &tot.answers.dispute,
        "figures.of_answered",
        tot.answers.answered,
    );
    let median = match &tot.median_days {
        Some(v) => format!("{v} {}", t.msg("stats.days")),
        None => no_data,
    };
    b.push(Block::Table(Table {
        header: vec![String::new(), String::new()],
        rows: vec![
            vec![t.msg("stats.complaints"), tot.complaints_fmt.clone()],
            vec![t.msg("stats.previous"), previous],
            vec![t.msg("stats.timely_rate"), timely],
            vec![
                t.msg("figures.no_response"),
                tot.answers.no_response.to_string(),
            ],
            vec![t.msg("stats.resolution_rate"), resolution],
            vec![t.msg("figures.company_resolution"), company_resolution],
            vec![t.msg("figures.satisfaction"), satisfaction],
            vec![t.msg("figures.dispute"), dispute],
            vec![t.msg("stats.median_days"), median],
        ],
        numeric: vec![false, false],
    }));
    b.push(Block::Text(
        t.fmt("report.compared", &[("previous", &r.previous.name)]),
    ));
    // The priority lane against the rest.
    b.push(Block::Heading(t.msg("lane_figures.title")));
    b.push(Block::Hint(t.msg("lane_figures.lead")));
    let no_data = t.msg("stats.no_data");
    let rate = |v: &Option<String>, of: i64| match v {
        Some(v) => format!(
            "{v} ({})",
            t.fmt("lane_figures.of", &[("n", &of.to_string())])
        ),
        None => no_data.clone(),
    };
    b.push(Block::Table(Table {
        header: vec![
            t.msg("lane_figures.group"),
            t.msg("stats.complaints"),
            t.msg("stats.share"),
            t.msg("lane_figures.decided"),
            t.msg("lane_figures.answered"),
            t.msg("stats.median_days"),
        ],
        rows: fig
            .lane
            .iter()
            .map(|r| {
                vec![
                    t.msg(&format!("lane_figures.groups.{}", r.key)),
                    r.complaints.to_string(),
                    r.share.clone(),
                    rate(&r.decided, r.decided_of),
                    rate(&r.timely, r.timely_of),
                    r.median_days
                        .as_ref()
                        .map(|d| format!("{d} {}", t.msg("stats.days")))
                        .unwrap_or_else(|| no_data.clone()),
                ]
            })
            .collect(),
        numeric: vec![false, true, true, true, true, true],
    }));
    // Complaints per month.
    b.push(Block::Heading(t.msg("stats.chart.trend")));
    b.push(Block::Columns(
        fig.months.iter().map(|m| bar(&m.label, m.n)).collect(),
    ));
    b.push(Block::Table(Table {
        header: vec![t.msg("stats.month"), t.msg("stats.complaints")],
        rows: fig
            .months
            .iter()
            .map(|m| vec![m.label.clone(), m.n.to_string()])
            .collect(),
        numeric: vec![false, true],
    }));
    // Top companies.
    let top: Vec<CompanyRow> = fig.companies.iter().take(r.top).cloned().collect();
    b.push(Block::Heading(
        t.fmt("report.top_companies", &[("n", &r.top.to_string())]),
    ));
    b.push(Block::Bars(top.iter().map(|c| bar(&c.name, c.n)).collect()));
    b.push(company_table(&t, &top));
    // Obstacles and their families.
    b.push(Block::Heading(t.msg("report.top_obstacles")));
    b.push(Block::Bars(
        fig.obstacles.iter().map(|o| bar(&o.name, o.n)).collect(),
    ));
    b.push(Block::Table(Table {
        header: vec![
            t.msg("stats.obstacle"),
            t.msg("stats.complaints"),
            t.msg("stats.share"),
        ],
        rows: fig
            .obstacles
            .iter()
            .map(|o| vec![o.name.clone(), o.n.to_string(), o.share.clone()])
            .collect(),
        numeric: vec![false, true, true],
    }));
    b.push(Block::Heading(t.msg("stats.by_family")));
    b.push(Block::Table(Table {
        header: vec![t.msg("stats.family"), t.msg("stats.mentions")],
        rows: fig
            .families
            .iter()
            .map(|f| vec![f.name.clone(), f.n.to_string()])
            .collect(),
        numeric: vec![false, true],
    }));
    // Sectors and provinces (the chart shows the first 15 provinces, as on the page).
    b.push(Block::Heading(t.msg("stats.chart.sectors")));
    b.push(Block::Bars(
        fig.sectors.iter().map(|s| bar(&s.name, s.n)).collect(),
    ));
    b.push(share_table(&t, "stats.sector", &fig.sectors));
    b.push(Block::Heading(t.msg("stats.chart.provinces")));
    b.push(Block::Bars(
        fig.provinces
            .iter()
            .take(15)
            .map(|s| bar(&s.name, s.n))
            .collect(),
    ));
    b.push(share_table(&t, "stats.province", &fig.provinces));
    // Clauses under review at the end of the period.
    b.push(Block::Heading(t.msg("clauses.report.title")));
    b.push(Block::Hint(t.msg("clauses.report.lead")));
    if r.clauses.is_empty() {
        b.push(Block::Text(t.msg("clauses.report.none")));
    } else {
        b.push(Block::Table(Table {
            header: vec![
                t.msg("clauses.fields.company"),
                t.msg("clauses.fields.clause_text"),
                t.msg("clauses.fields.status"),
                t.msg("clauses.fields.obstacles"),
                t.msg("clauses.report.cited"),
                t.msg("clauses.complaints"),
            ],
            rows: r
                .clauses
                .iter()
                .map(|c| {
                    let company = if c.service.is_empty() {
                        c.company.clone()
                    } else {
                        format!("{} · {}", c.company, c.service)
                    };
                    vec![
                        company,
                        c.excerpt.clone(),
                        c.status_name.clone(),
                        c.obstacles.clone(),
                        c.cited_in_period.to_string(),
                        c.cited_total.to_string(),
                    ]
                })
                .collect(),
            numeric: vec![false, false, false, false, true, true],
        }));
    }
    // Examples.
    b.push(Block::PageBreak);
    b.push(Block::Heading(t.msg("report.examples")));
    b.push(Block::Hint(t.msg("report.examples_note")));
    if r.examples.is_empty() {
        b.push(Block::Text(t.msg("report.no_examples")));
    }
    for e in &r.examples {
        let mut caption = format!("{} · {}", e.sector, e.company);
        if let Some(o) = &e.obstacle {
            caption.push_str(" · ");
            caption.push_str(o);
        }
        b.push(Block::Quote {
            text: e.text.clone(),
            caption,
        });
    }
    Doc {
        title: title.clone(),
        lang: lang.code().to_string(),
        running_head: format!("{title} · {range}"),
        running_foot: format!("{} · {generated}", t.msg("site.name")),
        page_of: t.msg("report.pdf.page_of"),
        blocks: b,
    }
}
