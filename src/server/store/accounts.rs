//! Accounts, captchas, verification codes, sessions and the dev outbox.

use sqlx::Row;

use super::Store;
use crate::api::{DevCaptcha, DevOutbox, DevSms, LinkedPerson, Person, Relation};
use crate::domain::PersonKind;

#[derive(Debug, Clone)]
pub struct LoginUser {
    pub id: i64,
    pub id_number: String,
    pub password_hash: String,
    pub phone: String,
    pub failed_logins: i64,
    pub locked_until: i64,
}

#[derive(Debug, Clone)]
pub struct Challenge {
    pub user_id: i64,
    pub code_hash: String,
    pub expires_at: i64,
    pub tries_left: i64,
    pub resends_left: i64,
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
    pub async fn insert_people(&self, people: &[Person]) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
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
        tx.commit().await
    }

    pub async fn insert_user(
        &self,
        username: &str,
        id_number: &str,
        password_hash: &str,
        phone: &str,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO users (username, id_number, password_hash, phone) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(username)
        .bind(id_number)
        .bind(password_hash)
        .bind(phone)
        .fetch_one(&self.pool)
        .await
    }

    /// Grants `user_id` the right to inquire each ID, in the order given.
    pub async fn link_people(&self, user_id: i64, links: &[(String, Relation)]) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        for (offset, chunk) in links.chunks(500).enumerate() {
            let mut qb = sqlx::QueryBuilder::new("INSERT INTO user_people (user_id, id_number, relation, position) ");
            qb.push_values(chunk.iter().enumerate(), |mut b, (i, (id, rel))| {
                b.push_bind(user_id).push_bind(id.clone()).push_bind(rel.code()).push_bind((offset * 500 + i) as i64);
            });
            qb.build().execute(&mut *tx).await?;
        }
        tx.commit().await
    }

    /// The account a login names, by username (any case) or by ID number.
    pub async fn find_login_user(&self, username_or_id: &str) -> Result<Option<LoginUser>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT id, id_number, password_hash, phone, failed_logins, locked_until
             FROM users WHERE username = ?1 OR id_number = ?1 LIMIT 1",
        )
        .bind(username_or_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| LoginUser {
            id: r.get(0),
            id_number: r.get(1),
            password_hash: r.get(2),
            phone: r.get(3),
            failed_logins: r.get(4),
            locked_until: r.get(5),
        }))
    }

    /// Counts a wrong password; at `max_failures` the account locks until `lock_until`.
    /// Returns the failures counted so far.
    pub async fn record_failed_login(
        &self,
        user_id: i64,
        max_failures: i64,
        lock_until: i64,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "UPDATE users SET
                failed_logins = failed_logins + 1,
                locked_until = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 ELSE locked_until END
             WHERE id = ?1 RETURNING failed_logins",
        )
        .bind(user_id)
        .bind(max_failures)
        .bind(lock_until)
        .fetch_one(&self.pool)
        .await
    }

    pub async fn reset_failed_logins(&self, user_id: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Stores an image code issued to `client` (the requester's address).
    pub async fn put_captcha(
        &self,
        id: &str,
        answer: &str,
        client: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM captchas WHERE expires_at < ?").bind(now).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO captchas (id, answer, client, expires_at) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(answer)
            .bind(client)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Removes and returns a captcha (answer, client, expiry): each one can be tried once.
    pub async fn take_captcha(&self, id: &str) -> Result<Option<(String, String, i64)>, sqlx::Error> {
        sqlx::query_as("DELETE FROM captchas WHERE id = ? RETURNING answer, client, expires_at")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    pub async fn put_challenge(&self, id: &str, c: &Challenge) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO otp_challenges (id, user_id, code_hash, expires_at, tries_left, resends_left)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(c.user_id)
        .bind(&c.code_hash)
        .bind(c.expires_at)
        .bind(c.tries_left)
        .bind(c.resends_left)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn challenge(&self, id: &str) -> Result<Option<Challenge>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT user_id, code_hash, expires_at, tries_left, resends_left FROM otp_challenges WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| Challenge {
            user_id: r.get(0),
            code_hash: r.get(1),
            expires_at: r.get(2),
            tries_left: r.get(3),
            resends_left: r.get(4),
        }))
    }

    /// Takes one try off a challenge and returns the tries left.
    pub async fn spend_challenge_try(&self, id: &str) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("UPDATE otp_challenges SET tries_left = tries_left - 1 WHERE id = ? RETURNING tries_left")
            .bind(id)
            .fetch_one(&self.pool)
            .await
    }

    pub async fn renew_challenge(
        &self,
        id: &str,
        code_hash: &str,
        expires_at: i64,
        tries: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE otp_challenges SET code_hash = ?, expires_at = ?, tries_left = ?, resends_left = resends_left - 1
             WHERE id = ?",
        )
        .bind(code_hash)
        .bind(expires_at)
        .bind(tries)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn delete_challenge(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM otp_challenges WHERE id = ?").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn put_session(&self, token_hash: &str, user_id: i64, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(user_id)
            .bind(now)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The user of a live session, refreshing its idle clock. A session idle
    /// since before `idle_since` or revoked is refused. `last_seen` is only
    /// written when it is older than `touch_after` seconds, so busy clients do
    /// not turn every read into a write. Returns the user and the `last_seen` now stored.
    pub async fn touch_session(
        &self,
        token_hash: &str,
        now: i64,
        idle_since: i64,
        touch_after: i64,
    ) -> Result<Option<(i64, String, i64)>, sqlx::Error> {
        let row: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT s.user_id, s.last_seen, u.id_number FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ? AND s.revoked = 0",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some((user_id, last_seen, id_number)) = row else { return Ok(None) };
        if last_seen < idle_since {
            return Ok(None);
        }
        if now - last_seen >= touch_after {
            sqlx::query("UPDATE sessions SET last_seen = ? WHERE token_hash = ?")
                .bind(now)
                .bind(token_hash)
                .execute(&self.pool)
                .await?;
            return Ok(Some((user_id, id_number, now)));
        }
        Ok(Some((user_id, id_number, last_seen)))
    }

    pub async fn revoke_session(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sessions SET revoked = 1 WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn person(&self, id_number: &str) -> Result<Option<Person>, sqlx::Error> {
        let row: Option<(String, String, String, String)> =
            sqlx::query_as("SELECT id_number, name_ar, name_en, kind FROM people WHERE id_number = ?")
                .bind(id_number)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(person_from_row))
    }

    /// The person behind an account.
    pub async fn user_person(&self, user_id: i64) -> Result<Option<Person>, sqlx::Error> {
        let id: Option<String> = sqlx::query_scalar("SELECT id_number FROM users WHERE id = ?")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        match id {
            Some(id) => self.person(&id).await,
            None => Ok(None),
        }
    }

    pub async fn user_phone(&self, user_id: i64) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT phone FROM users WHERE id = ?").bind(user_id).fetch_optional(&self.pool).await
    }

    pub async fn linked_people(&self, user_id: i64) -> Result<Vec<LinkedPerson>, sqlx::Error> {
        let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT p.id_number, p.name_ar, p.name_en, p.kind, up.relation
             FROM user_people up JOIN people p ON p.id_number = up.id_number
             WHERE up.user_id = ? ORDER BY up.position",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
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
    }

    /// The person behind `id_number` if `user_id` may inquire it; `None` otherwise,
    /// whether or not the ID exists.
    pub async fn linked_person(&self, user_id: i64, id_number: &str) -> Result<Option<Person>, sqlx::Error> {
        let row: Option<(String, String, String, String)> = sqlx::query_as(
            "SELECT p.id_number, p.name_ar, p.name_en, p.kind
             FROM user_people up JOIN people p ON p.id_number = up.id_number
             WHERE up.user_id = ? AND up.id_number = ?",
        )
        .bind(user_id)
        .bind(id_number)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(person_from_row))
    }

    pub async fn dev_record_sms(&self, sms: &DevSms) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO dev_sms (challenge_id, masked_phone, code, text) VALUES (?, ?, ?, ?)")
            .bind(&sms.challenge_id)
            .bind(&sms.masked_phone)
            .bind(&sms.code)
            .bind(&sms.text)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn dev_record_captcha(&self, captcha_id: &str, answer: &str) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO dev_captchas (captcha_id, answer) VALUES (?, ?)")
            .bind(captcha_id)
            .bind(answer)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The latest simulated messages and captcha answers, newest last.
    pub async fn dev_outbox(&self, keep: i64) -> Result<DevOutbox, sqlx::Error> {
        let sms: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT challenge_id, masked_phone, code, text FROM
               (SELECT * FROM dev_sms ORDER BY seq DESC LIMIT ?) ORDER BY seq",
        )
        .bind(keep)
        .fetch_all(&self.pool)
        .await?;
        let captchas: Vec<(String, String)> = sqlx::query_as(
            "SELECT captcha_id, answer FROM
               (SELECT * FROM dev_captchas ORDER BY seq DESC LIMIT ?) ORDER BY seq",
        )
        .bind(keep)
        .fetch_all(&self.pool)
        .await?;
        Ok(DevOutbox {
            sms: sms
                .into_iter()
                .map(|(challenge_id, masked_phone, code, text)| DevSms { challenge_id, masked_phone, code, text })
                .collect(),
            captchas: captchas.into_iter().map(|(captcha_id, answer)| DevCaptcha { captcha_id, answer }).collect(),
        })
    }
}
