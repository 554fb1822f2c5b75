//! The sums the store keeps beside the rows equal an independent recomputation
//! from the rows, whatever the history and however it arrives in batches.

use proptest::prelude::*;
use rasid::api::Person;
use rasid::domain::{Money, PersonKind, Sector, TxKind};
use rasid::server::store::NewTransaction;
use rasid::server::{DbLocation, Store};

const ID: &str = "1057830869";

fn row() -> impl Strategy<Value = NewTransaction> {
    (0usize..5, 0usize..3, 1i64..5_000_000, 0u32..3650).prop_map(|(s, k, amount, day)| NewTransaction {
        id_number: ID.into(),
        date: (chrono::NaiveDate::from_ymd_opt(2016, 1, 1).unwrap() + chrono::Duration::days(day.into()))
            .format("%Y-%m-%d")
            .to_string(),
        sector: Sector::ALL[s],
        service_code: "exit_reentry_single",
        kind: TxKind::ALL[k],
        amount: Money::from_halalas(amount),
        beneficiary_id: ID.into(),
        reference: "r".into(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn kept_sums_equal_the_recomputation(batches in prop::collection::vec(prop::collection::vec(row(), 0..60), 1..6)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let store = Store::open(&DbLocation::Memory).await.unwrap();
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
}
