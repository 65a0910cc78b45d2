//! How the company scorecard (信用评价) judges a company: which answers count as the company
//! reporting the problem resolved, and the repeat-offender rule. Pure; the figures themselves
//! are sums read from the rollups (`services::stats`).
use crate::domain::ResponseCategory;

/// Answers in which the company reports having resolved the problem (fully or in part).
pub const RESOLVING: [ResponseCategory; 3] = [
    ResponseCategory::Downgraded,
    ResponseCategory::Refunded,
    ResponseCategory::PartlyResolved,
];

/// A period with at least this many no-responses counts against the company.
pub const NO_RESPONSE_LIMIT: i64 = 3;
/// A timely rate under this share counts against the company…
pub const TIMELY_FLOOR: f64 = 0.5;
/// …when at least this many of its responses were judged (answered, or marked no response).
pub const MIN_JUDGED: i64 = 5;

/// What the repeat-offender rule looks at in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Record {
    /// Responses judged on time or late (no-responses included, as late).
    pub judged: i64,
    /// Responses within the deadline.
    pub timely: i64,
    /// Cases the deadline sweep marked "no response".
    pub no_response: i64,
}

impl Record {
    /// Whether this period counts against the company: at least [`NO_RESPONSE_LIMIT`]
    /// no-responses, or a timely rate under [`TIMELY_FLOOR`] over at least [`MIN_JUDGED`]
    /// judged responses.
    pub fn offends(&self) -> bool {
        let slow =
            self.judged >= MIN_JUDGED && (self.timely as f64) < TIMELY_FLOOR * self.judged as f64;
        self.no_response >= NO_RESPONSE_LIMIT || slow
    }
}

/// A repeat offender fails the rule in the period shown and in the equally long period before
/// it: one bad period can be an accident, two in a row are a pattern.
pub fn repeat_offender(current: &Record, previous: &Record) -> bool {
    current.offends() && previous.offends()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(judged: i64, timely: i64, no_response: i64) -> Record {
        Record {
            judged,
            timely,
            no_response,
        }
    }

    #[test]
    fn three_no_responses_or_a_low_timely_rate_over_five_cases_offend() {
        assert!(r(3, 0, 3).offends());
        assert!(!r(2, 0, 2).offends());
        assert!(r(5, 2, 0).offends());
        assert!(!r(4, 0, 0).offends(), "too few cases to judge the rate");
        assert!(!r(10, 5, 2).offends(), "exactly half is not under half");
        assert!(!r(0, 0, 0).offends());
    }

    #[test]
    fn only_two_bad_periods_in_a_row_make_a_repeat_offender() {
        let bad = r(6, 1, 4);
        let good = r(6, 6, 0);
        assert!(repeat_offender(&bad, &bad));
        assert!(!repeat_offender(&bad, &good));
        assert!(!repeat_offender(&good, &bad));
    }
}
