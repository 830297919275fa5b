//! Records to column values: number parsing, missing markers, categories,
//! and the loop that feeds every field of every record to its column.

use std::collections::HashMap;

use oxarray_core::Element;

use super::tokenize::{Dialect, End, TokErr};

/// The float types numeric columns are parsed into.
pub(crate) trait CsvFloat: Element + Default {
    const NAN: Self;
    /// Parses a whole field as a number, correctly rounded to `Self`.
    fn parse(text: &[u8]) -> Option<Self>;
    /// `±mantissa / 10^frac` when that is exact in one correctly rounded
    /// division (Clinger's fast path: both operands exact in `Self`).
    fn from_decimal(mantissa: u64, frac: usize, negative: bool) -> Option<Self>;
}

const POW10_F64: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];
const INV_POW10_F64: [f64; 9] = [1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8];

impl CsvFloat for f32 {
    const NAN: f32 = f32::NAN;
    #[inline]
    fn parse(text: &[u8]) -> Option<f32> {
        fast_float2::parse(trim_number(text)).ok()
    }
    /// With `mantissa < 2^24` the quotient is never an exact float32
    /// midpoint, and for `frac <= 8` it is farther than 2^-52 (relative)
    /// from every midpoint; a float64 product with the correctly rounded
    /// reciprocal errs by less than that, so rounding it to float32 gives
    /// the correctly rounded result, without a slow division.
    #[inline(always)]
    fn from_decimal(mantissa: u64, frac: usize, negative: bool) -> Option<f32> {
        if mantissa >= 1 << 24 || frac >= INV_POW10_F64.len() {
            return None;
        }
        let v = (mantissa as f64 * INV_POW10_F64[frac]) as f32;
        Some(f32::from_bits(v.to_bits() | (u32::from(negative) << 31)))
    }
}

impl CsvFloat for f64 {
    const NAN: f64 = f64::NAN;
    #[inline]
    fn parse(text: &[u8]) -> Option<f64> {
        fast_float2::parse(trim_number(text)).ok()
    }
    #[inline(always)]
    fn from_decimal(mantissa: u64, frac: usize, negative: bool) -> Option<f64> {
        if mantissa > 1 << 53 || frac >= POW10_F64.len() {
            return None;
        }
        let v = mantissa as f64 / POW10_F64[frac];
        Some(f64::from_bits(v.to_bits() | (u64::from(negative) << 63)))
    }
}

/// Reads a plain decimal `[+-]digits[.digits]` (at most 19 digits) at
/// `pos`, the common case that needs no general float parser. Returns the
/// value and the offset just past it; `None` for anything else (exponents,
/// spaces, quotes, long mantissas, words), which the general path handles.
#[inline(always)]
fn plain_decimal<F: CsvFloat>(bytes: &[u8], pos: usize) -> Option<(F, usize)> {
    // Signs are as unpredictable as the data: no branch on them.
    let first = bytes.get(pos).copied().unwrap_or(0);
    let negative = first == b'-';
    let mut i = pos + usize::from(negative | (first == b'+'));
    let mut mantissa = 0u64;
    let start = i;
    while let Some(&b) = bytes.get(i) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
        i += 1;
    }
    let int_digits = i - start;
    let mut frac = 0;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let fstart = i;
        while let Some(&b) = bytes.get(i) {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
            i += 1;
        }
        frac = i - fstart;
    }
    let digits = int_digits + frac;
    if digits == 0 || digits > 19 {
        return None;
    }
    Some((F::from_decimal(mantissa, frac, negative)?, i))
}

/// Spaces and tabs around a number are allowed, as in pandas. A NaN word
/// (`nan`, `NAN`, …) is not a number: NaN is read through the missing
/// markers, so `NAN` makes a column categorical unless it is a marker (as in
/// pandas).
#[inline]
fn trim_number(text: &[u8]) -> &[u8] {
    let t = match (text.first(), text.last()) {
        (Some(b' ' | b'\t'), _) | (_, Some(b' ' | b'\t')) => text.trim_ascii(),
        _ => text,
    };
    let unsigned = t.strip_prefix(b"-").or_else(|| t.strip_prefix(b"+")).unwrap_or(t);
    if matches!(unsigned.first(), Some(b'n' | b'N')) { b"" } else { t }
}

/// The missing-value markers, with a bit set of their lengths so that most
/// fields are rejected with one shift.
#[derive(Clone, Debug)]
pub(crate) struct Markers {
    lengths: u64,
    list: Vec<Vec<u8>>,
    /// Whether some marker looks like a number (`-999`), which turns off
    /// the plain-decimal fast path.
    numeric: bool,
}

impl Markers {
    pub fn new(markers: impl IntoIterator<Item = Vec<u8>>) -> Markers {
        let mut m = Markers { lengths: 0, list: Vec::new(), numeric: false };
        for s in markers {
            m.lengths |= 1 << s.len().min(63);
            m.numeric |= s.first().is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'));
            if !m.list.contains(&s) {
                m.list.push(s);
            }
        }
        m
    }

    #[inline]
    pub fn is_missing(&self, text: &[u8]) -> bool {
        (self.lengths >> text.len().min(63)) & 1 == 1
            && (text.is_empty() || self.list.iter().any(|m| m.as_slice() == text))
    }
}

/// A categorical column being read: codes, and the categories in the order
/// they were first seen.
#[derive(Clone, Debug, Default)]
pub(crate) struct Categories {
    pub codes: Vec<i32>,
    pub index: HashMap<Box<[u8]>, i32>,
    pub names: Vec<String>,
}

/// Why a field cannot become a category.
pub(crate) enum CatErr {
    Utf8,
    TooMany,
}

impl Categories {
    /// The code of `text`, adding it as a new category if unseen.
    #[inline]
    pub fn code_of(&mut self, text: &[u8]) -> Result<i32, CatErr> {
        if let Some(&c) = self.index.get(text) {
            return Ok(c);
        }
        let name = std::str::from_utf8(text).map_err(|_| CatErr::Utf8)?;
        let code = i32::try_from(self.names.len()).map_err(|_| CatErr::TooMany)?;
        self.index.insert(text.into(), code);
        self.names.push(name.to_string());
        Ok(code)
    }
}

/// Where one file column's values go.
#[derive(Clone, Debug)]
pub(crate) enum Sink<F> {
    /// Not selected: the field is only counted.
    Skip,
    /// Numbers, NaN where missing, and the rows that were missing.
    Numeric { values: Vec<F>, missing: Vec<usize>, forced: bool },
    /// Category codes, -1 where missing.
    Categorical(Categories),
}

impl<F: CsvFloat> Sink<F> {
    pub fn numeric(forced: bool, capacity: usize) -> Sink<F> {
        Sink::Numeric { values: Vec::with_capacity(capacity), missing: Vec::new(), forced }
    }

    pub fn is_categorical(&self) -> bool {
        matches!(self, Sink::Categorical(_))
    }

    /// Drops values of rows at and after `rows`.
    fn truncate(&mut self, rows: usize) {
        match self {
            Sink::Skip => {}
            Sink::Numeric { values, missing, .. } => {
                values.truncate(rows);
                while missing.last().is_some_and(|&r| r >= rows) {
                    missing.pop();
                }
            }
            Sink::Categorical(c) => c.codes.truncate(rows),
        }
    }
}

/// The sinks of every file column, and how many complete rows they hold.
#[derive(Clone, Debug)]
pub(crate) struct Sinks<F> {
    pub cols: Vec<Sink<F>>,
    pub rows: usize,
    /// Room for the text of a quoted field with escapes.
    pub scratch: Vec<u8>,
}

impl<F> Sinks<F> {
    pub fn new(cols: Vec<Sink<F>>) -> Sinks<F> {
        Sinks { cols, rows: 0, scratch: Vec::new() }
    }
}

impl<F: CsvFloat> Sinks<F> {
    fn truncate(&mut self) {
        let rows = self.rows;
        self.cols.iter_mut().for_each(|s| s.truncate(rows));
    }
}

/// Why parsing stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Every record starting before `end` was read.
    Done,
    /// `max_rows` rows were read.
    RowLimit,
    /// The record at `pos` runs past the end of the bytes and more input may
    /// follow.
    NeedMore,
}

/// Where parsing got to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Progress {
    /// The start of the next record (or the end of the input).
    pub pos: usize,
    pub stop: Stop,
}

/// Malformed input, located by byte offset (lines are counted only when an
/// error is reported).
#[derive(Debug, Clone)]
pub(crate) struct RawError {
    pub offset: usize,
    /// 0-based field number.
    pub column: Option<usize>,
    pub message: String,
}

/// Why [`Parser::parse_records`] returned without finishing.
pub(crate) enum Fail {
    /// A field of an inferred-numeric column is not a number: the column
    /// must become categorical. The rows before the failing record are kept.
    Flip {
        col: usize,
        record_start: usize,
    },
    Error(RawError),
}

/// What every chunk of one input shares.
pub(crate) struct Parser<'a> {
    pub dialect: Dialect,
    pub markers: &'a Markers,
    pub ncols: usize,
    /// The column names, for messages.
    pub names: &'a [String],
    /// Whether the field count comes from a header (for messages).
    pub header: bool,
}

impl Parser<'_> {
    /// The fast path: reads the fields from `pos` (the start of field `col`)
    /// while they are plain decimals of numeric columns, parsing each number
    /// while finding its end. Returns where it stopped, at which column, and
    /// whether the record ended. Kept small and separate so that its loop
    /// holds its state in registers.
    #[inline(never)]
    fn plain_fields<F: CsvFloat>(
        &self,
        bytes: &[u8],
        mut pos: usize,
        mut col: usize,
        at_eof: bool,
        cols: &mut [Sink<F>],
    ) -> (usize, usize, bool) {
        while let Some(Sink::Numeric { values, .. }) = cols.get_mut(col) {
            let Some((v, stop)) = plain_decimal::<F>(bytes, pos) else { break };
            let Some((ended, next)) = self.dialect.stop(bytes, stop, at_eof) else { break };
            values.push(v);
            col += 1;
            pos = next;
            if ended == End::Record {
                return (pos, col, true);
            }
        }
        (pos, col, false)
    }

    /// Feeds every record that starts in `pos..end` of `bytes` (at most
    /// `max_rows` of them) to `sinks`. `pos` must be the start of a record.
    /// `at_eof` says whether `bytes` ends the input.
    ///
    /// On [`Fail::Flip`] and [`Stop::NeedMore`] the sinks hold exactly the
    /// complete rows before the record where parsing stopped.
    pub fn parse_records<F: CsvFloat>(
        &self,
        bytes: &[u8],
        pos: usize,
        end: usize,
        at_eof: bool,
        max_rows: usize,
        sinks: &mut Sinks<F>,
    ) -> Result<Progress, Fail> {
        let mut scratch = std::mem::take(&mut sinks.scratch);
        let r = self.parse_into(bytes, pos, end, at_eof, max_rows, sinks, &mut scratch);
        sinks.scratch = scratch;
        r
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn parse_into<F: CsvFloat>(
        &self,
        bytes: &[u8],
        mut pos: usize,
        end: usize,
        at_eof: bool,
        max_rows: usize,
        sinks: &mut Sinks<F>,
        scratch: &mut Vec<u8>,
    ) -> Result<Progress, Fail> {
        debug_assert_eq!(sinks.cols.len(), self.ncols);
        let mut rows = 0;
        while pos < end && rows < max_rows {
            pos = match self.dialect.skip_blank(bytes, pos, at_eof) {
                Ok(Some(p)) => p,
                Ok(None) => return Ok(Progress { pos: bytes.len(), stop: Stop::Done }),
                Err(_) => return Ok(Progress { pos, stop: Stop::NeedMore }),
            };
            if pos >= end {
                break;
            }
            let record_start = pos;
            let row = sinks.rows;
            let mut col = 0;
            loop {
                if !self.markers.numeric {
                    let (p, c, ended) = self.plain_fields(bytes, pos, col, at_eof, &mut sinks.cols);
                    (pos, col) = (p, c);
                    if ended {
                        break;
                    }
                }
                let tok = match self.dialect.field(bytes, pos, at_eof, scratch) {
                    Ok(t) => t,
                    Err(TokErr::Incomplete) => {
                        sinks.truncate();
                        return Ok(Progress { pos: record_start, stop: Stop::NeedMore });
                    }
                    Err(TokErr::Unterminated(at)) => {
                        return Err(Fail::Error(RawError {
                            offset: at,
                            column: Some(col),
                            message: "the quoted field starting here is never closed (the input ends inside it)".into(),
                        }));
                    }
                };
                let mut flip = false;
                if let Some(sink) = sinks.cols.get_mut(col) {
                    let text = tok.text(bytes, scratch);
                    match sink {
                        Sink::Skip => {}
                        Sink::Numeric { values, missing, forced } => {
                            if self.markers.is_missing(text) {
                                values.push(F::NAN);
                                missing.push(row);
                            } else if let Some(v) = F::parse(text) {
                                values.push(v);
                            } else if *forced {
                                return Err(Fail::Error(RawError {
                                    offset: tok.start.min(bytes.len()),
                                    column: Some(col),
                                    message: format!(
                                        "column {:?} must be numeric but {:?} is not a number",
                                        self.names[col],
                                        String::from_utf8_lossy(text)
                                    ),
                                }));
                            } else {
                                flip = true;
                            }
                        }
                        Sink::Categorical(cats) => {
                            let code = if self.markers.is_missing(text) {
                                -1
                            } else {
                                cats.code_of(text).map_err(|e| {
                                    Fail::Error(RawError {
                                        offset: tok.start.min(bytes.len()),
                                        column: Some(col),
                                        message: match e {
                                            CatErr::Utf8 => format!(
                                                "column {:?} holds text that is not valid UTF-8: {:?}",
                                                self.names[col],
                                                String::from_utf8_lossy(text)
                                            ),
                                            CatErr::TooMany => {
                                                format!("column {:?} has more than 2^31 categories", self.names[col])
                                            }
                                        },
                                    })
                                })?
                            };
                            cats.codes.push(code);
                        }
                    }
                }
                if flip {
                    sinks.truncate();
                    return Err(Fail::Flip { col, record_start });
                }
                col += 1;
                pos = tok.next;
                if tok.ended == End::Record {
                    break;
                }
            }
            if col != self.ncols {
                sinks.truncate();
                return Err(Fail::Error(RawError {
                    offset: record_start,
                    column: None,
                    message: format!(
                        "expected {} fields (as in the {}), found {col}",
                        self.ncols,
                        if self.header { "header" } else { "first row" }
                    ),
                }));
            }
            rows += 1;
            sinks.rows += 1;
        }
        let stop = if rows == max_rows && pos < end { Stop::RowLimit } else { Stop::Done };
        Ok(Progress { pos, stop })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for (s, v) in [("1", 1.0), (" -2.5 ", -2.5), ("1e3", 1000.0), (".5", 0.5), ("5.", 5.0), ("+7", 7.0)] {
            assert_eq!(f64::parse(s.as_bytes()), Some(v), "{s}");
        }
        assert_eq!(f64::parse(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(f64::parse(b"Infinity"), Some(f64::INFINITY));
        assert_eq!(f64::parse(b"INF"), Some(f64::INFINITY));
        for s in ["", "1e", "abc", "1,5", "0x10", "1 2", "--1", "nan", "-NaN", "NAN", "1_000"] {
            assert_eq!(f64::parse(s.as_bytes()), None, "{s}");
        }
        // Correct rounding straight to float32 (no double rounding).
        assert_eq!(f32::parse(b"1.00000005960464477550"), Some(1.0000001));
    }

    #[test]
    fn plain_decimals_are_correctly_rounded() {
        let mut x = 0x1234_5678_9ABC_DEF0u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..200_000 {
            let digits = 1 + next() % 19;
            let m = next() % 10u64.pow(digits as u32);
            let point = (next() % (digits + 1)) as usize;
            let mut s = format!("{m:0width$}", width = digits as usize);
            s.insert(s.len() - point, '.');
            if next() % 2 == 0 {
                s.insert(0, '-');
            }
            let text = format!("{s},");
            if let Some((v, end)) = plain_decimal::<f32>(text.as_bytes(), 0) {
                assert_eq!(end, s.len());
                assert_eq!(v.to_bits(), f32::parse(s.as_bytes()).unwrap().to_bits(), "{s}");
            }
            if let Some((v, _)) = plain_decimal::<f64>(text.as_bytes(), 0) {
                assert_eq!(v.to_bits(), f64::parse(s.as_bytes()).unwrap().to_bits(), "{s}");
            }
        }
        for s in ["", "-", ".", "-.", "+", "12345678901234567890", "1e5"] {
            let t = format!("{s},");
            let r = plain_decimal::<f64>(t.as_bytes(), 0);
            assert!(r.is_none() || r.unwrap().1 < t.len() - 1, "{s}");
        }
    }

    #[test]
    fn markers() {
        let m = Markers::new(["", "NA", "-999"].map(|s| s.as_bytes().to_vec()));
        assert!(m.is_missing(b"") && m.is_missing(b"NA") && m.is_missing(b"-999"));
        assert!(!m.is_missing(b"N") && !m.is_missing(b"na") && !m.is_missing(b"-998"));
    }
}
