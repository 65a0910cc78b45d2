//! Company directory pages: the searchable list, creating a company, and the company page
//! (edit, aliases, merge another company into it, link unmatched complaints, its cases).
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tower_sessions::Session;

use super::staff_context;
use crate::domain::format;
use crate::domain::{Language, Sector};
use crate::error::{AppError, FieldErrors};
use crate::services::companies::{self, DirError, ListFilter};
use crate::state::AppState;
use crate::web::shared::auth::{verify_csrf, CurrentUser};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::page;

const PAGE: u64 = 50;

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/companies",
            &["GET", "POST"],
            Access::Staff,
            get(list_page).post(create),
        )
        .add(
            "/staff/companies/{id}",
            &["GET", "POST"],
            Access::Staff,
            get(show).post(edit),
        )
        .add(
            "/staff/companies/{id}/aliases",
            &["POST"],
            Access::Staff,
            post(add_aliases),
        )
        .add(
            "/staff/companies/{id}/aliases/remove",
            &["POST"],
            Access::Staff,
            post(remove_alias),
        )
        .add(
            "/staff/companies/{id}/merge",
            &["POST"],
            Access::Staff,
            post(merge),
        )
        .add(
            "/staff/companies/{id}/link",
            &["POST"],
            Access::Staff,
            post(link_unmatched),
        )
}

/// Who is looking at a page, with what the staff layout needs to render it.
#[derive(Clone, Copy)]
pub(crate) struct Viewer<'a> {
    pub state: &'a AppState,
    pub lang: Language,
    pub user: &'a CurrentUser,
    pub session: &'a Session,
}

/// What a directory operation's failure means for the response: input problems re-render the
/// form (422), anything else becomes the matching error.
pub(crate) enum Failure {
    Form(FieldErrors),
    Stale,
    Other(AppError),
}

pub(crate) fn failure(state: &AppState, lang: Language, e: DirError) -> Failure {
    match e {
        DirError::Invalid(p) => Failure::Form(p.localise(&state.i18n, lang)),
        DirError::Stale => Failure::Stale,
        DirError::NotFound => Failure::Other(AppError::NotFound),
        DirError::Db(db) => Failure::Other(db.into()),
    }
}

/// `[field, message]` pairs for an error summary, in the order of `fields`.
pub(crate) fn summary(errors: &FieldErrors, fields: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in fields {
        for m in errors.get(*f).into_iter().flatten() {
            out.push((f.to_string(), m.clone()));
        }
    }
    out
}

pub(crate) fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(AppError::NotFound)
}

/// A success notice after a redirect (`?done=key&n=count`); only known keys are shown.
pub(crate) fn done_message(
    state: &AppState,
    lang: Language,
    table: &str,
    keys: &[&str],
    done: &Option<String>,
    n: &Option<String>,
) -> Option<String> {
    let key = done.as_deref().filter(|d| keys.contains(d))?;
    let n: u64 = n.as_deref().and_then(|n| n.parse().ok()).unwrap_or(0);
    Some(state.i18n.fmt(
        lang,
        &format!("{table}.done.{key}"),
        &[("n", &n.to_string())],
    ))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
    sector: Option<String>,
    after: Option<String>,
    done: Option<String>,
    n: Option<String>,
}

/// The company form (create and edit share it).
#[derive(Deserialize, Serialize, Default, Clone)]
struct CompanyForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    aliases: String,
    /// Edit form only: the record's stamp when the form was loaded.
    #[serde(default)]
    stamp: String,
}

impl CompanyForm {
    fn typed(&self) -> Value {
        json!({ "name": self.name, "sector": self.sector, "credit_code": self.credit_code, "contact_email": self.contact_email, "aliases": self.aliases })
    }
}

const FORM_FIELDS: [&str; 5] = ["name", "sector", "credit_code", "contact_email", "aliases"];

async fn render_list(
    v: &Viewer<'_>,
    q: &ListQuery,
    typed: Value,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let Viewer {
        state,
        lang,
        user,
        session,
    } = *v;
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let filter = ListFilter {
        q: clean(&q.q),
        sector: clean(&q.sector).as_deref().and_then(Sector::parse),
    };
    let after = clean(&q.after).and_then(|a| a.parse::<i64>().ok());
    let (rows, next) = companies::list_by_name(&state.db.read, &filter, after, PAGE).await?;
    let mut ctx = staff_context(state, lang, "/staff/companies", user, session).await?;
    ctx.insert("rows", &rows);
    ctx.insert("next_after", &next);
    ctx.insert(
        "q",
        &json!({ "q": filter.q, "sector": filter.sector.map(|s| s.code()) }),
    );
    ctx.insert("sectors", &Sector::codes());
    ctx.insert("v", &typed);
    ctx.insert("summary", &summary(&errors, &FORM_FIELDS));
    ctx.insert("errors", &errors);
    ctx.insert(
        "done",
        &done_message(state, lang, "companies", &["created"], &q.done, &q.n),
    );
    page(state, "staff/companies.html", &ctx, status)
}

async fn list_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    render_list(
        &Viewer {
            state: &state,
            lang,
            user: &user,
            session: &session,
        },
        &q,
        json!({}),
        FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Form(f): Form<CompanyForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let parsed = companies::parse_company(&f.name, &f.sector, &f.credit_code, &f.contact_email);
    let aliases = companies::parse_aliases(&f.aliases);
    let result = match (parsed, aliases) {
        (Ok(input), Ok(aliases)) => {
            companies::create(&state.db.write, input, aliases, &user.actor()).await
        }
        (a, b) => {
            let mut p = a.err().unwrap_or_default();
            p.0.extend(b.err().unwrap_or_default().0);
            Err(DirError::Invalid(p))
        }
    };
    match result {
        Ok(c) => {
            Ok(Redirect::to(&format!("/staff/companies/{}?done=created", c.id)).into_response())
        }
        Err(e) => match failure(&state, lang, e) {
            Failure::Form(errors) => {
                render_list(
                    &Viewer {
                        state: &state,
                        lang,
                        user: &user,
                        session: &session,
                    },
                    &ListQuery::default(),
                    f.typed(),
                    errors,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Failure::Stale => Err(AppError::Conflict),
            Failure::Other(e) => Err(e),
        },
    }
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    done: Option<String>,
    n: Option<String>,
}

/// Forms of the company page that may come back with errors.
#[derive(Default)]
struct ShowForms {
    edit: Option<(Value, FieldErrors)>,
    conflict: bool,
    aliases: Option<(String, FieldErrors)>,
    merge: Option<(String, FieldErrors)>,
    done: Option<String>,
}

const DONE_KEYS: [&str; 6] = [
    "created",
    "saved",
    "aliases_added",
    "alias_removed",
    "merged",
    "linked",
];

async fn render_show(
    v: &Viewer<'_>,
    id: i64,
    forms: ShowForms,
    status: StatusCode,
) -> Result<Response, AppError> {
    let Viewer {
        state,
        lang,
        user,
        session,
    } = *v;
    let (c, aliases) = companies::find(&state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (cases, total) = companies::cases_of(&state.db.read, id).await?;
    let cases: Vec<Value> = cases
        .iter()
        .map(|l| json!({ "id": l.id, "tracking_code": l.tracking_code, "status": l.status, "sector": l.sector, "service_name": l.service_name, "received": format::datetime(l.received_at, lang) }))
        .collect();
    let stored = json!({
        "name": c.name, "sector": c.sector.clone().unwrap_or_default(), "credit_code": c.credit_code.clone().unwrap_or_default(),
        "contact_email": c.contact_email.clone().unwrap_or_default(),
    });
    let (edit_v, edit_errors) = forms.edit.unwrap_or((stored, FieldErrors::new()));
    let (alias_text, alias_errors) = forms.aliases.unwrap_or_default();
    let (merge_text, merge_errors) = forms.merge.unwrap_or_default();
    let mut ctx = staff_context(state, lang, "/staff/companies", user, session).await?;
    ctx.insert("company", &json!({
        "id": c.id, "name": c.name, "sector": c.sector, "credit_code": c.credit_code, "contact_email": c.contact_email,
        "created": format::datetime(c.created_at, lang), "updated": format::datetime(c.updated_at, lang),
    }));
    ctx.insert("stamp", &companies::edit_stamp(&c));
    ctx.insert(
        "aliases",
        &aliases
            .iter()
            .map(|a| json!({ "id": a.id, "alias": a.alias }))
            .collect::<Vec<_>>(),
    );
    ctx.insert("cases", &cases);
    ctx.insert("case_total", &total);
    ctx.insert("cases_shown", &companies::CASES_SHOWN);
    ctx.insert("sectors", &Sector::codes());
    ctx.insert("v", &edit_v);
    ctx.insert("summary", &summary(&edit_errors, &FORM_FIELDS));
    ctx.insert("errors", &edit_errors);
    ctx.insert("conflict", &forms.conflict);
    ctx.insert("alias_text", &alias_text);
    ctx.insert(
        "alias_errors",
        &alias_errors.get("aliases").cloned().unwrap_or_default(),
    );
    ctx.insert("merge_text", &merge_text);
    ctx.insert(
        "merge_errors",
        &merge_errors.get("other").cloned().unwrap_or_default(),
    );
    ctx.insert("done", &forms.done);
    page(state, "staff/companies_show.html", &ctx, status)
}

async fn show(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let forms = ShowForms {
        done: done_message(&state, lang, "companies", &DONE_KEYS, &q.done, &q.n),
        ..ShowForms::default()
    };
    render_show(
        &Viewer {
            state: &state,
            lang,
            user: &user,
            session: &session,
        },
        id,
        forms,
        StatusCode::OK,
    )
    .await
}

fn done(id: i64, key: &str, n: Option<u64>) -> Response {
    let n = n.map(|n| format!("&n={n}")).unwrap_or_default();
    Redirect::to(&format!("/staff/companies/{id}?done={key}{n}")).into_response()
}

async fn edit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<CompanyForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let id = parse_id(&id)?;
    companies::find(&state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let result =
        match companies::parse_company(&f.name, &f.sector, &f.credit_code, &f.contact_email) {
            Ok(input) => {
                companies::update(&state.db.write, id, input, &f.stamp, &user.actor()).await
            }
            Err(p) => Err(DirError::Invalid(p)),
        };
    let (forms, status) = match result {
        Ok(_) => return Ok(done(id, "saved", None)),
        Err(e) => match failure(&state, lang, e) {
            Failure::Form(errors) => (
                ShowForms {
                    edit: Some((f.typed(), errors)),
                    ..ShowForms::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            // Show the stored values with the typed ones kept in the form and a notice.
            Failure::Stale => (
                ShowForms {
                    edit: Some((f.typed(), FieldErrors::new())),
                    conflict: true,
                    ..ShowForms::default()
                },
                StatusCode::CONFLICT,
            ),
            Failure::Other(e) => return Err(e),
        },
    };
    render_show(
        &Viewer {
            state: &state,
            lang,
            user: &user,
            session: &session,
        },
        id,
        forms,
        status,
    )
    .await
}

#[derive(Deserialize)]
struct AliasForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    aliases: String,
    #[serde(default)]
    alias_id: String,
}

async fn add_aliases(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<AliasForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let id = parse_id(&id)?;
    companies::find(&state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let result = match companies::parse_aliases(&f.aliases) {
        Ok(list) => companies::add_aliases(&state.db.write, id, list, &user.actor()).await,
        Err(p) => Err(DirError::Invalid(p)),
    };
    match result {
        Ok(n) => Ok(done(id, "aliases_added", Some(n as u64))),
        Err(e) => match failure(&state, lang, e) {
            Failure::Form(errors) => {
                let forms = ShowForms {
                    aliases: Some((f.aliases, errors)),
                    ..ShowForms::default()
                };
                render_show(
                    &Viewer {
                        state: &state,
                        lang,
                        user: &user,
                        session: &session,
                    },
                    id,
                    forms,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Failure::Stale => Err(AppError::Conflict),
            Failure::Other(e) => Err(e),
        },
    }
}

async fn remove_alias(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<AliasForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let id = parse_id(&id)?;
    let alias_id = parse_id(f.alias_id.trim())?;
    match companies::remove_alias(&state.db.write, id, alias_id, &user.actor()).await {
        Ok(()) => Ok(done(id, "alias_removed", None)),
        Err(DirError::Db(e)) => Err(e.into()),
        Err(_) => Err(AppError::NotFound),
    }
}

#[derive(Deserialize)]
struct MergeForm {
    #[serde(default)]
    csrf_token: String,
    /// The company to merge into this one: id, name or alias.
    #[serde(default)]
    other: String,
}

async fn merge(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<MergeForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let id = parse_id(&id)?;
    match companies::merge(&state.db.write, id, &f.other, &user.actor()).await {
        Ok((_, moved)) => Ok(done(id, "merged", Some(moved.complaints))),
        Err(e) => match failure(&state, lang, e) {
            Failure::Form(errors) => {
                let forms = ShowForms {
                    merge: Some((f.other, errors)),
                    ..ShowForms::default()
                };
                render_show(
                    &Viewer {
                        state: &state,
                        lang,
                        user: &user,
                        session: &session,
                    },
                    id,
                    forms,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Failure::Stale => Err(AppError::Conflict),
            Failure::Other(e) => Err(e),
        },
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn link_unmatched(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let id = parse_id(&id)?;
    match companies::link_unmatched(&state.db.write, id, &user.actor()).await {
        Ok(n) => Ok(done(id, "linked", Some(n))),
        Err(DirError::Db(e)) => Err(e.into()),
        Err(_) => Err(AppError::NotFound),
    }
}
