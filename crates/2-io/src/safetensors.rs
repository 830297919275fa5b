//! Hugging Face's safetensors format: named tensors behind a JSON header.
//!
//! A file is an 8-byte little-endian header length `N`, `N` bytes of JSON
//! (`{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin,
//! end]}, …, "__metadata__": {"key": "value"}}`), then the tensors' bytes,
//! little-endian and in C order, with offsets counted from the end of the
//! header.
//!
//! ```
//! use std::collections::BTreeMap;
//! use oxarray_core::{bf16, Array};
//! use oxarray_io::safetensors::{self, SafeTensors};
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("model.safetensors");
//! let w = Array::from_vec(vec![bf16::from_f32(0.5); 6], &[2, 3])?;
//! let b = Array::from_vec(vec![1.0f32, 2.0], &[2])?;
//! let meta = BTreeMap::from([("format".to_string(), "pt".to_string())]);
//! safetensors::save_safetensors(&path, &[("weight", &w), ("bias", &b)], &meta)?;
//!
//! let file = SafeTensors::open(&path)?;          // maps the file; reads the header only
//! assert_eq!(file.names(), vec!["bias", "weight"]);
//! let weight = file.get("weight")?;              // a view into the map: no copy
//! assert!(weight.buffer().is_mapped());
//! assert_eq!(file.metadata()["format"], "pt");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Behaviour
//!
//! - **Dtypes**: `BOOL`, `U8`…`U64`, `I8`…`I64`, `F16`, `BF16`, `F32`,
//!   `F64` and `C64` (complex64) are read and written. The format has no
//!   complex128, so saving one is refused; the 8-, 6- and 4-bit float dtypes
//!   (`F8_E4M3`, `F8_E5M2`, `F8_E8M0`, `F6_E2M3`, `F6_E3M2`, `F4`) have no
//!   oxarray dtype, and reading them is an error that names them.
//! - **Zero-copy**: [`SafeTensors::open`] maps the whole file once; every
//!   tensor from [`SafeTensors::get`] is an array view into that one shared,
//!   read-only map (writing to such an array copies it first). A tensor
//!   whose data is not aligned for its dtype (possible only in files from
//!   other writers: the reference writer pads the header to 8 bytes and
//!   orders tensors by decreasing alignment) is copied into aligned memory
//!   instead, because arrays must be aligned.
//! - **Validation**, as the reference implementation does it: the header
//!   length must fit the file and at most [`MAX_HEADER_LEN`] bytes; the
//!   header must be UTF-8 JSON; each tensor's byte range must match its
//!   dtype and shape (without overflow), the ranges must tile the data with
//!   no gap or overlap, and the last must end exactly at the end of the
//!   file. `__metadata__` must map strings to strings. Unknown fields are
//!   ignored. `BOOL` tensors must hold only bytes 0 and 1 (checked when the
//!   tensor is read). Errors are [`ErrorKind::Parse`] with format
//!   `"safetensors"` and the byte offset; tensor errors name the tensor.
//! - **Writing** ([`save_safetensors`]) is atomic and byte-for-byte what
//!   the reference writer produces: tensors ordered by decreasing dtype
//!   alignment then name, the JSON header padded with spaces to a multiple
//!   of 8 bytes, `__metadata__` first (omitted when empty).
//!
//! [`ErrorKind::Parse`]: oxarray_core::ErrorKind::Parse

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use oxarray_core::{Array, Buffer, DType, Error, Location, Result};
use serde_json::Value;

use crate::atomic::{io_err, write_atomic};
use crate::npy::{byteswap, c_strides, first_bad_bool};

/// The `__metadata__` of a file: free-form string pairs.
pub type Metadata = BTreeMap<String, String>;

/// The longest JSON header accepted, as in the reference implementation.
pub const MAX_HEADER_LEN: u64 = 100_000_000;

/// The description of one tensor in a file's header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TensorInfo {
    /// The tensor's name.
    pub name: String,
    /// Its element type.
    pub dtype: DType,
    /// Its shape.
    pub shape: Vec<usize>,
    /// Its bytes, `[begin, end)`, counted from the end of the header.
    pub data_offsets: (usize, usize),
}

/// An open safetensors file: the parsed header and the file's bytes (a
/// memory map, or a copy for [`SafeTensors::from_bytes`]). Tensors are
/// made into arrays on demand.
pub struct SafeTensors {
    bytes: Arc<Buffer>,
    data_start: usize,
    tensors: Vec<TensorInfo>,
    index: HashMap<String, usize>,
    metadata: BTreeMap<String, String>,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for SafeTensors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafeTensors")
            .field("path", &self.path)
            .field("tensors", &self.tensors)
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl SafeTensors {
    /// Maps a file read-only and parses its header. The cost does not grow
    /// with the size of the tensors, which are paged in when first touched.
    pub fn open(path: impl AsRef<Path>) -> Result<SafeTensors> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        let len = usize::try_from(len).map_err(|_| Error::io(path, std::io::Error::other("file too large to map")))?;
        check_prefix(len, None, Some(path))?;
        let bytes = Buffer::map_file(&file, 0, len, false).map_err(|e| Error::io(path, e))?;
        SafeTensors::parse(Arc::new(bytes), Some(path.to_path_buf()))
    }

    /// Parses a file held in memory, copying it once into aligned memory
    /// that every tensor then views.
    pub fn from_bytes(bytes: &[u8]) -> Result<SafeTensors> {
        check_prefix(bytes.len(), Some(bytes), None)?;
        SafeTensors::parse(Arc::new(Buffer::copy_from(bytes)?), None)
    }

    fn parse(bytes: Arc<Buffer>, path: Option<PathBuf>) -> Result<SafeTensors> {
        let (tensors, metadata, data_start) = parse_header(bytes.as_bytes(), path.as_deref())?;
        let index = tensors.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
        Ok(SafeTensors { bytes, data_start, tensors, index, metadata, path })
    }

    /// The tensors' names, in the order of their data in the file.
    pub fn names(&self) -> Vec<&str> {
        self.tensors.iter().map(|t| t.name.as_str()).collect()
    }

    /// The header's description of every tensor, in file order.
    pub fn tensors(&self) -> &[TensorInfo] {
        &self.tensors
    }

    /// The header's description of tensor `name`.
    pub fn info(&self, name: &str) -> Option<&TensorInfo> {
        self.index.get(name).map(|&i| &self.tensors[i])
    }

    /// Number of tensors.
    pub fn len(&self) -> usize {
        self.tensors.len()
    }

    /// Whether the file holds no tensor.
    pub fn is_empty(&self) -> bool {
        self.tensors.is_empty()
    }

    /// The `__metadata__` string map (empty if the file has none).
    pub fn metadata(&self) -> &BTreeMap<String, String> {
        &self.metadata
    }

    /// Whether the tensors view a memory-mapped file.
    pub fn is_mapped(&self) -> bool {
        self.bytes.is_mapped()
    }

    /// Tensor `name` as an array: a view into the file's bytes when its
    /// data is aligned for its dtype, an aligned copy otherwise.
    pub fn get(&self, name: &str) -> Result<Array> {
        let Some(&i) = self.index.get(name) else {
            return Err(Error::invalid(
                "safetensors",
                format!("no tensor {name:?} in the file (it holds {:?})", self.names()),
            ));
        };
        let t = &self.tensors[i];
        let start = self.data_start + t.data_offsets.0;
        let bytes = &self.bytes.as_bytes()[start..self.data_start + t.data_offsets.1];
        if t.dtype == DType::Bool
            && let Some((at, b)) = first_bad_bool(bytes)
        {
            return Err(Error::parse(
                "safetensors",
                self.path.as_deref(),
                Location::Byte((start + at) as u64),
                format!("tensor {:?}: BOOL data holds the byte {b}; only 0 and 1 are valid", t.name),
            ));
        }
        let itemsize = t.dtype.itemsize();
        let strides = c_strides(&t.shape);
        let aligned = (self.bytes.as_ptr() as usize + start).is_multiple_of(itemsize);
        if cfg!(target_endian = "little") && aligned && start.is_multiple_of(itemsize) {
            Array::from_buffer(self.bytes.clone(), t.dtype, t.shape.clone(), strides, start / itemsize)
        } else {
            let mut copy = Buffer::copy_from(bytes)?;
            if cfg!(target_endian = "big") {
                byteswap(copy.as_bytes_mut().expect("fresh buffers are writable"), t.dtype);
            }
            Array::from_buffer(Arc::new(copy), t.dtype, t.shape.clone(), strides, 0)
        }
    }

    /// Every tensor, in file order.
    pub fn arrays(&self) -> Result<Vec<(String, Array)>> {
        self.tensors.iter().map(|t| Ok((t.name.clone(), self.get(&t.name)?))).collect()
    }
}

/// Reads every tensor of a file (as views into one shared memory map) and
/// its metadata.
pub fn load_safetensors(path: impl AsRef<Path>) -> Result<(Vec<(String, Array)>, Metadata)> {
    let file = SafeTensors::open(path)?;
    Ok((file.arrays()?, file.metadata.clone()))
}

fn parse_err(path: Option<&Path>, offset: u64, message: impl Into<String>) -> Error {
    Error::parse("safetensors", path, Location::Byte(offset), message)
}

/// Checks the length prefix against the input's length before anything is
/// mapped or copied.
fn check_prefix(len: usize, bytes: Option<&[u8]>, path: Option<&Path>) -> Result<()> {
    if len < 8 {
        return Err(parse_err(path, len as u64, format!("the input is {len} bytes, too short for the header length")));
    }
    if let Some(bytes) = bytes {
        header_len(bytes, path)?;
    }
    Ok(())
}

/// The header length, checked against the limit and the input's length.
fn header_len(bytes: &[u8], path: Option<&Path>) -> Result<usize> {
    let n = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
    if n > MAX_HEADER_LEN {
        return Err(parse_err(path, 0, format!("header length {n} exceeds the limit of {MAX_HEADER_LEN} bytes")));
    }
    if n > (bytes.len() - 8) as u64 {
        return Err(parse_err(
            path,
            0,
            format!("header length {n} runs past the end of the {}-byte input", bytes.len()),
        ));
    }
    Ok(n as usize)
}

/// Parses and validates the header of the whole file `bytes`; returns the
/// tensors sorted by offset, the metadata and where the data starts.
fn parse_header(bytes: &[u8], path: Option<&Path>) -> Result<(Vec<TensorInfo>, Metadata, usize)> {
    let n = header_len(bytes, path)?;
    let text = &bytes[8..8 + n];
    let text = std::str::from_utf8(text)
        .map_err(|e| parse_err(path, 8 + e.valid_up_to() as u64, "the header is not valid UTF-8"))?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let line_start: usize = text.split_inclusive('\n').take(e.line().saturating_sub(1)).map(str::len).sum();
        let at = 8 + line_start + e.column().saturating_sub(1);
        parse_err(path, at as u64, format!("the header is not valid JSON: {e}"))
    })?;
    let Value::Object(map) = value else {
        return Err(parse_err(path, 8, "the header is not a JSON object"));
    };
    let mut metadata = BTreeMap::new();
    let mut tensors = Vec::with_capacity(map.len());
    for (name, v) in map {
        let bad = |what: String| parse_err(path, 8, format!("tensor {name:?}: {what}"));
        if name == "__metadata__" {
            let Value::Object(m) = v else {
                return Err(parse_err(path, 8, "__metadata__ must be an object of strings"));
            };
            for (k, v) in m {
                let Value::String(s) = v else {
                    return Err(parse_err(path, 8, format!("__metadata__ value of {k:?} is not a string")));
                };
                metadata.insert(k, s);
            }
            continue;
        }
        let Value::Object(fields) = &v else {
            return Err(bad("its entry is not an object".into()));
        };
        let dtype = match fields.get("dtype") {
            Some(Value::String(code)) => dtype_from_code(code).map_err(bad)?,
            Some(_) => return Err(bad("\"dtype\" is not a string".into())),
            None => return Err(bad("no \"dtype\"".into())),
        };
        let usizes = |key: &str| -> Result<Vec<usize>> {
            let Some(Value::Array(items)) = fields.get(key) else {
                return Err(bad(format!("{key:?} is missing or not an array")));
            };
            items
                .iter()
                .map(|x| x.as_u64().and_then(|u| usize::try_from(u).ok()))
                .collect::<Option<Vec<usize>>>()
                .ok_or_else(|| bad(format!("{key:?} must hold non-negative integers")))
        };
        let shape = usizes("shape")?;
        let offsets = usizes("data_offsets")?;
        let [begin, end] = offsets[..] else {
            return Err(bad("\"data_offsets\" must be [begin, end]".into()));
        };
        tensors.push(TensorInfo { name, dtype, shape, data_offsets: (begin, end) });
    }
    tensors.sort_by_key(|t| t.data_offsets);
    let data_start = 8 + n;
    let data_len = bytes.len() - data_start;
    let mut expected = 0usize;
    for t in &tensors {
        let (begin, end) = t.data_offsets;
        let at = (data_start + begin.min(data_len)) as u64;
        if begin != expected || end < begin {
            let what = if begin > expected { "leaves a gap before it" } else { "overlaps the tensor before it" };
            let what = if end < begin { "ends before it begins" } else { what };
            return Err(parse_err(
                path,
                at,
                format!(
                    "tensor {:?}: data_offsets [{begin}, {end}] {what} (expected it to begin at {expected})",
                    t.name
                ),
            ));
        }
        let nbytes = t.shape.iter().try_fold(t.dtype.itemsize(), |acc, &d| acc.checked_mul(d));
        let Some(nbytes) = nbytes.filter(|&b| b <= isize::MAX as usize) else {
            return Err(parse_err(
                path,
                at,
                format!("tensor {:?}: shape {:?} is too large: its size overflows", t.name, t.shape),
            ));
        };
        if end - begin != nbytes {
            return Err(parse_err(
                path,
                at,
                format!(
                    "tensor {:?}: data_offsets [{begin}, {end}] span {} bytes, but shape {:?} of {} needs {nbytes}",
                    t.name,
                    end - begin,
                    t.shape,
                    t.dtype
                ),
            ));
        }
        expected = end;
    }
    if expected != data_len {
        return Err(parse_err(
            path,
            (data_start + expected.min(data_len)) as u64,
            format!("the tensors cover {expected} bytes of data, but the file holds {data_len} after the header"),
        ));
    }
    Ok((tensors, metadata, data_start))
}

/// The oxarray dtype of a safetensors dtype code.
fn dtype_from_code(code: &str) -> std::result::Result<DType, String> {
    Ok(match code {
        "BOOL" => DType::Bool,
        "U8" => DType::UInt8,
        "I8" => DType::Int8,
        "U16" => DType::UInt16,
        "I16" => DType::Int16,
        "U32" => DType::UInt32,
        "I32" => DType::Int32,
        "U64" => DType::UInt64,
        "I64" => DType::Int64,
        "F16" => DType::Float16,
        "BF16" => DType::BFloat16,
        "F32" => DType::Float32,
        "F64" => DType::Float64,
        "C64" => DType::Complex64,
        "F8_E5M2" | "F8_E4M3" | "F8_E8M0" | "F6_E2M3" | "F6_E3M2" | "F4" => {
            return Err(format!("dtype {code} (a float of fewer than 16 bits) is not supported by oxarray"));
        }
        _ => return Err(format!("unknown dtype {code:?}")),
    })
}

/// The safetensors code of `dtype` and its rank in the reference writer's
/// dtype order (the writer puts higher ranks first).
fn code_and_rank(dtype: DType) -> Result<(&'static str, u8)> {
    Ok(match dtype {
        DType::Bool => ("BOOL", 0),
        DType::UInt8 => ("U8", 4),
        DType::Int8 => ("I8", 5),
        DType::Int16 => ("I16", 9),
        DType::UInt16 => ("U16", 10),
        DType::Float16 => ("F16", 11),
        DType::BFloat16 => ("BF16", 12),
        DType::Int32 => ("I32", 13),
        DType::UInt32 => ("U32", 14),
        DType::Float32 => ("F32", 15),
        DType::Complex64 => ("C64", 16),
        DType::Float64 => ("F64", 17),
        DType::Int64 => ("I64", 18),
        DType::UInt64 => ("U64", 19),
        DType::Complex128 => {
            return Err(Error::invalid(
                "safetensors",
                "complex128 has no safetensors dtype (the format has C64 only); cast to complex64, or save it as .npy",
            ));
        }
    })
}

/// The header (length prefix included) and the order to write the tensors in.
fn prepare(tensors: &[(&str, &Array)], metadata: &BTreeMap<String, String>) -> Result<(Vec<u8>, Vec<usize>)> {
    let mut order: Vec<(u8, usize)> = Vec::with_capacity(tensors.len());
    let mut seen = std::collections::HashSet::new();
    for (i, (name, array)) in tensors.iter().enumerate() {
        if *name == "__metadata__" || !seen.insert(*name) {
            return Err(Error::invalid("safetensors", format!("the tensor name {name:?} is reserved or given twice")));
        }
        order.push((code_and_rank(array.dtype())?.1, i));
    }
    order.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| tensors[a.1].0.cmp(tensors[b.1].0)));
    let json = |s: &str| serde_json::to_string(s).expect("strings always serialize");
    let mut header = String::from("{");
    if !metadata.is_empty() {
        header.push_str("\"__metadata__\":{");
        let entries: Vec<String> = metadata.iter().map(|(k, v)| format!("{}:{}", json(k), json(v))).collect();
        header.push_str(&entries.join(","));
        header.push('}');
    }
    let mut offset = 0usize;
    for (n, &(_, i)) in order.iter().enumerate() {
        let (name, array) = tensors[i];
        if n > 0 || !metadata.is_empty() {
            header.push(',');
        }
        let shape: Vec<String> = array.shape().iter().map(usize::to_string).collect();
        let end = offset + array.nbytes();
        header.push_str(&format!(
            "{}:{{\"dtype\":\"{}\",\"shape\":[{}],\"data_offsets\":[{offset},{end}]}}",
            json(name),
            code_and_rank(array.dtype())?.0,
            shape.join(",")
        ));
        offset = end;
    }
    header.push('}');
    while !header.len().is_multiple_of(8) {
        header.push(' ');
    }
    let mut out = Vec::with_capacity(8 + header.len());
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    Ok((out, order.into_iter().map(|(_, i)| i).collect()))
}

/// An array's bytes in C order and little-endian byte order.
fn le_bytes(array: &Array) -> Cow<'_, [u8]> {
    let bytes = array.to_bytes();
    if cfg!(target_endian = "big") {
        let mut owned = bytes.into_owned();
        byteswap(&mut owned, array.dtype());
        Cow::Owned(owned)
    } else {
        bytes
    }
}

fn write_to<W: Write + ?Sized>(
    w: &mut W,
    tensors: &[(&str, &Array)],
    metadata: &BTreeMap<String, String>,
    err: impl Fn(std::io::Error) -> Error,
) -> Result<()> {
    let (header, order) = prepare(tensors, metadata)?;
    w.write_all(&header).map_err(&err)?;
    for i in order {
        w.write_all(&le_bytes(tensors[i].1)).map_err(&err)?;
    }
    Ok(())
}

/// Writes tensors and metadata in the safetensors format.
pub fn write_safetensors<W: Write>(
    mut writer: W,
    tensors: &[(&str, &Array)],
    metadata: &BTreeMap<String, String>,
) -> Result<()> {
    write_to(&mut writer, tensors, metadata, |e| Error::io("<writer>", e))
}

/// The bytes of a safetensors file holding `tensors` and `metadata`.
pub fn to_bytes(tensors: &[(&str, &Array)], metadata: &BTreeMap<String, String>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    write_to(&mut out, tensors, metadata, |e| Error::io("<memory>", e))?;
    Ok(out)
}

/// Saves tensors and metadata to `path`, atomically. Any layout is
/// accepted (non-contiguous arrays are written in C order); `complex128`
/// is refused, the format having no such dtype.
pub fn save_safetensors(
    path: impl AsRef<Path>,
    tensors: &[(&str, &Array)],
    metadata: &BTreeMap<String, String>,
) -> Result<()> {
    let path = path.as_ref();
    prepare(tensors, metadata)?;
    write_atomic(path, |w| write_to(w, tensors, metadata, io_err(path)))
}
