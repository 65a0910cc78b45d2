//! Case work through the real server: the queue and its filters, Chinese search, keyset pages,
//! the workflow and its clocks, duplicates, concurrent edits, audit rows, mail and the
//! consumer's reply on the tracking page.
use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{json, Value};

use crate::support::{
    complaint_by_id, file, reference_case, spawn, spawn_with, staff, tiny_png, token_for,
    upload_evidence, Complaint, Fetch, Filed, NewCompany, Opts, SmtpServer, Staff, TestApp,
};
use downgrade_watch::domain::{normalize_name, Outcome, Role, Status};
use downgrade_watch::entities::{
    audit_log, case_note, company_alias, complaint, complaint_obstacle, consumer_reply,
    status_history,
};
use downgrade_watch::services::audit::Actor;
use downgrade_watch::services::cases::actions::{self, Change};

/// A complaint about `company` with its own narrative.
fn story(company: &str, narrative: &str) -> Value {
    Complaint::reference(4)
        .company(company)
        .narrative(narrative)
        .into_doc()
}

impl Staff {
    fn actor(&self) -> Actor {
        Actor::user(self.id, &self.email)
    }
}

/// `GET /api/v1/cases` with a bearer token; the ids returned, in order, and the body.
async fn api_cases(app: &TestApp, token: &str, query: &str) -> (StatusCode, Value) {
    let r = app
        .client
        .get(app.url(&format!("/api/v1/cases?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("get");
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn ids_of(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["id"].as_i64()).collect())
        .unwrap_or_default()
}

async fn ids_for(app: &TestApp, token: &str, query: &str) -> HashSet<i64> {
    let (status, v) = api_cases(app, token, query).await;
    assert_eq!(status, StatusCode::OK, "{query}: {v}");
    ids_of(&v).into_iter().collect()
}

fn set_of(ids: &[i64]) -> HashSet<i64> {
    ids.iter().copied().collect()
}

async fn upload_png(app: &TestApp, f: &Filed) {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(tiny_png()).file_name("账单截图.png"),
    );
    let r = upload_evidence(app, f, form).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn the_queue_filters_by_each_field_on_the_page_and_in_the_api() {
    let app = spawn().await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let token = token_for(&app, rev.id).await;
    let c1 = file(&app, &reference_case(1)).await;
    let c2 = file(&app, &reference_case(2)).await;
    let c3 = file(&app, &reference_case(3)).await;
    let c4 = file(&app, &reference_case(4)).await;
    let c5 = file(
        &app,
        &story(
            "某音乐平台",
            "会员自动续费以后想取消，找不到取消入口，客服一直不回复我的留言。",
        ),
    )
    .await;
    let all = set_of(&[c1.id, c2.id, c3.id, c4.id, c5.id]);
    assert_eq!(ids_for(&app, &token, "").await, all);

    assert_eq!(
        rev.act(&app, c1.id, "accept", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        ids_for(&app, &token, "status=accepted").await,
        set_of(&[c1.id])
    );
    assert_eq!(
        ids_for(&app, &token, "status=received").await,
        set_of(&[c2.id, c3.id, c4.id, c5.id])
    );
    assert_eq!(
        ids_for(&app, &token, "sector=telecom").await,
        set_of(&[c1.id])
    );
    assert_eq!(
        ids_for(&app, &token, "province=110000").await,
        set_of(&[c1.id])
    );
    // Obstacle codes count when suggested or confirmed by a reviewer.
    assert_eq!(
        ids_for(&app, &token, "obstacle=WINDOW").await,
        set_of(&[c2.id])
    );
    assert_eq!(
        ids_for(&app, &token, "obstacle=refund-deny").await,
        set_of(&[c3.id])
    );

    // Company: the name as typed, a directory name, an alias, or the directory id.
    let co = NewCompany::named("某视频科技有限公司").add(&app).await;
    company_alias::ActiveModel {
        company_id: Set(co),
        alias: Set("某视频平台".into()),
        alias_norm: Set(normalize_name("某视频平台")),
        ..Default::default()
    }
    .insert(&app.state.db.write)
    .await
    .expect("alias");
    assert_eq!(
        rev.act(&app, c2.id, "company", &[("company_name", "某视频平台")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(complaint_by_id(&app, c2.id).await.company_id, Some(co));
    assert_eq!(
        ids_for(&app, &token, "company=某视频科技有限公司").await,
        set_of(&[c2.id])
    );
    assert_eq!(
        ids_for(
            &app,
            &token,
            "company=%E6%9F%90%E8%A7%86%E9%A2%91%E5%B9%B3%E5%8F%B0"
        )
        .await,
        set_of(&[c2.id])
    );
    assert_eq!(
        ids_for(&app, &token, &format!("company={co}")).await,
        set_of(&[c2.id])
    );
    assert_eq!(
        ids_for(&app, &token, "company=某云存储服务商").await,
        set_of(&[c4.id])
    );
    assert!(
        ids_for(&app, &token, "company=某云存储").await.is_empty(),
        "exact names only"
    );

    // Dates are Asia/Shanghai days: 16:30 UTC on the 10th is already the 11th in Beijing.
    let moved = Utc
        .with_ymd_and_hms(2026, 1, 10, 16, 30, 0)
        .single()
        .expect("time");
    let mut m: complaint::ActiveModel = complaint_by_id(&app, c5.id).await.into();
    m.received_at = Set(moved);
    m.update(&app.state.db.write).await.expect("update");
    assert_eq!(
        ids_for(&app, &token, "from=2026-01-11&to=2026-01-11").await,
        set_of(&[c5.id])
    );
    assert!(ids_for(&app, &token, "from=2026-01-10&to=2026-01-10")
        .await
        .is_empty());
    assert_eq!(
        ids_for(&app, &token, "to=2026-06-30").await,
        set_of(&[c5.id])
    );
    assert_eq!(
        ids_for(&app, &token, "from=2026-06-30").await,
        set_of(&[c1.id, c2.id, c3.id, c4.id])
    );

    assert_eq!(
        rev.act(&app, c3.id, "assign", &[("user_id", &rev.id.to_string())])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(ids_for(&app, &token, "assigned=me").await, set_of(&[c3.id]));

    // Overdue: the decision on acceptance was due yesterday.
    let mut m: complaint::ActiveModel = complaint_by_id(&app, c4.id).await.into();
    m.review_due_on = Set(Some(NaiveDate::from_ymd_opt(2026, 1, 5).expect("date")));
    m.update(&app.state.db.write).await.expect("update");
    let (_, v) = api_cases(&app, &token, "overdue=1").await;
    assert_eq!(ids_of(&v), vec![c4.id]);
    assert_eq!(v["items"][0]["overdue"], true);
    assert_eq!(v["items"][0]["due_on"], "2026-01-05");

    upload_png(&app, &c1).await;
    assert_eq!(
        ids_for(&app, &token, "has_evidence=1").await,
        set_of(&[c1.id])
    );

    assert_eq!(
        rev.act(&app, c5.id, "hold", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(ids_for(&app, &token, "held=1").await, set_of(&[c5.id]));
    assert_eq!(
        ids_for(&app, &token, "status=open&sector=cloud_storage").await,
        set_of(&[c4.id, c5.id])
    );

    // Filters combine.
    assert_eq!(
        ids_for(
            &app,
            &token,
            "sector=telecom&has_evidence=1&status=accepted"
        )
        .await,
        set_of(&[c1.id])
    );
    assert!(ids_for(&app, &token, "sector=telecom&held=1")
        .await
        .is_empty());

    // The page shows the same, with due dates and the overdue flag.
    let (status, html) = rev.page(&app, "/staff/cases?sort=due").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&c4.code) && html.contains("2026年1月5日") && html.contains("flag-overdue"),
        "due date and overdue flag shown"
    );
    let due_first = html.find(&c4.code).expect("c4 listed");
    assert!(
        html.find(&c2.code).is_some_and(|p| p > due_first),
        "the overdue case sorts first by due date"
    );
    let (_, html) = rev.page(&app, "/staff/cases?sector=telecom").await;
    assert!(html.contains(&c1.code) && !html.contains(&c2.code));

    // Bad filters: 422 with a message per field, never a 500.
    let (status, v) = api_cases(
        &app,
        &token,
        "status=bogus&sector=spaceflight&from=2026-13-01&limit=0&obstacle=NOPE&q=降",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["status", "sector", "from", "limit", "obstacle", "q"] {
        assert!(v["errors"][field].is_array(), "{field}: {v}");
    }
    let (status, html) = rev
        .page(
            &app,
            "/staff/cases?from=2026-02-01&to=2026-01-01&q=%E9%99%8D",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("结束日期早于开始日期")
            && html.contains("至少需要2个字符")
            && html.contains("value=\"降\""),
        "messages and kept values"
    );
}

#[tokio::test]
async fn chinese_search_matches_words_inside_sentences_with_two_three_and_four_characters() {
    let app = spawn().await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let token = token_for(&app, rev.id).await;
    let c1 = file(&app, &reference_case(1)).await;
    let c3 = file(&app, &reference_case(3)).await;
    let c4 = file(&app, &reference_case(4)).await;
    let slowed = file(
        &app,
        &story(
            "某通信运营商",
            "运营商在我没有同意的情况下给我降速了，客服说要升级套餐才能恢复网速，这不合理。",
        ),
    )
    .await;
    // Both characters of 降速 occur, but not together: a two-character search must not match.
    let apart = file(
        &app,
        &story(
            "某通信运营商",
            "降级很难办，网速也一直很慢，客服说只能升级到更贵的套餐。",
        ),
    )
    .await;
    let percent = file(
        &app,
        &story(
            "某阅读平台",
            "页面写着续费立减50%，实际扣费时按原价收取，客服说活动已经结束了，要求退还差价。",
        ),
    )
    .await;
    let plain = file(
        &app,
        &story(
            "某阅读平台",
            "页面写着续费立减500元，实际扣费时按原价收取，客服说活动已经结束了，要求退还差价。",
        ),
    )
    .await;

    let q = |s: &str| {
        format!(
            "q={}",
            url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
        )
    };
    assert_eq!(
        ids_for(&app, &token, &q("降速")).await,
        set_of(&[slowed.id]),
        "two characters"
    );
    assert_eq!(
        ids_for(&app, &token, &q("入口")).await,
        set_of(&[c1.id, c3.id]),
        "two characters, several cases"
    );
    assert_eq!(
        ids_for(&app, &token, &q("保号套")).await,
        set_of(&[c1.id]),
        "three characters"
    );
    assert_eq!(
        ids_for(&app, &token, &q("降级入口")).await,
        set_of(&[c1.id]),
        "four characters inside a sentence"
    );
    assert_eq!(
        ids_for(&app, &token, &q("某云存储")).await,
        set_of(&[c4.id]),
        "company names are searched"
    );
    assert_eq!(
        ids_for(&app, &token, &q("降级 客服")).await,
        set_of(&[c1.id, c3.id, c4.id, apart.id]),
        "every word must occur"
    );
    assert_eq!(
        ids_for(&app, &token, &q("降速 运营商")).await,
        set_of(&[slowed.id]),
        "short and long words combine"
    );
    // LIKE wildcards are literal.
    assert_eq!(ids_for(&app, &token, &q("0%")).await, set_of(&[percent.id]));
    assert_eq!(
        ids_for(&app, &token, &q("立减50%")).await,
        set_of(&[percent.id])
    );
    assert!(ids_for(&app, &token, &q("0_")).await.is_empty());
    assert!(ids_for(&app, &token, &q("%%")).await.is_empty());
    assert!(
        ids_for(&app, &token, &q("\"降级")).await.is_empty(),
        "quotes do not break the FTS query"
    );
    // Search combines with filters.
    assert_eq!(
        ids_for(&app, &token, &format!("{}&company=某阅读平台", q("扣费"))).await,
        set_of(&[percent.id, plain.id])
    );

    // The index follows edits of the searched text.
    let mut m: complaint::ActiveModel = complaint_by_id(&app, plain.id).await.into();
    m.narrative = Set("客服承诺的降速补偿一直没有兑现，续费时还是按原价收取了费用。".into());
    m.update(&app.state.db.write).await.expect("update");
    assert_eq!(
        ids_for(&app, &token, &q("降速补偿")).await,
        set_of(&[plain.id])
    );
    assert!(ids_for(&app, &token, &q("立减500元")).await.is_empty());

    let (status, html) = rev.page(&app, &format!("/staff/cases?{}", q("降速"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&slowed.code) && !html.contains(&apart.code));
}

#[tokio::test]
async fn keyset_pages_have_no_gaps_or_overlaps_while_complaints_arrive() {
    let app = spawn().await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let token = token_for(&app, rev.id).await;
    for i in 0..23 {
        file(
            &app,
            &story(
                &format!("测试企业{i}"),
                "在App里找不到降级入口，客服让我反复打电话也没有解决问题。",
            ),
        )
        .await;
    }
    for sort in ["received_desc", "received_asc", "due"] {
        let before: HashSet<i64> = complaint::Entity::find()
            .all(&app.state.db.read)
            .await
            .expect("rows")
            .into_iter()
            .map(|c| c.id)
            .collect();
        let mut seen: Vec<i64> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let query = match &cursor {
                Some(c) => format!("limit=5&sort={sort}&cursor={c}"),
                None => format!("limit=5&sort={sort}"),
            };
            let (status, v) = api_cases(&app, &token, &query).await;
            assert_eq!(status, StatusCode::OK, "{v}");
            let page = ids_of(&v);
            assert!(page.len() <= 5);
            seen.extend(page);
            pages += 1;
            // New complaints arrive between page loads.
            for _ in 0..2 {
                file(
                    &app,
                    &story(
                        "新来的企业",
                        "升级一键完成，降级却要打三次电话，每次都被转到不同的部门。",
                    ),
                )
                .await;
            }
            match v["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
        assert!(pages >= 5, "{sort}: several pages");
        let unique: HashSet<i64> = seen.iter().copied().collect();
        assert_eq!(
            unique.len(),
            seen.len(),
            "{sort}: no complaint appears twice"
        );
        assert!(
            before.is_subset(&unique),
            "{sort}: no complaint was skipped"
        );
        if sort == "received_desc" {
            // Walking from the newest down never reaches complaints newer than the first page.
            assert_eq!(unique, before);
            let mut sorted = seen.clone();
            sorted.sort_unstable_by(|a, b| b.cmp(a));
            assert_eq!(seen, sorted);
        }
    }
    // The company filter pages through directory-linked and typed-name complaints alike.
    let co = NewCompany::named("新来的企业").add(&app).await;
    for _ in 0..4 {
        file(
            &app,
            &story(
                "新来的企业",
                "升级一键完成，降级却要打三次电话，每次都被转到不同的部门。",
            ),
        )
        .await;
    }
    let expected: HashSet<i64> = complaint::Entity::find()
        .filter(complaint::Column::CompanyName.eq("新来的企业"))
        .all(&app.state.db.read)
        .await
        .expect("rows")
        .into_iter()
        .map(|c| c.id)
        .collect();
    let linked = complaint::Entity::find()
        .filter(complaint::Column::CompanyId.eq(co))
        .all(&app.state.db.read)
        .await
        .expect("rows")
        .len();
    assert!(linked == 4 && expected.len() > 4, "both kinds present");
    for sort in ["received_desc", "due"] {
        let mut seen = Vec::new();
        let mut cursor = String::new();
        loop {
            let (status, v) = api_cases(
                &app,
                &token,
                &format!("company=新来的企业&limit=4&sort={sort}&cursor={cursor}"),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{v}");
            seen.extend(ids_of(&v));
            match v["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => break,
            }
        }
        assert_eq!(seen.len(), expected.len(), "{sort}: no repeats");
        assert_eq!(
            seen.iter().copied().collect::<HashSet<_>>(),
            expected,
            "{sort}: no gaps"
        );
    }

    // A cursor belongs to its sort order.
    let (_, v) = api_cases(&app, &token, "limit=2").await;
    let c = v["next_cursor"].as_str().expect("cursor");
    let (status, v) = api_cases(&app, &token, &format!("limit=2&sort=due&cursor={c}")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["errors"]["cursor"].is_array());
    // The page links to the next page with its filters kept.
    let (_, html) = rev
        .page(&app, "/staff/cases?limit=3&sector=cloud_storage")
        .await;
    assert!(
        html.contains("rel=\"next\"")
            && html.contains("sector=cloud_storage")
            && html.contains("cursor=")
    );
}

#[tokio::test]
async fn a_case_walks_from_received_to_closed_and_illegal_steps_are_refused() {
    let app = spawn().await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let mut doc = reference_case(1);
    doc["contact_email"] = json!("li.lei@example.com");
    let c1 = file(&app, &doc).await;
    NewCompany::named("某通信运营商北京分公司")
        .contact("complaints@operator.example.cn")
        .add(&app)
        .await;

    // Forwarding before acceptance is not a step the workflow has.
    let r = rev.act(&app, c1.id, "forward", &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().await.expect("text").contains("不能执行"),
        "the refusal says why"
    );

    for (action, fields, status) in [
        ("accept", vec![], "accepted"),
        (
            "company",
            vec![("company_name", "某通信运营商北京分公司")],
            "accepted",
        ),
        ("forward", vec![], "forwarded"),
        (
            "response",
            vec![
                ("text", "已为用户办理8元保号套餐，并退还多收费用。"),
                ("category", "downgraded"),
            ],
            "responded",
        ),
        ("close", vec![("outcome", "resolved")], "closed"),
    ] {
        let r = rev.act(&app, c1.id, action, &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{action}");
        assert_eq!(
            r.headers()["location"].to_str().expect("ascii"),
            format!("/staff/cases/{}?done={action}#case-status", c1.id)
        );
        assert_eq!(
            complaint_by_id(&app, c1.id).await.status.code(),
            status,
            "after {action}"
        );
    }
    let c = complaint_by_id(&app, c1.id).await;
    assert!(
        c.accepted_at.is_some()
            && c.forwarded_at.is_some()
            && c.responded_at.is_some()
            && c.closed_at.is_some()
    );
    assert!(c.response_due_on.is_some() && c.response_timely == Some(true));
    assert_eq!(c.outcome.as_deref(), Some("resolved"));
    assert_eq!(
        c.company_response.as_deref(),
        Some("已为用户办理8元保号套餐，并退还多收费用。")
    );
    assert_eq!(c.version, 6);

    // Closed is final.
    let r = rev.act(&app, c1.id, "accept", &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(
        html.contains("状态为“已办结”的案件不能执行“受理”"),
        "clear message"
    );
    assert_eq!(complaint_by_id(&app, c1.id).await.status.code(), "closed");

    let history = status_history::Entity::find()
        .filter(status_history::Column::ComplaintId.eq(c1.id))
        .order_by_asc(status_history::Column::Id)
        .all(&app.state.db.read)
        .await
        .expect("history");
    let path: Vec<&str> = history.iter().map(|h| h.to_status.code()).collect();
    assert_eq!(
        path,
        ["received", "accepted", "forwarded", "responded", "closed"]
    );
    assert!(history.iter().all(|h| h.is_public));
    assert!(history[1..]
        .iter()
        .all(|h| h.actor.as_deref() == Some("reviewer@example.org")));
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::TargetId.eq(c1.id.to_string()))
        .all(&app.state.db.read)
        .await
        .expect("audit");
    for a in [
        "case_accept",
        "case_company",
        "case_forward",
        "case_response",
        "case_close",
    ] {
        assert!(audit.iter().any(|r| r.action == a), "audit row {a}");
    }
    assert!(
        audit
            .iter()
            .all(|r| !r.detail.as_deref().unwrap_or("").contains("li.lei")),
        "no personal data in audit rows"
    );

    // The consumer sees the public steps.
    let html = app
        .client
        .text_of(app.url(&format!("/track/{}", c1.code)))
        .await;
    for step in ["已受理", "已转企业", "企业已答复", "已办结"] {
        assert!(html.contains(step), "timeline shows {step}");
    }

    // Moderation: hold is hidden from the consumer, release brings the case back.
    let c2 = file(&app, &reference_case(2)).await;
    assert_eq!(
        rev.act(&app, c2.id, "hold", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let view: Value = app
        .client
        .fetch(app.url(&format!("/api/v1/complaints/{}", c2.code)))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        view["status"], "received",
        "held looks received from outside"
    );
    assert_eq!(
        rev.act(&app, c2.id, "release", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(complaint_by_id(&app, c2.id).await.status.code(), "received");
    // Rejection needs a reason; the form comes back with the message.
    let r = rev.act(&app, c2.id, "reject", &[("reason", "  ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("此项为必填项"));
    assert_eq!(complaint_by_id(&app, c2.id).await.status.code(), "received");
    assert_eq!(
        rev.act(&app, c2.id, "reject", &[("reason", "不属于本会受理范围")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let c = complaint_by_id(&app, c2.id).await;
    assert_eq!(
        (c.status.code(), c.rejection_reason.as_deref()),
        ("rejected", Some("不属于本会受理范围"))
    );

    // Forwarding needs the consumer's consent (case 2 did not give it) and a company contact.
    let c2b = file(&app, &reference_case(2)).await;
    rev.act(&app, c2b.id, "accept", &[]).await;
    let r = rev.act(&app, c2b.id, "forward", &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("text")
        .contains("消费者不同意把投诉转给企业"));
    let c3 = file(&app, &reference_case(3)).await;
    rev.act(&app, c3.id, "accept", &[]).await;
    let r = rev.act(&app, c3.id, "forward", &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("text")
        .contains("请先把案件关联到企业名录中的企业"));
    // Linking an unknown company needs an explicit "create".
    let r = rev
        .act(
            &app,
            c3.id,
            "company",
            &[("company_name", "某办公软件公司")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        rev.act(
            &app,
            c3.id,
            "company",
            &[("company_name", "某办公软件公司"), ("create", "1")]
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    let r = rev.act(&app, c3.id, "forward", &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("没有转送联系人"));

    // Withdrawal, and closing without a company answer.
    assert_eq!(
        rev.act(&app, c2b.id, "withdraw", &[("note", "消费者来电撤回")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        complaint_by_id(&app, c2b.id).await.status.code(),
        "withdrawn"
    );
    let r = rev.act(&app, c3.id, "close", &[("outcome", "maybe")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        rev.act(&app, c3.id, "close", &[("outcome", "not_resolved")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    // Unknown cases and malformed ids are 404s.
    assert_eq!(
        rev.act_at(&app, 999_999, 1, "accept", &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        rev.page(&app, "/staff/cases/abc").await.0,
        StatusCode::NOT_FOUND
    );
    // A regulator cannot act on cases.
    let regulator = staff(&app, "regulator@example.org", Role::Regulator).await;
    assert_eq!(
        regulator
            .act(&app, c3.id, "note", &[("body", "x")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn obstacle_codes_primary_assignment_and_notes_are_recorded_with_who_did_them() {
    let app = spawn().await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let c = file(&app, &reference_case(2)).await;
    let (_, html) = rev.page(&app, &format!("/staff/cases/{}", c.id)).await;
    // Suggestions with their score and the text that triggered them; the narrative escaped.
    assert!(
        html.contains("WINDOW") && html.contains("到期前3日"),
        "suggestion and trigger text shown"
    );
    assert!(
        html.contains("预先勾选")
            && html.contains("id=\"code-WINDOW\" name=\"codes\" value=\"WINDOW\" checked")
    );

    let r = rev
        .act(
            &app,
            c.id,
            "obstacles",
            &[
                ("codes", "WINDOW"),
                ("codes", "HIDDEN-ENTRY"),
                ("codes", "RETAIN"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rows = complaint_obstacle::Entity::find()
        .filter(complaint_obstacle::Column::ComplaintId.eq(c.id))
        .filter(complaint_obstacle::Column::Source.eq("reviewer"))
        .all(&app.state.db.read)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 3);
    assert!(rows
        .iter()
        .all(|r| r.set_by.as_deref() == Some("reviewer@example.org")));
    let suggestions_before = complaint_obstacle::Entity::find()
        .filter(complaint_obstacle::Column::ComplaintId.eq(c.id))
        .filter(complaint_obstacle::Column::Source.eq("suggestion"))
        .all(&app.state.db.read)
        .await
        .expect("rows")
        .len();

    assert_eq!(
        rev.act(&app, c.id, "primary", &[("primary", "WINDOW")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let r = rev
        .act(&app, c.id, "primary", &[("primary", "BOT-WALL")])
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "primary must be confirmed"
    );
    assert_eq!(
        complaint_by_id(&app, c.id)
            .await
            .primary_obstacle
            .as_deref(),
        Some("WINDOW")
    );

    // Unticking removes reviewer rows only; the primary goes with its code.
    assert_eq!(
        rev.act(
            &app,
            c.id,
            "obstacles",
            &[("codes", "HIDDEN-ENTRY"), ("codes", "BOT-WALL")]
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    let all = complaint_obstacle::Entity::find()
        .filter(complaint_obstacle::Column::ComplaintId.eq(c.id))
        .all(&app.state.db.read)
        .await
        .expect("rows");
    let mut confirmed: Vec<&str> = all
        .iter()
        .filter(|r| r.source == "reviewer")
        .map(|r| r.obstacle_code.as_str())
        .collect();
    confirmed.sort_unstable();
    assert_eq!(confirmed, ["BOT-WALL", "HIDDEN-ENTRY"]);
    assert_eq!(
        all.iter().filter(|r| r.source == "suggestion").count(),
        suggestions_before,
        "suggestions stay"
    );
    assert_eq!(complaint_by_id(&app, c.id).await.primary_obstacle, None);
    let r = rev
        .act(&app, c.id, "obstacles", &[("codes", "NOT-A-CODE")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The API reports confirmed codes and the suggestions with their evidence.
    let token = token_for(&app, rev.id).await;
    let v: Value = app
        .client
        .get(app.url(&format!("/api/v1/cases/{}", c.id)))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let mut codes: Vec<String> = v["obstacle_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|x| x.as_str().unwrap_or("").to_string())
        .collect();
    codes.sort();
    assert_eq!(codes, ["BOT-WALL", "HIDDEN-ENTRY"]);
    let window = v["suggested_obstacles"]
        .as_array()
        .expect("suggestions")
        .iter()
        .find(|s| s["code"] == "WINDOW")
        .expect("WINDOW suggested");
    assert!(
        window["score"].as_f64().is_some_and(|s| s > 0.0)
            && window["evidence"][0].as_str().is_some()
    );
    assert!(v["reviewer_obstacles"][0]["set_by"] == "reviewer@example.org");

    // Assignment only to active staff.
    let other = staff(&app, "second@example.org", Role::Reviewer).await;
    let regulator = staff(&app, "regulator@example.org", Role::Regulator).await;
    assert_eq!(
        rev.act(
            &app,
            c.id,
            "assign",
            &[("user_id", &regulator.id.to_string())]
        )
        .await
        .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        rev.act(&app, c.id, "assign", &[("user_id", &other.id.to_string())])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        complaint_by_id(&app, c.id).await.assigned_to,
        Some(other.id)
    );
    assert_eq!(
        rev.act(&app, c.id, "assign", &[("user_id", "")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(complaint_by_id(&app, c.id).await.assigned_to, None);

    // Notes are internal.
    assert_eq!(
        rev.act(&app, c.id, "note", &[("body", "<b>已电话联系</b>消费者")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let (_, html) = rev.page(&app, &format!("/staff/cases/{}", c.id)).await;
    assert!(
        html.contains("&lt;b&gt;已电话联系") && !html.contains("<b>已电话联系"),
        "notes are escaped"
    );
    let public = app
        .client
        .text_of(app.url(&format!("/track/{}", c.code)))
        .await;
    assert!(!public.contains("已电话联系"));
    let r = rev.act(&app, c.id, "note", &[("body", "   ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn working_day_clocks_cross_national_day_and_a_make_up_saturday() {
    let app = spawn().await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let cal = &app.state.reference().calendar;
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    // The seeded holiday table gives the worked examples of holidays.md.
    assert_eq!(cal.add_working_days(d("2026-09-18"), 7), d("2026-09-29"));
    assert_eq!(cal.add_working_days(d("2026-02-12"), 7), d("2026-02-28"));

    NewCompany::named("某通信运营商北京分公司")
        .contact("complaints@operator.example.cn")
        .add(&app)
        .await;
    let shanghai = |y, m, day, h| -> DateTime<Utc> {
        downgrade_watch::domain::format::shanghai()
            .with_ymd_and_hms(y, m, day, h, 0, 0)
            .single()
            .expect("time")
            .with_timezone(&Utc)
    };
    let mut ids = Vec::new();
    for _ in 0..2 {
        // A refund: outside the priority lane, so the statutory 10 working days apply.
        let mut doc = reference_case(1);
        doc["requested_action"] = serde_json::json!("refund");
        let c = file(&app, &doc).await;
        rev.act(&app, c.id, "accept", &[]).await;
        rev.act(
            &app,
            c.id,
            "company",
            &[("company_name", "某通信运营商北京分公司")],
        )
        .await;
        // Forwarded on Wednesday 30 September 2026 (Beijing time), just before 国庆.
        let v = complaint_by_id(&app, c.id).await.version;
        actions::apply(
            &app.state.case_work(),
            &rev.actor(),
            c.id,
            v,
            Change::Forward,
            shanghai(2026, 9, 30, 17),
        )
        .await
        .expect("forward");
        let c = complaint_by_id(&app, c.id).await;
        assert_eq!(
            c.response_due_on,
            Some(d("2026-10-20")),
            "10 working days: 10-08 .. 10-10 (Saturday, 调休) .. 10-20"
        );
        ids.push(c.id);
    }
    let answers = [
        // Answered on the due day (late evening Beijing time is still that day): timely.
        (ids[0], shanghai(2026, 10, 20, 23), true),
        // One day later: late.
        (ids[1], shanghai(2026, 10, 21, 9), false),
    ];
    for (id, at, timely) in answers {
        let v = complaint_by_id(&app, id).await.version;
        actions::apply(
            &app.state.case_work(),
            &rev.actor(),
            id,
            v,
            Change::RecordResponse {
                text: "已处理".into(),
                category: downgrade_watch::domain::ResponseCategory::Downgraded,
                source: Box::new(actions::ResponseSource::staff(None)),
            },
            at,
        )
        .await
        .expect("respond");
        assert_eq!(
            complaint_by_id(&app, id).await.response_timely,
            Some(timely),
            "complaint {id} answered at {at}"
        );
    }
    let (_, html) = rev.page(&app, &format!("/staff/cases/{}", ids[1])).await;
    assert!(
        html.contains("2026年10月20日") && html.contains("超期"),
        "due date and lateness shown"
    );
}

#[tokio::test]
async fn likely_duplicates_are_proposed_and_merging_keeps_both_histories() {
    let app = spawn().await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let mut first = reference_case(4);
    first["contact_email"] = json!("wang@example.com");
    let a = file(&app, &first).await;
    // The same story typed again with other punctuation, without contact data.
    let mut again = reference_case(4);
    again["narrative"] = json!(reference_case(4)["narrative"]
        .as_str()
        .expect("text")
        .replace('，', ", ")
        .replace('。', ". "));
    let b = file(&app, &again).await;
    // Same contact, different story and company.
    let mut same_contact = reference_case(2);
    same_contact["contact_email"] = json!("wang@example.com");
    let c = file(&app, &same_contact).await;
    // Unrelated.
    let d = file(&app, &reference_case(3)).await;
    rev.act(&app, a.id, "accept", &[]).await;

    let (status, html) = rev
        .page(&app, &format!("/staff/cases/{}?duplicates=1", b.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&a.code) && html.contains("描述几乎相同"),
        "same story proposed"
    );
    assert!(!html.contains(&c.code) && !html.contains(&d.code));
    let (_, html) = rev
        .page(&app, &format!("/staff/cases/{}?duplicates=1", c.id))
        .await;
    assert!(
        html.contains(&a.code) && html.contains("邮箱相同"),
        "same contact proposed"
    );
    let (_, html) = rev.page(&app, &format!("/staff/cases/{}", b.id)).await;
    // Filed after A with a near-identical story: the intake note already proposes A.
    assert!(html.contains(&a.code), "proposed at intake as a note");

    // Merge B into A (by tracking code, as typed by a reviewer).
    assert_eq!(
        rev.act(
            &app,
            b.id,
            "duplicate",
            &[("target", &a.code.to_lowercase())]
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    let merged = complaint_by_id(&app, b.id).await;
    assert_eq!(
        (merged.status.code(), merged.duplicate_of),
        ("duplicate", Some(a.id))
    );
    let hist = |id| {
        status_history::Entity::find()
            .filter(status_history::Column::ComplaintId.eq(id))
            .all(&app.state.db.read)
    };
    let hb: Vec<String> = hist(b.id)
        .await
        .expect("rows")
        .into_iter()
        .map(|h| h.to_status.code().to_string())
        .collect();
    let ha: Vec<String> = hist(a.id)
        .await
        .expect("rows")
        .into_iter()
        .map(|h| h.to_status.code().to_string())
        .collect();
    assert_eq!(hb, ["received", "duplicate"]);
    assert_eq!(
        ha,
        ["received", "accepted"],
        "the target keeps its own history"
    );
    let notes = case_note::Entity::find()
        .filter(case_note::Column::ComplaintId.eq(a.id))
        .all(&app.state.db.read)
        .await
        .expect("notes");
    assert!(
        notes.iter().any(|n| n.body.contains(&b.code)),
        "a note on the target names the merged case"
    );
    let (_, html) = rev.page(&app, &format!("/staff/cases/{}", a.id)).await;
    assert!(
        html.contains(&format!("/staff/cases/{}", b.id)),
        "the target links the merged case"
    );

    // Merging into a duplicate, into itself or into nothing is refused.
    let r = rev
        .act(&app, d.id, "duplicate", &[("target", &b.id.to_string())])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().await.expect("text").contains(&a.code),
        "points to the case it was merged into"
    );
    assert_eq!(
        rev.act(&app, d.id, "duplicate", &[("target", &d.id.to_string())])
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        rev.act(&app, d.id, "duplicate", &[("target", "DW-2222-2222")])
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // A merged case no longer shows up as a proposal.
    let (_, html) = rev
        .page(&app, &format!("/staff/cases/{}?duplicates=1", a.id))
        .await;
    assert!(!html.contains(&format!("target\" value=\"{}\"", b.id)));
}

#[tokio::test]
async fn a_second_reviewer_working_from_a_stale_page_gets_409_and_the_first_edit_stays() {
    let app = spawn().await;
    let first = staff(&app, "first@example.org", Role::Reviewer).await;
    let second = staff(&app, "second@example.org", Role::Admin).await;
    let c = file(&app, &reference_case(3)).await;
    // Both open the case page; the version is in every action form.
    let (_, page1) = first.page(&app, &format!("/staff/cases/{}", c.id)).await;
    let (_, page2) = second.page(&app, &format!("/staff/cases/{}", c.id)).await;
    let version = |html: &str| -> i32 {
        let marker = "name=\"version\" value=\"";
        let start = html.find(marker).expect("version field") + marker.len();
        html[start..]
            .split('"')
            .next()
            .expect("value")
            .parse()
            .expect("number")
    };
    assert_eq!(version(&page1), version(&page2));
    let v = version(&page1);

    let r = first
        .act_at(&app, c.id, v, "reject", &[("reason", "重复提交的测试投诉")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = second.act_at(&app, c.id, v, "accept", &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.expect("text");
    assert!(
        html.contains("其他人已修改了它") && html.contains("不予受理"),
        "tells the second reviewer and shows the current state"
    );
    let now = complaint_by_id(&app, c.id).await;
    assert_eq!(
        (now.status.code(), now.rejection_reason.as_deref()),
        ("rejected", Some("重复提交的测试投诉")),
        "the first edit is kept"
    );
    // The same goes for non-status edits.
    let r = second
        .act_at(
            &app,
            c.id,
            v,
            "assign",
            &[("user_id", &second.id.to_string())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(complaint_by_id(&app, c.id).await.assigned_to, None);
    // And for two requests racing through the service.
    let c2 = file(&app, &reference_case(4)).await;
    let (a1, a2) = (first.actor(), second.actor());
    let work = app.state.case_work();
    let (x, y) = tokio::join!(
        actions::apply(&work, &a1, c2.id, 1, Change::Accept, Utc::now()),
        actions::apply(&work, &a2, c2.id, 1, Change::Hold, Utc::now()),
    );
    assert!(x.is_ok() != y.is_ok(), "exactly one wins");
    assert!(matches!(
        x.err().or(y.err()),
        Some(actions::CaseError::Conflict)
    ));
}

#[tokio::test]
async fn every_view_of_contact_data_is_audited() {
    let app = spawn().await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let token = token_for(&app, rev.id).await;
    let mut doc = reference_case(1);
    doc["contact_email"] = json!("private.person@example.com");
    doc["contact_phone"] = json!("13912345678");
    let with = file(&app, &doc).await;
    let without = file(&app, &reference_case(2)).await;
    let views = |id: i64| {
        let db = app.state.db.read.clone();
        async move {
            audit_log::Entity::find()
                .filter(audit_log::Column::Action.eq("view_contact"))
                .filter(audit_log::Column::TargetId.eq(id.to_string()))
                .all(&db)
                .await
                .expect("rows")
        }
    };
    assert!(views(with.id).await.is_empty());

    // The queue page shows no contact data and writes nothing.
    rev.page(&app, "/staff/cases").await;
    assert!(views(with.id).await.is_empty());
    let (_, html) = rev.page(&app, &format!("/staff/cases/{}", with.id)).await;
    assert!(html.contains("private.person@example.com") && html.contains("13912345678"));
    assert_eq!(views(with.id).await.len(), 1);
    let (_, v) = api_cases(&app, &token, "").await;
    assert!(v["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|i| i["contact_phone"] == "13912345678"));
    assert_eq!(views(with.id).await.len(), 2);
    let r = app
        .client
        .get(app.url(&format!("/api/v1/cases/{}", with.id)))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    let rows = views(with.id).await;
    assert_eq!(rows.len(), 3);
    assert!(rows
        .iter()
        .all(|r| r.actor == "reviewer@example.org" && r.actor_user_id == Some(rev.id)));
    assert!(rows.iter().all(
        |r| !r.detail.as_deref().unwrap_or("").contains("13912345678")
            && !r.detail.as_deref().unwrap_or("").contains("private.person")
    ));
    // No contact data, no audit row.
    rev.page(&app, &format!("/staff/cases/{}", without.id))
        .await;
    assert!(views(without.id).await.is_empty());
    // Regulators cannot reach the staff API.
    let reg = staff(&app, "regulator@example.org", Role::Regulator).await;
    let reg_token = token_for(&app, reg.id).await;
    assert_eq!(
        api_cases(&app, &reg_token, "").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.client.status_of(app.url("/api/v1/cases")).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.client
            .get(app.url("/api/v1/cases/abc"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("get")
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn consumers_and_companies_get_mail_through_a_real_smtp_server() {
    let smtp = SmtpServer::start().await;
    let app = spawn_with(Opts {
        smtp_url: Some(smtp.url()),
        ..Opts::default()
    })
    .await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    NewCompany::named("某云存储服务商")
        .contact("service@cloud.example.cn")
        .add(&app)
        .await;
    let mut doc = reference_case(4);
    doc["contact_email"] = json!("zhang@example.com");
    doc["contact_name"] = json!("张三");
    let c = file(&app, &doc).await;
    let mut en = reference_case(1);
    en["contact_email"] = json!("jane@example.org");
    en["language"] = json!("en");
    let e = file(&app, &en).await;
    assert_eq!(
        smtp.wait_for(2, Duration::from_secs(15)).await.len(),
        2,
        "two receipts"
    );

    rev.act(&app, c.id, "accept", &[]).await;
    rev.act(&app, c.id, "company", &[("company_name", "某云存储服务商")])
        .await;
    rev.act(&app, c.id, "forward", &[]).await;
    rev.act(&app, c.id, "close", &[("outcome", "partially_resolved")])
        .await;
    rev.act(
        &app,
        e.id,
        "reject",
        &[(
            "reason",
            "Outside our remit: please contact the operator first.",
        )],
    )
    .await;
    let mails = smtp.wait_for(7, Duration::from_secs(20)).await;
    assert_eq!(
        mails.len(),
        7,
        "receipts, accepted, forwarded (consumer and company), closed, rejected"
    );
    let to = |addr: &str| {
        mails
            .iter()
            .filter(|m| m.to.iter().any(|t| t.contains(addr)))
            .map(|m| m.text())
            .collect::<Vec<_>>()
    };
    let consumer = to("zhang@example.com");
    assert_eq!(consumer.len(), 4);
    assert!(consumer
        .iter()
        .any(|t| t.contains("已受理") && t.contains(&c.code)));
    assert!(consumer
        .iter()
        .any(|t| t.contains("已转企业") && t.contains("企业应在") && t.contains("前答复")));
    assert!(consumer
        .iter()
        .any(|t| t.contains("已办结") && t.contains("部分解决")));
    assert!(consumer
        .iter()
        .all(|t| t.contains(&format!("http://downgrade-watch.test/track/{}", c.code))));
    let company = to("service@cloud.example.cn");
    assert_eq!(company.len(), 1);
    assert!(
        company[0].contains(&c.code)
            && company[0].contains("次月仍然按30元扣费")
            && company[0].contains("张三"),
        "the case facts and the consented contact"
    );
    let english = to("jane@example.org");
    assert!(
        english
            .iter()
            .any(|t| t.contains("Outside our remit") && t.contains("Not accepted")),
        "in the complaint's language, with the reason"
    );

    // Holding tells nobody; releasing sends the receipt that intake held back, once.
    let mut spam = reference_case(2);
    spam["contact_email"] = json!("maybe.spam@example.com");
    let s = file(&app, &spam).await;
    let mails_before = smtp.wait_for(8, Duration::from_secs(10)).await.len();
    assert_eq!(mails_before, 8, "its receipt");
    rev.act(&app, s.id, "hold", &[]).await;
    rev.act(&app, s.id, "release", &[]).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        smtp.mails().len(),
        8,
        "no mail for hold, and no second receipt on release"
    );
}

#[tokio::test]
async fn releasing_a_complaint_held_at_intake_sends_its_receipt() {
    let smtp = SmtpServer::start().await;
    let app = spawn_with(Opts {
        smtp_url: Some(smtp.url()),
        ..Opts::default()
    })
    .await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let mut doc = reference_case(3);
    doc["contact_email"] = json!("held@example.com");
    let c = file(&app, &doc).await;
    // Held at intake (as the spam checks do): no receipt yet.
    let mut m: complaint::ActiveModel = complaint_by_id(&app, c.id).await.into();
    m.status = Set(Status::Held);
    m.update(&app.state.db.write).await.expect("update");
    downgrade_watch::entities::mail_outbox::Entity::delete_many()
        .exec(&app.state.db.write)
        .await
        .expect("clear outbox");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = smtp.mails().len();
    assert_eq!(
        rev.act(&app, c.id, "release", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let mails = smtp.wait_for(sent + 1, Duration::from_secs(15)).await;
    assert!(
        mails
            .iter()
            .any(|m| m.text().contains(&c.code) && m.text().contains("审核人员将在")),
        "receipt after release"
    );
}

#[tokio::test]
async fn evidence_is_downloaded_by_staff_only_with_safe_headers() {
    let app = spawn().await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let c = file(&app, &reference_case(4)).await;
    upload_png(&app, &c).await;
    let other = file(&app, &reference_case(1)).await;
    let fid = downgrade_watch::entities::evidence_file::Entity::find()
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("file")
        .id;
    let (_, html) = rev.page(&app, &format!("/staff/cases/{}", c.id)).await;
    assert!(
        html.contains(&format!("/staff/cases/{}/evidence/{fid}", c.id))
            && html.contains("账单截图.png")
    );

    let r = rev
        .client
        .fetch(app.url(&format!("/staff/cases/{}/evidence/{fid}", c.id)))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["content-security-policy"], "default-src 'none'; sandbox");
    let cd = h["content-disposition"].to_str().expect("ascii");
    assert!(
        cd.starts_with("attachment;")
            && cd.contains(&format!("evidence-{fid}.png"))
            && cd.contains("filename*=UTF-8''%E8%B4%A6"),
        "{cd}"
    );
    assert_eq!(r.bytes().await.expect("bytes").to_vec(), tiny_png());
    assert!(audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("view_evidence"))
        .one(&app.state.db.read)
        .await
        .expect("q")
        .is_some());

    // Not through another case, not for unknown ids, not for regulators or the public.
    assert_eq!(
        rev.client
            .status_of(app.url(&format!("/staff/cases/{}/evidence/{fid}", other.id)))
            .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        rev.client
            .status_of(app.url(&format!("/staff/cases/{}/evidence/x", c.id)))
            .await,
        StatusCode::NOT_FOUND
    );
    let reg = staff(&app, "regulator@example.org", Role::Regulator).await;
    assert_eq!(
        reg.client
            .status_of(app.url(&format!("/staff/cases/{}/evidence/{fid}", c.id)))
            .await,
        StatusCode::FORBIDDEN
    );
    let anon = app
        .client
        .fetch(app.url(&format!("/staff/cases/{}/evidence/{fid}", c.id)))
        .await;
    assert_eq!(anon.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_consumer_answers_was_this_resolved_on_the_tracking_page() {
    let app = spawn().await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let c = file(&app, &reference_case(2)).await;
    let track = app.url(&format!("/track/{}", c.code));
    let reply = app.url(&format!("/track/{}/reply", c.code));

    // Not before the complaint is accepted.
    let html = app.client.text_of(&track).await;
    assert!(!html.contains("问题解决了吗"));
    let r = app
        .client
        .post(&reply)
        .form(&[("outcome", "resolved")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("text")
        .contains("投诉受理后才可以回答"));

    rev.act(&app, c.id, "accept", &[]).await;
    let html = app.client.text_of(&track).await;
    assert!(
        html.contains("您的问题解决了吗")
            && html.contains(&format!("action=\"/track/{}/reply\"", c.code))
    );

    // Bad input comes back with the message and what was typed.
    let r = app
        .client
        .post(&reply)
        .form(&[("outcome", "sort_of"), ("message", "还在扣费")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(html.contains("请选择一个回答") && html.contains("还在扣费"));
    let long = "长".repeat(2001);
    let r = app
        .client
        .post(&reply)
        .form(&[("outcome", "resolved"), ("message", long.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let r = app
        .client
        .post(&reply)
        .form(&[
            ("outcome", "partially_resolved"),
            ("message", "已降级，但多扣的钱还没退。"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"].to_str().expect("ascii"),
        format!("/track/{}?replied=1#reply", c.code)
    );
    let row = complaint_by_id(&app, c.id).await;
    assert_eq!(
        row.outcome_feedback.as_deref(),
        Some(Outcome::PartiallyResolved.code())
    );
    assert!(row.outcome_feedback_at.is_some());
    let replies = consumer_reply::Entity::find()
        .filter(consumer_reply::Column::ComplaintId.eq(c.id))
        .all(&app.state.db.read)
        .await
        .expect("rows");
    assert_eq!(replies.len(), 1);
    assert_eq!(
        replies[0].message.as_deref(),
        Some("已降级，但多扣的钱还没退。")
    );
    let html = app.client.text_of(format!("{track}?replied=1")).await;
    assert!(html.contains("谢谢，您的回答已保存") && html.contains("您上次的回答：部分解决"));
    // Staff see it on the case page.
    let (_, html) = rev.page(&app, &format!("/staff/cases/{}", c.id)).await;
    assert!(html.contains("已降级，但多扣的钱还没退。"));
    // Unknown codes are 404s.
    let r = app
        .post_form("/track/DW-2222-2222/reply", &[("outcome", "resolved")])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tracking_page_replies_are_rate_limited_like_intake() {
    let app = spawn_with(Opts {
        intake_limit: "2/minute".into(),
        ..Opts::default()
    })
    .await;
    let c = file(&app, &reference_case(1)).await;
    let reply = app.url(&format!("/track/{}/reply", c.code));
    let mut last = StatusCode::OK;
    for _ in 0..3 {
        last = app
            .client
            .post(&reply)
            .form(&[("outcome", "resolved"), ("message", "谢谢")])
            .send()
            .await
            .expect("post")
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_search_matching_thousands_of_complaints_pages_in_queue_order() {
    use sea_orm::ConnectionTrait;
    let app = spawn().await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let token = token_for(&app, rev.id).await;
    // 2 100 complaints in one statement (filing them one by one would take minutes).
    let db = &app.state.db.write;
    let at = Utc::now() - chrono::Duration::days(1);
    db.execute(downgrade_watch::store::sql::stmt(
        db.get_database_backend(),
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2100) \
         INSERT INTO complaints (tracking_code, evidence_token_hash, status, sector, company_name, requested_action, \
           channels_tried, narrative, consent_share_narrative, consent_contact_company, language, submitted_via, \
           spam_reasons, taxonomy_version, received_at, updated_at, version, tags) \
         SELECT 'BULK-' || CAST(x AS TEXT), 'x', 'received', 'telecom', '批量企业', 'downgrade', 'app', \
           '第' || CAST(x AS TEXT) || '位消费者：客服说合约期内不能降级，只能升级。', false, false, 'zh-CN', 'api', '', 'v1', $1, $2, 1, '' \
         FROM n",
        vec![at.into(), at.into()],
    ))
    .await
    .expect("bulk insert");
    let newer = file(
        &app,
        &story(
            "某企业",
            "客服说要等到合约期结束才可以降级，升级却随时能办。",
        ),
    )
    .await;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        let plan =
            downgrade_watch::services::cases::search::fts_plan(&app.state.db.read, "\"客服说\"")
                .await
                .expect("plan");
        assert_eq!(
            plan,
            downgrade_watch::services::cases::search::FtsPlan::Scan,
            "many matches: walk the order index"
        );
    }
    let mut seen: Vec<i64> = Vec::new();
    let mut cursor = String::new();
    loop {
        let (status, v) =
            api_cases(&app, &token, &format!("q=客服说&limit=200&cursor={cursor}")).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        seen.extend(ids_of(&v));
        match v["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 2101);
    assert_eq!(seen[0], newer.id, "newest first");
    // Equal timestamps fall back to the id, descending.
    assert!(seen[1..].windows(2).all(|w| w[0] > w[1]));
    assert_eq!(seen.iter().copied().collect::<HashSet<_>>().len(), 2101);
    // A rarer word takes the other plan and finds the one complaint.
    let (_, v) = api_cases(&app, &token, "q=第1234位").await;
    assert_eq!(v["items"].as_array().map(Vec::len), Some(1));
}
