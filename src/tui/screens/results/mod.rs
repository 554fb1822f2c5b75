//! Results: balances per sector, spend totals, spending by month, and the
//! transactions, fetched a page at a time as the user scrolls.

mod goto;
mod keys;
mod overview;
mod transactions;
pub mod window;

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::api::{
    BalanceReport, Document, ErrorCode, Secret, Spending, SpendingPeriod, SpendingPoint, TransactionPage,
};
use crate::client::ClientError;
use crate::tui::app::{Cmd, Hit, Model, NoticeKind, Says, Value};
use crate::tui::canvas::ViewCache;
use crate::tui::format;
use crate::tui::strings::{self, T};
use crate::tui::widgets::{self, TextField};

pub use goto::parse_day;
pub use keys::{GOTO_KEYS, KEYS, on_click, on_key, status_keys};
pub use overview::spend_totals;
pub use window::{Fetch, Held, PAGE_SIZE, TxFilters, TxTable};

/// Below this height the overview and the transactions take turns (Tab).
pub const STACK_MIN_HEIGHT: u16 = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Overview,
    Transactions,
}

/// What keys do on the screen, by what is open on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Browsing,
    /// The `/` filter is being typed.
    Filtering,
    /// A transaction's detail is open.
    Detail,
    /// The list of every document is open.
    Documents,
    /// The export asks for a format.
    Exporting,
    /// The go-to-date field is being typed.
    GoingTo,
}

#[derive(Debug, Clone)]
pub struct ResultsScreen {
    pub token: Secret,
    pub report: BalanceReport,
    pub by_month: Option<Vec<SpendingPoint>>,
    pub by_hijri_month: Option<Vec<SpendingPoint>>,
    pub pane: Pane,
    pub filters: TxFilters,
    pub table: TxTable,
    pub detail: bool,
    pub export_prompt: bool,
    /// The `/` filter being typed.
    pub filter_edit: Option<TextField>,
    /// The day typed after `g`.
    pub goto_edit: Option<TextField>,
    /// The person's documents and when they run out: `None` until they arrive, what failed if they cannot.
    pub documents: Option<Result<Vec<Document>, Says>>,
    /// The list of every document (`d`) is open, this far down.
    pub documents_at: Option<usize>,
    /// The rows on screen and the filters they were fetched with, kept while a new query or a
    /// jump is on its way: when it fails, the screen stays as it was.
    pub kept: Option<Box<(TxFilters, TxTable)>>,
    /// A text search the server refused as too broad: the year and sector keys narrow it, `/` edits it.
    pub broad_text: Option<String>,
}

impl ResultsScreen {
    pub fn open(report: BalanceReport, token: Secret) -> (ResultsScreen, Vec<Cmd>) {
        let id = report.subject.id_number.clone();
        let mut screen = ResultsScreen {
            token: token.clone(),
            report,
            by_month: None,
            by_hijri_month: None,
            pane: Pane::Overview,
            filters: TxFilters::default(),
            table: TxTable::default(),
            detail: false,
            export_prompt: false,
            filter_edit: None,
            goto_edit: None,
            documents: None,
            documents_at: None,
            kept: None,
            broad_text: None,
        };
        let mut cmds = screen.refilter();
        for by in [SpendingPeriod::Month, SpendingPeriod::HijriMonth] {
            cmds.push(Cmd::FetchSpending { token: token.clone(), id_number: id.clone(), by });
        }
        cmds.push(Cmd::FetchDocuments { token, id_number: id });
        (screen, cmds)
    }

    pub fn mode(&self) -> Mode {
        if self.goto_edit.is_some() {
            Mode::GoingTo
        } else if self.filter_edit.is_some() {
            Mode::Filtering
        } else if self.detail {
            Mode::Detail
        } else if self.documents_at.is_some() {
            Mode::Documents
        } else if self.export_prompt {
            Mode::Exporting
        } else {
            Mode::Browsing
        }
    }

    fn fetch_wanted(&mut self) -> Option<Cmd> {
        let (fetch, cursor) = self.table.wanted()?;
        Some(self.fetch(fetch, cursor))
    }

    fn fetch(&mut self, fetch: Fetch, cursor: Option<String>) -> Cmd {
        let mut query = self.filters.query(cursor, PAGE_SIZE);
        match &fetch {
            Fetch::Last => query.sort = Some(self.filters.sort.reversed()),
            Fetch::Day { day, .. } => query.at = Some(day.clone()),
            _ => {}
        }
        let fetch = self.table.begin(fetch);
        Cmd::FetchTransactions {
            token: self.token.clone(),
            id_number: self.report.subject.id_number.clone(),
            query,
            generation: self.table.generation,
            fetch,
        }
    }

    fn refilter(&mut self) -> Vec<Cmd> {
        self.table.reset();
        vec![self.fetch(Fetch::First, None)]
    }

    /// Keeps what is on screen for a request that replaces it; while one is already on its way,
    /// the screen still shows what was kept before it.
    fn keep_shown(&mut self) {
        self.keep(self.table.clone());
    }

    fn keep(&mut self, table: TxTable) {
        // Before the first page there is nothing on screen to keep.
        if self.kept.is_none() && table.total.is_some() {
            self.kept = Some(Box::new((self.filters.clone(), table)));
        }
    }

    /// Changes the filters and starts over, the rows on screen kept until the new ones come.
    /// `narrows` carries a refused search on into the narrower query.
    fn requery(&mut self, narrows: bool, change: impl FnOnce(&mut TxFilters)) -> Vec<Cmd> {
        self.keep_shown();
        let refused = self.broad_text.take();
        change(&mut self.filters);
        if let Some(text) = refused.filter(|_| narrows) {
            self.filters.text = text;
        }
        self.refilter()
    }

    /// The rows and filters to draw: what was kept while a new query is on its way. A jump shows
    /// where it goes at once; its rows come in as they arrive.
    pub fn shown(&self) -> (&TxFilters, &TxTable) {
        match &self.kept {
            Some(kept) if self.table.total.is_none() => (&kept.0, &kept.1),
            _ => (&self.filters, &self.table),
        }
    }

    /// The request replacing the screen failed: back to what was kept.
    fn restore(&mut self) {
        if let Some(kept) = self.kept.take() {
            let (filters, table) = *kept;
            let (generation, fetches) = (self.table.generation, self.table.fetches);
            self.filters = filters;
            // Numbers only grow, so no late answer matches the table again; a page that was on its
            // way for the kept rows was dropped meanwhile, and is asked for again when needed.
            self.table = TxTable { generation, fetches, loading: None, ..table };
        }
    }

    /// Home: the first row, fetched at once unless it is held.
    fn home(&mut self, height: usize) -> Vec<Cmd> {
        let before = self.table.clone();
        self.table.move_by(isize::MIN / 2, height);
        if self.table.row(0).is_some() || self.table.total.is_none() {
            return self.fetch_wanted().into_iter().collect();
        }
        self.keep(before);
        self.table.clear();
        vec![self.fetch(Fetch::First, None)]
    }

    /// End: the last row, fetched at once (the reverse sort's first page) unless it is held.
    fn end(&mut self, height: usize) -> Vec<Cmd> {
        let before = self.table.clone();
        self.table.move_by(isize::MAX / 2, height);
        if self.table.total.is_none_or(|t| t == 0) || self.table.row(self.table.selected).is_some() {
            return self.fetch_wanted().into_iter().collect();
        }
        self.keep(before);
        self.table.clear();
        vec![self.fetch(Fetch::Last, None)]
    }

    /// The page from `day` on, where the selection lands when it comes.
    fn go_to(&mut self, day: NaiveDate) -> Vec<Cmd> {
        self.keep_shown();
        self.table.clear();
        let day = day.format("%Y-%m-%d").to_string();
        let newest_first = self.filters.sort == crate::api::TxSort::DateDesc;
        vec![self.fetch(Fetch::Day { day, newest_first }, None)]
    }

    /// Years the period stepper offers: from the oldest spending to this year.
    fn years(&self, today: NaiveDate) -> (i32, i32) {
        let first = self
            .by_month
            .as_ref()
            .and_then(|s| s.first())
            .and_then(|p| p.period.get(..4))
            .and_then(|y| y.parse().ok())
            .unwrap_or(today.year() - 10);
        (first, today.year())
    }

    /// Hijri years the stepper offers: those of the Gregorian ones.
    fn hijri_years(&self, today: NaiveDate) -> (i32, i32) {
        let (first, _) = self.years(today);
        let hijri = |d: Option<NaiveDate>| d.and_then(crate::domain::HijriDate::from_gregorian).map(|h| h.year);
        let last = hijri(Some(today)).unwrap_or(1448);
        (hijri(NaiveDate::from_ymd_opt(first, 1, 1)).unwrap_or(last - 10), last)
    }
}

pub fn is_typing(model: &Model) -> bool {
    model.results.as_ref().is_some_and(|r| matches!(r.mode(), Mode::Filtering | Mode::GoingTo))
}

/// Rows the transactions table shows at the current terminal size.
pub fn table_height(model: &Model) -> usize {
    let (_, h) = model.size;
    // Title, notice and status lines, the subject header, the table's border and heading, the filter line.
    let chrome = 3 + 2 + 3 + 1;
    let overview = if h >= STACK_MIN_HEIGHT { 18 } else { 1 };
    usize::from(h.saturating_sub(chrome + overview)).max(1)
}

/// How many documents the list `d` opens shows at once: two lines each, inside a border, under
/// the title and over the notice and status lines.
pub fn documents_per_page(model: &Model) -> usize {
    usize::from(model.size.1.saturating_sub(3 + 2) / 2).max(1)
}

pub fn on_page(
    model: &mut Model,
    generation: u64,
    fetch: u64,
    result: Result<TransactionPage, ClientError>,
) -> Vec<Cmd> {
    let lost = result.as_ref().err().is_some_and(|e| model.session_lost(e));
    if lost {
        return model.end_session(T::SessionRefused);
    }
    let height = table_height(model);
    let Some(r) = model.results.as_mut().filter(|r| r.table.generation == generation) else { return vec![] };
    match result {
        Ok(p) => {
            let replacing = r
                .table
                .loading
                .as_ref()
                .is_some_and(|(n, f)| *n == fetch && !matches!(f, Fetch::After(_) | Fetch::Before(_)));
            if !r.table.receive(fetch, p, height) {
                return vec![];
            }
            r.kept = None;
            // New rows answer the failure the notice spoke of.
            if replacing && model.notice.as_ref().is_some_and(|n| n.kind == NoticeKind::Error) {
                model.notice = None;
            }
            model.last_activity_ms = model.now_ms;
        }
        Err(err) => {
            if r.table.loading.as_ref().is_none_or(|(n, _)| *n != fetch) {
                return vec![];
            }
            r.table.loading = None;
            let says = match too_broad(&err, &r.filters) {
                Some(search) => {
                    r.broad_text = Some(search.to_owned());
                    search_too_broad(search)
                }
                None => Says::from(&err),
            };
            r.restore();
            // The notice line wraps: a long message is read whole, not cut at the table's edge.
            model.error(says);
            return vec![];
        }
    }
    let Some(r) = model.results.as_mut() else { return vec![] };
    r.fetch_wanted().into_iter().collect()
}

/// The text of a search the server refused as too broad. The API says so with `bad_request` and
/// English words only; the app's own queries are otherwise well formed (dates it made, cursors
/// the server gave, a search no longer than the server takes), so a text search refused this way
/// is one that would read too many rows.
fn too_broad<'a>(err: &ClientError, filters: &'a TxFilters) -> Option<&'a str> {
    (err.code() == Some(ErrorCode::BadRequest) && !filters.text.is_empty()).then_some(filters.text.as_str())
}

/// How to narrow a refused search, with this screen's keys.
pub fn search_too_broad(text: &str) -> Says {
    let args = [("text", text), ("year", "[ ]"), ("hijri", "{ }"), ("sector", "f")];
    Says::With(T::SearchTooBroad, args.map(|(name, v)| (name, Value::Str(v.to_owned()))).to_vec())
}

pub fn on_spending(model: &mut Model, by: SpendingPeriod, result: Result<Spending, ClientError>) -> Vec<Cmd> {
    match result {
        Ok(s) => {
            if let Some(r) = model.results.as_mut() {
                match by {
                    SpendingPeriod::Month => r.by_month = Some(s.series),
                    SpendingPeriod::HijriMonth => r.by_hijri_month = Some(s.series),
                    SpendingPeriod::Year => {}
                }
            }
            vec![]
        }
        Err(err) => model.call_failed(&err),
    }
}

pub fn on_documents(model: &mut Model, id_number: &str, result: Result<Vec<Document>, ClientError>) -> Vec<Cmd> {
    if result.as_ref().err().is_some_and(|e| model.session_lost(e)) {
        return model.end_session(T::SessionRefused);
    }
    if let Some(r) = model.results.as_mut().filter(|r| r.report.subject.id_number == id_number) {
        r.documents = Some(result.map_err(|err| Says::from(&err)));
    }
    vec![]
}

pub fn on_exported(model: &mut Model, result: Result<(String, usize), String>) -> Vec<Cmd> {
    match result {
        Ok((path, n)) => {
            model.info(Says::With(T::Exported, vec![("n", Value::Num(n as i64)), ("path", Value::Str(path))]))
        }
        Err(err) => model.error(Says::With(T::ExportFailed, vec![("err", Value::Str(err))])),
    }
    vec![]
}

/// An amount against the right edge of its column, so decimal points line up. Right to left,
/// the bidi pass mirrors each row, so the amount is drawn against the left edge to end on the right.
pub(super) fn amount_line<'a>(model: &Model, text: impl Into<std::borrow::Cow<'a, str>>) -> Line<'a> {
    let line = Line::from(text.into());
    if model.mirrored() { line.left_aligned() } else { line.right_aligned() }
}

pub fn view(frame: &mut Frame, area: Rect, model: &Model, cache: &mut ViewCache) {
    let Some(r) = &model.results else { return };
    let lang = model.lang;
    let [header, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    let subject = &r.report.subject;
    let kind = format::person_kind(lang, subject.kind);
    let as_of = format::as_of(lang, &r.report.as_of);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(
                    strings::pick(lang, &subject.name_en, &subject.name_ar).into_owned(),
                    model.palette().emphasis,
                ),
                Span::raw(format!("  {}  ·  {kind}", subject.id_number)),
            ]),
            Line::from(format!("{}: {as_of}", model.t(T::AsOf))),
        ]),
        header,
    );
    if body.height >= STACK_MIN_HEIGHT - 6 {
        let [overview, table] = Layout::vertical([Constraint::Length(18), Constraint::Min(3)]).areas(body);
        overview::draw(frame, overview, model, r);
        transactions::draw(frame, table, model, r, cache);
    } else {
        let [tabs, content] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
        let tab = |t: T, active: bool| {
            let style = if active { model.palette().selected } else { model.palette().dim };
            Span::styled(format!(" {} ", model.t(t)), style)
        };
        let overview = tab(T::Overview, r.pane == Pane::Overview);
        let transactions = tab(T::Transactions, r.pane == Pane::Transactions);
        let first = overview.width() as u16;
        cache.hit(Rect { width: first, ..tabs }, Hit::Tab(0));
        cache.hit(Rect { x: tabs.x + first + 1, width: transactions.width() as u16, ..tabs }, Hit::Tab(1));
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                overview,
                Span::raw(" "),
                transactions,
                Span::styled("  (Tab)", model.palette().dim),
            ])),
            tabs,
        );
        match r.pane {
            Pane::Overview => overview::draw(frame, content, model, r),
            Pane::Transactions => transactions::draw(frame, content, model, r, cache),
        }
    }
    if r.detail {
        transactions::draw_detail(frame, area, model, r);
    }
    if let Some(at) = r.documents_at {
        overview::draw_document_list(frame, area, model, r, at);
    }
    if r.export_prompt {
        widgets::question(frame, area, model.t(T::ExportPrompt));
    }
}
