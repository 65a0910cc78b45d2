//! Creating and updating directory companies and their aliases, and resolving a typed name.
use super::unique::{check_unique, explain_collision, holder_of, Scope};
use super::*;

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
