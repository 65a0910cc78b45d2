//! The headline figures and the per-company rows, formatted for the templates.
use serde::Serialize;

use super::{change, days, pct, share};
use crate::services::stats::{CompanyFigures, Counts, Summary};
use crate::web::shared::charts::format_number;

/// The repeat-offender rule in the reader's language, with its thresholds.
pub fn rule_text(l: &super::Labels) -> String {
    use crate::domain::scorecard::{MIN_JUDGED, NO_RESPONSE_LIMIT, TIMELY_FLOOR};
    l.state.i18n.fmt(
        l.lang,
        "figures.method_rule",
        &[
            ("limit", &NO_RESPONSE_LIMIT.to_string()),
            ("floor", &format!("{:.0}", TIMELY_FLOOR * 100.0)),
            ("min", &MIN_JUDGED.to_string()),
        ],
    )
}

/// Change of a rate in percentage points ("+5", "−12"); none unless both rates exist.
pub fn points(now: Option<f64>, before: Option<f64>) -> Option<String> {
    let d = (now? - before?) * 100.0;
    let d = d.round();
    Some(if d >= 0.0 {
        format!("+{d:.0}")
    } else {
        format!("−{:.0}", -d)
    })
}

/// The figures of the company loop for one set of counts: no-responses, the companies' own
/// account of their answers, and the consumers' verdicts.
#[derive(Debug, Clone, Serialize)]
pub struct Answers {
    pub no_response: i64,
    pub answered: i64,
    /// Answers with a response category (the denominator of `company_resolution`).
    pub categorized: i64,
    pub company_resolved: i64,
    pub company_resolution: Option<String>,
    pub feedback_known: i64,
    pub satisfied: i64,
    pub satisfaction: Option<String>,
    pub disputed: i64,
    pub dispute: Option<String>,
}

impl Answers {
    pub fn of(c: &Counts) -> Answers {
        Answers {
            no_response: c.no_response,
            answered: c.answered,
            categorized: c.categorized(),
            company_resolved: c.company_resolved(),
            company_resolution: pct(c.company_resolution_rate()),
            feedback_known: c.feedback_known,
            satisfied: c.satisfied,
            satisfaction: pct(c.satisfaction_rate()),
            disputed: c.disputed,
            dispute: pct(c.dispute_rate()),
        }
    }
}

/// One company's figures; `id` 0 for complaints not matched to the directory.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyRow {
    pub id: i64,
    pub name: String,
    pub n: i64,
    pub previous: i64,
    pub change: Option<String>,
    pub timely: Option<String>,
    pub timely_known: i64,
    /// The timely rate of the previous period, and the change in percentage points.
    pub timely_previous: Option<String>,
    pub timely_change: Option<String>,
    pub no_response_previous: i64,
    pub resolution: Option<String>,
    pub closed: i64,
    pub median_days: Option<String>,
    pub share: String,
    #[serde(flatten)]
    pub answers: Answers,
    /// Fails the scorecard rule in this period and the one before (`domain::scorecard`).
    pub repeat_offender: bool,
}

impl CompanyRow {
    /// The row of `c`; `total` is every complaint counted (for the share).
    pub fn of(c: &CompanyFigures, total: i64) -> CompanyRow {
        let (now, before) = (&c.counts, &c.previous_counts);
        CompanyRow {
            id: c.id,
            name: c.name.clone(),
            n: now.complaints,
            previous: c.previous,
            change: change(now.complaints, c.previous),
            timely: pct(now.timely_rate()),
            timely_known: now.timely_known,
            timely_previous: pct(before.timely_rate()),
            timely_change: points(now.timely_rate(), before.timely_rate()),
            no_response_previous: before.no_response,
            resolution: pct(now.resolution_rate()),
            closed: now.closed,
            median_days: days(c.median_days),
            share: share(now.complaints, total),
            answers: Answers::of(now),
            // Complaints not matched to the directory are no company's record.
            repeat_offender: c.id != 0 && c.repeat_offender(),
        }
    }
}

/// The headline figures.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub complaints: i64,
    pub complaints_fmt: String,
    pub previous: i64,
    pub change: Option<String>,
    pub timely: Option<String>,
    pub timely_known: i64,
    pub timely_previous: Option<String>,
    pub timely_change: Option<String>,
    pub resolution: Option<String>,
    pub closed: i64,
    pub resolved: i64,
    pub median_days: Option<String>,
    pub mentions: i64,
    #[serde(flatten)]
    pub answers: Answers,
    /// Answers per response category: `(code, answers, share of categorised answers)`.
    pub categories: Vec<(String, i64, String)>,
}

impl Totals {
    pub fn of(s: &Summary) -> Totals {
        let t = &s.totals;
        let before = &s.previous_totals;
        let categorized = t.categorized();
        Totals {
            complaints: t.complaints,
            complaints_fmt: format_number(t.complaints as f64),
            previous: s.previous_total,
            change: change(t.complaints, s.previous_total),
            timely: pct(t.timely_rate()),
            timely_known: t.timely_known,
            timely_previous: pct(before.timely_rate()),
            timely_change: points(t.timely_rate(), before.timely_rate()),
            resolution: pct(t.resolution_rate()),
            closed: t.closed,
            resolved: t.resolved,
            median_days: days(s.median_days),
            mentions: s.by_obstacle.iter().map(|(_, n)| n).sum(),
            answers: Answers::of(t),
            categories: crate::domain::ResponseCategory::ALL
                .iter()
                .zip(t.categories)
                .map(|(c, n)| (c.code().to_string(), n, share(n, categorized)))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_changes_are_in_percentage_points() {
        assert_eq!(points(Some(0.5), Some(0.8)), Some("−30".into()));
        assert_eq!(points(Some(0.75), Some(0.7)), Some("+5".into()));
        assert_eq!(points(Some(0.75), None), None);
    }
}
