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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the reference server.
    Serve(ServeArgs),
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
        None => {
            eprintln!("The terminal app is not built yet. Start the server with: rasid serve --dev");
            ExitCode::from(2)
        }
    }
}

fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("sa", "rasid", "rasid")
        .map(|dirs| dirs.data_dir().join("rasid.db"))
        .unwrap_or_else(|| PathBuf::from("rasid.db"))
}

fn run_serve(args: ServeArgs) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    if args.dev && !args.bind.ip().is_loopback() {
        eprintln!(
            "rasid: --dev exposes SMS codes and image-code answers; it is allowed only on a loopback address (127.0.0.1 or ::1), not {}",
            args.bind.ip()
        );
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("rasid: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("rasid: {message}");
            ExitCode::FAILURE
        }
    }
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
    let state = AppState::new(store, clock, args.dev, Limits::default());
    let listener =
        tokio::net::TcpListener::bind(args.bind).await.map_err(|e| format!("cannot listen on {}: {e}", args.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, dev = args.dev, db = ?location, startup_ms = started.elapsed().as_millis() as u64, "listening");
    eprintln!(
        "rasid server listening on http://{addr}{}",
        if args.dev { " (dev mode: /api/v1/dev/outbox)" } else { "" }
    );
    let app = crate::server::router(state);
    tokio::select! {
        result = crate::server::serve(listener, app) => result.map_err(|e| e.to_string()),
        _ = tokio::signal::ctrl_c() => {
            tracing::info!("shutting down");
            Ok(())
        }
    }
}
