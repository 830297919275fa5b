//! The one bridge from oxarray's errors to Python exceptions, and the one
//! helper every long call goes through: [`run`] releases the GIL while Rust
//! works and converts the error.

use oxarray::{Error, ErrorKind, Lossy};
use pyo3::exceptions::{
    PyFileNotFoundError, PyIndexError, PyOSError, PyOverflowError, PyPermissionError, PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

/// The exception a NumPy user expects for `err`, with oxarray's message.
///
/// | oxarray | Python |
/// |---|---|
/// | index or axis out of bounds, too many indices | `IndexError` |
/// | dtype mismatch, unsupported or unknown dtype, cast not allowed | `TypeError` |
/// | file not found / permission denied / other I/O | `FileNotFoundError` / `PermissionError` / `OSError` |
/// | a value out of the target type's range (`uint8_array + 300`, `asarray([1, 300], dtype=uint8)`, `astype` of 1e40 to float32, of infinity to an integer) | `oxarray.OutOfRangeError`, both a `ValueError` and an `OverflowError` |
/// | everything else (shapes, broadcasting, other lossy casts, ragged lists, parse errors, bad arguments) | `ValueError` |
///
/// `OutOfRangeError` lets both kinds of `except` clause work: `ValueError`,
/// which oxarray raises for every conversion that would lose data, and
/// `OverflowError`, which NumPy (and Python's own int conversions) raise
/// for an integer out of bounds for its dtype.
pub(crate) fn to_pyerr(err: Error) -> PyErr {
    let message = err.to_string();
    match err.kind() {
        ErrorKind::LossyCast { reason: Lossy::OutOfRange | Lossy::Infinite, .. } => {
            Python::attach(|py| out_of_range(py, message))
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

/// `oxarray.OutOfRangeError`, made when the module is initialised.
static OUT_OF_RANGE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The docstring of `oxarray.OutOfRangeError`.
const OUT_OF_RANGE_DOC: &str = "A value does not fit the range of the dtype it is converted to \
(``uint8_array + 300``, ``ox.asarray([1, 300], dtype=ox.uint8)``). Both a ``ValueError`` (what \
oxarray raises for every conversion that would lose data) and an ``OverflowError`` (what NumPy \
raises for an integer out of bounds for its dtype), so either ``except`` clause catches it.";

/// An `oxarray.OutOfRangeError` with `message` (a value out of every dtype's
/// range that could hold it, or out of the one it is converted to).
pub(crate) fn out_of_range(py: Python<'_>, message: String) -> PyErr {
    match out_of_range_error(py) {
        Ok(class) => PyErr::from_type(class.clone(), message),
        Err(e) => e,
    }
}

/// The class `oxarray.OutOfRangeError`: a subclass of both `ValueError` and
/// `OverflowError` (Python allows it: neither adds instance layout).
pub(crate) fn out_of_range_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    let class = OUT_OF_RANGE.get_or_try_init(py, || {
        let bases = PyTuple::new(py, [py.get_type::<PyValueError>(), py.get_type::<PyOverflowError>()])?;
        let namespace = PyDict::new(py);
        namespace.set_item("__module__", "oxarray")?;
        namespace.set_item("__doc__", OUT_OF_RANGE_DOC)?;
        let class = py.get_type::<PyType>().call1(("OutOfRangeError", bases, namespace))?;
        Ok::<_, PyErr>(class.cast_into::<PyType>()?.unbind())
    })?;
    Ok(class.bind(py))
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
