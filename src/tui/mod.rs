//! The full-screen app. Nothing outside the command layer imports it.

pub mod app;
pub mod bidi;
pub mod canvas;
pub mod format;
pub mod keys;
pub mod runtime;
pub mod screens;
pub mod strings;
pub mod terminal_query;
pub mod theme;
pub mod view;
pub mod widgets;

pub use app::{Cmd, Model, Msg, update};
