//! Mail content, rendered from `templates/mail/` in the recipient's language.
pub mod invite;
pub mod monitor;
pub mod notify;
pub mod outbox;
use chrono::NaiveDate;

use crate::domain::{Language, TrackingCode};
use crate::error::AppError;
use crate::state::AppState;

/// A rendered message, ready for the outbox.
#[derive(Debug, Clone)]
pub struct MailContent {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The receipt a consumer gets after filing.
pub fn receipt(
    state: &AppState,
    lang: Language,
    code: &TrackingCode,
    review_due: NaiveDate,
) -> Result<MailContent, AppError> {
    let mut ctx = tera::Context::new();
    ctx.insert("t", state.i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("code", code.as_str());
    ctx.insert("track_url", &track_url(state, code));
    ctx.insert("review_due", &crate::domain::format::date(review_due, lang));
    let subject = state
        .i18n
        .fmt(lang, "mail.receipt.subject", &[("code", code.as_str())]);
    ctx.insert("subject", &subject);
    Ok(MailContent {
        text: state.tera.render("mail/receipt.txt", &ctx)?,
        html: state.tera.render("mail/receipt.html", &ctx)?,
        subject,
    })
}

/// Absolute link to the public tracking page.
pub fn track_url(state: &AppState, code: &TrackingCode) -> String {
    let base = state.config.base_url.as_str().trim_end_matches('/');
    format!("{base}/track/{code}")
}
