//! The queue's SQL: filter conditions, keyset paging and running it into a [`Page`].
use super::*;

/// Start of a day in Asia/Shanghai, as UTC.
pub(super) fn day_start(d: NaiveDate) -> DateTime<Utc> {
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

/// Lane cases first within the same due date (the second key of `idx_complaints_due_lane`).
pub const LANE_RANK_SQL: &str = "(CASE WHEN c.priority_lane THEN 0 ELSE 1 END)";

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
    if f.lane {
        let p = b.bind(true);
        conds.push(format!("c.priority_lane = {p}"));
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
        // range at the start of idx_complaints_due_lane, in received order a filtered index walk.
        let p = b.bind(cx.today);
        conds.push(format!("{DUE_SQL} < {p}"));
    }
    if f.disputed {
        let (d, st) = (b.bind(true), b.bind(Status::Responded.code()));
        conds.push(format!("c.consumer_disputed = {d} AND c.status = {st}"));
    }
    if let Some(code) = &f.code {
        let p = b.bind(code.clone());
        conds.push(format!("c.tracking_code = {p}"));
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
        (Sort::Due, Some(Cursor::Due(d, rank, id))) => {
            let (d1, d2) = (b.bind(*d), b.bind(*d));
            let (r1, r2, i) = (b.bind(*rank), b.bind(*rank), b.bind(*id));
            conds.push(format!(
                "{DUE_SQL} >= {d1} AND ({DUE_SQL} > {d2} OR ({LANE_RANK_SQL} >= {r1} \
                 AND ({LANE_RANK_SQL} > {r2} OR c.id > {i})))"
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
        Sort::Due => format!("{DUE_SQL} ASC, {LANE_RANK_SQL} ASC, c.id ASC"),
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
                    if last.priority_lane { 0 } else { 1 },
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
