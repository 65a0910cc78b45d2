//! The invitation a new staff, regulator or company user gets from an admin.
use crate::domain::{Language, Role};
use crate::error::AppError;
use crate::services::mail::MailContent;
use crate::state::AppState;

/// The invitation mail with the single-use link to set a password.
pub fn invite(
    state: &AppState,
    lang: Language,
    role: Role,
    link: &str,
) -> Result<MailContent, AppError> {
    let subject = state.i18n.msg(lang, "staff.invite.mail_subject");
    let mut ctx = tera::Context::new();
    ctx.insert("t", state.i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("subject", &subject);
    ctx.insert("link", link);
    ctx.insert(
        "role",
        &state
            .i18n
            .msg(lang, &format!("staff.roles.{}", role.code())),
    );
    Ok(MailContent {
        text: state.tera.render("mail/invite.txt", &ctx)?,
        html: state.tera.render("mail/invite.html", &ctx)?,
        subject,
    })
}
