//! The company loop from the association's side: a forwarded case carries a signed answer link;
//! the company's answer (with an attachment) reaches the consumer, who disputes it on the
//! tracking page; the case comes back to staff as disputed; staff ask for a follow-up; a request
//! for more time moves the due date once; a tracking code in the search box opens the case;
//! editing the holiday table moves open due dates; company mail carries Reply-To.
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::support::{
    audit_rows, complaint_by_id, exec, spawn, spawn_with, staff, tiny_png, Complaint, Fetch,
    NewCompany, Opts, SmtpServer, Staff, TestApp,
};
use downgrade_watch::domain::format::today;
use downgrade_watch::domain::response::parse;
use downgrade_watch::domain::{Language, ResponseVia, Role, Status};
use downgrade_watch::entities::{company_response, mail_outbox, response_file};
use downgrade_watch::services::audit::Actor;
use downgrade_watch::services::responses::{
    self, extension, links, AnswerError, Responder, Upload,
};

/// A complaint with consent and an email, accepted, linked to `company` and forwarded by `rev`.
async fn forwarded_case(app: &TestApp, rev: &Staff, company: &str, lang: &str) -> (i64, String) {
    let filed = Complaint::reference(1)
        .company(company)
        .with(serde_json::json!({
            "consent_contact_company": true,
            "contact_email": "consumer@example.org",
            "language": lang,
        }))
        .file(app)
        .await;
    for (action, fields) in [
        ("accept", vec![]),
        ("company", vec![("company_name", company)]),
        ("forward", vec![]),
    ] {
        let r = rev.act(app, filed.id, action, &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{action}");
    }
    (filed.id, filed.code)
}

/// The newest mail of `kind` about case `id`.
async fn last_mail(app: &TestApp, kind: &str, id: i64) -> mail_outbox::Model {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Kind.eq(kind))
        .filter(mail_outbox::Column::ComplaintId.eq(id))
        .all(&app.state.db.read)
        .await
        .expect("outbox")
        .into_iter()
        .max_by_key(|m| m.id)
        .unwrap_or_else(|| panic!("no {kind} mail for case {id}"))
}

/// The answer-link token in a mail body.
fn token_in(body: &str) -> String {
    let at = body.find("/respond/").expect("an answer link in the mail") + "/respond/".len();
    body[at..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

fn link_responder(company_id: i64, link_id: i64) -> Responder {
    Responder {
        company_id,
        user_id: None,
        via: ResponseVia::Link,
        label: "answer link".into(),
        link_id: Some(link_id),
    }
}

#[tokio::test]
async fn an_answer_through_the_link_reaches_the_consumer_who_disputes_it() {
    let app = spawn().await;
    let rev = staff(&app, "rev@example.org", Role::Reviewer).await;
    let company = NewCompany::named("链接答复科技")
        .contact("answers@link.example")
        .add(&app)
        .await;
    let (id, code) = forwarded_case(&app, &rev, "链接答复科技", "en").await;

    let forward = last_mail(&app, "forward", id).await;
    assert_eq!(forward.to_addr, "answers@link.example");
    let token = token_in(&forward.body_text);
    assert_eq!(token.len(), 64, "{}", forward.body_text);
    assert!(forward.body_html.contains(&token));

    let now = Utc::now();
    let (link, case) = links::resolve(&app.state.db.read, &token, now)
        .await
        .expect("db")
        .expect("a fresh link works");
    assert_eq!(case.id, id);
    // An altered token matches nothing.
    let mut altered = token.clone();
    altered.replace_range(0..1, if token.starts_with('a') { "b" } else { "a" });
    assert_eq!(
        links::resolve(&app.state.db.read, &altered, now)
            .await
            .expect("db")
            .err(),
        Some(links::LinkRefused::Unknown)
    );

    let answer = parse(
        "refunded",
        "We refunded the CNY 30 difference on 3 November.",
    )
    .unwrap();
    let upload = Upload {
        name: Some("refund.png".into()),
        bytes: tiny_png(),
    };
    responses::record(
        &app.state.case_work(),
        &app.state.config.evidence_dir(),
        &link_responder(company, link.id),
        id,
        answer.clone(),
        Language::En,
        vec![upload.clone()],
        now,
    )
    .await
    .expect("the answer is recorded");

    let c = complaint_by_id(&app, id).await;
    assert_eq!(c.status, Status::Responded);
    assert_eq!(c.response_category.as_deref(), Some("refunded"));
    assert_eq!(c.response_timely, Some(true));
    let rows = company_response::Entity::find()
        .filter(company_response::Column::ComplaintId.eq(id))
        .all(&app.state.db.read)
        .await
        .expect("answers");
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].via.as_str(), rows[0].late), ("link", false));
    let files = response_file::Entity::find()
        .filter(response_file::Column::ResponseId.eq(rows[0].id))
        .all(&app.state.db.read)
        .await
        .expect("files");
    assert_eq!(files.len(), 1);
    assert!(app
        .state
        .config
        .evidence_dir()
        .join(&files[0].stored_name)
        .exists());

    // The link is used up: a second answer through it is refused.
    assert_eq!(
        links::resolve(&app.state.db.read, &token, Utc::now())
            .await
            .expect("db")
            .err(),
        Some(links::LinkRefused::Used)
    );
    let again = responses::record(
        &app.state.case_work(),
        &app.state.config.evidence_dir(),
        &link_responder(company, link.id),
        id,
        answer,
        Language::En,
        vec![upload],
        Utc::now(),
    )
    .await;
    assert!(matches!(again, Err(AnswerError::NotAwaiting)), "{again:?}");

    // The consumer is told, in English, with the category and the verdict question.
    let status = last_mail(&app, "status", id).await;
    assert_eq!(status.to_addr, "consumer@example.org");
    assert!(
        status.body_text.contains("Refunded"),
        "{}",
        status.body_text
    );
    assert!(
        status.body_text.contains("satisfied"),
        "{}",
        status.body_text
    );

    // The tracking page shows the answer, never staff notes, and asks for a verdict.
    rev.submit(
        &app,
        &format!("/staff/cases/{id}/note"),
        &[("body", "内部备注：勿外传")],
    )
    .await;
    let page = app.client.text_of(app.url(&format!("/track/{code}"))).await;
    assert!(page.contains("We refunded the CNY 30 difference"), "{page}");
    assert!(page.contains("name=\"feedback\""));
    assert!(!page.contains("内部备注"));

    // Not satisfied: the case is disputed and back in front of staff.
    let r = app
        .client
        .post(app.url(&format!("/track/{code}/verdict")))
        .form(&[
            ("feedback", "not_satisfied"),
            ("reason", "Still charged in December"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = complaint_by_id(&app, id).await;
    assert_eq!(c.consumer_feedback.as_deref(), Some("not_satisfied"));
    assert!(c.consumer_disputed);
    let (_, queue) = rev.page(&app, "/staff/cases?disputed=1").await;
    assert!(queue.contains(&code), "{queue}");
    let (_, home) = rev.page(&app, "/staff").await;
    assert!(home.contains("/staff/cases?disputed=1"), "{home}");

    // One verdict per answer.
    let r = app
        .client
        .post(app.url(&format!("/track/{code}/verdict")))
        .form(&[("feedback", "satisfied"), ("reason", "")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Staff ask for a follow-up: a new due date and a new, different link.
    let r = rev
        .act(
            &app,
            id,
            "reopen",
            &[("reason", "消费者称12月仍被扣费，请核实。")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = complaint_by_id(&app, id).await;
    assert_eq!(c.status, Status::Forwarded);
    let reopen = last_mail(&app, "reopen", id).await;
    let token2 = token_in(&reopen.body_text);
    assert_ne!(token2, token);
    assert!(reopen.body_text.contains("12月仍被扣费"));
    let stale = downgrade_watch::store::rollup::mismatches(&app.state.db.read)
        .await
        .expect("recount");
    assert!(stale.is_empty(), "rollups differ from a recount: {stale:?}");
}

#[tokio::test]
async fn bad_answers_and_expired_links_are_refused_without_a_trace() {
    let app = spawn().await;
    let rev = staff(&app, "rev@example.org", Role::Reviewer).await;
    let company = NewCompany::named("过期链接公司")
        .contact("answers@expired.example")
        .add(&app)
        .await;
    let other = NewCompany::named("别家公司").add(&app).await;
    let (id, _) = forwarded_case(&app, &rev, "过期链接公司", "zh-CN").await;
    let token = token_in(&last_mail(&app, "forward", id).await.body_text);
    let (link, _) = links::resolve(&app.state.db.read, &token, Utc::now())
        .await
        .expect("db")
        .expect("link");

    // Another company cannot answer this case.
    let answer = parse("downgraded", "已为用户降级到基础套餐。").unwrap();
    let r = responses::record(
        &app.state.case_work(),
        &app.state.config.evidence_dir(),
        &link_responder(other, link.id),
        id,
        answer.clone(),
        Language::ZhCn,
        vec![],
        Utc::now(),
    )
    .await;
    assert!(matches!(r, Err(AnswerError::NotFound)), "{r:?}");
    // A file that is not an image or PDF is refused before anything is stored.
    let r = responses::record(
        &app.state.case_work(),
        &app.state.config.evidence_dir(),
        &link_responder(company, link.id),
        id,
        answer,
        Language::ZhCn,
        vec![Upload {
            name: Some("x.html".into()),
            bytes: b"<script>alert(1)</script>".to_vec(),
        }],
        Utc::now(),
    )
    .await;
    assert!(matches!(r, Err(AnswerError::File(0, _))), "{r:?}");
    assert_eq!(complaint_by_id(&app, id).await.status, Status::Forwarded);

    // Past its last day the link is refused as expired.
    exec(
        &app,
        "UPDATE response_links SET expires_at = $1 WHERE id = $2",
        vec![(Utc::now() - Duration::minutes(1)).into(), link.id.into()],
    )
    .await;
    assert_eq!(
        links::resolve(&app.state.db.read, &token, Utc::now())
            .await
            .expect("db")
            .err(),
        Some(links::LinkRefused::Expired)
    );
}

#[tokio::test]
async fn more_time_is_asked_once_and_a_grant_moves_the_due_date() {
    let app = spawn().await;
    let rev = staff(&app, "rev@example.org", Role::Reviewer).await;
    let company = NewCompany::named("延期公司")
        .contact("answers@later.example")
        .add(&app)
        .await;
    let (id, _) = forwarded_case(&app, &rev, "延期公司", "zh-CN").await;
    let due = complaint_by_id(&app, id)
        .await
        .response_due_on
        .expect("due");
    let actor = Actor {
        user_id: None,
        label: "company".into(),
    };
    let db = &app.state.db.write;
    let asked = extension::request(
        db,
        &actor,
        company,
        id,
        "需要调取账单".into(),
        3,
        Utc::now(),
    )
    .await;
    assert!(asked.is_ok(), "{asked:?}");
    let twice = extension::request(db, &actor, company, id, "再延".into(), 3, Utc::now()).await;
    assert!(
        matches!(twice, Err(Ok(extension::ExtensionError::AlreadyAsked))),
        "{twice:?}"
    );
    assert_eq!(
        extension::parse_days("11"),
        Err(extension::ExtensionError::Days)
    );

    let (_, home) = rev.page(&app, "/staff").await;
    assert!(
        home.contains(&format!("/staff/cases/{id}#extension-title")),
        "{home}"
    );
    let r = rev
        .act(&app, id, "extension", &[("decision", "grant")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let moved = complaint_by_id(&app, id)
        .await
        .response_due_on
        .expect("due");
    let calendar = app.state.reference().calendar.clone();
    assert_eq!(moved, calendar.add_working_days(due, 3));
    assert_eq!(
        last_mail(&app, "extension_decided", id).await.to_addr,
        "answers@later.example"
    );
    // Nothing left to decide.
    let r = rev
        .act(&app, id, "extension", &[("decision", "refuse")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(audit_rows(&app, "extension_granted").await.len(), 1);
}

#[tokio::test]
async fn a_tracking_code_in_the_search_box_opens_the_case() {
    let app = spawn().await;
    let rev = staff(&app, "rev@example.org", Role::Reviewer).await;
    let filed = Complaint::reference(2).file(&app).await;
    let r = rev
        .get(
            &app,
            &format!("/staff/cases?q={}", filed.code.to_lowercase()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"].to_str().expect("ascii"),
        format!("/staff/cases/{}", filed.id)
    );
    let token = crate::support::token_for(&app, rev.id).await;
    let body: serde_json::Value = app
        .client
        .get(app.url(&format!("/api/v1/cases?q={}", filed.code)))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{body}");
    assert_eq!(items[0]["tracking_code"], filed.code.as_str());
}

#[tokio::test]
async fn editing_the_holiday_table_moves_open_due_dates_but_not_missed_ones() {
    let app = spawn().await;
    let rev = staff(&app, "rev@example.org", Role::Reviewer).await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    NewCompany::named("日历公司")
        .contact("answers@calendar.example")
        .add(&app)
        .await;
    let (id, _) = forwarded_case(&app, &rev, "日历公司", "zh-CN").await;
    let due = complaint_by_id(&app, id)
        .await
        .response_due_on
        .expect("due");
    let missed = Complaint::reference(3).file(&app).await;
    let past = today() - Duration::days(3);
    exec(
        &app,
        "UPDATE complaints SET review_due_on = $1 WHERE id = $2",
        vec![past.into(), missed.id.into()],
    )
    .await;

    // Three new holidays between tomorrow and the due date push it three working days on.
    let (from, to) = (today() + Duration::days(1), today() + Duration::days(3));
    let r = admin
        .submit(
            &app,
            "/staff/holidays",
            &[
                ("from", &from.to_string()),
                ("to", &to.to_string()),
                ("kind", "holiday"),
                ("name", "测试假期"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let calendar = app.state.reference().calendar.clone();
    let forwarded_day = complaint_by_id(&app, id)
        .await
        .forwarded_at
        .expect("forwarded")
        .with_timezone(&downgrade_watch::domain::format::shanghai())
        .date_naive();
    let moved = complaint_by_id(&app, id)
        .await
        .response_due_on
        .expect("due");
    // The case's own clock: reference case 1 asks for a downgrade, so the priority lane's.
    let lane = complaint_by_id(&app, id).await.priority_lane;
    let clocks = app.state.reference().clocks;
    assert_eq!(moved, clocks.response_due(&calendar, forwarded_day, lane));
    assert!(moved > due, "{moved} after {due}");
    assert_eq!(
        complaint_by_id(&app, missed.id).await.review_due_on,
        Some(past)
    );
    assert_eq!(audit_rows(&app, "due_dates_recomputed").await.len(), 1);
}

#[tokio::test]
async fn mail_to_a_company_carries_the_associations_reply_to() {
    let smtp = SmtpServer::start().await;
    let app = spawn_with(Opts {
        smtp_url: Some(smtp.url()),
        ..Opts::default()
    })
    .await;
    let rev = staff(&app, "rev@example.org", Role::Reviewer).await;
    NewCompany::named("回信公司")
        .contact("answers@replyto.example")
        .add(&app)
        .await;
    forwarded_case(&app, &rev, "回信公司", "zh-CN").await;
    let deadline = std::time::Instant::now() + StdDuration::from_secs(20);
    let forward = loop {
        let found = smtp
            .mails()
            .into_iter()
            .find(|m| m.to.iter().any(|t| t.contains("answers@replyto.example")));
        if let Some(m) = found {
            break m;
        }
        assert!(std::time::Instant::now() < deadline, "no forward mail");
        tokio::time::sleep(StdDuration::from_millis(200)).await;
    };
    let reply_to = forward
        .data
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("reply-to:"))
        .expect("a Reply-To header");
    assert!(
        reply_to.contains("noreply@downgrade-watch.test"),
        "{reply_to}"
    );
    assert!(forward.text().contains("/respond/"));
    // Mail to the consumer has none.
    let receipt = smtp
        .mails()
        .into_iter()
        .find(|m| m.to.iter().any(|t| t.contains("consumer@example.org")))
        .expect("receipt");
    assert!(!receipt.data.to_ascii_lowercase().contains("\nreply-to:"));
}

#[tokio::test]
async fn the_staff_home_shows_how_many_complaints_are_held_and_for_how_long() {
    let app = spawn().await;
    let rev = staff(&app, "rev@example.org", Role::Reviewer).await;
    let (_, home) = rev.page(&app, "/staff?lang=en").await;
    assert!(!home.contains("Held as suspected spam"), "nothing held yet");
    let filed = Complaint::reference(2).file(&app).await;
    exec(
        &app,
        "UPDATE complaints SET status = $1, received_at = $2 WHERE id = $3",
        vec![
            "held".into(),
            (Utc::now() - Duration::days(3) - Duration::hours(2)).into(),
            filed.id.into(),
        ],
    )
    .await;
    let (_, home) = rev.page(&app, "/staff?lang=en").await;
    assert!(
        home.contains("Held as suspected spam: 1; the oldest has waited 3 days"),
        "{home}"
    );
    assert!(home.contains("/staff/cases?held=1"));
    // The consumer's tracking page shows it as received.
    let track = app
        .client
        .text_of(app.url(&format!("/track/{}?lang=en", filed.code)))
        .await;
    assert!(!track.to_lowercase().contains("held"), "{track}");
}
