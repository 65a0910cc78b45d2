//! The audit log: who did what, when, to which record. Rows are append-only (the database has
//! triggers that refuse UPDATE and DELETE). Details never repeat personal data.
pub mod listing;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::Value;

use crate::entities::audit_log;

/// Who acted.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            label: "system".into(),
        }
    }

    pub fn user(id: i64, email: &str) -> Actor {
        Actor {
            user_id: Some(id),
            label: email.to_string(),
        }
    }
}

/// Appends one audit row.
pub async fn record(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    target: Option<(&str, String)>,
    detail: Option<Value>,
) -> Result<(), sea_orm::DbErr> {
    let (target_type, target_id) = match target {
        Some((t, id)) => (Some(t.to_string()), Some(id)),
        None => (None, None),
    };
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        actor_user_id: Set(actor.user_id),
        actor: Set(actor.label.clone()),
        action: Set(action.into()),
        target_type: Set(target_type),
        target_id: Set(target_id),
        detail: Set(detail.map(|d| d.to_string())),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}
