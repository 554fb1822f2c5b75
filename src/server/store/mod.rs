//! All SQL lives under this module. One store, two engines: SQLite (the embedded default, a file
//! or `:memory:`) and PostgreSQL (many server instances on one database).
//!
//! How a store function is written, once for both engines:
//! - SQL is written with numbered placeholders (`$1`, `$2`…), which both engines read, and in the
//!   SQL both accept (`CAST(SUM(x) AS BIGINT)`, an alias on every subquery, `table.column` in an
//!   upsert's SET).
//! - The body runs inside [`on_pool!`]`(self, |pool, Db| …)`, which expands it once per engine
//!   with `pool` that engine's pool and `Db` its sqlx database type. Fixed SQL is
//!   `sqlx::query…(…).bind(…)` as usual.
//! - SQL built at run time goes into a [`Statement`], which numbers the placeholders and keeps the
//!   values, and is run with [`bind_all!`]. Where the engines really differ (`json_group_array`
//!   or `json_agg`, SQLite's planner hints, `LIKE` or `ILIKE`), the builder asks
//!   [`Statement::engine`] or `self.engine()`, and the one place is marked.
//! - Migrations are per engine: `assets/migrations` (SQLite) and `assets/migrations-pg`.
//! - On PostgreSQL, `pool` is the pool of [`kept::PgConnections`], which pages of history bypass:
//!   a page keeps its connection for the next page, and gives it back when others need it.
//!
//! Not `sqlx::Any` (its query builder writes `?` on PostgreSQL, sqlx issue 3000) and not a store
//! generic over `sqlx::Database` (its bounds would spread to every caller).

mod accounts;
mod establishment;
mod history;
mod kept;
mod shared;
mod statement;

pub use accounts::{
    Challenge, Counted, LoginUser, OtpTry, PasswordThrottle, PasswordTry, PurgePolicy, Purged, ResendRefusal, SmsBudget,
};
pub use establishment::{
    NewDocument, RenewalAfter, RenewalRow, SortKey, WorkerBound, WorkerFilter, WorkerRow, WorkerSums,
};
pub use history::{After, HistoryPage, NewTransaction, TooBroad, TxFilter, TxRow};
pub use shared::{PING, REVOKED_CHANNEL, Revoked, SetupLock};
pub(crate) use statement::{Arg, Statement};

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use kept::PgConnections;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

/// Expands `$body` once per engine: `$pool` is bound to the engine's pool and `$db` names its sqlx
/// database type (`sqlx::Sqlite` or `sqlx::Postgres`), so the same text compiles for each.
macro_rules! on_pool {
    ($store:expr, |$pool:ident, $db:ident| $body:expr) => {
        match &$store.pool {
            $crate::server::store::Pool::Sqlite($pool) => {
                #[allow(dead_code)]
                type $db = sqlx::Sqlite;
                $body
            }
            $crate::server::store::Pool::Postgres(connections) => {
                let $pool = connections.pool();
                #[allow(dead_code)]
                type $db = sqlx::Postgres;
                $body
            }
        }
    };
}
pub(crate) use on_pool;

/// Binds a [`Statement`]'s values, in order, to a query made from its SQL.
macro_rules! bind_all {
    ($query:expr, $args:expr) => {
        $args.into_iter().fold($query, |q, arg| match arg {
            $crate::server::store::Arg::Int(i) => q.bind(i),
            $crate::server::store::Arg::Text(t) => q.bind(t),
            $crate::server::store::Arg::Static(s) => q.bind(s),
        })
    };
}
pub(crate) use bind_all;

/// Which database a store speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(std::sync::Arc<PgConnections>),
}

/// Where the database lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DbLocation {
    Memory,
    File(PathBuf),
    /// A `postgres://` URL, checked when parsed.
    Postgres(String),
}

impl DbLocation {
    /// A `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or `postgresql://`) location, checked.
    pub fn postgres(url: &str) -> Result<DbLocation, String> {
        const FORM: &str = "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE";
        let parsed = url::Url::parse(url).map_err(|e| format!("not a PostgreSQL URL ({e}); the form is {FORM}"))?;
        if parsed.host_str().is_none_or(str::is_empty) || parsed.path().trim_start_matches('/').is_empty() {
            return Err(format!("a PostgreSQL URL names a host and a database: {FORM}, not {}", redacted(url)));
        }
        // sqlx logs a parameter it does not know with its value (`sslpassword=…` would reach the log).
        const KNOWN: [&str; 17] = [
            "sslmode",
            "ssl-mode",
            "sslrootcert",
            "ssl-root-cert",
            "ssl-ca",
            "sslcert",
            "ssl-cert",
            "sslkey",
            "ssl-key",
            "statement-cache-capacity",
            "host",
            "hostaddr",
            "port",
            "dbname",
            "user",
            "password",
            "application_name",
        ];
        let known = |k: &str| KNOWN.contains(&k) || k == "options" || k.starts_with("options[");
        if let Some((key, _)) = parsed.query_pairs().find(|(k, _)| !known(k)) {
            return Err(format!(
                "a PostgreSQL URL parameter rasid does not take: {key} (it takes {} and options)",
                KNOWN.join(", ")
            ));
        }
        PgConnectOptions::from_str(url).map_err(|e| format!("not a PostgreSQL URL ({e}): {}", redacted(url)))?;
        Ok(DbLocation::Postgres(url.to_owned()))
    }
}

/// The URL with its password replaced, for messages and logs: the one after the user name and a
/// `?password=` parameter, which PostgreSQL's URLs also take.
fn redacted(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return "(unreadable URL)".to_owned();
    };
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some("***"));
    }
    if parsed.query_pairs().any(|(k, _)| k == "password") {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "password" { "***".to_owned() } else { v.into_owned() };
                (k.into_owned(), v)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.to_string()
}

/// The password of a PostgreSQL URL never reaches a log or a message.
impl std::fmt::Debug for DbLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbLocation::Memory => f.write_str("Memory"),
            DbLocation::File(path) => f.debug_tuple("File").field(path).finish(),
            DbLocation::Postgres(url) => f.debug_tuple("Postgres").field(&redacted(url)).finish(),
        }
    }
}

/// For messages: the file, `:memory:`, or the URL without its password.
impl std::fmt::Display for DbLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbLocation::Memory => f.write_str(":memory:"),
            DbLocation::File(path) => write!(f, "{}", path.display()),
            DbLocation::Postgres(url) => f.write_str(&redacted(url)),
        }
    }
}

impl FromStr for DbLocation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == ":memory:" {
            Ok(DbLocation::Memory)
        } else if s.starts_with("postgres:") || s.starts_with("postgresql:") {
            DbLocation::postgres(s)
        } else if s.contains("://") {
            Err(format!("--db takes a file, :memory: or a postgres:// URL, not {}", redacted(s)))
        } else {
            Ok(DbLocation::File(PathBuf::from(s)))
        }
    }
}

/// How the store's pool is sized and how long a request waits for a connection.
#[derive(Debug, Clone, Copy)]
pub struct StoreOptions {
    /// Connections at most (`None`: the engine's default).
    pub pool_size: Option<u32>,
    /// How long a request waits for a connection before it is answered 503: a database that went
    /// away leaves no request hanging.
    pub acquire_timeout: Duration,
    /// On PostgreSQL, the longest a statement may run or wait for a lock before the database
    /// cancels it. A request the deadline cut short would otherwise leave its statement running
    /// (behind someone's table lock, for good) and its connection out of the pool until it ends.
    /// `None` while seeding, whose bulk statements may take longer.
    pub statement_timeout: Option<Duration>,
}

/// Just under the request deadline (`hygiene::REQUEST_DEADLINE`), so PostgreSQL's own cancel
/// usually answers first and leaves the connection fit for the next request.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(9);

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            pool_size: None,
            acquire_timeout: Duration::from_secs(3),
            statement_timeout: Some(STATEMENT_TIMEOUT),
        }
    }
}

/// Connections to PostgreSQL when `--db-pool` does not say.
pub const DEFAULT_PG_POOL: u32 = 10;

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
    #[error(
        "an earlier seed of the demo data into this database was stopped midway, so it may hold only part of \
         the demo; start again with a new, empty database"
    )]
    SeedUnfinished,
}

impl StoreError {
    /// The request carried text the database cannot store: PostgreSQL takes no NUL character in
    /// text (SQLSTATE 22021, or 22P05 for a character its encoding lacks). A fault in the request.
    pub fn is_unstorable_text(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(db))
            if db.code().is_some_and(|c| matches!(&*c, "22021" | "22P05")))
    }

    /// The database cannot be reached now (gone away, restarting, no connection free in time):
    /// worth trying again in a moment, unlike a fault in the request or the data.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(e) => match e {
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::WorkerCrashed
                | sqlx::Error::BeginFailed => true,
                // PostgreSQL's class 08 (connection exception) and 57P01-57P03 (shut down, crash
                // recovery, starting up). Class 53 (insufficient resources: too many connections,
                // out of memory or disk) too. And what a retry may well get past: 57014 (cancelled:
                // the statement timeout), 55P03 (the lock timeout), 40001 and 40P01 (a
                // serialization failure, a deadlock), 25006 (a read-only server: a failover under way).
                sqlx::Error::Database(db) => db.code().is_some_and(|c| {
                    c.starts_with("08")
                        || c.starts_with("53")
                        || matches!(&*c, "57P01" | "57P02" | "57P03" | "57014" | "55P03" | "40001" | "40P01" | "25006")
                }),
                _ => false,
            },
            _ => false,
        }
    }
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
    pool: Pool,
    scan_limit: u64,
}

impl Store {
    pub async fn open(location: &DbLocation) -> StoreResult<Store> {
        Store::open_with(location, StoreOptions::default()).await
    }

    pub async fn open_with(location: &DbLocation, options: StoreOptions) -> StoreResult<Store> {
        let pool = match location {
            DbLocation::Memory => Pool::Sqlite(open_sqlite(None, options).await?),
            DbLocation::File(path) => Pool::Sqlite(open_sqlite(Some(path), options).await?),
            DbLocation::Postgres(url) => {
                let mut connect = PgConnectOptions::from_str(url)?.application_name("rasid");
                if let Some(limit) = options.statement_timeout {
                    let ms = limit.as_millis().to_string();
                    connect = connect.options([("statement_timeout", ms.as_str()), ("lock_timeout", ms.as_str())]);
                }
                // One connection first, for its own error: the pool would only say it timed out.
                let first = tokio::time::timeout(options.acquire_timeout, PgConnection::connect_with(&connect))
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)??;
                first.close().await?;
                let pool = PgPoolOptions::new()
                    // One more than asked: the revocation listener holds a connection for good.
                    .max_connections(options.pool_size.unwrap_or(DEFAULT_PG_POOL).max(1) + 1)
                    .acquire_timeout(options.acquire_timeout)
                    // The ping before each checkout is a round trip on every request. A connection
                    // that died is found on use instead: that request is 503 `unavailable` and the
                    // connection is dropped when it comes back (sqlx pings it then).
                    .test_before_acquire(false)
                    .connect_lazy_with(connect);
                // PostgreSQL's migrations only ever add, so an older rasid still starts on a schema a
                // newer one migrated: an instance restarted during a rolling upgrade, or the fleet
                // rolled back. (sqlx would refuse the versions it does not know.)
                let mut migrator = sqlx::migrate!("assets/migrations-pg");
                migrator.set_ignore_missing(true);
                migrator.run(&pool).await?;
                Pool::Postgres(std::sync::Arc::new(PgConnections::new(pool)))
            }
        };
        Ok(Store { pool, scan_limit: DEFAULT_SCAN_LIMIT })
    }

    pub fn engine(&self) -> Engine {
        match self.pool {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// The same store with another limit on the rows a text search may read (tests lower it to
    /// reach the refusal on small data).
    pub fn with_scan_limit(mut self, rows: u64) -> Store {
        self.scan_limit = rows;
        self
    }

    /// Waits for the connections to finish and closes the database.
    pub async fn close(&self) {
        if let Pool::Postgres(connections) = &self.pool {
            connections.give_back_all();
        }
        on_pool!(self, |pool, Db| pool.close().await)
    }

    /// The pool's connections now, and how long a connection took to get (`None`: none came within
    /// the pool's timeout, or the pool is closed).
    pub async fn pool_use(&self) -> PoolUse {
        // Connections kept for pages are idle too.
        let kept = match &self.pool {
            Pool::Postgres(connections) => connections.kept_count(),
            Pool::Sqlite(_) => 0,
        };
        on_pool!(self, |pool, Db| {
            let (size, idle, max) = (pool.size(), pool.num_idle() + kept, pool.options().get_max_connections());
            let started = std::time::Instant::now();
            let acquire_wait = pool.acquire().await.ok().map(|_| started.elapsed());
            PoolUse { size, idle, max, acquire_wait }
        })
    }

    /// After a bulk load (the seed): PostgreSQL plans by statistics, which a fresh table lacks until
    /// autovacuum comes round; without them the API tests' walk of every filter and sort took 31 s, not 9.
    /// SQLite's planner is left as it was.
    pub async fn after_bulk_load(&self) -> StoreResult<()> {
        if let Pool::Postgres(connections) = &self.pool {
            sqlx::query("ANALYZE").execute(connections.pool()).await?;
        }
        Ok(())
    }

    pub async fn user_count(&self) -> StoreResult<i64> {
        on_pool!(self, |pool, Db| {
            sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await.map_err(StoreError::from)
        })
    }

    /// Marks the seed `name` begun, before its first write: until [`Store::end_seed`] a start finds
    /// it unfinished.
    pub async fn begin_seed(&self, name: &str) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            sqlx::query("INSERT INTO seed_runs (name, done) VALUES ($1, 0) ON CONFLICT (name) DO UPDATE SET done = 0")
                .bind(name)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    pub async fn end_seed(&self, name: &str) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            sqlx::query("UPDATE seed_runs SET done = 1 WHERE name = $1").bind(name).execute(pool).await?;
            Ok(())
        })
    }

    /// Whether the seed `name` was begun and never ended (its process killed midway).
    pub async fn seed_unfinished(&self, name: &str) -> StoreResult<bool> {
        on_pool!(self, |pool, Db| {
            let unfinished: Option<i32> = sqlx::query_scalar("SELECT 1 FROM seed_runs WHERE name = $1 AND done = 0")
                .bind(name)
                .fetch_optional(pool)
                .await?;
            Ok(unfinished.is_some())
        })
    }
}

/// A file, or memory when `path` is `None`.
async fn open_sqlite(path: Option<&std::path::Path>, options: StoreOptions) -> StoreResult<SqlitePool> {
    let base = SqliteConnectOptions::new()
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        .synchronous(SqliteSynchronous::Normal)
        // A long list (an establishment's thousands of workers) crosses from the database thread
        // without the thread stopping to wait.
        .row_buffer_size(1024);
    let pool = match path {
        // One connection: every new connection to ":memory:" would be a new, empty database.
        None => {
            SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(base.in_memory(true))
                .await?
        }
        Some(path) => {
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
            let sqlite = base.filename(path).create_if_missing(true).journal_mode(SqliteJournalMode::Wal);
            // Each connection is a thread: more than two a core only adds switching between them.
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
            // A local file does not drop connections: the ping before each checkout would only add a
            // round trip to the connection's thread.
            SqlitePoolOptions::new()
                .max_connections(options.pool_size.unwrap_or((cores * 2).clamp(2, 8)).max(1))
                .test_before_acquire(false)
                .connect_with(sqlite)
                .await?
        }
    };
    sqlx::migrate!("assets/migrations").run(&pool).await?;
    Ok(pool)
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
    fn a_postgres_url_is_a_postgres_location_whose_password_is_never_shown() {
        let location: DbLocation = "postgres://rasid:hunter2@db.example:5433/rasid".parse().unwrap();
        assert!(matches!(&location, DbLocation::Postgres(url) if url.contains("hunter2")), "{location}");
        for shown in [format!("{location}"), format!("{location:?}")] {
            assert!(!shown.contains("hunter2") && shown.contains("rasid:***@db.example:5433/rasid"), "{shown}");
        }
        let in_query: DbLocation =
            "postgres://rasid@db.example/rasid?sslmode=disable&password=hunter2".parse().unwrap();
        for shown in [format!("{in_query}"), format!("{in_query:?}")] {
            assert!(
                !shown.contains("hunter2") && shown.contains("password=***") && shown.contains("sslmode"),
                "{shown}"
            );
        }
        for refused in ["postgres://", "postgres:/x", "postgresql://h:99999/x", "mysql://a/b"] {
            let err = refused.parse::<DbLocation>().unwrap_err();
            assert!(err.contains("postgres://") || err.contains("PostgreSQL"), "{refused}: {err}");
        }
        assert_eq!(":memory:".parse::<DbLocation>(), Ok(DbLocation::Memory));
        assert_eq!("x/rasid.db".parse::<DbLocation>(), Ok(DbLocation::File("x/rasid.db".into())));
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
