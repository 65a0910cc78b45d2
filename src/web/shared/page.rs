//! What a signed-in page handler starts from: [`StaffPage`] bundles the state, the language, the
//! user and the session; [`StaffForm`] adds a form body whose CSRF token was checked before the
//! handler runs ([`CsrfForm`] is the same check for pages without a signed-in user). Pages render
//! a typed [`View`] on the staff layout, so a misspelt template variable fails to compile.
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::domain::{Language, Role};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::shared::auth::{csrf_token, verify_csrf, CurrentUser};
use crate::web::shared::lang::Lang;
use crate::web::shared::render::{context, page, with_view};

/// A page's context: the template it fills and the path the layout highlights.
pub trait View: Serialize {
    const TEMPLATE: &'static str;
    const PATH: &'static str;
}

/// The signed-in user as the staff layout shows it.
#[derive(Serialize)]
struct LayoutUser<'a> {
    id: i64,
    email: &'a str,
    display_name: &'a str,
    role: &'static str,
    is_staff: bool,
    is_admin: bool,
}

/// Context for staff and regulator pages: the layout needs the user and a CSRF token (logout).
pub async fn staff_context(
    state: &AppState,
    lang: Language,
    path: &str,
    user: &CurrentUser,
    session: &Session,
) -> Result<tera::Context, AppError> {
    let mut ctx = context(state, lang, path);
    ctx.insert("csrf_token", &csrf_token(session).await?);
    ctx.insert(
        "user",
        &LayoutUser {
            id: user.id,
            email: &user.email,
            display_name: &user.display_name,
            role: user.role.code(),
            is_staff: user.role.is_staff(),
            is_admin: user.role == Role::Admin,
        },
    );
    Ok(ctx)
}

/// Who is looking at a page, with what the staff layout needs to render it.
#[derive(Clone)]
pub struct StaffPage {
    pub state: AppState,
    pub lang: Language,
    pub user: CurrentUser,
    pub session: Session,
}

impl StaffPage {
    /// Renders `view` on the staff layout.
    pub async fn render<V: View>(
        &self,
        view: &V,
        status: StatusCode,
    ) -> Result<Response, AppError> {
        self.render_at(V::PATH, V::TEMPLATE, view, status).await
    }

    /// Renders `view` into `template` on the staff layout with `path` highlighted, for pages
    /// whose path or template depends on the request.
    pub async fn render_at<V: Serialize>(
        &self,
        path: &str,
        template: &str,
        view: &V,
        status: StatusCode,
    ) -> Result<Response, AppError> {
        let ctx = staff_context(&self.state, self.lang, path, &self.user, &self.session).await?;
        page(&self.state, template, &with_view(ctx, view)?, status)
    }

    /// A localised message from the catalogue.
    pub fn msg(&self, key: &str) -> String {
        self.state.i18n.msg(self.lang, key)
    }

    /// A localised message with `{name}` arguments filled in.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.state.i18n.fmt(self.lang, key, args)
    }
}

impl FromRequestParts<AppState> for StaffPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Ok(Lang(lang)) = Lang::from_request_parts(parts, state).await;
        let user = CurrentUser::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(StaffPage {
            state: state.clone(),
            lang,
            user,
            session,
        })
    }
}

/// A form that carries the session's CSRF token in its `csrf_token` field.
pub trait CsrfProtected {
    fn csrf_token(&self) -> &str;
}

/// Implements [`CsrfProtected`] for form structs with a `csrf_token: String` field.
macro_rules! csrf_protected {
    ($($form:ty),+ $(,)?) => {
        $(impl $crate::web::shared::page::CsrfProtected for $form {
            fn csrf_token(&self) -> &str {
                &self.csrf_token
            }
        })+
    };
}
pub(crate) use csrf_protected;

/// A form with nothing but its CSRF token (buttons that act on the record in the path).
#[derive(Deserialize, Default)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf_token: String,
}

csrf_protected!(CsrfOnly);

/// A urlencoded form body parsed into `T`, refused (403) unless its CSRF token matches the
/// session's. A body that does not parse is refused as before, by the form extractor.
pub struct CsrfForm<T>(pub T);

impl<S, T> FromRequest<S> for CsrfForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned + CsrfProtected + Send,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let session = Session::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Form(form) = Form::<T>::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        verify_csrf(&session, form.csrf_token())
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(CsrfForm(form))
    }
}

/// A signed-in page with a CSRF-checked form body: what every staff POST handler takes.
pub struct StaffForm<T>(pub StaffPage, pub T);

impl<T> FromRequest<AppState> for StaffForm<T>
where
    T: DeserializeOwned + CsrfProtected + Send,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let page = StaffPage::from_request_parts(&mut parts, state).await?;
        let CsrfForm(form) =
            CsrfForm::<T>::from_request(Request::from_parts(parts, body), state).await?;
        Ok(StaffForm(page, form))
    }
}
