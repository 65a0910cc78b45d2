//! The invitation a new staff, regulator or company user gets from an admin.
use crate::domain::{Language, Role};
use crate::services::error::ServiceError;
use crate::services::mail::{Composer, MailContent};

/// The invitation mail with the single-use link to set a password.
pub fn invite(
    composer: &Composer<'_>,
    lang: Language,
    role: Role,
    link: &str,
) -> Result<MailContent, ServiceError> {
    let subject = composer.i18n.msg(lang, "staff.invite.mail_subject");
    let mut ctx = tera::Context::new();
    ctx.insert("t", composer.i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("subject", &subject);
    ctx.insert("link", link);
    ctx.insert(
        "role",
        &composer
            .i18n
            .msg(lang, &format!("staff.roles.{}", role.code())),
    );
    Ok(MailContent {
        text: composer.tera.render("mail/invite.txt", &ctx)?,
        html: composer.tera.render("mail/invite.html", &ctx)?,
        subject,
    })
}
