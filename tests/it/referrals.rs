//! Referrals to the responsible authority (跨部门协同, issue 17): the seeded directory and the
//! proposal by sector and province, recording a referral (timeline, audit, exports, reference
//! number and outcome), the package (ZIP contents with and without consent), group referrals,
//! the dashboard's count, and who may do what.
use std::io::Read as _;

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::support::{
    api_token, audit_rows, bearer_get, complaint_by_id, location, png_upload, spawn, staff,
    tiny_png, upload_evidence, Complaint, Fetch, Staff, TestApp,
};
use downgrade_watch::domain::Role;
use downgrade_watch::entities::{authority, referral, status_history};

const MIIT: &str = "工业和信息化部 电信用户申诉受理中心";
const SAMR: &str = "市场监督管理部门（全国12315平台）";

async fn authority_id(app: &TestApp, name: &str) -> i64 {
    authority::Entity::find()
        .filter(authority::Column::Name.eq(name))
        .one(&app.state.db.read)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("authority {name}"))
        .id
}

/// Refers case `id` to `authority` from the case page; returns the referral's id.
async fn refer(app: &TestApp, who: &Staff, id: i64, authority: i64) -> i64 {
    let r = who
        .submit(
            app,
            &format!("/staff/cases/{id}/referrals"),
            &[("authority", &authority.to_string())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "referral of {id}");
    let to = location(&r);
    assert!(to.ends_with("?done=referred"), "{to}");
    to.trim_start_matches("/staff/referrals/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("referral id")
}

#[tokio::test]
async fn the_authority_for_the_sector_is_proposed_and_a_regional_one_before_the_national_one() {
    let app = spawn().await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    let reviewer = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let telecom = Complaint::reference(1).file(&app).await; // Beijing, 110000
    let cloud = Complaint::reference(4).file(&app).await; // no province
    let proposed = |html: &str, name: &str| {
        html.contains(&format!("按行业和省份推荐：{name}"))
            && html.contains(&format!("selected>{name}"))
    };
    let (_, html) = reviewer
        .page(&app, &format!("/staff/cases/{}", telecom.id))
        .await;
    assert!(proposed(&html, MIIT), "{html}");
    let (_, html) = reviewer
        .page(&app, &format!("/staff/cases/{}", cloud.id))
        .await;
    assert!(proposed(&html, SAMR), "{html}");

    // A Beijing authority for telecom comes before the national one for Beijing cases only.
    let r = admin
        .submit(
            &app,
            "/staff/authorities",
            &[
                ("name", "北京市通信管理局"),
                ("sectors", "telecom"),
                ("region", "110000"),
                ("contact", "010-12345678"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = reviewer
        .page(&app, &format!("/staff/cases/{}", telecom.id))
        .await;
    assert!(proposed(&html, "北京市通信管理局"), "{html}");
    let other = Complaint::reference(1)
        .set("province", json!("440000"))
        .file(&app)
        .await;
    let (_, html) = reviewer
        .page(&app, &format!("/staff/cases/{}", other.id))
        .await;
    assert!(proposed(&html, MIIT));
    assert_eq!(audit_rows(&app, "authority_created").await.len(), 1);

    // Editing is audited; a bad region is refused in both languages with the input kept.
    let id = authority_id(&app, "北京市通信管理局").await;
    let r = admin
        .submit(
            &app,
            &format!("/staff/authorities/{id}"),
            &[
                ("name", "北京市通信管理局（改）"),
                ("region", "999999"),
                ("notes", "备注保留"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("page");
    assert!(
        html.contains("请从列表中选择省份") && html.contains("备注保留"),
        "{html}"
    );
    assert!(html.contains("北京市通信管理局（改）"));
    let r = admin
        .submit(
            &app,
            &format!("/staff/authorities/{id}?lang=en"),
            &[("name", ""), ("region", "110000")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("page")
        .contains("This field is required."));
    let r = admin
        .submit(
            &app,
            &format!("/staff/authorities/{id}"),
            &[
                ("name", "北京市通信管理局"),
                ("sectors", "telecom"),
                ("region", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_rows(&app, "authority_updated").await.len(), 1);
}

#[tokio::test]
async fn a_referral_is_on_the_timeline_in_the_exports_and_takes_the_reference_and_outcome_later() {
    let app = spawn().await;
    let reviewer = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let case = Complaint::reference(1).file(&app).await;
    let untouched = Complaint::reference(2).file(&app).await;
    let miit = authority_id(&app, MIIT).await;
    let rid = refer(&app, &reviewer, case.id, miit).await;

    let c = complaint_by_id(&app, case.id).await;
    assert_eq!(c.referred_to.as_deref(), Some(MIIT));
    let at = c.referred_at.expect("referred_at");
    let history = status_history::Entity::find()
        .filter(status_history::Column::ComplaintId.eq(case.id))
        .all(&app.state.db.read)
        .await
        .expect("history");
    let row = history
        .iter()
        .find(|h| h.note.as_deref() == Some(&*format!("已转交{MIIT}")))
        .expect("history row");
    assert!(
        !row.is_public,
        "the consumer's tracking page does not show it"
    );
    let rows = audit_rows(&app, "case_referred").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor, "reviewer@example.org");
    let (_, page) = reviewer
        .page(&app, &format!("/staff/cases/{}", case.id))
        .await;
    assert!(
        page.contains(&format!("/staff/referrals/{rid}"))
            && page.contains(&format!("已转交{MIIT}"))
    );
    let (status, page) = reviewer
        .page(&app, &format!("/staff/referrals/{rid}?done=referred"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("案件已转交"));

    // Later: the authority's reference number and outcome.
    let long = "号".repeat(101);
    let r = reviewer
        .submit(
            &app,
            &format!("/staff/referrals/{rid}"),
            &[("reference_no", &long), ("outcome", "已立案")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("page");
    assert!(
        html.contains("最多 100 个字符") || html.contains("100"),
        "{html}"
    );
    assert!(html.contains("已立案"));
    let r = reviewer
        .submit(
            &app,
            &format!("/staff/referrals/{rid}"),
            &[
                ("reference_no", "工信申诉〔2026〕0815号"),
                ("outcome", "已立案，企业已为消费者办理降级。"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let stored = referral::Entity::find_by_id(rid)
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("referral");
    assert_eq!(
        stored.reference_no.as_deref(),
        Some("工信申诉〔2026〕0815号")
    );
    assert_eq!(
        stored.outcome.as_deref(),
        Some("已立案，企业已为消费者办理降级。")
    );
    assert_eq!(audit_rows(&app, "referral_updated").await.len(), 1);

    // Exports: referred_to and referred_at after the company loop's columns.
    let reg = api_token(&app, "regulator@example.org", Role::Regulator).await;
    let r = bearer_get(&app, &reg, "/api/v1/exports/complaints.csv").await;
    let body = r.bytes().await.expect("csv");
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&body[3..])
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    let header = &rows[0];
    let to_col = header
        .iter()
        .position(|h| h == "referred_to")
        .expect("referred_to");
    let at_col = header
        .iter()
        .position(|h| h == "referred_at")
        .expect("referred_at");
    assert_eq!(at_col, to_col + 1, "referred_at follows referred_to");
    assert!(
        to_col
            > header
                .iter()
                .position(|h| h == "consumer_disputed")
                .expect("disputed"),
        "after the company loop's columns"
    );
    let row = |code: &str| rows.iter().find(|r| r[0] == code).expect("row").clone();
    assert_eq!(row(&case.code)[to_col], MIIT);
    assert_eq!(
        row(&case.code)[at_col],
        at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    );
    assert_eq!(row(&untouched.code)[to_col], "");
    assert_eq!(row(&untouched.code)[at_col], "");
    let r = bearer_get(&app, &reg, "/api/v1/exports/complaints.ndjson").await;
    let line = r
        .text()
        .await
        .expect("ndjson")
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .find(|v| v["complaint_id"] == json!(case.code))
        .expect("line");
    assert_eq!(line["referred_to"], json!(MIIT));
    let r = bearer_get(&app, &reg, "/api/v1/exports/complaints.csv?headers=zh").await;
    let zh = String::from_utf8(r.bytes().await.expect("csv").to_vec()).expect("utf-8");
    assert!(zh.contains("转交机关,转交时间"));

    // XLSX: referred_at is a date-time cell in Beijing time, like the other times.
    let r = bearer_get(&app, &reg, "/api/v1/exports/complaints.xlsx").await;
    let bytes = r.bytes().await.expect("xlsx").to_vec();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let data = wb.worksheet_range("complaints").expect("sheet");
    let rows: Vec<&[calamine::Data]> = data.rows().collect();
    let x = rows
        .iter()
        .find(|r| r[0].to_string() == case.code)
        .expect("row");
    assert_eq!(x[to_col], calamine::Data::String(MIIT.into()));
    match &x[at_col] {
        calamine::Data::DateTime(d) if d.is_datetime() => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .expect("epoch")
                .and_hms_opt(0, 0, 0)
                .expect("midnight");
            let shown =
                epoch + chrono::Duration::milliseconds((d.as_f64() * 86_400_000.0).round() as i64);
            let beijing = (at + chrono::Duration::hours(8)).naive_utc();
            assert!(
                (shown - beijing).num_seconds().abs() <= 1,
                "{shown} vs {beijing}"
            );
        }
        other => panic!("referred_at is not a date cell: {other:?}"),
    }
}

fn zip_names(bytes: &[u8]) -> Vec<String> {
    let z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut names: Vec<String> = z
        .file_names()
        .map(|n| n.expect("entry name").into_owned())
        .collect();
    names.sort();
    names
}

fn zip_file(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut f = z.by_name(name).expect(name);
    let mut out = Vec::new();
    f.read_to_end(&mut out).expect("read");
    out
}

#[tokio::test]
async fn the_package_holds_the_narrative_and_the_files_only_with_the_consumers_consent() {
    let app = spawn().await;
    let reviewer = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let consented = Complaint::reference(1)
        .set("contact_email", json!("wang@example.org"))
        .narrative("我叫王五，电话13800138000。想把每月59元的套餐改成8元的保号套餐，App里只有升级按钮，客服一直劝我保留。")
        .set("contact_name", json!("王五"))
        .file(&app)
        .await;
    let withheld = Complaint::reference(3).file(&app).await; // consent_share_narrative: false
    for f in [&consented, &withheld] {
        let r = upload_evidence(&app, f, png_upload("账单.png")).await;
        assert!(r.status().is_success(), "{}", r.status());
    }
    let miit = authority_id(&app, MIIT).await;
    let samr = authority_id(&app, SAMR).await;
    let a = refer(&app, &reviewer, consented.id, miit).await;
    let b = refer(&app, &reviewer, withheld.id, samr).await;

    let r = reviewer
        .get(&app, &format!("/staff/referrals/{a}/package.zip"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let zip_a = r.bytes().await.expect("zip").to_vec();
    assert_eq!(
        zip_names(&zip_a),
        [
            "evidence.csv",
            "evidence/01-账单.png",
            "narrative.txt",
            "summary.txt",
            "timeline.csv"
        ]
    );
    assert_eq!(zip_file(&zip_a, "evidence/01-账单.png"), tiny_png());
    let narrative = String::from_utf8(zip_file(&zip_a, "narrative.txt")).expect("utf-8");
    assert!(
        narrative.contains("保号套餐")
            && !narrative.contains("13800138000")
            && !narrative.contains("王五"),
        "{narrative}"
    );
    let summary = String::from_utf8(zip_file(&zip_a, "summary.txt")).expect("utf-8");
    assert!(
        summary.contains(&consented.code) && summary.contains(MIIT),
        "{summary}"
    );
    assert!(!summary.contains("wang@example.org") && !summary.contains("王五"));
    let timeline = String::from_utf8(zip_file(&zip_a, "timeline.csv")).expect("utf-8");
    assert!(
        timeline.contains("已收到") || timeline.lines().count() >= 2,
        "{timeline}"
    );

    let r = reviewer
        .get(&app, &format!("/staff/referrals/{b}/package.zip"))
        .await;
    let zip_b = r.bytes().await.expect("zip").to_vec();
    assert_eq!(
        zip_names(&zip_b),
        ["evidence.csv", "summary.txt", "timeline.csv"]
    );
    let list = String::from_utf8(zip_file(&zip_b, "evidence.csv")).expect("utf-8");
    assert!(list.contains("账单.png") && list.contains(",否"), "{list}");
    let summary = String::from_utf8(zip_file(&zip_b, "summary.txt")).expect("utf-8");
    assert!(summary.contains("消费者未同意分享其陈述"));

    // The printable page says the same; every view and download is audited.
    let (status, html) = reviewer
        .page(&app, &format!("/staff/referrals/{b}/package"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("消费者未同意分享其陈述") && html.contains("证据文件未附上"));
    assert!(!html.contains(&reference_narrative_3()));
    let (_, html) = reviewer
        .page(&app, &format!("/staff/referrals/{a}/package"))
        .await;
    assert!(html.contains("保号套餐") && !html.contains("13800138000"));
    assert_eq!(audit_rows(&app, "referral_package").await.len(), 4);
}

fn reference_narrative_3() -> String {
    crate::support::reference_case(3)["narrative"]
        .as_str()
        .expect("narrative")
        .chars()
        .take(20)
        .collect()
}

#[tokio::test]
async fn a_group_referral_refers_every_case_of_the_group_and_the_dashboard_counts_them() {
    let app = spawn().await;
    let reviewer = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let a = Complaint::reference(1).file(&app).await;
    let b = Complaint::reference(1).file(&app).await;
    let single = Complaint::reference(4).file(&app).await;
    let r = reviewer
        .submit(&app, "/staff/groups", &[("name", "电信集体投诉")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let group: i64 = location(&r)
        .trim_start_matches("/staff/groups/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("group id");
    let cases = format!("{}\n{}", a.code, b.code);
    let r = reviewer
        .submit(
            &app,
            &format!("/staff/groups/{group}/members"),
            &[("cases", &cases)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = reviewer.page(&app, &format!("/staff/groups/{group}")).await;
    assert!(
        html.contains(&format!("按行业和省份推荐：{MIIT}")),
        "{html}"
    );
    let miit = authority_id(&app, MIIT).await;
    let r = reviewer
        .submit(
            &app,
            &format!("/staff/groups/{group}/referrals"),
            &[("authority", &miit.to_string())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("done=referred&n=2"));
    for id in [a.id, b.id] {
        assert_eq!(
            complaint_by_id(&app, id).await.referred_to.as_deref(),
            Some(MIIT)
        );
    }
    let made = referral::Entity::find()
        .filter(referral::Column::GroupId.eq(group))
        .all(&app.state.db.read)
        .await
        .expect("referrals");
    assert_eq!(made.len(), 2);
    let (_, html) = reviewer.page(&app, &format!("/staff/groups/{group}")).await;
    assert!(html.contains(&a.code) && html.contains(&format!("/staff/referrals/{}", made[0].id)));
    refer(&app, &reviewer, single.id, authority_id(&app, SAMR).await).await;

    let regulator = staff(&app, "regulator@example.org", Role::Regulator).await;
    let (status, html) = regulator.page(&app, "/regulator").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!(
            "<th scope=\"row\">{MIIT}</th><td class=\"num\">2</td>"
        )),
        "{html}"
    );
    assert!(html.contains(&format!(
        "<th scope=\"row\">{SAMR}</th><td class=\"num\">1</td>"
    )));
}

#[tokio::test]
async fn referrals_follow_the_roles() {
    let app = spawn().await;
    let case = Complaint::reference(1).file(&app).await;
    let reviewer = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let regulator = staff(&app, "regulator@example.org", Role::Regulator).await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    let miit = authority_id(&app, MIIT).await.to_string();
    let refer_path = format!("/staff/cases/{}/referrals", case.id);
    let r = regulator
        .submit(&app, &refer_path, &[("authority", &miit)])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = reviewer
        .post(&app, &refer_path, &[("authority", &miit)])
        .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "no CSRF token, no referral"
    );
    let rid = refer(&app, &admin, case.id, miit.parse().expect("id")).await;
    for path in [
        format!("/staff/referrals/{rid}"),
        format!("/staff/referrals/{rid}/package"),
        format!("/staff/referrals/{rid}/package.zip"),
        "/staff/authorities".to_string(),
        format!("/staff/authorities/{miit}"),
    ] {
        assert_eq!(
            regulator.get(&app, &path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        let anon = crate::support::browser().fetch(app.url(&path)).await;
        assert_eq!(anon.status(), StatusCode::SEE_OTHER, "{path}");
    }
    assert_eq!(
        reviewer.get(&app, "/staff/authorities").await.status(),
        StatusCode::FORBIDDEN
    );
    let r = reviewer
        .submit(&app, "/staff/authorities", &[("name", "x")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        reviewer
            .get(&app, &format!("/staff/referrals/{rid}/package.zip"))
            .await
            .status(),
        StatusCode::OK
    );
    // A held case cannot be referred; the case page says why.
    let held = Complaint::reference(2).file(&app).await;
    crate::support::exec(
        &app,
        "UPDATE complaints SET status = 'held' WHERE id = $1",
        vec![held.id.into()],
    )
    .await;
    let r = reviewer
        .submit(
            &app,
            &format!("/staff/cases/{}/referrals", held.id),
            &[("authority", &miit)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("page")
        .contains("疑似垃圾信息而暂扣的案件不能转交"));
    let r = reviewer
        .submit(&app, &refer_path, &[("authority", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("page")
        .contains("请从列表中选择主管机关"));
}
