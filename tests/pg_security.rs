//! tests/security.rs on PostgreSQL (see tests/common/postgres.rs).
#[path = "security.rs"]
mod security;
