//! The company API with a company user's bearer token.
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{firm, forwarded, json, png};
use crate::support::{api_token, bearer_get, spawn, token_for, Complaint, TestApp};
use downgrade_watch::domain::Role;
use downgrade_watch::services::accounts;

async fn company_token(app: &TestApp, email: &str, company: i64) -> String {
    let id = accounts::create_company_user(&app.state.db.write, email, "", company, None)
        .await
        .expect("user")
        .id;
    token_for(app, id).await
}

async fn answer(app: &TestApp, token: &str, code: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/company/cases/{code}/response")))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn a_company_script_lists_reads_and_answers_its_cases_and_nothing_else() {
    let app = spawn().await;
    let a = firm(&app, "庚音乐平台").await;
    firm(&app, "辛游戏公司").await;
    let one = forwarded(&app, Complaint::reference(1).company("庚音乐平台")).await;
    let two = forwarded(&app, Complaint::reference(4).company("庚音乐平台")).await;
    let theirs = forwarded(&app, Complaint::reference(1).company("辛游戏公司")).await;
    let unforwarded = Complaint::reference(1)
        .company("庚音乐平台")
        .file(&app)
        .await;
    let token = company_token(&app, "api@geng.example", a).await;

    let r = bearer_get(&app, &token, "/api/v1/company/cases?limit=1").await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = json(r).await;
    assert_eq!(page["items"].as_array().expect("items").len(), 1);
    let item = &page["items"][0];
    for key in ["tracking_code", "forwarded_at", "response_due_on", "status"] {
        assert!(!item[key].is_null(), "{key} in {item}");
    }
    let cursor = page["next_cursor"].as_str().expect("a next page");
    let next = json(
        bearer_get(
            &app,
            &token,
            &format!("/api/v1/company/cases?limit=1&cursor={cursor}"),
        )
        .await,
    )
    .await;
    let mut codes: Vec<String> = [item, &next["items"][0]]
        .iter()
        .map(|i| i["tracking_code"].as_str().unwrap_or("").to_string())
        .collect();
    codes.sort();
    let mut expected = vec![one.code.clone(), two.code.clone()];
    expected.sort();
    assert_eq!(codes, expected, "its two forwarded cases, nothing else");
    assert!(next["next_cursor"].is_null());

    let r = bearer_get(&app, &token, "/api/v1/company/cases?filter=late").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(r).await["errors"]["filter"].is_array());

    let r = bearer_get(&app, &token, &format!("/api/v1/company/cases/{}", one.code)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let case = json(r).await;
    assert_eq!(case["tracking_code"], one.code.as_str());
    assert!(case.get("notes").is_none() && case.get("assigned_to").is_none());
    for code in [&theirs.code, &unforwarded.code] {
        let r = bearer_get(&app, &token, &format!("/api/v1/company/cases/{code}")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{code}");
        let r = answer(
            &app,
            &token,
            code,
            &json!({"category": "refunded", "text": "已退款。谢谢"}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "answer {code}");
    }

    // Bad answers: one message per field.
    let r = answer(
        &app,
        &token,
        &one.code,
        &json!({"category": "fixed", "text": "ok"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(r).await["errors"]["category"].is_array());
    let r = answer(
        &app,
        &token,
        &one.code,
        &json!({"category": "refunded", "text": "ok"}),
    )
    .await;
    assert!(json(r).await["errors"]["text"].is_array());
    let r = answer(
        &app,
        &token,
        &one.code,
        &json!({"category": "refunded", "text": "已全额退款。", "notes": "x"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(r).await["errors"]["notes"].is_array());

    let r = answer(
        &app,
        &token,
        &one.code,
        &json!({"category": "refunded", "text": "已全额退还多扣的51元。"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v = json(r).await;
    assert_eq!(v["status"], "responded");
    assert_eq!(v["answers"][0]["via"], "api");
    let r = answer(
        &app,
        &token,
        &one.code,
        &json!({"category": "refunded", "text": "再答复一次。谢谢"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(json(r).await["error"].is_object());

    // Multipart with an attachment.
    let form = reqwest::multipart::Form::new()
        .text("category", "downgraded")
        .text("text", "Downgraded to the 6 yuan plan from next month.")
        .part("file", png("receipt.png"));
    let r = app
        .client
        .post(app.url(&format!("/api/v1/company/cases/{}/response", two.code)))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CREATED);
    let v = json(r).await;
    assert_eq!(v["answers"][0]["files"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["answers"][0]["language"], "en");

    let answered =
        json(bearer_get(&app, &token, "/api/v1/company/cases?filter=answered").await).await;
    assert_eq!(answered["items"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn company_and_staff_tokens_stay_on_their_own_side() {
    let app = spawn().await;
    let a = firm(&app, "壬云服务").await;
    let company = company_token(&app, "api@ren.example", a).await;
    let staff = api_token(&app, "reviewer@example.org", Role::Reviewer).await;
    for path in [
        "/api/v1/cases",
        "/api/v1/me",
        "/api/v1/companies",
        "/api/v1/exports/complaints.csv",
    ] {
        assert_eq!(
            bearer_get(&app, &company, path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        bearer_get(&app, &staff, "/api/v1/company/cases")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/company/cases").await.status(),
        StatusCode::UNAUTHORIZED
    );
}
