//! Request budgets: per address (and per account) in fixed one-minute windows,
//! and a cap on each user's requests in flight.
//!
//! On PostgreSQL the windows live in the database, so they hold for the sum of every instance; on
//! SQLite (one process) in this process's memory, where losing them on restart is harmless. The
//! cap on requests in flight is always this process's own: it protects this process's cores.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::store::{Store, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    Captcha,
    Login,
    Otp,
    /// Logins naming one account, from any address.
    AccountLogin,
}

impl Bucket {
    fn name(self) -> &'static str {
        match self {
            Bucket::Captcha => "captcha",
            Bucket::Login => "login",
            Bucket::Otp => "otp",
            Bucket::AccountLogin => "account_login",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub captcha_per_minute: u32,
    pub login_per_minute: u32,
    pub otp_per_minute: u32,
    pub logins_per_account_per_minute: u32,
    /// A user's authenticated requests being served at once; more are refused at once.
    pub in_flight_per_user: u32,
}

impl Default for Limits {
    /// Twice the floor DESIGN.md sets, so a family behind one address is never refused.
    fn default() -> Self {
        Limits {
            captcha_per_minute: 120,
            login_per_minute: 60,
            otp_per_minute: 60,
            logins_per_account_per_minute: 20,
            in_flight_per_user: 8,
        }
    }
}

pub const WINDOW_S: i64 = 60;
/// Keys are spread over this many locks, so callers rarely wait on each other.
const SHARDS: usize = 16;

/// The counts of one window. When the window turns the map is replaced whole:
/// no request ever walks the keys.
#[derive(Debug, Default)]
struct Window {
    start: i64,
    counts: HashMap<(String, Bucket), u32>,
}

pub struct RateLimiter {
    limits: Limits,
    shards: Vec<Mutex<Window>>,
    in_flight: Mutex<HashMap<i64, u32>>,
    /// Where the windows are shared with other instances (PostgreSQL), if they are.
    store: Option<Store>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter").field("limits", &self.limits).field("shared", &self.store.is_some()).finish()
    }
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter::new(Limits::default())
    }
}

/// A panic while a lock is held leaves each map whole: every change is one insert or remove.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl RateLimiter {
    pub fn new(limits: Limits) -> Self {
        RateLimiter {
            limits,
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            in_flight: Mutex::default(),
            store: None,
        }
    }

    /// Keeps the windows in `store` when it shares them between instances (PostgreSQL).
    pub fn with_store(mut self, store: Store) -> Self {
        self.store = Some(store);
        self
    }

    /// Counts one request; `Err(seconds)` says how long until the address may try again.
    pub async fn check(&self, ip: IpAddr, bucket: Bucket, now: i64) -> StoreResult<Result<(), i64>> {
        self.check_key(ip.to_string(), bucket, now).await
    }

    /// Counts one login naming `account` (its key: the same whichever name was typed).
    pub async fn check_account(&self, account: &str, now: i64) -> StoreResult<Result<(), i64>> {
        self.check_key(account.to_lowercase(), Bucket::AccountLogin, now).await
    }

    async fn check_key(&self, key: String, bucket: Bucket, now: i64) -> StoreResult<Result<(), i64>> {
        let limit = match bucket {
            Bucket::Captcha => self.limits.captcha_per_minute,
            Bucket::Login => self.limits.login_per_minute,
            Bucket::Otp => self.limits.otp_per_minute,
            Bucket::AccountLogin => self.limits.logins_per_account_per_minute,
        };
        let start = now - now.rem_euclid(WINDOW_S);
        if let Some(store) = &self.store
            && let Some(count) = store.claim_rate_window(bucket.name(), &key, start).await?
        {
            return Ok(if count > i64::from(limit) { Err(start + WINDOW_S - now) } else { Ok(()) });
        }
        Ok(self.check_local(key, bucket, limit, start, now))
    }

    fn check_local(&self, key: String, bucket: Bucket, limit: u32, start: i64, now: i64) -> Result<(), i64> {
        let key = (key, bucket);
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        let mut window = lock(&self.shards[(hasher.finish() % SHARDS as u64) as usize]);
        if window.start != start {
            *window = Window { start, counts: HashMap::new() };
        }
        let count = window.counts.entry(key).or_insert(0);
        if *count >= limit {
            return Err(start + WINDOW_S - now);
        }
        *count += 1;
        Ok(())
    }

    /// How many keys the current windows hold.
    #[cfg(test)]
    fn keys(&self) -> usize {
        self.shards.iter().map(|s| lock(s).counts.len()).sum()
    }

    /// Takes one of the user's places for a request in flight; `None` when all are
    /// taken. The place is given back when the returned guard drops.
    pub fn enter(self: &Arc<Self>, user_id: i64) -> Option<InFlight> {
        let mut in_flight = lock(&self.in_flight);
        let count = in_flight.entry(user_id).or_insert(0);
        if *count >= self.limits.in_flight_per_user {
            return None;
        }
        *count += 1;
        Some(InFlight { limiter: Arc::clone(self), user_id })
    }
}

/// One request of a user being served.
#[derive(Debug)]
pub struct InFlight {
    limiter: Arc<RateLimiter>,
    user_id: i64,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut in_flight = lock(&self.limiter.in_flight);
        if let Some(count) = in_flight.get_mut(&self.user_id) {
            *count -= 1;
            if *count == 0 {
                in_flight.remove(&self.user_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(rl: &RateLimiter, ip: IpAddr, bucket: Bucket, now: i64) -> Result<(), i64> {
        futures_util::FutureExt::now_or_never(rl.check(ip, bucket, now)).expect("in memory: no wait").unwrap()
    }

    fn check_account(rl: &RateLimiter, account: &str, now: i64) -> Result<(), i64> {
        futures_util::FutureExt::now_or_never(rl.check_account(account, now)).expect("in memory: no wait").unwrap()
    }

    #[test]
    fn refuses_past_the_budget_until_the_next_window() {
        let rl = RateLimiter::new(Limits { captcha_per_minute: 2, ..Limits::default() });
        let ip: IpAddr = [127, 0, 0, 1].into();
        assert!(check(&rl, ip, Bucket::Captcha, 600).is_ok());
        assert!(check(&rl, ip, Bucket::Captcha, 601).is_ok());
        assert_eq!(check(&rl, ip, Bucket::Captcha, 610), Err(50));
        assert!(check(&rl, [10, 0, 0, 1].into(), Bucket::Captcha, 610).is_ok());
        assert!(check(&rl, ip, Bucket::Login, 610).is_ok());
        assert!(check(&rl, ip, Bucket::Captcha, 660).is_ok());
    }

    #[test]
    fn an_account_has_its_own_budget_whatever_the_address() {
        let rl = RateLimiter::new(Limits { logins_per_account_per_minute: 2, ..Limits::default() });
        assert!(check_account(&rl, "u:7", 0).is_ok());
        assert!(check_account(&rl, "u:7", 1).is_ok());
        assert!(check_account(&rl, "U:7", 2).is_err());
        assert!(check_account(&rl, "u:8", 2).is_ok());
    }

    #[test]
    fn a_turned_window_forgets_every_old_key() {
        let rl = RateLimiter::default();
        for i in 0..50_000u32 {
            let _ = check(&rl, IpAddr::from(i.to_be_bytes()), Bucket::Captcha, 0);
        }
        assert_eq!(rl.keys(), 50_000);
        for i in 0..1_000u32 {
            let _ = check(&rl, IpAddr::from((i + 1_000_000).to_be_bytes()), Bucket::Captcha, 60);
        }
        assert_eq!(rl.keys(), 1_000, "the old minute's keys are dropped with their window, not scanned");
    }

    #[test]
    fn a_user_has_a_few_requests_in_flight_and_gets_them_back() {
        let rl = Arc::new(RateLimiter::new(Limits { in_flight_per_user: 2, ..Limits::default() }));
        let a = rl.enter(1).expect("first");
        let b = rl.enter(1).expect("second");
        assert!(rl.enter(1).is_none(), "a third at once is refused");
        assert!(rl.enter(2).is_some(), "another user is not affected");
        drop(a);
        let _c = rl.enter(1).expect("a place given back is free again");
        drop(b);
        assert!(rl.enter(1).is_some());
    }
}
