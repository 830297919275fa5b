//! `ox.Expr`: fused elementwise expressions from Python, and `ox.lazy`.
//!
//! Eager NumPy-style code such as `(x - m) / s` makes one pass per
//! operator and writes a full-size temporary between them. An `ox.Expr`
//! is the same code written lazily: the operators (`+ - * / // % ** & | ^
//! << >>`, unary `-`, `+`, `~`, `abs()`, the comparisons) and the
//! module's elementwise functions (`ox.exp`, `ox.maximum`, …) applied to
//! an `Expr` build a new `Expr` instead of computing, and
//! [`eval`](PyExpr::eval) runs the whole tree in one pass with
//! [`oxarray::Expr::eval`] (blocks that stay in the L1 cache, both cores,
//! streamed stores for large results) and the GIL released:
//!
//! ```python
//! x, m, s = ox.asarray(data), ox.mean(data, axis=0), ox.std(data, axis=0)
//! y = ((ox.lazy(x) - m) / s).eval()   # one pass, no temporary
//! ```
//!
//! The result is exactly the eager ops' one (core's guarantee): the same
//! dtype, shape, bits and errors as evaluating the tree node by node with
//! the core's eager ops. Python scalars are weak operands
//! ([`oxarray::Expr::scalar`], converted by the core's
//! `Array::binary_scalar` rules), exactly as in the eager Python operators
//! and functions, which call `Array::binary_scalar` too: `f(x)` and
//! `ox.fuse(f)(x)` agree on NumPy's answers for an integer out of an
//! integer array's range in a comparison (`int8_array < 1000` is all
//! `True`) or a true division (`int8_array / 300` divides in float64), and
//! for a float beyond a float16 array's range (`+ 1e6` rounds to `inf`).
//! Python ints are taken up to 128 bits in both (a comparison with one is
//! exact, arithmetic with one beyond 64 bits an `OverflowError`); larger
//! ones are refused with an `OverflowError` (NumPy answers comparisons
//! with them).
//!
//! **Every `Expr` holds at least one array**, so evaluating one never
//! meets the core's "only scalars" error: the class has no constructor,
//! `ox.lazy` refuses Python scalars, and every other way to make an
//! `Expr` (an operator or an elementwise function) has an `Expr` operand,
//! whose arrays the new tree keeps.
//!
//! Array operands are held as handles, not copies: an `ox.Array` that is
//! written to after the `Expr` was built copies first (copy-on-write), so
//! the `Expr` computes with the values it was built from. Memory imported
//! from another library (a NumPy array) is viewed, as `ox.asarray` does:
//! a later write through that library shows in the result.

use oxarray::{BinaryOp, Expr, UnaryOp, broadcast_shapes};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use crate::array::{PyArray, as_array};
use crate::creation::to_array;
use crate::errors::run_sized;
use crate::scalar::PyScalar;

/// A lazy elementwise expression (`oxarray.Expr`): build it with
/// `ox.lazy(x)` and the operators or elementwise functions, compute it
/// with `.eval()` in one pass.
#[pyclass(module = "oxarray", name = "Expr", frozen)]
pub(crate) struct PyExpr {
    expr: Expr,
    /// The result's shape when the operands broadcast (the longest
    /// operand's otherwise; evaluation then reports the error): only used
    /// to decide whether evaluation releases the GIL.
    shape: Vec<usize>,
}

impl PyExpr {
    fn new(expr: Expr, shape: Vec<usize>) -> PyExpr {
        PyExpr { expr, shape }
    }

    /// `op(left, right)`.
    fn binary(op: BinaryOp, left: PyExpr, right: PyExpr) -> PyExpr {
        let shape = match broadcast_shapes(&[&left.shape, &right.shape]) {
            Ok(shape) => shape,
            Err(_) if left.shape.len() >= right.shape.len() => left.shape,
            Err(_) => right.shape,
        };
        PyExpr::new(Expr::binary(op, left.expr, right.expr), shape)
    }

    /// `op(self)`.
    fn unary(&self, op: UnaryOp) -> PyExpr {
        PyExpr::new(self.expr.clone().apply(op), self.shape.clone())
    }

    fn copy(&self) -> PyExpr {
        PyExpr::new(self.expr.clone(), self.shape.clone())
    }
}

/// `obj` as an operand of an expression: an `ox.Expr` as it is, an
/// `ox.Array` as a handle (no copy), a Python `bool`/`int`/`float`/
/// `complex` as a weak scalar, any other array-like through
/// `ox.asarray`'s import; `None` for anything else.
fn operand(obj: &Bound<'_, PyAny>) -> PyResult<Option<PyExpr>> {
    if let Ok(e) = obj.cast::<PyExpr>() {
        return Ok(Some(e.get().copy()));
    }
    if let Some(a) = as_array(obj) {
        let shape = a.shape().to_vec();
        return Ok(Some(PyExpr::new(Expr::from(a), shape)));
    }
    if let Some(s) = PyScalar::extract_weak(obj)? {
        return Ok(Some(PyExpr::new(Expr::scalar(s), vec![])));
    }
    match to_array(obj, None, None) {
        Ok(a) => {
            let shape = a.shape().to_vec();
            Ok(Some(PyExpr::new(Expr::from(a), shape)))
        }
        Err(e) if e.is_instance_of::<PyTypeError>(obj.py()) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether `obj` is an `ox.Expr` (the module functions then build one).
pub(crate) fn is_expr(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyExpr>()
}

fn not_array_like(obj: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!(
        "{} is not array-like",
        obj.get_type().name().map(|n| n.to_string()).unwrap_or_default()
    ))
}

/// `op(x1, x2)` as an `Expr`, for the module functions when an argument
/// is an `Expr`.
pub(crate) fn binary_function(x1: &Bound<'_, PyAny>, x2: &Bound<'_, PyAny>, op: BinaryOp) -> PyResult<Py<PyAny>> {
    let a = operand(x1)?.ok_or_else(|| not_array_like(x1))?;
    let b = operand(x2)?.ok_or_else(|| not_array_like(x2))?;
    Ok(Py::new(x1.py(), PyExpr::binary(op, a, b))?.into_any())
}

/// `op(x)` as an `Expr`, for the module functions; `x` is an `Expr`.
pub(crate) fn unary_function(x: &Bound<'_, PyExpr>, op: UnaryOp) -> PyResult<Py<PyAny>> {
    Ok(Py::new(x.py(), x.get().unary(op))?.into_any())
}

/// `ox.lazy(x)`: an `Expr` over the array-like `x` (an `ox.Array` without
/// copying; a NumPy array or another array-like imported as `ox.asarray`
/// would); an `Expr` is returned as it is.
#[pyfunction]
#[pyo3(signature = (x, /))]
pub(crate) fn lazy(x: &Bound<'_, PyAny>) -> PyResult<PyExpr> {
    if PyScalar::extract_weak(x)?.is_some() {
        return Err(PyTypeError::new_err(format!(
            "ox.lazy needs an array-like, not a Python {}: an expression needs an array (use the scalar directly as \
             an operand of an expression)",
            x.get_type().name()?
        )));
    }
    operand(x)?.ok_or_else(|| not_array_like(x))
}

impl PyExpr {
    /// `self op other` (or `other op self` when `reflected`);
    /// `NotImplemented` when `other` is no operand, so that Python tries
    /// the other side and then raises its `TypeError`.
    fn op(&self, other: &Bound<'_, PyAny>, op: BinaryOp, reflected: bool) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Some(other) = operand(other)? else { return Ok(py.NotImplemented()) };
        let e = if reflected { PyExpr::binary(op, other, self.copy()) } else { PyExpr::binary(op, self.copy(), other) };
        Ok(Py::new(py, e)?.into_any())
    }
}

// Operators, one per line of `BinaryOp` (PyO3 cannot see methods that a
// `macro_rules!` expands inside `#[pymethods]`). No in-place forms: an
// `Expr` is immutable, and Python falls back to the binary operator.
// Python reflects comparisons itself: `1 < e` calls `e > 1`.
#[pymethods]
impl PyExpr {
    fn __add__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Add, false)
    }
    fn __radd__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Add, true)
    }
    fn __sub__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Subtract, false)
    }
    fn __rsub__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Subtract, true)
    }
    fn __mul__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Multiply, false)
    }
    fn __rmul__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Multiply, true)
    }
    fn __truediv__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Divide, false)
    }
    fn __rtruediv__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Divide, true)
    }
    fn __floordiv__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::FloorDivide, false)
    }
    fn __rfloordiv__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::FloorDivide, true)
    }
    fn __mod__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Remainder, false)
    }
    fn __rmod__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Remainder, true)
    }
    fn __and__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::BitwiseAnd, false)
    }
    fn __rand__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::BitwiseAnd, true)
    }
    fn __or__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::BitwiseOr, false)
    }
    fn __ror__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::BitwiseOr, true)
    }
    fn __xor__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::BitwiseXor, false)
    }
    fn __rxor__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::BitwiseXor, true)
    }
    fn __lshift__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::LeftShift, false)
    }
    fn __rlshift__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::LeftShift, true)
    }
    fn __rshift__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::RightShift, false)
    }
    fn __rrshift__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::RightShift, true)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Equal, false)
    }
    fn __ne__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::NotEqual, false)
    }
    fn __lt__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Less, false)
    }
    fn __le__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::LessEqual, false)
    }
    fn __gt__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::Greater, false)
    }
    fn __ge__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.op(other, BinaryOp::GreaterEqual, false)
    }
}

#[pymethods]
impl PyExpr {
    /// `==` builds an elementwise comparison, not a truth value, so an
    /// `Expr` cannot be a dict key or a set member.
    #[classattr]
    const __hash__: Option<Py<PyAny>> = None;

    /// NumPy's operators return `NotImplemented` for this operand, so that
    /// `np_array + expr` reaches `Expr.__radd__` and stays lazy.
    #[classattr]
    fn __array_ufunc__(py: Python<'_>) -> Py<PyAny> {
        py.None()
    }

    fn __pow__(&self, other: &Bound<'_, PyAny>, modulo: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        if modulo.is_some_and(|m| !m.is_none()) {
            return Ok(other.py().NotImplemented());
        }
        self.op(other, BinaryOp::Pow, false)
    }

    fn __rpow__(&self, other: &Bound<'_, PyAny>, modulo: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        if modulo.is_some_and(|m| !m.is_none()) {
            return Ok(other.py().NotImplemented());
        }
        self.op(other, BinaryOp::Pow, true)
    }

    fn __neg__(&self) -> PyExpr {
        self.unary(UnaryOp::Negative)
    }

    fn __pos__(&self) -> PyExpr {
        self.unary(UnaryOp::Positive)
    }

    fn __abs__(&self) -> PyExpr {
        self.unary(UnaryOp::Abs)
    }

    fn __invert__(&self) -> PyExpr {
        self.unary(UnaryOp::BitwiseInvert)
    }

    fn __bool__(&self) -> PyResult<bool> {
        Err(PyTypeError::new_err(
            "the truth value of an ox.Expr is undefined: it is a lazy elementwise expression; call .eval() to compute it",
        ))
    }

    fn __repr__(&self) -> String {
        format!("ox.Expr({})", self.expr)
    }

    /// Computes the expression in one pass (fused where the ops allow,
    /// with exactly the eager ops' dtype, shape, values and errors) and
    /// returns the new array. The GIL is released while it runs.
    pub(crate) fn eval(&self, py: Python<'_>) -> PyResult<PyArray> {
        let elements = self.shape.iter().product();
        run_sized(py, elements, || self.expr.eval()).map(Into::into)
    }
}
