//! Which cases carry a campaign's tag: the scope tags them at intake ([`for_intake`]) and when
//! a campaign is created or edited ([`backfill`]); staff tag or untag one case by hand
//! ([`set_by_hand`]), which the scope then leaves alone. `campaign_cases` records how each case
//! got (or lost) its tag; `complaints.tags` repeats the tags for exports and is rewritten from
//! `campaign_cases` in the same transaction as every change.
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, TransactionTrait, Value,
};
use serde_json::json;

use crate::domain::campaign::{day_start, Scope};
use crate::domain::format::shanghai;
use crate::entities::{campaign, campaign_case, complaint};
use crate::services::audit::{self, Actor};
use crate::services::error::ServiceError;
use crate::store::sql::stmt;

use super::scope_of;

/// Complaint ids per backfill transaction: small enough that intake never waits long for the
/// writer, large enough that a million rows take a few dozen statements.
pub const BATCH_IDS: i64 = 20_000;

/// How a case got or lost a campaign's tag.
pub const AUTO: &str = "auto";
pub const MANUAL: &str = "manual";
pub const REMOVED: &str = "removed";

/// The expression that recomputes `complaints.tags` of the row `complaints`.
fn tags_expr(backend: DatabaseBackend) -> String {
    let agg = match backend {
        DatabaseBackend::Postgres => "string_agg(k.tag, ';' ORDER BY k.tag)",
        _ => "group_concat(k.tag, ';' ORDER BY k.tag)",
    };
    format!(
        "COALESCE((SELECT {agg} FROM campaign_cases x JOIN campaigns k ON k.id = x.campaign_id \
         WHERE x.complaint_id = complaints.id AND x.state <> '{REMOVED}'), '')"
    )
}

/// Rewrites `complaints.tags` of the complaints with ids from `lo` to `hi` that have or had a
/// tag (only rows whose tags change are written).
async fn refresh_tags(conn: &impl ConnectionTrait, lo: i64, hi: i64) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    let e = tags_expr(backend);
    let sql = format!(
        "UPDATE complaints SET tags = {e} WHERE id >= {lo} AND id <= {hi} \
         AND (tags <> '' OR EXISTS (SELECT 1 FROM campaign_cases y WHERE y.complaint_id = complaints.id)) \
         AND tags <> {e}"
    );
    conn.execute(stmt(backend, &sql, vec![])).await?;
    Ok(())
}

/// SQL conditions (on complaint alias `c`) for `scope`, binding values from `$first` on.
fn scope_conditions(scope: &Scope, first: usize, values: &mut Vec<Value>) -> Vec<String> {
    let mut n = first;
    let mut list = |items: Vec<Value>, values: &mut Vec<Value>| {
        let ps: Vec<String> = items
            .into_iter()
            .map(|v| {
                values.push(v);
                n += 1;
                format!("${}", n - 1)
            })
            .collect();
        ps.join(", ")
    };
    let mut out = Vec::new();
    if !scope.sectors.is_empty() {
        let l = list(
            scope.sectors.iter().map(|s| s.clone().into()).collect(),
            values,
        );
        out.push(format!("c.sector IN ({l})"));
    }
    if !scope.companies.is_empty() {
        let l = list(
            scope.companies.iter().map(|c| (*c).into()).collect(),
            values,
        );
        out.push(format!("c.company_id IN ({l})"));
    }
    if !scope.obstacles.is_empty() {
        // The counted codes: reviewer-confirmed ones when there are any, else the consumer's
        // and the suggested ones (the rule of the exports' obstacle_codes).
        let l = list(
            scope.obstacles.iter().map(|o| o.clone().into()).collect(),
            values,
        );
        out.push(format!(
            "EXISTS (SELECT 1 FROM complaint_obstacles f WHERE f.complaint_id = c.id \
             AND f.obstacle_code IN ({l}) AND (f.source = 'reviewer' OR NOT EXISTS \
             (SELECT 1 FROM complaint_obstacles r WHERE r.complaint_id = c.id AND r.source = 'reviewer')))"
        ));
    }
    out
}

/// The conditions of "received in the campaign's days and in its scope", on alias `c`.
pub(crate) fn in_campaign_sql(
    scope: &Scope,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    first: usize,
    values: &mut Vec<Value>,
) -> Vec<String> {
    values.push(from.into());
    values.push(to.into());
    let mut out = vec![
        format!("c.received_at >= ${first}"),
        format!("c.received_at < ${}", first + 1),
    ];
    out.extend(scope_conditions(scope, first + 2, values));
    out
}

fn range_of(c: &campaign::Model) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        day_start(c.starts_on),
        day_start(c.ends_on + chrono::Duration::days(1)),
    )
}

/// Applies a campaign's dates and scope to every case: cases in scope get an `auto` tag,
/// `auto` tags out of scope go, tags set or removed by hand stay. Walks the complaints in id
/// batches of [`BATCH_IDS`], each its own short transaction on the writer. Returns the number of
/// cases the scope tags.
pub async fn backfill(db: &DatabaseConnection, c: &campaign::Model) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let (from, to) = range_of(c);
    let scope = scope_of(c);
    // The ids to walk: complaints received in the campaign's days, and those the campaign
    // tagged before (the dates or the tag may have changed).
    let bounds = stmt(
        backend,
        &format!(
            "SELECT MIN(lo), MAX(hi) FROM (\
             SELECT MIN(id) AS lo, MAX(id) AS hi FROM complaints WHERE received_at >= $1 AND received_at < $2 \
             UNION ALL SELECT MIN(complaint_id), MAX(complaint_id) FROM campaign_cases WHERE campaign_id = {id}) b",
            id = c.id
        ),
        vec![from.into(), to.into()],
    );
    let row = db.query_one(bounds).await?;
    let (lo, hi) = match row {
        Some(r) => (
            r.try_get_by_index::<Option<i64>>(0)?,
            r.try_get_by_index::<Option<i64>>(1)?,
        ),
        None => (None, None),
    };
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Ok(0);
    };
    let now = Utc::now();
    let mut start = lo;
    while start <= hi {
        let end = (start + BATCH_IDS - 1).min(hi);
        let txn = db.begin().await?;
        txn.execute(stmt(
            backend,
            &format!(
                "DELETE FROM campaign_cases WHERE campaign_id = {id} AND state = '{AUTO}' \
                 AND complaint_id >= {start} AND complaint_id <= {end}",
                id = c.id
            ),
            vec![],
        ))
        .await?;
        let mut values: Vec<Value> = vec![now.into()];
        let conds = in_campaign_sql(&scope, from, to, 2, &mut values).join(" AND ");
        txn.execute(stmt(
            backend,
            &format!(
                "INSERT INTO campaign_cases (campaign_id, complaint_id, state, set_by, created_at) \
                 SELECT {id}, c.id, '{AUTO}', NULL, $1 FROM complaints c \
                 WHERE c.id >= {start} AND c.id <= {end} AND {conds} \
                 AND NOT EXISTS (SELECT 1 FROM campaign_cases x WHERE x.campaign_id = {id} AND x.complaint_id = c.id)",
                id = c.id
            ),
            values,
        ))
        .await?;
        refresh_tags(&txn, start, end).await?;
        txn.commit().await?;
        start = end + 1;
    }
    let n = campaign_case::Entity::find()
        .filter(campaign_case::Column::CampaignId.eq(c.id))
        .filter(campaign_case::Column::State.eq(AUTO))
        .count(db)
        .await?;
    Ok(n)
}

use sea_orm::PaginatorTrait;

/// The campaigns whose scope takes in a complaint filed now with these facts, for intake:
/// `company_norm` is the typed company name, normalised (looked up only when a running
/// campaign names companies).
pub async fn for_intake(
    read: &DatabaseConnection,
    now: DateTime<Utc>,
    sector: &str,
    company_norm: &str,
    codes: &[String],
) -> Result<Vec<campaign::Model>, DbErr> {
    let today = now.with_timezone(&shanghai()).date_naive();
    let running = campaign::Entity::find()
        .filter(campaign::Column::StartsOn.lte(today))
        .filter(campaign::Column::EndsOn.gte(today))
        .order_by_asc(campaign::Column::Id)
        .all(read)
        .await?;
    if running.is_empty() {
        return Ok(running);
    }
    let company = if running.iter().any(|c| !c.company_ids.is_empty()) {
        let backend = read.get_database_backend();
        let (sql, values): (String, Vec<Value>) = match backend {
            DatabaseBackend::Postgres => (
                format!(
                    "SELECT {} AS id",
                    crate::services::intake::company_lookup_sql("$1", "$1")
                ),
                vec![company_norm.into()],
            ),
            _ => (
                format!(
                    "SELECT {} AS id",
                    crate::services::intake::company_lookup_sql("$1", "$2")
                ),
                vec![company_norm.into(), company_norm.into()],
            ),
        };
        read.query_one(stmt(backend, &sql, values))
            .await?
            .map(|r| r.try_get_by_index::<Option<i64>>(0))
            .transpose()?
            .flatten()
    } else {
        None
    };
    Ok(running
        .into_iter()
        .filter(|c| scope_of(c).matches(sector, company, codes))
        .collect())
}

/// A campaign as it concerns one case.
#[derive(Debug, Clone)]
pub struct CaseCampaign {
    pub campaign: campaign::Model,
    /// `auto`, `manual`, `removed`, or none when the case has no row for it.
    pub state: Option<String>,
}

/// Every campaign with how it concerns the case (for the case page's tag form).
pub async fn of_case(
    db: &DatabaseConnection,
    complaint_id: i64,
) -> Result<Vec<CaseCampaign>, DbErr> {
    let rows = campaign_case::Entity::find()
        .filter(campaign_case::Column::ComplaintId.eq(complaint_id))
        .all(db)
        .await?;
    Ok(super::list(db)
        .await?
        .into_iter()
        .map(|c| CaseCampaign {
            state: rows
                .iter()
                .find(|r| r.campaign_id == c.id)
                .map(|r| r.state.clone()),
            campaign: c,
        })
        .collect())
}

/// Tags (`tagged`) or untags one case by hand, recorded as `manual` / `removed` so the scope
/// leaves the choice alone, with the case's tags rewritten and an audit row, in one
/// transaction.
pub async fn set_by_hand(
    db: &DatabaseConnection,
    complaint_id: i64,
    campaign_id: i64,
    tagged: bool,
    actor: &Actor,
) -> Result<(), ServiceError> {
    let txn = db.begin().await?;
    complaint::Entity::find_by_id(complaint_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let c = campaign::Entity::find_by_id(campaign_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let backend = txn.get_database_backend();
    let state = if tagged { MANUAL } else { REMOVED };
    txn.execute(stmt(
        backend,
        &format!(
            "INSERT INTO campaign_cases (campaign_id, complaint_id, state, set_by, created_at) \
             VALUES ({campaign_id}, {complaint_id}, $1, $2, $3) \
             ON CONFLICT (campaign_id, complaint_id) DO UPDATE SET state = excluded.state, \
             set_by = excluded.set_by, created_at = excluded.created_at"
        ),
        vec![state.into(), actor.label.clone().into(), Utc::now().into()],
    ))
    .await?;
    refresh_tags(&txn, complaint_id, complaint_id).await?;
    audit::record(
        &txn,
        actor,
        if tagged {
            "campaign_tag_added"
        } else {
            "campaign_tag_removed"
        },
        Some(("complaint", complaint_id.to_string())),
        Some(json!({ "campaign": campaign_id, "tag": c.tag })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
