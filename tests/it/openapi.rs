use serde_json::Value;

use crate::support::{spawn, Fetch};

/// Every `/api/v1` path literal routed in src/web/ (via `.route(` or `Routes::add`).
fn routed_api_paths() -> Vec<String> {
    let mut out = Vec::new();
    // Route modules sit in one folder per audience (src/web/api/, src/web/staff/, ...).
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/web"
    ))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/web") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for path in files {
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("openapi.rs") {
            continue;
        }
        let src = std::fs::read_to_string(&path).expect("read");
        let lines: Vec<&str> = src.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            // A path literal on a `.route(` / `.add(` line or on the line after it.
            let ctx = if i > 0 {
                format!("{}{}", lines[i - 1], line)
            } else {
                line.to_string()
            };
            if !(ctx.contains(".route(") || ctx.contains(".add(")) {
                continue;
            }
            for part in line.split('"').skip(1).step_by(2) {
                if part.starts_with("/api/v1/") || part == "/api/v1" {
                    out.push(part.to_string());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
async fn every_api_route_is_documented_in_a_valid_openapi_3_document() {
    let app = spawn().await;
    let r = app.client.fetch(app.url("/api/openapi.json")).await;
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    let doc: Value = r.json().await.expect("json");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let paths = doc["paths"].as_object().expect("paths");
    let routed = routed_api_paths();
    assert!(routed.len() >= 10, "found routes: {routed:?}");
    for p in &routed {
        let documented = p.replace("{code}", "{tracking_code}");
        assert!(
            paths.contains_key(&documented) || paths.contains_key(p),
            "{p} is routed but not in /api/openapi.json"
        );
    }
    for (p, ops) in paths {
        assert!(
            routed
                .iter()
                .any(|r| r == p || r.replace("{code}", "{tracking_code}") == *p),
            "{p} documented but not routed"
        );
        for (_, op) in ops.as_object().expect("ops") {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{p} has responses"
            );
        }
    }
    // Every operation documents the common 503; the upload its 400 and 415 (Schemathesis findings).
    for (p, ops) in paths {
        for (m, op) in ops.as_object().expect("ops") {
            assert!(op["responses"]["503"].is_object(), "{m} {p} documents 503");
        }
    }
    let upload = &paths["/api/v1/complaints/{tracking_code}/evidence"]["post"];
    for code in ["400", "415", "422"] {
        assert!(
            upload["responses"][code].is_object(),
            "upload documents {code}"
        );
    }
    assert!(
        upload["requestBody"]["content"]["multipart/form-data"]["schema"].is_object(),
        "upload body has a schema"
    );
    // Schemas referenced by the document exist.
    let text = doc.to_string();
    for name in [
        "IntakeDocument",
        "ComplaintCreated",
        "ValidationErrors",
        "ErrorBody",
        "CaseList",
    ] {
        assert!(
            text.contains(&format!("#/components/schemas/{name}")),
            "{name} referenced"
        );
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{name} defined"
        );
    }
}
