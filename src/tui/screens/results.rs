//! Results: balances per sector, spend totals, spending by month, and the
//! transactions, fetched a page at a time as the user scrolls.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Borders, Cell, Clear, Paragraph, Row, Scrollbar, ScrollbarOrientation,
    ScrollbarState, Table, Wrap,
};

use crate::api::{
    BalanceReport, Secret, Spending, SpendingPeriod, SpendingPoint, Transaction, TransactionPage, TransactionsQuery,
    TxSort,
};
use crate::client::ClientError;
use crate::config::Lang;
use crate::domain::{HijriDate, Money, Sector};
use crate::present::export::{Export, Format};
use crate::tui::app::{Cmd, Hit, Model, Screen};
use crate::tui::canvas::ViewCache;
use crate::tui::format;
use crate::tui::strings::{self, Arg, T, tr};
use crate::tui::widgets::{self, FieldKind, TextField};

pub const PAGE_SIZE: u32 = 100;
/// Pages kept on each side of the selected row; farther ones are dropped and fetched again if needed.
const KEEP_PAGES: usize = 4;
/// Start fetching the next page this many rows before the loaded ones run out.
const PREFETCH_ROWS: usize = 30;
/// Below this height the overview and the transactions take turns (Tab).
pub const STACK_MIN_HEIGHT: u16 = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Overview,
    Transactions,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxFilters {
    pub text: String,
    pub sector: Option<Sector>,
    pub year: Option<i32>,
    pub sort: TxSort,
}

impl TxFilters {
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
    fn reset(&mut self) {
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
        };
        screen.table.reset();
        let mut cmds = screen.fetch_wanted().into_iter().collect::<Vec<_>>();
        for by in [SpendingPeriod::Month, SpendingPeriod::HijriMonth] {
            cmds.push(Cmd::FetchSpending { token: token.clone(), id_number: id.clone(), by });
        }
        (screen, cmds)
    }

    fn fetch_wanted(&mut self) -> Option<Cmd> {
        let page = self.table.wanted_page()?;
        self.table.loading = Some(page);
        let cursor = self.table.cursors.get(page).cloned().flatten();
        Some(Cmd::FetchTransactions {
            token: self.token.clone(),
            id_number: self.report.subject.id_number.clone(),
            query: self.filters.query(cursor, PAGE_SIZE),
            generation: self.table.generation,
            page,
        })
    }

    fn refilter(&mut self) -> Vec<Cmd> {
        self.table.reset();
        self.fetch_wanted().into_iter().collect()
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
}

pub fn is_typing(model: &Model) -> bool {
    model.results.as_ref().is_some_and(|r| r.filter_edit.is_some())
}

/// Rows the transactions table shows at the current terminal size.
pub fn table_height(model: &Model) -> usize {
    let (_, h) = model.size;
    // Title, notice and status lines, the subject header, the table's border and heading, the filter line.
    let chrome = 3 + 2 + 3 + 1;
    let overview = if h >= STACK_MIN_HEIGHT { 18 } else { 1 };
    usize::from(h.saturating_sub(chrome + overview)).max(1)
}

pub fn on_page(
    model: &mut Model,
    generation: u64,
    page: usize,
    result: Result<TransactionPage, ClientError>,
) -> Vec<Cmd> {
    let lost = result.as_ref().err().is_some_and(|e| model.session_lost(e));
    if lost {
        return model.end_session(T::SessionEnded);
    }
    let text = result.as_ref().err().map(|e| model.error_text(e));
    let Some(r) = model.results.as_mut().filter(|r| r.table.generation == generation) else { return vec![] };
    match result {
        Ok(p) => {
            r.table.receive(page, p);
            model.last_activity_ms = model.now_ms;
        }
        Err(_) => {
            r.table.loading = None;
            r.table.error = text;
            return vec![];
        }
    }
    let height = table_height(model);
    let Some(r) = model.results.as_mut() else { return vec![] };
    r.table.scroll_into_view(height);
    let next = r.fetch_wanted();
    next.into_iter().collect()
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

pub fn on_exported(model: &mut Model, result: Result<(String, usize), String>) -> Vec<Cmd> {
    match result {
        Ok((path, n)) => {
            model.info(tr(model.lang, T::Exported, &[("n", Arg::Num(n as i64)), ("path", Arg::Str(&path))]))
        }
        Err(err) => model.error(tr(model.lang, T::ExportFailed, &[("err", Arg::Str(&err))])),
    }
    vec![]
}

fn next_sort(sort: TxSort) -> TxSort {
    match sort {
        TxSort::DateDesc => TxSort::DateAsc,
        TxSort::DateAsc => TxSort::AmountDesc,
        TxSort::AmountDesc => TxSort::AmountAsc,
        TxSort::AmountAsc => TxSort::DateDesc,
    }
}

fn next_sector(sector: Option<Sector>) -> Option<Sector> {
    match sector {
        None => Some(Sector::ALL[0]),
        Some(s) => Sector::ALL.iter().position(|x| *x == s).and_then(|i| Sector::ALL.get(i + 1).copied()),
    }
}

/// A click picks a tab or a row; a second click on the selected row opens it, as Enter does.
pub fn on_click(model: &mut Model, hit: Hit) -> Vec<Cmd> {
    let height = table_height(model);
    let Some(r) = model.results.as_mut() else { return vec![] };
    if r.detail || r.export_prompt || r.filter_edit.is_some() {
        return vec![];
    }
    match hit {
        Hit::Tab(i) => r.pane = if i == 0 { Pane::Overview } else { Pane::Transactions },
        Hit::Row(i) if i == r.table.selected => return on_key(model, KeyEvent::from(KeyCode::Enter)),
        Hit::Row(i) => {
            r.table.move_by(i as isize - r.table.selected as isize, height);
            let cmds: Vec<Cmd> = r.fetch_wanted().into_iter().collect();
            return cmds;
        }
        Hit::Focus(_) => {}
    }
    vec![]
}

pub fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let height = table_height(model);
    let stacked = model.size.1 >= STACK_MIN_HEIGHT;
    let today = format::riyadh_date(model.now_ms);
    let Some(r) = model.results.as_mut() else { return vec![] };

    if let Some(field) = r.filter_edit.as_mut() {
        match key.code {
            KeyCode::Enter => {
                r.filters.text = field.value().to_owned();
                r.filter_edit = None;
                r.pane = Pane::Transactions;
                let cmds = r.refilter();
                return cmds;
            }
            KeyCode::Esc => r.filter_edit = None,
            _ => {
                let edit = field.handle_key(key);
                model.refused(edit);
            }
        }
        return vec![];
    }
    if r.detail {
        if matches!(key.code, KeyCode::Esc | KeyCode::Enter) {
            r.detail = false;
        }
        return vec![];
    }
    if r.export_prompt {
        let format = match key.code {
            KeyCode::Char('c') => Some(Format::Csv),
            KeyCode::Char('j') => Some(Format::Json),
            KeyCode::Char('h') => Some(Format::Hledger),
            _ => None,
        };
        r.export_prompt = false;
        let Some(format) = format else { return vec![] };
        let export = Export {
            id_number: r.report.subject.id_number.clone(),
            query: r.filters.query(None, crate::api::MAX_PAGE_LIMIT),
            format,
            lang: model.lang,
        };
        let cmd = Cmd::Export { token: r.token.clone(), export };
        model.info(model.t(T::Exporting));
        return vec![cmd];
    }

    let page_rows = height.max(2) as isize - 1;
    let movement = match key.code {
        KeyCode::Down | KeyCode::Char('j') => Some(1),
        KeyCode::Up | KeyCode::Char('k') => Some(-1),
        KeyCode::PageDown => Some(page_rows),
        KeyCode::PageUp => Some(-page_rows),
        KeyCode::Home | KeyCode::Char('g') => Some(isize::MIN / 2),
        KeyCode::End | KeyCode::Char('G') => Some(isize::MAX / 2),
        _ => None,
    };
    if let Some(delta) = movement {
        if !stacked {
            r.pane = Pane::Transactions;
        }
        r.table.move_by(delta, height);
        let cmds: Vec<Cmd> = r.fetch_wanted().into_iter().collect();
        return cmds;
    }
    match key.code {
        KeyCode::Tab | KeyCode::BackTab => {
            r.pane = if r.pane == Pane::Overview { Pane::Transactions } else { Pane::Overview };
            vec![]
        }
        KeyCode::Esc => model.go(Screen::Inquiry),
        KeyCode::Char('s') => {
            r.filters.sort = next_sort(r.filters.sort);
            r.refilter()
        }
        KeyCode::Char('f') => {
            r.filters.sector = next_sector(r.filters.sector);
            r.refilter()
        }
        KeyCode::Char('[') | KeyCode::Char(']') => {
            let (first, last) = r.years(today);
            let older = key.code == KeyCode::Char('[');
            r.filters.year = match (r.filters.year, older) {
                (None, true) => Some(last),
                (None, false) => None,
                (Some(y), true) => Some((y - 1).max(first)),
                (Some(y), false) if y >= last => None,
                (Some(y), false) => Some(y + 1),
            };
            r.refilter()
        }
        KeyCode::Char('/') => {
            let mut field = TextField::new(FieldKind::Text, 100, T::Filter);
            field.set(&r.filters.text);
            r.filter_edit = Some(field);
            vec![]
        }
        KeyCode::Enter => {
            if r.table.row(r.table.selected).is_some() {
                r.detail = true;
            }
            vec![]
        }
        KeyCode::Char('e') => {
            r.export_prompt = true;
            vec![]
        }
        _ => vec![],
    }
}

fn sort_label(lang: Lang, sort: TxSort) -> String {
    let (col, arrow) = match sort {
        TxSort::DateDesc => (T::Date, "↓"),
        TxSort::DateAsc => (T::Date, "↑"),
        TxSort::AmountDesc => (T::Amount, "↓"),
        TxSort::AmountAsc => (T::Amount, "↑"),
    };
    format!("{} {arrow}", strings::t(lang, col))
}

/// Sums for the spend panel: this Hijri year and the last 12 Gregorian months (this one included).
pub fn spend_totals(r: &ResultsScreen, today: NaiveDate) -> (Option<Money>, Option<Money>, Option<i32>) {
    let hijri_year = HijriDate::from_gregorian(today).map(|h| h.year);
    let this_hijri = match (&r.by_hijri_month, hijri_year) {
        (Some(series), Some(y)) => {
            let prefix = format!("{y:04}-");
            Some(series.iter().filter(|p| p.period.starts_with(&prefix)).map(|p| p.spent).sum())
        }
        _ => None,
    };
    let first_month = today.with_day(1).and_then(|d| d.checked_sub_months(chrono::Months::new(11)));
    let last12 = match (&r.by_month, first_month) {
        (Some(series), Some(start)) => {
            let from = start.format("%Y-%m").to_string();
            Some(series.iter().filter(|p| p.period >= from).map(|p| p.spent).sum())
        }
        _ => None,
    };
    (this_hijri, last12, hijri_year)
}

/// An amount against the right edge of its column, so decimal points line up. Right to left,
/// the bidi pass mirrors each row, so the amount is drawn against the left edge to end on the right.
fn amount_line<'a>(model: &Model, text: impl Into<std::borrow::Cow<'a, str>>) -> Line<'a> {
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
        view_overview(frame, overview, model, r);
        view_transactions(frame, table, model, r, cache);
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
            Pane::Overview => view_overview(frame, content, model, r),
            Pane::Transactions => view_transactions(frame, content, model, r, cache),
        }
    }
    if r.detail {
        view_detail(frame, area, model, r);
    }
    if r.export_prompt {
        let popup = widgets::centered(area, area.width.min(64), 3);
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(model.t(T::ExportPrompt))
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL)),
            popup,
        );
    }
}

fn view_overview(frame: &mut Frame, area: Rect, model: &Model, r: &ResultsScreen) {
    let lang = model.lang;
    let [balances, lower] = Layout::vertical([Constraint::Length(9), Constraint::Min(3)]).areas(area);
    let head = Row::new(
        [T::Sector, T::Paid, T::Used, T::Refunded, T::Available]
            .iter()
            .enumerate()
            .map(|(i, t)| if i == 0 { Cell::from(model.t(*t)) } else { Cell::from(amount_line(model, model.t(*t))) }),
    )
    .style(model.palette().emphasis);
    let money_cell = |m: Money| Cell::from(amount_line(model, m.to_grouped()));
    let mut rows: Vec<Row> = r
        .report
        .balances
        .iter()
        .map(|b| {
            Row::new(vec![
                Cell::from(format::sector(lang, b.sector)),
                money_cell(b.paid),
                money_cell(b.used),
                money_cell(b.refunded),
                money_cell(b.available),
            ])
        })
        .collect();
    let t = &r.report.totals;
    rows.push(
        Row::new(vec![
            Cell::from(model.t(T::Total)),
            money_cell(t.paid),
            money_cell(t.used),
            money_cell(t.refunded),
            money_cell(t.available),
        ])
        .style(model.palette().emphasis),
    );
    let widths = [
        Constraint::Min(14),
        Constraint::Length(12),
        Constraint::Length(12),
        Constraint::Length(12),
        Constraint::Length(12),
    ];
    frame.render_widget(
        Table::new(rows, widths)
            .header(head)
            .block(Block::default().borders(Borders::ALL).title(model.t(T::Available))),
        balances,
    );

    let [totals, chart] = Layout::horizontal([Constraint::Length(30), Constraint::Min(10)]).areas(lower);
    let today = format::riyadh_date(model.now_ms);
    let (hijri, last12, hijri_year) = spend_totals(r, today);
    let show = |m: Option<Money>| m.map_or_else(|| "…".to_owned(), |m| m.to_grouped());
    let year_label =
        tr(model.lang, T::SpentHijriYear, &[("y", Arg::Str(&hijri_year.map(|y| y.to_string()).unwrap_or_default()))]);
    let lines = vec![
        Line::from(Span::styled(model.t(T::SpentAllTime), model.palette().dim)),
        Line::from(t.used.to_grouped()),
        Line::from(Span::styled(year_label, model.palette().dim)),
        Line::from(show(hijri)),
        Line::from(Span::styled(model.t(T::SpentLast12), model.palette().dim)),
        Line::from(show(last12)),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(model.t(T::Spent))),
        totals,
    );

    let block = Block::default().borders(Borders::ALL).title(model.t(T::SpendingByMonth));
    let inner = block.inner(chart);
    frame.render_widget(block, chart);
    let Some(series) = &r.by_month else { return };
    if series.iter().all(|p| p.spent == Money::ZERO) {
        frame.render_widget(Paragraph::new(model.t(T::NoSpending)), inner);
        return;
    }
    let bar_width = 5u16;
    let fit = usize::from(inner.width / (bar_width + 1)).max(1);
    // The axis ends at this month even when the last spending was long ago.
    let mut series = series.clone();
    let this_month = today.format("%Y-%m").to_string();
    while let Some(next) = series.last().and_then(|p| next_month(&p.period)).filter(|n| *n <= this_month) {
        series.push(SpendingPoint { period: next, spent: Money::ZERO });
    }
    let shown = &series[series.len().saturating_sub(fit)..];
    let bars: Vec<Bar> = shown
        .iter()
        .map(|p| {
            let riyals = u64::try_from(p.spent.halalas() / 100).unwrap_or(0);
            Bar::default().value(riyals).label(Line::from(month_label(&p.period))).text_value(format::compact(riyals))
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_width)
            .bar_gap(1)
            .bar_style(model.palette().accent),
        inner,
    );
}

/// "2025-12" → "2026-01".
fn next_month(period: &str) -> Option<String> {
    let first = NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d").ok()?;
    Some(first.checked_add_months(chrono::Months::new(1))?.format("%Y-%m").to_string())
}

/// "2025-11" → "11/25": month first, as the axis reads.
fn month_label(period: &str) -> String {
    match period.split_once('-') {
        Some((year, month)) => format!("{month}/{}", year.get(2..).unwrap_or(year)),
        None => period.to_owned(),
    }
}

fn view_transactions(frame: &mut Frame, area: Rect, model: &Model, r: &ResultsScreen, cache: &mut ViewCache) {
    let lang = model.lang;
    let [table_area, filter_line] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let t = &r.table;
    let height = usize::from(table_area.height.saturating_sub(3));
    let wide = table_area.width >= 100;
    let mut header =
        vec![model.t(T::Date), model.t(T::Hijri), model.t(T::Sector), model.t(T::Service), model.t(T::Kind)];
    if !wide {
        header.remove(1);
    }
    let mut head_cells: Vec<Cell> = header.into_iter().map(Cell::from).collect();
    head_cells.push(Cell::from(amount_line(model, model.t(T::Amount))));
    // Only the rows on screen are built, whatever the size of the history.
    let rows: Vec<Row> = (t.offset..t.offset + height)
        .take_while(|i| (*i as u64) < t.total.unwrap_or(0))
        .map(|i| match t.row(i) {
            Some(tx) => {
                let mut cells = vec![Cell::from(tx.date.clone())];
                if wide {
                    cells.push(Cell::from(format::hijri_short(&tx.date)));
                }
                cells.push(Cell::from(format::sector_short(lang, tx.sector)));
                cells.push(Cell::from(strings::pick(lang, &tx.service_en, &tx.service_ar).into_owned()));
                cells.push(Cell::from(format::kind_label(lang, tx.kind)));
                cells.push(Cell::from(amount_line(model, format::signed_amount(tx.kind, tx.amount))));
                let row = Row::new(cells);
                if i == t.selected { row.style(model.palette().selected) } else { row }
            }
            None => {
                let row = Row::new(vec![Cell::from(model.t(T::LoadingMore))]).style(model.palette().dim);
                if i == t.selected { row.style(model.palette().selected) } else { row }
            }
        })
        .collect();
    let mut widths = vec![Constraint::Length(10)];
    if wide {
        widths.push(Constraint::Length(10));
    }
    widths.extend([Constraint::Length(16), Constraint::Min(12), Constraint::Length(8), Constraint::Length(12)]);
    let title =
        format!("{} · {}: {}", model.t(T::Transactions), model.t(T::SortedBy), sort_label(lang, r.filters.sort));
    let block = Block::default().borders(Borders::ALL).title(title);
    if t.total == Some(0) {
        frame.render_widget(Paragraph::new(model.t(T::NoTransactions)).block(block), table_area);
    } else {
        let body = Rect { y: table_area.y + 2, height: table_area.height.saturating_sub(3), ..table_area };
        cache.list_hits(body, t.offset, t.total.unwrap_or(0) as usize);
        frame.render_widget(
            Table::new(rows, widths).header(Row::new(head_cells).style(model.palette().emphasis)).block(block),
            table_area,
        );
        let total = t.total.unwrap_or(0) as usize;
        if total > height {
            let mut state = ScrollbarState::new(total.saturating_sub(height)).position(t.offset);
            let bar_area = Rect { y: table_area.y + 1, height: table_area.height.saturating_sub(2), ..table_area };
            frame.render_stateful_widget(Scrollbar::new(ScrollbarOrientation::VerticalRight), bar_area, &mut state);
        }
    }

    let mut parts = vec![];
    if let Some(field) = &r.filter_edit {
        parts.push(Span::styled(format!("/{}", field.value()), model.palette().accent));
        parts.push(Span::styled("▏", model.palette().accent));
    } else {
        let sector = r.filters.sector.map_or(model.t(T::AllSectors).to_owned(), |s| format::sector(lang, s));
        let year = r.filters.year.map_or(model.t(T::AllTime).to_owned(), |y| y.to_string());
        let text = if r.filters.text.is_empty() { String::new() } else { format!(" · \"{}\"", r.filters.text) };
        parts.push(Span::raw(format!("{}: {sector} · {year}{text}", model.t(T::Filter))));
    }
    if let Some(total) = t.total {
        let shown = (t.selected + 1).min(total as usize).to_string();
        parts.push(Span::styled(
            format!(
                "   {}",
                tr(model.lang, T::RowsOf, &[("shown", Arg::Str(&shown)), ("total", Arg::Str(&format::grouped(total)))])
            ),
            model.palette().dim,
        ));
    }
    if t.loading.is_some() {
        parts.push(Span::styled(format!("   {}", model.t(T::LoadingMore)), model.palette().dim));
    }
    if let Some(err) = &t.error {
        parts.push(Span::styled(format!("   {err}"), model.palette().error));
    }
    frame.render_widget(Paragraph::new(Line::from(parts)), filter_line);
}

fn view_detail(frame: &mut Frame, area: Rect, model: &Model, r: &ResultsScreen) {
    let Some(tx) = r.table.row(r.table.selected) else { return };
    let lang = model.lang;
    let popup = widgets::centered(area, area.width.min(72), 12.min(area.height));
    frame.render_widget(Clear, popup);
    let field = |label: T, value: String| {
        Line::from(vec![Span::styled(format!("{}: ", model.t(label)), model.palette().dim), Span::raw(value)])
    };
    let lines = vec![
        field(T::Date, format!("{}  ({})", tx.date, format::hijri_long(lang, &tx.date))),
        field(T::Sector, format::sector(lang, tx.sector)),
        field(T::Service, strings::pick(lang, &tx.service_en, &tx.service_ar).into_owned()),
        field(T::Kind, format::kind_label(lang, tx.kind)),
        field(T::Amount, format::signed_amount(tx.kind, tx.amount)),
        field(T::Beneficiary, tx.beneficiary_id.clone()),
        field(T::Reference, tx.reference.clone()),
        field(T::Status, model.t(T::Settled).to_owned()),
    ];
    let block = Block::default().borders(Borders::ALL).title(model.t(T::TransactionDetail)).style(Style::default());
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), popup);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::TxStatus;

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
            total_count: total,
        }
    }

    #[test]
    fn the_table_holds_only_pages_near_the_selection() {
        let mut t = TxTable::default();
        t.reset();
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
        let mut t = TxTable::default();
        t.reset();
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
        let mut t = TxTable::default();
        t.reset();
        t.receive(0, page(0, 42, false, 42));
        t.move_by(1000, 10);
        assert_eq!(t.selected, 41);
        assert!(t.offset <= 41 && t.offset + 10 > 41);
        t.move_by(-1000, 10);
        assert_eq!((t.selected, t.offset), (0, 0));
    }

    #[test]
    fn spend_totals_use_the_hijri_year_and_twelve_months() {
        let (report_token, report) = (Secret::new("t"), sample_report());
        let (mut r, _) = ResultsScreen::open(report, report_token);
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let point = |period: &str, riyals| SpendingPoint { period: period.into(), spent: Money::from_riyals(riyals) };
        r.by_month = Some(vec![point("2025-11", 100), point("2025-12", 10), point("2026-11", 1)]);
        r.by_hijri_month = Some(vec![point("1447-12", 100), point("1448-01", 20), point("1448-06", 3)]);
        let (hijri, last12, year) = spend_totals(&r, today);
        assert_eq!(year, Some(1448));
        assert_eq!(hijri, Some(Money::from_riyals(23)));
        assert_eq!(last12, Some(Money::from_riyals(11)), "Dec 2025 to Nov 2026");
    }

    pub(crate) fn sample_report() -> BalanceReport {
        serde_json::from_value(serde_json::json!({
            "subject": {"id_number": "1057830869", "name_ar": "عبدالله الحربي", "name_en": "Abdullah Al-Harbi", "kind": "citizen"},
            "as_of": "2026-11-25T10:00:00+03:00",
            "balances": [],
            "totals": {"paid": "0.00", "used": "0.00", "refunded": "0.00", "available": "0.00"}
        }))
        .unwrap()
    }
}
