"""Fused expressions (`ox.Expr`, `ox.lazy`, `ox.fuse`) against the eager ops.

An expression evaluated in one pass must give the eager ox result bit for
bit (dtype, shape, values, the sign of zeros; NaN payloads aside) or the
same error, on every dtype, broadcasting corner and memory layout; and
NumPy's result where NumPy has the dtype.
"""

import ast
import os
import operator
import pathlib
import subprocess
import sys

import numpy as np
import pytest
from conftest import DTYPES, sample

import oxarray as ox

ALL_DTYPES = DTYPES + ["bfloat16"]
BINARY_OPS = [
    operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.mod, operator.pow,
    operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift,
    operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge,
]
# The unary functions of the module (the `functions!` table's unary rows).
UNARY = [
    "negative", "positive", "abs", "sign", "square", "reciprocal", "sqrt", "exp", "expm1", "exp2", "log", "log1p",
    "log2", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
    "floor", "ceil", "trunc", "round", "isnan", "isinf", "isfinite", "signbit", "logical_not", "bitwise_invert",
    "conj", "real", "imag",
]
BINARY_FUNCTIONS = [
    "add", "subtract", "multiply", "divide", "floor_divide", "remainder", "pow", "maximum", "minimum", "atan2",
    "hypot", "copysign", "logaddexp", "nextafter", "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
    "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift",
    "bitwise_right_shift",
]
SPECIALS = [0.0, -0.0, 1.0, -1.5, np.nan, np.inf, -np.inf, 5e-324, 1e-310, 2.5, 100.0, -7.0]


def as_numpy(x):
    """The values of `x` as NumPy (bfloat16 widened exactly to float32)."""
    if x.dtype == ox.bfloat16:
        x = x.astype(ox.float32)
    return np.asarray(x)


def assert_bits(got, expected):
    """`got` is the array `expected` is: dtype, shape, values, NaNs and the signs of zeros."""
    assert isinstance(got, ox.Array), type(got)
    assert got.dtype == expected.dtype and got.shape == expected.shape, (got.dtype, got.shape, expected.shape)
    a, b = as_numpy(got), as_numpy(expected)
    assert np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"), (a, b)
    if a.dtype.kind in "fc":
        for part in (np.real, np.imag):
            number = ~np.isnan(part(a))  # a NaN's sign is part of its payload
            assert np.array_equal(np.signbit(part(a))[number], np.signbit(part(b))[number]), (a, b)


def outcome(f):
    """`f()`'s result, or its exception's type and message."""
    try:
        return f()
    except Exception as e:  # noqa: BLE001 - any error must be the eager one
        return (type(e), str(e))


def assert_like_eager(build, *args):
    """`build` on ox arrays computed eagerly and through `ox.fuse` agree,
    errors included (their type and message); returns the result (or the
    error)."""
    arrays = [ox.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
    eager = outcome(lambda: build(*arrays))
    fused = outcome(lambda: ox.fuse(build)(*arrays))
    if isinstance(eager, tuple):
        assert fused == eager
    else:
        assert_bits(fused, eager)
    return eager


def operands(dt, shapes, seed=0):
    """ox arrays of `dt` (bfloat16 made from float32 values) of `shapes`."""
    out = []
    for i, shape in enumerate(shapes):
        if dt == "bfloat16":
            out.append(ox.asarray(sample("float32", shape, seed + i)).astype(ox.bfloat16))
        else:
            out.append(ox.asarray(sample(dt, shape, seed + i)))
    return out


def specials(dt, shape=(3, 4)):
    """An array of `dt` holding NaN, ±inf, ±0.0 and subnormals (floats only)."""
    n = int(np.prod(shape))
    values = np.resize(np.array(SPECIALS), n).reshape(shape)
    if dt.startswith("complex"):
        values = values.astype(complex)
        values.imag = np.resize(np.array(SPECIALS[::-1]), n).reshape(shape)
    base = "float32" if dt == "bfloat16" else dt
    with np.errstate(all="ignore"):
        x = ox.asarray(values.astype(base))
    return x.astype(ox.bfloat16) if dt == "bfloat16" else x


# Operators and functions on every dtype -------------------------------------------------------


@pytest.mark.parametrize("dt", ALL_DTYPES)
@pytest.mark.parametrize("op", BINARY_OPS, ids=lambda f: f.__name__)
def test_operators_on_every_dtype_are_the_eager_result(op, dt):
    x, y = operands(dt, [(3, 4), (4,)])
    assert_like_eager(op, x, y)
    assert_like_eager(lambda a, b: op(op(a, b), b), x, y)  # two fused nodes
    assert_like_eager(lambda a, b: op(b, a * a), x, y)  # reflected broadcast, a product inside
    if dt.startswith(("float", "complex", "bfloat")):
        assert_like_eager(op, specials(dt), specials(dt)[::-1])


@pytest.mark.parametrize("dt", ALL_DTYPES)
@pytest.mark.parametrize("name", UNARY)
def test_unary_functions_on_every_dtype_are_the_eager_result(name, dt):
    f = getattr(ox, name)
    (x,) = operands(dt, [(3, 5)])
    assert_like_eager(f, x)
    assert_like_eager(lambda a: f(+a) if dt != "bool" else f(a), x)
    assert_like_eager(lambda a: f(a * a), x)
    if dt.startswith(("float", "complex", "bfloat")):
        assert_like_eager(f, specials(dt))
        assert_like_eager(lambda a: f(a - 1.5), specials(dt))


@pytest.mark.parametrize("dt", ALL_DTYPES)
@pytest.mark.parametrize("name", BINARY_FUNCTIONS)
def test_binary_functions_on_every_dtype_are_the_eager_result(name, dt):
    f = getattr(ox, name)
    x, y = operands(dt, [(2, 3), (3,)])
    assert_like_eager(f, x, y)
    assert_like_eager(lambda a, b: f(f(a, b), a), x, y)
    if dt.startswith(("float", "complex", "bfloat")):
        assert_like_eager(f, specials(dt), specials(dt).T[::-1].T)


@pytest.mark.parametrize("dt", ["int8", "int32", "uint8", "uint64", "float16", "float32", "float64", "complex64"])
@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv], ids=lambda f: f.__name__)
def test_fused_chains_match_numpy(op, dt):
    a, b = sample(dt, (3, 4), 1), sample(dt, (4,), 2) + 1
    got = ox.fuse(lambda x, y: op(op(x, y), x) * 2)(a, b)
    with np.errstate(all="ignore"):
        expected = op(op(a, b), a) * 2
    assert got.dtype == expected.dtype.name and got.shape == expected.shape
    rtol = {"float16": 2e-3, "float32": 1e-6, "complex64": 1e-6}.get(str(expected.dtype), 1e-12)
    np.testing.assert_allclose(np.asarray(got), expected, rtol=rtol)


def test_float_functions_match_numpy_with_specials():
    x = specials("float64")
    with np.errstate(all="ignore"):
        expected = np.maximum(np.exp(np.asarray(x) * 0.5) - 1.0, 0.0)
        got = ox.fuse(lambda v: ox.maximum(ox.exp(v * 0.5) - 1.0, 0))(x)
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-15)
    assert np.array_equal(np.signbit(np.asarray(got)), np.signbit(expected))


# Weak scalars, promotion, comparisons ---------------------------------------------------------


@pytest.mark.parametrize(
    "dt, scalar",
    [("int8", 3), ("uint8", 200), ("int16", 2.5), ("float32", 2.5), ("float16", 0.1), ("float32", 1j),
     ("bool", 1), ("bool", True), ("int64", True), ("uint64", 2**63 + 5), ("bfloat16", 3.25), ("complex64", 2)],
)
def test_python_scalars_are_weak(dt, scalar):
    (x,) = operands(dt, [(4,)])
    for op in [operator.add, operator.mul, operator.truediv, operator.lt, operator.eq]:
        assert_like_eager(lambda a: op(a, scalar), x)
        assert_like_eager(lambda a: op(scalar, a), x)
        # `(x < 2**63 + 5) + 2**63 + 5` fails in both, with the same message.
        assert_like_eager(lambda a: op(op(a, scalar), scalar), x)


def test_numpy_scalars_are_strong_as_in_eager_code():
    (x,) = operands("float32", [(4,)])
    for s in [np.float64(2.5), np.complex128(1j), np.float32(2.5), np.int64(3)]:
        got = assert_like_eager(lambda a: a * s + 1, x)
        assert got.dtype == (np.ones(1, np.float32) * s).dtype.name


def test_float32_times_a_python_float_stays_float32():
    x = ox.asarray(np.arange(5, dtype=np.float32))
    got = (ox.lazy(x) * 2.5 + 1).eval()
    assert got.dtype == ox.float32
    assert np.array_equal(np.asarray(got), np.arange(5, dtype=np.float32) * 2.5 + 1)


def test_integer_scalar_out_of_range():
    x = ox.asarray(np.arange(5, dtype=np.int8))
    # Arithmetic: the eager error, exception type and message.
    assert_like_eager(lambda a: a + 1000, x)
    assert_like_eager(lambda a: 1000 - a, x)
    with pytest.raises(ValueError, match="1000"):
        (ox.lazy(x) + 1000).eval()
    # Python ints of up to 128 bits are weak scalars too: arithmetic with one that does not fit
    # is an ox.OutOfRangeError (an OverflowError), a comparison is exact; larger ones are refused
    # when the expression is built, as in eager code.
    assert_like_eager(lambda a: a + 2**70, x)
    with pytest.raises(OverflowError, match=str(2**70)):
        (ox.lazy(x) + 2**70).eval()
    assert_like_eager(lambda a: (a < 2**70) & (a > -(2**100)), x)
    assert np.asarray((ox.lazy(x) < 2**70).eval()).all()
    with pytest.raises(OverflowError):
        ox.lazy(x) + 2**200
    with pytest.raises(OverflowError):
        x + 2**200
    # A comparison is answered exactly, as NumPy does (`np.int8 array < 1000` is all True),
    # eagerly and fused alike.
    expected = np.arange(5, dtype=np.int8) < 1000
    assert np.array_equal(np.asarray((ox.lazy(x) < 1000).eval()), expected)
    assert np.array_equal(np.asarray((-1000 < ox.lazy(x)).eval()), expected)
    assert not np.asarray((ox.lazy(x) == 1000).eval()).any()
    for build in [lambda a: a < 1000, lambda a: -1000 < a, lambda a: a == 1000, lambda a: ox.less(1000, a),
                  lambda a: (a >= -129) & (a != 2**63)]:
        assert_like_eager(build, x)
    assert np.array_equal(np.asarray(x < 1000), expected)
    # True division computes in float64, where 300 fits (NumPy's answer too).
    assert np.array_equal(np.asarray((ox.lazy(x) / 300).eval()), np.arange(5, dtype=np.int8) / 300)
    assert_like_eager(lambda a: a / 300, x)
    assert_like_eager(lambda a: ox.divide(300, a + 1), x)


def test_float_scalar_beyond_a_float16s_range_rounds_as_numpy():
    a = np.ones(3, dtype=np.float16)
    with np.errstate(over="ignore"):
        expected = a + 1e6
    got = (ox.lazy(a) + 1e6).eval()
    assert got.dtype == ox.float16 and np.array_equal(np.asarray(got), expected)  # inf
    eager = assert_like_eager(lambda x: x + 1e6, a)
    assert np.array_equal(np.asarray(eager), expected)
    assert_like_eager(lambda x: (x * -1e39 < 0) | (65520.0 == x), a)


@pytest.mark.parametrize("op", [operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge],
                         ids=lambda f: f.__name__)
def test_comparisons_give_bool(op):
    a, b = sample("float32", (3, 4), 1), sample("int16", (4,), 2)
    got = op(ox.lazy(a), b)
    assert isinstance(got, ox.Expr)
    got = got.eval()
    assert got.dtype == ox.bool
    assert np.array_equal(np.asarray(got), op(a, b))


@pytest.mark.parametrize("pair", [("int8", "uint8"), ("int16", "float32"), ("uint32", "int64"), ("float32", "float64"),
                                  ("float16", "complex64"), ("bool", "int8"), ("bfloat16", "float16"),
                                  ("uint64", "int64")])
def test_mixed_dtypes_promote_as_eager(pair):
    x = operands(pair[0], [(3, 4)], 1)[0]
    y = operands(pair[1], [(4,)], 2)[0]
    for op in [operator.add, operator.mul, operator.lt, lambda a, b: ox.maximum(a, b) - a]:
        assert_like_eager(op, x, y)


# Broadcasting, shapes and layouts -------------------------------------------------------------


@pytest.mark.parametrize(
    "shapes",
    [[(3, 4), (4,)], [(3, 4), (3, 1)], [(3, 4), ()], [(), ()], [(1, 4), (3, 1)], [(2, 1, 4), (3, 1)],
     [(0, 4), (4,)], [(0,), ()], [(3, 0), (3, 1)], [(1, 1), (1,)], [(5,), (5,)]],
    ids=str,
)
def test_broadcasting_corners(shapes):
    x, y = operands("float32", shapes)
    assert_like_eager(lambda a, b: (a - b) * (b + 1) / 3, x, y)
    assert_like_eager(lambda a, b: ox.exp(b) < a, x, y)


def test_shapes_that_do_not_broadcast_raise_the_eager_error():
    x, y = operands("float32", [(3, 4), (3,)])
    with pytest.raises(ValueError) as eager:
        x + y
    with pytest.raises(ValueError) as fused:
        (ox.lazy(x) + y).eval()
    assert str(fused.value) == str(eager.value)
    with pytest.raises(ValueError) as nested:
        ox.exp(ox.lazy(x) * 2 + y).eval()
    assert str(nested.value) == str(eager.value)
    assert_like_eager(lambda a, b: (a + 1) * b, x, y)


@pytest.mark.parametrize(
    "view",
    [lambda a: a[::-1], lambda a: a.T, lambda a: a[:, ::2], lambda a: a[::-2, 1:], lambda a: a[1]],
    ids=["reversed", "transposed", "step2", "negstep", "row"],
)
@pytest.mark.parametrize("dt", ["float32", "int16", "complex128"])
def test_strided_views(view, dt):
    (x,) = operands(dt, [(6, 6)])
    v = view(x)
    assert_like_eager(lambda a, b: a * b - a, v, view(x[::-1]))
    assert_like_eager(lambda a, b: ox.abs(a) + b, v, x[0, : v.shape[-1]] if v.ndim else x[0, 0])


def test_zero_d_arrays():
    x, y = operands("float64", [(), ()])
    got = assert_like_eager(lambda a, b: a * b + 1, x, y)
    assert got.shape == ()


def test_numpy_arrays_as_operands():
    a, b = sample("float32", (3, 4), 1), sample("float32", (4,), 2)
    e = ox.lazy(a) + b
    assert isinstance(e, ox.Expr)
    r = b * ox.lazy(a)  # NumPy defers to Expr (__array_ufunc__ = None)
    assert isinstance(r, ox.Expr)
    assert np.array_equal(np.asarray(r.eval()), b * a)
    assert np.array_equal(np.asarray((b < ox.lazy(a)).eval()), b < a)
    assert np.array_equal(np.asarray(e.eval()), a + b)
    assert np.array_equal(np.asarray((ox.lazy(a) - [1.0, 2.0, 3.0, 4.0]).eval()), a - np.array([1, 2, 3, 4.0]))
    x = ox.asarray(a)
    r = x + ox.lazy(b)  # ox.Array defers too
    assert isinstance(r, ox.Expr) and np.array_equal(np.asarray(r.eval()), a + b)


def test_a_result_on_the_parallel_streamed_path():
    # 17M float32: a 68 MB result, above the size where stores are streamed.
    rng = np.random.default_rng(0)
    a = rng.standard_normal((1 << 18) + 7, dtype=np.float32)
    x = ox.asarray(np.resize(a, (17 * 1024 * 1024 // 64, 64)))
    m, s = ox.asarray(a[:64]), ox.asarray(np.abs(a[64:128]) + 0.5)
    eager = (x - m) / s
    fused = ox.fuse(lambda x, m, s: (x - m) / s)(x, m, s)
    assert fused.nbytes >= 64 << 20
    assert fused.dtype == eager.dtype and fused.shape == eager.shape
    assert np.array_equal(np.asarray(fused), np.asarray(eager))


# The module functions, lazy and fuse ----------------------------------------------------------


def test_module_functions_build_expressions():
    a = sample("float64", (3, 4))
    x = ox.asarray(a)
    e = ox.lazy(x)
    assert isinstance(ox.exp(e), ox.Expr)
    assert isinstance(ox.maximum(e, 0), ox.Expr)
    assert isinstance(ox.add(1, e), ox.Expr)
    assert isinstance(ox.add(x, e), ox.Expr)
    assert isinstance(ox.exp(x), ox.Array)
    assert isinstance(ox.maximum(x, 0), ox.Array)
    assert_bits(ox.exp(e).eval(), ox.exp(x))
    assert_bits(ox.maximum(e, 0).eval(), ox.maximum(x, 0))
    assert_bits(ox.add(1, e).eval(), ox.add(1, x))
    assert_bits(ox.subtract(a[0], e).eval(), ox.subtract(a[0], x))
    with pytest.raises(TypeError, match="not array-like"):
        ox.add(e, "a")
    with pytest.raises(TypeError, match="not array-like"):
        ox.add(None, e)


def test_operators_build_expressions():
    x = ox.asarray(sample("int32", (2, 3)) + 1)
    e = ox.lazy(x)
    built = [e + 1, 1 + e, e - e, e * x, x * e, e / 2, 2 / e, e // 2, e % 3, e**2, 2**e, e & 1, 1 | e, e ^ e, e << 1,
             1 >> e, -e, +e, abs(e), ~e, e < 1, e <= x, e > 1, e >= 1, e == 1, e != 1, 1 < e]
    assert all(isinstance(b, ox.Expr) for b in built)
    assert_bits((2**e).eval(), 2**x)
    assert_bits((~e).eval(), ~x)
    assert e.__pow__(2, 3) is NotImplemented
    with pytest.raises(TypeError):
        pow(e, 2, 3)
    e2 = e
    e2 += 1  # no in-place form: Python builds a new Expr
    assert isinstance(e2, ox.Expr) and e2 is not e
    assert_bits(e.eval(), x)


def test_in_place_operators_of_an_array_evaluate_an_expression():
    x = ox.asarray([1.0, 2.0, 3.0])
    same = x
    x += ox.lazy(ox.asarray([1.0, 1.0, 1.0])) * 2
    assert same is x and isinstance(x, ox.Array) and x.tolist() == [3.0, 4.0, 5.0]
    x *= ox.exp(ox.lazy(ox.zeros((3,))))
    assert x.tolist() == [3.0, 4.0, 5.0]
    i = ox.asarray([1, 2, 3], dtype=ox.int32)
    with pytest.raises(TypeError):
        i += ox.lazy(i) / 2  # float64 does not cast safely into int32, as eagerly
    with pytest.raises(ValueError):
        x += ox.lazy(ox.ones((2, 3))) * 2  # broadcasts to a shape x cannot hold


def test_lazy():
    a = sample("float32", (3,))
    x = ox.asarray(a)
    assert isinstance(ox.lazy(x), ox.Expr)
    assert_bits(ox.lazy(a).eval(), x)
    assert ox.lazy([1, 2]).eval().tolist() == [1, 2]
    assert isinstance(ox.lazy(ox.lazy(x)), ox.Expr)
    for scalar in [3.0, 1, True, 1j]:
        with pytest.raises(TypeError, match="needs an array-like"):
            ox.lazy(scalar)
    with pytest.raises(TypeError):
        ox.lazy(object())


def test_an_expression_keeps_the_values_it_was_built_from():
    x = ox.asarray([1.0, 2.0, 3.0])
    e = ox.lazy(x) * 2
    x[0] = 100.0  # copy-on-write: the Expr's handle keeps the old values
    assert e.eval().tolist() == [2.0, 4.0, 6.0]


def test_fuse():
    def standardize(x, m, s=1.0):
        """Centre and scale."""
        return (x - m) / s

    f = ox.fuse(standardize)
    assert f.__name__ == "standardize" and f.__doc__ == "Centre and scale."
    assert f.__wrapped__ is standardize
    a, m, s = sample("float32", (4, 3), 1), sample("float32", (3,), 2), np.abs(sample("float32", (3,), 3)) + 1
    eager = (ox.asarray(a) - ox.asarray(m)) / ox.asarray(s)
    assert_bits(f(a, m, s), eager)  # NumPy inputs
    assert_bits(f(ox.asarray(a), m=ox.asarray(m), s=ox.asarray(s)), eager)  # keyword arguments
    assert_bits(f(ox.asarray(a), 0.5, 2.0), (ox.asarray(a) - 0.5) / 2.0)  # Python scalars stay weak
    assert f(ox.asarray(a), 0.5).dtype == ox.float32

    seen = []

    @ox.fuse
    def both(x, y, name="pair"):
        seen.append((type(x), type(y), name))
        return x + y, [x * y, name], len(name)

    s_, (p, n), k = both(a, 2, name="abc")
    assert seen == [(ox.Expr, int, "abc")]
    assert_bits(s_, ox.asarray(a) + 2)
    assert_bits(p, ox.asarray(a) * 2)
    assert (n, k) == ("abc", 3)

    @ox.fuse
    def shape_of(x):
        return "not an expression"

    assert shape_of(a) == "not an expression"
    assert ox.fuse(lambda x: x)(a).tolist() == ox.asarray(a).tolist()
    assert ox.fuse(lambda x: [x + 1, x])(a)[1].shape == (4, 3)
    assert ox.fuse(lambda x: x + 1)(np.float32(2.0)).dtype == ox.float32  # NumPy scalars are arrays (strong)
    # np.float64 subclasses float but is a strong scalar too (NumPy's `x.std()` returns one).
    scaled = ox.fuse(lambda x, s: x / s)(a, np.float64(2.0))
    assert_bits(scaled, ox.asarray(a) / ox.asarray(np.float64(2.0)))
    assert ox.lazy(np.float64(2.0)).eval().dtype == ox.float64


# Errors and Python protocol ------------------------------------------------------------------


def test_errors():
    e = ox.lazy(ox.asarray([1.0, 2.0]))
    with pytest.raises(TypeError, match="call .eval()"):
        bool(e)
    with pytest.raises(TypeError, match="call .eval()"):
        if e < 2:
            pass
    with pytest.raises(TypeError, match="unhashable"):
        hash(e)
    assert ox.Expr.__hash__ is None
    with pytest.raises(TypeError, match="unsupported operand"):
        e + "a"
    with pytest.raises(TypeError, match="unsupported operand"):
        "a" - e
    with pytest.raises(TypeError):
        ox.Expr()  # no constructor: every Expr holds an array
    with pytest.raises(TypeError):
        ox.sqrt("a")


def test_repr():
    x = ox.zeros((1000, 64), dtype=ox.float32)
    m = ox.zeros((64,), dtype=ox.float32)
    e = ox.exp((ox.lazy(x) - m) / 2.5) < 1
    assert repr(e) == "ox.Expr(exp((float32[1000, 64] - float32[64]) / 2.5) < 1)"


def test_generated_stubs_are_up_to_date():
    root = pathlib.Path(__file__).resolve().parents[3]
    script = root / "scripts" / "elementwise_stubs.py"
    out = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    stub = ast.parse(pathlib.Path(ox.__file__).with_name("__init__.pyi").read_text())
    (cls,) = [c for c in stub.body if isinstance(c, ast.ClassDef) and c.name == "Expr"]
    methods = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    assert {m for m in dir(ox.Expr) if not m.startswith("_")} <= methods
    dunders = {m for m in dir(ox.Expr) if m.startswith("__") and m not in dir(object)} - {"__array_ufunc__", "__module__"}
    assert dunders <= methods, dunders - methods
    # The lists above are the table's rows: every function is tested.
    sys.path.insert(0, str(script.parent))
    try:
        import elementwise_stubs
    finally:
        sys.path.pop(0)
    binary, unary = elementwise_stubs.table(elementwise_stubs.TABLE.read_text())
    assert (binary, unary) == (BINARY_FUNCTIONS, UNARY)



SIMD_PROBE = """
import hashlib, sys
import numpy as np
import oxarray as ox
rng = np.random.default_rng(1)
x = rng.standard_normal((513, 67)).astype(np.float32)
x[0, :5] = [np.nan, np.inf, -np.inf, -0.0, 1e-40]
m, s = x[1:].mean(axis=0), x[1:].std(axis=0)
fused = ox.fuse(lambda x, m, s: ox.maximum(ox.exp((x - m) / s * 0.5) - 1, x * x))
h = hashlib.sha256()
for a in [x, x.astype(np.float64), x[::-1], np.asfortranarray(x)]:
    h.update(np.asarray(fused(a, m.astype(a.dtype), s.astype(a.dtype))).tobytes())
print(h.hexdigest())
"""


def test_every_simd_level_gives_the_same_bits():
    # OXARRAY_SIMD caps the SIMD level for the whole process: one process per level.
    digests = set()
    for level in ["baseline", "avx2", "avx512"]:
        env = dict(os.environ, OXARRAY_SIMD=level)
        out = subprocess.run([sys.executable, "-c", SIMD_PROBE], capture_output=True, text=True, env=env, timeout=60)
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout)
    assert len(digests) == 1


def test_fuse_docstring_example_runs():
    import doctest

    (test,) = doctest.DocTestFinder().find(ox.fuse)
    result = doctest.DocTestRunner().run(test)
    assert result.attempted > 0 and result.failed == 0
