//! What the case page shows about the case itself: its fields, company, timeline, evidence,
//! history, notes and the consumer's replies, formatted for the reader's language.
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::{format, Money};
use crate::services::cases::{self, CaseDetail};
use crate::web::shared::page::StaffPage;

fn money(fen: Option<i64>) -> Option<String> {
    fen.map(|f| Money(f).display())
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
pub(super) struct CaseFacts {
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
    answers: Vec<AnswerFacts>,
    extension: Option<ExtensionFacts>,
    response_category: Option<String>,
    consumer_feedback: Option<String>,
    consumer_feedback_at: Option<String>,
    consumer_feedback_reason: Option<String>,
    consumer_disputed: bool,
    no_response_at: Option<String>,
    updates: Vec<UpdateFacts>,
}

/// A dated addition the consumer made to the story.
#[derive(Serialize)]
struct UpdateFacts {
    at: String,
    body: String,
}

/// One company answer on the case page.
#[derive(Serialize)]
struct AnswerFacts {
    at: String,
    category: String,
    via: String,
    late: bool,
    text: String,
    language: String,
    files: Vec<crate::services::responses::AnswerFile>,
}

/// The company's request for more time.
#[derive(Serialize)]
struct ExtensionFacts {
    at: String,
    days: i32,
    reason: String,
    state: String,
    decided_at: Option<String>,
    previous_due: Option<String>,
}

/// `a;b;c` as a list, empty parts left out.
fn split_list(s: &str) -> Vec<String> {
    s.split(';')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl CaseFacts {
    pub(super) fn of(page: &StaffPage, d: &CaseDetail, today: NaiveDate) -> CaseFacts {
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
            answers: d
                .answers
                .iter()
                .map(|a| AnswerFacts {
                    at: at(a.created_at),
                    category: a.category.clone(),
                    via: a.via.clone(),
                    late: a.late,
                    text: a.text.clone(),
                    language: a.language.clone(),
                    files: a.files.clone(),
                })
                .collect(),
            extension: d.extension.as_ref().map(|x| ExtensionFacts {
                at: at(x.created_at),
                days: x.days,
                reason: x.reason.clone(),
                state: x.state.clone(),
                decided_at: dt(x.decided_at),
                previous_due: day(x.previous_due_on),
            }),
            response_category: c.response_category.clone(),
            consumer_feedback: c.consumer_feedback.clone(),
            consumer_feedback_at: dt(c.consumer_feedback_at),
            consumer_feedback_reason: c.consumer_feedback_reason.clone(),
            consumer_disputed: c.consumer_disputed,
            no_response_at: dt(c.no_response_at),
            updates: d
                .updates
                .iter()
                .map(|u| UpdateFacts {
                    at: at(u.created_at),
                    body: u.body.clone(),
                })
                .collect(),
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
                    from: h.from_status.map(|s| s.code().to_string()),
                    to: h.to_status.code().to_string(),
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
            status: c.status.code().to_string(),
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
