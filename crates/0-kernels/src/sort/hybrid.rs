//! The hybrid radix sort as it was before the out-of-place entry point,
//! the leaf's third buffer and the write-combining scatter: one stable
//! parallel MSD scatter into buckets of up to 256 KiB, then an in-cache LSD
//! sort per bucket (see [`super`] for the algorithm). Kept verbatim as the
//! same-run baseline of `examples/sort_radix.rs` and as a third
//! implementation the tests compare against.

use rayon::prelude::*;

use super::{
    CHUNK_MAX, CHUNK_MIN, DIGIT_MAX, HIST_BITS, INSERTION_MAX, LEAF_BYTES, NARROW_LEAF, PAR_MIN, RadixKey, SMALL,
};

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

/// The most elements of `T` an in-cache leaf sorts.
fn leaf_max<T>() -> usize {
    (LEAF_BYTES / size_of::<T>().max(1)).max(SMALL)
}

/// Sorts the elements of `src` stably by `key`, leaving the result in
/// `other` (same length) when `into_other`, else in `src`; the other slice
/// is left unspecified. Every key lies in `range` (smallest, largest).
///
/// Large inputs are split: one stable scatter into buckets of consecutive
/// key ranges, each small enough to sort in cache unless a single
/// histogram bin is larger, then every bucket sorted (in parallel) by
/// [`leaf`] or, if still too large, by this function again on its narrower
/// key range.
fn sort_rec<T, F>(src: &mut [T], other: &mut [T], into_other: bool, range: (u64, u64), key: &F)
where
    T: Copy + Send + Sync,
    F: Fn(&T) -> u64 + Sync,
{
    let n = src.len();
    if n <= leaf_max::<T>() {
        // Only the whole input gets here (the caller sorts small buckets by
        // `leaf` itself): `range` is the key type's, so find the actual one.
        leaf(src, other, into_other, None, key);
        return;
    }
    let threads = if n >= PAR_MIN { rayon::current_num_threads().clamp(1, n / CHUNK_MIN) } else { 1 };
    let chunks = threads.max(n.div_ceil(CHUNK_MAX));
    let bounds: Vec<usize> = (0..=chunks).map(|c| c * (n / chunks) + c.min(n % chunks)).collect();

    // Bins: the top `hist_bits` bits of the key's offset from the smallest
    // key. The first pass bins by the range the keys are known to lie in
    // and finds their actual range; when that is much narrower (small
    // integers, few distinct values), a second pass bins by it, so that the
    // bins cover the keys that occur, not the key type.
    let hist_bits = (usize::BITS - (n / 8).leading_zeros()).clamp(8, HIST_BITS);
    let bins_of = |(lo, hi): (u64, u64)| {
        let bits = u64::BITS - (hi - lo).leading_zeros();
        let shift = bits.saturating_sub(hist_bits);
        (shift, ((hi - lo) >> shift) as usize + 1)
    };
    let (mut shift, mut bins) = bins_of(range);
    let mut lo = range.0;
    let (mut hists, actual) = histogram_chunks(src, &bounds, lo, shift, bins, key);
    let hi = actual.1;
    if actual.0 == actual.1 {
        if into_other {
            copy(src, other, chunks > 1);
        }
        return;
    }
    let (fine_shift, fine_bins) = bins_of(actual);
    if fine_shift + 1 < shift {
        (shift, bins, lo) = (fine_shift, fine_bins, actual.0);
        hists = histogram_chunks(src, &bounds, lo, shift, bins, key).0;
    }

    // Buckets: runs of consecutive bins holding up to a leaf's worth.
    let target = leaf_max::<T>();
    let mut map = vec![0u16; bins];
    // First bin and length of every bucket.
    let mut buckets: Vec<(usize, usize)> = Vec::new();
    for (b, m) in map.iter_mut().enumerate() {
        let c: usize = hists.iter().map(|h| h[b] as usize).sum();
        match buckets.last_mut() {
            Some(last) if last.1 == 0 || last.1 + c <= target => last.1 += c,
            _ => buckets.push((b, c)),
        }
        *m = (buckets.len() - 1) as u16;
    }
    let counts: Vec<Vec<u32>> = hists
        .iter()
        .map(|h| {
            let mut c = vec![0u32; buckets.len()];
            for (&m, &x) in map.iter().zip(h) {
                c[m as usize] += x;
            }
            c
        })
        .collect();
    drop(hists);
    scatter_chunks(src, other, &bounds, &counts, &map, lo, shift, key);

    // Sort every bucket, now in `other`, into the side the caller wants.
    let mut parts = Vec::with_capacity(buckets.len());
    let (mut o, mut s) = (other, src);
    for (i, &(first, len)) in buckets.iter().enumerate() {
        let (ob, or) = o.split_at_mut(len);
        let (sb, sr) = s.split_at_mut(len);
        (o, s) = (or, sr);
        let top = buckets.get(i + 1).map_or(hi, |b| lo + ((b.0 as u64) << shift) - 1);
        let range = (lo + ((first as u64) << shift), top);
        parts.push((ob, sb, range));
    }
    let one = |(ob, sb, range): (&mut [T], &mut [T], (u64, u64))| {
        if ob.len() <= target {
            leaf(ob, sb, !into_other, Some(range), key);
        } else {
            sort_rec(ob, sb, !into_other, range, key);
        }
    };
    if threads > 1 {
        parts.into_par_iter().for_each(one);
    } else {
        parts.into_iter().for_each(one);
    }
}

fn min_max<T>(src: &[T], key: impl Fn(&T) -> u64) -> (u64, u64) {
    src.iter().fold((u64::MAX, 0), |(lo, hi), x| {
        let k = key(x);
        (lo.min(k), hi.max(k))
    })
}

/// The histogram of `(key - lo) >> shift` (`bins` counts) of each chunk
/// `bounds[c]..bounds[c + 1]` of `src`, and the smallest and largest key.
fn histogram_chunks<T, F>(
    src: &[T],
    bounds: &[usize],
    lo: u64,
    shift: u32,
    bins: usize,
    key: &F,
) -> (Vec<Vec<u32>>, (u64, u64))
where
    T: Copy + Send + Sync,
    F: Fn(&T) -> u64 + Sync,
{
    let one = |c: usize| {
        let mut h = vec![0u32; bins];
        let (mut min, mut max) = (u64::MAX, 0);
        for x in &src[bounds[c]..bounds[c + 1]] {
            let k = key(x);
            (min, max) = (min.min(k), max.max(k));
            h[((k - lo) >> shift) as usize] += 1;
        }
        (h, (min, max))
    };
    let parts: Vec<_> =
        if bounds.len() > 2 { (0..bounds.len() - 1).into_par_iter().map(one).collect() } else { vec![one(0)] };
    let range = parts.iter().fold((u64::MAX, 0), |(lo, hi), p| (lo.min(p.1.0), hi.max(p.1.1)));
    (parts.into_iter().map(|p| p.0).collect(), range)
}

/// One stable scatter of `src` into `dst` by bucket `map[(key - lo) >>
/// shift]`: chunk `c` of `src` (with bucket counts `counts[c]`) is
/// scattered by its own thread into the part of every bucket that follows
/// the parts of the chunks before it.
#[allow(clippy::too_many_arguments)]
fn scatter_chunks<T, F>(
    src: &[T],
    dst: &mut [T],
    bounds: &[usize],
    counts: &[Vec<u32>],
    map: &[u16],
    lo: u64,
    shift: u32,
    key: &F,
) where
    T: Copy + Send + Sync,
    F: Fn(&T) -> u64 + Sync,
{
    let buckets = counts[0].len();
    let slots = super::cut_slots(dst, counts);
    let one = |(c, mut s): (usize, Vec<&mut [T]>)| {
        let mut fill = vec![0u32; buckets];
        for x in &src[bounds[c]..bounds[c + 1]] {
            let b = map[((key(x) - lo) >> shift) as usize] as usize;
            let i = fill[b];
            s[b][i as usize] = *x;
            fill[b] = i + 1;
        }
    };
    if slots.len() > 1 {
        slots.into_par_iter().enumerate().for_each(one);
    } else {
        slots.into_iter().enumerate().for_each(one);
    }
}

/// Sorts the elements of `src` (at most a few hundred KiB: it works in
/// cache) stably by `key`, leaving the result in `other` when `into_other`,
/// else in `src`, by an LSD radix sort on the offset of the key from the
/// smallest key. `range` is the smallest and largest key if known (every
/// key lies in it), else it is computed.
fn leaf<T, F>(src: &mut [T], other: &mut [T], into_other: bool, range: Option<(u64, u64)>, key: &F)
where
    T: Copy,
    F: Fn(&T) -> u64,
{
    let n = src.len();
    let done = |src: &mut [T], other: &mut [T]| {
        if into_other {
            other.copy_from_slice(src);
        }
    };
    if n <= INSERTION_MAX {
        insertion_sort(src, key);
        return done(src, other);
    }
    let (lo, hi) = range.unwrap_or_else(|| min_max(src, key));
    let span = hi - lo;
    if span == 0 {
        return done(src, other);
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
        let (from, to): (&[T], &mut [T]) = if in_src { (src, other) } else { (other, src) };
        for x in from {
            let b = ((key(x) - lo) >> s) & mask;
            let i = &mut c[b as usize];
            to[*i as usize] = *x;
            *i += 1;
        }
        in_src = !in_src;
    }
    if in_src == into_other {
        let (from, to): (&[T], &mut [T]) = if in_src { (src, other) } else { (other, src) };
        to.copy_from_slice(from);
    }
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
