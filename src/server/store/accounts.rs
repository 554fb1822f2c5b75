//! Accounts, captchas, verification codes, sessions and the dev outbox.

use sqlx::Row;

use super::{Engine, Store, StoreError, StoreResult, on_pool};
use crate::api::{DevCaptcha, DevOutbox, DevSms, LinkedPerson, Person, Relation};
use crate::domain::PersonKind;

#[derive(Debug, Clone)]
pub struct LoginUser {
    pub id: i64,
    pub id_number: String,
    pub password_hash: String,
    pub phone: String,
}

#[derive(Debug, Clone)]
pub struct Challenge {
    pub user_id: i64,
    pub code_hash: String,
    pub expires_at: i64,
    pub tries_left: i64,
    pub resends_left: i64,
}

/// A try of an SMS code, claimed before the code is compared.
#[derive(Debug, Clone)]
pub struct OtpTry {
    pub user_id: i64,
    pub code_hash: String,
    /// Tries left after this one.
    pub tries_left: i64,
}

/// The answer to a claim of a password try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordTry {
    /// The password may be checked; `last` when a failure now locks.
    Granted {
        last: bool,
        counted: Counted,
    },
    Locked {
        until: i64,
    },
}

/// The failures counted up to and including one try, on the account's row and on the source's:
/// what a right password takes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub account: i64,
    pub source: i64,
}

/// How many wrong passwords lock what, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct PasswordThrottle {
    /// Failures from one source address before that source is locked out of the account.
    pub per_source: i64,
    /// Failures in a row over every source before the account is locked for everybody.
    pub per_account: i64,
    pub lock_s: i64,
}

/// SMS messages an account may be sent in a window, over all its logins.
#[derive(Debug, Clone, Copy)]
pub struct SmsBudget {
    pub per_window: i64,
    pub window_s: i64,
}

/// Why a resend was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResendRefusal {
    /// The code sent last is still good for this many seconds.
    TooEarly(i64),
    /// No tries or resends left, or too long after the code ran out: log in again.
    Gone,
    /// The account's SMS budget is spent until this many seconds from now.
    SmsBudget(i64),
}

/// Counts one SMS to the account (`$1`) at `$2` if its window (`$4` seconds, at most `$3`) has room;
/// a row back when it did.
const CLAIM_SMS: &str = "UPDATE users SET
        sms_in_window = CASE WHEN sms_window_start <= $2 - $4 THEN 1 ELSE sms_in_window + 1 END,
        sms_window_start = CASE WHEN sms_window_start <= $2 - $4 THEN $2 ELSE sms_window_start END
     WHERE id = $1 AND (sms_window_start <= $2 - $4 OR sms_in_window < $3)
     RETURNING sms_in_window";

/// What housekeeping deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub captchas: u64,
    pub challenges: u64,
    pub sessions: u64,
    pub throttles: u64,
}

/// The ages past which housekeeping deletes a row.
#[derive(Debug, Clone, Copy)]
pub struct PurgePolicy {
    /// Sessions idle longer than this are dead.
    pub session_idle_s: i64,
    /// Sessions older than this are dead, however busy.
    pub session_max_s: i64,
    /// A challenge whose code ran out longer ago than this can no longer be resent.
    pub resend_window_s: i64,
    /// Failure counts quiet this long (and not locked) are forgotten.
    pub throttle_quiet_s: i64,
}

fn parse_relation(code: &str) -> Relation {
    match code {
        "self" => Relation::Own,
        "spouse" => Relation::Spouse,
        "child" => Relation::Child,
        "domestic_worker" => Relation::DomesticWorker,
        _ => Relation::Worker,
    }
}

fn parse_kind(code: &str) -> PersonKind {
    PersonKind::parse(code).unwrap_or(PersonKind::Resident)
}

/// A `people` row: id_number, name_ar, name_en, kind.
fn person_from_row((id_number, name_ar, name_en, kind): (String, String, String, String)) -> Person {
    Person { id_number, name_ar, name_en, kind: parse_kind(&kind) }
}

impl Store {
    pub async fn insert_people(&self, people: &[Person]) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            for chunk in people.chunks(500) {
                let mut qb = sqlx::QueryBuilder::new("INSERT INTO people (id_number, name_ar, name_en, kind) ");
                qb.push_values(chunk, |mut b, p| {
                    b.push_bind(p.id_number.clone())
                        .push_bind(p.name_ar.clone())
                        .push_bind(p.name_en.clone())
                        .push_bind(p.kind.as_str());
                });
                qb.build().execute(&mut *tx).await?;
            }
            tx.commit().await.map_err(StoreError::from)
        })
    }

    pub async fn insert_user(
        &self,
        username: &str,
        id_number: &str,
        password_hash: &str,
        phone: &str,
    ) -> StoreResult<i64> {
        on_pool!(self, |pool, Db| {
            sqlx::query_scalar(
                "INSERT INTO users (username, id_number, password_hash, phone) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(username)
            .bind(id_number)
            .bind(password_hash)
            .bind(phone)
            .fetch_one(pool)
            .await
            .map_err(StoreError::from)
        })
    }

    /// Grants `user_id` the right to inquire each ID, in the order given.
    pub async fn link_people(&self, user_id: i64, links: &[(String, Relation)]) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            for (offset, chunk) in links.chunks(500).enumerate() {
                let mut qb =
                    sqlx::QueryBuilder::new("INSERT INTO user_people (user_id, id_number, relation, position) ");
                qb.push_values(chunk.iter().enumerate(), |mut b, (i, (id, rel))| {
                    b.push_bind(user_id)
                        .push_bind(id.clone())
                        .push_bind(rel.code())
                        .push_bind((offset * 500 + i) as i64);
                });
                qb.build().execute(&mut *tx).await?;
            }
            tx.commit().await.map_err(StoreError::from)
        })
    }

    /// The account a login names, by username (any case) or by ID number.
    pub async fn find_login_user(&self, username_or_id: &str) -> StoreResult<Option<LoginUser>> {
        on_pool!(self, |pool, Db| {
            // Usernames match in any case: SQLite's column is COLLATE NOCASE, PostgreSQL's index is on lower().
            let sql = match self.engine() {
                Engine::Sqlite => {
                    "SELECT id, id_number, password_hash, phone FROM users WHERE username = $1 OR id_number = $1 LIMIT 1"
                }
                Engine::Postgres => {
                    "SELECT id, id_number, password_hash, phone FROM users WHERE lower(username) = lower($1) OR id_number = $1 LIMIT 1"
                }
            };
            let row = sqlx::query(sql).bind(username_or_id).fetch_optional(pool).await?;
            Ok(row.map(|r| LoginUser { id: r.get(0), id_number: r.get(1), password_hash: r.get(2), phone: r.get(3) }))
        })
    }

    /// Claims one password try for `account` from `source`, before the password
    /// is checked: the count and the lock are decided in the statement that
    /// changes them, so parallel guesses cannot slip past the limit. Both the
    /// source's and the account's counts are claimed together or not at all.
    /// A lock that has run out starts a fresh count.
    pub async fn claim_password_try(
        &self,
        account: &str,
        source: &str,
        now: i64,
        throttle: PasswordThrottle,
    ) -> StoreResult<PasswordTry> {
        on_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            let mut last = false;
            let mut counted = [0; 2];
            // The account's row first, then the source's: the order a right password's UPDATE and
            // DELETE of both take them in through the key ('*' sorts first), so they do not deadlock.
            // (Should a plan take them otherwise, PostgreSQL ends one, and it is answered 503.)
            for (row, (source, max)) in
                [("*", throttle.per_account), (source, throttle.per_source)].into_iter().enumerate()
            {
                let claimed: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO login_throttle (account, source, failures, locked_until, updated_at)
                 VALUES ($1, $2, 1, CASE WHEN 1 >= $3 THEN $4 ELSE 0 END, $5)
                 ON CONFLICT (account, source) DO UPDATE SET
                    failures = CASE WHEN login_throttle.locked_until <> 0 THEN 1 ELSE login_throttle.failures + 1 END,
                    locked_until = CASE
                        WHEN (CASE WHEN login_throttle.locked_until <> 0 THEN 1 ELSE login_throttle.failures + 1 END) >= $3
                        THEN $4 ELSE 0 END,
                    updated_at = $5
                 WHERE login_throttle.locked_until <= $5
                 RETURNING failures",
            )
            .bind(account)
            .bind(source)
            .bind(max)
            .bind(now + throttle.lock_s)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
                match claimed {
                    Some((failures,)) => {
                        last |= failures >= max;
                        counted[row] = failures;
                    }
                    None => {
                        let until: i64 = sqlx::query_scalar(
                            "SELECT locked_until FROM login_throttle WHERE account = $1 AND source = $2",
                        )
                        .bind(account)
                        .bind(source)
                        .fetch_one(&mut *tx)
                        .await?;
                        tx.rollback().await?;
                        return Ok(PasswordTry::Locked { until });
                    }
                }
            }
            tx.commit().await?;
            Ok(PasswordTry::Granted { last, counted: Counted { account: counted[0], source: counted[1] } })
        })
    }

    /// Gives back a try [`Store::claim_password_try`] granted but no password was checked for (the
    /// server was busy): both counts one lower, and a lock the try set lifted.
    pub async fn return_password_try(
        &self,
        account: &str,
        source: &str,
        throttle: PasswordThrottle,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            sqlx::query(
                "UPDATE login_throttle SET failures = failures - 1,
                    locked_until = CASE WHEN failures - 1 < (CASE WHEN source = '*' THEN $3 ELSE $4 END)
                        THEN 0 ELSE locked_until END
                 WHERE account = $1 AND source IN ($2, '*') AND failures > 0",
            )
            .bind(account)
            .bind(source)
            .bind(throttle.per_account)
            .bind(throttle.per_source)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// A right password: the failures counted up to its own try (`counted`) are taken back, on the
    /// source's row and the account's. Tries claimed after it, by guesses racing it, still count,
    /// and a lock they set stands. Other sources' counts (and their locks) stay.
    pub async fn clear_password_failures(&self, account: &str, source: &str, counted: Counted) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            // Each statement takes both rows in one go, in the order a claim takes them, and no lock
            // is held from one statement to the next. A row left at nought counts as no row, so a try
            // that lands between the two is counted either way.
            sqlx::query(
                "UPDATE login_throttle SET
                    failures = CASE WHEN failures > (CASE WHEN source = '*' THEN $3 ELSE $4 END)
                        THEN failures - (CASE WHEN source = '*' THEN $3 ELSE $4 END) ELSE 0 END,
                    locked_until = CASE WHEN failures > (CASE WHEN source = '*' THEN $3 ELSE $4 END)
                        THEN locked_until ELSE 0 END
                 WHERE account = $1 AND source IN ($2, '*')",
            )
            .bind(account)
            .bind(source)
            .bind(counted.account)
            .bind(counted.source)
            .execute(pool)
            .await?;
            sqlx::query(
                "DELETE FROM login_throttle WHERE account = $1 AND source IN ($2, '*')
                 AND failures = 0 AND locked_until = 0",
            )
            .bind(account)
            .bind(source)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Whether an SMS may be sent to the account now: at most `max` in a window of
    /// `window_s`. `Err(seconds)` until the window turns.
    pub async fn sms_budget_left(&self, user_id: i64, now: i64, budget: SmsBudget) -> StoreResult<Result<(), i64>> {
        on_pool!(self, |pool, Db| {
            let SmsBudget { per_window: max, window_s } = budget;
            let row: Option<(i64, i64)> =
                sqlx::query_as("SELECT sms_window_start, sms_in_window FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(pool)
                    .await?;
            Ok(match row {
                Some((start, sent)) if start > now - window_s && sent >= max => Err(start + window_s - now),
                _ => Ok(()),
            })
        })
    }

    /// Counts one SMS to the account if the window has room, in the statement that checks it.
    /// `Err(seconds)` until the window turns.
    pub async fn claim_sms(&self, user_id: i64, now: i64, budget: SmsBudget) -> StoreResult<Result<(), i64>> {
        on_pool!(self, |pool, Db| {
            let SmsBudget { per_window: max, window_s } = budget;
            let claimed: Option<(i64,)> =
                sqlx::query_as(CLAIM_SMS).bind(user_id).bind(now).bind(max).bind(window_s).fetch_optional(pool).await?;
            match claimed {
                Some(_) => Ok(Ok(())),
                // The window turned between the two statements: one second is enough to try again.
                None => match self.sms_budget_left(user_id, now, budget).await? {
                    Ok(()) => Ok(Err(1)),
                    Err(wait) => Ok(Err(wait)),
                },
            }
        })
    }

    /// Stores an image code issued to `client` (the requester's address).
    pub async fn put_captcha(&self, id: &str, answer: &str, client: &str, expires_at: i64) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            sqlx::query("INSERT INTO captchas (id, answer, client, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(answer)
                .bind(client)
                .bind(expires_at)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Removes and returns a captcha (answer, client, expiry): each one can be tried once.
    pub async fn take_captcha(&self, id: &str) -> StoreResult<Option<(String, String, i64)>> {
        on_pool!(self, |pool, Db| {
            sqlx::query_as("DELETE FROM captchas WHERE id = $1 RETURNING answer, client, expires_at")
                .bind(id)
                .fetch_optional(pool)
                .await
                .map_err(StoreError::from)
        })
    }

    pub async fn put_challenge(&self, id: &str, c: &Challenge) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            sqlx::query(
                "INSERT INTO otp_challenges (id, user_id, code_hash, expires_at, tries_left, resends_left)
             VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(c.user_id)
            .bind(&c.code_hash)
            .bind(c.expires_at)
            .bind(c.tries_left)
            .bind(c.resends_left)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Claims one try of a live challenge before its code is compared; `None` when
    /// the challenge is gone, has run out, or has no try left. Parallel guesses each
    /// take a try of their own, so no more than the tries there were are ever compared.
    pub async fn claim_otp_try(&self, id: &str, now: i64) -> StoreResult<Option<OtpTry>> {
        on_pool!(self, |pool, Db| {
            let row: Option<(i64, String, i64)> = sqlx::query_as(
                "UPDATE otp_challenges SET tries_left = tries_left - 1
             WHERE id = $1 AND tries_left > 0 AND expires_at >= $2
             RETURNING user_id, code_hash, tries_left",
            )
            .bind(id)
            .bind(now)
            .fetch_optional(pool)
            .await?;
            Ok(row.map(|(user_id, code_hash, tries_left)| OtpTry { user_id, code_hash, tries_left }))
        })
    }

    /// Ends a challenge: its code matched (only the first of two right answers sent
    /// together gets `true`: one login, one session), or its last try failed.
    pub async fn consume_challenge(&self, id: &str, code_hash: &str) -> StoreResult<bool> {
        on_pool!(self, |pool, Db| {
            let gone: Option<(i64,)> =
                sqlx::query_as("DELETE FROM otp_challenges WHERE id = $1 AND code_hash = $2 RETURNING user_id")
                    .bind(id)
                    .bind(code_hash)
                    .fetch_optional(pool)
                    .await?;
            Ok(gone.is_some())
        })
    }

    /// Puts a new code on a challenge whose code ran out less than `window_s` ago, keeping the
    /// tries it has left (wrong codes have one budget per login), and counts its SMS to the
    /// account's budget: both in one database transaction, so a resend the budget refuses changes
    /// nothing (the code sent last is not replaced by one never sent). Returns the user to send it to.
    pub async fn resend_challenge(
        &self,
        id: &str,
        code_hash: &str,
        now: i64,
        (ttl_s, window_s): (i64, i64),
        budget: SmsBudget,
    ) -> StoreResult<Result<i64, ResendRefusal>> {
        on_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            let renewed: Option<(i64,)> = sqlx::query_as(
                "UPDATE otp_challenges SET code_hash = $2, expires_at = $3 + $4, resends_left = resends_left - 1
             WHERE id = $1 AND resends_left > 0 AND tries_left > 0 AND expires_at < $3 AND expires_at >= $3 - $5
             RETURNING user_id",
            )
            .bind(id)
            .bind(code_hash)
            .bind(now)
            .bind(ttl_s)
            .bind(window_s)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((user_id,)) = renewed {
                let sent: Option<(i64,)> = sqlx::query_as(CLAIM_SMS)
                    .bind(user_id)
                    .bind(now)
                    .bind(budget.per_window)
                    .bind(budget.window_s)
                    .fetch_optional(&mut *tx)
                    .await?;
                if sent.is_some() {
                    tx.commit().await?;
                    return Ok(Ok(user_id));
                }
                tx.rollback().await?;
                // The window may have turned between the statements: a second is then enough.
                let wait = self.sms_budget_left(user_id, now, budget).await?.err().unwrap_or(1);
                return Ok(Err(ResendRefusal::SmsBudget(wait)));
            }
            tx.rollback().await?;
            let live: Option<(i64,)> = sqlx::query_as(
                "SELECT expires_at FROM otp_challenges WHERE id = $1 AND tries_left > 0 AND expires_at >= $2",
            )
            .bind(id)
            .bind(now)
            .fetch_optional(pool)
            .await?;
            Ok(Err(match live {
                Some((expires_at,)) => ResendRefusal::TooEarly(expires_at - now + 1),
                None => ResendRefusal::Gone,
            }))
        })
    }

    pub async fn put_session(&self, token_hash: &str, user_id: i64, now: i64) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen) VALUES ($1, $2, $3, $4)")
                .bind(token_hash)
                .bind(user_id)
                .bind(now)
                .bind(now)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The user of a live session, refreshing its idle clock. A session idle
    /// since before `idle_since`, started before `started_since`, or revoked is refused. `last_seen` is only
    /// written when it is older than `touch_after` seconds, so busy clients do
    /// not turn every read into a write. Returns the user and the `last_seen` now stored.
    pub async fn touch_session(
        &self,
        token_hash: &str,
        now: i64,
        idle_since: i64,
        started_since: i64,
        touch_after: i64,
    ) -> StoreResult<Option<(i64, String, i64)>> {
        on_pool!(self, |pool, Db| {
            let row: Option<(i64, i64, String)> = sqlx::query_as(
                "SELECT s.user_id, s.last_seen, u.id_number FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.revoked = 0 AND s.created_at >= $2",
            )
            .bind(token_hash)
            .bind(started_since)
            .fetch_optional(pool)
            .await?;
            let Some((user_id, last_seen, id_number)) = row else { return Ok(None) };
            if last_seen < idle_since {
                return Ok(None);
            }
            if now - last_seen >= touch_after {
                sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
                    .bind(now)
                    .bind(token_hash)
                    .execute(pool)
                    .await?;
                return Ok(Some((user_id, id_number, now)));
            }
            Ok(Some((user_id, id_number, last_seen)))
        })
    }

    /// Deletes what can no longer be used: expired image codes, challenges past
    /// any resend, dead sessions, and failure counts that have gone quiet. Each
    /// delete walks an index on the age it tests, not the whole table.
    pub async fn purge(&self, now: i64, policy: PurgePolicy) -> StoreResult<Purged> {
        on_pool!(self, |pool, Db| {
            let captchas = sqlx::query("DELETE FROM captchas WHERE expires_at < $1").bind(now).execute(pool).await?;
            let challenges = sqlx::query("DELETE FROM otp_challenges WHERE expires_at < $1")
                .bind(now - policy.resend_window_s)
                .execute(pool)
                .await?;
            let sessions = sqlx::query("DELETE FROM sessions WHERE last_seen < $1 OR created_at < $2")
                .bind(now - policy.session_idle_s)
                .bind(now - policy.session_max_s)
                .execute(pool)
                .await?;
            // A real account's run of failures over all sources is kept until a right
            // password or a lock ends it: the ceiling counts failures in a row, however slow.
            let throttles = sqlx::query(
                "DELETE FROM login_throttle WHERE locked_until <= $1 AND updated_at < $1 - $2
             AND (source <> '*' OR account LIKE 'n:%')",
            )
            .bind(now)
            .bind(policy.throttle_quiet_s)
            .execute(pool)
            .await?;
            Ok(Purged {
                captchas: captchas.rows_affected(),
                challenges: challenges.rows_affected(),
                sessions: sessions.rows_affected(),
                throttles: throttles.rows_affected(),
            })
        })
    }

    pub async fn person(&self, id_number: &str) -> StoreResult<Option<Person>> {
        on_pool!(self, |pool, Db| {
            let row: Option<(String, String, String, String)> =
                sqlx::query_as("SELECT id_number, name_ar, name_en, kind FROM people WHERE id_number = $1")
                    .bind(id_number)
                    .fetch_optional(pool)
                    .await?;
            Ok(row.map(person_from_row))
        })
    }

    /// The person behind an account.
    pub async fn user_person(&self, user_id: i64) -> StoreResult<Option<Person>> {
        on_pool!(self, |pool, Db| {
            let id: Option<String> = sqlx::query_scalar("SELECT id_number FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(pool)
                .await?;
            match id {
                Some(id) => self.person(&id).await,
                None => Ok(None),
            }
        })
    }

    pub async fn user_phone(&self, user_id: i64) -> StoreResult<Option<String>> {
        on_pool!(self, |pool, Db| {
            sqlx::query_scalar("SELECT phone FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(pool)
                .await
                .map_err(StoreError::from)
        })
    }

    pub async fn linked_people(&self, user_id: i64) -> StoreResult<Vec<LinkedPerson>> {
        on_pool!(self, |pool, Db| {
            let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
                "SELECT p.id_number, p.name_ar, p.name_en, p.kind, up.relation
             FROM user_people up JOIN people p ON p.id_number = up.id_number
             WHERE up.user_id = $1 ORDER BY up.position",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(id_number, name_ar, name_en, kind, relation)| LinkedPerson {
                    id_number,
                    name_ar,
                    name_en,
                    kind: parse_kind(&kind),
                    relation: parse_relation(&relation),
                })
                .collect())
        })
    }

    /// The person behind `id_number` if `user_id` may inquire it; `None` otherwise,
    /// whether or not the ID exists.
    pub async fn linked_person(&self, user_id: i64, id_number: &str) -> StoreResult<Option<Person>> {
        on_pool!(self, |pool, Db| {
            let row: Option<(String, String, String, String)> = sqlx::query_as(
                "SELECT p.id_number, p.name_ar, p.name_en, p.kind
             FROM user_people up JOIN people p ON p.id_number = up.id_number
             WHERE up.user_id = $1 AND up.id_number = $2",
            )
            .bind(user_id)
            .bind(id_number)
            .fetch_optional(pool)
            .await?;
            Ok(row.map(person_from_row))
        })
    }

    pub async fn dev_record_sms(&self, sms: &DevSms) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            sqlx::query("INSERT INTO dev_sms (challenge_id, masked_phone, code, text) VALUES ($1, $2, $3, $4)")
                .bind(&sms.challenge_id)
                .bind(&sms.masked_phone)
                .bind(&sms.code)
                .bind(&sms.text)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    pub async fn dev_record_captcha(&self, captcha_id: &str, answer: &str) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            sqlx::query("INSERT INTO dev_captchas (captcha_id, answer) VALUES ($1, $2)")
                .bind(captcha_id)
                .bind(answer)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The latest simulated messages and captcha answers, newest last.
    pub async fn dev_outbox(&self, keep: i64) -> StoreResult<DevOutbox> {
        on_pool!(self, |pool, Db| {
            let sms: Vec<(String, String, String, String)> = sqlx::query_as(
                "SELECT challenge_id, masked_phone, code, text FROM
               (SELECT * FROM dev_sms ORDER BY seq DESC LIMIT $1) AS newest ORDER BY seq",
            )
            .bind(keep)
            .fetch_all(pool)
            .await?;
            let captchas: Vec<(String, String)> = sqlx::query_as(
                "SELECT captcha_id, answer FROM
               (SELECT * FROM dev_captchas ORDER BY seq DESC LIMIT $1) AS newest ORDER BY seq",
            )
            .bind(keep)
            .fetch_all(pool)
            .await?;
            Ok(DevOutbox {
                sms: sms
                    .into_iter()
                    .map(|(challenge_id, masked_phone, code, text)| DevSms { challenge_id, masked_phone, code, text })
                    .collect(),
                captchas: captchas.into_iter().map(|(captcha_id, answer)| DevCaptcha { captcha_id, answer }).collect(),
            })
        })
    }
}
