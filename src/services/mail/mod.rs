//! Mail content, rendered from `templates/mail/` in the recipient's language.
pub mod invite;
pub mod monitor;
pub mod notify;
pub mod outbox;
use chrono::NaiveDate;

use crate::domain::{Language, TrackingCode};
use crate::i18n::I18n;
use crate::services::error::ServiceError;

/// A rendered message, ready for the outbox.
#[derive(Debug, Clone)]
pub struct MailContent {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What rendering a mail needs: the templates, the message catalogue and the public address.
#[derive(Clone, Copy)]
pub struct Composer<'a> {
    pub tera: &'a tera::Tera,
    pub i18n: &'a I18n,
    /// The site's public base URL (`DW_BASE_URL`), for links in mails.
    pub base_url: &'a str,
}

/// The receipt a consumer gets after filing.
pub fn receipt(
    composer: &Composer<'_>,
    lang: Language,
    code: &TrackingCode,
    review_due: NaiveDate,
    lane: Option<crate::domain::lane::Clocks>,
) -> Result<MailContent, ServiceError> {
    let mut ctx = tera::Context::new();
    let base = composer.base_url.trim_end_matches('/');
    ctx.insert("rights_url", &format!("{base}/rights"));
    // The lane's promise, with the clocks in force when the receipt is written.
    let lane_text = lane.map(|c| {
        composer.i18n.fmt(
            lang,
            "lane.receipt",
            &[
                ("review_days", &c.lane_review_days.to_string()),
                ("response_days", &c.lane_response_days.to_string()),
            ],
        )
    });
    ctx.insert("lane_text", &lane_text);
    ctx.insert("t", composer.i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("code", code.as_str());
    ctx.insert("track_url", &track_url(composer.base_url, code));
    ctx.insert(
        "my_url",
        &format!("{}/my", composer.base_url.trim_end_matches('/')),
    );
    ctx.insert("review_due", &crate::domain::format::date(review_due, lang));
    let review_days = lane.map_or(crate::domain::deadlines::REVIEW_WORKING_DAYS, |c| {
        c.lane_review_days
    });
    ctx.insert("review_days", &review_days.to_string());
    let subject = composer
        .i18n
        .fmt(lang, "mail.receipt.subject", &[("code", code.as_str())]);
    ctx.insert("subject", &subject);
    Ok(MailContent {
        text: composer.tera.render("mail/receipt.txt", &ctx)?,
        html: composer.tera.render("mail/receipt.html", &ctx)?,
        subject,
    })
}

/// Absolute link to the public tracking page.
pub fn track_url(base_url: &str, code: &TrackingCode) -> String {
    let base = base_url.trim_end_matches('/');
    format!("{base}/track/{code}")
}
