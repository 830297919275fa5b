//! # oxarray-kernels
//!
//! The bottom layer of oxarray: pure layout math and typed loops over
//! `(slice, layout)` pairs. Nothing here knows about runtime dtypes, buffers
//! or errors of the user-facing API; the core crate turns a runtime dtype into
//! one of these generic calls through its single dispatch macro.
//!
//! - [`layout`]: shapes, strides, broadcasting, contiguity, and the
//!   dimension-coalescing that turns most strided work into one long loop.
//! - [`strided`]: iteration over the element offsets of a strided layout and
//!   typed copy/gather loops built on it.
//! - [`copy`]: one-pass copies of strided layouts into C order, tiled for
//!   transposes and threaded for large arrays.
//! - [`elementwise`]: the unary, binary, in-place and `select` loops, with
//!   contiguous, broadcast-constant, strided and threaded paths.
//! - [`simd`]: runtime CPU-feature dispatch for those loops (baseline, AVX2,
//!   AVX-512; capped by `OXARRAY_SIMD`) and the FMA peak measurement.
//! - [`vmath`]: vectorisable float32 `exp`, `exp2`, `expm1`, `ln`, `log2`,
//!   `log10`, `log1p`, `tanh`, `sin`, `cos`, `tan` (≤ 4 ULP) and float64
//!   `exp`, `exp2`, `expm1`, `ln`, `log2`, `log10`, `log1p`, `tanh` (≤ 3 ULP).
//! - [`gemm`]: a cache-blocked matrix product for integers and `bool`.
//! - [`random`]: a small, seedable, splittable generator (xoshiro256++) and
//!   the distributions the core's random constructors need.

pub mod copy;
pub mod elementwise;
pub mod gemm;
pub mod lanes;
pub mod layout;
pub mod par;
pub mod random;
pub mod reduce;
pub mod select;
pub mod simd;
pub mod sort;
pub mod strided;
pub mod vmath;
