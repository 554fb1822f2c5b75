//! The image code: four digits drawn large on a light background with light
//! noise, so it stays readable when a terminal shows it as half blocks.

use base64::Engine;
use image::{GrayImage, Luma};
use rand::Rng;

pub const WIDTH: u32 = 120;
pub const HEIGHT: u32 = 40;
pub const LENGTH: usize = 4;
const SCALE: u32 = 4;

/// 5x7 bitmaps of the digits, one row a byte, the 5 low bits left to right.
const GLYPHS: [[u8; 7]; 10] = [
    [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110],
    [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
    [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111],
    [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110],
    [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010],
    [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110],
    [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110],
    [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000],
    [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110],
    [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100],
];

pub struct CaptchaImage {
    pub answer: String,
    pub png: Vec<u8>,
}

impl CaptchaImage {
    pub fn png_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.png)
    }
}

pub fn generate<R: Rng>(rng: &mut R) -> CaptchaImage {
    let digits: Vec<u8> = (0..LENGTH).map(|_| rng.random_range(0..10)).collect();
    let answer = digits.iter().map(|d| char::from(b'0' + d)).collect();
    CaptchaImage { answer, png: draw(&digits, rng) }
}

fn draw<R: Rng>(digits: &[u8], rng: &mut R) -> Vec<u8> {
    let mut img = GrayImage::from_pixel(WIDTH, HEIGHT, Luma([250]));
    // Light speckles and one faint line: enough to deter a naive reader,
    // too faint to survive the terminal's downscaling.
    for _ in 0..120 {
        let (x, y) = (rng.random_range(0..WIDTH), rng.random_range(0..HEIGHT));
        img.put_pixel(x, y, Luma([200]));
    }
    let (mut y, slope) = (rng.random_range(8..32) as f32, rng.random_range(-0.2f32..0.2));
    for x in 0..WIDTH {
        let row = y.round().clamp(0.0, (HEIGHT - 1) as f32) as u32;
        img.put_pixel(x, row, Luma([190]));
        y += slope;
    }
    let glyph_w = 5 * SCALE;
    let gap = 8;
    let total = digits.len() as u32 * glyph_w + (digits.len() as u32 - 1) * gap;
    let left = (WIDTH - total) / 2;
    for (i, &d) in digits.iter().enumerate() {
        let x0 = left + i as u32 * (glyph_w + gap);
        let y0 = 6 + rng.random_range(0..=(HEIGHT - 7 * SCALE - 12));
        let shade = rng.random_range(10..60);
        for (row, bits) in GLYPHS[usize::from(d)].iter().enumerate() {
            for col in 0..5u32 {
                if bits & (1 << (4 - col)) == 0 {
                    continue;
                }
                for dy in 0..SCALE {
                    for dx in 0..SCALE {
                        img.put_pixel(x0 + col * SCALE + dx, y0 + row as u32 * SCALE + dy, Luma([shade]));
                    }
                }
            }
        }
    }
    let mut png = Vec::new();
    // Encoding an in-memory image of a fixed size into a Vec cannot fail.
    let _ = img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png);
    png
}

/// Case-insensitive comparison that takes the same time wherever the first difference is.
pub fn answer_matches(expected: &str, given: &str) -> bool {
    use subtle::ConstantTimeEq;
    let expected = expected.trim().to_lowercase();
    let given = given.trim().to_lowercase();
    expected.len() == given.len() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn draws_a_png_of_the_stated_size_with_dark_digits() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let c = generate(&mut rng);
        assert_eq!(c.answer.len(), LENGTH);
        assert!(c.answer.chars().all(|ch| ch.is_ascii_digit()));
        let img = image::load_from_memory(&c.png).unwrap().to_luma8();
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        let dark = img.pixels().filter(|p| p.0[0] < 100).count();
        let lit: u32 =
            c.answer.bytes().map(|b| GLYPHS[usize::from(b - b'0')].iter().map(|r| r.count_ones()).sum::<u32>()).sum();
        assert_eq!(dark as u32, lit * SCALE * SCALE, "every digit cell is drawn dark, and nothing else");
    }

    #[test]
    fn answers_compare_ignoring_case_and_spaces() {
        assert!(answer_matches("a7B2", " A7b2 "));
        assert!(!answer_matches("1234", "1235"));
        assert!(!answer_matches("1234", "123"));
    }
}
