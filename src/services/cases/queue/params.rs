//! Parsing and checking the queue's query parameters into [`Filters`].
use super::*;

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn flag(s: &Option<String>) -> bool {
    matches!(clean(s).as_deref(), Some("1" | "true" | "on" | "yes"))
}

/// Localised messages per field, collected while parsing.
struct Errs<'a> {
    pub(super) i18n: &'a I18n,
    lang: Language,
    pub(super) map: FieldErrors,
}

impl Errs<'_> {
    fn add(&mut self, field: &str, key: &str, args: &[(&str, &str)]) {
        self.map
            .entry(field.to_string())
            .or_default()
            .push(self.i18n.fmt(self.lang, key, args));
    }

    fn day(&mut self, field: &str, v: &Option<String>) -> Option<NaiveDate> {
        let s = clean(v)?;
        match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
            Ok(d) if s.len() == 10 => Some(d),
            _ => {
                self.add(field, "errors.invalid_date", &[]);
                None
            }
        }
    }
}

/// Checks every parameter, collecting a localised message per bad field.
pub fn parse(
    p: &QueueParams,
    i18n: &I18n,
    lang: Language,
    reference: &Reference,
) -> Result<Filters, FieldErrors> {
    let mut e = Errs {
        i18n,
        lang,
        map: FieldErrors::new(),
    };
    let status = match clean(&p.status).as_deref() {
        None => None,
        Some("open") => Some(StatusFilter::Open),
        Some(s) => match Status::parse(s) {
            Some(st) => Some(StatusFilter::One(st)),
            None => {
                e.add(
                    "status",
                    "errors.invalid_choice",
                    &[("choices", &format!("open, {}", Status::codes().join(", ")))],
                );
                None
            }
        },
    };
    let sector = match clean(&p.sector) {
        None => None,
        Some(s) => {
            let v = Sector::parse(&s);
            if v.is_none() {
                e.add(
                    "sector",
                    "errors.invalid_choice",
                    &[("choices", &Sector::codes().join(", "))],
                );
            }
            v
        }
    };
    let obstacle = match clean(&p.obstacle) {
        None => None,
        Some(o) => {
            let o = o.to_ascii_uppercase();
            if reference.obstacles.iter().any(|x| x.code == o) {
                Some(o)
            } else {
                e.add(
                    "obstacle",
                    "errors.unknown_obstacle",
                    &[("code", &o.chars().take(40).collect::<String>())],
                );
                None
            }
        }
    };
    let province = match clean(&p.province) {
        None => None,
        Some(c) if reference.is_province(&c) => Some(c),
        Some(_) => {
            e.add("province", "errors.invalid_province", &[]);
            None
        }
    };
    let from = e.day("from", &p.from);
    let to = e.day("to", &p.to);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            e.add("to", "cases.queue.to_before_from", &[]);
        }
    }
    // A tracking code (as quoted on the phone) finds that case, not a text search.
    let code =
        p.q.as_deref()
            .and_then(|q| crate::domain::TrackingCode::parse(q.trim()));
    let q = match search::parse_query(if code.is_some() {
        ""
    } else {
        p.q.as_deref().unwrap_or("")
    }) {
        Ok(q) => q,
        Err(err) => {
            let (min, max) = (
                search::MIN_TERM_CHARS.to_string(),
                search::MAX_QUERY_CHARS.to_string(),
            );
            e.add(
                "q",
                err.message_key(),
                &[
                    ("min", &min),
                    ("max", &max),
                    ("terms", &search::MAX_TERMS.to_string()),
                ],
            );
            None
        }
    };
    let sort = match clean(&p.sort) {
        None => Sort::ReceivedDesc,
        Some(s) => Sort::parse(&s).unwrap_or_else(|| {
            e.add(
                "sort",
                "errors.invalid_choice",
                &[("choices", &Sort::CODES.join(", "))],
            );
            Sort::ReceivedDesc
        }),
    };
    let cursor = match clean(&p.cursor) {
        None => None,
        Some(c) => {
            let v = Cursor::decode(&c, sort);
            if v.is_none() {
                e.add("cursor", "cases.queue.bad_cursor", &[]);
            }
            v
        }
    };
    let limit = match clean(&p.limit) {
        None => DEFAULT_LIMIT,
        Some(s) => match s.parse::<u64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                e.add(
                    "limit",
                    "errors.out_of_range",
                    &[("min", "1"), ("max", &MAX_LIMIT.to_string())],
                );
                DEFAULT_LIMIT
            }
        },
    };
    let assigned = clean(&p.assigned);
    if assigned.as_deref().is_some_and(|a| a != "me") {
        e.add("assigned", "errors.invalid_choice", &[("choices", "me")]);
    }
    if !e.map.is_empty() {
        return Err(e.map);
    }
    Ok(Filters {
        status,
        sector,
        company: clean(&p.company).map(|c| c.chars().take(100).collect()),
        obstacle,
        province,
        from,
        to,
        mine: assigned.is_some(),
        overdue: flag(&p.overdue),
        disputed: flag(&p.disputed),
        code: code.map(|c| c.as_str().to_string()),
        has_evidence: flag(&p.has_evidence),
        held: flag(&p.held),
        lane: flag(&p.lane),
        q,
        sort,
        cursor,
        limit,
    })
}
