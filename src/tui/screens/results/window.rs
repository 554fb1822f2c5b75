//! The window of a history the app holds: the filters that make its query,
//! and a few pages around the selected row, fetched by cursor as the user
//! moves and dropped when far behind. No drawing here: the views read it.

use std::collections::BTreeMap;

use crate::api::{Transaction, TransactionPage, TransactionsQuery, TxSort};
use crate::domain::Sector;

pub const PAGE_SIZE: u32 = 100;
/// Pages kept on each side of the selected row; farther ones are dropped and fetched again if needed.
const KEEP_PAGES: usize = 4;
/// Start fetching the next page this many rows before the loaded ones run out.
const PREFETCH_ROWS: usize = 30;
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxFilters {
    pub text: String,
    pub sector: Option<Sector>,
    pub year: Option<i32>,
    pub sort: TxSort,
}

impl TxFilters {
    /// Whether a filter leaves rows out (the sort leaves none out).
    pub fn is_filtered(&self) -> bool {
        !self.text.is_empty() || self.sector.is_some() || self.year.is_some()
    }

    /// The next sort `s` offers: date newest first, oldest first, amount largest first, smallest first.
    pub fn next_sort(&mut self) {
        self.sort = match self.sort {
            TxSort::DateDesc => TxSort::DateAsc,
            TxSort::DateAsc => TxSort::AmountDesc,
            TxSort::AmountDesc => TxSort::AmountAsc,
            TxSort::AmountAsc => TxSort::DateDesc,
        };
    }

    /// The next sector `f` offers; after the last, all of them again.
    pub fn next_sector(&mut self) {
        self.sector = match self.sector {
            None => Some(Sector::ALL[0]),
            Some(s) => Sector::ALL.iter().position(|x| *x == s).and_then(|i| Sector::ALL.get(i + 1).copied()),
        };
    }

    /// `[` (`older`) and `]` step the year between `first` and `last`; past `last`, all time again.
    pub fn step_year(&mut self, first: i32, last: i32, older: bool) {
        self.year = match (self.year, older) {
            (None, true) => Some(last),
            (None, false) => None,
            (Some(y), true) => Some((y - 1).max(first)),
            (Some(y), false) if y >= last => None,
            (Some(y), false) => Some(y + 1),
        };
    }

    pub fn query(&self, cursor: Option<String>, limit: u32) -> TransactionsQuery {
        TransactionsQuery {
            limit: Some(limit),
            cursor,
            sector: self.sector,
            kind: None,
            from: self.year.map(|y| format!("{y:04}-01-01")),
            to: self.year.map(|y| format!("{y:04}-12-31")),
            q: Some(self.text.trim().to_owned()).filter(|q| !q.is_empty()),
            sort: Some(self.sort),
            at: None,
        }
    }
}

/// The window of the history the app holds: a few pages around the selection.
#[derive(Debug, Clone, Default)]
pub struct TxTable {
    /// Bumped when the filters change, so late pages of the old query are dropped.
    pub generation: u64,
    pub total: Option<u64>,
    pub selected: usize,
    /// First row on screen.
    pub offset: usize,
    pub pages: BTreeMap<usize, Vec<Transaction>>,
    /// `cursors[p]` fetches page p; known once page p−1 has arrived.
    pub cursors: Vec<Option<String>>,
    pub loading: Option<usize>,
    pub error: Option<String>,
}

impl TxTable {
    pub fn reset(&mut self) {
        *self = TxTable { generation: self.generation + 1, cursors: vec![None], ..TxTable::default() };
    }

    pub fn row(&self, index: usize) -> Option<&Transaction> {
        self.pages.get(&(index / PAGE_SIZE as usize)).and_then(|p| p.get(index % PAGE_SIZE as usize))
    }

    pub fn loaded_rows(&self) -> usize {
        self.pages.values().map(Vec::len).sum()
    }

    /// The last row there is; rows not fetched yet show as loading.
    fn max_index(&self) -> usize {
        (self.total.unwrap_or(0) as usize).saturating_sub(1)
    }

    /// The page to fetch next, if any. A page far ahead is reached by walking
    /// forward from the last page whose cursor is known: keyset paging has no jumps.
    pub fn wanted_page(&self) -> Option<usize> {
        if self.loading.is_some() {
            return None;
        }
        let page = self.selected / PAGE_SIZE as usize;
        if !self.pages.contains_key(&page) {
            if page < self.cursors.len() {
                return Some(page);
            }
            let walk = self.cursors.len().checked_sub(1)?;
            return (!self.pages.contains_key(&walk)).then_some(walk);
        }
        let within = self.selected % PAGE_SIZE as usize;
        let candidates = [
            (within + PREFETCH_ROWS >= PAGE_SIZE as usize).then_some(page + 1),
            (within < PREFETCH_ROWS && page > 0).then(|| page - 1),
        ];
        candidates.into_iter().flatten().find(|p| !self.pages.contains_key(p) && *p < self.cursors.len())
    }

    pub fn receive(&mut self, page: usize, result: TransactionPage) {
        self.loading = None;
        self.error = None;
        self.total = Some(result.total_count);
        if page + 1 == self.cursors.len()
            && let Some(next) = result.next_cursor
        {
            self.cursors.push(Some(next));
        }
        self.pages.insert(page, result.items);
        let keep = self.selected / PAGE_SIZE as usize;
        self.pages.retain(|p, _| p.abs_diff(keep) <= KEEP_PAGES);
    }

    /// Moves the selection by `delta` rows and keeps it on screen (`height` rows).
    pub fn move_by(&mut self, delta: isize, height: usize) {
        let max = self.max_index();
        self.selected = self.selected.saturating_add_signed(delta).min(max);
        self.scroll_into_view(height);
    }

    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::TxStatus;
    use crate::domain::Money;

    fn tx(id: i64) -> Transaction {
        Transaction {
            id,
            date: "2026-01-01".into(),
            sector: Sector::Passports,
            service_code: "exit_reentry_single".into(),
            service_ar: "".into(),
            service_en: "".into(),
            kind: crate::domain::TxKind::Usage,
            amount: Money::from_riyals(200),
            beneficiary_id: "1057830869".into(),
            reference: "r".into(),
            status: TxStatus::Settled,
        }
    }

    fn page(start: i64, n: usize, next: bool, total: u64) -> TransactionPage {
        TransactionPage {
            items: (0..n as i64).map(|i| tx(start + i)).collect(),
            next_cursor: next.then(|| format!("c{start}")),
            prev_cursor: None,
            total_count: total,
            position: start as u64,
        }
    }

    /// A table as a new query starts it: the first page's cursor known.
    fn fresh() -> TxTable {
        let mut t = TxTable::default();
        t.reset();
        t
    }

    #[test]
    fn the_table_holds_only_pages_near_the_selection() {
        let mut t = fresh();
        assert_eq!(t.wanted_page(), Some(0));
        let total = 100_000;
        for p in 0..30 {
            t.loading = t.wanted_page();
            assert_eq!(t.loading, Some(p), "pages arrive in order while scrolling down");
            t.receive(p, page(p as i64 * 100, 100, true, total));
            t.move_by(100, 20);
        }
        assert!(t.pages.len() <= 2 * KEEP_PAGES + 1, "{} pages held", t.pages.len());
        assert!(t.loaded_rows() <= (2 * KEEP_PAGES + 1) * PAGE_SIZE as usize);
        assert!(t.row(t.selected).is_some() || t.wanted_page().is_some());
        // Scrolling back up asks again for a dropped page, with its kept cursor.
        t.move_by(-3000, 20);
        assert_eq!(t.wanted_page(), Some(0));
        assert_eq!(t.cursors[0], None);
    }

    #[test]
    fn a_far_row_is_reached_by_walking_pages_forward() {
        let mut t = fresh();
        t.receive(0, page(0, 100, true, 100_000));
        t.move_by(5_000, 20);
        assert_eq!(t.selected, 5_000, "the selection goes ahead; its rows show as loading");
        for p in 1..=50 {
            t.loading = t.wanted_page();
            assert_eq!(t.loading, Some(p), "page {p} is next on the walk");
            t.receive(p, page(p as i64 * 100, 100, true, 100_000));
        }
        assert!(t.row(5_000).is_some());
        assert!(t.pages.len() <= 2 * KEEP_PAGES + 1, "pages passed on the way are dropped");
    }

    #[test]
    fn selection_stops_at_the_last_row() {
        let mut t = fresh();
        t.receive(0, page(0, 42, false, 42));
        t.move_by(1000, 10);
        assert_eq!(t.selected, 41);
        assert!(t.offset <= 41 && t.offset + 10 > 41);
        t.move_by(-1000, 10);
        assert_eq!((t.selected, t.offset), (0, 0));
    }

    #[test]
    fn the_filter_keys_step_through_sorts_sectors_and_years() {
        let mut f = TxFilters::default();
        let sorts: Vec<TxSort> = (0..4)
            .map(|_| {
                f.next_sort();
                f.sort
            })
            .collect();
        assert_eq!(sorts, [TxSort::DateAsc, TxSort::AmountDesc, TxSort::AmountAsc, TxSort::DateDesc]);
        for expected in Sector::ALL.iter().copied().map(Some).chain([None]) {
            f.next_sector();
            assert_eq!(f.sector, expected);
        }
        f.step_year(2020, 2026, true);
        assert_eq!(f.year, Some(2026), "[ starts from this year");
        f.step_year(2020, 2026, false);
        assert_eq!(f.year, None, "] past this year is all time again");
        f.year = Some(2020);
        f.step_year(2020, 2026, true);
        assert_eq!(f.year, Some(2020), "never before the first year");
    }
}
