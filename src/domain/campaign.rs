//! Campaigns (专项整治): which complaints a campaign's scope takes in, its tags, and the
//! before / during / after periods its figures compare.
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use crate::domain::format::shanghai;

/// What a campaign covers besides its dates; an empty list means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub sectors: Vec<String>,
    pub obstacles: Vec<String>,
    pub companies: Vec<i64>,
}

impl Scope {
    /// Whether a complaint of `sector`, matched to `company` (if any), with the counted
    /// obstacle codes `codes` is in scope.
    pub fn matches(&self, sector: &str, company: Option<i64>, codes: &[String]) -> bool {
        (self.sectors.is_empty() || self.sectors.iter().any(|s| s == sector))
            && (self.companies.is_empty() || company.is_some_and(|c| self.companies.contains(&c)))
            && (self.obstacles.is_empty() || codes.iter().any(|c| self.obstacles.contains(c)))
    }
}

/// A `;`-separated stored list as values.
pub fn split(stored: &str) -> Vec<String> {
    stored
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Tags as stored on a complaint (`complaints.tags`): sorted, each once, `;`-joined.
pub fn join_tags<'a>(tags: impl IntoIterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = tags.into_iter().filter(|t| !t.is_empty()).collect();
    v.sort_unstable();
    v.dedup();
    v.join(";")
}

/// Whether `tag` can be a campaign tag: 1–40 characters, letters (any script), digits, `-`,
/// `_` and `.`, so it survives the `;`-joined export cell and needs no quoting.
pub fn valid_tag(tag: &str) -> bool {
    let n = tag.chars().count();
    (1..=40).contains(&n)
        && tag
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The first instant of Shanghai day `d`, in UTC.
pub fn day_start(d: NaiveDate) -> DateTime<Utc> {
    shanghai()
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// A span of whole Shanghai days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Days {
    /// Number of days in the span.
    pub fn len(self) -> i64 {
        (self.last - self.first).num_days() + 1
    }

    pub fn is_empty(self) -> bool {
        self.len() <= 0
    }

    /// `[start, end)` in UTC.
    pub fn bounds(self) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            day_start(self.first),
            day_start(self.last + Duration::days(1)),
        )
    }
}

/// The three periods a campaign's figures compare. `before` is as long as the campaign;
/// `after` starts the day after it ends and is as long, cut at `today` (then `after_cut`);
/// `during` is cut at `today` while the campaign runs (then `during_cut`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    pub length: i64,
    pub before: Days,
    pub during: Option<Days>,
    pub during_cut: bool,
    pub after: Option<Days>,
    pub after_cut: bool,
}

impl Periods {
    /// The periods of a campaign from `starts_on` to `ends_on` (both included), as of `today`.
    pub fn of(starts_on: NaiveDate, ends_on: NaiveDate, today: NaiveDate) -> Periods {
        let length = (ends_on - starts_on).num_days() + 1;
        let before = Days {
            first: starts_on - Duration::days(length),
            last: starts_on - Duration::days(1),
        };
        let during = Days {
            first: starts_on,
            last: ends_on.min(today),
        };
        let full_after = Days {
            first: ends_on + Duration::days(1),
            last: ends_on + Duration::days(length),
        };
        let after = Days {
            first: full_after.first,
            last: full_after.last.min(today),
        };
        Periods {
            length,
            before,
            during: (!during.is_empty()).then_some(during),
            during_cut: !during.is_empty() && during.last < ends_on,
            after: (!after.is_empty()).then_some(after),
            after_cut: !after.is_empty() && after.last < full_after.last,
        }
    }
}

/// Complaints per week over `days` days.
pub fn per_week(n: i64, days: i64) -> f64 {
    if days <= 0 {
        0.0
    } else {
        n as f64 * 7.0 / days as f64
    }
}

/// Relative change from `from` to `to`; none when `from` is zero.
pub fn change(from: f64, to: f64) -> Option<f64> {
    (from > 0.0).then(|| (to - from) / from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_are_as_long_as_the_campaign_and_cut_at_today() {
        let p = Periods::of(d("2026-03-01"), d("2026-03-31"), d("2026-12-07"));
        assert_eq!(p.length, 31);
        assert_eq!(p.before.first, d("2026-01-29"));
        assert_eq!(p.before.len(), 31);
        assert_eq!(p.during.unwrap().len(), 31);
        assert_eq!(p.after.unwrap().first, d("2026-04-01"));
        assert_eq!(p.after.unwrap().len(), 31);
        assert!(!p.after_cut && !p.during_cut);
        let p = Periods::of(d("2026-11-01"), d("2026-11-30"), d("2026-12-07"));
        assert_eq!(p.after.unwrap().len(), 7);
        assert!(p.after_cut);
        let p = Periods::of(d("2026-12-01"), d("2026-12-31"), d("2026-12-07"));
        assert_eq!(p.during.unwrap().len(), 7);
        assert!(p.during_cut && p.after.is_none());
        let p = Periods::of(d("2027-01-01"), d("2027-01-31"), d("2026-12-07"));
        assert!(p.during.is_none() && p.after.is_none());
    }

    #[test]
    fn a_scope_with_empty_lists_takes_everything() {
        let any = Scope::default();
        assert!(any.matches("telecom", None, &[]));
        let s = Scope {
            sectors: vec!["telecom".into()],
            obstacles: vec!["RETAIN".into()],
            companies: vec![7],
        };
        assert!(s.matches("telecom", Some(7), &["RETAIN".into(), "WINDOW".into()]));
        assert!(!s.matches("gaming", Some(7), &["RETAIN".into()]));
        assert!(!s.matches("telecom", None, &["RETAIN".into()]));
        assert!(!s.matches("telecom", Some(7), &["WINDOW".into()]));
    }

    #[test]
    fn tags_are_sorted_once_and_checked() {
        assert_eq!(join_tags(["b", "a", "b", ""]), "a;b");
        assert!(valid_tag("2026-降级整治"));
        assert!(!valid_tag("a;b") && !valid_tag("a b") && !valid_tag(""));
        assert_eq!(per_week(10, 14), 5.0);
        assert_eq!(change(10.0, 5.0), Some(-0.5));
        assert_eq!(change(0.0, 5.0), None);
    }

    #[test]
    fn a_day_starts_at_midnight_in_shanghai() {
        assert_eq!(
            day_start(d("2026-11-01")).to_rfc3339(),
            "2026-10-31T16:00:00+00:00"
        );
    }
}
