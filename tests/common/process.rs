//! `rasid serve` as a real process (the built binary), for tests that need what only a process
//! has: its command line, its own listeners, several instances on one database, SIGKILL.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

pub struct ServeProcess {
    pub child: Child,
    pub base: String,
    /// `http://ADDR` of `--metrics-bind`, when asked for.
    pub metrics: Option<String>,
    /// The server's stderr, kept for a failing test to show.
    log: tempfile::NamedTempFile,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl ServeProcess {
    /// `rasid serve --bind 127.0.0.1:PORT ARGS…`, with `--metrics-bind` on a port of its own when `metrics`.
    pub fn spawn(args: &[&str], metrics: bool) -> ServeProcess {
        let port = free_port();
        let log = tempfile::NamedTempFile::new().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_rasid"));
        command.args(["serve", "--bind", &format!("127.0.0.1:{port}")]).args(args);
        let metrics = metrics.then(|| {
            let addr = format!("127.0.0.1:{}", free_port());
            command.args(["--metrics-bind", &addr]);
            format!("http://{addr}")
        });
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::from(log.reopen().unwrap()))
            .spawn()
            .expect("start rasid serve");
        ServeProcess { child, base: format!("http://127.0.0.1:{port}"), metrics, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// Waits until `/readyz` answers 200 (the database migrated, seeded and answering).
    pub async fn ready(&mut self, http: &reqwest::Client, within: Duration) {
        let start = Instant::now();
        loop {
            if let Ok(resp) = http.get(self.url("/readyz")).send().await
                && resp.status() == StatusCode::OK
            {
                return;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("rasid serve exited ({status}) before it was ready:\n{}", self.stderr());
            }
            assert!(start.elapsed() < within, "rasid serve was not ready within {within:?}:\n{}", self.stderr());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A client that opens a new connection for every request, so requests sent together really are
/// at once and no connection outlives a killed server.
pub fn fresh_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().pool_max_idle_per_host(0).timeout(Duration::from_secs(30)).build().unwrap()
}

pub async fn send(req: reqwest::RequestBuilder, token: Option<&str>) -> (StatusCode, Value) {
    let req = match token {
        Some(t) => req.bearer_auth(t),
        None => req,
    };
    let resp = req.send().await.expect("request");
    let status = resp.status();
    let text = resp.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn post(http: &reqwest::Client, url: String, body: Value, token: Option<&str>) -> (StatusCode, Value) {
    send(http.post(url).json(&body), token).await
}

pub async fn get(http: &reqwest::Client, url: String, token: Option<&str>) -> (StatusCode, Value) {
    send(http.get(url), token).await
}

/// A new image code from `base` and its answer from that server's dev outbox.
pub async fn captcha(http: &reqwest::Client, base: &str) -> (String, String) {
    let (status, body) = post(http, format!("{base}/api/v1/captcha"), json!({}), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["captcha_id"].as_str().unwrap().to_owned();
    let answer = dev_captcha_answer(http, base, &id).await;
    (id, answer)
}

/// The answer of image code `id` as `base`'s outbox shows it.
pub async fn dev_captcha_answer(http: &reqwest::Client, base: &str, id: &str) -> String {
    let (status, outbox) = get(http, format!("{base}/api/v1/dev/outbox"), None).await;
    assert_eq!(status, StatusCode::OK, "{outbox}");
    let entry = outbox["captchas"].as_array().unwrap().iter().rev().find(|c| c["captcha_id"] == id);
    entry.expect("the image code's answer in the outbox")["answer"].as_str().unwrap().to_owned()
}

/// The password step of a login on `base`, with an image code from `base`.
pub async fn login_step(http: &reqwest::Client, base: &str, username: &str, password: &str) -> (StatusCode, Value) {
    let (captcha_id, answer) = captcha(http, base).await;
    let body = json!({"username": username, "password": password, "captcha_id": captcha_id, "captcha_answer": answer});
    post(http, format!("{base}/api/v1/login"), body, None).await
}

/// A whole login on `base` (image code, password, SMS code); the session's token.
pub async fn login(http: &reqwest::Client, base: &str, username: &str) -> String {
    let (status, challenge) = login_step(http, base, username, super::PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{challenge}");
    let cid = challenge["challenge_id"].as_str().unwrap();
    let (_, outbox) = get(http, format!("{base}/api/v1/dev/outbox"), None).await;
    let sms = outbox["sms"].as_array().unwrap().iter().rev().find(|s| s["challenge_id"] == cid);
    let code = sms.expect("the SMS in the outbox")["code"].clone();
    let (status, session) =
        post(http, format!("{base}/api/v1/login/otp"), json!({"challenge_id": cid, "code": code}), None).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    session["token"].as_str().unwrap().to_owned()
}

/// The value of the sample `name{labels}` in a scrape; labels in the order the server writes them.
pub fn sample(scrape: &str, series: &str) -> Option<f64> {
    scrape.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.split(' ').next()?.parse().ok())
}
