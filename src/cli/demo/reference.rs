//! The four reference cases of cases.md, classified by the real suggestion engine.
use super::companies::Listed;
use super::generator::UTC_PLUS_8;
use super::*;

/// Inserts the reference cases that are not there yet, classified by the real suggestion engine.
pub(super) async fn insert_reference_cases(
    conn: &DatabaseConnection,
    cues: &CompiledCues,
    directory: &[Listed],
    calendar: &Calendar,
    clocks: crate::domain::lane::Clocks,
) -> anyhow::Result<usize> {
    let present: HashSet<String> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::TrackingCode)
        .filter(complaint::Column::TrackingCode.is_in(REFERENCE_CODES))
        .into_tuple::<String>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let now = Utc::now();
    let txn = conn.begin().await?;
    let mut inserted = 0;
    for (i, case) in REFERENCE_CASES.iter().enumerate() {
        if present.contains(case.tracking_code) {
            continue;
        }
        // Filed a few hours apart, newest last, so they sit together at the top of the queue.
        let received_at = now - Duration::hours(4 * (REFERENCE_CASES.len() - i) as i64);
        let channels: Vec<String> = case.channels.iter().map(|c| c.to_string()).collect();
        let suggestions = suggest(
            cues,
            &SuggestInput {
                narrative: case.narrative,
                requested_action: Some(case.requested_action),
                channels_tried: &channels,
                contact_attempts: Some(case.contact_attempts),
                outcome: Some(case.outcome),
                obstacles_reported: &[],
            },
        );
        let company_id = directory
            .iter()
            .find(|l| l.spec.name == case.company)
            .map(|l| l.id);
        let fingerprint = migration::shared::fingerprint::of(case.narrative);
        // The lane rule of intake: three of the four reference cases ask for a downgrade and
        // are in the priority lane; the refund case is not.
        let lane = crate::domain::RequestedAction::parse(case.requested_action)
            .is_some_and(|a| crate::domain::lane::enters_lane(a, case.plan_from, case.plan_to));
        let row = complaint::ActiveModel {
            tracking_code: Set(case.tracking_code.to_string()),
            evidence_token_hash: Set(token_hash(&mut rand::rng())),
            status: Set(Status::Received),
            sector: Set(case.sector.code().into()),
            company_id: Set(company_id),
            company_name: Set(case.company.into()),
            service_name: Set(None),
            plan_from: Set(case.plan_from.map(Into::into)),
            plan_to: Set(case.plan_to.map(Into::into)),
            price_from_fen: Set(case.price_from_fen),
            price_to_fen: Set(case.price_to_fen),
            billing_cycle: Set(case.billing_cycle.map(Into::into)),
            requested_action: Set(case.requested_action.into()),
            channels_tried: Set(case.channels.join(";")),
            contact_attempts: Set(Some(case.contact_attempts)),
            first_attempt_on: Set(Some((received_at - Duration::days(12)).date_naive())),
            outcome: Set(Some(case.outcome.into())),
            amount_claimed_fen: Set(case.amount_claimed_fen),
            narrative: Set(case.narrative.into()),
            narrative_fp: Set(Some(fingerprint.0)),
            narrative_trigrams: Set(Some(fingerprint.1)),
            province: Set(Some(case.province.into())),
            contact_name: Set(None),
            contact_email: Set(None),
            contact_phone: Set(None),
            consent_share_narrative: Set(true),
            consent_contact_company: Set(true),
            language: Set("zh-CN".into()),
            submitted_via: Set("demo".into()),
            spam_reasons: Set(String::new()),
            primary_obstacle: Set(None),
            taxonomy_version: Set("v1".into()),
            received_at: Set(received_at),
            updated_at: Set(received_at),
            version: Set(1),
            review_due_on: Set(Some(clocks.review_due(
                calendar,
                (received_at + Duration::seconds(UTC_PLUS_8)).date_naive(),
                lane,
            ))),
            tags: Set(String::new()),
            priority_lane: Set(lane),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for s in &suggestions {
            complaint_obstacle::ActiveModel {
                complaint_id: Set(row.id),
                obstacle_code: Set(s.code.clone()),
                source: Set("suggestion".into()),
                score: Set(Some(s.score)),
                evidence: Set(Some(serde_json::to_string(&s.evidence)?)),
                set_by: Set(None),
                created_at: Set(received_at),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        history_row(
            row.id,
            None,
            Status::Received,
            received_at,
            None,
            "consumer",
        )
        .insert(&txn)
        .await?;
        inserted += 1;
    }
    txn.commit().await?;
    Ok(inserted)
}

pub(super) fn history_row(
    complaint_id: i64,
    from: Option<Status>,
    to: Status,
    at: DateTime<Utc>,
    note: Option<&str>,
    actor: &str,
) -> status_history::ActiveModel {
    status_history::ActiveModel {
        id: Default::default(),
        complaint_id: Set(complaint_id),
        from_status: Set(from),
        to_status: Set(to),
        is_public: Set(crate::domain::workflow::is_public(to)),
        note: Set(note.map(Into::into)),
        actor: Set(Some(actor.to_string())),
        created_at: Set(at),
    }
}

pub(super) fn token_hash(rng: &mut impl Rng) -> String {
    let bytes: [u8; 24] = rng.random();
    hex::encode(Sha256::digest(bytes))
}
