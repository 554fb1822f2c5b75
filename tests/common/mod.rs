//! A real server on 127.0.0.1 with a fresh database and a clock the test moves,
//! reached over real HTTP.
//!
//! The engine: SQLite in memory, or a fresh PostgreSQL database in the `pg_*` test binaries,
//! which compile the same test files again (tests/pg_api.rs is `#[path = "api.rs"] mod api;`).

#![allow(dead_code)]

pub mod postgres;
pub mod process;
pub mod pty;

use std::sync::Arc;

use chrono::TimeZone;
use rasid::api::{Captcha, DevOutbox, LoginChallenge, Session};
use rasid::server::auth::PasswordChecks;
use rasid::server::ratelimit::Limits;
use rasid::server::seed::{self, SeedOptions};
use rasid::server::store;
use rasid::server::{AppState, Clock, DbLocation, ManualClock, RunningServer, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub const PASSWORD: &str = seed::DEMO_PASSWORD;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// This test binary's engine: PostgreSQL in the `pg_*` binaries (SQLite, loudly, where PostgreSQL
/// is missing and not required), SQLite in the others.
pub fn engine() -> Engine {
    if env!("CARGO_CRATE_NAME").starts_with("pg_") && postgres::shared().is_some() {
        Engine::Postgres
    } else {
        Engine::Sqlite
    }
}

/// A fresh, empty database on this binary's engine.
pub async fn fresh_location() -> DbLocation {
    match engine() {
        Engine::Sqlite => DbLocation::Memory,
        Engine::Postgres => DbLocation::Postgres(postgres::fresh_database().await.expect("a PostgreSQL database")),
    }
}

/// A store over a fresh, empty database on this binary's engine.
pub async fn fresh_store() -> Store {
    Store::open(&fresh_location().await).await.expect("open store")
}

/// What `rasid serve --db` is given for a fresh database on this binary's engine: a file in `dir`
/// (kept by the caller), or a new PostgreSQL database's URL.
pub async fn fresh_db_arg(dir: &std::path::Path) -> String {
    match fresh_location().await {
        DbLocation::Postgres(url) => url,
        _ => dir.join("rasid.db").to_string_lossy().into_owned(),
    }
}

pub struct TestServer {
    pub server: RunningServer,
    pub clock: ManualClock,
    pub store: Store,
    pub http: reqwest::Client,
    pub passwords: Arc<PasswordChecks>,
}

pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().expect("reqwest client")
}

/// 2026-11-25 10:00 in Riyadh.
pub fn start_time() -> i64 {
    chrono::FixedOffset::east_opt(3 * 3600).unwrap().with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap().timestamp()
}

pub struct Options {
    pub dev: bool,
    pub workers: u32,
    pub limits: Limits,
    /// Password checks at once (the server's default: one a core).
    pub password_checks: Option<usize>,
    /// A database file instead of memory.
    pub db_file: Option<std::path::PathBuf>,
    /// `--trusted-proxy`.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// The most rows a text search may read before it is refused.
    pub scan_limit: u64,
    /// The longest a request is served (the server's default when `None`).
    pub request_deadline: Option<std::time::Duration>,
    /// This database instead of a fresh one of the binary's engine (or `db_file`).
    pub location: Option<DbLocation>,
    pub store: store::StoreOptions,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dev: true,
            workers: SeedOptions::DEMO.workers,
            limits: Limits::default(),
            password_checks: None,
            db_file: None,
            trusted_proxy: None,
            scan_limit: store::DEFAULT_SCAN_LIMIT,
            request_deadline: None,
            location: None,
            store: store::StoreOptions::default(),
        }
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> TestServer {
        let clock = ManualClock::new(start_time());
        let location = match (options.location.clone(), options.db_file.clone()) {
            (Some(location), _) => location,
            (None, Some(file)) => DbLocation::File(file),
            (None, None) => fresh_location().await,
        };
        let store =
            Store::open_with(&location, options.store).await.expect("open store").with_scan_limit(options.scan_limit);
        seed::seed_demo(&store, clock.today(), SeedOptions { workers: options.workers, ..SeedOptions::DEMO })
            .await
            .expect("seed");
        let mut state = AppState::new(store.clone(), Arc::new(clock.clone()), options.dev, options.limits)
            .with_trusted_proxy(options.trusted_proxy);
        if let Some(n) = options.password_checks {
            state = state.with_password_checks(n);
        }
        if let Some(deadline) = options.request_deadline {
            state = state.with_request_deadline(deadline);
        }
        let passwords = Arc::clone(&state.passwords);
        let server = rasid::server::spawn("127.0.0.1:0".parse().unwrap(), state).await.expect("spawn server");
        TestServer { server, clock, store, http: http_client(), passwords }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.url(), path)
    }

    pub async fn post(&self, path: &str, body: Value, token: Option<&str>) -> (StatusCode, Value) {
        Self::send(self.http.post(self.url(path)).json(&body), token).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        Self::send(self.http.get(self.url(path)), token).await
    }

    async fn send(mut req: reqwest::RequestBuilder, token: Option<&str>) -> (StatusCode, Value) {
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn outbox(&self) -> DevOutbox {
        let (status, body) = self.get("/api/v1/dev/outbox", None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).expect("outbox")
    }

    /// How many image codes the server has issued so far.
    pub async fn captchas_issued(&self) -> usize {
        self.outbox().await.captchas.len()
    }

    /// The answer to the newest image code once there are more than `seen`: what an app that asked
    /// for one after the count was taken has on screen, however far it has drawn it.
    pub async fn captcha_after(&self, seen: usize) -> String {
        let start = std::time::Instant::now();
        loop {
            if let Some(newest) = self.outbox().await.captchas.into_iter().skip(seen).last() {
                return newest.answer;
            }
            assert!(start.elapsed() < std::time::Duration::from_secs(20), "no image code after the first {seen}");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// A fresh image code and its answer, read from the dev outbox.
    pub async fn captcha(&self) -> (String, String) {
        let (status, body) = self.post("/api/v1/captcha", json!({}), None).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let captcha: Captcha = serde_json::from_value(body).expect("captcha");
        let outbox = self.outbox().await;
        let entry =
            outbox.captchas.iter().rev().find(|c| c.captcha_id == captcha.captcha_id).expect("answer in outbox");
        (captcha.captcha_id, entry.answer.clone())
    }

    pub async fn login_step(&self, username: &str, password: &str) -> (StatusCode, Value) {
        let (captcha_id, answer) = self.captcha().await;
        self.post(
            "/api/v1/login",
            json!({"username": username, "password": password, "captcha_id": captcha_id, "captcha_answer": answer}),
            None,
        )
        .await
    }

    pub async fn sms_code(&self, challenge_id: &str) -> String {
        let outbox = self.outbox().await;
        outbox.sms.iter().rev().find(|s| s.challenge_id == challenge_id).expect("sms in outbox").code.clone()
    }

    /// The whole login: image code, password, SMS code. Returns the session.
    pub async fn login(&self, username: &str) -> Session {
        let (status, body) = self.login_step(username, PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let challenge: LoginChallenge = serde_json::from_value(body).unwrap();
        let code = self.sms_code(&challenge.challenge_id).await;
        let (status, body) =
            self.post("/api/v1/login/otp", json!({"challenge_id": challenge.challenge_id, "code": code}), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).unwrap()
    }

    pub async fn token(&self, username: &str) -> String {
        self.login(username).await.token.expose().to_owned()
    }

    pub async fn inquire(&self, token: &str, id_number: &str) -> (StatusCode, Value) {
        let (captcha_id, answer) = self.captcha().await;
        self.post(
            "/api/v1/inquiries/payments-balance",
            json!({"id_number": id_number, "captcha_id": captcha_id, "captcha_answer": answer}),
            Some(token),
        )
        .await
    }

    /// Every page of a history, following `next_cursor`.
    pub async fn all_transactions(&self, token: &str, id: &str, query: &str) -> (Vec<Value>, Vec<u64>) {
        let mut items = Vec::new();
        let mut totals = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/people/{id}/transactions?{query}");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let (status, body) = self.get(&path, Some(token)).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            totals.push(body["total_count"].as_u64().unwrap());
            items.extend(body["items"].as_array().unwrap().iter().cloned());
            match body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        (items, totals)
    }
}

pub fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<no error envelope>")
}

/// `number` stands in `text` on its own, not as part of a longer number (a timestamp, a port).
pub fn contains_number(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}
