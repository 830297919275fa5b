//! `ox inspect FILE`: what a file holds — header, shapes, dtypes, layout —
//! and summary statistics, reading no more than that needs.
//!
//! - `.npy`: the header is parsed on its own; the data is memory-mapped
//!   (little-endian files) and summarised in blocks of rows.
//! - `.npz`: the directory is read; stored members are memory-mapped,
//!   compressed ones decompressed one at a time.
//! - `.safetensors`: the file is memory-mapped once and every tensor is a
//!   view into it.
//! - PNG, JPEG: the header (size, bit depth, colour type) is read first;
//!   the pixels are then decoded once for per-channel statistics.
//! - CSV: one streaming pass in tables of [`CSV_CHUNK_ROWS`] rows, so memory
//!   stays bounded whatever the file's size (`--max-rows` stops early).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use oxarray::Array;
use oxarray::io::csv::{Column, CsvChunks, CsvOptions};
use oxarray::io::{NpzReader, SafeTensors, npy};
use serde::Serialize;

use crate::error::{CliError, CliResult};
use crate::format::Format;
use crate::stats::{Stats, Summary, summarize};
use crate::text::{self, STATS_HEADER, Table};

/// Rows per table while a CSV file is streamed.
pub const CSV_CHUNK_ROWS: usize = 1 << 16;

/// Arrays with at most this many columns get statistics per column.
const MAX_STAT_COLUMNS: usize = 32;

/// Categories listed per categorical column in the text report.
const SHOWN_CATEGORIES: usize = 8;

/// What `ox inspect` found.
#[derive(Debug, Serialize)]
pub struct Inspection {
    /// The file.
    pub path: String,
    /// Its format.
    pub format: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// The arrays (npy, npz, safetensors).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub arrays: Vec<ArrayInfo>,
    /// The safetensors `__metadata__`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    /// The table (CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<TableInfo>,
    /// The image header (PNG, JPEG); the pixels are `arrays[0]`, with
    /// statistics per channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageHeader>,
}

/// What an image file's header says.
#[derive(Debug, Serialize)]
pub struct ImageHeader {
    /// `png` or `jpeg`, from the file's signature.
    pub format: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Bits per stored sample.
    pub bit_depth: u8,
    /// The stored colour type (`gray`, `rgb`, `palette`, `ycbcr`, …).
    pub color_type: &'static str,
    /// Whether a PNG has a `tRNS` chunk.
    pub transparency: bool,
    /// Adam7-interlaced PNG or progressive JPEG.
    pub interlaced: bool,
}

/// One array of a file.
#[derive(Debug, Serialize)]
pub struct ArrayInfo {
    /// Its name in an archive (`None` for a `.npy` file).
    pub name: Option<String>,
    /// Element type.
    pub dtype: String,
    /// Shape.
    pub shape: Vec<usize>,
    /// `"C"` (row-major) or `"F"` (column-major) storage order.
    pub order: &'static str,
    /// `"little"`, `"big"` or `"not applicable"` (one-byte elements).
    pub byte_order: &'static str,
    /// Format version (`.npy`, also inside `.npz`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Where the data starts in the file (`.npy`) or archive member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_offset: Option<u64>,
    /// Whether an `.npz` member is deflate-compressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compressed: Option<bool>,
    /// Whether the statistics were computed over a memory map (no copy of
    /// the file in memory).
    pub memory_mapped: bool,
    /// `"columns"` (a 2-D array with few columns) or `"all"` (every
    /// element together).
    pub statistics_scope: &'static str,
    /// The statistics, one per column or one for all.
    pub statistics: Vec<Stats>,
    /// Why statistics are missing (complex data), if they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statistics_note: Option<String>,
}

/// A CSV file's table.
#[derive(Debug, Serialize)]
pub struct TableInfo {
    /// Data rows read.
    pub rows: u64,
    /// Whether `--max-rows` stopped the pass before the end of the file.
    pub truncated: bool,
    /// The columns, in file order.
    pub columns: Vec<ColumnInfo>,
}

/// One CSV column.
#[derive(Debug, Serialize)]
pub struct ColumnInfo {
    /// Header name.
    pub name: String,
    /// `"numeric"` or `"categorical"`.
    pub kind: &'static str,
    /// Count, missing and (numeric) mean, std, min, max.
    pub statistics: Stats,
    /// Categorical columns: each category and its count, most frequent
    /// first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<(String, u64)>>,
}

/// Inspects `path`; `max_rows` bounds a CSV pass.
pub fn inspect(path: &Path, max_rows: Option<u64>) -> CliResult<Inspection> {
    let format = Format::of(path)?;
    let size_bytes = std::fs::metadata(path).map_err(|e| CliError::new(format!("{}: {e}", path.display())))?.len();
    let mut out = Inspection {
        path: path.display().to_string(),
        format: format.to_string(),
        size_bytes,
        arrays: Vec::new(),
        metadata: BTreeMap::new(),
        table: None,
        image: None,
    };
    match format {
        Format::Npy => out.arrays.push(inspect_npy(path)?),
        Format::Npz => out.arrays = inspect_npz(path)?,
        Format::SafeTensors => {
            let file = SafeTensors::open(path)?;
            for t in file.tensors() {
                let array = file.get(&t.name)?;
                out.arrays.push(array_info(Some(t.name.clone()), &array, "little", None, None, None)?);
            }
            out.metadata = file.metadata().clone();
        }
        Format::Csv => out.table = Some(inspect_csv(path, max_rows)?),
        Format::Png | Format::Jpeg => {
            let (header, array) = inspect_image(path)?;
            // The format found in the file's signature (a `.png` may hold a JPEG).
            out.format = header.format.to_string();
            out.image = Some(header);
            out.arrays.push(array);
        }
    }
    Ok(out)
}

fn inspect_image(path: &Path) -> CliResult<(ImageHeader, ArrayInfo)> {
    use oxarray::io::image;
    let info = image::image_info(path)?;
    let header = ImageHeader {
        format: info.format.name(),
        width: info.width,
        height: info.height,
        bit_depth: info.bit_depth,
        color_type: info.color_type,
        transparency: info.transparency,
        interlaced: info.interlaced,
    };
    let pixels = image::read_image(path)?;
    let [h, w, c] = info.shape();
    // One row per pixel, one column per channel: statistics per channel.
    let flat = pixels.reshape(&[h * w, c])?;
    let mut array = array_info(None, &flat, "big", None, None, None)?;
    array.shape = pixels.shape().to_vec();
    array.statistics_scope = "channels";
    Ok((header, array))
}

fn byte_order_name(order: npy::ByteOrder, itemsize: usize) -> &'static str {
    match (itemsize, order) {
        (1, _) => "not applicable",
        (_, npy::ByteOrder::Little) => "little",
        (_, npy::ByteOrder::Big) => "big",
    }
}

fn inspect_npy(path: &Path) -> CliResult<ArrayInfo> {
    let file = File::open(path).map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
    let header = npy::read_header(BufReader::new(file)).map_err(|e| CliError::in_file(path, e))?;
    let array = crate::convert::load_npy(path)?;
    let version = format!("{}.{}", header.version.0, header.version.1);
    let mut info = array_info(
        None,
        &array,
        byte_order_name(header.byte_order, header.dtype.itemsize()),
        Some(version),
        Some(header.data_offset),
        None,
    )?;
    info.order = if header.fortran_order { "F" } else { "C" };
    Ok(info)
}

fn inspect_npz(path: &Path) -> CliResult<Vec<ArrayInfo>> {
    let mut archive = NpzReader::open(path)?;
    let names: Vec<String> = archive.names().into_iter().map(String::from).collect();
    let mut out = Vec::new();
    for name in names {
        let stored = archive.is_stored(&name).unwrap_or(false);
        // Stored members of aligned archives map without reading; others
        // (deflated, or unaligned as NumPy's savez writes them) are read.
        let array = match stored.then(|| archive.load_mmap_member(&name)) {
            Some(Ok(a)) => a,
            _ => archive.get(&name)?,
        };
        out.push(array_info(Some(name), &array, "little", None, None, Some(!stored))?);
    }
    Ok(out)
}

/// Shape, dtype, layout and statistics of an array already open.
fn array_info(
    name: Option<String>,
    array: &Array,
    byte_order: &'static str,
    version: Option<String>,
    data_offset: Option<u64>,
    compressed: Option<bool>,
) -> CliResult<ArrayInfo> {
    let per_column = array.ndim() == 2 && array.shape()[1] <= MAX_STAT_COLUMNS;
    let (statistics, note) = match summarize(array, per_column) {
        Ok(s) => (s, None),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let order = if array.ndim() > 1 && array.is_f_contiguous() && !array.is_c_contiguous() { "F" } else { "C" };
    let byte_order = if array.itemsize() == 1 { "not applicable" } else { byte_order };
    Ok(ArrayInfo {
        name,
        dtype: array.dtype().to_string(),
        shape: array.shape().to_vec(),
        order,
        byte_order,
        version,
        data_offset,
        compressed,
        memory_mapped: array.buffer().is_mapped(),
        statistics_scope: if per_column { "columns" } else { "all" },
        statistics,
        statistics_note: note,
    })
}

/// Statistics of one table column, accumulated over chunks of rows.
pub enum ColumnAcc {
    /// A numeric column's summary.
    Numeric(Summary),
    /// A categorical column's categories in first-seen order (codes are
    /// stable across chunks), their counts, and the missing count.
    Categorical {
        /// Categories seen so far.
        categories: Vec<String>,
        /// Count of each category.
        counts: Vec<u64>,
        /// Missing values.
        missing: u64,
    },
}

impl ColumnAcc {
    /// An empty accumulator for a column of `column`'s kind.
    pub fn new(column: &Column) -> ColumnAcc {
        match column {
            Column::Numeric(_) => ColumnAcc::Numeric(Summary::default()),
            Column::Categorical(_) => ColumnAcc::Categorical { categories: Vec::new(), counts: Vec::new(), missing: 0 },
        }
    }

    /// Adds the first `take` rows of `column` (the same column, a later
    /// chunk). NaN counts as missing: an empty field or marker, or a NaN
    /// literal.
    pub fn add(&mut self, column: &Column, take: usize) -> CliResult<()> {
        match (self, column) {
            (ColumnAcc::Numeric(s), Column::Numeric(c)) => {
                let values = c.values.astype(oxarray::DType::Float64)?;
                values.iter::<f64>()?.take(take).for_each(|v| s.push(v));
            }
            (ColumnAcc::Categorical { categories, counts, missing }, Column::Categorical(c)) => {
                // Categories only grow, in first-seen order, from chunk to chunk.
                categories.extend(c.categories[categories.len().min(c.categories.len())..].iter().cloned());
                counts.resize(categories.len(), 0);
                for code in c.codes.iter::<i32>()?.take(take) {
                    match usize::try_from(code) {
                        Ok(i) => counts[i] += 1,
                        Err(_) => *missing += 1,
                    }
                }
            }
            _ => return Err(CliError::new("a column changed kind between chunks of the file")),
        }
        Ok(())
    }

    /// The column's report.
    pub fn finish(self, name: String) -> ColumnInfo {
        match self {
            ColumnAcc::Numeric(s) => ColumnInfo { name, kind: "numeric", statistics: s.finish(), categories: None },
            ColumnAcc::Categorical { categories, counts, missing } => {
                let mut s = Summary::default();
                s.push_missing(missing);
                let mut statistics = s.finish();
                statistics.count = counts.iter().sum();
                let mut cats: Vec<(String, u64)> = categories.into_iter().zip(counts).collect();
                cats.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                ColumnInfo { name, kind: "categorical", statistics, categories: Some(cats) }
            }
        }
    }
}

/// The report of every column of a table held in memory.
pub fn table_columns(table: &oxarray::io::csv::Table) -> CliResult<Vec<ColumnInfo>> {
    table
        .names()
        .iter()
        .zip(table.columns())
        .map(|(name, c)| {
            let mut acc = ColumnAcc::new(c);
            acc.add(c, c.len())?;
            Ok(acc.finish(name.clone()))
        })
        .collect()
}

fn inspect_csv(path: &Path, max_rows: Option<u64>) -> CliResult<TableInfo> {
    let mut chunks = CsvChunks::open(path, &CsvOptions::default(), CSV_CHUNK_ROWS)?;
    let mut names: Vec<String> = Vec::new();
    let mut accs: Vec<ColumnAcc> = Vec::new();
    let mut rows = 0u64;
    let mut truncated = false;
    while let Some(table) = chunks.next().transpose()? {
        if accs.is_empty() {
            names = table.names().to_vec();
            accs = table.columns().iter().map(ColumnAcc::new).collect();
        }
        let take = max_rows.map_or(table.n_rows(), |m| table.n_rows().min((m - rows) as usize));
        for (acc, col) in accs.iter_mut().zip(table.columns()) {
            acc.add(col, take).map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
        }
        rows += take as u64;
        if max_rows.is_some_and(|m| rows >= m) {
            truncated = take < table.n_rows() || chunks.next().is_some();
            break;
        }
    }
    if accs.is_empty() {
        // A header and no rows: the names, without kinds to tell.
        names = chunks.names().unwrap_or_default();
        accs = names.iter().map(|_| ColumnAcc::Numeric(Summary::default())).collect();
    }
    let columns = names.into_iter().zip(accs).map(|(name, acc)| acc.finish(name)).collect();
    Ok(TableInfo { rows, truncated, columns })
}

/// Categories as `a 152, b 124, … (+3 more)`.
pub fn category_list(cats: &[(String, u64)], shown: usize) -> String {
    let mut s: Vec<String> = cats.iter().take(shown).map(|(c, n)| format!("{c} {n}")).collect();
    if cats.len() > shown {
        s.push(format!("… (+{} more)", cats.len() - shown));
    }
    s.join(", ")
}

impl Inspection {
    /// The human-readable report.
    pub fn render(&self) -> String {
        let mut out = format!("{}: {}, {}\n", self.path, self.format, text::bytes(self.size_bytes));
        for (k, v) in &self.metadata {
            out.push_str(&format!("  metadata {k} = {v}\n"));
        }
        if let Some(i) = &self.image {
            let mut what = vec![format!("{}-bit {}", i.bit_depth, i.color_type)];
            if i.transparency {
                what.push("tRNS transparency".into());
            }
            if i.interlaced {
                what.push(if i.format == "png" { "interlaced".into() } else { "progressive".into() });
            }
            out.push_str(&format!("  image {}×{}, {}\n", i.width, i.height, what.join(", ")));
        }
        for a in &self.arrays {
            out.push('\n');
            out.push_str(&render_array(a));
        }
        if let Some(t) = &self.table {
            let what = if t.truncated { "first " } else { "" };
            out.push_str(&format!("  {what}{} rows × {} columns\n\n", t.rows, t.columns.len()));
            out.push_str(&render_columns(&t.columns, 2));
        }
        out
    }
}

/// A table's columns as two aligned tables: numeric columns with their
/// statistics, categorical columns with their categories.
pub fn render_columns(columns: &[ColumnInfo], indent: usize) -> String {
    let mut numeric = Table::new(std::iter::once("numeric column").chain(STATS_HEADER));
    let mut categorical = Table::new(["categorical column", "count", "missing", "categories"]).aligned(3);
    for c in columns {
        match &c.categories {
            None => numeric.stats_row(&c.name, &c.statistics),
            Some(cats) => categorical.row([
                c.name.clone(),
                c.statistics.count.to_string(),
                c.statistics.missing.to_string(),
                format!("{}: {}", cats.len(), category_list(cats, SHOWN_CATEGORIES)),
            ]),
        }
    }
    let has = |kind| columns.iter().any(|c| c.kind == kind);
    let mut out = String::new();
    if has("numeric") {
        out.push_str(&numeric.render(indent));
    }
    if has("categorical") {
        if has("numeric") {
            out.push('\n');
        }
        out.push_str(&categorical.render(indent));
    }
    out
}

fn render_array(a: &ArrayInfo) -> String {
    let mut out = String::new();
    let mut layout = vec![format!("{} order", a.order)];
    if a.byte_order != "not applicable" {
        layout.push(format!("{}-endian", a.byte_order));
    }
    if let Some(v) = &a.version {
        layout.push(format!("npy {v}"));
    }
    if let Some(o) = a.data_offset {
        layout.push(format!("data at byte {o}"));
    }
    match a.compressed {
        Some(true) => layout.push("deflated".into()),
        Some(false) => layout.push("stored".into()),
        None => {}
    }
    if a.memory_mapped {
        layout.push("memory-mapped".into());
    }
    let name = a.name.as_deref().map_or(String::new(), |n| format!("{n}: "));
    out.push_str(&format!("  {name}{} {}, {}\n", a.dtype, text::shape(&a.shape), layout.join(", ")));
    if let Some(note) = &a.statistics_note {
        out.push_str(&format!("    {note}\n"));
        return out;
    }
    let title = match a.statistics_scope {
        "columns" => "column",
        "channels" => "channel",
        _ => "",
    };
    let channels: &[&str] = match a.statistics.len() {
        1 => &["gray"],
        2 => &["gray", "alpha"],
        3 => &["red", "green", "blue"],
        _ => &["red", "green", "blue", "alpha"],
    };
    let mut t = Table::new(std::iter::once(title).chain(STATS_HEADER));
    for (i, s) in a.statistics.iter().enumerate() {
        let label = match a.statistics_scope {
            "columns" => i.to_string(),
            "channels" => channels.get(i).map_or_else(|| i.to_string(), |c| c.to_string()),
            _ => "all".into(),
        };
        t.stats_row(&label, s);
    }
    out.push_str(&t.render(4));
    out
}
