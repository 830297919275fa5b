//! Writing arrays and tables as CSV, atomically.

use std::io::Write;
use std::path::Path;

use oxarray_core::{Array, DType, Element, Error, ErrorKind, Result, Wide, dispatch};

use super::options::CsvWriteOptions;
use super::table::{CategoricalColumn, Column, Table};
use crate::atomic::{io_err, write_atomic};

/// Cells of some columns, written one at a time.
trait Cells {
    fn ncols(&self) -> usize;
    fn write(&self, row: usize, col: usize, out: &mut Vec<u8>, opts: &CsvWriteOptions);
}

/// A 1-D array (one column) or a 2-D array (its columns), in C order.
struct Values<T> {
    data: Vec<T>,
    ncols: usize,
    /// `true` where a value is missing, whatever it holds.
    mask: Option<Vec<bool>>,
}

impl<T: Element> Cells for Values<T> {
    fn ncols(&self) -> usize {
        self.ncols
    }

    fn write(&self, row: usize, col: usize, out: &mut Vec<u8>, opts: &CsvWriteOptions) {
        let i = row * self.ncols + col;
        if self.mask.as_ref().is_some_and(|m| m[i]) {
            return write_text(out, &opts.missing, opts.delimiter);
        }
        match self.data[i].to_wide() {
            Wide::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            Wide::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Wide::Float(x) if x.is_nan() => write_text(out, &opts.missing, opts.delimiter),
            // `{:?}` is the shortest text that parses back to the same value,
            // with an exponent for very large and very small magnitudes.
            Wide::Float(x) if T::DTYPE == DType::Float64 => {
                let _ = write!(out, "{x:?}");
            }
            // float32, float16 and bfloat16 values are exact in float32.
            Wide::Float(x) => {
                let _ = write!(out, "{:?}", x as f32);
            }
            Wide::Complex(..) => unreachable!("complex arrays are rejected before writing"),
        }
    }
}

/// A categorical column's texts.
struct Texts<'a> {
    codes: Vec<i32>,
    categories: &'a [String],
}

impl Cells for Texts<'_> {
    fn ncols(&self) -> usize {
        1
    }

    fn write(&self, row: usize, _col: usize, out: &mut Vec<u8>, opts: &CsvWriteOptions) {
        match usize::try_from(self.codes[row]).ok().and_then(|c| self.categories.get(c)) {
            Some(text) => write_text(out, text, opts.delimiter),
            None => write_text(out, &opts.missing, opts.delimiter),
        }
    }
}

/// Writes `text`, quoted (with quotes doubled) if it holds the delimiter, a
/// quote or a line break.
fn write_text(out: &mut Vec<u8>, text: &str, delimiter: u8) {
    let needs = text.bytes().any(|b| b == delimiter || matches!(b, b'"' | b'\n' | b'\r'));
    if !needs {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    out.push(b'"');
    for b in text.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

fn values(a: &Array, mask: Option<&Array>, op: &'static str) -> Result<Box<dyn Cells>> {
    if a.dtype().is_complex() {
        return Err(ErrorKind::UnsupportedDType { op, dtype: a.dtype() }.into());
    }
    let ncols = if a.ndim() == 2 { a.shape()[1] } else { 1 };
    let mask = mask.map(|m| m.to_vec::<bool>()).transpose()?;
    dispatch!(a.dtype(), T => Ok(Box::new(Values { data: a.to_vec::<T>()?, ncols, mask }) as Box<dyn Cells>))
}

fn categorical(k: &CategoricalColumn) -> Result<Box<dyn Cells + '_>> {
    Ok(Box::new(Texts { codes: k.codes.to_vec::<i32>()?, categories: &k.categories }))
}

fn write_all(
    path: &Path,
    header: &[&str],
    blocks: &[Box<dyn Cells + '_>],
    rows: usize,
    opts: &CsvWriteOptions,
    op: &'static str,
) -> Result<()> {
    if matches!(opts.delimiter, b'"' | b'\n' | b'\r') {
        return Err(Error::invalid(op, format!("the delimiter cannot be {:?}", opts.delimiter as char)));
    }
    let ncols: usize = blocks.iter().map(|b| b.ncols()).sum();
    if !header.is_empty() && header.len() != ncols {
        return Err(Error::invalid(op, format!("{} header names for {ncols} columns", header.len())));
    }
    let term = opts.line_terminator.as_bytes();
    write_atomic(path, |w| {
        let mut line = Vec::with_capacity(256);
        if !header.is_empty() {
            for (i, name) in header.iter().enumerate() {
                if i > 0 {
                    line.push(opts.delimiter);
                }
                write_text(&mut line, name, opts.delimiter);
            }
            line.extend_from_slice(term);
            w.write_all(&line).map_err(io_err(path))?;
        }
        for row in 0..rows {
            line.clear();
            let mut first = true;
            for b in blocks {
                for col in 0..b.ncols() {
                    if !first {
                        line.push(opts.delimiter);
                    }
                    first = false;
                    b.write(row, col, &mut line, opts);
                }
            }
            line.extend_from_slice(term);
            w.write_all(&line).map_err(io_err(path))?;
        }
        Ok(())
    })
}

/// Writes 1-D arrays of equal length as the columns of a CSV file, with a
/// header line unless `header` is empty. The file appears complete or not
/// at all (it is written beside `path` and renamed into place).
///
/// Floats are written as the shortest text that reads back as the same
/// value (`0.1`, `1e-7`, `1.0`), NaN as [`CsvWriteOptions::missing`] (empty
/// by default), integers in full, booleans as `true`/`false`. Complex arrays
/// are an error.
///
/// ```
/// use oxarray_core::Array;
/// use oxarray_io::csv::{read_csv, write_csv, CsvOptions, CsvWriteOptions};
/// # let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("xy.csv");
/// let x = Array::from_vec(vec![0.1f64, f64::NAN], &[2])?;
/// let y = Array::from_vec(vec![1i64, 2], &[2])?;
/// write_csv(&path, &["x", "y"], &[x, y], &CsvWriteOptions::default())?;
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), "x,y\n0.1,1\n,2\n");
/// let t = read_csv(&path, &CsvOptions::default())?;
/// assert_eq!(t.n_rows(), 2);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
pub fn write_csv(path: impl AsRef<Path>, header: &[&str], columns: &[Array], opts: &CsvWriteOptions) -> Result<()> {
    let op = "write_csv";
    let rows = columns.first().map_or(0, Array::size);
    for (i, c) in columns.iter().enumerate() {
        if c.ndim() != 1 || c.size() != rows {
            return Err(Error::invalid(
                op,
                format!("column {i} has shape {:?}; every column must be 1-D with {rows} values", c.shape()),
            ));
        }
    }
    let blocks = columns.iter().map(|c| values(c, None, op)).collect::<Result<Vec<_>>>()?;
    write_all(path.as_ref(), header, &blocks, rows, opts, op)
}

/// Writes a 2-D array (rows × columns) as CSV; a 1-D array is one column.
/// See [`write_csv`] for the formats.
pub fn write_csv_array(path: impl AsRef<Path>, header: &[&str], array: &Array, opts: &CsvWriteOptions) -> Result<()> {
    let op = "write_csv_array";
    if !matches!(array.ndim(), 1 | 2) {
        return Err(Error::invalid(op, format!("expected a 1-D or 2-D array, got shape {:?}", array.shape())));
    }
    let rows = array.shape()[0];
    let blocks = vec![values(array, None, op)?];
    write_all(path.as_ref(), header, &blocks, rows, opts, op)
}

/// Writes a [`Table`] with its names as the header: numeric columns as in
/// [`write_csv`] (entries set in the mask written as missing), categorical
/// columns as their texts (quoted when needed), missing values as
/// [`CsvWriteOptions::missing`].
pub fn write_table(path: impl AsRef<Path>, table: &Table, opts: &CsvWriteOptions) -> Result<()> {
    let op = "write_table";
    let blocks = table
        .columns()
        .iter()
        .map(|c| match c {
            Column::Numeric(n) => values(&n.values, n.mask.as_ref(), op),
            Column::Categorical(k) => categorical(k),
        })
        .collect::<Result<Vec<_>>>()?;
    let header: Vec<&str> = table.names().iter().map(String::as_str).collect();
    if header.is_empty() {
        return write_atomic(path.as_ref(), |_| Ok(()));
    }
    write_all(path.as_ref(), &header, &blocks, table.n_rows(), opts, op)
}
