//! NumPy's `.npy` format: read, write and memory-map single arrays.
//!
//! A `.npy` file is the magic string `\x93NUMPY`, a two-byte version, the
//! length of a header, the header — a Python dict literal such as
//! `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with
//! spaces and a newline — and the elements' bytes.
//!
//! ```
//! use oxarray_core::Array;
//! use oxarray_io::npy;
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("a.npy");
//! let a = Array::from_vec(vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3])?;
//! npy::save(&path, &a)?;
//! assert_eq!(npy::load(&path)?.to_vec::<f32>()?, a.to_vec::<f32>()?);
//! let mapped = npy::load_mmap(&path, false)?;   // O(1): no byte is read
//! assert!(mapped.buffer().is_mapped());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is supported, and the choices made
//!
//! - **Versions** 1.0, 2.0 (4-byte header length) and 3.0 (UTF-8 header) are
//!   read. [`save`] writes 1.0, and 2.0 only if the header needs more than
//!   65535 bytes, exactly as NumPy does; its headers are byte-for-byte
//!   NumPy's (same padding to 64 bytes, same spare space for growing the
//!   first axis), so the data starts 64-byte aligned and can be mapped.
//! - **Dtypes**: every oxarray dtype except `bfloat16`: `|b1`, `|i1`, `<i2` …
//!   `<i8`, `|u1` … `<u8`, `<f2`, `<f4`, `<f8`, `<c8`, `<c16`, with `<`, `>`,
//!   `|` or `=` as the byte-order mark. **bfloat16 is refused** when saving:
//!   NumPy has no bfloat16 dtype (`ml_dtypes` writes it as the opaque `<V2`,
//!   which no reader can tell from other two-byte records); use
//!   [`safetensors`](crate::safetensors), which has `BF16`, or cast to float32.
//!   Object arrays (`|O`) are refused without looking at their bytes — they
//!   hold pickles, and oxarray never unpickles — as are structured (a list
//!   `descr`), string, void and datetime dtypes.
//! - **Byte order**: big-endian data (`>i4`, `>f8`…) is byte-swapped into
//!   native order while loading, so every array oxarray returns is native.
//!   [`load_mmap`] cannot swap bytes without copying, so it refuses
//!   big-endian files with an error that says so (use [`load`]).
//! - **Layout**: `fortran_order: True` gives a Fortran-strided array over the
//!   data as stored (no transposing copy); saving a Fortran-contiguous array
//!   writes `fortran_order: True` and its bytes as they are. Other
//!   non-contiguous arrays are written in C order (one copy).
//! - **bool** data must hold only bytes 0 and 1 (what NumPy writes); any
//!   other byte is an error naming its position, because oxarray's bool
//!   arrays guarantee it.
//! - **Trailing bytes** after the data are ignored, as `np.load` ignores them.
//!
//! # Untrusted input
//!
//! The header is parsed by a small hand-written parser of Python literals
//! (strings, integers, `True`/`False`/`None`, tuples, lists, dicts) — never
//! evaluated. Every malformed input is an [`ErrorKind::Parse`] with
//! `format: "npy"`, the path and the byte offset where it went wrong: a bad
//! magic string, an unsupported version, a truncated header, a header that
//! is not a dict (or lacks or repeats a key), an unknown `descr`, a shape
//! whose size overflows, data shorter than the shape needs. Headers are
//! limited to [`MAX_HEADER_LEN`] bytes. Before allocating the data, [`load`]
//! checks the file is long enough to hold it, so a header that claims
//! terabytes costs nothing; the streaming [`read_npy`] grows its buffer only
//! as bytes arrive.
//!
//! [`ErrorKind::Parse`]: oxarray_core::ErrorKind::Parse

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use oxarray_core::{Array, Buffer, DType, Error, Location, Result};

use crate::atomic::{io_err, write_atomic};

/// The six bytes every `.npy` file starts with.
pub const MAGIC: &[u8; 6] = b"\x93NUMPY";

/// The longest header accepted, in bytes. NumPy's own reader refuses
/// headers over 10 000 characters by default; the headers of every dtype
/// oxarray supports are far shorter, so this only bounds what a hostile file
/// can make the reader allocate.
pub const MAX_HEADER_LEN: usize = 1 << 20;

/// Streams of unknown length are read into one allocation up to this size;
/// beyond it the buffer grows as the bytes arrive.
const STREAM_PREALLOC: usize = 16 << 20;

/// The byte order of the elements in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteOrder {
    /// Least significant byte first (`<`), as on x86-64 and ARM.
    Little,
    /// Most significant byte first (`>`).
    Big,
}

impl ByteOrder {
    /// The byte order of the machine running this code.
    pub const NATIVE: ByteOrder = if cfg!(target_endian = "little") { ByteOrder::Little } else { ByteOrder::Big };
}

/// A parsed `.npy` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Format version `(major, minor)`: `(1, 0)`, `(2, 0)` or `(3, 0)`.
    pub version: (u8, u8),
    /// The element type.
    pub dtype: DType,
    /// The byte order of the stored elements (native for one-byte dtypes).
    pub byte_order: ByteOrder,
    /// Whether the elements are stored in Fortran (column-major) order.
    pub fortran_order: bool,
    /// The array's shape.
    pub shape: Vec<usize>,
    /// Where the elements start: the length of magic, version, header
    /// length and header together.
    pub data_offset: u64,
}

impl Header {
    /// Number of elements.
    pub fn size(&self) -> usize {
        self.shape.iter().product()
    }

    /// Number of data bytes the shape needs. Never overflows: the parser
    /// rejects shapes whose byte count does not fit in `isize`.
    pub fn nbytes(&self) -> usize {
        self.size() * self.dtype.itemsize()
    }

    /// Whether the stored bytes must be swapped to be native.
    pub fn needs_byteswap(&self) -> bool {
        self.dtype.itemsize() > 1 && self.byte_order != ByteOrder::NATIVE
    }

    /// Element strides of the stored layout (C or Fortran order).
    pub fn strides(&self) -> Vec<isize> {
        if self.fortran_order { f_strides(&self.shape) } else { c_strides(&self.shape) }
    }
}

/// Where bytes come from, for error messages: a file, and the member of an
/// archive when the `.npy` is inside an `.npz`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Origin<'a> {
    pub path: Option<&'a Path>,
    pub member: Option<&'a str>,
}

impl Origin<'_> {
    /// A parse error at `offset` bytes from the start of the `.npy` data.
    pub(crate) fn err(&self, offset: u64, message: impl Into<String>) -> Error {
        let location = match self.member {
            Some(name) => Location::Member { name: name.to_string(), offset: Some(offset) },
            None => Location::Byte(offset),
        };
        Error::parse("npy", self.path, location, message)
    }

    /// An I/O error while reading. Inside an archive, a failing member stream
    /// (a corrupt deflate stream) is a parse error of that member.
    pub(crate) fn io(&self, offset: u64, e: io::Error) -> Error {
        match (self.member, self.path) {
            (Some(_), _) => self.err(offset, format!("cannot read the member's bytes: {e}")),
            (None, Some(p)) => Error::io(p, e),
            (None, None) => Error::io("<reader>", e),
        }
    }
}

/// Reads into `buf` until it is full or the input ends; returns how many
/// bytes were read.
pub(crate) fn fill<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Reads and parses a header from the start of `reader`.
///
/// `available`, when known, is how many bytes the input holds from here on
/// (the file size); it lets a lying header length be rejected before any
/// allocation.
pub(crate) fn read_header_from<R: Read + ?Sized>(
    reader: &mut R,
    available: Option<u64>,
    origin: &Origin,
) -> Result<Header> {
    let mut prefix = [0u8; 8];
    let got = fill(reader, &mut prefix).map_err(|e| origin.io(0, e))?;
    let seen = got.min(MAGIC.len());
    if let Some(i) = (0..seen).find(|&i| prefix[i] != MAGIC[i]) {
        return Err(origin.err(
            i as u64,
            format!(
                "not a .npy file: it must start with the magic string \\x93NUMPY, found {:?}",
                Escaped(&prefix[..seen])
            ),
        ));
    }
    if got < 8 {
        return Err(origin.err(got as u64, format!("the input ends after {got} bytes, before the format version")));
    }
    let version = (prefix[6], prefix[7]);
    let len_size = match version {
        (1, 0) => 2,
        (2, 0) | (3, 0) => 4,
        (major, minor) => {
            return Err(origin
                .err(6, format!("unsupported .npy format version {major}.{minor} (1.0, 2.0 and 3.0 are supported)")));
        }
    };
    let mut len_bytes = [0u8; 4];
    let got = fill(reader, &mut len_bytes[..len_size]).map_err(|e| origin.io(8, e))?;
    if got < len_size {
        return Err(origin.err(8 + got as u64, "the input ends inside the header length"));
    }
    let header_len = if len_size == 2 {
        u16::from_le_bytes([len_bytes[0], len_bytes[1]]) as usize
    } else {
        u32::from_le_bytes(len_bytes) as usize
    };
    let header_start = 8 + len_size as u64;
    let data_offset = header_start + header_len as u64;
    if header_len > MAX_HEADER_LEN {
        return Err(origin.err(8, format!("header length {header_len} exceeds the limit of {MAX_HEADER_LEN} bytes")));
    }
    if let Some(avail) = available
        && data_offset > avail
    {
        return Err(origin.err(
            avail,
            format!("the input ends after {avail} bytes, inside the header (which says it ends at byte {data_offset})"),
        ));
    }
    let mut text = Vec::new();
    Read::take(&mut *reader, header_len as u64).read_to_end(&mut text).map_err(|e| origin.io(header_start, e))?;
    if text.len() < header_len {
        return Err(origin.err(
            header_start + text.len() as u64,
            format!("the input ends inside the header ({} of its {header_len} bytes are present)", text.len()),
        ));
    }
    parse_header_text(&text, version, header_start, origin)
}

/// Parses the header dict `text` that starts at byte `base` of the file.
fn parse_header_text(text: &[u8], version: (u8, u8), base: u64, origin: &Origin) -> Result<Header> {
    let utf8 = version.0 >= 3;
    if utf8 && let Err(e) = std::str::from_utf8(text) {
        return Err(origin.err(base + e.valid_up_to() as u64, "a version 3.0 header must be valid UTF-8"));
    }
    let mut p = LiteralParser { s: text, pos: 0, base, origin, utf8, depth: 0 };
    p.skip_ws();
    let start = p.pos;
    let value = p.value()?;
    p.skip_ws();
    if p.pos < text.len() {
        return Err(p.err_here("unexpected text after the header dict"));
    }
    let Literal::Dict(items) = value else {
        return Err(origin.err(base + start as u64, format!("the header is not a dict but {}", value.kind())));
    };
    let (mut descr, mut fortran, mut shape) = (None, None, None);
    for (key_pos, key, value_pos, value) in items {
        let at = |pos: usize| base + pos as u64;
        let Literal::Str(key) = key else {
            return Err(origin.err(at(key_pos), format!("header keys must be strings, found {}", key.kind())));
        };
        let slot = match key.as_str() {
            "descr" => &mut descr,
            "fortran_order" => &mut fortran,
            "shape" => &mut shape,
            other => {
                return Err(origin.err(
                    at(key_pos),
                    format!(
                        "unexpected key {other:?}: the header must have exactly 'descr', 'fortran_order' and 'shape'"
                    ),
                ));
            }
        };
        if slot.is_some() {
            return Err(origin.err(at(key_pos), format!("the header repeats the key {key:?}")));
        }
        *slot = Some((value_pos, value));
    }
    let missing = |k: &str| origin.err(base, format!("the header has no {k:?} key"));
    let (descr_pos, descr) = descr.ok_or_else(|| missing("descr"))?;
    let (fortran_pos, fortran) = fortran.ok_or_else(|| missing("fortran_order"))?;
    let (shape_pos, shape) = shape.ok_or_else(|| missing("shape"))?;

    let (dtype, byte_order) = match descr {
        Literal::Str(s) => parse_descr(&s).map_err(|m| origin.err(base + descr_pos as u64, m))?,
        Literal::List(_) => {
            return Err(origin
                .err(base + descr_pos as u64, "structured dtypes (a list of fields in 'descr') are not supported"));
        }
        other => {
            return Err(origin.err(
                base + descr_pos as u64,
                format!("'descr' must be a dtype string such as '<f4', found {}", other.kind()),
            ));
        }
    };
    let Literal::Bool(fortran_order) = fortran else {
        return Err(origin.err(
            base + fortran_pos as u64,
            format!("'fortran_order' must be True or False, found {}", fortran.kind()),
        ));
    };
    let shape_at = base + shape_pos as u64;
    let Literal::Tuple(dims) = shape else {
        return Err(origin.err(shape_at, format!("'shape' must be a tuple of integers, found {}", shape.kind())));
    };
    let mut out = Vec::with_capacity(dims.len());
    for d in dims {
        match d {
            Literal::Int { negative: false, magnitude: Some(n) } if n <= usize::MAX as u64 => out.push(n as usize),
            Literal::Int { negative: false, .. } => {
                return Err(origin.err(shape_at, "'shape' has a dimension too large for this machine"));
            }
            Literal::Int { negative: true, .. } => {
                return Err(origin.err(shape_at, "'shape' has a negative dimension"));
            }
            other => {
                return Err(origin.err(shape_at, format!("'shape' must hold integers, found {}", other.kind())));
            }
        }
    }
    let fits = out
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .and_then(|n| n.checked_mul(dtype.itemsize()))
        .is_some_and(|b| b <= isize::MAX as usize);
    if !fits {
        return Err(origin.err(shape_at, format!("shape {out:?} of {dtype} is too large: its size in bytes overflows")));
    }
    Ok(Header { version, dtype, byte_order, fortran_order, shape: out, data_offset: base + text.len() as u64 })
}

/// Maps a NumPy dtype string (`'<f4'`, `'|b1'`, `'>i8'`) to a dtype and byte
/// order; the error says why other dtypes are refused.
fn parse_descr(descr: &str) -> std::result::Result<(DType, ByteOrder), String> {
    let (order, code) = match descr.as_bytes().first() {
        Some(b'<') => (ByteOrder::Little, &descr[1..]),
        Some(b'>') => (ByteOrder::Big, &descr[1..]),
        Some(b'|' | b'=') => (ByteOrder::NATIVE, &descr[1..]),
        _ => (ByteOrder::NATIVE, descr),
    };
    let dtype = match code {
        "b1" | "?" => DType::Bool,
        "i1" => DType::Int8,
        "i2" => DType::Int16,
        "i4" => DType::Int32,
        "i8" => DType::Int64,
        "u1" => DType::UInt8,
        "u2" => DType::UInt16,
        "u4" => DType::UInt32,
        "u8" => DType::UInt64,
        "f2" => DType::Float16,
        "f4" => DType::Float32,
        "f8" => DType::Float64,
        "c8" => DType::Complex64,
        "c16" => DType::Complex128,
        "O" | "O8" | "O4" => {
            return Err(format!(
                "object arrays ({descr:?}) hold pickled Python objects, which oxarray never unpickles"
            ));
        }
        _ => {
            let what = match code.as_bytes().first() {
                Some(b'V') => "raw void records (bfloat16 saved by ml_dtypes looks like '<V2'; use safetensors for it)",
                Some(b'U' | b'S' | b'a') => "strings",
                Some(b'M' | b'm') => "datetimes and timedeltas",
                _ if matches!(code, "f12" | "f16" | "c24" | "c32" | "g" | "G") => "extended-precision floats",
                _ => "an unknown dtype",
            };
            return Err(format!("unsupported dtype descr {descr:?}: {what}"));
        }
    };
    Ok((dtype, order))
}

/// A Python literal, as far as `.npy` headers use them.
enum Literal {
    Str(String),
    Bool(bool),
    None,
    /// An integer; `magnitude` is `None` when it does not fit in `u64`.
    Int {
        negative: bool,
        magnitude: Option<u64>,
    },
    Tuple(Vec<Literal>),
    /// A list; only recognised (a list `descr` is a structured dtype).
    List(#[allow(dead_code)] Vec<Literal>),
    /// `(key position, key, value position, value)`.
    Dict(Vec<(usize, Literal, usize, Literal)>),
}

impl Literal {
    fn kind(&self) -> &'static str {
        match self {
            Literal::Str(_) => "a string",
            Literal::Bool(_) => "a bool",
            Literal::None => "None",
            Literal::Int { .. } => "an integer",
            Literal::Tuple(_) => "a tuple",
            Literal::List(_) => "a list",
            Literal::Dict(_) => "a dict",
        }
    }
}

/// Nesting deeper than this is refused (headers nest two levels at most), so
/// hostile input cannot exhaust the stack.
const MAX_NESTING: usize = 32;

struct LiteralParser<'a> {
    s: &'a [u8],
    pos: usize,
    base: u64,
    origin: &'a Origin<'a>,
    utf8: bool,
    depth: usize,
}

impl LiteralParser<'_> {
    fn err_here(&self, message: impl Into<String>) -> Error {
        self.origin.err(self.base + self.pos as u64, message)
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    /// Skips whitespace, line continuations and comments, as Python's
    /// tokenizer does inside brackets.
    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => self.pos += 1,
                b'\\' if matches!(self.s.get(self.pos + 1), Some(b'\n')) => self.pos += 2,
                b'#' => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    fn value(&mut self) -> Result<Literal> {
        match self.peek() {
            None => Err(self.err_here("the header ends where a value was expected")),
            Some(b'{') => self.nested(b'}', true).map(|(items, _)| {
                Literal::Dict(
                    items.into_iter().map(|(kp, k, vp, v)| (kp, k, vp, v.expect("dict values present"))).collect(),
                )
            }),
            Some(b'(') => {
                let (items, trailing_comma) = self.sequence(b')')?;
                // `(3)` is the integer 3, not a tuple; `()` and `(3,)` are tuples.
                if items.len() == 1 && !trailing_comma {
                    Ok(items.into_iter().next().expect("one item"))
                } else {
                    Ok(Literal::Tuple(items))
                }
            }
            Some(b'[') => self.sequence(b']').map(|(items, _)| Literal::List(items)),
            Some(b'\'' | b'"') => self.string().map(Literal::Str),
            Some(b'-' | b'+' | b'0'..=b'9') => self.int(),
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
                    self.pos += 1;
                }
                match &self.s[start..self.pos] {
                    b"True" => Ok(Literal::Bool(true)),
                    b"False" => Ok(Literal::Bool(false)),
                    b"None" => Ok(Literal::None),
                    other => {
                        self.pos = start;
                        Err(self.err_here(format!(
                            "expected a literal, found the name {:?} (headers are never evaluated)",
                            String::from_utf8_lossy(other)
                        )))
                    }
                }
            }
            Some(c) => Err(self.err_here(format!("expected a literal, found {:?}", c as char))),
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.err_here(format!("literals nest deeper than {MAX_NESTING} levels")));
        }
        Ok(())
    }

    /// Parses `(a, b, …)` or `[a, b, …]`; returns the items and whether a
    /// comma followed the last one.
    fn sequence(&mut self, close: u8) -> Result<(Vec<Literal>, bool)> {
        let (items, trailing) = self.nested(close, false)?;
        Ok((items.into_iter().map(|(_, k, _, _)| k).collect(), trailing))
    }

    /// Parses a bracketed, comma-separated list of items (`key: value` pairs
    /// when `pairs`), with an optional trailing comma. The opening bracket is
    /// at the current position. Returns the items and whether a comma
    /// followed the last one.
    #[allow(clippy::type_complexity)]
    fn nested(&mut self, close: u8, pairs: bool) -> Result<(Vec<(usize, Literal, usize, Option<Literal>)>, bool)> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        let mut trailing = false;
        loop {
            self.skip_ws();
            if self.peek() == Some(close) {
                self.pos += 1;
                break;
            }
            let key_pos = self.pos;
            let key = self.value()?;
            let (mut value_pos, mut value) = (key_pos, None);
            if pairs {
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return Err(self.err_here("expected ':' after a dict key"));
                }
                self.pos += 1;
                self.skip_ws();
                value_pos = self.pos;
                value = Some(self.value()?);
            }
            items.push((key_pos, key, value_pos, value));
            self.skip_ws();
            trailing = false;
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    trailing = true;
                }
                Some(c) if c == close => {
                    self.pos += 1;
                    break;
                }
                None => return Err(self.err_here(format!("the header ends before the closing {:?}", close as char))),
                Some(c) => {
                    return Err(self.err_here(format!("expected ',' or {:?}, found {:?}", close as char, c as char)));
                }
            }
        }
        self.depth -= 1;
        Ok((items, trailing))
    }

    fn string(&mut self) -> Result<String> {
        let quote = self.s[self.pos];
        let start = self.pos;
        self.pos += 1;
        let mut bytes = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                self.pos = start;
                return Err(self.err_here("unterminated string"));
            };
            self.pos += 1;
            match c {
                _ if c == quote => break,
                b'\n' => {
                    self.pos = start;
                    return Err(self.err_here("unterminated string"));
                }
                b'\\' => {
                    let Some(e) = self.peek() else { continue };
                    self.pos += 1;
                    match e {
                        b'\\' | b'\'' | b'"' => bytes.push(e),
                        b'n' => bytes.push(b'\n'),
                        b't' => bytes.push(b'\t'),
                        b'r' => bytes.push(b'\r'),
                        b'0' => bytes.push(0),
                        _ => {
                            self.pos -= 2;
                            return Err(self.err_here("unsupported escape sequence in a string"));
                        }
                    }
                }
                _ => bytes.push(c),
            }
        }
        // Versions 1.0 and 2.0 are latin-1, 3.0 is UTF-8 (validated up front).
        Ok(if self.utf8 {
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            bytes.iter().map(|&b| b as char).collect()
        })
    }

    fn int(&mut self) -> Result<Literal> {
        let start = self.pos;
        let mut negative = false;
        if let Some(sign @ (b'-' | b'+')) = self.peek() {
            negative = sign == b'-';
            self.pos += 1;
        }
        let digits = self.pos;
        let mut magnitude = Some(0u64);
        while let Some(c @ b'0'..=b'9') = self.peek() {
            magnitude = magnitude.and_then(|m| m.checked_mul(10)).and_then(|m| m.checked_add(u64::from(c - b'0')));
            self.pos += 1;
        }
        if self.pos == digits {
            self.pos = start;
            return Err(self.err_here("expected an integer"));
        }
        // Python 2 wrote long integers as `3L`; NumPy still reads them.
        if matches!(self.peek(), Some(b'L' | b'l')) {
            self.pos += 1;
        }
        if self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'_') {
            return Err(self.err_here("only plain decimal integers are supported"));
        }
        Ok(Literal::Int { negative: negative && magnitude != Some(0), magnitude })
    }
}

/// Shows bytes as a Python bytes literal would.
struct Escaped<'a>(&'a [u8]);

impl std::fmt::Debug for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("b\"")?;
        for &b in self.0 {
            write!(f, "{}", std::ascii::escape_default(b))?;
        }
        f.write_str("\"")
    }
}

/// C-order element strides.
pub(crate) fn c_strides(shape: &[usize]) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut step = 1isize;
    for (s, &d) in strides.iter_mut().zip(shape).rev() {
        *s = step;
        step = step.wrapping_mul(d.max(1) as isize);
    }
    strides
}

/// Fortran-order element strides.
pub(crate) fn f_strides(shape: &[usize]) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut step = 1isize;
    for (s, &d) in strides.iter_mut().zip(shape) {
        *s = step;
        step = step.wrapping_mul(d.max(1) as isize);
    }
    strides
}

/// Reverses the bytes of every scalar in `bytes` (both halves of a complex
/// number separately).
pub(crate) fn byteswap(bytes: &mut [u8], dtype: DType) {
    let unit = if dtype.is_complex() { dtype.itemsize() / 2 } else { dtype.itemsize() };
    if unit > 1 {
        bytes.chunks_exact_mut(unit).for_each(<[u8]>::reverse);
    }
}

/// The offset of the first byte of a bool array that is neither 0 nor 1.
pub(crate) fn first_bad_bool(bytes: &[u8]) -> Option<(usize, u8)> {
    bytes.iter().position(|&b| b > 1).map(|i| (i, bytes[i]))
}

/// Reads the data that follows `header` from `reader` into a new array.
pub(crate) fn read_data<R: Read + ?Sized>(
    reader: &mut R,
    header: &Header,
    available: Option<u64>,
    origin: &Origin,
) -> Result<Array> {
    let nbytes = header.nbytes();
    let start = header.data_offset;
    let short = |have: u64| {
        origin.err(
            start + have,
            format!(
                "the data ends after {have} bytes, but shape {:?} of {} needs {nbytes}",
                header.shape, header.dtype
            ),
        )
    };
    if let Some(avail) = available {
        let have = avail.saturating_sub(start);
        if have < nbytes as u64 {
            return Err(short(have));
        }
    }
    let mut buffer = if available.is_some() || nbytes <= STREAM_PREALLOC {
        let mut b = Buffer::zeroed(nbytes)?;
        let got =
            fill(reader, b.as_bytes_mut().expect("fresh buffers are writable")).map_err(|e| origin.io(start, e))?;
        if got < nbytes {
            return Err(short(got as u64));
        }
        b
    } else {
        // Unknown length: let the allocation grow only as bytes arrive.
        let mut v = Vec::new();
        Read::take(&mut *reader, nbytes as u64).read_to_end(&mut v).map_err(|e| origin.io(start, e))?;
        if v.len() < nbytes {
            return Err(short(v.len() as u64));
        }
        Buffer::copy_from(&v)?
    };
    if header.needs_byteswap() {
        byteswap(buffer.as_bytes_mut().expect("fresh buffers are writable"), header.dtype);
    }
    if header.dtype == DType::Bool
        && let Some((i, b)) = first_bad_bool(buffer.as_bytes())
    {
        return Err(origin.err(start + i as u64, format!("bool data holds the byte {b}; only 0 and 1 are valid")));
    }
    Array::from_buffer(Arc::new(buffer), header.dtype, header.shape.clone(), header.strides(), 0)
}

/// Maps the data of an already parsed header, found at byte `file_offset`
/// of `file`, as an array. `available` is how many bytes of the file follow
/// `file_offset` (and belong to this array's container).
pub(crate) fn map_data(
    file: &File,
    header: &Header,
    file_offset: u64,
    available: u64,
    writable: bool,
    origin: &Origin,
    op: &'static str,
) -> Result<Array> {
    let nbytes = header.nbytes();
    let have = available.saturating_sub(header.data_offset);
    if have < nbytes as u64 {
        return Err(origin.err(
            header.data_offset + have,
            format!(
                "the data ends after {have} bytes, but shape {:?} of {} needs {nbytes}",
                header.shape, header.dtype
            ),
        ));
    }
    let where_ = || match (origin.path, origin.member) {
        (Some(p), Some(m)) => format!("{} (member {m:?})", p.display()),
        (Some(p), None) => p.display().to_string(),
        (None, Some(m)) => format!("member {m:?}"),
        (None, None) => "the input".to_string(),
    };
    if header.needs_byteswap() {
        return Err(Error::invalid(
            op,
            format!(
                "{}: the data is big-endian {}, which cannot be memory-mapped without copying on this \
                 little-endian machine; load it instead (loading byte-swaps into native order)",
                where_(),
                header.dtype
            ),
        ));
    }
    let data_at = file_offset + header.data_offset;
    if !data_at.is_multiple_of(header.dtype.alignment() as u64) {
        return Err(Error::invalid(
            op,
            format!(
                "{}: the data starts at byte {data_at}, which is not aligned to {} bytes as {} needs, so it \
                 cannot be memory-mapped; load it instead",
                where_(),
                header.dtype.alignment(),
                header.dtype
            ),
        ));
    }
    let buffer = Buffer::map_file(file, data_at, nbytes, writable).map_err(|e| match origin.path {
        Some(p) => Error::io(p, e),
        None => Error::io("<file>", e),
    })?;
    if header.dtype == DType::Bool
        && let Some((i, b)) = first_bad_bool(buffer.as_bytes())
    {
        return Err(
            origin.err(header.data_offset + i as u64, format!("bool data holds the byte {b}; only 0 and 1 are valid"))
        );
    }
    Array::from_buffer(Arc::new(buffer), header.dtype, header.shape.clone(), header.strides(), 0)
}

/// Reads the header at the start of `reader`, without the data.
///
/// The reader is left at the first data byte ([`Header::data_offset`]).
pub fn read_header<R: Read>(mut reader: R) -> Result<Header> {
    read_header_from(&mut reader, None, &Origin::default())
}

/// Reads a whole `.npy` stream (header and data) into a new array.
///
/// The length of a stream is not known in advance, so large arrays are read
/// into a growing buffer and copied once into aligned memory; prefer
/// [`load`] for files and [`from_bytes`] for bytes in memory. Bytes after the
/// data are left unread.
pub fn read_npy<R: Read>(mut reader: R) -> Result<Array> {
    let origin = Origin::default();
    let header = read_header_from(&mut reader, None, &origin)?;
    read_data(&mut reader, &header, None, &origin)
}

/// Parses a `.npy` file held in memory (copying the data once, into
/// aligned memory).
pub fn from_bytes(bytes: &[u8]) -> Result<Array> {
    let origin = Origin::default();
    let mut reader = bytes;
    let header = read_header_from(&mut reader, Some(bytes.len() as u64), &origin)?;
    read_data(&mut reader, &header, Some(bytes.len() as u64), &origin)
}

/// Loads a `.npy` file into memory.
pub fn load(path: impl AsRef<Path>) -> Result<Array> {
    let path = path.as_ref();
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let origin = Origin { path: Some(path), member: None };
    let header = read_header_from(&mut file, Some(len), &origin)?;
    read_data(&mut file, &header, Some(len), &origin)
}

/// Memory-maps a `.npy` file: the array views the file's bytes, so opening
/// costs the same for any file size and pages are read on first touch.
///
/// Read-only unless `writable`: writing through a read-only map copies the
/// array first (copy-on-write) and leaves the file untouched; with
/// `writable`, in-place writes go to the file (the file must be opened for
/// writing). Refused, with an error that says why, for big-endian data
/// (which would need a byte-swapping copy; use [`load`]) and for data not
/// aligned for its dtype (never the case for files NumPy or [`save`]
/// write). `bool` files are scanned once to check every byte is 0 or 1.
///
/// As with any memory map, another process truncating the file while it is
/// mapped makes later reads fault.
pub fn load_mmap(path: impl AsRef<Path>, writable: bool) -> Result<Array> {
    let path = path.as_ref();
    let file = OpenOptions::new().read(true).write(writable).open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let origin = Origin { path: Some(path), member: None };
    let header = read_header_from(&mut &file, Some(len), &origin)?;
    map_data(&file, &header, 0, len, writable, &origin, "npy::load_mmap")
}

/// The dtype string NumPy writes for `dtype` in native byte order.
fn descr(dtype: DType) -> Result<String> {
    let code = match dtype {
        DType::Bool => "b1",
        DType::Int8 => "i1",
        DType::Int16 => "i2",
        DType::Int32 => "i4",
        DType::Int64 => "i8",
        DType::UInt8 => "u1",
        DType::UInt16 => "u2",
        DType::UInt32 => "u4",
        DType::UInt64 => "u8",
        DType::Float16 => "f2",
        DType::Float32 => "f4",
        DType::Float64 => "f8",
        DType::Complex64 => "c8",
        DType::Complex128 => "c16",
        DType::BFloat16 => {
            return Err(Error::invalid(
                "npy::save",
                "bfloat16 has no NumPy dtype, so a .npy file cannot hold it (ml_dtypes would write opaque '<V2' \
                 records); save it with oxarray_io::safetensors, which has BF16, or cast it to float32 first",
            ));
        }
    };
    let order = if dtype.itemsize() == 1 {
        '|'
    } else if ByteOrder::NATIVE == ByteOrder::Little {
        '<'
    } else {
        '>'
    };
    Ok(format!("{order}{code}"))
}

/// The complete header (magic to final newline) NumPy would write for
/// `array`, and an array whose C-order bytes are the data to write after it:
/// `array` itself, or its transpose when it is written in Fortran order.
pub(crate) fn encode(array: &Array) -> Result<(Vec<u8>, Array)> {
    let descr = descr(array.dtype())?;
    let fortran = array.is_f_contiguous() && !array.is_c_contiguous();
    let data = if fortran { array.transpose() } else { array.clone() };
    let shape = array.shape();
    let mut dict = format!(
        "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {}, }}",
        if fortran { "True" } else { "False" },
        py_tuple(shape)
    );
    // NumPy leaves room for the growing axis to take 21 digits, so a writer
    // can append along it and rewrite the header in place.
    if let Some(&growth) = if fortran { shape.last() } else { shape.first() } {
        dict.extend(std::iter::repeat_n(' ', 21usize.saturating_sub(growth.to_string().len())));
    }
    let hlen = dict.len() + 1;
    let wrap = |len_size: usize| {
        let pad = 64 - (MAGIC.len() + 2 + len_size + hlen) % 64;
        hlen + pad
    };
    let (version, len_size, total) = if wrap(2) <= u16::MAX as usize { (1u8, 2, wrap(2)) } else { (2u8, 4, wrap(4)) };
    let mut out = Vec::with_capacity(MAGIC.len() + 2 + len_size + total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[version, 0]);
    if len_size == 2 {
        out.extend_from_slice(&(total as u16).to_le_bytes());
    } else {
        let total = u32::try_from(total).map_err(|_| Error::invalid("npy::save", "the header is too long"))?;
        out.extend_from_slice(&total.to_le_bytes());
    }
    out.extend_from_slice(dict.as_bytes());
    out.resize(out.len() + total - hlen, b' ');
    out.push(b'\n');
    Ok((out, data))
}

/// Python's `repr` of a tuple of integers.
fn py_tuple(shape: &[usize]) -> String {
    match shape {
        [] => "()".to_string(),
        [d] => format!("({d},)"),
        _ => format!("({})", shape.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")),
    }
}

fn write_to<W: Write + ?Sized>(writer: &mut W, array: &Array, err: impl Fn(io::Error) -> Error) -> Result<()> {
    let (header, data) = encode(array)?;
    writer.write_all(&header).map_err(&err)?;
    writer.write_all(&data.to_bytes()).map_err(&err)
}

/// Writes `array` as a `.npy` stream (see the module docs for the format
/// choices).
pub fn write_npy<W: Write>(mut writer: W, array: &Array) -> Result<()> {
    write_to(&mut writer, array, |e| Error::io(PathBuf::from("<writer>"), e))
}

/// The bytes of `array` as a `.npy` file.
pub fn to_bytes(array: &Array) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(128 + array.nbytes());
    write_to(&mut out, array, |e| Error::io(PathBuf::from("<memory>"), e))?;
    Ok(out)
}

/// Saves `array` to `path` as a `.npy` file, atomically: the file appears
/// complete or not at all. C- and Fortran-contiguous arrays are written
/// without copying. `bfloat16` is refused (see the module docs).
pub fn save(path: impl AsRef<Path>, array: &Array) -> Result<()> {
    let path = path.as_ref();
    descr(array.dtype())?;
    write_atomic(path, |w| write_to(w, array, io_err(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &str) -> Result<Header> {
        parse_header_text(text.as_bytes(), (1, 0), 10, &Origin::default())
    }

    #[test]
    fn parses_numpy_headers_and_variants() {
        let h = header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }          \n").unwrap();
        assert_eq!((h.dtype, h.fortran_order, h.shape.clone()), (DType::Float32, false, vec![2, 3]));
        let h = header("{\"shape\":(3,),'fortran_order':True,'descr':'>i8'}").unwrap();
        assert_eq!((h.dtype, h.byte_order, h.fortran_order, h.shape), (DType::Int64, ByteOrder::Big, true, vec![3]));
        let h = header("{'descr': '|b1', 'fortran_order': False, 'shape': (), }").unwrap();
        assert!(h.shape.is_empty());
        let h = header("{'descr': '<u2', 'fortran_order': False, 'shape': (3L, 4L), }").unwrap();
        assert_eq!(h.shape, vec![3, 4]);
        let h = header("{'descr': '<c16',\n 'fortran_order': False,\n 'shape': ( 0 , 5 , ) , } # note\n").unwrap();
        assert_eq!((h.dtype, h.shape), (DType::Complex128, vec![0, 5]));
    }

    #[test]
    fn rejects_bad_headers_with_reasons() {
        let cases = [
            ("[1, 2]", "not a dict"),
            ("{'descr': '<f4', 'fortran_order': False}", "no \"shape\""),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", "unexpected key"),
            ("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", "repeats"),
            ("{'descr': '|O', 'fortran_order': False, 'shape': (1,)}", "never unpickles"),
            ("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,)}", "structured"),
            ("{'descr': '<U3', 'fortran_order': False, 'shape': (1,)}", "strings"),
            ("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}", "True or False"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': [1]}", "tuple"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (3)}", "tuple"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", "negative"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "too large"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", "overflows"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} x", "after the header"),
            ("{'descr': __import__('os'), 'fortran_order': False, 'shape': (1,)}", "never evaluated"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)", "ends"),
            ("{'descr': '<f4", "unterminated"),
        ];
        for (text, want) in cases {
            let e = header(text).unwrap_err().to_string();
            assert!(e.contains(want), "{text}: {e}");
        }
        let deep = format!("{}{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(header(&deep).unwrap_err().to_string().contains("nest"));
    }

    #[test]
    fn writes_numpy_headers() {
        let a = Array::from_vec(vec![0f32; 6], &[2, 3]).unwrap();
        let (h, _) = encode(&a).unwrap();
        assert_eq!(h.len() % 64, 0);
        let text = std::str::from_utf8(&h[10..]).unwrap();
        assert!(text.starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), "{text}");
        assert!(text.ends_with(" \n"));
        assert_eq!(py_tuple(&[5]), "(5,)");
        assert_eq!(c_strides(&[2, 3, 4]), vec![12, 4, 1]);
        assert_eq!(f_strides(&[2, 3, 4]), vec![1, 2, 6]);
    }
}
