//! The history both ways and by date, over real HTTP: `at` lands where it says, `position`
//! is the index a walk from the start finds, and `prev_cursor` walks back over exactly the
//! rows walked forward.

mod common;

use common::{Options, TestServer, error_code};
use rasid::domain::{Money, Sector, TxKind};
use rasid::server::seed::FAHAD;
use rasid::server::store::NewTransaction;
use reqwest::StatusCode;
use serde_json::Value;

const SORTS: [&str; 4] = ["date_desc", "date_asc", "amount_desc", "amount_asc"];

fn date(r: &Value) -> &str {
    r["date"].as_str().unwrap()
}

fn ids(rows: &[Value]) -> Vec<i64> {
    rows.iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

/// A page as the server sent it.
struct Page {
    items: Vec<Value>,
    next: Option<String>,
    prev: Option<String>,
    position: u64,
    total: u64,
}

async fn page(s: &TestServer, token: &str, query: &str) -> Page {
    let path = format!("/api/v1/people/{FAHAD}/transactions?{query}");
    let (status, body) = s.get(&path, Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    Page {
        items: body["items"].as_array().unwrap().clone(),
        next: body["next_cursor"].as_str().map(str::to_owned),
        prev: body["prev_cursor"].as_str().map(str::to_owned),
        position: body["position"].as_u64().unwrap_or_else(|| panic!("{path}: no position")),
        total: body["total_count"].as_u64().unwrap(),
    }
}

/// Every page from the first, following `next_cursor`.
async fn walk_forward(s: &TestServer, token: &str, query: &str) -> Vec<Page> {
    let mut pages = vec![page(s, token, query).await];
    while let Some(next) = pages.last().unwrap().next.clone() {
        pages.push(page(s, token, &format!("{query}&cursor={next}")).await);
    }
    pages
}

fn rows_of(pages: &[Page]) -> Vec<Value> {
    pages.iter().flat_map(|p| p.items.iter().cloned()).collect()
}

/// The index of the first row on or before `day` (newest first) or on or after it (oldest
/// first); the list's length when there is none.
fn landing(rows: &[Value], day: &str, sort: &str) -> usize {
    rows.iter().position(|r| if sort == "date_desc" { date(r) <= day } else { date(r) >= day }).unwrap_or(rows.len())
}

async fn fahad(workers: u32) -> (TestServer, String) {
    let s = TestServer::start_with(Options { workers, ..Options::default() }).await;
    let token = s.token("fahadest01").await;
    (s, token)
}

#[tokio::test]
async fn at_lands_on_the_first_row_on_or_before_the_day_and_position_is_its_index() {
    let (s, token) = fahad(40).await;
    let worker = {
        let first = page(&s, &token, "limit=500").await;
        first.items.iter().map(|r| r["beneficiary_id"].as_str().unwrap().to_owned()).find(|b| b != FAHAD).unwrap()
    };
    let filters =
        ["", "&sector=labour", "&kind=refund", "&sector=passports&kind=usage", "&from=2022-01-01&to=2024-06-30"];
    let text = format!("&q={worker}");
    for filter in filters.iter().copied().chain([text.as_str()]) {
        for sort in ["date_desc", "date_asc"] {
            let query = format!("sort={sort}{filter}");
            let everything = rows_of(&walk_forward(&s, &token, &format!("limit=500&{query}")).await);
            assert!(everything.len() > 4, "{query}: {} rows", everything.len());
            let days: Vec<&str> = everything.iter().map(date).collect();
            let (first, last) = (days[0], days[days.len() - 1]);
            // Days with rows, the two ends, and days between rows (the day after or before a row's).
            let mut probes: Vec<String> = vec![first.into(), last.into(), days[days.len() / 2].into()];
            for i in [1, days.len() / 3, days.len() - 2] {
                let d: chrono::NaiveDate = days[i].parse().unwrap();
                probes.push(d.succ_opt().unwrap().to_string());
                probes.push(d.pred_opt().unwrap().to_string());
            }
            for day in probes {
                let at = page(&s, &token, &format!("limit=37&{query}&at={day}")).await;
                // A day past the last row lands on the last rows.
                let i = match landing(&everything, &day, sort) {
                    i if i == everything.len() => i.saturating_sub(37),
                    i => i,
                };
                assert_eq!(at.position, i as u64, "{query} at={day}: position");
                let expected = &everything[i..(i + 37).min(everything.len())];
                assert_eq!(ids(&at.items), ids(expected), "{query} at={day}: rows");
                assert_eq!(at.total, everything.len() as u64);
                assert_eq!(at.prev.is_some(), i > 0, "{query} at={day}: prev_cursor");
                assert_eq!(at.next.is_some(), i + 37 < everything.len(), "{query} at={day}: next_cursor");
            }
        }
    }
}

#[tokio::test]
async fn every_page_says_its_position_and_prev_cursor_walks_back_over_the_same_rows() {
    let (s, token) = fahad(40).await;
    for filter in ["", "&sector=labour&kind=payment", "&from=2023-01-01"] {
        for sort in SORTS {
            let query = format!("limit=97&sort={sort}{filter}");
            let forward = walk_forward(&s, &token, &query).await;
            assert!(forward.len() > 3, "{query}: {} pages", forward.len());
            assert!(forward[0].prev.is_none(), "{query}: no prev_cursor on the first page");
            let mut at = 0;
            for p in &forward {
                assert_eq!(p.position, at, "{query}: position is the index of the page's first row");
                at += p.items.len() as u64;
            }
            // Back from the last page, page by page, to the first.
            let mut back = vec![];
            let mut prev = forward.last().unwrap().prev.clone();
            while let Some(cursor) = prev {
                let p = page(&s, &token, &format!("{query}&cursor={cursor}")).await;
                prev = p.prev.clone();
                back.push(p);
            }
            back.reverse();
            assert_eq!(back.len(), forward.len() - 1, "{query}");
            for (b, f) in back.iter().zip(&forward) {
                assert_eq!(ids(&b.items), ids(&f.items), "{query}: the same page back as forward");
                assert_eq!(b.position, f.position, "{query}: the same position back as forward");
                assert!(b.next.is_some(), "{query}: a page walked back to has a next_cursor");
            }
        }
    }
}

#[tokio::test]
async fn a_day_past_either_end_lands_on_that_end_and_the_last_page_is_one_request_away() {
    let (s, token) = fahad(40).await;
    for sort in SORTS {
        let query = format!("limit=500&sort={sort}");
        let everything = rows_of(&walk_forward(&s, &token, &query).await);
        let n = everything.len();
        let tail = &everything[n - 50..];
        // The reverse sort's first page is the last page; its next_cursor walks up from there.
        let reverse = match sort {
            "date_desc" => "date_asc",
            "date_asc" => "date_desc",
            "amount_desc" => "amount_asc",
            _ => "amount_desc",
        };
        let last = page(&s, &token, &format!("limit=50&sort={reverse}")).await;
        let mut last_ids = ids(&last.items);
        last_ids.reverse();
        assert_eq!(last_ids, ids(tail), "{sort}: the reverse sort's first page holds the last rows");
        let above = page(&s, &token, &format!("limit=50&sort={sort}&cursor={}", last.next.unwrap())).await;
        assert_eq!(ids(&above.items), ids(&everything[n - 100..n - 50]), "{sort}: and walks up");
        assert_eq!(above.position, n as u64 - 100, "{sort}");
        if !sort.starts_with("date") {
            continue;
        }
        let (past, future) = ("1990-01-01", "2040-01-01");
        let (to_end, to_start) = if sort == "date_desc" { (past, future) } else { (future, past) };
        let end = page(&s, &token, &format!("limit=50&sort={sort}&at={to_end}")).await;
        assert_eq!(ids(&end.items), ids(tail), "{sort} at={to_end}: the last rows");
        assert_eq!(end.position, n as u64 - 50);
        assert!(end.next.is_none() && end.prev.is_some(), "{sort} at={to_end}: nothing after, more before");
        let up = page(&s, &token, &format!("limit=50&sort={sort}&cursor={}", end.prev.unwrap())).await;
        assert_eq!(ids(&up.items), ids(&everything[n - 100..n - 50]), "{sort}: prev_cursor of the end");
        let start = page(&s, &token, &format!("limit=50&sort={sort}&at={to_start}")).await;
        assert_eq!(ids(&start.items), ids(&everything[..50]), "{sort} at={to_start}: the first rows");
        assert_eq!(start.position, 0);
        assert!(start.prev.is_none() && start.next.is_some());
    }
}

#[tokio::test]
async fn a_bad_at_or_an_at_with_an_amount_sort_or_a_cursor_is_refused_with_the_envelope() {
    let (s, token) = fahad(2).await;
    let cursor = page(&s, &token, "limit=5").await.next.unwrap();
    for query in [
        "at=yesterday".to_owned(),
        "at=2025-13-01".to_owned(),
        "at=2025-02-30".to_owned(),
        "at=25-01-01".to_owned(),
        "at=".to_owned(),
        "at=2025-01-01&sort=amount_desc".to_owned(),
        "at=2025-01-01&sort=amount_asc".to_owned(),
        format!("at=2025-01-01&cursor={cursor}"),
        // A date-order cursor in amount order is neither way of either.
        format!("sort=amount_desc&cursor={cursor}"),
    ] {
        let path = format!("/api/v1/people/{FAHAD}/transactions?{query}");
        let (status, body) = s.get(&path, Some(&token)).await;
        assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "bad_request"), "{query}: {body}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{query}: {body}");
    }
}

#[tokio::test]
async fn amount_sorts_order_ties_by_date_then_id() {
    let (s, token) = fahad(40).await;
    // Rows written later than the seed's, on an early day and a late one, at an amount the seed
    // has: their ids no longer follow their dates.
    let (seeded, _) = s.all_transactions(&token, FAHAD, "limit=500&sort=amount_desc").await;
    let amount = Money::parse(seeded[seeded.len() / 2]["amount"].as_str().unwrap()).unwrap();
    let late = |day: &str| NewTransaction {
        id_number: FAHAD.into(),
        date: day.into(),
        sector: Sector::Labour,
        service_code: "portal_final_exit",
        kind: TxKind::Refund,
        amount,
        beneficiary_id: FAHAD.into(),
        reference: "SADAD-LATE".into(),
    };
    s.store.insert_transactions(&[late(date(&seeded[0])), late("2019-01-05")]).await.unwrap();
    for sort in ["amount_desc", "amount_asc"] {
        let (rows, _) = s.all_transactions(&token, FAHAD, &format!("limit=83&sort={sort}")).await;
        let key = |r: &Value| {
            let amount = Money::parse(r["amount"].as_str().unwrap()).unwrap().halalas();
            (amount, date(r).to_owned(), r["id"].as_i64().unwrap())
        };
        let mut ties = 0;
        for pair in rows.windows(2) {
            let (a, b) = (key(&pair[0]), key(&pair[1]));
            let in_order = if sort == "amount_desc" { a > b } else { a < b };
            assert!(in_order, "{sort}: {a:?} then {b:?}");
            ties += usize::from(a.0 == b.0 && a.1 != b.1);
        }
        assert!(ties > 100, "{sort}: the history has ties of amount across days ({ties})");
    }
}
