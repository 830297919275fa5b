//! Pickling (`pickle`, `copy`, `multiprocessing`, Ray, Dask).
//!
//! `__reduce_ex__(protocol)` describes an array as
//! `_rebuild(data, dtype_name, shape)`, where `data` holds the elements'
//! bytes in C order:
//!
//! - protocol 5 and above: `data` is a `pickle.PickleBuffer` over the
//!   array's own memory (a byte view of the same buffer; a non-contiguous
//!   array is made contiguous first). A pickler with a `buffer_callback`
//!   hands that buffer out of band without copying, and `loads(...,
//!   buffers=...)` gives `_rebuild` the consumer's buffer, which it views
//!   without copying when it is aligned for the dtype (it copies otherwise).
//!   The exported view is read-only unless the array held its memory
//!   alone, so nothing the consumer does can change another oxarray array.
//! - older protocols: `data` is a `bytes` copy, in band.

use std::sync::Arc;

use oxarray::{Array, Buffer, DType};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyMemoryView, PyTuple};

use crate::array::PyArray;
use crate::buffer::from_buffer_protocol;
use crate::dtype::to_dtype;
use crate::errors::{ok, run};

/// The elements of `a` as a 1-D uint8 array over the same memory (a copy
/// first if `a` is not C-contiguous).
fn byte_view(py: Python<'_>, a: &Array) -> PyResult<Array> {
    let a = if a.is_c_contiguous() {
        a.clone()
    } else {
        let a = a.clone();
        run(py, move || Ok(a.to_contiguous()))?
    };
    if a.size() == 0 {
        return ok(Array::zeros(&[0], DType::UInt8));
    }
    ok(Array::from_buffer(a.buffer().clone(), DType::UInt8, vec![a.nbytes()], vec![1], a.offset() * a.itemsize()))
}

/// Rebuilds an array from C-order element bytes (`_rebuild` in the pickle
/// stream): views `data` without copying when it is aligned for `dtype`.
#[pyfunction]
#[pyo3(name = "_rebuild")]
fn rebuild(py: Python<'_>, data: &Bound<'_, PyAny>, dtype: &Bound<'_, PyAny>, shape: Vec<usize>) -> PyResult<PyArray> {
    let dtype = to_dtype(dtype)?;
    let view = PyMemoryView::from(data)?;
    let raw = if view.getattr("contiguous")?.is_truthy()? {
        view.call_method1("cast", ("B",))?
    } else {
        PyMemoryView::from(&PyBytes::new(py, &view.call_method0("tobytes")?.extract::<Vec<u8>>()?))?.into_any()
    };
    let bytes = from_buffer_protocol(&raw, None)?
        .ok_or_else(|| PyValueError::new_err("pickled array data does not support the buffer protocol"))?;
    let n: usize = shape.iter().product();
    if bytes.size() != n * dtype.itemsize() {
        return Err(PyValueError::new_err(format!(
            "pickled array data holds {} bytes, but shape {shape:?} of {dtype} needs {}",
            bytes.size(),
            n * dtype.itemsize()
        )));
    }
    if n == 0 {
        return ok(Array::zeros(&shape, dtype)).map(Into::into);
    }
    let strides = c_strides(&shape);
    let offset = bytes.offset();
    let view = (offset.is_multiple_of(dtype.itemsize()))
        .then(|| {
            Array::from_buffer(bytes.buffer().clone(), dtype, shape.clone(), strides.clone(), offset / dtype.itemsize())
        })
        .and_then(Result::ok);
    match view {
        Some(a) => Ok(a.into()),
        // Misaligned (or, for bool, invalid) data: copy into aligned memory;
        // `from_buffer` checks the bool bytes again and names the bad one.
        None => run(py, move || {
            let copy = Buffer::copy_from(&bytes.to_bytes())?;
            Array::from_buffer(Arc::new(copy), dtype, shape, strides, 0)
        })
        .map(Into::into),
    }
}

/// C-order strides in elements.
fn c_strides(shape: &[usize]) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut step = 1isize;
    for k in (0..shape.len()).rev() {
        strides[k] = step;
        step *= shape[k].max(1) as isize;
    }
    strides
}

#[pymethods]
impl PyArray {
    /// Pickle support: out-of-band `PickleBuffer` for protocol 5 and above,
    /// in-band bytes before (see the module docs).
    fn __reduce_ex__<'py>(&self, py: Python<'py>, protocol: i64) -> PyResult<Bound<'py, PyTuple>> {
        let rebuild = py.import("oxarray._oxarray")?.getattr("_rebuild")?;
        let bytes = byte_view(py, &self.array)?;
        let data = if protocol >= 5 {
            let view = Bound::new(py, PyArray::from(bytes))?;
            py.import("pickle")?.getattr("PickleBuffer")?.call1((view,))?
        } else {
            let owned = bytes.to_bytes().into_owned();
            PyBytes::new(py, &owned).into_any()
        };
        let shape = PyTuple::new(py, self.array.shape())?;
        PyTuple::new(
            py,
            [
                rebuild,
                PyTuple::new(py, [data, self.array.dtype().name().into_pyobject(py)?.into_any(), shape.into_any()])?
                    .into_any(),
            ],
        )
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        self.__reduce_ex__(py, 2)
    }
}

/// Adds the pickle reconstructor to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rebuild, m)?)?;
    Ok(())
}
