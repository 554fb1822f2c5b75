//! `rasid serve` as a process: it stops cleanly on SIGTERM, and SIGKILL in the
//! middle of a load loses nothing it had committed. On SQLite here, on PostgreSQL in
//! tests/pg_server_process.rs.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(db: impl AsRef<std::ffi::OsStr>) -> Server {
        Self::start_with(db, &[])
    }

    fn start_with(db: impl AsRef<std::ffi::OsStr>, extra: &[&str]) -> Server {
        Self::start_seeding(db, "demo", extra)
    }

    fn start_seeding(db: impl AsRef<std::ffi::OsStr>, seed: &str, extra: &[&str]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_rasid"))
            .args(["serve", "--dev", "--seed", seed, "--bind", &format!("127.0.0.1:{port}")])
            .args(extra)
            .arg("--db")
            .arg(db)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start rasid serve");
        Server { child, base: format!("http://127.0.0.1:{port}") }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill").args([&format!("-{name}"), &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
    }

    fn wait_exit(&mut self, timeout: Duration) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(start.elapsed() < timeout, "the server did not stop within {timeout:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// The store over the database `rasid serve --db` was given.
async fn reopen(db: &str) -> rasid::server::Store {
    rasid::server::Store::open(&db.parse().unwrap()).await.unwrap()
}

/// Rows in `table` of the database `rasid serve --db` was given, read with sqlx alone.
async fn count_rows(db: &str, table: &str) -> i64 {
    try_count_rows(db, table).await.unwrap()
}

/// As [`count_rows`], or the error while the database or the table is not there yet.
async fn try_count_rows(db: &str, table: &str) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    match db.parse().unwrap() {
        rasid::server::DbLocation::Postgres(url) => {
            let pool = sqlx::PgPool::connect(&url).await?;
            let n = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&pool).await;
            pool.close().await;
            n
        }
        _ => {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{db}")).await?;
            let n = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&pool).await;
            pool.close().await;
            n
        }
    }
}

async fn ready(http: &reqwest::Client, base: &str) {
    let start = Instant::now();
    while http.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(start.elapsed() < Duration::from_secs(20), "the server never answered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn post(http: &reqwest::Client, url: String, body: Value) -> Option<Value> {
    let resp = http.post(url).json(&body).send().await.ok()?;
    if !resp.status().is_success() {
        return None;
    }
    resp.json().await.ok()
}

/// A whole login; `Some` once the session exists on the server.
async fn login(http: &reqwest::Client, base: &str, username: &str) -> Option<String> {
    let captcha = post(http, format!("{base}/api/v1/captcha"), json!({})).await?;
    let outbox: Value = http.get(format!("{base}/api/v1/dev/outbox")).send().await.ok()?.json().await.ok()?;
    let id = captcha["captcha_id"].as_str()?;
    let answer = outbox["captchas"].as_array()?.iter().find(|c| c["captcha_id"] == id)?["answer"].clone();
    let body = json!({"username": username, "password": common::PASSWORD, "captcha_id": id, "captcha_answer": answer});
    let challenge = post(http, format!("{base}/api/v1/login"), body).await?;
    let outbox: Value = http.get(format!("{base}/api/v1/dev/outbox")).send().await.ok()?.json().await.ok()?;
    let cid = challenge["challenge_id"].clone();
    let code = outbox["sms"].as_array()?.iter().find(|s| s["challenge_id"] == cid)?["code"].clone();
    let session = post(http, format!("{base}/api/v1/login/otp"), json!({"challenge_id": cid, "code": code})).await?;
    session["token"].as_str().map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_db_arg(dir.path()).await;
    let mut server = Server::start(&db);
    let http = common::http_client();
    ready(&http, &server.base).await;
    assert!(login(&http, &server.base, "rahul2026").await.is_some());
    server.signal("TERM");
    let status = server.wait_exit(Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
    let mut stderr = String::new();
    std::io::Read::read_to_string(server.child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("shut down"), "{stderr}");
    // The database is whole and opens again.
    assert_eq!(reopen(&db).await.user_count().await.unwrap(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_in_flight_at_sigterm_is_answered_before_the_server_exits() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(common::fresh_db_arg(dir.path()).await);
    let http = common::http_client();
    ready(&http, &server.base).await;
    let addr = server.base.trim_start_matches("http://").to_owned();

    // The body comes in two parts: the signal arrives while the server is still reading it. The
    // route must read its body before it answers (an image code needs none, and would be answered at once).
    let body = format!("{{\"challenge_id\": \"gone\", \"code\": \"1234\"{}}}", " ".repeat(32));
    let (first, rest) = body.split_at(10);
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!(
        "POST /api/v1/login/otp HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    // The server asks for the body once the route starts reading it: from then on the request is in
    // flight, whatever the machine's speed.
    let mut continued = Vec::new();
    while !continued.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8];
        stream.read_exact(&mut byte).unwrap();
        continued.push(byte[0]);
    }
    assert!(continued.starts_with(b"HTTP/1.1 100"), "{}", String::from_utf8_lossy(&continued));
    stream.write_all(first.as_bytes()).unwrap();
    server.signal("TERM");
    // Shutting down: no new connection is taken, and the one in flight is still open.
    let start = Instant::now();
    while std::net::TcpStream::connect(&addr).is_ok() {
        assert!(start.elapsed() < Duration::from_secs(10), "the server still takes new connections after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(server.child.try_wait().unwrap().is_none(), "the server exited with a request in flight");
    stream.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 410"), "the request in flight is answered:\n{answer}");
    assert!(answer.contains("otp_expired"), "its body was read and judged: {answer}");
    let status = server.wait_exit(Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_in_the_middle_of_logins_loses_no_committed_session() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_db_arg(dir.path()).await;
    let mut server = Server::start(&db);
    let http = common::http_client();
    ready(&http, &server.base).await;

    let mut tokens = Vec::new();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..24 {
        let (http, base) = (http.clone(), server.base.clone());
        let user = ["abdullah01", "rahul2026", "fahadest01"][i % 3];
        tasks.spawn(async move { login(&http, &base, user).await });
    }
    // Kill as soon as a few sessions exist, with the others still in flight.
    while let Some(done) = tasks.join_next().await {
        if let Ok(Some(token)) = done {
            tokens.push(token);
        }
        if tokens.len() == 6 {
            server.signal("KILL");
            break;
        }
    }
    while let Some(done) = tasks.join_next().await {
        if let Ok(Some(token)) = done {
            tokens.push(token);
        }
    }
    server.wait_exit(Duration::from_secs(10));
    assert!(tokens.len() >= 6);

    // Every session the server answered for is in the database after the crash.
    let stored = count_rows(&db, "sessions").await;
    assert!(stored as usize >= tokens.len(), "{stored} sessions stored, {} answered", tokens.len());
    let rows = count_rows(&db, "transactions").await;
    // And a new server over it serves the seeded data whole, seeding nothing twice.
    let store = reopen(&db).await;
    assert_eq!(store.user_count().await.unwrap(), 3);
    for id in [rasid::server::seed::ABDULLAH, rasid::server::seed::RAHUL] {
        assert_eq!(store.balances(id).await.unwrap(), store.recompute_balances(id).await.unwrap());
    }
    assert!(rows > 1000, "{rows}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_killed_mid_session_is_unreachable_for_the_client() {
    use rasid::client::{Client, ClientError};
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(common::fresh_db_arg(dir.path()).await);
    let http = common::http_client();
    ready(&http, &server.base).await;
    let token = rasid::api::Secret::new(login(&http, &server.base, "abdullah01").await.unwrap());
    let client = Client::new(&server.base, Duration::from_secs(5), false).unwrap();
    assert!(client.people(&token).await.is_ok());
    server.signal("KILL");
    server.wait_exit(Duration::from_secs(10));
    let query = rasid::api::TransactionsQuery::default();
    let err = client.transactions(&token, rasid::server::seed::ABDULLAH, &query).await.unwrap_err();
    assert_eq!(err, ClientError::Unreachable);
}

#[tokio::test(flavor = "multi_thread")]
async fn json_logs_carry_a_request_id_on_every_request_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_db_arg(dir.path()).await;
    let mut server = Server::start_with(&db, &["--log-format", "json", "--log-level", "info"]);
    let http = common::http_client();
    ready(&http, &server.base).await;
    let token = login(&http, &server.base, "abdullah01").await.unwrap();
    let resp = http.get(format!("{}/api/v1/me/people", server.base)).bearer_auth(&token).send().await.unwrap();
    let echoed = resp.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let resp = http.get(format!("{}/readyz", server.base)).header("x-request-id", "trace-me-42").send().await.unwrap();
    assert_eq!(resp.headers().get("x-request-id").unwrap(), "trace-me-42", "a caller's id is kept");
    server.signal("TERM");
    server.wait_exit(Duration::from_secs(10));
    let mut stderr = String::new();
    std::io::Read::read_to_string(server.child.stderr.as_mut().unwrap(), &mut stderr).unwrap();

    let lines: Vec<Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let in_requests: Vec<&Value> = lines.iter().filter(|l| l["span"]["name"] == "request").collect();
    assert!(in_requests.len() >= 8, "one line per request at least:\n{stderr}");
    for line in &in_requests {
        let id = line["span"]["id"].as_str().unwrap_or_default();
        assert!(id.len() >= 8, "a request id on {line}");
    }
    let started = in_requests.iter().find(|l| l["message"] == "session started").expect("the login's own line");
    assert!(started["span"]["path"] == "/api/v1/login/otp", "{started}");
    let echoed = echoed.expect("the response names its request id");
    assert!(in_requests.iter().any(|l| l["span"]["id"] == echoed.as_str()), "the id in the header is the logged one");
    assert!(in_requests.iter().any(|l| l["span"]["id"] == "trace-me-42"));
    assert!(!stderr.contains(common::PASSWORD) && !stderr.contains(&token));
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn the_database_and_the_directories_made_for_it_are_owner_only() {
    if common::engine() == common::Engine::Postgres {
        return; // SQLite's files; PostgreSQL keeps its own.
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("made").join("for-rasid").join("rasid.db");
    let mut server = Server::start(&db);
    let http = common::http_client();
    ready(&http, &server.base).await;
    assert!(login(&http, &server.base, "rahul2026").await.is_some(), "a session is written");
    for made in [dir.path().join("made"), dir.path().join("made").join("for-rasid")] {
        assert_eq!(mode(&made), 0o700, "{}", made.display());
    }
    let mut files = vec![db.clone()];
    files.extend(["rasid.db-wal", "rasid.db-shm"].map(|f| db.with_file_name(f)).into_iter().filter(|f| f.exists()));
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    server.signal("TERM");
    assert!(server.wait_exit(Duration::from_secs(10)).success());
}

/// `rasid serve --dev` on `db` until it exits on its own (or 20 s pass): its status and stderr.
fn dev_serve_exit(db: &str, extra: &[&str]) -> (Option<std::process::ExitStatus>, String) {
    serve_exit(db, "demo", extra)
}

/// As [`dev_serve_exit`], with `--seed seed`.
fn serve_exit(db: &str, seed: &str, extra: &[&str]) -> (Option<std::process::ExitStatus>, String) {
    let mut server = Server::start_seeding(db, seed, extra);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > Duration::from_secs(20) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = server.child.kill();
    let _ = server.child.wait();
    let mut stderr = String::new();
    std::io::Read::read_to_string(server.child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    (status, stderr)
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_mode_is_refused_on_a_database_with_real_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_db_arg(dir.path()).await;
    let store = reopen(&db).await;
    let person = rasid::server::seed::worker(7);
    store.insert_people(std::slice::from_ref(&person)).await.unwrap();
    let hash = rasid::server::auth::hash_password("a real secret 1A");
    store.insert_user("realperson", &person.id_number, &hash, "0559876543").await.unwrap();
    store.close().await;

    let (status, stderr) = dev_serve_exit(&db, &[]);
    let status = status.expect("rasid serve --dev kept serving a database with a real account");
    assert!(!status.success(), "{stderr}");
    assert!(stderr.contains("--dev would publish the SMS codes of the 1 account(s)"), "{stderr}");
    assert!(!stderr.contains("listening"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_demo_seed_killed_midway_is_named_at_the_next_start_rather_than_served_in_part() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_db_arg(dir.path()).await;
    let mut server = Server::start_seeding(&db, "demo-large", &[]);
    // Killed once the seed's first batch of history is committed, long before its last.
    let start = Instant::now();
    while !try_count_rows(&db, "transactions").await.is_ok_and(|n| n > 0) {
        assert!(server.child.try_wait().unwrap().is_none(), "the seeding server exited by itself");
        assert!(start.elapsed() < Duration::from_secs(120), "no history written within 120 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.signal("KILL");
    server.wait_exit(Duration::from_secs(10));
    assert!(count_rows(&db, "users").await > 0, "the demo accounts were written before the history");

    // Refused by a start that would seed, and by one that would not (the rest of a fleet).
    for seed in ["demo", "none"] {
        let (status, stderr) = serve_exit(&db, seed, &[]);
        let status = status.unwrap_or_else(|| panic!("rasid serve --seed {seed} kept serving a part-seeded database"));
        assert!(!status.success(), "{stderr}");
        assert!(stderr.contains("an earlier seed of the demo data into this database was stopped midway"), "{stderr}");
        assert!(stderr.contains("start again with a new, empty database"), "{stderr}");
        assert!(!stderr.contains("listening"), "{stderr}");
    }
}

/// A port already in use is said at once: before, the server made its database and seeded it (many
/// seconds for demo-large) and only then found it could not listen.
#[test]
fn a_busy_port_is_refused_before_the_database_is_made_or_seeded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rasid.db");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_rasid"))
        .args(["serve", "--dev", "--seed", "demo-large", "--bind", &format!("127.0.0.1:{port}"), "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")), "{stderr}");
    assert!(!db.exists(), "the database was made before the port was tried");
    assert!(started.elapsed() < Duration::from_secs(5), "refused after {:?}", started.elapsed());
}

#[test]
fn dev_mode_is_refused_behind_a_trusted_proxy() {
    let (status, stderr) = dev_serve_exit(":memory:", &["--trusted-proxy", "127.0.0.1"]);
    let status = status.expect("rasid serve --dev kept serving behind a proxy");
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--dev and --trusted-proxy do not go together"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_mode_is_accepted_on_a_new_file_again_on_its_demo_accounts_and_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_db_arg(dir.path()).await;
    let http = common::http_client();
    for place in [db.clone(), db, ":memory:".into()] {
        let mut server = Server::start(&place);
        ready(&http, &server.base).await;
        assert!(login(&http, &server.base, "abdullah01").await.is_some(), "{place}");
        server.signal("TERM");
        assert!(server.wait_exit(Duration::from_secs(10)).success());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_real_server_drops_a_request_whose_headers_never_end() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(common::fresh_db_arg(dir.path()).await);
    let http = common::http_client();
    ready(&http, &server.base).await;
    let mut stream = tokio::net::TcpStream::connect(server.base.trim_start_matches("http://")).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: rasid\r\nX-Slow: ").await.unwrap();
    // DESIGN.md: 10 s; the rest is slack for a busy machine.
    let closed = tokio::time::timeout(Duration::from_secs(20), async {
        let mut buf = [0u8; 1024];
        while let Ok(1..) = stream.read(&mut buf).await {}
    })
    .await;
    assert!(closed.is_ok(), "the half-sent request is still held open");
}

#[test]
fn an_unreachable_or_malformed_postgres_url_is_one_line_and_a_quick_failure_leaving_no_folder() {
    let dir = tempfile::tempdir().unwrap();
    for (db, says) in [
        ("postgres://nobody@127.0.0.1:1/x", "cannot open the database postgres://nobody@127.0.0.1:1/x"),
        ("postgres://nobody:hunter2@127.0.0.1:1/x", "cannot open the database postgres://nobody:***@127.0.0.1:1/x"),
        ("postgres://nobody@127.0.0.1:99999/x", "not a PostgreSQL URL"),
        ("postgres:/x", "a PostgreSQL URL names a host and a database"),
        // A parameter sqlx does not know: it would log it, value and all.
        (
            "postgres://nobody@127.0.0.1:1/x?sslpassword=hunter2",
            "a PostgreSQL URL parameter rasid does not take: sslpassword",
        ),
    ] {
        let started = Instant::now();
        let mut server = Command::new(env!("CARGO_BIN_EXE_rasid"))
            .args(["serve", "--bind", "127.0.0.1:0", "--db", db])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let status = loop {
            if let Some(status) = server.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > Duration::from_secs(10) {
                let _ = server.kill();
                panic!("rasid serve --db {db} still running after 10 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(server.stderr.as_mut().unwrap(), &mut stderr).unwrap();
        assert!(!status.success(), "{db}: {stderr}");
        assert!(stderr.contains(says), "{db}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{db}: one line, not a panic: {stderr}");
        assert!(!stderr.contains("hunter2") && !stderr.contains("panicked"), "{stderr}");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "rasid serve made {left:?} in its working directory");
}
