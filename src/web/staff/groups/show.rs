//! The group page (members with the contact data of those who consented, adding and removing
//! cases, editing, deleting) and the member export.
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::{GroupForm, GroupValues, FORM_FIELDS};
use crate::domain::{format, Money};
use crate::error::{AppError, FieldErrors};
use crate::services::groups::page::{self as group_page, ExportError};
use crate::services::groups::{self, Added, Contact, Member};
use crate::web::shared::page::{csrf_protected, CsrfOnly, StaffForm, StaffPage, View};
use crate::web::staff::forms::{
    done_redirect, not_found_unless_db, parse_id, refused, FormView, RecordPage,
};

/// Forms of the group page that may come back with errors or results.
#[derive(Default)]
pub(super) struct ShowForms {
    edit: Option<(GroupValues, FieldErrors)>,
    cases: Option<(String, FieldErrors)>,
    added: Option<Added>,
    done: Option<String>,
}

const DONE_KEYS: [&str; 6] = [
    "created",
    "saved",
    "added",
    "removed",
    "referred",
    "nothing_referred",
];

#[derive(Serialize)]
struct CompanyRef {
    id: i64,
    name: String,
}

#[derive(Serialize)]
struct GroupView {
    id: i64,
    name: String,
    description: String,
    created: String,
    company: Option<CompanyRef>,
}

#[derive(Serialize)]
struct MemberView {
    complaint_id: i64,
    tracking_code: String,
    received: String,
    status: String,
    company_name: String,
    service_name: Option<String>,
    amount_claimed: Option<String>,
    consent_contact_company: bool,
    contact: Option<Contact>,
}

impl MemberView {
    fn of(m: Member, lang: crate::domain::Language) -> MemberView {
        MemberView {
            received: format::date(
                m.received_at
                    .with_timezone(&format::shanghai())
                    .date_naive(),
                lang,
            ),
            amount_claimed: m.amount_claimed_fen.map(|f| Money(f).display()),
            complaint_id: m.complaint_id,
            tracking_code: m.tracking_code,
            status: m.status,
            company_name: m.company_name,
            service_name: m.service_name,
            consent_contact_company: m.consent_contact_company,
            contact: m.contact,
        }
    }
}

#[derive(Serialize)]
struct ShowView {
    group: GroupView,
    members: Vec<MemberView>,
    with_contact: usize,
    #[serde(flatten)]
    form: FormView<GroupValues>,
    cases_text: String,
    cases_errors: Vec<String>,
    added: Option<Added>,
    done: Option<String>,
    referrals: Vec<crate::web::staff::referrals::ReferralLine>,
    refer: crate::web::staff::referrals::ReferFormView,
    /// Clauses of the library this group challenges.
    clauses: Vec<crate::web::staff::clauses::facts::CitedView>,
}

impl View for ShowView {
    const TEMPLATE: &'static str = "staff/groups_show.html";
    const PATH: &'static str = "/staff/groups";
}

async fn render_show(
    page: &StaffPage,
    id: i64,
    forms: ShowForms,
    status: StatusCode,
) -> Result<Response, AppError> {
    let p = group_page::view(&page.state.db, id, &page.user.actor())
        .await?
        .ok_or(AppError::NotFound)?;
    let (g, company) = (p.group, p.company);
    let stored = GroupValues {
        name: Some(g.name.clone()),
        description: Some(g.description.clone()),
        company: Some(company.as_ref().map(|c| c.name.clone()).unwrap_or_default()),
    };
    let (v, errors) = forms.edit.unwrap_or((stored, FieldErrors::new()));
    let (cases_text, cases_errors) = forms.cases.unwrap_or_default();
    let referrals = crate::services::referrals::refer::for_group(&page.state.db.read, id)
        .await?
        .into_iter()
        .map(|(r, code)| crate::web::staff::referrals::ReferralLine::of(r, page.lang, Some(code)))
        .collect();
    // A group's cases usually share a sector; the proposal follows the first member's.
    let first = p.members.first();
    let sector = first.map(|m| m.sector.clone()).unwrap_or_default();
    let province = first.and_then(|m| m.province.clone());
    let refer =
        crate::web::staff::referrals::refer_form(page, &sector, province.as_deref()).await?;
    let view = ShowView {
        referrals,
        refer,
        group: GroupView {
            id: g.id,
            name: g.name,
            description: g.description,
            created: format::datetime(g.created_at, page.lang),
            company: company.map(|c| CompanyRef {
                id: c.id,
                name: c.name,
            }),
        },
        members: p
            .members
            .into_iter()
            .map(|m| MemberView::of(m, page.lang))
            .collect(),
        with_contact: p.with_contact,
        form: FormView::new(v, errors, &FORM_FIELDS),
        cases_text,
        cases_errors: cases_errors.get("cases").cloned().unwrap_or_default(),
        added: forms.added,
        done: forms.done,
        clauses: crate::web::staff::clauses::facts::linked_to_group(&page.state.db.read, id)
            .await?,
    };
    let mut resp = page.render(&view, status).await?;
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// The group page, for the shared record-page handlers.
pub(super) struct GroupPage;

impl RecordPage for GroupPage {
    type Forms = ShowForms;
    const TABLE: &'static str = "groups";
    const DONE_KEYS: &'static [&'static str] = &DONE_KEYS;

    fn with_done(forms: ShowForms, done: Option<String>) -> ShowForms {
        ShowForms { done, ..forms }
    }

    async fn render(
        page: &StaffPage,
        id: i64,
        forms: ShowForms,
        status: StatusCode,
    ) -> Result<Response, AppError> {
        render_show(page, id, forms, status).await
    }
}

fn done(id: i64, key: &str, n: Option<usize>) -> Response {
    done_redirect(&format!("/staff/groups/{id}"), key, n.map(|n| n as u64))
}

pub(super) async fn edit(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<GroupForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    groups::find(&page.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let result =
        match groups::parse_group(&page.state.db.read, &f.name, &f.description, &f.company).await {
            Ok(input) => groups::update(&page.state.db.write, id, input, &page.user.actor()).await,
            Err(e) => Err(e),
        };
    match result {
        Ok(()) => Ok(done(id, "saved", None)),
        Err(e) => {
            let forms = ShowForms {
                edit: Some((f.typed(), refused(&page, e)?)),
                ..ShowForms::default()
            };
            render_show(&page, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct MembersForm {
    #[serde(default)]
    csrf_token: String,
    /// Case ids or tracking codes, one per line or separated by commas.
    #[serde(default)]
    cases: String,
    /// Remove form: the complaint to take out.
    #[serde(default)]
    complaint_id: String,
}

csrf_protected!(MembersForm);

pub(super) async fn add_members(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<MembersForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let forms =
        match groups::add_members(&page.state.db.write, id, &f.cases, &page.user.actor()).await {
            Ok(added) if added.unknown.is_empty() => {
                return Ok(done(id, "added", Some(added.added.len())))
            }
            Ok(added) => {
                // Known cases were added; the unknown ones stay in the box with a message.
                let msg = page.fmt(
                    "groups.errors.unknown_refs",
                    &[("refs", &added.unknown.join(", "))],
                );
                let errors = FieldErrors::from([("cases".to_string(), vec![msg])]);
                ShowForms {
                    cases: Some((added.unknown.join("\n"), errors)),
                    added: Some(added),
                    ..ShowForms::default()
                }
            }
            Err(e) => ShowForms {
                cases: Some((f.cases, refused(&page, e)?)),
                ..ShowForms::default()
            },
        };
    render_show(&page, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub(super) async fn remove_member(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<MembersForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let complaint_id = parse_id(f.complaint_id.trim())?;
    match groups::remove_member(&page.state.db.write, id, complaint_id, &page.user.actor()).await {
        Ok(true) => Ok(done(id, "removed", None)),
        Ok(false) => Err(AppError::NotFound),
        Err(e) => Err(not_found_unless_db(e)),
    }
}

pub(super) async fn delete(
    Path(id): Path<String>,
    StaffForm(page, _): StaffForm<CsrfOnly>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    groups::delete(&page.state.db.write, id, &page.user.actor())
        .await
        .map_err(not_found_unless_db)?;
    Ok(Redirect::to("/staff/groups?done=deleted").into_response())
}

/// The member list for a collective action, as CSV; the export is audited.
pub(super) async fn export_csv(
    page: StaffPage,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let body = group_page::export_members(&page.state.db, id, &page.user.actor())
        .await
        .map_err(|e| match e {
            ExportError::NotFound => AppError::NotFound,
            ExportError::Db(e) => e.into(),
            ExportError::Csv(e) => AppError::Internal(anyhow::anyhow!("csv: {e}")),
        })?;
    let disposition = format!("attachment; filename=\"case-group-{id}-members.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}
