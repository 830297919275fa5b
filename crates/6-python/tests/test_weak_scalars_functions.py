"""Python scalars in `where`, `clip`, `nextafter`, `isin` and `searchsorted`,
compared with NumPy 2.4 for every dtype and every kind of scalar, on either
side, with out-of-range ints, floats beyond float16/float32, NaN, NumPy
scalars and 0-d arrays (both strong).

What NumPy 2.4 does, and where oxarray differs (docs/decisions.md, "Casting
and promotion"):

| function | Python scalar | NumPy 2.4 | oxarray |
|---|---|---|---|
| `where(c, x, s)`, `where(c, s, x)` | weak: dtype `result_type_with_scalar(x.dtype, kind)` (`int8` with `1000` is `int8`, `float16` with `2.5` is `float16`, `int8` with `2.5` is `float64`, `float32` with `1j` is `complex64`, `bool` with `1` is `int64`) | an int that does not fit wraps silently (`1000` as int8 is `-24`); beyond int64/uint64 an `OverflowError` | the same dtypes; an int that does not fit is an `ox.OutOfRangeError` (a `ValueError` and an `OverflowError`) naming the value and dtype, as for the operators |
| `where(c, s, t)` | both weak: the higher kind's default dtype | `(2**63, 1)` wraps to int64 | the same; `2**63` there is an error |
| `clip(x, s)` | weak, NumPy 2's `_clip`: for an integer array an `int` at or beyond the limit on its side is dropped (`clip(uint8, -5, 300)` is a copy), beyond the other limit an `OverflowError` | result dtype promoted (`clip(int8, 2.5)` is float64) | the result keeps `x`'s dtype (Array API): a scalar of a higher kind is a `TypeError`, as are bool and complex arrays |
| `nextafter(x, s)`, `nextafter(s, x)` | a ufunc: weak, converted to the loop's dtype (`int8` with `1000` computes in float16) | | the same (`Array::binary_scalar`) |
| `isin(x, s)`, `isin(s, x)`, `searchsorted(x, s)` | not weak: `np.asarray(s)` (int64, uint64 above int64, float64, complex128), compared exactly in the common dtype (`isin(int8, 1000)` is all false, `isin(float16, 0.1)` compares in float64) | ints beyond uint64 or below int64 become object arrays | the same; those ints are an `OverflowError` |
| any | `np.float64(…)`, `np.int32(…)`, 0-d arrays | strong: promote as arrays | the same |
"""

import math

import numpy as np
import pytest
from conftest import DTYPES, assert_same, sample
from test_weak_scalars import check, result

import oxarray as ox

INTS = [0, 1, -1, 7, 127, 128, -128, -129, 255, 256, 300, -300, 1000, 40000, -40000, 2**31, 2**63 - 1, 2**63,
        2**64 - 1, -(2**63), -(2**63) - 1, 2**64, 2**100, -(2**100), 2**200]
FLOATS = [0.5, 2.5, -0.0, 0.1, 1e6, -1e6, 65504.0, 65520.0, 1e39, -1e300, math.nan, math.inf, -math.inf, 5e-324]
SCALARS = [True, False] + INTS + FLOATS + [1j, 2 - 3j, complex(1e6, 0), complex(math.inf, math.nan)]
ids = repr


def ox_result(f, *args, **kw):
    """`f(*args)` with the NumPy arrays among `args` as oxarray arrays."""
    conv = lambda v: ox.asarray(v) if isinstance(v, np.ndarray) else v  # noqa: E731
    return result(lambda: f(*[conv(a) for a in args], **{k: conv(v) for k, v in kw.items()}))


def fits(s, dtype):
    """Whether the Python int `s` is a value of the integer dtype `dtype`."""
    info = np.iinfo(dtype)
    return int(info.min) <= s <= int(info.max)


def wrapped_int(s, expected):
    """Whether NumPy's array `expected` holds the int `s` wrapped (an
    oxarray error instead): `s` is an int that its integer dtype lacks."""
    return (isinstance(s, int) and not isinstance(s, bool) and not isinstance(expected, BaseException)
            and expected.dtype.kind in "iu" and not fits(s, expected.dtype))


def overflow(s):
    return OverflowError(f"Python integer {s} out of bounds")


# ---------------------------------------------------------------------- where

C = np.array([True, False, True, False, False])


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("s", SCALARS, ids=ids)
def test_where_takes_a_weak_scalar_on_either_side(dt, s):
    x = sample(dt, (5,))
    for args in [(C, x, s), (C, s, x)]:
        expected, dtype = result(lambda: np.where(*args)), None
        if wrapped_int(s, expected):
            # NumPy wraps; oxarray refuses, as the operators do, naming the dtype.
            expected, dtype = overflow(s), expected.dtype.name
        check(ox_result(ox.where, *args), expected, s, dtype)


def test_where_examples():
    c = ox.asarray([True, False])
    i8 = ox.asarray(np.array([1, 2], np.int8))
    assert ox.where(c, i8, 5).dtype == ox.int8
    assert ox.where(c, 5, i8).tolist() == [5, 2]
    with pytest.raises(ValueError, match="1000"):
        ox.where(c, i8, 1000)  # NumPy: [1, -24]
    with pytest.raises(OverflowError):
        ox.where(c, i8, 2**64)
    f16 = ox.asarray(np.array([1, 2], np.float16))
    r = ox.where(c, f16, 1e6)
    assert r.dtype == ox.float16 and np.asarray(r)[1] == np.inf
    assert ox.where(c, f16, 1j).dtype == ox.complex64
    assert ox.where(c, ox.asarray([True, False]), 3).dtype == ox.int64
    assert ox.where(c, i8, 2.5).dtype == ox.float64


@pytest.mark.parametrize("s", SCALARS, ids=ids)
@pytest.mark.parametrize("t", [True, 1, -7, 2.5, math.nan, 1j, 2**63, 2**64 - 1, -(2**63) - 1], ids=ids)
def test_where_with_two_python_scalars(s, t):
    for a, b in [(s, t), (t, s)]:
        expected = result(lambda: np.where(C, a, b))
        # Both take the higher kind's default dtype; an int it lacks is an
        # error (NumPy wraps it, or raises OverflowError beyond 64 bits).
        bad = [v for v in (a, b) if wrapped_int(v, expected)]
        if isinstance(expected, BaseException):
            # NumPy's OverflowError beyond 64 bits: oxarray names the first
            # int that int64 lacks (`a` converts first).
            bad = [v for v in (a, b) if isinstance(v, int) and not fits(v, "int64")]
        elif bad:
            expected = overflow(bad[0])
        huge = [v for v in (a, b) if isinstance(v, int) and not -(2**127) <= v < 2**127]
        check(ox_result(ox.where, C, a, b), expected, (huge + bad + [a])[0])


@pytest.mark.parametrize("dt", ["int8", "uint8", "int64", "float16", "float32", "complex64", "bool"])
def test_where_with_numpy_scalars_and_0d_arrays_is_strong(dt):
    x = sample(dt, (5,))
    strong = [np.float64(1e6), np.float64(0.1), np.int32(1000), np.int64(-1), np.uint8(200), np.bool_(True),
              np.complex128(1j), np.float16(2.0), np.array(1000, np.int16), np.array(0.5, np.float32),
              np.array(3, np.int8), np.array(np.nan)]
    for s in strong:
        for args in [(C, x, s), (C, s, x)]:
            check(ox_result(ox.where, *args), result(lambda: np.where(*args)), s)
    # A 0-d array beside a Python scalar: the scalar is weak to it.
    for s in [1, 1000, 2.5, 1e6, 1j]:
        z = np.array(7, dt)
        expected = result(lambda: np.where(C, z, s))
        if wrapped_int(s, expected):
            expected = overflow(s)
        check(ox_result(ox.where, C, z, s), expected, s)


# ----------------------------------------------------------------------- clip


def clip_expected(x, lo, hi):
    """NumPy's `clip`, with oxarray's refusals (a `TypeError`): a result
    dtype other than `x`'s, and bool or complex arrays."""
    expected = result(lambda: np.clip(x, lo, hi))
    if x.dtype.kind in "bc":
        return TypeError("clip takes real numbers")
    if isinstance(expected, BaseException) or expected.dtype == x.dtype:
        return expected
    if not np.can_cast(expected.dtype, x.dtype, "same_kind"):
        return TypeError("the result keeps x's dtype")
    # A strong bound of a wider dtype of the same kind: compared exactly,
    # an error where the winner does not fit x's dtype.
    with np.errstate(all="ignore"):
        narrowed = expected.astype(x.dtype)
    if not np.array_equal(narrowed.astype(expected.dtype), expected, equal_nan=x.dtype.kind == "f"):
        return ValueError("a bound does not fit x's dtype")
    return narrowed


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("s", SCALARS, ids=ids)
def test_clip_takes_weak_scalar_bounds(dt, s):
    x = sample(dt, (6,)) - (50 if dt.startswith("int") else 0)
    for lo, hi in [(s, None), (None, s), (s, s)]:
        check(ox_result(ox.clip, x, lo, hi), clip_expected(x, lo, hi), s)


@pytest.mark.parametrize("dt", ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64"])
def test_clip_drops_int_bounds_beyond_the_limits_as_numpy(dt):
    info = np.iinfo(dt)
    lo, hi = int(info.min), int(info.max)
    x = np.array([lo, 0, hi, 1], dt)
    for a, b in [(lo - 1, hi + 1), (lo - 5, 1), (0, hi + 300), (lo, hi), (-(2**100), 2**100), (lo - 1, None),
                 (None, hi + 1), (1, 0), (hi + 1, None), (None, lo - 1), (hi + 1, hi + 2), (lo - 2, lo - 1)]:
        # The bound that is not dropped and does not fit is the one named.
        scalar = next((v for v in (a, b) if v is not None and not fits(v, dt) and (v > hi if v is a else v < lo)), a)
        check(ox_result(ox.clip, x, a, b), clip_expected(x, a, b), scalar, dt)


def test_clip_examples():
    u8 = ox.asarray(np.array([0, 100, 255], np.uint8))
    assert_same(ox.clip(u8, -5, 300), np.array([0, 100, 255], np.uint8))
    assert_same(ox.clip(u8, 10, 300), np.array([10, 100, 255], np.uint8))
    with pytest.raises(ValueError, match="300"):
        ox.clip(u8, 300)  # NumPy: OverflowError
    with pytest.raises(TypeError):
        ox.clip(u8, 2.5)  # NumPy: float64; the result keeps x's dtype here
    f16 = ox.asarray(np.array([1, -2], np.float16))
    assert_same(ox.clip(f16, -1e6, 1e6), np.array([1, -2], np.float16))
    assert_same(ox.clip(f16, 1e6), np.array([np.inf, np.inf], np.float16))
    assert_same(ox.clip(f16, math.nan), np.array([np.nan, np.nan], np.float16))


@pytest.mark.parametrize("dt", ["int8", "uint8", "int64", "float16", "float32", "float64"])
def test_clip_with_numpy_scalars_and_arrays_is_strong(dt):
    x = sample(dt, (6,))
    for s in [np.float64(1e6), np.float64(0.5), np.int32(1000), np.int8(-3), np.uint8(3), np.float16(2.0),
              np.array(1000, np.int16), np.array(3, dt), np.array(0.5, np.float32)]:
        for lo, hi in [(s, None), (None, s)]:
            check(ox_result(ox.clip, x, lo, hi), clip_expected(x, lo, hi), s)
    # An array bound beside a Python scalar bound.
    lo = np.zeros(6, dt)
    for s in [3, 1000, -1000, 2.5]:
        check(ox_result(ox.clip, x, lo, s), clip_expected(x, lo, s), s, dt)


# ------------------------------------------------------------------ nextafter


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("s", SCALARS, ids=ids)
def test_nextafter_takes_a_weak_scalar_on_either_side(dt, s):
    x = sample(dt, (5,))
    for args in [(x, s), (s, x)]:
        check(ox_result(ox.nextafter, *args), result(lambda: np.nextafter(*args)), s)


def test_nextafter_examples():
    f16 = np.array([1, 0, 65504], np.float16)
    with np.errstate(over="ignore"):
        assert_same(ox.nextafter(ox.asarray(f16), 1e6), np.nextafter(f16, np.float16(np.inf)))
    i8 = np.array([1, 0], np.int8)
    r = ox.nextafter(ox.asarray(i8), 1000)  # the int converts to the float16 loop, as in NumPy
    assert_same(r, np.nextafter(i8, 1000))
    assert r.dtype == ox.float16
    assert ox.nextafter(ox.asarray(i8), 2.5).dtype == ox.float64
    f32 = ox.asarray(np.array([1.0], np.float32))
    assert ox.nextafter(f32, np.float64(2.0)).dtype == ox.float64  # strong
    assert ox.nextafter(f32, 2.0).dtype == ox.float32  # weak
    assert ox.nextafter(f32, ox.asarray(np.array(2.0))).dtype == ox.float64  # 0-d array: strong
    assert_same(ox.nextafter(1.0, 2.0), np.nextafter(1.0, 2.0))
    with pytest.raises(TypeError):
        ox.nextafter(f32, 1j)


def test_nextafter_is_lazy_with_an_expr():
    x = np.array([1.0, 2.0, -0.0], np.float32)
    e = ox.nextafter(ox.lazy(ox.asarray(x)), 5.0)
    assert isinstance(e, ox.Expr)
    assert_same(e.eval(), np.nextafter(x, np.float32(5.0)))


# --------------------------------------------------------- isin, searchsorted


def strong_expected(f, *args):
    """NumPy's answer, where NumPy answers with an array; a Python int
    beyond int64/uint64 (an object array in NumPy) is an `OverflowError`."""
    beyond = next((a for a in args if isinstance(a, int) and not -(2**63) <= a < 2**64), None)
    if beyond is not None:
        return overflow(beyond)
    return result(lambda: f(*args))


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("s", SCALARS, ids=ids)
def test_isin_takes_python_scalars_as_arrays(dt, s):
    x = sample(dt, (6,))
    x[0] = 1  # a value some scalars equal
    for args in [(x, s), (s, x)]:
        check(ox_result(ox.isin, *args), strong_expected(np.isin, *args), s)
    check(ox_result(ox.isin, x, s, invert=True), strong_expected(lambda a, b: np.isin(a, b, invert=True), x, s), s)


def test_isin_examples():
    i8 = np.array([0, 1, 100], np.int8)
    assert ox.isin(ox.asarray(i8), 1000).tolist() == [False, False, False]
    assert ox.isin(ox.asarray(i8), 100.0).tolist() == [False, False, True]
    assert ox.isin(ox.asarray(i8), 100.5).tolist() == [False, False, False]
    f16 = ox.asarray(np.array([0.1, 1.0], np.float16))
    assert ox.isin(f16, 0.1).tolist() == [False, False]  # compared in float64, as NumPy
    assert ox.isin(f16, np.float16(0.1)).tolist() == [True, False]
    assert ox.isin(1, ox.asarray(i8)).tolist() is True
    assert ox.isin(ox.asarray(np.array([np.nan])), math.nan).tolist() == [False]


@pytest.mark.parametrize("dt", [d for d in DTYPES if not d.startswith("complex")])
@pytest.mark.parametrize("s", SCALARS, ids=ids)
def test_searchsorted_takes_python_scalars_as_arrays(dt, s):
    x = np.sort(sample(dt, (7,)))
    for side in ["left", "right"]:
        f = lambda a, v: np.searchsorted(a, v, side=side)  # noqa: E731
        check(ox_result(ox.searchsorted, x, s, side=side), strong_expected(f, x, s), s)


def test_searchsorted_examples():
    f16 = np.array([0.0, 0.0999755859375, 1.0], np.float16)
    assert ox.searchsorted(ox.asarray(f16), 0.1).tolist() == 2  # 0.1 > float16(0.1)
    i8 = ox.asarray(np.array([0, 1, 100], np.int8))
    assert ox.searchsorted(i8, 1000).tolist() == 3
    assert ox.searchsorted(i8, -1000).tolist() == 0
    assert ox.searchsorted(i8, 0.5).tolist() == 1
    u8 = ox.asarray(np.array([0, 255], np.uint8))
    assert ox.searchsorted(u8, -1).tolist() == 0 and ox.searchsorted(u8, 256).tolist() == 2
