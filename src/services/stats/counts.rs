//! The counts behind every figure (numerators and denominators) and the rates made of them;
//! docs/architecture.md, "How the figures are defined", states each definition.
use serde::Serialize;

use crate::domain::{scorecard, ResponseCategory};

/// Counts with the numerators and denominators of the rates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub complaints: i64,
    /// Complaints whose company response was judged on time or late; a case the deadline
    /// sweep marked "no response" is judged late, so it is in here too.
    pub timely_known: i64,
    pub timely_yes: i64,
    pub closed: i64,
    /// Closed with the outcome `resolved`.
    pub resolved: i64,
    /// Marked "no response" by the deadline sweep (even if an answer came later).
    pub no_response: i64,
    /// With a company answer recorded (`responded_at`).
    pub answered: i64,
    /// With the consumer's verdict on the answer (satisfied or not satisfied).
    pub feedback_known: i64,
    pub satisfied: i64,
    /// Answered, then disputed by the consumer.
    pub disputed: i64,
    /// Answers per response category, in [`ResponseCategory::ALL`] order.
    pub categories: [i64; 6],
}

/// Share `num / den`, none without a denominator.
fn share_of(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl Counts {
    /// Share of judged company responses that came on time (no-responses count as late).
    pub fn timely_rate(&self) -> Option<f64> {
        share_of(self.timely_yes, self.timely_known)
    }

    /// Share of closed complaints closed as resolved.
    pub fn resolution_rate(&self) -> Option<f64> {
        share_of(self.resolved, self.closed)
    }

    /// Answers recorded with a response category.
    pub fn categorized(&self) -> i64 {
        self.categories.iter().sum()
    }

    /// Answers in which the company reports the problem resolved ([`scorecard::RESOLVING`]).
    pub fn company_resolved(&self) -> i64 {
        ResponseCategory::ALL
            .iter()
            .zip(self.categories)
            .filter(|(c, _)| scorecard::RESOLVING.contains(c))
            .map(|(_, n)| n)
            .sum()
    }

    /// Company-reported resolution: resolving answers over answers with a category.
    pub fn company_resolution_rate(&self) -> Option<f64> {
        share_of(self.company_resolved(), self.categorized())
    }

    /// Consumer-confirmed satisfaction: "satisfied" over the verdicts given.
    pub fn satisfaction_rate(&self) -> Option<f64> {
        share_of(self.satisfied, self.feedback_known)
    }

    /// Disputes over answered cases.
    pub fn dispute_rate(&self) -> Option<f64> {
        share_of(self.disputed, self.answered)
    }

    /// What the repeat-offender rule reads.
    pub fn record(&self) -> scorecard::Record {
        scorecard::Record {
            judged: self.timely_known,
            timely: self.timely_yes,
            no_response: self.no_response,
        }
    }

    pub(super) fn add(&mut self, o: &Counts) {
        self.complaints += o.complaints;
        self.timely_known += o.timely_known;
        self.timely_yes += o.timely_yes;
        self.closed += o.closed;
        self.resolved += o.resolved;
        self.no_response += o.no_response;
        self.answered += o.answered;
        self.feedback_known += o.feedback_known;
        self.satisfied += o.satisfied;
        self.disputed += o.disputed;
        for (a, b) in self.categories.iter_mut().zip(o.categories) {
            *a += b;
        }
    }
}
