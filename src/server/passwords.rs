//! Password hashing and checking: argon2id, a bounded number at once.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use super::error::{ApiError, ApiResult};
use crate::api::{ErrorCode, Secret};

pub fn hash_password(password: &str) -> String {
    // The salt comes from the operating system's random source.
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).unwrap_or_default()
}

pub(crate) fn verify_password(hash: &str, password: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// Password checks at once: each argon2 verification takes 19 MiB and a core
/// for tens of milliseconds, so a burst of logins must queue, not pile up.
pub struct PasswordChecks {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
    /// Verified against when a name is no account, so both cases cost the same.
    /// Made on first need: hashing is the slowest part of start-up.
    dummy_hash: std::sync::OnceLock<String>,
    running: std::sync::atomic::AtomicUsize,
    peak: std::sync::atomic::AtomicUsize,
}

/// How long a login waits for a free password check before it is told to come back.
const PASSWORD_QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl PasswordChecks {
    pub fn new(at_once: usize) -> PasswordChecks {
        PasswordChecks {
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(at_once.max(1))),
            dummy_hash: std::sync::OnceLock::new(),
            running: Default::default(),
            peak: Default::default(),
        }
    }

    /// The most password checks that ever ran at once.
    pub fn peak(&self) -> usize {
        self.peak.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Waits for a free password check (503 `unavailable` past the queue's wait).
    pub async fn reserve(self: &std::sync::Arc<Self>) -> ApiResult<PasswordCheck> {
        let busy = || ApiError::new(ErrorCode::Unavailable).retry_after(1);
        let permit = tokio::time::timeout(PASSWORD_QUEUE_WAIT, std::sync::Arc::clone(&self.permits).acquire_owned())
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())?;
        Ok(PasswordCheck { checks: std::sync::Arc::clone(self), _permit: permit })
    }
}

/// One password check's turn, held from [`PasswordChecks::reserve`] until it has run.
pub struct PasswordCheck {
    checks: std::sync::Arc<PasswordChecks>,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl PasswordCheck {
    /// Checks `password` against `hash`, or against a dummy hash when there is no account.
    pub async fn verify(self, hash: Option<String>, password: Secret) -> bool {
        use std::sync::atomic::Ordering;
        let checks = std::sync::Arc::clone(&self.checks);
        let ok = tokio::task::spawn_blocking(move || {
            let running = checks.running.fetch_add(1, Ordering::Relaxed) + 1;
            checks.peak.fetch_max(running, Ordering::Relaxed);
            let hash =
                hash.unwrap_or_else(|| checks.dummy_hash.get_or_init(|| hash_password("not a real password")).clone());
            let ok = verify_password(&hash, password.expose());
            checks.running.fetch_sub(1, Ordering::Relaxed);
            ok
        })
        .await
        .unwrap_or(false);
        drop(self);
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_verify_and_differ_by_salt() {
        let a = hash_password("Rasid@2026");
        let b = hash_password("Rasid@2026");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify_password(&a, "Rasid@2026"));
        assert!(!verify_password(&a, "rasid@2026"));
        assert!(!verify_password("garbage", "Rasid@2026"));
    }
}
