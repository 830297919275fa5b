//! Encoders: `OneHotEncoder`, `OrdinalEncoder`.

use std::path::PathBuf;

use oxarray::prep::{self, HandleUnknown, OneHotEncoder, OrdinalEncoder, OrdinalUnknown};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::array::PyArray;
use crate::csv::PyTable;
use crate::errors::{ok, run};

use super::{categories_py, float_dtype, frame_to_table, input, to_frame};

/// The methods both encoders share.
macro_rules! encoder {
    ($py:ident, $rust:ty, $name:literal) => {
        #[pymethods]
        impl $py {
            /// Learns the categories of every column of `X`; returns `self`.
            #[pyo3(signature = (x, y = None))]
            fn fit<'py>(
                mut slf: PyRefMut<'py, Self>,
                x: &Bound<'py, PyAny>,
                y: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<PyRefMut<'py, Self>> {
                let _ = y;
                let frame = to_frame(x)?;
                let py = slf.py();
                let inner = &mut slf.inner;
                run(py, move || inner.fit(&frame))?;
                Ok(slf)
            }

            /// The encoded matrix.
            fn transform(&self, py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
                let frame = to_frame(x)?;
                let inner = &self.inner;
                run(py, move || inner.transform(&frame)).map(Into::into)
            }

            /// `fit(X)` then `transform(X)`.
            #[pyo3(signature = (x, y = None))]
            fn fit_transform(
                &mut self,
                py: Python<'_>,
                x: &Bound<'_, PyAny>,
                y: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<PyArray> {
                let _ = y;
                let frame = to_frame(x)?;
                let inner = &mut self.inner;
                run(py, move || inner.fit_transform(&frame)).map(Into::into)
            }

            /// The categories back, as an `ox.Table` of categorical columns.
            fn inverse_transform(&self, py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<PyTable> {
                let x = input(x)?;
                let inner = &self.inner;
                frame_to_table(&run(py, move || inner.inverse_transform(&x))?)
            }

            /// `categories_`: per feature, the sorted categories (`None`, last,
            /// for the missing category).
            #[getter]
            fn categories_(&self) -> PyResult<Vec<Vec<Option<String>>>> {
                categories_py(self.inner.categories(), $name)
            }

            /// Output feature names.
            #[pyo3(signature = (input_features = None))]
            fn get_feature_names_out(&self, input_features: Option<Vec<String>>) -> PyResult<Vec<String>> {
                let _ = input_features;
                ok(self.inner.get_feature_names_out())
            }

            /// Saves the (fitted) encoder as JSON, atomically.
            fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
                let inner = &self.inner;
                run(py, move || prep::persist::save(inner, &path))
            }

            /// Loads an encoder saved by `save`.
            #[staticmethod]
            fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
                let inner: $rust = run(py, move || prep::persist::load(&path))?;
                Ok(Self { inner })
            }

            /// The JSON text `save` writes.
            fn to_json(&self) -> PyResult<String> {
                ok(prep::persist::to_json(&self.inner))
            }

            /// An encoder from `to_json` text.
            #[classmethod]
            fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
                Ok(Self { inner: ok(prep::persist::from_json(text, None))? })
            }

            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
                let json = ok(prep::persist::to_json(&slf.borrow().inner))?;
                Ok((slf.get_type().getattr("from_json")?, (json,)))
            }

            fn __repr__(&self) -> String {
                let state = if self.inner.is_fitted() { "fitted" } else { "not fitted" };
                format!("{}({state})", $name)
            }
        }
    };
}

/// `OneHotEncoder(*, categories="auto", drop=None, sparse_output=False,
/// dtype=float64, handle_unknown="error")`. The output is dense, so
/// `sparse_output` must be False (scikit-learn's default is True).
#[pyclass(name = "OneHotEncoder", module = "oxarray.prep")]
pub(crate) struct PyOneHotEncoder {
    pub(super) inner: OneHotEncoder,
}

#[pymethods]
impl PyOneHotEncoder {
    #[new]
    #[pyo3(signature = (*, categories = "auto", drop = None, sparse_output = false, dtype = None,
                        handle_unknown = "error"))]
    fn new(
        categories: &str,
        drop: Option<&Bound<'_, PyAny>>,
        sparse_output: bool,
        dtype: Option<&Bound<'_, PyAny>>,
        handle_unknown: &str,
    ) -> PyResult<Self> {
        if categories != "auto" || drop.is_some_and(|d| !d.is_none()) || sparse_output {
            return Err(PyValueError::new_err(
                "OneHotEncoder supports categories=\"auto\", drop=None and sparse_output=False only",
            ));
        }
        let h = match handle_unknown {
            "error" => HandleUnknown::Error,
            "ignore" => HandleUnknown::Ignore,
            other => {
                return Err(PyValueError::new_err(format!(
                    "handle_unknown must be \"error\" or \"ignore\", not {other:?}"
                )));
            }
        };
        Ok(PyOneHotEncoder { inner: ok(OneHotEncoder::new().handle_unknown(h).dtype(float_dtype(dtype)?))? })
    }
}
encoder!(PyOneHotEncoder, OneHotEncoder, "OneHotEncoder");

/// `OrdinalEncoder(*, categories="auto", dtype=float64,
/// handle_unknown="error", unknown_value=None, encoded_missing_value=nan)`.
#[pyclass(name = "OrdinalEncoder", module = "oxarray.prep")]
pub(crate) struct PyOrdinalEncoder {
    pub(super) inner: OrdinalEncoder,
}

#[pymethods]
impl PyOrdinalEncoder {
    #[new]
    #[pyo3(signature = (*, categories = "auto", dtype = None, handle_unknown = "error", unknown_value = None,
                        encoded_missing_value = f64::NAN))]
    fn new(
        categories: &str,
        dtype: Option<&Bound<'_, PyAny>>,
        handle_unknown: &str,
        unknown_value: Option<f64>,
        encoded_missing_value: f64,
    ) -> PyResult<Self> {
        if categories != "auto" {
            return Err(PyValueError::new_err("OrdinalEncoder supports categories=\"auto\" only"));
        }
        let h = match (handle_unknown, unknown_value) {
            ("error", None) => OrdinalUnknown::Error,
            ("use_encoded_value", Some(v)) => OrdinalUnknown::UseEncodedValue(v),
            ("use_encoded_value", None) => {
                return Err(PyValueError::new_err(
                    "unknown_value should be an integer or np.nan when handle_unknown is 'use_encoded_value'",
                ));
            }
            ("error", Some(_)) => {
                return Err(PyValueError::new_err(
                    "unknown_value should only be set when handle_unknown is 'use_encoded_value'",
                ));
            }
            (other, _) => {
                return Err(PyValueError::new_err(format!(
                    "handle_unknown must be \"error\" or \"use_encoded_value\", not {other:?}"
                )));
            }
        };
        let inner = OrdinalEncoder::new().handle_unknown(h).encoded_missing_value(encoded_missing_value);
        Ok(PyOrdinalEncoder { inner: ok(inner.dtype(float_dtype(dtype)?))? })
    }
}
encoder!(PyOrdinalEncoder, OrdinalEncoder, "OrdinalEncoder");
