//! # oxarray-io
//!
//! Raw data and exchange files become arrays, and arrays become files again:
//!
//! - [`npy`]: NumPy's `.npy` format (versions 1.0, 2.0, 3.0), read, write and
//!   memory-map.
//! - [`npz`]: NumPy's `.npz` archives, stored or deflated, read lazily by
//!   member name.
//! - [`safetensors`]: Hugging Face's format, read (also memory-mapped,
//!   zero-copy) and write.
//! - [`csv`]: delimited text with missing values and categorical columns.
//! - [`image`]: PNG and JPEG to `height × width × channels` arrays, a folder
//!   of images to a labelled batch, arrays to PNG.
//!
//! Every reader treats its input as untrusted: malformed input is an
//! [`oxarray_core::Error`] naming the file and the position, never a panic,
//! and no reader allocates more than the input can justify. Every writer
//! writes to a temporary file beside the target and renames it into place, so
//! a failed write never leaves a half-written file under the final name.

pub mod atomic;
pub mod csv;
pub mod image;
pub mod npy;
pub mod npz;
pub mod safetensors;

pub use npz::NpzReader;
pub use safetensors::SafeTensors;
