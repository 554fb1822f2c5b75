//! The inquiry form: ID or iqama number with live validation, the image code, View.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use crate::api::{BalanceReport, ErrorCode, InquiryRequest, LinkedPerson, Secret};
use crate::client::ClientError;
use crate::domain::id_number::normalize_digits;
use crate::domain::services::folded;
use crate::tui::app::{Cmd, Hit, Model, Says, Screen};
use crate::tui::canvas::ViewCache;
use crate::tui::format::{self, id_feedback};
use crate::tui::keys::{Binding, both, help, status};
use crate::tui::screens::results::ResultsScreen;
use crate::tui::strings::{self, Arg, T, tr};
use crate::tui::widgets::{self, Edit, FieldKind, TextField};

/// The keys of this screen, as the status line and the help show them.
pub const KEYS: &[Binding] = &[
    help("", T::HelpInquiryType),
    both("Tab", T::KeyLoginNext, "Tab / Shift-Tab", T::HelpLoginNext),
    both("⏎", T::KeyInquirySubmit, "Enter", T::HelpInquirySubmit),
    both("Ctrl-P", T::KeyInquiryPeople, "Ctrl-P ↓", T::HelpInquiryPeople),
    both("Ctrl-R", T::KeyInquiryImage, "Ctrl-R", T::HelpLoginImage),
    both("Esc", T::KeyOtpBack, "Esc", T::HelpInquiryBack),
];

/// The status line while the pick list is open.
pub const PICKING_KEYS: &[Binding] =
    &[status("↑↓", T::KeyServicesMove), status("Enter", T::KeyPickingChoose), status("Esc", T::KeyFilteringCancel)];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    IdNumber,
    ImageCode,
    Submit,
}

impl Focus {
    const ORDER: [Focus; 3] = [Focus::IdNumber, Focus::ImageCode, Focus::Submit];

    pub fn next(self, back: bool) -> Focus {
        crate::tui::widgets::cycle(&Self::ORDER, self, back)
    }
}

#[derive(Debug, Clone)]
pub struct InquiryScreen {
    pub focus: Focus,
    pub id_number: TextField,
    pub image_code: TextField,
    pub people: Vec<LinkedPerson>,
    /// The pick list is open, with this row of `picks()` selected.
    pub picking: Option<usize>,
    /// What was typed in the open pick list: a name in either language, or ID digits.
    pub pick_filter: TextField,
}

impl Default for InquiryScreen {
    fn default() -> Self {
        InquiryScreen {
            focus: Focus::IdNumber,
            id_number: TextField::new(FieldKind::Digits, 10, T::IdNumber).trimming_pastes(),
            image_code: TextField::new(FieldKind::Text, 8, T::ImageCode).trimming_pastes(),
            people: vec![],
            picking: None,
            pick_filter: TextField::new(FieldKind::Text, 40, T::Search),
        }
    }
}

impl InquiryScreen {
    /// Opening the form: the cursor in the ID field, the image code to be typed afresh.
    pub fn enter(&mut self) {
        self.focus = Focus::IdNumber;
        self.image_code.clear();
        self.picking = None;
    }

    /// The field that has the focus, if any: the pick list's search while it is open.
    pub fn field(&mut self) -> Option<&mut TextField> {
        if self.picking.is_some() {
            return Some(&mut self.pick_filter);
        }
        match self.focus {
            Focus::IdNumber => Some(&mut self.id_number),
            Focus::ImageCode => Some(&mut self.image_code),
            Focus::Submit => None,
        }
    }

    /// The people the pick list shows: all of them, or those whose name (in either language,
    /// folded as people type Arabic) or ID number holds what was typed, in any digits.
    pub fn picks(&self) -> Vec<&LinkedPerson> {
        let typed = self.pick_filter.value().trim();
        if typed.is_empty() {
            return self.people.iter().collect();
        }
        let needle = folded(typed);
        let digits = normalize_digits(typed);
        self.people
            .iter()
            .filter(|p| {
                p.id_number.contains(&digits)
                    || folded(&p.name_en).contains(&needle)
                    || folded(&p.name_ar).contains(&needle)
            })
            .collect()
    }
}

/// The open pick list takes typed letters too (`?` among them) for its search.
pub fn is_typing(model: &Model) -> bool {
    model.inquiry.focus != Focus::Submit || model.inquiry.picking.is_some()
}

pub fn on_people(model: &mut Model, result: Result<Vec<LinkedPerson>, ClientError>) -> Vec<Cmd> {
    match result {
        Ok(people) => {
            model.touch();
            model.inquiry.people = people;
            let owner = model.owns_workers();
            model.services.set_establishment(owner);
            vec![]
        }
        Err(err) => model.call_failed(&err),
    }
}

pub fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    if model.inquiry.picking.is_some() {
        return on_pick_key(model, key);
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let s = &mut model.inquiry;
    match key.code {
        KeyCode::Char('r') if ctrl => {
            s.image_code.clear();
            vec![model.fetch_captcha()]
        }
        KeyCode::Char('p') if ctrl => open_pick_list(model),
        KeyCode::Down if s.focus == Focus::IdNumber => open_pick_list(model),
        KeyCode::Tab | KeyCode::Down => {
            s.focus = s.focus.next(false);
            vec![]
        }
        KeyCode::BackTab | KeyCode::Up => {
            s.focus = s.focus.next(true);
            vec![]
        }
        KeyCode::Esc => model.back_to_report().unwrap_or_else(|| model.go(Screen::Services)),
        KeyCode::Enter => submit(model),
        _ => {
            let Some(field) = s.field() else { return vec![] };
            let edit = field.handle_key(key);
            model.refused(edit);
            vec![]
        }
    }
}

fn open_pick_list(model: &mut Model) -> Vec<Cmd> {
    if !model.inquiry.people.is_empty() {
        model.inquiry.pick_filter.clear();
        let current = model.inquiry.people.iter().position(|p| p.id_number == model.inquiry.id_number.value());
        model.inquiry.picking = Some(current.unwrap_or(0));
    }
    vec![]
}

/// Arrows move; anything typed narrows the list, as My Services' search does; Esc first lets
/// go of the search, then closes the list.
fn on_pick_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let s = &mut model.inquiry;
    let Some(sel) = s.picking else { return vec![] };
    let last = s.picks().len().saturating_sub(1);
    match key.code {
        KeyCode::Down => s.picking = Some((sel + 1).min(last)),
        KeyCode::Up => s.picking = Some(sel.saturating_sub(1)),
        KeyCode::PageDown => s.picking = Some((sel + 10).min(last)),
        KeyCode::PageUp => s.picking = Some(sel.saturating_sub(10)),
        KeyCode::Home => s.picking = Some(0),
        KeyCode::End => s.picking = Some(last),
        KeyCode::Enter => {
            // With no one matching there is nothing to take: the list stays for the search to be mended.
            let Some(id) = s.picks().get(sel).map(|p| p.id_number.clone()) else { return vec![] };
            s.id_number.set(&id);
            s.picking = None;
            s.focus = Focus::ImageCode;
        }
        KeyCode::Esc if !s.pick_filter.value().is_empty() => {
            s.pick_filter.clear();
            s.picking = Some(0);
        }
        KeyCode::Esc => s.picking = None,
        _ => {
            let edit = s.pick_filter.handle_key(key);
            if edit == Edit::Changed {
                s.picking = Some(0);
            }
            model.refused(edit);
        }
    }
    vec![]
}

pub fn on_click(model: &mut Model, hit: Hit) -> Vec<Cmd> {
    match (hit, model.inquiry.picking) {
        // A second click on the chosen person takes them, as Enter does.
        (Hit::Row(i), Some(sel)) if i == sel => on_key(model, KeyEvent::from(KeyCode::Enter)),
        (Hit::Row(i), Some(_)) => {
            model.inquiry.picking = Some(i.min(model.inquiry.picks().len().saturating_sub(1)));
            vec![]
        }
        (_, Some(_)) => {
            model.inquiry.picking = None;
            vec![]
        }
        (Hit::Focus(i), None) => {
            let Some(&focus) = Focus::ORDER.get(i) else { return vec![] };
            model.inquiry.focus = focus;
            if focus == Focus::Submit { submit(model) } else { vec![] }
        }
        _ => vec![],
    }
}

fn submit(model: &mut Model) -> Vec<Cmd> {
    let (valid, _) = id_feedback(model.lang, model.inquiry.id_number.value());
    if !valid {
        model.inquiry.focus = Focus::IdNumber;
        model.error(Says::IdCheck(model.inquiry.id_number.value().to_owned()));
        return vec![];
    }
    if model.inquiry.image_code.value().trim().is_empty() {
        model.inquiry.focus = Focus::ImageCode;
        model.error(T::FieldRequired);
        return vec![];
    }
    let (Some(token), Some(captcha_id)) = (model.token(), model.captcha.id.take()) else {
        // The digits were read off an image the server no longer takes, as after a wrong code.
        model.inquiry.image_code.clear();
        model.inquiry.focus = Focus::ImageCode;
        model.error(T::ErrCaptcha);
        return vec![model.fetch_captcha()];
    };
    let req = InquiryRequest {
        id_number: model.inquiry.id_number.value().to_owned(),
        captcha_id,
        captcha_answer: Secret::new(model.inquiry.image_code.value().trim()),
    };
    model.notice = None;
    vec![Cmd::Inquire(token, req)]
}

pub fn on_balance(model: &mut Model, result: Result<BalanceReport, ClientError>) -> Vec<Cmd> {
    model.inquiry.image_code.clear();
    match result {
        Ok(report) => {
            model.touch();
            let Some(token) = model.token() else { return vec![] };
            let (results, cmds) = ResultsScreen::open(report, token);
            model.results = Some(results);
            model.go(Screen::Results);
            model.notice = None;
            cmds
        }
        Err(err) if model.session_lost(&err) => model.end_session(T::SessionRefused),
        Err(err) => {
            model.inquiry.focus = match err.code() {
                Some(ErrorCode::InvalidId | ErrorCode::NotAuthorized | ErrorCode::NotFound) => Focus::IdNumber,
                _ => Focus::ImageCode,
            };
            model.error(&err);
            vec![model.fetch_captcha()]
        }
    }
}

/// Rows the bordered form takes: the title, the ID, what is wrong with it, the image code, its
/// field and the button.
const FULL_HEIGHT: u16 = 1 + 3 + 1 + 10 + 3 + 1;

pub fn view(frame: &mut Frame, area: Rect, model: &Model, cache: &mut ViewCache) {
    let s = &model.inquiry;
    let look = model.look();
    let full = area.height >= FULL_HEIGHT;
    let rows = if full {
        Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(3),
            Constraint::Length(1),
            Constraint::Length(10),
            Constraint::Length(3),
            Constraint::Length(1),
        ])
        .split(area)
    } else {
        // Too short for the bordered form: the title and the borders go, each field keeps a row,
        // and the image code keeps the rows it needs to be read.
        Layout::vertical([
            Constraint::Length(0),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .split(area)
    };
    let field = |frame: &mut Frame, cache: &mut ViewCache, f: &widgets::TextField, area: Rect, focus: Focus| {
        let (typed, cursor) = f.render_fitted(frame, area, &look, s.focus == focus, full);
        cache.field(typed, cursor);
    };
    frame.render_widget(Paragraph::new(widgets::title(&look, model.t(T::InquiryTitle))), rows[0]);
    let id_area = Rect { width: rows[1].width.min(40), ..rows[1] };
    field(frame, cache, &s.id_number, id_area, Focus::IdNumber);
    let (valid, feedback) = id_feedback(model.lang, s.id_number.value());
    let style = if valid { model.palette().good } else { model.palette().dim };
    // The pick list's hint only when it fits whole; the status line names Ctrl-P too.
    let hint = format!("{feedback}   {}", model.t(T::PickHint));
    let hint = if widgets::width(&hint) <= rows[2].width {
        hint
    } else {
        widgets::ellipsis(&feedback, rows[2].width).into_owned()
    };
    frame.render_widget(Paragraph::new(Line::styled(hint, style)), rows[2]);
    cache.captcha(frame, rows[3], &look, &model.captcha, model.help || s.picking.is_some());
    let code_area = Rect { width: rows[4].width.min(40), ..rows[4] };
    field(frame, cache, &s.image_code, code_area, Focus::ImageCode);
    widgets::button(frame, rows[5], &look, model.t(T::ViewButton), s.focus == Focus::Submit);
    for (i, area) in [id_area, code_area, rows[5]].into_iter().enumerate() {
        cache.hit(area, Hit::Focus(i));
    }

    if let Some(sel) = s.picking {
        draw_pick_list(frame, area, model, sel, cache);
    }
}

/// The pick list over the form: the search typed on its first row, the people who match
/// below, and how many of how many in its title.
fn draw_pick_list(frame: &mut Frame, area: Rect, model: &Model, sel: usize, cache: &mut ViewCache) {
    let s = &model.inquiry;
    let picks = s.picks();
    let height = (picks.len().max(1) as u16 + 3).min(area.height.saturating_sub(2)).max(4);
    let popup = widgets::centered(area, area.width.min(70), height);
    frame.render_widget(Clear, popup);
    let count = tr(
        model.lang,
        T::PeopleMatching,
        &[
            ("n", Arg::Str(&format::grouped(picks.len() as u64))),
            ("total", Arg::Str(&format::grouped(s.people.len() as u64))),
        ],
    );
    let title = format!("{} · {count}", model.t(T::MyPeople));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(widgets::ellipsis(&title, popup.width.saturating_sub(2)).into_owned());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [search, rows] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let typed = s.pick_filter.value();
    let search_line = if typed.is_empty() {
        Line::styled(model.t(T::PickSearchHint), model.palette().dim)
    } else {
        Line::styled(format!("/{typed}▏"), model.palette().accent)
    };
    frame.render_widget(Paragraph::new(search_line), search);
    cache.hit(popup, Hit::Focus(usize::MAX));
    if picks.is_empty() {
        frame.render_widget(Paragraph::new(model.t(T::NoPersonMatches)), rows);
        return;
    }
    let items: Vec<ListItem> = picks
        .iter()
        .map(|p| {
            let name = strings::pick(model.lang, &p.name_en, &p.name_ar);
            ListItem::new(format!("{}  {name}  ({})", p.id_number, format::relation_label(model.lang, p.relation)))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(sel));
    frame.render_stateful_widget(
        List::new(items).highlight_style(model.palette().selected).style(Style::default()),
        rows,
        &mut state,
    );
    cache.list_hits(rows, state.offset(), picks.len());
}
