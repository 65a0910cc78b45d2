//! The case page: everything about one case, the forms of its actions, and what a refused
//! action left behind (errors, typed values).
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{actions, obstacle_options, summary};
use crate::domain::format;
use crate::domain::workflow;
use crate::domain::{Money, Outcome, Status};
use crate::error::{AppError, FieldErrors};
use crate::services::accounts::users;
use crate::services::audit;
use crate::services::cases::{self, CaseDetail};
use crate::services::intake::duplicates::{self, Reason};
use crate::web::shared::page::{StaffPage, View};

/// Values typed into a refused action form; absent ones keep the forms' defaults.
#[derive(Serialize, Default, Clone)]
pub struct Typed {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// What the case page shows after a refused action.
#[derive(Default)]
pub struct Feedback {
    pub errors: FieldErrors,
    /// A message about the whole action (illegal step, conflict).
    pub message: Option<String>,
    pub conflict: bool,
    /// Values typed into the refused form.
    pub typed: Typed,
    /// Which action form the errors belong to.
    pub action: Option<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct CaseQuery {
    /// The action that just succeeded (confirmation message).
    done: Option<String>,
    /// `1` to look for likely duplicates.
    duplicates: Option<String>,
}

pub(super) async fn case_page(
    page: StaffPage,
    Path(id): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let done = q
        .done
        .as_deref()
        .filter(|d| actions::ACTION_CODES.contains(d))
        .map(str::to_string);
    render_case(
        &page,
        id,
        Feedback::default(),
        done,
        q.duplicates.as_deref() == Some("1"),
        StatusCode::OK,
    )
    .await
}

fn money(fen: Option<i64>) -> Option<String> {
    fen.map(|f| Money(f).display())
}

#[derive(Serialize)]
struct Reviewer {
    id: i64,
    label: String,
}

#[derive(Serialize)]
struct DuplicateView {
    id: i64,
    code: String,
    status: String,
    received: String,
    company: String,
    reasons: Vec<Reason>,
    similarity: String,
}

#[derive(Serialize)]
struct CaseView {
    c: CaseFacts,
    obstacles: ObstacleView,
    reviewers: Vec<Reviewer>,
    outcomes: Vec<&'static str>,
    steps: Vec<&'static str>,
    duplicates: Option<Vec<DuplicateView>>,
    errors: FieldErrors,
    summary: Vec<(String, String)>,
    message: Option<String>,
    conflict: bool,
    typed: Typed,
    action: Option<String>,
    done: Option<String>,
}

impl View for CaseView {
    const TEMPLATE: &'static str = "staff/case.html";
    const PATH: &'static str = "/staff/cases";
}

/// Renders the case page (also after a refused action, with `fb`). Viewing contact data is
/// audited each time it is shown.
pub async fn render_case(
    page: &StaffPage,
    id: i64,
    fb: Feedback,
    done: Option<String>,
    show_duplicates: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (state, lang) = (&page.state, page.lang);
    let db = &state.db.read;
    let d = cases::detail(db, id).await?.ok_or(AppError::NotFound)?;
    let today = format::today();
    let duplicates = if show_duplicates {
        Some(duplicates::propose(db, &d.case).await?)
    } else {
        None
    };
    if cases::has_contact(&d.case) {
        audit::record(
            &state.db.write,
            &page.user.actor(),
            "view_contact",
            Some(("complaint", id.to_string())),
            Some(json!({ "via": "case_page" })),
        )
        .await?;
    }
    let reviewers = users::reviewers(db)
        .await?
        .into_iter()
        .map(|u| Reviewer {
            id: u.id,
            label: if u.display_name.trim().is_empty() {
                u.email
            } else {
                format!("{} <{}>", u.display_name, u.email)
            },
        })
        .collect();
    let steps = Status::parse(&d.case.status)
        .map(workflow::steps_from)
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.code())
        .collect();
    let duplicates = duplicates.map(|v| {
        v.into_iter()
            .map(|c| DuplicateView {
                id: c.id,
                code: c.tracking_code,
                status: c.status,
                received: format::datetime(c.received_at, lang),
                company: c.company_name,
                reasons: c.reasons,
                similarity: format!("{:.0}%", c.similarity * 100.0),
            })
            .collect()
    });
    let view = CaseView {
        c: CaseFacts::of(page, &d, today),
        obstacles: ObstacleView::of(page, &d),
        reviewers,
        outcomes: Outcome::codes(),
        steps,
        duplicates,
        summary: summary(&fb.errors),
        errors: fb.errors,
        message: fb.message,
        conflict: fb.conflict,
        typed: fb.typed,
        action: fb.action,
        done,
    };
    page.render(&view, status).await
}

#[derive(Serialize)]
struct CompanyFacts {
    id: i64,
    name: String,
    contact_email: Option<String>,
    credit_code: Option<String>,
}

#[derive(Serialize)]
struct CaseRef {
    id: i64,
    code: String,
}

#[derive(Serialize)]
struct EvidenceFacts {
    id: i64,
    name: String,
    #[serde(rename = "type")]
    content_type: String,
    size_kb: i64,
}

#[derive(Serialize)]
struct HistoryFacts {
    at: String,
    from: Option<String>,
    to: String,
    public: bool,
    note: Option<String>,
    actor: Option<String>,
}

#[derive(Serialize)]
struct NoteFacts {
    at: String,
    author: String,
    body: String,
}

#[derive(Serialize)]
struct ReplyFacts {
    at: String,
    outcome: String,
    message: Option<String>,
}

/// Everything the page shows about the case itself.
#[derive(Serialize)]
struct CaseFacts {
    id: i64,
    code: String,
    status: String,
    version: i32,
    received: String,
    sector: String,
    company_name: String,
    service_name: Option<String>,
    company: Option<CompanyFacts>,
    plan_from: Option<String>,
    plan_to: Option<String>,
    price_from: Option<String>,
    price_to: Option<String>,
    billing_cycle: Option<String>,
    requested_action: String,
    channels: Vec<String>,
    contact_attempts: Option<i32>,
    first_attempt_on: Option<String>,
    outcome: Option<String>,
    amount_claimed: Option<String>,
    narrative: String,
    province: Option<String>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    has_contact: bool,
    consent_share_narrative: bool,
    consent_contact_company: bool,
    language: String,
    submitted_via: String,
    spam_reasons: Vec<String>,
    primary_obstacle: Option<String>,
    review_due: Option<String>,
    response_due: Option<String>,
    due: Option<String>,
    overdue: bool,
    accepted_at: Option<String>,
    forwarded_at: Option<String>,
    responded_at: Option<String>,
    closed_at: Option<String>,
    company_response: Option<String>,
    response_timely: Option<bool>,
    rejection_reason: Option<String>,
    outcome_feedback: Option<String>,
    outcome_feedback_at: Option<String>,
    assigned: Option<String>,
    assigned_to: Option<i64>,
    duplicate_of: Option<CaseRef>,
    merged: Vec<CaseRef>,
    evidence: Vec<EvidenceFacts>,
    history: Vec<HistoryFacts>,
    notes: Vec<NoteFacts>,
    replies: Vec<ReplyFacts>,
}

/// `a;b;c` as a list, empty parts left out.
fn split_list(s: &str) -> Vec<String> {
    s.split(';')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl CaseFacts {
    fn of(page: &StaffPage, d: &CaseDetail, today: NaiveDate) -> CaseFacts {
        let lang = page.lang;
        let c = d.case.clone();
        let reference = page.state.reference();
        let dt = |t: Option<DateTime<Utc>>| t.map(|t| format::datetime(t, lang));
        let day = |t: Option<NaiveDate>| t.map(|t| format::date(t, lang));
        let at = |t: DateTime<Utc>| format::datetime(t, lang);
        CaseFacts {
            received: at(c.received_at),
            company: d.company.as_ref().map(|co| CompanyFacts {
                id: co.id,
                name: co.name.clone(),
                contact_email: co.contact_email.clone(),
                credit_code: co.credit_code.clone(),
            }),
            price_from: money(c.price_from_fen),
            price_to: money(c.price_to_fen),
            channels: split_list(&c.channels_tried),
            first_attempt_on: day(c.first_attempt_on),
            amount_claimed: money(c.amount_claimed_fen),
            province: c
                .province
                .as_deref()
                .and_then(|p| reference.province_name(p, lang))
                .map(str::to_string),
            has_contact: cases::has_contact(&c),
            spam_reasons: split_list(&c.spam_reasons),
            review_due: day(c.review_due_on),
            response_due: day(c.response_due_on),
            due: day(cases::due_on(&c)),
            overdue: cases::is_overdue(&c, today),
            accepted_at: dt(c.accepted_at),
            forwarded_at: dt(c.forwarded_at),
            responded_at: dt(c.responded_at),
            closed_at: dt(c.closed_at),
            outcome_feedback_at: dt(c.outcome_feedback_at),
            assigned: d.assigned.as_ref().map(|u| {
                if u.display_name.trim().is_empty() {
                    u.email.clone()
                } else {
                    u.display_name.clone()
                }
            }),
            duplicate_of: d.duplicate_of.as_ref().map(|t| CaseRef {
                id: t.id,
                code: t.tracking_code.clone(),
            }),
            merged: d
                .merged
                .iter()
                .map(|m| CaseRef {
                    id: m.id,
                    code: m.tracking_code.clone(),
                })
                .collect(),
            evidence: d
                .evidence
                .iter()
                .map(|e| EvidenceFacts {
                    id: e.id,
                    name: e.original_name.clone(),
                    content_type: e.content_type.clone(),
                    size_kb: (e.size_bytes + 1023) / 1024,
                })
                .collect(),
            history: d
                .history
                .iter()
                .map(|h| HistoryFacts {
                    at: at(h.created_at),
                    from: h.from_status.clone(),
                    to: h.to_status.clone(),
                    public: h.is_public,
                    note: h.note.clone(),
                    actor: h.actor.clone(),
                })
                .collect(),
            notes: d
                .notes
                .iter()
                .map(|n| NoteFacts {
                    at: at(n.created_at),
                    author: n.author.clone(),
                    body: n.body.clone(),
                })
                .collect(),
            replies: d
                .replies
                .iter()
                .map(|r| ReplyFacts {
                    at: at(r.created_at),
                    outcome: r.outcome.clone(),
                    message: r.message.clone(),
                })
                .collect(),
            id: c.id,
            code: c.tracking_code,
            status: c.status,
            version: c.version,
            sector: c.sector,
            company_name: c.company_name,
            service_name: c.service_name,
            plan_from: c.plan_from,
            plan_to: c.plan_to,
            billing_cycle: c.billing_cycle,
            requested_action: c.requested_action,
            contact_attempts: c.contact_attempts,
            outcome: c.outcome,
            narrative: c.narrative,
            contact_name: c.contact_name,
            contact_email: c.contact_email,
            contact_phone: c.contact_phone,
            consent_share_narrative: c.consent_share_narrative,
            consent_contact_company: c.consent_contact_company,
            language: c.language,
            submitted_via: c.submitted_via,
            primary_obstacle: c.primary_obstacle,
            company_response: c.company_response,
            response_timely: c.response_timely,
            rejection_reason: c.rejection_reason,
            outcome_feedback: c.outcome_feedback,
            assigned_to: c.assigned_to,
        }
    }
}

/// One active obstacle with what is known about it on this case.
#[derive(Serialize)]
struct ObstacleRow {
    code: String,
    name: String,
    checked: bool,
    reported: bool,
    score: Option<String>,
    evidence: Option<Vec<String>>,
    set_by: Option<String>,
    set_at: Option<String>,
}

#[derive(Serialize)]
struct SuggestionRow {
    code: String,
    score: String,
    evidence: Vec<String>,
}

#[derive(Serialize)]
struct ObstacleView {
    rows: Vec<ObstacleRow>,
    confirmed: Vec<String>,
    suggested: Vec<SuggestionRow>,
    none_confirmed: bool,
}

impl ObstacleView {
    /// Every active obstacle with what is known about it on this case: suggested (score,
    /// trigger text), reported by the consumer, confirmed by a reviewer (who, when), and
    /// whether its box starts ticked (confirmed codes; before any confirmation, the suggestions
    /// and the consumer's own ticks, so confirming is one click).
    fn of(page: &StaffPage, d: &CaseDetail) -> ObstacleView {
        let confirmed = d.links.confirmed();
        let none_confirmed = confirmed.is_empty();
        let rows = obstacle_options(&page.state, page.lang)
            .into_iter()
            .map(|o| {
                let sug = d.links.suggestions.iter().find(|s| s.code == o.code);
                let rev = d.links.reviewer.iter().find(|r| r.code == o.code);
                let reported = d.links.consumer.contains(&o.code);
                let checked = rev.is_some() || (none_confirmed && (sug.is_some() || reported));
                ObstacleRow {
                    checked,
                    reported,
                    score: sug.map(|s| format!("{:.2}", s.score)),
                    evidence: sug.map(|s| s.evidence.clone()),
                    set_by: rev.and_then(|r| r.set_by.clone()),
                    set_at: rev.map(|r| format::datetime(r.at, page.lang)),
                    code: o.code,
                    name: o.name,
                }
            })
            .collect();
        ObstacleView {
            rows,
            suggested: d
                .links
                .suggestions
                .iter()
                .map(|s| SuggestionRow {
                    code: s.code.clone(),
                    score: format!("{:.2}", s.score),
                    evidence: s.evidence.clone(),
                })
                .collect(),
            confirmed,
            none_confirmed,
        }
    }
}
