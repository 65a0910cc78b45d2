//! Consumers' erasure requests from `/my`: the consumer asks for the erasure of a complaint's
//! contact data (and, if they tick it, the story); staff may confirm it at once or object with a
//! reason (the consumer is told by mail); otherwise it runs when the cooling-off period
//! (`DW_ERASURE_COOLING_OFF_DAYS`) has passed, from the background worker or `downgrade-watch
//! sweep`. A request is claimed by a guarded update (`… WHERE status = 'pending'`) in the
//! erasure's transaction, so two instances or two sweeps run it once.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;

use super::{Cause, Dirs, Erasure, Scope};
use crate::domain::response::clean_text;
use crate::entities::{complaint, erasure_request};
use crate::services::audit::{self, Actor};
use crate::services::error::ServiceError;
use crate::services::mail::{outbox, Composer, MailContent};
use crate::store::sql::stmt;

/// Request statuses.
pub const PENDING: &str = "pending";
pub const DONE: &str = "done";
pub const OBJECTED: &str = "objected";

/// Longest objection, in characters.
pub const MAX_OBJECTION_CHARS: usize = 2_000;

/// Why a request or an objection was refused: the form field and message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub field: &'static str,
    pub key: &'static str,
}

/// The consumer asks for the erasure of case `c`; it runs `cooling_off_days` from `now` unless
/// staff decide first.
pub async fn ask(
    conn: &impl ConnectionTrait,
    c: &complaint::Model,
    include_narrative: bool,
    cooling_off_days: u32,
    now: DateTime<Utc>,
) -> Result<Result<DateTime<Utc>, Refused>, DbErr> {
    let due = now + Duration::days(i64::from(cooling_off_days));
    // The partial unique index allows one pending request per case; a second one is skipped.
    let inserted = conn
        .execute(stmt(
            conn.get_database_backend(),
            "INSERT INTO erasure_requests (complaint_id, include_narrative, status, requested_at, due_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            vec![
                c.id.into(),
                include_narrative.into(),
                PENDING.into(),
                now.into(),
                due.into(),
            ],
        ))
        .await?
        .rows_affected();
    if inserted == 0 {
        return Ok(Err(Refused {
            field: "erasure",
            key: "erasure.errors.already_asked",
        }));
    }
    audit::record(
        conn,
        &crate::services::self_service::changes::consumer(),
        "erasure_requested",
        Some(("complaint", c.id.to_string())),
        Some(json!({
            "kinds": Scope { contact: true, narrative: include_narrative }.kinds(),
            "due_at": due.to_rfc3339(),
        })),
    )
    .await?;
    Ok(Ok(due))
}

/// The newest request on a case, whatever its status.
pub async fn latest(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
) -> Result<Option<erasure_request::Model>, DbErr> {
    erasure_request::Entity::find()
        .filter(erasure_request::Column::ComplaintId.eq(complaint_id))
        .order_by_desc(erasure_request::Column::Id)
        .one(conn)
        .await
}

/// A pending request with its case's tracking code, for the staff lists.
#[derive(Debug, Clone)]
pub struct PendingRequest {
    pub request: erasure_request::Model,
    pub tracking_code: String,
}

/// Every pending request, the soonest due first.
pub async fn pending(conn: &impl ConnectionTrait) -> Result<Vec<PendingRequest>, DbErr> {
    let requests = erasure_request::Entity::find()
        .filter(erasure_request::Column::Status.eq(PENDING))
        .order_by_asc(erasure_request::Column::DueAt)
        .order_by_asc(erasure_request::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<i64> = requests.iter().map(|r| r.complaint_id).collect();
    let codes: std::collections::HashMap<i64, String> = complaint::Entity::find()
        .filter(complaint::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.tracking_code))
        .collect();
    Ok(requests
        .into_iter()
        .map(|r| PendingRequest {
            tracking_code: codes.get(&r.complaint_id).cloned().unwrap_or_default(),
            request: r,
        })
        .collect())
}

/// Runs request `request_id` now if it is still pending: claims it and erases in one
/// transaction. `None` when it was no longer pending (decided elsewhere, or already run).
pub async fn run(
    db: &DatabaseConnection,
    dirs: &Dirs,
    request_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Option<Erasure>, DbErr> {
    let txn = db.begin().await?;
    let claimed = txn
        .execute(stmt(
            txn.get_database_backend(),
            "UPDATE erasure_requests SET status = $1, decided_at = $2, decided_by = $3 \
             WHERE id = $4 AND status = $5",
            vec![
                DONE.into(),
                now.into(),
                actor.user_id.into(),
                request_id.into(),
                PENDING.into(),
            ],
        ))
        .await?
        .rows_affected();
    if claimed == 0 {
        txn.rollback().await?;
        return Ok(None);
    }
    let Some(r) = erasure_request::Entity::find_by_id(request_id)
        .one(&txn)
        .await?
    else {
        txn.rollback().await?;
        return Ok(None);
    };
    let Some(c) = complaint::Entity::find_by_id(r.complaint_id)
        .one(&txn)
        .await?
    else {
        txn.rollback().await?;
        return Ok(None);
    };
    let scope = Scope {
        contact: true,
        narrative: r.include_narrative,
    };
    let done = super::erase_in(&txn, &c, scope, actor, Cause::ConsumerRequest, now).await?;
    txn.commit().await?;
    super::after_commit(db, dirs).await;
    Ok(Some(done))
}

/// Runs every pending request whose cooling-off has passed; returns the case ids erased.
pub async fn run_due(
    db: &DatabaseConnection,
    dirs: &Dirs,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, DbErr> {
    let due = erasure_request::Entity::find()
        .filter(erasure_request::Column::Status.eq(PENDING))
        .filter(erasure_request::Column::DueAt.lte(now))
        .order_by_asc(erasure_request::Column::Id)
        .all(db)
        .await?;
    let actor = Actor {
        user_id: None,
        label: "erasure cooling-off".into(),
    };
    let mut erased = Vec::new();
    for r in due {
        if run(db, dirs, r.id, &actor, now).await?.is_some() {
            erased.push(r.complaint_id);
        }
    }
    Ok(erased)
}

/// Staff object to the pending request on case `c` with `reason`: the request ends without an
/// erasure, the objection is audited and the consumer is told by mail.
pub async fn object(
    db: &DatabaseConnection,
    composer: &Composer<'_>,
    c: &complaint::Model,
    reason: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Result<(), Refused>, ServiceError> {
    let reason = clean_text(reason);
    let n = reason.chars().count();
    if n == 0 {
        return Ok(Err(Refused {
            field: "objection",
            key: "erasure.errors.reason_missing",
        }));
    }
    if n > MAX_OBJECTION_CHARS {
        return Ok(Err(Refused {
            field: "objection",
            key: "erasure.errors.reason_too_long",
        }));
    }
    let txn = db.begin().await?;
    let objected = txn
        .execute(stmt(
            txn.get_database_backend(),
            "UPDATE erasure_requests SET status = $1, decided_at = $2, decided_by = $3, objection = $4 \
             WHERE complaint_id = $5 AND status = $6",
            vec![
                OBJECTED.into(),
                now.into(),
                actor.user_id.into(),
                reason.clone().into(),
                c.id.into(),
                PENDING.into(),
            ],
        ))
        .await?
        .rows_affected();
    if objected == 0 {
        txn.rollback().await?;
        return Ok(Err(Refused {
            field: "objection",
            key: "erasure.errors.not_pending",
        }));
    }
    audit::record(
        &txn,
        actor,
        "erasure_objected",
        Some(("complaint", c.id.to_string())),
        Some(json!({ "reason_chars": n })),
    )
    .await?;
    if let Some(to) = c.contact_email.as_deref() {
        let lang = crate::services::cases::language_of(c);
        let content = objection_mail(composer, lang, &c.tracking_code, &reason)?;
        outbox::enqueue(&txn, Some(c.id), "erasure_objected", to, lang, content).await?;
    }
    txn.commit().await?;
    Ok(Ok(()))
}

fn objection_mail(
    composer: &Composer<'_>,
    lang: crate::domain::Language,
    code: &str,
    reason: &str,
) -> Result<MailContent, ServiceError> {
    let i18n = composer.i18n;
    let url = format!("{}/my", composer.base_url.trim_end_matches('/'));
    let subject = i18n.fmt(lang, "erasure.mail.subject", &[("code", code)]);
    let body = i18n.fmt(
        lang,
        "erasure.mail.body",
        &[("code", code), ("reason", reason), ("url", &url)],
    );
    let mut ctx = tera::Context::new();
    ctx.insert("t", i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("subject", &subject);
    ctx.insert("body", &body);
    Ok(MailContent {
        text: composer.tera.render("mail/notice.txt", &ctx)?,
        html: composer.tera.render("mail/notice.html", &ctx)?,
        subject,
    })
}

/// Marks a pending request on the case done when an erasure covers what it asked for (an admin
/// erased by hand before the cooling-off ended).
pub(super) async fn complete_covered(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
    scope: Scope,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if !scope.contact {
        return Ok(());
    }
    let sql = if scope.narrative {
        "UPDATE erasure_requests SET status = $1, decided_at = $2 WHERE complaint_id = $3 AND status = $4"
    } else {
        "UPDATE erasure_requests SET status = $1, decided_at = $2 WHERE complaint_id = $3 AND status = $4 \
         AND include_narrative = FALSE"
    };
    conn.execute(stmt(
        conn.get_database_backend(),
        sql,
        vec![DONE.into(), now.into(), complaint_id.into(), PENDING.into()],
    ))
    .await?;
    Ok(())
}
