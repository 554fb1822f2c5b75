//! The wire contract (API v1) shared by the server and the client.

pub mod error;
pub mod establishment;
pub mod secret;
pub mod types;

pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use establishment::*;
pub use secret::Secret;
pub use types::*;

/// Prefix of every versioned route.
pub const API_PREFIX: &str = "/api/v1";

/// The most rows one page of transactions may ask for.
pub const MAX_PAGE_LIMIT: u32 = 500;
