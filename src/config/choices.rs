//! The settings that are one of a few named values. Each has the name a flag,
//! a `RASID_*` variable and the config file give it; the command line's own
//! descriptions of them live with its flags (`cli`).

/// A setting with a fixed set of values, each known by one name.
pub trait Choice: Sized + Copy + PartialEq + 'static {
    /// Every value, in the order help lists them.
    const ALL: &'static [Self];

    /// The name a flag, a variable or the file gives this value.
    fn name(self) -> &'static str;

    /// The value named `text`, in any case.
    fn from_name(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name().eq_ignore_ascii_case(text))
    }
}

macro_rules! choices {
    ($($(#[$meta:meta])* $ty:ident { $($(#[$vmeta:meta])* $variant:ident => $name:literal),+ $(,)? })*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $ty { $($(#[$vmeta])* $variant),+ }

        impl Choice for $ty {
            const ALL: &'static [Self] = &[$($ty::$variant),+];

            fn name(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }
        }
    )*};
}

choices! {
    /// The language of every label and message.
    Lang {
        #[default]
        En => "en",
        Ar => "ar",
    }

    /// Who orders right-to-left text.
    BidiMode {
        /// rasid shapes and reorders; right for most terminals.
        #[default]
        App => "app",
        /// The terminal does it (VTE in implicit mode, mlterm, Konsole): rasid writes logical order.
        Terminal => "terminal",
    }

    /// Which digits Arabic text shows in the app.
    Digits {
        #[default]
        Western => "western",
        /// ٠١٢٣٤٥٦٧٨٩
        ArabicIndic => "arabic-indic",
    }

    /// The app's colours.
    Theme {
        /// The terminal's own colours, with accents from its palette.
        #[default]
        Dark => "dark",
        /// Dark text on a light background.
        Light => "light",
        /// White on black, bold accents, nothing dimmed.
        HighContrast => "high-contrast",
    }

    /// How the image code is drawn.
    ImageMode {
        /// Ask the terminal which graphics protocol it speaks.
        #[default]
        Auto => "auto",
        /// Half blocks, without asking.
        Halfblocks => "halfblocks",
    }
}

impl Lang {
    pub fn toggle(self) -> Lang {
        match self {
            Lang::En => Lang::Ar,
            Lang::Ar => Lang::En,
        }
    }

    /// The text for this language, of a pair the server sends in both.
    pub fn pick<'a>(self, en: &'a str, ar: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Ar => ar,
        }
    }

    pub fn code(self) -> &'static str {
        self.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_in_any_case() {
        assert_eq!(Theme::from_name("HIGH-contrast"), Some(Theme::HighContrast));
        assert_eq!(Digits::from_name("arabic-indic"), Some(Digits::ArabicIndic));
        assert_eq!(Lang::from_name("fr"), None);
        assert_eq!(Lang::ALL, [Lang::En, Lang::Ar]);
    }
}
