//! Ledger sums: what was paid into each sector, used by services, refunded,
//! and what is still available.

use super::{Money, Sector};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TxKind {
    /// Money paid through SADAD into a sector.
    Payment,
    /// A service took money from the sector ("spent").
    Usage,
    /// Unused money returned through the paying bank.
    Refund,
}

impl TxKind {
    pub const ALL: [TxKind; 3] = [TxKind::Payment, TxKind::Usage, TxKind::Refund];

    pub fn as_str(self) -> &'static str {
        match self {
            TxKind::Payment => "payment",
            TxKind::Usage => "usage",
            TxKind::Refund => "refund",
        }
    }

    pub fn parse(s: &str) -> Option<TxKind> {
        TxKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One settled row, reduced to what the sums need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub sector: Sector,
    pub kind: TxKind,
    pub amount: Money,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SectorBalance {
    pub paid: Money,
    pub used: Money,
    pub refunded: Money,
}

impl SectorBalance {
    /// paid − used − refunded, never below zero.
    pub fn available(&self) -> Money {
        let raw = self.paid - self.used - self.refunded;
        if raw.is_negative() { Money::ZERO } else { raw }
    }

    pub fn add(&mut self, kind: TxKind, amount: Money) {
        match kind {
            TxKind::Payment => self.paid += amount,
            TxKind::Usage => self.used += amount,
            TxKind::Refund => self.refunded += amount,
        }
    }

    fn merge(&mut self, other: &SectorBalance) {
        self.paid += other.paid;
        self.used += other.used;
        self.refunded += other.refunded;
    }
}

/// Per-sector balances, indexed in `Sector::ALL` order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    sectors: [SectorBalance; 5],
}

impl Ledger {
    pub fn from_entries<I: IntoIterator<Item = Entry>>(entries: I) -> Ledger {
        let mut ledger = Ledger::default();
        for e in entries {
            ledger.add(e);
        }
        ledger
    }

    pub fn add(&mut self, entry: Entry) {
        self.sectors[index(entry.sector)].add(entry.kind, entry.amount);
    }

    pub fn set(&mut self, sector: Sector, balance: SectorBalance) {
        self.sectors[index(sector)] = balance;
    }

    pub fn sector(&self, sector: Sector) -> &SectorBalance {
        &self.sectors[index(sector)]
    }

    pub fn sectors(&self) -> impl Iterator<Item = (Sector, &SectorBalance)> {
        Sector::ALL.into_iter().zip(self.sectors.iter())
    }

    /// Column sums; `available` of the total is the sum of the sectors' available amounts.
    pub fn totals(&self) -> (SectorBalance, Money) {
        let mut total = SectorBalance::default();
        for s in &self.sectors {
            total.merge(s);
        }
        let available = self.sectors.iter().map(SectorBalance::available).sum();
        (total, available)
    }
}

fn index(sector: Sector) -> usize {
    Sector::ALL.iter().position(|s| *s == sector).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(sector: Sector, kind: TxKind, halalas: i64) -> Entry {
        Entry { sector, kind, amount: Money::from_halalas(halalas) }
    }

    #[test]
    fn exit_reentry_visa_uses_200_of_a_650_deposit() {
        let ledger = Ledger::from_entries([
            entry(Sector::Passports, TxKind::Payment, 65_000),
            entry(Sector::Passports, TxKind::Usage, 20_000),
            entry(Sector::Labour, TxKind::Payment, 5_175),
            entry(Sector::Labour, TxKind::Refund, 5_175),
        ]);
        assert_eq!(ledger.sector(Sector::Passports).available(), Money::from_riyals(450));
        assert_eq!(ledger.sector(Sector::Labour).available(), Money::ZERO);
        let (total, available) = ledger.totals();
        assert_eq!(total.paid, Money::parse("701.75").unwrap());
        assert_eq!(available, Money::from_riyals(450));
    }

    #[test]
    fn available_is_never_negative() {
        let ledger = Ledger::from_entries([entry(Sector::Vehicles, TxKind::Usage, 100)]);
        assert_eq!(ledger.sector(Sector::Vehicles).available(), Money::ZERO);
    }

    fn arb_entry() -> impl Strategy<Value = Entry> {
        (0usize..5, 0usize..3, 1i64..10_000_000).prop_map(|(s, k, a)| entry(Sector::ALL[s], TxKind::ALL[k], a))
    }

    proptest! {
        #[test]
        fn totals_are_the_sum_of_sectors(entries in prop::collection::vec(arb_entry(), 0..200)) {
            let ledger = Ledger::from_entries(entries.iter().copied());
            let (total, available) = ledger.totals();
            let paid: Money = entries.iter().filter(|e| e.kind == TxKind::Payment).map(|e| e.amount).sum();
            let used: Money = entries.iter().filter(|e| e.kind == TxKind::Usage).map(|e| e.amount).sum();
            let refunded: Money = entries.iter().filter(|e| e.kind == TxKind::Refund).map(|e| e.amount).sum();
            prop_assert_eq!(total.paid, paid);
            prop_assert_eq!(total.used, used);
            prop_assert_eq!(total.refunded, refunded);
            prop_assert!(!available.is_negative());
            for (_, b) in ledger.sectors() {
                prop_assert!(!b.available().is_negative());
                prop_assert!(b.available() <= b.paid);
            }
        }

        #[test]
        fn order_of_entries_does_not_matter(mut entries in prop::collection::vec(arb_entry(), 0..100)) {
            let a = Ledger::from_entries(entries.iter().copied());
            entries.reverse();
            prop_assert_eq!(a, Ledger::from_entries(entries));
        }

        #[test]
        fn settled_history_keeps_exact_available(deposits in prop::collection::vec((0usize..5, 1i64..1_000_000, 0u8..3), 0..100)) {
            // Each deposit is either used, refunded or left: available is exactly what was left.
            let mut entries = Vec::new();
            let mut left = Money::ZERO;
            for (s, amount, fate) in deposits {
                let sector = Sector::ALL[s];
                entries.push(entry(sector, TxKind::Payment, amount));
                match fate {
                    0 => entries.push(entry(sector, TxKind::Usage, amount)),
                    1 => entries.push(entry(sector, TxKind::Refund, amount)),
                    _ => left += Money::from_halalas(amount),
                }
            }
            prop_assert_eq!(Ledger::from_entries(entries).totals().1, left);
        }
    }
}
