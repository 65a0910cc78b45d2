//! Referrals (reviewers and admins): referring a case or a whole group to an authority, the
//! referral's page (the authority's reference number and outcome), and its package as a
//! printable page and a ZIP.
use axum::extract::{Path, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::forms::{done_redirect, parse_id, refused, DoneQuery};
use crate::domain::{format, Language};
use crate::entities::{authority, referral};
use crate::error::{AppError, FieldErrors};
use crate::services::referrals::package::{self, Package};
use crate::services::referrals::refer::{self, ReferError};
use crate::services::referrals::{self as svc};
use crate::state::AppState;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{csrf_protected, StaffForm, StaffPage, View};
use crate::web::shared::render::csv_document;
use crate::web::staff::authorities::region_name;

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/cases/{id}/referrals",
            &["POST"],
            Access::Staff,
            post(refer_case),
        )
        .add(
            "/staff/groups/{id}/referrals",
            &["POST"],
            Access::Staff,
            post(refer_group),
        )
        .add(
            "/staff/referrals/{id}",
            &["GET", "POST"],
            Access::Staff,
            get(referral_page).post(save),
        )
        .add(
            "/staff/referrals/{id}/package",
            &["GET"],
            Access::Staff,
            get(package_page),
        )
        .add(
            "/staff/referrals/{id}/package.zip",
            &["GET"],
            Access::Staff,
            get(package_zip),
        )
}

/// One authority in the referral form's choice.
#[derive(Serialize, Clone)]
pub struct AuthorityOption {
    id: i64,
    label: String,
    proposed: bool,
}

/// The referral form of a case or group page: the authorities, the proposed one first.
#[derive(Serialize, Clone)]
pub struct ReferFormView {
    pub authorities: Vec<AuthorityOption>,
    pub proposed: Option<String>,
}

fn label(state: &AppState, lang: Language, a: &authority::Model) -> String {
    format!("{} ({})", a.name, region_name(state, lang, &a.region))
}

/// The referral form for a case of `sector` from `province`.
pub async fn refer_form(
    page: &StaffPage,
    sector: &str,
    province: Option<&str>,
) -> Result<ReferFormView, AppError> {
    let all = svc::list(&page.state.db.read).await?;
    let proposed = svc::proposal(&all, sector, province);
    let mut authorities: Vec<AuthorityOption> = all
        .iter()
        .map(|a| AuthorityOption {
            id: a.id,
            label: label(&page.state, page.lang, a),
            proposed: Some(a.id) == proposed,
        })
        .collect();
    authorities.sort_by_key(|a| !a.proposed);
    Ok(ReferFormView {
        proposed: all
            .iter()
            .find(|a| Some(a.id) == proposed)
            .map(|a| label(&page.state, page.lang, a)),
        authorities,
    })
}

/// A referral as case and group pages list it.
#[derive(Serialize)]
pub struct ReferralLine {
    id: i64,
    authority: String,
    at: String,
    by: String,
    reference_no: Option<String>,
    outcome: Option<String>,
    code: Option<String>,
}

impl ReferralLine {
    pub fn of(r: referral::Model, lang: Language, code: Option<String>) -> ReferralLine {
        ReferralLine {
            id: r.id,
            authority: r.authority_name,
            at: format::datetime(r.referred_at, lang),
            by: r.referred_by,
            reference_no: r.reference_no,
            outcome: r.outcome,
            code,
        }
    }
}

#[derive(Deserialize, Default)]
struct ReferBody {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    authority: String,
}

csrf_protected!(ReferBody);

/// A refusal shown on the case page, as its other refused actions are.
fn refusal(page: &StaffPage, key: &str) -> crate::web::staff::cases::Feedback {
    let mut errors = FieldErrors::new();
    errors.insert("authority".into(), vec![page.msg(key)]);
    crate::web::staff::cases::Feedback {
        errors,
        action: Some("refer".into()),
        ..Default::default()
    }
}

async fn refer_case(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<ReferBody>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let refuse = |key: &str| refusal(&page, key);
    let fb = match parse_id(&f.authority) {
        Err(_) => Some(refuse("referrals.errors.choose")),
        Ok(authority) => {
            match refer::refer(
                &page.state.db.write,
                &page.state.i18n,
                &[id],
                authority,
                None,
                &page.user.actor(),
            )
            .await
            {
                Ok(made) => {
                    let rid = made.first().map_or(0, |r| r.id);
                    return Ok(done_redirect(
                        &format!("/staff/referrals/{rid}"),
                        "referred",
                        None,
                    ));
                }
                Err(ReferError::Held) => Some(refuse("referrals.errors.held")),
                Err(ReferError::NotFound) => {
                    crate::services::cases::page::find(&page.state.db.read, id)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    Some(refuse("referrals.errors.choose"))
                }
                Err(ReferError::NothingToRefer) => Some(refuse("referrals.errors.choose")),
                Err(ReferError::Db(e)) => return Err(e.into()),
            }
        }
    };
    let fb = fb.unwrap_or_default();
    crate::web::staff::cases::render_case(
        &page,
        id,
        fb,
        None,
        false,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn refer_group(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<ReferBody>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    crate::services::groups::find(&page.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let authority =
        parse_id(&f.authority).map_err(|_| AppError::BadRequest("errors.bad_request"))?;
    match refer::refer_group(
        &page.state.db.write,
        &page.state.i18n,
        id,
        authority,
        &page.user.actor(),
    )
    .await
    {
        Ok(made) => Ok(done_redirect(
            &format!("/staff/groups/{id}"),
            "referred",
            Some(made.len() as u64),
        )),
        Err(ReferError::NothingToRefer) => Ok(done_redirect(
            &format!("/staff/groups/{id}"),
            "nothing_referred",
            None,
        )),
        Err(ReferError::NotFound) => Err(AppError::BadRequest("errors.bad_request")),
        Err(ReferError::Held) => Err(AppError::Conflict),
        Err(ReferError::Db(e)) => Err(e.into()),
    }
}

/// What the referral page shows.
#[derive(Serialize)]
struct ReferralView {
    id: i64,
    complaint_id: i64,
    code: String,
    authority: String,
    authority_id: i64,
    contact: Option<String>,
    at: String,
    by: String,
    group_id: Option<i64>,
    reference_no: String,
    outcome: String,
    errors: FieldErrors,
    done: Option<String>,
}

impl View for ReferralView {
    const TEMPLATE: &'static str = "staff/referral.html";
    const PATH: &'static str = "/staff/cases";
}

async fn render_referral(
    page: &StaffPage,
    id: i64,
    typed: Option<(String, String)>,
    errors: FieldErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let p = package::load(&page.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = &p.referral;
    let (reference_no, outcome) = typed.unwrap_or_else(|| {
        (
            r.reference_no.clone().unwrap_or_default(),
            r.outcome.clone().unwrap_or_default(),
        )
    });
    let view = ReferralView {
        id: r.id,
        complaint_id: p.case.id,
        code: p.case.tracking_code.clone(),
        authority: r.authority_name.clone(),
        authority_id: r.authority_id,
        contact: p.authority.as_ref().map(|a| a.contact.clone()),
        at: format::datetime(r.referred_at, page.lang),
        by: r.referred_by.clone(),
        group_id: r.group_id,
        reference_no,
        outcome,
        errors,
        done,
    };
    page.render(&view, status).await
}

async fn referral_page(
    page: StaffPage,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let done = q.message(&page, "referrals", &["referred", "saved"]);
    render_referral(&page, id, None, FieldErrors::new(), done, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
struct SaveBody {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reference_no: String,
    #[serde(default)]
    outcome: String,
}

csrf_protected!(SaveBody);

async fn save(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<SaveBody>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    match refer::update(
        &page.state.db.write,
        id,
        &f.reference_no,
        &f.outcome,
        &page.user.actor(),
    )
    .await
    {
        Ok(_) => Ok(done_redirect(
            &format!("/staff/referrals/{id}"),
            "saved",
            None,
        )),
        Err(e) => {
            let errors = refused(&page, e)?;
            render_referral(
                &page,
                id,
                Some((f.reference_no, f.outcome)),
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// One status change of the package's timeline.
#[derive(Serialize)]
struct TimelineRow {
    at: String,
    from: Option<String>,
    to: String,
}

#[derive(Serialize)]
struct EvidenceRow {
    n: usize,
    name: String,
    content_type: String,
    size_bytes: i64,
    sha256: String,
}

/// The package as the printable page and the ZIP's summary show it.
#[derive(Serialize)]
struct PackageView {
    id: i64,
    authority: String,
    contact: Option<String>,
    referred_at: String,
    referred_by: String,
    reference_no: Option<String>,
    code: String,
    received_at: String,
    status: String,
    sector: String,
    company_name: String,
    company_credit_code: Option<String>,
    service_name: Option<String>,
    requested_action: String,
    plan_from: Option<String>,
    plan_to: Option<String>,
    province: Option<String>,
    obstacles: Vec<(String, String)>,
    amount_claimed: Option<String>,
    timeline: Vec<TimelineRow>,
    narrative: Option<String>,
    consented: bool,
    evidence: Vec<EvidenceRow>,
    generated_at: String,
}

fn package_view(page: &StaffPage, p: &Package) -> PackageView {
    let reference = page.state.reference();
    let c = &p.case;
    let msg = |k: String| page.msg(&k);
    PackageView {
        id: p.referral.id,
        authority: p.referral.authority_name.clone(),
        contact: p.authority.as_ref().map(|a| a.contact.clone()),
        referred_at: format::datetime(p.referral.referred_at, page.lang),
        referred_by: p.referral.referred_by.clone(),
        reference_no: p.referral.reference_no.clone(),
        code: c.tracking_code.clone(),
        received_at: format::datetime(c.received_at, page.lang),
        status: msg(format!("cases.status.{}", c.status.code())),
        sector: msg(format!("sector.{}", c.sector)),
        company_name: p.company_name.clone(),
        company_credit_code: p.company_credit_code.clone(),
        service_name: c.service_name.clone(),
        requested_action: msg(format!("requested_action.{}", c.requested_action)),
        plan_from: c.plan_from.clone(),
        plan_to: c.plan_to.clone(),
        province: c
            .province
            .as_deref()
            .map(|code| region_name(&page.state, page.lang, code)),
        obstacles: p
            .obstacle_codes
            .iter()
            .map(|code| {
                (
                    code.clone(),
                    reference
                        .obstacle_name(code, page.lang)
                        .unwrap_or_default()
                        .to_string(),
                )
            })
            .collect(),
        amount_claimed: c
            .amount_claimed_fen
            .map(|f| crate::domain::Money(f).display()),
        timeline: p
            .timeline
            .iter()
            .map(|h| TimelineRow {
                at: format::datetime(h.created_at, page.lang),
                from: h
                    .from_status
                    .map(|s| msg(format!("cases.status.{}", s.code()))),
                to: msg(format!("cases.status.{}", h.to_status.code())),
            })
            .collect(),
        narrative: p.narrative.clone(),
        consented: p.files_shared,
        evidence: p
            .evidence
            .iter()
            .enumerate()
            .map(|(i, e)| EvidenceRow {
                n: i + 1,
                name: e.original_name.clone(),
                content_type: e.content_type.clone(),
                size_bytes: e.size_bytes,
                sha256: e.sha256.clone(),
            })
            .collect(),
        generated_at: format::datetime(chrono::Utc::now(), page.lang),
    }
}

async fn load_package(page: &StaffPage, id: &str) -> Result<Package, AppError> {
    let id = parse_id(id)?;
    package::load(&page.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn package_page(page: StaffPage, Path(id): Path<String>) -> Result<Response, AppError> {
    let p = load_package(&page, &id).await?;
    package::audit_view(&page.state.db.write, &p, "page", &page.user.actor()).await?;
    let view = package_view(&page, &p);
    let mut resp = page
        .render_at(
            "/staff/cases",
            "staff/referral_package.html",
            &view,
            StatusCode::OK,
        )
        .await?;
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(resp)
}

async fn package_zip(page: StaffPage, Path(id): Path<String>) -> Result<Response, AppError> {
    let p = load_package(&page, &id).await?;
    let view = package_view(&page, &p);
    let mut ctx = crate::web::shared::render::context(&page.state, page.lang, "/staff/cases");
    ctx.extend(tera::Context::from_serialize(&view)?);
    let summary = page.state.tera.render("staff/referral_package.txt", &ctx)?;
    let t = |k: &str| page.msg(&format!("referrals.package.{k}"));
    let timeline = csv_document(
        &[&t("when"), &t("from"), &t("to")],
        view.timeline.iter().map(|r| {
            vec![
                r.at.clone(),
                r.from.clone().unwrap_or_default(),
                r.to.clone(),
            ]
        }),
    )?;
    let evidence = csv_document(
        &[
            &t("n"),
            &t("file"),
            &t("type"),
            &t("size"),
            "sha256",
            &t("included"),
        ],
        view.evidence.iter().map(|e| {
            vec![
                e.n.to_string(),
                e.name.clone(),
                e.content_type.clone(),
                e.size_bytes.to_string(),
                e.sha256.clone(),
                if p.files_shared { t("yes") } else { t("no") },
            ]
        }),
    )?;
    let mut texts: Vec<(&'static str, String)> = vec![
        ("summary.txt", summary),
        (
            "timeline.csv",
            String::from_utf8_lossy(&timeline).into_owned(),
        ),
        (
            "evidence.csv",
            String::from_utf8_lossy(&evidence).into_owned(),
        ),
    ];
    if let Some(n) = &p.narrative {
        texts.push(("narrative.txt", n.clone()));
    }
    let bytes = package::zip(&p, texts, &page.state.config.evidence_dir()).await?;
    package::audit_view(&page.state.db.write, &p, "zip", &page.user.actor()).await?;
    let name = format!("referral-{}-{}.zip", p.case.tracking_code, p.referral.id);
    let mut resp = (StatusCode::OK, bytes).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            .map_err(anyhow::Error::from)?,
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(resp)
}
