//! What the server writes to its log during a whole session holds no secret.
//! Alone in its test binary: tracing caches per process which callsites are
//! off, so a test next to others that ran without a subscriber would miss lines.

mod common;

use common::{PASSWORD, TestServer};
use rasid::server::seed::{ABDULLAH, NOURA};
use reqwest::StatusCode;
use serde_json::json;

/// Collects what the server logs, at every level, for the test's thread.
#[derive(Clone, Default)]
struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn secrets_never_reach_the_server_log() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let s = TestServer::start().await;
    let (captcha_id, answer) = s.captcha().await;
    let (status, challenge) = s
        .post(
            "/api/v1/login",
            json!({"username": "abdullah01", "password": PASSWORD, "captcha_id": captcha_id, "captcha_answer": answer}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let code = s.sms_code(challenge["challenge_id"].as_str().unwrap()).await;
    let (status, session) =
        s.post("/api/v1/login/otp", json!({"challenge_id": challenge["challenge_id"], "code": code}), None).await;
    assert_eq!(status, StatusCode::OK);
    let token = session["token"].as_str().unwrap().to_owned();
    let (status, _) = s.inquire(&token, NOURA).await;
    assert_eq!(status, StatusCode::OK);
    let (_, _) = s.login_step("abdullah01", "Wrong@2026").await;
    let (status, _) = s.get(&format!("/api/v1/people/{ABDULLAH}/transactions?limit=5"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    // A caller's request id that would fill the log, or write fields that read as another request's.
    let forged = ["x".repeat(5000), "forged method=POST path=/api/v1/login/otp}: session started".to_owned()];
    for id in &forged {
        let resp = s.http.get(s.url("/readyz")).header("x-request-id", id).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("session started"), "the log was captured:\n{text}");
    // ID numbers are personal data: a path is logged as its route's template.
    assert!(text.contains("path=/api/v1/people/{id}/transactions"), "{text}");
    assert!(!common::contains_number(&text, ABDULLAH), "an ID number is in the log:\n{text}");
    assert!(!text.contains(&"x".repeat(65)) && !text.contains("forged"), "a caller's id is in the log as sent");
    for secret in [PASSWORD, "Wrong@2026", &token] {
        assert!(!text.contains(secret), "{secret:?} is in the log");
    }
    // Four digits also occur inside timestamps and latencies: look for the answer on its own.
    assert!(!common::contains_number(&text, &answer), "the image-code answer {answer:?} is in the log");
    assert!(
        !text.contains(&format!("code: {code}")) && !text.contains(&format!("\"{code}\"")),
        "the SMS code is in the log"
    );
}
