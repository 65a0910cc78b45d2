use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{csrf_of, make_user, signed_in, spawn, Fetch, NewCompany, PASSWORD};
use downgrade_watch::domain::Role;
use downgrade_watch::services::accounts;
use downgrade_watch::web::shared::authz::Access;

#[tokio::test]
async fn staff_sign_in_and_out_with_a_session_cookie() {
    let app = spawn().await;
    make_user(&app, "Reviewer@Example.org", Role::Reviewer).await;
    let client = signed_in(&app, "reviewer@example.org").await;
    let r = client.fetch(app.url("/staff")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("text");
    assert!(html.contains("reviewer"));
    let r = client
        .post(app.url("/staff/logout"))
        .form(&[("csrf_token", csrf_of(&html))])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = client.fetch(app.url("/staff")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()["location"]
        .to_str()
        .expect("ascii")
        .starts_with("/staff/login?next="));
    // The session cookie is HttpOnly and SameSite.
    let jar = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = jar.fetch(app.url("/staff/login")).await;
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(
        cookie.contains("dw_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    // Session ids are stored hashed: the cookie value is not in the database.
    let id = cookie
        .split(';')
        .next()
        .expect("pair")
        .trim_start_matches("dw_session=")
        .to_string();
    use sea_orm::EntityTrait;
    let rows = downgrade_watch::entities::session::Entity::find()
        .all(&app.state.db.read)
        .await
        .expect("rows");
    assert!(
        !rows.is_empty()
            && rows
                .iter()
                .all(|r| r.id_hash != id && r.id_hash.len() == 64)
    );
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account() {
    let app = spawn().await;
    make_user(&app, "admin@example.org", Role::Admin).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    let html = client.text_of(app.url("/staff/login")).await;
    let csrf = csrf_of(&html);
    let mut last = StatusCode::OK;
    for _ in 0..accounts::MAX_FAILED_LOGINS {
        let r = client
            .post(app.url("/staff/login"))
            .form(&[
                ("email", "admin@example.org"),
                ("password", "wrong password!"),
                ("csrf_token", &csrf),
            ])
            .send()
            .await
            .expect("post");
        last = r.status();
        let body = r.text().await.expect("text");
        assert!(body.contains("admin@example.org"), "typed email kept");
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let r = client
        .post(app.url("/staff/login"))
        .form(&[
            ("email", "admin@example.org"),
            ("password", PASSWORD),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "locked even with the right password"
    );
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let audit = downgrade_watch::entities::audit_log::Entity::find()
        .filter(downgrade_watch::entities::audit_log::Column::Action.eq("login_failed"))
        .all(&app.state.db.read)
        .await
        .expect("rows");
    assert_eq!(audit.len(), accounts::MAX_FAILED_LOGINS as usize - 1);
}

#[tokio::test]
async fn a_form_without_the_right_csrf_token_is_refused() {
    let app = spawn().await;
    make_user(&app, "admin@example.org", Role::Admin).await;
    let r = app
        .post_form(
            "/staff/login",
            &[("email", "admin@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let client = signed_in(&app, "admin@example.org").await;
    let r = client
        .post(app.url("/staff/users/invite"))
        .form(&[
            ("email", "x@example.org"),
            ("role", "reviewer"),
            ("csrf_token", "forged"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.expect("text").contains("表单已过期"));
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes() {
    let app = spawn().await;
    make_user(&app, "admin@example.org", Role::Admin).await;
    signed_in(&app, "admin@example.org").await;
    use sea_orm::ConnectionTrait;
    let db = &app.state.db.write;
    assert!(db
        .execute_unprepared("UPDATE audit_log SET actor = 'someone else'")
        .await
        .is_err());
    assert!(db
        .execute_unprepared("DELETE FROM audit_log")
        .await
        .is_err());
}

/// Who gets what for each protected route: anonymous, reviewer, regulator, admin, company.
#[tokio::test]
async fn the_authorisation_matrix_holds_for_every_protected_route() {
    let app = spawn().await;
    make_user(&app, "admin@example.org", Role::Admin).await;
    make_user(&app, "reviewer@example.org", Role::Reviewer).await;
    make_user(&app, "regulator@example.org", Role::Regulator).await;
    let firm = NewCompany::named("矩阵测试公司").add(&app).await;
    accounts::create_company_user(
        &app.state.db.write,
        "company@example.org",
        "",
        firm,
        Some(PASSWORD),
    )
    .await
    .expect("company user");
    let anon = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    let users = [
        (
            Role::Reviewer,
            signed_in(&app, "reviewer@example.org").await,
        ),
        (
            Role::Regulator,
            signed_in(&app, "regulator@example.org").await,
        ),
        (Role::Admin, signed_in(&app, "admin@example.org").await),
        (Role::Company, signed_in(&app, "company@example.org").await),
    ];
    // Each signed-in client's CSRF token, so POSTs reach the handler.
    let mut csrf = Vec::new();
    for (_, c) in &users {
        let html = c.text_of(app.url("/regulator")).await;
        let html = if html.contains("csrf_token") {
            html
        } else {
            c.text_of(app.url("/staff")).await
        };
        let html = if html.contains("csrf_token") {
            html
        } else {
            c.text_of(app.url("/company")).await
        };
        csrf.push(csrf_of(&html));
    }
    let specs = downgrade_watch::web::route_specs();
    assert!(specs.len() >= 7, "routes registered: {}", specs.len());
    for spec in &specs {
        let path = spec
            .path
            .replace("{id}", "999999")
            .replace("{code}", "DW-2222-2222")
            .replace("{period}", "2026-Q3")
            .replace("{token}", "x");
        let is_api = path.starts_with("/api/");
        let send = |c: &reqwest::Client, csrf: Option<&str>| {
            let req = if spec.method == "GET" {
                c.get(app.url(&path))
            } else {
                c.post(app.url(&path))
                    .form(&[("csrf_token", csrf.unwrap_or(""))])
            };
            req.send()
        };
        let r = send(&anon, None).await.expect("anon");
        let expected = if is_api {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::SEE_OTHER
        };
        assert_eq!(
            r.status(),
            expected,
            "anonymous {} {}",
            spec.method,
            spec.path
        );
        for (i, (role, client)) in users.iter().enumerate() {
            let r = send(client, Some(&csrf[i])).await.expect("signed in");
            let status = r.status();
            if spec.access.allows(*role) {
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "{role:?} must reach {} {} (got {status})",
                    spec.method,
                    spec.path
                );
                if status == StatusCode::SEE_OTHER {
                    let loc = r.headers()["location"].to_str().unwrap_or("");
                    assert!(
                        !loc.starts_with("/staff/login"),
                        "{role:?} bounced to login from {}",
                        spec.path
                    );
                }
                if spec.method == "GET" && !spec.path.contains('{') {
                    assert_eq!(status, StatusCode::OK, "{role:?} GET {}", spec.path);
                }
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{role:?} must be refused {} {}",
                    spec.method,
                    spec.path
                );
            }
        }
    }
    // Sanity of the declarations themselves.
    assert!(specs
        .iter()
        .any(|s| s.path == "/staff/users" && s.access == Access::Admin));
    assert!(specs
        .iter()
        .any(|s| s.path == "/staff/audit" && s.access == Access::Admin));
    // The company portal is for company users only, and they reach nothing else.
    assert!(specs
        .iter()
        .any(|s| s.path == "/company/cases" && s.access == Access::Company));
    assert!(specs
        .iter()
        .filter(|s| s.access == Access::Company)
        .all(|s| s.path.starts_with("/company") || s.path.starts_with("/api/v1/company/")));
}

#[tokio::test]
async fn cli_creates_a_user_and_a_token_that_the_api_accepts() {
    let app = spawn().await;
    let bin = env!("CARGO_BIN_EXE_downgrade-watch");
    let run = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(bin)
            .args(args)
            .env("DATABASE_URL", &app.db.url)
            .env("DW_DATA_DIR", app.data_dir.path())
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn cli");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write");
        child.wait_with_output().expect("output")
    };
    let out = run(
        &[
            "create-user",
            "--email",
            "ops@example.org",
            "--role",
            "regulator",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(
        &[
            "create-user",
            "--email",
            "ops@example.org",
            "--role",
            "regulator",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    assert!(!out.status.success(), "duplicate refused");
    let out = run(
        &[
            "create-user",
            "--email",
            "x@example.org",
            "--role",
            "boss",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    assert!(!out.status.success(), "bad role refused");
    let out = run(
        &[
            "token",
            "create",
            "--user",
            "ops@example.org",
            "--name",
            "nightly export",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("utf8");
    let token = stdout
        .trim_end()
        .lines()
        .last()
        .expect("last line")
        .to_string();
    assert!(token.starts_with("dwt_") && !token.contains(' '));

    let r = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["email"], "ops@example.org");
    assert_eq!(v["role"], "regulator");
    let r = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth("dwt_nope")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Only a hash is stored.
    use sea_orm::EntityTrait;
    let rows = downgrade_watch::entities::api_token::Entity::find()
        .all(&app.state.db.read)
        .await
        .expect("rows");
    assert!(rows
        .iter()
        .all(|r| r.token_hash != token && !r.token_hash.contains(&token[4..])));
    // Revoked tokens stop working.
    accounts::revoke_token(&app.state.db.write, rows[0].id)
        .await
        .expect("revoke");
    let r = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_admin_invites_a_user_who_sets_a_password_and_signs_in() {
    let app = spawn().await;
    make_user(&app, "admin@example.org", Role::Admin).await;
    let admin = signed_in(&app, "admin@example.org").await;
    let html = admin.text_of(app.url("/staff/users")).await;
    let r = admin
        .post(app.url("/staff/users/invite"))
        .form(&[
            ("email", "new.reviewer@example.org"),
            ("display_name", "新审核员"),
            ("role", "reviewer"),
            ("csrf_token", &csrf_of(&html)),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("text").replace("&#x2F;", "/");
    let start = html.find("/staff/invite/").expect("invite link shown");
    let link_path: String = html[start..]
        .chars()
        .take_while(|c| *c != '<' && *c != '"')
        .collect();
    let newbie = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    let form = newbie.text_of(app.url(&link_path)).await;
    let r = newbie
        .post(app.url(&link_path))
        .form(&[
            ("password", PASSWORD),
            ("password_again", PASSWORD),
            ("csrf_token", &csrf_of(&form)),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    signed_in(&app, "new.reviewer@example.org").await;
    // The invitation works once.
    assert_eq!(
        newbie.status_of(app.url(&link_path)).await,
        StatusCode::NOT_FOUND
    );
}
