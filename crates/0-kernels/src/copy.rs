//! Copying a strided layout into C order in one pass: the kernel behind
//! `Array::copy`, `to_contiguous` and every permuted copy.
//!
//! After coalescing (see [`crate::layout::coalesce`]) a layout falls in one
//! of three cases:
//!
//! 1. contiguous: one `memcpy`;
//! 2. the innermost source axis has stride 1 (slices, row subsets,
//!    reversals of outer axes): a `memcpy` per run;
//! 3. the innermost axis is strided while another axis is nearly contiguous
//!    in the source (a transpose, or any permutation that moves the source's
//!    unit-stride axis outwards): a **tiled** copy over those two axes. A
//!    naive walk reads the source with a large stride, touching a new cache
//!    line (and, for big arrays, a new page) on every element; copying
//!    square tiles of [`TILE`]×[`TILE`] elements reads whole cache lines of
//!    the source and writes whole lines of the destination while both stay
//!    in L1.
//!
//! Large copies split the output into bands along its outermost axis and
//! copy the bands on all cores (rayon) above [`PAR_THRESHOLD`] elements.

use crate::layout::{coalesce, size};

/// Elements above which a copy runs on every core. A `memcpy` of 1 MiB
/// already runs at memory speed on one core; splitting pays from a few MiB.
pub const PAR_THRESHOLD: usize = 1 << 20;
/// Side of the square tiles of the transposing copy, in elements: 32×32
/// float32 is 4 KiB of source and 4 KiB of destination, well inside L1.
pub const TILE: usize = 32;

/// Writes the elements of the strided layout `(shape, strides, offset)` over
/// `src` into `dst` in logical C order. `dst.len()` must equal the layout's
/// element count, and the layout must lie inside `src` (the core's `Array`
/// invariants ensure it); out-of-bounds layouts panic, never read stray
/// memory.
pub fn copy_to_c_order<T: Copy + Send + Sync>(
    dst: &mut [T],
    src: &[T],
    shape: &[usize],
    strides: &[isize],
    offset: usize,
) {
    let n = size(shape);
    assert_eq!(dst.len(), n, "copy_to_c_order: destination length must equal the layout's element count");
    if n == 0 {
        return;
    }
    let (shape, strides) = coalesce(shape, strides);
    if n >= PAR_THRESHOLD && !shape.is_empty() && shape[0] > 1 {
        // Bands of whole indices along axis 0: each is a C-contiguous piece
        // of the output with the same layout, shorter along axis 0.
        let row = n / shape[0];
        let threads = rayon::current_num_threads().max(1);
        // A few bands per thread for balance, none smaller than about
        // 256 Ki elements.
        let band = shape[0].div_ceil(threads * 4).max((1 << 18) / row).max(1);
        if band < shape[0] {
            crate::par::for_each_chunk(dst, band * row, &|first, d| {
                let mut sub = shape.clone();
                sub[0] = d.len() / row;
                let start = offset as isize + (first / row) as isize * strides[0];
                copy_serial(d, src, &sub, &strides, start as usize);
            });
            return;
        }
    }
    copy_serial(dst, src, &shape, &strides, offset);
}

/// The single-threaded copy of a coalesced layout (no axis of length 1,
/// no two mergeable neighbours).
fn copy_serial<T: Copy>(dst: &mut [T], src: &[T], shape: &[usize], strides: &[isize], offset: usize) {
    let nd = shape.len();
    if nd == 0 {
        dst[0] = src[offset];
        return;
    }
    let (inner, inner_stride) = (shape[nd - 1], strides[nd - 1]);
    if inner_stride == 1 {
        // Case 1 and 2: a memcpy per run of the innermost axis.
        let mut d = 0;
        for_each_base(&shape[..nd - 1], &strides[..nd - 1], offset as isize, |s| {
            let s = s as usize;
            dst[d..d + inner].copy_from_slice(&src[s..s + inner]);
            d += inner;
        });
        return;
    }
    // Case 3 when some outer axis steps through the source in smaller
    // strides than the innermost one: tile over that axis and the innermost.
    let j = (0..nd - 1).min_by_key(|&k| strides[k].unsigned_abs());
    if let Some(j) = j.filter(|&j| strides[j].unsigned_abs() < inner_stride.unsigned_abs()) {
        return copy_tiled(dst, src, shape, strides, offset, j);
    }
    // Otherwise the source has no better axis: walk it in output order.
    let mut d = 0;
    for_each_base(&shape[..nd - 1], &strides[..nd - 1], offset as isize, |s| {
        let mut p = s;
        for v in &mut dst[d..d + inner] {
            *v = src[p as usize];
            p += inner_stride;
        }
        d += inner;
    });
}

/// Tiled copy over axis `j` and the innermost axis `k`; the other axes are
/// walked outside the tiles.
fn copy_tiled<T: Copy>(dst: &mut [T], src: &[T], shape: &[usize], strides: &[isize], offset: usize, j: usize) {
    let nd = shape.len();
    let k = nd - 1;
    let (nj, nk) = (shape[j], shape[k]);
    let (sj, sk) = (strides[j], strides[k]);
    // Output (C-order) strides of every axis.
    let mut dst_strides = vec![0usize; nd];
    let mut acc = 1;
    for a in (0..nd).rev() {
        dst_strides[a] = acc;
        acc *= shape[a];
    }
    let dj = dst_strides[j];
    // The outer axes: all but j and k, with their source and output strides.
    let outer: Vec<usize> = (0..k).filter(|&a| a != j).collect();
    let oshape: Vec<usize> = outer.iter().map(|&a| shape[a]).collect();
    let mut idx = vec![0usize; outer.len()];
    let (mut sbase, mut dbase) = (offset as isize, 0usize);
    loop {
        for jb in (0..nj).step_by(TILE) {
            let je = (jb + TILE).min(nj);
            for kb in (0..nk).step_by(TILE) {
                let kw = (kb + TILE).min(nk) - kb;
                for jj in jb..je {
                    let d0 = dbase + jj * dj + kb;
                    let mut p = sbase + jj as isize * sj + kb as isize * sk;
                    for v in &mut dst[d0..d0 + kw] {
                        *v = src[p as usize];
                        p += sk;
                    }
                }
            }
        }
        // Next outer index (odometer), keeping both bases in step.
        let mut a = outer.len();
        loop {
            if a == 0 {
                return;
            }
            a -= 1;
            let axis = outer[a];
            idx[a] += 1;
            sbase += strides[axis];
            dbase += dst_strides[axis];
            if idx[a] < oshape[a] {
                break;
            }
            sbase -= strides[axis] * oshape[a] as isize;
            dbase -= dst_strides[axis] * oshape[a];
            idx[a] = 0;
        }
    }
}

/// Calls `f` with the source offset of the first element of every run of
/// the innermost axis, in C order of the outer axes `shape`.
fn for_each_base(shape: &[usize], strides: &[isize], offset: isize, mut f: impl FnMut(isize)) {
    let mut idx = vec![0usize; shape.len()];
    let mut base = offset;
    loop {
        f(base);
        let mut a = shape.len();
        loop {
            if a == 0 {
                return;
            }
            a -= 1;
            idx[a] += 1;
            base += strides[a];
            if idx[a] < shape[a] {
                break;
            }
            base -= strides[a] * shape[a] as isize;
            idx[a] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strided::for_each_offset;
    use proptest::prelude::*;

    /// The plain strided copy the fast one must equal.
    fn reference(src: &[u32], shape: &[usize], strides: &[isize], offset: usize) -> Vec<u32> {
        let mut out = Vec::new();
        for_each_offset(shape, strides, offset, |o| out.push(src[o]));
        out
    }

    fn copy(src: &[u32], shape: &[usize], strides: &[isize], offset: usize) -> Vec<u32> {
        let mut dst = vec![u32::MAX; size(shape)];
        copy_to_c_order(&mut dst, src, shape, strides, offset);
        dst
    }

    /// A random layout over a buffer: a shape, a permutation of C strides
    /// with random steps and signs, and the offset that keeps it in bounds.
    fn layout() -> impl Strategy<Value = (Vec<usize>, Vec<isize>, usize, usize)> {
        prop::collection::vec((0usize..7, 1isize..3, any::<bool>()), 0..5)
            .prop_flat_map(|dims| {
                let n = dims.len();
                (Just(dims), Just((0..n).collect::<Vec<usize>>()).prop_shuffle())
            })
            .prop_map(|(dims, perm)| {
                // Strides of a C layout of the permuted dims, stepped and signed.
                let mut strides = vec![0isize; dims.len()];
                let mut acc = 1isize;
                for &a in perm.iter().rev() {
                    let (d, step, neg) = dims[a];
                    strides[a] = if neg { -acc * step } else { acc * step };
                    acc *= (d.max(1) as isize) * step;
                }
                let shape: Vec<usize> = dims.iter().map(|d| d.0).collect();
                // Offset so that the smallest reached element is 0.
                let lo: isize = shape
                    .iter()
                    .zip(&strides)
                    .map(|(&d, &s)| if s < 0 { (d.max(1) as isize - 1) * s } else { 0 })
                    .sum();
                (shape, strides, (-lo) as usize, acc as usize)
            })
    }

    proptest! {
        #[test]
        fn equals_the_plain_strided_copy((shape, strides, offset, len) in layout()) {
            let src: Vec<u32> = (0..len as u32 + 1).collect();
            prop_assert_eq!(copy(&src, &shape, &strides, offset), reference(&src, &shape, &strides, offset));
        }
    }

    #[test]
    fn transposes_across_tile_edges_and_threads() {
        // Sizes around the tile side and large enough to run threaded.
        for (r, c) in [(1usize, 1usize), (31, 33), (32, 32), (33, 65), (100, 7), (1500, 1100)] {
            let src: Vec<u32> = (0..(r * c) as u32).collect();
            // The transpose of a C-order r x c matrix: shape (c, r), strides (1, c).
            let got = copy(&src, &[c, r], &[1, c as isize], 0);
            assert_eq!(got, reference(&src, &[c, r], &[1, c as isize], 0), "{r}x{c}");
            // Reversed on both axes.
            let off = r * c - 1;
            let got = copy(&src, &[c, r], &[-1, -(c as isize)], off);
            assert_eq!(got, reference(&src, &[c, r], &[-1, -(c as isize)], off), "{r}x{c} reversed");
        }
        // Batched transpose (the last two axes) of a 3-D array, threaded.
        let (b, r, c) = (6usize, 300, 700);
        let src: Vec<u32> = (0..(b * r * c) as u32).collect();
        let (shape, strides) = ([b, c, r], [(r * c) as isize, 1, c as isize]);
        assert_eq!(copy(&src, &shape, &strides, 0), reference(&src, &shape, &strides, 0));
        // Batch axis innermost: (r, c, b) from a C-order (b, r, c).
        let (shape, strides) = ([r, c, b], [c as isize, 1, (r * c) as isize]);
        assert_eq!(copy(&src, &shape, &strides, 0), reference(&src, &shape, &strides, 0));
    }

    #[test]
    fn contiguous_strided_broadcast_and_empty() {
        let src: Vec<u32> = (0..4_000_000).collect();
        // Contiguous, large (threaded bands of memcpy).
        assert_eq!(copy(&src, &[2000, 2000], &[2000, 1], 0), src);
        // Every other column of the rows (no unit stride anywhere).
        assert_eq!(copy(&src, &[2000, 1000], &[2000, 2], 1), reference(&src, &[2000, 1000], &[2000, 2], 1));
        // Broadcast: zero strides.
        assert_eq!(copy(&src, &[3, 4], &[0, 1], 5), vec![5, 6, 7, 8, 5, 6, 7, 8, 5, 6, 7, 8]);
        assert_eq!(copy(&src, &[4, 3], &[1, 0], 5), vec![5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8]);
        // 0-d, and empty layouts whose offset is past the end.
        assert_eq!(copy(&src, &[], &[], 9), vec![9]);
        assert_eq!(copy(&src, &[0, 5], &[5, 1], src.len()), Vec::<u32>::new());
    }

    #[test]
    #[should_panic(expected = "destination length")]
    fn wrong_destination_length_panics() {
        copy_to_c_order(&mut [0u8; 3], &[1u8, 2], &[2], &[1], 0);
    }
}
