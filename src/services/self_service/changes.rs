//! What a consumer signed in on `/my` may do to one of their complaints: add to the story (a
//! dated addition; the original is never rewritten), add evidence, correct the contact data (the
//! email is the identity and stays), choose notifications, and withdraw.
use std::path::Path;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::domain::response::clean_text;
use crate::domain::{parse_mobile, Language, Notify, Status};
use crate::entities::{complaint, complaint_update, user};
use crate::services::audit::{self, Actor};
use crate::services::cases::actions::{self, CaseError, CaseWork, Change};
use crate::services::error::ServiceError;
use crate::services::intake::{attach, evidence};
use crate::services::mail::{outbox, MailContent};

/// Longest addition to a story, in characters.
pub const MAX_UPDATE_CHARS: usize = 5_000;

/// Why a consumer's change was refused: the form field and message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub field: &'static str,
    pub key: &'static str,
}

const fn refused(field: &'static str, key: &'static str) -> Refused {
    Refused { field, key }
}

/// The consumer, as named in audit rows (never their address).
pub fn consumer() -> Actor {
    Actor {
        user_id: None,
        label: "consumer (/my)".into(),
    }
}

/// Whether the case still changes (nothing is added to a closed, rejected, merged or withdrawn
/// case).
fn open(c: &complaint::Model) -> bool {
    !crate::domain::workflow::is_final(c.status)
}

/// Adds a dated addition to the story.
pub async fn add_update(
    conn: &impl ConnectionTrait,
    c: &complaint::Model,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), Refused>, ServiceError> {
    if !open(c) {
        return Ok(Err(refused("body", "my.errors.closed")));
    }
    let body = clean_text(body);
    let n = body.chars().count();
    if n == 0 {
        return Ok(Err(refused("body", "my.errors.update_missing")));
    }
    if n > MAX_UPDATE_CHARS {
        return Ok(Err(refused("body", "my.errors.update_too_long")));
    }
    complaint_update::ActiveModel {
        complaint_id: Set(c.id),
        body: Set(body),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        &consumer(),
        "consumer_update",
        Some(("complaint", c.id.to_string())),
        None,
    )
    .await?;
    Ok(Ok(()))
}

/// The additions to a complaint's story, oldest first.
pub async fn updates(
    conn: &impl ConnectionTrait,
    complaint_id: i64,
) -> Result<Vec<complaint_update::Model>, sea_orm::DbErr> {
    use sea_orm::QueryOrder;
    complaint_update::Entity::find()
        .filter(complaint_update::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(complaint_update::Column::Id)
        .all(conn)
        .await
}

/// Adds one evidence file (same checks and limits as at intake).
pub async fn add_evidence(
    db: &sea_orm::DatabaseConnection,
    dir: &Path,
    c: &complaint::Model,
    name: Option<&str>,
    bytes: &[u8],
) -> Result<Result<(), Refused>, ServiceError> {
    if !open(c) {
        return Ok(Err(refused("file", "my.errors.closed")));
    }
    if attach::file_count(db, c.id).await? >= evidence::MAX_FILES as u64 {
        return Ok(Err(refused("file", "my.errors.too_many_files")));
    }
    let ct = match evidence::check(bytes) {
        Ok(ct) => ct,
        Err(r) => return Ok(Err(refused("file", r.message_key()))),
    };
    attach::attach(db, dir, c.id, name, bytes, ct).await?;
    audit::record(
        db,
        &consumer(),
        "consumer_evidence",
        Some(("complaint", c.id.to_string())),
        None,
    )
    .await?;
    Ok(Ok(()))
}

/// Corrects the name, mobile number and province (empty clears a field).
pub async fn correct_contact(
    conn: &impl ConnectionTrait,
    c: &complaint::Model,
    name: &str,
    phone: &str,
    province: &str,
    is_province: impl Fn(&str) -> bool,
    now: DateTime<Utc>,
) -> Result<Result<(), Refused>, ServiceError> {
    if c.contact_erased_at.is_some() {
        return Ok(Err(refused("form", "my.errors.erased")));
    }
    let name = clean_text(name);
    if name.chars().count() > 50 {
        return Ok(Err(refused("contact_name", "my.errors.name_too_long")));
    }
    let phone = match phone.trim() {
        "" => None,
        p => match parse_mobile(p) {
            Some(m) => Some(m),
            None => return Ok(Err(refused("contact_phone", "errors.invalid_phone"))),
        },
    };
    let province = match province.trim() {
        "" => None,
        p if is_province(p) => Some(p.to_string()),
        _ => return Ok(Err(refused("province", "errors.invalid_province"))),
    };
    complaint::Entity::update_many()
        .col_expr(
            complaint::Column::ContactName,
            Expr::value((!name.is_empty()).then_some(name)),
        )
        .col_expr(complaint::Column::ContactPhone, Expr::value(phone))
        .col_expr(complaint::Column::Province, Expr::value(province))
        .col_expr(complaint::Column::UpdatedAt, Expr::value(now))
        .filter(complaint::Column::Id.eq(c.id))
        .exec(conn)
        .await?;
    // What changed is recorded by field name only: the audit log keeps no contact data.
    audit::record(
        conn,
        &consumer(),
        "consumer_contact_corrected",
        Some(("complaint", c.id.to_string())),
        Some(json!({ "fields": ["contact_name", "contact_phone", "province"] })),
    )
    .await?;
    Ok(Ok(()))
}

/// Sets which mails the consumer wants about this complaint.
pub async fn set_notify(
    conn: &impl ConnectionTrait,
    c: &complaint::Model,
    choice: &str,
) -> Result<Result<(), Refused>, ServiceError> {
    let Some(n) = Notify::parse(choice.trim()) else {
        return Ok(Err(refused("notify", "errors.bad_request")));
    };
    complaint::Entity::update_many()
        .col_expr(complaint::Column::Notify, Expr::value(n.code()))
        .filter(complaint::Column::Id.eq(c.id))
        .exec(conn)
        .await?;
    audit::record(
        conn,
        &consumer(),
        "consumer_notify",
        Some(("complaint", c.id.to_string())),
        Some(json!({ "notify": n.code() })),
    )
    .await?;
    Ok(Ok(()))
}

/// Withdraws the complaint (status `withdrawn`, the reason in the history), and tells the staff
/// handling it: the assigned reviewer, or every active admin.
pub async fn withdraw(
    work: &CaseWork<'_>,
    c: &complaint::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), Refused>, ServiceError> {
    if !crate::domain::workflow::Step::Withdraw
        .from()
        .contains(&c.status)
    {
        return Ok(Err(refused("form", "my.errors.closed")));
    }
    let note = Some(clean_text(reason)).filter(|r| !r.is_empty());
    let mut version = c.version;
    for _ in 0..3 {
        let change = Change::Withdraw { note: note.clone() };
        match actions::apply(work, &consumer(), c.id, version, change, now).await {
            Ok(_) => {
                tell_staff(work, c).await?;
                return Ok(Ok(()));
            }
            Err(CaseError::Conflict) => {
                match complaint::Entity::find_by_id(c.id).one(work.db).await? {
                    Some(fresh) if fresh.status != Status::Withdrawn => version = fresh.version,
                    _ => break,
                }
            }
            Err(CaseError::Invalid { field, key, .. }) => return Ok(Err(refused(field, key))),
            Err(CaseError::Service(e)) => return Err(e),
            Err(CaseError::Illegal(_)) | Err(CaseError::NotFound) => break,
        }
    }
    Ok(Err(refused("form", "my.errors.closed")))
}

async fn tell_staff(work: &CaseWork<'_>, c: &complaint::Model) -> Result<(), ServiceError> {
    let mut to: Vec<String> = Vec::new();
    if let Some(uid) = c.assigned_to {
        if let Some(u) = user::Entity::find_by_id(uid).one(work.db).await? {
            to.push(u.email);
        }
    }
    if to.is_empty() {
        to = crate::services::accounts::users::active_admin_emails(work.db).await?;
    }
    let lang = Language::ZhCn;
    let i18n = work.composer.i18n;
    let subject = i18n.fmt(lang, "my.staff_mail.subject", &[("code", &c.tracking_code)]);
    let body = i18n.fmt(lang, "my.staff_mail.body", &[("code", &c.tracking_code)]);
    let mut ctx = tera::Context::new();
    ctx.insert("t", i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("subject", &subject);
    ctx.insert("body", &body);
    let content = MailContent {
        text: work.composer.tera.render("mail/notice.txt", &ctx)?,
        html: work.composer.tera.render("mail/notice.html", &ctx)?,
        subject,
    };
    for addr in to {
        outbox::enqueue(
            work.db,
            Some(c.id),
            "consumer_withdrew",
            &addr,
            lang,
            content.clone(),
        )
        .await?;
    }
    work.mail_wake.notify_one();
    Ok(())
}
