import operator

import numpy as np
import pytest
from conftest import assert_close, assert_same, sample

import oxarray as ox

ARITH = [operator.add, operator.sub, operator.mul, operator.truediv]
INT_OPS = [operator.floordiv, operator.mod, operator.and_, operator.or_, operator.xor]
CMP = [operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge]


@pytest.mark.parametrize("op", ARITH + CMP, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dt", ["int8", "int64", "uint16", "float32", "float64"])
def test_binary_operators_match_numpy(op, dt):
    a, b = sample(dt, (3, 4), 1), sample(dt, (4,), 2)
    if op is operator.truediv and dt.startswith(("int", "uint")):
        b = b + 1
    with np.errstate(all="ignore"):
        expected = op(a, b)
    got = op(ox.asarray(a), ox.asarray(b))
    assert got.dtype == expected.dtype.name
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-6)


@pytest.mark.parametrize("op", INT_OPS, ids=lambda f: f.__name__)
def test_integer_operators(op):
    a, b = sample("int32", (5,), 1), sample("int32", (5,), 2) + 1
    assert_same(op(ox.asarray(a), ox.asarray(b)), op(a, b))
    assert_same(ox.asarray(a) << 2, a << 2)
    assert_same(ox.asarray(a) >> 1, a >> 1)
    assert_same(~ox.asarray(a), ~a)


@pytest.mark.parametrize(
    "dt, scalar",
    [("int8", 3), ("uint8", 200), ("int16", 2.5), ("float32", 2.5), ("float32", 1j), ("bool", 1), ("int64", True)],
)
def test_python_scalars_are_weak(dt, scalar):
    a = sample(dt, (4,))
    for op in [operator.add, operator.mul, operator.sub]:
        if dt == "bool" and op is operator.sub:
            continue
        assert_same(op(ox.asarray(a), scalar), op(a, scalar))
        assert_same(op(scalar, ox.asarray(a)), op(scalar, a))


def test_scalar_that_does_not_fit_is_an_error():
    with pytest.raises(ValueError):
        ox.asarray([1], dtype=ox.uint8) + 300


def test_reflected_and_numpy_operands():
    a = sample("float64", (2, 3))
    x = ox.asarray(a)
    assert_same(1 - x, 1 - a)
    assert_same(2 / x, 2 / a)
    assert_same(x ** 2, a**2)
    assert_same(2 ** ox.asarray([1.0, 3.0]), 2 ** np.asarray([1.0, 3.0]))
    assert_same(x + np.ones(3), a + np.ones(3))
    assert_same(x + [1, 2, 3], a + [1, 2, 3])
    assert_same(-x, -a)
    assert_same(abs(x), abs(a))
    assert_same(+x, a)
    assert (x == "text") is False


def test_in_place_operators():
    x = ox.asarray([1.0, 2.0, 3.0])
    same = x
    x += 1
    x *= ox.asarray([2.0, 2.0, 2.0])
    x -= 1
    x /= 2
    assert same is x and x.tolist() == [1.5, 2.5, 3.5]
    i = ox.asarray([1, 2, 3], dtype=ox.int32)
    with pytest.raises(TypeError):
        i += 1.5  # float64 result does not cast safely into int32
    with pytest.raises(ValueError):
        i += ox.ones((2, 3), dtype=ox.int32)  # would change the shape
    assert i.tolist() == [1, 2, 3]
    v = x[:]
    v += 100  # copy-on-write: x keeps its values
    assert x.tolist() == [1.5, 2.5, 3.5] and v.tolist() == [101.5, 102.5, 103.5]


def test_errors_for_unsupported_dtypes_and_shapes():
    with pytest.raises(TypeError):
        ox.asarray([True]) + ox.asarray([True])
    with pytest.raises(ValueError):
        ox.zeros((2, 3)) + ox.zeros((4,))
    with pytest.raises(TypeError):
        ox.asarray([1.5]) & ox.asarray([1.5])
    with pytest.raises(TypeError):
        ox.asarray([1.0]) + object()


@pytest.mark.parametrize(
    "name", ["sqrt", "exp", "log", "sin", "cos", "tanh", "floor", "ceil", "abs", "negative", "square", "isnan", "sign"]
)
def test_unary_functions(name):
    a = np.abs(sample("float64", (3, 3))) + 0.5
    assert_close(getattr(ox, name)(ox.asarray(a)), getattr(np, name)(a))


@pytest.mark.parametrize(
    "name, np_name",
    [("add", "add"), ("maximum", "maximum"), ("atan2", "arctan2"), ("hypot", "hypot"), ("less", "less"),
     ("logical_and", "logical_and"), ("pow", "power")],
)
def test_binary_functions(name, np_name):
    a, b = np.abs(sample("float64", (3, 3), 1)), sample("float64", (3,), 2)
    np.testing.assert_allclose(np.asarray(getattr(ox, name)(a, b)), getattr(np, np_name)(a, b))
    np.testing.assert_allclose(np.asarray(getattr(ox, name)(2.0, b)), getattr(np, np_name)(2.0, b))
