//! `oxarray.prep`: scikit-learn-like data preparation over `oxarray-prep`
//! (imputers, scalers, encoders, `Pipeline`, `ColumnTransformer`, splits,
//! `BatchLoader`). Signatures and defaults follow scikit-learn; fitting and
//! transforming run with the GIL released.
//!
//! Inputs: numeric transformers take anything `ox.asarray` takes (2-D,
//! float32 stays float32, NaN is missing). Encoders and
//! `ColumnTransformer` take columns: an `ox.Table` (from `ox.read_csv`), a
//! dict of columns, a pandas `DataFrame`, or a 2-D array/list of strings
//! (`None` or NaN is missing).
//!
//! Every estimator saves to and loads from JSON (`save`/`load`,
//! `to_json`/`from_json`) and pickles through that JSON.

use std::path::PathBuf;
use std::sync::Mutex;

use oxarray::io::csv::{self as iocsv, Table};
use oxarray::prep::{
    self, Batches, CategoricalColumn, CategoricalImputer, CategoricalStrategy, Column, ColumnStep, ColumnTransformer,
    Encoder, Frame, HandleUnknown, MaxAbsScaler, MinMaxScaler, Norm, Normalizer, OneHotEncoder, OrdinalEncoder,
    OrdinalUnknown, Pipeline, Remainder, RobustScaler, SimpleImputer, Size, Split, StandardScaler, Step, Strategy,
    Transformer,
};
use oxarray::{Array, DType};
use pyo3::exceptions::{PyAttributeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString, PyTuple, PyType};

use crate::array::PyArray;
use crate::creation::to_array;
use crate::csv::PyTable;
use crate::dtype::to_dtype;
use crate::errors::{ok, run, to_pyerr};

// ---------------------------------------------------------------------------
// Inputs

/// A numeric input as an array.
fn input(x: &Bound<'_, PyAny>) -> PyResult<Array> {
    to_array(x, None, None)
}

/// A fitted attribute, or scikit-learn's `AttributeError` before `fit`.
fn fitted<T>(value: Option<T>, cls: &str, attr: &str) -> PyResult<T> {
    value.ok_or_else(|| {
        PyAttributeError::new_err(format!("This {cls} instance is not fitted yet: it has no attribute {attr:?}"))
    })
}

/// One text cell: `None` or a float NaN is missing.
fn cell(obj: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if obj.is_none() {
        return Ok(None);
    }
    if let Ok(f) = obj.cast::<PyFloat>()
        && f.value().is_nan()
    {
        return Ok(None);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Some(s.to_string()));
    }
    Err(PyTypeError::new_err(format!(
        "categorical values must be str (or None/NaN for missing), got {}",
        obj.repr().map(|r| r.to_string()).unwrap_or_default()
    )))
}

/// A categorical column from Python values (str, None, NaN).
fn categorical_from_values(values: &Bound<'_, PyAny>) -> PyResult<CategoricalColumn> {
    let cells = values.try_iter()?.map(|v| cell(&v?)).collect::<PyResult<Vec<_>>>()?;
    let refs: Vec<Option<&str>> = cells.iter().map(Option::as_deref).collect();
    Ok(CategoricalColumn::from_values(&refs))
}

/// One column of a dict or DataFrame: an `ox.Categorical`, a numeric
/// array, or a sequence of strings.
fn frame_column(value: &Bound<'_, PyAny>) -> PyResult<Column> {
    if let Ok(c) = value.cast::<crate::csv::PyCategorical>() {
        let c = &c.get().column;
        return Ok(Column::Categorical(ok(CategoricalColumn::new(c.categories.clone(), &c.codes))?));
    }
    // NumPy arrays and pandas Series of strings/objects are categorical.
    let kind = value.getattr("dtype").and_then(|d| d.getattr("kind")).and_then(|k| k.extract::<String>()).ok();
    if kind.as_deref().is_some_and(|k| matches!(k, "O" | "U" | "S" | "T")) || value.is_instance_of::<PyList>() {
        let list = if value.hasattr("tolist")? { value.call_method0("tolist")? } else { value.clone() };
        let numeric = list.try_iter()?.all(|v| v.is_ok_and(|v| !v.is_instance_of::<PyString>() && !v.is_none()));
        if !numeric || kind.is_some() {
            return Ok(Column::Categorical(categorical_from_values(&list)?));
        }
    }
    Ok(Column::Numeric(input(value)?))
}

/// Columns for the encoders and `ColumnTransformer` (see the module docs).
fn to_frame(obj: &Bound<'_, PyAny>) -> PyResult<Frame> {
    if let Ok(t) = obj.cast::<PyTable>() {
        return table_to_frame(&t.get().table);
    }
    let mut frame = Frame::new();
    if let Ok(d) = obj.cast::<PyDict>() {
        for (k, v) in d.iter() {
            ok(frame.push(k.extract::<String>()?, frame_column(&v)?))?;
        }
        return Ok(frame);
    }
    // A pandas (or polars) DataFrame: named columns.
    if obj.hasattr("columns")? && obj.hasattr("dtypes")? {
        for name in obj.getattr("columns")?.try_iter()? {
            let name = name?;
            let column = frame_column(&obj.get_item(&name)?.call_method0("to_numpy")?)?;
            ok(frame.push(name.str()?.to_string(), column))?;
        }
        return Ok(frame);
    }
    // A 2-D array: numeric columns if it converts, else rows of strings.
    if let Ok(x) = input(obj) {
        return ok(Frame::from_array(&x, None));
    }
    let rows = if obj.hasattr("tolist")? { obj.call_method0("tolist")? } else { obj.clone() };
    let rows: Vec<Vec<Option<String>>> = rows
        .try_iter()?
        .map(|r| r?.try_iter()?.map(|c| cell(&c?)).collect::<PyResult<Vec<_>>>())
        .collect::<PyResult<_>>()?;
    let n_cols = rows.first().map_or(0, Vec::len);
    if let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != n_cols) {
        return Err(PyValueError::new_err(format!("row {i} has {} values; row 0 has {n_cols}", r.len())));
    }
    for j in 0..n_cols {
        let refs: Vec<Option<&str>> = rows.iter().map(|r| r[j].as_deref()).collect();
        ok(frame.push(format!("x{j}"), Column::Categorical(CategoricalColumn::from_values(&refs))))?;
    }
    Ok(frame)
}

fn table_to_frame(table: &Table) -> PyResult<Frame> {
    let mut frame = Frame::new();
    for (name, c) in table.names().iter().zip(table.columns()) {
        let column = match c {
            iocsv::Column::Numeric(n) => Column::Numeric(n.values.clone()),
            iocsv::Column::Categorical(k) => {
                Column::Categorical(ok(CategoricalColumn::new(k.categories.clone(), &k.codes))?)
            }
        };
        ok(frame.push(name.clone(), column))?;
    }
    Ok(frame)
}

fn frame_to_table(frame: &Frame) -> PyResult<PyTable> {
    let columns = frame
        .columns()
        .iter()
        .map(|c| {
            Ok(match c {
                Column::Numeric(a) => iocsv::Column::Numeric(iocsv::NumericColumn { values: a.clone(), mask: None }),
                Column::Categorical(k) => iocsv::Column::Categorical(iocsv::CategoricalColumn {
                    categories: k.categories().to_vec(),
                    codes: ok(k.codes_array().astype(DType::Int32))?,
                }),
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyTable { table: ok(Table::new(frame.names().to_vec(), columns))? })
}

/// `categories_`: one list per feature (`None` stands for the missing
/// category).
fn categories_py(cats: Option<Vec<Vec<Option<String>>>>, cls: &str) -> PyResult<Vec<Vec<Option<String>>>> {
    fitted(cats, cls, "categories_")
}

fn float_dtype(dtype: Option<&Bound<'_, PyAny>>) -> PyResult<DType> {
    dtype.filter(|d| !d.is_none()).map(to_dtype).transpose().map(|d| d.unwrap_or(DType::Float64))
}

/// A `(lo, hi)` pair.
fn pair(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<(f64, f64)> {
    obj.extract().map_err(|_| PyTypeError::new_err(format!("{what} must be a (low, high) pair of numbers")))
}

// ---------------------------------------------------------------------------
// Numeric transformers

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
            fn step(&self) -> Step {
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
    inner: SimpleImputer,
    /// The string fill value for categorical use (`"missing_value"` by default).
    fill_text: Option<String>,
}

impl PySimpleImputer {
    fn categorical(&self) -> PyResult<CategoricalImputer> {
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
    fn wrap(inner: SimpleImputer) -> Self {
        PySimpleImputer { inner, fill_text: None }
    }
}

/// `StandardScaler(*, copy=True, with_mean=True, with_std=True)`.
#[pyclass(name = "StandardScaler", module = "oxarray.prep")]
pub(crate) struct PyStandardScaler {
    inner: StandardScaler,
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
    fn wrap(inner: StandardScaler) -> Self {
        PyStandardScaler { inner }
    }
}
partial_fit!(PyStandardScaler);

/// `MinMaxScaler(feature_range=(0, 1), *, copy=True, clip=False)`.
#[pyclass(name = "MinMaxScaler", module = "oxarray.prep")]
pub(crate) struct PyMinMaxScaler {
    inner: MinMaxScaler,
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
    fn wrap(inner: MinMaxScaler) -> Self {
        PyMinMaxScaler { inner }
    }
}
partial_fit!(PyMinMaxScaler);

/// `MaxAbsScaler(*, copy=True, clip=False)`.
#[pyclass(name = "MaxAbsScaler", module = "oxarray.prep")]
pub(crate) struct PyMaxAbsScaler {
    inner: MaxAbsScaler,
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
    fn wrap(inner: MaxAbsScaler) -> Self {
        PyMaxAbsScaler { inner }
    }
}
partial_fit!(PyMaxAbsScaler);

/// `RobustScaler(*, with_centering=True, with_scaling=True,
/// quantile_range=(25.0, 75.0), copy=True, unit_variance=False)`
/// (`unit_variance=True` is not supported).
#[pyclass(name = "RobustScaler", module = "oxarray.prep")]
pub(crate) struct PyRobustScaler {
    inner: RobustScaler,
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
    fn wrap(inner: RobustScaler) -> Self {
        PyRobustScaler { inner }
    }
}

/// `Normalizer(norm="l2", *, copy=True)`.
#[pyclass(name = "Normalizer", module = "oxarray.prep")]
pub(crate) struct PyNormalizer {
    inner: Normalizer,
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
    fn wrap(inner: Normalizer) -> Self {
        PyNormalizer { inner }
    }
}

// ---------------------------------------------------------------------------
// Encoders

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
    inner: OneHotEncoder,
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
    inner: OrdinalEncoder,
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

// ---------------------------------------------------------------------------
// Pipeline and ColumnTransformer

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
    inner: ColumnTransformer,
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

// ---------------------------------------------------------------------------
// Splits

/// A seed: the given `random_state`, or a fresh one from Python's `random`.
fn seed(py: Python<'_>, random_state: Option<u64>) -> PyResult<u64> {
    match random_state {
        Some(s) => Ok(s),
        None => py.import("random")?.call_method1("getrandbits", (64,))?.extract(),
    }
}

/// A split size: a float fraction or an int count.
fn size(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<Size>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else { return Ok(None) };
    if obj.is_instance_of::<PyFloat>() {
        return Ok(Some(Size::Fraction(obj.extract()?)));
    }
    obj.extract::<usize>().map(|n| Some(Size::Count(n))).map_err(|_| {
        PyValueError::new_err(format!(
            "{what} must be a float in (0, 1) or a positive int, got {}",
            obj.repr().map(|r| r.to_string()).unwrap_or_default()
        ))
    })
}

/// Class labels as integers: integer arrays as they are, anything else
/// (strings, floats) numbered by first appearance.
fn labels(y: &Bound<'_, PyAny>) -> PyResult<Vec<i64>> {
    if let Ok(a) = input(y)
        && a.dtype().is_integer()
    {
        if a.ndim() != 1 {
            return Err(PyValueError::new_err(format!("labels must be 1-D, got shape {:?}", a.shape())));
        }
        return ok(a.astype(DType::Int64).and_then(|a| a.to_vec::<i64>()));
    }
    let values = if y.hasattr("tolist")? { y.call_method0("tolist")? } else { y.clone() };
    let ids = PyDict::new(y.py());
    let mut out = Vec::new();
    for v in values.try_iter()? {
        let v = v?;
        let id = match ids.get_item(&v)? {
            Some(id) => id.extract()?,
            None => {
                let id = ids.len() as i64;
                ids.set_item(&v, id)?;
                id
            }
        };
        out.push(id);
    }
    Ok(out)
}

fn indices(v: &[usize]) -> PyResult<PyArray> {
    let v: Vec<i64> = v.iter().map(|&i| i as i64).collect();
    ok(Array::from_vec(v.clone(), &[v.len()])).map(Into::into)
}

fn split_pair(py: Python<'_>, s: &Split) -> PyResult<Py<PyTuple>> {
    Ok(PyTuple::new(py, [indices(&s.train)?, indices(&s.test)?])?.unbind())
}

/// `train_test_split(*arrays, test_size=None, train_size=None,
/// random_state=None, shuffle=True, stratify=None)`: for each array its
/// train rows then its test rows, as scikit-learn returns them (test size
/// 0.25 when neither size is given). The shuffle uses oxarray's generator,
/// so a seed gives other rows than scikit-learn's (same sizes).
#[pyfunction]
#[pyo3(signature = (*arrays, test_size = None, train_size = None, random_state = None, shuffle = true, stratify = None))]
fn train_test_split(
    py: Python<'_>,
    arrays: &Bound<'_, PyTuple>,
    test_size: Option<&Bound<'_, PyAny>>,
    train_size: Option<&Bound<'_, PyAny>>,
    random_state: Option<u64>,
    shuffle: bool,
    stratify: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<PyArray>> {
    let arrays = arrays.iter().map(|a| input(&a)).collect::<PyResult<Vec<_>>>()?;
    let Some(first) = arrays.first() else {
        return Err(PyValueError::new_err("At least one array required as input"));
    };
    if first.ndim() == 0 {
        return Err(PyValueError::new_err("train_test_split needs arrays with rows (at least 1-D)"));
    }
    let n = first.shape()[0];
    if let Some((i, a)) = arrays.iter().enumerate().find(|(_, a)| a.ndim() == 0 || a.shape()[0] != n) {
        return Err(PyValueError::new_err(format!(
            "Found input variables with inconsistent numbers of samples: array 0 has {n} rows, array {i} has shape {:?}",
            a.shape()
        )));
    }
    let (test, train) = (size(test_size, "test_size")?, size(train_size, "train_size")?);
    let mut tts = prep::TrainTestSplit::new().shuffle(shuffle).seed(seed(py, random_state)?);
    match (test, train) {
        (Some(t), _) => tts = tts.test_size(t),
        // scikit-learn's default; with only a train size the test set is the rest.
        (None, None) => tts = tts.test_size(Size::Fraction(0.25)),
        (None, Some(_)) => {}
    }
    if let Some(t) = train {
        tts = tts.train_size(t);
    }
    let split = match stratify.filter(|s| !s.is_none()) {
        Some(y) => {
            let y = labels(y)?;
            if y.len() != n {
                return Err(PyValueError::new_err(format!("stratify has {} labels for {n} rows", y.len())));
            }
            run(py, move || tts.split_stratified(&y))?
        }
        None => run(py, move || tts.split(n))?,
    };
    run(py, move || {
        let mut out = Vec::with_capacity(2 * arrays.len());
        for a in &arrays {
            out.push(prep::take_rows(a, &split.train)?.into());
            out.push(prep::take_rows(a, &split.test)?.into());
        }
        Ok(out)
    })
}

/// `KFold(n_splits=5, *, shuffle=False, random_state=None)`: `split(X)`
/// yields `(train_indices, test_indices)` int64 arrays.
#[pyclass(name = "KFold", module = "oxarray.prep", frozen)]
pub(crate) struct PyKFold {
    n_splits: usize,
    shuffle: bool,
    random_state: Option<u64>,
}

/// The number of rows of `X` (an int is taken as the count).
fn n_rows(x: &Bound<'_, PyAny>) -> PyResult<usize> {
    if let Ok(n) = x.extract::<usize>() {
        return Ok(n);
    }
    x.len().map_err(|_| PyTypeError::new_err("X must be a sequence or array of samples"))
}

#[pymethods]
impl PyKFold {
    #[new]
    #[pyo3(signature = (n_splits = 5, *, shuffle = false, random_state = None))]
    fn new(n_splits: usize, shuffle: bool, random_state: Option<u64>) -> PyResult<Self> {
        ok(prep::KFold::new(n_splits))?;
        if !shuffle && random_state.is_some() {
            return Err(PyValueError::new_err(
                "Setting a random_state has no effect since shuffle is False. You should leave random_state to its default (None), or set shuffle=True.",
            ));
        }
        Ok(PyKFold { n_splits, shuffle, random_state })
    }

    /// The folds of `X`'s rows, as `(train, test)` index arrays.
    #[pyo3(signature = (x, y = None, groups = None))]
    fn split<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
        y: Option<&Bound<'py, PyAny>>,
        groups: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let _ = (y, groups);
        let mut k = ok(prep::KFold::new(self.n_splits))?;
        if self.shuffle {
            k = k.shuffle(seed(py, self.random_state)?);
        }
        let n = n_rows(x)?;
        let folds = run(py, move || k.split(n))?;
        let pairs = folds.iter().map(|s| split_pair(py, s)).collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, pairs)?.try_iter()?.into_any())
    }

    /// `n_splits`.
    #[pyo3(signature = (x = None, y = None, groups = None))]
    fn get_n_splits(
        &self,
        x: Option<&Bound<'_, PyAny>>,
        y: Option<&Bound<'_, PyAny>>,
        groups: Option<&Bound<'_, PyAny>>,
    ) -> usize {
        let _ = (x, y, groups);
        self.n_splits
    }

    /// The number of folds.
    #[getter(n_splits)]
    fn folds(&self) -> usize {
        self.n_splits
    }
}

/// `StratifiedKFold(n_splits=5, *, shuffle=False, random_state=None)`:
/// `split(X, y)` yields folds that keep the class shares of `y`.
#[pyclass(name = "StratifiedKFold", module = "oxarray.prep", frozen)]
pub(crate) struct PyStratifiedKFold {
    n_splits: usize,
    shuffle: bool,
    random_state: Option<u64>,
}

#[pymethods]
impl PyStratifiedKFold {
    #[new]
    #[pyo3(signature = (n_splits = 5, *, shuffle = false, random_state = None))]
    fn new(n_splits: usize, shuffle: bool, random_state: Option<u64>) -> PyResult<Self> {
        ok(prep::StratifiedKFold::new(n_splits))?;
        if !shuffle && random_state.is_some() {
            return Err(PyValueError::new_err(
                "Setting a random_state has no effect since shuffle is False. You should leave random_state to its default (None), or set shuffle=True.",
            ));
        }
        Ok(PyStratifiedKFold { n_splits, shuffle, random_state })
    }

    /// The folds, as `(train, test)` index arrays.
    #[pyo3(signature = (x, y, groups = None))]
    fn split<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
        y: &Bound<'py, PyAny>,
        groups: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let _ = groups;
        let y = labels(y)?;
        let n = n_rows(x)?;
        if n != y.len() {
            return Err(PyValueError::new_err(format!("X has {n} rows but y has {} labels", y.len())));
        }
        let mut k = ok(prep::StratifiedKFold::new(self.n_splits))?;
        if self.shuffle {
            k = k.shuffle(seed(py, self.random_state)?);
        }
        let folds = run(py, move || k.split(&y))?;
        let pairs = folds.iter().map(|s| split_pair(py, s)).collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, pairs)?.try_iter()?.into_any())
    }

    /// `n_splits`.
    #[pyo3(signature = (x = None, y = None, groups = None))]
    fn get_n_splits(
        &self,
        x: Option<&Bound<'_, PyAny>>,
        y: Option<&Bound<'_, PyAny>>,
        groups: Option<&Bound<'_, PyAny>>,
    ) -> usize {
        let _ = (x, y, groups);
        self.n_splits
    }

    /// The number of folds.
    #[getter(n_splits)]
    fn folds(&self) -> usize {
        self.n_splits
    }
}

// ---------------------------------------------------------------------------
// BatchLoader

/// `BatchLoader(*arrays, batch_size=32, shuffle=False, seed=None,
/// drop_last=False)`: iterating gives one epoch of mini-batches — a tuple
/// with the same rows of each array (or the array itself when one was
/// given). In order, batches are views; shuffled (a new permutation each
/// epoch), the next batch is gathered on a worker thread while Python
/// uses the current one.
#[pyclass(name = "BatchLoader", module = "oxarray.prep")]
pub(crate) struct PyBatchLoader {
    loader: prep::BatchLoader,
    single: bool,
    epoch: u64,
}

#[pymethods]
impl PyBatchLoader {
    #[new]
    #[pyo3(signature = (*arrays, batch_size = 32, shuffle = false, seed = None, drop_last = false))]
    fn new(
        py: Python<'_>,
        arrays: &Bound<'_, PyTuple>,
        batch_size: usize,
        shuffle: bool,
        seed: Option<u64>,
        drop_last: bool,
    ) -> PyResult<Self> {
        let arrays = arrays.iter().map(|a| input(&a)).collect::<PyResult<Vec<_>>>()?;
        let single = arrays.len() == 1;
        let mut loader = run(py, move || prep::BatchLoader::new(arrays, batch_size))?.drop_last(drop_last);
        if shuffle {
            loader = loader.shuffle(self::seed(py, seed)?);
        } else if seed.is_some() {
            return Err(PyValueError::new_err("seed has no effect without shuffle=True"));
        }
        Ok(PyBatchLoader { loader, single, epoch: 0 })
    }

    /// Batches per epoch.
    fn __len__(&self) -> usize {
        self.loader.n_batches()
    }

    /// The next epoch's batches.
    fn __iter__(&mut self) -> PyBatchIter {
        let epoch = self.epoch;
        self.epoch += 1;
        self.epoch_iter(epoch)
    }

    /// The batches of epoch `epoch` (the same rows every time for a given
    /// seed and epoch).
    fn epoch(&self, epoch: u64) -> PyBatchIter {
        self.epoch_iter(epoch)
    }
}

impl PyBatchLoader {
    fn epoch_iter(&self, epoch: u64) -> PyBatchIter {
        PyBatchIter { batches: Mutex::new(self.loader.epoch(epoch)), single: self.single }
    }
}

/// One epoch of a `BatchLoader`.
#[pyclass(name = "BatchIterator", module = "oxarray.prep")]
pub(crate) struct PyBatchIter {
    batches: Mutex<Batches>,
    single: bool,
}

#[pymethods]
impl PyBatchIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let batches = &self.batches;
        let next = py.detach(move || batches.lock().expect("batch iterator lock").next());
        let Some(batch) = next else { return Ok(None) };
        let arrays = batch.map_err(to_pyerr)?.into_arrays();
        if self.single {
            let a = arrays.into_iter().next().expect("one array");
            return Ok(Some(Bound::new(py, PyArray::from(a))?.into_any()));
        }
        let items = arrays.into_iter().map(PyArray::from).collect::<Vec<_>>();
        Ok(Some(PyTuple::new(py, items)?.into_any()))
    }
}

/// Adds the `_prep` submodule (`oxarray._oxarray._prep`), which `oxarray/prep.py` re-exports as `oxarray.prep`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let p = PyModule::new(py, "_prep")?;
    p.add_class::<PySimpleImputer>()?;
    p.add_class::<PyStandardScaler>()?;
    p.add_class::<PyMinMaxScaler>()?;
    p.add_class::<PyMaxAbsScaler>()?;
    p.add_class::<PyRobustScaler>()?;
    p.add_class::<PyNormalizer>()?;
    p.add_class::<PyOneHotEncoder>()?;
    p.add_class::<PyOrdinalEncoder>()?;
    p.add_class::<PyPipeline>()?;
    p.add_class::<PyColumnTransformer>()?;
    p.add_class::<PyKFold>()?;
    p.add_class::<PyStratifiedKFold>()?;
    p.add_class::<PyBatchLoader>()?;
    p.add_class::<PyBatchIter>()?;
    p.add_function(wrap_pyfunction!(train_test_split, &p)?)?;
    m.add_submodule(&p)?;
    Ok(())
}
