//! Resizing, cropping and channel conversion of `uint8` images
//! (`[height, width, channels]`, interleaved).
//!
//! **Resizing** is separable bilinear interpolation with antialiasing, the
//! algorithm of Pillow's `Image.resize(size, Image.BILINEAR)` (and of
//! torchvision's `Resize(antialias=True)` on PIL images): when shrinking by
//! a factor `s`, the triangle filter is stretched to cover `s` input pixels
//! on each side, so every input pixel contributes and nothing aliases. The
//! horizontal pass runs first and its result is rounded to `uint8`, then
//! the vertical pass; weights are normalised per output pixel and applied in
//! 22-bit fixed point with rounding, as Pillow does. Results are checked
//! against Pillow in the tests: they agree within ±1 per sample (the
//! weights are computed in `f64` here and Pillow's are too, but a sum that
//! lands within rounding error of `k + 0.5` may round the other way).

use oxarray_core::{Array, DType, Error, Result};

/// Fixed-point precision of the resampling weights (bits).
const PRECISION_BITS: u32 = 32 - 8 - 2;

/// The weights of one output pixel: the first input index and one weight per
/// input from there on, in fixed point.
struct Taps {
    start: usize,
    weights: Vec<i32>,
}

/// Per-output-pixel taps of a bilinear (triangle) filter resampling `input`
/// samples to `output` samples, widened by the scale factor when shrinking.
fn taps(input: usize, output: usize) -> Vec<Taps> {
    let scale = input as f64 / output as f64;
    let filter_scale = scale.max(1.0);
    let support = filter_scale; // the triangle's support is 1 input pixel at scale 1
    let inv = 1.0 / filter_scale;
    (0..output)
        .map(|i| {
            let center = (i as f64 + 0.5) * scale;
            // Truncation toward zero, then clamped to the input.
            let lo = ((center - support + 0.5) as i64).max(0) as usize;
            let hi = ((center + support + 0.5) as i64).clamp(0, input as i64) as usize;
            let hi = hi.max(lo);
            let raw: Vec<f64> = (lo..hi)
                .map(|x| {
                    let d = ((x as f64 - center + 0.5) * inv).abs();
                    if d < 1.0 { 1.0 - d } else { 0.0 }
                })
                .collect();
            let total: f64 = raw.iter().sum();
            let one = f64::from(1u32 << PRECISION_BITS);
            let weights = raw
                .iter()
                .map(|&w| {
                    let w = if total != 0.0 { w / total } else { 0.0 };
                    (w * one + if w < 0.0 { -0.5 } else { 0.5 }) as i32
                })
                .collect();
            Taps { start: lo, weights }
        })
        .collect()
}

#[inline]
fn clip8(acc: i64) -> u8 {
    (acc >> PRECISION_BITS).clamp(0, 255) as u8
}

/// Resamples each row of `src` (`h × w × c`) to `new_w` columns.
fn horizontal(src: &[u8], h: usize, w: usize, c: usize, new_w: usize) -> Vec<u8> {
    let taps = taps(w, new_w);
    let mut out = vec![0u8; h * new_w * c];
    let half = 1i64 << (PRECISION_BITS - 1);
    for (row, orow) in src.chunks_exact(w * c).zip(out.chunks_exact_mut(new_w * c)) {
        for (t, opix) in taps.iter().zip(orow.chunks_exact_mut(c)) {
            for (ch, o) in opix.iter_mut().enumerate() {
                let mut acc = half;
                for (k, &wt) in t.weights.iter().enumerate() {
                    acc += i64::from(row[(t.start + k) * c + ch]) * i64::from(wt);
                }
                *o = clip8(acc);
            }
        }
    }
    out
}

/// Resamples the columns of `src` (`h × w × c`) to `new_h` rows.
fn vertical(src: &[u8], h: usize, w: usize, c: usize, new_h: usize) -> Vec<u8> {
    let taps = taps(h, new_h);
    let line = w * c;
    let mut out = vec![0u8; new_h * line];
    let half = 1i64 << (PRECISION_BITS - 1);
    let mut acc = vec![0i64; line];
    for (t, orow) in taps.iter().zip(out.chunks_exact_mut(line)) {
        acc.fill(half);
        for (k, &wt) in t.weights.iter().enumerate() {
            let row = &src[(t.start + k) * line..][..line];
            for (a, &v) in acc.iter_mut().zip(row) {
                *a += i64::from(v) * i64::from(wt);
            }
        }
        for (o, &a) in orow.iter_mut().zip(&acc) {
            *o = clip8(a);
        }
    }
    out
}

/// Resizes interleaved `uint8` pixels (`h × w × c`) to `new_h × new_w`.
pub(crate) fn resize_u8(src: &[u8], (h, w, c): (usize, usize, usize), (new_h, new_w): (usize, usize)) -> Vec<u8> {
    match (new_w != w, new_h != h) {
        (false, false) => src.to_vec(),
        (true, false) => horizontal(src, h, w, c, new_w),
        (false, true) => vertical(src, h, w, c, new_h),
        (true, true) => vertical(&horizontal(src, h, w, c, new_w), h, new_w, c, new_h),
    }
}

/// Python's `round` (half to even) of a non-negative half-integer or integer.
fn round_half_even(x: f64) -> usize {
    x.round_ties_even().max(0.0) as usize
}

/// Crops the centre `new_h × new_w` of `src` (`h × w × c`), padding with
/// zeros where the image is smaller, as torchvision's `CenterCrop` does
/// (the offset of the crop is `round((h - new_h) / 2)`, half to even).
pub(crate) fn center_crop_u8(src: &[u8], (h, w, c): (usize, usize, usize), (new_h, new_w): (usize, usize)) -> Vec<u8> {
    // Padding first (left/top get the smaller half), then the crop.
    let (pad_top, pad_left) = (new_h.saturating_sub(h) / 2, new_w.saturating_sub(w) / 2);
    let (ph, pw) = (h.max(new_h), w.max(new_w));
    let top = round_half_even((ph - new_h) as f64 / 2.0);
    let left = round_half_even((pw - new_w) as f64 / 2.0);
    let mut out = vec![0u8; new_h * new_w * c];
    for y in 0..new_h {
        // Row `y` of the output is row `y + top - pad_top` of the source.
        let Some(sy) = (y + top).checked_sub(pad_top).filter(|&sy| sy < h) else { continue };
        for x in 0..new_w {
            let Some(sx) = (x + left).checked_sub(pad_left).filter(|&sx| sx < w) else { continue };
            let (o, s) = ((y * new_w + x) * c, (sy * w + sx) * c);
            out[o..o + c].copy_from_slice(&src[s..s + c]);
        }
    }
    out
}

/// Pillow's luma of an RGB triple (ITU-R 601-2 weights in 16-bit fixed
/// point, rounded): `L = R·299/1000 + G·587/1000 + B·114/1000`.
#[inline]
fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 19595 + u32::from(g) * 38470 + u32::from(b) * 7471 + 0x8000) >> 16) as u8
}

/// Converts interleaved pixels from `from` channels to `to` channels, as
/// Pillow's `convert` does: gray is replicated into RGB, alpha dropped or
/// set opaque (255), RGB becomes gray by [`luma`].
pub(crate) fn convert_u8(src: &[u8], from: usize, to: usize) -> Vec<u8> {
    if from == to {
        return src.to_vec();
    }
    let n = src.len() / from;
    let mut out = Vec::with_capacity(n * to);
    for p in src.chunks_exact(from) {
        let (rgb, alpha) = match from {
            1 => ([p[0]; 3], 255),
            2 => ([p[0]; 3], p[1]),
            3 => ([p[0], p[1], p[2]], 255),
            _ => ([p[0], p[1], p[2]], p[3]),
        };
        let gray = if from <= 2 { p[0] } else { luma(rgb[0], rgb[1], rgb[2]) };
        match to {
            1 => out.push(gray),
            2 => out.extend_from_slice(&[gray, alpha]),
            3 => out.extend_from_slice(&rgb),
            _ => out.extend_from_slice(&[rgb[0], rgb[1], rgb[2], alpha]),
        }
    }
    out
}

/// 16-bit samples to 8 bits, rounding to the nearest of the 256 levels
/// (`v · 255 / 65535`).
pub(crate) fn to_u8(v: u16) -> u8 {
    ((u32::from(v) * 255 + 32767) / 65535) as u8
}

/// An image array's `(height, width, channels)` and its `uint8` samples in
/// C order (16-bit images rescaled with [`to_u8`]).
pub(crate) fn u8_pixels(image: &Array, op: &'static str) -> Result<((usize, usize, usize), Vec<u8>)> {
    let dims = match *image.shape() {
        [h, w] => (h, w, 1),
        [h, w, c] if (1..=4).contains(&c) => (h, w, c),
        _ => {
            return Err(Error::invalid(
                op,
                format!("an image is H×W or H×W×C with C in 1..=4, got shape {:?}", image.shape()),
            ));
        }
    };
    let data = match image.dtype() {
        DType::UInt8 => image.to_vec::<u8>()?,
        DType::UInt16 => image.to_vec::<u16>()?.into_iter().map(to_u8).collect(),
        dtype => return Err(oxarray_core::ErrorKind::UnsupportedDType { op, dtype }.into()),
    };
    Ok((dims, data))
}

/// Resizes an image (`uint8` or `uint16`, `H×W` or `H×W×C`) to `height ×
/// width` with antialiased bilinear interpolation (see the [module
/// docs](self)); the result is a `uint8` `height × width × C` array.
pub fn resize_bilinear(image: &Array, (height, width): (usize, usize)) -> Result<Array> {
    let ((h, w, c), data) = u8_pixels(image, "resize_bilinear")?;
    if height == 0 || width == 0 || h == 0 || w == 0 {
        return Err(Error::invalid(
            "resize_bilinear",
            format!("cannot resize a {h}×{w} image to {height}×{width}: sizes must be positive"),
        ));
    }
    Array::from_vec(resize_u8(&data, (h, w, c), (height, width)), &[height, width, c])
}

/// Crops the centre `height × width` of an image, padding with zeros where
/// it is smaller (torchvision's `CenterCrop`); the result is `uint8`.
pub fn center_crop(image: &Array, (height, width): (usize, usize)) -> Result<Array> {
    let ((h, w, c), data) = u8_pixels(image, "center_crop")?;
    Array::from_vec(center_crop_u8(&data, (h, w, c), (height, width)), &[height, width, c])
}

/// Converts an image to `channels` channels (1 gray, 2 gray+alpha, 3 RGB,
/// 4 RGBA) as Pillow's `convert` does; the result is `uint8`.
pub fn convert_channels(image: &Array, channels: usize) -> Result<Array> {
    let ((h, w, c), data) = u8_pixels(image, "convert_channels")?;
    if !(1..=4).contains(&channels) {
        return Err(Error::invalid("convert_channels", format!("{channels} channels: expected 1, 2, 3 or 4")));
    }
    Array::from_vec(convert_u8(&data, c, channels), &[h, w, channels])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_one_and_identity_is_exact() {
        for (i, o) in [(10, 3), (3, 10), (7, 7), (1, 5), (5, 1), (1000, 17)] {
            for t in taps(i, o) {
                let s: i64 = t.weights.iter().map(|&w| i64::from(w)).sum();
                assert!((s - (1 << PRECISION_BITS)).abs() <= t.weights.len() as i64, "{i}->{o}");
                assert!(t.start + t.weights.len() <= i);
            }
        }
        let src: Vec<u8> = (0..5 * 7 * 3).map(|v| (v * 37 % 256) as u8).collect();
        assert_eq!(horizontal(&src, 5, 7, 3, 7), src);
        assert_eq!(vertical(&src, 5, 7, 3, 5), src);
    }

    #[test]
    fn constant_images_stay_constant() {
        let src = vec![200u8; 13 * 9 * 2];
        for size in [(1, 1), (4, 20), (26, 18), (13, 9)] {
            assert!(resize_u8(&src, (13, 9, 2), size).iter().all(|&v| v == 200), "{size:?}");
        }
    }

    #[test]
    fn crops_and_pads_like_torchvision() {
        // 1×4 gray [1 2 3 4] cropped to width 2 → offset round(1.0) = 1.
        assert_eq!(center_crop_u8(&[1, 2, 3, 4], (1, 4, 1), (1, 2)), vec![2, 3]);
        // Width 5 → 3: offset round(1.0) = 1; 6 → 3: round(1.5) = 2 (half to even).
        assert_eq!(center_crop_u8(&[1, 2, 3, 4, 5, 6], (1, 6, 1), (1, 3)), vec![3, 4, 5]);
        // Padding: 1×2 into 1×5 → left pad 1, right pad 2.
        assert_eq!(center_crop_u8(&[7, 8], (1, 2, 1), (1, 5)), vec![0, 7, 8, 0, 0]);
    }

    #[test]
    fn channel_conversions() {
        assert_eq!(convert_u8(&[10, 20], 1, 3), vec![10, 10, 10, 20, 20, 20]);
        assert_eq!(convert_u8(&[10, 99], 2, 4), vec![10, 10, 10, 99]);
        assert_eq!(convert_u8(&[255, 255, 255, 0], 4, 1), vec![255]);
        assert_eq!(convert_u8(&[255, 0, 0], 3, 1), vec![76]); // Pillow: 299/1000·255 = 76.2
        assert_eq!((to_u8(0), to_u8(65535), to_u8(257), to_u8(128)), (0, 255, 1, 0));
    }
}
