//! Authorisation in one place. Every protected route is registered through [`Routes::add`] with
//! the [`Access`] it requires; the same list drives the guard layer and the authorisation-matrix
//! test, so a route cannot be added without saying who may use it.
use axum::extract::Request;
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use axum::Router;

use crate::domain::Role;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::shared::auth::CurrentUser;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Admins and reviewers (case work, contact data).
    Staff,
    /// Regulators, plus admins and reviewers (dashboards, regulator-tier exports).
    Regulator,
    /// Admins only (users, tokens, audit log, reference data).
    Admin,
    /// Company users, each bound to one company (the company portal and its API); handlers
    /// then confine every read and write to that company's forwarded cases.
    Company,
}

impl Access {
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Staff => role.is_staff(),
            Access::Regulator => role.reads_figures(),
            Access::Admin => role == Role::Admin,
            Access::Company => role == Role::Company,
        }
    }
}

/// One registered route: method, path pattern (axum syntax) and access.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

/// A router that remembers the access rule of each route it holds.
#[derive(Default)]
pub struct Routes {
    pub router: Router<AppState>,
    pub specs: Vec<RouteSpec>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    /// Adds `path` for the given methods (e.g. `&["GET"]`) behind the access guard.
    pub fn add(
        mut self,
        path: &'static str,
        methods: &[&'static str],
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Routes {
        for m in methods {
            self.specs.push(RouteSpec {
                method: m,
                path,
                access,
            });
        }
        let guarded = handler.route_layer(from_fn(move |req: Request, next: Next| {
            guard(access, req, next)
        }));
        self.router = self.router.route(path, guarded);
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.specs.extend(other.specs);
        self
    }
}

async fn guard(access: Access, req: Request, next: Next) -> Response {
    let Some(user) = req.extensions().get::<CurrentUser>() else {
        if req.uri().path().starts_with("/api/") {
            return AppError::Unauthorized.into_response();
        }
        let path = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/staff");
        let next_param: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
        return Redirect::to(&format!("/staff/login?next={next_param}")).into_response();
        // One sign-in page for everyone: company users sign in there too.
    };
    if !access.allows(user.role) {
        return AppError::Forbidden.into_response();
    }
    next.run(req).await
}
