//! Sorting functions of the Array API standard: [`Array::sort`] and
//! [`Array::argsort`], with the standard's `descending` and `stable`
//! options ([`SortOptions`]).
//!
//! # Order
//!
//! - Real numbers sort by value. `-0.0` and `0.0` compare equal, so a stable
//!   sort keeps them in input order (as NumPy does).
//! - **NaN sorts last, in both directions.** Ascending, this is NumPy's
//!   order. NumPy has no descending sort; the Array API standard leaves the
//!   place of NaN unspecified, and its reference adapters
//!   (`array-api-compat`, `array-api-strict`) compute a descending sort as
//!   `flip(argsort(flip(x)))`, which puts NaN *first*, as PyTorch does.
//!   oxarray keeps NaN last (pandas' `na_position="last"`): a descending
//!   sort is "largest first, then the values that have no order", and the
//!   top-k of [`Array::topk`] never picks NaN over a number.
//! - A stable descending sort keeps equal elements in input order (it is
//!   not the reverse of the stable ascending sort), as the standard
//!   requires.
//! - `bool`: `false < true`.
//! - Complex numbers sort lexicographically (real part, then imaginary part)
//!   as in NumPy; values with a NaN part come last, in NumPy's order
//!   `[R + Rj, R + nanj, nan + Rj, nan + nanj]`. The standard forbids
//!   nothing here: it only leaves complex ordering implementation-defined.
//!
//! # Speed
//!
//! Every dtype but complex sorts by an unsigned key (the value's bits,
//! rearranged so that integer order is the order above) with the stable
//! radix sort of `oxarray_kernels::sort`. Along a C-contiguous last axis
//! the sort reads the input and writes the result directly (no copy
//! first), and sorts bijective keys ([`Sortable::bij`]: floats in IEEE
//! total order with the NaNs moved last, so `-0.0` comes before `0.0`),
//! which costs a fifth to a third less than sorting elements by a key
//! computed on every pass. A stable float sort then puts the signed zeros
//! and the NaNs back in input order where they mix bits (one more read of
//! the input, only then). Lanes along other axes than the
//! last are copied to a contiguous scratch array, sorted there, and copied
//! back; many lanes sort in parallel.
//!
//! Few distinct values (class labels, small integer ranges, `uint8`, also
//! floats far apart) are sorted by counting: the kernel's histogram then
//! holds every key once, and the sorted copy is written as runs, the
//! argsort as each key's indices in input order (`argsort_by_counting`),
//! without the `(key, index)` pairs the general argsort sorts.
//!
//! ```
//! use oxarray_core::{Array, SortOptions};
//! let a = Array::from_slice(&[3.0f32, f32::NAN, -1.0, 2.0], &[4])?;
//! assert_eq!(a.argsort(-1)?.to_vec::<i64>()?, vec![2, 3, 0, 1]);
//! let d = a.sort_with(-1, SortOptions::default().descending())?;
//! assert_eq!(d.to_vec::<f32>()?[..3], [3.0, 2.0, -1.0]);
//! assert!(d.to_vec::<f32>()?[3].is_nan()); // NaN last, also descending
//! # Ok::<(), oxarray_core::Error>(())
//! ```

use std::cmp::Ordering;

use half::{bf16, f16};
use oxarray_kernels::lanes::{for_each_lane, for_each_lane_pair};
use oxarray_kernels::layout;
use oxarray_kernels::sort::{
    RadixKey, argsort_by_counting, argsort_into, radix_sort_by_key_with, radix_sort_keys_into,
};
use rayon::prelude::*;

use crate::array::Array;
use crate::buffer::{Buffer, HUGE_THRESHOLD};
use crate::dtype::DType;
use crate::element::{Element, c64, c128};
use crate::error::{ErrorKind, Result};

/// Lanes of at least this length fill and read their argsort pairs on
/// several threads.
const PAR_PAIRS: usize = 1 << 18;

/// Options of [`Array::sort_with`] and [`Array::argsort_with`]. The
/// default is the Array API's: ascending and stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SortOptions {
    /// Largest first (NaN still last).
    pub descending: bool,
    /// Keep equal elements in input order. With `false`, a float sort
    /// may order equal elements by their bits (`-0.0` before `0.0`, NaNs
    /// by payload) and complex sorts are unstable; integer and `bool`
    /// sorts, and every argsort, give the stable result either way.
    pub stable: bool,
}

impl Default for SortOptions {
    fn default() -> Self {
        SortOptions { descending: false, stable: true }
    }
}

impl SortOptions {
    /// The same options, descending.
    pub fn descending(self) -> Self {
        SortOptions { descending: true, ..self }
    }

    /// The same options, allowing an unstable algorithm.
    pub fn unstable(self) -> Self {
        SortOptions { stable: false, ..self }
    }
}

/// An element type with oxarray's sort order (see the module docs).
pub(crate) trait Sortable: Element {
    /// The radix key type.
    type Key: RadixKey;
    /// Whether [`key`](Sortable::key) defines the order (every type but
    /// complex).
    const RADIX: bool;
    /// An unsigned key whose integer order is the ascending order: equal
    /// values (including `-0.0` and `0.0`) get equal keys, NaN gets the
    /// largest key.
    fn key(self) -> Self::Key;
    /// Whether the value is unordered (NaN, or a complex with a NaN part).
    fn is_nan_like(self) -> bool;
    /// Whether equal [`key`](Sortable::key)s mean equal bits (integers and
    /// `bool`; not floats, whose `-0.0` and `0.0`, and NaNs, share keys), so
    /// that sorting the keys and turning them back into values gives the
    /// stable result.
    const EXACT: bool;
    /// A bijective key in ascending order, NaN-like values last (used
    /// where stability is not observable: [`EXACT`](Sortable::EXACT)
    /// types, and unstable sorts): for floats, IEEE total order (`-0.0`
    /// before `0.0`) with the NaNs of both signs moved last. Only called
    /// when [`RADIX`](Sortable::RADIX).
    fn bij(self) -> Self::Key;
    /// The inverse of [`bij`](Sortable::bij).
    fn unbij(k: Self::Key) -> Self;
    /// A bijective key in descending order, NaN-like values still last.
    fn bij_desc(self) -> Self::Key;
    /// The inverse of [`bij_desc`](Sortable::bij_desc).
    fn unbij_desc(k: Self::Key) -> Self;
    /// The ascending order.
    fn cmp_asc(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

/// The key of the descending order: complemented, NaN still largest.
#[inline(always)]
pub(crate) fn desc_key<T: Sortable>(x: T) -> T::Key {
    if x.is_nan_like() { T::Key::MAX } else { !x.key() }
}

/// The order of a sort in direction `descending`.
#[inline(always)]
pub(crate) fn cmp_dir<T: Sortable>(a: &T, b: &T, descending: bool) -> Ordering {
    if !descending || a.is_nan_like() || b.is_nan_like() { a.cmp_asc(b) } else { b.cmp_asc(a) }
}

impl Sortable for bool {
    type Key = u8;
    const RADIX: bool = true;
    const EXACT: bool = true;
    #[inline(always)]
    fn key(self) -> u8 {
        self as u8
    }
    #[inline(always)]
    fn bij(self) -> u8 {
        self as u8
    }
    #[inline(always)]
    fn unbij(k: u8) -> bool {
        k != 0
    }
    #[inline(always)]
    fn bij_desc(self) -> u8 {
        !(self as u8)
    }
    #[inline(always)]
    fn unbij_desc(k: u8) -> bool {
        k != u8::MAX
    }
    #[inline(always)]
    fn is_nan_like(self) -> bool {
        false
    }
}

macro_rules! int_sortable {
    ($($t:ty => $k:ty, $flip:expr),*) => {$(
        impl Sortable for $t {
            type Key = $k;
            const RADIX: bool = true;
            const EXACT: bool = true;
            #[inline(always)]
            fn key(self) -> $k {
                (self as $k) ^ $flip
            }
            #[inline(always)]
            fn bij(self) -> $k {
                (self as $k) ^ $flip
            }
            #[inline(always)]
            fn unbij(k: $k) -> $t {
                (k ^ $flip) as $t
            }
            #[inline(always)]
            fn bij_desc(self) -> $k {
                !((self as $k) ^ $flip)
            }
            #[inline(always)]
            fn unbij_desc(k: $k) -> $t {
                (!k ^ $flip) as $t
            }
            #[inline(always)]
            fn is_nan_like(self) -> bool {
                false
            }
        }
    )*};
}
int_sortable!(
    i8 => u8, 0x80, i16 => u16, 0x8000, i32 => u32, 0x8000_0000, i64 => u64, 0x8000_0000_0000_0000,
    u8 => u8, 0, u16 => u16, 0, u32 => u32, 0, u64 => u64, 0
);

macro_rules! float_sortable {
    ($($t:ty => $k:ty, $mant:expr),*) => {$(
        impl Sortable for $t {
            type Key = $k;
            const RADIX: bool = true;
            const EXACT: bool = false;
            /// Total order (negatives: every bit flipped; others: the sign
            /// set), then rotated down by the number of negative NaNs
            /// (`$mant`: every mantissa but 0), whose total-order keys were
            /// the smallest, so that they come after the positive NaNs.
            #[inline(always)]
            fn bij(self) -> $k {
                const TOP: u32 = <$k>::BITS - 1;
                let bits = self.to_bits();
                let flip = (bits >> TOP).wrapping_neg() | (1 << TOP);
                (bits ^ flip).wrapping_sub($mant)
            }
            #[inline(always)]
            fn unbij(k: $k) -> $t {
                const TOP: u32 = <$k>::BITS - 1;
                let k = k.wrapping_add($mant);
                // Total-order keys with the top bit set were non-negative.
                let flip = ((!k) >> TOP).wrapping_neg() | (1 << TOP);
                <$t>::from_bits(k ^ flip)
            }
            /// The ordered values' keys (up to +inf's) mirrored, NaNs'
            /// (above it) kept: an involution.
            #[inline(always)]
            fn bij_desc(self) -> $k {
                let inf = <$t>::INFINITY.bij();
                let k = self.bij();
                if k <= inf { inf - k } else { k }
            }
            #[inline(always)]
            fn unbij_desc(k: $k) -> $t {
                let inf = <$t>::INFINITY.bij();
                <$t>::unbij(if k <= inf { inf - k } else { k })
            }
            /// Branch-free (the radix sort evaluates it once per element
            /// per pass, and a branch on the sign of random data
            /// mispredicts half the time): all-ones masks are made by
            /// negating a top bit.
            #[inline(always)]
            fn key(self) -> $k {
                const TOP: u32 = <$k>::BITS - 1;
                const SIGN: $k = 1 << TOP;
                let bits = self.to_bits();
                let mag = bits & !SIGN;
                // -0.0 sorts as 0.0: clear the sign when the magnitude is 0
                // (`mag < SIGN`, so `-mag` has its top bit set iff mag != 0).
                let bits = bits & (mag.wrapping_neg() >> TOP).wrapping_neg();
                // Negative values: flip every bit; others: set the sign.
                let key = bits ^ ((bits >> TOP).wrapping_neg() | SIGN);
                // NaN (magnitude above infinity's) becomes the largest key.
                key | (<$t>::INFINITY.to_bits().wrapping_sub(mag) >> TOP).wrapping_neg()
            }
            #[inline(always)]
            fn is_nan_like(self) -> bool {
                self.is_nan()
            }
        }
    )*};
}
float_sortable!(f16 => u16, 0x3ff, bf16 => u16, 0x7f, f32 => u32, 0x7f_ffff, f64 => u64, (1 << 52) - 1);

macro_rules! complex_sortable {
    ($($t:ty),*) => {$(
        impl Sortable for $t {
            type Key = u8;
            const RADIX: bool = false;
            const EXACT: bool = false;
            fn key(self) -> u8 {
                0
            }
            // Never called: complex numbers are not `RADIX`.
            fn bij(self) -> u8 {
                0
            }
            fn unbij(_: u8) -> $t {
                <$t>::new(0.0, 0.0)
            }
            fn bij_desc(self) -> u8 {
                0
            }
            fn unbij_desc(_: u8) -> $t {
                <$t>::new(0.0, 0.0)
            }
            #[inline(always)]
            fn is_nan_like(self) -> bool {
                self.re.is_nan() || self.im.is_nan()
            }
            /// NumPy's order: by class `[R + Rj, R + nanj, nan + Rj, nan + nanj]`,
            /// then lexicographically by the parts that are not NaN.
            fn cmp_asc(&self, o: &Self) -> Ordering {
                let class = |z: &$t| (z.re.is_nan() as u8) * 2 + z.im.is_nan() as u8;
                let part = |a: f64, b: f64| a.partial_cmp(&b).unwrap_or(Ordering::Equal);
                class(self)
                    .cmp(&class(o))
                    .then_with(|| part(self.re as f64, o.re as f64))
                    .then_with(|| part(self.im as f64, o.im as f64))
            }
        }
    )*};
}
complex_sortable!(c64, c128);

/// Runs `f` with scratch memory for sorting `n` elements of `T`, an
/// unsigned integer key or a pair of them, valid for any bytes. Large
/// scratch is a huge-page [`Buffer`] for overwriting: from the reuse pool
/// if one is there (no page faults, and no clearing pass, which would cost
/// a sort by counting a third of its time), else fresh, whose pages fault
/// in several times faster than a `Vec`'s; small (or unallocatable) scratch
/// is an empty slice, with which the radix sort allocates its own.
fn with_scratch<T: Copy, R>(n: usize, f: impl FnOnce(&mut [T]) -> R) -> R {
    scratch_buffer(n, false, f)
}

/// [`with_scratch`] for elements of `T`, which need not be valid for any
/// bytes (`bool`): their scratch is cleared.
fn with_element_scratch<T: Sortable, R>(n: usize, f: impl FnOnce(&mut [T]) -> R) -> R {
    scratch_buffer(n, T::DTYPE == DType::Bool, f)
}

/// Scratch memory for `n` elements of `T` (see [`with_scratch`]), zeroed
/// if `zeroed` (else any bytes, which must then be valid for `T`).
fn scratch_buffer<T: Copy, R>(n: usize, zeroed: bool, f: impl FnOnce(&mut [T]) -> R) -> R {
    let bytes = n.saturating_mul(size_of::<T>());
    let mut buf = match bytes >= HUGE_THRESHOLD {
        true if zeroed => Buffer::zeroed(bytes).ok(),
        true => Buffer::for_overwrite(bytes).ok(),
        false => None,
    };
    match buf.as_mut().and_then(|b| b.typed_mut::<T>().ok().flatten()) {
        Some(s) => f(s),
        None => f(&mut []),
    }
}

/// Sorts one contiguous lane in place.
pub(crate) fn sort_lane<T: Sortable>(lane: &mut [T], opts: SortOptions) {
    if lane.len() < 2 {
        return;
    }
    match (T::RADIX, opts.descending) {
        (true, false) => with_element_scratch(lane.len(), |s| radix_sort_by_key_with(lane, s, |x| x.key())),
        (true, true) => with_element_scratch(lane.len(), |s| radix_sort_by_key_with(lane, s, |x| desc_key(*x))),
        (false, d) if opts.stable => lane.sort_by(|a, b| cmp_dir(a, b, d)),
        (false, d) => lane.sort_unstable_by(|a, b| cmp_dir(a, b, d)),
    }
}

/// Writes `lane` sorted into `out` (same length) without first copying it
/// there: the radix sort reads `lane` itself. The sort runs on bijective
/// keys ([`Sortable::bij`]), which later passes read without recomputing
/// them; for a stable float sort, the runs of equal elements whose bits
/// differ (signed zeros, NaN payloads) are then put back in input order
/// ([`restore_input_order_of_equals`]).
pub(crate) fn sort_lane_into<T: Sortable>(lane: &[T], out: &mut [T], opts: SortOptions) {
    let n = lane.len();
    if !T::RADIX || n < 2 {
        out.copy_from_slice(lane);
        return sort_lane(out, opts);
    }
    with_scratch::<T::Key, _>(n, |s| {
        if opts.descending {
            radix_sort_keys_into(lane, out, s, T::bij_desc, T::unbij_desc)
        } else {
            radix_sort_keys_into(lane, out, s, T::bij, T::unbij)
        }
    });
    if !T::EXACT && opts.stable {
        restore_input_order_of_equals(lane, out, opts.descending);
    }
}

/// Turns `out`, `lane` sorted by bijective keys, into the stable sort of
/// `lane`. The two differ only where elements compare equal but differ in
/// bits: the zeros `-0.0` and `0.0`, and NaNs of different sign or
/// payload. Each of those groups is one run of `out` (the bijective key
/// orders it by bits); a run whose first and last elements differ is
/// rewritten with the group's elements in input order, which takes one
/// read of `lane`. Runs of identical bits (every zero `0.0`, every NaN the
/// same) need nothing, so a stable float sort costs what an unstable one
/// does unless the data mixes signed zeros or NaN payloads.
fn restore_input_order_of_equals<T: Sortable>(lane: &[T], out: &mut [T], descending: bool) {
    let key = |x: &T| if descending { desc_key(*x) } else { x.key() };
    let nan = out.partition_point(|x| !x.is_nan_like());
    let (ordered, nans) = out.split_at_mut(nan);
    restore_run(lane, nans, |x| x.is_nan_like());
    let zero = key(&T::zero());
    let (lo, hi) = (ordered.partition_point(|x| key(x) < zero), ordered.partition_point(|x| key(x) <= zero));
    // `==` is the float comparison: `-0.0 == 0.0`, NaN equal to nothing.
    restore_run(lane, &mut ordered[lo..hi], |x| *x == T::zero());
}

/// Rewrites `run` (the elements of `lane` for which `member` holds, sorted
/// by bits) with those elements in input order, unless they are all the
/// same bits. Long lanes are cut into chunks: one parallel pass counts each
/// chunk's members, a second copies them to their place in `run`.
fn restore_run<T: Sortable>(lane: &[T], run: &mut [T], member: impl Fn(&T) -> bool + Sync) {
    match (run.first(), run.last()) {
        (Some(&first), Some(&last)) if first.bij() != last.bij() => {}
        _ => return,
    }
    let chunk = if lane.len() >= PAR_PAIRS {
        lane.len().div_ceil(4 * rayon::current_num_threads()).max(PAR_PAIRS / 4)
    } else {
        lane.len()
    };
    let counts: Vec<usize> = lane.par_chunks(chunk).map(|c| c.iter().filter(|x| member(x)).count()).collect();
    let mut parts = Vec::with_capacity(counts.len());
    let mut rest = run;
    for &c in &counts {
        let (part, r) = rest.split_at_mut(c);
        parts.push(part);
        rest = r;
    }
    lane.par_chunks(chunk).zip(parts).for_each(|(src, dst)| compact(src, dst, &member));
}

/// Writes the elements of `src` for which `member` holds, in order, into
/// `dst`, which holds exactly that many. Every element is stored at the
/// next free place and the place advances past members only, so the loop
/// has no branch on `member` (zeros and NaNs among other values would
/// mispredict).
fn compact<T: Copy>(src: &[T], dst: &mut [T], member: impl Fn(&T) -> bool) {
    let mut j = 0;
    for x in src {
        if j == dst.len() {
            break;
        }
        dst[j] = *x;
        j += usize::from(member(x));
    }
}

/// Writes the stable sorting permutation of `lane` into `out`.
pub(crate) fn argsort_lane<T: Sortable>(lane: &[T], out: &mut [i64], opts: SortOptions) {
    let n = lane.len();
    if T::RADIX && n > 1 && u32::try_from(n).is_ok() {
        // Few distinct values (labels): counted, no pairs.
        let counted = if opts.descending {
            argsort_by_counting(lane, out, |x| desc_key(*x), |i| i as i64)
        } else {
            argsort_by_counting(lane, out, |x| x.key(), |i| i as i64)
        };
        if counted {
            return;
        }
        // (key, index) pairs, sorted by key: the stable sort keeps the
        // indices of equal keys ascending. The split's scatter makes the
        // pairs, and each sorted leaf writes its indices out.
        with_scratch::<(T::Key, u32), _>(n, |pairs| {
            if opts.descending {
                argsort_into(lane, out, pairs, |x| desc_key(*x), |i| i as i64);
            } else {
                argsort_into(lane, out, pairs, |x| x.key(), |i| i as i64);
            }
        });
        return;
    }
    for (i, o) in out.iter_mut().enumerate() {
        *o = i as i64;
    }
    let d = opts.descending;
    out.sort_by(|&i, &j| cmp_dir(&lane[i as usize], &lane[j as usize], d));
}

/// Normalises an axis, naming it in the error.
pub(crate) fn norm_axis(axis: isize, ndim: usize) -> Result<usize> {
    layout::normalize_axis(axis, ndim).ok_or_else(|| ErrorKind::AxisOutOfBounds { axis, ndim }.into())
}

/// `a` with `axis` moved last, as a fresh C-contiguous array whose lanes
/// along that axis are contiguous.
pub(crate) fn lanes_last(a: &Array, axis: usize) -> Result<Array> {
    if axis + 1 == a.ndim() {
        crate::selection::materialize(a)
    } else {
        crate::selection::materialize(&a.moveaxis(&[axis as isize], &[-1])?)
    }
}

/// Undoes [`lanes_last`] on a result: moves the last axis back to `axis`
/// and lays the result out in C order.
pub(crate) fn lanes_back(r: Array, axis: usize) -> Result<Array> {
    if axis + 1 == r.ndim() { Ok(r) } else { crate::selection::materialize(&r.moveaxis(&[-1], &[axis as isize])?) }
}

impl Array {
    /// A sorted copy along `axis` (ascending, stable; NaN last).
    pub fn sort(&self, axis: isize) -> Result<Array> {
        self.sort_with(axis, SortOptions::default())
    }

    /// A sorted copy along `axis` with the given options (see the
    /// [module docs](crate::sorting) for the order).
    pub fn sort_with(&self, axis: isize, opts: SortOptions) -> Result<Array> {
        let axis = norm_axis(axis, self.ndim())?;
        let len = self.shape[axis];
        if axis + 1 == self.ndim() && self.size() > 0 && self.is_c_contiguous() {
            // Lanes contiguous in place: sort from them straight into the
            // result, without a copy first.
            let mut out = Array::for_overwrite(&self.shape, self.dtype)?;
            crate::dispatch!(self.dtype, T => {
                let src = &self.typed::<T>("sort")?[self.offset..][..self.size()];
                let dst = out.typed_mut_unique::<T>()?;
                for_each_lane_pair(src, len, dst, len, |l, o| sort_lane_into(l, o, opts));
            });
            return Ok(out);
        }
        let mut work = lanes_last(self, axis)?;
        crate::dispatch!(self.dtype, T => {
            let data = work.typed_mut_unique::<T>()?;
            for_each_lane(data, len, |lane| sort_lane(lane, opts));
        });
        lanes_back(work, axis)
    }

    /// The indices (int64) that sort the array along `axis` (ascending,
    /// stable; NaN last).
    pub fn argsort(&self, axis: isize) -> Result<Array> {
        self.argsort_with(axis, SortOptions::default())
    }

    /// The indices (int64) that sort the array along `axis`, with the given
    /// options. The result is always the stable permutation.
    pub fn argsort_with(&self, axis: isize, opts: SortOptions) -> Result<Array> {
        let axis = norm_axis(axis, self.ndim())?;
        let len = self.shape[axis];
        // The lanes are only read: a C-contiguous input is used in place
        // (not an empty one, whose offset may lie past its buffer).
        let in_place = axis + 1 == self.ndim() && self.size() > 0;
        let work = if in_place { crate::selection::contiguous(self)? } else { lanes_last(self, axis)? };
        // Every index is written.
        let mut out = Array::for_overwrite(&work.shape, DType::Int64)?;
        crate::dispatch!(self.dtype, T => {
            let src = &work.typed::<T>("argsort")?[work.offset..][..work.size()];
            let dst = out.typed_mut_unique::<i64>()?;
            for_each_lane_pair(src, len, dst, len, |l, o| argsort_lane(l, o, opts));
        });
        lanes_back(out, axis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_keys_order_like_numpy() {
        let v = [f32::NEG_INFINITY, -2.5, -1e-45, -0.0, 0.0, 1e-45, 3.0, f32::INFINITY];
        for w in v.windows(2) {
            assert!(w[0].key() <= w[1].key(), "{w:?}");
        }
        assert_eq!((-0.0f32).key(), 0.0f32.key());
        assert_eq!(f32::NAN.key(), u32::MAX);
        assert_eq!((-f32::NAN).key(), u32::MAX);
        assert!(f32::INFINITY.key() < u32::MAX);
        assert!(desc_key(f32::NEG_INFINITY) < u32::MAX);
        assert!(desc_key(3.0f32) < desc_key(-1.0f32));
        assert_eq!(desc_key(f32::NAN), u32::MAX);
        assert!((-128i8).key() < 127i8.key());
        assert!(f16::from_f32(-1.0).key() < f16::from_f32(0.5).key());
    }

    /// The obvious (branching) float key, as the reference for the
    /// branch-free one: NaN largest, -0.0 as 0.0, negatives flipped.
    fn reference_key(bits: u64, width: u32, nan: bool) -> u64 {
        let sign = 1u64 << (width - 1);
        let all = if width == 64 { u64::MAX } else { (1u64 << width) - 1 };
        if nan {
            return all;
        }
        let bits = if bits & !sign == 0 { 0 } else { bits };
        if bits & sign != 0 { !bits & all } else { bits | sign }
    }

    #[test]
    fn branch_free_float_keys_match_the_reference() {
        // Every float16 and bfloat16 bit pattern.
        for b in 0..=u16::MAX {
            let h = f16::from_bits(b);
            assert_eq!(h.key() as u64, reference_key(b as u64, 16, h.is_nan()), "f16 {b:#x}");
            let h = bf16::from_bits(b);
            assert_eq!(h.key() as u64, reference_key(b as u64, 16, h.is_nan()), "bf16 {b:#x}");
        }
        // float32 and float64: the special values and their neighbours
        // (zeros, subnormals, infinities, NaNs of both signs and with
        // payloads), then random bit patterns.
        let mut s = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let specials32 =
            [0u32, 1, 0x007f_ffff, 0x0080_0000, 0x7f7f_ffff, 0x7f80_0000, 0x7f80_0001, 0x7fc0_0000, 0x7fff_ffff];
        for b in specials32.iter().flat_map(|&b| [b, b | 0x8000_0000]).chain((0..200_000).map(|_| next() as u32)) {
            let x = f32::from_bits(b);
            assert_eq!(x.key() as u64, reference_key(b as u64, 32, x.is_nan()), "f32 {b:#x}");
        }
        let specials64 = [0u64, 1, 0x7ff0_0000_0000_0000, 0x7ff0_0000_0000_0001, 0x7ff8_0000_0000_0000, u64::MAX >> 1];
        for b in specials64.iter().flat_map(|&b| [b, b | 1 << 63]).chain((0..200_000).map(|_| next())) {
            let x = f64::from_bits(b);
            assert_eq!(x.key(), reference_key(b, 64, x.is_nan()), "f64 {b:#x}");
        }
    }

    /// `bij` and `bij_desc` are inverted by `unbij` and `unbij_desc` and
    /// order like `key` and `desc_key` (finer: `-0.0` before `0.0`, NaNs
    /// by bits, all last).
    fn check_bij<T: Sortable>(vals: &[T], bits: impl Fn(T) -> u64) {
        for &x in vals {
            assert_eq!(bits(T::unbij(x.bij())), bits(x), "{:?} {:#x}", T::DTYPE, bits(x));
            assert_eq!(bits(T::unbij_desc(x.bij_desc())), bits(x), "{:?} {:#x} desc", T::DTYPE, bits(x));
        }
        for w in vals.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a.key() < b.key() {
                assert!(a.bij() < b.bij(), "{:?} {:#x} {:#x}", T::DTYPE, bits(a), bits(b));
            }
            if desc_key(a) < desc_key(b) {
                assert!(a.bij_desc() < b.bij_desc(), "{:?} {:#x} {:#x} desc", T::DTYPE, bits(a), bits(b));
            }
            if a.bij() == b.bij() {
                assert_eq!(bits(a), bits(b));
            }
        }
    }

    #[test]
    fn bijective_keys_invert_and_keep_the_order() {
        // Every 16-bit pattern, in a shuffled order so that neighbours
        // compare across the whole range.
        let mut s = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let mut all16: Vec<u16> = (0..=u16::MAX).collect();
        for i in (1..all16.len()).rev() {
            all16.swap(i, (next() % (i as u64 + 1)) as usize);
        }
        check_bij(&all16.iter().map(|&b| f16::from_bits(b)).collect::<Vec<_>>(), |x| x.to_bits() as u64);
        check_bij(&all16.iter().map(|&b| bf16::from_bits(b)).collect::<Vec<_>>(), |x| x.to_bits() as u64);
        check_bij(&all16.iter().map(|&b| b as i16).collect::<Vec<_>>(), |x| x as u64);
        check_bij(&all16, |x| x as u64);
        check_bij(&all16.iter().map(|&b| b as i8).collect::<Vec<_>>(), |x| x as u64);
        check_bij(&all16.iter().map(|&b| b as u8).collect::<Vec<_>>(), |x| x as u64);
        check_bij(&[false, true, true, false], |x| x as u64);
        let specials32 =
            [0u32, 1, 0x007f_ffff, 0x0080_0000, 0x7f7f_ffff, 0x7f80_0000, 0x7f80_0001, 0x7fc0_0000, 0x7fff_ffff];
        let f32s: Vec<u32> =
            specials32.iter().flat_map(|&b| [b, b | 0x8000_0000]).chain((0..100_000).map(|_| next() as u32)).collect();
        check_bij(&f32s.iter().map(|&b| f32::from_bits(b)).collect::<Vec<_>>(), |x| x.to_bits() as u64);
        check_bij(&f32s.iter().map(|&b| b as i32).collect::<Vec<_>>(), |x| x as u64);
        let specials64 = [0u64, 1, 0x7ff0_0000_0000_0000, 0x7ff0_0000_0000_0001, 0x7ff8_0000_0000_0000, u64::MAX >> 1];
        let f64s: Vec<u64> =
            specials64.iter().flat_map(|&b| [b, b | 1 << 63]).chain((0..100_000).map(|_| next())).collect();
        check_bij(&f64s.iter().map(|&b| f64::from_bits(b)).collect::<Vec<_>>(), f64::to_bits);
        check_bij(&f64s.iter().map(|&b| b as i64).collect::<Vec<_>>(), |x| x as u64);
        check_bij(&f64s, |x| x);
        // NaNs of both signs after +inf, -0.0 right before 0.0.
        assert!(f32::INFINITY.bij() < f32::NAN.bij() && f32::INFINITY.bij() < (-f32::NAN).bij());
        assert!(f32::NEG_INFINITY.bij_desc() < f32::NAN.bij_desc() && 0.0f32.bij_desc() < (-0.0f32).bij_desc());
        assert_eq!((-0.0f64).bij() + 1, 0.0f64.bij());
    }

    #[test]
    fn complex_order_is_numpys() {
        let nan = f64::NAN;
        let order = [c128::new(0.0, 5.0), c128::new(1.0, -1.0), c128::new(1.0, nan), c128::new(nan, 0.0)];
        for w in order.windows(2) {
            assert_eq!(w[0].cmp_asc(&w[1]), Ordering::Less, "{w:?}");
        }
    }
    /// Sorts and argsorts `vals` in every direction with the radix path
    /// (lanes of several lengths around the kernel's thresholds, the
    /// longest split into buckets on two threads) and compares the sorted
    /// bits and the permutation with the standard library's stable sort by
    /// [`cmp_dir`]: equal keys (`-0.0`, `0.0`, NaNs with other payloads)
    /// must keep their input order.
    fn check_radix<T: Sortable>(vals: &[T], bits: impl Fn(T) -> u64) {
        for n in [0, 1, 97, 40_000, vals.len()] {
            let lane = &vals[..n.min(vals.len())];
            for descending in [false, true] {
                for stable in [false, true] {
                    let opts = SortOptions { descending, stable };
                    let mut expected: Vec<usize> = (0..lane.len()).collect();
                    expected.sort_by(|&i, &j| cmp_dir(&lane[i], &lane[j], descending));
                    let mut got = lane.to_vec();
                    sort_lane(&mut got, opts);
                    let want: Vec<u64> = expected.iter().map(|&i| bits(lane[i])).collect();
                    assert_eq!(got.into_iter().map(&bits).collect::<Vec<_>>(), want, "{:?} n = {n} {opts:?}", T::DTYPE);
                    // Out of place: the stable result wherever stability is
                    // observable and asked for; else the same keys in the
                    // same order and the same elements, bit for bit.
                    let mut into = vec![T::zero(); lane.len()];
                    sort_lane_into(lane, &mut into, opts);
                    let into_bits: Vec<u64> = into.iter().map(|&x| bits(x)).collect();
                    if stable || T::EXACT {
                        assert_eq!(into_bits, want, "{:?} n = {n} {opts:?} into", T::DTYPE);
                    } else {
                        let k = |x: &T| if descending { desc_key(*x) } else { x.key() };
                        assert!(
                            into.iter().map(k).eq(expected.iter().map(|&i| k(&lane[i]))),
                            "{:?} n = {n} {opts:?} into: key order",
                            T::DTYPE
                        );
                        let (mut a, mut b) = (into_bits, want.clone());
                        a.sort_unstable();
                        b.sort_unstable();
                        assert_eq!(a, b, "{:?} n = {n} {opts:?} into: elements", T::DTYPE);
                    }
                    // The result is not cleared first: every index must be written.
                    let mut idx = vec![-1i64; lane.len()];
                    argsort_lane(lane, &mut idx, opts);
                    assert!(
                        idx.iter().zip(&expected).all(|(&a, &b)| a as usize == b),
                        "{:?} n = {n} {opts:?}",
                        T::DTYPE
                    );
                }
            }
        }
    }

    #[test]
    fn empty_views_sort_and_argsort_to_empty_results() -> Result<()> {
        use crate::indexing::Index;
        // An integer index into an empty axis moves the offset past the
        // (empty) buffer.
        let v = Array::zeros(&[0, 5], DType::Float32)?.slice(&[Index::ALL, Index::Int(3)])?;
        assert_eq!(v.shape(), &[0]);
        for a in [&v, &Array::zeros(&[2, 0], DType::Int32)?, &Array::zeros(&[0, 3], DType::Float64)?] {
            for axis in [0, -1] {
                assert_eq!(a.sort(axis)?.shape(), a.shape());
                let i = a.argsort(axis)?;
                assert_eq!((i.shape(), i.dtype()), (a.shape(), DType::Int64));
            }
        }
        Ok(())
    }

    #[test]
    fn radix_sort_matches_a_stable_comparison_sort_for_every_dtype() {
        let mut rng = oxarray_kernels::random::Rng::seed_from_u64(19);
        let n = 300_001;
        let specials =
            [f64::NAN, -f64::NAN, 0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, 1e-45, -1e-45, 1e-39, -3e-39, 5e-324];
        // Uniform in [-5, 5), a quarter special values, every 7th rounded
        // (many equal keys).
        let floats: Vec<f64> = (0..n)
            .map(|i| match rng.below(8) {
                0 | 1 => specials[rng.below(specials.len() as u64) as usize],
                _ if i % 7 == 0 => (rng.next_f64() * 10.0 - 5.0).round(),
                _ => rng.next_f64() * 10.0 - 5.0,
            })
            .collect();
        check_radix(&floats, f64::to_bits);
        check_radix(&floats.iter().map(|&x| x as f32).collect::<Vec<_>>(), |x| x.to_bits() as u64);
        check_radix(&floats.iter().map(|&x| f16::from_f64(x)).collect::<Vec<_>>(), |x| x.to_bits() as u64);
        check_radix(&floats.iter().map(|&x| bf16::from_f64(x)).collect::<Vec<_>>(), |x| x.to_bits() as u64);
        // Few distinct values far apart (sorted by counting), signed zeros
        // and NaNs of both signs among them.
        let few = [0.0, -0.0, f64::NAN, -f64::NAN, 1.0, 7.0, -2.5, 1e4, f64::INFINITY];
        let few: Vec<f64> = (0..n).map(|_| few[rng.below(few.len() as u64) as usize]).collect();
        check_radix(&few, f64::to_bits);
        check_radix(&few.iter().map(|&x| x as f32).collect::<Vec<_>>(), |x| x.to_bits() as u64);
        let words: Vec<u64> = (0..n).map(|_| rng.next_u64()).collect();
        // Full range, and a narrow one (few distinct values).
        for narrow in [false, true] {
            let w: Vec<u64> = words.iter().map(|&w| if narrow { w % 13 } else { w }).collect();
            check_radix(&w.iter().map(|&w| w as i8).collect::<Vec<_>>(), |x| x as u64);
            check_radix(&w.iter().map(|&w| w as i16).collect::<Vec<_>>(), |x| x as u64);
            check_radix(&w.iter().map(|&w| w as i32 - narrow as i32 * 6).collect::<Vec<_>>(), |x| x as u64);
            check_radix(&w.iter().map(|&w| w as i64).collect::<Vec<_>>(), |x| x as u64);
            check_radix(&w.iter().map(|&w| w as u8).collect::<Vec<_>>(), |x| x as u64);
            check_radix(&w.iter().map(|&w| w as u16).collect::<Vec<_>>(), |x| x as u64);
            check_radix(&w.iter().map(|&w| w as u32).collect::<Vec<_>>(), |x| x as u64);
            check_radix(&w, |x| x);
            check_radix(&w.iter().map(|&w| w & 1 == 1).collect::<Vec<_>>(), |x| x as u64);
        }
    }
}
