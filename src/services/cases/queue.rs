//! The staff queue: filters, free-text search, three sort orders and keyset pagination with an
//! opaque cursor of (sort key, id), so a page deep in the queue costs the same as the first and
//! complaints arriving meanwhile cause neither gaps nor repeats.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};

use crate::domain::workflow;
use crate::domain::{normalize_name, Language, Sector, Status};
use crate::entities::{company, company_alias, complaint};
use crate::i18n::I18n;
use crate::services::cases::search::{self, SqlBuf};
use crate::services::error::FieldErrors;
use crate::services::reference::Reference;
use crate::store::sql::stmt;

/// Page size when none is asked for, and the largest allowed.
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

/// Query parameters as typed (page form and API share them). Every value is a string so a
/// wrong value becomes a field message instead of a bare 400.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct QueueParams {
    pub status: Option<String>,
    pub sector: Option<String>,
    pub company: Option<String>,
    pub obstacle: Option<String>,
    pub province: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `me`: cases assigned to the signed-in user.
    pub assigned: Option<String>,
    pub overdue: Option<String>,
    pub has_evidence: Option<String>,
    pub held: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// Queue order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Sort {
    /// Newest first (default).
    ReceivedDesc,
    ReceivedAsc,
    /// The running clock's due date, earliest first; cases without a running clock last.
    Due,
}

impl Sort {
    pub const CODES: [&'static str; 3] = ["received_desc", "received_asc", "due"];

    pub fn code(self) -> &'static str {
        match self {
            Sort::ReceivedDesc => "received_desc",
            Sort::ReceivedAsc => "received_asc",
            Sort::Due => "due",
        }
    }

    fn parse(s: &str) -> Option<Sort> {
        match s {
            "received_desc" | "newest" => Some(Sort::ReceivedDesc),
            "received_asc" | "oldest" => Some(Sort::ReceivedAsc),
            "due" => Some(Sort::Due),
            _ => None,
        }
    }
}

/// Status filter: one status, or every status that still needs work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    One(Status),
    Open,
}

/// Where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    Received(DateTime<Utc>, i64),
    Due(NaiveDate, i64),
}

/// Due date used for sorting cases without a running clock (after every real date).
const NO_DUE: &str = "9999-12-31";

impl Cursor {
    /// Opaque, URL-safe form.
    pub fn encode(&self, sort: Sort) -> String {
        let raw = match self {
            Cursor::Received(t, id) => format!(
                "{}|{}|{id}",
                sort.code(),
                t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            ),
            Cursor::Due(d, id) => format!("{}|{d}|{id}", sort.code()),
        };
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// Parses a cursor made by [`Cursor::encode`] for the same sort order.
    pub fn decode(s: &str, sort: Sort) -> Option<Cursor> {
        let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(s.trim()).ok()?).ok()?;
        let mut parts = raw.splitn(3, '|');
        let (s_code, key, id) = (parts.next()?, parts.next()?, parts.next()?);
        if s_code != sort.code() {
            return None;
        }
        let id: i64 = id.parse().ok()?;
        match sort {
            Sort::Due => Some(Cursor::Due(
                NaiveDate::parse_from_str(key, "%Y-%m-%d").ok()?,
                id,
            )),
            _ => Some(Cursor::Received(
                DateTime::parse_from_rfc3339(key).ok()?.with_timezone(&Utc),
                id,
            )),
        }
    }
}

/// Validated queue filters.
#[derive(Debug, Clone)]
pub struct Filters {
    pub status: Option<StatusFilter>,
    pub sector: Option<Sector>,
    pub company: Option<String>,
    pub obstacle: Option<String>,
    pub province: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub mine: bool,
    pub overdue: bool,
    pub has_evidence: bool,
    pub held: bool,
    pub q: Option<Vec<String>>,
    pub sort: Sort,
    pub cursor: Option<Cursor>,
    pub limit: u64,
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn flag(s: &Option<String>) -> bool {
    matches!(clean(s).as_deref(), Some("1" | "true" | "on" | "yes"))
}

/// Localised messages per field, collected while parsing.
struct Errs<'a> {
    i18n: &'a I18n,
    lang: Language,
    map: FieldErrors,
}

impl Errs<'_> {
    fn add(&mut self, field: &str, key: &str, args: &[(&str, &str)]) {
        self.map
            .entry(field.to_string())
            .or_default()
            .push(self.i18n.fmt(self.lang, key, args));
    }

    fn day(&mut self, field: &str, v: &Option<String>) -> Option<NaiveDate> {
        let s = clean(v)?;
        match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
            Ok(d) if s.len() == 10 => Some(d),
            _ => {
                self.add(field, "errors.invalid_date", &[]);
                None
            }
        }
    }
}

/// Checks every parameter, collecting a localised message per bad field.
pub fn parse(
    p: &QueueParams,
    i18n: &I18n,
    lang: Language,
    reference: &Reference,
) -> Result<Filters, FieldErrors> {
    let mut e = Errs {
        i18n,
        lang,
        map: FieldErrors::new(),
    };
    let status = match clean(&p.status).as_deref() {
        None => None,
        Some("open") => Some(StatusFilter::Open),
        Some(s) => match Status::parse(s) {
            Some(st) => Some(StatusFilter::One(st)),
            None => {
                e.add(
                    "status",
                    "errors.invalid_choice",
                    &[("choices", &format!("open, {}", Status::codes().join(", ")))],
                );
                None
            }
        },
    };
    let sector = match clean(&p.sector) {
        None => None,
        Some(s) => {
            let v = Sector::parse(&s);
            if v.is_none() {
                e.add(
                    "sector",
                    "errors.invalid_choice",
                    &[("choices", &Sector::codes().join(", "))],
                );
            }
            v
        }
    };
    let obstacle = match clean(&p.obstacle) {
        None => None,
        Some(o) => {
            let o = o.to_ascii_uppercase();
            if reference.obstacles.iter().any(|x| x.code == o) {
                Some(o)
            } else {
                e.add(
                    "obstacle",
                    "errors.unknown_obstacle",
                    &[("code", &o.chars().take(40).collect::<String>())],
                );
                None
            }
        }
    };
    let province = match clean(&p.province) {
        None => None,
        Some(c) if reference.is_province(&c) => Some(c),
        Some(_) => {
            e.add("province", "errors.invalid_province", &[]);
            None
        }
    };
    let from = e.day("from", &p.from);
    let to = e.day("to", &p.to);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            e.add("to", "cases.queue.to_before_from", &[]);
        }
    }
    let q = match search::parse_query(p.q.as_deref().unwrap_or("")) {
        Ok(q) => q,
        Err(err) => {
            let (min, max) = (
                search::MIN_TERM_CHARS.to_string(),
                search::MAX_QUERY_CHARS.to_string(),
            );
            e.add(
                "q",
                err.message_key(),
                &[
                    ("min", &min),
                    ("max", &max),
                    ("terms", &search::MAX_TERMS.to_string()),
                ],
            );
            None
        }
    };
    let sort = match clean(&p.sort) {
        None => Sort::ReceivedDesc,
        Some(s) => Sort::parse(&s).unwrap_or_else(|| {
            e.add(
                "sort",
                "errors.invalid_choice",
                &[("choices", &Sort::CODES.join(", "))],
            );
            Sort::ReceivedDesc
        }),
    };
    let cursor = match clean(&p.cursor) {
        None => None,
        Some(c) => {
            let v = Cursor::decode(&c, sort);
            if v.is_none() {
                e.add("cursor", "cases.queue.bad_cursor", &[]);
            }
            v
        }
    };
    let limit = match clean(&p.limit) {
        None => DEFAULT_LIMIT,
        Some(s) => match s.parse::<u64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                e.add(
                    "limit",
                    "errors.out_of_range",
                    &[("min", "1"), ("max", &MAX_LIMIT.to_string())],
                );
                DEFAULT_LIMIT
            }
        },
    };
    let assigned = clean(&p.assigned);
    if assigned.as_deref().is_some_and(|a| a != "me") {
        e.add("assigned", "errors.invalid_choice", &[("choices", "me")]);
    }
    if !e.map.is_empty() {
        return Err(e.map);
    }
    Ok(Filters {
        status,
        sector,
        company: clean(&p.company).map(|c| c.chars().take(100).collect()),
        obstacle,
        province,
        from,
        to,
        mine: assigned.is_some(),
        overdue: flag(&p.overdue),
        has_evidence: flag(&p.has_evidence),
        held: flag(&p.held),
        q,
        sort,
        cursor,
        limit,
    })
}

/// One page of the queue.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<complaint::Model>,
    pub next_cursor: Option<String>,
}

/// Start of a day in Asia/Shanghai, as UTC.
fn day_start(d: NaiveDate) -> DateTime<Utc> {
    let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    crate::domain::format::shanghai()
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| local.and_utc())
}

/// Directory companies whose name or alias is `name` (or whose id it is).
async fn company_ids(conn: &impl ConnectionTrait, name: &str) -> Result<Vec<i64>, sea_orm::DbErr> {
    let norm = normalize_name(name);
    let mut ids: Vec<i64> = company::Entity::find()
        .select_only()
        .column(company::Column::Id)
        .filter(company::Column::NameNorm.eq(norm.clone()))
        .into_tuple()
        .all(conn)
        .await?;
    let aliased: Vec<i64> = company_alias::Entity::find()
        .select_only()
        .column(company_alias::Column::CompanyId)
        .filter(company_alias::Column::AliasNorm.eq(norm))
        .into_tuple()
        .all(conn)
        .await?;
    ids.extend(aliased);
    if let Ok(id) = name.trim().parse::<i64>() {
        if company::Entity::find_by_id(id).one(conn).await?.is_some() {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The running clock's due date as SQL (same rule as `cases::due_on`), for sorting.
pub const DUE_SQL: &str =
    "COALESCE(CASE WHEN c.status IN ('received', 'held') THEN c.review_due_on \
     WHEN c.status = 'forwarded' THEN c.response_due_on END, '9999-12-31')";

/// How the company filter narrows one branch of the query.
enum CompanyBranch {
    /// Complaints whose typed company name is the filter text.
    Name(String),
    /// Complaints linked to these directory companies.
    Linked(Vec<i64>),
}

/// What the conditions need besides the filters (looked up before building).
struct Context {
    backend: sea_orm::DatabaseBackend,
    user_id: i64,
    today: NaiveDate,
    fts: search::FtsPlan,
}

/// Statuses no step leads out of ("open" is everything else). Written as `NOT IN`, which no
/// index serves, so the database walks the queue order instead of sorting every open case.
fn final_statuses() -> String {
    Status::ALL
        .iter()
        .filter(|s| workflow::is_final(**s))
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The WHERE conditions of one branch, binding values in text order.
fn conditions(
    b: &mut SqlBuf,
    f: &Filters,
    company: Option<&CompanyBranch>,
    cx: &Context,
) -> Vec<String> {
    let mut conds: Vec<String> = Vec::new();
    match f.status {
        Some(StatusFilter::One(s)) => {
            let p = b.bind(s.code());
            conds.push(format!("c.status = {p}"));
        }
        Some(StatusFilter::Open) => conds.push(format!("c.status NOT IN ({})", final_statuses())),
        None => {}
    }
    if f.held {
        conds.push("c.status = 'held'".into());
    }
    if let Some(s) = f.sector {
        let p = b.bind(s.code());
        conds.push(format!("c.sector = {p}"));
    }
    match company {
        Some(CompanyBranch::Name(name)) => {
            let p = b.bind(name.clone());
            conds.push(format!("c.company_name = {p}"));
        }
        Some(CompanyBranch::Linked(ids)) => {
            let list: Vec<String> = ids.iter().map(|id| b.bind(*id)).collect();
            conds.push(format!("c.company_id IN ({})", list.join(", ")));
        }
        None => {}
    }
    if let Some(o) = &f.obstacle {
        let p = b.bind(o.clone());
        conds.push(format!(
            "EXISTS (SELECT 1 FROM complaint_obstacles co WHERE co.complaint_id = c.id \
             AND co.obstacle_code = {p} AND co.source IN ('reviewer', 'suggestion'))"
        ));
    }
    if let Some(pr) = &f.province {
        let p = b.bind(pr.clone());
        conds.push(format!("c.province = {p}"));
    }
    if let Some(d) = f.from {
        let p = b.bind(day_start(d));
        conds.push(format!("c.received_at >= {p}"));
    }
    if let Some(d) = f.to {
        let p = b.bind(day_start(d + chrono::Duration::days(1)));
        conds.push(format!("c.received_at < {p}"));
    }
    if f.mine {
        let p = b.bind(cx.user_id);
        conds.push(format!("c.assigned_to = {p}"));
    }
    if f.overdue {
        // The due-date expression (not an OR over two status indexes): in due order this is a
        // range at the start of idx_complaints_due, in received order a filtered index walk.
        let p = b.bind(cx.today);
        conds.push(format!("{DUE_SQL} < {p}"));
    }
    if f.has_evidence {
        conds.push("EXISTS (SELECT 1 FROM evidence_files ef WHERE ef.complaint_id = c.id)".into());
    }
    if let Some(terms) = &f.q {
        conds.push(search::condition(cx.backend, "c", terms, cx.fts, b));
    }
    match (f.sort, &f.cursor) {
        (Sort::ReceivedDesc, Some(Cursor::Received(t, id))) => {
            let (t1, t2, i) = (b.bind(*t), b.bind(*t), b.bind(*id));
            conds.push(format!(
                "c.received_at <= {t1} AND (c.received_at < {t2} OR c.id < {i})"
            ));
        }
        (Sort::ReceivedAsc, Some(Cursor::Received(t, id))) => {
            let (t1, t2, i) = (b.bind(*t), b.bind(*t), b.bind(*id));
            conds.push(format!(
                "c.received_at >= {t1} AND (c.received_at > {t2} OR c.id > {i})"
            ));
        }
        (Sort::Due, Some(Cursor::Due(d, id))) => {
            let (d1, d2, i) = (b.bind(*d), b.bind(*d), b.bind(*id));
            conds.push(format!(
                "{DUE_SQL} >= {d1} AND ({DUE_SQL} > {d2} OR c.id > {i})"
            ));
        }
        _ => {}
    }
    conds
}

/// Builds the page query (public so docs/performance.md can show real plans). With a company
/// filter that names directory companies, the linked complaints and the ones whose typed name
/// matches are two index-ordered branches joined by `UNION`, instead of an `OR` that would
/// make the database sort every complaint of a big company for each page.
pub async fn build_sql(
    conn: &impl ConnectionTrait,
    f: &Filters,
    user_id: i64,
    today: NaiveDate,
) -> Result<SqlBuf, sea_orm::DbErr> {
    let backend = conn.get_database_backend();
    let fts = match f
        .q
        .as_deref()
        .and_then(|terms| search::fts_expression(backend, terms))
    {
        Some(expr) => search::fts_plan(conn, &expr).await?,
        None => search::FtsPlan::Lookup,
    };
    let cx = Context {
        backend,
        user_id,
        today,
        fts,
    };
    let branches: Vec<Option<CompanyBranch>> = match &f.company {
        None => vec![None],
        Some(name) => {
            let ids = company_ids(conn, name).await?;
            let by_name = Some(CompanyBranch::Name(name.clone()));
            if ids.is_empty() {
                vec![by_name]
            } else {
                vec![Some(CompanyBranch::Linked(ids)), by_name]
            }
        }
    };
    let order = match f.sort {
        Sort::ReceivedDesc => "c.received_at DESC, c.id DESC".to_string(),
        Sort::ReceivedAsc => "c.received_at ASC, c.id ASC".to_string(),
        Sort::Due => format!("{DUE_SQL} ASC, c.id ASC"),
    };
    let mut b = SqlBuf::default();
    let mut selects: Vec<String> = Vec::new();
    for branch in &branches {
        let conds = conditions(&mut b, f, branch.as_ref(), &cx);
        let mut sql = "SELECT c.* FROM complaints c".to_string();
        if !conds.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conds.join(" AND "));
        }
        let lim = b.bind((f.limit + 1) as i64);
        sql.push_str(&format!(" ORDER BY {order} LIMIT {lim}"));
        selects.push(sql);
    }
    if selects.len() == 1 {
        b.sql = selects.remove(0);
    } else {
        let union = selects
            .iter()
            .enumerate()
            .map(|(i, s)| format!("SELECT * FROM ({s}) b{i}"))
            .collect::<Vec<_>>()
            .join(" UNION ");
        let lim = b.bind((f.limit + 1) as i64);
        b.sql = format!("SELECT * FROM ({union}) c ORDER BY {order} LIMIT {lim}");
    }
    Ok(b)
}

/// Runs the queue query: one page and the cursor of the next, if there is one.
pub async fn run(
    conn: &impl ConnectionTrait,
    f: &Filters,
    user_id: i64,
    today: NaiveDate,
) -> Result<Page, sea_orm::DbErr> {
    let b = build_sql(conn, f, user_id, today).await?;
    let mut items = complaint::Entity::find()
        .from_raw_sql(stmt(conn.get_database_backend(), &b.sql, b.values))
        .all(conn)
        .await?;
    let more = items.len() as u64 > f.limit;
    items.truncate(f.limit as usize);
    let next_cursor = match (more, items.last()) {
        (true, Some(last)) => Some(
            match f.sort {
                Sort::Due => Cursor::Due(
                    super::due_on(last).unwrap_or_else(|| {
                        NaiveDate::parse_from_str(NO_DUE, "%Y-%m-%d").unwrap_or_default()
                    }),
                    last.id,
                ),
                _ => Cursor::Received(last.received_at, last.id),
            }
            .encode(f.sort),
        ),
        _ => None,
    };
    Ok(Page { items, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_belong_to_their_sort_order() {
        let t = DateTime::parse_from_rfc3339("2026-11-25T06:07:08.123456Z")
            .unwrap()
            .with_timezone(&Utc);
        let c = Cursor::Received(t, 42);
        let s = c.encode(Sort::ReceivedDesc);
        assert!(s
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'));
        assert_eq!(Cursor::decode(&s, Sort::ReceivedDesc), Some(c));
        assert_eq!(
            Cursor::decode(&s, Sort::ReceivedAsc),
            None,
            "a cursor is tied to its order"
        );
        let d = Cursor::Due(NaiveDate::from_ymd_opt(2026, 10, 20).unwrap(), 7);
        assert_eq!(Cursor::decode(&d.encode(Sort::Due), Sort::Due), Some(d));
        assert_eq!(Cursor::decode("not a cursor", Sort::Due), None);
    }

    #[test]
    fn shanghai_days_start_at_16_utc_the_day_before() {
        let d = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        assert_eq!(day_start(d).to_rfc3339(), "2026-09-30T16:00:00+00:00");
    }
}
