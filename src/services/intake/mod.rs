//! Consumer intake: parse the intake document (JSON or form) into a validated [`Intake`], then
//! file it in one transaction (complaint, obstacle links, evidence rows, status history, receipt
//! mail in the outbox).
pub mod attach;
pub mod duplicates;
pub mod evidence;
mod filing;
mod parse;
pub mod tracking;
pub mod writer;

use chrono::{DateTime, NaiveDate, Utc};
pub use filing::file;
pub use parse::parse_document;
use sha2::{Digest, Sha256};

use crate::domain::triage::{suggest, SuggestInput, Suggestion};
use crate::domain::{
    BillingCycle, Channel, Language, Money, Outcome, RequestedAction, Sector, Status, TrackingCode,
};
use crate::i18n::I18n;
use crate::services::mail::Composer;
use crate::services::reference::Reference;

/// Every field of the intake document, in form order.
pub const FIELDS: &[&str] = &[
    "sector",
    "company_name",
    "service_name",
    "plan_from",
    "plan_to",
    "price_from",
    "price_to",
    "billing_cycle",
    "requested_action",
    "channels_tried",
    "contact_attempts",
    "first_attempt_on",
    "obstacles_reported",
    "outcome",
    "amount_claimed",
    "narrative",
    "province",
    "contact_name",
    "contact_email",
    "contact_phone",
    "consent_share_narrative",
    "consent_contact_company",
    "language",
];

/// Most values a list field (`channels_tried`, `obstacles_reported`) may carry: more than any
/// list offers, few enough that checking them costs nothing.
pub const MAX_LIST_VALUES: usize = 64;

/// A complaint that passed every intake rule.
#[derive(Debug, Clone)]
pub struct Intake {
    pub sector: Sector,
    pub company_name: String,
    pub service_name: Option<String>,
    pub plan_from: Option<String>,
    pub plan_to: Option<String>,
    pub price_from: Option<Money>,
    pub price_to: Option<Money>,
    pub billing_cycle: Option<BillingCycle>,
    pub requested_action: RequestedAction,
    pub channels_tried: Vec<Channel>,
    pub contact_attempts: Option<i32>,
    pub first_attempt_on: Option<NaiveDate>,
    pub obstacles_reported: Vec<String>,
    pub outcome: Option<Outcome>,
    pub amount_claimed: Option<Money>,
    pub narrative: String,
    pub province: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub consent_share_narrative: bool,
    pub consent_contact_company: bool,
    pub language: Language,
}

/// What the parser needs besides the document.
pub struct ParseCtx<'a> {
    pub i18n: &'a I18n,
    /// Language of the error messages.
    pub lang: Language,
    pub reference: &'a Reference,
    /// Form mode: every value arrives as a string; empty strings mean "not given".
    pub lenient: bool,
    pub today: NaiveDate,
}

/// Suggestions for an intake, from the narrative and the structured answers.
pub fn suggestions_for(reference: &Reference, intake: &Intake) -> Vec<Suggestion> {
    let channels: Vec<String> = intake
        .channels_tried
        .iter()
        .map(|c| c.code().to_string())
        .collect();
    suggest(
        &reference.cues,
        &SuggestInput {
            narrative: &intake.narrative,
            requested_action: Some(intake.requested_action.code()),
            channels_tried: &channels,
            contact_attempts: intake.contact_attempts,
            outcome: intake.outcome.map(|o| o.code()),
            obstacles_reported: &intake.obstacles_reported,
        },
    )
}

/// The result of filing a complaint.
#[derive(Debug, Clone)]
pub struct Filed {
    pub id: i64,
    pub tracking_code: TrackingCode,
    pub status: Status,
    pub suggestions: Vec<Suggestion>,
    /// Secret for adding evidence later through the API; shown once, stored hashed.
    pub evidence_token: String,
    pub receipt_queued: bool,
    pub received_at: DateTime<Utc>,
    pub company_id: Option<i64>,
}

/// How the complaint arrived.
#[derive(Debug, Clone, Copy)]
pub enum Via {
    Web,
    Api,
}

impl Via {
    fn code(self) -> &'static str {
        match self {
            Via::Web => "web",
            Via::Api => "api",
        }
    }
}

/// sha256 hex of a secret token (tokens are stored hashed).
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// SQL for the id of the directory company whose name or alias normalises to the text bound
/// at placeholders `first` and `second` (the same text twice; a name match wins over an alias),
/// or NULL: a scalar subquery, so the filing and the duplicate look-up resolve the company
/// inside their own statements instead of asking for it first.
pub fn company_lookup_sql(first: &str, second: &str) -> String {
    format!(
        "(SELECT id FROM (SELECT id, 0 AS k FROM companies WHERE name_norm = {first} \
         UNION ALL SELECT company_id, 1 FROM company_aliases WHERE alias_norm = {second}) m \
         ORDER BY k LIMIT 1)"
    )
}

/// What filing needs: the read connection (duplicate look-up), the reference data, a mail
/// composer (receipts), the filing writer and the outbox worker's wake-up.
pub struct IntakeWork<'a> {
    pub read: &'a sea_orm::DatabaseConnection,
    pub reference: std::sync::Arc<Reference>,
    pub composer: Composer<'a>,
    pub filings: &'a writer::Filings,
    pub mail_wake: &'a tokio::sync::Notify,
}
