//! Drawing: the frame around every screen, and small shared pieces.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_image::picker::Picker;
use ratatui_image::protocol::StatefulProtocol;
use ratatui_image::{Resize, StatefulImage};

use super::app::{Hit, Model, NoticeKind, Screen};
use super::bidi;
use super::screens::{inquiry, login, otp, results, services};
use super::strings::{self, Arg, T, tr};
use super::theme::{self, ColorDepth};
use super::widgets::{Edit, Refusal, TextField};
use crate::config::{BidiMode, Digits, Lang};
use crate::present::blocks;

pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 15;

/// What drawing keeps between frames that is not part of the model: the
/// terminal's image protocol and the image code encoded for it.
pub struct ViewCache {
    picker: Picker,
    captcha: Option<(String, StatefulProtocol)>,
    /// The image code as ink blocks (no colour), by code and size: decoding it each frame would be waste.
    captcha_ink: Option<((String, u16, u16), Vec<String>)>,
    /// Where the focused field wants the cursor, in logical (unreordered) columns.
    cursor: Option<Position>,
    /// Pictures drawn this frame: the bidi pass moves them whole.
    pictures: Vec<Rect>,
    /// This frame is drawn for a right-to-left language.
    rtl: bool,
    /// What a mouse click on each area means, in logical columns.
    hits: Vec<(Rect, Hit)>,
}

impl ViewCache {
    pub fn new(picker: Picker) -> Self {
        ViewCache { picker, captcha: None, captcha_ink: None, cursor: None, pictures: vec![], rtl: false, hits: vec![] }
    }

    /// Half blocks: works in every terminal, and in tests.
    pub fn halfblocks() -> Self {
        Self::new(Picker::halfblocks())
    }

    /// Makes `area` answer a click with `hit`.
    pub fn hit(&mut self, area: Rect, hit: Hit) {
        self.hits.push((area, hit));
    }

    /// What the click at screen column `x`, row `y` of the last frame meant.
    pub fn hit_at(&self, x: u16, y: u16, width: u16) -> Option<Hit> {
        // Right to left, the bidi pass mirrors the layout: undo it to find the logical column.
        let x = if self.rtl { width.saturating_sub(1).saturating_sub(x) } else { x };
        let at = Position { x, y };
        self.hits.iter().rev().find(|(area, _)| area.contains(at)).map(|(_, hit)| *hit)
    }
}

pub fn title<'a>(model: &Model, text: &'a str) -> Line<'a> {
    Line::from(Span::styled(text, model.palette().emphasis))
}

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

/// A bordered one-line field with its label as the title; the cursor shows when focused.
pub fn field(
    frame: &mut Frame,
    model: &Model,
    cache: &mut ViewCache,
    area: Rect,
    label: &str,
    value: &TextField,
    focused: bool,
) {
    let palette = model.palette();
    let border = if focused { palette.accent } else { palette.dim };
    let block = Block::default().borders(Borders::ALL).border_style(border).title(label);
    let inner = block.inner(area);
    // Right to left, a field's text sits against the right border: one space keeps it off.
    let pad = if cache.rtl { " " } else { "" };
    let shown = format!("{pad}{}", value.display());
    // Keep the cursor in view when the text is wider than the field.
    let before: String = shown.chars().take(value.cursor() + pad.len()).collect();
    let cursor_col = unicode_width::UnicodeWidthStr::width(before.as_str()) as u16;
    let scroll = cursor_col.saturating_sub(inner.width.saturating_sub(1));
    frame.render_widget(Paragraph::new(shown).scroll((0, scroll)).block(block), area);
    if focused && inner.width > 0 && inner.height > 0 {
        cache.cursor = Some(Position { x: inner.x + cursor_col - scroll, y: inner.y });
    }
}

pub fn button(frame: &mut Frame, model: &Model, area: Rect, label: &str, focused: bool) {
    let p = model.palette();
    let style = if focused { p.selected.add_modifier(Modifier::BOLD) } else { p.emphasis };
    frame.render_widget(Paragraph::new(Line::from(Span::styled(format!("[ {label} ]"), style))), area);
}

/// The image code, drawn by the terminal's graphics protocol or in half blocks.
pub fn captcha(frame: &mut Frame, area: Rect, model: &Model, cache: &mut ViewCache) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(model.palette().dim)
        .title(format!("{} (Ctrl-R)", model.t(T::ImageCode)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(id) = &model.captcha.id else {
        let text = if model.captcha.loading { T::ImageCodeLoading } else { T::ImageCodeMissing };
        frame.render_widget(Paragraph::new(model.t(text)).style(model.palette().dim), inner);
        return;
    };
    // Under a popup the picture is left out: the bidi pass would treat the popup's text as picture.
    let covered = model.help || (model.screen == Screen::Inquiry && model.inquiry.picking.is_some());
    if covered {
        return;
    }
    // Without colour, half blocks would be solid: the picture is drawn in ink-or-not blocks instead.
    if model.colors == ColorDepth::None {
        let cols = inner.width.min(inner.height * 6).min(48);
        let drawn = cache
            .captcha_ink
            .as_ref()
            .is_some_and(|((cached_id, c, h), _)| cached_id == id && *c == cols && *h == inner.height);
        if !drawn {
            let lines = blocks::image_blocks(&model.captcha.png, cols, inner.height).unwrap_or_default();
            cache.captcha_ink = Some(((id.clone(), cols, inner.height), lines));
        }
        if let Some((_, lines)) = cache.captcha_ink.as_ref().filter(|(_, lines)| !lines.is_empty()) {
            let target = Rect { width: cols, ..inner };
            frame.render_widget(
                Paragraph::new(lines.iter().map(|l| Line::from(l.as_str())).collect::<Vec<_>>()),
                target,
            );
            cache.pictures.push(target);
        }
        return;
    }
    if cache.captcha.as_ref().map(|(cached, _)| cached) != Some(id) {
        let Ok(image) = image::load_from_memory(&model.captcha.png) else {
            frame.render_widget(Paragraph::new(model.t(T::ErrBadResponse)), inner);
            return;
        };
        cache.captcha = Some((id.clone(), cache.picker.new_resize_protocol(image)));
    }
    if let Some((_, protocol)) = cache.captcha.as_mut() {
        // Three cells wide per two rows tall keeps the 3:1 image in proportion with half blocks.
        let width = inner.width.min(inner.height * 6).min(48);
        let target = Rect { width, ..inner };
        frame.render_stateful_widget(StatefulImage::default().resize(Resize::Scale(None)), target, protocol);
        cache.pictures.push(target);
    }
}

/// Makes each line of `rows` answer a click with the list row drawn there.
pub fn list_hits(cache: &mut ViewCache, rows: Rect, offset: usize, len: usize) {
    for (k, index) in (offset..len).take(usize::from(rows.height)).enumerate() {
        cache.hit(Rect { y: rows.y + k as u16, height: 1, ..rows }, Hit::Row(index));
    }
}

/// Says why a key or paste was refused by a field.
pub fn report_refusal(model: &mut Model, edit: Edit) {
    match edit {
        Edit::Refused(Refusal::TooLong) => model.error(model.t(T::FieldFull)),
        Edit::Refused(Refusal::NotAllowed) => model.error(model.t(T::CharNotAllowed)),
        _ => {}
    }
}

/// The screen's keys and the global ones for a status line `width` cells wide: the
/// screen's last keys give way first, so quitting and help stay in view.
fn fit_keys(screen: &str, global: &str, width: usize) -> (String, String) {
    use unicode_width::UnicodeWidthStr;
    let global = format!("  ·  {global}");
    let mut items: Vec<&str> = screen.split(" · ").collect();
    while items.len() > 1 && items.join(" · ").width() + global.width() > width {
        items.pop();
    }
    (items.join(" · "), global)
}

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn draw(frame: &mut Frame, model: &Model, cache: &mut ViewCache) {
    let rtl = model.lang == Lang::Ar;
    cache.cursor = None;
    cache.pictures.clear();
    cache.hits.clear();
    cache.rtl = model.mirrored();
    draw_logical(frame, model, cache);
    let area = frame.area();
    let cursor = match model.bidi {
        BidiMode::App => {
            let indic = rtl && model.digits == Digits::ArabicIndic;
            bidi::apply(frame.buffer_mut(), area, rtl, indic, &cache.pictures, cache.cursor)
        }
        BidiMode::Terminal => cache.cursor,
    };
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
    theme::paint(frame.buffer_mut(), model.palette(), model.colors);
}

/// Draws the model in logical order, left to right; `draw` then puts it in visual order.
fn draw_logical(frame: &mut Frame, model: &Model, cache: &mut ViewCache) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = tr(
            model.lang,
            T::TooSmall,
            &[
                ("w", Arg::Num(area.width.into())),
                ("h", Arg::Num(area.height.into())),
                ("mw", Arg::Num(MIN_WIDTH.into())),
                ("mh", Arg::Num(MIN_HEIGHT.into())),
            ],
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [top, body, notice, status] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1), Constraint::Length(1)])
            .areas(area);

    let p = model.palette();
    let mut left = vec![Span::styled(format!(" {} ", model.t(T::AppName)), p.selected.add_modifier(Modifier::BOLD))];
    left.push(Span::raw(format!(" {}", model.t(T::AppTitle))));
    if let Some(session) = &model.session {
        left.push(Span::styled(
            format!("  ·  {}", strings::pick(model.lang, &session.user.name_en, &session.user.name_ar)),
            p.dim,
        ));
    }
    if model.pending > 0 {
        left.push(Span::styled(
            format!("  {} {}", SPINNER[model.spinner % SPINNER.len()], model.t(T::Working)),
            p.accent,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(left)), top);

    let body = Rect { x: body.x + 1, width: body.width.saturating_sub(2), ..body };
    match model.screen {
        Screen::Login => login::view(frame, body, model, cache),
        Screen::Otp => otp::view(frame, body, model, cache),
        Screen::Services => services::view(frame, body, model, cache),
        Screen::Inquiry => inquiry::view(frame, body, model, cache),
        Screen::Results => results::view(frame, body, model, cache),
    }

    if let Some(n) = &model.notice {
        let style = match n.kind {
            NoticeKind::Info => p.accent,
            NoticeKind::Error => p.error,
        };
        let mark = if n.kind == NoticeKind::Error { "✗ " } else { "ℹ " };
        frame.render_widget(Paragraph::new(Line::from(Span::styled(format!("{mark}{}", n.text), style))), notice);
    }
    let keys = match model.screen {
        Screen::Login => T::KeysLogin,
        Screen::Otp => T::KeysOtp,
        Screen::Services if model.services.searching => T::KeysSearching,
        Screen::Services => T::KeysServices,
        Screen::Inquiry => T::KeysInquiry,
        Screen::Results if results::is_typing(model) => T::KeysFiltering,
        Screen::Results => T::KeysResults,
    };
    let (screen_keys, global_keys) = fit_keys(model.t(keys), model.t(T::KeysGlobal), usize::from(status.width));
    let status_line = Line::from(vec![Span::raw(screen_keys), Span::styled(global_keys, p.dim)]);
    frame.render_widget(Paragraph::new(status_line).style(p.dim), status);

    if model.help {
        let text = match model.screen {
            Screen::Login => T::HelpLogin,
            Screen::Otp => T::HelpOtp,
            Screen::Services => T::HelpServices,
            Screen::Inquiry => T::HelpInquiry,
            Screen::Results => T::HelpResults,
        };
        let mut lines: Vec<Line> = model.t(text).lines().map(Line::from).collect();
        lines.push(Line::from(""));
        lines.push(Line::styled(model.t(T::HelpClose), p.dim));
        let popup = centered(area, area.width.min(70), lines.len() as u16 + 2);
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL).title(model.t(T::HelpTitle))),
            popup,
        );
    }
}
