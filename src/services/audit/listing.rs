//! The audit log as the admin page lists it: newest first, filtered, in keyset pages.
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::domain::format;
use crate::entities::audit_log;

/// Filters of the audit page; days are Asia/Shanghai calendar days, both ends included.
#[derive(Debug, Default)]
pub struct AuditFilter {
    /// Part of the actor's label.
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Keyset cursor: rows with an id below this.
    pub before: Option<i64>,
}

/// One page of audit rows and the cursor of the next page, if any.
pub async fn page(
    db: &DatabaseConnection,
    f: &AuditFilter,
    limit: u64,
) -> Result<(Vec<audit_log::Model>, Option<i64>), DbErr> {
    let mut find = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(limit + 1);
    if let Some(a) = &f.actor {
        find = find.filter(audit_log::Column::Actor.contains(a));
    }
    if let Some(a) = &f.action {
        find = find.filter(audit_log::Column::Action.eq(a));
    }
    if let Some(t) = &f.target_type {
        find = find.filter(audit_log::Column::TargetType.eq(t));
    }
    if let Some(t) = &f.target_id {
        find = find.filter(audit_log::Column::TargetId.eq(t));
    }
    let at = |d: NaiveDate, h, m, s| {
        format::shanghai()
            .from_local_datetime(&d.and_hms_opt(h, m, s).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&Utc))
    };
    if let Some(start) = f.from.and_then(|d| at(d, 0, 0, 0)) {
        find = find.filter(audit_log::Column::At.gte(start));
    }
    if let Some(end) = f.to.and_then(|d| at(d, 23, 59, 59)) {
        find = find.filter(audit_log::Column::At.lte(end));
    }
    if let Some(b) = f.before {
        find = find.filter(audit_log::Column::Id.lt(b));
    }
    let mut rows = find.all(db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next_before = if more {
        rows.last().map(|r| r.id)
    } else {
        None
    };
    Ok((rows, next_before))
}
