-- Transactions kept in the order a history is read: one person's rows lie
-- together by date, so a page is a run of neighbouring cells rather than a
-- hundred lookups from an index into a table keyed by id.
CREATE TABLE transactions_by_person (
    id_number      TEXT NOT NULL REFERENCES people (id_number),
    date           TEXT NOT NULL,
    id             INTEGER NOT NULL,
    sector         TEXT NOT NULL,
    service_code   TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('payment', 'usage', 'refund')),
    amount         INTEGER NOT NULL CHECK (amount > 0),
    beneficiary_id TEXT NOT NULL,
    reference      TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'settled',
    PRIMARY KEY (id_number, date, id)
) WITHOUT ROWID;

INSERT INTO transactions_by_person
    (id_number, date, id, sector, service_code, kind, amount, beneficiary_id, reference, status)
SELECT id_number, date, id, sector, service_code, kind, amount, beneficiary_id, reference, status
FROM transactions ORDER BY id_number, date, id;

DROP TABLE transactions;
ALTER TABLE transactions_by_person RENAME TO transactions;
CREATE INDEX transactions_by_amount ON transactions (id_number, amount, id);

-- The table is no longer keyed by id, so ids are handed out from here.
CREATE TABLE transaction_ids (next INTEGER NOT NULL);
INSERT INTO transaction_ids SELECT COALESCE(MAX(id), 0) + 1 FROM transactions;
