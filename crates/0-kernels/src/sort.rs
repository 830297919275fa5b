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
//! - tiny inputs use the standard library's stable sort.
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

/// Sorts `v` stably by `key(x)` (ascending integer order of the key).
pub fn radix_sort_by_key<T, K, F>(v: &mut [T], key: F)
where
    T: Copy + Send + Sync,
    K: RadixKey,
    F: Fn(&T) -> K + Sync,
{
    if v.len() <= SMALL {
        v.sort_by_key(|x| key(x));
        return;
    }
    let mut tmp = v.to_vec();
    sort_rec(v, &mut tmp, K::BYTES, &key);
}

/// Sorts `v` stably by key using `tmp` (same length) as scratch, looking only
/// at digits `0..digits` (higher digits are known to be equal).
fn sort_rec<T, K, F>(v: &mut [T], tmp: &mut [T], digits: usize, key: &F)
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
    let hist = histograms(v, digits, key);
    let varying: Vec<usize> = (0..digits).filter(|&d| hist[d].iter().all(|&c| c != n)).collect();
    let Some(&top) = varying.last() else {
        return; // every key is equal
    };
    if n <= LSD_MAX {
        lsd(v, tmp, &hist, &varying, key);
        return;
    }
    // One MSD pass on the highest varying digit, then sort each bucket.
    let mut offsets = exclusive_prefix(&hist[top]);
    for x in v.iter() {
        let b = key(x).digit(top);
        tmp[offsets[b]] = *x;
        offsets[b] += 1;
    }
    let mut buckets: Vec<(&mut [T], &mut [T])> = Vec::with_capacity(256);
    let (mut rest_t, mut rest_v) = (&mut tmp[..], &mut v[..]);
    for &count in hist[top].iter() {
        let (bt, rt) = rest_t.split_at_mut(count);
        let (bv, rv) = rest_v.split_at_mut(count);
        if count > 1 {
            buckets.push((bt, bv));
        } else {
            bv.copy_from_slice(bt);
        }
        rest_t = rt;
        rest_v = rv;
    }
    let finish = |(bt, bv): (&mut [T], &mut [T])| {
        sort_rec(bt, bv, top, key);
        bv.copy_from_slice(bt);
    };
    if n >= PAR_MIN {
        buckets.into_par_iter().for_each(finish);
    } else {
        buckets.into_iter().for_each(finish);
    }
}

/// LSD passes over the `varying` digits (ascending); the result ends in `v`.
fn lsd<T, K, F>(v: &mut [T], tmp: &mut [T], hist: &[[usize; 256]], varying: &[usize], key: &F)
where
    T: Copy,
    K: RadixKey,
    F: Fn(&T) -> K,
{
    let mut in_v = true;
    for &d in varying {
        let (src, dst): (&[T], &mut [T]) = if in_v { (v, tmp) } else { (tmp, v) };
        let mut offsets = exclusive_prefix(&hist[d]);
        for x in src {
            let b = key(x).digit(d);
            dst[offsets[b]] = *x;
            offsets[b] += 1;
        }
        in_v = !in_v;
    }
    if !in_v {
        v.copy_from_slice(tmp);
    }
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
        for n in [0usize, 1, 5, SMALL + 1, 1000, LSD_MAX + 17, PAR_MIN + 5] {
            check((0..n).map(|_| rng.next_u64()).collect::<Vec<u64>>());
            check((0..n).map(|_| (rng.next_u64() % 7) as u32).collect::<Vec<u32>>());
            check((0..n).map(|_| rng.next_u64() as u16).collect::<Vec<u16>>());
            check((0..n).map(|_| rng.next_u64() as u8).collect::<Vec<u8>>());
            // Skewed: one huge bucket on the top digit.
            check((0..n).map(|_| 0xAB00_0000u32 | (rng.next_u64() as u32 & 0x00FF_FFFF)).collect::<Vec<u32>>());
        }
    }
}
