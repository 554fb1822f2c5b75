//! The key bindings: each screen keeps its own table (`KEYS`, beside the code
//! that handles them; `screens` knows which is whose), and this file the keys
//! that work everywhere. The status line, the `?` help and README's key table
//! are all made from these tables; the Fluent files hold only the words.

use super::strings::{self, T};
use crate::config::Lang;

/// One binding: how the status line names it, and what the help says of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    /// The keys as the status line shows them, and its word for what they do;
    /// `None` leaves the binding to the help.
    pub status: Option<(&'static str, T)>,
    /// The keys as the help shows them (empty: the line is its text alone), and the text.
    pub help: Option<(&'static str, T)>,
}

pub const fn both(short: &'static str, label: T, keys: &'static str, text: T) -> Binding {
    Binding { status: Some((short, label)), help: Some((keys, text)) }
}

pub const fn status(short: &'static str, label: T) -> Binding {
    Binding { status: Some((short, label)), help: None }
}

pub const fn help(keys: &'static str, text: T) -> Binding {
    Binding { status: None, help: Some((keys, text)) }
}

/// Everywhere; the status line keeps these in view whatever the width.
pub const GLOBAL: &[Binding] = &[
    both("?", T::KeyGlobalHelp, "? F1", T::HelpGlobalHelp),
    both("Ctrl-C", T::KeyGlobalQuit, "Ctrl-C", T::HelpGlobalQuit),
    both("F2", T::KeyGlobalLanguage, "F2", T::HelpGlobalLanguage),
    help("Esc", T::HelpGlobalBack),
];

/// The same while a text field has the keys: there `?` is typed, so the status line offers F1.
pub const GLOBAL_TYPING: &[Binding] =
    &[status("F1", T::KeyGlobalHelp), status("Ctrl-C", T::KeyGlobalQuit), status("F2", T::KeyGlobalLanguage)];

/// The status line while a filter or search field is typed: Enter applies it, Esc drops it.
pub const APPLYING_KEYS: &[Binding] = &[status("Enter", T::KeyFilteringApply), status("Esc", T::KeyFilteringCancel)];

/// The status line's items for `table`: "Tab next", "Enter log in"…
pub fn status_items(lang: Lang, table: &[Binding]) -> Vec<String> {
    table
        .iter()
        .filter_map(|b| b.status)
        .map(|(keys, label)| match strings::t(lang, label) {
            "" => keys.to_owned(),
            label => format!("{keys} {label}"),
        })
        .collect()
}

/// The help's lines for `table`: "Tab / Shift-Tab: next / previous field"…
pub fn help_lines(lang: Lang, table: &[Binding]) -> Vec<String> {
    table.iter().filter_map(|b| b.help).map(|(keys, text)| help_line(keys, strings::t(lang, text))).collect()
}

fn help_line(keys: &str, text: &str) -> String {
    if keys.is_empty() { text.to_owned() } else { format!("{keys}: {text}") }
}

/// README's key table, in English: a row for the keys that work everywhere, then one for each of `screens`.
pub fn readme_table(screens: &[(&str, &[Binding])]) -> String {
    let row = |name: &str, table: &[Binding]| {
        let cells: Vec<String> = table
            .iter()
            .filter_map(|b| b.help)
            .map(|(keys, text)| {
                let text = text.get(Lang::En);
                if keys.is_empty() { text.to_owned() } else { format!("`{keys}` {text}") }
            })
            .collect();
        format!("| {name} | {} |\n", cells.join(" · "))
    };
    let mut out = String::from("| where | keys |\n|---|---|\n");
    out.push_str(&row("everywhere", GLOBAL));
    for (name, table) in screens {
        out.push_str(&row(name, table));
    }
    out
}
