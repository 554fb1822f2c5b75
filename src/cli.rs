//! The command line: `rasid` (the app) and `rasid serve` (the reference server).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

mod choices;

use crate::config::{self, BidiMode, Digits, ImageMode, Lang, Theme};
use crate::domain::{Sector, TxKind};
use crate::plain;
use crate::present::export::Format;
use crate::tui::theme::ColorDepth;

use crate::server::ratelimit::Limits;
use crate::server::seed::{self, SeedOptions};
use crate::server::{AppState, Clock, DbLocation, Store, SystemClock};

const MORE_HELP: &str = "\
Exit status of the plain commands:
  0  done
  1  anything else
  2  usage: a bad flag or ID, no server named
  3  authentication needed: not logged in, session ended, wrong password or code
  4  not authorized: the ID is not one of your people
  5  the server cannot be reached or did not answer in time

Files:
  $XDG_CONFIG_HOME/rasid/config.toml  settings; `rasid config` shows them
  $XDG_STATE_HOME/rasid/session.json  the plain commands' session (mode 0600)
  $XDG_STATE_HOME/rasid/rasid.log.*   the app's log, a file a day, 7 kept

Environment:
  RASID_SERVER RASID_LANG RASID_BIDI RASID_DIGITS RASID_THEME
  RASID_TIMEOUT RASID_MOUSE RASID_IMAGE  the settings
  NO_COLOR  no colours;  RUST_LOG  the log filter
  RASID_BIND RASID_DB  for rasid serve";

#[derive(Debug, Parser)]
#[command(name = "rasid", version, about = "Payments-balance inquiry (رصيد) in the terminal", after_long_help = MORE_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub app: AppArgs,
}

/// How to reach the server; the plain commands take these too.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConnArgs {
    /// Server to talk to, http(s)://HOST[:PORT] [env: RASID_SERVER; config: server]. Without one, the app
    /// starts the demo server in-process; the plain commands need one.
    #[arg(long, value_parser = config::parse_server)]
    pub server: Option<String>,
    /// Seconds to wait for the server before giving up on a call, 1 to 600 [env: RASID_TIMEOUT; default 10].
    #[arg(long, value_name = "SECONDS", value_parser = config::parse_timeout)]
    pub timeout: Option<u64>,
    /// Language [env: RASID_LANG; default from the locale].
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Allow plain http:// to a server on another machine (passwords would travel in clear).
    #[arg(long)]
    pub insecure_http: bool,
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct AppArgs {
    #[command(flatten)]
    pub conn: ConnArgs,
    /// How the image code is drawn [env: RASID_IMAGE; default auto].
    #[arg(long, value_enum)]
    pub image: Option<ImageMode>,
    /// Who shapes and orders Arabic text [env: RASID_BIDI; default app].
    #[arg(long, value_enum)]
    pub bidi: Option<BidiMode>,
    /// Digits on Arabic screens [env: RASID_DIGITS; default western].
    #[arg(long, value_enum)]
    pub digits: Option<Digits>,
    /// Colours [env: RASID_THEME; default dark]. NO_COLOR removes them all.
    #[arg(long, value_enum)]
    pub theme: Option<Theme>,
    /// Leave the mouse to the terminal, for selecting and pasting text [env: RASID_MOUSE=false].
    #[arg(long)]
    pub no_mouse: bool,
    /// What the log file records: error, warn, info, debug or trace (or a RUST_LOG filter) [default info].
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<String>,
}

impl ConnArgs {
    fn flags(&self) -> config::Flags {
        config::Flags { server: self.server.clone(), lang: self.lang, timeout_s: self.timeout, ..Default::default() }
    }
}

impl AppArgs {
    fn flags(&self) -> config::Flags {
        config::Flags {
            bidi: self.bidi,
            digits: self.digits,
            theme: self.theme,
            mouse: self.no_mouse.then_some(false),
            image: self.image,
            ..self.conn.flags()
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the reference server.
    Serve(ServeArgs),
    /// Print the config file's path and every setting with where it came from.
    Config {
        #[command(flatten)]
        app: AppArgs,
    },
    #[command(flatten)]
    Plain(PlainCommand),
    /// Print a shell completion script: `rasid completions bash > ~/.local/share/bash-completion/completions/rasid`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page, or with DIR write rasid.1 and a page for each command there:
    /// `rasid man ~/.local/share/man/man1`.
    Man { dir: Option<PathBuf> },
}

/// The commands for scripts and screen readers; each takes the connection flags.
#[derive(Debug, Subcommand)]
pub enum PlainCommand {
    /// Log in (prompts line by line) and keep the session for the other plain commands.
    Login {
        /// Username or ID number; asked for when left out.
        #[arg(long)]
        username: Option<String>,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// The people you may inquire about: yourself, your family, your workers.
    People {
        #[arg(long, default_value = "table", value_parser = choices::report_format())]
        format: Format,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Balances per sector for an ID (asks for the image code).
    Balance {
        /// National ID or iqama number.
        #[arg(long)]
        id: String,
        #[arg(long, default_value = "table", value_parser = choices::report_format())]
        format: Format,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Every transaction of an ID, newest first.
    Transactions {
        /// National ID or iqama number.
        #[arg(long)]
        id: String,
        #[arg(long, value_enum)]
        sector: Option<Sector>,
        #[arg(long, value_enum)]
        kind: Option<TxKind>,
        /// First day, YYYY-MM-DD.
        #[arg(long, value_parser = parse_day)]
        from: Option<String>,
        /// Last day, YYYY-MM-DD.
        #[arg(long, value_parser = parse_day)]
        to: Option<String>,
        /// Text in the reference, the beneficiary ID or the service name.
        #[arg(long)]
        q: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// End the session and delete the saved token.
    Logout {
        #[command(flatten)]
        conn: ConnArgs,
    },
}

impl PlainCommand {
    fn conn(&self) -> &ConnArgs {
        match self {
            PlainCommand::Login { conn, .. }
            | PlainCommand::People { conn, .. }
            | PlainCommand::Balance { conn, .. }
            | PlainCommand::Transactions { conn, .. }
            | PlainCommand::Logout { conn } => conn,
        }
    }
}

// The domain stays free of clap; the command line names its values here, so completions offer them.
impl ValueEnum for Sector {
    fn value_variants<'a>() -> &'a [Self] {
        &Sector::ALL
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.code()))
    }
}

impl ValueEnum for TxKind {
    fn value_variants<'a>() -> &'a [Self] {
        &TxKind::ALL
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

fn parse_day(text: &str) -> Result<String, String> {
    crate::domain::day::parse_day(text).map(|_| text.to_owned()).ok_or_else(|| "expected a day as YYYY-MM-DD".into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeedKind {
    /// The demo accounts with a few years of history.
    Demo,
    /// The demo plus 5,000 workers and over 1,000,000 transactions, for benchmarks.
    DemoLarge,
    /// No data.
    None,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "RASID_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// SQLite file, or :memory:. Default: :memory: with --dev, else rasid.db in the user's data directory.
    #[arg(long, env = "RASID_DB")]
    pub db: Option<String>,
    /// Development mode (loopback only): simulated SMS and captcha answers at /api/v1/dev/outbox.
    #[arg(long)]
    pub dev: bool,
    /// Data to load into an empty database. Default: demo with --dev, else none.
    #[arg(long, value_enum)]
    pub seed: Option<SeedKind>,
    /// Workers under the establishment account (overrides the seed's count).
    #[arg(long)]
    pub workers: Option<u32>,
    /// What to log: error, warn, info, debug or trace (or a RUST_LOG filter) [default info].
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<String>,
    /// Log lines as text, or as one JSON object per line for log collectors.
    #[arg(long, value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Serve(args)) => run_serve(args),
        Some(Command::Config { app }) => {
            let path = config::default_path();
            let effective = config::load(&app.flags().or(cli.app.flags()), path.as_deref());
            print!("{}", config::report(&effective, path.as_deref()));
            for problem in &effective.problems {
                eprintln!("rasid: {problem}");
            }
            ExitCode::SUCCESS
        }
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "rasid", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Some(Command::Man { dir }) => match write_man_pages(dir.as_deref()) {
            Ok(()) => ExitCode::SUCCESS,
            // `rasid man | head` closes the pipe early; that is not an error worth a word.
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("rasid: cannot write the man page: {err}");
                ExitCode::FAILURE
            }
        },
        Some(Command::Plain(command)) => run_plain(command, &cli.app),
        None => run_app(cli.app),
    }
}

/// rasid(1) to stdout, or rasid(1) and rasid-COMMAND(1) for each command into `dir`.
fn write_man_pages(dir: Option<&std::path::Path>) -> std::io::Result<()> {
    use clap::CommandFactory;
    let command = Cli::command();
    let Some(dir) = dir else { return clap_mangen::Man::new(command).render(&mut std::io::stdout()) };
    std::fs::create_dir_all(dir)?;
    let mut pages = vec![("rasid".to_owned(), command.clone())];
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("rasid-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut file = std::fs::File::create(&path)?;
        clap_mangen::Man::new(page).render(&mut file)?;
        println!("{}", path.display());
    }
    Ok(())
}

/// A plain command: the connection flags may come before or after its name.
fn run_plain(command: PlainCommand, top: &AppArgs) -> ExitCode {
    let conn = command.conn();
    let flags = conn.flags().or(top.flags());
    let insecure_http = conn.insecure_http || top.conn.insecure_http;
    let effective = config::load(&flags, config::default_path().as_deref());
    for problem in &effective.problems {
        eprintln!("rasid: {problem}");
    }
    let settings = effective.settings;
    let Some(server) = settings.server else {
        eprintln!(
            "rasid: the plain commands need a server: --server URL, RASID_SERVER or `server` in the config file (try `rasid serve --dev` in another terminal)"
        );
        return ExitCode::from(plain::EXIT_USAGE);
    };
    let client = match crate::client::Client::new(&server, Duration::from_secs(settings.timeout_s), insecure_http) {
        Ok(client) => client,
        Err(err) => {
            eprintln!("rasid: {err}");
            return ExitCode::from(plain::EXIT_USAGE);
        }
    };
    let plain = plain::Plain { client, lang: settings.lang, session_path: plain::session::default_path() };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("rasid: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut prompter = plain::Prompter::stdin();
    let mut out = std::io::stdout().lock();
    let result = runtime.block_on(async {
        match command {
            PlainCommand::Login { username, .. } => plain.login(username, &mut prompter).await,
            PlainCommand::People { format, .. } => plain.people(format, &mut out).await,
            PlainCommand::Balance { id, format, .. } => plain.balance(&id, format, &mut prompter, &mut out).await,
            PlainCommand::Transactions { id, sector, kind, from, to, q, format, .. } => {
                let query = crate::api::TransactionsQuery { sector, kind, from, to, q, ..Default::default() };
                plain.transactions(&id, query, format, &mut out).await
            }
            PlainCommand::Logout { .. } => plain.logout().await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("rasid: {}", failure.message);
            ExitCode::from(failure.exit)
        }
    }
}

/// `--log-level` first, then `RUST_LOG`, then `fallback`.
fn log_filter(level: Option<&str>, fallback: &str) -> tracing_subscriber::EnvFilter {
    level
        .and_then(|l| tracing_subscriber::EnvFilter::try_new(l).ok())
        .or_else(|| tracing_subscriber::EnvFilter::try_from_default_env().ok())
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new(fallback))
}

/// The app draws on the terminal, so its log goes to a file, a new one each day.
fn init_app_log(level: Option<&str>) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = config::state_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("rasid.log")
        .max_log_files(7)
        .build(dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    tracing_subscriber::fmt()
        .with_env_filter(log_filter(level, "info,tower_http=warn"))
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

/// Runs a command on a tokio runtime; its error goes to stderr.
fn run_to_exit(command: impl std::future::Future<Output = Result<(), String>>) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("rasid: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("rasid: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_app(args: AppArgs) -> ExitCode {
    let _log = init_app_log(args.log_level.as_deref());
    run_to_exit(app(args))
}

async fn app(args: AppArgs) -> Result<(), String> {
    let config_path = config::default_path();
    let effective = config::load(&args.flags(), config_path.as_deref());
    for problem in &effective.problems {
        tracing::warn!(%problem, "setting skipped");
    }
    let settings = effective.settings;
    // Without a server, the reference server runs in this process: the demo needs no setup.
    let (url, demo, _server) = match settings.server {
        Some(url) => (url, None, None),
        None => {
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let (store, _) = open_store(&DbLocation::Memory, SeedKind::Demo, None, clock.as_ref()).await?;
            let state = AppState::new(store, clock, true, Limits::default());
            let server = crate::server::spawn(SocketAddr::from(([127, 0, 0, 1], 0)), state)
                .await
                .map_err(|e| format!("cannot start the demo server: {e}"))?;
            let accounts = seed::DEMO_ACCOUNTS.iter().map(|(u, id, _)| (u.to_string(), id.to_string())).collect();
            let demo = crate::tui::app::DemoInfo { accounts, password: seed::DEMO_PASSWORD.to_owned() };
            (server.url(), Some(demo), Some(server))
        }
    };
    let client = crate::client::Client::new(&url, Duration::from_secs(settings.timeout_s), args.conn.insecure_http)
        .map_err(|e| e.to_string())?;
    tracing::info!(server = %url, lang = ?settings.lang, demo = demo.is_some(), "app started");
    let mut model = crate::tui::Model::new(settings.lang, demo, chrono::Utc::now().timestamp_millis());
    model.bidi = settings.bidi;
    model.digits = settings.digits;
    model.theme = settings.theme;
    model.colors = ColorDepth::detect(&|name| std::env::var(name).ok());
    if let Some(problem) = effective.problems.first() {
        let more = effective.problems.len() - 1;
        let tail = if more > 0 { format!(" (+{more} more: rasid config)") } else { String::new() };
        model.error(format!("{problem}{tail}"));
    }
    let options = crate::tui::runtime::Options { image: settings.image, mouse: settings.mouse, config: config_path };
    let result = crate::tui::runtime::run(client, model, options).await;
    tracing::info!(ok = result.is_ok(), "app stopped");
    result
}

fn default_db_path() -> PathBuf {
    config::project_dirs().map(|dirs| dirs.data_dir().join("rasid.db")).unwrap_or_else(|| PathBuf::from("rasid.db"))
}

fn run_serve(args: ServeArgs) -> ExitCode {
    // A line per request: written by a thread of its own, so a request never waits on stderr.
    // The guard flushes what is left when the server stops.
    let (writer, _flush) = tracing_appender::non_blocking(std::io::stderr());
    let logs = tracing_subscriber::fmt().with_env_filter(log_filter(args.log_level.as_deref(), "info"));
    match args.log_format {
        LogFormat::Text => {
            logs.with_writer(writer).with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).init()
        }
        LogFormat::Json => {
            logs.json().flatten_event(true).with_current_span(true).with_span_list(false).with_writer(writer).init()
        }
    }
    if args.dev && !args.bind.ip().is_loopback() {
        eprintln!(
            "rasid: --dev exposes SMS codes and image-code answers; it is allowed only on a loopback address (127.0.0.1 or ::1), not {}",
            args.bind.ip()
        );
        return ExitCode::from(2);
    }
    run_to_exit(serve(args))
}

/// Opens the store and seeds it as asked; shared by `serve` and the embedded demo.
pub async fn open_store(
    location: &DbLocation,
    seed_kind: SeedKind,
    workers: Option<u32>,
    clock: &dyn Clock,
) -> Result<(Store, seed::SeedReport), String> {
    let store = Store::open(location).await.map_err(|e| format!("cannot open the database {location:?}: {e}"))?;
    let options = match seed_kind {
        SeedKind::None => return Ok((store, seed::SeedReport::default())),
        SeedKind::Demo => SeedOptions::DEMO,
        SeedKind::DemoLarge => SeedOptions::DEMO_LARGE,
    };
    let options = SeedOptions { workers: workers.unwrap_or(options.workers), ..options };
    let report =
        seed::seed_demo(&store, clock.today(), options).await.map_err(|e| format!("cannot seed the demo data: {e}"))?;
    Ok((store, report))
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let started = Instant::now();
    let location = match (&args.db, args.dev) {
        (Some(db), _) => db.parse().unwrap_or(DbLocation::Memory),
        (None, true) => DbLocation::Memory,
        (None, false) => DbLocation::File(default_db_path()),
    };
    let seed_kind = args.seed.unwrap_or(if args.dev { SeedKind::Demo } else { SeedKind::None });
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (store, report) = open_store(&location, seed_kind, args.workers, clock.as_ref()).await?;
    if report.transactions > 0 {
        tracing::info!(
            people = report.people,
            transactions = report.transactions,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "seeded"
        );
    }
    let state = AppState::new(store.clone(), clock, args.dev, Limits::default());
    let listener =
        tokio::net::TcpListener::bind(args.bind).await.map_err(|e| format!("cannot listen on {}: {e}", args.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, dev = args.dev, db = ?location, startup_ms = started.elapsed().as_millis() as u64, "listening");
    eprintln!(
        "rasid server listening on http://{addr}{}",
        if args.dev { " (dev mode: /api/v1/dev/outbox)" } else { "" }
    );
    let housekeeping = crate::server::start_housekeeping(&state);
    let app = crate::server::router(state);
    let result = crate::server::serve_until(listener, app, shutdown_signal()).await.map_err(|e| e.to_string());
    housekeeping.abort();
    store.close().await;
    tracing::info!("shut down");
    result
}

/// Ctrl-C or SIGTERM (what container runtimes send).
async fn shutdown_signal() {
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
