//! The one bridge from oxarray's errors to Python exceptions, and the one
//! helper every long call goes through: [`run`] releases the GIL while Rust
//! works and converts the error.

use oxarray::{Error, ErrorKind};
use pyo3::exceptions::{PyFileNotFoundError, PyIndexError, PyOSError, PyPermissionError, PyTypeError, PyValueError};
use pyo3::prelude::*;

/// The exception a NumPy user expects for `err`, with oxarray's message.
///
/// | oxarray | Python |
/// |---|---|
/// | index or axis out of bounds, too many indices | `IndexError` |
/// | dtype mismatch, unsupported or unknown dtype, cast not allowed | `TypeError` |
/// | file not found / permission denied / other I/O | `FileNotFoundError` / `PermissionError` / `OSError` |
/// | everything else (shapes, broadcasting, lossy casts, ragged lists, parse errors, bad arguments) | `ValueError` |
pub(crate) fn to_pyerr(err: Error) -> PyErr {
    let message = err.to_string();
    match err.kind() {
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
