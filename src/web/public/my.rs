//! `/my`: consumers manage their complaints without an account. The email form mails a
//! single-use sign-in link (`/my/{token}`) and answers the same whether or not the address has
//! complaints (the lookup and the mail happen after the answer, so the time taken is the same
//! too); the link opens a session listing the complaints filed with that email, each with what
//! the consumer may do (`/my/cases/{code}`).
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tower_sessions::Session;

use super::form::multipart_error;
use super::{over_limit, rate_bucket, retry_after};
use crate::config::RateLimit;
use crate::domain::format;
use crate::domain::{Language, Notify};
use crate::entities::complaint;
use crate::error::{AppError, FieldErrors};
use crate::services::privacy::erasure;
use crate::services::self_service::{self, changes};
use crate::state::AppState;
use crate::store::ratelimit;
use crate::web::shared::auth::{csrf_token, verify_csrf};
use crate::web::shared::client::ClientIp;
use crate::web::shared::lang::Lang;
use crate::web::shared::page::{csrf_protected, CsrfForm};
use crate::web::shared::render::{context, page, with_view};

const EMAIL_KEY: &str = "my_email";
/// Sign-in links per email address per hour (on top of the per-client intake limit).
const PER_EMAIL: RateLimit = RateLimit {
    count: 5,
    per: Duration::from_secs(3600),
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/my", get(my_page).post(ask_link))
        .route("/my/logout", post(logout))
        .route("/my/cases/{code}", get(case_page))
        .route(
            "/my/cases/{code}/{action}",
            post(act).layer(DefaultBodyLimit::max(64 * 1024)),
        )
        .route(
            "/my/cases/{code}/evidence",
            post(add_evidence).layer(DefaultBodyLimit::max(
                crate::services::intake::evidence::MAX_FILE_BYTES + 64 * 1024,
            )),
        )
        .route("/my/{token}", get(open_link))
}

async fn signed_in_email(session: &Session) -> Result<Option<String>, AppError> {
    session
        .get::<String>(EMAIL_KEY)
        .await
        .map_err(|e| AppError::Unavailable(format!("session store: {e}")))
}

/// Renders a `/my` page with the CSRF token.
async fn render<V: Serialize>(
    state: &AppState,
    lang: Language,
    session: &Session,
    template: &str,
    view: &V,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut ctx = context(state, lang, "/my");
    ctx.insert("csrf_token", &csrf_token(session).await?);
    page(state, template, &with_view(ctx, view)?, status)
}

/// One complaint in the list.
#[derive(Serialize)]
struct Row {
    code: String,
    status: String,
    received: String,
    company: String,
    review_due: Option<String>,
    response_due: Option<String>,
    answered: bool,
}

#[derive(Serialize, Default)]
struct MyView {
    /// Signed in: the email and the complaints.
    email: Option<String>,
    rows: Vec<Row>,
    /// The link was asked for (shown whatever the address).
    sent: bool,
    typed: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct MyQuery {
    sent: Option<String>,
}

async fn my_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    session: Session,
    Query(q): Query<MyQuery>,
) -> Result<Response, AppError> {
    let mut view = MyView {
        sent: q.sent.as_deref() == Some("1"),
        ..MyView::default()
    };
    if let Some(email) = signed_in_email(&session).await? {
        let mine = self_service::complaints_of(&state.db.read, &email).await?;
        view.rows = mine
            .into_iter()
            .map(|c| Row {
                status: public_status(&c),
                received: format::datetime(c.received_at, lang),
                review_due: c.review_due_on.map(|d| format::date(d, lang)),
                response_due: c
                    .response_due_on
                    .filter(|_| c.forwarded_at.is_some())
                    .map(|d| format::date(d, lang)),
                answered: c.response_category.is_some() || c.company_response.is_some(),
                code: c.tracking_code,
                company: c.company_name,
            })
            .collect();
        view.email = Some(email);
    }
    render(
        &state,
        lang,
        &session,
        "public/my.html",
        &view,
        StatusCode::OK,
    )
    .await
}

/// A held complaint looks received to the consumer, as on the tracking page.
fn public_status(c: &complaint::Model) -> String {
    match c.status {
        crate::domain::Status::Held => "received".into(),
        s => s.code().into(),
    }
}

#[derive(Deserialize, Default)]
pub struct EmailForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    email: String,
}

#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    notify: String,
    /// Erasure request: the required confirmation box and the optional "the story too" box.
    #[serde(default)]
    erasure_confirm: String,
    #[serde(default)]
    include_narrative: String,
}

csrf_protected!(EmailForm, CodeForm);

async fn ask_link(
    State(state): State<AppState>,
    Lang(lang): Lang,
    ClientIp(ip): ClientIp,
    session: Session,
    CsrfForm(f): CsrfForm<EmailForm>,
) -> Result<Response, AppError> {
    let refuse = |errors: FieldErrors, status| {
        let view = MyView {
            typed: f.email.chars().take(254).collect(),
            errors,
            ..MyView::default()
        };
        (view, status)
    };
    let Some(email) = self_service::normalize(&f.email) else {
        let errors = FieldErrors::from([(
            "email".to_string(),
            vec![state.i18n.msg(lang, "errors.invalid_email")],
        )]);
        let (view, status) = refuse(errors, StatusCode::UNPROCESSABLE_ENTITY);
        return render(&state, lang, &session, "public/my.html", &view, status).await;
    };
    let bucket = format!("my:{}", rate_bucket(&state, ip));
    let mut limited = over_limit(&state, lang, &bucket).await;
    if limited.is_none() {
        // The bucket holds a hash of the address, not the address.
        let per_email = format!(
            "my-email:{}",
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(email.as_bytes()))
        );
        if let Err(retry) = ratelimit::hit(&state.db.write, &per_email, PER_EMAIL).await {
            let msg = state.i18n.fmt(
                lang,
                "errors.rate_limited_wait",
                &[("seconds", &retry.to_string())],
            );
            limited = Some((FieldErrors::from([("form".into(), vec![msg])]), retry));
        }
    }
    if let Some((errors, retry)) = limited {
        let (view, status) = refuse(errors, StatusCode::TOO_MANY_REQUESTS);
        let resp = render(&state, lang, &session, "public/my.html", &view, status).await?;
        return Ok(retry_after(resp, retry));
    }
    // The look-up and the mail run after the answer: known and unknown addresses get the same
    // page in the same time.
    let bg = state.clone();
    tokio::spawn(async move {
        let composer = bg.composer();
        match self_service::request_link(&bg.db.write, &composer, &email, chrono::Utc::now()).await
        {
            Ok(true) => bg.mail_wake.notify_one(),
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "a /my sign-in link could not be queued"),
        }
    });
    Ok(Redirect::to("/my?sent=1").into_response())
}

#[derive(Serialize)]
struct RefusedView {
    message: String,
}

async fn open_link(
    State(state): State<AppState>,
    Lang(lang): Lang,
    session: Session,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match self_service::open_link(&state.db.write, &token, chrono::Utc::now()).await? {
        Ok(email) => {
            session
                .cycle_id()
                .await
                .map_err(|e| AppError::Unavailable(format!("session store: {e}")))?;
            session
                .insert(EMAIL_KEY, &email)
                .await
                .map_err(|e| AppError::Unavailable(format!("session store: {e}")))?;
            Ok(Redirect::to("/my").into_response())
        }
        Err(refused) => {
            let view = RefusedView {
                message: state.i18n.msg(lang, refused.message_key()),
            };
            let status = match refused {
                self_service::LinkRefused::Unknown => StatusCode::NOT_FOUND,
                _ => StatusCode::GONE,
            };
            render(
                &state,
                lang,
                &session,
                "public/my_refused.html",
                &view,
                status,
            )
            .await
        }
    }
}

async fn logout(session: Session, CsrfForm(_): CsrfForm<CodeForm>) -> Result<Response, AppError> {
    let _ = session.remove::<String>(EMAIL_KEY).await;
    Ok(Redirect::to("/my").into_response())
}

/// The signed-in consumer's complaint `code`, or the reason to stop.
async fn own_case(
    state: &AppState,
    session: &Session,
    code: &str,
) -> Result<Result<complaint::Model, Response>, AppError> {
    let Some(email) = signed_in_email(session).await? else {
        return Ok(Err(Redirect::to("/my").into_response()));
    };
    match self_service::case_of(&state.db.read, &email, code).await? {
        Some(c) => Ok(Ok(c)),
        None => Err(AppError::NotFound),
    }
}

#[derive(Serialize)]
struct UpdateRow {
    at: String,
    body: String,
}

#[derive(Serialize)]
struct CaseView {
    code: String,
    status: String,
    received: String,
    company: String,
    open: bool,
    can_withdraw: bool,
    review_due: Option<String>,
    response_due: Option<String>,
    answer_category: Option<String>,
    answer_text: Option<String>,
    updates: Vec<UpdateRow>,
    evidence_count: u64,
    contact_name: String,
    contact_phone: String,
    province: String,
    contact_erased: bool,
    notify: String,
    notify_choices: Vec<&'static str>,
    provinces: Vec<(String, String)>,
    done: Option<String>,
    errors: FieldErrors,
    /// The newest erasure request, and how long one waits before it runs.
    erasure: Option<MyErasure>,
    cooling_off_days: u32,
    /// What the erasure form had ticked (kept after a refusal).
    include_narrative: bool,
}

/// The consumer's erasure request as they see it.
#[derive(Serialize)]
struct MyErasure {
    status: String,
    due: String,
    include_narrative: bool,
    objection: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct CaseQuery {
    done: Option<String>,
}

async fn case_view(
    state: &AppState,
    lang: Language,
    c: &complaint::Model,
    done: Option<String>,
    errors: FieldErrors,
) -> Result<CaseView, AppError> {
    let updates = changes::updates(&state.db.read, c.id).await?;
    let erasure = erasure::requests::latest(&state.db.read, c.id)
        .await?
        .map(|r| MyErasure {
            status: r.status,
            due: format::datetime(r.due_at, lang),
            include_narrative: r.include_narrative,
            objection: r.objection,
        });
    let evidence_count = crate::services::intake::attach::file_count(&state.db.read, c.id).await?;
    let reference = state.reference();
    Ok(CaseView {
        code: c.tracking_code.clone(),
        status: public_status(c),
        received: format::datetime(c.received_at, lang),
        company: c.company_name.clone(),
        open: !crate::domain::workflow::is_final(c.status),
        can_withdraw: crate::domain::workflow::Step::Withdraw
            .from()
            .contains(&c.status),
        review_due: c.review_due_on.map(|d| format::date(d, lang)),
        response_due: c
            .response_due_on
            .filter(|_| c.forwarded_at.is_some())
            .map(|d| format::date(d, lang)),
        answer_category: c.response_category.clone(),
        answer_text: c.company_response.clone(),
        updates: updates
            .into_iter()
            .map(|u| UpdateRow {
                at: format::datetime(u.created_at, lang),
                body: u.body,
            })
            .collect(),
        evidence_count,
        contact_name: c.contact_name.clone().unwrap_or_default(),
        contact_phone: c.contact_phone.clone().unwrap_or_default(),
        province: c.province.clone().unwrap_or_default(),
        contact_erased: c.contact_erased_at.is_some(),
        notify: c.notify.clone(),
        notify_choices: Notify::codes(),
        provinces: reference
            .provinces
            .iter()
            .map(|p| {
                let name = reference
                    .province_name(&p.code, lang)
                    .unwrap_or(&p.code)
                    .to_string();
                (p.code.clone(), name)
            })
            .collect(),
        done,
        errors,
        erasure,
        cooling_off_days: state.config.erasure_cooling_off_days,
        include_narrative: false,
    })
}

async fn case_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    session: Session,
    Path(code): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Result<Response, AppError> {
    let c = match own_case(&state, &session, &code).await? {
        Ok(c) => c,
        Err(resp) => return Ok(resp),
    };
    let view = case_view(&state, lang, &c, q.done, FieldErrors::new()).await?;
    render(
        &state,
        lang,
        &session,
        "public/my_case.html",
        &view,
        StatusCode::OK,
    )
    .await
}

/// After a change: back to the case with a confirmation, or the page again with the reason.
async fn after(
    state: &AppState,
    lang: Language,
    session: &Session,
    c: &complaint::Model,
    what: &str,
    result: Result<(), changes::Refused>,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/my/cases/{}?done={what}", c.tracking_code)).into_response())
        }
        Err(r) => {
            let errors =
                FieldErrors::from([(r.field.to_string(), vec![state.i18n.msg(lang, r.key)])]);
            let view = case_view(state, lang, c, None, errors).await?;
            render(
                state,
                lang,
                session,
                "public/my_case.html",
                &view,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

macro_rules! own_or_return {
    ($state:expr, $session:expr, $code:expr) => {
        match own_case(&$state, &$session, &$code).await? {
            Ok(c) => c,
            Err(resp) => return Ok(resp),
        }
    };
}

/// The consumer asks for the erasure of this complaint (the confirmation box is required).
async fn ask_erasure(
    state: &AppState,
    c: &complaint::Model,
    f: &CodeForm,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<(), changes::Refused>, AppError> {
    if f.erasure_confirm != "yes" {
        return Ok(Err(changes::Refused {
            field: "erasure_confirm",
            key: "erasure.errors.confirm_required",
        }));
    }
    let asked = erasure::requests::ask(
        &state.db.write,
        c,
        f.include_narrative == "yes",
        state.config.erasure_cooling_off_days,
        now,
    )
    .await?;
    Ok(asked.map(|_| ()).map_err(|r| changes::Refused {
        field: r.field,
        key: r.key,
    }))
}

/// The form posts on one of the consumer's complaints: `update`, `contact`, `notify`,
/// `withdraw` or `erasure`.
async fn act(
    State(state): State<AppState>,
    Lang(lang): Lang,
    session: Session,
    Path((code, action)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> Result<Response, AppError> {
    let c = own_or_return!(state, session, code);
    let now = chrono::Utc::now();
    let (what, r) = match action.as_str() {
        "update" => (
            "update",
            changes::add_update(&state.db.write, &c, &f.body, now).await?,
        ),
        "contact" => {
            let reference = state.reference();
            let r = changes::correct_contact(
                &state.db.write,
                &c,
                &f.contact_name,
                &f.contact_phone,
                &f.province,
                |p| reference.is_province(p),
                now,
            )
            .await?;
            ("contact", r)
        }
        "notify" => (
            "notify",
            changes::set_notify(&state.db.write, &c, &f.notify).await?,
        ),
        "withdraw" => (
            "withdraw",
            changes::withdraw(&state.case_work(), &c, &f.reason, now).await?,
        ),
        "erasure" => {
            let r = ask_erasure(&state, &c, &f, now).await?;
            if let Err(r) = r {
                // Back to the page with the reason and the boxes as they were ticked.
                let errors =
                    FieldErrors::from([(r.field.to_string(), vec![state.i18n.msg(lang, r.key)])]);
                let mut view = case_view(&state, lang, &c, None, errors).await?;
                view.include_narrative = f.include_narrative == "yes";
                return render(
                    &state,
                    lang,
                    &session,
                    "public/my_case.html",
                    &view,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
            ("erasure", Ok(()))
        }
        _ => return Err(AppError::NotFound),
    };
    after(&state, lang, &session, &c, what, r).await
}

async fn add_evidence(
    State(state): State<AppState>,
    Lang(lang): Lang,
    session: Session,
    Path(code): Path<String>,
    mut mp: Multipart,
) -> Result<Response, AppError> {
    let mut csrf = String::new();
    let mut file: Option<(Option<String>, Vec<u8>)> = None;
    while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("csrf_token") => csrf = field.text().await.map_err(multipart_error)?,
            Some("file") if file.is_none() => {
                let name = field.file_name().map(str::to_string);
                let bytes = field.bytes().await.map_err(multipart_error)?;
                if !bytes.is_empty() || name.as_deref().is_some_and(|n| !n.is_empty()) {
                    file = Some((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    verify_csrf(&session, &csrf).await?;
    let c = own_or_return!(state, session, code);
    let r = match file {
        Some((name, bytes)) => {
            changes::add_evidence(
                &state.db.write,
                &state.config.evidence_dir(),
                &c,
                name.as_deref(),
                &bytes,
            )
            .await?
        }
        None => Err(changes::Refused {
            field: "file",
            key: "my.errors.no_file",
        }),
    };
    after(&state, lang, &session, &c, "evidence", r).await
}
