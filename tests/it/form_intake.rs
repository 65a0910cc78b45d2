use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::support::{form_token, intake_form, png_part, spawn, spawn_with, Fetch, Opts, TestApp};
use downgrade_watch::entities::{complaint, evidence_file};

/// The fields of a valid form, in browser order, before the narrative.
const BASE_FIELDS: &[(&str, &str)] = &[
    ("website", ""),
    ("sector", "video_membership"),
    ("company_name", "某视频平台"),
    ("requested_action", "downgrade"),
    ("channels_tried", "app"),
    ("channels_tried", "online_chat"),
    ("obstacles_reported", "WINDOW"),
    ("obstacles_reported", "BOT-WALL"),
    ("outcome", "gave_up"),
    ("price_from", "25"),
    ("contact_attempts", "5"),
    ("province", "440000"),
    ("contact_email", ""),
    ("consent_share_narrative", "on"),
    ("language", "zh-CN"),
];

/// The valid form under the token the page handed out (the form must be loaded first, like a
/// browser does).
fn base_form(token: &str) -> Form {
    intake_form(token, BASE_FIELDS)
}

/// How many complaints are stored.
async fn complaints_stored(app: &TestApp) -> u64 {
    complaint::Entity::find()
        .count(&app.state.db.read)
        .await
        .expect("count")
}

/// The one complaint the test filed.
async fn only_complaint(app: &TestApp) -> complaint::Model {
    complaint::Entity::find()
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("stored")
}

/// Posts `form`, expects the redirect to the receipt, and returns the one stored complaint.
async fn filed(app: &TestApp, form: Form) -> complaint::Model {
    let r = app.post_multipart("/complaints", form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    only_complaint(app).await
}

const STORY: &str = "降级选项藏在账户安全里，提示当前周期内不支持降级，请于到期前3日内再试，在线客服一直是机器人，不转人工。";

#[tokio::test]
async fn the_form_page_offers_every_field_and_plain_language_obstacles() {
    let app = spawn().await;
    let r = app.client.fetch(app.url("/complaints/new")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("text");
    for field in downgrade_watch::services::intake::FIELDS {
        assert!(
            html.contains(&format!("name=\"{field}\"")),
            "form lacks {field}"
        );
    }
    assert!(html.contains("name=\"evidence\"") && html.contains("multipart/form-data"));
    // Obstacles are offered in words, not as codes.
    assert!(!html.contains(">WINDOW<") && !html.contains(">BOT-WALL<"));
    assert!(html.contains("value=\"WINDOW\""));
    assert!(html.contains("<label for=\"narrative\">"));
}

#[tokio::test]
async fn a_valid_form_redirects_to_a_receipt_with_the_tracking_code() {
    let app = spawn().await;
    let token = form_token(&app).await;
    let form = base_form(&token)
        .text("narrative", STORY)
        .part("evidence", png_part("screen.png"));
    let r = app.post_multipart("/complaints", form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().expect("ascii").to_string();
    assert!(
        location.starts_with("/complaints/receipt/DW-"),
        "{location}"
    );
    let code = location
        .trim_start_matches("/complaints/receipt/")
        .to_string();
    let page = app.client.text_of(app.url(&location)).await;
    assert!(page.contains(&code));
    assert!(
        page.contains("7个工作日"),
        "receipt tells when the first review is due"
    );

    let c = only_complaint(&app).await;
    assert_eq!(c.status.code(), "received");
    assert_eq!(c.submitted_via, "web");
    assert_eq!(c.channels_tried, "app;online_chat");
    assert_eq!(c.price_from_fen, Some(2500));
    assert!(c.consent_share_narrative && !c.consent_contact_company);
    assert_eq!(
        evidence_file::Entity::find()
            .count(&app.state.db.read)
            .await
            .expect("count"),
        1
    );
}

#[tokio::test]
async fn an_invalid_form_is_shown_again_with_messages_and_everything_typed_kept() {
    let app = spawn().await;
    let token = form_token(&app).await;
    let narrative = "太短 <b>x</b>";
    let form = base_form(&token)
        .text("narrative", narrative)
        .text("contact_phone", "12345")
        .text("contact_name", "王小明");
    let r = app.post_multipart("/complaints", form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(html.contains("class=\"error-summary\""));
    assert!(html.contains("href=\"#narrative\"") && html.contains("href=\"#contact_phone\""));
    assert!(html.contains("id=\"narrative-error\"") && html.contains("id=\"contact_phone-error\""));
    // Values kept, and escaped.
    assert!(
        html.contains("太短 &lt;b&gt;x&lt;&#x2F;b&gt;"),
        "narrative kept escaped"
    );
    assert!(!html.contains("<b>x</b>"));
    assert!(html.contains("value=\"王小明\"") && html.contains("value=\"12345\""));
    assert!(html.contains("value=\"某视频平台\""));
    assert!(
        html.contains("value=\"WINDOW\" checked") && html.contains("value=\"BOT-WALL\" checked")
    );
    assert!(html.contains("value=\"online_chat\" checked"));
    assert!(
        html.contains("value=\"downgrade\" checked") && html.contains("value=\"gave_up\" checked")
    );
    assert!(
        html.contains("value=\"440000\" selected")
            && html.contains("value=\"video_membership\" selected")
    );
    assert!(html.contains(
        "id=\"consent_share_narrative\" name=\"consent_share_narrative\" value=\"on\" checked"
    ));
    assert_eq!(complaints_stored(&app).await, 0);
}

#[tokio::test]
async fn an_html_file_named_png_is_refused_on_the_form_and_nothing_is_lost() {
    let app = spawn().await;
    let token = form_token(&app).await;
    let form = base_form(&token).text("narrative", STORY).part(
        "evidence",
        Part::bytes(b"<html><script>alert(1)</script></html>".to_vec()).file_name("../../x.png"),
    );
    let r = app.post_multipart("/complaints", form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(html.contains("id=\"evidence-error\""));
    assert!(html.contains("x.png") && !html.contains("../../x.png"));
    assert!(html.contains(STORY));
    assert_eq!(complaints_stored(&app).await, 0);
}

#[tokio::test]
async fn the_honeypot_and_a_too_fast_submission_are_held_for_a_moderator() {
    let app = spawn_with(Opts {
        min_fill_seconds: 3,
        ..Opts::default()
    })
    .await;
    let token = form_token(&app).await;
    let c = filed(&app, base_form(&token).text("narrative", STORY)).await;
    assert_eq!(c.status.code(), "held");
    assert!(c.spam_reasons.contains("too_fast"));

    let app = spawn().await;
    let token = form_token(&app).await;
    let form = base_form(&token).text("narrative", STORY);
    // reqwest forms cannot overwrite a part; build one with the honeypot filled instead.
    let form = form.text("website", "http://spam.example");
    let c = filed(&app, form).await;
    assert_eq!(c.status.code(), "held");
    assert!(c.spam_reasons.contains("honeypot"), "{}", c.spam_reasons);
}

#[tokio::test]
async fn over_the_intake_limit_the_form_comes_back_with_429_and_values_kept() {
    let app = spawn_with(Opts {
        intake_limit: "1/minute".into(),
        ..Opts::default()
    })
    .await;
    let token = form_token(&app).await;
    let r = app
        .post_multipart("/complaints", base_form(&token).text("narrative", STORY))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_multipart("/complaints", base_form(&token).text("narrative", STORY))
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    let html = r.text().await.expect("text");
    assert!(html.contains(STORY) && html.contains("error-summary"));
}

#[tokio::test]
async fn a_form_without_a_token_is_held_rather_than_refused() {
    let app = spawn().await;
    let form = Form::new()
        .text("sector", "telecom")
        .text("company_name", "某通信运营商")
        .text("requested_action", "cancel")
        .text("narrative", STORY);
    let c = filed(&app, form).await;
    assert_eq!(c.status.code(), "held");
}
