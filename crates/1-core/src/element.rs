//! The Rust element types behind each [`DType`] and the lossless
//! intermediate value ([`Wide`]) that casts go through.

use std::fmt::Debug;

use half::{bf16, f16};
use num_complex::Complex;

use crate::dtype::DType;

/// `complex64`: two `f32`.
#[allow(non_camel_case_types)]
pub type c64 = Complex<f32>;
/// `complex128`: two `f64`.
#[allow(non_camel_case_types)]
pub type c128 = Complex<f64>;

/// A value of any dtype, widened without loss: every `int*`/`uint*` fits an
/// `i128`, every real float an `f64`, every complex a pair of `f64`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Wide {
    /// A `bool`.
    Bool(bool),
    /// Any integer.
    Int(i128),
    /// Any real float.
    Float(f64),
    /// Any complex number: `(re, im)`.
    Complex(f64, f64),
}

/// Why a value cannot be represented in the target type of a checked cast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lossy {
    /// NaN cast to an integer (or bool-less) type that has no NaN.
    NaN,
    /// ±infinity cast to an integer type.
    Infinite,
    /// The value lies outside the target's range (including a finite float
    /// that would overflow to infinity).
    OutOfRange,
    /// A complex value with a non-zero imaginary part cast to a real type.
    ImaginaryPart,
}

impl Lossy {
    /// A short description for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            Lossy::NaN => "NaN has no integer representation",
            Lossy::Infinite => "infinity has no integer representation",
            Lossy::OutOfRange => "value out of the target type's range",
            Lossy::ImaginaryPart => "a non-zero imaginary part would be discarded",
        }
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A Rust type that can be the element type of an [`Array`](crate::Array).
///
/// Implemented for `bool`, `i8`–`i64`, `u8`–`u64`, [`f16`], [`bf16`], `f32`,
/// `f64`, [`c64`] and [`c128`]; sealed, so the set matches [`DType`]. Every
/// implementor except `bool` is plain old data: any bit pattern is a valid
/// value. `bool` buffers are validated (bytes 0 or 1) when they come from
/// foreign memory.
pub trait Element: Copy + Debug + PartialEq + Send + Sync + 'static + sealed::Sealed {
    /// The runtime dtype of this type.
    const DTYPE: DType;
    /// Widens without loss.
    fn to_wide(self) -> Wide;
    /// Narrows `w` to `Self` if it is representable: floats to integers
    /// truncate toward zero; NaN, infinities, out-of-range values and
    /// discarded imaginary parts are errors. Rounding to a float's precision
    /// is not an error.
    fn from_wide_checked(w: Wide) -> Result<Self, Lossy>;
    /// Narrows `w` to `Self` the way NumPy's `casting="unsafe"` does:
    /// integers wrap modulo 2^bits, floats saturate toward the integer range
    /// (NaN becomes 0), imaginary parts are dropped. Never fails.
    fn from_wide_wrapping(w: Wide) -> Self;
    /// The value 0 (`false`).
    fn zero() -> Self {
        Self::from_wide_wrapping(Wide::Int(0))
    }
    /// The value 1 (`true`).
    fn one() -> Self {
        Self::from_wide_wrapping(Wide::Int(1))
    }
}

/// Truncates a float toward zero and converts it to an integer if exact.
fn float_to_i128(f: f64) -> Result<i128, Lossy> {
    if f.is_nan() {
        return Err(Lossy::NaN);
    }
    if f.is_infinite() {
        return Err(Lossy::Infinite);
    }
    let t = f.trunc();
    let i = t as i128; // saturating: detected below
    if i as f64 != t || t.abs() >= 1.7e38 {
        return Err(Lossy::OutOfRange);
    }
    Ok(i)
}

macro_rules! impl_int {
    ($($t:ty => $d:ident),* $(,)?) => {$(
        impl sealed::Sealed for $t {}
        impl Element for $t {
            const DTYPE: DType = DType::$d;
            #[inline]
            fn to_wide(self) -> Wide {
                Wide::Int(self as i128)
            }
            #[inline]
            fn from_wide_checked(w: Wide) -> Result<Self, Lossy> {
                let i = match w {
                    Wide::Bool(b) => b as i128,
                    Wide::Int(i) => i,
                    Wide::Float(f) => float_to_i128(f)?,
                    Wide::Complex(re, im) => {
                        if im != 0.0 {
                            return Err(Lossy::ImaginaryPart);
                        }
                        float_to_i128(re)?
                    }
                };
                <$t>::try_from(i).map_err(|_| Lossy::OutOfRange)
            }
            #[inline]
            fn from_wide_wrapping(w: Wide) -> Self {
                match w {
                    Wide::Bool(b) => b as $t,
                    Wide::Int(i) => i as $t,
                    Wide::Float(f) | Wide::Complex(f, _) => (f as i128) as $t,
                }
            }
        }
    )*};
}
impl_int!(i8 => Int8, i16 => Int16, i32 => Int32, i64 => Int64, u8 => UInt8, u16 => UInt16, u32 => UInt32, u64 => UInt64);

impl sealed::Sealed for bool {}
impl Element for bool {
    const DTYPE: DType = DType::Bool;
    #[inline]
    fn to_wide(self) -> Wide {
        Wide::Bool(self)
    }
    #[inline]
    fn from_wide_checked(w: Wide) -> Result<Self, Lossy> {
        Ok(Self::from_wide_wrapping(w))
    }
    #[inline]
    fn from_wide_wrapping(w: Wide) -> Self {
        match w {
            Wide::Bool(b) => b,
            Wide::Int(i) => i != 0,
            // NaN is truthy, as in NumPy and Python.
            Wide::Float(f) => f != 0.0,
            Wide::Complex(re, im) => re != 0.0 || im != 0.0,
        }
    }
}

/// Converts an `f64` or `i128` to a real float type; `from_f64` rounds once.
macro_rules! impl_float {
    ($($t:ty => $d:ident, $to:expr, $from_f64:expr, $from_i128:expr);* $(;)?) => {$(
        impl sealed::Sealed for $t {}
        impl Element for $t {
            const DTYPE: DType = DType::$d;
            #[inline]
            fn to_wide(self) -> Wide {
                Wide::Float($to(self))
            }
            #[inline]
            fn from_wide_checked(w: Wide) -> Result<Self, Lossy> {
                let (v, finite_in) = match w {
                    Wide::Bool(b) => return Ok(Self::from_wide_wrapping(Wide::Bool(b))),
                    Wide::Int(i) => ($from_i128(i), true),
                    Wide::Float(f) => ($from_f64(f), f.is_finite()),
                    Wide::Complex(re, im) => {
                        if im != 0.0 {
                            return Err(Lossy::ImaginaryPart);
                        }
                        ($from_f64(re), re.is_finite())
                    }
                };
                if finite_in && $to(v).is_infinite() {
                    return Err(Lossy::OutOfRange);
                }
                Ok(v)
            }
            #[inline]
            fn from_wide_wrapping(w: Wide) -> Self {
                match w {
                    Wide::Bool(b) => $from_f64(b as u8 as f64),
                    Wide::Int(i) => $from_i128(i),
                    Wide::Float(f) | Wide::Complex(f, _) => $from_f64(f),
                }
            }
        }
    )*};
}
impl_float!(
    f16 => Float16, |x: f16| x.to_f64(), f16::from_f64, |i: i128| f16::from_f32(i as f32);
    bf16 => BFloat16, |x: bf16| x.to_f64(), bf16::from_f64, |i: i128| bf16::from_f32(i as f32);
    f32 => Float32, |x: f32| x as f64, |x: f64| x as f32, |i: i128| i as f32;
    f64 => Float64, |x: f64| x, |x: f64| x, |i: i128| i as f64;
);

macro_rules! impl_complex {
    ($($t:ty => $d:ident, $r:ty);* $(;)?) => {$(
        impl sealed::Sealed for $t {}
        impl Element for $t {
            const DTYPE: DType = DType::$d;
            #[inline]
            fn to_wide(self) -> Wide {
                Wide::Complex(self.re as f64, self.im as f64)
            }
            #[inline]
            fn from_wide_checked(w: Wide) -> Result<Self, Lossy> {
                let (re, im) = match w {
                    Wide::Complex(re, im) => (re, im),
                    other => (<$r>::from_wide_checked(other)? as f64, 0.0),
                };
                let (r, i) = (re as $r, im as $r);
                if (re.is_finite() && r.is_infinite()) || (im.is_finite() && i.is_infinite()) {
                    return Err(Lossy::OutOfRange);
                }
                Ok(Complex::new(r, i))
            }
            #[inline]
            fn from_wide_wrapping(w: Wide) -> Self {
                match w {
                    Wide::Complex(re, im) => Complex::new(re as $r, im as $r),
                    other => Complex::new(<$r>::from_wide_wrapping(other), 0.0),
                }
            }
        }
    )*};
}
impl_complex!(c64 => Complex64, f32; c128 => Complex128, f64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_narrowing() {
        assert_eq!(i8::from_wide_checked(Wide::Float(-3.9)), Ok(-3));
        assert_eq!(i8::from_wide_checked(Wide::Float(127.9)), Ok(127));
        assert_eq!(i8::from_wide_checked(Wide::Float(128.0)), Err(Lossy::OutOfRange));
        assert_eq!(u8::from_wide_checked(Wide::Float(-0.5)), Ok(0));
        assert_eq!(u8::from_wide_checked(Wide::Int(-1)), Err(Lossy::OutOfRange));
        assert_eq!(i64::from_wide_checked(Wide::Float(f64::NAN)), Err(Lossy::NaN));
        assert_eq!(i64::from_wide_checked(Wide::Float(9.3e18)), Err(Lossy::OutOfRange));
        assert_eq!(i64::from_wide_checked(Wide::Float(-9.223_372_036_854_776e18)), Ok(i64::MIN));
        assert_eq!(u64::from_wide_checked(Wide::Float(1e300)), Err(Lossy::OutOfRange));
        assert_eq!(i32::from_wide_checked(Wide::Float(f64::NEG_INFINITY)), Err(Lossy::Infinite));
        assert_eq!(f32::from_wide_checked(Wide::Float(1e300)), Err(Lossy::OutOfRange));
        assert!(f32::from_wide_checked(Wide::Float(f64::INFINITY)).unwrap().is_infinite());
        assert!(f16::from_wide_checked(Wide::Float(f64::NAN)).unwrap().is_nan());
        assert_eq!(f16::from_wide_checked(Wide::Int(70000)), Err(Lossy::OutOfRange));
        assert_eq!(f64::from_wide_checked(Wide::Complex(1.0, 2.0)), Err(Lossy::ImaginaryPart));
        assert_eq!(f64::from_wide_checked(Wide::Complex(1.0, 0.0)), Ok(1.0));
        assert_eq!(c64::from_wide_checked(Wide::Int(3)), Ok(Complex::new(3.0, 0.0)));
        assert!(bool::from_wide_checked(Wide::Float(f64::NAN)).unwrap());
    }

    #[test]
    fn wrapping_narrowing() {
        assert_eq!(u8::from_wide_wrapping(Wide::Int(300)), 44);
        assert_eq!(i8::from_wide_wrapping(Wide::Float(300.0)), 44);
        assert_eq!(u8::from_wide_wrapping(Wide::Int(-1)), 255);
        assert_eq!(i32::from_wide_wrapping(Wide::Float(f64::NAN)), 0);
        assert_eq!(f32::from_wide_wrapping(Wide::Complex(1.5, 9.0)), 1.5);
    }

    #[test]
    fn widening_is_lossless() {
        assert_eq!(u64::MAX.to_wide(), Wide::Int(u64::MAX as i128));
        assert_eq!(f16::from_f32(0.1).to_wide(), Wide::Float(f16::from_f32(0.1).to_f64()));
        assert_eq!(Complex::new(1.0f32, -2.0).to_wide(), Wide::Complex(1.0, -2.0));
    }
}
