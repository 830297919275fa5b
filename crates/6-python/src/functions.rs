//! The Array API's statistical, searching, sorting, set, utility,
//! indexing, manipulation (the rest of it), linear-algebra and
//! data-type functions, and the `@` operator. Each function converts its
//! arguments, calls the core with the GIL released ([`run`]) and wraps
//! the result; the few that the core has no single call for (`roll`,
//! `diff`, `meshgrid`, `tril`/`triu`, `count_nonzero`, `isin`, `unstack`)
//! are compositions of core calls. A few NumPy functions outside the
//! standard that ML code reaches for are here too: the NaN-ignoring
//! reductions, `argwhere`, `topk` and constant `pad`.

use oxarray::{Array, Casting, DType, Index, ScalarKind, Side, SortOptions, UnaryOp};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::array::PyArray;
use crate::creation::to_array;
use crate::dtype::{PyDType, to_dtype};
use crate::errors::{ok, run, to_pyerr};
use crate::scalar::{PyScalar, with_scalar};

/// Any array-like as an [`Array`].
pub(crate) fn arr(x: &Bound<'_, PyAny>) -> PyResult<Array> {
    to_array(x, None, None)
}

/// An optional `axis` argument: `None`, an int or a tuple of ints.
pub(crate) fn opt_axes(axis: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<isize>>> {
    match axis.filter(|a| !a.is_none()) {
        None => Ok(None),
        Some(a) => match a.extract::<isize>() {
            Ok(i) => Ok(Some(vec![i])),
            Err(_) => a.extract::<Vec<isize>>().map(Some).map_err(|_| {
                PyTypeError::new_err(format!("axis must be None, an int or a tuple of ints, not {}", type_name(a)))
            }),
        },
    }
}

fn type_name(x: &Bound<'_, PyAny>) -> String {
    x.get_type().name().map(|n| n.to_string()).unwrap_or_default()
}

fn opt_dtype(dtype: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DType>> {
    dtype.filter(|d| !d.is_none()).map(to_dtype).transpose()
}

fn wrap(a: Array) -> PyArray {
    a.into()
}

fn tuple_of<'py>(py: Python<'py>, arrays: Vec<Array>) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, arrays.into_iter().map(PyArray::from))
}

/// A named-tuple result type of the namespace: its module, name and fields.
pub(crate) struct ResultType {
    cell: PyOnceLock<Py<PyAny>>,
    module: &'static str,
    name: &'static str,
    fields: &'static [&'static str],
}

impl ResultType {
    /// A result type (made on first use).
    pub(crate) const fn new(module: &'static str, name: &'static str, fields: &'static [&'static str]) -> Self {
        ResultType { cell: PyOnceLock::new(), module, name, fields }
    }

    /// The `collections.namedtuple` class.
    pub(crate) fn class<'py>(&'static self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let class = self.cell.get_or_try_init(py, || {
            let f = py.import("collections")?.getattr("namedtuple")?.call1((self.name, self.fields.to_vec()))?;
            f.setattr("__module__", self.module)?;
            Ok::<_, PyErr>(f.unbind())
        })?;
        Ok(class.bind(py).clone())
    }

    /// An instance holding `arrays`.
    pub(crate) fn make<'py>(&'static self, py: Python<'py>, arrays: Vec<Array>) -> PyResult<Bound<'py, PyAny>> {
        self.class(py)?.call1(tuple_of(py, arrays)?)
    }

    /// Adds the class to `m` under its name.
    pub(crate) fn register(&'static self, m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add(self.name, self.class(m.py())?)
    }
}

/// Normalizes `axis` against `ndim` (negative counts from the end).
fn norm_axis(axis: isize, ndim: usize) -> PyResult<usize> {
    let n = ndim as isize;
    let k = if axis < 0 { axis + n } else { axis };
    if k < 0 || k >= n {
        return Err(to_pyerr(oxarray::ErrorKind::AxisOutOfBounds { axis, ndim }.into()));
    }
    Ok(k as usize)
}

/// The index that applies `index` along axis `k` and takes everything
/// elsewhere.
fn along(k: usize, index: Index) -> Vec<Index> {
    let mut key = vec![Index::ALL; k];
    key.push(index);
    key
}

// ---------------------------------------------------------------- statistical

macro_rules! reductions {
    ($($name:ident => $method:ident),* $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($name), "(x, /, *, axis=None, keepdims=False)`.")]
            #[pyfunction]
            #[pyo3(signature = (x, /, *, axis = None, keepdims = false))]
            fn $name(x: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>, keepdims: bool) -> PyResult<PyArray> {
                let (a, axes) = (arr(x)?, opt_axes(axis)?);
                run(x.py(), move || a.$method(axes.as_deref(), keepdims)).map(wrap)
            }
        )*
    };
}

reductions! { max => max, min => min, mean => mean, all => all, any => any }

// NumPy's NaN-ignoring reductions (not in the Array API standard).
reductions! { nansum => nansum, nanmean => nanmean, nanmax => nanmax, nanmin => nanmin }

/// `sum(x, /, *, axis=None, dtype=None, keepdims=False)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = None, dtype = None, keepdims = false))]
fn sum(
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    dtype: Option<&Bound<'_, PyAny>>,
    keepdims: bool,
) -> PyResult<PyArray> {
    let (a, axes, dtype) = (arr(x)?, opt_axes(axis)?, opt_dtype(dtype)?);
    run(x.py(), move || match dtype {
        Some(d) => a.sum_as(axes.as_deref(), keepdims, d),
        None => a.sum(axes.as_deref(), keepdims),
    })
    .map(wrap)
}

/// `prod(x, /, *, axis=None, dtype=None, keepdims=False)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = None, dtype = None, keepdims = false))]
fn prod(
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    dtype: Option<&Bound<'_, PyAny>>,
    keepdims: bool,
) -> PyResult<PyArray> {
    let (a, axes, dtype) = (arr(x)?, opt_axes(axis)?, opt_dtype(dtype)?);
    run(x.py(), move || match dtype {
        Some(d) => a.prod_as(axes.as_deref(), keepdims, d),
        None => a.prod(axes.as_deref(), keepdims),
    })
    .map(wrap)
}

/// `var(x, /, *, axis=None, correction=0.0, keepdims=False)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = None, correction = 0.0, keepdims = false))]
fn var(x: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>, correction: f64, keepdims: bool) -> PyResult<PyArray> {
    let (a, axes) = (arr(x)?, opt_axes(axis)?);
    run(x.py(), move || a.var(axes.as_deref(), correction, keepdims)).map(wrap)
}

/// `std(x, /, *, axis=None, correction=0.0, keepdims=False)`.
#[pyfunction(name = "std")]
#[pyo3(signature = (x, /, *, axis = None, correction = 0.0, keepdims = false))]
fn std_(x: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>, correction: f64, keepdims: bool) -> PyResult<PyArray> {
    let (a, axes) = (arr(x)?, opt_axes(axis)?);
    run(x.py(), move || a.std(axes.as_deref(), correction, keepdims)).map(wrap)
}

/// `var_mean(x, /, *, axis=None, correction=0.0, keepdims=False)`:
/// PyTorch's `(var, mean)` from one read of `x`; the variance has
/// `var`'s bits, the mean `mean`'s within its error bound.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = None, correction = 0.0, keepdims = false))]
fn var_mean(
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    correction: f64,
    keepdims: bool,
) -> PyResult<(PyArray, PyArray)> {
    spread_and_mean(x, axis, correction, keepdims, Array::var_mean)
}

/// `std_mean(x, /, *, axis=None, correction=0.0, keepdims=False)`:
/// PyTorch's `(std, mean)` from one read of `x`; the standard deviation
/// has `std`'s bits, the mean `mean`'s within its error bound.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = None, correction = 0.0, keepdims = false))]
fn std_mean(
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    correction: f64,
    keepdims: bool,
) -> PyResult<(PyArray, PyArray)> {
    spread_and_mean(x, axis, correction, keepdims, Array::std_mean)
}

/// A core method returning a spread (variance or standard deviation) and
/// the mean: `Array::var_mean` or `Array::std_mean`.
type SpreadAndMean = fn(&Array, Option<&[isize]>, f64, bool) -> oxarray::Result<(Array, Array)>;

/// The arguments and results of [`var_mean`] and [`std_mean`] around the
/// core method `f`.
fn spread_and_mean(
    x: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    correction: f64,
    keepdims: bool,
    f: SpreadAndMean,
) -> PyResult<(PyArray, PyArray)> {
    let (a, axes) = (arr(x)?, opt_axes(axis)?);
    let (s, m) = run(x.py(), move || f(&a, axes.as_deref(), correction, keepdims))?;
    Ok((wrap(s), wrap(m)))
}

/// `cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = None, dtype = None, include_initial = false))]
fn cumulative_sum(
    x: &Bound<'_, PyAny>,
    axis: Option<isize>,
    dtype: Option<&Bound<'_, PyAny>>,
    include_initial: bool,
) -> PyResult<PyArray> {
    let (a, dtype) = (arr(x)?, opt_dtype(dtype)?);
    run(x.py(), move || a.cumulative_sum(axis, dtype, include_initial)).map(wrap)
}

/// `cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = None, dtype = None, include_initial = false))]
fn cumulative_prod(
    x: &Bound<'_, PyAny>,
    axis: Option<isize>,
    dtype: Option<&Bound<'_, PyAny>>,
    include_initial: bool,
) -> PyResult<PyArray> {
    let (a, dtype) = (arr(x)?, opt_dtype(dtype)?);
    run(x.py(), move || a.cumulative_prod(axis, dtype, include_initial)).map(wrap)
}

// ------------------------------------------------------------------ searching

/// `argmax(x, /, *, axis=None, keepdims=False)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = None, keepdims = false))]
fn argmax(x: &Bound<'_, PyAny>, axis: Option<isize>, keepdims: bool) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || a.argmax(axis, keepdims)).map(wrap)
}

/// `argmin(x, /, *, axis=None, keepdims=False)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = None, keepdims = false))]
fn argmin(x: &Bound<'_, PyAny>, axis: Option<isize>, keepdims: bool) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || a.argmin(axis, keepdims)).map(wrap)
}

/// `count_nonzero(x, /, *, axis=None, keepdims=False)`: int64 counts (NaN
/// counts as non-zero, `-0.0` as zero).
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = None, keepdims = false))]
fn count_nonzero(x: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>, keepdims: bool) -> PyResult<PyArray> {
    let (a, axes) = (arr(x)?, opt_axes(axis)?);
    run(x.py(), move || a.astype_with(DType::Bool, Casting::Unsafe)?.sum_as(axes.as_deref(), keepdims, DType::Int64))
        .map(wrap)
}

/// `nonzero(x, /)`: a tuple of int64 index arrays, one per axis.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn nonzero<'py>(x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    let a = arr(x)?;
    tuple_of(x.py(), run(x.py(), move || a.nonzero())?)
}

/// `searchsorted(x1, x2, /, *, side="left", sorter=None)`; `x2` may be a
/// Python scalar.
#[pyfunction]
#[pyo3(signature = (x1, x2, /, *, side = "left", sorter = None))]
fn searchsorted(
    x1: &Bound<'_, PyAny>,
    x2: &Bound<'_, PyAny>,
    side: &str,
    sorter: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    let side = match side {
        "left" => Side::Left,
        "right" => Side::Right,
        other => return Err(PyValueError::new_err(format!("side must be \"left\" or \"right\", not {other:?}"))),
    };
    // A Python scalar `x2` is an array of its own dtype (NumPy's
    // `asarray`), not a weak one: it is compared with `x1` exactly.
    let (a, v) = (arr(x1)?, arr(x2)?);
    let sorter = sorter.filter(|s| !s.is_none()).map(arr).transpose()?;
    run(x1.py(), move || oxarray::searchsorted(&a, &v, side, sorter.as_ref())).map(wrap)
}

/// `where(condition, x1, x2, /)`; `x1` or `x2` may be a Python scalar, a
/// weak one (NEP 50): it takes the other's dtype unless it is of a higher
/// kind ([`Array::weak_scalar`]), and an `int` that does not fit is an
/// error (NumPy wraps it). Two Python scalars promote as weak scalars do
/// (`where(c, 1, 2.5)` is float64).
#[pyfunction(name = "where")]
#[pyo3(signature = (condition, x1, x2, /))]
fn where_(condition: &Bound<'_, PyAny>, x1: &Bound<'_, PyAny>, x2: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    let c = arr(condition)?;
    let (a, b) = match (PyScalar::extract_weak(x1)?, PyScalar::extract_weak(x2)?) {
        // Both take the default dtype of the higher kind: the first next
        // to the second's default dtype, the second next to the first.
        (Some(s), Some(t)) => {
            let a = ok(Array::weak_scalar(s, ScalarKind::of(t).default_dtype()))?;
            let b = ok(Array::weak_scalar(t, a.dtype()))?;
            (a, b)
        }
        (Some(s), None) => {
            let b = arr(x2)?;
            (ok(Array::weak_scalar(s, b.dtype()))?, b)
        }
        (None, Some(t)) => {
            let a = arr(x1)?;
            let b = ok(Array::weak_scalar(t, a.dtype()))?;
            (a, b)
        }
        (None, None) => (arr(x1)?, arr(x2)?),
    };
    run(condition.py(), move || oxarray::where_(&c, &a, &b)).map(wrap)
}

/// `argwhere(x, /)`: NumPy's `argwhere`, the indices of the non-zero
/// elements as an int64 array of shape `(count, x.ndim)`, in C order.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn argwhere(x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || a.argwhere()).map(wrap)
}

// -------------------------------------------------------------------- sorting

fn sort_options(descending: bool, stable: bool) -> SortOptions {
    let o = SortOptions::default();
    let o = if descending { o.descending() } else { o };
    if stable { o } else { o.unstable() }
}

/// `sort(x, /, *, axis=-1, descending=False, stable=True)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = -1, descending = false, stable = true))]
fn sort(x: &Bound<'_, PyAny>, axis: isize, descending: bool, stable: bool) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || a.sort_with(axis, sort_options(descending, stable))).map(wrap)
}

/// `argsort(x, /, *, axis=-1, descending=False, stable=True)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = -1, descending = false, stable = true))]
fn argsort(x: &Bound<'_, PyAny>, axis: isize, descending: bool, stable: bool) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || a.argsort_with(axis, sort_options(descending, stable))).map(wrap)
}

static TOPK: ResultType = ResultType::new("oxarray", "TopKResult", &["values", "indices"]);

/// `topk(x, k, /, *, axis=-1, largest=True)`: the `k` largest (or
/// smallest) elements along `axis` and their int64 indices, best first:
/// the first `k` of a stable sort in that direction, so ties go to the
/// lower index and NaN (sorted last) is chosen only when fewer than `k`
/// numbers remain.
#[pyfunction]
#[pyo3(signature = (x, k, /, *, axis = -1, largest = true))]
fn topk<'py>(x: &Bound<'py, PyAny>, k: usize, axis: isize, largest: bool) -> PyResult<Bound<'py, PyAny>> {
    let a = arr(x)?;
    let t = run(x.py(), move || a.topk(k, axis, largest))?;
    TOPK.make(x.py(), vec![t.values, t.indices])
}

// ------------------------------------------------------------------------ set

static UNIQUE_ALL: ResultType =
    ResultType::new("oxarray", "UniqueAllResult", &["values", "indices", "inverse_indices", "counts"]);
static UNIQUE_COUNTS: ResultType = ResultType::new("oxarray", "UniqueCountsResult", &["values", "counts"]);
static UNIQUE_INVERSE: ResultType = ResultType::new("oxarray", "UniqueInverseResult", &["values", "inverse_indices"]);

/// `unique_all(x, /)`: `(values, indices, inverse_indices, counts)`.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn unique_all<'py>(x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let a = arr(x)?;
    let u = run(x.py(), move || a.unique_all())?;
    UNIQUE_ALL.make(x.py(), vec![u.values, u.indices, u.inverse_indices, u.counts])
}

/// `unique_counts(x, /)`: `(values, counts)`.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn unique_counts<'py>(x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let a = arr(x)?;
    let u = run(x.py(), move || a.unique_counts())?;
    UNIQUE_COUNTS.make(x.py(), vec![u.values, u.counts])
}

/// `unique_inverse(x, /)`: `(values, inverse_indices)`.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn unique_inverse<'py>(x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let a = arr(x)?;
    let u = run(x.py(), move || a.unique_inverse())?;
    UNIQUE_INVERSE.make(x.py(), vec![u.values, u.inverse_indices])
}

/// `unique_values(x, /)`.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn unique_values(x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || a.unique_values()).map(wrap)
}

/// `isin(x1, x2, /, *, invert=False)`: whether each element of `x1` occurs
/// in `x2` (compared in their common dtype; NaN is never found). Either
/// may be a Python scalar, taken as NumPy's `isin` takes it: as an array of
/// its own dtype (`asarray`), not a weak scalar, so `isin(int8_array, 1000)`
/// is all false and `isin(float16_array, 0.1)` compares in float64.
#[pyfunction]
#[pyo3(signature = (x1, x2, /, *, invert = false))]
fn isin(x1: &Bound<'_, PyAny>, x2: &Bound<'_, PyAny>, invert: bool) -> PyResult<PyArray> {
    let (a, b) = (arr(x1)?, arr(x2)?);
    run(x1.py(), move || {
        let common = oxarray::result_type(a.dtype(), b.dtype())?;
        let shape = a.shape().to_vec();
        let needles = a.astype(common)?.reshape(&[a.size()])?;
        let found = if b.size() == 0 {
            Array::zeros(&[a.size()], DType::Bool)?
        } else {
            let hay = b.astype(common)?.reshape(&[b.size()])?.sort(0)?;
            let last = Array::full(&[], (b.size() - 1) as i64, DType::Int64)?;
            let pos = oxarray::searchsorted(&hay, &needles, Side::Left, None)?.clip(None, Some(&last))?;
            hay.take(&pos, Some(0))?.equal(&needles)?
        };
        let found = if invert { found.unary(UnaryOp::LogicalNot)? } else { found };
        found.reshape(&shape)
    })
    .map(wrap)
}

// ----------------------------------------------------------------- utility

/// `diff(x, /, *, axis=-1, n=1, prepend=None, append=None)`: the `n`-th
/// forward difference along `axis` (for bool, `x[i+1] != x[i]`, as NumPy).
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = -1, n = 1, prepend = None, append = None))]
fn diff(
    x: &Bound<'_, PyAny>,
    axis: isize,
    n: usize,
    prepend: Option<&Bound<'_, PyAny>>,
    append: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    let a = arr(x)?;
    if a.ndim() == 0 {
        return Err(PyValueError::new_err("diff requires an array of at least one dimension"));
    }
    let k = norm_axis(axis, a.ndim())?;
    let prepend = prepend.filter(|p| !p.is_none()).map(arr).transpose()?;
    let append = append.filter(|p| !p.is_none()).map(arr).transpose()?;
    run(x.py(), move || {
        let mut parts = Vec::with_capacity(3);
        parts.extend(prepend);
        parts.push(a);
        parts.extend(append);
        let mut cur =
            if parts.len() == 1 { parts.pop().expect("one part") } else { oxarray::concat(&parts, Some(k as isize))? };
        for _ in 0..n {
            if cur.shape()[k] == 0 {
                break;
            }
            let hi = cur.slice(&along(k, Index::slice(Some(1), None, 1)))?;
            let lo = cur.slice(&along(k, Index::slice(None, Some(-1), 1)))?;
            cur = if cur.dtype() == DType::Bool { hi.not_equal(&lo)? } else { hi.subtract(&lo)? };
        }
        Ok(cur)
    })
    .map(wrap)
}

// ---------------------------------------------------------------- indexing

/// `take(x, indices, /, *, axis=None)`.
#[pyfunction]
#[pyo3(signature = (x, indices, /, *, axis = None))]
fn take(x: &Bound<'_, PyAny>, indices: &Bound<'_, PyAny>, axis: Option<isize>) -> PyResult<PyArray> {
    let (a, i) = (arr(x)?, arr(indices)?);
    run(x.py(), move || a.take(&i, axis)).map(wrap)
}

/// `take_along_axis(x, indices, /, *, axis=-1)`.
#[pyfunction]
#[pyo3(signature = (x, indices, /, *, axis = -1))]
fn take_along_axis(x: &Bound<'_, PyAny>, indices: &Bound<'_, PyAny>, axis: isize) -> PyResult<PyArray> {
    let (a, i) = (arr(x)?, arr(indices)?);
    run(x.py(), move || a.take_along_axis(&i, Some(axis))).map(wrap)
}

// ------------------------------------------------------------ manipulation

fn array_list(arrays: &Bound<'_, PyAny>) -> PyResult<Vec<Array>> {
    if arrays.is_instance_of::<PyList>() || arrays.is_instance_of::<PyTuple>() {
        arrays.try_iter()?.map(|a| arr(&a?)).collect()
    } else {
        Err(PyTypeError::new_err(format!("expected a list or tuple of arrays, got {}", type_name(arrays))))
    }
}

/// `concat(arrays, /, *, axis=0)`; `axis=None` flattens first.
#[pyfunction]
#[pyo3(signature = (arrays, /, *, axis = Some(0)))]
fn concat(arrays: &Bound<'_, PyAny>, axis: Option<isize>) -> PyResult<PyArray> {
    let list = array_list(arrays)?;
    run(arrays.py(), move || oxarray::concat(&list, axis)).map(wrap)
}

/// `stack(arrays, /, *, axis=0)`.
#[pyfunction]
#[pyo3(signature = (arrays, /, *, axis = 0))]
fn stack(arrays: &Bound<'_, PyAny>, axis: isize) -> PyResult<PyArray> {
    let list = array_list(arrays)?;
    run(arrays.py(), move || oxarray::stack(&list, axis)).map(wrap)
}

/// `unstack(x, /, *, axis=0)`: a tuple of views, one per position along
/// `axis`.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = 0))]
fn unstack<'py>(x: &Bound<'py, PyAny>, axis: isize) -> PyResult<Bound<'py, PyTuple>> {
    let a = arr(x)?;
    if a.ndim() == 0 {
        return Err(PyValueError::new_err("unstack requires an array of at least one dimension"));
    }
    let k = norm_axis(axis, a.ndim())?;
    let parts = (0..a.shape()[k]).map(|i| ok(a.slice(&along(k, Index::Int(i as isize))))).collect::<PyResult<_>>()?;
    tuple_of(x.py(), parts)
}

/// `tile(x, repetitions, /)`.
#[pyfunction]
#[pyo3(signature = (x, repetitions, /))]
fn tile(x: &Bound<'_, PyAny>, repetitions: Vec<usize>) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || a.tile(&repetitions)).map(wrap)
}

/// `repeat(x, repeats, /, *, axis=None)`; `repeats` is an int or an
/// integer array.
#[pyfunction]
#[pyo3(signature = (x, repeats, /, *, axis = None))]
fn repeat(x: &Bound<'_, PyAny>, repeats: &Bound<'_, PyAny>, axis: Option<isize>) -> PyResult<PyArray> {
    let a = arr(x)?;
    if let Ok(n) = repeats.extract::<i64>() {
        let n = usize::try_from(n).map_err(|_| PyValueError::new_err(format!("repeats must be >= 0, got {n}")))?;
        return run(x.py(), move || a.repeat(n, axis)).map(wrap);
    }
    let r = arr(repeats)?;
    run(x.py(), move || a.repeat(&r, axis)).map(wrap)
}

/// `x` rolled by `shift` along axis `k`: element `i` moves to `i + shift`
/// (mod the length).
fn roll_axis(x: &Array, shift: i64, k: usize) -> oxarray::Result<Array> {
    let n = x.shape()[k] as i64;
    if n == 0 {
        return Ok(x.clone());
    }
    let s = shift.rem_euclid(n);
    let idx: Vec<i64> = (0..n).map(|i| (i - s).rem_euclid(n)).collect();
    x.take(&Array::from_vec(idx, &[n as usize])?, Some(k as isize))
}

/// `roll(x, /, shift, *, axis=None)`; without `axis` the array rolls as
/// if flattened.
#[pyfunction]
#[pyo3(signature = (x, /, shift, *, axis = None))]
fn roll(x: &Bound<'_, PyAny>, shift: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>) -> PyResult<PyArray> {
    let a = arr(x)?;
    let shifts: Vec<i64> = match shift.extract::<i64>() {
        Ok(s) => vec![s],
        Err(_) => shift.extract().map_err(|_| PyTypeError::new_err("shift must be an int or a tuple of ints"))?,
    };
    let axes = opt_axes(axis)?;
    let Some(axes) = axes else {
        let [s] = shifts[..] else {
            return Err(PyValueError::new_err("without axis, shift must be a single int"));
        };
        return run(x.py(), move || roll_axis(&a.reshape(&[a.size()])?, s, 0)?.reshape(a.shape())).map(wrap);
    };
    let pairs: Vec<(i64, isize)> = match (shifts.len(), axes.len()) {
        (1, _) => axes.iter().map(|&ax| (shifts[0], ax)).collect(),
        (ns, na) if ns == na => shifts.iter().copied().zip(axes.iter().copied()).collect(),
        (ns, na) => {
            return Err(PyValueError::new_err(format!("shift has {ns} values but axis has {na}; they must match")));
        }
    };
    let ks = pairs.iter().map(|&(_, ax)| norm_axis(ax, a.ndim())).collect::<PyResult<Vec<_>>>()?;
    run(x.py(), move || {
        let mut cur = a;
        for (&(s, _), &k) in pairs.iter().zip(&ks) {
            cur = roll_axis(&cur, s, k)?;
        }
        Ok(cur)
    })
    .map(wrap)
}

/// `clip(x, /, min=None, max=None)`; the bounds may be Python scalars,
/// weak ones converted as NumPy 2's `clip` converts them
/// ([`Array::weak_clip_bound`]: `clip(uint8_array, -5, 300)` is a copy,
/// `clip(uint8_array, 300)` an error).
#[pyfunction]
#[pyo3(signature = (x, /, min = None, max = None))]
fn clip(x: &Bound<'_, PyAny>, min: Option<&Bound<'_, PyAny>>, max: Option<&Bound<'_, PyAny>>) -> PyResult<PyArray> {
    let a = arr(x)?;
    let bound = |b: Option<&Bound<'_, PyAny>>, upper: bool| -> PyResult<Option<Array>> {
        match b.filter(|b| !b.is_none()) {
            None => Ok(None),
            Some(b) => match PyScalar::extract_weak(b)? {
                Some(s) => ok(a.weak_clip_bound(s, upper)),
                None => arr(b).map(Some),
            },
        }
    };
    let (lo, hi) = (bound(min, false)?, bound(max, true)?);
    run(x.py(), move || a.clip(lo.as_ref(), hi.as_ref())).map(wrap)
}

/// `pad_width` as one `(before, after)` pair per axis: an int, one pair
/// for every axis, or a sequence of `ndim` pairs (NumPy's forms).
fn pad_widths(pad_width: &Bound<'_, PyAny>, ndim: usize) -> PyResult<Vec<(usize, usize)>> {
    let bad = || {
        PyValueError::new_err(format!(
            "pad_width must be a non-negative int, a (before, after) pair or {ndim} such pairs, not {pad_width}"
        ))
    };
    if let Ok(n) = pad_width.extract::<usize>() {
        return Ok(vec![(n, n)]);
    }
    if let Ok((b, a)) = pad_width.extract::<(usize, usize)>() {
        return Ok(vec![(b, a)]);
    }
    if let Ok(pairs) = pad_width.extract::<Vec<(usize, usize)>>() {
        return Ok(pairs);
    }
    if let Ok(single) = pad_width.extract::<Vec<usize>>()
        && let [n] = single[..]
    {
        return Ok(vec![(n, n)]);
    }
    Err(bad())
}

/// `pad(x, pad_width, /, mode="constant", *, constant_values=0)`: NumPy's
/// `pad` in constant mode. `constant_values` is a Python scalar converted to
/// `x`'s dtype without loss (an error otherwise).
#[pyfunction]
#[pyo3(signature = (x, pad_width, /, mode = "constant", *, constant_values = None))]
fn pad(
    x: &Bound<'_, PyAny>,
    pad_width: &Bound<'_, PyAny>,
    mode: &str,
    constant_values: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    if mode != "constant" {
        return Err(PyValueError::new_err(format!("pad supports mode=\"constant\" only, not {mode:?}")));
    }
    let a = arr(x)?;
    let widths = pad_widths(pad_width, a.ndim())?;
    let value = match constant_values.filter(|v| !v.is_none()) {
        None if a.dtype() == DType::Bool => PyScalar::Bool(false),
        None => PyScalar::Int(0),
        Some(v) => PyScalar::extract(v)?.ok_or_else(|| {
            PyTypeError::new_err(format!(
                "constant_values must be a Python bool, int, float or complex, not {}",
                type_name(v)
            ))
        })?,
    };
    run(x.py(), move || with_scalar!(value, v => a.pad(&widths, v))).map(wrap)
}

// ---------------------------------------------------------------- creation

/// `meshgrid(*arrays, indexing="xy")`: views of the 1-d inputs broadcast
/// over the grid.
#[pyfunction]
#[pyo3(signature = (*arrays, indexing = "xy"))]
fn meshgrid<'py>(arrays: &Bound<'py, PyTuple>, indexing: &str) -> PyResult<Bound<'py, PyList>> {
    if indexing != "xy" && indexing != "ij" {
        return Err(PyValueError::new_err(format!("indexing must be \"xy\" or \"ij\", not {indexing:?}")));
    }
    let list = arrays.iter().map(|a| arr(&a)).collect::<PyResult<Vec<_>>>()?;
    if let Some(a) = list.iter().find(|a| a.ndim() != 1) {
        return Err(PyValueError::new_err(format!("meshgrid takes 1-d arrays, got one of shape {:?}", a.shape())));
    }
    let n = list.len();
    // Which grid axis each input runs along ("xy" swaps the first two).
    let pos = |i: usize| if indexing == "xy" && n >= 2 && i < 2 { 1 - i } else { i };
    let mut grid = vec![0; n];
    for (i, a) in list.iter().enumerate() {
        grid[pos(i)] = a.size();
    }
    let out = list
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut shape = vec![1; n];
            shape[pos(i)] = a.size();
            ok(a.reshape(&shape).and_then(|r| r.broadcast_to(&grid))).map(PyArray::from)
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(arrays.py(), out)
}

/// `x` with the elements on one side of diagonal `k` zeroed: `lower`
/// keeps `j - i <= k` (tril), otherwise `j - i >= k` (triu).
fn triangle(x: &Bound<'_, PyAny>, k: i64, lower: bool) -> PyResult<PyArray> {
    let a = arr(x)?;
    if a.ndim() < 2 {
        return Err(PyValueError::new_err(format!(
            "{} needs an array of at least 2 dimensions, got shape {:?}",
            if lower { "tril" } else { "triu" },
            a.shape()
        )));
    }
    run(x.py(), move || {
        let (n, m) = (a.shape()[a.ndim() - 2], a.shape()[a.ndim() - 1]);
        let rows = Array::arange_int(0, n as i128, 1, DType::Int64)?.reshape(&[n, 1])?;
        let cols = Array::arange_int(0, m as i128, 1, DType::Int64)?.reshape(&[1, m])?;
        let offset = cols.subtract(&rows)?;
        let kk = Array::full(&[], k, DType::Int64)?;
        let keep = if lower { offset.less_equal(&kk)? } else { offset.greater_equal(&kk)? };
        oxarray::where_(&keep, &a, &Array::zeros(&[], a.dtype())?)
    })
    .map(wrap)
}

/// `tril(x, /, *, k=0)`: the lower triangle of each matrix.
#[pyfunction]
#[pyo3(signature = (x, /, *, k = 0))]
fn tril(x: &Bound<'_, PyAny>, k: i64) -> PyResult<PyArray> {
    triangle(x, k, true)
}

/// `triu(x, /, *, k=0)`: the upper triangle of each matrix.
#[pyfunction]
#[pyo3(signature = (x, /, *, k = 0))]
fn triu(x: &Bound<'_, PyAny>, k: i64) -> PyResult<PyArray> {
    triangle(x, k, false)
}

// ------------------------------------------------------------ linear algebra

/// `matmul(x1, x2, /)`.
#[pyfunction]
#[pyo3(signature = (x1, x2, /))]
pub(crate) fn matmul(x1: &Bound<'_, PyAny>, x2: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    let (a, b) = (arr(x1)?, arr(x2)?);
    run(x1.py(), move || a.matmul(&b)).map(wrap)
}

/// `tensordot(x1, x2, /, *, axes=2)`: `axes` is an int or a pair of axis
/// sequences.
#[pyfunction]
#[pyo3(signature = (x1, x2, /, *, axes = None))]
pub(crate) fn tensordot(
    x1: &Bound<'_, PyAny>,
    x2: &Bound<'_, PyAny>,
    axes: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    let (a, b) = (arr(x1)?, arr(x2)?);
    let axes = match axes.filter(|a| !a.is_none()) {
        None => oxarray::linalg::TensordotAxes::Last(2),
        Some(ax) => match ax.extract::<i64>() {
            Ok(n) => oxarray::linalg::TensordotAxes::Last(
                usize::try_from(n).map_err(|_| PyValueError::new_err(format!("axes must be >= 0, got {n}")))?,
            ),
            Err(_) => {
                let (p, q): (Vec<isize>, Vec<isize>) = ax
                    .extract()
                    .map_err(|_| PyTypeError::new_err("axes must be an int or a pair of sequences of ints"))?;
                oxarray::linalg::TensordotAxes::Pairs(p, q)
            }
        },
    };
    run(x1.py(), move || a.tensordot(&b, axes)).map(wrap)
}

/// `vecdot(x1, x2, /, *, axis=-1)`: `sum(conj(x1) * x2, axis)`.
#[pyfunction]
#[pyo3(signature = (x1, x2, /, *, axis = -1))]
pub(crate) fn vecdot(x1: &Bound<'_, PyAny>, x2: &Bound<'_, PyAny>, axis: isize) -> PyResult<PyArray> {
    let (a, b) = (arr(x1)?, arr(x2)?);
    run(x1.py(), move || a.vecdot(&b, axis)).map(wrap)
}

#[pymethods]
impl PyArray {
    fn __matmul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let Ok(b) = arr(other) else { return Ok(py.NotImplemented()) };
        let a = self.array.clone();
        Ok(Py::new(py, wrap(run(py, move || a.matmul(&b))?))?.into_any())
    }

    fn __rmatmul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let Ok(a) = arr(other) else { return Ok(py.NotImplemented()) };
        let b = self.array.clone();
        Ok(Py::new(py, wrap(run(py, move || a.matmul(&b))?))?.into_any())
    }

    fn __imatmul__(&mut self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        let b = arr(other)?;
        let target = &mut self.array;
        run(py, move || {
            let r = target.matmul(&b)?;
            if r.shape() != target.shape() {
                return Err(oxarray::Error::invalid(
                    "__imatmul__",
                    format!("the product has shape {:?}, not the array's shape {:?}", r.shape(), target.shape()),
                ));
            }
            target.assign(&[Index::Ellipsis], &r)
        })
    }
}

// --------------------------------------------------------- data type functions

/// `astype(x, dtype, /, *, copy=True, device=None)`: as `Array.astype`
/// (casts that lose values are an error; see there).
#[pyfunction]
#[pyo3(signature = (x, dtype, /, *, copy = true, device = None))]
fn astype(
    x: &Bound<'_, PyAny>,
    dtype: &Bound<'_, PyAny>,
    copy: bool,
    device: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyArray> {
    if let Some(d) = device.filter(|d| !d.is_none())
        && d.str()?.to_cow()? != "cpu"
    {
        return Err(PyValueError::new_err(format!("unknown device {}; oxarray arrays live on \"cpu\"", d.repr()?)));
    }
    let (a, d) = (arr(x)?, to_dtype(dtype)?);
    if !copy && a.dtype() == d {
        return Ok(a.into());
    }
    run(x.py(), move || a.astype(d)).map(wrap)
}

/// The dtype of an `ox.Array` or of a dtype-like.
fn dtype_of(obj: &Bound<'_, PyAny>) -> PyResult<DType> {
    match obj.cast::<PyArray>() {
        Ok(a) => Ok(a.borrow().array.dtype()),
        Err(_) => to_dtype(obj),
    }
}

/// `can_cast(from_, to, /)`: whether NumPy's "safe" casting allows it.
#[pyfunction]
#[pyo3(signature = (from_, to, /))]
fn can_cast(from_: &Bound<'_, PyAny>, to: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(oxarray::can_cast(dtype_of(from_)?, to_dtype(to)?, Casting::Safe))
}

/// `result_type(*arrays_and_dtypes)`: the promoted dtype; Python scalars
/// are weak (they take part after the arrays and dtypes).
#[pyfunction]
#[pyo3(signature = (*arrays_and_dtypes))]
fn result_type(arrays_and_dtypes: &Bound<'_, PyTuple>) -> PyResult<PyDType> {
    let mut dtypes = Vec::new();
    let mut scalars = Vec::new();
    for item in arrays_and_dtypes.iter() {
        match PyScalar::extract(&item)? {
            Some(s) => scalars.push(s),
            None => dtypes.push(dtype_of(&item)?),
        }
    }
    if dtypes.is_empty() {
        return Err(PyValueError::new_err("result_type needs at least one array or dtype"));
    }
    let mut d = ok(oxarray::result_type_many(&dtypes))?;
    for s in scalars {
        d = ok(oxarray::result_type_with_scalar(d, s.kind()))?;
    }
    Ok(PyDType(d))
}

/// The answer of `isdtype` for one kind (a dtype or a kind name).
fn is_kind(dtype: DType, kind: &Bound<'_, PyAny>) -> PyResult<bool> {
    if let Ok(name) = kind.extract::<String>() {
        use oxarray::Kind as K;
        let k = dtype.kind();
        return Ok(match name.as_str() {
            "bool" => k == K::Bool,
            "signed integer" => k == K::SignedInt,
            "unsigned integer" => k == K::UnsignedInt,
            "integral" => matches!(k, K::SignedInt | K::UnsignedInt),
            "real floating" => k == K::Float,
            "complex floating" => k == K::Complex,
            "numeric" => k != K::Bool,
            other => return Err(PyValueError::new_err(format!("unknown dtype kind {other:?}"))),
        });
    }
    match kind.cast::<PyDType>() {
        Ok(d) => Ok(d.get().0 == dtype),
        Err(_) => Err(PyTypeError::new_err(format!(
            "kind must be a dtype, a kind name or a tuple of them, not {}",
            type_name(kind)
        ))),
    }
}

/// `isdtype(dtype, kind)`: whether `dtype` is of `kind` (a dtype, one of
/// "bool", "signed integer", "unsigned integer", "integral",
/// "real floating", "complex floating", "numeric", or a tuple of these).
#[pyfunction]
#[pyo3(signature = (dtype, kind))]
fn isdtype(dtype: &Bound<'_, PyAny>, kind: &Bound<'_, PyAny>) -> PyResult<bool> {
    let d = match dtype.cast::<PyDType>() {
        Ok(d) => d.get().0,
        Err(_) => return Err(PyTypeError::new_err(format!("isdtype expects an oxarray dtype, got {}", dtype.repr()?))),
    };
    match kind.cast::<PyTuple>() {
        Ok(t) => {
            for k in t.iter() {
                if is_kind(d, &k)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Err(_) => is_kind(d, kind),
    }
}

/// Machine limits of a floating-point dtype (`finfo`).
#[pyclass(name = "finfo_object", module = "oxarray", frozen, get_all)]
pub(crate) struct FInfo {
    /// Bits of the type.
    bits: u32,
    /// Difference between 1.0 and the next larger representable number.
    eps: f64,
    /// Largest finite value.
    max: f64,
    /// Smallest (most negative) finite value.
    min: f64,
    /// Smallest positive normal value.
    smallest_normal: f64,
    /// The real floating dtype described (`float32` for `complex64`).
    dtype: PyDType,
}

#[pymethods]
impl FInfo {
    fn __repr__(&self) -> String {
        format!(
            "finfo(bits={}, eps={:e}, max={:e}, min={:e}, smallest_normal={:e}, dtype={})",
            self.bits,
            self.eps,
            self.max,
            self.min,
            self.smallest_normal,
            self.dtype.0.name()
        )
    }
}

/// Limits of an integer dtype (`iinfo`).
#[pyclass(name = "iinfo_object", module = "oxarray", frozen, get_all)]
pub(crate) struct IInfo {
    /// Bits of the type.
    bits: u32,
    /// Largest value.
    max: i128,
    /// Smallest value.
    min: i128,
    /// The integer dtype described.
    dtype: PyDType,
}

#[pymethods]
impl IInfo {
    fn __repr__(&self) -> String {
        format!("iinfo(bits={}, max={}, min={}, dtype={})", self.bits, self.max, self.min, self.dtype.0.name())
    }
}

/// `finfo(type, /)`: limits of a floating dtype (of an array's dtype);
/// complex dtypes describe their real part.
#[pyfunction]
#[pyo3(signature = (r#type, /))]
fn finfo(r#type: &Bound<'_, PyAny>) -> PyResult<FInfo> {
    let d = dtype_of(r#type)?;
    let info = |bits, eps: f64, max: f64, smallest_normal: f64, dtype| FInfo {
        bits,
        eps,
        max,
        min: -max,
        smallest_normal,
        dtype: PyDType(dtype),
    };
    Ok(match d {
        DType::Float16 => {
            info(16, oxarray::f16::EPSILON.into(), oxarray::f16::MAX.into(), oxarray::f16::MIN_POSITIVE.into(), d)
        }
        DType::BFloat16 => {
            info(16, oxarray::bf16::EPSILON.into(), oxarray::bf16::MAX.into(), oxarray::bf16::MIN_POSITIVE.into(), d)
        }
        DType::Float32 | DType::Complex64 => {
            info(32, f32::EPSILON.into(), f32::MAX.into(), f32::MIN_POSITIVE.into(), DType::Float32)
        }
        DType::Float64 | DType::Complex128 => info(64, f64::EPSILON, f64::MAX, f64::MIN_POSITIVE, DType::Float64),
        other => {
            return Err(PyValueError::new_err(format!("finfo needs a floating-point dtype, not {}", other.name())));
        }
    })
}

/// `iinfo(type, /)`: limits of an integer dtype (of an array's dtype).
#[pyfunction]
#[pyo3(signature = (r#type, /))]
fn iinfo(r#type: &Bound<'_, PyAny>) -> PyResult<IInfo> {
    let d = dtype_of(r#type)?;
    let (bits, min, max): (u32, i128, i128) = match d {
        DType::Int8 => (8, i8::MIN.into(), i8::MAX.into()),
        DType::Int16 => (16, i16::MIN.into(), i16::MAX.into()),
        DType::Int32 => (32, i32::MIN.into(), i32::MAX.into()),
        DType::Int64 => (64, i64::MIN.into(), i64::MAX.into()),
        DType::UInt8 => (8, 0, u8::MAX.into()),
        DType::UInt16 => (16, 0, u16::MAX.into()),
        DType::UInt32 => (32, 0, u32::MAX.into()),
        DType::UInt64 => (64, 0, u64::MAX.into()),
        other => {
            return Err(PyValueError::new_err(format!("iinfo needs an integer dtype, not {}", other.name())));
        }
    };
    Ok(IInfo { bits, max, min, dtype: PyDType(d) })
}

// ------------------------------------------------------------------ inspection

/// The dtypes of the Array API standard, in its order.
const STANDARD_DTYPES: [DType; 13] = [
    DType::Bool,
    DType::Int8,
    DType::Int16,
    DType::Int32,
    DType::Int64,
    DType::UInt8,
    DType::UInt16,
    DType::UInt32,
    DType::UInt64,
    DType::Float32,
    DType::Float64,
    DType::Complex64,
    DType::Complex128,
];

fn check_cpu(device: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    match device.filter(|d| !d.is_none()) {
        Some(d) if d.str()?.to_cow()? != "cpu" => {
            Err(PyValueError::new_err(format!("unknown device {}; oxarray has only \"cpu\"", d.repr()?)))
        }
        _ => Ok(()),
    }
}

/// What `ox.__array_namespace_info__()` returns: the namespace's
/// capabilities, devices and dtypes.
#[pyclass(name = "Info", module = "oxarray", frozen)]
pub(crate) struct Info;

#[pymethods]
impl Info {
    /// `{"boolean indexing": True, "data-dependent shapes": True, "max dimensions": None}`.
    fn capabilities<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("boolean indexing", true)?;
        d.set_item("data-dependent shapes", true)?;
        d.set_item("max dimensions", py.None())?;
        Ok(d)
    }

    /// `"cpu"`.
    fn default_device(&self) -> &'static str {
        "cpu"
    }

    /// `("cpu",)`: the only device.
    fn devices(&self) -> Vec<&'static str> {
        vec!["cpu"]
    }

    /// The default dtypes: float64, complex128, int64 (integral and indexing).
    #[pyo3(signature = (*, device = None))]
    fn default_dtypes<'py>(&self, py: Python<'py>, device: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyDict>> {
        check_cpu(device)?;
        let d = PyDict::new(py);
        d.set_item("real floating", PyDType(DType::Float64))?;
        d.set_item("complex floating", PyDType(DType::Complex128))?;
        d.set_item("integral", PyDType(DType::Int64))?;
        d.set_item("indexing", PyDType(DType::Int64))?;
        Ok(d)
    }

    /// The standard dtypes by name, those of `kind` (as in `isdtype`) if given.
    #[pyo3(signature = (*, device = None, kind = None))]
    fn dtypes<'py>(
        &self,
        py: Python<'py>,
        device: Option<&Bound<'py, PyAny>>,
        kind: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        check_cpu(device)?;
        let d = PyDict::new(py);
        for dt in STANDARD_DTYPES {
            let keep = match kind.filter(|k| !k.is_none()) {
                None => true,
                Some(k) => match k.cast::<PyTuple>() {
                    Ok(t) => {
                        let mut any = false;
                        for item in t.iter() {
                            any |= is_kind(dt, &item)?;
                        }
                        any
                    }
                    Err(_) => is_kind(dt, k)?,
                },
            };
            if keep {
                d.set_item(dt.name(), PyDType(dt))?;
            }
        }
        Ok(d)
    }
}

/// `__array_namespace_info__()`: the inspection object of the namespace.
#[pyfunction]
fn __array_namespace_info__() -> Info {
    Info
}

/// Adds the functions of this module to `m`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Info>()?;
    m.add_class::<FInfo>()?;
    m.add_class::<IInfo>()?;
    for t in [&UNIQUE_ALL, &UNIQUE_COUNTS, &UNIQUE_INVERSE, &TOPK] {
        t.register(m)?;
    }
    for f in [
        wrap_pyfunction!(max, m)?,
        wrap_pyfunction!(min, m)?,
        wrap_pyfunction!(mean, m)?,
        wrap_pyfunction!(all, m)?,
        wrap_pyfunction!(any, m)?,
        wrap_pyfunction!(nansum, m)?,
        wrap_pyfunction!(nanmean, m)?,
        wrap_pyfunction!(nanmax, m)?,
        wrap_pyfunction!(nanmin, m)?,
        wrap_pyfunction!(sum, m)?,
        wrap_pyfunction!(prod, m)?,
        wrap_pyfunction!(var, m)?,
        wrap_pyfunction!(std_, m)?,
        wrap_pyfunction!(var_mean, m)?,
        wrap_pyfunction!(std_mean, m)?,
        wrap_pyfunction!(cumulative_sum, m)?,
        wrap_pyfunction!(cumulative_prod, m)?,
        wrap_pyfunction!(argmax, m)?,
        wrap_pyfunction!(argmin, m)?,
        wrap_pyfunction!(count_nonzero, m)?,
        wrap_pyfunction!(nonzero, m)?,
        wrap_pyfunction!(argwhere, m)?,
        wrap_pyfunction!(searchsorted, m)?,
        wrap_pyfunction!(where_, m)?,
        wrap_pyfunction!(sort, m)?,
        wrap_pyfunction!(argsort, m)?,
        wrap_pyfunction!(topk, m)?,
        wrap_pyfunction!(unique_all, m)?,
        wrap_pyfunction!(unique_counts, m)?,
        wrap_pyfunction!(unique_inverse, m)?,
        wrap_pyfunction!(unique_values, m)?,
        wrap_pyfunction!(isin, m)?,
        wrap_pyfunction!(diff, m)?,
        wrap_pyfunction!(take, m)?,
        wrap_pyfunction!(take_along_axis, m)?,
        wrap_pyfunction!(concat, m)?,
        wrap_pyfunction!(stack, m)?,
        wrap_pyfunction!(unstack, m)?,
        wrap_pyfunction!(tile, m)?,
        wrap_pyfunction!(repeat, m)?,
        wrap_pyfunction!(roll, m)?,
        wrap_pyfunction!(clip, m)?,
        wrap_pyfunction!(pad, m)?,
        wrap_pyfunction!(meshgrid, m)?,
        wrap_pyfunction!(tril, m)?,
        wrap_pyfunction!(triu, m)?,
        wrap_pyfunction!(matmul, m)?,
        wrap_pyfunction!(tensordot, m)?,
        wrap_pyfunction!(vecdot, m)?,
        wrap_pyfunction!(astype, m)?,
        wrap_pyfunction!(can_cast, m)?,
        wrap_pyfunction!(result_type, m)?,
        wrap_pyfunction!(isdtype, m)?,
        wrap_pyfunction!(finfo, m)?,
        wrap_pyfunction!(iinfo, m)?,
        wrap_pyfunction!(__array_namespace_info__, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
