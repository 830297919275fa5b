//! The one bridge from oxarray's errors to Python exceptions, and the one
//! helper every long call goes through: [`run`] releases the GIL while Rust
//! works and converts the error.

use oxarray::{Error, ErrorKind, Lossy};
use pyo3::exceptions::{
    PyFileNotFoundError, PyIndexError, PyOSError, PyOverflowError, PyPermissionError, PyTypeError, PyValueError,
};
use pyo3::prelude::*;

/// The exception a NumPy user expects for `err`, with oxarray's message.
///
/// | oxarray | Python |
/// |---|---|
/// | index or axis out of bounds, too many indices | `IndexError` |
/// | dtype mismatch, unsupported or unknown dtype, cast not allowed | `TypeError` |
/// | file not found / permission denied / other I/O | `FileNotFoundError` / `PermissionError` / `OSError` |
/// | a Python int beyond int64 and uint64 that does not fit (`int8_array + 2**64`) | `OverflowError` |
/// | everything else (shapes, broadcasting, lossy casts, ragged lists, parse errors, bad arguments) | `ValueError` |
///
/// The `OverflowError` row keeps what such an int always raised (and what
/// NumPy raises): before the core took weak scalars of up to 128 bits, the
/// binding refused them itself. An int within 64 bits that does not fit
/// stays the `ValueError` of any lossy conversion.
pub(crate) fn to_pyerr(err: Error) -> PyErr {
    let message = err.to_string();
    match err.kind() {
        ErrorKind::LossyCast { index, value, reason: Lossy::OutOfRange, .. }
            if index.is_empty() && beyond_64_bits(value) =>
        {
            PyOverflowError::new_err(message)
        }
        ErrorKind::IndexOutOfBounds { .. } | ErrorKind::TooManyIndices { .. } | ErrorKind::AxisOutOfBounds { .. } => {
            PyIndexError::new_err(message)
        }
        ErrorKind::DTypeMismatch { .. }
        | ErrorKind::UnsupportedDType { .. }
        | ErrorKind::UnknownDType { .. }
        | ErrorKind::CastNotAllowed { .. } => PyTypeError::new_err(message),
        ErrorKind::Io { source, .. } => match source.kind() {
            std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(message),
            std::io::ErrorKind::PermissionDenied => PyPermissionError::new_err(message),
            _ => PyOSError::new_err(message),
        },
        _ => PyValueError::new_err(message),
    }
}

/// Whether `value` (a lossy-cast error's formatted value) is an integer
/// that neither int64 nor uint64 holds.
fn beyond_64_bits(value: &str) -> bool {
    value.parse::<i128>().is_ok_and(|v| i64::try_from(v).is_err() && u64::try_from(v).is_err())
}

/// Runs `f` with the GIL released (other Python threads go on meanwhile)
/// and converts its error. `f` cannot touch Python objects: the compiler
/// checks that it captures only `Send` data.
pub(crate) fn run<T: Send>(py: Python<'_>, f: impl FnOnce() -> oxarray::Result<T> + Send) -> PyResult<T> {
    py.detach(f).map_err(to_pyerr)
}

/// Elements below which [`run_sized`] keeps the GIL: releasing and taking
/// it back costs more than the work itself for small arrays.
const DETACH_MIN: usize = 1 << 14;

/// [`run`] for work over `elements` elements: small work runs with the GIL
/// held, which saves the release and re-acquisition.
pub(crate) fn run_sized<T: Send>(
    py: Python<'_>,
    elements: usize,
    f: impl FnOnce() -> oxarray::Result<T> + Send,
) -> PyResult<T> {
    if elements < DETACH_MIN { f().map_err(to_pyerr) } else { run(py, f) }
}

/// Converts an oxarray result without releasing the GIL (for calls that
/// are O(1), such as building a view).
pub(crate) fn ok<T>(r: oxarray::Result<T>) -> PyResult<T> {
    r.map_err(to_pyerr)
}
