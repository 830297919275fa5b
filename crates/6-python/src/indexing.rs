//! `x[key]` and `x[key] = value`: integers, slices (any step, negative
//! too), `None` and `...` make views; writes go through copy-on-write.

use oxarray::Index;
use pyo3::exceptions::{PyIndexError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyList, PySlice, PyTuple};

use crate::array::{PyArray, as_array};
use crate::creation::to_array;
use crate::errors::{ok, run};
use crate::scalar::{PyScalar, with_scalar};

fn advanced() -> PyErr {
    PyTypeError::new_err(
        "integer-array and boolean-mask indexing are not supported yet; \
         use integers, slices, None and ... (basic indexing)",
    )
}

/// A slice bound: `None`, or an integer clamped to `isize` (Python's
/// slices accept any integer).
fn bound(obj: &Bound<'_, PyAny>) -> PyResult<Option<isize>> {
    if obj.is_none() {
        return Ok(None);
    }
    let v: i128 = obj.extract()?;
    Ok(Some(v.clamp(isize::MIN as i128, isize::MAX as i128) as isize))
}

fn parse_one(obj: &Bound<'_, PyAny>) -> PyResult<Index> {
    if obj.is_none() {
        return Ok(Index::NewAxis);
    }
    if obj.is(obj.py().Ellipsis()) {
        return Ok(Index::Ellipsis);
    }
    if let Ok(s) = obj.cast::<PySlice>() {
        let step = bound(&s.getattr("step")?)?.unwrap_or(1);
        return Ok(Index::slice(bound(&s.getattr("start")?)?, bound(&s.getattr("stop")?)?, step));
    }
    if obj.is_instance_of::<PyBool>() {
        return Err(advanced());
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(Index::Int(obj.extract()?));
    }
    if let Some(a) = as_array(obj) {
        if a.ndim() == 0 && a.dtype().is_integer() {
            return Ok(Index::Int(obj.call_method0("__index__")?.extract()?));
        }
        return Err(advanced());
    }
    // NumPy integer scalars (and 0-d integer arrays) are integers.
    if !obj.is_instance_of::<PyList>()
        && obj.hasattr("__index__")?
        && let Ok(i) = obj.call_method0("__index__").and_then(|i| i.extract())
    {
        return Ok(Index::Int(i));
    }
    if obj.is_instance_of::<PyList>() || obj.hasattr("__array_interface__")? || obj.hasattr("__dlpack__")? {
        return Err(advanced());
    }
    Err(PyIndexError::new_err("only integers, slices (`:`), ellipsis (`...`) and None (`newaxis`) are valid indices"))
}

/// The basic index a Python key stands for.
pub(crate) fn parse_key(key: &Bound<'_, PyAny>) -> PyResult<Vec<Index>> {
    match key.cast::<PyTuple>() {
        Ok(t) => t.iter().map(|k| parse_one(&k)).collect(),
        Err(_) => Ok(vec![parse_one(key)?]),
    }
}

#[pymethods]
impl PyArray {
    /// A view selected by a basic index; never copies. Integer indexing of
    /// every axis gives a 0-d array (as the Array API specifies).
    fn __getitem__(&self, key: &Bound<'_, PyAny>) -> PyResult<PyArray> {
        let index = parse_key(key)?;
        ok(self.array.slice(&index)).map(Into::into)
    }

    /// Writes `value` (broadcast) into the selected elements. Python
    /// scalars and lists are converted to the array's dtype with their
    /// values checked; arrays must cast safely. Other arrays that shared
    /// this array's memory keep their values (copy-on-write).
    fn __setitem__(&mut self, py: Python<'_>, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let index = parse_key(key)?;
        let target = &mut self.array;
        if let Some(s) = PyScalar::extract(value)? {
            return run(py, move || with_scalar!(s, v => target.fill_at(&index, v)));
        }
        let values_have_no_dtype = value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>();
        let src = to_array(value, values_have_no_dtype.then_some(target.dtype()), None)?;
        run(py, move || target.assign(&index, &src))
    }
}
