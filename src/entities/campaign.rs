use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[sea_orm(unique)]
    pub tag: String,
    pub starts_on: Date,
    pub ends_on: Date,
    /// `;`-separated sector codes; empty = any sector.
    pub sectors: String,
    /// `;`-separated obstacle codes; empty = any obstacle.
    pub obstacle_codes: String,
    /// `;`-separated company ids; empty = any company.
    pub company_ids: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
