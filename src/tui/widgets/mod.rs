//! Pieces the screens draw with. Each knows how it looks from `Look`, never
//! from the whole model, so a screen hands it only what it needs.

pub mod text_field;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

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

/// The first row shown, moved as little as possible so that row `selected` is among the
/// `height` rows shown.
pub fn offset_showing(selected: usize, offset: usize, height: usize) -> usize {
    let height = height.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

/// A question asked over the screen (which export format?): bordered, wrapped, in the middle.
pub fn question(frame: &mut Frame, area: Rect, text: &str) {
    let width = area.width.min(64);
    let popup = centered(area, width, wrapped_height(text, width.saturating_sub(2)) + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: true }).block(Block::default().borders(Borders::ALL)),
        popup,
    );
}

/// `[ label ]`, highlighted when it has the focus.
pub fn button(frame: &mut Frame, area: Rect, look: &Look, label: &str, focused: bool) {
    let p = look.palette;
    let style = if focused { p.selected.add_modifier(Modifier::BOLD) } else { p.emphasis };
    frame.render_widget(Paragraph::new(Line::from(Span::styled(format!("[ {label} ]"), style))), area);
}

/// Cells `text` takes on screen.
pub fn width(text: &str) -> u16 {
    u16::try_from(unicode_width::UnicodeWidthStr::width(text)).unwrap_or(u16::MAX)
}

/// `text` cut to `max` cells with a `…` that says it was cut; whole when it fits.
pub fn ellipsis(text: &str, max: u16) -> std::borrow::Cow<'_, str> {
    if width(text) <= max {
        return text.into();
    }
    let mut out = String::new();
    let mut used = 0u16;
    for c in text.chars() {
        let w = u16::try_from(unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)).unwrap_or(u16::MAX);
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push(c);
    }
    // A joiner left at the end would join the letter to the ellipsis.
    while out.ends_with(['\u{200D}', ' ']) {
        out.pop();
    }
    if max > 0 {
        out.push('…');
    }
    out.into()
}

/// Lines `text` takes when wrapped at word boundaries in `width` cells, as `Wrap { trim: true }` does.
pub fn wrapped_height(text: &str, width: u16) -> u16 {
    let width = width.max(1);
    let (mut lines, mut used) = (1u16, 0u16);
    for w in text.split_whitespace().map(self::width).filter(|w| *w > 0) {
        if used > 0 && used + 1 + w <= width {
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines += 1;
        }
        // A word wider than the line is broken over as many lines as it needs.
        lines += (w - 1) / width;
        used = (w - 1) % width + 1;
    }
    lines
}

/// Which columns of a table fit in `width` cells, one cell between columns: `needs` holds what
/// each column cannot do with less; columns are given up in `drop_order` until the rest fit.
pub fn fit_columns(width: u16, needs: &[u16], drop_order: &[usize]) -> Vec<bool> {
    let mut keep = vec![true; needs.len()];
    let total = |keep: &[bool]| -> u32 {
        let kept: Vec<u32> = needs.iter().zip(keep).filter(|(_, k)| **k).map(|(n, _)| u32::from(*n)).collect();
        kept.iter().sum::<u32>() + kept.len().saturating_sub(1) as u32
    };
    for &i in drop_order {
        if total(&keep) <= u32::from(width) {
            break;
        }
        if let Some(k) = keep.get_mut(i) {
            *k = false;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ellipsis_marks_a_cut_and_leaves_whole_text_alone() {
        assert_eq!(ellipsis("Domestic worker iqama renewal", 12), "Domestic wo…");
        assert_eq!(ellipsis("Passports", 9), "Passports");
        assert_eq!(ellipsis("ab c", 4), "ab c");
        assert_eq!(ellipsis("ab cd", 4), "ab…");
    }

    #[test]
    fn wrapped_height_counts_lines_by_words() {
        assert_eq!(wrapped_height("Wrote 72 rows to /tmp/rasid-1057830869.csv", 80), 1);
        assert_eq!(wrapped_height("Wrote 72 rows to /tmp/rasid-1057830869.csv", 20), 3);
    }

    #[test]
    fn columns_are_dropped_in_order_until_the_rest_fit() {
        assert_eq!(fit_columns(30, &[8, 9, 9], &[1, 2]), vec![true, true, true]);
        assert_eq!(fit_columns(28, &[8, 9, 9], &[1, 2]), vec![true, true, true]);
        assert_eq!(fit_columns(27, &[8, 9, 9], &[1, 2]), vec![true, false, true]);
        assert_eq!(fit_columns(10, &[8, 9, 9], &[1, 2]), vec![true, false, false]);
    }
}
