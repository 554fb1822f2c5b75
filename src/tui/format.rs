//! `present`'s formats as the app lays them out: the words pass through
//! `strings::laid`; numbers and dates need nothing.

use super::strings::{laid, laid_owned};
use crate::api::Relation;
use crate::client::ClientError;
use crate::config::Lang;
use crate::domain::{PersonKind, Sector, TxKind};
use crate::present::{errors, format as clean};

pub use crate::present::format::{compact, grouped, hijri_short, riyadh_date, signed_amount};

pub fn sector(lang: Lang, s: Sector) -> String {
    laid_owned(clean::sector(lang, s))
}

pub fn sector_short(lang: Lang, s: Sector) -> String {
    laid_owned(clean::sector_short(lang, s))
}

pub fn hijri_long(lang: Lang, date: &str) -> String {
    laid_owned(clean::hijri_long(lang, date))
}

pub fn as_of(lang: Lang, rfc3339: &str) -> String {
    laid_owned(clean::as_of(lang, rfc3339))
}

pub fn relation_label(lang: Lang, relation: Relation) -> String {
    laid(clean::relation_label(lang, relation)).into_owned()
}

pub fn kind_label(lang: Lang, kind: TxKind) -> String {
    laid(clean::kind_label(lang, kind)).into_owned()
}

pub fn person_kind(lang: Lang, kind: PersonKind) -> String {
    laid(clean::person_kind(lang, kind)).into_owned()
}

pub fn describe_error(lang: Lang, err: &ClientError) -> String {
    laid_owned(errors::describe_error(lang, err))
}

pub fn id_feedback(lang: Lang, text: &str) -> (bool, String) {
    let (valid, why) = errors::id_feedback(lang, text);
    (valid, laid_owned(why))
}
