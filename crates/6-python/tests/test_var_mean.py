"""`var_mean` and `std_mean` (PyTorch's names): the variance or standard
deviation and the mean from one read of the data, compared with oxarray's
own `var`/`std`/`mean` (the same numbers) and with NumPy, on every dtype,
NaN and infinity, empty and 0-d inputs and strided views, and their errors
on bad input."""

import warnings

import numpy as np
import pytest

import oxarray as ox

from array_api_helpers import STANDARD, data, views

DTYPES = STANDARD + ["float16"]
RTOL = {"float16": 2e-3, "float32": 1e-5, "complex64": 1e-5}


def np_quiet(f, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return f(*args, **kw)


def close(got, want, dtype):
    got = np.asarray(got)
    assert got.shape == want.shape, (got.shape, want.shape)
    rtol = RTOL.get(dtype, 1e-12)
    np.testing.assert_allclose(got.astype(np.complex128), want.astype(np.complex128), rtol=rtol, atol=rtol,
                               equal_nan=True)


def identical(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape, (a.dtype, b.dtype, a.shape, b.shape)
    assert a.tobytes() == b.tobytes(), (a, b)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("correction", [0.0, 1.0])
def test_matches_the_separate_reductions_and_numpy(dtype, name, axis, keepdims, correction):
    a = data(dtype, (5, 6), seed=3, nan=True)
    spread = getattr(ox, name[:3])
    np_spread = getattr(np, name[:3])
    for v in views(a):
        x = ox.asarray(v)
        result = getattr(ox, name)(x, axis=axis, correction=correction, keepdims=keepdims)
        assert isinstance(result, tuple) and len(result) == 2
        s, m = result
        # The same numbers as the two separate calls, bit for bit.
        identical(s, spread(x, axis=axis, correction=correction, keepdims=keepdims))
        identical(m, ox.mean(x, axis=axis, keepdims=keepdims))
        # And NumPy's, in float64 (NumPy accumulates float16 in float16).
        wide = v.astype(np.complex128 if dtype.startswith("complex") else np.float64)
        close(s, np_quiet(np_spread, wide, axis=axis, ddof=correction, keepdims=keepdims), dtype)
        close(m, np_quiet(np.mean, wide, axis=axis, keepdims=keepdims), dtype)


@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
def test_a_large_column_reduction_takes_the_one_read_path(name):
    # 1 MB and more of input goes through the blocked path: the same bits as
    # the separate calls there too, and NumPy's numbers on data whose mean
    # is large against its spread (where a one-pass formula would fail).
    rng = np.random.default_rng(5)
    a = (1e4 + rng.standard_normal((40_000, 33))).astype(np.float32)
    for v in [a, a[::-1], a[:, ::2]]:
        x = ox.asarray(v)
        s, m = getattr(ox, name)(x, axis=0)
        identical(s, getattr(ox, name[:3])(x, axis=0))
        identical(m, ox.mean(x, axis=0))
        want = getattr(np, name[:3])(v.astype(np.float64), axis=0)
        np.testing.assert_allclose(np.asarray(s), want, rtol=2e-3)
        np.testing.assert_allclose(np.asarray(m), v.astype(np.float64).mean(axis=0), rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "bool"])
def test_empty_and_zero_dimensional_inputs(dtype):
    for shape, axis in [((4, 0), 1), ((4, 0), None), ((0, 3), 0), ((), None)]:
        v = data(dtype, shape) if shape else np.asarray(data(dtype, (1,))[0])
        s, m = ox.var_mean(ox.asarray(v), axis=axis)
        want_s = np_quiet(np.var, v.astype(np.float64), axis=axis)
        want_m = np_quiet(np.mean, v.astype(np.float64), axis=axis)
        assert np.asarray(s).shape == np.shape(want_s) and np.asarray(m).shape == np.shape(want_m)
        np.testing.assert_array_equal(np.asarray(s, dtype=np.float64), want_s)
        np.testing.assert_array_equal(np.asarray(m, dtype=np.float64), want_m)


def test_infinities_and_nan():
    v = np.array([[1.0, np.inf, np.nan], [2.0, 3.0, 4.0]], dtype=np.float32)
    s, m = ox.std_mean(ox.asarray(v), axis=0)
    np.testing.assert_array_equal(np.asarray(m), np_quiet(np.mean, v, axis=0))
    np.testing.assert_array_equal(np.asarray(s), np_quiet(np.std, v, axis=0))


@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
def test_errors_say_what_is_wrong(name):
    x = ox.asarray(np.ones((2, 3), dtype=np.float32))
    f = getattr(ox, name)
    with pytest.raises(ValueError, match="correction"):
        f(x, correction=-1.0)
    with pytest.raises(IndexError, match="axis 2 is out of bounds"):
        f(x, axis=2)
    with pytest.raises(ValueError, match="repeated axis 0"):
        f(x, axis=(0, 0))
    with pytest.raises(TypeError, match="cannot convert str"):
        f("not an array")
