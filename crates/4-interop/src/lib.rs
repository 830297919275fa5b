//! # oxarray-interop
//!
//! oxarray [`Array`](oxarray_core::Array)s to and from other libraries'
//! memory **without copying**. Each bridge sits behind a cargo feature, so a
//! build pays only for the libraries it talks to:
//!
//! | feature | module | for |
//! |---|---|---|
//! | `ndarray` | `oxarray_interop::ndarray` | `ndarray` 0.17 |
//! | `ndarray016` | `oxarray_interop::ndarray016` | `ndarray` 0.16, which linfa 0.8 uses |
//!
//! Both `ndarray` modules have the same four functions:
//!
//! - `to_ndarray_view(&array)` — an `ArrayViewD` over the array's memory.
//!   Every layout oxarray can hold converts: transposed, sliced, negative
//!   strides (flips), zero strides (broadcasts), 0-d and zero-size arrays
//!   (whose views get `ndarray`'s default strides).
//! - `to_ndarray_view_mut(&mut array)` — an `ArrayViewMutD`. It first makes
//!   the array the unique owner of writable memory (copy-on-write), so the
//!   writes are seen by this handle only; a layout that reaches one element
//!   through several indices (a broadcast) is first copied into fresh
//!   C-contiguous memory, because a mutable view may not alias elements.
//! - `from_ndarray(owned)` — takes ownership of an `ndarray::Array`: its
//!   `Vec` becomes the owner of the new array's buffer, and its strides and
//!   offset carry over, so nothing is copied.
//! - `from_ndarray_view(view)` — copies a borrowed view into fresh, aligned
//!   oxarray memory (a borrow cannot outlive its owner, so it cannot become
//!   a buffer).
//!
//! The element type is given as a Rust type (`f32`, `i64`, `bool`,
//! [`c64`](oxarray_core::c64), [`f16`](oxarray_core::f16), …); asking for one
//! that is not the array's dtype is an
//! [`ErrorKind::DTypeMismatch`](oxarray_core::ErrorKind::DTypeMismatch).
//! Views are `IxDyn`; `.into_dimensionality::<Ix2>()` gives a fixed-rank
//! view, and `from_ndarray` accepts any dimension type.
//!
//! ```
//! # #[cfg(feature = "ndarray")] {
//! use oxarray_core::{s, Array, Index};
//! use oxarray_interop::ndarray::{from_ndarray, to_ndarray_view};
//!
//! let a = Array::from_slice(&[1.0f64, 2., 3., 4., 5., 6.], &[2, 3])?;
//! let t = a.transpose().slice(&s![Index::step(-1), ..])?; // a strided view
//! let v = to_ndarray_view::<f64>(&t)?;                    // no copy
//! assert_eq!(v.as_ptr().cast::<u8>(), t.as_ptr());
//! assert_eq!(v.strides(), &[-1, 3]);
//! assert_eq!(v.into_dimensionality::<ndarray::Ix2>().unwrap()[[0, 1]], 6.0);
//!
//! let owned = ndarray::Array2::<f32>::eye(3);
//! let ptr = owned.as_ptr();
//! let b = from_ndarray(owned)?;                           // no copy either
//! assert_eq!(b.as_ptr(), ptr.cast::<u8>());
//! assert_eq!(b.get::<f32>(&[1, 1])?, 1.0);
//! # }
//! # Ok::<(), oxarray_core::Error>(())
//! ```
//!
//! All `unsafe` code of this crate is in one module (`ndarray_bridge.rs`),
//! each block with the argument for why it is sound; the tests run under
//! valgrind in `scripts/test.sh`.

#![deny(unsafe_code)]

#[cfg(any(feature = "ndarray", feature = "ndarray016"))]
mod ndarray_bridge;

#[cfg(feature = "ndarray")]
pub use ndarray_bridge::ndarray;
#[cfg(feature = "ndarray016")]
pub use ndarray_bridge::ndarray016;
