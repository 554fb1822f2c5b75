-- The rate-limit windows of every instance together: one row a budget, key and minute, counted by
-- one upsert that returns the new count (never read, then written). Old minutes are deleted by
-- the housekeeping.
CREATE TABLE IF NOT EXISTS rate_windows (
    bucket       TEXT COLLATE "C" NOT NULL,
    key          TEXT COLLATE "C" NOT NULL,
    window_start BIGINT NOT NULL,
    count        BIGINT NOT NULL,
    PRIMARY KEY (bucket, key, window_start)
);
CREATE INDEX IF NOT EXISTS rate_windows_by_start ON rate_windows (window_start);
