//! Walking a whole filtered history, a page at a time, by the server's cursors.

use super::{Client, ClientError};
use crate::api::{Secret, Transaction, TransactionsQuery};

/// Why a walk stopped: the server, or whoever took the rows.
#[derive(Debug)]
pub enum WalkError {
    Client(ClientError),
    Io(std::io::Error),
}

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WalkError::Client(e) => e.fmt(f),
            WalkError::Io(e) => e.fmt(f),
        }
    }
}

impl Client {
    /// Walks every page matching `query` in order, handing each page's rows to
    /// `each` (at least once, so a writer can start even when nothing matches).
    pub async fn each_page(
        &self,
        token: &Secret,
        id_number: &str,
        mut query: TransactionsQuery,
        mut each: impl FnMut(&[Transaction]) -> std::io::Result<()>,
    ) -> Result<(), WalkError> {
        loop {
            let page = self.transactions(token, id_number, &query).await.map_err(WalkError::Client)?;
            each(&page.items).map_err(WalkError::Io)?;
            match page.next_cursor {
                Some(c) => query.cursor = Some(c),
                None => return Ok(()),
            }
        }
    }
}
