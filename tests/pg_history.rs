//! tests/history.rs on PostgreSQL (see tests/common/postgres.rs).
#[path = "history.rs"]
mod history;
