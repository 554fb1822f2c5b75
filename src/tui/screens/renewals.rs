//! Renewals due: the workers' documents that ran out or run out within 30, 90
//! or 366 days, soonest first, with the fee and whether the money held in its
//! sector covers it. Enter opens that person's results.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::report::{self, Column, PAGE_SIZE, ReportList};
use crate::api::{RenewalDue, RenewalsPage, RenewalsQuery, Secret};
use crate::client::ClientError;
use crate::present::reports::{self as clean, Report, ReportExport};
use crate::tui::app::{Cmd, Hit, Model, Screen};
use crate::tui::canvas::ViewCache;
use crate::tui::format;
use crate::tui::keys::{Binding, both, help};
use crate::tui::strings::{self, Arg, T, tr};
use crate::tui::widgets;

/// The keys of this screen, as the status line and the help show them.
pub const KEYS: &[Binding] = &[
    both("↑↓", T::KeyResultsMove, "↑ ↓ PgUp PgDn Home End", T::HelpReportMove),
    both("⏎", T::KeyReportOpen, "Enter", T::HelpRenewalsOpen),
    both("d", T::KeyRenewalsWithin, "d", T::HelpRenewalsWithin),
    both("e", T::KeyResultsExport, "e", T::HelpReportExport),
    help("Esc", T::HelpReportLeave),
];

/// How far ahead `d` offers to look.
pub const WITHIN: [u32; 3] = [30, 90, 366];

#[derive(Debug, Clone)]
pub struct RenewalsScreen {
    pub token: Secret,
    pub within_days: u32,
    pub list: ReportList<RenewalDue>,
    pub export_prompt: bool,
}

impl RenewalsScreen {
    pub fn new(token: Secret) -> RenewalsScreen {
        RenewalsScreen { token, within_days: 90, list: ReportList::default(), export_prompt: false }
    }

    pub fn query(&self, cursor: Option<String>, limit: u32) -> RenewalsQuery {
        RenewalsQuery { within_days: Some(self.within_days), limit: Some(limit), cursor }
    }

    pub fn refetch(&mut self) -> Vec<Cmd> {
        self.list.reset();
        vec![Cmd::FetchRenewals {
            token: self.token.clone(),
            query: self.query(None, PAGE_SIZE),
            generation: self.list.generation,
        }]
    }

    fn more(&mut self, height: usize) -> Vec<Cmd> {
        let Some(cursor) = self.list.wants_more(height) else { return vec![] };
        vec![Cmd::FetchRenewals {
            token: self.token.clone(),
            query: self.query(Some(cursor), PAGE_SIZE),
            generation: self.list.generation,
        }]
    }
}

/// Opens the report from My Services.
pub fn open(model: &mut Model) -> Vec<Cmd> {
    let Some(token) = model.token() else { return vec![] };
    let mut cmds = model.go(Screen::Renewals);
    let mut screen = RenewalsScreen::new(token);
    cmds.extend(screen.refetch());
    model.renewals = Some(screen);
    cmds
}

/// Rows of the table at the current terminal size, as `view` lays it out.
pub fn table_height(model: &Model) -> usize {
    // Title, notice and status lines; the screen's title and count lines; the table's border and heading.
    usize::from(model.size.1.saturating_sub(3 + 2 + 3)).max(1)
}

pub fn on_page(model: &mut Model, generation: u64, result: Result<RenewalsPage, ClientError>) -> Vec<Cmd> {
    if let Some(cmds) = result.as_ref().err().and_then(|err| report::refused_page(model, err, Screen::Renewals)) {
        return cmds;
    }
    let height = table_height(model);
    let Some(r) = model.renewals.as_mut().filter(|r| r.list.generation == generation) else { return vec![] };
    match result {
        Ok(page) => {
            r.list.receive(page.items, page.next_cursor, page.total_count, height);
            model.touch();
        }
        Err(err) => r.list.failed(&err),
    }
    vec![]
}

pub fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let height = table_height(model);
    let lang = model.lang;
    let Some(r) = model.renewals.as_mut() else { return vec![] };
    if std::mem::take(&mut r.export_prompt) {
        let Some(format) = report::export_format(key.code) else { return vec![] };
        let export = ReportExport { report: Report::Renewals(r.query(None, PAGE_SIZE)), format, lang };
        let cmd = Cmd::ExportReport { token: r.token.clone(), export };
        model.info(T::Exporting);
        return vec![cmd];
    }
    if let Some(delta) = report::movement(key.code, height) {
        r.list.move_by(delta, height);
        return r.more(height);
    }
    match key.code {
        KeyCode::Char('d') => {
            r.within_days = widgets::cycle(&WITHIN, r.within_days, false);
            r.refetch()
        }
        KeyCode::Char('e') => {
            r.export_prompt = true;
            vec![]
        }
        KeyCode::Enter => match r.list.selected_row().map(|d| d.id_number.clone()) {
            Some(id) => report::inquire_about(model, &id, Screen::Renewals),
            None => vec![],
        },
        KeyCode::Esc => model.go(Screen::Services),
        _ => vec![],
    }
}

pub fn on_click(model: &mut Model, hit: Hit) -> Vec<Cmd> {
    let height = table_height(model);
    let Some(r) = model.renewals.as_mut() else { return vec![] };
    match hit {
        Hit::Row(i) if i == r.list.selected => on_key(model, KeyEvent::from(KeyCode::Enter)),
        Hit::Row(i) if i < r.list.rows.len() => {
            r.list.move_by(i as isize - r.list.selected as isize, height);
            r.more(height)
        }
        _ => vec![],
    }
}

/// The day it runs out comes first, the Hijri day second, then the days left.
const HIJRI: usize = 1;
/// Then the document's kind; the ID number follows the name.
const NAME: usize = 4;
const SECTOR: usize = 6;
const FEE: usize = 7;
const HELD: usize = 8;
const COVERED: usize = 9;
const COLUMNS: usize = 10;
/// A name cut shorter says nothing; the ID beside it says who it is.
const NAME_MIN: u16 = 8;

/// A day gone by as the plain command says it, or as few cells as say it ("58 d ago").
fn cells(model: &Model, d: &RenewalDue, short: bool) -> [String; COLUMNS] {
    let lang = model.lang;
    [
        d.expires_on.clone(),
        d.expires_on_hijri.clone(),
        match d.days_left {
            n if n > 0 => n.to_string(),
            0 => model.t(T::Today).to_owned(),
            n if short => tr(lang, T::DaysExpiredShort, &[("n", Arg::Num(n.saturating_neg()))]),
            n => strings::laid_owned(clean::days_left(lang, n)),
        },
        strings::laid(clean::document_kind(lang, d.document)).into_owned(),
        strings::pick(lang, &d.name_en, &d.name_ar).into_owned(),
        d.id_number.clone(),
        format::sector_short(lang, d.sector),
        d.fee.to_grouped(),
        d.available_in_sector.to_grouped(),
        strings::laid(clean::yes_no(lang, d.covered)).into_owned(),
    ]
}

pub fn view(frame: &mut Frame, area: Rect, model: &Model, cache: &mut ViewCache) {
    let Some(r) = &model.renewals else { return };
    let lang = model.lang;
    let [title, info, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let look = model.look();
    frame.render_widget(Paragraph::new(widgets::title(&look, model.t(T::EstRenewals))), title);
    let mut parts = vec![Span::raw(tr(lang, T::WithinDays, &[("n", Arg::Num(r.within_days.into()))]))];
    parts.extend(report::list_status(model, &r.list, true));
    frame.render_widget(Paragraph::new(Line::from(parts)), info);
    draw_table(frame, table_area, model, r, cache);
    if r.export_prompt {
        report::export_prompt(frame, area, model);
    }
}

fn draw_table(frame: &mut Frame, area: Rect, model: &Model, r: &RenewalsScreen, cache: &mut ViewCache) {
    let list = &r.list;
    let height = usize::from(area.height.saturating_sub(3));
    let block = Block::default().borders(Borders::ALL);
    if list.total == Some(0) {
        frame.render_widget(Paragraph::new(model.t(T::NoRenewals)).block(block), area);
        return;
    }
    let rows_shown: Vec<&RenewalDue> = list.rows.iter().skip(list.offset).take(height).collect();
    let head = [
        T::Expires,
        T::Hijri,
        T::DaysLeft,
        T::Document,
        T::Name,
        T::IdNumber,
        T::Sector,
        T::Fee,
        T::HeldInSector,
        T::Covered,
    ]
    .map(|t| model.t(t).to_owned());
    let inner = area.width.saturating_sub(2);
    let plan = |short: bool| {
        let visible: Vec<[String; COLUMNS]> = rows_shown.iter().map(|d| cells(model, d, short)).collect();
        let widest = |col: usize| visible.iter().map(|c| widgets::width(&c[col])).max().unwrap_or(0);
        let mut needs = [0u16; COLUMNS];
        for (col, need) in needs.iter_mut().enumerate() {
            *need = match col {
                NAME => NAME_MIN,
                FEE | HELD => widest(col).max(widgets::width(&head[col]).min(8)),
                COVERED => widest(col).max(widgets::width(&head[col]).min(7)),
                _ => widest(col).max(widgets::width(&head[col]).min(10)),
            };
        }
        // What says whose document it is and when it runs out stays: the ID whole, the name shortened
        // (two workers can share a first name, never an ID), the document, its day and the days left.
        // The sector goes first, then the Hijri day, then the money, which `d` and Enter still reach.
        let keep = widgets::fit_columns(inner, &needs, &[SECTOR, HIJRI, HELD, FEE, COVERED, NAME]);
        let used: u16 = (0..COLUMNS).filter(|c| keep[*c]).map(|c| needs[c] + 1).sum();
        let spare = (inner + 1).saturating_sub(used);
        (visible, needs, keep, spare)
    };
    // "expired 58 days ago" only where it costs no column and none of the name's room.
    let short = plan(true);
    let long = plan(false);
    let (visible, needs, keep, spare) = if long.2 == short.2 && long.3 >= short.3.min(8) { long } else { short };
    // The name takes what is spare before the headings widen their columns: it is what is read.
    let needs = report::widths(inner, &needs, &keep, &head, NAME, NAME_MIN + spare.min(8));
    let cols: Vec<usize> = (0..COLUMNS).filter(|c| keep[*c]).collect();
    let columns: Vec<Column> =
        cols.iter().map(|&c| Column { width: needs[c], right: matches!(c, FEE | HELD) && !model.mirrored() }).collect();
    let fit = |cells: &[String; COLUMNS]| -> Vec<String> {
        cols.iter().map(|&c| widgets::ellipsis(&cells[c], needs[c]).into_owned()).collect()
    };
    let rows: Vec<(Vec<String>, Option<Style>)> = rows_shown
        .iter()
        .zip(&visible)
        .enumerate()
        .map(|(n, (d, cells))| {
            let style = if list.offset + n == list.selected {
                Some(model.palette().selected)
            } else {
                (d.days_left < 0).then_some(model.palette().error)
            };
            (fit(cells), style)
        })
        .collect();
    let body = Rect { y: area.y + 2, height: area.height.saturating_sub(3), ..area };
    cache.list_hits(body, list.offset, list.rows.len());
    report::draw_rows(frame, area, block, &columns, (&fit(&head), model.palette().emphasis), &rows);
    report::scrollbar(frame, area, list.total.unwrap_or(0) as usize, height, list.offset);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_days_choice_goes_round() {
        assert_eq!(widgets::cycle(&WITHIN, 90, false), 366);
        assert_eq!(widgets::cycle(&WITHIN, 366, false), 30);
    }
}
