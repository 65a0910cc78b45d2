use std::collections::HashMap;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{reference_case, spawn_sharing, spawn_with, Opts, SmtpServer};

#[tokio::test]
async fn two_instances_on_one_database_send_every_receipt_exactly_once() {
    let smtp = SmtpServer::start().await;
    let opts = Opts {
        smtp_url: Some(smtp.url()),
        ..Opts::default()
    };
    let a = spawn_with(opts.clone()).await;
    let b = spawn_sharing(&a, opts).await;

    const N: usize = 40;
    let mut handles = Vec::new();
    for i in 0..N {
        let (client, url) = if i % 2 == 0 {
            (a.client.clone(), a.url("/api/v1/complaints"))
        } else {
            (b.client.clone(), b.url("/api/v1/complaints"))
        };
        let mut doc = reference_case(i % 4 + 1);
        doc["contact_email"] = json!(format!("consumer{i}@example.com"));
        handles.push(tokio::spawn(async move {
            let r = client.post(url).json(&doc).send().await.expect("post");
            assert_eq!(r.status(), StatusCode::CREATED);
            let v: Value = r.json().await.expect("json");
            v["tracking_code"].as_str().expect("code").to_string()
        }));
    }
    let mut codes = Vec::new();
    for h in handles {
        codes.push(h.await.expect("task"));
    }
    let mails = smtp.wait_for(N, Duration::from_secs(30)).await;
    assert_eq!(mails.len(), N);
    // Both workers kept polling for a while: still no second copy of anything.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mails = smtp.mails();
    assert_eq!(mails.len(), N, "no mail sent twice");
    let mut seen: HashMap<String, usize> = HashMap::new();
    for m in &mails {
        let text = m.text();
        for c in &codes {
            if text.contains(c.as_str()) {
                *seen.entry(c.clone()).or_default() += 1;
            }
        }
    }
    for c in &codes {
        assert_eq!(seen.get(c), Some(&1), "receipt for {c}");
    }
}
