//! Elementwise functions of the Array API standard, with broadcasting and
//! type promotion.
//!
//! Each function is a row of a table: [`BinaryOp`] and [`UnaryOp`] name the
//! operation, `resolve` decides the dtype it computes in and the dtype it
//! returns (promotion, NumPy's int→float rules, bool outputs), and `run`
//! picks the scalar function from the traits in `scalar.rs`. The loops
//! themselves are the generic kernels of `oxarray_kernels::elementwise`.

use num_complex::Complex;
use oxarray_kernels::elementwise::{self as kernel, Operand};

use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::element::Element;
use crate::error::{Error, ErrorKind, Result};
use crate::manipulation::broadcast_shapes;
use crate::promotion::result_type;
use crate::scalar::{self, ComplexFloat, Float, Integer, Numeric};

/// Binary elementwise operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BinaryOp {
    /// `a + b`.
    Add,
    /// `a - b`.
    Subtract,
    /// `a * b`.
    Multiply,
    /// `a / b` (true division; integers divide in float64 as in NumPy).
    Divide,
    /// `a // b` (Python's floor division).
    FloorDivide,
    /// `a % b` (Python's modulo: the divisor's sign).
    Remainder,
    /// `a ** b`.
    Pow,
    /// Larger of the two, NaN-propagating.
    Maximum,
    /// Smaller of the two, NaN-propagating.
    Minimum,
    /// `atan2(a, b)`.
    Atan2,
    /// `sqrt(a² + b²)` without undue overflow.
    Hypot,
    /// `|a|` with the sign of `b`.
    Copysign,
    /// `log(exp(a) + exp(b))` computed stably.
    Logaddexp,
    /// `a == b`.
    Equal,
    /// `a != b`.
    NotEqual,
    /// `a < b`.
    Less,
    /// `a <= b`.
    LessEqual,
    /// `a > b`.
    Greater,
    /// `a >= b`.
    GreaterEqual,
    /// Truth of both.
    LogicalAnd,
    /// Truth of either.
    LogicalOr,
    /// Truth of exactly one.
    LogicalXor,
    /// `a & b`.
    BitwiseAnd,
    /// `a | b`.
    BitwiseOr,
    /// `a ^ b`.
    BitwiseXor,
    /// `a << b`.
    LeftShift,
    /// `a >> b`.
    RightShift,
}

impl BinaryOp {
    /// The Array API name of the operation.
    pub fn name(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Add => "add",
            Subtract => "subtract",
            Multiply => "multiply",
            Divide => "divide",
            FloorDivide => "floor_divide",
            Remainder => "remainder",
            Pow => "pow",
            Maximum => "maximum",
            Minimum => "minimum",
            Atan2 => "atan2",
            Hypot => "hypot",
            Copysign => "copysign",
            Logaddexp => "logaddexp",
            Equal => "equal",
            NotEqual => "not_equal",
            Less => "less",
            LessEqual => "less_equal",
            Greater => "greater",
            GreaterEqual => "greater_equal",
            LogicalAnd => "logical_and",
            LogicalOr => "logical_or",
            LogicalXor => "logical_xor",
            BitwiseAnd => "bitwise_and",
            BitwiseOr => "bitwise_or",
            BitwiseXor => "bitwise_xor",
            LeftShift => "left_shift",
            RightShift => "right_shift",
        }
    }

    /// `(compute dtype, result dtype)` for operands promoted to `common`.
    pub fn resolve(self, common: DType) -> Result<(DType, DType)> {
        use BinaryOp::*;
        let unsupported = || Err(ErrorKind::UnsupportedDType { op: self.name(), dtype: common }.into());
        let k = common.kind();
        match self {
            Add | Subtract | Multiply | Pow => {
                if k == Kind::Bool {
                    unsupported()
                } else {
                    Ok((common, common))
                }
            }
            Divide => match k {
                Kind::Float | Kind::Complex => Ok((common, common)),
                _ => Ok((DType::Float64, DType::Float64)),
            },
            FloorDivide | Remainder | Maximum | Minimum => match k {
                Kind::UnsignedInt | Kind::SignedInt | Kind::Float => Ok((common, common)),
                _ => unsupported(),
            },
            Atan2 | Hypot | Copysign | Logaddexp => match k {
                Kind::Float => Ok((common, common)),
                Kind::Bool | Kind::UnsignedInt | Kind::SignedInt => {
                    let f = smallest_float(common)?;
                    Ok((f, f))
                }
                Kind::Complex => unsupported(),
            },
            Equal | NotEqual => Ok((common, DType::Bool)),
            Less | LessEqual | Greater | GreaterEqual => {
                if k == Kind::Complex {
                    unsupported()
                } else {
                    Ok((common, DType::Bool))
                }
            }
            LogicalAnd | LogicalOr | LogicalXor => Ok((DType::Bool, DType::Bool)),
            BitwiseAnd | BitwiseOr | BitwiseXor => match k {
                Kind::Bool | Kind::UnsignedInt | Kind::SignedInt => Ok((common, common)),
                _ => unsupported(),
            },
            LeftShift | RightShift => match k {
                Kind::UnsignedInt | Kind::SignedInt => Ok((common, common)),
                _ => unsupported(),
            },
        }
    }
}

/// The smallest float dtype that holds every value of an integer or bool
/// dtype (NumPy's rule for `sqrt(int8) -> float16`).
fn smallest_float(d: DType) -> Result<DType> {
    result_type(d, DType::Float16)
}

fn operand<'a, T: Element>(a: &'a Array) -> Result<Operand<'a, T>> {
    Ok(Operand { data: a.typed::<T>("elementwise")?, strides: &a.strides, offset: a.offset })
}

/// Runs `f` over broadcast operands `a`, `b` (already of dtype `In`) into a
/// fresh array of `Out`.
fn zip<In: Element, Out: Element>(
    a: &Array,
    b: &Array,
    shape: &[usize],
    f: impl Fn(In, In) -> Out + Sync,
) -> Result<Array> {
    let mut out = Array::zeros(shape, Out::DTYPE)?;
    let dst = out.typed_mut_unique::<Out>()?;
    kernel::binary(dst, shape, operand::<In>(a)?, operand::<In>(b)?, f);
    Ok(out)
}

fn map<In: Element, Out: Element>(a: &Array, f: impl Fn(In) -> Out + Sync) -> Result<Array> {
    let shape = a.shape.clone();
    let mut out = Array::zeros(&shape, Out::DTYPE)?;
    let dst = out.typed_mut_unique::<Out>()?;
    kernel::unary(dst, &shape, operand::<In>(a)?, f);
    Ok(out)
}

/// Truthiness of any element, for the logical functions.
fn truthy(a: &Array) -> Result<Array> {
    if a.dtype == DType::Bool { Ok(a.clone()) } else { a.astype(DType::Bool) }
}

fn logaddexp(a: f64, b: f64) -> f64 {
    if a == b {
        // Also handles both infinite with the same sign.
        return a + std::f64::consts::LN_2;
    }
    let m = a.max(b);
    if m.is_nan() {
        return f64::NAN;
    }
    m + (-(a - b).abs()).exp().ln_1p()
}

fn logaddexp32(a: f32, b: f32) -> f32 {
    logaddexp(a as f64, b as f64) as f32
}

impl Array {
    fn cast_for(&self, dtype: DType) -> Result<Array> {
        if self.dtype == dtype { Ok(self.clone()) } else { self.astype(dtype) }
    }

    /// Applies a binary operation with broadcasting and type promotion.
    pub fn binary(&self, other: &Array, op: BinaryOp) -> Result<Array> {
        let common = result_type(self.dtype, other.dtype)?;
        let (compute, _) = op.resolve(common)?;
        let shape = broadcast_shapes(&[&self.shape, &other.shape])?;
        let a = self.cast_for(compute)?.broadcast_to(&shape)?;
        let b = other.cast_for(compute)?.broadcast_to(&shape)?;
        let (a, b) = if matches!(op, BinaryOp::LogicalAnd | BinaryOp::LogicalOr | BinaryOp::LogicalXor) {
            (truthy(&a)?, truthy(&b)?)
        } else {
            (a, b)
        };
        run_binary(op, compute, &a, &b, &shape)
    }
}

fn unsupported(op: &'static str, dtype: DType) -> Error {
    ErrorKind::UnsupportedDType { op, dtype }.into()
}

// Comparing bools with `<` is the point of the generic comparison rows.
#[allow(clippy::bool_comparison)]
fn run_binary(op: BinaryOp, dtype: DType, a: &Array, b: &Array, shape: &[usize]) -> Result<Array> {
    use BinaryOp::*;
    let name = op.name();
    let bad = || Err(unsupported(name, dtype));
    macro_rules! numeric {
        ($f:expr) => {
            crate::dispatch_subset!(numeric: dtype, T => zip::<T, T>(a, b, shape, $f), _ => bad())
        };
    }
    macro_rules! real {
        ($f:expr) => {
            crate::dispatch_subset!(real: dtype, T => zip::<T, T>(a, b, shape, $f), _ => bad())
        };
    }
    macro_rules! float {
        ($f32:expr, $f64:expr) => {
            crate::dispatch_subset!(float: dtype, T => zip::<T, T>(a, b, shape, |x: T, y: T| Float::map2(x, y, $f32, $f64)), _ => bad())
        };
    }
    macro_rules! compare {
        ($cmp:expr) => {
            crate::dispatch!(dtype, T => zip::<T, bool>(a, b, shape, |x: T, y: T| $cmp(x, y)))
        };
    }
    macro_rules! ordered {
        ($cmp:expr) => {
            crate::dispatch_subset!(real: dtype, T => zip::<T, bool>(a, b, shape, |x: T, y: T| $cmp(x, y)),
                _ => if dtype == DType::Bool { zip::<bool, bool>(a, b, shape, |x: bool, y: bool| $cmp(x, y)) } else { bad() })
        };
    }
    macro_rules! bits {
        ($f:expr, $fb:expr) => {
            crate::dispatch_subset!(int: dtype, T => zip::<T, T>(a, b, shape, $f),
                _ => if dtype == DType::Bool { zip::<bool, bool>(a, b, shape, $fb) } else { bad() })
        };
    }
    match op {
        Add => numeric!(|x: T, y: T| Numeric::add(x, y)),
        Subtract => numeric!(|x: T, y: T| Numeric::sub(x, y)),
        Multiply => numeric!(|x: T, y: T| Numeric::mul(x, y)),
        Divide => match dtype {
            DType::Complex64 => zip::<crate::c64, crate::c64>(a, b, shape, complex_div),
            DType::Complex128 => zip::<crate::c128, crate::c128>(a, b, shape, complex_div),
            _ => float!(|x, y| x / y, |x, y| x / y),
        },
        FloorDivide => real!(|x: T, y: T| scalar::Real::floor_div(x, y)),
        Remainder => real!(|x: T, y: T| scalar::Real::rem(x, y)),
        Pow => {
            if dtype.is_integer() {
                check_no_negative_exponent(b, dtype)?;
            }
            numeric!(|x: T, y: T| Numeric::pow(x, y))
        }
        Maximum => real!(|x: T, y: T| scalar::Real::maximum(x, y)),
        Minimum => real!(|x: T, y: T| scalar::Real::minimum(x, y)),
        Atan2 => float!(f32::atan2, f64::atan2),
        Hypot => float!(f32::hypot, f64::hypot),
        Copysign => float!(f32::copysign, f64::copysign),
        Logaddexp => float!(logaddexp32, logaddexp),
        Equal => compare!(|x, y| x == y),
        NotEqual => compare!(|x, y| x != y),
        Less => ordered!(|x, y| x < y),
        LessEqual => ordered!(|x, y| x <= y),
        Greater => ordered!(|x, y| x > y),
        GreaterEqual => ordered!(|x, y| x >= y),
        LogicalAnd => zip::<bool, bool>(a, b, shape, |x, y| x & y),
        LogicalOr => zip::<bool, bool>(a, b, shape, |x, y| x | y),
        LogicalXor => zip::<bool, bool>(a, b, shape, |x, y| x ^ y),
        BitwiseAnd => bits!(|x: T, y: T| Integer::bitand(x, y), |x, y| x & y),
        BitwiseOr => bits!(|x: T, y: T| Integer::bitor(x, y), |x, y| x | y),
        BitwiseXor => bits!(|x: T, y: T| Integer::bitxor(x, y), |x, y| x ^ y),
        LeftShift => {
            crate::dispatch_subset!(int: dtype, T => zip::<T, T>(a, b, shape, |x: T, y: T| Integer::shl(x, y)), _ => bad())
        }
        RightShift => {
            crate::dispatch_subset!(int: dtype, T => zip::<T, T>(a, b, shape, |x: T, y: T| Integer::shr(x, y)), _ => bad())
        }
    }
}

/// Complex division as NumPy does it (Smith's algorithm, which avoids
/// overflow for large components).
fn complex_div<R: Float, T: ComplexFloat<Real = R> + From<Complex<R>>>(x: T, y: T) -> T {
    let (a, b, c, d) = (x.re().to_f64(), x.im().to_f64(), y.re().to_f64(), y.im().to_f64());
    let (re, im) = if c.abs() >= d.abs() {
        if c == 0.0 && d == 0.0 {
            (a / c.abs(), b / c.abs())
        } else {
            let rat = d / c;
            let scl = 1.0 / (c + d * rat);
            ((a + b * rat) * scl, (b - a * rat) * scl)
        }
    } else {
        let rat = c / d;
        let scl = 1.0 / (d + c * rat);
        ((a * rat + b) * scl, (b * rat - a) * scl)
    };
    T::from(Complex::new(R::from_f64(re), R::from_f64(im)))
}

fn check_no_negative_exponent(b: &Array, dtype: DType) -> Result<()> {
    crate::dispatch_subset!(int: dtype, T => {
        if b.iter::<T>()?.any(Integer::is_negative) {
            return Err(Error::invalid("pow", "integers to negative integer powers are not allowed"));
        }
        Ok(())
    }, _ => Ok(()))
}

/// A function in float32 and in float64 precision.
type FloatFns = (fn(f32) -> f32, fn(f64) -> f64);

/// Unary elementwise operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnaryOp {
    /// `-x`.
    Negative,
    /// `+x` (a copy).
    Positive,
    /// `|x|` (complex → real modulus).
    Abs,
    /// -1, 0, 1 (complex: `z/|z|`).
    Sign,
    /// `x * x`.
    Square,
    /// `1 / x`.
    Reciprocal,
    /// Square root.
    Sqrt,
    /// `e^x`.
    Exp,
    /// `e^x - 1`, accurate near 0.
    Expm1,
    /// `2^x`.
    Exp2,
    /// Natural logarithm.
    Log,
    /// `ln(1 + x)`, accurate near 0.
    Log1p,
    /// Base-2 logarithm.
    Log2,
    /// Base-10 logarithm.
    Log10,
    /// Sine.
    Sin,
    /// Cosine.
    Cos,
    /// Tangent.
    Tan,
    /// Inverse sine.
    Asin,
    /// Inverse cosine.
    Acos,
    /// Inverse tangent.
    Atan,
    /// Hyperbolic sine.
    Sinh,
    /// Hyperbolic cosine.
    Cosh,
    /// Hyperbolic tangent.
    Tanh,
    /// Inverse hyperbolic sine.
    Asinh,
    /// Inverse hyperbolic cosine.
    Acosh,
    /// Inverse hyperbolic tangent.
    Atanh,
    /// Round toward -inf.
    Floor,
    /// Round toward +inf.
    Ceil,
    /// Round toward zero.
    Trunc,
    /// Round half to even.
    Round,
    /// Whether NaN.
    IsNan,
    /// Whether ±inf.
    IsInf,
    /// Whether neither NaN nor ±inf.
    IsFinite,
    /// Whether the sign bit is set.
    Signbit,
    /// Logical not (truthiness).
    LogicalNot,
    /// `~x` for integers and bools.
    BitwiseInvert,
    /// Complex conjugate (identity for real numbers).
    Conj,
    /// Real part.
    Real,
    /// Imaginary part (zeros for real numbers).
    Imag,
}

macro_rules! transcendental {
    ($($op:ident: $f32:expr, $f64:expr, $c:expr;)*) => {
        /// Float and complex implementations of the transcendental unary
        /// functions: one row per function.
        fn run_transcendental(op: UnaryOp, a: &Array) -> Result<Array> {
            let dtype = a.dtype;
            match op {
                $(UnaryOp::$op => crate::dispatch_subset!(float: dtype, T => map::<T, T>(a, |x: T| Float::map(x, $f32, $f64)),
                    _ => crate::dispatch_subset!(complex: dtype, T => map::<T, T>(a, |z: T| ComplexFloat::map_c(z, $c)),
                        _ => Err(unsupported(op.name(), dtype)))),)*
                _ => unreachable!("run_transcendental called with {op:?}"),
            }
        }

        impl UnaryOp {
            fn is_transcendental(self) -> bool {
                matches!(self, $(UnaryOp::$op)|*)
            }
        }
    };
}

transcendental! {
    Sqrt: f32::sqrt, f64::sqrt, |z| z.sqrt();
    Exp: f32::exp, f64::exp, |z| z.exp();
    Expm1: f32::exp_m1, f64::exp_m1, |z| z.exp() - 1.0;
    Exp2: f32::exp2, f64::exp2, |z| z.expf(2.0);
    Log: f32::ln, f64::ln, |z| z.ln();
    Log1p: f32::ln_1p, f64::ln_1p, |z| (z + 1.0).ln();
    Log2: f32::log2, f64::log2, |z| z.ln() / std::f64::consts::LN_2;
    Log10: f32::log10, f64::log10, |z| z.ln() / std::f64::consts::LN_10;
    Sin: f32::sin, f64::sin, |z| z.sin();
    Cos: f32::cos, f64::cos, |z| z.cos();
    Tan: f32::tan, f64::tan, |z| z.tan();
    Asin: f32::asin, f64::asin, |z| z.asin();
    Acos: f32::acos, f64::acos, |z| z.acos();
    Atan: f32::atan, f64::atan, |z| z.atan();
    Sinh: f32::sinh, f64::sinh, |z| z.sinh();
    Cosh: f32::cosh, f64::cosh, |z| z.cosh();
    Tanh: f32::tanh, f64::tanh, |z| z.tanh();
    Asinh: f32::asinh, f64::asinh, |z| z.asinh();
    Acosh: f32::acosh, f64::acosh, |z| z.acosh();
    Atanh: f32::atanh, f64::atanh, |z| z.atanh();
}

impl UnaryOp {
    /// The Array API name of the operation.
    pub fn name(self) -> &'static str {
        use UnaryOp::*;
        match self {
            Negative => "negative",
            Positive => "positive",
            Abs => "abs",
            Sign => "sign",
            Square => "square",
            Reciprocal => "reciprocal",
            Sqrt => "sqrt",
            Exp => "exp",
            Expm1 => "expm1",
            Exp2 => "exp2",
            Log => "log",
            Log1p => "log1p",
            Log2 => "log2",
            Log10 => "log10",
            Sin => "sin",
            Cos => "cos",
            Tan => "tan",
            Asin => "asin",
            Acos => "acos",
            Atan => "atan",
            Sinh => "sinh",
            Cosh => "cosh",
            Tanh => "tanh",
            Asinh => "asinh",
            Acosh => "acosh",
            Atanh => "atanh",
            Floor => "floor",
            Ceil => "ceil",
            Trunc => "trunc",
            Round => "round",
            IsNan => "isnan",
            IsInf => "isinf",
            IsFinite => "isfinite",
            Signbit => "signbit",
            LogicalNot => "logical_not",
            BitwiseInvert => "bitwise_invert",
            Conj => "conj",
            Real => "real",
            Imag => "imag",
        }
    }
}

impl Array {
    /// Applies a unary operation. Integer and bool inputs to the
    /// transcendental functions compute in the smallest float dtype that
    /// holds them exactly (NumPy's rule: `sqrt(int8)` is float16,
    /// `sqrt(int32)` float64).
    pub fn unary(&self, op: UnaryOp) -> Result<Array> {
        use UnaryOp::*;
        let dtype = self.dtype;
        let bad = || Err(unsupported(op.name(), dtype));
        if op.is_transcendental() || op == Reciprocal {
            let a = match dtype.kind() {
                Kind::Float | Kind::Complex => self.clone(),
                _ => self.astype(smallest_float(dtype)?)?,
            };
            if op == Reciprocal {
                let one = Array::scalar(1u8).astype(a.dtype)?;
                return one.binary(&a, BinaryOp::Divide);
            }
            return run_transcendental(op, &a);
        }
        let a = self;
        match op {
            Negative => {
                crate::dispatch_subset!(numeric: dtype, T => map::<T, T>(a, |x: T| Numeric::neg(x)), _ => bad())
            }
            Positive => {
                if dtype == DType::Bool {
                    bad()
                } else {
                    Ok(a.copy())
                }
            }
            Square => {
                crate::dispatch_subset!(numeric: dtype, T => map::<T, T>(a, |x: T| Numeric::mul(x, x)), _ => bad())
            }
            Sign => crate::dispatch_subset!(numeric: dtype, T => map::<T, T>(a, |x: T| Numeric::sign(x)), _ => bad()),
            Abs => crate::dispatch_subset!(real: dtype, T => map::<T, T>(a, |x: T| scalar::Real::abs(x)),
                _ => crate::dispatch_subset!(complex: dtype, T => map::<T, <T as ComplexFloat>::Real>(a, |z: T| ComplexFloat::modulus(z)), _ => bad())),
            Floor | Ceil | Trunc | Round => {
                let (f32f, f64f): FloatFns = match op {
                    Floor => (f32::floor, f64::floor),
                    Ceil => (f32::ceil, f64::ceil),
                    Trunc => (f32::trunc, f64::trunc),
                    _ => (f32::round_ties_even, f64::round_ties_even),
                };
                match dtype.kind() {
                    Kind::UnsignedInt | Kind::SignedInt => Ok(a.copy()),
                    _ => {
                        crate::dispatch_subset!(float: dtype, T => map::<T, T>(a, |x: T| Float::map(x, f32f, f64f)), _ => bad())
                    }
                }
            }
            IsNan => {
                crate::dispatch_subset!(numeric: dtype, T => map::<T, bool>(a, |x: T| Numeric::is_nan(x)), _ => Array::zeros(&a.shape, DType::Bool))
            }
            IsInf => {
                crate::dispatch_subset!(numeric: dtype, T => map::<T, bool>(a, |x: T| Numeric::is_inf(x)), _ => Array::zeros(&a.shape, DType::Bool))
            }
            IsFinite => {
                crate::dispatch_subset!(numeric: dtype, T => map::<T, bool>(a, |x: T| !Numeric::is_inf(x) && !Numeric::is_nan(x)),
                _ => map::<bool, bool>(a, |_| true))
            }
            Signbit => {
                crate::dispatch_subset!(float: dtype, T => map::<T, bool>(a, |x: T| Float::signbit(x)), _ => bad())
            }
            LogicalNot => map::<bool, bool>(&truthy(a)?, |x| !x),
            BitwiseInvert => crate::dispatch_subset!(int: dtype, T => map::<T, T>(a, |x: T| Integer::invert(x)),
                _ => if dtype == DType::Bool { map::<bool, bool>(a, |x| !x) } else { bad() }),
            Conj => {
                crate::dispatch_subset!(complex: dtype, T => map::<T, T>(a, |z: T| ComplexFloat::conj(z)), _ => Ok(a.copy()))
            }
            Real => {
                crate::dispatch_subset!(complex: dtype, T => map::<T, <T as ComplexFloat>::Real>(a, |z: T| ComplexFloat::re(z)), _ => Ok(a.copy()))
            }
            Imag => {
                crate::dispatch_subset!(complex: dtype, T => map::<T, <T as ComplexFloat>::Real>(a, |z: T| ComplexFloat::im(z)),
                _ => Array::zeros(&a.shape, dtype))
            }
            _ => unreachable!("transcendental ops return above"),
        }
    }
}
