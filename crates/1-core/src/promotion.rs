//! Type promotion: which dtype an operation on mixed operands computes in:
//! [`result_type`] for arrays, [`result_type_with_scalar`] for an array and a
//! Python-style scalar.
//!
//! Python scalars are "weak" (NEP 50): an operand that is a plain `bool`,
//! `int`, `float` or `complex` rather than an array does not widen an array
//! of the same or a higher kind; see [`result_type_with_scalar`].
//!
//! ```
//! use oxarray_core::{result_type, result_type_with_scalar, DType, ScalarKind};
//! assert_eq!(result_type(DType::Int8, DType::UInt8)?, DType::Int16);
//! assert_eq!(result_type(DType::Int64, DType::UInt64)?, DType::Float64);
//! assert_eq!(result_type(DType::BFloat16, DType::Float16)?, DType::Float32);
//! assert_eq!(result_type_with_scalar(DType::UInt8, ScalarKind::Int)?, DType::UInt8);
//! assert_eq!(result_type_with_scalar(DType::Int32, ScalarKind::Float)?, DType::Float64);
//! assert_eq!(result_type_with_scalar(DType::Float32, ScalarKind::Complex)?, DType::Complex64);
//! # Ok::<(), oxarray_core::Error>(())
//! ```

use crate::cast::{Casting, can_cast};
use crate::dtype::{DType, Kind};
use crate::element::Wide;
use crate::error::{Error, Result};

/// The kind of a Python-style "weak" scalar operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarKind {
    /// `True`/`False`.
    Bool,
    /// A Python `int`.
    Int,
    /// A Python `float`.
    Float,
    /// A Python `complex`.
    Complex,
}

impl ScalarKind {
    /// The kind of a weak scalar's value.
    pub const fn of(value: Wide) -> ScalarKind {
        match value {
            Wide::Bool(_) => ScalarKind::Bool,
            Wide::Int(_) => ScalarKind::Int,
            Wide::Float(_) => ScalarKind::Float,
            Wide::Complex(..) => ScalarKind::Complex,
        }
    }

    /// The dtype a scalar of this kind takes when it is the operand of the
    /// highest kind (NumPy's defaults: `int64`, `float64`, `complex128`).
    pub const fn default_dtype(self) -> DType {
        match self {
            ScalarKind::Bool => DType::Bool,
            ScalarKind::Int => DType::Int64,
            ScalarKind::Float => DType::Float64,
            ScalarKind::Complex => DType::Complex128,
        }
    }
}

/// Kinds as weak scalars see them: signed and unsigned integers are one kind.
const fn rank(kind: Kind) -> u8 {
    match kind {
        Kind::Bool => 0,
        Kind::UnsignedInt | Kind::SignedInt => 1,
        Kind::Float => 2,
        Kind::Complex => 3,
    }
}

/// The dtype two array operands promote to (the Array API's
/// `result_type(a, b)`, NumPy's `np.result_type`).
///
/// The result is the **smallest dtype, in the order of
/// [`DType::ALL`], to which both cast safely** ([`can_cast`] with
/// [`Casting::Safe`]). That one rule reproduces the Array API standard's
/// table (2025.12) where the standard has one, and NumPy 2's
/// `np.result_type` (NEP 50) where the standard is silent, for every pair of
/// the dtypes the two share (checked against NumPy in `tests/casting.rs`):
///
/// | operands | result | why |
/// |---|---|---|
/// | `int8`, `uint8` | `int16` | the standard's table |
/// | `int64`, `uint64` | `float64` | NumPy (no integer holds both) |
/// | `int16`, `float16` | `float32` | NumPy (float16 holds only 8-bit integers) |
/// | `int32`, `float32` | `float64` | NumPy |
/// | `bool`, `int8` | `int8` | NumPy (bool casts safely to every type) |
/// | `float64`, `complex64` | `complex128` | the standard's table |
///
/// `bfloat16` is not a NumPy dtype; the same rule places it: with `bool`,
/// `int8` or `uint8` it stays `bfloat16`, with `float16` it gives `float32`
/// (neither 16-bit float holds the other), with `int16`/`uint16` and wider it
/// gives whatever the safe-cast table gives (`float32`, or `float64` for
/// 32- and 64-bit integers), with `float32`/`float64` the wider float, and
/// with a complex type that complex type.
///
/// Returns an error only if the two dtypes have no common type, which no
/// pair of the current dtypes lacks.
pub fn result_type(a: DType, b: DType) -> Result<DType> {
    result_type_many(&[a, b])
}

/// The dtype any number of array operands promote to: the smallest dtype
/// to which all of them cast safely. Like NumPy's n-ary `np.result_type`,
/// this does not depend on the order of `dtypes`, and it can be narrower
/// than folding [`result_type`] pairwise: `(int8, uint8, float16)` gives
/// `float16`, while `result_type(result_type(int8, uint8), float16)` is
/// `result_type(int16, float16)`, `float32`.
///
/// An empty slice is an error, as in NumPy.
pub fn result_type_many(dtypes: &[DType]) -> Result<DType> {
    if dtypes.is_empty() {
        return Err(Error::invalid("result_type", "at least one dtype is required"));
    }
    DType::ALL.into_iter().find(|&to| dtypes.iter().all(|&from| can_cast(from, to, Casting::Safe))).ok_or_else(|| {
        let names: Vec<&str> = dtypes.iter().map(|d| d.name()).collect();
        Error::invalid("result_type", format!("the dtypes [{}] have no common dtype", names.join(", ")))
    })
}

/// The dtype an array of dtype `a` and a weak (Python-style) scalar of kind
/// `s` promote to, following NEP 50:
///
/// - a scalar of the same or a lower kind keeps the array's dtype (an `int`
///   with a `uint8` array gives `uint8`; integer kinds count as one kind);
/// - an `int` with a `bool` array gives `int64`;
/// - a `float` with a `bool` or integer array gives `float64`;
/// - a `complex` with a real float array gives the complex type of the
///   array's precision (`complex64` for `float16`, `bfloat16` and `float32`,
///   `complex128` for `float64`), and with a `bool` or integer array
///   `complex128`.
///
/// Whether the scalar's value fits the result is checked when the value is
/// converted ([`Array::set`](crate::Array::set), [`Array::fill`](crate::Array::fill)),
/// not here. Returns an error only where NumPy would; no current dtype does.
pub fn result_type_with_scalar(a: DType, s: ScalarKind) -> Result<DType> {
    let scalar = s.default_dtype();
    if rank(scalar.kind()) <= rank(a.kind()) {
        return Ok(a);
    }
    if a.is_float() {
        // Only a complex scalar outranks a float array: it takes the
        // array's precision.
        return result_type(a, DType::Complex64);
    }
    Ok(scalar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfloat16_places_by_the_safe_cast_table() {
        let bf = DType::BFloat16;
        let cases = [
            (DType::Bool, bf),
            (DType::Int8, bf),
            (DType::UInt8, bf),
            (DType::Int16, DType::Float32),
            (DType::UInt16, DType::Float32),
            (DType::Int32, DType::Float64),
            (DType::UInt64, DType::Float64),
            (DType::Float16, DType::Float32),
            (bf, bf),
            (DType::Float32, DType::Float32),
            (DType::Float64, DType::Float64),
            (DType::Complex64, DType::Complex64),
            (DType::Complex128, DType::Complex128),
        ];
        for (other, expected) in cases {
            assert_eq!(result_type(bf, other).unwrap(), expected, "bfloat16 with {other}");
            assert_eq!(result_type(other, bf).unwrap(), expected, "{other} with bfloat16");
        }
        let weak = |s| result_type_with_scalar(bf, s).unwrap();
        assert_eq!(weak(ScalarKind::Bool), bf);
        assert_eq!(weak(ScalarKind::Int), bf);
        assert_eq!(weak(ScalarKind::Float), bf);
        assert_eq!(weak(ScalarKind::Complex), DType::Complex64);
    }

    #[test]
    fn promotion_is_a_join() {
        for a in DType::ALL {
            assert_eq!(result_type(a, a).unwrap(), a);
            for b in DType::ALL {
                let r = result_type(a, b).unwrap();
                assert_eq!(r, result_type(b, a).unwrap(), "{a} with {b}");
                assert!(can_cast(a, r, Casting::Safe) && can_cast(b, r, Casting::Safe), "{a} with {b} -> {r}");
                if can_cast(a, b, Casting::Safe) {
                    assert_eq!(r, b, "{a} casts safely to {b}");
                }
            }
        }
        assert!(result_type_many(&[]).is_err());
        assert_eq!(result_type_many(&[DType::Int8, DType::UInt8, DType::Float16]).unwrap(), DType::Float16);
    }
}
