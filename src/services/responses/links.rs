//! Signed answer links (`/respond/{token}`) for companies without an account: one case, valid
//! until the response due date plus [`LINK_GRACE_DAYS`](crate::domain::deadlines::LINK_GRACE_DAYS)
//! (end of that day, Asia/Shanghai), used up by the answer it carries. The token is 32 random
//! bytes; only its SHA-256 is stored, so a database reader cannot answer for a company, and an
//! altered token matches nothing.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::domain::deadlines::link_valid_until;
use crate::domain::format::shanghai;
use crate::domain::token::{lookup_hash, new_token, stored_hash};
use crate::entities::{complaint, response_link};

/// Why a link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefused {
    /// No such link (mistyped, altered or never issued).
    Unknown,
    /// Past its last day.
    Expired,
    /// Its answer has been given.
    Used,
}

impl LinkRefused {
    /// Message key of the page that explains the refusal.
    pub fn message_key(self) -> &'static str {
        match self {
            LinkRefused::Unknown => "respond.refused.unknown",
            LinkRefused::Expired => "respond.refused.expired",
            LinkRefused::Used => "respond.refused.used",
        }
    }
}

/// The moment a link for a case due on `due` stops working: the end of its last valid day in
/// Asia/Shanghai.
pub fn expiry(due: NaiveDate) -> DateTime<Utc> {
    let next_day = link_valid_until(due) + Duration::days(1);
    next_day
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(shanghai()).single())
        .map(|t| t.with_timezone(&Utc))
        // Asia/Shanghai has no DST gaps; midnight always exists.
        .unwrap_or_else(|| next_day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
}

/// Issues a new link for a case whose answer is due on `due`; returns the token (shown once, in
/// the mail).
pub async fn issue(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
    due: NaiveDate,
    now: DateTime<Utc>,
) -> Result<String, sea_orm::DbErr> {
    let token = new_token();
    response_link::ActiveModel {
        complaint_id: Set(complaint_id),
        token_hash: Set(stored_hash(&token)),
        expires_at: Set(expiry(due)),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(token)
}

/// The public address of a link.
pub fn url(base_url: &str, token: &str) -> String {
    format!("{}/respond/{token}", base_url.trim_end_matches('/'))
}

/// Looks a token up: the link and its case, or why it cannot be used.
pub async fn resolve(
    conn: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Result<(response_link::Model, complaint::Model), LinkRefused>, sea_orm::DbErr> {
    let Some(hash) = lookup_hash(token) else {
        return Ok(Err(LinkRefused::Unknown));
    };
    let Some(link) = response_link::Entity::find()
        .filter(response_link::Column::TokenHash.eq(hash))
        .one(conn)
        .await?
    else {
        return Ok(Err(LinkRefused::Unknown));
    };
    if link.used_at.is_some() {
        return Ok(Err(LinkRefused::Used));
    }
    if now >= link.expires_at {
        return Ok(Err(LinkRefused::Expired));
    }
    let Some(case) = complaint::Entity::find_by_id(link.complaint_id)
        .one(conn)
        .await?
    else {
        return Ok(Err(LinkRefused::Unknown));
    };
    Ok(Ok((link, case)))
}

/// Marks a link used, once: `false` when another request used it first.
pub async fn use_up(
    conn: &impl ConnectionTrait,
    link_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sea_orm::DbErr> {
    let res = response_link::Entity::update_many()
        .col_expr(
            response_link::Column::UsedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(response_link::Column::Id.eq(link_id))
        .filter(response_link::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_lasts_to_the_end_of_the_thirtieth_day_after_the_due_date_in_shanghai() {
        let due = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        // 2 December 24:00 in Shanghai is 2 December 16:00 UTC.
        assert_eq!(
            expiry(due),
            "2026-12-02T16:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }
}
