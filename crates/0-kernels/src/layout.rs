//! Layout math: every function maps shapes and strides to shapes and strides
//! and touches no bytes.
//!
//! Strides and offsets are counted in **elements**, not bytes (as in DLPack
//! and the `ndarray` crate). A layout `(shape, strides, offset)` addresses
//! element `offset + Σ index[k]·strides[k]`.

/// Number of elements of `shape`, or `None` if the product overflows `usize`.
pub fn checked_size(shape: &[usize]) -> Option<usize> {
    shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d))
}

/// Number of elements of `shape` (the caller guarantees it does not overflow).
pub fn size(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// Row-major (C order) strides of `shape`, in elements.
pub fn c_strides(shape: &[usize]) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut acc = 1isize;
    for k in (0..shape.len()).rev() {
        strides[k] = acc;
        acc = acc.wrapping_mul(shape[k].max(1) as isize);
    }
    strides
}

/// Column-major (Fortran order) strides of `shape`, in elements.
pub fn f_strides(shape: &[usize]) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut acc = 1isize;
    for k in 0..shape.len() {
        strides[k] = acc;
        acc = acc.wrapping_mul(shape[k].max(1) as isize);
    }
    strides
}

/// Whether `(shape, strides)` is C-contiguous. Axes of length 1 may have any
/// stride, and every zero-size layout is contiguous (as in NumPy).
pub fn is_c_contiguous(shape: &[usize], strides: &[isize]) -> bool {
    if shape.contains(&0) {
        return true;
    }
    let mut expected = 1isize;
    for k in (0..shape.len()).rev() {
        if shape[k] != 1 {
            if strides[k] != expected {
                return false;
            }
            expected *= shape[k] as isize;
        }
    }
    true
}

/// Whether `(shape, strides)` is Fortran-contiguous (see [`is_c_contiguous`]).
pub fn is_f_contiguous(shape: &[usize], strides: &[isize]) -> bool {
    if shape.contains(&0) {
        return true;
    }
    let mut expected = 1isize;
    for k in 0..shape.len() {
        if shape[k] != 1 {
            if strides[k] != expected {
                return false;
            }
            expected *= shape[k] as isize;
        }
    }
    true
}

/// The smallest and largest element offsets (relative to the layout's own
/// offset) that a non-empty layout touches: `(min, max)`, both inclusive.
/// Returns `None` for a zero-size layout, which touches nothing.
pub fn offset_bounds(shape: &[usize], strides: &[isize]) -> Option<(isize, isize)> {
    if shape.contains(&0) {
        return None;
    }
    let (mut lo, mut hi) = (0isize, 0isize);
    for (&d, &s) in shape.iter().zip(strides) {
        let span = (d as isize - 1) * s;
        if span < 0 {
            lo += span;
        } else {
            hi += span;
        }
    }
    Some((lo, hi))
}

/// Checked version of [`offset_bounds`] for untrusted layouts (foreign
/// memory): `None` if the layout is empty, `Some(None)` if the arithmetic
/// overflows.
pub fn checked_offset_bounds(shape: &[usize], strides: &[isize]) -> Option<Option<(isize, isize)>> {
    if shape.contains(&0) {
        return None;
    }
    let mut lo = 0isize;
    let mut hi = 0isize;
    for (&d, &s) in shape.iter().zip(strides) {
        let Ok(d) = isize::try_from(d) else {
            return Some(None);
        };
        let Some(span) = (d - 1).checked_mul(s) else {
            return Some(None);
        };
        let next = if span < 0 { lo.checked_add(span).map(|l| (l, hi)) } else { hi.checked_add(span).map(|h| (lo, h)) };
        match next {
            Some((l, h)) => {
                lo = l;
                hi = h;
            }
            None => return Some(None),
        }
    }
    Some(Some((lo, hi)))
}

/// The broadcast shape of two shapes (NumPy rules: align trailing axes; an
/// axis of length 1 stretches). `None` if they are incompatible.
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let mut out = vec![0usize; n];
    for k in 0..n {
        let da = if k + a.len() >= n { a[k + a.len() - n] } else { 1 };
        let db = if k + b.len() >= n { b[k + b.len() - n] } else { 1 };
        out[k] = if da == db || db == 1 {
            da
        } else if da == 1 {
            db
        } else {
            return None;
        };
    }
    Some(out)
}

/// Strides that view `(shape, strides)` as `target` (a broadcast of it):
/// stretched axes and new leading axes get stride 0. `None` if `shape` does
/// not broadcast to `target`.
pub fn broadcast_strides(shape: &[usize], strides: &[isize], target: &[usize]) -> Option<Vec<isize>> {
    if shape.len() > target.len() {
        return None;
    }
    let lead = target.len() - shape.len();
    let mut out = vec![0isize; target.len()];
    for k in 0..shape.len() {
        let t = target[lead + k];
        if shape[k] == t {
            out[lead + k] = if t == 1 { 0 } else { strides[k] };
        } else if shape[k] == 1 {
            out[lead + k] = 0;
        } else {
            return None;
        }
    }
    Some(out)
}

/// Strides for viewing `(shape, strides)` as `new_shape` without copying, or
/// `None` if that needs a copy. Follows NumPy's `_attempt_nocopy_reshape`:
/// runs of axes that are contiguous with each other may be split and merged
/// freely; axes of length 1 are ignored. Both shapes must have equal size.
pub fn reshape_strides(shape: &[usize], strides: &[isize], new_shape: &[usize]) -> Option<Vec<isize>> {
    let size = self::size(shape);
    if size == 0 || size == 1 {
        // Any layout of zero or one element can be viewed as any shape.
        return Some(c_strides(new_shape));
    }
    // Drop length-1 axes of the source; they carry no layout information.
    let (old_dims, old_strides): (Vec<usize>, Vec<isize>) =
        shape.iter().zip(strides).filter(|(d, _)| **d != 1).map(|(&d, &s)| (d, s)).unzip();
    let mut new_strides = vec![0isize; new_shape.len()];
    let (mut oi, mut oj) = (0usize, 1usize);
    let (mut ni, mut nj) = (0usize, 1usize);
    let (on, nn) = (old_dims.len(), new_shape.len());
    while ni < nn && oi < on {
        let mut np = new_shape[ni];
        let mut op = old_dims[oi];
        while np != op {
            if np < op {
                np *= new_shape[nj];
                nj += 1;
            } else {
                op *= old_dims[oj];
                oj += 1;
            }
        }
        // The old axes oi..oj must be contiguous with each other (C order).
        for ok in oi..oj - 1 {
            if old_strides[ok] != old_strides[ok + 1] * old_dims[ok + 1] as isize {
                return None;
            }
        }
        // Lay the new axes ni..nj out C-contiguously over the old run.
        new_strides[nj - 1] = old_strides[oj - 1];
        for nk in (ni + 1..nj).rev() {
            new_strides[nk - 1] = new_strides[nk] * new_shape[nk] as isize;
        }
        ni = nj;
        nj += 1;
        oi = oj;
        oj += 1;
    }
    // Trailing new axes of length 1.
    for nk in ni..nn {
        new_strides[nk] = if nk > 0 { new_strides[nk - 1] } else { 1 };
    }
    Some(new_strides)
}

/// Merges adjacent axes that are contiguous with each other and drops axes of
/// length 1, so that strided loops run over as few, as long axes as possible
/// (NumPy's nditer does the same). The result addresses the same elements in
/// the same logical (C) order. A zero-size layout becomes `([0], [0])`; a
/// single element becomes `([], [])`.
pub fn coalesce(shape: &[usize], strides: &[isize]) -> (Vec<usize>, Vec<isize>) {
    if shape.contains(&0) {
        return (vec![0], vec![0]);
    }
    let mut out_shape: Vec<usize> = Vec::with_capacity(shape.len());
    let mut out_strides: Vec<isize> = Vec::with_capacity(shape.len());
    for (&d, &s) in shape.iter().zip(strides) {
        if d == 1 {
            continue;
        }
        if let (Some(last_d), Some(last_s)) = (out_shape.last_mut(), out_strides.last_mut())
            && *last_s == s * d as isize
        {
            *last_d *= d;
            *last_s = s;
            continue;
        }
        out_shape.push(d);
        out_strides.push(s);
    }
    (out_shape, out_strides)
}

/// Normalises a possibly negative axis against `ndim`, NumPy style.
pub fn normalize_axis(axis: isize, ndim: usize) -> Option<usize> {
    let n = ndim as isize;
    let a = if axis < 0 { axis + n } else { axis };
    (0..n).contains(&a).then_some(a as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Element offsets of a layout in C order, the slow obvious way.
    fn offsets(shape: &[usize], strides: &[isize]) -> Vec<isize> {
        let n = size(shape);
        let mut out = Vec::with_capacity(n);
        let mut idx = vec![0usize; shape.len()];
        for _ in 0..n {
            out.push(idx.iter().zip(strides).map(|(&i, &s)| i as isize * s).sum());
            for k in (0..shape.len()).rev() {
                idx[k] += 1;
                if idx[k] < shape[k] {
                    break;
                }
                idx[k] = 0;
            }
        }
        out
    }

    #[test]
    fn contiguity_and_strides() {
        assert_eq!(c_strides(&[2, 3, 4]), vec![12, 4, 1]);
        assert_eq!(f_strides(&[2, 3, 4]), vec![1, 2, 6]);
        assert!(is_c_contiguous(&[2, 3], &[3, 1]));
        assert!(!is_c_contiguous(&[2, 3], &[1, 2]));
        assert!(is_f_contiguous(&[2, 3], &[1, 2]));
        assert!(is_c_contiguous(&[2, 1, 3], &[3, 99, 1]));
        assert!(is_c_contiguous(&[0, 3], &[7, 7]));
        assert!(is_c_contiguous(&[], &[]));
        assert_eq!(offset_bounds(&[3, 2], &[-2, 1]), Some((-4, 1)));
        assert_eq!(offset_bounds(&[3, 0], &[-2, 1]), None);
    }

    #[test]
    fn broadcasting_corners() {
        assert_eq!(broadcast_shapes(&[3, 1], &[4]), Some(vec![3, 4]));
        assert_eq!(broadcast_shapes(&[], &[2, 3]), Some(vec![2, 3]));
        assert_eq!(broadcast_shapes(&[0], &[1]), Some(vec![0]));
        assert_eq!(broadcast_shapes(&[0], &[2]), None);
        assert_eq!(broadcast_shapes(&[2, 3], &[3, 2]), None);
        assert_eq!(broadcast_strides(&[3, 1], &[1, 1], &[2, 3, 4]), Some(vec![0, 1, 0]));
        assert_eq!(broadcast_strides(&[3], &[1], &[4]), None);
    }

    #[test]
    fn reshape_views() {
        assert_eq!(reshape_strides(&[2, 6], &[6, 1], &[3, 4]), Some(vec![4, 1]));
        assert_eq!(reshape_strides(&[2, 3], &[1, 2], &[6]), None);
        assert_eq!(reshape_strides(&[2, 3], &[1, 2], &[2, 3, 1]), Some(vec![1, 2, 2]));
        assert_eq!(reshape_strides(&[4, 3], &[6, 1], &[2, 2, 3]), Some(vec![12, 6, 1]));
        assert_eq!(reshape_strides(&[4, 3], &[6, 1], &[12]), None);
        assert_eq!(reshape_strides(&[4], &[-1], &[2, 2]), Some(vec![-2, -1]));
    }

    fn layout() -> impl Strategy<Value = (Vec<usize>, Vec<isize>)> {
        prop::collection::vec((0usize..4, -6isize..7), 0..5).prop_map(|v| v.into_iter().unzip())
    }

    proptest! {
        #[test]
        fn coalesce_preserves_offsets((shape, strides) in layout()) {
            let (cs, cst) = coalesce(&shape, &strides);
            if size(&shape) == 0 {
                prop_assert_eq!(size(&cs), 0);
            } else {
                prop_assert_eq!(offsets(&shape, &strides), offsets(&cs, &cst));
            }
        }

        #[test]
        fn reshape_view_preserves_order(shape in prop::collection::vec(1usize..4, 0..4), split in 0usize..4, neg in any::<bool>()) {
            // A C-contiguous (optionally reversed) layout reshaped to any
            // factorisation must address the same elements in the same order.
            let mut strides = c_strides(&shape);
            if neg && !strides.is_empty() { strides[0] = -strides[0]; }
            let n = size(&shape);
            let new_shape = if split > 0 && n.is_multiple_of(split + 1) { vec![split + 1, n / (split + 1)] } else { vec![n] };
            if let Some(ns) = reshape_strides(&shape, &strides, &new_shape) {
                prop_assert_eq!(offsets(&shape, &strides), offsets(&new_shape, &ns));
            } else {
                prop_assert!(neg, "a C-contiguous layout always reshapes without a copy");
            }
        }

        #[test]
        fn broadcast_is_commutative(a in prop::collection::vec(0usize..3, 0..4), b in prop::collection::vec(0usize..3, 0..4)) {
            prop_assert_eq!(broadcast_shapes(&a, &b), broadcast_shapes(&b, &a));
            if let Some(t) = broadcast_shapes(&a, &b) {
                prop_assert!(broadcast_strides(&a, &c_strides(&a), &t).is_some());
            }
        }

        #[test]
        fn bounds_match_offsets((shape, strides) in layout()) {
            let offs = offsets(&shape, &strides);
            let expect = (!offs.is_empty()).then(|| (*offs.iter().min().unwrap(), *offs.iter().max().unwrap()));
            prop_assert_eq!(offset_bounds(&shape, &strides), expect);
            prop_assert_eq!(checked_offset_bounds(&shape, &strides).map(|b| b.unwrap()), expect);
        }
    }
}
