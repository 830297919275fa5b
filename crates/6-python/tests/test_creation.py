import numpy as np
import pytest
from conftest import DTYPES, assert_same, sample

import oxarray as ox


@pytest.mark.parametrize(
    "data",
    [
        [1, 2, 3],
        [[1.5, 2], [3, 4]],
        [True, False],
        [True, 2],
        [1, 2.5, 3j],
        [[[1], [2]], [[3], [4]]],
        (1, 2, 3),
        [],
        [[], []],
        5,
        2.5,
        True,
        1 + 2j,
        [2**63],
        [-(2**63), 2**63 - 1],
    ],
)
def test_asarray_nested_matches_numpy(data):
    assert_same(ox.asarray(data), np.asarray(data))


def test_asarray_nested_with_dtype():
    assert_same(ox.asarray([1, 2, 3], dtype=ox.float32), np.asarray([1, 2, 3], dtype=np.float32))
    assert_same(ox.asarray([1.9, -2.5], dtype="int16"), np.asarray([1.9, -2.5]).astype(np.int16))
    assert_same(ox.asarray([[0, 1]], dtype=np.uint8), np.asarray([[0, 1]], dtype=np.uint8))


def test_ragged_is_value_error_naming_depth_and_lengths():
    with pytest.raises(ValueError, match="depth 1") as e:
        ox.asarray([[1, 2], [3]])
    assert "2" in str(e.value) and "1" in str(e.value)
    with pytest.raises(ValueError):
        ox.asarray([[1, 2], 3])


def test_bad_elements_are_type_errors():
    with pytest.raises(TypeError):
        ox.asarray(["a", "b"])
    with pytest.raises(TypeError):
        ox.asarray(object())


def test_nested_numpy_scalars_and_arrays():
    assert_same(ox.asarray([np.float32(1.5), 2]), np.asarray([1.5, 2.0]))
    assert_same(ox.asarray([np.arange(2), np.arange(2)]), np.asarray([[0, 1], [0, 1]]))
    assert_same(ox.asarray([ox.asarray([1, 2]), [3, 4]]), np.asarray([[1, 2], [3, 4]]))


@pytest.mark.parametrize("name", DTYPES)
def test_zeros_ones_full_empty(name):
    for shape in [(), (0,), (2, 3), 4]:
        assert_same(ox.zeros(shape, dtype=name), np.zeros(shape, dtype=name))
        assert_same(ox.ones(shape, dtype=name), np.ones(shape, dtype=name))
        assert ox.empty(shape, dtype=name).shape == np.empty(shape, dtype=name).shape
    assert_same(ox.full((2, 2), True, dtype=name), np.full((2, 2), True, dtype=name))


def test_full_infers_dtype_like_numpy():
    for value in [True, 3, 2.5, 1j]:
        assert_same(ox.full((2,), value), np.full((2,), value))
    with pytest.raises(TypeError):
        ox.full((2,), 1.5, dtype=ox.int32)  # never truncates silently
    with pytest.raises(ValueError):
        ox.full((2,), 300, dtype=ox.uint8)


def test_like_functions():
    a = sample("float32")
    for f, g in [(ox.zeros_like, np.zeros_like), (ox.ones_like, np.ones_like)]:
        assert_same(f(a), g(a))
        assert_same(f(ox.asarray(a), dtype=ox.int16), g(a, dtype=np.int16))
    assert_same(ox.full_like(a, 7), np.full_like(a, 7))
    assert ox.empty_like(a).shape == a.shape


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((5,), {}),
        ((2, 10, 3), {}),
        ((10, 2, -3), {}),
        ((0.0, 1.0, 0.1), {}),
        ((1, 2.5, 0.5), {}),
        ((5,), {"dtype": "float32"}),
        ((3, 3), {}),
    ],
)
def test_arange(args, kwargs):
    assert_same(ox.arange(*args, **kwargs), np.arange(*args, **kwargs))


def test_linspace_and_eye():
    assert_same(ox.linspace(0, 1, 11), np.linspace(0, 1, 11))
    assert_same(ox.linspace(2, 3, 4, endpoint=False), np.linspace(2, 3, 4, endpoint=False))
    assert_same(ox.linspace(0, 1, 0), np.linspace(0, 1, 0))
    assert_same(ox.eye(3), np.eye(3))
    assert_same(ox.eye(2, 4, k=1, dtype=ox.int32), np.eye(2, 4, k=1, dtype=np.int32))
    assert_same(ox.eye(3, k=-2), np.eye(3, k=-2))


def test_dtype_objects():
    assert ox.float32 == ox.float32 and ox.float32 != ox.float64
    assert ox.float32 == "float32" and ox.float32 == np.float32 and ox.float32 == np.dtype("float32")
    assert ox.dtype("f8") == ox.float64 and ox.dtype(int) == ox.int64 and ox.dtype(bool) == ox.bool
    assert {ox.int8: 1}[ox.dtype("int8")] == 1
    assert ox.complex64.itemsize == 8 and ox.uint16.kind == "u"
    assert repr(ox.float32) == "oxarray.float32" and str(ox.float32) == "float32"
    with pytest.raises(TypeError):
        ox.dtype("float128")
    with pytest.raises(TypeError):
        ox.asarray([1], dtype=np.dtype(">f4"))
