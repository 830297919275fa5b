//! Searching functions of the Array API standard: [`Array::nonzero`] (and
//! NumPy's [`Array::argwhere`]), [`where_`], [`searchsorted`], and a
//! partial sort, [`Array::topk`].
//!
//! Positions are returned as `int64` arrays (NumPy's `intp` on 64-bit
//! platforms). Searching and top-k use the order of [`crate::sorting`]:
//! NaN after every number, in both directions.
//!
//! ```
//! use oxarray_core::{searchsorted, Array, Side};
//! let a = Array::from_slice(&[0i32, 3, 0, 5], &[2, 2])?;
//! let nz = a.nonzero()?;
//! assert_eq!(nz[0].to_vec::<i64>()?, vec![0, 1]);
//! assert_eq!(nz[1].to_vec::<i64>()?, vec![1, 1]);
//! let sorted = Array::from_slice(&[1.0f64, 2.0, 2.0, 4.0], &[4])?;
//! let v = Array::from_slice(&[2.0f64, 5.0], &[2])?;
//! assert_eq!(searchsorted(&sorted, &v, Side::Right, None)?.to_vec::<i64>()?, vec![3, 4]);
//! let t = sorted.topk(2, -1, true)?;
//! assert_eq!(t.values.to_vec::<f64>()?, vec![4.0, 2.0]);
//! assert_eq!(t.indices.to_vec::<i64>()?, vec![3, 1]);
//! # Ok::<(), oxarray_core::Error>(())
//! ```

use std::cmp::Ordering;

use oxarray_kernels::lanes::for_each_lane_pair;
use oxarray_kernels::{select, strided};

use crate::array::Array;
use crate::dtype::DType;
use crate::element::Element;
use crate::error::{Error, Result};
use crate::manipulation::broadcast_shapes;
use crate::promotion::result_type;
use crate::selection::{bits, cast_to, contiguous, contiguous_bits, dispatch_bits, materialize, new_array};
use crate::sorting::{Sortable, cmp_dir, desc_key, lanes_back, lanes_last, norm_axis};

/// Which end of a run of equal values [`searchsorted`] returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Side {
    /// The first position where the value could be inserted (`a[i-1] < v <= a[i]`).
    #[default]
    Left,
    /// The last such position (`a[i-1] <= v < a[i]`).
    Right,
}

/// The result of [`Array::topk`].
#[derive(Clone, Debug)]
pub struct TopK {
    /// The `k` selected values along the axis, best first.
    pub values: Array,
    /// Their positions (int64) along the axis.
    pub indices: Array,
}

/// Flat positions (C order) of the non-zero elements, ascending: a count
/// pass and a compaction pass over one truth byte per element.
fn flat_true(a: &Array) -> Result<Vec<i64>> {
    let positions = |bytes: &[u8]| {
        let counts = select::count_mask(bytes);
        let mut pos = vec![0i64; counts.total()];
        select::true_positions(bytes, &counts, &mut pos);
        pos
    };
    if a.dtype == DType::Bool {
        let c = contiguous(a)?;
        return Ok(positions(contiguous_bits::<u8>(&c)?));
    }
    let truth = crate::dispatch!(a.dtype, T => {
        let zero = T::zero();
        a.iter::<T>()?.map(|x| (x != zero) as u8).collect::<Vec<u8>>()
    });
    Ok(positions(&truth))
}

/// The elements of `a` (any dtype) as `T`'s, in C order, after a cast.
fn values_as<T: Element>(a: &Array) -> Result<Vec<T>> {
    cast_to(a, T::DTYPE)?.to_vec::<T>()
}

impl Array {
    /// The indices of the non-zero (true) elements: one int64 array per
    /// axis, in C order. NaN counts as non-zero, `-0.0` as zero. 0-d arrays
    /// are an error, as in NumPy 2 and the Array API standard.
    pub fn nonzero(&self) -> Result<Vec<Array>> {
        if self.ndim() == 0 {
            return Err(Error::invalid(
                "nonzero",
                "calling nonzero on 0-d arrays is not allowed; use atleast_1d or reshape first",
            ));
        }
        let pos = flat_true(self)?;
        if self.ndim() == 1 {
            return Ok(vec![Array::from_slice(&pos, &[pos.len()])?]);
        }
        let coords = unravel_all(&pos, &self.shape);
        (0..self.ndim())
            .map(|d| {
                let v: Vec<i64> = coords.chunks(self.ndim()).map(|c| c[d]).collect();
                Array::from_vec(v, &[pos.len()])
            })
            .collect()
    }

    /// NumPy's `argwhere`: the indices of the non-zero elements as an int64
    /// array of shape `(count, ndim)`, one row per element in C order. A 0-d
    /// array gives shape `(1, 0)` or `(0, 0)`.
    pub fn argwhere(&self) -> Result<Array> {
        let pos = flat_true(self)?;
        let coords = unravel_all(&pos, &self.shape);
        Array::from_vec(coords, &[pos.len(), self.ndim()])
    }

    /// The `k` largest (`largest`) or smallest elements along `axis` and
    /// their indices, best first; ties go to the lower index. The result is
    /// exactly the first `k` of a stable [`sort`](Array::sort_with) /
    /// [`argsort`](Array::argsort_with) in that direction, so NaN is chosen
    /// only when fewer than `k` numbers remain. Uses a linear-time selection
    /// (`select_nth_unstable`) and sorts only the `k` chosen.
    pub fn topk(&self, k: usize, axis: isize, largest: bool) -> Result<TopK> {
        let axis = norm_axis(axis, self.ndim())?;
        let len = self.shape[axis];
        if k > len {
            return Err(Error::invalid("topk", format!("k = {k} is larger than the axis length {len}")));
        }
        let work = lanes_last(self, axis)?;
        let mut shape = work.shape.clone();
        *shape.last_mut().expect("an axis exists") = k;
        let mut indices = Array::zeros(&shape, DType::Int64)?;
        let values = crate::dispatch!(self.dtype, T => {
            let src = work.typed::<T>("topk")?;
            let idx = indices.typed_mut_unique::<i64>()?;
            for_each_lane_pair(src, len, idx, k, |lane, out| topk_lane(lane, out, largest));
            let idx = contiguous_bits::<i64>(&indices)?;
            new_array::<T>(&shape, self.dtype, |dst| {
                if len > 0 {
                    for (lane, (d, ix)) in src.chunks(len).zip(dst.chunks_mut(k.max(1)).zip(idx.chunks(k.max(1)))) {
                        for (d, &i) in d.iter_mut().zip(ix) {
                            *d = lane[i as usize];
                        }
                    }
                }
                Ok(())
            })?
        });
        Ok(TopK { values: lanes_back(values, axis)?, indices: lanes_back(indices, axis)? })
    }
}

/// Multi-indices (row-major, `shape.len()` per position) of flat positions.
fn unravel_all(pos: &[i64], shape: &[usize]) -> Vec<i64> {
    let nd = shape.len();
    let mut out = vec![0i64; pos.len() * nd];
    for (row, &p) in out.chunks_mut(nd.max(1)).zip(pos) {
        let mut flat = p as usize;
        for d in (0..nd).rev() {
            row[d] = (flat % shape[d]) as i64;
            flat /= shape[d];
        }
    }
    if nd == 0 {
        out.clear();
    }
    out
}

/// The positions of the `out.len()` best elements of `lane`, best first
/// (ties: lower position first).
fn topk_lane<T: Sortable>(lane: &[T], out: &mut [i64], largest: bool) {
    let (k, n) = (out.len(), lane.len());
    if k == 0 {
        return;
    }
    if T::RADIX {
        // Select the k-th key, then collect everything below it plus the
        // first few equal to it, and sort only those.
        let key = |x: T| if largest { desc_key(x) } else { x.key() };
        let mut picked: Vec<(T::Key, usize)> = if k < n {
            let mut keys: Vec<T::Key> = lane.iter().map(|&x| key(x)).collect();
            let (lo, &mut kth, _) = keys.select_nth_unstable(k - 1);
            let mut equal_left = k - lo.iter().filter(|&&c| c < kth).count();
            let mut picked = Vec::with_capacity(k);
            for (i, &x) in lane.iter().enumerate() {
                let c = key(x);
                if c < kth || (c == kth && equal_left > 0) {
                    equal_left -= usize::from(c == kth);
                    picked.push((c, i));
                }
            }
            picked
        } else {
            lane.iter().enumerate().map(|(i, &x)| (key(x), i)).collect()
        };
        picked.sort_unstable();
        for (o, &(_, i)) in out.iter_mut().zip(&picked) {
            *o = i as i64;
        }
        return;
    }
    let ord = |&i: &usize, &j: &usize| cmp_dir(&lane[i], &lane[j], largest).then(i.cmp(&j));
    let mut idx: Vec<usize> = (0..n).collect();
    if k < n {
        idx.select_nth_unstable_by(k, ord);
    }
    let best = &mut idx[..k];
    best.sort_unstable_by(ord);
    for (o, &i) in out.iter_mut().zip(best.iter()) {
        *o = i as i64;
    }
}

/// The Array API's `where`: elements of `x1` where `condition` is true and
/// of `x2` elsewhere, all three broadcast together; `x1` and `x2` promote
/// to their common dtype. A non-bool condition counts its non-zero
/// elements as true.
pub fn where_(condition: &Array, x1: &Array, x2: &Array) -> Result<Array> {
    let dtype = result_type(x1.dtype, x2.dtype)?;
    let shape = broadcast_shapes(&[&condition.shape, &x1.shape, &x2.shape])?;
    let cond = cast_to(condition, DType::Bool)?.broadcast_to(&shape)?;
    let a = materialize(&cast_to(x1, dtype)?.broadcast_to(&shape)?)?;
    let b = cast_to(x2, dtype)?.broadcast_to(&shape)?;
    let c = bits::<u8>(&cond)?;
    dispatch_bits!(dtype, B => {
        let src_a = contiguous_bits::<B>(&a)?;
        let src_b = bits::<B>(&b)?;
        new_array::<B>(&shape, dtype, |dst| {
            dst.copy_from_slice(src_a);
            let mut i = 0;
            strided::for_each_offset2(&shape, &cond.strides, cond.offset, &b.strides, b.offset, |co, bo| {
                if c[co] == 0 {
                    dst[i] = src_b[bo];
                }
                i += 1;
            });
            Ok(())
        })
    })
}

/// The Array API's `searchsorted`: for each element of `x2`, the position
/// in the 1-d array `x1` where inserting it keeps `x1` sorted (ascending,
/// in the order of [`crate::sorting`], NaN last). `sorter`, if given, is the
/// int permutation that sorts `x1` (as from [`Array::argsort`]). The two
/// arrays are compared in their common dtype. Returns int64 of `x2`'s shape.
pub fn searchsorted(x1: &Array, x2: &Array, side: Side, sorter: Option<&Array>) -> Result<Array> {
    if x1.ndim() != 1 {
        return Err(Error::invalid("searchsorted", format!("x1 must be 1-dimensional, not {}-dimensional", x1.ndim())));
    }
    let sorted = match sorter {
        Some(s) => {
            if s.shape != x1.shape {
                return Err(Error::invalid("searchsorted", "sorter must have the same shape as x1"));
            }
            x1.take(s, Some(0))?
        }
        None => x1.clone(),
    };
    let dtype = result_type(x1.dtype, x2.dtype)?;
    crate::dispatch!(dtype, T => {
        let hay: Vec<T> = values_as::<T>(&sorted)?;
        let needles: Vec<T> = values_as::<T>(x2)?;
        new_array::<i64>(&x2.shape, DType::Int64, |dst| {
            for (d, v) in dst.iter_mut().zip(&needles) {
                *d = match side {
                    Side::Left => hay.partition_point(|e| e.cmp_asc(v) == Ordering::Less),
                    Side::Right => hay.partition_point(|e| e.cmp_asc(v) != Ordering::Greater),
                } as i64;
            }
            Ok(())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unravel_is_row_major() {
        assert_eq!(unravel_all(&[0, 5, 7], &[2, 4]), vec![0, 0, 1, 1, 1, 3]);
        assert_eq!(unravel_all(&[0], &[]), Vec::<i64>::new());
    }
}
