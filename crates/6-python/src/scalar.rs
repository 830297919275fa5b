//! Python scalars (`bool`, `int`, `float`, `complex`) as the "weak"
//! operands of NEP 50, and oxarray values back as Python scalars.

use oxarray::{Array, DType, ScalarKind, Wide};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt};

use crate::errors::out_of_range;

/// A Python scalar, held at full precision.
#[derive(Clone, Copy, Debug)]
pub(crate) enum PyScalar {
    Bool(bool),
    Int(i64),
    /// An `int` above `i64::MAX` that fits `u64`.
    UInt(u64),
    Float(f64),
    Complex(f64, f64),
}

/// Runs `$body` with `$v` bound to the scalar's value as a Rust element
/// type (`bool`, `i64`, `u64`, `f64` or `c128`).
macro_rules! with_scalar {
    ($s:expr, $v:ident => $body:expr) => {
        match $s {
            $crate::scalar::PyScalar::Bool($v) => $body,
            $crate::scalar::PyScalar::Int($v) => $body,
            $crate::scalar::PyScalar::UInt($v) => $body,
            $crate::scalar::PyScalar::Float($v) => $body,
            $crate::scalar::PyScalar::Complex(re, im) => {
                let $v = oxarray::c128::new(re, im);
                $body
            }
        }
    };
}
pub(crate) use with_scalar;

impl PyScalar {
    /// The scalar if `obj` is a Python `bool`, `int`, `float` or `complex`
    /// (NumPy scalars are not: they are typed, "strong" operands).
    pub(crate) fn extract(obj: &Bound<'_, PyAny>) -> PyResult<Option<PyScalar>> {
        Ok(Some(if obj.is_instance_of::<PyBool>() {
            PyScalar::Bool(obj.extract()?)
        } else if obj.is_instance_of::<PyInt>() {
            match obj.extract::<i64>() {
                Ok(i) => PyScalar::Int(i),
                Err(_) => PyScalar::UInt(obj.extract::<u64>().map_err(|_| {
                    out_of_range(obj.py(), format!("Python integer {obj} is out of bounds for int64 and uint64"))
                })?),
            }
        } else if obj.is_instance_of::<PyFloat>() {
            PyScalar::Float(obj.extract()?)
        } else if let Ok(c) = obj.cast::<PyComplex>() {
            PyScalar::Complex(c.real(), c.imag())
        } else {
            return Ok(None);
        }))
    }

    /// The value of `obj` if it is a weak operand of NEP 50, as the core's
    /// `Array::binary_scalar` takes it: exactly a Python `bool`, `int`,
    /// `float` or `complex`. Subclasses are not, as in NumPy: `np.float64`
    /// and `np.complex128` subclass `float` and `complex` but are typed,
    /// "strong" scalars, which an operation imports as 0-d arrays. An `int`
    /// is held in full up to 128 bits (the core answers a comparison with
    /// any of them exactly and converts them to floats; arithmetic with one
    /// that does not fit the integer dtype is an error); a larger one is an
    /// `oxarray.OutOfRangeError` (an `OverflowError`).
    pub(crate) fn extract_weak(obj: &Bound<'_, PyAny>) -> PyResult<Option<Wide>> {
        if obj.is_exact_instance_of::<PyInt>() {
            return match obj.extract::<i128>() {
                Ok(v) => Ok(Some(Wide::Int(v))),
                Err(_) => Err(out_of_range(obj.py(), format!("Python integer {obj} is out of bounds for int128"))),
            };
        }
        if obj.is_exact_instance_of::<PyBool>()
            || obj.is_exact_instance_of::<PyFloat>()
            || obj.is_exact_instance_of::<PyComplex>()
        {
            return Ok(PyScalar::extract(obj)?.map(PyScalar::to_wide));
        }
        Ok(None)
    }

    /// The scalar's kind for promotion.
    pub(crate) fn kind(self) -> ScalarKind {
        match self {
            PyScalar::Bool(_) => ScalarKind::Bool,
            PyScalar::Int(_) | PyScalar::UInt(_) => ScalarKind::Int,
            PyScalar::Float(_) => ScalarKind::Float,
            PyScalar::Complex(..) => ScalarKind::Complex,
        }
    }

    /// The dtype NumPy gives the scalar on its own.
    pub(crate) fn default_dtype(self) -> DType {
        match self {
            PyScalar::UInt(_) => DType::UInt64,
            s => s.kind().default_dtype(),
        }
    }

    /// A 0-d array of `dtype` holding the value, converted as a weak scalar
    /// (an error if it does not fit).
    pub(crate) fn to_array(self, dtype: DType) -> oxarray::Result<Array> {
        with_scalar!(self, v => Array::full(&[], v, dtype))
    }

    /// The value widened without loss.
    pub(crate) fn to_wide(self) -> Wide {
        match self {
            PyScalar::Bool(b) => Wide::Bool(b),
            PyScalar::Int(i) => Wide::Int(i as i128),
            PyScalar::UInt(u) => Wide::Int(u as i128),
            PyScalar::Float(f) => Wide::Float(f),
            PyScalar::Complex(re, im) => Wide::Complex(re, im),
        }
    }
}

/// A widened oxarray value as a Python scalar.
pub(crate) fn wide_to_py<'py>(py: Python<'py>, w: Wide) -> PyResult<Bound<'py, PyAny>> {
    Ok(match w {
        Wide::Bool(b) => PyBool::new(py, b).to_owned().into_any(),
        Wide::Int(i) => i.into_pyobject(py)?.into_any(),
        Wide::Float(f) => PyFloat::new(py, f).into_any(),
        Wide::Complex(re, im) => PyComplex::from_doubles(py, re, im).into_any(),
    })
}
