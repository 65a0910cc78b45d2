//! Authentication: bearer tokens for the API, server-side sessions for pages, CSRF tokens on
//! every state-changing form. The sign-in pages are in [`super::sign_in`].
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::domain::Role;
use crate::entities::user;
use crate::error::AppError;
use crate::services::accounts;
use crate::services::audit::Actor;
use crate::state::AppState;

pub(super) const USER_KEY: &str = "uid";
pub(super) const CSRF_KEY: &str = "csrf";

/// The signed-in staff or regulator user.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The company a company user is bound to (`None` for every other role).
    pub company_id: Option<i64>,
    /// Authenticated with a bearer token rather than a session.
    pub via_token: bool,
}

impl CurrentUser {
    fn from_model(u: user::Model, via_token: bool) -> Option<CurrentUser> {
        let role = Role::parse(&u.role)?;
        // A company user without a company (its company was merged away, say) cannot act.
        if role == Role::Company && u.company_id.is_none() {
            return None;
        }
        Some(CurrentUser {
            id: u.id,
            role,
            company_id: u.company_id.filter(|_| role == Role::Company),
            email: u.email,
            display_name: u.display_name,
            via_token,
        })
    }

    pub fn actor(&self) -> Actor {
        Actor::user(self.id, &self.email)
    }
}

/// Middleware: resolves the user from `Authorization: Bearer` or the session, for the staff,
/// regulator and API areas. Disabled users are treated as signed out.
pub async fn load_user(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !(path.starts_with("/staff")
        || path.starts_with("/regulator")
        || path == "/company"
        || path.starts_with("/company/")
        || path.starts_with("/api/"))
    {
        return next.run(req).await;
    }
    let bearer = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_string());
    let user = match bearer {
        Some(token) => match accounts::authenticate_token(&state.db.write, &token).await {
            Ok(u) => u.and_then(|u| CurrentUser::from_model(u, true)),
            Err(e) => return AppError::from(e).into_response(),
        },
        None => match req.extensions().get::<Session>().cloned() {
            Some(session) => match session.get::<i64>(USER_KEY).await {
                Ok(Some(id)) => match accounts::users::active_user(&state.db.read, id).await {
                    Ok(u) => u.and_then(|u| CurrentUser::from_model(u, false)),
                    Err(e) => return AppError::from(e).into_response(),
                },
                Ok(_) => None,
                // Sessions live in the database: unreadable means unavailable, not signed out.
                Err(e) => {
                    return AppError::Unavailable(format!("session store: {e}")).into_response()
                }
            },
            None => None,
        },
    };
    if let Some(u) = user {
        req.extensions_mut().insert(u);
    }
    next.run(req).await
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Unauthorized)
    }
}

/// The CSRF token of this session, created on first use.
pub async fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Ok(Some(t)) = session.get::<String>(CSRF_KEY).await {
        return Ok(t);
    }
    let t = hex::encode(rand::random::<[u8; 24]>());
    session
        .insert(CSRF_KEY, &t)
        .await
        .map_err(|e| AppError::Unavailable(format!("session store: {e}")))?;
    Ok(t)
}

/// Refuses a form whose CSRF token does not match the session's (a stale or forged form).
pub async fn verify_csrf(session: &Session, submitted: &str) -> Result<(), AppError> {
    match session.get::<String>(CSRF_KEY).await {
        Ok(Some(t))
            if !submitted.is_empty() && constant_time_eq(t.as_bytes(), submitted.as_bytes()) =>
        {
            Ok(())
        }
        _ => Err(AppError::Csrf),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The current user if any (never rejects).
pub struct CurrentUserOpt(pub Option<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUserOpt {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(CurrentUserOpt(
            parts.extensions.get::<CurrentUser>().cloned(),
        ))
    }
}
