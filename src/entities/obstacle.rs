use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "obstacles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub family: String,
    pub name_zh: String,
    pub name_en: String,
    #[sea_orm(column_type = "Text")]
    pub description_zh: String,
    #[sea_orm(column_type = "Text")]
    pub description_en: String,
    #[sea_orm(column_type = "Text")]
    pub consumer_label_zh: String,
    #[sea_orm(column_type = "Text")]
    pub consumer_label_en: String,
    pub rights: String,
    #[sea_orm(column_type = "Text")]
    pub legal_refs_zh: String,
    #[sea_orm(column_type = "Text")]
    pub legal_refs_en: String,
    pub taxonomy_version: String,
    pub sort_order: i32,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
