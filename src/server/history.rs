//! A page of history read either way: from the start, after a `next_cursor`, before a
//! `prev_cursor`, or from a day (`at`); and where the page stands in the whole list.

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ApiResult};
use super::store::{After, HistoryPage, Store, TooBroad, TxFilter, TxRow};
use crate::api::{ErrorCode, TxSort};

/// The opaque paging cursor: a sort, a row's key in it, and the row's index in that sort. A
/// cursor of the reverse sort walks backwards, so a page's `prev_cursor` is the `next_cursor` its
/// first row would have in the reverse sort.
#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    s: TxSort,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    d: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    a: Option<i64>,
    i: i64,
    /// Amount order has no kept counts to find a row's index from, so its index travels with it.
    p: u64,
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    First,
    /// After the row at `index`.
    After {
        key: After,
        index: u64,
    },
    /// Before a row whose index in the reverse sort is `reverse_index`.
    Before {
        key: After,
        reverse_index: u64,
    },
    /// The first row on or before (newest first) or on or after (oldest first) a day.
    Day(String),
}

/// A page and where it stands.
#[derive(Debug)]
pub struct Paged {
    pub rows: Vec<TxRow>,
    pub total: u64,
    pub position: u64,
    pub next_cursor: Option<String>,
    pub prev_cursor: Option<String>,
}

/// Why a page could not be read.
pub enum Refusal {
    NotLinked,
    TooBroad(TooBroad),
    Api(ApiError),
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Self {
        Refusal::Api(e)
    }
}

impl From<super::store::StoreError> for Refusal {
    fn from(e: super::store::StoreError) -> Self {
        Refusal::Api(e.into())
    }
}

fn encode(sort: TxSort, row: &TxRow, index: u64) -> String {
    let amount = (!sort.by_date()).then_some(row.amount);
    let cursor = Cursor { s: sort, d: Some(row.date.clone()), a: amount, i: row.id, p: index };
    let json = serde_json::to_vec(&cursor).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

/// Reads a cursor of `sort` (walking on) or of its reverse (walking back).
pub fn decode(text: &str, sort: TxSort) -> ApiResult<Start> {
    let bad = || ApiError::with_message(ErrorCode::BadRequest, "The cursor is not valid for this query.");
    if text.len() > 512 {
        return Err(bad());
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
    let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    let key = match (cursor.s.by_date(), cursor.d, cursor.a) {
        (true, Some(d), None) => After::Date(d, cursor.i),
        (false, Some(d), Some(a)) => After::Amount(a, d, cursor.i),
        _ => return Err(bad()),
    };
    if cursor.s == sort {
        Ok(Start::After { key, index: cursor.p })
    } else if cursor.s == sort.reversed() {
        Ok(Start::Before { key, reverse_index: cursor.p })
    } else {
        Err(bad())
    }
}

async fn read(
    store: &Store,
    user_id: i64,
    id_number: &str,
    filter: &TxFilter,
    sort: TxSort,
    after: Option<&After>,
    limit: u32,
) -> Result<(u64, Vec<TxRow>), Refusal> {
    match store.linked_page(user_id, id_number, filter, sort, after, limit).await? {
        HistoryPage::Page { total_count, rows } => Ok((total_count, rows)),
        HistoryPage::NotLinked => Err(Refusal::NotLinked),
        HistoryPage::TooBroad(t) => Err(Refusal::TooBroad(t)),
    }
}

/// One page of at most `limit` rows from `start`, with the cursors either way and its position.
pub async fn page(
    store: &Store,
    user_id: i64,
    id_number: &str,
    filter: &TxFilter,
    sort: TxSort,
    start: Start,
    limit: u32,
) -> Result<Paged, Refusal> {
    let descending = matches!(sort, TxSort::DateDesc | TxSort::AmountDesc);
    let fetch = |sort, after: Option<After>| async move {
        read(store, user_id, id_number, filter, sort, after.as_ref(), limit + 1).await
    };
    // `backwards`: the rows came in the reverse sort. `rows_after`: rows follow the page.
    let (total, mut rows, backwards, rows_after_known) = match &start {
        Start::First => {
            let (total, rows) = fetch(sort, None).await?;
            (total, rows, false, None)
        }
        Start::After { key, .. } => {
            let (total, rows) = fetch(sort, Some(key.clone())).await?;
            (total, rows, false, None)
        }
        // The cursor's own row follows the page.
        Start::Before { key, .. } => {
            let (total, rows) = fetch(sort.reversed(), Some(key.clone())).await?;
            (total, rows, true, Some(true))
        }
        Start::Day(day) => {
            // Before every row of the day, newest first: ids above any there is; oldest first, below.
            let key = After::Date(day.clone(), if descending { i64::MAX } else { i64::MIN });
            let (total, rows) = fetch(sort, Some(key)).await?;
            if rows.is_empty() && total > 0 {
                // Past the last row: the last rows, which nothing follows.
                let (total, rows) = fetch(sort.reversed(), None).await?;
                (total, rows, true, Some(false))
            } else {
                (total, rows, false, None)
            }
        }
    };
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    if backwards {
        rows.reverse();
    }
    let n = rows.len() as u64;
    let position = match (rows.first(), &start) {
        // Read back to the first row.
        _ if backwards && !more => 0,
        (None, _) => total,
        (Some(_), Start::First) => 0,
        // A jump to a day is counted (the handler refuses `at` with an amount sort): from the kept
        // per-day counts and a run of the day itself.
        (Some(first), Start::Day(_)) => store.rows_before(id_number, filter, descending, &first.date, first.id).await?,
        // Walking on, the index rides in the cursor: counting again at every page cost the 10,000th
        // page four times the first. It is kept within the list, never trusted to be.
        (Some(_), Start::After { index, .. }) => index.saturating_add(1).min(total.saturating_sub(n)),
        (Some(_), Start::Before { reverse_index, .. }) => {
            total.saturating_sub(reverse_index.saturating_add(1)).saturating_sub(n)
        }
    };
    let rows_after = rows_after_known.unwrap_or(more);
    let next_cursor =
        rows.last().filter(|_| rows_after).map(|last| encode(sort, last, (position + n).saturating_sub(1)));
    let rows_before = if backwards { more } else { position > 0 };
    let prev_cursor = rows
        .first()
        .filter(|_| rows_before)
        .map(|first| encode(sort.reversed(), first, total.saturating_sub(position.saturating_add(1))));
    Ok(Paged { rows, total, position, next_cursor, prev_cursor })
}
