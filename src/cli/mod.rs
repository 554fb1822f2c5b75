//! The command line: `rasid` (the app), the plain commands and `rasid serve`.
//! `args` holds the clap definitions; the other files wire each command to the
//! parts it runs. This layer is the only one that knows both the app and the
//! server (it starts the embedded demo server and hands the app its address).

mod app;
mod args;
mod choices;
mod serve;

use std::process::ExitCode;
use std::time::Duration;

pub use args::{AppArgs, Cli, Command, ConnArgs, LogFormat, PlainCommand, SeedKind, ServeArgs};

use crate::config;
use crate::plain;

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Serve(args)) => serve::run_serve(args),
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
        None => app::run_app(cli.app),
    }
}

/// rasid(1) to stdout, or rasid(1) and rasid-COMMAND(1) for each command into `dir`.
fn write_man_pages(dir: Option<&std::path::Path>) -> std::io::Result<()> {
    use clap::CommandFactory;
    let command = Cli::command();
    let Some(dir) = dir else { return clap_mangen::Man::new(command).render(&mut std::io::stdout()) };
    crate::fsutil::create_dirs(dir)?;
    let mut pages = vec![("rasid".to_owned(), command.clone())];
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("rasid-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut text = Vec::new();
        clap_mangen::Man::new(page).render(&mut text)?;
        // Man pages are for every reader of the machine; a link in their place is replaced, never followed.
        crate::fsutil::replace(&path, &text, 0o644)?;
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
            PlainCommand::Workers { sort, has_available, q, format, .. } => {
                let query = crate::api::WorkersQuery {
                    sort,
                    has_available: has_available.then_some(true),
                    q,
                    ..Default::default()
                };
                plain.workers(query, format, &mut out).await
            }
            PlainCommand::Renewals { within_days, format, .. } => {
                plain.renewals(crate::api::RenewalsQuery { within_days, ..Default::default() }, format, &mut out).await
            }
            PlainCommand::Documents { id, format, .. } => plain.documents(&id, format, &mut out).await,
            PlainCommand::Logout { everywhere, .. } => plain.logout(everywhere).await,
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
pub(crate) fn log_filter(level: Option<&str>, fallback: &str) -> tracing_subscriber::EnvFilter {
    level
        .and_then(|l| tracing_subscriber::EnvFilter::try_new(l).ok())
        .or_else(|| tracing_subscriber::EnvFilter::try_from_default_env().ok())
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new(fallback))
}

/// Everything this process creates from here on (the database and its -wal and -shm files, log files,
/// the state directory) is readable by its owner only, whoever creates it: SQLite, the log appender.
pub(crate) fn owner_only_files() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// Runs a command on a tokio runtime; its error goes to stderr.
pub(crate) fn run_to_exit(command: impl std::future::Future<Output = Result<(), String>>) -> ExitCode {
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

/// A command line clap refused. In English, clap's own words; in Arabic (`--lang ar` on the line,
/// or the settings say so), what was wrong and the flag or value it was about, then where the
/// flags are listed. Help and version are printed as asked. Exit status 2 (usage), as clap's.
pub fn usage_error(err: clap::Error) -> ExitCode {
    let status = ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
    if !err.use_stderr() {
        // `--help` and `--version`; a closed pipe is no reason for a word.
        let _ = err.print();
        return status;
    }
    let lang = lang_on_the_line(std::env::args().skip(1))
        .unwrap_or_else(|| config::load(&config::Flags::default(), config::default_path().as_deref()).settings.lang);
    match lang {
        config::Lang::En => {
            let _ = err.print();
        }
        config::Lang::Ar => eprintln!("rasid: {}", usage_in(config::Lang::Ar, &err)),
    }
    status
}

/// The language `--lang` names on a command line clap could not read whole.
fn lang_on_the_line(args: impl Iterator<Item = String>) -> Option<config::Lang> {
    use config::Choice;
    let args: Vec<String> = args.collect();
    args.iter().enumerate().rev().find_map(|(i, arg)| match arg.strip_prefix("--lang") {
        Some("") => args.get(i + 1).and_then(|v| config::Lang::from_name(v)),
        Some(rest) => rest.strip_prefix('=').and_then(config::Lang::from_name),
        None => None,
    })
}

/// What was wrong with the command line, worded in `lang`.
fn usage_in(lang: config::Lang, err: &clap::Error) -> String {
    use crate::present::strings::{Arg, T, tr};
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let said = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        _ => None,
    };
    let arg = said(ContextKind::InvalidArg).unwrap_or_default();
    let mut lines = match err.kind() {
        ErrorKind::UnknownArgument => vec![tr(lang, T::UsageUnknownFlag, &[("flag", Arg::Str(&arg))])],
        ErrorKind::InvalidSubcommand => {
            let command = said(ContextKind::InvalidSubcommand).unwrap_or_default();
            vec![tr(lang, T::UsageUnknownCommand, &[("command", Arg::Str(&command))])]
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = said(ContextKind::InvalidValue).unwrap_or_default();
            let mut lines = vec![tr(lang, T::UsageBadValue, &[("value", Arg::Str(&value)), ("flag", Arg::Str(&arg))])];
            if let Some(valid) = said(ContextKind::ValidValue) {
                lines.push(tr(lang, T::UsageValidValues, &[("values", Arg::Str(&valid))]));
            }
            lines.extend(std::error::Error::source(err).and_then(|why| reason_in(lang, why)));
            lines
        }
        ErrorKind::MissingRequiredArgument => vec![tr(lang, T::UsageMissing, &[("flags", Arg::Str(&arg))])],
        // Rarer refusals keep clap's own sentence, under a line in `lang`.
        _ => vec![
            T::UsageOther.get(lang).to_owned(),
            err.render().to_string().lines().next().unwrap_or_default().trim_start_matches("error: ").to_owned(),
        ],
    };
    if let Some(suggested) = said(ContextKind::SuggestedArg).or_else(|| said(ContextKind::SuggestedSubcommand)) {
        lines.push(tr(lang, T::UsageDidYouMean, &[("suggestion", Arg::Str(&suggested))]));
    }
    lines.push(T::UsageHelp.get(lang).to_owned());
    lines.join("\n")
}

/// Why one of rasid's own value parsers refused a value, worded in `lang`.
fn reason_in(lang: config::Lang, why: &(dyn std::error::Error + 'static)) -> Option<String> {
    use crate::present::strings::{Arg, T, tr};
    if let Some(bad) = why.downcast_ref::<crate::client::BadAddress>() {
        return Some(crate::present::errors::bad_address(lang, bad));
    }
    if let Some(range) = why.downcast_ref::<config::OutOfRange>() {
        let (min, max) = (i64::try_from(range.min).ok()?, i64::try_from(range.max).ok()?);
        return Some(tr(lang, T::UsageReasonRange, &[("min", Arg::Num(min)), ("max", Arg::Num(max))]));
    }
    why.downcast_ref::<args::NotADay>().map(|_| T::UsageReasonDay.get(lang).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_read_from_a_command_line_clap_refused() {
        let line = |args: &[&str]| lang_on_the_line(args.iter().map(|a| (*a).to_owned()));
        assert_eq!(line(&["--lang", "ar", "people", "--bogus"]), Some(config::Lang::Ar));
        assert_eq!(line(&["people", "--lang=AR"]), Some(config::Lang::Ar));
        assert_eq!(line(&["--lang", "ar", "--lang", "en"]), Some(config::Lang::En), "the last one counts, as in clap");
        assert_eq!(line(&["--lang"]), None);
        assert_eq!(line(&["--lang", "fr"]), None);
        assert_eq!(line(&["people"]), None);
    }
}
