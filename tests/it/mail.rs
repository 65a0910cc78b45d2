use std::time::Duration;

use serde_json::json;

use crate::support::{file, reference_case, spawn_with, Fetch, Opts, SmtpServer};

#[tokio::test]
async fn a_receipt_in_the_consumers_language_reaches_a_real_smtp_server() {
    let smtp = SmtpServer::start().await;
    let app = spawn_with(Opts {
        smtp_url: Some(smtp.url()),
        ..Opts::default()
    })
    .await;

    let mut zh = reference_case(1);
    zh["contact_email"] = json!("li.lei@example.com");
    let zh_code = file(&app, &zh).await.code;
    let mut en = reference_case(4);
    en["contact_email"] = json!("jane@example.org");
    en["language"] = json!("en");
    let en_code = file(&app, &en).await.code;

    let mails = smtp.wait_for(2, Duration::from_secs(15)).await;
    assert_eq!(mails.len(), 2, "two receipts");
    let zh_mail = mails
        .iter()
        .find(|m| m.to.iter().any(|t| t.contains("li.lei@example.com")))
        .expect("zh receipt");
    let text = zh_mail.text();
    assert!(text.contains(&zh_code), "receipt has the tracking code");
    assert!(
        text.contains("投诉已收到") || zh_mail.data.contains("=?utf-8?"),
        "Chinese subject"
    );
    assert!(text.contains("审核人员将在"), "Chinese body");
    assert!(text.contains(&format!("http://downgrade-watch.test/track/{zh_code}")));
    let en_mail = mails
        .iter()
        .find(|m| m.to.iter().any(|t| t.contains("jane@example.org")))
        .expect("en receipt");
    let text = en_mail.text();
    assert!(
        text.contains(&en_code) && text.contains("Complaint received"),
        "{text}"
    );
    assert!(!text.contains("审核人员"));

    // No receipt without an email address.
    file(&app, &reference_case(2)).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(smtp.mails().len(), 2);
}

#[tokio::test]
async fn a_receipt_queued_while_smtp_is_down_arrives_exactly_once_after_it_returns() {
    let mut smtp = SmtpServer::start().await;
    let app = spawn_with(Opts {
        smtp_url: Some(smtp.url()),
        ..Opts::default()
    })
    .await;
    smtp.pause().await;
    let mut doc = reference_case(3);
    doc["contact_email"] = json!("wang@example.com");
    let code = file(&app, &doc).await.code;
    // The request did not wait on SMTP; give the worker time to fail at least once.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(smtp.mails().is_empty());
    let row = downgrade_watch::entities::mail_outbox::Entity::find_all_for_test(&app).await;
    assert!(
        row.iter()
            .any(|r| r.attempts >= 1 && r.last_error.is_some() && r.status == "pending"),
        "failure recorded: {row:?}"
    );
    // An admin sees the attempts and the last error on the outbox page, the address masked.
    crate::support::make_user(
        &app,
        "admin@example.org",
        downgrade_watch::domain::Role::Admin,
    )
    .await;
    let admin = crate::support::signed_in(&app, "admin@example.org").await;
    let html = admin
        .text_of(app.url("/staff/outbox?status=pending&lang=en"))
        .await;
    let cells = crate::faults::table_row_with(&html, "w***@example.com")
        .expect("the queued receipt is listed, masked");
    assert!(
        !html.contains("wang@example.com"),
        "the full address is never shown"
    );
    // Columns: no., queued, kind, recipient, status, attempts, last error, next attempt, sent, case.
    assert_eq!(cells[4], "Waiting", "{cells:?}");
    assert!(
        cells[5].parse::<i32>().is_ok_and(|n| n >= 1),
        "attempts shown: {cells:?}"
    );
    assert!(
        cells[6].to_lowercase().contains("connect"),
        "last error shown: {cells:?}"
    );
    assert_ne!(cells[7], "–", "next attempt shown: {cells:?}");

    smtp.resume().await;
    let mails = smtp.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].text().contains(&code));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(smtp.mails().len(), 1, "sent exactly once");
    let row = downgrade_watch::entities::mail_outbox::Entity::find_all_for_test(&app).await;
    assert_eq!(row[0].status, "sent");
}

#[tokio::test]
async fn without_smtp_url_mail_is_written_as_eml_files() {
    let app = spawn_with(Opts::default()).await;
    let mut doc = reference_case(1);
    doc["contact_email"] = json!("zhao@example.com");
    let code = file(&app, &doc).await.code;
    let dir = app.data_dir.path().join("outbox");
    let mut found = None;
    for _ in 0..100 {
        if let Ok(rd) = std::fs::read_dir(&dir) {
            found = rd
                .filter_map(Result::ok)
                .find(|e| e.path().extension().is_some_and(|x| x == "eml"));
            if found.is_some() {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let path = found.expect("an .eml file").path();
    let raw = std::fs::read_to_string(path).expect("read");
    assert!(crate::support::decode_mime(&raw).contains(&code));
    assert!(raw.contains("zhao@example.com"));
}

trait FindAll {
    async fn find_all_for_test(
        app: &crate::support::TestApp,
    ) -> Vec<downgrade_watch::entities::mail_outbox::Model>;
}

impl FindAll for downgrade_watch::entities::mail_outbox::Entity {
    async fn find_all_for_test(
        app: &crate::support::TestApp,
    ) -> Vec<downgrade_watch::entities::mail_outbox::Model> {
        use sea_orm::EntityTrait;
        downgrade_watch::entities::mail_outbox::Entity::find()
            .all(&app.state.db.read)
            .await
            .expect("query")
    }
}
