use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "referrals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub complaint_id: i64,
    pub authority_id: i64,
    /// The authority's name when the case was referred.
    pub authority_name: String,
    /// The group referred together, if the case was referred with its group.
    pub group_id: Option<i64>,
    pub referred_at: DateTimeUtc,
    pub referred_by: String,
    /// The authority's own reference number, once it gave one.
    pub reference_no: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub outcome: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
