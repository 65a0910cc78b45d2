//! Consumer intake: parse the intake document (JSON or form) into a validated [`Intake`], then
//! file it in one transaction (complaint, obstacle links, evidence rows, status history, receipt
//! mail in the outbox).
pub mod duplicates;
pub mod evidence;
pub mod tracking;
pub mod writer;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::Set;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::domain::triage::{suggest, SuggestInput, Suggestion};
use crate::domain::{
    normalize_name, parse_mobile, BillingCycle, Channel, Language, Money, ObstacleSource, Outcome,
    RequestedAction, Sector, Status, TrackingCode,
};
use crate::entities::{case_note, complaint, complaint_obstacle, evidence_file, status_history};
use crate::i18n::I18n;
use crate::services::error::{unique_violation, FieldErrors, ServiceError, UniqueKey};
use crate::services::intake::evidence::{is_invisible, StoredFile};
use crate::services::mail;
use crate::services::mail::outbox;
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

struct Parser<'a> {
    ctx: &'a ParseCtx<'a>,
    doc: &'a Map<String, Value>,
    errors: FieldErrors,
}

impl Parser<'_> {
    fn err(&mut self, field: &str, key: &str, args: &[(&str, &str)]) {
        let msg = self.ctx.i18n.fmt(self.ctx.lang, key, args);
        self.errors.entry(field.to_string()).or_default().push(msg);
    }

    /// The raw value, with JSON null and (in form mode) blank strings treated as absent.
    fn raw(&self, field: &str) -> Option<&Value> {
        match self.doc.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if self.ctx.lenient && s.trim().is_empty() => None,
            Some(v) => Some(v),
        }
    }

    fn text(
        &mut self,
        field: &str,
        required: bool,
        min: usize,
        max: usize,
        multiline: bool,
    ) -> Option<String> {
        let v = match self.raw(field) {
            None => {
                if required {
                    self.err(field, "errors.required", &[]);
                }
                return None;
            }
            Some(v) => v,
        };
        let Some(s) = v.as_str() else {
            self.err(field, "errors.not_string", &[]);
            return None;
        };
        let s = s.trim();
        if s.is_empty() {
            if required {
                self.err(field, "errors.required", &[]);
            }
            return None;
        }
        let bad_control = s.chars().any(|c| {
            (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        });
        if bad_control {
            self.err(field, "errors.control_chars", &[]);
            return None;
        }
        // Zero-width characters are dropped: they carry nothing and hide duplicates.
        let cleaned: String = s.chars().filter(|c| !is_invisible(*c)).collect();
        let cleaned = if multiline {
            cleaned.replace("\r\n", "\n")
        } else {
            cleaned
        };
        let n = cleaned.chars().count();
        if n > max {
            self.err(
                field,
                "errors.too_long",
                &[("max", &max.to_string()), ("len", &n.to_string())],
            );
            return None;
        }
        if n < min {
            self.err(
                field,
                "errors.too_short",
                &[("min", &min.to_string()), ("len", &n.to_string())],
            );
            return None;
        }
        Some(cleaned)
    }

    fn choice<T: Copy>(
        &mut self,
        field: &str,
        required: bool,
        parse: fn(&str) -> Option<T>,
        codes: &[&str],
    ) -> Option<T> {
        let v = match self.raw(field) {
            None => {
                if required {
                    self.err(field, "errors.required", &[]);
                }
                return None;
            }
            Some(v) => v,
        };
        match v.as_str().map(str::trim).and_then(parse) {
            Some(t) => Some(t),
            None => {
                self.err(
                    field,
                    "errors.invalid_choice",
                    &[("choices", &codes.join(", "))],
                );
                None
            }
        }
    }

    fn list(&mut self, field: &str) -> Vec<String> {
        let items: Vec<&Value> = match self.raw(field) {
            None => return vec![],
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v @ Value::String(_)) if self.ctx.lenient => vec![v],
            Some(_) => {
                self.err(field, "errors.not_array", &[]);
                return vec![];
            }
        };
        if items.len() > MAX_LIST_VALUES {
            self.err(
                field,
                "errors.too_many_values",
                &[("max", &MAX_LIST_VALUES.to_string())],
            );
            return vec![];
        }
        let mut out: Vec<String> = Vec::new();
        for item in items {
            match item.as_str() {
                Some(s) if self.ctx.lenient && s.trim().is_empty() => {}
                Some(s) => {
                    let s = s.trim().to_string();
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
                None => {
                    self.err(field, "errors.not_string", &[]);
                    return vec![];
                }
            }
        }
        out
    }

    fn money(&mut self, field: &str) -> Option<Money> {
        let v = self.raw(field)?;
        let s = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => {
                self.err(field, "errors.invalid_amount", &[]);
                return None;
            }
        };
        match Money::parse_yuan(&s) {
            Ok(m) => Some(m),
            Err(crate::domain::money::MoneyError::TooManyDecimals) => {
                self.err(field, "errors.amount_decimals", &[]);
                None
            }
            Err(crate::domain::money::MoneyError::TooLarge) => {
                self.err(field, "errors.amount_too_large", &[("max", "100000")]);
                None
            }
            Err(_) => {
                self.err(field, "errors.invalid_amount", &[]);
                None
            }
        }
    }

    fn integer(&mut self, field: &str, min: i64, max: i64) -> Option<i32> {
        let v = self.raw(field)?;
        let n = match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) if self.ctx.lenient => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match n {
            Some(n) if (min..=max).contains(&n) => Some(n as i32),
            Some(_) => {
                self.err(
                    field,
                    "errors.out_of_range",
                    &[("min", &min.to_string()), ("max", &max.to_string())],
                );
                None
            }
            None => {
                self.err(field, "errors.not_integer", &[]);
                None
            }
        }
    }

    fn date(&mut self, field: &str) -> Option<NaiveDate> {
        let v = self.raw(field)?;
        let parsed = v.as_str().and_then(|s| {
            let s = s.trim();
            // Exactly YYYY-MM-DD; chrono alone would accept 2026-1-5.
            (s.len() == 10)
                .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .flatten()
        });
        match parsed {
            None => {
                self.err(field, "errors.invalid_date", &[]);
                None
            }
            Some(d) if d > self.ctx.today => {
                self.err(field, "errors.future_date", &[]);
                None
            }
            Some(d) if d < NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(d) => {
                self.err(field, "errors.date_too_old", &[]);
                None
            }
            Some(d) => Some(d),
        }
    }

    fn boolean(&mut self, field: &str) -> bool {
        match self.raw(field) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if self.ctx.lenient => {
                matches!(s.trim(), "on" | "true" | "1" | "yes")
            }
            Some(_) => {
                self.err(field, "errors.not_boolean", &[]);
                false
            }
        }
    }
}

/// Validates an intake document against every rule of the contract.
pub fn parse_document(doc: &Map<String, Value>, ctx: &ParseCtx) -> Result<Intake, FieldErrors> {
    let mut p = Parser {
        ctx,
        doc,
        errors: FieldErrors::new(),
    };
    for key in doc.keys() {
        if !FIELDS.contains(&key.as_str()) {
            p.err(key, "errors.unknown_field", &[]);
        }
    }
    let sector = p.choice("sector", true, Sector::parse, &Sector::codes());
    let company_name = p.text("company_name", true, 1, 100, false);
    let service_name = p.text("service_name", false, 0, 100, false);
    let plan_from = p.text("plan_from", false, 0, 100, false);
    let plan_to = p.text("plan_to", false, 0, 100, false);
    let price_from = p.money("price_from");
    let price_to = p.money("price_to");
    let billing_cycle = p.choice(
        "billing_cycle",
        false,
        BillingCycle::parse,
        &BillingCycle::codes(),
    );
    let requested_action = p.choice(
        "requested_action",
        true,
        RequestedAction::parse,
        &RequestedAction::codes(),
    );
    let mut channels_tried = Vec::new();
    for c in p.list("channels_tried") {
        match Channel::parse(&c) {
            Some(ch) => channels_tried.push(ch),
            None => p.err(
                "channels_tried",
                "errors.invalid_choice",
                &[("choices", &Channel::codes().join(", "))],
            ),
        }
    }
    let contact_attempts = p.integer("contact_attempts", 0, 1000);
    let first_attempt_on = p.date("first_attempt_on");
    let mut obstacles_reported = Vec::new();
    for code in p.list("obstacles_reported") {
        if ctx.reference.is_obstacle(&code) {
            obstacles_reported.push(code);
        } else {
            p.err(
                "obstacles_reported",
                "errors.unknown_obstacle",
                &[("code", &truncate(&code, 40))],
            );
        }
    }
    let outcome = p.choice("outcome", false, Outcome::parse, &Outcome::codes());
    let amount_claimed = p.money("amount_claimed");
    let narrative = p.text("narrative", true, 20, 10_000, true);
    let province = match p.text("province", false, 0, 6, false) {
        Some(code) if ctx.reference.is_province(&code) => Some(code),
        Some(_) => {
            p.err("province", "errors.invalid_province", &[]);
            None
        }
        None if p.errors.contains_key("province") => None,
        None => None,
    };
    let contact_name = p.text("contact_name", false, 0, 50, false);
    let contact_email = match p.text("contact_email", false, 0, 254, false) {
        Some(e) if validator::ValidateEmail::validate_email(&e) => Some(e),
        Some(_) => {
            p.err("contact_email", "errors.invalid_email", &[]);
            None
        }
        None => None,
    };
    let contact_phone = match p.text("contact_phone", false, 0, 20, false) {
        Some(s) => match parse_mobile(&s) {
            Some(m) => Some(m),
            None => {
                p.err("contact_phone", "errors.invalid_phone", &[]);
                None
            }
        },
        None => None,
    };
    let consent_share_narrative = p.boolean("consent_share_narrative");
    let consent_contact_company = p.boolean("consent_contact_company");
    let language = p
        .choice("language", false, Language::parse, &Language::codes())
        .unwrap_or(ctx.lang);

    if !p.errors.is_empty() {
        return Err(p.errors);
    }
    // Every required field produced an error above if missing, so these are all present.
    match (sector, company_name, requested_action, narrative) {
        (Some(sector), Some(company_name), Some(requested_action), Some(narrative)) => Ok(Intake {
            sector,
            company_name,
            service_name,
            plan_from,
            plan_to,
            price_from,
            price_to,
            billing_cycle,
            requested_action,
            channels_tried,
            contact_attempts,
            first_attempt_on,
            obstacles_reported,
            outcome,
            amount_claimed,
            narrative,
            province,
            contact_name,
            contact_email,
            contact_phone,
            consent_share_narrative,
            consent_contact_company,
            language,
        }),
        _ => {
            let mut e = FieldErrors::new();
            e.entry("narrative".into())
                .or_default()
                .push(ctx.i18n.msg(ctx.lang, "errors.required"));
            Err(e)
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
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

/// Files a validated complaint with its already-stored evidence files, in one transaction.
pub async fn file(
    work: &IntakeWork<'_>,
    intake: Intake,
    via: Via,
    spam_reasons: Vec<&'static str>,
    files: &[StoredFile],
) -> Result<Filed, ServiceError> {
    let now = Utc::now();
    let company_norm = normalize_name(&intake.company_name);
    let duplicates_note = possible_duplicates_note(work, &intake, &company_norm, now).await;
    // Several processes on one SQLite file can meet SQLITE_BUSY despite the busy timeout (a
    // writer in another process); the transaction rolled back whole, so it is safe to try again.
    let sqlite = sea_orm::ConnectionTrait::get_database_backend(work.read)
        == sea_orm::DatabaseBackend::Sqlite;
    let mut attempt = 0u64;
    loop {
        attempt += 1;
        let pending = Pending {
            intake: intake.clone(),
            via,
            spam_reasons: spam_reasons.clone(),
            files,
            company_norm: &company_norm,
            now,
            duplicates_note: duplicates_note.clone(),
        };
        match file_once(work, pending).await {
            Err(e) if e.is_unavailable() && sqlite && attempt < 6 => {
                tracing::warn!(attempt, error = %e, "database busy while filing; retrying");
                tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
            }
            other => return other,
        }
    }
}

/// The `complaint_id` of the rows written with a new complaint, before the filing writer
/// replaces it with the complaint's id ([`writer::insert_rows`]).
const OWNER_SET_BY_WRITER: i64 = 0;

/// What one filing attempt writes.
struct Pending<'a> {
    intake: Intake,
    via: Via,
    spam_reasons: Vec<&'static str>,
    files: &'a [StoredFile],
    /// The company name as typed, normalised: the filing links the directory company it
    /// names, if any.
    company_norm: &'a str,
    now: DateTime<Utc>,
    duplicates_note: Option<String>,
}

/// Likely duplicates, proposed right at intake: the text of an internal note that lists them
/// for the reviewer to confirm and merge, written in the filing transaction. Looked up through
/// the read pool before the transaction (on SQLite the single writer stays free). Best effort: a
/// failed lookup is logged and the complaint filed without the note.
async fn possible_duplicates_note(
    work: &IntakeWork<'_>,
    intake: &Intake,
    company_norm: &str,
    now: DateTime<Utc>,
) -> Option<String> {
    let probe = crate::services::intake::duplicates::Probe {
        id: None,
        company: crate::services::intake::duplicates::Company::Named(company_norm),
        company_name: &intake.company_name,
        contact_email: intake.contact_email.as_deref(),
        contact_phone: intake.contact_phone.as_deref(),
        narrative: &intake.narrative,
        received_at: now,
    };
    let found = match crate::services::intake::duplicates::propose_for(work.read, &probe).await {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!(error = %e, "duplicate proposal at intake failed");
            return None;
        }
    };
    if found.is_empty() {
        return None;
    }
    let codes: Vec<&str> = found.iter().map(|f| f.tracking_code.as_str()).collect();
    let list = codes.join(", ");
    let say = |lang| {
        work.composer.i18n.fmt(
            lang,
            "staff.intake.possible_duplicates",
            &[("codes", &list)],
        )
    };
    Some(format!("{}\n{}", say(Language::ZhCn), say(Language::En)))
}

async fn file_once(work: &IntakeWork<'_>, pending: Pending<'_>) -> Result<Filed, ServiceError> {
    let Pending {
        intake,
        via,
        mut spam_reasons,
        files,
        company_norm,
        now,
        duplicates_note,
    } = pending;
    let reference = work.reference.clone();
    let place_names: Vec<String> = crate::domain::spam::short_place_names(
        &reference
            .provinces
            .iter()
            .flat_map(|p| [p.name_zh.clone(), p.name_en.clone()])
            .collect::<Vec<_>>(),
    );
    let place_refs: Vec<&str> = place_names.iter().map(String::as_str).collect();
    spam_reasons.extend(crate::domain::spam::content_reasons(
        &intake.narrative,
        &place_refs,
    ));
    spam_reasons.dedup();
    let status = if spam_reasons.is_empty() {
        Status::Received
    } else {
        Status::Held
    };
    let suggestions = suggestions_for(&reference, &intake);
    let fingerprint = migration::fingerprint::of(&intake.narrative);
    let token_bytes: [u8; 24] = rand::random();
    let evidence_token = hex::encode(token_bytes);
    let due = reference.calendar.add_working_days(
        now.with_timezone(&crate::domain::format::shanghai())
            .date_naive(),
        7,
    );

    let links = || -> Vec<complaint_obstacle::ActiveModel> {
        intake
            .obstacles_reported
            .iter()
            .map(|code| complaint_obstacle::ActiveModel {
                complaint_id: Set(OWNER_SET_BY_WRITER),
                obstacle_code: Set(code.clone()),
                source: Set(ObstacleSource::Consumer.code().into()),
                score: Set(None),
                evidence: Set(None),
                set_by: Set(None),
                created_at: Set(now),
                ..Default::default()
            })
            .chain(suggestions.iter().map(|s| complaint_obstacle::ActiveModel {
                complaint_id: Set(OWNER_SET_BY_WRITER),
                obstacle_code: Set(s.code.clone()),
                source: Set(ObstacleSource::Suggestion.code().into()),
                score: Set(Some(s.score)),
                evidence: Set(Some(
                    serde_json::to_string(&s.evidence).unwrap_or_else(|_| "[]".into()),
                )),
                set_by: Set(None),
                created_at: Set(now),
                ..Default::default()
            }))
            .collect()
    };
    let evidence = || -> Vec<evidence_file::ActiveModel> {
        files
            .iter()
            .map(|f| evidence_file::ActiveModel {
                complaint_id: Set(OWNER_SET_BY_WRITER),
                stored_name: Set(f.stored_name.clone()),
                original_name: Set(f.original_name.clone()),
                content_type: Set(f.content_type.into()),
                size_bytes: Set(f.size_bytes),
                sha256: Set(f.sha256.clone()),
                created_at: Set(now),
                ..Default::default()
            })
            .collect()
    };
    let note = || -> Vec<case_note::ActiveModel> {
        duplicates_note
            .iter()
            .map(|body| case_note::ActiveModel {
                complaint_id: Set(OWNER_SET_BY_WRITER),
                author_user_id: Set(None),
                author: Set("system".into()),
                body: Set(body.clone()),
                created_at: Set(now),
                ..Default::default()
            })
            .collect()
    };
    let history = || status_history::ActiveModel {
        complaint_id: Set(OWNER_SET_BY_WRITER),
        from_status: Set(None),
        to_status: Set(status.code().into()),
        is_public: Set(status != Status::Held),
        note: Set(None),
        actor: Set(Some("consumer".into())),
        created_at: Set(now),
        ..Default::default()
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let code = TrackingCode::generate();
        // Held submissions get their receipt when a moderator releases them, so a flood of
        // suspected spam cannot be used to mail strangers.
        let receipt = match (&intake.contact_email, status) {
            (Some(to), Status::Received) => Some(outbox::pending(
                None,
                "receipt",
                to,
                intake.language,
                mail::receipt(&work.composer, intake.language, &code, due)?,
            )),
            _ => None,
        };
        let receipt_queued = receipt.is_some();
        let row = complaint::ActiveModel {
            tracking_code: Set(code.to_string()),
            evidence_token_hash: Set(hash_token(&evidence_token)),
            status: Set(status.code().into()),
            sector: Set(intake.sector.code().into()),
            // Replaced by the look-up of `company_norm` when the row is written.
            company_id: Set(None),
            company_name: Set(intake.company_name.clone()),
            service_name: Set(intake.service_name.clone()),
            plan_from: Set(intake.plan_from.clone()),
            plan_to: Set(intake.plan_to.clone()),
            price_from_fen: Set(intake.price_from.map(|m| m.0)),
            price_to_fen: Set(intake.price_to.map(|m| m.0)),
            billing_cycle: Set(intake.billing_cycle.map(|b| b.code().into())),
            requested_action: Set(intake.requested_action.code().into()),
            channels_tried: Set(intake
                .channels_tried
                .iter()
                .map(|c| c.code())
                .collect::<Vec<_>>()
                .join(";")),
            contact_attempts: Set(intake.contact_attempts),
            first_attempt_on: Set(intake.first_attempt_on),
            outcome: Set(intake.outcome.map(|o| o.code().into())),
            amount_claimed_fen: Set(intake.amount_claimed.map(|m| m.0)),
            narrative: Set(intake.narrative.clone()),
            narrative_fp: Set(Some(fingerprint.0)),
            narrative_trigrams: Set(Some(fingerprint.1)),
            province: Set(intake.province.clone()),
            contact_name: Set(intake.contact_name.clone()),
            contact_email: Set(intake.contact_email.clone()),
            contact_phone: Set(intake.contact_phone.clone()),
            consent_share_narrative: Set(intake.consent_share_narrative),
            consent_contact_company: Set(intake.consent_contact_company),
            language: Set(intake.language.code().into()),
            submitted_via: Set(via.code().into()),
            spam_reasons: Set(spam_reasons.join(";")),
            primary_obstacle: Set(None),
            taxonomy_version: Set(reference.taxonomy_version()),
            received_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            review_due_on: Set(Some(due)),
            tags: Set(String::new()),
            ..Default::default()
        };
        // The filing writer commits it, with whatever other filings are waiting, in one
        // transaction; the rows that belong to the complaint take its id from `owner`.
        let code_text = code.to_string();
        let owner = work.filings.owner(&code_text);
        let mut deps = Vec::new();
        deps.extend(writer::insert_rows(links(), owner));
        deps.extend(writer::insert_rows(evidence(), owner));
        deps.extend(writer::insert_rows(note(), owner));
        deps.extend(writer::insert_rows(vec![history()], owner));
        if let Some(mut m) = receipt {
            m.complaint_id = Set(Some(OWNER_SET_BY_WRITER));
            deps.extend(writer::insert_rows(vec![m], owner));
        }
        let inserted = work.filings.file(row, company_norm, &code_text, deps).await;
        let (id, company_id) = match inserted {
            Ok(filed) => filed,
            Err(e) if attempt < 4 && unique_violation(&e) == Some(UniqueKey::TrackingCode) => {
                // A tracking-code collision (40 random bits): try another code.
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if receipt_queued {
            work.mail_wake.notify_one();
        }
        return Ok(Filed {
            id,
            tracking_code: code,
            status,
            suggestions,
            evidence_token,
            receipt_queued,
            received_at: now,
            company_id,
        });
    }
}
