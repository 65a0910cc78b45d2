//! Complaints as the public files them (through the API or the form), and reading them back.
use reqwest::multipart::Form;
use reqwest::{Response, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use super::{reference_case, TestApp};
use downgrade_watch::entities::complaint;

/// A complaint filed through the API: database id, tracking code and evidence token.
#[derive(Debug, Clone)]
pub struct Filed {
    pub id: i64,
    pub code: String,
    pub token: String,
}

/// What to file: a reference case with some fields changed.
#[derive(Debug, Clone)]
pub struct Complaint {
    doc: Value,
}

impl Complaint {
    /// Reference case `n` of cases.md as it stands.
    pub fn reference(n: usize) -> Complaint {
        Complaint {
            doc: reference_case(n),
        }
    }

    /// Any intake document.
    pub fn from_doc(doc: Value) -> Complaint {
        Complaint { doc }
    }

    pub fn company(self, name: &str) -> Complaint {
        self.set("company_name", json!(name))
    }

    pub fn narrative(self, text: &str) -> Complaint {
        self.set("narrative", json!(text))
    }

    pub fn consent_share(self, yes: bool) -> Complaint {
        self.set("consent_share_narrative", json!(yes))
    }

    /// Sets one field of the intake document.
    pub fn set(mut self, field: &str, value: Value) -> Complaint {
        self.doc[field] = value;
        self
    }

    /// Sets every field of `fields` (a JSON object).
    pub fn with(mut self, fields: Value) -> Complaint {
        self.doc = with(self.doc, fields);
        self
    }

    pub fn doc(&self) -> &Value {
        &self.doc
    }

    pub fn into_doc(self) -> Value {
        self.doc
    }

    /// Files it through the API (expecting 201).
    pub async fn file(&self, app: &TestApp) -> Filed {
        file(app, &self.doc).await
    }
}

/// `doc` with every field of `extra` (a JSON object) set.
fn with(mut doc: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().expect("object") {
        doc[k] = v.clone();
    }
    doc
}

/// POSTs an intake document to the API, whatever the answer.
async fn post_complaint(app: &TestApp, doc: &Value) -> Response {
    app.post_json("/api/v1/complaints", doc).await
}

/// Files `doc` through the API, expecting 201.
pub async fn file(app: &TestApp, doc: &Value) -> Filed {
    let r = post_complaint(app, doc).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.expect("json");
    let code = v["tracking_code"].as_str().expect("code").to_string();
    Filed {
        id: complaint_by_code(app, &code).await.id,
        code,
        token: v["evidence_token"].as_str().expect("token").to_string(),
    }
}

/// The complaint with tracking code `code`, if there is one.
async fn find_by_code(app: &TestApp, code: &str) -> Option<complaint::Model> {
    complaint::Entity::find()
        .filter(complaint::Column::TrackingCode.eq(code))
        .one(&app.state.db.read)
        .await
        .expect("query")
}

/// The complaint with tracking code `code`.
pub async fn complaint_by_code(app: &TestApp, code: &str) -> complaint::Model {
    find_by_code(app, code).await.expect("complaint")
}

/// The complaint with id `id`.
pub async fn complaint_by_id(app: &TestApp, id: i64) -> complaint::Model {
    complaint::Entity::find_by_id(id)
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("complaint")
}

/// Uploads `form` as evidence for `f` through the API.
pub async fn upload_evidence(app: &TestApp, f: &Filed, form: Form) -> Response {
    app.client
        .post(app.url(&format!("/api/v1/complaints/{}/evidence", f.code)))
        .header("X-Evidence-Token", &f.token)
        .multipart(form)
        .send()
        .await
        .expect("upload")
}
