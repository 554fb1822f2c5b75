//! Sessions: the bearer token of each request, checked against the database
//! through a short cache, and the caller it names.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::AppState;
use super::auth::{MAX_FIELD_CHARS, sha256_hex};
use super::error::{ApiError, ApiResult};
use super::ratelimit::InFlight;
use crate::api::ErrorCode;

pub const SESSION_IDLE_S: i64 = 10 * 60;
/// However busy, a session ends this long after the login that started it.
pub const SESSION_MAX_S: i64 = 12 * 60 * 60;
/// A session's idle clock is written at most this often.
const SESSION_TOUCH_S: i64 = 15;

/// The token of an `Authorization: Bearer TOKEN` header; the scheme's name is case-insensitive (RFC 9110).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token)
}

/// Sessions seen in the last `SESSION_TOUCH_S` seconds, so most requests are
/// authenticated without a trip to the database.
///
/// A logout must be refused at once here and within 1 s by every other instance on the same
/// database. The instance that ends a session marks it revoked as soon as the database has (not
/// before: a logout the database could not record is tried again); on PostgreSQL every instance
/// hears of it through LISTEN/NOTIFY (`start_revocation_listener`). While that listener is down the
/// cache serves nothing, so a missed notice cannot keep a session alive. A database read that a
/// revocation (or a drop of the listener) overtook is not kept.
#[derive(Default)]
pub struct SessionCache {
    inner: std::sync::Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    entries: std::collections::HashMap<String, CachedSession>,
    /// Bumped by every revocation and by every loss or return of the listener.
    generation: u64,
    /// Not serving from the cache: the revocation notices may be missed (PostgreSQL, listener down).
    deaf: bool,
    /// Bumped each time a listener is given up: one given up cannot make the cache serve again,
    /// even if it hears a notice in the moment before its task stops.
    listener: u64,
}

#[derive(Clone)]
enum CachedSession {
    Live {
        user_id: i64,
        id_number: String,
        last_seen: i64,
    },
    /// Logged out at this time. Kept long enough for requests that read the session
    /// before the database's revoke committed to finish; later reads see the revoke.
    Revoked {
        at: i64,
    },
}

/// Past this many entries the cache is pruned.
const SESSION_CACHE_MAX: usize = 100_000;
/// How long a logout's marker outlives it: far longer than any request.
const REVOKED_KEEP_S: i64 = 60;

/// What the cache was when a database read began: `remember` keeps the answer only if nothing
/// was revoked in between.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ticket(u64);

impl SessionCache {
    /// A cache that serves nothing until `listening` says the revocation notices arrive.
    pub fn deaf() -> SessionCache {
        SessionCache { inner: std::sync::Mutex::new(Inner { deaf: true, ..Inner::default() }) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves the map whole: every change is a single insert or remove.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The user, when the database was asked about this session less than `SESSION_TOUCH_S` ago.
    fn fresh(&self, token_hash: &str, now: i64) -> Option<(i64, String)> {
        let inner = self.lock();
        if inner.deaf {
            return None;
        }
        match inner.entries.get(token_hash)? {
            CachedSession::Live { user_id, id_number, last_seen } if now - last_seen < SESSION_TOUCH_S => {
                Some((*user_id, id_number.clone()))
            }
            _ => None,
        }
    }

    /// Taken before asking the database about a session.
    pub(super) fn ticket(&self) -> Ticket {
        Ticket(self.lock().generation)
    }

    /// Keeps what the database said at `now` (`None`: no live session) and returns the user if it may go on.
    fn remember(
        &self,
        token_hash: &str,
        live: Option<(i64, String, i64)>,
        now: i64,
        ticket: Ticket,
    ) -> Option<(i64, String)> {
        let mut inner = self.lock();
        if matches!(inner.entries.get(token_hash), Some(CachedSession::Revoked { .. })) {
            return None;
        }
        let Some((user_id, id_number, last_seen)) = live else {
            inner.entries.remove(token_hash);
            return None;
        };
        if !inner.deaf && inner.generation == ticket.0 {
            Self::make_room(&mut inner.entries, now);
            inner.entries.insert(
                token_hash.to_owned(),
                CachedSession::Live { user_id, id_number: id_number.clone(), last_seen },
            );
        }
        Some((user_id, id_number))
    }

    /// When full, keeps only recent logout markers: live sessions come back from the database.
    fn make_room(entries: &mut std::collections::HashMap<String, CachedSession>, now: i64) {
        if entries.len() >= SESSION_CACHE_MAX {
            entries.retain(|_, e| matches!(e, CachedSession::Revoked { at } if now - *at < REVOKED_KEEP_S));
        }
    }

    pub fn revoke(&self, token_hash: &str, now: i64) {
        let mut inner = self.lock();
        inner.generation += 1;
        Self::make_room(&mut inner.entries, now);
        inner.entries.insert(token_hash.to_owned(), CachedSession::Revoked { at: now });
    }

    /// Every cached session of the user is marked revoked. Rare enough to walk the cache.
    pub fn revoke_user(&self, user: i64, now: i64) {
        let mut inner = self.lock();
        inner.generation += 1;
        for entry in inner.entries.values_mut() {
            if matches!(entry, CachedSession::Live { user_id, .. } if *user_id == user) {
                *entry = CachedSession::Revoked { at: now };
            }
        }
    }

    /// Which listener may make the cache serve: the one started now.
    pub fn listener(&self) -> u64 {
        self.lock().listener
    }

    /// The revocation notices arrive again, heard by `listener`; ignored when that listener has
    /// been given up since. Every live session is forgotten: a notice may have been missed.
    pub fn hearing(&self, listener: u64) {
        let mut inner = self.lock();
        if inner.listener == listener {
            inner.deaf = false;
            Self::forget_live(&mut inner);
        }
    }

    /// The revocation notices stopped: the listener is given up, and the cache serves nothing and
    /// forgets what it had until the next one hears them.
    pub fn deafen(&self) {
        let mut inner = self.lock();
        inner.listener += 1;
        inner.deaf = true;
        Self::forget_live(&mut inner);
    }

    fn forget_live(inner: &mut Inner) {
        inner.generation += 1;
        inner.entries.retain(|_, e| matches!(e, CachedSession::Revoked { .. }));
    }
}

/// How often each instance sends the listeners a ping, and how long a listener may hear nothing
/// before its connection is taken for dead. Together they keep a silently dropped connection (a
/// firewall's idle timeout, a half-open link) from serving a revoked session past `DEAF_AFTER`.
const PING_EVERY: std::time::Duration = std::time::Duration::from_millis(200);
const DEAF_AFTER: std::time::Duration = std::time::Duration::from_millis(700);

/// Hears the other instances' logouts (PostgreSQL) for as long as the task runs; `None` on SQLite,
/// where this process is the only one. The listener is watched: when it has heard nothing, not
/// even the pings, for `DEAF_AFTER`, the cache goes deaf and the listener is replaced.
pub fn start_revocation_listener(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    if state.store.engine() != crate::server::store::Engine::Postgres {
        return None;
    }
    let (store, sessions, clock) = (state.store.clone(), std::sync::Arc::clone(&state.sessions), state.clock.clone());
    Some(tokio::spawn(async move {
        let heard = std::sync::Arc::new(std::sync::Mutex::new(std::time::Instant::now()));
        // Pings go out on their own, so a database that stopped answering does not stop the watch;
        // the set ends the pinging when this task is aborted.
        let mut pinging = tokio::task::JoinSet::new();
        pinging.spawn(ping_listeners(store.clone()));
        loop {
            *heard.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = std::time::Instant::now();
            let mut listener = tokio::spawn(listen(
                store.clone(),
                sessions.clone(),
                sessions.listener(),
                clock.clone(),
                heard.clone(),
            ));
            // Woken when the listener ends or the last thing heard is `DEAF_AFTER` old, not on a
            // tick: deafness is seen at once, so a silent link serves a revoked session the least.
            loop {
                let last = *heard.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                tokio::select! {
                    _ = &mut listener => break,
                    () = tokio::time::sleep_until(tokio::time::Instant::from_std(last + DEAF_AFTER)) => {}
                }
                let quiet = heard.lock().unwrap_or_else(std::sync::PoisonError::into_inner).elapsed();
                if quiet >= DEAF_AFTER {
                    tracing::warn!(quiet_ms = quiet.as_millis() as u64, "revocation notices stopped arriving");
                    break;
                }
            }
            listener.abort();
            // Until the notices arrive again, every request asks the database.
            sessions.deafen();
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
    }))
}

/// Pings every listener each `PING_EVERY`, for as long as the task runs.
async fn ping_listeners(store: crate::server::store::Store) {
    let mut pinger = store.revocation_pinger();
    let mut every = tokio::time::interval(PING_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match tokio::time::timeout(DEAF_AFTER, pinger.ping()).await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => tracing::debug!(error = %err, "could not ping the revocation listeners"),
            Err(_) => {
                tracing::debug!("the revocation ping went unanswered");
                pinger.reset();
            }
        }
    }
}

/// One listener's life: the cache serves again once the first notice (a ping at the latest) shows
/// that notices arrive; it ends when the connection does.
async fn listen(
    store: crate::server::store::Store,
    sessions: std::sync::Arc<SessionCache>,
    me: u64,
    clock: std::sync::Arc<dyn crate::server::clock::Clock>,
    heard: std::sync::Arc<std::sync::Mutex<std::time::Instant>>,
) {
    use crate::server::store::{PING, Revoked};
    let mut listener = match store.revocation_listener().await {
        Some(Ok(listener)) => listener,
        Some(Err(err)) => return tracing::warn!(error = %err, "cannot listen for revocation notices"),
        None => return,
    };
    let mut serving = false;
    loop {
        match listener.try_recv().await {
            Ok(Some(notice)) => {
                *heard.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = std::time::Instant::now();
                if !serving {
                    sessions.hearing(me);
                    serving = true;
                    tracing::debug!("hearing other instances' logouts");
                }
                match Revoked::parse(notice.payload()) {
                    Some(Revoked::Session(hash)) => sessions.revoke(&hash, clock.now()),
                    Some(Revoked::User(user)) => sessions.revoke_user(user, clock.now()),
                    None if notice.payload() == PING => {}
                    None => tracing::warn!("an unreadable revocation notice"),
                }
            }
            Ok(None) => return,
            Err(err) => return tracing::warn!(error = %err, "revocation notices lost"),
        }
    }
}

/// The caller of an authenticated route. It holds one of the user's places for
/// requests in flight while the request is served, so one user cannot tie up the
/// server with many heavy requests at once.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user_id: i64,
    pub id_number: String,
    pub(super) token_hash: String,
    _in_flight: std::sync::Arc<InFlight>,
}

impl AuthUser {
    fn admitted(state: &AppState, user_id: i64, id_number: String, token_hash: String) -> ApiResult<AuthUser> {
        let in_flight = state.limiter.enter(user_id).ok_or_else(|| {
            tracing::info!(user_id, "refused: too many requests of this user in flight");
            state.metrics.refused(super::metrics::Refusal::InFlightPerUser);
            ApiError::new(ErrorCode::RateLimited).retry_after(1)
        })?;
        Ok(AuthUser { user_id, id_number, token_hash, _in_flight: std::sync::Arc::new(in_flight) })
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token)
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= MAX_FIELD_CHARS)
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))?;
        let token_hash = sha256_hex(&[token]);
        let now = state.clock.now();
        if let Some((user_id, id_number)) = state.sessions.fresh(&token_hash, now) {
            return AuthUser::admitted(state, user_id, id_number, token_hash);
        }
        let ticket = state.sessions.ticket();
        let live = state
            .store
            .touch_session(&token_hash, now, now - SESSION_IDLE_S, now - SESSION_MAX_S, SESSION_TOUCH_S)
            .await?;
        let (user_id, id_number) = state
            .sessions
            .remember(&token_hash, live, now, ticket)
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))?;
        AuthUser::admitted(state, user_id, id_number, token_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revoked_session_never_comes_back_from_a_late_database_answer() {
        let cache = SessionCache::default();
        let live = || Some((7, "1057830869".to_owned(), 1_000));
        assert_eq!(cache.remember("h", live(), 1_000, cache.ticket()), Some((7, "1057830869".to_owned())));
        assert_eq!(cache.fresh("h", 1_000 + SESSION_TOUCH_S - 1), Some((7, "1057830869".to_owned())));
        assert_eq!(cache.fresh("h", 1_000 + SESSION_TOUCH_S), None, "stale: ask the database again");
        cache.revoke("h", 1_001);
        assert_eq!(cache.fresh("h", 1_001), None);
        // A request that read the session before the logout committed answers after it.
        assert_eq!(cache.remember("h", live(), 1_002, cache.ticket()), None);
        assert_eq!(cache.remember("gone", None, 1_002, cache.ticket()), None);
    }

    #[test]
    fn old_logout_markers_are_pruned_when_the_cache_is_full() {
        let cache = SessionCache::default();
        for i in 0..SESSION_CACHE_MAX {
            cache.revoke(&format!("old{i}"), 0);
        }
        cache.revoke("recent", REVOKED_KEEP_S * 2);
        assert_eq!(cache.lock().entries.len(), 1, "markers older than REVOKED_KEEP_S go");
        assert_eq!(cache.remember("recent", Some((1, "1".into(), 0)), REVOKED_KEEP_S * 2, cache.ticket()), None);
    }

    #[test]
    fn a_read_overtaken_by_a_logout_everywhere_is_not_kept() {
        let cache = SessionCache::default();
        let ticket = cache.ticket();
        // Another instance ends every session of user 7 while this one reads a session of 7.
        cache.revoke_user(7, 1_000);
        assert!(cache.remember("h", Some((7, "1".into(), 1_000)), 1_000, ticket).is_some(), "it read a live session");
        assert_eq!(cache.fresh("h", 1_001), None, "but the next request asks the database again");
    }

    #[test]
    fn a_deaf_cache_serves_nothing_and_forgets_what_it_had_when_it_goes_deaf() {
        let cache = SessionCache::deaf();
        assert!(cache.remember("h", Some((7, "1".into(), 1_000)), 1_000, cache.ticket()).is_some());
        assert_eq!(cache.fresh("h", 1_001), None, "deaf: every request asks the database");
        let first = cache.listener();
        cache.hearing(first);
        assert!(cache.remember("h", Some((7, "1".into(), 1_000)), 1_000, cache.ticket()).is_some());
        assert!(cache.fresh("h", 1_001).is_some());
        cache.deafen();
        assert_eq!(cache.fresh("h", 1_001), None);
        cache.hearing(cache.listener());
        assert_eq!(cache.fresh("h", 1_001), None, "what was kept before the notices stopped is gone");
    }

    #[test]
    fn a_listener_given_up_cannot_make_the_cache_serve_again() {
        let cache = SessionCache::deaf();
        let given_up = cache.listener();
        // The watch gives the listener up; in the same moment its task hears a ping.
        cache.deafen();
        cache.hearing(given_up);
        assert!(cache.remember("h", Some((7, "1".into(), 1_000)), 1_000, cache.ticket()).is_some());
        assert_eq!(cache.fresh("h", 1_001), None, "still deaf until the next listener hears");
        cache.hearing(cache.listener());
        assert!(cache.remember("h", Some((7, "1".into(), 1_000)), 1_000, cache.ticket()).is_some());
        assert!(cache.fresh("h", 1_001).is_some());
    }
}
