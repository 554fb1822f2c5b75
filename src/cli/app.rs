//! `rasid`: the full-screen app, against `--server` or the embedded demo server.

use std::process::ExitCode;
use std::time::Duration;

use super::{AppArgs, log_filter, owner_only_files, run_to_exit};
use crate::config;
use crate::tui::theme::ColorDepth;

/// The app draws on the terminal, so its log goes to a file, a new one each day.
fn init_app_log(level: Option<&str>) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = config::state_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    // An older rasid made it 0755; the log names the server and what the user did. A directory
    // that cannot be changed still gets the log: the files in it are owner-only anyway.
    #[cfg(unix)]
    let _ = std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o700));
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

pub(super) fn run_app(args: AppArgs) -> ExitCode {
    owner_only_files();
    let _log = init_app_log(args.log_level.as_deref());
    run_to_exit(app(args))
}

async fn app(args: AppArgs) -> Result<(), String> {
    let config_path = config::default_path();
    let effective = config::load(&args.flags(), config_path.as_deref());
    for problem in &effective.problems {
        tracing::warn!(%problem, "setting skipped");
    }
    // F2 then changes the language for this run only: the file keeps what the user wrote there.
    let lang_source = effective.source("lang").filter(|source| source.is_for_this_run());
    if let Some(source) = lang_source {
        tracing::info!(%source, "F2 will not write the language to the config file");
    }
    let lang_for_this_run = lang_source.is_some();
    let settings = effective.settings;
    // Without a server, the reference server runs in this process: the demo needs no setup.
    let (url, demo, _server) = match settings.server {
        Some(url) => (url, None, None),
        None => {
            let embedded = crate::server::embedded::start_demo().await?;
            let demo =
                crate::tui::app::DemoInfo { accounts: embedded.accounts, password: embedded.password.to_owned() };
            (embedded.server.url(), Some(demo), Some(embedded.server))
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
        model.error(crate::tui::app::Says::Words(format!("{problem}{tail}")));
    }
    let config = config_path.filter(|_| !lang_for_this_run);
    let options = crate::tui::runtime::Options { image: settings.image, mouse: settings.mouse, config };
    let result = crate::tui::runtime::run(client, model, options).await;
    tracing::info!(ok = result.is_ok(), "app stopped");
    result
}
