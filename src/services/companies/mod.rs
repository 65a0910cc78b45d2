//! Company directory: companies with their aliases, 统一社会信用代码 and forwarding contact;
//! merging duplicates ([`merge()`]) and linking complaints that name a company the directory did
//! not know yet ([`link_unmatched`]); the lists are in [`listing`].
//!
//! Names and aliases share one namespace: a normalised name (see [`normalize_name`]) belongs to
//! at most one company, as its name or as one of its aliases, so intake matching is unambiguous.
mod form;
pub mod listing;
mod merge;
mod unique;
mod write;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set, TransactionTrait,
};
use serde_json::json;

use crate::domain::credit_code::is_valid_credit_code;
use crate::domain::{normalize_name, Sector};
use crate::entities::{company, company_alias};
use crate::services::audit::{self, Actor};
use crate::services::error::unique_violation;

pub use form::{check_text, DirError, Problem, Problems};
pub use listing::{
    cases_of, complaint_counts, find, list_by_id, list_by_name, CaseLine, CompanyRow, ListFilter,
    CASES_SHOWN,
};
pub use merge::{link_unmatched, merge, Merged};
pub use write::{add_aliases, create, edit_stamp, remove_alias, resolve, update};

/// Longest company name or alias.
pub const MAX_NAME_CHARS: usize = 100;
const MAX_EMAIL_CHARS: usize = 254;

/// A validated company record (without aliases).
#[derive(Debug, Clone)]
pub struct CompanyInput {
    pub name: String,
    pub name_norm: String,
    pub sector: Option<Sector>,
    pub credit_code: Option<String>,
    pub contact_email: Option<String>,
}

/// Parses the company form fields.
pub fn parse_company(
    name: &str,
    sector: &str,
    credit_code: &str,
    contact_email: &str,
) -> Result<CompanyInput, Problems> {
    let mut p = Problems::default();
    let name = check_text(&mut p, "name", name, true, MAX_NAME_CHARS);
    let sector = match sector.trim() {
        "" => None,
        s => match Sector::parse(s) {
            Some(s) => Some(s),
            None => {
                p.add(
                    "sector",
                    "errors.invalid_choice",
                    vec![("choices", Sector::codes().join(", "))],
                );
                None
            }
        },
    };
    let credit_code = match credit_code.trim() {
        "" => None,
        c if is_valid_credit_code(c) => Some(c.to_ascii_uppercase()),
        _ => {
            p.add("credit_code", "companies.errors.credit_code", vec![]);
            None
        }
    };
    let contact_email = match contact_email.trim() {
        "" => None,
        e if e.chars().count() <= MAX_EMAIL_CHARS
            && validator::ValidateEmail::validate_email(&e) =>
        {
            Some(e.to_string())
        }
        _ => {
            p.add("contact_email", "errors.invalid_email", vec![]);
            None
        }
    };
    match name {
        Some(name) if p.is_empty() => {
            let name_norm = normalize_name(&name);
            Ok(CompanyInput {
                name,
                name_norm,
                sector,
                credit_code,
                contact_email,
            })
        }
        _ => Err(p),
    }
}

/// Parses aliases typed one per line (duplicates among them are dropped).
pub fn parse_aliases(text: &str) -> Result<Vec<String>, Problems> {
    let mut p = Problems::default();
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some(a) = check_text(&mut p, "aliases", line, false, MAX_NAME_CHARS) else {
            continue;
        };
        let norm = normalize_name(&a);
        if !out.iter().any(|o| normalize_name(o) == norm) {
            out.push(a);
        }
    }
    if p.is_empty() {
        Ok(out)
    } else {
        Err(p)
    }
}

#[cfg(test)]
mod tests;
