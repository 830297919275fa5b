//! Numeric transformers: `SimpleImputer`, the scalers and `Normalizer`.

use std::path::PathBuf;

use oxarray::Array;
use oxarray::prep::{
    self, CategoricalImputer, CategoricalStrategy, MaxAbsScaler, MinMaxScaler, Norm, Normalizer, RobustScaler,
    SimpleImputer, StandardScaler, Step, Strategy, Transformer,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyType};

use crate::array::PyArray;
use crate::errors::{ok, run};

use super::{fitted, input, pair};

/// The methods every numeric transformer shares, and its JSON persistence.
macro_rules! numeric_transformer {
    ($py:ident, $rust:ty, $name:literal) => {
        #[pymethods]
        impl $py {
            /// Learns the state from `X` (rows × features); returns `self`.
            #[pyo3(signature = (x, y = None))]
            fn fit<'py>(
                mut slf: PyRefMut<'py, Self>,
                x: &Bound<'py, PyAny>,
                y: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<PyRefMut<'py, Self>> {
                let _ = y;
                let x = input(x)?;
                let py = slf.py();
                let inner = &mut slf.inner;
                run(py, move || inner.fit(&x))?;
                Ok(slf)
            }

            /// The transformed copy of `X`.
            fn transform(&self, py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
                let x = input(x)?;
                let inner = &self.inner;
                run(py, move || inner.transform(&x)).map(Into::into)
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
                let x = input(x)?;
                let inner = &mut self.inner;
                run(py, move || inner.fit_transform(&x)).map(Into::into)
            }

            /// Maps transformed data back to the original scale.
            fn inverse_transform(&self, py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
                let x = input(x)?;
                let inner = &self.inner;
                run(py, move || inner.inverse_transform(&x)).map(Into::into)
            }

            /// Output feature names (`x0`, `x1`, … for unnamed input).
            #[pyo3(signature = (input_features = None))]
            fn get_feature_names_out(&self, input_features: Option<Vec<String>>) -> PyResult<Vec<String>> {
                ok(self.inner.get_feature_names_out(input_features.as_deref()))
            }

            /// The number of features seen in `fit`.
            #[getter]
            fn n_features_in_(&self) -> PyResult<usize> {
                fitted(self.inner.n_features_in(), $name, "n_features_in_")
            }

            /// Saves the (fitted) transformer as JSON, atomically.
            fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
                let inner = &self.inner;
                run(py, move || prep::persist::save(inner, &path))
            }

            /// Loads a transformer saved by `save`.
            #[staticmethod]
            fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
                let inner: $rust = run(py, move || prep::persist::load(&path))?;
                Ok(Self::wrap(inner))
            }

            /// The JSON text `save` writes.
            fn to_json(&self) -> PyResult<String> {
                ok(prep::persist::to_json(&self.inner))
            }

            /// A transformer from `to_json` text.
            #[classmethod]
            fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
                Ok(Self::wrap(ok(prep::persist::from_json(text, None))?))
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

        impl $py {
            pub(super) fn step(&self) -> Step {
                self.inner.clone().into()
            }
        }
    };
}

/// Partial fitting for the scalers that support it.
macro_rules! partial_fit {
    ($py:ident) => {
        #[pymethods]
        impl $py {
            /// Updates the state with another batch of rows; returns `self`.
            #[pyo3(signature = (x, y = None))]
            fn partial_fit<'py>(
                mut slf: PyRefMut<'py, Self>,
                x: &Bound<'py, PyAny>,
                y: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<PyRefMut<'py, Self>> {
                let _ = y;
                let x = input(x)?;
                let py = slf.py();
                let inner = &mut slf.inner;
                run(py, move || inner.partial_fit(&x))?;
                Ok(slf)
            }
        }
    };
}

/// `SimpleImputer(*, missing_values=nan, strategy="mean", fill_value=None,
/// copy=True, add_indicator=False, keep_empty_features=False)`. Only NaN
/// marks missing values. In a `Pipeline` before an encoder, the
/// `"most_frequent"` and `"constant"` strategies fill categories instead.
#[pyclass(name = "SimpleImputer", module = "oxarray.prep")]
pub(crate) struct PySimpleImputer {
    pub(super) inner: SimpleImputer,
    /// The string fill value for categorical use (`"missing_value"` by default).
    fill_text: Option<String>,
}

impl PySimpleImputer {
    pub(super) fn categorical(&self) -> PyResult<CategoricalImputer> {
        Ok(CategoricalImputer::new(match self.inner.strategy() {
            Strategy::MostFrequent => CategoricalStrategy::MostFrequent,
            Strategy::Constant(_) => {
                CategoricalStrategy::Constant(self.fill_text.clone().unwrap_or_else(|| "missing_value".into()))
            }
            other => {
                return Err(PyValueError::new_err(format!(
                    "SimpleImputer(strategy={other:?}) cannot fill categories; use \"most_frequent\" or \"constant\""
                )));
            }
        }))
    }
}

#[pymethods]
impl PySimpleImputer {
    #[new]
    #[pyo3(signature = (*, missing_values = None, strategy = "mean", fill_value = None, copy = true,
                        add_indicator = false, keep_empty_features = false))]
    fn new(
        missing_values: Option<&Bound<'_, PyAny>>,
        strategy: &str,
        fill_value: Option<&Bound<'_, PyAny>>,
        copy: bool,
        add_indicator: bool,
        keep_empty_features: bool,
    ) -> PyResult<Self> {
        let _ = copy;
        if let Some(m) = missing_values.filter(|m| !m.is_none())
            && !m.extract::<f64>().is_ok_and(f64::is_nan)
        {
            return Err(PyValueError::new_err("SimpleImputer supports missing_values=nan only"));
        }
        let mut fill_text = None;
        let strategy = match strategy {
            "mean" => Strategy::Mean,
            "median" => Strategy::Median,
            "most_frequent" => Strategy::MostFrequent,
            "constant" => {
                let value = match fill_value.filter(|f| !f.is_none()) {
                    None => 0.0,
                    Some(f) if f.is_instance_of::<PyString>() => {
                        fill_text = Some(f.extract()?);
                        f64::NAN
                    }
                    Some(f) => f.extract()?,
                };
                Strategy::Constant(value)
            }
            other => {
                return Err(PyValueError::new_err(format!(
                    "strategy must be \"mean\", \"median\", \"most_frequent\" or \"constant\", not {other:?}"
                )));
            }
        };
        let inner = SimpleImputer::new(strategy).add_indicator(add_indicator).keep_empty_features(keep_empty_features);
        Ok(PySimpleImputer { inner, fill_text })
    }

    /// `statistics_`: the fill value of each feature.
    #[getter]
    fn statistics_(&self) -> PyResult<PyArray> {
        fitted(self.inner.statistics(), "SimpleImputer", "statistics_").map(Into::into)
    }

    /// The features that get a missing-value indicator column.
    #[getter]
    fn indicator_features_(&self) -> PyResult<Vec<usize>> {
        fitted(self.inner.indicator_features(), "SimpleImputer", "indicator_features_").map(<[usize]>::to_vec)
    }
}
numeric_transformer!(PySimpleImputer, SimpleImputer, "SimpleImputer");

impl PySimpleImputer {
    pub(super) fn wrap(inner: SimpleImputer) -> Self {
        PySimpleImputer { inner, fill_text: None }
    }
}

/// `StandardScaler(*, copy=True, with_mean=True, with_std=True)`.
#[pyclass(name = "StandardScaler", module = "oxarray.prep")]
pub(crate) struct PyStandardScaler {
    pub(super) inner: StandardScaler,
}

#[pymethods]
impl PyStandardScaler {
    #[new]
    #[pyo3(signature = (*, copy = true, with_mean = true, with_std = true))]
    fn new(copy: bool, with_mean: bool, with_std: bool) -> Self {
        let _ = copy;
        PyStandardScaler { inner: StandardScaler::new().with_mean(with_mean).with_std(with_std) }
    }

    /// `mean_` (`None` when `with_mean=False` and `with_std=False`).
    #[getter]
    fn mean_(&self) -> PyResult<PyArray> {
        fitted(self.inner.mean(), "StandardScaler", "mean_").map(Into::into)
    }

    /// `var_`.
    #[getter]
    fn var_(&self) -> PyResult<PyArray> {
        fitted(self.inner.var(), "StandardScaler", "var_").map(Into::into)
    }

    /// `scale_`.
    #[getter]
    fn scale_(&self) -> PyResult<PyArray> {
        fitted(self.inner.scale(), "StandardScaler", "scale_").map(Into::into)
    }

    /// `n_samples_seen_`: an int, or one per feature when NaNs made them
    /// differ.
    #[getter]
    fn n_samples_seen_<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let n = fitted(self.inner.n_samples_seen(), "StandardScaler", "n_samples_seen_")?;
        match n.split_first() {
            Some((first, rest)) if rest.iter().all(|v| v == first) => Ok(first.into_pyobject(py)?.into_any()),
            _ => {
                Ok(PyArray::from(ok(Array::from_slice(&n.iter().map(|&v| v as i64).collect::<Vec<_>>(), &[n.len()]))?)
                    .into_pyobject(py)?
                    .into_any())
            }
        }
    }
}
numeric_transformer!(PyStandardScaler, StandardScaler, "StandardScaler");

impl PyStandardScaler {
    pub(super) fn wrap(inner: StandardScaler) -> Self {
        PyStandardScaler { inner }
    }
}
partial_fit!(PyStandardScaler);

/// `MinMaxScaler(feature_range=(0, 1), *, copy=True, clip=False)`.
#[pyclass(name = "MinMaxScaler", module = "oxarray.prep")]
pub(crate) struct PyMinMaxScaler {
    pub(super) inner: MinMaxScaler,
}

#[pymethods]
impl PyMinMaxScaler {
    #[new]
    #[pyo3(signature = (feature_range = None, *, copy = true, clip = false))]
    fn new(feature_range: Option<&Bound<'_, PyAny>>, copy: bool, clip: bool) -> PyResult<Self> {
        let _ = copy;
        let (lo, hi) = feature_range.map(|r| pair(r, "feature_range")).transpose()?.unwrap_or((0.0, 1.0));
        Ok(PyMinMaxScaler { inner: ok(MinMaxScaler::new().feature_range(lo, hi))?.clip(clip) })
    }

    /// `data_min_`.
    #[getter]
    fn data_min_(&self) -> PyResult<PyArray> {
        fitted(self.inner.data_min(), "MinMaxScaler", "data_min_").map(Into::into)
    }

    /// `data_max_`.
    #[getter]
    fn data_max_(&self) -> PyResult<PyArray> {
        fitted(self.inner.data_max(), "MinMaxScaler", "data_max_").map(Into::into)
    }

    /// `data_range_`.
    #[getter]
    fn data_range_(&self) -> PyResult<PyArray> {
        fitted(self.inner.data_range(), "MinMaxScaler", "data_range_").map(Into::into)
    }

    /// `scale_`.
    #[getter]
    fn scale_(&self) -> PyResult<PyArray> {
        fitted(self.inner.scale(), "MinMaxScaler", "scale_").map(Into::into)
    }

    /// `min_`.
    #[getter]
    fn min_(&self) -> PyResult<PyArray> {
        fitted(self.inner.min(), "MinMaxScaler", "min_").map(Into::into)
    }

    /// `n_samples_seen_`.
    #[getter]
    fn n_samples_seen_(&self) -> PyResult<u64> {
        fitted(self.inner.n_samples_seen(), "MinMaxScaler", "n_samples_seen_")
    }
}
numeric_transformer!(PyMinMaxScaler, MinMaxScaler, "MinMaxScaler");

impl PyMinMaxScaler {
    pub(super) fn wrap(inner: MinMaxScaler) -> Self {
        PyMinMaxScaler { inner }
    }
}
partial_fit!(PyMinMaxScaler);

/// `MaxAbsScaler(*, copy=True, clip=False)`.
#[pyclass(name = "MaxAbsScaler", module = "oxarray.prep")]
pub(crate) struct PyMaxAbsScaler {
    pub(super) inner: MaxAbsScaler,
}

#[pymethods]
impl PyMaxAbsScaler {
    #[new]
    #[pyo3(signature = (*, copy = true, clip = false))]
    fn new(copy: bool, clip: bool) -> Self {
        let _ = copy;
        PyMaxAbsScaler { inner: MaxAbsScaler::new().clip(clip) }
    }

    /// `max_abs_`.
    #[getter]
    fn max_abs_(&self) -> PyResult<PyArray> {
        fitted(self.inner.max_abs(), "MaxAbsScaler", "max_abs_").map(Into::into)
    }

    /// `scale_`.
    #[getter]
    fn scale_(&self) -> PyResult<PyArray> {
        fitted(self.inner.scale(), "MaxAbsScaler", "scale_").map(Into::into)
    }

    /// `n_samples_seen_`.
    #[getter]
    fn n_samples_seen_(&self) -> PyResult<u64> {
        fitted(self.inner.n_samples_seen(), "MaxAbsScaler", "n_samples_seen_")
    }
}
numeric_transformer!(PyMaxAbsScaler, MaxAbsScaler, "MaxAbsScaler");

impl PyMaxAbsScaler {
    pub(super) fn wrap(inner: MaxAbsScaler) -> Self {
        PyMaxAbsScaler { inner }
    }
}
partial_fit!(PyMaxAbsScaler);

/// `RobustScaler(*, with_centering=True, with_scaling=True,
/// quantile_range=(25.0, 75.0), copy=True, unit_variance=False)`
/// (`unit_variance=True` is not supported).
#[pyclass(name = "RobustScaler", module = "oxarray.prep")]
pub(crate) struct PyRobustScaler {
    pub(super) inner: RobustScaler,
}

#[pymethods]
impl PyRobustScaler {
    #[new]
    #[pyo3(signature = (*, with_centering = true, with_scaling = true, quantile_range = None, copy = true,
                        unit_variance = false))]
    fn new(
        with_centering: bool,
        with_scaling: bool,
        quantile_range: Option<&Bound<'_, PyAny>>,
        copy: bool,
        unit_variance: bool,
    ) -> PyResult<Self> {
        let _ = copy;
        if unit_variance {
            return Err(PyValueError::new_err("RobustScaler(unit_variance=True) is not supported"));
        }
        let (lo, hi) = quantile_range.map(|r| pair(r, "quantile_range")).transpose()?.unwrap_or((25.0, 75.0));
        let inner =
            ok(RobustScaler::new().with_centering(with_centering).with_scaling(with_scaling).quantile_range(lo, hi))?;
        Ok(PyRobustScaler { inner })
    }

    /// `center_`.
    #[getter]
    fn center_(&self) -> PyResult<PyArray> {
        fitted(self.inner.center(), "RobustScaler", "center_").map(Into::into)
    }

    /// `scale_`.
    #[getter]
    fn scale_(&self) -> PyResult<PyArray> {
        fitted(self.inner.scale(), "RobustScaler", "scale_").map(Into::into)
    }
}
numeric_transformer!(PyRobustScaler, RobustScaler, "RobustScaler");

impl PyRobustScaler {
    pub(super) fn wrap(inner: RobustScaler) -> Self {
        PyRobustScaler { inner }
    }
}

/// `Normalizer(norm="l2", *, copy=True)`.
#[pyclass(name = "Normalizer", module = "oxarray.prep")]
pub(crate) struct PyNormalizer {
    pub(super) inner: Normalizer,
}

#[pymethods]
impl PyNormalizer {
    #[new]
    #[pyo3(signature = (norm = "l2", *, copy = true))]
    fn new(norm: &str, copy: bool) -> PyResult<Self> {
        let _ = copy;
        let norm = match norm {
            "l1" => Norm::L1,
            "l2" => Norm::L2,
            "max" => Norm::Max,
            other => {
                return Err(PyValueError::new_err(format!("norm must be \"l1\", \"l2\" or \"max\", not {other:?}")));
            }
        };
        Ok(PyNormalizer { inner: Normalizer::new(norm) })
    }
}
numeric_transformer!(PyNormalizer, Normalizer, "Normalizer");

impl PyNormalizer {
    pub(super) fn wrap(inner: Normalizer) -> Self {
        PyNormalizer { inner }
    }
}
