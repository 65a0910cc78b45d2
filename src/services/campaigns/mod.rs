//! Campaigns (专项整治): an admin's campaign with a date range and a scope; the cases in scope
//! carry its tag ([`tagging`]), and its figures compare the periods before, during and after
//! it ([`figures`]).
pub mod figures;
pub mod tagging;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryOrder, Set,
    TransactionTrait,
};
use serde_json::json;

use crate::domain::campaign::{split, valid_tag, Scope};
use crate::domain::Sector;
use crate::entities::campaign;
use crate::services::audit::{self, Actor};
use crate::services::companies::{self, check_text, DirError, Problems, MAX_NAME_CHARS};
use crate::services::error::{unique_violation, UniqueKey};
use crate::services::reference::Reference;

const MAX_DESCRIPTION_CHARS: usize = 2000;
/// Longest campaign, in days (a longer one has no "before" worth comparing).
pub const MAX_DAYS: i64 = 3 * 366;

/// A validated campaign form.
#[derive(Debug, Clone)]
pub struct CampaignInput {
    pub name: String,
    pub tag: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub scope: Scope,
    pub description: String,
}

/// The campaign form as typed.
#[derive(Debug, Clone, Default)]
pub struct CampaignForm {
    pub name: String,
    pub tag: String,
    pub starts_on: String,
    pub ends_on: String,
    pub sectors: Vec<String>,
    pub obstacles: Vec<String>,
    /// Company ids, names or aliases, one per line.
    pub companies: String,
    pub description: String,
}

fn parse_day(p: &mut Problems, field: &'static str, raw: &str) -> Option<NaiveDate> {
    match raw.trim() {
        "" => {
            p.add(field, "errors.required", vec![]);
            None
        }
        s => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                p.add(field, "errors.invalid_date", vec![]);
                None
            }
        },
    }
}

/// Parses the campaign form; companies are resolved in the directory.
pub async fn parse(
    conn: &impl ConnectionTrait,
    reference: &Reference,
    f: &CampaignForm,
) -> Result<CampaignInput, DirError> {
    let mut p = Problems::default();
    let name = check_text(&mut p, "name", &f.name, true, MAX_NAME_CHARS);
    let tag = f.tag.trim();
    if tag.is_empty() {
        p.add("tag", "errors.required", vec![]);
    } else if !valid_tag(tag) {
        p.add("tag", "campaigns.errors.tag", vec![]);
    }
    let starts_on = parse_day(&mut p, "starts_on", &f.starts_on);
    let ends_on = parse_day(&mut p, "ends_on", &f.ends_on);
    if let (Some(s), Some(e)) = (starts_on, ends_on) {
        if e < s {
            p.add("ends_on", "campaigns.errors.ends_before", vec![]);
        } else if (e - s).num_days() + 1 > MAX_DAYS {
            p.add(
                "ends_on",
                "campaigns.errors.too_long",
                vec![("max", MAX_DAYS.to_string())],
            );
        }
    }
    let mut sectors = Vec::new();
    for s in f.sectors.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match Sector::parse(s) {
            Some(s) if !sectors.contains(&s.code().to_string()) => sectors.push(s.code().into()),
            Some(_) => {}
            None => p.add(
                "sectors",
                "errors.invalid_choice",
                vec![("choices", Sector::codes().join(", "))],
            ),
        }
    }
    let mut obstacles = Vec::new();
    for o in f
        .obstacles
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        if reference.obstacles.iter().any(|x| x.code == o) {
            if !obstacles.iter().any(|x| x == o) {
                obstacles.push(o.to_string());
            }
        } else {
            p.add(
                "obstacles",
                "campaigns.errors.obstacle",
                vec![("code", o.to_string())],
            );
        }
    }
    let mut companies_ids = Vec::new();
    for line in f.companies.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match companies::resolve(conn, line).await? {
            Some(c) if !companies_ids.contains(&c.id) => companies_ids.push(c.id),
            Some(_) => {}
            None => p.add(
                "companies",
                "companies.errors.no_such_company",
                vec![("company", line.to_string())],
            ),
        }
    }
    let description = f.description.trim();
    let len = description.chars().count();
    if len > MAX_DESCRIPTION_CHARS {
        p.add(
            "description",
            "errors.too_long",
            vec![
                ("max", MAX_DESCRIPTION_CHARS.to_string()),
                ("len", len.to_string()),
            ],
        );
    }
    match (name, starts_on, ends_on) {
        (Some(name), Some(starts_on), Some(ends_on)) if p.is_empty() => Ok(CampaignInput {
            name,
            tag: tag.to_string(),
            starts_on,
            ends_on,
            scope: Scope {
                sectors,
                obstacles,
                companies: companies_ids,
            },
            description: description.to_string(),
        }),
        _ => Err(DirError::Invalid(p)),
    }
}

/// A campaign's scope from its row.
pub fn scope_of(c: &campaign::Model) -> Scope {
    Scope {
        sectors: split(&c.sectors),
        obstacles: split(&c.obstacle_codes),
        companies: split(&c.company_ids)
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect(),
    }
}

fn join<T: ToString>(v: &[T]) -> String {
    v.iter().map(T::to_string).collect::<Vec<_>>().join(";")
}

/// Every campaign, the latest start first.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<campaign::Model>, DbErr> {
    campaign::Entity::find()
        .order_by_desc(campaign::Column::StartsOn)
        .order_by_desc(campaign::Column::Id)
        .all(db)
        .await
}

/// One campaign.
pub async fn find(db: &DatabaseConnection, id: i64) -> Result<Option<campaign::Model>, DbErr> {
    campaign::Entity::find_by_id(id).one(db).await
}

fn taken(e: DbErr) -> DirError {
    match unique_violation(&e) {
        Some(UniqueKey::CampaignTag) => {
            DirError::Invalid(Problems::one("tag", "campaigns.errors.tag_taken", vec![]))
        }
        _ => DirError::Db(e),
    }
}

/// Creates a campaign, then tags the cases in its scope (in batches, see
/// [`tagging::backfill`]); returns the campaign and the number of cases tagged.
pub async fn create(
    db: &DatabaseConnection,
    input: CampaignInput,
    actor: &Actor,
) -> Result<(campaign::Model, u64), DirError> {
    let txn = db.begin().await?;
    let now = Utc::now();
    let c = campaign::ActiveModel {
        name: Set(input.name),
        tag: Set(input.tag),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        sectors: Set(join(&input.scope.sectors)),
        obstacle_codes: Set(join(&input.scope.obstacles)),
        company_ids: Set(join(&input.scope.companies)),
        description: Set(input.description),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(taken)?;
    audit::record(
        &txn,
        actor,
        "campaign_created",
        Some(("campaign", c.id.to_string())),
        Some(json!({ "tag": c.tag, "starts_on": c.starts_on, "ends_on": c.ends_on })),
    )
    .await?;
    txn.commit().await?;
    let tagged = tagging::backfill(db, &c).await?;
    Ok((c, tagged))
}

/// Saves a campaign and re-applies its scope to every case (a case staff tagged or untagged
/// by hand keeps that choice); returns the number of cases tagged by the scope now.
pub async fn update(
    db: &DatabaseConnection,
    id: i64,
    input: CampaignInput,
    actor: &Actor,
) -> Result<u64, DirError> {
    let txn = db.begin().await?;
    let old = campaign::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DirError::NotFound)?;
    let mut am: campaign::ActiveModel = old.clone().into();
    am.name = Set(input.name);
    am.tag = Set(input.tag);
    am.starts_on = Set(input.starts_on);
    am.ends_on = Set(input.ends_on);
    am.sectors = Set(join(&input.scope.sectors));
    am.obstacle_codes = Set(join(&input.scope.obstacles));
    am.company_ids = Set(join(&input.scope.companies));
    am.description = Set(input.description);
    am.updated_at = Set(Utc::now());
    let c = am.update(&txn).await.map_err(taken)?;
    audit::record(
        &txn,
        actor,
        "campaign_updated",
        Some(("campaign", id.to_string())),
        Some(json!({
            "tag": c.tag, "starts_on": c.starts_on, "ends_on": c.ends_on,
            "sectors": c.sectors, "obstacle_codes": c.obstacle_codes, "company_ids": c.company_ids,
        })),
    )
    .await?;
    txn.commit().await?;
    let tagged = tagging::backfill(db, &c).await?;
    Ok(tagged)
}

/// Names of the companies a scope names, in the order given (unknown ids are left out).
pub async fn company_names(
    db: &DatabaseConnection,
    ids: &[i64],
) -> Result<Vec<(i64, String)>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = crate::entities::company::Entity::find()
        .filter(crate::entities::company::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.iter().find(|c| c.id == *id))
        .map(|c| (c.id, c.name.clone()))
        .collect())
}
