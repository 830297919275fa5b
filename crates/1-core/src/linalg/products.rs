//! Products: [`matmul`], [`tensordot`], [`vecdot`], [`outer`], [`cross`].

use faer::{Accum, MatMut, Par};
use oxarray_kernels::gemm::{self, MulAdd};
use oxarray_kernels::{layout, par, strided};
use rayon::prelude::*;

use super::{Field, cast_to, dispatch_field, mat_view};
use crate::array::Array;
use crate::cast::Casting;
use crate::dtype::DType;
use crate::element::Element;
use crate::elementwise::UnaryOp;
use crate::error::{Error, ErrorKind, Result};
use crate::manipulation::broadcast_shapes;
use crate::promotion::result_type;
use crate::scalar::Numeric;

/// Multiply-adds (`m·n·k`) from which one product is split across threads,
/// and from which a batch of smaller products is spread over threads one
/// matrix each. Below it a thread costs more than it saves (measured with
/// `examples/bench_matmul.rs`).
///
/// One product is split into bands of the output, one per thread, each a
/// sequential faer product: every thread then works on its own packed
/// blocks from start to end, with no synchronisation inside the product
/// (measurements in `docs/linalg.md`, "Threads"). Products too narrow for
/// two bands keep faer's `Par::rayon`.
const PAR_MIN_WORK: usize = 1 << 18;

/// Output rows (or columns) per thread below which a product is not split
/// into bands: a band's share of the work must outweigh packing the whole
/// of the other operand again.
const MIN_BAND: usize = 32;

/// The matrix product `a @ b` (the Array API's `matmul`, NumPy's `@`).
///
/// - Both operands are stacks of matrices in their last two axes, and the
///   leading axes broadcast: `(2, 1, 3, 4) @ (5, 4, 6)` is `(2, 5, 3, 6)`.
/// - A 1-d `a` of length `k` is a `1 × k` row and a 1-d `b` a `k × 1`
///   column; the added axis is removed from the result, so a vector times a
///   vector is a 0-d array.
/// - The result dtype is [`result_type`]`(a, b)`. float32/float64/complex
///   products run on faer without copying the operands, whatever their
///   strides; float16 and bfloat16 compute in float32 and round once;
///   integers and `bool` use a cache-blocked loop, integers wrapping on
///   overflow as in NumPy.
///
/// Errors: a 0-d operand, or contracted dimensions that differ.
///
/// ```
/// use oxarray_core::Array;
/// let a = Array::from_slice(&[1i32, 2, 3, 4, 5, 6], &[2, 3])?;
/// let b = Array::from_slice(&[1i32, 0, 1], &[3])?;
/// assert_eq!(a.matmul(&b)?.to_vec::<i32>()?, vec![4, 10]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
pub fn matmul(a: &Array, b: &Array) -> Result<Array> {
    if a.ndim() == 0 || b.ndim() == 0 {
        return Err(Error::invalid(
            "matmul",
            format!(
                "operands must be at least 1-dimensional, got shapes {:?} and {:?} (use multiply for scalars)",
                a.shape, b.shape
            ),
        ));
    }
    let dtype = result_type(a.dtype, b.dtype)?;
    let a2 = if a.ndim() == 1 { a.expand_dims(0)? } else { a.clone() };
    let b2 = if b.ndim() == 1 { b.expand_dims(-1)? } else { b.clone() };
    let (na, nb) = (a2.ndim(), b2.ndim());
    let (m, k, k2, n) = (a2.shape[na - 2], a2.shape[na - 1], b2.shape[nb - 2], b2.shape[nb - 1]);
    if k != k2 {
        return Err(Error::invalid(
            "matmul",
            format!(
                "the contracted dimensions differ: shapes {:?} and {:?} (size {k} is different from {k2})",
                a.shape, b.shape
            ),
        ));
    }
    let batch = broadcast_shapes(&[&a2.shape[..na - 2], &b2.shape[..nb - 2]])?;
    let out = batched_product(&a2, &b2, dtype, &batch, m, k, n)?;
    let mut shape = batch;
    if a.ndim() > 1 {
        shape.push(m);
    }
    if b.ndim() > 1 {
        shape.push(n);
    }
    out.reshape_view(&shape)
}

/// `a @ b` for stacks broadcast to `batch` (`a` of `m × k`, `b` of `k × n`),
/// in `dtype`: a fresh C-contiguous array of shape `batch + [m, n]`.
fn batched_product(a: &Array, b: &Array, dtype: DType, batch: &[usize], m: usize, k: usize, n: usize) -> Result<Array> {
    let compute = match dtype {
        DType::Float16 | DType::BFloat16 => DType::Float32,
        d => d,
    };
    let with = |x: &Array, r: usize, c: usize| -> Result<Array> {
        let mut shape = batch.to_vec();
        shape.extend([r, c]);
        cast_to(x, compute)?.broadcast_to(&shape)
    };
    let (a, b) = (with(a, m, k)?, with(b, k, n)?);
    let out = dispatch_field!(compute, T => faer_product::<T>(&a, &b, m, k, n),
    _ => crate::dispatch_subset!(int: compute, T => blocked_product::<T>(&a, &b, m, k, n),
        _ => if compute == DType::Bool {
            blocked_product::<bool>(&a, &b, m, k, n)
        } else {
            Err(ErrorKind::UnsupportedDType { op: "matmul", dtype: compute }.into())
        }))?;
    if compute == dtype { Ok(out) } else { out.astype_with(dtype, Casting::Unsafe) }
}

/// Buffer offsets of matrix `(0, 0)` of every pair of corresponding
/// matrices of `a` and `b` (same batch shape), in C order of the batch.
fn batch_offsets(a: &Array, b: &Array) -> Vec<(usize, usize)> {
    let nd = a.ndim();
    let batch = &a.shape[..nd - 2];
    let mut pairs = Vec::with_capacity(layout::size(batch));
    strided::for_each_offset2(batch, &a.strides[..nd - 2], a.offset, &b.strides[..nd - 2], b.offset, |x, y| {
        pairs.push((x, y))
    });
    pairs
}

fn output(a: &Array, m: usize, n: usize, dtype: DType) -> Result<Array> {
    let mut shape = a.shape[..a.ndim() - 2].to_vec();
    shape.extend([m, n]);
    Array::zeros(&shape, dtype)
}

/// `dst` cut into `bands` nonempty blocks of whole rows (or columns) of
/// balanced sizes, each with the index of its first row (column). Blocks
/// start at multiples of 16 elements, whole 64-byte lines of every dtype
/// faer multiplies: two threads writing neighbouring column bands of rows
/// that start on a line never share one. Needs `bands ≤ len / 16` (`len`:
/// the rows, or columns).
fn bands_of<T>(dst: MatMut<'_, T>, bands: usize, by_rows: bool) -> Vec<(usize, MatMut<'_, T>)> {
    let len = if by_rows { dst.nrows() } else { dst.ncols() };
    let tiles = len.div_ceil(16);
    let mut parts = Vec::with_capacity(bands);
    let (mut rest, mut first) = (dst, 0);
    for i in 1..bands {
        let end = (16 * (i * tiles / bands)).min(len);
        let (band, tail) =
            if by_rows { rest.split_at_row_mut(end - first) } else { rest.split_at_col_mut(end - first) };
        parts.push((first, band));
        (rest, first) = (tail, end);
    }
    parts.push((first, rest));
    parts
}

/// Floating-point products on faer, reading the operands in place.
fn faer_product<T: Field>(a: &Array, b: &Array, m: usize, k: usize, n: usize) -> Result<Array> {
    let mut out = output(a, m, n, T::DTYPE)?;
    if out.size() == 0 || k == 0 {
        return Ok(out);
    }
    let pairs = batch_offsets(a, b);
    let (ad, bd) = (a.typed::<T>("matmul")?, b.typed::<T>("matmul")?);
    let nd = a.ndim();
    let (ars, acs, brs, bcs) = (a.strides[nd - 2], a.strides[nd - 1], b.strides[nd - 2], b.strides[nd - 1]);
    let views = |(oa, ob): (usize, usize)| {
        let lhs = mat_view(ad, oa, m, k, ars, acs).expect("an array's layout stays inside its buffer");
        let rhs = mat_view(bd, ob, k, n, brs, bcs).expect("an array's layout stays inside its buffer");
        (lhs, rhs)
    };
    let product = |c: &mut [T], pair: (usize, usize), par: Par| {
        let (lhs, rhs) = views(pair);
        let dst = MatMut::from_row_major_slice_mut(c, m, n);
        faer::linalg::matmul::matmul(dst, Accum::Replace, lhs, rhs, T::one(), par);
    };
    let work = m * n * k;
    let dst = out.typed_mut_unique::<T>()?;
    if pairs.len() > 1 && work < PAR_MIN_WORK && pairs.len().saturating_mul(work) >= PAR_MIN_WORK {
        dst.par_chunks_mut(m * n).zip(pairs.par_iter()).for_each(|(c, &p)| product(c, p, Par::Seq));
        return Ok(out);
    }
    let threads = rayon::current_num_threads();
    for (c, &pair) in dst.chunks_mut(m * n).zip(&pairs) {
        if work < PAR_MIN_WORK || threads == 1 {
            product(c, pair, Par::Seq);
            continue;
        }
        // Tall results split by rows (each thread packs its rows of `a` and
        // all of `b`), wide ones by columns (its columns of `b`, all of
        // `a`): the operand every thread packs whole is the smaller one.
        let by_rows = m >= n;
        let len = if by_rows { m } else { n };
        let bands = threads.min(len / MIN_BAND);
        if bands < 2 {
            product(c, pair, Par::rayon(0));
            continue;
        }
        let (lhs, rhs) = views(pair);
        let parts = bands_of(MatMut::from_row_major_slice_mut(c, m, n), bands, by_rows);
        par::for_each_part(parts, &|_, (first, dst)| {
            let (lhs, rhs) =
                if by_rows { (lhs.subrows(first, dst.nrows()), rhs) } else { (lhs, rhs.subcols(first, dst.ncols())) };
            faer::linalg::matmul::matmul(dst, Accum::Replace, lhs, rhs, T::one(), Par::Seq);
        });
    }
    Ok(out)
}

/// Integer and `bool` products: each matrix gathered into row-major order
/// (a `memcpy` when it already is), then the blocked kernel.
fn blocked_product<T: Element + MulAdd>(a: &Array, b: &Array, m: usize, k: usize, n: usize) -> Result<Array> {
    let mut out = output(a, m, n, T::DTYPE)?;
    if out.size() == 0 {
        return Ok(out);
    }
    let pairs = batch_offsets(a, b);
    let (ad, bd) = (a.typed::<T>("matmul")?, b.typed::<T>("matmul")?);
    let nd = a.ndim();
    let (sa, sb) = (&a.strides[nd - 2..], &b.strides[nd - 2..]);
    let dst = out.typed_mut_unique::<T>()?;
    for (c, &(oa, ob)) in dst.chunks_mut(m * n).zip(&pairs) {
        let am = strided::gather(ad, &[m, k], sa, oa);
        let bm = strided::gather(bd, &[k, n], sb, ob);
        gemm::gemm(c, &am, &bm, m, k, n);
    }
    Ok(out)
}

/// Which axes [`tensordot`] contracts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TensordotAxes {
    /// The last `n` axes of `a` with the first `n` axes of `b`, in order
    /// (NumPy's `axes=n`; the Array API's default is 2).
    Last(usize),
    /// Axis `a_axes[i]` of `a` with axis `b_axes[i]` of `b` (negative
    /// numbers count from the end).
    Pairs(Vec<isize>, Vec<isize>),
}

impl From<usize> for TensordotAxes {
    fn from(n: usize) -> Self {
        TensordotAxes::Last(n)
    }
}

impl From<(&[isize], &[isize])> for TensordotAxes {
    fn from((a, b): (&[isize], &[isize])) -> Self {
        TensordotAxes::Pairs(a.to_vec(), b.to_vec())
    }
}

fn axis_index(axis: isize, ndim: usize) -> Result<usize> {
    layout::normalize_axis(axis, ndim).ok_or_else(|| ErrorKind::AxisOutOfBounds { axis, ndim }.into())
}

/// Sums the products of `a` and `b` over the contracted axes (the Array
/// API's `tensordot`). The result's axes are `a`'s other axes followed by
/// `b`'s other axes; its dtype is [`result_type`]`(a, b)`. Contracted axes
/// must have equal lengths (no broadcasting).
///
/// ```
/// use oxarray_core::{linalg, Array, DType};
/// let a = Array::arange(0.0, 24.0, 1.0, DType::Float64)?.reshape(&[2, 3, 4])?;
/// let b = Array::ones(&[3, 4, 5], DType::Float64)?;
/// assert_eq!(linalg::tensordot(&a, &b, 2)?.shape(), &[2, 5]);
/// let axes: (&[isize], &[isize]) = (&[1], &[0]);
/// assert_eq!(a.tensordot(&b, axes)?.shape(), &[2, 4, 4, 5]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
pub fn tensordot(a: &Array, b: &Array, axes: impl Into<TensordotAxes>) -> Result<Array> {
    let (ax_a, ax_b): (Vec<usize>, Vec<usize>) = match axes.into() {
        TensordotAxes::Last(n) => {
            if n > a.ndim() || n > b.ndim() {
                return Err(Error::invalid(
                    "tensordot",
                    format!("cannot contract {n} axes of arrays with {} and {} dimensions", a.ndim(), b.ndim()),
                ));
            }
            ((a.ndim() - n..a.ndim()).collect(), (0..n).collect())
        }
        TensordotAxes::Pairs(x, y) => {
            if x.len() != y.len() {
                return Err(Error::invalid(
                    "tensordot",
                    format!("shape-mismatch for sum: {} axes of a against {} axes of b", x.len(), y.len()),
                ));
            }
            let norm = |list: &[isize], ndim: usize| -> Result<Vec<usize>> {
                let mut out: Vec<usize> = Vec::with_capacity(list.len());
                for &ax in list {
                    let k = axis_index(ax, ndim)?;
                    if out.contains(&k) {
                        return Err(Error::invalid("tensordot", format!("repeated axis {ax} in {list:?}")));
                    }
                    out.push(k);
                }
                Ok(out)
            };
            (norm(&x, a.ndim())?, norm(&y, b.ndim())?)
        }
    };
    for (&i, &j) in ax_a.iter().zip(&ax_b) {
        if a.shape[i] != b.shape[j] {
            return Err(Error::invalid(
                "tensordot",
                format!(
                    "shape-mismatch for sum: axis {i} of a has length {} but axis {j} of b has length {}",
                    a.shape[i], b.shape[j]
                ),
            ));
        }
    }
    let free_a: Vec<usize> = (0..a.ndim()).filter(|k| !ax_a.contains(k)).collect();
    let free_b: Vec<usize> = (0..b.ndim()).filter(|k| !ax_b.contains(k)).collect();
    let sum: usize = ax_a.iter().map(|&k| a.shape[k]).product();
    let rows: usize = free_a.iter().map(|&k| a.shape[k]).product();
    let cols: usize = free_b.iter().map(|&k| b.shape[k]).product();
    let as_isize = |v: Vec<usize>| -> Vec<isize> { v.into_iter().map(|k| k as isize).collect() };
    let a2 = a.permute_dims(&as_isize(free_a.iter().chain(&ax_a).copied().collect()))?.reshape(&[rows, sum])?;
    let b2 = b.permute_dims(&as_isize(ax_b.iter().chain(&free_b).copied().collect()))?.reshape(&[sum, cols])?;
    let shape: Vec<usize> = free_a.iter().map(|&k| a.shape[k]).chain(free_b.iter().map(|&k| b.shape[k])).collect();
    matmul(&a2, &b2)?.reshape(&shape)
}

/// The dot product of the vectors along `axis` of `a` and `b`,
/// `Σ conj(a)·b` (the Array API's `vecdot`; only complex operands are
/// conjugated). `axis` counts in each operand separately, as in NumPy; the
/// vectors must have equal lengths and the other axes broadcast.
///
/// ```
/// use oxarray_core::{linalg, Array};
/// let a = Array::from_slice(&[1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3])?;
/// let b = Array::from_slice(&[1.0f64, 1.0, 1.0], &[3])?;
/// assert_eq!(linalg::vecdot(&a, &b, -1)?.to_vec::<f64>()?, vec![6.0, 15.0]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
pub fn vecdot(a: &Array, b: &Array, axis: isize) -> Result<Array> {
    if a.ndim() == 0 || b.ndim() == 0 {
        return Err(Error::invalid("vecdot", "operands must be at least 1-dimensional"));
    }
    let ka = axis_index(axis, a.ndim())? as isize;
    let kb = axis_index(axis, b.ndim())? as isize;
    let a = a.moveaxis(&[ka], &[-1])?;
    let b = b.moveaxis(&[kb], &[-1])?;
    let (la, lb) = (a.shape[a.ndim() - 1], b.shape[b.ndim() - 1]);
    if la != lb {
        return Err(Error::invalid(
            "vecdot",
            format!("the vectors along axis {axis} have different lengths: {la} and {lb}"),
        ));
    }
    let dtype = result_type(a.dtype, b.dtype)?;
    let a = if dtype.is_complex() { cast_to(&a, dtype)?.unary(UnaryOp::Conj)? } else { a };
    matmul(&a.expand_dims(-2)?, &b.expand_dims(-1)?)?.squeeze(&[-2, -1])
}

/// The outer product of two 1-d arrays: `out[i, j] = a[i]·b[j]`, of dtype
/// [`result_type`]`(a, b)`.
pub fn outer(a: &Array, b: &Array) -> Result<Array> {
    if a.ndim() != 1 || b.ndim() != 1 {
        return Err(Error::invalid(
            "outer",
            format!("input arrays must be one-dimensional, but they are {}-d and {}-d", a.ndim(), b.ndim()),
        ));
    }
    matmul(&a.expand_dims(-1)?, &b.expand_dims(0)?)
}

/// The cross product of 3-vectors along `axis` (the Array API's
/// `linalg.cross`): `axis` counts in each operand separately and must have
/// length 3 in both; the other axes broadcast, and the result has the
/// vectors along `axis` of the broadcast shape. Dtype: [`result_type`];
/// integers wrap. `bool` is unsupported.
///
/// ```
/// use oxarray_core::{linalg, Array};
/// let x = Array::from_slice(&[1i64, 0, 0], &[3])?;
/// let y = Array::from_slice(&[0i64, 1, 0], &[3])?;
/// assert_eq!(linalg::cross(&x, &y, -1)?.to_vec::<i64>()?, vec![0, 0, 1]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
pub fn cross(a: &Array, b: &Array, axis: isize) -> Result<Array> {
    if a.ndim() == 0 || b.ndim() == 0 {
        return Err(Error::invalid("cross", "operands must be at least 1-dimensional"));
    }
    let ka = axis_index(axis, a.ndim())?;
    let kb = axis_index(axis, b.ndim())?;
    if a.shape[ka] != 3 || b.shape[kb] != 3 {
        return Err(Error::invalid(
            "cross",
            format!(
                "both input arrays must be (arrays of) 3-dimensional vectors, but they are {} and {} dimensional",
                a.shape[ka], b.shape[kb]
            ),
        ));
    }
    let dtype = result_type(a.dtype, b.dtype)?;
    if dtype == DType::Bool {
        return Err(ErrorKind::UnsupportedDType { op: "cross", dtype }.into());
    }
    let a = cast_to(&a.moveaxis(&[ka as isize], &[-1])?, dtype)?;
    let b = cast_to(&b.moveaxis(&[kb as isize], &[-1])?, dtype)?;
    let batch = broadcast_shapes(&[&a.shape[..a.ndim() - 1], &b.shape[..b.ndim() - 1]])?;
    let mut shape = batch.clone();
    shape.push(3);
    let (a, b) = (a.broadcast_to(&shape)?, b.broadcast_to(&shape)?);
    let out = crate::dispatch_subset!(numeric: dtype, T => {
        let (x, y) = (a.to_vec::<T>()?, b.to_vec::<T>()?);
        let mut z = Vec::with_capacity(x.len());
        for (u, v) in x.chunks_exact(3).zip(y.chunks_exact(3)) {
            let m = |p: T, q: T| Numeric::mul(p, q);
            z.push(Numeric::sub(m(u[1], v[2]), m(u[2], v[1])));
            z.push(Numeric::sub(m(u[2], v[0]), m(u[0], v[2])));
            z.push(Numeric::sub(m(u[0], v[1]), m(u[1], v[0])));
        }
        Array::from_vec(z, &shape)?
    }, _ => return Err(ErrorKind::UnsupportedDType { op: "cross", dtype }.into()));
    let kc = axis_index(axis, shape.len())?;
    out.moveaxis(&[-1], &[kc as isize])
}
