//! `/my`: a consumer who lost the tracking code signs in with a single-use link mailed to the
//! complaint's email, sees only their complaints, adds to the story and the evidence, corrects
//! the phone number, chooses notifications and withdraws — and the email form reveals nothing
//! about who complained.
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::support::{
    browser, complaint_by_id, csrf_of, exec, location, make_user, spawn, staff, Complaint, Fetch,
    TestApp,
};
use downgrade_watch::domain::{Role, Status};
use downgrade_watch::entities::{evidence_file, mail_outbox};

/// Files a complaint with `email` (and a phone number).
async fn filed_by(app: &TestApp, email: &str, n: usize) -> (i64, String) {
    let f = Complaint::reference(n)
        .with(serde_json::json!({ "contact_email": email, "contact_phone": "13800138000" }))
        .file(app)
        .await;
    (f.id, f.code)
}

/// Asks for a sign-in link in a fresh browser; returns the browser and the response.
async fn ask(app: &TestApp, email: &str) -> (Client, reqwest::Response) {
    let client = browser();
    let csrf = csrf_of(&client.text_of(app.url("/my")).await);
    let r = client
        .post(app.url("/my"))
        .form(&[("csrf_token", csrf.as_str()), ("email", email)])
        .send()
        .await
        .expect("post");
    (client, r)
}

/// Waits for the sign-in mail to `email` and returns the link's token.
async fn link_token(app: &TestApp, email: &str, after_id: i64) -> String {
    let deadline = Instant::now() + StdDuration::from_secs(10);
    loop {
        let mail = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Kind.eq("my_link"))
            .filter(mail_outbox::Column::ToAddr.eq(email))
            .filter(mail_outbox::Column::Id.gt(after_id))
            .one(&app.state.db.read)
            .await
            .expect("outbox");
        if let Some(m) = mail {
            let at = m.body_text.find("/my/").expect("link") + 4;
            return m.body_text[at..]
                .chars()
                .take_while(|c| c.is_ascii_hexdigit())
                .collect();
        }
        assert!(Instant::now() < deadline, "no sign-in mail to {email}");
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
}

async fn my_links(app: &TestApp) -> usize {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Kind.eq("my_link"))
        .all(&app.state.db.read)
        .await
        .expect("outbox")
        .len()
}

/// Signs `email` in through a fresh link; the signed-in browser.
async fn signed_in_consumer(app: &TestApp, email: &str) -> Client {
    let (client, r) = ask(app, email).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The link goes to the address as normalised (trimmed, lower case).
    let token = link_token(app, &email.trim().to_lowercase(), 0).await;
    let r = client.fetch(app.url(&format!("/my/{token}"))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/my");
    client
}

async fn post_form(
    client: &Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_of(&client.text_of(app.url("/my")).await);
    let mut f: Vec<(&str, &str)> = form.to_vec();
    f.push(("csrf_token", &csrf));
    client
        .post(app.url(path))
        .form(&f)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn a_consumer_signs_in_by_mail_and_manages_only_their_own_complaints() {
    let app = spawn().await;
    make_user(&app, "admin@example.org", Role::Admin).await;
    let (a1, code1) = filed_by(&app, "Wang.Fang@Example.com", 1).await;
    let (a2, code2) = filed_by(&app, "wang.fang@example.com", 2).await;
    let (_, other_code) = filed_by(&app, "someone@example.org", 3).await;

    let client = signed_in_consumer(&app, " wang.fang@EXAMPLE.com ").await;
    let list = client.text_of(app.url("/my?lang=en")).await;
    assert!(list.contains(&code1) && list.contains(&code2), "{list}");
    assert!(!list.contains(&other_code));
    // Another consumer's case is not found, even by its code.
    let r = client
        .fetch(app.url(&format!("/my/cases/{other_code}")))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // A dated addition to the story: the original stays, staff see both.
    let r = post_form(
        &client,
        &app,
        &format!("/my/cases/{code1}/update"),
        &[("body", "12月3日又被扣了25元，截图见附件。")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rev = staff(&app, "rev@example.org", Role::Reviewer).await;
    let (_, case_page) = rev.page(&app, &format!("/staff/cases/{a1}")).await;
    assert!(
        case_page.contains("12月3日又被扣了25元"),
        "staff see the addition"
    );
    assert_eq!(
        complaint_by_id(&app, a1).await.narrative,
        Complaint::reference(1).doc()["narrative"]
            .as_str()
            .expect("narrative"),
        "the original story is unchanged"
    );

    // A PDF added later.
    let csrf = csrf_of(&client.text_of(app.url("/my")).await);
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let form = Form::new().text("csrf_token", csrf).part(
        "file",
        Part::bytes(pdf)
            .file_name("账单.pdf")
            .mime_str("application/pdf")
            .expect("mime"),
    );
    let r = client
        .post(app.url(&format!("/my/cases/{code1}/evidence")))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let files = evidence_file::Entity::find()
        .filter(evidence_file::Column::ComplaintId.eq(a1))
        .all(&app.state.db.read)
        .await
        .expect("files");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].content_type, "application/pdf");

    // A bad phone number is refused with a message and nothing changes; a good one is kept.
    let r = post_form(
        &client,
        &app,
        &format!("/my/cases/{code1}/contact?lang=en"),
        &[
            ("contact_name", "王芳"),
            ("contact_phone", "12345"),
            ("province", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        complaint_by_id(&app, a1).await.contact_phone.as_deref(),
        Some("13800138000")
    );
    let r = post_form(
        &client,
        &app,
        &format!("/my/cases/{code1}/contact"),
        &[
            ("contact_name", "王芳"),
            ("contact_phone", "139 0000 1111"),
            ("province", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = complaint_by_id(&app, a1).await;
    assert_eq!(c.contact_phone.as_deref(), Some("13900001111"));
    assert_eq!(c.contact_email.as_deref(), Some("Wang.Fang@Example.com"));

    // No more mail about the first case; a staff step then queues none for the consumer.
    let r = post_form(
        &client,
        &app,
        &format!("/my/cases/{code1}/notify"),
        &[("notify", "none")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let before = status_mails(&app, a1).await;
    assert_eq!(
        rev.act(&app, a1, "accept", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(status_mails(&app, a1).await, before);

    // Withdrawing the second case: withdrawn, and the admins are told.
    let r = post_form(
        &client,
        &app,
        &format!("/my/cases/{code2}/withdraw"),
        &[("reason", "已和商家协商解决")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(complaint_by_id(&app, a2).await.status, Status::Withdrawn);
    let told = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Kind.eq("consumer_withdrew"))
        .filter(mail_outbox::Column::ComplaintId.eq(a2))
        .all(&app.state.db.read)
        .await
        .expect("outbox");
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].to_addr, "admin@example.org");
    // A withdrawn case takes no more additions.
    let r = post_form(
        &client,
        &app,
        &format!("/my/cases/{code2}/update"),
        &[("body", "补充")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Signed out, the pages send the consumer back to the email form.
    let r = post_form(&client, &app, "/my/logout", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = client.fetch(app.url(&format!("/my/cases/{code1}"))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn status_mails(app: &TestApp, id: i64) -> usize {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Kind.eq("status"))
        .filter(mail_outbox::Column::ComplaintId.eq(id))
        .all(&app.state.db.read)
        .await
        .expect("outbox")
        .len()
}

#[tokio::test]
async fn sign_in_links_work_once_and_not_when_expired_or_altered() {
    let app = spawn().await;
    filed_by(&app, "li.lei@example.com", 1).await;
    let (client, _) = ask(&app, "li.lei@example.com").await;
    let token = link_token(&app, "li.lei@example.com", 0).await;
    let mut altered = token.clone();
    altered.replace_range(..1, if token.starts_with('0') { "1" } else { "0" });
    assert_eq!(
        client.status_of(app.url(&format!("/my/{altered}"))).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        client.status_of(app.url("/my/short")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        client.status_of(app.url(&format!("/my/{token}"))).await,
        StatusCode::SEE_OTHER
    );
    let again = browser();
    assert_eq!(
        again.status_of(app.url(&format!("/my/{token}"))).await,
        StatusCode::GONE
    );

    let last = mail_outbox::Entity::find()
        .all(&app.state.db.read)
        .await
        .expect("outbox")
        .iter()
        .map(|m| m.id)
        .max()
        .unwrap_or(0);
    ask(&app, "li.lei@example.com").await;
    let fresh = link_token(&app, "li.lei@example.com", last).await;
    exec(
        &app,
        "UPDATE consumer_links SET expires_at = $1",
        vec![(Utc::now() - Duration::seconds(1)).into()],
    )
    .await;
    let page = browser()
        .fetch(app.url(&format!("/my/{fresh}?lang=en")))
        .await;
    assert_eq!(page.status(), StatusCode::GONE);
    assert!(page.text().await.expect("text").contains("expired"));
}

#[tokio::test]
async fn the_email_form_answers_known_and_unknown_addresses_alike() {
    let app = spawn().await;
    for i in 0..8 {
        filed_by(&app, &format!("known{i}@example.org"), 1 + i % 4).await;
    }
    // Warm up the server and the database.
    ask(&app, "warmup@example.org").await;
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for i in 0..8 {
        for (email, times) in [
            (format!("known{i}@example.org"), &mut known),
            (format!("nobody{i}@example.org"), &mut unknown),
        ] {
            let start = Instant::now();
            let (_, r) = ask(&app, &email).await;
            times.push(start.elapsed());
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            assert_eq!(location(&r), "/my?sent=1", "{email}");
        }
    }
    known.sort();
    unknown.sort();
    let (k, u) = (known[4], unknown[4]);
    let diff = k.abs_diff(u);
    assert!(
        diff < StdDuration::from_millis(25) || diff < k.max(u) / 2,
        "median {k:?} for known addresses against {u:?} for unknown ones"
    );
    // Mail went only to the known addresses.
    let deadline = Instant::now() + StdDuration::from_secs(10);
    while my_links(&app).await < 8 && Instant::now() < deadline {
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    assert_eq!(my_links(&app).await, 8);
    // The page after the redirect is the same text for everyone.
    let page = browser().text_of(app.url("/my?sent=1&lang=en")).await;
    assert!(page.contains("If this email was used for a complaint"));
}

#[tokio::test]
async fn a_bad_email_is_refused_with_what_was_typed_kept() {
    let app = spawn().await;
    let (_, r) = ask(&app, "not-an-email").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("text");
    assert!(body.contains("value=\"not-an-email\""), "{body}");
}
