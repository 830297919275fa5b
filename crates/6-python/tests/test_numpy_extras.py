"""NumPy functions outside the Array API standard that the namespace also
binds: the NaN-ignoring reductions, `argwhere`, `topk` and constant `pad`,
compared with NumPy on every dtype, NaN, empty and 0-d inputs and strided
views, and their errors on bad input."""

import warnings

import numpy as np
import pytest

import oxarray as ox

from array_api_helpers import STANDARD, data, views

FLOATS = ["float16", "float32", "float64"]
NAN_REDUCE = ["bool", "int8", "int32", "int64", "uint8", "uint64"] + FLOATS
RTOL = {"float16": 2e-3, "float32": 2e-6, "float64": 1e-13}


def with_nans(dtype, shape=(4, 5), seed=0):
    a = data(dtype, shape, seed)
    if dtype in FLOATS:
        a = a.copy()
        a[0, 1] = a[2, 0] = a[3, 4] = np.nan
        a[1, :] = np.nan  # a row of NaN only
    return a


def np_quiet(f, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return f(*args, **kw)


def same(got, want, rtol=0.0):
    got = np.asarray(got)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    if rtol:
        np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64), rtol=rtol, atol=0, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


# ------------------------------------------------------------ NaN reductions

@pytest.mark.parametrize("dtype", NAN_REDUCE)
@pytest.mark.parametrize("name", ["nansum", "nanmean", "nanmax", "nanmin"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_nan_reductions_match_numpy(dtype, name, axis, keepdims):
    a = with_nans(dtype)
    for v in views(a):
        got = getattr(ox, name)(ox.asarray(v), axis=axis, keepdims=keepdims)
        want = np.asarray(np_quiet(getattr(np, name), v, axis=axis, keepdims=keepdims))
        if dtype == "float16" and name in ("nansum", "nanmean"):
            # NumPy accumulates float16 in float16; oxarray in float32 and
            # rounds once, so it is the more accurate of the two.
            want64 = np.asarray(np_quiet(getattr(np, name), v.astype(np.float64), axis=axis, keepdims=keepdims))
            same(got, want64.astype(np.float16), rtol=RTOL["float16"])
        elif name in ("nansum", "nanmean") and dtype in FLOATS:
            same(got, want, rtol=RTOL[dtype])
        elif name == "nanmean" or (name == "nansum" and dtype == "bool"):
            # integer means are float64 in both; NumPy sums bools to int64
            same(got, want, rtol=1e-15)
        else:
            same(got, want)


def test_nan_reductions_of_all_nan_and_empty_inputs():
    nan = np.full((3, 2), np.nan, np.float32)
    assert np.asarray(ox.nansum(ox.asarray(nan))) == 0.0
    assert np.isnan(np.asarray(ox.nanmean(ox.asarray(nan))))
    assert np.isnan(np.asarray(ox.nanmax(ox.asarray(nan), axis=0))).all()
    assert np.isnan(np.asarray(ox.nanmin(ox.asarray(nan), axis=1))).all()
    empty = np.zeros((0, 3), np.float64)
    same(ox.nansum(ox.asarray(empty), axis=0), np.nansum(empty, axis=0))
    assert np.isnan(np.asarray(ox.nanmean(ox.asarray(empty)))).all()
    # NumPy raises ValueError for the max of nothing; so does oxarray
    with pytest.raises(ValueError):
        ox.nanmax(ox.asarray(empty), axis=0)
    with pytest.raises(ValueError):
        ox.nanmin(ox.asarray(empty))
    # the size-0 axis is not reduced here: an empty result, not an error
    same(ox.nanmax(ox.asarray(empty), axis=1), np.nanmax(empty, axis=1))


def test_nan_reductions_keep_infinities_and_signed_zeros():
    a = np.array([np.nan, -np.inf, -0.0, 3.0, np.inf], np.float64)
    assert np.asarray(ox.nanmax(ox.asarray(a))) == np.inf
    assert np.asarray(ox.nanmin(ox.asarray(a))) == -np.inf
    assert np.isnan(np.asarray(ox.nansum(ox.asarray(a))))  # inf + -inf
    z = np.array([np.nan, -0.0, -0.0])
    s = np.asarray(ox.nansum(ox.asarray(z)))
    assert s == 0.0


def test_nan_reductions_reject_bad_axes():
    x = ox.asarray(np.ones((2, 3)))
    with pytest.raises(IndexError, match="axis"):
        ox.nanmean(x, axis=2)
    with pytest.raises(TypeError, match="axis"):
        ox.nansum(x, axis="0")


# ----------------------------------------------------------------- argwhere

@pytest.mark.parametrize("dtype", STANDARD)
def test_argwhere_matches_numpy(dtype):
    a = data(dtype, (3, 4), seed=3)
    for v in views(a):
        same(ox.argwhere(ox.asarray(v)), np.argwhere(v))


@pytest.mark.parametrize("shape", [(), (0,), (0, 3), (5,), (2, 3, 4)])
def test_argwhere_shapes(shape):
    a = (np.arange(int(np.prod(shape))).reshape(shape) % 3 == 1) if shape else np.array(True)
    same(ox.argwhere(ox.asarray(a)), np.argwhere(a))
    z = np.zeros(shape, np.float32)
    same(ox.argwhere(ox.asarray(z)), np.argwhere(z))


def test_argwhere_counts_nan_and_negative_zero_as_numpy_does():
    a = np.array([0.0, -0.0, np.nan, 1e-300, -np.inf])
    same(ox.argwhere(ox.asarray(a)), np.argwhere(a))


# --------------------------------------------------------------------- topk

def reference_topk(x, k, axis, largest):
    """The first k of a stable sort in that direction, NaN last (complex
    numbers in lexicographic order, as NumPy sorts them)."""
    key = -x.astype(np.complex128 if x.dtype.kind == "c" else np.float64) if largest else x
    idx = np.argsort(key, axis=axis, kind="stable")
    idx = np.take(idx, np.arange(k), axis=axis)
    return np.take_along_axis(x, idx, axis=axis), idx.astype(np.int64)


@pytest.mark.parametrize("dtype", STANDARD + ["float16"])
@pytest.mark.parametrize("largest", [True, False])
@pytest.mark.parametrize("axis", [-1, 0])
def test_topk_matches_a_stable_sort(dtype, largest, axis):
    a = data(dtype, (6, 9), seed=5, nan=True)
    for v in views(a):
        n = v.shape[axis]
        for k in sorted({0, 1, 3, n}):
            r = ox.topk(ox.asarray(v), k, axis=axis, largest=largest)
            want_v, want_i = reference_topk(v, k, axis, largest)
            same(r.indices, want_i)
            same(r.values, want_v)
            values, indices = r  # a named tuple
            assert values.shape == indices.shape


def test_topk_picks_nan_only_when_numbers_run_out():
    x = np.array([np.nan, 1.0, np.nan, 5.0, -np.inf], np.float32)
    r = ox.topk(ox.asarray(x), 3)
    same(r.values, np.array([5.0, 1.0, -np.inf], np.float32))
    same(r.indices, np.array([3, 1, 4]))
    r = ox.topk(ox.asarray(x), 4, largest=False)
    same(r.indices, np.array([4, 1, 3, 0]))


def test_topk_ties_go_to_the_lower_index():
    x = np.array([2, 7, 7, 1, 7, 2], np.int16)
    same(ox.topk(ox.asarray(x), 2).indices, np.array([1, 2]))
    same(ox.topk(ox.asarray(x), 3, largest=False).indices, np.array([3, 0, 5]))


def test_topk_errors():
    x = ox.asarray(np.arange(4.0))
    with pytest.raises(ValueError, match="k = 5"):
        ox.topk(x, 5)
    with pytest.raises(IndexError, match="axis"):
        ox.topk(x, 1, axis=1)
    with pytest.raises(OverflowError):
        ox.topk(x, -1)


# ---------------------------------------------------------------------- pad

@pytest.mark.parametrize("dtype", STANDARD + ["float16"])
@pytest.mark.parametrize("pad_width", [0, 2, (1, 3), [(0, 1), (2, 0)], ((3, 3), (0, 0))])
def test_pad_matches_numpy(dtype, pad_width):
    a = data(dtype, (3, 4), seed=7)
    value = True if dtype == "bool" else 1
    for v in views(a):
        got = ox.pad(ox.asarray(v), pad_width, constant_values=value)
        same(got, np.pad(v, pad_width, constant_values=value))
    same(ox.pad(ox.asarray(a), pad_width), np.pad(a, pad_width))


def test_pad_special_values_zero_size_and_0d():
    a = np.array([1.0, 2.0], np.float32)
    for value in (np.nan, -np.inf, -0.0):
        got = np.asarray(ox.pad(ox.asarray(a), 1, constant_values=value))
        want = np.pad(a, 1, constant_values=value)
        np.testing.assert_array_equal(got, want)
        assert np.signbit(got[0]) == np.signbit(want[0])
    e = np.zeros((0, 2), np.int32)
    same(ox.pad(ox.asarray(e), (1, 2), constant_values=5), np.pad(e, (1, 2), constant_values=5))
    z = np.array(3.5)
    same(ox.pad(ox.asarray(z), 2), np.pad(z, 2))
    c = np.array([1 + 2j], np.complex64)
    same(ox.pad(ox.asarray(c), 1, constant_values=3j), np.pad(c, 1, constant_values=3j))


def test_pad_errors():
    x = ox.asarray(np.arange(6, dtype=np.int8).reshape(2, 3))
    with pytest.raises(ValueError, match="constant"):
        ox.pad(x, 1, mode="reflect")
    with pytest.raises(ValueError, match="pad_width"):
        ox.pad(x, -1)
    with pytest.raises(ValueError, match="pad_width"):
        ox.pad(x, [(1, 1), (1, 1), (1, 1)])
    with pytest.raises(ValueError, match="pad_width"):
        ox.pad(x, "wide")
    # no silent data loss: 1.5 does not fit int8, 300 does not either
    with pytest.raises((ValueError, OverflowError, TypeError)):
        ox.pad(x, 1, constant_values=1.5)
    with pytest.raises((ValueError, OverflowError)):
        ox.pad(x, 1, constant_values=300)
    with pytest.raises(TypeError, match="constant_values"):
        ox.pad(x, 1, constant_values=[1, 2])
