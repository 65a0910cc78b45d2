use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clause_obstacles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub clause_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub obstacle_code: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
