//! PostgreSQL's pool, and the connections pages of history keep between requests.
//!
//! sqlx tests every connection given back to its pool with a round trip (a Sync, and the
//! ReadyForQuery it answers) before another statement may use it. For a page, the most frequent
//! request, that round trip was a sixth of PostgreSQL's CPU (95 against 81 µs a first page) and
//! about 10 µs of rasid's. A page that read to its end leaves its connection ready for the next
//! statement, so the connection is kept here, still checked out of the pool, for the next page.
//! A page cut off midway, or failed, drops its connection into the pool, whose test drains it or
//! closes it. Kept connections never starve other statements: while the pool is full (no idle
//! connection, and no more may be opened), a page gives its connection back rather than keep it,
//! and a statement about to wait on it has a kept one given back first ([`PgConnections::pool`]).

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use sqlx::Postgres;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgPool, PgRow};

/// A connection kept longer than this goes back to the pool rather than serve a page: the pool's
/// test then finds one PostgreSQL dropped while it lay idle, instead of a request.
const KEPT_AT_MOST: Duration = Duration::from_secs(10);

/// However busy, a connection goes back through the pool at least this often, so the pool's own
/// checks (its test, and `max_lifetime` after a failover) still reach it.
const OUT_OF_THE_POOL_AT_MOST: Duration = Duration::from_secs(60);

struct Kept {
    conn: PoolConnection<Postgres>,
    /// When it last came from the pool.
    taken: Instant,
    /// When its last page ended.
    used: Instant,
}

pub(crate) struct PgConnections {
    pool: PgPool,
    kept: Mutex<Vec<Kept>>,
}

impl PgConnections {
    pub(crate) fn new(pool: PgPool) -> PgConnections {
        PgConnections { pool, kept: Mutex::new(Vec::new()) }
    }

    /// The pool, for any statement but a page's. When the pool has no idle connection and may
    /// open no more, a kept connection goes back to it first.
    pub(crate) fn pool(&self) -> &PgPool {
        if self.pool_full() {
            let given_back = self.kept().pop();
            drop(given_back);
        }
        &self.pool
    }

    /// How the pool connects, for a connection of one's own.
    pub(crate) fn connect_options(&self) -> std::sync::Arc<sqlx::postgres::PgConnectOptions> {
        self.pool.connect_options()
    }

    /// Whether a statement may be waiting on the pool: it has no idle connection and may open no more.
    fn pool_full(&self) -> bool {
        self.pool.num_idle() == 0 && self.pool.size() >= self.pool.options().get_max_connections()
    }

    /// Connections kept for pages now.
    pub(crate) fn kept_count(&self) -> usize {
        self.kept().len()
    }

    /// Every kept connection back to the pool: before it closes, and when one of them was found broken
    /// (the others likely are too, and the pool's test finds which).
    pub(crate) fn give_back_all(&self) {
        let given_back = std::mem::take(&mut *self.kept());
        drop(given_back);
    }

    /// Runs a page's statement on a kept connection, or one from the pool, and keeps the connection
    /// when the statement read to its end.
    pub(crate) async fn fetch_page(
        &self,
        query: sqlx::query::Query<'_, Postgres, PgArguments>,
    ) -> Result<Vec<PgRow>, sqlx::Error> {
        let (mut conn, taken) = match self.take_kept() {
            Some(kept) => (kept.conn, kept.taken),
            None => (self.pool().acquire().await?, Instant::now()),
        };
        let result = query.fetch_all(&mut *conn).await;
        match &result {
            // A statement that found the pool full while this page ran waits for a connection to come
            // back to it; a closing pool waits for every one.
            Ok(_) if self.pool_full() || self.pool.is_closed() => drop(conn),
            Ok(_) => self.kept().push(Kept { conn, taken, used: Instant::now() }),
            Err(sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::Tls(_)) => {
                drop(conn);
                self.give_back_all();
            }
            // PostgreSQL refused or cancelled the statement: the pool's test drains what is left.
            Err(_) => drop(conn),
        }
        result
    }

    /// The connection kept last, if it has not lain idle too long nor stayed out of the pool too
    /// long; those go back to the pool (with every other, when it lay idle: they are older still).
    fn take_kept(&self) -> Option<Kept> {
        let mut kept = self.kept();
        let last = kept.pop()?;
        if last.used.elapsed() > KEPT_AT_MOST {
            let given_back = std::mem::take(&mut *kept);
            drop(kept);
            drop((last, given_back));
            return None;
        }
        if last.taken.elapsed() > OUT_OF_THE_POOL_AT_MOST {
            drop(kept);
            drop(last);
            return None;
        }
        Some(last)
    }

    fn kept(&self) -> MutexGuard<'_, Vec<Kept>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
