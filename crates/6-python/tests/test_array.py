import copy

import numpy as np
import pytest
from conftest import assert_same, sample

import oxarray as ox


def test_attributes(dtype):
    n = sample(dtype, (2, 3, 4))
    x = ox.asarray(n)
    assert x.dtype == dtype and x.shape == (2, 3, 4) and x.ndim == 3 and x.size == 24
    assert x.itemsize == n.itemsize and x.nbytes == n.nbytes and x.strides == n.strides
    assert x.device == "cpu" and x.to_device("cpu") is x
    assert len(x) == 2
    assert_same(x.T, n.T)
    assert_same(x.mT, np.swapaxes(n, -1, -2))
    assert x.tolist() == n.tolist()
    assert x.__array_namespace__() is ox


def test_repr_matches_numpy(dtype):
    n = sample(dtype, (2, 3))
    x = ox.asarray(n)
    assert repr(x) == repr(n)
    assert str(x) == str(n)


def test_scalar_conversions():
    assert bool(ox.asarray([0])) is False and bool(ox.asarray(3)) is True
    assert int(ox.asarray(3.9)) == 3 and float(ox.asarray([[2]])) == 2.0
    assert complex(ox.asarray(1 + 2j)) == 1 + 2j
    assert [10, 20, 30][ox.asarray(1)] == 20
    assert ox.asarray(2.5).item() == 2.5 and ox.asarray(True).item() is True
    with pytest.raises(ValueError):
        bool(ox.asarray([1, 2]))
    with pytest.raises(TypeError):
        int(ox.asarray([1, 2]))
    with pytest.raises(TypeError):
        [1, 2][ox.asarray(1.0)]
    with pytest.raises(TypeError):
        len(ox.asarray(1))
    with pytest.raises(TypeError):
        iter(ox.asarray(1))
    with pytest.raises(TypeError):
        hash(ox.asarray(1))


def test_iteration_yields_subarrays():
    n = sample("int32", (3, 2))
    rows = list(ox.asarray(n))
    assert len(rows) == 3
    for r, m in zip(rows, n):
        assert_same(r, m)


def test_astype(dtype):
    n = sample("float64") if dtype != "bool" else sample("bool")
    x = ox.asarray(n)
    if np.can_cast(n.dtype, dtype, "same_kind") or dtype.startswith("complex"):
        assert_same(x.astype(dtype), n.astype(dtype))
    assert x.astype(x.dtype, copy=False).dtype == x.dtype


def test_astype_never_loses_data_silently():
    x = ox.asarray([1.5, np.nan])
    with pytest.raises(ValueError, match="index"):
        x.astype(ox.int32)
    assert_same(ox.asarray([300, -1]).astype("uint8", casting="unsafe"), np.asarray([300, -1]).astype(np.uint8))
    with pytest.raises(TypeError):
        ox.asarray([1.5]).astype("int8", casting="safe")


def test_reshape():
    n = np.arange(24)
    x = ox.asarray(n)
    assert_same(x.reshape(2, 3, 4), n.reshape(2, 3, 4))
    assert_same(x.reshape((4, -1)), n.reshape((4, -1)))
    assert_same(ox.reshape(x, (6, 4)), n.reshape(6, 4))
    t = x.reshape(4, 6).T
    assert_same(t.reshape(24), n.reshape(4, 6).T.reshape(24))
    with pytest.raises(ValueError):
        t.reshape(24, copy=False)
    with pytest.raises(ValueError):
        x.reshape(5, 5)
    v = x.reshape(4, 6)
    assert np.shares_memory(np.asarray(v), np.asarray(x))  # a view, not a copy


def test_copy_protocols():
    x = ox.asarray([1, 2, 3])
    y = copy.deepcopy(x)
    y[0] = 9
    assert x.tolist() == [1, 2, 3] and y.tolist() == [9, 2, 3]
    z = x.copy()
    z[1] = 7
    assert x.tolist() == [1, 2, 3]


def test_manipulation_functions():
    n = sample("float32", (2, 1, 3))
    x = ox.asarray(n)
    assert_same(ox.permute_dims(x, (2, 0, 1)), np.transpose(n, (2, 0, 1)))
    assert_same(ox.squeeze(x, axis=1), np.squeeze(n, axis=1))
    assert_same(ox.squeeze(x), np.squeeze(n))
    assert_same(ox.expand_dims(x, axis=-1), np.expand_dims(n, -1))
    assert_same(ox.flip(x), np.flip(n))
    assert_same(ox.flip(x, axis=2), np.flip(n, axis=2))
    assert_same(ox.moveaxis(x, 0, -1), np.moveaxis(n, 0, -1))
    assert_same(ox.swapaxes(x, 0, 2), np.swapaxes(n, 0, 2))
    assert_same(ox.matrix_transpose(x), np.swapaxes(n, -1, -2))
    assert_same(ox.broadcast_to(ox.asarray([1, 2, 3]), (2, 3)), np.broadcast_to([1, 2, 3], (2, 3)))
    a, b = ox.broadcast_arrays(ox.asarray([[1], [2]]), ox.asarray([1, 2, 3]))
    assert a.shape == b.shape == (2, 3)
    assert ox.broadcast_shapes((3, 1), (4,)) == (3, 4)
    with pytest.raises(ValueError):
        ox.broadcast_to(x, (5, 5))
