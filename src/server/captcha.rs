//! The image code: four digits, dark on a light ground. Each digit is drawn in
//! one of three designs with its own size, place, slant, tilt, stroke and shade,
//! under speckles and thin lines that run through the digits, so no single set
//! of bitmaps matches it. The strokes are thick enough to survive the login
//! screen's downscaling (48x16 dots in half blocks at 80x24); the noise is finer
//! than one of those dots, so there it fades while the full-size picture a
//! script reads stays cluttered.

use base64::Engine;
use image::GrayImage;
use rand::Rng;

use crate::domain::id_number::normalize_digits;

pub const WIDTH: u32 = 120;
pub const HEIGHT: u32 = 40;
pub const LENGTH: usize = 4;

/// A piece of a digit's centre line in a unit box, x to the right and y down.
enum Stroke {
    Line(&'static [(f32, f32)]),
    /// An elliptic arc: centre, radii, and the start and end angles in degrees (0 right, 90 down).
    Arc(f32, f32, f32, f32, f32, f32),
}
use Stroke::{Arc, Line};

type Design = &'static [Stroke];

const FAMILIES: usize = 3;

/// Each digit rounded, angular, and in a variant a hand might write
/// (closed and open 4, flagged and footed 1, bent and ticked 7, straight-tailed 6 and 9).
const DESIGNS: [[Design; FAMILIES]; 10] = [
    [
        &[Arc(0.5, 0.5, 0.5, 0.5, 0.0, 360.0)],
        &[Line(&[
            (0.25, 0.0),
            (0.75, 0.0),
            (1.0, 0.2),
            (1.0, 0.8),
            (0.75, 1.0),
            (0.25, 1.0),
            (0.0, 0.8),
            (0.0, 0.2),
            (0.25, 0.0),
        ])],
        &[
            Arc(0.5, 0.28, 0.42, 0.28, 180.0, 360.0),
            Line(&[(0.92, 0.28), (0.92, 0.72)]),
            Arc(0.5, 0.72, 0.42, 0.28, 0.0, 180.0),
            Line(&[(0.08, 0.72), (0.08, 0.28)]),
        ],
    ],
    [
        &[Line(&[(0.2, 0.25), (0.55, 0.0), (0.55, 1.0)])],
        &[Line(&[(0.25, 0.2), (0.55, 0.0), (0.55, 1.0)]), Line(&[(0.2, 1.0), (0.9, 1.0)])],
        &[Line(&[(0.15, 0.35), (0.6, 0.0), (0.6, 1.0)])],
    ],
    [
        &[Arc(0.5, 0.28, 0.45, 0.28, 200.0, 380.0), Line(&[(0.92, 0.38), (0.0, 1.0), (1.0, 1.0)])],
        &[Line(&[(0.0, 0.2), (0.25, 0.0), (0.75, 0.0), (1.0, 0.2), (1.0, 0.4), (0.0, 1.0), (1.0, 1.0)])],
        &[Arc(0.45, 0.3, 0.4, 0.3, 180.0, 360.0), Line(&[(0.85, 0.3), (0.85, 0.45), (0.05, 1.0), (1.0, 0.95)])],
    ],
    [
        &[Arc(0.5, 0.25, 0.42, 0.25, 200.0, 450.0), Arc(0.5, 0.73, 0.47, 0.27, 270.0, 520.0)],
        &[
            Line(&[(0.0, 0.1), (0.2, 0.0), (0.8, 0.0), (1.0, 0.15), (1.0, 0.35), (0.8, 0.5), (0.3, 0.5)]),
            Line(&[(0.8, 0.5), (1.0, 0.65), (1.0, 0.85), (0.8, 1.0), (0.2, 1.0), (0.0, 0.9)]),
        ],
        &[Line(&[(0.05, 0.0), (0.95, 0.0), (0.38, 0.37)]), Arc(0.5, 0.68, 0.45, 0.32, 255.0, 520.0)],
    ],
    [
        &[Line(&[(0.72, 1.0), (0.72, 0.0), (0.0, 0.68), (1.0, 0.68)])],
        &[Line(&[(0.4, 0.0), (0.0, 0.65), (1.0, 0.65)]), Line(&[(0.72, 0.3), (0.72, 1.0)])],
        &[Line(&[(0.0, 0.0), (0.0, 0.55), (1.0, 0.55)]), Line(&[(0.78, 0.0), (0.78, 1.0)])],
    ],
    [
        &[Line(&[(0.92, 0.0), (0.15, 0.0), (0.17, 0.44)]), Arc(0.48, 0.68, 0.45, 0.32, 230.0, 520.0)],
        &[Line(&[
            (1.0, 0.0),
            (0.05, 0.0),
            (0.0, 0.45),
            (0.75, 0.45),
            (1.0, 0.6),
            (1.0, 0.85),
            (0.8, 1.0),
            (0.2, 1.0),
            (0.0, 0.9),
        ])],
        &[Line(&[(1.0, 0.0), (0.25, 0.0), (0.2, 0.5)]), Arc(0.5, 0.7, 0.45, 0.3, 220.0, 430.0)],
    ],
    [
        &[Arc(0.5, 0.7, 0.45, 0.3, 0.0, 360.0), Arc(0.95, 0.7, 0.9, 0.7, 250.0, 180.0)],
        &[Line(&[
            (0.9, 0.0),
            (0.3, 0.0),
            (0.0, 0.3),
            (0.0, 0.85),
            (0.2, 1.0),
            (0.8, 1.0),
            (1.0, 0.85),
            (1.0, 0.6),
            (0.8, 0.45),
            (0.0, 0.45),
        ])],
        &[Line(&[(0.8, 0.0), (0.1, 0.62)]), Arc(0.5, 0.7, 0.42, 0.3, 0.0, 360.0)],
    ],
    [
        &[Line(&[(0.0, 0.0), (1.0, 0.0), (0.35, 1.0)])],
        &[Line(&[(0.0, 0.05), (1.0, 0.0), (0.75, 0.3), (0.52, 0.7), (0.45, 1.0)])],
        &[Line(&[(0.0, 0.18), (0.0, 0.0), (1.0, 0.0), (0.55, 0.5), (0.5, 1.0)])],
    ],
    [
        &[Arc(0.5, 0.24, 0.38, 0.24, 0.0, 360.0), Arc(0.5, 0.74, 0.47, 0.26, 0.0, 360.0)],
        &[
            Line(&[
                (0.2, 0.0),
                (0.8, 0.0),
                (0.95, 0.12),
                (0.95, 0.33),
                (0.8, 0.46),
                (0.2, 0.46),
                (0.05, 0.33),
                (0.05, 0.12),
                (0.2, 0.0),
            ]),
            Line(&[
                (0.2, 0.46),
                (0.0, 0.62),
                (0.0, 0.85),
                (0.2, 1.0),
                (0.8, 1.0),
                (1.0, 0.85),
                (1.0, 0.62),
                (0.8, 0.46),
            ]),
        ],
        &[Arc(0.5, 0.22, 0.3, 0.22, 0.0, 360.0), Arc(0.5, 0.7, 0.5, 0.3, 0.0, 360.0)],
    ],
    [
        &[Arc(0.5, 0.3, 0.45, 0.3, 0.0, 360.0), Arc(0.05, 0.3, 0.9, 0.7, 0.0, 70.0)],
        &[Line(&[
            (0.95, 0.3),
            (0.7, 0.55),
            (0.3, 0.55),
            (0.05, 0.3),
            (0.3, 0.02),
            (0.7, 0.02),
            (0.95, 0.3),
            (0.95, 0.5),
            (0.5, 1.0),
        ])],
        &[Arc(0.48, 0.3, 0.42, 0.3, 0.0, 360.0), Line(&[(0.9, 0.3), (0.45, 1.0)])],
    ],
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
    let mut png = Vec::new();
    // Encoding an in-memory image of a fixed size into a Vec cannot fail.
    let _ = render(&digits, rng).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png);
    CaptchaImage { answer, png }
}

/// Where and how one digit is drawn, in pixels.
#[derive(Clone, Copy)]
struct Pose {
    design: usize,
    centre: (f32, f32),
    size: (f32, f32),
    /// Sideways shift per pixel upwards: positive leans right.
    slant: f32,
    /// Sine and cosine of the clockwise turn.
    turn: (f32, f32),
    stroke: f32,
    shade: u8,
    /// A smooth warp of the unit box: sideways and up-down amplitude, then their phases.
    warp: [f32; 4],
}

impl Pose {
    fn place(&self, (u, v): (f32, f32)) -> (f32, f32) {
        use std::f32::consts::TAU;
        let [across, down, p, q] = self.warp;
        let (u, v) = (u + across * (TAU * v + p).sin(), v + down * (TAU * u + q).sin());
        let (x, y) = ((u - 0.5) * self.size.0, (v - 0.5) * self.size.1);
        let x = x - self.slant * y;
        let (sin, cos) = self.turn;
        (self.centre.0 + x * cos - y * sin, self.centre.1 + x * sin + y * cos)
    }
}

fn render<R: Rng>(digits: &[u8], rng: &mut R) -> GrayImage {
    let ground = rng.random_range(232..=246u8);
    // Dark single pixels over a tenth of the ground: ink to a script that thresholds the
    // picture, a light grey once a half block averages them. Two random bytes a pixel.
    let salt = rng.random_range(18..26u8);
    let mut noise = vec![0u8; (WIDTH * HEIGHT * 2) as usize];
    rng.fill(&mut noise[..]);
    let mut img = GrayImage::new(WIDTH, HEIGHT);
    for (pixel, n) in img.iter_mut().zip(noise.chunks_exact(2)) {
        *pixel = if n[1] < salt { 30 + (n[0] >> 3) * 3 } else { ground + (n[0] & 7) };
    }
    for (&digit, pose) in digits.iter().zip(layout(digits, rng)) {
        centre_line(digit, &pose, |a, b| segment(&mut img, a, b, pose.stroke / 2.0, pose.shade));
    }
    // Blots as dark as ink and a few pixels wide outlast a script's denoising, then join
    // glyphs or stretch the box it crops one to; a reader takes them for specks.
    for _ in 0..rng.random_range(8..13) {
        let at = (rng.random_range(0.0..WIDTH as f32), rng.random_range(0.0..HEIGHT as f32));
        segment(&mut img, at, at, rng.random_range(1.0..1.6), rng.random_range(20..90));
    }
    // Lines through the digits join them for a script that cuts at blank columns; one
    // pixel thin and lighter than ink, they fade in the terminal's downscaling.
    for _ in 0..2 {
        let (from, to) = (rng.random_range(8.0..32.0f32), rng.random_range(8.0..32.0f32));
        let (wave, period, phase) = (
            rng.random_range(1.0..4.0f32),
            rng.random_range(0.03..0.09f32),
            rng.random_range(0.0..std::f32::consts::TAU),
        );
        let shade = rng.random_range(110..140);
        let at = |x: f32| (x, from + (to - from) * x / WIDTH as f32 + wave * (period * x + phase).sin());
        for k in 0..WIDTH / 4 {
            let x = (k * 4) as f32;
            segment(&mut img, at(x), at(x + 4.0), 0.5, shade);
        }
    }
    img
}

/// A random pose for each digit, placed left to right by where its ink really reaches, so
/// none runs into its neighbour or off the picture (two digits that touch read as one at 48x16).
fn layout<R: Rng>(digits: &[u8], rng: &mut R) -> Vec<Pose> {
    const MARGIN: f32 = 2.0;
    let mut poses: Vec<Pose> = digits
        .iter()
        .map(|_| {
            let height = rng.random_range(27.0..35.0f32);
            Pose {
                design: rng.random_range(0..FAMILIES),
                centre: (0.0, 0.0),
                size: (height * rng.random_range(0.5..0.8), height),
                slant: rng.random_range(-0.2..0.4),
                turn: rng.random_range(-0.16..0.16f32).sin_cos(),
                stroke: rng.random_range(3.6..4.6),
                shade: rng.random_range(10..50),
                warp: [
                    rng.random_range(-0.12..0.12),
                    rng.random_range(-0.1..0.1),
                    rng.random_range(0.0..std::f32::consts::TAU),
                    rng.random_range(0.0..std::f32::consts::TAU),
                ],
            }
        })
        .collect();
    let gaps: Vec<f32> = (1..digits.len()).map(|_| rng.random_range(2.0..6.0)).collect();
    // What does not scale with the digits: their strokes and the gaps between them.
    let fixed: f32 = poses.iter().map(|pose| pose.stroke).sum::<f32>() + gaps.iter().sum::<f32>();
    let room = WIDTH as f32 - 2.0 * MARGIN - fixed;
    let reaches = |poses: &[Pose]| -> Vec<[f32; 4]> {
        digits.iter().zip(poses).map(|(&d, pose)| centre_line_extent(d, pose)).collect()
    };
    let wide = |reach: &[[f32; 4]]| reach.iter().map(|r| r[1] - r[0]).sum::<f32>();
    // Too wide for the picture: narrower digits first, as tall and so as legible as before.
    let mut reach = reaches(&poses);
    for _ in 0..3 {
        if wide(&reach) <= room {
            break;
        }
        let narrower = room / wide(&reach);
        for pose in &mut poses {
            pose.size.0 *= narrower;
            pose.slant *= narrower;
        }
        reach = reaches(&poses);
    }
    // Then smaller, should the tilt alone still overflow, or a digit be too tall. The centre
    // line's reach scales with the size; the stroke around it does not.
    let scale = |pose: &mut Pose, reach: &mut [f32; 4], by: f32| {
        pose.size = (pose.size.0 * by, pose.size.1 * by);
        reach.iter_mut().for_each(|r| *r *= by);
    };
    if wide(&reach) > room {
        let smaller = room / wide(&reach);
        for (pose, reach) in poses.iter_mut().zip(&mut reach) {
            scale(pose, reach, smaller);
        }
    }
    for (pose, reach) in poses.iter_mut().zip(&mut reach) {
        let (tall, room) = (reach[3] - reach[2], HEIGHT as f32 - 2.0 * MARGIN - pose.stroke);
        if tall > room {
            scale(pose, reach, room / tall);
        }
    }
    let total = wide(&reach) + fixed;
    let spare = ((WIDTH as f32 - total) / 2.0 - MARGIN).max(0.0);
    let mut x = (WIDTH as f32 - total) / 2.0 + spare * rng.random_range(-1.0..=1.0);
    for (i, (pose, [left, right, top, bottom])) in poses.iter_mut().zip(reach).enumerate() {
        let r = pose.stroke / 2.0;
        let (low, high) = (MARGIN + r - top, HEIGHT as f32 - MARGIN - r - bottom);
        let y = if low < high { rng.random_range(low..=high) } else { (low + high) / 2.0 };
        pose.centre = (x + r - left, y);
        x += right - left + pose.stroke + gaps.get(i).copied().unwrap_or(0.0);
    }
    poses
}

/// Calls `each` with the ends of every straight piece of the digit's centre line.
fn centre_line(digit: u8, pose: &Pose, mut each: impl FnMut((f32, f32), (f32, f32))) {
    for stroke in DESIGNS[usize::from(digit) % 10][pose.design % FAMILIES] {
        match *stroke {
            Line(points) => {
                for pair in points.windows(2) {
                    each(pose.place(pair[0]), pose.place(pair[1]));
                }
            }
            Arc(cx, cy, rx, ry, from, to) => {
                let steps = ((to - from).abs() / 20.0).ceil().max(1.0) as u32;
                let at = |k: u32| {
                    let angle = (from + (to - from) * k as f32 / steps as f32).to_radians();
                    pose.place((cx + rx * angle.cos(), cy + ry * angle.sin()))
                };
                for k in 0..steps {
                    each(at(k), at(k + 1));
                }
            }
        }
    }
}

/// Left, right, top and bottom of the digit's centre line, relative to its pose's centre.
fn centre_line_extent(digit: u8, pose: &Pose) -> [f32; 4] {
    let at_origin = Pose { centre: (0.0, 0.0), ..*pose };
    let mut e = [f32::MAX, f32::MIN, f32::MAX, f32::MIN];
    centre_line(digit, &at_origin, |a, b| {
        for (x, y) in [a, b] {
            e = [e[0].min(x), e[1].max(x), e[2].min(y), e[3].max(y)];
        }
    });
    e
}

/// Darkens the pixels within `radius` of the segment from `a` to `b`, the edge smoothed over a pixel.
fn segment(img: &mut GrayImage, a: (f32, f32), b: (f32, f32), radius: f32, shade: u8) {
    let reach = radius + 1.0;
    // Saturating casts: a stroke partly off the picture is clipped, never wrapped.
    let (x0, x1) = ((a.0.min(b.0) - reach).floor() as u32, ((a.0.max(b.0) + reach).ceil() as u32).min(WIDTH));
    let (y0, y1) = ((a.1.min(b.1) - reach).floor() as u32, ((a.1.max(b.1) + reach).ceil() as u32).min(HEIGHT));
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = (dx * dx + dy * dy).max(1e-6);
    let edge = radius + 0.5;
    for y in y0..y1 {
        for x in x0..x1 {
            let (px, py) = (x as f32 + 0.5 - a.0, y as f32 + 0.5 - a.1);
            let t = ((px * dx + py * dy) / length2).clamp(0.0, 1.0);
            let distance2 = (px - t * dx).powi(2) + (py - t * dy).powi(2);
            if distance2 < edge * edge {
                let cover = (edge - distance2.sqrt()).min(1.0);
                let pixel = img.get_pixel_mut(x, y);
                let now = f32::from(pixel.0[0]);
                pixel.0[0] = pixel.0[0].min((now + (f32::from(shade) - now) * cover) as u8);
            }
        }
    }
}

/// Case-insensitive comparison that takes the same time wherever the first difference is.
/// Eastern Arabic and Persian digits count as the ASCII digits they stand for.
pub fn answer_matches(expected: &str, given: &str) -> bool {
    use subtle::ConstantTimeEq;
    let expected = normalize_digits(expected).to_lowercase();
    let given = normalize_digits(given).to_lowercase();
    expected.len() == given.len() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;
    use rand::SeedableRng;

    fn seeded(seed: u64) -> rand_chacha::ChaCha8Rng {
        rand_chacha::ChaCha8Rng::seed_from_u64(seed)
    }

    fn text(digits: &[u8]) -> String {
        digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    #[test]
    fn draws_a_png_of_the_stated_size_with_dark_ink_on_a_light_ground() {
        let c = generate(&mut seeded(7));
        assert_eq!(c.answer.len(), LENGTH);
        assert!(c.answer.chars().all(|ch| ch.is_ascii_digit()));
        let img = image::load_from_memory(&c.png).unwrap().to_luma8();
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        let mut lumas: Vec<u8> = img.pixels().map(|p| p.0[0]).collect();
        lumas.sort_unstable();
        assert!(lumas[lumas.len() / 2] > 220, "the ground is light: median {}", lumas[lumas.len() / 2]);
        assert!(lumas.iter().filter(|&&l| l < 80).count() > 300, "the digits are drawn dark");
    }

    #[test]
    fn each_digit_stays_inside_the_picture_and_clear_of_its_neighbours() {
        let mut rng = seeded(3);
        for _ in 0..2000 {
            let digits: Vec<u8> = (0..LENGTH).map(|_| rng.random_range(0..10)).collect();
            let boxes: Vec<[f32; 4]> = digits
                .iter()
                .zip(layout(&digits, &mut rng))
                .map(|(&d, pose)| {
                    let [l, r, t, b] = centre_line_extent(d, &pose);
                    let (x, y, ink) = (pose.centre.0, pose.centre.1, pose.stroke / 2.0);
                    [x + l - ink, x + r + ink, y + t - ink, y + b + ink]
                })
                .collect();
            for &[l, r, t, b] in &boxes {
                assert!(l >= 0.0 && r <= WIDTH as f32 && t >= 0.0 && b <= HEIGHT as f32, "{digits:?} {boxes:?}");
            }
            for pair in boxes.windows(2) {
                assert!(pair[0][1] + 1.0 < pair[1][0], "{digits:?} touch: {boxes:?}");
            }
        }
    }

    /// The digits as the generator drew them before issue 12: exact 5x7 bitmaps.
    const OLD_GLYPHS: [[u8; 7]; 10] = [
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

    /// The old generator, kept here to show that the reader below is a real one.
    fn old_render(digits: &[u8], rng: &mut impl Rng) -> GrayImage {
        let mut img = GrayImage::from_pixel(WIDTH, HEIGHT, Luma([250]));
        for _ in 0..120 {
            let (x, y) = (rng.random_range(0..WIDTH), rng.random_range(0..HEIGHT));
            img.put_pixel(x, y, Luma([200]));
        }
        let (mut y, slope) = (rng.random_range(8..32) as f32, rng.random_range(-0.2f32..0.2));
        for x in 0..WIDTH {
            img.put_pixel(x, y.round().clamp(0.0, (HEIGHT - 1) as f32) as u32, Luma([190]));
            y += slope;
        }
        let left = (WIDTH - 4 * 20 - 3 * 8) / 2;
        for (i, &d) in digits.iter().enumerate() {
            let (x0, y0, shade) =
                (left + i as u32 * 28, 6 + rng.random_range(0..=(HEIGHT - 40)), rng.random_range(10..60));
            for (row, bits) in OLD_GLYPHS[usize::from(d)].iter().enumerate() {
                for col in (0..5u32).filter(|col| bits & (1 << (4 - col)) != 0) {
                    for (dx, dy) in (0..4).flat_map(|dx| (0..4).map(move |dy| (dx, dy))) {
                        img.put_pixel(x0 + col * 4 + dx, y0 + row as u32 * 4 + dy, Luma([shade]));
                    }
                }
            }
        }
        img
    }

    /// The glyph between columns `x0..x1`, cropped to its ink and shrunk to 5x7 cells,
    /// a cell inked when a third of its pixels are.
    fn shrink(img: &GrayImage, x0: u32, x1: u32) -> [u8; 7] {
        let ink = |x: u32, y: u32| img.get_pixel(x, y).0[0] < 128;
        let rows: Vec<u32> = (0..HEIGHT).filter(|&y| (x0..x1).filter(|&x| ink(x, y)).count() > 1).collect();
        let (y0, y1) = (rows.first().copied().unwrap_or(0), rows.last().map_or(HEIGHT, |y| y + 1));
        let mut bits = [0u8; 7];
        for (r, row) in (0..7u32).zip(&mut bits) {
            for c in 0..5u32 {
                let (cx0, cx1) = (x0 + (x1 - x0) * c / 5, x0 + (x1 - x0) * (c + 1) / 5);
                let (cy0, cy1) = (y0 + (y1 - y0) * r / 7, y0 + (y1 - y0) * (r + 1) / 7);
                let dark = (cx0..cx1).flat_map(|x| (cy0..cy1).map(move |y| (x, y))).filter(|&(x, y)| ink(x, y)).count();
                if dark as u32 * 3 >= ((cx1 - cx0) * (cy1 - cy0)).max(1) {
                    *row |= 1 << (4 - c);
                }
            }
        }
        bits
    }

    /// Reads a picture as the script in issue 12 did: ink columns cut into four glyphs,
    /// each shrunk to 5x7 and taken for the template it differs from in the fewest cells.
    fn read(img: &GrayImage, templates: &[[u8; 7]]) -> String {
        // A column with a pixel or two of ink is a thin line passing, not a digit.
        let inked: Vec<bool> =
            (0..WIDTH).map(|x| (0..HEIGHT).filter(|&y| img.get_pixel(x, y).0[0] < 128).count() > 2).collect();
        let mut runs: Vec<(u32, u32)> = vec![];
        for x in (0..WIDTH).filter(|&x| inked[x as usize]) {
            match runs.last_mut() {
                Some(run) if run.1 == x => run.1 = x + 1,
                _ => runs.push((x, x + 1)),
            }
        }
        runs.retain(|run| run.1 - run.0 > 2);
        if runs.len() != LENGTH {
            // Glyphs that touch: the inked span cut in equal parts instead.
            let (a, b) = (runs.first().map_or(0, |r| r.0), runs.last().map_or(WIDTH, |r| r.1));
            let n = LENGTH as u32;
            runs = (0..n).map(|i| (a + (b - a) * i / n, a + (b - a) * (i + 1) / n)).collect();
        }
        let differ = |t: &[u8; 7], bits: &[u8; 7]| t.iter().zip(bits).map(|(t, b)| (t ^ b).count_ones()).sum::<u32>();
        runs.iter()
            .map(|&(x0, x1)| {
                let bits = shrink(img, x0, x1);
                let best = (0..templates.len()).min_by_key(|&k| differ(&templates[k], &bits)).unwrap_or(0);
                char::from(b'0' + (best % 10) as u8)
            })
            .collect()
    }

    /// Templates made from one design of the new generator, drawn upright on a clean ground.
    fn design_templates(design: usize) -> Vec<[u8; 7]> {
        (0..10u8)
            .map(|d| {
                let mut img = GrayImage::from_pixel(WIDTH, HEIGHT, Luma([240]));
                let pose = Pose {
                    design,
                    centre: (60.0, 20.0),
                    size: (20.0, 31.0),
                    slant: 0.0,
                    turn: (0.0, 1.0),
                    stroke: 3.5,
                    shade: 40,
                    warp: [0.0; 4],
                };
                centre_line(d, &pose, |a, b| segment(&mut img, a, b, pose.stroke / 2.0, pose.shade));
                let [left, right, ..] = centre_line_extent(d, &pose);
                shrink(&img, (58.0 + left).floor() as u32, (62.0 + right).ceil() as u32)
            })
            .collect()
    }

    #[test]
    fn a_template_reader_that_reads_every_old_code_reads_almost_no_new_one() {
        let mut rng = seeded(12);
        let codes: Vec<Vec<u8>> = (0..50).map(|_| (0..LENGTH).map(|_| rng.random_range(0..10)).collect()).collect();
        let old_read = codes.iter().filter(|c| read(&old_render(c, &mut rng), &OLD_GLYPHS) == text(c)).count();
        assert!(old_read >= 48, "the reader is a real one: it read {old_read} of 50 old codes");
        let pictures: Vec<GrayImage> = codes.iter().map(|c| render(c, &mut rng)).collect();
        let sets = [
            ("the old bitmaps", OLD_GLYPHS.to_vec()),
            ("the rounded design", design_templates(0)),
            ("the angular design", design_templates(1)),
            ("the variant design", design_templates(2)),
        ];
        for (name, templates) in sets {
            let hits = codes.iter().zip(&pictures).filter(|(c, p)| read(p, &templates) == text(c)).count();
            assert!(hits <= 2, "templates from {name} read {hits} of 50 new codes");
        }
    }

    #[test]
    fn answers_compare_ignoring_case_and_spaces() {
        assert!(answer_matches("a7B2", " A7b2 "));
        assert!(!answer_matches("1234", "1235"));
        assert!(!answer_matches("1234", "123"));
    }

    #[test]
    fn answers_typed_in_eastern_arabic_or_persian_digits_match() {
        assert!(answer_matches("1680", "١٦٨٠"));
        assert!(answer_matches("1680", " ۱۶۸۰ "));
        assert!(answer_matches("1680", "1٦8۰"));
        assert!(!answer_matches("1680", "١٦٨١"));
        assert!(!answer_matches("1680", "١٦٨"));
    }
}
