//! Norms and diagonals: [`vector_norm`], [`matrix_norm`], [`trace`],
//! [`diagonal`].

use oxarray_kernels::layout;

use super::{check_matrix, svdvals};
use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::element::{Element, Wide};
use crate::error::{Error, ErrorKind, Result};
use crate::scalar::{ComplexFloat, Float, Numeric};

/// The diagonal of each matrix in the last two axes, as a **view** (no
/// copy): `offset > 0` is above the main diagonal, `offset < 0` below. The
/// result has shape `batch + [len]`, `len` being 0 when the offset lies
/// outside the matrix.
///
/// ```
/// use oxarray_core::{linalg, Array, DType};
/// let a = Array::arange(0.0, 9.0, 1.0, DType::Float32)?.reshape(&[3, 3])?;
/// let d = linalg::diagonal(&a, 1)?;
/// assert_eq!(d.to_vec::<f32>()?, vec![1.0, 5.0]);
/// assert_eq!(d.as_ptr(), a.as_ptr().wrapping_add(4));   // views a's memory
/// # Ok::<(), oxarray_core::Error>(())
/// ```
pub fn diagonal(x: &Array, offset: isize) -> Result<Array> {
    check_matrix("diagonal", x)?;
    let nd = x.ndim();
    let (rows, cols) = (x.shape[nd - 2], x.shape[nd - 1]);
    let (rs, cs) = (x.strides[nd - 2], x.strides[nd - 1]);
    let (r0, c0) = if offset >= 0 { (0, offset.unsigned_abs()) } else { (offset.unsigned_abs(), 0) };
    let len = if r0 >= rows || c0 >= cols { 0 } else { (rows - r0).min(cols - c0) };
    let mut shape = x.shape[..nd - 2].to_vec();
    shape.push(len);
    let mut strides = x.strides[..nd - 2].to_vec();
    strides.push(rs + cs);
    // Element (r0, c0) exists when len > 0, so this start is an offset the
    // array already addresses; an empty view keeps the array's own offset.
    let start = if len > 0 { (x.offset as isize + r0 as isize * rs + c0 as isize * cs) as usize } else { x.offset };
    Ok(Array { buffer: x.buffer.clone(), dtype: x.dtype, shape, strides, offset: start })
}

/// The sum of each matrix's diagonal (`offset` as in [`diagonal`]), of the
/// batch shape. Dtype as the Array API's `sum`: `bool` and signed integers
/// give int64, unsigned integers uint64, floats and complex keep theirs.
/// Integers wrap; floats accumulate in float64 and round once.
pub fn trace(x: &Array, offset: isize) -> Result<Array> {
    let d = diagonal(x, offset)?;
    let dtype = match x.dtype.kind() {
        Kind::Bool | Kind::SignedInt => DType::Int64,
        Kind::UnsignedInt => DType::UInt64,
        Kind::Float | Kind::Complex => x.dtype,
    };
    let d = super::cast_to(&d, dtype)?;
    let nd = d.ndim();
    let (batch, lane) = (d.shape[..nd - 1].to_vec(), d.shape[nd - 1]);
    crate::dispatch_subset!(numeric: dtype, T => {
        let data = d.to_vec::<T>()?;
        let sums: Vec<T> = (0..layout::size(&batch)).map(|g| lane_sum(&data[g * lane..(g + 1) * lane])).collect();
        Array::from_vec(sums, &batch)
    }, _ => Err(ErrorKind::UnsupportedDType { op: "trace", dtype }.into()))
}

/// The sum of `v`: wrapping for integers; in float64 (real and imaginary
/// parts), rounded once, for floats and complex numbers.
fn lane_sum<T: Numeric>(v: &[T]) -> T {
    if T::DTYPE.is_integer() {
        return v.iter().fold(T::zero(), |a, &b| Numeric::add(a, b));
    }
    let (mut re, mut im) = (0.0, 0.0);
    for x in v {
        let (r, i) = wide_parts(x.to_wide());
        re += r;
        im += i;
    }
    T::from_wide_wrapping(if T::DTYPE.is_complex() { Wide::Complex(re, im) } else { Wide::Float(re) })
}

fn wide_parts(w: Wide) -> (f64, f64) {
    match w {
        Wide::Bool(b) => (b as u8 as f64, 0.0),
        Wide::Int(i) => (i as f64, 0.0),
        Wide::Float(f) => (f, 0.0),
        Wide::Complex(r, i) => (r, i),
    }
}

/// Elements of `x` grouped into lanes over `axes` (the reduced axes moved
/// last, in the order given): `(kept axes, lane length, |x| for every
/// element in lane-major order)`. Moduli are computed in float64.
fn abs_lanes(x: &Array, axes: &[usize]) -> Result<(Vec<usize>, usize, Vec<f64>)> {
    let keep: Vec<usize> = (0..x.ndim()).filter(|k| !axes.contains(k)).collect();
    let perm: Vec<isize> = keep.iter().chain(axes).map(|&k| k as isize).collect();
    let p = x.permute_dims(&perm)?;
    let lane = axes.iter().map(|&k| x.shape[k]).product();
    let abs: Vec<f64> = crate::dispatch_subset!(real: x.dtype, T => {
        p.iter::<T>()?.map(|v| wide_parts(crate::scalar::Real::abs(v).to_wide()).0).collect()
    }, _ => crate::dispatch_subset!(complex: x.dtype, T => {
        p.iter::<T>()?.map(|z| z.re().to_f64().hypot(z.im().to_f64())).collect()
    }, _ => p.iter::<bool>()?.map(|b| b as u8 as f64).collect()));
    Ok((keep.iter().map(|&k| x.shape[k]).collect(), lane, abs))
}

/// The real dtype a norm of `dtype` has: integers and `bool` give float64
/// (NumPy converts them first), complex types their real type.
fn norm_dtype(dtype: DType) -> DType {
    match dtype.kind() {
        Kind::Bool | Kind::SignedInt | Kind::UnsignedInt => DType::Float64,
        _ => dtype.real(),
    }
}

/// An array of `dtype` (a real float) from float64 values, rounded once.
fn real_array(values: Vec<f64>, shape: &[usize], dtype: DType) -> Result<Array> {
    crate::dispatch_subset!(float: dtype, T => {
        Array::from_vec(values.into_iter().map(T::from_f64).collect::<Vec<T>>(), shape)
    }, _ => Err(ErrorKind::UnsupportedDType { op: "norm", dtype }.into()))
}

/// NaN-propagating maximum and minimum (NumPy's `max`/`min`).
fn nan_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() { f64::NAN } else { a.max(b) }
}
fn nan_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() { f64::NAN } else { a.min(b) }
}

/// The `ord`-norm of one lane of moduli, or `None` for an empty lane where
/// the norm has no value (`-inf`).
fn lane_norm(v: &[f64], ord: f64) -> Option<f64> {
    Some(if ord == f64::INFINITY {
        v.iter().copied().fold(0.0, nan_max)
    } else if ord == f64::NEG_INFINITY {
        let mut it = v.iter().copied();
        let first = it.next()?;
        it.fold(first, nan_min)
    } else if ord == 0.0 {
        v.iter().filter(|&&x| x != 0.0).count() as f64
    } else if ord == 1.0 {
        v.iter().sum()
    } else if ord == 2.0 {
        v.iter().map(|x| x * x).sum::<f64>().sqrt()
    } else {
        v.iter().map(|x| x.powf(ord)).sum::<f64>().powf(1.0 / ord)
    })
}

/// The vector `ord`-norm over `axis` (all axes when `None`, the Array API's
/// `vector_norm`): `ord` is any real number or ±∞ — `inf` is `max |x|`,
/// `-inf` `min |x|`, `0` the number of non-zero elements, `p` is
/// `(Σ|x|^p)^(1/p)`. With `keepdims` the reduced axes stay with length 1.
///
/// The result is real: float64 for integer or `bool` input (NumPy converts
/// them), the real type for complex input. Sums run in float64 and round
/// once.
///
/// ```
/// use oxarray_core::{linalg, Array};
/// let v = Array::from_slice(&[3.0f32, -4.0], &[2])?;
/// assert_eq!(linalg::vector_norm(&v, 2.0, None, false)?.item::<f32>()?, 5.0);
/// assert_eq!(linalg::vector_norm(&v, f64::INFINITY, None, false)?.item::<f32>()?, 4.0);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
pub fn vector_norm(x: &Array, ord: f64, axis: Option<&[isize]>, keepdims: bool) -> Result<Array> {
    if ord.is_nan() {
        return Err(Error::invalid("vector_norm", "ord must not be NaN"));
    }
    let axes: Vec<usize> = match axis {
        None => (0..x.ndim()).collect(),
        Some(list) => {
            let mut out: Vec<usize> = Vec::with_capacity(list.len());
            for &a in list {
                let k = layout::normalize_axis(a, x.ndim())
                    .ok_or_else(|| Error::from(ErrorKind::AxisOutOfBounds { axis: a, ndim: x.ndim() }))?;
                if out.contains(&k) {
                    return Err(Error::invalid("vector_norm", format!("repeated axis {a} in {list:?}")));
                }
                out.push(k);
            }
            out
        }
    };
    let (keep, lane, abs) = abs_lanes(x, &axes)?;
    let groups = layout::size(&keep);
    let mut values = Vec::with_capacity(groups);
    for g in 0..groups {
        let v = &abs[g * lane..(g + 1) * lane];
        values.push(lane_norm(v, ord).ok_or_else(|| {
            Error::invalid("vector_norm", "the -inf norm of an empty vector has no value (zero-size reduction)")
        })?);
    }
    let shape =
        if keepdims { (0..x.ndim()).map(|k| if axes.contains(&k) { 1 } else { x.shape[k] }).collect() } else { keep };
    real_array(values, &shape, norm_dtype(x.dtype))
}

/// The order of a [`matrix_norm`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MatrixNorm {
    /// Frobenius: `sqrt(Σ|x|²)` (the default).
    #[default]
    Fro,
    /// Nuclear: the sum of the singular values.
    Nuc,
    /// Largest column sum of `|x|`.
    One,
    /// Smallest column sum of `|x|`.
    NegOne,
    /// Largest singular value (spectral norm).
    Two,
    /// Smallest singular value.
    NegTwo,
    /// Largest row sum of `|x|`.
    Inf,
    /// Smallest row sum of `|x|`.
    NegInf,
}

/// The matrix norm of each matrix in the last two axes (the Array API's
/// `matrix_norm`). With `keepdims` the two axes stay with length 1. Real
/// result, as [`vector_norm`]; the singular-value norms (`Nuc`, `Two`,
/// `NegTwo`) use [`svdvals`] and so reject float16/bfloat16, as NumPy.
pub fn matrix_norm(x: &Array, ord: MatrixNorm, keepdims: bool) -> Result<Array> {
    check_matrix("matrix_norm", x)?;
    let nd = x.ndim();
    let batch = x.shape[..nd - 2].to_vec();
    let (rows, cols) = (x.shape[nd - 2], x.shape[nd - 1]);
    let dtype = norm_dtype(x.dtype);
    let empty_err = || Error::invalid("matrix_norm", format!("the {ord:?} norm of an empty matrix has no value"));
    let values: Vec<f64> = match ord {
        MatrixNorm::Fro => {
            let (_, lane, abs) = abs_lanes(x, &[nd - 2, nd - 1])?;
            abs.chunks(lane.max(1)).take(layout::size(&batch)).map(|v| lane_norm(v, 2.0).unwrap_or(0.0)).collect()
        }
        MatrixNorm::Nuc | MatrixNorm::Two | MatrixNorm::NegTwo => {
            let s = svdvals(x)?;
            let s = crate::dispatch_subset!(float: s.dtype(), T => s.iter::<T>()?.map(|v| v.to_f64()).collect::<Vec<f64>>(),
                _ => return Err(ErrorKind::UnsupportedDType { op: "matrix_norm", dtype: s.dtype() }.into()));
            let k = rows.min(cols);
            let mut out = Vec::with_capacity(layout::size(&batch));
            for g in 0..layout::size(&batch) {
                let v = &s[g * k..(g + 1) * k];
                out.push(match ord {
                    MatrixNorm::Nuc => v.iter().sum(),
                    MatrixNorm::Two => v.iter().copied().fold(0.0, nan_max),
                    _ => v.iter().copied().reduce(nan_min).ok_or_else(empty_err)?,
                });
            }
            out
        }
        MatrixNorm::One | MatrixNorm::NegOne | MatrixNorm::Inf | MatrixNorm::NegInf => {
            // Column sums reduce the rows axis, row sums the columns axis.
            let columns = matches!(ord, MatrixNorm::One | MatrixNorm::NegOne);
            let (summed, other) = if columns { (nd - 2, cols) } else { (nd - 1, rows) };
            let (_, lane, abs) = abs_lanes(x, &[summed])?;
            let sums: Vec<f64> = if lane == 0 {
                vec![0.0; layout::size(&batch) * other]
            } else {
                abs.chunks(lane).map(|v| v.iter().sum()).collect()
            };
            let mut out = Vec::with_capacity(layout::size(&batch));
            for g in 0..layout::size(&batch) {
                let v = &sums[g * other..(g + 1) * other];
                out.push(if matches!(ord, MatrixNorm::One | MatrixNorm::Inf) {
                    v.iter().copied().fold(0.0, nan_max)
                } else {
                    v.iter().copied().reduce(nan_min).ok_or_else(empty_err)?
                });
            }
            out
        }
    };
    let mut shape = batch;
    if keepdims {
        shape.extend([1, 1]);
    }
    real_array(values, &shape, dtype)
}
