//! Basic indexing: integers, `start:stop:step` slices (negative steps too),
//! new axes and an ellipsis. Every index produces a view: a new layout over
//! the same buffer, never a copy.
//!
//! ```
//! use oxarray_core::{s, Array, Index};
//! let a = Array::arange(0.0, 12.0, 1.0, oxarray_core::DType::Float64)?.reshape(&[3, 4])?;
//! let v = a.slice(&s![1.., Index::step(-1)])?; // a[1:, ::-1]
//! assert_eq!(v.shape(), &[2, 4]);
//! assert_eq!(v.get::<f64>(&[0, 0])?, 7.0);
//! assert_eq!(v.as_ptr(), a.slice(&s![1, 3])?.as_ptr()); // a view, no copy
//! # Ok::<(), oxarray_core::Error>(())
//! ```

use std::ops::{Range, RangeFrom, RangeFull, RangeInclusive, RangeTo};

use oxarray_kernels::strided;

use crate::array::Array;
use crate::cast::{Casting, can_cast};
use crate::dtype::DType;
use crate::element::Element;
use crate::error::{Error, ErrorKind, Result};

/// One entry of a basic index, as in NumPy's `a[i, 1:3, None, ...]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Index {
    /// A single position; removes the axis. Negative counts from the end.
    Int(isize),
    /// `start:stop:step`; `None` bounds mean "from the beginning/to the end"
    /// in the direction of `step` (which must not be 0).
    Slice {
        /// First position (inclusive).
        start: Option<isize>,
        /// End position (exclusive).
        stop: Option<isize>,
        /// Step; negative walks backwards.
        step: isize,
    },
    /// Inserts an axis of length 1 (`None` / `np.newaxis`).
    NewAxis,
    /// Stands for as many full slices as needed (`...`).
    Ellipsis,
}

impl Index {
    /// The full slice `:`.
    pub const ALL: Index = Index::Slice { start: None, stop: None, step: 1 };

    /// `start:stop:step` with explicit optional bounds.
    pub fn slice(start: Option<isize>, stop: Option<isize>, step: isize) -> Index {
        Index::Slice { start, stop, step }
    }

    /// `::step`, the whole axis with a step (`step(-1)` reverses).
    pub fn step(step: isize) -> Index {
        Index::Slice { start: None, stop: None, step }
    }
}

impl From<isize> for Index {
    fn from(i: isize) -> Index {
        Index::Int(i)
    }
}
impl From<Range<isize>> for Index {
    fn from(r: Range<isize>) -> Index {
        Index::slice(Some(r.start), Some(r.end), 1)
    }
}
impl From<RangeInclusive<isize>> for Index {
    fn from(r: RangeInclusive<isize>) -> Index {
        let end = *r.end();
        Index::slice(Some(*r.start()), if end == -1 { None } else { Some(end + 1) }, 1)
    }
}
impl From<RangeFrom<isize>> for Index {
    fn from(r: RangeFrom<isize>) -> Index {
        Index::slice(Some(r.start), None, 1)
    }
}
impl From<RangeTo<isize>> for Index {
    fn from(r: RangeTo<isize>) -> Index {
        Index::slice(None, Some(r.end), 1)
    }
}
impl From<RangeFull> for Index {
    fn from(_: RangeFull) -> Index {
        Index::ALL
    }
}

/// Builds a `[Index; N]` from integers, Rust ranges and [`Index`] values:
/// `s![0, 1..3, .., Index::NewAxis, Index::step(-1)]` is NumPy's
/// `[0, 1:3, :, None, ::-1]`.
#[macro_export]
macro_rules! s {
    ($($x:expr),* $(,)?) => {
        [$($crate::Index::from($x)),*]
    };
}

/// The layout `(shape, strides, offset)` that `index` selects from a layout.
pub(crate) fn index_layout(
    shape: &[usize],
    strides: &[isize],
    offset: usize,
    index: &[Index],
) -> Result<(Vec<usize>, Vec<isize>, usize)> {
    let ellipses = index.iter().filter(|i| matches!(i, Index::Ellipsis)).count();
    if ellipses > 1 {
        return Err(Error::invalid("index", "an index can only have a single ellipsis ('...')"));
    }
    let consumed = index.iter().filter(|i| matches!(i, Index::Int(_) | Index::Slice { .. })).count();
    if consumed > shape.len() {
        return Err(ErrorKind::TooManyIndices { ndim: shape.len(), given: consumed }.into());
    }
    let mut out_shape = Vec::with_capacity(shape.len() + index.len());
    let mut out_strides = Vec::with_capacity(shape.len() + index.len());
    let mut off = offset as isize;
    let mut axis = 0usize;
    let keep = |axis: &mut usize, out_shape: &mut Vec<usize>, out_strides: &mut Vec<isize>| {
        out_shape.push(shape[*axis]);
        out_strides.push(strides[*axis]);
        *axis += 1;
    };
    for &ix in index {
        match ix {
            Index::Int(i) => {
                let d = shape[axis];
                let j = if i < 0 { i + d as isize } else { i };
                if j < 0 || j >= d as isize {
                    return Err(ErrorKind::IndexOutOfBounds { axis, index: i, len: d }.into());
                }
                off += j * strides[axis];
                axis += 1;
            }
            Index::Slice { start, stop, step } => {
                let (first, len) = slice_indices(start, stop, step, shape[axis])?;
                if len > 0 {
                    off += first * strides[axis];
                }
                out_shape.push(len);
                out_strides.push(strides[axis] * step);
                axis += 1;
            }
            Index::NewAxis => {
                out_shape.push(1);
                out_strides.push(0);
            }
            Index::Ellipsis => {
                for _ in 0..shape.len() - consumed {
                    keep(&mut axis, &mut out_shape, &mut out_strides);
                }
            }
        }
    }
    while axis < shape.len() {
        keep(&mut axis, &mut out_shape, &mut out_strides);
    }
    Ok((out_shape, out_strides, off as usize))
}

/// Python's `slice.indices` followed by the length: the first position and
/// the number of selected positions of `start:stop:step` on an axis of `len`.
pub(crate) fn slice_indices(
    start: Option<isize>,
    stop: Option<isize>,
    step: isize,
    len: usize,
) -> Result<(isize, usize)> {
    if step == 0 {
        return Err(Error::invalid("index", "slice step cannot be zero"));
    }
    let n = len as isize;
    let clamp = |v: isize, lo: isize, hi: isize| v.clamp(lo, hi);
    let norm = |v: isize| if v < 0 { v + n } else { v };
    let (first, last) = if step > 0 {
        (start.map_or(0, |s| clamp(norm(s), 0, n)), stop.map_or(n, |s| clamp(norm(s), 0, n)))
    } else {
        (start.map_or(n - 1, |s| clamp(norm(s), -1, n - 1)), stop.map_or(-1, |s| clamp(norm(s), -1, n - 1)))
    };
    let count = if step > 0 {
        if last > first { (last - first + step - 1) / step } else { 0 }
    } else if first > last {
        (first - last + (-step) - 1) / (-step)
    } else {
        0
    };
    Ok((first, count as usize))
}

impl Array {
    /// A view selected by a basic index (see [`Index`] and [`s!`](crate::s)).
    /// Never copies.
    pub fn slice(&self, index: &[Index]) -> Result<Array> {
        let (shape, strides, offset) = index_layout(&self.shape, &self.strides, self.offset, index)?;
        Ok(Array { buffer: self.buffer.clone(), dtype: self.dtype, shape, strides, offset })
    }

    /// Writes `src` (broadcast to the selected shape) into the elements that
    /// `index` selects. `src`'s dtype must cast safely to this array's dtype
    /// (implicit conversions never lose data). Copy-on-write: other handles
    /// to the old buffer do not see the write.
    pub fn assign(&mut self, index: &[Index], src: &Array) -> Result<()> {
        if !can_cast(src.dtype, self.dtype, Casting::Safe) {
            return Err(ErrorKind::CastNotAllowed { from: src.dtype, to: self.dtype, casting: Casting::Safe }.into());
        }
        // Validate and broadcast before touching anything.
        let (shape, _, _) = index_layout(&self.shape, &self.strides, self.offset, index)?;
        let src = src.broadcast_to(&shape)?;
        let src = if src.dtype == self.dtype { src } else { src.astype(self.dtype)? };
        // A source that views our own buffer must be read before we write.
        let src = if src.shares_buffer(self) { src.copy() } else { src };
        self.make_unique();
        let (shape, strides, offset) = index_layout(&self.shape, &self.strides, self.offset, index)?;
        crate::dispatch!(self.dtype, T => {
            let s_data = src.typed::<T>("assign")?;
            let dst = self.typed_mut_unique::<T>()?;
            strided::for_each_offset2(&shape, &strides, offset, &src.strides, src.offset, |d, s| dst[d] = s_data[s]);
        });
        Ok(())
    }

    /// Sets every element that `index` selects to `value` (converted as a
    /// weak scalar, see [`Array::set`]).
    pub fn fill_at<T: Element>(&mut self, index: &[Index], value: T) -> Result<()> {
        index_layout(&self.shape, &self.strides, self.offset, index)?;
        let scalar = Array::scalar(value);
        let scalar = convert_scalar_array(&scalar, self.dtype)?;
        self.assign(index, &scalar)
    }
}

fn convert_scalar_array(a: &Array, to: DType) -> Result<Array> {
    let w = a.item_wide()?;
    crate::dispatch!(to, U => Ok(Array::scalar::<U>(crate::cast::convert_weak_scalar::<U>(w, a.dtype)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py_slice(len: usize, start: Option<isize>, stop: Option<isize>, step: isize) -> Vec<isize> {
        let (first, n) = slice_indices(start, stop, step, len).unwrap();
        (0..n as isize).map(|k| first + k * step).collect()
    }

    #[test]
    fn slice_indices_match_python() {
        // Expected values from Python's list(range(len))[start:stop:step].
        assert_eq!(py_slice(5, None, None, -1), vec![4, 3, 2, 1, 0]);
        assert_eq!(py_slice(5, Some(-2), None, 1), vec![3, 4]);
        assert_eq!(py_slice(5, Some(10), None, 1), Vec::<isize>::new());
        assert_eq!(py_slice(5, Some(1), Some(-1), 2), vec![1, 3]);
        assert_eq!(py_slice(5, Some(3), Some(0), -2), vec![3, 1]);
        assert_eq!(py_slice(5, Some(-10), Some(10), 3), vec![0, 3]);
        assert_eq!(py_slice(5, Some(10), Some(-10), -3), vec![4, 1]);
        assert_eq!(py_slice(0, None, None, -1), Vec::<isize>::new());
        assert!(slice_indices(None, None, 0, 3).is_err());
    }
}
