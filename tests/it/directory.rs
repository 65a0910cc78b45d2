//! Company directory, case groups and the holiday calendar, through the staff pages and the API.
use chrono::{Datelike, NaiveDate};
use reqwest::{Client, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::support::{
    audit_rows, company_named, complaint_by_id, file, location, make_user, reference_case,
    signed_in, spawn, staff, Complaint, Fetch, Filed, TestApp,
};
use downgrade_watch::domain::{Language, Role};
use downgrade_watch::entities::{case_group, case_group_member, company, company_alias, complaint};
use downgrade_watch::services::holidays::calendar_warning;

/// Real codes as printed on business licences (they pass the GB 32100-2015 check).
const CODE_A: &str = "91110000802100433B";
const CODE_B: &str = "91350100M000100Y43";

/// A signed-in user of `role` and the session's CSRF token.
async fn user(app: &TestApp, email: &str, role: Role) -> (Client, String) {
    let s = staff(app, email, role).await;
    (s.client, s.csrf)
}

async fn post(c: &Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    c.post(app.url(path)).form(form).send().await.expect("post")
}

fn msg(app: &TestApp, key: &str) -> String {
    app.state.i18n.msg(Language::ZhCn, key)
}

/// Creates a company through the form and returns its id.
async fn create_company(app: &TestApp, c: &Client, csrf: &str, form: &[(&str, &str)]) -> i64 {
    let mut f = form.to_vec();
    f.push(("csrf_token", csrf));
    let r = post(c, app, "/staff/companies", &f).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let loc = location(&r);
    loc.trim_start_matches("/staff/companies/")
        .split('?')
        .next()
        .expect("id")
        .parse()
        .expect("numeric id")
}

#[tokio::test]
async fn staff_register_a_company_with_a_checked_credit_code_and_edit_it() {
    let app = spawn().await;
    let (c, csrf) = user(&app, "reviewer@example.org", Role::Reviewer).await;
    // A wrong check character is refused with the field's message; what was typed stays.
    let r = post(
        &c,
        &app,
        "/staff/companies",
        &[
            ("csrf_token", &csrf),
            ("name", "某视频平台"),
            ("sector", "video_membership"),
            ("credit_code", "91110000802100433C"),
            ("contact_email", "not an email"),
            ("aliases", "某视频"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(
        html.contains(&msg(&app, "companies.errors.credit_code")),
        "credit code message"
    );
    assert!(
        html.contains(&msg(&app, "errors.invalid_email")),
        "email message"
    );
    assert!(
        html.contains("value=\"某视频平台\"")
            && html.contains("91110000802100433C")
            && html.contains(">某视频</textarea>"),
        "values kept"
    );
    assert!(company::Entity::find()
        .all(&app.state.db.read)
        .await
        .expect("q")
        .is_empty());

    let id = create_company(
        &app,
        &c,
        &csrf,
        &[
            ("name", "某视频平台"),
            ("sector", "video_membership"),
            ("credit_code", &CODE_A.to_lowercase()),
            ("contact_email", "complaints@video.example"),
            ("aliases", "某视频\n某视频 App"),
        ],
    )
    .await;
    let stored = company_named(&app, "某视频平台").await;
    assert_eq!(
        (
            stored.id,
            stored.credit_code.as_deref(),
            stored.sector.as_deref()
        ),
        (id, Some(CODE_A), Some("video_membership"))
    );
    let page = c.text_of(app.url(&format!("/staff/companies/{id}"))).await;
    assert!(
        page.contains(CODE_A)
            && page.contains("某视频 App")
            && page.contains("complaints@video.example")
    );
    let stamp = page
        .split("name=\"stamp\" value=\"")
        .nth(1)
        .expect("stamp")
        .split('"')
        .next()
        .expect("value")
        .to_string();

    // Editing: an invalid code is refused, a valid one saved.
    let edit = |code: &'static str, stamp: String| {
        let c = c.clone();
        let csrf = csrf.clone();
        let url = app.url(&format!("/staff/companies/{id}"));
        async move {
            c.post(url)
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("name", "某视频平台"),
                    ("sector", "video_membership"),
                    ("credit_code", code),
                    ("contact_email", "help@video.example"),
                    ("stamp", stamp.as_str()),
                ])
                .send()
                .await
                .expect("post")
        }
    };
    let r = edit("91350100M000100Y44", stamp.clone()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("91350100M000100Y44"));
    let r = edit(CODE_B, stamp.clone()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let stored = company_named(&app, "某视频平台").await;
    assert_eq!(
        (
            stored.credit_code.as_deref(),
            stored.contact_email.as_deref()
        ),
        (Some(CODE_B), Some("help@video.example"))
    );
    // A form loaded before that save is stale now.
    let r = edit(CODE_A, stamp).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r
        .text()
        .await
        .expect("text")
        .contains(&msg(&app, "companies.conflict")));
    // A second company cannot take the same code.
    let r = post(
        &c,
        &app,
        "/staff/companies",
        &[
            ("csrf_token", &csrf),
            ("name", "另一家公司"),
            ("credit_code", CODE_B),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().await.expect("text").contains("某视频平台"),
        "the holder is named"
    );
    assert_eq!(audit_rows(&app, "company_created").await.len(), 1);
    assert_eq!(audit_rows(&app, "company_updated").await.len(), 1);
    // Unknown and malformed ids are 404.
    for path in ["/staff/companies/999999", "/staff/companies/abc"] {
        assert_eq!(c.status_of(app.url(path)).await, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn an_alias_belongs_to_one_company_only() {
    let app = spawn().await;
    let (c, csrf) = user(&app, "reviewer@example.org", Role::Reviewer).await;
    let a = create_company(
        &app,
        &c,
        &csrf,
        &[
            ("name", "Mega Cloud 有限公司"),
            ("aliases", "MegaCloud\n超级云盘"),
        ],
    )
    .await;
    // Same alias in another width and case: refused, naming the holder.
    let r = post(
        &c,
        &app,
        "/staff/companies",
        &[
            ("csrf_token", &csrf),
            ("name", "某云存储服务商"),
            ("aliases", "ＭｅｇａＣｌｏｕｄ"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(
        html.contains("ＭｅｇａＣｌｏｕｄ") && html.contains("Mega Cloud 有限公司"),
        "names the alias and its company"
    );
    // A new company may not be named like another's alias either.
    let r = post(
        &c,
        &app,
        "/staff/companies",
        &[("csrf_token", &csrf), ("name", "超级云盘")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Adding on the company page: a taken alias is refused, a new one added, then removed.
    let b = create_company(&app, &c, &csrf, &[("name", "某云存储服务商")]).await;
    let r = post(
        &c,
        &app,
        &format!("/staff/companies/{b}/aliases"),
        &[("csrf_token", &csrf), ("aliases", "超级云盘")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("text")
            .contains(">超级云盘</textarea>"),
        "typed alias kept"
    );
    let r = post(
        &c,
        &app,
        &format!("/staff/companies/{b}/aliases"),
        &[("csrf_token", &csrf), ("aliases", "云存储")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let aliases = company_alias::Entity::find()
        .filter(company_alias::Column::CompanyId.eq(b))
        .all(&app.state.db.read)
        .await
        .expect("q");
    assert_eq!(
        aliases.iter().map(|a| a.alias.as_str()).collect::<Vec<_>>(),
        ["云存储"]
    );
    // Another company's alias cannot be removed through this company's page.
    let a_alias = company_alias::Entity::find()
        .filter(company_alias::Column::CompanyId.eq(a))
        .one(&app.state.db.read)
        .await
        .expect("q")
        .expect("alias");
    let r = post(
        &c,
        &app,
        &format!("/staff/companies/{b}/aliases/remove"),
        &[("csrf_token", &csrf), ("alias_id", &a_alias.id.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = post(
        &c,
        &app,
        &format!("/staff/companies/{b}/aliases/remove"),
        &[
            ("csrf_token", &csrf),
            ("alias_id", &aliases[0].id.to_string()),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(company_alias::Entity::find()
        .filter(company_alias::Column::CompanyId.eq(b))
        .all(&app.state.db.read)
        .await
        .expect("q")
        .is_empty());
    // Searching by part of an alias finds the company.
    let list = c
        .text_of(app.url("/staff/companies?q=%E8%B6%85%E7%BA%A7"))
        .await;
    assert!(list.contains("Mega Cloud 有限公司") && !list.contains("某云存储服务商</a>"));
}

#[tokio::test]
async fn merging_a_company_moves_its_cases_groups_and_aliases_and_is_audited() {
    let app = spawn().await;
    let (c, csrf) = user(&app, "reviewer@example.org", Role::Reviewer).await;
    let old = create_company(
        &app,
        &c,
        &csrf,
        &[
            ("name", "某视频平台"),
            ("aliases", "某视频"),
            ("credit_code", CODE_A),
        ],
    )
    .await;
    let keep = create_company(
        &app,
        &c,
        &csrf,
        &[
            ("name", "某视频科技有限公司"),
            ("sector", "video_membership"),
        ],
    )
    .await;
    // Intake links a complaint that names the company.
    let case_id = file(&app, &reference_case(2)).await.id;
    assert_eq!(complaint_by_id(&app, case_id).await.company_id, Some(old));
    let version_before = complaint_by_id(&app, case_id).await.version;
    let r = post(
        &c,
        &app,
        "/staff/groups",
        &[
            ("csrf_token", &csrf),
            ("name", "到期前3日才能降级"),
            ("company", "某视频"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Merging a company into itself is refused.
    let r = post(
        &c,
        &app,
        &format!("/staff/companies/{keep}/merge"),
        &[("csrf_token", &csrf), ("other", &keep.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(
        &c,
        &app,
        &format!("/staff/companies/{keep}/merge"),
        &[("csrf_token", &csrf), ("other", "某视频平台")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("done=merged&n=1"));

    let moved = complaint_by_id(&app, case_id).await;
    assert_eq!(moved.company_id, Some(keep));
    assert_eq!(
        moved.version,
        version_before + 1,
        "an open case form notices the change"
    );
    let groups = case_group::Entity::find()
        .all(&app.state.db.read)
        .await
        .expect("q");
    assert_eq!(groups[0].company_id, Some(keep));
    let mut aliases: Vec<String> = company_alias::Entity::find()
        .filter(company_alias::Column::CompanyId.eq(keep))
        .all(&app.state.db.read)
        .await
        .expect("q")
        .into_iter()
        .map(|a| a.alias)
        .collect();
    aliases.sort();
    assert_eq!(aliases, ["某视频", "某视频平台"]);
    assert!(company::Entity::find_by_id(old)
        .one(&app.state.db.read)
        .await
        .expect("q")
        .is_none());
    assert_eq!(
        company_named(&app, "某视频科技有限公司")
            .await
            .credit_code
            .as_deref(),
        Some(CODE_A),
        "details the survivor lacked are kept"
    );
    let audit = audit_rows(&app, "company_merged").await;
    assert_eq!(audit.len(), 1);
    let detail: Value =
        serde_json::from_str(audit[0].detail.as_deref().expect("detail")).expect("json");
    assert_eq!(
        (
            detail["merged_id"].as_i64(),
            detail["into_id"].as_i64(),
            detail["moved_complaints"].as_u64()
        ),
        (Some(old), Some(keep), Some(1))
    );
    // New complaints naming the old company now reach the survivor through the alias.
    let later = file(&app, &reference_case(2)).await.id;
    assert_eq!(complaint_by_id(&app, later).await.company_id, Some(keep));
    let page = c
        .text_of(app.url(&format!("/staff/companies/{keep}")))
        .await;
    assert!(
        page.contains(&format!("/staff/cases/{case_id}"))
            && page.contains(&format!("/staff/cases/{later}"))
    );
}

#[tokio::test]
async fn complaints_filed_before_the_company_existed_can_be_linked_afterwards() {
    let app = spawn().await;
    let (c, csrf) = user(&app, "reviewer@example.org", Role::Reviewer).await;
    let mut doc = reference_case(4);
    doc["company_name"] = json!("  某云存储服务商 ");
    let by_alias = file(&app, &doc).await.id;
    let mut doc = reference_case(4);
    doc["company_name"] = json!("ＭＥＧＡ  cloud");
    let by_name = file(&app, &doc).await.id;
    let other = file(&app, &reference_case(3)).await.id;
    let id = create_company(
        &app,
        &c,
        &csrf,
        &[("name", "Mega Cloud"), ("aliases", "某云存储服务商")],
    )
    .await;
    assert_eq!(
        complaint_by_id(&app, by_alias).await.company_id,
        None,
        "creating does not link by itself"
    );
    let r = post(
        &c,
        &app,
        &format!("/staff/companies/{id}/link"),
        &[("csrf_token", &csrf)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&r).ends_with("done=linked&n=2"),
        "{}",
        location(&r)
    );
    assert_eq!(complaint_by_id(&app, by_alias).await.company_id, Some(id));
    assert_eq!(complaint_by_id(&app, by_name).await.company_id, Some(id));
    assert_eq!(complaint_by_id(&app, other).await.company_id, None);
    let page = c.text_of(app.url(&location(&r))).await;
    assert!(page.contains(&app.state.i18n.fmt(
        Language::ZhCn,
        "companies.done.linked",
        &[("n", "2")]
    )));
    let list = c.text_of(app.url("/staff/companies")).await;
    assert!(
        list.contains("<td>2</td>"),
        "the list counts the linked complaints"
    );
    assert_eq!(audit_rows(&app, "company_complaints_linked").await.len(), 1);
}

#[tokio::test]
async fn the_companies_api_pages_by_cursor_and_shows_the_contact_only_to_staff() {
    let app = spawn().await;
    let (c, csrf) = user(&app, "reviewer@example.org", Role::Reviewer).await;
    for i in 0..5 {
        let name = format!("公司{i}");
        let email = format!("c{i}@example.com");
        let aliases = if i == 3 { "三号品牌" } else { "" };
        create_company(
            &app,
            &c,
            &csrf,
            &[
                ("name", &name),
                ("contact_email", &email),
                ("aliases", aliases),
            ],
        )
        .await;
    }
    let mut doc = reference_case(2);
    doc["company_name"] = json!("三号品牌");
    file(&app, &doc).await;
    make_user(&app, "regulator@example.org", Role::Regulator).await;
    let regulator = signed_in(&app, "regulator@example.org").await;

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut url = app.url("/api/v1/companies?limit=2");
        if let Some(cur) = &cursor {
            url.push_str(&format!("&cursor={cur}"));
        }
        let r = regulator.fetch(url).await;
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = r.json().await.expect("json");
        pages += 1;
        for item in body["items"].as_array().expect("items") {
            assert!(
                item.get("contact_email").is_none(),
                "regulators do not get the contact: {item}"
            );
            for key in [
                "id",
                "name",
                "aliases",
                "sector",
                "credit_code",
                "complaint_count",
            ] {
                assert!(item.get(key).is_some(), "{key} in {item}");
            }
            seen.push(item["name"].as_str().expect("name").to_string());
        }
        match body["next_cursor"].as_str() {
            Some(n) => cursor = Some(n.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        seen,
        ["公司0", "公司1", "公司2", "公司3", "公司4"],
        "no gaps or overlaps"
    );

    let body: Value = c
        .fetch(app.url("/api/v1/companies?q=%E4%B8%89%E5%8F%B7"))
        .await
        .json()
        .await
        .expect("json");
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(
        (
            items[0]["name"].as_str(),
            items[0]["contact_email"].as_str(),
            items[0]["complaint_count"].as_i64()
        ),
        (Some("公司3"), Some("c3@example.com"), Some(1))
    );
    assert_eq!(items[0]["aliases"], json!(["三号品牌"]));

    for bad in ["limit=0", "limit=201", "limit=ten", "cursor=nonsense"] {
        let r = regulator
            .fetch(app.url(&format!("/api/v1/companies?{bad}")))
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let body: Value = r.json().await.expect("json");
        assert!(
            body["errors"]
                .as_object()
                .is_some_and(|e| e.contains_key("limit") || e.contains_key("cursor")),
            "{body}"
        );
    }
    assert_eq!(
        app.client.status_of(app.url("/api/v1/companies")).await,
        StatusCode::UNAUTHORIZED
    );
    // Regulators have no access to the directory pages themselves.
    assert_eq!(
        regulator.status_of(app.url("/staff/companies")).await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_group_collects_cases_by_tracking_code_or_id_and_lets_them_go_again() {
    let app = spawn().await;
    let (c, csrf) = user(&app, "reviewer@example.org", Role::Reviewer).await;
    let r = post(
        &c,
        &app,
        "/staff/groups",
        &[
            ("csrf_token", &csrf),
            ("name", ""),
            ("description", "说明"),
            ("company", "不存在的公司"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(
        html.contains(&msg(&app, "errors.required"))
            && html.contains("不存在的公司")
            && html.contains(">说明</textarea>")
    );
    let r = post(
        &c,
        &app,
        "/staff/groups",
        &[
            ("csrf_token", &csrf),
            ("name", "某视频平台 到期前3日才能降级"),
            ("description", "集体投诉"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let group = case_group::Entity::find()
        .one(&app.state.db.read)
        .await
        .expect("q")
        .expect("group");

    let Filed {
        id: id1,
        code: code1,
        ..
    } = file(&app, &reference_case(1)).await;
    let Filed {
        id: id2,
        code: code2,
        ..
    } = file(&app, &reference_case(2)).await;
    let id3 = file(&app, &reference_case(3)).await.id;
    // Codes as people type them (lower case, no dashes), an id, and two unknown references.
    let typed = format!("{}, DW-ZZZZ-ZZZZ\n{}\n999999", code1.to_lowercase(), id2);
    let r = post(
        &c,
        &app,
        &format!("/staff/groups/{}/members", group.id),
        &[("csrf_token", &csrf), ("cases", &typed)],
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown references are reported"
    );
    let html = r.text().await.expect("text");
    assert!(
        html.contains("DW-ZZZZ-ZZZZ, 999999") && html.contains(&code1) && html.contains(&code2)
    );
    let r = post(
        &c,
        &app,
        &format!("/staff/groups/{}/members", group.id),
        &[("csrf_token", &csrf), ("cases", &format!("{code1}，{id3}"))],
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "a known member again is not an error"
    );
    let members = |app: &TestApp, g: i64| {
        let db = app.state.db.read.clone();
        async move {
            let mut v: Vec<i64> = case_group_member::Entity::find()
                .filter(case_group_member::Column::GroupId.eq(g))
                .all(&db)
                .await
                .expect("q")
                .into_iter()
                .map(|m| m.complaint_id)
                .collect();
            v.sort();
            v
        }
    };
    assert_eq!(members(&app, group.id).await, [id1, id2, id3]);
    let list = c.text_of(app.url("/staff/groups")).await;
    assert!(list.contains("某视频平台 到期前3日才能降级") && list.contains("<td>3</td>"));

    let r = post(
        &c,
        &app,
        &format!("/staff/groups/{}/members/remove", group.id),
        &[("csrf_token", &csrf), ("complaint_id", &id2.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(members(&app, group.id).await, [id1, id3]);
    let r = post(
        &c,
        &app,
        &format!("/staff/groups/{}/members/remove", group.id),
        &[("csrf_token", &csrf), ("complaint_id", &id2.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "not a member any more");
    assert_eq!(audit_rows(&app, "group_members_added").await.len(), 2);
    assert_eq!(audit_rows(&app, "group_member_removed").await.len(), 1);

    // Deleting the group keeps its complaints.
    let r = post(
        &c,
        &app,
        &format!("/staff/groups/{}/delete", group.id),
        &[("csrf_token", &csrf)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(case_group::Entity::find()
        .all(&app.state.db.read)
        .await
        .expect("q")
        .is_empty());
    assert!(members(&app, group.id).await.is_empty());
    assert_eq!(
        complaint::Entity::find()
            .all(&app.state.db.read)
            .await
            .expect("q")
            .len(),
        3
    );
    assert_eq!(
        c.status_of(app.url(&format!("/staff/groups/{}", group.id)))
            .await,
        StatusCode::NOT_FOUND
    );
}

/// A group with a consenting member (with `contact_name`) and one who did not consent.
async fn group_with_contacts(app: &TestApp, c: &Client, csrf: &str, contact_name: &str) -> i64 {
    let code1 = Complaint::reference(1)
        .with(json!({
            "contact_name": contact_name,
            "contact_email": "zhang.san@example.com",
            "contact_phone": "13800138000",
        }))
        .file(app)
        .await
        .code;
    let code2 = Complaint::reference(2)
        .with(json!({"contact_name": "李四", "contact_email": "li.si@example.com"}))
        .file(app)
        .await
        .code;
    let r = post(
        c,
        app,
        "/staff/groups",
        &[("csrf_token", csrf), ("name", "保号套餐降级难")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let group = case_group::Entity::find()
        .one(&app.state.db.read)
        .await
        .expect("q")
        .expect("group");
    let r = post(
        c,
        app,
        &format!("/staff/groups/{}/members", group.id),
        &[
            ("csrf_token", csrf),
            ("cases", &format!("{code1}\n{code2}")),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    group.id
}

#[tokio::test]
async fn member_contact_data_is_shown_only_for_consenting_members_and_each_view_is_audited() {
    let app = spawn().await;
    let (c, csrf) = user(&app, "reviewer@example.org", Role::Reviewer).await;
    let g = group_with_contacts(&app, &c, &csrf, "张三").await;
    assert!(audit_rows(&app, "view_contact").await.is_empty());
    let r = c.fetch(app.url(&format!("/staff/groups/{g}"))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.expect("text");
    assert!(
        html.contains("张三")
            && html.contains("zhang.san@example.com")
            && html.contains("13800138000")
    );
    assert!(
        !html.contains("李四") && !html.contains("li.si@example.com"),
        "no consent, no contact data"
    );
    assert!(html.contains(&msg(&app, "groups.contact_withheld")));
    let audit = audit_rows(&app, "view_contact").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (
            audit[0].target_type.as_deref(),
            audit[0].target_id.as_deref()
        ),
        (Some("case_group"), Some(g.to_string().as_str()))
    );
    let detail = audit[0].detail.clone().unwrap_or_default();
    let d: Value = serde_json::from_str(&detail).expect("json");
    assert_eq!(
        (
            d["group_id"].as_i64(),
            d["members"].as_u64(),
            d["with_contact"].as_u64()
        ),
        (Some(g), Some(2), Some(1))
    );
    assert!(
        !detail.contains("张三") && !detail.contains("example.com") && !detail.contains("138"),
        "no personal data in the audit row"
    );
    c.fetch(app.url(&format!("/staff/groups/{g}"))).await;
    assert_eq!(
        audit_rows(&app, "view_contact").await.len(),
        2,
        "every view is recorded"
    );
}

#[tokio::test]
async fn the_member_export_opens_in_excel_and_neutralises_formulas() {
    let app = spawn().await;
    let (c, csrf) = user(&app, "reviewer@example.org", Role::Reviewer).await;
    let g = group_with_contacts(&app, &c, &csrf, "=HYPERLINK(\"http://evil.example\",\"x\")").await;
    let r = c
        .fetch(app.url(&format!("/staff/groups/{g}/members.csv")))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/csv"));
    assert!(r.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .starts_with("attachment"));
    let bytes = r.bytes().await.expect("body");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte order mark");
    let text = std::str::from_utf8(&bytes[3..]).expect("utf8");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header[..3],
        ["complaint_id", "tracking_code", "received_at"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let consenting = rows
        .iter()
        .find(|r| &r[col("consent_contact_company")] == "true")
        .expect("consenting row");
    assert_eq!(
        &consenting[col("contact_name")],
        "'=HYPERLINK(\"http://evil.example\",\"x\")"
    );
    assert_eq!(&consenting[col("contact_phone")], "13800138000");
    let private = rows
        .iter()
        .find(|r| &r[col("consent_contact_company")] == "false")
        .expect("private row");
    assert_eq!(
        (
            &private[col("contact_name")],
            &private[col("contact_email")]
        ),
        ("", "")
    );
    assert_eq!(&consenting[col("company_name")], "某通信运营商北京分公司");
    assert!(!text.contains("李四"));
    let audit = audit_rows(&app, "export").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].target_id.as_deref(), Some(g.to_string().as_str()));
    assert!(!audit[0]
        .detail
        .clone()
        .unwrap_or_default()
        .contains("HYPERLINK"));
    assert_eq!(
        c.status_of(app.url("/staff/groups/999999/members.csv"))
            .await,
        StatusCode::NOT_FOUND
    );
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

#[tokio::test]
async fn admins_edit_the_holiday_calendar_and_the_clocks_follow() {
    let app = spawn().await;
    let (admin, csrf) = user(&app, "admin@example.org", Role::Admin).await;
    let (reviewer, reviewer_csrf) = user(&app, "reviewer@example.org", Role::Reviewer).await;
    assert_eq!(
        reviewer.status_of(app.url("/staff/holidays")).await,
        StatusCode::FORBIDDEN
    );
    let r = post(
        &reviewer,
        &app,
        "/staff/holidays",
        &[
            ("csrf_token", &reviewer_csrf),
            ("from", "2027-01-01"),
            ("kind", "holiday"),
            ("name", "元旦"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Friday 2027-01-01 counts as a working day until the notice is entered.
    assert!(app
        .state
        .reference()
        .calendar
        .is_working_day(day("2027-01-01")));
    let r = post(
        &admin,
        &app,
        "/staff/holidays",
        &[
            ("csrf_token", &csrf),
            ("from", "2027-01-03"),
            ("to", "2027-01-01"),
            ("kind", "holiday"),
            ("name", "元旦"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(
        html.contains(&msg(&app, "holidays.errors.to_before_from"))
            && html.contains("value=\"2027-01-03\"")
            && html.contains("value=\"元旦\"")
    );
    let r = post(
        &admin,
        &app,
        "/staff/holidays",
        &[
            ("csrf_token", &csrf),
            ("from", "2027-01-01"),
            ("to", "2027-01-03"),
            ("kind", "holiday"),
            ("name", "元旦"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/staff/holidays?year=2027&done=added&n=3");
    let cal = &app.state.reference().calendar;
    assert!(!cal.is_working_day(day("2027-01-01")));
    assert_eq!(
        cal.add_working_days(day("2026-12-31"), 1),
        day("2027-01-04")
    );
    // A make-up working day on a Sunday.
    let r = post(
        &admin,
        &app,
        "/staff/holidays",
        &[
            ("csrf_token", &csrf),
            ("from", "2027-02-07"),
            ("kind", "workday"),
            ("name", "春节调休"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app
        .state
        .reference()
        .calendar
        .is_working_day(day("2027-02-07")));
    let page = admin.text_of(app.url("/staff/holidays?year=2027")).await;
    assert!(page.contains("元旦") && page.contains("春节调休") && page.contains("2027-01-02"));

    let r = post(
        &admin,
        &app,
        "/staff/holidays/delete",
        &[("csrf_token", &csrf), ("day", "2027-01-01")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app
        .state
        .reference()
        .calendar
        .is_working_day(day("2027-01-01")));
    let r = post(
        &admin,
        &app,
        "/staff/holidays/delete",
        &[("csrf_token", &csrf), ("day", "2027-01-01")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(audit_rows(&app, "holiday_added").await.len(), 2);
    assert_eq!(audit_rows(&app, "holiday_deleted").await.len(), 1);
    assert_eq!(
        admin.status_of(app.url("/staff/holidays?year=abc")).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_calendar_warning_names_a_missing_year_until_it_is_entered() {
    let app = spawn().await;
    let (admin, csrf) = user(&app, "admin@example.org", Role::Admin).await;
    let this_year = downgrade_watch::domain::format::today().year();
    let next_year = this_year + 1;
    let warning = calendar_warning(
        &app.state.db.read,
        &app.state.reference().calendar,
        &app.state.i18n,
        Language::ZhCn,
    )
    .await
    .expect("the seed data stops at 2026");
    assert!(warning.contains(&next_year.to_string()), "{warning}");
    let page = admin.text_of(app.url("/staff/holidays")).await;
    assert!(page.contains(&warning));
    let en = calendar_warning(
        &app.state.db.read,
        &app.state.reference().calendar,
        &app.state.i18n,
        Language::En,
    )
    .await
    .expect("warning");
    assert!(en.contains(&next_year.to_string()) && en.contains("Monday to Friday"));

    for year in [this_year, next_year] {
        let from = format!("{year}-01-01");
        let r = post(
            &admin,
            &app,
            "/staff/holidays",
            &[
                ("csrf_token", &csrf),
                ("from", &from),
                ("kind", "holiday"),
                ("name", "元旦"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(
        calendar_warning(
            &app.state.db.read,
            &app.state.reference().calendar,
            &app.state.i18n,
            Language::ZhCn
        )
        .await,
        None
    );
    let page = admin.text_of(app.url("/staff/holidays")).await;
    assert!(!page.contains(&warning));
}
