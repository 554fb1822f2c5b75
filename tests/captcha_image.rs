//! The image code as a person sees it in the login screen of an 80x24 terminal: drawn by
//! the app in half blocks (each half cell's grey shown here as a shade) and, under
//! NO_COLOR, in ink blocks. The snapshots are for a reviewer to read against the answers.

use rand::SeedableRng;
use rasid::config::Lang;
use rasid::tui::app::{CaptchaState, Model};
use rasid::tui::canvas::ViewCache;
use rasid::tui::theme::ColorDepth;
use rasid::tui::view::draw;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::{Terminal, backend::TestBackend};

fn login_screen(png: Vec<u8>, colors: ColorDepth) -> Buffer {
    let mut model = Model::new(Lang::En, None, 0);
    model.captcha = CaptchaState { id: Some("c1".into()), png, ..CaptchaState::default() };
    model.colors = colors;
    model.size = (80, 24);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| draw(f, &model, &mut ViewCache::halfblocks())).unwrap();
    terminal.backend().buffer().clone()
}

/// The cells of the half-block picture: those painted in the picture's own greys.
fn picture(buffer: &Buffer) -> Rect {
    let grey = |x: u16, y: u16| matches!(buffer[(x, y)].bg, Color::Rgb(..));
    let cells: Vec<(u16, u16)> =
        (0..24).flat_map(|y| (0..80).map(move |x| (x, y))).filter(|&(x, y)| grey(x, y)).collect();
    let (x0, y0) = cells.iter().fold((u16::MAX, u16::MAX), |(x, y), c| (x.min(c.0), y.min(c.1)));
    let (x1, y1) = cells.iter().fold((0, 0), |(x, y), c| (x.max(c.0), y.max(c.1)));
    Rect::new(x0, y0, x1 - x0 + 1, y1 - y0 + 1)
}

fn shade(color: Color) -> &'static str {
    let Color::Rgb(r, g, b) = color else { panic!("a picture cell in {color:?}") };
    match (u32::from(r) + u32::from(g) + u32::from(b)) / 3 {
        0..90 => "██",
        90..140 => "▓▓",
        140..190 => "▒▒",
        190..225 => "░░",
        _ => "  ",
    }
}

#[test]
fn the_image_code_reads_at_80x24_in_half_blocks_and_in_ink() {
    for seed in 1..=4 {
        let image = rasid::server::captcha::generate(&mut rand_chacha::ChaCha8Rng::seed_from_u64(seed));
        let coloured = login_screen(image.png.clone(), ColorDepth::TrueColor);
        let area = picture(&coloured);
        assert_eq!((area.width, area.height), (48, 8), "the login screen's picture at 80x24: {area:?}");
        // Two pixels a cell, one above the other; a pixel is two columns wide to keep its shape.
        let mut halves = vec![];
        for y in area.top()..area.bottom() {
            let cells: Vec<_> = (area.left()..area.right()).map(|x| &coloured[(x, y)]).collect();
            let (upper, lower) = cells
                .iter()
                .map(|c| if c.symbol() == "▄" { (shade(c.bg), shade(c.fg)) } else { (shade(c.fg), shade(c.bg)) })
                .unzip::<_, _, String, String>();
            halves.extend([upper, lower]);
        }
        let plain = login_screen(image.png, ColorDepth::None);
        let ink: Vec<String> = (area.top()..area.bottom())
            .map(|y| (area.left()..area.right()).map(|x| plain[(x, y)].symbol()).collect())
            .collect();
        assert!(ink.iter().any(|line| line.contains('█')), "NO_COLOR draws the code in ink blocks");
        let shown = format!(
            "answer {}\n\nhalf blocks, 48x8 cells:\n{}\n\nNO_COLOR ink blocks, 48x8 cells:\n{}",
            image.answer,
            halves.join("\n"),
            ink.join("\n")
        );
        insta::assert_snapshot!(format!("image_code_seed_{seed}_at_80x24"), shown);
    }
}
