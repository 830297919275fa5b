//! Splits: `train_test_split`, `KFold`, `StratifiedKFold`.

use oxarray::prep::{self, Size, Split};
use oxarray::{Array, DType};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyTuple};

use crate::array::PyArray;
use crate::errors::{ok, run};

use super::input;

/// A seed: the given `random_state`, or a fresh one from Python's `random`.
pub(super) fn seed(py: Python<'_>, random_state: Option<u64>) -> PyResult<u64> {
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
pub(super) fn train_test_split(
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
