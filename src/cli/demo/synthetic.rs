//! Synthetic complaints in batches, with their obstacle links and status histories.
use super::generator::{Batch, Generator, Ids, UTC_PLUS_8};
use super::reference::{history_row, token_hash};
use super::*;

impl Generator {
    /// Complaints number `range` of `count`, oldest first, so ids follow `received_at` as they
    /// do in real intake (and the time-ordered indexes are appended to, not scattered into).
    pub(super) fn batch(
        &mut self,
        ids: &mut Ids,
        range: std::ops::Range<u64>,
        count: u64,
    ) -> Batch {
        let mut times: Vec<DateTime<Utc>> = range
            .map(|k| {
                // Intake grows over the two years: half of it uniform, half rising linearly. The
                // k-th quantile of that mix, F(x) = (x + x²) / 2 over elapsed time x ∈ [0, 1]:
                let q = (k as f64 + self.rng.random::<f64>()) / count as f64;
                let x = ((1.0 + 8.0 * q).sqrt() - 1.0) / 2.0;
                self.consumer_time((text::DAYS as f64 * (1.0 - x)) as i64)
            })
            .collect();
        times.sort_unstable();
        let mut batch = Batch::default();
        for received_at in times {
            self.complaint(ids, received_at, &mut batch);
        }
        batch
    }

    pub(super) fn complaint(&mut self, ids: &mut Ids, received_at: DateTime<Utc>, out: &mut Batch) {
        let id = ids.complaint;
        ids.complaint += 1;
        let (company_id, company_name, sector) = self.company();
        let req = self.request(sector, received_at);
        let (from, price, to, billing) = req.plan;
        let consumer_outcome = self.one_of(text::INTAKE_OUTCOMES);

        let svc = self.one_of(text::plans(sector).1);
        let vars = text::Vars {
            // Bare "App" or "会员" needs the brand in front to read naturally.
            svc: if !matches!(svc, "App" | "会员" | "小程序" | "手游") && self.rng.random_bool(0.5)
            {
                svc.into()
            } else {
                format!("{company_name}{svc}")
            },
            from,
            to: to.map_or(
                if sector == Sector::Telecom {
                    "低档套餐"
                } else {
                    "基础版"
                },
                |t| t.0,
            ),
            price: text::period_price(price, billing),
            price_to: to.map_or_else(String::new, |t| text::period_price(t.1, billing)),
            pf: text::yuan(price),
            date: req.first_attempt.format("%-m月%-d日").to_string(),
            n: req.attempts.to_string(),
            ch: text::channel_name(self.one_of(&req.channels)),
            days: ((received_at.date_naive() - req.first_attempt).num_days() + 1)
                .max(2)
                .to_string(),
        };
        let (narrative, cues) = text::narrative(
            &mut self.rng,
            sector,
            req.action,
            &req.codes,
            consumer_outcome,
            &vars,
        );
        let fingerprint = migration::shared::fingerprint::of(&narrative);

        let mut consent_contact = self.rng.random_bool(0.76);
        let t = self.workflow(id, received_at, &mut consent_contact, ids, out);
        let status = t.status;
        // The clocks as intake and case work would have set them: the statutory 7 and 10
        // working days, or the priority lane's for plan changes.
        let lane = crate::domain::RequestedAction::parse(req.action)
            .is_some_and(|a| crate::domain::lane::enters_lane(a, Some(from), to.map(|t| t.0)));
        let day = |at: DateTime<Utc>| (at + Duration::seconds(UTC_PLUS_8)).date_naive();
        let review_due = self
            .clocks
            .review_due(&self.calendar, day(received_at), lane);
        let response_due = t
            .forwarded
            .map(|f| self.clocks.response_due(&self.calendar, day(f), lane));
        let response_timely = t.responded.zip(response_due).map(|(r, due)| day(r) <= due);
        let duplicate_of = match status {
            Status::Duplicate => self.earlier.get(&company_id).copied(),
            _ => {
                self.earlier.insert(company_id, id);
                None
            }
        };
        let rng = &mut self.rng;
        // Reviewer rows go in first: the rollup triggers then count them at once and the
        // suggestions after them change nothing (instead of counting and uncounting those).
        let mut primary = None;
        if let Some(reviewed_at) = t.accepted {
            // Reviewers mostly confirm the suggestions, sometimes drop one or add another.
            let mut confirmed = req.codes.clone();
            if confirmed.len() > 1 && rng.random_bool(0.15) {
                confirmed.pop();
            }
            let extra = self.obstacle_codes[rng.random_range(0..self.obstacle_codes.len())];
            if rng.random_bool(0.1) && !confirmed.contains(&extra) {
                confirmed.push(extra);
            }
            primary = confirmed.first().map(|c| c.to_string());
            for code in &confirmed {
                out.links
                    .push(link(ids, id, code, "reviewer", None, reviewed_at));
            }
        }

        for (code, cue) in req.codes.iter().zip(cues) {
            let score = rng.random_range(55..=95) as f64 / 100.0;
            out.links.push(link(
                ids,
                id,
                code,
                "suggestion",
                Some((score, cue)),
                received_at,
            ));
        }

        let outcome = match status {
            Status::Closed if consumer_outcome == "resolved" => Some("resolved"),
            Status::Closed => {
                Some(text::CLOSED_OUTCOMES[rng.random_range(0..text::CLOSED_OUTCOMES.len())])
            }
            _ => rng.random_bool(0.9).then_some(consumer_outcome),
        };
        let (contact_name, contact_email, contact_phone) = text::contact(rng, id);
        let amount_claimed = match req.action {
            "refund" => Some(price),
            "cancel" | "stop_auto_renewal" if rng.random_bool(0.2) => Some(price),
            _ => None,
        };
        let province = rng
            .random_bool(0.96)
            .then(|| text::PROVINCES[self.provinces.pick(rng)].0);
        out.complaints.push(complaint::ActiveModel {
            id: Set(id),
            // Set per batch by `assign_tracking_codes`.
            tracking_code: Default::default(),
            evidence_token_hash: Set(token_hash(rng)),
            status: Set(status),
            sector: Set(sector.code().into()),
            company_id: Set(company_id),
            company_name: Set(company_name),
            service_name: Set(rng.random_bool(0.8).then(|| svc.to_string())),
            plan_from: Set(Some(from.into())),
            plan_to: Set(to.map(|t| t.0.into())),
            price_from_fen: Set(Some(price)),
            price_to_fen: Set(to.map(|t| t.1)),
            billing_cycle: Set(Some(billing.into())),
            requested_action: Set(req.action.into()),
            channels_tried: Set(req.channels.join(";")),
            contact_attempts: Set(rng.random_bool(0.95).then_some(req.attempts)),
            first_attempt_on: Set(rng.random_bool(0.85).then_some(req.first_attempt)),
            outcome: Set(outcome.map(Into::into)),
            amount_claimed_fen: Set(amount_claimed),
            narrative_fp: Set(Some(fingerprint.0)),
            narrative_trigrams: Set(Some(fingerprint.1)),
            narrative: Set(narrative),
            province: Set(province.map(Into::into)),
            contact_name: Set(contact_name),
            contact_email: Set(contact_email),
            contact_phone: Set(contact_phone),
            consent_share_narrative: Set(rng.random_bool(0.72)),
            consent_contact_company: Set(consent_contact),
            language: Set("zh-CN".into()),
            submitted_via: Set("demo".into()),
            spam_reasons: Set(if status == Status::Held {
                "demo".into()
            } else {
                String::new()
            }),
            primary_obstacle: Set(primary),
            taxonomy_version: Set("v1".into()),
            received_at: Set(received_at),
            updated_at: Set(t.last),
            version: Set(1),
            accepted_at: Set(t.accepted),
            forwarded_at: Set(t.forwarded),
            responded_at: Set(t.responded),
            closed_at: Set(t.closed),
            review_due_on: Set(Some(review_due)),
            response_due_on: Set(response_due),
            response_timely: Set(response_timely),
            company_response: Set(t.responded.map(|_| {
                text::COMPANY_RESPONSES[rng.random_range(0..text::COMPANY_RESPONSES.len())].into()
            })),
            rejection_reason: Set(
                (status == Status::Rejected).then(|| text::REJECTION_REASON.into())
            ),
            duplicate_of: Set(duplicate_of),
            tags: Set(String::new()),
            priority_lane: Set(lane),
            // Assignment, consumer feedback and erasure stay empty.
            ..Default::default()
        });
    }
}

pub(super) fn history(
    ids: &mut Ids,
    complaint_id: i64,
    from: Option<Status>,
    to: Status,
    at: DateTime<Utc>,
    note: Option<&str>,
    actor: &str,
) -> status_history::ActiveModel {
    let mut row = history_row(complaint_id, from, to, at, note, actor);
    row.id = Set(ids.history);
    ids.history += 1;
    row
}

pub(super) fn link(
    ids: &mut Ids,
    complaint_id: i64,
    code: &str,
    source: &str,
    suggestion: Option<(f64, &str)>,
    at: DateTime<Utc>,
) -> complaint_obstacle::ActiveModel {
    ids.link += 1;
    complaint_obstacle::ActiveModel {
        id: Set(ids.link - 1),
        complaint_id: Set(complaint_id),
        obstacle_code: Set(code.into()),
        source: Set(source.into()),
        score: Set(suggestion.map(|s| s.0)),
        // Cues contain no quotes or backslashes, so this is a valid JSON array.
        evidence: Set(suggestion.map(|s| format!("[\"{}\"]", s.1))),
        set_by: Set((source == "reviewer").then(|| ACTOR.to_string())),
        created_at: Set(at),
    }
}

pub(super) fn shanghai_to_utc(day: NaiveDate, secs_of_day: i64) -> DateTime<Utc> {
    (day.and_time(chrono::NaiveTime::MIN) + Duration::seconds(secs_of_day - UTC_PLUS_8)).and_utc()
}

pub(super) fn sector_index(s: Sector) -> usize {
    Sector::ALL.iter().position(|x| *x == s).unwrap_or(0)
}
