//! The holiday calendar as data: official holidays and make-up working days (调休) that admins
//! enter from the State Council's yearly notice. Working-day clocks read it through
//! [`crate::services::reference::Reference`], reloaded after every change.
use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde_json::json;

use crate::domain::workdays::Calendar;
use crate::domain::Language;
use crate::entities::holiday;
use crate::i18n::I18n;
use crate::services::audit::{self, Actor};
use crate::services::companies::{check_text, Problems};

/// Longest range one form may enter (the longest official break is 9 days).
pub const MAX_RANGE_DAYS: i64 = 31;
const MAX_NAME_CHARS: usize = 50;
/// The kinds of calendar rows.
pub const KINDS: [&str; 2] = ["holiday", "workday"];

/// A validated "add" form: every day from `from` to `to` gets `kind` and `name`.
#[derive(Debug, Clone)]
pub struct DayRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kind: &'static str,
    pub name: String,
}

/// Parses a date typed as `YYYY-MM-DD` (years 2000–2100).
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&d.year()))
}

/// Parses the add form; an empty `to` means the single day `from`.
pub fn parse_range(from: &str, to: &str, kind: &str, name: &str) -> Result<DayRange, Problems> {
    let mut p = Problems::default();
    let from_day = match from.trim() {
        "" => {
            p.add("from", "errors.required", vec![]);
            None
        }
        s => parse_day(s).or_else(|| {
            p.add("from", "errors.invalid_date", vec![]);
            None
        }),
    };
    let to_day = match to.trim() {
        "" => from_day,
        s => parse_day(s).or_else(|| {
            p.add("to", "errors.invalid_date", vec![]);
            None
        }),
    };
    let kind = KINDS.iter().copied().find(|k| *k == kind.trim());
    if kind.is_none() {
        p.add(
            "kind",
            "errors.invalid_choice",
            vec![("choices", KINDS.join(", "))],
        );
    }
    let name = check_text(&mut p, "name", name, true, MAX_NAME_CHARS);
    if let (Some(f), Some(t)) = (from_day, to_day) {
        if t < f {
            p.add("to", "holidays.errors.to_before_from", vec![]);
        } else if (t - f).num_days() + 1 > MAX_RANGE_DAYS {
            p.add(
                "to",
                "holidays.errors.range_too_long",
                vec![("max", MAX_RANGE_DAYS.to_string())],
            );
        }
    }
    match (from_day, to_day, kind, name) {
        (Some(from), Some(to), Some(kind), Some(name)) if p.is_empty() => Ok(DayRange {
            from,
            to,
            kind,
            name,
        }),
        _ => Err(p),
    }
}

/// The rows of one year in date order.
pub async fn rows_of_year(
    db: &DatabaseConnection,
    year: i32,
) -> Result<Vec<holiday::Model>, DbErr> {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(Vec::new());
    };
    holiday::Entity::find()
        .filter(holiday::Column::Day.between(first, last))
        .order_by_asc(holiday::Column::Day)
        .all(db)
        .await
}

/// Years that have at least one row.
pub async fn years(db: &DatabaseConnection) -> Result<BTreeSet<i32>, DbErr> {
    // The table holds a few dozen rows a year: reading the dates is cheaper than portable SQL.
    Ok(holiday::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|h| h.day.year())
        .collect())
}

async fn covers(conn: &impl ConnectionTrait, year: i32) -> Result<bool, DbErr> {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(false);
    };
    Ok(holiday::Entity::find()
        .filter(holiday::Column::Day.between(first, last))
        .count(conn)
        .await?
        > 0)
}

/// Of the year of `today` and the next one, those without any calendar row.
pub async fn missing_years(db: &DatabaseConnection, today: NaiveDate) -> Result<Vec<i32>, DbErr> {
    let mut out = Vec::new();
    for y in [today.year(), today.year() + 1] {
        if !covers(db, y).await? {
            out.push(y);
        }
    }
    Ok(out)
}

/// The warning for the admin pages and the staff landing page when the current or next year
/// has no calendar rows (clocks then count Monday–Friday only); `None` when both are entered.
pub async fn calendar_warning(
    db: &DatabaseConnection,
    calendar: &Calendar,
    i18n: &I18n,
    lang: Language,
) -> Option<String> {
    let today = crate::domain::format::today();
    let missing = match missing_years(db, today).await {
        Ok(m) => m,
        Err(e) => {
            // Fall back to this instance's loaded calendar rather than failing the page.
            tracing::warn!(error = %e, "holiday calendar check failed");
            [today.year(), today.year() + 1]
                .into_iter()
                .filter(|y| !calendar.covers_year(*y))
                .collect()
        }
    };
    if missing.is_empty() {
        return None;
    }
    let years: Vec<String> = missing.iter().map(i32::to_string).collect();
    let sep = i18n.msg(lang, "holidays.year_separator");
    Some(i18n.fmt(lang, "holidays.warning", &[("years", &years.join(&sep))]))
}

/// Moves the due dates of open cases to the edited calendar, inside the edit's transaction.
async fn recompute(conn: &impl sea_orm::ConnectionTrait, actor: &Actor) -> Result<(), DbErr> {
    let calendar = crate::services::reference::load_calendar(conn).await?;
    let clocks = crate::store::settings::lane_clocks(conn).await?;
    crate::services::deadlines::recompute::recompute_due_dates(
        conn,
        &calendar,
        clocks,
        actor,
        chrono::Utc::now(),
    )
    .await?;
    Ok(())
}

/// Writes every day of the range (replacing rows already there). Returns (written, replaced).
pub async fn add_range(
    db: &DatabaseConnection,
    r: &DayRange,
    actor: &Actor,
) -> Result<(u64, u64), DbErr> {
    let txn = db.begin().await?;
    let replaced = holiday::Entity::delete_many()
        .filter(holiday::Column::Day.between(r.from, r.to))
        .exec(&txn)
        .await?
        .rows_affected;
    let mut day = r.from;
    let mut written = 0;
    while day <= r.to {
        holiday::ActiveModel {
            day: Set(day),
            kind: Set(r.kind.to_string()),
            name: Set(r.name.clone()),
        }
        .insert(&txn)
        .await?;
        written += 1;
        day += Duration::days(1);
    }
    audit::record(
        &txn,
        actor,
        "holiday_added",
        Some(("holiday", r.from.to_string())),
        Some(json!({ "from": r.from.to_string(), "to": r.to.to_string(), "kind": r.kind, "name": r.name, "days": written, "replaced": replaced })),
    )
    .await?;
    recompute(&txn, actor).await?;
    txn.commit().await?;
    Ok((written, replaced))
}

/// Deletes the row of one day; `false` if there was none.
pub async fn delete_day(
    db: &DatabaseConnection,
    day: NaiveDate,
    actor: &Actor,
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    let Some(row) = holiday::Entity::find_by_id(day).one(&txn).await? else {
        return Ok(false);
    };
    holiday::Entity::delete_by_id(day).exec(&txn).await?;
    audit::record(
        &txn,
        actor,
        "holiday_deleted",
        Some(("holiday", day.to_string())),
        Some(json!({ "kind": row.kind, "name": row.name })),
    )
    .await?;
    recompute(&txn, actor).await?;
    txn.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_checked() {
        let r = parse_range("2027-01-01", "", "holiday", "元旦").unwrap();
        assert_eq!(
            (r.from, r.to),
            (NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), r.from)
        );
        let fields = |e: Problems| e.0.iter().map(|p| p.field).collect::<Vec<_>>();
        assert_eq!(
            fields(parse_range("2027-02-10", "2027-02-01", "holiday", "春节").unwrap_err()),
            ["to"]
        );
        assert_eq!(
            fields(parse_range("2027-01-01", "2027-03-01", "holiday", "x").unwrap_err()),
            ["to"]
        );
        assert_eq!(
            fields(parse_range("27-1-1", "", "day off", "").unwrap_err()),
            ["from", "kind", "name"]
        );
    }
}
