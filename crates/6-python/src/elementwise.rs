//! Operators (`+`, `<`, `&`, …, reflected and in-place) and the Array
//! API's elementwise functions (`ox.add`, `ox.sqrt`, …), each one row of a
//! table below. Python scalars (exactly `bool`, `int`, `float`, `complex`)
//! are weak operands (NEP 50), handed to the core's
//! [`Array::binary_scalar`], which converts them: the same rules, errors
//! and bits as an `ox.Expr` (`int8_array < 1000` is all `True`,
//! `float16_array + 1e6` is `inf`, `uint8_array + 300` is an error naming
//! 300). NumPy scalars and 0-d arrays are strong operands (arrays). The
//! functions build a lazy `ox.Expr` (`expr.rs`) when an argument is one.

use oxarray::{Array, BinaryOp, Index, UnaryOp, Wide};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use crate::array::{PyArray, as_array};
use crate::creation::to_array;
use crate::errors::run_sized;
use crate::expr;
use crate::scalar::PyScalar;

/// The other operand of an operation with an array.
enum Operand {
    /// An array, or an array-like imported as one: a "strong" operand.
    Array(Array),
    /// A Python `bool`, `int`, `float` or `complex`: a "weak" operand,
    /// which the core's [`Array::binary_scalar`] converts (NEP 50).
    Scalar(Wide),
}

/// `other` as an operand: an array as is, a Python scalar as a weak
/// scalar, any other array-like imported; `None` if it is none of these.
fn operand(other: &Bound<'_, PyAny>) -> PyResult<Option<Operand>> {
    if let Some(a) = as_array(other) {
        return Ok(Some(Operand::Array(a)));
    }
    if let Some(s) = PyScalar::extract_weak(other)? {
        return Ok(Some(Operand::Scalar(s)));
    }
    match to_array(other, None, None) {
        Ok(a) => Ok(Some(Operand::Array(a))),
        Err(e) if e.is_instance_of::<PyTypeError>(other.py()) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `a op b` (or `b op a` when `reflected`): [`Array::binary`] with an
/// array, [`Array::binary_scalar`] with a weak scalar.
fn binary_op(a: &Array, b: &Operand, op: BinaryOp, reflected: bool) -> oxarray::Result<Array> {
    match b {
        Operand::Array(b) if reflected => b.binary(a, op),
        Operand::Array(b) => a.binary(b, op),
        Operand::Scalar(s) => a.binary_scalar(*s, op, reflected),
    }
}

/// The number of elements `a op b` works over (for [`run_sized`]).
fn work(a: &Array, b: &Operand) -> usize {
    match b {
        Operand::Array(b) => a.size().max(b.size()),
        Operand::Scalar(_) => a.size(),
    }
}

/// [`binary_op`] as a new Python array, with the GIL released for large
/// arrays.
fn compute(py: Python<'_>, a: &Array, b: &Operand, op: BinaryOp, reflected: bool) -> PyResult<Py<PyAny>> {
    let out: PyArray = run_sized(py, work(a, b), || binary_op(a, b, op, reflected))?.into();
    Ok(Py::new(py, out)?.into_any())
}

/// `a op other` (or `other op a` when `reflected`); `NotImplemented` for
/// operands that are not array-like.
fn forward(py: Python<'_>, a: &Array, other: &Bound<'_, PyAny>, op: BinaryOp, reflected: bool) -> PyResult<Py<PyAny>> {
    // Another oxarray array is borrowed as it is: no new handle to build.
    if let Ok(other) = other.cast::<PyArray>() {
        let b = &other.borrow().array;
        let (x, y) = if reflected { (b, a) } else { (a, b) };
        let out: PyArray = run_sized(py, x.size().max(y.size()), || x.binary(y, op))?.into();
        return Ok(Py::new(py, out)?.into_any());
    }
    let Some(b) = operand(other)? else { return Ok(py.NotImplemented()) };
    compute(py, a, &b, op, reflected)
}

/// `a op= other`: computes `a op other` and writes it back into `a`, which
/// keeps its dtype and shape (the result must cast safely and broadcast).
/// An `ox.Expr` operand is evaluated first (one fused pass), so
/// `x += ox.lazy(y) * 2` updates `x` and does not rebind it to an `Expr`.
fn in_place(py: Python<'_>, a: &mut Array, other: &Bound<'_, PyAny>, op: BinaryOp) -> PyResult<()> {
    let b = match other.cast::<expr::PyExpr>() {
        Ok(e) => Some(Operand::Array(e.get().eval(py)?.array)),
        Err(_) => operand(other)?,
    };
    let b = b.ok_or_else(|| {
        PyTypeError::new_err(format!(
            "unsupported operand type for {}: {}",
            op.name(),
            other.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
    })?;
    run_sized(py, work(a, &b), move || {
        let result = binary_op(a, &b, op, false)?;
        a.assign(&[Index::Ellipsis], &result)
    })
}

fn unary(py: Python<'_>, a: &Array, op: UnaryOp) -> PyResult<PyArray> {
    run_sized(py, a.size(), || a.unary(op)).map(Into::into)
}

// Operators, one per line of `BinaryOp` (PyO3 cannot see methods that a
// `macro_rules!` expands inside `#[pymethods]`, so they are written out).
// Python reflects comparisons itself: `1 < x` calls `x > 1`.
#[pymethods]
impl PyArray {
    fn __add__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Add, false)
    }
    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Add, true)
    }
    fn __iadd__(&mut self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(py, &mut self.array, other, BinaryOp::Add)
    }
    fn __sub__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Subtract, false)
    }
    fn __rsub__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Subtract, true)
    }
    fn __isub__(&mut self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(py, &mut self.array, other, BinaryOp::Subtract)
    }
    fn __mul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Multiply, false)
    }
    fn __rmul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Multiply, true)
    }
    fn __imul__(&mut self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(py, &mut self.array, other, BinaryOp::Multiply)
    }
    fn __truediv__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Divide, false)
    }
    fn __rtruediv__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Divide, true)
    }
    fn __itruediv__(&mut self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(py, &mut self.array, other, BinaryOp::Divide)
    }
    fn __floordiv__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::FloorDivide, false)
    }
    fn __rfloordiv__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::FloorDivide, true)
    }
    fn __ifloordiv__(&mut self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(py, &mut self.array, other, BinaryOp::FloorDivide)
    }
    fn __mod__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Remainder, false)
    }
    fn __rmod__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Remainder, true)
    }
    fn __imod__(&mut self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(py, &mut self.array, other, BinaryOp::Remainder)
    }
    fn __and__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::BitwiseAnd, false)
    }
    fn __rand__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::BitwiseAnd, true)
    }
    fn __iand__(&mut self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(py, &mut self.array, other, BinaryOp::BitwiseAnd)
    }
    fn __or__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::BitwiseOr, false)
    }
    fn __ror__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::BitwiseOr, true)
    }
    fn __ior__(&mut self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(py, &mut self.array, other, BinaryOp::BitwiseOr)
    }
    fn __xor__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::BitwiseXor, false)
    }
    fn __rxor__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::BitwiseXor, true)
    }
    fn __ixor__(&mut self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(py, &mut self.array, other, BinaryOp::BitwiseXor)
    }
    fn __lshift__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::LeftShift, false)
    }
    fn __rlshift__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::LeftShift, true)
    }
    fn __ilshift__(&mut self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(py, &mut self.array, other, BinaryOp::LeftShift)
    }
    fn __rshift__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::RightShift, false)
    }
    fn __rrshift__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::RightShift, true)
    }
    fn __irshift__(&mut self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        in_place(py, &mut self.array, other, BinaryOp::RightShift)
    }
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Equal, false)
    }
    fn __ne__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::NotEqual, false)
    }
    fn __lt__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Less, false)
    }
    fn __le__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::LessEqual, false)
    }
    fn __gt__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::Greater, false)
    }
    fn __ge__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        forward(py, &self.array, other, BinaryOp::GreaterEqual, false)
    }
}

#[pymethods]
impl PyArray {
    fn __pow__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if modulo.is_some_and(|m| !m.is_none()) {
            return Ok(py.NotImplemented());
        }
        forward(py, &self.array, other, BinaryOp::Pow, false)
    }

    fn __rpow__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if modulo.is_some_and(|m| !m.is_none()) {
            return Ok(py.NotImplemented());
        }
        forward(py, &self.array, other, BinaryOp::Pow, true)
    }

    fn __ipow__(
        &mut self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let _ = modulo;
        in_place(py, &mut self.array, other, BinaryOp::Pow)
    }

    fn __neg__(&self, py: Python<'_>) -> PyResult<PyArray> {
        unary(py, &self.array, UnaryOp::Negative)
    }

    fn __pos__(&self, py: Python<'_>) -> PyResult<PyArray> {
        unary(py, &self.array, UnaryOp::Positive)
    }

    fn __abs__(&self, py: Python<'_>) -> PyResult<PyArray> {
        unary(py, &self.array, UnaryOp::Abs)
    }

    fn __invert__(&self, py: Python<'_>) -> PyResult<PyArray> {
        unary(py, &self.array, UnaryOp::BitwiseInvert)
    }
}

/// `op(x1, x2)` for the module functions: either argument may be a Python
/// scalar (weak), the other an array-like. When either is an `ox.Expr`,
/// the result is the lazy `ox.Expr` of the call.
fn binary_function(x1: &Bound<'_, PyAny>, x2: &Bound<'_, PyAny>, op: BinaryOp) -> PyResult<Py<PyAny>> {
    let py = x1.py();
    if expr::is_expr(x1) || expr::is_expr(x2) {
        return expr::binary_function(x1, x2, op);
    }
    let not_array = |x: &Bound<'_, PyAny>| {
        PyTypeError::new_err(format!(
            "{} is not array-like",
            x.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
    };
    // A weak scalar first and an array-like second is the reflected form
    // of `op(x2, x1)`; otherwise `x1` is the array (a 0-d one if both are
    // Python scalars, as in NumPy).
    let (a, b, reflected) = match PyScalar::extract_weak(x1)? {
        Some(s) if PyScalar::extract_weak(x2)?.is_none() => (to_array(x2, None, None)?, Operand::Scalar(s), true),
        _ => (to_array(x1, None, None)?, operand(x2)?.ok_or_else(|| not_array(x2))?, false),
    };
    compute(py, &a, &b, op, reflected)
}

/// `op(x)` for the module functions: an `ox.Expr` gives the lazy `ox.Expr`
/// of the call, any other array-like the computed array.
fn unary_function(x: &Bound<'_, PyAny>, op: UnaryOp) -> PyResult<Py<PyAny>> {
    if let Ok(e) = x.cast::<expr::PyExpr>() {
        return expr::unary_function(e, op);
    }
    let out = unary(x.py(), &to_array(x, None, None)?, op)?;
    Ok(Py::new(x.py(), out)?.into_any())
}

/// One `#[pyfunction]` per row, registered by `register`.
macro_rules! functions {
    (binary: $($bname:ident => $bop:ident),* ; unary: $($uname:ident => $uop:ident),* $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($bname), "(x1, x2, /)`, elementwise with broadcasting (lazy: an `ox.Expr` when either argument is one).")]
            #[pyfunction]
            #[pyo3(signature = (x1, x2, /))]
            fn $bname(x1: &Bound<'_, PyAny>, x2: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                binary_function(x1, x2, BinaryOp::$bop)
            }
        )*
        $(
            #[doc = concat!("`", stringify!($uname), "(x, /)`, elementwise (lazy: an `ox.Expr` when `x` is one).")]
            #[pyfunction]
            #[pyo3(signature = (x, /))]
            fn $uname(x: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                unary_function(x, UnaryOp::$uop)
            }
        )*
        /// Adds the elementwise functions to the module.
        pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $(m.add_function(wrap_pyfunction!($bname, m)?)?;)*
            $(m.add_function(wrap_pyfunction!($uname, m)?)?;)*
            Ok(())
        }
    };
}

functions! {
    binary:
    add => Add,
    subtract => Subtract,
    multiply => Multiply,
    divide => Divide,
    floor_divide => FloorDivide,
    remainder => Remainder,
    pow => Pow,
    maximum => Maximum,
    minimum => Minimum,
    atan2 => Atan2,
    hypot => Hypot,
    copysign => Copysign,
    logaddexp => Logaddexp,
    nextafter => NextAfter,
    equal => Equal,
    not_equal => NotEqual,
    less => Less,
    less_equal => LessEqual,
    greater => Greater,
    greater_equal => GreaterEqual,
    logical_and => LogicalAnd,
    logical_or => LogicalOr,
    logical_xor => LogicalXor,
    bitwise_and => BitwiseAnd,
    bitwise_or => BitwiseOr,
    bitwise_xor => BitwiseXor,
    bitwise_left_shift => LeftShift,
    bitwise_right_shift => RightShift;
    unary:
    negative => Negative,
    positive => Positive,
    abs => Abs,
    sign => Sign,
    square => Square,
    reciprocal => Reciprocal,
    sqrt => Sqrt,
    exp => Exp,
    expm1 => Expm1,
    exp2 => Exp2,
    log => Log,
    log1p => Log1p,
    log2 => Log2,
    log10 => Log10,
    sin => Sin,
    cos => Cos,
    tan => Tan,
    asin => Asin,
    acos => Acos,
    atan => Atan,
    sinh => Sinh,
    cosh => Cosh,
    tanh => Tanh,
    asinh => Asinh,
    acosh => Acosh,
    atanh => Atanh,
    floor => Floor,
    ceil => Ceil,
    trunc => Trunc,
    round => Round,
    isnan => IsNan,
    isinf => IsInf,
    isfinite => IsFinite,
    signbit => Signbit,
    logical_not => LogicalNot,
    bitwise_invert => BitwiseInvert,
    conj => Conj,
    real => Real,
    imag => Imag,
}
