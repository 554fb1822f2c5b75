//! HTTP hygiene on every answer (DESIGN.md, second stage): headers, request ids, the bearer scheme,
//! and the error envelope on the statuses hyper and the limits produce. Over real HTTP, and raw TCP
//! where a client sends what reqwest would not.

mod common;

use common::TestServer;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::json;

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
