//! All SQL lives under this module: the narrow seam where another database
//! (PostgreSQL for many server instances) would plug in.

mod accounts;
mod establishment;
mod history;

pub use accounts::{
    Challenge, LoginUser, OtpTry, PasswordThrottle, PasswordTry, PurgePolicy, Purged, ResendRefusal, SmsBudget,
};
pub use establishment::{
    NewDocument, RenewalAfter, RenewalRow, SortKey, WorkerBound, WorkerFilter, WorkerRow, WorkerSums,
};
pub use history::{After, HistoryPage, NewTransaction, TooBroad, TxFilter, TxRow};

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// Where the database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbLocation {
    Memory,
    File(PathBuf),
}

impl FromStr for DbLocation {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(if s == ":memory:" { DbLocation::Memory } else { DbLocation::File(PathBuf::from(s)) })
    }
}

/// The most rows a text search may read (through its count and its page) before it is refused.
/// A search reading 200,000 took up to 220 ms on the 2-core machine the README's figures come from
/// while others loaded it; half that keeps clear of the 200 ms every history request must meet.
pub const DEFAULT_SCAN_LIMIT: u64 = 100_000;

/// What can go wrong in the store: the database refused, failed or is unreachable. Its own type,
/// so callers need not know the store is sqlx.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database schema: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("database file: {0}")]
    Io(#[from] std::io::Error),
    #[error("a stored value is not what it should be: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// What `/metrics` shows of the connection pool.
#[derive(Debug, Clone, Copy)]
pub struct PoolUse {
    pub size: u32,
    pub idle: usize,
    pub max: u32,
    pub acquire_wait: Option<Duration>,
}

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    scan_limit: u64,
}

impl Store {
    pub async fn open(location: &DbLocation) -> StoreResult<Store> {
        let base = SqliteConnectOptions::new()
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .synchronous(SqliteSynchronous::Normal)
            // A long list (an establishment's thousands of workers) crosses from the database thread
            // without the thread stopping to wait.
            .row_buffer_size(1024);
        let pool = match location {
            // One connection: every new connection to ":memory:" would be a new, empty database.
            DbLocation::Memory => {
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .connect_with(base.in_memory(true))
                    .await?
            }
            DbLocation::File(path) => {
                // The file holds password hashes and sessions: its owner alone reads it. SQLite gives
                // the -wal and -shm files the database file's mode.
                let mut dirs = std::fs::DirBuilder::new();
                let mut file = std::fs::OpenOptions::new();
                file.create(true).append(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
                    dirs.mode(0o700);
                    file.mode(0o600);
                }
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    dirs.recursive(true).create(dir)?;
                }
                file.open(path)?;
                let options = base.filename(path).create_if_missing(true).journal_mode(SqliteJournalMode::Wal);
                // Each connection is a thread: more than two a core only adds switching between them.
                let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
                // A local file does not drop connections: the ping before each checkout would only add a
                // round trip to the connection's thread.
                SqlitePoolOptions::new()
                    .max_connections((cores * 2).clamp(2, 8))
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await?
            }
        };
        sqlx::migrate!("assets/migrations").run(&pool).await?;
        Ok(Store { pool, scan_limit: DEFAULT_SCAN_LIMIT })
    }

    /// The same store with another limit on the rows a text search may read (tests lower it to
    /// reach the refusal on small data).
    pub fn with_scan_limit(mut self, rows: u64) -> Store {
        self.scan_limit = rows;
        self
    }

    /// Waits for the connections to finish and closes the database.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The pool's connections now, and how long a connection took to get (`None`: none came within
    /// the pool's timeout, or the pool is closed).
    pub async fn pool_use(&self) -> PoolUse {
        let (size, idle) = (self.pool.size(), self.pool.num_idle());
        let started = std::time::Instant::now();
        let acquire_wait = self.pool.acquire().await.ok().map(|_| started.elapsed());
        PoolUse { size, idle, max: self.pool.options().get_max_connections(), acquire_wait }
    }

    pub async fn user_count(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await.map_err(StoreError::from)
    }
}

/// A LIKE pattern that finds `text` anywhere, its wildcards escaped (with `\\` as the escape).
pub(crate) fn like_pattern(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
