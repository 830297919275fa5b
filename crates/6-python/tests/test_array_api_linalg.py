"""`ox.linalg` (the Array API's linear-algebra extension) against
array_api_strict.linalg and NumPy: values within a documented tolerance,
dtypes, shapes, named-tuple results, batches, strided views and errors."""

import array_api_strict as xp
import numpy as np
import pytest

import oxarray as ox

from array_api_helpers import check_same, data

FIELD = ["float32", "float64", "complex64", "complex128"]
# Decompositions: faer and LAPACK differ by rounding; a tolerance scaled to
# the dtype (float32 ~ 1e-4, float64 ~ 1e-10 on well-conditioned inputs).
TOL = {"float32": 2e-4, "complex64": 2e-4, "float64": 1e-10, "complex128": 1e-10}


def well_conditioned(dtype, shape, seed=0):
    """Random matrices plus n·I: invertible, well-conditioned."""
    a = data(dtype, shape, seed) / 4
    n = shape[-1]
    return (a + n * np.eye(n, dtype=dtype)).astype(dtype)


def hermitian_pd(dtype, shape, seed=0):
    a = data(dtype, shape, seed) / 4
    h = a @ np.conj(np.swapaxes(a, -1, -2)) + shape[-1] * np.eye(shape[-1])
    return h.astype(dtype)


def both(name, *args, tol, **kw):
    def arg(a, lib):
        if not isinstance(a, np.ndarray):
            return a
        return ox.asarray(a) if lib is ox else xp.asarray(np.ascontiguousarray(a))

    r_ox = getattr(ox.linalg, name)(*[arg(a, ox) for a in args], **kw)
    r_xp = getattr(xp.linalg, name)(*[arg(a, xp) for a in args], **kw)
    check_same(r_ox, r_xp, tol)
    return r_ox, r_xp


def test_every_linalg_function_is_bound():
    skip = {"Array", "DType", "Literal", "NamedTuple", "Sequence", "get_array_api_strict_flags",
            "normalize_axis_tuple", "np", "numpy", "partial", "requires_api_version", "requires_extension",
            "reshape", "complex128", "complex64", "conj", "finfo"}
    ref = {n for n in dir(xp.linalg) if not n.startswith("_")} - skip
    assert ref - set(dir(ox.linalg)) == set()
    import oxarray.linalg as L

    assert L is ox.linalg


@pytest.mark.parametrize("dtype", FIELD)
def test_solve_inv_det_slogdet(dtype):
    tol = TOL[dtype]
    a = well_conditioned(dtype, (2, 4, 4))
    b = data(dtype, (2, 4, 3), seed=1)
    both("solve", a, b, tol=tol)
    both("inv", a, tol=tol)
    both("det", a, tol=tol)
    r, _ = both("slogdet", a, tol=tol)
    assert r._fields == ("sign", "logabsdet")
    # transposed and reversed views are read in place
    both("inv", a[:, ::-1].swapaxes(-1, -2), tol=tol)
    both("det", a[0].T, tol=tol)


@pytest.mark.parametrize("dtype", FIELD)
def test_cholesky_eigh(dtype):
    tol = TOL[dtype]
    h = hermitian_pd(dtype, (3, 4, 4))
    both("cholesky", h, tol=tol)
    both("cholesky", h, upper=True, tol=tol)
    w = ox.linalg.eigh(ox.asarray(h))
    assert w._fields == ("eigenvalues", "eigenvectors")
    check_same(w.eigenvalues, xp.linalg.eigvalsh(xp.asarray(h)), tol)
    both("eigvalsh", h, tol=tol)
    # eigenvectors are unique up to phase: check A v = w v
    v, e = np.asarray(w.eigenvectors), np.asarray(w.eigenvalues)
    np.testing.assert_allclose(h @ v, v * e[..., None, :], rtol=tol * 10, atol=tol * 10)


def test_cholesky_not_positive_definite():
    with pytest.raises(ValueError):
        ox.linalg.cholesky(ox.asarray([[1.0, 2.0], [2.0, 1.0]]))


@pytest.mark.parametrize("dtype", FIELD)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4)])
def test_svd_qr(dtype, shape):
    tol = TOL[dtype]
    a = data(dtype, shape)
    s = ox.linalg.svd(ox.asarray(a), full_matrices=False)
    assert s._fields == ("U", "S", "Vh")
    check_same(s.S, xp.linalg.svdvals(xp.asarray(a)), tol * 10)
    u, sv, vh = (np.asarray(t) for t in s)
    np.testing.assert_allclose((u * sv[..., None, :]) @ vh, a, rtol=tol * 10, atol=tol * 10)
    full = ox.linalg.svd(ox.asarray(a))
    assert full.U.shape == np.linalg.svd(a).U.shape and full.Vh.shape == np.linalg.svd(a).Vh.shape
    both("svdvals", a, tol=tol * 10)
    for mode in ["reduced", "complete"]:
        q, r = ox.linalg.qr(ox.asarray(a), mode=mode)
        q_np, r_np = np.linalg.qr(a, mode=mode)
        assert q.shape == q_np.shape and r.shape == r_np.shape and q.dtype == dtype
        np.testing.assert_allclose(np.asarray(q) @ np.asarray(r), a, rtol=tol * 10, atol=tol * 10)
    with pytest.raises(ValueError):
        ox.linalg.qr(ox.asarray(a), mode="raw")


@pytest.mark.parametrize("dtype", ["float64", "complex128"])
def test_eig(dtype):
    a = well_conditioned(dtype, (4, 4))
    r = ox.linalg.eig(ox.asarray(a))
    assert r._fields == ("eigenvalues", "eigenvectors")
    w, v = np.asarray(r.eigenvalues), np.asarray(r.eigenvectors)
    np.testing.assert_allclose(a @ v, v * w[None, :], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(np.sort_complex(np.asarray(ox.linalg.eigvals(ox.asarray(a)))),
                               np.sort_complex(np.linalg.eigvals(a)), rtol=1e-9)


@pytest.mark.parametrize("dtype", FIELD)
def test_pinv_rank_power(dtype):
    tol = TOL[dtype]
    a = data(dtype, (4, 3))
    both("pinv", a, tol=tol * 10)
    both("matrix_rank", a, tol=0)
    low = (data(dtype, (4, 1)) @ data(dtype, (1, 3), seed=1)).astype(dtype)
    both("matrix_rank", low, tol=0)
    sq = well_conditioned(dtype, (3, 3)) / 3
    for n in [0, 1, 3, -2]:
        both("matrix_power", sq, n, tol=tol * 10)


@pytest.mark.parametrize("dtype", ["int64", "float32", "float64", "complex128"])
def test_products(dtype):
    tol = TOL.get(dtype, 0.0)
    a, b = data(dtype, (3,)), data(dtype, (4,), seed=1)
    both("outer", a, b, tol=tol)
    both("cross", data(dtype, (2, 3)), data(dtype, (2, 3), seed=2), tol=tol)
    both("cross", data(dtype, (3, 2)), data(dtype, (3, 2), seed=2), axis=-2, tol=tol)
    both("matmul", data(dtype, (2, 3)), data(dtype, (3, 4)), tol=tol)
    both("tensordot", data(dtype, (2, 3)), data(dtype, (3, 4)), axes=1, tol=tol)
    both("vecdot", data(dtype, (2, 3)), data(dtype, (2, 3), seed=3), tol=tol)
    both("matrix_transpose", data(dtype, (2, 3, 4)), tol=0)
    with pytest.raises(ValueError):
        ox.linalg.cross(ox.asarray(data(dtype, (4,))), ox.asarray(data(dtype, (4,))))


@pytest.mark.parametrize("dtype", ["int32", "uint8", "float32", "float64", "complex64"])
def test_trace_diagonal(dtype):
    a = data(dtype, (2, 3, 4))
    for offset in [0, 1, -2]:
        both("diagonal", a, offset=offset, tol=0)
        both("trace", a, offset=offset, tol=TOL.get(dtype, 0.0))
    r = ox.linalg.trace(ox.asarray(a), dtype=ox.float64) if not dtype.startswith("complex") else None
    if r is not None:
        assert r.dtype == "float64"
        np.testing.assert_allclose(np.asarray(r), np.trace(a, axis1=-2, axis2=-1, dtype="float64"))


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128"])
def test_norms(dtype):
    tol = TOL[dtype]
    a = data(dtype, (2, 3, 4))
    for ord in [2, 1, np.inf, -np.inf, 0, 3]:
        both("vector_norm", a, ord=ord, tol=tol)
        both("vector_norm", a, axis=(0, 2), ord=ord, keepdims=True, tol=tol)
    for ord in ["fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]:
        both("matrix_norm", a, ord=ord, tol=tol * 10)
    both("matrix_norm", a, keepdims=True, tol=tol)
    with pytest.raises(ValueError):
        ox.linalg.matrix_norm(ox.asarray(a), ord=3)
    with pytest.raises(ValueError):
        ox.linalg.vector_norm(ox.asarray(a), ord=float("nan"))


def test_linalg_errors():
    with pytest.raises(ValueError, match="[Ss]ingular"):
        ox.linalg.inv(ox.asarray(np.zeros((2, 2))))
    with pytest.raises(ValueError):
        ox.linalg.solve(ox.asarray(np.eye(3)), ox.asarray(np.ones(2)))
    with pytest.raises(ValueError):
        ox.linalg.det(ox.asarray(np.ones((2, 3))))
    with pytest.raises(ValueError):
        ox.linalg.inv(ox.asarray(np.ones(3)))
    with pytest.raises(TypeError):
        ox.linalg.inv(ox.asarray(np.eye(2, dtype=np.float16)))


def test_zero_size():
    for name in ["inv", "det", "cholesky", "eigvalsh"]:
        both(name, np.zeros((0, 0)), tol=0)
    r = ox.linalg.svd(ox.asarray(np.zeros((0, 3))), full_matrices=False)
    assert r.S.shape == (0,)
