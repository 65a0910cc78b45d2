//! Referrals to the responsible authority (跨部门协同): the directory of authorities (admins
//! edit it, every change audited), the proposal of an authority for a case, recording a
//! referral of a case or of a whole group ([`refer`]), and the referral package ([`package`]).
pub mod package;
pub mod refer;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, QueryOrder, Set, TransactionTrait,
};
use serde_json::json;

use crate::domain::campaign::split;
use crate::domain::referral::{propose, AuthorityScope};
use crate::domain::Sector;
use crate::entities::authority;
use crate::services::audit::{self, Actor};
use crate::services::companies::{check_text, DirError, Problems, MAX_NAME_CHARS};
use crate::services::reference::Reference;

const MAX_CONTACT_CHARS: usize = 500;
const MAX_NOTES_CHARS: usize = 2000;

/// The authority form as typed.
#[derive(Debug, Clone, Default)]
pub struct AuthorityForm {
    pub name: String,
    pub sectors: Vec<String>,
    /// A province code, or empty for a national authority.
    pub region: String,
    pub contact: String,
    pub notes: String,
}

/// A validated authority.
#[derive(Debug, Clone)]
pub struct AuthorityInput {
    pub name: String,
    pub sectors: Vec<String>,
    pub region: String,
    pub contact: String,
    pub notes: String,
}

fn long_text(p: &mut Problems, field: &'static str, raw: &str, max: usize) -> String {
    let v = raw.trim();
    let len = v.chars().count();
    if len > max {
        p.add(
            field,
            "errors.too_long",
            vec![("max", max.to_string()), ("len", len.to_string())],
        );
    }
    v.to_string()
}

/// Parses the authority form.
pub fn parse(reference: &Reference, f: &AuthorityForm) -> Result<AuthorityInput, DirError> {
    let mut p = Problems::default();
    let name = check_text(&mut p, "name", &f.name, true, MAX_NAME_CHARS);
    let mut sectors: Vec<String> = Vec::new();
    for s in f.sectors.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match Sector::parse(s) {
            Some(s) if !sectors.iter().any(|x| x == s.code()) => sectors.push(s.code().into()),
            Some(_) => {}
            None => p.add(
                "sectors",
                "errors.invalid_choice",
                vec![("choices", Sector::codes().join(", "))],
            ),
        }
    }
    let region = f.region.trim().to_string();
    if !region.is_empty() && !reference.provinces.iter().any(|x| x.code == region) {
        p.add("region", "referrals.errors.region", vec![]);
    }
    let contact = long_text(&mut p, "contact", &f.contact, MAX_CONTACT_CHARS);
    let notes = long_text(&mut p, "notes", &f.notes, MAX_NOTES_CHARS);
    match name {
        Some(name) if p.is_empty() => Ok(AuthorityInput {
            name,
            sectors,
            region,
            contact,
            notes,
        }),
        _ => Err(DirError::Invalid(p)),
    }
}

/// Every authority: national ones first, then by name.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<authority::Model>, DbErr> {
    authority::Entity::find()
        .order_by_asc(authority::Column::Region)
        .order_by_asc(authority::Column::Id)
        .all(db)
        .await
}

/// One authority.
pub async fn find(db: &DatabaseConnection, id: i64) -> Result<Option<authority::Model>, DbErr> {
    authority::Entity::find_by_id(id).one(db).await
}

/// The authority proposed for a case of `sector` from `province` (see
/// [`crate::domain::referral::propose`]).
pub fn proposal(
    authorities: &[authority::Model],
    sector: &str,
    province: Option<&str>,
) -> Option<i64> {
    let scopes: Vec<AuthorityScope> = authorities
        .iter()
        .map(|a| AuthorityScope {
            id: a.id,
            sectors: split(&a.sectors),
            region: a.region.clone(),
        })
        .collect();
    propose(&scopes, sector, province)
}

fn detail(a: &authority::Model) -> serde_json::Value {
    json!({ "name": a.name, "sectors": a.sectors, "region": a.region })
}

/// Adds an authority (audited).
pub async fn create(
    db: &DatabaseConnection,
    input: AuthorityInput,
    actor: &Actor,
) -> Result<authority::Model, DirError> {
    let txn = db.begin().await?;
    let now = Utc::now();
    let a = authority::ActiveModel {
        name: Set(input.name),
        sectors: Set(input.sectors.join(";")),
        region: Set(input.region),
        contact: Set(input.contact),
        notes: Set(input.notes),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "authority_created",
        Some(("authority", a.id.to_string())),
        Some(detail(&a)),
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}

/// Saves an authority (audited). Past referrals keep the name they were made under.
pub async fn update(
    db: &DatabaseConnection,
    id: i64,
    input: AuthorityInput,
    actor: &Actor,
) -> Result<(), DirError> {
    let txn = db.begin().await?;
    let old = authority::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    let mut am: authority::ActiveModel = old.into();
    am.name = Set(input.name);
    am.sectors = Set(input.sectors.join(";"));
    am.region = Set(input.region);
    am.contact = Set(input.contact);
    am.notes = Set(input.notes);
    am.updated_at = Set(Utc::now());
    let a = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "authority_updated",
        Some(("authority", id.to_string())),
        Some(detail(&a)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
