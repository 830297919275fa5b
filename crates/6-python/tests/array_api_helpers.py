"""Shared helpers of the test_array_api_*.py modules: inputs of every
standard dtype and layout, and a comparison of ox.<f> with the reference
implementation array_api_strict (falling back to NumPy where the reference
refuses what the standard leaves unspecified)."""

import math

import array_api_strict as xp
import numpy as np
import pytest

import oxarray as ox

STANDARD = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
            "float32", "float64", "complex64", "complex128"]
REAL = [d for d in STANDARD if not d.startswith("complex") and d != "bool"]
FLOAT = ["float32", "float64"]
NUMERIC = [d for d in STANDARD if d != "bool"]


def data(dtype, shape=(3, 4), seed=0, nan=False):
    """Varied values of `dtype` (small integers so sums and products fit)."""
    rng = np.random.default_rng(seed)
    n = math.prod(shape)
    if dtype == "bool":
        a = rng.integers(0, 2, n).astype(bool)
    elif dtype.startswith("uint"):
        a = rng.integers(0, 5, n).astype(dtype)
    elif dtype.startswith("int"):
        a = rng.integers(-4, 5, n).astype(dtype)
    else:
        a = np.round(rng.standard_normal(n) * 4, 1)
        if dtype.startswith("complex"):
            a = a + 1j * np.round(rng.standard_normal(n), 1)
        a = a.astype(dtype)
        if nan and n > 2:
            a[1] = np.nan
    return a.reshape(shape)


def views(a):
    """`a` itself, a negative-stride view and a transposed (non-contiguous) view."""
    out = [a]
    if a.ndim >= 1:
        out.append(a[::-1])
    if a.ndim >= 2:
        out.append(a.T)
    return out


def convert(v, lib):
    if isinstance(v, np.ndarray):
        if lib is np:
            return v
        return lib.asarray(v) if lib is ox else xp.asarray(np.ascontiguousarray(v))
    if isinstance(v, (list, tuple)) and v and isinstance(v[0], np.ndarray):
        return type(v)(convert(i, lib) for i in v)
    if isinstance(v, str) and v in STANDARD:
        return getattr(lib, v)
    return v


def dn(d):
    """A dtype's bare name (`array_api_strict.float32` -> `float32`)."""
    return str(d).split(".")[-1]


def to_np(r):
    return np.asarray(r)


# Tolerance by result dtype for rtol=None: a few ulp (transcendental
# functions are not correctly rounded, in NumPy or oxarray).
AUTO_RTOL = {"float16": 2e-3, "float32": 4e-6, "complex64": 4e-6, "float64": 1e-13, "complex128": 1e-13}


def check_same(r_ox, r_xp, rtol=0.0):
    """Same structure, dtypes, shapes and values (NaN equal to NaN); rtol=None
    picks the tolerance from the result's dtype."""
    if isinstance(r_xp, (tuple, list)):
        assert isinstance(r_ox, (tuple, list)) and len(r_ox) == len(r_xp)
        if hasattr(r_xp, "_fields"):
            assert r_ox._fields == r_xp._fields
        for a, b in zip(r_ox, r_xp):
            check_same(a, b, rtol)
        return
    assert isinstance(r_ox, ox.Array), type(r_ox)
    assert str(r_ox.dtype) == dn(r_xp.dtype), (r_ox.dtype, r_xp.dtype)
    assert r_ox.shape == r_xp.shape, (r_ox.shape, r_xp.shape)
    a, b = to_np(r_ox), to_np(r_xp)
    if rtol is None:
        rtol = AUTO_RTOL.get(str(r_ox.dtype), 0.0)
    if rtol:
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(a, b)


def compare(name, *args, rtol=0.0, **kw):
    """Calls ox.<name> and xp.<name> on the same inputs; both raise the same
    exception type or return the same result."""
    ox_args = [convert(a, ox) for a in args]
    xp_args = [convert(a, xp) for a in args]
    ox_kw = {k: convert(v, ox) for k, v in kw.items()}
    xp_kw = {k: convert(v, xp) for k, v in kw.items()}
    try:
        r_xp = getattr(xp, name)(*xp_args, **xp_kw)
    except Exception as e:  # noqa: BLE001 - the reference decides what is an error
        # array_api_strict refuses what the standard leaves unspecified
        # (sum of bools, mixed kinds...): there oxarray follows NumPy.
        np_args = [convert(a, np) for a in args]
        np_kw = {k: convert(v, np) for k, v in kw.items()}
        try:
            r_np = getattr(np, name)(*np_args, **np_kw)
        except Exception as e_np:  # noqa: BLE001 - both refuse: so must oxarray
            with pytest.raises((type(e), type(e_np))):
                getattr(ox, name)(*ox_args, **ox_kw)
            return None
        try:
            r_ox = getattr(ox, name)(*ox_args, **ox_kw)
        except type(e):
            return None  # oxarray refuses it too, as the reference does
        check_same(r_ox, r_np, rtol)
        return r_ox
    r_ox = getattr(ox, name)(*ox_args, **ox_kw)
    check_same(r_ox, r_xp, rtol)
    return r_ox
