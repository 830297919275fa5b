//! `ox.Array`: the Python handle around an [`oxarray::Array`], its
//! attributes and its conversions to Python values. Operators live in
//! `elementwise.rs`, indexing in `indexing.rs`, the export protocols in
//! `buffer.rs` and `dlpack.rs`.

use std::sync::Mutex;

use oxarray::{Array, Casting};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyComplex, PyFloat, PyInt, PyList, PyTuple};

use crate::dtype::{PyDType, to_dtype};
use crate::errors::{ok, run};
use crate::scalar::wide_to_py;

/// An n-dimensional array (`oxarray.Array`).
///
/// Arrays have value semantics: a write through one array never changes
/// another array, even one that views the same memory (the writer copies
/// first: copy-on-write). See the package docs for how memory shared with
/// NumPy, PyTorch or JAX behaves.
#[pyclass(name = "Array", module = "oxarray")]
pub(crate) struct PyArray {
    pub(crate) array: Array,
    /// Handles kept alive for `__array_interface__` consumers, which hold a
    /// reference to this object but have no release call: the memory they
    /// were pointed at lives as long as this object.
    pub(crate) pins: Mutex<Vec<Array>>,
}

impl From<Array> for PyArray {
    fn from(array: Array) -> Self {
        PyArray { array, pins: Mutex::new(Vec::new()) }
    }
}

/// Shapes as Python tuples of ints.
pub(crate) fn shape_tuple<'py>(py: Python<'py>, shape: &[usize]) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, shape)
}

/// A shape argument: an int or a sequence of ints.
pub(crate) fn to_shape(obj: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    if let Ok(n) = obj.extract::<usize>() {
        return Ok(vec![n]);
    }
    obj.extract::<Vec<usize>>().map_err(|_| {
        PyTypeError::new_err(format!(
            "expected a shape (an int or a tuple of non-negative ints), got {}",
            obj.repr().map(|r| r.to_string()).unwrap_or_default()
        ))
    })
}

/// A shape argument that may hold one `-1` (reshape).
fn to_shape_inferred(obj: &Bound<'_, PyAny>) -> PyResult<Vec<isize>> {
    if let Ok(n) = obj.extract::<isize>() {
        return Ok(vec![n]);
    }
    obj.extract::<Vec<isize>>()
        .map_err(|_| PyTypeError::new_err("expected a shape: an int or a tuple of ints (one may be -1)"))
}

/// The elements as nested Python lists (a Python scalar for 0-d arrays).
pub(crate) fn to_list<'py>(py: Python<'py>, a: &Array) -> PyResult<Bound<'py, PyAny>> {
    fn build<'py>(
        py: Python<'py>,
        shape: &[usize],
        items: &mut impl Iterator<Item = oxarray::Wide>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match shape.split_first() {
            None => wide_to_py(py, items.next().expect("one item per element")),
            Some((&n, rest)) => {
                let list = PyList::empty(py);
                for _ in 0..n {
                    list.append(build(py, rest, items)?)?;
                }
                Ok(list.into_any())
            }
        }
    }
    let values: Vec<oxarray::Wide> = ok(oxarray::dispatch!(a.dtype(), T => a
        .to_vec::<T>()
        .map(|v| v.into_iter().map(oxarray::Element::to_wide).collect())))?;
    build(py, a.shape(), &mut values.into_iter())
}

impl PyArray {
    /// The only element as a Python scalar; `what` names the conversion for
    /// the error message.
    fn scalar<'py>(&self, py: Python<'py>, what: &str) -> PyResult<Bound<'py, PyAny>> {
        if self.array.size() != 1 {
            return Err(PyTypeError::new_err(format!(
                "only arrays with one element can be converted to {what}; this one has shape {:?}",
                self.array.shape()
            )));
        }
        wide_to_py(py, ok(self.array.item_wide())?)
    }
}

#[pymethods]
impl PyArray {
    /// The element type.
    #[getter]
    fn dtype(&self) -> PyDType {
        PyDType(self.array.dtype())
    }

    /// The length of each axis.
    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        shape_tuple(py, self.array.shape())
    }

    /// Number of dimensions.
    #[getter]
    fn ndim(&self) -> usize {
        self.array.ndim()
    }

    /// Number of elements.
    #[getter]
    fn size(&self) -> usize {
        self.array.size()
    }

    /// Size of one element in bytes.
    #[getter]
    fn itemsize(&self) -> usize {
        self.array.itemsize()
    }

    /// Bytes the elements occupy.
    #[getter]
    fn nbytes(&self) -> usize {
        self.array.nbytes()
    }

    /// Steps between elements of each axis, in bytes (as NumPy reports them).
    #[getter]
    fn strides<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let item = self.array.itemsize() as isize;
        PyTuple::new(py, self.array.strides().iter().map(|s| s * item))
    }

    /// The axes reversed (a view).
    #[getter(T)]
    fn t(&self) -> PyArray {
        self.array.transpose().into()
    }

    /// The last two axes swapped (a view).
    #[getter(mT)]
    fn m_t(&self) -> PyResult<PyArray> {
        ok(self.array.matrix_transpose()).map(Into::into)
    }

    /// Where the data lives: always `"cpu"`.
    #[getter]
    fn device(&self) -> &'static str {
        "cpu"
    }

    /// Returns the array itself (the Array API's device transfer; only
    /// `"cpu"` exists).
    #[pyo3(signature = (device, /, *, stream = None))]
    fn to_device<'py>(
        slf: PyRef<'py, Self>,
        device: &str,
        stream: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<PyRef<'py, Self>> {
        let _ = stream;
        if device != "cpu" {
            return Err(PyValueError::new_err(format!("unknown device {device:?}; oxarray arrays live on \"cpu\"")));
        }
        Ok(slf)
    }

    fn __len__(&self) -> PyResult<usize> {
        self.array.shape().first().copied().ok_or_else(|| PyTypeError::new_err("len() of unsized object (a 0-d array)"))
    }

    fn __iter__<'py>(slf: PyRef<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        if slf.array.ndim() == 0 {
            return Err(PyTypeError::new_err("iteration over a 0-d array"));
        }
        let items = (0..slf.array.shape()[0] as isize)
            .map(|i| ok(slf.array.slice(&[oxarray::Index::Int(i)])).map(PyArray::from))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.try_iter()?.into_any())
    }

    fn __bool__(&self, py: Python<'_>) -> PyResult<bool> {
        if self.array.size() != 1 {
            return Err(PyValueError::new_err(format!(
                "the truth value of an array with {} elements is ambiguous; use any() or all()",
                self.array.size()
            )));
        }
        self.scalar(py, "bool")?.is_truthy()
    }

    fn __int__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.get_type::<PyInt>().call1((self.scalar(py, "a Python int")?,))
    }

    fn __float__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.get_type::<PyFloat>().call1((self.scalar(py, "a Python float")?,))
    }

    fn __complex__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.get_type::<PyComplex>().call1((self.scalar(py, "a Python complex")?,))
    }

    fn __index__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if !self.array.dtype().is_integer() || self.array.ndim() != 0 {
            return Err(PyTypeError::new_err(format!(
                "only 0-d integer arrays can be used as an index; this one is {}-d {}",
                self.array.ndim(),
                self.array.dtype()
            )));
        }
        self.scalar(py, "an index")
    }

    /// The only element as a Python scalar.
    fn item<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.scalar(py, "a Python scalar")
    }

    /// The elements as nested Python lists (a scalar for 0-d arrays).
    fn tolist<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_list(py, &self.array)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let a = self.array.clone();
        py.detach(move || format!("{a:?}"))
    }

    fn __str__(&self, py: Python<'_>) -> String {
        let a = self.array.clone();
        py.detach(move || format!("{a}"))
    }

    /// A copy converted to `dtype`. Never loses data silently: NaN,
    /// infinities and out-of-range values are a `ValueError` naming the
    /// first offending element. `casting` picks one of NumPy's policies
    /// (`"unsafe"` gives NumPy's wrap-around). With `copy=False` an array
    /// that already has `dtype` is returned as is.
    #[pyo3(signature = (dtype, /, *, copy = true, casting = None))]
    fn astype(&self, py: Python<'_>, dtype: &Bound<'_, PyAny>, copy: bool, casting: Option<&str>) -> PyResult<PyArray> {
        let dtype = to_dtype(dtype)?;
        let a = self.array.clone();
        if !copy && a.dtype() == dtype {
            return Ok(a.into());
        }
        let casting = casting.map(str::parse::<Casting>).transpose().map_err(crate::errors::to_pyerr)?;
        run(py, move || match casting {
            Some(c) => a.astype_with(dtype, c),
            None => a.astype(dtype),
        })
        .map(Into::into)
    }

    /// A new array with the same elements in another shape (a view when
    /// the layout allows; `copy=False` forbids copying, `copy=True` always
    /// copies). Accepts `reshape(2, 3)` and `reshape((2, 3))`.
    #[pyo3(signature = (*shape, copy = None))]
    fn reshape(&self, py: Python<'_>, shape: &Bound<'_, PyTuple>, copy: Option<bool>) -> PyResult<PyArray> {
        let shape =
            if shape.len() == 1 { to_shape_inferred(&shape.get_item(0)?)? } else { to_shape_inferred(shape.as_any())? };
        reshape(py, &self.array, shape, copy)
    }

    /// A fresh C-contiguous copy.
    fn copy(&self, py: Python<'_>) -> PyResult<PyArray> {
        let a = self.array.clone();
        run(py, move || Ok(a.copy())).map(Into::into)
    }

    /// The namespace of functions that work on these arrays: `oxarray`.
    #[pyo3(signature = (*, api_version = None))]
    fn __array_namespace__<'py>(&self, py: Python<'py>, api_version: Option<&str>) -> PyResult<Bound<'py, PyModule>> {
        if let Some(v) = api_version
            && !["2021.12", "2022.12", "2023.12", "2024.12", "2025.12"].contains(&v)
        {
            return Err(PyValueError::new_err(format!("unsupported Array API version {v:?}")));
        }
        py.import("oxarray")
    }

    fn __copy__(&self) -> PyArray {
        // Value semantics: a new handle is as good as a copy.
        self.array.clone().into()
    }

    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> PyArray {
        self.array.clone().into()
    }
}

/// `reshape` with NumPy 2's `copy` argument.
pub(crate) fn reshape(py: Python<'_>, a: &Array, shape: Vec<isize>, copy: Option<bool>) -> PyResult<PyArray> {
    let a = a.clone();
    run(py, move || match copy {
        Some(false) => a.reshape_view_inferred(&shape),
        Some(true) => a.copy().reshape_inferred(&shape),
        None => a.reshape_inferred(&shape),
    })
    .map(Into::into)
}

/// The array of `obj` if it is an `ox.Array`.
pub(crate) fn as_array(obj: &Bound<'_, PyAny>) -> Option<Array> {
    obj.cast::<PyArray>().ok().map(|a| a.borrow().array.clone())
}
