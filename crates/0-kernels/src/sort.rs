//! Sorting by unsigned keys: a stable radix sort.
//!
//! The core maps every orderable element type to an unsigned [`RadixKey`]
//! whose integer order is the element order it wants (NaN last, `-0.0 ==
//! 0.0`, descending by complementing the key). A sorted copy of a
//! contiguous lane goes through [`radix_sort_keys_into`] with a
//! *bijective* key, and the sort moves the keys themselves (for a stable
//! float sort the core then puts the equal elements whose bits differ,
//! signed zeros and NaNs, back in input order). In-place sorts use
//! [`radix_sort_by_key`] or, with scratch memory the caller owns,
//! [`radix_sort_by_key_with`]. An argsort is [`argsort_by_counting`] for
//! few distinct values, else [`argsort_into`] (a sort of `(key, position)`
//! pairs that it makes and reads back on the way).
//! [`radix_sort_by_key_into`] is the stable sorted copy by any key.
//!
//! # Algorithm
//!
//! A hybrid radix sort: one most-significant-digit split out of cache, then
//! least-significant-digit sorts in cache. Measured on 10M float32 with
//! `examples/sort_radix.rs`, which times it against the previous hybrid
//! ([`hybrid`]), the plain LSD sort before it ([`lsd`]) and NumPy in the
//! same run.
//!
//! - Why not plain LSD: each of its out-of-cache passes scatters every
//!   element into one of 2048 buckets per thread, and those 2048 open write
//!   streams make a pass far slower than moving its bytes (three passes
//!   for 10M float32 took 63 ms on the quiet machine, where reading and
//!   writing 40 MB three times needs under 10 ms); `u64` keys need six.
//! - **Split** (inputs larger than a leaf): one read pass counts a histogram
//!   of the top 16 bits of `key - lo` over the range the keys are known to
//!   lie in (the key type's at first), and finds the actual smallest and
//!   largest key; when the actual range is much narrower (small integers,
//!   few distinct values, floats of one sign) a second pass counts the
//!   histogram over it, so that the bins cover the keys that occur.
//!   Consecutive bins are merged into buckets of up to a leaf's worth
//!   (256 KiB: a bucket and its scratch fit in a 1 MiB L2), and one stable
//!   scatter pass moves every element to its bucket: the input is cut into
//!   one chunk per thread, each thread writes its chunk into its own part
//!   of every bucket (parts of earlier chunks first). There are about
//!   `n / leaf` open write streams (160 for 10M float32) instead of 2048.
//!   The out-of-place entries read the caller's input in these two passes,
//!   so a sorted copy costs no copy.
//! - **The split's passes, made cheaper.** The histogram pass computes
//!   its keys in blocks of `HIST_BLOCK` on the stack, compiled for the
//!   widest vectors, so the smallest and
//!   largest key come from vector minimum and maximum instead of two
//!   dependent compare-and-move chains per key, and counts into two (or
//!   four) tables in turn. A scatter of at least `SCATTER_STREAM_BYTES` goes through a
//!   cache-line buffer per bucket, written out with non-temporal stores
//!   once full (`simd::Streamer::scatter`): the plain scatter's stores to
//!   160 lines not in cache each read their line first and hold up the
//!   stores behind them. The conversion of sorted keys back to elements
//!   is compiled for the widest vectors too. 10M float32 on two threads of
//!   a 2-core Intel Xeon with AVX-512 (`examples/sort_prof.rs`, same
//!   binary with a temporary switch): the streamed scatter 48–50 → 41–43
//!   ms; with all three, 52.8 → 40–42 ms against NumPy's 50 ms.
//! - **Leaves**: the buckets are sorted in parallel. Each knows its key
//!   range from its bins, so its LSD sort cuts digits of at most 11 bits
//!   from the bits that vary within that range (two passes for a float32
//!   bucket of 10M uniform values instead of three over the whole key),
//!   counts all digits in one read pass and skips digits that turn out
//!   constant. The passes go back and forth between the bucket (just read
//!   by the count) and a per-thread buffer, both in cache, and one
//!   sequential copy writes the result where it belongs: the previous
//!   hybrid scattered one pass straight into the other buffer, whose lines
//!   were not in cache. Tiny buckets are sorted by insertion.
//! - **Keys**: the key function (about ten instructions for a float) ran
//!   once per element per pass, five times in all; the profile put half of
//!   each leaf pass there. [`radix_sort_keys_into`] computes the key in
//!   the two split passes, scatters the keys, sorts them with no key
//!   function, and turns each back into its element once. This needs a
//!   key that can be inverted, so `-0.0` and `0.0` (and NaNs) get
//!   different keys: fine when equal keys are equal values or the caller
//!   asked for an unstable sort.
//! - **Bins larger than a leaf** (float64, whose top 16 key bits hold only
//!   4 mantissa bits; skewed data). A sample of 4096 keys predicts which
//!   bins will hold more than a leaf; if those hold an eighth of the
//!   sample or more, the counting pass counts them in finer bins (each cut
//!   into `2^s` equal key ranges of about a quarter of a leaf by the
//!   prediction: one table load, a shift and an add per key), and the one
//!   scatter leaves (nearly) every element in a bucket that fits in cache.
//!   10M float64 (`examples/sort_data.rs`, 2-core Zen 4): uniform in [-5,
//!   5) 92 → 85 ms, normal 92 → 86 ms. Refining costs every key of the
//!   count and scatter, so bins that fit in a leaf are not refined
//!   (float32 uniform: 38 ms, 49 ms if its bins of half a leaf were).
//!   A bucket still larger than a leaf (a bin the sample underestimated,
//!   or one of few keys) is split again on its own, narrower, range (the
//!   sorts that scatter into a buffer of another type, keys or pairs, use
//!   the thread's leaf buffer as the split's scratch); a bucket whose keys
//!   are all equal is done after its counting pass.
//! - **Argsort** ([`argsort_into`]) sorts `(key, position)` pairs that the
//!   split's scatter makes from the elements (each position from the
//!   element's address in the input) and writes each sorted leaf out as
//!   indices: no pass to build the pairs, none to read them back (10M
//!   float32 58 → 50 ms, float64 131 → 110 ms at kernel level).
//! - **Few distinct values, sorted by counting.** When every histogram bin
//!   holds a single key, the counts *are* the sorted keys, and a sort of
//!   bijective keys ([`radix_sort_keys_into`]) writes runs of each key's
//!   element straight into the output, with no scatter, no leaves and no
//!   scratch memory. The bins are single keys when the keys span no more
//!   values than there are bins (`uint8`, `int16`, `float16`, integers in
//!   a small range such as class labels: the second counting pass bins
//!   the actual range), or when a few distinct values lie far apart
//!   (labels stored as floats): if at most `SINGLE_KEY_BINS` bins are
//!   used, a sample gives each used bin a key and one read-only pass checks
//!   that every key equals its bin's (it stops at the first that does not,
//!   at once for most other data). The same holds inside a bucket larger
//!   than a leaf. Measured on 10M elements (`examples/sort_data.rs`, reused
//!   buffers, 2-core Intel Xeon): `u32` in `0..1000` 57 → 8 ms, ten
//!   distinct float32 values 55 → 13 ms.
//! - **The counting pass, for clustered keys.** A sample of `SAMPLE` keys
//!   predicts the range: when it is much narrower than the range the keys
//!   are known to lie in, a vectorised pass finds the actual smallest and
//!   largest key first, and the histogram is counted once over that range
//!   (counting over the wide range would put every key in a few bins,
//!   whose increments wait on each other, and then count again).
//!   Consecutive keys count into two tables, or four when the bins are
//!   few; the tables live in a per-thread buffer reused from sort to sort:
//!   fresh zeroed memory maps each page to the shared zero page, and the
//!   first increment on it faults and flushes every core's TLB (a VM exit
//!   per core), which had cost the ten-value sort above a third of its
//!   time.
//! - Inputs of up to a leaf's worth are sorted as one leaf; up to 96
//!   elements by the standard library's stable sort.
//!
//! The scatter and every LSD pass are stable, so the whole sort is: elements
//! with equal keys keep their input order, which the core relies on for
//! stable sorts and for argsort (sorting `(key, position)` pairs).
//!
//! The key function is called once per element per pass; it should be
//! branch-free (a branch on the sign of random floats mispredicts half the
//! time and made the sort three times slower).
//!
//! Measured (10M float32 uniform in [-5, 5), a sorted copy as `np.sort`
//! returns, 2-core Zen 5 shared with other builds): a profile of the
//! previous hybrid put half the time in the leaves, 28% in the scatter,
//! 14% in the histogram pass and 5% in copies; in the leaves, most of it
//! in the scatter loop, whose key function is half its instructions. Wall
//! times were useless at load average 6–9 (NumPy's own sort took 0.6–1.9 s
//! instead of 35 ms), so `examples/sort_prof.rs` measures process CPU time
//! (schedstat, single thread, best of 10, algorithms interleaved in one
//! session, load average 9.3): previous hybrid (copy, then sort) 95–97 ms,
//! [`radix_sort_by_key_into`] (stable, no copy, leaves in cache) 87–88 ms
//! (1.1× less), [`radix_sort_keys_into`] (unstable float sort, and every
//! integer sort) 66–67 ms (1.45× less). On the quiet machine the previous
//! hybrid took ≈ 37 ms on two threads, so the key sort should take
//! ≈ 25 ms against NumPy's 35 ms (≈ 1.4×, short of the 1.5× target; the
//! scatter and histogram passes are next, see `docs/decisions.md`).

use rayon::prelude::*;

pub mod hybrid;
pub mod lsd;

/// An unsigned integer sort key.
pub trait RadixKey: Copy + Ord + Send + Sync + std::ops::Not<Output = Self> {
    /// Number of bytes.
    const BYTES: usize;
    /// The largest key.
    const MAX: Self;
    /// The key widened to 64 bits (digits are cut from this).
    fn to_u64(self) -> u64;
    /// The key whose [`to_u64`](RadixKey::to_u64) is `v`, which must fit.
    fn from_u64(v: u64) -> Self;
}

macro_rules! radix_key {
    ($($t:ty),*) => {$(
        impl RadixKey for $t {
            const BYTES: usize = std::mem::size_of::<$t>();
            const MAX: Self = <$t>::MAX;
            #[inline(always)]
            fn to_u64(self) -> u64 {
                self as u64
            }
            #[inline(always)]
            fn from_u64(v: u64) -> Self {
                v as $t
            }
        }
    )*};
}
radix_key!(u8, u16, u32, u64);

/// Inputs up to this length use the standard library's stable sort.
const SMALL: usize = 96;
/// Bytes of output from which the split's scatter writes through
/// cache-line buffers with non-temporal stores (`simd::Streamer::scatter`):
/// measured on 2-core Intel Xeon (AVX-512), 10M float32, the scatter took
/// 15% less wall time on two threads; at 1M (4 MiB) the plain scatter was
/// faster (its output stays in cache for the leaves), at 3M (12 MiB) the
/// streamed one.
const SCATTER_STREAM_BYTES: usize = 8 << 20;
/// Keys per block of the histogram pass: computed into a buffer on the
/// stack, so that the smallest and largest key are found by vector
/// instructions, not by two dependent compare-and-move chains per key.
const HIST_BLOCK: usize = 256;
/// The shortest input [`argsort_by_counting`] tries to sort.
const COUNTING_ARGSORT_MIN: usize = 1 << 14;
/// Keys the split samples to predict their range.
const SAMPLE: usize = 256;
/// Keys the split of an input of several buckets samples to predict their
/// range and which histogram bins to refine.
const REFINE_SAMPLE: usize = 4096;
/// The most bits by which a histogram bin is refined.
const REFINE_BITS_MAX: u32 = 10;
/// Bins are refined only if those to be refined hold at least this share
/// (`1 / REFINE_SHARE`) of the sample: the finer bins make every key's
/// count and scatter slower (10M uniform float32, whose bins hold about
/// half a bucket: 38 ms sorted, 49 ms under a first rule that refined bins
/// predicted to hold more than half a bucket).
const REFINE_SHARE: usize = 8;
/// The most fine bins that refinement adds to a histogram.
const REFINE_BINS_MAX: usize = 1 << 16;
/// The most used histogram bins for which a sort by bijective keys, or
/// [`argsort_by_counting`], checks whether each holds a single key
/// ([`Histogram::find_single_keys`]); also the most bins whose indices
/// `argsort_by_counting` writes through cache-line buffers.
const SINGLE_KEY_BINS: usize = 4096;
/// Keys sampled to find the key of every used bin in that check.
const SINGLE_KEY_SAMPLE: usize = 16384;
/// Buckets up to this length are sorted by insertion.
const INSERTION_MAX: usize = 32;
/// A bucket of up to this many bytes (and its scratch, as many again) is
/// sorted by the in-cache LSD sort; larger ones are split again.
const LEAF_BYTES: usize = 256 << 10;
/// The most bits of the key range the histogram of a split resolves.
const HIST_BITS: u32 = 16;
/// The widest digit of the in-cache LSD sort.
const DIGIT_MAX: u32 = 11;
/// Leaves shorter than this take digits of at most 8 bits (counting and
/// summing 2048 bins per digit would cost more than the elements).
const NARROW_LEAF: usize = 1 << 13;
/// Inputs of at least this length are counted and scattered on several
/// threads.
const PAR_MIN: usize = 1 << 17;
/// The smallest chunk a thread counts and scatters.
const CHUNK_MIN: usize = 1 << 16;
/// The largest chunk (its counts are `u32`).
const CHUNK_MAX: usize = 1 << 31;

/// Sorts `v` stably by `key(x)` (ascending integer order of the key),
/// allocating its own scratch memory.
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
    let mut scratch = v.to_vec();
    sort_rec(v, &mut scratch, false, (0, K::MAX.to_u64()), &|x: &T| key(x).to_u64());
}

/// Sorts `v` stably by `key(x)` like [`radix_sort_by_key`], using `scratch`
/// (whose contents do not matter and are left unspecified) as working
/// memory. A caller that owns fast memory (huge pages, a reused buffer)
/// saves the cost of faulting in fresh pages. If `scratch` is shorter than
/// `v`, the sort allocates its own.
pub fn radix_sort_by_key_with<T, K, F>(v: &mut [T], scratch: &mut [T], key: F)
where
    T: Copy + Send + Sync,
    K: RadixKey,
    F: Fn(&T) -> K + Sync,
{
    let n = v.len();
    if n <= SMALL {
        v.sort_by_key(|x| key(x));
    } else if scratch.len() < n {
        radix_sort_by_key(v, key);
    } else {
        sort_rec(v, &mut scratch[..n], false, (0, K::MAX.to_u64()), &|x: &T| key(x).to_u64());
    }
}

/// Writes the elements of `src` into `dst`, sorted stably by `key(x)`;
/// `src` is left as it is. This is the sort with a copy (NumPy's
/// `np.sort`) without the copy: the first pass reads `src` itself, so it
/// saves reading and writing every element once against copying `src`
/// into `dst` and sorting there. `scratch` is working memory as in
/// [`radix_sort_by_key_with`] (allocated by the sort if shorter than
/// `src`).
///
/// # Panics
///
/// If `dst` is not as long as `src` (a caller's bug, not bad data).
pub fn radix_sort_by_key_into<T, K, F>(src: &[T], dst: &mut [T], scratch: &mut [T], key: F)
where
    T: Copy + Send + Sync,
    K: RadixKey,
    F: Fn(&T) -> K + Sync,
{
    let n = src.len();
    assert_eq!(dst.len(), n, "radix_sort_by_key_into: dst must be as long as src");
    if n <= leaf_max::<T>() || scratch.len() < n {
        // Small inputs sort in cache anyway; without scratch the copy into
        // `dst` is the cheaper allocation.
        copy(src, dst, n >= PAR_MIN);
        return radix_sort_by_key_with(dst, scratch, key);
    }
    let key = |x: &T| key(x).to_u64();
    let scratch = &mut scratch[..n];
    let h = histogram(src, (0, K::MAX.to_u64()), &key, leaf_max::<T>());
    if h.all_equal() {
        return copy(src, dst, h.parallel);
    }
    let parallel = h.parallel;
    let buckets = scatter(src, scratch, h, &key, &|x: &T| *x);
    sort_buckets(scratch, dst, &buckets, parallel, &|tmp, (fb, tb, range)| bucket(fb, tb, true, range, &key, tmp));
}

/// Writes the elements of `src` into `dst` sorted by `to_key(x)`, which
/// must be a bijection (`from_key(to_key(x))` is `x`, bit for bit) whose
/// integer order is the wanted order. Equal keys are then equal elements,
/// so the result is the one of a stable sort, but elements that the caller
/// considers equal and whose bits differ (`-0.0` and `0.0`, NaNs) must get
/// different keys: in their key order, not their input order (fine for an
/// unstable sort). Every pass after the split's works on the keys
/// themselves, so `to_key` runs only in the split's read passes (counting,
/// at most two of them, the single-key check when few bins are used, and
/// the scatter) and `from_key` once per element, instead of the key
/// function once per pass. `scratch` (allocated by the sort if shorter than `src`) holds the
/// keys.
///
/// # Panics
///
/// If `dst` is not as long as `src` (a caller's bug, not bad data).
pub fn radix_sort_keys_into<T, K, F, G>(src: &[T], dst: &mut [T], scratch: &mut [K], to_key: F, from_key: G)
where
    T: Copy + Send + Sync,
    K: RadixKey,
    F: Fn(T) -> K + Sync,
    G: Fn(K) -> T + Sync,
{
    let n = src.len();
    assert_eq!(dst.len(), n, "radix_sort_keys_into: dst must be as long as src");
    let ident = |k: &K| k.to_u64();
    let unkey = |r: &[K], t: &mut [T]| t.iter_mut().zip(r).for_each(|(t, &k)| *t = from_key(k));
    let mut own = Vec::new();
    if n <= leaf_max::<K>() {
        let scratch = scratch_of(scratch, &mut own, n);
        scratch.iter_mut().zip(src).for_each(|(k, &x)| *k = to_key(x));
        let mut tmp = Vec::new();
        let in_tmp = leaf_sort(scratch, &mut tmp, None, &ident);
        return unkey(if in_tmp { &tmp[..n] } else { scratch }, dst);
    }
    let key = |x: &T| to_key(*x).to_u64();
    let mut h = histogram(src, (0, K::MAX.to_u64()), &key, leaf_max::<K>());
    h.find_single_keys(src, &key);
    if h.all_equal() {
        // Equal keys: equal elements.
        return copy(src, dst, h.parallel);
    }
    if h.exact() {
        return fill_runs(dst, &h, |k| from_key(K::from_u64(k)));
    }
    let target = leaf_max::<K>();
    let scratch = scratch_of(scratch, &mut own, n);
    let parallel = h.parallel;
    let buckets = scatter(src, scratch, h, &key, &|x: &T| to_key(*x));
    sort_buckets(scratch, dst, &buckets, parallel, &|tmp: &mut Vec<K>, (fb, tb, range)| {
        let len = fb.len();
        if len <= target {
            // Compiled for the widest vectors: the conversion of the keys
            // back to elements vectorises.
            crate::simd::dispatch_wide(
                #[inline(always)]
                || {
                    let in_tmp = leaf_sort(fb, tmp, Some(range), &ident);
                    unkey(if in_tmp { &tmp[..len] } else { fb }, tb);
                },
            )
        } else {
            // One histogram bin larger than a leaf: skewed data, or few
            // distinct values (then the bucket's own histogram is exact).
            let mut h = histogram(fb, range, &ident, target);
            h.find_single_keys(fb, &ident);
            if h.all_equal() {
                fill(tb, from_key(fb[0]), h.parallel);
            } else if h.exact() {
                fill_runs(tb, &h, |k| from_key(K::from_u64(k)));
            } else {
                // The thread's leaf buffer is the split's scratch: reused,
                // not fresh pages to fault in for every such bucket.
                if tmp.len() < len {
                    tmp.resize(len, K::MAX);
                }
                sort_split(fb, &mut tmp[..len], false, h, &ident);
                unkey(fb, tb);
            }
        }
    })
}

/// Writes the stable sorting permutation of `src` by `key(x)` into `out`,
/// as `index(i)` for position `i`: the sort of `(key, position)` pairs,
/// without a pass to build the pairs or one to read them back. The split's
/// scatter makes each pair from the element it moves (its position from
/// its address in `src`), and each leaf, once sorted in cache, writes its
/// positions out as indices. `scratch` holds the pairs (allocated by the
/// sort if shorter than `src`).
///
/// # Panics
///
/// If `out` is not as long as `src`, or `src` has more than `u32::MAX`
/// elements (callers' bugs, not bad data).
pub fn argsort_into<T, K, F, I, G>(src: &[T], out: &mut [I], scratch: &mut [(K, u32)], key: F, index: G)
where
    T: Copy + Send + Sync,
    K: RadixKey,
    F: Fn(&T) -> K + Sync,
    I: Copy + Send + Sync,
    G: Fn(usize) -> I + Sync,
{
    let n = src.len();
    assert_eq!(out.len(), n, "argsort_into: out must be as long as src");
    assert!(u32::try_from(n).is_ok(), "argsort_into: positions must fit in u32");
    let pair_key = |p: &(K, u32)| p.0.to_u64();
    let unpair = |r: &[(K, u32)], o: &mut [I]| o.iter_mut().zip(r).for_each(|(o, p)| *o = index(p.1 as usize));
    let mut own;
    let scratch = if scratch.len() >= n {
        &mut scratch[..n]
    } else {
        own = vec![(K::MAX, 0); n];
        &mut own[..]
    };
    let target = leaf_max::<(K, u32)>();
    if n <= target || size_of::<T>() == 0 {
        // (Positions of zero-sized elements cannot come from addresses.)
        scratch.iter_mut().zip(src).enumerate().for_each(|(i, (p, x))| *p = (key(x), i as u32));
        let mut tmp = Vec::new();
        let in_tmp = leaf_sort(scratch, &mut tmp, None, &pair_key);
        return unpair(if in_tmp { &tmp[..n] } else { scratch }, out);
    }
    let key64 = |x: &T| key(x).to_u64();
    let h = histogram(src, (0, K::MAX.to_u64()), &key64, target);
    if h.all_equal() {
        let ident = |(i, o): (usize, &mut I)| *o = index(i);
        return if h.parallel {
            out.par_iter_mut().enumerate().for_each(ident)
        } else {
            out.iter_mut().enumerate().for_each(ident)
        };
    }
    // The scatter passes references into `src` itself.
    let (base, size) = (src.as_ptr().addr(), size_of::<T>());
    let pair = |x: &T| (key(x), ((std::ptr::from_ref(x).addr() - base) / size) as u32);
    let parallel = h.parallel;
    let buckets = scatter(src, scratch, h, &key64, &pair);
    sort_buckets(scratch, out, &buckets, parallel, &|tmp: &mut Vec<(K, u32)>, (fb, tb, range)| {
        let len = fb.len();
        if len <= target {
            let in_tmp = leaf_sort(fb, tmp, Some(range), &pair_key);
            unpair(if in_tmp { &tmp[..len] } else { fb }, tb);
            return;
        }
        // One histogram bin larger than a leaf: split it again, with the
        // thread's leaf buffer as scratch. Equal keys are in input order.
        let h = histogram(fb, range, &pair_key, target);
        if !h.all_equal() {
            if tmp.len() < len {
                tmp.resize(len, (K::MAX, 0));
            }
            sort_split(fb, &mut tmp[..len], false, h, &pair_key);
        }
        unpair(fb, tb);
    })
}

/// Writes the stable sorting permutation of `src` by `key(x)` into `out`
/// (as `index(i)` for position `i`) by counting, if the keys are of few
/// distinct values: returns whether it did (else `out` is left unspecified
/// and the caller sorts `(key, index)` pairs, see [`argsort_into`]).
///
/// When every histogram bin of the keys holds a single key (see the
/// module docs, "Few distinct values"), the positions of each key's run
/// follow from the counts, and one pass writes every index into its run
/// in input order: no pairs to build, scatter, sort and read back. A
/// sample of the keys decides whether to try: a range narrower than the
/// histogram's bins, or few distinct values in it. When the sample
/// misleads, up to three read passes are lost (a range, the counts, the
/// single-key check).
///
/// # Panics
///
/// If `out` is not as long as `src` (a caller's bug, not bad data).
pub fn argsort_by_counting<T, K, F, I, G>(src: &[T], out: &mut [I], key: F, index: G) -> bool
where
    T: Copy + Send + Sync,
    K: RadixKey,
    F: Fn(&T) -> K + Sync,
    I: Copy + Send + Sync,
    G: Fn(usize) -> I + Sync,
{
    let n = src.len();
    assert_eq!(out.len(), n, "argsort_by_counting: out must be as long as src");
    if n < COUNTING_ARGSORT_MIN {
        return false;
    }
    let key = |x: &T| key(x).to_u64();
    let mut sample: Vec<u64> = src.iter().step_by((n / SAMPLE).max(1)).map(key).collect();
    sample.sort_unstable();
    let spread = sample[sample.len() - 1] - sample[0];
    sample.dedup();
    if spread >> hist_bits(n) != 0 && sample.len() > SAMPLE / 8 {
        return false;
    }
    // No bins refined: the counting needs bins of single keys.
    let mut h = histogram(src, (0, K::MAX.to_u64()), &key, usize::MAX);
    h.find_single_keys(src, &key);
    if h.all_equal() {
        out.par_iter_mut().enumerate().for_each(|(i, o)| *o = index(i));
        return true;
    }
    if !h.exact() {
        return false;
    }
    let Histogram { bounds, hists, lo, shift, .. } = h;
    // A line buffer per bin: for few bins only.
    let stream = std::mem::size_of_val(out) >= SCATTER_STREAM_BYTES && hists[0].len() <= SINGLE_KEY_BINS;
    let slots = cut_slots(out, &hists);
    let one = |(c, mut s): (usize, Vec<&mut [I]>)| {
        let chunk = &src[bounds[c]..bounds[c + 1]];
        let bin = |x: &T| ((key(x) - lo) >> shift) as usize;
        if stream {
            // The scatter passes elements, not positions: an element's
            // position is its address's offset in the chunk (`scatter`
            // passes references into `chunk` itself).
            let (base, size) = (chunk.as_ptr().addr(), size_of::<T>().max(1));
            let at = |x: &T| {
                let i = (std::ptr::from_ref(x).addr().wrapping_sub(base)) / size;
                debug_assert!(i < chunk.len(), "scatter passed an element outside its source");
                index(bounds[c] + i)
            };
            crate::simd::streaming(|st| st.scatter(chunk, &mut s, bin, at));
        } else {
            let mut fill = vec![0u32; s.len()];
            for (i, x) in chunk.iter().enumerate() {
                let b = bin(x);
                s[b][fill[b] as usize] = index(bounds[c] + i);
                fill[b] += 1;
            }
        }
    };
    if slots.len() > 1 {
        slots.into_par_iter().enumerate().for_each(one);
    } else {
        slots.into_iter().enumerate().for_each(one);
    }
    true
}

/// The first `n` elements of the caller's `scratch`, or of `own`, filled
/// with `n` elements, if `scratch` is shorter.
fn scratch_of<'a, K: RadixKey>(scratch: &'a mut [K], own: &'a mut Vec<K>, n: usize) -> &'a mut [K] {
    if scratch.len() >= n {
        &mut scratch[..n]
    } else {
        *own = vec![K::MAX; n];
        own
    }
}

/// The most elements of `T` an in-cache leaf sorts.
fn leaf_max<T>() -> usize {
    (LEAF_BYTES / size_of::<T>().max(1)).max(SMALL)
}

/// Sorts the elements of `src` stably by `key`, leaving the result in
/// `other` (same length) when `into_other`, else in `src`; the other slice
/// is left unspecified. Every key lies in `range` (smallest, largest).
///
/// Large inputs are counted ([`histogram`]) and scattered ([`scatter`])
/// into buckets of consecutive key ranges, each small enough to sort in
/// cache unless a single histogram bin is larger, then every bucket is
/// sorted by [`bucket`].
fn sort_rec<T, F>(src: &mut [T], other: &mut [T], into_other: bool, range: (u64, u64), key: &F)
where
    T: Copy + Send + Sync,
    F: Fn(&T) -> u64 + Sync,
{
    if src.len() <= leaf_max::<T>() {
        // Only the whole input gets here (the caller sorts small buckets by
        // `leaf` itself): `range` is the key type's, so find the actual one.
        leaf(src, other, into_other, None, key, &mut Vec::new());
        return;
    }
    let h = histogram(src, range, key, leaf_max::<T>());
    sort_split(src, other, into_other, h, key);
}

/// [`sort_rec`] after its histogram pass `h` over `src`.
fn sort_split<T, F>(src: &mut [T], other: &mut [T], into_other: bool, h: Histogram, key: &F)
where
    T: Copy + Send + Sync,
    F: Fn(&T) -> u64 + Sync,
{
    if h.all_equal() {
        if into_other {
            copy(src, other, h.parallel);
        }
        return;
    }
    let parallel = h.parallel;
    let buckets = scatter(src, other, h, key, &|x: &T| *x);
    sort_buckets(other, src, &buckets, parallel, &|tmp, (fb, tb, range)| bucket(fb, tb, !into_other, range, key, tmp));
}

/// Sorts one bucket of a split (keys in `range`) from `src`, leaving the
/// result in `other` when `into_other`, else in `src`: by [`leaf`] if it
/// fits in cache, else by [`sort_rec`] on its narrower range.
fn bucket<T, F>(src: &mut [T], other: &mut [T], into_other: bool, range: (u64, u64), key: &F, tmp: &mut Vec<T>)
where
    T: Copy + Send + Sync,
    F: Fn(&T) -> u64 + Sync,
{
    if src.len() <= leaf_max::<T>() {
        leaf(src, other, into_other, Some(range), key, tmp);
    } else {
        sort_rec(src, other, into_other, range, key);
    }
}

/// A bucket of a split: its length and the range of its keys.
type Bucket = (usize, (u64, u64));

/// The counting pass of a split of `src`: the histogram of every chunk
/// that a thread scatters, over bins of consecutive key ranges.
struct Histogram {
    /// The chunks: `bounds[c]..bounds[c + 1]`.
    bounds: Vec<usize>,
    /// Each chunk's count of keys per bin.
    hists: Vec<Vec<u32>>,
    /// The smallest key of bin 0.
    lo: u64,
    /// Bin `b` holds the keys `k` with `(k - lo) >> shift == b`, unless
    /// the bins are refined.
    shift: u32,
    /// Finer bins for the bins a sample predicted to hold more than a
    /// leaf's worth (see [`refine`]): `hists` counts the fine bins then.
    refine: Option<Vec<u64>>,
    /// The smallest and largest key of `src`.
    actual: (u64, u64),
    /// Whether the chunks are counted and scattered on several threads.
    parallel: bool,
    /// The key of every bin, if each holds a single key although the bins
    /// are wider (see [`Histogram::find_single_keys`]).
    keys: Option<Vec<u64>>,
}

impl Histogram {
    /// Whether every key is equal (the bins are then not counted).
    fn all_equal(&self) -> bool {
        self.actual.0 == self.actual.1
    }

    /// Whether every bin holds a single key ([`key`](Histogram::key)):
    /// the counts are then the sorted keys.
    fn exact(&self) -> bool {
        self.shift == 0 || self.keys.is_some()
    }

    /// The key of bin `b` of an [`exact`](Histogram::exact) histogram.
    fn key(&self, b: usize) -> u64 {
        self.keys.as_ref().map_or(self.lo + b as u64, |k| k[b])
    }

    /// Checks whether every bin holds one key only (few distinct values
    /// spread over a wide range: labels stored as floats, rounded values),
    /// which makes the histogram [`exact`](Histogram::exact). Tried only
    /// when at most [`SINGLE_KEY_BINS`] bins are used; one read of `src`,
    /// which stops at the first bin found to hold two keys (at once, for
    /// most data that is not of this kind).
    fn find_single_keys<T, F>(&mut self, src: &[T], key: &F)
    where
        T: Copy + Send + Sync,
        F: Fn(&T) -> u64 + Sync,
    {
        if self.exact() || self.all_equal() || self.refine.is_some() {
            return;
        }
        let totals = self.totals();
        if totals.iter().filter(|&&c| c > 0).count() > SINGLE_KEY_BINS {
            return;
        }
        // Every used bin's key, from a sample; the sample must see every
        // used bin, once it has, the check is a read-only comparison.
        let (lo, shift, bounds) = (self.lo, self.shift, &self.bounds);
        let bin = |k: u64| ((k - lo) >> shift) as usize;
        let mut keys = vec![0u64; totals.len()];
        let mut seen = vec![false; totals.len()];
        for x in src.iter().step_by((src.len() / SINGLE_KEY_SAMPLE).max(1)) {
            let k = key(x);
            let b = bin(k);
            if seen[b] && keys[b] != k {
                return;
            }
            (keys[b], seen[b]) = (k, true);
        }
        if seen.iter().zip(&totals).any(|(&s, &c)| !s && c > 0) {
            return;
        }
        let failed = std::sync::atomic::AtomicBool::new(false);
        let one = |c: usize| {
            crate::simd::dispatch_wide(
                #[inline(always)]
                || {
                    for block in src[bounds[c]..bounds[c + 1]].chunks(HIST_BLOCK) {
                        let diff = block.iter().fold(0, |d, x| {
                            let k = key(x);
                            d | (k ^ keys[bin(k)])
                        });
                        if diff != 0 || failed.load(std::sync::atomic::Ordering::Relaxed) {
                            failed.store(true, std::sync::atomic::Ordering::Relaxed);
                            return;
                        }
                    }
                },
            )
        };
        let chunks = bounds.len() - 1;
        if chunks > 1 {
            (0..chunks).into_par_iter().for_each(one);
        } else {
            one(0);
        }
        if failed.into_inner() {
            return;
        }
        self.keys = Some(keys);
    }

    /// The number of keys in each bin, over all chunks.
    fn totals(&self) -> Vec<usize> {
        let mut t = vec![0usize; self.hists[0].len()];
        for h in &self.hists {
            t.iter_mut().zip(h).for_each(|(t, &c)| *t += c as usize);
        }
        t
    }
}

/// How many bits of the key range the histogram of `n` keys resolves:
/// [`HIST_BITS`], fewer for short inputs (at least 8 keys per bin).
fn hist_bits(n: usize) -> u32 {
    (usize::BITS - (n / 8).leading_zeros()).clamp(8, HIST_BITS)
}

/// Counts the keys of `src` (every key in `range`) by their top
/// [`hist_bits`] bits, cutting `src` into one chunk per thread; the
/// elements will be scattered into buckets of up to `target` elements
/// (`usize::MAX`: the bins are not to be refined).
///
/// The bins should cover the keys that occur, not the key type, so that
/// they are [`exact`](Histogram::exact) when the keys span fewer values
/// than there are bins. When a sample of the keys spans a much narrower
/// range than `range`, a vectorised pass finds the actual range and one
/// pass counts over it. Else the first pass counts over `range` and finds
/// the actual range; when that turns out much narrower (a sample can miss
/// it), a second pass counts over it.
///
/// For inputs of several buckets, a larger sample also predicts which
/// bins will hold more than a bucket; those are counted in finer
/// bins ([`refine`]), so that one scatter leaves (nearly) every element in
/// a bucket that sorts in cache, instead of splitting a large bucket again.
fn histogram<T, F>(src: &[T], range: (u64, u64), key: &F, target: usize) -> Histogram
where
    T: Copy + Send + Sync,
    F: Fn(&T) -> u64 + Sync,
{
    let n = src.len();
    let threads = if n >= PAR_MIN { rayon::current_num_threads().clamp(1, n / CHUNK_MIN) } else { 1 };
    let chunks = threads.max(n.div_ceil(CHUNK_MAX));
    let bounds: Vec<usize> = (0..=chunks).map(|c| c * (n / chunks) + c.min(n % chunks)).collect();
    let hist_bits = hist_bits(n);
    let bins_of = |(lo, hi): (u64, u64)| {
        let bits = u64::BITS - (hi - lo).leading_zeros();
        let shift = bits.saturating_sub(hist_bits);
        (shift, ((hi - lo) >> shift) as usize + 1)
    };
    let (mut shift, bins) = bins_of(range);
    let mut lo = range.0;
    let narrower = |r: (u64, u64)| bins_of(r).0 + 1 < shift;
    // Keys spread evenly over a sample of the input predict its range, and
    // which bins to refine.
    let refining = n / 4 >= target;
    let size = if refining { REFINE_SAMPLE } else { SAMPLE };
    let mut sample: Vec<u64> = src.iter().step_by((n / size).max(1)).map(key).collect();
    sample.sort_unstable();
    let plan = |lo, shift, bins| if refining { refine(&sample, lo, shift, bins, n, target) } else { None };
    let count = |lo, shift, bins, refined: &Option<Vec<u64>>| {
        let bins = refined.as_deref().map_or(bins, |ent| fine_bins(ent, shift));
        histogram_chunks(src, &bounds, lo, shift, bins, refined.as_deref(), key)
    };
    let (hists, actual, refined) = if narrower((sample[0], sample[sample.len() - 1])) {
        // A narrow sample: find the actual range by a cheaper pass, then
        // count once over it. (Counting over the whole `range` would put
        // every key in a few bins, whose increments wait on each other.)
        let actual = min_max_chunks(src, &bounds, key);
        if actual.0 == actual.1 {
            (Vec::new(), actual, None)
        } else {
            let bins;
            (shift, bins) = bins_of(actual);
            lo = actual.0;
            let refined = plan(lo, shift, bins);
            (count(lo, shift, bins, &refined).0, actual, refined)
        }
    } else {
        let mut refined = plan(lo, shift, bins);
        let (mut hists, actual) = count(lo, shift, bins, &refined);
        if actual.0 != actual.1 && narrower(actual) {
            let fine_bins;
            (shift, fine_bins) = bins_of(actual);
            lo = actual.0;
            refined = plan(lo, shift, fine_bins);
            hists = count(lo, shift, fine_bins, &refined).0;
        }
        (hists, actual, refined)
    };
    Histogram { bounds, hists, lo, shift, refine: refined, actual, parallel: threads > 1, keys: None }
}

/// Plans finer bins for the histogram bins `(key - lo) >> shift` (`bins`
/// of them) that the sorted `sample` of `n` keys predicts to hold more
/// than a bucket of `target` elements (if they hold a large enough share
/// of the keys, see [`REFINE_SHARE`]): each is cut into `2^s` bins
/// of equal key ranges, about a quarter of a bucket each by the
/// prediction, for [`scatter`] to merge into buckets. A bin whose sampled
/// keys are all equal is left alone (it may hold a single key; see
/// [`Histogram::find_single_keys`]). Returns an entry for every bin (see
/// [`fine_bin`]; fine bins follow the order of their keys), or `None` if
/// no bin is to be refined.
///
/// A bin that the sample underestimates still sorts: its bucket is split
/// again.
fn refine(sample: &[u64], lo: u64, shift: u32, bins: usize, n: usize, target: usize) -> Option<Vec<u64>> {
    if shift == 0 {
        return None;
    }
    let mut heavy: Vec<(usize, u32)> = Vec::new();
    let (mut added, mut mass) = (0, 0);
    for group in sample.chunk_by(|a, b| (a - lo) >> shift == (b - lo) >> shift) {
        let predicted = group.len() * n / sample.len();
        if predicted <= target || group[0] == group[group.len() - 1] {
            continue;
        }
        let bits =
            (predicted * 4).div_ceil(target).next_power_of_two().trailing_zeros().min(REFINE_BITS_MAX).min(shift);
        added += (1 << bits) - 1;
        if added > REFINE_BINS_MAX {
            break;
        }
        heavy.push((((group[0] - lo) >> shift) as usize, bits));
        mass += group.len();
    }
    if mass < sample.len() / REFINE_SHARE {
        return None;
    }
    let mut heavy = heavy.into_iter().peekable();
    let mut first = 0u32;
    // Bin `c` refined by `bits` holds fine bins `first..first + (1 <<
    // bits)`, of keys `lo + d` with `d >> (shift - bits)` equal to `(c <<
    // bits) + j`: the entry is `shift - bits` and `first - (c << bits)`.
    let ent = (0..bins)
        .map(|c| {
            let bits = heavy.next_if(|h| h.0 == c).map_or(0, |h| h.1);
            let e = u64::from(shift - bits) << 32 | u64::from(first.wrapping_sub((c as u32) << bits));
            first += 1 << bits;
            e
        })
        .collect();
    Some(ent)
}

/// The first fine bin and the number of bits by which bin `c` is refined
/// under the refinement `ent` (by [`refine`]) of bins `d >> shift`.
fn fine_first(ent: &[u64], c: usize, shift: u32) -> (usize, u32) {
    let bits = shift - (ent[c] >> 32) as u32;
    ((ent[c] as u32).wrapping_add((c as u32) << bits) as usize, bits)
}

/// The number of fine bins of a refinement planned by [`refine`].
fn fine_bins(ent: &[u64], shift: u32) -> usize {
    let (first, bits) = fine_first(ent, ent.len() - 1, shift);
    first + (1 << bits)
}

/// The fine bin of the key `lo + d` under the refinement `ent` (by
/// [`refine`]) of the bins `d >> shift`: one load, one shift, one add.
#[inline(always)]
fn fine_bin(ent: &[u64], d: u64, shift: u32) -> usize {
    let e = ent[(d >> shift) as usize];
    (e as u32).wrapping_add((d >> (e >> 32)) as u32) as usize
}

/// The smallest key of bin `b` of a histogram whose bin `c` starts at
/// `lo + (c << shift)`, or of fine bin `b` if the bins are refined by
/// `ent`; `None` past `u64::MAX` (the fine bins of the last bin reach
/// past the largest key).
fn bin_start(lo: u64, shift: u32, refine: Option<&[u64]>, b: usize) -> Option<u64> {
    match refine {
        None => lo.checked_add((b as u64) << shift),
        Some(ent) => {
            // The last bin whose first fine bin is at most `b`.
            let (mut c, mut end) = (0, ent.len());
            while end - c > 1 {
                let mid = (c + end) / 2;
                if fine_first(ent, mid, shift).0 <= b {
                    c = mid;
                } else {
                    end = mid;
                }
            }
            let (first, bits) = fine_first(ent, c, shift);
            lo.checked_add((c as u64) << shift)?.checked_add(((b - first) as u64) << (shift - bits))
        }
    }
}

/// Scatters `src` stably into `dst` by the bins of its histogram `h` (not
/// [`all_equal`](Histogram::all_equal)), each element `x` written as
/// `conv(x)`, into buckets of consecutive bins holding up to a leaf's worth
/// (or one bin, if it holds more). Returns the buckets in order.
fn scatter<T, U, F, C>(src: &[T], dst: &mut [U], h: Histogram, key: &F, conv: &C) -> Vec<Bucket>
where
    T: Copy + Send + Sync,
    U: Copy + Send + Sync,
    F: Fn(&T) -> u64 + Sync,
    C: Fn(&T) -> U + Sync,
{
    let Histogram { bounds, hists, lo, shift, refine, actual: (_, hi), .. } = h;
    let bins = hists[0].len();
    // Buckets: runs of consecutive bins holding up to a leaf's worth.
    let target = leaf_max::<U>();
    // (`u32`: refined histograms have more than 2^16 bins.)
    let mut map = vec![0u32; bins];
    // First bin and length of every bucket.
    // First bin, length and last bin holding keys of every bucket. A
    // bucket starts at a bin holding keys (or bin 0) and its range ends
    // with its last such bin: a leaf's range spans no empty bins.
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    for (b, m) in map.iter_mut().enumerate() {
        let c: usize = hists.iter().map(|h| h[b] as usize).sum();
        match runs.last_mut() {
            Some(last) if last.1 == 0 || c == 0 || last.1 + c <= target => {
                last.1 += c;
                if c > 0 {
                    last.2 = b;
                }
            }
            _ => runs.push((b, c, b)),
        }
        *m = (runs.len() - 1) as u32;
    }
    let counts: Vec<Vec<u32>> = hists
        .iter()
        .map(|h| {
            let mut c = vec![0u32; runs.len()];
            for (&m, &x) in map.iter().zip(h) {
                c[m as usize] += x;
            }
            c
        })
        .collect();
    drop(hists);
    let refine = refine.as_deref();
    scatter_chunks(src, dst, &bounds, &counts, &map, (lo, shift, refine), key, conv);
    let start = |b| bin_start(lo, shift, refine, b);
    runs.iter()
        .map(|&(first, len, last)| {
            // (A bin that holds keys starts at most at the largest, `hi`.)
            let top = if last + 1 < bins { start(last + 1).map_or(hi, |s| (s - 1).min(hi)) } else { hi };
            (len, (start(first).unwrap_or(lo), top))
        })
        .collect()
}

/// Runs `one(tmp, (from bucket, to bucket, range))` on every bucket of
/// `from` and the same place of `to` (cut by `buckets`, in order), in
/// parallel when `parallel`; each thread reuses one `tmp` buffer.
fn sort_buckets<T, U, O>(from: &mut [T], to: &mut [U], buckets: &[Bucket], parallel: bool, one: &O)
where
    T: Copy + Send + Sync,
    U: Copy + Send + Sync,
    O: Fn(&mut Vec<T>, (&mut [T], &mut [U], (u64, u64))) + Sync,
{
    let mut parts = Vec::with_capacity(buckets.len());
    let (mut f, mut t) = (from, to);
    for &(len, range) in buckets {
        let (fb, fr) = f.split_at_mut(len);
        let (tb, tr) = t.split_at_mut(len);
        (f, t) = (fr, tr);
        parts.push((fb, tb, range));
    }
    if parallel {
        parts.into_par_iter().for_each_init(Vec::new, one);
    } else {
        let mut tmp = Vec::new();
        parts.into_iter().for_each(|p| one(&mut tmp, p));
    }
}

fn min_max<T>(src: &[T], key: impl Fn(&T) -> u64) -> (u64, u64) {
    src.iter().fold((u64::MAX, 0), |(lo, hi), x| {
        let k = key(x);
        (lo.min(k), hi.max(k))
    })
}

/// Computes the keys of `src` in blocks of `HIST_BLOCK` on the stack,
/// hands each block to `each`, and returns the smallest and largest key
/// (vector minimum and maximum when compiled for wide vectors, not two
/// dependent compare-and-move chains per key).
#[inline(always)]
fn key_blocks<T, F>(src: &[T], key: &F, mut each: impl FnMut(&[u64])) -> (u64, u64)
where
    F: Fn(&T) -> u64,
{
    let (mut min, mut max) = (u64::MAX, 0);
    let mut keys = [0u64; HIST_BLOCK];
    for block in src.chunks(HIST_BLOCK) {
        let keys = &mut keys[..block.len()];
        keys.iter_mut().zip(block).for_each(|(k, x)| *k = key(x));
        min = keys.iter().fold(min, |m, &k| m.min(k));
        max = keys.iter().fold(max, |m, &k| m.max(k));
        each(keys);
    }
    (min, max)
}

/// The smallest and largest key of each chunk `bounds[c]..bounds[c + 1]`
/// of `src`, folded.
fn min_max_chunks<T, F>(src: &[T], bounds: &[usize], key: &F) -> (u64, u64)
where
    T: Copy + Send + Sync,
    F: Fn(&T) -> u64 + Sync,
{
    let one = |c: usize| {
        crate::simd::dispatch_wide(
            #[inline(always)]
            || key_blocks(&src[bounds[c]..bounds[c + 1]], key, |_| {}),
        )
    };
    let fold = |a: (u64, u64), b: (u64, u64)| (a.0.min(b.0), a.1.max(b.1));
    if bounds.len() > 2 {
        (0..bounds.len() - 1).into_par_iter().map(one).reduce(|| (u64::MAX, 0), fold)
    } else {
        one(0)
    }
}

thread_local! {
    /// The counting tables of [`histogram_chunks`] on this thread (at most
    /// 512 KiB, about 1 MiB for a refined histogram), reused: in a fresh zeroed allocation every page is first
    /// mapped to the shared zero page, and the first increment on it then
    /// faults and flushes the TLB of every core (in a VM, an exit per core).
    static TABLES: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Counts `bin(k)` of every key into `W` tables of `bins` counts each in
/// `tables`, key `i` into table `i % W`.
#[inline(always)]
fn count_ways<const W: usize>(keys: &[u64], tables: &mut [u32], bins: usize, bin: impl Fn(u64) -> usize) {
    let mut groups = keys.chunks_exact(W);
    for g in &mut groups {
        for (w, &k) in g.iter().enumerate() {
            tables[w * bins + bin(k)] += 1;
        }
    }
    for &k in groups.remainder() {
        tables[bin(k)] += 1;
    }
}

/// Counts `bin(key(x))` of every element of `src` into `ways` (2 or 4)
/// tables of `bins` counts in `tables` ([`count_ways`]), and returns the
/// smallest and largest key.
#[inline(always)]
fn count_keys<T, F>(
    src: &[T],
    key: &F,
    tables: &mut [u32],
    bins: usize,
    ways: usize,
    bin: impl Fn(u64) -> usize,
) -> (u64, u64)
where
    F: Fn(&T) -> u64,
{
    key_blocks(src, key, |keys| {
        if ways == 4 {
            count_ways::<4>(keys, tables, bins, &bin);
        } else {
            count_ways::<2>(keys, tables, bins, &bin);
        }
    })
}

/// The histogram of `(key - lo) >> shift` (`bins` counts; the fine bins
/// if refined by `refine`) of each chunk `bounds[c]..bounds[c + 1]` of
/// `src`, and the smallest and largest key.
fn histogram_chunks<T, F>(
    src: &[T],
    bounds: &[usize],
    lo: u64,
    shift: u32,
    bins: usize,
    refine: Option<&[u64]>,
    key: &F,
) -> (Vec<Vec<u32>>, (u64, u64))
where
    T: Copy + Send + Sync,
    F: Fn(&T) -> u64 + Sync,
{
    let one = |c: usize| {
        // A key function that sorts (on this thread) finds the tables
        // taken: it counts into its own.
        let mut own = Vec::new();
        TABLES.with(|t| {
            let mut held = t.try_borrow_mut();
            let tables = match held.as_mut() {
                Ok(t) => &mut **t,
                Err(_) => &mut own,
            };
            crate::simd::dispatch_wide(
                #[inline(always)]
                || {
                    // Consecutive keys count into different tables: many
                    // equal keys in a row would otherwise wait on each
                    // other's increment. Four when they fit in L1.
                    let ways = if bins <= 2048 { 4 } else { 2 };
                    tables.clear();
                    tables.resize(ways * bins, 0);
                    let chunk = &src[bounds[c]..bounds[c + 1]];
                    let (min, max) = match refine {
                        None => count_keys(chunk, key, tables, bins, ways, |k| ((k - lo) >> shift) as usize),
                        Some(ent) => count_keys(chunk, key, tables, bins, ways, |k| fine_bin(ent, k - lo, shift)),
                    };
                    let (h, rest) = tables.split_at_mut(bins);
                    for t in rest.chunks_exact(bins) {
                        h.iter_mut().zip(t).for_each(|(a, b)| *a += b);
                    }
                    (h.to_vec(), (min, max))
                },
            )
        })
    };
    let parts: Vec<_> =
        if bounds.len() > 2 { (0..bounds.len() - 1).into_par_iter().map(one).collect() } else { vec![one(0)] };
    let range = parts.iter().fold((u64::MAX, 0), |(lo, hi), p| (lo.min(p.1.0), hi.max(p.1.1)));
    (parts.into_iter().map(|p| p.0).collect(), range)
}

/// One stable scatter of `src` into `dst` by bucket `map[bin]`, where
/// `bin` is `(key - lo) >> shift`, or the fine bin if refined by `refine`
/// (the tuple argument): chunk `c` of `src` (with bucket counts
/// `counts[c]`) is scattered by its own thread into the part of every
/// bucket that follows the parts of the chunks before it.
#[allow(clippy::too_many_arguments)]
fn scatter_chunks<T, U, F, C>(
    src: &[T],
    dst: &mut [U],
    bounds: &[usize],
    counts: &[Vec<u32>],
    map: &[u32],
    (lo, shift, refine): (u64, u32, Option<&[u64]>),
    key: &F,
    conv: &C,
) where
    T: Copy + Send + Sync,
    U: Copy + Send + Sync,
    F: Fn(&T) -> u64 + Sync,
    C: Fn(&T) -> U + Sync,
{
    let stream = std::mem::size_of_val(dst) >= SCATTER_STREAM_BYTES;
    let slots = cut_slots(dst, counts);
    let one = |(c, mut s): (usize, Vec<&mut [U]>)| {
        let src = &src[bounds[c]..bounds[c + 1]];
        match refine {
            None => scatter_one(src, &mut s, stream, |x| map[((key(x) - lo) >> shift) as usize] as usize, conv),
            Some(ent) => scatter_one(src, &mut s, stream, |x| map[fine_bin(ent, key(x) - lo, shift)] as usize, conv),
        }
    };
    if slots.len() > 1 {
        slots.into_par_iter().enumerate().for_each(one);
    } else {
        slots.into_iter().enumerate().for_each(one);
    }
}

/// Scatters `src` stably into the `parts` of its buckets by `bucket(x)`,
/// through cache-line buffers with non-temporal stores if `stream`.
#[inline(always)]
fn scatter_one<T, U: Copy>(
    src: &[T],
    parts: &mut [&mut [U]],
    stream: bool,
    bucket: impl Fn(&T) -> usize,
    conv: impl Fn(&T) -> U,
) {
    if stream {
        crate::simd::streaming(|st| st.scatter(src, parts, bucket, conv));
    } else {
        // The plain scatter, as `Streamer::scatter`'s fallback but with
        // 32-bit places (chunks are shorter than `CHUNK_MAX`).
        let mut fill = vec![0u32; parts.len()];
        for x in src {
            let b = bucket(x);
            let i = fill[b];
            parts[b][i as usize] = conv(x);
            fill[b] = i + 1;
        }
    }
}

/// Cuts `dst` into each chunk's part of each bucket (bucket-major: the
/// parts of bucket `b` follow each other in chunk order): `counts[c][b]`
/// elements for chunk `c`. Returns the parts of each chunk.
fn cut_slots<'a, U>(dst: &'a mut [U], counts: &[Vec<u32>]) -> Vec<Vec<&'a mut [U]>> {
    let buckets = counts.first().map_or(0, |c| c.len());
    let mut slots: Vec<Vec<&mut [U]>> = (0..counts.len()).map(|_| Vec::with_capacity(buckets)).collect();
    let mut rest = dst;
    for b in 0..buckets {
        for (s, h) in slots.iter_mut().zip(counts) {
            let (part, r) = rest.split_at_mut(h[b] as usize);
            s.push(part);
            rest = r;
        }
    }
    slots
}

/// Sorts the elements of `src` (at most a few hundred KiB: it works in
/// cache) stably by `key`, leaving the result in `other` when `into_other`,
/// else in `src` (see [`leaf_sort`]; `tmp` is its third buffer).
fn leaf<T, F>(src: &mut [T], other: &mut [T], into_other: bool, range: Option<(u64, u64)>, key: &F, tmp: &mut Vec<T>)
where
    T: Copy,
    F: Fn(&T) -> u64,
{
    let n = src.len();
    match (leaf_sort(src, tmp, range, key), into_other) {
        (false, true) => other.copy_from_slice(src),
        (true, true) => other.copy_from_slice(&tmp[..n]),
        (true, false) => src.copy_from_slice(&tmp[..n]),
        (false, false) => {}
    }
}

/// Sorts the elements of `src` (at most a few hundred KiB: it works in
/// cache) stably by `key`, by an LSD radix sort on the offset of the key
/// from the smallest key, and returns whether the result is in `tmp[..n]`
/// (else it is in `src`). `range` is the smallest and largest key if known
/// (every key lies in it), else it is computed. `tmp` is grown here to the
/// leaf's length; its contents do not matter.
///
/// The passes go back and forth between `src` and `tmp`, which are in
/// cache (the counting pass has just read `src`, and each thread reuses
/// its `tmp`); the caller copies the result out with one sequential pass.
/// (The previous leaf scattered one of its passes straight into the
/// caller's other buffer, whose lines are not in cache.)
fn leaf_sort<T, F>(src: &mut [T], tmp: &mut Vec<T>, range: Option<(u64, u64)>, key: &F) -> bool
where
    T: Copy,
    F: Fn(&T) -> u64,
{
    let n = src.len();
    if n <= INSERTION_MAX {
        insertion_sort(src, key);
        return false;
    }
    let (lo, hi) = range.unwrap_or_else(|| min_max(src, key));
    let span = hi - lo;
    if span == 0 {
        return false;
    }
    let bits = u64::BITS - span.leading_zeros();
    let passes = bits.div_ceil(if n < NARROW_LEAF { 8 } else { DIGIT_MAX }) as usize;
    let width = bits.div_ceil(passes as u32);
    let bins = 1usize << width;
    let mask = (bins - 1) as u64;
    // One read pass counts every digit.
    let mut counts = vec![0u32; passes * bins];
    match passes {
        1 => src.iter().for_each(|x| counts[(key(x) - lo) as usize] += 1),
        2 => {
            let (c0, c1) = counts.split_at_mut(bins);
            for x in src.iter() {
                let d = key(x) - lo;
                c0[(d & mask) as usize] += 1;
                c1[(d >> width) as usize & (bins - 1)] += 1;
            }
        }
        _ => {
            for x in src.iter() {
                let d = key(x) - lo;
                for (p, c) in counts.chunks_exact_mut(bins).enumerate() {
                    c[((d >> (p as u32 * width)) & mask) as usize] += 1;
                }
            }
        }
    }
    if tmp.len() < n {
        tmp.resize(n.max(leaf_max::<T>()), src[0]);
    }
    let tmp = &mut tmp[..n];
    let mut in_src = true;
    for (p, c) in counts.chunks_exact_mut(bins).enumerate() {
        // A digit equal across the bucket costs nothing.
        if c.iter().any(|&x| x as usize == n) {
            continue;
        }
        let mut sum = 0u32;
        for x in c.iter_mut() {
            (*x, sum) = (sum, sum + *x);
        }
        let s = p as u32 * width;
        let (from, to): (&[T], &mut [T]) = if in_src { (src, tmp) } else { (tmp, src) };
        for x in from {
            let b = ((key(x) - lo) >> s) & mask;
            let i = &mut c[b as usize];
            to[*i as usize] = *x;
            *i += 1;
        }
        in_src = !in_src;
    }
    !in_src
}

/// Stable insertion sort by `key`.
fn insertion_sort<T: Copy>(v: &mut [T], key: impl Fn(&T) -> u64) {
    for i in 1..v.len() {
        let x = v[i];
        let k = key(&x);
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > k {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

/// `dst.copy_from_slice(src)`, on several threads when `parallel`.
fn copy<T: Copy + Send + Sync>(src: &[T], dst: &mut [T], parallel: bool) {
    if parallel {
        dst.par_chunks_mut(CHUNK_MIN).zip(src.par_chunks(CHUNK_MIN)).for_each(|(d, s)| d.copy_from_slice(s));
    } else {
        dst.copy_from_slice(src);
    }
}

/// `dst.fill(x)`, on several threads when `parallel`.
fn fill<T: Copy + Send + Sync>(dst: &mut [T], x: T, parallel: bool) {
    if parallel {
        dst.par_chunks_mut(CHUNK_MIN).for_each(|d| d.fill(x));
    } else {
        dst.fill(x);
    }
}

/// Writes the sorted keys that the [`exact`](Histogram::exact) histogram
/// `h` counted into `dst`, as `value(key)`: a run of each bin's count.
/// Threads fill equal parts of `dst`.
fn fill_runs<T: Copy + Send + Sync>(dst: &mut [T], h: &Histogram, value: impl Fn(u64) -> T + Sync) {
    // The end of each bin's run.
    let ends: Vec<usize> = h
        .totals()
        .into_iter()
        .scan(0, |end, c| {
            *end += c;
            Some(*end)
        })
        .collect();
    let part = if h.parallel { dst.len().div_ceil(rayon::current_num_threads()).max(CHUNK_MIN) } else { dst.len() };
    dst.par_chunks_mut(part.max(1)).enumerate().for_each(|(i, d)| {
        let (start, end) = (i * part, i * part + d.len());
        let mut b = ends.partition_point(|&e| e <= start);
        let mut at = start;
        while at < end {
            let stop = ends[b].min(end);
            d[at - start..stop - start].fill(value(h.key(b)));
            (at, b) = (stop, b + 1);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Rng;

    /// Sorts `(key, position)` pairs by key only (through caller scratch,
    /// with a short scratch, and allocating) and checks them against the
    /// standard library's stable sort and the plain LSD sort: the positions
    /// prove stability.
    fn check<K: RadixKey + std::fmt::Debug>(keys: &[K]) {
        let pairs: Vec<(K, u32)> = keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
        let mut expected = pairs.clone();
        expected.sort_by_key(|p| p.0);
        let mut got = pairs.clone();
        let mut scratch = vec![(K::MAX, 0); keys.len() + 3];
        radix_sort_by_key_with(&mut got, &mut scratch, |p| p.0);
        assert_eq!(got, expected, "n = {} with scratch", keys.len());
        let mut got = pairs.clone();
        radix_sort_by_key_with(&mut got, &mut scratch[..keys.len() / 2], |p| p.0);
        assert_eq!(got, expected, "n = {} with short scratch", keys.len());
        let mut got = pairs.clone();
        lsd::radix_sort_by_key(&mut got, |p| p.0);
        assert_eq!(got, expected, "n = {} plain LSD", keys.len());
        let mut got = pairs.clone();
        hybrid::radix_sort_by_key(&mut got, |p| p.0);
        assert_eq!(got, expected, "n = {} previous hybrid", keys.len());
        // Out of place, with enough and with too little scratch; the
        // source stays as it was.
        for s in [keys.len(), keys.len() / 2] {
            let mut got = vec![(K::MAX, u32::MAX); keys.len()];
            radix_sort_by_key_into(&pairs, &mut got, &mut scratch[..s], |p| p.0);
            assert_eq!(got, expected, "n = {} into, scratch {s}", keys.len());
        }
        assert!(pairs.iter().enumerate().all(|(i, p)| p.0 == keys[i] && p.1 == i as u32));
        // The keys alone.
        let mut got = keys.to_vec();
        radix_sort_by_key(&mut got, |&k| k);
        assert!(got.iter().zip(&expected).all(|(a, b)| *a == b.0), "n = {} keys alone", keys.len());
        // Sorting the keys themselves by a bijection: the identity, and the
        // complement (descending order).
        let mut kscratch = vec![K::MAX; keys.len()];
        for s in [keys.len(), keys.len() / 2] {
            let mut got = vec![K::MAX; keys.len()];
            radix_sort_keys_into(keys, &mut got, &mut kscratch[..s], |k| k, |k| k);
            assert!(got.iter().zip(&expected).all(|(a, b)| *a == b.0), "n = {} keys_into, scratch {s}", keys.len());
            radix_sort_keys_into(keys, &mut got, &mut kscratch[..s], |k: K| !k, |k: K| !k);
            assert!(
                got.iter().rev().zip(&expected).all(|(a, b)| *a == b.0),
                "n = {} keys_into descending, scratch {s}",
                keys.len()
            );
        }
        // The permutation from pairs made by the scatter, with enough and
        // with too little scratch.
        let mut pscratch = vec![(K::MAX, 0u32); keys.len()];
        for s in [keys.len(), keys.len() / 2] {
            let mut perm = vec![u64::MAX; keys.len()];
            argsort_into(keys, &mut perm, &mut pscratch[..s], |&k| k, |i| i as u64);
            assert!(perm.iter().zip(&expected).all(|(&i, p)| i == p.1 as u64), "n = {} argsort_into", keys.len());
        }
        // The permutation by counting, where it applies: the stable one.
        let mut perm = vec![u64::MAX; keys.len()];
        if argsort_by_counting(keys, &mut perm, |&k| k, |i| i as u64) {
            assert!(perm.iter().zip(&expected).all(|(&i, p)| i == p.1 as u64), "n = {} argsort", keys.len());
        }
    }

    /// Key sets of length `n` that stress every path: random of every
    /// width and over the full 64-bit range, few distinct values, narrow
    /// ranges, one huge histogram bin among small ones, a range straddling
    /// a power of two, all equal, presorted, reversed.
    fn check_all(n: usize, rng: &mut Rng) {
        let mut r = || rng.next_u64();
        check(&(0..n).map(|_| r()).collect::<Vec<u64>>());
        let mut ends: Vec<u64> = (0..n).map(|_| r()).collect();
        if n >= 2 {
            (ends[0], ends[n - 1]) = (u64::MAX, 0);
        }
        check(&ends);
        check(&(0..n).map(|_| r() as u32).collect::<Vec<u32>>());
        check(&(0..n).map(|_| r() as u16).collect::<Vec<u16>>());
        check(&(0..n).map(|_| r() as u8).collect::<Vec<u8>>());
        check(&(0..n).map(|_| (r() % 7) as u32).collect::<Vec<u32>>());
        check(&(0..n).map(|_| (r() % 3) * 0x0101_0101_0101).collect::<Vec<u64>>());
        check(&(0..n).map(|_| (r() % 1000) as u32 + 70_000).collect::<Vec<u32>>());
        check(&(0..n).map(|_| 0xAB00_0000u32 | (r() as u32 & 0x00FF_FFFF)).collect::<Vec<u32>>());
        check(&(0..n).map(|_| if r().is_multiple_of(10) { r() as u32 } else { 5 }).collect::<Vec<u32>>());
        check(
            &(0..n).map(|_| if r().is_multiple_of(10) { r() } else { 1 << 40 | (r() & 0xFFFF) }).collect::<Vec<u64>>(),
        );
        check(&(0..n).map(|_| (1u32 << 31) - 500 + (r() % 1000) as u32).collect::<Vec<u32>>());
        check(&(0..n).map(|_| (r() as u32 & 0x3) << 10).collect::<Vec<u32>>());
        // Few distinct values spread wide (each in its own histogram bin),
        // then with one rare value in a bin of its own (which a sample
        // misses), then in a used bin (found only at the end).
        let spread = [3u32 << 28, 0x3F80_0000, 0x4000_0000, 0x4040_0000, 0x4110_0000, u32::MAX];
        let mut few: Vec<u32> = (0..n).map(|_| spread[(r() % 6) as usize]).collect();
        check(&few);
        for rare in [0x2000_0000, 0x4000_0001] {
            if let Some(last) = few.last_mut() {
                *last = rare;
            }
            check(&few);
        }
        // Float64 keys, uniform and clustered near zero: most of their
        // histogram bins hold more than a leaf and are refined; then with
        // one value repeated in a bin of other values.
        let uniform: Vec<u64> =
            (0..n).map(|_| f64_key((r() >> 11) as f64 / (1u64 << 53) as f64 * 10.0 - 5.0)).collect();
        check(&uniform);
        check(&uniform.iter().map(|&k| f64_key(f64_from_key(k).powi(3))).collect::<Vec<u64>>());
        check(&uniform.iter().map(|&k| if k % 3 == 0 { f64_key(4.5) } else { k }).collect::<Vec<u64>>());
        // All in two bins of the first histogram, refined from 700,001
        // keys on; then half of them equal to one key.
        let clustered: Vec<u64> = uniform.iter().map(|&k| f64_key(4.0 + f64_from_key(k).abs() / 10.0)).collect();
        check(&clustered);
        check(&clustered.iter().map(|&k| if k % 2 == 0 { f64_key(4.25) } else { k }).collect::<Vec<u64>>());
        check(&vec![42u32; n]);
        check(&(0..n as u64).collect::<Vec<u64>>());
        check(&(0..n as u32).rev().collect::<Vec<u32>>());
        check(&(0..n).map(|i| u16::MAX - (i % 300) as u16).collect::<Vec<u16>>());
    }

    #[test]
    fn matches_std_stable_sort_around_every_threshold() {
        let mut rng = Rng::seed_from_u64(7);
        // `leaf_max` of the 8- and 16-byte pairs the tests sort, and of the
        // keys `radix_sort_keys_into` sorts.
        let (l8, l16) = (leaf_max::<(u32, u32)>(), leaf_max::<(u64, u32)>());
        let (k4, k8) = (leaf_max::<u32>(), leaf_max::<u64>());
        for n in [
            0usize,
            1,
            2,
            5,
            INSERTION_MAX,
            INSERTION_MAX + 1,
            SMALL,
            SMALL + 1,
            1000,
            NARROW_LEAF - 1,
            NARROW_LEAF,
            l16,
            l16 + 1,
            l8,
            l8 + 1,
            k8,
            k8 + 1,
            k4 - 1,
            k4,
            k4 + 1,
        ] {
            check_all(n, &mut rng);
        }
    }

    #[test]
    fn matches_std_stable_sort_on_one_two_and_three_threads() {
        let mut rng = Rng::seed_from_u64(11);
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                for n in [PAR_MIN - 1, PAR_MIN, 3 * CHUNK_MIN + 2, 700_001] {
                    check_all(n, &mut rng);
                }
            });
        }
    }

    #[test]
    fn large_splits_scatter_through_lines_on_every_level_and_thread_count() {
        // Past `SCATTER_STREAM_BYTES` of keys (and of pairs, and of
        // indices written by counting): the split writes through
        // cache-line buffers with non-temporal stores, or, with the SIMD
        // level forced to the baseline, scatters plainly.
        let mut rng = Rng::seed_from_u64(13);
        let n = SCATTER_STREAM_BYTES / 4 + 1001;
        let keys: Vec<u32> = (0..n).map(|_| rng.next_u64() as u32).collect();
        let skewed: Vec<u32> = keys.iter().map(|&k| if k % 4 == 0 { k } else { k % 100 }).collect();
        let mut expected_keys = keys.clone();
        expected_keys.sort_unstable();
        let mut expected_skewed = skewed.clone();
        expected_skewed.sort_unstable();
        let pairs: Vec<(u32, u32)> = skewed.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
        let mut expected_pairs = pairs.clone();
        expected_pairs.sort_by_key(|p| p.0);
        let labels: Vec<u32> = keys.iter().map(|&k| k % 1000).collect();
        let mut expected_perm: Vec<u64> = (0..n as u64).collect();
        expected_perm.sort_by_key(|&i| labels[i as usize]);
        for cap in [None, Some(crate::simd::Level::Baseline)] {
            crate::simd::set_max_level(cap);
            for threads in [1, 2] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                pool.install(|| {
                    let mut got = vec![0u32; n];
                    radix_sort_keys_into(&keys, &mut got, &mut [], |k| k, |k| k);
                    assert!(got == expected_keys, "keys, {threads} threads, {cap:?}");
                    radix_sort_keys_into(&skewed, &mut got, &mut [], |k| k, |k| k);
                    assert!(got == expected_skewed, "skewed keys, {threads} threads, {cap:?}");
                    let mut got = vec![(0, 0); n];
                    let mut scratch = vec![(0, 0); n];
                    radix_sort_by_key_into(&pairs, &mut got, &mut scratch, |p| p.0);
                    assert!(got == expected_pairs, "stable pairs, {threads} threads, {cap:?}");
                    let mut perm = vec![0u64; n];
                    argsort_into(&skewed, &mut perm, &mut [], |&k| k, |i| i as u64);
                    assert!(
                        perm.iter().zip(&expected_pairs).all(|(&i, p)| i == u64::from(p.1)),
                        "argsort from pairs made by the scatter, {threads} threads, {cap:?}"
                    );
                    assert!(argsort_by_counting(&labels, &mut perm, |&k| k, |i| i as u64));
                    assert!(perm == expected_perm, "argsort by counting, {threads} threads, {cap:?}");
                });
            }
            crate::simd::set_max_level(None);
        }
    }

    /// An ascending key of float64 (IEEE total order).
    fn f64_key(x: f64) -> u64 {
        let b = x.to_bits();
        b ^ ((b as i64 >> 63) as u64 | 1 << 63)
    }

    /// The float64 of an [`f64_key`].
    fn f64_from_key(k: u64) -> f64 {
        f64::from_bits(k ^ (((!k) as i64 >> 63) as u64 | 1 << 63))
    }

    #[test]
    fn heavy_bins_are_refined_into_buckets_of_a_leaf() {
        // Uniform float64 in [-5, 5): a 16-bit bin of their keys holds 4
        // mantissa bits, so the bins of the largest exponents hold up to 8
        // leaves each. Refined, one scatter leaves them in buckets of a
        // leaf or less, each of whose keys lies in its range.
        let mut rng = Rng::seed_from_u64(17);
        let n = 4_000_000;
        let keys: Vec<u64> = (0..n).map(|_| f64_key(rng.next_f64() * 10.0 - 5.0)).collect();
        let target = leaf_max::<u64>();
        let h = histogram(&keys, (0, u64::MAX), &|&k: &u64| k, target);
        assert!(h.refine.is_some(), "the heavy bins are refined");
        let unrefined = histogram(&keys, (0, u64::MAX), &|&k: &u64| k, usize::MAX);
        assert!(unrefined.refine.is_none());
        assert!(unrefined.totals().iter().any(|&c| c > 2 * target), "without refinement, bins of several leaves");
        let mut dst = vec![0u64; n];
        let buckets = scatter(&keys, &mut dst, h, &|&k: &u64| k, &|&k: &u64| k);
        assert_eq!(buckets.iter().map(|b| b.0).sum::<usize>(), n);
        let mut at = 0;
        let mut largest = 0;
        for &(len, (lo, hi)) in &buckets {
            assert!(dst[at..at + len].iter().all(|&k| (lo..=hi).contains(&k)), "bucket {lo}..={hi}");
            (at, largest) = (at + len, largest.max(len));
        }
        assert!(largest <= target, "largest bucket {largest} > {target}");
        assert!(buckets.windows(2).all(|w| w[0].1.1 < w[1].1.0), "buckets in key order");
        let (mut a, mut b) = (dst, keys);
        a.sort_unstable();
        b.sort_unstable();
        assert!(a == b, "the scatter is a permutation");
    }

    #[test]
    fn refined_bins_near_the_top_of_the_key_range() {
        // Keys up to `u64::MAX` whose last histogram bin is refined: its
        // fine bins reach past 2^64, and one of them holds more than a
        // bucket of copies of `u64::MAX`, so the bins after it hold no
        // keys (a bucket must not start there: its range would start past
        // 2^64).
        let n = 1 << 20;
        let lo = u64::MAX - (1 << 40) - (1 << 24);
        let keys: Vec<u64> = (0..n as u64)
            .map(|i| match i % 3 {
                0 => u64::MAX,
                1 => u64::MAX - 1 - 8 * i,
                _ => lo + ((i / 3) << 20),
            })
            .collect();
        let h = histogram(&keys, (0, u64::MAX), &|&k: &u64| k, leaf_max::<u64>());
        assert!(h.refine.is_some(), "the last bin is refined");
        check(&keys);
    }

    /// The core's float32 key (see `oxarray_core::sorting`).
    fn float_key(x: f32) -> u32 {
        let b = if x == 0.0 { 0 } else { x.to_bits() };
        if x.is_nan() {
            u32::MAX
        } else if b >> 31 == 1 {
            !b
        } else {
            b | 0x8000_0000
        }
    }

    #[test]
    fn float_keys_ascending_and_descending() {
        // Floats as the bench sorts them, rounded ones (many equal keys),
        // and the special values mixed in: NaN, ±0, ±inf, subnormals.
        let mut rng = Rng::seed_from_u64(3);
        let specials = [f32::NAN, -f32::NAN, 0.0, -0.0, f32::INFINITY, f32::NEG_INFINITY, 1e-45, -1e-45, 1e-39, -3e-39];
        for n in [1000, PAR_MIN + 77, 1_000_003] {
            let uniform: Vec<f32> = (0..n).map(|_| (rng.next_f64() * 10.0 - 5.0) as f32).collect();
            let rounded: Vec<f32> = uniform.iter().map(|x| (x * 4.0).round()).collect();
            let special: Vec<f32> =
                uniform.iter().map(|&x| if rng.below(4) == 0 { specials[rng.below(10) as usize] } else { x }).collect();
            for floats in [uniform, rounded, special] {
                // Sorting the floats by a bijective key: IEEE total order
                // rotated so that NaNs of both signs come last.
                let bij = |x: f32| {
                    let b = x.to_bits();
                    (b ^ ((b as i32 >> 31) as u32 | 0x8000_0000)).wrapping_sub(0x007f_ffff)
                };
                let unbij = |k: u32| {
                    let k = k.wrapping_add(0x007f_ffff);
                    f32::from_bits(k ^ (((!k) as i32 >> 31) as u32 | 0x8000_0000))
                };
                let mut expected: Vec<u32> = floats.iter().map(|x| x.to_bits()).collect();
                expected.sort_by_key(|&b| bij(f32::from_bits(b)));
                let mut got = vec![0.0f32; n];
                radix_sort_keys_into(&floats, &mut got, &mut [], bij, unbij);
                assert!(got.iter().map(|x| x.to_bits()).eq(expected.iter().copied()), "n = {n} bijective float keys");
                check(&floats.iter().map(|&x| float_key(x)).collect::<Vec<u32>>());
                check(&floats.iter().map(|&x| if x.is_nan() { u32::MAX } else { !float_key(x) }).collect::<Vec<u32>>());
            }
        }
    }

    #[test]
    fn leaf_sorts_with_a_given_range_into_either_side() {
        let mut rng = Rng::seed_from_u64(5);
        for n in [0usize, 1, INSERTION_MAX + 1, 300, 5000] {
            let keys: Vec<u64> = (0..n).map(|_| 1000 + rng.below(1 << 40)).collect();
            let mut expected = keys.clone();
            expected.sort();
            for into_other in [false, true] {
                for range in [None, Some((1000, 1000 + (1 << 40)))] {
                    let (mut src, mut other) = (keys.clone(), vec![0; n]);
                    leaf(&mut src, &mut other, into_other, range, &|&k| k, &mut Vec::new());
                    assert_eq!(if into_other { other } else { src }, expected, "{n} {into_other} {range:?}");
                }
            }
        }
    }
}
