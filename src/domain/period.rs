//! Calendar months and named report periods (`2026-10`, `2026-Q3`, `2026`): the grain of every
//! statistic. Months are Asia/Shanghai calendar months of `received_at`.
use std::fmt;

use chrono::{Datelike, NaiveDate};

/// Years a period may name (anything else is a typo, not a report).
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// One calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    /// A month from its parts, if the year is plausible and the month is 1–12.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (YEARS.contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        Month::new(y.parse().ok()?, m.parse().ok()?)
    }

    /// The month a day falls in.
    pub fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// The stable code `YYYY-MM` (also how rollups store it).
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    fn from_index(i: i64) -> Month {
        Month {
            year: i.div_euclid(12) as i32,
            month: (i.rem_euclid(12) + 1) as u32,
        }
    }

    /// The month `n` months later (earlier for negative `n`).
    pub fn plus(self, n: i64) -> Month {
        Month::from_index(self.index() + n)
    }

    /// Months from `self` to `to`, both included (empty if `to` is earlier).
    pub fn through(self, to: Month) -> Vec<Month> {
        (self.index()..=to.index()).map(Month::from_index).collect()
    }

    /// Number of months from `self` to `to`, both included.
    pub fn span(self, to: Month) -> i64 {
        (to.index() - self.index() + 1).max(0)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.plus(1)
            .first_day()
            .pred_opt()
            .unwrap_or(NaiveDate::MIN)
    }
}

/// The first instant of a month in Asia/Shanghai, in UTC.
pub fn shanghai_start(m: Month) -> chrono::DateTime<chrono::Utc> {
    let local = m.first_day().and_time(chrono::NaiveTime::MIN) - chrono::Duration::hours(8);
    local.and_utc()
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

/// A report period: a month, a quarter or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month(Month),
    Quarter { year: i32, quarter: u32 },
    Year(i32),
}

impl Period {
    /// Parses `2026-10`, `2026-Q3` (or `2026-q3`) and `2026`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        if s.len() == 4 {
            let y: i32 = s.parse().ok()?;
            return YEARS.contains(&y).then_some(Period::Year(y));
        }
        if let Some((y, q)) = s.split_once(['-']) {
            if let Some(q) = q.strip_prefix(['Q', 'q']) {
                let year: i32 = if y.len() == 4 {
                    y.parse().ok()?
                } else {
                    return None;
                };
                let quarter: u32 = if q.len() == 1 {
                    q.parse().ok()?
                } else {
                    return None;
                };
                return (YEARS.contains(&year) && (1..=4).contains(&quarter))
                    .then_some(Period::Quarter { year, quarter });
            }
        }
        Month::parse(s).map(Period::Month)
    }

    /// The canonical code (`2026-Q3`).
    pub fn code(self) -> String {
        match self {
            Period::Month(m) => m.code(),
            Period::Quarter { year, quarter } => format!("{year:04}-Q{quarter}"),
            Period::Year(y) => format!("{y:04}"),
        }
    }

    pub fn first(self) -> Month {
        match self {
            Period::Month(m) => m,
            Period::Quarter { year, quarter } => Month {
                year,
                month: quarter * 3 - 2,
            },
            Period::Year(year) => Month { year, month: 1 },
        }
    }

    pub fn last(self) -> Month {
        match self {
            Period::Month(m) => m,
            Period::Quarter { year, quarter } => Month {
                year,
                month: quarter * 3,
            },
            Period::Year(year) => Month { year, month: 12 },
        }
    }

    /// The period of the same kind just before this one (for "change against").
    pub fn previous(self) -> Period {
        match self {
            Period::Month(m) => Period::Month(m.plus(-1)),
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::Year(y) => Period::Year(y - 1),
        }
    }

    /// Which kind, for message keys: `month`, `quarter`, `year`.
    pub fn kind(self) -> &'static str {
        match self {
            Period::Month(_) => "month",
            Period::Quarter { .. } => "quarter",
            Period::Year(_) => "year",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_in_the_three_documented_shapes() {
        let q = Period::parse("2026-Q3").unwrap();
        assert_eq!(
            (q.first().code(), q.last().code()),
            ("2026-07".into(), "2026-09".into())
        );
        assert_eq!(Period::parse("2026-q1").unwrap().code(), "2026-Q1");
        let m = Period::parse("2026-10").unwrap();
        assert_eq!(
            (m.first(), m.last()),
            (
                Month {
                    year: 2026,
                    month: 10
                },
                Month {
                    year: 2026,
                    month: 10
                }
            )
        );
        let y = Period::parse("2026").unwrap();
        assert_eq!(
            (y.first().code(), y.last().code()),
            ("2026-01".into(), "2026-12".into())
        );
    }

    #[test]
    fn nonsense_periods_are_refused() {
        for bad in [
            "",
            "2026-Q5",
            "2026-Q0",
            "2026-13",
            "2026-00",
            "26-10",
            "2026-1",
            "1999",
            "abcd",
            "2026-Q33",
            "2026-10-01",
            "DW-2222",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn previous_periods_cross_year_boundaries() {
        assert_eq!(
            Period::parse("2026-Q1").unwrap().previous().code(),
            "2025-Q4"
        );
        assert_eq!(
            Period::parse("2026-01").unwrap().previous().code(),
            "2025-12"
        );
        assert_eq!(Period::parse("2026").unwrap().previous().code(), "2025");
    }

    #[test]
    fn months_count_and_step() {
        let a = Month::parse("2025-11").unwrap();
        let b = Month::parse("2026-02").unwrap();
        assert_eq!(a.span(b), 4);
        assert_eq!(
            a.through(b).iter().map(|m| m.code()).collect::<Vec<_>>(),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert_eq!(b.plus(-14).code(), "2024-12");
        assert_eq!(
            Month::parse("2024-02").unwrap().last_day().to_string(),
            "2024-02-29"
        );
    }
}
