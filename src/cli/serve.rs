//! `rasid serve`: the reference server on its own.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use super::{LogFormat, SeedKind, ServeArgs, log_filter, owner_only_files, run_to_exit};
use crate::config;
use crate::server::embedded::open_store;
use crate::server::ratelimit::Limits;
use crate::server::seed;
use crate::server::store::StoreOptions;
use crate::server::{AppState, Clock, DbLocation, ServeOptions, Store, SystemClock};

/// `--dev` publishes every SMS code and image-code answer at /api/v1/dev/outbox. On a database file
/// that is harmless only while the file holds nothing but the demo accounts with their published
/// password (or no account at all); a file with any other account is refused.
async fn check_dev_database(store: &Store, location: &DbLocation) -> Result<(), String> {
    let others = seed::accounts_not_from_the_demo(store).await.map_err(|e| format!("cannot read the database: {e}"))?;
    if others > 0 {
        return Err(format!(
            "--dev would publish the SMS codes of the {others} account(s) in {location} that are not demo accounts; use --dev with a new database or :memory:, or serve this one without --dev"
        ));
    }
    Ok(())
}

fn default_db_path() -> PathBuf {
    config::project_dirs().map(|dirs| dirs.data_dir().join("rasid.db")).unwrap_or_else(|| PathBuf::from("rasid.db"))
}

pub(super) fn run_serve(args: ServeArgs) -> ExitCode {
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
    if let (true, Some(proxy)) = (args.dev, args.trusted_proxy) {
        eprintln!(
            "rasid: --dev exposes SMS codes and image-code answers; behind a proxy ({proxy}) the loopback address is open to whoever reaches the proxy, so --dev and --trusted-proxy do not go together"
        );
        return ExitCode::from(2);
    }
    owner_only_files();
    run_to_exit(serve(args))
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let started = Instant::now();
    let location = match (&args.db, args.dev) {
        (Some(db), _) => db.parse::<DbLocation>()?,
        (None, true) => DbLocation::Memory,
        (None, false) => DbLocation::File(default_db_path()),
    };
    let seed_kind = args.seed.unwrap_or(if args.dev { SeedKind::Demo } else { SeedKind::None });
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    // The addresses first: a busy port is said at once, before a database file is made or a seed
    // of many seconds runs.
    let listener =
        tokio::net::TcpListener::bind(args.bind).await.map_err(|e| format!("cannot listen on {}: {e}", args.bind))?;
    let metrics_listener = match args.metrics_bind {
        Some(bind) => Some(
            tokio::net::TcpListener::bind(bind)
                .await
                .map_err(|e| format!("cannot listen for --metrics-bind on {bind}: {e}"))?,
        ),
        None => None,
    };
    // Held until the process ends.
    let _one_server = match &location {
        DbLocation::File(path) => Some(claim_sqlite_file(path)?),
        DbLocation::Memory | DbLocation::Postgres(_) => None,
    };
    let store_options = StoreOptions { pool_size: args.db_pool, ..StoreOptions::default() };
    let (store, report) = open_store(&location, store_options, seed_kind.options(args.workers), clock.as_ref()).await?;
    if args.dev && location != DbLocation::Memory {
        check_dev_database(&store, &location).await?;
    }
    if report.transactions > 0 {
        tracing::info!(
            people = report.people,
            transactions = report.transactions,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "seeded"
        );
    }
    let state = AppState::new(store.clone(), clock, args.dev, Limits::default()).with_trusted_proxy(args.trusted_proxy);
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, dev = args.dev, db = ?location, trusted_proxy = ?args.trusted_proxy, startup_ms = started.elapsed().as_millis() as u64, "listening");
    eprintln!(
        "rasid server listening on http://{addr}{}",
        if args.dev { " (dev mode: /api/v1/dev/outbox)" } else { "" }
    );
    let metrics = match metrics_listener {
        Some(listener) => Some(serve_metrics(listener, state.clone())?),
        None => None,
    };
    let housekeeping = crate::server::start_housekeeping(&state);
    let revocations = crate::server::session::start_revocation_listener(&state);
    let app = crate::server::router(state);
    let result = crate::server::serve_until(listener, app, ServeOptions::default(), shutdown_signal())
        .await
        .map_err(|e| e.to_string());
    housekeeping.abort();
    for task in [metrics, revocations].into_iter().flatten() {
        task.abort();
    }
    store.close().await;
    tracing::info!("shut down");
    result
}

/// One `rasid serve` a SQLite file: each caches sessions in its own memory, so a second would honour
/// a logout up to 15 s late, and two starting together would both migrate the file. A second
/// process is refused at once, before it touches the file; many instances need PostgreSQL.
fn claim_sqlite_file(path: &std::path::Path) -> Result<std::fs::File, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::fsutil::create_dirs(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path).map_err(|e| format!("cannot open the database {}: {e}", path.display()))?;
    #[cfg(unix)]
    if let Err(err) = rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        if err == rustix::io::Errno::WOULDBLOCK {
            return Err(format!(
                "{} is served by another rasid serve process; a SQLite file takes one (for many instances use --db postgres://…)",
                path.display()
            ));
        }
        return Err(format!("cannot lock the database {}: {err}", path.display()));
    }
    Ok(file)
}

/// `GET /metrics` on a listener of its own, so the public address never shows it.
fn serve_metrics(listener: tokio::net::TcpListener, state: AppState) -> Result<tokio::task::JoinHandle<()>, String> {
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, "metrics listening");
    let app = crate::server::metrics::router(state);
    Ok(tokio::spawn(async move {
        if let Err(err) = crate::server::serve(listener, app, ServeOptions::default()).await {
            tracing::warn!(error = %err, "the metrics listener stopped");
        }
    }))
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
