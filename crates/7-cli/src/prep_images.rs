//! `ox prep DIR`: a folder of images, one sub-folder per class, becomes
//! model-ready arrays.
//!
//! 1. **Read** every image (`oxarray::io::image::read_image_folder`, on all
//!    cores), converted to `--channels` and brought to `--size` by `--fit`;
//!    `y` is the class folder's index in sorted order of the names.
//! 2. **Split** train/test, seeded and stratified by class.
//! 3. **Scale**: `X` is `N × H × W × C`, `uint8` as read with `--dtype
//!    uint8`, else float32/float64 divided by 255 into [0, 1] (nothing is
//!    fitted, so nothing can leak from the test images).
//! 4. **Write** the same five files as for a table, all or nothing;
//!    `preparation.json` records the image settings and the classes.

use std::path::Path;

use oxarray::io::image::{Channels, ImageFolderOptions, ResizeMode, read_image_folder};
use oxarray::prep::{Size, TrainTestSplit, take_rows};
use oxarray::{Array, DType};
use serde::Serialize;

use crate::error::{CliError, CliResult};
use crate::prep::{ClassCount, Files, Fit, ImageChannels, PrepArgs, Prepared, XType, write_outputs};
use crate::progress::Progress;
use crate::stats::{Stats, summarize};
use crate::text::{self, STATS_HEADER};
use crate::{print, print_json};

/// The report of `ox prep DIR`.
#[derive(Debug, Serialize)]
pub struct ImagePrepReport {
    /// The folder.
    pub input: String,
    /// Images read.
    pub images: usize,
    /// The classes (sub-folders), label `i` being `classes[i]`.
    pub classes: Vec<String>,
    /// `[height, width, channels]` of each image in `X`.
    pub image_shape: Vec<usize>,
    /// How images were brought to the size (`None`: all had it).
    pub fit: Option<Fit>,
    /// The channels.
    pub channels: ImageChannels,
    /// The dtype of `X`.
    pub dtype: String,
    /// Whether pixels were divided by 255.
    pub scaled_to_unit: bool,
    /// Training images.
    pub train_images: usize,
    /// Test images.
    pub test_images: usize,
    /// The split's seed.
    pub seed: u64,
    /// Images per class in each split.
    pub per_class: Vec<ClassCount>,
    /// Per-channel statistics of the training `X`.
    pub channel_statistics: Vec<(String, Stats)>,
    /// The files written.
    pub files: Files,
    /// The PNG plots written with `--report`.
    pub plots: Option<Vec<String>>,
}

/// The channel names of `X`.
fn channel_names(c: ImageChannels) -> Vec<&'static str> {
    match c {
        ImageChannels::Gray => vec!["gray"],
        ImageChannels::Rgb => vec!["red", "green", "blue"],
        ImageChannels::Rgba => vec!["red", "green", "blue", "alpha"],
    }
}

/// `uint8` pixels as `dtype`, divided by 255 for float types.
fn scale(x: &Array, dtype: XType) -> CliResult<Array> {
    let shape = x.shape().to_vec();
    let px = x.to_vec::<u8>()?;
    Ok(match dtype {
        XType::Uint8 => x.clone(),
        XType::Float32 => Array::from_vec(px.into_iter().map(|v| f32::from(v) / 255.0).collect::<Vec<_>>(), &shape)?,
        XType::Float64 => Array::from_vec(px.into_iter().map(|v| f64::from(v) / 255.0).collect::<Vec<_>>(), &shape)?,
    })
}

/// Runs `ox prep` on a folder of images.
pub fn run(dir: &Path, args: &PrepArgs) -> CliResult<()> {
    if args.target.is_some() {
        return Err(CliError::new("--target is for tables; a folder of images takes its labels from sub-folders"));
    }
    if args.train {
        return Err(CliError::new("--train is for tables; train on the images' arrays with a vision library"));
    }
    let progress = Progress::new(args.quiet);
    let options = ImageFolderOptions {
        size: args.size,
        mode: match args.fit {
            Fit::Resize => ResizeMode::Resize,
            Fit::Crop => ResizeMode::CenterCrop,
            Fit::ResizeCrop => ResizeMode::ResizeCrop,
        },
        channels: match args.channels {
            ImageChannels::Gray => Channels::Gray,
            ImageChannels::Rgb => Channels::Rgb,
            ImageChannels::Rgba => Channels::Rgba,
        },
        parallel: true,
        ..Default::default()
    };
    let folder = progress.step("reading images", || read_image_folder(dir, &options))?;
    let labels = folder.labels.to_vec::<i64>()?;
    let split = TrainTestSplit::new().test_size(Size::Fraction(args.test_size)).seed(args.seed);
    let split = split.split_stratified(&labels).map_err(|e| CliError::new(format!("{}: {e}", dir.display())))?;
    let (x_train_u8, x_test_u8) = (take_rows(&folder.images, &split.train)?, take_rows(&folder.images, &split.test)?);
    let (x_train, x_test) = progress.step("scaling", || -> CliResult<_> {
        Ok((scale(&x_train_u8, args.dtype)?, scale(&x_test_u8, args.dtype)?))
    })?;
    let y = &folder.labels;
    let names = channel_names(args.channels);
    let preparation = serde_json::json!({
        "format": "oxarray-image-prep",
        "version": 1,
        "size": &folder.images.shape()[1..3],
        "fit": args.size.map(|_| args.fit),
        "channels": args.channels,
        "dtype": args.dtype.dtype().to_string(),
        "scale": if args.dtype == XType::Uint8 { 1.0 } else { 1.0 / 255.0 },
        "classes": folder.classes,
    });
    let prepared = Prepared {
        x_train,
        x_test,
        y_train: Some(take_rows(y, &split.train)?),
        y_test: Some(take_rows(y, &split.test)?),
        train_rows: split.train.clone(),
        test_rows: split.test.clone(),
        features: names.iter().map(|s| s.to_string()).collect(),
        preparation_json: serde_json::to_string_pretty(&preparation).expect("JSON values serialize"),
    };
    let files = progress.step("writing", || write_outputs(args, &prepared, Some("class"), &folder.classes))?;
    let plots = match &args.report {
        Some(r) => Some(progress.step("drawing the report", || {
            crate::report::write_image_report(r, &names, &x_train_u8, &prepared.x_train)
        })?),
        None => None,
    };

    let c = names.len();
    let flat = prepared.x_train.reshape(&[prepared.x_train.size() / c.max(1), c])?;
    let stats = summarize(&flat, true)?;
    let count = |idx: &[usize], k: usize| idx.iter().filter(|&&i| labels[i] == k as i64).count();
    let report = ImagePrepReport {
        input: dir.display().to_string(),
        images: labels.len(),
        classes: folder.classes.clone(),
        image_shape: folder.images.shape()[1..].to_vec(),
        fit: args.size.map(|_| args.fit),
        channels: args.channels,
        dtype: prepared.x_train.dtype().to_string(),
        scaled_to_unit: prepared.x_train.dtype() != DType::UInt8,
        train_images: split.train.len(),
        test_images: split.test.len(),
        seed: args.seed,
        per_class: folder
            .classes
            .iter()
            .enumerate()
            .map(|(k, name)| ClassCount {
                class: name.clone(),
                label: k as i64,
                train: count(&split.train, k),
                test: count(&split.test, k),
            })
            .collect(),
        channel_statistics: names.iter().map(|n| n.to_string()).zip(stats).collect(),
        files,
        plots,
    };
    if args.json {
        print_json(&report)
    } else if args.quiet {
        Ok(())
    } else {
        print(&report.render())
    }
}

impl ImagePrepReport {
    /// The human-readable report.
    pub fn render(&self) -> String {
        let mut o = String::new();
        let [h, w, c] = self.image_shape[..] else { return o };
        o.push_str(&format!("ox prep {}: {} images in {} classes\n", self.input, self.images, self.classes.len()));
        let labels: Vec<String> = self.classes.iter().enumerate().map(|(i, c)| format!("{i}={c}")).collect();
        o.push_str(&format!("y: int64 labels from the sub-folders ({})\n", labels.join(", ")));
        let fit = self.fit.map_or_else(|| "all the same size".to_string(), |f| format!("{f:?}").to_lowercase());
        let scaled = if self.scaled_to_unit { ", pixels / 255" } else { "" };
        o.push_str(&format!("X: {} {}×{}×{}×{} ({fit}{scaled})\n", self.dtype, self.images, h, w, c));
        o.push_str(&format!(
            "split: {} train / {} test images (stratified, seed {})\n",
            self.train_images, self.test_images, self.seed
        ));
        let per: Vec<String> = self.per_class.iter().map(|c| format!("{} {}/{}", c.class, c.train, c.test)).collect();
        o.push_str(&format!("  per class (train/test): {}\n\n", per.join(", ")));
        o.push_str("channels of the training X:\n");
        let mut t = text::Table::new(std::iter::once("channel").chain(STATS_HEADER));
        for (name, s) in &self.channel_statistics {
            t.stats_row(name, s);
        }
        o.push_str(&t.render(2));
        o.push('\n');
        o.push_str(&format!(
            "wrote {}/: train.npz, test.npz, train.safetensors, test.safetensors (X, y), preparation.json\n",
            self.files.out
        ));
        if let Some(p) = &self.plots {
            o.push_str(&format!("report: {}\n", p.join(", ")));
        }
        o
    }
}
