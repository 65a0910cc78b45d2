//! The company portal through the browser's eyes: sign in, list, open, answer, ask for time.
use chrono::Utc;
use reqwest::StatusCode;
use serde_json::json;

use super::support::{company_account, company_user, firm, forward, forwarded, png};
use crate::support::{
    browser, complaint_by_id, exec, location, log_in, make_user, png_upload, spawn,
    upload_evidence, Complaint,
};
use downgrade_watch::domain::Role;
use downgrade_watch::services::audit::Actor;
use downgrade_watch::services::cases::actions::{add_note, apply, Change};

const THIRD_PARTY_PHONE: &str = "13712345679";
const CONSUMER_NAME: &str = "欧阳明月";
const CONSUMER_EMAIL: &str = "mingyue.ouyang@example.net";
const NARRATIVE: &str = "我是欧阳明月，想把59元套餐降到8元。营业厅店员让我打13712345679找他，打过去还是不给办理降级，只推销更贵的套餐。";
const STAFF_NOTE: &str = "内部备注：该投诉人与企业另有纠纷，核实后再跟进";

#[tokio::test]
async fn a_company_user_signs_in_to_its_portal_and_sees_only_cases_forwarded_to_it() {
    let app = spawn().await;
    let a = firm(&app, "甲通信公司").await;
    let b = firm(&app, "乙视频平台").await;
    let mine = forwarded(&app, Complaint::reference(1).company("甲通信公司")).await;
    let not_forwarded = Complaint::reference(1)
        .company("甲通信公司")
        .file(&app)
        .await;
    let theirs = forwarded(&app, Complaint::reference(1).company("乙视频平台")).await;
    assert_eq!(
        complaint_by_id(&app, not_forwarded.id).await.company_id,
        Some(a)
    );
    assert_eq!(complaint_by_id(&app, theirs.id).await.company_id, Some(b));

    // The staff sign-in page sends a company user to the portal.
    company_account(&app, "contact@jia.example", a).await;
    let c = browser();
    let r = log_in(
        &c,
        &app.base,
        "contact@jia.example",
        crate::support::PASSWORD,
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/company");

    let user = company_user(&app, "contact2@jia.example", a).await;
    let (status, home) = user.page(&app, "/company").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("甲通信公司") && home.contains("href=\"/company/cases?filter=awaiting\"")
    );
    assert!(!home.contains("/staff/cases"), "no staff navigation");

    let (status, list) = user.page(&app, "/company/cases").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(&mine.code), "its forwarded case is listed");
    assert!(
        !list.contains(&not_forwarded.code),
        "a case not forwarded is not"
    );
    assert!(
        !list.contains(&theirs.code),
        "another company's case is not"
    );
    let (_, answered) = user.page(&app, "/company/cases?filter=answered").await;
    assert!(!answered.contains(&mine.code));
    let (_, awaiting) = user.page(&app, "/company/cases?filter=awaiting").await;
    assert!(awaiting.contains(&mine.code));

    // The due date passes: the case shows as overdue.
    exec(
        &app,
        "UPDATE complaints SET response_due_on = $1 WHERE id = $2",
        vec![
            (Utc::now().date_naive() - chrono::Duration::days(2)).into(),
            mine.id.into(),
        ],
    )
    .await;
    let (_, overdue) = user.page(&app, "/company/cases?filter=overdue").await;
    assert!(overdue.contains(&mine.code) && overdue.contains("class=\"overdue\""));

    // A case staff sent back for a follow-up (answered once, forwarded again) waits again: it is
    // listed as awaiting, not as answered.
    exec(
        &app,
        "UPDATE complaints SET responded_at = $1 WHERE id = $2",
        vec![Utc::now().into(), mine.id.into()],
    )
    .await;
    let (_, answered) = user.page(&app, "/company/cases?filter=answered").await;
    assert!(
        !answered.contains(&mine.code),
        "a follow-up is not answered yet"
    );
    let (_, awaiting) = user.page(&app, "/company/cases?filter=awaiting").await;
    assert!(awaiting.contains(&mine.code));

    // Bad filters are explained, not a 500.
    let (status, bad) = user
        .page(&app, "/company/cases?filter=late&cursor=zzz")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("error-summary"));

    for code in [
        &not_forwarded.code,
        &theirs.code,
        &"DW-2222-2222".to_string(),
    ] {
        let (status, _) = user.page(&app, &format!("/company/cases/{code}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{code}");
    }
    let (status, _) = user
        .page(&app, &format!("/company/cases/{}", mine.code))
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_list_is_paged_with_a_cursor_and_never_repeats_a_case() {
    let app = spawn().await;
    let a = firm(&app, "丙云存储").await;
    let mut codes = Vec::new();
    for _ in 0..5 {
        codes.push(
            forwarded(&app, Complaint::reference(4).company("丙云存储"))
                .await
                .code,
        );
    }
    let user = company_user(&app, "ops@bing.example", a).await;
    let mut seen = Vec::new();
    let mut next = Some("/company/cases?limit=2".to_string());
    while let Some(path) = next.take() {
        let (status, html) = user.page(&app, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        for c in &codes {
            if html.contains(&format!("<code>{c}</code>")) {
                seen.push(c.clone());
            }
        }
        next = html
            .split("rel=\"next\"")
            .next()
            .filter(|_| html.contains("rel=\"next\""))
            .and_then(|before| before.rsplit("href=\"").next())
            .map(|s| {
                s.split('"')
                    .next()
                    .unwrap_or("")
                    .replace("&amp;", "&")
                    .replace("&#x2F;", "/")
            });
    }
    seen.sort();
    let mut expected = codes.clone();
    expected.sort();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn the_case_page_shows_only_what_the_consumer_agreed_to_share() {
    let app = spawn().await;
    let a = firm(&app, "丁通信公司").await;
    let reviewer = make_user(&app, "reviewer@example.org", Role::Reviewer).await;
    let f = Complaint::reference(1)
        .company("丁通信公司")
        .narrative(NARRATIVE)
        .with(json!({
            "contact_name": CONSUMER_NAME,
            "contact_email": CONSUMER_EMAIL,
            "consent_contact_company": true
        }))
        .file(&app)
        .await;
    assert_eq!(
        upload_evidence(&app, &f, png_upload("bill.png"))
            .await
            .status(),
        StatusCode::CREATED
    );
    forward(&app, f.id).await;
    let work = app.state.case_work();
    add_note(&work, &Actor::system(), f.id, STAFF_NOTE, Utc::now())
        .await
        .expect("note");
    let version = complaint_by_id(&app, f.id).await.version;
    apply(
        &work,
        &Actor::system(),
        f.id,
        version,
        Change::Assign {
            user_id: Some(reviewer),
        },
        Utc::now(),
    )
    .await
    .expect("assign");

    let user = company_user(&app, "care@ding.example", a).await;
    let path = format!("/company/cases/{}", f.code);
    let (status, html) = user.page(&app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("想把59元套餐降到8元"),
        "the narrative, with consent"
    );
    assert!(
        !html.contains(THIRD_PARTY_PHONE),
        "scrubbed of third-party numbers"
    );
    assert!(html.contains(CONSUMER_EMAIL), "contact data, with consent");
    let views = crate::support::audit_rows(&app, "view_contact").await;
    assert!(
        views.iter().any(|v| v.actor_user_id == Some(user.id)),
        "the company's view of contact data is audited like staff views"
    );
    assert!(
        html.contains("59元&#x2F;月套餐") && html.contains("8元&#x2F;月保号套餐"),
        "plans"
    );
    assert!(!html.contains(STAFF_NOTE), "never staff notes");
    assert!(
        !html.contains("reviewer@example.org") && !html.contains(">reviewer<"),
        "never the assignee"
    );
    let evidence = complaint_by_id(&app, f.id).await;
    let file_id = downgrade_watch::entities::evidence_file::Entity::find()
        .filter(downgrade_watch::entities::evidence_file::Column::ComplaintId.eq(evidence.id))
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("file")
        .id;
    let download = format!("{path}/evidence/{file_id}");
    assert!(
        html.contains(&format!("/evidence/{file_id}\"")),
        "the evidence file is linked"
    );
    let r = user.get(&app, &download).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap_or("")
        .starts_with("attachment"));
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");

    // The consumer withdraws the consent: the story, evidence and contact data disappear.
    exec(
        &app,
        "UPDATE complaints SET consent_contact_company = $1 WHERE id = $2",
        vec![false.into(), f.id.into()],
    )
    .await;
    let (status, html) = user.page(&app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("想把59元套餐降到8元"));
    assert!(!html.contains(CONSUMER_EMAIL) && !html.contains("/evidence/"));
    assert_eq!(
        user.get(&app, &download).await.status(),
        StatusCode::NOT_FOUND
    );
}

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[tokio::test]
async fn a_company_answers_with_an_attachment_once_and_a_second_answer_is_refused() {
    let app = spawn().await;
    let a = firm(&app, "戊视频平台").await;
    let f = forwarded(&app, Complaint::reference(1).company("戊视频平台")).await;
    let user = company_user(&app, "answers@wu.example", a).await;
    let path = format!("/company/cases/{}", f.code);
    let (_, html) = user.page(&app, &path).await;
    assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("name=\"category\""));

    // Without the session's CSRF token: refused.
    let forged = reqwest::multipart::Form::new()
        .text("category", "refunded")
        .text("text", "已退款，谢谢您的耐心。");
    assert_eq!(
        user.post_answer(&app, &f.code, forged).await.status(),
        StatusCode::FORBIDDEN
    );

    // Bad input: every problem named, what was typed kept.
    let r = user
        .post_answer(&app, &f.code, user.answer("", "好的"))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(
        html.contains("error-summary") && html.contains(">好的</textarea>"),
        "kept"
    );
    let r = user
        .post_answer(
            &app,
            &f.code,
            user.answer("refunded", "We refunded the difference."),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "english, no file");
    let _ = r;
    // (That answered the case; a fresh case for the attachment.)
    let g = forwarded(&app, Complaint::reference(1).company("戊视频平台")).await;
    let text_file = reqwest::multipart::Part::bytes(b"not an image".to_vec()).file_name("x.txt");
    let r = user
        .post_answer(
            &app,
            &g.code,
            user.answer("downgraded", "已为用户办理8元保号套餐。")
                .part("file", text_file),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a file that is not a picture or PDF"
    );
    assert!(r
        .text()
        .await
        .expect("text")
        .contains("已为用户办理8元保号套餐。"));
    let r = user
        .post_answer(
            &app,
            &g.code,
            user.answer("downgraded", "已为用户办理8元保号套餐，并退还多收费用。")
                .part("file", png("回执.png")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        crate::support::location(&r),
        format!("/company/cases/{}?done=answered#answers", g.code)
    );
    let c = complaint_by_id(&app, g.id).await;
    assert_eq!(c.status.code(), "responded");
    assert_eq!(c.response_category.as_deref(), Some("downgraded"));
    let (_, html) = user
        .page(&app, &format!("/company/cases/{}?done=answered", g.code))
        .await;
    assert!(html.contains("已为用户办理8元保号套餐") && html.contains("回执.png"));
    let start = html.find("/answer-files/").expect("attachment link") + "/answer-files/".len();
    let file_id: String = html[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let r = user
        .get(
            &app,
            &format!("/company/cases/{}/answer-files/{file_id}", g.code),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");

    // A second answer: the case is not waiting for one.
    let r = user
        .post_answer(
            &app,
            &g.code,
            user.answer("refunded", "再补充一次答复内容。"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.text().await.expect("text").contains("不在等待贵单位答复"),
        "says why"
    );
    let answers = downgrade_watch::services::responses::answers(&app.state.db.read, g.id)
        .await
        .expect("answers");
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].via, "portal");
    assert_eq!(answers[0].files.len(), 1);
}

#[tokio::test]
async fn a_company_asks_once_for_more_time() {
    let app = spawn().await;
    let a = firm(&app, "己办公软件").await;
    let f = forwarded(&app, Complaint::reference(1).company("己办公软件")).await;
    let user = company_user(&app, "legal@ji.example", a).await;
    let r = user.ask_for_time(&app, &f.code, "", "11").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(html.contains("id=\"reason-error\"") && html.contains("id=\"days-error\""));
    assert!(html.contains("value=\"11\""), "kept");
    let r = user
        .ask_for_time(&app, &f.code, "需要调取通话录音核实", "3")
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = user.page(&app, &format!("/company/cases/{}", f.code)).await;
    assert!(html.contains("需要调取通话录音核实"));
    let r = user
        .ask_for_time(&app, &f.code, "还需要更多时间", "2")
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.text().await.expect("text").contains("只能申请一次"),
        "says why"
    );
}
