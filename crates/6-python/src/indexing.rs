//! `x[key]` and `x[key] = value`: integers, slices (any step, negative
//! too), `None` and `...` make views; writes go through copy-on-write.

use oxarray::{Array, DType, Index};
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
    fn __getitem__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<PyArray> {
        if let Some(adv) = advanced_key(key)? {
            let a = self.array.clone();
            return match adv {
                Advanced::Mask(m) => run(py, move || a.mask(&m)).map(Into::into),
                Advanced::Take { basic, indices, axis } => {
                    run(py, move || a.slice(&basic)?.take(&indices, Some(axis as isize))).map(Into::into)
                }
            };
        }
        let index = parse_key(key)?;
        ok(self.array.slice(&index)).map(Into::into)
    }

    /// Writes `value` (broadcast) into the selected elements. Python
    /// scalars and lists are converted to the array's dtype with their
    /// values checked; arrays must cast safely. Other arrays that shared
    /// this array's memory keep their values (copy-on-write).
    fn __setitem__(&mut self, py: Python<'_>, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        if let Some(adv) = advanced_key(key)? {
            let Advanced::Mask(m) = adv else {
                return Err(PyTypeError::new_err(
                    "assignment through integer-array indices is not supported; use a boolean mask or basic indices",
                ));
            };
            let dtype = self.array.dtype();
            let src = match PyScalar::extract(value)? {
                Some(s) => ok(s.to_array(dtype))?,
                None => {
                    let untyped = value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>();
                    to_array(value, untyped.then_some(dtype), None)?
                }
            };
            let target = &mut self.array;
            return run(py, move || assign_masked(target, &m, &src));
        }
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

/// An index that needs data, not a view: a boolean mask, or integer
/// indices along one axis.
pub(crate) enum Advanced {
    /// `x[mask]` (the mask alone, or followed by `...`).
    Mask(Array),
    /// `x[basic][..., indices, ...]`: the basic index with the array
    /// replaced by `:`, then `take` along `axis`.
    Take { basic: Vec<Index>, indices: Array, axis: usize },
}

/// The array in `obj` if it is used as an index array: a bool array of any
/// dimension, an integer array of at least one dimension, or a list
/// (nested lists of ints or bools).
fn index_array(obj: &Bound<'_, PyAny>) -> PyResult<Option<Array>> {
    if obj.is_none() || obj.is(obj.py().Ellipsis()) || obj.is_instance_of::<PySlice>() || obj.is_instance_of::<PyInt>()
    {
        return Ok(None);
    }
    // NumPy integer scalars (and 0-d integer arrays) are plain integers.
    if as_array(obj).is_none()
        && !obj.is_instance_of::<PyList>()
        && obj.hasattr("__index__")?
        && obj.call_method0("__index__").is_ok()
    {
        return Ok(None);
    }
    let arrayish = obj.is_instance_of::<PyList>()
        || as_array(obj).is_some()
        || obj.hasattr("__array_interface__")?
        || obj.hasattr("__dlpack__")?;
    if !arrayish {
        return Ok(None);
    }
    let a = to_array(obj, None, None)?;
    if a.dtype() == DType::Bool {
        return Ok(Some(a));
    }
    if a.ndim() == 0 {
        return Ok(None);
    }
    if !a.dtype().is_integer() {
        return Err(PyIndexError::new_err(format!(
            "arrays used as indices must be of integer or boolean dtype, not {}",
            a.dtype()
        )));
    }
    Ok(Some(a))
}

/// The advanced index `key` stands for, if it is one oxarray supports: a
/// boolean mask alone (or followed by `...`), or one integer array
/// preceded only by slices and `None`.
pub(crate) fn advanced_key(key: &Bound<'_, PyAny>) -> PyResult<Option<Advanced>> {
    let items: Vec<Bound<'_, PyAny>> = match key.cast::<PyTuple>() {
        Ok(t) => t.iter().collect(),
        Err(_) => vec![key.clone()],
    };
    let mut found = None;
    for (j, item) in items.iter().enumerate() {
        if let Some(a) = index_array(item)? {
            if found.is_some() {
                return Err(PyTypeError::new_err(
                    "only one index array per index is supported (NumPy's multi-array indexing is not)",
                ));
            }
            found = Some((j, a));
        }
    }
    let Some((j, a)) = found else { return Ok(None) };
    if a.dtype() == DType::Bool {
        let rest_is_ellipsis = items.len() == 1 || (items.len() == 2 && j == 0 && items[1].is(key.py().Ellipsis()));
        if !rest_is_ellipsis {
            return Err(PyTypeError::new_err(
                "a boolean mask must be the only index (optionally followed by ...); combine it with slices in two steps",
            ));
        }
        return Ok(Some(Advanced::Mask(a)));
    }
    let mut basic = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if i == j {
            basic.push(Index::ALL);
            continue;
        }
        let index = parse_one(item)?;
        if i < j && !matches!(index, Index::Slice { .. } | Index::NewAxis) {
            return Err(PyTypeError::new_err(
                "an integer index array may only follow slices and None (x[:, idx] works, x[0, idx] does not)",
            ));
        }
        basic.push(index);
    }
    Ok(Some(Advanced::Take { basic, indices: a, axis: j }))
}

/// `target[mask] = src`: `src` broadcasts to the selected sub-arrays
/// (`(count,) + target.shape[mask.ndim:]`) and casts safely to the
/// target's dtype. Built from core calls: the rows of `target` and of the
/// broadcast `src` are joined and gathered back in mask order.
fn assign_masked(target: &mut Array, mask: &Array, src: &Array) -> oxarray::Result<()> {
    let selected_shape = target.mask(mask)?.shape().to_vec();
    let k = mask.ndim();
    let rows = mask.size();
    let mut flat_shape = vec![rows];
    flat_shape.extend_from_slice(&target.shape()[k..]);
    let flat = target.reshape(&flat_shape)?;
    let m = mask.reshape(&[rows])?;
    let values = src.broadcast_to(&selected_shape)?;
    let values = if values.dtype() == flat.dtype() {
        values
    } else {
        values.astype_with(flat.dtype(), oxarray::Casting::Safe)?
    };
    let joined = oxarray::concat(&[flat, values], Some(0))?;
    let rank = m.cumulative_sum(Some(0), Some(DType::Int64), false)?;
    let offset = Array::full(&[], rows as i64 - 1, DType::Int64)?;
    let from_values = rank.add(&offset)?;
    let from_target = Array::arange_int(0, rows as i128, 1, DType::Int64)?;
    let gather = oxarray::where_(&m, &from_values, &from_target)?;
    let merged = joined.take(&gather, Some(0))?.reshape(target.shape())?;
    target.assign(&[Index::Ellipsis], &merged)
}
