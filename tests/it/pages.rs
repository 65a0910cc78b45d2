use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{reference_case, spawn, Fetch};

#[tokio::test]
async fn health_and_readiness_answer_200() {
    let app = spawn().await;
    assert_eq!(
        app.client.status_of(app.url("/healthz")).await,
        StatusCode::OK
    );
    let r = app.client.fetch(app.url("/readyz")).await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_home_page_explains_the_service_in_chinese_by_default_and_english_on_request() {
    let app = spawn().await;
    let r = app.client.fetch(app.url("/")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers().clone();
    let html = r.text().await.expect("text");
    assert!(
        html.contains("lang=\"zh-CN\"")
            && html.contains("我要投诉")
            && html.contains("谁能看到什么")
    );
    assert!(html.contains("href=\"/complaints/new\""));
    assert!(h["content-security-policy"]
        .to_str()
        .expect("ascii")
        .contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert!(h.contains_key("x-request-id"));

    let html = app
        .client
        .get(app.url("/"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    assert!(html.contains("lang=\"en\"") && html.contains("Who sees what"));

    // ?lang= sets a cookie that later requests follow, whatever Accept-Language says.
    let r = app.client.fetch(app.url("/?lang=en")).await;
    assert!(r.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .starts_with("lang=en"));
    let html = app
        .client
        .get(app.url("/track"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    assert!(html.contains("Track a complaint"));
}

#[tokio::test]
async fn tracking_shows_status_and_timeline_but_never_the_story_or_contact_data() {
    let app = spawn().await;
    let mut doc = reference_case(2);
    doc["contact_email"] = serde_json::json!("secret.person@example.com");
    doc["contact_phone"] = serde_json::json!("13912345678");
    let v: Value = app
        .post_json("/api/v1/complaints", &doc)
        .await
        .json()
        .await
        .expect("json");
    let code = v["tracking_code"].as_str().expect("code").to_string();

    // What people type: lower case, spaces, no prefix.
    let typed = code
        .trim_start_matches("DW-")
        .replace('-', " ")
        .to_lowercase();
    let r = app
        .client
        .fetch(app.url(&format!("/track?code={}", urlencode(&typed))))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], format!("/track/{code}").as_str());

    let html = app.client.text_of(app.url(&format!("/track/{code}"))).await;
    assert!(html.contains(&code) && html.contains("已收到") && html.contains("某视频平台"));
    assert!(
        !html.contains("secret.person")
            && !html.contains("13912345678")
            && !html.contains("账户安全")
    );

    let r = app.client.fetch(app.url("/track?code=hello")).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.expect("text").contains("DW-XXXX-XXXX"));
    let r = app.client.fetch(app.url("/track/DW-2345-6789")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_pages_get_a_localised_html_404() {
    let app = spawn().await;
    let r = app
        .client
        .get(app.url("/no/such/page"))
        .header("accept-language", "en")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let html = r.text().await.expect("text");
    assert!(html.contains("does not exist") && html.contains("<html"));
    let r = app
        .client
        .fetch(app.url("/complaints/receipt/..%2F..%2Fetc"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn static_css_is_served_and_pages_render_in_both_languages() {
    let app = spawn().await;
    let r = app.client.fetch(app.url("/static/app.css")).await;
    assert_eq!(r.status(), StatusCode::OK);
    for lang in ["zh-CN", "en"] {
        for path in ["/", "/complaints/new", "/track", "/privacy"] {
            let r = app
                .client
                .fetch(app.url(&format!("{path}?lang={lang}")))
                .await;
            assert_eq!(r.status(), StatusCode::OK, "{path} {lang}");
        }
    }
}

fn urlencode(s: &str) -> String {
    s.replace(' ', "%20")
}
