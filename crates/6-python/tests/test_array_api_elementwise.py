"""The elementwise functions of the namespace against array_api_strict:
every function on every dtype the standard gives it, strided views, and
the special cases (NaN, ±0, ±inf) the standard lists."""

import array_api_strict as xp
import numpy as np
import pytest

import oxarray as ox

from array_api_helpers import STANDARD, compare, data, views

UNARY = ["abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "bitwise_invert", "ceil", "conj", "cos", "cosh",
         "exp", "expm1", "floor", "imag", "isfinite", "isinf", "isnan", "log", "log1p", "log2", "log10", "logical_not",
         "negative", "positive", "real", "reciprocal", "round", "sign", "signbit", "sin", "sinh", "square", "sqrt",
         "tan", "tanh", "trunc"]
BINARY = ["add", "atan2", "bitwise_and", "bitwise_left_shift", "bitwise_or", "bitwise_right_shift", "bitwise_xor",
          "copysign", "divide", "equal", "floor_divide", "greater", "greater_equal", "hypot", "less", "less_equal",
          "logaddexp", "logical_and", "logical_or", "logical_xor", "maximum", "minimum", "multiply", "nextafter",
          "not_equal", "pow", "remainder", "subtract"]

# Tolerance (rtol=None): a few ulp of the result dtype (array_api_helpers.AUTO_RTOL).
# Where the standard leaves an operation unspecified and array_api_strict
# refuses it, compare() checks against NumPy instead.


def test_every_elementwise_function_is_listed():
    names = set(UNARY) | set(BINARY) | {"clip"}
    assert all(hasattr(ox, n) for n in names)


def positive_data(dtype, shape=(3, 4), seed=0):
    """Values valid for integer powers and shifts (small, non-negative)."""
    a = data(dtype, shape, seed)
    if dtype.startswith("int"):
        a = np.abs(a) % 4
    return a.astype(dtype)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("dtype", STANDARD)
@pytest.mark.parametrize("name", UNARY)
def test_unary(name, dtype):
    rtol = None
    if name == "reciprocal" and dtype not in ("float32", "float64", "complex64", "complex128"):
        # The standard takes floats only; NumPy's integer reciprocal
        # truncates (1/2 -> 0). oxarray computes in the smallest float that
        # holds the input, as its sqrt/exp do (int8 -> float16).
        a = data(dtype)
        r = ox.reciprocal(ox.asarray(a))
        assert r.dtype == np.result_type(np.sqrt(a[:1])).name
        with np.errstate(divide="ignore"):
            np.testing.assert_allclose(np.asarray(r), 1 / a.astype(r.dtype.name), rtol=1e-3)
        return
    for a in views(data(dtype)):
        compare(name, a, rtol=rtol)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("dtype", STANDARD)
@pytest.mark.parametrize("name", BINARY)
def test_binary(name, dtype):
    rtol = None
    a = positive_data(dtype) if name in ("pow", "bitwise_left_shift", "bitwise_right_shift") else data(dtype)
    b = positive_data(dtype, seed=1)
    if name in ("floor_divide", "remainder") and dtype not in ("bool",) and not dtype.startswith(("float", "complex")):
        b = np.where(b == 0, 1, b).astype(dtype)  # integer division by zero is unspecified
    compare(name, a, b, rtol=rtol)
    compare(name, a[::-1], b[:1], rtol=rtol)  # negative strides and broadcasting
    compare(name, a.T, b.T[:, ::-1], rtol=rtol)  # transposed views


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "equal", "less", "copysign", "hypot"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_binary_python_scalars(name, dtype):
    a = data(dtype)
    compare(name, a, 2.0, rtol=None)
    compare(name, 2.0, a, rtol=None)


SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 1e-310, 700.0, -700.0])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", [n for n in UNARY if not n.startswith("bitwise")])  # integers only: test_unary
def test_unary_special_cases(name):
    compare(name, SPECIAL, rtol=None)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", [n for n in BINARY if not n.startswith(("bitwise", "logical"))])
def test_binary_special_cases(name):
    x1 = np.repeat(SPECIAL, SPECIAL.size)
    x2 = np.tile(SPECIAL, SPECIAL.size)
    compare(name, x1, x2, rtol=None)


def test_signed_zero_results():
    """The standard's ±0 special cases, bit for bit."""
    cases = [("negative", [0.0], [-0.0]), ("sqrt", [-0.0], [-0.0]), ("round", [-0.4], [-0.0]),
             ("ceil", [-0.5], [-0.0]), ("trunc", [-0.5], [-0.0]), ("atan", [-0.0], [-0.0]),
             ("sinh", [-0.0], [-0.0]), ("expm1", [-0.0], [-0.0]), ("log1p", [-0.0], [-0.0])]
    for name, x, expected in cases:
        r = np.asarray(getattr(ox, name)(ox.asarray(np.array(x))))
        assert list(np.signbit(r)) == list(np.signbit(expected)), name
    assert np.signbit(np.asarray(ox.multiply(ox.asarray([-0.0]), ox.asarray([5.0])))[0])
    assert np.signbit(np.asarray(ox.copysign(ox.asarray([3.0]), ox.asarray([-0.0])))[0])


@pytest.mark.parametrize("dtype", ["int8", "uint8", "float32", "float64"])
def test_clip_matches_reference(dtype):
    a = data(dtype)
    compare("clip", a, 0, 2)
    compare("clip", a, min=np.zeros(4, dtype=dtype))


def test_elementwise_errors():
    with pytest.raises(TypeError):
        ox.bitwise_and(ox.asarray([1.0]), ox.asarray([2.0]))
    with pytest.raises(ValueError):
        ox.add(ox.asarray([1, 2, 3]), ox.asarray([1, 2]))
    with pytest.raises(TypeError):
        ox.sqrt("x")


def test_zero_size():
    for name in ["sin", "abs", "isnan"]:
        compare(name, np.zeros((0, 3)))
    compare("add", np.zeros((0, 3)), np.zeros((1, 3)))
    assert xp is not None
