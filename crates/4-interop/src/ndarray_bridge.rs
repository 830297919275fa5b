//! Zero-copy views between oxarray arrays and `ndarray` arrays, for each
//! supported `ndarray` version.
//!
//! This is the crate's only module with `unsafe` code. The versions share one
//! body, [`ndarray_bridge!`], instantiated once per enabled version; the
//! layout arithmetic they share is plain safe code above it.
//!
//! Why the conversions are sound rests on three facts:
//!
//! 1. An oxarray [`Array`] guarantees (its invariants 2 and 3) that every
//!    element its layout addresses lies inside its buffer and that the
//!    pointer is aligned for the dtype; its buffer stays alive as long as the
//!    array (an `Arc`), so a view borrowing the array cannot dangle.
//! 2. Nobody writes to a buffer while a `&Array` exists that is not the
//!    writer's own `&mut Array`: oxarray writes only through a unique handle
//!    (copy-on-write), and the borrowed array is itself a holder.
//! 3. `ndarray`'s raw constructors accept only non-negative strides and want
//!    the lowest-addressed element; [`NonNegative`] computes those, and
//!    `invert_axis` (safe) turns the flipped axes back.

#![allow(unsafe_code)]

use oxarray_core::{Array, Element, Error, ErrorKind, Result};

/// A layout rewritten for `ndarray`'s raw constructors: non-negative strides
/// and a start at the lowest-addressed element.
#[derive(Debug, PartialEq)]
struct NonNegative {
    /// Elements from the logical first element to the lowest-addressed one
    /// (zero or negative).
    low_offset: isize,
    /// The shape, unchanged.
    shape: Vec<usize>,
    /// `|stride|` of each axis; `None` for an empty array, which addresses
    /// nothing: `ndarray` then picks its default strides for the shape.
    strides: Option<Vec<usize>>,
    /// Axes whose stride was negative: invert them after construction.
    flipped: Vec<usize>,
}

impl NonNegative {
    fn of(shape: &[usize], strides: &[isize]) -> NonNegative {
        if shape.contains(&0) {
            return NonNegative { low_offset: 0, shape: shape.to_vec(), strides: None, flipped: vec![] };
        }
        let mut low_offset = 0isize;
        let mut flipped = Vec::new();
        for (k, (&d, &s)) in shape.iter().zip(strides).enumerate() {
            if s < 0 {
                // In range: the array's invariant 2 puts this element in the buffer.
                low_offset += (d as isize - 1) * s;
                flipped.push(k);
            }
        }
        let strides = Some(strides.iter().map(|s| s.unsigned_abs()).collect());
        NonNegative { low_offset, shape: shape.to_vec(), strides, flipped }
    }
}

/// Whether two different indices of a non-empty layout can reach the same
/// element. Conservative like `ndarray`'s own check: sorted by `|stride|`,
/// each axis must step past everything the smaller axes reach. Layouts that
/// oxarray's views produce (slices, transposes, flips, reshapes) pass;
/// broadcasts (zero strides) do not.
fn self_overlapping(shape: &[usize], strides: &[isize]) -> bool {
    if shape.contains(&0) {
        return false;
    }
    let mut axes: Vec<(usize, usize)> =
        shape.iter().zip(strides).filter(|(d, _)| **d > 1).map(|(&d, s)| (s.unsigned_abs(), d)).collect();
    axes.sort_unstable();
    let mut reach = 0usize; // largest offset the axes so far can reach
    for (s, d) in axes {
        if s <= reach {
            return true;
        }
        reach += s * (d - 1);
    }
    false
}

fn check_dtype<T: Element>(array: &Array, op: &'static str) -> Result<()> {
    if array.dtype() != T::DTYPE {
        return Err(ErrorKind::DTypeMismatch { op, expected: T::DTYPE, found: array.dtype() }.into());
    }
    Ok(())
}

fn check_aligned<T>(ptr: *const T) -> Result<()> {
    if !ptr.is_aligned() {
        return Err(Error::from(ErrorKind::InvalidLayout {
            message: format!("pointer {ptr:p} is not aligned for {}", std::any::type_name::<T>()),
        }));
    }
    Ok(())
}

/// The bridge for one `ndarray` version; `$nd` is the crate's name in
/// `Cargo.toml`.
macro_rules! ndarray_bridge {
    ($nd:ident, $version:literal) => {
        use std::sync::Arc;

        use ::$nd::{ArrayView, ArrayViewD, ArrayViewMutD, Axis, Dimension, IxDyn, ShapeBuilder, StrideShape};
        use oxarray_core::{Array, Buffer, Element, Result};

        use super::{NonNegative, check_aligned, check_dtype, self_overlapping};

        fn stride_shape(nn: &NonNegative) -> StrideShape<IxDyn> {
            match &nn.strides {
                Some(strides) => IxDyn(&nn.shape).strides(IxDyn(strides)).into(),
                None => IxDyn(&nn.shape).into(),
            }
        }

        #[doc = concat!("A read-only `ndarray` ", $version, " view of `array`'s elements, without copying.")]
        ///
        /// Any layout converts: transposed, sliced, flipped (negative
        /// strides), broadcast (zero strides), 0-d and zero-size (whose view
        /// gets `ndarray`'s default strides: it addresses nothing). The
        /// view shares the array's pointer and strides. It borrows the
        /// array, and writes through other handles are copy-on-write, so
        /// the view's elements cannot change while it lives.
        ///
        /// # Errors
        /// [`ErrorKind::DTypeMismatch`](oxarray_core::ErrorKind::DTypeMismatch)
        /// if `T` is not the array's dtype.
        pub fn to_ndarray_view<T: Element>(array: &Array) -> Result<ArrayViewD<'_, T>> {
            check_dtype::<T>(array, "to_ndarray_view")?;
            let nn = NonNegative::of(array.shape(), array.strides());
            let first = array.as_ptr().cast::<T>();
            check_aligned(first)?;
            let low = first.wrapping_offset(nn.low_offset);
            let shape = stride_shape(&nn);
            // SAFETY: `low` is non-null and aligned (checked), and it is the
            // lowest-addressed element of the layout, so with the
            // non-negative strides every element ndarray reaches is one the
            // array addresses, inside its buffer (array invariant 2), and
            // the byte span is below `isize::MAX` (invariant 1). An empty
            // array addresses nothing: only its pointer must be non-null and
            // aligned, and offsetting it by zero is always allowed. The
            // elements are initialised (buffer invariant 3) and valid for
            // `T` (the dtype matches; bool bytes are validated on import).
            // They live as long as the borrow of `array`, which holds the
            // buffer, and are not written during it (module fact 2).
            let mut view = unsafe { ArrayViewD::from_shape_ptr(shape, low) };
            for &k in &nn.flipped {
                view.invert_axis(Axis(k));
            }
            Ok(view)
        }

        #[doc = concat!("A mutable `ndarray` ", $version, " view of `array`'s elements.")]
        ///
        /// Copy-on-write comes first: if another handle shares the buffer,
        /// or the memory is read-only, the array is copied into fresh
        /// memory (C order) and the view shows the copy, so writes through
        /// it are seen by `array` only. If the layout reaches one element
        /// through several indices (a broadcast array), the array is
        /// likewise copied into fresh C-contiguous memory, because a mutable
        /// view may not alias elements; the values stay the same, each in
        /// its own place. Otherwise no copy is made and the view's pointer
        /// is the array's.
        ///
        /// # Errors
        /// [`ErrorKind::DTypeMismatch`](oxarray_core::ErrorKind::DTypeMismatch)
        /// if `T` is not the array's dtype.
        pub fn to_ndarray_view_mut<T: Element>(array: &mut Array) -> Result<ArrayViewMutD<'_, T>> {
            check_dtype::<T>(array, "to_ndarray_view_mut")?;
            if self_overlapping(array.shape(), array.strides()) {
                *array = array.copy();
            }
            let first = array.as_mut_ptr().cast::<T>();
            let nn = NonNegative::of(array.shape(), array.strides());
            check_aligned(first)?;
            let low = first.wrapping_offset(nn.low_offset);
            let shape = stride_shape(&nn);
            // SAFETY: as in `to_ndarray_view` for bounds, alignment and
            // initialisation. In addition: `as_mut_ptr` left `array` the
            // only handle to writable memory and derived `first` from a
            // unique borrow of the whole buffer; the returned view borrows
            // `array` mutably for its whole life, so no one else reads or
            // writes those elements meanwhile; and the layout does not
            // overlap itself (checked above), so no element is reachable
            // through two indices. Every bit pattern written through the
            // view is a valid `T`, which keeps the dtype's invariant.
            let mut view = unsafe { ArrayViewMutD::from_shape_ptr(shape, low) };
            for &k in &nn.flipped {
                view.invert_axis(Axis(k));
            }
            Ok(view)
        }

        #[doc = concat!("Takes ownership of an `ndarray` ", $version, " array without copying.")]
        ///
        /// The array's `Vec` becomes the owner of the new array's buffer
        /// (released when the last oxarray handle drops); its shape,
        /// strides (negative ones too) and the offset of its first element
        /// carry over, so the result's [`as_ptr`](Array::as_ptr) is the
        /// `ndarray`'s `as_ptr`. The memory is aligned for `T`, not to
        /// oxarray's 64 bytes; [`Array::copy`] gives aligned memory where
        /// that matters (SIMD-heavy work, DLPack export to JAX).
        ///
        /// # Errors
        /// None in practice: the layout is re-validated as for any foreign
        /// buffer, and a failure would name what is wrong.
        pub fn from_ndarray<T: Element, D: Dimension>(array: ::$nd::Array<T, D>) -> Result<Array> {
            let shape = array.shape().to_vec();
            let strides = array.strides().to_vec();
            let (mut vec, offset) = array.into_raw_vec_and_offset();
            let len = std::mem::size_of_val(vec.as_slice());
            let ptr = vec.as_mut_ptr().cast::<u8>();
            // SAFETY: `ptr` is the `Vec`'s heap allocation (or, for an empty
            // `Vec`, a non-null dangling pointer with `len == 0`), valid for
            // reads and writes of `len` initialised bytes. Moving the `Vec`
            // into the owner box does not move its heap memory, and the
            // owner is dropped only when the buffer is, so the bytes outlive
            // every array over them. Nothing else can reach the `Vec`: it
            // was taken by value and is boxed as an opaque owner.
            let buffer = unsafe { Buffer::from_foreign(ptr, len, true, Box::new(vec)) }?;
            Array::from_buffer(Arc::new(buffer), T::DTYPE, shape, strides, offset.unwrap_or(0))
        }

        #[doc = concat!("Copies a borrowed `ndarray` ", $version, " view into a new C-contiguous array.")]
        ///
        /// A borrow cannot outlive the data it borrows, so it cannot become
        /// the owner of a buffer: this copies, once, into fresh 64-byte-aligned
        /// oxarray memory. Use [`from_ndarray`] to move an owned array in
        /// without copying.
        ///
        /// # Errors
        /// [`ErrorKind::SizeOverflow`](oxarray_core::ErrorKind::SizeOverflow)
        /// if the array is too large to allocate.
        pub fn from_ndarray_view<T: Element, D: Dimension>(view: ArrayView<'_, T, D>) -> Result<Array> {
            let mut out = Array::zeros(view.shape(), T::DTYPE)?;
            to_ndarray_view_mut::<T>(&mut out)?.assign(&view.into_dyn());
            Ok(out)
        }
    };
}

/// The bridge to `ndarray` 0.17 (feature `ndarray`).
#[cfg(feature = "ndarray")]
pub mod ndarray {
    ndarray_bridge!(ndarray, "0.17");
}

/// The bridge to `ndarray` 0.16 (feature `ndarray016`), the version linfa
/// 0.8 uses.
#[cfg(feature = "ndarray016")]
pub mod ndarray016 {
    ndarray_bridge!(ndarray016, "0.16");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_negative_layouts() {
        let nn = NonNegative::of(&[3, 4], &[-4, 1]);
        assert_eq!(nn, NonNegative { low_offset: -8, shape: vec![3, 4], strides: Some(vec![4, 1]), flipped: vec![0] });
        let nn = NonNegative::of(&[2, 3], &[-1, -2]);
        assert_eq!((nn.low_offset, nn.flipped), (-5, vec![0, 1]));
        let nn = NonNegative::of(&[0, 5], &[-5, 1]);
        assert_eq!((nn.low_offset, nn.strides, nn.flipped), (0, None, vec![]));
        assert_eq!(NonNegative::of(&[], &[]).strides, Some(vec![]));
    }

    #[test]
    fn overlap_detection() {
        assert!(!self_overlapping(&[3, 4], &[4, 1]));
        assert!(!self_overlapping(&[3, 4], &[1, 3]));
        assert!(!self_overlapping(&[3, 4], &[-8, 2]));
        assert!(!self_overlapping(&[1, 4], &[0, 1]));
        assert!(!self_overlapping(&[0, 4], &[0, 0]));
        assert!(self_overlapping(&[3, 4], &[0, 1]));
        assert!(self_overlapping(&[2, 2], &[1, 1]));
        assert!(self_overlapping(&[3, 3], &[2, 1]));
    }
}
