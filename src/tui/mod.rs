//! The terminal app.

pub mod app;
pub mod bidi;
pub mod export;
pub mod format;
pub mod runtime;
pub mod screens;
pub mod strings;
pub mod terminal_query;
pub mod theme;
pub mod view;
pub mod widgets;

pub use app::{Cmd, Model, Msg, update};
pub use runtime::ImageMode;
pub use strings::Lang;
