//! `Pipeline` and `ColumnTransformer`.

use std::path::PathBuf;

use oxarray::prep::{ColumnStep, ColumnTransformer, Encoder, Pipeline, Remainder, Step, Transformer};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyType};

use crate::array::PyArray;
use crate::errors::{ok, run};

use super::{
    PyMaxAbsScaler, PyMinMaxScaler, PyNormalizer, PyOneHotEncoder, PyOrdinalEncoder, PyRobustScaler, PySimpleImputer,
    PyStandardScaler, input, to_frame,
};

/// A numeric step from a Python transformer object.
fn to_step(obj: &Bound<'_, PyAny>) -> PyResult<Step> {
    macro_rules! try_cast {
        ($($t:ty),*) => {$(
            if let Ok(t) = obj.cast::<$t>() {
                return Ok(t.borrow().step());
            }
        )*};
    }
    try_cast!(PySimpleImputer, PyStandardScaler, PyMinMaxScaler, PyMaxAbsScaler, PyRobustScaler, PyNormalizer);
    if let Ok(p) = obj.cast::<PyPipeline>() {
        return match &p.borrow().inner {
            PipelineKind::Numeric(p) => Ok(Step::Pipeline(p.clone())),
            PipelineKind::Categorical { .. } => {
                Err(PyTypeError::new_err("a pipeline with an encoder cannot be a step of a numeric pipeline"))
            }
        };
    }
    Err(PyTypeError::new_err(format!(
        "{} is not an oxarray.prep transformer (SimpleImputer, StandardScaler, MinMaxScaler, MaxAbsScaler, \
         RobustScaler, Normalizer, Pipeline)",
        obj.repr().map(|r| r.to_string()).unwrap_or_default()
    )))
}

fn encoder_of(obj: &Bound<'_, PyAny>) -> Option<Encoder> {
    if let Ok(e) = obj.cast::<PyOneHotEncoder>() {
        return Some(Encoder::OneHot(e.borrow().inner.clone()));
    }
    obj.cast::<PyOrdinalEncoder>().ok().map(|e| Encoder::Ordinal(e.borrow().inner.clone()))
}

/// A Python object for a (fitted) numeric step.
fn step_to_py(py: Python<'_>, step: &Step) -> PyResult<Py<PyAny>> {
    Ok(match step.clone() {
        Step::SimpleImputer(inner) => Py::new(py, PySimpleImputer::wrap(inner))?.into_any(),
        Step::StandardScaler(inner) => Py::new(py, PyStandardScaler { inner })?.into_any(),
        Step::MinMaxScaler(inner) => Py::new(py, PyMinMaxScaler { inner })?.into_any(),
        Step::MaxAbsScaler(inner) => Py::new(py, PyMaxAbsScaler { inner })?.into_any(),
        Step::RobustScaler(inner) => Py::new(py, PyRobustScaler { inner })?.into_any(),
        Step::Normalizer(inner) => Py::new(py, PyNormalizer { inner })?.into_any(),
        Step::Pipeline(p) => Py::new(py, PyPipeline { inner: PipelineKind::Numeric(p) })?.into_any(),
    })
}

/// What a Python `Pipeline` holds: numeric steps, or a categorical
/// imputer (optional) followed by an encoder (only usable inside a
/// `ColumnTransformer` and on columns).
enum PipelineKind {
    Numeric(Pipeline),
    Categorical { names: Vec<String>, step: ColumnStep },
}

/// `Pipeline(steps)`: `steps` is a list of `(name, transformer)` pairs.
/// Numeric steps chain as in scikit-learn; `[("impute",
/// SimpleImputer(strategy="most_frequent")), ("encode", OneHotEncoder())]`
/// (or an encoder alone) makes a categorical pipeline for a
/// `ColumnTransformer`.
#[pyclass(name = "Pipeline", module = "oxarray.prep")]
pub(crate) struct PyPipeline {
    inner: PipelineKind,
}

impl PyPipeline {
    fn numeric(&self) -> PyResult<&Pipeline> {
        match &self.inner {
            PipelineKind::Numeric(p) => Ok(p),
            PipelineKind::Categorical { .. } => Err(PyTypeError::new_err(
                "this pipeline ends with an encoder: use it inside a ColumnTransformer, on categorical columns",
            )),
        }
    }

    fn numeric_mut(&mut self) -> PyResult<&mut Pipeline> {
        match &mut self.inner {
            PipelineKind::Numeric(p) => Ok(p),
            PipelineKind::Categorical { .. } => Err(PyTypeError::new_err(
                "this pipeline ends with an encoder: use it inside a ColumnTransformer, on categorical columns",
            )),
        }
    }
}

#[pymethods]
impl PyPipeline {
    #[new]
    fn new(steps: Vec<(String, Bound<'_, PyAny>)>) -> PyResult<Self> {
        if let Some((last_name, last)) = steps.last()
            && let Some(encoder) = encoder_of(last)
        {
            let imputer = match &steps[..steps.len() - 1] {
                [] => None,
                [(_, imp)] => Some(
                    imp.cast::<PySimpleImputer>()
                        .map_err(|_| {
                            PyTypeError::new_err("only a SimpleImputer may come before an encoder in a Pipeline")
                        })?
                        .borrow()
                        .categorical()?,
                ),
                _ => {
                    return Err(PyTypeError::new_err(
                        "a Pipeline ending with an encoder may have one SimpleImputer before it",
                    ));
                }
            };
            let mut names: Vec<String> = steps.iter().map(|(n, _)| n.clone()).collect();
            names.dedup();
            if names.len() != steps.len() {
                return Err(PyValueError::new_err(format!("step name {last_name:?} is used twice")));
            }
            return Ok(PyPipeline {
                inner: PipelineKind::Categorical { names, step: ColumnStep::Categorical { imputer, encoder } },
            });
        }
        let mut p = Pipeline::new();
        for (name, t) in &steps {
            p = ok(p.step(name.clone(), to_step(t)?))?;
        }
        Ok(PyPipeline { inner: PipelineKind::Numeric(p) })
    }

    /// Fits every step in turn; returns `self`.
    #[pyo3(signature = (x, y = None))]
    fn fit<'py>(
        mut slf: PyRefMut<'py, Self>,
        x: &Bound<'py, PyAny>,
        y: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<PyRefMut<'py, Self>> {
        let _ = y;
        let x = input(x)?;
        let py = slf.py();
        let p = slf.numeric_mut()?;
        run(py, move || p.fit(&x))?;
        Ok(slf)
    }

    /// Runs `X` through every step.
    fn transform(&self, py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
        let x = input(x)?;
        let p = self.numeric()?;
        run(py, move || p.transform(&x)).map(Into::into)
    }

    /// `fit(X)` then `transform(X)`, step by step.
    #[pyo3(signature = (x, y = None))]
    fn fit_transform(
        &mut self,
        py: Python<'_>,
        x: &Bound<'_, PyAny>,
        y: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyArray> {
        let _ = y;
        let x = input(x)?;
        let p = self.numeric_mut()?;
        run(py, move || p.fit_transform(&x)).map(Into::into)
    }

    /// Inverts every step, last first.
    fn inverse_transform(&self, py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
        let x = input(x)?;
        let p = self.numeric()?;
        run(py, move || p.inverse_transform(&x)).map(Into::into)
    }

    /// The output feature names.
    #[pyo3(signature = (input_features = None))]
    fn get_feature_names_out(&self, input_features: Option<Vec<String>>) -> PyResult<Vec<String>> {
        ok(self.numeric()?.get_feature_names_out(input_features.as_deref()))
    }

    /// The (fitted) steps by name, as new transformer objects.
    #[getter]
    fn named_steps<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (name, step) in self.numeric()?.steps() {
            d.set_item(name, step_to_py(py, step)?)?;
        }
        Ok(d)
    }

    /// The step names.
    #[getter]
    fn step_names(&self) -> Vec<String> {
        match &self.inner {
            PipelineKind::Numeric(p) => p.steps().iter().map(|(n, _)| n.clone()).collect(),
            PipelineKind::Categorical { names, .. } => names.clone(),
        }
    }

    /// Saves the (fitted) numeric pipeline as JSON, atomically.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let p = self.numeric()?;
        run(py, move || p.save(&path))
    }

    /// Loads a pipeline saved by `save`.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        Ok(PyPipeline { inner: PipelineKind::Numeric(run(py, move || Pipeline::load(&path))?) })
    }

    /// The JSON text `save` writes.
    fn to_json(&self) -> PyResult<String> {
        ok(self.numeric()?.to_json())
    }

    /// A pipeline from `to_json` text.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        Ok(PyPipeline { inner: PipelineKind::Numeric(ok(Pipeline::from_json(text))?) })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let json = ok(slf.borrow().numeric()?.to_json())?;
        Ok((slf.get_type().getattr("from_json")?, (json,)))
    }

    fn __repr__(&self) -> String {
        format!("Pipeline(steps={:?})", self.step_names())
    }
}

/// A `ColumnTransformer` entry's step from a Python object.
fn to_column_step(obj: &Bound<'_, PyAny>) -> PyResult<ColumnStep> {
    if let Ok(s) = obj.extract::<String>() {
        return match s.as_str() {
            "drop" => Ok(ColumnStep::Drop),
            "passthrough" => Ok(ColumnStep::Passthrough),
            other => Err(PyValueError::new_err(format!(
                "a transformer string must be \"drop\" or \"passthrough\", not {other:?}"
            ))),
        };
    }
    if let Some(encoder) = encoder_of(obj) {
        return Ok(ColumnStep::Categorical { imputer: None, encoder });
    }
    if let Ok(p) = obj.cast::<PyPipeline>()
        && let PipelineKind::Categorical { step, .. } = &p.borrow().inner
    {
        return Ok(step.clone());
    }
    Ok(ColumnStep::Numeric(to_step(obj)?))
}

/// `ColumnTransformer(transformers, *, remainder="drop",
/// verbose_feature_names_out=True)`: `transformers` is a list of
/// `(name, transformer, columns)`, columns named as in the input.
#[pyclass(name = "ColumnTransformer", module = "oxarray.prep")]
pub(crate) struct PyColumnTransformer {
    pub(super) inner: ColumnTransformer,
}

#[pymethods]
impl PyColumnTransformer {
    #[new]
    #[pyo3(signature = (transformers, *, remainder = "drop", verbose_feature_names_out = true))]
    fn new(
        transformers: Vec<(String, Bound<'_, PyAny>, Bound<'_, PyAny>)>,
        remainder: &str,
        verbose_feature_names_out: bool,
    ) -> PyResult<Self> {
        let remainder = match remainder {
            "drop" => Remainder::Drop,
            "passthrough" => Remainder::Passthrough,
            other => {
                return Err(PyValueError::new_err(format!(
                    "remainder must be \"drop\" or \"passthrough\", not {other:?}"
                )));
            }
        };
        let mut ct = ColumnTransformer::new().remainder(remainder).verbose_feature_names_out(verbose_feature_names_out);
        for (name, t, cols) in &transformers {
            let cols: Vec<String> =
                if cols.is_instance_of::<PyString>() { vec![cols.extract()?] } else { cols.extract()? };
            let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
            ct = ok(ct.add(name.clone(), to_column_step(t)?, &refs))?;
        }
        Ok(PyColumnTransformer { inner: ct })
    }

    /// Fits every entry on its columns; returns `self`.
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

    /// The entries' outputs side by side.
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

    /// The output feature names (`<entry>__<feature>`).
    #[pyo3(signature = (input_features = None))]
    fn get_feature_names_out(&self, input_features: Option<Vec<String>>) -> PyResult<Vec<String>> {
        let _ = input_features;
        ok(self.inner.get_feature_names_out())
    }

    /// Saves the fitted preparation as JSON, atomically.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let inner = &self.inner;
        run(py, move || inner.save(&path))
    }

    /// Loads a column transformer saved by `save`.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        Ok(PyColumnTransformer { inner: run(py, move || ColumnTransformer::load(&path))? })
    }

    /// The JSON text `save` writes.
    fn to_json(&self) -> PyResult<String> {
        ok(self.inner.to_json())
    }

    /// A column transformer from `to_json` text.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        Ok(PyColumnTransformer { inner: ok(ColumnTransformer::from_json(text))? })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let json = ok(slf.borrow().inner.to_json())?;
        Ok((slf.get_type().getattr("from_json")?, (json,)))
    }

    fn __repr__(&self) -> String {
        let state = if self.inner.is_fitted() { "fitted" } else { "not fitted" };
        format!("ColumnTransformer({state})")
    }
}
