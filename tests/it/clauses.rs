//! The clause library (格式条款): recording and reviewing clauses, files, citations by cases and
//! links from groups, the figures, the regulator pages and downloads, the period report, and
//! who may do what.
use std::io::Cursor;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::support::{
    audit_rows, exec, file, location, make_user, reference_case, signed_in, spawn, staff, tiny_png,
    Fetch, NewCompany, Staff, TestApp,
};
use downgrade_watch::domain::clauses::ClauseStatus;
use downgrade_watch::domain::format;
use downgrade_watch::domain::period::Month;
use downgrade_watch::domain::{Language, Role};
use downgrade_watch::entities::{clause, clause_event};
use downgrade_watch::services::clauses::figures;

const TEXT: &str =
    "会员服务一经开通，在当前订阅周期内不支持降级或退款；如需变更，请于到期前3日内操作。";

/// A message as it appears in a page (Tera escapes `/`).
fn msg(app: &TestApp, key: &str) -> String {
    app.state
        .i18n
        .msg(Language::ZhCn, key)
        .replace('/', "&#x2F;")
}

fn days_ago(n: i64) -> String {
    (format::today() - Duration::days(n)).to_string()
}

/// Records a clause through the form; returns its id.
async fn record(app: &TestApp, s: &Staff, company: &str, text: &str) -> i64 {
    let first = days_ago(60);
    let last = days_ago(1);
    let r = s
        .submit(
            app,
            "/staff/clauses",
            &[
                ("company", company),
                ("service_name", "高级会员"),
                ("clause_text", text),
                ("source_url", "https://example.com/terms#renewal"),
                ("first_seen_on", &first),
                ("last_seen_on", &last),
                ("obstacles", "WINDOW"),
                ("obstacles", "REFUND-DENY"),
                ("legal_basis", "CRPL-26"),
                ("legal_basis", "CC-496-497"),
                (
                    "analysis",
                    "把降级限制在到期前三天，排除了消费者随时变更的权利。",
                ),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "clause recorded");
    let loc = location(&r);
    loc.trim_start_matches("/staff/clauses/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("clause id in the redirect")
}

async fn status_of(app: &TestApp, id: i64) -> ClauseStatus {
    clause::Entity::find_by_id(id)
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("clause")
        .status
}

async fn change(app: &TestApp, s: &Staff, id: i64, to: &str) -> reqwest::Response {
    s.submit(
        app,
        &format!("/staff/clauses/{id}/status"),
        &[("status", to), ("note", "依据消费者投诉复核")],
    )
    .await
}

#[tokio::test]
async fn a_reviewer_records_a_clause_and_takes_it_through_the_review_with_every_step_audited() {
    let app = spawn().await;
    NewCompany::named("某视频平台").add(&app).await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let id = record(&app, &rev, "某视频平台", TEXT).await;
    assert_eq!(status_of(&app, id).await, ClauseStatus::Flagged);
    let (st, html) = rev.page(&app, &format!("/staff/clauses/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains(TEXT));
    assert!(html.contains("《消费者权益保护法》第26条"));
    assert!(html.contains(&msg(&app, "clauses.status.flagged")));

    // Skipping a step is refused with a localised message, and nothing changes.
    let r = change(&app, &rev, id, "referred").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("条款不能从“已标记”变更为“已移送监管部门”"),
        "{html}"
    );
    assert!(html.contains("依据消费者投诉复核"), "the note is kept");
    assert_eq!(status_of(&app, id).await, ClauseStatus::Flagged);
    let r = change(&app, &rev, id, "nonsense").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The workflow: flagged → under review → referred → amended → (seen again) flagged.
    for to in ["under_review", "referred", "amended", "flagged"] {
        let r = change(&app, &rev, id, to).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "to {to}");
        assert_eq!(status_of(&app, id).await.code(), to);
    }
    // An amended clause cannot be withdrawn; from flagged it cannot be found acceptable.
    assert_eq!(
        change(&app, &rev, id, "acceptable").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let events = clause_event::Entity::find()
        .filter(clause_event::Column::ClauseId.eq(id))
        .filter(clause_event::Column::Kind.eq("status"))
        .all(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(events.len(), 4);
    assert!(events.iter().all(|e| e.actor == "reviewer@example.org"));
    assert_eq!(events[0].from_status.as_deref(), Some("flagged"));
    assert_eq!(events[0].to_status.as_deref(), Some("under_review"));
    let audits = audit_rows(&app, "clause_status").await;
    assert_eq!(audits.len(), 4);
    assert!(audits.iter().all(
        |a| a.target_id.as_deref() == Some(&*id.to_string()) && a.actor_user_id == Some(rev.id)
    ));
    assert_eq!(audit_rows(&app, "clause_created").await.len(), 1);

    // The history on the page says who and what.
    let (_, html) = rev.page(&app, &format!("/staff/clauses/{id}")).await;
    assert!(html.contains("reviewer@example.org"));
    assert!(html.contains("已移送监管部门 → 企业已修改"));

    // An edit is audited and listed too.
    let first = days_ago(90);
    let last = days_ago(0);
    let r = rev
        .submit(
            &app,
            &format!("/staff/clauses/{id}"),
            &[
                ("company", "某视频平台"),
                ("clause_text", TEXT),
                ("first_seen_on", &first),
                ("last_seen_on", &last),
                ("obstacles", "WINDOW"),
                ("legal_basis", "OTSM-18"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let edits = audit_rows(&app, "clause_edited").await;
    assert_eq!(edits.len(), 1);
    let row = clause::Entity::find_by_id(id)
        .one(&app.state.db.read)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.legal_basis, "OTSM-18");
    assert_eq!(row.first_seen_on.to_string(), first);
}

#[tokio::test]
async fn bad_clause_input_is_refused_in_both_languages_keeping_what_was_typed() {
    let app = spawn().await;
    NewCompany::named("某云存储服务商").add(&app).await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let tomorrow = (format::today() + Duration::days(1)).to_string();
    let form = |company: &'static str| -> Vec<(&'static str, String)> {
        vec![
            ("company", company.to_string()),
            (
                "clause_text",
                "合约期内不得降级，=HYPERLINK 的文字保留".to_string(),
            ),
            ("source_url", "ftp://example.com/x".to_string()),
            ("first_seen_on", "2026-05-01".to_string()),
            ("last_seen_on", "2026-04-30".to_string()),
            ("legal_basis", "NOT-A-LAW".to_string()),
        ]
    };
    let mut f = form("没有这家公司");
    f.push(("csrf_token", rev.csrf.clone()));
    let r = rev
        .client
        .post(app.url("/staff/clauses"))
        .form(&f)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    for expected in [
        "没有这家公司",
        "合约期内不得降级，=HYPERLINK 的文字保留",
        "ftp:&#x2F;&#x2F;example.com&#x2F;x",
        &msg(&app, "clauses.errors.bad_url"),
        &msg(&app, "clauses.errors.last_before_first"),
        &msg(&app, "clauses.errors.no_obstacle"),
        "未知的法律依据：NOT-A-LAW",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert!(clause::Entity::find()
        .all(&app.state.db.read)
        .await
        .unwrap()
        .is_empty());

    // English, with a date in the future.
    let mut f = form("某云存储服务商");
    f.retain(|(k, _)| *k != "last_seen_on");
    f.push(("last_seen_on", tomorrow.clone()));
    f.push(("csrf_token", rev.csrf.clone()));
    let r = rev
        .client
        .post(app.url("/staff/clauses?lang=en"))
        .header("accept-language", "en")
        .form(&f)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("This date is in the future."), "{html}");
    assert!(html.contains("Choose at least one obstacle code."));
    assert!(html.contains(&tomorrow));

    // Without a CSRF token nothing is recorded.
    let r = rev
        .post(&app, "/staff/clauses", &[("company", "某云存储服务商")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn screenshots_and_pdfs_are_stored_like_evidence_and_anything_else_is_refused() {
    let app = spawn().await;
    NewCompany::named("某视频平台").add(&app).await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let id = record(&app, &rev, "某视频平台", TEXT).await;
    let upload = |bytes: Vec<u8>, name: &'static str, csrf: String| {
        Form::new()
            .text("csrf_token", csrf)
            .part("file", Part::bytes(bytes).file_name(name))
    };
    let path = app.url(&format!("/staff/clauses/{id}/files"));
    let r = rev
        .client
        .post(&path)
        .multipart(upload(tiny_png(), "条款截图.png", rev.csrf.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = rev
        .client
        .post(&path)
        .multipart(upload(
            b"<html>not a picture</html>".to_vec(),
            "x.png",
            rev.csrf.clone(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("x.png") && html.contains("PNG"), "{html}");
    let r = rev
        .client
        .post(&path)
        .multipart(upload(tiny_png(), "y.png", "wrong".into()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let files = downgrade_watch::services::clauses::files_of(&app.state.db.read, id)
        .await
        .unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].content_type, "image/png");
    let r = rev
        .get(&app, &format!("/staff/clauses/{id}/files/{}", files[0].id))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(r.bytes().await.unwrap().to_vec(), tiny_png());
    assert_eq!(audit_rows(&app, "clause_file_added").await.len(), 1);
}

#[tokio::test]
async fn a_case_cites_a_clause_and_a_group_challenges_it_both_ways_visible() {
    let app = spawn().await;
    NewCompany::named("某视频平台").add(&app).await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let id = record(&app, &rev, "某视频平台", TEXT).await;
    let other = record(&app, &rev, "某视频平台", "自动续费一经开通不可取消。").await;
    let case = file(&app, &reference_case(2)).await;

    // The search starts with the case's company and finds both clauses.
    let (st, html) = rev
        .page(&app, &format!("/staff/cases/{}/clauses", case.id))
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("在当前订阅周期内不支持降级"));
    assert!(html.contains("自动续费一经开通不可取消"));
    let (_, html) = rev
        .page(
            &app,
            &format!("/staff/cases/{}/clauses?q=自动续费", case.id),
        )
        .await;
    assert!(!html.contains("在当前订阅周期内不支持降级"));

    let cite_path = format!("/staff/cases/{}/clauses", case.id);
    let r = rev
        .submit(&app, &cite_path, &[("clause_id", &id.to_string())])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Citing twice keeps one citation.
    let r = rev
        .submit(&app, &cite_path, &[("clause_id", &id.to_string())])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = rev.page(&app, &format!("/staff/cases/{}", case.id)).await;
    assert!(html.contains(&format!("/staff/clauses/{id}")));
    assert!(!html.contains(&format!("/staff/clauses/{other}\"")));
    let (_, html) = rev.page(&app, &format!("/staff/clauses/{id}")).await;
    assert!(html.contains(&case.code));
    assert_eq!(audit_rows(&app, "clause_case_cited").await.len(), 1);
    // An unknown clause is a 404.
    let r = rev
        .submit(&app, &cite_path, &[("clause_id", "999999")])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Unciting.
    let r = rev
        .submit(
            &app,
            &format!("{cite_path}/remove"),
            &[("clause_id", &id.to_string())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = rev.page(&app, &format!("/staff/clauses/{id}")).await;
    assert!(html.contains(&msg(&app, "clauses.history.kinds.case_uncited")));
    assert!(html.contains(&msg(&app, "clauses.no_cases")));
    assert_eq!(
        downgrade_watch::services::clauses::citations::clauses_of_case(&app.state.db.read, case.id)
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(audit_rows(&app, "clause_case_uncited").await.len(), 1);

    // A group challenges the clause.
    let r = rev
        .submit(
            &app,
            "/staff/groups",
            &[
                ("name", "视频会员降级时间窗集体投诉"),
                ("company", "某视频平台"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let group_id: i64 = location(&r)
        .trim_start_matches("/staff/groups/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let r = rev
        .submit(
            &app,
            &format!("/staff/groups/{group_id}/clauses"),
            &[("clause_id", &id.to_string())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = rev.page(&app, &format!("/staff/groups/{group_id}")).await;
    assert!(html.contains(&format!("/staff/clauses/{id}")));
    let (_, html) = rev.page(&app, &format!("/staff/clauses/{id}")).await;
    assert!(html.contains("视频会员降级时间窗集体投诉"));
    let r = rev
        .submit(
            &app,
            &format!("/staff/groups/{group_id}/clauses/remove"),
            &[("clause_id", &id.to_string())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_rows(&app, "clause_group_linked").await.len(), 1);
    assert_eq!(audit_rows(&app, "clause_group_unlinked").await.len(), 1);
}

/// Files `n` copies of reference case 2 received at `at` and cites `clause` from each.
async fn cited_complaints(
    app: &TestApp,
    rev: &Staff,
    clause: i64,
    at: chrono::DateTime<Utc>,
    n: usize,
) {
    for _ in 0..n {
        let c = file(app, &reference_case(2)).await;
        exec(
            app,
            "UPDATE complaints SET received_at = $1 WHERE id = $2",
            vec![at.into(), c.id.into()],
        )
        .await;
        let r = rev
            .submit(
                app,
                &format!("/staff/cases/{}/clauses", c.id),
                &[("clause_id", &clause.to_string())],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn complaints_per_month_equal_a_recount_and_the_fall_after_an_amendment_is_written_out() {
    let app = spawn().await;
    NewCompany::named("某视频平台").add(&app).await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let id = record(&app, &rev, "某视频平台", TEXT).await;
    let now = Utc::now();
    // 1 January 00:30 in Shanghai is still 31 December in UTC: it counts in January.
    let jan = Utc.with_ymd_and_hms(2025, 12, 31, 16, 30, 0).unwrap();
    cited_complaints(&app, &rev, id, jan, 2).await;
    cited_complaints(&app, &rev, id, now - Duration::days(20), 4).await;
    cited_complaints(&app, &rev, id, now - Duration::days(3), 1).await;
    // A complaint held as spam cites it too, but does not count.
    let held = file(&app, &reference_case(2)).await;
    exec(
        &app,
        "UPDATE complaints SET status = 'held' WHERE id = $1",
        vec![held.id.into()],
    )
    .await;
    rev.submit(
        &app,
        &format!("/staff/cases/{}/clauses", held.id),
        &[("clause_id", &id.to_string())],
    )
    .await;

    let today = format::today();
    let months = figures::per_month(&app.state.db.read, id, today)
        .await
        .unwrap();
    // The recount: every citing complaint in a published status, by its Shanghai month.
    let rows = downgrade_watch::entities::clause_citation::Entity::find()
        .filter(downgrade_watch::entities::clause_citation::Column::ClauseId.eq(id))
        .all(&app.state.db.read)
        .await
        .unwrap();
    let mut recount = std::collections::BTreeMap::new();
    for r in rows {
        let c = downgrade_watch::entities::complaint::Entity::find_by_id(r.complaint_id)
            .one(&app.state.db.read)
            .await
            .unwrap()
            .unwrap();
        if c.status.code() == "held" {
            continue;
        }
        let m = Month::of(
            c.received_at
                .with_timezone(&format::shanghai())
                .date_naive(),
        );
        *recount.entry(m).or_insert(0u64) += 1;
    }
    for (m, n) in &months {
        assert_eq!(*n, recount.get(m).copied().unwrap_or(0), "month {m}");
    }
    assert_eq!(months.iter().map(|m| m.1).sum::<u64>(), 7);
    assert_eq!(recount.get(&Month::new(2026, 1).unwrap()), Some(&2));

    // Amended 10 days ago: 4 cited in the 10 days before, 1 since → "down 75 %".
    for to in ["under_review", "referred", "amended"] {
        assert_eq!(
            change(&app, &rev, id, to).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    exec(
        &app,
        "UPDATE clause_events SET at = $1 WHERE clause_id = $2 AND to_status = 'amended'",
        vec![(now - Duration::days(9)).into(), id.into()],
    )
    .await;
    // The 4 of 20 days ago fall outside the 10 days before: move them into the window.
    exec(
        &app,
        "UPDATE complaints SET received_at = $1 WHERE received_at < $2 AND received_at > $3",
        vec![
            (now - Duration::days(12)).into(),
            (now - Duration::days(15)).into(),
            (now - Duration::days(25)).into(),
        ],
    )
    .await;
    let (_, html) = rev.page(&app, &format!("/staff/clauses/{id}")).await;
    assert!(html.contains("企业于"), "{html}");
    assert!(html.contains("修改前10天"), "{html}");
    assert!(html.contains("4件"));
    assert!(html.contains("减少75%"), "{html}");
    // The chart and its table.
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("<th scope=\"row\">2026-01</th><td>2</td>"));
}

#[tokio::test]
async fn regulators_read_the_library_and_download_it_with_counts_and_no_consumer_data() {
    let app = spawn().await;
    NewCompany::named("某视频平台").add(&app).await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let id = record(
        &app,
        &rev,
        "某视频平台",
        "=HYPERLINK(\"http://x\") 会员不予退款",
    )
    .await;
    let second = record(&app, &rev, "某视频平台", TEXT).await;
    let case = file(&app, &reference_case(2)).await;
    rev.submit(
        &app,
        &format!("/staff/cases/{}/clauses", case.id),
        &[("clause_id", &id.to_string())],
    )
    .await;
    make_user(&app, "regulator@example.org", Role::Regulator).await;
    let reg = signed_in(&app, "regulator@example.org").await;

    let html = reg.text_of(app.url("/regulator/clauses")).await;
    assert!(html.contains("会员不予退款"));
    let html = reg
        .text_of(app.url(&format!("/regulator/clauses/{id}")))
        .await;
    assert!(html.contains("会员不予退款"));
    assert!(
        !html.contains(&case.code),
        "no tracking codes for regulators"
    );
    assert!(
        !html.contains("reviewer@example.org"),
        "no staff names either"
    );
    // Read-only: the staff pages and every write are refused.
    assert_eq!(
        reg.status_of(app.url("/staff/clauses")).await,
        StatusCode::FORBIDDEN
    );
    let r = reg
        .post(app.url(&format!("/staff/clauses/{id}/status")))
        .form(&[("status", "under_review")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // CSV: BOM, stable header, one row per clause, formula neutralised, counts.
    let r = reg.fetch(app.url("/regulator/clauses.csv")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut rd = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, downgrade_watch::services::clauses::export::COLUMNS);
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    let row = rows.iter().find(|r| r[0] == *id.to_string()).unwrap();
    assert!(row[9].starts_with("'=HYPERLINK"));
    assert_eq!(&row[11], "1");
    assert_eq!(&row[4], "REFUND-DENY;WINDOW");
    assert_eq!(&row[5], "CC-496-497;CRPL-26");
    let other = rows.iter().find(|r| r[0] == *second.to_string()).unwrap();
    assert_eq!(&other[11], "0");
    // Filters apply to the download.
    let bytes = reg
        .fetch(app.url("/regulator/clauses.csv?q=不予退款"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(csv::Reader::from_reader(&bytes[3..]).records().count(), 1);

    // XLSX: the same rows, counts as numbers, formula neutralised.
    use calamine::{Data, Reader, Xlsx};
    let r = reg.fetch(app.url("/regulator/clauses.xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let sheet = wb.worksheet_range("clauses").unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], Data::String("clause_id".into()));
    let row = rows
        .iter()
        .find(|r| r[0] == Data::Float(id as f64))
        .expect("the clause's row");
    assert_eq!(row[11], Data::Float(1.0));
    assert!(matches!(&row[9], Data::String(s) if s.starts_with("'=HYPERLINK")));
    assert_eq!(audit_rows(&app, "clause_library_export").await.len(), 3);
}

#[tokio::test]
async fn companies_and_anonymous_visitors_get_nothing_of_the_library() {
    let app = spawn().await;
    let firm = NewCompany::named("某视频平台").add(&app).await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let id = record(&app, &rev, "某视频平台", TEXT).await;
    downgrade_watch::services::accounts::create_company_user(
        &app.state.db.write,
        "company@example.org",
        "",
        firm,
        Some(crate::support::PASSWORD),
    )
    .await
    .unwrap();
    let company = signed_in(&app, "company@example.org").await;
    let anon = crate::support::browser();
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    for path in [
        "/staff/clauses".to_string(),
        "/staff/clauses/new".to_string(),
        format!("/staff/clauses/{id}"),
        "/regulator/clauses".to_string(),
        format!("/regulator/clauses/{id}"),
        "/regulator/clauses.csv".to_string(),
        "/regulator/clauses.xlsx".to_string(),
    ] {
        assert_eq!(
            company.status_of(app.url(&path)).await,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        let r = anon.fetch(app.url(&path)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&r).starts_with("/staff/login"));
        assert_eq!(
            admin.get(&app, &path).await.status(),
            StatusCode::OK,
            "admin {path}"
        );
        assert_eq!(
            rev.get(&app, &path).await.status(),
            StatusCode::OK,
            "reviewer {path}"
        );
    }
    // Admins write too.
    assert_eq!(
        change(&app, &admin, id, "under_review").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_period_report_lists_the_clauses_under_review_at_its_end() {
    let app = spawn().await;
    NewCompany::named("某视频平台").add(&app).await;
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let open = record(&app, &rev, "某视频平台", TEXT).await;
    let closed = record(&app, &rev, "某视频平台", "降级须另付违约金100元。").await;
    for to in ["under_review", "acceptable"] {
        change(&app, &rev, closed, to).await;
    }
    assert_eq!(
        change(&app, &rev, open, "under_review").await.status(),
        StatusCode::SEE_OTHER
    );
    let case = file(&app, &reference_case(2)).await;
    rev.submit(
        &app,
        &format!("/staff/cases/{}/clauses", case.id),
        &[("clause_id", &open.to_string())],
    )
    .await;
    let period = Month::of(format::today()).code();
    let html = rev
        .page(&app, &format!("/regulator/reports/{period}"))
        .await
        .1;
    assert!(html.contains(&msg(&app, "clauses.report.title")));
    assert!(html.contains("会员服务一经开通"));
    assert!(
        !html.contains("降级须另付违约金"),
        "a closed review is not listed"
    );
    assert!(html.contains(&msg(&app, "clauses.status.under_review")));
    let csv = rev
        .get(&app, &format!("/regulator/reports/{period}/tables.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains(&format!(
            "clauses_under_review,{open},某视频平台 · 高级会员,1"
        )),
        "{csv}"
    );
    // Last month's report: the clauses did not exist yet.
    let last = Month::of(format::today()).plus(-1).code();
    let html = rev
        .page(&app, &format!("/regulator/reports/{last}"))
        .await
        .1;
    assert!(html.contains(&msg(&app, "clauses.report.none")));
    // Status at the end of a period is rebuilt from the history.
    let events = clause_event::Entity::find()
        .filter(clause_event::Column::ClauseId.eq(closed))
        .all(&app.state.db.read)
        .await
        .unwrap();
    let far = Utc::now() + Duration::days(1);
    assert_eq!(
        downgrade_watch::services::clauses::report::status_at(&events, far),
        ClauseStatus::Acceptable
    );
    let before = NaiveDate::from_ymd_opt(2000, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    assert_eq!(
        downgrade_watch::services::clauses::report::status_at(&events, before),
        ClauseStatus::Flagged
    );
}

#[tokio::test]
async fn the_demo_has_clauses_at_every_stage_and_a_reference_case_cites_one() {
    let app = spawn().await;
    let reference = downgrade_watch::services::reference::Reference::load(&app.state.db.read)
        .await
        .unwrap();
    for _ in 0..2 {
        downgrade_watch::cli::demo::seed_demo(
            &app.state.db,
            &reference.cues,
            300,
            &indicatif::ProgressBar::hidden(),
        )
        .await
        .expect("seed");
    }
    let rows = clause::Entity::find()
        .all(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(rows.len(), 4, "a second run adds no clause twice");
    let statuses: std::collections::HashSet<&str> = rows.iter().map(|c| c.status.code()).collect();
    for s in ["flagged", "under_review", "referred", "amended"] {
        assert!(statuses.contains(s), "{s}");
    }
    let case = crate::support::complaint_by_code(&app, "DW-REFB-CASE").await;
    let cited =
        downgrade_watch::services::clauses::citations::clauses_of_case(&app.state.db.read, case.id)
            .await
            .unwrap();
    assert_eq!(cited.len(), 1);
    assert!(cited[0].clause_text.contains("当前订阅周期内不支持降级"));
    // The amended clause's page compares before and after.
    let amended = rows
        .iter()
        .find(|c| c.status == ClauseStatus::Amended)
        .unwrap();
    let rev = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let (st, html) = rev
        .page(&app, &format!("/staff/clauses/{}", amended.id))
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("企业于"), "the amendment is written out");
    let (st, html) = rev.page(&app, &format!("/staff/cases/{}", case.id)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains(&format!("/staff/clauses/{}", cited[0].id)));
}
