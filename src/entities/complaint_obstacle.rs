use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "complaint_obstacles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub complaint_id: i64,
    pub obstacle_code: String,
    pub source: String,
    pub score: Option<f64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub evidence: Option<String>,
    pub set_by: Option<String>,
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
