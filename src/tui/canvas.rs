//! What drawing keeps between frames and learns during one, apart from the
//! model: the terminal's image protocol and the image code encoded for it,
//! where the cursor goes, the pictures the bidi pass moves whole, and what a
//! click on each area means. The screens draw into it; `view` frames them.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui_image::picker::Picker;
use ratatui_image::protocol::StatefulProtocol;
use ratatui_image::{Resize, StatefulImage};

use super::app::{CaptchaState, Hit};
use super::strings::{self, T};
use super::theme::ColorDepth;
use super::widgets::Look;
use crate::present::blocks;

/// Rows of half blocks the image code needs to be read: as many as it has at 80x24.
pub const CAPTCHA_ROWS: u16 = 8;

pub struct ViewCache {
    picker: Picker,
    captcha: Option<(String, StatefulProtocol)>,
    /// The image code as ink blocks (no colour), by code and size: decoding it each frame would be waste.
    captcha_ink: Option<((String, u16, u16), Vec<String>)>,
    /// Where the focused field wants the cursor, in logical (unreordered) columns.
    pub(super) cursor: Option<Position>,
    /// Pictures drawn this frame: the bidi pass moves them whole.
    pub(super) pictures: Vec<Rect>,
    /// Text fields drawn this frame: what the user typed keeps its digits as typed.
    pub(super) typed: Vec<Rect>,
    /// This frame is drawn for a right-to-left language.
    pub(super) rtl: bool,
    /// What a mouse click on each area means, in logical columns.
    hits: Vec<(Rect, Hit)>,
}

impl ViewCache {
    pub fn new(picker: Picker) -> Self {
        ViewCache {
            picker,
            captcha: None,
            captcha_ink: None,
            cursor: None,
            pictures: vec![],
            typed: vec![],
            rtl: false,
            hits: vec![],
        }
    }

    /// Half blocks: works in every terminal, and in tests.
    pub fn halfblocks() -> Self {
        Self::new(Picker::halfblocks())
    }

    /// A new frame: nothing placed yet.
    pub(super) fn start(&mut self, rtl: bool) {
        self.cursor = None;
        self.pictures.clear();
        self.typed.clear();
        self.hits.clear();
        self.rtl = rtl;
    }

    /// Puts the cursor where a focused field asked for it.
    pub fn place_cursor(&mut self, at: Option<Position>) {
        if at.is_some() {
            self.cursor = at;
        }
    }

    /// A text field drawn at `area`, with the cursor it asks for.
    pub fn field(&mut self, area: Rect, cursor: Option<Position>) {
        self.typed.push(area);
        self.place_cursor(cursor);
    }

    /// Makes `area` answer a click with `hit`.
    pub fn hit(&mut self, area: Rect, hit: Hit) {
        self.hits.push((area, hit));
    }

    /// Makes each line of `rows` answer a click with the list row drawn there.
    pub fn list_hits(&mut self, rows: Rect, offset: usize, len: usize) {
        for (k, index) in (offset..len).take(usize::from(rows.height)).enumerate() {
            self.hit(Rect { y: rows.y + k as u16, height: 1, ..rows }, Hit::Row(index));
        }
    }

    /// What the click at screen column `x`, row `y` of the last frame meant.
    pub fn hit_at(&self, x: u16, y: u16, width: u16) -> Option<Hit> {
        // Right to left, the bidi pass mirrors the layout: undo it to find the logical column.
        let x = if self.rtl { width.saturating_sub(1).saturating_sub(x) } else { x };
        let at = Position { x, y };
        self.hits.iter().rev().find(|(area, _)| area.contains(at)).map(|(_, hit)| *hit)
    }

    /// The image code, drawn by the terminal's graphics protocol or in half blocks. Under a
    /// popup (`covered`) the picture is left out: the bidi pass would treat the popup's text as picture.
    pub fn captcha(&mut self, frame: &mut Frame, area: Rect, look: &Look, captcha: &CaptchaState, covered: bool) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(look.palette.dim)
            .title(format!("{} (Ctrl-R)", strings::t(look.lang, T::ImageCode)));
        // Where the border would leave fewer rows than the picture needs to be read, the border goes.
        let inner = if area.height >= CAPTCHA_ROWS + 2 {
            let inner = block.inner(area);
            frame.render_widget(block, area);
            inner
        } else {
            area
        };
        let Some(id) = &captcha.id else {
            let text = match (captcha.loading, captcha.expired) {
                (true, _) => T::ImageCodeLoading,
                (false, true) => T::ImageCodeExpired,
                (false, false) => T::ImageCodeMissing,
            };
            frame.render_widget(Paragraph::new(strings::t(look.lang, text)).style(look.palette.dim), inner);
            return;
        };
        if covered {
            return;
        }
        // Three cells wide per two rows tall keeps the 3:1 image in proportion with half blocks.
        let target = Rect { width: inner.width.min(inner.height * 6).min(48), ..inner };
        // Without colour, half blocks would be solid: the picture is drawn in ink-or-not blocks instead.
        if look.colors == ColorDepth::None {
            let key = (id.clone(), target.width, inner.height);
            if self.captcha_ink.as_ref().is_none_or(|(cached, _)| *cached != key) {
                let lines = blocks::image_blocks(&captcha.png, target.width, inner.height).unwrap_or_default();
                self.captcha_ink = Some((key, lines));
            }
            if let Some((_, lines)) = self.captcha_ink.as_ref().filter(|(_, lines)| !lines.is_empty()) {
                let lines: Vec<Line> = lines.iter().map(|l| Line::from(l.as_str())).collect();
                frame.render_widget(Paragraph::new(lines), target);
                self.pictures.push(target);
            }
            return;
        }
        if self.captcha.as_ref().map(|(cached, _)| cached) != Some(id) {
            let Ok(image) = image::load_from_memory(&captcha.png) else {
                frame.render_widget(Paragraph::new(strings::t(look.lang, T::ErrBadResponse)), inner);
                return;
            };
            self.captcha = Some((id.clone(), self.picker.new_resize_protocol(image)));
        }
        if let Some((_, protocol)) = self.captcha.as_mut() {
            frame.render_stateful_widget(StatefulImage::default().resize(Resize::Scale(None)), target, protocol);
            self.pictures.push(target);
        }
    }
}
