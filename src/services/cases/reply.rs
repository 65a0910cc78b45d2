//! The consumer's answer from the tracking page: was the problem resolved? Offered once a case
//! is accepted; stored as a reply row and on the complaint, never shown publicly.
use super::*;

/// Longest consumer reply message, in characters.
pub const MAX_REPLY_CHARS: usize = 2000;

/// Why a consumer reply was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyError {
    /// The case is not at a stage where "was it resolved?" makes sense.
    NotOpenForReplies,
    BadOutcome,
    TooLong,
}

impl ReplyError {
    pub fn field_and_key(self) -> (&'static str, &'static str) {
        match self {
            ReplyError::NotOpenForReplies => ("form", "cases.reply.not_open"),
            ReplyError::BadOutcome => ("outcome", "cases.reply.bad_outcome"),
            ReplyError::TooLong => ("message", "cases.reply.too_long"),
        }
    }
}

/// Outcomes a consumer can report from the tracking page.
pub const REPLY_OUTCOMES: [Outcome; 3] = [
    Outcome::Resolved,
    Outcome::PartiallyResolved,
    Outcome::NotResolved,
];

/// Whether the tracking page offers "was this resolved?" for a case in this status.
pub fn accepts_replies(status: Status) -> bool {
    matches!(
        status,
        Status::Accepted | Status::Forwarded | Status::Responded | Status::Closed
    )
}

/// What the tracking page's reply form needs: whether it is offered, the last answer and the
/// answers to choose from.
#[derive(Debug, Clone, Serialize)]
pub struct ReplyView {
    pub open: bool,
    pub last: Option<String>,
    pub outcomes: Vec<&'static str>,
}

/// The reply form's state for one case.
pub fn reply_view(c: &complaint::Model) -> ReplyView {
    ReplyView {
        open: accepts_replies(c.status),
        last: c.outcome_feedback.clone(),
        outcomes: REPLY_OUTCOMES.iter().map(|o| o.code()).collect(),
    }
}

/// Checks a reply: the outcome code and an optional message.
pub fn parse_reply(outcome: &str, message: &str) -> Result<(Outcome, Option<String>), ReplyError> {
    let outcome = Outcome::parse(outcome.trim())
        .filter(|o| REPLY_OUTCOMES.contains(o))
        .ok_or(ReplyError::BadOutcome)?;
    let message: String = message
        .trim()
        .chars()
        // Control characters and bidirectional overrides/isolates (which intake refuses in its
        // fields) are dropped: a reply must not reorder how the text around it is shown.
        .filter(|c| {
            (!c.is_control() || matches!(c, '\n' | '\t'))
                && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    if message.chars().count() > MAX_REPLY_CHARS {
        return Err(ReplyError::TooLong);
    }
    Ok((outcome, (!message.is_empty()).then_some(message)))
}

/// Stores the consumer's "was this resolved?" answer and sets the case's outcome feedback.
/// The case version is not bumped: the reply touches no column a reviewer edits.
pub async fn record_reply(
    db: &DatabaseConnection,
    code: &TrackingCode,
    outcome: Outcome,
    message: Option<String>,
    now: DateTime<Utc>,
) -> Result<Result<(), ReplyError>, ServiceError> {
    let txn = db.begin().await?;
    let Some(c) = complaint::Entity::find()
        .filter(complaint::Column::TrackingCode.eq(code.as_str()))
        .one(&txn)
        .await?
    else {
        return Err(ServiceError::NotFound);
    };
    if !accepts_replies(c.status) {
        return Ok(Err(ReplyError::NotOpenForReplies));
    }
    consumer_reply::ActiveModel {
        complaint_id: Set(c.id),
        outcome: Set(outcome.code().into()),
        message: Set(message),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let id = c.id;
    let mut m: complaint::ActiveModel = c.into();
    m.outcome_feedback = Set(Some(outcome.code().into()));
    m.outcome_feedback_at = Set(Some(now));
    m.update(&txn).await?;
    let actor = Actor {
        user_id: None,
        label: "consumer".into(),
    };
    audit::record(
        &txn,
        &actor,
        "consumer_reply",
        Some(("complaint", id.to_string())),
        Some(json!({ "outcome": outcome.code() })),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_take_three_outcomes_and_a_bounded_message() {
        assert_eq!(parse_reply("resolved", "  "), Ok((Outcome::Resolved, None)));
        assert_eq!(
            parse_reply("not_resolved", " 还是扣费 "),
            Ok((Outcome::NotResolved, Some("还是扣费".into())))
        );
        assert_eq!(parse_reply("gave_up", ""), Err(ReplyError::BadOutcome));
        assert_eq!(parse_reply("", ""), Err(ReplyError::BadOutcome));
        assert_eq!(
            parse_reply("resolved", &"长".repeat(2001)),
            Err(ReplyError::TooLong)
        );
        assert!(parse_reply("resolved", &"长".repeat(2000)).is_ok());
        assert_eq!(
            parse_reply("resolved", "已退款\u{202E}txt.exe\u{2066}。\u{0007}"),
            Ok((Outcome::Resolved, Some("已退款txt.exe。".to_string())))
        );
    }

    #[test]
    fn replies_are_open_once_a_case_is_accepted() {
        assert!(
            !accepts_replies(Status::Received)
                && !accepts_replies(Status::Held)
                && !accepts_replies(Status::Rejected)
        );
        assert!(
            accepts_replies(Status::Accepted)
                && accepts_replies(Status::Forwarded)
                && accepts_replies(Status::Closed)
        );
    }
}
