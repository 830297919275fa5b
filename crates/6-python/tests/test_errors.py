"""oxarray's errors arrive as the exceptions NumPy users expect, with
oxarray's message."""

import pytest

import oxarray as ox


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: ox.zeros(3)[5], IndexError, "5"),
        (lambda: ox.zeros((2, 2))[0, 0, 0], IndexError, "indices"),
        (lambda: ox.permute_dims(ox.zeros((2, 2)), (0, 5)), IndexError, "axis"),
        (lambda: ox.asarray([True]) + ox.asarray([True]), TypeError, "bool"),
        (lambda: ox.zeros(2, dtype="float128"), TypeError, "float128"),
        (lambda: ox.zeros(2, dtype=ox.int8).__setitem__(0, 0.5), TypeError, "float64"),
        (lambda: ox.zeros((2, 3)) + ox.zeros(4), ValueError, "broadcast"),
        (lambda: ox.zeros(6).reshape(4, 2), ValueError, "reshape"),
        (lambda: ox.asarray([float("nan")]).astype(ox.int64), ValueError, "NaN"),
        (lambda: ox.asarray([[1], [2, 3]]), ValueError, "depth"),
        (lambda: ox.arange(0, 1, 0), ValueError, "step"),
    ],
)
def test_error_types_and_messages(call, exc, words):
    with pytest.raises(exc) as e:
        call()
    assert words.lower() in str(e.value).lower()
