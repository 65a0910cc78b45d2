//! The review of a standard-terms clause (格式条款) as data: its statuses, which changes are
//! allowed, the checks on when it was seen, and the figures its page shows (complaints per
//! month, before and after an amendment). Pure functions; `services::clauses` calls them.
use chrono::NaiveDate;

use crate::domain::period::Month;

/// Where a clause is in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum ClauseStatus {
    /// Recorded because it blocks downgrades or refunds; nobody has looked at it yet.
    #[serde(rename = "flagged")]
    Flagged,
    /// A reviewer is analysing it.
    #[serde(rename = "under_review")]
    UnderReview,
    /// Sent to a regulator.
    #[serde(rename = "referred")]
    Referred,
    /// The company changed the clause.
    #[serde(rename = "amended")]
    Amended,
    /// The company dropped the clause.
    #[serde(rename = "withdrawn")]
    Withdrawn,
    /// On review (or after a referral) the clause was found acceptable.
    #[serde(rename = "acceptable")]
    Acceptable,
}

impl ClauseStatus {
    /// Every status, in workflow order.
    pub const ALL: &'static [ClauseStatus] = &[
        ClauseStatus::Flagged,
        ClauseStatus::UnderReview,
        ClauseStatus::Referred,
        ClauseStatus::Amended,
        ClauseStatus::Withdrawn,
        ClauseStatus::Acceptable,
    ];

    /// Statuses of a review still going on (the period report's "clauses under review").
    pub const OPEN: &'static [ClauseStatus] = &[
        ClauseStatus::Flagged,
        ClauseStatus::UnderReview,
        ClauseStatus::Referred,
    ];

    /// The stable code stored in the database and written to exports.
    pub fn code(self) -> &'static str {
        match self {
            ClauseStatus::Flagged => "flagged",
            ClauseStatus::UnderReview => "under_review",
            ClauseStatus::Referred => "referred",
            ClauseStatus::Amended => "amended",
            ClauseStatus::Withdrawn => "withdrawn",
            ClauseStatus::Acceptable => "acceptable",
        }
    }

    /// Parses a stable code; `None` for anything else.
    pub fn parse(s: &str) -> Option<ClauseStatus> {
        ClauseStatus::ALL.iter().copied().find(|c| c.code() == s)
    }

    /// All codes, in workflow order.
    pub fn codes() -> Vec<&'static str> {
        ClauseStatus::ALL.iter().map(|s| s.code()).collect()
    }

    /// Whether the review is still going on.
    pub fn is_open(self) -> bool {
        ClauseStatus::OPEN.contains(&self)
    }

    /// The statuses a clause in this status may move to.
    pub fn next(self) -> &'static [ClauseStatus] {
        use ClauseStatus::*;
        match self {
            Flagged => &[UnderReview],
            // A company may change or drop a clause once approached, before any referral, and
            // a review may find it acceptable without one.
            UnderReview => &[Referred, Amended, Withdrawn, Acceptable],
            Referred => &[Amended, Withdrawn, Acceptable],
            // Seen again (the amended wording still blocks, the clause came back): flag anew.
            Amended | Withdrawn | Acceptable => &[Flagged],
        }
    }
}

impl std::fmt::Display for ClauseStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A status change the workflow does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IllegalChange {
    pub from: ClauseStatus,
    pub to: ClauseStatus,
}

/// Checks a status change against the workflow.
pub fn transition(from: ClauseStatus, to: ClauseStatus) -> Result<ClauseStatus, IllegalChange> {
    if from.next().contains(&to) {
        Ok(to)
    } else {
        Err(IllegalChange { from, to })
    }
}

/// A problem with the dates a clause was seen: (field, message key).
pub type DateProblem = (&'static str, &'static str);

/// First and last seen: neither in the future (Asia/Shanghai `today`), last not before first.
pub fn check_seen(first: NaiveDate, last: NaiveDate, today: NaiveDate) -> Vec<DateProblem> {
    let mut out = Vec::new();
    if first > today {
        out.push(("first_seen_on", "clauses.errors.in_future"));
    }
    if last > today {
        out.push(("last_seen_on", "clauses.errors.in_future"));
    }
    if last < first {
        out.push(("last_seen_on", "clauses.errors.last_before_first"));
    }
    out
}

/// Complaints per month from `from` to `to` (both included), counting the days given.
pub fn per_month(days: &[NaiveDate], from: Month, to: Month) -> Vec<(Month, u64)> {
    let mut out: Vec<(Month, u64)> = from.through(to).into_iter().map(|m| (m, 0)).collect();
    for d in days {
        let m = Month::of(*d);
        if let Some(slot) = out.iter_mut().find(|(k, _)| *k == m) {
            slot.1 += 1;
        }
    }
    out
}

/// Longest window compared on each side of an amendment.
pub const MAX_WINDOW_DAYS: i64 = 180;

/// Two equally long windows around the day a clause was amended: `after` runs from that day
/// to today (at most [`MAX_WINDOW_DAYS`]), `before` is as long and ends the day before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    pub days: i64,
    pub before_from: NaiveDate,
    pub before_to: NaiveDate,
    pub after_from: NaiveDate,
    pub after_to: NaiveDate,
}

/// The windows for an amendment on `amended_on`, seen on `today`; `None` before that day.
pub fn windows(amended_on: NaiveDate, today: NaiveDate) -> Option<Windows> {
    if today < amended_on {
        return None;
    }
    let days = ((today - amended_on).num_days() + 1).min(MAX_WINDOW_DAYS);
    let after_to = amended_on + chrono::Duration::days(days - 1);
    Some(Windows {
        days,
        before_from: amended_on - chrono::Duration::days(days),
        before_to: amended_on - chrono::Duration::days(1),
        after_from: amended_on,
        after_to,
    })
}

/// How a count changed from one window to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Nothing in either window.
    None,
    Fell,
    Rose,
    Same,
}

/// The change from `before` to `after` and its size in percent of `before` (none when
/// `before` is 0).
pub fn trend(before: u64, after: u64) -> (Trend, Option<u64>) {
    let t = match (before, after) {
        (0, 0) => Trend::None,
        (b, a) if a < b => Trend::Fell,
        (b, a) if a > b => Trend::Rose,
        _ => Trend::Same,
    };
    let pct = (before > 0).then(|| (before.abs_diff(after) * 100 + before / 2) / before);
    (t, pct)
}

/// A count over `days` days as a rate per 30 days, one decimal.
pub fn per_30_days(count: u64, days: i64) -> String {
    if days <= 0 {
        return "0.0".into();
    }
    format!("{:.1}", count as f64 * 30.0 / days as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_review_moves_forward_and_ends_in_one_of_three_verdicts() {
        use ClauseStatus::*;
        assert_eq!(transition(Flagged, UnderReview), Ok(UnderReview));
        assert_eq!(transition(UnderReview, Referred), Ok(Referred));
        for end in [Amended, Withdrawn, Acceptable] {
            assert_eq!(transition(Referred, end), Ok(end));
            assert_eq!(transition(end, Flagged), Ok(Flagged));
        }
    }

    #[test]
    fn skipping_a_step_or_going_back_is_refused() {
        use ClauseStatus::*;
        for (from, to) in [
            (Flagged, Referred),
            (Flagged, Amended),
            (Flagged, Flagged),
            (Referred, UnderReview),
            (Referred, Flagged),
            (Amended, Withdrawn),
            (Acceptable, Referred),
        ] {
            assert_eq!(transition(from, to), Err(IllegalChange { from, to }));
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in ClauseStatus::ALL {
            assert_eq!(ClauseStatus::parse(s.code()), Some(*s));
        }
        assert_eq!(ClauseStatus::parse("FLAGGED"), None);
    }

    #[test]
    fn seen_dates_must_be_in_order_and_not_in_the_future() {
        let today = d("2026-12-07");
        assert!(check_seen(d("2026-01-01"), d("2026-12-07"), today).is_empty());
        assert_eq!(
            check_seen(d("2026-05-01"), d("2026-04-30"), today),
            vec![("last_seen_on", "clauses.errors.last_before_first")]
        );
        assert_eq!(
            check_seen(d("2026-12-08"), d("2026-12-09"), today),
            vec![
                ("first_seen_on", "clauses.errors.in_future"),
                ("last_seen_on", "clauses.errors.in_future")
            ]
        );
    }

    #[test]
    fn months_without_complaints_count_zero() {
        let from = Month::new(2026, 1).unwrap();
        let to = Month::new(2026, 3).unwrap();
        let counts = per_month(
            &[d("2026-01-31"), d("2026-03-01"), d("2026-03-02")],
            from,
            to,
        );
        let n: Vec<u64> = counts.iter().map(|c| c.1).collect();
        assert_eq!(n, vec![1, 0, 2]);
        // Days outside the range are not counted.
        assert_eq!(
            per_month(&[d("2025-12-31")], from, to)
                .iter()
                .map(|c| c.1)
                .sum::<u64>(),
            0
        );
    }

    #[test]
    fn the_windows_are_equally_long_and_capped() {
        let w = windows(d("2026-12-01"), d("2026-12-07")).unwrap();
        assert_eq!(w.days, 7);
        assert_eq!(
            (w.before_from, w.before_to),
            (d("2026-11-24"), d("2026-11-30"))
        );
        assert_eq!(
            (w.after_from, w.after_to),
            (d("2026-12-01"), d("2026-12-07"))
        );
        let long = windows(d("2025-01-01"), d("2026-12-07")).unwrap();
        assert_eq!(long.days, MAX_WINDOW_DAYS);
        assert_eq!(
            (long.after_to - long.after_from).num_days() + 1,
            MAX_WINDOW_DAYS
        );
        assert_eq!(
            (long.before_to - long.before_from).num_days() + 1,
            MAX_WINDOW_DAYS
        );
        assert!(windows(d("2026-12-08"), d("2026-12-07")).is_none());
    }

    #[test]
    fn trends_say_which_way_and_how_much() {
        assert_eq!(trend(10, 3), (Trend::Fell, Some(70)));
        assert_eq!(trend(4, 6), (Trend::Rose, Some(50)));
        assert_eq!(trend(0, 2), (Trend::Rose, None));
        assert_eq!(trend(0, 0), (Trend::None, None));
        assert_eq!(trend(3, 3), (Trend::Same, Some(0)));
        assert_eq!(per_30_days(14, 92), "4.6");
    }
}
