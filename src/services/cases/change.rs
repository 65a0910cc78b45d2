//! What a reviewer asks of a case ([`Change`]), why it can be refused ([`CaseError`]) and what
//! case work needs ([`CaseWork`]).
use sea_orm::{DatabaseConnection, DbErr};

use crate::domain::workflow::{Illegal, Step};
use crate::domain::{Language, Outcome, ResponseCategory, ResponseVia, TrackingCode};
use crate::services::error::ServiceError;
use crate::services::intake::evidence::StoredFile;
use crate::services::mail::Composer;
use crate::services::reference::Reference;

/// Longest reason, note or company response, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Longest rejection reason or withdrawal note.
pub const MAX_REASON_CHARS: usize = 2_000;

/// Another case, by id or tracking code.
#[derive(Debug, Clone)]
pub enum CaseRef {
    Id(i64),
    Code(TrackingCode),
}

impl CaseRef {
    /// Reads what a reviewer typed: a number is an id, anything else a tracking code.
    pub fn parse(s: &str) -> Option<CaseRef> {
        let s = s.trim();
        match s.parse::<i64>() {
            Ok(id) => Some(CaseRef::Id(id)),
            Err(_) => TrackingCode::parse(s).map(CaseRef::Code),
        }
    }
}

/// One change to a case.
#[derive(Debug, Clone)]
pub enum Change {
    Accept,
    Hold,
    Release,
    Reject {
        reason: String,
    },
    /// Merge this case into `target`; `note_on_target` is left on the target for its reviewers.
    MarkDuplicate {
        target: CaseRef,
        note_on_target: String,
    },
    Forward,
    /// The company's answer: from the portal, the API or a signed link, or typed in by staff
    /// from a mail.
    RecordResponse {
        text: String,
        category: ResponseCategory,
        source: Box<ResponseSource>,
    },
    /// Ask the company for a follow-up answer, with a new due date and a new answer link.
    Reopen {
        reason: String,
    },
    Close {
        outcome: Outcome,
    },
    Withdraw {
        note: Option<String>,
    },
    /// The reviewer's confirmed obstacle codes (the whole set).
    SetObstacles {
        codes: Vec<String>,
    },
    SetPrimary {
        code: Option<String>,
    },
    /// Link a directory company by name or alias; `create` adds a bare company if none matches.
    LinkCompany {
        name: String,
        create: bool,
    },
    Assign {
        user_id: Option<i64>,
    },
    /// Move the case into (`into`) or out of the priority lane, with a reason.
    SetLane {
        into: bool,
        reason: String,
    },
}

impl Change {
    /// The workflow step, for status changes.
    pub fn step(&self) -> Option<Step> {
        Some(match self {
            Change::Accept => Step::Accept,
            Change::Hold => Step::Hold,
            Change::Release => Step::Release,
            Change::Reject { .. } => Step::Reject,
            Change::MarkDuplicate { .. } => Step::MarkDuplicate,
            Change::Forward => Step::Forward,
            Change::RecordResponse { .. } => Step::RecordResponse,
            Change::Close { .. } => Step::Close,
            Change::Withdraw { .. } => Step::Withdraw,
            Change::Reopen { .. } => Step::Reopen,
            _ => return None,
        })
    }

    /// Name in audit rows and confirmation messages.
    pub fn code(&self) -> &'static str {
        match self {
            Change::SetObstacles { .. } => "obstacles",
            Change::SetPrimary { .. } => "primary",
            Change::LinkCompany { .. } => "company",
            Change::Assign { .. } => "assign",
            Change::SetLane { .. } => "lane",
            other => other.step().map(Step::code).unwrap_or("change"),
        }
    }
}

/// Where a company's answer came from and what came with it.
#[derive(Debug, Clone)]
pub struct ResponseSource {
    /// The answering company, checked against the case's; `None` when staff record an answer
    /// that came by mail (the case's linked company is meant).
    pub company_id: Option<i64>,
    /// The company user who answered (portal or API).
    pub user_id: Option<i64>,
    pub via: ResponseVia,
    /// The language the answer is written in.
    pub language: Language,
    /// Attachments already checked and on disk.
    pub files: Vec<StoredFile>,
    /// The signed link used, which the answer uses up.
    pub link_id: Option<i64>,
}

impl ResponseSource {
    /// An answer staff type in from a mail.
    pub fn staff(user_id: Option<i64>) -> ResponseSource {
        ResponseSource {
            company_id: None,
            user_id,
            via: ResponseVia::Staff,
            language: Language::ZhCn,
            files: Vec::new(),
            link_id: None,
        }
    }
}

/// Why a change was refused.
#[derive(Debug)]
pub enum CaseError {
    NotFound,
    /// The case changed since the reviewer loaded it.
    Conflict,
    /// The workflow does not allow this step from the current status.
    Illegal(Illegal),
    /// Bad input for one field: message key and its arguments.
    Invalid {
        field: &'static str,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    },
    Service(ServiceError),
}

impl From<DbErr> for CaseError {
    fn from(e: DbErr) -> Self {
        CaseError::Service(e.into())
    }
}

impl From<ServiceError> for CaseError {
    fn from(e: ServiceError) -> Self {
        CaseError::Service(e)
    }
}

/// What case work needs: the write connection, the reference data (working-day calendar,
/// taxonomy), a mail composer and the outbox worker's wake-up.
pub struct CaseWork<'a> {
    pub db: &'a DatabaseConnection,
    pub reference: std::sync::Arc<Reference>,
    pub composer: Composer<'a>,
    pub mail_wake: &'a tokio::sync::Notify,
}

pub(super) fn invalid(field: &'static str, key: &'static str) -> CaseError {
    CaseError::Invalid {
        field,
        key,
        args: vec![],
    }
}

/// Trims and checks a required free text.
pub(super) fn required_text(field: &'static str, s: &str, max: usize) -> Result<String, CaseError> {
    let s: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    let s = s.replace("\r\n", "\n");
    if s.is_empty() {
        return Err(invalid(field, "errors.required"));
    }
    let n = s.chars().count();
    if n > max {
        return Err(CaseError::Invalid {
            field,
            key: "errors.too_long",
            args: vec![("max", max.to_string()), ("len", n.to_string())],
        });
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_references_are_ids_or_tracking_codes() {
        assert!(matches!(CaseRef::parse(" 42 "), Some(CaseRef::Id(42))));
        assert!(
            matches!(CaseRef::parse("dw-refa-case"), Some(CaseRef::Code(c)) if c.as_str() == "DW-REFA-CASE")
        );
        assert!(CaseRef::parse("hello").is_none());
    }

    #[test]
    fn free_texts_are_trimmed_and_bounded() {
        assert_eq!(
            required_text("reason", "  spam  ", 10).ok().as_deref(),
            Some("spam")
        );
        assert!(matches!(
            required_text("reason", "   ", 10),
            Err(CaseError::Invalid {
                key: "errors.required",
                ..
            })
        ));
        assert!(matches!(
            required_text("reason", "12345678901", 10),
            Err(CaseError::Invalid {
                key: "errors.too_long",
                ..
            })
        ));
    }
}
