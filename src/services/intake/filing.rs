//! Filing a validated complaint: spam check, suggestions, the receipt and the rows that go with
//! it, handed to the filing writer as one transaction.
use chrono::{DateTime, Utc};
use sea_orm::Set;

use crate::domain::{normalize_name, Language, ObstacleSource, Status, TrackingCode};
use crate::entities::{
    campaign_case, case_note, complaint, complaint_obstacle, evidence_file, status_history,
};
use crate::services::error::{unique_violation, ServiceError, UniqueKey};
use crate::services::intake::evidence::StoredFile;
use crate::services::mail;
use crate::services::mail::outbox;

use super::{hash_token, suggestions_for, writer, Filed, Intake, IntakeWork, Via};

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
    // Campaigns running today whose scope takes this complaint in tag it as it is filed.
    let codes: Vec<String> = intake
        .obstacles_reported
        .iter()
        .cloned()
        .chain(suggestions.iter().map(|s| s.code.clone()))
        .collect();
    let campaigns = crate::services::campaigns::tagging::for_intake(
        work.read,
        now,
        intake.sector.code(),
        company_norm,
        &codes,
    )
    .await?;
    let tags = crate::domain::campaign::join_tags(campaigns.iter().map(|c| c.tag.as_str()));
    let campaign_rows = || -> Vec<campaign_case::ActiveModel> {
        campaigns
            .iter()
            .map(|c| campaign_case::ActiveModel {
                campaign_id: Set(c.id),
                complaint_id: Set(OWNER_SET_BY_WRITER),
                state: Set(crate::services::campaigns::tagging::AUTO.into()),
                set_by: Set(None),
                created_at: Set(now),
                ..Default::default()
            })
            .collect()
    };
    let fingerprint = migration::shared::fingerprint::of(&intake.narrative);
    let token_bytes: [u8; 24] = rand::random();
    let evidence_token = hex::encode(token_bytes);
    let lane = crate::domain::lane::enters_lane(
        intake.requested_action,
        intake.plan_from.as_deref(),
        intake.plan_to.as_deref(),
    );
    let due = reference.clocks.review_due(
        &reference.calendar,
        now.with_timezone(&crate::domain::format::shanghai())
            .date_naive(),
        lane,
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
        to_status: Set(status),
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
                mail::receipt(
                    &work.composer,
                    intake.language,
                    &code,
                    due,
                    lane.then_some(reference.clocks),
                )?,
            )),
            _ => None,
        };
        let receipt_queued = receipt.is_some();
        let row = complaint::ActiveModel {
            tracking_code: Set(code.to_string()),
            evidence_token_hash: Set(hash_token(&evidence_token)),
            status: Set(status),
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
            tags: Set(tags.clone()),
            priority_lane: Set(lane),
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
        deps.extend(writer::insert_rows(campaign_rows(), owner));
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
