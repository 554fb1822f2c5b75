//! The login's state machine under attack, over real HTTP: parallel guesses of
//! SMS codes and passwords, a stranger at another address, slow brute force,
//! resends, and what is left behind. Races are sent at once, each request on a
//! connection of its own.

mod common;

use std::net::IpAddr;

use common::{Options, PASSWORD, TestServer, error_code};
use futures_util::future::join_all;
use rasid::server::Clock;
use rasid::server::auth::{
    LOCKOUT_S, MAX_ACCOUNT_FAILURES, MAX_PASSWORD_FAILURES, PURGE_POLICY, SMS_PER_WINDOW, THROTTLE,
};
use rasid::server::ratelimit::Limits;
use rasid::server::seed::{FAHAD, RAHUL};
use rasid::server::store::{Counted, PasswordTry};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A client whose requests come from `ip` (any 127.x address is this machine),
/// each on a new connection.
fn client_from(ip: [u8; 4]) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().local_address(IpAddr::from(ip)).pool_max_idle_per_host(0).build().expect("client")
}

async fn send(req: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let resp = req.send().await.expect("request");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// An image code issued to `client`'s address, with its answer from the dev outbox.
async fn captcha_for(s: &TestServer, client: &reqwest::Client) -> (String, String) {
    let (status, body) = send(client.post(s.url("/api/v1/captcha"))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["captcha_id"].as_str().unwrap().to_owned();
    let answer = s.outbox().await.captchas.iter().find(|c| c.captcha_id == id).expect("answer").answer.clone();
    (id, answer)
}

async fn login_from(s: &TestServer, client: &reqwest::Client, username: &str, password: &str) -> (StatusCode, Value) {
    let (captcha_id, answer) = captcha_for(s, client).await;
    let body = json!({"username": username, "password": password, "captcha_id": captcha_id, "captcha_answer": answer});
    send(client.post(s.url("/api/v1/login")).json(&body)).await
}

fn count(answers: &[(StatusCode, Value)], status: StatusCode) -> usize {
    answers.iter().filter(|(s, _)| *s == status).count()
}

fn other_codes(code: &str, n: usize) -> Vec<String> {
    (0..10_000u32).map(|i| format!("{i:04}")).filter(|c| c != code).take(n).collect()
}

fn roomy_limits() -> Limits {
    Limits { logins_per_account_per_minute: 10_000, login_per_minute: 10_000, ..Limits::default() }
}

#[tokio::test]
async fn parallel_sms_code_guesses_get_three_tries_in_all() {
    let s = TestServer::start().await;
    for round in 0..5 {
        let (status, challenge) = s.login_step("rahul2026", PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{challenge}");
        let id = challenge["challenge_id"].as_str().unwrap().to_owned();
        let code = s.sms_code(&id).await;
        let mut guesses = other_codes(&code, 20);
        guesses.insert(14, code.clone());
        let answers = join_all(guesses.iter().map(|guess| {
            let client = client_from([127, 0, 0, 1]);
            send(client.post(s.url("/api/v1/login/otp")).json(&json!({"challenge_id": id, "code": guess})))
        }))
        .await;
        assert!(answers.iter().all(|(st, _)| !st.is_server_error()), "round {round}: {answers:?}");
        let compared = count(&answers, StatusCode::UNAUTHORIZED) + count(&answers, StatusCode::OK);
        assert!(compared <= 3, "round {round}: {compared} codes were compared, 3 tries allowed: {answers:?}");
        assert_eq!(count(&answers, StatusCode::GONE), answers.len() - compared, "the rest: the login is over");
        assert!(count(&answers, StatusCode::OK) <= 1);
        s.clock.advance(61);
    }
}

#[tokio::test]
async fn parallel_password_guesses_get_five_tries_from_one_address() {
    let s = TestServer::start_with(Options { limits: roomy_limits(), ..Options::default() }).await;
    let client = client_from([127, 0, 0, 1]);
    for round in 0..3 {
        let mut bodies = Vec::new();
        for i in 0..21 {
            let (captcha_id, answer) = captcha_for(&s, &client).await;
            let password = format!("Wrong@{round}{i}");
            bodies.push(json!({"username": "rahul2026", "password": password, "captcha_id": captcha_id, "captcha_answer": answer}));
        }
        let answers = join_all(bodies.iter().map(|body| {
            let client = client_from([127, 0, 0, 1]);
            send(client.post(s.url("/api/v1/login")).json(body))
        }))
        .await;
        assert!(answers.iter().all(|(st, _)| !st.is_server_error()), "round {round}: {answers:?}");
        // Five passwords are checked: four are answered as wrong, the fifth as the lock it sets.
        let wrong = count(&answers, StatusCode::UNAUTHORIZED) as i64;
        let locked = count(&answers, StatusCode::LOCKED);
        assert_eq!(wrong, MAX_PASSWORD_FAILURES - 1, "round {round}: {answers:?}");
        assert_eq!(wrong as usize + locked, answers.len(), "round {round}: {answers:?}");
        s.clock.advance(LOCKOUT_S + 1);
    }
}

// A right password racing wrong guesses: which try the server claims first cannot be arranged
// over HTTP, so these claim in the store in a set order, as the login handler does.

/// Claims one password try for one account from one address; `Some(counted)` if granted.
async fn claim(s: &TestServer) -> Option<Counted> {
    match s.store.claim_password_try(ACCOUNT, SOURCE, s.clock.now(), THROTTLE).await.unwrap() {
        PasswordTry::Granted { counted, .. } => Some(counted),
        PasswordTry::Locked { .. } => None,
    }
}

const ACCOUNT: &str = "u:1";
const SOURCE: &str = "127.0.0.1";

#[tokio::test]
async fn a_right_password_takes_back_only_the_tries_counted_before_it() {
    let s = TestServer::start().await;
    claim(&s).await.expect("a first wrong guess");
    let right = claim(&s).await.expect("the right password's try");
    assert_eq!(right, Counted { account: 2, source: 2 });
    // Two wrong guesses were claimed while the right password was being checked.
    claim(&s).await.expect("a guess racing it");
    claim(&s).await.expect("another");
    s.store.clear_password_failures(ACCOUNT, SOURCE, right).await.unwrap();
    let granted = [claim(&s).await, claim(&s).await, claim(&s).await, claim(&s).await];
    assert_eq!(
        granted.map(|g| g.map(|c| c.source)),
        [Some(3), Some(4), Some(5), None],
        "the two racing guesses still count: three more tries, then the lock"
    );
}

#[tokio::test]
async fn a_lock_set_by_guesses_racing_a_right_password_stands() {
    let s = TestServer::start().await;
    let right = claim(&s).await.expect("the right password's try");
    for n in 2..=MAX_PASSWORD_FAILURES {
        claim(&s).await.unwrap_or_else(|| panic!("racing guess {n}"));
    }
    assert_eq!(claim(&s).await, None, "the racing guesses locked the address");
    s.store.clear_password_failures(ACCOUNT, SOURCE, right).await.unwrap();
    assert_eq!(claim(&s).await, None, "the right password did not lift a lock set after its try");
    s.clock.advance(LOCKOUT_S + 1);
    assert_eq!(claim(&s).await.map(|c| c.source), Some(1), "the lock ran out: a fresh count");
}

#[tokio::test]
async fn a_right_password_with_nothing_racing_it_starts_both_counts_again() {
    let s = TestServer::start().await;
    for _ in 1..MAX_PASSWORD_FAILURES {
        claim(&s).await.expect("a wrong guess");
    }
    let right = claim(&s).await.expect("the right password, on the last try");
    assert_eq!(right, Counted { account: MAX_PASSWORD_FAILURES, source: MAX_PASSWORD_FAILURES });
    s.store.clear_password_failures(ACCOUNT, SOURCE, right).await.unwrap();
    assert_eq!(claim(&s).await, Some(Counted { account: 1, source: 1 }), "the lock its try set is lifted");
}

#[tokio::test]
async fn a_stranger_locks_out_only_the_stranger_and_by_either_name() {
    let s = TestServer::start().await;
    let stranger = client_from([127, 0, 0, 2]);
    for _ in 0..4 {
        let (status, body) = login_from(&s, &stranger, "rahul2026", "Guess@2026").await;
        assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "invalid_credentials"));
    }
    let (status, body) = login_from(&s, &stranger, RAHUL, "Guess@2026").await;
    assert_eq!((status, error_code(&body)), (StatusCode::LOCKED, "account_locked"), "the ID number shares the budget");
    let (status, _) = login_from(&s, &stranger, "RAHUL2026", PASSWORD).await;
    assert_eq!(status, StatusCode::LOCKED, "the stranger's address stays locked, even with the right password");

    let owner = client_from([127, 0, 0, 1]);
    let (status, body) = login_from(&s, &owner, "rahul2026", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "the owner's own address is not locked: {body}");
    let (status, body) = login_from(&s, &owner, RAHUL, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_lock_that_ran_out_starts_a_fresh_count() {
    let s = TestServer::start().await;
    let stranger = client_from([127, 0, 0, 2]);
    for _ in 0..5 {
        login_from(&s, &stranger, "rahul2026", "Guess@2026").await;
    }
    let (status, _) = login_from(&s, &stranger, "rahul2026", "Guess@2026").await;
    assert_eq!(status, StatusCode::LOCKED);
    s.clock.advance(LOCKOUT_S + 1);
    for n in 1..5 {
        let (status, body) = login_from(&s, &stranger, "rahul2026", "Guess@2026").await;
        assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "invalid_credentials"), "try {n}");
    }
    let (status, _) = login_from(&s, &stranger, "rahul2026", "Guess@2026").await;
    assert_eq!(status, StatusCode::LOCKED, "the fifth of the fresh count locks again");
}

#[tokio::test]
async fn a_hundred_failures_in_a_row_from_anywhere_lock_the_account_for_everybody() {
    let s = TestServer::start_with(Options { limits: roomy_limits(), ..Options::default() }).await;
    let sources = (0..).map(|i| client_from([127, 0, 1, 10 + i]));
    let mut failures = 0;
    for client in sources {
        for _ in 0..4 {
            if failures == MAX_ACCOUNT_FAILURES {
                break;
            }
            let (status, body) = login_from(&s, &client, "abdullah01", "Guess@2026").await;
            failures += 1;
            let expected = if failures == MAX_ACCOUNT_FAILURES { StatusCode::LOCKED } else { StatusCode::UNAUTHORIZED };
            assert_eq!(status, expected, "failure {failures}: {body}");
        }
        if failures == MAX_ACCOUNT_FAILURES {
            break;
        }
    }
    let owner = client_from([127, 0, 0, 1]);
    let (status, body) = login_from(&s, &owner, "abdullah01", PASSWORD).await;
    assert_eq!((status, error_code(&body)), (StatusCode::LOCKED, "account_locked"), "the ceiling holds everywhere");
    let (status, _) = login_from(&s, &owner, "rahul2026", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "other accounts are not affected");
    s.clock.advance(LOCKOUT_S + 1);
    let (status, body) = login_from(&s, &owner, "abdullah01", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_name_answer_alike_even_when_locked() {
    let s = TestServer::start().await;
    let client = client_from([127, 0, 0, 3]);
    let mut real = Vec::new();
    let mut ghost = Vec::new();
    for _ in 0..6 {
        real.push(login_from(&s, &client, "abdullah01", "Guess@2026").await);
        ghost.push(login_from(&s, &client, "no-such-user", "Guess@2026").await);
    }
    assert_eq!(real, ghost, "status and body, field for field");
    assert_eq!(real[0].0, StatusCode::UNAUTHORIZED);
    assert_eq!(real[5].0, StatusCode::LOCKED);
}

#[tokio::test]
async fn an_sms_code_in_eastern_arabic_digits_is_accepted() {
    let s = TestServer::start().await;
    let (_, challenge) = s.login_step("rahul2026", PASSWORD).await;
    let id = challenge["challenge_id"].as_str().unwrap();
    let code = s.sms_code(id).await;
    let eastern: String = code.chars().map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap()).unwrap()).collect();
    let (status, body) = s.post("/api/v1/login/otp", json!({"challenge_id": id, "code": eastern}), None).await;
    assert_eq!(status, StatusCode::OK, "{eastern}: {body}");
}

#[tokio::test]
async fn a_code_is_resent_only_after_it_ran_out_and_wrong_tries_are_one_budget() {
    let s = TestServer::start().await;
    let (_, challenge) = s.login_step("rahul2026", PASSWORD).await;
    let id = challenge["challenge_id"].as_str().unwrap();
    let resend = || s.http.post(s.url("/api/v1/login/otp/resend")).json(&json!({"challenge_id": id})).send();
    let early = resend().await.unwrap();
    assert_eq!(early.status(), StatusCode::TOO_MANY_REQUESTS, "the code sent is still good");
    let wait: i64 = early.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=121).contains(&wait), "{wait}");

    let first = s.sms_code(id).await;
    for left in [2, 1] {
        let wrong = &other_codes(&first, 1)[0];
        let (status, body) = s.post("/api/v1/login/otp", json!({"challenge_id": id, "code": wrong}), None).await;
        assert_eq!((status, body["error"]["attempts_left"].as_i64()), (StatusCode::UNAUTHORIZED, Some(left)));
    }
    s.clock.advance(121);
    assert_eq!(resend().await.unwrap().status(), StatusCode::OK);
    let second = s.sms_code(id).await;
    let wrong = &other_codes(&second, 1)[0];
    let (status, body) = s.post("/api/v1/login/otp", json!({"challenge_id": id, "code": wrong}), None).await;
    assert_eq!((status, body["error"]["attempts_left"].as_i64()), (StatusCode::UNAUTHORIZED, Some(0)), "not 2: {body}");
    let (status, _) = s.post("/api/v1/login/otp", json!({"challenge_id": id, "code": second}), None).await;
    assert_eq!(status, StatusCode::GONE, "three wrong codes in all end the login");
}

#[tokio::test]
async fn a_known_password_cannot_flood_the_owners_phone() {
    let s = TestServer::start().await;
    for i in 0..SMS_PER_WINDOW {
        let (status, body) = s.login_step("fahadest01", PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "login {i}: {body}");
    }
    let sent = s.outbox().await.sms.len();
    let (status, body) = s.login_step("fahadest01", PASSWORD).await;
    assert_eq!((status, error_code(&body)), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"), "{body}");
    assert_eq!(s.outbox().await.sms.len(), sent, "no SMS past the budget");
    s.clock.advance(15 * 60);
    let (status, _) = s.login_step("fahadest01", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "a new window");
}

/// A resend the SMS budget refuses changes nothing: before, it had already put a new code (never
/// sent) on the login and pushed its expiry on, so trying again said "the code sent is still good
/// for 121 s" about a code nobody received.
#[tokio::test]
async fn a_resend_refused_by_the_sms_budget_leaves_the_login_as_it_was() {
    let s = TestServer::start().await;
    let (_, challenge) = s.login_step("rahul2026", PASSWORD).await;
    let id = challenge["challenge_id"].as_str().unwrap().to_owned();
    for i in 1..SMS_PER_WINDOW {
        let (status, body) = s.login_step("rahul2026", PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "login {i}: {body}");
    }
    s.clock.advance(121);
    for attempt in 1..=2 {
        let (status, body) = s.post("/api/v1/login/otp/resend", json!({"challenge_id": id}), None).await;
        assert_eq!((status, error_code(&body)), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"), "{body}");
        let wait = body["error"]["retry_after_s"].as_i64().unwrap();
        assert!(wait > 600, "resend {attempt}: the budget's wait (until the window turns), not {wait} s");
    }
    assert_eq!(s.outbox().await.sms.len(), SMS_PER_WINDOW as usize, "no SMS past the budget");
}

#[tokio::test]
async fn housekeeping_deletes_what_can_no_longer_be_used_and_nothing_else() {
    let s = TestServer::start().await;
    let token = s.token("rahul2026").await;
    s.captcha().await;
    s.login_step("abdullah01", PASSWORD).await;
    s.login_step("abdullah01", "Guess@2026").await;
    let nothing = s.store.purge(s.clock.now(), PURGE_POLICY).await.unwrap();
    assert_eq!(nothing, Default::default(), "all of it is still live");
    s.clock.advance(13 * 3600);
    let fresh = s.captcha().await;
    let purged = s.store.purge(s.clock.now(), PURGE_POLICY).await.unwrap();
    assert!(
        purged.captchas >= 1 && purged.challenges == 1 && purged.sessions == 1 && purged.throttles >= 1,
        "{purged:?}"
    );
    assert_eq!(s.get("/api/v1/me/people", Some(&token)).await.0, StatusCode::UNAUTHORIZED);
    let body = json!({"username": "rahul2026", "password": PASSWORD, "captcha_id": fresh.0, "captcha_answer": fresh.1});
    assert_eq!(s.post("/api/v1/login", body, None).await.0, StatusCode::OK, "the fresh image code survived");
}

#[tokio::test]
async fn a_busy_session_still_ends_twelve_hours_after_its_login() {
    let s = TestServer::start().await;
    let token = s.token("rahul2026").await;
    for _ in 0..79 {
        s.clock.advance(9 * 60);
        assert_eq!(s.get("/api/v1/me/people", Some(&token)).await.0, StatusCode::OK);
    }
    s.clock.advance(9 * 60 + 1);
    let (status, body) = s.get("/api/v1/me/people", Some(&token)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "unauthenticated"));
}

#[tokio::test]
async fn logging_out_everywhere_ends_every_session_of_the_user_only() {
    let s = TestServer::start().await;
    let laptop = s.token("rahul2026").await;
    let phone = s.token("rahul2026").await;
    let other = s.token("abdullah01").await;
    for t in [&laptop, &phone] {
        assert_eq!(s.get("/api/v1/me/people", Some(t)).await.0, StatusCode::OK);
    }
    let resp = s.http.post(s.url("/api/v1/logout/all")).bearer_auth(&phone).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    for t in [&laptop, &phone] {
        assert_eq!(s.get("/api/v1/me/people", Some(t)).await.0, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(s.get("/api/v1/me/people", Some(&other)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn password_checks_queue_instead_of_piling_up() {
    let s = TestServer::start_with(Options { password_checks: Some(1), ..Options::default() }).await;
    let client = client_from([127, 0, 0, 1]);
    let mut bodies = Vec::new();
    for i in 0..8 {
        let (captcha_id, answer) = captcha_for(&s, &client).await;
        bodies.push(json!({"username": format!("ghost{i}"), "password": "Guess@2026", "captcha_id": captcha_id, "captcha_answer": answer}));
    }
    let answers =
        join_all(bodies.iter().map(|b| client_from([127, 0, 0, 1]).post(s.url("/api/v1/login")).json(b).send())).await;
    assert!(answers.iter().all(|r| r.as_ref().unwrap().status() == StatusCode::UNAUTHORIZED), "{answers:?}");
    assert_eq!(s.passwords.peak(), 1, "never more than one argon2 check at once");
}

/// A login told the server is busy (no password check free within its wait) had its password never
/// checked, so it costs the account no try: five of them in a row do not lock it (before, each was
/// counted as a wrong password, and the right one then got 423 for 15 minutes).
#[tokio::test(flavor = "multi_thread")]
async fn logins_refused_as_busy_cost_the_account_no_password_try() {
    let s = TestServer::start_with(Options { password_checks: Some(1), ..Options::default() }).await;
    let client = client_from([127, 0, 0, 1]);
    let mut bodies = Vec::new();
    for _ in 0..MAX_PASSWORD_FAILURES {
        let (captcha_id, answer) = captcha_for(&s, &client).await;
        bodies.push(
            json!({"username": "abdullah01", "password": PASSWORD, "captcha_id": captcha_id, "captcha_answer": answer}),
        );
    }
    // The one password check is taken for the whole wait.
    let held = s.passwords.reserve().await.unwrap();
    let answers =
        join_all(bodies.iter().map(|b| client_from([127, 0, 0, 1]).post(s.url("/api/v1/login")).json(b).send())).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.as_ref().unwrap().status()).collect();
    assert!(statuses.iter().all(|s| *s == StatusCode::SERVICE_UNAVAILABLE), "{statuses:?}");
    drop(held);

    let (status, body) = s.login_step("abdullah01", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn one_user_cannot_hold_more_than_their_share_of_the_server() {
    let limits = Limits { in_flight_per_user: 1, ..Limits::default() };
    let s = TestServer::start_with(Options { limits, ..Options::default() }).await;
    let token = s.token("fahadest01").await;
    let path = format!("/api/v1/people/{FAHAD}/transactions?limit=500&sort=amount_desc");
    let answers =
        join_all((0..30).map(|_| client_from([127, 0, 0, 1]).get(s.url(&path)).bearer_auth(&token).send())).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.as_ref().unwrap().status()).collect();
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    let refused: Vec<_> = answers.iter().flatten().filter(|r| r.status() == StatusCode::TOO_MANY_REQUESTS).collect();
    assert!(!refused.is_empty(), "30 at once with room for 1: {statuses:?}");
    assert!(refused.iter().all(|r| r.headers().contains_key("retry-after")));
    assert_eq!(s.get(&path, Some(&token)).await.0, StatusCode::OK, "the places come back");
}

#[tokio::test]
async fn a_login_gets_three_resends_and_no_fourth() {
    let s = TestServer::start().await;
    let (_, challenge) = s.login_step("rahul2026", PASSWORD).await;
    let id = challenge["challenge_id"].as_str().unwrap();
    for n in 1..=3 {
        s.clock.advance(121);
        let (status, body) = s.post("/api/v1/login/otp/resend", json!({"challenge_id": id}), None).await;
        assert_eq!(status, StatusCode::OK, "resend {n}: {body}");
    }
    s.clock.advance(121);
    let (status, body) = s.post("/api/v1/login/otp/resend", json!({"challenge_id": id}), None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::GONE, "otp_expired"), "no fourth resend");
}

#[tokio::test]
async fn one_address_gets_sixty_logins_and_sixty_code_checks_a_minute() {
    let s = TestServer::start().await;
    let client = client_from([127, 0, 0, 4]);
    for i in 0..60 {
        let (status, body) = login_from(&s, &client, &format!("ghost{i}"), "Guess@2026").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "login {i}: {body}");
    }
    let (status, body) = login_from(&s, &client, "rahul2026", PASSWORD).await;
    assert_eq!((status, error_code(&body)), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    let other = client_from([127, 0, 0, 5]);
    assert_eq!(
        login_from(&s, &other, "rahul2026", PASSWORD).await.0,
        StatusCode::OK,
        "another address is not held back"
    );

    for i in 0..60 {
        let body = json!({"challenge_id": format!("no-such-{i}"), "code": "1234"});
        let (status, _) = send(client.post(s.url("/api/v1/login/otp")).json(&body)).await;
        assert_eq!(status, StatusCode::GONE, "check {i}");
    }
    let body = json!({"challenge_id": "no-such", "code": "1234"});
    let (status, body) = send(client.post(s.url("/api/v1/login/otp")).json(&body)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
}

#[tokio::test]
async fn a_right_password_starts_the_count_again() {
    let s = TestServer::start().await;
    for _ in 0..4 {
        assert_eq!(s.login_step("abdullah01", "Guess@2026").await.0, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(s.login_step("abdullah01", PASSWORD).await.0, StatusCode::OK);
    for n in 1..5 {
        assert_eq!(s.login_step("abdullah01", "Guess@2026").await.0, StatusCode::UNAUTHORIZED, "failure {n} after");
    }
    assert_eq!(s.login_step("abdullah01", "Guess@2026").await.0, StatusCode::LOCKED, "the fifth in a row");
}

#[tokio::test]
async fn an_invalid_id_does_not_burn_the_image_code() {
    let s = TestServer::start().await;
    let token = s.token("abdullah01").await;
    let (captcha_id, answer) = s.captcha().await;
    let bad = json!({"id_number": "1057830868", "captcha_id": captcha_id, "captcha_answer": answer});
    let (status, body) = s.post("/api/v1/inquiries/payments-balance", bad, Some(&token)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "invalid_id"));
    let good = json!({"id_number": "1057830869", "captcha_id": captcha_id, "captcha_answer": answer});
    let (status, body) = s.post("/api/v1/inquiries/payments-balance", good, Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "the same image code still works: {body}");
}

#[tokio::test]
async fn the_database_keeps_only_a_hash_of_each_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rasid.db");
    let s = TestServer::start_with(Options { db_file: Some(db.clone()), ..Options::default() }).await;
    let token = s.token("rahul2026").await;
    assert_eq!(s.get("/api/v1/me/people", Some(&token)).await.0, StatusCode::OK);
    let hash = rasid::server::auth::sha256_hex(&[&token]);
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        stored.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let contains = |needle: &[u8]| stored.windows(needle.len()).any(|w| w == needle);
    assert!(contains(hash.as_bytes()), "the session is in the files (database and its log)");
    assert!(!contains(token.as_bytes()), "the token itself is not");
}
