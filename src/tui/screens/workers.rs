//! The workers' balances: every worker of the establishment in one table, the
//! sums over all that match, the server's sorts, a search, and "money still
//! held" (the refund candidates). Enter opens a worker's results.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::report::{self, Column, PAGE_SIZE, ReportList};
use crate::api::{Secret, Totals, WorkerMoney, WorkerSort, WorkersQuery, WorkersReport};
use crate::client::ClientError;
use crate::domain::Sector;
use crate::present::reports::{Report, ReportExport};
use crate::tui::app::{Cmd, Hit, Model, Screen};
use crate::tui::canvas::ViewCache;
use crate::tui::format;
use crate::tui::keys::{Binding, both, help};
use crate::tui::strings::{self, Arg, T, tr};
use crate::tui::widgets::{self, FieldKind, TextField};

/// The keys of this screen, as the status line and the help show them.
pub const KEYS: &[Binding] = &[
    both("↑↓", T::KeyResultsMove, "↑ ↓ PgUp PgDn Home End", T::HelpReportMove),
    both("⏎", T::KeyReportOpen, "Enter", T::HelpWorkersOpen),
    both("s", T::KeyResultsSort, "s", T::HelpWorkersSort),
    both("/", T::KeyServicesSearch, "/", T::HelpWorkersSearch),
    both("h", T::KeyWorkersHeld, "h", T::HelpWorkersHeld),
    both("e", T::KeyResultsExport, "e", T::HelpReportExport),
    help("Esc", T::HelpReportBack),
];

const SORTS: [WorkerSort; 5] = [
    WorkerSort::AvailableDesc,
    WorkerSort::AvailableAsc,
    WorkerSort::Name,
    WorkerSort::IdNumber,
    WorkerSort::OldestUnused,
];

#[derive(Debug, Clone)]
pub struct WorkersScreen {
    pub token: Secret,
    pub sort: WorkerSort,
    /// Only the workers with money still held.
    pub held_only: bool,
    /// The search applied (the server's `q`).
    pub q: String,
    /// The search being typed.
    pub search: Option<TextField>,
    pub list: ReportList<WorkerMoney>,
    pub sums: Option<Totals>,
    pub export_prompt: bool,
}

impl WorkersScreen {
    pub fn new(token: Secret) -> WorkersScreen {
        WorkersScreen {
            token,
            sort: WorkerSort::default(),
            held_only: false,
            q: String::new(),
            search: None,
            list: ReportList::default(),
            sums: None,
            export_prompt: false,
        }
    }

    pub fn query(&self, cursor: Option<String>, limit: u32) -> WorkersQuery {
        WorkersQuery {
            limit: Some(limit),
            cursor,
            sort: Some(self.sort),
            has_available: self.held_only.then_some(true),
            q: (!self.q.trim().is_empty()).then(|| self.q.trim().to_owned()),
        }
    }

    /// The first page of the current query, dropping what the last one fetched.
    pub fn refetch(&mut self) -> Vec<Cmd> {
        self.list.reset();
        self.sums = None;
        vec![Cmd::FetchWorkers {
            token: self.token.clone(),
            query: self.query(None, PAGE_SIZE),
            generation: self.list.generation,
        }]
    }

    fn more(&mut self, height: usize) -> Vec<Cmd> {
        let Some(cursor) = self.list.wants_more(height) else { return vec![] };
        vec![Cmd::FetchWorkers {
            token: self.token.clone(),
            query: self.query(Some(cursor), PAGE_SIZE),
            generation: self.list.generation,
        }]
    }
}

/// Opens the report from My Services.
pub fn open(model: &mut Model) -> Vec<Cmd> {
    let Some(token) = model.token() else { return vec![] };
    let mut cmds = model.go(Screen::Workers);
    let mut screen = WorkersScreen::new(token);
    cmds.extend(screen.refetch());
    model.workers = Some(screen);
    cmds
}

pub fn is_typing(model: &Model) -> bool {
    model.workers.as_ref().is_some_and(|w| w.search.is_some())
}

/// Rows of the table at the current terminal size, as `view` lays it out.
pub fn table_height(model: &Model) -> usize {
    let (w, h) = model.size;
    let refund =
        if model.workers.as_ref().is_some_and(|s| s.held_only) { refund_height(model, w.saturating_sub(2)) } else { 0 };
    let sums = model.workers.as_ref().map_or(1, |s| sums_lines(model, s, w.saturating_sub(2)).len().max(1)) as u16;
    // Title, notice and status lines; the screen's title, sums and filter lines; the table's border and heading.
    usize::from(h.saturating_sub(3 + 2 + sums + refund + 3)).max(1)
}

/// The sums over every matching worker, on as many lines as it takes to show them all.
fn sums_lines(model: &Model, w: &WorkersScreen, width: u16) -> Vec<String> {
    let (Some(s), Some(total)) = (&w.sums, w.list.total) else { return vec![] };
    let items = vec![
        tr(model.lang, T::WorkersCount, &[("n", Arg::Str(&format::grouped(total)))]),
        format!("{} {}", model.t(T::Available), s.available.to_grouped()),
        format!("{} {}", model.t(T::Paid), s.paid.to_grouped()),
        format!("{} {}", model.t(T::Used), s.used.to_grouped()),
        format!("{} {}", model.t(T::Refunded), s.refunded.to_grouped()),
    ];
    report::fitting_lines(items, width)
}

fn refund_height(model: &Model, width: u16) -> u16 {
    widgets::wrapped_height(model.t(T::RefundHow), width).min(4)
}

pub fn on_page(model: &mut Model, generation: u64, result: Result<WorkersReport, ClientError>) -> Vec<Cmd> {
    if let Some(cmds) = result.as_ref().err().and_then(|err| report::refused_page(model, err, Screen::Workers)) {
        return cmds;
    }
    let height = table_height(model);
    let Some(w) = model.workers.as_mut().filter(|w| w.list.generation == generation) else { return vec![] };
    match result {
        Ok(page) => {
            w.sums = Some(page.sums);
            w.list.receive(page.items, page.next_cursor, page.total_count, height);
            model.touch();
        }
        Err(err) => w.list.failed(&err),
    }
    vec![]
}

pub fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let height = table_height(model);
    let lang = model.lang;
    let Some(w) = model.workers.as_mut() else { return vec![] };
    if let Some(field) = w.search.as_mut() {
        match key.code {
            KeyCode::Enter => {
                w.q = field.value().to_owned();
                w.search = None;
                return w.refetch();
            }
            KeyCode::Esc => w.search = None,
            _ => {
                let edit = field.handle_key(key);
                model.refused(edit);
            }
        }
        return vec![];
    }
    if std::mem::take(&mut w.export_prompt) {
        let Some(format) = report::export_format(key.code) else { return vec![] };
        let export = ReportExport { report: Report::Workers(w.query(None, PAGE_SIZE)), format, lang };
        let cmd = Cmd::ExportReport { token: w.token.clone(), export };
        model.info(T::Exporting);
        return vec![cmd];
    }
    if let Some(delta) = report::movement(key.code, height) {
        w.list.move_by(delta, height);
        return w.more(height);
    }
    match key.code {
        KeyCode::Char('s') => {
            w.sort = widgets::cycle(&SORTS, w.sort, false);
            w.refetch()
        }
        KeyCode::Char('h') => {
            w.held_only = !w.held_only;
            w.refetch()
        }
        KeyCode::Char('/') => {
            let mut field = TextField::new(FieldKind::Text, 100, T::Search);
            field.set(&w.q);
            w.search = Some(field);
            vec![]
        }
        KeyCode::Char('e') => {
            w.export_prompt = true;
            vec![]
        }
        KeyCode::Enter => match w.list.selected_row().map(|r| r.id_number.clone()) {
            Some(id) => report::inquire_about(model, &id, Screen::Workers),
            None => vec![],
        },
        // Esc lets go of the search and the filter first, then leaves.
        KeyCode::Esc if !w.q.is_empty() || w.held_only => {
            w.q.clear();
            w.held_only = false;
            w.refetch()
        }
        KeyCode::Esc => model.go(Screen::Services),
        _ => vec![],
    }
}

/// A click selects a worker; a second click on the selected one opens them, as Enter does.
pub fn on_click(model: &mut Model, hit: Hit) -> Vec<Cmd> {
    let height = table_height(model);
    let Some(w) = model.workers.as_mut() else { return vec![] };
    match hit {
        Hit::Row(i) if i == w.list.selected => on_key(model, KeyEvent::from(KeyCode::Enter)),
        Hit::Row(i) if i < w.list.rows.len() => {
            w.list.move_by(i as isize - w.list.selected as isize, height);
            w.more(height)
        }
        _ => vec![],
    }
}

const NAME: usize = 0;
/// Then the ID number.
const HELD: usize = 2;
/// The five sectors' columns follow the total held, in `Sector::ALL`'s order.
const FIRST_SECTOR: usize = 3;
const LAST_SECTOR: usize = 7;
const LAST_PAYMENT: usize = 8;
const IQAMA: usize = 9;
const IQAMA_HIJRI: usize = 10;
const COLUMNS: usize = 11;

fn cells(model: &Model, w: &WorkerMoney) -> [String; COLUMNS] {
    let a = &w.available;
    let day = |d: &Option<String>| d.clone().unwrap_or_else(|| "—".to_owned());
    [
        strings::pick(model.lang, &w.name_en, &w.name_ar).into_owned(),
        w.id_number.clone(),
        w.totals.available.to_grouped(),
        a.get(Sector::ALL[0]).to_grouped(),
        a.get(Sector::ALL[1]).to_grouped(),
        a.get(Sector::ALL[2]).to_grouped(),
        a.get(Sector::ALL[3]).to_grouped(),
        a.get(Sector::ALL[4]).to_grouped(),
        day(&w.last_payment_on),
        day(&w.iqama_expires_on),
        w.iqama_expires_on.as_deref().map(format::hijri_short).unwrap_or_default(),
    ]
}

fn headings(model: &Model) -> [String; COLUMNS] {
    let lang = model.lang;
    let sector = |i: usize| format::sector_short(lang, Sector::ALL[i]);
    [
        model.t(T::Name).to_owned(),
        model.t(T::IdNumber).to_owned(),
        model.t(T::Available).to_owned(),
        sector(0),
        sector(1),
        sector(2),
        sector(3),
        sector(4),
        model.t(T::LastPayment).to_owned(),
        model.t(T::IqamaExpires).to_owned(),
        model.t(T::Hijri).to_owned(),
    ]
}

fn is_amount(col: usize) -> bool {
    (HELD..LAST_PAYMENT).contains(&col)
}

pub fn view(frame: &mut Frame, area: Rect, model: &Model, cache: &mut ViewCache) {
    let Some(w) = &model.workers else { return };
    let lang = model.lang;
    let refund = if w.held_only { refund_height(model, area.width) } else { 0 };
    let sums_text = sums_lines(model, w, area.width);
    let sums_height = sums_text.len().max(1) as u16;
    let [title, sums, filters, note, table_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(sums_height),
        Constraint::Length(1),
        Constraint::Length(refund),
        Constraint::Min(3),
    ])
    .areas(area);
    let look = model.look();
    frame.render_widget(Paragraph::new(widgets::title(&look, model.t(T::EstWorkers))), title);

    let emphasis = model.palette().emphasis;
    let sums_text: Vec<Line> = sums_text.into_iter().map(|l| Line::styled(l, emphasis)).collect();
    frame.render_widget(Paragraph::new(sums_text), sums);

    let mut parts = vec![];
    if let Some(field) = &w.search {
        parts.push(Span::styled(format!("/{}", field.value()), model.palette().accent));
        parts.push(Span::styled("▏", model.palette().accent));
    } else {
        let mut text =
            format!("{}: {}", model.t(T::SortedBy), strings::laid(crate::present::reports::worker_sort(lang, w.sort)));
        if w.held_only {
            text.push_str(&format!(" · {}", model.t(T::HeldOnly)));
        }
        if !w.q.is_empty() {
            text.push_str(&format!(" · \"{}\"", w.q));
        }
        parts.push(Span::raw(text));
    }
    parts.extend(report::list_status(model, &w.list, false));
    frame.render_widget(Paragraph::new(Line::from(parts)), filters);
    if w.held_only {
        frame.render_widget(
            Paragraph::new(Line::styled(model.t(T::RefundHow), model.palette().accent)).wrap(Wrap { trim: true }),
            note,
        );
    }

    draw_table(frame, table_area, model, w, cache);
    if w.export_prompt {
        report::export_prompt(frame, area, model);
    }
}

fn draw_table(frame: &mut Frame, area: Rect, model: &Model, w: &WorkersScreen, cache: &mut ViewCache) {
    let list = &w.list;
    let height = usize::from(area.height.saturating_sub(3));
    let block = Block::default().borders(Borders::ALL);
    if list.total == Some(0) {
        frame.render_widget(Paragraph::new(model.t(T::NoWorkers)).block(block), area);
        return;
    }
    // Only the rows on screen are built, however many workers there are.
    let visible: Vec<[String; COLUMNS]> =
        list.rows.iter().skip(list.offset).take(height).map(|r| cells(model, r)).collect();
    let head = headings(model);
    let widest = |col: usize| visible.iter().map(|c| widgets::width(&c[col])).max().unwrap_or(0);
    let mut needs = [0u16; COLUMNS];
    for (col, need) in needs.iter_mut().enumerate() {
        *need = match col {
            NAME => 12,
            c if is_amount(c) => widest(c).max(widgets::width(&head[c]).min(9)),
            _ => widest(col).max(10),
        };
    }
    // A number is shown whole or not at all: the Hijri date goes first, then the sectors one by
    // one, then the last payment; the name shortens with a mark.
    let inner = area.width.saturating_sub(2);
    let keep = widgets::fit_columns(
        inner,
        &needs,
        &[
            IQAMA_HIJRI,
            LAST_SECTOR,
            LAST_SECTOR - 1,
            LAST_SECTOR - 2,
            LAST_SECTOR - 3,
            FIRST_SECTOR,
            LAST_PAYMENT,
            IQAMA,
        ],
    );
    let needs = report::widths(inner, &needs, &keep, &head, NAME, 12);
    let cols: Vec<usize> = (0..COLUMNS).filter(|c| keep[*c]).collect();
    // Right to left, the bidi pass mirrors each row: an amount drawn against the left edge ends on the right.
    let columns: Vec<Column> =
        cols.iter().map(|&c| Column { width: needs[c], right: is_amount(c) && !model.mirrored() }).collect();
    let fit = |cells: &[String; COLUMNS]| -> Vec<String> {
        cols.iter().map(|&c| widgets::ellipsis(&cells[c], needs[c]).into_owned()).collect()
    };
    let rows: Vec<(Vec<String>, Option<Style>)> = visible
        .iter()
        .enumerate()
        .map(|(n, cells)| (fit(cells), (list.offset + n == list.selected).then_some(model.palette().selected)))
        .collect();
    let body = Rect { y: area.y + 2, height: area.height.saturating_sub(3), ..area };
    cache.list_hits(body, list.offset, list.rows.len());
    report::draw_rows(frame, area, block, &columns, (&fit(&head), model.palette().emphasis), &rows);
    report::scrollbar(frame, area, list.total.unwrap_or(0) as usize, height, list.offset);
}
