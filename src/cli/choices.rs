//! How the command line names and describes the settings' values and the
//! output formats: `config` and `present` know nothing of clap.

use clap::ValueEnum;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use crate::config::{BidiMode, Choice, Digits, ImageMode, Lang, Theme};
use crate::present::export::Format;

/// `ValueEnum` for a setting, with the help its values show in `--help` and the man page.
macro_rules! setting {
    ($ty:ident { $($variant:ident => $help:literal),* $(,)? }) => {
        impl ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                <$ty as Choice>::ALL
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                let help: Option<&'static str> = match self {
                    $($ty::$variant => Some($help),)*
                    #[allow(unreachable_patterns)]
                    _ => None,
                };
                Some(PossibleValue::new(self.name()).help(help))
            }
        }
    };
}

setting!(Lang {});
setting!(BidiMode {
    App => "rasid shapes and reorders; right for most terminals",
    Terminal => "The terminal does it (VTE in implicit mode, mlterm, Konsole): rasid writes logical order",
});
setting!(Digits { ArabicIndic => "٠١٢٣٤٥٦٧٨٩" });
setting!(Theme {
    Dark => "The terminal's own colours, with accents from its palette",
    Light => "Dark text on a light background",
    HighContrast => "White on black, bold accents, nothing dimmed",
});
setting!(ImageMode {
    Auto => "Ask the terminal which graphics protocol it speaks",
    Halfblocks => "Half blocks, without asking",
});

/// `rasid transactions --format`: every format.
impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Format::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            Format::Table => "Aligned columns, for reading; rows stream out a page at a time",
            Format::Json => "An array of the API's transaction objects; amounts are strings such as \"650.00\"",
            Format::Csv => "A header row, then one row per transaction, with the Hijri date",
            Format::Hledger => "A journal for hledger and ledger",
        };
        Some(PossibleValue::new(self.name()).help(help))
    }
}

/// `rasid people --format` and `rasid balance --format`: a journal holds transactions only.
pub fn report_format() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new([
        PossibleValue::new(Format::Table.name()).help("Aligned columns, for reading"),
        PossibleValue::new(Format::Json.name()).help("The API's own objects; amounts are strings such as \"650.00\""),
        PossibleValue::new(Format::Csv.name()).help("A header row, then one row per item; amounts are plain decimals"),
    ])
    .map(|name| Format::ALL.into_iter().find(|f| f.name() == name).unwrap_or_default())
}
