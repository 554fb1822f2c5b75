//! What the app's tests without a terminal share: keys as the runtime delivers them, typing, a
//! refusal from the server, and the tests' fixed "now".

#![allow(dead_code)]

use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rasid::api::ErrorCode;
use rasid::client::ClientError;
use rasid::tui::app::{Cmd, Model, Msg, update};

/// 2026-11-25 10:00 in Riyadh, in milliseconds.
pub fn now_ms() -> i64 {
    chrono::FixedOffset::east_opt(3 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 25, 10, 0, 0)
        .unwrap()
        .timestamp_millis()
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Each character of `text` as a key press; the commands they gave.
pub fn typed(model: &mut Model, text: &str) -> Vec<Cmd> {
    text.chars().flat_map(|c| update(model, key(KeyCode::Char(c)))).collect()
}

pub fn api_error(code: ErrorCode) -> ClientError {
    ClientError::Api { code, message: String::new(), attempts_left: None, retry_after_s: None }
}
