//! The priority lane (绿色通道) for plan-change complaints: which complaints enter it at intake,
//! and the clocks of lane and non-lane cases.
use chrono::NaiveDate;

use super::deadlines::{RESPONSE_WORKING_DAYS, REVIEW_WORKING_DAYS};
use super::workdays::Calendar;
use super::RequestedAction;

/// Default working days to decide on accepting a lane case.
pub const LANE_REVIEW_WORKING_DAYS: u32 = 3;
/// Default working days for the company's answer to a lane case.
pub const LANE_RESPONSE_WORKING_DAYS: u32 = 5;

/// Whether a complaint enters the lane at intake: a downgrade, a cancellation, stopping the
/// automatic renewal (a cancellation of the next period), or "other" naming two different plans
/// (a plan change the consumer could not file under the other actions). Refunds alone are not
/// plan changes and stay out.
pub fn enters_lane(
    action: RequestedAction,
    plan_from: Option<&str>,
    plan_to: Option<&str>,
) -> bool {
    match action {
        RequestedAction::Downgrade | RequestedAction::Cancel | RequestedAction::StopAutoRenewal => {
            true
        }
        RequestedAction::Refund => false,
        RequestedAction::Other => match (plan_from, plan_to) {
            (Some(a), Some(b)) => {
                let (a, b) = (a.trim(), b.trim());
                !a.is_empty() && !b.is_empty() && a.to_lowercase() != b.to_lowercase()
            }
            _ => false,
        },
    }
}

/// The working-day clocks of a case, by lane. The non-lane clocks are the legal ones (7 and 10
/// working days); the lane's are set by an admin, never longer than those.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    pub lane_review_days: u32,
    pub lane_response_days: u32,
}

impl Default for Clocks {
    fn default() -> Self {
        Clocks {
            lane_review_days: LANE_REVIEW_WORKING_DAYS,
            lane_response_days: LANE_RESPONSE_WORKING_DAYS,
        }
    }
}

/// Why a lane clock was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockError {
    /// Not a whole number of working days in `1..=max`.
    OutOfRange { max: u32 },
}

impl Clocks {
    /// Working days to decide on acceptance.
    pub fn review_days(&self, lane: bool) -> u32 {
        if lane {
            self.lane_review_days
        } else {
            REVIEW_WORKING_DAYS
        }
    }

    /// Working days for the company's answer.
    pub fn response_days(&self, lane: bool) -> u32 {
        if lane {
            self.lane_response_days
        } else {
            RESPONSE_WORKING_DAYS
        }
    }

    /// The review due date of a complaint received on `received`.
    pub fn review_due(&self, calendar: &Calendar, received: NaiveDate, lane: bool) -> NaiveDate {
        calendar.add_working_days(received, self.review_days(lane))
    }

    /// The response due date of a complaint forwarded on `forwarded`.
    pub fn response_due(&self, calendar: &Calendar, forwarded: NaiveDate, lane: bool) -> NaiveDate {
        calendar.add_working_days(forwarded, self.response_days(lane))
    }

    /// Parses the two lane clocks as typed by an admin.
    pub fn parse(
        review: &str,
        response: &str,
    ) -> (Result<u32, ClockError>, Result<u32, ClockError>) {
        (
            parse_days(review, REVIEW_WORKING_DAYS),
            parse_days(response, RESPONSE_WORKING_DAYS),
        )
    }
}

fn parse_days(s: &str, max: u32) -> Result<u32, ClockError> {
    match s.trim().parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(ClockError::OutOfRange { max }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workdays::DayKind;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn plan_changes_enter_the_lane_and_refunds_do_not() {
        use RequestedAction::*;
        assert!(enters_lane(Downgrade, None, None));
        assert!(enters_lane(Cancel, None, None));
        assert!(enters_lane(StopAutoRenewal, None, None));
        assert!(!enters_lane(Refund, Some("VIP"), Some("Basic")));
        assert!(enters_lane(Other, Some("超级VIP"), Some("基础版")));
        assert!(!enters_lane(Other, Some("VIP"), Some(" vip ")));
        assert!(!enters_lane(Other, Some("VIP"), None));
        assert!(!enters_lane(Other, Some(""), Some("Basic")));
    }

    #[test]
    fn lane_clocks_are_shorter_and_skip_holidays() {
        let cal = Calendar::new(
            (1..=7)
                .map(|n| (d(&format!("2026-10-{n:02}")), DayKind::Holiday))
                .chain([(d("2026-10-10"), DayKind::Workday)]),
        );
        let c = Clocks::default();
        // Received Wednesday 30 Sep: 8, 9, 10 (make-up) October.
        assert_eq!(c.review_due(&cal, d("2026-09-30"), true), d("2026-10-10"));
        assert_eq!(c.review_due(&cal, d("2026-09-30"), false), d("2026-10-15"));
        assert_eq!(c.response_due(&cal, d("2026-09-30"), true), d("2026-10-13"));
        assert_eq!(
            c.response_due(&cal, d("2026-09-30"), false),
            d("2026-10-20")
        );
    }

    #[test]
    fn lane_clocks_must_be_between_one_day_and_the_legal_clock() {
        assert_eq!(Clocks::parse(" 2 ", "5"), (Ok(2), Ok(5)));
        assert_eq!(
            Clocks::parse("0", "11"),
            (
                Err(ClockError::OutOfRange { max: 7 }),
                Err(ClockError::OutOfRange { max: 10 })
            )
        );
        assert!(Clocks::parse("abc", "-1").0.is_err());
    }
}
