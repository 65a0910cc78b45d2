//! Admin pages: users (invite, enable/disable) and API tokens (create, revoke) in [`users`],
//! the audit log in [`audit`].
mod audit;
mod users;

use axum::routing::{get, post};

use crate::web::shared::authz::{Access, Routes};

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/users",
            &["GET"],
            Access::Admin,
            get(users::users_page),
        )
        .add(
            "/staff/users/invite",
            &["POST"],
            Access::Admin,
            post(users::invite),
        )
        .add(
            "/staff/users/{id}/active",
            &["POST"],
            Access::Admin,
            post(users::set_active),
        )
        .add(
            "/staff/tokens",
            &["POST"],
            Access::Admin,
            post(users::create_token),
        )
        .add(
            "/staff/tokens/{id}/revoke",
            &["POST"],
            Access::Admin,
            post(users::revoke_token),
        )
        .add(
            "/staff/audit",
            &["GET"],
            Access::Admin,
            get(audit::audit_page),
        )
}
