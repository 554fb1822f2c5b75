//! Databases written by older versions open with what they had and what the
//! newer ones keep: a database from before transactions were kept in each
//! person's date order keeps every row, id and sum, and new rows get ids after
//! the old ones; one from before the kept daily counts gets them, and they
//! stay equal to the rows.

use rasid::api::{Relation, TxSort};
use rasid::domain::{Money, Sector, TxKind};
use rasid::server::store::{HistoryPage, NewTransaction, TxFilter};
use rasid::server::{DbLocation, Store};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};

const ID: &str = "1057830869";

#[tokio::test]
async fn an_older_database_keeps_its_history_and_ids_across_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("older.db");
    let older =
        SqlitePool::connect_with(SqliteConnectOptions::new().filename(&path).create_if_missing(true)).await.unwrap();
    let mut migrator = sqlx::migrate!("assets/migrations");
    migrator.migrations = migrator.migrations.iter().filter(|m| m.version < 3).cloned().collect::<Vec<_>>().into();
    migrator.run(&older).await.unwrap();
    sqlx::raw_sql(
        "INSERT INTO people VALUES ('1057830869', 'ع', 'A', 'citizen');
         INSERT INTO transactions (id, id_number, date, sector, service_code, kind, amount, beneficiary_id, reference)
         VALUES (5, '1057830869', '2024-03-01', 'passports', 'passport_issue_5y', 'payment', 30000, '1057830869', 'a'),
                (12, '1057830869', '2023-01-09', 'passports', 'passport_issue_5y', 'usage', 30000, '1057830869', 'b'),
                (9, '1057830869', '2024-03-01', 'vehicles', 'ownership_transfer', 'payment', 10000, '1057830869', 'c');
         INSERT INTO balances VALUES ('1057830869', 'passports', 30000, 30000, 0, 2), ('1057830869', 'vehicles', 10000, 0, 0, 1);",
    )
    .execute(&older)
    .await
    .unwrap();
    older.close().await;

    let store = Store::open(&DbLocation::File(path)).await.unwrap();
    let user = store.insert_user("owner", ID, "not a hash", "0500000000").await.unwrap();
    store.link_people(user, &[(ID.into(), Relation::Own)]).await.unwrap();
    let new_row = |date: &str| NewTransaction {
        id_number: ID.into(),
        date: date.into(),
        sector: Sector::Passports,
        service_code: "passport_issue_5y",
        kind: TxKind::Payment,
        amount: Money::from_halalas(100),
        beneficiary_id: ID.into(),
        reference: "new".into(),
    };
    store.insert_transactions(&[new_row("2025-05-05"), new_row("2020-01-01")]).await.unwrap();

    let HistoryPage::Page { total_count: count, rows } =
        store.linked_page(user, ID, &TxFilter::default(), TxSort::DateDesc, None, 10).await.unwrap()
    else {
        panic!("the owner's own history is linked");
    };
    let seen: Vec<(&str, i64)> = rows.iter().map(|r| (r.date.as_str(), r.id)).collect();
    assert_eq!(
        seen,
        [("2025-05-05", 13), ("2024-03-01", 9), ("2024-03-01", 5), ("2023-01-09", 12), ("2020-01-01", 14)],
        "old ids kept, new ones after the largest, newest first"
    );
    assert_eq!(count, 5);
    let kept = store.balances(ID).await.unwrap();
    assert_eq!(kept, store.recompute_balances(ID).await.unwrap(), "the kept sums still equal the rows");
    assert_eq!(kept.totals().0.paid, Money::from_halalas(30000 + 10000 + 200));
}

/// The kept counts, read from the database beside the store, and the same counts recomputed from the rows.
async fn counts(
    path: &std::path::Path,
) -> (Vec<(String, String, String, String, i64)>, Vec<(String, String, String, String, i64)>) {
    let pool = SqlitePool::connect_with(SqliteConnectOptions::new().filename(path)).await.unwrap();
    let kept = sqlx::query_as("SELECT id_number, date, sector, kind, n FROM daily_counts ORDER BY 1, 2, 3, 4")
        .fetch_all(&pool)
        .await
        .unwrap();
    let recomputed = sqlx::query_as(
        "SELECT id_number, date, sector, kind, COUNT(*) FROM transactions GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    (kept, recomputed)
}

#[tokio::test]
async fn an_older_database_gets_the_kept_counts_of_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("older.db");
    let older =
        SqlitePool::connect_with(SqliteConnectOptions::new().filename(&path).create_if_missing(true)).await.unwrap();
    let mut migrator = sqlx::migrate!("assets/migrations");
    migrator.migrations = migrator.migrations.iter().filter(|m| m.version < 5).cloned().collect::<Vec<_>>().into();
    migrator.run(&older).await.unwrap();
    sqlx::raw_sql(
        "INSERT INTO people VALUES ('1057830869', 'ع', 'A', 'citizen');
         INSERT INTO transactions (id, id_number, date, sector, service_code, kind, amount, beneficiary_id, reference)
         VALUES (1, '1057830869', '2024-03-01', 'passports', 'passport_issue_5y', 'payment', 30000, '1057830869', 'a'),
                (2, '1057830869', '2024-03-01', 'passports', 'passport_issue_5y', 'payment', 30000, '1057830869', 'b'),
                (3, '1057830869', '2024-03-01', 'passports', 'passport_issue_5y', 'usage', 30000, '1057830869', 'c'),
                (4, '1057830869', '2023-01-09', 'vehicles', 'ownership_transfer', 'refund', 15000, '1057830869', 'd');
         UPDATE transaction_ids SET next = 5;
         INSERT INTO balances VALUES ('1057830869', 'passports', 60000, 30000, 0, 3), ('1057830869', 'vehicles', 15000, 0, 15000, 1);",
    )
    .execute(&older)
    .await
    .unwrap();
    older.close().await;

    let store = Store::open(&DbLocation::File(path.clone())).await.unwrap();
    let (kept, recomputed) = counts(&path).await;
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert_eq!(kept, recomputed, "the upgrade counts the rows it finds");

    let user = store.insert_user("owner", ID, "not a hash", "0500000000").await.unwrap();
    store.link_people(user, &[(ID.into(), Relation::Own)]).await.unwrap();
    let refund = NewTransaction {
        id_number: ID.into(),
        date: "2023-01-09".into(),
        sector: Sector::Vehicles,
        service_code: "ownership_transfer",
        kind: TxKind::Refund,
        amount: Money::from_halalas(5000),
        beneficiary_id: ID.into(),
        reference: "new".into(),
    };
    store.insert_transactions(&[refund.clone(), NewTransaction { date: "2025-02-02".into(), ..refund }]).await.unwrap();
    let (kept, recomputed) = counts(&path).await;
    assert_eq!(kept, recomputed, "new rows are counted as they arrive");

    let refunds = TxFilter { kind: Some(TxKind::Refund), ..TxFilter::default() };
    let HistoryPage::Page { total_count, rows } =
        store.linked_page(user, ID, &refunds, TxSort::AmountDesc, None, 10).await.unwrap()
    else {
        panic!("the owner's own history is linked");
    };
    assert_eq!(total_count, 3);
    let seen: Vec<(i64, i64)> = rows.iter().map(|r| (r.amount, r.id)).collect();
    assert_eq!(seen, [(15000, 4), (5000, 6), (5000, 5)], "largest refund first, through the new amount index");
}
