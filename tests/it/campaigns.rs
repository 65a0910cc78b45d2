//! Campaigns (专项整治, issue 17): tagging at intake and by backfill, tagging by hand (audited),
//! the exports' tags column, the before / during / after figures against a recount, and who
//! may do what.
use chrono::{Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::support::{
    api_token, audit_rows, bearer_get, complaint_by_id, exec, location, spawn, staff, Complaint,
    Fetch, TestApp,
};
use downgrade_watch::domain::campaign::day_start;
use downgrade_watch::domain::format::today;
use downgrade_watch::domain::Role;
use downgrade_watch::entities::{campaign, campaign_case, complaint, complaint_obstacle};
use downgrade_watch::services::campaigns::figures::figures;
use downgrade_watch::services::stats::PUBLISHED;

fn day(offset: i64) -> String {
    (today() + Duration::days(offset)).to_string()
}

/// Creates a campaign through the admin form; returns its id and the redirect.
async fn create(
    app: &TestApp,
    admin: &crate::support::Staff,
    fields: &[(&str, &str)],
) -> (i64, String) {
    let r = admin.submit(app, "/staff/campaigns", fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "campaign created");
    let to = location(&r);
    let id = to
        .trim_start_matches("/staff/campaigns/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("campaign id");
    (id, to)
}

async fn tags(app: &TestApp, id: i64) -> String {
    complaint_by_id(app, id).await.tags
}

async fn state_of(app: &TestApp, campaign: i64, complaint: i64) -> Option<String> {
    campaign_case::Entity::find()
        .filter(campaign_case::Column::CampaignId.eq(campaign))
        .filter(campaign_case::Column::ComplaintId.eq(complaint))
        .one(&app.state.db.read)
        .await
        .expect("query")
        .map(|r| r.state)
}

#[tokio::test]
async fn cases_in_scope_are_tagged_by_the_backfill_at_intake_and_again_when_the_scope_changes() {
    let app = spawn().await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    let telecom = Complaint::reference(1).file(&app).await;
    let video = Complaint::reference(2).file(&app).await;
    let (from, to) = (day(-10), day(10));
    let (id, done) = create(
        &app,
        &admin,
        &[
            ("name", "电信降级专项整治"),
            ("tag", "telecom-2026"),
            ("starts_on", &from),
            ("ends_on", &to),
            ("sectors", "telecom"),
        ],
    )
    .await;
    assert!(done.contains("done=created&n=1"), "{done}");
    assert_eq!(tags(&app, telecom.id).await, "telecom-2026");
    assert_eq!(tags(&app, video.id).await, "");
    assert_eq!(
        state_of(&app, id, telecom.id).await.as_deref(),
        Some("auto")
    );
    let (_, page) = admin.page(&app, &done).await;
    assert!(page.contains("范围内的 1 件案件已标记"), "{page}");

    // At intake: the API and the web form both tag a new complaint in scope.
    let new = Complaint::reference(1).file(&app).await;
    assert_eq!(tags(&app, new.id).await, "telecom-2026");
    assert_eq!(state_of(&app, id, new.id).await.as_deref(), Some("auto"));
    let other = Complaint::reference(4).file(&app).await;
    assert_eq!(tags(&app, other.id).await, "");

    // A second campaign on the same cases: tags are sorted and `;`-joined.
    create(
        &app,
        &admin,
        &[
            ("name", "全行业"),
            ("tag", "all-sectors"),
            ("starts_on", &from),
            ("ends_on", &to),
        ],
    )
    .await;
    assert_eq!(tags(&app, telecom.id).await, "all-sectors;telecom-2026");
    assert_eq!(tags(&app, video.id).await, "all-sectors");

    // Editing the scope re-applies it: telecom cases lose the tag, video ones get it.
    let r = admin
        .submit(
            &app,
            &format!("/staff/campaigns/{id}"),
            &[
                ("name", "会员降级专项整治"),
                ("tag", "members-2026"),
                ("starts_on", &from),
                ("ends_on", &to),
                ("sectors", "video_membership"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("done=saved&n=1"));
    assert_eq!(tags(&app, telecom.id).await, "all-sectors");
    assert_eq!(tags(&app, video.id).await, "all-sectors;members-2026");
    assert_eq!(state_of(&app, id, telecom.id).await, None);

    // Obstacle scope: the counted codes (here the consumer's tick) decide.
    exec(
        &app,
        "INSERT INTO complaint_obstacles (complaint_id, obstacle_code, source, created_at) VALUES ($1, 'RETAIN', 'consumer', $2)",
        vec![other.id.into(), Utc::now().into()],
    )
    .await;
    let r = admin
        .submit(
            &app,
            &format!("/staff/campaigns/{id}"),
            &[
                ("name", "挽留话术"),
                ("tag", "members-2026"),
                ("starts_on", &from),
                ("ends_on", &to),
                ("obstacles", "RETAIN"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let retained: Vec<i64> = complaint_obstacle::Entity::find()
        .filter(complaint_obstacle::Column::ObstacleCode.eq("RETAIN"))
        .all(&app.state.db.read)
        .await
        .expect("links")
        .into_iter()
        .map(|l| l.complaint_id)
        .collect();
    assert!(retained.contains(&other.id));
    assert!(tags(&app, other.id).await.contains("members-2026"));

    // A case received before the campaign's first day is out of its range.
    exec(
        &app,
        "UPDATE complaints SET received_at = $1 WHERE id = $2",
        vec![
            day_start(today() - Duration::days(30)).into(),
            other.id.into(),
        ],
    )
    .await;
    let r = admin
        .submit(
            &app,
            &format!("/staff/campaigns/{id}"),
            &[
                ("name", "挽留话术"),
                ("tag", "members-2026"),
                ("starts_on", &from),
                ("ends_on", &to),
                ("obstacles", "RETAIN"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!tags(&app, other.id).await.contains("members-2026"));
}

#[tokio::test]
async fn the_web_form_tags_a_complaint_at_intake() {
    let app = spawn().await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    create(
        &app,
        &admin,
        &[
            ("name", "云存储"),
            ("tag", "cloud"),
            ("starts_on", &day(-1)),
            ("ends_on", &day(1)),
            ("sectors", "cloud_storage"),
        ],
    )
    .await;
    let token = crate::support::form_token(&app).await;
    let form = crate::support::intake_form(
        &token,
        &[
            ("sector", "cloud_storage"),
            ("company_name", "某云存储服务商"),
            ("requested_action", "downgrade"),
            ("billing_cycle", "monthly"),
            ("channels_tried", "website"),
            ("outcome", "not_resolved"),
            (
                "narrative",
                "网页上申请把2TB空间降到200GB，次月仍按原价扣费，客服说合约期内不能降级。",
            ),
            ("language", "zh-CN"),
        ],
    );
    let r = app.post_multipart("/complaints", form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let filed = complaint::Entity::find()
        .all(&app.state.db.read)
        .await
        .expect("complaints");
    assert_eq!(filed.len(), 1, "the form filed the complaint");
    assert_eq!(filed[0].tags, "cloud");
}

#[tokio::test]
async fn staff_tag_and_untag_a_case_by_hand_audited_and_kept_by_the_backfill() {
    let app = spawn().await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    let reviewer = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let telecom = Complaint::reference(1).file(&app).await;
    let video = Complaint::reference(2).file(&app).await;
    let fields = [
        ("name", "电信降级专项整治"),
        ("tag", "telecom-2026"),
        ("starts_on", &*day(-5)),
        ("ends_on", &*day(5)),
        ("sectors", "telecom"),
    ];
    let (id, _) = create(&app, &admin, &fields).await;
    let (_, page) = reviewer
        .page(&app, &format!("/staff/cases/{}", video.id))
        .await;
    assert!(page.contains("id=\"campaigns-title\"") && page.contains("telecom-2026"));

    let campaign = id.to_string();
    let r = reviewer
        .submit(
            &app,
            &format!("/staff/cases/{}/campaigns", video.id),
            &[("campaign", &campaign), ("tagged", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("done=campaign_tagged"));
    assert_eq!(tags(&app, video.id).await, "telecom-2026");
    let r = reviewer
        .submit(
            &app,
            &format!("/staff/cases/{}/campaigns", telecom.id),
            &[("campaign", &campaign), ("tagged", "0")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(tags(&app, telecom.id).await, "");
    let added = audit_rows(&app, "campaign_tag_added").await;
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].actor, "reviewer@example.org");
    assert_eq!(added[0].target_id.as_deref(), Some(&*video.id.to_string()));
    assert_eq!(audit_rows(&app, "campaign_tag_removed").await.len(), 1);

    // Re-applying the scope keeps both choices.
    let r = admin
        .submit(&app, &format!("/staff/campaigns/{id}"), &fields)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(tags(&app, video.id).await, "telecom-2026");
    assert_eq!(tags(&app, telecom.id).await, "");
    assert_eq!(
        state_of(&app, id, telecom.id).await.as_deref(),
        Some("removed")
    );

    // Without a CSRF token nothing changes.
    let r = reviewer
        .post(
            &app,
            &format!("/staff/cases/{}/campaigns", telecom.id),
            &[("campaign", &campaign), ("tagged", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(tags(&app, telecom.id).await, "");
}

#[tokio::test]
async fn a_refused_campaign_form_says_why_in_both_languages_and_keeps_the_input() {
    let app = spawn().await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    let form = [
        ("name", "降级专项"),
        ("tag", "bad tag;x"),
        ("starts_on", "2026-12-31"),
        ("ends_on", "2026-12-01"),
        ("sectors", "telecom"),
        ("obstacles", "NOPE"),
        ("companies", "不存在的公司"),
    ];
    let r = admin.submit(&app, "/staff/campaigns", &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("page");
    assert!(html.contains("只能使用字母、数字"), "{html}");
    assert!(html.contains("结束日期不能早于开始日期"));
    assert!(html.contains("未知障碍代码：NOPE"));
    assert!(html.contains("value=\"bad tag;x\"") && html.contains("不存在的公司"));
    assert!(html.contains("value=\"telecom\" checked"));
    // A tag already in use is refused on the tag field.
    let ok = [
        ("name", "A"),
        ("tag", "same"),
        ("starts_on", "2026-12-01"),
        ("ends_on", "2026-12-31"),
    ];
    create(&app, &admin, &ok).await;
    let r = admin.submit(&app, "/staff/campaigns", &ok).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("page")
        .contains("已有其他专项整治使用此标签"));
    let r = admin.submit(&app, "/staff/campaigns?lang=en", &form).await;
    let html = r.text().await.expect("page");
    assert!(
        html.contains("The last day cannot come before the first day."),
        "{html}"
    );
}

#[tokio::test]
async fn exports_carry_the_campaign_tags() {
    let app = spawn().await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    let telecom = Complaint::reference(1).file(&app).await;
    let video = Complaint::reference(2).file(&app).await;
    let (from, to) = (day(-3), day(3));
    for (tag, sector) in [("b-tag", "telecom"), ("a-tag", "")] {
        let mut f = vec![
            ("name", tag),
            ("tag", tag),
            ("starts_on", from.as_str()),
            ("ends_on", to.as_str()),
        ];
        if !sector.is_empty() {
            f.push(("sectors", sector));
        }
        create(&app, &admin, &f).await;
    }
    let reg = api_token(&app, "regulator@example.org", Role::Regulator).await;
    let r = bearer_get(&app, &reg, "/api/v1/exports/complaints.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.bytes().await.expect("body");
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&body[3..])
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    let col = rows[0].iter().position(|h| h == "tags").expect("tags");
    let row = |code: &str| rows.iter().find(|r| r[0] == code).expect("row").clone();
    assert_eq!(row(&telecom.code)[col], "a-tag;b-tag");
    assert_eq!(row(&video.code)[col], "a-tag");
    let r = bearer_get(&app, &reg, "/api/v1/exports/complaints.ndjson").await;
    let text = r.text().await.expect("ndjson");
    let line = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .find(|v| v["complaint_id"] == json!(telecom.code))
        .expect("line");
    assert_eq!(line["tags"], json!(["a-tag", "b-tag"]));
}

/// The figures of one period recounted from every complaint row, in Rust.
struct Recount {
    complaints: i64,
    timely_known: i64,
    timely_yes: i64,
    closed: i64,
    resolved: i64,
    obstacles: Vec<(String, i64)>,
}

async fn recount(app: &TestApp, sector: &str, first: NaiveDate, last: NaiveDate) -> Recount {
    let (from, to) = (day_start(first), day_start(last + Duration::days(1)));
    let rows = complaint::Entity::find()
        .all(&app.state.db.read)
        .await
        .expect("complaints");
    let links = complaint_obstacle::Entity::find()
        .all(&app.state.db.read)
        .await
        .expect("links");
    let mut r = Recount {
        complaints: 0,
        timely_known: 0,
        timely_yes: 0,
        closed: 0,
        resolved: 0,
        obstacles: Vec::new(),
    };
    let mut mix = std::collections::BTreeMap::<String, i64>::new();
    for c in rows.iter().filter(|c| {
        PUBLISHED.contains(&c.status.code())
            && c.sector == sector
            && c.received_at >= from
            && c.received_at < to
    }) {
        r.complaints += 1;
        if let Some(t) = c.response_timely {
            r.timely_known += 1;
            r.timely_yes += i64::from(t);
        }
        if c.status.code() == "closed" {
            r.closed += 1;
            r.resolved += i64::from(c.outcome.as_deref() == Some("resolved"));
        }
        let mine: Vec<_> = links.iter().filter(|l| l.complaint_id == c.id).collect();
        let reviewed = mine.iter().any(|l| l.source == "reviewer");
        let mut codes: Vec<&str> = mine
            .iter()
            .filter(|l| !reviewed || l.source == "reviewer")
            .map(|l| l.obstacle_code.as_str())
            .collect();
        codes.sort();
        codes.dedup();
        for code in codes {
            *mix.entry(code.to_string()).or_default() += 1;
        }
    }
    r.obstacles = mix.into_iter().collect();
    r.obstacles
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    r
}

/// A complaint to plant: days from today, reference case, status, timeliness, outcome.
type Planned = (i64, usize, &'static str, Option<bool>, Option<&'static str>);

#[tokio::test]
async fn campaign_figures_equal_a_recount_over_periods_of_equal_length() {
    let app = spawn().await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    // A 10-day campaign that ended 21 days ago: before, during and a full after period.
    let (starts, ends) = (today() - Duration::days(30), today() - Duration::days(21));
    // Complaints per period: before 6 (2 answered, 1 on time; 2 closed, 1 resolved), during 3,
    // after 3; plus one held and one of another sector that must not count.
    let plan: &[Planned] = &[
        (-40, 1, "received", Some(true), None),
        (-39, 1, "responded", Some(false), None),
        (-38, 1, "closed", None, Some("resolved")),
        (-35, 1, "closed", None, Some("not_resolved")),
        (-33, 1, "accepted", None, None),
        (-31, 1, "forwarded", None, None),
        (-30, 1, "responded", Some(true), None),
        (-25, 1, "closed", Some(true), Some("resolved")),
        (-21, 1, "received", None, None),
        (-20, 1, "responded", Some(true), None),
        (-12, 1, "closed", None, Some("resolved")),
        (-11, 1, "received", None, None),
        (-29, 1, "held", None, None),
        (-28, 2, "received", None, None),
    ];
    for (offset, case, status, timely, outcome) in plan {
        let f = Complaint::reference(*case).file(&app).await;
        let at = day_start(today() + Duration::days(*offset)) + Duration::hours(10);
        exec(
            &app,
            "UPDATE complaints SET received_at = $1, status = $2, response_timely = $3, outcome = $4 WHERE id = $5",
            vec![
                at.into(),
                (*status).into(),
                (*timely).into(),
                outcome.map(str::to_string).into(),
                f.id.into(),
            ],
        )
        .await;
    }
    let (id, _) = create(
        &app,
        &admin,
        &[
            ("name", "电信降级专项整治"),
            ("tag", "telecom"),
            ("starts_on", &starts.to_string()),
            ("ends_on", &ends.to_string()),
            ("sectors", "telecom"),
        ],
    )
    .await;
    let c = campaign::Entity::find_by_id(id)
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("campaign");
    let f = figures(&app.state.db.read, &c, today())
        .await
        .expect("figures");
    let p = f.periods;
    assert_eq!(p.length, 10);
    assert_eq!(p.before.len(), 10);
    assert_eq!(p.during.expect("during").len(), 10);
    assert_eq!(p.after.expect("after").len(), 10);
    assert!(!p.after_cut);
    for (figs, days) in [
        (&f.before, p.before),
        (
            f.during.as_ref().expect("during"),
            p.during.expect("during"),
        ),
        (f.after.as_ref().expect("after"), p.after.expect("after")),
    ] {
        let r = recount(&app, "telecom", days.first, days.last).await;
        assert_eq!(figs.complaints, r.complaints, "{days:?}");
        assert_eq!(figs.timely_known, r.timely_known);
        assert_eq!(figs.timely_yes, r.timely_yes);
        assert_eq!(figs.closed, r.closed);
        assert_eq!(figs.resolved, r.resolved);
        assert_eq!(figs.obstacles, r.obstacles);
        assert_eq!(figs.days, 10);
    }
    assert_eq!(
        (f.before.complaints, f.during.as_ref().unwrap().complaints),
        (6, 3)
    );
    assert_eq!(f.after.as_ref().unwrap().complaints, 3);

    // The page writes the comparison out: 4.2 a week before, 2.1 during (−50.0 %).
    let regulator = staff(&app, "regulator@example.org", Role::Regulator).await;
    let (status, html) = regulator
        .page(&app, &format!("/regulator/campaigns/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("活动期间每周投诉量从 4.2 降至 2.1（−50.0 %）"),
        "{html}"
    );
    assert!(html.contains("每个时段均为 10 天"));
    assert!(html.contains("role=\"img\""));
    let (_, html) = regulator
        .page(&app, &format!("/regulator/campaigns/{id}?lang=en"))
        .await;
    assert!(
        html.contains("Complaints per week during the campaign fell from 4.2 to 2.1 (−50.0 %)"),
        "{html}"
    );
    let (_, list) = regulator.page(&app, "/regulator/campaigns").await;
    assert!(list.contains(&format!("/regulator/campaigns/{id}")));
}

#[tokio::test]
async fn an_after_period_cut_at_today_is_said_so() {
    let app = spawn().await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    let (id, _) = create(
        &app,
        &admin,
        &[
            ("name", "近期"),
            ("tag", "recent"),
            ("starts_on", &day(-20)),
            ("ends_on", &day(-6)),
        ],
    )
    .await;
    let (_, html) = admin
        .page(&app, &format!("/regulator/campaigns/{id}?lang=en"))
        .await;
    assert!(
        html.contains(
            "The period after the campaign is not over yet: it covers 6 of 15 days, up to today."
        ),
        "{html}"
    );
}

#[tokio::test]
async fn campaign_pages_follow_the_roles() {
    let app = spawn().await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    let (id, _) = create(
        &app,
        &admin,
        &[
            ("name", "A"),
            ("tag", "a"),
            ("starts_on", &day(-1)),
            ("ends_on", &day(1)),
        ],
    )
    .await;
    let case = Complaint::reference(1).file(&app).await;
    let reviewer = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let regulator = staff(&app, "regulator@example.org", Role::Regulator).await;
    let edit = format!("/staff/campaigns/{id}");
    let figures = format!("/regulator/campaigns/{id}");
    let tag = format!("/staff/cases/{}/campaigns", case.id);
    let campaign = id.to_string();
    for who in [&reviewer, &regulator] {
        assert_eq!(
            who.get(&app, "/staff/campaigns").await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(who.get(&app, &edit).await.status(), StatusCode::FORBIDDEN);
        let r = who
            .submit(&app, "/staff/campaigns", &[("name", "x"), ("tag", "x")])
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(who.get(&app, &figures).await.status(), StatusCode::OK);
    }
    let r = regulator
        .submit(&app, &tag, &[("campaign", &campaign), ("tagged", "0")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = reviewer
        .submit(&app, &tag, &[("campaign", &campaign), ("tagged", "0")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let anon = crate::support::browser();
    let r = anon.fetch(app.url(&figures)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/staff/login"));
    assert_eq!(
        campaign::Entity::find()
            .all(&app.state.db.read)
            .await
            .expect("campaigns")
            .len(),
        1
    );
}
