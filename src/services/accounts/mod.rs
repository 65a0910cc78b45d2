//! Staff accounts: argon2 password hashes, lockout after repeated failures, API tokens and
//! invitations (both stored as sha256 hashes only).
pub mod invite;
pub mod users;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::domain::Role;
use crate::entities::{api_token, user, user_invite};
use crate::services::error::{unique_violation, UniqueKey};
use crate::services::intake::hash_token;

static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not-a-real-password").unwrap_or_default());

/// Failed logins in a row before an account is locked.
pub const MAX_FAILED_LOGINS: i32 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT: Duration = Duration::minutes(15);
/// Shortest accepted password.
pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("invalid email address")]
    InvalidEmail,
    #[error("password must have at least {MIN_PASSWORD_CHARS} characters")]
    WeakPassword,
    #[error("a user with this email already exists")]
    Exists,
    #[error("no such user")]
    NoSuchUser,
    #[error("a company user must be bound to a company in the directory (--company)")]
    CompanyRequired,
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error("password hashing failed")]
    Hash,
}

/// Canonical form of a staff email (trimmed, lower case).
pub fn normalize_email(email: &str) -> Option<String> {
    let e = email.trim().to_lowercase();
    validator::ValidateEmail::validate_email(&e).then_some(e)
}

pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| AccountError::Hash)
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Creates a user; without a password the account can only be activated through an invitation.
pub async fn create_user(
    db: &impl ConnectionTrait,
    email: &str,
    display_name: &str,
    role: Role,
    password: Option<&str>,
) -> Result<user::Model, AccountError> {
    if role == Role::Company {
        return Err(AccountError::CompanyRequired);
    }
    create_account(db, email, display_name, role, None, password).await
}

/// Creates a company user bound to directory company `company_id`.
pub async fn create_company_user(
    db: &impl ConnectionTrait,
    email: &str,
    display_name: &str,
    company_id: i64,
    password: Option<&str>,
) -> Result<user::Model, AccountError> {
    create_account(
        db,
        email,
        display_name,
        Role::Company,
        Some(company_id),
        password,
    )
    .await
}

async fn create_account(
    db: &impl ConnectionTrait,
    email: &str,
    display_name: &str,
    role: Role,
    company_id: Option<i64>,
    password: Option<&str>,
) -> Result<user::Model, AccountError> {
    let email = normalize_email(email).ok_or(AccountError::InvalidEmail)?;
    let password_hash = match password {
        Some(p) if p.chars().count() < MIN_PASSWORD_CHARS => {
            return Err(AccountError::WeakPassword)
        }
        Some(p) => Some(hash_password(p)?),
        None => None,
    };
    let name = if display_name.trim().is_empty() {
        email.split('@').next().unwrap_or("").to_string()
    } else {
        display_name.trim().to_string()
    };
    user::ActiveModel {
        email: Set(email),
        display_name: Set(name),
        role: Set(role.code().into()),
        password_hash: Set(password_hash),
        active: Set(true),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(Utc::now()),
        last_login_at: Set(None),
        company_id: Set(company_id),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| match unique_violation(&e) {
        Some(UniqueKey::UserEmail) => AccountError::Exists,
        _ => AccountError::Db(e),
    })
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    match normalize_email(email) {
        Some(e) => {
            user::Entity::find()
                .filter(user::Column::Email.eq(e))
                .one(db)
                .await
        }
        None => Ok(None),
    }
}

/// The result of a login attempt.
#[derive(Debug)]
pub enum Login {
    Ok(user::Model),
    /// Wrong email or password (deliberately not saying which).
    Invalid,
    Locked,
    Disabled,
}

/// Checks a password, counting failures and locking the account after too many.
pub async fn login(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
) -> Result<Login, sea_orm::DbErr> {
    let Some(u) = find_by_email(db, email).await? else {
        // Same work as a real check so timing does not reveal which emails exist.
        let _ = verify_password(password, &DUMMY_HASH);
        return Ok(Login::Invalid);
    };
    let now = Utc::now();
    if !u.active {
        return Ok(Login::Disabled);
    }
    if u.locked_until.is_some_and(|t| t > now) {
        return Ok(Login::Locked);
    }
    let ok = u
        .password_hash
        .as_deref()
        .is_some_and(|h| verify_password(password, h));
    let mut m: user::ActiveModel = u.clone().into();
    if ok {
        m.failed_logins = Set(0);
        m.locked_until = Set(None);
        m.last_login_at = Set(Some(now));
        let u = m.update(db).await?;
        Ok(Login::Ok(u))
    } else {
        let failed = u.failed_logins + 1;
        m.failed_logins = Set(failed);
        if failed >= MAX_FAILED_LOGINS {
            m.locked_until = Set(Some(now + LOCKOUT));
            m.failed_logins = Set(0);
            m.update(db).await?;
            return Ok(Login::Locked);
        }
        m.update(db).await?;
        Ok(Login::Invalid)
    }
}

pub async fn set_password(
    db: &impl ConnectionTrait,
    user_id: i64,
    password: &str,
) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::WeakPassword);
    }
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AccountError::NoSuchUser)?;
    let mut m: user::ActiveModel = u.into();
    m.password_hash = Set(Some(hash_password(password)?));
    m.failed_logins = Set(0);
    m.locked_until = Set(None);
    m.update(db).await?;
    Ok(())
}

pub async fn set_active(
    db: &impl ConnectionTrait,
    user_id: i64,
    active: bool,
) -> Result<user::Model, AccountError> {
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AccountError::NoSuchUser)?;
    let mut m: user::ActiveModel = u.into();
    m.active = Set(active);
    Ok(m.update(db).await?)
}

fn random_secret(prefix: &str) -> String {
    let bytes: [u8; 24] = rand::random();
    format!("{prefix}{}", hex::encode(bytes))
}

/// Creates an API token and returns (row, plaintext). Only the hash is stored.
pub async fn create_token(
    db: &impl ConnectionTrait,
    user_id: i64,
    name: &str,
) -> Result<(api_token::Model, String), sea_orm::DbErr> {
    let token = random_secret("dwt_");
    let row = api_token::ActiveModel {
        user_id: Set(user_id),
        name: Set(name.trim().chars().take(100).collect()),
        token_hash: Set(hash_token(&token)),
        prefix: Set(token.chars().take(10).collect()),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((row, token))
}

/// The active user behind a bearer token, if the token is valid and not revoked.
pub async fn authenticate_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    let Some(t) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash_token(token.trim())))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let u = user::Entity::find_by_id(t.user_id)
        .one(db)
        .await?
        .filter(|u| u.active);
    if u.is_some()
        && t.last_used_at
            .is_none_or(|at| Utc::now() - at > Duration::minutes(5))
    {
        let mut m: api_token::ActiveModel = t.into();
        m.last_used_at = Set(Some(Utc::now()));
        m.update(db).await?;
    }
    Ok(u)
}

pub async fn revoke_token(
    db: &impl ConnectionTrait,
    token_id: i64,
) -> Result<Option<api_token::Model>, sea_orm::DbErr> {
    let Some(t) = api_token::Entity::find_by_id(token_id).one(db).await? else {
        return Ok(None);
    };
    if t.revoked_at.is_some() {
        return Ok(Some(t));
    }
    let mut m: api_token::ActiveModel = t.into();
    m.revoked_at = Set(Some(Utc::now()));
    Ok(Some(m.update(db).await?))
}

pub async fn list_users(db: &impl ConnectionTrait) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .order_by_asc(user::Column::Email)
        .all(db)
        .await
}

pub async fn list_tokens(
    db: &impl ConnectionTrait,
) -> Result<Vec<api_token::Model>, sea_orm::DbErr> {
    api_token::Entity::find()
        .order_by_desc(api_token::Column::CreatedAt)
        .all(db)
        .await
}

/// Creates a 72-hour invitation for a user and returns the plaintext token for the link.
pub async fn create_invite(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<String, sea_orm::DbErr> {
    let token = random_secret("");
    user_invite::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(hash_token(&token)),
        expires_at: Set(Utc::now() + Duration::hours(72)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The user an unused, unexpired invitation belongs to.
pub async fn find_invite(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<(user_invite::Model, user::Model)>, sea_orm::DbErr> {
    let Some(inv) = user_invite::Entity::find()
        .filter(user_invite::Column::TokenHash.eq(hash_token(token)))
        .filter(user_invite::Column::UsedAt.is_null())
        .filter(user_invite::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let u = user::Entity::find_by_id(inv.user_id).one(db).await?;
    Ok(u.map(|u| (inv, u)))
}

pub async fn use_invite(
    db: &impl ConnectionTrait,
    invite: user_invite::Model,
) -> Result<(), sea_orm::DbErr> {
    let mut m: user_invite::ActiveModel = invite.into();
    m.used_at = Set(Some(Utc::now()));
    m.update(db).await?;
    Ok(())
}
