//! A one-line text field that owns its value, its label, its keys, its
//! cursor and its drawing: a length limit, an optional mask.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Paragraph};
use zeroize::Zeroize;

use super::Look;
use crate::tui::strings::{self, T};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// Shown as bullets; never printed.
    Secret,
    /// ASCII, Eastern Arabic and Persian digits only.
    Digits,
}

#[derive(Clone, PartialEq, Eq)]
pub struct TextField {
    value: String,
    /// Cursor position in characters.
    cursor: usize,
    pub max_chars: usize,
    pub kind: FieldKind,
    /// Shown as the field's title.
    pub label: T,
    /// A paste loses the white space around it (codes and numbers copied from a message).
    trims_paste: bool,
}

impl std::fmt::Debug for TextField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = if self.kind == FieldKind::Secret { "***".to_owned() } else { self.value.clone() };
        f.debug_struct("TextField").field("value", &shown).field("cursor", &self.cursor).finish()
    }
}

/// What was typed (a password, a code) does not stay behind in freed memory.
impl Drop for TextField {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

/// What an edit did; `Refused` carries why, for the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Changed,
    Moved,
    Refused(Refusal),
    Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooLong,
    NotAllowed,
}

impl TextField {
    pub fn new(kind: FieldKind, max_chars: usize, label: T) -> Self {
        TextField { value: String::new(), cursor: 0, max_chars, kind, label, trims_paste: false }
    }

    /// A field whose pastes lose the white space around them.
    pub fn trimming_pastes(mut self) -> Self {
        self.trims_paste = true;
        self
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn char_count(&self) -> usize {
        self.value.chars().count()
    }

    pub fn set(&mut self, value: &str) {
        self.value = value.chars().filter(|c| self.allows(*c)).take(self.max_chars).collect();
        self.cursor = self.char_count();
    }

    pub fn clear(&mut self) {
        self.value.zeroize();
        self.cursor = 0;
    }

    /// What the screen shows: bullets for a secret.
    pub fn display(&self) -> String {
        match self.kind {
            FieldKind::Secret => "•".repeat(self.char_count()),
            _ => self.value.clone(),
        }
    }

    fn allows(&self, c: char) -> bool {
        if c.is_control() {
            return false;
        }
        match self.kind {
            FieldKind::Digits => crate::domain::id_number::digit_value(c).is_some(),
            _ => true,
        }
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.value.char_indices().nth(char_index).map_or(self.value.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) -> Edit {
        if !self.allows(c) {
            return Edit::Refused(Refusal::NotAllowed);
        }
        if self.char_count() >= self.max_chars {
            return Edit::Refused(Refusal::TooLong);
        }
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
        Edit::Changed
    }

    /// A paste is taken whole or not at all, so nothing is silently cut.
    pub fn paste(&mut self, text: &str) -> Edit {
        let text = if self.trims_paste { text.trim() } else { text };
        let text = text.trim_end_matches(['\n', '\r']);
        // Numbers are often copied in groups: `105 783 0869`, `105-783-0869`.
        let ungrouped: String;
        let text = if self.kind == FieldKind::Digits {
            ungrouped = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
            ungrouped.as_str()
        } else {
            text
        };
        if text.chars().any(|c| !self.allows(c)) {
            return Edit::Refused(Refusal::NotAllowed);
        }
        if self.char_count() + text.chars().count() > self.max_chars {
            return Edit::Refused(Refusal::TooLong);
        }
        let at = self.byte_at(self.cursor);
        self.value.insert_str(at, text);
        self.cursor += text.chars().count();
        Edit::Changed
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Edit {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => {
                self.clear();
                Edit::Changed
            }
            KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => self.insert(c),
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.value.remove(at);
                self.cursor -= 1;
                Edit::Changed
            }
            KeyCode::Delete if self.cursor < self.char_count() => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
                Edit::Changed
            }
            KeyCode::Left if self.cursor > 0 => {
                self.cursor -= 1;
                Edit::Moved
            }
            KeyCode::Right if self.cursor < self.char_count() => {
                self.cursor += 1;
                Edit::Moved
            }
            KeyCode::Home => {
                self.cursor = 0;
                Edit::Moved
            }
            KeyCode::End => {
                self.cursor = self.char_count();
                Edit::Moved
            }
            _ => Edit::Ignored,
        }
    }

    /// Draws the field, bordered, its label as the title; returns where the cursor goes when it has the focus.
    pub fn render(&self, frame: &mut Frame, area: Rect, look: &Look, focused: bool) -> Option<Position> {
        let border = if focused { look.palette.accent } else { look.palette.dim };
        let block =
            Block::default().borders(Borders::ALL).border_style(border).title(strings::t(look.lang, self.label));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        self.draw_value(frame, inner, look, focused)
    }

    /// Draws the field bordered, or in one row when `bordered` is false (a form too short for
    /// borders); returns what the view cache keeps: the typed part's area, and the cursor's place.
    pub fn render_fitted(
        &self,
        frame: &mut Frame,
        area: Rect,
        look: &Look,
        focused: bool,
        bordered: bool,
    ) -> (Rect, Option<Position>) {
        if bordered {
            (area, self.render(frame, area, look, focused))
        } else {
            self.render_row(frame, area, look, focused)
        }
    }

    /// Draws the field in one row, for a screen too short for borders: its label, then what was
    /// typed. Returns the part of the row that holds the typed text, and where the cursor goes.
    pub fn render_row(&self, frame: &mut Frame, area: Rect, look: &Look, focused: bool) -> (Rect, Option<Position>) {
        let label = format!("{}: ", strings::t(look.lang, self.label));
        let style = if focused { look.palette.accent.add_modifier(Modifier::BOLD) } else { look.palette.dim };
        // The label gives way before the text: an ID number and then some keep their room.
        let label_w = super::width(&label).min(area.width.saturating_sub(16));
        let [label_area, value] = Layout::horizontal([Constraint::Length(label_w), Constraint::Min(0)]).areas(area);
        frame.render_widget(Paragraph::new(Span::styled(super::ellipsis(&label, label_w), style)), label_area);
        (value, self.draw_value(frame, value, look, focused))
    }

    fn draw_value(&self, frame: &mut Frame, inner: Rect, look: &Look, focused: bool) -> Option<Position> {
        // Right to left, a field's text sits against the right border: one space keeps it off.
        let pad = if look.rtl { " " } else { "" };
        let shown = format!("{pad}{}", self.display());
        // Keep the cursor in view when the text is wider than the field.
        let before: String = shown.chars().take(self.cursor + pad.len()).collect();
        let cursor_col = unicode_width::UnicodeWidthStr::width(before.as_str()) as u16;
        let scroll = cursor_col.saturating_sub(inner.width.saturating_sub(1));
        frame.render_widget(Paragraph::new(shown).scroll((0, scroll)), inner);
        (focused && inner.width > 0 && inner.height > 0)
            .then(|| Position { x: inner.x + cursor_col - scroll, y: inner.y })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn edits_at_the_cursor() {
        let mut f = TextField::new(FieldKind::Text, 10, T::Search);
        for c in "abd".chars() {
            f.insert(c);
        }
        f.handle_key(key(KeyCode::Left));
        f.insert('c');
        assert_eq!(f.value(), "abcd");
        f.handle_key(key(KeyCode::Home));
        f.handle_key(key(KeyCode::Delete));
        assert_eq!(f.value(), "bcd");
        f.handle_key(key(KeyCode::End));
        f.handle_key(key(KeyCode::Backspace));
        assert_eq!((f.value(), f.cursor()), ("bc", 2));
    }

    #[test]
    fn refuses_control_characters_over_long_pastes_and_letters_in_digit_fields() {
        let mut id = TextField::new(FieldKind::Digits, 10, T::IdNumber);
        assert_eq!(id.insert('a'), Edit::Refused(Refusal::NotAllowed));
        assert_eq!(id.paste("١٠٥٧٨٣٠٨٦٩"), Edit::Changed);
        assert_eq!(id.insert('1'), Edit::Refused(Refusal::TooLong));
        let mut pw = TextField::new(FieldKind::Secret, 8, T::Password);
        assert_eq!(pw.paste("ab\u{1b}[31m"), Edit::Refused(Refusal::NotAllowed));
        assert_eq!(pw.paste("123456789"), Edit::Refused(Refusal::TooLong));
        assert_eq!(pw.value(), "", "a refused paste changes nothing");
    }

    #[test]
    fn secrets_never_show() {
        let mut pw = TextField::new(FieldKind::Secret, 64, T::Password);
        pw.paste("Rasid@2026");
        assert_eq!(pw.display(), "••••••••••");
        assert!(!format!("{pw:?}").contains("Rasid"));
    }
}
