//! A database written before transactions were kept in each person's date
//! order opens with every row, id and sum it had, and new rows get ids after
//! the old ones.

use rasid::api::{Relation, TxSort};
use rasid::domain::{Money, Sector, TxKind};
use rasid::server::store::{NewTransaction, TxFilter};
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

    let (count, rows) =
        store.linked_page(user, ID, &TxFilter::default(), TxSort::DateDesc, None, 10).await.unwrap().unwrap();
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
