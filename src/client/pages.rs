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

/// A report the server gives a page at a time: its rows, the cursor to the next page, the count of all.
trait Paged {
    type Item;
    fn parts(&mut self) -> (&mut Vec<Self::Item>, &mut Option<String>, u64);
}

impl Paged for crate::api::WorkersReport {
    type Item = crate::api::WorkerMoney;
    fn parts(&mut self) -> (&mut Vec<Self::Item>, &mut Option<String>, u64) {
        (&mut self.items, &mut self.next_cursor, self.total_count)
    }
}

impl Paged for crate::api::RenewalsPage {
    type Item = crate::api::RenewalDue;
    fn parts(&mut self) -> (&mut Vec<Self::Item>, &mut Option<String>, u64) {
        (&mut self.items, &mut self.next_cursor, self.total_count)
    }
}

/// `first` with every page after it joined on, each fetched by `after(cursor)`. A server that keeps
/// answering cursors is not followed past the count it gave, or an empty page.
async fn joined<P: Paged, F: std::future::Future<Output = Result<P, ClientError>>>(
    mut all: P,
    mut after: impl FnMut(String) -> F,
) -> Result<P, ClientError> {
    loop {
        let (items, cursor, total) = all.parts();
        let Some(cursor) = cursor.take().filter(|_| (items.len() as u64) < total) else { return Ok(all) };
        let mut page = after(cursor).await?;
        let (more, next, _) = page.parts();
        if more.is_empty() {
            return Ok(all);
        }
        let (items, cursor, _) = all.parts();
        items.append(more);
        *cursor = next.take();
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
        let first = self.workers(token, &query).await?;
        let mut all = joined(first, |cursor| {
            let query = crate::api::WorkersQuery { cursor: Some(cursor), ..query.clone() };
            async move { self.workers(token, &query).await }
        })
        .await?;
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
        let first = self.renewals(token, &query).await?;
        joined(first, |cursor| {
            let query = crate::api::RenewalsQuery { cursor: Some(cursor), ..query.clone() };
            async move { self.renewals(token, &query).await }
        })
        .await
    }
}
