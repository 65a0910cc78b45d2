//! Display formats: dates in Asia/Shanghai, money as ¥59.00.
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::domain::Language;

/// China Standard Time (no daylight saving).
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// Today's date in Asia/Shanghai.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&shanghai()).date_naive()
}

pub fn date(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::ZhCn => d.format("%Y年%-m月%-d日").to_string(),
        Language::En => d.format("%-d %b %Y").to_string(),
    }
}

pub fn datetime(dt: DateTime<Utc>, lang: Language) -> String {
    let local = dt.with_timezone(&shanghai());
    match lang {
        Language::ZhCn => local.format("%Y年%-m月%-d日 %H:%M").to_string(),
        Language::En => local.format("%-d %b %Y, %H:%M").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_shanghai() {
        let dt = DateTime::parse_from_rfc3339("2026-11-25T17:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(datetime(dt, Language::ZhCn), "2026年11月26日 01:30");
        assert_eq!(datetime(dt, Language::En), "26 Nov 2026, 01:30");
    }
}
