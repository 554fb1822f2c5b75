//! tests/api.rs on PostgreSQL (see tests/common/postgres.rs).
#[path = "api.rs"]
mod api;
