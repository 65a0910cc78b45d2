//! Consumers' self-service without an account (`/my`): a single-use sign-in link mailed to the
//! email given in their complaints ([`request_link`], [`open_link`]), then their complaints with
//! what they may do on each ([`changes`]). Asking for a link answers the same whether or not the
//! address has complaints, so the page reveals nothing about who complained.
pub mod changes;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::domain::token::{lookup_hash, new_token, stored_hash};
use crate::domain::{Language, TrackingCode};
use crate::entities::{complaint, consumer_link};
use crate::services::error::ServiceError;
use crate::services::mail::{outbox, Composer, MailContent};

/// How long a sign-in link works.
pub const LINK_MINUTES: i64 = 30;

/// Why a sign-in link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefused {
    Unknown,
    Expired,
    Used,
}

impl LinkRefused {
    /// Message key of the explanation.
    pub fn message_key(self) -> &'static str {
        match self {
            LinkRefused::Unknown => "my.refused.unknown",
            LinkRefused::Expired => "my.refused.expired",
            LinkRefused::Used => "my.refused.used",
        }
    }
}

/// Canonical form of a consumer's email (trimmed, lower case), or `None` when it is not one.
pub fn normalize(email: &str) -> Option<String> {
    crate::services::accounts::normalize_email(email)
}

/// The complaints filed with `email`, newest first.
pub async fn complaints_of(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Vec<complaint::Model>, sea_orm::DbErr> {
    complaint::Entity::find()
        .filter(
            Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(
                complaint::Column::ContactEmail,
            )))
            .eq(email),
        )
        .order_by_desc(complaint::Column::ReceivedAt)
        .order_by_desc(complaint::Column::Id)
        .all(conn)
        .await
}

/// One of `email`'s complaints by tracking code; `None` for anyone else's (or no such case).
pub async fn case_of(
    conn: &impl ConnectionTrait,
    email: &str,
    code: &str,
) -> Result<Option<complaint::Model>, sea_orm::DbErr> {
    let Some(code) = TrackingCode::parse(code) else {
        return Ok(None);
    };
    Ok(complaint::Entity::find()
        .filter(complaint::Column::TrackingCode.eq(code.as_str()))
        .one(conn)
        .await?
        .filter(|c| {
            c.contact_email
                .as_deref()
                .is_some_and(|e| e.trim().to_lowercase() == email)
        }))
}

/// Mails a sign-in link to `email` if any complaint was filed with it (in the language of the
/// newest one); does nothing otherwise. Returns whether a link was sent, for logs and tests
/// only: callers must not show it.
pub async fn request_link(
    db: &DatabaseConnection,
    composer: &Composer<'_>,
    email: &str,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let mine = complaints_of(db, email).await?;
    let Some(newest) = mine.first() else {
        return Ok(false);
    };
    let lang = crate::services::cases::language_of(newest);
    let token = new_token();
    let txn = sea_orm::TransactionTrait::begin(db).await?;
    consumer_link::ActiveModel {
        email: Set(email.to_string()),
        token_hash: Set(stored_hash(&token)),
        expires_at: Set(now + Duration::minutes(LINK_MINUTES)),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let content = link_mail(composer, lang, &token, mine.len())?;
    outbox::enqueue(&txn, None, "my_link", email, lang, content).await?;
    txn.commit().await?;
    Ok(true)
}

fn link_mail(
    composer: &Composer<'_>,
    lang: Language,
    token: &str,
    count: usize,
) -> Result<MailContent, ServiceError> {
    let url = format!("{}/my/{token}", composer.base_url.trim_end_matches('/'));
    let mut ctx = tera::Context::new();
    ctx.insert("t", composer.i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("url", &url);
    ctx.insert("count", &count);
    ctx.insert("minutes", &LINK_MINUTES);
    let subject = composer.i18n.msg(lang, "my.mail.subject");
    ctx.insert("subject", &subject);
    Ok(MailContent {
        text: composer.tera.render("mail/my_link.txt", &ctx)?,
        html: composer.tera.render("mail/my_link.html", &ctx)?,
        subject,
    })
}

/// Uses a sign-in link once: the email it was sent to, or why it cannot be used.
pub async fn open_link(
    conn: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Result<String, LinkRefused>, sea_orm::DbErr> {
    let Some(hash) = lookup_hash(token) else {
        return Ok(Err(LinkRefused::Unknown));
    };
    let Some(link) = consumer_link::Entity::find()
        .filter(consumer_link::Column::TokenHash.eq(hash))
        .one(conn)
        .await?
    else {
        return Ok(Err(LinkRefused::Unknown));
    };
    if link.used_at.is_some() {
        return Ok(Err(LinkRefused::Used));
    }
    if now >= link.expires_at {
        return Ok(Err(LinkRefused::Expired));
    }
    // Guarded: of two clicks at once, one signs in.
    let res = consumer_link::Entity::update_many()
        .col_expr(consumer_link::Column::UsedAt, Expr::value(Some(now)))
        .filter(consumer_link::Column::Id.eq(link.id))
        .filter(consumer_link::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    if res.rows_affected == 0 {
        return Ok(Err(LinkRefused::Used));
    }
    Ok(Ok(link.email))
}
