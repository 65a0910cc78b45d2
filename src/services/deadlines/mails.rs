//! The sweep's mails, rendered from `templates/mail/deadline.{txt,html}` in Chinese (companies
//! and staff get Chinese mail, as the forward mail is).
use super::Due;
use crate::domain::{format, Language};
use crate::services::error::ServiceError;
use crate::services::mail::{Composer, MailContent};

fn render(composer: &Composer<'_>, kind: &str, case: &Due) -> Result<MailContent, ServiceError> {
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

/// To the company: its due date passed without an answer.
pub(super) fn no_response(
    composer: &Composer<'_>,
    case: &Due,
) -> Result<MailContent, ServiceError> {
    render(composer, "no_response", case)
}

/// To the company: its due date is two working days away.
pub(super) fn reminder(composer: &Composer<'_>, case: &Due) -> Result<MailContent, ServiceError> {
    render(composer, "reminder", case)
}

/// To the reviewer or the admins: a new complaint waits past its review deadline.
pub(super) fn review_overdue(
    composer: &Composer<'_>,
    case: &Due,
) -> Result<MailContent, ServiceError> {
    render(composer, "review_overdue", case)
}
