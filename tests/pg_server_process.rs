//! tests/server_process.rs on PostgreSQL (see tests/common/postgres.rs).
#[path = "server_process.rs"]
mod server_process;
