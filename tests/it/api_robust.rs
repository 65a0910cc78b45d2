//! Regressions found by Schemathesis (tests/schemathesis/run) against /api/openapi.json: odd but
//! well-formed requests answer a documented 4xx with the common JSON error body, never a bare
//! extractor error, an undocumented status or a 5xx. Runs on SQLite and PostgreSQL.
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{api_token, reference_case, spawn, TestApp};
use downgrade_watch::domain::Role;

async fn admin_token(app: &TestApp) -> String {
    api_token(app, "admin@robust.test", Role::Admin).await
}

async fn get(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let r = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .header("accept-language", "en")
        .send()
        .await
        .expect("get");
    let status = r.status();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = r.text().await.expect("body");
    let json = if ct.starts_with("application/json") {
        serde_json::from_str(&body).expect("json body")
    } else {
        Value::String(body)
    };
    (status, json)
}

#[tokio::test]
async fn a_repeated_list_parameter_is_a_422_naming_it_not_a_bare_400() {
    let app = spawn().await;
    let t = admin_token(&app).await;
    for path in [
        "/api/v1/cases?limit=5&limit=6",
        "/api/v1/companies?limit=null&limit=null",
        "/api/v1/cases?q=abc&status=received&q=def",
    ] {
        let (status, body) = get(&app, &t, path).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        let errors = body["errors"].as_object().expect("errors object");
        assert_eq!(errors.len(), 1, "{path}: {body}");
        let (field, msgs) = errors.iter().next().expect("one field");
        assert!(path.contains(&format!("{field}=")), "{path}: {body}");
        assert_eq!(msgs[0], "Give this parameter only once.", "{path}: {body}");
    }
    // Unknown parameters are still ignored, repeated or not; the same list without repeats works.
    let (status, body) = get(&app, &t, "/api/v1/companies?x=1&x=2&limit=2").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["items"].is_array());
    let (status, body) = get(&app, &t, "/api/v1/cases?limit=2").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn an_upload_that_is_not_multipart_is_a_415_saying_what_to_send() {
    let app = spawn().await;
    let filed: Value = app
        .client
        .post(app.url("/api/v1/complaints"))
        .json(&reference_case(1))
        .send()
        .await
        .expect("file")
        .json()
        .await
        .expect("json");
    let code = filed["tracking_code"].as_str().expect("code");
    let token = filed["evidence_token"].as_str().expect("token");
    let url = app.url(&format!("/api/v1/complaints/{code}/evidence"));
    for (ct, body) in [
        (None, Vec::new()),
        (Some("application/json"), b"{}".to_vec()),
        (Some("multipart/form-data"), b"--x\r\n".to_vec()), // no boundary
    ] {
        let mut req = app
            .client
            .post(&url)
            .header("x-evidence-token", token)
            .header("accept-language", "en")
            .body(body);
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        let r = req.send().await.expect("post");
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}");
        let v: Value = r.json().await.expect("json");
        assert_eq!(v["error"]["code"], "media_type_multipart", "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("multipart/form-data")),
            "{v}"
        );
    }
    // The guards still come first: no token is a 401 whatever the body.
    let r = app.client.post(&url).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn undecodable_paths_and_nul_bytes_are_4xx_never_5xx() {
    let app = spawn().await;
    let t = admin_token(&app).await;
    // Percent-encoded bytes that are not UTF-8 in a path parameter: the documented 400.
    for path in ["/api/v1/complaints/%FF%FE", "/api/v1/cases/%FF"] {
        let (status, body) = get(&app, &t, path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert!(body["error"]["code"].is_string(), "{path}: {body}");
    }
    // NUL and other control characters in filters (PostgreSQL refuses NUL in text).
    let mut failed = Vec::new();
    for path in [
        "/api/v1/cases?q=ab%00cd",
        "/api/v1/cases?company=%00",
        "/api/v1/cases?cursor=%00",
        "/api/v1/companies?q=%00x",
        "/api/v1/companies?cursor=%00",
        "/api/v1/exports/complaints.ndjson?company=%00",
        "/api/v1/complaints/DW-%00",
        "/api/v1/cases/%00",
    ] {
        let (status, body) = get(&app, &t, path).await;
        if !(status.is_success() || status.is_client_error()) {
            failed.push(format!("{path}: {status} {body}"));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
    // The list filters say which parameter to fix.
    for (path, field) in [
        ("/api/v1/cases?company=%00", "company"),
        ("/api/v1/companies?q=%00x", "q"),
        ("/api/v1/companies?q=a%1Bb", "q"),
    ] {
        let (status, body) = get(&app, &t, path).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(
            body["errors"][field][0], "Remove invisible control characters from this field.",
            "{path}: {body}"
        );
    }
}
