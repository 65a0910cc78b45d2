//! The consumer's verdict on the company's answer, from the tracking page: satisfied or not
//! satisfied (with an optional reason), within a window after the latest answer
//! (`DW_FEEDBACK_DAYS`, default 15 days). "Not satisfied" marks the case disputed, which puts it
//! back in front of staff (the queue's "disputed" filter) and counts in the dispute rate.
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::Serialize;
use serde_json::json;

use crate::domain::response::clean_text;
use crate::domain::{ConsumerFeedback, Status, TrackingCode};
use crate::entities::{company_response, complaint, status_history};
use crate::services::audit::{self, Actor};
use crate::services::error::ServiceError;

/// Longest reason a consumer may give, in characters.
pub const MAX_VERDICT_REASON_CHARS: usize = 2_000;

/// Why a verdict was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictError {
    /// There is no company answer to judge, or it has been judged already.
    NotOpen,
    /// The window after the answer has closed.
    TooLate,
    BadChoice,
    TooLong,
}

impl VerdictError {
    /// Form field and message key.
    pub fn field_and_key(self) -> (&'static str, &'static str) {
        match self {
            VerdictError::NotOpen => ("form", "track.verdict.not_open"),
            VerdictError::TooLate => ("form", "track.verdict.too_late"),
            VerdictError::BadChoice => ("feedback", "track.verdict.bad_choice"),
            VerdictError::TooLong => ("reason", "track.verdict.too_long"),
        }
    }
}

/// Parses the consumer's choice and reason.
pub fn parse_verdict(
    feedback: &str,
    reason: &str,
) -> Result<(ConsumerFeedback, Option<String>), VerdictError> {
    let feedback = ConsumerFeedback::parse(feedback.trim())
        .filter(|f| *f != ConsumerFeedback::None)
        .ok_or(VerdictError::BadChoice)?;
    let reason = clean_text(reason);
    if reason.chars().count() > MAX_VERDICT_REASON_CHARS {
        return Err(VerdictError::TooLong);
    }
    Ok((feedback, (!reason.is_empty()).then_some(reason)))
}

/// What the tracking page shows about the company's answer and the verdict form.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerSection {
    /// The latest answer's category code and text (never staff notes).
    pub category: String,
    pub text: String,
    pub answered_at: DateTime<Utc>,
    pub late: bool,
    /// The consumer's verdict so far (`satisfied`, `not_satisfied`), if given.
    pub feedback: Option<String>,
    /// Whether the verdict form is offered now.
    pub open: bool,
    /// Last moment a verdict is taken.
    pub open_until: DateTime<Utc>,
}

/// The latest company answer on a case, if any.
async fn latest_answer(
    conn: &impl sea_orm::ConnectionTrait,
    complaint_id: i64,
) -> Result<Option<company_response::Model>, sea_orm::DbErr> {
    company_response::Entity::find()
        .filter(company_response::Column::ComplaintId.eq(complaint_id))
        .order_by_desc(company_response::Column::Id)
        .one(conn)
        .await
}

fn verdict_open(
    c: &complaint::Model,
    answered_at: DateTime<Utc>,
    window_days: u32,
    now: DateTime<Utc>,
) -> Result<(), VerdictError> {
    if c.consumer_feedback.is_some() || !matches!(c.status, Status::Responded | Status::Closed) {
        return Err(VerdictError::NotOpen);
    }
    if now > answered_at + Duration::days(window_days as i64) {
        return Err(VerdictError::TooLate);
    }
    Ok(())
}

/// The answer section of a case's tracking page, or `None` before the company answered.
pub async fn answer_section(
    db: &DatabaseConnection,
    c: &complaint::Model,
    window_days: u32,
    now: DateTime<Utc>,
) -> Result<Option<AnswerSection>, sea_orm::DbErr> {
    let Some(a) = latest_answer(db, c.id).await? else {
        return Ok(None);
    };
    Ok(Some(AnswerSection {
        open: verdict_open(c, a.created_at, window_days, now).is_ok(),
        open_until: a.created_at + Duration::days(window_days as i64),
        category: a.category,
        text: a.body,
        answered_at: a.created_at,
        late: a.late,
        feedback: c.consumer_feedback.clone(),
    }))
}

/// Stores the consumer's verdict on the latest answer. Returns `Ok(Err(..))` for a refusal the
/// consumer can act on.
pub async fn record_verdict(
    db: &DatabaseConnection,
    code: &TrackingCode,
    feedback: ConsumerFeedback,
    reason: Option<String>,
    window_days: u32,
    now: DateTime<Utc>,
) -> Result<Result<(), VerdictError>, ServiceError> {
    let txn = db.begin().await?;
    let c = complaint::Entity::find()
        .filter(complaint::Column::TrackingCode.eq(code.as_str()))
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let Some(answer) = latest_answer(&txn, c.id).await? else {
        return Ok(Err(VerdictError::NotOpen));
    };
    if let Err(e) = verdict_open(&c, answer.created_at, window_days, now) {
        return Ok(Err(e));
    }
    let disputed = feedback == ConsumerFeedback::NotSatisfied;
    // Guarded on "no verdict yet", so two submissions cannot both count.
    let res = complaint::Entity::update_many()
        .col_expr(
            complaint::Column::ConsumerFeedback,
            Expr::value(Some(feedback.code().to_string())),
        )
        .col_expr(
            complaint::Column::ConsumerFeedbackAt,
            Expr::value(Some(now)),
        )
        .col_expr(
            complaint::Column::ConsumerFeedbackReason,
            Expr::value(reason.clone()),
        )
        .col_expr(
            complaint::Column::ConsumerDisputed,
            Expr::value(c.consumer_disputed || disputed),
        )
        .filter(complaint::Column::Id.eq(c.id))
        .filter(complaint::Column::ConsumerFeedback.is_null())
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Ok(Err(VerdictError::NotOpen));
    }
    if disputed {
        // For staff: why the case is back in their queue (the consumer's own words).
        status_history::ActiveModel {
            complaint_id: Set(c.id),
            from_status: Set(Some(c.status)),
            to_status: Set(c.status),
            is_public: Set(false),
            note: Set(Some(reason.clone().unwrap_or_default())),
            actor: Set(Some("consumer".into())),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        &Actor {
            user_id: None,
            label: "consumer".into(),
        },
        "consumer_verdict",
        Some(("complaint", c.id.to_string())),
        Some(json!({ "feedback": feedback.code(), "response_id": answer.id })),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verdict_is_satisfied_or_not_with_an_optional_reason() {
        assert_eq!(
            parse_verdict("satisfied", " "),
            Ok((ConsumerFeedback::Satisfied, None))
        );
        assert_eq!(
            parse_verdict("not_satisfied", " 仍在扣费 "),
            Ok((ConsumerFeedback::NotSatisfied, Some("仍在扣费".into())))
        );
        assert_eq!(parse_verdict("none", ""), Err(VerdictError::BadChoice));
        assert_eq!(parse_verdict("", ""), Err(VerdictError::BadChoice));
        assert_eq!(
            parse_verdict("satisfied", &"长".repeat(MAX_VERDICT_REASON_CHARS + 1)),
            Err(VerdictError::TooLong)
        );
    }
}
