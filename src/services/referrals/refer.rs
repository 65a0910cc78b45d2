//! Recording referrals: a case (or every case of a group) referred to an authority, with its
//! history row, the denormalised `complaints.referred_to` / `referred_at` for exports and an
//! audit row, in one transaction; later the authority's reference number and outcome.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait, Value,
};
use serde_json::json;

use crate::domain::{Language, Status};
use crate::entities::{authority, case_group_member, complaint, referral, status_history};
use crate::i18n::I18n;
use crate::services::audit::{self, Actor};
use crate::services::companies::{DirError, Problems};
use crate::store::sql::stmt;

const MAX_REFERENCE_CHARS: usize = 100;
const MAX_OUTCOME_CHARS: usize = 2000;

/// Why a referral was not recorded.
#[derive(Debug)]
pub enum ReferError {
    NotFound,
    /// The case is held as suspected spam: nothing leaves the association unverified.
    Held,
    /// The group has no case that can be referred.
    NothingToRefer,
    Db(DbErr),
}

impl From<DbErr> for ReferError {
    fn from(e: DbErr) -> Self {
        ReferError::Db(e)
    }
}

/// Refers the cases `complaint_ids` to `authority_id` (as a group referral when `group` is
/// set): one referral row, one internal history row and one audit row per case, the case's
/// `referred_to` / `referred_at` set, all in one transaction.
pub async fn refer(
    db: &DatabaseConnection,
    i18n: &I18n,
    complaint_ids: &[i64],
    authority_id: i64,
    group: Option<i64>,
    actor: &Actor,
) -> Result<Vec<referral::Model>, ReferError> {
    let txn = db.begin().await?;
    let a = authority::Entity::find_by_id(authority_id)
        .one(&txn)
        .await?
        .ok_or(ReferError::NotFound)?;
    let now = Utc::now();
    let mut out = Vec::new();
    for id in complaint_ids {
        let c = complaint::Entity::find_by_id(*id)
            .one(&txn)
            .await?
            .ok_or(ReferError::NotFound)?;
        if c.status == Status::Held {
            return Err(ReferError::Held);
        }
        out.push(record_one(&txn, i18n, &c, &a, group, actor, now).await?);
    }
    txn.commit().await?;
    Ok(out)
}

async fn record_one(
    txn: &impl ConnectionTrait,
    i18n: &I18n,
    c: &complaint::Model,
    a: &authority::Model,
    group: Option<i64>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<referral::Model, DbErr> {
    let r = referral::ActiveModel {
        complaint_id: Set(c.id),
        authority_id: Set(a.id),
        authority_name: Set(a.name.clone()),
        group_id: Set(group),
        referred_at: Set(now),
        referred_by: Set(actor.label.clone()),
        reference_no: Set(None),
        outcome: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    complaint::Entity::update_many()
        .col_expr(complaint::Column::ReferredTo, Expr::value(a.name.clone()))
        .col_expr(complaint::Column::ReferredAt, Expr::value(now))
        .filter(complaint::Column::Id.eq(c.id))
        .exec(txn)
        .await?;
    // The case's timeline: an internal row (the consumer's tracking page shows only status
    // changes), in Chinese like the other notes the system writes.
    status_history::ActiveModel {
        complaint_id: Set(c.id),
        from_status: Set(Some(c.status)),
        to_status: Set(c.status),
        is_public: Set(false),
        note: Set(Some(i18n.fmt(
            Language::ZhCn,
            "referrals.history",
            &[("authority", &a.name)],
        ))),
        actor: Set(Some(actor.label.clone())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::record(
        txn,
        actor,
        "case_referred",
        Some(("complaint", c.id.to_string())),
        Some(json!({ "referral": r.id, "authority": a.id, "group": group })),
    )
    .await?;
    Ok(r)
}

/// Refers every case of group `group_id` that can be referred (held ones are left out);
/// returns the referrals made.
pub async fn refer_group(
    db: &DatabaseConnection,
    i18n: &I18n,
    group_id: i64,
    authority_id: i64,
    actor: &Actor,
) -> Result<Vec<referral::Model>, ReferError> {
    let members: Vec<i64> = case_group_member::Entity::find()
        .filter(case_group_member::Column::GroupId.eq(group_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.complaint_id)
        .collect();
    let referable: Vec<i64> = complaint::Entity::find()
        .filter(complaint::Column::Id.is_in(members))
        .filter(complaint::Column::Status.ne(Status::Held))
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if referable.is_empty() {
        return Err(ReferError::NothingToRefer);
    }
    refer(db, i18n, &referable, authority_id, Some(group_id), actor).await
}

/// The referrals of one case, newest first.
pub async fn for_case(
    db: &DatabaseConnection,
    complaint_id: i64,
) -> Result<Vec<referral::Model>, DbErr> {
    referral::Entity::find()
        .filter(referral::Column::ComplaintId.eq(complaint_id))
        .order_by_desc(referral::Column::ReferredAt)
        .order_by_desc(referral::Column::Id)
        .all(db)
        .await
}

/// The referrals of a group's cases, newest first.
pub async fn for_group(
    db: &DatabaseConnection,
    group_id: i64,
) -> Result<Vec<(referral::Model, String)>, DbErr> {
    let rows = referral::Entity::find()
        .filter(referral::Column::GroupId.eq(group_id))
        .order_by_desc(referral::Column::ReferredAt)
        .order_by_asc(referral::Column::ComplaintId)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.complaint_id).collect();
    let codes: std::collections::HashMap<i64, String> = complaint::Entity::find()
        .filter(complaint::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.tracking_code))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let code = codes.get(&r.complaint_id).cloned().unwrap_or_default();
            (r, code)
        })
        .collect())
}

/// One referral.
pub async fn find(db: &DatabaseConnection, id: i64) -> Result<Option<referral::Model>, DbErr> {
    referral::Entity::find_by_id(id).one(db).await
}

/// Saves the authority's reference number and outcome of a referral (audited); empty text
/// clears them.
pub async fn update(
    db: &DatabaseConnection,
    id: i64,
    reference_no: &str,
    outcome: &str,
    actor: &Actor,
) -> Result<referral::Model, DirError> {
    let mut p = Problems::default();
    let reference_no = crate::services::companies::check_text(
        &mut p,
        "reference_no",
        reference_no,
        false,
        MAX_REFERENCE_CHARS,
    );
    let outcome = outcome.trim();
    let len = outcome.chars().count();
    if len > MAX_OUTCOME_CHARS {
        p.add(
            "outcome",
            "errors.too_long",
            vec![
                ("max", MAX_OUTCOME_CHARS.to_string()),
                ("len", len.to_string()),
            ],
        );
    }
    if !p.is_empty() {
        return Err(DirError::Invalid(p));
    }
    let txn = db.begin().await?;
    let r = referral::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    let mut am: referral::ActiveModel = r.into();
    am.reference_no = Set(reference_no);
    am.outcome = Set((!outcome.is_empty()).then(|| outcome.to_string()));
    am.updated_at = Set(Utc::now());
    let r = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "referral_updated",
        Some(("referral", id.to_string())),
        Some(json!({ "complaint": r.complaint_id, "reference_no": r.reference_no, "has_outcome": r.outcome.is_some() })),
    )
    .await?;
    txn.commit().await?;
    Ok(r)
}

/// Referrals made from `from` (included) to `to` (excluded), per authority (its current
/// name), most first: the dashboard's figure.
pub async fn counts_by_authority(
    db: &DatabaseConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(i64, String, i64)>, DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all(stmt(
            backend,
            "SELECT a.id, a.name, COUNT(*) FROM referrals r JOIN authorities a ON a.id = r.authority_id \
             WHERE r.referred_at >= $1 AND r.referred_at < $2 GROUP BY a.id, a.name ORDER BY COUNT(*) DESC, a.id",
            vec![Value::from(from), Value::from(to)],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get_by_index(0)?,
                r.try_get_by_index(1)?,
                r.try_get_by_index(2)?,
            ))
        })
        .collect()
}
