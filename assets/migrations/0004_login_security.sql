-- Failed passwords counted per account and source address, and per account over
-- every source (source '*'): a stranger's guesses lock out only the stranger,
-- while the ceiling still stops guessing spread over many addresses. An account
-- is 'u:<user id>' for a real one (whichever name was typed) and 'n:<name>' for a
-- name that is none, so both are throttled alike.
CREATE TABLE login_throttle (
    account      TEXT NOT NULL,
    source       TEXT NOT NULL,
    failures     INTEGER NOT NULL,
    locked_until INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (account, source)
) WITHOUT ROWID;

-- The lock now lives in login_throttle.
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

-- SMS messages sent per account in a window: a stolen password cannot flood the owner's phone.
ALTER TABLE users ADD COLUMN sms_window_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN sms_in_window INTEGER NOT NULL DEFAULT 0;

-- Housekeeping deletes by age without scanning whole tables.
CREATE INDEX captchas_by_expiry ON captchas (expires_at);
CREATE INDEX otp_challenges_by_expiry ON otp_challenges (expires_at);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen);
CREATE INDEX sessions_by_start ON sessions (created_at);
CREATE INDEX sessions_by_user ON sessions (user_id);
