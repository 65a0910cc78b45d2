//! The staff queue (`/staff/cases`), the case page (`/staff/cases/{id}`) and evidence downloads.
//! The case's actions are in [`actions`].
pub mod actions;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use serde_json::{json, Value};
use tower_sessions::Session;

use super::staff_context;
use crate::domain::format;
use crate::domain::workflow;
use crate::domain::{Language, Money, Outcome, Role, Sector, Status};
use crate::entities::{evidence_file, user};
use crate::error::{AppError, FieldErrors};
use crate::services::audit;
use crate::services::cases::queue::{self, QueueParams, Sort};
use crate::services::cases::{self, CaseDetail};
use crate::services::intake::duplicates;
use crate::services::intake::evidence;
use crate::state::AppState;
use crate::web::shared::auth::CurrentUser;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::page;

pub fn routes() -> Routes {
    Routes::new()
        .add("/staff/cases", &["GET"], Access::Staff, get(queue_page))
        .add("/staff/cases/{id}", &["GET"], Access::Staff, get(case_page))
        .add(
            "/staff/cases/{id}/evidence/{file_id}",
            &["GET"],
            Access::Staff,
            get(evidence_download),
        )
        .merge(actions::routes())
}

/// Obstacle codes with their localised names, for selects and checkboxes.
fn obstacle_options(state: &AppState, lang: Language) -> Vec<Value> {
    state
        .reference()
        .obstacles
        .iter()
        .filter(|o| o.active)
        .map(|o| {
            let name = match lang {
                Language::ZhCn => &o.name_zh,
                Language::En => &o.name_en,
            };
            json!({ "code": o.code, "name": name })
        })
        .collect()
}

fn province_options(state: &AppState, lang: Language) -> Vec<Value> {
    state
        .reference()
        .provinces
        .iter()
        .map(|p| {
            let name = match lang {
                Language::ZhCn => &p.name_zh,
                Language::En => &p.name_en,
            };
            json!({ "code": p.code, "name": name })
        })
        .collect()
}

/// Display names of staff users by id.
async fn user_names(state: &AppState) -> Result<std::collections::HashMap<i64, String>, AppError> {
    Ok(user::Entity::find()
        .all(&state.db.read)
        .await?
        .into_iter()
        .map(|u| {
            (
                u.id,
                if u.display_name.trim().is_empty() {
                    u.email
                } else {
                    u.display_name
                },
            )
        })
        .collect())
}

/// The queue parameters as a query string (empty ones left out).
fn query_string(p: &QueueParams) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    if let Ok(Value::Object(map)) = serde_json::to_value(p) {
        for (k, v) in map {
            if let Some(s) = v.as_str().filter(|s| !s.trim().is_empty()) {
                ser.append_pair(&k, s);
            }
        }
    }
    ser.finish()
}

/// Error summary entries in a stable order.
fn summary(errors: &FieldErrors) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|(k, v)| (k.clone(), v.join(" ")))
        .collect()
}

async fn queue_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    session: Session,
    Query(p): Query<QueueParams>,
) -> Result<Response, AppError> {
    let reference = state.reference();
    let today = format::today();
    let mut ctx = staff_context(&state, lang, "/staff/cases", &me, &session).await?;
    let (rows, next_url, errors, status) = match queue::parse(&p, &state.i18n, lang, &reference) {
        Ok(filters) => {
            let page_ = queue::run(&state.db.read, &filters, me.id, today).await?;
            let ids: Vec<i64> = page_.items.iter().map(|c| c.id).collect();
            let links = cases::links_for(&state.db.read, &ids).await?;
            let files = cases::evidence_counts(&state.db.read, &ids).await?;
            let names = user_names(&state).await?;
            let rows: Vec<Value> = page_
                .items
                .iter()
                .map(|c| {
                    json!({
                        "id": c.id, "code": c.tracking_code, "status": c.status,
                        "received": format::datetime(c.received_at, lang), "sector": c.sector,
                        "company": c.company_name, "service": c.service_name,
                        "province": c.province.as_deref().and_then(|p| reference.province_name(p, lang)),
                        "obstacles": links.get(&c.id).map(|l| l.confirmed()).unwrap_or_default(),
                        "suggested": links.get(&c.id).map(|l| l.suggestions.iter().map(|s| s.code.clone()).collect::<Vec<_>>()).unwrap_or_default(),
                        "due": cases::due_on(c).map(|d| format::date(d, lang)),
                        "overdue": cases::is_overdue(c, today),
                        "assigned": c.assigned_to.and_then(|u| names.get(&u).cloned()),
                        "files": files.get(&c.id).copied().unwrap_or(0),
                    })
                })
                .collect();
            let next_url = page_.next_cursor.map(|cur| {
                let mut p2 = p.clone();
                p2.cursor = Some(cur);
                format!("/staff/cases?{}", query_string(&p2))
            });
            (rows, next_url, FieldErrors::new(), StatusCode::OK)
        }
        Err(errors) => (vec![], None, errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    ctx.insert("rows", &rows);
    ctx.insert("next_url", &next_url);
    ctx.insert(
        "first_page",
        &p.cursor.as_deref().is_some_and(|c| !c.is_empty()),
    );
    ctx.insert("errors", &errors);
    ctx.insert("summary", &summary(&errors));
    ctx.insert("f", &p);
    ctx.insert("statuses", &Status::codes());
    ctx.insert("sectors", &Sector::codes());
    ctx.insert("sorts", &Sort::CODES);
    ctx.insert("obstacles", &obstacle_options(&state, lang));
    ctx.insert("provinces", &province_options(&state, lang));
    page(&state, "staff/cases.html", &ctx, status)
}

/// What the case page shows after a refused action.
#[derive(Default)]
pub struct Feedback {
    pub errors: FieldErrors,
    /// A message about the whole action (illegal step, conflict).
    pub message: Option<String>,
    pub conflict: bool,
    /// Values typed into the refused form.
    pub typed: Value,
    /// Which action form the errors belong to.
    pub action: Option<String>,
}

#[derive(Deserialize, Default)]
struct CaseQuery {
    /// The action that just succeeded (confirmation message).
    done: Option<String>,
    /// `1` to look for likely duplicates.
    duplicates: Option<String>,
}

async fn case_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    me: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let fb = Feedback {
        typed: json!({}),
        ..Feedback::default()
    };
    let done = q
        .done
        .as_deref()
        .filter(|d| actions::ACTION_CODES.contains(d))
        .map(str::to_string);
    render_case(
        &state,
        lang,
        &me,
        &session,
        id,
        fb,
        done,
        q.duplicates.as_deref() == Some("1"),
        StatusCode::OK,
    )
    .await
}

fn money(fen: Option<i64>) -> Option<String> {
    fen.map(|f| Money(f).display())
}

/// Renders the case page (also after a refused action, with `fb`). Viewing contact data is
/// audited each time it is shown.
#[allow(clippy::too_many_arguments)]
pub async fn render_case(
    state: &AppState,
    lang: Language,
    me: &CurrentUser,
    session: &Session,
    id: i64,
    fb: Feedback,
    done: Option<String>,
    show_duplicates: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let d = cases::detail(&state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = format::today();
    let duplicates = if show_duplicates {
        Some(duplicates::propose(&state.db.read, &d.case).await?)
    } else {
        None
    };
    if cases::has_contact(&d.case) {
        audit::record(
            &state.db.write,
            &me.actor(),
            "view_contact",
            Some(("complaint", id.to_string())),
            Some(json!({ "via": "case_page" })),
        )
        .await?;
    }
    let reviewers: Vec<Value> = user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.is_in([Role::Admin.code(), Role::Reviewer.code()]))
        .order_by_asc(user::Column::Email)
        .all(&state.db.read)
        .await?
        .into_iter()
        .map(|u| json!({ "id": u.id, "label": if u.display_name.trim().is_empty() { u.email.clone() } else { format!("{} <{}>", u.display_name, u.email) } }))
        .collect();
    let mut ctx = staff_context(state, lang, "/staff/cases", me, session).await?;
    ctx.insert("c", &case_view(state, lang, &d, today));
    ctx.insert("obstacles", &obstacle_view(state, lang, &d));
    ctx.insert("reviewers", &reviewers);
    ctx.insert("outcomes", &Outcome::codes());
    let from = Status::parse(&d.case.status);
    let steps: Vec<&str> = from
        .map(workflow::steps_from)
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.code())
        .collect();
    ctx.insert("steps", &steps);
    ctx.insert("duplicates", &duplicates.map(|v| {
        v.into_iter()
            .map(|c| json!({ "id": c.id, "code": c.tracking_code, "status": c.status, "received": format::datetime(c.received_at, lang),
                             "company": c.company_name, "reasons": c.reasons, "similarity": format!("{:.0}%", c.similarity * 100.0) }))
            .collect::<Vec<_>>()
    }));
    ctx.insert("errors", &fb.errors);
    ctx.insert("summary", &summary(&fb.errors));
    ctx.insert("message", &fb.message);
    ctx.insert("conflict", &fb.conflict);
    ctx.insert("typed", &fb.typed);
    ctx.insert("action", &fb.action);
    ctx.insert("done", &done);
    page(state, "staff/case.html", &ctx, status)
}

fn case_view(state: &AppState, lang: Language, d: &CaseDetail, today: chrono::NaiveDate) -> Value {
    let c = &d.case;
    let reference = state.reference();
    let dt = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| format::datetime(t, lang));
    let day = |t: Option<chrono::NaiveDate>| t.map(|t| format::date(t, lang));
    let mut v = json!({
        "id": c.id, "code": c.tracking_code, "status": c.status, "version": c.version,
        "received": format::datetime(c.received_at, lang), "sector": c.sector,
        "company_name": c.company_name, "service_name": c.service_name,
        "company": d.company.as_ref().map(|co| json!({ "id": co.id, "name": co.name, "contact_email": co.contact_email, "credit_code": co.credit_code })),
        "plan_from": c.plan_from, "plan_to": c.plan_to, "price_from": money(c.price_from_fen), "price_to": money(c.price_to_fen),
        "billing_cycle": c.billing_cycle, "requested_action": c.requested_action,
        "channels": c.channels_tried.split(';').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
        "contact_attempts": c.contact_attempts, "first_attempt_on": day(c.first_attempt_on),
        "outcome": c.outcome, "amount_claimed": money(c.amount_claimed_fen), "narrative": c.narrative,
        "province": c.province.as_deref().and_then(|p| reference.province_name(p, lang)),
        "contact_name": c.contact_name, "contact_email": c.contact_email, "contact_phone": c.contact_phone,
        "has_contact": cases::has_contact(c),
    });
    let more = json!({
        "consent_share_narrative": c.consent_share_narrative, "consent_contact_company": c.consent_contact_company,
        "language": c.language, "submitted_via": c.submitted_via,
        "spam_reasons": c.spam_reasons.split(';').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
        "primary_obstacle": c.primary_obstacle,
        "review_due": day(c.review_due_on), "response_due": day(c.response_due_on),
        "due": day(cases::due_on(c)), "overdue": cases::is_overdue(c, today),
    });
    let timeline = json!({
        "accepted_at": dt(c.accepted_at), "forwarded_at": dt(c.forwarded_at), "responded_at": dt(c.responded_at), "closed_at": dt(c.closed_at),
        "company_response": c.company_response, "response_timely": c.response_timely,
        "rejection_reason": c.rejection_reason,
        "outcome_feedback": c.outcome_feedback, "outcome_feedback_at": dt(c.outcome_feedback_at),
        "assigned": d.assigned.as_ref().map(|u| if u.display_name.trim().is_empty() { u.email.clone() } else { u.display_name.clone() }),
        "assigned_to": c.assigned_to,
        "duplicate_of": d.duplicate_of.as_ref().map(|t| json!({ "id": t.id, "code": t.tracking_code })),
        "merged": d.merged.iter().map(|m| json!({ "id": m.id, "code": m.tracking_code })).collect::<Vec<_>>(),
        "evidence": d.evidence.iter().map(|e| json!({
            "id": e.id, "name": e.original_name, "type": e.content_type, "size_kb": (e.size_bytes + 1023) / 1024,
        })).collect::<Vec<_>>(),
        "history": d.history.iter().map(|h| json!({
            "at": format::datetime(h.created_at, lang), "from": h.from_status, "to": h.to_status,
            "public": h.is_public, "note": h.note, "actor": h.actor,
        })).collect::<Vec<_>>(),
        "notes": d.notes.iter().map(|n| json!({ "at": format::datetime(n.created_at, lang), "author": n.author, "body": n.body })).collect::<Vec<_>>(),
        "replies": d.replies.iter().map(|r| json!({ "at": format::datetime(r.created_at, lang), "outcome": r.outcome, "message": r.message })).collect::<Vec<_>>(),
    });
    for extra in [more, timeline] {
        if let (Value::Object(base), Value::Object(add)) = (&mut v, extra) {
            base.extend(add);
        }
    }
    v
}

/// Every active obstacle with what is known about it on this case: suggested (score, trigger
/// text), reported by the consumer, confirmed by a reviewer (who, when), and whether its box
/// starts ticked (confirmed codes; before any confirmation, the suggestions and the consumer's
/// own ticks, so confirming is one click).
fn obstacle_view(state: &AppState, lang: Language, d: &CaseDetail) -> Value {
    let confirmed = d.links.confirmed();
    let none_confirmed = confirmed.is_empty();
    let rows: Vec<Value> = obstacle_options(state, lang)
        .into_iter()
        .map(|o| {
            let code = o["code"].as_str().unwrap_or_default().to_string();
            let sug = d.links.suggestions.iter().find(|s| s.code == code);
            let rev = d.links.reviewer.iter().find(|r| r.code == code);
            let reported = d.links.consumer.contains(&code);
            let checked = rev.is_some() || (none_confirmed && (sug.is_some() || reported));
            json!({
                "code": code, "name": o["name"], "checked": checked, "reported": reported,
                "score": sug.map(|s| format!("{:.2}", s.score)), "evidence": sug.map(|s| s.evidence.clone()),
                "set_by": rev.and_then(|r| r.set_by.clone()), "set_at": rev.map(|r| format::datetime(r.at, lang)),
            })
        })
        .collect();
    json!({
        "rows": rows,
        "confirmed": confirmed,
        "suggested": d.links.suggestions.iter().map(|s| json!({ "code": s.code, "score": format!("{:.2}", s.score), "evidence": s.evidence })).collect::<Vec<_>>(),
        "none_confirmed": none_confirmed,
    })
}

/// RFC 5987 encoding for `filename*`.
fn rfc5987(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Serves one evidence file to staff as a download that no browser will render or run.
async fn evidence_download(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let file_id: i64 = file_id.parse().map_err(|_| AppError::NotFound)?;
    let row = evidence_file::Entity::find_by_id(file_id)
        .filter(evidence_file::Column::ComplaintId.eq(id))
        .one(&state.db.read)
        .await?
        .ok_or(AppError::NotFound)?;
    if !row.stored_name.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let bytes = match tokio::fs::read(evidence::path_of(
        &state.config.evidence_dir(),
        &row.stored_name,
    ))
    .await
    {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let (content_type, ext) = match row.content_type.as_str() {
        "image/png" => ("image/png", "png"),
        "image/jpeg" => ("image/jpeg", "jpg"),
        "image/webp" => ("image/webp", "webp"),
        "application/pdf" => ("application/pdf", "pdf"),
        _ => ("application/octet-stream", "bin"),
    };
    audit::record(
        &state.db.write,
        &me.actor(),
        "view_evidence",
        Some(("evidence_file", file_id.to_string())),
        Some(json!({ "complaint": id })),
    )
    .await?;
    let disposition = format!(
        "attachment; filename=\"evidence-{file_id}.{ext}\"; filename*=UTF-8''{}",
        rfc5987(&row.original_name)
    );
    let mut resp = (StatusCode::OK, bytes).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(anyhow::Error::from)?,
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_are_percent_encoded() {
        assert_eq!(rfc5987("bill.pdf"), "bill.pdf");
        assert_eq!(rfc5987("账单 1.pdf"), "%E8%B4%A6%E5%8D%95%201.pdf");
        assert_eq!(rfc5987("a\"b;c"), "a%22b%3Bc");
    }
}
