//! # oxarray
//!
//! N-dimensional arrays for machine-learning data: the role NumPy plays in
//! Python's ML stack, in Rust — with casts that never lose data silently,
//! writes that never surprise another holder of the same memory, and
//! zero-copy exchange with other libraries.
//!
//! This crate is the facade: it re-exports everything from
//! [`oxarray-core`](oxarray_core) at its root and the bridges of
//! [`oxarray-interop`](oxarray_interop) as [`interop`]. The guide below
//! walks through the ideas in the order you meet them; `cargo run --release
//! -p oxarray --example tour --features ndarray` prints the same tour.
//!
//! ## 1. An array is a handle
//!
//! An [`Array`] is a shared [`Buffer`], a runtime [`DType`], a shape, strides
//! and an offset (strides and offset count elements, not bytes). Typed access
//! names the Rust type, and asking for the wrong one is an error, not a
//! reinterpretation.
//!
//! ```
//! use oxarray::{Array, DType};
//! let a = Array::from_slice(&[1.0f32, 2., 3., 4., 5., 6.], &[2, 3])?;
//! assert_eq!((a.shape(), a.dtype(), a.strides()), (&[2, 3][..], DType::Float32, &[3, 1][..]));
//! assert_eq!(a.get::<f32>(&[1, -1])?, 6.0);           // negative indices count from the end
//! assert!(a.get::<f64>(&[0, 0]).is_err());             // float32 is not f64
//! let z = Array::zeros(&[2, 2], DType::Int64)?;
//! assert_eq!(z.to_vec::<i64>()?, vec![0; 4]);
//! # Ok::<(), oxarray::Error>(())
//! ```
//!
//! ## 2. Views never copy
//!
//! Slicing ([`Array::slice`] with [`s!`]), [`transpose`](Array::transpose),
//! [`reshape`](Array::reshape) when the strides allow it,
//! [`flip`](Array::flip) and [`broadcast_to`](Array::broadcast_to) make a new
//! layout over the same buffer. [`Array::as_ptr`] proves it.
//!
//! ```
//! use oxarray::{s, Array, Index};
//! let a = Array::from_slice(&(0..12).collect::<Vec<i32>>(), &[3, 4])?;
//! let v = a.slice(&s![1.., Index::step(-1)])?;        // NumPy's a[1:, ::-1]
//! assert_eq!(v.to_vec::<i32>()?, vec![7, 6, 5, 4, 11, 10, 9, 8]);
//! assert_eq!(v.as_ptr(), a.slice(&s![1, 3])?.as_ptr());
//! assert!(v.shares_buffer(&a));
//! # Ok::<(), oxarray::Error>(())
//! ```
//!
//! ## 3. Writes never reach another handle (copy-on-write)
//!
//! Arrays have value semantics. A write through a handle whose buffer is
//! shared (or read-only) first copies; a write through the only handle
//! happens in place.
//!
//! ```
//! use oxarray::{s, Array};
//! let a = Array::from_slice(&[1u8, 2, 3, 4], &[2, 2])?;
//! let mut b = a.clone();                                // same buffer
//! b.fill_at(&s![0, ..], 9u8)?;                          // copies, then writes
//! assert_eq!(a.to_vec::<u8>()?, vec![1, 2, 3, 4]);
//! assert_eq!(b.to_vec::<u8>()?, vec![9, 9, 3, 4]);
//! let before = b.as_ptr();
//! b.fill(0u8)?;                                         // unique now: in place
//! assert_eq!(b.as_ptr(), before);
//! # Ok::<(), oxarray::Error>(())
//! ```
//!
//! ## 4. Casts never lose data silently
//!
//! [`Array::astype`] truncates floats toward zero as NumPy does, but NaN,
//! infinities and out-of-range values are an error naming the first
//! offending element; [`Array::astype_with`] takes NumPy's [`Casting`]
//! policies, `Unsafe` included for those who want wrap-around. Implicit
//! conversions (writing a value into an array) only go the safe way.
//!
//! ```
//! use oxarray::{Array, Casting, DType, ErrorKind};
//! let x = Array::from_slice(&[1.9f64, -2.5, 300.0], &[3])?;
//! let err = x.astype(DType::UInt8).err().expect("-2.5 does not fit uint8");
//! assert!(matches!(err.kind(), ErrorKind::LossyCast { .. }));
//! println!("{err}"); // names index (1,) and the value -2.5
//! assert_eq!(x.astype_with(DType::Int16, Casting::Unsafe)?.to_vec::<i16>()?, vec![1, -2, 300]);
//! let mut f = Array::zeros(&[2], DType::Int8)?;
//! assert!(f.fill(0.5f64).is_err());                     // no float into an int array
//! # Ok::<(), oxarray::Error>(())
//! ```
//!
//! ## 5. Broadcasting
//!
//! [`broadcast_shapes`], [`broadcast_arrays`] and
//! [`Array::broadcast_to`] follow NumPy's rules; stretched axes get stride 0,
//! so nothing is copied.
//!
//! ```
//! use oxarray::{broadcast_shapes, Array};
//! assert_eq!(broadcast_shapes(&[&[3, 1], &[4]])?, vec![3, 4]);
//! let row = Array::from_slice(&[1i64, 2, 3], &[3])?;
//! let m = row.broadcast_to(&[2, 3])?;
//! assert_eq!(m.strides(), &[0, 1]);
//! assert!(row.broadcast_to(&[2, 4]).is_err());
//! # Ok::<(), oxarray::Error>(())
//! ```
//!
//! ## 6. Errors
//!
//! Every fallible call returns [`Result`]; an [`Error`]'s
//! [`kind`](Error::kind) is a structured [`ErrorKind`] carrying the shapes,
//! dtypes and indices involved, and its message says what was wrong and
//! where. Bad input is never a panic.
//!
//! ## 7. Other libraries, without copying
//!
//! | feature | gives |
//! |---|---|
//! | `ndarray` | [`interop`]`::ndarray`: views to and from `ndarray` 0.17 |
//! | `ndarray016` | [`interop`]`::ndarray016`: the same for `ndarray` 0.16 (linfa 0.8) |
//! | `io` (default) | `io`: `.npy`/`.npz` files (with memory mapping), safetensors, CSV, and PNG/JPEG images (`io::image`: one image, or a folder as a labelled batch) |
//! | `prep` (default) | `prep`: impute, scale, encode, pipelines saved as JSON, splits, mini-batches (section 8) |
//!
//! `io` and `prep` are on by default; the bridges to other array crates compile only when asked for.
//!
//! ```
//! # #[cfg(feature = "ndarray")] {
//! use oxarray::{interop::ndarray::{from_ndarray, to_ndarray_view}, Array};
//! let a = Array::from_slice(&[1.0f64, 2., 3., 4.], &[2, 2])?.transpose();
//! let v = to_ndarray_view::<f64>(&a)?;                  // borrows a's memory
//! assert_eq!(v.as_ptr().cast::<u8>(), a.as_ptr());
//! let back = from_ndarray(v.to_owned())?;                // moves the Vec in
//! assert_eq!(back.to_vec::<f64>()?, vec![1., 3., 2., 4.]);
//! # }
//! # Ok::<(), oxarray::Error>(())
//! ```
//!
//! ## 8. From raw data to model-ready arrays
//!
//! [`prep`] (feature `prep`, on by default) has scikit-learn's preparation
//! steps with the same defaults and results — `SimpleImputer`,
//! `StandardScaler`, `MinMaxScaler`, `RobustScaler`, `MaxAbsScaler`,
//! `Normalizer`, `OneHotEncoder`, `OrdinalEncoder`, `Pipeline`,
//! `ColumnTransformer` — fitted state saved as JSON for serving, and
//! `train_test_split`, `KFold`, `StratifiedKFold` and a `BatchLoader`.
//!
//! ```
//! # #[cfg(feature = "prep")] {
//! use oxarray::prep::{Pipeline, SimpleImputer, StandardScaler, Strategy, Transformer};
//! use oxarray::Array;
//! let x = Array::from_slice(&[1.0f32, f32::NAN, 3.0, 4.0, 5.0, 6.0], &[3, 2])?;
//! let mut p = Pipeline::new().step("impute", SimpleImputer::new(Strategy::Mean))?.step("scale", StandardScaler::new())?;
//! let z = p.fit_transform(&x)?;
//! assert_eq!((z.shape(), z.dtype()), (&[3, 2][..], x.dtype()));
//! # }
//! # Ok::<(), oxarray::Error>(())
//! ```
//!
//! ## Where things live
//!
//! The crates follow the data flow, raw data → io → `Array` → prep →
//! export; `ARCHITECTURE.md` at the repository root has the map.

pub use oxarray_core::*;

/// File formats: `.npy`/`.npz` (with memory mapping), safetensors, CSV and
/// PNG/JPEG images (feature `io`, on by default).
#[cfg(feature = "io")]
pub use oxarray_io as io;

/// Arrays to and from other libraries' memory without copying; each bridge
/// is behind a cargo feature of the same name.
pub use oxarray_interop as interop;

/// From raw data to model-ready arrays: imputers, scalers, encoders,
/// pipelines saved as JSON, train/test splits, cross-validation folds and
/// mini-batches (feature `prep`, on by default).
#[cfg(feature = "prep")]
pub use oxarray_prep as prep;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
