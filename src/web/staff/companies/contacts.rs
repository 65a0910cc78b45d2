//! A company's contacts on its directory page: the company users bound to it, and the form with
//! which an admin invites one (the same invitation, mail and sign-in as staff; role `company`).
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::show::{done, render_show, ShowForms};
use crate::domain::format;
use crate::error::{AppError, FieldErrors};
use crate::services::accounts::invite::{company_users, invite_company_user};
use crate::services::accounts::AccountError;
use crate::services::companies;
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage};
use crate::web::staff::forms::parse_id;

/// A company user as listed on its company's page.
#[derive(Serialize)]
pub(super) struct ContactView {
    email: String,
    display_name: String,
    active: bool,
    /// Has not set a password yet (invitation pending).
    invited: bool,
    last_login: Option<String>,
}

/// The company's users, for its page.
pub(super) async fn of_company(page: &StaffPage, id: i64) -> Result<Vec<ContactView>, AppError> {
    Ok(company_users(&page.state.db.read, id)
        .await?
        .into_iter()
        .map(|u| ContactView {
            invited: u.password_hash.is_none(),
            last_login: u.last_login_at.map(|t| format::datetime(t, page.lang)),
            email: u.email,
            display_name: u.display_name,
            active: u.active,
        })
        .collect())
}

#[derive(Deserialize)]
pub(super) struct InviteForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
}

csrf_protected!(InviteForm);

/// `POST /staff/companies/{id}/invite` (admins): invites a contact bound to this company.
pub(super) async fn invite(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<InviteForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    companies::find(&page.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let invited = invite_company_user(
        &page.state.invite_work(),
        page.lang,
        &f.email,
        &f.display_name,
        id,
        &page.user.actor(),
    )
    .await?;
    let key = match invited {
        Ok(_) => return Ok(done(id, "invited", None)),
        Err(AccountError::InvalidEmail) => "staff.users.bad_email",
        Err(AccountError::Exists) => "staff.users.exists",
        Err(e) => return Err(AppError::Internal(anyhow::anyhow!("{e}"))),
    };
    let mut errors = FieldErrors::new();
    errors.insert("invite_email".into(), vec![page.msg(key)]);
    let forms = ShowForms::inviting(f.email, f.display_name, errors);
    render_show(&page, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
}
