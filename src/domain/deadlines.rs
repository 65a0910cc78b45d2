//! The clocks of a case, in working days of the holiday calendar: how long staff have to review
//! a new complaint, how long a company has to answer a forwarded one, when the company is
//! reminded, when a missed answer becomes "no response", and how long the consumer may judge the
//! answer. Pure rules; the deadline sweep (`services::deadlines`) applies them.
use chrono::{Duration, NaiveDate};

use super::workdays::Calendar;
use super::Status;

/// Working days staff have to review (accept, reject or hold) a new complaint outside the
/// priority lane; the due dates come from [`crate::domain::lane::Clocks`], which knows both.
pub const REVIEW_WORKING_DAYS: u32 = 7;
/// Working days a company has to answer a forwarded complaint.
pub const RESPONSE_WORKING_DAYS: u32 = 10;
/// The company is reminded this many working days before its due date.
pub const REMINDER_WORKING_DAYS_BEFORE: u32 = 2;
/// A signed answer link stays valid this many calendar days after the response due date.
pub const LINK_GRACE_DAYS: i64 = 30;
/// Default number of calendar days the consumer has to say whether the answer satisfied them.
pub const FEEDBACK_DAYS: i64 = 15;
/// Most working days a company may ask for in its one request for more time.
pub const MAX_EXTENSION_WORKING_DAYS: u32 = 10;

/// What the deadline sweep records about a case, once per case, kind and due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeadlineKind {
    /// The company was reminded before its due date.
    ResponseReminder,
    /// The due date passed without an answer: the case counts as "no response".
    NoResponse,
    /// The review deadline passed while the case still waited for staff.
    ReviewOverdue,
}

impl DeadlineKind {
    /// Every kind, in the order the sweep handles them.
    pub const ALL: &'static [DeadlineKind] = &[
        DeadlineKind::ResponseReminder,
        DeadlineKind::NoResponse,
        DeadlineKind::ReviewOverdue,
    ];

    /// The code stored in `deadline_events.kind`.
    pub fn code(self) -> &'static str {
        match self {
            DeadlineKind::ResponseReminder => "response_reminder",
            DeadlineKind::NoResponse => "no_response",
            DeadlineKind::ReviewOverdue => "review_overdue",
        }
    }

    /// Parses a stored code.
    pub fn parse(s: &str) -> Option<DeadlineKind> {
        DeadlineKind::ALL.iter().copied().find(|k| k.code() == s)
    }
}

/// The working day `n` working days before `due` (the due date itself not counted).
pub fn working_days_before(calendar: &Calendar, due: NaiveDate, n: u32) -> NaiveDate {
    let mut day = due;
    let mut left = n;
    while left > 0 {
        day -= Duration::days(1);
        if calendar.is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// The day the company's reminder is due for a response due on `due`.
pub fn reminder_day(calendar: &Calendar, due: NaiveDate) -> NaiveDate {
    working_days_before(calendar, due, REMINDER_WORKING_DAYS_BEFORE)
}

/// Whether an answer given on `answered` met the due date (`None` when there was no due date).
pub fn answered_in_time(due: Option<NaiveDate>, answered: NaiveDate) -> Option<bool> {
    due.map(|d| answered <= d)
}

/// A forwarded case whose due date has passed with no answer counts as "no response".
pub fn is_no_response(status: Status, due: Option<NaiveDate>, today: NaiveDate) -> bool {
    status == Status::Forwarded && due.is_some_and(|d| today > d)
}

/// A case still waiting for staff after its review deadline.
pub fn is_review_overdue(status: Status, due: Option<NaiveDate>, today: NaiveDate) -> bool {
    matches!(status, Status::Received | Status::Held) && due.is_some_and(|d| today > d)
}

/// Whether the company's reminder should go out today (on or after the reminder day, before the
/// due date has passed).
pub fn reminder_due(
    calendar: &Calendar,
    status: Status,
    due: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    match due {
        Some(d) if status == Status::Forwarded => today >= reminder_day(calendar, d) && today <= d,
        _ => false,
    }
}

/// The last day a signed answer link for a case due on `due` can be used.
pub fn link_valid_until(due: NaiveDate) -> NaiveDate {
    due + Duration::days(LINK_GRACE_DAYS)
}

/// The due date after an extension of `days` working days is granted.
pub fn extended_due(calendar: &Calendar, due: NaiveDate, days: u32) -> NaiveDate {
    calendar.add_working_days(due, days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workdays::DayKind;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    /// 2026 National Day week: 1–7 October off, Saturday 10 October a make-up working day.
    fn calendar() -> Calendar {
        let mut days: Vec<(NaiveDate, DayKind)> = (1..=7)
            .map(|n| (d(&format!("2026-10-{n:02}")), DayKind::Holiday))
            .collect();
        days.push((d("2026-10-10"), DayKind::Workday));
        Calendar::new(days)
    }

    #[test]
    fn reminders_fall_two_working_days_before_the_due_date() {
        let c = calendar();
        // Due Friday 16 Oct: Thursday 15 and Wednesday 14 are the two working days before.
        assert_eq!(reminder_day(&c, d("2026-10-16")), d("2026-10-14"));
        // Due Monday 12 Oct: Saturday 10 is a make-up working day, Sunday 11 is not.
        assert_eq!(reminder_day(&c, d("2026-10-12")), d("2026-10-09"));
        // Due Thursday 8 Oct, right after the holiday week: Wednesday 30 Sep and Tuesday 29 Sep.
        assert_eq!(reminder_day(&c, d("2026-10-08")), d("2026-09-29"));
    }

    #[test]
    fn a_forwarded_case_is_no_response_only_after_its_due_date() {
        let due = Some(d("2026-10-16"));
        assert!(!is_no_response(Status::Forwarded, due, d("2026-10-16")));
        assert!(is_no_response(Status::Forwarded, due, d("2026-10-17")));
        assert!(!is_no_response(Status::Responded, due, d("2026-10-20")));
        assert!(!is_no_response(Status::Forwarded, None, d("2026-10-20")));
    }

    #[test]
    fn the_reminder_window_runs_from_the_reminder_day_to_the_due_date() {
        let c = calendar();
        let due = Some(d("2026-10-16"));
        assert!(!reminder_due(&c, Status::Forwarded, due, d("2026-10-13")));
        assert!(reminder_due(&c, Status::Forwarded, due, d("2026-10-14")));
        assert!(reminder_due(&c, Status::Forwarded, due, d("2026-10-16")));
        assert!(!reminder_due(&c, Status::Forwarded, due, d("2026-10-17")));
        assert!(!reminder_due(&c, Status::Responded, due, d("2026-10-15")));
    }

    #[test]
    fn answers_on_the_due_date_are_in_time_and_later_ones_are_not() {
        let due = Some(d("2026-10-16"));
        assert_eq!(answered_in_time(due, d("2026-10-16")), Some(true));
        assert_eq!(answered_in_time(due, d("2026-10-17")), Some(false));
        assert_eq!(answered_in_time(None, d("2026-10-17")), None);
    }

    #[test]
    fn review_and_response_clocks_skip_holidays_and_count_make_up_days() {
        let c = calendar();
        // Received Wednesday 30 Sep: 8, 9, 10 (make-up), 12, 13, 14, 15 October.
        let clocks = crate::domain::lane::Clocks::default();
        assert_eq!(
            clocks.review_due(&c, d("2026-09-30"), false),
            d("2026-10-15")
        );
        assert_eq!(
            clocks.response_due(&c, d("2026-09-30"), false),
            d("2026-10-20")
        );
        assert!(is_review_overdue(
            Status::Received,
            Some(d("2026-10-15")),
            d("2026-10-16")
        ));
        assert!(!is_review_overdue(
            Status::Accepted,
            Some(d("2026-10-15")),
            d("2026-10-16")
        ));
    }

    #[test]
    fn deadline_kinds_round_trip_their_codes() {
        for k in DeadlineKind::ALL {
            assert_eq!(DeadlineKind::parse(k.code()), Some(*k));
        }
        assert_eq!(DeadlineKind::parse("NO_RESPONSE"), None);
    }

    #[test]
    fn links_last_thirty_days_past_the_due_date_and_extensions_add_working_days() {
        assert_eq!(link_valid_until(d("2026-10-16")), d("2026-11-15"));
        assert_eq!(
            extended_due(&calendar(), d("2026-10-16"), 5),
            d("2026-10-23")
        );
    }
}
