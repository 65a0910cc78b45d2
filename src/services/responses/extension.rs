//! A company may ask once for more time to answer a case (a reason and a number of working
//! days); staff grant or refuse. A granted extension moves the response due date, which every
//! clock then uses (queue, case page, portal, track page, reminders, exports, timely figures).
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait, Value,
};
use serde_json::json;

use crate::domain::deadlines::{extended_due, MAX_EXTENSION_WORKING_DAYS};
use crate::domain::format::shanghai;
use crate::domain::{Language, Status};
use crate::entities::{company, complaint, extension_request, status_history};
use crate::services::audit::{self, Actor};
use crate::services::cases::actions::CaseWork;
use crate::services::error::ServiceError;
use crate::services::mail::outbox;

/// States of a request for more time.
pub const REQUESTED: &str = "requested";
pub const GRANTED: &str = "granted";
pub const REFUSED: &str = "refused";

/// Why a request or decision was refused (message keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionError {
    NotFound,
    /// The case is not waiting for the company's first answer.
    NotAwaiting,
    /// The due date has passed.
    Late,
    /// A request was already made for this case.
    AlreadyAsked,
    /// Days out of 1..=MAX.
    Days,
    /// Nothing is waiting for a decision.
    NothingToDecide,
}

impl ExtensionError {
    /// Form field and message key.
    pub fn field_and_key(self) -> (&'static str, &'static str) {
        match self {
            ExtensionError::NotFound => ("form", "errors.not_found"),
            ExtensionError::NotAwaiting => ("form", "company.errors.not_awaiting"),
            ExtensionError::Late => ("form", "company.errors.extension_late"),
            ExtensionError::AlreadyAsked => ("form", "company.errors.extension_exists"),
            ExtensionError::Days => ("days", "company.errors.days"),
            ExtensionError::NothingToDecide => ("form", "cases.extension.nothing"),
        }
    }
}

/// Parses the number of working days asked for.
pub fn parse_days(raw: &str) -> Result<u32, ExtensionError> {
    match raw.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_EXTENSION_WORKING_DAYS).contains(&n) => Ok(n),
        _ => Err(ExtensionError::Days),
    }
}

/// The company asks for `days` more working days on case `complaint_id`, once.
pub async fn request(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    company_id: i64,
    complaint_id: i64,
    reason: String,
    days: u32,
    now: DateTime<Utc>,
) -> Result<extension_request::Model, Result<ExtensionError, ServiceError>> {
    let txn = db.begin().await.map_err(|e| Err(e.into()))?;
    let c = complaint::Entity::find_by_id(complaint_id)
        .one(&txn)
        .await
        .map_err(|e| Err(e.into()))?
        .filter(|c| super::visible_to_company(c, company_id))
        .ok_or(Ok(ExtensionError::NotFound))?;
    if c.status != Status::Forwarded || c.responded_at.is_some() {
        return Err(Ok(ExtensionError::NotAwaiting));
    }
    let today = now.with_timezone(&shanghai()).date_naive();
    if c.response_due_on.is_none_or(|d| today > d) || c.no_response_at.is_some() {
        return Err(Ok(ExtensionError::Late));
    }
    let row = extension_request::ActiveModel {
        complaint_id: Set(complaint_id),
        user_id: Set(actor.user_id),
        reason: Set(reason),
        days: Set(days as i32),
        state: Set(REQUESTED.into()),
        decided_by: Set(None),
        decided_at: Set(None),
        previous_due_on: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let row = match row {
        Ok(r) => r,
        Err(e) => {
            return Err(match crate::services::error::unique_violation(&e) {
                Some(crate::services::error::UniqueKey::ExtensionRequest) => {
                    Ok(ExtensionError::AlreadyAsked)
                }
                _ => Err(e.into()),
            })
        }
    };
    audit::record(
        &txn,
        actor,
        "extension_requested",
        Some(("complaint", complaint_id.to_string())),
        Some(json!({ "days": days })),
    )
    .await
    .map_err(|e| Err(e.into()))?;
    txn.commit().await.map_err(|e| Err(e.into()))?;
    Ok(row)
}

/// The request for more time on a case, if any.
pub async fn for_case(
    conn: &impl sea_orm::ConnectionTrait,
    complaint_id: i64,
) -> Result<Option<extension_request::Model>, sea_orm::DbErr> {
    extension_request::Entity::find()
        .filter(extension_request::Column::ComplaintId.eq(complaint_id))
        .one(conn)
        .await
}

/// Staff grant or refuse a pending request. Granting moves the due date by the days asked
/// (working days counted from the current due date); the company is told either way.
pub async fn decide(
    work: &CaseWork<'_>,
    actor: &Actor,
    complaint_id: i64,
    grant: bool,
    now: DateTime<Utc>,
) -> Result<Option<NaiveDate>, Result<ExtensionError, ServiceError>> {
    let db = |e: sea_orm::DbErr| Err(ServiceError::from(e));
    let txn = work.db.begin().await.map_err(db)?;
    let req = for_case(&txn, complaint_id)
        .await
        .map_err(db)?
        .filter(|r| r.state == REQUESTED)
        .ok_or(Ok(ExtensionError::NothingToDecide))?;
    let c = complaint::Entity::find_by_id(complaint_id)
        .one(&txn)
        .await
        .map_err(db)?
        .ok_or(Ok(ExtensionError::NotFound))?;
    let mut new_due = None;
    if grant {
        if c.status != Status::Forwarded || c.responded_at.is_some() {
            return Err(Ok(ExtensionError::NotAwaiting));
        }
        let due = c.response_due_on.ok_or(Ok(ExtensionError::NotAwaiting))?;
        let moved = extended_due(&work.reference.calendar, due, req.days.max(0) as u32);
        complaint::Entity::update_many()
            .col_expr(complaint::Column::ResponseDueOn, Expr::value(Some(moved)))
            // A case the sweep marked between the request and the decision is judged by the
            // new date: an extension granted is time given.
            .col_expr(
                complaint::Column::NoResponseAt,
                Expr::value(Value::ChronoDateTimeUtc(None)),
            )
            .col_expr(
                complaint::Column::ResponseTimely,
                Expr::value(Value::Bool(None)),
            )
            .col_expr(
                complaint::Column::Version,
                Expr::col(complaint::Column::Version).add(1),
            )
            .col_expr(complaint::Column::UpdatedAt, Expr::value(now))
            .filter(complaint::Column::Id.eq(complaint_id))
            .exec(&txn)
            .await
            .map_err(db)?;
        status_history::ActiveModel {
            complaint_id: Set(complaint_id),
            from_status: Set(Some(c.status)),
            to_status: Set(c.status),
            is_public: Set(true),
            note: Set(Some(work.composer.i18n.fmt(
                Language::ZhCn,
                "cases.extension.history",
                &[("date", &moved.to_string())],
            ))),
            actor: Set(Some(actor.label.clone())),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(db)?;
        new_due = Some(moved);
    }
    let mut upd: extension_request::ActiveModel = req.clone().into();
    upd.state = Set(if grant { GRANTED } else { REFUSED }.into());
    upd.decided_by = Set(actor.user_id);
    upd.decided_at = Set(Some(now));
    upd.previous_due_on = Set(c.response_due_on);
    upd.update(&txn).await.map_err(db)?;
    audit::record(
        &txn,
        actor,
        if grant {
            "extension_granted"
        } else {
            "extension_refused"
        },
        Some(("complaint", complaint_id.to_string())),
        Some(json!({ "days": req.days, "previous_due_on": c.response_due_on, "due_on": new_due })),
    )
    .await
    .map_err(db)?;
    let co = match c.company_id {
        Some(id) => company::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(db)?,
        None => None,
    };
    if let Some(to) = co
        .as_ref()
        .and_then(|co| co.contact_email.clone())
        .filter(|e| !e.trim().is_empty())
    {
        let content = decided_mail(work, &c, grant, new_due.or(c.response_due_on)).map_err(Err)?;
        outbox::enqueue(
            &txn,
            Some(complaint_id),
            "extension_decided",
            &to,
            Language::ZhCn,
            content,
        )
        .await
        .map_err(db)?;
    }
    txn.commit().await.map_err(db)?;
    work.mail_wake.notify_one();
    Ok(new_due)
}

fn decided_mail(
    work: &CaseWork<'_>,
    c: &complaint::Model,
    granted: bool,
    due: Option<NaiveDate>,
) -> Result<crate::services::mail::MailContent, ServiceError> {
    let lang = Language::ZhCn;
    let i18n = work.composer.i18n;
    let due = due
        .map(|d| crate::domain::format::date(d, lang))
        .unwrap_or_default();
    let key = if granted { "granted" } else { "refused" };
    let subject = i18n.fmt(
        lang,
        &format!("cases.extension.mail.{key}_subject"),
        &[("code", &c.tracking_code)],
    );
    let body = i18n.fmt(
        lang,
        &format!("cases.extension.mail.{key}_body"),
        &[("code", &c.tracking_code), ("date", &due)],
    );
    let mut ctx = tera::Context::new();
    ctx.insert("t", i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("subject", &subject);
    ctx.insert("body", &body);
    Ok(crate::services::mail::MailContent {
        text: work.composer.tera.render("mail/notice.txt", &ctx)?,
        html: work.composer.tera.render("mail/notice.html", &ctx)?,
        subject,
    })
}
