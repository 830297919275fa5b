//! Runtime data types and the one place that turns a runtime [`DType`] into
//! typed code: [`dispatch!`](crate::dispatch).

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind};

/// The element type of an [`Array`](crate::Array), known at run time.
///
/// The set and the names follow the Python Array API standard, plus
/// `bfloat16`, which ML exchange formats (safetensors, DLPack) carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DType {
    /// `bool`, one byte holding 0 or 1.
    Bool,
    /// `int8`.
    Int8,
    /// `int16`.
    Int16,
    /// `int32`.
    Int32,
    /// `int64`.
    Int64,
    /// `uint8`.
    UInt8,
    /// `uint16`.
    UInt16,
    /// `uint32`.
    UInt32,
    /// `uint64`.
    UInt64,
    /// IEEE 754 binary16.
    Float16,
    /// bfloat16: float32's exponent with an 8-bit significand.
    BFloat16,
    /// IEEE 754 binary32.
    Float32,
    /// IEEE 754 binary64.
    Float64,
    /// Two float32: real and imaginary part.
    Complex64,
    /// Two float64: real and imaginary part.
    Complex128,
}

/// The kind of a dtype, ordered as NumPy's `same_kind` casting orders them:
/// a value of one kind can be cast "within kind" to any later kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `bool`.
    Bool,
    /// Unsigned integers.
    UnsignedInt,
    /// Signed integers.
    SignedInt,
    /// Real floating point.
    Float,
    /// Complex floating point.
    Complex,
}

impl DType {
    /// Every dtype, in promotion order (the order [`crate::result_type`]
    /// searches for the smallest common type).
    pub const ALL: [DType; 15] = [
        DType::Bool,
        DType::UInt8,
        DType::Int8,
        DType::UInt16,
        DType::Int16,
        DType::UInt32,
        DType::Int32,
        DType::UInt64,
        DType::Int64,
        DType::Float16,
        DType::BFloat16,
        DType::Float32,
        DType::Float64,
        DType::Complex64,
        DType::Complex128,
    ];

    /// Size of one element in bytes.
    pub const fn itemsize(self) -> usize {
        match self {
            DType::Bool | DType::Int8 | DType::UInt8 => 1,
            DType::Int16 | DType::UInt16 | DType::Float16 | DType::BFloat16 => 2,
            DType::Int32 | DType::UInt32 | DType::Float32 => 4,
            DType::Int64 | DType::UInt64 | DType::Float64 | DType::Complex64 => 8,
            DType::Complex128 => 16,
        }
    }

    /// Required alignment of one element in bytes (that of its Rust type).
    pub const fn alignment(self) -> usize {
        match self {
            DType::Complex64 => 4,
            DType::Complex128 => 8,
            other => other.itemsize(),
        }
    }

    /// The kind (bool, unsigned, signed, float, complex).
    pub const fn kind(self) -> Kind {
        match self {
            DType::Bool => Kind::Bool,
            DType::UInt8 | DType::UInt16 | DType::UInt32 | DType::UInt64 => Kind::UnsignedInt,
            DType::Int8 | DType::Int16 | DType::Int32 | DType::Int64 => Kind::SignedInt,
            DType::Float16 | DType::BFloat16 | DType::Float32 | DType::Float64 => Kind::Float,
            DType::Complex64 | DType::Complex128 => Kind::Complex,
        }
    }

    /// The Array API / NumPy name: `"float32"`, `"uint8"`, `"bool"`, ….
    pub const fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::Int8 => "int8",
            DType::Int16 => "int16",
            DType::Int32 => "int32",
            DType::Int64 => "int64",
            DType::UInt8 => "uint8",
            DType::UInt16 => "uint16",
            DType::UInt32 => "uint32",
            DType::UInt64 => "uint64",
            DType::Float16 => "float16",
            DType::BFloat16 => "bfloat16",
            DType::Float32 => "float32",
            DType::Float64 => "float64",
            DType::Complex64 => "complex64",
            DType::Complex128 => "complex128",
        }
    }

    /// Whether this is `bool`.
    pub const fn is_bool(self) -> bool {
        matches!(self.kind(), Kind::Bool)
    }

    /// Whether this is a signed or unsigned integer type.
    pub const fn is_integer(self) -> bool {
        matches!(self.kind(), Kind::SignedInt | Kind::UnsignedInt)
    }

    /// Whether this is a real floating-point type.
    pub const fn is_float(self) -> bool {
        matches!(self.kind(), Kind::Float)
    }

    /// Whether this is a complex type.
    pub const fn is_complex(self) -> bool {
        matches!(self.kind(), Kind::Complex)
    }

    /// The real type of the same precision for complex types; `self` otherwise.
    pub const fn real(self) -> DType {
        match self {
            DType::Complex64 => DType::Float32,
            DType::Complex128 => DType::Float64,
            other => other,
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DType {
    type Err = Error;

    /// Parses the Array API names (`"float32"`) and NumPy's aliases and
    /// type codes (`"f4"`, `"<f4"`, `"bool_"`, `"double"`). Type codes count
    /// bytes as in NumPy: `"i8"` is int64, `"f2"` is float16.
    fn from_str(s: &str) -> Result<Self, Error> {
        let t = s.trim().trim_start_matches(['<', '=', '|']);
        Ok(match t {
            "bool" | "bool_" | "?" | "b1" => DType::Bool,
            "int8" | "i1" | "byte" => DType::Int8,
            "int16" | "i2" | "short" => DType::Int16,
            "int32" | "i4" | "intc" => DType::Int32,
            "int64" | "i8" | "int" | "long" | "longlong" => DType::Int64,
            "uint8" | "u1" | "ubyte" => DType::UInt8,
            "uint16" | "u2" | "ushort" => DType::UInt16,
            "uint32" | "u4" | "uintc" => DType::UInt32,
            "uint64" | "u8" | "uint" | "ulong" | "ulonglong" => DType::UInt64,
            "float16" | "f2" | "half" => DType::Float16,
            "bfloat16" => DType::BFloat16,
            "float32" | "f4" | "single" => DType::Float32,
            "float64" | "f8" | "double" | "float" => DType::Float64,
            "complex64" | "c8" | "csingle" => DType::Complex64,
            "complex128" | "c16" | "cdouble" | "complex" => DType::Complex128,
            _ => {
                return Err(ErrorKind::UnknownDType { name: s.to_string() }.into());
            }
        })
    }
}

/// Runs `$body` with the type alias `$T` bound to the Rust element type of
/// the runtime dtype `$dtype`. This macro is the only place in oxarray that
/// matches on every dtype to reach typed code; adding a dtype means one line
/// here, one [`DType`] variant and one [`Element`](crate::Element) impl.
///
/// ```
/// use oxarray_core::{dispatch, DType, Element};
/// let size = dispatch!(DType::Float32, T => std::mem::size_of::<T>());
/// assert_eq!(size, 4);
/// assert_eq!(dispatch!(DType::UInt16, T => T::DTYPE), DType::UInt16);
/// ```
#[macro_export]
macro_rules! dispatch {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            $crate::DType::Bool => {
                type $T = bool;
                $body
            }
            $crate::DType::Int8 => {
                type $T = i8;
                $body
            }
            $crate::DType::Int16 => {
                type $T = i16;
                $body
            }
            $crate::DType::Int32 => {
                type $T = i32;
                $body
            }
            $crate::DType::Int64 => {
                type $T = i64;
                $body
            }
            $crate::DType::UInt8 => {
                type $T = u8;
                $body
            }
            $crate::DType::UInt16 => {
                type $T = u16;
                $body
            }
            $crate::DType::UInt32 => {
                type $T = u32;
                $body
            }
            $crate::DType::UInt64 => {
                type $T = u64;
                $body
            }
            $crate::DType::Float16 => {
                type $T = $crate::f16;
                $body
            }
            $crate::DType::BFloat16 => {
                type $T = $crate::bf16;
                $body
            }
            $crate::DType::Float32 => {
                type $T = f32;
                $body
            }
            $crate::DType::Float64 => {
                type $T = f64;
                $body
            }
            $crate::DType::Complex64 => {
                type $T = $crate::c64;
                $body
            }
            $crate::DType::Complex128 => {
                type $T = $crate::c128;
                $body
            }
        }
    };
}

/// Like [`dispatch!`], restricted to a subset of dtypes: `$T` is bound only
/// for the listed kinds and every other dtype evaluates `$other`. Subsets:
/// `int` (signed and unsigned integers), `float` (real floats), `complex`,
/// `real` (integers and real floats), `numeric` (everything but bool),
/// `linalg` (the types the linear-algebra routines compute in: float32,
/// float64, complex64, complex128).
///
/// ```
/// use oxarray_core::{dispatch_subset, DType, Integer};
/// let bits = |d: DType| dispatch_subset!(int: d, T => Some(T::BITS), _ => None);
/// assert_eq!(bits(DType::UInt16), Some(16));
/// assert_eq!(bits(DType::Float32), None);
/// ```
#[macro_export]
macro_rules! dispatch_subset {
    (int: $dtype:expr, $T:ident => $body:expr, _ => $other:expr) => {
        $crate::dispatch_subset!(@arms $dtype, $T, $body, $other;
            Int8 i8, Int16 i16, Int32 i32, Int64 i64, UInt8 u8, UInt16 u16, UInt32 u32, UInt64 u64)
    };
    (float: $dtype:expr, $T:ident => $body:expr, _ => $other:expr) => {
        $crate::dispatch_subset!(@arms $dtype, $T, $body, $other;
            Float16 $crate::f16, BFloat16 $crate::bf16, Float32 f32, Float64 f64)
    };
    (complex: $dtype:expr, $T:ident => $body:expr, _ => $other:expr) => {
        $crate::dispatch_subset!(@arms $dtype, $T, $body, $other; Complex64 $crate::c64, Complex128 $crate::c128)
    };
    (real: $dtype:expr, $T:ident => $body:expr, _ => $other:expr) => {
        $crate::dispatch_subset!(@arms $dtype, $T, $body, $other;
            Int8 i8, Int16 i16, Int32 i32, Int64 i64, UInt8 u8, UInt16 u16, UInt32 u32, UInt64 u64,
            Float16 $crate::f16, BFloat16 $crate::bf16, Float32 f32, Float64 f64)
    };
    (linalg: $dtype:expr, $T:ident => $body:expr, _ => $other:expr) => {
        $crate::dispatch_subset!(@arms $dtype, $T, $body, $other;
            Float32 f32, Float64 f64, Complex64 $crate::c64, Complex128 $crate::c128)
    };
    (numeric: $dtype:expr, $T:ident => $body:expr, _ => $other:expr) => {
        $crate::dispatch_subset!(@arms $dtype, $T, $body, $other;
            Int8 i8, Int16 i16, Int32 i32, Int64 i64, UInt8 u8, UInt16 u16, UInt32 u32, UInt64 u64,
            Float16 $crate::f16, BFloat16 $crate::bf16, Float32 f32, Float64 f64,
            Complex64 $crate::c64, Complex128 $crate::c128)
    };
    (@arms $dtype:expr, $T:ident, $body:expr, $other:expr; $($variant:ident $ty:ty),*) => {
        match $dtype {
            $($crate::DType::$variant => {
                type $T = $ty;
                $body
            })*
            #[allow(unreachable_patterns)]
            _ => $other,
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Element;

    #[test]
    fn names_round_trip() {
        for d in DType::ALL {
            assert_eq!(d.name().parse::<DType>().unwrap(), d);
            assert_eq!(dispatch!(d, T => T::DTYPE), d);
            assert_eq!(dispatch!(d, T => std::mem::size_of::<T>()), d.itemsize());
            assert_eq!(dispatch!(d, T => std::mem::align_of::<T>()), d.alignment());
        }
        assert_eq!("<f4".parse::<DType>().unwrap(), DType::Float32);
        assert_eq!("i8".parse::<DType>().unwrap(), DType::Int64);
        let err = "float128".parse::<DType>().unwrap_err();
        assert!(err.to_string().contains("float128"), "{err}");
    }
}
