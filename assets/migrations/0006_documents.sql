-- Documents that run out: one row each, with the service that last renewed it
-- (the next renewal is priced as the same service). The seed writes them from
-- the renewal rows of each person's history.
CREATE TABLE documents (
    id_number  TEXT NOT NULL REFERENCES people (id_number),
    kind       TEXT NOT NULL CHECK (kind IN ('iqama', 'passport', 'driving_licence', 'istimara')),
    number     TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    renewed_by TEXT NOT NULL,
    PRIMARY KEY (id_number, kind, number)
) WITHOUT ROWID; -- SQLite only

-- Each person's money in one row: the kept per-sector sums (balances) folded
-- together, and two days read off the newest rows of the history. Written once,
-- here; Store::refresh_summaries copies it for the people whose rows changed.
CREATE VIEW money_summary_sources (
     id_number, paid, used, refunded, available, available_passports, available_vehicles,
     available_driving_licence, available_sponsorees, available_labour, last_payment_on, oldest_unused_on) AS
SELECT p.id_number,
       COALESCE(SUM(b.paid), 0),
       COALESCE(SUM(b.used), 0),
       COALESCE(SUM(b.refunded), 0),
       COALESCE(SUM(CASE WHEN b.paid > b.used + b.refunded THEN b.paid - b.used - b.refunded ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN b.sector = 'passports' AND b.paid > b.used + b.refunded
                         THEN b.paid - b.used - b.refunded ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN b.sector = 'vehicles' AND b.paid > b.used + b.refunded
                         THEN b.paid - b.used - b.refunded ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN b.sector = 'driving_licence' AND b.paid > b.used + b.refunded
                         THEN b.paid - b.used - b.refunded ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN b.sector = 'sponsorees' AND b.paid > b.used + b.refunded
                         THEN b.paid - b.used - b.refunded ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN b.sector = 'labour' AND b.paid > b.used + b.refunded
                         THEN b.paid - b.used - b.refunded ELSE 0 END), 0),
       (SELECT t.date FROM transactions t WHERE t.id_number = p.id_number AND t.kind = 'payment'
        ORDER BY t.date DESC, t.id DESC LIMIT 1),
       -- Services use the oldest money first, so what is held is a sector's newest payments:
       -- walking them from the newest, the one where they first add up to what is held. The
       -- walk stops there, so a long history costs only its newest rows.
       MIN(CASE WHEN b.paid > b.used + b.refunded THEN
           (SELECT newest.date FROM
               (SELECT t.date, SUM(t.amount) OVER (ORDER BY t.date DESC, t.id DESC) AS since
                FROM transactions t
                WHERE t.id_number = b.id_number AND t.sector = b.sector AND t.kind = 'payment') newest
            WHERE newest.since >= b.paid - b.used - b.refunded LIMIT 1)
           END)
FROM people p LEFT JOIN balances b ON b.id_number = p.id_number
GROUP BY p.id_number;

-- What the view says, kept: the workers' report reads one row a worker instead
-- of a row per worker and sector, and never a history.
CREATE TABLE money_summaries (
    id_number                 TEXT PRIMARY KEY REFERENCES people (id_number),
    paid                      INTEGER NOT NULL,
    used                      INTEGER NOT NULL,
    refunded                  INTEGER NOT NULL,
    available                 INTEGER NOT NULL,
    available_passports       INTEGER NOT NULL,
    available_vehicles        INTEGER NOT NULL,
    available_driving_licence INTEGER NOT NULL,
    available_sponsorees      INTEGER NOT NULL,
    available_labour          INTEGER NOT NULL,
    last_payment_on           TEXT,
    oldest_unused_on          TEXT
) WITHOUT ROWID; -- SQLite only

-- A database written by an older rasid gets its summaries now.
INSERT INTO money_summaries (
     id_number, paid, used, refunded, available, available_passports, available_vehicles,
     available_driving_licence, available_sponsorees, available_labour, last_payment_on, oldest_unused_on)
SELECT id_number, paid, used, refunded, available, available_passports, available_vehicles,
     available_driving_licence, available_sponsorees, available_labour, last_payment_on, oldest_unused_on
FROM money_summary_sources;
