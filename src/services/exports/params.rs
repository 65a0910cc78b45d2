//! Parsing and checking the parameters of an export request into an [`ExportSpec`].
use super::*;

/// One input problem: parameter, catalogue key and `{name}` arguments (localised by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

fn problem(field: &str, key: &'static str, args: Vec<(&'static str, String)>) -> Problem {
    Problem {
        field: field.to_string(),
        key,
        args,
    }
}

/// Parses export parameters (query string pairs or CLI flags). Empty values count as absent
/// (forms submit empty selects); unknown or repeated parameters are refused rather than ignored,
/// since a mistyped filter would silently export more than intended. `lang` is tolerated: it
/// picks the language of messages. Every problem is reported, not just the first. `headers`
/// names the header row, so it applies to CSV and XLSX only (`format`).
pub async fn parse(
    db: &DatabaseConnection,
    reference: &Reference,
    format: Format,
    pairs: &[(String, String)],
) -> Result<ExportSpec, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut given: Vec<(String, String)> = Vec::new();
    for (k, v) in pairs {
        let v = v.trim();
        if k == "lang" {
            continue;
        }
        if !PARAMS.contains(&k.as_str()) {
            problems.push(problem(
                k,
                "exports.errors.unknown_param",
                vec![("allowed", PARAMS.join(", "))],
            ));
            continue;
        }
        if v.is_empty() {
            continue;
        }
        // PostgreSQL cannot even compare text holding NUL; no filter value has control characters.
        if v.chars().any(char::is_control) {
            problems.push(problem(k, "errors.control_chars", vec![]));
            continue;
        }
        if given.iter().any(|(g, _)| g == k) {
            problems.push(problem(k, "exports.errors.repeated", vec![]));
            continue;
        }
        given.push((k.clone(), v.to_string()));
    }
    let get = |name: &str| {
        given
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };

    let tier = match get("tier") {
        None => Tier::Regulator,
        Some(t) => match Tier::parse(t) {
            Some(Tier::Public) => {
                problems.push(problem("tier", "exports.errors.public_tier", vec![]));
                Tier::Public
            }
            Some(t) => t,
            None => {
                problems.push(problem("tier", "exports.errors.tier", vec![]));
                Tier::Regulator
            }
        },
    };
    let headers = match get("headers") {
        None => Headers::En,
        Some(h) => match Headers::parse(h) {
            Some(Headers::Zh) if format == Format::Ndjson => {
                problems.push(problem("headers", "exports.errors.headers_ndjson", vec![]));
                Headers::Zh
            }
            Some(h) => h,
            None => {
                problems.push(problem("headers", "exports.errors.headers", vec![]));
                Headers::En
            }
        },
    };
    let mut filters = Filters::default();
    for (field, slot) in [("from", &mut filters.from), ("to", &mut filters.to)] {
        if let Some(v) = get(field) {
            match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                Ok(d) => *slot = Some(d),
                Err(_) => problems.push(problem(field, "exports.errors.date", vec![])),
            }
        }
    }
    if let (Some(f), Some(t)) = (filters.from, filters.to) {
        if f > t {
            problems.push(problem("to", "exports.errors.range", vec![]));
        }
    }
    if let Some(v) = get("sector") {
        match Sector::parse(v) {
            Some(s) => filters.sector = Some(s),
            None => problems.push(problem(
                "sector",
                "exports.errors.sector",
                vec![("allowed", Sector::codes().join(", "))],
            )),
        }
    }
    if let Some(v) = get("obstacle") {
        if reference.obstacles.iter().any(|o| o.code == v) {
            filters.obstacle = Some(v.to_string());
        } else {
            problems.push(problem("obstacle", "exports.errors.obstacle", vec![]));
        }
    }
    if let Some(v) = get("province") {
        if reference.is_province(v) {
            filters.province = Some(v.to_string());
        } else {
            problems.push(problem("province", "exports.errors.province", vec![]));
        }
    }
    if let Some(v) = get("status") {
        match Status::parse(v) {
            Some(s) if tier != Tier::Staff && REGULATOR_EXCLUDED.contains(&s) => {
                problems.push(problem(
                    "status",
                    "exports.errors.status_tier",
                    vec![("status", s.code().to_string())],
                ))
            }
            Some(s) => filters.status = Some(s),
            None => problems.push(problem(
                "status",
                "exports.errors.status",
                vec![("allowed", Status::codes().join(", "))],
            )),
        }
    }
    if let Some(v) = get("company") {
        if v.chars().count() > 200 {
            problems.push(problem("company", "exports.errors.company", vec![]));
        } else {
            match crate::services::companies::resolve(db, v).await {
                Ok(Some(c)) => filters.company = Some(CompanyFilter::Id(c.id)),
                Ok(None) => filters.company = Some(CompanyFilter::FiledName(v.to_string())),
                Err(e) => {
                    tracing::error!(error = %e, "company lookup for an export failed");
                    problems.push(problem("company", "exports.errors.lookup", vec![]));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(ExportSpec {
            tier,
            filters,
            headers,
            given,
        })
    } else {
        Err(problems)
    }
}
