//! Widgets shared by the screens.

pub mod text_field;

pub use text_field::{Edit, FieldKind, Refusal, TextField};
