"""Python scalars in the eager operators and functions are NEP 50 "weak"
operands, converted by the core's `Array::binary_scalar`: compared with
NumPy 2 for every integer dtype, out-of-range integers, floats beyond a
float16's range, bool and complex, reflected, in-place and function forms.

Where NumPy raises `OverflowError` for an integer that does not fit, oxarray
raises `ox.OutOfRangeError` naming the value and the dtype: a subclass of
both `OverflowError` (NumPy's error) and `ValueError` (oxarray's error for
any lossy conversion), so either `except` clause catches it. Ints are taken up to 128
bits (comparisons with them are exact, as in NumPy); larger ones are refused
with an `OutOfRangeError` too (NumPy still answers comparisons with them).
"""

import operator
import warnings

import numpy as np
import pytest
from conftest import assert_same, sample

import oxarray as ox

INTS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
CMP = [operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge]
ARITH = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.mod]
BITS = [operator.and_, operator.or_, operator.xor]
HUGE = [2**127, -(2**127) - 1, 10**40, -(2**200)]


def result(f):
    """`f()`, or the exception it raised (NumPy's warnings silenced)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return f()
        except Exception as e:  # noqa: BLE001 - compared with the other library's outcome
            return e


def check(got, expected, scalar, dtype=None):
    """oxarray's outcome `got` is NumPy's `expected`: the same array, or an
    error of the same kind (NumPy's `OverflowError` for an integer that does
    not fit is oxarray's `OutOfRangeError` naming the value and the dtype)."""
    if isinstance(scalar, int) and not -(2**127) <= scalar < 2**127:
        # Beyond 128 bits: refused whatever NumPy answers (see the module docs).
        assert type(got) is ox.OutOfRangeError, repr(got)
        return
    if not isinstance(expected, BaseException):
        assert not isinstance(got, BaseException), (got, expected)
        assert_same(got, expected)
        return
    assert isinstance(got, BaseException), (got, expected)
    if isinstance(expected, OverflowError):
        assert type(got) is ox.OutOfRangeError, repr(got)
        assert isinstance(got, OverflowError) and isinstance(got, ValueError)
        assert str(scalar) in str(got), str(got)
        if dtype is not None:
            assert dtype in str(got), str(got)
    else:
        kind = next(t for t in type(expected).__mro__ if t.__module__ == "builtins")
        assert isinstance(got, kind), (got, expected)


def both(a, f, scalar, dtype=None):
    """`f` applied to the NumPy array `a` and to it as an ox array agree."""
    check(result(lambda: f(ox.asarray(a))), result(lambda: f(a)), scalar, dtype)


def limits(dt):
    info = np.iinfo(dt)
    return int(info.min), int(info.max)


def in_range_ints(dt):
    lo, hi = limits(dt)
    return [0, 1, 7, 100, hi, lo, -1 if lo < 0 else hi - 1]


def out_of_range_ints(dt):
    lo, hi = limits(dt)
    candidates = {hi + 1, lo - 1, 2**63, 2**64 - 1, -(2**63), 2**64, -(2**63) - 1, 2**100, -(2**126), 2**127 - 1}
    return sorted(s for s in candidates if not lo <= s <= hi)


@pytest.mark.parametrize("dt", INTS)
@pytest.mark.parametrize("op", CMP, ids=lambda f: f.__name__)
def test_comparisons_with_any_int_are_exact(dt, op):
    a = sample(dt, (5,))
    for s in in_range_ints(dt) + out_of_range_ints(dt):
        both(a, lambda x: op(x, s), s)
        both(a, lambda x: op(s, x), s)
        f, g = getattr(ox, function_name(op)), numpy_function(op)
        check(result(lambda: f(ox.asarray(a), s)), result(lambda: g(a, s)), s)
        check(result(lambda: f(s, ox.asarray(a))), result(lambda: g(s, a)), s)


def function_name(op):
    return {"eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal", "gt": "greater",
            "ge": "greater_equal", "add": "add", "sub": "subtract", "mul": "multiply", "truediv": "divide",
            "floordiv": "floor_divide", "mod": "remainder", "and_": "bitwise_and", "or_": "bitwise_or",
            "xor": "bitwise_xor", "pow": "pow"}[op.__name__]


def numpy_function(op):
    name = function_name(op)
    return getattr(np, {"pow": "power"}.get(name, name))


@pytest.mark.parametrize("dt", INTS)
@pytest.mark.parametrize("op", CMP + ARITH + BITS, ids=lambda f: f.__name__)
def test_module_functions_take_weak_scalars_on_either_side(dt, op):
    a = sample(dt, (5,)) + 1
    f, g = getattr(ox, function_name(op)), numpy_function(op)
    for s in [3, limits(dt)[1], limits(dt)[1] + 1, limits(dt)[0] - 1, 2**63]:
        check(result(lambda: f(ox.asarray(a), s)), result(lambda: g(a, s)), s, dt)
        check(result(lambda: f(s, ox.asarray(a))), result(lambda: g(s, a)), s, dt)
        # A NumPy array as the array operand is imported, the scalar still weak.
        check(result(lambda: f(a, s)), result(lambda: g(a, s)), s, dt)


@pytest.mark.parametrize("dt", INTS)
@pytest.mark.parametrize("op", ARITH + BITS + [operator.pow], ids=lambda f: f.__name__)
def test_arithmetic_with_ints_in_and_out_of_range(dt, op):
    a = sample(dt, (5,)) + 1  # no zero divisors
    values = in_range_ints(dt) + out_of_range_ints(dt)
    if op is operator.pow:
        values = [0, 1, 2, 3] + [s for s in out_of_range_ints(dt) if s > 0]
    for s in values:
        both(a, lambda x: op(x, s), s, dt)
        if op is not operator.pow:
            both(a, lambda x: op(s, x), s, dt)


def test_the_error_names_the_value_and_the_dtype():
    x = ox.asarray([1, 2], dtype=ox.uint8)
    for f in [lambda: x + 300, lambda: 300 + x, lambda: ox.add(x, 300), lambda: ox.maximum(300, x)]:
        with pytest.raises(ValueError, match="300") as e:
            f()
        assert "uint8" in str(e.value)
    with pytest.raises(ValueError, match="-1") as e:
        ox.asarray([1], dtype=ox.uint64) - -1
    assert "uint64" in str(e.value)
    with pytest.raises(ValueError, match=str(2**63)) as e:
        ox.asarray([1], dtype=ox.int64) * 2**63
    assert "int64" in str(e.value)
    # Beyond 64 bits: an OverflowError, as before and as in NumPy, still naming the value.
    for f in [lambda: ox.asarray([1], dtype=ox.int64) * 2**64, lambda: ox.asarray([True]) + 2**100,
              lambda: 2**64 - ox.asarray([1], dtype=ox.uint64)]:
        with pytest.raises(OverflowError, match=r"\d{19}"):
            f()
    x = ox.asarray([1, 2], dtype=ox.uint64)
    assert (x < 2**64).tolist() == [True, True] and (x > -(2**63) - 1).tolist() == [True, True]
    assert (ox.asarray([1.0], dtype=ox.float32) + 2**70).tolist() == [float(np.float32(2**70))]


@pytest.mark.parametrize("dt", INTS + ["bool", "float16", "float32", "float64", "complex64"])
def test_ints_beyond_128_bits_are_an_overflow_error(dt):
    x = ox.asarray(sample(dt, (3,)))
    for s in HUGE:
        for f in [lambda: x + s, lambda: s - x, lambda: x < s, lambda: s == x, lambda: ox.less(x, s),
                  lambda: ox.add(s, x)]:
            with pytest.raises(OverflowError):
                f()
        y = x.copy()
        with pytest.raises(OverflowError):
            y += s


@pytest.mark.parametrize("dt", INTS)
def test_true_division_by_ints_computes_in_float64(dt):
    a = sample(dt, (6,)) + 1
    for s in [300, -300, 2**63, 2**64 - 1, -(2**63), 7, 2**64, -(2**100)]:
        both(a, lambda x: x / s, s)
        both(a, lambda x: s / x, s)
        both(a, lambda x: ox.divide(x, s) if isinstance(x, ox.Array) else np.divide(x, s), s)


@pytest.mark.parametrize("dt", ["float16", "float32"])
@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv] + CMP,
                         ids=lambda f: f.__name__)
def test_floats_beyond_the_dtypes_range_round_to_inf(dt, op):
    a = np.array([1.0, -2.5, 0.0, -0.0, np.inf, -np.inf, np.nan, 6e-8], dtype=dt)
    for s in [1e6, -1e6, 65504.0, 65520.0, 1e39, -1e300, 1e308, np.inf, -np.inf, np.nan, 5e-324, -0.0, 2**70, 2**127 - 1]:
        both(a, lambda x: op(x, s), s)
        both(a, lambda x: op(s, x), s)


def test_float16_plus_a_huge_float_is_inf():
    got = ox.asarray([1.0, -1.0], dtype=ox.float16) + 1e6
    assert got.dtype == ox.float16 and np.isposinf(np.asarray(got)).all()


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.and_, operator.or_,
                                operator.xor, operator.floordiv, operator.truediv] + CMP,
                         ids=lambda f: f.__name__)
def test_bool_arrays_with_ints_and_bools(op):
    a = np.array([True, False, True, False])
    for s in [0, 1, 2, -1, 300, 2**62, 2**63, 2**64 - 1, -(2**63), 2**64, -(2**63) - 1, True, False]:
        if isinstance(s, bool) and op in (operator.add, operator.sub, operator.mul, operator.floordiv):
            continue  # arithmetic on two bools is refused (docs/decisions.md; NumPy has logical forms)
        both(a, lambda x: op(x, s), s, "int64")
        both(a, lambda x: op(s, x), s, "int64")


@pytest.mark.parametrize("dt", ["float16", "float32", "float64", "int8", "uint16", "bool"])
@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv, operator.eq, operator.ne],
                         ids=lambda f: f.__name__)
def test_complex_scalars(dt, op):
    a = sample(dt, (4,))
    for s in [1j, 2 - 3j, complex(1e6, 0), complex(np.inf, np.nan), -0.0j]:
        both(a, lambda x: op(x, s), s)
        both(a, lambda x: op(s, x), s)


@pytest.mark.parametrize(
    "dt, op, s",
    [("int8", operator.iadd, 1000), ("int8", operator.iadd, 100), ("int8", operator.iadd, 1.5),
     ("int8", operator.itruediv, 300), ("uint8", operator.isub, 1), ("uint8", operator.imul, 200),
     ("uint8", operator.isub, -1), ("uint64", operator.iadd, 2**63), ("int64", operator.iadd, 2**63),
     ("float16", operator.iadd, 1e6), ("float16", operator.imul, -1e39), ("float32", operator.iadd, 2**63),
     ("float32", operator.imul, 1j), ("complex64", operator.iadd, 1j), ("bool", operator.iadd, 1),
     ("bool", operator.ior, True), ("bool", operator.iand, 1), ("int16", operator.ifloordiv, 40000),
     ("int16", operator.ifloordiv, 7), ("int32", operator.imod, 5), ("int32", operator.ilshift, 2),
     ("uint16", operator.ixor, 0xFFFF), ("uint16", operator.iand, -1), ("int64", operator.iadd, 2**64),
     ("float32", operator.iadd, 2**100), ("float16", operator.isub, -(2**100))],
    ids=str,
)
def test_in_place_operators_with_weak_scalars(dt, op, s):
    a = sample(dt, (2, 3)) + (1 if dt in INTS else 0)

    def numpy_side():
        y = a.copy()
        return op(y, s)

    def ox_side():
        y = ox.asarray(a.copy())
        z = op(y, s)
        assert z is y
        return z

    expected, got = result(numpy_side), result(ox_side)
    check(got, expected, s, dt)


def test_in_place_int_plus_float_is_a_type_error_and_keeps_the_values():
    x = ox.asarray([1, 2, 3], dtype=ox.int8)
    with pytest.raises(TypeError):
        x += 1.5
    with pytest.raises(ValueError, match="1000"):
        x += 1000
    x += 100
    assert x.tolist() == [101, 102, 103]


def test_zero_d_and_empty_arrays():
    for a in [np.array(5, np.int8), np.zeros((0,), np.uint8), np.zeros((2, 0), np.float16)]:
        for s in [1, 300, -1, 1e6, 1j, True]:
            for op in [operator.add, operator.eq] + ([] if isinstance(s, complex) else [operator.lt]):
                both(a, lambda x: op(x, s), s, a.dtype.name)
                both(a, lambda x: op(s, x), s, a.dtype.name)


def test_two_python_scalars_in_a_function():
    assert_same(ox.add(1, 2.5), np.asarray(np.add(1, 2.5)))
    assert_same(ox.less(1, 2), np.asarray(np.less(1, 2)))
    with pytest.raises(TypeError):
        ox.add(1, "text")
    with pytest.raises(TypeError):
        ox.add("text", 1)


def test_numpy_scalars_and_0d_arrays_stay_strong():
    x = ox.asarray(np.arange(3, dtype=np.int8))
    assert (x + np.int16(1)).dtype == ox.int16
    assert (x + ox.asarray(np.array(1, np.int16))).dtype == ox.int16
    assert (x + 1).dtype == ox.int8
    assert (x + np.float64(1.5)).dtype == ox.float64
    f = ox.asarray(np.ones(2, np.float16))
    assert (f + np.float64(1e6)).dtype == ox.float64  # strong: promotes
    assert (f + 1e6).dtype == ox.float16  # weak: stays, rounds to inf
    assert (f * np.complex128(1j)).dtype == ox.complex128
    assert (f * 1j).dtype == ox.complex64
    assert (np.float64(2.0) - f).dtype == ox.float64
    assert ox.add(np.float64(2.0), f).dtype == ox.float64
    assert ox.add(f, np.float32(2.0)).dtype == ox.float32
    a = np.ones(2, np.float32)
    for s in [np.float64(1e6), np.complex128(2j), np.int64(3), np.bool_(True)]:
        both(a, lambda x: x + s, s)
        # (`s * x` is NumPy's own operator, which converts `x` to NumPy.)
        check(result(lambda: ox.multiply(s, ox.asarray(a))), result(lambda: np.multiply(s, a)), s)


def test_out_of_range_error_is_both_value_and_overflow_error():
    assert issubclass(ox.OutOfRangeError, ValueError) and issubclass(ox.OutOfRangeError, OverflowError)
    assert ox.OutOfRangeError.__module__ == "oxarray"
    assert "OverflowError" in ox.OutOfRangeError.__doc__


@pytest.mark.parametrize(
    "name, f",
    [
        ("operator", lambda m, x: x + 300),
        ("reflected", lambda m, x: -1 + x),
        ("in place", lambda m, x: x.__iadd__(300)),
        ("function", lambda m, x: m.maximum(x, 300)),
        ("full", lambda m, x: m.full((2,), 300, dtype=m.uint8)),
        ("asarray scalar", lambda m, x: m.asarray(-1, dtype=m.uint8)),
        ("asarray list", lambda m, x: m.asarray([1, 300], dtype=m.uint8)),
        ("setitem", lambda m, x: x.__setitem__(0, 300)),
    ],
)
def test_ints_out_of_bounds_raise_what_numpy_raises(name, f):
    """NumPy raises `OverflowError` in each case; oxarray raises its
    `OutOfRangeError`, which `except OverflowError` and `except ValueError`
    both catch."""
    expected = result(lambda: f(np, np.array([1, 2], dtype=np.uint8)))
    assert type(expected) is OverflowError, (name, expected)
    got = result(lambda: f(ox, ox.asarray([1, 2], dtype=ox.uint8)))
    assert type(got) is ox.OutOfRangeError, (name, got)
    assert "uint8" in str(got), str(got)
    for clause in (OverflowError, ValueError):
        with pytest.raises(clause):
            f(ox, ox.asarray([1, 2], dtype=ox.uint8))


def test_where_refuses_what_numpy_wraps():
    """`np.where(c, uint8_array, 300)` wraps 300 to 44 without a word;
    oxarray refuses to lose the value."""
    a = np.array([1, 2], dtype=np.uint8)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.where(a > 1, a, 300).tolist() == [44, 2]
    with pytest.raises(ox.OutOfRangeError, match="300"):
        ox.where(ox.asarray(a) > 1, ox.asarray(a), 300)


def test_floats_out_of_a_dtype_range_raise_out_of_range():
    with pytest.raises(ox.OutOfRangeError):
        ox.asarray([1e40]).astype(ox.float32)
    with pytest.raises(ox.OutOfRangeError):
        ox.asarray([3e9]).astype(ox.int32)
    # Infinity has no integer: Python's `int(inf)` raises OverflowError too.
    with pytest.raises(ox.OutOfRangeError):
        ox.asarray([float("inf")]).astype(ox.int64)
    # NumPy makes float64 or object arrays; oxarray refuses what does not fit.
    with pytest.raises(ox.OutOfRangeError, match="neither int64 nor uint64"):
        ox.asarray([2**63, -1])
    with pytest.raises(ox.OutOfRangeError, match=str(2**64)):
        ox.asarray(2**64)
    # NaN is not out of a range: a ValueError, as Python's `int(nan)`.
    with pytest.raises(ValueError) as e:
        ox.asarray([float("nan")]).astype(ox.int64)
    assert not isinstance(e.value, OverflowError)
