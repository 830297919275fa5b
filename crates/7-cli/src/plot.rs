//! The PNG plots of `ox prep --report DIR`, drawn by a small raster
//! painter (filled rectangles and a built-in 3×5 bitmap font, drawn at
//! twice its size) and written with `oxarray::io::image::write_png`:
//!
//! - `histograms.png`: one row per numeric feature, its histogram before
//!   scaling (left, blue) and after (right, orange), each panel titled with
//!   the feature's name and labelled with its range and its tallest bar's
//!   count;
//! - `missing.png`: the input table's missing values, one pixel row per
//!   row (or per band of rows for long tables: a band is red when any of
//!   its rows is missing there) and one block per column, missing in red on
//!   light grey, under a title that gives the counts.

use std::path::Path;

use oxarray::Array;

use crate::error::CliResult;

/// Bars per histogram.
pub const BINS: usize = 24;

/// Features drawn in `histograms.png`; more are left out (and counted).
pub const MAX_FEATURES: usize = 64;

const WHITE: [u8; 3] = [255, 255, 255];
const INK: [u8; 3] = [30, 30, 30];
const GRID: [u8; 3] = [200, 200, 200];
const BLUE: [u8; 3] = [52, 101, 164];
const ORANGE: [u8; 3] = [230, 126, 34];
const PRESENT: [u8; 3] = [225, 225, 225];
const MISSING: [u8; 3] = [214, 39, 40];

/// Glyph scale: each font pixel is `SCALE × SCALE` image pixels.
const SCALE: usize = 2;
/// Advance from one character to the next, in image pixels.
const ADVANCE: usize = 4 * SCALE;
/// Height of a line of text.
const LINE: usize = 5 * SCALE;

/// 3×5 glyphs: five rows of three bits, the high bit leftmost.
fn glyph(c: char) -> [u8; 5] {
    match c.to_ascii_uppercase() {
        '0' => [7, 5, 5, 5, 7],
        '1' => [2, 6, 2, 2, 7],
        '2' => [7, 1, 7, 4, 7],
        '3' => [7, 1, 7, 1, 7],
        '4' => [5, 5, 7, 1, 1],
        '5' => [7, 4, 7, 1, 7],
        '6' => [7, 4, 7, 5, 7],
        '7' => [7, 1, 1, 2, 2],
        '8' => [7, 5, 7, 5, 7],
        '9' => [7, 5, 7, 1, 7],
        'A' => [2, 5, 7, 5, 5],
        'B' => [6, 5, 6, 5, 6],
        'C' => [3, 4, 4, 4, 3],
        'D' => [6, 5, 5, 5, 6],
        'E' => [7, 4, 6, 4, 7],
        'F' => [7, 4, 6, 4, 4],
        'G' => [3, 4, 5, 5, 3],
        'H' => [5, 5, 7, 5, 5],
        'I' => [7, 2, 2, 2, 7],
        'J' => [1, 1, 1, 5, 2],
        'K' => [5, 5, 6, 5, 5],
        'L' => [4, 4, 4, 4, 7],
        'M' => [5, 7, 7, 5, 5],
        'N' => [6, 5, 5, 5, 5],
        'O' => [2, 5, 5, 5, 2],
        'P' => [6, 5, 6, 4, 4],
        'Q' => [2, 5, 5, 6, 3],
        'R' => [6, 5, 6, 5, 5],
        'S' => [3, 4, 2, 1, 6],
        'T' => [7, 2, 2, 2, 2],
        'U' => [5, 5, 5, 5, 7],
        'V' => [5, 5, 5, 5, 2],
        'W' => [5, 5, 7, 7, 5],
        'X' | '×' => [5, 5, 2, 5, 5],
        'Y' => [5, 5, 2, 2, 2],
        'Z' => [7, 1, 2, 4, 7],
        '-' | '−' => [0, 0, 7, 0, 0],
        '.' => [0, 0, 0, 0, 2],
        ',' => [0, 0, 0, 2, 4],
        '_' => [0, 0, 0, 0, 7],
        ':' => [0, 2, 0, 2, 0],
        '(' | '[' => [1, 2, 2, 2, 1],
        ')' | ']' => [4, 2, 2, 2, 4],
        '/' => [1, 1, 2, 4, 4],
        '+' => [0, 2, 7, 2, 0],
        '=' => [0, 7, 0, 7, 0],
        '%' => [5, 1, 2, 4, 5],
        '\'' | '"' => [2, 2, 0, 0, 0],
        ' ' => [0; 5],
        _ => [7, 1, 2, 0, 2], // '?'
    }
}

/// An RGB image being drawn.
pub struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Canvas {
    /// A white canvas.
    pub fn new(width: usize, height: usize) -> Canvas {
        Canvas { width, height, pixels: WHITE.repeat(width * height) }
    }

    /// Fills a rectangle, clipped to the canvas.
    pub fn rect(&mut self, x: usize, y: usize, w: usize, h: usize, color: [u8; 3]) {
        for yy in y..(y + h).min(self.height) {
            for xx in x..(x + w).min(self.width) {
                let at = (yy * self.width + xx) * 3;
                self.pixels[at..at + 3].copy_from_slice(&color);
            }
        }
    }

    /// Draws `text` with its top-left corner at `(x, y)`, cut to at most
    /// `max_width` pixels (a cut is shown as a final `.`).
    pub fn text(&mut self, x: usize, y: usize, text: &str, max_width: usize, color: [u8; 3]) {
        let fits = max_width / ADVANCE;
        let chars: Vec<char> = text.chars().collect();
        let shown: Vec<char> = if chars.len() > fits && fits > 0 {
            chars[..fits - 1].iter().copied().chain(std::iter::once('.')).collect()
        } else {
            chars.into_iter().take(fits).collect()
        };
        for (i, c) in shown.into_iter().enumerate() {
            for (row, bits) in glyph(c).iter().enumerate() {
                for col in 0..3 {
                    if bits & (4 >> col) != 0 {
                        self.rect(x + i * ADVANCE + col * SCALE, y + row * SCALE, SCALE, SCALE, color);
                    }
                }
            }
        }
    }

    /// The pixel width of `text`.
    pub fn text_width(text: &str) -> usize {
        text.chars().count() * ADVANCE
    }

    /// The image as a `height × width × 3` `uint8` array.
    pub fn into_array(self) -> CliResult<Array> {
        Ok(Array::from_vec(self.pixels, &[self.height, self.width, 3])?)
    }
}

/// Counts per bin of the finite values, and the range they span.
pub fn histogram(values: impl Iterator<Item = f64> + Clone) -> (Vec<u64>, f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.clone().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let mut counts = vec![0u64; BINS];
    if lo > hi {
        return (counts, f64::NAN, f64::NAN);
    }
    let width = hi - lo;
    for v in values.filter(|v| v.is_finite()) {
        let b = if width > 0.0 { (((v - lo) / width) * BINS as f64) as usize } else { BINS / 2 };
        counts[b.min(BINS - 1)] += 1;
    }
    (counts, lo, hi)
}

/// A number short enough for a panel label.
fn short(v: f64) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        format!("{v:.1e}")
    } else if v == v.round() {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

const PANEL_W: usize = 260;
const PANEL_H: usize = 150;
const PAD: usize = 8;

/// One histogram panel at `(x, y)`.
fn panel(c: &mut Canvas, x: usize, y: usize, title: &str, hist: &(Vec<u64>, f64, f64), color: [u8; 3]) {
    let (counts, lo, hi) = hist;
    c.text(x + PAD, y + PAD, title, PANEL_W - 2 * PAD, INK);
    let top = *counts.iter().max().unwrap_or(&0);
    // The plot area, between the title and the range labels.
    let (px, py) = (x + PAD, y + PAD + LINE + 6);
    let (pw, ph) = (PANEL_W - 2 * PAD, PANEL_H - 2 * PAD - 2 * LINE - 12);
    c.rect(px, py + ph, pw, 1, INK); // baseline
    c.rect(px, py, 1, ph, GRID);
    let bar = pw / BINS;
    for (i, &n) in counts.iter().enumerate() {
        if n == 0 || top == 0 {
            continue;
        }
        let h = ((n as f64 / top as f64) * ph as f64).ceil() as usize;
        c.rect(px + i * bar + 1, py + ph - h, bar.saturating_sub(1).max(1), h, color);
    }
    let label_y = py + ph + 4;
    c.text(px, label_y, &short(*lo), pw / 2, INK);
    let hi_s = short(*hi);
    c.text(px + pw - Canvas::text_width(&hi_s).min(pw / 2), label_y, &hi_s, pw / 2, INK);
    let n = format!("MAX {top}");
    c.text(px + pw - Canvas::text_width(&n).min(pw), py, &n, pw, INK);
}

/// One feature's values before and after scaling.
pub struct FeaturePlot<'a> {
    /// The feature's name.
    pub name: &'a str,
    /// Histogram of its values before scaling.
    pub before: (Vec<u64>, f64, f64),
    /// Histogram after.
    pub after: (Vec<u64>, f64, f64),
}

/// Draws `histograms.png`: one row per feature, before | after.
pub fn write_histograms(path: &Path, features: &[FeaturePlot], left_out: usize) -> CliResult<()> {
    let header = 2 * LINE + 3 * PAD;
    let rows = features.len().max(1);
    let mut c = Canvas::new(2 * PANEL_W, header + rows * PANEL_H);
    c.text(PAD, PAD, "HISTOGRAMS: BEFORE SCALING (LEFT), AFTER (RIGHT)", 2 * PANEL_W - 2 * PAD, INK);
    if left_out > 0 {
        c.text(PAD, PAD + LINE + PAD, &format!("{left_out} MORE FEATURES NOT SHOWN"), 2 * PANEL_W - 2 * PAD, INK);
    }
    for (i, f) in features.iter().enumerate() {
        let y = header + i * PANEL_H;
        c.rect(0, y, 2 * PANEL_W, 1, GRID);
        panel(&mut c, 0, y, &format!("{} BEFORE", f.name), &f.before, BLUE);
        panel(&mut c, PANEL_W, y, &format!("{} AFTER", f.name), &f.after, ORANGE);
    }
    if features.is_empty() {
        c.text(PAD, header + PAD, "NO NUMERIC FEATURES", 2 * PANEL_W - 2 * PAD, INK);
    }
    oxarray::io::image::write_png(path, &c.into_array()?)?;
    Ok(())
}

/// Rows of the missing-value map at most; longer tables are banded.
pub const MAX_MAP_ROWS: usize = 1000;

/// Draws `missing.png` for a table of `rows × names.len()` cells;
/// `is_missing(column)` gives that column's missing flags, one per row.
pub fn write_missing_map(path: &Path, names: &[String], missing: &[Vec<bool>]) -> CliResult<()> {
    let rows = missing.first().map_or(0, Vec::len);
    let cols = names.len();
    let band = rows.div_ceil(MAX_MAP_ROWS).max(1);
    let map_rows = rows.div_ceil(band);
    let cell_w = (960 / cols.max(1)).clamp(4, 64);
    let total: usize = missing.iter().map(|c| c.iter().filter(|&&m| m).count()).sum();
    let header = 3 * LINE + 4 * PAD;
    let width = (cols * cell_w + 2 * PAD).max(480);
    // Columns whose names do not fit above their strip are numbered, and
    // the numbers are explained below the map.
    let fits = |name: &str| Canvas::text_width(name) <= cell_w.saturating_sub(2);
    let legend: Vec<String> =
        names.iter().enumerate().filter(|(_, n)| !fits(n)).map(|(j, n)| format!("{j} = {n}")).collect();
    let legend_h = if legend.is_empty() { 0 } else { PAD + legend.len() * (LINE + 4) };
    let mut c = Canvas::new(width, header + map_rows + 2 * PAD + legend_h);
    let title = format!("MISSING VALUES: {total} CELLS IN {rows} ROWS X {cols} COLUMNS (RED = MISSING)");
    c.text(PAD, PAD, &title, width - 2 * PAD, INK);
    let note = if band > 1 { format!("ONE PIXEL ROW = {band} ROWS") } else { "ONE PIXEL ROW = ONE ROW".into() };
    c.text(PAD, PAD + LINE + PAD, &note, width - 2 * PAD, INK);
    for (j, (name, flags)) in names.iter().zip(missing).enumerate() {
        let x = PAD + j * cell_w;
        let label = if fits(name) { name.clone() } else { j.to_string() };
        if fits(&label) {
            c.text(x + 1, header - LINE - PAD, &label, cell_w - 2, INK);
        }
        for r in 0..map_rows {
            let any = flags[r * band..((r + 1) * band).min(rows)].iter().any(|&m| m);
            let w = cell_w.saturating_sub(1).max(1);
            c.rect(x, header + r, w, 1, if any { MISSING } else { PRESENT });
        }
    }
    for (i, l) in legend.iter().enumerate() {
        c.text(PAD, header + map_rows + 2 * PAD + i * (LINE + 4), l, width - 2 * PAD, INK);
    }
    oxarray::io::image::write_png(path, &c.into_array()?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_count_every_finite_value() {
        let (counts, lo, hi) = histogram([1.0, 2.0, f64::NAN, 3.0, 3.0].into_iter());
        assert_eq!((counts.iter().sum::<u64>(), lo, hi), (4, 1.0, 3.0));
        assert_eq!((counts[0], counts[BINS - 1]), (1, 2));
        let (counts, ..) = histogram([5.0, 5.0].into_iter());
        assert_eq!(counts[BINS / 2], 2);
        let (counts, lo, _) = histogram(std::iter::empty());
        assert!(counts.iter().all(|&n| n == 0) && lo.is_nan());
    }

    #[test]
    fn text_is_drawn_and_clipped() {
        let mut c = Canvas::new(40, 12);
        c.text(0, 0, "A1-Z", 40, INK);
        assert!(c.pixels.chunks(3).any(|p| p == INK));
        let mut d = Canvas::new(40, 12);
        d.text(0, 0, "ABCDEFGHIJ", 16, INK); // two characters fit: "A."
        let inked_x: Vec<usize> = (0..40).filter(|&x| (0..12).any(|y| d.pixels[(y * 40 + x) * 3] == INK[0])).collect();
        assert!(inked_x.iter().all(|&x| x < 16), "{inked_x:?}");
        assert_eq!(short(0.5), "0.5");
        assert_eq!(short(1234.0), "1234");
        assert_eq!(short(1.5e-7), "1.5e-7");
    }
}
