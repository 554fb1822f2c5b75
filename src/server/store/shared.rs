//! What many server instances on one PostgreSQL share beyond the rows: the news that a session
//! ended (LISTEN/NOTIFY), the rate-limit windows, and the one-at-a-time lock of migrate and seed.
//! On SQLite (one process) there is nothing to share: these keep to the process.

use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnection, PgListener};

use super::{DbLocation, Pool, Store, StoreResult};

/// The channel on which an instance announces a session it ended, so every other drops it from
/// its cache.
pub const REVOKED_CHANNEL: &str = "rasid_sessions_revoked";
/// The payload of [`RevocationPinger`]'s notices.
pub const PING: &str = "ping";

/// `pg_advisory_lock`'s key for migrating and seeding: any number, the same in every instance.
const SETUP_LOCK_KEY: i64 = 0x7261_7369_6400_0001;

/// What a revocation notice names: one session (by its token's hash) or every session of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    Session(String),
    User(i64),
}

impl Revoked {
    pub fn parse(payload: &str) -> Option<Revoked> {
        match payload.split_once(':')? {
            ("t", hash) => Some(Revoked::Session(hash.to_owned())),
            ("u", user) => user.parse().ok().map(Revoked::User),
            _ => None,
        }
    }
}

/// Held while one instance migrates and seeds a PostgreSQL database; the others wait for it. Its
/// connection is its own, so an instance that dies midway lets the next one in.
pub struct SetupLock(Option<PgConnection>);

impl SetupLock {
    /// Waits for the lock on PostgreSQL (for the connection, at most `connect_within`); on SQLite
    /// there is nothing to wait for.
    pub async fn take(location: &DbLocation, connect_within: Duration) -> StoreResult<SetupLock> {
        let DbLocation::Postgres(url) = location else { return Ok(SetupLock(None)) };
        let mut connection = tokio::time::timeout(connect_within, PgConnection::connect(url))
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)??;
        sqlx::query("SELECT pg_advisory_lock($1)").bind(SETUP_LOCK_KEY).execute(&mut connection).await?;
        Ok(SetupLock(Some(connection)))
    }

    pub async fn release(self) -> StoreResult<()> {
        if let Some(mut connection) = self.0 {
            sqlx::query("SELECT pg_advisory_unlock($1)").bind(SETUP_LOCK_KEY).execute(&mut connection).await?;
            connection.close().await?;
        }
        Ok(())
    }
}

impl Store {
    /// Ends a session, and on PostgreSQL tells every instance in the same statement: the notice
    /// leaves when the delete commits, never without it.
    pub async fn revoke_session(&self, token_hash: &str) -> StoreResult<()> {
        match &self.pool {
            Pool::Sqlite(pool) => {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
            }
            Pool::Postgres(connections) => {
                sqlx::query(
                    "WITH gone AS (DELETE FROM sessions WHERE token_hash = $1 RETURNING 1)
                     SELECT pg_notify($2, 't:' || $1)",
                )
                .bind(token_hash)
                .bind(REVOKED_CHANNEL)
                .execute(connections.pool())
                .await?;
            }
        }
        Ok(())
    }

    /// Ends every session of the user ("log out everywhere"), announced as `revoke_session` is;
    /// returns how many there were.
    pub async fn revoke_user_sessions(&self, user_id: i64) -> StoreResult<u64> {
        let ended: i64 = match &self.pool {
            Pool::Sqlite(pool) => {
                let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(pool).await?;
                return Ok(done.rows_affected());
            }
            Pool::Postgres(connections) => {
                sqlx::query_scalar(
                    "WITH gone AS (DELETE FROM sessions WHERE user_id = $1 RETURNING 1),
                          told AS (SELECT pg_notify($2, 'u:' || $1::TEXT))
                     SELECT (SELECT COUNT(*) FROM gone) FROM told",
                )
                .bind(user_id)
                .bind(REVOKED_CHANNEL)
                .fetch_one(connections.pool())
                .await?
            }
        };
        Ok(ended.max(0) as u64)
    }

    /// A listener for the revocation notices (PostgreSQL only), on a connection of its own.
    pub async fn revocation_listener(&self) -> Option<StoreResult<PgListener>> {
        let Pool::Postgres(connections) = &self.pool else { return None };
        let pool = connections.pool();
        Some(
            async {
                let mut listener = PgListener::connect_with(pool).await?;
                listener.listen(REVOKED_CHANNEL).await?;
                Ok(listener)
            }
            .await,
        )
    }

    /// What sends this instance's pings to the listeners.
    pub fn revocation_pinger(&self) -> RevocationPinger {
        RevocationPinger { store: self.clone(), conn: None }
    }

    /// Counts one request against `key`'s window starting at `window_start` and returns the count
    /// with it, in one statement, so parallel requests on any instance each get their own number.
    /// `None` on SQLite: one process, whose windows are kept in its memory.
    pub async fn claim_rate_window(&self, bucket: &str, key: &str, window_start: i64) -> StoreResult<Option<i64>> {
        let Pool::Postgres(connections) = &self.pool else { return Ok(None) };
        let pool = connections.pool();
        let count: i64 = sqlx::query_scalar(
            "INSERT INTO rate_windows (bucket, key, window_start, count) VALUES ($1, $2, $3, 1)
             ON CONFLICT (bucket, key, window_start) DO UPDATE SET count = rate_windows.count + 1
             RETURNING count",
        )
        .bind(bucket)
        .bind(key)
        .bind(window_start)
        .fetch_one(pool)
        .await?;
        Ok(Some(count))
    }

    /// Deletes the windows that started before `before` (PostgreSQL: SQLite keeps none).
    pub async fn purge_rate_windows(&self, before: i64) -> StoreResult<u64> {
        let Pool::Postgres(connections) = &self.pool else { return Ok(0) };
        let pool = connections.pool();
        let done = sqlx::query("DELETE FROM rate_windows WHERE window_start < $1").bind(before).execute(pool).await?;
        Ok(done.rows_affected())
    }
}

/// Sends every listener a notice (PostgreSQL), so each can tell that its connection still
/// delivers: a connection dropped without a word would otherwise look like a quiet one. On a
/// connection of its own, not the pool's: with every pooled connection busy a ping would wait
/// behind the requests, and the listeners, hearing nothing, would be taken for dead just when the
/// session cache saves the database the most work.
pub struct RevocationPinger {
    store: Store,
    conn: Option<PgConnection>,
}

impl RevocationPinger {
    pub async fn ping(&mut self) -> StoreResult<()> {
        let Pool::Postgres(connections) = &self.store.pool else { return Ok(()) };
        let conn = match &mut self.conn {
            Some(conn) => conn,
            None => self.conn.insert(PgConnection::connect_with(&connections.connect_options()).await?),
        };
        let sent = sqlx::query("SELECT pg_notify($1, $2)").bind(REVOKED_CHANNEL).bind(PING).execute(&mut *conn).await;
        if sent.is_err() {
            self.conn = None;
        }
        sent.map(drop).map_err(Into::into)
    }

    /// Drops the connection after a ping that went unanswered: the next one starts afresh.
    pub fn reset(&mut self) {
        self.conn = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_name_a_session_or_a_user() {
        assert_eq!(Revoked::parse("t:ab12"), Some(Revoked::Session("ab12".into())));
        assert_eq!(Revoked::parse("u:42"), Some(Revoked::User(42)));
        assert_eq!(Revoked::parse("u:x"), None);
        assert_eq!(Revoked::parse("x:1"), None);
        assert_eq!(Revoked::parse("nothing"), None);
    }
}
