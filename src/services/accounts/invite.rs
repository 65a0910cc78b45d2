//! Inviting a user: the account, its single-use invitation, the invitation mail and the audit
//! record are written in one transaction.
use sea_orm::TransactionTrait;
use serde_json::json;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{create_company_user, create_invite, create_user, AccountError};
use crate::domain::{Language, Role};
use crate::entities::user;
use crate::services::audit::{self, Actor};
use crate::services::error::ServiceError;
use crate::services::mail::{self, outbox, Composer};

/// What inviting needs: the write connection, the mail composer and the outbox wake-up.
pub struct InviteWork<'a> {
    pub db: &'a sea_orm::DatabaseConnection,
    pub composer: Composer<'a>,
    pub mail_wake: &'a tokio::sync::Notify,
}

/// A user just invited, with the link that lets them set a password.
pub struct Invited {
    pub user: user::Model,
    pub link: String,
}

/// Creates the user and queues the invitation mail (in `lang`). The inner error is a refusal
/// to show on the form (bad or taken email); the outer one is a failure.
pub async fn invite_user(
    work: &InviteWork<'_>,
    lang: Language,
    email: &str,
    display_name: &str,
    role: Role,
    by: &Actor,
) -> Result<Result<Invited, AccountError>, ServiceError> {
    invite(work, lang, email, display_name, role, None, by).await
}

/// Invites a contact of company `company_id`: a user with role `company` bound to it, through
/// the same invitation (mail, single-use link, password rules) as staff.
pub async fn invite_company_user(
    work: &InviteWork<'_>,
    lang: Language,
    email: &str,
    display_name: &str,
    company_id: i64,
    by: &Actor,
) -> Result<Result<Invited, AccountError>, ServiceError> {
    invite(
        work,
        lang,
        email,
        display_name,
        Role::Company,
        Some(company_id),
        by,
    )
    .await
}

/// The users bound to company `company_id`, by email.
pub async fn company_users(
    conn: &impl ConnectionTrait,
    company_id: i64,
) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::CompanyId.eq(company_id))
        .order_by_asc(user::Column::Email)
        .all(conn)
        .await
}

async fn invite(
    work: &InviteWork<'_>,
    lang: Language,
    email: &str,
    display_name: &str,
    role: Role,
    company_id: Option<i64>,
    by: &Actor,
) -> Result<Result<Invited, AccountError>, ServiceError> {
    let txn = work.db.begin().await?;
    let created = match company_id {
        Some(cid) => create_company_user(&txn, email, display_name, cid, None).await,
        None => create_user(&txn, email, display_name, role, None).await,
    };
    let u = match created {
        Ok(u) => u,
        Err(AccountError::Db(db)) => return Err(db.into()),
        Err(refused) => return Ok(Err(refused)),
    };
    let token = create_invite(&txn, u.id).await?;
    let link = format!(
        "{}/staff/invite/{token}",
        work.composer.base_url.trim_end_matches('/')
    );
    let content = mail::invite::invite(&work.composer, lang, role, &link)?;
    outbox::enqueue(&txn, None, "invite", &u.email, lang, content).await?;
    audit::record(
        &txn,
        by,
        "user_invited",
        Some(("user", u.id.to_string())),
        Some(json!({ "role": role.code(), "company": company_id })),
    )
    .await?;
    txn.commit().await?;
    work.mail_wake.notify_one();
    Ok(Ok(Invited { user: u, link }))
}
