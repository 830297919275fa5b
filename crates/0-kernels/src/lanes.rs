//! Work split into lanes: a contiguous buffer holding many equal-length runs
//! (the lanes of an array along its last axis), processed one lane at a
//! time and in parallel when the buffer is large.

use rayon::prelude::*;

use crate::elementwise::PAR_THRESHOLD;

/// Calls `f` on every lane of `len` elements of `data` (`data.len()` a
/// multiple of `len`), in parallel above [`PAR_THRESHOLD`] elements.
pub fn for_each_lane<T: Send>(data: &mut [T], len: usize, f: impl Fn(&mut [T]) + Sync + Send) {
    if len == 0 || data.is_empty() {
        return;
    }
    if data.len() >= PAR_THRESHOLD && data.len() > len {
        data.par_chunks_mut(len).for_each(f);
    } else {
        data.chunks_mut(len).for_each(f);
    }
}

/// Calls `f(src_lane, dst_lane)` on corresponding lanes of `src` (lanes of
/// `src_len`) and `dst` (lanes of `dst_len`; the two hold the same number
/// of lanes), in parallel above [`PAR_THRESHOLD`] elements.
pub fn for_each_lane_pair<S: Sync, D: Send>(
    src: &[S],
    src_len: usize,
    dst: &mut [D],
    dst_len: usize,
    f: impl Fn(&[S], &mut [D]) + Sync + Send,
) {
    if src_len == 0 || dst_len == 0 || dst.is_empty() {
        return;
    }
    debug_assert_eq!(src.len() / src_len, dst.len() / dst_len);
    let lanes = dst.len() / dst_len;
    if src.len().max(dst.len()) >= PAR_THRESHOLD && lanes > 1 {
        src.par_chunks(src_len).zip(dst.par_chunks_mut(dst_len)).for_each(|(s, d)| f(s, d));
    } else {
        src.chunks(src_len).zip(dst.chunks_mut(dst_len)).for_each(|(s, d)| f(s, d));
    }
}
