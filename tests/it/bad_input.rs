//! The bad-input corpus (issue 7): well over a hundred hostile inputs sent through the public
//! form (multipart, with its form token) and the JSON API, on one server per database with a
//! real SMTP server. Each case has one expected outcome, decided here and documented by the
//! table:
//!
//! - refused: a 4xx whose message names the field, in zh-CN and in English on the form;
//! - stored inertly: filed (201 / 303) with the value kept verbatim (or with the documented
//!   cleaning: surrounding whitespace trimmed, zero-width characters dropped, CRLF → LF in the
//!   narrative, upload names reduced to a base name with the extension of the sniffed type), and
//!   then shown escaped in every view: the public tracking page, the staff queue, case and
//!   group pages, the regulator dashboard and period report, the receipt, status and
//!   forwarding mails, and the CSV / XLSX / NDJSON exports (formula starts neutralised).
//!
//! Never a 5xx, and `/healthz` still answers after the whole corpus.
use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::time::{Duration, Instant};

use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::support::{csrf_of, make_user, signed_in, Fetch, NewCompany};
use crate::support::{form_token, reference_case, spawn_with, tiny_png, Opts, SmtpServer, TestApp};
use downgrade_watch::domain::{Language, Role};
use downgrade_watch::entities::{complaint, evidence_file};
use downgrade_watch::services::accounts;

/// What a case must lead to.
#[derive(Debug, Clone)]
enum Want {
    /// 422 with a message on `field` from the catalogue key `key`.
    Field(&'static str, &'static str),
    /// Refused before validation with this status and a message from `key`.
    Status(u16, &'static str),
    /// Filed; each listed column holds exactly this value (`None`: empty).
    Stored(Vec<(&'static str, Option<String>)>),
}

/// Markup payloads: each must end up as text, never as markup, wherever it is shown. All fit
/// the 50-character contact name.
const XSS: &[&str] = &[
    "<script>alert('xss-01')</script>",
    "\"><img src=x onerror=alert('xss-02')>",
    "javascript:alert('xss-03')//",
    "<svg/onload=alert('xss-04')>",
    "<iframe srcdoc=\"<script>xss-05</script>\">",
    "{{ \"zq\" ~ \"jx\" }}{% if true %}xss-06{% endif %}",
    "<p style=\"width:expression(alert('xss-07'))\">",
    "&lt;script&gt;alert('xss-08')&lt;/script&gt;",
    "<ScRiPt>alert('xss-09')</sCrIpT>",
    "<a href=\"javascript:alert('xss-10')\">点我</a>",
    "</textarea><script>alert('xss-11')</script>",
    "'-alert('xss-12')-'",
    "<math><style><img src=x onerror=xss-13>",
    "<!--<img src=\"--><img src=x onerror=xss-14//\">",
];

/// What the tera payload would turn into if user text were ever rendered as a template.
const TEMPLATE_EVALUATED: &str = "zqjx";

const STORY: &str = "降级入口藏在设置最深处，客服一直推销更贵的套餐，不给办理降级。";

fn narrative_with(payload: &str) -> String {
    format!("{payload} {STORY}")
}

/// A valid JSON intake document (cloud storage, consented, zh-CN).
fn doc() -> Value {
    reference_case(4)
}

fn patched(patch: &Value) -> Value {
    let mut d = doc();
    for (k, v) in patch.as_object().expect("object") {
        if v.is_null() {
            d.as_object_mut().expect("object").remove(k);
        } else {
            d[k] = v.clone();
        }
    }
    d
}

/// The valid form, as (name, value) pairs in browser order.
fn form_pairs() -> Vec<(String, String)> {
    [
        ("website", ""),
        ("sector", "video_membership"),
        ("company_name", "某视频平台"),
        ("requested_action", "downgrade"),
        ("channels_tried", "app"),
        ("outcome", "gave_up"),
        ("price_from", "25"),
        ("contact_attempts", "5"),
        ("province", "440000"),
        ("narrative", STORY),
        ("consent_share_narrative", "on"),
        ("consent_contact_company", "on"),
        ("language", "zh-CN"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// A form value: text, raw bytes (possibly invalid UTF-8), or a file.
#[derive(Clone)]
enum Val {
    Text(String),
    Bytes(Vec<u8>),
    File(String, Vec<u8>),
}

fn t(s: impl Into<String>) -> Val {
    Val::Text(s.into())
}

fn file(name: &str, bytes: Vec<u8>) -> (&'static str, Val) {
    ("evidence", Val::File(name.to_string(), bytes))
}

fn tiny_pdf(extra: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog {extra} >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// A form upload case: name, the parts sent, the outcome, and the name the file is shown under.
type FormUpload = (
    &'static str,
    Vec<(&'static str, Val)>,
    Want,
    Option<&'static str>,
);
/// An API upload case: name, file name, bytes, status, and the name in the answer.
type ApiUpload = (
    &'static str,
    &'static str,
    Vec<u8>,
    u16,
    Option<&'static str>,
);

/// Runs the corpus against one app and collects every failed expectation.
struct Corpus<'a> {
    app: &'a TestApp,
    form_token: String,
    cases: usize,
    failures: Vec<String>,
}

impl Corpus<'_> {
    fn fail(&mut self, msg: String) {
        self.failures.push(msg);
    }

    fn check(&mut self, ok: bool, msg: impl FnOnce() -> String) {
        if !ok {
            let m = msg();
            self.fail(m);
        }
    }

    /// The message of `key` up to its first placeholder: what every rendering of it contains.
    fn msg_prefix(&self, lang: Language, key: &str) -> String {
        let m = self.app.state.i18n.msg(lang, key);
        m.split('{').next().unwrap_or("").trim().to_string()
    }

    async fn post_json_raw(&self, ct: &str, body: Vec<u8>) -> (u16, Value, Option<String>) {
        let r = self
            .app
            .client
            .post(self.app.url("/api/v1/complaints"))
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        let loc = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (status, r.json().await.unwrap_or(Value::Null), loc)
    }

    /// One API case: `body` is sent as is (so broken JSON can be sent too).
    async fn api(&mut self, name: &str, body: Vec<u8>, want: Want) -> Option<String> {
        self.api_ct(name, "application/json", body, want).await
    }

    async fn api_ct(&mut self, name: &str, ct: &str, body: Vec<u8>, want: Want) -> Option<String> {
        self.cases += 1;
        let (status, v, _) = self.post_json_raw(ct, body).await;
        let lang = Language::ZhCn;
        if status >= 500 {
            self.fail(format!("api {name}: {status} {v}"));
            return None;
        }
        match want {
            Want::Field(field, key) => {
                let msgs = v["errors"][field].as_array().cloned().unwrap_or_default();
                let prefix = self.msg_prefix(lang, key);
                let en_prefix = self.msg_prefix(Language::En, key);
                self.check(
                    status == 422
                        && !msgs.is_empty()
                        && msgs.iter().any(|m| {
                            m.as_str()
                                .is_some_and(|s| s.contains(&prefix) || s.contains(&en_prefix))
                        }),
                    || format!("api {name}: want 422 on {field} ({key}), got {status} {v}"),
                );
                None
            }
            Want::Status(code, key) => {
                let m = v["error"]["message"].as_str().unwrap_or("");
                let prefix = self.msg_prefix(Language::ZhCn, key);
                let en_prefix = self.msg_prefix(Language::En, key);
                self.check(
                    status == code
                        && !m.is_empty()
                        && (m.contains(&prefix) || m.contains(&en_prefix)),
                    || format!("api {name}: want {code} ({key}), got {status} {v}"),
                );
                None
            }
            Want::Stored(cols) => {
                if status != 201 {
                    self.fail(format!("api {name}: want 201, got {status} {v}"));
                    return None;
                }
                let code = v["tracking_code"].as_str().unwrap_or("").to_string();
                self.stored(name, &code, &cols).await;
                Some(code)
            }
        }
    }

    async fn api_json(&mut self, name: &str, patch: Value, want: Want) -> Option<String> {
        let body = serde_json::to_vec(&patched(&patch)).expect("json");
        self.api(name, body, want).await
    }

    /// Compares stored columns with the expectation.
    async fn stored(&mut self, name: &str, code: &str, cols: &[(&'static str, Option<String>)]) {
        let Some(c) = find(self.app, code).await else {
            self.fail(format!("{name}: {code} not stored"));
            return;
        };
        for (col, want) in cols {
            let got = column(&c, col);
            self.check(&got == want, || {
                format!("{name}: column {col}: want {want:?}, got {got:?}")
            });
        }
    }

    /// One form case, in zh-CN and in English for refusals (the messages are localised).
    async fn form(
        &mut self,
        name: &str,
        over: Vec<(&'static str, Val)>,
        want: Want,
    ) -> Option<String> {
        self.cases += 1;
        let langs: &[Language] = match want {
            Want::Stored(_) => &[Language::ZhCn],
            _ => &[Language::ZhCn, Language::En],
        };
        let mut code = None;
        for &lang in langs {
            let (status, html, loc) = self.send_form(&over, lang).await;
            if status >= 500 {
                self.fail(format!("form {name} ({lang:?}): {status}"));
                return None;
            }
            match &want {
                Want::Field(field, key) => {
                    let prefix = tera::escape_html(&self.msg_prefix(lang, key));
                    let block = field_error_block(&html, field);
                    self.check(
                        status == 422 && block.as_deref().is_some_and(|b| b.contains(&prefix)),
                        || {
                            format!(
                                "form {name} ({lang:?}): want 422 on {field} with {prefix:?}, got {status} {:?}",
                                block.unwrap_or_else(|| summary_of(&html))
                            )
                        },
                    );
                    self.check(html.contains("name=\"form_token\""), || {
                        format!("form {name}: the form is shown again")
                    });
                }
                Want::Status(c, key) => {
                    let prefix = tera::escape_html(&self.msg_prefix(lang, key));
                    self.check(status == *c && html.contains(&prefix), || {
                        format!(
                            "form {name} ({lang:?}): want {c} with {prefix:?}, got {status} {}",
                            summary_of(&html)
                        )
                    });
                }
                Want::Stored(cols) => {
                    let Some(to) = loc.filter(|_| status == 303) else {
                        self.fail(format!(
                            "form {name}: want 303, got {status} {}",
                            summary_of(&html)
                        ));
                        return None;
                    };
                    let c = to
                        .trim_start_matches("/complaints/receipt/")
                        .split('?')
                        .next()
                        .unwrap_or("")
                        .to_string();
                    self.stored(name, &c, cols).await;
                    code = Some(c);
                }
            }
        }
        code
    }

    async fn send_form(
        &self,
        over: &[(&'static str, Val)],
        lang: Language,
    ) -> (u16, String, Option<String>) {
        let replaced: HashSet<&str> = over.iter().map(|(k, _)| *k).collect();
        let mut form = Form::new().text("form_token", self.form_token.clone());
        for (k, v) in form_pairs() {
            if !replaced.contains(k.as_str()) {
                form = form.text(k, v);
            }
        }
        for (k, v) in over {
            form = match v {
                Val::Text(s) => form.text(*k, s.clone()),
                Val::Bytes(b) => form.part(*k, Part::bytes(b.clone())),
                Val::File(n, b) => form.part(*k, Part::bytes(b.clone()).file_name(n.clone())),
            };
        }
        let r = self
            .app
            .client
            .post(self.app.url(&format!("/complaints?lang={}", lang.code())))
            .multipart(form)
            .send()
            .await
            .expect("post form");
        let status = r.status().as_u16();
        let loc = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (status, r.text().await.unwrap_or_default(), loc)
    }
}

/// The `<p class="field-error" id="{field}-error">` paragraph of a re-rendered form.
fn field_error_block(html: &str, field: &str) -> Option<String> {
    let marker = format!("id=\"{field}-error\">");
    let start = html.find(&marker)? + marker.len();
    Some(html[start..].split("</p>").next().unwrap_or("").to_string())
}

fn summary_of(html: &str) -> String {
    match html.find("error-summary") {
        Some(i) => html[i..].chars().take(600).collect(),
        None => html.chars().take(300).collect(),
    }
}

async fn find(app: &TestApp, code: &str) -> Option<complaint::Model> {
    complaint::Entity::find()
        .filter(complaint::Column::TrackingCode.eq(code))
        .one(&app.state.db.read)
        .await
        .expect("query")
}

fn column(c: &complaint::Model, col: &str) -> Option<String> {
    match col {
        "sector" => Some(c.sector.clone()),
        "company_name" => Some(c.company_name.clone()),
        "service_name" => c.service_name.clone(),
        "plan_from" => c.plan_from.clone(),
        "plan_to" => c.plan_to.clone(),
        "narrative" => Some(c.narrative.clone()),
        "contact_name" => c.contact_name.clone(),
        "contact_email" => c.contact_email.clone(),
        "contact_phone" => c.contact_phone.clone(),
        "province" => c.province.clone(),
        "price_from_fen" => c.price_from_fen.map(|v| v.to_string()),
        "price_to_fen" => c.price_to_fen.map(|v| v.to_string()),
        "amount_claimed_fen" => c.amount_claimed_fen.map(|v| v.to_string()),
        "contact_attempts" => c.contact_attempts.map(|v| v.to_string()),
        "first_attempt_on" => c.first_attempt_on.map(|d| d.to_string()),
        "channels_tried" => Some(c.channels_tried.clone()),
        "status" => Some(c.status.code().to_string()),
        "language" => Some(c.language.clone()),
        other => panic!("no column {other} in the corpus helper"),
    }
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// Markup that must never appear in a page built from the corpus: the raw payloads, and the
/// tags and handlers they carry.
fn unsafe_markup(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for p in XSS {
        if (p.contains('<') || p.contains('"')) && html.contains(p) {
            found.push(format!("raw payload {p:?}"));
        }
    }
    let lower = html.to_lowercase();
    for needle in [
        "<script",
        "<img",
        "<iframe",
        "href=\"javascript:",
        "<math",
        "style=\"width:expression",
        TEMPLATE_EVALUATED,
    ] {
        if lower.contains(needle) {
            found.push(format!("{needle:?}"));
        }
    }
    // Server-drawn charts are the only SVG.
    if lower.matches("<svg").count()
        != lower
            .matches("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"")
            .count()
    {
        found.push("<svg outside a chart".into());
    }
    found
}

/// How tera shows a payload (`& < > " ' /` escaped).
fn escaped(p: &str) -> String {
    tera::escape_html(p)
}

#[tokio::test]
async fn the_bad_input_corpus_is_refused_or_stored_inertly_and_shown_escaped_everywhere() {
    let started = Instant::now();
    let smtp = SmtpServer::start().await;
    let app = spawn_with(Opts {
        smtp_url: Some(smtp.url()),
        ..Opts::default()
    })
    .await;
    let form_token = form_token(&app).await;
    let mut c = Corpus {
        app: &app,
        form_token,
        cases: 0,
        failures: Vec::new(),
    };

    // ---- 1. Markup in every text field, through the API and the form. ----
    let mut xss_api: Vec<(String, &str)> = Vec::new();
    let mut xss_form: Vec<(String, &str)> = Vec::new();
    for (i, &p) in XSS.iter().enumerate() {
        let narrative = narrative_with(p);
        let email = format!("xss{i}@example.com");
        let code = c
            .api_json(
                &format!("xss api {i}"),
                json!({
                    "company_name": p, "service_name": p, "plan_from": p, "plan_to": p,
                    "narrative": narrative, "contact_name": "<b>李</b>四", "contact_email": email,
                    "consent_share_narrative": true, "consent_contact_company": true
                }),
                Want::Stored(vec![
                    ("company_name", s(p)),
                    ("service_name", s(p)),
                    ("plan_from", s(p)),
                    ("plan_to", s(p)),
                    ("narrative", s(&narrative)),
                    ("contact_name", s("<b>李</b>四")),
                    ("status", s("received")),
                ]),
            )
            .await;
        if let Some(code) = code {
            xss_api.push((code, p));
        }
        let code = c
            .form(
                &format!("xss form {i}"),
                vec![
                    ("company_name", t(p)),
                    ("service_name", t(p)),
                    ("plan_from", t(p)),
                    ("plan_to", t(p)),
                    ("narrative", t(narrative.clone())),
                    ("contact_name", t(p)),
                ],
                Want::Stored(vec![
                    ("company_name", s(p)),
                    ("service_name", s(p)),
                    ("plan_from", s(p)),
                    ("plan_to", s(p)),
                    ("narrative", s(&narrative)),
                    ("contact_name", s(p)),
                ]),
            )
            .await;
        if let Some(code) = code {
            xss_form.push((code, p));
        }
    }
    // A refused form shows what was typed again: escaped, including a textarea break-out.
    c.cases += 1;
    let (status, html, _) = c
        .send_form(
            &[
                (
                    "narrative",
                    t("</textarea><script>alert('xss-11')</script>"),
                ),
                ("company_name", t(XSS[1])),
                ("contact_phone", t("<script>")),
            ],
            Language::ZhCn,
        )
        .await;
    let bad = unsafe_markup(&html);
    c.check(
        status == 422 && bad.is_empty() && html.contains(&escaped(XSS[1])),
        || format!("re-rendered form: {status} {bad:?}"),
    );

    // ---- 2. SQL metacharacters: stored verbatim. ----
    let sql_values = [
        "' OR 1=1 --",
        "\"; DROP TABLE complaints; --",
        "100%_完成\\的套餐",
        "Robert'); DROP TABLE complaints;--",
        "\\'; SELECT pg_sleep(5); --",
        "%%__%%",
    ];
    let mut sql_codes = Vec::new();
    for (i, v) in sql_values.iter().enumerate() {
        let narrative = format!("{v} {STORY}");
        let code = c
            .api_json(
                &format!("sql api {i}"),
                json!({ "company_name": v, "service_name": v, "plan_to": v, "contact_name": v, "narrative": narrative }),
                Want::Stored(vec![
                    ("company_name", s(v)),
                    ("service_name", s(v)),
                    ("plan_to", s(v)),
                    ("contact_name", s(v)),
                    ("narrative", s(&narrative)),
                ]),
            )
            .await;
        sql_codes.extend(code);
        c.form(
            &format!("sql form {i}"),
            vec![("company_name", t(*v)), ("plan_from", t(*v))],
            Want::Stored(vec![("company_name", s(v)), ("plan_from", s(v))]),
        )
        .await;
    }

    // ---- 3. Formula starts: stored as typed (after trimming), neutralised in exports. ----
    let formulas: [(&str, &str); 9] = [
        // Not a formula: XLSX's own escape syntax, which must survive the round trip as text.
        ("_x003C_script_x003E_", "_x003C_script_x003E_"),
        ("=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"),
        ("+1+cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ("\t=1+1", "=1+1"),
        (
            "\r\n=HYPERLINK(\"http://evil.example\")",
            "=HYPERLINK(\"http://evil.example\")",
        ),
        ("\u{200B}=1+2", "=1+2"),
        ("\u{3000}+1+2", "+1+2"),
    ];
    let mut formula_codes: Vec<(String, &str)> = Vec::new();
    for (i, &(typed, kept)) in formulas.iter().enumerate() {
        let code = c
            .api_json(
                &format!("formula api {i}"),
                json!({ "company_name": typed, "service_name": typed, "plan_from": typed, "contact_name": typed }),
                Want::Stored(vec![
                    ("company_name", s(kept)),
                    ("service_name", s(kept)),
                    ("plan_from", s(kept)),
                    ("contact_name", s(kept)),
                ]),
            )
            .await;
        if let Some(code) = code {
            formula_codes.push((code, kept));
        }
    }
    c.form(
        "formula form",
        vec![
            ("company_name", t("=cmd|' /C calc'!A0")),
            ("service_name", t("@SUM(A1)")),
        ],
        Want::Stored(vec![
            ("company_name", s("=cmd|' /C calc'!A0")),
            ("service_name", s("@SUM(A1)")),
        ]),
    )
    .await;

    // ---- 4. Encodings and invisible characters. ----
    let bad_utf8 = |field: &str| {
        let mut b = format!("{{\"sector\":\"telecom\",\"requested_action\":\"cancel\",\"narrative\":\"{STORY}\",\"{field}\":\"")
            .into_bytes();
        b.extend_from_slice(&[0xC3, 0x28, 0xFF, 0xFE]);
        b.extend_from_slice(b"\"}");
        b
    };
    c.api(
        "invalid utf-8 in company_name",
        bad_utf8("company_name"),
        Want::Status(400, "errors.invalid_utf8"),
    )
    .await;
    c.api(
        "invalid utf-8 in narrative",
        bad_utf8("narrative"),
        Want::Status(400, "errors.invalid_utf8"),
    )
    .await;
    c.api(
        "overlong utf-8 encoding of '<'",
        b"{\"company_name\":\"\xC0\xBCscript\"}".to_vec(),
        Want::Status(400, "errors.invalid_utf8"),
    )
    .await;
    c.form(
        "invalid utf-8 in a form field",
        vec![("company_name", Val::Bytes(vec![b'a', 0xFF, 0xFE, b'b']))],
        Want::Status(400, "errors.invalid_utf8"),
    )
    .await;
    c.form(
        "invalid utf-8 in the narrative",
        vec![(
            "narrative",
            Val::Bytes([STORY.as_bytes(), &[0xEDu8, 0xA0, 0x80][..]].concat()),
        )],
        Want::Status(400, "errors.invalid_utf8"),
    )
    .await;
    for (name, raw) in [
        ("lone high surrogate", "\\ud800"),
        ("lone low surrogate", "\\udc00"),
        ("reversed surrogate pair", "\\udc00\\ud800"),
    ] {
        let body = format!(
            "{{\"sector\":\"cloud_storage\",\"requested_action\":\"downgrade\",\"company_name\":\"某平台{raw}\",\"narrative\":\"{STORY}\"}}"
        );
        c.api(
            name,
            body.into_bytes(),
            Want::Status(400, "errors.malformed_json"),
        )
        .await;
    }
    let body = format!(
        "{{\"sector\":\"cloud_storage\",\"requested_action\":\"downgrade\",\"company_name\":\"某平台\\ud83d\\ude00\",\"narrative\":\"{STORY}\"}}"
    );
    c.api(
        "a valid surrogate pair is an emoji",
        body.into_bytes(),
        Want::Stored(vec![("company_name", s("某平台😀"))]),
    )
    .await;
    c.api_json(
        "NUL in company_name",
        json!({"company_name": "某\u{0}平台"}),
        Want::Field("company_name", "errors.control_chars"),
    )
    .await;
    c.api_json(
        "NUL in narrative",
        json!({"narrative": format!("{STORY}\u{0}")}),
        Want::Field("narrative", "errors.control_chars"),
    )
    .await;
    c.api_json(
        "NUL in contact_email",
        json!({"contact_email": "a\u{0}@example.com"}),
        Want::Field("contact_email", "errors.control_chars"),
    )
    .await;
    c.form(
        "NUL in a form field",
        vec![("service_name", t("某\u{0}服务"))],
        Want::Field("service_name", "errors.control_chars"),
    )
    .await;
    c.api_json(
        "escape character in plan_to",
        json!({"plan_to": "套餐\u{1b}[31m"}),
        Want::Field("plan_to", "errors.control_chars"),
    )
    .await;
    c.api_json(
        "zero-width space is dropped",
        json!({"company_name": "某云\u{200B}存储\u{200B}服务商", "service_name": "\u{FEFF}云盘"}),
        Want::Stored(vec![
            ("company_name", s("某云存储服务商")),
            ("service_name", s("云盘")),
        ]),
    )
    .await;
    c.form(
        "zero-width joiners and BOM are dropped on the form",
        vec![
            ("company_name", t("某视\u{200D}频\u{FEFF}平台")),
            ("narrative", t(format!("\u{FEFF}{STORY}\u{200C}"))),
        ],
        Want::Stored(vec![
            ("company_name", s("某视频平台")),
            ("narrative", s(STORY)),
        ]),
    )
    .await;
    c.api_json(
        "right-to-left override in company_name",
        json!({"company_name": "某平台\u{202E}gpj.exe"}),
        Want::Field("company_name", "errors.control_chars"),
    )
    .await;
    c.api_json(
        "right-to-left override in narrative",
        json!({"narrative": format!("{STORY}\u{202E}")}),
        Want::Field("narrative", "errors.control_chars"),
    )
    .await;
    c.api_json(
        "left-to-right isolate in contact_name",
        json!({"contact_name": "王\u{2066}五"}),
        Want::Field("contact_name", "errors.control_chars"),
    )
    .await;
    c.form(
        "right-to-left override on the form",
        vec![("plan_to", t("基础\u{202E}版"))],
        Want::Field("plan_to", "errors.control_chars"),
    )
    .await;
    c.form(
        "right-to-left embedding on the form",
        vec![("contact_name", t("\u{202B}王五"))],
        Want::Field("contact_name", "errors.control_chars"),
    )
    .await;
    c.api_json(
        "CRLF in the narrative becomes LF",
        json!({"narrative": format!("第一行\r\n{STORY}")}),
        Want::Stored(vec![("narrative", s(&format!("第一行\n{STORY}")))]),
    )
    .await;
    c.api_json(
        "CRLF in contact_name (header injection)",
        json!({"contact_name": "张三\r\nBcc: victim@example.com"}),
        Want::Field("contact_name", "errors.control_chars"),
    )
    .await;
    c.api_json(
        "CRLF in contact_email (header injection)",
        json!({"contact_email": "a@example.com\r\nBcc: victim@example.com"}),
        Want::Field("contact_email", "errors.control_chars"),
    )
    .await;
    c.form(
        "CRLF in contact_email on the form",
        vec![("contact_email", t("a@example.com\nBcc: v@example.com"))],
        Want::Field("contact_email", "errors.control_chars"),
    )
    .await;
    c.api_json(
        "markup in contact_email",
        json!({"contact_email": "\"><svg/onload=alert(1)>@example.com"}),
        Want::Field("contact_email", "errors.invalid_email"),
    )
    .await;
    c.api_json(
        "markup in contact_phone",
        json!({"contact_phone": "<script>13800138000"}),
        Want::Field("contact_phone", "errors.invalid_phone"),
    )
    .await;
    c.api_json(
        "markup in province",
        json!({"province": "<b>"}),
        Want::Field("province", "errors.invalid_province"),
    )
    .await;
    c.api_json(
        "SQL in province",
        json!({"province": "1' OR"}),
        Want::Field("province", "errors.invalid_province"),
    )
    .await;
    c.api_json(
        "SQL in sector",
        json!({"sector": "telecom' --"}),
        Want::Field("sector", "errors.invalid_choice"),
    )
    .await;
    c.api_json(
        "markup in an obstacle code",
        json!({"obstacles_reported": ["<script>"]}),
        Want::Field("obstacles_reported", "errors.unknown_obstacle"),
    )
    .await;
    c.form(
        "markup in a channel",
        vec![("channels_tried", t("<img src=x>"))],
        Want::Field("channels_tried", "errors.invalid_choice"),
    )
    .await;

    // ---- 5. Lengths: just over each maximum is refused, the maximum itself is kept. ----
    let long = |n: usize| "字".repeat(n);
    for (field, max) in [
        ("company_name", 100),
        ("service_name", 100),
        ("plan_from", 100),
        ("plan_to", 100),
        ("contact_name", 50),
    ] {
        c.api_json(
            &format!("{field} over {max}"),
            json!({ field: long(max + 1) }),
            Want::Field(field, "errors.too_long"),
        )
        .await;
        c.form(
            &format!("{field} over {max} on the form"),
            vec![(field, t(long(max + 1)))],
            Want::Field(field, "errors.too_long"),
        )
        .await;
        c.api_json(
            &format!("{field} at {max}"),
            json!({ field: long(max) }),
            Want::Stored(vec![(field, Some(long(max)))]),
        )
        .await;
    }
    // Zero-width characters do not count (they are dropped before measuring).
    c.api_json(
        "company_name at 100 plus zero-width padding",
        json!({"company_name": format!("{}{}", long(100), "\u{200B}".repeat(50))}),
        Want::Stored(vec![("company_name", Some(long(100)))]),
    )
    .await;
    c.api_json(
        "narrative over 10000",
        json!({"narrative": format!("{STORY}{}", "。".repeat(10_001 - STORY.chars().count()))}),
        Want::Field("narrative", "errors.too_long"),
    )
    .await;
    c.form(
        "narrative over 10000 on the form",
        vec![(
            "narrative",
            t(format!(
                "{STORY}{}",
                "a".repeat(10_001 - STORY.chars().count())
            )),
        )],
        Want::Field("narrative", "errors.too_long"),
    )
    .await;
    let at_max = format!(
        "{STORY}{}",
        "降级难。".repeat((10_000 - STORY.chars().count()) / 4)
    );
    let at_max = format!("{at_max}{}", "。".repeat(10_000 - at_max.chars().count()));
    c.api_json(
        "narrative at 10000",
        json!({"narrative": at_max}),
        Want::Stored(vec![("narrative", Some(at_max.clone()))]),
    )
    .await;
    c.api_json(
        "narrative of 19 characters",
        json!({"narrative": "降".repeat(19)}),
        Want::Field("narrative", "errors.too_short"),
    )
    .await;
    c.api_json(
        "narrative of spaces and zero-width only",
        json!({"narrative": format!("   {}   ", "\u{200B}".repeat(30))}),
        Want::Field("narrative", "errors.too_short"),
    )
    .await;
    c.api_json(
        "contact_email over 254",
        json!({"contact_email": format!("{}@example.com", "a".repeat(243))}),
        Want::Field("contact_email", "errors.too_long"),
    )
    .await;
    c.api_json(
        "contact_phone over 20",
        json!({"contact_phone": "1".repeat(21)}),
        Want::Field("contact_phone", "errors.too_long"),
    )
    .await;
    c.api_json(
        "province over 6",
        json!({"province": "1100000"}),
        Want::Field("province", "errors.too_long"),
    )
    .await;

    // ---- 6. Numbers and dates. ----
    for (name, patch, field, key) in [
        (
            "negative price",
            json!({"price_from": "-5"}),
            "price_from",
            "errors.invalid_amount",
        ),
        (
            "NaN price",
            json!({"price_from": "NaN"}),
            "price_from",
            "errors.invalid_amount",
        ),
        (
            "Infinity price",
            json!({"price_to": "Infinity"}),
            "price_to",
            "errors.invalid_amount",
        ),
        (
            "hex price",
            json!({"price_to": "0x10"}),
            "price_to",
            "errors.invalid_amount",
        ),
        (
            "full-width digits",
            json!({"amount_claimed": "５９"}),
            "amount_claimed",
            "errors.invalid_amount",
        ),
        (
            "huge price",
            json!({"amount_claimed": "99999999999999999999999"}),
            "amount_claimed",
            "errors.amount_too_large",
        ),
        (
            "price as an object",
            json!({"price_from": {"$gt": 0}}),
            "price_from",
            "errors.invalid_amount",
        ),
        (
            "negative price number",
            json!({"price_from": -1}),
            "price_from",
            "errors.invalid_amount",
        ),
        (
            "huge attempts",
            json!({"contact_attempts": 99999999999999999999u128 as f64}),
            "contact_attempts",
            "errors.not_integer",
        ),
        (
            "attempts beyond i64",
            json!({"contact_attempts": 1e30}),
            "contact_attempts",
            "errors.not_integer",
        ),
        (
            "attempts i64 max",
            json!({"contact_attempts": i64::MAX}),
            "contact_attempts",
            "errors.out_of_range",
        ),
        (
            "attempts i64 min",
            json!({"contact_attempts": i64::MIN}),
            "contact_attempts",
            "errors.out_of_range",
        ),
        (
            "date 0000-00-00",
            json!({"first_attempt_on": "0000-00-00"}),
            "first_attempt_on",
            "errors.invalid_date",
        ),
        (
            "date 2026-02-30",
            json!({"first_attempt_on": "2026-02-30"}),
            "first_attempt_on",
            "errors.invalid_date",
        ),
        (
            "date 2026-02-29 (not a leap year)",
            json!({"first_attempt_on": "2026-02-29"}),
            "first_attempt_on",
            "errors.invalid_date",
        ),
        (
            "date with a time",
            json!({"first_attempt_on": "2026-01-05T00:00:00Z"}),
            "first_attempt_on",
            "errors.invalid_date",
        ),
        (
            "date before 2000",
            json!({"first_attempt_on": "1999-12-31"}),
            "first_attempt_on",
            "errors.date_too_old",
        ),
        (
            "date with SQL",
            json!({"first_attempt_on": "2026-01-0'"}),
            "first_attempt_on",
            "errors.invalid_date",
        ),
        (
            "date as a number",
            json!({"first_attempt_on": 20260105}),
            "first_attempt_on",
            "errors.invalid_date",
        ),
    ] {
        c.api_json(name, patch, Want::Field(field, key)).await;
    }
    // A JSON number too large for a double is not JSON serde can hold: the body is refused.
    let body = format!(
        r#"{{"sector":"telecom","requested_action":"cancel","company_name":"x","narrative":"{STORY}","contact_attempts":1e400}}"#
    );
    c.api(
        "number beyond double range",
        body.into_bytes(),
        Want::Status(400, "errors.malformed_json"),
    )
    .await;
    c.api_json(
        "leap day 2024-02-29 is a date",
        json!({"first_attempt_on": "2024-02-29"}),
        Want::Stored(vec![("first_attempt_on", s("2024-02-29"))]),
    )
    .await;
    c.api_json(
        "price number 59.5",
        json!({"price_from": 59.5}),
        Want::Stored(vec![("price_from_fen", s("5950"))]),
    )
    .await;
    for (name, over, field, key) in [
        (
            "negative price on the form",
            ("price_from", "-0.01"),
            "price_from",
            "errors.invalid_amount",
        ),
        (
            "NaN price on the form",
            ("price_to", "NaN"),
            "price_to",
            "errors.invalid_amount",
        ),
        (
            "attempts with a fraction on the form",
            ("contact_attempts", "2.5"),
            "contact_attempts",
            "errors.not_integer",
        ),
        (
            "attempts beyond i64 on the form",
            ("contact_attempts", "99999999999999999999"),
            "contact_attempts",
            "errors.not_integer",
        ),
        (
            "date 0000-00-00 on the form",
            ("first_attempt_on", "0000-00-00"),
            "first_attempt_on",
            "errors.invalid_date",
        ),
        (
            "date 2026-02-30 on the form",
            ("first_attempt_on", "2026-02-30"),
            "first_attempt_on",
            "errors.invalid_date",
        ),
        (
            "future date on the form",
            ("first_attempt_on", "2999-01-01"),
            "first_attempt_on",
            "errors.future_date",
        ),
    ] {
        c.form(name, vec![(over.0, t(over.1))], Want::Field(field, key))
            .await;
    }

    // ---- 7. Repeated keys, wrong types, wrong content types, nesting, size. ----
    c.api(
        "repeated key in JSON",
        br#"{"company_name":"a","company_name":"b"}"#.to_vec(),
        Want::Status(400, "errors.duplicate_key"),
    )
    .await;
    c.api(
        "repeated key with different case is an unknown field",
        serde_json::to_vec(&patched(&json!({"Company_Name": "x"}))).expect("json"),
        Want::Field("Company_Name", "errors.unknown_field"),
    )
    .await;
    c.form(
        "repeated single-value key on the form: the first wins",
        vec![
            ("sector", t("telecom")),
            ("sector", t("gaming")),
            ("company_name", t("第一个")),
            ("company_name", t("第二个")),
        ],
        Want::Stored(vec![
            ("sector", s("telecom")),
            ("company_name", s("第一个")),
        ]),
    )
    .await;
    c.form(
        "repeated list values on the form are kept once",
        vec![
            ("channels_tried", t("app")),
            ("channels_tried", t("hotline")),
            ("channels_tried", t("app")),
        ],
        Want::Stored(vec![("channels_tried", s("app;hotline"))]),
    )
    .await;
    c.api_json(
        "company_name as an array",
        json!({"company_name": ["a", "b"]}),
        Want::Field("company_name", "errors.not_string"),
    )
    .await;
    c.api_json(
        "narrative as an object",
        json!({"narrative": {"text": STORY}}),
        Want::Field("narrative", "errors.not_string"),
    )
    .await;
    c.api_json(
        "consent as a string",
        json!({"consent_contact_company": "true"}),
        Want::Field("consent_contact_company", "errors.not_boolean"),
    )
    .await;
    c.api_json(
        "channels with a nested array",
        json!({"channels_tried": [["app"]]}),
        Want::Field("channels_tried", "errors.not_string"),
    )
    .await;
    c.api_json(
        "a prototype-pollution key",
        json!({"__proto__": {"admin": true}}),
        Want::Field("__proto__", "errors.unknown_field"),
    )
    .await;
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    c.api(
        "deeply nested JSON value",
        format!("{{\"narrative\":{deep}}}").into_bytes(),
        Want::Status(400, "errors.malformed_json"),
    )
    .await;
    c.api(
        "deeply nested object",
        format!("{}{}", "{\"a\":".repeat(20_000), "}".repeat(20_000)).into_bytes(),
        Want::Status(400, "errors.malformed_json"),
    )
    .await;
    c.api(
        "an empty body",
        Vec::new(),
        Want::Status(400, "errors.malformed_json"),
    )
    .await;
    c.api(
        "a JSON string",
        b"\"<script>\"".to_vec(),
        Want::Status(400, "errors.expected_object"),
    )
    .await;
    c.api(
        "JSON null",
        b"null".to_vec(),
        Want::Status(400, "errors.expected_object"),
    )
    .await;
    c.api(
        "a UTF-8 BOM before the JSON",
        [
            &b"\xEF\xBB\xBF"[..],
            &serde_json::to_vec(&doc()).expect("json")[..],
        ]
        .concat(),
        Want::Status(400, "errors.malformed_json"),
    )
    .await;
    c.api(
        "over the JSON size limit",
        serde_json::to_vec(&patched(&json!({"narrative": "字".repeat(100_000)}))).expect("json"),
        Want::Status(413, "errors.too_large"),
    )
    .await;
    c.api_ct(
        "text/html content type",
        "text/html",
        serde_json::to_vec(&doc()).expect("json"),
        Want::Status(415, "errors.media_type"),
    )
    .await;
    c.api_ct(
        "multipart content type on the API",
        "multipart/form-data; boundary=x",
        b"--x--\r\n".to_vec(),
        Want::Status(415, "errors.media_type"),
    )
    .await;
    c.api_ct(
        "JSON with a latin-1 charset is read as UTF-8",
        "application/json; charset=iso-8859-1",
        serde_json::to_vec(&patched(&json!({"company_name": "某云存储服务商"}))).expect("json"),
        Want::Stored(vec![("company_name", s("某云存储服务商"))]),
    )
    .await;
    c.api_ct(
        "a +json media type",
        "application/problem+json",
        serde_json::to_vec(&doc()).expect("json"),
        Want::Stored(vec![("sector", s("cloud_storage"))]),
    )
    .await;
    // The form endpoint takes multipart only.
    for (name, ct, body) in [
        (
            "JSON sent to the form",
            "application/json",
            serde_json::to_vec(&doc()).expect("json"),
        ),
        (
            "urlencoded sent to the form",
            "application/x-www-form-urlencoded",
            b"sector=telecom&narrative=x".to_vec(),
        ),
        (
            "multipart without a boundary",
            "multipart/form-data",
            b"--x\r\n".to_vec(),
        ),
        (
            "truncated multipart",
            "multipart/form-data; boundary=XX",
            b"--XX\r\nContent-Disposition: form-data; name=\"sector\"\r\n\r\ntele".to_vec(),
        ),
    ] {
        c.cases += 1;
        let r = app
            .client
            .post(app.url("/complaints"))
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .expect("post");
        let st = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        c.check((400..500).contains(&st) && text.contains("<html"), || {
            format!("{name}: want a 4xx page, got {st}")
        });
    }

    // ---- 8. Uploads on the form. ----
    let png = tiny_png();
    let png_html = [
        &png[..],
        &b"<html><script>alert('xss-png')</script></html>"[..],
    ]
    .concat();
    let pdf_js = tiny_pdf("/OpenAction << /S /JavaScript /JS (app.alert('xss-pdf')) >>");
    let uploads: Vec<FormUpload> = vec![
        (
            "path traversal in the name",
            vec![file("../../etc/passwd.png", png.clone())],
            Want::Stored(vec![]),
            Some("passwd.png"),
        ),
        (
            "backslash traversal",
            vec![file("..\\..\\x.pdf", tiny_pdf(""))],
            Want::Stored(vec![]),
            Some("x.pdf"),
        ),
        (
            "absolute path",
            vec![file("/etc/cron.d/evil.png", png.clone())],
            Want::Stored(vec![]),
            Some("evil.png"),
        ),
        (
            "Windows absolute path",
            vec![file("C:\\Windows\\System32\\drivers.png", png.clone())],
            Want::Stored(vec![]),
            Some("drivers.png"),
        ),
        (
            "NUL in the name",
            vec![file("bill\u{0}.php.png", png.clone())],
            Want::Status(400, "errors.bad_multipart"),
            None,
        ),
        (
            "markup in the name",
            vec![file("<img src=x onerror=alert(1)>.png", png.clone())],
            Want::Stored(vec![]),
            Some("<img src=x onerror=alert(1)>.png"),
        ),
        (
            "a very long name",
            vec![file(&format!("{}.png", "长".repeat(400)), png.clone())],
            Want::Stored(vec![]),
            Some(&*format!("{}.png", "长".repeat(116)).leak()),
        ),
        (
            "right-to-left override in the name",
            vec![file("invoice\u{202E}gnp.exe", png.clone())],
            Want::Stored(vec![]),
            Some("invoicegnp.png"),
        ),
        (
            "PNG named .html",
            vec![file("page.html", png.clone())],
            Want::Stored(vec![]),
            Some("page.png"),
        ),
        (
            "PNG named .pdf",
            vec![file("scan.pdf", png.clone())],
            Want::Stored(vec![]),
            Some("scan.png"),
        ),
        (
            "PNG with trailing HTML",
            vec![file("shot.png", png_html.clone())],
            Want::Stored(vec![]),
            Some("shot.png"),
        ),
        (
            "PDF with JavaScript",
            vec![file("chat.pdf", pdf_js.clone())],
            Want::Stored(vec![]),
            Some("chat.pdf"),
        ),
        (
            "only dots",
            vec![file("..", png.clone())],
            Want::Stored(vec![]),
            Some("evidence.png"),
        ),
        (
            "GIF/HTML polyglot",
            vec![file(
                "x.gif.png",
                b"GIF89a/*<script>alert('xss-gif')</script>*/=1;".to_vec(),
            )],
            Want::Field("evidence", "errors.file_type"),
            None,
        ),
        (
            "SVG with script",
            vec![file(
                "chart.png",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                    .to_vec(),
            )],
            Want::Field("evidence", "errors.file_type"),
            None,
        ),
        (
            "HTML named .png",
            vec![file(
                "a.png",
                b"<!doctype html><script>alert(1)</script>".to_vec(),
            )],
            Want::Field("evidence", "errors.file_type"),
            None,
        ),
        (
            "an empty file",
            vec![file("empty.png", Vec::new())],
            Want::Field("evidence", "errors.file_empty"),
            None,
        ),
        (
            "a ZIP named .pdf",
            vec![file(
                "a.pdf",
                b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec(),
            )],
            Want::Field("evidence", "errors.file_type"),
            None,
        ),
        (
            "just over 10 MB",
            vec![file(
                "big.png",
                [&png[..], &vec![0u8; 10 * 1024 * 1024][..]].concat(),
            )],
            Want::Field("evidence", "errors.file_too_large"),
            None,
        ),
        (
            "eleven files",
            (0..11)
                .map(|i| file(&format!("f{i}.png"), png.clone()))
                .collect(),
            Want::Field("evidence", "errors.too_many_files"),
            None,
        ),
    ];
    let mut upload_codes: Vec<(String, String)> = Vec::new();
    for (name, over, want, shown) in uploads {
        let code = c.form(&format!("upload: {name}"), over, want).await;
        if let (Some(code), Some(shown)) = (code, shown) {
            upload_codes.push((code.clone(), shown.to_string()));
            let f = find(&app, &code).await.expect("filed");
            let files = evidence_file::Entity::find()
                .filter(evidence_file::Column::ComplaintId.eq(f.id))
                .all(&app.state.db.read)
                .await
                .expect("files");
            c.check(
                files.len() == 1
                    && files[0].original_name == shown
                    && files[0].stored_name.len() == 32
                    && files[0]
                        .stored_name
                        .chars()
                        .all(|ch| ch.is_ascii_hexdigit()),
                || format!("upload {name}: {files:?}, want shown name {shown:?}"),
            );
        }
    }
    // Nothing outside the evidence folder, nothing named after the client.
    let ev_dir = app.data_dir.path().join("evidence");
    for e in std::fs::read_dir(&ev_dir).expect("evidence dir").flatten() {
        let n = e.file_name().to_string_lossy().to_string();
        c.check(
            n.len() == 32 && n.chars().all(|ch| ch.is_ascii_hexdigit()),
            || format!("stored file named {n:?}"),
        );
    }
    c.check(!app.data_dir.path().join("etc").exists(), || {
        "a path escaped the evidence folder".into()
    });

    // Uploads through the API evidence endpoint.
    let mut target = doc();
    target["consent_contact_company"] = json!(true);
    let r: Value = app
        .post_json("/api/v1/complaints", &target)
        .await
        .json()
        .await
        .expect("json");
    let (ev_code, ev_token) = (
        r["tracking_code"].as_str().expect("code").to_string(),
        r["evidence_token"].as_str().expect("token").to_string(),
    );
    let api_uploads: Vec<ApiUpload> = vec![
        (
            "traversal",
            "../../../../tmp/x.png",
            png.clone(),
            201,
            Some("x.png"),
        ),
        (
            "html name with PNG content",
            "<svg onload=alert(1)>.html",
            png.clone(),
            201,
            Some("<svg onload=alert(1)>.png"),
        ),
        (
            "PNG with trailing HTML",
            "a.png",
            png_html.clone(),
            201,
            Some("a.png"),
        ),
        (
            "PDF with JavaScript",
            "js.pdf",
            pdf_js.clone(),
            201,
            Some("js.pdf"),
        ),
        (
            "GIF/HTML polyglot",
            "p.gif",
            b"GIF89a<html><script>alert(1)</script>".to_vec(),
            422,
            None,
        ),
        (
            "SVG",
            "s.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
            422,
            None,
        ),
        ("empty", "e.png", Vec::new(), 422, None),
        (
            "over the upload size limit",
            "huge.png",
            [&png[..], &vec![0u8; 11 * 1024 * 1024][..]].concat(),
            413,
            None,
        ),
    ];
    for (name, fname, bytes, want, shown) in api_uploads {
        c.cases += 1;
        let r = app
            .client
            .post(app.url(&format!("/api/v1/complaints/{ev_code}/evidence")))
            .header("X-Evidence-Token", &ev_token)
            .multipart(Form::new().part("file", Part::bytes(bytes).file_name(fname.to_string())))
            .send()
            .await
            .expect("upload");
        let st = r.status().as_u16();
        let v: Value = r.json().await.unwrap_or(Value::Null);
        let ok = st == want
            && match shown {
                Some(n) => v["file_name"] == n,
                None if want == 422 => v["errors"]["file"]
                    .as_array()
                    .is_some_and(|a| !a.is_empty()),
                None => v["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty()),
            };
        c.check(ok, || {
            format!("api upload {name}: want {want}, got {st} {v}")
        });
    }

    // A multipart body over the form's limit is refused at once, and the server carries on.
    c.cases += 1;
    let big = Instant::now();
    let over = vec![0u8; 102 * 1024 * 1024];
    let r = app
        .client
        .post(app.url("/complaints"))
        .multipart(
            Form::new()
                .text("form_token", c.form_token.clone())
                .part("evidence", Part::bytes(over).file_name("big.png")),
        )
        .send()
        .await;
    match r {
        Ok(r) => {
            let st = r.status().as_u16();
            c.check(st == 413, || format!("huge multipart: want 413, got {st}"));
        }
        Err(e) => c.fail(format!("huge multipart: no response ({e})")),
    }
    c.check(big.elapsed() < Duration::from_secs(10), || {
        format!("huge multipart took {:?}", big.elapsed())
    });
    // Form text fields are small: an enormous one is refused rather than echoed back.
    c.form(
        "a 2 MB text field",
        vec![("narrative", t("字".repeat(700_000)))],
        Want::Status(413, "errors.too_large"),
    )
    .await;
    // Lists are short: thousands of values are refused without quadratic work.
    let many: Vec<String> = (0..20_000).map(|i| format!("X{i}")).collect();
    let quick = Instant::now();
    c.api_json(
        "20 000 obstacle codes",
        json!({ "obstacles_reported": many }),
        Want::Field("obstacles_reported", "errors.too_many_values"),
    )
    .await;
    // Built by hand: reqwest's multipart stream is itself quadratic in the number of parts.
    c.cases += 1;
    let mut body = Vec::new();
    let mut pairs = form_pairs();
    pairs.push(("form_token".into(), c.form_token.clone()));
    pairs.extend((0..20_000).map(|i| ("channels_tried".to_string(), format!("c{i}"))));
    for (k, v) in &pairs {
        body.extend_from_slice(
            format!("--BOUNDARY\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(b"--BOUNDARY--\r\n");
    let r = app
        .client
        .post(app.url("/complaints?lang=en"))
        .header("content-type", "multipart/form-data; boundary=BOUNDARY")
        .body(body)
        .send()
        .await
        .expect("post");
    let st = r.status().as_u16();
    let html = r.text().await.unwrap_or_default();
    let block = field_error_block(&html, "channels_tried").unwrap_or_default();
    c.check(
        st == 422 && block.contains("Choose at most 64 values") && html.len() < 200_000,
        || {
            format!(
                "20 000 channel values on the form: {st} {block:?} ({} bytes)",
                html.len()
            )
        },
    );
    c.check(quick.elapsed() < Duration::from_secs(10), || {
        format!("long lists took {:?}", quick.elapsed())
    });

    // ---- 9. Staff search and filters with metacharacters. ----
    make_user(&app, "reviewer@example.org", Role::Reviewer).await;
    make_user(&app, "regulator@example.org", Role::Regulator).await;
    let reviewer = signed_in(&app, "reviewer@example.org").await;
    let regulator = signed_in(&app, "regulator@example.org").await;
    let rev_user = accounts::find_by_email(&app.state.db.read, "reviewer@example.org")
        .await
        .expect("q")
        .expect("user");
    let api_token = accounts::create_token(&app.state.db.write, rev_user.id, "corpus")
        .await
        .expect("token")
        .1;
    let long_q = "长".repeat(101);
    let searches: Vec<(&str, u16)> = vec![
        // A one-character term ("'") is refused like any other.
        ("' OR 1=1 --", 422),
        ("'OR 1=1--", 200),
        ("\"; DROP TABLE complaints; --", 200),
        ("100%_完成", 200),
        ("%%", 200),
        ("__", 200),
        ("\\\\", 200),
        ("\"\"", 200),
        ("NEAR(a b)", 200),
        ("a* OR b*", 200),
        ("<script>alert(1)</script>", 200),
        ("{{ 7*7 }}", 200),
        ("\u{0}\u{0}x", 422),
        ("%", 422),
        (&long_q, 422),
    ];
    for (q, want) in &searches {
        c.cases += 1;
        let r = reviewer
            .get(app.url("/staff/cases"))
            .query(&[("q", q)])
            .send()
            .await
            .expect("get");
        let st = r.status().as_u16();
        let html = r.text().await.unwrap_or_default();
        let bad = unsafe_markup(&html);
        c.check(st == *want && bad.is_empty(), || {
            format!("staff search {q:?}: want {want}, got {st} {bad:?}")
        });
        let r = app
            .client
            .get(app.url("/api/v1/cases"))
            .query(&[("q", q)])
            .bearer_auth(&api_token)
            .send()
            .await
            .expect("get");
        let st = r.status().as_u16();
        c.check(st == *want, || {
            format!("api search {q:?}: want {want}, got {st}")
        });
    }
    // `%` and `_` are literal: this finds exactly the complaints that contain them.
    let r: Value = app
        .client
        .get(app.url("/api/v1/cases"))
        .query(&[("q", "0%_完"), ("limit", "200")])
        .bearer_auth(&api_token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let found: Vec<&str> = r["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["company_name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    c.cases += 1;
    c.check(
        !found.is_empty() && found.iter().all(|n| n.contains("0%_完")),
        || format!("literal wildcard search: {found:?}"),
    );
    for (param, value, want) in [
        ("company", "' OR 1=1 --", 200),
        ("company", "\"; DROP TABLE complaints; --", 200),
        ("status", "' OR 1=1 --", 422),
        ("sector", "telecom' --", 422),
        ("obstacle", "<script>", 422),
        ("province", "110000' OR '1'='1", 422),
        ("from", "2026-02-30", 422),
        ("to", "0000-00-00", 422),
        ("cursor", "' OR 1=1 --", 422),
        ("limit", "-1", 422),
        ("limit", "99999999999999999999", 422),
    ] {
        c.cases += 1;
        let r = app
            .client
            .get(app.url("/api/v1/cases"))
            .query(&[(param, value)])
            .bearer_auth(&api_token)
            .send()
            .await
            .expect("get");
        let st = r.status().as_u16();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        // The company filter matches the typed name exactly: the SQL-looking complaints.
        let ok = if want == 200 {
            st == 200
                && body["items"]
                    .as_array()
                    .is_some_and(|a| !a.is_empty() && a.iter().all(|i| i["company_name"] == value))
        } else {
            (400..500).contains(&st) && st == want
        };
        c.check(ok, || {
            format!("api filter {param}={value:?}: want {want}, got {st} {body}")
        });
        let r = reviewer
            .get(app.url("/staff/cases"))
            .query(&[(param, value)])
            .send()
            .await
            .expect("get");
        let st = r.status().as_u16();
        c.check(
            st < 500 && unsafe_markup(&r.text().await.unwrap_or_default()).is_empty(),
            || format!("staff filter {param}={value:?}: {st}"),
        );
    }
    // The SQL-looking complaints were stored and nothing was dropped.
    c.check(sql_codes.len() == sql_values.len(), || {
        format!("sql complaints filed: {}", sql_codes.len())
    });
    for code in &sql_codes {
        c.check(find(&app, code).await.is_some(), || format!("{code} lost"));
    }

    // ---- 10. Every view shows the stored payloads escaped. ----
    let staff_html = reviewer.text_of(app.url("/staff")).await;
    let csrf = csrf_of(&staff_html);
    // Forward the API-filed markup complaints to a directory company, so their mails go out.
    add_company(&app, "某云存储服务商", "service@cloud.example.cn").await;
    for (code, _) in &xss_api {
        let id = find(&app, code).await.expect("filed").id;
        for (action, fields) in [
            ("accept", vec![]),
            ("company", vec![("company_name", "某云存储服务商")]),
            ("forward", vec![]),
        ] {
            let version = find(&app, code).await.expect("filed").version;
            let mut form: Vec<(&str, String)> = vec![
                ("csrf_token", csrf.clone()),
                ("version", version.to_string()),
            ];
            form.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
            let r = reviewer
                .post(app.url(&format!("/staff/cases/{id}/{action}")))
                .form(&form)
                .send()
                .await
                .expect("act");
            c.check(r.status() == StatusCode::SEE_OTHER, || {
                format!("{action} on {code}: {}", r.status())
            });
        }
    }
    // A group holding every markup and formula complaint, itself named with markup.
    let r = reviewer
        .post(app.url("/staff/groups"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", XSS[0]),
            ("description", XSS[1]),
            ("company", ""),
        ])
        .send()
        .await
        .expect("group");
    let group_url = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(|l| l.split('?').next().unwrap_or("").to_string())
        .unwrap_or_default();
    c.check(group_url.starts_with("/staff/groups/"), || {
        format!("group created: {}", r.status())
    });
    let members: Vec<String> = xss_api
        .iter()
        .chain(&xss_form)
        .map(|(code, _)| code.clone())
        .chain(formula_codes.iter().map(|(code, _)| code.clone()))
        .collect();
    let r = reviewer
        .post(app.url(&format!("{group_url}/members")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("cases", members.join("\n").as_str()),
        ])
        .send()
        .await
        .expect("members");
    c.check(r.status() == StatusCode::SEE_OTHER, || {
        format!("members added: {}", r.status())
    });

    // The newest consented complaint is the first example in the period report.
    let newest = c
        .api_json(
            "xss in the newest consented narrative",
            json!({ "company_name": XSS[1], "narrative": narrative_with(XSS[1]), "consent_share_narrative": true }),
            Want::Stored(vec![("company_name", s(XSS[1]))]),
        )
        .await;
    c.check(newest.is_some(), || "newest complaint filed".into());
    let all_xss: Vec<(String, &str)> = xss_api.iter().chain(&xss_form).cloned().collect();
    let mut pages: Vec<(String, String)> = Vec::new();
    let mut upload_pages: Vec<(String, String)> = Vec::new();
    for (code, name) in &upload_codes {
        let id = find(&app, code).await.expect("filed").id;
        let path = format!("/staff/cases/{id}");
        let html = reviewer.text_of(app.url(&path)).await;
        pages.push((path.clone(), html));
        upload_pages.push((path, name.clone()));
    }
    for (code, _) in &all_xss {
        let id = find(&app, code).await.expect("filed").id;
        let html = app.client.text_of(app.url(&format!("/track/{code}"))).await;
        pages.push((format!("/track/{code}"), html));
        let html = reviewer
            .text_of(app.url(&format!("/staff/cases/{id}")))
            .await;
        pages.push((format!("/staff/cases/{id}"), html));
    }
    for path in [
        "/staff/cases",
        "/staff/cases?q=xss",
        "/staff/cases?q=alert&status=open",
        "/staff/groups",
    ] {
        let html = reviewer.text_of(app.url(path)).await;
        pages.push((path.to_string(), html));
    }
    let html = reviewer.text_of(app.url(&group_url)).await;
    pages.push((group_url.clone(), html));
    let month = (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m")
        .to_string();
    for path in [
        "/regulator".to_string(),
        format!("/regulator/reports/{month}"),
        format!("/regulator/reports/{month}/download"),
        "/stats".to_string(),
    ] {
        let html = regulator.text_of(app.url(&path)).await;
        pages.push((path, html));
    }
    for (path, html) in &pages {
        c.cases += 1;
        let bad = unsafe_markup(html);
        c.check(bad.is_empty(), || format!("{path}: unescaped {bad:?}"));
    }
    // Each payload is shown (as text) where its fields are shown.
    let page = |p: &str| {
        pages
            .iter()
            .find(|(path, _)| path == p)
            .map(|(_, h)| h.as_str())
            .unwrap_or("")
    };
    for (code, p) in &all_xss {
        let id = find(&app, code).await.expect("filed").id;
        let e = escaped(p);
        c.check(page(&format!("/staff/cases/{id}")).contains(&e), || {
            format!("case page {id} lacks {e}")
        });
    }
    // The typed company name is shown while the case is not linked to the directory.
    for (code, p) in &xss_form {
        let e = escaped(p);
        c.check(page(&format!("/track/{code}")).contains(&e), || {
            format!("track page of {code} lacks {e}")
        });
        c.check(page(&group_url).contains(&e), || {
            format!("group page lacks {e}")
        });
    }
    c.check(
        page("/staff/cases?q=xss").contains("alert(&#x27;xss-"),
        || "the queue shows no payload".into(),
    );
    for (path, name) in &upload_pages {
        c.check(page(path).contains(&escaped(name)), || {
            format!("{path} lacks the file name {name:?}")
        });
    }
    let report = page(&format!("/regulator/reports/{month}"));
    c.check(
        report.contains("xss-") && report.contains("alert(&#x27;xss-"),
        || "the report shows no example narrative with a payload".into(),
    );

    // Mail: receipts and forwarding, HTML parts escaped, headers clean.
    // Per forwarded complaint: receipt, accepted, forwarded (consumer) and the company's copy.
    let expected_mails = 4 * xss_api.len();
    let mails = smtp.wait_for(expected_mails, Duration::from_secs(30)).await;
    c.cases += 1;
    c.check(mails.len() >= expected_mails, || {
        format!("mails: want {expected_mails}, got {}", mails.len())
    });
    let mut forwarded = 0;
    for m in &mails {
        let (headers, html) = split_mail(&m.data);
        let bad = unsafe_markup(&html);
        c.check(bad.is_empty(), || {
            format!("mail to {:?}: unescaped {bad:?}", m.to)
        });
        c.check(
            m.to.len() == 1 && !headers.to_lowercase().contains("\nbcc:"),
            || format!("mail headers: {:?} {headers}", m.to),
        );
        if m.to.iter().any(|t| t.contains("service@cloud.example.cn")) {
            forwarded += 1;
            c.check(XSS.iter().any(|p| html.contains(&escaped(p))), || {
                "forward mail lacks the escaped narrative".into()
            });
        }
    }
    c.check(forwarded == xss_api.len(), || {
        format!("forward mails: {forwarded}")
    });

    // Exports read back: valid structure, values verbatim, formula starts neutralised.
    let csv_body = app
        .client
        .get(app.url("/api/v1/exports/complaints.csv?tier=staff"))
        .bearer_auth(&api_token)
        .send()
        .await
        .expect("get")
        .bytes()
        .await
        .expect("body");
    let xlsx_body = app
        .client
        .get(app.url("/api/v1/exports/complaints.xlsx?tier=staff"))
        .bearer_auth(&api_token)
        .send()
        .await
        .expect("get")
        .bytes()
        .await
        .expect("body");
    let nd_body = app
        .client
        .get(app.url("/api/v1/exports/complaints.ndjson?tier=staff"))
        .bearer_auth(&api_token)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    c.cases += 3;
    let csv_rows = read_csv(&csv_body);
    let xlsx_rows = read_xlsx(&xlsx_body);
    let nd_rows: Vec<Value> = nd_body
        .lines()
        .map(|l| serde_json::from_str(l).expect("NDJSON line"))
        .collect();
    c.check(
        csv_rows.len() == xlsx_rows.len() && csv_rows.len() == nd_rows.len() + 1,
        || {
            format!(
                "rows: csv {} xlsx {} ndjson {}",
                csv_rows.len(),
                xlsx_rows.len(),
                nd_rows.len()
            )
        },
    );
    // `complaint_id` is the tracking code.
    let by_code = |rows: &[Vec<String>], code: &str| -> Option<HashMap<String, String>> {
        let header = rows.first()?;
        let idx = header.iter().position(|h| h == "complaint_id")?;
        rows.iter()
            .find(|r| r.get(idx).is_some_and(|v| v == code))
            .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
    };
    let neutral = |v: &str| match v.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{v}"),
        _ => v.to_string(),
    };
    let checks: Vec<(String, &str)> = all_xss
        .iter()
        .map(|(code, p)| (code.clone(), *p))
        .chain(formula_codes.iter().map(|(code, p)| (code.clone(), *p)))
        .collect();
    for (code, _) in &checks {
        let row = find(&app, code).await.expect("filed");
        let (Some(csv), Some(xl)) = (by_code(&csv_rows, code), by_code(&xlsx_rows, code)) else {
            c.fail(format!("export lacks {code}"));
            continue;
        };
        let nd = nd_rows.iter().find(|v| v["complaint_id"] == json!(code));
        for col in ["service_name", "plan_from", "narrative"] {
            let stored = column(&row, col).unwrap_or_default();
            c.check(csv.get(col) == Some(&neutral(&stored)), || {
                format!("csv {code} {col}: {:?} vs {stored:?}", csv.get(col))
            });
            c.check(xl.get(col) == Some(&neutral(&stored)), || {
                format!("xlsx {code} {col}: {:?} vs {stored:?}", xl.get(col))
            });
            c.check(nd.is_some_and(|v| v[col] == json!(stored)), || {
                format!("ndjson {code} {col}")
            });
        }
    }
    let r = reviewer
        .fetch(app.url(&format!("{group_url}/members.csv")))
        .await;
    let rows = read_csv(&r.bytes().await.expect("body"));
    c.cases += 1;
    c.check(rows.len() == members.len() + 1, || {
        format!("group csv rows {}", rows.len())
    });
    for r in &rows[1..] {
        for cell in r {
            c.check(!cell.starts_with(['=', '+', '-', '@']), || {
                format!("group csv cell {cell:?} not neutralised")
            });
        }
    }

    // ---- The server is still healthy. ----
    let r = app.client.fetch(app.url("/healthz")).await;
    c.check(r.status() == StatusCode::OK, || {
        format!("healthz {}", r.status())
    });
    let r = app.client.fetch(app.url("/readyz")).await;
    c.check(r.status() == StatusCode::OK, || {
        format!("readyz {}", r.status())
    });

    let elapsed = started.elapsed();
    eprintln!("bad-input corpus: {} cases in {elapsed:.1?}", c.cases);
    assert!(c.cases >= 100, "only {} cases", c.cases);
    assert!(
        c.failures.is_empty(),
        "{} of {} cases failed:\n{}",
        c.failures.len(),
        c.cases,
        c.failures.join("\n")
    );
}

async fn add_company(app: &TestApp, name: &str, contact: &str) {
    NewCompany::named(name).contact(contact).add(app).await;
}

/// The header block and the decoded `text/html` part of a raw message.
fn split_mail(raw: &str) -> (String, String) {
    let raw = raw.replace("\r\n", "\n");
    let (headers, _) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let mut html = String::new();
    for part in raw.split("\n--") {
        let lower = part.to_lowercase();
        if let Some(i) = lower.find("content-type: text/html") {
            let body = part[i..].split_once("\n\n").map(|(_, b)| b).unwrap_or("");
            html.push_str(&decode_part(&lower[i..], body));
        }
    }
    (headers.to_string(), html)
}

fn decode_part(headers: &str, body: &str) -> String {
    if headers.contains("content-transfer-encoding: base64") {
        use base64::Engine;
        let compact: String = body.lines().take_while(|l| !l.starts_with("--")).collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact.trim())
            .map(|b| String::from_utf8_lossy(&b).to_string())
            .unwrap_or_default()
    } else {
        crate::support::decode_mime(body)
    }
}

fn read_csv(body: &[u8]) -> Vec<Vec<String>> {
    let body = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("CSV starts with a BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

fn read_xlsx(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a readable XLSX");
    let range = wb.worksheet_range("complaints").expect("sheet");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}
