//! What the two establishment reports share: the rows fetched so far, a page at
//! a time as the user scrolls, the selection, the export prompt, and the way
//! from a row to that person's results (an inquiry, with its image code).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Scrollbar, ScrollbarOrientation, ScrollbarState};

use ratatui::text::Span;

use crate::api::ErrorCode;
use crate::client::ClientError;
use crate::present::export::Format;
use crate::tui::app::{Cmd, Model, Says, Screen};
use crate::tui::format;
use crate::tui::screens::inquiry::Focus;
use crate::tui::strings::{Arg, T, tr};
use crate::tui::widgets;

pub const PAGE_SIZE: u32 = 100;
/// Start fetching the next page this many rows before the loaded ones run out.
const PREFETCH_ROWS: usize = 30;

/// The rows of a report fetched so far, in the server's order. A report is at most a few
/// thousand workers, so every page fetched is kept.
#[derive(Debug, Clone)]
pub struct ReportList<R> {
    pub rows: Vec<R>,
    /// Rows matching the filters, over all pages; `None` until the first page.
    pub total: Option<u64>,
    pub next_cursor: Option<String>,
    pub loading: bool,
    /// Answers to an older query carry an older generation and are dropped.
    pub generation: u64,
    pub selected: usize,
    pub offset: usize,
    /// Why the last page failed, kept as what it says so that F2 re-words it.
    pub error: Option<Says>,
}

impl<R> Default for ReportList<R> {
    fn default() -> Self {
        ReportList {
            rows: vec![],
            total: None,
            next_cursor: None,
            loading: false,
            generation: 0,
            selected: 0,
            offset: 0,
            error: None,
        }
    }
}

impl<R> ReportList<R> {
    /// A new query: what was fetched is dropped, and its late answers with it.
    pub fn reset(&mut self) {
        *self = ReportList { generation: self.generation + 1, loading: true, ..ReportList::default() };
    }

    pub fn receive(&mut self, items: Vec<R>, next_cursor: Option<String>, total: u64, height: usize) {
        self.rows.extend(items);
        self.next_cursor = next_cursor;
        self.total = Some(total);
        self.loading = false;
        self.error = None;
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.scroll_into_view(height);
    }

    pub fn failed(&mut self, err: &ClientError) {
        self.loading = false;
        self.error = Some(Says::from(err));
    }

    pub fn move_by(&mut self, delta: isize, height: usize) {
        let last = self.rows.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize).saturating_add(delta).clamp(0, last.max(0)) as usize;
        self.scroll_into_view(height);
    }

    pub fn scroll_into_view(&mut self, height: usize) {
        self.offset = widgets::offset_showing(self.selected, self.offset, height);
    }

    /// The cursor of the next page, when the selection nears the end of the rows fetched.
    pub fn wants_more(&mut self, height: usize) -> Option<String> {
        if self.loading || self.error.is_some() || self.selected + height + PREFETCH_ROWS < self.rows.len() {
            return None;
        }
        let cursor = self.next_cursor.clone()?;
        self.loading = true;
        Some(cursor)
    }

    pub fn selected_row(&self) -> Option<&R> {
        self.rows.get(self.selected)
    }
}

/// What a failed page of a report ends in before it is shown as the list's error: the session
/// ended, or (on `screen`, while it is shown) the server saying this user has no workers, when
/// the entries go and so does the screen.
pub fn refused_page(model: &mut Model, err: &ClientError, screen: Screen) -> Option<Vec<Cmd>> {
    if model.session_lost(err) {
        return Some(model.end_session(T::SessionRefused));
    }
    if err.code() == Some(ErrorCode::NotAuthorized) && model.screen == screen {
        model.services.set_establishment(false);
        let cmds = model.go(Screen::Services);
        model.error(err);
        return Some(cmds);
    }
    None
}

/// The export prompt's answer: `c` for CSV, `j` for JSON (a journal does not fit a report).
pub fn export_format(code: crossterm::event::KeyCode) -> Option<Format> {
    match code {
        crossterm::event::KeyCode::Char('c') => Some(Format::Csv),
        crossterm::event::KeyCode::Char('j') => Some(Format::Json),
        _ => None,
    }
}

/// The list's own part of a report's info line: the row counter, "loading", the last error.
pub fn list_status<R>(model: &Model, list: &ReportList<R>, counter: bool) -> Vec<Span<'static>> {
    let mut parts = vec![];
    if let Some(total) = list.total.filter(|_| counter) {
        let shown = format::grouped((list.selected as u64 + 1).min(total));
        let args = [("shown", Arg::Str(&shown)), ("total", Arg::Str(&format::grouped(total)))];
        parts.push(Span::styled(format!("   {}", tr(model.lang, T::RowsOf, &args)), model.palette().dim));
    }
    if list.loading {
        parts.push(Span::styled(format!("   {}", model.t(T::LoadingMore)), model.palette().dim));
    }
    if let Some(err) = &list.error {
        parts.push(Span::styled(format!("   {}", err.text(model.lang)), model.palette().error));
    }
    parts
}

/// A row's person opens in the inquiry form with the ID filled in: the results need an
/// inquiry, and the inquiry its image code. Esc there (or on the results) comes back here.
pub fn inquire_about(model: &mut Model, id_number: &str, from: Screen) -> Vec<Cmd> {
    model.inquiry.id_number.set(id_number);
    let cmds = model.go(Screen::Inquiry);
    model.inquiry.focus = Focus::ImageCode;
    model.report_return = Some(from);
    model.info(T::InquiryFromReport);
    cmds
}

/// Keys that move the selection, as rows: `None` for any other key.
pub fn movement(code: crossterm::event::KeyCode, height: usize) -> Option<isize> {
    use crossterm::event::KeyCode;
    let page = height.max(2) as isize - 1;
    match code {
        KeyCode::Down | KeyCode::Char('j') => Some(1),
        KeyCode::Up | KeyCode::Char('k') => Some(-1),
        KeyCode::PageDown => Some(page),
        KeyCode::PageUp => Some(-page),
        KeyCode::Home => Some(isize::MIN / 2),
        KeyCode::End => Some(isize::MAX / 2),
        _ => None,
    }
}

/// The scrollbar beside a report's table, when there are more rows than fit.
pub fn scrollbar(frame: &mut Frame, table: Rect, total: usize, height: usize, offset: usize) {
    if total > height {
        let mut state = ScrollbarState::new(total.saturating_sub(height)).position(offset);
        let bar = Rect { y: table.y + 1, height: table.height.saturating_sub(2), ..table };
        frame.render_stateful_widget(Scrollbar::new(ScrollbarOrientation::VerticalRight), bar, &mut state);
    }
}

/// The export's question: CSV or JSON.
pub fn export_prompt(frame: &mut Frame, area: Rect, model: &Model) {
    widgets::question(frame, area, model.t(T::ReportExportPrompt));
}

/// Items of a summary, kept whole and none left out: an item that does not fit on a line
/// starts the next one.
pub fn fitting_lines(items: Vec<String>, width: u16) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    for item in items {
        match lines.last_mut() {
            Some(line) if widgets::width(line) + 5 + widgets::width(&item) <= width => {
                line.push_str("  ·  ");
                line.push_str(&item);
            }
            _ => lines.push(item),
        }
    }
    lines
}

/// Column widths once `keep` says which columns show: room to spare widens each column toward
/// its heading (the flexible one keeping `flex_min`), and the flexible column takes the rest.
pub fn widths(inner: u16, needs: &[u16], keep: &[bool], heads: &[String], flex: usize, flex_min: u16) -> Vec<u16> {
    let mut widths = needs.to_vec();
    widths[flex] = flex_min;
    let used =
        |w: &[u16]| -> u16 { (0..w.len()).filter(|c| keep[*c]).map(|c| w[c] + 1).sum::<u16>().saturating_sub(1) };
    for col in (0..widths.len()).filter(|c| keep[*c] && *c != flex) {
        let spare = inner.saturating_sub(used(&widths));
        widths[col] += widgets::width(&heads[col]).saturating_sub(widths[col]).min(spare);
    }
    widths[flex] += inner.saturating_sub(used(&widths));
    widths
}

/// A report's column: its width, and whether its text sits against the right edge.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub width: u16,
    pub right: bool,
}

/// A report's table inside `block`, a row at a time: ratatui's `Table` styles the whole table,
/// then each row, then each cell, which at 200x60 costs more than writing the rows. One cell
/// between columns, as `Table` leaves; `rows` are the visible ones, their cells already fitted,
/// each with the style of its whole row.
pub fn draw_rows(
    frame: &mut Frame,
    area: Rect,
    block: Block,
    columns: &[Column],
    header: (&[String], ratatui::style::Style),
    rows: &[(Vec<String>, Option<ratatui::style::Style>)],
) {
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let buf = frame.buffer_mut();
    let lines =
        std::iter::once((header.0, Some(header.1))).chain(rows.iter().map(|(cells, style)| (&cells[..], *style)));
    for (n, (cells, style)) in lines.enumerate().take(usize::from(inner.height)) {
        let y = inner.y + n as u16;
        let mut x = inner.x;
        for (text, column) in cells.iter().zip(columns) {
            let fill = column.width.saturating_sub(widgets::width(text));
            let at = if column.right { x + fill } else { x };
            buf.set_stringn(at, y, text, usize::from(column.width), ratatui::style::Style::default());
            x = x.saturating_add(column.width + 1);
            if x >= inner.right() {
                break;
            }
        }
        if let Some(style) = style {
            buf.set_style(Rect { y, height: 1, ..inner }, style);
        }
    }
}
