//! My Services: the tree from the server; only the balance inquiry opens here.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use crate::api::ServiceNode;
use crate::client::ClientError;
use crate::config::Lang;
use crate::tui::app::{Cmd, Hit, Model, Screen};
use crate::tui::canvas::ViewCache;
use crate::tui::keys::{Binding, both, status};
use crate::tui::strings::{self, T};
use crate::tui::widgets::{self, FieldKind, TextField};

/// The action of the one service this client offers.
pub const PAYMENTS_BALANCE: &str = "payments_balance";
/// The establishment's reports: the app's own entries, for owners of workers only.
pub const WORKERS: &str = "establishment_workers";
pub const RENEWALS: &str = "establishment_renewals";

/// The keys of this screen, as the status line and the help show them.
pub const KEYS: &[Binding] = &[
    both("↑↓/j k", T::KeyServicesMove, "↑ ↓ j k", T::HelpServicesMove),
    both("Enter", T::KeyServicesOpen, "Enter", T::HelpServicesOpen),
    both("/", T::KeyServicesSearch, "/", T::HelpServicesSearch),
    both("Esc", T::KeyServicesLogout, "Esc", T::HelpServicesLogout),
];

/// The status line while a search is typed.
pub const SEARCHING_KEYS: &[Binding] =
    &[status("↑↓", T::KeyServicesMove), status("Enter", T::KeyServicesOpen), status("Esc", T::KeySearchingStop)];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub depth: usize,
    pub title_en: String,
    pub title_ar: String,
    /// `None` for a group.
    pub leaf: Option<Leaf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    pub available: bool,
    pub action: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ServicesScreen {
    pub rows: Vec<Row>,
    pub selected: usize,
    pub searching: bool,
    pub search: TextField,
    /// Esc asked whether to log out; a second Esc does.
    pub confirm_logout: bool,
}

impl Default for ServicesScreen {
    fn default() -> Self {
        ServicesScreen {
            rows: vec![],
            selected: 0,
            searching: false,
            search: TextField::new(FieldKind::Text, 40, T::Search),
            confirm_logout: false,
        }
    }
}

fn flatten(nodes: &[ServiceNode], depth: usize, out: &mut Vec<Row>) {
    for n in nodes {
        let leaf = match &n.children {
            Some(_) => None,
            None => Some(Leaf { available: n.available.unwrap_or(false), action: n.action.clone() }),
        };
        out.push(Row { depth, title_en: n.title_en.clone(), title_ar: n.title_ar.clone(), leaf });
        if let Some(children) = &n.children {
            flatten(children, depth + 1, out);
        }
    }
}

impl ServicesScreen {
    /// Rows shown: every row, or while searching the leaves whose title matches.
    pub fn visible(&self) -> Vec<&Row> {
        let needle = self.search.value().trim().to_lowercase();
        if needle.is_empty() {
            return self.rows.iter().collect();
        }
        self.rows
            .iter()
            .filter(|r| {
                r.leaf.is_some() && (r.title_en.to_lowercase().contains(&needle) || r.title_ar.contains(&needle))
            })
            .collect()
    }

    /// Selectable rows are the leaves; groups are headings.
    fn step(&mut self, down: bool) {
        let visible = self.visible();
        let leaves: Vec<usize> = visible.iter().enumerate().filter(|(_, r)| r.leaf.is_some()).map(|(i, _)| i).collect();
        if leaves.is_empty() {
            return;
        }
        let pos = leaves.iter().position(|&i| i == self.selected);
        let next = match (pos, down) {
            (None, _) => leaves[0],
            (Some(p), true) => leaves[(p + 1).min(leaves.len() - 1)],
            (Some(p), false) => leaves[p.saturating_sub(1)],
        };
        self.selected = next;
    }

    /// Adds the establishment's group (for an owner of workers) at the end, or takes it away.
    pub fn set_establishment(&mut self, owner: bool) {
        let group = T::EstGroup.get(Lang::En);
        let ours = |r: &Row| match &r.leaf {
            Some(l) => matches!(l.action.as_deref(), Some(WORKERS | RENEWALS)),
            None => r.title_en == group,
        };
        self.rows.retain(|r| !ours(r));
        if owner && !self.rows.is_empty() {
            let entry = |action: Option<&str>, t: T| Row {
                depth: usize::from(action.is_some()),
                title_en: t.get(Lang::En).to_owned(),
                title_ar: t.get(Lang::Ar).to_owned(),
                leaf: action.map(|a| Leaf { available: true, action: Some(a.to_owned()) }),
            };
            self.rows.push(entry(None, T::EstGroup));
            self.rows.push(entry(Some(WORKERS), T::EstWorkers));
            self.rows.push(entry(Some(RENEWALS), T::EstRenewals));
        }
        self.selected = self.selected.min(self.visible().len().saturating_sub(1));
    }

    /// A service was opened from the search: the search ends and the whole list comes back, with the
    /// opened service still selected (before, the list stayed narrowed to the old text, with no field
    /// showing it, and `/` reopened it).
    fn end_search(&mut self) {
        let chosen = self.visible().get(self.selected).map(|row| std::ptr::from_ref::<Row>(row));
        self.searching = false;
        self.search.clear();
        self.selected = chosen.and_then(|c| self.rows.iter().position(|r| std::ptr::eq(r, c))).unwrap_or(0);
    }

    /// After the search changed: the first service that opens, else the first there is.
    pub fn select_first_available(&mut self) {
        let visible = self.visible();
        self.selected = visible
            .iter()
            .position(|r| r.leaf.as_ref().is_some_and(|l| l.available))
            .or_else(|| visible.iter().position(|r| r.leaf.is_some()))
            .unwrap_or(0);
    }
}

pub fn on_services(model: &mut Model, result: Result<Vec<ServiceNode>, ClientError>) -> Vec<Cmd> {
    match result {
        Ok(tree) => {
            model.touch();
            let mut rows = Vec::new();
            flatten(&tree, 0, &mut rows);
            model.services.rows = rows;
            let owner = model.owns_workers();
            model.services.set_establishment(owner);
            model.services.select_first_available();
            vec![]
        }
        Err(err) => model.call_failed(&err),
    }
}

pub fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let s = &mut model.services;
    let confirming = std::mem::take(&mut s.confirm_logout);
    match key.code {
        KeyCode::Down => s.step(true),
        KeyCode::Up => s.step(false),
        KeyCode::Char('j') if !s.searching => s.step(true),
        KeyCode::Char('k') if !s.searching => s.step(false),
        KeyCode::Char('/') if !s.searching => {
            s.searching = true;
        }
        KeyCode::Esc if s.searching => {
            s.searching = false;
            s.search.clear();
            s.select_first_available();
        }
        // One stray Esc must not cost a whole login.
        KeyCode::Esc if confirming => return logout(model),
        KeyCode::Esc => {
            s.confirm_logout = true;
            model.info(T::ConfirmLogout);
        }
        KeyCode::Enter => return open(model),
        _ if s.searching => {
            let edit = s.search.handle_key(key);
            s.select_first_available();
            model.refused(edit);
        }
        _ => {}
    }
    vec![]
}

fn open(model: &mut Model) -> Vec<Cmd> {
    let row = model.services.visible().get(model.services.selected).map(|r| (*r).clone());
    match row.and_then(|r| r.leaf) {
        Some(Leaf { available: true, action: Some(action) }) if action == PAYMENTS_BALANCE => {
            model.services.end_search();
            model.go(Screen::Inquiry)
        }
        Some(Leaf { available: true, action: Some(action) }) if action == WORKERS => {
            model.services.end_search();
            super::workers::open(model)
        }
        Some(Leaf { available: true, action: Some(action) }) if action == RENEWALS => {
            model.services.end_search();
            super::renewals::open(model)
        }
        Some(_) => {
            model.info(T::ServiceNotAvailable);
            vec![]
        }
        None => vec![],
    }
}

pub fn logout(model: &mut Model) -> Vec<Cmd> {
    let token = model.token();
    model.forget_the_person();
    let mut cmds = model.end_session(T::LoggedOut);
    if let Some(token) = token {
        cmds.push(Cmd::Logout(token));
    }
    cmds
}

pub fn view(frame: &mut Frame, area: Rect, model: &Model, cache: &mut ViewCache) {
    let s = &model.services;
    let [title, search, list] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(if s.searching { 3 } else { 0 }),
        Constraint::Min(1),
    ])
    .areas(area);
    let look = model.look();
    frame.render_widget(Paragraph::new(widgets::title(&look, model.t(T::ServicesTitle))), title);
    if s.searching {
        cache.field(search, s.search.render(frame, search, &look, true));
    }
    let visible = s.visible();
    if visible.is_empty() {
        frame.render_widget(Paragraph::new(model.t(T::NoMatch)), list);
        return;
    }
    // The highlight mark takes two cells; what does not fit ends in an ellipsis.
    let room = list.width.saturating_sub(2);
    let items: Vec<ListItem> = visible
        .iter()
        .map(|r| {
            let title = strings::pick(model.lang, &r.title_en, &r.title_ar).into_owned();
            let indent = "  ".repeat(r.depth);
            let fit = |text: String| widgets::ellipsis(&text, room).into_owned();
            let line = match &r.leaf {
                None => Line::from(Span::styled(fit(format!("{indent}{title}")), model.palette().emphasis)),
                Some(l) if l.available => Line::from(fit(format!("{indent}• {title}"))),
                Some(_) => Line::from(Span::styled(
                    fit(format!("{indent}  {title}  ({})", model.t(T::NotAvailable))),
                    model.palette().dim,
                )),
            };
            ListItem::new(line)
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(s.selected));
    frame.render_stateful_widget(
        List::new(items).highlight_style(model.palette().selected).highlight_symbol("▶ "),
        list,
        &mut state,
    );
    cache.list_hits(list, state.offset(), visible.len());
}

/// A click selects a service; a second click on it opens it, as Enter does.
pub fn on_click(model: &mut Model, hit: Hit) -> Vec<Cmd> {
    let Hit::Row(i) = hit else { return vec![] };
    let is_leaf = model.services.visible().get(i).is_some_and(|r| r.leaf.is_some());
    if !is_leaf {
        return vec![];
    }
    if model.services.selected == i {
        return on_key(model, KeyEvent::from(KeyCode::Enter));
    }
    model.services.selected = i;
    vec![]
}
