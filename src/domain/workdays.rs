//! Working-day clocks (12315 rules): Monday–Friday, minus official holidays, plus make-up
//! working days. The calendar is data loaded from the `holidays` table.
use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// What the calendar says about one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    Holiday,
    Workday,
}

/// Holiday calendar: exceptions to the Monday–Friday rule.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    days: HashMap<NaiveDate, DayKind>,
}

impl Calendar {
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Calendar {
        Calendar {
            days: days.into_iter().collect(),
        }
    }

    /// Whether people work on this date.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The date on which `n` working days have passed, counting from the day after `start`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Whether the calendar has any row for the given year.
    pub fn covers_year(&self, year: i32) -> bool {
        self.days.keys().any(|d| d.year() == year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal_2026() -> Calendar {
        let mut v = vec![];
        for s in [
            "2026-09-25",
            "2026-09-26",
            "2026-09-27",
            "2026-10-01",
            "2026-10-02",
            "2026-10-03",
            "2026-10-04",
            "2026-10-05",
            "2026-10-06",
            "2026-10-07",
            "2026-02-15",
            "2026-02-16",
            "2026-02-17",
            "2026-02-18",
            "2026-02-19",
            "2026-02-20",
            "2026-02-21",
            "2026-02-22",
            "2026-02-23",
        ] {
            v.push((d(s), DayKind::Holiday));
        }
        for s in ["2026-09-20", "2026-10-10", "2026-02-14", "2026-02-28"] {
            v.push((d(s), DayKind::Workday));
        }
        Calendar::new(v)
    }

    #[test]
    fn worked_examples_from_the_holiday_reference() {
        let c = cal_2026();
        assert_eq!(c.add_working_days(d("2026-09-18"), 7), d("2026-09-29"));
        assert_eq!(c.add_working_days(d("2026-09-30"), 10), d("2026-10-20"));
        assert_eq!(c.add_working_days(d("2026-02-12"), 7), d("2026-02-28"));
    }

    #[test]
    fn years_without_rows_fall_back_to_weekdays() {
        let c = cal_2026();
        assert!(!c.covers_year(2027));
        // Friday 2027-01-01 counts as a plain weekday until an admin enters 2027.
        assert_eq!(c.add_working_days(d("2026-12-31"), 1), d("2027-01-01"));
    }
}
