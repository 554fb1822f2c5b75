//! Per-address request budgets in fixed one-minute windows. Kept in memory:
//! losing them on restart is harmless.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    Captcha,
    Login,
    Otp,
    /// Logins naming one account, from any address.
    AccountLogin,
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub captcha_per_minute: u32,
    pub login_per_minute: u32,
    pub otp_per_minute: u32,
    pub logins_per_account_per_minute: u32,
}

impl Default for Limits {
    /// Twice the floor DESIGN.md sets, so a family behind one address is never refused.
    fn default() -> Self {
        Limits { captcha_per_minute: 120, login_per_minute: 60, otp_per_minute: 60, logins_per_account_per_minute: 20 }
    }
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    limits: Limits,
    windows: Mutex<HashMap<(String, Bucket), (i64, u32)>>,
}

const WINDOW_S: i64 = 60;

impl RateLimiter {
    pub fn new(limits: Limits) -> Self {
        RateLimiter { limits, windows: Mutex::default() }
    }

    /// Counts one request; `Err(seconds)` says how long until the address may try again.
    pub fn check(&self, ip: IpAddr, bucket: Bucket, now: i64) -> Result<(), i64> {
        self.check_key(ip.to_string(), bucket, now)
    }

    /// Counts one login naming `account` (a username or ID, any case).
    pub fn check_account(&self, account: &str, now: i64) -> Result<(), i64> {
        self.check_key(account.to_lowercase(), Bucket::AccountLogin, now)
    }

    fn check_key(&self, key: String, bucket: Bucket, now: i64) -> Result<(), i64> {
        let limit = match bucket {
            Bucket::Captcha => self.limits.captcha_per_minute,
            Bucket::Login => self.limits.login_per_minute,
            Bucket::Otp => self.limits.otp_per_minute,
            Bucket::AccountLogin => self.limits.logins_per_account_per_minute,
        };
        let window = now - now.rem_euclid(WINDOW_S);
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| *start == window);
        }
        let slot = windows.entry((key, bucket)).or_insert((window, 0));
        if slot.0 != window {
            *slot = (window, 0);
        }
        if slot.1 >= limit {
            return Err(window + WINDOW_S - now);
        }
        slot.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_budget_until_the_next_window() {
        let rl = RateLimiter::new(Limits { captcha_per_minute: 2, ..Limits::default() });
        let ip: IpAddr = [127, 0, 0, 1].into();
        assert!(rl.check(ip, Bucket::Captcha, 600).is_ok());
        assert!(rl.check(ip, Bucket::Captcha, 601).is_ok());
        assert_eq!(rl.check(ip, Bucket::Captcha, 610), Err(50));
        assert!(rl.check([10, 0, 0, 1].into(), Bucket::Captcha, 610).is_ok());
        assert!(rl.check(ip, Bucket::Login, 610).is_ok());
        assert!(rl.check(ip, Bucket::Captcha, 660).is_ok());
    }

    #[test]
    fn an_account_has_its_own_budget_whatever_the_address() {
        let rl = RateLimiter::new(Limits { logins_per_account_per_minute: 2, ..Limits::default() });
        assert!(rl.check_account("Abdullah01", 0).is_ok());
        assert!(rl.check_account("abdullah01", 1).is_ok());
        assert!(rl.check_account("ABDULLAH01", 2).is_err());
        assert!(rl.check_account("rahul2026", 2).is_ok());
    }
}
