//! Many `rasid serve` processes (the real binary) on one database.

mod common;

use std::time::{Duration, Instant};

use common::process::{self, ServeProcess, get, post};
use reqwest::StatusCode;
use serde_json::json;

/// SQLite takes one process: of three started together on a new file, one migrates, seeds and
/// serves; the others stop at once saying why (before: they crashed in a migration, "table
/// transaction_ids already exists", or served logouts up to 15 s late).
#[tokio::test(flavor = "multi_thread")]
async fn of_three_processes_on_one_sqlite_file_one_serves_and_the_others_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rasid.db");
    let db = db.to_str().unwrap();
    let mut servers: Vec<ServeProcess> =
        (0..3).map(|_| ServeProcess::spawn(&["--dev", "--seed", "demo", "--db", db], false)).collect();
    let start = Instant::now();
    let mut refused = Vec::new();
    while refused.len() < 2 {
        for (i, server) in servers.iter_mut().enumerate() {
            if !refused.contains(&i) && server.child.try_wait().unwrap().is_some() {
                refused.push(i);
            }
        }
        assert!(start.elapsed() < Duration::from_secs(20), "two of three should have stopped");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for &i in &refused {
        let status = servers[i].child.wait().unwrap();
        assert!(!status.success(), "{status}");
        let said = servers[i].stderr();
        assert!(said.contains("is served by another rasid serve process"), "{said}");
        assert!(!said.contains("already exists") && !said.contains("panicked"), "{said}");
    }
    let serving = (0..3).find(|i| !refused.contains(i)).unwrap();
    let http = process::fresh_client();
    servers[serving].ready(&http, Duration::from_secs(30)).await;
    let token = process::login(&http, &servers[serving].base, "rahul2026").await;
    assert!(!token.is_empty());
}

/// Three `rasid serve --dev` processes on one fresh PostgreSQL database, ready; `None` (said loudly,
/// or a failure under RASID_REQUIRE_POSTGRES=1) where PostgreSQL is missing.
async fn fleet() -> Option<(Vec<ServeProcess>, String)> {
    let url = common::postgres::fresh_database().await?;
    let mut servers: Vec<ServeProcess> =
        (0..3).map(|_| ServeProcess::spawn(&["--dev", "--seed", "demo", "--db", &url], false)).collect();
    let http = process::fresh_client();
    for server in &mut servers {
        server.ready(&http, Duration::from_secs(60)).await;
    }
    Some((servers, url))
}

/// A pool whose every connection is busy does not silence the revocation listener: the pings go
/// out on a connection of their own (before, they queued behind the requests for the pool, and the
/// instance, hearing nothing for 0.7 s, stopped serving sessions from its cache just when the
/// database was busiest).
#[tokio::test(flavor = "multi_thread")]
async fn a_full_pool_does_not_silence_the_revocation_listener() {
    let Some((server, http, token, url)) = one_connection_instance().await else { return };

    // The one pooled connection waits behind a lock for two seconds.
    let (mut holder, page) = page_behind_a_lock(&url, &server, &http, &token).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
    assert_eq!(page.await.unwrap().unwrap().status(), StatusCode::OK);
    // Silenced, the listener would hear nothing for the lock's two seconds. A shorter gap is the
    // machine's own stall, which a shared test machine may have.
    let said = server.stderr();
    let gaps: Vec<u64> = said
        .lines()
        .filter(|l| l.contains("revocation notices stopped arriving"))
        // A warning whose gap cannot be read counts as the longest.
        .map(|l| {
            let ms = l.split("quiet_ms=").nth(1).and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next());
            ms.and_then(|ms| ms.parse().ok()).unwrap_or(u64::MAX)
        })
        .collect();
    assert!(gaps.iter().all(|&ms| ms < 1500), "the listener went deaf while the pool was full: {gaps:?}\n{said}");
}

/// A page keeps its connection for the next page, out of the pool, yet never starves the other
/// statements: with `--db-pool 1` the page keeps the one request connection, and the statement
/// right after it finds the pool full and is given that connection at once (without the give-back
/// it waited out the pool's 3 s and was answered 503).
#[tokio::test(flavor = "multi_thread")]
async fn a_connection_kept_by_a_page_goes_to_the_next_statement_when_the_pool_is_full() {
    let Some((server, http, token, _)) = one_connection_instance().await else { return };
    let page = server.url(&format!("/api/v1/people/{}/transactions?limit=10", rasid::server::seed::ABDULLAH));
    for _ in 0..3 {
        let (status, body) = get(&http, page.clone(), Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let started = Instant::now();
        let (status, body) = get(&http, server.url("/api/v1/me/people"), Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(started.elapsed() < Duration::from_secs(2), "waited {:?} for a connection", started.elapsed());
    }
}

/// A statement that finds the pool full while a page holds its one connection is served when the
/// page ends: the page gives the connection back rather than keep it for the next page (kept, it
/// would have left the statement waiting out the pool's 3 s, answered 503).
#[tokio::test(flavor = "multi_thread")]
async fn a_statement_waiting_on_a_full_pool_gets_the_connection_a_page_ends_with() {
    let Some((server, http, token, url)) = one_connection_instance().await else { return };

    // The page waits behind a lock on the one request connection; the other request waits for it.
    let (mut holder, page) = page_behind_a_lock(&url, &server, &http, &token).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let people = tokio::spawn(http.get(server.url("/api/v1/me/people")).bearer_auth(&token).send());
    tokio::time::sleep(Duration::from_millis(700)).await;
    sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
    assert_eq!(page.await.unwrap().unwrap().status(), StatusCode::OK);
    let people = people.await.unwrap().unwrap();
    assert_eq!(people.status(), StatusCode::OK, "{}", people.text().await.unwrap());
}

/// During a rolling upgrade an instance of the older rasid restarts on the schema the newer one
/// migrated: it starts and serves (before: sqlx refused the migration it did not know, "migration
/// ... was previously applied but is missing", and the instance stayed down).
#[tokio::test(flavor = "multi_thread")]
async fn an_older_instance_starts_on_a_schema_a_newer_one_migrated() {
    let Some((mut servers, url)) = fleet().await else { return };
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await.unwrap();
    // What a newer rasid's migration leaves behind: a table this one does not know, and its row.
    sqlx::raw_sql(
        "CREATE TABLE from_a_newer_rasid (x INTEGER);
         INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (99990101, 'from a newer rasid', TRUE, '\\x00', 1)",
    )
    .execute(&mut admin)
    .await
    .unwrap();
    servers[0].kill();
    let mut restarted = ServeProcess::spawn(&["--dev", "--seed", "demo", "--db", &url], false);
    let http = process::fresh_client();
    restarted.ready(&http, Duration::from_secs(60)).await;
    let token = process::login(&http, &restarted.base, "rahul2026").await;
    let (status, body) = get(&http, restarted.url("/api/v1/me/people"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// One `rasid serve` on a fresh PostgreSQL database with one request connection (`--db-pool 1`),
/// a user logged in on it, and a second gone by for the revocation listener to take the pool's
/// other connection; with the database's URL.
async fn one_connection_instance() -> Option<(ServeProcess, reqwest::Client, String, String)> {
    let url = common::postgres::fresh_database().await?;
    let mut server = ServeProcess::spawn(&["--dev", "--seed", "demo", "--db", &url, "--db-pool", "1"], false);
    let http = process::fresh_client();
    server.ready(&http, Duration::from_secs(60)).await;
    let token = process::login(&http, &server.base, "abdullah01").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    Some((server, http, token, url))
}

/// A page of history sent now, its statement held behind a lock on `transactions` until the
/// returned connection says ROLLBACK.
async fn page_behind_a_lock(
    url: &str,
    server: &ServeProcess,
    http: &reqwest::Client,
    token: &str,
) -> (sqlx::PgConnection, tokio::task::JoinHandle<reqwest::Result<reqwest::Response>>) {
    let mut holder = <sqlx::PgConnection as sqlx::Connection>::connect(url).await.unwrap();
    sqlx::raw_sql("BEGIN; LOCK TABLE transactions IN ACCESS EXCLUSIVE MODE").execute(&mut holder).await.unwrap();
    let page = http
        .get(server.url(&format!("/api/v1/people/{}/transactions?limit=10", rasid::server::seed::ABDULLAH)))
        .bearer_auth(token)
        .send();
    (holder, tokio::spawn(page))
}

/// Polls `token` on `server` until it is refused; how long that took.
/// How many revocation listeners are connected to the test's database.
async fn listening(admin: &mut sqlx::PgConnection) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'",
    )
    .fetch_one(admin)
    .await
    .unwrap()
}

async fn refused_within(http: &reqwest::Client, server: &ServeProcess, token: &str, limit: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let (status, body) = get(http, server.url("/api/v1/me/people"), Some(token)).await;
        if status == StatusCode::UNAUTHORIZED {
            return start.elapsed();
        }
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(start.elapsed() < limit, "{} still serves the ended session after {limit:?}", server.base);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_logout_on_one_instance_is_refused_by_the_others_within_a_second() {
    let Some((servers, _)) = fleet().await else { return };
    let [a, b, c] = [&servers[0], &servers[1], &servers[2]];
    let http = process::fresh_client();

    let token = process::login(&http, &a.base, "abdullah01").await;
    let (captcha_id, answer) = process::captcha(&http, &b.base).await;
    let inquiry = json!({"id_number": "1271497099", "captcha_id": captcha_id, "captcha_answer": answer});
    let (status, body) = post(&http, b.url("/api/v1/inquiries/payments-balance"), inquiry, Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A has the session in its cache now.
    assert_eq!(get(&http, a.url("/api/v1/me/people"), Some(&token)).await.0, StatusCode::OK);
    let (status, _) = post(&http, c.url("/api/v1/logout"), json!({}), Some(&token)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let took = refused_within(&http, a, &token, Duration::from_secs(1)).await;
    eprintln!("A refused the session {took:?} after C's logout");
    // B hears the same notice in its own time, also within the second.
    refused_within(&http, b, &token, Duration::from_secs(1).saturating_sub(took)).await;

    // Log out everywhere: every session of the account, cached on every instance.
    let tokens = [process::login(&http, &a.base, "rahul2026").await, process::login(&http, &b.base, "rahul2026").await];
    for server in [a, b] {
        for token in &tokens {
            assert_eq!(get(&http, server.url("/api/v1/me/people"), Some(token)).await.0, StatusCode::OK);
        }
    }
    let (status, _) = post(&http, c.url("/api/v1/logout/all"), json!({}), Some(&tokens[0])).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for server in [a, b] {
        for token in &tokens {
            refused_within(&http, server, token, Duration::from_secs(1)).await;
        }
    }
}

/// While an instance cannot hear the logout notices it serves no session from its cache: a logout
/// made meanwhile is refused there too, and once the listener is back the cache works again.
#[tokio::test(flavor = "multi_thread")]
async fn an_instance_that_lost_its_listener_still_refuses_a_logout_made_meanwhile() {
    use sqlx::Connection;
    let Some((servers, url)) = fleet().await else { return };
    let http = process::fresh_client();
    let token = process::login(&http, &servers[0].base, "abdullah01").await;
    assert_eq!(get(&http, servers[0].url("/api/v1/me/people"), Some(&token)).await.0, StatusCode::OK);
    // Every instance's listening connection is cut, as a network blip or a restart of a pooler would.
    let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
    // An instance may be between listeners (one it took for deaf is replaced after half a second).
    let start = Instant::now();
    while listening(&mut admin).await != 3 {
        assert!(start.elapsed() < Duration::from_secs(10), "the instances never all listened");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let cut: i64 = sqlx::query_scalar(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN %'",
    )
    .fetch_one(&mut admin)
    .await
    .unwrap();
    assert_eq!(cut, 3, "one listener an instance");
    let (status, _) = post(&http, servers[2].url("/api/v1/logout"), json!({}), Some(&token)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    refused_within(&http, &servers[0], &token, Duration::from_secs(1)).await;
    // The listeners come back by themselves, and logouts are heard again.
    let start = Instant::now();
    while listening(&mut admin).await != 3 {
        assert!(start.elapsed() < Duration::from_secs(10), "the listeners did not come back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let token = process::login(&http, &servers[0].base, "abdullah01").await;
    assert_eq!(get(&http, servers[0].url("/api/v1/me/people"), Some(&token)).await.0, StatusCode::OK);
    let (status, _) = post(&http, servers[1].url("/api/v1/logout"), json!({}), Some(&token)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    refused_within(&http, &servers[0], &token, Duration::from_secs(1)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_image_code_and_an_sms_code_are_good_once_across_instances() {
    let Some((servers, _)) = fleet().await else { return };
    let http = process::fresh_client();

    // An image code from A, tried on all three at once: one instance takes it.
    let (captcha_id, answer) = process::captcha(&http, &servers[0].base).await;
    let body = json!({"username": "nobody", "password": "wrong", "captcha_id": captcha_id, "captcha_answer": answer});
    let answers =
        futures_util::future::join_all(servers.iter().map(|s| post(&http, s.url("/api/v1/login"), body.clone(), None)))
            .await;
    let taken = answers.iter().filter(|(status, _)| *status == StatusCode::UNAUTHORIZED).count();
    let burnt = answers.iter().filter(|(_, body)| common::error_code(body) == "captcha_invalid").count();
    assert_eq!((taken, burnt), (1, 2), "{answers:?}");
    // And used on B, once only.
    let (captcha_id, answer) = process::captcha(&http, &servers[0].base).await;
    let body = json!({"username": "nobody", "password": "wrong", "captcha_id": captcha_id, "captcha_answer": answer});
    assert_eq!(post(&http, servers[1].url("/api/v1/login"), body.clone(), None).await.0, StatusCode::UNAUTHORIZED);
    let (status, again) = post(&http, servers[1].url("/api/v1/login"), body, None).await;
    assert_eq!((status, common::error_code(&again)), (StatusCode::BAD_REQUEST, "captcha_invalid"));

    // The SMS code of a login on A, sent to all three at once: one session.
    let (status, challenge) = process::login_step(&http, &servers[0].base, "abdullah01", common::PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{challenge}");
    let cid = challenge["challenge_id"].as_str().unwrap();
    let (_, outbox) = get(&http, servers[0].url("/api/v1/dev/outbox"), None).await;
    let code =
        outbox["sms"].as_array().unwrap().iter().rev().find(|s| s["challenge_id"] == cid).unwrap()["code"].clone();
    let body = json!({"challenge_id": cid, "code": code});
    let answers = futures_util::future::join_all(
        servers.iter().map(|s| post(&http, s.url("/api/v1/login/otp"), body.clone(), None)),
    )
    .await;
    let sessions = answers.iter().filter(|(status, _)| *status == StatusCode::OK).count();
    assert_eq!(sessions, 1, "{answers:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn logins_from_one_address_spread_over_three_instances_are_limited_as_by_one_server() {
    let Some((servers, _)) = fleet().await else { return };
    let http = process::fresh_client();
    // The windows are minutes: start early in one, so all 120 land in it.
    let second = chrono::Utc::now().timestamp().rem_euclid(60);
    if second > 45 {
        tokio::time::sleep(Duration::from_secs((61 - second) as u64)).await;
    }
    let body = json!({"username": "nobody", "password": "x", "captcha_id": "none", "captcha_answer": "0000"});
    let answers = futures_util::future::join_all((0..120).map(|i| {
        let (http, url, body) = (http.clone(), servers[i % 3].url("/api/v1/login"), body.clone());
        async move { post(&http, url, body, None).await.0 }
    }))
    .await;
    let limited = answers.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    let let_through = answers.iter().filter(|s| **s == StatusCode::BAD_REQUEST).count();
    // 60 logins a minute an address, whichever instance they reach (each alone saw only 40).
    assert_eq!((let_through, limited), (60, 60), "{answers:?}");
}

/// The per-account budget (20 login attempts a minute on one name, whatever the address) holds
/// for the sum too: 30 attempts with good image codes, spread over the three, and exactly 10 refused.
#[tokio::test(flavor = "multi_thread")]
async fn login_attempts_on_one_account_spread_over_three_instances_are_limited_as_by_one_server() {
    let Some((servers, _)) = fleet().await else { return };
    let http = process::fresh_client();
    let second = chrono::Utc::now().timestamp().rem_euclid(60);
    if second > 30 {
        tokio::time::sleep(Duration::from_secs((61 - second) as u64)).await;
    }
    let mut refused = 0;
    for i in 0..30 {
        let (captcha_id, answer) = process::captcha(&http, &servers[i % 3].base).await;
        let body =
            json!({"username": "ghost-account", "password": "x", "captcha_id": captcha_id, "captcha_answer": answer});
        let (status, body) = post(&http, servers[(i + 1) % 3].url("/api/v1/login"), body, None).await;
        match status {
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            StatusCode::UNAUTHORIZED | StatusCode::LOCKED => {}
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(refused, 10, "20 attempts a minute on one account, whichever instance takes them");
}

#[tokio::test(flavor = "multi_thread")]
async fn five_wrong_passwords_spread_over_three_instances_lock_the_account_everywhere() {
    let Some((servers, _)) = fleet().await else { return };
    let http = process::fresh_client();
    let mut last = None;
    for i in 0..5 {
        last = Some(process::login_step(&http, &servers[i % 3].base, "rahul2026", "Wrong@2026").await);
    }
    let (status, body) = last.unwrap();
    assert_eq!((status, common::error_code(&body)), (StatusCode::LOCKED, "account_locked"), "{body}");
    for server in &servers {
        let (status, body) = process::login_step(&http, &server.base, "rahul2026", common::PASSWORD).await;
        assert_eq!((status, common::error_code(&body)), (StatusCode::LOCKED, "account_locked"), "{}", server.base);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_instance_loses_no_session_the_others_serve_them_all() {
    let Some((mut servers, _)) = fleet().await else { return };
    let http = process::fresh_client();
    let users = ["abdullah01", "rahul2026", "fahadest01"];
    let mut tokens = Vec::new();
    for i in 0..6 {
        tokens.push(process::login(&http, &servers[i % 3].base, users[i % 3]).await);
    }
    let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();
    // Load on all three, and logins on B, while B is killed.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load: Vec<_> = (0..6)
        .map(|i| {
            let (http, base, token, stop) = (http.clone(), bases[i % 3].clone(), tokens[i].clone(), stop.clone());
            tokio::spawn(async move {
                let mut answered = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let url = format!("{base}/api/v1/people/1057830869/transactions?limit=50");
                    if http.get(url).bearer_auth(&token).send().await.is_ok() {
                        answered += 1;
                    }
                }
                answered
            })
        })
        .collect();
    let from_b = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let logins_on_b = {
        let (http, base, from_b) = (http.clone(), bases[1].clone(), from_b.clone());
        tokio::spawn(async move {
            for _ in 0..20 {
                match tokio::time::timeout(Duration::from_secs(10), try_login(&http, &base, "abdullah01")).await {
                    Ok(Some(token)) => from_b.lock().unwrap().push(token),
                    _ => break,
                }
            }
        })
    };
    // B is killed once it has answered a login, with the load running.
    let start = Instant::now();
    while from_b.lock().unwrap().is_empty() || start.elapsed() < Duration::from_millis(500) {
        assert!(start.elapsed() < Duration::from_secs(30), "B answered no login");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    servers[1].child.kill().unwrap();
    servers[1].child.wait().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for task in load {
        assert!(task.await.unwrap() > 0, "the load got answers");
    }
    logins_on_b.await.unwrap();
    let from_b = from_b.lock().unwrap().clone();
    for token in tokens.iter().chain(&from_b) {
        for server in [&servers[0], &servers[2]] {
            let (status, body) = get(&http, server.url("/api/v1/me/people"), Some(token)).await;
            assert_eq!(status, StatusCode::OK, "{}: {body}", server.base);
        }
    }
}

/// A whole login that gives up (`None`) at the first failure: for a server about to be killed.
async fn try_login(http: &reqwest::Client, base: &str, username: &str) -> Option<String> {
    let send = |url: String, body: serde_json::Value| async move {
        let resp = http.post(url).json(&body).send().await.ok()?;
        resp.status().is_success().then_some(())?;
        resp.json::<serde_json::Value>().await.ok()
    };
    let outbox = || async {
        http.get(format!("{base}/api/v1/dev/outbox")).send().await.ok()?.json::<serde_json::Value>().await.ok()
    };
    let captcha = send(format!("{base}/api/v1/captcha"), json!({})).await?;
    let id = captcha["captcha_id"].as_str()?.to_owned();
    let answer = outbox().await?["captchas"].as_array()?.iter().find(|c| c["captcha_id"] == id)?["answer"].clone();
    let body = json!({"username": username, "password": common::PASSWORD, "captcha_id": id, "captcha_answer": answer});
    let challenge = send(format!("{base}/api/v1/login"), body).await?;
    let cid = challenge["challenge_id"].clone();
    let code = outbox().await?["sms"].as_array()?.iter().find(|s| s["challenge_id"] == cid)?["code"].clone();
    let session = send(format!("{base}/api/v1/login/otp"), json!({"challenge_id": cid, "code": code})).await?;
    session["token"].as_str().map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_seed_on_postgresql_holds_what_it_holds_on_sqlite() {
    let Some((servers, _)) = fleet().await else { return };
    let mut sqlite = ServeProcess::spawn(&["--dev", "--seed", "demo"], false);
    let http = process::fresh_client();
    sqlite.ready(&http, Duration::from_secs(60)).await;
    for user in ["abdullah01", "rahul2026", "fahadest01"] {
        let on_pg = process::login(&http, &servers[2].base, user).await;
        let on_sqlite = process::login(&http, &sqlite.base, user).await;
        let (_, people) = get(&http, servers[2].url("/api/v1/me/people"), Some(&on_pg)).await;
        assert_eq!(people, get(&http, sqlite.url("/api/v1/me/people"), Some(&on_sqlite)).await.1);
        for person in people.as_array().unwrap() {
            let id = person["id_number"].as_str().unwrap();
            let mut balances = Vec::new();
            for (server, token) in [(&servers[2], &on_pg), (&sqlite, &on_sqlite)] {
                let (captcha_id, answer) = process::captcha(&http, &server.base).await;
                let body = json!({"id_number": id, "captcha_id": captcha_id, "captcha_answer": answer});
                let (status, mut report) =
                    post(&http, server.url("/api/v1/inquiries/payments-balance"), body, Some(token)).await;
                assert_eq!(status, StatusCode::OK, "{report}");
                report.as_object_mut().unwrap().remove("as_of");
                balances.push(report);
            }
            assert_eq!(balances[0], balances[1], "{id}'s balances");
            let pg_history = history(&http, &servers[2].base, &on_pg, id).await;
            let sqlite_history = history(&http, &sqlite.base, &on_sqlite, id).await;
            assert_eq!(pg_history.len(), sqlite_history.len(), "{id}'s history");
            assert!(pg_history == sqlite_history, "{id}'s history differs");
        }
    }
}

/// Every transaction of `id`, newest first, page after page.
async fn history(http: &reqwest::Client, base: &str, token: &str, id: &str) -> Vec<serde_json::Value> {
    let mut items = Vec::new();
    let mut cursor = String::new();
    loop {
        let url = format!("{base}/api/v1/people/{id}/transactions?limit=500{cursor}");
        let (status, page) = get(http, url, Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return items,
        }
    }
}

/// A TCP relay to PostgreSQL that can go silent: a frozen connection passes nothing either way
/// and closes nothing, as when a firewall drops an idle flow or a link is cut. It can freeze only
/// the connection the revocation listener uses (the one that sent `LISTEN`) or every connection.
struct SilentLink {
    addr: std::net::SocketAddr,
    /// 0: all pass; 1: the listener's connection is frozen; 2: every connection is.
    frozen: std::sync::Arc<std::sync::atomic::AtomicU8>,
}

type Half = (Box<dyn tokio::io::AsyncRead + Send + Unpin>, Box<dyn tokio::io::AsyncWrite + Send + Unpin>);

impl SilentLink {
    async fn to(target: String) -> SilentLink {
        use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let frozen = std::sync::Arc::new(AtomicU8::new(0));
        let gate = frozen.clone();
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let Ok(outbound) = tokio::net::TcpStream::connect(&target).await else { continue };
                let listens = std::sync::Arc::new(AtomicBool::new(false));
                let (ri, wi) = inbound.into_split();
                let (ro, wo) = outbound.into_split();
                let halves: [(Half, bool); 2] =
                    [((Box::new(ri), Box::new(wo)), true), ((Box::new(ro), Box::new(wi)), false)];
                for ((mut from, mut to), from_client) in halves {
                    let (gate, listens) = (gate.clone(), listens.clone());
                    tokio::spawn(async move {
                        let mut buf = vec![0u8; 16 * 1024];
                        loop {
                            let n = match from.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => n,
                            };
                            if from_client && buf[..n].windows(6).any(|w| w == b"LISTEN") {
                                listens.store(true, Ordering::SeqCst);
                            }
                            while match gate.load(Ordering::SeqCst) {
                                1 => listens.load(Ordering::SeqCst),
                                2 => true,
                                _ => false,
                            } {
                                tokio::time::sleep(Duration::from_millis(10)).await;
                            }
                            if to.write_all(&buf[..n]).await.is_err() {
                                return;
                            }
                        }
                    });
                }
            }
        });
        SilentLink { addr, frozen }
    }

    fn freeze(&self, mode: u8) {
        self.frozen.store(mode, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The revocation listener's connection goes silent (nothing closed, nothing said) while the
/// others work: within a second the instance stops serving sessions from its cache, so a logout
/// made meanwhile on another instance is refused there too. When the whole link goes silent, a
/// request is answered 503 `unavailable`, not left hanging; and once the link is back, all is well.
#[tokio::test(flavor = "multi_thread")]
async fn an_instance_whose_listener_goes_silent_stops_serving_sessions_from_its_cache() {
    let Some(url) = common::postgres::fresh_database().await else { return };
    let mut b = ServeProcess::spawn(&["--dev", "--seed", "demo", "--db", &url], false);
    let http = process::fresh_client();
    b.ready(&http, Duration::from_secs(60)).await;
    let parsed = url::Url::parse(&url).unwrap();
    let link = SilentLink::to(format!("{}:{}", parsed.host_str().unwrap(), parsed.port().unwrap_or(5432))).await;
    let mut via_link = parsed.clone();
    via_link.set_port(Some(link.addr.port())).unwrap();
    let mut a = ServeProcess::spawn(&["--dev", "--seed", "demo", "--db", via_link.as_str()], false);
    a.ready(&http, Duration::from_secs(60)).await;

    let token = process::login(&http, &b.base, "abdullah01").await;
    let on_a = async |token: &str| get(&http, a.url("/api/v1/me/people"), Some(token)).await.0;
    let start = Instant::now();
    while on_a(&token).await != StatusCode::OK {
        assert!(start.elapsed() < Duration::from_secs(5), "A never served the session");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    link.freeze(1);
    let (status, _) = post(&http, b.url("/api/v1/logout"), json!({}), Some(&token)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let took = refused_within(&http, &a, &token, Duration::from_secs(1)).await;
    eprintln!("A, deaf to the notices, refused the session {took:?} after B's logout");

    let second = process::login(&http, &b.base, "rahul2026").await;
    link.freeze(2);
    let asked = Instant::now();
    let status = on_a(&second).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "A cannot ask the database: it says so");
    assert!(asked.elapsed() < Duration::from_secs(15), "answered, not hung: {:?}", asked.elapsed());

    link.freeze(0);
    let start = Instant::now();
    while on_a(&second).await != StatusCode::OK {
        assert!(start.elapsed() < Duration::from_secs(30), "A never came back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
