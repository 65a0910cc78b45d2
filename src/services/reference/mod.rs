//! Reference data kept in memory: taxonomy, cue rules, provinces and the holiday calendar.
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder};

use crate::domain::triage::{CompiledCues, CueRule};
use crate::domain::workdays::{Calendar, DayKind};
use crate::domain::Language;
use crate::entities::{holiday, obstacle, obstacle_cue, province};

/// The working-day calendar as the holiday table holds it (inside a transaction, too).
pub async fn load_calendar(conn: &impl ConnectionTrait) -> Result<Calendar, sea_orm::DbErr> {
    let days = holiday::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|h| {
            let kind = if h.kind == "workday" {
                DayKind::Workday
            } else {
                DayKind::Holiday
            };
            (h.day, kind)
        });
    Ok(Calendar::new(days))
}

pub struct Reference {
    pub obstacles: Vec<obstacle::Model>,
    pub provinces: Vec<province::Model>,
    pub cues: CompiledCues,
    pub calendar: Calendar,
    /// The priority lane's clocks (admin setting).
    pub clocks: crate::domain::lane::Clocks,
}

impl Reference {
    pub async fn load(db: &DatabaseConnection) -> anyhow::Result<Reference> {
        let obstacles = obstacle::Entity::find()
            .order_by_asc(obstacle::Column::SortOrder)
            .all(db)
            .await?;
        let provinces = province::Entity::find()
            .order_by_asc(province::Column::SortOrder)
            .all(db)
            .await?;
        let rules: Vec<CueRule> = obstacle_cue::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|c| CueRule {
                code: c.obstacle_code,
                lang: c.lang,
                pattern: c.pattern,
                weight: c.weight,
            })
            .collect();
        Ok(Reference {
            obstacles,
            provinces,
            cues: CompiledCues::compile(&rules),
            calendar: load_calendar(db).await?,
            clocks: crate::store::settings::lane_clocks(db).await?,
        })
    }

    /// Whether `code` is an active obstacle code.
    pub fn is_obstacle(&self, code: &str) -> bool {
        self.obstacles.iter().any(|o| o.active && o.code == code)
    }

    pub fn is_province(&self, code: &str) -> bool {
        self.provinces.iter().any(|p| p.code == code)
    }

    pub fn province_name(&self, code: &str, lang: Language) -> Option<&str> {
        self.provinces
            .iter()
            .find(|p| p.code == code)
            .map(|p| match lang {
                Language::ZhCn => p.name_zh.as_str(),
                Language::En => p.name_en.as_str(),
            })
    }

    pub fn obstacle_name(&self, code: &str, lang: Language) -> Option<&str> {
        self.obstacles
            .iter()
            .find(|o| o.code == code)
            .map(|o| match lang {
                Language::ZhCn => o.name_zh.as_str(),
                Language::En => o.name_en.as_str(),
            })
    }

    /// The taxonomy version new classifications are recorded under.
    pub fn taxonomy_version(&self) -> String {
        self.obstacles
            .first()
            .map(|o| o.taxonomy_version.clone())
            .unwrap_or_else(|| "v1".into())
    }
}
