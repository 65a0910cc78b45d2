//! Inviting a user: the account, its single-use invitation, the invitation mail and the audit
//! record are written in one transaction.
use sea_orm::TransactionTrait;
use serde_json::json;

use super::{create_invite, create_user, AccountError};
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
    let txn = work.db.begin().await?;
    let u = match create_user(&txn, email, display_name, role, None).await {
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
        Some(json!({ "role": role.code() })),
    )
    .await?;
    txn.commit().await?;
    work.mail_wake.notify_one();
    Ok(Ok(Invited { user: u, link }))
}
