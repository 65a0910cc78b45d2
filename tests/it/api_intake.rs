use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{self, reference_case, spawn, spawn_with, tiny_png, Fetch, NewCompany, Opts};

async fn post_json(app: &support::TestApp, body: &Value) -> (StatusCode, Value) {
    let r = app
        .client
        .post(app.url("/api/v1/complaints"))
        .json(body)
        .send()
        .await
        .expect("request");
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn code_shape_ok(code: &str) -> bool {
    let b = code.as_bytes();
    code.len() == 12
        && code.starts_with("DW-")
        && b[7] == b'-'
        && code[3..]
            .chars()
            .filter(|c| *c != '-')
            .all(|c| "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(c))
}

#[tokio::test]
async fn filing_through_the_api_returns_201_with_code_suggestions_and_evidence_token() {
    let app = spawn().await;
    let (status, body) = post_json(&app, &reference_case(1)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let code = body["tracking_code"].as_str().expect("tracking_code");
    assert!(code_shape_ok(code), "{code}");
    assert_eq!(body["status"], "received");
    assert!(body["evidence_token"]
        .as_str()
        .is_some_and(|t| t.len() >= 32));
    let sugg = body["suggested_obstacles"].as_array().expect("suggestions");
    assert!(!sugg.is_empty());
    for s in sugg {
        assert!(
            s["code"].is_string() && s["score"].is_number() && s["evidence"].is_array(),
            "{s}"
        );
        assert!(!s["evidence"].as_array().expect("array").is_empty());
    }

    let view: Value = app
        .client
        .fetch(app.url(&format!("/api/v1/complaints/{code}")))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(view["tracking_code"], code);
    assert_eq!(view["status"], "received");
    assert_eq!(view["timeline"][0]["status"], "received");
    let text = view.to_string();
    assert!(
        !text.contains("保号套餐"),
        "public view must not contain the narrative"
    );
    assert!(view.get("contact_email").is_none() && view.get("narrative").is_none());
}

#[tokio::test]
async fn reference_cases_get_most_of_their_expected_obstacles_from_the_seeded_cues() {
    let app = spawn().await;
    let expected: [&[&str]; 4] = [
        &[
            "CH-ASYM",
            "HIDDEN-ENTRY",
            "TIER-HIDDEN",
            "DEFER",
            "REPEAT",
            "RETAIN",
        ],
        &[
            "HIDDEN-ENTRY",
            "WINDOW",
            "LOSS-FRAME",
            "BOT-WALL",
            "PRIORITY-ASYM",
            "RETAIN",
        ],
        &["CH-ASYM", "REPEAT", "BOT-WALL", "REFUND-DENY", "RETAIN"],
        &["EFFECT-ASYM", "SILENT-FAIL", "MISINFO", "COND-FEE"],
    ];
    for (i, exp) in expected.iter().enumerate() {
        let (status, body) = post_json(&app, &reference_case(i + 1)).await;
        assert_eq!(status, StatusCode::CREATED);
        let got: Vec<String> = body["suggested_obstacles"]
            .as_array()
            .expect("array")
            .iter()
            .map(|s| s["code"].as_str().unwrap_or("").to_string())
            .collect();
        let hits = exp.iter().filter(|c| got.iter().any(|g| g == *c)).count();
        assert!(
            hits * 10 >= exp.len() * 7,
            "case {}: expected {exp:?}, got {got:?}",
            i + 1
        );
    }
}

fn valid() -> Value {
    reference_case(4)
}

#[tokio::test]
async fn every_intake_rule_is_a_422_on_its_own_field() {
    let app = spawn().await;
    let long = |n: usize| "字".repeat(n);
    // One row per rule: the case, the field it patches (and expects the error on), the value.
    let cases: Vec<(&str, &str, Value)> = vec![
        ("unknown field", "favourite_colour", json!("blue")),
        ("bad sector", "sector", json!("tv")),
        ("sector not a string", "sector", json!(5)),
        ("empty company", "company_name", json!("")),
        ("blank company", "company_name", json!("   ")),
        ("long company", "company_name", json!(long(101))),
        ("long service", "service_name", json!(long(101))),
        ("long plan_from", "plan_from", json!(long(101))),
        ("long plan_to", "plan_to", json!(long(101))),
        ("price letters", "price_from", json!("abc")),
        ("price negative", "price_from", json!("-1")),
        ("price three decimals", "price_to", json!("1.234")),
        ("price too large", "price_to", json!("100000.01")),
        ("price exponent", "amount_claimed", json!("1e3")),
        ("price bool", "amount_claimed", json!(true)),
        ("bad cycle", "billing_cycle", json!("weekly")),
        ("missing action", "requested_action", json!(null)),
        ("bad action", "requested_action", json!("upgrade")),
        ("bad channel", "channels_tried", json!(["fax"])),
        ("channels not array", "channels_tried", json!("app")),
        ("attempts negative", "contact_attempts", json!(-1)),
        ("attempts too many", "contact_attempts", json!(1001)),
        ("attempts string", "contact_attempts", json!("3")),
        ("attempts fraction", "contact_attempts", json!(2.5)),
        ("bad date", "first_attempt_on", json!("2026-13-01")),
        ("date format", "first_attempt_on", json!("01/02/2026")),
        ("short date", "first_attempt_on", json!("2026-1-5")),
        ("future date", "first_attempt_on", json!("2099-01-01")),
        ("unknown obstacle", "obstacles_reported", json!(["NOPE"])),
        ("bad outcome", "outcome", json!("happy")),
        ("short narrative", "narrative", json!("太短了")),
        ("long narrative", "narrative", json!(long(10_001))),
        ("missing narrative", "narrative", json!(null)),
        ("bad province", "province", json!("999999")),
        ("short province", "province", json!("11000")),
        ("long contact name", "contact_name", json!(long(51))),
        ("bad email", "contact_email", json!("not-an-email")),
        ("bad phone", "contact_phone", json!("12345")),
        ("landline as mobile", "contact_phone", json!("010-12345678")),
        ("consent as string", "consent_share_narrative", json!("yes")),
        ("bad language", "language", json!("fr")),
        (
            "bidi override in company",
            "company_name",
            json!("某平台\u{202E}gnp"),
        ),
    ];
    for (name, field, value) in cases {
        let patch = json!({ field: value });
        let mut doc = valid();
        for (k, v) in patch.as_object().expect("object") {
            if v.is_null() {
                doc.as_object_mut().expect("object").remove(k);
            } else {
                doc[k] = v.clone();
            }
        }
        let (status, body) = post_json(&app, &doc).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        let msgs = body["errors"][field]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: no error on {field}: {body}"));
        assert!(
            msgs.iter()
                .all(|m| m.as_str().is_some_and(|s| !s.is_empty())),
            "{name}: {body}"
        );
    }
}

#[tokio::test]
async fn error_messages_follow_the_requested_language() {
    let app = spawn().await;
    let mut doc = valid();
    doc["narrative"] = json!("short");
    doc["language"] = json!("en");
    let (_, body) = post_json(&app, &doc).await;
    assert!(
        body["errors"]["narrative"][0]
            .as_str()
            .expect("msg")
            .contains("at least 20"),
        "{body}"
    );
    doc["language"] = json!("zh-CN");
    let (_, body) = post_json(&app, &doc).await;
    assert!(
        body["errors"]["narrative"][0]
            .as_str()
            .expect("msg")
            .contains("至少20"),
        "{body}"
    );
}

#[tokio::test]
async fn malformed_bodies_get_a_4xx_with_a_json_error_never_a_500() {
    let app = spawn().await;
    let url = app.url("/api/v1/complaints");
    let send = |ct: &'static str, body: Vec<u8>| {
        let c = app.client.clone();
        let url = url.clone();
        async move {
            c.post(url)
                .header("content-type", ct)
                .body(body)
                .send()
                .await
                .expect("request")
        }
    };
    let cases: Vec<(&str, &'static str, Vec<u8>, u16)> = vec![
        (
            "broken json",
            "application/json",
            b"{\"sector\": ".to_vec(),
            400,
        ),
        (
            "trailing garbage",
            "application/json",
            b"{} x".to_vec(),
            400,
        ),
        ("array", "application/json", b"[1,2]".to_vec(), 400),
        (
            "duplicate keys",
            "application/json",
            br#"{"sector":"telecom","sector":"gaming"}"#.to_vec(),
            400,
        ),
        (
            "invalid utf-8",
            "application/json",
            vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}'],
            400,
        ),
        ("wrong content type", "text/plain", b"{}".to_vec(), 415),
        (
            "form encoded",
            "application/x-www-form-urlencoded",
            b"sector=telecom".to_vec(),
            415,
        ),
        ("oversize", "application/json", vec![b' '; 300 * 1024], 413),
    ];
    for (name, ct, body, expected) in cases {
        let r = send(ct, body).await;
        assert_eq!(r.status().as_u16(), expected, "{name}");
        let v: Value = r
            .json()
            .await
            .unwrap_or_else(|_| panic!("{name}: body is not JSON"));
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{name}: {v}"
        );
    }
    let r = app.client.post(&url).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn evidence_upload_accepts_a_real_png_and_refuses_html_named_png() {
    let app = spawn().await;
    let (_, body) = post_json(&app, &valid()).await;
    let code = body["tracking_code"].as_str().expect("code").to_string();
    let token = body["evidence_token"].as_str().expect("token").to_string();
    let url = app.url(&format!("/api/v1/complaints/{code}/evidence"));
    let part = |bytes: Vec<u8>, name: &str| {
        reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        )
    };

    let r = app
        .client
        .post(&url)
        .header("X-Evidence-Token", &token)
        .multipart(part(tiny_png(), "bill.png"))
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["content_type"], "image/png");
    assert_eq!(v["evidence_count"], 1);

    let html = b"<html><body><script>alert(1)</script></body></html>".to_vec();
    let r = app
        .client
        .post(&url)
        .header("X-Evidence-Token", &token)
        .multipart(part(html, "screenshot.png"))
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.expect("json");
    assert!(v["errors"]["file"].is_array(), "{v}");

    let r = app
        .client
        .post(&url)
        .header("X-Evidence-Token", "wrong")
        .multipart(part(tiny_png(), "a.png"))
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .client
        .post(&url)
        .multipart(part(tiny_png(), "a.png"))
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app
        .client
        .post(app.url("/api/v1/complaints/DW-2222-2222/evidence"))
        .header("X-Evidence-Token", &token)
        .multipart(part(tiny_png(), "a.png"))
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The stored file lives under a random name outside any served folder.
    let files: Vec<_> = std::fs::read_dir(app.data_dir.path().join("evidence"))
        .expect("dir")
        .collect();
    assert_eq!(files.len(), 1);
    let name = files[0]
        .as_ref()
        .expect("entry")
        .file_name()
        .to_string_lossy()
        .to_string();
    assert!(!name.contains("bill") && name.len() == 32, "{name}");
    let view: Value = app
        .client
        .fetch(app.url(&format!("/api/v1/complaints/{code}")))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(view["evidence_count"], 1);
}

#[tokio::test]
async fn the_intake_limit_answers_429_with_retry_after() {
    let app = spawn_with(Opts {
        intake_limit: "2/minute".into(),
        ..Opts::default()
    })
    .await;
    for _ in 0..2 {
        assert_eq!(post_json(&app, &valid()).await.0, StatusCode::CREATED);
    }
    let r = app
        .client
        .post(app.url("/api/v1/complaints"))
        .json(&valid())
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry));
}

#[tokio::test]
async fn suspected_spam_is_held_not_dropped_and_looks_received_to_the_public() {
    let app = spawn().await;
    let mut doc = valid();
    doc["narrative"] = json!("专业代办退款，联系 13800138000 或 13900139000 或 13700137000，加微信秒到账，各种会员都能退。");
    let (status, body) = post_json(&app, &doc).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["status"], "held");
    let code = body["tracking_code"].as_str().expect("code");
    let view: Value = app
        .client
        .fetch(app.url(&format!("/api/v1/complaints/{code}")))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(view["status"], "received");

    // One hotline number in a real story is fine.
    let mut doc = valid();
    doc["narrative"] = json!("我打了客服电话10086好几次，对方说合约期内不能降级，要先取消全部增值服务才能办理，还一直扣费。");
    let (_, body) = post_json(&app, &doc).await;
    assert_eq!(body["status"], "received");
}

#[tokio::test]
async fn unknown_api_routes_and_codes_are_json_404s() {
    let app = spawn().await;
    for path in [
        "/api/v1/nothing-here",
        "/api/v1/complaints/DW-2222-3333",
        "/api/v1/complaints/not-a-code",
    ] {
        let r = app.client.fetch(app.url(path)).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let v: Value = r.json().await.expect("json");
        assert_eq!(v["error"]["code"], "not_found");
    }
}

#[tokio::test]
async fn likely_duplicates_are_proposed_at_intake_as_a_note_for_the_reviewer() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = spawn().await;
    let mut doc = valid();
    doc["contact_email"] = json!("same.person@example.com");
    let (_, first) = post_json(&app, &doc).await;
    let first_code = first["tracking_code"].as_str().expect("code").to_string();
    let (_, second) = post_json(&app, &doc).await;
    let second_code = second["tracking_code"].as_str().expect("code").to_string();
    let c = downgrade_watch::entities::complaint::Entity::find()
        .filter(downgrade_watch::entities::complaint::Column::TrackingCode.eq(second_code))
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("second complaint");
    let notes = downgrade_watch::entities::case_note::Entity::find()
        .filter(downgrade_watch::entities::case_note::Column::ComplaintId.eq(c.id))
        .all(&app.state.db.read)
        .await
        .expect("notes");
    assert!(
        notes
            .iter()
            .any(|n| n.body.contains(&first_code) && n.author == "system"),
        "{notes:?}"
    );
    // A complaint unlike anything else gets no such note.
    let mut other = reference_case(2);
    other["contact_email"] = json!("someone.else@example.org");
    let (_, third) = post_json(&app, &other).await;
    let third_code = third["tracking_code"].as_str().expect("code").to_string();
    let c3 = downgrade_watch::entities::complaint::Entity::find()
        .filter(downgrade_watch::entities::complaint::Column::TrackingCode.eq(third_code))
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("third");
    let n3 = downgrade_watch::entities::case_note::Entity::find()
        .filter(downgrade_watch::entities::case_note::Column::ComplaintId.eq(c3.id))
        .all(&app.state.db.read)
        .await
        .expect("notes");
    assert!(n3.is_empty(), "{n3:?}");

    // Rows written before fingerprints existed (NULL) are compared by their narrative; the
    // migration's backfill then gives them one, and a re-typed copy (other contact, other
    // punctuation and spacing) is proposed either way.
    use sea_orm::ConnectionTrait;
    app.state
        .db
        .write
        .execute_unprepared("UPDATE complaints SET narrative_fp = NULL, narrative_trigrams = NULL")
        .await
        .expect("forget fingerprints");
    let mut retyped = valid();
    retyped["contact_email"] = json!("another.person@example.net");
    let story = retyped["narrative"]
        .as_str()
        .expect("narrative")
        .to_string();
    retyped["narrative"] = json!(story.replace('，', " ").replace('。', "! "));
    let notes_of = |code: String| {
        let app = &app;
        async move {
            let c = downgrade_watch::entities::complaint::Entity::find()
                .filter(downgrade_watch::entities::complaint::Column::TrackingCode.eq(code))
                .one(&app.state.db.read)
                .await
                .expect("query")
                .expect("complaint");
            downgrade_watch::entities::case_note::Entity::find()
                .filter(downgrade_watch::entities::case_note::Column::ComplaintId.eq(c.id))
                .all(&app.state.db.read)
                .await
                .expect("notes")
        }
    };
    let (_, fourth) = post_json(&app, &retyped).await;
    let n4 = notes_of(fourth["tracking_code"].as_str().expect("code").to_string()).await;
    assert!(n4.iter().any(|n| n.body.contains(&first_code)), "{n4:?}");
    migration::shared::fingerprint::backfill(&app.state.db.write)
        .await
        .expect("backfill");
    let missing = downgrade_watch::entities::complaint::Entity::find()
        .filter(downgrade_watch::entities::complaint::Column::NarrativeFp.is_null())
        .all(&app.state.db.read)
        .await
        .expect("query");
    assert!(
        missing.is_empty(),
        "{} without a fingerprint",
        missing.len()
    );
    let (_, fifth) = post_json(&app, &retyped).await;
    let n5 = notes_of(fifth["tracking_code"].as_str().expect("code").to_string()).await;
    assert!(n5.iter().any(|n| n.body.contains(&first_code)), "{n5:?}");
}

#[tokio::test]
async fn duplicate_proposals_keep_near_copies_and_cap_exact_copies_at_the_most_recent() {
    use downgrade_watch::services::intake::duplicates::{
        propose_for, Company, Probe, Reason, SIMILAR,
    };
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = spawn().await;
    let story = valid()["narrative"]
        .as_str()
        .expect("narrative")
        .to_string();
    let company = valid()["company_name"]
        .as_str()
        .expect("company")
        .to_string();
    let file_story = |text: String| {
        let app = &app;
        async move {
            let mut doc = valid();
            doc["narrative"] = json!(text);
            let (status, body) = post_json(app, &doc).await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            body["tracking_code"].as_str().expect("code").to_string()
        }
    };
    let exact_first = file_story(story.clone()).await;
    // One sentence added: similar, not identical.
    let near = file_story(format!("{story}客服说这是系统规定。")).await;
    // Another story of the same company, of about the same length: compared and refused.
    let other = file_story(
        reference_case(2)["narrative"]
            .as_str()
            .expect("narrative")
            .to_string(),
    )
    .await;
    fn probe<'a>(company: &'a str, text: &'a str) -> Probe<'a> {
        Probe {
            id: None,
            company: Company::Id(None),
            company_name: company,
            contact_email: None,
            contact_phone: None,
            narrative: text,
            received_at: chrono::Utc::now(),
        }
    }
    let proposed = propose_for(&app.state.db.read, &probe(&company, &story))
        .await
        .expect("proposals");
    let codes: Vec<&str> = proposed.iter().map(|c| c.tracking_code.as_str()).collect();
    assert_eq!(codes, [exact_first.as_str(), near.as_str()], "{proposed:?}");
    assert_eq!(proposed[0].similarity, 1.0);
    assert!(
        proposed[1].similarity >= SIMILAR && proposed[1].similarity < 1.0,
        "{proposed:?}"
    );
    assert!(proposed
        .iter()
        .all(|c| c.reasons == [Reason::SimilarNarrative]));
    assert!(!codes.contains(&other.as_str()));

    // Twenty-two more exact copies: only the twenty most recent are shown, and the near copy
    // (which ranks below every exact one) is not.
    let mut copies = Vec::new();
    for _ in 0..22 {
        copies.push(file_story(story.clone()).await);
    }
    let proposed = propose_for(&app.state.db.read, &probe(&company, &story))
        .await
        .expect("proposals");
    let codes: Vec<&str> = proposed.iter().map(|c| c.tracking_code.as_str()).collect();
    let newest: Vec<&str> = copies.iter().rev().take(20).map(String::as_str).collect();
    let mut sorted_codes = codes.clone();
    let mut sorted_newest = newest.clone();
    sorted_codes.sort_unstable();
    sorted_newest.sort_unstable();
    assert_eq!(sorted_codes, sorted_newest, "{proposed:?}");
    assert!(proposed.iter().all(|c| c.similarity == 1.0));
    // Newest first.
    assert!(proposed
        .windows(2)
        .all(|w| w[0].received_at >= w[1].received_at));
    // The near copy is still found for its own text's neighbours.
    let near_text = format!("{story}客服说这是系统规定。");
    let proposed = propose_for(&app.state.db.read, &probe(&company, &near_text))
        .await
        .expect("proposals");
    assert!(
        proposed.iter().any(|c| c.tracking_code == near),
        "{proposed:?}"
    );

    // Two names of one directory company (its name and an alias): a filing under the one is
    // linked to the company by the filing itself and proposed for a filing under the other.
    use sea_orm::{ActiveModelTrait, Set};
    let norm = downgrade_watch::domain::normalize_name;
    let company_id = NewCompany::named("某网盘科技有限公司").add(&app).await;
    downgrade_watch::entities::company_alias::ActiveModel {
        company_id: Set(company_id),
        alias: Set("某网盘".into()),
        alias_norm: Set(norm("某网盘")),
        ..Default::default()
    }
    .insert(&app.state.db.write)
    .await
    .expect("alias");
    let story = reference_case(3)["narrative"]
        .as_str()
        .expect("narrative")
        .to_string();
    let mut by_alias = valid();
    by_alias["company_name"] = json!("某网盘");
    by_alias["narrative"] = json!(story);
    let (status, first) = post_json(&app, &by_alias).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let first_code = first["tracking_code"].as_str().expect("code").to_string();
    let row_of = |code: String| {
        let app = &app;
        async move {
            downgrade_watch::entities::complaint::Entity::find()
                .filter(downgrade_watch::entities::complaint::Column::TrackingCode.eq(code))
                .one(&app.state.db.read)
                .await
                .expect("query")
                .expect("stored")
        }
    };
    let stored = row_of(first_code.clone()).await;
    assert_eq!(
        stored.company_id,
        Some(company_id),
        "linked through the alias"
    );
    let mut by_name = by_alias.clone();
    by_name["company_name"] = json!(" 某网盘科技有限公司 ");
    let (_, second) = post_json(&app, &by_name).await;
    let second_row = row_of(second["tracking_code"].as_str().expect("code").to_string()).await;
    assert_eq!(second_row.company_id, Some(company_id), "linked by name");
    let notes = downgrade_watch::entities::case_note::Entity::find()
        .filter(downgrade_watch::entities::case_note::Column::ComplaintId.eq(second_row.id))
        .all(&app.state.db.read)
        .await
        .expect("notes");
    assert!(
        notes.iter().any(|n| n.body.contains(&first_code)),
        "proposed through the directory link: {notes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_filings_are_committed_in_groups_and_each_answered() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let app = spawn().await;
    let before = app.state.filings.groups_committed();
    // Different companies, sectors, provinces and obstacles, so a group spans many rollup
    // cells (and some cells several times).
    let docs: Vec<Value> = (0..40)
        .map(|i| {
            let mut doc = reference_case(1 + i % 4);
            doc["province"] = json!(["110000", "310000", "440000"][i % 3]);
            if i % 4 == 0 {
                doc["company_name"] = json!(format!("并发测试公司{}", i % 5));
            }
            doc
        })
        .collect();
    let answers = futures::future::join_all(docs.iter().map(|doc| post_json(&app, doc))).await;
    let mut codes: Vec<String> = Vec::new();
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::CREATED, "{body}");
        codes.push(body["tracking_code"].as_str().expect("code").to_string());
    }
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 40, "each filing has its own code");
    let stored = downgrade_watch::entities::complaint::Entity::find()
        .count(&app.state.db.read)
        .await
        .expect("count");
    assert_eq!(stored, 40);
    let history = downgrade_watch::entities::status_history::Entity::find()
        .count(&app.state.db.read)
        .await
        .expect("count");
    assert_eq!(history, 40, "one history row each");
    let commits = app.state.filings.groups_committed() - before;
    assert!(commits < 40, "{commits} commits for 40 concurrent filings");
    // The rollups the writer maintains for a group (PostgreSQL) or the triggers (SQLite)
    // counted every filing exactly once.
    let stale = downgrade_watch::store::rollup::mismatches(&app.state.db.read)
        .await
        .expect("recount");
    assert!(stale.is_empty(), "{stale:?} differ from a recount");
    let counted: i64 = {
        use sea_orm::ConnectionTrait;
        let db = &app.state.db.read;
        db.query_one(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT CAST(SUM(n) AS BIGINT) FROM rollup_complaints",
        ))
        .await
        .expect("sum")
        .expect("row")
        .try_get_by_index(0)
        .expect("n")
    };
    assert_eq!(counted, 40);
}
