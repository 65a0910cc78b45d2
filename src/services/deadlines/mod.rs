//! The deadline sweep: forwarded cases whose response due date has passed without an answer are
//! marked "no response" (`response_timely = false`, so every timely-rate figure counts them as
//! untimely), companies are reminded two working days before their due date, and reviewers are
//! told when a new complaint has waited past its review deadline.
//!
//! Each mark or reminder is claimed by inserting its `deadline_events` row (unique per case,
//! kind and due date) in the same transaction as its effects: a second instance running the same
//! sweep at the same moment inserts nothing and sends nothing, and a sweep that fails half-way
//! leaves no claimed event behind. The sweep runs in the background worker every minute and
//! from the CLI (`downgrade-watch sweep`).
pub mod lane_settings;
mod mails;
pub mod recompute;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, QueryResult, TransactionTrait, Value};
use serde_json::json;

use crate::domain::deadlines::{self, DeadlineKind};
use crate::domain::{Language, Status};
use crate::services::audit::{self, Actor};
use crate::services::error::ServiceError;
use crate::services::mail::outbox;
use crate::store::sql::stmt;

/// What the sweep needs is what case work needs: the write connection, the reference data (for
/// the holiday calendar), the mail composer and the outbox wake-up.
pub use crate::services::cases::actions::CaseWork as SweepWork;

/// What one sweep changed, by tracking code.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SweepReport {
    /// Forwarded cases marked as having no response by their due date.
    pub no_response: Vec<String>,
    /// Companies reminded of a due date two working days away.
    pub reminders: Vec<String>,
    /// New complaints past their review deadline, reported to their reviewer or the admins.
    pub review_overdue: Vec<String>,
}

impl SweepReport {
    /// Whether the sweep changed nothing.
    pub fn is_empty(&self) -> bool {
        self.no_response.is_empty() && self.reminders.is_empty() && self.review_overdue.is_empty()
    }
}

/// A case the sweep looks at.
struct Due {
    id: i64,
    code: String,
    due: NaiveDate,
    company: Option<String>,
    company_email: Option<String>,
    assigned_email: Option<String>,
}

impl Due {
    fn from_row(r: &QueryResult) -> Result<Due, DbErr> {
        Ok(Due {
            id: r.try_get("", "id")?,
            code: r.try_get("", "tracking_code")?,
            due: r.try_get("", "due")?,
            company: r.try_get("", "company")?,
            company_email: r.try_get("", "company_email")?,
            assigned_email: r.try_get("", "assigned_email")?,
        })
    }

    /// The company's forwarding address, if it has a usable one.
    fn company_address(&self) -> Option<&str> {
        self.company_email
            .as_deref()
            .filter(|e| !e.trim().is_empty())
    }
}

/// Cases handled per kind in one pass: a backlog (an old database, a long outage) drains over
/// several passes instead of holding the writer for minutes.
const PASS_LIMIT: i64 = 500;
/// Mails go out only for deadlines missed within this many days: an old backlog is marked, not
/// mailed about.
const MAIL_WINDOW_DAYS: i64 = 30;

/// Runs the sweep once for `today` (Asia/Shanghai); `now` is the time recorded.
pub async fn sweep(
    work: &SweepWork<'_>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<SweepReport, ServiceError> {
    let mut report = SweepReport::default();
    let recent = today - Duration::days(MAIL_WINDOW_DAYS);
    for case in due_cases(work.db, Pass::NoResponse, today).await? {
        if mark_no_response(work, &case, case.due >= recent, now).await? {
            report.no_response.push(case.code);
        }
    }
    for case in due_cases(work.db, Pass::Reminder, today).await? {
        if deadlines::reminder_due(
            &work.reference.calendar,
            Status::Forwarded,
            Some(case.due),
            today,
        ) && remind_company(work, &case, now).await?
        {
            report.reminders.push(case.code);
        }
    }
    for case in due_cases(work.db, Pass::ReviewOverdue, today).await? {
        if report_review_overdue(work, &case, now).await? {
            report.review_overdue.push(case.code);
        }
    }
    if !report.is_empty() {
        work.mail_wake.notify_one();
    }
    Ok(report)
}

/// Which cases a pass looks at.
#[derive(Debug, Clone, Copy)]
enum Pass {
    /// Forwarded, unanswered, due date passed, not yet marked.
    NoResponse,
    /// Forwarded, unanswered, due within the next month, not yet reminded for this due date.
    Reminder,
    /// Received or held, review date passed within the mail window, not yet reported.
    ReviewOverdue,
}

async fn due_cases(
    db: &DatabaseConnection,
    pass: Pass,
    today: NaiveDate,
) -> Result<Vec<Due>, DbErr> {
    let select =
        "SELECT c.id, c.tracking_code, co.name AS company, co.contact_email AS company_email, \
                  u.email AS assigned_email";
    let from = "FROM complaints c LEFT JOIN companies co ON co.id = c.company_id \
                LEFT JOIN users u ON u.id = c.assigned_to AND u.active";
    let not_done = |kind: DeadlineKind, col: &str| {
        format!(
            "NOT EXISTS (SELECT 1 FROM deadline_events e WHERE e.complaint_id = c.id \
             AND e.kind = '{}' AND e.due_on = c.{col})",
            kind.code()
        )
    };
    let (sql, values): (String, Vec<Value>) = match pass {
        Pass::NoResponse => (
            format!(
                "{select}, c.response_due_on AS due {from} WHERE c.status = $1 \
                 AND c.responded_at IS NULL AND c.no_response_at IS NULL \
                 AND c.response_due_on < $2 ORDER BY c.response_due_on DESC, c.id LIMIT $3"
            ),
            vec![
                Status::Forwarded.code().into(),
                today.into(),
                PASS_LIMIT.into(),
            ],
        ),
        Pass::Reminder => (
            format!(
                "{select}, c.response_due_on AS due {from} WHERE c.status = $1 \
                 AND c.responded_at IS NULL AND c.response_due_on >= $2 \
                 AND c.response_due_on <= $3 AND {} ORDER BY c.response_due_on, c.id LIMIT $4",
                not_done(DeadlineKind::ResponseReminder, "response_due_on")
            ),
            vec![
                Status::Forwarded.code().into(),
                today.into(),
                (today + Duration::days(MAIL_WINDOW_DAYS)).into(),
                PASS_LIMIT.into(),
            ],
        ),
        Pass::ReviewOverdue => (
            format!(
                "{select}, c.review_due_on AS due {from} WHERE c.status IN ($1, $2) \
                 AND c.review_due_on < $3 AND c.review_due_on >= $4 AND {} \
                 ORDER BY c.review_due_on DESC, c.id LIMIT $5",
                not_done(DeadlineKind::ReviewOverdue, "review_due_on")
            ),
            vec![
                Status::Received.code().into(),
                Status::Held.code().into(),
                today.into(),
                (today - Duration::days(MAIL_WINDOW_DAYS)).into(),
                PASS_LIMIT.into(),
            ],
        ),
    };
    let rows = db
        .query_all(stmt(db.get_database_backend(), &sql, values))
        .await?;
    rows.iter().map(Due::from_row).collect()
}

/// Inserts the event row unless it is there; true when this call inserted it.
async fn claim(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
    kind: DeadlineKind,
    due: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let sql = "INSERT INTO deadline_events (complaint_id, kind, due_on, created_at) \
               VALUES ($1, $2, $3, $4) ON CONFLICT (complaint_id, kind, due_on) DO NOTHING";
    let done = conn
        .execute(stmt(
            conn.get_database_backend(),
            sql,
            vec![
                complaint_id.into(),
                kind.code().into(),
                due.into(),
                now.into(),
            ],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks one case as "no response", with a history entry, an audit row and a mail to the
/// company. False when another sweep got there first or the company answered meanwhile.
async fn mark_no_response(
    work: &SweepWork<'_>,
    case: &Due,
    mail: bool,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let txn = work.db.begin().await?;
    if !claim(&txn, case.id, DeadlineKind::NoResponse, case.due, now).await? {
        return Ok(false);
    }
    let backend = txn.get_database_backend();
    let updated = txn
        .execute(stmt(
            backend,
            "UPDATE complaints SET response_timely = $1, no_response_at = $2, updated_at = $3, \
             version = version + 1 \
             WHERE id = $4 AND status = $5 AND responded_at IS NULL",
            vec![
                false.into(),
                now.into(),
                now.into(),
                case.id.into(),
                Status::Forwarded.code().into(),
            ],
        ))
        .await?;
    if updated.rows_affected() != 1 {
        // Answered between the look-up and the claim: nothing to mark (the claim rolls back).
        return Ok(false);
    }
    txn.execute(stmt(
        backend,
        "INSERT INTO status_history (complaint_id, from_status, to_status, is_public, note, \
         actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            case.id.into(),
            Status::Forwarded.code().into(),
            Status::Forwarded.code().into(),
            false.into(),
            work.composer
                .i18n
                .msg(Language::ZhCn, "deadlines.history.no_response")
                .into(),
            Value::from("system"),
            now.into(),
        ],
    ))
    .await?;
    if let Some(to) = case.company_address().filter(|_| mail) {
        let content = mails::render(&work.composer, "no_response", case)?;
        outbox::enqueue(
            &txn,
            Some(case.id),
            "no_response",
            to,
            Language::ZhCn,
            content,
        )
        .await?;
    }
    audit::record(
        &txn,
        &Actor::system(),
        "case_no_response",
        Some(("complaint", case.id.to_string())),
        Some(json!({ "response_due_on": case.due })),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Reminds the company of a due date two working days away (once per due date).
async fn remind_company(
    work: &SweepWork<'_>,
    case: &Due,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let Some(to) = case.company_address() else {
        return Ok(false);
    };
    let txn = work.db.begin().await?;
    if !claim(&txn, case.id, DeadlineKind::ResponseReminder, case.due, now).await? {
        return Ok(false);
    }
    let content = mails::render(&work.composer, "reminder", case)?;
    outbox::enqueue(
        &txn,
        Some(case.id),
        "response_reminder",
        to,
        Language::ZhCn,
        content,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Tells the assigned reviewer (or every active admin when nobody is assigned) that a new
/// complaint has waited past its review deadline.
async fn report_review_overdue(
    work: &SweepWork<'_>,
    case: &Due,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let txn = work.db.begin().await?;
    if !claim(&txn, case.id, DeadlineKind::ReviewOverdue, case.due, now).await? {
        return Ok(false);
    }
    let recipients = match &case.assigned_email {
        Some(e) => vec![e.clone()],
        None => crate::services::accounts::users::active_admin_emails(&txn).await?,
    };
    for to in recipients {
        let content = mails::render(&work.composer, "review_overdue", case)?;
        outbox::enqueue(
            &txn,
            Some(case.id),
            "review_overdue",
            &to,
            Language::ZhCn,
            content,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(true)
}
