//! What keys and clicks do on the results screen, by mode: typing a filter,
//! reading a transaction's detail, choosing an export format, or browsing.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Mode, Pane, STACK_MIN_HEIGHT, TxFilters, documents_per_page, table_height};
use crate::present::export::{Export, Format};
use crate::tui::app::{Cmd, Hit, Model, Screen};
use crate::tui::format;
use crate::tui::keys::{Binding, both, help, status};
use crate::tui::strings::T;
use crate::tui::widgets::{FieldKind, TextField};

/// The keys of this screen, as the status line and the help show them.
pub const KEYS: &[Binding] = &[
    both("Tab", T::KeyResultsPane, "Tab", T::HelpResultsPane),
    both("↑↓", T::KeyResultsMove, "↑ ↓ PgUp PgDn Home End", T::HelpResultsMove),
    both("s", T::KeyResultsSort, "s", T::HelpResultsSort),
    both("/", T::KeyResultsFilter, "/", T::HelpResultsFilter),
    both("f", T::KeyResultsSector, "f", T::HelpResultsSector),
    both("[ ]", T::KeyResultsYear, "[ ]", T::HelpResultsYear),
    both("⏎", T::KeyResultsDetail, "Enter", T::HelpResultsDetail),
    both("e", T::KeyResultsExport, "e", T::HelpResultsExport),
    both("g", T::KeyResultsGoTo, "g", T::HelpResultsGoTo),
    both("{ }", T::KeyResultsHijriYear, "{ }", T::HelpResultsHijriYear),
    help("d", T::HelpResultsDocuments),
    help("Esc", T::HelpResultsBack),
];

/// The status line while the day to go to is typed.
pub const GOTO_KEYS: &[Binding] = &[status("Enter", T::KeyGoToGo), status("Esc", T::KeyFilteringCancel)];

/// The status line while the list of every document is open.
pub const DOCUMENT_LIST_KEYS: &[Binding] = &[status("↑↓", T::KeyResultsMove), status("Esc", T::KeyClose)];

/// The status line's keys: those of the field being typed in or the list open, or the screen's.
pub fn status_keys(model: &Model) -> &'static [Binding] {
    match model.results.as_ref().map(|r| r.mode()) {
        Some(Mode::GoingTo) => GOTO_KEYS,
        Some(Mode::Filtering) => crate::tui::keys::APPLYING_KEYS,
        Some(Mode::Documents) => DOCUMENT_LIST_KEYS,
        _ => KEYS,
    }
}

pub fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let Some(mode) = model.results.as_ref().map(|r| r.mode()) else { return vec![] };
    match mode {
        Mode::Filtering => filtering(model, key),
        Mode::GoingTo => going_to(model, key),
        Mode::Detail => detail(model, key),
        Mode::Documents => document_list(model, key),
        Mode::Exporting => exporting(model, key),
        Mode::Browsing => browsing(model, key),
    }
}

/// A click picks a tab or a row; a second click on the selected row opens it, as Enter does.
pub fn on_click(model: &mut Model, hit: Hit) -> Vec<Cmd> {
    let height = table_height(model);
    let Some(r) = model.results.as_mut().filter(|r| r.mode() == Mode::Browsing) else { return vec![] };
    match hit {
        Hit::Tab(i) => r.pane = if i == 0 { Pane::Overview } else { Pane::Transactions },
        Hit::Row(i) if i == r.table.selected => return on_key(model, KeyEvent::from(KeyCode::Enter)),
        Hit::Row(i) => {
            r.table.move_by(i as isize - r.table.selected as isize, height);
            return r.fetch_wanted().into_iter().collect();
        }
        Hit::Focus(_) => {}
    }
    vec![]
}

/// `/` typing: Enter applies the filter, Esc drops it.
fn filtering(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let Some(r) = model.results.as_mut() else { return vec![] };
    let Some(field) = r.filter_edit.as_mut() else { return vec![] };
    match key.code {
        KeyCode::Enter => {
            let text = field.value().to_owned();
            r.filter_edit = None;
            r.pane = Pane::Transactions;
            return r.requery(false, |f| f.text = text);
        }
        KeyCode::Esc => r.filter_edit = None,
        _ => {
            let edit = field.handle_key(key);
            model.refused(edit);
        }
    }
    vec![]
}

/// The day after `g`: Enter goes there (or says what a date looks like), Esc closes the field.
fn going_to(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let height = table_height(model);
    let Some(r) = model.results.as_mut() else { return vec![] };
    let Some(field) = r.goto_edit.as_mut() else { return vec![] };
    match key.code {
        KeyCode::Enter => match super::parse_day(field.value()) {
            Some(day) => {
                r.goto_edit = None;
                r.pane = Pane::Transactions;
                r.table.scroll_into_view(height);
                model.notice = None;
                let cmds = r.go_to(day);
                return cmds;
            }
            None => model.error(T::BadDate),
        },
        KeyCode::Esc => r.goto_edit = None,
        _ => {
            let edit = field.handle_key(key);
            model.refused(edit);
        }
    }
    vec![]
}

/// The detail popup closes with Esc or Enter; other keys do nothing under it.
fn detail(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    if let Some(r) = model.results.as_mut()
        && matches!(key.code, KeyCode::Esc | KeyCode::Enter)
    {
        r.detail = false;
    }
    vec![]
}

/// The list of every document scrolls a document at a time, or a page; Esc, Enter or `d` close it.
fn document_list(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let page = documents_per_page(model);
    let Some(r) = model.results.as_mut() else { return vec![] };
    let count = r.documents.as_ref().and_then(|d| d.as_ref().ok()).map_or(0, Vec::len);
    let last = count.saturating_sub(page);
    let Some(at) = r.documents_at else { return vec![] };
    r.documents_at = match key.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Char('d') => None,
        KeyCode::Down | KeyCode::Char('j') => Some((at + 1).min(last)),
        KeyCode::Up | KeyCode::Char('k') => Some(at.saturating_sub(1).min(last)),
        KeyCode::PageDown => Some((at + page).min(last)),
        KeyCode::PageUp => Some(at.saturating_sub(page).min(last)),
        KeyCode::Home => Some(0),
        KeyCode::End => Some(last),
        _ => Some(at),
    };
    vec![]
}

/// `c`, `j` or `h` exports in that format; any other key lets the prompt go.
fn exporting(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let lang = model.lang;
    let Some(r) = model.results.as_mut() else { return vec![] };
    r.export_prompt = false;
    let format = match key.code {
        KeyCode::Char('c') => Format::Csv,
        KeyCode::Char('j') => Format::Json,
        KeyCode::Char('h') => Format::Hledger,
        _ => return vec![],
    };
    let export = Export {
        id_number: r.report.subject.id_number.clone(),
        query: r.filters.query(None, crate::api::MAX_PAGE_LIMIT),
        format,
        lang,
    };
    let cmd = Cmd::Export { token: r.token.clone(), export };
    model.info(T::Exporting);
    vec![cmd]
}

/// Moving in the table, and the keys that sort, filter, open and export.
fn browsing(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let height = table_height(model);
    let stacked = model.size.1 >= STACK_MIN_HEIGHT;
    let today = format::riyadh_date(model.now_ms);
    let Some(r) = model.results.as_mut() else { return vec![] };
    let page_rows = height.max(2) as isize - 1;
    let movement = match key.code {
        KeyCode::Down | KeyCode::Char('j') => Some(1),
        KeyCode::Up | KeyCode::Char('k') => Some(-1),
        KeyCode::PageDown => Some(page_rows),
        KeyCode::PageUp => Some(-page_rows),
        _ => None,
    };
    if let KeyCode::Home | KeyCode::End | KeyCode::Char('G') = key.code {
        if !stacked {
            r.pane = Pane::Transactions;
        }
        return if key.code == KeyCode::Home { r.home(height) } else { r.end(height) };
    }
    if let Some(delta) = movement {
        if !stacked {
            r.pane = Pane::Transactions;
        }
        r.table.move_by(delta, height);
        return r.fetch_wanted().into_iter().collect();
    }
    match key.code {
        KeyCode::Tab | KeyCode::BackTab => {
            r.pane = if r.pane == Pane::Overview { Pane::Transactions } else { Pane::Overview };
            vec![]
        }
        // Seeing the results again costs a new image code: Esc lets go of the filters first.
        KeyCode::Esc if r.filters.is_filtered() => {
            r.requery(false, |f| *f = TxFilters { sort: f.sort, ..TxFilters::default() })
        }
        KeyCode::Esc => model.back_to_report().unwrap_or_else(|| model.go(Screen::Inquiry)),
        KeyCode::Char('s') => r.requery(false, TxFilters::next_sort),
        // A year or a sector narrows a search refused as too broad, as its notice says.
        KeyCode::Char('f') => r.requery(true, TxFilters::next_sector),
        KeyCode::Char(c @ ('[' | ']')) => {
            let (first, last) = r.years(today);
            r.requery(true, |f| f.step_year(first, last, c == '['))
        }
        KeyCode::Char(c @ ('{' | '}')) => {
            let (first, last) = r.hijri_years(today);
            r.requery(true, |f| f.step_hijri_year(first, last, c == '{'))
        }
        KeyCode::Char('d') => {
            match &r.documents {
                Some(Ok(docs)) if !docs.is_empty() => {
                    r.documents_at = Some(0);
                    // A notice of three lines would take rows the list counts on.
                    model.notice = None;
                }
                Some(Ok(_)) => model.info(T::NoDocuments),
                Some(Err(says)) => {
                    let says = says.clone();
                    model.error(says);
                }
                None => model.info(T::LoadingMore),
            }
            vec![]
        }
        KeyCode::Char('g') if !r.filters.sort.by_date() => {
            model.error(T::GoToNeedsDateSort);
            vec![]
        }
        KeyCode::Char('g') => {
            // The field is drawn under the table: a small terminal shows the table.
            r.pane = Pane::Transactions;
            r.goto_edit = Some(TextField::new(FieldKind::Text, 16, T::GoToDate));
            vec![]
        }
        KeyCode::Char('/') => {
            let mut field = TextField::new(FieldKind::Text, 100, T::Filter);
            // A refused search comes back to be changed.
            field.set(r.broad_text.as_deref().unwrap_or(&r.filters.text));
            r.filter_edit = Some(field);
            vec![]
        }
        KeyCode::Enter => {
            r.detail = r.table.row(r.table.selected).is_some();
            vec![]
        }
        KeyCode::Char('e') => {
            r.export_prompt = true;
            vec![]
        }
        _ => vec![],
    }
}
