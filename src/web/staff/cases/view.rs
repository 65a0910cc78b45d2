//! The case page: everything about one case, the forms of its actions, and what a refused
//! action left behind (errors, typed values).
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::facts::CaseFacts;
use super::{actions, obstacle_options, summary};
use crate::domain::format;
use crate::domain::workflow;
use crate::domain::Outcome;
use crate::error::{AppError, FieldErrors};
use crate::services::accounts::users;
use crate::services::audit;
use crate::services::cases::{self, CaseDetail};
use crate::services::intake::duplicates::{self, Reason};
use crate::web::shared::page::{StaffPage, View};

/// Values typed into a refused action form; absent ones keep the forms' defaults.
#[derive(Serialize, Default, Clone)]
pub struct Typed {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lane_reason: Option<String>,
}

/// What the case page shows after a refused action.
#[derive(Default)]
pub struct Feedback {
    pub errors: FieldErrors,
    /// A message about the whole action (illegal step, conflict).
    pub message: Option<String>,
    pub conflict: bool,
    /// Values typed into the refused form.
    pub typed: Typed,
    /// Which action form the errors belong to.
    pub action: Option<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct CaseQuery {
    /// The action that just succeeded (confirmation message).
    done: Option<String>,
    /// `1` to look for likely duplicates.
    duplicates: Option<String>,
}

pub(super) async fn case_page(
    page: StaffPage,
    Path(id): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let done = q
        .done
        .as_deref()
        .filter(|d| actions::ACTION_CODES.contains(d))
        .map(str::to_string);
    render_case(
        &page,
        id,
        Feedback::default(),
        done,
        q.duplicates.as_deref() == Some("1"),
        StatusCode::OK,
    )
    .await
}

#[derive(Serialize)]
struct Reviewer {
    id: i64,
    label: String,
}

#[derive(Serialize)]
struct DuplicateView {
    id: i64,
    code: String,
    status: String,
    received: String,
    company: String,
    reasons: Vec<Reason>,
    similarity: String,
}

#[derive(Serialize)]
struct CaseView {
    c: CaseFacts,
    lane: LaneView,
    obstacles: ObstacleView,
    reviewers: Vec<Reviewer>,
    outcomes: Vec<&'static str>,
    categories: Vec<&'static str>,
    steps: Vec<&'static str>,
    duplicates: Option<Vec<DuplicateView>>,
    errors: FieldErrors,
    summary: Vec<(String, String)>,
    message: Option<String>,
    conflict: bool,
    typed: Typed,
    action: Option<String>,
    done: Option<String>,
    /// The consumer's newest erasure request, if any.
    erasure_request: Option<crate::web::staff::privacy::RequestBox>,
    campaigns: Vec<super::campaigns::CampaignTagView>,
    referrals: Vec<crate::web::staff::referrals::ReferralLine>,
    refer: crate::web::staff::referrals::ReferFormView,
    /// Clauses of the library this case cites.
    clauses: Vec<crate::web::staff::clauses::facts::CitedView>,
}

impl View for CaseView {
    const TEMPLATE: &'static str = "staff/case.html";
    const PATH: &'static str = "/staff/cases";
}

/// Renders the case page (also after a refused action, with `fb`). Viewing contact data is
/// audited each time it is shown.
pub async fn render_case(
    page: &StaffPage,
    id: i64,
    fb: Feedback,
    done: Option<String>,
    show_duplicates: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (state, lang) = (&page.state, page.lang);
    let db = &state.db.read;
    let d = cases::detail(db, id).await?.ok_or(AppError::NotFound)?;
    let today = format::today();
    let duplicates = if show_duplicates {
        Some(duplicates::propose(db, &d.case).await?)
    } else {
        None
    };
    if cases::has_contact(&d.case) {
        audit::record(
            &state.db.write,
            &page.user.actor(),
            "view_contact",
            Some(("complaint", id.to_string())),
            Some(json!({ "via": "case_page" })),
        )
        .await?;
    }
    let reviewers = users::reviewers(db)
        .await?
        .into_iter()
        .map(|u| Reviewer {
            id: u.id,
            label: if u.display_name.trim().is_empty() {
                u.email
            } else {
                format!("{} <{}>", u.display_name, u.email)
            },
        })
        .collect();
    let steps = workflow::steps_from(d.case.status)
        .into_iter()
        .map(|s| s.code())
        .collect();
    let duplicates = duplicates.map(|v| {
        v.into_iter()
            .map(|c| DuplicateView {
                id: c.id,
                code: c.tracking_code,
                status: c.status,
                received: format::datetime(c.received_at, lang),
                company: c.company_name,
                reasons: c.reasons,
                similarity: format!("{:.0}%", c.similarity * 100.0),
            })
            .collect()
    });
    let erasure_request = crate::web::staff::privacy::request_box(page, id).await?;
    let campaigns = crate::services::campaigns::tagging::of_case(db, id)
        .await?
        .into_iter()
        .map(super::campaigns::CampaignTagView::of)
        .collect();
    let referrals = crate::services::referrals::refer::for_case(db, id)
        .await?
        .into_iter()
        .map(|r| crate::web::staff::referrals::ReferralLine::of(r, lang, None))
        .collect();
    let refer =
        crate::web::staff::referrals::refer_form(page, &d.case.sector, d.case.province.as_deref())
            .await?;
    let view = CaseView {
        erasure_request,
        referrals,
        refer,
        campaigns,
        lane: LaneView::of(page, &d),
        c: CaseFacts::of(page, &d, today),
        obstacles: ObstacleView::of(page, &d),
        reviewers,
        outcomes: Outcome::codes(),
        categories: crate::domain::ResponseCategory::codes(),
        steps,
        duplicates,
        summary: summary(&fb.errors),
        errors: fb.errors,
        message: fb.message,
        conflict: fb.conflict,
        typed: fb.typed,
        action: fb.action,
        done,
        clauses: crate::web::staff::clauses::facts::cited_by_case(db, id).await?,
    };
    page.render(&view, status).await
}

/// One active obstacle with what is known about it on this case.
#[derive(Serialize)]
struct ObstacleRow {
    code: String,
    name: String,
    checked: bool,
    reported: bool,
    score: Option<String>,
    evidence: Option<Vec<String>>,
    set_by: Option<String>,
    set_at: Option<String>,
}

#[derive(Serialize)]
struct SuggestionRow {
    code: String,
    score: String,
    evidence: Vec<String>,
}

#[derive(Serialize)]
struct ObstacleView {
    rows: Vec<ObstacleRow>,
    confirmed: Vec<String>,
    suggested: Vec<SuggestionRow>,
    none_confirmed: bool,
}

impl ObstacleView {
    /// Every active obstacle with what is known about it on this case: suggested (score,
    /// trigger text), reported by the consumer, confirmed by a reviewer (who, when), and
    /// whether its box starts ticked (confirmed codes; before any confirmation, the suggestions
    /// and the consumer's own ticks, so confirming is one click).
    fn of(page: &StaffPage, d: &CaseDetail) -> ObstacleView {
        let confirmed = d.links.confirmed();
        let none_confirmed = confirmed.is_empty();
        let rows = obstacle_options(&page.state, page.lang)
            .into_iter()
            .map(|o| {
                let sug = d.links.suggestions.iter().find(|s| s.code == o.code);
                let rev = d.links.reviewer.iter().find(|r| r.code == o.code);
                let reported = d.links.consumer.contains(&o.code);
                let checked = rev.is_some() || (none_confirmed && (sug.is_some() || reported));
                ObstacleRow {
                    checked,
                    reported,
                    score: sug.map(|s| format!("{:.2}", s.score)),
                    evidence: sug.map(|s| s.evidence.clone()),
                    set_by: rev.and_then(|r| r.set_by.clone()),
                    set_at: rev.map(|r| format::datetime(r.at, page.lang)),
                    code: o.code,
                    name: o.name,
                }
            })
            .collect();
        ObstacleView {
            rows,
            suggested: d
                .links
                .suggestions
                .iter()
                .map(|s| SuggestionRow {
                    code: s.code.clone(),
                    score: format!("{:.2}", s.score),
                    evidence: s.evidence.clone(),
                })
                .collect(),
            confirmed,
            none_confirmed,
        }
    }
}

/// One staff move in or out of the priority lane.
#[derive(Serialize)]
struct LaneMove {
    into: bool,
    reason: String,
    by: String,
    at: String,
}

/// The priority lane box of the case page: whether the case is in it, the lane's clocks and
/// the moves staff made, with their reasons.
#[derive(Serialize)]
struct LaneView {
    in_lane: bool,
    review_days: u32,
    response_days: u32,
    moves: Vec<LaneMove>,
}

impl LaneView {
    fn of(page: &StaffPage, d: &CaseDetail) -> LaneView {
        let clocks = page.state.reference().clocks;
        let lane = d.case.priority_lane;
        LaneView {
            in_lane: lane,
            review_days: clocks.review_days(lane),
            response_days: clocks.response_days(lane),
            moves: d
                .lane_moves
                .iter()
                .map(|m| LaneMove {
                    into: m.into_lane,
                    reason: m.reason.clone(),
                    by: m.actor.clone(),
                    at: format::datetime(m.created_at, page.lang),
                })
                .collect(),
        }
    }
}
