//! The rights pages (issue 17): `/rights` and `/rights/{code}` for every obstacle code in both
//! languages from data admins edit (audited, escaped, admins only), a localised 404 for an
//! unknown code, and the links from the form, the receipt and the track page.
use reqwest::StatusCode;

use crate::support::{audit_rows, browser, spawn, staff, Complaint, TestApp};
use downgrade_watch::domain::Role;
use downgrade_watch::services::rights::SECTIONS;

const CODES: [&str; 16] = [
    "CH-ASYM",
    "HIDDEN-ENTRY",
    "TIER-HIDDEN",
    "AUTH-ASYM",
    "WINDOW",
    "EFFECT-ASYM",
    "DEFER",
    "REPEAT",
    "BOT-WALL",
    "PRIORITY-ASYM",
    "RETAIN",
    "LOSS-FRAME",
    "MISINFO",
    "REFUND-DENY",
    "COND-FEE",
    "SILENT-FAIL",
];

async fn status_of(app: &TestApp, path: &str) -> (StatusCode, String) {
    let r = app.get(path).await;
    (r.status(), r.text().await.expect("text"))
}

#[tokio::test]
async fn every_obstacle_has_a_rights_page_in_chinese_and_english() {
    let app = spawn().await;
    let (s, index) = status_of(&app, "/rights?lang=zh-CN").await;
    assert_eq!(s, StatusCode::OK, "{index}");
    assert!(index.contains("降级、退订时您的权利"));
    let (_, index_en) = status_of(&app, "/rights?lang=en").await;
    assert!(index_en.contains("Your rights when downgrading or cancelling"));
    for code in CODES {
        assert!(
            index.contains(&format!("href=\"/rights/{code}\"")),
            "{code}"
        );
        let (s, zh) = status_of(&app, &format!("/rights/{code}?lang=zh-CN")).await;
        assert_eq!(s, StatusCode::OK, "{code}");
        for heading in [
            "您有哪些权利",
            "法律依据",
            "应保存哪些证据",
            "如何先向公司提出",
            "协会如何处理投诉",
        ] {
            assert!(zh.contains(heading), "{code} {heading}");
        }
        assert!(zh.contains("《消费者权益保护法》第8条"), "{code}");
        assert!(zh.contains("<li>"), "lists come from the plain text");
        let (_, en) = status_of(&app, &format!("/rights/{code}?lang=en")).await;
        for heading in [
            "What you are entitled to",
            "Legal basis",
            "What to keep as evidence",
            "How to ask the company first",
            "What the association does with a complaint",
        ] {
            assert!(en.contains(heading), "{code} {heading}");
        }
        assert!(en.contains("Consumer Rights Protection Law"), "{code}");
    }
    let (_, window) = status_of(&app, "/rights/WINDOW?lang=en").await;
    assert!(
        window.contains("Art. 18"),
        "WINDOW cites the online transactions measures"
    );
}

#[tokio::test]
async fn an_unknown_obstacle_code_is_a_localised_404() {
    let app = spawn().await;
    for path in ["/rights/NOPE", "/rights/window", "/rights/%3Cscript%3E"] {
        let (s, zh) = status_of(&app, &format!("{path}?lang=zh-CN")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
        let (_, en) = status_of(&app, &format!("{path}?lang=en")).await;
        assert_ne!(zh, en, "{path}: the 404 page is localised");
        assert!(!zh.contains("<script>"));
    }
}

fn edit_form(text: &str) -> Vec<(String, String)> {
    SECTIONS
        .iter()
        .flat_map(|s| {
            ["zh", "en"].map(|l| {
                (
                    format!("{s}_{l}"),
                    format!("{text} ({s} {l})\n\n- 第一项\n- item two"),
                )
            })
        })
        .collect()
}

#[tokio::test]
async fn admins_edit_a_rights_page_with_an_audit_and_the_text_is_shown_escaped() {
    let app = spawn().await;
    let admin = staff(&app, "admin@example.org", Role::Admin).await;
    let (s, list) = admin.page(&app, "/staff/rights").await;
    assert_eq!(s, StatusCode::OK);
    assert!(list.contains("href=\"/staff/rights/WINDOW\""));

    // An empty section is refused, with everything typed kept.
    let mut form = edit_form("新的说明 <script>alert(1)</script>");
    form[3].1 = "  ".into();
    let mut fields: Vec<(&str, &str)> =
        form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = admin
        .submit(&app, "/staff/rights/WINDOW?lang=en", &fields)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("text");
    assert!(html.contains("id=\"basis_en-error\""), "{html}");
    assert!(
        html.contains("新的说明 &lt;script&gt;"),
        "typed text kept, escaped"
    );
    assert!(audit_rows(&app, "rights_page_updated").await.is_empty());

    let form = edit_form("新的说明 <script>alert(1)</script>");
    fields = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = admin.submit(&app, "/staff/rights/WINDOW", &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let audit = audit_rows(&app, "rights_page_updated").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].target_id.as_deref(), Some("WINDOW"));
    assert!(audit[0]
        .detail
        .as_deref()
        .unwrap_or("")
        .contains("basis_en"));

    let (_, page) = status_of(&app, "/rights/WINDOW?lang=zh-CN").await;
    assert!(page.contains("新的说明 &lt;script&gt;alert(1)&lt;&#x2F;script&gt; (entitled zh)"));
    assert!(!page.contains("<script>alert"));
    assert!(page.contains("<li>第一项</li>"));
    let (_, en) = status_of(&app, "/rights/WINDOW?lang=en").await;
    assert!(en.contains("(entitled en)") && en.contains("<li>item two</li>"));
    // Other pages are untouched.
    let (_, other) = status_of(&app, "/rights/CH-ASYM?lang=zh-CN").await;
    assert!(!other.contains("新的说明"));
    // An unknown code cannot be edited.
    let r = admin.submit(&app, "/staff/rights/NOPE", &fields).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_admins_may_edit_rights_pages() {
    let app = spawn().await;
    let company = crate::support::NewCompany::named("某公司").add(&app).await;
    let form = edit_form("越权修改");
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for (email, role) in [
        ("reviewer@example.org", Role::Reviewer),
        ("regulator@example.org", Role::Regulator),
    ] {
        let u = staff(&app, email, role).await;
        assert_eq!(
            u.get(&app, "/staff/rights").await.status(),
            StatusCode::FORBIDDEN
        );
        let r = u.submit(&app, "/staff/rights/WINDOW", &fields).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{email}");
    }
    // A company user.
    let co = crate::company::support::company_user(&app, "co@example.org", company).await;
    let r = co.get(&app, "/staff/rights/WINDOW").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Nobody signed in: sent to sign in, nothing saved.
    let anon = browser();
    let r = anon
        .post(app.url("/staff/rights/WINDOW"))
        .form(&fields)
        .send()
        .await
        .expect("post");
    assert_ne!(r.status(), StatusCode::OK);
    assert!(!r.status().is_success());
    assert!(audit_rows(&app, "rights_page_updated").await.is_empty());
    let (_, page) = status_of(&app, "/rights/WINDOW").await;
    assert!(!page.contains("越权修改"));
}

#[tokio::test]
async fn the_form_receipt_and_track_page_link_the_rights_pages() {
    let app = spawn().await;
    let form = app.page("/complaints/new").await;
    for code in CODES {
        assert!(form.contains(&format!("href=\"/rights/{code}\"")), "{code}");
    }
    let f = Complaint::reference(3).file(&app).await;
    for path in [
        format!("/complaints/receipt/{}", f.code),
        format!("/track/{}", f.code),
    ] {
        assert!(app.page(&path).await.contains("href=\"/rights\""), "{path}");
    }
}
