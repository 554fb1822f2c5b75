//! The history on a table natively `PARTITION BY HASH (id_number)` (issue 15 item 4: the key the
//! history can be sharded on, as Citus would distribute it): the store migrates around it, the
//! demo seed writes into it, and every page and sum equals those of the plain table.

mod common;

use chrono::NaiveDate;
use rasid::api::TxSort;
use rasid::server::seed::{self, SeedOptions};
use rasid::server::store::{After, HistoryPage, TxFilter, TxRow};
use rasid::server::{DbLocation, Store};
use sqlx::Connection;

const PARTITIONS: u32 = 4;

/// Every page of one history in one sort, walked by cursor.
async fn walk(store: &Store, user: i64, id: &str, filter: &TxFilter, sort: TxSort) -> (Vec<TxRow>, u64) {
    let mut rows: Vec<TxRow> = Vec::new();
    let mut after = None;
    loop {
        let page = store.linked_page(user, id, filter, sort, after.as_ref(), 101).await.unwrap();
        let HistoryPage::Page { total_count, rows: mut page } = page else { panic!("{id} {sort:?}: {page:?}") };
        let more = page.len() > 100;
        page.truncate(100);
        rows.extend(page);
        if !more {
            return (rows, total_count);
        }
        let last = rows.last().unwrap();
        after = Some(match sort {
            TxSort::DateDesc | TxSort::DateAsc => After::Date(last.date.clone(), last.id),
            TxSort::AmountDesc | TxSort::AmountAsc => After::Amount(last.amount, last.id),
        });
    }
}

async fn seeded(location: &DbLocation) -> Store {
    let store = Store::open(location).await.unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    seed::seed_demo(&store, today, SeedOptions::DEMO).await.unwrap();
    store
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_on_a_hash_partitioned_history_answers_as_on_a_plain_one() {
    let Some(cluster) = common::postgres::shared() else { return };
    let partitioned = cluster.create_database().await;
    let mut conn = sqlx::PgConnection::connect(&partitioned).await.unwrap();
    let mut ddl = String::from(
        "CREATE TABLE transactions (
            id_number TEXT COLLATE \"C\" NOT NULL, date TEXT COLLATE \"C\" NOT NULL, id BIGINT NOT NULL,
            sector TEXT COLLATE \"C\" NOT NULL, service_code TEXT NOT NULL,
            kind TEXT COLLATE \"C\" NOT NULL CHECK (kind IN ('payment', 'usage', 'refund')),
            amount BIGINT NOT NULL CHECK (amount > 0), beneficiary_id TEXT NOT NULL, reference TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'settled', PRIMARY KEY (id_number, date, id)
         ) PARTITION BY HASH (id_number);",
    );
    for i in 0..PARTITIONS {
        ddl.push_str(&format!(
            "CREATE TABLE transactions_{i} PARTITION OF transactions FOR VALUES WITH (MODULUS {PARTITIONS}, REMAINDER {i});"
        ));
    }
    sqlx::raw_sql(sqlx::AssertSqlSafe(ddl)).execute(&mut conn).await.unwrap();

    let sharded = seeded(&DbLocation::Postgres(partitioned)).await;
    let plain = seeded(&DbLocation::Postgres(cluster.create_database().await)).await;

    // The rows really are spread over the partitions.
    let per_partition: Vec<i64> = sqlx::query_scalar(
        "SELECT COUNT(t.id) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         LEFT JOIN transactions t ON t.tableoid = c.oid
         WHERE i.inhparent = 'transactions'::regclass GROUP BY c.relname ORDER BY c.relname",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(per_partition.len(), PARTITIONS as usize, "{per_partition:?}");
    assert!(per_partition.iter().all(|n| *n > 0), "every partition holds rows: {per_partition:?}");

    let fahad = sharded.find_login_user("fahadest01").await.unwrap().unwrap();
    let plain_fahad = plain.find_login_user("fahadest01").await.unwrap().unwrap();
    let people = sharded.linked_people(fahad.id).await.unwrap();
    assert!(people.len() > 10);
    for person in &people {
        let id = person.id_number.as_str();
        let balances = sharded.balances(id).await.unwrap();
        assert_eq!(balances, sharded.recompute_balances(id).await.unwrap(), "{id}: kept sums");
        assert_eq!(balances, plain.balances(id).await.unwrap(), "{id}: sums as on the plain table");
    }
    let filters = [
        TxFilter::default(),
        TxFilter { sector: Some(rasid::domain::Sector::Passports), ..TxFilter::default() },
        TxFilter { text: Some("sadad-81".into()), ..TxFilter::default() },
    ];
    for id in [seed::FAHAD, people[3].id_number.as_str()] {
        for filter in &filters {
            for sort in [TxSort::DateDesc, TxSort::DateAsc, TxSort::AmountDesc, TxSort::AmountAsc] {
                let (rows, total) = walk(&sharded, fahad.id, id, filter, sort).await;
                assert_eq!(rows.len() as u64, total, "{id} {filter:?} {sort:?}");
                assert_eq!(
                    (rows, total),
                    walk(&plain, plain_fahad.id, id, filter, sort).await,
                    "{id} {filter:?} {sort:?}: the same pages as the plain table"
                );
            }
        }
    }
}
