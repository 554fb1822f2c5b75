-- People whose balances can be inquired.
CREATE TABLE people (
    id_number TEXT PRIMARY KEY,
    name_ar   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('citizen', 'resident'))
) WITHOUT ROWID;

-- Portal accounts.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    id_number     TEXT NOT NULL UNIQUE REFERENCES people (id_number),
    password_hash TEXT NOT NULL,
    phone         TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER NOT NULL DEFAULT 0
);

-- Whom each user may inquire: self, family, sponsored workers.
CREATE TABLE user_people (
    user_id   INTEGER NOT NULL REFERENCES users (id),
    id_number TEXT NOT NULL REFERENCES people (id_number),
    relation  TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (user_id, id_number)
) WITHOUT ROWID;

-- Every row is settled; amounts are positive integer halalas.
CREATE TABLE transactions (
    id             INTEGER PRIMARY KEY,
    id_number      TEXT NOT NULL REFERENCES people (id_number),
    date           TEXT NOT NULL,
    sector         TEXT NOT NULL,
    service_code   TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('payment', 'usage', 'refund')),
    amount         INTEGER NOT NULL CHECK (amount > 0),
    beneficiary_id TEXT NOT NULL,
    reference      TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'settled'
);
CREATE INDEX transactions_by_date ON transactions (id_number, date, id);
CREATE INDEX transactions_by_amount ON transactions (id_number, amount, id);

-- Sums per person and sector, kept in the same database transaction as the
-- rows they sum, so an inquiry never rescans a history.
CREATE TABLE balances (
    id_number TEXT NOT NULL,
    sector    TEXT NOT NULL,
    paid      INTEGER NOT NULL DEFAULT 0,
    used      INTEGER NOT NULL DEFAULT 0,
    refunded  INTEGER NOT NULL DEFAULT 0,
    tx_count  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (id_number, sector)
) WITHOUT ROWID;

-- Usage per person, sector and day: the spending series are built from it.
CREATE TABLE daily_usage (
    id_number TEXT NOT NULL,
    sector    TEXT NOT NULL,
    date      TEXT NOT NULL,
    used      INTEGER NOT NULL,
    PRIMARY KEY (id_number, date, sector)
) WITHOUT ROWID;

CREATE TABLE captchas (
    id         TEXT PRIMARY KEY,
    answer     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE otp_challenges (
    id           TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    code_hash    TEXT NOT NULL,
    expires_at   INTEGER NOT NULL,
    tries_left   INTEGER NOT NULL,
    resends_left INTEGER NOT NULL
) WITHOUT ROWID;

-- Only a hash of each token is kept.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Filled only in --dev mode: the simulated SMS and the issued captchas' answers.
CREATE TABLE dev_sms (
    seq          INTEGER PRIMARY KEY,
    challenge_id TEXT NOT NULL,
    masked_phone TEXT NOT NULL,
    code         TEXT NOT NULL,
    text         TEXT NOT NULL
);
CREATE TABLE dev_captchas (
    seq        INTEGER PRIMARY KEY,
    captcha_id TEXT NOT NULL,
    answer     TEXT NOT NULL
);
