//! Seeds the mainland-China holiday calendar (2025–2026) used by the working-day clocks.
//! Rows are data that admins edit; 2027 is added by an admin once the State Council publishes it.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `date_from,date_to,kind,name` exactly as in the State Council notices.
const CALENDAR: &str = "\
2025-01-01,2025-01-01,holiday,元旦
2025-01-26,2025-01-26,workday,春节调休
2025-01-28,2025-02-04,holiday,春节
2025-02-08,2025-02-08,workday,春节调休
2025-04-04,2025-04-06,holiday,清明节
2025-04-27,2025-04-27,workday,劳动节调休
2025-05-01,2025-05-05,holiday,劳动节
2025-05-31,2025-06-02,holiday,端午节
2025-09-28,2025-09-28,workday,国庆节调休
2025-10-01,2025-10-08,holiday,国庆节、中秋节
2025-10-11,2025-10-11,workday,国庆节调休
2026-01-01,2026-01-03,holiday,元旦
2026-01-04,2026-01-04,workday,元旦调休
2026-02-14,2026-02-14,workday,春节调休
2026-02-15,2026-02-23,holiday,春节
2026-02-28,2026-02-28,workday,春节调休
2026-04-04,2026-04-06,holiday,清明节
2026-05-01,2026-05-05,holiday,劳动节
2026-05-09,2026-05-09,workday,劳动节调休
2026-06-19,2026-06-21,holiday,端午节
2026-09-20,2026-09-20,workday,国庆节调休
2026-09-25,2026-09-27,holiday,中秋节
2026-10-01,2026-10-07,holiday,国庆节
2026-10-10,2026-10-10,workday,国庆节调休";

/// Expands the ranges into one row per day as ISO dates.
fn days() -> Vec<(String, &'static str, &'static str)> {
    let mut out = Vec::new();
    for line in CALENDAR.lines() {
        let parts: Vec<&str> = line.split(',').collect();
        let (from, to, kind, name) = (parts[0], parts[1], parts[2], parts[3]);
        let (fy, fm, fd) = ymd(from);
        let (_, _, td) = ymd(to);
        let (_, tm, _) = ymd(to);
        // Ranges in the notices never span more than two months; walk day by day.
        let (mut y, mut mth, mut d) = (fy, fm, fd);
        loop {
            out.push((format!("{y:04}-{mth:02}-{d:02}"), kind, name));
            if mth == tm && d == td {
                break;
            }
            d += 1;
            if d > days_in_month(y, mth) {
                d = 1;
                mth += 1;
                if mth > 12 {
                    mth = 1;
                    y += 1;
                }
            }
        }
    }
    out
}

fn ymd(s: &str) -> (u32, u32, u32) {
    let p: Vec<u32> = s.split('-').map(|x| x.parse().unwrap_or(0)).collect();
    (p[0], p[1], p[2])
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        _ => 28,
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut q = Query::insert();
        q.into_table(Alias::new("holidays")).columns([
            Alias::new("day"),
            Alias::new("kind"),
            Alias::new("name"),
        ]);
        // PostgreSQL needs the text cast to `date`; SQLite stores dates as ISO text already
        // (and would turn `CAST(.. AS date)` into a number).
        let is_pg =
            m.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Postgres;
        for (day, kind, name) in days() {
            let day_expr = if is_pg {
                Expr::val(day).cast_as(Alias::new("date"))
            } else {
                SimpleExpr::from(day)
            };
            q.values_panic([day_expr, kind.into(), name.into()]);
        }
        m.exec_stmt(q.to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.exec_stmt(
            Query::delete()
                .from_table(Alias::new("holidays"))
                .to_owned(),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn national_day_2026_expands_to_seven_days() {
        let d = super::days();
        let n = d
            .iter()
            .filter(|(day, _, name)| day.starts_with("2026-10") && *name == "国庆节")
            .count();
        assert_eq!(n, 7);
        assert!(d
            .iter()
            .any(|(day, kind, _)| day == "2026-02-28" && *kind == "workday"));
        assert!(d.iter().any(|(day, _, _)| day == "2025-01-31"));
    }
}
