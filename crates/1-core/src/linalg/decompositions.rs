//! Decompositions and the functions built on them, batched over the leading
//! axes: [`cholesky`], [`det`], [`slogdet`], [`inv`], [`solve`], [`qr`],
//! [`svd`], [`svdvals`], [`eigh`], [`eigvalsh`], [`eig`], [`eigvals`],
//! [`pinv`], [`matrix_rank`], [`matrix_power`].

use faer::linalg::solvers::{DenseSolveCore, Solve};
use faer::{Accum, Mat, MatRef, Par, Side};

use super::{
    Field, Stack, cast_to, check_matrix, check_square, complex_of, compute_dtype, dispatch_field, from_parts,
    to_row_major,
};
use crate::array::Array;
use crate::dtype::DType;
use crate::element::Element;
use crate::error::{Error, ErrorKind, Result};
use crate::manipulation::broadcast_shapes;
use crate::promotion::result_type;
use crate::scalar::Float;

/// NumPy's `LinAlgError` message for a singular matrix.
const SINGULAR: &str = "Singular matrix";

fn unsupported(op: &'static str, dtype: DType) -> Error {
    ErrorKind::UnsupportedDType { op, dtype }.into()
}

/// `x` checked (a stack of matrices, square if `square`) and converted to
/// the dtype its decomposition computes in.
fn prepare(op: &'static str, x: &Array, square: bool) -> Result<Array> {
    if square {
        check_square(op, x)?;
    } else {
        check_matrix(op, x)?;
    }
    cast_to(x, compute_dtype(op, x.dtype)?)
}

/// Row-major elements of `mᴴ`.
fn adjoint_row_major<T: Field>(m: MatRef<'_, T>) -> Vec<T> {
    let mut v = Vec::with_capacity(m.nrows() * m.ncols());
    for j in 0..m.ncols() {
        for i in 0..m.nrows() {
            v.push(m[(i, j)].conjugate());
        }
    }
    v
}

/// Errors for routines that LAPACK would feed NaN or infinity into: NumPy
/// raises for these (`eig` checks up front, `svd` fails to converge).
fn check_finite<T: Field>(m: MatRef<'_, T>, message: &str) -> std::result::Result<(), String> {
    for j in 0..m.ncols() {
        for i in 0..m.nrows() {
            let x = m[(i, j)];
            if !(x.modulus().to_f64().is_finite()) {
                return Err(message.to_string());
            }
        }
    }
    Ok(())
}

/// The Cholesky factor of each Hermitian positive-definite matrix: lower
/// triangular `L` with `x = L·Lᴴ`, or with `upper` the upper triangular
/// `U = Lᴴ` with `x = Uᴴ·U`. Only the lower (or, with `upper`, the upper)
/// triangle of `x` is read, as in NumPy.
///
/// Errors: non-square input; [`ErrorKind::LinAlg`] naming the matrix that is
/// not positive definite.
pub fn cholesky(x: &Array, upper: bool) -> Result<Array> {
    let x = prepare("cholesky", x, true)?;
    dispatch_field!(x.dtype, T => cholesky_t::<T>(&x, upper), _ => Err(unsupported("cholesky", x.dtype)))
}

fn cholesky_t<T: Field>(x: &Array, upper: bool) -> Result<Array> {
    let s = Stack::<T>::new("cholesky", x)?;
    let parts = s.map("cholesky", |m| {
        let side = if upper { Side::Upper } else { Side::Lower };
        let llt = m.llt(side).map_err(|_| "Matrix is not positive definite".to_string())?;
        Ok(if upper { adjoint_row_major(llt.L()) } else { to_row_major(llt.L()) })
    })?;
    from_parts(&s.batch, &[s.rows, s.cols], parts)
}

/// An LU factorisation with partial pivoting, reduced to what `det`,
/// `slogdet`, `inv` and `solve` need.
struct Lu<T> {
    lu: faer::linalg::solvers::PartialPivLu<T>,
    /// Whether the row permutation is odd.
    odd: bool,
}

impl<T: Field> Lu<T> {
    fn new(m: MatRef<'_, T>) -> Self {
        let lu = m.partial_piv_lu();
        let (fwd, _) = lu.P().arrays();
        // Parity = (n - number of cycles) mod 2.
        let mut seen = vec![false; fwd.len()];
        let mut transpositions = 0usize;
        for start in 0..fwd.len() {
            let mut i = start;
            let mut len = 0usize;
            while !seen[i] {
                seen[i] = true;
                i = fwd[i];
                len += 1;
            }
            transpositions += len.saturating_sub(1);
        }
        Lu { lu, odd: transpositions % 2 == 1 }
    }

    fn pivots(&self) -> impl Iterator<Item = T> + '_ {
        let u = self.lu.U();
        (0..u.nrows().min(u.ncols())).map(move |i| u[(i, i)])
    }

    /// Whether a pivot is exactly zero: LAPACK's (and so NumPy's) test for
    /// a singular matrix.
    fn is_singular(&self) -> bool {
        self.pivots().any(|p| p == T::zero())
    }

    /// `(sign, log|det|)`: `sign` has modulus 1, or is 0 with `-inf` for a
    /// singular matrix.
    fn slogdet(&self) -> (T, T::Re) {
        if self.is_singular() {
            return (T::zero(), T::Re::from_f64(f64::NEG_INFINITY));
        }
        let mut sign = if self.odd { -T::one() } else { T::one() };
        let mut log = 0.0f64;
        for p in self.pivots() {
            let a = p.modulus();
            sign *= p / T::from_re(a);
            log += a.to_f64().ln();
        }
        (sign, T::Re::from_f64(log))
    }

    fn det(&self) -> T {
        if self.is_singular() {
            return T::zero();
        }
        let d = self.pivots().fold(T::one(), |acc, p| acc * p);
        if self.odd { -d } else { d }
    }
}

/// The determinant of each square matrix (computed from an LU
/// factorisation; a singular matrix gives 0). The result has the batch
/// shape.
pub fn det(x: &Array) -> Result<Array> {
    let x = prepare("det", x, true)?;
    dispatch_field!(x.dtype, T => det_t::<T>(&x), _ => Err(unsupported("det", x.dtype)))
}

fn det_t<T: Field>(x: &Array) -> Result<Array> {
    let s = Stack::<T>::new("det", x)?;
    let parts = s.map("det", |m| Ok(vec![if m.nrows() == 0 { T::one() } else { Lu::new(m).det() }]))?;
    from_parts(&s.batch, &[], parts)
}

/// The sign and the natural logarithm of the absolute value of a
/// determinant ([`slogdet`]).
#[derive(Clone, Debug)]
pub struct Slogdet {
    /// `det/|det|` (of the input's dtype: complex for complex input), or 0
    /// for a singular matrix.
    pub sign: Array,
    /// `ln|det|` (real), `-inf` for a singular matrix.
    pub logabsdet: Array,
}

/// The sign and log-magnitude of each determinant, which do not overflow
/// where [`det`] would.
pub fn slogdet(x: &Array) -> Result<Slogdet> {
    let x = prepare("slogdet", x, true)?;
    dispatch_field!(x.dtype, T => slogdet_t::<T>(&x), _ => Err(unsupported("slogdet", x.dtype)))
}

fn slogdet_t<T: Field>(x: &Array) -> Result<Slogdet> {
    let s = Stack::<T>::new("slogdet", x)?;
    let parts = s.map("slogdet", |m| {
        Ok(if m.nrows() == 0 { (T::one(), <T::Re as Element>::zero()) } else { Lu::new(m).slogdet() })
    })?;
    let (signs, logs): (Vec<T>, Vec<T::Re>) = parts.into_iter().unzip();
    Ok(Slogdet { sign: from_parts(&s.batch, &[], vec![signs])?, logabsdet: from_parts(&s.batch, &[], vec![logs])? })
}

/// The inverse of each square matrix.
///
/// Errors: non-square input; [`ErrorKind::LinAlg`] ("Singular matrix")
/// naming the first matrix with an exactly zero pivot, as NumPy raises
/// `LinAlgError`.
pub fn inv(x: &Array) -> Result<Array> {
    let x = prepare("inv", x, true)?;
    dispatch_field!(x.dtype, T => inv_t::<T>(&x), _ => Err(unsupported("inv", x.dtype)))
}

fn inv_t<T: Field>(x: &Array) -> Result<Array> {
    let s = Stack::<T>::new("inv", x)?;
    let parts = s.map("inv", |m| {
        if m.nrows() == 0 {
            return Ok(Vec::new());
        }
        let lu = Lu::new(m);
        if lu.is_singular() {
            return Err(SINGULAR.to_string());
        }
        Ok(to_row_major(lu.lu.inverse().as_ref()))
    })?;
    from_parts(&s.batch, &[s.rows, s.cols], parts)
}

/// Solves `a · x = b` for each square matrix of `a`.
///
/// `b` is a stack of `M × K` matrices, or a single vector of length `M`
/// when it is 1-d (NumPy 2 and the Array API: only a 1-d `b` is a vector).
/// The leading axes of `a` and `b` broadcast; the result has the broadcast
/// batch shape followed by `(M, K)`, or `(M,)` for a 1-d `b`. Dtype: the
/// promoted dtype of the two, as in [`inv`].
///
/// Errors: non-square `a`, mismatched `M`, and [`ErrorKind::LinAlg`]
/// ("Singular matrix") naming the first singular matrix.
pub fn solve(a: &Array, b: &Array) -> Result<Array> {
    check_square("solve", a)?;
    if b.ndim() == 0 {
        return Err(Error::invalid("solve", "b must be at least 1-dimensional"));
    }
    let dtype = compute_dtype("solve", result_type(a.dtype, b.dtype)?)?;
    let vector = b.ndim() == 1;
    let b2 = if vector { b.expand_dims(-1)? } else { b.clone() };
    let (na, nb) = (a.ndim(), b2.ndim());
    let n = a.shape[na - 1];
    if b2.shape[nb - 2] != n {
        return Err(Error::invalid(
            "solve",
            format!("a has shape {:?} but b has shape {:?}: b needs {n} rows", a.shape, b.shape),
        ));
    }
    let k = b2.shape[nb - 1];
    let batch = broadcast_shapes(&[&a.shape[..na - 2], &b2.shape[..nb - 2]])?;
    let shape = |r: usize, c: usize| -> Vec<usize> { batch.iter().copied().chain([r, c]).collect() };
    let a = cast_to(a, dtype)?.broadcast_to(&shape(n, n))?;
    let b2 = cast_to(&b2, dtype)?.broadcast_to(&shape(n, k))?;
    let x = dispatch_field!(dtype, T => {
        let (sa, sb) = (Stack::<T>::new("solve", &a)?, Stack::<T>::new("solve", &b2)?);
        let parts = super::map_indexed("solve", &sa.batch, |i| {
            let (m, rhs) = (sa.get(i), sb.get(i));
            if n == 0 || k == 0 {
                return Ok(vec![T::zero(); n * k]);
            }
            let lu = Lu::new(m);
            if lu.is_singular() {
                return Err(SINGULAR.to_string());
            }
            let mut sol = rhs.to_owned();
            lu.lu.solve_in_place(sol.as_mut());
            Ok(to_row_major(sol.as_ref()))
        })?;
        from_parts(&batch, &[n, k], parts)?
    }, _ => return Err(unsupported("solve", dtype)));
    if vector { x.reshape_view(&shape(n, k)[..batch.len() + 1]) } else { Ok(x) }
}

/// What [`qr`] returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum QrMode {
    /// `Q` is `M × K` and `R` is `K × N`, with `K = min(M, N)`.
    #[default]
    Reduced,
    /// `Q` is `M × M` and `R` is `M × N`.
    Complete,
}

/// The factors of a QR decomposition ([`qr`]).
#[derive(Clone, Debug)]
pub struct Qr {
    /// Orthonormal (unitary) columns.
    pub q: Array,
    /// Upper triangular (trapezoidal).
    pub r: Array,
}

/// The QR decomposition `x = Q·R` of each matrix (Householder, unpivoted).
/// Signs of the rows of `R` (and the columns of `Q`) may differ from
/// NumPy's; the product and the orthogonality are what is defined.
pub fn qr(x: &Array, mode: QrMode) -> Result<Qr> {
    let x = prepare("qr", x, false)?;
    dispatch_field!(x.dtype, T => qr_t::<T>(&x, mode), _ => Err(unsupported("qr", x.dtype)))
}

fn qr_t<T: Field>(x: &Array, mode: QrMode) -> Result<Qr> {
    let s = Stack::<T>::new("qr", x)?;
    let (m, n) = (s.rows, s.cols);
    let k = m.min(n);
    let (qc, rr) = match mode {
        QrMode::Reduced => (k, k),
        QrMode::Complete => (m, m),
    };
    let parts = s.map("qr", |a| {
        if k == 0 {
            // No reflectors: Q is the identity's first columns, R is zeros.
            let mut q = vec![T::zero(); m * qc];
            for i in 0..qc.min(m) {
                q[i * qc + i] = T::one();
            }
            return Ok((q, vec![T::zero(); rr * n]));
        }
        let f = a.qr();
        let q = match mode {
            QrMode::Reduced => f.compute_thin_Q(),
            QrMode::Complete => f.compute_Q(),
        };
        // faer's R has min(M, N) rows; complete mode pads it with zero rows.
        let mut r = to_row_major(f.thin_R());
        r.resize(rr * n, T::zero());
        Ok((to_row_major(q.as_ref()), r))
    })?;
    let (qs, rs): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
    Ok(Qr { q: from_parts(&s.batch, &[m, qc], qs)?, r: from_parts(&s.batch, &[rr, n], rs)? })
}

/// The factors of a singular value decomposition ([`svd`]).
#[derive(Clone, Debug)]
pub struct Svd {
    /// Left singular vectors, `M × M` (full) or `M × K`.
    pub u: Array,
    /// Singular values, descending, real, length `K = min(M, N)`.
    pub s: Array,
    /// Right singular vectors as rows (`Vᴴ`), `N × N` (full) or `K × N`.
    pub vh: Array,
}

/// The singular value decomposition `x = U·diag(S)·Vh` of each matrix,
/// singular values in descending order. With `full_matrices` `U` and `Vh`
/// are square; otherwise they have `K = min(M, N)` columns and rows. The
/// signs of singular vectors are arbitrary (as in LAPACK).
///
/// Errors: [`ErrorKind::LinAlg`] ("SVD did not converge") for a matrix
/// holding NaN or infinity or when the iteration fails, as NumPy.
pub fn svd(x: &Array, full_matrices: bool) -> Result<Svd> {
    let x = prepare("svd", x, false)?;
    dispatch_field!(x.dtype, T => svd_t::<T>(&x, full_matrices), _ => Err(unsupported("svd", x.dtype)))
}

const SVD_FAILED: &str = "SVD did not converge";

fn svd_t<T: Field>(x: &Array, full: bool) -> Result<Svd> {
    let s = Stack::<T>::new("svd", x)?;
    let (m, n) = (s.rows, s.cols);
    let k = m.min(n);
    let (uc, vr) = if full { (m, n) } else { (k, k) };
    let parts = s.map("svd", |a| {
        check_finite(a, SVD_FAILED)?;
        let f = if full { a.svd() } else { a.thin_svd() }.map_err(|_| SVD_FAILED.to_string())?;
        let sv: Vec<T::Re> = (0..k).map(|i| f.S().column_vector()[i].re()).collect();
        Ok((to_row_major(f.U()), sv, adjoint_row_major(f.V())))
    })?;
    let (mut us, mut ss, mut vs) = (Vec::new(), Vec::new(), Vec::new());
    for (u, sv, v) in parts {
        us.push(u);
        ss.push(sv);
        vs.push(v);
    }
    Ok(Svd {
        u: from_parts(&s.batch, &[m, uc], us)?,
        s: from_parts(&s.batch, &[k], ss)?,
        vh: from_parts(&s.batch, &[vr, n], vs)?,
    })
}

/// Singular values of `a` (descending), or the SVD error message.
fn singular_values<T: Field>(a: MatRef<'_, T>) -> std::result::Result<Vec<T::Re>, String> {
    if a.nrows() == 0 || a.ncols() == 0 {
        return Ok(Vec::new());
    }
    check_finite(a, SVD_FAILED)?;
    a.singular_values().map_err(|_| SVD_FAILED.to_string())
}

/// The singular values of each matrix, descending (real dtype), shape
/// `batch + [min(M, N)]`.
pub fn svdvals(x: &Array) -> Result<Array> {
    let x = prepare("svdvals", x, false)?;
    dispatch_field!(x.dtype, T => svdvals_t::<T>(&x), _ => Err(unsupported("svdvals", x.dtype)))
}

fn svdvals_t<T: Field>(x: &Array) -> Result<Array> {
    let s = Stack::<T>::new("svdvals", x)?;
    let parts = s.map("svdvals", singular_values::<T>)?;
    from_parts(&s.batch, &[s.rows.min(s.cols)], parts)
}

/// Eigenvalues and eigenvectors of Hermitian matrices ([`eigh`]).
#[derive(Clone, Debug)]
pub struct Eigh {
    /// Eigenvalues in ascending order (real), shape `batch + [M]`.
    pub eigenvalues: Array,
    /// Orthonormal eigenvectors as columns: column `i` belongs to
    /// eigenvalue `i`.
    pub eigenvectors: Array,
}

const EIG_FAILED: &str = "Eigenvalues did not converge";

/// The eigendecomposition of each Hermitian (real symmetric) matrix, from
/// its lower triangle as in NumPy: eigenvalues ascending, eigenvectors as
/// orthonormal columns (signs arbitrary).
pub fn eigh(x: &Array) -> Result<Eigh> {
    let x = prepare("eigh", x, true)?;
    dispatch_field!(x.dtype, T => eigh_t::<T>(&x), _ => Err(unsupported("eigh", x.dtype)))
}

fn eigh_t<T: Field>(x: &Array) -> Result<Eigh> {
    let s = Stack::<T>::new("eigh", x)?;
    let n = s.rows;
    let parts = s.map("eigh", |a| {
        if n == 0 {
            return Ok((Vec::new(), Vec::new()));
        }
        let f = a.self_adjoint_eigen(Side::Lower).map_err(|_| EIG_FAILED.to_string())?;
        let w: Vec<T::Re> = (0..n).map(|i| f.S().column_vector()[i].re()).collect();
        Ok((w, to_row_major(f.U())))
    })?;
    let (ws, vs): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
    Ok(Eigh { eigenvalues: from_parts(&s.batch, &[n], ws)?, eigenvectors: from_parts(&s.batch, &[n, n], vs)? })
}

/// The eigenvalues of each Hermitian matrix (lower triangle), ascending.
pub fn eigvalsh(x: &Array) -> Result<Array> {
    let x = prepare("eigvalsh", x, true)?;
    dispatch_field!(x.dtype, T => eigvalsh_t::<T>(&x), _ => Err(unsupported("eigvalsh", x.dtype)))
}

fn eigvalsh_t<T: Field>(x: &Array) -> Result<Array> {
    let s = Stack::<T>::new("eigvalsh", x)?;
    let parts = s.map("eigvalsh", |a| {
        if a.nrows() == 0 {
            return Ok(Vec::new());
        }
        a.self_adjoint_eigenvalues(Side::Lower).map_err(|_| EIG_FAILED.to_string())
    })?;
    from_parts(&s.batch, &[s.rows], parts)
}

/// Eigenvalues and right eigenvectors of general matrices ([`eig`]).
#[derive(Clone, Debug)]
pub struct Eig {
    /// Eigenvalues (complex), in no particular order.
    pub eigenvalues: Array,
    /// Unit-norm eigenvectors as columns (complex): column `i` belongs to
    /// eigenvalue `i`.
    pub eigenvectors: Array,
}

/// The eigendecomposition `x·v = λ·v` of each square matrix. Results are
/// always complex (complex64 for float32 input, complex128 for float64):
/// the Array API's rule. NumPy instead returns real arrays when every
/// eigenvalue of a real input happens to be real.
///
/// Errors: [`ErrorKind::LinAlg`] for a matrix holding NaN or infinity (as
/// NumPy) or when the iteration fails.
pub fn eig(x: &Array) -> Result<Eig> {
    let x = prepare("eig", x, true)?;
    dispatch_field!(x.dtype, T => eig_t::<T>(&x), _ => Err(unsupported("eig", x.dtype)))
}

fn eig_t<T: Field>(x: &Array) -> Result<Eig> {
    let s = Stack::<T>::new("eig", x)?;
    let n = s.rows;
    let parts = s.map("eig", |a| T::eig(a, true))?;
    let (ws, vs): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
    let eig = Eig { eigenvalues: from_parts(&s.batch, &[n], ws)?, eigenvectors: from_parts(&s.batch, &[n, n], vs)? };
    debug_assert_eq!(eig.eigenvalues.dtype(), complex_of(T::DTYPE));
    Ok(eig)
}

/// The eigenvalues of each square matrix (always complex; see [`eig`]).
pub fn eigvals(x: &Array) -> Result<Array> {
    let x = prepare("eigvals", x, true)?;
    dispatch_field!(x.dtype, T => eigvals_t::<T>(&x), _ => Err(unsupported("eigvals", x.dtype)))
}

fn eigvals_t<T: Field>(x: &Array) -> Result<Array> {
    let s = Stack::<T>::new("eigvals", x)?;
    let parts = s.map("eigvals", |a| T::eig(a, false).map(|(w, _)| w))?;
    from_parts(&s.batch, &[s.rows], parts)
}

/// Eigenvalues and row-major eigenvectors of real precision `R`.
type EigParts<R> = (Vec<num_complex::Complex<R>>, Vec<num_complex::Complex<R>>);

/// The general eigendecomposition behind [`Field::eig`]: eigenvalues and,
/// if `vectors`, row-major unit-norm eigenvectors as columns.
pub(super) fn eig_impl<T: Field>(a: MatRef<'_, T>, vectors: bool) -> std::result::Result<EigParts<T::Re>, String> {
    let n = a.nrows();
    if n == 0 {
        return Ok((Vec::new(), Vec::new()));
    }
    check_finite(a, "Array must not contain infs or NaNs")?;
    if !vectors {
        return a.eigenvalues().map(|w| (w, Vec::new())).map_err(|_| EIG_FAILED.to_string());
    }
    let f = a.eigen().map_err(|_| EIG_FAILED.to_string())?;
    let w = (0..n).map(|i| f.S().column_vector()[i]).collect();
    // Unit 2-norm columns, as LAPACK's geev (and so NumPy) returns them.
    let u = f.U();
    let norms: Vec<f64> = (0..n).map(|j| (0..n).map(|i| u[(i, j)].norm_sqr().to_f64()).sum::<f64>().sqrt()).collect();
    let mut v = Vec::with_capacity(n * n);
    for i in 0..n {
        for (j, &norm) in norms.iter().enumerate() {
            let scale = if norm > 0.0 { T::Re::from_f64(1.0 / norm) } else { <T::Re as Element>::one() };
            v.push(u[(i, j)] * scale);
        }
    }
    Ok((w, v))
}

/// The Moore–Penrose pseudo-inverse of each matrix (`N × M` for an
/// `M × N` input), from the SVD: singular values at most
/// `rtol · max(S)` count as zero. `rtol` defaults to `max(M, N) · ε` of the
/// dtype (the Array API's default; NumPy's `pinv` without `rtol` uses
/// `1e-15`).
pub fn pinv(x: &Array, rtol: Option<f64>) -> Result<Array> {
    let x = prepare("pinv", x, false)?;
    dispatch_field!(x.dtype, T => pinv_t::<T>(&x, rtol), _ => Err(unsupported("pinv", x.dtype)))
}

fn pinv_t<T: Field>(x: &Array, rtol: Option<f64>) -> Result<Array> {
    let s = Stack::<T>::new("pinv", x)?;
    let (m, n) = (s.rows, s.cols);
    let rtol = rtol.unwrap_or(m.max(n) as f64 * T::eps());
    let parts = s.map("pinv", |a| {
        if m == 0 || n == 0 {
            return Ok(vec![T::zero(); n * m]);
        }
        check_finite(a, SVD_FAILED)?;
        let f = a.thin_svd().map_err(|_| SVD_FAILED.to_string())?;
        let sv: Vec<f64> = (0..m.min(n)).map(|i| f.S().column_vector()[i].re().to_f64()).collect();
        let cutoff = rtol * sv.iter().copied().fold(0.0, f64::max);
        // V · diag(1/s) (small values dropped) · Uᴴ.
        let mut vs = f.V().to_owned();
        for (j, &sj) in sv.iter().enumerate() {
            let inv = if sj > cutoff { T::from_re(T::Re::from_f64(1.0 / sj)) } else { T::zero() };
            for i in 0..n {
                vs[(i, j)] *= inv;
            }
        }
        let mut out = Mat::<T>::zeros(n, m);
        faer::linalg::matmul::matmul(out.as_mut(), Accum::Replace, vs.as_ref(), f.U().adjoint(), T::one(), Par::Seq);
        Ok(to_row_major(out.as_ref()))
    })?;
    from_parts(&s.batch, &[n, m], parts)
}

/// The rank of each matrix: the number of singular values greater than
/// `rtol · max(S)`, `rtol` defaulting to `max(M, N) · ε` of the dtype (the
/// Array API's and NumPy's default). Result: int64, of the batch shape.
pub fn matrix_rank(x: &Array, rtol: Option<f64>) -> Result<Array> {
    let x = prepare("matrix_rank", x, false)?;
    dispatch_field!(x.dtype, T => matrix_rank_t::<T>(&x, rtol), _ => Err(unsupported("matrix_rank", x.dtype)))
}

fn matrix_rank_t<T: Field>(x: &Array, rtol: Option<f64>) -> Result<Array> {
    let s = Stack::<T>::new("matrix_rank", x)?;
    let rtol = rtol.unwrap_or(s.rows.max(s.cols) as f64 * T::eps());
    let parts = s.map("matrix_rank", |a| {
        let sv: Vec<f64> = singular_values(a)?.into_iter().map(|v| v.to_f64()).collect();
        let tol = rtol * sv.iter().copied().fold(0.0, f64::max);
        Ok(vec![sv.iter().filter(|&&v| v > tol).count() as i64])
    })?;
    from_parts(&s.batch, &[], parts)
}

/// Each square matrix raised to the integer power `n` by repeated squaring
/// with [`matmul`](super::matmul): `n = 0` gives identity matrices of the
/// input's dtype, negative `n` powers of the inverse (float or complex
/// result, as [`inv`]). Integer matrices wrap on overflow.
pub fn matrix_power(x: &Array, n: i64) -> Result<Array> {
    check_square("matrix_power", x)?;
    if n == 0 {
        let m = x.shape[x.ndim() - 1];
        return Ok(Array::eye(m, None, 0, x.dtype)?.broadcast_to(&x.shape)?.copy());
    }
    let mut base = if n < 0 { inv(x)? } else { x.clone() };
    let mut e = n.unsigned_abs();
    let mut result: Option<Array> = None;
    loop {
        if e & 1 == 1 {
            result = Some(match result {
                None => base.clone(),
                Some(r) => r.matmul(&base)?,
            });
        }
        e >>= 1;
        if e == 0 {
            break;
        }
        base = base.matmul(&base)?;
    }
    Ok(result.expect("n != 0 sets a bit").to_contiguous())
}
