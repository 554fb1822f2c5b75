//! A picture as text: block characters, one ink colour, no escape codes. For
//! terminals without colour (`NO_COLOR`) and for the plain commands.

use image::GenericImageView;

/// Luma below this counts as ink: the image code's digits are dark on a light ground.
const INK_BELOW: u32 = 150;

/// The image drawn in `cols` × `rows` cells, two pixels per cell (upper and lower half).
pub fn image_blocks(png: &[u8], cols: u16, rows: u16) -> Option<Vec<String>> {
    let image = image::load_from_memory(png).ok()?.to_luma8();
    let (w, h) = image.dimensions();
    let (cols, pixel_rows) = (u32::from(cols), u32::from(rows) * 2);
    if w == 0 || h == 0 || cols == 0 || pixel_rows == 0 {
        return None;
    }
    // Ink where the source box under a pixel is dark on average.
    let ink = |col: u32, pixel_row: u32| {
        let (x0, x1) = (col * w / cols, ((col + 1) * w / cols).max(col * w / cols + 1).min(w));
        let (y0, y1) =
            (pixel_row * h / pixel_rows, ((pixel_row + 1) * h / pixel_rows).max(pixel_row * h / pixel_rows + 1).min(h));
        let view = image.view(x0, y0, x1 - x0, y1 - y0);
        let (sum, n) = view.pixels().fold((0u32, 0u32), |(s, n), (_, _, p)| (s + u32::from(p.0[0]), n + 1));
        n > 0 && sum / n < INK_BELOW
    };
    let lines = (0..u32::from(rows))
        .map(|row| {
            (0..cols)
                .map(|col| match (ink(col, row * 2), ink(col, row * 2 + 1)) {
                    (false, false) => ' ',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (true, true) => '█',
                })
                .collect()
        })
        .collect();
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, dark: impl Fn(u32, u32) -> bool) -> Vec<u8> {
        let img = image::GrayImage::from_fn(width, height, |x, y| image::Luma([if dark(x, y) { 20 } else { 240 }]));
        let mut out = std::io::Cursor::new(vec![]);
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn dark_pixels_become_blocks_by_halves() {
        // A 4x4 image: the first two pixels of the top row and the whole bottom row dark.
        let data = png(4, 4, |x, y| (x < 2 && y == 0) || y == 3);
        let lines = image_blocks(&data, 2, 2).unwrap();
        assert_eq!(lines, vec!["▀ ".to_owned(), "▄▄".to_owned()]);
    }

    #[test]
    fn a_picture_that_is_not_an_image_draws_nothing() {
        assert_eq!(image_blocks(b"not a png", 10, 2), None);
    }
}
