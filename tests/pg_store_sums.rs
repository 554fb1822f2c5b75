//! tests/store_sums.rs on PostgreSQL (see tests/common/postgres.rs).
#[path = "store_sums.rs"]
mod store_sums;
