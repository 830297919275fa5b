//! The plain least-significant-digit radix sort: the previous algorithm of
//! [`super`], kept as the same-run baseline of `examples/sort_radix.rs` and
//! as a second, independent implementation the tests compare against.
//!
//! - tiny inputs (up to 96 elements) use the standard library's stable sort;
//! - digits are 8 bits for short inputs and for 1- and 2-byte keys, and
//!   11 bits for longer inputs of 4- and 8-byte keys (3 passes for `u32`
//!   instead of 4);
//! - one read pass counts every digit at once, so digits that are equal
//!   across the whole input (the high bytes of small integers, the exponent
//!   of floats from a narrow range) cost nothing;
//! - each remaining digit is one counting-sort pass between the input and
//!   the scratch memory (a final copy brings an odd number of passes back).
//!   On `t` threads (inputs of 128Ki elements and more) the input of a pass
//!   is cut into `t` chunks, each thread scatters its chunk into its own
//!   part of every bucket (the parts of earlier chunks come first, so the
//!   pass stays stable), and counts the *next* digit of what it writes:
//!   the next pass's chunks are cut at bucket boundaries of this pass, so
//!   no pass but the first needs a counting pass of its own.
//!
//! Every pass is stable, so the whole sort is. On 10M float32 each
//! out-of-cache pass costs about 4 ns per element per thread: the scatter
//! into 2048 buckets is bound by the latency of its 2048 open write streams,
//! which is why [`super`] scatters out of cache only once.

use rayon::prelude::*;

// The thresholds shared with the hybrid sort: the standard library's sort
// up to `SMALL`, threads from `PAR_MIN`, chunks of `CHUNK_MIN..=CHUNK_MAX`.
use super::{CHUNK_MAX, CHUNK_MIN, PAR_MIN, RadixKey, SMALL};

/// Inputs up to this length (a few hundred KiB, in cache) take 8-bit
/// digits; longer ones with keys of 4 bytes or more take 11-bit digits.
const NARROW_MAX: usize = 1 << 16;

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
    sort_with_scratch(v, &mut scratch, &key);
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
        sort_with_scratch(v, &mut scratch[..n], &key);
    }
}

/// LSD radix sort of `v` (longer than [`SMALL`]) through `tmp` (same length).
fn sort_with_scratch<T, K, F>(v: &mut [T], tmp: &mut [T], key: &F)
where
    T: Copy + Send + Sync,
    K: RadixKey,
    F: Fn(&T) -> K + Sync,
{
    let n = v.len();
    let width = if K::BYTES >= 4 && n > NARROW_MAX { 11 } else { 8 };
    let shifts: Vec<u32> = (0..(8 * K::BYTES as u32).div_ceil(width)).map(|d| d * width).collect();
    let threads = if n >= PAR_MIN { rayon::current_num_threads().clamp(1, n / CHUNK_MIN) } else { 1 };
    let chunks = threads.max(n.div_ceil(CHUNK_MAX));
    let mut bounds: Vec<usize> = (0..=chunks).map(|c| c * (n / chunks) + c.min(n % chunks)).collect();
    let bins = 1usize << width;

    // Counts of every digit, per chunk, in one pass over the input.
    let all = count_chunks(v, &bounds, &shifts, width, key);
    // Digits equal across the whole input cost nothing.
    let varying: Vec<usize> = (0..shifts.len())
        .filter(|&d| (0..bins).all(|b| all.iter().map(|c| c[d * bins + b] as usize).sum::<usize>() != n))
        .collect();
    let Some(&first) = varying.first() else { return };
    let mut counts: Vec<Vec<u32>> = all.iter().map(|c| c[first * bins..(first + 1) * bins].to_vec()).collect();
    // Counts of one digit per chunk fit in `u32` while `n` does.
    let fused = u32::try_from(n).is_ok();
    let mut in_v = true;
    for (p, &d) in varying.iter().enumerate() {
        // The next pass cuts its input into chunks at bucket boundaries of
        // this one, so this pass can count the next digit per chunk.
        let following = varying.get(p + 1).copied();
        let next = following.filter(|_| fused).map(|e| split_buckets(&counts, chunks, n, shifts[e]));
        let (src, dst): (&[T], &mut [T]) = if in_v { (v, tmp) } else { (tmp, v) };
        let per_thread = scatter_chunks(src, dst, &bounds, &counts, shifts[d], width, key, next.as_ref());
        in_v = !in_v;
        if let Some(next) = next {
            // Sum the threads' counts of each next chunk.
            counts = (0..chunks)
                .map(|c| {
                    let mut sum = vec![0u32; bins];
                    for t in &per_thread {
                        for (s, &x) in sum.iter_mut().zip(&t[c * bins..(c + 1) * bins]) {
                            *s += x;
                        }
                    }
                    sum
                })
                .collect();
            bounds = next.bounds;
        } else if let Some(e) = following {
            // Inputs beyond `u32` counts: count the next digit over equal
            // chunks (of at most `CHUNK_MAX`) in a pass of its own.
            let src: &[T] = if in_v { v } else { tmp };
            counts = count_chunks(src, &bounds, &shifts[e..e + 1], width, key);
        }
    }
    if !in_v {
        copy(tmp, v, threads > 1);
    }
}

/// The next digit of an LSD pass, and the chunks the next pass cuts its
/// input into.
struct NextDigit {
    /// The digit's shift.
    shift: u32,
    /// For each bucket of this pass, the offset of its next chunk's counts
    /// (chunk times bucket count) in a chunk-major table.
    owner: Vec<u32>,
    /// The element bounds of the next chunks.
    bounds: Vec<usize>,
}

/// Cuts the buckets of a pass (with per-chunk `counts`, `n` elements in
/// all) into `chunks` runs of consecutive buckets of about equal size, the
/// chunks of the next pass (on the digit at `shift`).
fn split_buckets(counts: &[Vec<u32>], chunks: usize, n: usize, shift: u32) -> NextDigit {
    let bins = counts[0].len();
    let mut owner = vec![0u32; bins];
    let mut bounds = Vec::with_capacity(chunks + 1);
    bounds.push(0);
    let mut sum = 0usize;
    let mut c = 0usize;
    for (b, o) in owner.iter_mut().enumerate() {
        let total: usize = counts.iter().map(|h| h[b] as usize).sum();
        // Start the next chunk where it gets closer to its fair share.
        while c + 1 < chunks && sum + total / 2 >= (c + 1) * n / chunks {
            c += 1;
            bounds.push(sum);
        }
        *o = (c * bins) as u32;
        sum += total;
    }
    while bounds.len() < chunks {
        bounds.push(n);
    }
    bounds.push(n);
    NextDigit { shift, owner, bounds }
}

/// The counts of each digit at `shifts` (`shifts.len() << width` counts,
/// digit-major) of each chunk `bounds[c]..bounds[c + 1]` of `src`.
fn count_chunks<T, K, F>(src: &[T], bounds: &[usize], shifts: &[u32], width: u32, key: &F) -> Vec<Vec<u32>>
where
    T: Copy + Send + Sync,
    K: RadixKey,
    F: Fn(&T) -> K + Sync,
{
    let one = |c: usize| count(&src[bounds[c]..bounds[c + 1]], shifts, width, key);
    if bounds.len() > 2 { (0..bounds.len() - 1).into_par_iter().map(one).collect() } else { vec![one(0)] }
}

fn count<T, K: RadixKey>(src: &[T], shifts: &[u32], width: u32, key: impl Fn(&T) -> K) -> Vec<u32> {
    let bins = 1usize << width;
    let mask = (bins - 1) as u64;
    let mut counts = vec![0u32; shifts.len() * bins];
    match *shifts {
        [s] => {
            for x in src {
                counts[((key(x).to_u64() >> s) & mask) as usize] += 1;
            }
        }
        _ => {
            for x in src {
                let k = key(x).to_u64();
                for (c, &s) in counts.chunks_exact_mut(bins).zip(shifts) {
                    c[((k >> s) & mask) as usize] += 1;
                }
            }
        }
    }
    counts
}

/// One stable counting-sort pass of `src` into `dst` on the digit at
/// `shift`: chunk `c` of `src` (with digit counts `counts[c]`) is scattered
/// by its own thread into the part of every bucket that follows the parts
/// of the chunks before it. With `next`, each thread also counts the next
/// digit of what it writes, per next chunk, and returns those counts
/// (chunk-major).
#[allow(clippy::too_many_arguments)]
fn scatter_chunks<T, K, F>(
    src: &[T],
    dst: &mut [T],
    bounds: &[usize],
    counts: &[Vec<u32>],
    shift: u32,
    width: u32,
    key: &F,
    next: Option<&NextDigit>,
) -> Vec<Vec<u32>>
where
    T: Copy + Send + Sync,
    K: RadixKey,
    F: Fn(&T) -> K + Sync,
{
    let bins = 1usize << width;
    let chunks = counts.len();
    // Cut `dst` into each chunk's part of each bucket, bucket-major.
    let mut slots: Vec<Vec<&mut [T]>> = (0..chunks).map(|_| Vec::with_capacity(bins)).collect();
    let mut rest = dst;
    for b in 0..bins {
        for (s, h) in slots.iter_mut().zip(counts) {
            let (part, r) = rest.split_at_mut(h[b] as usize);
            s.push(part);
            rest = r;
        }
    }
    let mask = (bins - 1) as u64;
    let one = |(c, mut s): (usize, Vec<&mut [T]>)| -> Vec<u32> {
        let mut fill = vec![0u32; bins];
        let src = &src[bounds[c]..bounds[c + 1]];
        let Some(NextDigit { shift: next_shift, owner, .. }) = next else {
            for x in src {
                let b = ((key(x).to_u64() >> shift) & mask) as usize;
                let i = fill[b];
                s[b][i as usize] = *x;
                fill[b] = i + 1;
            }
            return Vec::new();
        };
        let mut next_counts = vec![0u32; chunks * bins];
        for x in src {
            let k = key(x).to_u64();
            let b = ((k >> shift) & mask) as usize;
            let i = fill[b];
            s[b][i as usize] = *x;
            fill[b] = i + 1;
            next_counts[owner[b] as usize + ((k >> next_shift) & mask) as usize] += 1;
        }
        next_counts
    };
    if chunks > 1 {
        slots.into_par_iter().enumerate().map(one).collect()
    } else {
        slots.into_iter().enumerate().map(one).collect()
    }
}

/// `dst.copy_from_slice(src)`, on two threads when `parallel`.
fn copy<T: Copy + Send + Sync>(src: &[T], dst: &mut [T], parallel: bool) {
    if parallel {
        dst.par_chunks_mut(CHUNK_MIN).zip(src.par_chunks(CHUNK_MIN)).for_each(|(d, s)| d.copy_from_slice(s));
    } else {
        dst.copy_from_slice(src);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Rng;

    /// Sorts `(key, position)` pairs by key only with the radix sort (also
    /// through caller scratch, and with a short scratch) and checks them
    /// against the standard library's stable sort: the positions prove
    /// stability.
    fn check<K: RadixKey + std::fmt::Debug>(keys: Vec<K>) {
        let pairs: Vec<(K, u32)> = keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
        let mut expected = pairs.clone();
        expected.sort_by_key(|p| p.0);
        let mut got = pairs.clone();
        radix_sort_by_key(&mut got, |p| p.0);
        assert_eq!(got, expected, "n = {}", keys.len());
        let mut got = pairs.clone();
        let mut scratch = vec![(K::MAX, 0); keys.len() + 3];
        radix_sort_by_key_with(&mut got, &mut scratch, |p| p.0);
        assert_eq!(got, expected, "n = {} with scratch", keys.len());
        let mut got = pairs;
        radix_sort_by_key_with(&mut got, &mut scratch[..keys.len() / 2], |p| p.0);
        assert_eq!(got, expected, "n = {} with short scratch", keys.len());
    }

    /// Key sets of length `n`: random of every width, few distinct,
    /// skewed, constant, presorted, reversed.
    fn check_all(n: usize, rng: &mut Rng) {
        check((0..n).map(|_| rng.next_u64()).collect::<Vec<u64>>());
        check((0..n).map(|_| rng.next_u64() as u32).collect::<Vec<u32>>());
        check((0..n).map(|_| rng.next_u64() as u16).collect::<Vec<u16>>());
        check((0..n).map(|_| rng.next_u64() as u8).collect::<Vec<u8>>());
        check((0..n).map(|_| (rng.next_u64() % 7) as u32).collect::<Vec<u32>>());
        check((0..n).map(|_| (rng.next_u64() % 3) * 0x0101_0101_0101).collect::<Vec<u64>>());
        // Skewed: one huge bucket on the top digit, and a key whose only
        // varying bits straddle two 11-bit digits.
        check((0..n).map(|_| 0xAB00_0000u32 | (rng.next_u64() as u32 & 0x00FF_FFFF)).collect::<Vec<u32>>());
        check(
            (0..n)
                .map(|_| if rng.next_u64().is_multiple_of(10) { rng.next_u64() as u32 } else { 5 })
                .collect::<Vec<u32>>(),
        );
        check((0..n).map(|_| (rng.next_u64() as u32 & 0x3) << 10).collect::<Vec<u32>>());
        check(vec![42u32; n]);
        check((0..n as u64).collect::<Vec<u64>>());
        check((0..n as u32).rev().collect::<Vec<u32>>());
        check((0..n).map(|i| u16::MAX - (i % 300) as u16).collect::<Vec<u16>>());
    }

    #[test]
    fn matches_std_stable_sort_around_every_threshold() {
        let mut rng = Rng::seed_from_u64(7);
        for n in
            [0usize, 1, 2, 5, SMALL, SMALL + 1, 1000, NARROW_MAX, NARROW_MAX + 1, PAR_MIN - 1, PAR_MIN, PAR_MIN + 5]
        {
            check_all(n, &mut rng);
        }
    }

    #[test]
    fn matches_std_stable_sort_on_one_two_and_three_threads() {
        let mut rng = Rng::seed_from_u64(11);
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                for n in [PAR_MIN + 1, 3 * CHUNK_MIN + 2, 700_001] {
                    check_all(n, &mut rng);
                }
            });
        }
    }

    #[test]
    fn descending_keys_and_float_like_keys() {
        // Complemented keys (the core's descending order) and keys with
        // many equal values, as a float key function produces them.
        let mut rng = Rng::seed_from_u64(3);
        let n = PAR_MIN + 77;
        let floats: Vec<f32> = (0..n).map(|_| ((rng.next_f64() * 20.0 - 10.0) as f32).round()).collect();
        let key = |x: f32| {
            let b = if x == 0.0 { 0 } else { x.to_bits() };
            if b >> 31 == 1 { !b } else { b | 0x8000_0000 }
        };
        check(floats.iter().map(|&x| key(x)).collect::<Vec<u32>>());
        check(floats.iter().map(|&x| !key(x)).collect::<Vec<u32>>());
    }

    #[test]
    fn buckets_split_into_balanced_chunks() {
        // Two chunks' counts of 4 buckets; one bucket holds most elements.
        let counts = vec![vec![1, 90, 5, 4], vec![0, 0, 0, 0]];
        let NextDigit { owner, bounds, .. } = split_buckets(&counts, 2, 100, 0);
        assert_eq!(bounds.len(), 3);
        assert_eq!((bounds[0], bounds[2]), (0, 100));
        assert!(bounds[1] == 1 || bounds[1] == 91, "{bounds:?}");
        assert!(owner.windows(2).all(|w| w[0] <= w[1]));
        // More chunks than non-empty buckets: empty chunks at the end.
        let bounds = split_buckets(&[vec![0, 10, 0, 0]], 3, 10, 0).bounds;
        assert_eq!(bounds.len(), 4);
        assert!(bounds.windows(2).all(|w| w[0] <= w[1]) && bounds[3] == 10, "{bounds:?}");
    }
}
