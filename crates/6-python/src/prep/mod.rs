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

mod batch;
mod encode;
mod pipeline;
mod scale;
mod split;

use oxarray::io::csv::{self as iocsv, Table};
use oxarray::prep::{CategoricalColumn, Column, Frame};
use oxarray::{Array, DType};
use pyo3::exceptions::{PyAttributeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString};

use crate::creation::to_array;
use crate::csv::PyTable;
use crate::dtype::to_dtype;
use crate::errors::ok;

use batch::{PyBatchIter, PyBatchLoader};
use encode::{PyOneHotEncoder, PyOrdinalEncoder};
use pipeline::{PyColumnTransformer, PyPipeline};
use scale::{PyMaxAbsScaler, PyMinMaxScaler, PyNormalizer, PyRobustScaler, PySimpleImputer, PyStandardScaler};
use split::{PyKFold, PyStratifiedKFold, train_test_split};

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
