//! Case group pages: the list, creating a group, the group page (members with the contact data
//! of those who consented, adding and removing cases, editing, deleting) and the member export.
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use serde::Deserialize;
use serde_json::{json, Value};
use tower_sessions::Session;

use super::companies::{done_message, failure, parse_id, summary, Failure, Viewer};
use super::staff_context;
use crate::domain::format;
use crate::domain::{Language, Money};
use crate::error::{AppError, FieldErrors};
use crate::services::audit;
use crate::services::companies::DirError;
use crate::services::groups::{self, Added, Member};
use crate::state::AppState;
use crate::web::shared::auth::{verify_csrf, CurrentUser};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::page;

pub fn routes() -> Routes {
    Routes::new()
        .add(
            "/staff/groups",
            &["GET", "POST"],
            Access::Staff,
            get(list_page).post(create),
        )
        .add(
            "/staff/groups/{id}",
            &["GET", "POST"],
            Access::Staff,
            get(show).post(edit),
        )
        .add(
            "/staff/groups/{id}/delete",
            &["POST"],
            Access::Staff,
            post(delete),
        )
        .add(
            "/staff/groups/{id}/members",
            &["POST"],
            Access::Staff,
            post(add_members),
        )
        .add(
            "/staff/groups/{id}/members/remove",
            &["POST"],
            Access::Staff,
            post(remove_member),
        )
        .add(
            "/staff/groups/{id}/members.csv",
            &["GET"],
            Access::Staff,
            get(export_csv),
        )
}

const FORM_FIELDS: [&str; 3] = ["name", "description", "company"];

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
    n: Option<String>,
}

#[derive(Deserialize, Default)]
struct GroupForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    /// Company id, name or alias (optional).
    #[serde(default)]
    company: String,
}

impl GroupForm {
    fn typed(&self) -> Value {
        json!({ "name": self.name, "description": self.description, "company": self.company })
    }
}

async fn render_list(
    v: &Viewer<'_>,
    typed: Value,
    errors: FieldErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let Viewer {
        state,
        lang,
        user,
        session,
    } = *v;
    let rows: Vec<Value> = groups::list(&state.db.read)
        .await?
        .into_iter()
        .map(|g| json!({ "id": g.id, "name": g.name, "description": g.description, "company_id": g.company_id, "company_name": g.company_name, "member_count": g.member_count, "created": format::datetime(g.created_at, lang) }))
        .collect();
    let mut ctx = staff_context(state, lang, "/staff/groups", user, session).await?;
    ctx.insert("rows", &rows);
    ctx.insert("v", &typed);
    ctx.insert("summary", &summary(&errors, &FORM_FIELDS));
    ctx.insert("errors", &errors);
    ctx.insert("done", &done);
    page(state, "staff/groups.html", &ctx, status)
}

async fn list_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let done = done_message(&state, lang, "groups", &["deleted"], &q.done, &q.n);
    render_list(
        &Viewer {
            state: &state,
            lang,
            user: &user,
            session: &session,
        },
        json!({}),
        FieldErrors::new(),
        done,
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Form(f): Form<GroupForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let result =
        match groups::parse_group(&state.db.read, &f.name, &f.description, &f.company).await {
            Ok(input) => groups::create(&state.db.write, input, &user.actor()).await,
            Err(e) => Err(e),
        };
    match result {
        Ok(g) => Ok(Redirect::to(&format!("/staff/groups/{}?done=created", g.id)).into_response()),
        Err(e) => match failure(&state, lang, e) {
            Failure::Form(errors) => {
                render_list(
                    &Viewer {
                        state: &state,
                        lang,
                        user: &user,
                        session: &session,
                    },
                    f.typed(),
                    errors,
                    None,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Failure::Stale => Err(AppError::Conflict),
            Failure::Other(e) => Err(e),
        },
    }
}

/// Forms of the group page that may come back with errors or results.
#[derive(Default)]
struct ShowForms {
    edit: Option<(Value, FieldErrors)>,
    cases: Option<(String, FieldErrors)>,
    added: Option<Added>,
    done: Option<String>,
}

const DONE_KEYS: [&str; 4] = ["created", "saved", "added", "removed"];

fn member_view(m: &Member, lang: Language) -> Value {
    json!({
        "complaint_id": m.complaint_id, "tracking_code": m.tracking_code, "received": format::date(m.received_at.with_timezone(&format::shanghai()).date_naive(), lang),
        "status": m.status, "company_name": m.company_name, "service_name": m.service_name,
        "amount_claimed": m.amount_claimed_fen.map(|f| Money(f).display()),
        "consent_contact_company": m.consent_contact_company, "contact": m.contact,
    })
}

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
    let (g, company) = groups::find(&state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let members = groups::members(&state.db.read, id).await?;
    let with_contact = members.iter().filter(|m| m.has_contact()).count();
    if with_contact > 0 {
        // The page shows contact data: record the view (never the data itself).
        audit::record(
            &state.db.write,
            &user.actor(),
            "view_contact",
            Some(("case_group", id.to_string())),
            Some(json!({ "group_id": id, "members": members.len(), "with_contact": with_contact })),
        )
        .await?;
    }
    let stored = json!({ "name": g.name, "description": g.description, "company": company.as_ref().map(|c| c.name.clone()).unwrap_or_default() });
    let (edit_v, edit_errors) = forms.edit.unwrap_or((stored, FieldErrors::new()));
    let (cases_text, cases_errors) = forms.cases.unwrap_or_default();
    let mut ctx = staff_context(state, lang, "/staff/groups", user, session).await?;
    ctx.insert("group", &json!({
        "id": g.id, "name": g.name, "description": g.description, "created": format::datetime(g.created_at, lang),
        "company": company.as_ref().map(|c| json!({ "id": c.id, "name": c.name })),
    }));
    ctx.insert(
        "members",
        &members
            .iter()
            .map(|m| member_view(m, lang))
            .collect::<Vec<_>>(),
    );
    ctx.insert("with_contact", &with_contact);
    ctx.insert("v", &edit_v);
    ctx.insert("summary", &summary(&edit_errors, &FORM_FIELDS));
    ctx.insert("errors", &edit_errors);
    ctx.insert("cases_text", &cases_text);
    ctx.insert(
        "cases_errors",
        &cases_errors.get("cases").cloned().unwrap_or_default(),
    );
    ctx.insert("added", &forms.added);
    ctx.insert("done", &forms.done);
    let mut resp = page(state, "staff/groups_show.html", &ctx, status)?;
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

async fn show(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let forms = ShowForms {
        done: done_message(&state, lang, "groups", &DONE_KEYS, &q.done, &q.n),
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

fn done(id: i64, key: &str, n: Option<usize>) -> Response {
    let n = n.map(|n| format!("&n={n}")).unwrap_or_default();
    Redirect::to(&format!("/staff/groups/{id}?done={key}{n}")).into_response()
}

async fn edit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<GroupForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let id = parse_id(&id)?;
    groups::find(&state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let result =
        match groups::parse_group(&state.db.read, &f.name, &f.description, &f.company).await {
            Ok(input) => groups::update(&state.db.write, id, input, &user.actor()).await,
            Err(e) => Err(e),
        };
    match result {
        Ok(()) => Ok(done(id, "saved", None)),
        Err(e) => match failure(&state, lang, e) {
            Failure::Form(errors) => {
                let forms = ShowForms {
                    edit: Some((f.typed(), errors)),
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
struct MembersForm {
    #[serde(default)]
    csrf_token: String,
    /// Case ids or tracking codes, one per line or separated by commas.
    #[serde(default)]
    cases: String,
    /// Remove form: the complaint to take out.
    #[serde(default)]
    complaint_id: String,
}

async fn add_members(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<MembersForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let id = parse_id(&id)?;
    match groups::add_members(&state.db.write, id, &f.cases, &user.actor()).await {
        Ok(added) if added.unknown.is_empty() => Ok(done(id, "added", Some(added.added.len()))),
        Ok(added) => {
            // Known cases were added; the unknown ones stay in the box with a message.
            let msg = state.i18n.fmt(
                lang,
                "groups.errors.unknown_refs",
                &[("refs", &added.unknown.join(", "))],
            );
            let errors = FieldErrors::from([("cases".to_string(), vec![msg])]);
            let forms = ShowForms {
                cases: Some((added.unknown.join("\n"), errors)),
                added: Some(added),
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
        Err(e) => match failure(&state, lang, e) {
            Failure::Form(errors) => {
                let forms = ShowForms {
                    cases: Some((f.cases, errors)),
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

async fn remove_member(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<MembersForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let id = parse_id(&id)?;
    let complaint_id = parse_id(f.complaint_id.trim())?;
    match groups::remove_member(&state.db.write, id, complaint_id, &user.actor()).await {
        Ok(true) => Ok(done(id, "removed", None)),
        Ok(false) | Err(DirError::NotFound) => Err(AppError::NotFound),
        Err(DirError::Db(e)) => Err(e.into()),
        Err(_) => Err(AppError::NotFound),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    verify_csrf(&session, &f.csrf_token).await?;
    let id = parse_id(&id)?;
    match groups::delete(&state.db.write, id, &user.actor()).await {
        Ok(_) => Ok(Redirect::to("/staff/groups?done=deleted").into_response()),
        Err(DirError::Db(e)) => Err(e.into()),
        Err(_) => Err(AppError::NotFound),
    }
}

/// The member list for a collective action, as CSV; the export is audited.
async fn export_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    groups::find(&state.db.read, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let members = groups::members(&state.db.read, id).await?;
    let body = groups::members_csv(&members)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
    audit::record(
        &state.db.write,
        &user.actor(),
        "export",
        Some(("case_group", id.to_string())),
        Some(json!({ "what": "group_members", "format": "csv", "group_id": id, "rows": members.len(), "with_contact": members.iter().filter(|m| m.has_contact()).count() })),
    )
    .await?;
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
