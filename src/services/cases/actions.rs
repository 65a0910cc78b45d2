//! Changes reviewers make to a case. Each runs in one transaction: the optimistic-concurrency
//! update (`… WHERE id = ? AND version = ?`, then `version + 1`), the status history, the audit
//! row and any mail. A stale version means someone else changed the case first: their edit
//! stays and this one is refused with [`CaseError::Conflict`].
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait, Value,
};
use serde_json::json;

use crate::domain::format::shanghai;
use crate::domain::workflow::{self, Step};
use crate::domain::{ObstacleSource, Role, Status, TrackingCode};
use crate::entities::{company, complaint, complaint_obstacle, status_history, user};
use crate::services::audit::{self, Actor};
use crate::services::error::ServiceError;
use crate::services::mail;
use crate::services::mail::notify::{self, Extra};
use crate::services::mail::outbox;
use crate::services::responses::{store_answer, AnswerRow};

use super::change::{invalid, required_text};
pub use super::change::{
    CaseError, CaseRef, CaseWork, Change, ResponseSource, MAX_REASON_CHARS, MAX_TEXT_CHARS,
};
pub use super::note::add_note;
use super::steps::{add_note_row, has_public_received, link_target, receipt_sent, reviewer_codes};

/// What a successful change did.
#[derive(Debug, Clone)]
pub struct Applied {
    pub status: Status,
    pub version: i32,
    /// Mails queued (consumer and/or company).
    pub mails: usize,
}

/// Columns to set besides status, version and updated_at.
type Sets = Vec<(complaint::Column, SimpleExpr)>;

fn set(sets: &mut Sets, col: complaint::Column, v: impl Into<Value>) {
    sets.push((col, Expr::value(v.into())));
}

/// Applies `change` to case `id` as loaded at `version`.
pub async fn apply(
    work: &CaseWork<'_>,
    actor: &Actor,
    id: i64,
    version: i32,
    change: Change,
    now: DateTime<Utc>,
) -> Result<Applied, CaseError> {
    let txn = work.db.begin().await?;
    let c = complaint::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(CaseError::NotFound)?;
    if c.version != version {
        return Err(CaseError::Conflict);
    }
    let from = c.status;
    let to = match change.step() {
        Some(step) => workflow::transition(from, step).map_err(CaseError::Illegal)?,
        None => from,
    };
    let today = now.with_timezone(&shanghai()).date_naive();
    let mut sets: Sets = Vec::new();
    let mut extra = Extra::default();
    let mut history_note: Option<String> = None;
    let mut detail = json!({ "from": from.code(), "to": to.code() });
    let mut mails = 0usize;
    let mut after_update: Vec<PostUpdate> = Vec::new();

    match &change {
        Change::Accept => set(&mut sets, complaint::Column::AcceptedAt, Some(now)),
        Change::Hold | Change::Release => {}
        Change::Reject { reason } => {
            let reason = required_text("reason", reason, MAX_REASON_CHARS)?;
            set(
                &mut sets,
                complaint::Column::RejectionReason,
                Some(reason.clone()),
            );
            extra.reason = Some(reason);
        }
        Change::MarkDuplicate {
            target,
            note_on_target,
        } => {
            let t = match target {
                CaseRef::Id(tid) => complaint::Entity::find_by_id(*tid).one(&txn).await?,
                CaseRef::Code(code) => {
                    complaint::Entity::find()
                        .filter(complaint::Column::TrackingCode.eq(code.as_str()))
                        .one(&txn)
                        .await?
                }
            }
            .ok_or_else(|| invalid("target", "cases.errors.target_not_found"))?;
            if t.id == c.id {
                return Err(invalid("target", "cases.errors.target_self"));
            }
            if t.status == Status::Duplicate {
                // Point the reviewer at the case it was merged into.
                let root = match t.duplicate_of {
                    Some(rid) => complaint::Entity::find_by_id(rid)
                        .one(&txn)
                        .await?
                        .map(|r| r.tracking_code),
                    None => None,
                };
                return Err(CaseError::Invalid {
                    field: "target",
                    key: "cases.errors.target_is_duplicate",
                    args: vec![("code", root.unwrap_or(t.tracking_code))],
                });
            }
            set(&mut sets, complaint::Column::DuplicateOf, Some(t.id));
            detail["duplicate_of"] = json!(t.id);
            after_update.push(PostUpdate::NoteOn(t.id, note_on_target.clone()));
        }
        Change::Forward => {
            if !c.consent_contact_company {
                return Err(invalid("forward", "cases.errors.no_consent"));
            }
            let co = match c.company_id {
                Some(cid) => company::Entity::find_by_id(cid).one(&txn).await?,
                None => None,
            }
            .ok_or_else(|| invalid("forward", "cases.errors.no_company"))?;
            let Some(to_addr) = co.contact_email.clone().filter(|e| !e.trim().is_empty()) else {
                return Err(invalid("forward", "cases.errors.no_company_contact"));
            };
            let due = work.reference.clocks.response_due(
                &work.reference.calendar,
                today,
                c.priority_lane,
            );
            set(&mut sets, complaint::Column::ForwardedAt, Some(now));
            set(&mut sets, complaint::Column::ResponseDueOn, Some(due));
            extra.response_due = Some(due);
            detail["company_id"] = json!(co.id);
            detail["response_due_on"] = json!(due);
            let token = crate::services::responses::links::issue(&txn, c.id, due, now).await?;
            let link = crate::services::responses::links::url(work.composer.base_url, &token);
            let m = notify::forward_mail(&work.composer, &c, &co, due, &link)?;
            outbox::enqueue(
                &txn,
                Some(c.id),
                "forward",
                &to_addr,
                crate::domain::Language::ZhCn,
                m,
            )
            .await?;
            mails += 1;
        }
        Change::RecordResponse {
            text,
            category,
            source,
        } => {
            let text = required_text("text", text, MAX_TEXT_CHARS)?;
            if source.company_id.is_some() && source.company_id != c.company_id {
                // The case was linked to another company since the page was loaded.
                return Err(CaseError::NotFound);
            }
            let company_id = c
                .company_id
                .ok_or_else(|| invalid("text", "cases.errors.no_company"))?;
            let late = c.no_response_at.is_some() || c.response_due_on.is_some_and(|d| today > d);
            if c.responded_at.is_none() {
                // The first answer decides timeliness; a missed deadline stays missed.
                let timely = if c.no_response_at.is_some() {
                    Some(false)
                } else {
                    c.response_due_on.map(|_| !late)
                };
                set(&mut sets, complaint::Column::RespondedAt, Some(now));
                set(&mut sets, complaint::Column::ResponseTimely, timely);
                detail["response_timely"] = json!(timely);
            } else {
                // A follow-up answer is judged afresh by the consumer.
                set(
                    &mut sets,
                    complaint::Column::ConsumerFeedback,
                    Option::<String>::None,
                );
                set(
                    &mut sets,
                    complaint::Column::ConsumerFeedbackAt,
                    Option::<DateTime<Utc>>::None,
                );
                set(
                    &mut sets,
                    complaint::Column::ConsumerFeedbackReason,
                    Option::<String>::None,
                );
            }
            set(
                &mut sets,
                complaint::Column::CompanyResponse,
                Some(text.clone()),
            );
            set(
                &mut sets,
                complaint::Column::ResponseCategory,
                Some(category.code().to_string()),
            );
            detail["category"] = json!(category.code());
            detail["via"] = json!(source.via.code());
            detail["late"] = json!(late);
            extra.company_response = Some(text.clone());
            extra.response_category = Some(*category);
            after_update.push(PostUpdate::Response(Box::new(AnswerRow {
                company_id,
                category: *category,
                text,
                late,
                source: (**source).clone(),
            })));
        }
        Change::Reopen { reason } => {
            let reason = required_text("reason", reason, MAX_REASON_CHARS)?;
            let co = match c.company_id {
                Some(cid) => company::Entity::find_by_id(cid).one(&txn).await?,
                None => None,
            }
            .ok_or_else(|| invalid("reason", "cases.errors.no_company"))?;
            let due = work.reference.clocks.response_due(
                &work.reference.calendar,
                today,
                c.priority_lane,
            );
            set(&mut sets, complaint::Column::ResponseDueOn, Some(due));
            extra.response_due = Some(due);
            detail["response_due_on"] = json!(due);
            history_note = Some(reason.clone());
            if let Some(to_addr) = co.contact_email.clone().filter(|e| !e.trim().is_empty()) {
                let token = crate::services::responses::links::issue(&txn, c.id, due, now).await?;
                let link = crate::services::responses::links::url(work.composer.base_url, &token);
                let m = notify::reopen_mail(&work.composer, &c, &co, due, &reason, &link)?;
                outbox::enqueue(
                    &txn,
                    Some(c.id),
                    "reopen",
                    &to_addr,
                    crate::domain::Language::ZhCn,
                    m,
                )
                .await?;
                mails += 1;
            }
        }
        Change::Close { outcome } => {
            set(
                &mut sets,
                complaint::Column::Outcome,
                Some(outcome.code().to_string()),
            );
            set(&mut sets, complaint::Column::ClosedAt, Some(now));
            detail["outcome"] = json!(outcome.code());
            detail["previous_outcome"] = json!(c.outcome);
            extra.outcome = Some(*outcome);
        }
        Change::Withdraw { note } => {
            history_note = match note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                Some(n) => Some(required_text("note", n, MAX_REASON_CHARS)?),
                None => None,
            };
        }
        Change::SetObstacles { codes } => {
            let reference = &work.reference;
            let mut wanted: Vec<String> = Vec::new();
            for code in codes {
                let code = code.trim().to_ascii_uppercase();
                if !reference.is_obstacle(&code) {
                    return Err(CaseError::Invalid {
                        field: "codes",
                        key: "errors.unknown_obstacle",
                        args: vec![("code", code.chars().take(40).collect())],
                    });
                }
                if !wanted.contains(&code) {
                    wanted.push(code);
                }
            }
            let existing = reviewer_codes(&txn, id).await?;
            let added: Vec<String> = wanted
                .iter()
                .filter(|w| !existing.contains(w))
                .cloned()
                .collect();
            let removed: Vec<String> = existing
                .iter()
                .filter(|e| !wanted.contains(e))
                .cloned()
                .collect();
            if c.primary_obstacle
                .as_ref()
                .is_some_and(|p| !wanted.contains(p))
            {
                set(
                    &mut sets,
                    complaint::Column::PrimaryObstacle,
                    Option::<String>::None,
                );
            }
            set(
                &mut sets,
                complaint::Column::TaxonomyVersion,
                reference.taxonomy_version(),
            );
            detail = json!({ "added": added, "removed": removed });
            after_update.push(PostUpdate::Obstacles { added, removed });
        }
        Change::SetPrimary { code } => {
            if let Some(p) = code {
                if !reviewer_codes(&txn, id).await?.contains(p) {
                    return Err(invalid("primary", "cases.errors.primary_not_confirmed"));
                }
            }
            set(&mut sets, complaint::Column::PrimaryObstacle, code.clone());
            detail = json!({ "primary_obstacle": code });
        }
        Change::LinkCompany { name, create } => {
            let co = link_target(&txn, name, *create, &c.sector, now).await?;
            set(&mut sets, complaint::Column::CompanyId, Some(co.id));
            detail = json!({ "company_id": co.id, "previous": c.company_id });
        }
        Change::Assign { user_id } => {
            if let Some(uid) = user_id {
                let u = user::Entity::find_by_id(*uid).one(&txn).await?;
                let ok = u.is_some_and(|u| {
                    u.active && Role::parse(&u.role).is_some_and(workflow::may_work_cases)
                });
                if !ok {
                    return Err(invalid("user_id", "cases.errors.not_a_reviewer"));
                }
            }
            set(&mut sets, complaint::Column::AssignedTo, *user_id);
            detail = json!({ "assigned_to": user_id, "previous": c.assigned_to });
        }
        Change::SetLane { into, reason } => {
            let reason = required_text("lane_reason", reason, MAX_REASON_CHARS)?;
            if c.priority_lane == *into {
                let key = if *into {
                    "cases.errors.lane_already_in"
                } else {
                    "cases.errors.lane_already_out"
                };
                return Err(invalid("lane_reason", key));
            }
            set(&mut sets, complaint::Column::PriorityLane, *into);
            set(&mut sets, complaint::Column::LaneChangedAt, Some(now));
            detail = json!({ "priority_lane": into, "reason": reason });
            for (col, name, due) in super::lane::moved_clocks(&txn, work, &c, *into, today).await? {
                set(&mut sets, col, Some(due));
                detail[name] = json!(due);
            }
            after_update.push(PostUpdate::Lane(*into, reason));
        }
    }
    if to != from {
        set(&mut sets, complaint::Column::Status, to);
    }

    let mut q = complaint::Entity::update_many()
        .col_expr(
            complaint::Column::Version,
            Expr::col(complaint::Column::Version).add(1),
        )
        .col_expr(complaint::Column::UpdatedAt, Expr::value(now));
    for (col, e) in sets {
        q = q.col_expr(col, e);
    }
    let res = q
        .filter(complaint::Column::Id.eq(id))
        .filter(complaint::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(CaseError::Conflict);
    }

    for p in after_update {
        match p {
            PostUpdate::NoteOn(target, body) => {
                add_note_row(&txn, target, actor, body, now).await?
            }
            PostUpdate::Response(r) => store_answer(&txn, id, &r, now).await?,
            PostUpdate::Lane(into, reason) => {
                super::lane::record_move(&txn, id, into, reason, actor, now).await?
            }
            PostUpdate::Obstacles { added, removed } => {
                if !removed.is_empty() {
                    complaint_obstacle::Entity::delete_many()
                        .filter(complaint_obstacle::Column::ComplaintId.eq(id))
                        .filter(
                            complaint_obstacle::Column::Source.eq(ObstacleSource::Reviewer.code()),
                        )
                        .filter(complaint_obstacle::Column::ObstacleCode.is_in(removed))
                        .exec(&txn)
                        .await?;
                }
                for code in added {
                    complaint_obstacle::ActiveModel {
                        complaint_id: Set(id),
                        obstacle_code: Set(code),
                        source: Set(ObstacleSource::Reviewer.code().into()),
                        score: Set(None),
                        evidence: Set(None),
                        set_by: Set(Some(actor.label.clone())),
                        created_at: Set(now),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                }
            }
        }
    }

    if to != from {
        let is_public = if change.step() == Some(Step::Release) {
            !has_public_received(&txn, id).await?
        } else {
            workflow::is_public(to)
        };
        status_history::ActiveModel {
            complaint_id: Set(id),
            from_status: Set(Some(from)),
            to_status: Set(to),
            is_public: Set(is_public),
            note: Set(history_note),
            actor: Set(Some(actor.label.clone())),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        if change.step() == Some(Step::Release) {
            // The receipt that intake held back, unless one went out before the case was held.
            if let Some(addr) = c.contact_email.as_deref() {
                if !receipt_sent(&txn, id).await? {
                    let lang = super::language_of(&c);
                    let code = TrackingCode::parse(&c.tracking_code).ok_or_else(|| {
                        ServiceError::Internal(anyhow::anyhow!(
                            "case {id} has a malformed tracking code"
                        ))
                    })?;
                    let due = c.review_due_on.unwrap_or_else(|| {
                        work.reference.clocks.review_due(
                            &work.reference.calendar,
                            today,
                            c.priority_lane,
                        )
                    });
                    let m = mail::receipt(
                        &work.composer,
                        lang,
                        &code,
                        due,
                        c.priority_lane.then_some(work.reference.clocks),
                    )?;
                    outbox::enqueue(&txn, Some(id), "receipt", addr, lang, m).await?;
                    mails += 1;
                }
            }
        } else if from != Status::Held {
            // A held case never got a receipt: mailing it now would let suspected spam reach
            // strangers' inboxes.
            if notify::status_changed(&work.composer, &txn, &c, to, &extra).await? {
                mails += 1;
            }
        }
    }
    audit::record(
        &txn,
        actor,
        &format!("case_{}", change.code()),
        Some(("complaint", id.to_string())),
        Some(detail),
    )
    .await?;
    txn.commit().await?;
    if mails > 0 {
        work.mail_wake.notify_one();
    }
    Ok(Applied {
        status: to,
        version: version + 1,
        mails,
    })
}

/// Work done after the guarded update succeeded.
enum PostUpdate {
    NoteOn(i64, String),
    Response(Box<AnswerRow>),
    /// A lane move's history row.
    Lane(bool, String),
    Obstacles {
        added: Vec<String>,
        removed: Vec<String>,
    },
}
