//! Elementwise functions of the Array API standard, with broadcasting and
//! type promotion.
//!
//! Each function is a row of a table: [`BinaryOp`] and [`UnaryOp`] name the
//! operation (and generate one method per row on [`Array`]: `a.add(&b)?`,
//! `a.exp()?`, `a.less(&b)?`), `resolve` decides the dtype it computes in
//! and the dtype it returns (promotion, NumPy's int→float rules, bool
//! outputs), and `run_*` picks the scalar function from the traits in
//! `scalar.rs`. The loops themselves are the generic kernels of
//! `oxarray_kernels::elementwise`.
//!
//! | form | NumPy | here |
//! |---|---|---|
//! | array with array | `np.add(a, b)`, `a + b` | [`Array::binary`], [`Array::add`] |
//! | array with a Python scalar | `a + 1.5`, `2 ** a` | [`Array::binary_scalar`] (NEP 50 "weak" scalars) |
//! | in place | `a += b`, `np.exp(a, out=a)` | [`Array::binary_inplace`], [`Array::unary_inplace`] |
//! | selection | `np.where(c, x, y)`, `np.clip(x, lo, hi)` | [`Array::where_`], [`Array::clip`] |
//!
//! The semantics are NumPy 2.4's, checked against it value by value in
//! `tests/elementwise.rs`, except where the Array API standard and
//! oxarray's "never silently wrong" rule say otherwise (arithmetic on
//! `bool`, ordering of complex numbers, lossy in-place casts: the table is
//! at the top of that test file).

use std::borrow::Cow;

use num_complex::Complex;
use oxarray_kernels::elementwise::{self as kernel, Cost, Heavy, Light, Operand, OperandMut, Split};
use oxarray_kernels::vmath;

use crate::array::Array;
use crate::cast::{Casting, can_cast};
use crate::cmath;
use crate::dtype::{DType, Kind};
use crate::element::{Element, Lossy, Wide, c64, c128};
use crate::error::{Error, ErrorKind, Result};
use crate::manipulation::broadcast_shapes;
use crate::promotion::{ScalarKind, result_type, result_type_many, result_type_with_scalar};
use crate::scalar::{self, ComplexFloat, Float, Integer, Numeric};

/// Declares [`BinaryOp`] and one method per operation on [`Array`] from one
/// table: the variant, its doc comment, and the Array API name (which is
/// also the method's name).
macro_rules! binary_ops {
    ($($(#[doc = $doc:literal])+ $op:ident => $method:ident;)*) => {
        /// Binary elementwise operations.
        ///
        /// Each has a method of the same (Array API) name on [`Array`], so
        /// `a.binary(&b, BinaryOp::Add)` is also `a.add(&b)`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum BinaryOp {
            $($(#[doc = $doc])+ $op,)*
        }

        impl BinaryOp {
            /// Every binary operation, in table order.
            pub const ALL: &'static [BinaryOp] = &[$(BinaryOp::$op),*];

            /// The Array API name of the operation (also its method's name).
            pub fn name(self) -> &'static str {
                match self {
                    $(BinaryOp::$op => stringify!($method),)*
                }
            }
        }

        /// Binary elementwise functions by name.
        impl Array {
            $(
                $(#[doc = $doc])+
                #[doc = ""]
                #[doc = concat!("`self.binary(other, BinaryOp::", stringify!($op), ")`: broadcasts and promotes as [`Array::binary`] does.")]
                pub fn $method(&self, other: &Array) -> Result<Array> {
                    self.binary(other, BinaryOp::$op)
                }
            )*
        }
    };
}

binary_ops! {
    /// `a + b`.
    Add => add;
    /// `a - b`.
    Subtract => subtract;
    /// `a * b`.
    Multiply => multiply;
    /// `a / b` (true division; integers divide in float64 as in NumPy).
    Divide => divide;
    /// `a // b` (Python's floor division).
    FloorDivide => floor_divide;
    /// `a % b` (Python's modulo: the result has the divisor's sign).
    Remainder => remainder;
    /// `a ** b`.
    Pow => pow;
    /// The larger of `a` and `b`, NaN if either is NaN (`+0.0` above `-0.0`).
    Maximum => maximum;
    /// The smaller of `a` and `b`, NaN if either is NaN (`-0.0` below `+0.0`).
    Minimum => minimum;
    /// `atan2(a, b)`: the angle of the point `(b, a)`.
    Atan2 => atan2;
    /// `sqrt(a² + b²)` without undue overflow.
    Hypot => hypot;
    /// `|a|` with the sign of `b`.
    Copysign => copysign;
    /// `log(exp(a) + exp(b))`, computed stably.
    Logaddexp => logaddexp;
    /// The next representable value after `a` in the direction of `b`.
    NextAfter => nextafter;
    /// `a == b`.
    Equal => equal;
    /// `a != b`.
    NotEqual => not_equal;
    /// `a < b`.
    Less => less;
    /// `a <= b`.
    LessEqual => less_equal;
    /// `a > b`.
    Greater => greater;
    /// `a >= b`.
    GreaterEqual => greater_equal;
    /// Both `a` and `b` are truthy (non-zero).
    LogicalAnd => logical_and;
    /// Either `a` or `b` is truthy.
    LogicalOr => logical_or;
    /// Exactly one of `a` and `b` is truthy.
    LogicalXor => logical_xor;
    /// `a & b`.
    BitwiseAnd => bitwise_and;
    /// `a | b`.
    BitwiseOr => bitwise_or;
    /// `a ^ b`.
    BitwiseXor => bitwise_xor;
    /// `a << b` (shifts by the bit width or more give 0).
    LeftShift => bitwise_left_shift;
    /// `a >> b`, arithmetic for signed types (shifts by the bit width or
    /// more give 0, or -1 for negative `a`).
    RightShift => bitwise_right_shift;
}

impl BinaryOp {
    /// The operation with this Array API name.
    pub fn from_name(name: &str) -> Option<BinaryOp> {
        BinaryOp::ALL.iter().copied().find(|op| op.name() == name)
    }

    /// Whether the operation is a comparison (its result is `bool`).
    pub fn is_comparison(self) -> bool {
        use BinaryOp::*;
        matches!(self, Equal | NotEqual | Less | LessEqual | Greater | GreaterEqual)
    }

    /// `(compute dtype, result dtype)` for operands of dtypes `a` and `b`:
    /// both are cast to the compute dtype, which is their [`result_type`]
    /// except where NumPy's loops say otherwise (integers divide in float64;
    /// the float functions of integers compute in the smallest float dtype
    /// that holds both operands, `atan2(int8, uint8)` in float16).
    pub fn resolve(self, a: DType, b: DType) -> Result<(DType, DType)> {
        use BinaryOp::*;
        let common = result_type(a, b)?;
        let unsupported = || Err(unsupported(self.name(), common));
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
            Atan2 | Hypot | Copysign | Logaddexp | NextAfter => match k {
                Kind::Float => Ok((common, common)),
                Kind::Bool | Kind::UnsignedInt | Kind::SignedInt => {
                    let f = result_type_many(&[a, b, DType::Float16])?;
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

fn unsupported(op: &'static str, dtype: DType) -> Error {
    ErrorKind::UnsupportedDType { op, dtype }.into()
}

fn operand<'a, T: Element>(a: &'a Array) -> Result<Operand<'a, T>> {
    Ok(Operand { data: a.typed::<T>("elementwise")?, strides: &a.strides, offset: a.offset })
}

/// Runs `f` over broadcast operands `a` (of type `A`) and `b` (of type `B`)
/// into a fresh array of `O`.
fn zip<A: Element, B: Element, O: Element>(
    a: &Array,
    b: &Array,
    shape: &[usize],
    f: impl Fn(A, B) -> O + Sync,
) -> Result<Array> {
    zip_with(a, b, shape, f, Light)
}

/// [`zip`] with the dispatch of `cost`.
fn zip_with<A: Element, B: Element, O: Element>(
    a: &Array,
    b: &Array,
    shape: &[usize],
    f: impl Fn(A, B) -> O + Sync,
    cost: impl Cost,
) -> Result<Array> {
    let mut out = Array::for_overwrite(shape, O::DTYPE)?;
    let dst = out.typed_mut_unique::<O>()?;
    kernel::binary_with(dst, shape, operand::<A>(a)?, operand::<B>(b)?, f, cost);
    Ok(out)
}

fn map<A: Element, O: Element>(a: &Array, f: impl Fn(A) -> O + Sync, cost: impl Cost) -> Result<Array> {
    let shape = a.shape.clone();
    let mut out = Array::for_overwrite(&shape, O::DTYPE)?;
    let dst = out.typed_mut_unique::<O>()?;
    kernel::unary_with(dst, &shape, operand::<A>(a)?, f, cost);
    Ok(out)
}

/// The writable operand over `dst`'s own buffer, after copy-on-write.
fn with_dst<T: Element, R>(dst: &mut Array, f: impl FnOnce(OperandMut<'_, T>, &[usize]) -> R) -> Result<R> {
    dst.make_unique();
    let (shape, strides, offset) = (dst.shape.clone(), dst.strides.clone(), dst.offset);
    let data = dst.typed_mut_unique::<T>()?;
    Ok(f(OperandMut { data, strides: &strides, offset }, &shape))
}

/// Runs the typed loop a binary op table picks: into a fresh array
/// ([`Fresh2`]) or in place over the left operand ([`InPlace2`]).
trait Exec2 {
    type Out;
    /// A loop whose result has the operands' type.
    fn same<T: Element>(self, f: impl Fn(T, T) -> T + Sync + Send + Copy + 'static) -> Result<Self::Out>;
    /// [`same`](Self::same) for a loop that computes much per element (the
    /// polynomial `atan2`, `hypot`, `logaddexp`): compiled up to AVX-512
    /// where the CPU has it.
    fn same_heavy<T: Element>(self, f: impl Fn(T, T) -> T + Sync + Send + Copy + 'static) -> Result<Self::Out>;
    /// A loop with another result type (comparisons).
    fn to<T: Element, O: Element>(self, f: impl Fn(T, T) -> O + Sync + Send + Copy + 'static) -> Result<Self::Out>;
}

/// Computes into a fresh C-contiguous array.
struct Fresh2<'a> {
    a: &'a Array,
    b: &'a Array,
    shape: &'a [usize],
}

impl Exec2 for Fresh2<'_> {
    type Out = Array;
    fn same<T: Element>(self, f: impl Fn(T, T) -> T + Sync + Send + Copy + 'static) -> Result<Array> {
        zip::<T, T, T>(self.a, self.b, self.shape, f)
    }
    fn same_heavy<T: Element>(self, f: impl Fn(T, T) -> T + Sync + Send + Copy + 'static) -> Result<Array> {
        zip_with::<T, T, T>(self.a, self.b, self.shape, f, Heavy)
    }
    fn to<T: Element, O: Element>(self, f: impl Fn(T, T) -> O + Sync + Send + Copy + 'static) -> Result<Array> {
        zip::<T, T, O>(self.a, self.b, self.shape, f)
    }
}

/// Computes `dst = f(dst, b)` in `dst`'s buffer; `Out` says whether it
/// could (loops with another result type cannot).
struct InPlace2<'a> {
    dst: &'a mut Array,
    b: &'a Array,
}

impl Exec2 for InPlace2<'_> {
    type Out = bool;
    fn same<T: Element>(self, f: impl Fn(T, T) -> T + Sync + Send + Copy + 'static) -> Result<bool> {
        let b = operand::<T>(self.b)?;
        with_dst::<T, _>(self.dst, |d, shape| kernel::binary_inplace(d, shape, b, f))?;
        Ok(true)
    }
    fn same_heavy<T: Element>(self, f: impl Fn(T, T) -> T + Sync + Send + Copy + 'static) -> Result<bool> {
        let b = operand::<T>(self.b)?;
        with_dst::<T, _>(self.dst, |d, shape| kernel::binary_inplace_with(d, shape, b, f, Heavy))?;
        Ok(true)
    }
    fn to<T: Element, O: Element>(self, _: impl Fn(T, T) -> O + Sync + Send + Copy + 'static) -> Result<bool> {
        Ok(false)
    }
}

/// Runs the typed loop a unary op table picks (see [`Exec2`]).
trait Exec1 {
    type Out;
    /// A loop whose result has the operand's type.
    fn same<T: Element>(self, f: impl Fn(T) -> T + Sync + Send + Copy + 'static) -> Result<Self::Out>;
    /// [`same`](Self::same) for a loop that computes much per element (a
    /// polynomial transcendental): compiled up to AVX-512 where the CPU has it.
    fn same_heavy<T: Element>(self, f: impl Fn(T) -> T + Sync + Send + Copy + 'static) -> Result<Self::Out>;
    /// [`same_heavy`](Self::same_heavy) for a [`Split`] function: its fast
    /// path on blocks without a rare input.
    fn same_split<T: Element>(
        self,
        s: Split<
            impl Fn(T) -> T + Sync + Send + Copy + 'static,
            impl Fn(T) -> T + Sync + Send + Copy + 'static,
            impl Fn(T) -> bool + Sync + Send + Copy + 'static,
        >,
    ) -> Result<Self::Out>;
    /// A loop with another result type.
    fn to<T: Element, O: Element>(self, f: impl Fn(T) -> O + Sync + Send + Copy + 'static) -> Result<Self::Out>;
}

struct Fresh1<'a>(&'a Array);

impl Exec1 for Fresh1<'_> {
    type Out = Array;
    fn same<T: Element>(self, f: impl Fn(T) -> T + Sync + Send + Copy + 'static) -> Result<Array> {
        map::<T, T>(self.0, f, Light)
    }
    fn same_heavy<T: Element>(self, f: impl Fn(T) -> T + Sync + Send + Copy + 'static) -> Result<Array> {
        map::<T, T>(self.0, f, Heavy)
    }
    fn same_split<T: Element>(
        self,
        s: Split<
            impl Fn(T) -> T + Sync + Send + Copy + 'static,
            impl Fn(T) -> T + Sync + Send + Copy + 'static,
            impl Fn(T) -> bool + Sync + Send + Copy + 'static,
        >,
    ) -> Result<Array> {
        let shape = self.0.shape.clone();
        let mut out = Array::for_overwrite(&shape, T::DTYPE)?;
        let dst = out.typed_mut_unique::<T>()?;
        kernel::unary_split(dst, &shape, operand::<T>(self.0)?, s, Heavy);
        Ok(out)
    }
    fn to<T: Element, O: Element>(self, f: impl Fn(T) -> O + Sync + Send + Copy + 'static) -> Result<Array> {
        map::<T, O>(self.0, f, Light)
    }
}

struct InPlace1<'a>(&'a mut Array);

impl Exec1 for InPlace1<'_> {
    type Out = bool;
    fn same<T: Element>(self, f: impl Fn(T) -> T + Sync + Send + Copy + 'static) -> Result<bool> {
        with_dst::<T, _>(self.0, |d, shape| kernel::unary_inplace(d, shape, f))?;
        Ok(true)
    }
    fn same_heavy<T: Element>(self, f: impl Fn(T) -> T + Sync + Send + Copy + 'static) -> Result<bool> {
        with_dst::<T, _>(self.0, |d, shape| kernel::unary_inplace_with(d, shape, f, Heavy))?;
        Ok(true)
    }
    fn same_split<T: Element>(
        self,
        s: Split<
            impl Fn(T) -> T + Sync + Send + Copy + 'static,
            impl Fn(T) -> T + Sync + Send + Copy + 'static,
            impl Fn(T) -> bool + Sync + Send + Copy + 'static,
        >,
    ) -> Result<bool> {
        with_dst::<T, _>(self.0, |d, shape| kernel::unary_inplace_split(d, shape, s, Heavy))?;
        Ok(true)
    }
    fn to<T: Element, O: Element>(self, _: impl Fn(T) -> O + Sync + Send + Copy + 'static) -> Result<bool> {
        Ok(false)
    }
}

/// A binary loop over one block: `out[i] = f(a[i], b[i])`, each operand a
/// contiguous slice of `out.len()` elements or a single value (stride 0).
pub(crate) type BlockFn2<T> = Box<dyn Fn(&mut [T], Operand<'_, T>, Operand<'_, T>) + Send + Sync>;
/// A unary loop over one block: `out[i] = f(a[i])` (see [`BlockFn2`]).
pub(crate) type BlockFn1<T> = Box<dyn Fn(&mut [T], Operand<'_, T>) + Send + Sync>;

/// Captures the loop a binary op table picks as a [`BlockFn2`] (for
/// `expr.rs`'s fused evaluation), or `None` for loops with another result
/// type.
struct Block2;

impl Exec2 for Block2 {
    type Out = Option<Box<dyn std::any::Any + Send + Sync>>;
    fn same<T: Element>(self, f: impl Fn(T, T) -> T + Sync + Send + Copy + 'static) -> Result<Self::Out> {
        let k: BlockFn2<T> =
            Box::new(move |out: &mut [T], a: Operand<'_, T>, b: Operand<'_, T>| kernel::binary_block(out, a, b, f));
        Ok(Some(Box::new(k)))
    }
    fn same_heavy<T: Element>(self, f: impl Fn(T, T) -> T + Sync + Send + Copy + 'static) -> Result<Self::Out> {
        let k: BlockFn2<T> = Box::new(move |out: &mut [T], a: Operand<'_, T>, b: Operand<'_, T>| {
            kernel::binary_block_with(out, a, b, f, Heavy)
        });
        Ok(Some(Box::new(k)))
    }
    fn to<T: Element, O: Element>(self, _: impl Fn(T, T) -> O + Sync + Send + Copy + 'static) -> Result<Self::Out> {
        Ok(None)
    }
}

/// [`Block2`] for unary op tables.
struct Block1;

impl Block1 {
    fn boxed<T: Element>(f: impl Fn(T) -> T + Sync + Send + Copy + 'static, cost: impl Cost + 'static) -> BlockFn1<T> {
        Box::new(move |out: &mut [T], a: Operand<'_, T>| kernel::unary_block(out, a, f, cost))
    }
}

impl Exec1 for Block1 {
    type Out = Option<Box<dyn std::any::Any + Send + Sync>>;
    fn same<T: Element>(self, f: impl Fn(T) -> T + Sync + Send + Copy + 'static) -> Result<Self::Out> {
        Ok(Some(Box::new(Block1::boxed(f, Light))))
    }
    fn same_heavy<T: Element>(self, f: impl Fn(T) -> T + Sync + Send + Copy + 'static) -> Result<Self::Out> {
        Ok(Some(Box::new(Block1::boxed(f, Heavy))))
    }
    fn same_split<T: Element>(
        self,
        s: Split<
            impl Fn(T) -> T + Sync + Send + Copy + 'static,
            impl Fn(T) -> T + Sync + Send + Copy + 'static,
            impl Fn(T) -> bool + Sync + Send + Copy + 'static,
        >,
    ) -> Result<Self::Out> {
        let Split { fast, full, rare } = s;
        let k: BlockFn1<T> = Box::new(move |out: &mut [T], a: Operand<'_, T>| {
            kernel::unary_split_block(out, a, Split { fast, full, rare }, Heavy)
        });
        Ok(Some(Box::new(k)))
    }
    fn to<T: Element, O: Element>(self, _: impl Fn(T) -> O + Sync + Send + Copy + 'static) -> Result<Self::Out> {
        Ok(None)
    }
}

/// The loop eager [`Array::binary`] runs for `op` on two operands of type
/// `T`, as a block function, when that is all it does: the result dtype is
/// `T` and no check or special case applies (integer `pow` checks its
/// exponents; comparisons return `bool`). `None` otherwise.
pub(crate) fn binary_block_fn<T: Element>(op: BinaryOp) -> Option<BlockFn2<T>> {
    if op.resolve(T::DTYPE, T::DTYPE).ok()? != (T::DTYPE, T::DTYPE) || op.is_comparison() {
        return None;
    }
    if op == BinaryOp::Pow && T::DTYPE.is_integer() {
        return None;
    }
    // `run_binary` reads its array argument only for integer `pow`.
    let unused = Array::zeros(&[0], T::DTYPE).ok()?;
    run_binary(op, T::DTYPE, &unused, Block2).ok()??.downcast::<BlockFn2<T>>().ok().map(|b| *b)
}

/// The loop eager [`Array::unary`] runs for `op` on an operand of type `T`,
/// as a block function, when the result dtype is `T` and the op is a plain
/// loop (no shortcut). `None` otherwise.
/// `input` is the operand's dtype before its cast to `T`.
pub(crate) fn unary_block_fn<T: Element>(op: UnaryOp, input: DType) -> Option<BlockFn1<T>> {
    if op.resolve(input).ok()? != (T::DTYPE, T::DTYPE)
        || op.shortcut(input).is_some()
        || op.shortcut(T::DTYPE).is_some()
    {
        return None;
    }
    run_unary(op, T::DTYPE, Block1).ok()??.downcast::<BlockFn1<T>>().ok().map(|b| *b)
}

/// The dtype [`Array::binary_scalar`] converts a weak scalar `value` to
/// for `op` with an array of dtype `d`, when it then simply runs
/// [`Array::binary`] with it; `None` when it takes another route (an
/// integer out of the compute dtype's range: an error, or an exact
/// comparison) or fails.
pub(crate) fn weak_scalar_dtype(d: DType, value: Wide, op: BinaryOp) -> Option<DType> {
    let dtype = result_type_with_scalar(d, ScalarKind::of(value)).ok()?;
    let (compute, _) = op.resolve(dtype, dtype).ok()?;
    weak_scalar_as(value, compute).ok()?;
    Some(compute)
}

/// Whether the integer dtype `to` holds the weak integer `value` (any
/// value fits a bool or float dtype here: they convert it differently).
fn int_fits(value: Wide, to: DType) -> bool {
    crate::dispatch_subset!(int: to, T => T::from_wide_checked(value).is_ok(), _ => true)
}

/// A weak scalar converted to `dtype`, as NumPy converts a Python scalar
/// once its dtype is resolved: an integer must fit an integer `dtype` (and
/// int64 for a bool one, as NumPy goes through int64 there), else it is a
/// [`ErrorKind::LossyCast`] naming the value; floats round to a float
/// `dtype` and may overflow to ±inf there.
fn weak_scalar_as(value: Wide, dtype: DType) -> Result<Array> {
    if let Wide::Int(v) = value {
        let out_of_range = |to: DType| -> Error {
            ErrorKind::LossyCast {
                from: ScalarKind::Int.default_dtype(),
                to,
                index: vec![],
                value: v.to_string(),
                reason: Lossy::OutOfRange,
            }
            .into()
        };
        if !int_fits(value, dtype) {
            return Err(out_of_range(dtype));
        }
        if dtype == DType::Bool && i64::try_from(v).is_err() {
            return Err(out_of_range(DType::Int64));
        }
    }
    Ok(crate::dispatch!(dtype, T => Array::scalar(T::from_wide_wrapping(value))))
}

impl Array {
    fn cast_for(&self, dtype: DType) -> Result<Cow<'_, Array>> {
        if self.dtype == dtype { Ok(Cow::Borrowed(self)) } else { self.astype(dtype).map(Cow::Owned) }
    }

    /// [`cast_for`](Array::cast_for) of an array the caller gives up.
    fn into_dtype(self, dtype: DType) -> Result<Array> {
        if self.dtype == dtype { Ok(self) } else { self.astype(dtype) }
    }

    /// This array as a loop operand of `dtype` over `shape`: borrowed when
    /// it already is one (the common case, which then allocates nothing),
    /// else converted and broadcast.
    fn operand_as(&self, dtype: DType, shape: &[usize]) -> Result<Cow<'_, Array>> {
        let cast = self.cast_for(dtype)?;
        if cast.shape == shape { Ok(cast) } else { cast.broadcast_to(shape).map(Cow::Owned) }
    }

    /// Applies a binary operation with broadcasting and type promotion
    /// ([`result_type`], then [`BinaryOp::resolve`]). The logical
    /// operations take any dtype and use its truthiness (non-zero, NaN
    /// included, is true), as NumPy does.
    ///
    /// ```
    /// use oxarray_core::{Array, BinaryOp, DType};
    /// let a = Array::from_vec(vec![1i8, 2, 3], &[3, 1])?;
    /// let b = Array::from_vec(vec![0.5f32, -1.0], &[2])?;
    /// let c = a.binary(&b, BinaryOp::Multiply)?; // same as a.multiply(&b)?
    /// assert_eq!((c.shape(), c.dtype()), (&[3, 2][..], DType::Float32));
    /// assert_eq!(c.to_vec::<f32>()?, vec![0.5, -1.0, 1.0, -2.0, 1.5, -3.0]);
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn binary(&self, other: &Array, op: BinaryOp) -> Result<Array> {
        let (compute, _) = op.resolve(self.dtype, other.dtype)?;
        let shape = broadcast_shapes(&[&self.shape, &other.shape])?;
        if op.is_comparison() && self.dtype.is_integer() && other.dtype.is_integer() && !compute.is_integer() {
            return exact_integer_comparison(op, self, other, &shape);
        }
        let a = self.operand_as(compute, &shape)?;
        let b = other.operand_as(compute, &shape)?;
        run_binary(op, compute, &b, Fresh2 { a: &a, b: &b, shape: &shape })
    }

    /// Applies a binary operation between this array and a Python-style
    /// "weak" scalar: `a + value`, or `value + a` when `reflected`.
    ///
    /// As in NumPy 2 (NEP 50), the scalar takes the array's dtype unless it
    /// is of a higher kind ([`result_type_with_scalar`]): `uint8 + 1` is
    /// `uint8`, `int8 + 1.5` is `float64`, `float32 + 1j` is `complex64`,
    /// `bool + 1` is `int64`. An integer scalar that does not fit the
    /// array's integer dtype is an error naming the value (`uint8 + 300`),
    /// except in comparisons, which are answered exactly (`uint8 < 300` is
    /// all true). Float scalars round to the array's float dtype and may
    /// overflow to ±inf there, as in NumPy.
    ///
    /// ```
    /// use oxarray_core::{Array, BinaryOp, DType, Wide};
    /// let a = Array::from_vec(vec![1u8, 2, 250], &[3])?;
    /// let b = a.binary_scalar(Wide::Int(10), BinaryOp::Add, false)?;
    /// assert_eq!(b.to_vec::<u8>()?, vec![11, 12, 4]); // uint8 wraps
    /// let c = a.binary_scalar(Wide::Float(1.5), BinaryOp::Subtract, true)?; // 1.5 - a
    /// assert_eq!((c.dtype(), c.to_vec::<f64>()?), (DType::Float64, vec![0.5, -0.5, -248.5]));
    /// assert!(a.binary_scalar(Wide::Int(300), BinaryOp::Add, false).is_err());
    /// let lt = a.binary_scalar(Wide::Int(300), BinaryOp::Less, false)?;
    /// assert_eq!(lt.to_vec::<bool>()?, vec![true; 3]);
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn binary_scalar(&self, value: Wide, op: BinaryOp, reflected: bool) -> Result<Array> {
        let dtype = result_type_with_scalar(self.dtype, ScalarKind::of(value))?;
        // The scalar converts to the dtype the loop computes in: `int8 / 300`
        // divides in float64, so 300 need not fit int8 there.
        let (compute, _) = op.resolve(dtype, dtype)?;
        // Comparisons of an integer array with any integer are exact.
        if let Wide::Int(v) = value
            && op.is_comparison()
            && self.dtype.is_integer()
            && !int_fits(value, compute)
        {
            return self.out_of_range_comparison(op, v > 0, reflected);
        }
        let s = weak_scalar_as(value, compute)?;
        if reflected { s.binary(self, op) } else { self.binary(&s, op) }
    }

    /// The 0-d array a weak (Python-style) scalar becomes next to an array
    /// of dtype `like`, as NumPy 2 converts a Python scalar argument of
    /// `where` or `clip` (NEP 50): its dtype is
    /// [`result_type_with_scalar`]`(like, kind)`; an integer must fit it
    /// (else a [`ErrorKind::LossyCast`] naming the value: NumPy's `where`
    /// wraps it silently, its ufuncs raise); a float rounds to it and may
    /// overflow to ±inf, as in NumPy. With `like = bool` this is the scalar
    /// at its own default dtype (an `int` as int64).
    ///
    /// ```
    /// use oxarray_core::{Array, DType, Wide};
    /// let s = Array::weak_scalar(Wide::Int(200), DType::UInt8)?;
    /// assert_eq!((s.dtype(), s.to_vec::<u8>()?), (DType::UInt8, vec![200]));
    /// assert!(Array::weak_scalar(Wide::Int(300), DType::UInt8).is_err());
    /// assert_eq!(Array::weak_scalar(Wide::Float(1.5), DType::Int8)?.dtype(), DType::Float64);
    /// let inf = Array::weak_scalar(Wide::Float(1e6), DType::Float16)?;
    /// assert_eq!((inf.dtype(), inf.item_wide()?), (DType::Float16, Wide::Float(f64::INFINITY)));
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn weak_scalar(value: Wide, like: DType) -> Result<Array> {
        weak_scalar_as(value, result_type_with_scalar(like, ScalarKind::of(value))?)
    }

    /// The bound [`clip`](Array::clip) takes for a weak scalar `value` as
    /// its lower (`upper = false`) or upper bound, as NumPy 2's `clip`
    /// converts a Python scalar: for an integer array, an `int` at or
    /// beyond the dtype's limit on that side clips nothing and is dropped
    /// (`None`: `clip(uint8, -5, 300)` is a copy); any other value is
    /// [`weak_scalar`](Array::weak_scalar)`(value, self.dtype())`, so an
    /// `int` beyond the other limit is an error (`clip(uint8, 300, None)`),
    /// and a scalar of a higher kind gives a bound `clip` refuses.
    ///
    /// ```
    /// use oxarray_core::{Array, Wide};
    /// let x = Array::from_vec(vec![0u8, 100, 255], &[3])?;
    /// assert!(x.weak_clip_bound(Wide::Int(-5), false)?.is_none());
    /// assert!(x.weak_clip_bound(Wide::Int(300), false).is_err());
    /// let hi = x.weak_clip_bound(Wide::Int(200), true)?;
    /// assert_eq!(x.clip(None, hi.as_ref())?.to_vec::<u8>()?, vec![0, 100, 200]);
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn weak_clip_bound(&self, value: Wide, upper: bool) -> Result<Option<Array>> {
        // NumPy drops a bound at the limit too; clipping there changes
        // nothing, so only the ints beyond it need dropping.
        if let Wide::Int(v) = value
            && self.dtype.is_integer()
            && !int_fits(value, self.dtype)
            && (v > 0) == upper
        {
            return Ok(None);
        }
        Array::weak_scalar(value, self.dtype).map(Some)
    }

    /// A comparison of this integer array with an integer that lies above
    /// (`above`) or below every value of its dtype.
    fn out_of_range_comparison(&self, op: BinaryOp, above: bool, reflected: bool) -> Result<Array> {
        use BinaryOp::*;
        // `self < value` holds for every element exactly when the value lies above.
        let less = above != reflected;
        let truth = match op {
            Equal => false,
            NotEqual => true,
            Less | LessEqual => less,
            _ => !less,
        };
        let mut out = Array::zeros(&self.shape, DType::Bool)?;
        if truth {
            out.fill(true)?;
        }
        Ok(out)
    }

    /// NumPy's in-place `a op= b` (`np.add(a, b, out=a)`): computes
    /// `self op other` and stores it in `self`.
    ///
    /// - The result dtype of the operation must cast to `self`'s dtype under
    ///   [`Casting::SameKind`], as NumPy requires (`int += float` is an
    ///   error; `int8 += int16` is allowed). Where it differs from
    ///   `self`'s dtype, the result is converted with the checked
    ///   [`astype`](Array::astype), so a value that does not fit is an error
    ///   rather than NumPy's silent wrap-around.
    /// - `other` broadcasts to `self`'s shape, never the other way.
    /// - When `self` holds its buffer alone, the buffer is writable and the
    ///   result dtype is `self`'s, the loop writes into that buffer with no
    ///   allocation. Otherwise the result goes to fresh memory and `self`
    ///   becomes a handle to it (copy-on-write), so other handles to the old
    ///   buffer, including `other` if it is a view of `self`, never see the
    ///   write.
    ///
    /// ```
    /// use oxarray_core::{Array, BinaryOp};
    /// let mut a = Array::from_vec(vec![1.0f32, 2.0, 3.0], &[3])?;
    /// let p = a.as_ptr();
    /// a.binary_inplace(&Array::scalar(10.0f32), BinaryOp::Multiply)?;
    /// assert_eq!(a.to_vec::<f32>()?, vec![10.0, 20.0, 30.0]);
    /// assert_eq!(a.as_ptr(), p); // no allocation
    /// let mut i = Array::from_vec(vec![1i32, 2], &[2])?;
    /// assert!(i.binary_inplace(&Array::scalar(0.5f64), BinaryOp::Add).is_err());
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn binary_inplace(&mut self, other: &Array, op: BinaryOp) -> Result<()> {
        let (compute, out) = op.resolve(self.dtype, other.dtype)?;
        check_inplace_cast(out, self.dtype)?;
        let shape = broadcast_shapes(&[&self.shape, &other.shape])?;
        if shape != self.shape {
            return Err(Error::invalid(
                op.name(),
                format!(
                    "non-broadcastable output operand with shape {:?} doesn't match the broadcast shape {:?}",
                    self.shape, shape
                ),
            ));
        }
        if compute == self.dtype && out == self.dtype && self.is_writable_in_place() {
            let b = other.operand_as(compute, &shape)?;
            if run_binary(op, compute, &b, InPlace2 { dst: self, b: &b })? {
                return Ok(());
            }
        }
        let r = self.binary(other, op)?;
        *self = r.into_dtype(self.dtype)?;
        Ok(())
    }

    /// Applies a unary operation.
    ///
    /// Integer and bool inputs to the float functions (`sqrt`, `exp`,
    /// `sin`, `reciprocal`, …) compute in the smallest float dtype that holds
    /// them exactly (NumPy's rule: `sqrt(int8)` is float16, `sqrt(int32)`
    /// float64); see [`UnaryOp::resolve`].
    pub fn unary(&self, op: UnaryOp) -> Result<Array> {
        let (compute, out) = op.resolve(self.dtype)?;
        match op.shortcut(self.dtype) {
            Some(Shortcut::Copy) => return Ok(self.copy()),
            Some(Shortcut::Fill(v)) => {
                let mut r = Array::zeros(&self.shape, out)?;
                if v {
                    r.fill(true)?;
                }
                return Ok(r);
            }
            None => {}
        }
        run_unary(op, compute, Fresh1(&*self.cast_for(compute)?))
    }

    /// NumPy's `np.<op>(a, out=a)`: applies a unary operation and stores the
    /// result in `self`, under the rules of
    /// [`binary_inplace`](Array::binary_inplace): the result dtype must cast
    /// to `self`'s under [`Casting::SameKind`] (`exp` of an integer array is
    /// an error), and the loop writes in place when `self` holds a writable
    /// buffer alone and the result dtype is `self`'s.
    pub fn unary_inplace(&mut self, op: UnaryOp) -> Result<()> {
        let (compute, out) = op.resolve(self.dtype)?;
        check_inplace_cast(out, self.dtype)?;
        if op.shortcut(self.dtype) == Some(Shortcut::Copy) {
            return Ok(());
        }
        if compute == self.dtype
            && out == self.dtype
            && op.shortcut(self.dtype).is_none()
            && self.is_writable_in_place()
            && run_unary(op, compute, InPlace1(self))?
        {
            return Ok(());
        }
        let r = self.unary(op)?;
        *self = r.into_dtype(self.dtype)?;
        Ok(())
    }

    /// NumPy's `where(cond, x, y)`: `x` where `cond` is true, `y` elsewhere.
    ///
    /// The three arrays broadcast together; `x` and `y` promote to their
    /// [`result_type`]. `cond` may have any dtype: it is read by truthiness
    /// (non-zero, NaN included, is true), as in NumPy, where the Array API
    /// standard asks for `bool`.
    ///
    /// ```
    /// use oxarray_core::Array;
    /// let c = Array::from_vec(vec![true, false, true], &[3])?;
    /// let r = Array::where_(&c, &Array::from_vec(vec![1i16, 2, 3], &[3])?, &Array::scalar(-1.5f32))?;
    /// assert_eq!(r.to_vec::<f32>()?, vec![1.0, -1.5, 3.0]);
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn where_(cond: &Array, x: &Array, y: &Array) -> Result<Array> {
        let dtype = result_type(x.dtype, y.dtype)?;
        let shape = broadcast_shapes(&[&cond.shape, &x.shape, &y.shape])?;
        let c = cond.operand_as(DType::Bool, &shape)?;
        let x = x.operand_as(dtype, &shape)?;
        let y = y.operand_as(dtype, &shape)?;
        crate::dispatch!(dtype, T => {
            let mut out = Array::for_overwrite(&shape, dtype)?;
            let dst = out.typed_mut_unique::<T>()?;
            kernel::select(dst, &shape, operand::<bool>(&c)?, operand::<T>(&x)?, operand::<T>(&y)?);
            Ok(out)
        })
    }

    /// Clamps every element to `[min, max]` (the Array API's `clip`,
    /// 2023.12): `minimum(maximum(x, min), max)`, so NaN in `x`, `min` or
    /// `max` gives NaN and `min > max` gives `max`.
    ///
    /// The result has `self`'s dtype and shape: `min` and `max` broadcast to
    /// `self`'s shape and must cast to its dtype under
    /// [`Casting::SameKind`] (a float bound for an integer array is an
    /// error). A bound of a wider dtype is compared exactly; if it wins and
    /// does not fit `self`'s dtype, that is an error naming the element.
    /// Without bounds the result is a copy. Real dtypes only.
    ///
    /// ```
    /// use oxarray_core::Array;
    /// let x = Array::from_vec(vec![-5i32, 0, 7], &[3])?;
    /// let r = x.clip(Some(&Array::scalar(-1i32)), Some(&Array::scalar(3i8)))?;
    /// assert_eq!(r.to_vec::<i32>()?, vec![-1, 0, 3]);
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn clip(&self, min: Option<&Array>, max: Option<&Array>) -> Result<Array> {
        if !matches!(self.dtype.kind(), Kind::UnsignedInt | Kind::SignedInt | Kind::Float) {
            return Err(unsupported("clip", self.dtype));
        }
        for bound in [min, max].into_iter().flatten() {
            if !can_cast(bound.dtype, self.dtype, Casting::SameKind) {
                return Err(ErrorKind::CastNotAllowed {
                    from: bound.dtype,
                    to: self.dtype,
                    casting: Casting::SameKind,
                }
                .into());
            }
            bound.broadcast_to(&self.shape)?;
        }
        let mut r = self.clone();
        if let Some(m) = min {
            r = r.binary(m, BinaryOp::Maximum)?;
        }
        if let Some(m) = max {
            r = r.binary(m, BinaryOp::Minimum)?;
        }
        if min.is_none() && max.is_none() {
            return Ok(self.copy());
        }
        r.into_dtype(self.dtype)
    }
}

/// NumPy's rule for `out=`: the result must cast to the output's dtype
/// under `same_kind`.
fn check_inplace_cast(result: DType, target: DType) -> Result<()> {
    if can_cast(result, target, Casting::SameKind) {
        Ok(())
    } else {
        Err(ErrorKind::CastNotAllowed { from: result, to: target, casting: Casting::SameKind }.into())
    }
}

/// Comparisons of a signed with an unsigned integer array whose common type
/// is float64 (`int64` with `uint64`): NumPy 2 compares the values exactly,
/// not after rounding both to float64.
fn exact_integer_comparison(op: BinaryOp, a: &Array, b: &Array, shape: &[usize]) -> Result<Array> {
    use BinaryOp::*;
    let wide = |x: &Array| if x.dtype.kind() == Kind::SignedInt { DType::Int64 } else { DType::UInt64 };
    let (a, b) = (a.operand_as(wide(a), shape)?, b.operand_as(wide(b), shape)?);
    let cmp: fn(i128, i128) -> bool = match op {
        Equal => |x, y| x == y,
        NotEqual => |x, y| x != y,
        Less => |x, y| x < y,
        LessEqual => |x, y| x <= y,
        Greater => |x, y| x > y,
        _ => |x, y| x >= y,
    };
    match (a.dtype, b.dtype) {
        (DType::Int64, DType::UInt64) => zip::<i64, u64, bool>(&a, &b, shape, |x, y| cmp(x as i128, y as i128)),
        (DType::UInt64, DType::Int64) => zip::<u64, i64, bool>(&a, &b, shape, |x, y| cmp(x as i128, y as i128)),
        (DType::Int64, DType::Int64) => zip::<i64, i64, bool>(&a, &b, shape, |x, y| cmp(x as i128, y as i128)),
        _ => zip::<u64, u64, bool>(&a, &b, shape, |x, y| cmp(x as i128, y as i128)),
    }
}

// Comparing bools with `<` is the point of the generic comparison rows.
#[allow(clippy::bool_comparison)]
fn run_binary<E: Exec2>(op: BinaryOp, dtype: DType, b: &Array, exec: E) -> Result<E::Out> {
    use BinaryOp::*;
    let name = op.name();
    let bad = || Err(unsupported(name, dtype));
    macro_rules! numeric {
        ($f:expr) => {
            crate::dispatch_subset!(numeric: dtype, T => exec.same::<T>($f), _ => bad())
        };
    }
    macro_rules! real {
        ($f:expr) => {
            crate::dispatch_subset!(real: dtype, T => exec.same::<T>($f), _ => bad())
        };
    }
    macro_rules! float {
        ($f32:expr, $f64:expr) => {
            crate::dispatch_subset!(float: dtype, T => exec.same::<T>(#[inline(always)] |x: T, y: T| Float::map2(x, y, $f32, $f64)), _ => bad())
        };
    }
    // The polynomial float functions: the heavy loops (up to AVX-512).
    macro_rules! float_heavy {
        ($f32:expr, $f64:expr) => {
            crate::dispatch_subset!(float: dtype, T => exec.same_heavy::<T>(#[inline(always)] |x: T, y: T| Float::map2(x, y, $f32, $f64)), _ => bad())
        };
    }
    macro_rules! compare {
        ($cmp:expr) => {
            crate::dispatch!(dtype, T => exec.to::<T, bool>(|x: T, y: T| $cmp(x, y)))
        };
    }
    macro_rules! ordered {
        ($cmp:expr) => {
            crate::dispatch_subset!(real: dtype, T => exec.to::<T, bool>(|x: T, y: T| $cmp(x, y)),
                _ => if dtype == DType::Bool { exec.to::<bool, bool>(|x: bool, y: bool| $cmp(x, y)) } else { bad() })
        };
    }
    macro_rules! bits {
        ($f:expr, $fb:expr) => {
            crate::dispatch_subset!(int: dtype, T => exec.same::<T>($f),
                _ => if dtype == DType::Bool { exec.same::<bool>($fb) } else { bad() })
        };
    }
    match op {
        Add => numeric!(|x: T, y: T| Numeric::add(x, y)),
        Subtract => numeric!(|x: T, y: T| Numeric::sub(x, y)),
        Multiply => numeric!(|x: T, y: T| Numeric::mul(x, y)),
        Divide => match dtype {
            DType::Complex64 => exec.same::<c64>(ComplexFloat::quot),
            DType::Complex128 => exec.same::<c128>(ComplexFloat::quot),
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
        Atan2 => float_heavy!(vmath::atan2_f32, vmath::atan2_f64),
        Hypot => float_heavy!(vmath::hypot_f32, vmath::hypot_f64),
        Copysign => float!(f32::copysign, f64::copysign),
        Logaddexp => float_heavy!(vmath::logaddexp_f32, vmath::logaddexp_f64),
        NextAfter => {
            crate::dispatch_subset!(float: dtype, T => exec.same::<T>(|x: T, y: T| Float::next_after(x, y)), _ => bad())
        }
        Equal => compare!(|x, y| x == y),
        NotEqual => compare!(|x, y| x != y),
        Less => ordered!(|x, y| x < y),
        LessEqual => ordered!(|x, y| x <= y),
        Greater => ordered!(|x, y| x > y),
        GreaterEqual => ordered!(|x, y| x >= y),
        LogicalAnd => exec.same::<bool>(|x, y| x & y),
        LogicalOr => exec.same::<bool>(|x, y| x | y),
        LogicalXor => exec.same::<bool>(|x, y| x ^ y),
        BitwiseAnd => bits!(|x: T, y: T| Integer::bitand(x, y), |x, y| x & y),
        BitwiseOr => bits!(|x: T, y: T| Integer::bitor(x, y), |x, y| x | y),
        BitwiseXor => bits!(|x: T, y: T| Integer::bitxor(x, y), |x, y| x ^ y),
        LeftShift => {
            crate::dispatch_subset!(int: dtype, T => exec.same::<T>(|x: T, y: T| Integer::shl(x, y)), _ => bad())
        }
        RightShift => {
            crate::dispatch_subset!(int: dtype, T => exec.same::<T>(|x: T, y: T| Integer::shr(x, y)), _ => bad())
        }
    }
}

fn check_no_negative_exponent(b: &Array, dtype: DType) -> Result<()> {
    crate::dispatch_subset!(int: dtype, T => {
        if b.iter::<T>()?.any(Integer::is_negative) {
            return Err(Error::invalid("pow", "integers to negative integer powers are not allowed"));
        }
        Ok(())
    }, _ => Ok(()))
}

/// Declares [`UnaryOp`] and one method per operation on [`Array`] (see
/// `binary_ops!`).
macro_rules! unary_ops {
    ($($(#[doc = $doc:literal])+ $op:ident => $method:ident;)*) => {
        /// Unary elementwise operations.
        ///
        /// Each has a method of the same (Array API) name on [`Array`], so
        /// `a.unary(UnaryOp::Exp)` is also `a.exp()`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum UnaryOp {
            $($(#[doc = $doc])+ $op,)*
        }

        impl UnaryOp {
            /// Every unary operation, in table order.
            pub const ALL: &'static [UnaryOp] = &[$(UnaryOp::$op),*];

            /// The Array API name of the operation (also its method's name).
            pub fn name(self) -> &'static str {
                match self {
                    $(UnaryOp::$op => stringify!($method),)*
                }
            }
        }

        /// Unary elementwise functions by name.
        impl Array {
            $(
                $(#[doc = $doc])+
                #[doc = ""]
                #[doc = concat!("`self.unary(UnaryOp::", stringify!($op), ")`: see [`Array::unary`].")]
                pub fn $method(&self) -> Result<Array> {
                    self.unary(UnaryOp::$op)
                }
            )*
        }
    };
}

unary_ops! {
    /// `-x` (integers wrap: `-MIN == MIN`, unsigned `-x == 2^bits - x`).
    Negative => negative;
    /// `+x` (a copy).
    Positive => positive;
    /// `|x|` (complex → real modulus; integers wrap: `abs(MIN) == MIN`).
    Abs => abs;
    /// -1, 0 or 1 (NaN for NaN; complex: `z/|z|`).
    Sign => sign;
    /// `x * x`.
    Square => square;
    /// `1 / x` (integers compute in float, as `sqrt` does).
    Reciprocal => reciprocal;
    /// Square root.
    Sqrt => sqrt;
    /// `e^x`.
    Exp => exp;
    /// `e^x - 1`, accurate near 0.
    Expm1 => expm1;
    /// `2^x`.
    Exp2 => exp2;
    /// Natural logarithm.
    Log => log;
    /// `ln(1 + x)`, accurate near 0.
    Log1p => log1p;
    /// Base-2 logarithm.
    Log2 => log2;
    /// Base-10 logarithm.
    Log10 => log10;
    /// Sine.
    Sin => sin;
    /// Cosine.
    Cos => cos;
    /// Tangent.
    Tan => tan;
    /// Inverse sine.
    Asin => asin;
    /// Inverse cosine.
    Acos => acos;
    /// Inverse tangent.
    Atan => atan;
    /// Hyperbolic sine.
    Sinh => sinh;
    /// Hyperbolic cosine.
    Cosh => cosh;
    /// Hyperbolic tangent.
    Tanh => tanh;
    /// Inverse hyperbolic sine.
    Asinh => asinh;
    /// Inverse hyperbolic cosine.
    Acosh => acosh;
    /// Inverse hyperbolic tangent.
    Atanh => atanh;
    /// Round toward -inf (integers unchanged).
    Floor => floor;
    /// Round toward +inf (integers unchanged).
    Ceil => ceil;
    /// Round toward zero (integers unchanged).
    Trunc => trunc;
    /// Round half to even (integers unchanged; complex: each part).
    Round => round;
    /// Whether NaN (complex: either part).
    IsNan => isnan;
    /// Whether ±inf (complex: either part).
    IsInf => isinf;
    /// Whether neither NaN nor ±inf.
    IsFinite => isfinite;
    /// Whether the sign bit is set (`-0.0` and negative NaN included;
    /// integers: below zero).
    Signbit => signbit;
    /// Logical not (of the truthiness of any dtype).
    LogicalNot => logical_not;
    /// `~x` for integers and bools.
    BitwiseInvert => bitwise_invert;
    /// Complex conjugate (identity for real numbers; not defined for bool).
    Conj => conj;
    /// Real part (identity for real numbers).
    Real => real;
    /// Imaginary part (zeros for real numbers).
    Imag => imag;
}

/// Ops that need no loop for some dtypes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shortcut {
    /// The result is the input.
    Copy,
    /// Every element of the result (of the resolved dtype) is this bool.
    Fill(bool),
}

impl UnaryOp {
    /// The operation with this Array API name.
    pub fn from_name(name: &str) -> Option<UnaryOp> {
        UnaryOp::ALL.iter().copied().find(|op| op.name() == name)
    }

    /// Whether the operation is one of the float functions that integer and
    /// bool inputs compute in a float dtype for.
    fn is_float_function(self) -> bool {
        self == UnaryOp::Reciprocal || self.is_transcendental()
    }

    /// `(compute dtype, result dtype)` for an operand of dtype `d`.
    pub fn resolve(self, d: DType) -> Result<(DType, DType)> {
        use UnaryOp::*;
        let k = d.kind();
        let unsupported = || Err(unsupported(self.name(), d));
        if self.is_float_function() {
            return match k {
                Kind::Float | Kind::Complex => Ok((d, d)),
                _ => smallest_float(d).map(|f| (f, f)),
            };
        }
        match self {
            Negative | Positive | Square | Sign | Round => {
                if k == Kind::Bool {
                    unsupported()
                } else {
                    Ok((d, d))
                }
            }
            Abs => match k {
                Kind::Bool => unsupported(),
                _ => Ok((d, d.real())),
            },
            Floor | Ceil | Trunc => match k {
                Kind::UnsignedInt | Kind::SignedInt | Kind::Float => Ok((d, d)),
                _ => unsupported(),
            },
            IsNan | IsInf | IsFinite => Ok((d, DType::Bool)),
            Signbit => match k {
                Kind::Complex => unsupported(),
                _ => Ok((d, DType::Bool)),
            },
            LogicalNot => Ok((DType::Bool, DType::Bool)),
            BitwiseInvert => match k {
                Kind::Bool | Kind::UnsignedInt | Kind::SignedInt => Ok((d, d)),
                _ => unsupported(),
            },
            Conj => match k {
                Kind::Bool => unsupported(),
                _ => Ok((d, d)),
            },
            Real | Imag => Ok((d, d.real())),
            _ => unreachable!("float functions resolve above"),
        }
    }

    /// Whether the result for dtype `d` needs no loop.
    fn shortcut(self, d: DType) -> Option<Shortcut> {
        use UnaryOp::*;
        let k = d.kind();
        let exact = matches!(k, Kind::Bool | Kind::UnsignedInt | Kind::SignedInt);
        match self {
            Positive => Some(Shortcut::Copy),
            Floor | Ceil | Trunc | Round if exact => Some(Shortcut::Copy),
            Conj | Real if k != Kind::Complex => Some(Shortcut::Copy),
            Imag if k != Kind::Complex => Some(Shortcut::Fill(false)),
            IsNan | IsInf if exact => Some(Shortcut::Fill(false)),
            IsFinite if exact => Some(Shortcut::Fill(true)),
            Signbit if k == Kind::Bool => Some(Shortcut::Fill(false)),
            _ => None,
        }
    }
}

/// `1 / z` as NumPy's loop computes it (NaN for zero).
fn complex_reciprocal<R: Float, T: ComplexFloat<Real = R> + From<Complex<R>>>(z: T) -> T {
    let (a, b) = (z.re(), z.im());
    let one = R::from_f64(1.0);
    let div = |x: R, y: R| x.map2(y, |p, q| p / q, |p, q| p / q);
    let (re, im) = if scalar::Real::abs(b) <= scalar::Real::abs(a) {
        let r = div(b, a);
        let d = a.add(b.mul(r));
        (div(one, d), div(r, d).neg())
    } else {
        let r = div(a, b);
        let d = a.mul(r).add(b);
        (div(r, d), div(one, d).neg())
    };
    T::from(Complex::new(re, im))
}

/// `e^z - 1` as NumPy computes it (accurate for small real parts).
fn complex_expm1(z: c128) -> c128 {
    let a = (z.im / 2.0).sin();
    Complex::new(z.re.exp_m1() * z.im.cos() - 2.0 * a * a, z.re.exp() * z.im.sin())
}

/// `ln(1 + z)`, accurate near 0 (NumPy's `log(hypot(1 + x, y))` loses the
/// real part's digits there).
fn complex_log1p(z: c128) -> c128 {
    let (x, y) = (z.re, z.im);
    if x.abs() < 0.5 && y.abs() < 0.5 {
        // |1 + z|² − 1 = x(2 + x) + y², without cancellation.
        Complex::new(0.5 * (x * (2.0 + x) + y * y).ln_1p(), y.atan2(1.0 + x))
    } else {
        cmath::ln(Complex::new(1.0 + x, y))
    }
}

macro_rules! transcendental {
    ($($op:ident: $f32:expr, $f64:expr, $c:expr;)*) => {
        /// Float and complex implementations of the transcendental unary
        /// functions: one row per function.
        fn run_transcendental<E: Exec1>(op: UnaryOp, dtype: DType, exec: E) -> Result<E::Out> {
            match op {
                $(UnaryOp::$op => crate::dispatch_subset!(float: dtype, T => exec.same_heavy::<T>(#[inline(always)] |x: T| Float::map(x, $f32, $f64)),
                    _ => crate::dispatch_subset!(complex: dtype, T => exec.same::<T>(|z: T| ComplexFloat::map_c(z, $c)),
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
    Sqrt: f32::sqrt, f64::sqrt, cmath::sqrt;
    Exp: vmath::exp_f32, vmath::exp_f64, cmath::exp;
    Expm1: vmath::expm1_f32, vmath::expm1_f64, complex_expm1;
    Exp2: vmath::exp2_f32, vmath::exp2_f64, |z| cmath::exp(z * std::f64::consts::LN_2);
    Log: vmath::ln_f32, vmath::ln_f64, cmath::ln;
    Log1p: vmath::log1p_f32, vmath::log1p_f64, complex_log1p;
    Log2: vmath::log2_f32, vmath::log2_f64, |z| cmath::ln(z) * std::f64::consts::LOG2_E;
    Log10: vmath::log10_f32, vmath::log10_f64, |z| cmath::ln(z) * std::f64::consts::LOG10_E;
    Sin: vmath::sin_f32, vmath::sin_f64, cmath::sin;
    Cos: vmath::cos_f32, vmath::cos_f64, cmath::cos;
    Tan: vmath::tan_f32, vmath::tan_f64, cmath::tan;
    Asin: vmath::asin_f32, vmath::asin_f64, cmath::asin;
    Acos: vmath::acos_f32, vmath::acos_f64, cmath::acos;
    Atan: vmath::atan_f32, vmath::atan_f64, cmath::atan;
    Sinh: vmath::sinh_f32, vmath::sinh_f64, cmath::sinh;
    Cosh: vmath::cosh_f32, vmath::cosh_f64, cmath::cosh;
    Tanh: vmath::tanh_f32, vmath::tanh_f64, cmath::tanh;
    Asinh: vmath::asinh_f32, vmath::asinh_f64, cmath::asinh;
    Acosh: vmath::acosh_f32, vmath::acosh_f64, cmath::acosh;
    Atanh: vmath::atanh_f32, vmath::atanh_f64, cmath::atanh;
}

/// A [`Split`] from its parts (a call, so that the closures can carry
/// `#[inline(always)]`).
fn split<F, G, P>(fast: F, full: G, rare: P) -> Split<F, G, P> {
    Split { fast, full, rare }
}

/// The typed loop of a unary op whose operand is already of the compute
/// dtype `dtype` (see [`UnaryOp::resolve`]) and which has no
/// [`Shortcut`] for it.
fn run_unary<E: Exec1>(op: UnaryOp, dtype: DType, exec: E) -> Result<E::Out> {
    use UnaryOp::*;
    let bad = || Err(unsupported(op.name(), dtype));
    if op.is_transcendental() {
        // The transcendentals with a cheaper form on most blocks: `fast` on
        // blocks where no element satisfies `rare`, `full` (which selects
        // `fast` itself below its bound, so the bits are the same whichever
        // path a block takes) on the others.
        macro_rules! split {
            ($t:ty, $fast:path, $full:path, $rare:path) => {
                return exec.same_split::<$t>(split(
                    #[inline(always)]
                    |x| $fast(x),
                    #[inline(always)]
                    |x| $full(x),
                    #[inline(always)]
                    |x| $rare(x),
                ))
            };
        }
        match (dtype, op) {
            // float32 sin, cos, tan: the f32 reduction on blocks with every
            // |x| < 2^13.
            (DType::Float32, Sin) => split!(f32, vmath::sin_f32_fast, vmath::sin_f32, vmath::trig_needs_full),
            (DType::Float32, Cos) => split!(f32, vmath::cos_f32_fast, vmath::cos_f32, vmath::trig_needs_full),
            (DType::Float32, Tan) => split!(f32, vmath::tan_f32_fast, vmath::tan_f32, vmath::trig_needs_full),
            // float32 ln, log2, log10: without the special values and
            // subnormal scaling on blocks of positive normal finite inputs.
            (DType::Float32, Log) => split!(f32, vmath::ln_f32_fast, vmath::ln_f32, vmath::log_needs_full),
            (DType::Float32, Log2) => split!(f32, vmath::log2_f32_fast, vmath::log2_f32, vmath::log_needs_full),
            (DType::Float32, Log10) => split!(f32, vmath::log10_f32_fast, vmath::log10_f32, vmath::log_needs_full),
            // float64 sin, cos, tan: the vectorised reduction on blocks with
            // every |x| < 2^20, libm per element on the others.
            (DType::Float64, Sin) => split!(f64, vmath::sin_f64_fast, vmath::sin_f64, vmath::trig64_needs_full),
            (DType::Float64, Cos) => split!(f64, vmath::cos_f64_fast, vmath::cos_f64, vmath::trig64_needs_full),
            (DType::Float64, Tan) => split!(f64, vmath::tan_f64_fast, vmath::tan_f64, vmath::trig64_needs_full),
            _ => {}
        }
        return run_transcendental(op, dtype, exec);
    }
    match op {
        Negative => crate::dispatch_subset!(numeric: dtype, T => exec.same::<T>(|x: T| Numeric::neg(x)), _ => bad()),
        Square => crate::dispatch_subset!(numeric: dtype, T => exec.same::<T>(|x: T| Numeric::mul(x, x)), _ => bad()),
        Sign => crate::dispatch_subset!(numeric: dtype, T => exec.same::<T>(|x: T| Numeric::sign(x)), _ => bad()),
        Reciprocal => match dtype {
            DType::Complex64 => exec.same::<c64>(complex_reciprocal),
            DType::Complex128 => exec.same::<c128>(complex_reciprocal),
            _ => {
                crate::dispatch_subset!(float: dtype, T => exec.same::<T>(|x: T| Float::map(x, |v| 1.0 / v, |v| 1.0 / v)), _ => bad())
            }
        },
        Abs => crate::dispatch_subset!(real: dtype, T => exec.same::<T>(|x: T| scalar::Real::abs(x)),
            _ => crate::dispatch_subset!(complex: dtype, T => exec.to::<T, <T as ComplexFloat>::Real>(|z: T| ComplexFloat::modulus(z)), _ => bad())),
        Floor => {
            crate::dispatch_subset!(float: dtype, T => exec.same::<T>(|x: T| Float::map(x, f32::floor, f64::floor)), _ => bad())
        }
        Ceil => {
            crate::dispatch_subset!(float: dtype, T => exec.same::<T>(|x: T| Float::map(x, f32::ceil, f64::ceil)), _ => bad())
        }
        Trunc => {
            crate::dispatch_subset!(float: dtype, T => exec.same::<T>(|x: T| Float::map(x, f32::trunc, f64::trunc)), _ => bad())
        }
        Round => {
            crate::dispatch_subset!(float: dtype, T => exec.same::<T>(|x: T| Float::map(x, f32::round_ties_even, f64::round_ties_even)),
            _ => crate::dispatch_subset!(complex: dtype, T => exec.same::<T>(|z: T| ComplexFloat::map_parts(z, f32::round_ties_even, f64::round_ties_even)), _ => bad()))
        }
        IsNan => {
            crate::dispatch_subset!(numeric: dtype, T => exec.to::<T, bool>(|x: T| Numeric::is_nan(x)), _ => bad())
        }
        IsInf => {
            crate::dispatch_subset!(numeric: dtype, T => exec.to::<T, bool>(|x: T| Numeric::is_inf(x)), _ => bad())
        }
        IsFinite => {
            crate::dispatch_subset!(numeric: dtype, T => exec.to::<T, bool>(|x: T| !Numeric::is_inf(x) && !Numeric::is_nan(x)), _ => bad())
        }
        Signbit => crate::dispatch_subset!(float: dtype, T => exec.to::<T, bool>(|x: T| Float::signbit(x)),
            _ => crate::dispatch_subset!(int: dtype, T => exec.to::<T, bool>(|x: T| Integer::is_negative(x)), _ => bad())),
        LogicalNot => exec.same::<bool>(|x| !x),
        BitwiseInvert => crate::dispatch_subset!(int: dtype, T => exec.same::<T>(|x: T| Integer::invert(x)),
            _ => if dtype == DType::Bool { exec.same::<bool>(|x| !x) } else { bad() }),
        Conj => crate::dispatch_subset!(complex: dtype, T => exec.same::<T>(|z: T| ComplexFloat::conj(z)), _ => bad()),
        Real => {
            crate::dispatch_subset!(complex: dtype, T => exec.to::<T, <T as ComplexFloat>::Real>(|z: T| ComplexFloat::re(z)), _ => bad())
        }
        Imag => {
            crate::dispatch_subset!(complex: dtype, T => exec.to::<T, <T as ComplexFloat>::Real>(|z: T| ComplexFloat::im(z)), _ => bad())
        }
        _ => bad(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_name_every_op_once() {
        for op in BinaryOp::ALL {
            assert_eq!(BinaryOp::from_name(op.name()), Some(*op));
        }
        for op in UnaryOp::ALL {
            assert_eq!(UnaryOp::from_name(op.name()), Some(*op));
        }
        assert_eq!(BinaryOp::LeftShift.name(), "bitwise_left_shift");
        assert_eq!(UnaryOp::from_name("nope"), None);
    }

    #[test]
    fn every_resolved_unary_dtype_is_what_the_loop_returns() {
        for &op in UnaryOp::ALL {
            for d in DType::ALL {
                let a = Array::zeros(&[2], d).unwrap();
                match (op.resolve(d), a.unary(op)) {
                    (Ok((_, out)), Ok(r)) => assert_eq!(r.dtype(), out, "{} of {d}", op.name()),
                    (Err(_), Err(_)) => {}
                    (x, y) => panic!("{} of {d}: resolve {:?}, run {:?}", op.name(), x.is_ok(), y.map(|r| r.dtype())),
                }
            }
        }
    }
}
