use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clause_citations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub clause_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub complaint_id: i64,
    pub cited_by: Option<i64>,
    pub cited_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
