//! Shape manipulation functions of the Array API; every one returns a view
//! when the layout allows.

use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::array::{PyArray, reshape as reshape_array, to_shape};
use crate::creation::to_array;
use crate::errors::ok;

/// An `axis` argument: an int or a tuple of ints.
fn axes(obj: &Bound<'_, PyAny>) -> PyResult<Vec<isize>> {
    match obj.extract::<isize>() {
        Ok(a) => Ok(vec![a]),
        Err(_) => obj.extract(),
    }
}

fn arr(x: &Bound<'_, PyAny>) -> PyResult<oxarray::Array> {
    to_array(x, None, None)
}

/// `reshape(x, /, shape, *, copy=None)`.
#[pyfunction]
#[pyo3(signature = (x, /, shape, *, copy = None))]
fn reshape(x: &Bound<'_, PyAny>, shape: &Bound<'_, PyAny>, copy: Option<bool>) -> PyResult<PyArray> {
    let shape = match shape.extract::<isize>() {
        Ok(n) => vec![n],
        Err(_) => shape.extract()?,
    };
    reshape_array(x.py(), &arr(x)?, shape, copy)
}

/// `permute_dims(x, /, axes)`.
#[pyfunction]
#[pyo3(signature = (x, /, axes))]
fn permute_dims(x: &Bound<'_, PyAny>, axes: Vec<isize>) -> PyResult<PyArray> {
    ok(arr(x)?.permute_dims(&axes)).map(Into::into)
}

/// `matrix_transpose(x, /)`: the last two axes swapped.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn matrix_transpose(x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    ok(arr(x)?.matrix_transpose()).map(Into::into)
}

/// `swapaxes(x, axis1, axis2, /)`.
#[pyfunction]
#[pyo3(signature = (x, axis1, axis2, /))]
fn swapaxes(x: &Bound<'_, PyAny>, axis1: isize, axis2: isize) -> PyResult<PyArray> {
    ok(arr(x)?.swapaxes(axis1, axis2)).map(Into::into)
}

/// `moveaxis(x, source, destination, /)`.
#[pyfunction]
#[pyo3(signature = (x, source, destination, /))]
fn moveaxis(x: &Bound<'_, PyAny>, source: &Bound<'_, PyAny>, destination: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    ok(arr(x)?.moveaxis(&axes(source)?, &axes(destination)?)).map(Into::into)
}

/// `squeeze(x, /, axis=None)`: removes the given length-1 axes (all of
/// them when `axis` is None, as NumPy does).
#[pyfunction]
#[pyo3(signature = (x, /, axis = None))]
fn squeeze(x: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>) -> PyResult<PyArray> {
    let a = arr(x)?;
    match axis.filter(|a| !a.is_none()) {
        Some(ax) => ok(a.squeeze(&axes(ax)?)).map(Into::into),
        None => Ok(a.squeeze_all().into()),
    }
}

/// `expand_dims(x, /, axis=0)`: `axis` may be a tuple of positions in
/// the result (2025.12).
#[pyfunction]
#[pyo3(signature = (x, /, axis = None))]
fn expand_dims(x: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>) -> PyResult<PyArray> {
    let list = match axis.filter(|a| !a.is_none()) {
        None => vec![0],
        Some(a) => axes(a)?,
    };
    let a = arr(x)?;
    let out_ndim = (a.ndim() + list.len()) as isize;
    let mut positions = Vec::with_capacity(list.len());
    for &ax in &list {
        let k = if ax < 0 { ax + out_ndim } else { ax };
        if k < 0 || k >= out_ndim {
            return ok(Err(oxarray::ErrorKind::AxisOutOfBounds { axis: ax, ndim: out_ndim as usize }.into()));
        }
        if positions.contains(&k) {
            return Err(pyo3::exceptions::PyValueError::new_err(format!("repeated axis {ax} in expand_dims")));
        }
        positions.push(k);
    }
    positions.sort_unstable();
    let mut out = a;
    for k in positions {
        out = ok(out.expand_dims(k))?;
    }
    Ok(out.into())
}

/// `flip(x, /, *, axis=None)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = None))]
fn flip(x: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>) -> PyResult<PyArray> {
    let list = axis.filter(|a| !a.is_none()).map(axes).transpose()?;
    ok(arr(x)?.flip(list.as_deref())).map(Into::into)
}

/// `broadcast_to(x, /, shape)`.
#[pyfunction]
#[pyo3(signature = (x, /, shape))]
fn broadcast_to(x: &Bound<'_, PyAny>, shape: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    ok(arr(x)?.broadcast_to(&to_shape(shape)?)).map(Into::into)
}

/// `broadcast_arrays(*arrays)`: views of every array in their common shape.
#[pyfunction]
#[pyo3(signature = (*arrays))]
fn broadcast_arrays<'py>(arrays: &Bound<'py, PyTuple>) -> PyResult<Vec<PyArray>> {
    let list = arrays.iter().map(|a| arr(&a)).collect::<PyResult<Vec<_>>>()?;
    Ok(ok(oxarray::broadcast_arrays(&list))?.into_iter().map(Into::into).collect())
}

/// `broadcast_shapes(*shapes)`.
#[pyfunction]
#[pyo3(signature = (*shapes))]
fn broadcast_shapes<'py>(py: Python<'py>, shapes: &Bound<'py, PyTuple>) -> PyResult<Bound<'py, PyTuple>> {
    let list = shapes.iter().map(|s| to_shape(&s)).collect::<PyResult<Vec<_>>>()?;
    let refs: Vec<&[usize]> = list.iter().map(Vec::as_slice).collect();
    PyTuple::new(py, ok(oxarray::broadcast_shapes(&refs))?)
}

/// Adds the manipulation functions to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(reshape, m)?)?;
    m.add_function(wrap_pyfunction!(permute_dims, m)?)?;
    m.add_function(wrap_pyfunction!(matrix_transpose, m)?)?;
    m.add_function(wrap_pyfunction!(swapaxes, m)?)?;
    m.add_function(wrap_pyfunction!(moveaxis, m)?)?;
    m.add_function(wrap_pyfunction!(squeeze, m)?)?;
    m.add_function(wrap_pyfunction!(expand_dims, m)?)?;
    m.add_function(wrap_pyfunction!(flip, m)?)?;
    m.add_function(wrap_pyfunction!(broadcast_to, m)?)?;
    m.add_function(wrap_pyfunction!(broadcast_arrays, m)?)?;
    m.add_function(wrap_pyfunction!(broadcast_shapes, m)?)?;
    Ok(())
}
