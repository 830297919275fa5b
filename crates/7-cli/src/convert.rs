//! `ox convert IN OUT`: between npy, npz, safetensors and CSV, formats told
//! by extension. Every output is written atomically (a temporary file
//! renamed into place), so a failed conversion leaves no partial file.
//!
//! | from → to | what happens |
//! |---|---|
//! | npz ⇄ safetensors | every named array carries over |
//! | npy → npz, safetensors | one array, named `--name` (default: the input's file stem) |
//! | npz, safetensors → npy | the one array, or the one `--name` picks |
//! | CSV → npy, npz, safetensors | the numeric columns as one `rows × cols` array (`--dtype`, default float64; NaN where missing) |
//! | npy, npz, safetensors → CSV | one 1-D or 2-D array; columns named `0`, `1`, … |
//! | CSV → CSV | re-written comma-separated (categories kept as text) |
//! | PNG, JPEG → npy, npz, safetensors | the image as one `height × width × channels` array (`uint8`, `uint16` for 16-bit PNG) |
//! | npy, npz, safetensors → PNG | one `uint8`/`uint16` array of shape `H×W` or `H×W×C` (`C` 1–4) |
//!
//! A CSV with a categorical column cannot become an array here: the error
//! names the column (encode it with `ox prep`).

use std::collections::BTreeMap;
use std::path::Path;

use oxarray::io::csv::{self, CsvOptions, CsvWriteOptions};
use oxarray::io::{NpzReader, SafeTensors, npy, npz, safetensors};
use oxarray::{Array, DType};

use crate::error::{CliError, CliResult};
use crate::format::Format;

/// What a conversion wrote, for the report.
#[derive(Debug, serde::Serialize)]
pub struct Converted {
    /// The input file.
    pub input: String,
    /// The output file.
    pub output: String,
    /// The arrays written: name, dtype and shape.
    pub arrays: Vec<(String, String, Vec<usize>)>,
}

/// Converts `input` to `output`. `name` names the array for single-array
/// to multi-array conversions, or picks one the other way; `dtype` is the
/// element type of arrays read from CSV.
pub fn convert(input: &Path, output: &Path, name: Option<&str>, dtype: DType) -> CliResult<Converted> {
    let (from, to) = (Format::of(input)?, Format::of(output)?);
    if same_file(input, output) {
        return Err(CliError::new(format!("{}: input and output are the same file", output.display())));
    }
    if to == Format::Jpeg {
        return Err(CliError::new(format!("{}: writing JPEG is not supported (write .png)", output.display())));
    }
    let image = |f: Format| matches!(f, Format::Png | Format::Jpeg);
    if (image(from) && to == Format::Csv) || (from == Format::Csv && image(to)) || (image(from) && image(to)) {
        return Err(CliError::new(format!(
            "{} → {}: images convert to and from npy, npz and safetensors only",
            input.display(),
            output.display()
        )));
    }
    if from == Format::Csv && to == Format::Csv {
        let table = csv::read_csv(input, &CsvOptions::default())?;
        csv::write_table(output, &table, &write_options(output)).map_err(|e| CliError::in_file(output, e))?;
        return Ok(Converted {
            input: input.display().to_string(),
            output: output.display().to_string(),
            arrays: Vec::new(),
        });
    }
    let arrays = read_arrays(input, from, name, dtype)?;
    let arrays = if to.is_multi() { arrays } else { vec![pick_one(input, arrays, name)?] };
    write_arrays(output, to, &arrays).map_err(|e| CliError::in_file(output, e))?;
    Ok(Converted {
        input: input.display().to_string(),
        output: output.display().to_string(),
        arrays: arrays.iter().map(|(n, a)| (n.clone(), a.dtype().to_string(), a.shape().to_vec())).collect(),
    })
}

/// Tab-separated for `.tsv`, comma-separated otherwise.
fn write_options(path: &Path) -> CsvWriteOptions {
    let tsv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    CsvWriteOptions::default().delimiter(if tsv { b'\t' } else { b',' })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The input's file stem, the default name of a single array.
fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(|| "data".into(), |s| s.to_string_lossy().into_owned())
}

/// Every array of the input, named.
fn read_arrays(path: &Path, format: Format, name: Option<&str>, dtype: DType) -> CliResult<Vec<(String, Array)>> {
    Ok(match format {
        Format::Npy => vec![(name.map_or_else(|| stem(path), String::from), load_npy(path)?)],
        Format::Npz => {
            let mut archive = NpzReader::open(path)?;
            match name {
                Some(n) => vec![(n.to_string(), archive.get(n)?)],
                None => archive.get_all()?,
            }
        }
        Format::SafeTensors => {
            let file = SafeTensors::open(path)?;
            match name {
                Some(n) => vec![(n.to_string(), file.get(n)?)],
                None => file.arrays()?,
            }
        }
        Format::Csv => {
            let opts = CsvOptions::default();
            vec![(name.map_or_else(|| stem(path), String::from), csv::read_csv_array(path, &opts, dtype)?)]
        }
        Format::Png | Format::Jpeg => {
            vec![(name.map_or_else(|| stem(path), String::from), oxarray::io::image::read_image(path)?)]
        }
    })
}

/// A `.npy` file, memory-mapped when it is little-endian (a map cannot
/// byte-swap), read into memory otherwise.
pub fn load_npy(path: &Path) -> CliResult<Array> {
    let file = std::fs::File::open(path).map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
    let header = npy::read_header(std::io::BufReader::new(file)).map_err(|e| CliError::in_file(path, e))?;
    Ok(if header.needs_byteswap() { npy::load(path)? } else { npy::load_mmap(path, false)? })
}

/// The one array a single-array output takes.
fn pick_one(path: &Path, mut arrays: Vec<(String, Array)>, name: Option<&str>) -> CliResult<(String, Array)> {
    if arrays.len() == 1 {
        return Ok(arrays.pop().expect("one array"));
    }
    let names: Vec<&str> = arrays.iter().map(|(n, _)| n.as_str()).collect();
    Err(CliError::new(match name {
        Some(n) => format!("{}: no array named {n:?} (it holds {names:?})", path.display()),
        None if names.is_empty() => format!("{}: holds no array", path.display()),
        None => format!("{}: holds {} arrays {names:?}; pick one with --name", path.display(), names.len()),
    }))
}

fn write_arrays(path: &Path, format: Format, arrays: &[(String, Array)]) -> CliResult<()> {
    let named: Vec<(&str, &Array)> = arrays.iter().map(|(n, a)| (n.as_str(), a)).collect();
    match format {
        Format::Npy => npy::save(path, named[0].1)?,
        Format::Png => oxarray::io::image::write_png(path, named[0].1)?,
        Format::Jpeg => return Err(CliError::new(format!("{}: writing JPEG is not supported", path.display()))),
        Format::Npz => npz::savez(path, &named)?,
        Format::SafeTensors => safetensors::save_safetensors(path, &named, &BTreeMap::new())?,
        Format::Csv => {
            let (name, array) = named[0];
            let header: Vec<String> = match array.ndim() {
                1 => vec![name.to_string()],
                2 => (0..array.shape()[1]).map(|i| i.to_string()).collect(),
                n => {
                    return Err(CliError::new(format!(
                        "{}: a CSV file holds a 1-D or 2-D array; {name:?} has {n} dimensions",
                        path.display()
                    )));
                }
            };
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            csv::write_csv_array(path, &header, array, &write_options(path))?;
        }
    }
    Ok(())
}
