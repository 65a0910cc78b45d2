//! The period report as a PDF made by the server, and the page's print stylesheet.
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::support::{
    make_user, signed_in, spawn, spawn_with, Complaint, Fetch, NewCompany, Opts, TestApp,
};
use downgrade_watch::domain::format;
use downgrade_watch::domain::period::Month;
use downgrade_watch::domain::Role;

async fn regulator(app: &TestApp) -> reqwest::Client {
    make_user(app, "regulator@example.org", Role::Regulator).await;
    signed_in(app, "regulator@example.org").await
}

/// Four complaints this month about 甲通信 and one about 乙视频.
async fn seed(app: &TestApp) {
    NewCompany::named("甲通信").sector("telecom").add(app).await;
    NewCompany::named("乙视频")
        .sector("video_membership")
        .add(app)
        .await;
    for _ in 0..4 {
        Complaint::reference(1).company("甲通信").file(app).await;
    }
    Complaint::reference(2).company("乙视频").file(app).await;
}

/// The text of every page of a PDF, and the page count.
fn pdf_text(bytes: &[u8]) -> (usize, String) {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF lopdf can read");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text of the pages");
    (pages.len(), text)
}

#[tokio::test]
async fn a_regulator_downloads_the_period_report_as_a_pdf_with_its_figures() {
    let app = spawn().await;
    seed(&app).await;
    let client = regulator(&app).await;
    let month = Month::of(format::today());
    let this = month.code();
    let page = client
        .text_of(app.url(&format!("/regulator/reports/{this}")))
        .await;
    assert!(page.contains(&format!("href=\"/regulator/reports/{this}/report.pdf\"")));
    for (lang, title, period, figure) in [
        (
            "zh-CN",
            "情况报告",
            format!("{}年{}月", month.year, month.month),
            "逾期未答复",
        ),
        (
            "en",
            "Downgrade-trap complaints",
            this.clone(),
            "No response by the deadline",
        ),
    ] {
        let r = client
            .fetch(app.url(&format!("/regulator/reports/{this}/report.pdf?lang={lang}")))
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{lang}");
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let disposition = r.headers()["content-disposition"].to_str().expect("ascii");
        assert!(
            disposition.starts_with("attachment")
                && disposition.contains(&format!("downgrade-watch-report-{this}.pdf")),
            "{disposition}"
        );
        let bytes = r.bytes().await.expect("body");
        assert!(bytes.starts_with(b"%PDF-"), "{lang}: PDF magic");
        let (pages, text) = pdf_text(&bytes);
        assert!(
            pages >= 2,
            "{lang}: {pages} pages (sections start on new pages)"
        );
        // Extracted text may break lines anywhere: compare without whitespace.
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        // The company loop's figures are in the headline, as on the page.
        for needle in [title, &period, "甲通信", "乙视频", figure] {
            let needle: String = needle.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                text.contains(&needle),
                "{lang}: {needle} in the PDF text:\n{text}"
            );
        }
    }
    // A PDF download is an export like the others: in the audit log, with its format.
    let audit = downgrade_watch::entities::audit_log::Entity::find()
        .filter(downgrade_watch::entities::audit_log::Column::Action.eq("report_downloaded"))
        .all(&app.state.db.read)
        .await
        .expect("audit");
    assert_eq!(audit.len(), 2);
    assert!(audit
        .iter()
        .all(|a| a.detail.as_deref().is_some_and(|d| d.contains("pdf"))));
}

#[tokio::test]
async fn the_report_pdf_and_print_stylesheet_are_for_signed_in_staff_and_regulators_only() {
    let app = spawn().await;
    seed(&app).await;
    let this = Month::of(format::today()).code();
    for path in [
        format!("/regulator/reports/{this}/report.pdf"),
        format!("/regulator/reports/{this}/print.css"),
    ] {
        let r = app.client.fetch(app.url(&path)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(r.headers()["location"]
            .to_str()
            .expect("ascii")
            .starts_with("/staff/login?next="));
    }
    // Consumer-facing pages neither link the report nor serve it.
    for path in ["/", "/stats", "/track"] {
        let html = app.client.text_of(app.url(path)).await;
        assert!(
            !html.contains("report.pdf") && !html.contains("/regulator/reports"),
            "{path}"
        );
    }
    let r = app
        .client
        .fetch(app.url(&format!("/api/v1/reports/{this}/report.pdf")))
        .await;
    assert!(r.status().is_client_error(), "no public API route");
    // A reviewer may read it, like the report itself.
    make_user(&app, "reviewer@example.org", Role::Reviewer).await;
    let reviewer = signed_in(&app, "reviewer@example.org").await;
    let r = reviewer
        .fetch(app.url(&format!("/regulator/reports/{this}/report.pdf")))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // The print stylesheet puts the title and period in every page's margin.
    let r = reviewer
        .fetch(app.url(&format!("/regulator/reports/{this}/print.css?lang=en")))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/css"));
    let css = r.text().await.expect("css");
    assert!(css.contains("@top-left") && css.contains("Downgrade-trap complaints"));
    assert!(css.contains(&format!("Complaints received {this} to {this}")));
    assert!(css.contains("counter(page)") && css.contains("counter(pages)"));
}

#[tokio::test]
async fn without_a_usable_font_the_pdf_link_explains_itself_in_both_languages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let not_a_font = dir.path().join("font.ttf");
    std::fs::write(&not_a_font, b"this is not a font").expect("write");
    let app = spawn_with(Opts {
        pdf_font: Some(not_a_font.display().to_string()),
        ..Opts::default()
    })
    .await;
    let client = regulator(&app).await;
    let this = Month::of(format::today()).code();
    for (lang, says) in [
        ("zh-CN", "没有可用的中文字体"),
        ("en", "no font with Chinese characters"),
    ] {
        let r = client
            .fetch(app.url(&format!("/regulator/reports/{this}/report.pdf?lang={lang}")))
            .await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "{lang}");
        let html = r.text().await.expect("text");
        assert!(html.contains(says), "{lang}: {html}");
        assert!(html.contains(&format!("href=\"/regulator/reports/{this}/download\"")));
    }
    // The HTML report still works.
    let r = client
        .fetch(app.url(&format!("/regulator/reports/{this}")))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
}
