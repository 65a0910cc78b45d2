//! Free-text search over a complaint's narrative, company name and service name that works for
//! Chinese, where words are not separated by spaces: any substring of two or more characters
//! must match.
//!
//! - SQLite: terms of three or more characters go to the FTS5 trigram index
//!   (`complaints_fts`, migration 000006); two-character terms cannot be split into trigrams
//!   and use `LIKE`, which the other filters and the keyset keep bounded.
//! - PostgreSQL: `ILIKE '%term%'`, served by pg_trgm GIN indexes (two-character terms still
//!   work, the index just helps less).
//!
//! In both paths `%`, `_` and `\` in the query are literal characters.
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Value};

use crate::store::sql::stmt;

/// Longest accepted query, in characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// Most whitespace-separated terms (all must match).
pub const MAX_TERMS: usize = 5;
/// Shortest term: one Chinese character matches far too much to be useful.
pub const MIN_TERM_CHARS: usize = 2;

/// Why a query was refused (maps to a message key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryError {
    TooShort,
    TooLong,
    TooManyTerms,
}

impl QueryError {
    pub fn message_key(self) -> &'static str {
        match self {
            QueryError::TooShort => "cases.queue.q_too_short",
            QueryError::TooLong => "cases.queue.q_too_long",
            QueryError::TooManyTerms => "cases.queue.q_too_many_terms",
        }
    }
}

/// Splits a query into terms; `Ok(None)` for an empty query.
pub fn parse_query(raw: &str) -> Result<Option<Vec<String>>, QueryError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if raw.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    let mut terms: Vec<String> = Vec::new();
    for t in raw.split_whitespace() {
        let t: String = t.chars().filter(|c| !c.is_control()).collect();
        if t.chars().count() < MIN_TERM_CHARS {
            return Err(QueryError::TooShort);
        }
        if !terms.contains(&t) {
            terms.push(t);
        }
    }
    if terms.len() > MAX_TERMS {
        return Err(QueryError::TooManyTerms);
    }
    Ok(Some(terms))
}

/// SQL text with `$n` placeholders and their values, built up piece by piece.
#[derive(Debug, Default)]
pub struct SqlBuf {
    pub sql: String,
    pub values: Vec<Value>,
}

impl SqlBuf {
    /// Adds a value and returns its placeholder. Every use gets its own placeholder, because
    /// SQLite's `?` are positional.
    pub fn bind(&mut self, v: impl Into<Value>) -> String {
        self.values.push(v.into());
        format!("${}", self.values.len())
    }

    pub fn push(&mut self, s: &str) {
        self.sql.push_str(s);
    }
}

/// `term` as a LIKE pattern matching it anywhere, with wildcards escaped (escape char `\`).
pub fn like_pattern(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// `term` as an FTS5 string (a phrase: for the trigram tokenizer, a substring).
pub fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

const COLUMNS: [&str; 3] = ["narrative", "company_name", "service_name"];

/// How the FTS match set is combined with the rest of the query (SQLite).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FtsPlan {
    /// Few matches: fetch them by rowid and sort them.
    Lookup,
    /// Many matches: walk the queue's order index and keep the rows in the match set, which
    /// stops after one page instead of sorting every match.
    Scan,
}

/// From this many matches on, [`FtsPlan::Scan`] is cheaper (about √(page × table size) for
/// tables of 10⁵–10⁶ complaints).
pub const SCAN_FROM_MATCHES: u64 = 2_000;

/// The FTS5 expression for the terms the trigram index can serve (three characters or more);
/// `None` on PostgreSQL or when every term is shorter.
pub fn fts_expression(backend: DatabaseBackend, terms: &[String]) -> Option<String> {
    if backend == DatabaseBackend::Postgres {
        return None;
    }
    let phrases: Vec<String> = terms
        .iter()
        .filter(|t| t.chars().count() >= 3)
        .map(|t| fts_phrase(t))
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" AND "))
}

/// Picks the plan for an FTS expression by counting its matches (up to the threshold only).
pub async fn fts_plan(conn: &impl ConnectionTrait, expr: &str) -> Result<FtsPlan, DbErr> {
    let row = conn
        .query_one(stmt(
            conn.get_database_backend(),
            "SELECT COUNT(*) AS n FROM (SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH $1 LIMIT $2)",
            vec![expr.into(), (SCAN_FROM_MATCHES as i64).into()],
        ))
        .await?;
    let n: i64 = row
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .unwrap_or(0);
    Ok(if n as u64 >= SCAN_FROM_MATCHES {
        FtsPlan::Scan
    } else {
        FtsPlan::Lookup
    })
}

/// A boolean SQL condition on the complaint aliased `alias` that holds when every term occurs
/// in the narrative, company name or service name.
pub fn condition(
    backend: DatabaseBackend,
    alias: &str,
    terms: &[String],
    plan: FtsPlan,
    buf: &mut SqlBuf,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    let like = match backend {
        DatabaseBackend::Postgres => "ILIKE",
        _ => "LIKE",
    };
    if let Some(expr) = fts_expression(backend, terms) {
        let p = buf.bind(expr);
        // `+` keeps SQLite from using the rowid for the match set, so it walks the order index.
        let id = match plan {
            FtsPlan::Lookup => format!("{alias}.id"),
            FtsPlan::Scan => format!("+{alias}.id"),
        };
        parts.push(format!(
            "{id} IN (SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH {p})"
        ));
    }
    let like_terms = terms
        .iter()
        .filter(|t| backend == DatabaseBackend::Postgres || t.chars().count() < 3);
    for t in like_terms {
        let pattern = like_pattern(t);
        let ors: Vec<String> = COLUMNS
            .iter()
            .map(|col| {
                let p = buf.bind(pattern.clone());
                format!("{alias}.{col} {like} {p} ESCAPE '\\'")
            })
            .collect();
        parts.push(format!("({})", ors.join(" OR ")));
    }
    parts.join(" AND ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_split_into_terms_of_two_characters_or_more() {
        assert_eq!(parse_query("  "), Ok(None));
        assert_eq!(parse_query("降速"), Ok(Some(vec!["降速".to_string()])));
        assert_eq!(
            parse_query("降级 入口 降级"),
            Ok(Some(vec!["降级".to_string(), "入口".to_string()]))
        );
        assert_eq!(parse_query("降"), Err(QueryError::TooShort));
        assert_eq!(parse_query("a b"), Err(QueryError::TooShort));
        assert_eq!(parse_query(&"长".repeat(101)), Err(QueryError::TooLong));
        assert_eq!(
            parse_query("ab cd ef gh ij kl"),
            Err(QueryError::TooManyTerms)
        );
    }

    #[test]
    fn like_wildcards_are_literal() {
        assert_eq!(like_pattern("5%"), "%5\\%%");
        assert_eq!(like_pattern("a_b\\"), "%a\\_b\\\\%");
        assert_eq!(like_pattern("降速"), "%降速%");
    }

    #[test]
    fn fts_phrases_quote_double_quotes() {
        assert_eq!(fts_phrase("降级入口"), "\"降级入口\"");
        assert_eq!(fts_phrase("a\"b OR c"), "\"a\"\"b OR c\"");
    }

    #[test]
    fn sqlite_uses_the_trigram_index_for_long_terms_and_like_for_short_ones() {
        let mut buf = SqlBuf::default();
        let terms = vec!["降级入口".to_string(), "降速".to_string()];
        let sql = condition(
            DatabaseBackend::Sqlite,
            "c",
            &terms,
            FtsPlan::Lookup,
            &mut buf,
        );
        assert!(
            sql.starts_with(
                "c.id IN (SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH $1)"
            ),
            "{sql}"
        );
        assert!(
            sql.contains("c.narrative LIKE $2 ESCAPE '\\'")
                && sql.contains("c.service_name LIKE $4"),
            "{sql}"
        );
        assert_eq!(buf.values.len(), 4);

        let mut buf = SqlBuf::default();
        let sql = condition(
            DatabaseBackend::Sqlite,
            "c",
            &terms[..1],
            FtsPlan::Scan,
            &mut buf,
        );
        assert!(sql.starts_with("+c.id IN (SELECT rowid"), "{sql}");
        assert_eq!(
            fts_expression(DatabaseBackend::Sqlite, &["降速".to_string()]),
            None
        );

        let mut buf = SqlBuf::default();
        let sql = condition(
            DatabaseBackend::Postgres,
            "c",
            &terms,
            FtsPlan::Lookup,
            &mut buf,
        );
        assert!(
            !sql.contains("complaints_fts") && sql.contains("c.company_name ILIKE $2"),
            "{sql}"
        );
        assert_eq!(buf.values.len(), 6);
    }
}
