//! The company loop in the figures (issue 15): no-responses count as late in every timely
//! rate, the no-response count, company-reported resolution, satisfaction and dispute rates on
//! the dashboard, the scorecard and the public pages, the repeat-offender flag, and the public
//! company pages with their suppressed cells. Rollups still equal a recount.
use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::Value as Json;

use crate::support::{
    exec, make_user, signed_in, spawn, CaseEnd, Complaint, Fetch, NewCompany, TestApp,
};
use downgrade_watch::domain::period::{self, Month};
use downgrade_watch::domain::ConsumerFeedback::{NotSatisfied, Satisfied};
use downgrade_watch::domain::ResponseCategory::*;
use downgrade_watch::domain::{format, Role};
use downgrade_watch::store::rollup;

/// The middle of the month `back` months before the current one (Shanghai), in UTC.
fn month_mid(back: i64) -> DateTime<Utc> {
    period::shanghai_start(Month::of(format::today()).plus(-back)) + Duration::days(14)
}

fn month_code(back: i64) -> String {
    Month::of(format::today()).plus(-back).code()
}

struct Seeded {
    /// 甲通信: 10 complaints last month — 4 answered on time, 2 late, 3 never, 1 not forwarded.
    a: i64,
    /// 乙视频: in each of the last two months 3 no-responses and 2 answers on time.
    b: i64,
}

async fn seed(app: &TestApp) -> Seeded {
    let a = NewCompany::named("甲通信").sector("telecom").add(app).await;
    let b = NewCompany::named("乙视频")
        .sector("video_membership")
        .add(app)
        .await;
    let last = month_mid(1);
    let ends_a = [
        CaseEnd::on_time(Downgraded).verdict(Satisfied),
        CaseEnd::on_time(Refunded).verdict(Satisfied),
        CaseEnd::on_time(ExplainedNoChange).verdict(NotSatisfied),
        CaseEnd::on_time(NotOurCustomer),
        CaseEnd::late(PartlyResolved).verdict(NotSatisfied),
        CaseEnd::late(Disputed),
        CaseEnd::no_response(),
        CaseEnd::no_response(),
        CaseEnd::no_response(),
    ];
    for end in ends_a {
        let id = Complaint::reference(1).file(app).await.id;
        end.apply(app, id, a, last).await;
    }
    let waiting = Complaint::reference(1).file(app).await.id;
    exec(
        app,
        "UPDATE complaints SET received_at = $1, company_id = $2 WHERE id = $3",
        vec![last.into(), a.into(), waiting.into()],
    )
    .await;
    for back in [1, 2] {
        for i in 0..5 {
            let id = Complaint::reference(2).file(app).await.id;
            let end = if i < 3 {
                CaseEnd::no_response()
            } else {
                CaseEnd::on_time(Downgraded)
            };
            end.apply(app, id, b, month_mid(back)).await;
        }
    }
    let bad = rollup::mismatches(&app.state.db.read)
        .await
        .expect("recount");
    assert!(bad.is_empty(), "rollups differ from a recount: {bad:?}");
    Seeded { a, b }
}

async fn regulator(app: &TestApp) -> reqwest::Client {
    make_user(app, "regulator@example.org", Role::Regulator).await;
    signed_in(app, "regulator@example.org").await
}

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let r = client.fetch(app.url(path)).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.text().await.expect("text")
}

/// The text of the `<dd>` after `<dt>{label}</dt>`, up to the first tag.
fn dd<'a>(html: &'a str, label: &str) -> &'a str {
    let key = format!("<dt>{label}</dt><dd");
    let at = html
        .find(&key)
        .unwrap_or_else(|| panic!("{label} in the headline"));
    let rest = &html[at + key.len()..];
    let rest = &rest[rest.find('>').expect("dd") + 1..];
    rest[..rest.find('<').unwrap_or(rest.len())].trim()
}

/// The table row whose header cell is `label` (a link or plain text).
fn row<'a>(html: &'a str, label: &str) -> &'a str {
    let at = html
        .find(&format!(">{label}</a></th>"))
        .or_else(|| html.find(&format!("<th scope=\"row\">{label}</th>")))
        .unwrap_or_else(|| panic!("a row for {label}"));
    let rest = &html[at..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn silence_counts_as_late_and_answers_verdicts_and_disputes_are_counted() {
    let app = spawn().await;
    let s = seed(&app).await;
    let client = regulator(&app).await;
    let period = month_code(1);

    // The dashboard over last month: both companies.
    let html = page(
        &client,
        &app,
        &format!("/regulator?period={period}&lang=en"),
    )
    .await;
    assert_eq!(dd(&html, "Complaints"), "15");
    // 6 on time of 14 judged (8 answered + 6 no-responses); 6 of 8 without the silent ones.
    assert_eq!(dd(&html, "Answered on time"), "43%");
    assert_eq!(dd(&html, "No response by the deadline"), "6");
    assert_eq!(dd(&html, "Consumers satisfied with the answer"), "50%");
    assert_eq!(dd(&html, "Answers disputed by the consumer"), "25%");

    // 甲通信's scorecard: 4 on time of 9 judged, 3 no-responses, 3 of 6 answers resolving,
    // 2 of 4 verdicts satisfied, 2 of 6 answers disputed.
    let html = page(
        &client,
        &app,
        &format!("/regulator/companies/{}?period={period}&lang=en", s.a),
    )
    .await;
    assert_eq!(dd(&html, "Answered on time"), "44%");
    assert_eq!(dd(&html, "No response by the deadline"), "3");
    assert_eq!(dd(&html, "Resolved, as reported by the company"), "50%");
    assert_eq!(dd(&html, "Consumers satisfied with the answer"), "50%");
    assert_eq!(dd(&html, "Answers disputed by the consumer"), "33%");
    let answers = row(&html, "Refunded");
    assert!(answers.contains(">1<"), "{answers}");
    assert!(html.contains("How the figures are defined"));

    // The same in Chinese.
    let html = page(
        &client,
        &app,
        &format!("/regulator/companies/{}?period={period}&lang=zh-CN", s.a),
    )
    .await;
    assert_eq!(dd(&html, "逾期未答复"), "3");
    assert_eq!(dd(&html, "消费者异议率"), "33%");

    // The period report carries the headline figures too.
    let html = page(
        &client,
        &app,
        &format!("/regulator/reports/{period}?lang=en"),
    )
    .await;
    assert_eq!(dd(&html, "No response by the deadline"), "6");
    assert_eq!(dd(&html, "Answered on time"), "43%");
}

#[tokio::test]
async fn a_company_silent_in_two_periods_running_is_flagged_as_a_repeat_offender() {
    let app = spawn().await;
    let s = seed(&app).await;
    let client = regulator(&app).await;
    let period = month_code(1);
    let html = page(
        &client,
        &app,
        &format!("/regulator/companies?period={period}&sort=no_response&lang=en"),
    )
    .await;
    // 乙视频: 3 no-responses last month and 3 the month before; 甲通信: 3 last month only.
    assert!(row(&html, "乙视频").contains("class=\"flag\""));
    assert!(!row(&html, "甲通信").contains("class=\"flag\""));
    assert!(
        html.find("乙视频").expect("b") < html.find("甲通信").expect("a"),
        "repeat offenders first when sorted by no-responses"
    );
    assert!(
        html.contains("at least 3 cases without a response"),
        "the rule is on the page"
    );

    let html = page(
        &client,
        &app,
        &format!("/regulator/companies/{}?period={period}&lang=en", s.b),
    )
    .await;
    assert!(row(&html, "Repeat offender").contains("Yes: fails the rule"));
    // Trend: 40% on time in both periods.
    let timely = row(&html, "Answered on time");
    assert!(timely.contains("40%") && timely.contains("+0"), "{timely}");

    // Over the month before, the period before that has no silence: not flagged.
    let html = page(
        &client,
        &app,
        &format!(
            "/regulator/companies/{}?period={}&lang=en",
            s.b,
            month_code(2)
        ),
    )
    .await;
    assert!(row(&html, "Repeat offender").contains(">No<"));
}

#[tokio::test]
async fn public_figures_and_company_pages_suppress_small_cells() {
    let app = spawn().await;
    let s = seed(&app).await;

    let stats: Json = app
        .client
        .fetch(app.url("/api/v1/stats"))
        .await
        .json()
        .await
        .expect("json");
    // 9 no-responses in the window: 甲通信 3, 乙视频 6, others 0. With 9 and 6 published the
    // small 3 would follow, so 乙视频's 6 is withheld too.
    assert_eq!(stats["no_response"], 9);
    let company = |id: i64| {
        stats["by_company"]
            .as_array()
            .expect("companies")
            .iter()
            .find(|c| c["company_id"] == id)
            .expect("listed")
            .clone()
    };
    assert_eq!(company(s.b)["no_response"], "x");
    let a = &company(s.a);
    assert_eq!(a["complaints"], 10);
    assert_eq!(a["no_response"], "<5");
    let close = |v: &Json, x: f64| (v.as_f64().expect("a rate") - x).abs() < 1e-9;
    assert!(close(&a["timely_response_rate"], 4.0 / 9.0), "{a}");
    assert!(close(&a["company_reported_resolution_rate"], 0.5), "{a}");
    assert!(close(&a["dispute_rate"], 2.0 / 6.0), "{a}");
    assert!(
        a["satisfaction_rate"].is_null(),
        "4 verdicts are too few: {a}"
    );

    let html = app
        .client
        .fetch(app.url("/stats?lang=en"))
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains(&format!("href=\"/companies/{}\"", s.a)));

    for (lang, complaints, silent) in [
        ("en", "Complaints", "No response by the deadline"),
        ("zh-CN", "投诉量", "逾期未答复"),
    ] {
        let r = app
            .client
            .fetch(app.url(&format!("/companies/{}?lang={lang}", s.a)))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let html = r.text().await.expect("text");
        assert!(html.contains("甲通信"));
        assert!(html.contains(&format!("lang=\"{lang}\"")), "{lang}");
        assert_eq!(dd(&html, complaints), "10");
        assert_eq!(dd(&html, silent), "&lt;5");
        // One answer per category: each is "<5", and their total (6) would give them away.
        for cell in html.split("<td class=\"num\">").skip(1) {
            let text = &cell[..cell.find('<').unwrap_or(cell.len())];
            if let Ok(n) = text.parse::<i64>() {
                assert!(n == 0 || n >= 5, "a published count of {n}");
            }
        }
        let total = row(&html, if lang == "en" { "Total" } else { "合计" });
        assert!(total.contains(">x<"), "{total}");
        assert!(!html.contains("答复内容"), "no company answer texts");
        assert!(!html.contains("<script"), "no JavaScript");
    }
    let narrative: String = Complaint::reference(1).doc()["narrative"]
        .as_str()
        .expect("text")
        .chars()
        .take(15)
        .collect();
    let html = app
        .client
        .fetch(app.url(&format!("/companies/{}", s.a)))
        .await
        .text()
        .await
        .expect("text");
    assert!(!html.contains(&narrative), "no narratives");

    for path in [
        "/companies/999999",
        "/companies/abc",
        "/companies/999999?lang=en",
    ] {
        let r = app.client.fetch(app.url(path)).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
}
