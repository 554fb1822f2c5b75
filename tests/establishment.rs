//! The establishment's reports over real HTTP: every worker's money, documents,
//! and renewals due, against the demo seed on the tests' clock (2026-11-25, Riyadh).

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Months, NaiveDate};
use common::{Options, TestServer, error_code};
use rasid::domain::{HijriDate, Money};
use rasid::server::seed::{ABDULLAH, ANJALI, FAHAD, MARIA, NOURA, RAHUL};
use reqwest::StatusCode;
use serde_json::Value;

const SECTORS: [&str; 5] = ["passports", "vehicles", "driving_licence", "sponsorees", "labour"];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn money(v: &Value) -> Money {
    Money::parse(v.as_str().expect("amount is a string")).expect("amount parses")
}

fn day(v: &Value) -> NaiveDate {
    v.as_str().expect("a day").parse().expect("YYYY-MM-DD")
}

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(|w| w["id_number"].as_str().unwrap().to_owned()).collect()
}

async fn workers_of(s: &TestServer, token: &str) -> Vec<String> {
    let (_, people) = s.get("/api/v1/me/people", Some(token)).await;
    people
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["relation"] == "worker")
        .map(|p| p["id_number"].as_str().unwrap().to_owned())
        .collect()
}

/// Every page of the workers' report, following `next_cursor`; the pages as they came.
async fn report_pages(s: &TestServer, token: &str, query: &str) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/establishment/workers?{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let (status, body) = s.get(&path, Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        cursor = body["next_cursor"].as_str().map(str::to_owned);
        pages.push(body);
        if cursor.is_none() {
            return pages;
        }
    }
}

async fn report(s: &TestServer, token: &str, query: &str) -> (Vec<Value>, Value) {
    let pages = report_pages(s, token, query).await;
    let items = pages.iter().flat_map(|p| p["items"].as_array().unwrap().clone()).collect();
    (items, pages[0].clone())
}

/// Every row of a history, oldest first.
async fn history(s: &TestServer, token: &str, id: &str) -> Vec<Value> {
    s.all_transactions(token, id, "limit=500&sort=date_asc").await.0
}

#[tokio::test]
async fn report_rows_and_sums_equal_the_workers_inquiries() {
    let s = TestServer::start_with(Options { workers: 40, ..Options::default() }).await;
    let token = s.token("fahadest01").await;
    let (items, first) = report(&s, &token, "limit=500").await;
    assert_eq!(items.len(), 40);
    assert_eq!(first["total_count"], 40);

    // The sums cover every worker.
    for field in ["paid", "used", "refunded", "available"] {
        let total: Money = items.iter().map(|w| money(&w["totals"][field])).sum();
        assert_eq!(money(&first["sums"][field]), total, "{field}");
    }
    let held: Vec<&Value> = items.iter().filter(|w| money(&w["totals"]["available"]) > Money::ZERO).collect();
    assert!(held.len() >= 5 && held.len() < 40, "{} workers hold money", held.len());

    // Sampled workers, some holding money and some not: each line is what an inquiry says,
    // and narrowed to them (q by ID) the sums are their inquiries' totals.
    let sample: Vec<&Value> = held.iter().take(4).copied().chain(items.iter().step_by(9).take(4)).collect();
    for w in sample {
        let id = w["id_number"].as_str().unwrap();
        let (status, inquiry) = s.inquire(&token, id).await;
        assert_eq!(status, StatusCode::OK, "{inquiry}");
        for field in ["paid", "used", "refunded", "available"] {
            assert_eq!(w["totals"][field], inquiry["totals"][field], "{id} {field}");
        }
        for b in inquiry["balances"].as_array().unwrap() {
            let sector = b["sector"].as_str().unwrap();
            assert_eq!(w["available"][sector], b["available"], "{id} {sector}");
        }
        let (_, alone) = s.get(&format!("/api/v1/establishment/workers?q={id}"), Some(&token)).await;
        assert_eq!(alone["total_count"], 1, "{id}");
        assert_eq!(alone["sums"], inquiry["totals"], "{id}");

        // The days come from the worker's own history: the newest payment, and (services using the
        // oldest money first) the oldest payment that the money still held came from.
        let rows = history(&s, &token, id).await;
        let payments: Vec<&Value> = rows.iter().filter(|r| r["kind"] == "payment").collect();
        assert_eq!(w["last_payment_on"], payments.last().map_or(Value::Null, |p| p["date"].clone()), "{id}");
        let mut oldest_unused: Option<NaiveDate> = None;
        for sector in SECTORS {
            let mut left = money(&w["available"][sector]);
            for p in payments.iter().rev().filter(|p| p["sector"] == sector) {
                if left <= Money::ZERO {
                    break;
                }
                left = left - money(&p["amount"]);
                if left <= Money::ZERO {
                    let paid = day(&p["date"]);
                    oldest_unused = Some(oldest_unused.map_or(paid, |o| o.min(paid)));
                }
            }
        }
        let reported = w["oldest_unused_on"].as_str().map(|d| d.parse::<NaiveDate>().unwrap());
        assert_eq!(reported, oldest_unused, "{id}");
    }
}

fn sort_key(sort: &str, w: &Value) -> (String, String) {
    let id = w["id_number"].as_str().unwrap().to_owned();
    let amount = || format!("{:015}", money(&w["totals"]["available"]).halalas());
    let key = match sort {
        "available_desc" | "available_asc" => amount(),
        "name" => w["name_en"].as_str().unwrap().to_lowercase(),
        "id_number" => id.clone(),
        _ => w["oldest_unused_on"].as_str().unwrap_or("~ nothing held").to_owned(),
    };
    (key, id)
}

#[tokio::test]
async fn every_worker_appears_once_across_pages_both_ways_in_every_sort() {
    let s = TestServer::start_with(Options { workers: 40, ..Options::default() }).await;
    let token = s.token("fahadest01").await;
    let expected: HashSet<String> = workers_of(&s, &token).await.into_iter().collect();
    assert_eq!(expected.len(), 40);
    for sort in ["available_desc", "available_asc", "name", "id_number", "oldest_unused"] {
        let pages = report_pages(&s, &token, &format!("limit=7&sort={sort}")).await;
        assert_eq!(pages.len(), 6, "{sort}: 40 workers in pages of 7");
        assert!(pages[0]["prev_cursor"].is_null(), "{sort}: nothing before the first page");
        let items: Vec<Value> = pages.iter().flat_map(|p| p["items"].as_array().unwrap().clone()).collect();
        let seen = ids(&items);
        assert_eq!(seen.len(), 40, "{sort}: no repeats");
        assert_eq!(seen.iter().cloned().collect::<HashSet<_>>(), expected, "{sort}: every worker");
        assert!(pages.iter().all(|p| p["total_count"] == 40), "{sort}");

        // In the order the sort names, ties by ID.
        let keys: Vec<(String, String)> = items.iter().map(|w| sort_key(sort, w)).collect();
        let mut sorted = keys.clone();
        sorted.sort_by(|a, b| if sort == "available_desc" { b.0.cmp(&a.0).then(a.1.cmp(&b.1)) } else { a.cmp(b) });
        assert_eq!(keys, sorted, "{sort}: in order");

        // Back from the last page, page by page, through the same pages.
        let mut back = vec![pages.last().unwrap().clone()];
        while let Some(cursor) = back.last().unwrap()["prev_cursor"].as_str() {
            let path = format!("/api/v1/establishment/workers?limit=7&sort={sort}&cursor={cursor}");
            let (status, body) = s.get(&path, Some(&token)).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            back.push(body);
        }
        back.reverse();
        let forward: Vec<Vec<String>> = pages.iter().map(|p| ids(p["items"].as_array().unwrap())).collect();
        let backward: Vec<Vec<String>> = back.iter().map(|p| ids(p["items"].as_array().unwrap())).collect();
        assert_eq!(backward, forward, "{sort}: the same pages walking back");
        assert!(back[0]["prev_cursor"].is_null(), "{sort}: walking back ends at the first page");
        // And forward again from a page reached walking back.
        let cursor = back[2]["next_cursor"].as_str().unwrap();
        let (_, again) =
            s.get(&format!("/api/v1/establishment/workers?limit=7&sort={sort}&cursor={cursor}"), Some(&token)).await;
        assert_eq!(ids(again["items"].as_array().unwrap()), forward[3], "{sort}");
    }
}

#[tokio::test]
async fn has_available_keeps_exactly_the_workers_with_money_held() {
    let s = TestServer::start_with(Options { workers: 40, ..Options::default() }).await;
    let token = s.token("fahadest01").await;
    let (all, everyone) = report(&s, &token, "limit=500").await;
    let (held, report) = report(&s, &token, "limit=5&has_available=true").await;
    let expected: HashSet<String> = ids(&all)
        .into_iter()
        .zip(&all)
        .filter(|(_, w)| money(&w["totals"]["available"]) > Money::ZERO)
        .map(|(id, _)| id)
        .collect();
    assert!(!expected.is_empty() && expected.len() < all.len());
    assert_eq!(ids(&held).into_iter().collect::<HashSet<_>>(), expected);
    assert_eq!(held.len(), expected.len());
    assert_eq!(report["total_count"], expected.len());
    assert_eq!(report["sums"]["available"], everyone["sums"]["available"], "all the money held is theirs");
    assert!(money(&report["sums"]["paid"]) < money(&everyone["sums"]["paid"]), "the sums are theirs alone");
}

#[tokio::test]
async fn q_finds_workers_by_either_name_in_any_case_and_by_id() {
    let s = TestServer::start_with(Options { workers: 40, ..Options::default() }).await;
    let token = s.token("fahadest01").await;
    let (all, _) = report(&s, &token, "limit=500").await;
    let khans: HashSet<String> = ids(&all)
        .into_iter()
        .zip(&all)
        .filter(|(_, w)| w["name_en"].as_str().unwrap().ends_with("Khan"))
        .map(|(id, _)| id)
        .collect();
    assert!(!khans.is_empty() && khans.len() < all.len());
    for q in ["KHAN", "khan", "kHaN", "%D8%AE%D8%A7%D9%86"] {
        let (found, page) = report(&s, &token, &format!("limit=500&q={q}")).await;
        assert_eq!(ids(&found).into_iter().collect::<HashSet<_>>(), khans, "q={q}");
        let paid: Money = found.iter().map(|w| money(&w["totals"]["paid"])).sum();
        assert_eq!(money(&page["sums"]["paid"]), paid, "q={q}: the sums are the matches'");
    }
    let id = all[17]["id_number"].as_str().unwrap();
    let (found, _) = report(&s, &token, &format!("q={}", &id[4..])).await;
    assert!(ids(&found).contains(&id.to_owned()), "part of an ID");
    let eastern: String = id.chars().map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap()).unwrap()).collect();
    let encoded: String = eastern.bytes().map(|b| format!("%{b:02X}")).collect();
    let (found, _) = report(&s, &token, &format!("q={encoded}")).await;
    assert_eq!(ids(&found), [id.to_owned()], "an ID in Eastern Arabic digits");
    let (found, page) = report(&s, &token, "q=nobody-here").await;
    assert!(found.is_empty());
    assert_eq!((page["total_count"].as_u64(), page["sums"]["paid"].as_str()), (Some(0), Some("0.00")));
}

/// Every renewal due within `within` days, following `next_cursor` a few at a time.
async fn renewals(s: &TestServer, token: &str, within: Option<u32>) -> (Vec<Value>, u64) {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    let mut total = None;
    loop {
        let mut path = "/api/v1/establishment/renewals?limit=4".to_owned();
        if let Some(w) = within {
            path.push_str(&format!("&within_days={w}"));
        }
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let (status, body) = s.get(&path, Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        let count = body["total_count"].as_u64().unwrap();
        assert_eq!(*total.get_or_insert(count), count, "the count holds on every page");
        items.extend(body["items"].as_array().unwrap().iter().cloned());
        match body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return (items, count),
        }
    }
}

#[tokio::test]
async fn renewals_agree_with_the_documents_the_money_held_and_the_calendar() {
    let s = TestServer::start_with(Options { workers: 40, ..Options::default() }).await;
    let token = s.token("fahadest01").await;
    let (report_items, _) = report(&s, &token, "limit=500").await;
    let report_rows: HashMap<String, &Value> = ids(&report_items).into_iter().zip(&report_items).collect();

    // Every worker's documents, from the documents endpoint.
    let mut documents: Vec<(String, Value)> = Vec::new();
    for id in workers_of(&s, &token).await {
        let (status, docs) = s.get(&format!("/api/v1/people/{id}/documents"), Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{docs}");
        documents.extend(docs.as_array().unwrap().iter().map(|d| (id.clone(), d.clone())));
    }

    let (year, total) = renewals(&s, &token, Some(366)).await;
    assert_eq!(total, year.len() as u64);
    let mut previous = (NaiveDate::MIN, String::new());
    for r in &year {
        let id = r["id_number"].as_str().unwrap().to_owned();
        let expires = day(&r["expires_on"]);
        assert!((expires, id.clone()) >= previous, "soonest first: {r}");
        previous = (expires, id.clone());
        assert_eq!(r["days_left"].as_i64().unwrap(), (expires - today()).num_days(), "{r}");
        assert!(r["days_left"].as_i64().unwrap() <= 366, "{r}");
        let hijri = HijriDate::from_gregorian(expires).unwrap().to_string();
        assert_eq!(r["expires_on_hijri"], hijri.as_str(), "{r}");
        let (fee, held) = (money(&r["fee"]), money(&r["available_in_sector"]));
        assert_eq!(r["covered"], held >= fee, "{r}");
        let sector = r["sector"].as_str().unwrap();
        assert_eq!(r["available_in_sector"], report_rows[&id]["available"][sector], "{r}");
        let doc =
            documents.iter().find(|(holder, d)| *holder == id && d["kind"] == r["document"]).expect("its document");
        for field in ["expires_on", "expires_on_hijri", "days_left"] {
            assert_eq!(doc.1[field], r[field], "{field}: {r}");
        }
    }
    // Exactly the documents that run out within the year, those already run out included.
    let due: HashSet<(String, String)> = documents
        .iter()
        .filter(|(_, d)| d["days_left"].as_i64().unwrap() <= 366)
        .map(|(id, d)| (id.clone(), d["expires_on"].as_str().unwrap().to_owned()))
        .collect();
    let listed: HashSet<(String, String)> = year
        .iter()
        .map(|r| (r["id_number"].as_str().unwrap().to_owned(), r["expires_on"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(listed, due);

    // The demo has some of each: run out, due within 30 days, within 90, later; covered and not.
    let days: Vec<i64> = year.iter().map(|r| r["days_left"].as_i64().unwrap()).collect();
    assert!(days.iter().any(|d| *d < 0), "some have run out");
    assert!(days.iter().any(|d| (0..=30).contains(d)), "some run out within 30 days");
    assert!(days.iter().any(|d| (31..=90).contains(d)), "some within 90");
    assert!(days.iter().any(|d| *d > 90), "some later");
    assert!(year.iter().any(|r| r["covered"] == true) && year.iter().any(|r| r["covered"] == false));

    // A narrower window is the same list cut at its day; 90 by default.
    for (within, cut) in [(Some(30), 30), (None, 90), (Some(1), 1)] {
        let (items, count) = renewals(&s, &token, within).await;
        let expected: Vec<&Value> = year.iter().filter(|r| r["days_left"].as_i64().unwrap() <= cut).collect();
        assert_eq!(items.iter().collect::<Vec<_>>(), expected, "within {within:?}");
        assert_eq!(count, expected.len() as u64);
    }
}

/// What each renewing service renews, and for how many months (domain-facts.md).
fn renews(code: &str) -> Option<(&'static str, u32)> {
    match code {
        "iqama_renewal_3m" => Some(("iqama", 3)),
        "iqama_renewal_1y" | "domestic_iqama_1y" => Some(("iqama", 12)),
        "passport_issue_5y" => Some(("passport", 60)),
        "passport_issue_10y" => Some(("passport", 120)),
        "licence_renewal_10y" => Some(("driving_licence", 120)),
        "licence_renewal_late" => Some(("driving_licence", 12)),
        "istimara_renewal_1y" => Some(("istimara", 12)),
        _ => None,
    }
}

#[tokio::test]
async fn every_demo_persons_documents_run_out_their_period_after_the_last_renewal_in_the_history() {
    let s = TestServer::start().await;
    let mut without_documents = Vec::new();
    let mut checked = 0;
    for (username, own) in
        [("abdullah01", vec![ABDULLAH, NOURA, MARIA]), ("rahul2026", vec![RAHUL, ANJALI]), ("fahadest01", vec![FAHAD])]
    {
        let token = s.token(username).await;
        let mut people: Vec<String> = own.iter().map(|p| p.to_string()).collect();
        people.extend(workers_of(&s, &token).await);
        // Each person's renewals (a service that used the deposit), from every history this user sees.
        let mut renewed: HashMap<(String, &str), Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
        for id in &people {
            for row in history(&s, &token, id).await.iter().filter(|r| r["kind"] == "usage") {
                let Some((kind, months)) = renews(row["service_code"].as_str().unwrap()) else { continue };
                let holder = row["beneficiary_id"].as_str().unwrap().to_owned();
                let renewed_on = day(&row["date"]);
                let expires = renewed_on.checked_add_months(Months::new(months)).unwrap();
                renewed.entry((holder, kind)).or_default().push((renewed_on, expires));
            }
        }
        for id in &people {
            let (status, docs) = s.get(&format!("/api/v1/people/{id}/documents"), Some(&token)).await;
            assert_eq!(status, StatusCode::OK, "{docs}");
            let docs = docs.as_array().unwrap();
            if docs.is_empty() {
                without_documents.push(id.clone());
            }
            let mut by_kind: BTreeMap<String, Vec<NaiveDate>> = BTreeMap::new();
            for d in docs {
                let expires = day(&d["expires_on"]);
                assert_eq!(d["days_left"].as_i64().unwrap(), (expires - today()).num_days(), "{d}");
                assert_eq!(d["expires_on_hijri"], HijriDate::from_gregorian(expires).unwrap().to_string().as_str());
                by_kind.entry(d["kind"].as_str().unwrap().to_owned()).or_default().push(expires);
            }
            for kind in ["iqama", "passport", "driving_licence", "istimara"] {
                let mut held = by_kind.remove(kind).unwrap_or_default();
                held.sort();
                // The newest renewal counts; several cars have an istimara each, from the newest renewals.
                let mut runs = renewed.get(&(id.clone(), kind)).cloned().unwrap_or_default();
                runs.sort();
                let count = if kind == "istimara" { held.len().max(1) } else { 1 };
                let mut expected: Vec<NaiveDate> = runs.into_iter().rev().take(count).map(|(_, e)| e).collect();
                expected.sort();
                assert_eq!(held, expected, "{id} {kind}");
            }
            assert!(by_kind.is_empty(), "{id}: no other kinds: {by_kind:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 6 + 12);
    // All but the newest worker, who joined this month with an empty history.
    let (_, newest) = s.get("/api/v1/me/people", Some(&s.token("fahadest01").await)).await;
    let newest = newest.as_array().unwrap().last().unwrap()["id_number"].as_str().unwrap().to_owned();
    assert_eq!(without_documents, [newest]);
}

#[tokio::test]
async fn strangers_and_bad_input_get_the_error_envelope() {
    let s = TestServer::start().await;
    let abdullah = s.token("abdullah01").await;
    for path in ["/api/v1/establishment/workers", "/api/v1/establishment/renewals"] {
        let (status, body) = s.get(path, Some(&abdullah)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "not_authorized"), "{path}: {body}");
        let (status, body) = s.get(path, None).await;
        assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "unauthenticated"), "{path}");
    }
    // Documents: the same rule as the history.
    let (status, body) = s.get(&format!("/api/v1/people/{RAHUL}/documents"), Some(&abdullah)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "not_authorized"));

    let fahad = s.token("fahadest01").await;
    let (_, named) = s.get("/api/v1/establishment/workers?sort=name&limit=2", Some(&fahad)).await;
    let name_cursor = named["next_cursor"].as_str().unwrap().to_owned();
    for query in [
        "workers?sort=richest".to_owned(),
        "workers?limit=0".to_owned(),
        "workers?limit=501".to_owned(),
        "workers?has_available=maybe".to_owned(),
        "workers?cursor=garbage".to_owned(),
        format!("workers?sort=id_number&cursor={name_cursor}"),
        format!("workers?q={}", "x".repeat(101)),
        "renewals?within_days=0".to_owned(),
        "renewals?within_days=367".to_owned(),
        "renewals?within_days=ninety".to_owned(),
        "renewals?within_days=-1".to_owned(),
        "renewals?limit=501".to_owned(),
        "renewals?cursor=garbage".to_owned(),
    ] {
        let (status, body) = s.get(&format!("/api/v1/establishment/{query}"), Some(&fahad)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "bad_request"), "{query}: {body}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{query}");
    }
    // An ID that is nobody's of his, existing or not, and one that is no ID at all.
    for id in ["1000000008", NOURA] {
        let (status, body) = s.get(&format!("/api/v1/people/{id}/documents"), Some(&fahad)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "not_authorized"), "{id}");
    }
    let (status, body) = s.get("/api/v1/people/1000000000/documents", Some(&fahad)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "invalid_id"));
}

#[tokio::test]
async fn a_database_from_before_the_reports_opens_with_its_workers_money_summed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("older.db");
    let older = sqlx::sqlite::SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new().filename(&path).create_if_missing(true),
    )
    .await
    .unwrap();
    let mut migrator = sqlx::migrate!("assets/migrations");
    migrator.migrations = migrator.migrations.iter().filter(|m| m.version < 6).cloned().collect::<Vec<_>>().into();
    migrator.run(&older).await.unwrap();
    let worker = rasid::server::seed::worker(0).id_number;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "INSERT INTO people VALUES ('{FAHAD}', 'ف', 'Owner', 'citizen'), ('{worker}', 'ع', 'Worker', 'resident');
         INSERT INTO transactions (id_number, date, id, sector, service_code, kind, amount, beneficiary_id, reference)
         VALUES ('{worker}', '2025-01-10', 1, 'passports', 'iqama_renewal_3m', 'payment', 16300, '{worker}', 'a'),
                ('{worker}', '2025-01-12', 2, 'passports', 'iqama_renewal_3m', 'usage', 16300, '{worker}', 'b'),
                ('{worker}', '2025-06-01', 3, 'passports', 'exit_reentry_single', 'payment', 20000, '{worker}', 'c'),
                ('{worker}', '2025-07-01', 4, 'labour', 'portal_iqama_renewal', 'payment', 5175, '{worker}', 'd');
         INSERT INTO balances VALUES ('{worker}', 'passports', 36300, 16300, 0, 3), ('{worker}', 'labour', 5175, 0, 0, 1);"
    )))
    .execute(&older)
    .await
    .unwrap();
    older.close().await;

    let store = rasid::server::Store::open(&rasid::server::DbLocation::File(path.clone())).await.unwrap();
    let hash = rasid::server::auth::hash_password(common::PASSWORD);
    let user = store.insert_user("owner", FAHAD, &hash, "0500000000").await.unwrap();
    store
        .link_people(user, &[(FAHAD.into(), rasid::api::Relation::Own), (worker.clone(), rasid::api::Relation::Worker)])
        .await
        .unwrap();
    store.close().await;

    let s = TestServer::start_with(Options { db_file: Some(path), ..Options::default() }).await;
    let token = s.token("owner").await;
    let (status, report) = s.get("/api/v1/establishment/workers", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let w = &report["items"][0];
    assert_eq!(w["id_number"], worker.as_str());
    let totals: Vec<&str> = ["paid", "used", "refunded", "available"].map(|f| w["totals"][f].as_str().unwrap()).into();
    assert_eq!(totals, ["414.75", "163.00", "0.00", "251.75"]);
    assert_eq!(
        (w["available"]["passports"].as_str(), w["available"]["labour"].as_str()),
        (Some("200.00"), Some("51.75"))
    );
    assert_eq!(
        (w["last_payment_on"].as_str(), w["oldest_unused_on"].as_str()),
        (Some("2025-07-01"), Some("2025-06-01"))
    );
    assert_eq!(report["sums"], w["totals"]);
}

#[tokio::test]
async fn the_report_follows_every_transaction_written_whoever_writes_it() {
    let s = TestServer::start().await;
    let token = s.token("fahadest01").await;
    let worker = workers_of(&s, &token).await[0].clone();
    let (before, _) = report(&s, &token, &format!("q={worker}")).await;
    let paid = Money::parse("163.00").unwrap();
    let row = rasid::server::store::NewTransaction {
        id_number: worker.clone(),
        date: "2026-11-24".into(),
        sector: rasid::domain::Sector::Passports,
        service_code: "iqama_renewal_3m",
        kind: rasid::domain::TxKind::Payment,
        amount: paid,
        beneficiary_id: worker.clone(),
        reference: "SADAD-TEST-1".into(),
    };
    s.store.insert_transactions(&[row]).await.unwrap();
    let (after, page) = report(&s, &token, &format!("q={worker}")).await;
    assert_eq!(money(&after[0]["totals"]["paid"]), money(&before[0]["totals"]["paid"]) + paid);
    assert_eq!(money(&after[0]["available"]["passports"]), money(&before[0]["available"]["passports"]) + paid);
    assert_eq!(after[0]["last_payment_on"], "2026-11-24");
    let (_, inquiry) = s.inquire(&token, &worker).await;
    assert_eq!(
        money(&page["sums"]["available"]),
        money(&inquiry["totals"]["available"]),
        "the report agrees with an inquiry"
    );
}

/// The client's whole reports, as `rasid workers` and `rasid renewals` take them: more workers than
/// a page holds come back every one, once, with the server's count.
#[tokio::test(flavor = "multi_thread")]
async fn the_client_joins_every_page_of_a_report_larger_than_a_page() {
    let s = TestServer::start_with(Options { workers: 1_100, ..Options::default() }).await;
    let session = s.login("fahadest01").await;
    let client = rasid::client::Client::new(&s.url(""), rasid::client::DEFAULT_TIMEOUT, false).unwrap();
    let workers = client.all_workers(&session.token, Default::default()).await.unwrap();
    assert!(workers.total_count > u64::from(rasid::api::MAX_PAGE_LIMIT) * 2, "{}", workers.total_count);
    assert_eq!(workers.items.len() as u64, workers.total_count);
    let ids: HashSet<&str> = workers.items.iter().map(|w| w.id_number.as_str()).collect();
    assert_eq!(ids.len(), workers.items.len(), "a worker came back twice");
    assert_eq!((workers.next_cursor.as_deref(), workers.prev_cursor.as_deref()), (None, None));

    let query = rasid::api::RenewalsQuery { within_days: Some(366), ..Default::default() };
    let renewals = client.all_renewals(&session.token, query).await.unwrap();
    assert!(renewals.total_count > u64::from(rasid::api::MAX_PAGE_LIMIT), "{}", renewals.total_count);
    assert_eq!(renewals.items.len() as u64, renewals.total_count);
    assert!(renewals.items.windows(2).all(|w| w[0].expires_on <= w[1].expires_on), "soonest first across pages");
}
