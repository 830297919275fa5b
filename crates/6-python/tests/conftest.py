import os

# scikit-learn's array API dispatch needs SciPy's, which is read once when
# SciPy is first imported (test_array_api_sklearn.py).
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import numpy as np
import pytest

import oxarray as ox

# dtypes that NumPy and oxarray share, by name.
DTYPES = [
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "complex64", "complex128",
]


def sample(dtype, shape=(3, 4), seed=0):
    """A NumPy array of `dtype` with varied values (no NaN)."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    if dtype == "bool":
        return rng.integers(0, 2, n).astype(bool).reshape(shape)
    if dtype.startswith(("int", "uint")):
        return rng.integers(0, 100, n).astype(dtype).reshape(shape)
    values = rng.standard_normal(n) * 10
    if dtype.startswith("complex"):
        values = values + 1j * rng.standard_normal(n)
    return values.astype(dtype).reshape(shape)


def data_ptr(a):
    """Address of element 0 as NumPy or oxarray reports it."""
    return a.__array_interface__["data"][0]


@pytest.fixture(params=DTYPES)
def dtype(request):
    return request.param


def assert_same(x, expected):
    """x (an oxarray array) has the dtype, shape and values of the NumPy array."""
    expected = np.asarray(expected)
    assert isinstance(x, ox.Array)
    assert x.dtype == expected.dtype.name, (x.dtype, expected.dtype)
    assert x.shape == expected.shape
    np.testing.assert_array_equal(np.asarray(x), expected)


def assert_close(x, expected, rtol=1e-12):
    """Like assert_same, with a tolerance for transcendental functions."""
    expected = np.asarray(expected)
    assert x.dtype == expected.dtype.name and x.shape == expected.shape
    np.testing.assert_allclose(np.asarray(x), expected, rtol=rtol)
