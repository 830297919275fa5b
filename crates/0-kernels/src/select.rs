//! Selection loops over C-contiguous data: gathering by integer indices
//! ([`take`]) and compressing by a boolean mask ([`count_mask`] +
//! [`compress`], [`true_positions`]).
//!
//! An array viewed for selection is `[outer, len, inner]`: the axis being
//! indexed has `len` positions, each a contiguous block of `inner` elements,
//! repeated `outer` times. Masks are bytes (0 is false, anything else
//! true), as bool arrays store them.
//!
//! Mask selection is two passes: count the true bytes per block (which fixes
//! every block's place in the output), then compact each block on its own,
//! in parallel above [`PAR_THRESHOLD`]. The compaction reads 64 mask bytes at
//! a time as a bit set and copies one element per set bit, so the branch the
//! CPU must predict is "another bit?", not "is this byte true?".

use rayon::prelude::*;

pub use crate::elementwise::PAR_THRESHOLD;

/// Mask bytes per parallel block.
const BLOCK: usize = 1 << 16;
/// Indices per parallel task in [`take`].
const TAKE_CHUNK: usize = 1 << 15;

/// An integer type that can index an axis.
pub trait IndexValue: Copy + Send + Sync {
    /// The value, if it fits an `i64`.
    fn to_i64(self) -> Option<i64>;
    /// The value, exactly (for error messages).
    fn to_i128(self) -> i128;
}

macro_rules! index_value {
    ($($t:ty),*) => {$(
        impl IndexValue for $t {
            #[inline(always)]
            fn to_i64(self) -> Option<i64> {
                i64::try_from(self).ok()
            }
            #[inline(always)]
            fn to_i128(self) -> i128 {
                self as i128
            }
        }
    )*};
}
index_value!(i8, i16, i32, i64, u8, u16, u32, u64, isize, usize);

/// An index outside its axis: the position in the index array (C order)
/// and the index value as given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfBounds {
    /// Position of the offending index within the index array.
    pub position: usize,
    /// The index as given (negative values not yet wrapped).
    pub index: i128,
}

/// Resolves a possibly negative index against an axis of `len`.
#[inline(always)]
pub fn resolve<I: IndexValue>(i: I, len: usize) -> Option<usize> {
    let j = i.to_i64()?;
    let j = if j < 0 { j + len as i64 } else { j };
    (j >= 0 && (j as u64) < len as u64).then_some(j as usize)
}

fn first_bad<I: IndexValue>(idx: &[I], len: usize) -> OutOfBounds {
    let position = idx.iter().position(|&i| resolve(i, len).is_none()).expect("a bad index exists");
    OutOfBounds { position, index: idx[position].to_i128() }
}

/// Resolves every index against an axis of `len` (negative from the end).
pub fn resolve_all<I: IndexValue>(idx: &[I], len: usize) -> Result<Vec<usize>, OutOfBounds> {
    let mut out = Vec::with_capacity(idx.len());
    for &i in idx {
        match resolve(i, len) {
            Some(j) => out.push(j),
            None => return Err(first_bad(idx, len)),
        }
    }
    Ok(out)
}

/// NumPy's `take`: `src` is `[outer, len, inner]`, `out` is
/// `[outer, idx.len(), inner]` and receives `src[o, idx[k], i]`. Indices may
/// be negative (from the end); the first one outside `0..len` is an error
/// and leaves `out` partly written.
pub fn take<T, I>(
    src: &[T],
    outer: usize,
    len: usize,
    inner: usize,
    idx: &[I],
    out: &mut [T],
) -> Result<(), OutOfBounds>
where
    T: Copy + Send + Sync,
    I: IndexValue,
{
    let m = idx.len();
    debug_assert_eq!(src.len(), outer * len * inner);
    debug_assert_eq!(out.len(), outer * m * inner);
    if outer == 1 && inner == 1 {
        // The hot case (a 1-d gather): check and copy in one pass.
        let gather = |o: &mut [T], ix: &[I]| -> Result<(), ()> {
            for (o, &i) in o.iter_mut().zip(ix) {
                *o = src[resolve(i, len).ok_or(())?];
            }
            Ok(())
        };
        let ok = if m >= PAR_THRESHOLD {
            out.par_chunks_mut(TAKE_CHUNK).zip(idx.par_chunks(TAKE_CHUNK)).try_for_each(|(o, ix)| gather(o, ix))
        } else {
            gather(out, idx)
        };
        return ok.map_err(|()| first_bad(idx, len));
    }
    let norm = resolve_all(idx, len)?;
    if out.is_empty() {
        return Ok(());
    }
    let row = |o: usize, dst: &mut [T]| {
        let s = &src[o * len * inner..(o + 1) * len * inner];
        if inner == 1 {
            for (d, &j) in dst.iter_mut().zip(&norm) {
                *d = s[j];
            }
        } else {
            for (d, &j) in dst.chunks_exact_mut(inner).zip(&norm) {
                d.copy_from_slice(&s[j * inner..(j + 1) * inner]);
            }
        }
    };
    if out.len() >= PAR_THRESHOLD && outer > 1 {
        out.par_chunks_mut(m * inner).enumerate().for_each(|(o, dst)| row(o, dst));
    } else {
        out.chunks_mut(m * inner).enumerate().for_each(|(o, dst)| row(o, dst));
    }
    Ok(())
}

/// The number of true bytes in each [`BLOCK`] of a mask, and in total.
#[derive(Clone, Debug)]
pub struct MaskCounts {
    blocks: Vec<usize>,
    total: usize,
}

impl MaskCounts {
    /// Number of true bytes in the whole mask.
    pub fn total(&self) -> usize {
        self.total
    }
}

/// Counts the true bytes of `mask`, per block (the first pass of a mask
/// selection).
pub fn count_mask(mask: &[u8]) -> MaskCounts {
    let count = |c: &[u8]| c.iter().map(|&b| (b != 0) as usize).sum::<usize>();
    let blocks: Vec<usize> = if mask.len() >= PAR_THRESHOLD {
        mask.par_chunks(BLOCK).map(count).collect()
    } else {
        mask.chunks(BLOCK).map(count).collect()
    };
    let total = blocks.iter().sum();
    MaskCounts { blocks, total }
}

/// Up to 64 mask bytes as a bit set (bit `i` is byte `i`).
#[inline(always)]
fn bits64(m: &[u8]) -> u64 {
    let mut bits = 0u64;
    for (i, &b) in m.iter().enumerate() {
        bits |= ((b != 0) as u64) << i;
    }
    bits
}

/// Copies the selected elements of one block.
fn compress_block<T: Copy>(src: &[T], mask: &[u8], inner: usize, out: &mut [T]) {
    let mut k = 0;
    for (w, m) in mask.chunks(64).enumerate() {
        let mut bits = bits64(m);
        let base = w * 64;
        if inner == 1 {
            if bits == u64::MAX {
                out[k..k + 64].copy_from_slice(&src[base..base + 64]);
                k += 64;
                continue;
            }
            while bits != 0 {
                let t = bits.trailing_zeros() as usize;
                out[k] = src[base + t];
                k += 1;
                bits &= bits - 1;
            }
        } else {
            while bits != 0 {
                let t = bits.trailing_zeros() as usize;
                let s = (base + t) * inner;
                out[k..k + inner].copy_from_slice(&src[s..s + inner]);
                k += inner;
                bits &= bits - 1;
            }
        }
    }
}

/// Compresses `src` (`[mask.len(), inner]`) by `mask` into `out`
/// (`[counts.total(), inner]`); `counts` must come from
/// [`count_mask`]`(mask)`.
pub fn compress<T: Copy + Send + Sync>(src: &[T], mask: &[u8], inner: usize, counts: &MaskCounts, out: &mut [T]) {
    debug_assert_eq!(src.len(), mask.len() * inner);
    debug_assert_eq!(out.len(), counts.total * inner);
    if out.is_empty() {
        return;
    }
    let mut pieces: Vec<(&[T], &[u8], &mut [T])> = Vec::with_capacity(counts.blocks.len());
    let mut rest = out;
    for (b, &c) in counts.blocks.iter().enumerate() {
        let (dst, r) = rest.split_at_mut(c * inner);
        rest = r;
        let m = &mask[b * BLOCK..((b + 1) * BLOCK).min(mask.len())];
        let s = &src[b * BLOCK * inner..(b * BLOCK + m.len()) * inner];
        pieces.push((s, m, dst));
    }
    if mask.len() * inner.max(1) >= PAR_THRESHOLD {
        pieces.into_par_iter().for_each(|(s, m, d)| compress_block(s, m, inner, d));
    } else {
        pieces.into_iter().for_each(|(s, m, d)| compress_block(s, m, inner, d));
    }
}

/// Writes the positions of the true bytes of `mask`, ascending, into `out`
/// (`counts.total()` long; `counts` from [`count_mask`]`(mask)`).
pub fn true_positions(mask: &[u8], counts: &MaskCounts, out: &mut [i64]) {
    debug_assert_eq!(out.len(), counts.total);
    let mut pieces: Vec<(usize, &mut [i64])> = Vec::with_capacity(counts.blocks.len());
    let mut rest = out;
    for (b, &c) in counts.blocks.iter().enumerate() {
        let (dst, r) = rest.split_at_mut(c);
        rest = r;
        pieces.push((b, dst));
    }
    let run = |(b, dst): (usize, &mut [i64])| {
        let m = &mask[b * BLOCK..((b + 1) * BLOCK).min(mask.len())];
        let mut k = 0;
        for (w, c) in m.chunks(64).enumerate() {
            let mut bits = bits64(c);
            let base = (b * BLOCK + w * 64) as i64;
            while bits != 0 {
                dst[k] = base + bits.trailing_zeros() as i64;
                k += 1;
                bits &= bits - 1;
            }
        }
    };
    if mask.len() >= PAR_THRESHOLD {
        pieces.into_par_iter().for_each(run);
    } else {
        pieces.into_iter().for_each(run);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Rng;

    #[test]
    fn take_matches_a_plain_loop() {
        let src: Vec<i32> = (0..24).collect();
        // [2, 3, 4] taking axis 1 with [2, -3, 0].
        let mut out = vec![0; 2 * 3 * 4];
        take(&src, 2, 3, 4, &[2i8, -3, 0], &mut out).unwrap();
        let expected: Vec<i32> = [8, 9, 10, 11, 0, 1, 2, 3, 0, 1, 2, 3, 20, 21, 22, 23, 12, 13, 14, 15, 12, 13, 14, 15]
            .into_iter()
            .collect();
        assert_eq!(out, expected);
        let mut out = vec![0; 3];
        assert_eq!(take(&src, 1, 24, 1, &[1u64, 25, 3], &mut out), Err(OutOfBounds { position: 1, index: 25 }));
        assert_eq!(take(&src, 1, 24, 1, &[-25i64], &mut out[..1]), Err(OutOfBounds { position: 0, index: -25 }));
        assert_eq!(take(&src, 1, 24, 1, &[u64::MAX], &mut out[..1]).unwrap_err().index, u64::MAX as i128);
        // Validation happens even when nothing is copied.
        assert!(take::<i32, i32>(&[], 0, 3, 1, &[5], &mut []).is_err());
        // Large: the parallel path, with the first bad index reported.
        let n = PAR_THRESHOLD + 77;
        let mut rng = Rng::seed_from_u64(1);
        let mut idx: Vec<i64> = (0..n).map(|_| rng.below(24) as i64 - 12).collect();
        let mut out = vec![0; n];
        take(&src, 1, 24, 1, &idx, &mut out).unwrap();
        assert!(out.iter().zip(&idx).all(|(&o, &i)| o == src[resolve(i, 24).unwrap()]));
        idx[n - 5] = 99;
        idx[n - 3] = -99;
        assert_eq!(take(&src, 1, 24, 1, &idx, &mut out), Err(OutOfBounds { position: n - 5, index: 99 }));
    }

    #[test]
    fn mask_selection_matches_a_plain_loop() {
        let mut rng = Rng::seed_from_u64(3);
        for (n, p) in [(0usize, 50u64), (5, 50), (64, 100), (1000, 50), (PAR_THRESHOLD + 130, 50), (BLOCK * 3 + 1, 99)]
        {
            for inner in [1usize, 3] {
                let mask: Vec<u8> = (0..n).map(|_| (rng.below(100) < p) as u8).collect();
                let src: Vec<u32> = (0..(n * inner) as u32).collect();
                let counts = count_mask(&mask);
                let expected: Vec<u32> = (0..n)
                    .filter(|&i| mask[i] != 0)
                    .flat_map(|i| src[i * inner..(i + 1) * inner].iter().copied())
                    .collect();
                assert_eq!(counts.total() * inner, expected.len());
                let mut out = vec![0; expected.len()];
                compress(&src, &mask, inner, &counts, &mut out);
                assert_eq!(out, expected);
                let mut pos = vec![0i64; counts.total()];
                true_positions(&mask, &counts, &mut pos);
                assert!(pos.iter().copied().eq((0..n as i64).filter(|&i| mask[i as usize] != 0)));
            }
        }
    }
}
