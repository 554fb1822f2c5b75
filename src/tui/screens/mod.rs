//! One file a screen: its state, its key handling and key table, its view.

pub mod inquiry;
pub mod login;
pub mod otp;
pub mod renewals;
pub mod report;
pub mod results;
pub mod services;
pub mod workers;

use super::app::{Model, Screen};
use super::keys::{self, Binding};

/// The screens in the order a user walks them, with the name README's table gives each.
pub const ALL: [(&str, Screen); 7] = [
    ("Login", Screen::Login),
    ("Verification code", Screen::Otp),
    ("My Services", Screen::Services),
    ("Inquiry", Screen::Inquiry),
    ("Results", Screen::Results),
    ("Workers' balances", Screen::Workers),
    ("Renewals due", Screen::Renewals),
];

/// The bindings the `?` help lists for a screen.
pub fn key_table(screen: Screen) -> &'static [Binding] {
    match screen {
        Screen::Login => login::KEYS,
        Screen::Otp => otp::KEYS,
        Screen::Services => services::KEYS,
        Screen::Inquiry => inquiry::KEYS,
        Screen::Results => results::KEYS,
        Screen::Workers => workers::KEYS,
        Screen::Renewals => renewals::KEYS,
    }
}

/// The bindings the status line shows now: a screen's, or its typing mode's.
pub fn status_keys(model: &Model) -> &'static [Binding] {
    match model.screen {
        Screen::Services if model.services.searching => services::SEARCHING_KEYS,
        Screen::Inquiry if model.inquiry.picking.is_some() => inquiry::PICKING_KEYS,
        Screen::Results => results::status_keys(model),
        Screen::Workers if workers::is_typing(model) => crate::tui::keys::APPLYING_KEYS,
        screen => key_table(screen),
    }
}

/// Whether a text field has the keys, so that `?` is a character and help is F1 alone.
pub fn is_typing(model: &Model) -> bool {
    match model.screen {
        Screen::Login => login::is_typing(model),
        Screen::Otp => true,
        Screen::Services => model.services.searching,
        Screen::Inquiry => inquiry::is_typing(model),
        Screen::Results => results::is_typing(model),
        Screen::Workers => workers::is_typing(model),
        Screen::Renewals => false,
    }
}

/// The keys that work everywhere, as the status line names them now.
pub fn global_keys(model: &Model) -> &'static [Binding] {
    if is_typing(model) { keys::GLOBAL_TYPING } else { keys::GLOBAL }
}

/// README's key table, made from the screens' tables.
pub fn readme_key_table() -> String {
    let tables: Vec<(&str, &[Binding])> = ALL.iter().map(|(name, screen)| (*name, key_table(*screen))).collect();
    keys::readme_table(&tables)
}
