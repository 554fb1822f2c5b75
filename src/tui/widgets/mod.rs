//! Pieces the screens draw with. Each knows how it looks from `Look`, never
//! from the whole model, so a screen hands it only what it needs.

pub mod text_field;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::{ColorDepth, Palette};
use crate::config::Lang;

pub use text_field::{Edit, FieldKind, Refusal, TextField};

/// How this frame is drawn: the language, the colours, and whether the layout is mirrored.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub lang: Lang,
    pub palette: &'static Palette,
    pub colors: ColorDepth,
    /// Right to left: the bidi pass will mirror every row.
    pub rtl: bool,
}

/// The field after (or before) `current` in `order`, wrapping around.
pub fn cycle<T: Copy + PartialEq>(order: &[T], current: T, back: bool) -> T {
    let n = order.len();
    let i = order.iter().position(|f| *f == current).unwrap_or(0);
    order[if back { (i + n - 1) % n } else { (i + 1) % n }]
}

/// A screen's title line.
pub fn title<'a>(look: &Look, text: &'a str) -> Line<'a> {
    Line::from(Span::styled(text, look.palette.emphasis))
}

/// A `width` × `height` area in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

/// `[ label ]`, highlighted when it has the focus.
pub fn button(frame: &mut Frame, area: Rect, look: &Look, label: &str, focused: bool) {
    let p = look.palette;
    let style = if focused { p.selected.add_modifier(Modifier::BOLD) } else { p.emphasis };
    frame.render_widget(Paragraph::new(Line::from(Span::styled(format!("[ {label} ]"), style))), area);
}
