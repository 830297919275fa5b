//! `ox.linalg`: the Array API's linear-algebra extension over
//! `oxarray::linalg` (faer). Every function works on stacks of matrices
//! (the last two axes) and releases the GIL while it computes. Results of
//! several arrays are named tuples (`EighResult`, `QRResult`, …), as in
//! the standard. Where NumPy raises `LinAlgError` (a `ValueError`), so
//! does oxarray: a `ValueError` naming the matrix.

use oxarray::linalg::{self, MatrixNorm, QrMode};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

use crate::array::PyArray;
use crate::dtype::to_dtype;
use crate::errors::run;
use crate::functions::{ResultType, arr, opt_axes};

fn wrap(a: oxarray::Array) -> PyArray {
    a.into()
}

static EIG: ResultType = ResultType::new("oxarray.linalg", "EigResult", &["eigenvalues", "eigenvectors"]);
static EIGH: ResultType = ResultType::new("oxarray.linalg", "EighResult", &["eigenvalues", "eigenvectors"]);
static QR: ResultType = ResultType::new("oxarray.linalg", "QRResult", &["Q", "R"]);
static SLOGDET: ResultType = ResultType::new("oxarray.linalg", "SlogdetResult", &["sign", "logabsdet"]);
static SVD: ResultType = ResultType::new("oxarray.linalg", "SVDResult", &["U", "S", "Vh"]);

/// `cholesky(x, /, *, upper=False)`: `L` with `x = L Lᴴ` (or `U` with
/// `x = Uᴴ U`).
#[pyfunction]
#[pyo3(signature = (x, /, *, upper = false))]
fn cholesky(x: &Bound<'_, PyAny>, upper: bool) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || linalg::cholesky(&a, upper)).map(wrap)
}

/// `cross(x1, x2, /, *, axis=-1)`: cross products of 3-vectors.
#[pyfunction]
#[pyo3(signature = (x1, x2, /, *, axis = -1))]
fn cross(x1: &Bound<'_, PyAny>, x2: &Bound<'_, PyAny>, axis: isize) -> PyResult<PyArray> {
    let (a, b) = (arr(x1)?, arr(x2)?);
    run(x1.py(), move || linalg::cross(&a, &b, axis)).map(wrap)
}

/// `det(x, /)`.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn det(x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || linalg::det(&a)).map(wrap)
}

/// `diagonal(x, /, *, offset=0)`: a view of each matrix's diagonal.
#[pyfunction]
#[pyo3(signature = (x, /, *, offset = 0))]
fn diagonal(x: &Bound<'_, PyAny>, offset: isize) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || linalg::diagonal(&a, offset)).map(wrap)
}

/// `eig(x, /)`: `(eigenvalues, eigenvectors)` of general matrices (complex).
#[pyfunction]
#[pyo3(signature = (x, /))]
fn eig<'py>(x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let a = arr(x)?;
    let r = run(x.py(), move || linalg::eig(&a))?;
    EIG.make(x.py(), vec![r.eigenvalues, r.eigenvectors])
}

/// `eigvals(x, /)`: eigenvalues of general matrices (complex).
#[pyfunction]
#[pyo3(signature = (x, /))]
fn eigvals(x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || linalg::eigvals(&a)).map(wrap)
}

/// `eigh(x, /)`: `(eigenvalues, eigenvectors)` of Hermitian matrices,
/// eigenvalues ascending.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn eigh<'py>(x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let a = arr(x)?;
    let r = run(x.py(), move || linalg::eigh(&a))?;
    EIGH.make(x.py(), vec![r.eigenvalues, r.eigenvectors])
}

/// `eigvalsh(x, /)`: eigenvalues of Hermitian matrices, ascending.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn eigvalsh(x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || linalg::eigvalsh(&a)).map(wrap)
}

/// `inv(x, /)`.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn inv(x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || linalg::inv(&a)).map(wrap)
}

/// `matrix_norm(x, /, *, keepdims=False, ord="fro")`: `ord` is "fro",
/// "nuc", 1, -1, 2, -2, inf or -inf.
#[pyfunction]
#[pyo3(signature = (x, /, *, keepdims = false, ord = None))]
fn matrix_norm(x: &Bound<'_, PyAny>, keepdims: bool, ord: Option<&Bound<'_, PyAny>>) -> PyResult<PyArray> {
    let a = arr(x)?;
    let ord = match ord.filter(|o| !o.is_none()) {
        None => MatrixNorm::Fro,
        Some(o) => {
            if let Ok(s) = o.extract::<String>() {
                match s.as_str() {
                    "fro" => MatrixNorm::Fro,
                    "nuc" => MatrixNorm::Nuc,
                    _ => return Err(PyValueError::new_err(format!("invalid matrix norm order {s:?}"))),
                }
            } else {
                let v: f64 =
                    o.extract().map_err(|_| PyTypeError::new_err("ord must be a number, \"fro\" or \"nuc\""))?;
                match v {
                    1.0 => MatrixNorm::One,
                    -1.0 => MatrixNorm::NegOne,
                    2.0 => MatrixNorm::Two,
                    -2.0 => MatrixNorm::NegTwo,
                    f64::INFINITY => MatrixNorm::Inf,
                    f64::NEG_INFINITY => MatrixNorm::NegInf,
                    _ => return Err(PyValueError::new_err(format!("invalid matrix norm order {v}"))),
                }
            }
        }
    };
    run(x.py(), move || linalg::matrix_norm(&a, ord, keepdims)).map(wrap)
}

/// `matrix_power(x, n, /)`.
#[pyfunction]
#[pyo3(signature = (x, n, /))]
fn matrix_power(x: &Bound<'_, PyAny>, n: i64) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || linalg::matrix_power(&a, n)).map(wrap)
}

/// `matrix_rank(x, /, *, rtol=None)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, rtol = None))]
fn matrix_rank(x: &Bound<'_, PyAny>, rtol: Option<f64>) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || linalg::matrix_rank(&a, rtol)).map(wrap)
}

/// `outer(x1, x2, /)`: the outer product of two vectors.
#[pyfunction]
#[pyo3(signature = (x1, x2, /))]
fn outer(x1: &Bound<'_, PyAny>, x2: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    let (a, b) = (arr(x1)?, arr(x2)?);
    run(x1.py(), move || linalg::outer(&a, &b)).map(wrap)
}

/// `pinv(x, /, *, rtol=None)`: the Moore–Penrose pseudo-inverse.
#[pyfunction]
#[pyo3(signature = (x, /, *, rtol = None))]
fn pinv(x: &Bound<'_, PyAny>, rtol: Option<f64>) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || linalg::pinv(&a, rtol)).map(wrap)
}

/// `qr(x, /, *, mode="reduced")`: `(Q, R)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, mode = "reduced"))]
fn qr<'py>(x: &Bound<'py, PyAny>, mode: &str) -> PyResult<Bound<'py, PyAny>> {
    let mode = match mode {
        "reduced" => QrMode::Reduced,
        "complete" => QrMode::Complete,
        other => return Err(PyValueError::new_err(format!("mode must be \"reduced\" or \"complete\", not {other:?}"))),
    };
    let a = arr(x)?;
    let r = run(x.py(), move || linalg::qr(&a, mode))?;
    QR.make(x.py(), vec![r.q, r.r])
}

/// `slogdet(x, /)`: `(sign, logabsdet)`.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn slogdet<'py>(x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let a = arr(x)?;
    let r = run(x.py(), move || linalg::slogdet(&a))?;
    SLOGDET.make(x.py(), vec![r.sign, r.logabsdet])
}

/// `solve(x1, x2, /)`: `x` with `x1 @ x = x2`.
#[pyfunction]
#[pyo3(signature = (x1, x2, /))]
fn solve(x1: &Bound<'_, PyAny>, x2: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    let (a, b) = (arr(x1)?, arr(x2)?);
    run(x1.py(), move || linalg::solve(&a, &b)).map(wrap)
}

/// `svd(x, /, *, full_matrices=True)`: `(U, S, Vh)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, full_matrices = true))]
fn svd<'py>(x: &Bound<'py, PyAny>, full_matrices: bool) -> PyResult<Bound<'py, PyAny>> {
    let a = arr(x)?;
    let r = run(x.py(), move || linalg::svd(&a, full_matrices))?;
    SVD.make(x.py(), vec![r.u, r.s, r.vh])
}

/// `svdvals(x, /)`: singular values, descending.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn svdvals(x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    let a = arr(x)?;
    run(x.py(), move || linalg::svdvals(&a)).map(wrap)
}

/// `trace(x, /, *, offset=0, dtype=None)`: sums of the diagonals,
/// accumulated in `dtype` when given.
#[pyfunction]
#[pyo3(signature = (x, /, *, offset = 0, dtype = None))]
fn trace(x: &Bound<'_, PyAny>, offset: isize, dtype: Option<&Bound<'_, PyAny>>) -> PyResult<PyArray> {
    let a = arr(x)?;
    let dtype = dtype.filter(|d| !d.is_none()).map(to_dtype).transpose()?;
    run(x.py(), move || match dtype {
        None => linalg::trace(&a, offset),
        Some(d) => linalg::diagonal(&a, offset)?.sum_as(Some(&[-1]), false, d),
    })
    .map(wrap)
}

/// `vector_norm(x, /, *, axis=None, keepdims=False, ord=2)`.
#[pyfunction]
#[pyo3(signature = (x, /, *, axis = None, keepdims = false, ord = 2.0))]
fn vector_norm(x: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>, keepdims: bool, ord: f64) -> PyResult<PyArray> {
    let (a, axes) = (arr(x)?, opt_axes(axis)?);
    run(x.py(), move || linalg::vector_norm(&a, ord, axes.as_deref(), keepdims)).map(wrap)
}

/// `matrix_transpose(x, /)`.
#[pyfunction]
#[pyo3(signature = (x, /))]
fn matrix_transpose(x: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    crate::errors::ok(arr(x)?.matrix_transpose()).map(wrap)
}

/// Builds the `linalg` submodule and adds it to `m` (and to
/// `sys.modules` as `oxarray.linalg`, so `import oxarray.linalg` works).
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let sub = PyModule::new(py, "linalg")?;
    for f in [
        wrap_pyfunction!(cholesky, &sub)?,
        wrap_pyfunction!(cross, &sub)?,
        wrap_pyfunction!(det, &sub)?,
        wrap_pyfunction!(diagonal, &sub)?,
        wrap_pyfunction!(eig, &sub)?,
        wrap_pyfunction!(eigvals, &sub)?,
        wrap_pyfunction!(eigh, &sub)?,
        wrap_pyfunction!(eigvalsh, &sub)?,
        wrap_pyfunction!(inv, &sub)?,
        wrap_pyfunction!(matrix_norm, &sub)?,
        wrap_pyfunction!(matrix_power, &sub)?,
        wrap_pyfunction!(matrix_rank, &sub)?,
        wrap_pyfunction!(outer, &sub)?,
        wrap_pyfunction!(pinv, &sub)?,
        wrap_pyfunction!(qr, &sub)?,
        wrap_pyfunction!(slogdet, &sub)?,
        wrap_pyfunction!(solve, &sub)?,
        wrap_pyfunction!(svd, &sub)?,
        wrap_pyfunction!(svdvals, &sub)?,
        wrap_pyfunction!(trace, &sub)?,
        wrap_pyfunction!(vector_norm, &sub)?,
        wrap_pyfunction!(matrix_transpose, &sub)?,
        wrap_pyfunction!(crate::functions::matmul, &sub)?,
        wrap_pyfunction!(crate::functions::tensordot, &sub)?,
        wrap_pyfunction!(crate::functions::vecdot, &sub)?,
    ] {
        sub.add_function(f)?;
    }
    for t in [&EIG, &EIGH, &QR, &SLOGDET, &SVD] {
        t.register(&sub)?;
    }
    sub.setattr("__name__", "oxarray.linalg")?;
    m.add_submodule(&sub)?;
    py.import("sys")?.getattr("modules")?.set_item("oxarray.linalg", &sub)?;
    Ok(())
}
