//! Companies, their users and forwarded cases, set up the way staff would.
use chrono::Utc;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use crate::support::{
    complaint_by_id, csrf_of, signed_in, Complaint, Fetch, Filed, NewCompany, TestApp, PASSWORD,
};
use downgrade_watch::entities::mail_outbox;
use downgrade_watch::services::accounts;
use downgrade_watch::services::audit::Actor;
use downgrade_watch::services::cases::actions::{apply, Change};

/// A company in the directory with a forwarding address; returns its id.
pub async fn firm(app: &TestApp, name: &str) -> i64 {
    let slug: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    NewCompany::named(name)
        .contact(&format!("answers-{slug}{}@company.example", name.len()))
        .add(app)
        .await
}

/// A signed-in company user with the CSRF token of their session.
pub struct CompanyUser {
    pub client: Client,
    pub csrf: String,
    pub id: i64,
    #[allow(dead_code)]
    pub email: String,
}

/// Creates a user bound to `company_id` with [`PASSWORD`]; returns its id.
pub async fn company_account(app: &TestApp, email: &str, company_id: i64) -> i64 {
    accounts::create_company_user(&app.state.db.write, email, "", company_id, Some(PASSWORD))
        .await
        .expect("company user")
        .id
}

/// Creates a user bound to `company_id` and signs them in on the staff sign-in page.
pub async fn company_user(app: &TestApp, email: &str, company_id: i64) -> CompanyUser {
    let id = company_account(app, email, company_id).await;
    let client = signed_in(app, email).await;
    let csrf = csrf_of(&client.text_of(app.url("/company")).await);
    CompanyUser {
        client,
        csrf,
        id,
        email: email.to_string(),
    }
}

impl CompanyUser {
    pub async fn get(&self, app: &TestApp, path: &str) -> Response {
        self.client.fetch(app.url(path)).await
    }

    pub async fn page(&self, app: &TestApp, path: &str) -> (reqwest::StatusCode, String) {
        let r = self.get(app, path).await;
        (r.status(), r.text().await.expect("text"))
    }

    /// The answer form for case `code`, with this session's CSRF token.
    pub fn answer(&self, category: &str, text: &str) -> Form {
        Form::new()
            .text("csrf_token", self.csrf.clone())
            .text("category", category.to_string())
            .text("text", text.to_string())
    }

    pub async fn post_answer(&self, app: &TestApp, code: &str, form: Form) -> Response {
        self.client
            .post(app.url(&format!("/company/cases/{code}/response")))
            .multipart(form)
            .send()
            .await
            .expect("post")
    }

    pub async fn ask_for_time(
        &self,
        app: &TestApp,
        code: &str,
        reason: &str,
        days: &str,
    ) -> Response {
        self.client
            .post(app.url(&format!("/company/cases/{code}/extension")))
            .form(&[
                ("csrf_token", self.csrf.as_str()),
                ("reason", reason),
                ("days", days),
            ])
            .send()
            .await
            .expect("post")
    }
}

/// Files `complaint` and has staff accept and forward it (to the directory company its name
/// matches).
pub async fn forwarded(app: &TestApp, complaint: Complaint) -> Filed {
    let f = complaint.file(app).await;
    forward(app, f.id).await;
    f
}

/// Accepts and forwards case `id` as staff would.
pub async fn forward(app: &TestApp, id: i64) {
    let work = app.state.case_work();
    for change in [Change::Accept, Change::Forward] {
        let c = complaint_by_id(app, id).await;
        apply(&work, &Actor::system(), id, c.version, change, Utc::now())
            .await
            .expect("staff step");
    }
}

/// A 1×1 PNG as an attachment part.
pub fn png(name: &str) -> Part {
    crate::support::png_part(name)
}

/// The answer-link token in the latest forward (or reopen) mail of case `id`.
pub async fn link_token(app: &TestApp, id: i64) -> String {
    let mail = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ComplaintId.eq(id))
        .filter(mail_outbox::Column::Kind.is_in(["forward", "reopen"]))
        .order_by_desc(mail_outbox::Column::Id)
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("a forward mail");
    let at = mail.body_text.find("/respond/").expect("an answer link") + "/respond/".len();
    mail.body_text[at..].chars().take(64).collect()
}

/// Body of a JSON response.
pub async fn json(r: Response) -> Value {
    r.json().await.expect("json")
}
