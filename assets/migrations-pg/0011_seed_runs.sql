-- Whether a seed of the demo data finished. Seeding writes in many database transactions; one
-- killed midway leaves its row with done = 0, and the next start says so rather than serving part
-- of the demo.
CREATE TABLE IF NOT EXISTS seed_runs (
    name TEXT PRIMARY KEY,
    done INTEGER NOT NULL
);
