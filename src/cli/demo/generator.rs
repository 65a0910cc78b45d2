//! The synthetic complaint generator: weighted picks, requests and status timelines.
use super::companies::Listed;
use super::synthetic::{history, sector_index, shanghai_to_utc};
use super::*;

/// Next free ids per table.
pub(super) struct Ids {
    pub(super) complaint: i64,
    pub(super) link: i64,
    pub(super) history: i64,
}

#[derive(Default)]
pub(super) struct Batch {
    pub(super) complaints: Vec<complaint::ActiveModel>,
    pub(super) links: Vec<complaint_obstacle::ActiveModel>,
    pub(super) history: Vec<status_history::ActiveModel>,
}

/// Samples from fixed weights by binary search over the running total.
pub(super) struct Weighted(Vec<f64>);

impl Weighted {
    pub(super) fn new(weights: impl IntoIterator<Item = f64>) -> Weighted {
        Weighted(
            weights
                .into_iter()
                .scan(0.0, |total, w| {
                    *total += w;
                    Some(*total)
                })
                .collect(),
        )
    }

    pub(super) fn pick(&self, rng: &mut SmallRng) -> usize {
        let x = rng.random::<f64>() * self.0.last().copied().unwrap_or(0.0);
        self.0.partition_point(|&c| c <= x).min(self.0.len() - 1)
    }
}

/// In the order of `text::STATUS_BY_AGE`.
#[rustfmt::skip]
const STATUSES: [Status; 9] = [
    Status::Received, Status::Held, Status::Accepted, Status::Forwarded, Status::Responded,
    Status::Closed, Status::Rejected, Status::Duplicate, Status::Withdrawn,
];
pub(super) const UTC_PLUS_8: i64 = 8 * 3600;

/// What the consumer asked for and went through, before the narrative is written.
pub(super) struct Request {
    pub(super) plan: text::Plan,
    pub(super) action: &'static str,
    pub(super) codes: Vec<&'static str>,
    pub(super) channels: Vec<&'static str>,
    pub(super) attempts: i32,
    pub(super) first_attempt: NaiveDate,
}

/// Where a case's workflow got to, and when.
pub(super) struct Timeline {
    pub(super) status: Status,
    pub(super) last: DateTime<Utc>,
    pub(super) accepted: Option<DateTime<Utc>>,
    pub(super) forwarded: Option<DateTime<Utc>>,
    pub(super) responded: Option<DateTime<Utc>>,
    pub(super) closed: Option<DateTime<Utc>>,
}

pub(super) struct Generator {
    pub(super) rng: SmallRng,
    pub(super) directory: Vec<Listed>,
    pub(super) companies: Weighted,
    pub(super) provinces: Weighted,
    pub(super) obstacle_codes: Vec<&'static str>,
    /// Obstacle weights per sector (`Sector::ALL` order).
    obstacles: Vec<Weighted>,
    statuses: Vec<Weighted>,
    pub(super) hours: Weighted,
    pub(super) calendar: Calendar,
    /// The priority lane's clocks (the admin setting, read once before generating).
    pub(super) clocks: crate::domain::lane::Clocks,
    pub(super) now: DateTime<Utc>,
    /// The latest non-duplicate complaint per company, for `duplicate_of`.
    pub(super) earlier: HashMap<Option<i64>, i64>,
}

impl Generator {
    pub(super) fn new(
        directory: Vec<Listed>,
        known: &HashSet<String>,
        calendar: Calendar,
        now: DateTime<Utc>,
    ) -> Self {
        // Zipf-like within a sector: the n-th company gets 1/n^1.1 of the sector's first.
        let company_weights = directory.iter().enumerate().map(|(i, l)| {
            let same = |o: &&Listed| o.spec.sector == l.spec.sector;
            let rank = directory[..i].iter().filter(same).count() + 1;
            let norm: f64 = (1..=directory.iter().filter(same).count())
                .map(|r| (r as f64).powf(-1.1))
                .sum();
            text::SECTOR_WEIGHTS[sector_index(l.spec.sector)] * (rank as f64).powf(-1.1) / norm
        });
        let companies = Weighted::new(company_weights.collect::<Vec<_>>());
        let present: Vec<(&'static str, u32)> = text::OBSTACLE_WEIGHTS
            .iter()
            .copied()
            .filter(|(c, _)| known.contains(*c))
            .collect();
        let obstacles = Sector::ALL.iter().map(|&s| {
            Weighted::new(
                present
                    .iter()
                    .map(|&(c, w)| w as f64 * text::sector_bias(s, c)),
            )
        });
        Generator {
            rng: SmallRng::seed_from_u64(rand::random()),
            directory,
            companies,
            provinces: Weighted::new(text::PROVINCES.iter().map(|p| p.1 as f64)),
            obstacle_codes: present.iter().map(|p| p.0).collect(),
            obstacles: obstacles.collect(),
            statuses: text::STATUS_BY_AGE
                .iter()
                .map(|(_, w)| Weighted::new(*w))
                .collect(),
            hours: Weighted::new(text::HOURS),
            calendar,
            clocks: crate::domain::lane::Clocks::default(),
            now,
            earlier: HashMap::new(),
        }
    }

    pub(super) fn one_of<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    /// A consumer moment `age_days` before today (Asia/Shanghai), never in the future.
    pub(super) fn consumer_time(&mut self, age_days: i64) -> DateTime<Utc> {
        let today = (self.now + Duration::seconds(UTC_PLUS_8)).date_naive();
        let secs = self.hours.pick(&mut self.rng) as i64 * 3600 + self.rng.random_range(0..3600);
        let t = shanghai_to_utc(today - Duration::days(age_days), secs);
        if t > self.now {
            t - Duration::days(1)
        } else {
            t
        }
    }

    /// A staff step `min..=max` working days after `after`, during office hours.
    fn staff_time(&mut self, after: DateTime<Utc>, min: u32, max: u32) -> DateTime<Utc> {
        let local_day = (after + Duration::seconds(UTC_PLUS_8)).date_naive();
        let day = self
            .calendar
            .add_working_days(local_day, self.rng.random_range(min..=max));
        shanghai_to_utc(day, self.rng.random_range(9 * 3600..18 * 3600))
    }

    /// Company id (none for a name the directory does not know), the name typed, the sector.
    pub(super) fn company(&mut self) -> (Option<i64>, String, Sector) {
        if self.rng.random_bool(0.02) {
            let name = self.one_of(text::UNKNOWN_COMPANIES);
            return (None, name.to_string(), self.one_of(Sector::ALL));
        }
        let listed = &self.directory[self.companies.pick(&mut self.rng)];
        let aliases = listed.spec.aliases;
        let typed = if !aliases.is_empty() && self.rng.random_bool(0.25) {
            aliases[self.rng.random_range(0..aliases.len())]
        } else {
            listed.spec.name
        };
        (Some(listed.id), typed.to_string(), listed.spec.sector)
    }

    pub(super) fn request(&mut self, sector: Sector, received_at: DateTime<Utc>) -> Request {
        let (from, price, to, billing) = self.one_of(text::plans(sector).0);
        let action = text::action(sector, to.is_some(), self.rng.random_range(0..100));
        let to = to.filter(|_| action == "downgrade" || self.rng.random_bool(0.3));

        // 1–4 distinct obstacles, sector-biased; refunds and renewals favour their usual code.
        let k = self
            .one_of(&[1, 1, 1, 2, 2, 2, 2, 3, 3, 4])
            .min(self.obstacle_codes.len());
        let mut codes: Vec<&'static str> = Vec::with_capacity(4);
        if let Some(f) = text::favoured_obstacle(action).filter(|f| self.obstacle_codes.contains(f))
        {
            if self.rng.random_bool(0.35) {
                codes.push(f);
            }
        }
        while codes.len() < k {
            let c = self.obstacle_codes[self.obstacles[sector_index(sector)].pick(&mut self.rng)];
            if !codes.contains(&c) {
                codes.push(c);
            }
        }

        let pool = text::channel_pool(sector);
        let want = self.rng.random_range(1..=3);
        let mut channels: Vec<&'static str> = Vec::with_capacity(3);
        while channels.len() < want {
            let c = self.one_of(pool);
            if !channels.contains(&c) {
                channels.push(c);
            }
        }
        channels.sort_by_key(|c| Channel::ALL.iter().position(|a| a.code() == *c));
        let repeat = if codes.contains(&"REPEAT") {
            self.rng.random_range(3..=12)
        } else {
            0
        };
        let days_before = Duration::days(self.rng.random_range(0..=45));
        Request {
            plan: (from, price, to, billing),
            action,
            codes,
            channels,
            attempts: self.rng.random_range(1..=5) + repeat,
            first_attempt: (received_at + Duration::seconds(UTC_PLUS_8)).date_naive() - days_before,
        }
    }

    /// Walks the status path typical for the complaint's age, stopping before "now", and
    /// writes its status history.
    pub(super) fn workflow(
        &mut self,
        id: i64,
        received_at: DateTime<Utc>,
        consent_contact: &mut bool,
        ids: &mut Ids,
        out: &mut Batch,
    ) -> Timeline {
        use Status::*;
        let age_days = (self.now - received_at).num_days();
        let bucket = text::STATUS_BY_AGE
            .iter()
            .position(|(d, _)| age_days < *d)
            .unwrap_or(3);
        let target = STATUSES[self.statuses[bucket].pick(&mut self.rng)];
        // Forwarding needs the consumer's consent; without it a case closes after acceptance.
        *consent_contact |= matches!(target, Forwarded | Responded);
        let path: &[Status] = match target {
            Received | Held => &[],
            Accepted => &[Accepted],
            Forwarded => &[Accepted, Forwarded],
            Responded => &[Accepted, Forwarded, Responded],
            Closed if *consent_contact => &[Accepted, Forwarded, Responded, Closed],
            Closed => &[Accepted, Closed],
            Withdrawn if self.rng.random_bool(0.3) => &[Accepted, Withdrawn],
            Withdrawn => &[Withdrawn],
            Rejected => &[Rejected],
            Duplicate => &[Duplicate],
        };
        let first = if target == Held { Held } else { Received };
        out.history
            .push(history(ids, id, None, first, received_at, None, "consumer"));
        let mut t = Timeline {
            status: first,
            last: received_at,
            accepted: None,
            forwarded: None,
            responded: None,
            closed: None,
        };
        for &next in path {
            let at = t.last;
            let when = match next {
                Accepted => self.staff_time(at, 1, 7),
                Forwarded => self.staff_time(at, 1, 2),
                Responded => self.staff_time(at, 2, 13),
                Closed => self.staff_time(at, 1, 8),
                Rejected | Duplicate => self.staff_time(at, 1, 7),
                _ => at + Duration::seconds(self.rng.random_range(3600..20 * 86400)),
            };
            if when > self.now {
                break;
            }
            let (note, actor) = match next {
                Rejected => (Some(text::REJECTION_REASON), ACTOR),
                Duplicate => (Some(text::DUPLICATE_NOTE), ACTOR),
                Withdrawn => (None, "consumer"),
                _ => (None, ACTOR),
            };
            out.history
                .push(history(ids, id, Some(t.status), next, when, note, actor));
            match next {
                Accepted => t.accepted = Some(when),
                Forwarded => t.forwarded = Some(when),
                Responded => t.responded = Some(when),
                Closed => t.closed = Some(when),
                _ => {}
            }
            (t.status, t.last) = (next, when);
        }
        t
    }
}
