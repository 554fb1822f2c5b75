//! The sums and counts the store keeps beside the rows equal an independent
//! recomputation from the rows, whatever the history and however it arrives in
//! batches; and every filtered, sorted page walk built on them returns exactly
//! the matching rows, in order.

mod common;

use std::collections::BTreeSet;

use proptest::prelude::*;
use rasid::api::{Person, Relation, TxSort};
use rasid::domain::{Money, PersonKind, Sector, TxKind};
use rasid::server::Store;
use rasid::server::store::{After, HistoryPage, NewTransaction, TxFilter, TxRow};

const ID: &str = "1057830869";
const REFERENCES: [&str; 3] = ["SADAD-100", "SADAD-200", "BANK-300"];
const SORTS: [TxSort; 4] = [TxSort::DateDesc, TxSort::DateAsc, TxSort::AmountDesc, TxSort::AmountAsc];

fn day(offset: u32) -> String {
    (chrono::NaiveDate::from_ymd_opt(2016, 1, 1).unwrap() + chrono::Duration::days(offset.into()))
        .format("%Y-%m-%d")
        .to_string()
}

// Few days and amounts, so that days hold several rows, rows share amounts and filters leave gaps.
fn row() -> impl Strategy<Value = NewTransaction> {
    (0usize..5, 0usize..3, 1i64..40, 0u32..400, 0usize..3).prop_map(|(s, k, amount, d, r)| NewTransaction {
        id_number: ID.into(),
        date: day(d),
        sector: Sector::ALL[s],
        service_code: "exit_reentry_single",
        kind: TxKind::ALL[k],
        amount: Money::from_halalas(amount * 100),
        beneficiary_id: ID.into(),
        reference: REFERENCES[r].into(),
    })
}

/// A filter as the handler builds one; `text` picks a reference to search for.
#[derive(Debug, Clone)]
struct Query {
    sector: Option<Sector>,
    kind: Option<TxKind>,
    from: Option<u32>,
    to: Option<u32>,
    text: Option<usize>,
}

fn query() -> impl Strategy<Value = Query> {
    (
        prop::option::of(0usize..5),
        prop::option::of(0usize..3),
        prop::option::of(0u32..400),
        prop::option::of(0u32..400),
        prop::option::of(0usize..3),
    )
        .prop_map(|(s, k, from, to, text)| Query {
            sector: s.map(|s| Sector::ALL[s]),
            kind: k.map(|k| TxKind::ALL[k]),
            from,
            to,
            text,
        })
}

impl Query {
    fn filter(&self) -> TxFilter {
        TxFilter {
            sector: self.sector,
            kind: self.kind,
            from: self.from.map(day),
            to: self.to.map(day),
            text: self.text.map(|t| REFERENCES[t].to_owned()),
            text_codes: Vec::new(),
        }
    }

    fn matches(&self, r: &NewTransaction) -> bool {
        self.sector.is_none_or(|s| s == r.sector)
            && self.kind.is_none_or(|k| k == r.kind)
            && self.from.is_none_or(|f| r.date >= day(f))
            && self.to.is_none_or(|t| r.date <= day(t))
            && self.text.is_none_or(|t| r.reference == REFERENCES[t])
    }
}

/// The rows in the order a sort shows them: (date, id) or (amount, date, id), each way.
fn sorted(mut rows: Vec<(String, i64, i64)>, sort: TxSort) -> Vec<i64> {
    match sort {
        TxSort::DateDesc => rows.sort_by(|a, b| (&b.0, b.2).cmp(&(&a.0, a.2))),
        TxSort::DateAsc => rows.sort_by(|a, b| (&a.0, a.2).cmp(&(&b.0, b.2))),
        TxSort::AmountDesc => rows.sort_by(|a, b| (b.1, &b.0, b.2).cmp(&(a.1, &a.0, a.2))),
        TxSort::AmountAsc => rows.sort_by(|a, b| (a.1, &a.0, a.2).cmp(&(b.1, &b.0, b.2))),
    }
    rows.into_iter().map(|r| r.2).collect()
}

/// Every page of the filtered history, as the handler walks it; `None` when refused.
async fn walk(store: &Store, user: i64, filter: &TxFilter, sort: TxSort, limit: u32) -> Option<(Vec<TxRow>, u64)> {
    let mut all = Vec::new();
    let mut total = None;
    let mut after: Option<After> = None;
    for _ in 0..1000 {
        let page = store.linked_page(user, ID, filter, sort, after.as_ref(), limit + 1).await.unwrap();
        let HistoryPage::Page { total_count, mut rows } = page else { return None };
        assert!(total.is_none_or(|t| t == total_count), "the total is the same on every page");
        total = Some(total_count);
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        all.extend(rows);
        if !more {
            return Some((all, total_count));
        }
        let last = all.last().unwrap();
        after = Some(match sort {
            TxSort::DateDesc | TxSort::DateAsc => After::Date(last.date.clone(), last.id),
            TxSort::AmountDesc | TxSort::AmountAsc => After::Amount(last.amount, last.date.clone(), last.id),
        });
    }
    panic!("{filter:?} {sort:?}: the walk does not end");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn kept_sums_equal_the_recomputation(batches in prop::collection::vec(prop::collection::vec(row(), 0..60), 1..6)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let store = common::fresh_store().await;
            let person = Person { id_number: ID.into(), name_ar: "ع".into(), name_en: "A".into(), kind: PersonKind::Citizen };
            store.insert_people(&[person]).await.unwrap();
            let mut expected = rasid::domain::Ledger::default();
            for batch in &batches {
                store.insert_transactions(batch).await.unwrap();
                for r in batch {
                    expected.add(rasid::domain::Entry { sector: r.sector, kind: r.kind, amount: r.amount });
                }
            }
            let kept = store.balances(ID).await.unwrap();
            assert_eq!(kept, store.recompute_balances(ID).await.unwrap());
            assert_eq!(kept, expected);
            let used: Money = store.daily_usage(ID, None, None, None).await.unwrap().values().copied().sum();
            assert_eq!(used, expected.totals().0.used, "the spending series add up to what was used");
        });
    }

    /// Batches arrive, then filtered histories are walked page by page in every sort, with the
    /// text-search limit anywhere from "refuse almost everything" to "refuse nothing".
    #[test]
    fn filtered_pages_and_totals_equal_the_matching_rows(
        batches in prop::collection::vec(prop::collection::vec(row(), 0..80), 1..5),
        queries in prop::collection::vec(query(), 6),
        limit in 1u32..9,
        scan_limit in prop_oneof![Just(0u64), 1u64..200, Just(u64::MAX)],
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let store = common::fresh_store().await.with_scan_limit(scan_limit);
            let person = Person { id_number: ID.into(), name_ar: "ع".into(), name_en: "A".into(), kind: PersonKind::Citizen };
            store.insert_people(&[person]).await.unwrap();
            let user = store.insert_user("owner", ID, "not a hash", "0500000000").await.unwrap();
            store.link_people(user, &[(ID.into(), Relation::Own)]).await.unwrap();
            let mut inserted: Vec<NewTransaction> = Vec::new();
            for batch in &batches {
                store.insert_transactions(batch).await.unwrap();
                inserted.extend(batch.iter().cloned());
            }
            // Ids are handed out in arrival order from 1, so the generated rows know theirs.
            let keyed: Vec<(i64, &NewTransaction)> = inserted.iter().enumerate().map(|(i, r)| (i as i64 + 1, r)).collect();
            for q in &queries {
                let filter = q.filter();
                let matching: Vec<(String, i64, i64)> = keyed
                    .iter()
                    .filter(|(_, r)| q.matches(r))
                    .map(|(id, r)| (r.date.clone(), r.amount.halalas(), *id))
                    .collect();
                // What a text search reads: every row of each day in range that holds a row of its sector and kind.
                let read = keyed
                    .iter()
                    .filter(|(_, r)| {
                        Query { sector: None, kind: None, text: None, ..q.clone() }.matches(r)
                            && keyed.iter().any(|(_, o)| o.date == r.date && Query { text: None, ..q.clone() }.matches(o))
                    })
                    .count() as u64;
                for sort in SORTS {
                    match walk(&store, user, &filter, sort, limit).await {
                        Some((rows, total)) => {
                            prop_assert!(q.text.is_none() || read <= scan_limit, "{q:?}: a search reading {read} rows ran");
                            prop_assert_eq!(total, matching.len() as u64, "{:?} {:?}: total", q, sort);
                            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
                            prop_assert_eq!(ids, sorted(matching.clone(), sort), "{:?} {:?}: rows", q, sort);
                        }
                        None => prop_assert!(q.text.is_some() && read > scan_limit, "{q:?}: refused, reading {read} rows"),
                    }
                }
                if q.text.is_some() && read > scan_limit {
                    let page = store.linked_page(user, ID, &filter, TxSort::DateDesc, None, 10).await.unwrap();
                    let HistoryPage::TooBroad(refusal) = page else { panic!("{q:?}: not refused") };
                    prop_assert_eq!((refusal.rows, refusal.limit), (read, scan_limit));
                    // The day it names is the earliest from which the search is within reach.
                    if let Some(from) = &refusal.from {
                        let narrowed = TxFilter { from: Some(from.clone()), ..filter.clone() };
                        let served = store.linked_page(user, ID, &narrowed, TxSort::DateDesc, None, 10).await.unwrap();
                        prop_assert!(matches!(served, HistoryPage::Page { .. }), "{q:?}: from={from} still refused");
                        let candidate_days: BTreeSet<&String> = keyed
                            .iter()
                            .filter(|(_, r)| Query { text: None, ..q.clone() }.matches(r))
                            .map(|(_, r)| &r.date)
                            .collect();
                        if let Some(earlier) = candidate_days.range::<String, _>(..from.clone()).next_back() {
                            let wider = TxFilter { from: Some((*earlier).clone()), ..filter.clone() };
                            let page = store.linked_page(user, ID, &wider, TxSort::DateDesc, None, 10).await.unwrap();
                            prop_assert!(matches!(page, HistoryPage::TooBroad(_)), "{q:?}: from={earlier} is also within reach");
                        }
                    }
                }
            }
            Ok::<(), TestCaseError>(())
        })?;
    }
}

/// Whatever text a row carries comes back as written: on PostgreSQL the rows go in by COPY, whose
/// text format gives tabs, line ends and backslashes meanings of their own.
#[tokio::test]
async fn text_with_tabs_line_ends_and_backslashes_comes_back_as_written() {
    let store = common::fresh_store().await;
    let person = Person { id_number: ID.into(), name_ar: "ع".into(), name_en: "A".into(), kind: PersonKind::Citizen };
    store.insert_people(&[person]).await.unwrap();
    let user = store.insert_user("owner", ID, "not a hash", "0500000000").await.unwrap();
    store.link_people(user, &[(ID.into(), Relation::Own)]).await.unwrap();
    let written = ["SADAD\t1\\N", "a\\tb\nc\r\\", "\\.", "مرجع ١٢"];
    let rows: Vec<NewTransaction> = written
        .iter()
        .enumerate()
        .map(|(i, text)| NewTransaction {
            id_number: ID.into(),
            date: day(i as u32),
            sector: Sector::ALL[0],
            service_code: "exit_reentry_single",
            kind: TxKind::Payment,
            amount: Money::from_halalas(100),
            beneficiary_id: format!("{text}|{i}"),
            reference: text.to_string(),
        })
        .collect();
    store.insert_transactions(&rows).await.unwrap();
    let HistoryPage::Page { rows: read, .. } =
        store.linked_page(user, ID, &TxFilter::default(), TxSort::DateAsc, None, 10).await.unwrap()
    else {
        panic!("not linked")
    };
    let read: Vec<(String, String)> = read.into_iter().map(|r| (r.reference, r.beneficiary_id)).collect();
    let expected: Vec<(String, String)> = rows.into_iter().map(|r| (r.reference, r.beneficiary_id)).collect();
    assert_eq!(read, expected);
}
