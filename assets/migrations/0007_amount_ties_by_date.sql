-- Amount order breaks ties by date, then id: rows of the same amount read in
-- the order of the history, and the cursor follows that order. The index takes
-- the old one's place (same columns, date moved before id), so seeding keeps
-- its time.
DROP INDEX transactions_by_sector_kind_amount;
CREATE INDEX transactions_by_sector_kind_amount_date ON transactions (id_number, sector, kind, amount, date, id);
