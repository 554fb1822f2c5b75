//! The app's settings and where each came from: a command-line flag beats a
//! `RASID_*` environment variable, which beats the config file, which beats the default.
//! A setting that cannot be read is reported and skipped, never fatal.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod choices;

pub use choices::{BidiMode, Choice, Digits, ImageMode, Lang, Theme};

/// Every key the file may hold, in the order `rasid config` lists them.
pub const KEYS: [&str; 8] = ["server", "lang", "bidi", "digits", "theme", "timeout", "mouse", "image"];

pub const DEFAULT_TIMEOUT_S: u64 = 10;
const MAX_TIMEOUT_S: u64 = 600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `None`: the embedded demo server.
    pub server: Option<String>,
    pub lang: Lang,
    pub bidi: BidiMode,
    pub digits: Digits,
    pub theme: Theme,
    pub timeout_s: u64,
    pub mouse: bool,
    pub image: ImageMode,
}

/// What the command line set; `None` leaves the key to the lower layers.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub server: Option<String>,
    pub lang: Option<Lang>,
    pub bidi: Option<BidiMode>,
    pub digits: Option<Digits>,
    pub theme: Option<Theme>,
    pub timeout_s: Option<u64>,
    pub mouse: Option<bool>,
    pub image: Option<ImageMode>,
}

impl Flags {
    /// These flags, with `other`'s where these have none: flags given after a
    /// subcommand's name win over those given before it.
    pub fn or(self, other: Flags) -> Flags {
        Flags {
            server: self.server.or(other.server),
            lang: self.lang.or(other.lang),
            bidi: self.bidi.or(other.bidi),
            digits: self.digits.or(other.digits),
            theme: self.theme.or(other.theme),
            timeout_s: self.timeout_s.or(other.timeout_s),
            mouse: self.mouse.or(other.mouse),
            image: self.image.or(other.image),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env(String),
    File {
        line: usize,
    },
    /// The language of the locale (`LANG` and friends).
    Locale(String),
    Default,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag => f.write_str("command line"),
            Source::Env(name) => write!(f, "environment {name}"),
            Source::File { line } => write!(f, "config file line {line}"),
            Source::Locale(value) => write!(f, "locale {value}"),
            Source::Default => f.write_str("default"),
        }
    }
}

impl Source {
    /// A flag or a `RASID_*` variable speaks for this run only: writing its value to the
    /// file would make it outlive the run it was given for.
    pub fn is_for_this_run(&self) -> bool {
        matches!(self, Source::Flag | Source::Env(_))
    }
}

#[derive(Debug, Clone)]
pub struct Effective {
    pub settings: Settings,
    /// (key, value as shown, where it came from), in `KEYS` order.
    pub sources: Vec<(&'static str, String, Source)>,
    /// Settings that were skipped, each naming where and why.
    pub problems: Vec<String>,
}

impl Effective {
    /// Where a key's value came from.
    pub fn source(&self, key: &str) -> Option<&Source> {
        self.sources.iter().find(|(k, _, _)| *k == key).map(|(_, _, source)| source)
    }
}

/// rasid's directories under the user's (XDG on Linux).
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("sa", "rasid", "rasid")
}

/// Where the log and the plain commands' session live: `$XDG_STATE_HOME/rasid` on Linux.
pub fn state_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.state_dir().unwrap_or(d.data_local_dir()).to_path_buf())
}

/// The config file's place: `$XDG_CONFIG_HOME/rasid/config.toml` on Linux.
pub fn default_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// The file's values by key, as text, with the line each is on.
struct FileValues {
    name: String,
    values: BTreeMap<String, (String, usize)>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line a top-level `key = …` (or a `[key]` table) sits on.
fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            let rest = line.strip_prefix(key).or_else(|| line.strip_prefix(&format!("\"{key}\"")));
            let table = line.strip_prefix('[').is_some_and(|r| r.trim_start().strip_prefix(key).is_some());
            table || rest.is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map_or(0, |i| i + 1)
}

fn read_file(path: &Path, text: &str, problems: &mut Vec<(usize, String)>) -> FileValues {
    // `rasid config` prints the whole path; in a problem the file's name is enough.
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut values = BTreeMap::new();
    let table: toml::Table = match text.parse() {
        Ok(table) => table,
        Err(err) => {
            let line = err.span().map_or(0, |s| line_of(text, s.start));
            let key = text
                .lines()
                .nth(line.saturating_sub(1))
                .and_then(|l| l.split_once('='))
                .map(|(k, _)| k.trim().trim_matches('"'))
                .filter(|k| !k.is_empty());
            let key = key.map(|k| format!(", key `{k}`")).unwrap_or_default();
            let why = err.message().trim().to_owned();
            problems.push((
                line,
                format!("{name}: line {line}{key}: {why}; the file is ignored and the defaults are used"),
            ));
            return FileValues { name, values };
        }
    };
    for (key, value) in table {
        let line = line_of_key(text, &key);
        if !KEYS.contains(&key.as_str()) {
            problems
                .push((line, format!("{name}: line {line}, key `{key}`: unknown key (known: {})", KEYS.join(", "))));
            continue;
        }
        let text = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            other => {
                let kind = other.type_str();
                let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
                problems.push((
                    line,
                    format!(
                        "{name}: line {line}, key `{key}`: expected text, a number or true/false, found {article} {kind}; using the default"
                    ),
                ));
                continue;
            }
        };
        values.insert(key, (text, line));
    }
    FileValues { name, values }
}

fn parse_choice<V: Choice>(text: &str) -> Result<V, String> {
    V::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = V::ALL.iter().map(|v| v.name()).collect();
        format!("expected one of {}, found `{text}`", names.join(", "))
    })
}

fn choice_name<V: Choice>(value: &V) -> String {
    value.name().to_owned()
}

pub fn parse_timeout(text: &str) -> Result<u64, OutOfRange> {
    whole_number(text, 1, MAX_TIMEOUT_S)
}

/// A whole number from `min` to `max`.
pub fn whole_number<N: TryFrom<u64>>(text: &str, min: u64, max: u64) -> Result<N, OutOfRange> {
    let refused = || OutOfRange { text: text.to_owned(), min, max };
    match text.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => N::try_from(n).map_err(|_| refused()),
        _ => Err(refused()),
    }
}

/// A number a setting does not take. Displayed in English; the command line's refusal words it
/// in either language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a whole number from {min} to {max}, found `{text}`")]
pub struct OutOfRange {
    pub text: String,
    pub min: u64,
    pub max: u64,
}

fn parse_switch(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err(format!("expected true or false, found `{text}`")),
    }
}

/// The address as the client will parse and use it (see `client::parse_base_url`), without a trailing slash.
pub fn parse_server(text: &str) -> Result<String, crate::client::BadAddress> {
    crate::client::parse_base_url(text).map(|url| url.as_str().trim_end_matches('/').to_owned())
}

/// The language a locale value (`ar_SA.UTF-8`) asks for.
fn locale_lang(env: &dyn Fn(&str) -> Option<String>) -> (Lang, Source) {
    let found = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|k| env(k).filter(|v| !v.is_empty()).map(|v| (k, v)));
    match found {
        Some((name, value)) => {
            let lang = if value.starts_with("ar") { Lang::Ar } else { Lang::En };
            (lang, Source::Locale(format!("{name}={value}")))
        }
        None => (Lang::En, Source::Default),
    }
}

struct Resolver<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    file: Option<FileValues>,
    sources: Vec<(&'static str, String, Source)>,
    /// With the line each is on; the environment's after the file's.
    problems: Vec<(usize, String)>,
}

impl Resolver<'_> {
    fn pick<V>(
        &mut self,
        key: &'static str,
        flag: Option<V>,
        default: (V, Source),
        parse: fn(&str) -> Result<V, String>,
        show: fn(&V) -> String,
    ) -> V {
        let (value, source) = self.layer(key, flag, parse).unwrap_or(default);
        self.sources.push((key, show(&value), source));
        value
    }

    fn layer<V>(&mut self, key: &str, flag: Option<V>, parse: fn(&str) -> Result<V, String>) -> Option<(V, Source)> {
        if let Some(value) = flag {
            return Some((value, Source::Flag));
        }
        let env_name = format!("RASID_{}", key.to_ascii_uppercase());
        if let Some(text) = (self.env)(&env_name).filter(|t| !t.is_empty()) {
            match parse(&text) {
                Ok(value) => return Some((value, Source::Env(env_name))),
                Err(why) => self.problems.push((usize::MAX, format!("{env_name}: {why}; ignored"))),
            }
        }
        let file = self.file.as_ref()?;
        let (text, line) = file.values.get(key)?;
        match parse(text) {
            Ok(value) => Some((value, Source::File { line: *line })),
            Err(why) => {
                self.problems
                    .push((*line, format!("{}: line {line}, key `{key}`: {why}; using the default", file.name)));
                None
            }
        }
    }
}

/// Resolves every setting. `file` is the config file's path and text, when it exists.
pub fn resolve(flags: &Flags, env: &dyn Fn(&str) -> Option<String>, file: Option<(&Path, &str)>) -> Effective {
    let mut problems = vec![];
    let file = file.map(|(path, text)| read_file(path, text, &mut problems));
    let mut r = Resolver { env, file, sources: vec![], problems };
    let server = r.pick(
        "server",
        flags.server.clone().map(Some),
        (None, Source::Default),
        |t| parse_server(t).map(Some).map_err(|e| e.to_string()),
        |v| v.clone().unwrap_or_else(|| "(the embedded demo server)".into()),
    );
    let lang = r.pick("lang", flags.lang, locale_lang(env), parse_choice, choice_name);
    let bidi = r.pick("bidi", flags.bidi, (BidiMode::App, Source::Default), parse_choice, choice_name);
    let digits = r.pick("digits", flags.digits, (Digits::Western, Source::Default), parse_choice, choice_name);
    let theme = r.pick("theme", flags.theme, (Theme::Dark, Source::Default), parse_choice, choice_name);
    let timeout_s = r.pick(
        "timeout",
        flags.timeout_s,
        (DEFAULT_TIMEOUT_S, Source::Default),
        |t| parse_timeout(t).map_err(|e| e.to_string()),
        |s| format!("{s}"),
    );
    let mouse = r.pick("mouse", flags.mouse, (true, Source::Default), parse_switch, |b| format!("{b}"));
    let image = r.pick("image", flags.image, (ImageMode::Auto, Source::Default), parse_choice, choice_name);
    Effective {
        settings: Settings { server, lang, bidi, digits, theme, timeout_s, mouse, image },
        sources: r.sources,
        // In the order of the file's lines, as a person reads it.
        problems: {
            let mut problems = r.problems;
            problems.sort();
            problems.into_iter().map(|(_, p)| p).collect()
        },
    }
}

/// Reads the file (a missing file is no problem) and the process environment.
pub fn load(flags: &Flags, path: Option<&Path>) -> Effective {
    let read = path.map(|p| (p, std::fs::read_to_string(p)));
    let file = match &read {
        Some((p, Ok(text))) => Some((*p, text.as_str())),
        _ => None,
    };
    let mut effective = resolve(flags, &|name| std::env::var(name).ok(), file);
    if let Some((p, Err(err))) = &read
        && err.kind() != std::io::ErrorKind::NotFound
    {
        effective.problems.insert(0, format!("{}: cannot be read ({err}); the defaults are used", p.display()));
    }
    effective
}

/// What `rasid config` prints.
pub fn report(effective: &Effective, path: Option<&Path>) -> String {
    let mut out = match path {
        Some(p) if p.exists() => format!("config file: {}\n", p.display()),
        Some(p) => format!("config file: {} (not created yet)\n", p.display()),
        None => "config file: (no config directory on this system)\n".to_owned(),
    };
    let width = effective.sources.iter().map(|(_, v, _)| v.chars().count()).max().unwrap_or(0);
    for (key, value, source) in &effective.sources {
        out.push_str(&format!("{key:<8} {value:<width$}  {source}\n"));
    }
    out
}

/// Sets `lang` in the file, keeping its other keys, comments, layout and mode
/// (a new file is 0600). A file that exists but cannot be read or parsed is
/// left alone rather than replaced, and so is a symbolic link: writing through
/// it would change a file elsewhere, replacing it would cut the user's link.
pub fn remember_lang(path: &Path, lang: Lang) -> Result<(), String> {
    let failed = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let mode = crate::fsutil::existing_mode(path).map_err(|e| failed(&e))?;
    let text = match mode {
        Some(_) => std::fs::read_to_string(path).map_err(|e| failed(&e))?,
        None => String::new(),
    };
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| failed(&e))?;
    doc["lang"] = toml_edit::value(lang.code());
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    crate::fsutil::create_dirs(dir).map_err(|e| failed(&e))?;
    let mode = mode.unwrap_or(crate::fsutil::OWNER_ONLY);
    crate::fsutil::replace(path, doc.to_string().as_bytes(), mode).map_err(|e| failed(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    fn source_of(e: &Effective, key: &str) -> Source {
        e.sources.iter().find(|(k, _, _)| *k == key).map(|(_, _, s)| s.clone()).unwrap()
    }

    const FILE: &str =
        "# mine\nserver = \"https://rasid.example.sa\"\ntheme = \"light\"\ntimeout = 30\nmouse = false\n";

    #[test]
    fn a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default() {
        let path = Path::new("/c/config.toml");
        let env = env_of(&[("RASID_THEME", "high-contrast"), ("RASID_TIMEOUT", "20"), ("LANG", "ar_SA.UTF-8")]);
        let flags = Flags { theme: Some(Theme::Dark), ..Flags::default() };
        let e = resolve(&flags, &env, Some((path, FILE)));
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        let s = &e.settings;
        assert_eq!(s.theme, Theme::Dark);
        assert_eq!(source_of(&e, "theme"), Source::Flag);
        assert_eq!(s.timeout_s, 20);
        assert_eq!(source_of(&e, "timeout"), Source::Env("RASID_TIMEOUT".into()));
        assert_eq!(s.server.as_deref(), Some("https://rasid.example.sa"));
        assert_eq!(source_of(&e, "server"), Source::File { line: 2 });
        assert!(!s.mouse);
        assert_eq!(source_of(&e, "mouse"), Source::File { line: 5 });
        assert_eq!(s.lang, Lang::Ar);
        assert_eq!(source_of(&e, "lang"), Source::Locale("LANG=ar_SA.UTF-8".into()));
        assert_eq!(s.bidi, BidiMode::App);
        assert_eq!(source_of(&e, "bidi"), Source::Default);
        let keys: Vec<&str> = e.sources.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(keys, KEYS);
    }

    #[test]
    fn a_file_that_is_not_toml_is_named_by_line_and_key_and_the_defaults_apply() {
        let text = "theme = \"light\"\ntimeout = 30s\n";
        let e = resolve(&Flags::default(), &env_of(&[]), Some((Path::new("config.toml"), text)));
        assert_eq!(e.problems.len(), 1, "{:?}", e.problems);
        assert!(e.problems[0].contains("line 2, key `timeout`"), "{}", e.problems[0]);
        assert_eq!(e.settings.theme, Theme::Dark, "a broken file is ignored whole");
        assert_eq!(e.settings.timeout_s, DEFAULT_TIMEOUT_S);
    }

    #[test]
    fn a_bad_value_or_unknown_key_is_skipped_and_the_rest_of_the_file_kept() {
        let text = "theme = \"blue\"\ncolour = \"red\"\nlang = \"ar\"\ntimeout = 0\n";
        let e = resolve(&Flags::default(), &env_of(&[("RASID_MOUSE", "maybe")]), Some((Path::new("c.toml"), text)));
        let all = e.problems.join("\n");
        assert!(all.contains("line 1, key `theme`: expected one of dark, light, high-contrast, found `blue`"), "{all}");
        assert!(all.contains("line 2, key `colour`: unknown key"), "{all}");
        assert!(all.contains("line 4, key `timeout`"), "{all}");
        assert!(all.contains("RASID_MOUSE: expected true or false"), "{all}");
        let lines: Vec<&str> = e.problems.iter().map(|p| &p[..p.find(',').unwrap_or(0)]).collect();
        assert_eq!(lines[..3], ["c.toml: line 1", "c.toml: line 2", "c.toml: line 4"], "in the order of the file");
        assert!(e.problems[3].starts_with("RASID_MOUSE"), "then the environment");
        assert_eq!(e.settings.lang, Lang::Ar);
        assert_eq!(e.settings.theme, Theme::Dark);
        assert!(e.settings.mouse);
    }

    #[cfg(unix)]
    #[test]
    fn f2_keeps_the_file_mode_follows_no_link_and_leaves_no_partial_file() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let mode = |p: &Path| std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let rasid = dir.path().join("rasid");
        let path = rasid.join("config.toml");
        // The old fixed partial name, planted as a link: the write must not go through it.
        std::fs::create_dir_all(&rasid).unwrap();
        symlink(&victim, rasid.join(".config.toml.partial")).unwrap();
        remember_lang(&path, Lang::Ar).unwrap();
        assert_eq!(mode(&path), 0o600, "a new file is its owner's only");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        std::fs::remove_file(rasid.join(".config.toml.partial")).unwrap();

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        remember_lang(&path, Lang::En).unwrap();
        assert_eq!(mode(&path), 0o640, "the mode the user gave the file is kept");
        assert_eq!(std::fs::read_to_string(&path).unwrap().trim(), "lang = \"en\"");
        let names: Vec<_> = std::fs::read_dir(&rasid).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["config.toml"], "no temporary file is left");

        // A config.toml that links to the user's dotfiles: neither the link nor its target changes.
        let dotfile = dir.path().join("dotfiles-config.toml");
        std::fs::write(&dotfile, FILE).unwrap();
        std::fs::set_permissions(&dotfile, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::remove_file(&path).unwrap();
        symlink(&dotfile, &path).unwrap();
        let err = remember_lang(&path, Lang::Ar).unwrap_err();
        assert!(err.contains("symbolic link"), "{err}");
        assert!(std::fs::symlink_metadata(&path).unwrap().file_type().is_symlink(), "the link is kept");
        assert_eq!(std::fs::read_to_string(&dotfile).unwrap(), FILE);
        assert_eq!(mode(&dotfile), 0o644);
    }

    #[test]
    fn a_server_address_is_read_as_the_client_will_connect_to_it() {
        assert_eq!(parse_server(" HTTP://Example.SA:443/ ").unwrap(), "http://example.sa:443");
        assert_eq!(parse_server("https://example.sa:443/rasid/").unwrap(), "https://example.sa/rasid");
        // Shown as what it is: the host `evil`, not 127.0.0.1.
        assert_eq!(parse_server("http://evil\\@127.0.0.1").unwrap(), "http://evil/@127.0.0.1");
        for bad in ["http://127.0.0.1@evil", "https://u:p@example.sa", "ftp://example.sa", "example.sa", "https://x/?a"]
        {
            assert!(parse_server(bad).is_err(), "{bad}");
        }
        let e = resolve(&Flags::default(), &env_of(&[("RASID_SERVER", "http://127.0.0.1@evil")]), None);
        assert_eq!(e.settings.server, None);
        assert!(e.problems[0].contains("user name or password"), "{:?}", e.problems);
    }

    #[test]
    fn the_language_is_remembered_and_the_rest_of_the_file_kept_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rasid").join("config.toml");
        remember_lang(&path, Lang::Ar).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap().trim(), "lang = \"ar\"");
        std::fs::write(&path, FILE).unwrap();
        remember_lang(&path, Lang::En).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# mine\nserver = \"https://rasid.example.sa\"\ntheme = \"light\"\n"), "{text}");
        let e = resolve(&Flags::default(), &env_of(&[]), Some((&path, &text)));
        assert_eq!(e.settings.lang, Lang::En);
        // A file that is not UTF-8 is reported, and F2 does not replace it.
        std::fs::write(&path, b"# caf\xe9\ntheme = \"light\"\n").unwrap();
        assert!(remember_lang(&path, Lang::Ar).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"# caf\xe9\ntheme = \"light\"\n");
        let e = load(&Flags::default(), Some(&path));
        assert!(e.problems[0].contains("cannot be read"), "{:?}", e.problems);
    }
}
