//! Staff accounts: creating users of each role, signing in through the login form, API tokens.
use reqwest::{Client, Response, StatusCode};
use sea_orm::EntityTrait;

use super::http::{browser, Fetch};
use super::TestApp;
use downgrade_watch::domain::Role;
use downgrade_watch::services::accounts;

/// The password every test user gets.
pub const PASSWORD: &str = "correct horse battery";

/// Creates a user with [`PASSWORD`]; returns the user's id.
pub async fn make_user(app: &TestApp, email: &str, role: Role) -> i64 {
    accounts::create_user(&app.state.db.write, email, "", role, Some(PASSWORD))
        .await
        .expect("user")
        .id
}

/// The CSRF token embedded in a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("page has a CSRF token") + marker.len();
    html[start..].split('"').next().expect("token").to_string()
}

/// Posts the login form at `base` with `client`; returns the answer (303 when it worked).
pub async fn log_in(client: &Client, base: &str, email: &str, password: &str) -> Response {
    let html = client.text_of(format!("{base}/staff/login")).await;
    client
        .post(format!("{base}/staff/login"))
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf_token", &csrf_of(&html)),
            ("next", "/staff"),
        ])
        .send()
        .await
        .expect("post")
}

/// A client with its own cookie jar, signed in as `email`.
pub async fn signed_in(app: &TestApp, email: &str) -> Client {
    let client = browser();
    let r = log_in(&client, &app.base, email, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "login of {email}");
    client
}

/// A signed-in staff member with the CSRF token of their session.
pub struct Staff {
    pub client: Client,
    pub csrf: String,
    pub id: i64,
    pub email: String,
}

/// Creates a user of `role` and signs them in.
pub async fn staff(app: &TestApp, email: &str, role: Role) -> Staff {
    let id = make_user(app, email, role).await;
    let client = signed_in(app, email).await;
    let csrf = csrf_of(&client.text_of(app.url("/staff")).await);
    Staff {
        client,
        csrf,
        id,
        email: email.to_string(),
    }
}

impl Staff {
    /// GET `path` in this session.
    pub async fn get(&self, app: &TestApp, path: &str) -> Response {
        self.client.fetch(app.url(path)).await
    }

    /// The status and body of `path` in this session.
    pub async fn page(&self, app: &TestApp, path: &str) -> (StatusCode, String) {
        let r = self.get(app, path).await;
        (r.status(), r.text().await.expect("text"))
    }

    /// POSTs `form` to `path` as it stands (add the CSRF token yourself when the test needs it).
    pub async fn post(&self, app: &TestApp, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(app.url(path))
            .form(form)
            .send()
            .await
            .expect("post")
    }

    /// POSTs `form` to `path` with this session's CSRF token added.
    pub async fn submit(&self, app: &TestApp, path: &str, form: &[(&str, &str)]) -> Response {
        let mut f = form.to_vec();
        f.push(("csrf_token", &self.csrf));
        self.post(app, path, &f).await
    }
}

/// A bearer token for the API, for the existing user `user_id`.
pub async fn token_for(app: &TestApp, user_id: i64) -> String {
    accounts::create_token(&app.state.db.write, user_id, "tests")
        .await
        .expect("token")
        .1
}

/// Creates a user of `role` and returns a bearer token for the API.
pub async fn api_token(app: &TestApp, email: &str, role: Role) -> String {
    let id = make_user(app, email, role).await;
    token_for(app, id).await
}

/// GET `path` with a bearer token.
pub async fn bearer_get(app: &TestApp, token: &str, path: &str) -> Response {
    app.client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("request")
}

impl Staff {
    /// Posts a case action with the case's current version.
    pub async fn act(
        &self,
        app: &TestApp,
        id: i64,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let version = downgrade_watch::entities::complaint::Entity::find_by_id(id)
            .one(&app.state.db.read)
            .await
            .expect("query")
            .map(|c| c.version)
            .unwrap_or(1);
        self.act_at(app, id, version, action, fields).await
    }

    pub async fn act_at(
        &self,
        app: &TestApp,
        id: i64,
        version: i32,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form: Vec<(String, String)> = vec![
            ("csrf_token".into(), self.csrf.clone()),
            ("version".into(), version.to_string()),
        ];
        form.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self.client
            .post(app.url(&format!("/staff/cases/{id}/{action}")))
            .form(&form)
            .send()
            .await
            .expect("post")
    }
}
