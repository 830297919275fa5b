//! Reading and writing options, builder style.

use oxarray_core::{DType, Error, Result};

/// A column chosen by name (as in the header) or by 0-based position.
///
/// `"price".into()` and `3.into()` both make one, so option methods take
/// either: `CsvOptions::default().columns(["a", "c"])`, `.columns([0, 2])`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Col {
    /// The column whose header name is this (after renaming duplicates, see
    /// [`Table::names`](super::Table::names)).
    Name(String),
    /// The column at this 0-based position in the file.
    Index(usize),
}

impl From<&str> for Col {
    fn from(s: &str) -> Col {
        Col::Name(s.to_string())
    }
}

impl From<String> for Col {
    fn from(s: String) -> Col {
        Col::Name(s)
    }
}

impl From<&String> for Col {
    fn from(s: &String) -> Col {
        Col::Name(s.clone())
    }
}

impl From<usize> for Col {
    fn from(i: usize) -> Col {
        Col::Index(i)
    }
}

impl std::fmt::Display for Col {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Col::Name(n) => write!(f, "{n:?}"),
            Col::Index(i) => write!(f, "at index {i}"),
        }
    }
}

/// The missing-value markers recognised unless
/// [`default_missing(false)`](CsvOptions::default_missing) turns them off: an
/// empty field, `NA`, `NaN`, `nan`, `null`, `NULL` and `N/A`. A field is
/// missing when its whole text (after removing quotes) equals a marker.
pub const DEFAULT_MISSING: [&str; 7] = ["", "NA", "NaN", "nan", "null", "NULL", "N/A"];

/// The delimiters [`CsvOptions`] chooses from when none is given.
pub const SNIFFED_DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How to read a CSV file: header, delimiter, missing markers, column
/// selection and types, float dtype and threads.
///
/// ```
/// use oxarray_core::DType;
/// use oxarray_io::csv::CsvOptions;
/// let opts = CsvOptions::default()
///     .delimiter(b';')
///     .missing_markers(["-", "?"])
///     .columns(["height", "species"])
///     .categorical(["species"])
///     .float_dtype(DType::Float32);
/// # let _ = opts;
/// ```
#[derive(Clone, Debug)]
pub struct CsvOptions {
    pub(crate) header: bool,
    pub(crate) delimiter: Option<u8>,
    pub(crate) default_missing: bool,
    pub(crate) missing: Vec<String>,
    pub(crate) columns: Option<Vec<Col>>,
    pub(crate) categorical: Vec<Col>,
    pub(crate) numeric: Vec<Col>,
    pub(crate) float_dtype: DType,
    pub(crate) threads: usize,
    pub(crate) min_chunk_bytes: usize,
}

impl Default for CsvOptions {
    /// A header line, a sniffed delimiter, the [`DEFAULT_MISSING`] markers,
    /// every column with its kind inferred, float64 values, and as many
    /// threads as the machine has cores for inputs of several MiB.
    fn default() -> Self {
        CsvOptions {
            header: true,
            delimiter: None,
            default_missing: true,
            missing: Vec::new(),
            columns: None,
            categorical: Vec::new(),
            numeric: Vec::new(),
            float_dtype: DType::Float64,
            threads: 0,
            min_chunk_bytes: 1 << 20,
        }
    }
}

impl CsvOptions {
    /// Whether the first (non-blank) line holds the column names (default
    /// `true`). Without a header the columns are named `"0"`, `"1"`, ….
    pub fn header(mut self, header: bool) -> Self {
        self.header = header;
        self
    }

    /// The field delimiter. When not given it is sniffed from the first
    /// lines: among `,` `;` tab `|`, the one that splits every sampled line
    /// into the same number (more than one) of fields; the most fields wins,
    /// then the earlier in that list; `,` if none does.
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = Some(delimiter);
        self
    }

    /// Adds missing-value markers to the defaults (or to none, after
    /// [`default_missing(false)`](Self::default_missing)). A missing field is
    /// NaN in a numeric column (and set in its mask) and code -1 in a
    /// categorical one.
    pub fn missing_markers<S: Into<String>>(mut self, markers: impl IntoIterator<Item = S>) -> Self {
        self.missing.extend(markers.into_iter().map(Into::into));
        self
    }

    /// Whether the [`DEFAULT_MISSING`] markers apply (default `true`).
    pub fn default_missing(mut self, on: bool) -> Self {
        self.default_missing = on;
        self
    }

    /// Reads only these columns, in this order (by name or 0-based index).
    /// An unknown name or an index past the last column is an error that
    /// lists the available columns. Unselected columns are still checked for
    /// their field count but their values are not parsed.
    pub fn columns<C: Into<Col>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        self.columns = Some(columns.into_iter().map(Into::into).collect());
        self
    }

    /// Reads these columns as categorical even if every value is a number
    /// (zip codes, ids, class labels).
    pub fn categorical<C: Into<Col>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        self.categorical.extend(columns.into_iter().map(Into::into));
        self
    }

    /// Requires these columns to be numeric: a field that is neither a
    /// number nor a missing marker is an error naming its line, column and
    /// text (instead of making the column categorical).
    pub fn numeric<C: Into<Col>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        self.numeric.extend(columns.into_iter().map(Into::into));
        self
    }

    /// The dtype of numeric columns: [`DType::Float64`] (default) or
    /// [`DType::Float32`]. Numbers are parsed straight to this type, correctly
    /// rounded (a float32 is not rounded twice through a float64).
    pub fn float_dtype(mut self, dtype: DType) -> Self {
        self.float_dtype = dtype;
        self
    }

    /// Threads for parsing a whole input; `0` (default) uses every core.
    /// Inputs smaller than two [`min_chunk_bytes`](Self::min_chunk_bytes)
    /// are parsed on the calling thread.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// The least number of bytes worth handing to a thread (default 1 MiB).
    pub fn min_chunk_bytes(mut self, bytes: usize) -> Self {
        self.min_chunk_bytes = bytes.max(1);
        self
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if let Some(d) = self.delimiter
            && matches!(d, b'"' | b'\n' | b'\r')
        {
            return Err(Error::invalid("read_csv", format!("the delimiter cannot be {:?}", d as char)));
        }
        if !matches!(self.float_dtype, DType::Float32 | DType::Float64) {
            return Err(Error::invalid(
                "read_csv",
                format!("float_dtype must be float32 or float64, not {}", self.float_dtype),
            ));
        }
        Ok(())
    }

    pub(crate) fn thread_count(&self) -> usize {
        if self.threads > 0 { self.threads } else { std::thread::available_parallelism().map_or(1, |n| n.get()) }
    }
}

/// How to write a CSV file.
#[derive(Clone, Debug)]
pub struct CsvWriteOptions {
    pub(crate) delimiter: u8,
    pub(crate) missing: String,
    pub(crate) line_terminator: &'static str,
}

impl Default for CsvWriteOptions {
    /// Comma-delimited, LF line ends, NaN and missing categories written as
    /// an empty field.
    fn default() -> Self {
        CsvWriteOptions { delimiter: b',', missing: String::new(), line_terminator: "\n" }
    }
}

impl CsvWriteOptions {
    /// The field delimiter (default `,`).
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// The text written for NaN and for missing categorical values (default
    /// empty).
    pub fn missing(mut self, text: impl Into<String>) -> Self {
        self.missing = text.into();
        self
    }

    /// Ends lines with CRLF instead of LF.
    pub fn crlf(mut self, crlf: bool) -> Self {
        self.line_terminator = if crlf { "\r\n" } else { "\n" };
        self
    }
}
