//! The transactions: the visible rows of the history window, a scrollbar,
//! the filter line with where the selection is, and one row's detail.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Clear, Paragraph, Row, Scrollbar, ScrollbarOrientation, ScrollbarState, Table, Wrap,
};

use super::{ResultsScreen, amount_line};
use crate::api::TxSort;
use crate::config::Lang;
use crate::tui::app::Model;
use crate::tui::canvas::ViewCache;
use crate::tui::format;
use crate::tui::strings::{self, Arg, T, tr};
use crate::tui::widgets;

/// The table of transactions, only its visible rows built, with the filter line under it.
pub fn draw(frame: &mut Frame, area: Rect, model: &Model, r: &ResultsScreen, cache: &mut ViewCache) {
    let lang = model.lang;
    let [table_area, filter_line] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    // While a new query or a jump is on its way, the rows it replaces stay, under their own sort.
    let (filters, t) = r.shown();
    let height = usize::from(table_area.height.saturating_sub(3));
    let wide = table_area.width >= 100;
    // Only the rows on screen are built, whatever the size of the history.
    let visible: Vec<(usize, Option<[String; 6]>)> = (t.offset..t.offset + height)
        .take_while(|i| (*i as u64) < t.total.unwrap_or(0))
        .map(|i| {
            let cells = t.row(i).map(|tx| {
                [
                    tx.date.clone(),
                    format::hijri_short(&tx.date),
                    format::sector_short(lang, tx.sector),
                    strings::pick(lang, &tx.service_en, &tx.service_ar).into_owned(),
                    format::kind_label(lang, tx.kind),
                    format::signed_amount(tx.kind, tx.amount),
                ]
            });
            (i, cells)
        })
        .collect();
    let header = [T::Date, T::Hijri, T::Sector, T::Service, T::Kind, T::Amount].map(|t| model.t(t));
    let widest = |col: usize| visible.iter().filter_map(|(_, c)| c.as_ref()).map(|c| widgets::width(&c[col])).max();
    let amount_w = widest(AMOUNT).unwrap_or(0);
    let kind_w = widest(KIND).unwrap_or(0);
    let needs = [10, if wide { 10 } else { 0 }, widest(SECTOR).unwrap_or(0).min(8), 8, kind_w, amount_w];
    // An amount is shown whole or not at all: the Hijri date goes first, then the kind (the sign
    // says it), then the sector; the service shortens with a mark.
    let mut keep = widgets::fit_columns(table_area.width.saturating_sub(2), &needs, &[HIJRI, KIND, SECTOR]);
    keep[HIJRI] &= wide;
    let mut widths = needs;
    let inner = table_area.width.saturating_sub(2);
    for (col, want) in [(AMOUNT, 12.max(widgets::width(header[AMOUNT]))), (SECTOR, 16), (KIND, 8)] {
        let taken: u16 = (0..6).filter(|c| keep[*c]).map(|c| widths[c] + 1).sum::<u16>().saturating_sub(1);
        let spare = inner.saturating_sub(taken);
        widths[col] += want.saturating_sub(widths[col]).min(spare);
    }
    let taken: u16 = (0..6).filter(|c| keep[*c] && *c != SERVICE).map(|c| widths[c] + 1).sum();
    widths[SERVICE] = inner.saturating_sub(taken).max(1);
    let cols: Vec<usize> = (0..6).filter(|c| keep[*c]).collect();
    let cell = |col: usize, text: &str| {
        let text = widgets::ellipsis(text, widths[col]).into_owned();
        if col == AMOUNT { Cell::from(amount_line(model, text)) } else { Cell::from(text) }
    };
    let head_cells: Vec<Cell> = cols.iter().map(|&c| cell(c, header[c])).collect();
    let rows: Vec<Row> = visible
        .iter()
        .map(|(i, cells)| {
            let row = match cells {
                // Amounts are never cut: their column is as wide as the widest on screen.
                Some(cells) => Row::new(cols.iter().map(|&c| cell(c, &cells[c])).collect::<Vec<_>>()),
                None => Row::new(vec![Cell::from(model.t(T::LoadingMore))]).style(model.palette().dim),
            };
            if *i == t.selected { row.style(model.palette().selected) } else { row }
        })
        .collect();
    let widths: Vec<Constraint> = cols.iter().map(|&c| Constraint::Length(widths[c])).collect();
    let title = format!("{} · {}: {}", model.t(T::Transactions), model.t(T::SortedBy), sort_label(lang, filters.sort));
    let block = Block::default().borders(Borders::ALL).title(title);
    if t.total == Some(0) {
        let empty = if filters.is_filtered() { T::NoTransactions } else { T::NoTransactionsYet };
        frame.render_widget(Paragraph::new(model.t(empty)).block(block), table_area);
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
    if let Some(field) = &r.goto_edit {
        parts.push(Span::styled(format!("{}: {}", model.t(T::GoToDate), field.value()), model.palette().accent));
        parts.push(Span::styled("▏", model.palette().accent));
        parts.push(Span::styled("  2025-03-14 · h1446-09-01", model.palette().dim));
    } else if let Some(field) = &r.filter_edit {
        parts.push(Span::styled(format!("/{}", field.value()), model.palette().accent));
        parts.push(Span::styled("▏", model.palette().accent));
    } else {
        let sector = r.filters.sector.map_or(model.t(T::AllSectors).to_owned(), |s| format::sector(lang, s));
        let year = match (r.filters.year, r.filters.hijri_year) {
            (Some(y), _) => y.to_string(),
            (None, Some(h)) => tr(lang, T::HijriYear, &[("year", Arg::Str(&h.to_string()))]),
            (None, None) => model.t(T::AllTime).to_owned(),
        };
        let text = if r.filters.text.is_empty() { String::new() } else { format!(" · \"{}\"", r.filters.text) };
        parts.push(Span::raw(format!("{}: {sector} · {year}{text}", model.t(T::Filter))));
    }
    if let Some(total) = t.total {
        let shown = format::grouped((t.selected as u64 + 1).min(total));
        parts.push(Span::styled(
            format!(
                "   {}",
                tr(model.lang, T::RowsOf, &[("shown", Arg::Str(&shown)), ("total", Arg::Str(&format::grouped(total)))])
            ),
            model.palette().dim,
        ));
    }
    if r.table.loading.is_some() {
        parts.push(Span::styled(format!("   {}", model.t(T::LoadingMore)), model.palette().dim));
    }
    frame.render_widget(Paragraph::new(Line::from(parts)), filter_line);
}

const HIJRI: usize = 1;
const SECTOR: usize = 2;
const SERVICE: usize = 3;
const KIND: usize = 4;
const AMOUNT: usize = 5;

/// The selected transaction in a popup.
pub fn draw_detail(frame: &mut Frame, area: Rect, model: &Model, r: &ResultsScreen) {
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

fn sort_label(lang: Lang, sort: TxSort) -> String {
    let (col, arrow) = match sort {
        TxSort::DateDesc => (T::Date, "↓"),
        TxSort::DateAsc => (T::Date, "↑"),
        TxSort::AmountDesc => (T::Amount, "↓"),
        TxSort::AmountAsc => (T::Amount, "↑"),
    };
    format!("{} {arrow}", strings::t(lang, col))
}
