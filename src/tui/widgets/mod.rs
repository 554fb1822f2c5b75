//! Widgets shared by the screens.

pub mod text_field;

pub use text_field::{Edit, FieldKind, Refusal, TextField};

/// The field after (or before) `current` in `order`, wrapping around.
pub fn cycle<T: Copy + PartialEq>(order: &[T], current: T, back: bool) -> T {
    let n = order.len();
    let i = order.iter().position(|f| *f == current).unwrap_or(0);
    order[if back { (i + n - 1) % n } else { (i + 1) % n }]
}
