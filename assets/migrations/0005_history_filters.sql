-- Rows per person, day, sector and kind, kept in the same database transaction
-- as the rows they count: a filtered history's total, the days a sparse filter
-- touches and the size of a text search come from here, not from the history.
CREATE TABLE daily_counts (
    id_number TEXT NOT NULL,
    date      TEXT NOT NULL,
    sector    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (id_number, date, sector, kind)
) WITHOUT ROWID;

INSERT INTO daily_counts (id_number, date, sector, kind, n)
SELECT id_number, date, sector, kind, COUNT(*) FROM transactions GROUP BY id_number, date, sector, kind;

-- Amount order within each sector and kind: a filtered amount sort reads only
-- its own rows, and the unfiltered one merges the fifteen runs. It replaces the
-- plain amount index rather than joining it, to keep seeding within its time.
DROP INDEX transactions_by_amount;
CREATE INDEX transactions_by_sector_kind_amount ON transactions (id_number, sector, kind, amount, id);
