//! A folder of images, one sub-folder per class, becomes one batch.
//!
//! The layout and the order are torchvision's `ImageFolder`:
//!
//! ```text
//! root/cat/001.png      → label 0 ("cat")
//! root/cat/more/002.jpg → label 0 (files in nested folders belong to the class)
//! root/dog/003.jpeg     → label 1 ("dog")
//! ```
//!
//! Classes are the sub-folders of `root`, sorted by name (byte order of the
//! UTF-8 names, which is Python's `sorted` order); label `i` is the `i`-th
//! class. Within a class, folders are visited in sorted order of their
//! paths and files in sorted order of their names. Files whose extension is
//! not `.png`, `.jpg` or `.jpeg` (any case) are skipped, and so are files in
//! `root` itself. A class folder with no image, or a root with no class,
//! is an error.

use std::path::{Path, PathBuf};

use oxarray_core::{Array, DType, Error, ErrorKind, Result};
use rayon::prelude::*;

use super::resize::{center_crop_u8, convert_u8, resize_u8, to_u8};
use super::{ImageOptions, read_image_with};

/// How images are brought to the batch's `size`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResizeMode {
    /// Stretch to exactly `size` with antialiased bilinear interpolation
    /// (the aspect ratio may change): torchvision's `Resize((h, w))`.
    #[default]
    Resize,
    /// Cut the centre `size` out without resizing, padding with zeros
    /// where the image is smaller: torchvision's `CenterCrop((h, w))`.
    CenterCrop,
    /// Scale (bilinear, aspect ratio kept) to the smallest size that covers
    /// `size`, then cut out the centre: `Resize` of the shorter side
    /// followed by `CenterCrop`, the usual evaluation transform.
    ResizeCrop,
}

/// The channels of the batch; every image is converted to them as Pillow's
/// `convert` does (gray replicated into RGB, RGB to gray by ITU-R 601-2
/// luma, alpha dropped or set to 255).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Channels {
    /// One channel.
    Gray,
    /// Three channels (torchvision's default loader converts to RGB too).
    #[default]
    Rgb,
    /// Four channels.
    Rgba,
}

impl Channels {
    /// The number of channels.
    pub fn count(self) -> usize {
        match self {
            Channels::Gray => 1,
            Channels::Rgb => 3,
            Channels::Rgba => 4,
        }
    }
}

/// Options of [`read_image_folder`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageFolderOptions {
    /// The `(height, width)` of every image in the batch. `None`: every
    /// image must already have the same size (else an error names the first
    /// that differs).
    pub size: Option<(usize, usize)>,
    /// How images are brought to `size`.
    pub mode: ResizeMode,
    /// The batch's channels.
    pub channels: Channels,
    /// Decode and resize on all cores (rayon). The result is the same
    /// either way.
    pub parallel: bool,
    /// Limits applied to every image.
    pub limits: ImageOptions,
}

impl Default for ImageFolderOptions {
    fn default() -> Self {
        ImageFolderOptions {
            size: None,
            mode: ResizeMode::Resize,
            channels: Channels::Rgb,
            parallel: true,
            limits: ImageOptions::default(),
        }
    }
}

/// A folder of images read as one batch.
#[derive(Clone, Debug)]
pub struct ImageFolder {
    /// `N × H × W × C`, `uint8`.
    pub images: Array,
    /// `N` labels, `int64`: the index of each image's class in `classes`.
    pub labels: Array,
    /// The class names (sub-folder names), sorted.
    pub classes: Vec<String>,
    /// The image files, in batch order.
    pub files: Vec<PathBuf>,
}

fn is_image(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["png", "jpg", "jpeg"].iter().any(|x| e.eq_ignore_ascii_case(x)))
}

fn list_dir(dir: &Path) -> Result<Vec<(PathBuf, bool)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        // Follows symbolic links, as `os.walk(followlinks=True)` does.
        let is_dir = std::fs::metadata(&path).map(|m| m.is_dir()).unwrap_or(false);
        out.push((path, is_dir));
    }
    Ok(out)
}

/// Every image below `dir`, in `sorted(os.walk(dir))` order: folders sorted
/// by path, files by name within each. Symbolic-link loops are cut by depth.
fn walk(dir: &Path, depth: usize, out: &mut Vec<(String, Vec<PathBuf>)>) -> Result<()> {
    if depth > 64 {
        return Err(Error::invalid("read_image_folder", format!("{}: folders nested too deeply", dir.display())));
    }
    let mut files = Vec::new();
    for (path, is_dir) in list_dir(dir)? {
        if is_dir {
            walk(&path, depth + 1, out)?;
        } else if is_image(&path) {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    out.push((dir.to_string_lossy().into_owned(), files));
    Ok(())
}

/// Image files with their labels, in batch order.
type Labelled = Vec<(PathBuf, i64)>;

/// The classes and the `(file, label)` pairs of a folder, in batch order.
fn index(root: &Path) -> Result<(Vec<String>, Labelled)> {
    let mut classes: Vec<(String, PathBuf)> = list_dir(root)?
        .into_iter()
        .filter(|(_, d)| *d)
        .map(|(p, _)| (p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), p))
        .collect();
    classes.sort();
    if classes.is_empty() {
        return Err(Error::invalid(
            "read_image_folder",
            format!("{}: no class folders (expected one sub-folder of images per class)", root.display()),
        ));
    }
    let mut files = Vec::new();
    for (label, (name, dir)) in classes.iter().enumerate() {
        let mut dirs = Vec::new();
        walk(dir, 0, &mut dirs)?;
        dirs.sort_by(|a, b| a.0.cmp(&b.0));
        let before = files.len();
        files.extend(dirs.into_iter().flat_map(|(_, f)| f).map(|f| (f, label as i64)));
        if files.len() == before {
            return Err(Error::invalid(
                "read_image_folder",
                format!("{}: class folder {name:?} holds no .png, .jpg or .jpeg file", dir.display()),
            ));
        }
    }
    Ok((classes.into_iter().map(|(n, _)| n).collect(), files))
}

/// One image's `uint8` pixels brought to the batch's size and channels.
fn load_one(path: &Path, opts: &ImageFolderOptions, first_size: (usize, usize), dst: &mut [u8]) -> Result<()> {
    let image = read_image_with(path, &opts.limits)?;
    let [h, w, c] = *image.shape() else { unreachable!("images are 3-D") };
    let data = match image.dtype() {
        DType::UInt16 => image.to_vec::<u16>()?.into_iter().map(to_u8).collect(),
        _ => image.to_vec::<u8>()?,
    };
    let data = convert_u8(&data, c, opts.channels.count());
    let c = opts.channels.count();
    let data = match opts.size {
        None if (h, w) != first_size => {
            return Err(Error::invalid(
                "read_image_folder",
                format!(
                    "{}: the image is {h}×{w} but the first image is {}×{}; give a size to resize or crop to",
                    path.display(),
                    first_size.0,
                    first_size.1
                ),
            ));
        }
        None => data,
        Some(size) => match opts.mode {
            ResizeMode::Resize => resize_u8(&data, (h, w, c), size),
            ResizeMode::CenterCrop => center_crop_u8(&data, (h, w, c), size),
            ResizeMode::ResizeCrop => {
                let s = (size.0 as f64 / h as f64).max(size.1 as f64 / w as f64);
                let nh = ((h as f64 * s).round() as usize).max(size.0);
                let nw = ((w as f64 * s).round() as usize).max(size.1);
                center_crop_u8(&resize_u8(&data, (h, w, c), (nh, nw)), (nh, nw, c), size)
            }
        },
    };
    dst.copy_from_slice(&data);
    Ok(())
}

/// Reads every image below `root` into one `N × H × W × C` `uint8` batch
/// with `int64` labels from the class folders (see the [module
/// docs](self) for the layout and order). Every image is converted to
/// `options.channels` and brought to `options.size`; without a size, all
/// images must share the first one's size. 16-bit images are scaled to 8
/// bits (`v · 255 / 65535`, rounded). An unreadable image is an error naming
/// the file, and nothing is returned: there are no partial batches.
pub fn read_image_folder(root: impl AsRef<Path>, options: &ImageFolderOptions) -> Result<ImageFolder> {
    let root = root.as_ref();
    let (classes, files) = index(root)?;
    let c = options.channels.count();
    if let Some((h, w)) = options.size
        && (h == 0 || w == 0)
    {
        return Err(Error::invalid("read_image_folder", format!("size {h}×{w}: both must be positive")));
    }
    // The batch's size: the option, or the first image's (from its header).
    let first_size = match options.size {
        Some(s) => s,
        None => {
            let info = super::image_info(&files[0].0)?;
            (info.height as usize, info.width as usize)
        }
    };
    let (h, w) = first_size;
    let per = h
        .checked_mul(w)
        .and_then(|p| p.checked_mul(c))
        .ok_or_else(|| Error::from(ErrorKind::SizeOverflow { shape: vec![files.len(), h, w, c] }))?;
    let mut images = Array::zeros(&[files.len(), h, w, c], DType::UInt8)?;
    let batch = images.as_slice_mut::<u8>()?;
    let results: Vec<Result<()>> = if options.parallel && files.len() > 1 {
        batch
            .par_chunks_mut(per.max(1))
            .zip(files.par_iter())
            .map(|(dst, (path, _))| load_one(path, options, first_size, dst))
            .collect()
    } else {
        batch
            .chunks_mut(per.max(1))
            .zip(files.iter())
            .map(|(dst, (path, _))| load_one(path, options, first_size, dst))
            .collect()
    };
    // The first failure in batch order, whatever order the threads ran in.
    results.into_iter().collect::<Result<Vec<()>>>()?;
    let labels = Array::from_vec(files.iter().map(|(_, l)| *l).collect::<Vec<i64>>(), &[files.len()])?;
    Ok(ImageFolder { images, labels, classes, files: files.into_iter().map(|(p, _)| p).collect() })
}
