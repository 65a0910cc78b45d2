//! What a company user may never reach: another company's case or its files, a case not
//! forwarded, staff pages and notes, through the portal and the API alike.
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::support::{company_user, firm, forward, forwarded, png};
use crate::support::{bearer_get, png_upload, spawn, token_for, upload_evidence, Complaint};
use downgrade_watch::entities::evidence_file;

#[tokio::test]
async fn a_company_user_cannot_reach_another_companys_case_or_files_by_any_path() {
    let app = spawn().await;
    let a = firm(&app, "卯通信公司").await;
    let b = firm(&app, "辰视频平台").await;
    // B's case, with evidence and an answer with an attachment.
    let theirs = Complaint::reference(1)
        .company("辰视频平台")
        .file(&app)
        .await;
    upload_evidence(&app, &theirs, png_upload("账单.png")).await;
    forward(&app, theirs.id).await;
    let b_user = company_user(&app, "b@chen.example", b).await;
    let r = b_user
        .post_answer(
            &app,
            &theirs.code,
            b_user
                .answer("refunded", "已退款并致歉。")
                .part("file", png("凭证.png")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let evidence_id = evidence_file::Entity::find()
        .filter(evidence_file::Column::ComplaintId.eq(theirs.id))
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("file")
        .id;
    let answer_file_id =
        downgrade_watch::services::responses::answers(&app.state.db.read, theirs.id)
            .await
            .expect("answers")[0]
            .files[0]
            .id;
    // A's own case, to aim file ids at through its own path.
    let mine = forwarded(&app, Complaint::reference(1).company("卯通信公司")).await;
    let a_user = company_user(&app, "a@mao.example", a).await;

    for path in [
        format!("/company/cases/{}", theirs.code),
        format!("/company/cases/{}/evidence/{evidence_id}", theirs.code),
        format!(
            "/company/cases/{}/answer-files/{answer_file_id}",
            theirs.code
        ),
        format!("/company/cases/{}/evidence/{evidence_id}", mine.code),
        format!("/company/cases/{}/answer-files/{answer_file_id}", mine.code),
    ] {
        assert_eq!(
            a_user.get(&app, &path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = a_user
        .post_answer(
            &app,
            &theirs.code,
            a_user.answer("disputed", "这不是我们的客户。"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = a_user
        .ask_for_time(&app, &theirs.code, "需要时间", "3")
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Staff pages of the same case, and the staff and regulator areas: forbidden.
    for path in [
        format!("/staff/cases/{}", theirs.id),
        format!("/staff/cases/{}/evidence/{evidence_id}", theirs.id),
        "/staff".to_string(),
        "/staff/cases".to_string(),
        "/regulator".to_string(),
    ] {
        assert_eq!(
            a_user.get(&app, &path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }

    // The API says the same.
    let token = token_for(&app, a_user.id).await;
    let r = bearer_get(
        &app,
        &token,
        &format!("/api/v1/company/cases/{}", theirs.code),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = bearer_get(&app, &token, &format!("/api/v1/cases/{}", theirs.id)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let list: serde_json::Value = bearer_get(&app, &token, "/api/v1/company/cases")
        .await
        .json()
        .await
        .expect("json");
    let codes: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["tracking_code"].as_str())
        .collect();
    assert_eq!(codes, vec![mine.code.as_str()]);
}
