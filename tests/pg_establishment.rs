//! tests/establishment.rs on PostgreSQL (see tests/common/postgres.rs).
#[path = "establishment.rs"]
mod establishment;
