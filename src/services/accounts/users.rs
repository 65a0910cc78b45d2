//! Staff users as case pages name them: display names for the queue, reviewers to assign.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::domain::Role;
use crate::entities::user;

/// Every user's display name (the email when the name is blank), by id.
pub async fn display_names(db: &DatabaseConnection) -> Result<HashMap<i64, String>, DbErr> {
    Ok(user::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| {
            let name = if u.display_name.trim().is_empty() {
                u.email
            } else {
                u.display_name
            };
            (u.id, name)
        })
        .collect())
}

/// The active user behind a session's user id (`None` when unknown or disabled).
pub async fn active_user(db: &DatabaseConnection, id: i64) -> Result<Option<user::Model>, DbErr> {
    Ok(user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.active))
}

/// Active admins and reviewers, by email: who a case can be assigned to.
pub async fn reviewers(db: &DatabaseConnection) -> Result<Vec<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.is_in([Role::Admin.code(), Role::Reviewer.code()]))
        .order_by_asc(user::Column::Email)
        .all(db)
        .await
}

/// The addresses of every active admin, oldest account first (who is told when nobody is
/// assigned to a case).
pub async fn active_admin_emails(
    conn: &impl sea_orm::ConnectionTrait,
) -> Result<Vec<String>, sea_orm::DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin.code()))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect())
}
