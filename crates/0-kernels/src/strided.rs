//! Iteration over strided layouts.
//!
//! Every walker first coalesces the layout (see [`crate::layout::coalesce`]),
//! so a contiguous or "contiguous in runs" layout becomes a few long inner
//! loops. Offsets are absolute element indices into the buffer slice the
//! caller holds, so every access stays bounds-checked in safe code.

use crate::layout::{coalesce, size};

/// Calls `f` with the absolute element offset of every element of the layout
/// `(shape, strides, offset)`, in logical C order.
///
/// The caller guarantees the layout is in bounds of its buffer (every offset
/// it produces is `>= 0`); the core's `Layout` invariants ensure that.
pub fn for_each_offset(shape: &[usize], strides: &[isize], offset: usize, mut f: impl FnMut(usize)) {
    let (shape, strides) = coalesce(shape, strides);
    if size(&shape) == 0 {
        return;
    }
    let nd = shape.len();
    if nd == 0 {
        f(offset);
        return;
    }
    let inner_len = shape[nd - 1];
    let inner_stride = strides[nd - 1];
    let mut idx = vec![0usize; nd - 1];
    let mut base = offset as isize;
    loop {
        let mut p = base;
        for _ in 0..inner_len {
            f(p as usize);
            p += inner_stride;
        }
        // Advance the outer multi-index (odometer), keeping `base` in sync.
        let mut k = nd - 1;
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            idx[k] += 1;
            base += strides[k];
            if idx[k] < shape[k] {
                break;
            }
            base -= strides[k] * shape[k] as isize;
            idx[k] = 0;
        }
    }
}

/// Calls `f(a, b)` with the absolute offsets of corresponding elements of two
/// layouts of the same `shape` (one of them typically broadcast, with zero
/// strides), in logical C order. Axes are merged only where both layouts
/// allow it.
pub fn for_each_offset2(
    shape: &[usize],
    strides_a: &[isize],
    offset_a: usize,
    strides_b: &[isize],
    offset_b: usize,
    mut f: impl FnMut(usize, usize),
) {
    if size(shape) == 0 {
        return;
    }
    // Joint coalescing: drop unit axes, merge k-1 and k if both layouts can.
    let mut dims: Vec<(usize, isize, isize)> = Vec::with_capacity(shape.len());
    for k in 0..shape.len() {
        let (d, sa, sb) = (shape[k], strides_a[k], strides_b[k]);
        if d == 1 {
            continue;
        }
        if let Some(last) = dims.last_mut()
            && last.1 == sa * d as isize
            && last.2 == sb * d as isize
        {
            *last = (last.0 * d, sa, sb);
            continue;
        }
        dims.push((d, sa, sb));
    }
    let nd = dims.len();
    if nd == 0 {
        f(offset_a, offset_b);
        return;
    }
    let (inner_len, isa, isb) = dims[nd - 1];
    let mut idx = vec![0usize; nd - 1];
    let (mut base_a, mut base_b) = (offset_a as isize, offset_b as isize);
    loop {
        let (mut pa, mut pb) = (base_a, base_b);
        for _ in 0..inner_len {
            f(pa as usize, pb as usize);
            pa += isa;
            pb += isb;
        }
        let mut k = nd - 1;
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            let (d, sa, sb) = dims[k];
            idx[k] += 1;
            base_a += sa;
            base_b += sb;
            if idx[k] < d {
                break;
            }
            base_a -= sa * d as isize;
            base_b -= sb * d as isize;
            idx[k] = 0;
        }
    }
}

/// Gathers the elements of a strided layout over `src` into a new vector in
/// logical C order. A contiguous layout is one `memcpy`.
pub fn gather<T: Copy>(src: &[T], shape: &[usize], strides: &[isize], offset: usize) -> Vec<T> {
    let n = size(shape);
    if n == 0 {
        return Vec::new();
    }
    if crate::layout::is_c_contiguous(shape, strides) {
        return src[offset..offset + n].to_vec();
    }
    let mut out = Vec::with_capacity(n);
    for_each_offset(shape, strides, offset, |o| out.push(src[o]));
    out
}

/// Writes `value` into every element of a strided layout over `dst`.
pub fn fill<T: Copy>(dst: &mut [T], shape: &[usize], strides: &[isize], offset: usize, value: T) {
    let n = size(shape);
    if n == 0 {
        return;
    }
    if crate::layout::is_c_contiguous(shape, strides) {
        dst[offset..offset + n].fill(value);
        return;
    }
    for_each_offset(shape, strides, offset, |o| dst[o] = value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::c_strides;

    #[test]
    fn walks_in_logical_order() {
        let src: Vec<i32> = (0..12).collect();
        // Transposed 3x4 -> 4x3.
        assert_eq!(gather(&src, &[4, 3], &[1, 4], 0), vec![0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
        // Reversed rows.
        assert_eq!(gather(&src, &[3, 4], &[-4, 1], 8), vec![8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3]);
        // 0-d and empty (an empty view's offset may lie past the end).
        assert_eq!(gather(&src, &[0], &[1], 12), Vec::<i32>::new());
        assert_eq!(gather(&src, &[], &[], 5), vec![5]);
        assert_eq!(gather(&src, &[0, 3], &[3, 1], 0), Vec::<i32>::new());
        // Broadcast (zero stride).
        assert_eq!(gather(&src, &[2, 3], &[0, 1], 1), vec![1, 2, 3, 1, 2, 3]);
    }

    #[test]
    fn paired_walk_matches_single_walks() {
        let shape = [2, 3, 4];
        let sa = c_strides(&shape);
        let sb = [1isize, 0, 2];
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for_each_offset2(&shape, &sa, 0, &sb, 3, |x, y| {
            a.push(x);
            b.push(y);
        });
        let mut a2 = Vec::new();
        for_each_offset(&shape, &sa, 0, |x| a2.push(x));
        let mut b2 = Vec::new();
        for_each_offset(&shape, &sb, 3, |x| b2.push(x));
        assert_eq!(a, a2);
        assert_eq!(b, b2);
    }

    #[test]
    fn fill_strided() {
        let mut dst = vec![0u8; 6];
        fill(&mut dst, &[3], &[2], 1, 7);
        assert_eq!(dst, vec![0, 7, 0, 7, 0, 7]);
    }
}
