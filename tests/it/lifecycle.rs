//! Process lifecycle of the real binary: configuration errors, migrate, graceful shutdown.
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::fresh_db;

const BIN: &str = env!("CARGO_BIN_EXE_downgrade-watch");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

#[test]
fn a_bad_setting_stops_start_up_with_the_variable_named() {
    let out = Command::new(BIN)
        .env("DW_BIND", "not-an-address")
        .env("DW_DATA_DIR", "/nonexistent-dw")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("DW_BIND") && err.contains("not-an-address"),
        "{err}"
    );
    let out = Command::new(BIN)
        .env("DW_INTAKE_LIMIT", "lots")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stderr).contains("DW_INTAKE_LIMIT"));
}

#[tokio::test]
async fn sigterm_lets_an_in_flight_request_finish_before_the_process_exits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fresh_db(dir.path()).await;
    let port = free_port();
    let out = Command::new(BIN)
        .arg("migrate")
        .env("DATABASE_URL", &db.url)
        .env("DW_DATA_DIR", dir.path())
        .output()
        .expect("migrate");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut child = Command::new(BIN)
        .args(["serve", "--no-migrate"])
        .env("DATABASE_URL", &db.url)
        .env("DW_DATA_DIR", dir.path())
        .env("DW_BIND", format!("127.0.0.1:{port}"))
        .env("DW_INTAKE_LIMIT", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let start = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A body that trickles in over ~1.5 s: the request is in flight when SIGTERM arrives.
    let doc = serde_json::to_vec(&crate::support::reference_case(1)).expect("json");
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = doc
        .chunks(doc.len() / 6 + 1)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let body = futures::stream::iter(chunks).then(|c| async move {
        tokio::time::sleep(Duration::from_millis(250)).await;
        c
    });
    let req = client
        .post(format!("{base}/api/v1/complaints"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(body))
        .send();
    let in_flight = tokio::spawn(req);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill")
        .success());
    let resp = in_flight.await.expect("task").expect("response");
    assert_eq!(
        resp.status(),
        reqwest::StatusCode::CREATED,
        "the in-flight request completed"
    );
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "clean exit after SIGTERM: {status:?}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "process did not exit"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // New connections are refused once it has stopped.
    assert!(client.get(format!("{base}/healthz")).send().await.is_err());
}

use futures::StreamExt;
