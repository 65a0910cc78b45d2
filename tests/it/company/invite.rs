//! Admins invite company contacts from the company's directory page; the contact sets a
//! password through the usual invitation and lands in the portal.
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::support::firm;
use crate::support::{browser, csrf_of, location, log_in, spawn, staff, Fetch, PASSWORD};
use downgrade_watch::domain::Role;
use downgrade_watch::entities::{mail_outbox, user};

#[tokio::test]
async fn an_admin_invites_a_company_contact_who_signs_in_to_the_portal() {
    let app = spawn().await;
    let id = firm(&app, "寅通信公司").await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    let page = format!("/staff/companies/{id}");
    let (status, html) = admin.page(&app, &page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("id=\"invite_email\""),
        "admins see the invitation form"
    );

    // A bad address is explained and kept.
    let invite = format!("/staff/companies/{id}/invite");
    let r = admin
        .submit(
            &app,
            &invite,
            &[("email", "not-an-address"), ("display_name", "客服主管")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(html.contains("value=\"not-an-address\"") && html.contains("invite_email-error"));

    let r = admin
        .submit(
            &app,
            &invite,
            &[("email", "kefu@yin.example"), ("display_name", "客服主管")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{page}?done=invited"));
    let u = user::Entity::find()
        .filter(user::Column::Email.eq("kefu@yin.example"))
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("user");
    assert_eq!((u.role.as_str(), u.company_id), ("company", Some(id)));
    let (_, html) = admin.page(&app, &format!("{page}?done=invited")).await;
    assert!(
        html.contains("kefu@yin.example"),
        "listed on the company's page"
    );

    // The invitation mail, through the outbox.
    let mail = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Kind.eq("invite"))
        .filter(mail_outbox::Column::ToAddr.eq("kefu@yin.example"))
        .order_by_desc(mail_outbox::Column::Id)
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("invite mail");
    let start = mail.body_text.find("/staff/invite/").expect("link");
    let link: String = mail.body_text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let contact = browser();
    let form = contact.text_of(app.url(&link)).await;
    let r = contact
        .post(app.url(&link))
        .form(&[
            ("password", PASSWORD),
            ("password_again", PASSWORD),
            ("csrf_token", &csrf_of(&form)),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = log_in(&contact, &app.base, "kefu@yin.example", PASSWORD).await;
    assert_eq!(location(&r), "/company");
    assert_eq!(contact.status_of(app.url("/company")).await, StatusCode::OK);
    assert_eq!(
        contact.status_of(app.url(&page)).await,
        StatusCode::FORBIDDEN
    );

    // Reviewers see the contacts but cannot invite.
    let reviewer = staff(&app, "reviewer@example.org", Role::Reviewer).await;
    let (_, html) = reviewer.page(&app, &page).await;
    assert!(html.contains("kefu@yin.example") && !html.contains("name=\"display_name\""));
    let r = reviewer
        .submit(&app, &invite, &[("email", "other@yin.example")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
