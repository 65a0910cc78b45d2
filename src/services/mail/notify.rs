//! Mail caused by case work: the consumer hears of every public status change (in the language
//! of their complaint), and a forwarded case goes to the company's contact. Both are queued in
//! the outbox inside the caller's transaction, so a change and its mail commit together.
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::domain::format;
use crate::domain::workflow;
use crate::domain::{Language, Money, Outcome, Status, TrackingCode};
use crate::entities::{company, complaint};
use crate::services::error::ServiceError;
use crate::services::mail::outbox;
use crate::services::mail::{self, Composer, MailContent};

/// What a status mail says besides the new status.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    /// Why a complaint was not accepted.
    pub reason: Option<String>,
    /// When the company should answer.
    pub response_due: Option<NaiveDate>,
    /// The company's answer.
    pub company_response: Option<String>,
    /// The answer's category.
    pub response_category: Option<crate::domain::ResponseCategory>,
    /// How the case ended.
    pub outcome: Option<Outcome>,
}

/// Renders the status-change mail.
pub fn status_mail(
    composer: &Composer<'_>,
    lang: Language,
    code: &str,
    to: Status,
    extra: &Extra,
) -> Result<MailContent, ServiceError> {
    let mut ctx = tera::Context::new();
    ctx.insert("t", composer.i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("code", code);
    ctx.insert("status", to.code());
    let url = match TrackingCode::parse(code) {
        Some(c) => mail::track_url(composer.base_url, &c),
        None => String::new(),
    };
    ctx.insert("track_url", &url);
    ctx.insert("reason", &extra.reason);
    ctx.insert(
        "response_due",
        &extra.response_due.map(|d| format::date(d, lang)),
    );
    ctx.insert("company_response", &extra.company_response);
    ctx.insert(
        "response_category",
        &extra.response_category.map(|c| c.code()),
    );
    ctx.insert(
        "feedback_days",
        &crate::domain::deadlines::FEEDBACK_DAYS.to_string(),
    );
    ctx.insert("outcome", &extra.outcome.map(|o| o.code()));
    let status_name = composer.i18n.msg(lang, &format!("status.{}", to.code()));
    let subject = composer.i18n.fmt(
        lang,
        "cases.mail.subject",
        &[("code", code), ("status", &status_name)],
    );
    ctx.insert("subject", &subject);
    Ok(MailContent {
        text: composer.tera.render("mail/status.txt", &ctx)?,
        html: composer.tera.render("mail/status.html", &ctx)?,
        subject,
    })
}

/// Queues the consumer's mail about a change into `to`, if the change is public and the
/// complaint has an address. Returns whether a mail was queued.
pub async fn status_changed(
    composer: &Composer<'_>,
    conn: &impl ConnectionTrait,
    c: &complaint::Model,
    to: Status,
    extra: &Extra,
) -> Result<bool, ServiceError> {
    let Some(addr) = c.contact_email.as_deref() else {
        return Ok(false);
    };
    if !workflow::is_public(to) {
        return Ok(false);
    }
    // The consumer's choice on /my: every change, only the answer and the outcome, or none.
    let wanted = crate::domain::Notify::parse(&c.notify).unwrap_or(crate::domain::Notify::All);
    if !wanted.wants(to) {
        return Ok(false);
    }
    let lang = crate::services::cases::language_of(c);
    let content = status_mail(composer, lang, &c.tracking_code, to, extra)?;
    outbox::enqueue(conn, Some(c.id), "status", addr, lang, content).await?;
    Ok(true)
}

/// The case as sent to the company: facts, the consumer's account and, since the consumer
/// consented to forwarding, how to reach them. Always in Chinese (the companies are in China).
pub fn forward_mail(
    composer: &Composer<'_>,
    c: &complaint::Model,
    co: &company::Model,
    due: NaiveDate,
    answer_link: &str,
) -> Result<MailContent, ServiceError> {
    let lang = Language::ZhCn;
    let t = |k: &str| composer.i18n.msg(lang, k);
    let mut ctx = tera::Context::new();
    ctx.insert("t", composer.i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("code", &c.tracking_code);
    ctx.insert("company", &co.name);
    ctx.insert("received", &format::datetime(c.received_at, lang));
    ctx.insert("due", &format::date(due, lang));
    ctx.insert("answer_link", answer_link);
    ctx.insert("sector", &t(&format!("sector.{}", c.sector)));
    ctx.insert("service_name", &c.service_name);
    let plan = |name: &Option<String>, fen: Option<i64>| match (name, fen) {
        (Some(n), Some(f)) => Some(format!("{n} ({})", Money(f).display())),
        (Some(n), None) => Some(n.clone()),
        (None, Some(f)) => Some(Money(f).display()),
        (None, None) => None,
    };
    ctx.insert("plan_from", &plan(&c.plan_from, c.price_from_fen));
    ctx.insert("plan_to", &plan(&c.plan_to, c.price_to_fen));
    ctx.insert(
        "billing_cycle",
        &c.billing_cycle
            .as_ref()
            .map(|b| t(&format!("billing_cycle.{b}"))),
    );
    ctx.insert(
        "requested_action",
        &t(&format!("requested_action.{}", c.requested_action)),
    );
    let channels: Vec<String> = c
        .channels_tried
        .split(';')
        .filter(|s| !s.is_empty())
        .map(|ch| t(&format!("channel.{ch}")))
        .collect();
    ctx.insert("channels", &channels.join("、"));
    ctx.insert("contact_attempts", &c.contact_attempts);
    ctx.insert(
        "first_attempt_on",
        &c.first_attempt_on.map(|d| format::date(d, lang)),
    );
    ctx.insert(
        "amount_claimed",
        &c.amount_claimed_fen.map(|f| Money(f).display()),
    );
    ctx.insert("narrative", &c.narrative);
    ctx.insert("contact_name", &c.contact_name);
    ctx.insert("contact_email", &c.contact_email);
    ctx.insert("contact_phone", &c.contact_phone);
    let subject = composer.i18n.fmt(
        lang,
        "cases.forward_mail.subject",
        &[("code", &c.tracking_code)],
    );
    ctx.insert("subject", &subject);
    Ok(MailContent {
        text: composer.tera.render("mail/forward.txt", &ctx)?,
        html: composer.tera.render("mail/forward.html", &ctx)?,
        subject,
    })
}

/// Staff ask the company for a follow-up answer: why, by when, and a fresh answer link.
pub fn reopen_mail(
    composer: &Composer<'_>,
    c: &complaint::Model,
    co: &company::Model,
    due: NaiveDate,
    reason: &str,
    answer_link: &str,
) -> Result<MailContent, ServiceError> {
    let lang = Language::ZhCn;
    let mut ctx = tera::Context::new();
    ctx.insert("t", composer.i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("code", &c.tracking_code);
    ctx.insert("company", &co.name);
    ctx.insert("due", &format::date(due, lang));
    ctx.insert("reason", reason);
    ctx.insert("answer_link", answer_link);
    let subject = composer.i18n.fmt(
        lang,
        "cases.reopen_mail.subject",
        &[("code", &c.tracking_code)],
    );
    ctx.insert("subject", &subject);
    Ok(MailContent {
        text: composer.tera.render("mail/reopen.txt", &ctx)?,
        html: composer.tera.render("mail/reopen.html", &ctx)?,
        subject,
    })
}
