//! The SMS verification code, with its countdown.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Wrap};

use crate::api::{DevOutbox, ErrorCode, LoginChallenge, OtpRequest, Secret, Session};
use crate::client::ClientError;
use crate::tui::app::{Cmd, Hit, Model, Screen};
use crate::tui::canvas::ViewCache;
use crate::tui::keys::{Binding, both};
use crate::tui::strings::{Arg, T, tr};
use crate::tui::widgets::{self, FieldKind, TextField};

/// The keys of this screen, as the status line and the help show them.
pub const KEYS: &[Binding] = &[
    both("Enter", T::KeyOtpSubmit, "", T::HelpOtpSubmit),
    both("Ctrl-R", T::KeyOtpResend, "Ctrl-R", T::HelpOtpResend),
    both("Esc", T::KeyOtpBack, "Esc", T::HelpOtpBack),
];

#[derive(Debug, Clone)]
pub struct OtpScreen {
    pub challenge_id: String,
    pub masked_phone: String,
    pub expires_at_ms: i64,
    pub code: TextField,
    /// The simulated SMS of the embedded demo.
    pub demo_sms: Option<String>,
}

impl Default for OtpScreen {
    fn default() -> Self {
        OtpScreen {
            challenge_id: String::new(),
            masked_phone: String::new(),
            expires_at_ms: 0,
            code: TextField::new(FieldKind::Digits, 4, T::OtpTitle).trimming_pastes(),
            demo_sms: None,
        }
    }
}

impl OtpScreen {
    pub fn start(&mut self, challenge: LoginChallenge, now_ms: i64) {
        self.challenge_id = challenge.challenge_id;
        self.masked_phone = challenge.masked_phone;
        self.expires_at_ms = now_ms + challenge.otp_expires_in_s as i64 * 1000;
        self.code.clear();
        self.demo_sms = None;
    }

    pub fn seconds_left(&self, now_ms: i64) -> i64 {
        ((self.expires_at_ms - now_ms).max(0) + 999) / 1000
    }
}

pub fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let expired = model.otp.seconds_left(model.now_ms) == 0;
    match key.code {
        KeyCode::Esc => model.go(Screen::Login),
        KeyCode::Char('r') if ctrl => {
            if expired {
                let id = model.otp.challenge_id.clone();
                vec![Cmd::ResendOtp(id)]
            } else {
                // Not the seconds: a copy of the countdown would go stale beside it.
                model.info(T::OtpResendLater);
                vec![]
            }
        }
        KeyCode::Enter => {
            if expired {
                model.error(T::OtpExpiredResend);
                return vec![];
            }
            if model.otp.code.char_count() != 4 {
                model.error(T::OtpNeeds4);
                return vec![];
            }
            let code = crate::domain::id_number::normalize_digits(model.otp.code.value());
            let req = OtpRequest { challenge_id: model.otp.challenge_id.clone(), code: Secret::new(code) };
            vec![Cmd::VerifyOtp(req)]
        }
        _ => {
            let edit = model.otp.code.handle_key(key);
            model.refused(edit);
            vec![]
        }
    }
}

pub fn on_answer(model: &mut Model, result: Result<Session, ClientError>) -> Vec<Cmd> {
    model.otp.code.clear();
    match result {
        Ok(session) => {
            let token = session.token.clone();
            model.session = Some(session);
            model.touch();
            model.otp.demo_sms = None;
            model.notice = None;
            let mut cmds = model.go(Screen::Services);
            cmds.extend([Cmd::FetchServices(token.clone()), Cmd::FetchPeople(token)]);
            cmds
        }
        Err(err) => {
            if login_over(&err) {
                let cmds = model.go(Screen::Login);
                model.error(&err);
                return cmds;
            }
            model.error(&err);
            vec![]
        }
    }
}

/// The server takes no more codes for this login: it ran out of time or of tries.
fn login_over(err: &ClientError) -> bool {
    match err {
        ClientError::Api { code: ErrorCode::OtpExpired, .. } => true,
        ClientError::Api { code: ErrorCode::OtpInvalid, attempts_left, .. } => *attempts_left == Some(0),
        _ => false,
    }
}

pub fn on_resent(model: &mut Model, result: Result<LoginChallenge, ClientError>) -> Vec<Cmd> {
    match result {
        Ok(challenge) => {
            model.otp.start(challenge, model.now_ms);
            model.notice = None;
            if model.demo.is_some() { vec![Cmd::FetchOutbox] } else { vec![] }
        }
        Err(err) => {
            let cmds = model.go(Screen::Login);
            model.error(&err);
            cmds
        }
    }
}

pub fn on_outbox(model: &mut Model, result: Result<DevOutbox, ClientError>) -> Vec<Cmd> {
    if let Ok(outbox) = result
        && let Some(sms) = outbox.sms.iter().rev().find(|s| s.challenge_id == model.otp.challenge_id)
    {
        model.otp.demo_sms = Some(sms.text.clone());
    }
    vec![]
}

/// The code field always has the focus; a click on Verify submits, as Enter does.
pub fn on_click(model: &mut Model, hit: Hit) -> Vec<Cmd> {
    if hit == Hit::Focus(1) { on_key(model, KeyEvent::from(KeyCode::Enter)) } else { vec![] }
}

pub fn view(frame: &mut Frame, area: Rect, model: &Model, cache: &mut ViewCache) {
    let s = &model.otp;
    let rows = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .split(area);
    let look = model.look();
    frame.render_widget(Paragraph::new(widgets::title(&look, model.t(T::OtpTitle))), rows[0]);
    let sent = tr(model.lang, T::OtpSentTo, &[("phone", Arg::Str(&s.masked_phone))]);
    frame.render_widget(Paragraph::new(sent).wrap(Wrap { trim: true }), rows[1]);
    let field_area = Rect { width: rows[2].width.min(24), ..rows[2] };
    cache.field(field_area, s.code.render(frame, field_area, &look, true));
    let left = s.seconds_left(model.now_ms);
    let countdown = if left > 0 {
        tr(model.lang, T::OtpExpiresIn, &[("s", Arg::Str(&left.to_string()))])
    } else {
        model.t(T::OtpExpiredResend).to_owned()
    };
    frame.render_widget(Paragraph::new(countdown).style(model.palette().emphasis), rows[3]);
    widgets::button(frame, rows[4], &look, model.t(T::VerifyButton), false);
    cache.hit(rows[4], Hit::Focus(1));
    if let Some(sms) = &s.demo_sms {
        let text = tr(model.lang, T::DemoSms, &[("text", Arg::Str(sms))]);
        frame.render_widget(Paragraph::new(text).style(model.palette().dim).wrap(Wrap { trim: true }), rows[5]);
    }
}
