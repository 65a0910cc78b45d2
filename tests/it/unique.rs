//! Unique keys under concurrency: two requests that claim the same email or company name at
//! the same moment end as one success and one 422 on the field, never a 500 (the database's
//! unique index decides, not a look-up before the insert).
use reqwest::{Client, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::support::{spawn, staff as signed_in_staff, TestApp};
use downgrade_watch::domain::{Language, Role};
use downgrade_watch::entities::{company, user};
use downgrade_watch::services::accounts::{self, AccountError};

/// A signed-in client of `role` and its CSRF token.
async fn staff(app: &TestApp, email: &str, role: Role) -> (Client, String) {
    let s = signed_in_staff(app, email, role).await;
    (s.client, s.csrf)
}

fn msg(app: &TestApp, key: &str) -> String {
    app.state.i18n.msg(Language::ZhCn, key)
}

/// The status and body of a form post.
async fn post(
    c: &Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let r = c.post(app.url(path)).form(form).send().await.expect("post");
    let status = r.status();
    (status, r.text().await.expect("text"))
}

#[tokio::test]
async fn two_tasks_creating_the_same_user_get_one_account_and_one_exists_error() {
    let app = spawn().await;
    let db = &app.state.db.write;
    let (a, b) = tokio::join!(
        accounts::create_user(db, "same@example.org", "", Role::Reviewer, None),
        accounts::create_user(db, "Same@Example.org ", "", Role::Reviewer, None),
    );
    let refused = match (a, b) {
        (Ok(_), Err(e)) | (Err(e), Ok(_)) => e,
        (a, b) => panic!("expected one success and one refusal, got {a:?} and {b:?}"),
    };
    assert!(matches!(refused, AccountError::Exists), "{refused:?}");
    let users = user::Entity::find()
        .filter(user::Column::Email.eq("same@example.org"))
        .count(&app.state.db.read)
        .await
        .expect("count");
    assert_eq!(users, 1);
}

#[tokio::test]
async fn two_admins_inviting_the_same_email_at_once_get_one_invite_and_one_422() {
    let app = spawn().await;
    let (c1, csrf1) = staff(&app, "admin1@example.org", Role::Admin).await;
    let (c2, csrf2) = staff(&app, "admin2@example.org", Role::Admin).await;
    let invite = |csrf: &str| {
        [
            ("csrf_token", csrf.to_string()),
            ("email", "new.reviewer@example.org".to_string()),
            ("role", "reviewer".to_string()),
        ]
    };
    let (r1, r2) = tokio::join!(
        c1.post(app.url("/staff/users/invite"))
            .form(&invite(&csrf1))
            .send(),
        c2.post(app.url("/staff/users/invite"))
            .form(&invite(&csrf2))
            .send(),
    );
    let (r1, r2) = (r1.expect("post"), r2.expect("post"));
    let mut statuses = [r1.status(), r2.status()];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY],
        "one invite, one refusal"
    );
    let refused = if r1.status() == StatusCode::UNPROCESSABLE_ENTITY {
        r1
    } else {
        r2
    };
    assert!(
        refused
            .text()
            .await
            .expect("text")
            .contains(&msg(&app, "staff.users.exists")),
        "the refusal says the user exists"
    );
    let users = user::Entity::find()
        .filter(user::Column::Email.eq("new.reviewer@example.org"))
        .count(&app.state.db.read)
        .await
        .expect("count");
    assert_eq!(users, 1);
}

#[tokio::test]
async fn two_reviewers_registering_the_same_company_at_once_get_one_company_and_one_422() {
    let app = spawn().await;
    let (c1, csrf1) = staff(&app, "reviewer1@example.org", Role::Reviewer).await;
    let (c2, csrf2) = staff(&app, "reviewer2@example.org", Role::Reviewer).await;
    let first = [
        ("csrf_token", csrf1.as_str()),
        ("name", "某视频平台"),
        ("aliases", "某视频"),
    ];
    // With stray spaces: the same name once trimmed and normalised.
    let second = [("csrf_token", csrf2.as_str()), ("name", " 某视频平台 ")];
    let ((s1, body1), (s2, body2)) = tokio::join!(
        post(&c1, &app, "/staff/companies", &first),
        post(&c2, &app, "/staff/companies", &second),
    );
    let mut statuses = [s1, s2];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY],
        "one company, one refusal: {body1} {body2}"
    );
    let refused = if s1 == StatusCode::UNPROCESSABLE_ENTITY {
        body1
    } else {
        body2
    };
    let named = app.state.i18n.fmt(
        Language::ZhCn,
        "companies.errors.name_taken",
        &[("company", "某视频平台")],
    );
    assert!(
        refused.contains(&named)
            || refused.contains(&msg(&app, "companies.errors.taken_meanwhile")),
        "the name field says it is taken"
    );
    let companies = company::Entity::find()
        .filter(company::Column::Name.eq("某视频平台"))
        .count(&app.state.db.read)
        .await
        .expect("count");
    assert_eq!(companies, 1);
}

#[tokio::test]
async fn a_second_company_with_a_taken_credit_code_or_alias_is_refused_on_that_field() {
    let app = spawn().await;
    let (c, csrf) = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let (s, _) = post(
        &c,
        &app,
        "/staff/companies",
        &[
            ("csrf_token", &csrf),
            ("name", "Mega Cloud 有限公司"),
            ("credit_code", "91110000802100433B"),
            ("aliases", "MegaCloud"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, html) = post(
        &c,
        &app,
        "/staff/companies",
        &[
            ("csrf_token", &csrf),
            ("name", "另一家公司"),
            ("credit_code", "91110000802100433B"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains(&app.state.i18n.fmt(
            Language::ZhCn,
            "companies.errors.credit_code_taken",
            &[("company", "Mega Cloud 有限公司")],
        )),
        "the credit code's holder is named"
    );
    let (s, html) = post(
        &c,
        &app,
        "/staff/companies",
        &[
            ("csrf_token", &csrf),
            ("name", "另一家公司"),
            ("aliases", "megacloud"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Mega Cloud 有限公司"),
        "the alias's holder is named"
    );
    let companies = company::Entity::find()
        .count(&app.state.db.read)
        .await
        .expect("count");
    assert_eq!(companies, 1);
}
