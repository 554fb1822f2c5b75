//! What depends on how the server is deployed: who a client is behind a proxy, how long a
//! connection may dawdle. Over real HTTP (and raw TCP where a client misbehaves).

mod common;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use common::{Options, TestServer, error_code};
use rasid::server::ratelimit::Limits;
use rasid::server::seed::{self, SeedOptions};
use rasid::server::{AppState, Clock, DbLocation, ManualClock, RunningServer, ServeOptions, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LOOPBACK: &str = "127.0.0.1";

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

async fn post_as(http: &reqwest::Client, url: String, forwarded_for: &str, body: Value) -> (StatusCode, Value) {
    let resp = http.post(url).header("x-forwarded-for", forwarded_for).json(&body).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Image codes asked for under each X-Forwarded-For, in order: the statuses.
async fn captcha_statuses(base: &str, forwarded_for: &[&str]) -> Vec<u16> {
    let http = common::http_client();
    let mut statuses = Vec::new();
    for xff in forwarded_for {
        statuses.push(post_as(&http, format!("{base}/api/v1/captcha"), xff, json!({})).await.0.as_u16());
    }
    statuses
}

fn two_captchas_a_minute(trusted_proxy: Option<IpAddr>) -> Options {
    Options { limits: Limits { captcha_per_minute: 2, ..Limits::default() }, trusted_proxy, ..Options::default() }
}

#[tokio::test]
async fn only_the_trusted_proxy_x_forwarded_for_separates_clients() {
    let sent = ["198.51.100.1", "198.51.100.1", "198.51.100.2"];

    let plain = TestServer::start_with(two_captchas_a_minute(None)).await;
    assert_eq!(captcha_statuses(&plain.server.url(), &sent).await, [201, 201, 429], "no proxy trusted: one budget");

    let other = TestServer::start_with(two_captchas_a_minute(Some(ip("192.0.2.1")))).await;
    assert_eq!(captcha_statuses(&other.server.url(), &sent).await, [201, 201, 429], "a peer that is not the proxy");

    let proxied = TestServer::start_with(two_captchas_a_minute(Some(ip(LOOPBACK)))).await;
    let client_a_again = "198.51.100.1";
    assert_eq!(
        captcha_statuses(&proxied.server.url(), &[sent[0], sent[1], sent[2], client_a_again]).await,
        [201, 201, 201, 429],
        "behind the trusted proxy each client has its own budget"
    );
    // What a client writes before the proxy's own entry proves nothing: still client A.
    assert_eq!(captcha_statuses(&proxied.server.url(), &["203.0.113.9, 198.51.100.1"]).await, [429]);
}

#[tokio::test]
async fn behind_the_trusted_proxy_an_image_code_counts_only_for_the_client_it_was_issued_to() {
    let s = TestServer::start_with(Options { trusted_proxy: Some(ip(LOOPBACK)), ..Options::default() }).await;
    let login = |captcha_id: &str, answer: &str| json!({"username": "abdullah01", "password": common::PASSWORD, "captcha_id": captcha_id, "captcha_answer": answer});
    let issue = async |xff: &str| {
        let (status, body) = post_as(&s.http, s.url("/api/v1/captcha"), xff, json!({})).await;
        assert_eq!(status, StatusCode::CREATED);
        let id = body["captcha_id"].as_str().unwrap().to_owned();
        let answer = s.outbox().await.captchas.into_iter().find(|c| c.captcha_id == id).unwrap().answer;
        (id, answer)
    };

    let (id, answer) = issue("198.51.100.7").await;
    let (status, body) = post_as(&s.http, s.url("/api/v1/login"), "198.51.100.8", login(&id, &answer)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "captcha_invalid"), "another client's code");

    let (id, answer) = issue("198.51.100.7").await;
    let (status, body) = post_as(&s.http, s.url("/api/v1/login"), "198.51.100.7", login(&id, &answer)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn server_on(bind: &str, options: Options, serve: ServeOptions) -> RunningServer {
    let clock = ManualClock::new(common::start_time());
    let store = Store::open(&DbLocation::Memory).await.unwrap();
    seed::seed_demo(&store, clock.today(), SeedOptions { workers: 1, ..SeedOptions::DEMO }).await.unwrap();
    let state =
        AppState::new(store, Arc::new(clock), options.dev, options.limits).with_trusted_proxy(options.trusted_proxy);
    rasid::server::spawn_with(bind.parse().unwrap(), state, serve).await.unwrap()
}

#[tokio::test]
async fn ipv6_clients_count_by_their_64() {
    let server = server_on("[::1]:0", two_captchas_a_minute(Some(ip("::1"))), ServeOptions::default()).await;
    let one_64 = ["2001:db8:aa:1::1", "2001:db8:aa:1:ffff:ffff:ffff:ffff", "2001:db8:aa:1::2"];
    assert_eq!(captcha_statuses(&server.url(), &one_64).await, [201, 201, 429], "one /64, one budget");
    assert_eq!(captcha_statuses(&server.url(), &["2001:db8:aa:2::1"]).await, [201], "the next /64 is another client");
}

/// Reads until the server closes the connection; `None` if it is still open after `wait`.
async fn read_until_closed(stream: &mut TcpStream, wait: Duration) -> Option<Vec<u8>> {
    let mut received = Vec::new();
    let read_all = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(wait, read_all).await.ok().map(|()| received)
}

fn one_second_to_send_headers() -> ServeOptions {
    ServeOptions { header_read_timeout: Duration::from_secs(1) }
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_dropped() {
    let server = server_on("127.0.0.1:0", Options::default(), one_second_to_send_headers()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: rasid\r\nX-Slow: ").await.unwrap();
    let answer = read_until_closed(&mut stream, Duration::from_secs(8)).await;
    let answer = answer.expect("the server still holds a half-sent request open");
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"), "the request was never whole");

    // A client that sends its request in time is served as before.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: rasid\r\nConnection: close\r\n\r\n").await.unwrap();
    let answer = read_until_closed(&mut stream, Duration::from_secs(8)).await.unwrap();
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200 OK"));
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let server = server_on("127.0.0.1:0", Options::default(), one_second_to_send_headers()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: rasid\r\n\r\n").await.unwrap();
    let answer = read_until_closed(&mut stream, Duration::from_secs(8)).await;
    let answer = answer.expect("the server keeps an idle connection open");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200 OK"), "the request itself was answered");
}
