import numpy as np
import pytest
from conftest import assert_same, data_ptr, sample

import oxarray as ox

KEYS = [
    0,
    -1,
    (1, 2),
    (-1, -2, 0),
    slice(None),
    slice(1, None),
    slice(None, None, -1),
    slice(None, None, 2),
    slice(-1, 0, -2),
    slice(10, 20),
    (slice(None), 1),
    (Ellipsis, 0),
    (0, Ellipsis),
    (None, 1),
    (slice(None), None, slice(None, None, -1)),
    (1, slice(3, 0, -1), None),
    (Ellipsis, None),
    (),
    np.int64(1),
]


@pytest.mark.parametrize("key", KEYS, ids=repr)
def test_getitem_matches_numpy(key, dtype):
    n = sample(dtype, (3, 4, 5))
    x = ox.asarray(n)
    assert_same(x[key], n[key])


def test_getitem_is_a_view():
    x = ox.arange(12).reshape(3, 4)
    v = x[1:, ::-1]
    base = np.asarray(x[1, 3])  # the element v starts at
    assert np.asarray(v).__array_interface__["data"][0] == base.__array_interface__["data"][0]


def test_zero_size_and_negative_strides():
    n = sample("float32", (0, 3))
    assert_same(ox.asarray(n)[:, ::-1], n[:, ::-1])
    m = sample("int16", (4, 5))
    x = ox.asarray(m)
    assert_same(x[::-1, ::-2][1:, :], m[::-1, ::-2][1:, :])
    assert_same(x[3:1], m[3:1])


def test_getitem_errors():
    x = ox.zeros((2, 3))
    with pytest.raises(IndexError):
        x[2]
    with pytest.raises(IndexError):
        x[0, 0, 0]
    with pytest.raises(IndexError):
        x["a"]
    with pytest.raises(TypeError, match="only one index array"):
        x[[0, 1], [0, 1]]
    with pytest.raises(TypeError, match="boolean mask must be the only index"):
        x[0, ox.asarray([True, False, True])]
    with pytest.raises(IndexError, match="integer or boolean"):
        x[ox.asarray([0.0, 1.0])]
    with pytest.raises(ValueError):
        x[::0]


@pytest.mark.parametrize(
    "key, value",
    [
        (0, 5),
        ((1, 2), 7),
        (slice(None, None, -1), 1),
        ((slice(None), 0), [1, 2, 3]),
        ((Ellipsis, slice(None, None, 2)), 9),
        ((slice(1, None), slice(None, None, -1)), [[1, 2, 3, 4], [5, 6, 7, 8]]),
    ],
)
def test_setitem_matches_numpy(key, value):
    n = sample("float64", (3, 4))
    x = ox.asarray(n.copy())
    n[key] = value
    x[key] = value
    assert_same(x, n)


def test_setitem_from_arrays_and_self():
    x = ox.arange(6, dtype=ox.float32)
    x[:3] = ox.asarray([1, 2, 3], dtype=ox.int8)  # safe cast
    x[3:] = np.asarray([7.0, 8.0, 9.0], dtype=np.float32)
    assert x.tolist() == [1, 2, 3, 7, 8, 9]
    x[:] = x[::-1]  # overlapping source is read before writing
    assert x.tolist() == [9, 8, 7, 3, 2, 1]


def test_setitem_never_loses_data_silently():
    x = ox.zeros(3, dtype=ox.int32)
    with pytest.raises(TypeError):
        x[0] = 1.5
    with pytest.raises(TypeError):
        x[:] = ox.asarray([1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        ox.zeros(2, dtype=ox.uint8)[0] = 300
    with pytest.raises(ValueError):
        x[:] = ox.asarray([1, 2], dtype=ox.int32)
    assert x.tolist() == [0, 0, 0]


def test_copy_on_write_between_views():
    x = ox.asarray([1, 2, 3, 4])
    y = x[:]  # a view of the same memory
    z = x[::-1]
    y[0] = 50
    assert x.tolist() == [1, 2, 3, 4]
    assert y.tolist() == [50, 2, 3, 4]
    assert z.tolist() == [4, 3, 2, 1]
    x[3] = 40
    assert x.tolist() == [1, 2, 3, 40] and z.tolist() == [4, 3, 2, 1]


def test_in_place_write_when_unique():
    x = ox.zeros(1000)
    before = data_ptr(np.asarray(x))  # the NumPy view is released right away
    x[0] = 1  # x holds its memory alone: written in place
    assert data_ptr(np.asarray(x)) == before
    y = x[:]
    x[1] = 2  # shared with y: x copies first
    assert data_ptr(np.asarray(x)) != before and data_ptr(np.asarray(y)) == before
    assert y.tolist()[:2] == [1, 0] and x.tolist()[:2] == [1, 2]
