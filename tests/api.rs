//! The API over real HTTP against a real server with a fresh database.

mod common;

use std::collections::{HashMap, HashSet};

use common::{Options, PASSWORD, TestServer, error_code};
use rasid::domain::{Money, PersonKind, Sector, TxKind};
use rasid::server::ratelimit::Limits;
use rasid::server::seed::{ABDULLAH, ANJALI, FAHAD, MARIA, NOURA, RAHUL};
use rasid::server::store::NewTransaction;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn money(v: &Value) -> Money {
    Money::parse(v.as_str().expect("amount is a string")).expect("amount parses")
}

#[tokio::test]
async fn full_login_then_services_and_people() {
    let s = TestServer::start().await;
    let session = s.login("abdullah01").await;
    assert_eq!(session.user.id_number, ABDULLAH);
    assert_eq!(session.user.name_en, "Abdullah Al-Harbi");
    assert_eq!(session.user.kind, PersonKind::Citizen);
    assert_eq!(session.expires_in_s, 600);
    let token = session.token.expose();
    assert_eq!(token.len(), 43, "256-bit token, base64url");

    let (status, tree) = s.get("/api/v1/services", Some(token)).await;
    assert_eq!(status, StatusCode::OK);
    let text = tree.to_string();
    assert!(text.contains("\"action\":\"payments_balance\""), "{text}");

    let (status, people) = s.get("/api/v1/me/people", Some(token)).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = people.as_array().unwrap().iter().map(|p| p["id_number"].as_str().unwrap()).collect();
    assert_eq!(ids, [ABDULLAH, NOURA, MARIA]);
    assert_eq!(people[0]["relation"], "self");
    assert_eq!(people[2]["relation"], "domestic_worker");
    assert_eq!(people[2]["kind"], "resident");

    let (status, body) = s.get("/api/v1/services", None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "unauthenticated"));
}

#[tokio::test]
async fn login_accepts_an_id_number_in_eastern_arabic_digits() {
    let s = TestServer::start().await;
    let (status, body) = s.login_step("١٠٥٧٨٣٠٨٦٩", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["masked_phone"], "05******01");
    assert_eq!(body["otp_expires_in_s"], 120);
    let (status, _) = s.login_step("ABDULLAH01", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "usernames ignore case");
}

#[tokio::test]
async fn inquiry_for_self_dependant_and_refusals() {
    let s = TestServer::start().await;
    let token = s.token("abdullah01").await;

    let (status, me) = s.inquire(&token, ABDULLAH).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["subject"]["name_ar"], "عبدالله الحربي");
    assert_eq!(me["balances"].as_array().unwrap().len(), 5);
    assert!(me["as_of"].as_str().unwrap().starts_with("2026-11-25T10:00:00+03:00"));

    let (status, wife) = s.inquire(&token, "  ١٢٧١٤٩٧٠٩٩ ").await;
    assert_eq!(status, StatusCode::OK, "{wife}");
    assert_eq!(wife["subject"]["id_number"], NOURA, "the response carries the normalised number");

    // Another user's family member, and a valid ID nobody has: the same answer.
    let (status, other) = s.inquire(&token, RAHUL).await;
    assert_eq!((status, error_code(&other)), (StatusCode::FORBIDDEN, "not_authorized"));
    let (status, nobody) = s.inquire(&token, "1058529940").await;
    assert_eq!((status, error_code(&nobody)), (StatusCode::FORBIDDEN, "not_authorized"));
    assert_eq!(other, nobody, "no oracle for which IDs exist");

    let (status, body) = s.inquire(&token, "1057830868").await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "invalid_id"));
    assert!(body["error"]["message"].as_str().unwrap().contains("check digit"));
    let (status, body) = s.inquire(&token, "3057830869").await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "invalid_id"));

    for path in [format!("/api/v1/people/{RAHUL}/transactions"), format!("/api/v1/people/{RAHUL}/spending")] {
        let (status, body) = s.get(&path, Some(&token)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "not_authorized"), "{path}");
    }
}

#[tokio::test]
async fn a_wrong_image_code_is_refused_and_burns_the_captcha() {
    let s = TestServer::start().await;
    let token = s.token("rahul2026").await;
    let (captcha_id, answer) = s.captcha().await;
    let wrong = if answer == "0000" { "1111" } else { "0000" };
    let body = json!({"id_number": RAHUL, "captcha_id": captcha_id, "captcha_answer": wrong});
    let (status, resp) = s.post("/api/v1/inquiries/payments-balance", body, Some(&token)).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::BAD_REQUEST, "captcha_invalid"));
    let body = json!({"id_number": RAHUL, "captcha_id": captcha_id, "captcha_answer": answer});
    let (status, resp) = s.post("/api/v1/inquiries/payments-balance", body, Some(&token)).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::BAD_REQUEST, "captcha_invalid"), "burnt by the miss");
}

#[tokio::test]
async fn an_image_code_typed_in_eastern_arabic_digits_logs_in() {
    let s = TestServer::start().await;
    let eastern = |digits: &str, shift: u32| -> String {
        digits.chars().map(|c| char::from_u32(0x0660 + (c.to_digit(10).unwrap() + shift) % 10).unwrap()).collect()
    };
    let (captcha_id, answer) = s.captcha().await;
    let body = json!({"username": "abdullah01", "password": PASSWORD, "captcha_id": captcha_id,
        "captcha_answer": eastern(&answer, 0)});
    let (status, resp) = s.post("/api/v1/login", body, None).await;
    assert_eq!(status, StatusCode::OK, "the answer in Eastern Arabic digits: {resp}");

    let (captcha_id, answer) = s.captcha().await;
    let body = json!({"username": "abdullah01", "password": PASSWORD, "captcha_id": captcha_id,
        "captcha_answer": eastern(&answer, 1)});
    let (status, resp) = s.post("/api/v1/login", body, None).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::BAD_REQUEST, "captcha_invalid"), "a wrong answer still fails");
}

#[tokio::test]
async fn captchas_are_single_use_and_expire() {
    let s = TestServer::start().await;
    let token = s.token("rahul2026").await;
    let (captcha_id, answer) = s.captcha().await;
    let body = json!({"id_number": RAHUL, "captcha_id": captcha_id, "captcha_answer": answer});
    let (status, _) = s.post("/api/v1/inquiries/payments-balance", body.clone(), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, resp) = s.post("/api/v1/inquiries/payments-balance", body, Some(&token)).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::BAD_REQUEST, "captcha_invalid"), "reuse");

    let (captcha_id, answer) = s.captcha().await;
    s.clock.advance(121);
    let body = json!({"id_number": RAHUL, "captcha_id": captcha_id, "captcha_answer": answer.to_uppercase()});
    let (status, resp) = s.post("/api/v1/inquiries/payments-balance", body, Some(&token)).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::BAD_REQUEST, "captcha_invalid"), "expired");
}

#[tokio::test]
async fn three_wrong_codes_end_the_login() {
    let s = TestServer::start().await;
    let (_, challenge) = s.login_step("rahul2026", PASSWORD).await;
    let id = challenge["challenge_id"].as_str().unwrap();
    let code = s.sms_code(id).await;
    let wrong = if code == "0000" { "1111" } else { "0000" };
    for left in [2, 1, 0] {
        let (status, body) = s.post("/api/v1/login/otp", json!({"challenge_id": id, "code": wrong}), None).await;
        assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "otp_invalid"));
        assert_eq!(body["error"]["attempts_left"], left);
    }
    let (status, body) = s.post("/api/v1/login/otp", json!({"challenge_id": id, "code": code}), None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::GONE, "otp_expired"), "the right code is too late");
    let (status, _) = s.post("/api/v1/login/otp/resend", json!({"challenge_id": id}), None).await;
    assert_eq!(status, StatusCode::GONE, "no resend after three misses: log in again");
}

#[tokio::test]
async fn an_expired_code_is_refused_and_a_resent_one_works() {
    let s = TestServer::start().await;
    let (_, challenge) = s.login_step("fahadest01", PASSWORD).await;
    let id = challenge["challenge_id"].as_str().unwrap();
    let old = s.sms_code(id).await;
    s.clock.advance(121);
    let (status, body) = s.post("/api/v1/login/otp", json!({"challenge_id": id, "code": old}), None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::GONE, "otp_expired"));
    let (status, body) = s.post("/api/v1/login/otp/resend", json!({"challenge_id": id}), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let new = s.sms_code(id).await;
    let (status, body) = s.post("/api/v1/login/otp", json!({"challenge_id": id, "code": new}), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["id_number"], FAHAD);
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let s = TestServer::start().await;
    for _ in 0..4 {
        let (status, body) = s.login_step("abdullah01", "Wrong@2026").await;
        assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "invalid_credentials"));
        assert!(body["error"].get("attempts_left").is_none(), "no count that only real accounts have: {body}");
    }
    let (status, body) = s.login_step("abdullah01", "Wrong@2026").await;
    assert_eq!((status, error_code(&body)), (StatusCode::LOCKED, "account_locked"));
    assert_eq!(body["error"]["retry_after_s"], 900);
    let (status, body) = s.login_step("abdullah01", PASSWORD).await;
    assert_eq!((status, error_code(&body)), (StatusCode::LOCKED, "account_locked"), "even the right password");
    s.clock.advance(15 * 60 + 1);
    let (status, body) = s.login_step("abdullah01", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Other accounts were never affected, and unknown users look like wrong passwords.
    let (status, body) = s.login_step("nobody", PASSWORD).await;
    assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "invalid_credentials"));
}

#[tokio::test]
async fn sessions_end_after_ten_idle_minutes_and_on_logout() {
    let s = TestServer::start().await;
    let token = s.token("rahul2026").await;
    s.clock.advance(500);
    assert_eq!(s.get("/api/v1/me/people", Some(&token)).await.0, StatusCode::OK);
    s.clock.advance(500);
    assert_eq!(s.get("/api/v1/me/people", Some(&token)).await.0, StatusCode::OK, "activity keeps it alive");
    s.clock.advance(601);
    let (status, body) = s.get("/api/v1/me/people", Some(&token)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "unauthenticated"));

    let token = s.token("rahul2026").await;
    let resp = s.http.post(s.url("/api/v1/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let (status, _) = s.get("/api/v1/me/people", Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked token is refused");
    let (status, _) = s.get("/api/v1/me/people", Some("not-a-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn balances_equal_the_sums_of_the_transactions() {
    let s = TestServer::start().await;
    for (user, ids) in [("abdullah01", vec![ABDULLAH, NOURA, MARIA]), ("rahul2026", vec![RAHUL, ANJALI])] {
        let token = s.token(user).await;
        for id in ids {
            let (status, report) = s.inquire(&token, id).await;
            assert_eq!(status, StatusCode::OK);
            let (rows, _) = s.all_transactions(&token, id, "limit=500").await;
            assert!(!rows.is_empty(), "{id} has a history");
            let mut sums: HashMap<(String, String), Money> = HashMap::new();
            for r in &rows {
                *sums.entry((r["sector"].as_str().unwrap().into(), r["kind"].as_str().unwrap().into())).or_default() +=
                    money(&r["amount"]);
            }
            let mut total_available = Money::ZERO;
            for b in report["balances"].as_array().unwrap() {
                let sector = b["sector"].as_str().unwrap().to_owned();
                let get = |kind: &str| sums.get(&(sector.clone(), kind.to_owned())).copied().unwrap_or_default();
                assert_eq!(money(&b["paid"]), get("payment"), "{id} {sector} paid");
                assert_eq!(money(&b["used"]), get("usage"), "{id} {sector} used");
                assert_eq!(money(&b["refunded"]), get("refund"), "{id} {sector} refunded");
                let available = money(&b["available"]);
                assert_eq!(available, get("payment") - get("usage") - get("refund"));
                assert!(!available.is_negative());
                total_available += available;
            }
            assert_eq!(money(&report["totals"]["available"]), total_available);
            assert!(total_available > Money::ZERO, "{id} has money still available");
            let kinds: HashSet<&str> = rows.iter().map(|r| r["kind"].as_str().unwrap()).collect();
            assert_eq!(kinds.len(), 3, "{id}: payment, usage and refund rows");
            // The kept sums agree with a recomputation from the rows in the database.
            assert_eq!(s.store.balances(id).await.unwrap(), s.store.recompute_balances(id).await.unwrap());
        }
    }
}

#[tokio::test]
async fn paging_a_large_history_has_no_gaps_or_repeats_in_any_order() {
    let s = TestServer::start_with(Options { workers: 40, ..Options::default() }).await;
    let token = s.token("fahadest01").await;
    let (everything, totals) = s.all_transactions(&token, FAHAD, "limit=500&sort=date_asc").await;
    assert!(everything.len() > 3000, "{} rows", everything.len());
    assert!(totals.iter().all(|t| *t == everything.len() as u64));
    let all_ids: HashSet<i64> = everything.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(all_ids.len(), everything.len(), "no repeats");

    for sort in ["date_desc", "amount_asc", "amount_desc"] {
        let (rows, _) = s.all_transactions(&token, FAHAD, &format!("limit=137&sort={sort}")).await;
        let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert_eq!(ids.iter().copied().collect::<HashSet<_>>(), all_ids, "{sort}: same rows");
        assert_eq!(ids.len(), all_ids.len(), "{sort}: no repeats");
        let keys: Vec<(String, i64)> = rows
            .iter()
            .map(|r| match sort {
                "date_desc" => (r["date"].as_str().unwrap().to_owned(), r["id"].as_i64().unwrap()),
                _ => (format!("{:012} {}", money(&r["amount"]).halalas(), date(r)), r["id"].as_i64().unwrap()),
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        if sort.ends_with("desc") {
            sorted.reverse();
        }
        assert_eq!(keys, sorted, "{sort}: in order");
    }

    // Filters narrow the same set, and total_count counts what the pages hold.
    let worker = everything.iter().map(|r| r["beneficiary_id"].as_str().unwrap()).find(|b| *b != FAHAD).unwrap();
    for query in [
        "sector=labour".to_owned(),
        "kind=refund".to_owned(),
        "from=2024-01-01&to=2024-12-31".to_owned(),
        format!("q={worker}"),
        "q=re-entry&sector=passports".to_owned(),
    ] {
        let (rows, totals) = s.all_transactions(&token, FAHAD, &format!("limit=200&{query}")).await;
        assert!(!rows.is_empty(), "{query}");
        assert_eq!(totals[0], rows.len() as u64, "{query}");
        let expected = everything.iter().filter(|r| match query.as_str() {
            "sector=labour" => r["sector"] == "labour",
            "kind=refund" => r["kind"] == "refund",
            "from=2024-01-01&to=2024-12-31" => r["date"].as_str().unwrap().starts_with("2024"),
            "q=re-entry&sector=passports" => {
                r["sector"] == "passports" && r["service_en"].as_str().unwrap().to_lowercase().contains("re-entry")
            }
            _ => r["beneficiary_id"] == worker,
        });
        assert_eq!(expected.count(), rows.len(), "{query}");
    }

    let (status, body) = s.get(&format!("/api/v1/people/{FAHAD}/transactions?cursor=garbage"), Some(&token)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "bad_request"));
    let (status, body) = s.get(&format!("/api/v1/people/{FAHAD}/transactions?limit=0"), Some(&token)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "bad_request"));
    for day in ["yesterday", "25-01-01", "2025-1-1"] {
        let (status, body) = s.get(&format!("/api/v1/people/{FAHAD}/transactions?from={day}"), Some(&token)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "bad_request"), "{day}");
    }
}

const SORTS: [&str; 4] = ["date_desc", "date_asc", "amount_desc", "amount_asc"];

fn date(r: &Value) -> &str {
    r["date"].as_str().unwrap()
}

fn ids<'a>(rows: impl IntoIterator<Item = &'a Value>) -> Vec<i64> {
    rows.into_iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

/// Rows in the order `sort` shows them, from rows in date_asc order.
fn in_order<'a>(mut rows: Vec<&'a Value>, sort: &str) -> Vec<&'a Value> {
    let key = |r: &Value| (money(&r["amount"]).halalas(), date(r).to_owned(), r["id"].as_i64().unwrap());
    match sort {
        "date_asc" => {}
        "date_desc" => rows.reverse(),
        "amount_asc" => rows.sort_by_key(|r| key(r)),
        _ => rows.sort_by_key(|r| std::cmp::Reverse(key(r))),
    }
    rows
}

/// 3456 as "3,456", as the server writes counts in its messages.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[tokio::test]
async fn a_text_search_reading_too_many_rows_is_refused_with_the_from_that_narrows_it() {
    let s = TestServer::start_with(Options { workers: 40, scan_limit: 1000, ..Options::default() }).await;
    let token = s.token("fahadest01").await;
    // Filters the kept counts and indexes answer are served whatever the limit.
    let (everything, _) = s.all_transactions(&token, FAHAD, "limit=500&sort=date_asc").await;
    assert!(everything.len() > 3000, "{} rows", everything.len());
    let worker = everything.iter().map(|r| r["beneficiary_id"].as_str().unwrap()).find(|b| *b != FAHAD).unwrap();

    let mut named = HashSet::new();
    for sort in SORTS {
        let (status, body) =
            s.get(&format!("/api/v1/people/{FAHAD}/transactions?q={worker}&sort={sort}"), Some(&token)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "bad_request"), "{sort}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("at most 1,000 transactions"), "{message}");
        assert!(message.contains(&format!("leave {} to read", grouped(everything.len()))), "{message}");
        assert!(message.contains("`sector`") && message.contains("`kind`"), "{message}");
        let from = message.split("`from=").nth(1).and_then(|rest| rest.get(..10)).expect("a from in the message");
        named.insert(from.to_owned());
    }
    assert_eq!(named.len(), 1, "{named:?}");
    let from = named.into_iter().next().unwrap();
    // The day named is the earliest from which the search reads no more than the limit.
    assert!(everything.iter().filter(|r| date(r) >= from.as_str()).count() <= 1000);
    let day_before = everything.iter().map(date).filter(|d| *d < from.as_str()).max().unwrap();
    assert!(everything.iter().filter(|r| date(r) >= day_before).count() > 1000);

    // Narrowed as the message says, the search answers with exactly the matching rows.
    let (rows, totals) = s.all_transactions(&token, FAHAD, &format!("limit=7&q={worker}&from={from}")).await;
    let expected: Vec<&Value> =
        everything.iter().rev().filter(|r| date(r) >= from.as_str() && r["beneficiary_id"] == worker).collect();
    assert!(!expected.is_empty());
    assert_eq!(ids(&rows), ids(expected.iter().copied()));
    assert!(totals.iter().all(|t| *t == expected.len() as u64), "{totals:?}");
    // So does a sector with few rows.
    let (rows, _) = s.all_transactions(&token, FAHAD, "limit=50&q=sadad&sector=vehicles&sort=amount_desc").await;
    let vehicles = in_order(everything.iter().filter(|r| r["sector"] == "vehicles").collect(), "amount_desc");
    assert!(!vehicles.is_empty());
    assert_eq!(ids(&rows), ids(vehicles));
}

#[tokio::test]
async fn every_filter_and_sort_pages_through_exactly_its_rows_and_counts_them() {
    // At the default limit amount sorts over a date range read the range; at 500 they take the
    // amount index's runs instead (text searches are left to the default).
    for scan_limit in [rasid::server::store::DEFAULT_SCAN_LIMIT, 500] {
        let s = TestServer::start_with(Options { workers: 40, scan_limit, ..Options::default() }).await;
        let token = s.token("fahadest01").await;
        // Rows arriving after the seed: refunds on a day that has rows and on a day of their own.
        let refund = |date: &str, amount: i64| NewTransaction {
            id_number: FAHAD.into(),
            date: date.into(),
            sector: Sector::Labour,
            service_code: "portal_final_exit",
            kind: TxKind::Refund,
            amount: Money::from_halalas(amount),
            beneficiary_id: FAHAD.into(),
            reference: "SADAD-1".into(),
        };
        let (seeded, _) = s.all_transactions(&token, FAHAD, "limit=500").await;
        let busy_day = date(&seeded[0]).to_owned();
        s.store.insert_transactions(&[refund(&busy_day, 7000), refund("2019-02-03", 7000)]).await.unwrap();
        s.store.insert_transactions(&[refund(&busy_day, 100)]).await.unwrap();

        let (everything, _) = s.all_transactions(&token, FAHAD, "limit=500&sort=date_asc").await;
        assert_eq!(everything.len(), seeded.len() + 3);
        let worker = everything.iter().map(|r| r["beneficiary_id"].as_str().unwrap()).find(|b| *b != FAHAD).unwrap();
        type Keep = Box<dyn Fn(&Value) -> bool>;
        let mut filters: Vec<(String, Keep)> = vec![
            ("sector=labour".into(), Box::new(|r| r["sector"] == "labour")),
            ("sector=vehicles".into(), Box::new(|r| r["sector"] == "vehicles")),
            ("sector=sponsorees".into(), Box::new(|r| r["sector"] == "sponsorees")),
            ("kind=payment".into(), Box::new(|r| r["kind"] == "payment")),
            ("kind=refund".into(), Box::new(|r| r["kind"] == "refund")),
            ("sector=passports&kind=usage".into(), Box::new(|r| r["sector"] == "passports" && r["kind"] == "usage")),
            ("sector=labour&kind=refund".into(), Box::new(|r| r["sector"] == "labour" && r["kind"] == "refund")),
            ("from=2024-01-01&to=2024-12-31".into(), Box::new(|r| date(r).starts_with("2024"))),
            ("from=2026-11-01".into(), Box::new(|r| date(r) >= "2026-11-01")),
            ("to=2021-06-30".into(), Box::new(|r| date(r) <= "2021-06-30")),
            (
                "kind=usage&from=2022-03-01&to=2023-02-28".into(),
                Box::new(|r| r["kind"] == "usage" && ("2022-03-01"..="2023-02-28").contains(&date(r))),
            ),
            (
                "sector=vehicles&from=2020-01-01".into(),
                Box::new(|r| r["sector"] == "vehicles" && date(r) >= "2020-01-01"),
            ),
        ];
        if scan_limit > 500 {
            let w = worker.to_owned();
            filters.push((format!("q={worker}"), Box::new(move |r| r["beneficiary_id"] == w.as_str())));
            filters.push((
                "q=re-entry&sector=passports".into(),
                Box::new(|r| r["sector"] == "passports" && r["service_en"].as_str().unwrap().contains("re-entry")),
            ));
            filters.push((
                "q=SADAD-1&kind=refund".into(),
                Box::new(|r| r["kind"] == "refund" && r["reference"] == "SADAD-1"),
            ));
            filters.push(("q=zz&from=2025-01-01".into(), Box::new(|_| false)));
        }
        for (query, keep) in &filters {
            let matching: Vec<&Value> = everything.iter().filter(|r| keep(r)).collect();
            for sort in SORTS {
                let query = format!("limit=61&sort={sort}&{query}");
                let (rows, totals) = s.all_transactions(&token, FAHAD, &query).await;
                assert_eq!(ids(&rows), ids(in_order(matching.clone(), sort)), "{query}");
                assert!(totals.iter().all(|t| *t == matching.len() as u64), "{query}: {totals:?} {}", matching.len());
            }
        }
    }
}

#[tokio::test]
async fn one_worker_has_an_empty_history() {
    let s = TestServer::start().await;
    let token = s.token("fahadest01").await;
    let (_, people) = s.get("/api/v1/me/people", Some(&token)).await;
    let people = people.as_array().unwrap();
    assert_eq!(people.len(), 1 + 12);
    let newest = people.last().unwrap()["id_number"].as_str().unwrap();
    let (status, page) = s.get(&format!("/api/v1/people/{newest}/transactions"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total_count"], 0);
    assert_eq!(page["items"], json!([]));
    let (status, report) = s.inquire(&token, newest).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["totals"]["available"], "0.00");
}

#[tokio::test]
async fn a_domestic_workers_own_history_is_what_her_sponsor_paid_for_her() {
    let s = TestServer::start().await;
    let token = s.token("abdullah01").await;
    let what = |r: &Value| {
        (r["date"].clone(), r["service_code"].clone(), r["kind"].clone(), r["amount"].clone(), r["reference"].clone())
    };
    let (sponsors, _) = s.all_transactions(&token, ABDULLAH, "sort=date_asc").await;
    let paid_for_her: Vec<_> = sponsors.iter().filter(|r| r["beneficiary_id"] == MARIA).map(what).collect();
    let (hers, _) = s.all_transactions(&token, MARIA, "sort=date_asc").await;
    assert!(!paid_for_her.is_empty());
    assert_eq!(hers.iter().map(what).collect::<Vec<_>>(), paid_for_her, "one history, seen from either ID");
}

#[tokio::test]
async fn spending_series_add_up_to_what_was_used() {
    let s = TestServer::start().await;
    let token = s.token("rahul2026").await;
    let (_, report) = s.inquire(&token, RAHUL).await;
    let used = money(&report["totals"]["used"]);
    for by in ["month", "hijri_month", "year"] {
        let (status, body) = s.get(&format!("/api/v1/people/{RAHUL}/spending?by={by}"), Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let series = body["series"].as_array().unwrap();
        let sum: Money = series.iter().map(|p| money(&p["spent"])).sum();
        assert_eq!(sum, used, "{by}");
        let periods: Vec<&str> = series.iter().map(|p| p["period"].as_str().unwrap()).collect();
        let mut sorted = periods.clone();
        sorted.sort();
        assert_eq!(periods, sorted, "{by}: oldest first");
    }
    let (_, months) = s.get(&format!("/api/v1/people/{RAHUL}/spending?by=month"), Some(&token)).await;
    let months = months["series"].as_array().unwrap();
    assert!(months.len() > 60, "gaps are filled: {} months", months.len());
    // 2026-01-01 falls in Rajab 1447; today is 15 Jumada al-Akhirah 1448.
    let (_, hijri) =
        s.get(&format!("/api/v1/people/{RAHUL}/spending?by=hijri_month&from=2026-01-01"), Some(&token)).await;
    let periods: Vec<&str> =
        hijri["series"].as_array().unwrap().iter().map(|p| p["period"].as_str().unwrap()).collect();
    assert!(!periods.is_empty());
    assert!(periods.iter().all(|p| ("1447-07"..="1448-06").contains(p)), "{periods:?}");
    let (_, sector) = s.get(&format!("/api/v1/people/{RAHUL}/spending?by=year&sector=labour"), Some(&token)).await;
    assert_eq!(sector["series"], json!([]), "a resident's own history has no labour fees");
}

#[tokio::test]
async fn every_failure_is_the_error_envelope() {
    let s = TestServer::start().await;
    let (status, body) = s.get("/api/v1/no-such-thing", None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::NOT_FOUND, "not_found"));

    let resp =
        s.http.post(s.url("/api/v1/login")).header("content-type", "application/json").body("{not json").send().await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(error_code(&body), "bad_request");

    let huge = json!({"username": "x".repeat(100_000), "password": "p", "captcha_id": "c", "captcha_answer": "a"});
    let (status, body) = s.post("/api/v1/login", huge, None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));

    let extra = json!({"username": "u", "password": "p", "captcha_id": "c", "captcha_answer": "a", "admin": true});
    let (status, body) = s.post("/api/v1/login", extra, None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "bad_request"), "unknown fields");

    let wrong_type = json!({"username": 5, "password": "p", "captcha_id": "c", "captcha_answer": "a"});
    let (status, body) = s.post("/api/v1/login", wrong_type, None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "bad_request"));

    let token = s.token("abdullah01").await;
    let sql = "%27%20OR%201%3D1%20--";
    let (status, body) = s.get(&format!("/api/v1/people/{ABDULLAH}/transactions?q={sql}"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["total_count"], 0, "SQL in the text filter is only text");
    let (status, body) = s.get(&format!("/api/v1/people/{sql}/transactions"), Some(&token)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "invalid_id"));
    // A range that ends before it starts is a slip to point out, not an empty history.
    for what in ["transactions", "spending"] {
        let path = format!("/api/v1/people/{ABDULLAH}/{what}?from=2026-12-01&to=2026-01-01");
        let (status, body) = s.get(&path, Some(&token)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "bad_request"), "{what}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("`from` (2026-12-01) is after `to`"), "{body}");
    }
    let (status, body) = s.get(&format!("/api/v1/people/{ABDULLAH}/transactions?sector=fines"), Some(&token)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "bad_request"));
}

#[tokio::test]
async fn the_outbox_exists_only_in_dev_mode() {
    let s = TestServer::start_with(Options { dev: false, ..Options::default() }).await;
    let (status, body) = s.get("/api/v1/dev/outbox", None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::NOT_FOUND, "not_found"));
    let (status, _) = s.post("/api/v1/captcha", json!({}), None).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn captcha_requests_past_the_budget_get_429_with_retry_after() {
    let limits = Limits { captcha_per_minute: 60, ..Limits::default() };
    let s = TestServer::start_with(Options { limits, ..Options::default() }).await;
    for _ in 0..60 {
        let (status, _) = s.post("/api/v1/captcha", json!({}), None).await;
        assert_eq!(status, StatusCode::CREATED, "60 a minute leave room for a family");
    }
    let resp = s.http.post(s.url("/api/v1/captcha")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: i64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(error_code(&body), "rate_limited");
}

#[tokio::test]
async fn openapi_document_lists_every_route() {
    let s = TestServer::start().await;
    let (status, doc) = s.get("/api/v1/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let expected = [
        ("get", "/healthz"),
        ("get", "/readyz"),
        ("post", "/api/v1/captcha"),
        ("post", "/api/v1/login"),
        ("post", "/api/v1/login/otp"),
        ("post", "/api/v1/login/otp/resend"),
        ("post", "/api/v1/logout"),
        ("post", "/api/v1/logout/all"),
        ("get", "/api/v1/services"),
        ("get", "/api/v1/me/people"),
        ("post", "/api/v1/inquiries/payments-balance"),
        ("get", "/api/v1/people/{id}/transactions"),
        ("get", "/api/v1/people/{id}/spending"),
        ("get", "/api/v1/people/{id}/documents"),
        ("get", "/api/v1/establishment/workers"),
        ("get", "/api/v1/establishment/renewals"),
        ("get", "/api/v1/dev/outbox"),
    ];
    let paths = doc["paths"].as_object().unwrap();
    let documented: HashSet<(String, String)> = paths
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| (m.clone(), path.clone())))
        .collect();
    let expected: HashSet<(String, String)> = expected.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, expected);
    // Every operation can meet a database out of reach, or its deadline: a generated client knows.
    for (method, path) in &expected {
        assert!(doc["paths"][path][method]["responses"]["503"].is_object(), "{method} {path} does not list 503");
    }
    // Every documented route answers (not the router's 404 for an unknown path).
    for (method, path) in &expected {
        let url = s.url(&path.replace("{id}", ABDULLAH));
        let req = if method == "get" { s.http.get(url) } else { s.http.post(url).json(&json!({})) };
        let resp = req.send().await.unwrap();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        assert_ne!(error_code(&body), "not_found", "{method} {path}");
    }
    for schema in
        ["BalanceReport", "Transaction", "ErrorBody", "LoginRequest", "WorkersReport", "RenewalsPage", "Document"]
    {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

#[test]
fn completions_and_the_man_page_generate() {
    for shell in ["bash", "zsh", "fish"] {
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_rasid")).args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("serve") && text.contains("lang"), "{shell}: {text}");
        assert!(text.contains("driving_licence"), "{shell}: --sector completes its values");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rasid")).arg("man").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with(".ie") || text.contains(".TH rasid"), "{text}");
    assert!(text.contains("Exit status"), "the exit codes are in the page");
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rasid")).arg("man").arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    for page in ["rasid.1", "rasid-transactions.1", "rasid-login.1", "rasid-serve.1"] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(text.contains(".TH"), "{page}");
    }
    let transactions = std::fs::read_to_string(dir.path().join("rasid-transactions.1")).unwrap();
    assert!(transactions.contains("sector") && transactions.contains("hledger"), "{transactions}");
}

#[tokio::test]
async fn readiness_checks_the_database() {
    let s = TestServer::start().await;
    let (status, body) = s.get("/readyz", None).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("ready")));
}

#[test]
fn dev_mode_is_refused_on_a_non_loopback_address() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rasid"))
        .args(["serve", "--dev", "--bind", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
}

#[tokio::test]
async fn no_random_id_outside_my_people_ever_returns_data() {
    use rand::{Rng, SeedableRng};
    let s = TestServer::start().await;
    let token = s.token("rahul2026").await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let mut bodies = HashSet::new();
    // Random valid IDs, plus every demo ID that belongs to someone else.
    let mut ids: Vec<String> = (0..150)
        .map(|_| {
            let kind = if rng.random_bool(0.5) { PersonKind::Citizen } else { PersonKind::Resident };
            rasid::domain::IdNumber::from_serial(kind, rng.random_range(0..100_000_000)).to_string()
        })
        .collect();
    ids.extend([ABDULLAH, NOURA, MARIA, FAHAD].map(String::from));
    for id in ids.iter().filter(|id| *id != RAHUL && *id != ANJALI) {
        for path in [format!("/api/v1/people/{id}/transactions"), format!("/api/v1/people/{id}/spending")] {
            let (status, body) = s.get(&path, Some(&token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
            bodies.insert(body.to_string());
        }
    }
    for id in ids.iter().take(20) {
        let (status, body) = s.inquire(&token, id).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{id}");
        bodies.insert(body.to_string());
    }
    assert_eq!(bodies.len(), 1, "one answer for every ID, existing or not: {bodies:?}");
}

#[tokio::test]
async fn logins_naming_one_account_are_limited_from_any_address() {
    let limits = Limits { logins_per_account_per_minute: 3, ..Limits::default() };
    let s = TestServer::start_with(Options { limits, ..Options::default() }).await;
    for _ in 0..3 {
        let (status, _) = s.login_step("rahul2026", "Wrong@2026").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (captcha_id, answer) = s.captcha().await;
    let body =
        json!({"username": "RAHUL2026", "password": PASSWORD, "captcha_id": captcha_id, "captcha_answer": answer});
    let resp = s.http.post(s.url("/api/v1/login")).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    let (status, _) = s.login_step("abdullah01", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "another account is not held back");
}

#[tokio::test]
async fn an_unknown_username_costs_what_a_wrong_password_costs() {
    // Loose on purpose (shared machines): without the decoy hash an unknown user
    // answers in about a millisecond, against tens of milliseconds of argon2.
    let s = TestServer::start().await;
    let _ = s.login_step("nobody-warmup", "x").await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..4 {
        let (captcha_id, answer) = s.captcha().await;
        let body = json!({"username": "fahadest01", "password": format!("Wrong{i}"), "captcha_id": captcha_id, "captcha_answer": answer});
        let t = std::time::Instant::now();
        s.post("/api/v1/login", body, None).await;
        known.push(t.elapsed());
        let (captcha_id, answer) = s.captcha().await;
        let body = json!({"username": format!("ghost{i}"), "password": "Wrong", "captcha_id": captcha_id, "captcha_answer": answer});
        let t = std::time::Instant::now();
        s.post("/api/v1/login", body, None).await;
        unknown.push(t.elapsed());
    }
    // The fastest of each: a stall of the machine only ever adds time.
    let (known_min, unknown_min) = (known.iter().min().unwrap(), unknown.iter().min().unwrap());
    assert!(*unknown_min * 5 > *known_min, "unknown {unknown:?} vs known {known:?}");
}

#[tokio::test]
async fn an_image_code_counts_only_for_the_address_it_was_issued_to() {
    let s = TestServer::start().await;
    // Another client on this machine: 127.0.0.2 is loopback too.
    let other = reqwest::Client::builder().local_address(std::net::IpAddr::from([127, 0, 0, 2])).build().unwrap();
    let captcha: Value = other.post(s.url("/api/v1/captcha")).send().await.unwrap().json().await.unwrap();
    let id = captcha["captcha_id"].as_str().unwrap();
    let answer = s.outbox().await.captchas.iter().find(|c| c.captcha_id == id).unwrap().answer.clone();
    let body = json!({"username": "rahul2026", "password": PASSWORD, "captcha_id": id, "captcha_answer": answer});
    let (status, resp) = s.post("/api/v1/login", body, None).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::BAD_REQUEST, "captcha_invalid"));
}

/// A NUL character (which PostgreSQL's text cannot hold) in a login, a search or a report is a
/// request's fault on either engine: a 400 with the envelope or an ordinary answer, never a 500.
#[tokio::test]
async fn a_nul_character_anywhere_is_never_a_server_error() {
    let s = TestServer::start().await;
    let token = s.token("fahadest01").await;
    let answers = [
        s.post(
            "/api/v1/login",
            json!({"username": "a\u{0}b", "password": "x", "captcha_id": "c\u{0}", "captcha_answer": "1"}),
            None,
        )
        .await,
        s.get(&format!("/api/v1/people/{FAHAD}/transactions?q=a%00b"), Some(&token)).await,
        s.get("/api/v1/establishment/workers?q=%00", Some(&token)).await,
        s.post(
            "/api/v1/inquiries/payments-balance",
            json!({"id_number": FAHAD, "captcha_id": "\u{0}", "captcha_answer": "1"}),
            Some(&token),
        )
        .await,
    ];
    for (status, body) in answers {
        assert!(status.is_success() || status.is_client_error(), "{status}: {body}");
        if status.is_client_error() {
            assert!(!error_code(&body).is_empty(), "the error envelope: {body}");
        }
    }
}
