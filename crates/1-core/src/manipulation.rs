//! Shape manipulation (the Array API's "manipulation functions" that do not
//! compute): every function here returns a view when the layout allows one.

use oxarray_kernels::layout;

use crate::array::Array;
use crate::error::{Error, ErrorKind, Result};

fn axis(axis: isize, ndim: usize) -> Result<usize> {
    layout::normalize_axis(axis, ndim).ok_or_else(|| ErrorKind::AxisOutOfBounds { axis, ndim }.into())
}

/// Normalises a list of axes, rejecting repeats.
fn axes(list: &[isize], ndim: usize) -> Result<Vec<usize>> {
    let mut out = Vec::with_capacity(list.len());
    for &a in list {
        let k = axis(a, ndim)?;
        if out.contains(&k) {
            return Err(Error::invalid("axes", format!("repeated axis {a} in {list:?}")));
        }
        out.push(k);
    }
    Ok(out)
}

impl Array {
    fn with_layout(&self, shape: Vec<usize>, strides: Vec<isize>, offset: usize) -> Array {
        Array { buffer: self.buffer.clone(), dtype: self.dtype, shape, strides, offset }
    }

    /// Resolves one `-1` in a requested shape against this array's size.
    fn resolve_shape(&self, shape: &[isize]) -> Result<Vec<usize>> {
        let err = || Error::from(ErrorKind::Reshape { from: self.shape.clone(), to: shape.to_vec() });
        let unknown: Vec<usize> = (0..shape.len()).filter(|&k| shape[k] == -1).collect();
        if unknown.len() > 1 {
            return Err(Error::invalid("reshape", "can only specify one unknown dimension (-1)"));
        }
        if shape.iter().any(|&d| d < -1) {
            return Err(Error::invalid("reshape", format!("negative dimension in shape {shape:?}")));
        }
        let known = shape
            .iter()
            .filter(|&&d| d != -1)
            .try_fold(1usize, |acc, &d| acc.checked_mul(d as usize))
            .ok_or_else(err)?;
        let mut out: Vec<usize> = shape.iter().map(|&d| d.max(0) as usize).collect();
        if let Some(&k) = unknown.first() {
            if known == 0 || !self.size().is_multiple_of(known) {
                return Err(err());
            }
            out[k] = self.size() / known;
        } else if known != self.size() {
            return Err(err());
        }
        Ok(out)
    }

    /// The same elements in a new shape (one entry may be `-1`), read in C
    /// order. A view when the strides allow one, otherwise a copy; see
    /// [`reshape_view`](Array::reshape_view) to forbid the copy.
    pub fn reshape(&self, shape: &[usize]) -> Result<Array> {
        let s: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
        self.reshape_inferred(&s)
    }

    /// [`reshape`](Array::reshape) with NumPy's `-1` for one inferred axis.
    pub fn reshape_inferred(&self, shape: &[isize]) -> Result<Array> {
        match self.reshape_view_inferred(shape) {
            Ok(v) => Ok(v),
            Err(e) if matches!(e.kind(), ErrorKind::NotAView { .. }) => {
                let new_shape = self.resolve_shape(shape)?;
                let c = self.copy();
                Ok(c.with_layout(new_shape.clone(), layout::c_strides(&new_shape), 0))
            }
            Err(e) => Err(e),
        }
    }

    /// Like [`reshape`](Array::reshape) but never copies: an error if the
    /// layout cannot be viewed in the new shape (the Array API's
    /// `reshape(..., copy=False)`).
    pub fn reshape_view(&self, shape: &[usize]) -> Result<Array> {
        let s: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
        self.reshape_view_inferred(&s)
    }

    /// [`reshape_view`](Array::reshape_view) with one `-1` axis allowed.
    pub fn reshape_view_inferred(&self, shape: &[isize]) -> Result<Array> {
        let new_shape = self.resolve_shape(shape)?;
        match layout::reshape_strides(&self.shape, &self.strides, &new_shape) {
            Some(strides) => Ok(self.with_layout(new_shape, strides, self.offset)),
            None => {
                Err(ErrorKind::NotAView { op: "reshape", shape: self.shape.clone(), strides: self.strides.clone() }
                    .into())
            }
        }
    }

    /// A 1-d array of all elements in C order (a view when possible).
    pub fn ravel(&self) -> Result<Array> {
        self.reshape(&[self.size()])
    }

    /// Reorders the axes: axis `k` of the result is axis `axes[k]` of `self`.
    pub fn permute_dims(&self, axes_: &[isize]) -> Result<Array> {
        if axes_.len() != self.ndim() {
            return Err(Error::invalid(
                "permute_dims",
                format!("axes {axes_:?} do not match an array of {} dimensions", self.ndim()),
            ));
        }
        let perm = axes(axes_, self.ndim())?;
        let shape = perm.iter().map(|&k| self.shape[k]).collect();
        let strides = perm.iter().map(|&k| self.strides[k]).collect();
        Ok(self.with_layout(shape, strides, self.offset))
    }

    /// Reverses the axes (NumPy's `a.T`).
    pub fn transpose(&self) -> Array {
        let shape = self.shape.iter().rev().copied().collect();
        let strides = self.strides.iter().rev().copied().collect();
        self.with_layout(shape, strides, self.offset)
    }

    /// Swaps the last two axes (the Array API's `matrix_transpose`).
    pub fn matrix_transpose(&self) -> Result<Array> {
        if self.ndim() < 2 {
            return Err(Error::invalid(
                "matrix_transpose",
                format!("needs at least 2 dimensions, the array has {}", self.ndim()),
            ));
        }
        self.swapaxes(-1, -2)
    }

    /// Exchanges two axes.
    pub fn swapaxes(&self, a: isize, b: isize) -> Result<Array> {
        let (a, b) = (axis(a, self.ndim())?, axis(b, self.ndim())?);
        let (mut shape, mut strides) = (self.shape.clone(), self.strides.clone());
        shape.swap(a, b);
        strides.swap(a, b);
        Ok(self.with_layout(shape, strides, self.offset))
    }

    /// Moves the axes `source` to the positions `destination`, keeping the
    /// order of the others.
    pub fn moveaxis(&self, source: &[isize], destination: &[isize]) -> Result<Array> {
        if source.len() != destination.len() {
            return Err(Error::invalid(
                "moveaxis",
                "`source` and `destination` arguments must have the same number of elements",
            ));
        }
        let src = axes(source, self.ndim())?;
        let dst = axes(destination, self.ndim())?;
        let mut order: Vec<usize> = (0..self.ndim()).filter(|k| !src.contains(k)).collect();
        let mut pairs: Vec<(usize, usize)> = dst.into_iter().zip(src).collect();
        pairs.sort();
        for (d, s) in pairs {
            order.insert(d, s);
        }
        let order: Vec<isize> = order.into_iter().map(|k| k as isize).collect();
        self.permute_dims(&order)
    }

    /// Removes the given axes, which must have length 1.
    pub fn squeeze(&self, axes_: &[isize]) -> Result<Array> {
        let drop = axes(axes_, self.ndim())?;
        for &k in &drop {
            if self.shape[k] != 1 {
                return Err(Error::invalid(
                    "squeeze",
                    format!("cannot select axis {k} to squeeze out: it has size {}, not 1", self.shape[k]),
                ));
            }
        }
        let keep: Vec<usize> = (0..self.ndim()).filter(|k| !drop.contains(k)).collect();
        Ok(self.with_layout(
            keep.iter().map(|&k| self.shape[k]).collect(),
            keep.iter().map(|&k| self.strides[k]).collect(),
            self.offset,
        ))
    }

    /// Removes every axis of length 1 (NumPy's `squeeze()` without axes).
    pub fn squeeze_all(&self) -> Array {
        let keep: Vec<usize> = (0..self.ndim()).filter(|&k| self.shape[k] != 1).collect();
        self.with_layout(
            keep.iter().map(|&k| self.shape[k]).collect(),
            keep.iter().map(|&k| self.strides[k]).collect(),
            self.offset,
        )
    }

    /// Inserts an axis of length 1 at position `axis` of the result
    /// (`-1` appends).
    pub fn expand_dims(&self, axis_: isize) -> Result<Array> {
        let k = axis(axis_, self.ndim() + 1)?;
        let (mut shape, mut strides) = (self.shape.clone(), self.strides.clone());
        shape.insert(k, 1);
        strides.insert(k, 0);
        Ok(self.with_layout(shape, strides, self.offset))
    }

    /// Reverses the order of elements along `axes` (all axes if `None`).
    pub fn flip(&self, axes_: Option<&[isize]>) -> Result<Array> {
        let list = match axes_ {
            Some(a) => axes(a, self.ndim())?,
            None => (0..self.ndim()).collect(),
        };
        let mut strides = self.strides.clone();
        let mut offset = self.offset as isize;
        for k in list {
            if self.shape[k] > 0 {
                offset += (self.shape[k] as isize - 1) * strides[k];
            }
            strides[k] = -strides[k];
        }
        Ok(self.with_layout(self.shape.clone(), strides, offset as usize))
    }

    /// A read-only-by-value view of `self` broadcast to `shape` (stretched
    /// axes get stride 0; no copy).
    pub fn broadcast_to(&self, shape: &[usize]) -> Result<Array> {
        let strides = layout::broadcast_strides(&self.shape, &self.strides, shape)
            .ok_or_else(|| Error::from(ErrorKind::Broadcast { lhs: self.shape.clone(), rhs: shape.to_vec() }))?;
        Ok(self.with_layout(shape.to_vec(), strides, self.offset))
    }
}

/// The shape that all `shapes` broadcast to, or an error naming the first
/// pair that does not.
pub fn broadcast_shapes(shapes: &[&[usize]]) -> Result<Vec<usize>> {
    let mut out: Vec<usize> = Vec::new();
    for s in shapes {
        out = layout::broadcast_shapes(&out, s)
            .ok_or_else(|| Error::from(ErrorKind::Broadcast { lhs: out.clone(), rhs: s.to_vec() }))?;
    }
    Ok(out)
}

/// Views of every array broadcast to their common shape.
pub fn broadcast_arrays(arrays: &[Array]) -> Result<Vec<Array>> {
    let shapes: Vec<&[usize]> = arrays.iter().map(|a| a.shape()).collect();
    let target = broadcast_shapes(&shapes)?;
    arrays.iter().map(|a| a.broadcast_to(&target)).collect()
}
