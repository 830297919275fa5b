//! Array creation functions of the Array API (`asarray`, `zeros`, `ones`,
//! `full`, `empty`, their `_like` forms, `arange`, `linspace`, `eye`) and
//! the import of foreign arrays that `asarray` performs.

use oxarray::{Array, Casting, DType};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyInt, PyList, PyTuple};

use crate::array::{PyArray, as_array, to_shape};
use crate::buffer::{copy_required, from_array_interface, from_buffer_protocol};
use crate::dtype::to_dtype;
use crate::errors::{ok, run};
use crate::scalar::{PyScalar, with_scalar};

fn check_device(device: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    match device {
        Some(d) if !d.is_none() && d.str()?.to_cow()? != "cpu" => {
            Err(PyValueError::new_err(format!("unknown device {}; oxarray arrays live on \"cpu\"", d.repr()?)))
        }
        _ => Ok(()),
    }
}

fn opt_dtype(dtype: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DType>> {
    dtype.filter(|d| !d.is_none()).map(to_dtype).transpose()
}

/// Converts any array-like into an [`Array`], sharing memory where the
/// source allows (module docs of `buffer.rs` and `dlpack.rs`):
///
/// 1. an `ox.Array`: the same memory;
/// 2. a Python scalar or nested lists/tuples: a new array, dtype inferred;
/// 3. an object with the buffer protocol (NumPy arrays, `memoryview`,
///    `bytes`, `array.array`): its memory, read-only if it is;
/// 4. an object with `__array_interface__`: its memory;
/// 5. an object with `__dlpack__` (PyTorch, JAX): its memory.
///
/// `dtype` converts existing arrays only in the safe direction (a
/// `TypeError` otherwise) and checks every value of nested lists;
/// `copy=True` always copies, `copy=False` raises `ValueError` when a copy
/// is needed.
pub(crate) fn to_array(obj: &Bound<'_, PyAny>, dtype: Option<DType>, copy: Option<bool>) -> PyResult<Array> {
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() || PyScalar::extract(obj)?.is_some() {
        if copy == Some(false) {
            return Err(copy_required("Python lists and scalars are always copied into a new array"));
        }
        return crate::nested::from_nested(obj, dtype);
    }
    // A cast copies anyway: import without forcing a second copy.
    let import_copy = if dtype.is_some() && copy == Some(true) { None } else { copy };
    let imported = if let Some(a) = as_array(obj) {
        Some(if import_copy == Some(true) { a.copy() } else { a })
    } else if let Some(a) = from_buffer_protocol(obj, import_copy)? {
        Some(a)
    } else if let Some(a) = from_array_interface(obj, import_copy)? {
        Some(a)
    } else if obj.hasattr("__dlpack__")? {
        Some(crate::dlpack::import(obj, import_copy)?)
    } else {
        None
    };
    let Some(array) = imported else {
        if obj.hasattr("__array__")? {
            // Last resort, as NumPy does: ask the object for a NumPy array.
            return to_array(&obj.call_method0("__array__")?, dtype, copy);
        }
        return Err(PyTypeError::new_err(format!(
            "cannot convert {} to an oxarray array (expected an array, a nested list, a scalar, or an object with \
             the buffer protocol, __array_interface__ or __dlpack__)",
            obj.get_type().name()?
        )));
    };
    match dtype {
        Some(d) if d != array.dtype() => {
            if copy == Some(false) {
                return Err(copy_required(&format!("casting {} to {d} makes a new array", array.dtype())));
            }
            run(obj.py(), move || array.astype_with(d, Casting::Safe))
        }
        _ => Ok(array),
    }
}

/// `asarray(obj, /, dtype=None, *, device=None, copy=None)`.
#[pyfunction]
#[pyo3(signature = (obj, /, dtype = None, *, device = None, copy = None))]
pub(crate) fn asarray(
    obj: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    device: Option<&Bound<'_, PyAny>>,
    copy: Option<bool>,
) -> PyResult<PyArray> {
    check_device(device)?;
    to_array(obj, opt_dtype(dtype)?, copy).map(Into::into)
}

/// `zeros(shape, *, dtype=float64, device=None)`.
#[pyfunction]
#[pyo3(signature = (shape, *, dtype = None, device = None))]
pub(crate) fn zeros(
    py: Python<'_>,
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    device: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    check_device(device)?;
    let (shape, dtype) = (to_shape(shape)?, opt_dtype(dtype)?.unwrap_or(DType::Float64));
    run(py, move || Array::zeros(&shape, dtype)).map(Into::into)
}

/// `ones(shape, *, dtype=float64, device=None)`.
#[pyfunction]
#[pyo3(signature = (shape, *, dtype = None, device = None))]
pub(crate) fn ones(
    py: Python<'_>,
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    device: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    check_device(device)?;
    let (shape, dtype) = (to_shape(shape)?, opt_dtype(dtype)?.unwrap_or(DType::Float64));
    run(py, move || Array::ones(&shape, dtype)).map(Into::into)
}

/// `empty(shape, *, dtype=float64, device=None)`; the memory is zeroed.
#[pyfunction]
#[pyo3(signature = (shape, *, dtype = None, device = None))]
pub(crate) fn empty(
    py: Python<'_>,
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    device: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    check_device(device)?;
    let (shape, dtype) = (to_shape(shape)?, opt_dtype(dtype)?.unwrap_or(DType::Float64));
    run(py, move || Array::empty(&shape, dtype)).map(Into::into)
}

/// The Python scalar in `fill_value` (a Python scalar or a one-element array).
fn fill_scalar(fill_value: &Bound<'_, PyAny>) -> PyResult<PyScalar> {
    if let Some(s) = PyScalar::extract(fill_value)? {
        return Ok(s);
    }
    let a = to_array(fill_value, None, None)?;
    let item = crate::scalar::wide_to_py(fill_value.py(), ok(a.item_wide())?)?;
    PyScalar::extract(&item)?.ok_or_else(|| PyTypeError::new_err("fill_value must be a scalar"))
}

/// `full(shape, fill_value, *, dtype=None, device=None)`; the dtype
/// defaults to the fill value's (bool, int64, float64, complex128).
#[pyfunction]
#[pyo3(signature = (shape, fill_value, *, dtype = None, device = None))]
pub(crate) fn full(
    py: Python<'_>,
    shape: &Bound<'_, PyAny>,
    fill_value: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    device: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    check_device(device)?;
    let (shape, value) = (to_shape(shape)?, fill_scalar(fill_value)?);
    let dtype = opt_dtype(dtype)?.unwrap_or(value.default_dtype());
    run(py, move || with_scalar!(value, v => Array::full(&shape, v, dtype))).map(Into::into)
}

/// `zeros_like(x, /, *, dtype=None, device=None)` and friends: the shape
/// (and by default the dtype) of `x`.
fn like(x: &Bound<'_, PyAny>, dtype: Option<&Bound<'_, PyAny>>) -> PyResult<(Vec<usize>, DType)> {
    let a = to_array(x, None, None)?;
    Ok((a.shape().to_vec(), opt_dtype(dtype)?.unwrap_or(a.dtype())))
}

/// `zeros_like(x, /, *, dtype=None, device=None)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, dtype = None, device = None))]
pub(crate) fn zeros_like(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    device: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    check_device(device)?;
    let (shape, dtype) = like(x, dtype)?;
    run(py, move || Array::zeros(&shape, dtype)).map(Into::into)
}

/// `ones_like(x, /, *, dtype=None, device=None)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, dtype = None, device = None))]
pub(crate) fn ones_like(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    device: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    check_device(device)?;
    let (shape, dtype) = like(x, dtype)?;
    run(py, move || Array::ones(&shape, dtype)).map(Into::into)
}

/// `empty_like(x, /, *, dtype=None, device=None)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, dtype = None, device = None))]
pub(crate) fn empty_like(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    device: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    check_device(device)?;
    let (shape, dtype) = like(x, dtype)?;
    run(py, move || Array::empty(&shape, dtype)).map(Into::into)
}

/// `full_like(x, /, fill_value, *, dtype=None, device=None)`.
#[pyfunction]
#[pyo3(signature = (x, /, fill_value, *, dtype = None, device = None))]
pub(crate) fn full_like(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    fill_value: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    device: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    check_device(device)?;
    let ((shape, dtype), value) = (like(x, dtype)?, fill_scalar(fill_value)?);
    run(py, move || with_scalar!(value, v => Array::full(&shape, v, dtype))).map(Into::into)
}

/// `arange(start, /, stop=None, step=1, *, dtype=None, device=None)`:
/// integers (exact, int64 by default) when every bound is an `int`,
/// float64 otherwise.
#[pyfunction]
#[pyo3(signature = (start, /, stop = None, step = None, *, dtype = None, device = None))]
pub(crate) fn arange(
    py: Python<'_>,
    start: &Bound<'_, PyAny>,
    stop: Option<&Bound<'_, PyAny>>,
    step: Option<&Bound<'_, PyAny>>,
    dtype: Option<&Bound<'_, PyAny>>,
    device: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    check_device(device)?;
    let dtype = opt_dtype(dtype)?;
    let (start, stop) = match stop.filter(|s| !s.is_none()) {
        Some(stop) => (start.clone(), stop.clone()),
        None => (PyInt::new(py, 0).into_any(), start.clone()),
    };
    let step = step.filter(|s| !s.is_none()).cloned().unwrap_or_else(|| PyInt::new(py, 1).into_any());
    let all_int = [&start, &stop, &step].iter().all(|v| v.is_instance_of::<PyInt>());
    if all_int && dtype.is_none_or(|d| d.is_integer()) {
        let (a, b, s): (i128, i128, i128) = (start.extract()?, stop.extract()?, step.extract()?);
        let d = dtype.unwrap_or(DType::Int64);
        return run(py, move || Array::arange_int(a, b, s, d)).map(Into::into);
    }
    let (a, b, s): (f64, f64, f64) = (start.extract()?, stop.extract()?, step.extract()?);
    let d = dtype.unwrap_or(if all_int { DType::Int64 } else { DType::Float64 });
    run(py, move || Array::arange(a, b, s, d)).map(Into::into)
}

/// `linspace(start, stop, /, num=50, *, dtype=float64, device=None, endpoint=True)`.
#[pyfunction]
#[pyo3(signature = (start, stop, /, num = 50, *, dtype = None, device = None, endpoint = true))]
pub(crate) fn linspace(
    py: Python<'_>,
    start: f64,
    stop: f64,
    num: usize,
    dtype: Option<&Bound<'_, PyAny>>,
    device: Option<&Bound<'_, PyAny>>,
    endpoint: bool,
) -> PyResult<PyArray> {
    check_device(device)?;
    let dtype = opt_dtype(dtype)?.unwrap_or(DType::Float64);
    run(py, move || Array::linspace(start, stop, num, endpoint, dtype)).map(Into::into)
}

/// `eye(n_rows, n_cols=None, /, *, k=0, dtype=float64, device=None)`.
#[pyfunction]
#[pyo3(signature = (n_rows, n_cols = None, /, *, k = 0, dtype = None, device = None))]
pub(crate) fn eye(
    py: Python<'_>,
    n_rows: usize,
    n_cols: Option<usize>,
    k: isize,
    dtype: Option<&Bound<'_, PyAny>>,
    device: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    check_device(device)?;
    let dtype = opt_dtype(dtype)?.unwrap_or(DType::Float64);
    run(py, move || Array::eye(n_rows, n_cols, k, dtype)).map(Into::into)
}

/// Adds the creation functions to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(asarray, m)?)?;
    m.add_function(wrap_pyfunction!(crate::dlpack::from_dlpack, m)?)?;
    m.add_function(wrap_pyfunction!(zeros, m)?)?;
    m.add_function(wrap_pyfunction!(ones, m)?)?;
    m.add_function(wrap_pyfunction!(empty, m)?)?;
    m.add_function(wrap_pyfunction!(full, m)?)?;
    m.add_function(wrap_pyfunction!(zeros_like, m)?)?;
    m.add_function(wrap_pyfunction!(ones_like, m)?)?;
    m.add_function(wrap_pyfunction!(empty_like, m)?)?;
    m.add_function(wrap_pyfunction!(full_like, m)?)?;
    m.add_function(wrap_pyfunction!(arange, m)?)?;
    m.add_function(wrap_pyfunction!(linspace, m)?)?;
    m.add_function(wrap_pyfunction!(eye, m)?)?;
    Ok(())
}
