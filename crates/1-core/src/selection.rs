//! Selection and assembly: the indexing functions of the Array API standard
//! that copy ([`Array::take`], [`Array::take_along_axis`], boolean masks
//! with [`Array::mask`]) and the manipulation functions that build new
//! arrays from old ones ([`concat`], [`stack`], [`Array::tile`],
//! [`Array::repeat`], [`Array::pad`]) or cut them into views
//! ([`Array::split`]).
//!
//! These functions only move elements, never compute with them, so their
//! loops run on same-sized plain bit types (`u8`, `u16`, `u32`, `u64`, …)
//! chosen by the element size: one loop serves every dtype of a size.
//!
//! ```
//! use oxarray_core::{concat, Array};
//! let a = Array::from_slice(&[10i32, 20, 30, 40], &[2, 2])?;
//! let i = Array::from_slice(&[1i64, -2], &[2])?;
//! assert_eq!(a.take(&i, Some(1))?.to_vec::<i32>()?, vec![20, 10, 40, 30]);
//! let m = Array::from_slice(&[true, false], &[2])?;
//! assert_eq!(a.mask(&m)?.to_vec::<i32>()?, vec![10, 20]);
//! let b = Array::from_slice(&[1.5f64, 2.5], &[1, 2])?;
//! let c = concat(&[a, b], Some(0))?; // promotes int32 and float64
//! assert_eq!(c.shape(), &[3, 2]);
//! assert_eq!(c.to_vec::<f64>()?, vec![10., 20., 30., 40., 1.5, 2.5]);
//! # Ok::<(), oxarray_core::Error>(())
//! ```

use std::sync::Arc;

use oxarray_kernels::select::{self, IndexValue, OutOfBounds};
use oxarray_kernels::{layout, strided};

use crate::array::Array;
use crate::dtype::DType;
use crate::element::Element;
use crate::error::{Error, ErrorKind, Result};
use crate::indexing::Index;
use crate::promotion::result_type_many;
use crate::sorting::norm_axis;

/// Runs `$body` with `$B` bound to a plain `Copy` type of the same size
/// and alignment as the elements of `$dtype`, for loops that only move
/// elements. This matches on the element's layout, not on the dtype, so
/// it needs no change when a dtype is added.
macro_rules! dispatch_bits {
    ($dtype:expr, $B:ident => $body:expr) => {
        match ($dtype.itemsize(), $dtype.alignment()) {
            (1, _) => {
                type $B = u8;
                $body
            }
            (2, _) => {
                type $B = u16;
                $body
            }
            (4, _) => {
                type $B = u32;
                $body
            }
            (8, 8) => {
                type $B = u64;
                $body
            }
            (8, _) => {
                type $B = [u32; 2];
                $body
            }
            _ => {
                type $B = [u64; 2];
                $body
            }
        }
    };
}
pub(crate) use dispatch_bits;

/// The elements of `a` as plain bits: the whole buffer, to be addressed with
/// `a`'s own layout.
pub(crate) fn bits<B: Copy>(a: &Array) -> Result<&[B]> {
    debug_assert_eq!(size_of::<B>(), a.itemsize());
    a.buffer.typed::<B>()
}

/// The elements of a C-contiguous array, in order.
pub(crate) fn contiguous_bits<B: Copy>(a: &Array) -> Result<&[B]> {
    debug_assert!(a.is_c_contiguous());
    Ok(&bits::<B>(a)?[a.offset..a.offset + a.size()])
}

/// A fresh C-contiguous array of `shape` and `dtype` whose elements `fill`
/// writes (as plain bits of the dtype's size). The buffer starts zeroed.
pub(crate) fn new_array<B: Copy>(
    shape: &[usize],
    dtype: DType,
    fill: impl FnOnce(&mut [B]) -> Result<()>,
) -> Result<Array> {
    debug_assert_eq!(size_of::<B>(), dtype.itemsize());
    let mut out = Array::zeros(shape, dtype)?;
    let buffer = Arc::get_mut(&mut out.buffer).expect("a fresh array holds its buffer alone");
    fill(buffer.typed_mut::<B>()?.expect("fresh memory is writable"))?;
    Ok(out)
}

/// A fresh, C-contiguous copy of `a` (one pass, tiled for transposes; see
/// `oxarray_kernels::copy`).
pub(crate) fn materialize(a: &Array) -> Result<Array> {
    dispatch_bits!(a.dtype, B => {
        let src = bits::<B>(a)?;
        new_array::<B>(&a.shape, a.dtype, |dst| {
            oxarray_kernels::copy::copy_to_c_order(dst, src, &a.shape, &a.strides, a.offset);
            Ok(())
        })
    })
}

/// `a` itself if C-contiguous, else a contiguous copy.
pub(crate) fn contiguous(a: &Array) -> Result<Array> {
    if a.is_c_contiguous() { Ok(a.clone()) } else { materialize(a) }
}

/// `a` in `dtype`: a cheap handle if it already is, else a checked cast.
pub(crate) fn cast_to(a: &Array, dtype: DType) -> Result<Array> {
    if a.dtype == dtype { Ok(a.clone()) } else { a.astype(dtype) }
}

/// `(outer, len, inner)`: the sizes before, along and after `axis`.
pub(crate) fn split_shape(shape: &[usize], axis: usize) -> (usize, usize, usize) {
    (layout::size(&shape[..axis]), shape[axis], layout::size(&shape[axis + 1..]))
}

/// The error for an index outside an axis.
pub(crate) fn index_error(e: OutOfBounds, axis: usize, len: usize) -> Error {
    match isize::try_from(e.index) {
        Ok(index) => ErrorKind::IndexOutOfBounds { axis, index, len }.into(),
        Err(_) => {
            Error::invalid("index", format!("index {} is out of bounds for axis {axis} with size {len}", e.index))
        }
    }
}

fn not_integer(op: &'static str, dtype: DType) -> Error {
    Error::invalid(op, format!("indices must have an integer dtype, not {dtype}"))
}

/// How [`Array::split`] cuts an axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitAt<'a> {
    /// Into this many equal parts (an error if the axis does not divide
    /// evenly; see [`Array::array_split`] for unequal parts).
    Sections(usize),
    /// Before each of these positions (negative from the end; Python slice
    /// rules, so out-of-order positions give empty parts).
    Indices(&'a [isize]),
}

/// How many times [`Array::repeat`] repeats each element.
#[derive(Clone, Copy, Debug)]
pub enum Repeats<'a> {
    /// Every element the same number of times.
    Each(usize),
    /// A count per element along the axis: an integer array of that length,
    /// or of one element (0-d or length 1) for all.
    PerElement(&'a Array),
}

impl From<usize> for Repeats<'_> {
    fn from(n: usize) -> Self {
        Repeats::Each(n)
    }
}

impl<'a> From<&'a Array> for Repeats<'a> {
    fn from(a: &'a Array) -> Self {
        Repeats::PerElement(a)
    }
}

/// Joins arrays along an existing axis (`None`: flattens them first), after
/// promoting them to their common dtype ([`result_type_many`]). Shapes must
/// agree except along `axis`.
pub fn concat(arrays: &[Array], axis: Option<isize>) -> Result<Array> {
    if arrays.is_empty() {
        return Err(Error::invalid("concat", "need at least one array to concatenate"));
    }
    let dtypes: Vec<DType> = arrays.iter().map(|a| a.dtype).collect();
    let dtype = result_type_many(&dtypes)?;
    let (parts, axis) = match axis {
        None => (arrays.iter().map(|a| a.reshape(&[a.size()])).collect::<Result<Vec<_>>>()?, 0),
        Some(ax) => {
            let ndim = arrays[0].ndim();
            if ndim == 0 {
                return Err(Error::invalid("concat", "zero-dimensional arrays cannot be concatenated"));
            }
            (arrays.to_vec(), norm_axis(ax, ndim)?)
        }
    };
    let first = &parts[0].shape;
    let mut shape = first.clone();
    shape[axis] = 0;
    for (i, p) in parts.iter().enumerate() {
        if p.ndim() != first.len() {
            return Err(Error::invalid(
                "concat",
                format!(
                    "all the input arrays must have the same number of dimensions, but the array at index 0 has {} \
                     dimension(s) and the array at index {i} has {} dimension(s)",
                    first.len(),
                    p.ndim()
                ),
            ));
        }
        for (d, (&want, &got)) in first.iter().zip(&p.shape).enumerate() {
            if d != axis && got != want {
                return Err(Error::invalid(
                    "concat",
                    format!(
                        "all the input array dimensions except for the concatenation axis must match exactly, but \
                         along dimension {d}, the array at index 0 has size {want} and the array at index {i} has size \
                         {got}"
                    ),
                ));
            }
        }
        shape[axis] = shape[axis]
            .checked_add(p.shape[axis])
            .ok_or_else(|| Error::from(ErrorKind::SizeOverflow { shape: shape.clone() }))?;
    }
    crate::array::checked_len(&shape, dtype)?;
    let parts: Vec<Array> = parts.iter().map(|p| contiguous(&cast_to(p, dtype)?)).collect::<Result<_>>()?;
    let (outer, total, inner) = split_shape(&shape, axis);
    let row = total * inner;
    dispatch_bits!(dtype, B => new_array::<B>(&shape, dtype, |dst| {
        if row == 0 {
            return Ok(());
        }
        let mut col = 0;
        for p in &parts {
            let block = p.shape[axis] * inner;
            if block > 0 {
                let src = contiguous_bits::<B>(p)?;
                for o in 0..outer {
                    dst[o * row + col..o * row + col + block].copy_from_slice(&src[o * block..(o + 1) * block]);
                }
            }
            col += block;
        }
        Ok(())
    }))
}

/// Joins arrays of one shape along a new axis at position `axis` of the
/// result (`-1` appends), after promoting them to their common dtype.
pub fn stack(arrays: &[Array], axis: isize) -> Result<Array> {
    if arrays.is_empty() {
        return Err(Error::invalid("stack", "need at least one array to stack"));
    }
    let shape = &arrays[0].shape;
    if let Some((i, a)) = arrays.iter().enumerate().find(|(_, a)| &a.shape != shape) {
        return Err(Error::invalid(
            "stack",
            format!(
                "all input arrays must have the same shape: shape {:?} at index 0, {:?} at index {i}",
                shape, a.shape
            ),
        ));
    }
    let k = norm_axis(axis, shape.len() + 1)?;
    let parts: Vec<Array> = arrays.iter().map(|a| a.expand_dims(k as isize)).collect::<Result<_>>()?;
    concat(&parts, Some(k as isize))
}

impl Array {
    /// NumPy's `take`: the elements at integer `indices` along `axis`
    /// (`None`: of the flattened array). The result's shape is the array's
    /// with that axis replaced by the shape of `indices`. Indices may be
    /// negative (from the end); one outside the axis is an
    /// [`ErrorKind::IndexOutOfBounds`] naming it and the axis.
    pub fn take(&self, indices: &Array, axis: Option<isize>) -> Result<Array> {
        let (src, axis) = match axis {
            None => (self.reshape(&[self.size()])?, 0),
            Some(ax) => (self.clone(), norm_axis(ax, self.ndim())?),
        };
        let src = contiguous(&src)?;
        let idx = contiguous(indices)?;
        let (outer, len, inner) = split_shape(&src.shape, axis);
        let mut shape = src.shape[..axis].to_vec();
        shape.extend_from_slice(&indices.shape);
        shape.extend_from_slice(&src.shape[axis + 1..]);
        crate::dispatch_subset!(int: idx.dtype, I => {
            let ix = idx.typed::<I>("take")?;
            let ix = &ix[idx.offset..idx.offset + idx.size()];
            dispatch_bits!(self.dtype, B => new_array::<B>(&shape, self.dtype, |dst| {
                select::take(contiguous_bits::<B>(&src)?, outer, len, inner, ix, dst)
                    .map_err(|e| index_error(e, axis, len))
            }))
        }, _ => Err(not_integer("take", idx.dtype)))
    }

    /// NumPy's `take_along_axis`: picks `self[..., indices[..., j, ...], ...]`
    /// along `axis` (`None`: the flattened array, with 1-d indices).
    /// `indices` has the array's number of dimensions; the other axes
    /// broadcast against each other.
    pub fn take_along_axis(&self, indices: &Array, axis: Option<isize>) -> Result<Array> {
        let (src, axis) = match axis {
            None => {
                if indices.ndim() != 1 {
                    return Err(Error::invalid(
                        "take_along_axis",
                        "when axis is None, `indices` must have exactly one dimension",
                    ));
                }
                (self.reshape(&[self.size()])?, 0)
            }
            Some(ax) => (self.clone(), norm_axis(ax, self.ndim())?),
        };
        if indices.ndim() != src.ndim() {
            return Err(Error::invalid(
                "take_along_axis",
                format!(
                    "`indices` and `arr` must have the same number of dimensions ({} and {})",
                    indices.ndim(),
                    src.ndim()
                ),
            ));
        }
        // The result's shape: broadcast everywhere but along `axis`.
        let mut shape = Vec::with_capacity(src.ndim());
        let mut strides = Vec::with_capacity(src.ndim());
        for d in 0..src.ndim() {
            let (a, i) = (src.shape[d], indices.shape[d]);
            if d == axis {
                shape.push(i);
                strides.push(0);
            } else if a == i || i == 1 {
                shape.push(a);
                strides.push(if a == 1 { 0 } else { src.strides[d] });
            } else if a == 1 {
                shape.push(i);
                strides.push(0);
            } else {
                return Err(ErrorKind::Broadcast { lhs: src.shape.clone(), rhs: indices.shape.clone() }.into());
            }
        }
        let idx = indices.broadcast_to(&shape)?;
        let (len, step) = (src.shape[axis], src.strides[axis]);
        crate::dispatch_subset!(int: idx.dtype, I => {
            let ix = idx.typed::<I>("take_along_axis")?;
            dispatch_bits!(src.dtype, B => {
                let data = bits::<B>(&src)?;
                new_array::<B>(&shape, src.dtype, |dst| {
                    let (mut k, mut bad) = (0usize, None);
                    strided::for_each_offset2(&shape, &idx.strides, idx.offset, &strides, src.offset, |io, so| {
                        match select::resolve::<I>(ix[io], len) {
                            Some(j) => dst[k] = data[(so as isize + j as isize * step) as usize],
                            None => {
                                bad.get_or_insert(OutOfBounds { position: k, index: ix[io].to_i128() });
                            }
                        }
                        k += 1;
                    });
                    bad.map_or(Ok(()), |e| Err(index_error(e, axis, len)))
                })
            })
        }, _ => Err(not_integer("take_along_axis", idx.dtype)))
    }

    /// NumPy's `a[mask]` for a bool `mask` whose shape equals the leading
    /// dimensions of the array: the selected sub-arrays, in C order, stacked
    /// along a new first axis. A 0-d mask selects the whole array (or
    /// nothing) along a new axis of length 1 (or 0).
    pub fn mask(&self, mask: &Array) -> Result<Array> {
        if mask.dtype != DType::Bool {
            return Err(Error::invalid("mask", format!("a boolean mask must have dtype bool, not {}", mask.dtype)));
        }
        let k = mask.ndim();
        if k > self.ndim() || mask.shape[..] != self.shape[..k] {
            return Err(ErrorKind::ShapeMismatch {
                op: "mask",
                expected: self.shape[..k.min(self.ndim())].to_vec(),
                found: mask.shape.clone(),
            }
            .into());
        }
        let src = contiguous(self)?;
        let m = contiguous(mask)?;
        let bytes = contiguous_bits::<u8>(&m)?;
        let counts = select::count_mask(bytes);
        let inner = layout::size(&self.shape[k..]);
        let mut shape = vec![counts.total()];
        shape.extend_from_slice(&self.shape[k..]);
        dispatch_bits!(self.dtype, B => new_array::<B>(&shape, self.dtype, |dst| {
            select::compress(contiguous_bits::<B>(&src)?, bytes, inner, &counts, dst);
            Ok(())
        }))
    }

    /// Cuts the array along `axis` into views (no copy): equal
    /// [`Sections`](SplitAt::Sections) or at [`Indices`](SplitAt::Indices).
    pub fn split(&self, at: SplitAt<'_>, axis: isize) -> Result<Vec<Array>> {
        let k = norm_axis(axis, self.ndim())?;
        let len = self.shape[k];
        let bounds: Vec<(Option<isize>, Option<isize>)> = match at {
            SplitAt::Sections(0) => return Err(Error::invalid("split", "number of sections must be larger than 0")),
            SplitAt::Sections(n) => {
                if !len.is_multiple_of(n) {
                    return Err(Error::invalid(
                        "split",
                        format!("array split does not result in an equal division: {len} into {n}"),
                    ));
                }
                let step = (len / n) as isize;
                (0..n as isize).map(|i| (Some(i * step), Some((i + 1) * step))).collect()
            }
            SplitAt::Indices(ix) => {
                let mut b = Vec::with_capacity(ix.len() + 1);
                let mut start = Some(0);
                for &i in ix {
                    b.push((start, Some(i)));
                    start = Some(i);
                }
                b.push((start, None));
                b
            }
        };
        self.split_views(k, &bounds)
    }

    /// NumPy's `array_split`: `sections` nearly equal views along `axis`,
    /// the first `len % sections` one element longer.
    pub fn array_split(&self, sections: usize, axis: isize) -> Result<Vec<Array>> {
        if sections == 0 {
            return Err(Error::invalid("array_split", "number of sections must be larger than 0"));
        }
        let k = norm_axis(axis, self.ndim())?;
        let (each, extra) = (self.shape[k] / sections, self.shape[k] % sections);
        let mut start = 0isize;
        let bounds = (0..sections)
            .map(|i| {
                let stop = start + (each + usize::from(i < extra)) as isize;
                let b = (Some(start), Some(stop));
                start = stop;
                b
            })
            .collect::<Vec<_>>();
        self.split_views(k, &bounds)
    }

    fn split_views(&self, axis: usize, bounds: &[(Option<isize>, Option<isize>)]) -> Result<Vec<Array>> {
        let mut index = vec![Index::ALL; self.ndim()];
        bounds
            .iter()
            .map(|&(start, stop)| {
                index[axis] = Index::slice(start, stop, 1);
                self.slice(&index)
            })
            .collect()
    }

    /// NumPy's `tile`: the array repeated `reps[k]` times along each axis.
    /// A shorter `reps` is padded with leading 1s; a longer one gives the
    /// array leading axes of length 1.
    pub fn tile(&self, reps: &[usize]) -> Result<Array> {
        let d = reps.len().max(self.ndim());
        let pad = |v: &[usize], fill| std::iter::repeat_n(fill, d - v.len()).chain(v.iter().copied()).collect();
        let shape: Vec<usize> = pad(&self.shape, 1);
        let reps: Vec<usize> = pad(reps, 1);
        let strides: Vec<isize> = std::iter::repeat_n(0, d - self.ndim()).chain(self.strides.iter().copied()).collect();
        // View as (r0, s0, r1, s1, …) with the repeat axes broadcast, copy,
        // then merge each pair.
        let mut big_shape = Vec::with_capacity(2 * d);
        let mut big_strides = Vec::with_capacity(2 * d);
        let mut out_shape = Vec::with_capacity(d);
        for k in 0..d {
            big_shape.extend([reps[k], shape[k]]);
            big_strides.extend([0, strides[k]]);
            out_shape.push(
                reps[k]
                    .checked_mul(shape[k])
                    .ok_or_else(|| Error::from(ErrorKind::SizeOverflow { shape: shape.clone() }))?,
            );
        }
        crate::array::checked_len(&out_shape, self.dtype)?;
        let view = Array {
            buffer: self.buffer.clone(),
            dtype: self.dtype,
            shape: big_shape,
            strides: big_strides,
            offset: self.offset,
        };
        materialize(&view)?.reshape(&out_shape)
    }

    /// NumPy's `repeat`: each element repeated along `axis` (`None`: of the
    /// flattened array), either all the same number of times or by a count
    /// per element (`a.repeat(3, Some(0))`, `a.repeat(&counts, None)`).
    pub fn repeat<'a>(&self, repeats: impl Into<Repeats<'a>>, axis: Option<isize>) -> Result<Array> {
        let (src, axis) = match axis {
            None => (self.reshape(&[self.size()])?, 0),
            Some(ax) => (self.clone(), norm_axis(ax, self.ndim())?),
        };
        let (outer, len, inner) = split_shape(&src.shape, axis);
        let counts: Vec<usize> = match repeats.into() {
            Repeats::Each(n) => vec![n; len],
            Repeats::PerElement(r) => {
                if r.ndim() > 1 || (r.size() != 1 && r.size() != len) {
                    return Err(Error::invalid(
                        "repeat",
                        format!("repeats of shape {:?} cannot be broadcast to an axis of length {len}", r.shape),
                    ));
                }
                if !r.dtype.is_integer() {
                    return Err(not_integer("repeat", r.dtype));
                }
                let v = cast_to(r, DType::Int64)?.to_vec::<i64>()?;
                if let Some(&neg) = v.iter().find(|&&c| c < 0) {
                    return Err(Error::invalid("repeat", format!("repeats may not contain negative values ({neg})")));
                }
                if v.len() == 1 { vec![v[0] as usize; len] } else { v.into_iter().map(|c| c as usize).collect() }
            }
        };
        let total = counts
            .iter()
            .try_fold(0usize, |a, &c| a.checked_add(c))
            .ok_or_else(|| Error::invalid("repeat", "too many repeats"))?;
        let mut shape = src.shape.clone();
        shape[axis] = total;
        crate::array::checked_len(&shape, src.dtype)?;
        let src = contiguous(&src)?;
        dispatch_bits!(src.dtype, B => new_array::<B>(&shape, src.dtype, |dst| {
            if dst.is_empty() {
                return Ok(());
            }
            let s = contiguous_bits::<B>(&src)?;
            let mut k = 0;
            for o in 0..outer {
                for (j, &c) in counts.iter().enumerate() {
                    let block = &s[(o * len + j) * inner..(o * len + j + 1) * inner];
                    for _ in 0..c {
                        dst[k..k + inner].copy_from_slice(block);
                        k += inner;
                    }
                }
            }
            Ok(())
        }))
    }

    /// NumPy's `pad` in `"constant"` mode: `pad_width[k] = (before, after)`
    /// elements of `value` around axis `k` (one pair applies to every axis).
    /// `value` converts to the array's dtype as a weak scalar (as in
    /// [`Array::fill`]): it must be representable exactly.
    pub fn pad<T: Element>(&self, pad_width: &[(usize, usize)], value: T) -> Result<Array> {
        let widths: Vec<(usize, usize)> = match pad_width.len() {
            1 => vec![pad_width[0]; self.ndim()],
            n if n == self.ndim() => pad_width.to_vec(),
            n => {
                return Err(Error::invalid(
                    "pad",
                    format!(
                        "pad_width has {n} pairs for an array of {} dimensions (give 1 or {})",
                        self.ndim(),
                        self.ndim()
                    ),
                ));
            }
        };
        let overflow = || Error::from(ErrorKind::SizeOverflow { shape: self.shape.clone() });
        let shape: Vec<usize> = self
            .shape
            .iter()
            .zip(&widths)
            .map(|(&d, &(b, a))| d.checked_add(b).and_then(|x| x.checked_add(a)).ok_or_else(overflow))
            .collect::<Result<_>>()?;
        let mut out = Array::zeros(&shape, self.dtype)?;
        out.fill(value)?;
        let index: Vec<Index> = widths
            .iter()
            .zip(&self.shape)
            .map(|(&(b, _), &d)| Index::slice(Some(b as isize), Some((b + d) as isize), 1))
            .collect();
        out.assign(&index, self)?;
        Ok(out)
    }
}
