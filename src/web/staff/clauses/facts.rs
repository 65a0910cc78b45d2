//! What the staff and regulator clause pages share: the choices (obstacle codes, legal
//! references), a list row, and the clause's record with its figures (per-month counts with a
//! chart, the before/after comparison written out). No consumer data in here: the regulator
//! pages show exactly this.
use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder, QuerySelect};
use serde::Serialize;

use crate::domain::chart::{format_number, Bar};
use crate::domain::clauses::{ClauseStatus, Trend};
use crate::domain::{format, Language};
use crate::entities::{clause, clause_event, company};
use crate::error::AppError;
use crate::services::clauses::figures::{self, BeforeAfter, Compared};
use crate::services::clauses::{self, Clause, ClauseRow};
use crate::state::AppState;
use crate::web::shared::charts;
use crate::web::shared::page::StaffPage;
use migration::shared::legal::{legal_reference, LEGAL_REFERENCES};

/// A code with its localised name.
#[derive(Serialize, Clone, Debug)]
pub struct Choice {
    pub code: String,
    pub name: String,
}

/// The taxonomy's active obstacle codes with their names.
pub fn obstacle_options(state: &AppState, lang: Language) -> Vec<Choice> {
    state
        .reference()
        .obstacles
        .iter()
        .filter(|o| o.active)
        .map(|o| Choice {
            code: o.code.clone(),
            name: match lang {
                Language::ZhCn => o.name_zh.clone(),
                Language::En => o.name_en.clone(),
            },
        })
        .collect()
}

/// The legal references a clause can be challenged under.
pub fn legal_options(lang: Language) -> Vec<Choice> {
    LEGAL_REFERENCES
        .iter()
        .map(|r| Choice {
            code: r.code.to_string(),
            name: legal_name(r.code, lang),
        })
        .collect()
}

/// A legal reference's name (the code itself if it left the list).
pub fn legal_name(code: &str, lang: Language) -> String {
    match legal_reference(code) {
        Some(r) => match lang {
            Language::ZhCn => r.name_zh.to_string(),
            Language::En => r.name_en.to_string(),
        },
        None => code.to_string(),
    }
}

fn obstacle_choices(state: &AppState, lang: Language, codes: &[String]) -> Vec<Choice> {
    let all = obstacle_options(state, lang);
    codes
        .iter()
        .map(|c| Choice {
            name: all
                .iter()
                .find(|o| &o.code == c)
                .map(|o| o.name.clone())
                .unwrap_or_else(|| c.clone()),
            code: c.clone(),
        })
        .collect()
}

/// Every company name in the directory (the form's suggestions).
pub async fn company_names(conn: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    company::Entity::find()
        .select_only()
        .column(company::Column::Name)
        .order_by_asc(company::Column::NameNorm)
        .limit(5000)
        .into_tuple::<String>()
        .all(conn)
        .await
}

/// The companies that have clauses (the filter's choices), by name.
pub async fn clause_companies(conn: &impl ConnectionTrait) -> Result<Vec<(i64, String)>, DbErr> {
    let ids: BTreeSet<i64> = clause::Entity::find()
        .select_only()
        .column(clause::Column::CompanyId)
        .into_tuple::<i64>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(company::Entity::find()
        .filter(company::Column::Id.is_in(ids))
        .order_by_asc(company::Column::NameNorm)
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

/// The first `n` characters of a text, with an ellipsis if cut.
pub fn excerpt(s: &str, n: usize) -> String {
    let mut it = s.chars();
    let head: String = it.by_ref().take(n).collect();
    if it.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// One clause in a list.
#[derive(Serialize)]
pub struct RowView {
    pub id: i64,
    pub company_name: String,
    pub service_name: String,
    pub excerpt: String,
    pub status: &'static str,
    pub obstacles: Vec<String>,
    pub complaints: u64,
    pub groups: u64,
    pub last_seen: String,
}

impl RowView {
    pub fn of(page: &StaffPage, r: ClauseRow) -> RowView {
        RowView {
            id: r.clause.id,
            company_name: r.company_name,
            service_name: r.clause.service_name,
            excerpt: excerpt(&r.clause.clause_text, 80),
            status: r.clause.status.code(),
            obstacles: r.obstacles,
            complaints: r.complaints,
            groups: r.groups,
            last_seen: format::date(r.clause.last_seen_on, page.lang),
        }
    }
}

/// A month's count.
#[derive(Serialize)]
pub struct MonthRow {
    pub month: String,
    pub n: u64,
}

/// A file showing where the clause was seen.
#[derive(Serialize)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size_kb: String,
    pub uploaded: String,
}

/// A status change, for the regulator's history (no names of staff).
#[derive(Serialize)]
pub struct StatusChange {
    pub at: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The clause's record and figures, as both audiences' pages show it.
#[derive(Serialize)]
pub struct ClauseFacts {
    pub id: i64,
    pub company_id: i64,
    pub company_name: String,
    pub service_name: String,
    pub clause_text: String,
    pub source_url: String,
    pub first_seen: String,
    pub last_seen: String,
    pub status: &'static str,
    pub open: bool,
    pub obstacles: Vec<Choice>,
    pub legal: Vec<Choice>,
    pub analysis: String,
    pub recorded: String,
    pub updated: String,
    pub complaints: u64,
    pub months: Vec<MonthRow>,
    pub chart: String,
    /// The before/after comparison written out, when the clause is amended.
    pub before_after: Option<Vec<String>>,
    pub files: Vec<FileView>,
    pub status_changes: Vec<StatusChange>,
}

fn sentence(page: &StaffPage, key: &str, c: &Compared, b: &BeforeAfter) -> String {
    let w = &b.windows;
    let trend = match (c.trend, c.percent) {
        (Trend::None, _) => page.msg("clauses.trend.none"),
        (Trend::Same, _) => page.msg("clauses.trend.same"),
        (Trend::Fell, Some(p)) => page.fmt("clauses.trend.fell", &[("pct", &p.to_string())]),
        (Trend::Rose, Some(p)) => page.fmt("clauses.trend.rose", &[("pct", &p.to_string())]),
        (Trend::Fell, None) | (Trend::Rose, None) => page.msg("clauses.trend.rose_from_zero"),
    };
    page.fmt(
        key,
        &[
            ("days", &w.days.to_string()),
            ("before_from", &format::date(w.before_from, page.lang)),
            ("before_to", &format::date(w.before_to, page.lang)),
            ("after_from", &format::date(w.after_from, page.lang)),
            ("after_to", &format::date(w.after_to, page.lang)),
            ("before", &c.before.to_string()),
            ("after", &c.after.to_string()),
            ("before_rate", &c.before_per_30),
            ("after_rate", &c.after_per_30),
            ("trend", &trend),
        ],
    )
}

impl ClauseFacts {
    /// Loads the clause `id` with its figures; `None` if there is no such clause.
    pub async fn load(
        page: &StaffPage,
        id: i64,
    ) -> Result<Option<(ClauseFacts, Clause, Vec<clause_event::Model>)>, AppError> {
        let db = &page.state.db.read;
        let Some(c) = clauses::find(db, id).await? else {
            return Ok(None);
        };
        let lang = page.lang;
        let today = format::today();
        let history = clauses::history(db, id).await?;
        let months = figures::per_month(db, id, today).await?;
        let amended = clauses::amended_on(&c.row, &history);
        let ba = figures::before_after(db, &c, amended, today).await?;
        let before_after = ba.map(|b| {
            vec![
                page.fmt(
                    "clauses.figures.amended_on",
                    &[("date", &format::date(b.amended_on, lang))],
                ),
                sentence(page, "clauses.figures.citing", &b.citing, &b),
                sentence(page, "clauses.figures.company", &b.company, &b),
            ]
        });
        let bars: Vec<Bar> = months
            .iter()
            .map(|(m, n)| Bar::new(m.code(), *n as f64, format_number(*n as f64)))
            .collect();
        let title = page.msg("clauses.figures.chart_title");
        let desc = page.fmt("clauses.figures.chart_desc", &[("what", &title)]);
        let chart = charts::columns(&format!("clause-{id}-months"), &title, &desc, &bars);
        let complaints = clauses::citations::citing_counts(db, &[id])
            .await?
            .get(&id)
            .copied()
            .unwrap_or(0);
        let files = clauses::files_of(db, id)
            .await?
            .into_iter()
            .map(|f| FileView {
                id: f.id,
                name: f.original_name,
                content_type: f.content_type,
                size_kb: format!("{:.0}", (f.size_bytes as f64 / 1024.0).ceil()),
                uploaded: format::datetime(f.uploaded_at, lang),
            })
            .collect();
        let status_changes = history
            .iter()
            .filter(|e| e.kind == "status" || e.kind == "created")
            .map(|e| StatusChange {
                at: format::datetime(e.at, lang),
                from: e.from_status.clone(),
                to: e
                    .to_status
                    .clone()
                    .or_else(|| Some(ClauseStatus::Flagged.code().to_string())),
            })
            .collect();
        let r = &c.row;
        let facts = ClauseFacts {
            id: r.id,
            company_id: r.company_id,
            company_name: c.company_name.clone(),
            service_name: r.service_name.clone(),
            clause_text: r.clause_text.clone(),
            source_url: r.source_url.clone(),
            first_seen: format::date(r.first_seen_on, lang),
            last_seen: format::date(r.last_seen_on, lang),
            status: r.status.code(),
            open: r.status.is_open(),
            obstacles: obstacle_choices(&page.state, lang, &c.obstacles),
            legal: c
                .legal_codes()
                .iter()
                .map(|code| Choice {
                    code: code.clone(),
                    name: legal_name(code, lang),
                })
                .collect(),
            analysis: r.analysis.clone(),
            recorded: format::datetime(r.created_at, lang),
            updated: format::datetime(r.updated_at, lang),
            complaints,
            months: months
                .into_iter()
                .rev()
                .map(|(m, n)| MonthRow { month: m.code(), n })
                .collect(),
            chart,
            before_after,
            files,
            status_changes,
        };
        Ok(Some((facts, c, history)))
    }
}

/// A clause cited by a case or challenged by a group, as their pages list it.
#[derive(Serialize)]
pub struct CitedView {
    pub id: i64,
    pub company_name: String,
    pub service_name: String,
    pub excerpt: String,
    pub status: &'static str,
}

fn cited_views(refs: Vec<clauses::citations::ClauseRef>) -> Vec<CitedView> {
    refs.into_iter()
        .map(|r| CitedView {
            id: r.id,
            excerpt: excerpt(&r.clause_text, 80),
            company_name: r.company_name,
            service_name: r.service_name,
            status: r.status.code(),
        })
        .collect()
}

/// The clauses a case cites (the case page's section).
pub async fn cited_by_case(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
) -> Result<Vec<CitedView>, DbErr> {
    Ok(cited_views(
        clauses::citations::clauses_of_case(conn, complaint_id).await?,
    ))
}

/// The clauses a case group challenges (the group page's section).
pub async fn linked_to_group(
    conn: &impl ConnectionTrait,
    group_id: i64,
) -> Result<Vec<CitedView>, DbErr> {
    Ok(cited_views(
        clauses::citations::clauses_of_group(conn, group_id).await?,
    ))
}
