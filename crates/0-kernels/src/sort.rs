//! Sorting by unsigned keys: a stable radix sort.
//!
//! The core maps every orderable element type to an unsigned [`RadixKey`]
//! whose integer order is the element order it wants (NaN last, `-0.0 ==
//! 0.0`, descending by complementing the key), and calls
//! [`radix_sort_by_key`]. Sorting indices is the same call over
//! `(key, index)` pairs.
//!
//! The algorithm, chosen by measurement on 10M float32 (see the core's
//! `bench_select` example):
//! - one pass computes the histogram of every key byte, so bytes that are
//!   equal across the whole input (the high bytes of small integers, the
//!   exponent of floats from a narrow range) cost nothing;
//! - large inputs take one most-significant-digit pass on the highest byte
//!   that varies, splitting them into buckets that fit in cache; buckets are
//!   then sorted independently, in parallel (rayon) when the input is large;
//! - buckets that fit in cache take least-significant-digit passes;
//! - tiny inputs use the standard library's stable sort;
//! - with more than one rayon thread, inputs of 1Mi elements and more sort
//!   their two halves on separate threads and merge them in parallel.
//!
//! Every step is stable, so the whole sort is: elements with equal keys keep
//! their input order.

use rayon::prelude::*;

/// An unsigned integer sort key, split into bytes (least significant first).
pub trait RadixKey: Copy + Ord + Send + Sync + std::ops::Not<Output = Self> {
    /// Number of bytes (radix digits).
    const BYTES: usize;
    /// The largest key.
    const MAX: Self;
    /// Digit `i` (0 is the least significant byte).
    fn digit(self, i: usize) -> usize;
}

macro_rules! radix_key {
    ($($t:ty),*) => {$(
        impl RadixKey for $t {
            const BYTES: usize = std::mem::size_of::<$t>();
            const MAX: Self = <$t>::MAX;
            #[inline(always)]
            fn digit(self, i: usize) -> usize {
                ((self >> (8 * i)) & 0xff) as usize
            }
        }
    )*};
}
radix_key!(u8, u16, u32, u64);

/// Inputs up to this length use the standard library's stable sort.
const SMALL: usize = 96;
/// Buckets up to this length (a few hundred KiB) are sorted with LSD passes
/// while they sit in cache.
const LSD_MAX: usize = 1 << 16;
/// Inputs of at least this length sort their MSD buckets in parallel.
const PAR_MIN: usize = 1 << 17;

/// Inputs of at least this length are split in two halves sorted on
/// separate threads and merged in parallel (when rayon has threads to spare).
const PAR_SPLIT: usize = 1 << 20;
/// Merges shorter than this run on one thread.
const MERGE_SEQ: usize = 1 << 16;

/// Sorts `v` stably by `key(x)` (ascending integer order of the key).
pub fn radix_sort_by_key<T, K, F>(v: &mut [T], key: F)
where
    T: Copy + Send + Sync,
    K: RadixKey,
    F: Fn(&T) -> K + Sync,
{
    let n = v.len();
    if n <= SMALL {
        v.sort_by_key(|x| key(x));
        return;
    }
    let mut tmp = v.to_vec();
    if n >= PAR_SPLIT && rayon::current_num_threads() > 1 {
        // Sort the halves into `tmp` on two threads, merge back into `v`.
        let mid = n / 2;
        let (vl, vr) = v.split_at_mut(mid);
        let (tl, tr) = tmp.split_at_mut(mid);
        rayon::join(|| sort_rec(vl, tl, K::BYTES, &key, true), || sort_rec(vr, tr, K::BYTES, &key, true));
        merge(tl, tr, v, &key);
    } else {
        sort_rec(v, &mut tmp, K::BYTES, &key, false);
    }
}

/// Sorts the elements of `a` stably by key, looking only at digits
/// `0..digits` (higher digits are known to be equal). `a` and `b` have the
/// same length; the result ends in `b` if `into_b`, else in `a`; the other
/// slice is scratch.
fn sort_rec<T, K, F>(a: &mut [T], b: &mut [T], digits: usize, key: &F, into_b: bool)
where
    T: Copy + Send + Sync,
    K: RadixKey,
    F: Fn(&T) -> K + Sync,
{
    let n = a.len();
    let out = |a: &mut [T], b: &mut [T], result_in_b: bool| {
        if result_in_b != into_b {
            if into_b { b.copy_from_slice(a) } else { a.copy_from_slice(b) }
        }
    };
    if n <= SMALL {
        a.sort_by_key(|x| key(x));
        return out(a, b, false);
    }
    let hist = histograms(a, digits, key);
    let varying: Vec<usize> = (0..digits).filter(|&d| hist[d].iter().all(|&c| c != n)).collect();
    let Some(&top) = varying.last() else {
        return out(a, b, false); // every key is equal
    };
    if n <= LSD_MAX {
        // LSD passes ping-pong between the slices; copy once if the
        // result lands on the wrong side (all in cache).
        for (p, &d) in varying.iter().enumerate() {
            if p % 2 == 0 { scatter(a, b, &hist[d], d, key) } else { scatter(b, a, &hist[d], d, key) }
        }
        return out(a, b, varying.len() % 2 == 1);
    }
    // One MSD pass on the highest varying digit into `b`, then sort each
    // bucket, asking for the result where the caller wants it.
    scatter(a, b, &hist[top], top, key);
    let mut buckets: Vec<(&mut [T], &mut [T])> = Vec::with_capacity(256);
    let (mut rest_a, mut rest_b) = (&mut a[..], &mut b[..]);
    for &count in hist[top].iter() {
        let (ba, ra) = rest_a.split_at_mut(count);
        let (bb, rb) = rest_b.split_at_mut(count);
        buckets.push((bb, ba));
        rest_a = ra;
        rest_b = rb;
    }
    let finish = |(bb, ba): (&mut [T], &mut [T])| sort_rec(bb, ba, top, key, !into_b);
    if n >= PAR_MIN {
        buckets.into_par_iter().for_each(finish);
    } else {
        buckets.into_iter().for_each(finish);
    }
}

/// One stable counting-sort pass of `src` into `dst` on digit `d`.
fn scatter<T: Copy, K: RadixKey>(src: &[T], dst: &mut [T], hist: &[usize; 256], d: usize, key: impl Fn(&T) -> K) {
    let mut offsets = exclusive_prefix(hist);
    for x in src {
        let b = key(x).digit(d);
        dst[offsets[b]] = *x;
        offsets[b] += 1;
    }
}

/// Stable merge of the sorted runs `a` then `b` into `out`, split into
/// independent halves (merge path) and run in parallel when long.
fn merge<T, K, F>(a: &[T], b: &[T], out: &mut [T], key: &F)
where
    T: Copy + Send + Sync,
    K: RadixKey,
    F: Fn(&T) -> K + Sync,
{
    if out.len() < MERGE_SEQ || a.is_empty() || b.is_empty() {
        let (mut i, mut j) = (0, 0);
        for o in out.iter_mut() {
            // Take from `b` only when strictly smaller: ties keep `a` first.
            if j < b.len() && (i == a.len() || key(&b[j]) < key(&a[i])) {
                *o = b[j];
                j += 1;
            } else {
                *o = a[i];
                i += 1;
            }
        }
        return;
    }
    // Split the longer run in the middle and the other where that element
    // belongs; equal keys of `a` stay left of those of `b`.
    let (i, j) = if a.len() >= b.len() {
        let i = a.len() / 2;
        let k = key(&a[i]);
        (i, b.partition_point(|y| key(y) < k))
    } else {
        let j = b.len() / 2;
        let k = key(&b[j]);
        (a.partition_point(|x| key(x) <= k), j)
    };
    let (left, right) = out.split_at_mut(i + j);
    rayon::join(|| merge(&a[..i], &b[..j], left, key), || merge(&a[i..], &b[j..], right, key));
}

fn histograms<T, K: RadixKey>(v: &[T], digits: usize, key: impl Fn(&T) -> K) -> Vec<[usize; 256]> {
    let mut hist = vec![[0usize; 256]; digits];
    for x in v {
        let k = key(x);
        for (d, h) in hist.iter_mut().enumerate() {
            h[k.digit(d)] += 1;
        }
    }
    hist
}

fn exclusive_prefix(counts: &[usize; 256]) -> [usize; 256] {
    let mut out = [0usize; 256];
    let mut sum = 0;
    for (o, &c) in out.iter_mut().zip(counts) {
        *o = sum;
        sum += c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Rng;

    fn check<K: RadixKey + std::fmt::Debug>(keys: Vec<K>) {
        // Sort (key, position) by key only: the positions prove stability.
        let mut pairs: Vec<(K, u32)> = keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
        let mut expected = pairs.clone();
        expected.sort_by_key(|p| p.0);
        radix_sort_by_key(&mut pairs, |p| p.0);
        assert_eq!(pairs, expected);
    }

    #[test]
    fn matches_std_stable_sort() {
        let mut rng = Rng::seed_from_u64(7);
        for n in [0usize, 1, 5, SMALL + 1, 1000, LSD_MAX + 17, PAR_MIN + 5, PAR_SPLIT + 3] {
            check((0..n).map(|_| rng.next_u64()).collect::<Vec<u64>>());
            check((0..n).map(|_| (rng.next_u64() % 7) as u32).collect::<Vec<u32>>());
            check((0..n).map(|_| rng.next_u64() as u16).collect::<Vec<u16>>());
            check((0..n).map(|_| rng.next_u64() as u8).collect::<Vec<u8>>());
            // Skewed: one huge bucket on the top digit.
            check((0..n).map(|_| 0xAB00_0000u32 | (rng.next_u64() as u32 & 0x00FF_FFFF)).collect::<Vec<u32>>());
        }
    }
}
