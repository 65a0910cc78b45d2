use sea_orm::entity::prelude::*;

/// The rights page of one obstacle code: five plain-text sections in zh-CN and en.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rights_pages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub obstacle_code: String,
    #[sea_orm(column_type = "Text")]
    pub entitled_zh: String,
    #[sea_orm(column_type = "Text")]
    pub entitled_en: String,
    #[sea_orm(column_type = "Text")]
    pub basis_zh: String,
    #[sea_orm(column_type = "Text")]
    pub basis_en: String,
    #[sea_orm(column_type = "Text")]
    pub evidence_zh: String,
    #[sea_orm(column_type = "Text")]
    pub evidence_en: String,
    #[sea_orm(column_type = "Text")]
    pub ask_zh: String,
    #[sea_orm(column_type = "Text")]
    pub ask_en: String,
    #[sea_orm(column_type = "Text")]
    pub association_zh: String,
    #[sea_orm(column_type = "Text")]
    pub association_en: String,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
