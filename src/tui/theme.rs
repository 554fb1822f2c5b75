//! Themes: what each role (emphasis, selection, errors…) looks like, and one
//! pass over the finished frame that fits its colours to what the terminal
//! can show, or removes them all when `NO_COLOR` asks.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use crate::config::Theme;

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    TrueColor,
    Ansi256,
    Ansi16,
    /// `NO_COLOR`, or a terminal without colour: modifiers only.
    None,
}

impl ColorDepth {
    /// Read from `NO_COLOR` (https://no-color.org), `COLORTERM` and `TERM`.
    pub fn detect(env: &dyn Fn(&str) -> Option<String>) -> ColorDepth {
        if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return ColorDepth::None;
        }
        let term = env("TERM").unwrap_or_default();
        if term == "dumb" {
            return ColorDepth::None;
        }
        let colorterm = env("COLORTERM").unwrap_or_default();
        if colorterm == "truecolor" || colorterm == "24bit" {
            ColorDepth::TrueColor
        } else if term.contains("256color") {
            ColorDepth::Ansi256
        } else {
            ColorDepth::Ansi16
        }
    }
}

/// The style of each role a screen draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Cells nobody coloured: the theme's own text and background.
    pub base: Style,
    pub emphasis: Style,
    pub dim: Style,
    pub selected: Style,
    pub good: Style,
    pub accent: Style,
    pub error: Style,
}

const BOLD: Modifier = Modifier::BOLD;

const DARK: Palette = Palette {
    base: Style::new(),
    emphasis: Style::new().add_modifier(BOLD),
    dim: Style::new().add_modifier(Modifier::DIM),
    selected: Style::new().add_modifier(Modifier::REVERSED),
    good: Style::new().fg(Color::Green),
    accent: Style::new().fg(Color::Cyan),
    error: Style::new().fg(Color::Red).add_modifier(BOLD),
};

const LIGHT: Palette = Palette {
    base: Style::new().fg(Color::Rgb(0x1f, 0x23, 0x28)).bg(Color::Rgb(0xfa, 0xfa, 0xf7)),
    emphasis: Style::new().add_modifier(BOLD),
    // DIM on a light background fades to nothing in many terminals: a grey instead.
    dim: Style::new().fg(Color::Rgb(0x5c, 0x63, 0x6b)),
    selected: Style::new().fg(Color::Rgb(0xfa, 0xfa, 0xf7)).bg(Color::Rgb(0x1d, 0x4e, 0x89)),
    good: Style::new().fg(Color::Rgb(0x1a, 0x7f, 0x37)),
    accent: Style::new().fg(Color::Rgb(0x00, 0x5f, 0x87)),
    error: Style::new().fg(Color::Rgb(0xb3, 0x1d, 0x28)).add_modifier(BOLD),
};

const HIGH_CONTRAST: Palette = Palette {
    base: Style::new().fg(Color::White).bg(Color::Black),
    emphasis: Style::new().add_modifier(BOLD),
    dim: Style::new(),
    selected: Style::new().add_modifier(Modifier::REVERSED).add_modifier(BOLD),
    good: Style::new().fg(Color::LightGreen).add_modifier(BOLD),
    accent: Style::new().fg(Color::LightYellow).add_modifier(BOLD),
    error: Style::new().fg(Color::LightRed).add_modifier(BOLD).add_modifier(Modifier::UNDERLINED),
};

/// No colour at all: selection by reverse video, emphasis by bold.
const MONO: Palette = Palette {
    base: Style::new(),
    emphasis: Style::new().add_modifier(BOLD),
    dim: Style::new().add_modifier(Modifier::DIM),
    selected: Style::new().add_modifier(Modifier::REVERSED),
    good: Style::new(),
    accent: Style::new().add_modifier(BOLD),
    error: Style::new().add_modifier(BOLD),
};

pub fn palette(theme: Theme, depth: ColorDepth) -> &'static Palette {
    match (depth, theme) {
        (ColorDepth::None, _) => &MONO,
        (_, Theme::Dark) => &DARK,
        (_, Theme::Light) => &LIGHT,
        (_, Theme::HighContrast) => &HIGH_CONTRAST,
    }
}

/// The sixteen colours as xterm shows them by default.
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

fn nearest_ansi16(rgb: (u8, u8, u8)) -> Color {
    let distance = |c: (u8, u8, u8)| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(c.0, rgb.0) + d(c.1, rgb.1) + d(c.2, rgb.2)
    };
    ANSI16.iter().min_by_key(|(_, c)| distance(*c)).map_or(Color::Reset, |(color, _)| *color)
}

fn fit(color: Color, depth: ColorDepth) -> Color {
    match (color, depth) {
        (_, ColorDepth::None) => Color::Reset,
        (Color::Rgb(r, g, b), ColorDepth::Ansi256) => Color::Indexed(ansi_colours::ansi256_from_rgb((r, g, b))),
        (Color::Rgb(r, g, b), ColorDepth::Ansi16) => nearest_ansi16((r, g, b)),
        (Color::Indexed(i), ColorDepth::Ansi16) if i >= 16 => nearest_ansi16(ansi_colours::rgb_from_ansi256(i)),
        (color, _) => color,
    }
}

/// Gives uncoloured cells the theme's base colours and fits every colour to the terminal.
pub fn paint(buffer: &mut Buffer, palette: &Palette, depth: ColorDepth) {
    // The usual case, the terminal's own base colours at full depth, changes no cell: skip the pass.
    if palette.base.fg.is_none() && palette.base.bg.is_none() && depth == ColorDepth::TrueColor {
        return;
    }
    let base_fg = palette.base.fg.unwrap_or(Color::Reset);
    let base_bg = palette.base.bg.unwrap_or(Color::Reset);
    for cell in &mut buffer.content {
        if cell.fg == Color::Reset {
            cell.fg = base_fg;
        }
        if cell.bg == Color::Reset {
            cell.bg = base_bg;
        }
        cell.fg = fit(cell.fg, depth);
        cell.bg = fit(cell.bg, depth);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_wins_over_everything_the_terminal_claims() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        let depth = |pairs| ColorDepth::detect(&env(pairs));
        assert_eq!(depth(&[("NO_COLOR", "1"), ("COLORTERM", "truecolor")]), ColorDepth::None);
        assert_eq!(depth(&[("NO_COLOR", ""), ("COLORTERM", "truecolor")]), ColorDepth::TrueColor);
        assert_eq!(depth(&[("TERM", "xterm-256color")]), ColorDepth::Ansi256);
        assert_eq!(depth(&[("TERM", "linux")]), ColorDepth::Ansi16);
        assert_eq!(depth(&[("TERM", "dumb")]), ColorDepth::None);
    }

    #[test]
    fn colours_are_fitted_to_the_terminal() {
        let paper = Color::Rgb(0xfa, 0xfa, 0xf7);
        assert_eq!(fit(paper, ColorDepth::TrueColor), paper);
        assert_eq!(fit(paper, ColorDepth::Ansi256), Color::Indexed(231));
        assert_eq!(fit(paper, ColorDepth::Ansi16), Color::White);
        assert_eq!(fit(Color::Rgb(0xb3, 0x1d, 0x28), ColorDepth::Ansi16), Color::Red);
        assert_eq!(fit(Color::Cyan, ColorDepth::Ansi16), Color::Cyan);
        assert_eq!(fit(Color::Cyan, ColorDepth::None), Color::Reset);
    }
}
