//! `GET /metrics` on `--metrics-bind`: what an operator scrapes after users walked the API.

mod common;

use std::time::Duration;

use common::process::{self, ServeProcess, get, post, sample};
use reqwest::StatusCode;
use serde_json::json;

const ABDULLAH: &str = "1057830869";

#[tokio::test(flavor = "multi_thread")]
async fn a_scrape_after_a_walk_counts_routes_refusals_and_logouts_on_its_own_listener() {
    let mut server = ServeProcess::spawn(&["--dev"], true);
    let http = process::fresh_client();
    server.ready(&http, Duration::from_secs(30)).await;
    let base = server.base.clone();

    let token = process::login(&http, &base, "abdullah01").await;
    let (status, _) =
        get(&http, server.url(&format!("/api/v1/people/{ABDULLAH}/transactions?limit=5")), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get(&http, server.url("/api/v1/people/1000000008/transactions"), Some(&token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post(&http, server.url("/api/v1/logout"), json!({}), Some(&token)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = get(&http, server.url("/api/v1/me/people"), Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session ended");
    // A method of the caller's own makes no series of its own, and names no ID number.
    let odd = reqwest::Method::from_bytes(b"X1057830869").unwrap();
    let status = http.request(odd, server.url("/api/v1/me/people")).send().await.unwrap().status();
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let second = process::login(&http, &base, "abdullah01").await;
    let (status, _) = post(&http, server.url("/api/v1/logout/all"), json!({}), Some(&second)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // 60 logins a minute from one address; past them a login is refused before its image code is
    // looked at. (A minute turning midway only makes the loop longer.)
    let bogus = json!({"username": "nobody", "password": "x", "captcha_id": "x", "captcha_answer": "x"});
    let mut bad_codes = 0;
    loop {
        match post(&http, server.url("/api/v1/login"), bogus.clone(), None).await.0 {
            StatusCode::BAD_REQUEST => bad_codes += 1,
            StatusCode::TOO_MANY_REQUESTS => break,
            other => panic!("{other}"),
        }
        assert!(bad_codes < 200, "never rate-limited");
    }

    let metrics = server.metrics.clone().unwrap();
    let resp = http.get(format!("{metrics}/metrics")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("application/openmetrics-text"), "{content_type}");
    let scrape = resp.text().await.unwrap();

    let requests = |method: &str, route: &str, status: u16| {
        sample(&scrape, &format!(r#"rasid_http_requests_total{{method="{method}",route="{route}",status="{status}"}}"#))
    };
    assert_eq!(requests("POST", "/api/v1/captcha", 201), Some(2.0), "two logins: {scrape}");
    assert_eq!(requests("POST", "/api/v1/login", 200), Some(2.0), "two logins: {scrape}");
    assert_eq!(requests("POST", "/api/v1/login", 400), Some(f64::from(bad_codes)), "bogus image codes: {scrape}");
    assert_eq!(requests("POST", "/api/v1/login", 429), Some(1.0), "{scrape}");
    assert_eq!(requests("POST", "/api/v1/login/otp", 200), Some(2.0), "two logins: {scrape}");
    assert_eq!(requests("GET", "/api/v1/people/{id}/transactions", 200), Some(1.0), "{scrape}");
    assert_eq!(requests("GET", "/api/v1/people/{id}/transactions", 403), Some(1.0), "{scrape}");
    assert_eq!(requests("POST", "/api/v1/logout", 204), Some(1.0), "{scrape}");
    assert_eq!(requests("GET", "/api/v1/me/people", 401), Some(1.0), "{scrape}");
    assert!(!scrape.contains(ABDULLAH) && !scrape.contains("1000000008"), "no raw path in a label:\n{scrape}");
    let latency = r#"rasid_http_request_duration_seconds_count{method="GET",route="/api/v1/people/{id}/transactions"}"#;
    assert_eq!(sample(&scrape, latency), Some(2.0), "{scrape}");
    let slowest = r#"rasid_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/v1/people/{id}/transactions"}"#;
    assert_eq!(sample(&scrape, slowest), Some(2.0), "{scrape}");

    assert_eq!(sample(&scrape, r#"rasid_rate_limited_total{limit="login_per_address"}"#), Some(1.0), "{scrape}");
    assert_eq!(sample(&scrape, r#"rasid_sessions_revoked_total{how="logout"}"#), Some(1.0), "{scrape}");
    assert!(sample(&scrape, r#"rasid_sessions_revoked_total{how="logout_all"}"#).is_some_and(|n| n >= 1.0), "{scrape}");
    assert_eq!(requests("other", "/api/v1/me/people", 405), Some(1.0), "{scrape}");
    assert!(
        !scrape.contains("X1057830869"),
        "a caller's method is not a label:
{scrape}"
    );
    let pool_max = sample(&scrape, "rasid_db_pool_max").expect("pool size in the scrape");
    assert!(pool_max >= 1.0, "{scrape}");
    assert!(sample(&scrape, "rasid_db_pool_connections").is_some_and(|n| n >= 1.0 && n <= pool_max), "{scrape}");
    assert!(sample(&scrape, "rasid_db_pool_acquire_wait_seconds").is_some_and(|s| s >= 0.0), "{scrape}");

    // The public listener has no /metrics.
    let (status, body) = get(&http, server.url("/metrics"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(common::error_code(&body), "not_found");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_metrics_bind_no_listener_serves_metrics() {
    let mut server = ServeProcess::spawn(&["--dev"], false);
    let http = process::fresh_client();
    server.ready(&http, Duration::from_secs(30)).await;
    assert_eq!(get(&http, server.url("/metrics"), None).await.0, StatusCode::NOT_FOUND);
    assert!(!server.stderr().contains("metrics listening"), "{}", server.stderr());
}
