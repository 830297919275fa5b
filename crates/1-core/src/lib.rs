//! # oxarray-core
//!
//! The n-dimensional [`Array`] that the rest of oxarray stands on.
//!
//! - **Memory** — a [`Buffer`] is owned aligned memory, a memory-mapped file
//!   or foreign memory kept alive by an owner object; arrays share buffers
//!   through an `Arc`, so views are free.
//! - **Types** — [`DType`] at run time, [`Element`] for the Rust types, and
//!   [`dispatch!`] as the one bridge between them.
//! - **Views** — [`Array::slice`] with [`s!`], [`Array::reshape`],
//!   [`Array::permute_dims`], [`Array::broadcast_to`], … never copy.
//! - **Sharing without surprises** — arrays have value semantics: a write
//!   copies first if anyone else holds the buffer (copy-on-write).
//! - **Casting** — [`Array::astype`] never loses data silently;
//!   [`Casting`] gives NumPy's policies; [`result_type`] implements the Array
//!   API's promotion rules.
//! - **Elementwise** — [`Array::binary`], [`Array::unary`] and one method per op (`a.add(&b)?`, `a.exp()?`), NEP 50 weak scalars ([`Array::binary_scalar`]), in-place forms, [`Array::where_`], [`Array::clip`].
//! - **Fused expressions** — [`Expr`]: `(Expr::from(&a) * &b + &c).eval()?`
//!   runs a tree of elementwise ops in one pass over cache-sized blocks,
//!   with exactly the eager ops' results; large temporaries are recycled
//!   by a reuse pool ([`release_cached_memory`]).
//! - **Creation** — [`Array::ones`], [`Array::full`], [`Array::arange`],
//!   [`Array::linspace`], [`Array::eye`], [`Array::from_nested`], and seeded
//!   [`random`] arrays from a [`Generator`].
//! - **Errors** — every fallible call returns [`Result`] with an [`Error`]
//!   whose [`ErrorKind`] names what was wrong and where.
//!
//! ```
//! use oxarray_core::{s, Array, DType};
//! let a = Array::arange(0.0, 6.0, 1.0, DType::Float32)?.reshape(&[2, 3])?;
//! let t = a.transpose();                       // a view: no bytes move
//! assert_eq!(t.shape(), &[3, 2]);
//! assert_eq!(t.to_vec::<f32>()?, vec![0., 3., 1., 4., 2., 5.]);
//! let mut b = a.clone();                       // another handle, same buffer
//! b.fill_at(&s![0, ..], 9.0)?;                 // copy-on-write: `a` is untouched
//! assert_eq!(a.get::<f32>(&[0, 0])?, 0.0);
//! assert_eq!(b.get::<f32>(&[0, 0])?, 9.0);
//! let i = a.astype(DType::Int8)?;              // checked cast
//! assert_eq!(i.to_vec::<i8>()?, vec![0, 1, 2, 3, 4, 5]);
//! # Ok::<(), oxarray_core::Error>(())
//! ```

mod array;
mod buffer;
mod cast;
mod cmath;
mod creation;
mod display;
mod dtype;
mod element;
mod elementwise;
mod error;
mod expr;
mod indexing;
pub mod linalg;
mod manipulation;
mod nested;
mod promotion;
pub mod random;
mod scalar;
mod searching;
mod selection;
mod set;
mod sorting;
mod statistical;

pub use array::Array;
pub use buffer::{
    ALIGN, Buffer, HUGE_ALIGN, HUGE_THRESHOLD, cached_memory, cached_memory_limit, release_cached_memory,
    set_cached_memory_limit,
};
pub use cast::{Casting, can_cast};
pub use dtype::{DType, Kind};
pub use element::{Element, Lossy, Wide, c64, c128};
pub use elementwise::{BinaryOp, UnaryOp};
pub use error::{Error, ErrorKind, Location, Result};
pub use expr::{BLOCK_BYTES, Expr, block_len};
pub use half::{bf16, f16};
pub use indexing::Index;
pub use manipulation::{broadcast_arrays, broadcast_shapes};
pub use nested::Nested;
pub use promotion::{ScalarKind, result_type, result_type_many, result_type_with_scalar};
pub use random::Generator;
pub use scalar::{ComplexFloat, Float, Integer, Numeric, Real};
pub use searching::{Side, TopK, searchsorted, where_};
pub use selection::{Repeats, SplitAt, concat, stack};
pub use set::{UniqueAll, UniqueCounts, UniqueInverse};
pub use sorting::SortOptions;
