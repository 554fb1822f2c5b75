//! The Elm Architecture core: the model, the messages, the commands, and
//! `update`, which is pure: it changes the model and returns commands, never
//! touching the network, the clock or the terminal itself.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::screens::{inquiry, login, otp, renewals, results, services, workers};
use super::strings::{self, Arg, T, tr};
use super::theme::{self, ColorDepth, Palette};
use super::widgets::{Edit, Look, Refusal, TextField};
use crate::api::{
    BalanceReport, Captcha, DevOutbox, ErrorCode, InquiryRequest, LinkedPerson, LoginChallenge, LoginRequest,
    OtpRequest, Secret, ServiceNode, Session, Spending, SpendingPeriod, TransactionPage, TransactionsQuery,
};
use crate::api::{Document, RenewalsPage, RenewalsQuery, WorkersQuery, WorkersReport};
use crate::client::ClientError;
use crate::config::{BidiMode, Digits, Lang, Theme};
use crate::present::export::Export;
use crate::present::reports::ReportExport;

/// The server ends a session after 10 idle minutes; the app says so without waiting for a refusal.
pub const IDLE_TIMEOUT_MS: i64 = 10 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Login,
    Otp,
    Services,
    Inquiry,
    Results,
    /// The establishment's workers with their money.
    Workers,
    /// The workers' documents due for renewal.
    Renewals,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// A notice keeps what it says as a message and its arguments, not as words: after F2 it reads
/// in the new language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub says: Says,
}

impl Notice {
    /// The words in `lang`, as the layout measures them.
    pub fn text(&self, lang: Lang) -> String {
        self.says.text(lang)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Says {
    Message(T),
    With(T, Vec<(&'static str, Value)>),
    /// A failed call, described as `describe_error` does.
    Failed(ClientError),
    /// What is wrong with an ID as typed.
    IdCheck(String),
    /// Words that come in one language only (a problem found in the config file).
    Words(String),
}

/// An argument of a message, owned so that the notice can outlive what it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Num(i64),
}

impl Says {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Says::Message(t) => super::strings::t(lang, *t).to_owned(),
            Says::With(t, args) => {
                let args: Vec<(&str, Arg)> = args
                    .iter()
                    .map(|(name, v)| {
                        (
                            *name,
                            match v {
                                Value::Str(s) => Arg::Str(s),
                                Value::Num(n) => Arg::Num(*n),
                            },
                        )
                    })
                    .collect();
                tr(lang, *t, &args)
            }
            Says::Failed(err) => super::format::describe_error(lang, err),
            Says::IdCheck(typed) => super::format::id_feedback(lang, typed).1,
            Says::Words(words) => words.clone(),
        }
    }
}

impl From<T> for Says {
    fn from(t: T) -> Says {
        Says::Message(t)
    }
}

impl From<&ClientError> for Says {
    fn from(err: &ClientError) -> Says {
        Says::Failed(err.clone())
    }
}

/// The image code on screen (login or inquiry).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaptchaState {
    pub id: Option<String>,
    pub png: Vec<u8>,
    pub loading: bool,
    /// When the server stops taking this code.
    pub expires_at_ms: Option<i64>,
    /// The code ran out before it was used; the screen says so.
    pub expired: bool,
}

/// What the login screen lists when the app runs against the embedded demo server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInfo {
    /// (username, ID number)
    pub accounts: Vec<(String, String)>,
    pub password: String,
}

/// What a mouse click landed on; the view records where each one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// The n-th field or button of a form, in Tab order.
    Focus(usize),
    /// The n-th row of the screen's list or table (the pick list when it is open).
    Row(usize),
    /// The n-th tab of the results screen.
    Tab(usize),
}

#[derive(Debug)]
pub enum Msg {
    /// The app starts.
    Start,
    Key(KeyEvent),
    Click(Hit),
    /// The mouse wheel: `true` scrolls down.
    Wheel(bool),
    Paste(String),
    Resize(u16, u16),
    /// Time passed (the spinner, the code countdown, the idle timeout).
    Tick,
    Captcha(Result<Captcha, ClientError>),
    LoginAnswer(Result<LoginChallenge, ClientError>),
    OtpResent(Result<LoginChallenge, ClientError>),
    OtpAnswer(Result<Session, ClientError>),
    Outbox(Result<DevOutbox, ClientError>),
    Services(Result<Vec<ServiceNode>, ClientError>),
    People(Result<Vec<LinkedPerson>, ClientError>),
    Balance(Result<BalanceReport, ClientError>),
    Transactions {
        generation: u64,
        /// The number of the fetch this answers.
        fetch: u64,
        result: Result<TransactionPage, ClientError>,
    },
    Spending {
        by: SpendingPeriod,
        result: Result<Spending, ClientError>,
    },
    Exported(Result<(String, usize), String>),
    LoggedOut,
    Workers {
        generation: u64,
        result: Result<WorkersReport, ClientError>,
    },
    Renewals {
        generation: u64,
        result: Result<RenewalsPage, ClientError>,
    },
    Documents {
        id_number: String,
        result: Result<Vec<Document>, ClientError>,
    },
}

impl Msg {
    /// The answer to a call: one fewer in flight.
    fn is_answer(&self) -> bool {
        matches!(
            self,
            Msg::Captcha(_)
                | Msg::LoginAnswer(_)
                | Msg::OtpResent(_)
                | Msg::OtpAnswer(_)
                | Msg::Outbox(_)
                | Msg::Services(_)
                | Msg::People(_)
                | Msg::Balance(_)
                | Msg::Transactions { .. }
                | Msg::Spending { .. }
                | Msg::Exported(_)
                | Msg::LoggedOut
                | Msg::Workers { .. }
                | Msg::Renewals { .. }
                | Msg::Documents { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    FetchCaptcha,
    Login(LoginRequest),
    VerifyOtp(OtpRequest),
    ResendOtp(String),
    FetchOutbox,
    FetchServices(Secret),
    FetchPeople(Secret),
    Inquire(Secret, InquiryRequest),
    FetchTransactions {
        token: Secret,
        id_number: String,
        query: TransactionsQuery,
        generation: u64,
        /// Numbers the fetch, so that only the answer to the latest one is taken.
        fetch: u64,
    },
    FetchSpending {
        token: Secret,
        id_number: String,
        by: SpendingPeriod,
    },
    Export {
        token: Secret,
        export: Export,
    },
    Logout(Secret),
    FetchWorkers {
        token: Secret,
        query: WorkersQuery,
        generation: u64,
    },
    FetchRenewals {
        token: Secret,
        query: RenewalsQuery,
        generation: u64,
    },
    FetchDocuments {
        token: Secret,
        id_number: String,
    },
    ExportReport {
        token: Secret,
        export: ReportExport,
    },
    /// Write the language to the config file so the next start uses it.
    RememberLang(Lang),
}

impl Cmd {
    /// A call to the server, whose answer comes back as a message.
    fn is_call(&self) -> bool {
        !matches!(self, Cmd::RememberLang(_))
    }
}

#[derive(Debug)]
pub struct Model {
    pub lang: Lang,
    pub bidi: BidiMode,
    pub digits: Digits,
    pub theme: Theme,
    pub colors: ColorDepth,
    /// Set for the embedded demo: its accounts are listed and its simulated SMS shown.
    pub demo: Option<DemoInfo>,
    /// Milliseconds since the epoch, set by the runtime before each update.
    pub now_ms: i64,
    pub screen: Screen,
    pub session: Option<Session>,
    pub last_activity_ms: i64,
    pub notice: Option<Notice>,
    pub help: bool,
    /// How far the help is scrolled, in rows, where it does not fit.
    pub help_scroll: u16,
    /// Calls in flight: a spinner shows while above zero. Only `update` counts them.
    pub pending: u32,
    pub spinner: usize,
    pub quit: bool,
    pub size: (u16, u16),
    pub captcha: CaptchaState,
    pub login: login::LoginScreen,
    pub otp: otp::OtpScreen,
    pub services: services::ServicesScreen,
    pub inquiry: inquiry::InquiryScreen,
    pub results: Option<results::ResultsScreen>,
    pub workers: Option<workers::WorkersScreen>,
    pub renewals: Option<renewals::RenewalsScreen>,
    /// The report the inquiry and results were opened from: Esc there goes back to it.
    pub report_return: Option<Screen>,
}

impl Model {
    /// `demo` is set only when the app runs against the embedded demo server.
    pub fn new(lang: Lang, demo: Option<DemoInfo>, now_ms: i64) -> Model {
        Model {
            lang,
            bidi: BidiMode::App,
            digits: Digits::Western,
            theme: Theme::Dark,
            colors: ColorDepth::TrueColor,
            demo,
            now_ms,
            screen: Screen::Login,
            session: None,
            last_activity_ms: now_ms,
            notice: None,
            help: false,
            help_scroll: 0,
            pending: 0,
            spinner: 0,
            quit: false,
            size: (80, 24),
            captcha: CaptchaState::default(),
            login: login::LoginScreen::default(),
            otp: otp::OtpScreen::default(),
            services: services::ServicesScreen::default(),
            inquiry: inquiry::InquiryScreen::default(),
            results: None,
            workers: None,
            renewals: None,
            report_return: None,
        }
    }

    /// The commands to run when the app starts.
    pub fn init(&mut self) -> Vec<Cmd> {
        update(self, Msg::Start)
    }

    /// The app lays the screen out right to left itself: Arabic, with the app doing the bidi.
    pub fn mirrored(&self) -> bool {
        self.lang == Lang::Ar && self.bidi == BidiMode::App
    }

    pub fn palette(&self) -> &'static Palette {
        theme::palette(self.theme, self.colors)
    }

    /// How the widgets draw this frame.
    pub fn look(&self) -> Look {
        Look { lang: self.lang, palette: self.palette(), colors: self.colors, rtl: self.mirrored() }
    }

    /// A message, ready for layout.
    pub fn t(&self, t: T) -> &'static str {
        strings::t(self.lang, t)
    }

    pub fn token(&self) -> Option<Secret> {
        self.session.as_ref().map(|s| s.token.clone())
    }

    pub fn fetch_captcha(&mut self) -> Cmd {
        self.captcha = CaptchaState { loading: true, ..CaptchaState::default() };
        Cmd::FetchCaptcha
    }

    /// Changes screen, doing what opening the new one takes: Login forgets the secrets typed
    /// before, the inquiry form starts afresh; both show a new image code. Leaving the results
    /// drops them.
    pub fn go(&mut self, screen: Screen) -> Vec<Cmd> {
        self.screen = screen;
        self.services.confirm_logout = false;
        // A notice speaks of the screen it was shown on; callers set the new screen's after.
        self.notice = None;
        if screen != Screen::Results {
            self.results = None;
        }
        // A report is kept while one of its people is open, so Esc finds it where it was.
        if matches!(screen, Screen::Login | Screen::Services) {
            self.workers = None;
            self.renewals = None;
            self.report_return = None;
        }
        match screen {
            Screen::Login => {
                self.login.reset_for_new_login();
                vec![self.fetch_captcha()]
            }
            Screen::Inquiry => {
                self.inquiry.enter();
                vec![self.fetch_captcha()]
            }
            Screen::Otp | Screen::Services | Screen::Results | Screen::Workers | Screen::Renewals => vec![],
        }
    }

    /// The field that keys and pastes go to, if any.
    pub fn focused_field(&mut self) -> Option<&mut TextField> {
        match self.screen {
            Screen::Login => self.login.field(),
            Screen::Otp => Some(&mut self.otp.code),
            Screen::Services => self.services.searching.then_some(&mut self.services.search),
            Screen::Inquiry => self.inquiry.field(),
            Screen::Results => self.results.as_mut().and_then(|r| r.goto_edit.as_mut().or(r.filter_edit.as_mut())),
            Screen::Workers => self.workers.as_mut().and_then(|w| w.search.as_mut()),
            Screen::Renewals => None,
        }
    }

    /// Says why a key or paste was refused by a field.
    pub fn refused(&mut self, edit: Edit) {
        match edit {
            Edit::Refused(Refusal::TooLong) => self.error(T::FieldFull),
            Edit::Refused(Refusal::NotAllowed) => self.error(T::CharNotAllowed),
            _ => {}
        }
    }

    pub fn info(&mut self, says: impl Into<Says>) {
        self.notice = Some(Notice { kind: NoticeKind::Info, says: says.into() });
    }

    pub fn error(&mut self, says: impl Into<Says>) {
        self.notice = Some(Notice { kind: NoticeKind::Error, says: says.into() });
    }

    /// How often the runtime should send `Tick`, if at all: nothing ticks while nothing moves.
    pub fn tick_interval_ms(&self) -> Option<u64> {
        if self.pending > 0 {
            Some(100)
        } else if self.screen == Screen::Otp || self.session.is_some() || self.captcha.expires_at_ms.is_some() {
            Some(1000)
        } else {
            None
        }
    }

    /// Whether time passing changes what is on screen (the spinner, the code countdown).
    pub fn tick_shows(&self) -> bool {
        self.pending > 0 || self.screen == Screen::Otp
    }

    /// What else a tick can change on screen: the idle check ends sessions, and the results'
    /// "this Hijri year" and "last 12 months" turn at midnight in Riyadh.
    pub fn tick_visible(&self) -> (Screen, bool, bool, chrono::NaiveDate) {
        (self.screen, self.session.is_some(), self.notice.is_some(), super::format::riyadh_date(self.now_ms))
    }

    /// Back to Login with a notice; what the user typed in the inquiry form stays.
    pub fn end_session(&mut self, notice: T) -> Vec<Cmd> {
        self.session = None;
        let cmds = self.go(Screen::Login);
        self.info(notice);
        cmds
    }

    /// After a logout nothing of the person's stays for whoever logs in next: the name in the login
    /// form, the ID typed for an inquiry, their people, services and reports. (A session that ran
    /// out keeps them, for the same person logging in again.)
    pub fn forget_the_person(&mut self) {
        self.login = login::LoginScreen::default();
        self.services = services::ServicesScreen::default();
        self.inquiry = inquiry::InquiryScreen::default();
        self.results = None;
        self.workers = None;
        self.renewals = None;
        self.report_return = None;
    }

    /// Shared handling of a failed authenticated call; `true` when it ended the session.
    pub fn session_lost(&self, err: &ClientError) -> bool {
        err.code() == Some(ErrorCode::Unauthenticated)
    }

    /// A failed authenticated call: a lost session goes back to Login, anything else is a notice.
    pub fn call_failed(&mut self, err: &ClientError) -> Vec<Cmd> {
        if self.session_lost(err) {
            return self.end_session(T::SessionRefused);
        }
        self.error(err);
        vec![]
    }

    pub fn touch(&mut self) {
        self.last_activity_ms = self.now_ms;
    }

    /// Whether the user has workers, so My Services offers the establishment's reports.
    pub fn owns_workers(&self) -> bool {
        self.inquiry.people.iter().any(|p| p.relation == crate::api::Relation::Worker)
    }

    /// Esc on the inquiry form or the results: back to the report they came from, if any.
    pub fn back_to_report(&mut self) -> Option<Vec<Cmd>> {
        let report = self.report_return?;
        Some(self.go(report))
    }
}

fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

/// The one place that counts the calls in flight: an answer ends one, each call a handler asks for starts one.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    if msg.is_answer() {
        model.pending = model.pending.saturating_sub(1);
    }
    let cmds = dispatch(model, msg);
    model.pending += cmds.iter().filter(|c| c.is_call()).count() as u32;
    cmds
}

fn dispatch(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Start => vec![model.fetch_captcha()],
        Msg::Key(key) => on_key(model, key),
        Msg::Click(hit) if !model.help => match model.screen {
            Screen::Login => login::on_click(model, hit),
            Screen::Otp => otp::on_click(model, hit),
            Screen::Services => services::on_click(model, hit),
            Screen::Inquiry => inquiry::on_click(model, hit),
            Screen::Results => results::on_click(model, hit),
            Screen::Workers => workers::on_click(model, hit),
            Screen::Renewals => renewals::on_click(model, hit),
        },
        Msg::Wheel(down) if model.help => on_key(model, KeyEvent::from(if down { KeyCode::Down } else { KeyCode::Up })),
        Msg::Wheel(down) => on_wheel(model, down),
        Msg::Click(_) => vec![],
        Msg::Paste(text) => on_paste(model, &text),
        Msg::Resize(w, h) => {
            model.size = (w, h);
            vec![]
        }
        Msg::Tick => on_tick(model),
        Msg::Captcha(result) => {
            model.captcha.loading = false;
            match result {
                Ok(c) => {
                    use base64::Engine;
                    let png = base64::engine::general_purpose::STANDARD.decode(&c.image_png_base64);
                    match png {
                        Ok(png) => {
                            let expires_at_ms = Some(model.now_ms + c.expires_in_s as i64 * 1000);
                            model.captcha =
                                CaptchaState { id: Some(c.captcha_id), png, expires_at_ms, ..CaptchaState::default() }
                        }
                        Err(_) => model.error(T::ErrBadResponse),
                    }
                }
                Err(err) => model.error(&err),
            }
            vec![]
        }
        Msg::LoginAnswer(result) => login::on_answer(model, result),
        Msg::OtpAnswer(result) => otp::on_answer(model, result),
        Msg::OtpResent(result) => otp::on_resent(model, result),
        Msg::Outbox(result) => otp::on_outbox(model, result),
        Msg::Services(result) => services::on_services(model, result),
        Msg::People(result) => inquiry::on_people(model, result),
        Msg::Balance(result) => inquiry::on_balance(model, result),
        Msg::Transactions { generation, fetch, result } => results::on_page(model, generation, fetch, result),
        Msg::Spending { by, result } => results::on_spending(model, by, result),
        Msg::Exported(result) => results::on_exported(model, result),
        Msg::LoggedOut => vec![],
        Msg::Workers { generation, result } => workers::on_page(model, generation, result),
        Msg::Renewals { generation, result } => renewals::on_page(model, generation, result),
        Msg::Documents { id_number, result } => results::on_documents(model, &id_number, result),
    }
}

/// A paste goes into the focused field whole, or is refused with a reason.
fn on_paste(model: &mut Model, text: &str) -> Vec<Cmd> {
    let Some(field) = model.focused_field() else { return vec![] };
    let edit = field.paste(text);
    model.refused(edit);
    if model.screen == Screen::Services {
        model.services.select_first_available();
    }
    if model.screen == Screen::Inquiry && model.inquiry.picking.is_some() {
        model.inquiry.picking = Some(0);
    }
    vec![]
}

type KeyHandler = fn(&mut Model, KeyEvent) -> Vec<Cmd>;

/// The wheel moves what arrow keys move: a row in menus, three in the transactions.
fn on_wheel(model: &mut Model, down: bool) -> Vec<Cmd> {
    let key = KeyEvent::from(if down { KeyCode::Down } else { KeyCode::Up });
    let (steps, on_key): (usize, KeyHandler) = match model.screen {
        Screen::Services => (1, services::on_key),
        Screen::Inquiry if model.inquiry.picking.is_some() => (1, inquiry::on_key),
        Screen::Results => (3, results::on_key),
        Screen::Workers => (3, workers::on_key),
        Screen::Renewals => (3, renewals::on_key),
        Screen::Login | Screen::Otp | Screen::Inquiry => return vec![],
    };
    (0..steps).flat_map(|_| on_key(model, key)).collect()
}

fn on_tick(model: &mut Model) -> Vec<Cmd> {
    model.spinner = model.spinner.wrapping_add(1);
    // An image code the server no longer takes is not left on screen to be typed in vain.
    if model.captcha.expires_at_ms.is_some_and(|at| model.now_ms >= at) {
        model.captcha = CaptchaState { expired: true, ..CaptchaState::default() };
        // Digits typed from the dead image would only be sent against the next one.
        model.login.image_code.clear();
        model.inquiry.image_code.clear();
        if matches!(model.screen, Screen::Login | Screen::Inquiry) {
            model.error(T::ImageCodeExpired);
        }
    }
    if model.session.is_some() && model.pending == 0 && model.now_ms - model.last_activity_ms > IDLE_TIMEOUT_MS {
        return model.end_session(T::SessionEnded);
    }
    vec![]
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    if is_ctrl(&key, 'c') {
        model.quit = true;
        return vec![];
    }
    if key.code == KeyCode::F(2) {
        model.lang = model.lang.toggle();
        return vec![Cmd::RememberLang(model.lang)];
    }
    if model.help {
        // A small terminal shows part of the help: the keys that move in a list scroll it.
        let (max, page) = super::view::help_scroll_room(model);
        let at = model.help_scroll.min(max);
        model.help_scroll = match key.code {
            KeyCode::Esc | KeyCode::F(1) | KeyCode::Char('?') => {
                model.help = false;
                0
            }
            KeyCode::Down | KeyCode::Char('j') => (at + 1).min(max),
            KeyCode::Up | KeyCode::Char('k') => at.saturating_sub(1),
            KeyCode::PageDown => (at + page).min(max),
            KeyCode::PageUp => at.saturating_sub(page),
            KeyCode::Home => 0,
            KeyCode::End => max,
            _ => at,
        };
        return vec![];
    }
    if key.code == KeyCode::F(1) || (key.code == KeyCode::Char('?') && !super::screens::is_typing(model)) {
        model.help = true;
        model.help_scroll = 0;
        return vec![];
    }
    // A key press clears an old notice, unless the key itself makes a new one.
    let before = model.notice.clone();
    let cmds = match model.screen {
        Screen::Login => login::on_key(model, key),
        Screen::Otp => otp::on_key(model, key),
        Screen::Services => services::on_key(model, key),
        Screen::Inquiry => inquiry::on_key(model, key),
        Screen::Results => results::on_key(model, key),
        Screen::Workers => workers::on_key(model, key),
        Screen::Renewals => renewals::on_key(model, key),
    };
    if model.notice == before && !matches!(key.code, KeyCode::Tab | KeyCode::BackTab) && cmds.is_empty() {
        model.notice = None;
    }
    cmds
}
