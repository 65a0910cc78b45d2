use sea_orm::entity::prelude::*;

use crate::domain::Status;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "complaints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub tracking_code: String,
    pub evidence_token_hash: String,
    pub status: Status,
    pub sector: String,
    pub company_id: Option<i64>,
    pub company_name: String,
    pub service_name: Option<String>,
    pub plan_from: Option<String>,
    pub plan_to: Option<String>,
    pub price_from_fen: Option<i64>,
    pub price_to_fen: Option<i64>,
    pub billing_cycle: Option<String>,
    pub requested_action: String,
    pub channels_tried: String,
    pub contact_attempts: Option<i32>,
    pub first_attempt_on: Option<Date>,
    pub outcome: Option<String>,
    pub amount_claimed_fen: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub narrative: String,
    pub province: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub consent_share_narrative: bool,
    pub consent_contact_company: bool,
    pub language: String,
    pub submitted_via: String,
    pub spam_reasons: String,
    pub primary_obstacle: Option<String>,
    pub taxonomy_version: String,
    pub received_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    pub assigned_to: Option<i64>,
    pub accepted_at: Option<DateTimeUtc>,
    pub forwarded_at: Option<DateTimeUtc>,
    pub responded_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub review_due_on: Option<Date>,
    pub response_due_on: Option<Date>,
    pub response_timely: Option<bool>,
    #[sea_orm(column_type = "Text", nullable)]
    pub company_response: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub rejection_reason: Option<String>,
    pub duplicate_of: Option<i64>,
    pub outcome_feedback: Option<String>,
    pub outcome_feedback_at: Option<DateTimeUtc>,
    pub tags: String,
    pub contact_erased_at: Option<DateTimeUtc>,
    pub narrative_erased_at: Option<DateTimeUtc>,
    /// Hash of the narrative's trigram set (`migration::shared::fingerprint`), for duplicate proposals.
    pub narrative_fp: Option<i64>,
    /// Distinct trigrams in the narrative.
    pub narrative_trigrams: Option<i32>,
    /// The company's answer, by category (`ResponseCategory` code), once it answered.
    pub response_category: Option<String>,
    /// The consumer's verdict on the answer (`ConsumerFeedback` code).
    pub consumer_feedback: Option<String>,
    pub consumer_feedback_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub consumer_feedback_reason: Option<String>,
    /// The consumer was not satisfied with the answer: the case is back in the queue.
    pub consumer_disputed: bool,
    /// When the deadline sweep marked the case as having no response by its due date.
    pub no_response_at: Option<DateTimeUtc>,
    /// Which mails the consumer wants (`Notify` code): every status change, only the company's
    /// answer and the outcome, or none.
    pub notify: String,
    /// In the priority lane (绿色通道): shorter clocks for plan-change complaints.
    pub priority_lane: bool,
    /// When staff last moved the case in or out of the lane (`None`: as set at intake).
    pub lane_changed_at: Option<DateTimeUtc>,
    /// The authority of the latest referral (its name then), for exports.
    pub referred_to: Option<String>,
    /// When the case was last referred.
    pub referred_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::complaint_obstacle::Entity")]
    Obstacles,
    #[sea_orm(has_many = "super::evidence_file::Entity")]
    Evidence,
    #[sea_orm(has_many = "super::status_history::Entity")]
    History,
}

impl Related<super::complaint_obstacle::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Obstacles.def()
    }
}
impl Related<super::evidence_file::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Evidence.def()
    }
}
impl Related<super::status_history::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::History.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
