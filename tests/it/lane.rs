//! The priority lane (绿色通道, issue 17): plan-change complaints enter it at intake from the API
//! and the form, staff move cases in and out with a reason (audited, kept in the lane history),
//! an admin's lane clocks set new due dates and so drive the deadline sweep, the queue filters,
//! badges and sorts lane cases first within a due date, the consumer's receipt, mail and track
//! page say what the lane means, and the export carries `priority_lane`.
use std::collections::HashSet;

use chrono::{Duration, NaiveDate};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::support::{
    api_token, audit_rows, bearer_get, complaint_by_id, exec, form_token, intake_form, location,
    spawn, staff, Complaint, NewCompany, TestApp,
};
use downgrade_watch::domain::format::today;
use downgrade_watch::domain::Role;
use downgrade_watch::entities::{lane_change, mail_outbox};
use downgrade_watch::services::deadlines::sweep;

fn working_days(app: &TestApp, from: NaiveDate, n: u32) -> NaiveDate {
    app.state.reference().calendar.add_working_days(from, n)
}

async fn file_action(app: &TestApp, action: &str, plans: Option<(&str, &str)>) -> (i64, String) {
    let mut c = Complaint::reference(1).set("requested_action", json!(action));
    if let Some((from, to)) = plans {
        c = c.with(json!({ "plan_from": from, "plan_to": to }));
    }
    let f = c.file(app).await;
    (f.id, f.code)
}

#[tokio::test]
async fn plan_changes_enter_the_lane_at_intake_with_the_shorter_review_clock() {
    let app = spawn().await;
    let d = today();
    for (action, plans, lane) in [
        ("downgrade", None, true),
        ("cancel", None, true),
        ("stop_auto_renewal", None, true),
        ("refund", None, false),
        ("other", Some(("超级VIP年卡", "基础版")), true),
        ("other", Some(("VIP", " vip ")), false),
    ] {
        let (id, _) = file_action(&app, action, plans).await;
        let c = complaint_by_id(&app, id).await;
        assert_eq!(c.priority_lane, lane, "{action} {plans:?}");
        let days = if lane { 3 } else { 7 };
        assert_eq!(
            c.review_due_on,
            Some(working_days(&app, d, days)),
            "{action}"
        );
    }

    // The web form takes the same rule.
    let token = form_token(&app).await;
    let story = "想取消自动续费，App里找不到入口，客服说只能打电话办理，打了三次都没有人接听。";
    let form = intake_form(
        &token,
        &[
            ("website", ""),
            ("sector", "video_membership"),
            ("company_name", "某视频平台"),
            ("requested_action", "cancel"),
            ("channels_tried", "app"),
            ("outcome", "gave_up"),
            ("language", "en"),
            ("narrative", story),
        ],
    );
    let r = app.post_multipart("/complaints", form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let code = location(&r)
        .trim_start_matches("/complaints/receipt/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let c = crate::support::complaint_by_code(&app, &code).await;
    assert!(c.priority_lane, "cancel from the form enters the lane");
}

#[tokio::test]
async fn staff_move_a_case_out_of_and_into_the_lane_with_a_reason_that_is_audited() {
    let app = spawn().await;
    let reviewer = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let (id, _) = file_action(&app, "downgrade", None).await;
    let received = today();

    // No reason: refused, with a message on the reason field, nothing changed.
    let r = reviewer
        .act(&app, id, "lane", &[("lane", "out"), ("lane_reason", "  ")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(html.contains("id=\"lane_reason-error\""), "{html}");
    assert!(complaint_by_id(&app, id).await.priority_lane);

    let r = reviewer
        .act(
            &app,
            id,
            "lane",
            &[
                ("lane", "out"),
                ("lane_reason", "实为退款争议，不涉及套餐变更"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = complaint_by_id(&app, id).await;
    assert!(!c.priority_lane);
    assert!(c.lane_changed_at.is_some());
    assert_eq!(
        c.review_due_on,
        Some(working_days(&app, received, 7)),
        "the running review clock follows the lane"
    );
    let audit = audit_rows(&app, "case_lane").await;
    assert_eq!(audit.len(), 1);
    assert!(audit[0]
        .detail
        .as_deref()
        .unwrap_or("")
        .contains("实为退款争议"));

    // Moving out twice is refused; moving back in works.
    let r = reviewer
        .act(
            &app,
            id,
            "lane",
            &[("lane", "out"), ("lane_reason", "再次移出")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = reviewer
        .act(
            &app,
            id,
            "lane",
            &[("lane", "in"), ("lane_reason", "消费者补充说明要求降级")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = complaint_by_id(&app, id).await;
    assert!(c.priority_lane);
    assert_eq!(c.review_due_on, Some(working_days(&app, received, 3)));

    let moves = lane_change::Entity::find()
        .filter(lane_change::Column::ComplaintId.eq(id))
        .all(&app.state.db.read)
        .await
        .expect("moves");
    assert_eq!(
        moves.iter().map(|m| m.into_lane).collect::<Vec<_>>(),
        vec![false, true]
    );
    let (_, page) = reviewer
        .page(&app, &format!("/staff/cases/{id}?lang=en"))
        .await;
    assert!(
        page.contains("实为退款争议，不涉及套餐变更"),
        "the history shows the reason"
    );
    assert!(page.contains("Moved out of the lane") && page.contains("Moved into the lane"));
    assert!(page.contains("This case is in the priority lane."));
}

#[tokio::test]
async fn an_admins_lane_clocks_set_new_due_dates_and_the_sweep_follows_them() {
    let app = spawn().await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    let reviewer = staff(&app, "reviewer@example.org", Role::Reviewer).await;

    // Only admins may change the clocks; bad values are refused with what was typed kept.
    let r = reviewer
        .submit(
            &app,
            "/staff/lane",
            &[("review_days", "2"), ("response_days", "3")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = admin
        .submit(
            &app,
            "/staff/lane?lang=en",
            &[("review_days", "9"), ("response_days", "x3")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(html.contains("Enter a number from 1 to 7."), "{html}");
    assert!(html.contains("Enter a number from 1 to 10."));
    assert!(html.contains("value=\"x3\""), "what was typed is kept");
    assert_eq!(app.state.reference().clocks.lane_review_days, 3);

    let r = admin
        .submit(
            &app,
            "/staff/lane",
            &[("review_days", "2"), ("response_days", "3")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_rows(&app, "lane_clocks_changed").await.len(), 1);
    let (_, page) = admin.page(&app, "/staff/lane").await;
    assert!(page.contains("value=\"2\"") && page.contains("value=\"3\""));

    NewCompany::named("快答科技")
        .contact("complaints@kuaida.example")
        .add(&app)
        .await;
    let file = |action: &'static str| {
        let app = &app;
        async move {
            Complaint::reference(1)
                .company("快答科技")
                .with(json!({ "requested_action": action, "consent_contact_company": true }))
                .file(app)
                .await
        }
    };
    let lane = file("downgrade").await;
    let other = file("refund").await;
    let d = today();
    assert_eq!(
        complaint_by_id(&app, lane.id).await.review_due_on,
        Some(working_days(&app, d, 2))
    );
    assert_eq!(
        complaint_by_id(&app, other.id).await.review_due_on,
        Some(working_days(&app, d, 7))
    );
    for f in [&lane, &other] {
        for step in ["accept", "forward"] {
            let r = reviewer.act(&app, f.id, step, &[]).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{step}");
        }
    }
    let lane_due = complaint_by_id(&app, lane.id)
        .await
        .response_due_on
        .expect("due");
    assert_eq!(lane_due, working_days(&app, d, 3));
    assert_eq!(
        complaint_by_id(&app, other.id).await.response_due_on,
        Some(working_days(&app, d, 10))
    );

    // The day after the lane's due date, the sweep marks only the lane case.
    let work = app.state.case_work();
    let report = sweep(&work, lane_due + Duration::days(1), chrono::Utc::now())
        .await
        .expect("sweep");
    assert_eq!(report.no_response, vec![lane.code.clone()], "{report:?}");
    assert!(complaint_by_id(&app, lane.id)
        .await
        .no_response_at
        .is_some());
    assert!(complaint_by_id(&app, other.id)
        .await
        .no_response_at
        .is_none());
}

#[tokio::test]
async fn the_queue_filters_badges_and_sorts_lane_cases_first_within_a_due_date() {
    let app = spawn().await;
    let reviewer = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let token = api_token(&app, "api@example.org", Role::Reviewer).await;
    let (a, _) = file_action(&app, "refund", None).await;
    let (b, lane_code) = file_action(&app, "downgrade", None).await;
    let (c, _) = file_action(&app, "refund", None).await;
    let (e, _) = file_action(&app, "cancel", None).await;
    let same = today() + Duration::days(5);
    let earlier = today() + Duration::days(4);
    for (id, due) in [(a, same), (b, same), (c, same), (e, earlier)] {
        exec(
            &app,
            "UPDATE complaints SET review_due_on = $1 WHERE id = $2",
            vec![due.into(), id.into()],
        )
        .await;
    }
    // Earliest date first; within the same date the lane case first, then by id.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let q = format!("sort=due&limit=1{cursor}");
        let r = bearer_get(&app, &token, &format!("/api/v1/cases?{q}")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.expect("json");
        seen.extend(v["items"].as_array().expect("items").iter().map(|i| {
            (
                i["id"].as_i64().expect("id"),
                i["priority_lane"].as_bool().expect("lane"),
            )
        }));
        match v["next_cursor"].as_str() {
            Some(n) => cursor = format!("&cursor={n}"),
            None => break,
        }
    }
    assert_eq!(
        seen,
        vec![(e, true), (b, true), (a, false), (c, false)],
        "keyset pages neither skip nor repeat"
    );

    let (_, html) = reviewer.page(&app, "/staff/cases?lane=1&lang=en").await;
    assert!(html.contains(&lane_code));
    assert!(html.contains("badge-lane") && html.contains("Priority lane"));
    let listed: HashSet<i64> = [a, c]
        .into_iter()
        .filter(|id| html.contains(&format!("/staff/cases/{id}\"")))
        .collect();
    assert!(listed.is_empty(), "the lane filter leaves other cases out");
    assert!(html.contains("name=\"lane\" value=\"1\" checked"));
    let (_, all) = reviewer.page(&app, "/staff/cases?sort=due").await;
    let pos = |id: i64| all.find(&format!("/staff/cases/{id}\"")).expect("listed");
    assert!(pos(e) < pos(b) && pos(b) < pos(a) && pos(a) < pos(c));
}

#[tokio::test]
async fn the_receipt_mail_and_track_page_explain_the_lane_in_both_languages() {
    let app = spawn().await;
    let lane = Complaint::reference(1)
        .set("contact_email", json!("consumer@example.com"))
        .file(&app)
        .await;
    let other = Complaint::reference(3).file(&app).await;

    for (lang, words) in [("en", "priority lane"), ("zh-CN", "绿色通道")] {
        let receipt = app
            .page(&format!("/complaints/receipt/{}?lang={lang}", lane.code))
            .await;
        assert!(receipt.contains(words), "{lang}: {receipt}");
        assert!(
            receipt.contains("href=\"/rights\""),
            "the receipt links the rights pages"
        );
        let track = app.page(&format!("/track/{}?lang={lang}", lane.code)).await;
        assert!(track.contains(words), "{lang}");
        assert!(track.contains("href=\"/rights\""));
        let plain = app
            .page(&format!("/complaints/receipt/{}?lang={lang}", other.code))
            .await;
        assert!(!plain.contains("badge-lane"), "a refund is not in the lane");
        assert!(!app
            .page(&format!("/track/{}?lang={lang}", other.code))
            .await
            .contains("badge-lane"));
    }
    let en = app
        .page(&format!("/complaints/receipt/{}?lang=en", lane.code))
        .await;
    assert!(en.contains("within 3 working days instead of 7"));
    assert!(en.contains("5 working days to answer instead of 10"));
    // The next steps give the same clocks as the lane note, not the ordinary ones.
    assert!(en.contains("(3 working days)"), "{en}");
    assert!(en.contains("answer within 5 working days"), "{en}");
    let plain = app
        .page(&format!("/complaints/receipt/{}?lang=en", other.code))
        .await;
    assert!(plain.contains("(7 working days)"), "{plain}");
    assert!(plain.contains("answer within 10 working days"), "{plain}");

    let mail = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ComplaintId.eq(lane.id))
        .filter(mail_outbox::Column::Kind.eq("receipt"))
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("receipt mail");
    assert!(mail.body_text.contains("绿色通道"), "{}", mail.body_text);
    assert!(mail.body_text.contains("3个工作日内"), "{}", mail.body_text);
    assert!(
        !mail.body_text.contains("7个工作日内"),
        "{}",
        mail.body_text
    );
    assert!(mail.body_text.contains("/rights"));
    assert!(mail.body_html.contains("绿色通道"));
}

#[tokio::test]
async fn exports_carry_priority_lane_after_consumer_disputed() {
    let app = spawn().await;
    let (_, lane) = file_action(&app, "downgrade", None).await;
    let (_, other) = file_action(&app, "refund", None).await;
    let token = api_token(&app, "regulator@example.org", Role::Regulator).await;
    for headers in ["en", "zh"] {
        let r = bearer_get(
            &app,
            &token,
            &format!("/api/v1/exports/complaints.csv?headers={headers}"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        let body = r.bytes().await.expect("body");
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&body[3..])
            .records()
            .map(|r| r.expect("csv").iter().map(str::to_string).collect())
            .collect();
        // The 39th column, right after consumer_disputed (the referral's two follow it).
        let i = 38;
        assert_eq!(
            rows[0][i - 1],
            if headers == "zh" {
                "消费者有异议"
            } else {
                "consumer_disputed"
            }
        );
        let name = if headers == "zh" {
            "绿色通道"
        } else {
            "priority_lane"
        };
        assert_eq!(rows[0][i], name);
        let cell = |code: &str| rows.iter().find(|r| r[0] == code).expect("row")[i].clone();
        assert_eq!(cell(&lane), "true");
        assert_eq!(cell(&other), "false");
    }
    let r = bearer_get(&app, &token, "/api/v1/exports/complaints.ndjson").await;
    let text = r.text().await.expect("text");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let of = |code: &str| {
        lines
            .iter()
            .find(|v| v["complaint_id"] == code)
            .expect("line")["priority_lane"]
            .clone()
    };
    assert_eq!(of(&lane), json!(true));
    assert_eq!(of(&other), json!(false));
}

/// `{:.0}%` like the figures.
fn pct(num: usize, den: usize) -> String {
    format!("{:.0}%", num as f64 / den as f64 * 100.0)
}

/// The lane figures recounted from the complaint rows of `month`, formatted like the table:
/// `[complaints, decided, answered, median days]` for the lane and the rest.
async fn recount(app: &TestApp, month: downgrade_watch::domain::period::Month) -> [[String; 4]; 2] {
    use downgrade_watch::domain::format::shanghai;
    use downgrade_watch::domain::Status;
    let all = downgrade_watch::entities::complaint::Entity::find()
        .all(&app.state.db.read)
        .await
        .expect("complaints");
    let day = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&shanghai()).date_naive();
    let published = [
        Status::Received,
        Status::Accepted,
        Status::Forwarded,
        Status::Responded,
        Status::Closed,
        Status::Withdrawn,
    ];
    let mut out: Vec<[String; 4]> = Vec::new();
    for lane in [true, false] {
        let rows: Vec<_> = all
            .iter()
            .filter(|c| c.priority_lane == lane && published.contains(&c.status))
            .filter(|c| downgrade_watch::domain::period::Month::of(day(c.received_at)) == month)
            .collect();
        let decided: Vec<_> = rows
            .iter()
            .filter(|c| {
                c.review_due_on.is_some_and(|due| {
                    c.accepted_at.is_some() || (c.status == Status::Received && due < today())
                })
            })
            .collect();
        let in_time = decided
            .iter()
            .filter(|c| {
                c.accepted_at
                    .is_some_and(|a| Some(day(a)) <= c.review_due_on)
            })
            .count();
        let judged: Vec<_> = rows
            .iter()
            .filter(|c| c.response_timely.is_some())
            .collect();
        let on_time = judged
            .iter()
            .filter(|c| c.response_timely == Some(true))
            .count();
        let mut days: Vec<i64> = rows
            .iter()
            .filter(|c| c.status == Status::Closed)
            .filter_map(|c| {
                c.closed_at
                    .map(|x| (day(x) - day(c.received_at)).num_days())
            })
            .collect();
        days.sort_unstable();
        let median = match days.len() {
            0 => "No data".to_string(),
            n if n % 2 == 1 => format!("{} days", days[n / 2]),
            n => {
                let m = (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0;
                if m.fract() == 0.0 {
                    format!("{m:.0} days")
                } else {
                    format!("{m:.1} days")
                }
            }
        };
        out.push([
            rows.len().to_string(),
            format!("{} (of {})", pct(in_time, decided.len()), decided.len()),
            format!("{} (of {})", pct(on_time, judged.len()), judged.len()),
            median,
        ]);
    }
    [out[0].clone(), out[1].clone()]
}

/// The cells of the table row `id` as plain text.
fn cells(html: &str, id: &str) -> Vec<String> {
    let at = html
        .find(&format!("<tr id=\"{id}\">"))
        .unwrap_or_else(|| panic!("row {id}"));
    let rest = &html[at..];
    let row = &rest[..rest.find("</tr>").expect("row end")];
    let mut text = String::new();
    let mut in_tag = false;
    for ch in row.chars() {
        match ch {
            '<' => {
                in_tag = true;
                text.push('|');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split('|')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

#[tokio::test]
async fn dashboard_and_report_lane_figures_equal_a_recount() {
    use crate::support::CaseEnd;
    use downgrade_watch::domain::period::{shanghai_start, Month};
    use downgrade_watch::domain::ResponseCategory::*;
    let app = spawn().await;
    let company = NewCompany::named("甲通信")
        .sector("telecom")
        .add(&app)
        .await;
    let month = Month::of(today()).plus(-1);
    let mid = shanghai_start(month) + Duration::days(10);
    let review_due = (mid + Duration::days(5)).date_naive();
    // (lane?, how it ended, accepted after how many days, closed after how many days)
    type Seed = (bool, Option<CaseEnd>, Option<i64>, Option<i64>);
    let cases: [Seed; 7] = [
        (true, Some(CaseEnd::on_time(Downgraded)), Some(1), Some(4)),
        (true, Some(CaseEnd::no_response()), Some(2), None),
        (true, Some(CaseEnd::late(Refunded)), Some(9), Some(6)),
        (true, None, Some(3), Some(3)),
        (false, Some(CaseEnd::on_time(Refunded)), Some(4), Some(12)),
        (false, Some(CaseEnd::late(Disputed)), Some(8), None),
        (false, None, None, None),
    ];
    for (lane, end, accepted, closed) in cases {
        let action = if lane { "downgrade" } else { "refund" };
        let (id, _) = file_action(&app, action, None).await;
        if let Some(end) = end {
            end.apply(&app, id, company, mid).await;
        }
        exec(
            &app,
            "UPDATE complaints SET received_at = $1, company_id = $2, review_due_on = $3 WHERE id = $4",
            vec![mid.into(), company.into(), review_due.into(), id.into()],
        )
        .await;
        if let Some(a) = accepted {
            exec(
                &app,
                "UPDATE complaints SET accepted_at = $1 WHERE id = $2",
                vec![(mid + Duration::days(a)).into(), id.into()],
            )
            .await;
        }
        if let Some(c) = closed {
            exec(
                &app,
                "UPDATE complaints SET status = 'closed', outcome = 'resolved', closed_at = $1 WHERE id = $2",
                vec![(mid + Duration::days(c)).into(), id.into()],
            )
            .await;
        }
    }
    let expected = recount(&app, month).await;
    // The recount is not trivial: the lane's figures differ from the rest's.
    assert_eq!(expected[0][0], "4");
    assert_eq!(expected[1][0], "3");
    assert_eq!(
        expected[0][1], "75% (of 4)",
        "accepted after 1, 2 and 3 days of 5; one after 9"
    );
    assert_eq!(
        expected[1][1], "33% (of 3)",
        "the one never reviewed counts as late"
    );
    assert_eq!(expected[0][3], "4 days");

    crate::support::make_user(&app, "regulator@example.org", Role::Regulator).await;
    let client = crate::support::signed_in(&app, "regulator@example.org").await;
    let period = month.code();
    for (path, prefix) in [
        (format!("/regulator?period={period}&lang=en"), "lane"),
        (format!("/regulator/reports/{period}?lang=en"), "r-lane"),
    ] {
        let r = crate::support::Fetch::fetch(&client, app.url(&path)).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let html = r.text().await.expect("text");
        for (i, key) in ["lane", "rest"].iter().enumerate() {
            let c = cells(&html, &format!("{prefix}-{key}"));
            let e = &expected[i];
            assert_eq!(c[1], e[0], "{path} {key} complaints: {c:?}");
            assert_eq!(
                format!("{} {}", c[3], c[4]),
                e[1],
                "{path} {key} decided: {c:?}"
            );
            assert_eq!(
                format!("{} {}", c[5], c[6]),
                e[2],
                "{path} {key} answered: {c:?}"
            );
            assert_eq!(c[7], e[3], "{path} {key} median: {c:?}");
        }
    }
    // The report's tables CSV carries the same lane figures, "decided in time" in its last column.
    let r = crate::support::Fetch::fetch(
        &client,
        app.url(&format!("/regulator/reports/{period}/tables.csv?lang=en")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.bytes().await.expect("body");
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .from_reader(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&body))
        .records()
        .map(|r| r.expect("csv").iter().map(str::to_string).collect())
        .collect();
    for (i, key) in ["lane", "rest"].iter().enumerate() {
        let row = rows
            .iter()
            .find(|r| r[0] == "by_lane" && r[1] == *key)
            .expect("lane row");
        assert_eq!(row[3], expected[i][0], "{key} complaints: {row:?}");
        let decided = expected[i][1].split(' ').next().expect("rate");
        assert_eq!(row.last().expect("cell"), decided, "{key} decided: {row:?}");
    }
}
