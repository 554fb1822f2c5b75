//! Drawing: the frame around every screen (title bar, notice, status line,
//! help), the screen itself, then the bidi and colour passes.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{Model, NoticeKind, Screen};
use super::bidi;
use super::keys;
use super::screens::{self, inquiry, login, otp, renewals, results, services, workers};
use super::strings::{self, Arg, T, tr};
use super::theme;
use super::widgets::centered;
use crate::config::{BidiMode, Digits, Lang};

pub use super::canvas::ViewCache;

pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 15;

/// The screen's keys and the global ones for a status line `width` cells wide: the
/// screen's last keys give way first, so quitting and help stay in view.
fn fit_keys(mut items: Vec<String>, global: &[String], width: usize) -> (String, String) {
    use unicode_width::UnicodeWidthStr;
    let joined = global.join(" · ");
    let with_screen = format!("  ·  {joined}");
    while items.len() > 1 && items.join(" · ").width() + with_screen.width() > width {
        items.pop();
    }
    // When even one of the screen's keys leaves no room, the global keys (help, quit) go whole
    // rather than cut mid-word; the screen's keys are in the help.
    if items.join(" · ").width() + with_screen.width() > width {
        let mut global = global.to_vec();
        while global.len() > 2 && global.join(" · ").width() > width {
            global.pop();
        }
        return (String::new(), global.join(" · "));
    }
    (items.join(" · "), with_screen)
}

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn draw(frame: &mut Frame, model: &Model, cache: &mut ViewCache) {
    let rtl = model.lang == Lang::Ar;
    cache.start(model.mirrored());
    draw_logical(frame, model, cache);
    let area = frame.area();
    let cursor = match model.bidi {
        BidiMode::App => {
            let indic = rtl && model.digits == Digits::ArabicIndic;
            bidi::apply(frame.buffer_mut(), area, rtl, indic, &cache.pictures, &cache.typed, cache.cursor)
        }
        BidiMode::Terminal => {
            bidi::strip_joiners(frame.buffer_mut(), area);
            cache.cursor
        }
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
    // A long notice wraps rather than losing its end (a file's extension, how to cancel).
    let notice_text = model.notice.as_ref().map(|n| {
        let mark = if n.kind == NoticeKind::Error { "✗ " } else { "ℹ " };
        format!("{mark}{}", n.text(model.lang))
    });
    let notice_height = notice_text.as_deref().map_or(1, |t| crate::tui::widgets::wrapped_height(t, area.width).min(3));
    let [top, body, notice, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(notice_height),
        Constraint::Length(1),
    ])
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
        Screen::Workers => workers::view(frame, body, model, cache),
        Screen::Renewals => renewals::view(frame, body, model, cache),
    }

    if let (Some(n), Some(text)) = (&model.notice, notice_text) {
        let style = match n.kind {
            NoticeKind::Info => p.accent,
            NoticeKind::Error => p.error,
        };
        frame.render_widget(Paragraph::new(Line::from(Span::styled(text, style))).wrap(Wrap { trim: true }), notice);
    }
    let screen_keys = keys::status_items(model.lang, screens::status_keys(model));
    let global_keys = keys::status_items(model.lang, screens::global_keys(model));
    let (screen_keys, global_keys) = fit_keys(screen_keys, &global_keys, usize::from(status.width));
    let status_line = Line::from(vec![Span::raw(screen_keys), Span::styled(global_keys, p.dim)]);
    frame.render_widget(Paragraph::new(status_line).style(p.dim), status);

    if model.help {
        let text = help_text(model);
        let (popup, max_scroll) = help_popup(&text, area);
        let mut lines: Vec<Line> = text.into_iter().map(Line::from).collect();
        if let Some(close) = lines.last_mut() {
            *close = close.clone().style(p.dim);
        }
        // Where it does not all fit, the title says it scrolls.
        let title =
            if max_scroll > 0 { format!("{} ↑↓", model.t(T::HelpTitle)) } else { model.t(T::HelpTitle).to_owned() };
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((model.help_scroll.min(max_scroll), 0))
                .block(Block::default().borders(Borders::ALL).title(title)),
            popup,
        );
    }
}

/// The help's lines for the screen on show, a blank line, and how to close it.
fn help_text(model: &Model) -> Vec<String> {
    let mut lines = keys::help_lines(model.lang, screens::key_table(model.screen));
    lines.extend([String::new(), model.t(T::HelpClose).to_owned()]);
    lines
}

/// Where the help's `lines` go in `area`, and how many rows of them, once wrapped, do not fit.
fn help_popup(lines: &[String], area: Rect) -> (Rect, u16) {
    let width = area.width.min(70);
    let rows: u16 = lines.iter().map(|l| crate::tui::widgets::wrapped_height(l, width.saturating_sub(2))).sum();
    let popup = centered(area, width, rows + 2);
    (popup, rows.saturating_sub(popup.height.saturating_sub(2)))
}

/// How far the help may scroll in the terminal as it is, and the rows it shows at once.
pub fn help_scroll_room(model: &Model) -> (u16, u16) {
    let (popup, max_scroll) = help_popup(&help_text(model), Rect::new(0, 0, model.size.0, model.size.1));
    (max_scroll, popup.height.saturating_sub(2).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_drops_whole_keys_and_never_cuts_one() {
        use unicode_width::UnicodeWidthStr;
        let screen = vec!["Tab next".to_owned(), "Enter log in".to_owned()];
        let global = ["F1 help".to_owned(), "Ctrl-C quit".to_owned(), "F2 English".to_owned()];
        for width in [30, 40, 48, 60, 80] {
            let (s, g) = fit_keys(screen.clone(), &global, width);
            assert!(s.width() + g.width() <= width, "{width}: {s:?} {g:?}");
            assert!(g.contains("F1 help") && g.contains("Ctrl-C quit"), "{width}: help and quit stay: {g:?}");
        }
        assert_eq!(fit_keys(screen.clone(), &global, 80).0, "Tab next · Enter log in");
    }
}
