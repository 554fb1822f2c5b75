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

impl Client {
    /// Every worker matching `query`, walking the pages; the sums and count are the server's.
    pub async fn all_workers(
        &self,
        token: &Secret,
        mut query: crate::api::WorkersQuery,
    ) -> Result<crate::api::WorkersReport, ClientError> {
        query.limit = Some(crate::api::MAX_PAGE_LIMIT);
        let mut all = self.workers(token, &query).await?;
        // A server that keeps answering cursors is not followed past the count it gave, or an empty page.
        while let Some(cursor) = all.next_cursor.take().filter(|_| (all.items.len() as u64) < all.total_count) {
            query.cursor = Some(cursor);
            let page = self.workers(token, &query).await?;
            if page.items.is_empty() {
                break;
            }
            all.items.extend(page.items);
            all.next_cursor = page.next_cursor;
        }
        all.prev_cursor = None;
        Ok(all)
    }

    /// Every renewal due within the query's days, soonest first.
    pub async fn all_renewals(
        &self,
        token: &Secret,
        mut query: crate::api::RenewalsQuery,
    ) -> Result<crate::api::RenewalsPage, ClientError> {
        query.limit = Some(crate::api::MAX_PAGE_LIMIT);
        let mut all = self.renewals(token, &query).await?;
        // A server that keeps answering cursors is not followed past the count it gave, or an empty page.
        while let Some(cursor) = all.next_cursor.take().filter(|_| (all.items.len() as u64) < all.total_count) {
            query.cursor = Some(cursor);
            let page = self.renewals(token, &query).await?;
            if page.items.is_empty() {
                break;
            }
            all.items.extend(page.items);
            all.next_cursor = page.next_cursor;
        }
        Ok(all)
    }
}
