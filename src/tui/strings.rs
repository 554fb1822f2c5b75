//! The app's text: `present`'s clean strings, readied for the full-screen
//! layout. Every Arabic text the app draws passes through here, so that a
//! lam-alef carries the joiner that keeps ratatui's width arithmetic in step
//! with the cells the letters take (see `bidi::guard_lam_alef`), and an
//! isolate rides in the cell before it (`bidi::for_layout`); nothing outside
//! the app ever sees either.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::bidi::for_layout;
use crate::config::{Choice, Lang};
use crate::present::strings as clean;

pub use crate::present::strings::{Arg, T};

/// `text` as the layout measures it.
pub fn laid(text: &str) -> Cow<'_, str> {
    for_layout(text)
}

/// An owned text (a format's, an error's) as the layout measures it.
pub fn laid_owned(text: String) -> String {
    match for_layout(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(guarded) => guarded,
    }
}

/// A message without arguments.
pub fn t(lang: Lang, t: T) -> &'static str {
    static LAID: OnceLock<HashMap<(Lang, T), &'static str>> = OnceLock::new();
    let laid_texts = LAID.get_or_init(|| {
        let mut map = HashMap::new();
        for &lang in Lang::ALL {
            for &t in T::ALL {
                let text: &'static str = match for_layout(t.get(lang)) {
                    Cow::Borrowed(text) => text,
                    Cow::Owned(text) => Box::leak(text.into_boxed_str()),
                };
                map.insert((lang, t), text);
            }
        }
        map
    });
    laid_texts.get(&(lang, t)).copied().unwrap_or_else(|| t.id())
}

/// A message with arguments.
pub fn tr(lang: Lang, t: T, args: &[(&str, Arg)]) -> String {
    laid_owned(clean::tr(lang, t, args))
}

/// The text for this language of a pair the server sends in both.
pub fn pick<'a>(lang: Lang, en: &'a str, ar: &'a str) -> Cow<'a, str> {
    laid(lang.pick(en, ar))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_text_carries_the_joiner_and_the_clean_text_does_not() {
        assert_eq!(t(Lang::Ar, T::Available).replace('\u{200D}', ""), T::Available.get(Lang::Ar));
        assert!(t(Lang::Ar, T::IdNumber).contains('\u{200D}'), "الإقامة holds a lam-alef");
        assert!(!T::IdNumber.get(Lang::Ar).contains('\u{200D}'));
    }
}
