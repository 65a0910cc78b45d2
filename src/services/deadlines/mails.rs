//! The sweep's mails, rendered from `templates/mail/deadline.{txt,html}` in Chinese (companies
//! and staff get Chinese mail, as the forward mail is).
use super::Due;
use crate::domain::{format, Language};
use crate::services::error::ServiceError;
use crate::services::mail::{Composer, MailContent};

/// The mail of `kind` (`no_response`, `reminder`, `review_overdue`) about `case`.
pub(super) fn render(
    composer: &Composer<'_>,
    kind: &str,
    case: &Due,
) -> Result<MailContent, ServiceError> {
    let lang = Language::ZhCn;
    let due = format::date(case.due, lang);
    let subject = composer.i18n.fmt(
        lang,
        &format!("deadlines.{kind}.subject"),
        &[("code", &case.code), ("date", &due)],
    );
    let mut ctx = tera::Context::new();
    ctx.insert("t", composer.i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("kind", kind);
    ctx.insert("subject", &subject);
    ctx.insert("code", &case.code);
    ctx.insert("due", &due);
    ctx.insert("company", &case.company);
    Ok(MailContent {
        text: composer.tera.render("mail/deadline.txt", &ctx)?,
        html: composer.tera.render("mail/deadline.html", &ctx)?,
        subject,
    })
}
