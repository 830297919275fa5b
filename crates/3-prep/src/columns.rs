//! The loops every transformer shares: validating a 2-D float input,
//! per-column statistics over row-major data, and row-block maps that work
//! in place when they can.
//!
//! Data is row-major (C order), so every statistic walks the rows in memory
//! order and accumulates into one small per-column array, never a
//! column-strided walk. Rows are cut into blocks of about
//! [`BLOCK_ELEMS`] elements; above [`PAR_MIN_ELEMS`] elements the blocks run
//! on rayon's threads. Block results are merged in block order, so a result
//! never depends on the number of threads.

use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use oxarray_core::{Array, DType, Element, Error, ErrorKind, Result};
use oxarray_kernels::simd;
use rayon::prelude::*;

/// Elements per row block (whole rows, at least one): 128 KiB of `f32`,
/// which stays in L2 while a block is copied and transformed.
pub(crate) const BLOCK_ELEMS: usize = 1 << 15;

/// Inputs with fewer elements than this run on the calling thread: below
/// it, handing blocks to other threads costs more than it saves.
pub(crate) const PAR_MIN_ELEMS: usize = 1 << 18;

/// The float types transformers compute in: `f32` and `f64`.
pub(crate) trait Float:
    Element
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
{
    /// Machine epsilon (`np.finfo(T).eps`).
    const EPS: f64;
    /// Positive infinity.
    const INFINITY: Self;
    /// Exact widening.
    fn to_f64(self) -> f64;
    /// Rounding narrowing.
    fn from_f64(v: f64) -> Self;
    /// Whether the value is NaN.
    fn is_nan(self) -> bool;
}

macro_rules! impl_float {
    ($($t:ty),*) => {$(
        impl Float for $t {
            const EPS: f64 = <$t>::EPSILON as f64;
            const INFINITY: Self = <$t>::INFINITY;
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            #[inline(always)]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
        }
    )*};
}
impl_float!(f32, f64);

/// Runs `$body` with `$T` bound to `f32` or `f64` after the dtype of a
/// validated input (see [`float_input`]); other dtypes are an error.
macro_rules! with_float {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            oxarray_core::DType::Float32 => {
                type $T = f32;
                $body
            }
            oxarray_core::DType::Float64 => {
                type $T = f64;
                $body
            }
            other => Err(oxarray_core::ErrorKind::UnsupportedDType { op: "prep", dtype: other }.into()),
        }
    };
}
pub(crate) use with_float;

/// The dtype a transformer computes in for input of `dtype`: `float32` and
/// `float64` stay, `float16`/`bfloat16` widen to `float32`, integers and
/// `bool` go to `float64` (as scikit-learn casts them); complex is refused.
pub(crate) fn compute_dtype(dtype: DType, op: &'static str) -> Result<DType> {
    match dtype {
        DType::Float32 | DType::Float64 => Ok(dtype),
        DType::Float16 | DType::BFloat16 => Ok(DType::Float32),
        DType::Complex64 | DType::Complex128 => Err(ErrorKind::UnsupportedDType { op, dtype }.into()),
        _ => Ok(DType::Float64),
    }
}

/// Checks that `x` is 2-D and returns it as a C-contiguous `f32`/`f64`
/// array: the same handle when it already is one (so a unique input can be
/// written in place), otherwise a converted copy. Integer inputs are cast
/// with oxarray's checked cast, so an `int64` beyond 2^53 is an error
/// rather than a silently rounded value.
pub(crate) fn float_input(x: Array, op: &'static str) -> Result<Array> {
    if x.ndim() != 2 {
        return Err(Error::invalid(
            op,
            format!("expected a 2-D array (samples × features), got {}-D with shape {:?}", x.ndim(), x.shape()),
        ));
    }
    let dtype = compute_dtype(x.dtype(), op)?;
    let x = if x.dtype() == dtype { x } else { x.astype(dtype)? };
    Ok(if x.is_c_contiguous() { x } else { x.copy() })
}

/// Checks the number of columns against what a transformer was fitted on,
/// with scikit-learn's wording.
pub(crate) fn check_n_features(x: &Array, expected: usize, who: &str, op: &'static str) -> Result<()> {
    let found = x.shape().get(1).copied().unwrap_or(0);
    if found != expected {
        return Err(Error::invalid(
            op,
            format!("X has {found} features, but {who} is expecting {expected} features as input"),
        ));
    }
    Ok(())
}

/// The typed C-order slice of a validated input.
pub(crate) fn slice<T: Float>(x: &Array) -> Result<&[T]> {
    x.as_slice::<T>()?.ok_or_else(|| Error::invalid("prep", "internal: expected a C-contiguous array"))
}

fn rows_per_block(ncols: usize) -> usize {
    (BLOCK_ELEMS / ncols.max(1)).max(1)
}

/// Folds blocks of whole rows into accumulators and merges the block
/// results in block order (a blocked summation, more accurate than one long
/// running sum, and independent of the thread count).
pub(crate) fn fold_rows<T, A>(
    data: &[T],
    ncols: usize,
    init: impl Fn() -> A + Sync + Send,
    fold: impl Fn(&mut A, &[T]) + Sync + Send,
    merge: impl Fn(&mut A, A),
) -> A
where
    T: Sync,
    A: Send,
{
    if ncols == 0 || data.is_empty() {
        return init();
    }
    let block = rows_per_block(ncols) * ncols;
    let one = |c: &[T]| {
        let mut a = init();
        fold(&mut a, c);
        a
    };
    let parts: Vec<A> = if data.len() >= PAR_MIN_ELEMS {
        data.par_chunks(block).map(one).collect()
    } else {
        data.chunks(block).map(one).collect()
    };
    let mut parts = parts.into_iter();
    let mut acc = parts.next().unwrap_or_else(&init);
    for p in parts {
        merge(&mut acc, p);
    }
    acc
}

/// Applies `f` to blocks of whole rows in place.
pub(crate) fn map_rows_inplace<T: Send>(data: &mut [T], ncols: usize, f: impl Fn(&mut [T]) + Sync + Send) {
    if ncols == 0 || data.is_empty() {
        return;
    }
    let block = rows_per_block(ncols) * ncols;
    if data.len() >= PAR_MIN_ELEMS {
        data.par_chunks_mut(block).for_each(f);
    } else {
        data.chunks_mut(block).for_each(f);
    }
}

/// Applies `f` to matching blocks of rows of `src` (`in_cols` wide) and
/// `dst` (`out_cols` wide).
pub(crate) fn map_rows<T: Sync, U: Send>(
    src: &[T],
    in_cols: usize,
    dst: &mut [U],
    out_cols: usize,
    f: impl Fn(&[T], &mut [U]) + Sync + Send,
) {
    let n_rows = if in_cols == 0 { dst.len() / out_cols.max(1) } else { src.len().checked_div(in_cols).unwrap_or(0) };
    if n_rows == 0 || out_cols == 0 {
        return;
    }
    let rows = rows_per_block(in_cols.max(out_cols));
    let (ib, ob) = (rows * in_cols, rows * out_cols);
    if src.len().max(dst.len()) >= PAR_MIN_ELEMS {
        if in_cols == 0 {
            dst.par_chunks_mut(ob).for_each(|d| f(&[], d));
        } else {
            src.par_chunks(ib).zip(dst.par_chunks_mut(ob)).for_each(|(s, d)| f(s, d));
        }
    } else if in_cols == 0 {
        dst.chunks_mut(ob).for_each(|d| f(&[], d));
    } else {
        src.chunks(ib).zip(dst.chunks_mut(ob)).for_each(|(s, d)| f(s, d));
    }
}

/// A shape-preserving transform of a block of whole rows: what one step
/// of a pipeline does, so consecutive steps can run on a block while it is
/// in cache.
pub(crate) type Kernel<T> = Box<dyn Fn(&mut [T]) + Send + Sync>;

/// Applies a shape-preserving transform `f` (called on blocks of whole
/// rows) to a validated input: in place when `x` is uniquely owned,
/// writable and C-contiguous (no allocation; the result has `x`'s pointer),
/// otherwise into one fresh array, reading `x` once.
pub(crate) fn apply_same_shape<T: Float>(mut x: Array, f: impl Fn(&mut [T]) + Sync + Send) -> Result<Array> {
    let ncols = x.shape()[1];
    if x.is_writable_in_place() && x.is_c_contiguous() {
        map_rows_inplace(x.as_slice_mut::<T>()?, ncols, f);
        return Ok(x);
    }
    // Every element is written below: `empty` may hand back a pooled
    // buffer, already faulted in, instead of fresh pages.
    let mut out = Array::empty(x.shape(), T::DTYPE)?;
    let (src, dst) = (slice::<T>(&x)?, out.as_slice_mut::<T>()?);
    if std::mem::size_of_val(dst) >= simd::STREAM_BYTES {
        map_rows_streamed(src, dst, ncols, f);
    } else {
        map_rows(src, ncols, dst, ncols, |s, d| {
            d.copy_from_slice(s);
            f(d);
        });
    }
    Ok(out)
}

/// Bytes of the scratch block [`map_rows_streamed`] transforms at a time:
/// it stays in L1 between the copy in, the transform and the copy out.
const STREAM_SCRATCH_BYTES: usize = 4096;

/// `dst = src` transformed by `f` (called on blocks of whole rows), for a
/// result far larger than the cache: each block is copied into a scratch
/// buffer, transformed there and written out with non-temporal stores
/// ([`simd::streaming`]), which spares the read for ownership of every
/// line of `dst` (a third of the memory traffic). The rows `f` sees and
/// the operations on them are those of the in-place path, so the bits are
/// the same.
fn map_rows_streamed<T: Float>(src: &[T], dst: &mut [T], ncols: usize, f: impl Fn(&mut [T]) + Sync + Send) {
    if ncols == 0 || src.is_empty() {
        return;
    }
    let sub = (STREAM_SCRATCH_BYTES / (ncols * std::mem::size_of::<T>())).max(1) * ncols;
    let task = rows_per_block(ncols) * ncols;
    let run = |scratch: &mut Vec<T>, s: &[T], d: &mut [T]| {
        simd::streaming(|streamer| {
            for (s, d) in s.chunks(sub).zip(d.chunks_mut(sub)) {
                let buf = &mut scratch[..s.len()];
                buf.copy_from_slice(s);
                f(buf);
                streamer.copy(d, buf);
            }
        })
    };
    let scratch = || vec![T::zero(); sub];
    src.par_chunks(task).zip(dst.par_chunks_mut(task)).for_each_init(scratch, |b, (s, d)| run(b, s, d));
}

/// Per-column NaN-ignoring sums (in `f64`) and counts of non-NaN values.
pub(crate) fn nan_sum_count<T: Float>(data: &[T], ncols: usize) -> (Vec<f64>, Vec<u64>) {
    fold_rows(
        data,
        ncols,
        || (vec![0.0f64; ncols], vec![0u64; ncols]),
        |(s, c), block| {
            for row in block.chunks_exact(ncols) {
                for ((x, s), c) in row.iter().zip(s.iter_mut()).zip(c.iter_mut()) {
                    let nan = x.is_nan();
                    *s += if nan { 0.0 } else { x.to_f64() };
                    *c += u64::from(!nan);
                }
            }
        },
        |(s, c), (s2, c2)| {
            s.iter_mut().zip(s2).for_each(|(a, b)| *a += b);
            c.iter_mut().zip(c2).for_each(|(a, b)| *a += b);
        },
    )
}

/// One block's NaN-ignoring sums, counts and corrected two-pass `M2`
/// (see [`nan_moments`]) into zeroed accumulators; inlined into the
/// caller's [`simd::dispatch`] so the loops are vectorised for the machine.
///
/// The block is first summed without looking for NaN (no masks, no counts:
/// a fifth less work than the masking loop in `moments_variants`-style
/// measurements); if a column's sum comes out NaN (a NaN, or infinities of
/// both signs) the block is redone with the NaN-masking loop. Every column
/// adds the same values in the same order either way, so the results are
/// the masking loop's, bit for bit.
#[inline(always)]
fn block_moments<T: Float>(block: &[T], sum: &mut [f64], count: &mut [u64], m2: &mut [f64]) {
    let ncols = sum.len();
    if !unmasked_moments(block, sum, count, m2) {
        sum.fill(0.0);
        masked_moments(block, ncols, 0, ncols, sum, count, m2);
    }
}

/// [`block_moments`] assuming the block holds no NaN: false if a column's
/// sum is NaN, with only `sum` written.
///
/// The sums take whole rows (the block's one read from memory, in order);
/// the deviations, read again from cache, go in column tiles of 16, 8, 4,
/// 2 and 1 (see [`tile_deviations`]) whose accumulators stay in registers
/// over all the rows: a loop over whole rows keeps them in memory and is
/// bound by their stores. Each column still adds the same values in the
/// same order, so the bits are the masking loop's.
#[inline(always)]
fn unmasked_moments<T: Float>(block: &[T], sum: &mut [f64], count: &mut [u64], m2: &mut [f64]) -> bool {
    let ncols = sum.len();
    let mut rows = 0u64;
    for row in block.chunks_exact(ncols) {
        let row = &row[..ncols];
        for j in 0..ncols {
            sum[j] += row[j].to_f64();
        }
        rows += 1;
    }
    if sum.iter().any(|v| v.is_nan()) {
        return false;
    }
    let mut lo = 0;
    while lo < ncols {
        lo += match ncols - lo {
            16.. => tile_deviations::<T, 16>(block, ncols, lo, rows, sum, m2),
            8.. => tile_deviations::<T, 8>(block, ncols, lo, rows, sum, m2),
            4.. => tile_deviations::<T, 4>(block, ncols, lo, rows, sum, m2),
            2.. => tile_deviations::<T, 2>(block, ncols, lo, rows, sum, m2),
            _ => tile_deviations::<T, 1>(block, ncols, lo, rows, sum, m2),
        };
    }
    count.fill(rows);
    true
}

/// The corrected two-pass `M2` of the `W` columns from `lo` of a block of
/// `rows` rows, around the means that `sum` gives; returns `W`.
#[inline(always)]
fn tile_deviations<T: Float, const W: usize>(
    block: &[T],
    ncols: usize,
    lo: usize,
    rows: u64,
    sum: &[f64],
    m2: &mut [f64],
) -> usize {
    let n = rows as f64;
    let mut t = [0.0f64; W];
    t.iter_mut().zip(&sum[lo..lo + W]).for_each(|(t, s)| *t = s / n);
    let (mut d1, mut d2) = ([0.0f64; W], [0.0f64; W]);
    for row in block.chunks_exact(ncols) {
        let r = &row[lo..lo + W];
        for k in 0..W {
            let d = r[k].to_f64() - t[k];
            d1[k] += d;
            d2[k] += d * d;
        }
    }
    for k in 0..W {
        m2[lo + k] = if rows == 0 { 0.0 } else { d2[k] - d1[k] * d1[k] / n };
    }
    W
}

/// [`block_moments`] for columns `lo..hi`, masking NaNs out of every sum.
#[inline(always)]
fn masked_moments<T: Float>(
    block: &[T],
    ncols: usize,
    lo: usize,
    hi: usize,
    sum: &mut [f64],
    count: &mut [u64],
    m2: &mut [f64],
) {
    // Plain indexed loops over equal-length slices, so that all of it
    // inlines into the dispatch's `#[target_feature]` function.
    let w = hi - lo;
    let (sum, count, m2) = (&mut sum[lo..hi], &mut count[lo..hi], &mut m2[lo..hi]);
    for row in block.chunks_exact(ncols) {
        let row = &row[lo..hi];
        for j in 0..w {
            let x = row[j];
            let nan = x.is_nan();
            sum[j] += if nan { 0.0 } else { x.to_f64() };
            count[j] += u64::from(!nan);
        }
    }
    let t: Vec<f64> = (0..w).map(|j| sum[j] / count[j] as f64).collect();
    let (mut d1, mut d2) = (vec![0.0f64; w], vec![0.0f64; w]);
    let (t, d1s, d2s) = (&t[..w], &mut d1[..w], &mut d2[..w]);
    for row in block.chunks_exact(ncols) {
        let row = &row[lo..hi];
        for j in 0..w {
            let x = row[j];
            let d = x.to_f64() - t[j];
            let d = if x.is_nan() { 0.0 } else { d };
            d1s[j] += d;
            d2s[j] += d * d;
        }
    }
    for j in 0..w {
        m2[j] = if count[j] == 0 { 0.0 } else { d2s[j] - d1s[j] * d1s[j] / count[j] as f64 };
    }
}

/// Per-column NaN-ignoring moments in `f64`: sums, counts of non-NaN
/// values and `M2 = Σ (x - mean)²`.
///
/// Each block of rows is read from memory once: its sums, then (while it is
/// in cache) the corrected two-pass `M2 = Σ(x - t)² - (Σ(x - t))²/n` around
/// the block's mean `t`, which is scikit-learn's `_incremental_mean_and_var`
/// for one batch. Blocks merge with Chan, Golub & LeVeque's pairwise update,
/// so one block gives exactly scikit-learn's numbers and many blocks stay as
/// accurate.
pub(crate) fn nan_moments<T: Float>(data: &[T], ncols: usize) -> (Vec<f64>, Vec<u64>, Vec<f64>) {
    fold_rows(
        data,
        ncols,
        || (vec![0.0f64; ncols], vec![0u64; ncols], vec![0.0f64; ncols]),
        // `fold_rows` hands every block a fresh accumulator.
        |(sum, count, m2), block| {
            simd::dispatch(
                #[inline(always)]
                || block_moments(block, sum, count, m2),
            )
        },
        |(sa, ca, ma), (sb, cb, mb)| {
            for j in 0..sa.len() {
                let (na, nb) = (ca[j] as f64, cb[j] as f64);
                if cb[j] > 0 && ca[j] > 0 {
                    let delta = sb[j] / nb - sa[j] / na;
                    ma[j] += mb[j] + delta * delta * na * nb / (na + nb);
                } else if ca[j] == 0 {
                    ma[j] = mb[j];
                }
                sa[j] += sb[j];
                ca[j] += cb[j];
            }
        },
    )
}

/// Per-column NaN-ignoring minimum and maximum; NaN for a column without a
/// value (numpy's `nanmin`/`nanmax`).
pub(crate) fn nan_min_max<T: Float>(data: &[T], ncols: usize) -> (Vec<T>, Vec<T>) {
    let (lo, hi) = fold_rows(
        data,
        ncols,
        || (vec![T::INFINITY; ncols], vec![-T::INFINITY; ncols]),
        |(lo, hi), block| {
            for row in block.chunks_exact(ncols) {
                for ((&x, l), h) in row.iter().zip(lo.iter_mut()).zip(hi.iter_mut()) {
                    // NaN compares false: it never replaces a value.
                    *l = if x < *l { x } else { *l };
                    *h = if x > *h { x } else { *h };
                }
            }
        },
        |(l, h), (l2, h2)| {
            l.iter_mut().zip(l2).for_each(|(a, b)| *a = if b < *a { b } else { *a });
            h.iter_mut().zip(h2).for_each(|(a, b)| *a = if b > *a { b } else { *a });
        },
    );
    // A column whose minimum is still +inf saw no value, or only +inf.
    let (_, counts) = if lo.contains(&T::INFINITY) { nan_sum_count(data, ncols) } else { (vec![], vec![]) };
    let nan = T::from_f64(f64::NAN);
    let fix = |v: Vec<T>| -> Vec<T> {
        v.into_iter().enumerate().map(|(j, x)| if counts.get(j) == Some(&0) { nan } else { x }).collect()
    };
    (fix(lo), fix(hi))
}

/// The non-NaN values of every column, gathered in one row-major pass.
pub(crate) fn non_nan_columns<T: Float>(data: &[T], ncols: usize) -> Vec<Vec<T>> {
    let mut cols: Vec<Vec<T>> = vec![Vec::with_capacity(data.len() / ncols.max(1)); ncols];
    for row in data.chunks_exact(ncols.max(1)) {
        for (&x, c) in row.iter().zip(cols.iter_mut()) {
            if !x.is_nan() {
                c.push(x);
            }
        }
    }
    cols
}

/// Sorts floats that contain no NaN.
pub(crate) fn sort_floats<T: Float>(v: &mut [T]) {
    v.sort_unstable_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
}

/// numpy's median of sorted, NaN-free values (the mean of the two middle
/// values for an even count, computed in `T` as numpy does); NaN if empty.
pub(crate) fn median_sorted<T: Float>(v: &[T]) -> f64 {
    let n = v.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => v[n / 2].to_f64(),
        _ => T::from_f64((v[n / 2 - 1].to_f64() + v[n / 2].to_f64()) / 2.0).to_f64(),
    }
}

/// numpy's `percentile(v, q)` with the default linear method, on sorted,
/// NaN-free values; NaN if empty. The difference of the two neighbours is
/// taken in `T` and the interpolation in `f64`, as numpy does for an array
/// of `q`s (its `_lerp`).
pub(crate) fn percentile_sorted<T: Float>(v: &[T], q: f64) -> f64 {
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    let virtual_index = q / 100.0 * (n - 1) as f64;
    let lo = (virtual_index.floor().max(0.0) as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    let t = virtual_index - lo as f64;
    let (a, b) = (v[lo], v[hi]);
    let diff = (b - a).to_f64();
    if t >= 0.5 { b.to_f64() - diff * (1.0 - t) } else { a.to_f64() + diff * t }
}

/// scikit-learn's `_handle_zeros_in_scale`: scales below `10·eps` (of the
/// dtype the scale is computed in) become 1. NaN stays NaN.
pub(crate) fn handle_zeros_in_scale(scale: &mut [f64], eps: f64) {
    for s in scale {
        if *s < 10.0 * eps {
            *s = 1.0;
        }
    }
}

/// Converts per-column parameters to the compute type.
pub(crate) fn params<T: Float>(v: &[f64]) -> Vec<T> {
    v.iter().map(|&x| T::from_f64(x)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The NaN-free fast path against the masking loop (the previous
    /// implementation), bit for bit: widths around a vector's,
    /// blocks of one row and more, columns with NaN, with one infinity, and
    /// with infinities of both signs (NaN sum without a NaN).
    #[test]
    fn unmasked_moments_equal_the_masking_loop_bit_for_bit() {
        type BlockFn<'a> = dyn Fn(&mut [f64], &mut [u64], &mut [f64]) + 'a;
        for ncols in [1, 5, 15, 16, 17, 31, 32, 33, 64, 70] {
            for rows in [1, 2, 7, 511, 512, 513] {
                for case in 0..4 {
                    let mut data: Vec<f32> = (0..rows * ncols)
                        .map(|i| ((i * 7919 + case * 31) % 1013) as f32 / 3.0 - 150.0 + 1e4 * (i % 3) as f32)
                        .collect();
                    let col = (case * 7) % ncols;
                    let at = |r: usize| r * ncols + col;
                    match case {
                        1 => data[at(rows / 2)] = f32::NAN,
                        2 => data[at(rows - 1)] = f32::INFINITY,
                        3 => {
                            data[at(0)] = f32::NEG_INFINITY;
                            data[at(rows - 1)] = f32::INFINITY;
                        }
                        _ => {}
                    }
                    let run = |f: &BlockFn<'_>| {
                        let (mut s, mut c, mut m) = (vec![0.0; ncols], vec![0u64; ncols], vec![0.0; ncols]);
                        f(&mut s, &mut c, &mut m);
                        (
                            s.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                            c,
                            m.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                        )
                    };
                    let fast = run(&|s, c, m| block_moments(&data, s, c, m));
                    let masked = run(&|s, c, m| masked_moments(&data, ncols, 0, ncols, s, c, m));
                    assert_eq!(fast, masked, "{rows}x{ncols}, case {case}");
                }
            }
        }
    }

    #[test]
    fn blocked_statistics_match_a_plain_loop_across_the_parallel_threshold() {
        for (rows, cols) in [(3, 2), (1000, 7), (70_000, 5)] {
            let data: Vec<f64> = (0..rows * cols)
                .map(|i| if i % 13 == 0 { f64::NAN } else { ((i * 7919) % 1000) as f64 / 7.0 - 50.0 })
                .collect();
            let (s, c) = nan_sum_count(&data, cols);
            let (s2, c2, m2) = nan_moments(&data, cols);
            let (lo, hi) = nan_min_max(&data, cols);
            for j in 0..cols {
                let col: Vec<f64> = data.iter().skip(j).step_by(cols).copied().filter(|x| !x.is_nan()).collect();
                let sum: f64 = col.iter().sum();
                assert!((s[j] - sum).abs() <= 1e-9 * sum.abs().max(1.0), "{rows}x{cols} col {j}");
                assert_eq!(c[j], col.len() as u64);
                assert_eq!(c2[j], c[j]);
                assert!((s2[j] - sum).abs() <= 1e-9 * sum.abs().max(1.0));
                let mean = sum / col.len() as f64;
                let m2_direct: f64 = col.iter().map(|x| (x - mean) * (x - mean)).sum();
                assert!(
                    (m2[j] - m2_direct).abs() <= 1e-9 * m2_direct,
                    "{rows}x{cols} col {j}: {} vs {m2_direct}",
                    m2[j]
                );
                assert_eq!(lo[j], col.iter().copied().fold(f64::INFINITY, f64::min));
                assert_eq!(hi[j], col.iter().copied().fold(f64::NEG_INFINITY, f64::max));
            }
        }
    }

    #[test]
    fn all_nan_columns_have_nan_extremes() {
        let data = [f32::NAN, 1.0, f32::NAN, -2.0];
        let (lo, hi) = nan_min_max(&data, 2);
        assert!(lo[0].is_nan() && hi[0].is_nan());
        assert_eq!((lo[1], hi[1]), (-2.0, 1.0));
    }

    #[test]
    fn percentiles_follow_numpy_linear() {
        // np.percentile([1, 2, 4, 10], [0, 25, 50, 75, 100]) == [1, 1.75, 3, 5.5, 10]
        let v = [1.0f64, 2.0, 4.0, 10.0];
        let got: Vec<f64> = [0.0, 25.0, 50.0, 75.0, 100.0].iter().map(|&q| percentile_sorted(&v, q)).collect();
        assert_eq!(got, vec![1.0, 1.75, 3.0, 5.5, 10.0]);
        assert_eq!(median_sorted(&v), 3.0);
        assert_eq!(median_sorted(&[5.0f32]), 5.0);
        assert!(median_sorted::<f64>(&[]).is_nan());
    }

    #[test]
    fn same_shape_maps_in_place_only_for_unique_arrays() {
        let x = Array::from_slice(&[1.0f32, 2.0, 3.0, 4.0], &[2, 2]).unwrap();
        let p = x.as_ptr();
        let y = apply_same_shape::<f32>(x, |b| b.iter_mut().for_each(|v| *v *= 2.0)).unwrap();
        assert_eq!(y.as_ptr(), p);
        let z = apply_same_shape::<f32>(y.clone(), |b| b.iter_mut().for_each(|v| *v += 1.0)).unwrap();
        assert_ne!(z.as_ptr(), y.as_ptr());
        assert_eq!(y.to_vec::<f32>().unwrap(), vec![2.0, 4.0, 6.0, 8.0]);
        assert_eq!(z.to_vec::<f32>().unwrap(), vec![3.0, 5.0, 7.0, 9.0]);
    }

    /// A shared input whose result is at least `simd::STREAM_BYTES` is
    /// transformed in scratch blocks and streamed out: the same bits as
    /// the in-place path, with streaming stores and with the plain copy
    /// (baseline), for rows narrower than the scratch block (64 columns,
    /// a ragged last block) and wider (3000 columns).
    #[test]
    fn streamed_maps_give_the_in_place_bits() {
        use oxarray_kernels::simd::{Level, set_max_level};
        for ncols in [64usize, 3000] {
            let rows = simd::STREAM_BYTES / 4 / ncols + 5;
            let data: Vec<f32> = (0..rows * ncols).map(|i| ((i * 7919) % 1009) as f32 * 0.37 - 50.0).collect();
            let x = Array::from_vec(data, &[rows, ncols]).unwrap();
            let f = |b: &mut [f32]| {
                for row in b.chunks_exact_mut(ncols) {
                    for (j, v) in row.iter_mut().enumerate() {
                        *v = (*v - j as f32) / 3.0;
                    }
                }
            };
            let in_place = apply_same_shape::<f32>(x.copy(), f).unwrap().to_vec::<f32>().unwrap();
            for level in [None, Some(Level::Baseline)] {
                set_max_level(level);
                let streamed = apply_same_shape::<f32>(x.clone(), f).unwrap();
                set_max_level(None);
                assert_ne!(streamed.as_ptr(), x.as_ptr());
                assert!(streamed.to_vec::<f32>().unwrap() == in_place, "{ncols} columns at {level:?}");
            }
        }
    }
}
