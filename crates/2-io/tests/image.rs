//! Images against Pillow: the fixtures in `fixtures/images/` are written by
//! `fixtures/gen_images.py` (Pillow 13, NumPy 2.4), with the expected
//! arrays as `.npy` files beside them.

mod common;

use std::path::{Path, PathBuf};

use oxarray_core::{Array, DType, ErrorKind, Index, s};
use oxarray_io::image::{
    self, Channels, ImageFolderOptions, ImageFormat, ImageOptions, ResizeMode, read_image, read_image_bytes,
    read_image_bytes_with, read_image_folder, write_png,
};
use oxarray_io::npy;

fn images_dir() -> PathBuf {
    common::fixture("images")
}

fn fixtures_with(prefix: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(images_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_str().unwrap();
            n.starts_with(prefix) && n.ends_with(ext)
        })
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no fixtures {prefix}*{ext}");
    v
}

fn expected(path: &Path) -> Array {
    npy::load(path.with_extension("npy")).unwrap()
}

/// Samples of a uint8/uint16 array as u32, in C order.
fn samples(a: &Array) -> Vec<u32> {
    match a.dtype() {
        DType::UInt8 => a.to_vec::<u8>().unwrap().into_iter().map(u32::from).collect(),
        DType::UInt16 => a.to_vec::<u16>().unwrap().into_iter().map(u32::from).collect(),
        d => panic!("unexpected dtype {d}"),
    }
}

fn max_abs_diff(a: &Array, b: &Array) -> u32 {
    assert_eq!(a.shape(), b.shape());
    samples(a).iter().zip(samples(b)).map(|(&x, y)| x.abs_diff(y)).max().unwrap_or(0)
}

#[test]
fn png_decodes_exactly_every_depth_and_color_type() {
    let files = fixtures_with("png_", ".png");
    assert!(files.len() >= 48, "{}", files.len());
    for f in files.iter().chain(&fixtures_with("pil_", ".png")) {
        let want = expected(f);
        let got = read_image(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy();
        assert_eq!(got.dtype(), want.dtype(), "{name}");
        assert_eq!(got.shape(), want.shape(), "{name}");
        assert_eq!(samples(&got), samples(&want), "{name}");
        assert!(got.is_c_contiguous());
        // From bytes, the same; the header agrees with the result.
        let bytes = std::fs::read(f).unwrap();
        assert_eq!(samples(&read_image_bytes(&bytes).unwrap()), samples(&want), "{name}");
        let info = image::image_info(f).unwrap();
        assert_eq!(info.format, ImageFormat::Png);
        assert_eq!(info.shape().as_slice(), want.shape(), "{name}");
        assert_eq!(info.dtype, want.dtype(), "{name}");
        assert_eq!(info.interlaced, name.contains("_i."), "{name}");
        assert_eq!(info.transparency, name.contains("trns"), "{name}");
        if let Some(d) =
            name.strip_prefix("png_").map(|r| r.trim_start_matches(|c: char| c.is_alphabetic() || c == '+'))
        {
            let depth: String = d.chars().take_while(char::is_ascii_digit).collect();
            assert_eq!(info.bit_depth.to_string(), depth, "{name}");
        }
    }
}

#[test]
fn jpeg_decodes_within_three_of_libjpeg() {
    let mut report = Vec::new();
    for f in fixtures_with("jpeg_", ".jpg") {
        let want = expected(&f);
        let got = read_image(&f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!((got.dtype(), got.shape()), (DType::UInt8, want.shape()), "{name}");
        let d = max_abs_diff(&got, &want);
        report.push(format!("{name}: {d}"));
        // Measured: gray 1, CMYK 1, 4:4:4 and 4:2:0 2, 4:2:2 and
        // progressive 3 (the IDCT and chroma upsampling are not bit-exact
        // across decoders).
        assert!(d <= 3, "{name}: max |difference| {d} > 3");
        let info = image::image_info(&f).unwrap();
        assert_eq!(info.format, ImageFormat::Jpeg);
        assert_eq!(info.shape().as_slice(), want.shape());
        assert_eq!(info.interlaced, name.contains("progressive"), "{name}");
    }
    eprintln!("max |zune-jpeg - libjpeg| per file: {}", report.join(", "));
}

#[test]
fn resize_matches_pillow_bilinear_within_one() {
    for tag in ["rgb", "gray"] {
        let src = read_image(images_dir().join(format!("resize_src_{tag}.png"))).unwrap();
        let mut n = 0;
        for f in fixtures_with(&format!("resize_{tag}_"), ".npy") {
            let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
            let (h, w) = stem.rsplit('_').next().unwrap().split_once('x').unwrap();
            let (h, w): (usize, usize) = (h.parse().unwrap(), w.parse().unwrap());
            let want = npy::load(&f).unwrap();
            let got = image::resize_bilinear(&src, (h, w)).unwrap();
            let d = max_abs_diff(&got, &want);
            assert!(d <= 1, "{stem}: max |difference| {d}");
            n += 1;
        }
        assert!(n >= 7);
    }
    // Pillow's luma.
    let src = read_image(images_dir().join("resize_src_rgb.png")).unwrap();
    let want = npy::load(images_dir().join("luma.npy")).unwrap();
    assert_eq!(samples(&image::convert_channels(&src, 1).unwrap()), samples(&want));
}

#[test]
fn resize_and_crop_reject_bad_arguments() {
    let a = Array::zeros(&[4, 4, 3], DType::UInt8).unwrap();
    assert!(image::resize_bilinear(&a, (0, 3)).is_err());
    assert!(image::resize_bilinear(&Array::zeros(&[4, 4, 3], DType::Float32).unwrap(), (2, 2)).is_err());
    assert!(image::resize_bilinear(&Array::zeros(&[4, 4, 5], DType::UInt8).unwrap(), (2, 2)).is_err());
    assert!(image::convert_channels(&a, 5).is_err());
    assert_eq!(image::center_crop(&a, (6, 2)).unwrap().shape(), &[6, 2, 3]);
}

/// A deterministic uint8 or uint16 array of `shape`.
fn pattern(shape: &[usize], dtype: DType) -> Array {
    let n: usize = shape.iter().product();
    match dtype {
        DType::UInt8 => Array::from_vec((0..n).map(|i| (i * 37 % 251) as u8).collect::<Vec<_>>(), shape).unwrap(),
        _ => Array::from_vec((0..n).map(|i| (i * 7919 % 65521) as u16).collect::<Vec<_>>(), shape).unwrap(),
    }
}

#[test]
fn write_png_round_trips_every_shape_and_dtype() {
    let dir = tempfile::tempdir().unwrap();
    for dtype in [DType::UInt8, DType::UInt16] {
        for shape in
            [vec![5, 7], vec![1, 1], vec![5, 7, 1], vec![3, 9, 2], vec![6, 4, 3], vec![2, 3, 4], vec![1, 300, 3]]
        {
            let a = pattern(&shape, dtype);
            let p = dir.path().join("x.png");
            write_png(&p, &a).unwrap();
            let back = read_image(&p).unwrap();
            let want_shape = if shape.len() == 2 { vec![shape[0], shape[1], 1] } else { shape.clone() };
            assert_eq!((back.dtype(), back.shape()), (dtype, want_shape.as_slice()), "{shape:?}");
            assert_eq!(samples(&back), samples(&a), "{dtype} {shape:?}");
            assert_eq!(samples(&read_image_bytes(&image::encode_png(&a).unwrap()).unwrap()), samples(&a));
        }
        // Views: transposed and reversed layouts are written as they read.
        let a = pattern(&[4, 6, 3], dtype);
        for v in [
            a.permute_dims(&[1, 0, 2]).unwrap(),
            a.slice(&s![Index::step(-1), Index::slice(Some(1), None, 2), ..]).unwrap(),
        ] {
            let p = dir.path().join("v.png");
            write_png(&p, &v).unwrap();
            assert_eq!(samples(&read_image(&p).unwrap()), samples(&v));
        }
    }
    // Only the file itself is left (no temporary files).
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn write_png_refuses_what_png_cannot_hold_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.png");
    std::fs::write(&p, b"old").unwrap();
    let cases = [
        (Array::zeros(&[2, 2], DType::Float32).unwrap(), "float32"),
        (Array::zeros(&[2, 2], DType::Int16).unwrap(), "int16"),
        (Array::zeros(&[2, 2, 5], DType::UInt8).unwrap(), "5 channels"),
        (Array::zeros(&[4], DType::UInt8).unwrap(), "shape"),
        (Array::zeros(&[2, 2, 2, 2], DType::UInt8).unwrap(), "shape"),
        (Array::zeros(&[0, 3], DType::UInt8).unwrap(), "0×3"),
        (Array::zeros(&[3, 0, 3], DType::UInt16).unwrap(), "3×0"),
    ];
    for (a, what) in cases {
        let e = write_png(&p, &a).unwrap_err().to_string();
        assert!(e.contains(what), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A folder that does not exist: an I/O error naming the file.
    let e = write_png(dir.path().join("no/such/x.png"), &pattern(&[2, 2], DType::UInt8)).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io { .. }), "{e}");
}

/// Recomputes every chunk's CRC, so that mutated data reaches the decoder
/// instead of stopping at the checksum.
fn fix_png_crcs(b: &mut [u8]) {
    let mut at = 8;
    while at + 12 <= b.len() {
        let len = u32::from_be_bytes(b[at..at + 4].try_into().unwrap()) as usize;
        let Some(end) = (at + 8).checked_add(len).filter(|&e| e + 4 <= b.len()) else { return };
        let crc = crc32(&b[at + 4..end]);
        b[end..end + 4].copy_from_slice(&crc.to_be_bytes());
        at = end + 4;
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &byte in data {
        c ^= u32::from(byte);
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
    }
    !c
}

/// A PNG whose IHDR declares `w × h` (CRC fixed), the rest as in `base`.
fn with_png_size(base: &[u8], w: u32, h: u32) -> Vec<u8> {
    let mut b = base.to_vec();
    b[16..20].copy_from_slice(&w.to_be_bytes());
    b[20..24].copy_from_slice(&h.to_be_bytes());
    fix_png_crcs(&mut b);
    b
}

/// A JPEG whose frame header (SOF0/SOF2) declares `w × h`.
fn with_jpeg_size(base: &[u8], w: u16, h: u16) -> Vec<u8> {
    let mut b = base.to_vec();
    let at = (0..b.len() - 1).find(|&i| b[i] == 0xFF && (b[i + 1] == 0xC0 || b[i + 1] == 0xC2)).unwrap();
    b[at + 5..at + 7].copy_from_slice(&h.to_be_bytes());
    b[at + 7..at + 9].copy_from_slice(&w.to_be_bytes());
    b
}

#[test]
fn bad_images_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let png = std::fs::read(images_dir().join("png_rgb8.png")).unwrap();
    let jpg = std::fs::read(images_dir().join("jpeg_rgb420.jpg")).unwrap();
    let check = |bytes: &[u8], needle: &str| {
        let p = dir.path().join("bad.img");
        std::fs::write(&p, bytes).unwrap();
        let e = read_image(&p).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e.kind(), ErrorKind::Parse { .. }), "{msg}");
        assert!(msg.contains("bad.img"), "{msg}");
        assert!(msg.to_lowercase().contains(needle), "{needle:?} not in {msg}");
        assert!(!msg.contains('\n'), "{msg}");
    };
    let header_error = |bytes: &[u8]| assert!(image::image_info_bytes(bytes).is_err());
    header_error(b"");
    header_error(&png[..20]);
    header_error(&with_png_size(&png, 0, 7));
    header_error(&jpg[..4]);
    check(b"", "empty");
    check(b"GIF89a garbage", "not a png or jpeg");
    check(&png[..8], "truncated");
    check(&png[..png.len() - 20], "png");
    // A flipped bit in the image data: the chunk's CRC no longer matches.
    let mut crc = png.clone();
    let idat = png.windows(4).position(|w| w == b"IDAT").unwrap();
    crc[idat + 6] ^= 0x10;
    check(&crc, "crc");
    // Zero and huge sizes in the header.
    check(&with_png_size(&png, 0, 7), "png");
    check(&with_png_size(&png, 100_000, 100_000), "pixels");
    check(&with_png_size(&png, 10_000, 10_000), "hold"); // under the limit, but not in 500 bytes
    check(&with_jpeg_size(&jpg, 65_000, 65_000), "pixels");
    check(&with_jpeg_size(&jpg, 5_000, 5_000), "hold");
    check(&jpg[..jpg.len() / 2], "jpeg");
    check(&jpg[..4], "jpeg");
    // Missing file: an I/O error naming it.
    let e = read_image(dir.path().join("missing.png")).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io { .. }) && e.to_string().contains("missing.png"), "{e}");
    // The pixel limit is the caller's to lower.
    let small = ImageOptions { max_pixels: 50 };
    let e = read_image_bytes_with(&png, &small).unwrap_err().to_string();
    assert!(e.contains("13×7") && e.contains("limit of 50"), "{e}");
    assert!(read_image_bytes_with(&png, &ImageOptions { max_pixels: 91 }).is_ok());
}

#[test]
fn every_prefix_of_a_file_is_an_error_or_the_image() {
    for name in ["png_rgba16_i.png", "png_palette2_trns.png", "jpeg_progressive.jpg", "jpeg_gray.jpg"] {
        let bytes = std::fs::read(images_dir().join(name)).unwrap();
        for n in 0..bytes.len() {
            // JPEG decoders stop at the last complete scan when the end
            // marker is missing (strict mode is on, so most prefixes fail).
            if let Ok(a) = read_image_bytes(&bytes[..n]) {
                assert_eq!(a.ndim(), 3);
            }
        }
    }
}

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(b.len().max(1));
        match rng.below(6) {
            0 if !b.is_empty() => b[at] ^= 1 << rng.below(8),
            1 if !b.is_empty() => b[at] = [0, 1, 0x7f, 0x80, 0xff][rng.below(5)],
            2 => {
                for (i, byte) in (rng.next() as u32).to_be_bytes().iter().enumerate() {
                    if let Some(slot) = b.get_mut(at + i) {
                        *slot = *byte;
                    }
                }
            }
            3 => b.truncate(rng.below(b.len() + 1)),
            4 => {
                let end = (at + 1 + rng.below(16)).min(b.len());
                b.drain(at.min(end)..end);
            }
            _ => {
                let bytes: Vec<u8> = (0..1 + rng.below(8)).map(|_| rng.next() as u8).collect();
                b.splice(at.min(b.len())..at.min(b.len()), bytes);
            }
        }
    }
    b
}

#[test]
fn mutated_images_never_panic() {
    let mut rng = Rng(7);
    let names = ["png_rgb8.png", "png_palette4_trns_i.png", "png_gray16_trns.png", "pil_p.png"];
    let jpegs = ["jpeg_rgb420.jpg", "jpeg_progressive.jpg", "jpeg_gray.jpg", "jpeg_cmyk.jpg", "jpeg_restart.jpg"];
    let (mut ok, mut total) = (0, 0);
    for name in names.iter().chain(&jpegs) {
        let base = std::fs::read(images_dir().join(name)).unwrap();
        for _ in 0..400 {
            let mut b = mutate(&base, &mut rng);
            if name.ends_with(".png") {
                fix_png_crcs(&mut b);
            }
            total += 1;
            let small = ImageOptions { max_pixels: 1 << 20 };
            if let Ok(a) = read_image_bytes_with(&b, &small) {
                ok += 1;
                assert_eq!(a.ndim(), 3);
                assert_eq!(a.nbytes(), a.to_bytes().len());
            }
            let _ = image::image_info_bytes(&b);
        }
    }
    eprintln!("{ok} of {total} mutations decoded");
}

// ------------------------------------------------------------ folders ----

fn tree(files: &[(&str, Array)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, a) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        write_png(&p, a).unwrap();
    }
    dir
}

fn solid(h: usize, w: usize, c: usize, v: u8) -> Array {
    Array::from_vec(vec![v; h * w * c], &[h, w, c]).unwrap()
}

#[test]
fn a_folder_becomes_a_batch_in_imagefolder_order() {
    let dir = tree(&[
        ("dog/b.png", solid(4, 5, 3, 30)),
        ("dog/a.png", solid(4, 5, 3, 20)),
        ("cat/z.png", solid(4, 5, 1, 10)),       // gray: replicated into RGB
        ("cat/sub/a.png", solid(4, 5, 4, 11)),   // nested, RGBA: alpha dropped
        ("cat/sub-x/a.png", solid(4, 5, 2, 12)), // folders sort by path: "cat/sub" < "cat/sub-x"
        ("Zebra/q.png", solid(4, 5, 3, 40)),     // upper case sorts first
    ]);
    std::fs::write(dir.path().join("dog/notes.txt"), "not an image").unwrap();
    std::fs::write(dir.path().join("top.png"), "files in the root are ignored").unwrap();
    for parallel in [false, true] {
        let opts = ImageFolderOptions { parallel, ..Default::default() };
        let b = read_image_folder(dir.path(), &opts).unwrap();
        assert_eq!(b.classes, ["Zebra", "cat", "dog"]);
        assert_eq!(b.images.shape(), &[6, 4, 5, 3]);
        assert_eq!(b.labels.to_vec::<i64>().unwrap(), vec![0, 1, 1, 1, 2, 2]);
        let rel: Vec<String> =
            b.files.iter().map(|f| f.strip_prefix(dir.path()).unwrap().to_string_lossy().replace('\\', "/")).collect();
        assert_eq!(rel, ["Zebra/q.png", "cat/z.png", "cat/sub/a.png", "cat/sub-x/a.png", "dog/a.png", "dog/b.png"]);
        let firsts: Vec<u8> =
            (0..6).map(|i| b.images.slice(&s![i, 0, 0, 0]).unwrap().to_vec::<u8>().unwrap()[0]).collect();
        assert_eq!(firsts, [40, 10, 11, 12, 20, 30]);
    }
}

#[test]
fn folder_resizing_cropping_and_channels() {
    let grad = Array::from_vec((0..6 * 8 * 3).map(|i| (i % 256) as u8).collect::<Vec<_>>(), &[6, 8, 3]).unwrap();
    let dir = tree(&[("a/1.png", grad.clone()), ("b/2.png", solid(3, 3, 3, 90))]);
    // Without a size, different sizes are an error naming the file.
    let e = read_image_folder(dir.path(), &ImageFolderOptions::default()).unwrap_err().to_string();
    assert!(e.contains("2.png") && e.contains("3×3") && e.contains("6×8"), "{e}");
    for mode in [ResizeMode::Resize, ResizeMode::CenterCrop, ResizeMode::ResizeCrop] {
        let opts = ImageFolderOptions { size: Some((4, 4)), mode, ..Default::default() };
        let b = read_image_folder(dir.path(), &opts).unwrap();
        assert_eq!(b.images.shape(), &[2, 4, 4, 3]);
        let first = b.images.slice(&s![0]).unwrap();
        let want = match mode {
            ResizeMode::Resize => image::resize_bilinear(&grad, (4, 4)).unwrap(),
            ResizeMode::CenterCrop => grad.slice(&s![1..5, 2..6, ..]).unwrap(),
            ResizeMode::ResizeCrop => {
                let r = image::resize_bilinear(&grad, (4, 5)).unwrap(); // 6×8 scaled to cover 4×4
                image::center_crop(&r, (4, 4)).unwrap()
            }
        };
        assert_eq!(samples(&first), samples(&want), "{mode:?}");
        // The 3×3 image: resized up, or padded with zeros by the crop.
        let second = samples(&b.images.slice(&s![1]).unwrap());
        match mode {
            ResizeMode::CenterCrop => assert_eq!(second.iter().filter(|&&v| v == 0).count(), 7 * 3),
            _ => assert!(second.iter().all(|&v| v == 90)),
        }
    }
    let gray = ImageFolderOptions { size: Some((2, 2)), channels: Channels::Gray, ..Default::default() };
    assert_eq!(read_image_folder(dir.path(), &gray).unwrap().images.shape(), &[2, 2, 2, 1]);
    let rgba = ImageFolderOptions { size: Some((2, 2)), channels: Channels::Rgba, ..Default::default() };
    let b = read_image_folder(dir.path(), &rgba).unwrap();
    assert_eq!(samples(&b.images.slice(&s![.., .., .., 3]).unwrap()), vec![255; 8]);
    let zero = ImageFolderOptions { size: Some((0, 2)), ..Default::default() };
    assert!(read_image_folder(dir.path(), &zero).is_err());
}

#[test]
fn folder_errors_are_whole_and_name_the_file() {
    let dir = tree(&[("a/1.png", solid(2, 2, 3, 1)), ("b/2.png", solid(2, 2, 3, 2)), ("b/3.png", solid(2, 2, 3, 3))]);
    std::fs::write(dir.path().join("b/2.png"), b"\x89PNG\r\n\x1a\n broken").unwrap();
    for parallel in [false, true] {
        let e = read_image_folder(dir.path(), &ImageFolderOptions { parallel, ..Default::default() }).unwrap_err();
        assert!(e.to_string().contains("2.png"), "{e}");
    }
    std::fs::create_dir(dir.path().join("c")).unwrap();
    std::fs::write(dir.path().join("c/readme.md"), "no images").unwrap();
    let e = read_image_folder(dir.path(), &ImageFolderOptions::default()).unwrap_err().to_string();
    assert!(e.contains("\"c\"") && e.contains("no .png"), "{e}");
    let empty = tempfile::tempdir().unwrap();
    let e = read_image_folder(empty.path(), &ImageFolderOptions::default()).unwrap_err().to_string();
    assert!(e.contains("no class folders"), "{e}");
    assert!(read_image_folder(empty.path().join("nope"), &ImageFolderOptions::default()).is_err());
}

#[test]
fn sixteen_bit_images_are_scaled_into_the_uint8_batch() {
    let a = Array::from_vec(vec![0u16, 257, 32896, 65535], &[2, 2, 1]).unwrap();
    let dir = tree(&[("x/a.png", a)]);
    let b =
        read_image_folder(dir.path(), &ImageFolderOptions { channels: Channels::Gray, ..Default::default() }).unwrap();
    assert_eq!(b.images.to_vec::<u8>().unwrap(), vec![0, 1, 128, 255]);
}

#[test]
fn a_plte_chunk_of_partial_triples_is_an_error_not_a_decoder_panic() {
    // Found by the `image` fuzz target (CRCs fixed here, as fuzz builds of
    // the png crate skip them): a 49-byte PLTE chunk made the png
    // crate index past the palette (a panic, caught only by the guard).
    let path = images_dir().join("regress/plte_length_49.png");
    let err = read_image(&path).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err.kind(), ErrorKind::Parse { .. }), "{msg}");
    assert!(msg.contains("PLTE chunk is 49 bytes"), "{msg}");
    assert!(msg.contains("plte_length_49.png"), "{msg}");
    let bytes = std::fs::read(&path).unwrap();
    assert!(read_image_bytes(&bytes).unwrap_err().to_string().contains("PLTE"));
}
