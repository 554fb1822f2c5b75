//! The inquiry form: ID or iqama number with live validation, the image code, View.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use crate::api::{BalanceReport, ErrorCode, InquiryRequest, LinkedPerson, Secret};
use crate::client::ClientError;
use crate::tui::app::{Cmd, Hit, Model, Screen};
use crate::tui::canvas::ViewCache;
use crate::tui::format::{self, id_feedback};
use crate::tui::keys::{Binding, both, help};
use crate::tui::screens::results::ResultsScreen;
use crate::tui::strings::{self, T};
use crate::tui::widgets::{self, FieldKind, TextField};

/// The keys of this screen, as the status line and the help show them.
pub const KEYS: &[Binding] = &[
    help("", T::HelpInquiryType),
    both("Tab", T::KeyLoginNext, "Tab / Shift-Tab", T::HelpLoginNext),
    both("⏎", T::KeyInquirySubmit, "Enter", T::HelpInquirySubmit),
    both("Ctrl-P", T::KeyInquiryPeople, "Ctrl-P ↓", T::HelpInquiryPeople),
    both("Ctrl-R", T::KeyInquiryImage, "Ctrl-R", T::HelpLoginImage),
    both("Esc", T::KeyOtpBack, "Esc", T::HelpInquiryBack),
];

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
    /// The pick list is open, with this row selected.
    pub picking: Option<usize>,
}

impl Default for InquiryScreen {
    fn default() -> Self {
        InquiryScreen {
            focus: Focus::IdNumber,
            id_number: TextField::new(FieldKind::Digits, 10, T::IdNumber).trimming_pastes(),
            image_code: TextField::new(FieldKind::Text, 8, T::ImageCode).trimming_pastes(),
            people: vec![],
            picking: None,
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

    /// The field that has the focus, if any.
    pub fn field(&mut self) -> Option<&mut TextField> {
        match self.focus {
            Focus::IdNumber => Some(&mut self.id_number),
            Focus::ImageCode => Some(&mut self.image_code),
            Focus::Submit => None,
        }
    }
}

pub fn is_typing(model: &Model) -> bool {
    model.inquiry.focus != Focus::Submit && model.inquiry.picking.is_none()
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
        let current = model.inquiry.people.iter().position(|p| p.id_number == model.inquiry.id_number.value());
        model.inquiry.picking = Some(current.unwrap_or(0));
    }
    vec![]
}

fn on_pick_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let s = &mut model.inquiry;
    let n = s.people.len();
    let Some(sel) = s.picking else { return vec![] };
    match key.code {
        KeyCode::Down | KeyCode::Char('j') => s.picking = Some((sel + 1).min(n.saturating_sub(1))),
        KeyCode::Up | KeyCode::Char('k') => s.picking = Some(sel.saturating_sub(1)),
        KeyCode::PageDown => s.picking = Some((sel + 10).min(n.saturating_sub(1))),
        KeyCode::PageUp => s.picking = Some(sel.saturating_sub(10)),
        KeyCode::Home => s.picking = Some(0),
        KeyCode::End => s.picking = Some(n.saturating_sub(1)),
        KeyCode::Enter => {
            if let Some(p) = s.people.get(sel) {
                let id = p.id_number.clone();
                s.id_number.set(&id);
            }
            s.picking = None;
            s.focus = Focus::ImageCode;
        }
        KeyCode::Esc => s.picking = None,
        _ => {}
    }
    vec![]
}

pub fn on_click(model: &mut Model, hit: Hit) -> Vec<Cmd> {
    match (hit, model.inquiry.picking) {
        // A second click on the chosen person takes them, as Enter does.
        (Hit::Row(i), Some(sel)) if i == sel => on_key(model, KeyEvent::from(KeyCode::Enter)),
        (Hit::Row(i), Some(_)) => {
            model.inquiry.picking = Some(i.min(model.inquiry.people.len().saturating_sub(1)));
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
    let (valid, why) = id_feedback(model.lang, model.inquiry.id_number.value());
    if !valid {
        model.inquiry.focus = Focus::IdNumber;
        model.error(why);
        return vec![];
    }
    if model.inquiry.image_code.value().trim().is_empty() {
        model.inquiry.focus = Focus::ImageCode;
        model.error(model.t(T::FieldRequired));
        return vec![];
    }
    let (Some(token), Some(captcha_id)) = (model.token(), model.captcha.id.take()) else {
        // The digits were read off an image the server no longer takes, as after a wrong code.
        model.inquiry.image_code.clear();
        model.inquiry.focus = Focus::ImageCode;
        model.error(model.t(T::ErrCaptcha));
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
            model.error(model.error_text(&err));
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
        let focused = s.focus == focus;
        if full {
            cache.field(area, f.render(frame, area, &look, focused));
        } else {
            let (typed, cursor) = f.render_row(frame, area, &look, focused);
            cache.field(typed, cursor);
        }
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
        let height = (s.people.len() as u16 + 2).min(area.height.saturating_sub(2)).max(3);
        let popup = widgets::centered(area, area.width.min(70), height);
        frame.render_widget(Clear, popup);
        let items: Vec<ListItem> = s
            .people
            .iter()
            .map(|p| {
                let name = strings::pick(model.lang, &p.name_en, &p.name_ar);
                ListItem::new(format!("{}  {name}  ({})", p.id_number, format::relation_label(model.lang, p.relation)))
            })
            .collect();
        let block = Block::default().borders(Borders::ALL).title(model.t(T::MyPeople));
        let rows = block.inner(popup);
        let mut state = ListState::default().with_selected(Some(sel));
        frame.render_stateful_widget(
            List::new(items).block(block).highlight_style(model.palette().selected).style(Style::default()),
            popup,
            &mut state,
        );
        cache.hit(popup, Hit::Focus(usize::MAX));
        cache.list_hits(rows, state.offset(), s.people.len());
    }
}
