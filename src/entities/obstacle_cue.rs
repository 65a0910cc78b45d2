use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "obstacle_cues")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub obstacle_code: String,
    pub lang: String,
    #[sea_orm(column_type = "Text")]
    pub pattern: String,
    pub weight: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
