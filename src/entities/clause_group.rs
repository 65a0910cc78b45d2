use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clause_groups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub clause_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub group_id: i64,
    pub linked_by: Option<i64>,
    pub linked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
