//! Scalar arithmetic with NumPy's semantics, per element type. These traits
//! are what the elementwise kernels are generic over; the op tables in
//! `elementwise.rs` pick the trait method for each dtype.
//!
//! - integers wrap on overflow; division and remainder by zero give 0
//!   (NumPy also gives 0, with a warning); `floor_divide(MIN, -1)` wraps;
//! - float `floor_divide` and `remainder` follow Python (the result of
//!   `remainder` has the divisor's sign);
//! - `maximum`/`minimum` propagate NaN;
//! - float16 and bfloat16 compute in float32 and round once.

use half::{bf16, f16};
use num_complex::Complex;

use crate::element::{Element, c64, c128};

/// Arithmetic shared by every number type (all dtypes but `bool`).
pub trait Numeric: Element {
    /// `a + b` (integers wrap).
    fn add(self, o: Self) -> Self;
    /// `a - b` (integers wrap).
    fn sub(self, o: Self) -> Self;
    /// `a * b` (integers wrap).
    fn mul(self, o: Self) -> Self;
    /// `-a` (integers wrap; unsigned wrap modulo 2^bits as in NumPy).
    fn neg(self) -> Self;
    /// `a ** b`; for integers the caller rejects negative exponents.
    fn pow(self, o: Self) -> Self;
    /// -1, 0 or 1 (NaN for NaN; for complex, `z/|z|`).
    fn sign(self) -> Self;
    /// Whether the value is NaN (never for integers).
    fn is_nan(self) -> bool;
    /// Whether the value is ±inf (never for integers).
    fn is_inf(self) -> bool;
}

/// Real numbers: integers and real floats, which are ordered.
pub trait Real: Numeric + PartialOrd {
    /// Python's `a // b`.
    fn floor_div(self, o: Self) -> Self;
    /// Python's `a % b` (sign of the divisor).
    fn rem(self, o: Self) -> Self;
    /// `|a|` (integers wrap: `abs(MIN) == MIN` as in NumPy).
    fn abs(self) -> Self;
    /// The larger value, NaN if either is NaN; `+0.0` is larger than `-0.0`
    /// (NumPy's `maximum`).
    fn maximum(self, o: Self) -> Self;
    /// The smaller value, NaN if either is NaN; `-0.0` is smaller than
    /// `+0.0` (NumPy's `minimum`).
    fn minimum(self, o: Self) -> Self;
}

/// Integer-only operations.
pub trait Integer: Real {
    /// Bits in the type.
    const BITS: u32;
    /// `a & b`.
    fn bitand(self, o: Self) -> Self;
    /// `a | b`.
    fn bitor(self, o: Self) -> Self;
    /// `a ^ b`.
    fn bitxor(self, o: Self) -> Self;
    /// `!a`.
    fn invert(self) -> Self;
    /// `a << b`; shifts of `BITS` or more (or negative) give 0.
    fn shl(self, o: Self) -> Self;
    /// `a >> b` (arithmetic for signed); shifts of `BITS` or more (or
    /// negative) give 0, or -1 for negative `a`.
    fn shr(self, o: Self) -> Self;
    /// Whether the value is below zero.
    fn is_negative(self) -> bool;
}

macro_rules! impl_int_arith {
    ($($t:ty),*) => {$(
        impl Numeric for $t {
            #[inline(always)] fn add(self, o: Self) -> Self { self.wrapping_add(o) }
            #[inline(always)] fn sub(self, o: Self) -> Self { self.wrapping_sub(o) }
            #[inline(always)] fn mul(self, o: Self) -> Self { self.wrapping_mul(o) }
            #[inline(always)] fn neg(self) -> Self { (0 as $t).wrapping_sub(self) }
            #[inline]
            fn pow(self, o: Self) -> Self {
                // Square-and-multiply over the whole exponent, wrapping, as
                // NumPy's loop does (the caller rejects negative exponents).
                let mut e = o as u64;
                let (mut base, mut acc): (Self, Self) = (self, 1);
                while e > 0 {
                    if e & 1 == 1 {
                        acc = acc.wrapping_mul(base);
                    }
                    base = base.wrapping_mul(base);
                    e >>= 1;
                }
                acc
            }
            #[inline(always)]
            #[allow(unused_comparisons)]
            fn sign(self) -> Self { if self > 0 { 1 } else if self < 0 { (0 as $t).wrapping_sub(1) } else { 0 } }
            #[inline(always)] fn is_nan(self) -> bool { false }
            #[inline(always)] fn is_inf(self) -> bool { false }
        }
        impl Real for $t {
            #[inline]
            fn floor_div(self, o: Self) -> Self {
                if o == 0 { return 0; }
                let q = self.wrapping_div(o);
                #[allow(unused_comparisons)]
                let adjust = self.wrapping_rem(o) != 0 && ((self < 0) != (o < 0));
                if adjust { q.wrapping_sub(1) } else { q }
            }
            #[inline]
            fn rem(self, o: Self) -> Self {
                if o == 0 { return 0; }
                let r = self.wrapping_rem(o);
                #[allow(unused_comparisons)]
                let adjust = r != 0 && ((r < 0) != (o < 0));
                if adjust { r.wrapping_add(o) } else { r }
            }
            #[inline(always)]
            #[allow(unused_comparisons)]
            fn abs(self) -> Self { if self < 0 { (0 as $t).wrapping_sub(self) } else { self } }
            #[inline(always)] fn maximum(self, o: Self) -> Self { if self >= o { self } else { o } }
            #[inline(always)] fn minimum(self, o: Self) -> Self { if self <= o { self } else { o } }
        }
        impl Integer for $t {
            const BITS: u32 = <$t>::BITS;
            #[inline(always)] fn bitand(self, o: Self) -> Self { self & o }
            #[inline(always)] fn bitor(self, o: Self) -> Self { self | o }
            #[inline(always)] fn bitxor(self, o: Self) -> Self { self ^ o }
            #[inline(always)] fn invert(self) -> Self { !self }
            #[inline]
            fn shl(self, o: Self) -> Self {
                match u32::try_from(o) { Ok(s) if s < Self::BITS => self << s, _ => 0 }
            }
            #[inline]
            #[allow(unused_comparisons)]
            fn shr(self, o: Self) -> Self {
                match u32::try_from(o) {
                    Ok(s) if s < Self::BITS => self >> s,
                    _ => if self < 0 { (0 as $t).wrapping_sub(1) } else { 0 },
                }
            }
            #[inline(always)]
            #[allow(unused_comparisons)]
            fn is_negative(self) -> bool { self < 0 }
        }
    )*};
}
impl_int_arith!(i8, i16, i32, i64, u8, u16, u32, u64);

/// Real floating-point types: the math library.
pub trait Float: Real {
    /// Converts to f64 (exact).
    fn to_f64(self) -> f64;
    /// Rounds an f64 to this type.
    fn from_f64(v: f64) -> Self;
    /// Applies a function computed in this type's compute precision
    /// (f32 for float16, bfloat16 and float32; f64 for float64).
    fn map(self, f32_fn: fn(f32) -> f32, f64_fn: fn(f64) -> f64) -> Self;
    /// Applies a binary function in compute precision.
    fn map2(self, o: Self, f32_fn: fn(f32, f32) -> f32, f64_fn: fn(f64, f64) -> f64) -> Self;
    /// Whether the sign bit is set (true for -0.0 and negative NaN).
    fn signbit(self) -> bool;
    /// The next representable value after `self` toward `o`, NaN if either
    /// is NaN. If the two are equal the result is `o` for float32 and
    /// float64 (C's `nextafter`) and `self` for the 16-bit floats (NumPy's
    /// float16 `nextafter`), which differ only for `±0.0`.
    fn next_after(self, o: Self) -> Self;
}

macro_rules! impl_float_arith {
    ($($t:ty),*) => {$(
        impl Numeric for $t {
            #[inline(always)] fn add(self, o: Self) -> Self { self.map2(o, |a, b| a + b, |a, b| a + b) }
            #[inline(always)] fn sub(self, o: Self) -> Self { self.map2(o, |a, b| a - b, |a, b| a - b) }
            #[inline(always)] fn mul(self, o: Self) -> Self { self.map2(o, |a, b| a * b, |a, b| a * b) }
            #[inline(always)] fn neg(self) -> Self { self.map(|a| -a, |a| -a) }
            #[inline(always)] fn pow(self, o: Self) -> Self { self.map2(o, f32::powf, f64::powf) }
            #[inline]
            fn sign(self) -> Self {
                // NumPy: sign(±0.0) is +0.0, sign(NaN) is NaN.
                self.map(
                    |a| if a > 0.0 { 1.0 } else if a < 0.0 { -1.0 } else if a == 0.0 { 0.0 } else { a },
                    |a| if a > 0.0 { 1.0 } else if a < 0.0 { -1.0 } else if a == 0.0 { 0.0 } else { a },
                )
            }
            #[inline(always)] fn is_nan(self) -> bool { self.to_f64().is_nan() }
            #[inline(always)] fn is_inf(self) -> bool { self.to_f64().is_infinite() }
        }
        impl Real for $t {
            #[inline]
            fn floor_div(self, o: Self) -> Self { self.map2(o, |a, b| py_divmod32(a, b).0, |a, b| py_divmod(a, b).0) }
            #[inline]
            fn rem(self, o: Self) -> Self { self.map2(o, |a, b| py_divmod32(a, b).1, |a, b| py_divmod(a, b).1) }
            #[inline(always)] fn abs(self) -> Self { self.map(f32::abs, f64::abs) }
            #[inline]
            fn maximum(self, o: Self) -> Self {
                if self.is_nan() || self > o {
                    self
                } else if o.is_nan() || o > self {
                    o
                } else if self.signbit() {
                    o
                } else {
                    self
                }
            }
            #[inline]
            fn minimum(self, o: Self) -> Self {
                if self.is_nan() || self < o {
                    self
                } else if o.is_nan() || o < self {
                    o
                } else if self.signbit() {
                    self
                } else {
                    o
                }
            }
        }
    )*};
}

macro_rules! py_divmod {
    ($name:ident, $t:ty) => {
        /// Python's `divmod` for floats (CPython's `float_divmod`), which
        /// NumPy's `floor_divide` and `remainder` follow, computed in the
        /// type's own precision as NumPy does.
        fn $name(a: $t, b: $t) -> ($t, $t) {
            if b == 0.0 {
                // NumPy: x // 0 is ±inf (nan for 0 and nan), x % 0 is nan.
                return (a / b, <$t>::NAN);
            }
            let m = a % b;
            let mut div = (a - m) / b;
            let mut m = m;
            if m != 0.0 {
                if (b < 0.0) != (m < 0.0) {
                    m += b;
                    div -= 1.0;
                }
            } else {
                m = (0.0 as $t).copysign(b);
            }
            let floordiv = if div != 0.0 {
                let f = div.floor();
                if div - f > 0.5 { f + 1.0 } else { f }
            } else {
                (0.0 as $t).copysign(a / b)
            };
            (floordiv, m)
        }
    };
}
py_divmod!(py_divmod, f64);
py_divmod!(py_divmod32, f32);

/// C's `nextafter` on the bit pattern of a float type.
macro_rules! next_after {
    ($x:expr, $y:expr, $t:ty, $equal:expr) => {{
        let (x, y): ($t, $t) = ($x, $y);
        if x.is_nan() || y.is_nan() {
            <$t>::NAN
        } else if x == y {
            $equal
        } else if x == <$t>::from_bits(0) {
            // The smallest subnormal, with the sign of the direction.
            let tiny = <$t>::from_bits(1);
            if y > x { tiny } else { -tiny }
        } else {
            let bits = x.to_bits();
            let away = (y > x) == (x > <$t>::from_bits(0));
            <$t>::from_bits(if away { bits + 1 } else { bits - 1 })
        }
    }};
}

impl Float for f32 {
    #[inline]
    fn next_after(self, o: Self) -> Self {
        next_after!(self, o, f32, o)
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    #[inline(always)]
    fn map(self, f: fn(f32) -> f32, _: fn(f64) -> f64) -> Self {
        f(self)
    }
    #[inline(always)]
    fn map2(self, o: Self, f: fn(f32, f32) -> f32, _: fn(f64, f64) -> f64) -> Self {
        f(self, o)
    }
    #[inline(always)]
    fn signbit(self) -> bool {
        self.is_sign_negative()
    }
}

impl Float for f64 {
    #[inline]
    fn next_after(self, o: Self) -> Self {
        next_after!(self, o, f64, o)
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn map(self, _: fn(f32) -> f32, f: fn(f64) -> f64) -> Self {
        f(self)
    }
    #[inline(always)]
    fn map2(self, o: Self, _: fn(f32, f32) -> f32, f: fn(f64, f64) -> f64) -> Self {
        f(self, o)
    }
    #[inline(always)]
    fn signbit(self) -> bool {
        self.is_sign_negative()
    }
}

macro_rules! impl_half_float {
    ($($t:ty),*) => {$(
        impl Float for $t {
            #[inline(always)] fn to_f64(self) -> f64 { <$t>::to_f64(self) }
            #[inline(always)] fn from_f64(v: f64) -> Self { <$t>::from_f64(v) }
            #[inline(always)] fn map(self, f: fn(f32) -> f32, _: fn(f64) -> f64) -> Self { <$t>::from_f32(f(self.to_f32())) }
            #[inline(always)]
            fn map2(self, o: Self, f: fn(f32, f32) -> f32, _: fn(f64, f64) -> f64) -> Self {
                <$t>::from_f32(f(self.to_f32(), o.to_f32()))
            }
            #[inline(always)] fn signbit(self) -> bool { self.is_sign_negative() }
            #[inline] fn next_after(self, o: Self) -> Self { next_after!(self, o, $t, self) }
        }
    )*};
}
impl_half_float!(f16, bf16);
impl_float_arith!(f16, bf16, f32, f64);

/// Complex arithmetic on `Complex<R>`.
pub trait ComplexFloat: Numeric {
    /// The real part type.
    type Real: Float;
    /// Real part.
    fn re(self) -> Self::Real;
    /// Imaginary part.
    fn im(self) -> Self::Real;
    /// `|z|`.
    fn modulus(self) -> Self::Real;
    /// Complex conjugate.
    fn conj(self) -> Self;
    /// `a / b` as NumPy divides complex numbers (Smith's algorithm, which
    /// avoids overflow for large parts), in the type's own precision.
    fn quot(self, o: Self) -> Self;
    /// Applies a function computed in `Complex<f64>`.
    fn map_c(self, f: fn(c128) -> c128) -> Self;
    /// Applies a real function to each part, in the parts' own precision.
    fn map_parts(self, f32_fn: fn(f32) -> f32, f64_fn: fn(f64) -> f64) -> Self;
}

macro_rules! impl_complex_arith {
    ($($t:ty: $r:ty),*) => {$(
        impl Numeric for $t {
            #[inline(always)] fn add(self, o: Self) -> Self { self + o }
            #[inline(always)] fn sub(self, o: Self) -> Self { self - o }
            #[inline(always)]
            fn mul(self, o: Self) -> Self {
                // Each part rounded once (fused multiply-add), as NumPy's
                // SIMD loop computes it on x86-64.
                Complex::new(self.re.mul_add(o.re, -(self.im * o.im)), self.re.mul_add(o.im, self.im * o.re))
            }
            #[inline(always)] fn neg(self) -> Self { -self }
            #[inline]
            fn pow(self, o: Self) -> Self {
                // NumPy's `npy_cpow`: special cases for a zero exponent or
                // base, repeated multiplication for small integer exponents,
                // `exp(b·ln a)` otherwise (computed in complex128).
                let one = Complex::new(1.0, 0.0);
                if o.re == 0.0 && o.im == 0.0 {
                    return one;
                }
                if self.re == 0.0 && self.im == 0.0 {
                    return if o.re > 0.0 { Complex::new(0.0, 0.0) } else { Complex::new(<$r>::NAN, <$r>::NAN) };
                }
                let cmul = |a: Self, b: Self| Complex::new(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
                if o.im == 0.0 && o.re > -100.0 && o.re < 100.0 && o.re == o.re.trunc() {
                    let n = o.re as i32;
                    match n {
                        1 => return self,
                        2 => return cmul(self, self),
                        3 => return cmul(self, cmul(self, self)),
                        _ => {
                            let m = n.unsigned_abs();
                            let (mut acc, mut p, mut mask) = (one, self, 1u32);
                            loop {
                                if m & mask != 0 {
                                    acc = cmul(acc, p);
                                }
                                mask <<= 1;
                                if m < mask {
                                    break;
                                }
                                p = cmul(p, p);
                            }
                            return if n < 0 { one.quot(acc) } else { acc };
                        }
                    }
                }
                let (a, b) = (Complex::new(self.re as f64, self.im as f64), Complex::new(o.re as f64, o.im as f64));
                let r = crate::cmath::pow(a, b);
                Complex::new(r.re as $r, r.im as $r)
            }
            #[inline]
            fn sign(self) -> Self {
                // NumPy: z/|z|, with an infinite part counting as ±1 and the
                // other as 0 when exactly one part is infinite.
                if self.re.is_infinite() && self.im.is_infinite() {
                    return Complex::new(<$r>::NAN, <$r>::NAN);
                }
                if self.re.is_infinite() || self.im.is_infinite() {
                    let unit = |v: $r| if v.is_infinite() { v.signum() } else { 0.0 };
                    let (r, i) = (unit(self.re), unit(self.im));
                    let m = r.hypot(i);
                    return Complex::new(r / m, i / m);
                }
                let m = self.norm();
                if m == 0.0 { Complex::new(0.0, 0.0) } else if m.is_nan() { Complex::new(<$r>::NAN, <$r>::NAN) } else { self / m }
            }
            #[inline(always)] fn is_nan(self) -> bool { self.re.is_nan() || self.im.is_nan() }
            #[inline(always)] fn is_inf(self) -> bool { self.re.is_infinite() || self.im.is_infinite() }
        }
        impl ComplexFloat for $t {
            type Real = $r;
            #[inline(always)] fn re(self) -> $r { self.re }
            #[inline(always)] fn im(self) -> $r { self.im }
            #[inline(always)] fn modulus(self) -> $r { self.norm() }
            #[inline(always)] fn conj(self) -> Self { Complex::new(self.re, -self.im) }
            #[inline]
            fn quot(self, o: Self) -> Self {
                let (a, b, c, d) = (self.re, self.im, o.re, o.im);
                if c.abs() >= d.abs() {
                    if c == 0.0 && d == 0.0 {
                        return Complex::new(a / c.abs(), b / d.abs());
                    }
                    let rat = d / c;
                    let scl = 1.0 / (c + d * rat);
                    Complex::new((a + b * rat) * scl, (b - a * rat) * scl)
                } else {
                    let rat = c / d;
                    let scl = 1.0 / (d + c * rat);
                    Complex::new((a * rat + b) * scl, (b * rat - a) * scl)
                }
            }
            #[inline(always)]
            fn map_c(self, f: fn(c128) -> c128) -> Self {
                let r = f(Complex::new(self.re as f64, self.im as f64));
                Complex::new(r.re as $r, r.im as $r)
            }
            #[inline(always)]
            fn map_parts(self, f32_fn: fn(f32) -> f32, f64_fn: fn(f64) -> f64) -> Self {
                Complex::new(self.re.map(f32_fn, f64_fn), self.im.map(f32_fn, f64_fn))
            }
        }
    )*};
}
impl_complex_arith!(c64: f32, c128: f64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_semantics_match_numpy() {
        assert_eq!(Real::floor_div(-7i32, 2), -4);
        assert_eq!(Real::rem(-7i32, 2), 1);
        assert_eq!(Real::rem(7i32, -2), -1);
        assert_eq!(Real::floor_div(7i8, 0), 0);
        assert_eq!(Real::rem(7u8, 0), 0);
        assert_eq!(Real::floor_div(i8::MIN, -1), i8::MIN);
        assert_eq!(Real::rem(i8::MIN, -1), 0);
        assert_eq!(Numeric::add(250u8, 10), 4);
        assert_eq!(Numeric::neg(1u8), 255);
        assert_eq!(Real::abs(i8::MIN), i8::MIN);
        assert_eq!(Numeric::pow(3i64, 4), 81);
        assert_eq!(Integer::shl(1u8, 8), 0);
        assert_eq!(Integer::shr(-8i8, 100), -1);
        assert_eq!(Numeric::sign(-5i16), -1);
    }

    #[test]
    fn float_semantics_match_python() {
        assert_eq!(Real::floor_div(-7.0f64, 2.0), -4.0);
        assert_eq!(Real::rem(-7.0f64, 2.0), 1.0);
        assert_eq!(Real::rem(7.0f64, -2.0), -1.0);
        assert!(Real::rem(1.0f64, 0.0).is_nan());
        assert_eq!(Real::floor_div(1.0f64, 0.0), f64::INFINITY);
        assert!(Real::rem(-0.0f64, 2.0).is_sign_positive());
        assert!(Real::maximum(1.0f32, f32::NAN).is_nan());
        assert!(Real::minimum(f32::NAN, 1.0).is_nan());
        assert_eq!(Real::maximum(-0.0f64, 2.0), 2.0);
        assert_eq!(Numeric::add(f16::from_f32(1.0), f16::from_f32(2.0)), f16::from_f32(3.0));
        assert!(Numeric::sign(f64::NAN).is_nan());
        assert_eq!(Numeric::pow(Complex::new(0.0f64, 0.0), Complex::new(0.0, 0.0)), Complex::new(1.0, 0.0));
    }
}
