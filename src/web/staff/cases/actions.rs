//! The case page's actions: one POST route each, all with the CSRF token and the case version
//! the reviewer saw. Success redirects back to the case (303); a refusal re-renders the case
//! page with the reason (422 for bad input or an illegal step, 409 when someone else changed
//! the case first, whose edit is kept).
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use chrono::Utc;
use serde::Deserialize;

use super::view::Typed;
use super::{render_case, Feedback};
use crate::domain::{Language, Outcome, ResponseCategory};
use crate::error::{AppError, FieldErrors};
use crate::services::cases::actions::{self, CaseError, CaseRef, Change, ResponseSource};
use crate::services::cases::page as case_page;
use crate::services::responses::extension;
use crate::state::AppState;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage};
use crate::web::shared::render::field_error;

/// Every action, as used in routes and in the `?done=` confirmation.
pub const ACTION_CODES: &[&str] = &[
    "accept",
    "hold",
    "release",
    "reject",
    "duplicate",
    "forward",
    "response",
    "reopen",
    "extension",
    "close",
    "withdraw",
    "obstacles",
    "primary",
    "company",
    "assign",
    "note",
    "campaign_tagged",
    "campaign_untagged",
    "lane",
];

/// Fields of every action form (each form sends the ones it has).
#[derive(Deserialize, Default, Debug)]
pub struct ActionForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    codes: Vec<String>,
    #[serde(default)]
    primary: String,
    #[serde(default)]
    company_name: String,
    #[serde(default)]
    create: String,
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    decision: String,
    /// `in` or `out` of the priority lane.
    #[serde(default)]
    lane: String,
    #[serde(default)]
    lane_reason: String,
}

csrf_protected!(ActionForm);

macro_rules! action_routes {
    ($($name:ident => $code:literal),+ $(,)?) => {
        $(
            async fn $name(
                Path(id): Path<String>,
                StaffForm(page, f): StaffForm<ActionForm>,
            ) -> Result<Response, AppError> {
                act(&page, &id, $code, f).await
            }
        )+

        pub fn routes() -> Routes {
            Routes::new()
                $(.add(concat!("/staff/cases/{id}/", $code), &["POST"], Access::Staff, post($name)))+
        }
    };
}

action_routes!(
    accept => "accept",
    hold => "hold",
    release => "release",
    reject => "reject",
    duplicate => "duplicate",
    forward => "forward",
    response => "response",
    reopen => "reopen",
    extension => "extension",
    close => "close",
    withdraw => "withdraw",
    obstacles => "obstacles",
    primary => "primary",
    company => "company",
    assign => "assign",
    note => "note",
    lane => "lane",
);

/// Turns a form into a change, or the field error that prevents it.
fn change_of(
    state: &AppState,
    lang: Language,
    action: &str,
    f: &ActionForm,
    source_code: &str,
) -> Result<Change, FieldErrors> {
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(match action {
        "accept" => Change::Accept,
        "hold" => Change::Hold,
        "release" => Change::Release,
        "reject" => Change::Reject {
            reason: f.reason.clone(),
        },
        "duplicate" => {
            let target = CaseRef::parse(&f.target).ok_or_else(|| {
                field_error(state, lang, "target", "cases.errors.target_not_found", &[])
            })?;
            let note_on_target = state.i18n.fmt(
                lang,
                "cases.notes.merged_into_this",
                &[("code", source_code)],
            );
            Change::MarkDuplicate {
                target,
                note_on_target,
            }
        }
        "forward" => Change::Forward,
        "response" => match ResponseCategory::parse(f.category.trim()) {
            Some(category) => Change::RecordResponse {
                text: f.text.clone(),
                category,
                source: Box::new(ResponseSource::staff(None)),
            },
            None => {
                return Err(field_error(
                    state,
                    lang,
                    "category",
                    "errors.invalid_choice",
                    &[("choices", &ResponseCategory::codes().join(", "))],
                ))
            }
        },
        "reopen" => Change::Reopen {
            reason: f.reason.clone(),
        },
        "close" => match Outcome::parse(f.outcome.trim()) {
            Some(outcome) => Change::Close { outcome },
            None => {
                return Err(field_error(
                    state,
                    lang,
                    "outcome",
                    "errors.invalid_choice",
                    &[("choices", &Outcome::codes().join(", "))],
                ))
            }
        },
        "withdraw" => Change::Withdraw { note: opt(&f.note) },
        "obstacles" => Change::SetObstacles {
            codes: f.codes.clone(),
        },
        "primary" => Change::SetPrimary {
            code: opt(&f.primary).map(|c| c.to_ascii_uppercase()),
        },
        "company" => Change::LinkCompany {
            name: f.company_name.clone(),
            create: matches!(f.create.as_str(), "1" | "on" | "true"),
        },
        "assign" => match opt(&f.user_id) {
            None => Change::Assign { user_id: None },
            Some(s) => match s.parse::<i64>() {
                Ok(uid) => Change::Assign { user_id: Some(uid) },
                Err(_) => {
                    return Err(field_error(
                        state,
                        lang,
                        "user_id",
                        "cases.errors.not_a_reviewer",
                        &[],
                    ))
                }
            },
        },
        "lane" => match f.lane.trim() {
            "in" | "out" => Change::SetLane {
                into: f.lane.trim() == "in",
                reason: f.lane_reason.clone(),
            },
            _ => {
                return Err(field_error(
                    state,
                    lang,
                    "lane_reason",
                    "errors.bad_request",
                    &[],
                ))
            }
        },
        _ => return Err(field_error(state, lang, "form", "errors.bad_request", &[])),
    })
}

async fn act(
    page: &StaffPage,
    id: &str,
    action: &'static str,
    f: ActionForm,
) -> Result<Response, AppError> {
    let (state, lang, me) = (&page.state, page.lang, &page.user);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let case = case_page::find(&state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Only what was typed into the refused form, so the other forms keep their defaults.
    let kept = |v: &String| Some(v.clone()).filter(|v| !v.trim().is_empty());
    let typed = Typed {
        reason: kept(&f.reason),
        target: kept(&f.target),
        text: kept(&f.text),
        outcome: kept(&f.outcome),
        note: kept(&f.note),
        company_name: kept(&f.company_name),
        body: kept(&f.body),
        category: kept(&f.category),
        lane_reason: kept(&f.lane_reason),
    };
    let refused = |errors: FieldErrors, message: Option<String>, conflict: bool| Feedback {
        errors,
        message,
        conflict,
        typed: typed.clone(),
        action: Some(action.to_string()),
    };
    let now = Utc::now();
    let result = if action == "note" {
        actions::add_note(&state.case_work(), &me.actor(), id, &f.body, now).await
    } else if action == "extension" {
        let grant = match f.decision.trim() {
            "grant" => true,
            "refuse" => false,
            _ => {
                let errors = field_error(state, lang, "decision", "errors.bad_request", &[]);
                return render_case(
                    page,
                    id,
                    refused(errors, None, false),
                    None,
                    false,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        };
        extension::decide(&state.case_work(), &me.actor(), id, grant, now)
            .await
            .map(|_| ())
            .map_err(|e| match e {
                Ok(refusal) => {
                    let (field, key) = refusal.field_and_key();
                    CaseError::Invalid {
                        field,
                        key,
                        args: vec![],
                    }
                }
                Err(service) => CaseError::Service(service),
            })
    } else {
        let change = match change_of(state, lang, action, &f, &case.tracking_code) {
            Ok(c) => c,
            Err(errors) => {
                return render_case(
                    page,
                    id,
                    refused(errors, None, false),
                    None,
                    false,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        };
        // A form without its version cannot prove it saw the current case.
        let version: i32 = f.version.trim().parse().unwrap_or(-1);
        actions::apply(&state.case_work(), &me.actor(), id, version, change, now)
            .await
            .map(|_| ())
    };
    let (fb, status) = match result {
        Ok(()) => {
            return Ok(
                Redirect::to(&format!("/staff/cases/{id}?done={action}#case-status"))
                    .into_response(),
            )
        }
        Err(CaseError::NotFound) => return Err(AppError::NotFound),
        Err(CaseError::Service(e)) => return Err(e.into()),
        Err(CaseError::Conflict) => (
            refused(
                FieldErrors::new(),
                Some(state.i18n.msg(lang, "cases.errors.conflict")),
                true,
            ),
            StatusCode::CONFLICT,
        ),
        Err(CaseError::Illegal(il)) => {
            let step = state
                .i18n
                .msg(lang, &format!("cases.actions.{}.button", il.step.code()));
            let status = state
                .i18n
                .msg(lang, &format!("cases.status.{}", il.from.code()));
            let msg = state.i18n.fmt(
                lang,
                "cases.errors.illegal",
                &[("action", &step), ("status", &status)],
            );
            (
                refused(FieldErrors::new(), Some(msg), false),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(CaseError::Invalid { field, key, args }) => {
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            (
                refused(field_error(state, lang, field, key, &args), None, false),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    render_case(page, id, fb, None, false, status).await
}
