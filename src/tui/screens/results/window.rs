//! The window of a history the app holds: the filters that make its query,
//! and a few pages around the selected row, fetched by cursor as the user
//! moves and dropped when far behind. No drawing here: the views read it.

use std::collections::BTreeMap;

use crate::api::{Transaction, TransactionPage, TransactionsQuery, TxSort};
use crate::domain::{HijriDate, Sector};

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
    /// A Hijri (Umm al-Qura) year instead of the Gregorian one.
    pub hijri_year: Option<i32>,
    pub sort: TxSort,
}

impl TxFilters {
    /// Whether a filter leaves rows out (the sort leaves none out).
    pub fn is_filtered(&self) -> bool {
        !self.text.is_empty() || self.sector.is_some() || self.year.is_some() || self.hijri_year.is_some()
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
        self.hijri_year = None;
        self.year = step(self.year, first, last, older);
    }

    /// `{` and `}` step the Hijri year the same way; the two years do not stack.
    pub fn step_hijri_year(&mut self, first: i32, last: i32, older: bool) {
        self.year = None;
        self.hijri_year = step(self.hijri_year, first, last, older);
    }

    /// The days the chosen year covers, first and last.
    fn days(&self) -> Option<(String, String)> {
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        match (self.year, self.hijri_year) {
            (Some(y), _) => Some((format!("{y:04}-01-01"), format!("{y:04}-12-31"))),
            (None, Some(h)) => HijriDate::year_range(h).map(|(first, last)| (day(first), day(last))),
            (None, None) => None,
        }
    }

    pub fn query(&self, cursor: Option<String>, limit: u32) -> TransactionsQuery {
        let days = self.days();
        TransactionsQuery {
            limit: Some(limit),
            cursor,
            sector: self.sector,
            kind: None,
            from: days.as_ref().map(|d| d.0.clone()),
            to: days.map(|d| d.1),
            q: Some(self.text.trim().to_owned()).filter(|q| !q.is_empty()),
            sort: Some(self.sort),
            at: None,
        }
    }
}

/// A year stepped between `first` and `last`; past `last`, all time again.
fn step(year: Option<i32>, first: i32, last: i32, older: bool) -> Option<i32> {
    match (year, older) {
        (None, true) => Some(last),
        (None, false) => None,
        (Some(y), true) => Some((y - 1).max(first)),
        (Some(y), false) if y >= last => None,
        (Some(y), false) => Some(y + 1),
    }
}

/// What a fetch of a page is for, so its answer lands in the right place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetch {
    /// The first page (a new query, or Home).
    First,
    /// The last page, read as the first page of the reverse sort (End).
    Last,
    /// The page from a day on (`g`), in the order newest first or not.
    Day { day: String, newest_first: bool },
    /// The page after the held one that ends before this row.
    After(usize),
    /// The page before the held one that starts at this row.
    Before(usize),
}

/// A page held, with the cursors that fetch its neighbours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Held {
    pub rows: Vec<Transaction>,
    pub next: Option<String>,
    pub prev: Option<String>,
}

/// The window of the history the app holds: a few pages around the selection, each at the
/// index the server says its first row has, so a jump to either end or to a day lands where it
/// is in the whole history and the pages around it are fetched either way.
#[derive(Debug, Clone, Default)]
pub struct TxTable {
    /// Bumped when the filters change, so late pages of the old query are dropped.
    pub generation: u64,
    pub total: Option<u64>,
    pub selected: usize,
    /// First row on screen.
    pub offset: usize,
    /// The pages held, by the index of their first row.
    pub pages: BTreeMap<usize, Held>,
    /// The fetch in flight and its number; only its answer is taken.
    pub loading: Option<(u64, Fetch)>,
    /// Numbers the fetches.
    pub fetches: u64,
}

impl TxTable {
    pub fn reset(&mut self) {
        *self = TxTable { generation: self.generation + 1, fetches: self.fetches, ..TxTable::default() };
    }

    /// The held page that holds row `index`, and the index of its first row.
    fn page_of(&self, index: usize) -> Option<(usize, &Held)> {
        self.pages.range(..=index).rev().map(|(s, h)| (*s, h)).find(|(s, h)| index < s + h.rows.len())
    }

    pub fn row(&self, index: usize) -> Option<&Transaction> {
        self.page_of(index).and_then(|(start, held)| held.rows.get(index - start))
    }

    pub fn loaded_rows(&self) -> usize {
        self.pages.values().map(|h| h.rows.len()).sum()
    }

    /// The last row there is; rows not fetched yet show as loading.
    fn max_index(&self) -> usize {
        (self.total.unwrap_or(0) as usize).saturating_sub(1)
    }

    /// Starts `fetch`: its number, for the answer to be matched with.
    pub fn begin(&mut self, fetch: Fetch) -> u64 {
        self.fetches += 1;
        self.loading = Some((self.fetches, fetch));
        self.fetches
    }

    /// The page to fetch next for the selection, and the cursor that fetches it. A row far from
    /// the held pages is walked to from the nearest of them, or fetched from the nearer end.
    pub fn wanted(&self) -> Option<(Fetch, Option<String>)> {
        if self.loading.is_some() || self.total.is_none() {
            return None;
        }
        let sel = self.selected;
        if let Some((start, held)) = self.page_of(sel) {
            let end = start + held.rows.len();
            let ahead =
                (sel + PREFETCH_ROWS >= end && (end as u64) < self.total.unwrap_or(0) && self.row(end).is_none())
                    .then(|| held.next.clone().map(|c| (Fetch::After(end), Some(c))))
                    .flatten();
            let behind = (sel < start + PREFETCH_ROWS && start > 0 && self.row(start - 1).is_none())
                .then(|| held.prev.clone().map(|c| (Fetch::Before(start), Some(c))))
                .flatten();
            return ahead.or(behind);
        }
        let above = self.pages.range(..sel).rev().find_map(|(s, h)| {
            let end = s + h.rows.len();
            h.next.clone().map(|c| (sel - end.min(sel), Fetch::After(end), c))
        });
        let below =
            self.pages.range(sel + 1..).find_map(|(s, h)| h.prev.clone().map(|c| (s - sel, Fetch::Before(*s), c)));
        let nearest = match (above, below) {
            (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
            (a, b) => a.or(b),
        };
        match nearest {
            Some((_, fetch, cursor)) => Some((fetch, Some(cursor))),
            // Nothing held to walk from: the nearer end.
            None if self.total == Some(0) => None,
            None if sel <= self.max_index() - sel => Some((Fetch::First, None)),
            None => Some((Fetch::Last, None)),
        }
    }

    /// Takes the answer to fetch number `id`; `false` when it is not the one in flight.
    pub fn receive(&mut self, id: u64, result: TransactionPage, height: usize) -> bool {
        let Some((_, fetch)) = self.loading.take_if(|(n, _)| *n == id) else { return false };
        self.total = Some(result.total_count);
        let total = result.total_count as usize;
        let (start, held) = match fetch {
            // The reverse sort's first page, turned round: nothing follows it, and its
            // `next_cursor` walks up from it.
            Fetch::Last => {
                let mut rows = result.items;
                rows.reverse();
                (total.saturating_sub(rows.len()), Held { rows, next: None, prev: result.next_cursor })
            }
            _ => {
                let held = Held { rows: result.items, next: result.next_cursor, prev: result.prev_cursor };
                // A server's position past its own count would place rows outside the table.
                let start =
                    usize::try_from(result.position).unwrap_or(usize::MAX).min(total.saturating_sub(held.rows.len()));
                (start, held)
            }
        };
        let n = held.rows.len();
        if n == 0 {
            // Nothing where rows were expected (rows gone since): no walk on from here.
            match fetch {
                Fetch::Before(at) => {
                    if let Some(below) = self.pages.get_mut(&at) {
                        below.prev = None;
                    }
                }
                _ => self.total = Some(start.min(total) as u64),
            }
            self.selected = self.selected.min(self.max_index());
            self.scroll_into_view(height);
            return true;
        }
        let landed = match &fetch {
            Fetch::First => Some(0),
            Fetch::Last => Some(self.max_index()),
            // A day past the last row lands on the last rows, and on the last of them.
            Fetch::Day { day, newest_first } => {
                let first = held.rows[0].date.as_str();
                let past = if *newest_first { first > day.as_str() } else { first < day.as_str() };
                Some(if past { start + n - 1 } else { start })
            }
            Fetch::After(_) | Fetch::Before(_) => None,
        };
        self.pages.insert(start, held);
        if let Some(row) = landed {
            self.selected = row.min(self.max_index());
            self.offset = match fetch {
                // The row a day lands on heads the view, unless the history ends before the view does.
                Fetch::Day { .. } => self.selected.min(total.saturating_sub(height)),
                _ => self.offset.min(self.selected),
            };
        }
        let sel = self.selected;
        let keep = KEEP_PAGES * PAGE_SIZE as usize;
        // The page just come stays even when far: a walk to the selection goes on from it.
        self.pages.retain(|s, h| *s == start || (s + h.rows.len() + keep > sel && *s <= sel + keep));
        self.scroll_into_view(height);
        true
    }

    /// Drops what is held for a jump: the pages are far from where the selection goes.
    pub fn clear(&mut self) {
        self.pages.clear();
        self.loading = None;
    }

    /// Moves the selection by `delta` rows and keeps it on screen (`height` rows).
    pub fn move_by(&mut self, delta: isize, height: usize) {
        let max = self.max_index();
        self.selected = self.selected.saturating_add_signed(delta).min(max);
        self.scroll_into_view(height);
    }

    pub fn scroll_into_view(&mut self, height: usize) {
        self.offset = crate::tui::widgets::offset_showing(self.selected, self.offset, height);
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

    /// Rows `start..start + n` of a history of `total`, with the cursors the server would send.
    fn page(start: usize, n: usize, total: u64) -> TransactionPage {
        let n = n.min(total as usize - start);
        TransactionPage {
            items: (start..start + n).map(|i| tx(i as i64)).collect(),
            next_cursor: ((start + n) < total as usize).then(|| format!("after {}", start + n - 1)),
            prev_cursor: (start > 0).then(|| format!("before {start}")),
            total_count: total,
            position: start as u64,
        }
    }

    /// A table as a new query starts it: the first page asked for.
    fn fresh() -> (TxTable, u64) {
        let mut t = TxTable::default();
        t.reset();
        let id = t.begin(Fetch::First);
        (t, id)
    }

    /// Answers what the table wants until it wants nothing; the fetches it made.
    fn settle(t: &mut TxTable, total: u64) -> Vec<Fetch> {
        let mut made = vec![];
        while let Some((fetch, cursor)) = t.wanted() {
            let start = match (&fetch, cursor.as_deref()) {
                (Fetch::After(end), Some(c)) => {
                    assert_eq!(c, format!("after {}", end - 1), "the cursor of the page before");
                    *end
                }
                (Fetch::Before(start), Some(c)) => {
                    assert_eq!(c, format!("before {start}"), "the cursor of the page after");
                    start.saturating_sub(PAGE_SIZE as usize)
                }
                other => panic!("{other:?}"),
            };
            let n = match fetch {
                Fetch::Before(end) => end - start,
                _ => PAGE_SIZE as usize,
            };
            let id = t.begin(fetch.clone());
            made.push(fetch);
            assert!(t.receive(id, page(start, n, total), 20));
        }
        made
    }

    #[test]
    fn the_table_holds_only_pages_near_the_selection() {
        let (mut t, id) = fresh();
        let total = 100_000;
        t.receive(id, page(0, 100, total), 20);
        for _ in 0..30 {
            t.move_by(100, 20);
            settle(&mut t, total);
        }
        assert!(t.pages.len() <= 2 * KEEP_PAGES + 1, "{} pages held", t.pages.len());
        assert!(t.loaded_rows() <= (2 * KEEP_PAGES + 1) * PAGE_SIZE as usize);
        assert!(t.row(t.selected).is_some());
        // Scrolling back up asks for the dropped pages above with the kept cursors.
        t.move_by(-1000, 20);
        let made = settle(&mut t, total);
        assert!(made.iter().all(|f| matches!(f, Fetch::Before(_))), "{made:?}");
        assert!(t.row(t.selected).is_some());
    }

    #[test]
    fn a_day_lands_where_the_server_says_and_the_rows_above_are_fetched_by_prev_cursor() {
        let (mut t, _) = fresh();
        let total = 1_134_682;
        let id = t.begin(Fetch::Day { day: "2024-01-01".into(), newest_first: true });
        let mut landing = page(812_344, 100, total);
        landing.items[0].date = "2023-12-31".into();
        assert!(t.receive(id, landing, 20));
        assert_eq!((t.selected, t.offset), (812_344, 812_344), "the landing row heads the view");
        assert!(t.row(812_344).is_some());
        // Scrolling up from the landing fetches the page above, by its prev_cursor.
        t.move_by(-1, 20);
        assert_eq!(t.wanted(), Some((Fetch::Before(812_344), Some("before 812344".into()))));
        let made = settle(&mut t, total);
        assert_eq!(made, [Fetch::Before(812_344)]);
        assert!(t.row(812_343).is_some() && t.row(812_244).is_some());
        // A late answer to a fetch no longer in flight is not taken.
        assert!(!t.receive(id, page(0, 100, total), 20));
    }

    #[test]
    fn a_day_past_the_last_row_lands_on_the_last_row_and_the_last_page_is_the_reverse_first() {
        let (mut t, _) = fresh();
        let id = t.begin(Fetch::Day { day: "1990-01-01".into(), newest_first: true });
        assert!(t.receive(id, page(900, 100, 1000), 20));
        assert_eq!(t.selected, 999, "a day older than every row: the oldest row");
        assert_eq!(t.offset, 980, "the view ends with the history");
        let id = t.begin(Fetch::Last);
        let mut reverse = page(0, 100, 1000);
        reverse.prev_cursor = None;
        reverse.next_cursor = Some("reverse after 99".into());
        assert!(t.receive(id, reverse, 20));
        assert_eq!(t.selected, 999);
        assert_eq!(t.row(999).map(|r| r.id), Some(0), "the reverse sort's first row is the last row");
        assert_eq!(t.pages[&900].prev.as_deref(), Some("reverse after 99"), "its next_cursor walks up");
        assert_eq!(t.pages[&900].next, None);
    }

    #[test]
    fn a_far_row_is_reached_by_walking_pages_forward() {
        let (mut t, id) = fresh();
        t.receive(id, page(0, 100, 100_000), 20);
        t.move_by(5_000, 20);
        assert_eq!(t.selected, 5_000, "the selection goes ahead; its rows show as loading");
        let made = settle(&mut t, 100_000);
        assert_eq!(made.len(), 50, "{made:?}");
        assert!(t.row(5_000).is_some());
        assert!(t.pages.len() <= 2 * KEEP_PAGES + 1, "pages passed on the way are dropped");
    }

    #[test]
    fn selection_stops_at_the_last_row() {
        let (mut t, id) = fresh();
        t.receive(id, page(0, 42, 42), 10);
        t.move_by(1000, 10);
        assert_eq!(t.selected, 41);
        assert!(t.offset <= 41 && t.offset + 10 > 41);
        t.move_by(-1000, 10);
        assert_eq!((t.selected, t.offset), (0, 0));
        assert_eq!(t.wanted(), None);
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
        f.step_hijri_year(1441, 1448, true);
        assert_eq!((f.year, f.hijri_year), (None, Some(1448)), "a Hijri year takes the Gregorian one's place");
        let q = f.query(None, 100);
        // 1 Muharram 1448 is 2026-06-16; 29 Dhu al-Hijjah 1448 is 2027-06-05 (Umm al-Qura).
        assert_eq!((q.from.as_deref(), q.to.as_deref()), (Some("2026-06-16"), Some("2027-06-05")));
        f.step_year(2020, 2026, true);
        assert_eq!((f.year, f.hijri_year), (Some(2026), None));
    }
}
