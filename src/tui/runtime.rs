//! The runtime: terminal in, commands out. It merges key events with the
//! answers of commands on tokio, calls `update`, and draws when something changed.

use std::io::stdout;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event, EventStream,
    KeyEventKind, MouseButton, MouseEvent, MouseEventKind,
};
use crossterm::execute;
use futures_util::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use super::app::{Cmd, Model, Msg, update};
use super::terminal_query;
use super::view::{self, ViewCache};
use crate::client::Client;
use crate::config::ImageMode;
use crate::present::export;

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// How the app meets the terminal.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub image: ImageMode,
    /// Take the mouse for scrolling and clicking; off leaves it to the terminal for copy and paste.
    pub mouse: bool,
    /// Where F2 remembers the language.
    pub config: Option<PathBuf>,
}

pub async fn run(client: Client, mut model: Model, options: Options) -> Result<(), String> {
    // ratatui::init installs a panic hook that restores the terminal before the report prints.
    let mut terminal = ratatui::init();
    let _ = execute!(stdout(), EnableBracketedPaste);
    if options.mouse {
        let _ = execute!(stdout(), EnableMouseCapture);
        // The panic hook of ratatui::init knows nothing of the mouse: give it back first.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(stdout(), DisableMouseCapture);
            hook(info);
        }));
    }
    let result = event_loop(&mut terminal, &client, &mut model, &options).await;
    if options.mouse {
        let _ = execute!(stdout(), DisableMouseCapture);
    }
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::restore();
    if let Some(token) = model.token() {
        // Best effort: a server that is gone should not keep the user waiting.
        let _ = tokio::time::timeout(Duration::from_secs(2), client.logout(&token)).await;
    }
    result
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    client: &Client,
    model: &mut Model,
    options: &Options,
) -> Result<(), String> {
    let config = options.config.as_deref();
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let size = terminal.size().map_err(|e| e.to_string())?;
    model.size = (size.width, size.height);
    model.now_ms = now_ms();
    for cmd in model.init() {
        spawn(client, cmd, &tx, config);
    }
    let mut cache = ViewCache::halfblocks();
    terminal.draw(|f| view::draw(f, model, &mut cache)).map_err(|e| e.to_string())?;
    // Asked after the first frame is up, and before the event stream starts reading stdin. What
    // the user typed meanwhile comes back from the query and is taken first, in order.
    let mut typed = std::collections::VecDeque::new();
    if options.image == ImageMode::Auto {
        let answer = terminal_query::ask(Duration::from_millis(300));
        if let Some(picker) = answer.picker {
            cache = ViewCache::new(picker);
        }
        typed.extend(answer.typed.into_iter().map(|t| match t {
            terminal_query::Typed::Key(key) => Msg::Key(key),
            terminal_query::Typed::Paste(text) => Msg::Paste(text),
        }));
    }
    let mut events = EventStream::new();
    #[cfg(unix)]
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();

    loop {
        let tick = model.tick_interval_ms().map(Duration::from_millis);
        let msg = if let Some(msg) = typed.pop_front() {
            msg
        } else {
            tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind == KeyEventKind::Press => Msg::Key(key),
                Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                Some(Ok(Event::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(Event::Mouse(mouse))) => match mouse_message(mouse, &cache, model.size.0) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(format!("cannot read the terminal: {e}")),
                None => return Ok(()),
            },
            Some(msg) = rx.recv() => msg,
            _ = sleep_or_forever(tick) => Msg::Tick,
            _ = terminated(&mut terminate) => return Ok(()),
            }
        };
        // What a tick could change on screen, taken only for ticks.
        let before = matches!(msg, Msg::Tick).then(|| model.tick_visible());
        model.now_ms = now_ms();
        for cmd in update(model, msg) {
            spawn(client, cmd, &tx, config);
        }
        if model.quit {
            return Ok(());
        }
        // The idle-session check ticks every second; a tick that changed nothing on screen draws nothing.
        if before.is_some_and(|before| !model.tick_shows() && before == model.tick_visible()) {
            continue;
        }
        terminal.draw(|f| view::draw(f, model, &mut cache)).map_err(|e| e.to_string())?;
    }
}

fn mouse_message(mouse: MouseEvent, cache: &ViewCache, width: u16) -> Option<Msg> {
    match mouse.kind {
        MouseEventKind::ScrollDown => Some(Msg::Wheel(true)),
        MouseEventKind::ScrollUp => Some(Msg::Wheel(false)),
        MouseEventKind::Down(MouseButton::Left) => cache.hit_at(mouse.column, mouse.row, width).map(Msg::Click),
        _ => None,
    }
}

async fn sleep_or_forever(duration: Option<Duration>) {
    match duration {
        Some(d) => tokio::time::sleep(d).await,
        None => std::future::pending().await,
    }
}

#[cfg(unix)]
async fn terminated(signal: &mut Option<tokio::signal::unix::Signal>) {
    match signal {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn terminated(_: &mut Option<()>) {
    std::future::pending().await
}

/// Runs a command off the UI task; its answer comes back as a message.
fn spawn(client: &Client, cmd: Cmd, tx: &mpsc::UnboundedSender<Msg>, config: Option<&Path>) {
    if let Cmd::RememberLang(lang) = cmd {
        if let Some(path) = config {
            let path = path.to_owned();
            tokio::task::spawn_blocking(move || {
                if let Err(err) = crate::config::remember_lang(&path, lang) {
                    tracing::warn!(%err, "cannot remember the language");
                }
            });
        }
        return;
    }
    let client = client.clone();
    let tx = tx.clone();
    tokio::spawn(async move {
        let msg = execute(&client, cmd).await;
        let _ = tx.send(msg);
    });
}

pub async fn execute(client: &Client, cmd: Cmd) -> Msg {
    match cmd {
        Cmd::FetchCaptcha => Msg::Captcha(client.captcha().await),
        Cmd::Login(req) => Msg::LoginAnswer(client.login(&req).await),
        Cmd::VerifyOtp(req) => Msg::OtpAnswer(client.verify_otp(&req).await),
        Cmd::ResendOtp(id) => Msg::OtpResent(client.resend_otp(&id).await),
        Cmd::FetchOutbox => Msg::Outbox(client.dev_outbox().await),
        Cmd::FetchServices(token) => Msg::Services(client.services(&token).await),
        Cmd::FetchPeople(token) => Msg::People(client.people(&token).await),
        Cmd::Inquire(token, req) => Msg::Balance(client.payments_balance(&token, &req).await),
        Cmd::FetchTransactions { token, id_number, query, generation, fetch } => {
            Msg::Transactions { generation, fetch, result: client.transactions(&token, &id_number, &query).await }
        }
        Cmd::FetchSpending { token, id_number, by } => {
            let query = crate::api::SpendingQuery { by: Some(by), ..Default::default() };
            Msg::Spending { by, result: client.spending(&token, &id_number, &query).await }
        }
        Cmd::Export { token, export } => {
            let dir = std::env::current_dir().unwrap_or_default();
            let stamp = export::file_stamp(chrono::Utc::now().timestamp_millis());
            let result = export::export(client, &token, &export, &dir, &stamp).await;
            Msg::Exported(result.map(|(path, n)| (path.display().to_string(), n)))
        }
        Cmd::Logout(token) => {
            let _ = client.logout(&token).await;
            Msg::LoggedOut
        }
        Cmd::FetchWorkers { token, query, generation } => {
            Msg::Workers { generation, result: client.workers(&token, &query).await }
        }
        Cmd::FetchRenewals { token, query, generation } => {
            Msg::Renewals { generation, result: client.renewals(&token, &query).await }
        }
        Cmd::FetchDocuments { token, id_number } => {
            let result = client.documents(&token, &id_number).await;
            Msg::Documents { id_number, result }
        }
        Cmd::ExportReport { token, export } => {
            let dir = std::env::current_dir().unwrap_or_default();
            let stamp = export::file_stamp(chrono::Utc::now().timestamp_millis());
            let result = crate::present::reports::export(client, &token, &export, &dir, &stamp).await;
            Msg::Exported(result.map(|(path, n)| (path.display().to_string(), n)))
        }
        // Handled before a task is spawned: it needs no network.
        Cmd::RememberLang(_) => Msg::Tick,
    }
}
