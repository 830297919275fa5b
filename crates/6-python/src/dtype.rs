//! `ox.dtype` objects (`ox.float32`, …) and the conversion of anything a
//! NumPy user passes as `dtype=` into an oxarray [`DType`].

use std::str::FromStr;

use oxarray::DType;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt, PyString, PyType};

use crate::errors::to_pyerr;

/// An oxarray data type. Compares equal to itself, to its name
/// (`ox.float32 == "float32"`) and to the matching NumPy dtype.
#[pyclass(name = "dtype", module = "oxarray", frozen)]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PyDType(pub(crate) DType);

#[pymethods]
impl PyDType {
    #[new]
    fn new(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        to_dtype(obj).map(PyDType)
    }

    /// The Array API name: `"float32"`, `"int64"`, `"bool"`, ….
    #[getter]
    fn name(&self) -> &'static str {
        self.0.name()
    }

    /// Size of one element in bytes.
    #[getter]
    fn itemsize(&self) -> usize {
        self.0.itemsize()
    }

    /// NumPy's kind character: `b`, `i`, `u`, `f` or `c`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.0.kind() {
            oxarray::Kind::Bool => "b",
            oxarray::Kind::SignedInt => "i",
            oxarray::Kind::UnsignedInt => "u",
            oxarray::Kind::Float => "f",
            oxarray::Kind::Complex => "c",
        }
    }

    fn __repr__(&self) -> String {
        format!("oxarray.{}", self.0.name())
    }

    fn __str__(&self) -> &'static str {
        self.0.name()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        to_dtype(other).is_ok_and(|d| d == self.0)
    }

    fn __hash__(&self) -> u64 {
        // Equal dtypes hash equally; the name's hash would also match the
        // string's, like NumPy, but the ordinal is enough for dict keys.
        self.0 as u64
    }

    fn __reduce__(&self) -> (String, (&'static str,)) {
        ("oxarray.dtype".into(), (self.0.name(),))
    }
}

/// The dtype of a `dtype=` argument: an `ox.dtype`, a name or NumPy type
/// code (`"float32"`, `"f4"`, `"<i8"`), a NumPy dtype or scalar type
/// (`np.float32`, `np.dtype("int16")`), or a Python type (`bool`, `int`,
/// `float`, `complex`, which mean NumPy's defaults).
pub(crate) fn to_dtype(obj: &Bound<'_, PyAny>) -> PyResult<DType> {
    if let Ok(d) = obj.cast::<PyDType>() {
        return Ok(d.get().0);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return DType::from_str(&s.to_cow()?).map_err(to_pyerr);
    }
    if let Ok(t) = obj.cast::<PyType>() {
        if t.is(obj.py().get_type::<PyBool>()) {
            return Ok(DType::Bool);
        } else if t.is(obj.py().get_type::<PyInt>()) {
            return Ok(DType::Int64);
        } else if t.is(obj.py().get_type::<PyFloat>()) {
            return Ok(DType::Float64);
        } else if t.is(obj.py().get_type::<PyComplex>()) {
            return Ok(DType::Complex128);
        }
    }
    // NumPy dtypes have `name` and `byteorder`; NumPy scalar types
    // (`np.float32`) and ml_dtypes' `bfloat16` have `dtype`-able names.
    if let Ok(byteorder) = obj.getattr("byteorder").and_then(|b| b.extract::<String>())
        && (byteorder == ">" && cfg!(target_endian = "little") || byteorder == "<" && cfg!(target_endian = "big"))
    {
        return Err(PyTypeError::new_err(format!(
            "dtype {} is not in native byte order; oxarray arrays are native-endian",
            obj.repr()?
        )));
    }
    for attr in ["name", "__name__"] {
        if let Ok(name) = obj.getattr(attr).and_then(|n| n.extract::<String>())
            && let Ok(d) = DType::from_str(&name)
        {
            return Ok(d);
        }
    }
    Err(PyTypeError::new_err(format!("cannot interpret {} as an oxarray dtype", obj.repr()?)))
}

/// Adds `ox.dtype` and one attribute per dtype (`ox.float32`, …).
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDType>()?;
    for d in DType::ALL {
        m.add(d.name(), PyDType(d))?;
    }
    Ok(())
}
