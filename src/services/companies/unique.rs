//! Name, alias and credit-code uniqueness across the company directory, and the message
//! that explains a collision.
use super::*;

/// Who already holds a normalised name: a company by its name, or by an alias.
pub(super) async fn holder_of(
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
pub(super) enum Scope {
    /// Only what no unique index enforces: a name against the other table (a company name
    /// that is another company's alias, an alias that is another company's name). Checked
    /// before writing; the unique indexes catch the rest as the row is written.
    AcrossTables,
    /// Everything, to explain a collision the unique indexes reported.
    All,
}

/// Reports names, aliases and credit codes already used by another company (`own` is the
/// company being edited, whose own names do not count).
pub(super) async fn check_unique(
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
pub(super) async fn explain_collision(
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
