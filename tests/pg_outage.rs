//! A real `rasid serve` on a real PostgreSQL that goes away under it and comes back: requests are
//! answered 503 `unavailable` in seconds rather than left hanging, and the server recovers by
//! itself. The cluster is this test's own (tests/common/postgres.rs), so stopping it disturbs no
//! other test. And a PostgreSQL that is up but holds a request (a table locked by someone else):
//! the request deadline answers it.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::postgres::Cluster;
use common::{Engine, Options, TestServer};
use rasid::server::DbLocation;
use serde_json::json;
use sqlx::Connection;

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn get(http: &reqwest::Client, url: &str, token: &str) -> (reqwest::StatusCode, serde_json::Value, Duration) {
    let started = Instant::now();
    let resp = http.get(url).bearer_auth(token).send().await.expect("an answer, not a dropped connection");
    let status = resp.status();
    let body = resp.json().await.unwrap_or(serde_json::Value::Null);
    (status, body, started.elapsed())
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_going_away_is_503_in_seconds_and_the_server_recovers_when_it_returns() {
    let Some(cluster) = Cluster::start_private() else { return };
    let db = cluster.create_database().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_rasid"))
            .args(["serve", "--dev", "--bind", &format!("127.0.0.1:{port}"), "--db", &db])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // A client that opens a new connection for each request, as a fresh browser tab would.
    let _ = common::http_client(); // installs the TLS provider reqwest needs to build a client
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let started = Instant::now();
    while http.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the server never answered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let token = login(&http, &base).await;
    let people = format!("{base}/api/v1/me/people");
    let (status, body, _) = get(&http, &people, &token).await;
    assert_eq!(status, 200, "{body}");

    cluster.stop();
    for _ in 0..3 {
        let (status, body, took) = get(&http, &people, &token).await;
        assert_eq!(status, 503, "{body}");
        assert_eq!(common::error_code(&body), "unavailable", "{body}");
        assert!(took < Duration::from_secs(10), "answered after {took:?}");
    }
    // What a load balancer's health check sees, as the OpenAPI document says.
    let (status, body, _) = get(&http, &format!("{base}/readyz"), &token).await;
    assert_eq!((status.as_u16(), common::error_code(&body)), (503, "unavailable"), "{body}");

    cluster.run();
    let back = Instant::now();
    loop {
        let (status, body, _) = get(&http, &people, &token).await;
        if status == 200 {
            assert!(body.as_array().is_some_and(|p| !p.is_empty()), "{body}");
            break;
        }
        assert_eq!(status, 503, "{body}");
        assert!(back.elapsed() < Duration::from_secs(30), "not recovered 30 s after PostgreSQL returned");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_the_database_holds_past_the_deadline_is_503_and_the_next_one_is_served() {
    if common::engine() != Engine::Postgres {
        return; // said loudly by common::postgres
    }
    let Some(url) = common::postgres::fresh_database().await else { return };
    let deadline = Duration::from_secs(1);
    let server = TestServer::start_with(Options {
        request_deadline: Some(deadline),
        location: Some(DbLocation::Postgres(url.clone())),
        ..Options::default()
    })
    .await;
    let token = server.token("abdullah01").await;
    let history = format!("/api/v1/people/{}/transactions?limit=10", rasid::server::seed::ABDULLAH);
    // Longer than the deadline, so a server without one fails here rather than hanging the test.
    let http = reqwest::Client::builder().timeout(Duration::from_secs(8)).build().unwrap();

    // Someone else's transaction holds the history: the page's read waits on the lock, for good.
    let mut holder = sqlx::PgConnection::connect(&url).await.unwrap();
    let mut held = holder.begin().await.unwrap();
    sqlx::query("LOCK TABLE transactions IN ACCESS EXCLUSIVE MODE").execute(&mut *held).await.unwrap();
    let started = Instant::now();
    let resp =
        http.get(server.url(&history)).bearer_auth(&token).send().await.expect("an answer within 8 s: the deadline");
    let took = started.elapsed();
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(common::error_code(&body), "unavailable", "{body}");
    assert!(took >= deadline && took < deadline * 4, "answered after {took:?}, the deadline is {deadline:?}");

    held.rollback().await.unwrap();
    let (status, body) = server.get(&history, Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["items"].as_array().is_some_and(|rows| !rows.is_empty()), "{body}");
}

/// What this database's backends other than `conn`'s are waiting on a lock.
async fn waiting_on_a_lock(conn: &mut sqlx::PgConnection) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() \
         AND wait_event_type = 'Lock'",
    )
    .fetch_one(conn)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_statement_held_by_a_lock_is_cancelled_by_postgresql_and_answered_503() {
    if common::engine() != Engine::Postgres {
        return; // said loudly by common::postgres
    }
    let Some(url) = common::postgres::fresh_database().await else { return };
    let statement_timeout = Duration::from_millis(1500);
    let with = |deadline| Options {
        request_deadline: Some(deadline),
        location: Some(DbLocation::Postgres(url.clone())),
        store: rasid::server::store::StoreOptions { statement_timeout: Some(statement_timeout), ..Default::default() },
        ..Options::default()
    };
    // The deadline first: the request is answered, and the statement it left behind is then
    // cancelled by PostgreSQL rather than left waiting for as long as the lock is held.
    let cut_short = TestServer::start_with(with(Duration::from_millis(500))).await;
    // The statement timeout first: PostgreSQL's cancel is the answer.
    let cancelled = TestServer::start_with(with(Duration::from_secs(10))).await;
    let history = format!("/api/v1/people/{}/transactions?limit=10", rasid::server::seed::ABDULLAH);
    let tokens = [cut_short.token("abdullah01").await, cancelled.token("abdullah01").await];

    let mut holder = sqlx::PgConnection::connect(&url).await.unwrap();
    let mut held = holder.begin().await.unwrap();
    sqlx::query("LOCK TABLE transactions IN ACCESS EXCLUSIVE MODE").execute(&mut *held).await.unwrap();
    let mut watcher = sqlx::PgConnection::connect(&url).await.unwrap();

    let (status, body) = cut_short.get(&history, Some(&tokens[0])).await;
    assert_eq!((status.as_u16(), common::error_code(&body)), (503, "unavailable"), "{body}");
    assert_eq!(waiting_on_a_lock(&mut watcher).await, 1, "the cut-short request's statement waits on");
    tokio::time::sleep(statement_timeout + Duration::from_millis(500)).await;
    assert_eq!(waiting_on_a_lock(&mut watcher).await, 0, "the statement outlived its timeout");

    let started = Instant::now();
    let (status, body) = cancelled.get(&history, Some(&tokens[1])).await;
    let took = started.elapsed();
    assert_eq!((status.as_u16(), common::error_code(&body)), (503, "unavailable"), "{body}");
    assert!(took >= statement_timeout && took < Duration::from_secs(5), "answered after {took:?}");
    held.rollback().await.unwrap();

    for (server, token) in [&cut_short, &cancelled].into_iter().zip(&tokens) {
        let (status, body) = server.get(&history, Some(token)).await;
        assert_eq!(status, 200, "{body}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_logout_the_database_could_not_record_can_be_tried_again_and_then_ends_the_session_everywhere() {
    if common::engine() != Engine::Postgres {
        return; // said loudly by common::postgres
    }
    let Some(url) = common::postgres::fresh_database().await else { return };
    let options = || Options {
        request_deadline: Some(Duration::from_secs(1)),
        location: Some(DbLocation::Postgres(url.clone())),
        ..Options::default()
    };
    let server = TestServer::start_with(options()).await;
    let other = TestServer::start_with(options()).await;
    for logout in ["/api/v1/logout", "/api/v1/logout/all"] {
        let token = server.token("abdullah01").await;
        let (status, body) = server.get("/api/v1/me/people", Some(&token)).await;
        assert_eq!(status, 200, "{body}");

        // Sessions can be read but not deleted: the logout's DELETE waits past the deadline.
        let mut holder = sqlx::PgConnection::connect(&url).await.unwrap();
        let mut held = holder.begin().await.unwrap();
        sqlx::query("LOCK TABLE sessions IN SHARE MODE").execute(&mut *held).await.unwrap();
        let (status, body) = server.post(logout, json!({}), Some(&token)).await;
        assert_eq!(status, 503, "{logout}: {body}");
        held.rollback().await.unwrap();

        // Not ended, so the client may try again, and this time it ends the session everywhere.
        // (The first DELETE, no longer awaited, may still commit once the lock is gone: then the
        // session has ended by the time the second arrives, and that one is told so.)
        let (status, body) = server.post(logout, json!({}), Some(&token)).await;
        assert!(status == 204 || status == 401, "{logout} tried again: {status} {body}");
        for instance in [&server, &other] {
            let (status, body) = instance.get("/api/v1/me/people", Some(&token)).await;
            assert_eq!(status, 401, "{logout}: {body}");
        }
    }
}

/// A whole login through the dev outbox: the session token.
async fn login(http: &reqwest::Client, base: &str) -> String {
    let post = |path: &str, body: serde_json::Value| {
        let request = http.post(format!("{base}{path}")).json(&body).send();
        async move { request.await.unwrap().json::<serde_json::Value>().await.unwrap() }
    };
    let outbox = || async {
        http.get(format!("{base}/api/v1/dev/outbox")).send().await.unwrap().json::<serde_json::Value>().await.unwrap()
    };
    let captcha = post("/api/v1/captcha", json!({})).await;
    let id = captcha["captcha_id"].clone();
    let answer =
        outbox().await["captchas"].as_array().unwrap().iter().find(|c| c["captcha_id"] == id).unwrap()["answer"]
            .clone();
    let body =
        json!({"username": "abdullah01", "password": common::PASSWORD, "captcha_id": id, "captcha_answer": answer});
    let challenge = post("/api/v1/login", body).await;
    let cid = challenge["challenge_id"].clone();
    let code =
        outbox().await["sms"].as_array().unwrap().iter().find(|s| s["challenge_id"] == cid).unwrap()["code"].clone();
    let session = post("/api/v1/login/otp", json!({"challenge_id": cid, "code": code})).await;
    session["token"].as_str().unwrap().to_owned()
}
