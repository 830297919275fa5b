//! `ox prep [INPUT]`: a CSV table becomes model-ready arrays.
//!
//! 1. **Read** the CSV (or the embedded Palmer Penguins table), the target
//!    column as categories. Rows whose target is missing are dropped.
//! 2. **Split** the rows into train and test, seeded and stratified by the
//!    target (`oxarray::prep::TrainTestSplit`).
//! 3. **Fit** the preparation on the training rows only — numeric columns
//!    imputed then scaled, categorical columns imputed (most frequent, or the
//!    constant `missing`) then one-hot or ordinal encoded
//!    (`oxarray::prep::ColumnTransformer`) — and apply it to both splits.
//! 4. **Train** (embedded data, or `--train`): a logistic regression from
//!    linfa on zero-copy `ndarray` views of `X`, and its test accuracy.
//! 5. **Write** `train.npz`, `test.npz`, `train.safetensors`,
//!    `test.safetensors` (arrays `X` and `y`) and `preparation.json` (the
//!    fitted preparation, loadable with `ColumnTransformer::load` to prepare
//!    new data the same way) into `--out`, all or nothing: the files are
//!    written in a temporary folder beside them and moved into place only
//!    when every one is complete.
//! 6. **Report**: rows, columns, missing values, categories, statistics
//!    before and after scaling, the split and the files; `--json` prints it
//!    as JSON on standard output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use oxarray::Array;
use oxarray::io::csv::{self, Column, CsvChunks, CsvOptions, Table};
use oxarray::io::{npz, safetensors};
use serde::Serialize;

use crate::error::{CliError, CliResult};
use crate::inspect::{ColumnInfo, render_columns, table_columns};
use crate::model::{self, ModelReport};
use crate::progress::Progress;
use crate::stats::{Stats, summarize};
use crate::text::{self, STATS_HEADER};
use crate::{FloatType, pipeline, print, print_json};

/// The Palmer Penguins table (CC0), built into the binary: 344 penguins of
/// three species, with missing values and categorical columns.
pub const PENGUINS_CSV: &[u8] = include_bytes!("../data/penguins.csv");

/// The embedded table's target column.
pub const PENGUINS_TARGET: &str = "species";

/// What `ox prep` reads, how it prepares it and where it writes.
#[derive(Debug, Args)]
pub struct PrepArgs {
    /// The CSV file to prepare (default: the built-in Palmer Penguins table,
    /// target `species`).
    pub input: Option<PathBuf>,
    /// The column to predict; it becomes integer class labels `y` (0, 1, …
    /// in sorted order of its values). Without it, every column is a feature
    /// and no `y` is written.
    #[arg(long, value_name = "COL")]
    pub target: Option<String>,
    /// How missing numeric values are filled (categorical ones: the most
    /// frequent category, or the category `missing` with `constant`).
    #[arg(long, value_enum, default_value_t = Impute::Mean)]
    pub impute: Impute,
    /// The value `--impute constant` fills numeric columns with.
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    pub fill_value: f64,
    /// How numeric columns are scaled (fitted on the training rows).
    #[arg(long, value_enum, default_value_t = Scale::Standard)]
    pub scale: Scale,
    /// How categorical columns become numbers.
    #[arg(long, value_enum, default_value_t = Encode::Onehot)]
    pub encode: Encode,
    /// The fraction of rows held out for testing, in (0, 1).
    #[arg(long, value_name = "F", default_value_t = 0.2, value_parser = parse_fraction)]
    pub test_size: f64,
    /// Seed of the shuffled split.
    #[arg(long, value_name = "N", default_value_t = 42)]
    pub seed: u64,
    /// Element type of `X` (`uint8` only for a folder of images: the pixels
    /// as they are; float types hold images scaled into [0, 1]).
    #[arg(long, value_enum, default_value_t = XType::Float32)]
    pub dtype: XType,
    /// Images only: the height×width every image is brought to (e.g.
    /// `64x64`); without it all images must have the same size.
    #[arg(long, value_name = "HxW", value_parser = parse_size)]
    pub size: Option<(usize, usize)>,
    /// Images only: how an image is brought to --size.
    #[arg(long, value_enum, default_value_t = Fit::Resize)]
    pub fit: Fit,
    /// Images only: the channels of `X` (images are converted).
    #[arg(long, value_enum, default_value_t = ImageChannels::Rgb)]
    pub channels: ImageChannels,
    /// Also write PNG plots into DIR: histograms of every numeric feature
    /// before and after scaling, and a map of the missing values.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// The folder to write into (created if needed).
    #[arg(long, value_name = "DIR", default_value = "prepared")]
    pub out: PathBuf,
    /// Train a logistic regression on the result and report its accuracy
    /// (always done for the built-in table unless --no-train).
    #[arg(long, conflicts_with = "no_train")]
    pub train: bool,
    /// Do not train a model.
    #[arg(long)]
    pub no_train: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the report as JSON on standard output.
    #[arg(long)]
    pub json: bool,
}

/// `--dtype`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum XType {
    /// 32-bit floats.
    Float32,
    /// 64-bit floats.
    Float64,
    /// Bytes: images only, the pixels unscaled.
    Uint8,
}

impl XType {
    /// The oxarray dtype.
    pub fn dtype(self) -> oxarray::DType {
        match self {
            XType::Float32 => oxarray::DType::Float32,
            XType::Float64 => oxarray::DType::Float64,
            XType::Uint8 => oxarray::DType::UInt8,
        }
    }

    /// The float type of a table's `X`; `uint8` is for images only.
    fn float(self) -> CliResult<FloatType> {
        match self {
            XType::Float32 => Ok(FloatType::Float32),
            XType::Float64 => Ok(FloatType::Float64),
            XType::Uint8 => {
                Err(CliError::new("--dtype uint8 is for a folder of images; a table's X is float32 or float64"))
            }
        }
    }
}

/// `--fit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fit {
    /// Stretch to the size (antialiased bilinear).
    Resize,
    /// Cut the centre out (padding with zeros where smaller).
    Crop,
    /// Scale to cover the size, keeping the aspect ratio, then cut the centre.
    ResizeCrop,
}

/// `--channels`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageChannels {
    /// One channel.
    Gray,
    /// Red, green, blue.
    Rgb,
    /// Red, green, blue, alpha.
    Rgba,
}

fn parse_size(s: &str) -> Result<(usize, usize), String> {
    let bad = || format!("{s:?} is not a size like 64x64 (height x width, both positive)");
    let (h, w) = s.split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let (h, w): (usize, usize) = (h.trim().parse().map_err(|_| bad())?, w.trim().parse().map_err(|_| bad())?);
    if h == 0 || w == 0 { Err(bad()) } else { Ok((h, w)) }
}

/// `--impute`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Impute {
    /// The column's mean.
    Mean,
    /// The column's median.
    Median,
    /// The column's most frequent value.
    MostFrequent,
    /// A fixed value (`--fill-value`).
    Constant,
}

/// `--scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Zero mean, unit variance.
    Standard,
    /// Into [0, 1].
    Minmax,
    /// Median removed, scaled by the interquartile range.
    Robust,
    /// Unscaled.
    None,
}

/// `--encode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encode {
    /// One 0/1 column per category.
    Onehot,
    /// One column of category numbers.
    Ordinal,
}

/// An option value as it is written on the command line.
fn value_name(v: impl ValueEnum) -> String {
    v.to_possible_value().map_or_else(String::new, |p| p.get_name().to_string())
}

fn parse_fraction(s: &str) -> Result<f64, String> {
    let f: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if f > 0.0 && f < 1.0 { Ok(f) } else { Err(format!("{s} is not between 0 and 1 (exclusive)")) }
}

/// The report of `ox prep`, printed as text or JSON.
#[derive(Debug, Serialize)]
pub struct PrepReport {
    /// The input file, or `embedded:penguins.csv`.
    pub input: String,
    /// Data rows read.
    pub rows: usize,
    /// Columns read (target included).
    pub columns: usize,
    /// Every input column: kind, missing values, statistics or categories.
    pub input_columns: Vec<ColumnInfo>,
    /// The target, when there is one.
    pub target: Option<TargetReport>,
    /// How the features were prepared.
    pub preparation: PreparationReport,
    /// The split.
    pub split: SplitReport,
    /// Statistics of each output feature on the training rows.
    pub features_after: Vec<FeatureStats>,
    /// The files written.
    pub files: Files,
    /// The model trained on the result, if one was.
    pub model: Option<ModelReport>,
    /// The PNG plots written with `--report`.
    pub plots: Option<Vec<String>>,
}

/// The target column.
#[derive(Debug, Serialize)]
pub struct TargetReport {
    /// Its name.
    pub name: String,
    /// The classes, in label order (label `i` is `classes[i]`).
    pub classes: Vec<String>,
    /// Rows dropped because their target was missing.
    pub dropped_rows: usize,
}

/// The preparation's settings and result.
#[derive(Debug, Serialize)]
pub struct PreparationReport {
    /// Numeric imputation.
    pub impute: Impute,
    /// The numeric fill value of `constant` imputation.
    pub fill_value: Option<f64>,
    /// Categorical imputation: `most_frequent` or `constant "missing"`.
    pub impute_categorical: String,
    /// Scaling.
    pub scale: Scale,
    /// Encoding.
    pub encode: Encode,
    /// Numeric feature columns.
    pub numeric_columns: Vec<String>,
    /// Categorical feature columns.
    pub categorical_columns: Vec<String>,
    /// The output features, in column order of `X`.
    pub features: Vec<String>,
    /// The dtype of `X`.
    pub dtype: String,
}

/// The split.
#[derive(Debug, Serialize)]
pub struct SplitReport {
    /// Training rows.
    pub train_rows: usize,
    /// Test rows.
    pub test_rows: usize,
    /// The requested test fraction.
    pub test_size: f64,
    /// The seed.
    pub seed: u64,
    /// Whether the split kept class proportions.
    pub stratified: bool,
    /// Rows per class in each split (with a target).
    pub classes: Vec<ClassCount>,
}

/// Rows of one class in each split.
#[derive(Debug, Serialize)]
pub struct ClassCount {
    /// The class.
    pub class: String,
    /// Its label in `y`.
    pub label: i64,
    /// Training rows of the class.
    pub train: usize,
    /// Test rows of the class.
    pub test: usize,
}

/// One output feature's statistics.
#[derive(Debug, Serialize)]
pub struct FeatureStats {
    /// The feature's name.
    pub name: String,
    /// Its statistics on the training rows.
    pub statistics: Stats,
}

/// The files written.
#[derive(Debug, Serialize)]
pub struct Files {
    /// The output folder.
    pub out: String,
    /// `train.npz`.
    pub train_npz: String,
    /// `test.npz`.
    pub test_npz: String,
    /// `train.safetensors`.
    pub train_safetensors: String,
    /// `test.safetensors`.
    pub test_safetensors: String,
    /// `preparation.json`.
    pub preparation: String,
}

/// The inputs of the preparation step, for [`pipeline::prepare`].
pub struct Features<'a> {
    /// The table with the target column removed.
    pub table: &'a Table,
    /// The rows to use: those whose target is present.
    pub rows: Vec<usize>,
    /// Numeric feature columns.
    pub numeric: Vec<String>,
    /// Categorical feature columns.
    pub categorical: Vec<String>,
}

/// What [`pipeline::prepare`] gives back.
pub struct Prepared {
    /// Training features.
    pub x_train: Array,
    /// Test features.
    pub x_test: Array,
    /// Training labels (int64), with a target.
    pub y_train: Option<Array>,
    /// Test labels (int64), with a target.
    pub y_test: Option<Array>,
    /// Row indices of each split in the input table.
    pub train_rows: Vec<usize>,
    /// See `train_rows`.
    pub test_rows: Vec<usize>,
    /// Output feature names.
    pub features: Vec<String>,
    /// The fitted preparation as JSON.
    pub preparation_json: String,
}

/// Runs `ox prep`.
pub fn run(args: &PrepArgs) -> CliResult<()> {
    if let Some(dir) = args.input.as_deref().filter(|p| p.is_dir()) {
        return crate::prep_images::run(dir, args);
    }
    let progress = Progress::new(args.quiet);
    let embedded = args.input.is_none();
    let target = args.target.clone().or_else(|| embedded.then(|| PENGUINS_TARGET.to_string()));
    if args.train && target.is_none() {
        return Err(CliError::new("--train needs a --target column to predict"));
    }
    if args.train {
        model::available()?; // before any work, so nothing is written
    }
    let input_name = args.input.as_ref().map_or_else(|| "embedded:penguins.csv".into(), |p| p.display().to_string());

    // 1. Read, with the target as categories.
    let float = args.dtype.float()?;
    let table = progress.step("reading", || read_table(args.input.as_deref(), target.as_deref(), float))?;
    let input_columns = table_columns(&table)?;
    let (rows, columns) = (table.n_rows(), table.n_cols());
    if rows == 0 {
        return Err(CliError::new(format!("{input_name}: no data rows below the header")));
    }
    let Split { features: features_table, rows: rows_kept, labels, classes } = split_target(&table, target.as_deref())?;
    let dropped = rows - rows_kept.len();
    if features_table.n_cols() == 0 {
        return Err(CliError::new(format!("{input_name}: no feature columns besides the target")));
    }
    let (mut numeric, mut categorical) = (Vec::new(), Vec::new());
    for (name, c) in features_table.names().iter().zip(features_table.columns()) {
        match c {
            Column::Numeric(_) => numeric.push(name.clone()),
            Column::Categorical(_) => categorical.push(name.clone()),
        }
    }

    // 2–3. Split, fit on the training rows, transform both.
    let features = Features { table: &features_table, rows: rows_kept, numeric, categorical };
    let prepared = progress.step("preparing", || pipeline::prepare(&features, labels.as_deref(), args))?;

    // 4. Train (before writing, so a failure leaves no file behind).
    let train = !args.no_train && (args.train || (embedded && cfg!(feature = "model")));
    let model = match (&prepared.y_train, &prepared.y_test) {
        (Some(ytr), Some(yte)) if train => {
            Some(progress.step("training", || model::train_and_score(&prepared.x_train, ytr, &prepared.x_test, yte))?)
        }
        _ => None,
    };

    // 5. Write everything, or nothing.
    let files = progress.step("writing", || write_outputs(args, &prepared, target.as_deref(), &classes))?;

    // 6. Report (and the plots).
    let plots = match &args.report {
        Some(dir) => Some(progress.step("drawing the report", || {
            crate::report::write_table_report(dir, &table, &features_table, &features.numeric, &prepared)
        })?),
        None => None,
    };
    let per_feature = summarize(&prepared.x_train, true)?;
    let features_after = prepared
        .features
        .iter()
        .zip(per_feature)
        .map(|(name, statistics)| FeatureStats { name: name.clone(), statistics })
        .collect();
    let class_counts = match (&prepared.y_train, &prepared.y_test) {
        (Some(ytr), Some(yte)) => class_counts(&classes, ytr, yte)?,
        _ => Vec::new(),
    };
    let report = PrepReport {
        input: input_name,
        rows,
        columns,
        input_columns,
        target: target.map(|name| TargetReport { name, classes: classes.clone(), dropped_rows: dropped }),
        preparation: PreparationReport {
            impute: args.impute,
            fill_value: (args.impute == Impute::Constant).then_some(args.fill_value),
            impute_categorical: match args.impute {
                Impute::Constant => format!("constant {:?}", pipeline::MISSING_CATEGORY),
                _ => "most_frequent".into(),
            },
            scale: args.scale,
            encode: args.encode,
            numeric_columns: features.numeric.clone(),
            categorical_columns: features.categorical.clone(),
            features: prepared.features.clone(),
            dtype: prepared.x_train.dtype().to_string(),
        },
        split: SplitReport {
            train_rows: prepared.train_rows.len(),
            test_rows: prepared.test_rows.len(),
            test_size: args.test_size,
            seed: args.seed,
            stratified: prepared.y_train.is_some(),
            classes: class_counts,
        },
        features_after,
        files,
        model,
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

/// The column names of a CSV input, from its first record.
fn header(input: Option<&Path>) -> CliResult<Vec<String>> {
    let opts = CsvOptions::default();
    let names = match input {
        Some(p) => {
            let mut c = CsvChunks::open(p, &opts, 1)?;
            c.next().transpose()?;
            c.names()
        }
        None => {
            let mut c = CsvChunks::new(PENGUINS_CSV, &opts, 1)?;
            c.next().transpose()?;
            c.names()
        }
    };
    Ok(names.unwrap_or_default())
}

/// Reads the input with `target` (checked to exist) as a categorical column.
fn read_table(input: Option<&Path>, target: Option<&str>, dtype: FloatType) -> CliResult<Table> {
    let mut opts = CsvOptions::default().float_dtype(dtype.dtype());
    if let Some(t) = target {
        let names = header(input)?;
        if !names.iter().any(|n| n == t) {
            let file = input.map_or_else(|| "the built-in table".into(), |p| p.display().to_string());
            return Err(CliError::new(format!(
                "--target {t:?}: {file} has no such column (its columns: {})",
                names.join(", ")
            )));
        }
        opts = opts.categorical([t]);
    }
    Ok(match input {
        Some(p) => csv::read_csv(p, &opts)?,
        None => csv::read_csv_bytes(PENGUINS_CSV, &opts)?,
    })
}

/// A table split into features and target.
struct Split {
    /// The table without the target column.
    features: Table,
    /// The rows whose target is present (the others are dropped).
    rows: Vec<usize>,
    /// Their labels: int64 codes of the sorted classes.
    labels: Option<Vec<i64>>,
    /// The classes, label `i` being `classes[i]`.
    classes: Vec<String>,
}

/// Removes the target from the table (see [`Split`]).
fn split_target(table: &Table, target: Option<&str>) -> CliResult<Split> {
    let Some(target) = target else {
        let rows = (0..table.n_rows()).collect();
        return Ok(Split { features: table.clone(), rows, labels: None, classes: Vec::new() });
    };
    let (names, columns) = table.clone().into_parts();
    let at = names.iter().position(|n| n == target).expect("checked by read_table");
    let Some(Column::Categorical(t)) = columns.get(at) else {
        return Err(CliError::new(format!("--target {target:?} was not read as categories")));
    };
    let t = t.sorted()?;
    let codes = t.codes.to_vec::<i32>()?;
    let keep: Vec<usize> = (0..codes.len()).filter(|&i| codes[i] >= 0).collect();
    if keep.is_empty() {
        return Err(CliError::new(format!("--target {target:?}: every value of the column is missing")));
    }
    let labels: Vec<i64> = keep.iter().map(|&i| i64::from(codes[i])).collect();
    let (fnames, fcols) = names.into_iter().zip(columns).filter(|(n, _)| n != target).unzip();
    Ok(Split { features: Table::new(fnames, fcols)?, rows: keep, labels: Some(labels), classes: t.categories.clone() })
}

/// Rows per class in each split.
fn class_counts(classes: &[String], y_train: &Array, y_test: &Array) -> CliResult<Vec<ClassCount>> {
    let count = |y: &Array| -> CliResult<Vec<usize>> {
        let mut n = vec![0; classes.len()];
        for v in y.to_vec::<i64>()? {
            if let Some(slot) = usize::try_from(v).ok().and_then(|v| n.get_mut(v)) {
                *slot += 1;
            }
        }
        Ok(n)
    };
    let (tr, te) = (count(y_train)?, count(y_test)?);
    Ok(classes
        .iter()
        .enumerate()
        .map(|(i, c)| ClassCount { class: c.clone(), label: i as i64, train: tr[i], test: te[i] })
        .collect())
}

/// Removes a staging folder when dropped, whatever happened.
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the five outputs into `--out`, all or nothing: into a hidden
/// staging folder inside it first, then moved into place by [`publish`];
/// the staging folder is removed in every case, and so is `--out` if this
/// run created it and failed.
pub fn write_outputs(args: &PrepArgs, p: &Prepared, target: Option<&str>, classes: &[String]) -> CliResult<Files> {
    let out = &args.out;
    let created = !out.exists();
    std::fs::create_dir_all(out)
        .map_err(|e| CliError::new(format!("{}: cannot create the folder: {e}", out.display())))?;
    let staging = Staging(out.join(format!(".ox-prep-{}.tmp", std::process::id())));
    let result = (|| {
        std::fs::create_dir(&staging.0)
            .map_err(|e| CliError::new(format!("{}: cannot create a folder: {e}", staging.0.display())))?;
        let mut metadata = BTreeMap::from([
            ("features".to_string(), serde_json::to_string(&p.features).expect("strings serialize")),
            ("generator".to_string(), "ox prep".to_string()),
        ]);
        if let Some(t) = target {
            metadata.insert("target".into(), t.to_string());
            metadata.insert("classes".into(), serde_json::to_string(classes).expect("strings serialize"));
        }
        for (split, x, y) in [("train", &p.x_train, &p.y_train), ("test", &p.x_test, &p.y_test)] {
            let mut arrays: Vec<(&str, &Array)> = vec![("X", x)];
            if let Some(y) = y {
                arrays.push(("y", y));
            }
            npz::savez(staging.0.join(format!("{split}.npz")), &arrays)?;
            safetensors::save_safetensors(staging.0.join(format!("{split}.safetensors")), &arrays, &metadata)?;
        }
        let prep_path = staging.0.join("preparation.json");
        std::fs::write(&prep_path, &p.preparation_json)
            .map_err(|e| CliError::new(format!("{}: {e}", prep_path.display())))?;
        publish(&staging.0, out)
    })();
    drop(staging);
    if let Err(e) = result {
        if created {
            let _ = std::fs::remove_dir(out);
        }
        return Err(e);
    }
    let file = |n: &str| out.join(n).display().to_string();
    Ok(Files {
        out: out.display().to_string(),
        train_npz: file("train.npz"),
        test_npz: file("test.npz"),
        train_safetensors: file("train.safetensors"),
        test_safetensors: file("test.safetensors"),
        preparation: file("preparation.json"),
    })
}

/// Moves the staged files into `out` (renames within one file system, each
/// atomic). A file being replaced is first moved aside into the staging
/// folder; if any move fails, the moves done are undone and the old files
/// put back, so `out` holds what it held before.
fn publish(staging: &Path, out: &Path) -> CliResult<()> {
    let (mut set_aside, mut placed) = (Vec::new(), Vec::new());
    let result = publish_moves(staging, out, &mut set_aside, &mut placed);
    if result.is_err() {
        for name in placed {
            let _ = std::fs::remove_file(out.join(name));
        }
        for name in set_aside {
            let _ = std::fs::rename(staging.join(format!("{name}.old")), out.join(name));
        }
    }
    result
}

fn publish_moves(
    staging: &Path,
    out: &Path,
    set_aside: &mut Vec<&'static str>,
    placed: &mut Vec<&'static str>,
) -> CliResult<()> {
    let moved = |from: &Path, to: &Path| {
        std::fs::rename(from, to).map_err(|e| CliError::new(format!("{}: cannot move into place: {e}", to.display())))
    };
    for name in FILE_NAMES {
        let dest = out.join(name);
        if dest.symlink_metadata().is_ok() {
            moved(&dest, &staging.join(format!("{name}.old")))?;
            set_aside.push(name);
        }
        moved(&staging.join(name), &dest)?;
        placed.push(name);
    }
    Ok(())
}

/// The files `ox prep` writes.
pub const FILE_NAMES: [&str; 5] =
    ["train.npz", "test.npz", "train.safetensors", "test.safetensors", "preparation.json"];

/// Features shown one per line in the text report; more are summarised.
const SHOWN_FEATURES: usize = 24;

impl PrepReport {
    /// The human-readable report.
    pub fn render(&self) -> String {
        let mut o = String::new();
        let mut line = |s: String| {
            o.push_str(&s);
            o.push('\n');
        };
        let p = &self.preparation;
        line(format!("ox prep {}: {} rows × {} columns", self.input, self.rows, self.columns));
        line(String::new());
        let cols = render_columns(&self.input_columns, 2);
        o_push(&mut line, &cols);
        line(String::new());
        if let Some(t) = &self.target {
            let dropped = if t.dropped_rows > 0 {
                format!("; {} rows without a target dropped", t.dropped_rows)
            } else {
                String::new()
            };
            let labels: Vec<String> = t.classes.iter().enumerate().map(|(i, c)| format!("{i}={c}")).collect();
            line(format!("target {:?} → y (int64 labels {}){dropped}", t.name, labels.join(", ")));
        }
        let fill = p.fill_value.map_or(String::new(), |v| format!(" {}", text::num(v)));
        line(format!(
            "prepare: impute {}{fill} (categorical: {}), scale {}, encode {} → X {} with {} features",
            value_name(p.impute),
            p.impute_categorical,
            value_name(p.scale),
            value_name(p.encode),
            p.dtype,
            p.features.len()
        ));
        let s = &self.split;
        let how = if s.stratified { "stratified, " } else { "" };
        line(format!(
            "split: {} train / {} test rows ({how}test size {}, seed {})",
            s.train_rows,
            s.test_rows,
            text::num(s.test_size),
            s.seed
        ));
        if !s.classes.is_empty() {
            let per: Vec<String> = s.classes.iter().map(|c| format!("{} {}/{}", c.class, c.train, c.test)).collect();
            line(format!("  per class (train/test): {}", per.join(", ")));
        }
        line(String::new());
        // Scaled numeric features side by side with their input statistics
        // above; encoded features (0/1 or category numbers) on one line.
        let (scaled, encoded): (Vec<&FeatureStats>, Vec<&FeatureStats>) =
            self.features_after.iter().partition(|f| p.numeric_columns.contains(&f.name));
        if !scaled.is_empty() {
            line(format!("numeric features after imputing and scaling ({} training rows):", s.train_rows));
            let mut t = text::Table::new(std::iter::once("feature").chain(STATS_HEADER));
            for f in scaled.iter().take(SHOWN_FEATURES) {
                t.stats_row(&f.name, &f.statistics);
            }
            o_push(&mut line, &t.render(2));
            if scaled.len() > SHOWN_FEATURES {
                line(format!("  … and {} more (see --json)", scaled.len() - SHOWN_FEATURES));
            }
        }
        if !encoded.is_empty() {
            let names: Vec<&str> = encoded.iter().take(SHOWN_FEATURES).map(|f| f.name.as_str()).collect();
            let more = encoded.len().saturating_sub(SHOWN_FEATURES);
            let more = if more > 0 { format!(", … (+{more} more)") } else { String::new() };
            line(format!("encoded features ({}): {}{more}", value_name(p.encode), names.join(", ")));
        }
        line(String::new());
        let f = &self.files;
        line(format!(
            "wrote {}/: train.npz, test.npz, train.safetensors, test.safetensors (X, y), preparation.json",
            f.out
        ));
        if let Some(p) = &self.plots {
            line(format!("report: {}", p.join(", ")));
        }
        if let Some(m) = &self.model {
            line(format!(
                "model: {} on {} ndarray views of X: test accuracy {:.1}% ({}/{}), train {:.1}%",
                m.model,
                if m.zero_copy { "zero-copy" } else { "copied" },
                100.0 * m.test_accuracy,
                m.test_correct,
                m.test_rows,
                100.0 * m.train_accuracy,
            ));
        }
        o
    }
}

/// Feeds already-terminated lines to `line` (which adds its own newline).
fn o_push(line: &mut impl FnMut(String), block: &str) {
    for l in block.lines() {
        line(l.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_publish_restores_the_old_files() {
        let dir = tempfile::tempdir().unwrap();
        let (out, staging) = (dir.path().join("out"), dir.path().join("out/.staging"));
        std::fs::create_dir_all(&staging).unwrap();
        for name in FILE_NAMES {
            std::fs::write(out.join(name), "old").unwrap();
        }
        // Three of the five new files: the fourth move fails.
        for name in &FILE_NAMES[..3] {
            std::fs::write(staging.join(name), "new").unwrap();
        }
        let e = publish(&staging, &out).unwrap_err().to_string();
        assert!(e.contains("test.safetensors"), "{e}");
        for name in FILE_NAMES {
            assert_eq!(std::fs::read_to_string(out.join(name)).unwrap(), "old", "{name}");
        }
        // With all five, everything is replaced.
        for name in FILE_NAMES {
            std::fs::write(staging.join(name), "new").unwrap();
        }
        publish(&staging, &out).unwrap();
        for name in FILE_NAMES {
            assert_eq!(std::fs::read_to_string(out.join(name)).unwrap(), "new", "{name}");
        }
    }

    #[test]
    fn the_embedded_table_is_the_committed_file() {
        assert_eq!(PENGUINS_CSV.len(), std::fs::read("data/penguins.csv").unwrap().len());
        let table = csv::read_csv_bytes(PENGUINS_CSV, &CsvOptions::default()).unwrap();
        assert_eq!((table.n_rows(), table.n_cols()), (344, 8));
        assert!(table.names().iter().any(|n| n == PENGUINS_TARGET));
    }
}
