//! The demo data set: deterministic histories built from the public fees in
//! domain-facts.md, for the demo accounts that README, the login screen and
//! the tests rely on.

mod documents;

use std::collections::HashMap;

use chrono::{Datelike, Duration, Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::passwords::{hash_password, verify_password};
use super::store::{NewTransaction, Store, StoreError, StoreResult};
use crate::api::{Person, Relation};
use crate::domain::services::{self, Service};
use crate::domain::{IdNumber, Money, PersonKind, TxKind};

pub const DEMO_PASSWORD: &str = "Rasid@2026";

pub const ABDULLAH: &str = "1057830869";
pub const NOURA: &str = "1271497099";
pub const MARIA: &str = "2134653555";
pub const RAHUL: &str = "2495059764";
pub const ANJALI: &str = "2717236737";
pub const FAHAD: &str = "1400949291";

/// The demo accounts: username, ID, phone.
pub const DEMO_ACCOUNTS: [(&str, &str, &str); 3] =
    [("abdullah01", ABDULLAH, "0551234501"), ("rahul2026", RAHUL, "0561234502"), ("fahadest01", FAHAD, "0501234503")];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedOptions {
    /// Workers under the establishment account.
    pub workers: u32,
    /// Years of history for the establishment's workers.
    pub worker_years: i32,
}

impl SeedOptions {
    pub const DEMO: SeedOptions = SeedOptions { workers: 12, worker_years: 6 };
    /// At least 1,000,000 transactions on the establishment owner's ID.
    pub const DEMO_LARGE: SeedOptions = SeedOptions { workers: 5000, worker_years: 12 };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    pub people: usize,
    pub transactions: usize,
}

/// What happens to a deposit after it is paid.
#[derive(Debug, Clone, Copy)]
enum Fate {
    /// A service uses it this many days later.
    Used(i64),
    /// Refunded through the bank this many days later.
    Refunded(i64),
    /// Still available.
    Held,
}

struct History {
    rng: ChaCha8Rng,
    today: NaiveDate,
    next_reference: u64,
    rows: Vec<NewTransaction>,
    /// Cars per person: one istimara each.
    cars: HashMap<String, usize>,
}

fn service(code: &str) -> &'static Service {
    services::find(code).unwrap_or(&services::CATALOG[0])
}

impl History {
    fn new(seed: u64, today: NaiveDate) -> History {
        History {
            rng: ChaCha8Rng::seed_from_u64(seed),
            today,
            next_reference: 7_100_000_000 + seed * 1_000_000,
            rows: Vec::new(),
            cars: HashMap::new(),
        }
    }

    fn day_in_year(&mut self, year: i32) -> Option<NaiveDate> {
        let ordinal = self.rng.random_range(1..=365);
        NaiveDate::from_yo_opt(year, ordinal).filter(|d| *d <= self.today)
    }

    fn day_in_month(&mut self, year: i32, month: u32) -> Option<NaiveDate> {
        let day = self.rng.random_range(1..=28);
        NaiveDate::from_ymd_opt(year, month, day).filter(|d| *d <= self.today)
    }

    fn row(
        &mut self,
        owner: &str,
        date: NaiveDate,
        svc: &'static Service,
        kind: TxKind,
        amount: Money,
        beneficiary: &str,
    ) {
        self.next_reference += 1;
        self.rows.push(NewTransaction {
            id_number: owner.to_owned(),
            date: date.format("%Y-%m-%d").to_string(),
            sector: svc.sector,
            service_code: svc.code,
            kind,
            amount,
            beneficiary_id: beneficiary.to_owned(),
            reference: format!("SADAD-{}", self.next_reference),
        });
    }

    /// A payment and, unless held, the usage or refund that settles it.
    fn deposit(
        &mut self,
        owner: &str,
        date: Option<NaiveDate>,
        code: &str,
        amount: Option<Money>,
        beneficiary: &str,
        fate: Fate,
    ) {
        let Some(date) = date else { return };
        let svc = service(code);
        let amount = amount.unwrap_or(svc.fee);
        self.row(owner, date, svc, TxKind::Payment, amount, beneficiary);
        let (kind, days) = match fate {
            Fate::Used(days) => (TxKind::Usage, days),
            Fate::Refunded(days) => (TxKind::Refund, days),
            Fate::Held => return,
        };
        let settled = date + Duration::days(days);
        if settled <= self.today {
            self.row(owner, settled, svc, kind, amount, beneficiary);
        }
    }

    fn used(&mut self) -> Fate {
        Fate::Used(self.rng.random_range(0..4))
    }

    fn years(&self, count: i32) -> std::ops::RangeInclusive<i32> {
        self.today.year() - count + 1..=self.today.year()
    }

    /// A citizen's own life: istimara renewals, a licence, a passport, fines.
    fn citizen(&mut self, id: &str, cars: u32, years: i32) {
        self.cars.insert(id.to_owned(), cars as usize);
        let first = *self.years(years).start();
        for year in self.years(years) {
            for _ in 0..cars {
                let d = self.day_in_year(year);
                let fate = self.used();
                self.deposit(id, d, "istimara_renewal_1y", None, id, fate);
            }
            for _ in 0..self.rng.random_range(0..3) {
                let amount = Money::from_riyals(self.rng.random_range(3..=40) * 50);
                let d = self.day_in_year(year);
                let fate = self.used();
                self.deposit(id, d, "speeding_fine", Some(amount), id, fate);
            }
            if self.rng.random_ratio(1, 6) {
                let d = self.day_in_year(year);
                let fate = self.used();
                self.deposit(id, d, "red_light_fine", None, id, fate);
            }
        }
        let d = self.day_in_year(first + 1);
        self.deposit(id, d, "licence_renewal_10y", None, id, Fate::Used(2));
        let d = self.day_in_year(first + 2);
        self.deposit(id, d, "passport_issue_10y", None, id, Fate::Used(5));
        let d = self.day_in_year(first);
        self.deposit(id, d, "plate_replacement", None, id, Fate::Refunded(3));
        // Paid ahead for next year's renewal: still available.
        let d = Some(self.today - Duration::days(20));
        self.deposit(id, d, "istimara_renewal_1y", None, id, Fate::Held);
    }

    /// A sponsor's fees for a domestic worker.
    fn domestic_worker_fees(&mut self, owner: &str, worker: &str, years: i32) {
        for year in self.years(years) {
            let d = self.day_in_year(year);
            let fate = self.used();
            self.deposit(owner, d, "domestic_iqama_1y", None, worker, fate);
            if year % 2 == 0 {
                let d = self.day_in_year(year);
                let fate = self.used();
                self.deposit(owner, d, "exit_reentry_single", None, worker, fate);
            }
        }
        let d = self.day_in_year(self.today.year() - 2);
        self.deposit(owner, d, "exit_reentry_single", None, worker, Fate::Refunded(3));
        let d = Some(self.today - Duration::days(9));
        self.deposit(owner, d, "exit_reentry_single", None, worker, Fate::Held);
    }

    /// A resident's iqama, trips, car, and dependants' fees.
    fn resident(&mut self, id: &str, dependants: &[&str], years: i32) {
        self.cars.insert(id.to_owned(), 1);
        for year in self.years(years) {
            let d = self.day_in_year(year);
            let fate = self.used();
            self.deposit(id, d, "iqama_renewal_1y", None, id, fate);
            for _ in 0..self.rng.random_range(1..=2) {
                let d = self.day_in_year(year);
                let fate = self.used();
                self.deposit(id, d, "exit_reentry_single", None, id, fate);
            }
            if year % 2 == 1 {
                let d = self.day_in_year(year);
                self.deposit(id, d, "exit_reentry_multiple", None, id, Fate::Used(1));
            }
            let d = self.day_in_year(year);
            let fate = self.used();
            self.deposit(id, d, "istimara_renewal_1y", None, id, fate);
            for dep in dependants {
                let d = self.day_in_year(year);
                let fate = self.used();
                self.deposit(id, d, "iqama_renewal_1y", None, dep, fate);
                for quarter in 0..4 {
                    let d = self.day_in_month(year, quarter * 3 + 1);
                    let fate = self.used();
                    self.deposit(id, d, "dependent_fee_quarter", None, dep, fate);
                }
            }
        }
        let first = *self.years(years).start();
        let d = self.day_in_year(first);
        self.deposit(id, d, "licence_renewal_10y", None, id, Fate::Used(1));
        let d = self.day_in_year(first + 1);
        self.deposit(id, d, "exit_reentry_single", None, id, Fate::Refunded(4));
        let d = Some(self.today - Duration::days(12));
        self.deposit(id, d, "exit_reentry_single", None, id, Fate::Held);
        if let Some(dep) = dependants.first() {
            let d = Some(self.today - Duration::days(30));
            self.deposit(id, d, "dependent_fee_quarter", None, dep, Fate::Held);
        }
    }

    /// A family member's own trips.
    fn traveller(&mut self, id: &str, years: i32) {
        for year in self.years(years) {
            let d = self.day_in_year(year);
            let fate = self.used();
            self.deposit(id, d, "exit_reentry_single", None, id, fate);
        }
        let d = self.day_in_year(self.today.year() - 1);
        self.deposit(id, d, "exit_reentry_single", None, id, Fate::Refunded(2));
        let d = Some(self.today - Duration::days(5));
        self.deposit(id, d, "exit_reentry_single", None, id, Fate::Held);
    }

    /// An establishment worker's fees, written on `owner`'s history with the worker as beneficiary:
    /// iqama renewals, each with the business portal's fee, and trips. The worker's `index` sets
    /// when the iqama was last renewed, so that some have run out, some run out within 30 days,
    /// most within 90, and the yearly ones later; and what money is still held: a renewal paid
    /// ahead, or a trip paid for and not taken (a refund candidate).
    fn worker_fees(&mut self, owner: &str, worker: &str, years: i32, index: usize) {
        let (code, months, days_ago) = match index % 6 {
            0 => ("iqama_renewal_3m", 3, self.rng.random_range(100..=150)),
            1 => ("iqama_renewal_3m", 3, self.rng.random_range(64..=86)),
            2 => ("iqama_renewal_1y", 12, self.rng.random_range(30..=300)),
            _ => ("iqama_renewal_3m", 3, self.rng.random_range(4..=56)),
        };
        let first = NaiveDate::from_yo_opt(*self.years(years).start(), 1).unwrap_or(self.today);
        let mut renewed = Some(self.today - Duration::days(days_ago));
        while let Some(day) = renewed.filter(|d| *d >= first) {
            // Paid a few days before the renewal used the deposit.
            let delay = self.rng.random_range(0..4);
            let paid = Some(day - Duration::days(delay));
            self.deposit(owner, paid, code, None, worker, Fate::Used(delay));
            self.deposit(owner, paid, "portal_iqama_renewal", None, worker, Fate::Used(delay));
            renewed = day.checked_sub_months(Months::new(months));
        }
        for year in self.years(years) {
            for _ in 0..2 {
                let d = self.day_in_year(year);
                let fate = self.used();
                self.deposit(owner, d, "exit_reentry_single", None, worker, fate);
            }
            if year % 3 == 0 {
                let d = self.day_in_year(year);
                let fate = self.used();
                self.deposit(owner, d, "portal_reentry_extension", None, worker, fate);
            }
        }
        if index % 4 == 1 {
            let d = Some(self.today - Duration::days(self.rng.random_range(1..=10)));
            self.deposit(owner, d, code, None, worker, Fate::Held);
        }
        if index % 5 == 3 {
            let d = Some(self.today - Duration::days(self.rng.random_range(20..=200)));
            self.deposit(owner, d, "exit_reentry_single", None, worker, Fate::Held);
        }
        if index % 7 == 2 {
            let d = self.day_in_year(self.today.year() - 1);
            self.deposit(owner, d, "exit_reentry_single", None, worker, Fate::Refunded(5));
        }
    }
}

/// The fees a sponsor paid for someone, as they show on that person's own ID.
fn on_the_id_of<'a>(id: &str, rows: impl IntoIterator<Item = &'a NewTransaction>) -> Vec<NewTransaction> {
    rows.into_iter().map(|r| NewTransaction { id_number: id.to_owned(), ..r.clone() }).collect()
}

fn person(id: &str, en: &str, ar: &str, kind: PersonKind) -> Person {
    Person { id_number: id.into(), name_en: en.into(), name_ar: ar.into(), kind }
}

const FIRST_NAMES: [(&str, &str); 10] = [
    ("Mohammed", "محمد"),
    ("Rahim", "رحيم"),
    ("Suresh", "سوريش"),
    ("Juan", "خوان"),
    ("Imran", "عمران"),
    ("Ravi", "رافي"),
    ("Joseph", "جوزيف"),
    ("Bilal", "بلال"),
    ("Kamal", "كمال"),
    ("Arjun", "أرجون"),
];

const LAST_NAMES: [(&str, &str); 8] = [
    ("Khan", "خان"),
    ("Hossain", "حسين"),
    ("Kumar", "كومار"),
    ("Reyes", "رييس"),
    ("Perera", "بيريرا"),
    ("Sharma", "شارما"),
    ("Das", "داس"),
    ("Ali", "علي"),
];

/// The establishment's workers: generated residents with valid iqama numbers.
pub fn worker(index: u32) -> Person {
    let id = IdNumber::from_serial(PersonKind::Resident, 30_000_000 + index);
    let (first_en, first_ar) = FIRST_NAMES[index as usize % FIRST_NAMES.len()];
    let (last_en, last_ar) = LAST_NAMES[(index as usize / FIRST_NAMES.len()) % LAST_NAMES.len()];
    person(id.as_str(), &format!("{first_en} {last_en}"), &format!("{first_ar} {last_ar}"), PersonKind::Resident)
}

/// How many accounts are not demo accounts: a demo account has a demo username and ID and still
/// opens with the published demo password, so nothing about it is secret.
pub async fn accounts_not_from_the_demo(store: &Store) -> StoreResult<i64> {
    let accounts = store.user_count().await?;
    if accounts == 0 {
        return Ok(0);
    }
    let mut checks = Vec::new();
    for (username, id, _) in DEMO_ACCOUNTS {
        if let Some(user) = store.find_login_user(username).await?
            && user.id_number == id
        {
            checks.push(tokio::task::spawn_blocking(move || verify_password(&user.password_hash, DEMO_PASSWORD)));
        }
    }
    let mut demo = 0;
    for check in checks {
        demo += i64::from(check.await.unwrap_or(false));
    }
    Ok(accounts - demo)
}

/// The demo seed's name in `seed_runs`.
const DEMO_SEED: &str = "demo";

/// Refuses a database a demo seed was stopped midway in, whether or not this start seeds: the rest of
/// a fleet starts without `--seed`, and would otherwise serve part of the demo.
pub async fn check_not_part_seeded(store: &Store) -> StoreResult<()> {
    if store.seed_unfinished(DEMO_SEED).await? {
        return Err(StoreError::SeedUnfinished);
    }
    Ok(())
}

/// Rows are written in batches of this many, each batch in one database transaction.
const BATCH_ROWS: usize = 100_000;

/// Seeds the demo set with histories ending `today`. Does nothing when accounts exist already.
pub async fn seed_demo(store: &Store, today: NaiveDate, options: SeedOptions) -> StoreResult<SeedReport> {
    if store.user_count().await? > 0 {
        return Ok(SeedReport::default());
    }
    store.begin_seed(DEMO_SEED).await?;
    let mut people = vec![
        person(ABDULLAH, "Abdullah Al-Harbi", "عبدالله الحربي", PersonKind::Citizen),
        person(NOURA, "Noura Al-Harbi", "نورة الحربي", PersonKind::Citizen),
        person(MARIA, "Maria Santos", "ماريا سانتوس", PersonKind::Resident),
        person(RAHUL, "Rahul Menon", "راهول مينون", PersonKind::Resident),
        person(ANJALI, "Anjali Menon", "أنجالي مينون", PersonKind::Resident),
        person(FAHAD, "Fahad Al-Qahtani", "فهد القحطاني", PersonKind::Citizen),
    ];
    let workers: Vec<Person> = (0..options.workers).map(worker).collect();
    people.extend(workers.iter().cloned());
    store.insert_people(&people).await?;

    // Hashed side by side: argon2 is most of the demo's start-up time.
    let hashing: Vec<_> =
        DEMO_ACCOUNTS.iter().map(|_| tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD))).collect();
    let mut user_ids = Vec::new();
    for ((username, id, phone), hash) in DEMO_ACCOUNTS.iter().zip(hashing) {
        let hash = hash.await.unwrap_or_default();
        user_ids.push(store.insert_user(username, id, &hash, phone).await?);
    }
    store
        .link_people(
            user_ids[0],
            &[
                (ABDULLAH.into(), Relation::Own),
                (NOURA.into(), Relation::Spouse),
                (MARIA.into(), Relation::DomesticWorker),
            ],
        )
        .await?;
    store.link_people(user_ids[1], &[(RAHUL.into(), Relation::Own), (ANJALI.into(), Relation::Spouse)]).await?;
    let mut fahad_links = vec![(FAHAD.to_owned(), Relation::Own)];
    fahad_links.extend(workers.iter().map(|w| (w.id_number.clone(), Relation::Worker)));
    store.link_people(user_ids[2], &fahad_links).await?;

    let mut total = 0;
    let mut h = History::new(1, today);
    h.citizen(ABDULLAH, 2, 7);
    h.domestic_worker_fees(ABDULLAH, MARIA, 7);
    h.citizen(NOURA, 1, 6);
    h.resident(RAHUL, &[ANJALI], 6);
    h.traveller(ANJALI, 4);
    h.citizen(FAHAD, 3, 8);
    // Maria's own ID carries the fees her sponsor paid for her, as each worker's does.
    let marias = on_the_id_of(MARIA, h.rows.iter().filter(|r| r.id_number == ABDULLAH && r.beneficiary_id == MARIA));
    h.rows.extend(marias);
    total += h.rows.len();
    store.insert_transactions(&h.rows).await?;
    let mut docs = documents::from_rows(&h.rows, &h.cars);

    // The newest worker joined this month and has no history yet.
    let with_history = workers.len().saturating_sub(1);
    let mut batch = Vec::with_capacity(BATCH_ROWS + 1000);
    for (i, w) in workers.iter().take(with_history).enumerate() {
        let mut h = History::new(1000 + i as u64, today);
        let years = if options.worker_years > 3 { options.worker_years - (i as i32 % 3) } else { options.worker_years };
        h.worker_fees(FAHAD, &w.id_number, years, i);
        docs.extend(documents::from_rows(&h.rows, &h.cars));
        // The same fees, on the worker's own ID.
        let own = on_the_id_of(&w.id_number, &h.rows);
        batch.extend(h.rows);
        batch.extend(own);
        if batch.len() >= BATCH_ROWS {
            total += batch.len();
            store.insert_transactions_deferring(&batch, &[FAHAD]).await?;
            batch.clear();
        }
    }
    total += batch.len();
    store.insert_transactions_deferring(&batch, &[FAHAD]).await?;
    store.insert_documents(&docs).await?;
    // Everyone else with rows got their money summary with them (insert_transactions); the owner's,
    // written in every batch, is summed once here, and the workers with no history yet get their
    // line of zeros.
    let mut refreshed: Vec<String> = workers[with_history..].iter().map(|w| w.id_number.clone()).collect();
    refreshed.push(FAHAD.to_owned());
    store.refresh_summaries(&refreshed).await?;
    store.after_bulk_load().await?;
    store.end_seed(DEMO_SEED).await?;
    Ok(SeedReport { people: people.len(), transactions: total })
}
