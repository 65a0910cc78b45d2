//! The company page: its record and edit form, aliases, merging another company into it,
//! linking unmatched complaints, and its latest cases.
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::{CompanyForm, CompanyValues, FORM_FIELDS};
use crate::domain::format;
use crate::error::{AppError, FieldErrors};
use crate::services::companies::{self, DirError};
use crate::web::shared::page::{csrf_protected, CsrfOnly, StaffForm, StaffPage, View};
use crate::web::staff::forms::{
    done_redirect, not_found_unless_db, parse_id, refused, FormView, RecordPage,
};

/// Forms of the company page that may come back with errors.
#[derive(Default)]
pub(super) struct ShowForms {
    edit: Option<(CompanyValues, FieldErrors)>,
    conflict: bool,
    aliases: Option<(String, FieldErrors)>,
    merge: Option<(String, FieldErrors)>,
    /// The company-contact invitation: email, name, errors.
    invite: Option<(String, String, FieldErrors)>,
    done: Option<String>,
}

impl ShowForms {
    /// The page with the invitation form coming back with errors.
    pub(super) fn inviting(email: String, name: String, errors: FieldErrors) -> ShowForms {
        ShowForms {
            invite: Some((email, name, errors)),
            ..ShowForms::default()
        }
    }
}

const DONE_KEYS: [&str; 7] = [
    "invited",
    "created",
    "saved",
    "aliases_added",
    "alias_removed",
    "merged",
    "linked",
];

#[derive(Serialize)]
struct CompanyView {
    id: i64,
    name: String,
    sector: Option<String>,
    credit_code: Option<String>,
    contact_email: Option<String>,
    created: String,
    updated: String,
}

#[derive(Serialize)]
struct AliasView {
    id: i64,
    alias: String,
}

#[derive(Serialize)]
struct CaseView {
    id: i64,
    tracking_code: String,
    status: String,
    sector: String,
    service_name: Option<String>,
    received: String,
}

#[derive(Serialize)]
struct ShowView {
    company: CompanyView,
    stamp: String,
    aliases: Vec<AliasView>,
    cases: Vec<CaseView>,
    case_total: u64,
    cases_shown: u64,
    sectors: Vec<&'static str>,
    #[serde(flatten)]
    form: FormView<CompanyValues>,
    conflict: bool,
    alias_text: String,
    alias_errors: Vec<String>,
    merge_text: String,
    merge_errors: Vec<String>,
    contacts: Vec<super::contacts::ContactView>,
    invite_email: String,
    invite_name: String,
    invite_errors: FieldErrors,
    done: Option<String>,
}

impl View for ShowView {
    const TEMPLATE: &'static str = "staff/companies_show.html";
    const PATH: &'static str = "/staff/companies";
}

pub(super) async fn render_show(
    page: &StaffPage,
    id: i64,
    forms: ShowForms,
    status: StatusCode,
) -> Result<Response, AppError> {
    let lang = page.lang;
    let db = &page.state.db.read;
    let (c, aliases) = companies::find(db, id).await?.ok_or(AppError::NotFound)?;
    let (cases, case_total) = companies::cases_of(db, id).await?;
    let stored = CompanyValues {
        name: Some(c.name.clone()),
        sector: Some(c.sector.clone().unwrap_or_default()),
        credit_code: Some(c.credit_code.clone().unwrap_or_default()),
        contact_email: Some(c.contact_email.clone().unwrap_or_default()),
        aliases: None,
    };
    let (v, errors) = forms.edit.unwrap_or((stored, FieldErrors::new()));
    let (alias_text, alias_errors) = forms.aliases.unwrap_or_default();
    let (merge_text, merge_errors) = forms.merge.unwrap_or_default();
    let (invite_email, invite_name, invite_errors) = forms.invite.unwrap_or_default();
    let contacts = super::contacts::of_company(page, id).await?;
    let view = ShowView {
        contacts,
        invite_email,
        invite_name,
        invite_errors,
        stamp: companies::edit_stamp(&c),
        company: CompanyView {
            id: c.id,
            name: c.name,
            sector: c.sector,
            credit_code: c.credit_code,
            contact_email: c.contact_email,
            created: format::datetime(c.created_at, lang),
            updated: format::datetime(c.updated_at, lang),
        },
        aliases: aliases
            .into_iter()
            .map(|a| AliasView {
                id: a.id,
                alias: a.alias,
            })
            .collect(),
        cases: cases
            .into_iter()
            .map(|l| CaseView {
                id: l.id,
                tracking_code: l.tracking_code,
                status: l.status,
                sector: l.sector,
                service_name: l.service_name,
                received: format::datetime(l.received_at, lang),
            })
            .collect(),
        case_total,
        cases_shown: companies::CASES_SHOWN,
        sectors: crate::domain::Sector::codes(),
        form: FormView::new(v, errors, &FORM_FIELDS),
        conflict: forms.conflict,
        alias_text,
        alias_errors: alias_errors.get("aliases").cloned().unwrap_or_default(),
        merge_text,
        merge_errors: merge_errors.get("other").cloned().unwrap_or_default(),
        done: forms.done,
    };
    page.render(&view, status).await
}

/// The company page, for the shared record-page handlers.
pub(super) struct CompanyPage;

impl RecordPage for CompanyPage {
    type Forms = ShowForms;
    const TABLE: &'static str = "companies";
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

pub(super) fn done(id: i64, key: &str, n: Option<u64>) -> Response {
    done_redirect(&format!("/staff/companies/{id}"), key, n)
}

pub(super) async fn edit(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<CompanyForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    companies::find(&page.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let result =
        match companies::parse_company(&f.name, &f.sector, &f.credit_code, &f.contact_email) {
            Ok(input) => {
                companies::update(
                    &page.state.db.write,
                    id,
                    input,
                    &f.stamp,
                    &page.user.actor(),
                )
                .await
            }
            Err(p) => Err(DirError::Invalid(p)),
        };
    let (forms, status) = match result {
        Ok(_) => return Ok(done(id, "saved", None)),
        // Show the stored values with the typed ones kept in the form and a notice.
        Err(DirError::Stale) => (
            ShowForms {
                edit: Some((f.typed(), FieldErrors::new())),
                conflict: true,
                ..ShowForms::default()
            },
            StatusCode::CONFLICT,
        ),
        Err(e) => (
            ShowForms {
                edit: Some((f.typed(), refused(&page, e)?)),
                ..ShowForms::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    render_show(&page, id, forms, status).await
}

#[derive(Deserialize)]
pub(super) struct AliasForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    aliases: String,
    #[serde(default)]
    alias_id: String,
}

#[derive(Deserialize)]
pub(super) struct MergeForm {
    #[serde(default)]
    csrf_token: String,
    /// The company to merge into this one: id, name or alias.
    #[serde(default)]
    other: String,
}

csrf_protected!(AliasForm, MergeForm);

pub(super) async fn add_aliases(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<AliasForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    companies::find(&page.state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let result = match companies::parse_aliases(&f.aliases) {
        Ok(list) => {
            companies::add_aliases(&page.state.db.write, id, list, &page.user.actor()).await
        }
        Err(p) => Err(DirError::Invalid(p)),
    };
    match result {
        Ok(n) => Ok(done(id, "aliases_added", Some(n as u64))),
        Err(e) => {
            let forms = ShowForms {
                aliases: Some((f.aliases, refused(&page, e)?)),
                ..ShowForms::default()
            };
            render_show(&page, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub(super) async fn remove_alias(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<AliasForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let alias_id = parse_id(f.alias_id.trim())?;
    companies::remove_alias(&page.state.db.write, id, alias_id, &page.user.actor())
        .await
        .map_err(not_found_unless_db)?;
    Ok(done(id, "alias_removed", None))
}

pub(super) async fn merge(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<MergeForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    match companies::merge(&page.state.db.write, id, &f.other, &page.user.actor()).await {
        Ok((_, moved)) => Ok(done(id, "merged", Some(moved.complaints))),
        Err(e) => {
            let forms = ShowForms {
                merge: Some((f.other, refused(&page, e)?)),
                ..ShowForms::default()
            };
            render_show(&page, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub(super) async fn link_unmatched(
    Path(id): Path<String>,
    StaffForm(page, _): StaffForm<CsrfOnly>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let n = companies::link_unmatched(&page.state.db.write, id, &page.user.actor())
        .await
        .map_err(not_found_unless_db)?;
    Ok(done(id, "linked", Some(n)))
}
