//! File formats, told by extension.

use std::fmt;
use std::path::Path;

use crate::error::{CliError, CliResult};

/// A file format the command reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// NumPy `.npy`: one array.
    Npy,
    /// NumPy `.npz`: named arrays in a zip archive.
    Npz,
    /// Hugging Face `.safetensors`: named tensors and string metadata.
    SafeTensors,
    /// Delimited text (`.csv`, `.tsv`, `.txt`): a table of columns.
    Csv,
    /// A PNG image: one `height × width × channels` array.
    Png,
    /// A JPEG image (read only).
    Jpeg,
}

impl Format {
    /// The format of `path`, from its extension (case-insensitive). Unknown
    /// extensions are errors that list what is supported.
    pub fn of(path: &Path) -> CliResult<Format> {
        let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "npy" => Ok(Format::Npy),
            "npz" => Ok(Format::Npz),
            "safetensors" => Ok(Format::SafeTensors),
            "csv" | "tsv" | "txt" => Ok(Format::Csv),
            "png" => Ok(Format::Png),
            "jpg" | "jpeg" => Ok(Format::Jpeg),
            "" => Err(CliError::new(format!(
                "{}: no file extension to tell the format by (expected .npy, .npz, .safetensors, .csv, .png or .jpg)",
                path.display()
            ))),
            other => Err(CliError::new(format!(
                "{}: unknown extension .{other} (expected .npy, .npz, .safetensors, .csv, .png or .jpg)",
                path.display()
            ))),
        }
    }

    /// Whether a file of this format holds several named arrays.
    pub fn is_multi(self) -> bool {
        matches!(self, Format::Npz | Format::SafeTensors)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Npy => "npy",
            Format::Npz => "npz",
            Format::SafeTensors => "safetensors",
            Format::Csv => "csv",
            Format::Png => "png",
            Format::Jpeg => "jpeg",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert_eq!(Format::of(Path::new("a/b.NPY")).unwrap(), Format::Npy);
        assert_eq!(Format::of(Path::new("x.tsv")).unwrap(), Format::Csv);
        let e = Format::of(Path::new("x.parquet")).unwrap_err().to_string();
        assert!(e.contains("unknown extension .parquet"), "{e}");
        assert_eq!(Format::of(Path::new("x.png")).unwrap(), Format::Png);
        assert_eq!(Format::of(Path::new("x.JPEG")).unwrap(), Format::Jpeg);
        assert!(Format::of(Path::new("noext")).is_err());
    }
}
