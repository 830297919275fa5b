//! Statistical functions of the Array API standard — reductions (`sum`,
//! `prod`, `mean`, `var`, `std`, `min`, `max`), PyTorch's `var_mean` and
//! `std_mean` (both statistics from one read), the truth tests `any` and
//! `all`, the cumulative sums and products, NumPy's NaN-skipping variants
//! (`nansum`, `nanmean`, `nanmin`, `nanmax`) and, because they share the
//! machinery, `argmin`/`argmax` (the standard files those under
//! "searching").
//!
//! Every function is a method on [`Array`]. Reductions take the axes to
//! reduce as `Option<&[isize]>` (`None` reduces every axis; negative axes
//! count from the end; repeats are an error) and `keepdims`, which keeps
//! each reduced axis as length 1 so the result broadcasts against the input.
//! The loops are `oxarray_kernels::reduce`: pairwise, vectorised along
//! contiguous runs, row-wise when the innermost axis is kept, and threaded
//! above a size threshold.
//!
//! ```
//! use oxarray_core::{Array, DType};
//! let a = Array::from_vec(vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3])?;
//! assert_eq!(a.sum(None, false)?.item::<f32>()?, 21.0);
//! assert_eq!(a.sum(Some(&[0]), false)?.to_vec::<f32>()?, vec![5.0, 7.0, 9.0]);
//! assert_eq!(a.mean(Some(&[-1]), true)?.shape(), &[2, 1]);
//! assert_eq!(a.argmax(None, false)?.item::<i64>()?, 5);
//! let i = Array::from_vec(vec![100i8, 100, 100], &[3])?;
//! assert_eq!(i.sum(None, false)?.dtype(), DType::Int64); // no int8 overflow
//! assert_eq!(i.sum(None, false)?.item::<i64>()?, 300);
//! # Ok::<(), oxarray_core::Error>(())
//! ```
//!
//! # Result dtypes
//!
//! As NumPy 2 and the Array API standard (2024.12):
//!
//! | function | input | result |
//! |---|---|---|
//! | `sum`, `prod`, `nansum`, `cumulative_*` | `bool`, signed integers | `int64` |
//! | | unsigned integers | `uint64` |
//! | | floats, complex | the input dtype |
//! | `mean`, `nanmean` (and the second result of `var_mean`, `std_mean`) | `bool`, integers | `float64` |
//! | | floats, complex | the input dtype |
//! | `var`, `std` (and the first result of `var_mean`, `std_mean`) | `bool`, integers | `float64` |
//! | | floats | the input dtype |
//! | | complex | the real dtype of the same precision |
//! | `min`, `max`, `nanmin`, `nanmax` | real numbers, `bool` | the input dtype |
//! | `argmin`, `argmax` | real numbers, `bool` | `int64` |
//! | `any`, `all` | any | `bool` (an element is true when non-zero; NaN is true) |
//!
//! `sum_as`, `prod_as` and the `dtype` argument of the cumulative functions
//! choose the result dtype; the input is converted to it as by
//! [`Array::astype`] (so NaN or out-of-range values converted to an integer
//! dtype are an error rather than NumPy's garbage). Integers accumulate in
//! the result dtype and wrap on overflow, as in NumPy.
//!
//! # Accuracy
//!
//! Float sums (and means, and the sums inside `var`) are pairwise: for `n`
//! elements the error is at most about `(37 + log2 n)·ε·Σ|x_i|` along a
//! contiguous run and `(256 + log2 n)·ε·Σ|x_i|` when rows are folded across
//! a kept inner axis, with `ε` the unit roundoff of the accumulator
//! (2⁻²⁴ for float32). NumPy's bound along contiguous runs is similar
//! (`(19 + log2 n)·ε·Σ|x_i|`) but it sums naively, with an `n·ε` bound,
//! along any other axis. float16 and bfloat16 accumulate in float32 and
//! round once. float32 means accumulate in float32, as in NumPy. `var` and
//! `std` use two passes (the mean, then the sum of squared deviations
//! from it), which avoids the cancellation of the one-pass formula; an
//! input larger than the cache gets both passes piece by piece while each
//! piece is in cache, so memory is read once: slabs of outputs when the
//! outermost axis is kept, and when it is reduced, leaves of 256 KiB whose
//! results are merged pairwise with Chan, Golub and LeVeque's update
//! (relative error of the sum of squared deviations of the order of
//! `(c + log2 n)·ε`, as for the plain two passes; NumPy's `var` sums
//! naively along a non-contiguous axis, with an `n·ε` bound).
//!
//! Results do not depend on the number of threads: the pairwise split
//! points depend only on the shape.
//!
//! # Empty reductions and NaN
//!
//! As in NumPy: the sum over no elements is 0, the product 1, `any` false,
//! `all` true; the mean and variance are NaN. `min`, `max`, `argmin`,
//! `argmax`, `nanmin` and `nanmax` over no elements are an
//! [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) error
//! naming the function and the axes. `min`/`max` propagate NaN and
//! `argmin`/`argmax` return the index of the first NaN; `nanmin`/`nanmax`
//! ignore NaN and give NaN only where every element is NaN. NumPy also
//! warns in the NaN and empty-mean cases; oxarray has no warnings.

use oxarray_kernels::elementwise::Operand;
use oxarray_kernels::layout::{self, normalize_axis};
use oxarray_kernels::reduce::{self as kernel, Reduction};

use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::element::{Element, c64, c128};
use crate::error::{Error, ErrorKind, Result};
use crate::scalar::Numeric;
use half::{bf16, f16};

/// The axes a reduction runs over and the shape it produces.
struct Plan {
    /// `reduced[k]`: whether axis `k` is reduced.
    reduced: Vec<bool>,
    /// The result's shape (with length-1 axes where `keepdims` keeps them).
    shape: Vec<usize>,
    /// Elements folded into each result element.
    count: usize,
}

impl Plan {
    fn new(a: &Array, axes: Option<&[isize]>, keepdims: bool) -> Result<Plan> {
        let nd = a.ndim();
        let mut reduced = vec![axes.is_none(); nd];
        for &ax in axes.unwrap_or(&[]) {
            let k = normalize_axis(ax, nd).ok_or(ErrorKind::AxisOutOfBounds { axis: ax, ndim: nd })?;
            if reduced[k] {
                return Err(Error::invalid("axes", format!("repeated axis {ax} in {:?}", axes.unwrap_or(&[]))));
            }
            reduced[k] = true;
        }
        let mut shape = Vec::with_capacity(nd);
        let mut count = 1usize;
        for (&red, &d) in reduced.iter().zip(&a.shape) {
            if red {
                count *= d;
                if keepdims {
                    shape.push(1);
                }
            } else {
                shape.push(d);
            }
        }
        Ok(Plan { reduced, shape, count })
    }

    /// The error for an order statistic over no elements.
    fn require_elements(&self, op: &'static str, axes: Option<&[isize]>) -> Result<()> {
        if self.count > 0 {
            return Ok(());
        }
        let over = match axes {
            None => "all axes".to_string(),
            Some(list) => format!("axes {list:?}"),
        };
        Err(Error::invalid(op, format!("zero-size array to reduction over {over}, which has no identity")))
    }
}

/// Runs reduction `r` over `a` (of element type `T`) and converts each
/// accumulator to the result element with `finish`.
fn run<T, R, O>(
    a: &Array,
    plan: &Plan,
    r: &R,
    params: Option<&[R::Param]>,
    finish: impl Fn(R::Acc) -> O,
) -> Result<Array>
where
    T: Element,
    R: Reduction<T>,
    O: Element,
{
    let data = a.typed::<T>("reduce")?;
    let n_out = layout::size(&plan.shape);
    let mut acc = vec![r.identity(); n_out];
    let src = Operand { data, strides: &a.strides, offset: a.offset };
    kernel::reduce(src, &a.shape, &plan.reduced, r, params, &mut acc);
    Array::from_vec(acc.into_iter().map(finish).collect(), &plan.shape)
}

fn unsupported(op: &'static str, dtype: DType) -> Error {
    ErrorKind::UnsupportedDType { op, dtype }.into()
}

/// The element type a value accumulates in: float16 and bfloat16 in
/// float32 (as NumPy's pairwise sum does), every other type in itself.
trait Accumulate: Element {
    /// The accumulator type.
    type Acc: Numeric + Default;
    /// Widens to the accumulator.
    fn up(self) -> Self::Acc;
    /// Rounds an accumulator back.
    fn down(a: Self::Acc) -> Self;
}

macro_rules! accumulate_in_self {
    ($($t:ty),*) => {$(
        impl Accumulate for $t {
            type Acc = $t;
            #[inline(always)] fn up(self) -> $t { self }
            #[inline(always)] fn down(a: $t) -> $t { a }
        }
    )*};
}
accumulate_in_self!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, c64, c128);

macro_rules! accumulate_half {
    ($($t:ty),*) => {$(
        impl Accumulate for $t {
            type Acc = f32;
            #[inline(always)] fn up(self) -> f32 { self.to_f32() }
            #[inline(always)] fn down(a: f32) -> $t { <$t>::from_f32(a) }
        }
    )*};
}
accumulate_half!(f16, bf16);

/// Accumulators of means and variances: float and complex.
trait Moment: Numeric + Default {
    /// The real type of the same precision (the type of a variance).
    type Real: Numeric + Default;
    /// `self / n`, computed in float64 and rounded once for float32.
    fn div(self, n: f64) -> Self;
    /// `|self|²`.
    fn abs2(self) -> Self::Real;
    /// `r / n` for the real type.
    fn real_div(r: Self::Real, n: f64) -> Self::Real;
    /// `sqrt(r)` for the real type.
    fn real_sqrt(r: Self::Real) -> Self::Real;
}

macro_rules! moment_real {
    ($($t:ty),*) => {$(
        impl Moment for $t {
            type Real = $t;
            #[inline(always)] fn div(self, n: f64) -> $t { (self as f64 / n) as $t }
            #[inline(always)] fn abs2(self) -> $t { self * self }
            #[inline(always)] fn real_div(r: $t, n: f64) -> $t { (r as f64 / n) as $t }
            #[inline(always)] fn real_sqrt(r: $t) -> $t { r.sqrt() }
        }
    )*};
}
moment_real!(f32, f64);

macro_rules! moment_complex {
    ($($t:ty: $r:ty),*) => {$(
        impl Moment for $t {
            type Real = $r;
            /// NumPy divides by the count as by the complex number
            /// `n + 0j` (Smith's algorithm), which turns an infinite part
            /// into NaN in the other part: `(inf + 1j) / 5` is `inf + nanj`.
            #[inline(always)]
            fn div(self, n: f64) -> $t {
                let (a, b) = (self.re as f64, self.im as f64);
                if n == 0.0 {
                    return <$t>::new((a / n) as $r, (b / n) as $r);
                }
                let scl = 1.0 / n;
                <$t>::new(((a + b * 0.0) * scl) as $r, ((b - a * 0.0) * scl) as $r)
            }
            #[inline(always)] fn abs2(self) -> $r { self.re * self.re + self.im * self.im }
            #[inline(always)] fn real_div(r: $r, n: f64) -> $r { (r as f64 / n) as $r }
            #[inline(always)] fn real_sqrt(r: $r) -> $r { r.sqrt() }
        }
    )*};
}
moment_complex!(c64: f32, c128: f64);

/// Totally ordered enough for min/max: real numbers and `bool`.
trait Ordered: Element + PartialOrd {
    /// The identity of `max` (the lowest value; -inf for floats).
    const LOWEST: Self;
    /// The identity of `min`.
    const HIGHEST: Self;
    /// Whether the value is NaN.
    fn nan(self) -> bool;
}

macro_rules! ordered_int {
    ($($t:ty),*) => {$(
        impl Ordered for $t {
            const LOWEST: $t = <$t>::MIN;
            const HIGHEST: $t = <$t>::MAX;
            #[inline(always)] fn nan(self) -> bool { false }
        }
    )*};
}
ordered_int!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! ordered_float {
    ($($t:ty),*) => {$(
        impl Ordered for $t {
            const LOWEST: $t = <$t>::NEG_INFINITY;
            const HIGHEST: $t = <$t>::INFINITY;
            #[inline(always)] fn nan(self) -> bool { self.is_nan() }
        }
    )*};
}
ordered_float!(f16, bf16, f32, f64);

impl Ordered for bool {
    const LOWEST: bool = false;
    const HIGHEST: bool = true;
    #[inline(always)]
    fn nan(self) -> bool {
        false
    }
}

// The comparisons use `&` and `|` rather than `&&` and `||` so that they
// compile to branch-free masks that LLVM vectorises.

/// Whether `x` replaces `cur` as the running maximum: NaN beats everything
/// and nothing beats NaN, so the first NaN wins.
#[inline(always)]
#[allow(clippy::nonminimal_bool)]
fn above<T: Ordered>(cur: T, x: T) -> bool {
    !cur.nan() & (x.nan() | (x > cur))
}

/// Whether `x` replaces `cur` as the running minimum (NaN as in [`above`]).
#[inline(always)]
fn below<T: Ordered>(cur: T, x: T) -> bool {
    !cur.nan() & (x.nan() | (x < cur))
}

/// Whether `x` replaces `cur` as the running maximum ignoring NaN: a NaN
/// `cur` (nothing seen yet) is always replaced, a NaN `x` never.
#[inline(always)]
fn above_skip_nan<T: Ordered>(cur: T, x: T) -> bool {
    cur.nan() | (x > cur)
}

/// [`above_skip_nan`] for the minimum.
#[inline(always)]
fn below_skip_nan<T: Ordered>(cur: T, x: T) -> bool {
    cur.nan() | (x < cur)
}

/// `sum` (or, with `SKIP_NAN`, `nansum`) of `conv(x)`.
struct Sum<F, const SKIP_NAN: bool>(F);

impl<T, A, F, const SKIP_NAN: bool> Reduction<T> for Sum<F, SKIP_NAN>
where
    A: Numeric,
    F: Fn(T) -> A + Sync,
{
    type Acc = A;
    type Param = ();
    #[inline(always)]
    fn identity(&self) -> A {
        A::zero()
    }
    #[inline(always)]
    fn step(&self, acc: A, x: T, _: ()) -> A {
        let v = (self.0)(x);
        if SKIP_NAN && v.is_nan() { acc } else { acc.add(v) }
    }
    #[inline(always)]
    fn merge(&self, a: A, b: A) -> A {
        a.add(b)
    }
}

/// `prod` of `conv(x)`.
struct Prod<F>(F);

impl<T, A: Numeric, F: Fn(T) -> A + Sync> Reduction<T> for Prod<F> {
    type Acc = A;
    type Param = ();
    #[inline(always)]
    fn identity(&self) -> A {
        A::one()
    }
    #[inline(always)]
    fn step(&self, acc: A, x: T, _: ()) -> A {
        acc.mul((self.0)(x))
    }
    #[inline(always)]
    fn merge(&self, a: A, b: A) -> A {
        a.mul(b)
    }
}

/// `nanmean`'s fold: the sum of the non-NaN values and their count.
struct NanSumCount<F>(F);

impl<T, A: Numeric, F: Fn(T) -> A + Sync> Reduction<T> for NanSumCount<F> {
    type Acc = (A, u64);
    type Param = ();
    #[inline(always)]
    fn identity(&self) -> (A, u64) {
        (A::zero(), 0)
    }
    #[inline(always)]
    fn step(&self, acc: (A, u64), x: T, _: ()) -> (A, u64) {
        let v = (self.0)(x);
        if v.is_nan() { acc } else { (acc.0.add(v), acc.1 + 1) }
    }
    #[inline(always)]
    fn merge(&self, a: (A, u64), b: (A, u64)) -> (A, u64) {
        (a.0.add(b.0), a.1 + b.1)
    }
}

/// The second pass of `var`: `Σ |conv(x) - mean|²`, the mean being the
/// per-output parameter.
struct SquaredDeviations<F>(F);

impl<T, A: Moment, F: Fn(T) -> A + Sync> Reduction<T> for SquaredDeviations<F> {
    type Acc = A::Real;
    type Param = A;
    #[inline(always)]
    fn identity(&self) -> A::Real {
        A::Real::zero()
    }
    #[inline(always)]
    fn step(&self, acc: A::Real, x: T, mean: A) -> A::Real {
        acc.add((self.0)(x).sub(mean).abs2())
    }
    #[inline(always)]
    fn merge(&self, a: A::Real, b: A::Real) -> A::Real {
        a.add(b)
    }
}

/// The running best under `better` (see [`above`], [`below`]...).
struct Extreme<T, F> {
    identity: T,
    better: F,
}

impl<T: Ordered, F: Fn(T, T) -> bool + Sync> Reduction<T> for Extreme<T, F> {
    type Acc = T;
    type Param = ();
    #[inline(always)]
    fn identity(&self) -> T {
        self.identity
    }
    #[inline(always)]
    fn step(&self, acc: T, x: T, _: ()) -> T {
        if (self.better)(acc, x) { x } else { acc }
    }
    #[inline(always)]
    fn merge(&self, a: T, b: T) -> T {
        self.step(a, b, ())
    }
}

/// `any` (`ANY = true`) or `all` of the elements' truth values.
struct Truth<T, const ANY: bool> {
    zero: T,
}

impl<T: Element, const ANY: bool> Reduction<T> for Truth<T, ANY> {
    type Acc = bool;
    type Param = ();
    #[inline(always)]
    fn identity(&self) -> bool {
        !ANY
    }
    #[inline(always)]
    fn step(&self, acc: bool, x: T, _: ()) -> bool {
        if ANY { acc | (x != self.zero) } else { acc & (x != self.zero) }
    }
    #[inline(always)]
    fn merge(&self, a: bool, b: bool) -> bool {
        if ANY { a | b } else { a & b }
    }
}

/// The result dtype of `sum`/`prod`/`cumulative_*` without a `dtype`:
/// integers and bool widen to the default integer of their signedness.
fn default_sum_dtype(d: DType) -> DType {
    match d.kind() {
        Kind::Bool | Kind::SignedInt => DType::Int64,
        Kind::UnsignedInt => DType::UInt64,
        Kind::Float | Kind::Complex => d,
    }
}

/// A sum-like reduction (`sum`, `nansum`, `prod`), generic over the
/// element type, the accumulator and the result.
trait SumLike {
    /// The function's name, for errors.
    const NAME: &'static str;
    /// Runs the reduction accumulating `conv(x)` in `A`, rounding with
    /// `finish`.
    fn run<T: Element, A: Numeric, O: Element>(
        a: &Array,
        plan: &Plan,
        conv: impl Fn(T) -> A + Sync,
        finish: impl Fn(A) -> O,
    ) -> Result<Array>;
}

struct SumOp;
impl SumLike for SumOp {
    const NAME: &'static str = "sum";
    fn run<T: Element, A: Numeric, O: Element>(
        a: &Array,
        plan: &Plan,
        conv: impl Fn(T) -> A + Sync,
        finish: impl Fn(A) -> O,
    ) -> Result<Array> {
        run(a, plan, &Sum::<_, false>(conv), None, finish)
    }
}

struct NanSumOp;
impl SumLike for NanSumOp {
    const NAME: &'static str = "nansum";
    fn run<T: Element, A: Numeric, O: Element>(
        a: &Array,
        plan: &Plan,
        conv: impl Fn(T) -> A + Sync,
        finish: impl Fn(A) -> O,
    ) -> Result<Array> {
        run(a, plan, &Sum::<_, true>(conv), None, finish)
    }
}

struct ProdOp;
impl SumLike for ProdOp {
    const NAME: &'static str = "prod";
    fn run<T: Element, A: Numeric, O: Element>(
        a: &Array,
        plan: &Plan,
        conv: impl Fn(T) -> A + Sync,
        finish: impl Fn(A) -> O,
    ) -> Result<Array> {
        run(a, plan, &Prod(conv), None, finish)
    }
}

/// Integers and bool widened to the default integer of their signedness
/// inside the loop (no converted copy of the input).
trait Widen: Element {
    /// `i64` or `u64`.
    type Wide: Numeric;
    /// The widening conversion.
    fn widen(self) -> Self::Wide;
}

macro_rules! widen {
    ($($t:ty => $w:ty),*) => {$(
        impl Widen for $t {
            type Wide = $w;
            #[inline(always)] fn widen(self) -> $w { self as $w }
        }
    )*};
}
widen!(bool => i64, i8 => i64, i16 => i64, i32 => i64, i64 => i64, u8 => u64, u16 => u64, u32 => u64, u64 => u64);

fn sum_like<M: SumLike>(a: &Array, axes: Option<&[isize]>, keepdims: bool, dtype: Option<DType>) -> Result<Array> {
    let plan = Plan::new(a, axes, keepdims)?;
    let default = default_sum_dtype(a.dtype);
    let out = dtype.unwrap_or(default);
    if out == DType::Bool {
        return Err(unsupported(M::NAME, out));
    }
    if out == default && (a.dtype.is_integer() || a.dtype.is_bool()) {
        return crate::dispatch_subset!(int: a.dtype, T => M::run(a, &plan, <T as Widen>::widen, |v| v),
            _ => M::run(a, &plan, bool::widen, |v| v));
    }
    let a = if a.dtype == out { a.clone() } else { a.astype(out)? };
    crate::dispatch_subset!(numeric: out, T => M::run(&a, &plan, <T as Accumulate>::up, <T as Accumulate>::down),
        _ => Err(unsupported(M::NAME, out)))
}

/// The mean accumulating in `A`.
fn mean_typed<T: Element, A: Moment, O: Element>(
    a: &Array,
    plan: &Plan,
    conv: impl Fn(T) -> A + Sync,
    finish: impl Fn(A) -> O,
) -> Result<Array> {
    let n = plan.count as f64;
    run(a, plan, &Sum::<_, false>(conv), None, |s| finish(s.div(n)))
}

/// The mean of the non-NaN elements accumulating in `A`.
fn nanmean_typed<T: Element, A: Moment, O: Element>(
    a: &Array,
    plan: &Plan,
    conv: impl Fn(T) -> A + Sync,
    finish: impl Fn(A) -> O,
) -> Result<Array> {
    run(a, plan, &NanSumCount(conv), None, |(s, n)| finish(s.div(n as f64)))
}

/// Bytes of input above which `var` works slab by slab (see
/// [`centered_typed`]): a slab stays in the last-level cache between its
/// two passes, so memory is read once.
const SLAB_BYTES: usize = 4 << 20;

/// Bytes per leaf when `var` reduces the outermost axis of a large input
/// (see [`centered_typed`]): the leaf's second pass reads it from the
/// core's own L2 cache (1 MiB on the Zen 4 benchmark machine), not from
/// the shared L3.
const LEAF_BYTES: usize = 256 << 10;

/// The per-output sums, means and sums of squared deviations
/// `Σ|x - mean|²` of one block of the input (`src` over `shape`), in two
/// passes: the sums (the means are the sums over the element count, as in
/// [`Array::mean`]), then the deviations from the means.
fn centered_moments<T: Element, A: Moment>(
    src: Operand<'_, T>,
    shape: &[usize],
    reduced: &[bool],
    conv: impl Fn(T) -> A + Sync + Copy,
    part: &mut Part<A>,
) {
    let n = shape.iter().zip(reduced).filter(|&(_, &r)| r).map(|(&d, _)| d).product::<usize>();
    kernel::reduce(src, shape, reduced, &Sum::<_, false>(conv), None, &mut part.sums);
    for (m, &s) in part.means.iter_mut().zip(&part.sums) {
        *m = s.div(n as f64);
    }
    kernel::reduce(src, shape, reduced, &SquaredDeviations(conv), Some(&part.means), &mut part.m2);
    part.n = n;
}

/// `var`'s moments of one part of the input: the elements folded per
/// output, and per output their sum, mean and sum of squared deviations
/// from the mean.
struct Part<A: Moment> {
    /// Elements folded into each output.
    n: usize,
    /// Per-output sums (merged by addition: a pairwise sum when parts are
    /// merged pairwise).
    sums: Vec<A>,
    /// Per-output means (merged with Chan's update).
    means: Vec<A>,
    /// Per-output sums of squared deviations from `means`.
    m2: Vec<A::Real>,
}

impl<A: Moment> Part<A> {
    /// An empty part over `n_out` outputs.
    fn new(n_out: usize) -> Self {
        Part { n: 0, sums: vec![A::zero(); n_out], means: vec![A::zero(); n_out], m2: vec![A::Real::zero(); n_out] }
    }

    /// Folds in `other`, a part over later elements: the sums add, and the
    /// means and sums of squared deviations follow Chan, Golub and
    /// LeVeque's update (`M2 = M2a + M2b + δ²·na·nb/n`, `δ = mean_b -
    /// mean_a`).
    fn merge(&mut self, other: &Part<A>) {
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let parts = self.sums.iter_mut().zip(self.means.iter_mut()).zip(self.m2.iter_mut());
        let others = other.sums.iter().zip(&other.means).zip(&other.m2);
        for (((s, m), q), ((&sb, &mb), &qb)) in parts.zip(others) {
            *s = s.add(sb);
            let delta = mb.sub(*m);
            *m = m.add(delta.div(n / nb));
            *q = q.add(qb).add(A::real_div(delta.abs2(), n / (na * nb)));
        }
        self.n += other.n;
    }
}

/// The per-output means and sums of squared deviations `Σ|x - mean|²` of
/// `var` (or `std`), accumulating in `A`; the means are the mean's
/// ([`Array::mean`]) within its error bound (see [`Array::var_mean`]).
///
/// Two passes — the means, then the squared deviations from them — which
/// avoids the cancellation of the one-pass formula. An input of more than
/// twice [`SLAB_BYTES`] is cut along its outermost axis (largest stride)
/// so that each piece gets both passes while it is in cache, and memory is
/// read once:
///
/// - when that axis is kept, into slabs of about [`SLAB_BYTES`], each an
///   independent part of the result (the same numbers as without slabs);
/// - when it is reduced, into leaves of about [`LEAF_BYTES`] (in the
///   core's L2 cache), each reduced in two passes on one thread, and the
///   leaves are merged pairwise (a balanced tree, threaded; see
///   [`Part::merge`]): the sums by addition, which makes the whole a
///   pairwise sum, the means and sums of squared deviations with Chan,
///   Golub and LeVeque's update. Each leaf is exact to the two-pass
///   bound and each merge adds a rounding error of the order of `ε·M2`,
///   so the error stays at about `(c + log2 n)·ε` relative to `M2`, as the
///   plain two passes. The leaves are taken in memory order (a reversed
///   outer axis is read forwards), as [`kernel::reduce`] does.
///   Rows wider than a leaf are instead taken in slabs of about
///   [`SLAB_BYTES`] folded in order with the same update, so that at most
///   two output-sized partial results exist (a tree would hold one per
///   level and thread).
fn centered_typed<T: Element, A: Moment>(
    a: &Array,
    plan: &Plan,
    conv: impl Fn(T) -> A + Sync + Copy,
) -> Result<(Vec<A>, Vec<A::Real>)> {
    let data = a.typed::<T>("var")?;
    let n_out = layout::size(&plan.shape);
    let item = std::mem::size_of::<T>();
    let outer = (0..a.ndim()).filter(|&k| a.shape[k] > 1).max_by_key(|&k| a.strides[k].unsigned_abs());
    // Rows of the outermost axis per slab, when slabs pay.
    let slab = outer.and_then(|k| {
        let row_bytes = a.strides[k].unsigned_abs() * item;
        let rows = (SLAB_BYTES / row_bytes.max(1)).max(1);
        // A kept outermost axis must be the first axis, so that a slab's
        // outputs are one contiguous run of the result.
        let usable = plan.reduced[k] || k == 0;
        (usable && a.size() * item > 2 * SLAB_BYTES && rows < a.shape[k]).then_some((k, rows))
    });
    let Some((k, rows)) = slab else {
        let src = Operand { data, strides: &a.strides, offset: a.offset };
        let mut part = Part::new(n_out);
        centered_moments(src, &a.shape, &plan.reduced, conv, &mut part);
        return Ok((part.means, part.m2));
    };
    // A reduced outer axis is read in memory order.
    let mut strides = a.strides.clone();
    let mut offset = a.offset as isize;
    if plan.reduced[k] && strides[k] < 0 {
        offset += (a.shape[k] as isize - 1) * strides[k];
        strides[k] = -strides[k];
    }
    // Both passes over rows `lo..hi` of axis `k`.
    let rows_of = |lo: usize, hi: usize, part: &mut Part<A>| {
        let mut shape = a.shape.clone();
        shape[k] = hi - lo;
        let start = offset + lo as isize * strides[k];
        let src = Operand { data, strides: &strides, offset: start as usize };
        centered_moments(src, &shape, &plan.reduced, conv, part);
    };
    if !plan.reduced[k] {
        // Slabs of outputs.
        let per = n_out / a.shape[k];
        let (mut means, mut m2) = (vec![A::zero(); n_out], vec![A::Real::zero(); n_out]);
        let mut part = Part::new(rows * per);
        let mut start = 0usize;
        while start < a.shape[k] {
            let len = rows.min(a.shape[k] - start);
            let range = start * per..(start + len) * per;
            part.sums.truncate(len * per);
            part.means.truncate(len * per);
            part.m2.truncate(len * per);
            rows_of(start, start + len, &mut part);
            means[range.clone()].copy_from_slice(&part.means);
            m2[range].copy_from_slice(&part.m2);
            start += len;
        }
        return Ok((means, m2));
    }
    let row_bytes = strides[k].unsigned_abs() * item;
    let total = plan.count as f64;
    let finish = |part: Part<A>| (part.sums.iter().map(|&s| s.div(total)).collect(), part.m2);
    if row_bytes > LEAF_BYTES {
        // Rows wider than a leaf: a tree would hold a partial result the
        // size of the output per level and thread, for no cache gain. The
        // slabs are folded in order instead, into two output-sized parts.
        let (mut all, mut next) = (Part::new(n_out), Part::new(n_out));
        let first = rows.min(a.shape[k]);
        rows_of(0, first, &mut all);
        let mut start = first;
        while start < a.shape[k] {
            let len = rows.min(a.shape[k] - start);
            rows_of(start, start + len, &mut next);
            all.merge(&next);
            start += len;
        }
        return Ok(finish(all));
    }
    let leaf_rows = LEAF_BYTES / row_bytes.max(1);
    let leaf = |lo: usize, hi: usize| {
        let mut part = Part::new(n_out);
        rows_of(lo, hi, &mut part);
        part
    };
    let merge = |mut left: Part<A>, right: Part<A>| {
        left.merge(&right);
        left
    };
    Ok(finish(kernel::pairwise(0, a.shape[k], leaf_rows, 4 * leaf_rows, &leaf, &merge)))
}

/// The variances (or standard deviations) from the sums of squared
/// deviations, rounded by `down.1`, and with `with_mean` the means rounded
/// by `down.0`.
fn finish_moments<A: Moment, O: Element, V: Element>(
    means: Vec<A>,
    m2: &[A::Real],
    shape: &[usize],
    down: (impl Fn(A) -> O, impl Fn(A::Real) -> V),
    divisor: f64,
    sqrt: bool,
    with_mean: bool,
) -> Result<(Array, Option<Array>)> {
    let var = m2
        .iter()
        .map(|&ss| {
            let v = A::real_div(ss, divisor);
            (down.1)(if sqrt { A::real_sqrt(v) } else { v })
        })
        .collect();
    let mean = with_mean.then(|| Array::from_vec(means.into_iter().map(&down.0).collect(), shape)).transpose()?;
    Ok((Array::from_vec(var, shape)?, mean))
}

/// Dispatches `$body` with `T` the element type, `A` the accumulator
/// of means and variances (float64 for integers and bool, float32 for the
/// half floats, the type itself otherwise), `$conv` the conversion `T → A`
/// and `$down` the rounding `A → result`; `$down_real` rounds
/// `A::Real` (a variance) to its result type.
macro_rules! with_moment_types {
    ($dtype:expr, |$T:ident, $conv:ident, $down:ident, $down_real:ident| $body:expr) => {{
        let dtype: DType = $dtype;
        match dtype.kind() {
            Kind::Bool => {
                type $T = bool;
                let $conv = |x: bool| x as u8 as f64;
                let $down = |v: f64| v;
                let $down_real = |v: f64| v;
                $body
            }
            Kind::SignedInt | Kind::UnsignedInt => {
                crate::dispatch_subset!(int: dtype, $T => {
                    let $conv = |x: $T| x as f64;
                    let $down = |v: f64| v;
                    let $down_real = |v: f64| v;
                    $body
                }, _ => unreachable!())
            }
            Kind::Float => crate::dispatch_subset!(float: dtype, $T => {
                let $conv = <$T as Accumulate>::up;
                let $down = <$T as Accumulate>::down;
                let $down_real = <$T as Accumulate>::down;
                $body
            }, _ => unreachable!()),
            Kind::Complex => crate::dispatch_subset!(complex: dtype, $T => {
                let $conv = |x: $T| x;
                let $down = |v: $T| v;
                let $down_real = |v: <$T as Moment>::Real| v;
                $body
            }, _ => unreachable!()),
        }
    }};
}

impl Array {
    /// The sum of the elements over `axes` (`None`: all axes). Integers and
    /// bool sum in the default integer of their signedness (`int64`,
    /// `uint64`), floats and complex in their own dtype with pairwise
    /// summation (see the [module docs](self) for the error bound). The sum
    /// over no elements is 0.
    pub fn sum(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
        sum_like::<SumOp>(self, axes, keepdims, None)
    }

    /// [`sum`](Array::sum) with the result dtype chosen (the Array API's
    /// `dtype=`): the elements are converted to `dtype` as by
    /// [`astype`](Array::astype) and summed in it (integers wrap).
    pub fn sum_as(&self, axes: Option<&[isize]>, keepdims: bool, dtype: DType) -> Result<Array> {
        sum_like::<SumOp>(self, axes, keepdims, Some(dtype))
    }

    /// The product of the elements over `axes`; dtypes as in
    /// [`sum`](Array::sum). The product over no elements is 1.
    pub fn prod(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
        sum_like::<ProdOp>(self, axes, keepdims, None)
    }

    /// [`prod`](Array::prod) with the result dtype chosen, as in
    /// [`sum_as`](Array::sum_as).
    pub fn prod_as(&self, axes: Option<&[isize]>, keepdims: bool, dtype: DType) -> Result<Array> {
        sum_like::<ProdOp>(self, axes, keepdims, Some(dtype))
    }

    /// The sum treating NaN as zero (NumPy's `nansum`); dtypes as in
    /// [`sum`](Array::sum). For integers and bool it is the sum.
    pub fn nansum(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
        let plan = Plan::new(self, axes, keepdims)?;
        crate::dispatch_subset!(float: self.dtype, T => NanSumOp::run(self, &plan, <T as Accumulate>::up, <T as Accumulate>::down),
            _ => crate::dispatch_subset!(complex: self.dtype, T => NanSumOp::run(self, &plan, |x: T| x, |v| v),
                _ => self.sum(axes, keepdims)))
    }

    /// The arithmetic mean over `axes`: `float64` for integer and bool
    /// input, the input dtype otherwise (float16 accumulates in float32,
    /// float32 in float32 pairwise, as in NumPy). The mean of no elements
    /// is NaN.
    pub fn mean(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
        let plan = Plan::new(self, axes, keepdims)?;
        with_moment_types!(self.dtype, |T, conv, down, _r| mean_typed::<T, _, _>(self, &plan, conv, down))
    }

    /// The mean of the non-NaN elements (NumPy's `nanmean`): NaN where
    /// every element is NaN or there are none. Dtypes as in
    /// [`mean`](Array::mean).
    pub fn nanmean(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
        let plan = Plan::new(self, axes, keepdims)?;
        crate::dispatch_subset!(float: self.dtype, T => nanmean_typed(self, &plan, <T as Accumulate>::up, <T as Accumulate>::down),
            _ => crate::dispatch_subset!(complex: self.dtype, T => nanmean_typed(self, &plan, |x: T| x, |v| v),
                _ => self.mean(axes, keepdims)))
    }

    /// The variance over `axes` with `correction` degrees of freedom
    /// removed (NumPy's `ddof`; 0 for the population variance, 1 for the
    /// sample variance): `Σ|x - mean|² / max(n - correction, 0)`, computed
    /// in two passes. Integer and bool input gives `float64`, complex input
    /// its real dtype. NaN for no elements; `correction >= n` divides by
    /// zero (inf or NaN), as in NumPy. [`var_mean`](Array::var_mean) gives
    /// the mean too, from the same read of the input.
    pub fn var(&self, axes: Option<&[isize]>, correction: f64, keepdims: bool) -> Result<Array> {
        Ok(self.moments(axes, correction, keepdims, false, false)?.0)
    }

    /// The standard deviation: the square root of [`var`](Array::var).
    /// [`std_mean`](Array::std_mean) gives the mean too, from the same read
    /// of the input.
    pub fn std(&self, axes: Option<&[isize]>, correction: f64, keepdims: bool) -> Result<Array> {
        Ok(self.moments(axes, correction, keepdims, true, false)?.0)
    }

    /// The variance and the mean over `axes`, in that order (PyTorch's
    /// `torch.var_mean`), from one read of the input: the mean is the first
    /// of `var`'s two passes, which memory gives for free while each piece
    /// of the input is in cache.
    ///
    /// The variance is [`var`](Array::var)'s, bit for bit, and its dtype
    /// too; the mean has [`mean`](Array::mean)'s dtype (`float64` for
    /// integer and bool input, the input dtype otherwise). The mean is
    /// `mean`'s bit for bit when the input fits in cache (up to 8 MiB), when
    /// the outermost axis is kept, and for a matrix (C-ordered or with
    /// reversed rows) reduced along its rows; otherwise, for large inputs
    /// reduced along their outermost axis, it is a pairwise sum over
    /// differently sized leaves, within the same error bound as `mean`'s
    /// (see the [module docs](self#accuracy)), except that rows wider than
    /// 256 KiB are summed slab by slab in order (4 MiB slabs: the bound
    /// gains one `ε` per slab). Empty reductions give NaN for both, as
    /// `var` and `mean` do.
    ///
    /// ```
    /// use oxarray_core::{Array, DType};
    /// let x = Array::from_vec(vec![1.0f32, 10.0, 3.0, 30.0, 5.0, 50.0], &[3, 2])?;
    /// let (var, mean) = x.var_mean(Some(&[0]), 0.0, false)?;
    /// assert_eq!(mean.to_vec::<f32>()?, vec![3.0, 30.0]);
    /// assert_eq!(var.to_vec::<f32>()?, x.var(Some(&[0]), 0.0, false)?.to_vec::<f32>()?);
    /// // Integers: both float64, as `var` and `mean` give.
    /// let i = Array::from_vec(vec![1i32, 2, 3, 4], &[4])?;
    /// let (var, mean) = i.var_mean(None, 1.0, true)?;
    /// assert_eq!((var.dtype(), mean.dtype(), mean.shape()), (DType::Float64, DType::Float64, &[1usize][..]));
    /// assert_eq!((var.item::<f64>()?, mean.item::<f64>()?), (5.0 / 3.0, 2.5));
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn var_mean(&self, axes: Option<&[isize]>, correction: f64, keepdims: bool) -> Result<(Array, Array)> {
        let (var, mean) = self.moments(axes, correction, keepdims, false, true)?;
        Ok((var, mean.expect("the mean was asked for")))
    }

    /// The standard deviation and the mean over `axes`, in that order
    /// (PyTorch's `torch.std_mean`), from one read of the input: as
    /// [`var_mean`](Array::var_mean), the standard deviation being
    /// [`std`](Array::std)'s bit for bit.
    ///
    /// ```
    /// use oxarray_core::Array;
    /// // Standardising the columns of a matrix: one read for the statistics.
    /// let x = Array::from_vec(vec![1.0f64, 10.0, 3.0, 30.0], &[2, 2])?;
    /// let (std, mean) = x.std_mean(Some(&[0]), 0.0, true)?;
    /// assert_eq!(mean.to_vec::<f64>()?, vec![2.0, 20.0]);
    /// assert_eq!(std.to_vec::<f64>()?, vec![1.0, 10.0]);
    /// let z = x.subtract(&mean)?.divide(&std)?;
    /// assert_eq!(z.to_vec::<f64>()?, vec![-1.0, -1.0, 1.0, 1.0]);
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn std_mean(&self, axes: Option<&[isize]>, correction: f64, keepdims: bool) -> Result<(Array, Array)> {
        let (std, mean) = self.moments(axes, correction, keepdims, true, true)?;
        Ok((std, mean.expect("the mean was asked for")))
    }

    /// `var` (or with `sqrt`, `std`) and, with `with_mean`, the mean.
    fn moments(
        &self,
        axes: Option<&[isize]>,
        correction: f64,
        keepdims: bool,
        sqrt: bool,
        with_mean: bool,
    ) -> Result<(Array, Option<Array>)> {
        let op = match (sqrt, with_mean) {
            (false, false) => "var",
            (true, false) => "std",
            (false, true) => "var_mean",
            (true, true) => "std_mean",
        };
        if correction.is_nan() || correction < 0.0 {
            return Err(Error::invalid(op, format!("correction must be a non-negative number, got {correction}")));
        }
        let plan = Plan::new(self, axes, keepdims)?;
        let n = plan.count as f64;
        let divisor = (n - correction).max(0.0);
        with_moment_types!(self.dtype, |T, conv, down, down_real| {
            let (means, m2) = centered_typed::<T, _>(self, &plan, conv)?;
            finish_moments(means, &m2, &plan.shape, (down, down_real), divisor, sqrt, with_mean)
        })
    }

    /// The largest element over `axes` (NaN if any element is NaN). An
    /// error over no elements. Real numbers and bool.
    pub fn max(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
        self.extreme("max", axes, keepdims, true, false)
    }

    /// The smallest element over `axes` (NaN if any element is NaN). An
    /// error over no elements. Real numbers and bool.
    pub fn min(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
        self.extreme("min", axes, keepdims, false, false)
    }

    /// The largest non-NaN element over `axes` (NumPy's `nanmax`): NaN where
    /// every element is NaN. An error over no elements.
    pub fn nanmax(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
        self.extreme("nanmax", axes, keepdims, true, true)
    }

    /// The smallest non-NaN element over `axes` (NumPy's `nanmin`).
    pub fn nanmin(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
        self.extreme("nanmin", axes, keepdims, false, true)
    }

    fn extreme(
        &self,
        op: &'static str,
        axes: Option<&[isize]>,
        keepdims: bool,
        max: bool,
        skip_nan: bool,
    ) -> Result<Array> {
        let plan = Plan::new(self, axes, keepdims)?;
        plan.require_elements(op, axes)?;
        fn go<T: Ordered>(a: &Array, plan: &Plan, max: bool) -> Result<Array> {
            if max {
                run(a, plan, &Extreme { identity: T::LOWEST, better: above::<T> }, None, |v| v)
            } else {
                run(a, plan, &Extreme { identity: T::HIGHEST, better: below::<T> }, None, |v| v)
            }
        }
        // NaN-skipping folds start from NaN, "nothing seen yet", so an
        // all-NaN fold stays NaN.
        fn go_skip_nan<T: Ordered>(a: &Array, plan: &Plan, max: bool) -> Result<Array> {
            let nan = T::from_wide_wrapping(crate::Wide::Float(f64::NAN));
            if max {
                run(a, plan, &Extreme { identity: nan, better: above_skip_nan::<T> }, None, |v| v)
            } else {
                run(a, plan, &Extreme { identity: nan, better: below_skip_nan::<T> }, None, |v| v)
            }
        }
        if skip_nan && self.dtype.is_float() {
            return crate::dispatch_subset!(float: self.dtype, T => go_skip_nan::<T>(self, &plan, max), _ => unreachable!());
        }
        crate::dispatch_subset!(real: self.dtype, T => go::<T>(self, &plan, max),
            _ => if self.dtype == DType::Bool { go::<bool>(self, &plan, max) } else { Err(unsupported(op, self.dtype)) })
    }

    /// Whether any element over `axes` is true (non-zero; NaN counts as
    /// true). False over no elements. Any dtype; the result is `bool`.
    pub fn any(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
        let plan = Plan::new(self, axes, keepdims)?;
        crate::dispatch!(self.dtype, T => run(self, &plan, &Truth::<T, true> { zero: T::zero() }, None, |v| v))
    }

    /// Whether every element over `axes` is true. True over no elements.
    pub fn all(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
        let plan = Plan::new(self, axes, keepdims)?;
        crate::dispatch!(self.dtype, T => run(self, &plan, &Truth::<T, false> { zero: T::zero() }, None, |v| v))
    }

    /// The index of the largest element along `axis` (`None`: of the
    /// flattened array, in C order), as `int64`. The first occurrence wins
    /// ties, and the first NaN wins over everything. An error if the axis
    /// is empty. With `keepdims` the reduced axis (every axis, for `None`)
    /// is kept with length 1.
    pub fn argmax(&self, axis: Option<isize>, keepdims: bool) -> Result<Array> {
        self.arg_extreme("argmax", axis, keepdims, true)
    }

    /// The index of the smallest element along `axis`; see
    /// [`argmax`](Array::argmax).
    pub fn argmin(&self, axis: Option<isize>, keepdims: bool) -> Result<Array> {
        self.arg_extreme("argmin", axis, keepdims, false)
    }

    fn arg_extreme(&self, op: &'static str, axis: Option<isize>, keepdims: bool, max: bool) -> Result<Array> {
        // A 0-d array searches its one element (NumPy also accepts axis 0
        // or -1 for it).
        let (a, k) = match axis {
            None => (self.reshape(&[self.size()])?, 0),
            Some(ax) if self.ndim() == 0 => {
                normalize_axis(ax, 1).ok_or(ErrorKind::AxisOutOfBounds { axis: ax, ndim: 0 })?;
                (self.reshape(&[1])?, 0)
            }
            Some(ax) => {
                let k = normalize_axis(ax, self.ndim())
                    .ok_or(ErrorKind::AxisOutOfBounds { axis: ax, ndim: self.ndim() })?;
                (self.clone(), k)
            }
        };
        if a.shape[k] == 0 {
            return Err(Error::invalid(
                op,
                match axis {
                    None => "attempt to get the index of an extreme of an empty sequence".to_string(),
                    Some(ax) => format!("axis {ax} is empty: no index to return"),
                },
            ));
        }
        let shape: Vec<usize> = match (axis, keepdims) {
            _ if self.ndim() == 0 => vec![],
            (None, true) => vec![1; self.ndim()],
            (None, false) => vec![],
            (Some(_), true) => a.shape.iter().enumerate().map(|(i, &d)| if i == k { 1 } else { d }).collect(),
            (Some(_), false) => a.shape.iter().enumerate().filter(|&(i, _)| i != k).map(|(_, &d)| d).collect(),
        };
        fn go<T: Ordered>(a: &Array, k: usize, max: bool, shape: &[usize]) -> Result<Array> {
            let data = a.typed::<T>("argmax")?;
            let mut out = vec![0i64; layout::size(shape)];
            let src = Operand { data, strides: &a.strides, offset: a.offset };
            if max {
                kernel::arg_reduce(src, &a.shape, k, |c: T, x: T| x > c, T::nan, &mut out);
            } else {
                kernel::arg_reduce(src, &a.shape, k, |c: T, x: T| x < c, T::nan, &mut out);
            }
            Array::from_vec(out, shape)
        }
        crate::dispatch_subset!(real: a.dtype, T => go::<T>(&a, k, max, &shape),
            _ => if a.dtype == DType::Bool { go::<bool>(&a, k, max, &shape) } else { Err(unsupported(op, a.dtype)) })
    }

    /// The running sum along `axis` (the Array API's `cumulative_sum`).
    /// `axis` may be `None` only for arrays of at most one dimension (a 0-d
    /// array counts as one element). `dtype` as in [`sum_as`](Array::sum_as)
    /// (default as in [`sum`](Array::sum)). With `include_initial` the
    /// result starts with the empty sum, 0, and is one longer along `axis`.
    /// Sums run sequentially, as in NumPy (the running value is the
    /// result); float16 rounds at every step, as NumPy's does.
    pub fn cumulative_sum(&self, axis: Option<isize>, dtype: Option<DType>, include_initial: bool) -> Result<Array> {
        self.cumulative("cumulative_sum", axis, dtype, include_initial, true)
    }

    /// The running product along `axis`; see
    /// [`cumulative_sum`](Array::cumulative_sum). With `include_initial` the
    /// result starts with 1.
    pub fn cumulative_prod(&self, axis: Option<isize>, dtype: Option<DType>, include_initial: bool) -> Result<Array> {
        self.cumulative("cumulative_prod", axis, dtype, include_initial, false)
    }

    fn cumulative(
        &self,
        op: &'static str,
        axis: Option<isize>,
        dtype: Option<DType>,
        include_initial: bool,
        sum: bool,
    ) -> Result<Array> {
        let a = if self.ndim() == 0 { self.reshape(&[1])? } else { self.clone() };
        let k = match axis {
            None if a.ndim() == 1 => 0,
            None => {
                return Err(Error::invalid(op, format!("an axis is required for an array of {} dimensions", a.ndim())));
            }
            Some(ax) => normalize_axis(ax, a.ndim()).ok_or(ErrorKind::AxisOutOfBounds { axis: ax, ndim: a.ndim() })?,
        };
        let out = dtype.unwrap_or_else(|| default_sum_dtype(a.dtype));
        let a = if a.dtype == out { a.to_contiguous() } else { a.astype(out)? };
        let outer: usize = a.shape[..k].iter().product();
        let inner: usize = a.shape[k + 1..].iter().product();
        let n = a.shape[k];
        let extra = usize::from(include_initial);
        let mut shape = a.shape.clone();
        shape[k] += extra;
        fn go<T: Numeric>(
            a: &Array,
            shape: &[usize],
            dims: (usize, usize, usize),
            extra: usize,
            sum: bool,
        ) -> Result<Array> {
            let (outer, n, inner) = dims;
            let src = a.to_vec::<T>()?;
            let identity = if sum { T::zero() } else { T::one() };
            let mut data = Vec::with_capacity(layout::size(shape));
            if n * inner == 0 {
                data.resize(layout::size(shape), identity);
            } else {
                for block in src.chunks(n * inner) {
                    data.extend(std::iter::repeat_n(identity, extra * inner));
                    data.extend_from_slice(block);
                }
            }
            if sum {
                kernel::scan(&mut data, outer, n + extra, inner, |p, x| p.add(x));
            } else {
                kernel::scan(&mut data, outer, n + extra, inner, |p, x| p.mul(x));
            }
            Array::from_vec(data, shape)
        }
        crate::dispatch_subset!(numeric: out, T => go::<T>(&a, &shape, (outer, n, inner), extra, sum),
            _ => Err(unsupported(op, out)))
    }
}
