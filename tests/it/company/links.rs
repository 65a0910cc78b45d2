//! Signed answer links: one case, no account, single use, refused clearly when expired or
//! altered, and safe when two answers race.
use reqwest::multipart::Form;
use reqwest::StatusCode;

use super::support::{firm, forwarded, link_token, png};
use crate::support::{complaint_by_id, exec, spawn, Complaint, TestApp};
use downgrade_watch::services::responses::answers;

fn answer(category: &str, text: &str) -> Form {
    Form::new()
        .text("category", category.to_string())
        .text("text", text.to_string())
}

async fn post(app: &TestApp, token: &str, form: Form) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/respond/{token}")))
        .multipart(form)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn a_company_without_an_account_answers_once_through_the_link_in_its_mail() {
    let app = spawn().await;
    firm(&app, "癸通信公司").await;
    let f = forwarded(&app, Complaint::reference(1).company("癸通信公司")).await;
    let token = link_token(&app, f.id).await;
    assert_eq!(token.len(), 64);

    let r = app.get(&format!("/respond/{token}?lang=en")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("text");
    assert!(html.contains(&f.code) && html.contains("Send answer") && html.contains("癸通信公司"));
    assert!(html.contains("lang=\"en\""));

    // Bad input is explained and what was typed kept.
    let r = post(&app, &token, answer("", "我们已经处理好了这件事")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("text")
        .contains(">我们已经处理好了这件事</textarea>"));

    let r = post(
        &app,
        &token,
        answer("partly_resolved", "已退还部分费用，降级需到期后办理。")
            .part("file", png("退款凭证.png")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.text().await.expect("text").contains("Answer sent"),
        "in the language chosen earlier"
    );
    let c = complaint_by_id(&app, f.id).await;
    assert_eq!(c.status.code(), "responded");
    let given = answers(&app.state.db.read, f.id).await.expect("answers");
    assert_eq!(given.len(), 1);
    assert_eq!(given[0].via, "link");
    assert_eq!(given[0].files.len(), 1);

    // Used: the link is refused with a page that says so, for reading and for answering.
    let r = app.get(&format!("/respond/{token}")).await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert!(r
        .text()
        .await
        .expect("text")
        .contains("An answer has been given through this link"));
    let r = post(&app, &token, answer("refunded", "再次提交一次答复。")).await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert_eq!(
        answers(&app.state.db.read, f.id)
            .await
            .expect("answers")
            .len(),
        1
    );
}

#[tokio::test]
async fn expired_and_altered_links_are_refused_with_a_clear_page() {
    let app = spawn().await;
    firm(&app, "子视频平台").await;
    let f = forwarded(&app, Complaint::reference(1).company("子视频平台")).await;
    let token = link_token(&app, f.id).await;

    // Altered: one character changed, cut short, or not hex at all.
    let mut altered = token.clone();
    let last = if altered.ends_with('0') { "1" } else { "0" };
    altered.replace_range(63..64, last);
    for bad in [altered.as_str(), &token[..40], "x"] {
        let r = app.get(&format!("/respond/{bad}?lang=en")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{bad}");
        assert!(r
            .text()
            .await
            .expect("text")
            .contains("The link is not valid"));
        let r = post(&app, bad, answer("refunded", "已退款，谢谢。")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }

    // Expired.
    exec(
        &app,
        "UPDATE response_links SET expires_at = $1 WHERE complaint_id = $2",
        vec![
            (chrono::Utc::now() - chrono::Duration::minutes(1)).into(),
            f.id.into(),
        ],
    )
    .await;
    let r = app.get(&format!("/respond/{token}?lang=en")).await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert!(r.text().await.expect("text").contains("has expired"));
    let r = post(&app, &token, answer("refunded", "已退款，谢谢。")).await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert_eq!(complaint_by_id(&app, f.id).await.status.code(), "forwarded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_answers_racing_through_one_link_record_one() {
    let app = spawn().await;
    firm(&app, "丑云存储").await;
    let f = forwarded(&app, Complaint::reference(4).company("丑云存储")).await;
    let token = link_token(&app, f.id).await;
    let (a, b) = tokio::join!(
        post(
            &app,
            &token,
            answer("downgraded", "已办理降级到200GB套餐。")
        ),
        post(&app, &token, answer("refunded", "已退还本月多扣的24元。"))
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses[0], StatusCode::OK, "{statuses:?}");
    assert!(
        [StatusCode::CONFLICT, StatusCode::GONE].contains(&statuses[1]),
        "{statuses:?}"
    );
    assert_eq!(
        answers(&app.state.db.read, f.id)
            .await
            .expect("answers")
            .len(),
        1
    );
}
