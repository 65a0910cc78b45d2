//! The clause form: what was typed, and its checks (the company must be in the directory, the
//! obstacle codes in the taxonomy, the legal basis in the list, the dates in order and not in
//! the future, the web address a web address).
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::domain::clauses;
use crate::services::companies::{self, check_text, DirError, Problems};
use migration::shared::legal::{legal_reference, LEGAL_REFERENCES};

const MAX_SERVICE_CHARS: usize = 100;
const MAX_TEXT_CHARS: usize = 10_000;
const MAX_URL_CHARS: usize = 2_000;
const MAX_ANALYSIS_CHARS: usize = 10_000;

/// The clause form as typed.
#[derive(Debug, Clone, Default)]
pub struct ClauseTyped {
    pub company: String,
    pub service_name: String,
    pub clause_text: String,
    pub source_url: String,
    pub first_seen_on: String,
    pub last_seen_on: String,
    pub obstacles: Vec<String>,
    pub legal_basis: Vec<String>,
    pub analysis: String,
}

/// A validated clause form.
#[derive(Debug, Clone)]
pub struct ClauseInput {
    pub company_id: i64,
    pub service_name: String,
    pub clause_text: String,
    pub source_url: String,
    pub first_seen_on: NaiveDate,
    pub last_seen_on: NaiveDate,
    pub obstacles: Vec<String>,
    pub legal_basis: Vec<String>,
    pub analysis: String,
}

fn long_text(
    p: &mut Problems,
    field: &'static str,
    raw: &str,
    required: bool,
    max: usize,
) -> String {
    let v = raw.trim();
    let len = v.chars().count();
    if v.is_empty() && required {
        p.add(field, "errors.required", vec![]);
    } else if len > max {
        p.add(
            field,
            "errors.too_long",
            vec![("max", max.to_string()), ("len", len.to_string())],
        );
    }
    v.to_string()
}

fn day(p: &mut Problems, field: &'static str, raw: &str) -> Option<NaiveDate> {
    let v = raw.trim();
    if v.is_empty() {
        p.add(field, "errors.required", vec![]);
        return None;
    }
    let parsed = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    if parsed.is_none() {
        p.add(field, "errors.invalid_date", vec![]);
    }
    parsed
}

/// Checks the clause form: the company must be in the directory, the obstacle codes in the
/// taxonomy (`known_obstacles`), the legal basis in [`LEGAL_REFERENCES`], the dates in order.
pub async fn parse_clause(
    conn: &impl ConnectionTrait,
    known_obstacles: &[String],
    t: &ClauseTyped,
    today: NaiveDate,
) -> Result<ClauseInput, DirError> {
    let mut p = Problems::default();
    let company_id = match t.company.trim() {
        "" => {
            p.add("company", "errors.required", vec![]);
            None
        }
        c => match companies::resolve(conn, c).await? {
            Some(found) => Some(found.id),
            None => {
                p.add(
                    "company",
                    "companies.errors.no_such_company",
                    vec![("company", c.to_string())],
                );
                None
            }
        },
    };
    let service_name = check_text(
        &mut p,
        "service_name",
        &t.service_name,
        false,
        MAX_SERVICE_CHARS,
    )
    .unwrap_or_default();
    let clause_text = long_text(&mut p, "clause_text", &t.clause_text, true, MAX_TEXT_CHARS);
    let source_url = t.source_url.trim().to_string();
    if source_url.chars().count() > MAX_URL_CHARS {
        p.add(
            "source_url",
            "errors.too_long",
            vec![
                ("max", MAX_URL_CHARS.to_string()),
                ("len", source_url.chars().count().to_string()),
            ],
        );
    } else if !source_url.is_empty()
        && (!(source_url.starts_with("https://") || source_url.starts_with("http://"))
            || source_url.chars().any(char::is_whitespace))
    {
        p.add("source_url", "clauses.errors.bad_url", vec![]);
    }
    let first = day(&mut p, "first_seen_on", &t.first_seen_on);
    let last = day(&mut p, "last_seen_on", &t.last_seen_on);
    if let (Some(f), Some(l)) = (first, last) {
        for (field, key) in clauses::check_seen(f, l, today) {
            p.add(field, key, vec![]);
        }
    }
    let mut obstacles: Vec<String> = Vec::new();
    for o in &t.obstacles {
        let o = o.trim();
        if o.is_empty() || obstacles.iter().any(|x| x == o) {
            continue;
        }
        if known_obstacles.iter().any(|k| k == o) {
            obstacles.push(o.to_string());
        } else {
            p.add(
                "obstacles",
                "errors.unknown_obstacle",
                vec![("code", o.to_string())],
            );
        }
    }
    if obstacles.is_empty() && t.obstacles.iter().all(|o| o.trim().is_empty()) {
        p.add("obstacles", "clauses.errors.no_obstacle", vec![]);
    }
    let mut legal_basis: Vec<String> = Vec::new();
    for l in &t.legal_basis {
        let l = l.trim();
        if l.is_empty() || legal_basis.iter().any(|x| x == l) {
            continue;
        }
        if legal_reference(l).is_some() {
            legal_basis.push(l.to_string());
        } else {
            p.add(
                "legal_basis",
                "clauses.errors.unknown_legal",
                vec![("code", l.to_string())],
            );
        }
    }
    if legal_basis.is_empty() && t.legal_basis.iter().all(|l| l.trim().is_empty()) {
        p.add("legal_basis", "clauses.errors.no_legal", vec![]);
    }
    // The list's order, whatever order the boxes came in.
    legal_basis.sort_by_key(|c| LEGAL_REFERENCES.iter().position(|r| r.code == c));
    let analysis = long_text(&mut p, "analysis", &t.analysis, false, MAX_ANALYSIS_CHARS);
    match (company_id, first, last) {
        (Some(company_id), Some(first_seen_on), Some(last_seen_on)) if p.is_empty() => {
            Ok(ClauseInput {
                company_id,
                service_name,
                clause_text,
                source_url,
                first_seen_on,
                last_seen_on,
                obstacles,
                legal_basis,
                analysis,
            })
        }
        _ => Err(DirError::Invalid(p)),
    }
}
