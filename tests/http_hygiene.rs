//! HTTP hygiene on every answer (DESIGN.md, second stage): headers, request ids, the bearer scheme,
//! and the error envelope on the statuses hyper and the limits produce. Over real HTTP, and raw TCP
//! where a client sends what reqwest would not.

mod common;

use std::time::Duration;

use common::{TestServer, error_code};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn assert_security_headers(what: &str, headers: &HeaderMap) {
    for (name, value) in [
        ("cache-control", "no-store"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
    ] {
        assert_eq!(headers.get(name).and_then(|v| v.to_str().ok()), Some(value), "{what}: {name}");
    }
}

#[tokio::test]
async fn every_api_answer_forbids_caching_sniffing_framing_and_referrers() {
    let s = TestServer::start().await;
    let (status, challenge) = s.login_step("abdullah01", common::PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let challenge_id = challenge["challenge_id"].as_str().unwrap();
    let code = s.sms_code(challenge_id).await;
    let resp = s.http.post(s.url("/api/v1/login/otp")).json(&json!({"challenge_id": challenge_id, "code": code}));
    let resp = resp.send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_security_headers("the answer carrying the session token", resp.headers());
    let token = resp.json::<serde_json::Value>().await.unwrap()["token"].as_str().unwrap().to_owned();

    let resp = s.http.get(s.url("/api/v1/services")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_security_headers("a success", resp.headers());
    let resp = s.http.get(s.url("/api/v1/services")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_security_headers("a 401", resp.headers());
    let resp = s.http.get(s.url("/api/v1/no-such-thing")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_security_headers("a 404", resp.headers());
}

#[tokio::test]
async fn a_request_id_is_kept_only_when_short_and_plain() {
    let s = TestServer::start().await;
    let echoed = async |id: reqwest::header::HeaderValue| {
        let resp = s.http.get(s.url("/api/v1/services")).header("x-request-id", id).send().await.unwrap();
        resp.headers()["x-request-id"].to_str().unwrap().to_owned()
    };
    assert_eq!(echoed("trace-me-42".parse().unwrap()).await, "trace-me-42");
    let forged = [
        "x".repeat(5000),
        "1 method=POST path=/api/v1/login/otp}: rasid: session started".to_owned(),
        "line\u{2028}break\u{85}next".to_owned(),
    ];
    for id in forged {
        let header = reqwest::header::HeaderValue::from_bytes(id.as_bytes()).unwrap();
        let got = echoed(header).await;
        assert_ne!(got, id);
        assert!(
            (1..=64).contains(&got.len()) && got.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)),
            "{got:?} replaces {id:?}"
        );
    }
}

#[tokio::test]
async fn a_401_names_the_bearer_scheme_and_the_scheme_is_case_insensitive() {
    let s = TestServer::start().await;
    let resp = s.http.get(s.url("/api/v1/me/people")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.headers()["www-authenticate"], "Bearer");
    let resp = s.http.get(s.url("/api/v1/me/people")).header("authorization", "Bearer not-a-session").send().await;
    assert_eq!(resp.unwrap().headers()["www-authenticate"], "Bearer", "a dead token too");

    let token = s.token("abdullah01").await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let resp = s.http.get(s.url("/api/v1/me/people")).header("authorization", format!("{scheme} {token}"));
        assert_eq!(resp.send().await.unwrap().status(), StatusCode::OK, "{scheme}");
    }
    for wrong in [format!("Basic {token}"), format!("Bearer{token}"), token.clone()] {
        let resp = s.http.get(s.url("/api/v1/me/people")).header("authorization", &wrong).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{wrong}");
    }
}

/// An error answer a client can read: the status, a JSON content type and the envelope's code.
async fn assert_envelope(resp: reqwest::Response, status: StatusCode, code: &str) {
    assert_eq!(resp.status(), status);
    let content_type = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(content_type.as_deref(), Some("application/json"), "{status}");
    assert_security_headers(status.as_str(), resp.headers());
    let body: Value = resp.json().await.unwrap();
    assert_eq!(error_code(&body), code, "{body}");
    assert!(!body["error"]["message"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn a_20_kb_address_gets_414_with_the_error_envelope() {
    let s = TestServer::start().await;
    let token = s.token("abdullah01").await;
    let long = format!("/api/v1/people/1057830869/transactions?q={}", "a".repeat(20 * 1024));
    let resp = s.http.get(s.url(&long)).bearer_auth(&token).send().await.unwrap();
    assert_envelope(resp, StatusCode::URI_TOO_LONG, "bad_request").await;
}

#[tokio::test]
async fn a_hundred_headers_of_1_kb_get_431_with_the_error_envelope() {
    let s = TestServer::start().await;
    let mut req = s.http.get(s.url("/api/v1/services"));
    for i in 0..100 {
        req = req.header(format!("x-filler-{i}"), "f".repeat(1024));
    }
    assert_envelope(req.send().await.unwrap(), StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "bad_request").await;
}

/// Sends `request` on a fresh connection and reads one answer, head and body.
async fn raw_exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let read = async {
        let mut received = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let text = String::from_utf8_lossy(&received).into_owned();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|n| n.trim().to_owned()))
                    .and_then(|n| n.parse::<usize>().ok());
                if length.is_some_and(|n| received.len() >= end + 4 + n) {
                    return text;
                }
            }
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return String::from_utf8_lossy(&received).into_owned(),
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read).await.expect("an answer within 10 s")
}

#[tokio::test]
async fn a_body_declared_too_large_gets_413_before_100_continue() {
    let s = TestServer::start().await;
    let request = "POST /api/v1/login HTTP/1.1\r\nHost: rasid\r\nContent-Type: application/json\r\n\
                   Content-Length: 1000000\r\nExpect: 100-continue\r\n\r\n";
    let answer = raw_exchange(s.server.addr, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 413 "), "the first line answers the request, not 100 Continue:\n{answer}");
    assert!(!answer.contains("100 Continue"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("content-type: application/json"), "{answer}");
    let body: Value = serde_json::from_str(&answer[answer.find("\r\n\r\n").unwrap() + 4..]).unwrap();
    assert_eq!(error_code(&body), "payload_too_large");

    // A body that fits is still read after 100 Continue.
    let request = "POST /api/v1/login HTTP/1.1\r\nHost: rasid\r\nContent-Type: application/json\r\n\
                   Content-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n{}";
    let answer = raw_exchange(s.server.addr, request.as_bytes()).await;
    assert!(answer.contains("HTTP/1.1 400 "), "{answer}");
}

/// The status and the envelope's code of a raw answer, after checking it is JSON with the security headers.
fn raw_envelope(answer: &str) -> (u16, String) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no head:\n{answer}"));
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("content-type: application/json"), "{answer}");
    assert!(lower.contains("cache-control: no-store") && lower.contains("x-content-type-options: nosniff"), "{head}");
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {answer}"));
    assert!(!body["error"]["message"].as_str().unwrap_or_default().is_empty(), "{body}");
    (status, error_code(&body).to_owned())
}

#[tokio::test]
async fn requests_hyper_cannot_parse_get_the_error_envelope_too() {
    let s = TestServer::start().await;
    let garbage = raw_exchange(s.server.addr, b"NOT HTTP AT ALL\r\n\r\n").await;
    assert_eq!(raw_envelope(&garbage), (400, "bad_request".to_owned()));
    let bad_header = raw_exchange(s.server.addr, b"GET /healthz HTTP/1.1\r\nHost rasid\r\n\r\n").await;
    assert_eq!(raw_envelope(&bad_header), (400, "bad_request".to_owned()));

    // Past the parser's own limits: more header lines than it reads, a path longer than it takes.
    let many: String = (0..300).map(|i| format!("x-h{i}: 1\r\n")).collect();
    let request = format!("GET /healthz HTTP/1.1\r\nHost: rasid\r\n{many}\r\n");
    assert_eq!(raw_envelope(&raw_exchange(s.server.addr, request.as_bytes()).await), (431, "bad_request".to_owned()));
    let request = format!("GET /healthz?q={} HTTP/1.1\r\nHost: rasid\r\n\r\n", "a".repeat(70_000));
    assert_eq!(raw_envelope(&raw_exchange(s.server.addr, request.as_bytes()).await), (414, "bad_request".to_owned()));

    // The connection's ordinary answers pass as they were.
    let ok = raw_exchange(s.server.addr, b"GET /healthz HTTP/1.1\r\nHost: rasid\r\nConnection: close\r\n\r\n").await;
    assert!(ok.starts_with("HTTP/1.1 200 "), "{ok}");
}
