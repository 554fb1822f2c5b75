//! Login: username or ID, password, the image code.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::api::{LoginChallenge, LoginRequest, Secret};
use crate::client::ClientError;
use crate::tui::app::{Cmd, Hit, Model, Screen};
use crate::tui::canvas::ViewCache;
use crate::tui::keys::{Binding, both, help};
use crate::tui::strings::T;
use crate::tui::widgets::{self, FieldKind, TextField};

/// The keys of this screen, as the status line and the help show them.
pub const KEYS: &[Binding] = &[
    both("Tab", T::KeyLoginNext, "Tab / Shift-Tab", T::HelpLoginNext),
    both("Enter", T::KeyLoginSubmit, "Enter", T::HelpLoginSubmit),
    both("Ctrl-R", T::KeyLoginImage, "Ctrl-R", T::HelpLoginImage),
    help("F2", T::HelpGlobalLanguage),
    help("Ctrl-C", T::HelpGlobalQuit),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Username,
    Password,
    ImageCode,
    Submit,
}

impl Focus {
    const ORDER: [Focus; 4] = [Focus::Username, Focus::Password, Focus::ImageCode, Focus::Submit];

    pub fn next(self, back: bool) -> Focus {
        crate::tui::widgets::cycle(&Self::ORDER, self, back)
    }
}

#[derive(Debug, Clone)]
pub struct LoginScreen {
    pub focus: Focus,
    pub username: TextField,
    pub password: TextField,
    pub image_code: TextField,
}

impl Default for LoginScreen {
    fn default() -> Self {
        LoginScreen {
            focus: Focus::Username,
            username: TextField::new(FieldKind::Text, 64, T::Username),
            password: TextField::new(FieldKind::Secret, 128, T::Password),
            image_code: TextField::new(FieldKind::Text, 8, T::ImageCode),
        }
    }
}

impl LoginScreen {
    /// After a logout or a lost session: the username stays, secrets go.
    pub fn reset_for_new_login(&mut self) {
        self.password.clear();
        self.image_code.clear();
        self.focus = if self.username.value().is_empty() { Focus::Username } else { Focus::Password };
    }

    /// The field that has the focus, if any.
    pub fn field(&mut self) -> Option<&mut TextField> {
        match self.focus {
            Focus::Username => Some(&mut self.username),
            Focus::Password => Some(&mut self.password),
            Focus::ImageCode => Some(&mut self.image_code),
            Focus::Submit => None,
        }
    }
}

pub fn is_typing(model: &Model) -> bool {
    model.login.focus != Focus::Submit
}

pub fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('r') if ctrl => {
            model.login.image_code.clear();
            vec![model.fetch_captcha()]
        }
        KeyCode::Tab | KeyCode::Down => {
            model.login.focus = model.login.focus.next(false);
            vec![]
        }
        KeyCode::BackTab | KeyCode::Up => {
            model.login.focus = model.login.focus.next(true);
            vec![]
        }
        KeyCode::Enter => submit(model),
        _ => {
            if let Some(field) = model.login.field() {
                let edit = field.handle_key(key);
                model.refused(edit);
            }
            vec![]
        }
    }
}

pub fn on_click(model: &mut Model, hit: Hit) -> Vec<Cmd> {
    let Hit::Focus(i) = hit else { return vec![] };
    let Some(&focus) = Focus::ORDER.get(i) else { return vec![] };
    model.login.focus = focus;
    if focus == Focus::Submit { submit(model) } else { vec![] }
}

fn submit(model: &mut Model) -> Vec<Cmd> {
    let s = &model.login;
    let missing = [
        (Focus::Username, s.username.value().trim().is_empty()),
        (Focus::Password, s.password.value().is_empty()),
        (Focus::ImageCode, s.image_code.value().trim().is_empty()),
    ]
    .into_iter()
    .find(|(_, empty)| *empty);
    if let Some((focus, _)) = missing {
        model.login.focus = focus;
        model.error(T::FieldRequired);
        return vec![];
    }
    if model.pending > 0 && model.captcha.loading {
        return vec![];
    }
    let Some(captcha_id) = model.captcha.id.take() else {
        // The digits were read off an image the server no longer takes, as after a wrong code.
        model.login.image_code.clear();
        model.login.focus = Focus::ImageCode;
        model.error(T::ErrCaptcha);
        return vec![model.fetch_captcha()];
    };
    let req = LoginRequest {
        username: model.login.username.value().trim().to_owned(),
        password: Secret::new(model.login.password.value()),
        captcha_id,
        captcha_answer: Secret::new(model.login.image_code.value().trim()),
    };
    model.notice = None;
    vec![Cmd::Login(req)]
}

pub fn on_answer(model: &mut Model, result: Result<LoginChallenge, ClientError>) -> Vec<Cmd> {
    // The image code is spent whatever the answer.
    model.login.image_code.clear();
    match result {
        Ok(challenge) => {
            model.login.password.clear();
            model.otp.start(challenge, model.now_ms);
            let mut cmds = model.go(Screen::Otp);
            model.notice = None;
            if model.demo.is_some() {
                cmds.push(Cmd::FetchOutbox);
            }
            cmds
        }
        Err(err) => {
            // A refused password is not kept for another try, nor after a lockout.
            let wrong_password = matches!(
                err.code(),
                Some(crate::api::ErrorCode::InvalidCredentials | crate::api::ErrorCode::AccountLocked)
            );
            if wrong_password {
                model.login.password.clear();
                model.login.focus = Focus::Password;
            } else {
                model.login.focus = Focus::ImageCode;
            }
            model.error(&err);
            vec![model.fetch_captcha()]
        }
    }
}

/// Rows the bordered form takes: the title, three fields, the image code and the button.
const FULL_HEIGHT: u16 = 1 + 3 + 3 + 10 + 3 + 1;

pub fn view(frame: &mut Frame, area: Rect, model: &Model, cache: &mut ViewCache) {
    let s = &model.login;
    let demo = model.demo.as_ref().filter(|_| area.width >= 76);
    let [form_area, demo_area] = if demo.is_some() {
        Layout::horizontal([Constraint::Min(44), Constraint::Length(30)]).areas(area)
    } else {
        [area, Rect::default()]
    };
    let look = model.look();
    let fields = [(&s.username, Focus::Username), (&s.password, Focus::Password), (&s.image_code, Focus::ImageCode)];
    let mut field_areas = [Rect::default(); 3];
    // Each field in its row of `rows`, keeping where it went for the mouse.
    let mut draw_fields = |frame: &mut Frame, cache: &mut ViewCache, rows: &[Rect], at: [usize; 3], bordered: bool| {
        for ((field, focus), (area, at)) in fields.into_iter().zip(field_areas.iter_mut().zip(at)) {
            *area = rows[at];
            let (typed, cursor) = field.render_fitted(frame, *area, &look, s.focus == focus, bordered);
            cache.field(typed, cursor);
        }
    };
    let button = if form_area.height >= FULL_HEIGHT {
        let rows = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(3),
            Constraint::Length(3),
            Constraint::Length(10),
            Constraint::Length(3),
            Constraint::Length(1),
        ])
        .split(form_area);
        frame.render_widget(Paragraph::new(widgets::title(&look, model.t(T::LoginTitle))), rows[0]);
        draw_fields(frame, cache, &rows, [1, 2, 4], true);
        cache.captcha(frame, rows[3], &look, &model.captcha, model.help);
        rows[5]
    } else {
        // Too short for the bordered form: the title and the borders go, each field keeps a row,
        // and the image code keeps the rows it needs to be read.
        let rows = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .split(form_area);
        draw_fields(frame, cache, &rows, [0, 1, 3], false);
        cache.captcha(frame, rows[2], &look, &model.captcha, model.help);
        rows[4]
    };
    widgets::button(frame, button, &look, model.t(T::LoginButton), s.focus == Focus::Submit);
    for (i, area) in field_areas.into_iter().chain([button]).enumerate() {
        cache.hit(area, Hit::Focus(i));
    }

    if let Some(demo) = demo {
        let mut lines = vec![
            Line::from(model.t(T::DemoPassword)),
            Line::from(Span::styled(demo.password.as_str(), model.palette().emphasis)),
            Line::from(""),
        ];
        for (username, id) in &demo.accounts {
            lines.push(Line::from(vec![
                Span::styled(username.as_str(), model.palette().emphasis),
                Span::raw(format!("  {id}")),
            ]));
        }
        let block = Block::default().borders(Borders::ALL).title(model.t(T::DemoAccounts));
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), demo_area);
    }
}
