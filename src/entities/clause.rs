use sea_orm::entity::prelude::*;

use crate::domain::clauses::ClauseStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clauses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub service_name: String,
    #[sea_orm(column_type = "Text")]
    pub clause_text: String,
    #[sea_orm(column_type = "Text")]
    pub source_url: String,
    pub first_seen_on: Date,
    pub last_seen_on: Date,
    pub legal_basis: String,
    #[sea_orm(column_type = "Text")]
    pub analysis: String,
    pub status: ClauseStatus,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
