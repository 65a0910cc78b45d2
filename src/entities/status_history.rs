use sea_orm::entity::prelude::*;

use crate::domain::Status;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "status_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub complaint_id: i64,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub is_public: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub actor: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::complaint::Entity",
        from = "Column::ComplaintId",
        to = "super::complaint::Column::Id"
    )]
    Complaint,
}

impl Related<super::complaint::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Complaint.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
