//! Campaign figures for regulators (`/regulator/campaigns`, `/regulator/campaigns/{id}`): the
//! complaints in a campaign's scope before, during and after it, in equally long periods, with
//! the comparison written out and charts beside the tables.
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;

use crate::domain::campaign::{change, Days};
use crate::domain::format;
use crate::entities::campaign;
use crate::error::AppError;
use crate::services::campaigns::figures::{figures, tagged_counts, PeriodFigures};
use crate::services::campaigns::{self, scope_of};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::charts::{bars, Bar};
use crate::web::shared::page::StaffPage;
use crate::web::staff::forms::parse_id;

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/regulator/campaigns",
            &["GET"],
            Access::Regulator,
            get(list),
        )
        .add(
            "/regulator/campaigns/{id}",
            &["GET"],
            Access::Regulator,
            get(show),
        )
}

/// `upcoming`, `running` or `ended` as of today.
fn phase(c: &campaign::Model, today: chrono::NaiveDate) -> &'static str {
    if today < c.starts_on {
        "upcoming"
    } else if today <= c.ends_on {
        "running"
    } else {
        "ended"
    }
}

#[derive(Serialize)]
struct Row {
    id: i64,
    name: String,
    tag: String,
    dates: String,
    phase: &'static str,
    tagged: i64,
}

#[derive(Serialize)]
struct ListView {
    rows: Vec<Row>,
}

async fn list(page: StaffPage) -> Result<Response, AppError> {
    let db = &page.state.db.read;
    let today = format::today();
    let counts = tagged_counts(db).await?;
    let rows = campaigns::list(db)
        .await?
        .into_iter()
        .map(|c| Row {
            phase: phase(&c, today),
            tagged: counts.get(&c.id).copied().unwrap_or(0),
            dates: format!(
                "{} – {}",
                format::date(c.starts_on, page.lang),
                format::date(c.ends_on, page.lang)
            ),
            id: c.id,
            name: c.name,
            tag: c.tag,
        })
        .collect();
    page.render_at(
        "/regulator/campaigns",
        "regulator/campaigns.html",
        &ListView { rows },
        StatusCode::OK,
    )
    .await
}

/// One period's column of the figures table.
#[derive(Serialize)]
struct PeriodView {
    key: &'static str,
    dates: String,
    days: i64,
    complaints: i64,
    per_week: String,
    timely: String,
    timely_of: String,
    resolution: String,
    resolution_of: String,
}

/// One obstacle code's mentions in each period (`None` for a period not yet begun).
#[derive(Serialize)]
struct MixRow {
    code: String,
    name: String,
    cells: Vec<Option<String>>,
}

#[derive(Serialize)]
struct ShowView {
    id: i64,
    name: String,
    tag: String,
    description: String,
    dates: String,
    phase: &'static str,
    length: i64,
    scope: Vec<(String, String)>,
    periods: Vec<PeriodView>,
    sentences: Vec<String>,
    notes: Vec<String>,
    mix: Vec<MixRow>,
    chart_per_week: String,
    chart_timely: String,
    chart_resolution: String,
    is_admin: bool,
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{:.1} %", v * 100.0))
}

fn dates(page: &StaffPage, d: Days) -> String {
    format!(
        "{} – {}",
        format::date(d.first, page.lang),
        format::date(d.last, page.lang)
    )
}

/// "Complaints per week fell from 12.0 to 8.5 (−29.2 %)": `metric` names the figure; rates
/// change in percentage points.
fn sentence(
    page: &StaffPage,
    metric: &str,
    span: &str,
    from: Option<f64>,
    to: Option<f64>,
    rate: bool,
) -> Option<String> {
    let (from, to) = (from?, to?);
    let show = |v: f64| {
        if rate {
            format!("{:.1} %", v * 100.0)
        } else {
            format!("{v:.1}")
        }
    };
    let name = page.msg(&format!("campaigns.metric.{metric}"));
    let span = page.msg(&format!("campaigns.span.{span}"));
    let (key, diff) = if (to - from).abs() < 1e-9 {
        ("campaigns.sentence.same", String::new())
    } else {
        let diff = if rate {
            format!("{:+.1} pp", (to - from) * 100.0)
        } else {
            change(from, to).map_or_else(|| "–".into(), |c| format!("{:+.1} %", c * 100.0))
        };
        let key = if to < from {
            "campaigns.sentence.fell"
        } else {
            "campaigns.sentence.rose"
        };
        (key, diff.replace('-', "−"))
    };
    Some(page.fmt(
        key,
        &[
            ("metric", &name),
            ("span", &span),
            ("from", &show(from)),
            ("to", &show(to)),
            ("diff", &diff),
        ],
    ))
}

async fn show(page: StaffPage, Path(id): Path<String>) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let db = &page.state.db.read;
    let c = campaigns::find(db, id).await?.ok_or(AppError::NotFound)?;
    let today = format::today();
    let f = figures(db, &c, today).await?;
    let reference = page.state.reference();
    let scope = scope_of(&c);
    let any = page.msg("campaigns.any");
    let join = |v: Vec<String>| {
        if v.is_empty() {
            any.clone()
        } else {
            v.join("、")
        }
    };
    let companies = campaigns::company_names(db, &scope.companies).await?;
    let scope_view = vec![
        (
            page.msg("campaigns.fields.sectors"),
            join(
                scope
                    .sectors
                    .iter()
                    .map(|s| page.msg(&format!("sector.{s}")))
                    .collect(),
            ),
        ),
        (
            page.msg("campaigns.fields.obstacles"),
            join(
                scope
                    .obstacles
                    .iter()
                    .map(|o| {
                        format!(
                            "{o} {}",
                            reference.obstacle_name(o, page.lang).unwrap_or_default()
                        )
                    })
                    .collect(),
            ),
        ),
        (
            page.msg("campaigns.fields.companies"),
            join(companies.into_iter().map(|(_, n)| n).collect()),
        ),
    ];
    let all: Vec<(&'static str, Option<Days>, Option<&PeriodFigures>)> = vec![
        ("before", Some(f.periods.before), Some(&f.before)),
        ("during", f.periods.during, f.during.as_ref()),
        ("after", f.periods.after, f.after.as_ref()),
    ];
    let periods: Vec<PeriodView> = all
        .iter()
        .filter_map(|(key, d, p)| Some((*key, (*d)?, (*p)?)))
        .map(|(key, d, p)| PeriodView {
            key,
            dates: dates(&page, d),
            days: p.days,
            complaints: p.complaints,
            per_week: format!("{:.1}", p.per_week),
            timely: pct(p.timely_rate()),
            timely_of: format!("{}/{}", p.timely_yes, p.timely_known),
            resolution: pct(p.resolution_rate()),
            resolution_of: format!("{}/{}", p.resolved, p.closed),
        })
        .collect();
    let mut sentences = Vec::new();
    for (span, other) in [("during", f.during.as_ref()), ("after", f.after.as_ref())] {
        let Some(o) = other else { continue };
        let b = &f.before;
        sentences.extend(
            [
                sentence(
                    &page,
                    "per_week",
                    span,
                    Some(b.per_week),
                    Some(o.per_week),
                    false,
                ),
                sentence(
                    &page,
                    "timely",
                    span,
                    b.timely_rate(),
                    o.timely_rate(),
                    true,
                ),
                sentence(
                    &page,
                    "resolution",
                    span,
                    b.resolution_rate(),
                    o.resolution_rate(),
                    true,
                ),
            ]
            .into_iter()
            .flatten(),
        );
    }
    let length = f.periods.length.to_string();
    let mut notes = vec![page.fmt("campaigns.note.equal", &[("days", &length)])];
    if let (true, Some(d)) = (f.periods.during_cut, f.during.as_ref()) {
        notes.push(page.fmt(
            "campaigns.note.during_cut",
            &[("n", &d.days.to_string()), ("days", &length)],
        ));
    }
    match (f.periods.after_cut, f.after.as_ref()) {
        (true, Some(a)) => notes.push(page.fmt(
            "campaigns.note.after_cut",
            &[("n", &a.days.to_string()), ("days", &length)],
        )),
        (_, None) => notes.push(page.msg("campaigns.note.no_after")),
        _ => {}
    }
    // The obstacle mix: every code mentioned in any period.
    let shown: Vec<Option<&PeriodFigures>> =
        vec![Some(&f.before), f.during.as_ref(), f.after.as_ref()];
    let mut codes: Vec<String> = shown
        .iter()
        .flatten()
        .flat_map(|p| p.obstacles.iter().map(|(c, _)| c.clone()))
        .collect();
    codes.sort_by_key(|c| {
        reference
            .obstacles
            .iter()
            .position(|o| &o.code == c)
            .unwrap_or(usize::MAX)
    });
    codes.dedup();
    let mix = codes
        .into_iter()
        .map(|code| MixRow {
            name: reference
                .obstacle_name(&code, page.lang)
                .unwrap_or_default()
                .to_string(),
            cells: shown
                .iter()
                .filter(|p| p.is_some())
                .map(|p| {
                    p.map(|p| {
                        let n = p
                            .obstacles
                            .iter()
                            .find(|(c, _)| *c == code)
                            .map_or(0, |(_, n)| *n);
                        let share = if p.complaints > 0 {
                            format!(" ({:.0} %)", n as f64 * 100.0 / p.complaints as f64)
                        } else {
                            String::new()
                        };
                        format!("{n}{share}")
                    })
                })
                .collect(),
            code,
        })
        .collect();
    let label = |key: &str| page.msg(&format!("campaigns.period.{key}"));
    let chart =
        |id: &str, title_key: &str, value: &dyn Fn(&PeriodFigures) -> Option<f64>, rate: bool| {
            let items: Vec<Bar> = all
                .iter()
                .filter_map(|(key, _, p)| Some((*key, (*p)?)))
                .map(|(key, p)| {
                    let v = value(p);
                    Bar::new(
                        label(key),
                        v.unwrap_or(0.0) * if rate { 100.0 } else { 1.0 },
                        if rate {
                            pct(v)
                        } else {
                            format!("{:.1}", v.unwrap_or(0.0))
                        },
                    )
                })
                .collect();
            let title = page.msg(title_key);
            bars(
                id,
                &title,
                &page.fmt("campaigns.chart_desc", &[("what", &title)]),
                &items,
            )
        };
    let view = ShowView {
        id: c.id,
        dates: format!(
            "{} – {}",
            format::date(c.starts_on, page.lang),
            format::date(c.ends_on, page.lang)
        ),
        phase: phase(&c, today),
        length: f.periods.length,
        scope: scope_view,
        chart_per_week: chart(
            "cw",
            "campaigns.metric.per_week",
            &|p| Some(p.per_week),
            false,
        ),
        chart_timely: chart("ct", "campaigns.metric.timely", &|p| p.timely_rate(), true),
        chart_resolution: chart(
            "cr",
            "campaigns.metric.resolution",
            &|p| p.resolution_rate(),
            true,
        ),
        periods,
        sentences,
        notes,
        mix,
        name: c.name,
        tag: c.tag,
        description: c.description,
        is_admin: page.user.role == crate::domain::Role::Admin,
    };
    page.render_at(
        &format!("/regulator/campaigns/{id}"),
        "regulator/campaign.html",
        &view,
        StatusCode::OK,
    )
    .await
}
