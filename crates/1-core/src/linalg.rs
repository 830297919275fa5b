//! Linear algebra: the Array API's linear-algebra functions ([`matmul`],
//! [`tensordot`], [`vecdot`], [`matrix_transpose`]) and its `linalg`
//! extension, as `oxarray_core::linalg::svd(&a, false)` and friends.
//!
//! - **Stacks of matrices.** Every function that takes matrices works on the
//!   last two axes and loops over the leading ("batch") axes, which
//!   broadcast between operands where there are two (`matmul`, `solve`).
//! - **Speed.** Floating-point products and every decomposition run on
//!   [faer](https://docs.rs/faer): one large product uses every core, a batch
//!   of small ones spreads its matrices over the cores instead. Matrices are
//!   handed to faer as strided views of the array's own memory, so
//!   transposed, sliced, reversed or broadcast operands are not copied.
//!   Integer and `bool` products use a cache-blocked loop with wrapping
//!   arithmetic ([`oxarray_kernels::gemm`]); `float16`/`bfloat16` products
//!   compute in `float32` and round once.
//! - **Dtypes.** Products follow [`result_type`](crate::result_type). The
//!   decompositions compute in `float32`, `float64`, `complex64` or
//!   `complex128`; `bool` and integer inputs compute in `float64`, as in
//!   NumPy, and `float16`/`bfloat16` are rejected, as in NumPy.
//! - **Errors, not NaNs.** Where NumPy raises `LinAlgError` (a singular
//!   matrix in [`inv`]/[`solve`], a matrix that is not positive definite in
//!   [`cholesky`], no convergence), oxarray returns
//!   [`ErrorKind::LinAlg`] naming the matrix's batch index.
//!
//! ```
//! use oxarray_core::{linalg, Array};
//! let a = Array::from_slice(&[4.0f64, 2.0, 2.0, 3.0], &[2, 2])?;
//! let b = Array::from_slice(&[1.0f64, 2.0], &[2])?;
//! let x = linalg::solve(&a, &b)?;                 // a · x = b
//! let back = a.matmul(&x)?;
//! assert!(back.to_vec::<f64>()?.iter().zip([1.0, 2.0]).all(|(u, v)| (u - v).abs() < 1e-12));
//! let l = linalg::cholesky(&a, false)?;           // a = l · lᴴ
//! assert_eq!(l.get::<f64>(&[0, 1])?, 0.0);
//! let svd = linalg::svd(&a, false)?;              // singular values, descending
//! assert!(svd.s.get::<f64>(&[0])? >= svd.s.get::<f64>(&[1])?);
//! # Ok::<(), oxarray_core::Error>(())
//! ```

mod decompositions;
mod norms;
mod products;

use std::ops::{Add, Div, Mul, MulAssign, Neg, Sub};

use faer::MatRef;
use faer::traits::{ComplexField, RealField};
use num_complex::Complex;
use oxarray_kernels::{layout, strided};
use rayon::prelude::*;

use crate::array::Array;
use crate::cast::unravel;
use crate::dtype::{DType, Kind};
use crate::element::Element;
use crate::error::{Error, ErrorKind, Result};
use crate::scalar::Float;

pub use decompositions::{
    Eig, Eigh, Qr, QrMode, Slogdet, Svd, cholesky, det, eig, eigh, eigvals, eigvalsh, inv, matrix_power, matrix_rank,
    pinv, qr, slogdet, solve, svd, svdvals,
};
pub use norms::{MatrixNorm, diagonal, matrix_norm, trace, vector_norm};
pub use products::{TensordotAxes, cross, matmul, outer, tensordot, vecdot};

/// Swaps the last two axes (a view); the same as
/// [`Array::matrix_transpose`].
pub fn matrix_transpose(x: &Array) -> Result<Array> {
    x.matrix_transpose()
}

impl Array {
    /// The matrix product `self @ other` with the Array API's rules; see
    /// [`linalg::matmul`](matmul).
    pub fn matmul(&self, other: &Array) -> Result<Array> {
        matmul(self, other)
    }

    /// Sums products over the given axes; see
    /// [`linalg::tensordot`](tensordot).
    pub fn tensordot(&self, other: &Array, axes: impl Into<TensordotAxes>) -> Result<Array> {
        tensordot(self, other, axes)
    }

    /// The dot product of vectors along `axis`, conjugating `self` if
    /// complex; see [`linalg::vecdot`](vecdot).
    pub fn vecdot(&self, other: &Array, axis: isize) -> Result<Array> {
        vecdot(self, other, axis)
    }
}

/// The element types faer computes with (`f32`, `f64`, `c64`, `c128`), with
/// the few operations the batched routines need beyond faer's own.
pub(crate) trait Field:
    Element
    + ComplexField<Real = <Self as Field>::Re>
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + MulAssign
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// The real type of the same precision.
    type Re: Field<Re = Self::Re> + RealField + Float;
    /// The complex type of the same precision.
    type Cx: Field<Re = Self::Re>;
    /// `|x|`.
    fn modulus(self) -> Self::Re;
    /// The complex conjugate.
    fn conjugate(self) -> Self;
    /// A real number as `Self`.
    fn from_re(r: Self::Re) -> Self;
    /// The real part.
    fn re(self) -> Self::Re;
    /// Machine epsilon of the real type, as `f64`.
    fn eps() -> f64;
    /// Eigenvalues and, if `vectors`, the row-major matrix of unit-norm
    /// right eigenvectors (as columns) of a square matrix, or the error
    /// message.
    #[allow(clippy::type_complexity)]
    fn eig(m: MatRef<'_, Self>, vectors: bool) -> std::result::Result<(Vec<Self::Cx>, Vec<Self::Cx>), String>;
}

macro_rules! impl_field_real {
    ($($t:ty),*) => {$(
        impl Field for $t {
            type Re = $t;
            type Cx = Complex<$t>;
            fn modulus(self) -> $t { self.abs() }
            fn conjugate(self) -> Self { self }
            fn from_re(r: $t) -> Self { r }
            fn re(self) -> $t { self }
            fn eps() -> f64 { <$t>::EPSILON as f64 }
            fn eig(m: MatRef<'_, Self>, vectors: bool) -> std::result::Result<(Vec<Self::Cx>, Vec<Self::Cx>), String> {
                decompositions::eig_impl(m, vectors)
            }
        }
        impl Field for Complex<$t> {
            type Re = $t;
            type Cx = Complex<$t>;
            fn modulus(self) -> $t { self.norm() }
            fn conjugate(self) -> Self { self.conj() }
            fn from_re(r: $t) -> Self { Complex::new(r, 0.0) }
            fn re(self) -> $t { self.re }
            fn eps() -> f64 { <$t>::EPSILON as f64 }
            fn eig(m: MatRef<'_, Self>, vectors: bool) -> std::result::Result<(Vec<Self::Cx>, Vec<Self::Cx>), String> {
                decompositions::eig_impl(m, vectors)
            }
        }
    )*};
}
impl_field_real!(f32, f64);

/// Runs `$body` with `$T` bound to the [`Field`] type of `$dtype`, or
/// evaluates `$other` for dtypes that are not float32, float64, complex64 or
/// complex128.
macro_rules! dispatch_field {
    ($dtype:expr, $T:ident => $body:expr, _ => $other:expr) => {
        crate::dispatch_subset!(linalg: $dtype, $T => $body, _ => $other)
    };
}
pub(crate) use dispatch_field;

/// A `rows × cols` faer view of the elements `data[offset + i·rs + j·cs]`,
/// with no copy. Any strides work (zero, negative, overlapping): faer only
/// reads through the view. `None` if the layout reaches outside `data`,
/// which an [`Array`]'s invariants rule out.
pub(crate) fn mat_view<T>(
    data: &[T],
    offset: usize,
    rows: usize,
    cols: usize,
    rs: isize,
    cs: isize,
) -> Option<MatRef<'_, T>> {
    let Some(bounds) = layout::checked_offset_bounds(&[rows, cols], &[rs, cs]) else {
        return Some(MatRef::from_row_major_slice(&data[..0], rows, cols));
    };
    let (lo, hi) = bounds?;
    let start = isize::try_from(offset).ok()?;
    if start.checked_add(lo)? < 0 || start.checked_add(hi)? >= isize::try_from(data.len()).ok()? {
        return None;
    }
    // SAFETY: element (i, j) of the view is `data[offset + i·rs + j·cs]`;
    // over all `i < rows`, `j < cols` these offsets lie in
    // `offset + lo ..= offset + hi`, checked above to be inside `data`, so
    // every element the view addresses is an initialised `T` in one
    // allocation, reached from a pointer that is in bounds and aligned (it
    // points into a `&[T]`). The view borrows `data`, so nothing can write
    // those elements while it lives, which is the only aliasing rule for a
    // read-only `MatRef` (zero strides, reading one element twice, are
    // allowed for reads).
    Some(unsafe { MatRef::from_raw_parts(data.as_ptr().add(offset), rows, cols, rs, cs) })
}

/// The elements of a faer matrix in row-major order.
pub(crate) fn to_row_major<T: Copy>(m: MatRef<'_, T>) -> Vec<T> {
    let (r, c) = (m.nrows(), m.ncols());
    let mut v = Vec::with_capacity(r * c);
    for i in 0..r {
        for j in 0..c {
            v.push(m[(i, j)]);
        }
    }
    v
}

/// `x` in dtype `d`: the same handle if it already is, a checked cast
/// otherwise.
pub(crate) fn cast_to(x: &Array, d: DType) -> Result<Array> {
    if x.dtype == d { Ok(x.clone()) } else { x.astype(d) }
}

/// The dtype a decomposition of a `dtype` input computes and answers in:
/// float32, float64 and the complex types as they are, bool and integers in
/// float64 (NumPy's rule); float16 and bfloat16 are unsupported, as in
/// NumPy, because no LAPACK-class routine exists for them.
pub(crate) fn compute_dtype(op: &'static str, dtype: DType) -> Result<DType> {
    match dtype.kind() {
        Kind::Bool | Kind::SignedInt | Kind::UnsignedInt => Ok(DType::Float64),
        Kind::Complex => Ok(dtype),
        Kind::Float if matches!(dtype, DType::Float32 | DType::Float64) => Ok(dtype),
        Kind::Float => Err(ErrorKind::UnsupportedDType { op, dtype }.into()),
    }
}

/// The complex dtype of a float32/float64/complex dtype's precision.
pub(crate) fn complex_of(d: DType) -> DType {
    if d.real() == DType::Float32 { DType::Complex64 } else { DType::Complex128 }
}

/// Checks that `x` is a stack of matrices (at least 2-d).
pub(crate) fn check_matrix(op: &'static str, x: &Array) -> Result<()> {
    if x.ndim() < 2 {
        return Err(Error::invalid(
            op,
            format!("{}-dimensional array given; the array must be at least two-dimensional", x.ndim()),
        ));
    }
    Ok(())
}

/// Checks that `x` is a stack of square matrices.
pub(crate) fn check_square(op: &'static str, x: &Array) -> Result<()> {
    check_matrix(op, x)?;
    let nd = x.ndim();
    if x.shape[nd - 1] != x.shape[nd - 2] {
        return Err(Error::invalid(
            op,
            format!("last 2 dimensions of the array must be square, the shape is {:?}", x.shape),
        ));
    }
    Ok(())
}

/// The matrices in the last two axes of an array of `T`, as faer views.
pub(crate) struct Stack<'a, T> {
    data: &'a [T],
    /// Shape of the leading axes.
    pub batch: Vec<usize>,
    offsets: Vec<usize>,
    /// Rows of each matrix.
    pub rows: usize,
    /// Columns of each matrix.
    pub cols: usize,
    rs: isize,
    cs: isize,
}

impl<'a, T: Element> Stack<'a, T> {
    /// The stack of `x` (at least 2-d, of dtype `T`).
    pub fn new(op: &'static str, x: &'a Array) -> Result<Self> {
        check_matrix(op, x)?;
        let nd = x.ndim();
        let batch = x.shape[..nd - 2].to_vec();
        let mut offsets = Vec::with_capacity(layout::size(&batch));
        strided::for_each_offset(&batch, &x.strides[..nd - 2], x.offset, |o| offsets.push(o));
        Ok(Stack {
            data: x.typed::<T>(op)?,
            batch,
            offsets,
            rows: x.shape[nd - 2],
            cols: x.shape[nd - 1],
            rs: x.strides[nd - 2],
            cs: x.strides[nd - 1],
        })
    }

    /// Matrix `i` (in C order of the batch axes).
    pub fn get(&self, i: usize) -> MatRef<'a, T> {
        mat_view(self.data, self.offsets[i], self.rows, self.cols, self.rs, self.cs)
            .expect("an array's layout stays inside its buffer")
    }

    /// Runs `f` on every matrix, in parallel when there are several, and
    /// returns the results in batch order; see [`map_indexed`].
    pub fn map<R: Send>(
        &self,
        op: &'static str,
        f: impl Fn(MatRef<'a, T>) -> std::result::Result<R, String> + Sync,
    ) -> Result<Vec<R>> {
        map_indexed(op, &self.batch, |i| f(self.get(i)))
    }
}

/// Runs `f` for every index of a batch of shape `batch` (in parallel when
/// there are several) and returns the results in C order. The first failure
/// in that order becomes an [`ErrorKind::LinAlg`] naming its batch index.
pub(crate) fn map_indexed<R: Send>(
    op: &'static str,
    batch: &[usize],
    f: impl Fn(usize) -> std::result::Result<R, String> + Sync,
) -> Result<Vec<R>> {
    let len = layout::size(batch);
    let results: Vec<std::result::Result<R, String>> =
        if len > 1 { (0..len).into_par_iter().map(&f).collect() } else { (0..len).map(&f).collect() };
    let mut out = Vec::with_capacity(len);
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(v) => out.push(v),
            Err(message) => return Err(ErrorKind::LinAlg { op, index: unravel(i, batch), message }.into()),
        }
    }
    Ok(out)
}

/// An array of shape `batch + inner` from per-matrix parts in batch order,
/// each holding `inner`'s elements in C order.
pub(crate) fn from_parts<T: Element>(batch: &[usize], inner: &[usize], parts: Vec<Vec<T>>) -> Result<Array> {
    let mut shape = batch.to_vec();
    shape.extend_from_slice(inner);
    let data: Vec<T> = parts.into_iter().flatten().collect();
    Array::from_vec(data, &shape)
}
