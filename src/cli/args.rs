//! The command line's shape: every flag and command, with its help text.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use super::choices;
use crate::api::WorkerSort;
use crate::config::{self, BidiMode, Digits, ImageMode, Lang, Theme};
use crate::domain::{Sector, TxKind};
use crate::present::export::Format;
use crate::server::seed::SeedOptions;

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
  RASID_BIND RASID_DB RASID_TRUSTED_PROXY RASID_METRICS_BIND  for rasid serve";

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
    pub(super) fn flags(&self) -> config::Flags {
        config::Flags { server: self.server.clone(), lang: self.lang, timeout_s: self.timeout, ..Default::default() }
    }
}

impl AppArgs {
    pub(super) fn flags(&self) -> config::Flags {
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
    /// Every worker of your establishment with the money held for them, and the sums.
    Workers {
        #[arg(long, value_enum)]
        sort: Option<WorkerSort>,
        /// Only the workers with money still held: the refund candidates.
        #[arg(long)]
        has_available: bool,
        /// Text in the worker's name (English or Arabic) or ID number.
        #[arg(long)]
        q: Option<String>,
        #[arg(long, default_value = "table", value_parser = choices::report_format())]
        format: Format,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Your workers' documents that ran out or run out soon, soonest first, with the fee.
    Renewals {
        /// How many days ahead, 1 to 366 (default 90); documents that ran out are always listed.
        #[arg(long, value_parser = |t: &str| config::whole_number::<u32>(t, 1, crate::api::MAX_WITHIN_DAYS.into()))]
        within_days: Option<u32>,
        #[arg(long, default_value = "table", value_parser = choices::report_format())]
        format: Format,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// The documents of an ID (iqama, passport, licence, istimara) and when they run out.
    Documents {
        /// National ID or iqama number.
        #[arg(long)]
        id: String,
        #[arg(long, default_value = "table", value_parser = choices::report_format())]
        format: Format,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// End the session on the server, then delete the saved token (kept when the server cannot be
    /// told, so the logout can be tried again).
    Logout {
        /// End every session of your account, on every device (a lost phone, a shared computer).
        #[arg(long)]
        everywhere: bool,
        #[command(flatten)]
        conn: ConnArgs,
    },
}

impl PlainCommand {
    pub(super) fn conn(&self) -> &ConnArgs {
        match self {
            PlainCommand::Login { conn, .. }
            | PlainCommand::People { conn, .. }
            | PlainCommand::Balance { conn, .. }
            | PlainCommand::Transactions { conn, .. }
            | PlainCommand::Workers { conn, .. }
            | PlainCommand::Renewals { conn, .. }
            | PlainCommand::Documents { conn, .. }
            | PlainCommand::Logout { conn, .. } => conn,
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

impl ValueEnum for WorkerSort {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            WorkerSort::AvailableDesc,
            WorkerSort::AvailableAsc,
            WorkerSort::Name,
            WorkerSort::IdNumber,
            WorkerSort::OldestUnused,
        ]
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let name = match self {
            WorkerSort::AvailableDesc => "available_desc",
            WorkerSort::AvailableAsc => "available_asc",
            WorkerSort::Name => "name",
            WorkerSort::IdNumber => "id_number",
            WorkerSort::OldestUnused => "oldest_unused",
        };
        Some(clap::builder::PossibleValue::new(name))
    }
}

fn parse_day(text: &str) -> Result<String, NotADay> {
    crate::domain::day::parse_day(text).map(|_| text.to_owned()).ok_or_else(|| NotADay(text.to_owned()))
}

/// A `--from` or `--to` that is no day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a day of the calendar as YYYY-MM-DD, found `{0}`")]
pub struct NotADay(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeedKind {
    /// The demo accounts with a few years of history.
    Demo,
    /// The demo plus 5,000 workers and over 1,000,000 transactions, for benchmarks.
    DemoLarge,
    /// No data.
    None,
}

impl SeedKind {
    /// What to seed, `workers` overriding the kind's own count.
    pub fn options(self, workers: Option<u32>) -> Option<SeedOptions> {
        let options = match self {
            SeedKind::None => return None,
            SeedKind::Demo => SeedOptions::DEMO,
            SeedKind::DemoLarge => SeedOptions::DEMO_LARGE,
        };
        Some(SeedOptions { workers: workers.unwrap_or(options.workers), ..options })
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "RASID_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// SQLite file, :memory:, or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE. Default: :memory: with
    /// --dev, else rasid.db in the user's data directory.
    #[arg(long, env = "RASID_DB")]
    pub db: Option<String>,
    /// Connections to the database at most, for this instance [default: 10 for PostgreSQL; for a SQLite
    /// file two a core, 2 to 8].
    #[arg(long, env = "RASID_DB_POOL", value_name = "N", value_parser = |t: &str| config::whole_number::<u32>(t, 1, 10_000))]
    pub db_pool: Option<u32>,
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
    /// The reverse proxy in front of the server: only its X-Forwarded-For names the client, for the
    /// per-address limits. Without it every client is the address that connected.
    #[arg(long, env = "RASID_TRUSTED_PROXY", value_name = "ADDR")]
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Serve GET /metrics (Prometheus' text format) on this address, a listener of its own; never on
    /// the public one. Off unless given.
    #[arg(long, env = "RASID_METRICS_BIND", value_name = "ADDR")]
    pub metrics_bind: Option<SocketAddr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}
