//! Company directory: companies with their aliases, 统一社会信用代码 and forwarding contact;
//! merging duplicates ([`merge()`]) and linking complaints that name a company the directory did
//! not know yet ([`link_unmatched`]); the lists are in [`listing`].
//!
//! Names and aliases share one namespace: a normalised name (see [`normalize_name`]) belongs to
//! at most one company, as its name or as one of its aliases, so intake matching is unambiguous.
mod form;
pub mod listing;
mod merge;

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

/// Who already holds a normalised name: a company by its name, or by an alias.
async fn holder_of(
    conn: &impl ConnectionTrait,
    norm: &str,
) -> Result<Option<(company::Model, bool)>, DbErr> {
    if let Some(c) = named(conn, norm).await? {
        return Ok(Some((c, false)));
    }
    Ok(alias_holder(conn, norm).await?.map(|c| (c, true)))
}

/// The company whose own name normalises to `norm`.
async fn named(conn: &impl ConnectionTrait, norm: &str) -> Result<Option<company::Model>, DbErr> {
    company::Entity::find()
        .filter(company::Column::NameNorm.eq(norm))
        .one(conn)
        .await
}

/// The company with an alias that normalises to `norm`.
async fn alias_holder(
    conn: &impl ConnectionTrait,
    norm: &str,
) -> Result<Option<company::Model>, DbErr> {
    let Some(a) = company_alias::Entity::find()
        .filter(company_alias::Column::AliasNorm.eq(norm))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    company::Entity::find_by_id(a.company_id).one(conn).await
}

/// Which names [`check_unique`] looks at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Only what no unique index enforces: a name against the other table (a company name
    /// that is another company's alias, an alias that is another company's name). Checked
    /// before writing; the unique indexes catch the rest as the row is written.
    AcrossTables,
    /// Everything, to explain a collision the unique indexes reported.
    All,
}

/// Reports names, aliases and credit codes already used by another company (`own` is the
/// company being edited, whose own names do not count).
async fn check_unique(
    conn: &impl ConnectionTrait,
    scope: Scope,
    own: Option<i64>,
    input: Option<&CompanyInput>,
    aliases: &[String],
    own_name_norm: &str,
) -> Result<Problems, DbErr> {
    let all = scope == Scope::All;
    let mut p = Problems::default();
    if let Some(input) = input {
        let holder = if all {
            holder_of(conn, &input.name_norm).await?.map(|(c, _)| c)
        } else {
            alias_holder(conn, &input.name_norm).await?
        };
        if let Some(c) = holder {
            if Some(c.id) != own {
                p.add(
                    "name",
                    "companies.errors.name_taken",
                    vec![("company", c.name)],
                );
            }
        }
        if let (true, Some(code)) = (all, &input.credit_code) {
            let other = company::Entity::find()
                .filter(company::Column::CreditCode.eq(code.clone()))
                .one(conn)
                .await?;
            if let Some(c) = other.filter(|c| Some(c.id) != own) {
                p.add(
                    "credit_code",
                    "companies.errors.credit_code_taken",
                    vec![("company", c.name)],
                );
            }
        }
    }
    for a in aliases {
        let norm = normalize_name(a);
        if norm == own_name_norm {
            p.add(
                "aliases",
                "companies.errors.alias_is_name",
                vec![("alias", a.clone())],
            );
            continue;
        }
        let holder = if all {
            holder_of(conn, &norm).await?.map(|(c, _)| c)
        } else {
            named(conn, &norm).await?
        };
        match holder {
            Some(c) if Some(c.id) == own => {
                p.add(
                    "aliases",
                    "companies.errors.alias_exists",
                    vec![("alias", a.clone())],
                );
            }
            Some(c) => p.add(
                "aliases",
                "companies.errors.alias_taken",
                vec![("alias", a.clone()), ("company", c.name)],
            ),
            None => {}
        }
    }
    Ok(p)
}

/// Turns a failed write into the form's answer: a unique-key collision (the index named by
/// [`unique_violation`]) becomes the field's message naming the holder, looked up after the
/// transaction rolled back; if the holder is gone again by then, a "taken a moment ago" note
/// on the field. Any other error stays a database error.
async fn explain_collision(
    db: &DatabaseConnection,
    e: DbErr,
    own: Option<i64>,
    input: Option<&CompanyInput>,
    aliases: &[String],
    own_name_norm: &str,
) -> DirError {
    let Some(key) = unique_violation(&e) else {
        return DirError::Db(e);
    };
    match check_unique(db, Scope::All, own, input, aliases, own_name_norm).await {
        Ok(p) if !p.is_empty() => DirError::Invalid(p),
        Ok(_) => DirError::Invalid(Problems::one(
            key.field(),
            "companies.errors.taken_meanwhile",
            vec![],
        )),
        Err(e) => DirError::Db(e),
    }
}

async fn insert_aliases(
    conn: &impl ConnectionTrait,
    company_id: i64,
    aliases: &[String],
) -> Result<(), DbErr> {
    for a in aliases {
        company_alias::ActiveModel {
            company_id: Set(company_id),
            alias: Set(a.clone()),
            alias_norm: Set(normalize_name(a)),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// Creates a company with its aliases.
pub async fn create(
    db: &DatabaseConnection,
    input: CompanyInput,
    aliases: Vec<String>,
    actor: &Actor,
) -> Result<company::Model, DirError> {
    let p = check_unique(
        db,
        Scope::AcrossTables,
        None,
        Some(&input),
        &aliases,
        &input.name_norm,
    )
    .await?;
    if !p.is_empty() {
        return Err(p.into());
    }
    match create_rows(db, &input, &aliases, actor).await {
        Ok(c) => Ok(c),
        Err(e) => {
            Err(explain_collision(db, e, None, Some(&input), &aliases, &input.name_norm).await)
        }
    }
}

async fn create_rows(
    db: &DatabaseConnection,
    input: &CompanyInput,
    aliases: &[String],
    actor: &Actor,
) -> Result<company::Model, DbErr> {
    let txn = db.begin().await?;
    let now = Utc::now();
    let c = company::ActiveModel {
        name: Set(input.name.clone()),
        name_norm: Set(input.name_norm.clone()),
        sector: Set(input.sector.map(|s| s.code().to_string())),
        credit_code: Set(input.credit_code.clone()),
        contact_email: Set(input.contact_email.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_aliases(&txn, c.id, aliases).await?;
    audit::record(
        &txn,
        actor,
        "company_created",
        Some(("company", c.id.to_string())),
        Some(json!({ "aliases": aliases.len() })),
    )
    .await?;
    txn.commit().await?;
    Ok(c)
}

/// A stamp of the stored `updated_at`, carried by edit forms to detect concurrent edits.
pub fn edit_stamp(c: &company::Model) -> String {
    c.updated_at.timestamp_micros().to_string()
}

/// Saves the edit form; `stamp` must match the record as the form was loaded.
pub async fn update(
    db: &DatabaseConnection,
    id: i64,
    input: CompanyInput,
    stamp: &str,
    actor: &Actor,
) -> Result<company::Model, DirError> {
    match update_rows(db, id, input.clone(), stamp, actor).await {
        Err(DirError::Db(e)) => {
            Err(explain_collision(db, e, Some(id), Some(&input), &[], &input.name_norm).await)
        }
        other => other,
    }
}

async fn update_rows(
    db: &DatabaseConnection,
    id: i64,
    input: CompanyInput,
    stamp: &str,
    actor: &Actor,
) -> Result<company::Model, DirError> {
    let txn = db.begin().await?;
    let c = company::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    if edit_stamp(&c) != stamp.trim() {
        return Err(DirError::Stale);
    }
    let p = check_unique(
        &txn,
        Scope::AcrossTables,
        Some(id),
        Some(&input),
        &[],
        &input.name_norm,
    )
    .await?;
    if !p.is_empty() {
        return Err(p.into());
    }
    let sector = input.sector.map(|s| s.code().to_string());
    let mut changed = Vec::new();
    if c.name != input.name {
        changed.push("name");
    }
    if c.sector != sector {
        changed.push("sector");
    }
    if c.credit_code != input.credit_code {
        changed.push("credit_code");
    }
    if c.contact_email != input.contact_email {
        changed.push("contact_email");
    }
    let mut am: company::ActiveModel = c.into();
    am.name = Set(input.name);
    am.name_norm = Set(input.name_norm);
    am.sector = Set(sector);
    am.credit_code = Set(input.credit_code);
    am.contact_email = Set(input.contact_email);
    am.updated_at = Set(Utc::now());
    let c = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "company_updated",
        Some(("company", id.to_string())),
        Some(json!({ "fields": changed })),
    )
    .await?;
    txn.commit().await?;
    Ok(c)
}

/// Adds aliases to a company.
pub async fn add_aliases(
    db: &DatabaseConnection,
    id: i64,
    aliases: Vec<String>,
    actor: &Actor,
) -> Result<usize, DirError> {
    if aliases.is_empty() {
        return Err(Problems::one("aliases", "errors.required", vec![]).into());
    }
    match add_alias_rows(db, id, &aliases, actor).await {
        Err(DirError::Db(e)) => {
            let own_name_norm = match company::Entity::find_by_id(id).one(db).await {
                Ok(Some(c)) => c.name_norm,
                Ok(None) => return Err(DirError::NotFound),
                Err(e) => return Err(DirError::Db(e)),
            };
            Err(explain_collision(db, e, Some(id), None, &aliases, &own_name_norm).await)
        }
        other => other,
    }
}

async fn add_alias_rows(
    db: &DatabaseConnection,
    id: i64,
    aliases: &[String],
    actor: &Actor,
) -> Result<usize, DirError> {
    let txn = db.begin().await?;
    let c = company::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    let p = check_unique(
        &txn,
        Scope::AcrossTables,
        Some(id),
        None,
        aliases,
        &c.name_norm,
    )
    .await?;
    if !p.is_empty() {
        return Err(p.into());
    }
    insert_aliases(&txn, id, aliases).await?;
    audit::record(
        &txn,
        actor,
        "company_alias_added",
        Some(("company", id.to_string())),
        Some(json!({ "count": aliases.len() })),
    )
    .await?;
    txn.commit().await?;
    Ok(aliases.len())
}

/// Removes one alias of a company.
pub async fn remove_alias(
    db: &DatabaseConnection,
    id: i64,
    alias_id: i64,
    actor: &Actor,
) -> Result<(), DirError> {
    let txn = db.begin().await?;
    let a = company_alias::Entity::find_by_id(alias_id)
        .filter(company_alias::Column::CompanyId.eq(id))
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    company_alias::Entity::delete_by_id(a.id).exec(&txn).await?;
    audit::record(
        &txn,
        actor,
        "company_alias_removed",
        Some(("company", id.to_string())),
        Some(json!({ "alias_id": alias_id })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A company named by id, exact name or alias (as typed in merge and group forms).
pub async fn resolve(
    conn: &impl ConnectionTrait,
    text: &str,
) -> Result<Option<company::Model>, DbErr> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(id) = t.parse::<i64>() {
        if let Some(c) = company::Entity::find_by_id(id).one(conn).await? {
            return Ok(Some(c));
        }
    }
    Ok(holder_of(conn, &normalize_name(t)).await?.map(|(c, _)| c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_fields_are_checked_with_one_message_per_field() {
        let ok = parse_company(
            " 某视频平台 ",
            "video_membership",
            "91110000802100433b",
            "complaints@example.com",
        )
        .unwrap();
        assert_eq!(ok.name, "某视频平台");
        assert_eq!(ok.credit_code.as_deref(), Some("91110000802100433B"));
        let err = parse_company("", "boats", "91110000802100433C", "not-an-email").unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["name", "sector", "credit_code", "contact_email"]);
        assert!(parse_company(&"长".repeat(101), "", "", "").is_err());
    }

    #[test]
    fn aliases_are_read_one_per_line_without_repeats() {
        let a = parse_aliases("某视频\n\n  ＶＩＤＥＯ App \nvideo app\n").unwrap();
        assert_eq!(a, ["某视频", "ＶＩＤＥＯ App"]);
        assert!(parse_aliases(&"x".repeat(101)).is_err());
    }
}
