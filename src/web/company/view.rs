//! A company's case formatted for the reader's language: shared by the portal's case page and
//! the signed answer link's page, which show the same thing.
use serde::Serialize;

use crate::domain::response::MAX_RESPONSE_FILES;
use crate::domain::{format, Language, Money, ResponseCategory};
use crate::error::FieldErrors;
use crate::services::reference::Reference;
use crate::services::responses::portal::{CompanyCase, Contact};
use crate::services::responses::AnswerFile;

use super::form::AnswerTyped;

/// An obstacle code with its name.
#[derive(Serialize)]
pub struct Obstacle {
    pub code: String,
    pub name: String,
}

/// An evidence file as listed.
#[derive(Serialize)]
pub struct FileShown {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size_kb: i64,
}

/// One answer as listed.
#[derive(Serialize)]
pub struct AnswerShown {
    pub at: String,
    pub category: String,
    pub via: String,
    pub late: bool,
    pub text: String,
    pub language: String,
    pub files: Vec<AnswerFile>,
}

/// The request for more time as listed.
#[derive(Serialize)]
pub struct ExtensionShown {
    pub at: String,
    pub days: i32,
    pub reason: String,
    pub state: String,
}

/// The case, every date and amount formatted.
#[derive(Serialize)]
pub struct CaseShown {
    pub code: String,
    pub status: String,
    pub received: String,
    pub forwarded: Option<String>,
    pub response_due: Option<String>,
    pub responded: Option<String>,
    pub response_timely: Option<bool>,
    pub sector: String,
    pub company_name: String,
    pub service_name: Option<String>,
    pub plan_from: Option<String>,
    pub plan_to: Option<String>,
    pub price_from: Option<String>,
    pub price_to: Option<String>,
    pub billing_cycle: Option<String>,
    pub requested_action: String,
    pub channels: Vec<String>,
    pub contact_attempts: Option<i32>,
    pub first_attempt_on: Option<String>,
    pub amount_claimed: Option<String>,
    pub obstacles: Vec<Obstacle>,
    pub consent: bool,
    pub narrative: Option<String>,
    pub contact: Option<Contact>,
    pub evidence: Vec<FileShown>,
    pub answers: Vec<AnswerShown>,
    pub extension: Option<ExtensionShown>,
    pub awaiting: bool,
    pub overdue: bool,
    pub can_extend: bool,
}

impl CaseShown {
    pub fn of(c: CompanyCase, lang: Language, reference: &Reference) -> CaseShown {
        let money = |f: Option<i64>| f.map(|f| Money(f).display());
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| format::date(d, lang));
        CaseShown {
            received: format::datetime(c.received_at, lang),
            forwarded: c.forwarded_at.map(|t| format::datetime(t, lang)),
            response_due: day(c.response_due_on),
            responded: c.responded_at.map(|t| format::datetime(t, lang)),
            price_from: money(c.price_from_fen),
            price_to: money(c.price_to_fen),
            amount_claimed: money(c.amount_claimed_fen),
            first_attempt_on: day(c.first_attempt_on),
            obstacles: c
                .obstacle_codes
                .iter()
                .map(|code| Obstacle {
                    name: reference
                        .obstacle_name(code, lang)
                        .unwrap_or(code)
                        .to_string(),
                    code: code.clone(),
                })
                .collect(),
            evidence: c
                .evidence
                .into_iter()
                .map(|e| FileShown {
                    id: e.id,
                    name: e.name,
                    content_type: e.content_type,
                    size_kb: (e.size_bytes + 1023) / 1024,
                })
                .collect(),
            answers: c
                .answers
                .into_iter()
                .map(|a| AnswerShown {
                    at: format::datetime(a.created_at, lang),
                    category: a.category,
                    via: a.via,
                    late: a.late,
                    text: a.text,
                    language: a.language,
                    files: a.files,
                })
                .collect(),
            extension: c.extension.map(|x| ExtensionShown {
                at: format::datetime(x.created_at, lang),
                days: x.days,
                reason: x.reason,
                state: x.state,
            }),
            code: c.tracking_code,
            status: c.status,
            response_timely: c.response_timely,
            sector: c.sector,
            company_name: c.company_name,
            service_name: c.service_name,
            plan_from: c.plan_from,
            plan_to: c.plan_to,
            billing_cycle: c.billing_cycle,
            requested_action: c.requested_action,
            channels: c.channels_tried,
            contact_attempts: c.contact_attempts,
            consent: c.consent_contact_company,
            narrative: c.narrative,
            contact: c.contact,
            awaiting: c.awaiting,
            overdue: c.overdue,
            can_extend: c.can_extend,
        }
    }
}

/// The answer form's state: what was typed, the errors and where it goes.
#[derive(Serialize)]
pub struct AnswerFormView {
    /// Where the form posts to.
    pub action: String,
    pub typed: AnswerTyped,
    pub errors: FieldErrors,
    pub summary: Vec<(String, String)>,
    pub categories: Vec<&'static str>,
    pub max_files: usize,
}

impl AnswerFormView {
    pub fn new(action: String, typed: AnswerTyped, errors: FieldErrors) -> AnswerFormView {
        AnswerFormView {
            action,
            summary: super::form::summary(&errors, &["form", "category", "text", "file"]),
            typed,
            errors,
            categories: ResponseCategory::codes(),
            max_files: MAX_RESPONSE_FILES,
        }
    }
}
