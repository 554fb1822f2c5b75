//! The server reads time only through a `Clock`, so expiry can be tested without sleeping.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::domain::hijri::RIYADH_UTC_OFFSET_S;

pub trait Clock: Send + Sync {
    /// Seconds since the Unix epoch.
    fn now(&self) -> i64;

    fn riyadh_now(&self) -> DateTime<FixedOffset> {
        let offset = FixedOffset::east_opt(RIYADH_UTC_OFFSET_S).expect("UTC+3 is a valid offset");
        DateTime::from_timestamp(self.now(), 0).unwrap_or_default().with_timezone(&offset)
    }

    fn today(&self) -> NaiveDate {
        self.riyadh_now().date_naive()
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        chrono::Utc::now().timestamp()
    }
}

/// A clock that moves only when told to.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    pub fn new(start: i64) -> Self {
        ManualClock(Arc::new(AtomicI64::new(start)))
    }

    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}
