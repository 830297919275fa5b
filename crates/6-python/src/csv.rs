//! CSV: `read_csv` (a 2-D array of numeric columns, or a `Table` of named
//! numeric and categorical columns) and `write_csv`. Parsing and writing run
//! with the GIL released, on every core for large files.

use std::path::PathBuf;

use oxarray::DType;
use oxarray::io::csv::{self, Col, Column, CsvOptions, CsvWriteOptions, Table};
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::array::{PyArray, as_array};
use crate::creation::to_array;
use crate::dtype::to_dtype;
use crate::errors::{ok, run};

/// One column selector: a name (`str`) or a 0-based position (`int`).
fn to_col(obj: &Bound<'_, PyAny>) -> PyResult<Col> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Col::Name(s.to_string()));
    }
    obj.extract::<usize>().map(Col::Index).map_err(|_| {
        PyTypeError::new_err(format!(
            "a column is a name (str) or a non-negative position (int), not {}",
            obj.repr().map(|r| r.to_string()).unwrap_or_default()
        ))
    })
}

/// A list of column selectors (a single `str` is one column).
fn to_cols(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Col>> {
    if obj.is_instance_of::<PyString>() {
        return Ok(vec![to_col(obj)?]);
    }
    obj.try_iter()?.map(|c| to_col(&c?)).collect()
}

/// A one-byte delimiter.
fn one_byte(what: &str, s: &str) -> PyResult<u8> {
    match s.as_bytes() {
        [b] => Ok(*b),
        _ => Err(PyValueError::new_err(format!("{what} must be a single one-byte character, not {s:?}"))),
    }
}

/// The reading options from `read_csv`'s keyword arguments.
#[allow(clippy::too_many_arguments)]
fn options(
    columns: Option<&Bound<'_, PyAny>>,
    delimiter: Option<&str>,
    header: bool,
    missing: Option<&Bound<'_, PyAny>>,
    default_missing: bool,
    categorical: Option<&Bound<'_, PyAny>>,
    numeric: Option<&Bound<'_, PyAny>>,
    threads: usize,
) -> PyResult<CsvOptions> {
    let mut opts = CsvOptions::default().header(header).default_missing(default_missing).threads(threads);
    if let Some(d) = delimiter {
        opts = opts.delimiter(one_byte("delimiter", d)?);
    }
    if let Some(m) = missing.filter(|m| !m.is_none()) {
        let markers: Vec<String> = if m.is_instance_of::<PyString>() { vec![m.extract()?] } else { m.extract()? };
        opts = opts.missing_markers(markers);
    }
    if let Some(c) = columns.filter(|c| !c.is_none()) {
        opts = opts.columns(to_cols(c)?);
    }
    if let Some(c) = categorical.filter(|c| !c.is_none()) {
        opts = opts.categorical(to_cols(c)?);
    }
    if let Some(c) = numeric.filter(|c| !c.is_none()) {
        opts = opts.numeric(to_cols(c)?);
    }
    Ok(opts)
}

/// `read_csv(path, *, columns=None, dtype=None, delimiter=None, header=True,
/// missing=None, default_missing=True, categorical=None, numeric=None,
/// float_dtype="float64", threads=0)`.
///
/// With `dtype` (any real dtype) the selected columns come back as one
/// C-contiguous `rows × cols` array, NaN where a value was missing (every
/// selected column must be numeric). Without it the result is a [`PyTable`].
/// Malformed input is a `ValueError` naming the file, line and column.
#[pyfunction]
#[pyo3(signature = (
    path, *, columns = None, dtype = None, delimiter = None, header = true, missing = None,
    default_missing = true, categorical = None, numeric = None, float_dtype = None, threads = 0
))]
#[allow(clippy::too_many_arguments)]
fn read_csv<'py>(
    py: Python<'py>,
    path: PathBuf,
    columns: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
    delimiter: Option<&str>,
    header: bool,
    missing: Option<&Bound<'py, PyAny>>,
    default_missing: bool,
    categorical: Option<&Bound<'py, PyAny>>,
    numeric: Option<&Bound<'py, PyAny>>,
    float_dtype: Option<&Bound<'py, PyAny>>,
    threads: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let mut opts = options(columns, delimiter, header, missing, default_missing, categorical, numeric, threads)?;
    if let Some(fd) = float_dtype.filter(|d| !d.is_none()) {
        let fd = to_dtype(fd)?;
        if !matches!(fd, DType::Float32 | DType::Float64) {
            return Err(PyValueError::new_err(format!("float_dtype must be float32 or float64, not {fd}")));
        }
        opts = opts.float_dtype(fd);
    }
    if let Some(dtype) = dtype.filter(|d| !d.is_none()) {
        let dtype = to_dtype(dtype)?;
        let array = run(py, move || csv::read_csv_array(&path, &opts, dtype))?;
        return Ok(Bound::new(py, PyArray::from(array))?.into_any());
    }
    let table = run(py, move || csv::read_csv(&path, &opts))?;
    Ok(Bound::new(py, PyTable { table })?.into_any())
}

/// A categorical column: `categories` (distinct texts, first-seen order)
/// and `codes` (int32, one per row, -1 where missing).
#[pyclass(name = "Categorical", module = "oxarray", frozen)]
pub(crate) struct PyCategorical {
    pub(crate) column: csv::CategoricalColumn,
}

#[pymethods]
impl PyCategorical {
    /// `Categorical(categories, codes)`: codes (ints, -1 for missing) index
    /// the categories.
    #[new]
    fn new(categories: Vec<String>, codes: &Bound<'_, PyAny>) -> PyResult<Self> {
        let codes = ok(to_array(codes, None, None)?.astype(DType::Int32))?;
        let column = csv::CategoricalColumn { categories, codes };
        // Table::new checks the codes against the categories.
        ok(Table::new(vec!["column".into()], vec![Column::Categorical(column.clone())]))?;
        Ok(PyCategorical { column })
    }

    /// The distinct texts, in first-seen order.
    #[getter]
    fn categories(&self) -> Vec<String> {
        self.column.categories.clone()
    }

    /// One int32 code per row indexing `categories`; -1 where missing.
    #[getter]
    fn codes(&self) -> PyArray {
        self.column.codes.clone().into()
    }

    /// The same column with its categories sorted (as `pandas.Categorical`
    /// orders them) and the codes remapped.
    fn sorted(&self) -> PyResult<Self> {
        Ok(PyCategorical { column: ok(self.column.sorted())? })
    }

    /// The text of each row (`None` where missing).
    fn tolist(&self) -> PyResult<Vec<Option<String>>> {
        Ok(ok(self.column.texts())?.into_iter().map(|t| t.map(str::to_owned)).collect())
    }

    fn __len__(&self) -> usize {
        self.column.codes.size()
    }

    fn __repr__(&self) -> String {
        format!("Categorical(rows={}, categories={:?})", self.column.codes.size(), self.column.categories)
    }
}

/// Named columns read from a CSV file: numeric ones as 1-D float arrays
/// (NaN where missing), categorical ones as [`PyCategorical`].
///
/// `table["name"]` gives a column, `table.names` the names in file order,
/// `table.mask("name")` where a numeric column was missing,
/// `table.to_array(dtype)` the numeric columns as one 2-D array.
#[pyclass(name = "Table", module = "oxarray", frozen)]
pub(crate) struct PyTable {
    pub(crate) table: Table,
}

impl PyTable {
    fn get(&self, name: &str) -> PyResult<&Column> {
        self.table
            .column(name)
            .ok_or_else(|| PyKeyError::new_err(format!("no column {name:?}; the columns are {:?}", self.table.names())))
    }

    fn names_of(&self, numeric: bool) -> Vec<String> {
        self.table
            .names()
            .iter()
            .zip(self.table.columns())
            .filter(|(_, c)| matches!(c, Column::Numeric(_)) == numeric)
            .map(|(n, _)| n.clone())
            .collect()
    }
}

fn column_to_py<'py>(py: Python<'py>, column: &Column) -> PyResult<Bound<'py, PyAny>> {
    match column {
        Column::Numeric(n) => Ok(Bound::new(py, PyArray::from(n.values.clone()))?.into_any()),
        Column::Categorical(c) => Ok(Bound::new(py, PyCategorical { column: c.clone() })?.into_any()),
    }
}

#[pymethods]
impl PyTable {
    /// The column names, in column order.
    #[getter]
    fn names(&self) -> Vec<String> {
        self.table.names().to_vec()
    }

    /// The names of the numeric columns.
    #[getter]
    fn numeric_names(&self) -> Vec<String> {
        self.names_of(true)
    }

    /// The names of the categorical columns.
    #[getter]
    fn categorical_names(&self) -> Vec<String> {
        self.names_of(false)
    }

    /// `(rows, columns)`.
    #[getter]
    fn shape(&self) -> (usize, usize) {
        (self.table.n_rows(), self.table.n_cols())
    }

    /// The number of rows.
    #[getter]
    fn n_rows(&self) -> usize {
        self.table.n_rows()
    }

    /// The column names (as for a dict).
    fn keys(&self) -> Vec<String> {
        self.names()
    }

    /// `(name, column)` pairs.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
        self.table
            .names()
            .iter()
            .zip(self.table.columns())
            .map(|(n, c)| Ok((n.clone(), column_to_py(py, c)?)))
            .collect()
    }

    /// Whether the column `name` is numeric.
    fn is_numeric(&self, name: &str) -> PyResult<bool> {
        Ok(matches!(self.get(name)?, Column::Numeric(_)))
    }

    /// A boolean array, `True` where the numeric column `name` had no value,
    /// or `None` if none was missing.
    fn mask(&self, name: &str) -> PyResult<Option<PyArray>> {
        match self.get(name)? {
            Column::Numeric(n) => Ok(n.mask.clone().map(Into::into)),
            Column::Categorical(_) => {
                Err(PyTypeError::new_err(format!("column {name:?} is categorical: its codes are -1 where missing")))
            }
        }
    }

    /// The numeric columns (all, or those named) as one C-contiguous
    /// `rows × cols` array of `dtype` (default float64).
    #[pyo3(signature = (dtype = None, *, columns = None))]
    fn to_array(
        &self,
        py: Python<'_>,
        dtype: Option<&Bound<'_, PyAny>>,
        columns: Option<Vec<String>>,
    ) -> PyResult<PyArray> {
        let dtype = dtype.filter(|d| !d.is_none()).map(to_dtype).transpose()?.unwrap_or(DType::Float64);
        let table = match columns {
            None => self.table.clone(),
            Some(names) => {
                let cols = names.iter().map(|n| self.get(n).cloned()).collect::<PyResult<Vec<_>>>()?;
                ok(Table::new(names, cols))?
            }
        };
        run(py, move || table.to_array(dtype)).map(Into::into)
    }

    fn __getitem__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        column_to_py(py, self.get(name)?)
    }

    fn __contains__(&self, name: &str) -> bool {
        self.table.column(name).is_some()
    }

    fn __len__(&self) -> usize {
        self.table.n_cols()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyList::new(py, self.table.names())?.try_iter()?.into_any())
    }

    fn __repr__(&self) -> String {
        let cols: Vec<String> = self
            .table
            .names()
            .iter()
            .zip(self.table.columns())
            .map(|(n, c)| match c {
                Column::Numeric(c) => format!("{n}: {}", c.values.dtype()),
                Column::Categorical(c) => format!("{n}: categorical[{}]", c.categories.len()),
            })
            .collect();
        format!("Table(rows={}, columns=[{}])", self.table.n_rows(), cols.join(", "))
    }
}

/// `write_csv(path, data, *, header=None, delimiter=",", missing="",
/// crlf=False)`: writes a `Table`, a dict of 1-D arrays (keys are the
/// header), or a 1-D/2-D array (with `header` naming its columns, or no
/// header line) to `path`, atomically. NaN and missing categories are
/// written as `missing`.
#[pyfunction]
#[pyo3(signature = (path, data, *, header = None, delimiter = ",", missing = "", crlf = false))]
fn write_csv(
    py: Python<'_>,
    path: PathBuf,
    data: &Bound<'_, PyAny>,
    header: Option<Vec<String>>,
    delimiter: &str,
    missing: &str,
    crlf: bool,
) -> PyResult<()> {
    let opts = CsvWriteOptions::default().delimiter(one_byte("delimiter", delimiter)?).missing(missing).crlf(crlf);
    if let Ok(t) = data.cast::<PyTable>() {
        if header.is_some() {
            return Err(PyValueError::new_err("header= is not used with a Table: its names are the header"));
        }
        let table = t.get().table.clone();
        return run(py, move || csv::write_table(&path, &table, &opts));
    }
    if let Ok(d) = data.cast::<PyDict>() {
        if header.is_some() {
            return Err(PyValueError::new_err("header= is not used with a dict: its keys are the header"));
        }
        let mut names = Vec::new();
        let mut columns = Vec::new();
        for (k, v) in d.iter() {
            names.push(k.extract::<String>()?);
            columns.push(to_array(&v, None, None)?);
        }
        return run(py, move || {
            let header: Vec<&str> = names.iter().map(String::as_str).collect();
            csv::write_csv(&path, &header, &columns, &opts)
        });
    }
    let array = match as_array(data) {
        Some(a) => a,
        None => to_array(data, None, None)?,
    };
    let names = header.unwrap_or_default();
    run(py, move || {
        let header: Vec<&str> = names.iter().map(String::as_str).collect();
        csv::write_csv_array(&path, &header, &array, &opts)
    })
}

/// Adds `read_csv`, `write_csv`, `Table` and `Categorical` to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTable>()?;
    m.add_class::<PyCategorical>()?;
    m.add_function(wrap_pyfunction!(read_csv, m)?)?;
    m.add_function(wrap_pyfunction!(write_csv, m)?)?;
    Ok(())
}
