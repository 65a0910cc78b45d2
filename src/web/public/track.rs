//! Tracking (`/track`, `/track/{code}`): status and public timeline by tracking code, and the
//! consumer's "was this resolved?" answer (`POST /track/{code}/reply`).
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::{over_limit, rate_bucket, retry_after};
use crate::domain::format;
use crate::domain::{ConsumerFeedback, Language, TrackingCode};
use crate::error::{AppError, FieldErrors};
use crate::services::cases::{self, verdict, ReplyView};
use crate::services::intake::tracking::{self, PublicView};
use crate::state::AppState;
use crate::web::shared::client::ClientIp;
use crate::web::shared::lang::Lang;
use crate::web::shared::render::view_page;

#[derive(Deserialize)]
pub struct TrackQuery {
    code: Option<String>,
}

/// `public/track.html`: the code form, with what went wrong.
#[derive(Serialize, Default)]
struct TrackFormView {
    error: Option<String>,
    typed: Option<String>,
}

fn code_form(
    state: &AppState,
    lang: Language,
    view: &TrackFormView,
    status: StatusCode,
) -> Result<Response, AppError> {
    view_page(state, lang, "/track", "public/track.html", view, status)
}

pub async fn track_form(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Query(q): Query<TrackQuery>,
) -> Result<Response, AppError> {
    match q.code.as_deref().map(str::trim) {
        Some(raw) if !raw.is_empty() => match TrackingCode::parse(raw) {
            Some(code) => Ok(Redirect::to(&format!("/track/{code}")).into_response()),
            None => {
                let view = TrackFormView {
                    error: Some(state.i18n.msg(lang, "track.invalid_code")),
                    typed: Some(raw.to_string()),
                };
                code_form(&state, lang, &view, StatusCode::BAD_REQUEST)
            }
        },
        _ => code_form(&state, lang, &TrackFormView::default(), StatusCode::OK),
    }
}

#[derive(Deserialize, Default)]
pub struct TrackViewQuery {
    replied: Option<String>,
    judged: Option<String>,
}

/// What the consumer typed in the verdict form, kept for re-rendering.
#[derive(Serialize, Default, Clone)]
struct VerdictTyped {
    feedback: String,
    reason: String,
}

/// The company's answer and the verdict form.
#[derive(Serialize)]
struct AnswerView {
    category: String,
    text: String,
    answered_at: String,
    late: bool,
    feedback: Option<String>,
    open: bool,
    open_until: String,
    thanks: bool,
    has_errors: bool,
    errors: FieldErrors,
    typed: VerdictTyped,
    choices: Vec<&'static str>,
}

/// The two deadlines, formatted.
#[derive(Serialize)]
struct ClocksView {
    review_due: Option<String>,
    review_met: Option<bool>,
    response_due: Option<String>,
    response_met: Option<bool>,
    /// What the priority lane means, when the case is in it.
    lane_text: Option<String>,
}

/// What the consumer typed in the reply form, kept for re-rendering.
#[derive(Serialize, Default, Clone)]
struct ReplyTyped {
    outcome: String,
    message: String,
}

/// How the last reply or verdict went: thanked, or refused with a message per field.
#[derive(Default)]
struct ReplyState {
    thanks: bool,
    errors: FieldErrors,
    typed: ReplyTyped,
    verdict_thanks: bool,
    verdict_errors: FieldErrors,
    verdict_typed: VerdictTyped,
}

/// The reply section of the tracking page.
#[derive(Serialize)]
struct ReplySection {
    thanks: bool,
    has_errors: bool,
    errors: FieldErrors,
    typed: ReplyTyped,
    #[serde(flatten)]
    form: ReplyView,
}

#[derive(Serialize)]
struct TimelineRow {
    status: String,
    at: String,
}

/// `public/track_view.html`.
#[derive(Serialize)]
struct TrackView {
    view: PublicView,
    timeline: Vec<TimelineRow>,
    received_at: String,
    reply: ReplySection,
    clocks: ClocksView,
    answer: Option<AnswerView>,
}

pub async fn track_view(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(raw): Path<String>,
    Query(q): Query<TrackViewQuery>,
) -> Result<Response, AppError> {
    let reply = ReplyState {
        thanks: q.replied.as_deref() == Some("1"),
        verdict_thanks: q.judged.as_deref() == Some("1"),
        ..ReplyState::default()
    };
    track_page(&state, lang, &raw, reply, StatusCode::OK).await
}

async fn track_page(
    state: &AppState,
    lang: Language,
    raw: &str,
    reply: ReplyState,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = match TrackingCode::parse(raw) {
        Some(code) => {
            tracking::tracking_page(
                &state.db.read,
                &code,
                state.config.feedback_days,
                chrono::Utc::now(),
            )
            .await?
        }
        None => None,
    };
    let Some(page) = page else {
        let view = TrackFormView {
            error: Some(state.i18n.msg(lang, "track.not_found")),
            typed: Some(raw.chars().take(40).collect()),
        };
        return code_form(state, lang, &view, StatusCode::NOT_FOUND);
    };
    let view = TrackView {
        timeline: page
            .view
            .timeline
            .iter()
            .map(|e| TimelineRow {
                status: e.status.clone(),
                at: format::datetime(e.at, lang),
            })
            .collect(),
        received_at: format::datetime(page.view.received_at, lang),
        clocks: ClocksView {
            review_due: page.clocks.review_due.map(|d| format::date(d, lang)),
            review_met: page.clocks.review_met,
            response_due: page.clocks.response_due.map(|d| format::date(d, lang)),
            response_met: page.clocks.response_met,
            lane_text: page
                .clocks
                .lane
                .then(|| crate::web::public::receipt::lane_text(state, lang)),
        },
        answer: page.answer.map(|a| AnswerView {
            category: a.category,
            text: a.text,
            answered_at: format::datetime(a.answered_at, lang),
            late: a.late,
            feedback: a.feedback,
            open: a.open,
            open_until: format::datetime(a.open_until, lang),
            thanks: reply.verdict_thanks,
            has_errors: !reply.verdict_errors.is_empty(),
            errors: reply.verdict_errors,
            typed: reply.verdict_typed,
            choices: vec![
                ConsumerFeedback::Satisfied.code(),
                ConsumerFeedback::NotSatisfied.code(),
            ],
        }),
        view: page.view,
        reply: ReplySection {
            thanks: reply.thanks,
            has_errors: !reply.errors.is_empty(),
            errors: reply.errors,
            typed: reply.typed,
            form: page.reply,
        },
    };
    view_page(
        state,
        lang,
        "/track",
        "public/track_view.html",
        &view,
        status,
    )
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    message: String,
}

/// "Was this resolved?" from the tracking page; the tracking code in the URL is the credential.
pub async fn track_reply(
    State(state): State<AppState>,
    Lang(lang): Lang,
    ClientIp(ip): ClientIp,
    Path(raw): Path<String>,
    axum::Form(f): axum::Form<ReplyForm>,
) -> Result<Response, AppError> {
    let code = TrackingCode::parse(&raw).ok_or(AppError::NotFound)?;
    tracking::find(&state.db.read, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let refused = |errors: FieldErrors| ReplyState {
        errors,
        typed: ReplyTyped {
            outcome: f.outcome.clone(),
            message: f.message.clone(),
        },
        ..ReplyState::default()
    };
    let save = || async {
        Ok(match cases::parse_reply(&f.outcome, &f.message) {
            Ok((outcome, message)) => {
                cases::record_reply(&state.db.write, &code, outcome, message, chrono::Utc::now())
                    .await?
            }
            Err(e) => Err(e),
        })
    };
    let done = format!("/track/{code}?replied=1#reply");
    tracking_form(
        &state,
        lang,
        ip,
        &raw,
        refused,
        save,
        |e| e.field_and_key(),
        &done,
    )
    .await
}

/// What the tracking page's two forms share: the per-client limit, then either the saved
/// answer (a redirect to `done`) or the page again with the refusal and what was typed.
#[allow(clippy::too_many_arguments)]
async fn tracking_form<E, Save, Fut>(
    state: &AppState,
    lang: Language,
    ip: std::net::IpAddr,
    raw: &str,
    refused: impl Fn(FieldErrors) -> ReplyState,
    save: Save,
    field_and_key: impl Fn(E) -> (&'static str, &'static str),
    done: &str,
) -> Result<Response, AppError>
where
    Save: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Result<(), E>, AppError>>,
{
    let bucket = format!("reply:{}", rate_bucket(state, ip));
    if let Some((errors, retry)) = over_limit(state, lang, &bucket).await {
        let resp = track_page(
            state,
            lang,
            raw,
            refused(errors),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await?;
        return Ok(retry_after(resp, retry));
    }
    match save().await? {
        Ok(()) => Ok(Redirect::to(done).into_response()),
        Err(e) => {
            let (field, key) = field_and_key(e);
            let errors = FieldErrors::from([(field.to_string(), vec![state.i18n.msg(lang, key)])]);
            track_page(
                state,
                lang,
                raw,
                refused(errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct VerdictForm {
    #[serde(default)]
    feedback: String,
    #[serde(default)]
    reason: String,
}

/// The consumer's verdict on the company's answer (`POST /track/{code}/verdict`); the tracking
/// code in the URL is the credential, as for replies.
pub async fn track_verdict(
    State(state): State<AppState>,
    Lang(lang): Lang,
    ClientIp(ip): ClientIp,
    Path(raw): Path<String>,
    axum::Form(f): axum::Form<VerdictForm>,
) -> Result<Response, AppError> {
    let code = TrackingCode::parse(&raw).ok_or(AppError::NotFound)?;
    tracking::find(&state.db.read, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let refused = |errors: FieldErrors| ReplyState {
        verdict_errors: errors,
        verdict_typed: VerdictTyped {
            feedback: f.feedback.clone(),
            reason: f.reason.clone(),
        },
        ..ReplyState::default()
    };
    let save = || async {
        Ok(match verdict::parse_verdict(&f.feedback, &f.reason) {
            Ok((feedback, reason)) => {
                verdict::record_verdict(
                    &state.db.write,
                    &code,
                    feedback,
                    reason,
                    state.config.feedback_days,
                    chrono::Utc::now(),
                )
                .await?
            }
            Err(e) => Err(e),
        })
    };
    let done = format!("/track/{code}?judged=1#answer");
    tracking_form(
        &state,
        lang,
        ip,
        &raw,
        refused,
        save,
        |e| e.field_and_key(),
        &done,
    )
    .await
}
