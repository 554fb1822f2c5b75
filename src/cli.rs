//! The command line: `rasid` (the app) and `rasid serve` (the reference server).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::server::ratelimit::Limits;
use crate::server::seed::{self, SeedOptions};
use crate::server::{AppState, Clock, DbLocation, Store, SystemClock};

#[derive(Debug, Parser)]
#[command(name = "rasid", version, about = "Payments-balance inquiry (رصيد) in the terminal")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub app: AppArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Ar,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImageArg {
    /// Ask the terminal for a graphics protocol (kitty, sixel, iTerm2), else half blocks.
    Auto,
    /// Always half blocks.
    Halfblocks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BidiArg {
    /// rasid joins Arabic letters and orders right-to-left text itself (most terminals).
    App,
    /// The terminal does it (VTE-based terminals in implicit mode, mlterm, Konsole).
    Terminal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DigitsArg {
    /// 0123456789
    Western,
    /// ٠١٢٣٤٥٦٧٨٩ on Arabic screens
    ArabicIndic,
}

#[derive(Debug, Clone, clap::Args)]
pub struct AppArgs {
    /// Server to talk to. Without it, rasid starts the demo server in-process on 127.0.0.1.
    #[arg(long, env = "RASID_SERVER", global = true)]
    pub server: Option<String>,
    /// Language of the app.
    #[arg(long, value_enum, global = true)]
    pub lang: Option<LangArg>,
    /// Seconds to wait for the server before giving up on a call.
    #[arg(long, default_value_t = 10, global = true)]
    pub timeout: u64,
    /// How the image code is drawn.
    #[arg(long, value_enum, default_value = "auto", global = true)]
    pub image: ImageArg,
    /// Who shapes and orders Arabic text.
    #[arg(long, value_enum, default_value = "app", global = true)]
    pub bidi: BidiArg,
    /// Allow plain http:// to a server on another machine (passwords would travel in clear).
    #[arg(long, global = true)]
    pub insecure_http: bool,
    /// Digits on Arabic screens.
    #[arg(long, value_enum, default_value = "western", global = true)]
    pub digits: DigitsArg,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the reference server.
    Serve(ServeArgs),
    /// Print a shell completion script: `rasid completions bash > ~/.local/share/bash-completion/completions/rasid`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page: `rasid man > ~/.local/share/man/man1/rasid.1`.
    Man,
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
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Serve(args)) => run_serve(args),
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "rasid", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Some(Command::Man) => {
            use clap::CommandFactory;
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                // `rasid man | head` closes the pipe early; that is not an error worth a word.
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("rasid: cannot write the man page: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        None => run_app(cli.app),
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("sa", "rasid", "rasid")
}

/// The app draws on the terminal, so its log goes to a file.
fn init_app_log() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = project_dirs().map(|d| d.state_dir().unwrap_or(d.data_local_dir()).to_path_buf())?;
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::daily(dir, "rasid.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn")),
        )
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

fn lang_from_env() -> crate::tui::Lang {
    let arabic = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .is_some_and(|v| v.starts_with("ar"));
    if arabic { crate::tui::Lang::Ar } else { crate::tui::Lang::En }
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
    let _log = init_app_log();
    run_to_exit(app(args))
}

async fn app(args: AppArgs) -> Result<(), String> {
    let config = project_dirs().map(|d| d.config_dir().join("config.toml"));
    // The flag, then the language F2 last chose, then the environment.
    let lang = match args.lang {
        Some(LangArg::Ar) => crate::tui::Lang::Ar,
        Some(LangArg::En) => crate::tui::Lang::En,
        None => config.as_deref().and_then(crate::tui::settings::remembered_lang).unwrap_or_else(lang_from_env),
    };
    let image = match args.image {
        ImageArg::Auto => crate::tui::ImageMode::Auto,
        ImageArg::Halfblocks => crate::tui::ImageMode::Halfblocks,
    };
    // Without --server, the reference server runs in this process: the demo needs no setup.
    let (url, demo, _server) = match args.server {
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
    let client =
        crate::client::Client::new(&url, std::time::Duration::from_secs(args.timeout.max(1)), args.insecure_http)
            .map_err(|e| e.to_string())?;
    tracing::info!(server = %url, ?lang, demo = demo.is_some(), "app started");
    let mut model = crate::tui::Model::new(lang, demo, chrono::Utc::now().timestamp_millis());
    model.bidi = match args.bidi {
        BidiArg::App => crate::tui::bidi::BidiMode::App,
        BidiArg::Terminal => crate::tui::bidi::BidiMode::Terminal,
    };
    model.digits = match args.digits {
        DigitsArg::Western => crate::tui::app::Digits::Western,
        DigitsArg::ArabicIndic => crate::tui::app::Digits::ArabicIndic,
    };
    let result = crate::tui::runtime::run(client, model, image, config).await;
    tracing::info!(ok = result.is_ok(), "app stopped");
    result
}

fn default_db_path() -> PathBuf {
    project_dirs().map(|dirs| dirs.data_dir().join("rasid.db")).unwrap_or_else(|| PathBuf::from("rasid.db"))
}

fn run_serve(args: ServeArgs) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
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
    let app = crate::server::router(state);
    let result = crate::server::serve_until(listener, app, shutdown_signal()).await.map_err(|e| e.to_string());
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
